/*
 * report.h - the run's reports: a text summary, report.json and windows.csv.
 *
 * Every writer reads a world after world_run and prints no wall-clock value,
 * so the same scenario, seed and fleetsim version give byte-identical output.
 * Numbers never depend on the C locale (the decimal point is always '.').
 */
#ifndef FLEETSIM_REPORT_H
#define FLEETSIM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "models/core/world.h"

#define REPORT_SCHEMA "fleetsim.report/2"

/* Prints the human-readable summary (aligned columns) to out. */
void report_print_text(const world *w, FILE *out);

/* Writes report.json (schema REPORT_SCHEMA, fixed key order) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_json(const world *w, FILE *out);

/* Writes windows.csv (a header, then one row per report window) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_windows_csv(const world *w, FILE *out);

/* Writes events.jsonl (the activity history, one JSON object per line) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_events_jsonl(const world *w, FILE *out);

/*
 * Creates dir if missing (not its parents) and writes dir/report.json,
 * dir/windows.csv and dir/events.jsonl, each atomically (temp file in dir, fsync, rename). Returns
 * 0, or -1 with a message in err (size errlen); on error no temp file is left
 * behind and no target file is half written.
 */
int report_write_dir(const world *w, const char *dir, char *err, size_t errlen);

#endif /* FLEETSIM_REPORT_H */
