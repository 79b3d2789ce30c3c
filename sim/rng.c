/*
 * rng.c - named random streams.
 *
 * Each stream is its own gsl_rng_taus2 (L'Ecuyer's maximally equidistributed
 * combined Tausworthe, period ~2^88, 3 words of state, no multiplications per
 * draw: small and fast, and of good enough quality for queueing models). Its
 * seed depends only on (master seed, replication, name), so a stream's draws
 * never depend on which other streams exist or in what order they were made.
 *
 * Seeding caveat: gsl_rng_set takes an unsigned long, but taus2's set
 * function feeds it through the LCG (69069 * s) & 0xffffffff, so only the low
 * 32 bits matter (and 0 is replaced by 1). The 64-bit stream seed is therefore
 * folded to 32 bits (x ^ x >> 32) so that every bit of it counts; still, there
 * are only 2^32 distinct taus2 streams, so two of k stream names share one
 * sequence with probability about k^2 / 2^33 (about 1e-6 for 100 streams).
 * A collision would be a correlation between two model components, not a
 * crash; tests/unit/test_rng.c pins down the 32-bit behaviour.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

typedef struct stream {
    uint64_t hash; /* FNV-1a of the name; 0 marks an empty bucket */
    char *name;
    gsl_rng *r;
} stream;

typedef struct stream_tab {
    size_t n, cap; /* cap is a power of two; kept at most half full */
    stream *e;
} stream_tab;

static uint64_t splitmix64(uint64_t x)
{
    uint64_t z = x + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t sim_fnv1a(uint64_t h, const void *p, size_t len)
{
    const unsigned char *c = p;
    for (size_t k = 0; k < len; k++)
        h = (h ^ c[k]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t fnv1a64(const char *s) { return sim_fnv1a(SIM_FNV_BASIS, s, strlen(s)); }

/* Chained, not xor-ed together, so (seed, rep) pairs cannot cancel out. */
static uint64_t mix_seed(uint64_t seed, uint32_t replication, uint64_t name_hash)
{
    return splitmix64(splitmix64(splitmix64(seed) ^ replication) ^ name_hash);
}

uint64_t sim_stream_seed(uint64_t seed, uint32_t replication, const char *name)
{
    return mix_seed(seed, replication, fnv1a64(name ? name : ""));
}

static bool tab_grow(stream_tab *t)
{
    size_t cap = t->cap ? 2 * t->cap : 16;
    stream *e = calloc(cap, sizeof *e);
    if (!e)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->e[i].hash)
            continue;
        size_t j = t->e[i].hash & (cap - 1);
        while (e[j].hash)
            j = (j + 1) & (cap - 1);
        e[j] = t->e[i];
    }
    free(t->e);
    t->e = e;
    t->cap = cap;
    return true;
}

gsl_rng *sim_rng(sim *s, const char *name)
{
    if (!name)
        name = "";
    void **slot = sim__streams(s);
    stream_tab *t = *slot;
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || !tab_grow(t)) {
            free(t);
            sim_fail(s, SIM_ENOMEM);
            return NULL;
        }
        *slot = t;
    }
    uint64_t h = fnv1a64(name);
    if (!h)
        h = 1; /* 0 marks an empty bucket; the seed still uses the true hash */
    size_t j = h & (t->cap - 1);
    for (; t->e[j].hash; j = (j + 1) & (t->cap - 1))
        if (t->e[j].hash == h && strcmp(t->e[j].name, name) == 0)
            return t->e[j].r;

    if (2 * (t->n + 1) > t->cap) {
        if (!tab_grow(t)) {
            sim_fail(s, SIM_ENOMEM);
            return NULL;
        }
        j = h & (t->cap - 1);
        while (t->e[j].hash)
            j = (j + 1) & (t->cap - 1);
    }
    size_t len = strlen(name) + 1;
    char *copy = malloc(len);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!copy || !r) {
        free(copy);
        if (r)
            gsl_rng_free(r);
        sim_fail(s, SIM_ENOMEM);
        return NULL;
    }
    memcpy(copy, name, len);
    uint64_t x = sim_stream_seed(sim_seed(s), sim_replication(s), name);
    gsl_rng_set(r, (unsigned long)((x ^ (x >> 32)) & 0xffffffffu));
    t->e[j] = (stream){h, copy, r};
    t->n++;
    return r;
}

void sim__streams_free(void *table)
{
    stream_tab *t = table;
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->e[i].hash) {
            free(t->e[i].name);
            gsl_rng_free(t->e[i].r);
        }
    }
    free(t->e);
    free(t);
}
