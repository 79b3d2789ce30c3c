/*
 * vhelp.h - shared machinery of the queueing-theory validation tests.
 *
 * A validation case is one queue: Poisson arrivals (rate lambda) -> one
 * aws_lb -> one target group -> one aws_instance of a custom type with c
 * vCPUs of speed 1.0, service times from a distribution of mean 1 s. The
 * scenario is built in code (not from YAML), so these tests depend only on
 * the kernel, the models and world.c.
 *
 * vcase_run runs R independent replications (replication numbers 0..R-1 of
 * one master seed) on VAL_THREADS threads, each with its own sim + world, and
 * returns one vrep per replication. vci_of turns R per-replication estimates
 * into a Student-t 95% interval. The TAP assertions live in the test files
 * (tap.h keeps its counters per translation unit), through vcheck_ci below.
 */
#ifndef FLEETSIM_VHELP_H
#define FLEETSIM_VHELP_H

#include <stddef.h>
#include <stdint.h>

#include "models/core/scenario.h"
#include "stats/histogram.h"
#include "stats/stats.h"
#include "sim/sim.h"

#define VAL_THREADS 2      /* worker threads for the replications */
#define VAL_MAX_REPS 64
#define VAL_REL_HW 0.01    /* required: 95% half-width below 1% of the estimate */

/* One validation case. */
typedef struct vcase {
    const char *label;   /* for diagnostics: "M/M/1 rho=0.80" */
    int vcpus;           /* c: servers (vCPUs of the one instance) */
    double lambda;       /* arrival rate, requests per second */
    sim_dist service;    /* service time in seconds on one vCPU of speed 1.0 */
    uint64_t seed;       /* master seed; replication r uses sim_new(seed, r) */
    double warmup_s;     /* transient cut: requests arriving before it are not measured */
    double measure_s;    /* measured simulated seconds per replication (after warmup) */
    int reps;            /* R independent replications, 2..VAL_MAX_REPS */
} vcase;

/* What one replication measured. */
typedef struct vrep {
    int rc;                          /* 0, or the world_new / world_run failure */
    char err[160];                   /* world_new's message when rc != 0 */
    uint64_t arrivals, completed, in_flight;
    uint64_t errors[STATS_N_CAUSES];
    uint64_t events;                 /* sim_events_fired at the end */
    double mean_latency;             /* W: exact mean response time of successful requests, s */
    double mean_in_system;           /* L: time-average number in system over [warmup, end) */
    double lambda_hat;               /* measured arrivals / measured seconds */
    double p99_interp;               /* p99 (s) of the run histogram, interpolated inside its bucket */
    double p99_summary;              /* stats_summary.p99 (bucket midpoint), s */
    double cpu_utilisation;
    double wall_s;                   /* world_run wall time of this replication */
} vrep;

/* A Student-t 95% confidence interval of the mean of n values. */
typedef struct vci {
    int n;
    double mean, sd, hw, lo, hi;
} vci;

/* Runs the case (c->reps replications on VAL_THREADS threads) into out[0..reps).
 * Returns 0 when every replication ran, -1 otherwise (see out[r].rc / err).
 * *wall_s (if non-NULL) gets the elapsed wall time of the whole case. */
int vcase_run(const vcase *c, vrep *out, double *wall_s);

/* The 95% t-interval (gsl_cdf_tdist_Pinv(0.975, n-1)) of x[0..n), n >= 2. */
vci vci_of(const double *x, int n);

/* The q-quantile of h, interpolated linearly inside the bucket that holds it
 * (the value of rank q*count, counting each bucket's values as spread evenly
 * over its range), in the histogram's unit; 0 when empty. */
double vhist_quantile_interp(const hist *h, double q);

/* Erlang C: the probability that an arrival waits in M/M/c with offered load a = lambda/mu (a < c). */
double erlang_c(int c, double a);

/* Monotonic wall clock, seconds. */
double vnow(void);

/* Command line of every validation test: [--scale X] [--case I]... [--seed-offset K]
 * --scale multiplies every run length (for pilots; default 1), --case selects
 * case I (0-based; repeatable; default all), --seed-offset adds 1000 K to every
 * case's master seed (for coverage experiments; default 0, the suite's seeds).
 * Returns 0, or -1 on a bad argument. */
typedef struct vopts {
    double scale;
    unsigned long cases;
    uint64_t seed_offset;
} vopts;
int vargs(int argc, char **argv, vopts *o);

#ifdef FLEETSIM_TAP_H
/*
 * The two assertions every estimate gets: its 95% half-width is under 1% of
 * the estimate, and the analytic value lies inside the interval. Returns 1 if
 * both hold.
 */
static inline int vcheck_ci(const char *what, const double *x, int n, double analytic)
{
    vci ci = vci_of(x, n);
    double rel = ci.hw / fabs(ci.mean);
    tap_diag("%s: estimate %.6g, 95%% CI [%.6g, %.6g] (half-width %.6g = %.3f%%, R=%d), analytic %.6g (%+.3f%%)",
             what, ci.mean, ci.lo, ci.hi, ci.hw, 100.0 * rel, n, analytic,
             100.0 * (ci.mean / analytic - 1.0));
    int a = ok(rel < VAL_REL_HW, "%s: 95%% half-width %.3f%% < %.0f%% of the estimate", what, 100.0 * rel,
               100.0 * VAL_REL_HW);
    int b = ok(analytic >= ci.lo && analytic <= ci.hi, "%s: analytic %.6g inside [%.6g, %.6g]", what, analytic,
               ci.lo, ci.hi);
    return a && b;
}

/* Asserts the runs are clean: every replication ran, no request failed (no 504 in particular). */
static inline int vcheck_clean(const vcase *c, const vrep *r, int n)
{
    int ran = 1, clean = 1;
    uint64_t e504 = 0, eall = 0, arrivals = 0, completed = 0, events = 0;
    double wall = 0;
    for (int i = 0; i < n; i++) {
        if (r[i].rc != 0) {
            ran = 0;
            tap_diag("%s: replication %d failed: rc %d %s", c->label, i, r[i].rc, r[i].err);
        }
        for (int k = 1; k < STATS_N_CAUSES; k++) eall += r[i].errors[k];
        e504 += r[i].errors[STATS_504_TIMEOUT];
        arrivals += r[i].arrivals;
        completed += r[i].completed;
        events += r[i].events;
        wall += r[i].wall_s;
    }
    if (eall) clean = 0;
    ok(ran, "%s: %d replications ran", c->label, n);
    is_int(e504, 0, "%s: no 504 (the ALB idle timeout never fired)", c->label);
    is_int(eall, 0, "%s: no request failed (statistics cover every request)", c->label);
    ok(completed > 0, "%s: %llu measured requests completed", c->label, (unsigned long long)completed);
    tap_diag("%s: %llu measured arrivals, %llu completed, %llu events, %.2f s of world_run (summed over threads)",
             c->label, (unsigned long long)arrivals, (unsigned long long)completed, (unsigned long long)events,
             wall);
    return ran && clean;
}
#endif

#endif /* FLEETSIM_VHELP_H */
