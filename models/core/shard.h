/*
 * shard.h - a slice of a batch's jobs run on its own (a Slurm array task, a
 * GNU parallel job, an MPI rank), and the partial result it writes for
 * `fleetsim merge` (docs/compare.md "Past one machine").
 *
 * A partial result carries its origin (the scenario's file name and text, the
 * --set options, replications, whether variants run, the shard I/N) and, for
 * each job of its slice, the headline figures, the latency histogram and the
 * cost ledger, with every number written exactly (C99 hexadecimal floats). A
 * merge reloads the scenario from the origin's text, so it needs no file but
 * the partial results and gives the bytes a single run gives.
 *
 * Prefix: shard_.
 */
#ifndef FLEETSIM_SHARD_H
#define FLEETSIM_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/core/batch.h"

#define SHARD_SCHEMA "fleetsim.partial/1"
#define SHARD_FILE "partial.fleetsim" /* its name under --out DIR */

/* Where a batch comes from: enough to load its scenario again. */
typedef struct shard_origin {
    char *file;            /* as given ("<default>" for the built-in scenario) */
    char *text;            /* the scenario's text */
    size_t text_len;
    char **sets;           /* the --set options (--seed N as seed=N), in order */
    size_t n_sets;
    int replications;
    int with_variants;     /* 1: compare (base and variants); 0: run (the base) */
    size_t shard_i, shard_n;
} shard_origin;

/* Parses "I/N" (0 <= I < N <= 100000); 0, or -1. */
int shard_parse(const char *s, size_t *i, size_t *n);

/* Shard i of n takes the jobs [first, last): contiguous, sizes differing by at most 1. */
void shard_range(size_t n_jobs, size_t i, size_t n, size_t *first, size_t *last);

/* A hash of everything in the origin but the shard: partial results merge only when theirs agree. */
uint64_t shard_hash(const shard_origin *o);

/* Writes the partial result of b's jobs [first, last) (those that ran) with its origin; 0, or -1 on a write error. */
int shard_write(FILE *out, const shard_origin *o, const batch *b, size_t first, size_t last);

/* Writes only the jobs part (what follows the origin, "end" included): for MPI ranks, which share the origin. */
int shard_write_jobs(FILE *out, const batch *b, size_t first, size_t last);

/* Reads a partial result's origin into o (shard_origin_free it); 0, or -1 with a message in err. */
int shard_read_origin(FILE *in, shard_origin *o, char *err, size_t errlen);

/* After shard_read_origin on the same stream (or on what shard_write_jobs wrote): puts its jobs into b; a job b already has is an error. 0, or -1 with a message in err. */
int shard_read_jobs(FILE *in, batch *b, char *err, size_t errlen);

/* Frees what o holds. */
void shard_origin_free(shard_origin *o);

#endif /* FLEETSIM_SHARD_H */
