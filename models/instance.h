/*
 * instance.h - an EC2 instance as a queueing station: `vcpus` workers
 * sharing one FIFO queue (an M/G/c station when arrivals are Poisson).
 *
 * Interface to the rest of the house: the ALB hands work in with
 * ec2_submit(); the instance hands every finished request back through the
 * ec2_done_fn given at creation, then lets go of it (REQ_SERVER_DONE).
 * Reports read busy time, requests served and the launch/termination times
 * (for billing).
 */
#ifndef FLEETSIM_INSTANCE_H
#define FLEETSIM_INSTANCE_H

#include <stdint.h>

#include "models/request.h"
#include "models/scenario.h"
#include "sim/sim.h"

typedef struct ec2_instance ec2_instance;

/* Called when the instance has finished r's work; r stays valid during the call, the instance releases its hold right after. */
typedef void (*ec2_done_fn)(void *ctx, req *r);

/* A running instance launched at sim_now(s); id and az are copied; type is borrowed. NULL on OOM or a bad type (vcpus < 1, speed <= 0). */
ec2_instance *ec2_new(sim *s, const char *id, const scn_itype *type, const char *az,
                      ec2_done_fn done, void *ctx);

/* Frees the instance (requests it still holds belong to the pool, which the kernel frees). NULL is a no-op. */
void ec2_free(ec2_instance *i);

/* Accepts r now: a free worker starts it, otherwise it waits in the FIFO queue. */
void ec2_submit(ec2_instance *i, req *r);

/* Integral of busy workers over [launch, now], in worker-nanoseconds (exact integer). */
int64_t ec2_busy_ns(const ec2_instance *i, sim_time_t now);

/* Requests finished so far. */
uint64_t ec2_served(const ec2_instance *i);

/* Requests on the instance now (in service + queued). */
uint32_t ec2_in_system(const ec2_instance *i);

/* Workers (vCPUs) of the instance. */
int ec2_vcpus(const ec2_instance *i);

/* Identity: "i-<resource>-<n>", the availability zone, the type. */
const char *ec2_id(const ec2_instance *i);
const char *ec2_az(const ec2_instance *i);
const scn_itype *ec2_type(const ec2_instance *i);

/* When the instance entered running, and when it was terminated (-1 while running). */
sim_time_t ec2_launched(const ec2_instance *i);
sim_time_t ec2_terminated(const ec2_instance *i);

#endif /* FLEETSIM_INSTANCE_H */
