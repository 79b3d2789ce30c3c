/*
 * instance.h - an EC2 instance as a queueing station: `vcpus` workers
 * sharing one FIFO queue (an M/G/c station when arrivals are Poisson).
 *
 * Interface to the rest of the house: a dispatcher (the ALB) hands work in
 * with ec2_submit() after setting r->sink; the instance hands every finished
 * request back through r->sink, then lets go of it (REQ_SERVER_DONE).
 * Reports read busy time, requests served and the launch/termination times
 * (for billing).
 *
 * Outcomes travel on the request: before handing r back through r->sink
 * the instance sets REQ_TARGET_500 (its app is unhealthy: the ALB
 * relays a 500) or REQ_TARGET_RESET (it crashed or was terminated with r held:
 * the ALB answers 502). A request submitted to an instance that is no longer
 * running is handed back at once with REQ_TARGET_RESET.
 */
#ifndef FLEETSIM_INSTANCE_H
#define FLEETSIM_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/core/api.h"
#include "models/core/request.h"
#include "models/core/scenario.h"
#include "sim/sim.h"

typedef struct ec2_instance ec2_instance;

/* A running instance launched at sim_now(s); id and az are copied; type is borrowed; finished requests go back through r->sink. NULL on OOM or a bad type (vcpus < 1, speed <= 0). */
ec2_instance *ec2_new(sim *s, const char *id, const scn_itype *type, const char *az);

/* Frees the instance (requests it still holds belong to the pool, which the kernel frees). NULL is a no-op. */
void ec2_free(ec2_instance *i);

/* The default accept backlog: nginx's listen backlog on Linux (511). */
#define EC2_ACCEPT_BACKLOG 511u

/* Sets how many requests may wait for a worker (0: no limit); one more is refused with REQ_TARGET_RESET (502). */
void ec2_set_accept_backlog(ec2_instance *i, uint32_t backlog);

/* Accepts r now: a free worker starts it, otherwise it waits in the FIFO queue (refused with REQ_TARGET_RESET when the backlog is full). */
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

/* When its launch was requested (an Auto Scaling group's launch, before the EC2-pending time); the entry into running unless set. */
sim_time_t ec2_requested(const ec2_instance *i);
/* Sets the launch-request time (its creator knows it; reports show it as launched_s). */
void ec2_set_requested(ec2_instance *i, sim_time_t t);

/* Crash: leaves running now; every request it holds (queued or in service) goes back through r->sink with REQ_TARGET_RESET (the ALB answers 502 now); billing ends (terminated = now). No-op if not running. */
void ec2_crash(ec2_instance *i);

/* Normal termination (after draining): same mechanics as ec2_crash (held requests get 502, billing ends now). No-op if not running. */
void ec2_terminate(ec2_instance *i);

/* Sets the application's health: while false, every request the instance finishes is answered 500 (REQ_TARGET_500) and health checks fail. Instances start app-healthy. */
void ec2_set_app_healthy(ec2_instance *i, bool healthy);

/* Unlicensed (a boot script's SCN_BOOT_SERVE_UNLICENSED): while on, every request it finishes is answered 500; health checks still pass (the check path needs no license). */
void ec2_set_serve_errors(ec2_instance *i, bool on);
bool ec2_serve_errors(const ec2_instance *i);

/* The kernel the instance runs on. */
sim *ec2_sim(const ec2_instance *i);

/* CreateTags: sets tag key to value (a later value replaces the earlier); 0, or -1 out of memory. */
int ec2_set_tag(ec2_instance *i, const char *key, const char *value);
/* The value of tag key, or NULL; the tags in the order first set: count, key k, value k. */
const char *ec2_tag(const ec2_instance *i, const char *key);
size_t ec2_n_tags(const ec2_instance *i);
const char *ec2_tag_key(const ec2_instance *i, size_t k);
const char *ec2_tag_value(const ec2_instance *i, size_t k);

/* CreateSnapshot: an EBS snapshot of gb GB of i taken now (the EC2 API service prices its storage). */
void ec2_add_snapshot(ec2_instance *i, double gb);
/* Snapshots taken of i: their count and their GB. */
int ec2_n_snapshots(const ec2_instance *i);
double ec2_snapshot_gb(const ec2_instance *i);

/* Who handles ec2:TerminateInstances for i (its Auto Scaling group): fn(ctx, i, decrement). */
void ec2_set_terminator(ec2_instance *i, void (*fn)(void *ctx, ec2_instance *i, bool decrement), void *ctx);
/* ec2:TerminateInstances took effect now: the terminator's job, or, without one, ec2_terminate. */
void ec2_api_terminate(ec2_instance *i, bool decrement);

/* The EC2 API calls on instances (ec2_api.c), in the vocabulary (api_vocab.c). */
extern const api_op_spec ec2_api_ops[];

/* True while the instance is running (not crashed or terminated). */
bool ec2_running(const ec2_instance *i);

/* The application's health as set by ec2_set_app_healthy. */
bool ec2_app_healthy(const ec2_instance *i);

/* Was it a crash (ec2_crash) rather than a normal termination? False while running. */
bool ec2_crashed(const ec2_instance *i);

/* A health-check probe now: passes iff running, app healthy, and the probe's estimated wait (queued work / (vcpus x speed)) is below timeout. */
bool ec2_probe(const ec2_instance *i, sim_time_t timeout);

/* The probe's estimated wait now: seconds of queued work (demand / speed) over vcpus, in ns (exposed for tests and reports). */
sim_time_t ec2_queued_wait(const ec2_instance *i);

/* ---- CPU credits of burstable types (t2, t3, t3a, t4g; cpu_credits.h, aws-semantics 5.6) ---- */

typedef struct events_log events_log;

/* True if the instance's type earns CPU credits (itype_burst_find knows it). */
bool ec2_burstable(const ec2_instance *i);
/* True if it launched in unlimited mode (false for standard and for other types). */
bool ec2_credits_unlimited(const ec2_instance *i);
/* Where throttling starting and ending is logged (type "credits"); NULL: nowhere. */
void ec2_set_events(ec2_instance *i, events_log *ev);
/* True while throttled to the baseline (standard mode, balance 0). */
bool ec2_credit_throttled(const ec2_instance *i);
/* Figures at now (at termination for an instance that left running), credits; 0 for other types. */
double ec2_credit_balance(const ec2_instance *i, sim_time_t now);     /* CPUCreditBalance (launch credits included) */
double ec2_credit_surplus(const ec2_instance *i, sim_time_t now);     /* CPUSurplusCreditBalance */
double ec2_credit_min_balance(const ec2_instance *i, sim_time_t now); /* lowest CPUCreditBalance so far */
double ec2_credit_used(const ec2_instance *i, sim_time_t now);        /* credits spent since launch */
/* Surplus credits charged up to now, counting a running instance's outstanding surplus as if it stopped at now. */
double ec2_credit_charged(const ec2_instance *i, sim_time_t now);
/* Their price: charged / 60 vCPU-hours x the family's surplus price (itype_burst). */
double ec2_credit_surplus_usd(const ec2_instance *i, sim_time_t now);
/* Time spent throttled up to now, ns. */
sim_time_t ec2_credit_throttled_ns(const ec2_instance *i, sim_time_t now);
/* The credit metric id of the period [t0, t1) for CloudWatch (usage and charged: since the previous sample when it ended at t0, else since launch); 0, or -1 for another metric or type. */
int ec2_credit_sample(ec2_instance *i, scn_metric_id id, sim_time_t t0, sim_time_t t1, double *out);

/* Who bills i (SPOT: a capacity pool): fn(ctx, from, to) is the USD of the running stretch [from, to), item its line in the ledger's "ec2" service ("spot"). Unset: the type's On-Demand price, line "on_demand". ctx and item are borrowed. */
void ec2_set_billing(ec2_instance *i, double (*fn)(const void *ctx, sim_time_t from, sim_time_t to),
                     const void *ctx, const char *item);
/* USD billed for i's running time up to end (per second, 60 s minimum: stats/cost.h), and its ledger line. */
double ec2_cost_usd(const ec2_instance *i, sim_time_t end);

/* i's root EBS volume: gib GiB, gp2 (1) or gp3 (0); 8 GiB gp3 until set. */
void ec2_set_root_volume(ec2_instance *i, int gib, int gp2);
/* Its size in GiB, and (return) 1 if gp2, 0 if gp3. */
int ec2_root_volume(const ec2_instance *i, int *gib);
const char *ec2_cost_item(const ec2_instance *i);

/* ---------------------------------------------------------------- FIS actions (aws-semantics 12.2, 12.3) */

/* StopInstances: leaves running like ec2_crash (held requests 502) but can be started again. No-op if not running. */
void ec2_stop(ec2_instance *i);
/* StartInstances on a stopped instance: running again now (same id, empty queue); false if it was not stopped. */
bool ec2_start(ec2_instance *i);
/* True while stopped by ec2_stop. */
bool ec2_stopped(const ec2_instance *i);
/* RebootInstances: stays running for EC2, but held and new requests get 502 and probes fail for `down`. */
void ec2_reboot(ec2_instance *i, sim_time_t down);
/* CPU stress: work started from now takes factor (>= 1; 1 = normal) times as long. */
void ec2_set_slowdown(ec2_instance *i, double factor);
/* Network latency: every response leaves delay later (0 = none). */
void ec2_set_net_delay(ec2_instance *i, sim_time_t delay);

#endif /* FLEETSIM_INSTANCE_H */
