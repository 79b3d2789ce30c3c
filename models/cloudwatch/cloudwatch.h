/*
 * cloudwatch.h - the CloudWatch metric store: one series per metric the
 * control plane reads (alarms, target tracking, predictive scaling), keyed by
 * (metric, group, load balancer, target group). A per-minute tick asks each
 * series' source (asg_sample, alb_sample through an adapter) for the period
 * just ended and stores a datapoint time-stamped at the period start, visible
 * only after the publication delay (aws-semantics 3.1).
 *
 * Resolution: 60 s, or 300 s for EC2 metrics of groups on basic monitoring
 * (launch template detailed_monitoring = 0: "sample every 5 min over 5 min",
 * aws-semantics 3.1). High-resolution (10/20/30 s) data is not supported yet:
 * no fleetsim source samples finer than a minute.
 */
#ifndef FLEETSIM_CLOUDWATCH_H
#define FLEETSIM_CLOUDWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/core/metric.h"
#include "models/core/scenario.h"
#include "stats/histogram.h"
#include "sim/sim.h"

/* A metric source: fills out with the samples of metric id over [t0, t1); returns 0, or -1 if it does not publish id. */
typedef int (*cw_source_fn)(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out);

typedef struct cw_store cw_store;
typedef struct cw_series cw_series;

/*
 * The statistics of the datapoints aggregated over one alarm period. count 0 =
 * missing. Percentiles come from the period's datapoints' distributions,
 * which the store keeps in sparse form and merges only when cw_statistic
 * asks (no dense histogram): dist_se is the series (NULL when there is no
 * distribution), the rest says which of its datapoints the period took. The
 * aggregate reads the series: it is valid until the next cw_tick.
 */
typedef struct cw_stat {
    uint64_t count;
    double sum, min, max;
    const cw_series *dist_se;        /* NULL: no distribution */
    sim_time_t dist_first, dist_t1, dist_now;
    uint64_t dist_count;             /* values in the merged distribution (ns) */
    int64_t dist_min, dist_max;      /* its exact min and max */
} cw_stat;

/* An empty store whose datapoints become visible `publication_delay` after their period ends; NULL on OOM. */
cw_store *cw_new(sim_time_t publication_delay);

/* Frees the store and its series; NULL is a no-op. */
void cw_free(cw_store *cw);

/*
 * The series (id, asg, lb, tg), added on first request with the given
 * resolution (60 s or 300 s) and source. The same key returns the same series.
 * NULL on OOM or a bad resolution.
 */
cw_series *cw_series_get(cw_store *cw, scn_metric_id id, int asg, int lb, int tg,
                         sim_time_t resolution, cw_source_fn fn, void *src);

/* Widens what the series keeps: at least `history` of datapoints, their histograms (percentiles), hourly means for predictive scaling (14 days). Call before the first tick. Returns 0, or -1 on OOM. */
int cw_series_need(cw_series *se, sim_time_t history, bool dist, bool hourly);

/* The series' resolution (60 s or 300 s). */
sim_time_t cw_series_resolution(const cw_series *se);

/* The per-minute tick at whole minute t (> 0): samples every series whose period ends at t. Returns 0, or -1 on OOM. */
int cw_tick(cw_store *cw, sim_time_t t);

/*
 * Aggregates the datapoints of se time-stamped in [t0, t1) and visible at
 * `now` into out. Percentiles are available from out when dist is true and
 * the series keeps distributions (the merge is sparse, proportional to the
 * samples, so no dense buffer is needed). Returns true when at least one
 * datapoint was found.
 */
bool cw_aggregate(const cw_series *se, sim_time_t t0, sim_time_t t1, sim_time_t now,
                  bool dist, cw_stat *out);

/*
 * The value of a statistic of an aggregate (percentile p in (0, 100): from the
 * distribution, in seconds, exactly what hist_quantile(p / 100) of the
 * merged per-datapoint histograms gives); NAN when it cannot be computed.
 */
double cw_statistic(const cw_stat *st, scn_statistic stat, double p);

/*
 * Predictive history: the hourly load of hour index h (hour h covers
 * [h h, (h + 1) h) of virtual time) = the mean of the per-datapoint Sums
 * stamped in that hour (CPU: total CPU % of the group per datapoint; requests
 * per minute). Returns false if the hour has no data or is not kept.
 */
bool cw_hourly(const cw_series *se, int64_t hour, double *load);

/*
 * The q-quantile (ns) of the merged distributions of the datapoints st
 * aggregated, bit for bit hist_quantile(q) of their hist_merge; 0 when st
 * has no distribution or it is empty. For tests; cw_statistic uses it.
 */
int64_t cw_stat_quantile(const cw_stat *st, double q);

/* Number of series (for tests). */
size_t cw_series_count(const cw_store *cw);

#endif /* FLEETSIM_CLOUDWATCH_H */
