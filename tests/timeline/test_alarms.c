/*
 * test_alarms.c - CloudWatch alarms end to end on real metrics, scheduled
 * actions and UpdateAutoScalingGroup side effects (aws-semantics 1.1, 1.6,
 * 2.4, 3.2, 4.5, 11.12).
 *
 * Timing (tl.h defaults): a 1-minute datapoint for [t, t + 1m) is published
 * at t + 2m (60 s publication delay); alarms evaluate on whole minutes over
 * an evaluation range of N + 2 periods.
 */
#include "tl.h"

static void done(world *w, tl *t)
{
    if (w && (tl_verbose() || tap_failed))
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/* The state of alarm name just after at_s, from its transitions (INSUFFICIENT_DATA before the first). */
static const char *state_at(const world *w, const char *name, double at_s)
{
    const char *st = "INSUFFICIENT_DATA";
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (x->t > tl_s(at_s))
            break;
        if (strcmp(x->type, "alarm") == 0 && strcmp(x->resource, name) == 0)
            st = x->to;
    }
    return st;
}

/*
 * 3.2: M out of N, breaching points need not be consecutive. From 10m the
 * rate alternates every minute between 33.6 rps (84 % CPU on 2 instances)
 * and 16.8 rps (42 %) until 20m. CPU > 60: 2 of 3 reaches ALARM when the
 * newest three published points are H L H ([10m, 13m), published at 14m);
 * 3 of 3 never does.
 */
static void t_alarm_m_of_n(void)
{
    tl *t = tl_new(25 * 60, 16.8);
    double at[12], r[12];
    for (int k = 0; k < 12; k++) {
        at[k] = k == 0 ? 0 : 540 + 60 * k;      /* 600, 660, ..., 1200 */
        r[k] = k == 0 || k == 11 ? 16.8 : (k % 2 ? 33.6 : 16.8);
    }
    tl_steps(t, 12, at, r);
    tl_alarm(t, "cpu-2of3", SCN_M_EC2_CPU, SCN_STAT_AVERAGE, 60, 3, 2, 60, SCN_CMP_GT, SCN_MISSING_MISSING);
    tl_alarm(t, "cpu-3of3", SCN_M_EC2_CPU, SCN_STAT_AVERAGE, 60, 3, 3, 60, SCN_CMP_GT, SCN_MISSING_MISSING);
    world *w = tl_run(t, 1);
    ok(w != NULL, "alarm_m_of_n: runs");
    if (!w) {
        done(w, t);
        return;
    }
    is_near(tl_first_t(w, 0, "alarm", "cpu-2of3", "ALARM", NULL), 840, 0,
            "alarm_m_of_n: 2 of 3 in ALARM at 840 s on H L H (non-consecutive breaches)");
    is_int(tl_count(w, 0, 1e9, "alarm", "cpu-3of3", "ALARM", NULL), 0, "alarm_m_of_n: 3 of 3 never in ALARM on alternating points");
    ok(strcmp(state_at(w, "cpu-2of3", 24 * 60), "OK") == 0, "alarm_m_of_n: 2 of 3 back to OK after the alternation ends");
    done(w, t);
}

/*
 * 3.2, 4.5, 11.12: TargetResponseTime is absent (not zero) when no request
 * flows; TreatMissingData decides. Traffic (0.1 s responses, all above the
 * 0.05 s threshold) stops at 10m; the last responses (requests dispatched
 * before 10m) land in [10m, 11m). Once the whole evaluation range (5
 * periods) is empty (16m): missing -> INSUFFICIENT_DATA,
 * ignore -> stays ALARM, breaching -> stays ALARM, notBreaching -> OK.
 * RequestCount is always reported: zeros from 10m, so "RequestCount < 1"
 * (3 of 3) reaches ALARM at 14m exactly.
 */
static void t_alarm_missing_data(void)
{
    tl *t = tl_new(25 * 60, 16.8);
    double at[] = {0, 600}, r[] = {16.8, 0};
    tl_steps(t, 2, at, r);
    static const char *const names[4] = {"trt-missing", "trt-notbreaching", "trt-breaching", "trt-ignore"};
    static const scn_missing how[4] = {SCN_MISSING_MISSING, SCN_MISSING_NOT_BREACHING, SCN_MISSING_BREACHING,
                                       SCN_MISSING_IGNORE};
    for (int k = 0; k < 4; k++)
        tl_alarm(t, names[k], SCN_M_ALB_TARGET_RESPONSE_TIME, SCN_STAT_AVERAGE, 60, 3, 3, 0.05, SCN_CMP_GT, how[k]);
    tl_alarm(t, "requests-zero", SCN_M_ALB_REQUEST_COUNT, SCN_STAT_SUM, 60, 3, 3, 1, SCN_CMP_LT, SCN_MISSING_MISSING);
    world *w = tl_run(t, 1);
    ok(w != NULL, "alarm_missing_data: runs");
    if (!w) {
        done(w, t);
        return;
    }
    for (int k = 0; k < 4; k++)
        is_str(state_at(w, names[k], 599), "ALARM", "alarm_missing_data: %s in ALARM while traffic flows", names[k]);
    double tm = tl_first_t(w, 600, "alarm", "trt-missing", "INSUFFICIENT_DATA", NULL);
    ok(tm > 660 && tm <= 960, "alarm_missing_data: missing -> INSUFFICIENT_DATA once the range is empty (t=%.0f, by 960 s)", tm);
    is_str(state_at(w, "trt-missing", 1499), "INSUFFICIENT_DATA", "alarm_missing_data: missing stays INSUFFICIENT_DATA");
    /* 3.2 (issue 7 point 7): while the range still holds its last, breaching, points they decide nothing
       (missing points are not considered), so the alarm holds ALARM; no OK (and no OK action) in between. */
    is_int(tl_count(w, 600, 1e9, "alarm", "trt-missing", "OK", NULL), 0,
           "alarm_missing_data: missing goes ALARM -> INSUFFICIENT_DATA, never OK on its last breaching points");
    const events_entry *tx = tl_first(w, 600, "alarm", "trt-missing", NULL, NULL);
    ok(tx && strcmp(tx->from, "ALARM") == 0 && strcmp(tx->to, "INSUFFICIENT_DATA") == 0,
       "alarm_missing_data: missing's first transition after traffic stops is ALARM -> INSUFFICIENT_DATA");
    double tn = tl_first_t(w, 600, "alarm", "trt-notbreaching", "OK", NULL);
    ok(tn > 660 && tn <= 960, "alarm_missing_data: notBreaching -> OK (t=%.0f, by 960 s)", tn);
    is_str(state_at(w, "trt-notbreaching", 1499), "OK", "alarm_missing_data: notBreaching stays OK");
    is_int(tl_count(w, 600, 1e9, "alarm", "trt-breaching", NULL, NULL), 0,
           "alarm_missing_data: breaching never leaves ALARM (missing points count as breaching)");
    is_int(tl_count(w, 600, 1e9, "alarm", "trt-ignore", NULL, NULL), 0, "alarm_missing_data: ignore keeps the current state (ALARM)");
    is_near(tl_first_t(w, 600, "alarm", "requests-zero", "ALARM", NULL), 840, 0,
            "alarm_missing_data: RequestCount reports zeros (not missing): < 1 for 3 of 3 in ALARM at 840 s (4.5)");
    done(w, t);
}

/*
 * 2.4, 1.6: a one-off scheduled action sets desired at its time and ignores
 * the cooldown. A simple policy (+1 every alarm, DefaultCooldown 300 s) acts
 * at 120 s; its instance is InService at 156 s, so the group's simple-policy
 * cooldown runs to 456 s. The scheduled action at 300 s (desired 6) acts at
 * once (AWS: within 2 minutes).
 */
static void t_sched_one_off(void)
{
    tl *t = tl_new(10 * 60, 5);
    int p = tl_simple(t, "plus1", SCN_ADJ_CHANGE_IN_CAPACITY, 1, -1);
    int a = tl_alarm(t, "always", SCN_M_ASG_IN_SERVICE, SCN_STAT_MAXIMUM, 60, 1, 1, 1, SCN_CMP_GE, SCN_MISSING_MISSING);
    tl_alarm_action(t, a, SCN_ACT_POLICY, p);
    tl_schedule(t, "peak", -1, -1, 6, 300, -1, "");
    world *w = tl_run(t, 1);
    ok(w != NULL, "sched_one_off: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0), *c1 = tl_change(w, 1);
    ok(c0 && c0->t == tl_s(120) && strcmp(c0->to, "3") == 0, "sched_one_off: the simple policy acts at 120 s (2 -> 3)");
    ok(c1 && c1->t >= tl_s(300) && c1->t <= tl_s(420) && strcmp(c1->from, "3") == 0 && strcmp(c1->to, "6") == 0 &&
           strstr(c1->message, "scheduled action peak"),
       "sched_one_off: the scheduled action sets 3 -> 6 at %.0f s (300 s + at most 2 min), inside the cooldown",
       c1 ? tl_sec(c1->t) : -1);
    is_int(tl_count(w, 0, 1e9, "schedule", "peak", NULL, NULL), 1, "sched_one_off: a one-off action runs once");
    done(w, t);
}

/*
 * 2.4: a recurrent action "0 9 * * 1-5" (UTC) with start_time Tuesday 06:00
 * (t = 0 is Monday 2026-01-05 00:00 UTC) runs Tuesday to Friday at 09:00 and
 * never on Monday (before its start time) or at the weekend; "0 18 * * 1-5"
 * without a start time runs Monday to Friday at 18:00; "0 12 * * *" with
 * end_time Wednesday 13:00 runs Monday to Wednesday only.
 */
static void t_sched_cron(void)
{
    tl *t = tl_new(7 * 86400, 0.5);
    tl_schedule(t, "morning", -1, -1, 4, 30 * 3600, -1, "0 9 * * 1-5");
    tl_schedule(t, "evening", -1, -1, 2, -1, -1, "0 18 * * 1-5");
    tl_schedule(t, "noon", -1, -1, -1, -1, 2 * 86400 + 13 * 3600, "0 12 * * *"); /* EndTime Wednesday 13:00 */
    world *w = tl_run(t, 1);
    ok(w != NULL, "sched_cron: runs");
    if (!w) {
        done(w, t);
        return;
    }
    is_int(tl_count(w, 0, 1e9, "schedule", "morning", NULL, NULL), 4, "sched_cron: morning runs 4 times (Tue-Fri)");
    int at_nine = 0;
    for (int d = 1; d <= 4; d++)
        at_nine += tl_count(w, d * 86400 + 9 * 3600, d * 86400 + 9 * 3600 + 120.001, "schedule", "morning", NULL, NULL);
    is_int(at_nine, 4, "sched_cron: each at 09:00 UTC of days 1-4 (within 2 min)");
    is_int(tl_count(w, 0, 86400, "schedule", "morning", NULL, NULL), 0, "sched_cron: not on Monday, before start_time");
    is_int(tl_count(w, 5 * 86400, 7 * 86400, "schedule", NULL, NULL, NULL), 0, "sched_cron: nothing at the weekend");
    int at_six = 0;
    for (int d = 0; d <= 4; d++)
        at_six += tl_count(w, d * 86400 + 18 * 3600, d * 86400 + 18 * 3600 + 120.001, "schedule", "evening", NULL, NULL);
    is_int(at_six, 5, "sched_cron: evening at 18:00 UTC Monday to Friday");
    is_int(tl_count(w, 0, 1e9, "schedule", "noon", NULL, NULL), 3, "sched_cron: noon runs Mon-Wed only: none after its end_time (2.4)");
    is_int(tl_desired_at(w, 86400 + 9 * 3600 + 121), 4, "sched_cron: desired 4 on Tuesday morning");
    is_int(tl_desired_at(w, 86400 + 18 * 3600 + 121), 2, "sched_cron: desired 2 on Tuesday evening");
    done(w, t);
}

/*
 * 1.1: UpdateAutoScalingGroup (here from scheduled actions that set only
 * min / max): a new MinSize above the current size raises desired to it;
 * a new MaxSize below the current size lowers desired to it.
 */
static void t_update_limits(void)
{
    tl *t = tl_new(30 * 60, 5);
    tl_schedule(t, "raise-min", 4, -1, -1, 600, -1, "");
    tl_schedule(t, "lower-max", 1, 3, -1, 1200, -1, "");
    world *w = tl_run(t, 1);
    ok(w != NULL, "update_limits: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0), *c1 = tl_change(w, 1);
    ok(c0 && c0->t == tl_s(600) && strcmp(c0->from, "2") == 0 && strcmp(c0->to, "4") == 0,
       "update_limits: min 1 -> 4 without desired raises desired 2 -> 4");
    is_int(tl_count(w, 600, 1200, "instance", NULL, "InService", NULL), 2, "update_limits: two instances launched for it");
    ok(c1 && c1->t == tl_s(1200) && strcmp(c1->from, "4") == 0 && strcmp(c1->to, "3") == 0,
       "update_limits: max 10 -> 3 without desired lowers desired 4 -> 3");
    is_int(asg_min(tl_asg(w)), 1, "update_limits: min is 1 at the end");
    is_int(asg_max(tl_asg(w)), 3, "update_limits: max is 3 at the end");
    done(w, t);
}

/*
 * 1.1, 1.6, 11.2: manual scaling (SetDesiredCapacity) ignores the cooldown
 * by default; HonorCooldown makes it wait. A scheduled action launches one
 * instance at 120 s (InService 156 s: DefaultCooldown 300 s runs to 456 s);
 * set_desired_capacity 5 at 300 s acts at once without honor_cooldown; with
 * it, not during the cooldown, and (AWS: "waits") after it.
 */
static void t_manual_cooldown(void)
{
    for (int honor = 0; honor < 2; honor++) {
        const char *name = honor ? "manual_honor_cooldown" : "manual_ignores_cooldown";
        tl *t = tl_new(900, 5);
        tl_schedule(t, "up", -1, -1, 3, 120, -1, "");
        scn_fault *f = tl_fault(t, SCN_OP_SET_DESIRED_CAPACITY, 300);
        f->desired_capacity = 5;
        f->honor_cooldown = honor;
        world *w = tl_run(t, 1);
        ok(w != NULL, "%s: runs", name);
        if (!w) {
            done(w, t);
            return;
        }
        const events_entry *c1 = tl_change(w, 1);
        if (!honor) {
            ok(c1 && c1->t == tl_s(300) && strcmp(c1->to, "5") == 0 && strstr(c1->message, "manual"),
               "%s: 3 -> 5 at 300 s, inside the cooldown (156 + 300 s)", name);
        } else {
            is_int(tl_changes(w, 121, 456), 0, "%s: no change during the cooldown", name);
            ok(c1 && c1->t >= tl_s(456) && c1->t <= tl_s(600) && strcmp(c1->to, "5") == 0,
               "%s: applied when the cooldown ends (456 s), got %.0f s", name, c1 ? tl_sec(c1->t) : -1);
        }
        done(w, t);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    t_alarm_m_of_n();
    t_alarm_missing_data();
    t_sched_one_off();
    t_sched_cron();
    t_update_limits();
    t_manual_cooldown();
    return tap_done();
}
