/*
 * scaling_policy.c - simple, step and target tracking policies
 * (aws-semantics 1.6, 2.1-2.3, 11.2-11.4).
 *
 * Capacity words used below (asg.h):
 *   capacity  = Pending + InService (asg_capacity)
 *   settled   = InService instances past the policy's warmup
 *             = asg_in_service - asg_warming(warmup)
 *   launching = capacity - settled (Pending or still warming)
 * "Warming instances count toward capacity" (aws-semantics 1.6, 2.2) is
 * implemented as: a scale-out asks for settled + adjustment and raises desired
 * only if that is above the current desired, so a second alarm in the same
 * step while the first step's instances warm up adds nothing, and a breach in
 * a larger step adds only the difference. Scale-in by a policy is refused
 * while anything is launching (aws-semantics 11.3).
 */
#include "models/autoscaling/scaling_policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- arithmetic */

int pol_percent_delta(int capacity, double pct, int min_magnitude)
{
    double x = (double)capacity * pct / 100.0;
    int d;
    if (x >= 1)
        d = (int)floor(x);
    else if (x > 0)
        d = 1;
    else if (x == 0)
        d = 0;
    else if (x > -1)
        d = -1;
    else
        d = (int)ceil(x); /* toward zero */
    if (min_magnitude > 0 && d != 0 && abs(d) < min_magnitude)
        d = d > 0 ? min_magnitude : -min_magnitude;
    return d;
}

int pol_adjusted(scn_adjustment type, int base, int adj, int min_magnitude)
{
    switch (type) {
    case SCN_ADJ_EXACT_CAPACITY: return adj;
    case SCN_ADJ_PERCENT_CHANGE: return base + pol_percent_delta(base, adj, min_magnitude);
    case SCN_ADJ_CHANGE_IN_CAPACITY: break;
    }
    return base + adj;
}

int pol_step_find(const scn_step *steps, size_t n, double metric, double threshold)
{
    double d = metric - threshold;
    for (size_t i = 0; i < n; i++) {
        const scn_step *s = &steps[i];
        double lo = s->has_lower ? s->lower : -INFINITY;
        double hi = s->has_upper ? s->upper : INFINITY;
        bool above;
        if (s->has_lower && s->lower >= 0)
            above = true;
        else if (s->has_upper && s->upper <= 0)
            above = false;
        else
            above = d >= 0;
        bool in = above ? (d >= lo && d < hi) : (d > lo && d <= hi);
        if (in)
            return (int)i;
    }
    return -1;
}

double pol_aggregate(scn_aggregation agg, const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double r = v[0], sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        if (agg == SCN_AGG_MINIMUM && v[i] < r)
            r = v[i];
        if (agg == SCN_AGG_MAXIMUM && v[i] > r)
            r = v[i];
    }
    return agg == SCN_AGG_AVERAGE ? sum / (double)n : r;
}

int pol_tt_capacity(int capacity, double metric, double target)
{
    if (!(target > 0) || isnan(metric))
        return capacity;
    double x = (double)capacity * metric / target;
    double c = ceil(x - 1e-9 * fabs(x));
    if (c > 1e9)
        c = 1e9;
    return c < 0 ? 0 : (int)c;
}

int pol_tt_combine(const pol_tt_vote *v, size_t n, int desired, int *who)
{
    int best = -1;
    for (size_t i = 0; i < n; i++)
        if (v[i].want > 0 && v[i].proposal > desired && (best < 0 || v[i].proposal > v[best].proposal))
            best = (int)i;
    if (best >= 0) {
        *who = best;
        return v[best].proposal;
    }
    size_t enabled = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].warming) {
            *who = -1;
            return desired; /* scale-in blocked while instances warm up (aws-semantics 1.6) */
        }
        if (!v[i].scale_in_enabled)
            continue;
        enabled++;
        if (v[i].want >= 0 || v[i].proposal >= desired) {
            *who = -1;
            return desired;
        }
        if (best < 0 || v[i].proposal > v[best].proposal)
            best = (int)i;
    }
    if (enabled == 0 || best < 0) {
        *who = -1;
        return desired;
    }
    *who = best;
    return v[best].proposal;
}

/* ---------------------------------------------------------------- policy objects */

struct pol {
    const scn_policy *cfg;
    asg *g;
    events_log *ev;
    /* simple: waiting for its activity, then the cooldown */
    bool waiting;
    sim_time_t cooldown_until;
    bool ignore_logged;
    uint64_t changes, ignored;
    /* target tracking */
    cw_alarm *high, *low;
    sim_time_t tt_changed_at; /* when target tracking last changed the group's desired capacity; -1 never */
};

pol *pol_new(const scn_policy *cfg, asg *g, events_log *ev)
{
    pol *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cfg = cfg;
    p->g = g;
    p->ev = ev;
    p->cooldown_until = -1;
    p->tt_changed_at = -1;
    return p;
}

void pol_free(pol *p) { free(p); }

const char *pol_name(const pol *p) { return p->cfg->name ? p->cfg->name : "policy"; }
const scn_policy *pol_config(const pol *p) { return p->cfg; }
asg *pol_group(const pol *p) { return p->g; }
uint64_t pol_changes(const pol *p) { return p->changes; }
uint64_t pol_ignored(const pol *p) { return p->ignored; }

sim_time_t pol_warmup(const pol *p)
{
    if (p->cfg->estimated_instance_warmup >= 0)
        return p->cfg->estimated_instance_warmup;
    return asg_default_warmup(p->g);
}

static sim_time_t pol_cooldown(const pol *p)
{
    if (p->cfg->cooldown >= 0)
        return p->cfg->cooldown;
    return asg_config(p->g)->default_cooldown;
}

/* Instances InService past warmup w. */
static int settled(const pol *p, sim_time_t w)
{
    int s = asg_in_service(p->g) - asg_warming(p->g, w);
    return s < 0 ? 0 : s;
}

static bool launching(const pol *p, sim_time_t w)
{
    return asg_capacity(p->g) > settled(p, w);
}

/* Sets desired with a console-like cause; returns true if desired changed. */
static bool set_desired(pol *p, int want, const char *alarm, const char *state, const char *kind,
                        const char *detail)
{
    int before = asg_desired(p->g);
    if (want > asg_max(p->g))
        want = asg_max(p->g);
    if (want < asg_min(p->g))
        want = asg_min(p->g);
    if (want == before)
        return false;
    char cause[384];
    /* the group appends ": desired A -> B" itself (asg_set_desired) */
    snprintf(cause, sizeof cause, "alarm %s in %s: %s %s%s", alarm, state, kind, pol_name(p),
             detail ? detail : "");
    int after = asg_set_desired(p->g, want, cause);
    if (after != before)
        p->changes++;
    return after != before;
}

static void simple_on_alarm(pol *p, cw_alarm *a, sim_time_t now)
{
    const char *state = cwa_state_name(cwa_state_of(a));
    if (p->waiting || now < p->cooldown_until) {
        /* re-fired actions during the activity or the cooldown are ignored (aws-semantics 2.3); logged once */
        p->ignored++;
        if (!p->ignore_logged && p->ev) {
            p->ignore_logged = true;
            if (p->waiting)
                events_add(p->ev, now, "policy", pol_name(p), NULL, NULL,
                           "alarm %s in %s: simple scaling %s ignored until its scaling activity "
                           "completes and the cooldown (%.0f s) expires", cwa_name(a), state,
                           pol_name(p), sim_to_sec(pol_cooldown(p)));
            else
                events_add(p->ev, now, "policy", pol_name(p), NULL, NULL,
                           "alarm %s in %s: simple scaling %s ignored: cooldown until t=%.0f s",
                           cwa_name(a), state, pol_name(p), sim_to_sec(p->cooldown_until));
        }
        return;
    }
    int base = asg_capacity(p->g);
    int want = pol_adjusted(p->cfg->adjustment_type, base, p->cfg->scaling_adjustment,
                            p->cfg->min_adjustment_magnitude);
    if (!set_desired(p, want, cwa_name(a), state, "simple scaling", NULL))
        return; /* no activity (already there, or at a limit): no cooldown */
    p->ignore_logged = false;
    if (asg_activity_in_progress(p->g)) {
        p->waiting = true;
    } else {
        p->waiting = false;
        p->cooldown_until = now + pol_cooldown(p);
    }
}

void pol_on_activity_done(pol *p, sim_time_t now)
{
    if (p->cfg->type != SCN_POL_SIMPLE || !p->waiting)
        return;
    /* the cooldown starts when the last instance of the activity finishes (aws-semantics 1.6) */
    p->waiting = false;
    p->cooldown_until = now + pol_cooldown(p);
}

static void step_on_alarm(pol *p, cw_alarm *a, sim_time_t now)
{
    (void)now;
    const double *pts;
    size_t n = cwa_last_points(a, &pts);
    double metric = pol_aggregate(p->cfg->metric_aggregation_type, pts, n);
    if (isnan(metric))
        return;
    double thr = cwa_rule_of(a)->threshold;
    int k = pol_step_find(p->cfg->steps, p->cfg->n_steps, metric, thr);
    if (k < 0)
        return;
    int adj = p->cfg->steps[k].adjustment;
    sim_time_t w = pol_warmup(p);
    int desired = asg_desired(p->g);
    int base = settled(p, w);
    int out = pol_adjusted(p->cfg->adjustment_type, base, adj, p->cfg->min_adjustment_magnitude);
    char detail[160];
    snprintf(detail, sizeof detail, " (metric %.2f, step %+d)", metric, adj);
    const char *state = cwa_state_name(cwa_state_of(a));
    if (out > desired) {
        set_desired(p, out, cwa_name(a), state, "step scaling", detail);
        return;
    }
    /* scale-in (or ExactCapacity below desired): from capacity, never below what a smaller decrement keeps */
    int in = pol_adjusted(p->cfg->adjustment_type, asg_capacity(p->g), adj,
                          p->cfg->min_adjustment_magnitude);
    if (in >= desired)
        return;
    if (launching(p, w))
        return; /* policy scale-in is blocked while instances warm up (aws-semantics 1.6, 11.3) */
    set_desired(p, in, cwa_name(a), state, "step scaling", detail);
}

void pol_on_alarm(pol *p, cw_alarm *a, sim_time_t now)
{
    if (!p->cfg->enabled)
        return;
    if (p->cfg->type == SCN_POL_SIMPLE)
        simple_on_alarm(p, a, now);
    else if (p->cfg->type == SCN_POL_STEP)
        step_on_alarm(p, a, now);
    /* target tracking and predictive policies are not alarm-action targets */
}

void pol_tt_set_alarms(pol *p, cw_alarm *high, cw_alarm *low)
{
    p->high = high;
    p->low = low;
}

static double latest(const cw_alarm *a)
{
    const double *v;
    size_t n = cwa_last_points(a, &v);
    return n ? v[n - 1] : NAN;
}

/*
 * The capacity target tracking scales from: the settled instances (InService
 * past the policy's warmup, 1.6's fallback chain). Warming instances count
 * toward desired (the proposal must exceed it) but not toward the base, so a
 * metric that still reflects the old fleet (publication delay, warmup) does
 * not stack a second scale-out on the first: "scale-out happens only if the
 * metric from non-warming instances exceeds the target" (aws-semantics 1.6).
 */
static int tt_base(const pol *p)
{
    return settled(p, pol_warmup(p));
}

pol_tt_vote pol_tt_vote_of(pol *p)
{
    pol_tt_vote v = {0, 0, !p->cfg->disable_scale_in, false};
    /* Scale-in also waits while a scaling activity is in progress (terminating instances still
       draining): until then the metric describes the larger fleet, and a second scale-in on
       that stale data would overshoot. AWS documents no rule here (fleetsim modelling choice;
       1.6 notes launches can hold off dynamic scale-in). */
    v.warming = launching(p, pol_warmup(p)) || asg_activity_in_progress(p->g);
    if (!p->cfg->enabled || !p->high || !p->low) {
        v.scale_in_enabled = false;
        return v;
    }
    int desired = asg_desired(p->g);
    if (cwa_state_of(p->high) == CWA_ALARM) {
        v.proposal = pol_tt_capacity(tt_base(p), latest(p->high), p->cfg->target_value);
        if (v.proposal > desired)
            v.want = 1;
    } else if (cwa_state_of(p->low) == CWA_ALARM && !p->cfg->disable_scale_in) {
        /* AlarmLow stays in ALARM on the datapoints of the fleet before the
           last change; ceil(new capacity x old metric / target) would remove
           capacity a second time (and flap back out). Scale in again only on a
           metric measured entirely on the current fleet: "desired = ceil(capacity
           x metric / target)" with the metric of that capacity (aws-semantics 2.1;
           scale-in is conservative). */
        sim_time_t t0 = cwa_last_point_start(p->low);
        if (p->tt_changed_at >= 0 && (t0 < 0 || t0 < p->tt_changed_at)) {
            v.warming = true;
            return v;
        }
        v.proposal = pol_tt_capacity(tt_base(p), latest(p->low), p->cfg->target_value);
        if (v.proposal < desired)
            v.want = -1;
    }
    return v;
}

void pol_tt_group_tick(pol *const *tt, size_t n, sim_time_t now)
{
    if (n == 0)
        return;
    pol_tt_vote stack[16];
    pol_tt_vote *v = n <= 16 ? stack : malloc(n * sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = pol_tt_vote_of(tt[i]);
    asg *g = tt[0]->g;
    int desired = asg_desired(g), who = -1;
    int want = pol_tt_combine(v, n, desired, &who);
    if (who >= 0 && want != desired) {
        pol *p = tt[who];
        cw_alarm *a = v[who].want > 0 ? p->high : p->low;
        char detail[96];
        snprintf(detail, sizeof detail, " (metric %.2f, target %.2f)", latest(a), p->cfg->target_value);
        if (set_desired(p, want, cwa_name(a), "ALARM", "target tracking", detail))
            for (size_t i = 0; i < n; i++)
                tt[i]->tt_changed_at = now;
    }
    if (v != stack)
        free(v);
}
