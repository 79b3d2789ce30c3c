/*
 * test_policy.c - scaling policy arithmetic and behaviour against a scripted
 * group (aws-semantics 1.6, 2.1-2.3, 11.2-11.4).
 */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "../tap.h"
#include "fake_asg.h"
#include "models/cloudwatch/cloudwatch.h"
#include "models/cloudwatch/cw_alarm.h"
#include "models/autoscaling/scaling_policy.h"
#include "stats/events.h"

static void test_rounding(void)
{
    is_int(pol_percent_delta(10, 10, 0), 1, "2.2: +10%% of 10 = +1");
    is_int(pol_percent_delta(11, 30, 0), 3, "2.2: +30%% of 11 = 3.3 -> +3");
    is_int(pol_percent_delta(14, -10, 0), -1, "2.2: -10%% of 14 = -1.4 -> -1");
    is_int(pol_percent_delta(13, -30, 0), -3, "2.2: -30%% of 13 = -3.9 -> -3");
    is_int(pol_percent_delta(4, 25, 2), 2, "2.2: 25%% of 4 = 1, min_adjustment_magnitude 2 -> +2");
    is_int(pol_percent_delta(4, 25, 0), 1, "2.2: 25%% of 4 = 1 without a magnitude");
    is_int(pol_percent_delta(127, 10, 0), 12, "2.2: values > 1 round down (12.7 -> 12)");
    is_int(pol_percent_delta(5, 10, 0), 1, "2.2: values in (0, 1) become 1 (0.5 -> 1)");
    is_int(pol_percent_delta(5, -10, 0), -1, "2.2: values in (-1, 0) become -1 (-0.5 -> -1)");
    is_int(pol_percent_delta(3, -222.3333, 0), -6, "2.2: values < -1 round toward zero (-6.67 -> -6)");
    is_int(pol_percent_delta(10, -10, 3), -3, "2.2: the magnitude applies to decrements too");
    is_int(pol_percent_delta(0, 50, 0), 0, "2.2: 50%% of 0 is 0");
    is_int(pol_adjusted(SCN_ADJ_CHANGE_IN_CAPACITY, 4, 2, 0), 6, "2.2: ChangeInCapacity 4 + 2");
    is_int(pol_adjusted(SCN_ADJ_EXACT_CAPACITY, 4, 7, 0), 7, "2.2: ExactCapacity 7");
    is_int(pol_adjusted(SCN_ADJ_PERCENT_CHANGE, 11, 30, 0), 14, "2.2: PercentChangeInCapacity 11 + 30%%");
}

static void test_steps(void)
{
    scn_step up[3] = {
        {1, 1, 0, 10, 1},
        {1, 1, 10, 20, 2},
        {1, 0, 20, 0, 3},
    };
    is_int(pol_step_find(up, 3, 50, 50), 0, "2.2: above the threshold the lower bound is inclusive (50 at threshold 50 -> [0, 10))");
    is_int(pol_step_find(up, 3, 59.99, 50), 0, "2.2: 59.99 -> [0, 10)");
    is_int(pol_step_find(up, 3, 60, 50), 1, "2.2: above the threshold the upper bound is exclusive (60 -> [10, 20))");
    is_int(pol_step_find(up, 3, 70, 50), 2, "2.2: 70 -> [20, +inf)");
    is_int(pol_step_find(up, 3, 1e9, 50), 2, "2.2: a null upper bound is +inf");
    is_int(pol_step_find(up, 3, 49, 50), -1, "2.2: below every step -> none");
    scn_step down[2] = {
        {1, 1, -10, 0, -1},
        {0, 1, 0, -10, -2},
    };
    is_int(pol_step_find(down, 2, 30, 30), 0, "2.2: below the threshold the upper bound is inclusive (30 at threshold 30 -> (-10, 0])");
    is_int(pol_step_find(down, 2, 20, 30), 1, "2.2: below the threshold the lower bound is exclusive (20 -> (-inf, -10])");
    is_int(pol_step_find(down, 2, 20.01, 30), 0, "2.2: 20.01 -> (-10, 0]");
    is_int(pol_step_find(down, 2, -1e9, 30), 1, "2.2: a null lower bound is -inf");
    double v[3] = {60, 90, 75};
    is_near(pol_aggregate(SCN_AGG_AVERAGE, v, 3), 75, 1e-12, "2.2: metric_aggregation_type Average");
    is_near(pol_aggregate(SCN_AGG_MINIMUM, v, 3), 60, 0, "2.2: Minimum");
    is_near(pol_aggregate(SCN_AGG_MAXIMUM, v, 3), 90, 0, "2.2: Maximum");
    ok(isnan(pol_aggregate(SCN_AGG_AVERAGE, v, 0)), "no datapoints -> NAN");
}

static void test_tt_math(void)
{
    is_int(pol_tt_capacity(3, 75, 50) - 3, 2, "2.1: computed +1.5 instances becomes +2 (3 x 75 / 50 = 4.5 -> 5)");
    is_int(pol_tt_capacity(3, 25, 50) - 3, -1, "2.1: computed -1.5 becomes -1 (3 x 25 / 50 = 1.5 -> 2)");
    is_int(pol_tt_capacity(4, 75, 50), 6, "2.1: exact ratios stay exact (4 x 75 / 50 = 6)");
    is_int(pol_tt_capacity(2, 100, 50), 4, "2.1: 2 x 100 / 50 = 4");
    is_int(pol_tt_capacity(5, 0, 50), 0, "2.1: a true zero can scale to 0 (min permitting)");

    pol_tt_vote v[3];
    int who;
    v[0] = (pol_tt_vote){1, 6, true, false};
    v[1] = (pol_tt_vote){-1, 2, true, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 6, "2.1: any policy can scale out");
    is_int(who, 0, "... the outward vote decides");
    v[0] = (pol_tt_vote){1, 6, true, false};
    v[1] = (pol_tt_vote){1, 8, true, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 8, "2.1: several want out: the largest proposal");
    v[0] = (pol_tt_vote){-1, 2, true, false};
    v[1] = (pol_tt_vote){-1, 3, true, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 3, "2.1: all want in: the proposal that removes least");
    v[1] = (pol_tt_vote){0, 0, true, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 4, "2.1: one policy holds -> no scale-in");
    ok(who == -1, "... no decider");
    v[1] = (pol_tt_vote){0, 0, false, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 2, "2.1: a policy with scale-in disabled does not veto");
    v[0] = (pol_tt_vote){-1, 2, false, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 4, "2.1: no policy has scale-in enabled -> none");
    v[0] = (pol_tt_vote){-1, 2, true, true};
    v[1] = (pol_tt_vote){-1, 2, true, false};
    is_int(pol_tt_combine(v, 2, 4, &who), 4, "1.6/11.3: warming instances block scale-in");
    v[2] = (pol_tt_vote){1, 5, true, true};
    is_int(pol_tt_combine(v, 3, 4, &who), 5, "1.6: warming instances do not block scale-out");
}

/* ---------------------------------------------------------------- alarms in a given state */

typedef struct src {
    double value;
} src;

static int const_source(void *s, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)id;
    (void)t0;
    (void)t1;
    src *c = s;
    memset(out, 0, sizeof *out);
    out->count = 1;
    out->sum = out->min = out->max = c->value;
    return 0;
}

typedef struct rig {
    cw_store *cw;
    src s[4];
    cw_alarm *a[4];
    size_t n;
    sim_time_t now;
} rig;

static cw_alarm *rig_alarm(rig *r, const char *name, double value, double thr, scn_comparison cmp, int n)
{
    size_t k = r->n++;
    r->s[k].value = value;
    cw_series *se = cw_series_get(r->cw, SCN_M_EC2_CPU, (int)k, -1, -1, SIM_MIN, const_source, &r->s[k]);
    cw_series_need(se, 30 * SIM_MIN, false, false);
    cwa_config cf;
    memset(&cf, 0, sizeof cf);
    cf.name = name;
    cf.rule = (cwa_rule){n, n, thr, cmp, SCN_MISSING_MISSING};
    cf.period = SIM_MIN;
    cf.stat = SCN_STAT_AVERAGE;
    cf.actions_enabled = true;
    r->a[k] = cwa_new(&cf, se, NULL);
    return r->a[k];
}

static void rig_run(rig *r, int minutes)
{
    for (int i = 0; i < minutes; i++) {
        r->now += SIM_MIN;
        cw_tick(r->cw, r->now);
        for (size_t k = 0; k < r->n; k++)
            cwa_tick(r->a[k], r->now);
    }
}

static void rig_free(rig *r)
{
    for (size_t k = 0; k < r->n; k++)
        cwa_free(r->a[k]);
    cw_free(r->cw);
}

static scn_policy base_policy(const char *name, scn_policy_type type)
{
    scn_policy p;
    memset(&p, 0, sizeof p);
    p.name = (char *)name;
    p.asg = 0;
    p.type = type;
    p.enabled = 1;
    p.adjustment_type = SCN_ADJ_CHANGE_IN_CAPACITY;
    p.cooldown = -1;
    p.estimated_instance_warmup = -1;
    p.metric_aggregation_type = SCN_AGG_AVERAGE;
    p.tt_metric = SCN_TT_ASG_CPU;
    p.tt_tg = -1;
    p.target_value = 50;
    p.tt_scale_out_periods = 3;
    p.tt_scale_in_periods = 15;
    p.tt_scale_in_ratio = 0.7;
    p.pred_buffer = 300 * SIM_SEC;
    return p;
}

static void test_simple(void)
{
    asg g;
    fake_asg_init(&g, "web", 1, 10, 2);
    g.hold_capacity = 1;
    events_log *ev = events_new();
    rig r = {cw_new(60 * SIM_SEC), {{0}}, {NULL}, 0, 0};
    cw_alarm *hi = rig_alarm(&r, "web-cpu-high", 90, 50, SCN_CMP_GT, 1);
    rig_run(&r, 3);
    is_str(cwa_state_name(cwa_state_of(hi)), "ALARM", "rig: the alarm is in ALARM");
    scn_policy cfg = base_policy("up", SCN_POL_SIMPLE);
    cfg.scaling_adjustment = 1;
    cfg.cooldown = 300 * SIM_SEC;
    pol *p = pol_new(&cfg, &g, ev);

    pol_on_alarm(p, hi, 180 * SIM_SEC);
    is_int(g.desired, 3, "2.3: simple scaling: one adjustment per alarm action (2 -> 3)");
    ok(strstr(g.last_cause, "alarm web-cpu-high in ALARM: simple scaling up") != NULL,
       "cause like the console: %s", g.last_cause);
    pol_on_alarm(p, hi, 240 * SIM_SEC);
    is_int(g.desired, 3, "2.3: the re-fired action is ignored while the activity is in progress");
    fake_asg_finish(&g);
    pol_on_activity_done(p, 250 * SIM_SEC);
    for (int t = 300; t < 550; t += 60)
        pol_on_alarm(p, hi, t * SIM_SEC);
    is_int(g.desired, 3, "1.6/2.3: ignored during the cooldown (300 s from the activity's end at 250 s)");
    is_int(pol_ignored(p), 6, "2.3: six ignored actions");
    size_t pos = 0, n_logged = 0;
    while (events_find(ev, &pos, "policy", "up", NULL))
        n_logged++;
    is_int(n_logged, 1, "2.3: the ignored actions are logged once per cooldown");
    pol_on_alarm(p, hi, 550 * SIM_SEC);
    is_int(g.desired, 4, "2.3: after the cooldown the policy responds again (3 -> 4)");
    is_int(pol_changes(p), 2, "two changes");
    pol_free(p);

    /* cooldown -1: the group's default_cooldown */
    fake_asg_init(&g, "web", 1, 10, 2);
    cfg.cooldown = -1;
    g.cfg.default_cooldown = 120 * SIM_SEC;
    p = pol_new(&cfg, &g, ev);
    pol_on_alarm(p, hi, 1000 * SIM_SEC);  /* no activity in progress in the fake: cooldown starts now */
    pol_on_alarm(p, hi, 1060 * SIM_SEC);
    is_int(g.desired, 3, "1.6: default_cooldown (120 s) applies when the policy has none");
    pol_on_alarm(p, hi, 1120 * SIM_SEC);
    is_int(g.desired, 4, "1.6: ... and ends after 120 s");
    pol_free(p);

    /* disabled policy */
    cfg.enabled = 0;
    p = pol_new(&cfg, &g, ev);
    pol_on_alarm(p, hi, 2000 * SIM_SEC);
    is_int(g.desired, 4, "a disabled policy does nothing");
    pol_free(p);
    rig_free(&r);
    events_free(ev);
}

static void test_step(void)
{
    asg g;
    fake_asg_init(&g, "web", 1, 20, 10);
    rig r = {cw_new(60 * SIM_SEC), {{0}}, {NULL}, 0, 0};
    cw_alarm *hi = rig_alarm(&r, "web-cpu-high", 82, 80, SCN_CMP_GE, 1);
    rig_run(&r, 3);
    scn_step steps[2] = {{1, 1, 0, 5, 1}, {1, 0, 5, 0, 2}};
    scn_policy cfg = base_policy("steps", SCN_POL_STEP);
    cfg.steps = steps;
    cfg.n_steps = 2;
    cfg.estimated_instance_warmup = 300 * SIM_SEC;
    pol *p = pol_new(&cfg, &g, NULL);
    pol_on_alarm(p, hi, 180 * SIM_SEC);
    is_int(g.desired, 11, "2.2: metric 82 at threshold 80 -> step [0, 5) +1: 10 -> 11");
    ok(strstr(g.last_cause, "alarm web-cpu-high in ALARM: step scaling steps (metric") != NULL, "cause: %s", g.last_cause);
    g.warming = 1; /* the new instance warms up */
    pol_on_alarm(p, hi, 240 * SIM_SEC);
    is_int(g.desired, 11, "1.6/2.2: the warming instance counts toward capacity: a second breach in the same step adds nothing");
    r.s[0].value = 87;
    rig_run(&r, 3);
    pol_on_alarm(p, hi, r.now);
    is_int(g.desired, 12, "2.2: metric 87 -> step [5, inf) +2 while 1 warms: 10 settled + 2 = 12 (one more, not two)");
    g.warming = 0;
    pol_on_alarm(p, hi, r.now + SIM_MIN);
    is_int(g.desired, 14, "2.2/1.6: step scaling is not blocked by a cooldown: after the warmup, 12 + 2 = 14");

    /* scale-in: blocked while instances warm up */
    cw_alarm *lo = rig_alarm(&r, "web-cpu-low", 20, 30, SCN_CMP_LT, 1);
    rig_run(&r, 3);
    scn_step in[1] = {{0, 1, 0, 0, -2}};
    scn_policy cin = base_policy("down", SCN_POL_STEP);
    cin.steps = in;
    cin.n_steps = 1;
    cin.estimated_instance_warmup = 300 * SIM_SEC;
    pol *q = pol_new(&cin, &g, NULL);
    g.warming = 2;
    pol_on_alarm(q, lo, r.now);
    is_int(g.desired, 14, "1.6/11.3: scale-in is blocked while instances warm up");
    g.warming = 0;
    pol_on_alarm(q, lo, r.now);
    is_int(g.desired, 12, "2.2: after the warmup the step -2 applies: 14 -> 12");

    /* PercentChangeInCapacity with a magnitude */
    scn_step pct[1] = {{1, 0, 0, 0, 25}};
    scn_policy cp = base_policy("pct", SCN_POL_STEP);
    cp.steps = pct;
    cp.n_steps = 1;
    cp.adjustment_type = SCN_ADJ_PERCENT_CHANGE;
    cp.min_adjustment_magnitude = 2;
    pol *pp = pol_new(&cp, &g, NULL);
    fake_asg_init(&g, "web", 1, 20, 4);
    pol_on_alarm(pp, hi, r.now);
    is_int(g.desired, 6, "2.2: step PercentChangeInCapacity 25%% of 4 with magnitude 2 -> +2");
    pol_free(pp);

    /* ExactCapacity, and max clamps */
    scn_step ex[1] = {{1, 0, 0, 0, 30}};
    scn_policy ce = base_policy("exact", SCN_POL_STEP);
    ce.steps = ex;
    ce.n_steps = 1;
    ce.adjustment_type = SCN_ADJ_EXACT_CAPACITY;
    pol *pe = pol_new(&ce, &g, NULL);
    pol_on_alarm(pe, hi, r.now);
    is_int(g.desired, 20, "2.2: ExactCapacity 30 is clamped to max 20");
    pol_free(pe);
    pol_free(q);
    pol_free(p);
    rig_free(&r);
}

static void test_target_tracking(void)
{
    asg g;
    fake_asg_init(&g, "web", 1, 20, 2);
    events_log *ev = events_new();
    rig r = {cw_new(60 * SIM_SEC), {{0}}, {NULL}, 0, 0};
    scn_policy c1 = base_policy("cpu50", SCN_POL_TARGET_TRACKING);
    scn_policy c2 = base_policy("cpu70", SCN_POL_TARGET_TRACKING);
    c2.target_value = 70;
    pol *p1 = pol_new(&c1, &g, ev), *p2 = pol_new(&c2, &g, ev);
    cw_alarm *h1 = rig_alarm(&r, "TargetTracking-web-AlarmHigh-cpu50", 100, 50, SCN_CMP_GT, 3);
    cw_alarm *l1 = rig_alarm(&r, "TargetTracking-web-AlarmLow-cpu50", 100, 35, SCN_CMP_LT, 15);
    cw_alarm *h2 = rig_alarm(&r, "TargetTracking-web-AlarmHigh-cpu70", 100, 70, SCN_CMP_GT, 3);
    cw_alarm *l2 = rig_alarm(&r, "TargetTracking-web-AlarmLow-cpu70", 100, 49, SCN_CMP_LT, 15);
    pol_tt_set_alarms(p1, h1, l1);
    pol_tt_set_alarms(p2, h2, l2);
    pol *tt[2] = {p1, p2};
    rig_run(&r, 4);
    is_str(cwa_state_name(cwa_state_of(h1)), "ALARM", "11.4: AlarmHigh after 3 one-minute points above target");
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 4, "2.1: ceil(2 x 100 / 50) = 4; the larger of the two policies' proposals (cpu70 asks 3)");
    ok(strstr(g.last_cause, "alarm TargetTracking-web-AlarmHigh-cpu50 in ALARM: target tracking cpu50 (metric") != NULL,
       "cause like the console: %s", g.last_cause);
    g.warming = 2;
    rig_run(&r, 1);
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 4, "1.6: the 2 new instances warm up: judged on the 2 settled ones (2 x 100 / 50 = 4), no second scale-out");
    g.warming = 0;
    rig_run(&r, 1);
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 8, "2.1/1.6: after the warmup target tracking acts again at once: not blocked by a cooldown (4 x 100 / 50)");
    g.activity = 1;
    for (size_t k = 0; k < 4; k++)
        r.s[k].value = 20;
    rig_run(&r, 17);
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 8, "fleetsim: no target tracking scale-in while a scaling activity (draining) is in progress");
    g.activity = 0;

    /* scale in: both must agree */
    for (size_t k = 0; k < 4; k++)
        r.s[k].value = 20;
    rig_run(&r, 17);
    is_str(cwa_state_name(cwa_state_of(l1)), "ALARM", "11.4: AlarmLow after 15 points below 0.7 x target");
    g.warming = 1;
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 8, "1.6/11.3: no scale-in while an instance warms up");
    g.warming = 0;
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 4, "2.1: both want in: cpu50 asks ceil(8 x 20 / 50) = 4, cpu70 asks 3 -> the larger, 4");
    c2.disable_scale_in = 1;
    r.s[0].value = r.s[1].value = 40; /* cpu50 is content at 40: 0.7 x 50 = 35 < 40 < 50 */
    rig_run(&r, 17);
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 4, "2.1: cpu50 holds; cpu70 (scale-in disabled) cannot scale in alone");
    r.s[0].value = r.s[1].value = 20;
    rig_run(&r, 17);
    pol_tt_group_tick(tt, 2, r.now);
    is_int(g.desired, 2, "2.1: cpu50 wants in and cpu70 has scale-in disabled: ceil(4 x 20 / 50) = 2");
    pol_free(p1);
    pol_free(p2);
    rig_free(&r);
    events_free(ev);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_rounding();
    test_steps();
    test_tt_math();
    test_simple();
    test_step();
    test_target_tracking();
    return tap_done();
}
