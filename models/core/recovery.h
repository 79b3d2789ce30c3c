/*
 * recovery.h - time to recover after each spike or fault.
 *
 * A disruption is a fault of the scenario (instance_crash, app_unhealthy,
 * az_outage, an FIS action) or a workload's spike (its ramp's start). Its
 * time to recover runs from its start to the start of the first report
 * window, ending after the start, that begins RECOVERY_WINDOWS consecutive
 * judged windows meeting the SLO, counted from the first violated window
 * after the start (docs/reports.md "Time to recover"). Windows are judged
 * by slo_window_judge, as every report judges them.
 *
 * Prefix: recovery_.
 */
#ifndef FLEETSIM_RECOVERY_H
#define FLEETSIM_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "models/core/world.h"

/* How many consecutive met windows say the SLO "stays met". */
#define RECOVERY_WINDOWS 3

typedef enum recovery_outcome {
    RECOVERY_NOT_JUDGED,   /* no SLO, or no judged window after the start */
    RECOVERY_UNAFFECTED,   /* no window violated the SLO between the start and the next disruption (or the end) */
    RECOVERY_RECOVERED,    /* violated, then met for RECOVERY_WINDOWS windows: recovery_s is the time */
    RECOVERY_NOT_RECOVERED /* violated and not met again for RECOVERY_WINDOWS windows by the end */
} recovery_outcome;

typedef struct recovery_item {
    char what[96];         /* "az_outage us-west-2a (600 s)", "spike web (to 900 rps)" */
    sim_time_t start;
    recovery_outcome outcome;
    double recovery_s;     /* RECOVERY_RECOVERED: seconds from start */
    size_t violated;       /* violated windows between the start and recovery (or the end) */
} recovery_item;

/* The most disruptions a report lists. */
#define RECOVERY_MAX 32

/* Up to max disruptions of the run in time order, windows judged by slo_window_judge; returns how many there are (may exceed max). */
size_t recovery_find(const world *w, recovery_item *out, size_t max);

/*
 * The longest time to recover among the run's first RECOVERY_MAX disruptions, in minutes: 0 for one the
 * SLO held through, until the run's end for one never recovered from; NaN without an SLO or a disruption.
 */
double recovery_worst_min(const world *w);

#endif /* FLEETSIM_RECOVERY_H */
