/*
 * ranks.h - replications and variants spread over Open MPI ranks
 * (`-Dmpi=enabled`; `mpirun -n K fleetsim run|compare ...`): rank k runs
 * shard k/K of the batch (models/core/shard.h), every rank sends its jobs'
 * results to rank 0, which merges them in job order and alone prints and
 * writes. Without MPI (or with one rank) these do nothing and the batch runs
 * whole on threads. docs/compare.md "Past one machine".
 *
 * Prefix: ranks_.
 */
#ifndef FLEETSIM_RANKS_H
#define FLEETSIM_RANKS_H

#include <signal.h>
#include <stddef.h>

#include "models/core/batch.h"

/* Starts MPI when built with it and started by a launcher (mpirun, srun: their environment says so); call first in main. */
void ranks_init(int *argc, char ***argv);

/* Ends MPI if ranks_init started it; call last in main. */
void ranks_finish(void);

/* This process's rank (0 without MPI) and the number of ranks (1 without MPI). */
int ranks_rank(void);
int ranks_size(void);

/*
 * With several ranks: runs this rank's slice of b's jobs on `threads` threads and gathers every rank's
 * results into rank 0's b (batch_merge is the caller's). 0, or -1 with a message in err (on any rank
 * that saw a failure; rank 0 also fails when a rank sent nothing usable).
 */
int ranks_run(batch *b, int threads, const volatile sig_atomic_t *stop, char *err, size_t errlen);

#endif /* FLEETSIM_RANKS_H */
