/*
 * batch.c - the job pool: worker threads take the next job index under a
 * mutex; each job builds, runs and reads its own world, then frees it, so
 * memory holds one world per thread plus each job's figures, histogram and
 * ledger.
 */
#include "models/core/batch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/world.h"
#include "sim/sim.h"

typedef struct job {
    int ran;                 /* 1 once finished (even when partial) */
    int partial;
    int failed;              /* could not be built, or the kernel failed */
    char err[256];
    double fig[HEADLINE_N];
    hist *latency;           /* allocated by the job */
    cost_ledger ledger;
} job;

struct batch {
    const scenario *sc;
    size_t n_variants, reps;
    job *jobs;
    hist *latency;           /* per variant, merged */
    cost_ledger *ledger;     /* per variant, merged */
    int *partial;
    /* the run in progress */
    pthread_mutex_t lock;
    size_t next, last;
    const volatile sig_atomic_t *stop;
};

batch *batch_new(const scenario *sc, int replications, int with_variants)
{
    batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->sc = sc;
    b->n_variants = 1 + (with_variants ? sc->n_variants : 0);
    b->reps = replications > 0 ? (size_t)replications : 1;
    b->jobs = calloc(b->n_variants * b->reps, sizeof *b->jobs);
    b->latency = malloc(b->n_variants * sizeof *b->latency);
    b->ledger = calloc(b->n_variants, sizeof *b->ledger);
    b->partial = calloc(b->n_variants, sizeof *b->partial);
    if (!b->jobs || !b->latency || !b->ledger || !b->partial) {
        batch_free(b);
        return NULL;
    }
    for (size_t v = 0; v < b->n_variants; v++) {
        hist_reset(&b->latency[v]);
        cost_ledger_init(&b->ledger[v]);
    }
    return b;
}

void batch_free(batch *b)
{
    if (!b)
        return;
    for (size_t j = 0; b->jobs && j < b->n_variants * b->reps; j++)
        free(b->jobs[j].latency);
    free(b->jobs);
    free(b->latency);
    free(b->ledger);
    free(b->partial);
    free(b);
}

size_t batch_n_variants(const batch *b) { return b->n_variants; }
size_t batch_n_replications(const batch *b) { return b->reps; }
size_t batch_n_jobs(const batch *b) { return b->n_variants * b->reps; }

const scenario *batch_variant(const batch *b, size_t v)
{
    return v == 0 ? b->sc : b->sc->variants[v - 1];
}

const char *batch_variant_name(const batch *b, size_t v)
{
    return v == 0 ? "base" : b->sc->variants[v - 1]->variant_name;
}

int batch_ledger_merge(cost_ledger *dst, const cost_ledger *src)
{
    /* line by line: the merged ledger keeps each line's usage and unit price, not only the services' dollars */
    return cost_ledger_merge(dst, src);
}

/* Runs job j start to end; everything it keeps is in b->jobs[j]. */
static void run_job(batch *b, size_t j)
{
    job *jb = &b->jobs[j];
    size_t v = j / b->reps, r = j % b->reps;
    const scenario *sc = batch_variant(b, v);
    sim *s = sim_new(sc->seed, (uint32_t)r);
    world *w = s ? world_new(s, sc, jb->err, sizeof jb->err) : NULL;
    jb->latency = malloc(sizeof *jb->latency);
    if (!w || !jb->latency) {
        if (!s || !jb->latency)
            snprintf(jb->err, sizeof jb->err, "out of memory");
        jb->failed = 1;
        world_free(w);
        sim_free(s);
        return;
    }
    sim_watch(s, b->stop);
    int rc = world_run(w);
    jb->failed = rc != 0 || !world_has_run(w);
    if (jb->failed)
        snprintf(jb->err, sizeof jb->err, "the simulation kernel failed (code %d)", rc);
    if (world_has_run(w)) {
        jb->partial = world_partial(w);
        headline_of(w, jb->fig);
        hist_reset(jb->latency);
        hist_merge(jb->latency, world_latency(w));
        jb->ledger = *world_ledger(w);
        jb->ran = 1;
    }
    world_free(w);
    sim_free(s);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t j = b->next < b->last ? b->next++ : b->last;
        pthread_mutex_unlock(&b->lock);
        if (j >= b->last)
            return NULL;
        run_job(b, j);
    }
}

int batch_run(batch *b, size_t first, size_t last, int threads, const volatile sig_atomic_t *stop, char *err,
              size_t errlen)
{
    if (last > batch_n_jobs(b))
        last = batch_n_jobs(b);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads > last - first && last > first)
        threads = (int)(last - first);
    b->next = first;
    b->last = last;
    b->stop = stop;
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!tid || pthread_mutex_init(&b->lock, NULL) != 0) {
        free(tid);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* The calling thread is worker 0; more only when asked for. */
    int started = 1;
    for (; started < threads; started++)
        if (pthread_create(&tid[started], NULL, worker, b) != 0)
            break;
    worker(b);
    for (int t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&b->lock);
    free(tid);
    for (size_t j = first; j < last; j++)
        if (b->jobs[j].failed) {
            snprintf(err, errlen, "%s, replication %zu: %s", batch_variant_name(b, j / b->reps), j % b->reps,
                     b->jobs[j].err);
            return -1;
        }
    return 0;
}

int batch_merge(batch *b, char *err, size_t errlen)
{
    /* In job order: the long double sums and the ledger's float additions then do not depend on the threads. */
    int rc = 0;
    for (size_t v = 0; v < b->n_variants; v++) {
        hist_reset(&b->latency[v]);
        cost_ledger_init(&b->ledger[v]);
        b->partial[v] = 0;
    }
    for (size_t j = 0; j < batch_n_jobs(b); j++) {
        job *jb = &b->jobs[j];
        size_t v = j / b->reps;
        if (!jb->ran)
            continue;
        b->partial[v] |= jb->partial;
        hist_merge(&b->latency[v], jb->latency);
        if (batch_ledger_merge(&b->ledger[v], &jb->ledger) != 0 && rc == 0) {
            snprintf(err, errlen, "%s: more than %d cost items", batch_variant_name(b, v), COST_MAX_ITEMS);
            rc = -1;
        }
    }
    return rc;
}

int batch_job_get(const batch *b, size_t j, int *partial, const double **fig, const hist **latency,
                  const cost_ledger **ledger)
{
    const job *jb = &b->jobs[j];
    if (!jb->ran)
        return -1;
    *partial = jb->partial;
    *fig = jb->fig;
    *latency = jb->latency;
    *ledger = &jb->ledger;
    return 0;
}

hist *batch_job_put(batch *b, size_t j, int partial, const double fig[HEADLINE_N], const cost_ledger *ledger)
{
    job *jb = &b->jobs[j];
    if (!jb->latency && !(jb->latency = malloc(sizeof *jb->latency)))
        return NULL;
    hist_reset(jb->latency);
    jb->ran = 1;
    jb->partial = partial;
    memcpy(jb->fig, fig, sizeof jb->fig);
    jb->ledger = *ledger;
    return jb->latency;
}

int batch_job_ran(const batch *b, size_t j)
{
    return b->jobs[j].ran;
}

const double *batch_figures(const batch *b, size_t v, size_t r)
{
    const job *jb = &b->jobs[v * b->reps + r];
    return jb->ran ? jb->fig : NULL;
}

const hist *batch_latency(const batch *b, size_t v) { return &b->latency[v]; }
const cost_ledger *batch_ledger(const batch *b, size_t v) { return &b->ledger[v]; }
int batch_partial(const batch *b, size_t v) { return b->partial[v]; }
