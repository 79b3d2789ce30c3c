/*
 * test_step.c - step and simple scaling policies on a real group, driven by
 * CloudWatch alarms (aws-semantics 1.6, 2.2, 2.3, 3.2, 11.2, 11.13).
 *
 * The alarms watch GroupInServiceInstances (Maximum, 1-minute period, 1 of
 * 1): an integer the scenario controls exactly, so the breach size (metric -
 * threshold) is known and a step's bound inclusivity can be hit exactly.
 * Datapoint [0, 1m) is published at 2m (60 s delay), so the first alarm
 * action runs at 120 s; Auto Scaling actions re-run every minute while the
 * alarm stays in ALARM (3.2). The policies use an estimated instance warmup
 * of 60 s (30 s where stated), so the t = 0 fleet is settled at 120 s.
 */
#include "tl.h"

/* An alarm on GroupInServiceInstances (Maximum) cmp threshold, 1 of 1, 60 s, acting on policy p. */
static int inservice_alarm(tl *t, const char *name, scn_comparison cmp, double threshold, int p)
{
    int a = tl_alarm(t, name, SCN_M_ASG_IN_SERVICE, SCN_STAT_MAXIMUM, 60, 1, 1, threshold, cmp, SCN_MISSING_MISSING);
    if (p >= 0)
        tl_alarm_action(t, a, SCN_ACT_POLICY, p);
    return a;
}

static world *run_or_skip(tl *t, const char *name)
{
    world *w = tl_run(t, 1);
    ok(w != NULL, "%s: runs", name);
    return w;
}

static void done(world *w, tl *t)
{
    if (w && (tl_verbose() || tap_failed))
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

static int change_is(const world *w, int k, double at_s, const char *from, const char *to)
{
    const events_entry *c = tl_change(w, k);
    if (!c)
        return 0;
    return c->t == tl_s(at_s) && strcmp(c->from, from) == 0 && strcmp(c->to, to) == 0;
}

/*
 * 2.2: above the threshold a step's lower bound is inclusive. In service 4,
 * threshold 2: breach +2 exactly, steps [0, 2) +1 and [2, inf) +3 -> +3.
 * 2.2, 11.13: the action re-runs every minute; warming instances count, so
 * the same breach range at 180 s adds nothing; once they are settled (InService
 * 156 s + 60 s) the 240 s re-run adds 3 more.
 */
static void t_step_bound_above(void)
{
    tl *t = tl_new(6 * 60, 5);
    tl_group(t, 1, 20, 4);
    int p = tl_step_policy(t, "step", SCN_ADJ_CHANGE_IN_CAPACITY);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    tl_step(t, p, 1, 0, 1, 2, 1);
    tl_step(t, p, 1, 2, 0, 0, 3);
    inservice_alarm(t, "inservice-ge-2", SCN_CMP_GE, 2, p);
    world *w = run_or_skip(t, "step_bound_above");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "4", "7"), "step_bound_above: breach +2 falls in [2, inf) (lower bound inclusive): 4 -> 7 at 120 s");
    is_int(tl_changes(w, 121, 240), 0, "step_bound_above: the 180 s re-run in the same range adds nothing (3 warming instances counted)");
    ok(change_is(w, 1, 240, "7", "10"), "step_bound_above: the 240 s re-run (instances settled) keeps adding: 7 -> 10");
    done(w, t);
}

/*
 * 2.2: below the threshold a step's upper bound is inclusive and its lower
 * bound exclusive. In service 4 < 6: breach -2; steps (-2, 0] +1 and
 * (-inf, -2] +2 -> +2, 4 -> 6; at 6 the alarm is OK: one change only.
 */
static void t_step_bound_below(void)
{
    tl *t = tl_new(6 * 60, 5);
    tl_group(t, 1, 20, 4);
    int p = tl_step_policy(t, "step", SCN_ADJ_CHANGE_IN_CAPACITY);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    tl_step(t, p, 1, -2, 1, 0, 1);
    tl_step(t, p, 0, 0, 1, -2, 2);
    inservice_alarm(t, "inservice-lt-6", SCN_CMP_LT, 6, p);
    world *w = run_or_skip(t, "step_bound_below");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "4", "6"), "step_bound_below: breach -2 falls in (-inf, -2] (upper inclusive, lower exclusive): 4 -> 6");
    is_int(tl_changes(w, 121, 360), 0, "step_bound_below: no other change (re-run at 180 s: warming counted; then OK)");
    done(w, t);
}

/* 2.2: PercentChangeInCapacity on a real group: +30 % of 11 = 3.3 -> +3; then +30 % of 14 = 4.2 -> +4. */
static void t_step_percent_up(void)
{
    tl *t = tl_new(5 * 60, 5);
    tl_group(t, 1, 30, 11);
    int p = tl_step_policy(t, "pct", SCN_ADJ_PERCENT_CHANGE);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    tl_step(t, p, 1, 0, 0, 0, 30);
    inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
    world *w = run_or_skip(t, "step_percent_up");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "11", "14"), "step_percent_up: +30%% of 11 = 3.3 rounds down to +3: 11 -> 14");
    ok(change_is(w, 1, 240, "14", "18"), "step_percent_up: +30%% of 14 = 4.2 -> +4: 14 -> 18");
    done(w, t);
}

/* 2.2: -30 % of 13 = -3.9 -> -3 (toward zero); then -30 % of 10 = -3. */
static void t_step_percent_down(void)
{
    tl *t = tl_new(4 * 60, 5);
    tl_group(t, 1, 30, 13);
    int p = tl_step_policy(t, "pct", SCN_ADJ_PERCENT_CHANGE);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    tl_step(t, p, 1, 0, 0, 0, -30);
    inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
    world *w = run_or_skip(t, "step_percent_down");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "13", "10"), "step_percent_down: -30%% of 13 = -3.9 rounds toward zero: 13 -> 10");
    ok(change_is(w, 1, 180, "10", "7"), "step_percent_down: -30%% of 10 = -3: 10 -> 7");
    done(w, t);
}

/* 2.2: MinAdjustmentMagnitude: 25 % of 4 = 1, with a magnitude of 2 the group adds 2. */
static void t_step_min_magnitude(void)
{
    tl *t = tl_new(3 * 60, 5);
    tl_group(t, 1, 30, 4);
    int p = tl_step_policy(t, "pct", SCN_ADJ_PERCENT_CHANGE);
    t->pols[p].estimated_instance_warmup = tl_s(60);
    t->pols[p].min_adjustment_magnitude = 2;
    tl_step(t, p, 1, 0, 0, 0, 25);
    inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
    world *w = run_or_skip(t, "step_min_magnitude");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "4", "6"), "step_min_magnitude: 25%% of 4 = 1 raised to the magnitude 2: 4 -> 6");
    done(w, t);
}

/*
 * 2.3, 1.6, 11.2: simple scaling waits for its activity and the cooldown.
 * +1 at 120 s; the instance is InService at 156 s (the activity ends, the
 * cooldown starts); re-runs at 180..420 s are ignored; the 480 s re-run acts
 * (156 + 300 = 456). With the policy's own cooldown of 120 s: 300 s.
 */
static void t_simple_cooldown(void)
{
    for (int v = 0; v < 2; v++) {
        const char *name = v == 0 ? "simple_cooldown" : "simple_policy_cooldown";
        tl *t = tl_new(10 * 60, 5);
        tl_group(t, 1, 20, 2);
        int p = tl_simple(t, "plus1", SCN_ADJ_CHANGE_IN_CAPACITY, 1, v == 0 ? -1 : 120);
        inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
        world *w = run_or_skip(t, name);
        if (!w)
            { done(w, t); return; }
        double next = v == 0 ? 480 : 300;
        ok(change_is(w, 0, 120, "2", "3"), "%s: first alarm: 2 -> 3 at 120 s", name);
        is_int(tl_changes(w, 121, next), 0, "%s: re-runs before %.0f s are ignored (activity until 156 s + cooldown %s)",
               name, next, v == 0 ? "DefaultCooldown 300 s" : "policy Cooldown 120 s overrides it");
        ok(tl_first(w, 121, "policy", "plus1", NULL, "ignored") != NULL, "%s: the ignored alarm is logged", name);
        ok(change_is(w, 1, next, "3", "4"), "%s: after the cooldown the alarm acts again: 3 -> 4 at %.0f s", name, next);
        done(w, t);
    }
}

/*
 * 1.6, 11.2: step scaling does not honour the cooldown: +1 at 120 s, the
 * 180 s re-run adds nothing (the new instance is warming until 186 s), the
 * 240 s re-run adds one: well inside 156 + 300 s.
 */
static void t_step_no_cooldown(void)
{
    tl *t = tl_new(5 * 60, 5);
    tl_group(t, 1, 20, 2);
    int p = tl_step_policy(t, "step", SCN_ADJ_CHANGE_IN_CAPACITY);
    t->pols[p].estimated_instance_warmup = tl_s(30);
    tl_step(t, p, 1, 0, 0, 0, 1);
    inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
    world *w = run_or_skip(t, "step_no_cooldown");
    if (!w)
        { done(w, t); return; }
    ok(change_is(w, 0, 120, "2", "3"), "step_no_cooldown: 2 -> 3 at 120 s");
    ok(change_is(w, 1, 240, "3", "4"), "step_no_cooldown: 3 -> 4 at 240 s, inside the 300 s DefaultCooldown");
    done(w, t);
}

/*
 * 3.2, 11.13: an alarm with an SNS topic and a step policy among its actions:
 * the SNS action runs once (on INSUFFICIENT_DATA -> ALARM), the Auto Scaling
 * action every minute (it keeps adding capacity as instances settle).
 */
static void t_sns_once_policy_refires(void)
{
    tl *t = tl_new(12 * 60, 5);
    tl_group(t, 1, 8, 2);
    int p = tl_step_policy(t, "step", SCN_ADJ_CHANGE_IN_CAPACITY);
    t->pols[p].estimated_instance_warmup = tl_s(30);
    tl_step(t, p, 1, 0, 0, 0, 1);
    int topic = tl_topic(t, "ops");
    int a = inservice_alarm(t, "always", SCN_CMP_GE, 1, -1);
    tl_alarm_action(t, a, SCN_ACT_SNS, topic);
    tl_alarm_action(t, a, SCN_ACT_POLICY, p);
    world *w = run_or_skip(t, "sns_once_policy_refires");
    if (!w)
        { done(w, t); return; }
    is_int(tl_count(w, 0, 1e9, "alarm", "always", NULL, NULL), 1, "sns_once_policy_refires: one transition (-> ALARM at 120 s)");
    is_int(tl_count(w, 0, 1e9, "sns", "ops", NULL, NULL), 1, "sns_once_policy_refires: one SNS publish for it");
    ok(tl_first_t(w, 0, "sns", "ops", NULL, NULL) == 120, "sns_once_policy_refires: published at the transition (120 s)");
    int n = tl_changes(w, 0, 1e9);
    ok(n >= 3, "sns_once_policy_refires: the policy action re-ran and changed desired %d times (>= 3)", n);
    ok(tl_desired_at(w, 12 * 60) == 8, "sns_once_policy_refires: up to max (8) by the end");
    int above = 0;
    for (int k = 0; tl_change(w, k); k++)
        above += atoi(tl_change(w, k)->to) > 8;
    is_int(above, 0, "sns_once_policy_refires: a policy never pushes desired above max (1.1)");
    done(w, t);
}

/*
 * 3.2: ActionsEnabled false: the alarm still changes state (and logs it) but
 * runs no action: no SNS publish, no scaling.
 */
static void t_actions_disabled(void)
{
    tl *t = tl_new(6 * 60, 5);
    int p = tl_step_policy(t, "step", SCN_ADJ_CHANGE_IN_CAPACITY);
    tl_step(t, p, 1, 0, 0, 0, 1);
    int topic = tl_topic(t, "ops");
    int a = inservice_alarm(t, "always", SCN_CMP_GE, 1, p);
    tl_alarm_action(t, a, SCN_ACT_SNS, topic);
    t->alarms[a].actions_enabled = 0;
    world *w = run_or_skip(t, "actions_disabled");
    if (!w) {
        done(w, t);
        return;
    }
    is_near(tl_first_t(w, 0, "alarm", "always", "ALARM", NULL), 120, 0, "actions_disabled: the alarm still goes to ALARM at 120 s");
    is_int(tl_count(w, 0, 1e9, "sns", NULL, NULL, NULL), 0, "actions_disabled: no SNS publish");
    is_int(tl_changes(w, 0, 1e9), 0, "actions_disabled: no scaling");
    done(w, t);
}

int main(void)
{
    gsl_set_error_handler_off();
    t_step_bound_above();
    t_step_bound_below();
    t_step_percent_up();
    t_step_percent_down();
    t_step_min_magnitude();
    t_simple_cooldown();
    t_step_no_cooldown();
    t_sns_once_policy_refires();
    t_actions_disabled();
    return tap_done();
}
