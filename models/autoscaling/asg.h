/*
 * asg.h - an EC2 Auto Scaling group: desired-capacity reconciliation, the
 * instance lifecycle (Pending -> InService -> Terminating -> Terminated),
 * AZ balancing, health checks and replacement, termination policies,
 * scale-in protection, deregistration before termination, instance refresh.
 *
 * Interface for the control plane (scaling policies, scheduled actions,
 * predictive scaling, CloudWatch): read capacity, ask for a new desired
 * capacity with a cause, be told when an activity completes (cooldowns), and
 * sample the group's metrics. The group logs every activity to the events log.
 * Faults and operations (models/faults) act on the group through the
 * functions at the end: they pick what fails, the group reacts.
 */
#ifndef FLEETSIM_ASG_H
#define FLEETSIM_ASG_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/api.h"
#include "models/core/aws_event.h"
#include "models/ec2/instance.h"
#include "models/core/metric.h"
#include "models/core/scenario.h"
#include "models/elb/target_group.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct asg asg;

/* Told of each EC2 instance the group creates, when it enters running (billing starts); the group keeps ownership (asg_free frees it). */
typedef void (*asg_ec2_fn)(void *ctx, ec2_instance *i);

/*
 * Builds group sc->asgs[index]: desired_capacity instances InService at t = 0
 * (the stack is deployed), registered in its target groups (tgs[k] is
 * scenario.target_groups[k], borrowed); schedules the group's health sweep
 * (faults and operations are models/faults'). Logs to ev (borrowed); on_ec2
 * may be NULL. NULL with a message in err on a bad config or OOM.
 */
asg *asg_new(sim *s, const scenario *sc, size_t index, tg *const *tgs, events_log *ev,
             asg_ec2_fn on_ec2, void *ctx, char *err, size_t errlen);

/* Frees the group and every EC2 instance it created; NULL is a no-op. */
void asg_free(asg *g);

/* Bytes one served request counts toward NetworkIn / NetworkOut (the workload's request_bytes / response_bytes); defaults 1000 / 10000. */
void asg_set_network_bytes(asg *g, double in_bytes, double out_bytes);

/* What the group did over the run, for reports. */
typedef struct asg_counts {
    uint64_t launches;        /* instances that reached InService after t = 0 */
    uint64_t terminations;    /* instances that reached Terminated */
    uint64_t replacements;    /* health replacements (EC2 or ELB) started */
    uint64_t launch_failures; /* launches refused by an unavailable zone */
    uint64_t waits;           /* lifecycle-hook waits entered (Pending:Wait, Terminating:Wait) */
    uint64_t hook_timeouts;   /* waits ended by the heartbeat or the global timeout */
    uint64_t abandoned;       /* waits ended with ABANDON (by a call or a timeout) */
    uint64_t boot_scripts;    /* boot scripts that ended (the license claim: DESIGN 3b) */
    uint64_t boot_script_failures;
    uint64_t boot_script_retries; /* retries of their retried span, summed */
    int min_in_service, max_in_service; /* over the run, t = 0 included */
    uint64_t interruptions;           /* Spot instances reclaimed (aws-semantics 5.2) */
    uint64_t rebalance_recommendations;
    uint64_t rebalance_replacements;  /* Capacity Rebalancing launches (1.8) */
    uint64_t capacity_errors;         /* launches refused InsufficientInstanceCapacity by every pool tried */
} asg_counts;

/* How long the boot scripts that ended took, ns (stats/histogram.h). */
const struct hist *asg_boot_script_times(const asg *g);

/* The group's counters so far. */
asg_counts asg_get_counts(const asg *g);

/* Every instance the group launched (any state), in launch order: count, and instance k's id / lifecycle state name ("Pending", "Pending:Wait", "InService", "Terminating", "Terminating:Wait", "Terminated"). */
size_t asg_n_instances(const asg *g);
const char *asg_instance_id(const asg *g, size_t k);
const char *asg_instance_state(const asg *g, size_t k);

/* Instance k's availability zone (known from the launch on, EC2-pending included). */
const char *asg_instance_az(const asg *g, size_t k);

/* Instance k's EC2 instance, NULL while still EC2-pending (not yet running). */
ec2_instance *asg_instance_ec2(const asg *g, size_t k);

/* Protects (or unprotects) instance k from scale-in (SetInstanceProtection); unprotecting lets a held scale-in proceed. */
void asg_set_protected(asg *g, size_t k, bool on);

/* The group's name and its validated config. */
const char *asg_name(const asg *g);
const scn_asg *asg_config(const asg *g);

/* Current min, max and desired capacity. */
int asg_min(const asg *g);
int asg_max(const asg *g);
int asg_desired(const asg *g);

/* Instances that count toward desired: Pending + InService (not Terminating). */
int asg_capacity(const asg *g);

/* Instances InService now. */
int asg_in_service(const asg *g);

/* Instances InService for less than `warmup` (warming up); 0 when warmup <= 0. */
int asg_warming(const asg *g, sim_time_t warmup);

/* The warmup the group applies to policies without their own: default_instance_warmup if set, else default_cooldown (aws-semantics 1.6). */
sim_time_t asg_default_warmup(const asg *g);

/*
 * Sets desired capacity (clamped to [min, max]) and starts the launches or
 * terminations that reach it; logs a "scaling" event "desired A -> B" with
 * `cause`. Returns the new desired capacity. Ignores cooldowns (callers that
 * honour one check it first).
 */
int asg_set_desired(asg *g, int desired, const char *cause);

/* UpdateAutoScalingGroup: new min/max/desired (-1 = unchanged) with AWS's side effects (a new min above desired raises it, a new max below lowers it). */
void asg_set_limits(asg *g, int min, int max, int desired, const char *cause);

/* True while a scaling activity (a launch not yet InService, a termination not yet drained) is in progress. */
bool asg_activity_in_progress(const asg *g);

/* Registers fn(ctx) to be called each time the group's in-progress activities all complete (the moment a cooldown starts, aws-semantics 1.6). One listener per group; NULL removes it. */
void asg_set_activity_listener(asg *g, void (*fn)(void *ctx, asg *g), void *ctx);

/* Registers fn(ctx, g, what, instance_id) for autoscaling:EC2_INSTANCE_LAUNCH / _TERMINATE (SCN_NOTIFY_*) notifications. One listener per group. */
void asg_set_notify_listener(asg *g, void (*fn)(void *ctx, asg *g, unsigned what, const char *instance_id), void *ctx);

/*
 * One period's samples of a group metric over [t0, t1): SCN_M_EC2_CPU (each
 * InService, non-warming instance's CPU % over the period is one sample),
 * SCN_M_EC2_NETWORK_IN/OUT (bytes per instance), SCN_M_ASG_DESIRED,
 * SCN_M_ASG_IN_SERVICE. Instances within the group's default_instance_warmup
 * are left out (aws-semantics 1.6). Returns 0 (out->count may be 0: no data), -1 for a metric the group does not publish.
 */
int asg_sample(asg *g, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out);

/* ---------------------------------------------------------------- lifecycle hooks (aws-semantics 1.7) */

enum { ASG_HOOK_LAUNCHING = 0, ASG_HOOK_TERMINATING = 1 };   /* autoscaling:EC2_INSTANCE_LAUNCHING / _TERMINATING */
enum { ASG_RESULT_CONTINUE = 0, ASG_RESULT_ABANDON = 1 };

/* One lifecycle hook as the group runs it (strings are copied). */
typedef struct asg_hook {
    const char *name;          /* LifecycleHookName */
    int transition;            /* ASG_HOOK_* */
    sim_time_t heartbeat;      /* HeartbeatTimeout */
    int default_result;        /* ASG_RESULT_*: applied when the wait times out */
    const char *metadata;      /* NotificationMetadata ("" for none) */
    scn_loc loc;               /* where it was declared: hooks of one transition run in file order */
} asg_hook;

typedef struct wb wb;

/* Adds hook h to the group (before the run starts); 0, or -1 out of memory. */
int asg_add_hook(asg *g, const asg_hook *h);

/* Gives the group the world it puts its EventBridge events on (wb_put_event; without it no event is put), and starts the boot scripts of the instances deployed at t = 0. */
void asg_set_world(asg *g, wb *b);

/* CompleteLifecycleAction now from caller (for the events log): the wait of hook `hook` identified by token (or, token NULL or "", by instance_id) ends with result (ASG_RESULT_*). 0, or -1 when no such action is pending (NOT_FOUND, logged). */
int asg_complete_action(asg *g, const char *caller, const char *hook, const char *token, const char *instance_id,
                        int result);

/* RecordLifecycleActionHeartbeat now: the pending wait (same lookup) gets a full heartbeat timeout from now, within the global timeout. 0, or -1 when none is pending (logged). */
int asg_record_heartbeat(asg *g, const char *caller, const char *hook, const char *token, const char *instance_id);

/* The Auto Scaling API calls a group serves (asg_api.c), in the vocabulary (api_vocab.c). */
extern const api_op_spec asg_api_ops[];

/* Also hands every event the group puts to fn(ctx, ev) (tests and tools); NULL removes it. */
void asg_set_event_tap(asg *g, aev_sink_fn fn, void *ctx);

/* The group's own random stream for the latency of the API calls it serves ("asg.<name>/api"). */
gsl_rng *asg_api_rng(const asg *g);

/* The pool the group's API calls in flight are allocated from, of objects of obj_size bytes (the first call fixes it; owned by the kernel); NULL out of memory. */
sim_pool *asg_api_pool(asg *g, size_t obj_size);

/* The lifecycle-action token of instance k's current wait, or NULL when it is not waiting. */
const char *asg_instance_token(const asg *g, size_t k);

/* ---------------------------------------------------------------- for faults and operations */

/* Is `zone` one of the group's availability zones? */
bool asg_uses_zone(const asg *g, const char *zone);

/* Instances k[0..n) (asg_instance_* indices, InService) leave running at once (ec2_crash), then the EC2 health check replaces each (logged with `cause`), then launches restore capacity. */
void asg_crash_instances(asg *g, const size_t *k, size_t n, const char *cause);

/* down: launches into `zone` fail and its live instances leave running and are replaced now (logged with `cause`); !down: launches there resume and AZ rebalancing starts. No-op for a zone the group does not use. */
void asg_zone_outage(asg *g, const char *zone, bool down, const char *cause);

/* True while an activity is in progress or less than default_cooldown has passed since the last one ended (what HonorCooldown waits for). */
bool asg_in_cooldown(const asg *g);

/* Schedules h(s, obj, arg) for when the cooldown ends: with activities in progress, when the last completes (one such wait per group: a later call replaces it), else at the last end + default_cooldown (now if that has passed). */
void asg_after_cooldown(asg *g, sim_handler h, void *obj, uint64_t arg);

/* StartInstanceRefresh: switches to launch template lt (-1 or invalid: keeps the group's) and replaces every older instance in batches that keep min_healthy_pct % of desired healthy, each batch waiting warmup (-1: default_instance_warmup, else the grace period). */
void asg_start_instance_refresh(asg *g, int lt, int min_healthy_pct, sim_time_t warmup);

/* ---------------------------------------------------------------- Spot and capacity (aws-semantics 1.8, 5.2, 12.2) */

/* Is instance k a Spot instance (launched into a Spot pool of the mixed instances policy)? */
bool asg_instance_spot(const asg *g, size_t k);

/* Instance k's instance type name (its launch template override's, else the template's). */
const char *asg_instance_type(const asg *g, size_t k);

/* Instance k's capacity units (its override's weighted_capacity; 1 without weights). */
int asg_instance_weight(const asg *g, size_t k);

/*
 * aws:ec2:send-spot-instance-interruptions on instance k: the rebalance recommendation now, the
 * interruption notice at now + before - 2 min, the reclaim at now + before (before is clamped to at
 * least 2 min; aws-semantics 12.2). Logged with cause. 0, or -1 when k is not a running Spot instance
 * or is already being interrupted.
 */
int asg_spot_interrupt(asg *g, size_t k, sim_time_t before, const char *cause);

/*
 * A reclaim wave now in the Spot pools matching itype and az (NULL: any): ceil(fraction x their running
 * Spot instances), at least min_count if that many run, picked uniformly from each pool's stream,
 * get the notice (and the rebalance recommendation) now and are reclaimed 2 minutes later. Returns how
 * many were hit.
 */
int asg_spot_reclaim_wave(asg *g, const char *itype, const char *az, double fraction, int min_count,
                          const char *cause);

/*
 * InsufficientInstanceCapacity: percentage % (1..100) of the group's launch attempts into the pools
 * matching itype, az (NULL: any) and market (0 On-Demand, 1 Spot, -1 both) fail over [from, to);
 * the group tries its next pool, and a launch fails only when every pool does (FIS
 * aws:ec2:asg-insufficient-instance-capacity-error, 12.2). The group retries failed launches when a
 * window ends. Returns the number of pools blocked (0: none matched), -1 on a bad argument or OOM.
 */
int asg_capacity_block(asg *g, const char *itype, const char *az, int market, int percentage, sim_time_t from,
                       sim_time_t to);

/* Instance-hours and USD of the group's instances up to `end`, by market (the report's On-Demand / Spot split); od_equiv_usd: what the Spot instance-hours would have cost On-Demand. */
typedef struct asg_market_use {
    double od_hours, spot_hours;
    double od_usd, spot_usd, spot_od_equiv_usd;
} asg_market_use;
asg_market_use asg_get_market_use(const asg *g, sim_time_t end);

/* How long Spot replacements took, ns: from the signal they answer (the rebalance recommendation or notice with capacity_rebalance, else the reclaim) to InService (stats/histogram.h). */
const struct hist *asg_spot_replacement_times(const asg *g);

#endif /* FLEETSIM_ASG_H */
