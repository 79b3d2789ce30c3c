/*
 * test_kernel.c - the clock, the event queue and the run loop.
 *
 * The core check is a storm of random schedules and cancels (from outside the
 * run and from inside handlers) run against a trivially correct reference: an
 * unsorted array scanned for the minimum (time, scheduling order). Every fired
 * event must be exactly the reference's next one, so any ordering, cancel or
 * heap-position bug shows up as the first mismatch.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "sim/sim.h"
#include "tests/tap.h"

/* ---------------------------------------------------------------- a log of fired events */

typedef struct fire_log {
    size_t n, cap;
    uint64_t *arg;
    sim_time_t *t;
} fire_log;

static void log_push(fire_log *l, sim_time_t t, uint64_t arg)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->arg = realloc(l->arg, l->cap * sizeof *l->arg);
        l->t = realloc(l->t, l->cap * sizeof *l->t);
        if (!l->arg || !l->t)
            abort();
    }
    l->arg[l->n] = arg;
    l->t[l->n++] = t;
}

static void log_free(fire_log *l)
{
    free(l->arg);
    free(l->t);
}

static void on_log(sim *s, void *obj, uint64_t arg) { log_push(obj, sim_now(s), arg); }

/* ---------------------------------------------------------------- ties */

static void test_ties(void)
{
    sim *s = sim_new(1, 0);
    fire_log l = {0};
    enum { N = 5000 };
    /* times inserted in a scrambled order with about 50 events per instant */
    for (uint64_t i = 0; i < N; i++) {
        sim_time_t t = (sim_time_t)((i * 7919) % 97) * 10;
        sim_at(s, t, on_log, &l, i);
    }
    is_int(sim_pending(s), N, "ties: %d pending", N);
    sim_run_until(s, SIM_TIME_MAX);
    is_int(l.n, N, "ties: all fired");
    int bad = 0;
    for (size_t k = 1; k < l.n; k++) {
        if (l.t[k] < l.t[k - 1] || (l.t[k] == l.t[k - 1] && l.arg[k] <= l.arg[k - 1]))
            bad++;
    }
    is_int(bad, 0, "ties: time never decreases and equal times fire in scheduling order");
    log_free(&l);
    sim_free(s);
}

/* ---------------------------------------------------------------- storm vs reference */

typedef struct ref_ev {
    sim_time_t t;
    uint64_t seq, tag;
} ref_ev;

typedef struct storm {
    sim *s;
    gsl_rng *r; /* the driver's own generator, not a kernel stream */
    ref_ev *ref;
    size_t n_ref, cap_ref;
    uint64_t next_seq, next_tag;
    sim_evid *ids; /* every handle ever issued, by tag */
    size_t cap_ids;
    long mismatches, fired, cancels_true, cancels_false;
    size_t max_pending;
    sim_time_t spread; /* delays are drawn from [0, spread) ns: small spreads make ties */
    double p_cancel;   /* share of cancels among the driver's operations and in handlers */
    fire_log log;
} storm;

static void storm_on_fire(sim *s, void *obj, uint64_t tag);

static void storm_schedule(storm *st)
{
    sim_time_t d = (sim_time_t)gsl_rng_uniform_int(st->r, (unsigned long)st->spread);
    if (gsl_rng_uniform(st->r) < 0.1)
        d = 0; /* zero delays: same-time events scheduled from inside handlers */
    uint64_t tag = st->next_tag++;
    sim_evid id = sim_after(st->s, d, storm_on_fire, st, tag);
    if (tag >= st->cap_ids) {
        st->cap_ids = st->cap_ids ? 2 * st->cap_ids : 1024;
        st->ids = realloc(st->ids, st->cap_ids * sizeof *st->ids);
        if (!st->ids)
            abort();
    }
    st->ids[tag] = id;
    if (st->n_ref == st->cap_ref) {
        st->cap_ref = st->cap_ref ? 2 * st->cap_ref : 1024;
        st->ref = realloc(st->ref, st->cap_ref * sizeof *st->ref);
        if (!st->ref)
            abort();
    }
    st->ref[st->n_ref++] = (ref_ev){sim_now(st->s) + d, st->next_seq++, tag};
    if (st->n_ref > st->max_pending)
        st->max_pending = st->n_ref;
}

static size_t ref_find(const storm *st, uint64_t tag)
{
    for (size_t i = 0; i < st->n_ref; i++)
        if (st->ref[i].tag == tag)
            return i;
    return SIZE_MAX;
}

static void ref_remove(storm *st, size_t i) { st->ref[i] = st->ref[--st->n_ref]; }

static void storm_cancel(storm *st)
{
    if (!st->next_tag)
        return;
    /* half the time a pending event, else any handle ever issued (mostly
     * fired or cancelled ones) */
    uint64_t tag;
    if (st->n_ref && gsl_rng_uniform(st->r) < 0.5)
        tag = st->ref[gsl_rng_uniform_int(st->r, (unsigned long)st->n_ref)].tag;
    else
        tag = gsl_rng_uniform_int(st->r, (unsigned long)st->next_tag);
    size_t i = ref_find(st, tag);
    bool want = i != SIZE_MAX;
    if (sim_pending_event(st->s, st->ids[tag]) != want)
        st->mismatches++;
    bool got = sim_cancel(st->s, st->ids[tag]);
    if (got != want)
        st->mismatches++;
    if (want)
        ref_remove(st, i);
    if (got)
        st->cancels_true++;
    else
        st->cancels_false++;
}

static void storm_on_fire(sim *s, void *obj, uint64_t tag)
{
    storm *st = obj;
    st->fired++;
    log_push(&st->log, sim_now(s), tag);
    /* the reference's next event: least time, then least scheduling sequence */
    size_t m = SIZE_MAX;
    for (size_t i = 0; i < st->n_ref; i++)
        if (m == SIZE_MAX || st->ref[i].t < st->ref[m].t ||
            (st->ref[i].t == st->ref[m].t && st->ref[i].seq < st->ref[m].seq))
            m = i;
    if (m == SIZE_MAX || st->ref[m].tag != tag || st->ref[m].t != sim_now(s)) {
        st->mismatches++;
        size_t i = ref_find(st, tag);
        if (i != SIZE_MAX)
            ref_remove(st, i);
    } else {
        ref_remove(st, m);
    }
    if (sim_pending_event(s, st->ids[tag]))
        st->mismatches++; /* a firing event is no longer pending */
    if (sim_pending(s) != st->n_ref)
        st->mismatches++;
    /* 0.8 new events per fired one on average (subcritical, so the final
     * drain ends); the outer loop refills the queue */
    double u = gsl_rng_uniform(st->r);
    if (u < 0.4)
        storm_schedule(st);
    else if (u < 0.6) {
        storm_schedule(st);
        storm_schedule(st);
    }
    if (gsl_rng_uniform(st->r) < st->p_cancel)
        storm_cancel(st);
}

static void storm_init(storm *st, uint64_t seed, sim_time_t spread)
{
    memset(st, 0, sizeof *st);
    st->s = sim_new(seed, 0);
    st->r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(st->r, (unsigned long)seed);
    st->spread = spread;
    st->p_cancel = 0.2;
}

static void storm_fini(storm *st)
{
    sim_free(st->s);
    gsl_rng_free(st->r);
    free(st->ref);
    free(st->ids);
    log_free(&st->log);
}

/* Runs rounds of: schedule/cancel a batch from outside, then run to a random horizon. */
static void storm_run(storm *st, int rounds, size_t batch, bool renumber_midway)
{
    for (int round = 0; round < rounds; round++) {
        if (renumber_midway && round == rounds / 2)
            sim__set_next_seq(st->s, UINT64_MAX); /* clamps to the limit: next schedule renumbers */
        size_t k = 1 + gsl_rng_uniform_int(st->r, (unsigned long)batch);
        for (size_t i = 0; i < k; i++) {
            if (gsl_rng_uniform(st->r) >= st->p_cancel)
                storm_schedule(st);
            else
                storm_cancel(st);
        }
        sim_time_t t_end = sim_now(st->s) + (sim_time_t)gsl_rng_uniform_int(st->r, (unsigned long)st->spread);
        sim_run_until(st->s, t_end);
        if (sim_now(st->s) != t_end)
            st->mismatches++;
        for (size_t i = 0; i < st->n_ref; i++)
            if (st->ref[i].t <= t_end)
                st->mismatches++; /* should have fired */
    }
    sim_run_until(st->s, SIM_TIME_MAX);
    if (st->n_ref != 0 || sim_pending(st->s) != 0)
        st->mismatches++;
}

static void test_storm(const char *what, uint64_t seed, sim_time_t spread, int rounds, size_t batch,
                       bool renumber, double p_cancel)
{
    storm st;
    storm_init(&st, seed, spread);
    st.p_cancel = p_cancel;
    storm_run(&st, rounds, batch, renumber);
    is_int(st.mismatches, 0, "storm %s: firing sequence equals the reference's", what);
    ok(st.fired > 10000 && st.cancels_true > 1000 && st.cancels_false > 1000,
       "storm %s: exercised (%ld fired, %ld cancels hit, %ld stale, peak %zu pending)", what, st.fired,
       st.cancels_true, st.cancels_false, st.max_pending);
    is_int(sim_events_fired(st.s), st.fired, "storm %s: sim_events_fired counts them", what);
    is_int(sim_error(st.s), SIM_OK, "storm %s: no error", what);
    storm_fini(&st);
}

/* ---------------------------------------------------------------- cancel edge cases */

static void on_nop(sim *s, void *obj, uint64_t arg) { (void)s, (void)obj, (void)arg; }

static void on_cancel_self(sim *s, void *obj, uint64_t arg)
{
    sim_evid *self = obj;
    (void)arg;
    /* a firing event is no longer pending: cancelling it must be a no-op */
    self[1].slot = sim_cancel(s, self[0]) ? 1 : 0;
    self[1].gen = sim_pending_event(s, self[0]) ? 1 : 0;
}

static void test_cancel_edges(void)
{
    sim *s = sim_new(1, 0);
    ok(!sim_cancel(s, SIM_EVID_NONE), "cancel NONE returns false");
    ok(!sim_pending_event(s, SIM_EVID_NONE), "NONE is not pending");
    ok(!sim_cancel(s, (sim_evid){12345, 1}), "cancel of a never-used slot returns false");
    sim_evid a = sim_after(s, 10, on_nop, NULL, 0);
    sim_evid b = sim_after(s, 20, on_nop, NULL, 0);
    ok(a.slot != 0 && b.slot != 0, "real handles are not NONE");
    ok(!sim_cancel(s, (sim_evid){a.slot, a.gen + 1}), "wrong generation returns false");
    ok(!sim_cancel(s, (sim_evid){a.slot, 0}), "generation 0 returns false");
    is_int(sim_pending(s), 2, "nothing was cancelled by bad handles");
    ok(sim_cancel(s, a), "cancel of a pending event returns true");
    ok(!sim_cancel(s, a), "second cancel returns false");
    ok(!sim_pending_event(s, a), "cancelled event is not pending");
    is_int(sim_pending(s), 1, "pending after cancel");
    sim_evid c = sim_after(s, 30, on_nop, NULL, 0);
    ok(!(c.slot == a.slot && c.gen == a.gen), "a new event never gets a cancelled event's handle");
    ok(!sim_cancel(s, a), "the cancelled handle still returns false");
    ok(sim_pending_event(s, c), "and did not cancel the new event");
    is_int(sim_next_time(s), 20, "sim_next_time skips the cancelled event at the front");
    sim_run_until(s, 25);
    ok(!sim_cancel(s, b), "cancel of a fired event returns false");
    is_int(sim_events_fired(s), 1, "only b fired: the cancelled a did not");
    /* the slots of the fired b and the cancelled a are free now and reused; old handles must not reach them */
    sim_evid d = sim_after(s, 40, on_nop, NULL, 0);
    sim_evid e = sim_after(s, 40, on_nop, NULL, 0);
    ok(d.slot == b.slot && d.gen != b.gen, "a fired event's slot is reused with a new generation");
    ok(e.slot == a.slot && e.gen != a.gen, "a cancelled event's slot is reused once its entry left the queue");
    ok(!sim_cancel(s, a) && !sim_cancel(s, b), "stale handles to reused slots return false");
    ok(sim_pending_event(s, d) && sim_pending_event(s, e), "and did not cancel the slots' new events");
    ok(sim_cancel(s, d) && sim_cancel(s, e), "the new events cancel through their own handles");
    is_int(sim_pending(s), 1, "one left");
    sim_evid self[2] = {{0, 0}, {9, 9}};
    self[0] = sim_after(s, 1, on_cancel_self, self, 0);
    sim_run_until(s, 26);
    ok(self[1].slot == 0 && self[1].gen == 0, "an event cannot cancel itself while firing");
    is_int(sim_pending(s), 1, "pending unchanged by the self-cancel");
    is_int(sim_events_fired(s), 2, "two fired");
    sim_free(s);
}

/* ---------------------------------------------------------------- cancel-heavy: tombstones stay bounded */

/*
 * A tick every nanosecond arms a far timeout and cancels the one armed K
 * ticks before (a request timeout that almost never fires), from inside the
 * handler; FAR events stay live throughout. Cancelled timeouts are never due
 * during the ticks, so without purging they would pile up, 40 bytes each.
 */
enum { HV_K = 8, HV_FAR = 10 };

typedef struct heavy {
    sim_evid ring[HV_K];
    uint64_t ticks, total;
    long bad_pending, bad_stale, bad_fired, timeouts_fired;
    fire_log far;
} heavy;

static void on_far(sim *s, void *obj, uint64_t arg)
{
    heavy *hv = obj;
    log_push(&hv->far, sim_now(s), arg);
}

static void on_timeout(sim *s, void *obj, uint64_t arg)
{
    heavy *hv = obj;
    (void)s;
    hv->timeouts_fired++;
    if (arg + HV_K < hv->total)
        hv->bad_fired++; /* this one was cancelled */
}

static void on_tick(sim *s, void *obj, uint64_t arg)
{
    heavy *hv = obj;
    sim_evid *slot = &hv->ring[arg % HV_K];
    if (arg >= HV_K) {
        sim_evid old = *slot;
        if (!sim_cancel(s, old))
            hv->bad_stale++; /* it was pending: the cancel must say so */
        if (sim_cancel(s, old) || sim_pending_event(s, old))
            hv->bad_stale++;
    }
    *slot = sim_after(s, SIM_SEC, on_timeout, hv, arg);
    hv->ticks++;
    bool more = arg + 1 < hv->total;
    if (more)
        sim_after(s, 1, on_tick, hv, arg + 1);
    /* FAR events, the armed timeouts (at most K) and the next tick */
    size_t armed = arg + 1 < HV_K ? (size_t)arg + 1 : HV_K;
    if (sim_pending(s) != HV_FAR + armed + (more ? 1 : 0))
        hv->bad_pending++;
}

/* Resident set in KiB (Linux /proc), or -1 where unknown. */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = -1, rss = -1;
    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = -1;
    fclose(f);
    return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void test_cancel_heavy(void)
{
    heavy hv = {.total = 1000000};
    long rss0 = rss_kib();
    sim *s = sim_new(9, 0);
    /* FAR live events at a common far time, scheduled out of arg order: they must fire by scheduling order */
    for (uint64_t i = 0; i < HV_FAR; i++)
        sim_at(s, 2 * SIM_SEC + (sim_time_t)(i % 3), on_far, &hv, i);
    sim_at(s, 0, on_tick, &hv, 0);
    sim_run_until(s, SIM_SEC / 2);
    long rss1 = rss_kib();
    is_int(hv.ticks, hv.total, "cancel-heavy: %llu ticks, each arming a timeout and cancelling an older one",
           (unsigned long long)hv.total);
    is_int(hv.bad_pending, 0, "cancel-heavy: sim_pending exact after every tick");
    is_int(hv.bad_stale, 0, "cancel-heavy: each cancel hits once, then its handle is stale");
    is_int(sim_pending(s), HV_FAR + HV_K, "cancel-heavy: FAR events and the last K timeouts pending");
    if (rss0 < 0 || rss1 < 0)
        ok(1, "cancel-heavy: RSS # SKIP no /proc/self/statm");
    else
        ok(rss1 - rss0 < 8 * 1024, "cancel-heavy: %llu cancelled timeouts grew RSS by %ld KiB (< 8 MiB; 40 MB if kept)",
           (unsigned long long)(hv.total - HV_K), rss1 - rss0);
    sim_run_until(s, SIM_TIME_MAX);
    is_int(hv.bad_fired, 0, "cancel-heavy: no cancelled timeout fired");
    is_int(hv.timeouts_fired, HV_K, "cancel-heavy: the %d uncancelled timeouts fired", HV_K);
    bool order = hv.far.n == HV_FAR;
    for (size_t i = 1; order && i < hv.far.n; i++)
        order = hv.far.t[i] > hv.far.t[i - 1] || (hv.far.t[i] == hv.far.t[i - 1] && hv.far.arg[i] > hv.far.arg[i - 1]);
    ok(order, "cancel-heavy: the live events fired in (time, scheduling) order");
    is_int(sim_pending(s), 0, "cancel-heavy: nothing left");
    log_free(&hv.far);
    sim_free(s);
}

/* ---------------------------------------------------------------- run_until, clock, errors */

static void test_run_until(void)
{
    sim *s = sim_new(1, 0);
    fire_log l = {0};
    is_int(sim_now(s), 0, "clock starts at 0");
    sim_at(s, 10, on_log, &l, 1);
    sim_at(s, 20, on_log, &l, 2);
    is_int(sim_run_until(s, 9), SIM_OK, "run_until returns SIM_OK");
    is_int(l.n, 0, "nothing before 10");
    is_int(sim_now(s), 9, "clock ends at t_end with no event there");
    sim_run_until(s, 10);
    is_int(l.n, 1, "event exactly at t_end fires");
    is_int(sim_now(s), 10, "clock at t_end");
    sim_run_until(s, 19);
    is_int(l.n, 1, "event at 20 not yet");
    is_int(sim_now(s), 19, "clock at 19");
    sim_run_until(s, 5);
    is_int(sim_now(s), 19, "run_until an earlier time does not move the clock back");
    sim_run_until(s, 100);
    is_int(l.n, 2, "second fires");
    is_int(l.t[1], 20, "at its time");
    is_int(sim_now(s), 100, "clock at 100");
    is_int(sim_pending(s), 0, "queue empty");
    log_free(&l);
    sim_free(s);
}

static void test_past(void)
{
    sim *s = sim_new(1, 0);
    fire_log l = {0};
    sim_at(s, 50, on_log, &l, 1);
    sim_run_until(s, 40);
    sim_evid e = sim_after(s, -1, on_log, &l, 2);
    ok(e.slot == 0 && e.gen == 0, "negative delay returns NONE");
    is_int(sim_error(s), SIM_EPAST, "negative delay sets SIM_EPAST");
    is_int(sim_pending(s), 1, "and schedules nothing");
    e = sim_at(s, 39, on_log, &l, 3);
    ok(e.slot == 0, "sim_at before now returns NONE");
    is_int(sim_pending(s), 1, "and schedules nothing");
    is_int(sim_run_until(s, 100), SIM_EPAST, "run_until reports the sticky error");
    is_int(l.n, 0, "and fires nothing");
    is_int(sim_now(s), 40, "nor moves the clock");
    sim_fail(s, SIM_ENOMEM);
    is_int(sim_error(s), SIM_EPAST, "the first error sticks");
    log_free(&l);
    sim_free(s);

    s = sim_new(1, 0);
    sim_at(s, 0, on_nop, NULL, 0);
    sim_after(s, 0, on_nop, NULL, 0);
    is_int(sim_error(s), SIM_OK, "scheduling at now is fine");
    is_int(sim_pending(s), 2, "both pending");
    sim_free(s);
}

typedef struct zd {
    fire_log log;
    bool done;
} zd;

static void on_zero(sim *s, void *obj, uint64_t arg)
{
    zd *z = obj;
    log_push(&z->log, sim_now(s), arg);
    if (arg == 1) /* schedules at now: must run after B and C, already queued at 5 */
        sim_after(s, 0, on_zero, z, 4);
    if (arg == 4)
        sim_after(s, 0, on_zero, z, 5);
}

static void test_zero_delay(void)
{
    sim *s = sim_new(1, 0);
    zd z = {0};
    sim_at(s, 5, on_zero, &z, 1);
    sim_at(s, 5, on_zero, &z, 2);
    sim_at(s, 5, on_zero, &z, 3);
    sim_at(s, 6, on_zero, &z, 6);
    sim_run_until(s, 5);
    is_int(z.log.n, 5, "zero-delay events fire within the same run_until(now)");
    int order_ok = z.log.n == 5;
    for (size_t i = 0; order_ok && i < 5; i++)
        order_ok = z.log.arg[i] == i + 1 && z.log.t[i] == 5;
    ok(order_ok, "zero delay runs after already-queued same-time events: 1 2 3 4 5");
    is_int(sim_pending(s), 1, "event at 6 still pending");
    log_free(&z.log);
    sim_free(s);
}

static void on_stop(sim *s, void *obj, uint64_t arg)
{
    log_push(obj, sim_now(s), arg);
    if (arg == 2)
        sim_stop(s);
}

static void on_fail(sim *s, void *obj, uint64_t arg)
{
    log_push(obj, sim_now(s), arg);
    sim_fail(s, SIM_ENOMEM);
}

/* A watched flag as a signal handler would set it: here the event with arg 2 sets it. */
typedef struct watch_ctx {
    fire_log log;
    volatile sig_atomic_t flag;
} watch_ctx;

static void on_watch(sim *s, void *obj, uint64_t arg)
{
    watch_ctx *c = obj;
    log_push(&c->log, sim_now(s), arg);
    if (arg == 2)
        c->flag = 1;
}

static void test_watch(void)
{
    sim *s = sim_new(1, 0);
    watch_ctx c = {0};
    for (uint64_t i = 1; i <= 4; i++)
        sim_at(s, (sim_time_t)(10 * i), on_watch, &c, i);
    sim_watch(s, &c.flag);
    is_int(sim_run_until(s, 100), SIM_OK, "sim_watch: a set flag is not an error");
    is_int(c.log.n, 2, "sim_watch: the run stops before the event after the flag was set");
    is_int(sim_now(s), 20, "sim_watch: the clock stays at the last event run");
    is_int(sim_pending(s), 2, "sim_watch: the rest stays pending");
    is_int(sim_run_until(s, 100), SIM_OK, "sim_watch: while the flag is set, nothing runs");
    is_int(c.log.n, 2, "sim_watch: still two events");
    sim_watch(s, NULL);
    sim_run_until(s, 100);
    is_int(c.log.n, 4, "sim_watch: unwatched, the run goes on");
    is_int(sim_now(s), 100, "sim_watch: and reaches t_end");
    log_free(&c.log);
    sim_free(s);
}

static void test_stop_fail(void)
{
    sim *s = sim_new(1, 0);
    fire_log l = {0};
    for (uint64_t i = 1; i <= 4; i++)
        sim_at(s, (sim_time_t)(i < 3 ? 3 : i), on_stop, &l, i);
    is_int(sim_run_until(s, 100), SIM_OK, "sim_stop is not an error");
    is_int(l.n, 2, "run stops after the stopping event");
    is_int(sim_now(s), 3, "clock stays at the stopping event's time");
    is_int(sim_pending(s), 2, "rest pending");
    sim_run_until(s, 100);
    is_int(l.n, 4, "a new run_until continues");
    is_int(sim_now(s), 100, "and reaches t_end");
    log_free(&l);
    sim_free(s);

    s = sim_new(1, 0);
    l = (fire_log){0};
    sim_at(s, 1, on_fail, &l, 1);
    sim_at(s, 2, on_fail, &l, 2);
    is_int(sim_run_until(s, 10), SIM_ENOMEM, "sim_fail from a handler stops the run with its code");
    is_int(l.n, 1, "after the failing event");
    is_int(sim_now(s), 1, "clock at the failing event");
    is_int(sim_run_until(s, 10), SIM_ENOMEM, "the error is sticky");
    is_int(l.n, 1, "nothing more fires");
    log_free(&l);
    sim_free(s);
}

static void test_from_sec(void)
{
    is_int(sim_from_sec(1.5), 1500000000, "1.5 s");
    is_int(sim_from_sec(2.4e-9), 2, "rounds to nearest (down)");
    is_int(sim_from_sec(2.6e-9), 3, "rounds to nearest (up)");
    is_int(sim_from_sec(NAN), 0, "NaN -> 0");
    is_int(sim_from_sec(-3), 0, "negative -> 0");
    is_int(sim_from_sec(1e300), SIM_TIME_MAX, "saturates");
    is_int(sim_from_sec(INFINITY), SIM_TIME_MAX, "inf saturates");
    is_int(sim_from_sec(9.2e9), (sim_time_t)9.2e18, "large but in range");
    is_int(sim_from_sec(0.5e-9), 1, "half a nanosecond rounds away from zero");
    is_int(sim_from_sec(0.49999999999999994e-9), 0, "just under half rounds down");
    /* agrees with llround over many magnitudes */
    int agree = 1;
    for (double x = 1e-10; x < 9e9; x *= 1.0137)
        agree &= sim_from_sec(x) == llround(x * 1e9);
    ok(agree, "sim_from_sec equals llround(seconds * 1e9) from 0.1 ns to 9e9 s");
}

static void test_misc(void)
{
    sim *s = sim_new(42, 7);
    is_int(sim_seed(s), 42, "seed kept");
    is_int(sim_replication(s), 7, "replication kept");
    sim_evid a = sim_after(s, SIM_TIME_MAX, on_nop, NULL, 0);
    sim_run_until(s, 10);
    sim_evid b = sim_after(s, SIM_TIME_MAX, on_nop, NULL, 0);
    ok(a.slot && b.slot && sim_error(s) == SIM_OK, "now + huge delay saturates instead of overflowing");
    sim_free(NULL);
    ok(1, "sim_free(NULL) is a no-op");
    sim_free(s);
}

/* ---------------------------------------------------------------- interned handlers, big arrays */

/* 40 distinct handlers (more than the handler table's first size): each must be called for its own events */
#define H(i)                                                                                                         \
    static void on_h##i(sim *s, void *obj, uint64_t arg) { log_push(obj, sim_now(s), (uint64_t)(i) << 32 | arg); }
#define H8(a) H(a##0) H(a##1) H(a##2) H(a##3) H(a##4) H(a##5) H(a##6) H(a##7)
H8(1) H8(2) H8(3) H8(4) H8(5)
#define R8(a) on_h##a##0, on_h##a##1, on_h##a##2, on_h##a##3, on_h##a##4, on_h##a##5, on_h##a##6, on_h##a##7
static const sim_handler handlers40[40] = {R8(1), R8(2), R8(3), R8(4), R8(5)};
static const int handler_ids[40] = {10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32, 33,
                                    34, 35, 36, 37, 40, 41, 42, 43, 44, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57};

static void test_many_handlers(void)
{
    sim *s = sim_new(5, 0);
    fire_log l = {0};
    /* each handler in turn, at times that interleave them, several rounds */
    for (uint64_t k = 0; k < 400; k++)
        sim_at(s, (sim_time_t)((k * 7919) % 401), handlers40[k % 40], &l, k);
    sim_run_until(s, SIM_TIME_MAX);
    bool right = l.n == 400;
    for (size_t i = 0; right && i < l.n; i++) {
        uint64_t k = l.arg[i] & 0xffffffffu;
        right = (int)(l.arg[i] >> 32) == handler_ids[k % 40] && l.t[i] == (sim_time_t)((k * 7919) % 401);
    }
    ok(right, "40 distinct handlers: every event fires its own handler, in time order");
    log_free(&l);
    sim_free(s);
}

/* Enough pending events that the arrays grow past the size where they become their own mappings (mremap). */
static void test_big_growth(void)
{
    sim *s = sim_new(6, 0);
    fire_log l = {0};
    const uint64_t n = 600000;
    for (uint64_t k = 0; k < n; k++)
        sim_at(s, (sim_time_t)(k % 1000), k % 2 ? on_log : on_h10, &l, k);
    is_int(sim_pending(s), n, "600k events pending");
    sim_run_until(s, SIM_TIME_MAX);
    bool order = l.n == n;
    uint64_t prev_t = 0, prev_k = 0;
    for (size_t i = 0; order && i < l.n; i++) {
        uint64_t k = l.arg[i] & 0xffffffffu, t = (uint64_t)l.t[i];
        bool right_h = (l.arg[i] >> 32) == (k % 2 ? 0 : 10);
        order = right_h && t == k % 1000 && (i == 0 || t > prev_t || (t == prev_t && k > prev_k));
        prev_t = t;
        prev_k = k;
    }
    ok(order, "after growing to 600k pending: time order, ties in scheduling order, right handlers");
    log_free(&l);
    sim_free(s);
}

/* ---------------------------------------------------------------- threads */

typedef struct thr {
    uint64_t seed;
    storm st;
} thr;

static void *thr_main(void *arg)
{
    thr *t = arg;
    storm_init(&t->st, t->seed, 50);
    storm_run(&t->st, 300, 200, false);
    return NULL;
}

static void test_threads(void)
{
    thr a = {.seed = 99}, b = {.seed = 99}, c = {.seed = 99};
    pthread_t ta, tb;
    int ea = pthread_create(&ta, NULL, thr_main, &a);
    int eb = pthread_create(&tb, NULL, thr_main, &b);
    if (!ok(ea == 0 && eb == 0, "two sims started in two threads"))
        abort();
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    thr_main(&c);
    ok(a.st.log.n > 10000 && a.st.log.n == b.st.log.n && a.st.log.n == c.st.log.n, "same number of events (%zu)",
       a.st.log.n);
    bool same = a.st.log.n == b.st.log.n && a.st.log.n == c.st.log.n;
    for (size_t i = 0; same && i < a.st.log.n; i++)
        same = a.st.log.arg[i] == b.st.log.arg[i] && a.st.log.t[i] == b.st.log.t[i] &&
               a.st.log.arg[i] == c.st.log.arg[i] && a.st.log.t[i] == c.st.log.t[i];
    ok(same, "threaded sims fire identical sequences, equal to a sequential run");
    is_int(a.st.mismatches + b.st.mismatches, 0, "and both match the reference");
    storm_fini(&a.st);
    storm_fini(&b.st);
    storm_fini(&c.st);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_ties();
    test_storm("ties", 1, 8, 3000, 64, false, 0.2);
    test_storm("spread", 2, 1000000, 3000, 64, false, 0.2);
    test_storm("big", 3, 1000, 40, 3000, false, 0.2);
    test_storm("renumber", 4, 16, 3000, 64, true, 0.2);
    /* mostly cancels: tombstones outnumber live events, so purges run, from outside and inside handlers */
    test_storm("cancel-heavy", 5, 1000000, 300, 3000, false, 0.45);
    test_storm("cancel-heavy renumber", 6, 1000000, 300, 3000, true, 0.45);
    test_cancel_edges();
    test_cancel_heavy();
    test_run_until();
    test_past();
    test_zero_delay();
    test_stop_fail();
    test_watch();
    test_from_sec();
    test_misc();
    test_many_handlers();
    test_big_growth();
    test_threads();
    return tap_done();
}
