/*
 * target_group.c - an ALB target group: health checks, draining, slow start
 * and the routing algorithms.
 *
 * Approximates (aws-semantics.md 4.1, 4.2, 4.3, 11 items 7 and 11):
 *  - routing only to healthy targets; a target in `initial` gets no traffic.
 *    Fail-open (4.2, 11.7): when targets are registered but none is healthy,
 *    every registered non-draining target (initial and unhealthy ones) is
 *    routed to with the normal algorithm. 503 (tg_pick = -1) only when no
 *    target is registered (draining ones do not count: they take no new
 *    requests);
 *  - round_robin (the AWS default): cycles over the routable targets;
 *  - least_outstanding_requests: the target with the fewest requests the ALB
 *    has dispatched and not yet seen answered (or timed out). Ties go to the
 *    first minimum found scanning cyclically from just after the previous
 *    pick, so tied targets take turns (round robin among the least loaded)
 *    instead of target 0 always winning. AWS does not document its
 *    tie-break; this one is deterministic and gives tied targets equal shares;
 *  - weighted_random with equal weights: a uniform pick from the ALB's route
 *    stream (anomaly mitigation / automatic target weights is not modelled);
 *  - health checks (4.2): one kernel event per target per interval, at a
 *    phase drawn uniformly in [0, interval) from "tg.<name>/hc" when the
 *    target registers (checks of different targets do not line up, as on
 *    AWS where each target's schedule starts at its registration). The
 *    result is taken at the check instant (ec2_probe: running, app healthy,
 *    queued wait below the timeout); the probe's own response time does not
 *    shift the schedule (4.2: "each result holds for the whole interval").
 *    initial -> healthy after ONE pass (11.7); initial -> unhealthy after
 *    unhealthy_threshold consecutive failures (AWS's Target.FailedHealthChecks
 *    after initial checking; the exact count for `initial` is not documented);
 *    healthy -> unhealthy after unhealthy_threshold consecutive failures;
 *    unhealthy -> healthy after healthy_threshold consecutive passes;
 *  - deregistration (4.3, 11.11): the target is `draining` at once and gets
 *    no new requests; checks stop. It is drained (TG_UNUSED, drained_fn)
 *    when the ALB's last outstanding request there is answered, at once if
 *    there is none (through a zero-delay event, so drained_fn never runs
 *    inside tg_deregister's caller), or at deregistration_delay expiry, when
 *    the ALB answers every request still outstanding there 502 first (its
 *    tg_expire_fn). AWS keeps showing an idle target as draining until the
 *    delay ends; here it is unused at once, which is what routing and the
 *    Auto Scaling group's termination see (the target is gone);
 *  - slow start (4.3): a target that becomes healthy while at least one
 *    other healthy target is not in slow start ramps up linearly over
 *    slow_start: its weight is w = (now - start) / slow_start, 0 -> 1.
 *    round_robin: when the cycle reaches a target in slow start it takes the
 *    request with probability w, else the cycle moves on, so over time it
 *    receives w requests per request of a full target; weighted_random:
 *    rejection sampling with acceptance w (exact weights 1 and w). Draws come
 *    from the ALB's route stream only while some target is in slow start.
 *    Not with least_outstanding_requests (AWS forbids the combination: slow
 *    start is ignored there).
 *
 * Leaves out: stickiness, per-AZ ALB nodes (cross-zone is always on for ALB,
 * so one node seeing all targets is the AWS behaviour), several ALB nodes each
 * checking and counting on their own, the `unavailable` state, the
 * minimum_healthy_targets tunables of fail-open (their defaults are what is
 * modelled). LOR scans up to TG_LOR_SCAN_MAX routable targets and keeps an
 * index by outstanding count above that (lor_index.h).
 *
 * Hot path: tg_pick and tg_outstanding_inc/dec; health checks and draining
 * are events per target, never per request.
 *
 * Units: ns, counts; source: ../shared/reference/aws-semantics.md 4.1-4.3.
 */
#include "models/elb/target_group.h"

#include "models/elb/lor_index.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>

#include "stats/events.h"
#include <stdlib.h>
#include <string.h>

/* Up to this many routable targets least_outstanding_requests scans them (O(n), n small); above, it keeps
 * lor_index (O(log64 n)). Both apply the same tie rule, so the picks do not depend on which one ran. */
#define TG_LOR_SCAN_MAX 8

typedef struct tg_slot {
    ec2_instance *inst;
    tg_state state;
    int passes, fails;       /* consecutive check results */
    bool ss;                 /* in slow start */
    bool deployed;           /* being registered as already healthy (tg_register_healthy) */
    sim_time_t ss_start;
    sim_evid hc_ev;          /* next health check */
    sim_evid drain_ev;       /* deregistration delay expiry */
    sim_evid done_ev;        /* zero-delay end of draining */
    sim_evid ss_ev;          /* end of slow start */
    tg_drained_fn drained;
    void *drained_ctx;
} tg_slot;

/* What every request touches, apart from the slots so that at ten thousand targets it stays in cache. */
typedef struct tg_hot {
    ec2_instance *inst;
    int32_t live_pos;        /* position in live[] (registered, not draining), -1 otherwise */
    int32_t healthy_pos;     /* position in healthy[], -1 otherwise */
    bool draining;
} tg_hot;

typedef struct tg_lb_hook {
    tg_expire_fn fn;
    void *ctx;
} tg_lb_hook;

struct tg {
    sim *s;                  /* NULL for legacy groups */
    gsl_rng *hc_rng;
    char *name;
    scn_target_group cfg;    /* cfg.name = name */
    tg_slot *slots;
    uint32_t *out;           /* outstanding requests per slot: apart from the slots, so LOR's scan stays in few cache lines */
    tg_hot *hot;             /* per slot */
    size_t n_slots, cap_slots;
    int *live;               /* slot indices of registered non-draining targets, in registration order */
    size_t n_live;
    int *healthy;            /* slot indices of healthy targets, in the order they became healthy */
    size_t n_healthy;
    size_t n_unhealthy, n_draining, n_ss;
    size_t cursor;           /* round robin position / LOR tie-break start */
    lor_index *lor;          /* least_outstanding_requests: counts by position of one routing set */
    int lor_for;             /* the set it indexes: 1 healthy, 0 live, -1 none (rebuilt at the next pick) */
    tg_health_fn hfn;
    void *hctx;
    tg_lb_hook *hooks;
    size_t n_hooks;
    events_log *ev;          /* target health transitions (tg_set_events); NULL: none */
};

static tg *alloc_group(const char *name)
{
    tg *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->lor_for = -1;
    g->name = strdup(name ? name : "");
    if (!g->name) {
        free(g);
        return NULL;
    }
    return g;
}

tg *tg_new(const char *name, scn_lb_algorithm algorithm)
{
    tg *g = alloc_group(name);
    if (!g)
        return NULL;
    g->cfg.name = g->name;
    g->cfg.algorithm = algorithm;
    return g;
}

tg *tg_new_cfg(sim *s, const scn_target_group *cfg)
{
    if (!s || !cfg)
        return NULL;
    const scn_health_check *hc = &cfg->health_check;
    if (hc->interval <= 0 || hc->timeout <= 0 || hc->healthy_threshold < 1 ||
        hc->unhealthy_threshold < 1 || cfg->deregistration_delay < 0 || cfg->slow_start < 0)
        return NULL;
    tg *g = alloc_group(cfg->name);
    if (!g)
        return NULL;
    char stream[SCN_STREAM_SIZE];
    if (snprintf(stream, sizeof stream, "tg.%s/hc", g->name) >= (int)sizeof stream ||
        !(g->hc_rng = sim_rng(s, stream))) {
        tg_free(g);
        return NULL;
    }
    g->s = s;
    g->cfg = *cfg;
    g->cfg.name = g->name;
    return g;
}

void tg_free(tg *g)
{
    if (!g)
        return;
    free(g->name);
    free(g->slots);
    free(g->out);
    free(g->live);
    free(g->healthy);
    free(g->hot);
    lor_free(g->lor);
    free(g->hooks);
    free(g);
}

/* ---------------------------------------------------------------- sets */

static int32_t *pos_of(tg *g, int idx, int which) { return which ? &g->hot[idx].healthy_pos : &g->hot[idx].live_pos; }

static void set_add(tg *g, int which, int idx)
{
    int *arr = which ? g->healthy : g->live;
    size_t *n = which ? &g->n_healthy : &g->n_live;
    *pos_of(g, idx, which) = (int32_t)*n;
    arr[(*n)++] = idx;
    if (g->lor_for == which && lor_append(g->lor, g->out[idx]) != 0)
        g->lor_for = -1;
}

/* Removes idx keeping the others' order, so round robin's cycle stays predictable. */
static void set_remove(tg *g, int which, int idx)
{
    int *arr = which ? g->healthy : g->live;
    size_t *n = which ? &g->n_healthy : &g->n_live;
    int32_t *p = pos_of(g, idx, which);
    if (*p < 0)
        return;
    size_t pos = (size_t)*p;
    if (g->lor_for == which)
        g->lor_for = -1;  /* positions after pos shift: rebuilt at the next pick */
    memmove(&arr[pos], &arr[pos + 1], (*n - pos - 1) * sizeof arr[0]);
    (*n)--;
    for (size_t k = pos; k < *n; k++)
        *pos_of(g, arr[k], which) = (int32_t)k;
    *p = -1;
}

static int find(const tg *g, const ec2_instance *i)
{
    for (size_t idx = 0; idx < g->n_slots; idx++)
        if (g->slots[idx].inst == i)
            return (int)idx;
    return -1;
}

/* ---------------------------------------------------------------- states */

static void on_ss_end(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    tg *g = obj;
    tg_slot *sl = &g->slots[arg];
    sl->ss_ev = SIM_EVID_NONE;
    if (sl->ss) {
        sl->ss = false;
        g->n_ss--;
    }
}

/* Moves idx to state `to`, keeping the routing sets and counters; notifies the listener last. */
static void set_state(tg *g, int idx, tg_state to)
{
    tg_slot *sl = &g->slots[idx];
    tg_state from = sl->state;
    if (from == to)
        return;
    switch (from) {
    case TG_HEALTHY:
        set_remove(g, 1, idx);
        if (sl->ss) {
            sl->ss = false;
            g->n_ss--;
            sim_cancel(g->s, sl->ss_ev);
            sl->ss_ev = SIM_EVID_NONE;
        }
        break;
    case TG_UNHEALTHY: g->n_unhealthy--; break;
    case TG_DRAINING: g->n_draining--; break;
    default: break;
    }
    sl->state = to;
    g->hot[idx].draining = to == TG_DRAINING;
    switch (to) {
    case TG_HEALTHY:
        /* 4.3: slow start only if another healthy target is not in slow start. */
        if (g->s && g->cfg.slow_start > 0 && g->cfg.algorithm != SCN_ALG_LEAST_OUTSTANDING_REQUESTS &&
            g->n_healthy > g->n_ss && !sl->deployed) {
            sl->ss = true;
            sl->ss_start = sim_now(g->s);
            g->n_ss++;
            sl->ss_ev = sim_after(g->s, g->cfg.slow_start, on_ss_end, g, (uint64_t)idx);
        }
        set_add(g, 1, idx);
        break;
    case TG_UNHEALTHY: g->n_unhealthy++; break;
    case TG_DRAINING:
        set_remove(g, 0, idx);
        g->n_draining++;
        break;
    case TG_UNUSED:
        set_remove(g, 0, idx);
        break;
    default: break;
    }
    if (g->hfn)
        g->hfn(g->hctx, g, sl->inst, from, to);
}

/* Why a probe failed, as AWS's target health reason codes say it (DescribeTargetHealth). */
static const char *probe_failure(const ec2_instance *i, sim_time_t timeout)
{
    if (!ec2_running(i))
        return "Target.InvalidState: the instance is not running";
    if (!ec2_app_healthy(i))
        return "Target.ResponseCodeMismatch: the application answers its health checks with an error";
    if (ec2_queued_wait(i) >= timeout)
        return "Target.Timeout: the check waits behind queued requests longer than its timeout";
    return "Target.FailedHealthChecks";
}

/* A transition a health check caused: one event (checks are events per target, so the volume follows the targets, not the requests). */
static void log_health(tg *g, const tg_slot *sl, tg_state from, tg_state to, int checks, const char *why)
{
    static const char *const names[] = {"unused", "initial", "healthy", "unhealthy", "draining"};
    if (!g->ev)
        return;
    const scn_health_check *hc = &g->cfg.health_check;
    if (events_add(g->ev, sim_now(g->s), "target_health", ec2_id(sl->inst), names[from], names[to],
                   "target group %s: %s after %d consecutive %s health check%s (interval %.0f s, timeout %.0f s)%s%s",
                   g->name, names[to], checks, to == TG_HEALTHY ? "passed" : "failed", checks == 1 ? "" : "s",
                   sim_to_sec(hc->interval), sim_to_sec(hc->timeout), why ? ": " : "", why ? why : "") != 0)
        sim_fail(g->s, SIM_ENOMEM);
}

void tg_set_events(tg *g, events_log *ev) { g->ev = ev; }

static void on_check(sim *s, void *obj, uint64_t arg)
{
    tg *g = obj;
    int idx = (int)arg;
    tg_slot *sl = &g->slots[idx];
    const scn_health_check *hc = &g->cfg.health_check;
    sl->hc_ev = sim_after(s, hc->interval, on_check, g, arg);
    tg_state st = sl->state, to = st;
    const char *why = NULL;
    if (ec2_probe(sl->inst, hc->timeout)) {
        sl->fails = 0;
        sl->passes++;
        if (st == TG_INITIAL || (st == TG_UNHEALTHY && sl->passes >= hc->healthy_threshold))
            to = TG_HEALTHY;  /* 4.2, 11.7: one pass for a new target, the threshold later */
    } else {
        sl->passes = 0;
        sl->fails++;
        if ((st == TG_INITIAL || st == TG_HEALTHY) && sl->fails >= hc->unhealthy_threshold) {
            to = TG_UNHEALTHY;
            why = probe_failure(sl->inst, hc->timeout);
        }
    }
    if (to != st) {
        log_health(g, sl, st, to, to == TG_HEALTHY ? sl->passes : sl->fails, why);
        sl->passes = sl->fails = 0;
        set_state(g, idx, to);
    }
}

static int grow(tg *g)
{
    size_t cap = g->cap_slots ? 2 * g->cap_slots : 8;
    if (cap > (size_t)INT32_MAX)
        return -1;
    tg_slot *s = realloc(g->slots, cap * sizeof *s);
    if (!s)
        return -1;
    g->slots = s;
    uint32_t *o = realloc(g->out, cap * sizeof *o);
    if (!o)
        return -1;
    g->out = o;
    tg_hot *hot = realloc(g->hot, cap * sizeof *hot);
    if (!hot)
        return -1;
    g->hot = hot;
    int *l = realloc(g->live, cap * sizeof *l);
    if (!l)
        return -1;
    g->live = l;
    int *h = realloc(g->healthy, cap * sizeof *h);
    if (!h)
        return -1;
    g->healthy = h;
    g->cap_slots = cap;
    return 0;
}

/* Registers i in the given starting state (TG_INITIAL, or TG_HEALTHY for a deployed stack). */
static int register_as(tg *g, ec2_instance *i, tg_state start)
{
    int idx = find(g, i);
    if (idx >= 0 && g->slots[idx].state != TG_UNUSED)
        return g->slots[idx].state == TG_DRAINING ? -1 : idx;
    if (idx < 0) {
        if (g->n_slots == g->cap_slots && grow(g) != 0)
            return -1;
        idx = (int)g->n_slots++;
        g->slots[idx] = (tg_slot){.inst = i, .state = TG_UNUSED};
        g->hot[idx] = (tg_hot){.inst = i, .live_pos = -1, .healthy_pos = -1};
        g->out[idx] = 0;
    }
    tg_slot *sl = &g->slots[idx];
    sl->passes = sl->fails = 0;
    sl->drained = NULL;
    sl->drained_ctx = NULL;
    set_add(g, 0, idx);
    if (!g->s) {
        set_state(g, idx, TG_HEALTHY);  /* legacy: in service at once */
        return idx;
    }
    sim_time_t interval = g->cfg.health_check.interval;
    sim_time_t phase = (sim_time_t)(gsl_rng_uniform(g->hc_rng) * (double)interval);
    if (phase >= interval)
        phase = interval - 1;
    sl->hc_ev = sim_after(g->s, phase, on_check, g, (uint64_t)idx);
    /* 4.3: targets already healthy when slow start applies do not enter it (the deployed stack). */
    sl->deployed = start == TG_HEALTHY;
    set_state(g, idx, start);
    sl->deployed = false;
    return idx;
}

int tg_register(tg *g, ec2_instance *i) { return register_as(g, i, TG_INITIAL); }

int tg_register_healthy(tg *g, ec2_instance *i) { return register_as(g, i, TG_HEALTHY); }

/* Draining is over: unused, listener, then drained_fn. */
static void finish_drain(tg *g, int idx)
{
    tg_slot *sl = &g->slots[idx];
    if (sl->state != TG_DRAINING)
        return;
    if (g->s) {
        sim_cancel(g->s, sl->drain_ev);
        sim_cancel(g->s, sl->done_ev);
    }
    sl->drain_ev = sl->done_ev = SIM_EVID_NONE;
    tg_drained_fn fn = sl->drained;
    void *ctx = sl->drained_ctx;
    ec2_instance *inst = sl->inst;
    sl->drained = NULL;
    sl->drained_ctx = NULL;
    set_state(g, idx, TG_UNUSED);  /* the listener may register targets: sl may move */
    if (fn)
        fn(ctx, g, inst);
}

static void on_drain_done(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    tg *g = obj;
    g->slots[arg].done_ev = SIM_EVID_NONE;
    finish_drain(g, (int)arg);
}

static void on_drain_expire(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    tg *g = obj;
    int idx = (int)arg;
    g->slots[idx].drain_ev = SIM_EVID_NONE;
    /* 4.3, 11.11: the delay is over with requests in flight: each ALB answers them 502. */
    for (size_t k = 0; k < g->n_hooks && g->out[idx] > 0; k++)
        g->hooks[k].fn(g->hooks[k].ctx, g, idx);
    finish_drain(g, idx);
}

int tg_deregister(tg *g, ec2_instance *i, tg_drained_fn drained_fn, void *ctx)
{
    int idx = find(g, i);
    if (idx < 0)
        return -1;
    tg_slot *sl = &g->slots[idx];
    if (sl->state == TG_UNUSED || sl->state == TG_DRAINING)
        return -1;
    sl->drained = drained_fn;
    sl->drained_ctx = ctx;
    if (!g->s) {
        /* Legacy group: no kernel, so out at once. */
        set_state(g, idx, TG_DRAINING);
        finish_drain(g, idx);
        return 0;
    }
    sim_cancel(g->s, sl->hc_ev);
    sl->hc_ev = SIM_EVID_NONE;
    sl->drain_ev = sim_after(g->s, g->cfg.deregistration_delay, on_drain_expire, g, (uint64_t)idx);
    if (g->out[idx] == 0)
        sl->done_ev = sim_after(g->s, 0, on_drain_done, g, (uint64_t)idx);
    set_state(g, idx, TG_DRAINING);
    return 0;
}

void tg_set_health_listener(tg *g, tg_health_fn fn, void *ctx)
{
    g->hfn = fn;
    g->hctx = fn ? ctx : NULL;
}

tg_state tg_target_state(const tg *g, const ec2_instance *i)
{
    int idx = find(g, i);
    return idx < 0 ? TG_UNUSED : g->slots[idx].state;
}

const char *tg_state_name(tg_state st)
{
    static const char *const names[] = {"unused", "initial", "healthy", "unhealthy", "draining"};
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "unknown";
}

size_t tg_n_healthy(const tg *g) { return g->n_healthy; }
size_t tg_n_unhealthy(const tg *g) { return g->n_unhealthy; }
size_t tg_n_draining(const tg *g) { return g->n_draining; }

/* ---------------------------------------------------------------- routing */

double tg_slow_start_weight(const tg *g, int idx)
{
    const tg_slot *sl = &g->slots[idx];
    if (!sl->ss)
        return 1.0;
    double w = (double)(sim_now(g->s) - sl->ss_start) / (double)g->cfg.slow_start;
    return w < 0 ? 0 : w > 1 ? 1 : w;
}

/* Slow start's acceptance test for a candidate (draws only for targets in slow start). */
static inline bool accept(tg *g, int idx, gsl_rng *r)
{
    return !g->slots[idx].ss || gsl_rng_uniform(r) < tg_slow_start_weight(g, idx);
}

/* least_outstanding_requests by scanning (4.1): the first least count in routing order, cyclically from the cursor. */
static inline int lor_scan(tg *g, const int *arr, size_t n)
{
    size_t start = g->cursor < n ? g->cursor : 0;
    size_t best = start, k = start;
    uint32_t best_out = g->out[arr[start]];
    for (size_t j = 1; j < n && best_out > 0; j++) {
        if (++k == n)
            k = 0;
        uint32_t o = g->out[arr[k]];
        if (o < best_out) {
            best_out = o;
            best = k;
        }
    }
    g->cursor = best + 1 < n ? best + 1 : 0;
    return arr[best];
}

/* Out of line: its draws and index calls need saved registers that tg_pick's scan does not. */
__attribute__((noinline)) static int pick_in(tg *g, const int *arr, size_t n, gsl_rng *r)
{
    switch (g->cfg.algorithm) {
    case SCN_ALG_WEIGHTED_RANDOM: {
        int idx = arr[gsl_rng_uniform_int(r, n)];
        /* Rejection sampling gives weights 1 and w exactly; the bound only
         * matters when every target is in slow start near w = 0. */
        for (int tries = 0; g->n_ss && tries < 1000 && !accept(g, idx, r); tries++)
            idx = arr[gsl_rng_uniform_int(r, n)];
        return idx;
    }
    case SCN_ALG_LEAST_OUTSTANDING_REQUESTS: {
        /* 4.1: the fewest outstanding requests; ties go to the first such target at or after the one after
           the last pick, in routing order (wrapping). The index finds it in O(log64 n); the scan below is
           the same rule, for a few targets or when the index cannot be built (out of memory). */
        int which = arr == g->healthy;
        if (g->lor_for != which && (g->lor || (g->lor = lor_new()) != NULL))
            g->lor_for = lor_build(g->lor, arr, n, g->out) == 0 ? which : -1;
        if (g->lor_for == which) {
            size_t best = lor_pick(g->lor, g->cursor < n ? g->cursor : 0);
            if (best < n) {
                g->cursor = best + 1 < n ? best + 1 : 0;
                return arr[best];
            }
        }
        return lor_scan(g, arr, n);
    }
    case SCN_ALG_ROUND_ROBIN:
    default: {
        size_t k = g->cursor < n ? g->cursor : 0;
        g->cursor = k + 1 < n ? k + 1 : 0;
        if (!g->n_ss)
            return arr[k];
        /* Slow start: a full cycle of refusals (all in slow start) takes the last one. */
        for (size_t tries = 1; tries < n && !accept(g, arr[k], r); tries++) {
            k = g->cursor;
            g->cursor = k + 1 < n ? k + 1 : 0;
        }
        return arr[k];
    }
    }
}

int tg_pick(tg *g, gsl_rng *r)
{
    const int *arr = g->healthy;
    size_t n = g->n_healthy;
    if (!n) {
        arr = g->live;  /* 4.2 fail-open: none healthy, so all registered (not draining) */
        n = g->n_live;
        if (!n)
            return -1;
    }
    if (g->cfg.algorithm == SCN_ALG_LEAST_OUTSTANDING_REQUESTS && n <= TG_LOR_SCAN_MAX) {
        /* A few targets: the scan reads one short array and costs less than keeping the index in step at
           every count move (lor_note does nothing while no set is indexed). */
        g->lor_for = -1;
        return lor_scan(g, arr, n);
    }
    return pick_in(g, arr, n, r);
}

ec2_instance *tg_target(const tg *g, int idx) { return g->hot[idx].inst; }
/* Keeps the LOR index in step with a target's count. */
static inline void lor_note(tg *g, int idx)
{
    if (g->lor_for < 0)
        return;
    int32_t p = *pos_of(g, idx, g->lor_for);
    if (p >= 0 && lor_move(g->lor, (size_t)p, g->out[idx]) != 0)
        g->lor_for = -1;
}

void tg_outstanding_inc(tg *g, int idx)
{
    g->out[idx]++;
    lor_note(g, idx);
}

/* A draining target's last answer: draining ends through a zero-delay event (not re-entrantly). Out of line: rare. */
__attribute__((noinline)) static void drained_soon(tg *g, int idx)
{
    tg_slot *sl = &g->slots[idx];
    if (g->s && !sim_pending_event(g->s, sl->done_ev))
        sl->done_ev = sim_after(g->s, 0, on_drain_done, g, (uint64_t)idx);
}

void tg_outstanding_dec(tg *g, int idx)
{
    --g->out[idx];
    lor_note(g, idx);
    if (g->out[idx] == 0 && g->hot[idx].draining)
        drained_soon(g, idx);
}

uint32_t tg_outstanding(const tg *g, int idx) { return g->out[idx]; }

int tg_attach_lb(tg *g, tg_expire_fn fn, void *ctx)
{
    tg_lb_hook *h = realloc(g->hooks, (g->n_hooks + 1) * sizeof *h);
    if (!h)
        return -1;
    g->hooks = h;
    g->hooks[g->n_hooks++] = (tg_lb_hook){fn, ctx};
    return 0;
}

void tg_detach_lb(tg *g, void *ctx)
{
    for (size_t k = 0; k < g->n_hooks; k++)
        if (g->hooks[k].ctx == ctx) {
            memmove(&g->hooks[k], &g->hooks[k + 1], (g->n_hooks - k - 1) * sizeof g->hooks[0]);
            g->n_hooks--;
            return;
        }
}

size_t tg_n_registered(const tg *g) { return g->n_live; }
size_t tg_n_slots(const tg *g) { return g->n_slots; }
const char *tg_name(const tg *g) { return g->name; }

tg_state tg_slot_state(const tg *g, int idx)
{
    return idx >= 0 && (size_t)idx < tg_n_slots(g) ? g->slots[idx].state : TG_UNUSED;
}

sim_time_t tg_check_timeout(const tg *g) { return g->cfg.health_check.timeout; }
