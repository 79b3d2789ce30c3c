/*
 * target_group.h - an ALB target group: the registered targets and the
 * routing algorithm that picks one per request.
 *
 * Targets are EC2 instances, addressed by a stable index (the slot they got at
 * their first registration). The ALB keeps the count of requests it has
 * outstanding at each target here, because least_outstanding_requests reads it.
 */
#ifndef FLEETSIM_TARGET_GROUP_H
#define FLEETSIM_TARGET_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/instance.h"
#include "models/scenario.h"

typedef struct tg tg;

/* An empty target group; name is copied. NULL on OOM. */
tg *tg_new(const char *name, scn_lb_algorithm algorithm);

/* Frees the group (not its instances). NULL is a no-op. */
void tg_free(tg *g);

/* Registers i (healthy and in service at once in this issue); returns its stable index, or -1 on OOM. Registering twice is a no-op. */
int tg_register(tg *g, ec2_instance *i);

/* Deregisters i: it receives no new requests (deregistration delay is the Auto Scaling work's). Returns 0, or -1 if not registered. */
int tg_deregister(tg *g, ec2_instance *i);

/* The target for the next request by the group's algorithm, or -1 if none is registered; r draws weighted_random picks. */
int tg_pick(tg *g, gsl_rng *r);

/* The instance behind a target index. */
ec2_instance *tg_target(const tg *g, int idx);

/* Outstanding-request bookkeeping for least_outstanding_requests (the ALB calls these at dispatch and answer/timeout). */
void tg_outstanding_inc(tg *g, int idx);
void tg_outstanding_dec(tg *g, int idx);
uint32_t tg_outstanding(const tg *g, int idx);

/* Targets registered now, and targets ever registered (indices are 0 .. tg_n_slots-1). */
size_t tg_n_registered(const tg *g);
size_t tg_n_slots(const tg *g);

/* The group's name and algorithm. */
const char *tg_name(const tg *g);
scn_lb_algorithm tg_algorithm(const tg *g);

#endif /* FLEETSIM_TARGET_GROUP_H */
