/*
 * test_pool.c - free-list pools: reuse, alignment, and memory that follows
 * the peak number in use rather than the number ever handed out.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "sim/sim.h"
#include "tests/tap.h"

static void test_reuse(void)
{
    sim *s = sim_new(1, 0);
    sim_pool *p = sim_pool_new(s, 24);
    ok(p != NULL, "pool created");
    is_int(sim_pool_in_use(p), 0, "empty pool: nothing in use");
    void *a = sim_pool_get(p);
    void *b = sim_pool_get(p);
    ok(a && b && a != b, "two distinct objects");
    is_int(sim_pool_in_use(p), 2, "two in use");
    size_t cap = sim_pool_capacity(p);
    ok(cap >= 2, "capacity covers them (%zu)", cap);
    sim_pool_put(p, a);
    is_int(sim_pool_in_use(p), 1, "one in use after put");
    void *c = sim_pool_get(p);
    ok(c == a, "a returned object is reused first");
    is_int(sim_pool_capacity(p), cap, "reuse does not grow the pool");
    sim_pool_put(p, b);
    sim_pool_put(p, c);
    is_int(sim_pool_in_use(p), 0, "all returned");
    sim_free(s);
}

static void test_alignment_and_distinct(void)
{
    sim *s = sim_new(1, 0);
    size_t sizes[] = {1, 7, 8, 17, 33, 100, 4096};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        sim_pool *p = sim_pool_new(s, sizes[k]);
        enum { M = 1000 };
        unsigned char **objs = malloc(M * sizeof *objs);
        int misaligned = 0, clobbered = 0;
        for (int i = 0; i < M; i++) {
            objs[i] = sim_pool_get(p);
            if ((uintptr_t)objs[i] % alignof(max_align_t))
                misaligned++;
            memset(objs[i], i & 0xff, sizes[k]);
        }
        for (int i = 0; i < M; i++)
            for (size_t j = 0; j < sizes[k]; j++)
                if (objs[i][j] != (unsigned char)(i & 0xff))
                    clobbered++;
        is_int(misaligned, 0, "size %zu: every object aligned for max_align_t", sizes[k]);
        is_int(clobbered, 0, "size %zu: objects do not overlap", sizes[k]);
        is_int(sim_pool_in_use(p), M, "size %zu: %d in use", sizes[k], M);
        ok(sim_pool_capacity(p) >= M && sim_pool_capacity(p) <= 2 * M + 64,
           "size %zu: capacity %zu within twice the peak", sizes[k], sim_pool_capacity(p));
        for (int i = 0; i < M; i++)
            sim_pool_put(p, objs[i]);
        is_int(sim_pool_in_use(p), 0, "size %zu: all returned", sizes[k]);
        free(objs);
    }
    sim_free(s); /* ASan's leak check proves the kernel freed every slab */
}

static void test_peak(void)
{
    sim *s = sim_new(1, 0);
    sim_pool *p = sim_pool_new(s, 64);
    enum { FLIGHT = 100 };
    void *live[FLIGHT] = {0};
    size_t n_live = 0, peak = 0;
    uint64_t x = 12345;
    /* a million gets and puts in a random order, never more than 100 in flight */
    for (long i = 0; i < 1000000; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        bool get = n_live == 0 || (n_live < FLIGHT && (x >> 63));
        if (get) {
            live[n_live++] = sim_pool_get(p);
        } else {
            size_t k = (size_t)((x >> 33) % n_live);
            sim_pool_put(p, live[k]);
            live[k] = live[--n_live];
        }
        if (n_live > peak)
            peak = n_live;
    }
    is_int(sim_pool_in_use(p), n_live, "in_use tracks gets minus puts");
    ok(peak == FLIGHT, "the peak in flight reached %zu", peak);
    ok(sim_pool_capacity(p) <= 2 * FLIGHT + 64, "capacity %zu follows the peak (%d), not the 1e6 handed out",
       sim_pool_capacity(p), FLIGHT);
    while (n_live)
        sim_pool_put(p, live[--n_live]);
    sim_free(s);
}

static void test_many_pools(void)
{
    sim *s = sim_new(1, 0);
    sim_pool *a = sim_pool_new(s, 16), *b = sim_pool_new(s, 16);
    void *x = sim_pool_get(a), *y = sim_pool_get(b);
    ok(x && y && x != y, "pools are independent");
    is_int(sim_pool_in_use(a) + sim_pool_in_use(b), 2, "each counts its own");
    sim_free(s); /* objects still in use are freed with their pool */
    ok(1, "sim_free releases pools with objects still handed out");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_reuse();
    test_alignment_and_distinct();
    test_peak();
    test_many_pools();
    return tap_done();
}
