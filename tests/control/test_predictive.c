/*
 * test_predictive.c - seasonal-naive predictive scaling (aws-semantics 2.5)
 * on a synthetic daily load, against a scripted group.
 */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "../tap.h"
#include "fake_asg.h"
#include "models/cloudwatch/cloudwatch.h"
#include "models/autoscaling/predictive_scaling.h"
#include "stats/events.h"

static void test_pure(void)
{
    double load[24 * 20];
    unsigned char p[24 * 20];
    for (int h = 0; h < 24 * 20; h++) {
        load[h] = h % 24 == 10 ? 100 + h / 24 : 10; /* hour 10 grows by 1 a day */
        p[h] = 1;
    }
    /* n = 3 days of history: hour 10 of days 0..2 = 100, 101, 102 */
    is_near(pred_seasonal_naive(load, p, 72, 72 + 10), 101, 1e-12, "2.5: forecast = mean of the same hour over the days seen");
    is_near(pred_seasonal_naive(load, p, 72, 72 + 24 + 10), 101, 1e-12, "2.5: the day after tomorrow too (48 h horizon)");
    is_near(pred_seasonal_naive(load, p, 72, 72 + 3), 10, 1e-12, "2.5: a quiet hour");
    /* n = 20 days: only the last 14 count: days 6..19 -> mean 100 + 12.5 */
    is_near(pred_seasonal_naive(load, p, 480, 480 + 10), 112.5, 1e-12, "2.5: only the last 14 days are used");
    p[48 + 10] = 0;
    is_near(pred_seasonal_naive(load, p, 72, 72 + 10), 100.5, 1e-12, "missing hours are skipped");
    ok(isnan(pred_seasonal_naive(load, p, 0, 5)), "no history -> NAN");
    is_int(pred_capacity(101, 50), 3, "2.5: capacity = ceil(load / target)");
    is_int(pred_capacity(100, 50), 2, "2.5: exact ratios stay exact");
    is_int(pred_capacity(0, 50), 0, "zero load -> 0");
    is_int(pred_capacity(NAN, 50), -1, "no forecast -> -1");
    is_int(pred_effective_max(40, 50, true, 10), 55, "2.5: forecast 50, max 40, buffer 10%% -> effective max 55");
    is_int(pred_effective_max(40, 50, false, 10), 40, "2.5: HonorMaxCapacity keeps 40");
    is_int(pred_effective_max(40, 30, true, 10), 40, "2.5: under max: unchanged");
}

/* Total CPU of the group: 200 % from 09:00 to 17:00, 50 % otherwise. */
static int daily_source(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)src;
    (void)id;
    (void)t1;
    int hod = (int)((t0 / SIM_HOUR) % 24);
    memset(out, 0, sizeof *out);
    out->count = 2;
    out->sum = hod >= 9 && hod < 17 ? 200 : 50;
    out->min = out->max = out->sum / 2;
    return 0;
}

static void tick(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    cw_tick(obj, sim_now(s));
    sim_after(s, SIM_MIN, tick, obj, 0);
}

static scn_policy pred_cfg(scn_predictive_mode mode)
{
    scn_policy p;
    memset(&p, 0, sizeof p);
    p.name = (char *)"forecast";
    p.asg = 0;
    p.type = SCN_POL_PREDICTIVE;
    p.enabled = 1;
    p.target_value = 50;
    p.pred_mode = mode;
    p.pred_buffer = 300 * SIM_SEC;
    p.pred_metric = SCN_TT_ASG_CPU;
    p.cooldown = -1;
    p.estimated_instance_warmup = -1;
    return p;
}

/* A predictive policy cfg on a fresh group of max `max`, run until `until` with the per-minute metric tick. */
static void run(int max, asg *g, events_log *ev, sim_time_t until, pred **out_p, sim **out_s, cw_store **out_cw,
                const scn_policy *cfg)
{
    sim *s = sim_new(1, 0);
    cw_store *cw = cw_new(60 * SIM_SEC);
    cw_series *se = cw_series_get(cw, SCN_M_EC2_CPU, 0, -1, -1, SIM_MIN, daily_source, NULL);
    cw_series_need(se, 0, false, true);
    fake_asg_init(g, "web", 1, max, 1);
    pred *p = pred_new(s, cfg, g, se, ev);
    sim_at(s, SIM_MIN, tick, cw, 0);
    sim_run_until(s, until);
    *out_p = p;
    *out_s = s;
    *out_cw = cw;
}

static void test_runtime(void)
{
    asg g;
    events_log *ev = events_new();
    pred *p;
    sim *s;
    cw_store *cw;
    scn_policy only = pred_cfg(SCN_PRED_FORECAST_ONLY);
    run(10, &g, ev, 23 * SIM_HOUR, &p, &s, &cw, &only);
    is_int(pred_forecasts(p), 0, "2.5: no forecast before 24 h of history");
    sim_run_until(s, 24 * SIM_HOUR + SIM_MIN);
    is_int(pred_forecasts(p), 1, "2.5: the first forecast once 24 h of history exist");
    is_int(pred_forecast_at(p, 24 + 10), 4, "2.5: 10:00 of day 2: load 200 %% / target 50 -> 4");
    is_int(pred_forecast_at(p, 24 + 3), 1, "2.5: 03:00: 50 / 50 -> 1");
    is_int(pred_forecast_at(p, 24 + 47), 1, "2.5: the horizon is 48 hours");
    is_int(pred_forecast_at(p, 24 + 48), -1, "2.5: ... and no further");
    sim_run_until(s, 36 * SIM_HOUR);
    is_int(pred_forecasts(p), 3, "2.5: refreshed every 6 h (24 h, 30 h, 36 h)");
    is_int(g.desired, 1, "2.5: ForecastOnly never changes capacity");
    size_t pos = 0;
    const events_entry *e = events_find(ev, &pos, "policy", "forecast", NULL);
    ok(e && strstr(e->message, "ForecastOnly") && strstr(e->message, "1 1 1 1 1 1 1 1 1 4 4"),
       "2.5: ForecastOnly logs its forecast: %s", e ? e->message : "(none)");
    pred_free(p);
    cw_free(cw);
    sim_free(s);

    scn_policy scale = pred_cfg(SCN_PRED_FORECAST_AND_SCALE);
    run(10, &g, ev, 24 * SIM_HOUR + SIM_MIN, &p, &s, &cw, &scale);
    sim_run_until(s, 33 * SIM_HOUR - 301 * SIM_SEC);
    is_int(g.desired, 1, "2.5: desired not raised before the buffer");
    sim_run_until(s, 33 * SIM_HOUR - 300 * SIM_SEC);
    is_int(g.desired, 4, "2.5: ForecastAndScale raises desired to 4 scheduling_buffer_time (300 s) before 09:00");
    ok(strstr(g.last_cause, "predictive scaling forecast: forecast capacity 4") != NULL, "cause: %s", g.last_cause);
    sim_run_until(s, 42 * SIM_HOUR);
    is_int(g.desired, 4, "2.5: the forecast never scales in (18:00 forecasts 1)");
    pred_free(p);
    cw_free(cw);
    sim_free(s);

    scale.pred_increase_max = 1;
    scale.pred_max_buffer_pct = 10;
    run(3, &g, ev, 33 * SIM_HOUR, &p, &s, &cw, &scale);
    is_int(g.max, 5, "2.5: IncreaseMaxCapacity: forecast 4 above max 3 with a 10%% buffer -> max ceil(4.4) = 5");
    is_int(g.desired, 4, "2.5: ... and desired reaches the forecast 4");
    pred_free(p);
    cw_free(cw);
    sim_free(s);

    scale.pred_increase_max = 0;
    run(3, &g, ev, 33 * SIM_HOUR, &p, &s, &cw, &scale);
    is_int(g.max, 3, "2.5: HonorMaxCapacity keeps max 3");
    is_int(g.desired, 3, "2.5: ... and desired stops at max 3");
    pred_free(p);
    cw_free(cw);
    sim_free(s);
    events_free(ev);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_pure();
    test_runtime();
    return tap_done();
}
