/*
 * target_group.h - an ALB target group: the registered targets, their health
 * (checks, thresholds), deregistration (draining), slow start, and the
 * routing algorithm that picks one per request.
 *
 * Targets are EC2 instances, addressed by a stable index (the slot they got at
 * their first registration). The ALB keeps the count of requests it has
 * outstanding at each target here, because least_outstanding_requests and
 * draining read it.
 *
 * Two kinds of group:
 *  - tg_new_cfg(s, cfg): the AWS model (aws-semantics 4.2, 4.3): targets start
 *    `initial`, health checks run on the kernel, deregistration drains for
 *    deregistration_delay, slow start applies;
 *  - tg_new(name, algorithm): the legacy fixed-fleet group (no kernel):
 *    targets are healthy at once, there are no health checks, and
 *    tg_deregister takes a target out at once (drained_fn called at once).
 */
#ifndef FLEETSIM_TARGET_GROUP_H
#define FLEETSIM_TARGET_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/ec2/instance.h"
#include "models/core/api.h"
#include "models/core/scenario.h"
#include "sim/sim.h"
#include "stats/events.h"

typedef struct tg tg;

/* Target health states (aws-semantics 4.2); TG_UNUSED = not registered (never, or deregistration finished). */
typedef enum tg_state { TG_UNUSED = 0, TG_INITIAL, TG_HEALTHY, TG_UNHEALTHY, TG_DRAINING } tg_state;

/* Called at every state change of a target, synchronously, as the last step of what changed it (a check event, tg_register, tg_deregister, the end of draining). */
typedef void (*tg_health_fn)(void *ctx, tg *g, ec2_instance *i, tg_state from, tg_state to);

/* Called once when a deregistered target has finished draining (it is TG_UNUSED by then); always from a kernel event of its own for kernel-backed groups. */
typedef void (*tg_drained_fn)(void *ctx, tg *g, ec2_instance *i);

/* Called by the group when deregistration_delay expires at target idx with requests outstanding: the ALB answers each of them 502 and calls tg_outstanding_dec (aws-semantics 4.3). */
typedef void (*tg_expire_fn)(void *ctx, tg *g, int idx);

/* An empty legacy group (no kernel: healthy at once, no checks, instant deregistration); name is copied. NULL on OOM. */
tg *tg_new(const char *name, scn_lb_algorithm algorithm);

/* An empty group configured by cfg (name, algorithm, health check, deregistration delay, slow start; cfg is copied); checks draw their phase from sim_rng(s, "tg.<name>/hc"). NULL on OOM or a bad health check (interval <= 0, thresholds < 1). */
tg *tg_new_cfg(sim *s, const scn_target_group *cfg);

/* Frees the group (not its instances; its pending events must not fire afterwards: free the kernel too). NULL is a no-op. */
void tg_free(tg *g);

/* Registers i: state initial, first check at a random phase in [0, interval) (legacy: healthy at once); returns its stable index, -1 on OOM or if i is draining. Registering a registered target is a no-op returning its index. */
int tg_register(tg *g, ec2_instance *i);

/* Registers i as already healthy: a target of the stack deployed before t = 0, which passed its checks then (health checks run from now on as for any target). Same returns as tg_register. */
int tg_register_healthy(tg *g, ec2_instance *i);

/* Deregisters i: draining at once (no new requests), TG_UNUSED and drained_fn(ctx, g, i) when its last outstanding request is answered (or at once, through a zero-delay event, if none) or at deregistration_delay expiry (outstanding requests answered 502 then). drained_fn may be NULL. Returns 0, or -1 if i is not registered or already draining. */
int tg_deregister(tg *g, ec2_instance *i, tg_drained_fn drained_fn, void *ctx);

/* Logs each transition a health check causes (initial/unhealthy -> healthy, initial/healthy -> unhealthy) as a "target_health" event with the checks behind it; ev NULL: none. */
void tg_set_events(tg *g, events_log *ev);

/* Sets the one health listener (NULL removes it). */
void tg_set_health_listener(tg *g, tg_health_fn fn, void *ctx);

/* The state of i in g (TG_UNUSED if it is not registered). */
tg_state tg_target_state(const tg *g, const ec2_instance *i);

/* "unused", "initial", "healthy", "unhealthy", "draining" (AWS's TargetHealth.State words). */
const char *tg_state_name(tg_state st);

/* Targets healthy now, and unhealthy now (initial and draining targets count in neither: UnHealthyHostCount, aws-semantics 4.5). */
size_t tg_n_healthy(const tg *g);
size_t tg_n_unhealthy(const tg *g);

/* Targets draining now. */
size_t tg_n_draining(const tg *g);

/* The target for the next request, or -1 if no target is registered (503): healthy targets only; fail-open to every registered non-draining target when none is healthy; r draws weighted_random picks and slow-start acceptance. */
int tg_pick(tg *g, gsl_rng *r);

/* The instance behind a target index. */
ec2_instance *tg_target(const tg *g, int idx);

/* Outstanding-request bookkeeping (the ALB calls these at dispatch and at answer/timeout); the last answer of a draining target ends its draining. */
void tg_outstanding_inc(tg *g, int idx);
void tg_outstanding_dec(tg *g, int idx);
uint32_t tg_outstanding(const tg *g, int idx);

/* The ALB side of draining: fn(ctx, g, idx) is called at a target's deregistration-delay expiry; tg_detach_lb removes the hook with that ctx. 0, or -1 on OOM. */
int tg_attach_lb(tg *g, tg_expire_fn fn, void *ctx);
void tg_detach_lb(tg *g, void *ctx);

/* Targets registered and not draining now, and targets ever registered (indices are 0 .. tg_n_slots-1). */
size_t tg_n_registered(const tg *g);
size_t tg_n_slots(const tg *g);

/* The slow-start weight of target idx now: 1 outside slow start, (now - start) / slow_start during it (aws-semantics 4.3). */
double tg_slow_start_weight(const tg *g, int idx);

/* The group's name. */
const char *tg_name(const tg *g);

/* The state of target idx (0 .. tg_n_slots-1); TG_UNUSED out of range. */
tg_state tg_slot_state(const tg *g, int idx);

/* The health check's timeout (4.2): how long a check, or a function's GET of the check path, waits for an answer. */
sim_time_t tg_check_timeout(const tg *g);

/* The target group's API calls (elasticloadbalancing:DescribeTargetHealth, http:GET; target_group_api.c). */
extern const api_op_spec tg_api_ops[];

#endif /* FLEETSIM_TARGET_GROUP_H */
