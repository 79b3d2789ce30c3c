/*
 * cpu_credits.h - the CPU credit bucket of one burstable instance (t2, t3,
 * t3a, t4g): what it earns, spends, accrues, and whether it is throttled
 * (aws-semantics 5.6).
 *
 * Exact in integers: a tick is 1/60 of a vCPU-nanosecond, so a type that
 * earns E credits per hour earns exactly E ticks per nanosecond (1 credit =
 * 1 vCPU-minute = CC_TICKS_PER_CREDIT ticks) and a vCPU at 100 % spends 60
 * ticks per nanosecond. Between two changes of the busy vCPUs every rate is
 * constant, so the bucket is brought up to date lazily (cc_advance) and the
 * one moment that needs an event, the balance reaching 0 in standard mode,
 * is predicted exactly (cc_zero_at).
 *
 * Throttled (standard mode, balance 0, some vCPU busy): the instance spends
 * exactly what it earns, so the balance stays at 0: each busy vCPU runs at
 * earn / (60 x busy) of its full speed, which is the baseline per vCPU when
 * every vCPU is busy (the fluid limit of AWS's "gradually lowered to the
 * baseline"; with fewer vCPUs busy the busy ones use the idle ones' share
 * of the earnings, as one instance-wide balance allows).
 *
 * Prefix: cc_.
 */
#ifndef FLEETSIM_CPU_CREDITS_H
#define FLEETSIM_CPU_CREDITS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim.h"

/* Ticks in one CPU credit (one vCPU-minute: 60 s x 1e9 ns x 60 ticks per vCPU-ns). */
#define CC_TICKS_PER_CREDIT 3600000000000LL
/* Ticks one vCPU at 100 % spends per nanosecond. */
#define CC_TICKS_PER_VCPU_NS 60

typedef enum cc_mode { CC_STANDARD, CC_UNLIMITED } cc_mode;

/* What the type and the launch decide (instance_type.h itype_burst gives the type's figures). */
typedef struct cc_params {
    int vcpus;
    int earn;            /* credits earned per hour = ticks per ns (1..59) */
    int64_t max;         /* accrual limit, ticks: 24 h of earnings */
    int64_t launch;      /* launch credits given at launch, ticks (T2 standard only; 0 otherwise) */
    cc_mode mode;
} cc_params;

typedef struct cc_bucket {
    cc_params p;
    sim_time_t t;            /* the state below holds at t */
    int64_t launch;          /* launch credits left (spent first, outside the limit) */
    int64_t earned;          /* earned credits accrued, 0..max */
    int64_t surplus;         /* unlimited: surplus credits spent and not paid down */
    int64_t charged;         /* unlimited: surplus credits charged so far (over the limit at an hour's end, or at termination) */
    int64_t used;            /* credits spent since launch (CPUCreditUsage's integral) */
    int64_t min_balance;     /* lowest launch + earned seen */
    sim_time_t throttled_ns; /* time spent throttled */
    sim_time_t throttled_since; /* when the current throttling began, -1 when not throttled */
    int busy;
    bool throttled;
} cc_bucket;

/* A bucket for params at launch time now: launch credits only (a new instance has no earned credits). */
void cc_init(cc_bucket *b, const cc_params *p, sim_time_t now);

/* Brings the bucket up to now (>= b->t) at the rates of the current busy count. */
void cc_advance(cc_bucket *b, sim_time_t now);

/* The busy vCPUs change at now: advances, then decides whether the instance is throttled. Returns true if throttling started or ended. */
bool cc_set_busy(cc_bucket *b, sim_time_t now, int busy);

/* The instant the balance reaches 0 at the current rates (standard mode, spending faster than earning), or -1 when it will not. */
sim_time_t cc_zero_at(const cc_bucket *b);

/* The event cc_zero_at predicted fired at now: advances and throttles if the balance is 0. Returns true if throttling started. */
bool cc_on_zero(cc_bucket *b, sim_time_t now);

/* The instance stops running at now: advances; outstanding surplus credits are charged (aws-semantics 5.6). */
void cc_end(cc_bucket *b, sim_time_t now);

/* The per-busy-vCPU speed as a fraction num/den of full speed: 1/1 unless throttled (then earn / (60 x busy)). */
void cc_speed(const cc_bucket *b, int64_t *num, int64_t *den);

/* Figures at now (advanced on a copy, so b is unchanged), in credits. */
double cc_balance_at(const cc_bucket *b, sim_time_t now);   /* CPUCreditBalance: launch + earned */
double cc_surplus_at(const cc_bucket *b, sim_time_t now);   /* CPUSurplusCreditBalance */
double cc_used_at(const cc_bucket *b, sim_time_t now);      /* CPUCreditUsage since launch */
double cc_charged_at(const cc_bucket *b, sim_time_t now);   /* CPUSurplusCreditsCharged since launch */
int64_t cc_used_ticks_at(const cc_bucket *b, sim_time_t now);
sim_time_t cc_throttled_at(const cc_bucket *b, sim_time_t now); /* time throttled up to now, ns */
double cc_min_balance_at(const cc_bucket *b, sim_time_t now);

#endif /* FLEETSIM_CPU_CREDITS_H */
