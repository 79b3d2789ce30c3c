/*
 * predictive_scaling.h - predictive scaling policies (aws-semantics 2.5).
 *
 * AWS's forecasting model is proprietary. fleetsim uses a seasonal-naive
 * forecast: the load of a future hour is the mean of the same hour of day
 * over the last (up to) 14 days of hourly history. Once at least 24 hours of
 * history exist, the forecast is refreshed every 6 h for the next 48 hours;
 * capacity = ceil(load / target_value), where load is the hourly mean of the
 * load metric per datapoint (ASGCPUUtilization: the group's total CPU %, so
 * the target is CPU % per instance; ALBRequestCount: requests per minute, so
 * the target is requests per target per minute).
 *
 * ForecastOnly logs each forecast ("policy" events). ForecastAndScale also
 * raises desired to the hour's forecast capacity scheduling_buffer_time before
 * the hour starts, never scales in because of the forecast, and honours the
 * group's max unless IncreaseMaxCapacity (max raised to
 * ceil(forecast x (1 + max_capacity_buffer %)) for that hour, then restored).
 */
#ifndef FLEETSIM_PREDICTIVE_SCALING_H
#define FLEETSIM_PREDICTIVE_SCALING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/autoscaling/asg.h"
#include "models/cloudwatch/cloudwatch.h"
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

#define PRED_HORIZON 48          /* hours forecast (aws-semantics 2.5) */
#define PRED_DAYS 14             /* days of history used */
#define PRED_MIN_HISTORY 24      /* hours of history needed before the first forecast */
#define PRED_REFRESH (6 * SIM_HOUR)

/* The seasonal-naive forecast of hour `target` from hourly loads load[0..n) (hour index i; present[i] = 0 when missing): the mean of load[target - 24 k], k >= 1, over present hours within the last PRED_DAYS days before n. NAN when none. */
double pred_seasonal_naive(const double *load, const unsigned char *present, int64_t n, int64_t target);

/* Forecast capacity for a load: ceil(load / target) (0 for load <= 0); -1 when load is NAN or target <= 0. */
int pred_capacity(double load, double target);

/* The max a ForecastAndScale policy may use for forecast capacity f: the group max, or with IncreaseMaxCapacity ceil(f x (1 + buffer_pct / 100)) when that is larger (forecast 50, max 40, buffer 10% -> 55). */
int pred_effective_max(int group_max, int f, bool increase_max, int buffer_pct);

typedef struct pred pred;

/* A predictive policy (cfg borrowed) of group g reading hourly history from load (which must keep hourly data); schedules its 6-hourly refresh on s. NULL on OOM. */
pred *pred_new(sim *s, const scn_policy *cfg, asg *g, cw_series *load, events_log *ev);

/* Frees the policy (free after the run: pending events must not fire); NULL is a no-op. */
void pred_free(pred *p);

/* The forecast capacity for hour index h (virtual time [h h, (h + 1) h)), or -1 if none. */
int pred_forecast_at(const pred *p, int64_t hour);

/* Forecasts made so far. */
uint64_t pred_forecasts(const pred *p);

#endif /* FLEETSIM_PREDICTIVE_SCALING_H */
