/*
 * stats.h - what a run measured: request outcomes, latency, time-average
 * occupancy, per-window summaries and per-instance utilisation. Filled by the
 * models through stats_on_* calls, read by the report writers and tests.
 */
#ifndef FLEETSIM_STATS_H
#define FLEETSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "reports/histogram.h"
#include "sim/sim.h"

/* Why a request did not get a 2xx. */
typedef enum stats_cause {
    STATS_OK = 0,
    STATS_503_NO_TARGET,    /* the target group had no registered targets */
    STATS_504_TIMEOUT,      /* the target did not answer within the ALB idle timeout */
    STATS_502_RESET,        /* the target went away with the request in flight (deregistration delay expired, crash) */
    STATS_460_CLIENT_TIMEOUT, /* the client gave up first (workload timeout) */
    STATS_N_CAUSES
} stats_cause;

/* "ok", "503_no_target", ... (stable: used as JSON keys). */
const char *stats_cause_name(stats_cause c);

/* The summary of one report window [start, start + width). */
typedef struct stats_window {
    sim_time_t start;
    uint64_t arrivals;             /* requests that arrived in the window */
    uint64_t completed;            /* requests that finished (any cause) in the window */
    uint64_t errors[STATS_N_CAUSES]; /* by cause, counted when they finished */
    double p50, p90, p99, max;     /* seconds, successful requests that finished in the window; 0 if none */
    double mean_in_system;         /* time average of requests in system over the window */
    double cpu_utilisation;        /* busy vCPU time / available vCPU time over all instances */
    int instances_in_service;      /* at the end of the window */
} stats_window;

/* The summary of the whole measured interval [warmup, duration). */
typedef struct stats_summary {
    uint64_t arrivals;             /* measured arrivals (after warmup) */
    uint64_t completed;            /* measured requests finished by the end of the run */
    uint64_t in_flight_at_end;     /* measured requests still in the system at the end */
    uint64_t errors[STATS_N_CAUSES];
    double mean_latency;           /* seconds, exact mean over successful measured requests */
    double p50, p90, p99, p999, max; /* seconds, from the run histogram */
    double mean_in_system;         /* time average of requests in system over [warmup, duration) */
    double throughput;             /* successful measured completions per second */
    double cpu_utilisation;        /* fleet-wide busy fraction over [warmup, duration) */
} stats_summary;

#endif /* FLEETSIM_STATS_H */
