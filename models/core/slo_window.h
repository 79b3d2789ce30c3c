/*
 * slo_window.h - the scenario's SLO judged on a finished run's report
 * windows: one place for the verdict the text summary, the SLO columns of
 * windows.csv and report.json, the violation cost and a comparison's
 * headline all use, so they cannot disagree.
 *
 * Windows that start in the warm-up are not judged: their requests are left
 * out of the latency statistics (report.warmup).
 *
 * Prefix: slo_window_.
 */
#ifndef FLEETSIM_SLO_WINDOW_H
#define FLEETSIM_SLO_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "models/core/world.h"
#include "stats/slo.h"

/* The scenario's SLO (spec.set false when it declares none). */
slo_spec slo_window_spec(const scenario *sc);

/* The requests that finished with an error, from a per-cause count array (STATS_N_CAUSES entries). */
uint64_t slo_window_errors(const uint64_t *counts);

/* Window k's verdict (k < the number of windows); not judged in the warm-up or without an SLO. */
slo_verdict slo_window_judge(const world *w, size_t k);

/* The end of window k: the next window's start, or the run's end for the last. */
sim_time_t slo_window_end(const world *w, size_t k);

/* Minutes of judged windows that missed the SLO (0 without an SLO). */
double slo_window_violation_min(const world *w);

#endif /* FLEETSIM_SLO_WINDOW_H */
