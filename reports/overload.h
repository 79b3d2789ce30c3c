/*
 * overload.h - overload said in words: stretches of the run in which the
 * offered load exceeded what the fleet could serve for longer than one report
 * window. Found from the report windows of a finished world; the text summary
 * prints them and report.json lists them under "findings".
 *
 * A window is overloaded when the fleet was saturated (CPU >= 95%) and the
 * requests that arrived outnumbered the ones the fleet answered by more than
 * 5% (the rest queued, or their clients gave up). A finding is a run of at
 * least two consecutive such windows. Capacity is the fleet's speed-weighted
 * vCPUs alive over the stretch divided by the mean work of a request (the
 * workloads' mean service times): what it could answer if no work went to
 * requests whose clients had given up. docs/reports.md.
 *
 * Prefix: overload_.
 */
#ifndef FLEETSIM_OVERLOAD_H
#define FLEETSIM_OVERLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "models/core/world.h"

typedef struct overload_finding {
    sim_time_t start, end;       /* the overloaded stretch */
    double offered_rps;          /* arrivals / length */
    double served_rps;           /* requests the fleet answered (not given up on, not 503, not 502) / length */
    double capacity_rps;         /* the fleet's capacity in requests per second (NaN if the work per request is unknown) */
    double cpu_utilisation;      /* mean over the stretch */
    double in_system_start, in_system_end; /* mean requests in system in its first and last window */
    uint64_t gave_up;            /* client timeouts (460) in the stretch */
    uint64_t refused;            /* 502s in the stretch (a full accept backlog refuses with a 502) */
} overload_finding;

/* The findings of a finished world, in time order, into out (room for max); their count (more may exist past max). */
size_t overload_find(const world *w, overload_finding *out, size_t max);

#endif /* FLEETSIM_OVERLOAD_H */
