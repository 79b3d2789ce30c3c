/*
 * inst_index.c - instances by id (inst_index.h).
 */
#include "models/core/inst_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: ids differ in their last digits, which it mixes into every bit; the fold brings the
 * high bits into the low ones the table's mask keeps. */
static size_t hash(const char *s)
{
    uint64_t h = sim_fnv1a(SIM_FNV_BASIS, s, strlen(s));
    return (size_t)(h ^ (h >> 32));
}

static void put(size_t *slot, size_t cap, const char *id, size_t k)
{
    size_t j = hash(id) & (cap - 1);
    while (slot[j])
        j = (j + 1) & (cap - 1);
    slot[j] = k + 1;
}

int inst_index_add(inst_index *x, ec2_instance *const *insts, size_t k)
{
    if (2 * (x->n + 1) > x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        size_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        /* re-added in index order, so the first of equal ids stays first on its probe path */
        for (size_t m = 0; m < x->n; m++)
            put(slot, cap, ec2_id(insts[m]), m);
        free(x->slot);
        x->slot = slot;
        x->cap = cap;
    }
    put(x->slot, x->cap, ec2_id(insts[k]), k);
    x->n++;
    return 0;
}

ec2_instance *inst_index_find(const inst_index *x, ec2_instance *const *insts, const char *id)
{
    if (!id || !x->cap)
        return NULL;
    for (size_t j = hash(id) & (x->cap - 1); x->slot[j]; j = (j + 1) & (x->cap - 1))
        if (strcmp(ec2_id(insts[x->slot[j] - 1]), id) == 0)
            return insts[x->slot[j] - 1];
    return NULL;
}

void inst_index_free(inst_index *x)
{
    free(x->slot);
    *x = (inst_index){0};
}
