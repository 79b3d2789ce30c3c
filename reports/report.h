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

#define REPORT_SCHEMA "fleetsim.report/4"

/* Prints the human-readable summary (aligned columns) to out. */
void report_print_text(const world *w, FILE *out);

/* Writes report.json (schema REPORT_SCHEMA, fixed key order) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_json(const world *w, FILE *out);

/* Writes windows.csv (a header, then one row per report window) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_windows_csv(const world *w, FILE *out);

/* Writes events.jsonl (the activity history, one JSON object per line) to out; 0, or -1 on a write error or a world that has not run. */
int report_write_events_jsonl(const world *w, FILE *out);

/*
 * Creates dir and its missing parents (mkdir -p) and checks that a file can be created in it, so a
 * bad --out is found before the run. 0, or -1 with a message in err (size errlen).
 */
int report_prepare_dir(const char *dir, char *err, size_t errlen);

/* The most files a report set holds. */
#define REPORT_MAX_FILES 16

/* The names of the files report_write_dir writes (report.json last), into names; their count. */
size_t report_set_names(const char *names[REPORT_MAX_FILES]);

/*
 * Writes the report set (report_set_names) into dir as a whole (fileset.h): a reader sees the
 * previous set or the new one, never a mix; a failure leaves dir as it was. Files are created
 * 0666 less the umask. 0, or -1 with a message in err. docs/cli.md says the exact scheme.
 */
int report_write_dir(const world *w, const char *dir, char *err, size_t errlen);

#endif /* FLEETSIM_REPORT_H */
