/*
 * vhelp.c - scenario construction, threaded replications and interval
 * estimates for the validation tests (see vhelp.h).
 */
#include "tests/validation/vhelp.h"

#include "stats/ci.h"
#include "tests/mmk.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "models/core/world.h"

double vnow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The one-queue scenario, with the storage behind its pointers. */
typedef mmk_scn vscn;

/* One instance of c vCPUs (an M/G/c station) behind an ALB (one target: the
 * algorithm does not matter), one report window over the whole run: the
 * windows are not what is validated. The tests assert the ALB's idle timeout
 * never fires (no 504). */
static void vscn_build(vscn *v, const vcase *c)
{
    char itype[32];
    snprintf(itype, sizeof itype, "val.c%d", c->vcpus);
    sim_time_t duration = sim_from_sec(c->warmup_s + c->measure_s);
    mmk_params p = {
        .file = "<validation>", .name = "validation", .itype = itype, .instance = "queue",
        .tg = "queue_tg", .attachment = "queue_att", .lb = "front", .workload = "poisson",
        .count = 1, .vcpus = c->vcpus, .algorithm = SCN_ALG_ROUND_ROBIN, .lambda = c->lambda,
        .service = c->service, .seed = c->seed, .duration = duration,
        .warmup = sim_from_sec(c->warmup_s), .window = duration,
    };
    mmk_build(v, &p);
}

static void vrep_one(const scenario *sc, uint32_t rep, vrep *out)
{
    memset(out, 0, sizeof *out);
    sim *s = sim_new(sc->seed, rep);
    if (!s) {
        out->rc = SIM_ENOMEM;
        snprintf(out->err, sizeof out->err, "sim_new failed");
        return;
    }
    world *w = world_new(s, sc, out->err, sizeof out->err);
    if (!w) {
        out->rc = -100;
        sim_free(s);
        return;
    }
    double t0 = vnow();
    int rc = world_run(w);
    out->wall_s = vnow() - t0;
    out->rc = rc;
    if (rc != 0) snprintf(out->err, sizeof out->err, "world_run returned %d", rc);

    const stats_summary *sm = world_summary(w);
    out->arrivals = sm->arrivals;
    out->completed = sm->completed;
    out->in_flight = sm->in_flight_at_end;
    memcpy(out->errors, sm->errors, sizeof out->errors);
    out->events = sim_events_fired(s);
    out->mean_latency = sm->mean_latency;
    out->mean_in_system = sm->mean_in_system;
    out->lambda_hat = (double)sm->arrivals / sim_to_sec(sc->duration - sc->report.warmup);
    out->p99_summary = sm->p99;
    out->cpu_utilisation = sm->cpu_utilisation;
    out->p99_interp = vhist_quantile_interp(world_latency(w), 0.99) / 1e9;

    world_free(w);
    sim_free(s);
}

typedef struct vworker {
    const scenario *sc;
    vrep *out;
    int reps, first, stride;
} vworker;

static void *vworker_main(void *arg)
{
    const vworker *wk = arg;
    for (int r = wk->first; r < wk->reps; r += wk->stride) vrep_one(wk->sc, (uint32_t)r, &wk->out[r]);
    return NULL;
}

int vcase_run(const vcase *c, vrep *out, double *wall_s)
{
    vscn v;
    vscn_build(&v, c);
    double t0 = vnow();
    pthread_t th[VAL_THREADS];
    vworker wk[VAL_THREADS];
    int started[VAL_THREADS] = {0};
    for (int i = 0; i < VAL_THREADS; i++) {
        wk[i] = (vworker){&v.sc, out, c->reps, i, VAL_THREADS};
        started[i] = pthread_create(&th[i], NULL, vworker_main, &wk[i]) == 0;
        if (!started[i]) vworker_main(&wk[i]); /* no thread: run its share here */
    }
    for (int i = 0; i < VAL_THREADS; i++)
        if (started[i]) pthread_join(th[i], NULL);
    if (wall_s) *wall_s = vnow() - t0;
    for (int r = 0; r < c->reps; r++)
        if (out[r].rc != 0) return -1;
    return 0;
}

vci vci_of(const double *x, int n)
{
    ci c = ci_of(x, n > 0 ? (size_t)n : 0, 0.95); /* stats/ci.h: the interval the comparisons report */
    vci v = {.n = n, .mean = c.mean, .sd = c.sd, .hw = c.half};
    if (c.n != (size_t)n) /* a non-finite estimate: no interval, the check fails */
        v.mean = v.hw = NAN;
    if (n < 2)
        v.sd = v.hw = INFINITY;
    v.lo = v.mean - v.hw;
    v.hi = v.mean + v.hw;
    return v;
}

double vhist_quantile_interp(const hist *h, double q)
{
    if (!h || h->count == 0) return 0.0;
    if (q < 0) q = 0;
    if (q > 1) q = 1;
    double rank = q * (double)h->count; /* the value below which a fraction q lies */
    double cum = 0;
    for (int b = 0; b < HIST_N_BUCKETS; b++) {
        uint64_t n = h->buckets[b];
        if (!n) continue;
        if (cum + (double)n >= rank) {
            int64_t lo, hi;
            hist_bucket_range(b, &lo, &hi);
            double frac = (rank - cum) / (double)n;
            return (double)lo + frac * ((double)hi + 1.0 - (double)lo);
        }
        cum += (double)n;
    }
    return (double)h->max;
}

double erlang_c(int c, double a)
{
    /* Erlang B by its stable recursion, then C = B / (1 - rho (1 - B)) */
    double b = 1.0;
    for (int k = 1; k <= c; k++) b = a * b / ((double)k + a * b);
    double rho = a / c;
    return b / (1.0 - rho * (1.0 - b));
}

int vargs(int argc, char **argv, vopts *o)
{
    o->scale = 1.0;
    o->cases = 0;
    o->seed_offset = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            o->scale = atof(argv[++i]);
            if (!(o->scale > 0)) return -1;
        } else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
            int k = atoi(argv[++i]);
            if (k < 0 || k >= (int)(8 * sizeof o->cases)) return -1;
            o->cases |= 1UL << k;
        } else if (strcmp(argv[i], "--seed-offset") == 0 && i + 1 < argc) {
            o->seed_offset = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--scale X] [--case I]... [--seed-offset K]\n", argv[0]);
            return -1;
        }
    }
    if (o->cases == 0) o->cases = ~0UL;
    return 0;
}
