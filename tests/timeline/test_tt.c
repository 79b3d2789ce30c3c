/*
 * test_tt.c - target tracking on a real group, as timelines
 * (aws-semantics 1.6, 2.1, 3.2, 11.2-11.4).
 *
 * Load model (tl.h): 0.1 s of work per request on 2-vCPU instances, so the
 * group's CPU is 5 x rps / instances %. 16.8 rps on 2 instances = 42 %
 * (between the AlarmLow threshold 35 and the target 50: nothing to do).
 *
 * Alarm timing: a 1-minute datapoint for [t, t + 1m) is published at
 * t + 1m + publication delay (60 s) and the alarm evaluates on whole minutes,
 * so 3 breaching points starting at minute k put AlarmHigh in ALARM at
 * k + 3m + 60 s.
 */
#include <math.h>

#include "tl.h"

/* Bug 1 of docs/autoscaling.md (fixed): scale-in twice on stale datapoints. */

/* The "(metric X, target Y)" a target tracking change logged; NAN if absent. */
static double logged_metric(const events_entry *x)
{
    const char *p = x && x->message ? strstr(x->message, "(metric ") : NULL;
    double v;
    if (!p || sscanf(p, "(metric %lf", &v) != 1)
        return NAN;
    return v;
}

/* 2.1, 3.2, 11.4, 1.6: scale-out on a doubling of traffic. */
static void t_tt_scale_out(void)
{
    tl *t = tl_new(40 * 60, 16.8);
    double at[] = {0, 600}, r[] = {16.8, 33.6};
    tl_steps(t, 2, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_scale_out: runs");
    if (!w) {
        free(t);
        return;
    }
    const char *hi = "TargetTracking-web-AlarmHigh-cpu50";
    is_near(tl_first_t(w, 0, "alarm", hi, "ALARM", NULL), 600 + 3 * 60 + 60, 0,
            "tt_scale_out: AlarmHigh in ALARM at 14m = 10m + 3 one-minute points (3 of 3) + 60 s publication delay (2.1, 3.2)");
    const events_entry *c = tl_change(w, 0);
    ok(c && c->t == tl_s(840), "tt_scale_out: the first change is at the alarm's minute (840 s)");
    double m = logged_metric(c);
    int want = (int)ceil(2 * m / 50 - 1e-9);
    ok(c && strcmp(c->from, "2") == 0 && atoi(c->to) == want && want == 4,
       "tt_scale_out: desired 2 -> ceil(2 x %.1f / 50) = %d (2.1 rounding up)", m, want);
    is_int(tl_count(w, 876, 876.001, "instance", NULL, "InService", NULL), 2,
           "tt_scale_out: both new instances InService at 840 + 6 + 20 + 10 s boot phases (5.4)");
    is_int(tl_count(w, 0, 876, "instance", NULL, "InService", NULL), 0, "tt_scale_out: none InService earlier");
    is_int(tl_changes(w, 841, 2400), 0,
           "tt_scale_out: no further change while CPU (4 instances, ~42%%) stays between 0.7 x target and target");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/* 2.1, 11.4: scale-in after 15 low points, to the capacity the target needs, not below. */
static void t_tt_scale_in(void)
{
    tl *t = tl_new(80 * 60, 33.6);
    tl_group(t, 1, 10, 4);
    double at[] = {0, 1200}, r[] = {33.6, 12};
    tl_steps(t, 2, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_scale_in: runs");
    if (!w) {
        free(t);
        return;
    }
    const char *lo = "TargetTracking-web-AlarmLow-cpu50";
    is_int(tl_changes(w, 0, 1200), 0, "tt_scale_in: 4 instances at 42%% CPU: no change before the drop");
    is_near(tl_first_t(w, 0, "alarm", lo, "ALARM", NULL), 1200 + 15 * 60 + 60, 0,
            "tt_scale_in: AlarmLow (< 0.7 x 50 = 35) in ALARM after 15 of 15 low points + 60 s delay = 2160 s (2.1 [OBS])");
    is_int(tl_changes(w, 0, 2160), 0, "tt_scale_in: no scale-in before AlarmLow (scale-in is conservative)");
    const events_entry *c = tl_change(w, 0);
    double m = logged_metric(c);
    ok(c && c->t == tl_s(2160) && strcmp(c->from, "4") == 0 && atoi(c->to) == (int)ceil(4 * m / 50 - 1e-9) &&
           atoi(c->to) == 2,
       "tt_scale_in: desired 4 -> ceil(4 x %.1f / 50) = 2 at 2160 s", m);
    int lowest = 4;
    for (double s = 2160; s < 80 * 60; s += 30)
        if (tl_desired_at(w, s) < lowest)
            lowest = tl_desired_at(w, s);
    /* 12 rps on 1 instance is 60 % CPU, above the target: a policy that
       tracks 50 % must not remove the second instance (2.1: "a target
       tracking policy cannot scale out on a metric below target" and scale-in
       is conservative; desired_new = ceil(capacity x metric / target) with the
       metric measured on that capacity). */
    ok(lowest == 2,
            "tt_scale_in: never below 2 = ceil(12 rps x 5 / 50) afterwards (lowest %d)", lowest);
    int flaps = tl_count(w, 2160, 80 * 60, "alarm", "TargetTracking-web-AlarmHigh-cpu50", "ALARM", NULL);
    ok(flaps == 0, "tt_scale_in: so AlarmHigh never fires after the scale-in (no flapping; fired %d)",
            flaps);
    if (tl_verbose() || tap_failed)
        tl_dump(w, 1100, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 1.6, 11.3: scale-in by a policy is blocked while instances warm up.
 * Estimated warmup 1500 s; traffic doubles at 27m (the t = 0 fleet is past
 * its warmup by then), scale-out at 31m, new instances InService at 1896 s
 * and warming until 3396 s; traffic falls to 8 rps at 33m, so AlarmLow is in
 * ALARM at 33m + 15 points + 60 s = 2940 s, inside the warmup.
 */
static void t_tt_warmup_blocks_scale_in(void)
{
    tl *t = tl_new(65 * 60, 16.8);
    double at[] = {0, 1620, 1980}, r[] = {16.8, 33.6, 8};
    tl_steps(t, 3, at, r);
    int p = tl_tt_cpu(t, "cpu50", 50);
    t->pols[p].estimated_instance_warmup = tl_s(1500);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_warmup_blocks_scale_in: runs");
    if (!w) {
        free(t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0);
    ok(c0 && c0->t == tl_s(1860) && strcmp(c0->to, "4") == 0, "tt_warmup_blocks_scale_in: scale-out 2 -> 4 at 1860 s");
    double low = tl_first_t(w, 0, "alarm", "TargetTracking-web-AlarmLow-cpu50", "ALARM", NULL);
    is_near(low, 1980 + 15 * 60 + 60, 0, "tt_warmup_blocks_scale_in: AlarmLow in ALARM at 2940 s (15 low points from 33m)");
    is_int(tl_changes(w, 1861, 1896 + 1500), 0,
           "tt_warmup_blocks_scale_in: no scale-in while the new instances warm up (InService 1896 s + warmup 1500 s)");
    const events_entry *c1 = tl_change(w, 1);
    ok(c1 && c1->t == tl_s(3420) && atoi(c1->to) < 4,
       "tt_warmup_blocks_scale_in: scale-in at the first minute after the warmup (3420 s): 4 -> %s", c1 ? c1->to : "?");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 1.6, 2.1: the instances the group starts with (a deployed stack) are not
 * warming. Traffic is 33.6 rps (84 %% CPU on 2) from t = 0: AlarmHigh reaches
 * ALARM at 180 s by the premature-alarm rule (3.2: [0,1m) is 3 periods old,
 * [1m,2m) breaches, [2m,3m) not yet published), and the group scales out
 * then, to ceil(2 x metric / 50).
 */
static void t_tt_initial_fleet_settled(void)
{
    tl *t = tl_new(15 * 60, 33.6);
    tl_tt_cpu(t, "cpu50", 50);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_initial_fleet_settled: runs");
    if (!w) {
        free(t);
        return;
    }
    double a = tl_first_t(w, 0, "alarm", "TargetTracking-web-AlarmHigh-cpu50", "ALARM", NULL);
    is_near(a, 180, 0, "tt_initial_fleet_settled: AlarmHigh in ALARM at 180 s (premature-alarm rule, 3.2)");
    const events_entry *c = tl_change(w, 0);
    double m = logged_metric(c);
    ok(c && strcmp(c->from, "2") == 0 && atoi(c->to) == (int)ceil(2 * m / 50 - 1e-9) && atoi(c->to) > 2,
       "tt_initial_fleet_settled: scales out 2 -> ceil(2 x %.1f / 50) = %s", m, c ? c->to : "?");
    ok(c && c->t == tl_s(a), "tt_initial_fleet_settled: at the alarm's minute (%.0f s), got %.0f s", a, c ? tl_sec(c->t) : -1);
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/* 2.1: DisableScaleIn never removes capacity (scale-out still works). */
static void t_tt_disable_scale_in(void)
{
    tl *t = tl_new(60 * 60, 16.8);
    double at[] = {0, 600, 1200}, r[] = {16.8, 33.6, 4};
    tl_steps(t, 3, at, r);
    int p = tl_tt_cpu(t, "cpu50", 50);
    t->pols[p].disable_scale_in = 1;
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_disable_scale_in: runs");
    if (!w) {
        free(t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0);
    ok(c0 && c0->t == tl_s(840) && strcmp(c0->to, "4") == 0, "tt_disable_scale_in: still scales out 2 -> 4 at 840 s");
    is_int(tl_changes(w, 841, 3600), 0, "tt_disable_scale_in: 45 minutes at 5%% CPU (4 rps on 4): never scales in");
    is_int(tl_desired_at(w, 3599), 4, "tt_disable_scale_in: desired still 4 at the end");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 2.1: two policies. CPU target 50 and ALBRequestCountPerTarget target 2000
 * (16.8 rps on 2 = 504 requests per target per minute, under 0.7 x 2000: the
 * request policy wants to scale in from 16 minutes on; the CPU one does not).
 */
static void t_tt_two_policies_out_any(void)
{
    tl *t = tl_new(45 * 60, 16.8);
    double at[] = {0, 1800}, r[] = {16.8, 33.6};
    tl_steps(t, 2, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    tl_tt_rpt(t, "req2000", 2000);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_two_policies_out_any: runs");
    if (!w) {
        free(t);
        return;
    }
    ok(tl_first_t(w, 0, "alarm", "TargetTracking-web-AlarmLow-req2000", "ALARM", NULL) > 0,
       "tt_two_policies_out_any: the request policy's AlarmLow is in ALARM (it wants to scale in)");
    is_int(tl_changes(w, 0, 1800 + 240), 0,
           "tt_two_policies_out_any: no scale-in while the CPU policy (42%%) does not agree (in only if all)");
    const events_entry *c = tl_change(w, 0);
    ok(c && c->t == tl_s(1800 + 240) && strcmp(c->to, "4") == 0 && strstr(c->message, "cpu50"),
       "tt_two_policies_out_any: CPU policy scales out 2 -> 4 at 2040 s while the other wants in (out if any)");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 2.1: two policies that both want to scale in: 4 instances, 12 rps (CPU
 * 15 %, 180 requests per target per minute). CPU 50 proposes 2, requests
 * per target 300 (AlarmLow under 210) proposes ceil(4 x 180 / 300) = 3: the
 * group scales in, and by no more than the most conservative policy.
 * With request target 200 (AlarmLow under 140) the request policy does not
 * want to scale in, so nothing happens.
 */
static void t_tt_two_policies_in_all(void)
{
    for (int variant = 0; variant < 2; variant++) {
        tl *t = tl_new(40 * 60, 12);
        tl_group(t, 1, 10, 4);
        tl_tt_cpu(t, "cpu50", 50);
        tl_tt_rpt(t, "req", variant == 0 ? 300 : 200);
        world *w = tl_run(t, 1);
        ok(w != NULL, "tt_two_policies_in_all[%d]: runs", variant);
        if (!w) {
            free(t);
            return;
        }
        if (variant == 0) {
            const events_entry *c = tl_change(w, 0);
            ok(c && strcmp(c->from, "4") == 0 && atoi(c->to) == 3,
               "tt_two_policies_in_all: both want in: 4 -> 3 (the larger proposal, ceil(4 x 180 / 300)), got %s", c ? c->to : "none");
            /* 15 low periods [0, 15m): the 15th is unpublished at 15m, and the premature-alarm rule (3.2) puts
               AlarmLow in ALARM then (the oldest breaching point is 15 periods old, the rest breach or are missing). */
            ok(c && c->t == tl_s(15 * 60), "tt_two_policies_in_all: at 900 s, when 15 low periods have elapsed (t=%.0f)",
               c ? tl_sec(c->t) : -1);
        } else {
            is_int(tl_changes(w, 0, 40 * 60), 0,
                   "tt_two_policies_in_all: request policy at 180 > 0.7 x 200 does not agree: no scale-in");
        }
        if (tl_verbose() || tap_failed)
            tl_dump(w, 0, 1e9);
        tl_free(w);
        free(t);
    }
}

/*
 * 1.6, 11.2: target tracking does not wait for a cooldown. Traffic doubles at
 * 10m and again at 13m; the second scale-out comes as soon as the first
 * instances have warmed up (estimated warmup 60 s), well inside the 300 s
 * default cooldown after the first activity ended (876 s).
 */
static void t_tt_no_cooldown(void)
{
    tl *t = tl_new(30 * 60, 16.8);
    double at[] = {0, 600, 780}, r[] = {16.8, 33.6, 67.2};
    tl_steps(t, 3, at, r);
    int p = tl_tt_cpu(t, "cpu50", 50);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_no_cooldown: runs");
    if (!w) {
        free(t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0), *c1 = tl_change(w, 1);
    ok(c0 && c0->t == tl_s(840) && strcmp(c0->to, "4") == 0, "tt_no_cooldown: 2 -> 4 at 840 s");
    ok(c1 && c1->t > tl_s(876 + 60) && c1->t < tl_s(876 + 300) && atoi(c1->to) > 4,
       "tt_no_cooldown: second scale-out (%s -> %s at %.0f s) after the warmup, inside the 300 s cooldown",
       c1 ? c1->from : "?", c1 ? c1->to : "?", c1 ? tl_sec(c1->t) : -1);
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 2.1, 3.1: with basic monitoring (5-minute EC2 datapoints) the same doubling
 * at 10m is seen later: 3 five-minute points [10m, 25m) above target, the last
 * published at 25m + 60 s: AlarmHigh and the scale-out at 1560 s instead of
 * 840 s with detailed monitoring.
 */
static void t_tt_basic_monitoring(void)
{
    tl *t = tl_new(40 * 60, 16.8);
    t->lt[0].detailed_monitoring = 0;
    double at[] = {0, 600}, r[] = {16.8, 33.6};
    tl_steps(t, 2, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_basic_monitoring: runs");
    if (!w) {
        free(t);
        return;
    }
    is_near(tl_first_t(w, 0, "alarm", "TargetTracking-web-AlarmHigh-cpu50", "ALARM", NULL), 1560, 0,
            "tt_basic_monitoring: AlarmHigh in ALARM at 1560 s (3 five-minute points + 60 s), not 840 s");
    const events_entry *c = tl_change(w, 0);
    ok(c && c->t == tl_s(1560) && strcmp(c->to, "4") == 0, "tt_basic_monitoring: scale-out 2 -> 4 at 1560 s");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/*
 * 2.1, 4.5: ALBRequestCountPerTarget reports true zeros, so with MinSize 0 the
 * policy can scale the group to 0. Target 300 requests per target per minute:
 * 16.8 rps on 2 (504) scales out to 4 (252, between 210 and 300); traffic
 * stops at 10m; 15 zero points later (1560 s) desired goes to
 * ceil(4 x 0 / 300) = 0.
 */
static void t_tt_rpt_to_zero(void)
{
    tl *t = tl_new(35 * 60, 16.8);
    tl_group(t, 0, 10, 2);
    double at[] = {0, 600}, r[] = {16.8, 0};
    tl_steps(t, 2, at, r);
    tl_tt_rpt(t, "rpt300", 300);
    world *w = tl_run(t, 1);
    ok(w != NULL, "tt_rpt_to_zero: runs");
    if (!w) {
        free(t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0), *c1 = tl_change(w, 1);
    ok(c0 && strcmp(c0->to, "4") == 0 && c0->t < tl_s(600), "tt_rpt_to_zero: 504 requests per target: 2 -> 4 first");
    is_near(tl_first_t(w, 600, "alarm", "TargetTracking-web-AlarmLow-rpt300", "ALARM", NULL), 1560, 0,
            "tt_rpt_to_zero: zeros are reported (not missing): AlarmLow in ALARM at 600 + 15 x 60 + 60 s");
    ok(c1 && c1->t == tl_s(1560) && strcmp(c1->to, "0") == 0, "tt_rpt_to_zero: desired 4 -> 0 (MinSize 0)");
    is_int(asg_capacity(tl_asg(w)), 0, "tt_rpt_to_zero: no instance left");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

int main(void)
{
    gsl_set_error_handler_off();
    t_tt_scale_out();
    t_tt_scale_in();
    t_tt_warmup_blocks_scale_in();
    t_tt_initial_fleet_settled();
    t_tt_disable_scale_in();
    t_tt_two_policies_out_any();
    t_tt_two_policies_in_all();
    t_tt_no_cooldown();
    t_tt_basic_monitoring();
    t_tt_rpt_to_zero();
    return tap_done();
}
