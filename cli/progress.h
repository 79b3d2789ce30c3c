/*
 * progress.h - the progress line of `fleetsim run` on a terminal's stderr:
 * simulated time, percent, events per second and ETA, drawn at the first tick,
 * redrawn at most four times a second after that and erased at the end. The wall clock is read only for this
 * display; nothing it reads reaches an output file. Off when stderr is not a
 * terminal (or with --quiet: the caller does not start it).
 */
#ifndef FLEETSIM_PROGRESS_H
#define FLEETSIM_PROGRESS_H

#include <stdio.h>

#include "sim/sim.h"

typedef struct progress {
    FILE *out;          /* NULL: off */
    const sim *s;
    sim_time_t end;     /* the simulated time the run goes to */
    double started, drawn; /* wall-clock seconds (monotonic) at the start and the last redraw */
    int shown;          /* a line is on the terminal */
} progress;

/* Readies p for a run of s to end; on only when out is a terminal. */
void progress_start(progress *p, const sim *s, sim_time_t end, FILE *out);

/* The world_set_progress callback (ctx: a progress): draws the line at the first tick, then when 250 ms have passed since the last. */
void progress_tick(void *ctx);

/* Erases the line (the terminal is left as before the run). */
void progress_done(progress *p);

#endif /* FLEETSIM_PROGRESS_H */
