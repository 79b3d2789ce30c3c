/*
 * scaling_policy.h - EC2 Auto Scaling dynamic scaling policies: simple, step
 * and target tracking (aws-semantics 1.6, 2.1-2.3, 11.2-11.4).
 *
 * The arithmetic is in pure functions (rounding, step lookup, the target
 * tracking formula and the multi-policy combination) so tests can check it
 * without a group. Policy objects drive a group through asg.h:
 *  - simple and step policies act when one of their alarms runs its action
 *    (pol_on_alarm: every minute while the alarm stays in ALARM);
 *  - target tracking policies own two alarms the control plane creates
 *    (pol_tt_set_alarms) and are combined per group each minute
 *    (pol_tt_group_tick).
 */
#ifndef FLEETSIM_SCALING_POLICY_H
#define FLEETSIM_SCALING_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "models/autoscaling/asg.h"
#include "models/cloudwatch/cw_alarm.h"
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

/* ---------------------------------------------------------------- arithmetic */

/*
 * PercentChangeInCapacity as a whole number of instances (aws-semantics 2.2):
 * x = capacity x pct / 100; x >= 1 rounds down, x in (0, 1) -> 1,
 * x in (-1, 0) -> -1, x <= -1 rounds toward zero; then, when
 * min_magnitude > 0, |result| is raised to at least min_magnitude.
 */
int pol_percent_delta(int capacity, double pct, int min_magnitude);

/* The capacity an adjustment asks for from `base`: ChangeInCapacity base + adj, ExactCapacity adj, PercentChangeInCapacity base + pol_percent_delta(base, adj, min_magnitude). */
int pol_adjusted(scn_adjustment type, int base, int adj, int min_magnitude);

/*
 * The step whose interval holds metric - threshold, or -1 (aws-semantics 2.2):
 * steps above the threshold (lower bound >= 0) are [lower, upper), steps below
 * it (upper bound <= 0) are (lower, upper]; a step spanning the threshold takes
 * the rule of the side the value is on. Null bounds are -inf / +inf.
 */
int pol_step_find(const scn_step *steps, size_t n, double metric, double threshold);

/* metric_aggregation_type over the alarm's latest datapoints (Average, Minimum, Maximum); NAN when n = 0. */
double pol_aggregate(scn_aggregation agg, const double *v, size_t n);

/*
 * Target tracking's new capacity (aws-semantics 2.1, an inference AWS does
 * not publish): ceil(capacity x metric / target), so +1.5 -> +2 and
 * -1.5 -> -1 (capacity is kept). A 1e-9 relative tolerance keeps exact
 * ratios exact (4 x 75 / 50 = 6, not 7).
 */
int pol_tt_capacity(int capacity, double metric, double target);

/* One target tracking policy's wish for this minute. */
typedef struct pol_tt_vote {
    int want;                /* +1 scale out, -1 scale in, 0 hold */
    int proposal;            /* the capacity it asks for (want != 0) */
    bool scale_in_enabled;   /* !disable_scale_in */
    bool warming;            /* instances launching or warming up under this policy's warmup */
} pol_tt_vote;

/*
 * Combines the group's target tracking votes (aws-semantics 2.1 "any out, all
 * in"): if any vote wants out, the largest outward proposal; otherwise, if at
 * least one policy has scale-in enabled and every such policy wants in and no
 * vote sees warming instances, the largest inward proposal (the one that
 * removes least); otherwise `desired`. Returns the index of the deciding vote
 * in *who (-1 when unchanged).
 */
int pol_tt_combine(const pol_tt_vote *v, size_t n, int desired, int *who);

/* ---------------------------------------------------------------- policy objects */

typedef struct pol pol;

/* A policy of group g from cfg (borrowed: must outlive it); ev may be NULL. NULL on OOM. */
pol *pol_new(const scn_policy *cfg, asg *g, events_log *ev);

/* Frees the policy (not its alarms); NULL is a no-op. */
void pol_free(pol *p);

/* The policy's name, config and group. */
const char *pol_name(const pol *p);
const scn_policy *pol_config(const pol *p);
asg *pol_group(const pol *p);

/* The warmup the policy applies: estimated_instance_warmup, else the group's default (default_instance_warmup, else default_cooldown; aws-semantics 1.6). */
sim_time_t pol_warmup(const pol *p);

/*
 * A simple or step policy's alarm action at `now`: the alarm a is in a state
 * whose action list names this policy. Simple: one adjustment, then ignores
 * actions until its activity completes and the cooldown (policy cooldown,
 * else default_cooldown) passes, logging the first ignored action of each
 * cooldown. Step: the step of the aggregated metric, not blocked by cooldowns,
 * warming instances count toward capacity and block scale-in.
 */
void pol_on_alarm(pol *p, cw_alarm *a, sim_time_t now);

/* The group's in-progress activities all completed at `now`: a simple policy waiting on its activity starts its cooldown. */
void pol_on_activity_done(pol *p, sim_time_t now);

/* A target tracking policy's alarms (borrowed; owned by the control plane). */
void pol_tt_set_alarms(pol *p, cw_alarm *high, cw_alarm *low);

/*
 * This minute's vote of a target tracking policy (after its alarms were
 * evaluated): out when AlarmHigh is in ALARM and ceil(settled x metric /
 * target) exceeds desired; in when AlarmLow is in ALARM, scale-in is enabled
 * and the proposal is below desired. settled = InService instances past the
 * policy's warmup; warming = instances launching or warming up, or a scaling
 * activity (draining) in progress.
 */
pol_tt_vote pol_tt_vote_of(pol *p);

/* Combines the votes of the n target tracking policies of one group and sets the new desired capacity with a console-like cause. */
void pol_tt_group_tick(pol *const *tt, size_t n, sim_time_t now);

/* Desired-capacity changes this policy made (for tests and reports). */
uint64_t pol_changes(const pol *p);

/* Alarm actions this policy ignored during its cooldown (simple only). */
uint64_t pol_ignored(const pol *p);

#endif /* FLEETSIM_SCALING_POLICY_H */
