/*
 * test_determinism.c - the same scenario and seed give byte-identical
 * report.json: twice in a row, and in two threads at once; another seed
 * differs.
 */
#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "../tap.h"
#include "reports/report.h"
#include "mtest.h"

typedef struct job {
    const mscn *m;
    uint64_t seed;
    char *json, *text;
    size_t len, tlen;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    world *w = mt_run(j->m, j->seed);
    if (!w)
        return NULL;
    FILE *f = open_memstream(&j->json, &j->len);
    report_write_json(w, f);
    fclose(f);
    f = open_memstream(&j->text, &j->tlen);
    report_print_text(w, f);
    fclose(f);
    mt_free(w);
    return NULL;
}

static int same(const job *a, const job *b)
{
    return a->json && b->json && a->len == b->len && memcmp(a->json, b->json, a->len) == 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    mscn m;
    mscn_init(&m, 240, SCN_ALG_WEIGHTED_RANDOM);
    mscn_add(&m, 3, 2, 1.0, 1);
    mscn_add(&m, 1, 1, 0.5, 1);
    mscn_poisson(&m, 200, (sim_dist){.kind = SIM_DIST_LOGNORMAL, .a = -4.0, .b = 1.0});
    m.wl.timeout = 400 * SIM_MS;
    m.lb.idle_timeout = 2 * SIM_SEC;
    m.sc.report.warmup = 20 * SIM_SEC;

    job a = {&m, 42, 0, 0, 0, 0}, b = a, c = a, d = a, e = a;
    e.seed = 43;
    run_job(&a);
    run_job(&b);
    ok(a.json && a.len > 1000, "report.json produced (%zu bytes)", a.len);
    ok(same(&a, &b), "same seed twice in a row: byte-identical report.json");
    ok(a.text && b.text && a.tlen == b.tlen && memcmp(a.text, b.text, a.tlen) == 0,
       "and byte-identical text summary");

    pthread_t t1, t2;
    pthread_create(&t1, NULL, run_job, &c);
    pthread_create(&t2, NULL, run_job, &d);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    ok(same(&a, &c) && same(&a, &d), "two runs in two threads at once: byte-identical");

    run_job(&e);
    ok(e.json && !same(&a, &e), "another seed gives another report");

    free(a.json), free(b.json), free(c.json), free(d.json), free(e.json);
    free(a.text), free(b.text), free(c.text), free(d.text), free(e.text);
    return tap_done();
}
