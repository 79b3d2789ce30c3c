/*
 * cw_alarm.h - CloudWatch metric alarms (aws-semantics 3.2, 11.12, 11.13).
 *
 * The evaluator (cwa_evaluate) is a pure function over a window of
 * datapoints, oldest first: the evaluation range of N + 2 periods (AWS's
 * example "N = 3 fetches 5"). An alarm object evaluates every minute over a
 * sliding window of its metric series, logs each transition ("alarm" events)
 * and runs its actions: every action on a transition, and Auto Scaling
 * (policy) actions again every minute while the state holds.
 */
#ifndef FLEETSIM_CW_ALARM_H
#define FLEETSIM_CW_ALARM_H

#include <stdbool.h>
#include <stddef.h>

#include "models/cloudwatch/cloudwatch.h"
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef enum cwa_state { CWA_INSUFFICIENT_DATA, CWA_OK, CWA_ALARM } cwa_state;

/* "OK", "ALARM" or "INSUFFICIENT_DATA". */
const char *cwa_state_name(cwa_state s);

/* The evaluation rule of one alarm. */
typedef struct cwa_rule {
    int n;                   /* evaluation_periods */
    int m;                   /* datapoints_to_alarm */
    double threshold;
    scn_comparison cmp;
    scn_missing missing;     /* treat_missing_data */
} cwa_rule;

/* What one evaluation saw (for the state reason). */
typedef struct cwa_result {
    cwa_state state;
    int evaluated;           /* points the decision used (real + substituted) */
    int breaching;           /* of those, breaching */
    int real;                /* real points in the evaluation range */
    int substituted;         /* missing points filled per treat_missing_data */
    bool premature;          /* ALARM by the premature-alarm rule */
    bool kept;               /* state kept (ignore, or missing with points that decide nothing) */
} cwa_result;

/* Number of periods an alarm with N evaluation periods fetches: N + 2 (aws-semantics 3.2). */
int cwa_range(int n);

/* True if value v breaches threshold under cmp. */
bool cwa_breaches(scn_comparison cmp, double v, double threshold);

/* The comparison as AWS words it in a state reason ("greater than", "less than or equal to"). */
const char *cwa_cmp_words(scn_comparison cmp);

/*
 * One evaluation: v[0..len) oldest first, present[i] = 0 for a missing
 * period; `current` is the alarm's state before. Returns the new state and
 * fills *res (may be NULL). Rules (aws-semantics 3.2), in order:
 *  1. at least N real points in the range: the most recent N real points
 *     decide, ALARM iff >= M of them breach;
 *  2. breaching / notBreaching: the real points plus N - real substituted
 *     points decide the same way;
 *  3. missing / ignore: the premature-alarm rule - within the last N periods,
 *     the oldest breaching real point is at least M periods old (the newest
 *     period is 1 old) and every later period is breaching or missing -> ALARM;
 *     >= M breaching real points -> ALARM;
 *  4. missing: no real point -> INSUFFICIENT_DATA; a non-breaching real
 *     point -> OK; only breaching real points (too few, too recent) -> the
 *     state is kept (missing points are not considered, and breaching ones
 *     are no evidence for OK);
 *     ignore: the state is kept (AWS: "the current alarm state is maintained").
 */
cwa_state cwa_evaluate(const cwa_rule *r, const double *v, const unsigned char *present,
                       size_t len, cwa_state current, cwa_result *res);

/* Writes AWS-style StateReason text for res into buf ("Threshold Crossed: 3 out of the last 3 datapoints [72.1, 80.3, 75.0] were greater than the threshold (50.0) ..."). */
void cwa_reason(const cwa_rule *r, const double *v, const unsigned char *present, size_t len,
                const cwa_result *res, char *buf, size_t n);

/* ---------------------------------------------------------------- alarm objects */

typedef struct cw_alarm cw_alarm;

/* An alarm action callback: runs action `act` of the list for the alarm's state. */
typedef void (*cwa_action_fn)(void *ctx, cw_alarm *a, const scn_action *act, bool transition, sim_time_t t);

/* Alarm configuration beyond the rule. */
typedef struct cwa_config {
    const char *name;
    cwa_rule rule;
    sim_time_t period;       /* a multiple of 60 s (high resolution is not supported yet) */
    scn_statistic stat;
    double percentile;
    bool actions_enabled;
    /* action lists by state (copied) */
    scn_action alarm_actions[SCN_MAX_ACTIONS]; size_t n_alarm_actions;
    scn_action ok_actions[SCN_MAX_ACTIONS]; size_t n_ok_actions;
    scn_action insufficient_actions[SCN_MAX_ACTIONS]; size_t n_insufficient_actions;
} cwa_config;

/* An alarm on series se in INSUFFICIENT_DATA (a new alarm's state); ev may be NULL (no log). NULL on OOM or a period not a multiple of 60 s. */
cw_alarm *cwa_new(const cwa_config *cfg, cw_series *se, events_log *ev);

/* Frees the alarm; NULL is a no-op. */
void cwa_free(cw_alarm *a);

/* Sets the callback that runs actions (ctx is passed back). */
void cwa_set_action_fn(cw_alarm *a, cwa_action_fn fn, void *ctx);

/*
 * Evaluates at `now` (a whole minute) over the N + 2 periods ending at now;
 * logs a transition as an "alarm" event; then, when actions are enabled,
 * runs on a transition every action of the new state's list, and otherwise
 * only the SCN_ACT_POLICY actions of the current state's list (Auto Scaling
 * actions re-run every minute while the state holds; aws-semantics 3.2, 2.3).
 */
void cwa_tick(cw_alarm *a, sim_time_t now);

/* The alarm's name, state, threshold, comparison and rule. */
const char *cwa_name(const cw_alarm *a);
cwa_state cwa_state_of(const cw_alarm *a);
const cwa_rule *cwa_rule_of(const cw_alarm *a);

/* The real datapoints of the last evaluation, oldest first (at most the N most recent); returns their number. */
size_t cwa_last_points(const cw_alarm *a, const double **v);

/* The start of the period of the newest real datapoint of the last evaluation (all its samples are from then on); -1 when none. */
sim_time_t cwa_last_point_start(const cw_alarm *a);

/* Transitions so far (for tests and reports). */
uint64_t cwa_transitions(const cw_alarm *a);

#endif /* FLEETSIM_CW_ALARM_H */
