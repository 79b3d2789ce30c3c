/*
 * test_compare.c - comparisons (issue 9 point 4): common random numbers,
 * results independent of the thread count, exact merges.
 *
 *   test_compare SOURCE_ROOT
 *
 * Runs scenarios/compare-scaling-policies.yaml cut to 3 h (the crowd at 1 h) with 1 s report
 * windows (--set), so every window's arrival count is a fine-grained trace
 * of the arrival times.
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; glibc wants it named */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "models/core/batch.h"
#include "models/core/world.h"
#include "reports/compare.h"
#include "stats/histogram.h"
#include "tests/tap.h"

typedef struct run {
    size_t n;
    uint64_t *arrivals;   /* per window */
    int *in_service;      /* per window, at its end */
    hist latency;
    cost_ledger ledger;
} run;

static int run_one(const scenario *sc, uint32_t rep, run *out)
{
    sim *s = sim_new(sc->seed, rep);
    char err[256] = "";
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w || world_run(w) != 0) {
        tap_diag("cannot run %s: %s", sc->variant_name ? sc->variant_name : "base", err);
        world_free(w);
        sim_free(s);
        return -1;
    }
    const stats_window *win = world_windows(w, &out->n);
    out->arrivals = malloc(out->n * sizeof *out->arrivals);
    out->in_service = malloc(out->n * sizeof *out->in_service);
    for (size_t k = 0; k < out->n; k++) {
        out->arrivals[k] = win[k].arrivals;
        out->in_service[k] = win[k].fleet.in_service;
    }
    hist_reset(&out->latency);
    hist_merge(&out->latency, world_latency(w));
    out->ledger = *world_ledger(w);
    world_free(w);
    sim_free(s);
    return 0;
}

static void run_free(run *r)
{
    free(r->arrivals);
    free(r->in_service);
}

static int same_hist(const hist *a, const hist *b)
{
    return a->count == b->count && a->clamped == b->clamped && a->min == b->min && a->max == b->max &&
           a->sum == b->sum && memcmp(a->buckets, b->buckets, sizeof a->buckets) == 0;
}

/* The batch's JSON and text, as one string. */
static char *outputs(const batch *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    compare_print_text(b, f);
    compare_write_json(b, f);
    compare_write_csv(b, f);
    compare_write_html(b, f);
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/compare-scaling-policies.yaml", argc > 1 ? argv[1] : ".");
    const char *sets[] = {"duration=3h", "report.window=1s", "workload.1.arrivals.start=1h"};
    scn_diags d = {0};
    scenario *sc = NULL;
    if (scenario_load_file(path, sets, 3, &sc, &d) != 0) {
        scn_diags_print(&d, stderr);
        ok(0, "the scenario loads");
        return tap_done();
    }
    scenario_text_free(&d);
    scn_diags_free(&d);
    is_int(sc->n_variants, 3, "three variants: step, simple, scheduled");

    /* Common random numbers: every variant's replication r sees the base's arrivals, window by window. */
    run base[2], other[3];
    int ran = run_one(sc, 0, &base[0]) == 0 && run_one(sc, 1, &base[1]) == 0;
    for (size_t v = 0; ran && v < 3; v++) {
        ran = run_one(sc->variants[v], 0, &other[v]) == 0;
        int same = other[v].n == base[0].n &&
                   memcmp(other[v].arrivals, base[0].arrivals, base[0].n * sizeof *base[0].arrivals) == 0;
        ok(same, "variant %s, replication 0: the same arrivals as the base in each of %zu one-second windows",
           sc->variants[v]->variant_name, base[0].n);
        int differs = memcmp(other[v].in_service, base[0].in_service, base[0].n * sizeof *base[0].in_service) != 0;
        ok(differs, "variant %s: its fleet differs from the base's (the policies do act)",
           sc->variants[v]->variant_name);
    }
    ok(ran && memcmp(base[0].arrivals, base[1].arrivals, base[0].n * sizeof *base[0].arrivals) != 0,
       "replication 1 draws other arrivals than replication 0 (the windows can tell)");

    /* Exact merges: the batch's histogram and ledger of the base are those of its runs added in order. */
    batch *b1 = batch_new(sc, 2, 1), *b2 = batch_new(sc, 2, 1);
    char err[256];
    ok(batch_run(b1, 0, batch_n_jobs(b1), 1, NULL, err, sizeof err) == 0 && batch_merge(b1, err, sizeof err) == 0,
       "the batch runs on 1 thread");
    ok(batch_run(b2, 0, batch_n_jobs(b2), 2, NULL, err, sizeof err) == 0 && batch_merge(b2, err, sizeof err) == 0,
       "the batch runs on 2 threads");
    hist h;
    hist_reset(&h);
    hist_merge(&h, &base[0].latency);
    hist_merge(&h, &base[1].latency);
    ok(same_hist(batch_latency(b1, 0), &h), "the base's merged histogram equals its two runs' added");
    cost_ledger l;
    cost_ledger_init(&l);
    batch_ledger_merge(&l, &base[0].ledger);
    batch_ledger_merge(&l, &base[1].ledger);
    int same_l = l.n == batch_ledger(b1, 0)->n;
    for (size_t i = 0; same_l && i < l.n; i++)
        same_l = strcmp(l.items[i].item, batch_ledger(b1, 0)->items[i].item) == 0 &&
                 l.items[i].usd == batch_ledger(b1, 0)->items[i].usd;
    ok(same_l && l.n > 0, "the base's merged ledger equals its two runs' added, item by item (%zu items)", l.n);
    const double *f0 = batch_figures(b1, 1, 0);
    ok(f0 && batch_figures(b1, 3, 1), "every job left its figures");

    /* Threads: byte-identical outputs. */
    char *o1 = outputs(b1), *o2 = outputs(b2);
    ok(o1 && o2 && strcmp(o1, o2) == 0, "text, JSON, CSV and HTML are byte-identical on 1 and 2 threads (%zu bytes)",
       o1 ? strlen(o1) : 0);
    free(o1);
    free(o2);
    batch_free(b1);
    batch_free(b2);

    /* hist_merge equals recording the union (random values over the whole range). */
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    hist *a = malloc(sizeof *a), *c = malloc(sizeof *c), *u = malloc(sizeof *u);
    hist_reset(a);
    hist_reset(c);
    hist_reset(u);
    for (int i = 0; i < 100000; i++) {
        int64_t x = (int64_t)(gsl_rng_uniform(g) * 1e9 * (1 + (i % 7) * 1000.0));
        hist_record(i % 3 ? a : c, x);
        hist_record(u, x);
    }
    hist_merge(a, c);
    ok(a->count == u->count && a->min == u->min && a->max == u->max &&
       memcmp(a->buckets, u->buckets, sizeof a->buckets) == 0 && hist_quantile(a, 0.99) == hist_quantile(u, 0.99),
       "hist_merge(A, B) has the buckets, count, min, max and quantiles of the histogram of A and B's union");
    free(a);
    free(c);
    free(u);
    gsl_rng_free(g);

    for (int r = 0; r < 2; r++)
        run_free(&base[r]);
    for (int v = 0; v < 3; v++)
        run_free(&other[v]);
    scenario_free(sc);
    return tap_done();
}
