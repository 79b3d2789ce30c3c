/*
 * compare.h - the comparison table of a batch (models/core/batch.h): one
 * column per variant, a row per headline figure with the mean and its 95%
 * Student-t interval over the replications, and rows of paired differences
 * from the base with their intervals and significance. Text (stdout),
 * compare.json, compare.csv and compare.html; docs/compare.md.
 *
 * Like report.h, nothing here prints a wall-clock value or depends on the
 * C locale: the same scenario, seed and replications give the same bytes for
 * any number of threads.
 *
 * Prefix: compare_.
 */
#ifndef FLEETSIM_COMPARE_H
#define FLEETSIM_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "models/core/batch.h"

#define COMPARE_SCHEMA "fleetsim.compare/1"
#define COMPARE_LEVEL 0.95

/* Prints the table to out. */
void compare_print_text(const batch *b, FILE *out);

/* Writes compare.json (schema COMPARE_SCHEMA), compare.csv, compare.html to out; 0, or -1 on a write error. */
int compare_write_json(const batch *b, FILE *out);
int compare_write_csv(const batch *b, FILE *out);
int compare_write_html(const batch *b, FILE *out);

/* The names compare_write_dir writes (compare.json last), into names (room for 4); their count. */
size_t compare_set_names(const char *names[4]);

/* Writes the three files into dir as one set (reports/fileset.h); 0, or -1 with a message in err. */
int compare_write_dir(const batch *b, const char *dir, char *err, size_t errlen);

#endif /* FLEETSIM_COMPARE_H */
