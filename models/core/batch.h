/*
 * batch.h - variants x replications run as independent jobs on worker threads.
 *
 * Job j = v * replications + r runs variant v (0 = the base, 1.. = the
 * scenario's variants in file order) with replication index r: its own
 * kernel sim_new(seed, r) and world. The seed and index depend only on
 * (v, r), never on which thread ran the job, and every variant's replication
 * r uses the same (seed, r): common random numbers. Results are merged in job
 * order after every job has finished, so they are byte-identical for any
 * number of threads (docs/compare.md).
 *
 * Prefix: batch_.
 */
#ifndef FLEETSIM_BATCH_H
#define FLEETSIM_BATCH_H

#include <signal.h>
#include <stddef.h>

#include "models/core/headline.h"
#include "models/core/scenario.h"
#include "stats/cost.h"
#include "stats/histogram.h"

typedef struct batch batch;

/* A batch of the base, and its variants (sc->variants) when with_variants is set, with `replications` (>= 1) each; sc must outlive it. NULL out of memory. */
batch *batch_new(const scenario *sc, int replications, int with_variants);

/* Frees b; NULL is a no-op. */
void batch_free(batch *b);

/*
 * Runs jobs [first, last) of the batch (all: 0, batch_n_jobs) on `threads` worker threads (>= 1).
 * A non-NULL stop flag that becomes non-zero stops every run at its next event (the runs are then
 * partial). 0, or -1 with a message in err (a run that could not be built or whose kernel failed).
 */
int batch_run(batch *b, size_t first, size_t last, int threads, const volatile sig_atomic_t *stop, char *err,
              size_t errlen);

/* The number of variants (1 + the scenario's variants), replications, and jobs (their product). */
size_t batch_n_variants(const batch *b);
size_t batch_n_replications(const batch *b);
size_t batch_n_jobs(const batch *b);

/* Variant v's scenario (v = 0: the base) and its name ("base" for the base). */
const scenario *batch_variant(const batch *b, size_t v);
const char *batch_variant_name(const batch *b, size_t v);

/* After batch_run (or batch_job_put): merges every job that ran into its variant's histogram and ledger, in job order; 0, or -1 with a message in err. */
int batch_merge(batch *b, char *err, size_t errlen);

/* Job j's results (0), or -1 when it has not run: for writing a shard's partial result. */
int batch_job_get(const batch *b, size_t j, int *partial, const double **fig, const hist **latency,
                  const cost_ledger **ledger);
/* Sets job j's results as read from a partial result; returns its histogram, reset, for the caller to fill; NULL out of memory. */
hist *batch_job_put(batch *b, size_t j, int partial, const double fig[HEADLINE_N], const cost_ledger *ledger);
/* 1 when job j has results. */
int batch_job_ran(const batch *b, size_t j);

/* After batch_run: the headline figures of replication r of variant v (HEADLINE_N of them); NULL for a job not run. */
const double *batch_figures(const batch *b, size_t v, size_t r);

/* After batch_merge: variant v's latency histogram and cost ledger, merged over the replications run. */
const hist *batch_latency(const batch *b, size_t v);
const cost_ledger *batch_ledger(const batch *b, size_t v);

/* After batch_merge: 1 when any run of variant v stopped early (stop flag or kernel failure). */
int batch_partial(const batch *b, size_t v);

/* The cost ledger src added into dst item by item (items new to dst go at its end); 0, or -1 if dst is full. */
int batch_ledger_merge(cost_ledger *dst, const cost_ledger *src);

#endif /* FLEETSIM_BATCH_H */
