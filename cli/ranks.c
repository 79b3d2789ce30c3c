/*
 * ranks.c - the batch over MPI ranks. The results travel as the jobs part of
 * a partial result (shard_write_jobs), the text `fleetsim merge` reads, so a
 * rank's jobs are merged exactly as a shard's are: byte-identical output.
 */
#define _GNU_SOURCE /* open_memstream, fmemopen: POSIX 2008, named for glibc */
#include "cli/ranks.h"

#include <stdio.h>
#include <stdlib.h>

#include "models/core/shard.h"

#ifdef FLEETSIM_MPI
#include <mpi.h>

static int rank_of, size_of = 1, mpi_on;

/* Whether a launcher (mpirun, srun) started this process: Open MPI and PMI/PMIx set these. */
static int under_launcher(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
        if (getenv(vars[k]))
            return 1;
    return 0;
}

/* A plain `fleetsim` start stays out of MPI: a singleton MPI_Init costs about a second (it starts Open MPI's runtime), which every check and run would pay. */
void ranks_init(int *argc, char ***argv)
{
    if (!under_launcher())
        return;
    MPI_Init(argc, argv);
    mpi_on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_of);
    MPI_Comm_size(MPI_COMM_WORLD, &size_of);
}

void ranks_finish(void)
{
    if (mpi_on)
        MPI_Finalize();
}

int ranks_rank(void) { return rank_of; }
int ranks_size(void) { return size_of; }

int ranks_run(batch *b, int threads, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    size_t first, last;
    shard_range(batch_n_jobs(b), (size_t)rank_of, (size_t)size_of, &first, &last);
    int rc = batch_run(b, first, last, threads, stop, err, errlen);
    if (rank_of != 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f) {
            if (rc == 0)
                shard_write_jobs(f, b, first, last);
            fclose(f);
        }
        unsigned long long n = buf ? len : 0;
        MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, 1, MPI_COMM_WORLD);
        if (n)
            MPI_Send(buf, (int)n, MPI_CHAR, 0, 2, MPI_COMM_WORLD);
        free(buf);
        return rc;
    }
    for (int r = 1; r < size_of; r++) {
        unsigned long long n = 0;
        MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        char *buf = n ? malloc(n) : NULL;
        if (n && !buf) {
            fprintf(stderr, "fleetsim: out of memory receiving rank %d's results\n", r);
            MPI_Abort(MPI_COMM_WORLD, 3);
        }
        if (n)
            MPI_Recv(buf, (int)n, MPI_CHAR, r, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        FILE *f = buf ? fmemopen(buf, n, "r") : NULL;
        if ((!f || shard_read_jobs(f, b, err, errlen) != 0) && rc == 0) {
            if (!f)
                snprintf(err, errlen, "rank %d sent no results", r);
            rc = -1;
        }
        if (f)
            fclose(f);
        free(buf);
    }
    return rc;
}

#else

void ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

void ranks_finish(void) {}
int ranks_rank(void) { return 0; }
int ranks_size(void) { return 1; }

int ranks_run(batch *b, int threads, const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    return batch_run(b, 0, batch_n_jobs(b), threads, stop, err, errlen);
}

#endif
