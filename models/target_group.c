/*
 * target_group.c - an ALB target group and its routing algorithms.
 *
 * Approximates (aws-semantics.md 4.1, 11 item 7):
 *  - round_robin (the AWS default): cycles over the registered targets;
 *  - least_outstanding_requests: the target with the fewest requests the ALB
 *    has dispatched and not yet seen answered (or timed out). Ties go to the
 *    first minimum found scanning cyclically from just after the previous
 *    pick, so tied targets take turns (round robin among the least loaded)
 *    instead of target 0 always winning. AWS does not document its
 *    tie-break; this one is deterministic and gives tied targets equal shares;
 *  - weighted_random with equal weights: a uniform pick from the ALB's route
 *    stream (anomaly mitigation / automatic target weights is not modelled).
 *  - 503 only when no target is registered: every target of this issue is
 *    healthy, and the ALB fails open anyway when all are unhealthy.
 *
 * Leaves out: health checks, deregistration delay (draining), slow start,
 * stickiness, per-AZ ALB nodes (cross-zone is always on for ALB, so one node
 * seeing all targets is the AWS behaviour), several ALB nodes each with its
 * own outstanding counts. LOR scans all registered targets: O(targets) per
 * request, fine for tens of targets; a heap can replace it if fleets of
 * thousands need it.
 *
 * Units: none (counts); source: ../shared/reference/aws-semantics.md 4.1.
 */
#include "models/target_group.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tg_slot {
    ec2_instance *inst;
    uint32_t outstanding;
    int live_pos;            /* position in live[], -1 when not registered */
} tg_slot;

struct tg {
    char *name;
    scn_lb_algorithm alg;
    tg_slot *slots;
    size_t n_slots, cap_slots;
    int *live;               /* slot indices of registered targets, in registration order */
    size_t n_live;
    size_t cursor;           /* round robin position / LOR tie-break start */
};

tg *tg_new(const char *name, scn_lb_algorithm algorithm)
{
    tg *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    size_t n = strlen(name ? name : "") + 1;
    g->name = malloc(n);
    if (!g->name) {
        free(g);
        return NULL;
    }
    memcpy(g->name, name ? name : "", n);
    g->alg = algorithm;
    return g;
}

void tg_free(tg *g)
{
    if (!g)
        return;
    free(g->name);
    free(g->slots);
    free(g->live);
    free(g);
}

int tg_register(tg *g, ec2_instance *i)
{
    size_t idx;
    for (idx = 0; idx < g->n_slots; idx++)
        if (g->slots[idx].inst == i)
            break;
    if (idx < g->n_slots && g->slots[idx].live_pos >= 0)
        return (int)idx;
    if (idx == g->n_slots) {
        if (g->n_slots == g->cap_slots) {
            size_t cap = g->cap_slots ? 2 * g->cap_slots : 8;
            if (cap > (size_t)INT32_MAX)
                return -1;
            tg_slot *s = realloc(g->slots, cap * sizeof *s);
            if (!s)
                return -1;
            g->slots = s;
            int *l = realloc(g->live, cap * sizeof *l);
            if (!l)
                return -1;
            g->live = l;
            g->cap_slots = cap;
        }
        g->slots[idx] = (tg_slot){.inst = i, .outstanding = 0, .live_pos = -1};
        g->n_slots++;
    }
    g->slots[idx].live_pos = (int)g->n_live;
    g->live[g->n_live++] = (int)idx;
    return (int)idx;
}

int tg_deregister(tg *g, ec2_instance *i)
{
    for (size_t idx = 0; idx < g->n_slots; idx++) {
        if (g->slots[idx].inst != i || g->slots[idx].live_pos < 0)
            continue;
        /* Keep registration order so round robin's cycle stays predictable. */
        size_t pos = (size_t)g->slots[idx].live_pos;
        memmove(&g->live[pos], &g->live[pos + 1], (g->n_live - pos - 1) * sizeof g->live[0]);
        g->n_live--;
        for (size_t k = pos; k < g->n_live; k++)
            g->slots[g->live[k]].live_pos = (int)k;
        g->slots[idx].live_pos = -1;
        return 0;
    }
    return -1;
}

int tg_pick(tg *g, gsl_rng *r)
{
    size_t n = g->n_live;
    if (n == 0)
        return -1;
    switch (g->alg) {
    case SCN_ALG_WEIGHTED_RANDOM:
        return g->live[gsl_rng_uniform_int(r, n)];
    case SCN_ALG_LEAST_OUTSTANDING_REQUESTS: {
        size_t start = g->cursor < n ? g->cursor : 0;
        size_t best = start, k = start;
        uint32_t best_out = g->slots[g->live[start]].outstanding;
        for (size_t j = 1; j < n && best_out > 0; j++) {
            if (++k == n)
                k = 0;
            uint32_t o = g->slots[g->live[k]].outstanding;
            if (o < best_out) {
                best_out = o;
                best = k;
            }
        }
        g->cursor = best + 1 < n ? best + 1 : 0;
        return g->live[best];
    }
    case SCN_ALG_ROUND_ROBIN:
    default: {
        size_t k = g->cursor < n ? g->cursor : 0;
        g->cursor = k + 1 < n ? k + 1 : 0;
        return g->live[k];
    }
    }
}

ec2_instance *tg_target(const tg *g, int idx) { return g->slots[idx].inst; }
void tg_outstanding_inc(tg *g, int idx) { g->slots[idx].outstanding++; }
void tg_outstanding_dec(tg *g, int idx) { g->slots[idx].outstanding--; }
uint32_t tg_outstanding(const tg *g, int idx) { return g->slots[idx].outstanding; }
size_t tg_n_registered(const tg *g) { return g->n_live; }
size_t tg_n_slots(const tg *g) { return g->n_slots; }
const char *tg_name(const tg *g) { return g->name; }
scn_lb_algorithm tg_algorithm(const tg *g) { return g->alg; }
