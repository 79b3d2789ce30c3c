/*
 * html.h - report.html: one self-contained page (inline CSS and SVG, no
 * script, no font, nothing fetched) with the run's charts on one time axis:
 * traffic against capacity, latency with the SLO, errors by cause, CPU,
 * license keys, cost, and the event timeline whose markers give each event's
 * cause on hover (SVG <title>). docs/reports.md "report.html" describes it.
 */
#ifndef FLEETSIM_HTML_H
#define FLEETSIM_HTML_H

#include <stdio.h>

#include "models/core/world.h"

/* Writes report.html for a world after world_run to out (byte-identical for the same run: no date, no locale); 0, or -1 on a write error, OOM or a world that has not run. */
int html_write_report(const world *w, FILE *out);

#endif /* FLEETSIM_HTML_H */
