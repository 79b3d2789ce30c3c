/*
 * stats.h - what a run measured: request outcomes, latency, time-average
 * occupancy, per-window summaries and per-instance utilisation. Filled by the
 * models through stats_on_* calls, read by the report writers and tests.
 */
#ifndef FLEETSIM_STATS_H
#define FLEETSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/histogram.h"
#include "sim/sim.h"

/* Why a request did not get a 2xx. */
typedef enum stats_cause {
    STATS_OK = 0,
    STATS_503_NO_TARGET,    /* the target group had no registered targets */
    STATS_504_TIMEOUT,      /* the target did not answer within the ALB idle timeout */
    STATS_502_RESET,        /* the target went away with the request in flight (deregistration delay expired, crash) */
    STATS_460_CLIENT_TIMEOUT, /* the client gave up first (workload timeout) */
    STATS_500_TARGET,       /* the target answered 5xx (an app-unhealthy instance): HTTPCode_Target_5XX_Count, aws-semantics 4.5 */
    /* The ALB's own answers (a listener's fixed-response or redirect action), by class; no target involved. */
    STATS_ELB_2XX_FIXED,    /* fixed-response 2XX */
    STATS_ELB_3XX_REDIRECT, /* redirect HTTP_301 / HTTP_302 */
    STATS_ELB_4XX_FIXED,    /* fixed-response 4XX */
    STATS_ELB_5XX_FIXED,    /* fixed-response 5XX: an HTTPCode_ELB_5XX_Count */
    STATS_N_CAUSES
} stats_cause;

/* The causes every report lists; the ALB's own answers (STATS_ELB_*) are listed when the scenario has an aws_lb_listener. */
#define STATS_N_TARGET_CAUSES STATS_ELB_2XX_FIXED

/* 1 for the causes that are errors (4xx and 5xx answers); 0 for OK, a fixed-response 2XX and a redirect. */
int stats_cause_is_error(stats_cause c);

/* "ok", "503_no_target", ... (stable: used as JSON keys). */
const char *stats_cause_name(stats_cause c);

/* The fleet's instances at one instant (a window's end), summed over the fleets and groups. */
typedef struct stats_fleet {
    int in_service;                /* InService (a fixed fleet's running instances) */
    int pending;                   /* launched, not yet InService (Pending, Pending:Wait) */
    int draining;                  /* leaving: Terminating, Terminating:Wait (deregistration delay, hooks) */
    int desired;                   /* the groups' desired capacity (a fixed fleet counts its instances) */
} stats_fleet;

/* The summary of one report window [start, start + width). */
typedef struct stats_window {
    sim_time_t start;
    uint64_t arrivals;             /* requests that arrived in the window */
    uint64_t completed;            /* requests that finished (any cause) in the window */
    uint64_t errors[STATS_N_CAUSES]; /* by cause, counted when they finished; [STATS_OK] = successes */
    uint64_t slow;                 /* successful requests slower than the SLO latency (stats_set_slo_latency) */
    double p50, p90, p99, max;     /* seconds, successful requests that finished in the window; NaN if none */
    double mean_in_system;         /* time average of requests in system over the window */
    double cpu_utilisation;        /* busy vCPU time / available vCPU time over all instances */
    stats_fleet fleet;             /* at the end of the window */
} stats_window;

/* The summary of the whole measured interval [warmup, duration). */
typedef struct stats_summary {
    uint64_t arrivals;             /* measured arrivals (after warmup) */
    uint64_t completed;            /* measured requests finished by the end of the run */
    uint64_t in_flight_at_end;     /* measured requests still in the system at the end */
    uint64_t errors[STATS_N_CAUSES]; /* measured requests by outcome; [STATS_OK] = successes */
    uint64_t slow;                 /* successful measured requests slower than the SLO latency */
    double mean_latency;           /* seconds, exact mean over successful measured requests; NaN if none */
    double p50, p90, p99, p999, max; /* seconds, from the run histogram; NaN if no successful request */
    double mean_in_system;         /* time average of requests in system over [warmup, duration) */
    double throughput;             /* successful measured completions per second */
    double cpu_utilisation;        /* fleet-wide busy fraction over [warmup, duration) */
} stats_summary;

/* ---------------------------------------------------------------- collector */

/*
 * The run's collector. Requests arriving at or after `warmup` are "measured":
 * only they enter the summary's counts and latency histogram. Windows are a
 * time series of everything that happened in them, warm-up included, so the
 * transient stays visible. Memory: two histograms plus one stats_window per
 * closed window; nothing per request.
 */
typedef struct stats stats;

/* A collector for a run measured over [warmup, t_end); NULL on OOM. Free with stats_free. */
stats *stats_new(sim_time_t warmup, sim_time_t t_end);

/* Frees the collector; NULL is a no-op. */
void stats_free(stats *st);

/* Successful requests slower than latency (> 0) are counted as `slow` from now on (the SLO's latency part). */
void stats_set_slo_latency(stats *st, sim_time_t latency);

/* A request arrived at now (it is now "in system"). */
void stats_on_arrival(stats *st, sim_time_t now);

/* The client of a request that arrived at `arrival` got its answer (or gave up) at now, with cause c. */
void stats_on_done(stats *st, sim_time_t now, sim_time_t arrival, stats_cause c);

/* Closes the window [previous boundary, now) with the fleet's CPU utilisation over it and its instances at now; the next window opens at now. 0, or -1 on OOM. */
int stats_window_close(stats *st, sim_time_t now, double cpu_utilisation, const stats_fleet *fleet);

/* Ends the run at t_end (stats_new's, or earlier for a run stopped early): fills the summary (cpu_utilisation over [warmup, t_end) is the caller's). */
void stats_finish(stats *st, sim_time_t t_end, double cpu_utilisation);

/* After stats_finish: the summary and the run histogram (ns, successful measured requests). */
const stats_summary *stats_get_summary(const stats *st);
const hist *stats_get_latency(const stats *st);

/* The closed windows, in time order. */
const stats_window *stats_get_windows(const stats *st, size_t *n);

/* Requests in system now (arrived, client not yet answered). */
uint64_t stats_in_system(const stats *st);

/* Every request so far, warm-up included: arrived, and finished by cause (by_cause[STATS_N_CAUSES]); for invariant checks. */
void stats_live(const stats *st, uint64_t *arrived, uint64_t *by_cause);

#endif /* FLEETSIM_STATS_H */
