/*
 * bench_queue.c - the kernel's queue choice, measured: a 4-ary heap against a
 * ladder queue (Tang, Goh and Thng, ACM TOMACS 15(3), 2005), on the hold
 * model, in the peers' output format.
 *
 *   bench_queue heap|ladder N WARM OPS SEED
 *
 * Both queues hold the kernel's 16-byte entries {time in ns, key} where key is
 * (scheduling sequence << 28 | slot), ordered by (time, key), so ties leave in
 * scheduling order in both. The heap is the kernel's own code (sim/heap4.h: 4-ary,
 * cache-line-aligned families, tournament compare, prefetch up to three
 * levels down, no position array since cancellation is lazy, replace-top for
 * the hold step); the ladder is the paper's: an unsorted Top, rungs of buckets
 * (singly linked lists through a node pool) spawned when a bucket holds more
 * than THRES events, and a sorted Bottom. Neither carries event records: this
 * is the queue alone, the part the choice changes. The draws are the ones
 * bench_hold makes (taus2 through GSL, Exp(1 s) rounded to ns), the same
 * sequence for both queues, so `simtime` must agree between them exactly.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/heap4.h"
#include "sim/sim.h"

#define SLOT_BITS 28

/* The kernel's entry and order (sim/heap4.h): the ladder holds the same entries. */
typedef hent ent;

/* ---------------------------------------------------------------- 4-ary heap (the kernel's own code) */

typedef struct heap4 {
    ent *h;
    size_t n;
} heap4;

static void h4_up(heap4 *q, size_t i, ent e) { heap4_up(q->h, i, e); }

static void h4_down(heap4 *q, size_t i, ent e) { heap4_down(q->h, q->n, i, e); }

/* ---------------------------------------------------------------- ladder queue */

#define THRES 50    /* a bucket with more events than this becomes a rung of its own */
#define MAX_RUNGS 8 /* the paper's bound */
#define NIL UINT32_MAX

/* realloc, or the program ends: a benchmark has nothing to save on OOM. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "bench_queue: out of memory\n");
        exit(1);
    }
    return q;
}

typedef struct lnode {
    ent e;
    uint32_t next;
} lnode;

typedef struct rung {
    sim_time_t start, width; /* bucket b covers [start + b * width, start + (b + 1) * width) */
    uint32_t nb, cur;        /* buckets, and the first one not yet handed down */
    uint32_t *head, *cnt;
    uint32_t cap;
} rung;

typedef struct ladder {
    lnode *node;
    uint32_t free_head;
    /* Top: unsorted, every event at or after top_start */
    uint32_t top, top_n;
    sim_time_t top_start, top_min, top_max;
    rung r[MAX_RUNGS];
    int nr;
    /* Bottom: sorted descending, the next event at bot[bot_n - 1] */
    ent *bot;
    size_t bot_n, bot_cap;
} ladder;

static uint32_t node_new(ladder *q, ent e)
{
    uint32_t i = q->free_head;
    q->free_head = q->node[i].next;
    q->node[i].e = e;
    return i;
}

static void rung_fill(ladder *q, rung *r, sim_time_t start, sim_time_t width, uint32_t nb, uint32_t list)
{
    if (nb > r->cap) {
        free(r->head);
        free(r->cnt);
        r->head = xrealloc(NULL, nb * sizeof *r->head);
        r->cnt = xrealloc(NULL, nb * sizeof *r->cnt);
        r->cap = nb;
    }
    memset(r->head, 0xff, nb * sizeof *r->head);
    memset(r->cnt, 0, nb * sizeof *r->cnt);
    r->start = start;
    r->width = width;
    r->nb = nb;
    r->cur = 0;
    while (list != NIL) {
        uint32_t nx = q->node[list].next;
        uint32_t b = (uint32_t)((q->node[list].e.t - start) / width);
        q->node[list].next = r->head[b];
        r->head[b] = list;
        r->cnt[b]++;
        list = nx;
    }
}

static void bot_insert(ladder *q, ent e)
{
    if (q->bot_n == q->bot_cap) {
        q->bot_cap = q->bot_cap ? 2 * q->bot_cap : 64;
        q->bot = xrealloc(q->bot, q->bot_cap * sizeof *q->bot);
    }
    size_t i = q->bot_n++;
    while (i > 0 && ent_lt(&q->bot[i - 1], &e)) {
        q->bot[i] = q->bot[i - 1];
        i--;
    }
    q->bot[i] = e;
}

static void lq_push(ladder *q, ent e)
{
    if (e.t >= q->top_start) {
        uint32_t i = node_new(q, e);
        q->node[i].next = q->top;
        q->top = i;
        if (q->top_n++ == 0 || e.t < q->top_min)
            q->top_min = e.t;
        if (q->top_n == 1 || e.t > q->top_max)
            q->top_max = e.t;
        return;
    }
    for (int k = 0; k < q->nr; k++) {
        rung *r = &q->r[k];
        if (e.t >= r->start + (sim_time_t)r->cur * r->width) {
            uint32_t b = (uint32_t)((e.t - r->start) / r->width), i = node_new(q, e);
            q->node[i].next = r->head[b];
            r->head[b] = i;
            r->cnt[b]++;
            return;
        }
    }
    bot_insert(q, e);
}


/* Refills Bottom from the ladder; false when the queue is empty. */
static bool lq_refill(ladder *q)
{
    for (;;) {
        if (q->nr == 0) {
            if (q->top_n == 0)
                return false;
            sim_time_t w = (q->top_max - q->top_min) / q->top_n + 1;
            uint32_t nb = (uint32_t)((q->top_max - q->top_min) / w + 1);
            rung_fill(q, &q->r[0], q->top_min, w, nb, q->top);
            q->nr = 1;
            q->top_start = q->top_min + (sim_time_t)nb * w;
            q->top = NIL;
            q->top_n = 0;
        }
        rung *r = &q->r[q->nr - 1];
        while (r->cur < r->nb && r->head[r->cur] == NIL)
            r->cur++;
        if (r->cur == r->nb) {
            q->nr--;
            continue;
        }
        uint32_t b = r->cur++, n = r->cnt[b], list = r->head[b];
        r->head[b] = NIL;
        r->cnt[b] = 0;
        if (n > THRES && q->nr < MAX_RUNGS && r->width > 1) {
            sim_time_t w = (r->width + n - 1) / n;
            uint32_t nb = (uint32_t)((r->width + w - 1) / w);
            rung_fill(q, &q->r[q->nr], r->start + (sim_time_t)b * r->width, w, nb, list);
            q->nr++;
            continue;
        }
        if (n > q->bot_cap) {
            q->bot_cap = n;
            q->bot = xrealloc(q->bot, q->bot_cap * sizeof *q->bot);
        }
        /* insertion sort (descending) as the list is read: a bucket holds at most THRES events
         * unless it cannot be split further */
        q->bot_n = 0;
        while (list != NIL) {
            uint32_t nx = q->node[list].next;
            bot_insert(q, q->node[list].e);
            q->node[list].next = q->free_head;
            q->free_head = list;
            list = nx;
        }
        return true;
    }
}

static bool lq_pop(ladder *q, ent *out)
{
    if (q->bot_n == 0 && !lq_refill(q))
        return false;
    *out = q->bot[--q->bot_n];
    return true;
}

/* ---------------------------------------------------------------- the hold model */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 6 || (strcmp(argv[1], "heap") && strcmp(argv[1], "ladder"))) {
        fprintf(stderr, "usage: bench_queue heap|ladder N WARM OPS SEED\n");
        return 2;
    }
    bool lad = !strcmp(argv[1], "ladder");
    long n = atol(argv[2]), warm = atol(argv[3]), ops = atol(argv[4]);
    if (n < 1 || n >= (1L << SLOT_BITS) || warm < 0 || ops < 1) {
        fprintf(stderr, "bench_queue: need 1 <= N < 2^28, WARM >= 0, OPS >= 1\n");
        return 2;
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, strtoul(argv[5], NULL, 10));
    heap4 h = {0};
    ladder q = {0};
    /* slots: N + 1 (one entry in the hands of the step between its pop and its push) */
    if (lad) {
        q.node = malloc(((size_t)n + 1) * sizeof *q.node);
        for (long i = 0; i <= n; i++)
            q.node[i].next = i < n ? (uint32_t)i + 1 : NIL;
        q.top = NIL;
    } else {
        h.h = aligned_alloc(64, (((size_t)n + 4) * sizeof(ent) + 63) / 64 * 64);
        h.h += 3;
    }
    if (!r || (lad ? !q.node : !h.h)) {
        fprintf(stderr, "bench_queue: out of memory\n");
        return 1;
    }
    uint64_t seq = 0;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        ent e = {sim_from_sec(gsl_rng_uniform(r)), seq++ << SLOT_BITS | (uint64_t)i};
        if (lad)
            lq_push(&q, e);
        else
            h4_up(&h, h.n++, e);
    }
    double t1 = now_s(), tw = t1;
    sim_time_t now = 0;
    for (long k = 0; k < warm + ops; k++) {
        if (k == warm)
            tw = now_s();
        ent top;
        if (lad) {
            if (!lq_pop(&q, &top))
                break;
        } else {
            top = h.h[0];
        }
        now = top.t;
        ent e = {now + sim_from_sec(gsl_ran_exponential(r, 1.0)),
                 seq++ << SLOT_BITS | (top.key & ((1u << SLOT_BITS) - 1))};
        if (lad)
            lq_push(&q, e);
        else
            h4_down(&h, 0, e); /* replace-top, as the kernel's hold step */
    }
    double t2 = now_s();
    printf("peer=fleetsim-%s wl=queue N=%ld warm=%ld ops=%ld prefill_s=%.4f run_s=%.4f rate=%.1f simtime=%.3f\n",
           argv[1], n, warm, ops, t1 - t0, t2 - tw, (double)ops / (t2 - tw), sim_to_sec(now));
    gsl_rng_free(r);
    if (lad) {
        for (int i = 0; i < MAX_RUNGS; i++) {
            free(q.r[i].head);
            free(q.r[i].cnt);
        }
        free(q.node);
        free(q.bot);
    } else {
        free(h.h - 3);
    }
    return 0;
}
