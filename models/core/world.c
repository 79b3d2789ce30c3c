/*
 * world.c - builds a scenario's models onto one kernel and runs them.
 *
 * Approximates: aws_instance resources (count copies) are running from t = 0
 * and registered in their target groups (a fixed fleet, never replaced).
 * aws_autoscaling_group resources are asg.c models: desired_capacity
 * instances InService at t = 0, then launches, terminations, health
 * replacement (aws-semantics 1); faults and operations act on them from
 * faults.c, handed each group as it is built. Target groups are
 * the AWS model (tg_new_cfg: health checks, draining, slow start, 4.2-4.3).
 * The control plane (CloudWatch, alarms, policies, schedules, SNS) is built
 * last, on the groups and load balancers (control.h). The world owns the
 * events log every model writes its activity history to.
 *
 * Instances that come and go: each EC2 instance the groups create is added to
 * the world's list when it enters running (asg.c's on_ec2 hook), so windows,
 * utilisation and the per-instance rows (launched / terminated / cost) cover
 * them; the groups own those instances, the world the fixed fleets'.
 *
 * Leaves out: az_outage on aws_instance fleets (only groups' instances crash).
 *
 * Units: ns; money USD. Billing: aws-semantics.md 5.1 and 4.7 (cost.c).
 *
 * A failed world_new may leave events pending in the kernel that point at
 * freed models: the caller frees the kernel too (as every caller does).
 *
 * Reports: a periodic kernel event closes each report window (one pending at
 * a time), computing the fleet's CPU utilisation over the window from the
 * instances' exact busy integrals; a one-off event at report.warmup takes the
 * busy snapshot the whole-run utilisation starts from.
 */
#include "models/core/world.h"
#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/ec2/instance_type.h"

#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "models/elb/alb.h"
#include "models/autoscaling/asg.h"
#include "models/core/control.h"
#include "models/core/inst_index.h"
#include "models/ec2/instance.h"
#include "models/ec2/credit_report.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"
#include "models/faults/faults.h"
#include "models/workload/workload.h"

struct wb {
    world *w;
};

/* A service created on first use (build.h). */
typedef struct svc_slot {
    const wb_service *svc;
    void *obj;
} svc_slot;

/* One built resource, in build order (freed in reverse). */
typedef struct built {
    const res_type *t;
    void *model;
    const void *cfg;
} built;

struct world {
    sim *s;
    const scenario *sc;
    sim_pool *pool;
    stats *st;
    wl **wls;
    ec2_instance **insts;     /* every EC2 instance, in the order it entered running */
    size_t n_wls, n_insts, cap_insts;
    size_t n_fixed;           /* insts[0 .. n_fixed) are aws_instance fleets, owned by the world */
    inst_index ids;           /* insts by id (wb_instance) */
    size_t n_types;           /* entries of ld_types */
    void ***models;           /* models[type][idx], by ld_types index and resource index */
    built *order;             /* every model built, in build order */
    size_t n_order;
    svc_slot *svcs;           /* services, in creation order */
    size_t n_svcs;
    events_log *ev;
    int64_t *busy_prev;       /* each instance's busy integral at the last window boundary */
    double busy_warm;         /* fleet busy integral at report.warmup, vCPU-ns */
    sim_time_t win_start;
    world_instance_info *infos;
    cost_ledger ledger;
    cost_ledger skel;         /* the services in their fixed order, no lines: each accrual starts from it */
    cost_ledger prev;         /* the accrual at the last window boundary */
    double *win_cost;         /* n_cost_rows x COST_MAX_ITEMS: USD each service accrued within each window */
    size_t n_cost_rows, cap_cost_rows; /* grown by doubling: a year of 1-minute windows is 525,600 rows */
    rows *rows;               /* per-resource report rows, after the run */
    char series_names[WB_MAX_SERIES][WB_SERIES_NAME]; /* the resources' per-window figures (wb_gauge_put) */
    size_t n_series, n_rows, rows_cap;
    double *series_vals;      /* n_rows x n_series, NaN where a window lacked one */
    aev_sink_fn bus;          /* the default event bus, if the scenario has one */
    void *bus_ctx;
    struct wb b;
    int ran;
    sim_time_t end;           /* the time the run reached: sc->duration unless stopped early */
    void (*progress)(void *ctx); /* world_set_progress */
    void *progress_ctx;
    sim_time_t progress_every;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* vCPU-ns an instance could have worked within [a, b). */
static int64_t available_ns(const ec2_instance *i, sim_time_t a, sim_time_t b)
{
    sim_time_t lo = ec2_launched(i), hi = ec2_terminated(i);
    if (lo < a)
        lo = a;
    if (hi < 0 || hi > b)
        hi = b;
    return hi > lo ? (int64_t)ec2_vcpus(i) * (hi - lo) : 0;
}

void wb_gauge_put(wb_gauges *g, const char *resource, const char *figure, double v)
{
    if (g->n_series >= WB_MAX_SERIES)
        return;
    snprintf(g->series[g->n_series].name, sizeof g->series[0].name, "%s.%s", resource, figure);
    g->series[g->n_series++].value = v;
}

/* The gauges now: fixed-fleet instances still running plus what every built resource counts (its gauge op; aws-semantics 1.2). */
static void gauges_now(const world *w, wb_gauges *g)
{
    memset(g, 0, sizeof *g);
    for (size_t k = 0; k < w->n_fixed; k++)
        g->in_service += ec2_running(w->insts[k]);
    g->desired = g->in_service;
    /* burstable instances' credits first: the resources' own columns stay last */
    ec2_credit_gauges(w->insts, w->n_insts, sim_now(w->s), g);
    for (size_t k = 0; k < w->n_order; k++)
        if (w->order[k].t->gauge && w->order[k].model)
            w->order[k].t->gauge(w->order[k].model, g);
}

/* Keeps the window's resource series; the first window fixes the columns (a type reports the same figures every window). */
static int keep_series(world *w, const wb_gauges *g)
{
    if (w->n_rows == 0) {
        w->n_series = g->n_series;
        for (size_t i = 0; i < g->n_series; i++)
            snprintf(w->series_names[i], sizeof w->series_names[i], "%s", g->series[i].name);
    }
    if (!w->n_series) {
        w->n_rows++; /* the rows count windows for the per-window cost too (keep_cost) */
        return 0;
    }
    if (w->n_rows == w->rows_cap) { /* doubling: a long run's windows cost amortised O(1) each, not a copy each */
        size_t cap = w->rows_cap ? 2 * w->rows_cap : 64;
        double *grown = realloc(w->series_vals, cap * w->n_series * sizeof *grown);
        if (!grown)
            return -1;
        w->series_vals = grown;
        w->rows_cap = cap;
    }
    double *row = w->series_vals + w->n_rows * w->n_series;
    for (size_t i = 0; i < w->n_series; i++) {
        row[i] = NAN;
        for (size_t j = 0; j < g->n_series; j++)
            if (strcmp(g->series[j].name, w->series_names[i]) == 0)
                row[i] = g->series[j].value;
    }
    w->n_rows++;
    return 0;
}

/* Closes the report window ending at now. */
/*
 * Every cost accrued over [0, end) into l, services in the skeleton's order. The types' and services'
 * cost ops bill up to the kernel's now, which is `end` wherever this is called (a window boundary, the
 * end of the run). Each instance's running stretch bills up to end (60 s minimum on entering running,
 * aws-semantics 5.1; a Spot instance at its pool's price of each moment, 5.2).
 */
static void accrue(world *w, sim_time_t end, cost_ledger *l)
{
    const itype_services *p = itype_services_for(w->sc->region);
    double root_gib_s[2] = {0, 0}; /* gp3, gp2 */
    *l = w->skel;
    for (size_t k = 0; k < w->n_insts; k++) {
        const ec2_instance *i = w->insts[k];
        sim_time_t to = ec2_terminated(i) < 0 ? end : ec2_terminated(i);
        double hours = (double)cost_ec2_billed_seconds(ec2_launched(i), to) / 3600.0;
        const char *item = ec2_cost_item(i);
        if (strcmp(item, "on_demand") == 0)
            cost_ledger_charge(l, "ec2", item, "instance-hours", hours, ec2_type(i)->hourly_usd);
        else
            cost_ledger_charge_usd(l, "ec2", item, "instance-hours", hours, ec2_cost_usd(i, end));
        /* its root volume, from launch to termination: every stretch, stopped ones included */
        int gib;
        int gp2 = ec2_root_volume(i, &gib);
        root_gib_s[gp2] += gib * sim_to_sec(to - ec2_launched(i));
        /* Unlimited mode: surplus CPU credits, charged at termination or, still running, as if stopped at the end (aws-semantics 5.6). */
        if (ec2_credits_unlimited(i))
            cost_ledger_charge_usd(l, "ec2", "cpu_credits", "vCPU-hours", ec2_credit_charged(i, end) / 60.0,
                                   ec2_credit_surplus_usd(i, end));
    }
    /* per GB-month of 730 h, prorated per second (aws-semantics 5.3b) */
    if (w->n_insts && (root_gib_s[0] > 0 || root_gib_s[1] == 0))
        cost_ledger_charge(l, "ebs", "gp3_storage", "GB-months", root_gib_s[0] / (730.0 * 3600.0), p->ebs_gp3_gb_month);
    if (root_gib_s[1] > 0)
        cost_ledger_charge(l, "ebs", "gp2_storage", "GB-months", root_gib_s[1] / (730.0 * 3600.0), p->ebs_gp2_gb_month);
    for (size_t k = 0; k < w->n_order; k++)
        if (w->order[k].t->cost)
            w->order[k].t->cost(w->order[k].model, w->order[k].cfg, &w->b, l);
    for (size_t k = 0; k < w->n_svcs; k++)
        if (w->svcs[k].svc->cost)
            w->svcs[k].svc->cost(w->svcs[k].obj, &w->b, l);
}

/* Keeps what each service accrued since the last boundary (the difference of two accruals: the windows sum to the run's ledger). */
static int keep_cost(world *w, sim_time_t now)
{
    cost_ledger cur;
    accrue(w, now, &cur);
    if (w->n_cost_rows == w->cap_cost_rows) {
        size_t cap = w->cap_cost_rows ? 2 * w->cap_cost_rows : 64;
        double *grown = realloc(w->win_cost, cap * COST_MAX_ITEMS * sizeof *grown);
        if (!grown)
            return -1;
        w->win_cost = grown;
        w->cap_cost_rows = cap;
    }
    double *row = w->win_cost + w->n_cost_rows++ * COST_MAX_ITEMS;
    for (size_t i = 0; i < COST_MAX_ITEMS; i++)
        row[i] = 0;
    /* A service first billed now joins the skeleton, so every later accrual (the run's ledger included)
     * keeps it at this index; by name against the previous one, which may not have had it. */
    for (size_t i = 0; i < cur.n; i++) {
        cost_ledger_service(&w->skel, cur.items[i].item);
        row[i] = cur.items[i].usd - cost_ledger_get(&w->prev, cur.items[i].item);
    }
    w->prev = cur;
    return 0;
}

static void close_window(world *w, sim_time_t now)
{
    /* Fleet sums in double: one instance's integral fits int64 (checked at
     * build), thousands of them over a long run need not. */
    double busy = 0, avail = 0;
    for (size_t k = 0; k < w->n_insts; k++) {
        int64_t b = ec2_busy_ns(w->insts[k], now);
        busy += (double)(b - w->busy_prev[k]);
        w->busy_prev[k] = b;
        avail += (double)available_ns(w->insts[k], w->win_start, now);
    }
    double cpu = avail > 0 ? busy / avail : 0;
    wb_gauges g;
    gauges_now(w, &g);
    stats_fleet fleet = {.in_service = g.in_service, .pending = g.pending, .draining = g.draining, .desired = g.desired};
    if (stats_window_close(w->st, now, cpu, &fleet) != 0 || keep_cost(w, now) != 0 || keep_series(w, &g) != 0)
        sim_fail(w->s, SIM_ENOMEM);
    w->win_start = now;
}

static void on_window(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    world *w = obj;
    sim_time_t now = sim_now(s);
    close_window(w, now);
    sim_time_t width = w->sc->report.window;
    if (now < w->sc->duration - width)
        sim_at(s, now + width, on_window, w, 0);
}

static double fleet_busy(const world *w, sim_time_t now)
{
    double b = 0;
    for (size_t k = 0; k < w->n_insts; k++)
        b += (double)ec2_busy_ns(w->insts[k], now);
    return b;
}

static void on_warmup(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    world *w = obj;
    w->busy_warm = fleet_busy(w, sim_now(s));
}

void world_tune_malloc(void)
{
#ifdef __GLIBC__
    /* Every block of 64 KiB or more gets its own mapping, returned at free: the arrays that grow by
     * doubling (events, targets, the event heap) and a fault's candidate list would otherwise leave
     * holes in the heap, because glibc raises its threshold after the first such free, and peak RSS
     * would grow with run length (issue 10 point 3: +18% from 1e6 to 1e8 requests, +9% with this). */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
#endif
}

/* Room for one more instance in insts and busy_prev; 0, or -1 on OOM. */
static int grow_insts(world *w)
{
    if (w->n_insts < w->cap_insts)
        return 0;
    size_t cap = w->cap_insts ? 2 * w->cap_insts : 16;
    ec2_instance **a = realloc(w->insts, cap * sizeof *a);
    if (!a)
        return -1;
    w->insts = a;
    int64_t *b = realloc(w->busy_prev, cap * sizeof *b);
    if (!b)
        return -1;
    w->busy_prev = b;
    w->cap_insts = cap;
    return 0;
}

/* Appends i with its busy time so far, and indexes its id; 0, or -1 on OOM. */
static int append_inst(world *w, ec2_instance *i, int64_t busy)
{
    if (grow_insts(w) != 0)
        return -1;
    w->busy_prev[w->n_insts] = busy;
    w->insts[w->n_insts] = i;
    if (inst_index_add(&w->ids, w->insts, w->n_insts) != 0)
        return -1;
    w->n_insts++;
    return 0;
}

void wb_group_instance(void *ctx, ec2_instance *i)
{
    world *w = ((wb *)ctx)->w;
    if (append_inst(w, i, ec2_busy_ns(i, sim_now(w->s))) != 0) {
        sim_fail(w->s, SIM_ENOMEM);
        return;
    }
    ec2_set_events(i, w->ev);   /* burstable types log throttling */
}

int wb_add_instance(wb *b, ec2_instance *i)
{
    world *w = b->w;
    if (w->n_fixed != w->n_insts || append_inst(w, i, 0) != 0)
        return -1; /* fixed fleets are built before any group instance runs */
    w->n_fixed = w->n_insts;
    return 0;
}

ec2_instance *wb_instance(const wb *b, const char *id)
{
    return inst_index_find(&b->w->ids, b->w->insts, id);
}

void wb_put_event(wb *b, const aws_event *ev)
{
    if (b->w->bus)
        b->w->bus(b->w->bus_ctx, ev);
}

void wb_set_event_bus(wb *b, aev_sink_fn fn, void *ctx)
{
    b->w->bus = fn;
    b->w->bus_ctx = ctx;
}

/* ---------------------------------------------------------------- the builder's view (build.h) */

sim *wb_sim(const wb *b) { return b->w->s; }
const scenario *wb_scenario(const wb *b) { return b->w->sc; }
events_log *wb_events(const wb *b) { return b->w->ev; }
stats *wb_stats(const wb *b) { return b->w->st; }
sim_pool *wb_pool(const wb *b) { return b->w->pool; }

/* How many resources of type t the scenario has (0 for a type without an array of its own). */
static size_t type_count(const scenario *sc, const res_type *t)
{
    size_t n;
    ld_type_cfgs(sc, t, &n);
    return n;
}

static const void *type_cfg(const scenario *sc, const res_type *t, size_t idx)
{
    return (const char *)ld_type_cfgs(sc, t, NULL) + idx * t->cfg_size;
}

void *wb_model(const wb *b, const res_type *t, int idx)
{
    const world *w = b->w;
    size_t k = t ? ld_type_index(t) : w->n_types;
    if (k >= w->n_types || idx < 0 || (size_t)idx >= type_count(w->sc, t) || !w->models[k])
        return NULL;
    return w->models[k][idx];
}

void *wb_find(const wb *b, const char *tf_type, const char *name)
{
    const world *w = b->w;
    if (!tf_type || !name)
        return NULL;
    const res_type *t = ld_type_find(tf_type);
    if (!t)
        return NULL;
    size_t n = type_count(w->sc, t);
    for (size_t i = 0; i < n; i++) {
        const scn_res_head *h = type_cfg(w->sc, t, i);
        if (h->name && strcmp(h->name, name) == 0)
            return wb_model(b, t, (int)i);
    }
    return NULL;
}

void *wb_service_peek(const wb *b, const wb_service *svc)
{
    for (size_t k = 0; k < b->w->n_svcs; k++)
        if (b->w->svcs[k].svc == svc)
            return b->w->svcs[k].obj;
    return NULL;
}

void *wb_service_get(wb *b, const wb_service *svc, char *err, size_t errlen)
{
    void *obj = wb_service_peek(b, svc);
    if (obj)
        return obj;
    world *w = b->w;
    svc_slot *a = realloc(w->svcs, (w->n_svcs + 1) * sizeof *a);
    if (!a) {
        fail(err, errlen, "%s: out of memory", svc->name);
        return NULL;
    }
    w->svcs = a;
    if (!(obj = svc->create(b, err, errlen))) {
        if (err && errlen && !err[0])
            fail(err, errlen, "%s: out of memory", svc->name);
        return NULL;
    }
    w->svcs[w->n_svcs++] = (svc_slot){svc, obj};
    for (const char *const *it = svc->cost_items; it && *it; it++)
        cost_ledger_service(&w->skel, *it);
    return obj;
}

/* ---------------------------------------------------------------- building */

/* The scenario's sections that are not resources, built at their stage. */
static int build_faults(world *w, char *err, size_t errlen)
{
    return wb_service_get(&w->b, &faults_service, err, errlen) ? 0 : -1;
}

static int build_workloads(world *w, char *err, size_t errlen)
{
    const scenario *sc = w->sc;
    const res_type *lb_type = ld_type_find("aws_lb");
    for (; w->n_wls < sc->n_workloads; w->n_wls++) {
        const scn_workload *c = &sc->workloads[w->n_wls];
        alb *lb = wb_model(&w->b, lb_type, c->lb);
        if (!lb) {
            fail(err, errlen, "workload \"%s\": bad target index %d", c->name, c->lb);
            return -1;
        }
        if (!(w->wls[w->n_wls] = wl_new(w->s, c, lb, w->pool, w->st, sc->duration))) {
            fail(err, errlen, "workload \"%s\": bad arrivals or out of memory", c->name);
            return -1;
        }
    }
    return 0;
}

/* The control plane (CloudWatch store, SNS, the per-minute tick) exists in every account. */
static int build_control(world *w, char *err, size_t errlen)
{
    return wb_service_get(&w->b, &control_service, err, errlen) ? 0 : -1;
}

static const struct section {
    int stage;
    int (*build)(world *w, char *err, size_t errlen);
} sections[] = {
    {WB_STAGE_FAULTS, build_faults},
    {WB_STAGE_WORKLOADS, build_workloads},
    {WB_STAGE_TOPICS, build_control},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* The lowest stage above `after` that a type with a build op or a section has; INT_MAX if none. */
static int next_stage(int after)
{
    int best = INT_MAX;
    for (size_t k = 0; ld_types[k]; k++)
        if (ld_types[k]->build && ld_types[k]->stage > after && ld_types[k]->stage < best)
            best = ld_types[k]->stage;
    for (size_t k = 0; k < N_SECTIONS; k++)
        if (sections[k].stage > after && sections[k].stage < best)
            best = sections[k].stage;
    return best;
}

/* Builds every resource of every type of stage `stage`, types in registry order, resources in file order. */
static int build_stage(world *w, int stage, char *err, size_t errlen)
{
    for (size_t k = 0; k < N_SECTIONS; k++)
        if (sections[k].stage == stage && sections[k].build(w, err, errlen) != 0)
            return -1;
    for (size_t k = 0; k < w->n_types; k++) {
        const res_type *t = ld_types[k];
        if (!t->build || t->stage != stage)
            continue;
        size_t n = type_count(w->sc, t);
        for (size_t i = 0; i < n; i++) {
            void *model = NULL;
            built *o = realloc(w->order, (w->n_order + 1) * sizeof *o);
            if (!o) {
                fail(err, errlen, "out of memory");
                return -1;
            }
            w->order = o;
            if (t->build(&w->b, (int)i, type_cfg(w->sc, t, i), &model, err, errlen) != 0) {
                if (err && errlen && !err[0])
                    fail(err, errlen, "%s \"%s\": out of memory", t->tf_type,
                         ((const scn_res_head *)type_cfg(w->sc, t, i))->name);
                return -1;
            }
            w->models[k][i] = model;
            w->order[w->n_order++] = (built){t, model, type_cfg(w->sc, t, i)};
        }
    }
    return 0;
}

world *world_new(sim *s, const scenario *sc, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!s || !sc) {
        fail(err, errlen, "no kernel or no scenario");
        return NULL;
    }
    if (sc->duration <= 0 || sc->report.window <= 0 || sc->report.warmup < 0) {
        fail(err, errlen, "duration and report.window must be > 0 and report.warmup >= 0");
        return NULL;
    }
    world *w = calloc(1, sizeof *w);
    if (!w) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    w->s = s;
    w->sc = sc;
    w->b.w = w;
    /* Line items in a fixed order: EC2 (the world's instance rows), then each type that has
     * resources in registry order, then each service as it is created. */
    cost_ledger_init(&w->skel);
    cost_ledger_service(&w->skel, "ec2");
    while (ld_types[w->n_types])
        w->n_types++;
    for (size_t k = 0; k < w->n_types; k++)
        if (ld_types[k]->cost_item && type_count(sc, ld_types[k]))
            cost_ledger_service(&w->skel, ld_types[k]->cost_item);
    w->pool = sim_pool_new(s, sizeof(req));
    w->st = stats_new(sc->report.warmup, sc->duration);
    w->wls = calloc(sc->n_workloads + 1, sizeof *w->wls);
    w->models = calloc(w->n_types + 1, sizeof *w->models);
    w->ev = events_new();
    if (!w->pool || !w->st || !w->wls || !w->models || !w->ev) {
        fail(err, errlen, "out of memory");
        goto bad;
    }
    stats_set_slo_latency(w->st, sc->report.slo_p99);
    for (size_t k = 0; k < w->n_types; k++)
        if (!(w->models[k] = calloc(type_count(sc, ld_types[k]) + 1, sizeof *w->models[k]))) {
            fail(err, errlen, "out of memory");
            goto bad;
        }
    for (int st = next_stage(INT_MIN); st != INT_MAX; st = next_stage(st))
        if (build_stage(w, st, err, errlen) != 0)
            goto bad;
    for (size_t k = 0; k < w->n_svcs; k++)
        if (w->svcs[k].svc->start && w->svcs[k].svc->start(w->svcs[k].obj, &w->b, err, errlen) != 0)
            goto bad;
    if (sc->report.window < sc->duration)
        sim_at(s, sc->report.window, on_window, w, 0);
    if (sc->report.warmup > 0 && sc->report.warmup < sc->duration)
        sim_at(s, sc->report.warmup, on_warmup, w, 0);
    if (sim_error(s) != SIM_OK) {
        fail(err, errlen, "the kernel failed while building (error %d)", sim_error(s));
        goto bad;
    }
    return w;
bad:
    world_free(w);
    return NULL;
}

int world_run(world *w)
{
    if (w->ran)
        return sim_error(w->s);
    const scenario *sc = w->sc;
    int rc;
    if (w->progress) {
        /* In slices: events <= t fire in the same order either way, so the run is the same. A stop
         * (sim_watch) leaves the clock short of the slice's end, which ends the loop. */
        sim_time_t t = 0;
        do {
            t = t > sc->duration - w->progress_every ? sc->duration : t + w->progress_every;
            rc = sim_run_until(w->s, t);
            w->progress(w->progress_ctx);
        } while (rc == 0 && t < sc->duration && sim_now(w->s) == t);
    } else {
        rc = sim_run_until(w->s, sc->duration);
    }
    /* Stopped early (sim_watch, a kernel error): everything is reported up to the time reached. */
    sim_time_t end = sim_now(w->s) < sc->duration ? sim_now(w->s) : sc->duration;
    w->end = end;
    close_window(w, end);

    double avail = 0;
    sim_time_t from = sc->report.warmup < end ? sc->report.warmup : end;
    for (size_t k = 0; k < w->n_insts; k++)
        avail += (double)available_ns(w->insts[k], from, end);
    double busy = fleet_busy(w, end) - (sc->report.warmup > 0 ? w->busy_warm : 0);
    stats_finish(w->st, end, avail > 0 ? busy / avail : 0);

    w->infos = calloc(w->n_insts + 1, sizeof *w->infos);
    if (!w->infos) {
        w->ran = 1;
        return rc ? rc : SIM_ENOMEM;
    }
    for (size_t k = 0; k < w->n_insts; k++) {
        const ec2_instance *i = w->insts[k];
        world_instance_info *f = &w->infos[k];
        snprintf(f->id, sizeof f->id, "%s", ec2_id(i));
        f->itype = ec2_type(i)->name;
        f->az = ec2_az(i);
        f->launched = ec2_requested(i);
        f->running = ec2_launched(i);
        f->terminated = ec2_terminated(i);
        f->busy_seconds = sim_to_sec(ec2_busy_ns(i, end));
        int64_t av = available_ns(i, 0, end);
        f->cpu_utilisation = av > 0 ? (double)ec2_busy_ns(i, end) / (double)av : 0;
        f->served = ec2_served(i);
        /* AWS-EC2-BILLING: from entering running (launch: pending is free, fixed fleets run at t = 0) to termination or the end. */
        f->cost_usd = ec2_cost_usd(i, end); /* a Spot instance at its pool's price of each moment (5.2) */
    }
    /* The final window's accrual is the run's ledger (close_window above made it at `end`). */
    w->ledger = w->prev;
    if ((w->rows = rows_new()) != NULL) {
        if (ec2_credit_rows(w->insts, w->n_insts, end, w->rows) != 0 && !rc)
            rc = SIM_ENOMEM;
        for (size_t k = 0; k < w->n_order; k++)
            if (w->order[k].t->report)
                w->order[k].t->report(w->order[k].model, w->order[k].cfg, &w->b, w->rows);
        for (size_t k = 0; k < w->n_svcs; k++)
            if (w->svcs[k].svc->report)
                w->svcs[k].svc->report(w->svcs[k].obj, &w->b, w->rows);
    } else if (!rc) {
        rc = SIM_ENOMEM;
    }
    w->ran = 1;
    return rc;
}

void world_free(world *w)
{
    if (!w)
        return;
    /* Services first, then resources, each in reverse of creation: a model may point at what was built before it. */
    for (size_t k = w->n_svcs; k-- > 0;)
        if (w->svcs[k].svc->free)
            w->svcs[k].svc->free(w->svcs[k].obj);
    for (size_t k = 0; k < w->n_wls; k++)
        wl_free(w->wls[k]);
    for (size_t k = w->n_order; k-- > 0;)
        if (w->order[k].t->free_model)
            w->order[k].t->free_model(w->order[k].model);
    for (size_t k = 0; k < w->n_fixed; k++)
        ec2_free(w->insts[k]);
    for (size_t k = 0; w->models && k < w->n_types; k++)
        free(w->models[k]);
    free(w->models);
    free(w->order);
    free(w->svcs);
    inst_index_free(&w->ids);
    events_free(w->ev);
    free(w->wls);
    free(w->insts);
    free(w->busy_prev);
    free(w->infos);
    free(w->series_vals);
    free(w->win_cost);
    rows_free(w->rows);
    stats_free(w->st);
    free(w);
}

const scenario *world_scenario(const world *w) { return w->sc; }
sim_time_t world_end_time(const world *w) { return w->ran ? w->end : 0; }
int world_partial(const world *w) { return w->ran && w->end < w->sc->duration; }
sim *world_sim(const world *w) { return w->s; }
const stats_summary *world_summary(const world *w) { return stats_get_summary(w->st); }
const hist *world_latency(const world *w) { return stats_get_latency(w->st); }
const stats_window *world_windows(const world *w, size_t *n) { return stats_get_windows(w->st, n); }

const world_instance_info *world_instances(const world *w, size_t *n)
{
    if (n)
        *n = w->infos ? w->n_insts : 0;
    return w->infos;
}

double world_cost(const world *w, const char *item) { return cost_ledger_get(&w->ledger, item); }
double world_cost_total(const world *w) { return cost_ledger_total(&w->ledger); }
const cost_ledger *world_ledger(const world *w) { return &w->ledger; }
size_t world_window_cost(const world *w, size_t k, double usd[COST_MAX_ITEMS])
{
    if (!w->ran || !w->win_cost || k >= w->n_cost_rows)
        return 0;
    /* services listed later than window k were 0 then */
    for (size_t i = 0; i < COST_MAX_ITEMS; i++)
        usd[i] = w->win_cost[k * COST_MAX_ITEMS + i];
    return w->ledger.n;
}
int world_has_run(const world *w) { return w->ran; }

void world_set_progress(world *w, sim_time_t every, void (*fn)(void *ctx), void *ctx)
{
    w->progress = every > 0 ? fn : NULL;
    w->progress_every = every;
    w->progress_ctx = ctx;
}
size_t world_pool_capacity(const world *w) { return sim_pool_capacity(w->pool); }

void world_live_requests(const world *w, uint64_t *arrived, uint64_t *by_cause, uint64_t *in_flight, uint64_t *objects)
{
    stats_live(w->st, arrived, by_cause);
    *in_flight = stats_in_system(w->st);
    *objects = sim_pool_in_use(w->pool);
}

events_log *world_events(const world *w) { return w->ev; }
const rows *world_rows(const world *w) { return w->rows; }
void *world_model(const world *w, const char *tf_type, const char *name) { return wb_find(&w->b, tf_type, name); }
wb *world_wb(world *w) { return &w->b; }

size_t world_series(const world *w, const char *names[WB_MAX_SERIES])
{
    for (size_t i = 0; i < w->n_series; i++)
        names[i] = w->series_names[i];
    return w->n_series;
}

const double *world_series_at(const world *w, size_t window)
{
    return w->n_series && window < w->n_rows ? w->series_vals + window * w->n_series : NULL;
}

size_t world_n_asgs(const world *w)
{
    const res_type *t = ld_type_find("aws_autoscaling_group");
    return t ? type_count(w->sc, t) : 0;
}

asg *world_asg(const world *w, size_t i)
{
    return i < world_n_asgs(w) ? wb_model(&w->b, ld_type_find("aws_autoscaling_group"), (int)i) : NULL;
}
