/*
 * lor_index.c - per-count bitmaps with summary levels (lor_index.h).
 *
 * Level 0 has a bit per position; level k+1 a bit per non-zero word of level
 * k, up to a level of one word. Capacity grows by doubling (every bitmap is
 * rebuilt then, as after lor_build). Bitmaps are made for a count the first
 * time a position reaches it and kept: under least-outstanding routing counts
 * stay within a few of each other, so few exist.
 */
#include "models/elb/lor_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 5 /* 64^5 positions */

typedef struct bitmap {
    uint64_t *w[MAX_LEVELS];
    size_t n_set;
} bitmap;

struct lor_index {
    size_t n, cap;              /* positions, capacity (a multiple of 64) */
    int levels;
    size_t words[MAX_LEVELS];   /* words per level at this capacity */
    uint32_t *count;            /* per position: its count (the index's own copy) */
    bitmap *by_count;           /* [count] */
    uint32_t n_counts;          /* bitmaps allocated */
    uint32_t min;               /* the least count with a position, when n_set > 0 */
    size_t total;               /* positions indexed (= n) */
};

lor_index *lor_new(void) { return calloc(1, sizeof(lor_index)); }

static void free_maps(lor_index *x)
{
    for (uint32_t c = 0; c < x->n_counts; c++)
        for (int l = 0; l < MAX_LEVELS; l++)
            free(x->by_count[c].w[l]);
    free(x->by_count);
    x->by_count = NULL;
    x->n_counts = 0;
}

void lor_free(lor_index *x)
{
    if (!x)
        return;
    free_maps(x);
    free(x->count);
    free(x);
}

size_t lor_size(const lor_index *x) { return x->n; }

static void set_geometry(lor_index *x, size_t cap)
{
    x->cap = cap;
    size_t n = cap;
    x->levels = 0;
    do {
        n = (n + 63) / 64;
        x->words[x->levels++] = n;
    } while (n > 1 && x->levels < MAX_LEVELS);
}

/* The bitmap of count c, made (zeroed) if needed; NULL out of memory. */
static bitmap *map_of(lor_index *x, uint32_t c)
{
    if (c >= x->n_counts) {
        uint32_t grow = x->n_counts ? x->n_counts : 8;
        while (grow <= c)
            grow *= 2;
        bitmap *m = realloc(x->by_count, grow * sizeof *m);
        if (!m)
            return NULL;
        memset(m + x->n_counts, 0, (grow - x->n_counts) * sizeof *m);
        x->by_count = m;
        x->n_counts = grow;
    }
    bitmap *b = &x->by_count[c];
    if (!b->w[0])
        for (int l = 0; l < x->levels; l++)
            if (!(b->w[l] = calloc(x->words[l], sizeof(uint64_t))))
                return NULL;
    return b;
}

/* Both stop at the first level whose word was (set) or stays (clear) non-zero: usually level 0. */
static inline void bit_set(const lor_index *x, bitmap *b, size_t p)
{
    b->n_set++;
    for (int l = 0;;) {
        uint64_t *w = &b->w[l][p / 64];
        uint64_t was = *w;
        *w = was | UINT64_C(1) << (p % 64);
        if (was || ++l == x->levels)
            return;
        p /= 64;
    }
}

static inline void bit_clear(const lor_index *x, bitmap *b, size_t p)
{
    b->n_set--;
    for (int l = 0;;) {
        uint64_t *w = &b->w[l][p / 64];
        if ((*w &= ~(UINT64_C(1) << (p % 64))) || ++l == x->levels)
            return;
        p /= 64;
    }
}

/* The first set position >= p in b, or (size_t)-1. */
static size_t next_set(const lor_index *x, const bitmap *b, size_t p)
{
    if (p >= x->cap)
        return (size_t)-1;
    int l = 0;
    size_t i = p;
    /* Climb while the rest of the word at this level (from bit i % 64 on) is empty. */
    for (;;) {
        uint64_t word = b->w[l][i / 64] & (~UINT64_C(0) << (i % 64));
        if (word) {
            i = (i / 64) * 64 + (size_t)__builtin_ctzll(word);
            break;
        }
        i = i / 64 + 1;  /* the next word of this level is the next bit one level up */
        if (++l == x->levels || i >= x->words[l - 1])
            return (size_t)-1;
    }
    /* Descend: at each lower level take the first set bit of the word bit i points to. */
    while (l-- > 0)
        i = i * 64 + (size_t)__builtin_ctzll(b->w[l][i]);
    return i;
}

static int rebuild_at(lor_index *x, size_t cap)
{
    free_maps(x);
    uint32_t *cnt = realloc(x->count, cap * sizeof *cnt);
    if (!cnt)
        return -1;
    x->count = cnt;
    set_geometry(x, cap);
    for (size_t p = 0; p < x->n; p++) {
        bitmap *b = map_of(x, x->count[p]);
        if (!b)
            return -1;
        bit_set(x, b, p);
        if (p == 0 || x->count[p] < x->min)
            x->min = x->count[p];
    }
    return 0;
}

int lor_build(lor_index *x, const int *slot, size_t n, const uint32_t *count)
{
    size_t cap = 64;
    while (cap < n)
        cap *= 2;
    uint32_t *cnt = realloc(x->count, cap * sizeof *cnt);
    if (!cnt) {
        x->n = 0;
        return -1;
    }
    x->count = cnt;
    for (size_t p = 0; p < n; p++)
        x->count[p] = count[slot[p]];
    x->n = n;
    if (rebuild_at(x, cap) != 0) {
        x->n = 0;
        return -1;
    }
    return 0;
}

int lor_append(lor_index *x, uint32_t c)
{
    if (x->n == x->cap || !x->count) {
        size_t n = x->n;
        uint32_t *cnt = realloc(x->count, (x->cap ? 2 * x->cap : 64) * sizeof *cnt);
        if (!cnt)
            return -1;
        x->count = cnt;
        if (rebuild_at(x, x->cap ? 2 * x->cap : 64) != 0) {
            x->n = 0;
            return -1;
        }
        x->n = n;
    }
    bitmap *b = map_of(x, c);
    if (!b)
        return -1;
    size_t p = x->n++;
    x->count[p] = c;
    bit_set(x, b, p);
    if (x->n == 1 || c < x->min)
        x->min = c;
    return 0;
}

int lor_move(lor_index *x, size_t p, uint32_t to)
{
    if (p >= x->n)
        return 0;
    uint32_t old = x->count[p];
    /* Counts move by one among a few values whose bitmaps exist after the first moments: no call then. */
    if (__builtin_expect(to >= x->n_counts || !x->by_count[to].w[0], 0) && !map_of(x, to))
        return -1;
    bitmap *ob = &x->by_count[old];
    bit_clear(x, ob, p);
    bit_set(x, &x->by_count[to], p);
    x->count[p] = to;
    if (to < x->min)
        x->min = to;
    else if (old == x->min && ob->n_set == 0)
        /* The least count emptied (only old's bitmap can have): counts move by one, so the next is close. */
        while (x->min < x->n_counts && x->by_count[x->min].n_set == 0)
            x->min++;
    return 0;
}

size_t lor_pick(const lor_index *x, size_t start)
{
    if (x->n == 0 || x->min >= x->n_counts)
        return (size_t)-1;
    const bitmap *b = &x->by_count[x->min];
    size_t p = next_set(x, b, start < x->n ? start : 0);
    if (p == (size_t)-1 || p >= x->n)
        p = next_set(x, b, 0);
    return p;
}
