/*
 * sim.h - the fleetsim kernel: virtual time, the event queue, pools, random
 * streams and distributions. This is the only header a model may include
 * from sim/; the kernel knows nothing about AWS.
 *
 * Invariants (checked by tests/unit/test_kernel.c):
 *  - time is int64 nanoseconds and never decreases;
 *  - events at equal times fire in the order they were scheduled;
 *  - all state hangs off one `struct sim`: two sims in two threads never
 *    share anything writable, so replications can run side by side;
 *  - a stream's draws depend only on (seed, replication, stream name).
 */
#ifndef FLEETSIM_SIM_H
#define FLEETSIM_SIM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* ---------------------------------------------------------------- time */

typedef int64_t sim_time_t; /* nanoseconds of virtual time since t = 0 */

#define SIM_NS ((sim_time_t)1)
#define SIM_US ((sim_time_t)1000)
#define SIM_MS ((sim_time_t)1000000)
#define SIM_SEC ((sim_time_t)1000000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (3600 * SIM_SEC)
#define SIM_DAY (24 * SIM_HOUR)
#define SIM_TIME_MAX INT64_MAX

/* Seconds as a double (for reports and statistics only, never for the clock). */
static inline double sim_to_sec(sim_time_t t) { return (double)t / 1e9; }

/* Seconds to nanoseconds, rounded to nearest; NaN or negative -> 0; saturates at SIM_TIME_MAX. */
sim_time_t sim_from_sec(double seconds);

/* ---------------------------------------------------------------- kernel */

typedef struct sim sim;

/* An event handler: `obj` and `arg` are what was given to sim_at/sim_after. */
typedef void (*sim_handler)(sim *s, void *obj, uint64_t arg);

/* A handle to a scheduled event. {0,0} is "no event"; a stale handle is harmless. */
typedef struct sim_evid {
    uint32_t slot;
    uint32_t gen;
} sim_evid;

#define SIM_EVID_NONE ((sim_evid){0, 0})

/* Kernel error codes (sim_error). */
enum {
    SIM_OK = 0,
    SIM_ENOMEM = -1,  /* an allocation failed; the run stopped */
    SIM_EPAST = -2,   /* an event was scheduled before now; the run stopped */
    SIM_ELIMIT = -3,  /* more pending events than the queue can index */
};

/* A new kernel at t = 0 for the given master seed and replication; NULL on OOM. Free with sim_free. */
sim *sim_new(uint64_t seed, uint32_t replication);

/* Frees the kernel and everything it owns (pools, streams, pending events). NULL is a no-op. */
void sim_free(sim *s);

/* The current virtual time. */
sim_time_t sim_now(const sim *s);

/* The master seed and replication number the kernel was created with. */
uint64_t sim_seed(const sim *s);
uint32_t sim_replication(const sim *s);

/* Schedules h(s, obj, arg) (h not NULL) at absolute time t (>= now); returns its handle, or SIM_EVID_NONE and sets sim_error on failure. */
sim_evid sim_at(sim *s, sim_time_t t, sim_handler h, void *obj, uint64_t arg);

/* Schedules h(s, obj, arg) at now + delay (delay >= 0); same contract as sim_at. */
sim_evid sim_after(sim *s, sim_time_t delay, sim_handler h, void *obj, uint64_t arg);

/* Cancels a pending event; returns true if it was pending. Stale, fired or NONE handles return false. */
bool sim_cancel(sim *s, sim_evid id);

/* True if the handle names an event that is still pending. */
bool sim_pending_event(const sim *s, sim_evid id);

/* Runs events with time <= t_end in (time, scheduling order); leaves the clock at t_end unless stopped. Returns sim_error(). Not re-entrant: never call it from a handler. */
int sim_run_until(sim *s, sim_time_t t_end);

/* The time of the earliest pending event (a cancelled one may still count), or -1 when none is pending. For tests that check invariants at every instant. */
sim_time_t sim_next_time(sim *s);

/* Makes sim_run_until return after the current event (the clock stays at that event's time). */
void sim_stop(sim *s);

/*
 * Has sim_run_until stop before the next event once *flag is non-zero (the clock stays at the last
 * event's time), as sim_stop would; NULL unwatches. The flag is the caller's, typically set by a
 * signal handler (Ctrl-C): the kernel only reads it, once per event.
 */
void sim_watch(sim *s, const volatile sig_atomic_t *flag);

/* Number of pending (scheduled, not cancelled, not fired) events. */
size_t sim_pending(const sim *s);

/* Number of events fired since sim_new. */
uint64_t sim_events_fired(const sim *s);

/* The sticky error (SIM_OK, SIM_ENOMEM, SIM_EPAST, SIM_ELIMIT); once set, sim_run_until stops. */
int sim_error(const sim *s);

/* Sets the sticky error from a model (e.g. a pool ran dry); the run stops after the current event. */
void sim_fail(sim *s, int code);

/* ---------------------------------------------------------------- pools */

/*
 * Free-list pools for short-lived objects (requests, leases). A pool grows in
 * slabs as the number of objects in use grows and never shrinks, so memory
 * follows the peak in flight, not the number of objects ever handed out.
 */
typedef struct sim_pool sim_pool;

/* A pool of objects of obj_size bytes, owned and freed by the kernel; NULL on OOM. */
sim_pool *sim_pool_new(sim *s, size_t obj_size);

/* An object (contents undefined), or NULL on OOM (and sim_error set). */
void *sim_pool_get(sim_pool *p);

/* Returns an object obtained from this pool. */
void sim_pool_put(sim_pool *p, void *obj);

/* Objects currently handed out. */
size_t sim_pool_in_use(const sim_pool *p);

/* Objects the pool has memory for (in use + free). */
size_t sim_pool_capacity(const sim_pool *p);

/* ---------------------------------------------------------------- random streams */

/*
 * A named random stream (gsl_rng_taus2). The seed is a mix (splitmix64) of the
 * master seed, the replication number and a hash of the name, so adding a
 * stream never changes another stream's draws. Asking twice for one name
 * returns the same generator. Owned by the kernel; NULL on OOM.
 */
gsl_rng *sim_rng(sim *s, const char *name);

/* The 64-bit seed sim_rng derives for (seed, replication, name); exposed for tests and reports. */
uint64_t sim_stream_seed(uint64_t seed, uint32_t replication, const char *name);

/* FNV-1a's 64-bit offset basis: the h to start sim_fnv1a from. */
#define SIM_FNV_BASIS UINT64_C(0xcbf29ce484222325)

/* FNV-1a of len bytes at p, continuing from h: the same on every machine and run (stream names, ids, shards). */
uint64_t sim_fnv1a(uint64_t h, const void *p, size_t len);

/* ---------------------------------------------------------------- distributions */

typedef enum sim_dist_kind {
    SIM_DIST_CONSTANT,    /* a = value */
    SIM_DIST_EXPONENTIAL, /* a = mean */
    SIM_DIST_UNIFORM,     /* a = low, b = high */
    SIM_DIST_NORMAL,      /* a = mu, b = sigma of the parent normal; truncated at 0 (resampled) */
    SIM_DIST_LOGNORMAL,   /* a = mu, b = sigma of log(x) */
    SIM_DIST_GAMMA,       /* a = shape k, b = scale theta */
    SIM_DIST_WEIBULL,     /* a = scale lambda, b = shape k */
    SIM_DIST_PARETO,      /* a = shape alpha, b = scale x_m (minimum) */
    SIM_DIST_EMPIRICAL,   /* values[0..n_values), each equally likely */
} sim_dist_kind;

/*
 * A distribution of non-negative values in the caller's unit (fleetsim uses
 * seconds for durations). `values` is borrowed: it must outlive the dist.
 */
typedef struct sim_dist {
    sim_dist_kind kind;
    double a, b;
    const double *values;
    size_t n_values;
} sim_dist;

/* Lognormal with the given mean and coefficient of variation (both > 0). Returns 0, or -1 if out of range. */
int sim_dist_lognormal_mean_cv(sim_dist *d, double mean, double cv);

/* Lognormal with the given median and 99th percentile (0 < p50 < p99). Returns 0, or -1 if out of range. */
int sim_dist_lognormal_p50_p99(sim_dist *d, double p50, double p99);

/* One draw (>= 0) from d using r. */
double sim_dist_sample(const sim_dist *d, gsl_rng *r);

/* The exact mean of d (for the truncated normal, the truncated mean); INFINITY for Pareto with alpha <= 1. */
double sim_dist_mean(const sim_dist *d);

/* The exact variance of d (truncated where d is); INFINITY where it does not exist. */
double sim_dist_variance(const sim_dist *d);

/* The canonical name of a kind ("exponential", ...). */
const char *sim_dist_kind_name(sim_dist_kind k);

/* ---------------------------------------------------------------- kernel internals (sim/ only) */

/* The kernel's list head of pools, so pool.c can link new pools in; sim_free releases them. */
sim_pool **sim__pools(sim *s);

/* Frees a list of pools starting at head (called by sim_free). */
void sim__pools_free(sim_pool *head);

/* The kernel's slot for rng.c's stream table (opaque to kernel.c); sim_free releases it. */
void **sim__streams(sim *s);

/* Frees a stream table made by rng.c, generators included (called by sim_free). */
void sim__streams_free(void *table);

/* Test hook: sets the next internal scheduling sequence number, to exercise its renumbering at the limit. */
void sim__set_next_seq(sim *s, uint64_t seq);

#endif /* FLEETSIM_SIM_H */
