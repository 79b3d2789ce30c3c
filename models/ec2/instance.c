/*
 * instance.c - an EC2 instance serving requests.
 *
 * Approximates: an instance of `vcpus` vCPUs as `vcpus` identical workers in
 * front of one FIFO run queue (an idealised, work-conserving OS scheduler).
 * A request needs `demand` seconds of work on a reference vCPU (c5.large =
 * 1.0) and holds one worker for demand / speed seconds.
 *
 * Lifecycle (aws-semantics 5.1): an instance exists from the moment it is
 * running (the Auto Scaling group models pending itself) until ec2_crash or
 * ec2_terminate, which both end billing at that instant (terminated = now).
 * Whatever it holds then is handed back with REQ_TARGET_RESET, so the ALB
 * answers 502 at that instant (4.4: the target closed the connection with a
 * request outstanding). A request the ALB still dispatches to a dead instance
 * (it stays registered until health checks mark it unhealthy) is handed back
 * at once with REQ_TARGET_RESET: a 502 now, as for a refused connection; the
 * 10 s connection timeout (504, 4.4) is not modelled.
 *
 * Application health: an app-unhealthy instance still does each request's
 * work but answers it 500 (HTTPCode_Target_5XX_Count, 4.5), and fails health
 * checks.
 *
 * Health-check probe (model choice; AWS documents only the timeout, 4.2): a
 * probe is a request of negligible work that joins the same FIFO run queue,
 * so it waits for the work queued ahead of it. Its wait is estimated as the
 * queued work (sum of the queued requests' demand / speed: one addition per
 * queued request, converted to ns only when probed) over the vCPUs; the probe fails if that reaches the check timeout. So an
 * overloaded instance fails checks, as a real one does when its request
 * queue delays the health-check request past HealthCheckTimeoutSeconds. The
 * residual of the requests in service is ignored (at most one service time).
 *
 * Workers: each vCPU is a slot holding its request and its completion event,
 * so a crash can cancel exactly the events in flight; a completion event
 * carries its request and slot (schedule_done). Free slots are a stack,
 * vcpus - busy deep: O(1) per request.
 *
 * Burstable types (t2, t3, t3a, t4g; cpu_credits.h, aws-semantics 5.6): a
 * credit bucket follows the busy vCPUs. While the instance bursts every busy
 * vCPU runs at the type's speed; throttled (standard mode, balance 0) each
 * runs at the fraction cc_speed gives. Their requests then keep their exact
 * remaining work in integer units (full-speed ns x 60 x lcm(1..vcpus), so
 * every throttled rate is a whole number of units per ns) and each change of
 * rate (throttling starts or ends, busy vCPUs change while throttled)
 * reschedules the completions of the requests in service: work is conserved.
 * The balance reaching 0 is an event, predicted exactly. CPU time
 * (ec2_busy_ns) is then the CPU the instance used (credits spent), not the
 * time its vCPUs held a request: CloudWatch shows a throttled t2.micro at its
 * 10 % baseline, however long its queue.
 *
 * Accept backlog (issue 9, helper REP's block): at most `backlog` requests wait
 * in the queue (default EC2_ACCEPT_BACKLOG, nginx's listen backlog: "backlog=511"
 * by default on Linux, https://nginx.org/en/docs/http/ngx_http_core_module.html#listen);
 * one more is refused like a connection to a full listen queue: handed back at
 * once with REQ_TARGET_RESET, so the ALB answers 502 (aws-semantics 4.4).
 * This bounds an overloaded instance's memory: a request whose client gave up
 * costs memory only while it really waits in the queue.
 *
 * Leaves out: hyper-threading effects,
 * memory/network limits, processor sharing within a request, connection
 * limits, stop/start and hibernation.
 *
 * Units: time in ns (sim_time_t); busy time as an exact integer integral of
 * busy workers x ns; demand in seconds (double) converted once per request
 * with sim_from_sec.
 *
 * Source: ../shared/reference/aws-semantics.md 5.1 (an instance bills from the
 * moment it is running: the launched/terminated times kept here feed cost.c),
 * 4.2 (health checks), 4.4 (502), 4.5 (target 5XX).
 */
#include "models/ec2/instance.h"
#include "stats/cost.h"

#include <stddef.h>
#include <stdio.h>

#include "models/ec2/cpu_credits.h"
#include "models/ec2/instance_type.h"
#include "stats/events.h"
#include <stdlib.h>
#include <string.h>

/* A vCPU slot: its request in service and that request's completion event (the request path touches it). */
typedef struct ec2_slot {
    req *r;                 /* in service on this vCPU, NULL when idle */
    sim_evid ev;            /* its completion event */
} ec2_slot;

/* Burstable types only: a busy slot's exact remaining work. */
typedef struct ec2_bslot {
    int64_t left;           /* work units left at `since` */
    sim_time_t since;
} ec2_bslot;

enum { EC2_RUNNING, EC2_TERMINATED, EC2_CRASHED, EC2_STOPPED, EC2_REBOOTING };

/* flags: what the completion path must know, kept in the hot line */
enum { F_SICK = 1u << 0, F_ERRORS = 1u << 1, F_BURST = 1u << 2, F_DELAY = 1u << 3 };

/* What the request path does not touch: identity, billing, tags, credits, FIS settings. */
typedef struct ec2_cold {
    sim_time_t launched, terminated;
    sim_time_t requested;   /* the launch request (RunInstances): <= launched, the entry into running */
    const scn_itype *type;
    char id[40];
    char az[32];
    struct { char *key, *value; } *tags;   /* CreateTags, in the order first set */
    size_t n_tags;
    int n_snapshots;        /* CreateSnapshot: count and GB */
    double snap_gb;
    void (*term_fn)(void *ctx, ec2_instance *i, bool decrement);
    void *term_ctx;
    /* burstable types only (F_BURST) */
    ec2_bslot *bw;          /* vcpus slots' remaining work; freed when the instance ends for good */
    cc_bucket cc;
    const itype_burst *bt;
    int64_t unit;           /* work units per full-speed ns: 60 x lcm(1..vcpus) */
    int64_t rate;           /* work units per ns of each busy vCPU now */
    sim_evid zero_ev;       /* the balance reaches 0 */
    events_log *ev;         /* throttling starts / ends */
    sim_time_t snap_t[2];   /* last metric sample (CPUCreditUsage, CPUSurplusCreditsCharged) */
    int64_t snap_v[2];
    /* who bills it (ec2_set_billing; SPOT): NULL = the type's On-Demand price, line "on_demand" */
    double (*bill_fn)(const void *ctx, sim_time_t from, sim_time_t to);
    const void *bill_ctx;
    const char *bill_item;
    int root_gib, root_gp2;  /* the root EBS volume (ec2_set_root_volume); 0 GiB: 8 GiB gp3 */
    sim_time_t net_delay;   /* FIS Network-Latency: added to every response (F_DELAY) */
} ec2_cold;

/*
 * Laid out for the request path (issue 10 point 3): at 10,000 instances an
 * instance is out of cache whenever a request reaches it, so ec2_submit and
 * on_done touch only the first 64-byte line (everything they read or write
 * but the slot) and the line of the slot, which for up to 2 vCPUs is the
 * second line. Everything else is behind c.
 */
struct ec2_instance {
    _Alignas(64) req *q_head;
    req *q_tail;            /* waiting for a worker */
    sim *s;
    double inv_speed;
    double queued_demand;   /* sum of the queued requests' demand, s (the probe's wait estimate); exactly 0 when the queue is empty */
    int64_t busy_base;      /* integral of busy over [launched, now] = busy_base + busy x now (exact integers) */
    uint32_t queued;
    uint32_t backlog;       /* most requests that may wait (ec2_set_accept_backlog); 0 = no limit */
    uint16_t busy;          /* workers in service, 0..vcpus; vcpus - busy slots are free */
    uint16_t vcpus;
    uint8_t state;          /* EC2_RUNNING, ... */
    uint8_t flags;          /* F_* */
    /* second line */
    ec2_cold *c;
    uint64_t served;
    ec2_slot w[];           /* vcpus slots, then the stack of idle slot indices (uint16_t[vcpus]) */
};

_Static_assert(offsetof(ec2_instance, c) == 64, "the request path's fields fill exactly the first line");

static inline bool bursty(const ec2_instance *i) { return i->flags & F_BURST; }

/* The stack of idle slot indices, vcpus - busy deep, after the slots. */
static inline uint16_t *free_w(ec2_instance *i) { return (uint16_t *)(i->w + i->vcpus); }

/* busy changes by +1 / -1 at now: keeps busy_base + busy x now the exact integral (one add, no read of the last time). */
static inline void busy_inc(ec2_instance *i, sim_time_t now)
{
    i->busy++;
    i->busy_base -= now;
}

static inline void busy_dec(ec2_instance *i, sim_time_t now)
{
    i->busy--;
    i->busy_base += now;
}

static void on_done(sim *s, void *obj, uint64_t arg);
static void on_done_wide(sim *s, void *obj, uint64_t arg);
static void on_delayed(sim *s, void *obj, uint64_t arg);

/*
 * Schedules the completion of slot's request dt from now. The event carries
 * the request as its object and the instance's address with the slot in its
 * 6 low bits (the instance is 64-byte aligned), so on_done's two cache misses
 * (the instance, the request) start together instead of one after the other
 * through w[slot].r. Instances of more than 64 vCPUs carry the slot alone.
 */
static inline sim_evid schedule_done(ec2_instance *i, int slot, sim_time_t dt)
{
    if (i->vcpus <= 64)
        return sim_after(i->s, dt, on_done, i->w[slot].r, (uint64_t)(uintptr_t)i | (uint64_t)slot);
    return sim_after(i->s, dt, on_done_wide, i, (uint64_t)slot);
}

static inline sim_time_t work_ns(const ec2_instance *i, const req *r)
{
    return sim_from_sec(r->demand * i->inv_speed);
}

/* ceil(left / rate), at least 0. */
static inline sim_time_t units_ns(int64_t left, int64_t rate)
{
    return left <= 0 ? 0 : (left + rate - 1) / rate;
}

static inline void start(ec2_instance *i, int slot, req *r)
{
    i->w[slot].r = r;
    if (!bursty(i)) {
        i->w[slot].ev = schedule_done(i, slot, work_ns(i, r));
        return;
    }
    int64_t ns = work_ns(i, r), left;
    if (__builtin_mul_overflow(ns, i->c->unit, &left))
        left = INT64_MAX;   /* a request of centuries: it never ends within a run */
    i->c->bw[slot].left = left;
    i->c->bw[slot].since = sim_now(i->s);
    i->w[slot].ev = schedule_done(i, slot, units_ns(left, i->c->rate));
}

/* ---------------------------------------------------------------- CPU credits */

static void on_zero(sim *s, void *obj, uint64_t arg);

static int64_t burst_rate(const ec2_instance *i)
{
    int64_t num, den;
    cc_speed(&i->c->cc, &num, &den);
    /* den = 60 x busy divides unit = 60 x lcm(1..vcpus) */
    return num == den ? i->c->unit : i->c->unit / den * num;
}

static void log_throttle(ec2_instance *i, sim_time_t now)
{
    if (!i->c->ev)
        return;
    if (i->c->cc.throttled)
        events_add(i->c->ev, now, "credits", i->c->id, "bursting", "throttled",
                   "%s: CPU credit balance 0 (standard mode): each vCPU throttled to its %d%% baseline",
                   i->c->type->name, i->c->bt->baseline_pct);
    else
        events_add(i->c->ev, now, "credits", i->c->id, "throttled", "bursting",
                   "%s: no vCPU busy: credits accrue again (%.3f credits)", i->c->type->name,
                   cc_balance_at(&i->c->cc, now));
}

/* The rate of every busy vCPU becomes the bucket's: the work done so far at the old rate is kept, the completions move. */
static void burst_rescale(ec2_instance *i, sim_time_t now)
{
    int64_t nr = burst_rate(i);
    if (nr == i->c->rate)
        return;
    for (int k = 0; k < i->vcpus; k++) {
        ec2_slot *w = &i->w[k];
        ec2_bslot *b = &i->c->bw[k];
        if (!w->r)
            continue;
        int64_t done;
        if (__builtin_mul_overflow(now - b->since, i->c->rate, &done) || done > b->left)
            done = b->left;
        b->left -= done;
        b->since = now;
        sim_cancel(i->s, w->ev);
        w->ev = schedule_done(i, k, units_ns(b->left, nr));
    }
    i->c->rate = nr;
}

static void burst_schedule_zero(ec2_instance *i)
{
    sim_cancel(i->s, i->c->zero_ev);
    i->c->zero_ev = SIM_EVID_NONE;
    sim_time_t z = cc_zero_at(&i->c->cc);
    if (z >= 0)
        i->c->zero_ev = sim_at(i->s, z, on_zero, i, 0);
}

/* busy changed at now. */
static void burst_busy(ec2_instance *i, sim_time_t now)
{
    if (cc_set_busy(&i->c->cc, now, i->busy))
        log_throttle(i, now);
    burst_rescale(i, now);
    burst_schedule_zero(i);
}

static void on_zero(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    ec2_instance *i = obj;
    sim_time_t now = sim_now(s);
    i->c->zero_ev = SIM_EVID_NONE;
    if (cc_on_zero(&i->c->cc, now))
        log_throttle(i, now);
    burst_rescale(i, now);
    burst_schedule_zero(i);
}

static int64_t lcm_upto(int n)
{
    int64_t l = 1;
    for (int64_t k = 2; k <= n; k++) {
        int64_t a = l, b = k;
        while (b) {
            int64_t t = a % b;
            a = b;
            b = t;
        }
        l = l / a * k;
    }
    return l;
}

/* Hands r back to its dispatcher and lets go of it. */
static inline void hand_back(req *r)
{
    r->sink->done(r->sink, r);
    req_release(r, REQ_SERVER_DONE);
}

/* r finished in slot. */
static inline void done(sim *s, ec2_instance *i, int slot, req *r)
{
    i->served++;
    if (i->q_head) {
        /* The worker goes straight to the next request: busy is unchanged. */
        req *n = i->q_head;
        i->q_head = n->q_next;
        if (!i->q_head)
            i->q_tail = NULL;
        /* Zeroed, not subtracted, on the last one: no rounding residue survives an empty queue. */
        i->queued_demand = --i->queued ? i->queued_demand - n->demand : 0;
        start(i, slot, n);
    } else {
        busy_dec(i, sim_now(s));
        i->w[slot].r = NULL;
        free_w(i)[i->vcpus - i->busy - 1] = (uint16_t)slot;
        if (bursty(i))
            burst_busy(i, sim_now(s));
    }
    if (__builtin_expect(i->flags & (F_SICK | F_ERRORS | F_DELAY), 0)) {
        if (i->flags & (F_SICK | F_ERRORS))
            r->flags |= REQ_TARGET_500;
        if (i->flags & F_DELAY) {
            sim_after(s, i->c->net_delay, on_delayed, r, 0);
            return;
        }
    }
    hand_back(r);
}

static void on_done(sim *s, void *obj, uint64_t arg)
{
    done(s, (ec2_instance *)(uintptr_t)(arg & ~(uint64_t)63), (int)(arg & 63), obj);
}

static void on_done_wide(sim *s, void *obj, uint64_t arg)
{
    ec2_instance *i = obj;
    done(s, i, (int)arg, i->w[arg].r);
}

ec2_instance *ec2_new(sim *s, const char *id, const scn_itype *type, const char *az)
{
    if (!type || type->vcpus < 1 || type->vcpus > UINT16_MAX || !(type->speed > 0))
        return NULL;
    /* One block of whole 128-byte pairs of lines: the hot line and the next (served, the first
     * slots) form an aligned pair, which the L2's adjacent-line prefetcher fetches together, so
     * on_done's miss on an instance idle for ~100 ms is one miss, not two (fleet-2000 at 20,000
     * instances: 0.90x the time, farm-bench pairs). aligned_alloc wants a multiple of the alignment. */
    size_t n = (size_t)type->vcpus;
    size_t size = (offsetof(ec2_instance, w) + n * sizeof(ec2_slot) + n * sizeof(uint16_t) + 127) / 128 * 128;
    ec2_instance *i = aligned_alloc(128, size);
    if (!i)
        return NULL;
    memset(i, 0, size);
    i->vcpus = (uint16_t)type->vcpus;
    i->c = calloc(1, sizeof *i->c);
    if (!i->c) {
        ec2_free(i);
        return NULL;
    }
    /* Pop order 0, 1, 2, ...: slot k serves the k-th concurrent request. */
    for (int k = 0; k < type->vcpus; k++)
        free_w(i)[k] = (uint16_t)(type->vcpus - 1 - k);
    i->s = s;
    i->state = EC2_RUNNING;
    i->inv_speed = 1.0 / type->speed;
    i->c->type = type;
    i->c->requested = i->c->launched = sim_now(s);
    i->c->terminated = -1;
    const itype_burst *bt = itype_burst_find(type->name);
    if (bt && type->vcpus <= 8) {
        bool unlimited = type->cpu_credits == SCN_CREDITS_DEFAULT ? bt->default_unlimited != 0
                                                                  : type->cpu_credits == SCN_CREDITS_UNLIMITED;
        cc_params p = {.vcpus = type->vcpus, .earn = bt->credits_per_hour,
                       .max = (int64_t)bt->max_credits * CC_TICKS_PER_CREDIT,
                       /* T2 standard only; T2 unlimited, T3, T3a and T4g get none (5.6) */
                       .launch = unlimited ? 0 : (int64_t)bt->launch_credits * CC_TICKS_PER_CREDIT,
                       .mode = unlimited ? CC_UNLIMITED : CC_STANDARD};
        i->c->bw = calloc(n, sizeof *i->c->bw);
        if (!i->c->bw) {
            ec2_free(i);
            return NULL;
        }
        i->flags |= F_BURST;
        i->c->bt = bt;
        cc_init(&i->c->cc, &p, i->c->launched);
        i->c->unit = CC_TICKS_PER_VCPU_NS * lcm_upto(type->vcpus);
        i->c->rate = i->c->unit;
        i->c->snap_t[0] = i->c->snap_t[1] = -1;
    }
    i->backlog = EC2_ACCEPT_BACKLOG;
    snprintf(i->c->id, sizeof i->c->id, "%s", id ? id : "");
    snprintf(i->c->az, sizeof i->c->az, "%s", az ? az : "");
    return i;
}

void ec2_set_accept_backlog(ec2_instance *i, uint32_t backlog) { i->backlog = backlog; }

void ec2_free(ec2_instance *i)
{
    if (!i)
        return;
    if (i->c) {
        for (size_t k = 0; k < i->c->n_tags; k++) {
            free(i->c->tags[k].key);
            free(i->c->tags[k].value);
        }
        free(i->c->tags);
        free(i->c->bw);
        free(i->c);
    }
    free(i);
}

void ec2_submit(ec2_instance *i, req *r)
{
    r->q_next = NULL;
    if (__builtin_expect(i->state != EC2_RUNNING, 0)) {
        r->flags |= REQ_TARGET_RESET;  /* nothing listens any more: 502 at once */
        hand_back(r);
        return;
    }
    if (i->busy < i->vcpus) {
        busy_inc(i, sim_now(i->s));
        if (bursty(i))
            burst_busy(i, sim_now(i->s));
        start(i, free_w(i)[i->vcpus - i->busy], r);
        return;
    }
    if (i->backlog && i->queued >= i->backlog) {
        r->flags |= REQ_TARGET_RESET; /* the listen queue is full: refused, 502 at once */
        hand_back(r);
        return;
    }
    if (i->q_tail)
        i->q_tail->q_next = r;
    else
        i->q_head = r;
    i->q_tail = r;
    i->queued++;
    i->queued_demand += r->demand;
}

/* Leaves running at now: billing ends, every held request goes back with REQ_TARGET_RESET (in service first, in slot order, then the queue in FIFO order: deterministic). */
static void leave(ec2_instance *i, int state)
{
    if (i->state != EC2_RUNNING && i->state != EC2_REBOOTING)
        return;
    sim_time_t now = sim_now(i->s);
    i->busy_base += (int64_t)i->busy * now;   /* busy drops to 0 below: the integral stops growing */
    i->state = (uint8_t)state;
    i->c->terminated = now;
    if (bursty(i)) {
        cc_end(&i->c->cc, now);   /* outstanding surplus credits are charged now (5.6) */
        sim_cancel(i->s, i->c->zero_ev);
        i->c->zero_ev = SIM_EVID_NONE;
    }
    /* Detach everything first, so the ALB (and whatever it calls) sees an
     * instance that holds nothing while the 502s go out. */
    req *held_q = i->q_head;
    i->q_head = i->q_tail = NULL;
    i->queued = 0;
    i->queued_demand = 0;
    i->busy = 0;
    for (int k = 0; k < i->vcpus; k++) {
        free_w(i)[k] = (uint16_t)(i->vcpus - 1 - k);
        if (i->w[k].r)
            sim_cancel(i->s, i->w[k].ev);
    }
    for (int k = 0; k < i->vcpus; k++) {
        req *r = i->w[k].r;
        i->w[k].r = NULL;
        if (r) {
            r->flags |= REQ_TARGET_RESET;
            hand_back(r);
        }
    }
    while (held_q) {
        req *r = held_q;
        held_q = r->q_next;
        r->flags |= REQ_TARGET_RESET;
        hand_back(r);
    }
    if (state == EC2_TERMINATED || state == EC2_CRASHED) {
        free(i->c->bw);   /* never runs again: only what the reports read stays */
        i->c->bw = NULL;
    }
}

void ec2_crash(ec2_instance *i) { leave(i, EC2_CRASHED); }
void ec2_terminate(ec2_instance *i) { leave(i, EC2_TERMINATED); }
static void set_flag(ec2_instance *i, unsigned f, bool on)
{
    i->flags = (uint8_t)(on ? i->flags | f : i->flags & ~f);
}

void ec2_set_app_healthy(ec2_instance *i, bool healthy) { set_flag(i, F_SICK, !healthy); }
void ec2_set_serve_errors(ec2_instance *i, bool on) { set_flag(i, F_ERRORS, on); }
bool ec2_serve_errors(const ec2_instance *i) { return i->flags & F_ERRORS; }
sim *ec2_sim(const ec2_instance *i) { return i->s; }

int ec2_set_tag(ec2_instance *i, const char *key, const char *value)
{
    for (size_t k = 0; k < i->c->n_tags; k++)
        if (strcmp(i->c->tags[k].key, key) == 0) {
            char *v = strdup(value);
            if (!v)
                return -1;
            free(i->c->tags[k].value);
            i->c->tags[k].value = v;
            return 0;
        }
    void *nt = realloc(i->c->tags, (i->c->n_tags + 1) * sizeof *i->c->tags);
    if (!nt)
        return -1;
    i->c->tags = nt;
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    i->c->tags[i->c->n_tags].key = k;
    i->c->tags[i->c->n_tags].value = v;
    i->c->n_tags++;
    return 0;
}

const char *ec2_tag(const ec2_instance *i, const char *key)
{
    for (size_t k = 0; k < i->c->n_tags; k++)
        if (strcmp(i->c->tags[k].key, key) == 0)
            return i->c->tags[k].value;
    return NULL;
}

size_t ec2_n_tags(const ec2_instance *i) { return i->c->n_tags; }
const char *ec2_tag_key(const ec2_instance *i, size_t k) { return k < i->c->n_tags ? i->c->tags[k].key : NULL; }
const char *ec2_tag_value(const ec2_instance *i, size_t k) { return k < i->c->n_tags ? i->c->tags[k].value : NULL; }

void ec2_add_snapshot(ec2_instance *i, double gb)
{
    i->c->n_snapshots++;
    i->c->snap_gb += gb;
}

int ec2_n_snapshots(const ec2_instance *i) { return i->c->n_snapshots; }
double ec2_snapshot_gb(const ec2_instance *i) { return i->c->snap_gb; }

void ec2_set_terminator(ec2_instance *i, void (*fn)(void *ctx, ec2_instance *i, bool decrement), void *ctx)
{
    i->c->term_fn = fn;
    i->c->term_ctx = ctx;
}

void ec2_api_terminate(ec2_instance *i, bool decrement)
{
    if (i->c->term_fn)
        i->c->term_fn(i->c->term_ctx, i, decrement);
    else
        ec2_terminate(i);
}

bool ec2_running(const ec2_instance *i) { return i->state == EC2_RUNNING || i->state == EC2_REBOOTING; }
bool ec2_app_healthy(const ec2_instance *i) { return !(i->flags & F_SICK); }
bool ec2_crashed(const ec2_instance *i) { return i->state == EC2_CRASHED; }

sim_time_t ec2_queued_wait(const ec2_instance *i)
{
    double slow = bursty(i) ? (double)i->c->unit / (double)i->c->rate : 1.0;   /* throttled: the queue drains slower */
    return sim_from_sec(i->queued_demand * i->inv_speed * slow / i->vcpus);
}

bool ec2_probe(const ec2_instance *i, sim_time_t timeout)
{
    return i->state == EC2_RUNNING && ec2_app_healthy(i) && ec2_queued_wait(i) < timeout;
}

int64_t ec2_busy_ns(const ec2_instance *i, sim_time_t now)
{
    if (bursty(i))   /* the CPU used: credits spent, 60 ticks per vCPU-ns */
        return cc_used_ticks_at(&i->c->cc, i->state == EC2_RUNNING ? now : i->c->terminated) / CC_TICKS_PER_VCPU_NS;
    return i->busy_base + (int64_t)i->busy * now;
}

/* ---------------------------------------------------------------- CPU credits: reading */

bool ec2_burstable(const ec2_instance *i) { return bursty(i); }
bool ec2_credits_unlimited(const ec2_instance *i) { return bursty(i) && i->c->cc.p.mode == CC_UNLIMITED; }
void ec2_set_events(ec2_instance *i, events_log *ev) { i->c->ev = ev; }

/* The bucket's state at now, or at termination for an instance no longer running. */
static sim_time_t credit_time(const ec2_instance *i, sim_time_t now)
{
    return i->state == EC2_RUNNING ? now : i->c->terminated;
}

double ec2_credit_balance(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? cc_balance_at(&i->c->cc, credit_time(i, now)) : 0;
}

double ec2_credit_surplus(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? cc_surplus_at(&i->c->cc, credit_time(i, now)) : 0;
}

double ec2_credit_min_balance(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? cc_min_balance_at(&i->c->cc, credit_time(i, now)) : 0;
}

sim_time_t ec2_credit_throttled_ns(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? cc_throttled_at(&i->c->cc, credit_time(i, now)) : 0;
}

bool ec2_credit_throttled(const ec2_instance *i) { return bursty(i) && i->c->cc.throttled; }

double ec2_credit_used(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? cc_used_at(&i->c->cc, credit_time(i, now)) : 0;
}

double ec2_credit_charged(const ec2_instance *i, sim_time_t now)
{
    if (!bursty(i))
        return 0;
    /* a running instance's outstanding surplus is billed as if it stopped at now (5.6) */
    return cc_charged_at(&i->c->cc, credit_time(i, now)) + cc_surplus_at(&i->c->cc, credit_time(i, now));
}

double ec2_credit_surplus_usd(const ec2_instance *i, sim_time_t now)
{
    return bursty(i) ? ec2_credit_charged(i, now) / 60.0 * i->c->bt->surplus_vcpu_hour_usd : 0;
}

int ec2_credit_sample(ec2_instance *i, scn_metric_id id, sim_time_t t0, sim_time_t t1, double *out)
{
    if (!bursty(i))
        return -1;
    sim_time_t at = credit_time(i, t1);
    switch (id) {
    case SCN_M_EC2_CPU_CREDIT_BALANCE:
        *out = cc_balance_at(&i->c->cc, at);
        return 0;
    case SCN_M_EC2_CPU_SURPLUS_BALANCE:
        *out = cc_surplus_at(&i->c->cc, at);
        return 0;
    case SCN_M_EC2_CPU_CREDIT_USAGE:
    case SCN_M_EC2_CPU_SURPLUS_CHARGED: {
        int k = id == SCN_M_EC2_CPU_CREDIT_USAGE ? 0 : 1;
        cc_bucket c = i->c->cc;
        cc_advance(&c, at);
        int64_t v = k == 0 ? c.used : c.charged;
        /* since the previous sample if it ended at t0, else since launch */
        int64_t v0 = i->c->snap_t[k] == t0 ? i->c->snap_v[k] : 0;
        i->c->snap_t[k] = t1;
        i->c->snap_v[k] = v;
        *out = (double)(v - v0) / (double)CC_TICKS_PER_CREDIT;
        return 0;
    }
    default:
        return -1;
    }
}

uint64_t ec2_served(const ec2_instance *i) { return i->served; }
uint32_t ec2_in_system(const ec2_instance *i) { return i->queued + (uint32_t)i->busy; }
int ec2_vcpus(const ec2_instance *i) { return i->vcpus; }
const char *ec2_id(const ec2_instance *i) { return i->c->id; }
const char *ec2_az(const ec2_instance *i) { return i->c->az; }
const scn_itype *ec2_type(const ec2_instance *i) { return i->c->type; }
sim_time_t ec2_launched(const ec2_instance *i) { return i->c->launched; }
sim_time_t ec2_requested(const ec2_instance *i) { return i->c->requested; }
void ec2_set_requested(ec2_instance *i, sim_time_t t) { i->c->requested = t; }
sim_time_t ec2_terminated(const ec2_instance *i) { return i->c->terminated; }

/* ---------------------------------------------------------------- billing by pool (SPOT, aws-semantics 5.2) */

void ec2_set_billing(ec2_instance *i, double (*fn)(const void *ctx, sim_time_t from, sim_time_t to),
                     const void *ctx, const char *item)
{
    i->c->bill_fn = fn;
    i->c->bill_ctx = ctx;
    i->c->bill_item = item;
}

double ec2_cost_usd(const ec2_instance *i, sim_time_t end)
{
    sim_time_t to = i->c->terminated < 0 ? end : i->c->terminated;
    return i->c->bill_fn ? i->c->bill_fn(i->c->bill_ctx, i->c->launched, to) : cost_ec2_usd(i->c->type->hourly_usd, i->c->launched, to);
}

void ec2_set_root_volume(ec2_instance *i, int gib, int gp2)
{
    i->c->root_gib = gib;
    i->c->root_gp2 = gp2;
}

int ec2_root_volume(const ec2_instance *i, int *gib)
{
    *gib = i->c->root_gib > 0 ? i->c->root_gib : 8;
    return i->c->root_gp2;
}

const char *ec2_cost_item(const ec2_instance *i) { return i->c->bill_item ? i->c->bill_item : "on_demand"; }

/* ---------------------------------------------------------------- FIS actions (models/faults/fis.c)
 * Stop keeps the instance (EC2_STOPPED) so that start can bring it back; a
 * reboot keeps the EC2 state `running` (the group's EC2 check sees nothing)
 * while the instance answers nothing: held requests get 502 at once, new ones
 * too, probes fail. Billing of a stopped period is not modelled: the
 * launched/terminated pair keeps one interval, which start reopens. A
 * burstable instance's surplus credits are charged when it leaves running
 * (leave), reboot included; its bucket resumes at start. */

static void on_delayed(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    hand_back(obj);
}

static void on_rebooted(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    ec2_instance *i = obj;
    if (i->state != EC2_REBOOTING)
        return;
    i->state = EC2_RUNNING;
    if (bursty(i))
        burst_busy(i, sim_now(i->s));  /* leave() ended the bucket's busy count: the rate follows it again */
}

void ec2_stop(ec2_instance *i) { leave(i, EC2_STOPPED); }

bool ec2_start(ec2_instance *i)
{
    if (i->state != EC2_STOPPED)
        return false;
    i->state = EC2_RUNNING;
    i->c->terminated = -1;
    if (bursty(i))
        burst_busy(i, sim_now(i->s));
    return true;
}

bool ec2_stopped(const ec2_instance *i) { return i->state == EC2_STOPPED; }

void ec2_reboot(ec2_instance *i, sim_time_t down)
{
    if (i->state != EC2_RUNNING)
        return;
    leave(i, EC2_REBOOTING);
    i->c->terminated = -1;  /* still running for EC2 and for billing */
    sim_after(i->s, down, on_rebooted, i, 0);
}

void ec2_set_slowdown(ec2_instance *i, double factor)
{
    i->inv_speed = (factor >= 1 ? factor : 1.0) / i->c->type->speed;
}

void ec2_set_net_delay(ec2_instance *i, sim_time_t delay)
{
    i->c->net_delay = delay > 0 ? delay : 0;
    set_flag(i, F_DELAY, delay > 0);
}
