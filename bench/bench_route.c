/*
 * bench_route.c - the target group's routing alone: nanoseconds per request
 * (pick, outstanding +1, and the answer's outstanding -1) at K targets.
 *
 *   bench_route MODE K OPS SEED
 *
 * MODE is lor | random | rr (load_balancing_algorithm_type). K healthy
 * targets; each request stays outstanding until 2K later requests have been
 * routed (two in flight per target on average, as at rho near 0.8 on 2 vCPUs),
 * so LOR's counts move as on a busy fleet. The targets are never run: the
 * pointers the group keeps are placeholders it only compares. Prints
 *   bench=route mode=lor K=... ops=... run_s=... ns_per_req=...
 * Issue 10's goal: ns_per_req at K = 10,000 within 1.5x of K = 10.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "models/elb/target_group.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_route lor|random|rr K OPS SEED\n");
        return 2;
    }
    scn_lb_algorithm alg = strcmp(argv[1], "lor") == 0      ? SCN_ALG_LEAST_OUTSTANDING_REQUESTS
                           : strcmp(argv[1], "random") == 0 ? SCN_ALG_WEIGHTED_RANDOM
                                                            : SCN_ALG_ROUND_ROBIN;
    long k = atol(argv[2]);
    long ops = atol(argv[3]);
    if (k < 1 || ops < 1) {
        fprintf(stderr, "bench_route: K and OPS must be >= 1\n");
        return 2;
    }
    tg *g = tg_new("bench", alg);
    /* Placeholder instances: distinct addresses the group compares and never dereferences. */
    char *fake = calloc((size_t)k, 1);
    size_t ring_n = (size_t)(2 * k);
    int *ring = malloc(ring_n * sizeof *ring);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!g || !fake || !ring || !r)
        return 1;
    gsl_rng_set(r, strtoul(argv[4], NULL, 10));
    for (long i = 0; i < k; i++)
        if (tg_register(g, (ec2_instance *)(void *)(fake + i)) < 0)
            return 1;
    for (size_t i = 0; i < ring_n; i++) {
        ring[i] = tg_pick(g, r);
        tg_outstanding_inc(g, ring[i]);
    }
    uint64_t check = 0;
    double t0 = now_s();
    size_t at = 0;
    for (long i = 0; i < ops; i++) {
        tg_outstanding_dec(g, ring[at]);
        int idx = tg_pick(g, r);
        tg_outstanding_inc(g, idx);
        ring[at] = idx;
        check += (uint64_t)idx;
        if (++at == ring_n)
            at = 0;
    }
    double run = now_s() - t0;
    printf("bench=route mode=%s K=%ld ops=%ld run_s=%.4f ns_per_req=%.1f check=%llu\n", argv[1], k, ops, run,
           run / (double)ops * 1e9, (unsigned long long)check);
    tg_free(g);
    gsl_rng_free(r);
    free(ring);
    free(fake);
    return 0;
}
