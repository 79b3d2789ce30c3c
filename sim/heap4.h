/*
 * heap4.h - the kernel's event queue: a 4-ary min-heap of 16-byte entries
 * {time, key} ordered by (time, key), with the layout, compare and prefetching
 * kernel.c describes. Internal to the kernel (models use sim.h); it is a
 * header so that bench/bench_queue.c measures this very code against a ladder
 * queue, not a copy that drifts from it.
 *
 * Prefix: heap4_ (hent and ent_lt: the kernel's names for an entry and its order).
 */
#ifndef FLEETSIM_HEAP4_H
#define FLEETSIM_HEAP4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

#if defined(__GNUC__)
#define HEAP4_PREFETCH(p) __builtin_prefetch(p)
#define HEAP4_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define HEAP4_PREFETCH(p) ((void)(p))
#define HEAP4_ALWAYS_INLINE inline
#endif

typedef struct hent {
    sim_time_t t;
    uint64_t key;
} hent;

/*
 * Branch-free on purpose: which child is least is a coin flip, and a
 * mispredicted branch per compare cost more than the heap itself. Times are
 * never negative (t >= now >= 0), so (t, key) compares as one 128-bit number.
 */
static inline bool ent_lt(const hent *a, const hent *b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 x = (unsigned __int128)(uint64_t)a->t << 64 | a->key;
    unsigned __int128 y = (unsigned __int128)(uint64_t)b->t << 64 | b->key;
    return x < y;
#else
    return (a->t < b->t) | ((a->t == b->t) & (a->key < b->key));
#endif
}

/* Moves e up from the vacant position i of heap h to where it belongs. */
static inline void heap4_up(hent *h, size_t i, hent e)
{
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!ent_lt(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

/*
 * One sift-down; `far` (0: no prefetch, 1: two levels, 2: three levels) is a
 * constant at each call, so the cached case pays no test per level.
 */
static HEAP4_ALWAYS_INLINE void heap4_down_at(hent *h, size_t n, size_t i, hent e, int far)
{
    /* nodes i < full have all four children: the loop needs no bounds test */
    size_t full = n >= 5 ? (n - 1) / 4 : 0;
    while (i < full) {
        /* The families below this node's grandchildren are one contiguous
         * 1 KiB block, those below its children 256 bytes: fetching them while
         * this level is compared puts two or three levels' cache misses in
         * flight at once instead of queueing one after another (the block for
         * the next level down was requested one or two levels up). */
        if (far == 2 && 64 * i + 84 < n) {
            const char *g = (const char *)&h[64 * i + 21];
            for (int k = 0; k < 16; k++)
                HEAP4_PREFETCH(g + 64 * k);
        } else if (far) {
            if (16 * i + 20 < n) {
                const char *g = (const char *)&h[16 * i + 5];
                HEAP4_PREFETCH(g);
                HEAP4_PREFETCH(g + 64);
                HEAP4_PREFETCH(g + 128);
                HEAP4_PREFETCH(g + 192);
            }
        }
        const hent *f = &h[4 * i + 1];
        /* a tournament keeps the compares independent; a mask, not ?:, or
         * the compiler emits a 50/50 branch */
        size_t a = ent_lt(&f[1], &f[0]);
        size_t b = 2 + ent_lt(&f[3], &f[2]);
        size_t m = a ^ ((a ^ b) & (0 - (size_t)ent_lt(&f[b], &f[a])));
        if (!ent_lt(&f[m], &e))
            goto done;
        h[i] = f[m];
        i = 4 * i + 1 + m;
    }
    if (4 * i + 1 < n) {
        /* the last parent, with one to three children */
        size_t c = 4 * i + 1;
        for (size_t j = c + 1; j < n; j++)
            if (ent_lt(&h[j], &h[c]))
                c = j;
        if (ent_lt(&h[c], &e)) {
            h[i] = h[c];
            i = c;
        }
    }
done:
    h[i] = e;
}

/* A heap that fits in L2 gains nothing from prefetching but its cost. */
#define HEAP4_FAR_ENTRIES (((size_t)512 << 10) / sizeof(hent))
/* From 4 MiB of heap on (1e5 events: 1.6 MB), fetching three levels ahead beat two: 1.39x against 1.13x c-heap at 1e6. */
#define HEAP4_DEEP_ENTRIES (((size_t)4 << 20) / sizeof(hent))

/* Moves e down from the vacant position i of the n-entry heap h to where it belongs. */
static inline void heap4_down(hent *h, size_t n, size_t i, hent e)
{
    if (n > HEAP4_DEEP_ENTRIES)
        heap4_down_at(h, n, i, e, 2);
    else if (n > HEAP4_FAR_ENTRIES)
        heap4_down_at(h, n, i, e, 1);
    else
        heap4_down_at(h, n, i, e, 0);
}

#endif /* FLEETSIM_HEAP4_H */
