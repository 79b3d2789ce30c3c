/*
 * asg.c - an EC2 Auto Scaling group (aws-semantics 1, 4.2-4.3, 5.1, 5.4, 11).
 *
 * Lifecycle (AWS-ASG 1.2, 5.1, 5.4): a launch is Pending for pending_time
 * (EC2 pending: not billed, no EC2 instance yet), then the EC2 instance is
 * created (running: billing starts) and boots for os_boot_time +
 * app_start_time, still Pending; then InService: registered with every target
 * group, health-check grace period and warmup start. The three phases are
 * drawn together at launch from "asg.<name>/boot". At t = 0 the group starts
 * with desired_capacity instances already InService (the stack is deployed).
 * Termination: Terminating -> deregistered from every target group -> waits
 * for draining (AWS-ASG 1.2, 4.3, 11.11) -> Terminated (ec2_terminate: billing
 * ends; requests still held get 502). The termination activity completes,
 * and the cooldown starts, when draining ends (AWS-ASG 1.6).
 *
 * Activities (AWS-ASG 1.6): a launch is in progress until InService, a
 * termination until drained. When the last in-progress activity completes
 * the activity listener is told (from a zero-delay event, so a listener that
 * calls back into the group never re-enters a half-done change).
 *
 * Reconciliation (AWS-ASG 1.1, 1.5): capacity (Pending + InService) is brought
 * to desired. A launch goes to the enabled zone with the fewest instances
 * (ties: list order); a zone under an az_outage refuses it (logged, a
 * LAUNCH_ERROR notification) and the next zone is tried.
 *
 * Scale-in (AWS-ASG 1.4, 11.1): AZ balance first (the zones with the most
 * instances among those holding an unprotected candidate), then the
 * termination policies in order, then a uniform pick from
 * "asg.<name>/terminate". Default = oldest launch template (lowest template
 * generation), then closest to the next instance hour (largest running time
 * mod 3600 s). AllocationStrategy keeps the instances the mixed instances
 * policy would launch now (a no-op without one; termination_policy.c). With a
 * policy, the market above its share of desired goes first (1.8).
 * OldestLaunchConfiguration is a no-op: fleetsim has no launch
 * configurations. Protected instances are never picked; if too few can go,
 * desired still drops and the rest stay (logged).
 * Decision (AWS: NOT FOUND): Pending instances are candidates like InService
 * ones (protection only applies from InService, AWS-ASG 1.4); their running
 * time is 0 while EC2-pending, so Default rarely picks them. A Pending
 * instance picked is cancelled at once: it was never registered, so there is
 * nothing to drain (billed if it already entered running).
 *
 * Health (AWS-ASG 1.3, 11.5, 11.6, 11.8): an instance that leaves running
 * (instance_crash, az_outage) is Unhealthy at once, grace period or not, and
 * replaced at once: terminate, then launch (two activities; cooldowns do not
 * apply). ELB health, only with health_check_type ELB: a sweep every
 * health_check_sweep (fleetsim parameter, AWS: NOT FOUND) marks InService
 * instances past their grace period that a target group reports unhealthy,
 * and replaces at most max(1, 10% of desired) at a time; a replacement is in
 * progress until its new instance is InService, healthy in every target
 * group and past the default instance warmup (0 when not set). The sweep
 * waits while an activity is in progress and the group is 10% or more below
 * desired. Decision: if every InService instance is unhealthy the group marks
 * none ("replacement held: all instances unhealthy", logged once per episode)
 * — AWS "may mark fewer"; marking none keeps the fail-open ALB serving.
 * Instances only marked when they are replaced (the throttled rest wait for
 * a later sweep unmarked).
 *
 * AZ rebalancing (AWS-ASG 1.5, 11.8): when an outage ends and the enabled
 * zones differ by more than 1, the group launches into the emptiest zone
 * first (capacity may exceed max by max(10% of max, 1)); when that instance is
 * InService the scale-in picker (AZ balance first) terminates one from the
 * fullest zone; repeated until balanced.
 *
 * Cooldown (AWS-ASG 1.1, 1.6): asg_after_cooldown holds a HonorCooldown
 * change (models/faults) until default_cooldown after the last activity; a
 * wait made during activities is scheduled from the moment they complete.
 * The instances a group starts with were deployed before t = 0: they are
 * not warming (only new launches warm up); their grace period runs from 0.
 *
 * Instance refresh (AWS-ASG 1.6): switches the launch template (a new
 * generation), then replaces every instance launched before the refresh in
 * batches of (healthy InService - ceil(min_healthy% x desired)), at least 1,
 * waiting for each batch's new instances to be InService + instance_warmup
 * (given, else default_instance_warmup, else health_check_grace_period).
 * Instances protected from scale-in are skipped (AWS's default
 * ScaleInProtectedInstances = Ignore).
 *
 * Mixed instances and Spot (AWS-ASG 1.8, 5.2, 11.8, 11.10; docs/spot.md):
 * capacity is counted in units (override weights); a launch goes On-Demand
 * while the On-Demand units are below the policy's share of desired, else
 * Spot; the zone comes first, then the allocation strategy orders the zone's
 * pools (models/ec2/ec2_pool.h) and a pool without capacity passes the launch
 * on. A Spot instance draws its notice time from its pool's hazard when it
 * enters running: the rebalance recommendation comes rebalance_lead before,
 * the reclaim 2 minutes after. Reclaimed: it leaves running at once (502s,
 * billing ends), its terminate hooks run without delaying anything, and the
 * group launches a replacement now. capacity_rebalance launches a Spot
 * replacement on the recommendation (outside desired, past max_size) and
 * terminates the old instance once the replacement is InService.
 *
 * Metrics (AWS-ASG 1.6, aws-semantics 3.1): CPU and network leave out
 * instances within default_instance_warmup. asg_sample must be called at
 * now == t1 (the metric store samples at each period's end): it keeps a
 * per-instance snapshot per metric at each call.
 */
#include "models/autoscaling/asg.h"
#include "models/autoscaling/asg_state.h"
#include "models/autoscaling/termination_policy.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/api_script.h"
#include "stats/histogram.h"
#include "models/core/build.h"
#include "models/elb/alb.h"
#include "models/autoscaling/mixed_policy.h"
#include "models/ec2/ec2_pool.h"
#include "models/ec2/ec2_pool_cfg.h"

#define SPOT_NOTICE (2 * SIM_MIN) /* the interruption notice comes 2 minutes before the reclaim (aws-semantics 5.2) */

/* Names of asg_state.h's ist values. */
static const char *const st_names[] = {"Pending", "InService", "Terminating", "Terminated", "Pending:Wait",
                                       "Terminating:Wait"};

#define ASG_ACCOUNT "123456789012" /* the account every ARN and event of a run names */
#define ASG_MAX_WAIT (48 * SIM_HOUR) /* the global timeout's cap (aws-semantics 1.7) */

typedef enum why { W_SCALE_IN, W_HEALTH, W_REFRESH, W_REBALANCE } why;


/* ---------------------------------------------------------------- small helpers */

static void logf_(asg *g, const char *type, const char *res, const char *from, const char *to,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void logf_(asg *g, const char *type, const char *res, const char *from, const char *to,
                  const char *fmt, ...)
{
    if (!g->ev)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (events_add(g->ev, sim_now(g->s), type, res, from, to, "%s", msg) != 0)
        sim_fail(g->s, SIM_ENOMEM);
}

static void notify(asg *g, unsigned what, const char *id)
{
    if (g->notify_fn)
        g->notify_fn(g->notify_ctx, g, what, id);
}

static bool live(const ainst *a)
{
    return a->state == ST_PENDING || a->state == ST_PENDING_WAIT || a->state == ST_IN_SERVICE;
}

static bool is_spot(const ainst *a) { return asg_state_spot(a); }

/* Launched beyond desired for a while: AZ rebalancing, or a Capacity Rebalancing replacement whose old instance still runs (1.5, 1.8). */
static bool is_extra(const ainst *a) { return a->rebalance || (a->cr_old && live(a->cr_old)); }

/* Every state change goes through here: it keeps the group's counts (n_state, zone_live, live_units). */
static void set_state(asg *g, ainst *a, ist st)
{
    if (a->tracked) {
        g->n_state[a->state]--;
        if (live(a)) {
            g->zone_live[a->az]--;
            g->live_units -= a->weight;
        }
    }
    a->state = st;
    a->tracked = true;
    g->n_state[st]++;
    if (live(a)) {
        g->zone_live[a->az]++;
        g->live_units += a->weight;
    }
}

static int count_state(const asg *g, ist st) { return g->n_state[st]; }

static void track_in_service(asg *g)
{
    int n = count_state(g, ST_IN_SERVICE);
    if (n < g->counts.min_in_service)
        g->counts.min_in_service = n;
    if (n > g->counts.max_in_service)
        g->counts.max_in_service = n;
}

static const scn_launch_template *template_of(const asg *g) { return &g->sc->launch_templates[g->lt]; }

/* The warmup a health replacement waits for (AWS-ASG 1.3): default_instance_warmup, 0 when not set. */
static sim_time_t replacement_warmup(const asg *g)
{
    return g->cfg->default_instance_warmup > 0 ? g->cfg->default_instance_warmup : 0;
}

/* ---------------------------------------------------------------- target-group adapter (ALB side) */

static void on_drained(void *ctx, tg *t, ec2_instance *i);

/* Registers with every target group (AWS-ASG 1.2: before InService). The stack
   deployed before t = 0 passed its first health check then: its targets start
   healthy, so the run does not begin with every request piled on whichever
   target's first check comes earliest (4.2: only new targets wait for one). */
static void tgs_register(asg *g, ainst *a)
{
    for (size_t t = 0; t < g->n_tgs; t++)
        if ((a->deployed ? tg_register_healthy(g->tgs[t], a->ec2) : tg_register(g->tgs[t], a->ec2)) < 0)
            sim_fail(g->s, SIM_ENOMEM);
}

/* Deregisters from every target group; on_drained is called once per group when it has drained. */
static void tgs_deregister(asg *g, ainst *a)
{
    a->drains_left = (int)g->n_tgs;
    for (size_t t = 0; t < g->n_tgs; t++)
        if (tg_deregister(g->tgs[t], a->ec2, on_drained, a) < 0)
            on_drained(a, g->tgs[t], a->ec2);  /* not registered there: nothing to drain */
}

/* Does any target group report a as unhealthy (AWS-ASG 1.3 ELB check)? */
static bool tgs_unhealthy(const asg *g, const ainst *a)
{
    for (size_t t = 0; t < g->n_tgs; t++)
        if (tg_target_state(g->tgs[t], a->ec2) == TG_UNHEALTHY)
            return true;
    return false;
}

/* Has a passed its first health check in every target group? */
static bool tgs_healthy(const asg *g, const ainst *a)
{
    for (size_t t = 0; t < g->n_tgs; t++)
        if (tg_target_state(g->tgs[t], a->ec2) != TG_HEALTHY)
            return false;
    return true;
}

/* ---------------------------------------------------------------- activities */

static void on_listener(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    asg *g = obj;
    g->listener_armed = false;
    if (g->activities == 0 && g->act_fn)
        g->act_fn(g->act_ctx, g);
}

static void activity_begin(asg *g, ainst *a)
{
    if (!a->counted) {
        a->counted = true;
        g->activities++;
    }
}

/* Ends a's activity; when it was the last, the cooldown starts now (AWS-ASG 1.6). */
static void activity_end(asg *g, ainst *a)
{
    if (!a->counted)
        return;
    a->counted = false;
    if (--g->activities > 0)
        return;
    g->last_activity_end = sim_now(g->s);
    if (g->cooldown_wait.h) {
        /* The cooldown an asg_after_cooldown wait was held for starts now (AWS-ASG 1.1, 1.6). */
        sim_at(g->s, g->last_activity_end + g->cfg->default_cooldown, g->cooldown_wait.h, g->cooldown_wait.obj,
               g->cooldown_wait.arg);
        g->cooldown_wait.h = NULL;
    }
    if (g->act_fn && !g->listener_armed) {
        g->listener_armed = true;
        sim_after(g->s, 0, on_listener, g, 0);
    }
}

/* ---------------------------------------------------------------- launch */

static void reconcile(asg *g);
static void reconcile_after(asg *g, const char *rebalanced);
static void refresh_check(asg *g);
static void maybe_rebalance(asg *g);

static int zone_count(const asg *g, size_t z) { return g->zone_live[z]; }

static bool zone_up(const asg *g, size_t z) { return !g->zone_down[z]; }

static ainst *new_inst(asg *g)
{
    if (g->n_insts == g->cap_insts) {
        size_t cap = g->cap_insts ? 2 * g->cap_insts : 16;
        ainst **a = realloc(g->insts, cap * sizeof *a);
        if (!a)
            return NULL;
        g->insts = a;
        g->cap_insts = cap;
    }
    ainst *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->g = g;
    a->serial = (int)g->n_insts;
    snprintf(a->id, sizeof a->id, "i-%s-%d", g->cfg->name, a->serial);
    a->running_at = a->in_service_at = -1;
    a->cpu_t = a->in_t = a->out_t = -1;
    a->gen = g->gen;
    a->lt = g->lt;
    a->weight = 1;
    a->notice_at = -1;
    a->signal_at = -1;
    a->requested = sim_now(g->s);
    g->insts[g->n_insts++] = a;
    return a;
}

static void on_ec2_api_terminate(void *ctx, ec2_instance *i, bool decrement);
static void on_spot(sim *s, void *obj, uint64_t arg);
static void on_wave(sim *s, void *obj, uint64_t arg);
static void on_window_end(sim *s, void *obj, uint64_t arg);
static void on_price_over(sim *s, void *obj, uint64_t arg);
static void on_reconcile(sim *s, void *obj, uint64_t arg);

/* The instance type a launches as: its override's, else its template's. */
static const scn_itype *type_of(const asg *g, const ainst *a)
{
    if (a->pool)
        return ec2pool_type(a->pool);
    return &g->sc->itypes[g->sc->launch_templates[a->lt].itype];
}

static double bill_pool(const void *ctx, sim_time_t from, sim_time_t to) { return ec2pool_cost(ctx, from, to); }

/* A Spot instance entered running: when its pool's hazard interrupts it (5.2): the rebalance recommendation lead before the notice, the reclaim 2 minutes after. */
static void arm_interruption(asg *g, ainst *a)
{
    sim_time_t d = ec2pool_draw_notice(a->pool);
    if (d < 0)
        return;
    sim_time_t lead = ec2pool_draw_lead(a->pool);
    sim_time_t now = sim_now(g->s);
    a->notice_at = now + d;
    sim_time_t reb = a->notice_at - lead > now ? a->notice_at - lead : now;
    a->spot_stage = 0;
    a->spot_ev = sim_at(g->s, reb, on_spot, a, 0);
}

/* Creates the EC2 instance: it enters running now (AWS-EC2 5.1: billing starts). */
static bool make_ec2(asg *g, ainst *a)
{
    const scn_itype *type = type_of(g, a);
    a->ec2 = ec2_new(g->s, a->id, type, g->zones[a->az]);
    if (!a->ec2) {
        sim_fail(g->s, SIM_ENOMEM);
        return false;
    }
    a->running_at = sim_now(g->s);
    ec2_set_requested(a->ec2, a->requested);
    if (template_of(g)->accept_backlog > 0)
        ec2_set_accept_backlog(a->ec2, (uint32_t)template_of(g)->accept_backlog);
    if (template_of(g)->root.gib > 0)
        ec2_set_root_volume(a->ec2, template_of(g)->root.gib, template_of(g)->root.gp2);
    ec2_set_terminator(a->ec2, on_ec2_api_terminate, a);
    if (is_spot(a))  /* billed per second at the pool's price of each moment (5.1, 5.2); On-Demand at the type's */
        ec2_set_billing(a->ec2, bill_pool, a->pool, "spot");
    if (is_spot(a))
        arm_interruption(g, a);
    if (g->on_ec2)
        g->on_ec2(g->on_ec2_ctx, a->ec2);
    return true;
}

static void enter_in_service(asg *g, ainst *a)
{
    set_state(g, a, ST_IN_SERVICE);
    a->in_service_at = sim_now(g->s);
    /* NewInstancesProtectedFromScaleIn applies from InService (AWS-ASG 1.4). */
    a->prot = g->cfg->protect_from_scale_in != 0;
    tgs_register(g, a);
    track_in_service(g);
}

static void on_boot(sim *s, void *obj, uint64_t arg);
static void start_wait(asg *g, ainst *a, int transition, size_t from_k);
static void run_boot_script(asg *g, ainst *a);
static void launch_done(asg *g, ainst *a);
static void finish_termination(asg *g, ainst *a);
static void terminate(asg *g, ainst *a, const char *cause);
static void put_activity_event(asg *g, const ainst *a, const char *detail_type);

/* The three boot phases (AWS-EC2 5.4), seconds, drawn in a fixed order. */
static void draw_boot(asg *g, sim_time_t *pending, sim_time_t *rest)
{
    const scn_launch_template *lt = template_of(g);
    double p = sim_dist_sample(&lt->pending_time, g->boot);
    double o = sim_dist_sample(&lt->os_boot_time, g->boot);
    double ap = sim_dist_sample(&lt->app_start_time, g->boot);
    *pending = sim_from_sec(p);
    *rest = sim_from_sec(o + ap);
}

/* The pool of offer o in zone z and market m, or NULL. */
static ec2_pool *pool_of(const asg *g, size_t o, size_t z, int m)
{
    return g->pools ? g->pools[(o * g->n_zones + z) * 2 + (size_t)m] : NULL;
}

/* The group's live instances in pool p. */
static int pool_use(const asg *g, const ec2_pool *p)
{
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++)
        n += live(g->insts[k]) && g->insts[k]->pool == p;
    return n;
}

int asg_market_units(const asg *g, int m)
{
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++) {
        const ainst *a = g->insts[k];
        if (live(a) && !is_extra(a) && (int)is_spot(a) == m)
            n += a->weight;
    }
    return n;
}

/* The market the next launch goes to: On-Demand until its share of desired is met (1.8). */
static int next_market(const asg *g)
{
    if (!g->mix || !g->mix->policy)
        return EC2POOL_ON_DEMAND;
    return asg_market_units(g, EC2POOL_ON_DEMAND) < mix_od_target(g->mix, g->desired) ? EC2POOL_ON_DEMAND : EC2POOL_SPOT;
}

typedef struct cand {
    size_t o;
    double unit_price;  /* USD/h per capacity unit now */
    double hazard;
    int band, use;
} cand;

/* Is x tried before y under the strategy (1.8; docs/spot.md)? Ties keep override order. */
static bool cand_before(const asg *g, int m, const cand *x, const cand *y)
{
    const asg_mix *mx = g->mix;
    if (m == EC2POOL_ON_DEMAND)
        return mx && mx->od_strategy == MIX_OD_LOWEST_PRICE && x->unit_price < y->unit_price;
    switch (mx->spot_strategy) {
    case MIX_SPOT_LOWEST_PRICE: return x->unit_price < y->unit_price;
    case MIX_SPOT_CAPACITY_OPTIMIZED: return x->hazard < y->hazard;
    case MIX_SPOT_CAPACITY_OPTIMIZED_PRIORITIZED: return x->band < y->band;
    case MIX_SPOT_PRICE_CAPACITY_OPTIMIZED:
        return x->band < y->band || (x->band == y->band && x->unit_price < y->unit_price);
    }
    return false;
}

/* The offers of zone z in market m in the order the allocation strategy tries them; returns their count. avoid goes last. */
static size_t order_pools(const asg *g, size_t z, int m, const ec2_pool *avoid, cand *c)
{
    sim_time_t now = sim_now(g->s);
    size_t n = 0;
    for (size_t o = 0; o < g->n_offers; o++) {
        ec2_pool *p = pool_of(g, o, z, m);
        if (!p)
            continue;
        c[n] = (cand){o, ec2pool_price(p, now) / g->offers[o].weight, ec2pool_hazard(p), ec2pool_band(p), pool_use(g, p)};
        for (size_t j = n; j > 0 && cand_before(g, m, &c[j], &c[j - 1]); j--) {
            cand t = c[j];
            c[j] = c[j - 1];
            c[j - 1] = t;
        }
        n++;
    }
    if (m == EC2POOL_SPOT && g->mix->spot_strategy == MIX_SPOT_LOWEST_PRICE && n > 1) {
        /* Spread over the spot_instance_pools cheapest: the one of them holding the fewest goes first (1.8). */
        size_t top = (size_t)g->mix->spot_pools < n ? (size_t)g->mix->spot_pools : n, best = 0;
        for (size_t j = 1; j < top; j++)
            if (c[j].use < c[best].use)
                best = j;
        cand t = c[best];
        for (size_t j = best; j > 0; j--)
            c[j] = c[j - 1];
        c[0] = t;
    }
    for (size_t j = 0; avoid && j + 1 < n; j++)
        if (pool_of(g, c[j].o, z, m) == avoid) {
            cand t = c[j];
            memmove(&c[j], &c[j + 1], (n - j - 1) * sizeof *c);
            c[n - 1] = t;
            break;
        }
    return n;
}

static void on_retry(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    asg *g = obj;
    g->retry_armed = false;
    reconcile(g);
}

/* Another try after launch_retry_interval (fleetsim parameter: AWS does not document it). */
static void arm_retry(asg *g)
{
    if (g->retry_armed)
        return;
    g->retry_armed = true;
    sim_after(g->s, g->mix ? g->mix->launch_retry : SIM_MIN, on_retry, g, 0);
}

/*
 * Picks the zone and pool of the next launch in market m: zones by fewest instances (want >= 0:
 * that zone only), then the allocation strategy's pools in the zone; a pool without capacity sends
 * the launch to the next pool, then the next zone (1.5, 1.8). Sets *az and *offer; returns the pool
 * (NULL without pools: the template's type), or sets *failed when every pool refused.
 */
static ec2_pool *choose(asg *g, int want, int m, const ec2_pool *avoid, int *az, size_t *offer, bool log_zones,
                        bool *failed)
{
    size_t order[64];
    size_t n = g->n_zones < 64 ? g->n_zones : 64;
    int cnt[64];
    *failed = false;
    *az = -1;
    *offer = 0;
    for (size_t z = 0; z < n; z++) {
        order[z] = z;
        cnt[z] = zone_count(g, z);
    }
    /* Stable insertion sort by count: ties keep list order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cnt[order[j]] < cnt[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    cand c[64];
    sim_time_t now = sim_now(g->s);
    int tried = 0;
    for (size_t i = 0; i < n; i++) {
        size_t z = want >= 0 ? (size_t)want : order[i];
        if (!zone_up(g, z)) {
            if (log_zones) {
                g->counts.launch_failures++;
                logf_(g, "scaling", g->cfg->name, NULL, NULL,
                      "Launching a new EC2 instance into %s failed: the availability zone is unavailable (az_outage); %s",
                      g->zones[z], want >= 0 ? "rebalancing stops" : "trying another zone");
                notify(g, SCN_NOTIFY_LAUNCH_ERROR, "");
            }
        } else if (!g->pools) {
            *az = (int)z;
            return NULL;
        } else {
            size_t np = order_pools(g, z, m, avoid, c);
            for (size_t j = 0; j < np; j++) {
                ec2_pool *p = pool_of(g, c[j].o, z, m);
                double cap = m == EC2POOL_SPOT && g->mix->spot_max_price > 0 ? g->mix->spot_max_price
                                                                              : ec2pool_type(p)->hourly_usd;
                tried++;
                if (m == EC2POOL_SPOT && ec2pool_price(p, now) > cap) {
                    logf_(g, "spot", g->cfg->name, NULL, NULL, "%s Spot in %s: price %.4f above the maximum %.4f USD/h: "
                          "next pool", ec2pool_type(p)->name, g->zones[z], ec2pool_price(p, now), cap);
                    continue;
                }
                if (!ec2pool_available(p, now, pool_use(g, p))) {
                    logf_(g, "spot", g->cfg->name, NULL, NULL, "%s %s in %s: InsufficientInstanceCapacity: next pool",
                          ec2pool_type(p)->name, m == EC2POOL_SPOT ? "Spot" : "On-Demand", g->zones[z]);
                    continue;
                }
                *az = (int)z;
                *offer = c[j].o;
                return p;
            }
        }
        if (want >= 0)
            break;
    }
    *failed = tried > 0;
    return NULL;
}

/*
 * Launches one instance into zone `want` (-1: the enabled zone with the fewest instances, AWS-ASG
 * 1.5) in market m (-1: the policy's split) avoiding pool avoid (tried last). A refused zone or pool
 * is logged and the next one tried. Returns the instance, or NULL if every zone and pool refused.
 */
static ainst *launch_in(asg *g, int want, int m, const ec2_pool *avoid, const char *cause)
{
    if (m < 0)
        m = next_market(g);
    int az;
    size_t o;
    bool failed;
    ec2_pool *p = choose(g, want, m, avoid, &az, &o, true, &failed);
    if (az < 0) {
        if (failed) {
            g->counts.launch_failures++;
            g->counts.capacity_errors++;
            logf_(g, "scaling", g->cfg->name, NULL, NULL,
                  "Launching a new %s EC2 instance failed: no pool of the group has capacity "
                  "(InsufficientInstanceCapacity, or a Spot price above the maximum); retrying in %.0f s", m == EC2POOL_SPOT ? "Spot" : "On-Demand",
                  sim_to_sec(g->mix ? g->mix->launch_retry : SIM_MIN));
            notify(g, SCN_NOTIFY_LAUNCH_ERROR, "");
            arm_retry(g);
        }
        return NULL;
    }
    ainst *a = new_inst(g);
    if (!a) {
        sim_fail(g->s, SIM_ENOMEM);
        return NULL;
    }
    a->az = az;
    a->pool = p;
    a->offer = (int)o;
    a->weight = p ? g->offers[o].weight : 1;
    set_state(g, a, ST_PENDING);
    activity_begin(g, a);
    sim_time_t pending, rest;
    draw_boot(g, &pending, &rest);
    a->boot_os_app = rest;
    if (p && g->mix && g->mix->policy)
        logf_(g, "instance", a->id, "", "Pending", "Launching a new EC2 instance: %s in %s, %s %s (%s)", a->id,
              g->zones[az], ec2pool_type(p)->name, is_spot(a) ? "Spot" : "On-Demand", cause);
    else
        logf_(g, "instance", a->id, "", "Pending", "Launching a new EC2 instance: %s in %s (%s)", a->id,
              g->zones[az], cause);
    a->ev = sim_after(g->s, pending, on_boot, a, 0);
    return a;
}

static ainst *launch(asg *g, int want, const char *cause) { return launch_in(g, want, -1, NULL, cause); }

/* Boot steps: arg 0 = EC2 pending -> running, 1 = running -> InService. */
static void on_boot(sim *s, void *obj, uint64_t arg)
{
    ainst *a = obj;
    asg *g = a->g;
    a->ev = SIM_EVID_NONE;
    if (a->state != ST_PENDING)
        return;
    if (arg == 0) {
        if (!make_ec2(g, a))
            return;
        a->ev = sim_after(s, a->boot_os_app, on_boot, a, 1);
        return;
    }
    const scn_launch_template *lt = &g->sc->launch_templates[a->lt];
    if (arg == 1 && lt->boot.n_steps > 0 && g->wb) {
        run_boot_script(g, a);
        return;
    }
    /* Booted (its boot script included): the launch hooks run before InService (1.2, 1.7). */
    start_wait(g, a, ASG_HOOK_LAUNCHING, 0);
}

/* ${instance.id}, ${instance.az}, ${instance.type}, ${group.name}: what a boot script knows of its instance. */
static const char *boot_var(void *ctx, const char *name)
{
    const ainst *a = ctx;
    const asg *g = a->g;
    if (strcmp(name, "instance.id") == 0)
        return a->id;
    if (strcmp(name, "instance.az") == 0)
        return g->zones[a->az];
    if (strcmp(name, "instance.type") == 0)
        return type_of(g, a)->name;
    if (strcmp(name, "group.name") == 0)
        return g->cfg->name;
    return NULL;
}

static const char *status_name(api_status st)
{
    switch (st) {
    case API_OK: return "OK";
    case API_CONDITION_FAILED: return "ConditionalCheckFailed";
    case API_THROTTLED: return "Throttled";
    case API_NOT_FOUND: return "NotFound";
    case API_SERVICE_ERROR: return "ServiceError";
    case API_INVALID: break;
    }
    return "Invalid";
}

/* Counts one boot script's end: its time, its retries, its failure. */
static void note_boot(asg *g, ainst *a, api_status st, const as_stats *run)
{
    g->counts.boot_scripts++;
    g->counts.boot_script_failures += st != API_OK;
    g->counts.boot_script_retries += run && run->attempts > 1 ? (uint64_t)(run->attempts - 1) : 0;
    hist_record(&g->boot_times, sim_now(g->s) - a->script_start);
}

/* The boot script ended (DESIGN 3b): its time was part of boot time; a failure takes the template's boot_failure path. */
static void on_boot_script(void *ctx, api_status st, const as_stats *run)
{
    ainst *a = ctx;
    asg *g = a->g;
    a->script = NULL;  /* the run freed itself */
    note_boot(g, a, st, run);
    if (a->state != ST_PENDING)
        return;
    if (st == API_OK) {
        start_wait(g, a, ASG_HOOK_LAUNCHING, 0);
        return;
    }
    const scn_launch_template *lt = &g->sc->launch_templates[a->lt];
    if (lt->boot_failure == SCN_BOOT_SERVE_UNLICENSED) {
        logf_(g, "instance", a->id, "Pending", "Pending",
              "%s: boot script failed (%s after %d attempt(s), %d call(s)): it serves without its license, every "
              "request it gets fails (500)", a->id, status_name(st), run ? run->attempts : 0,
              run ? run->calls : 0);
        ec2_set_serve_errors(a->ec2, true);
        start_wait(g, a, ASG_HOOK_LAUNCHING, 0);
        return;
    }
    g->counts.launch_failures++;
    logf_(g, "instance", a->id, "Pending", "Terminating",
          "%s: boot script failed (%s after %d attempt(s), %d call(s)): the launch failed; terminating it and "
          "launching a replacement", a->id, status_name(st), run ? run->attempts : 0, run ? run->calls : 0);
    notify(g, SCN_NOTIFY_LAUNCH_ERROR, a->id);
    set_state(g, a, ST_TERMINATING);
    finish_termination(g, a);  /* never registered: nothing to drain */
    reconcile(g);
}

static void run_boot_script(asg *g, ainst *a)
{
    const scn_launch_template *lt = &g->sc->launch_templates[a->lt];
    const scn_itype *type = type_of(g, a);
    a->script_start = sim_now(g->s);
    a->script = as_start(g->wb, &lt->boot, g->script, type->speed, a->id, boot_var, a, on_boot_script, a);
    if (!a->script)
        sim_fail(g->s, SIM_ENOMEM);
}

/* The launch succeeded (no launch hook, or every one continued): InService now (1.2). */
static void launch_done(asg *g, ainst *a)
{
    const char *from = st_names[a->state];
    enter_in_service(g, a);
    g->counts.launches++;
    logf_(g, "instance", a->id, from, "InService", "%s is InService in %s", a->id, g->zones[a->az]);
    put_activity_event(g, a, "EC2 Instance Launch Successful");
    notify(g, SCN_NOTIFY_LAUNCH, a->id);
    activity_end(g, a);
    if (a->signal_at >= 0) {
        hist_record(&g->spot_repl, sim_now(g->s) - a->signal_at);
        a->signal_at = -1;
    }
    if (a->cr_old) {
        /* Capacity Rebalancing: launch first, now terminate the old instance, its terminate hooks included (1.8). */
        ainst *old = a->cr_old;
        a->cr_old = NULL;
        old->cr_new = NULL;
        char cause[SCN_ID_SIZE + 96];
        snprintf(cause, sizeof cause, "Capacity Rebalancing: its replacement %s is InService", a->id);
        terminate(g, old, cause);
    }
    if (a->rebalance) {
        a->rebalance = false;
        g->rebalance_pending--;
        reconcile_after(g, a->id);   /* AZ rebalancing: launch first, now terminate (AWS-ASG 1.5) */
        maybe_rebalance(g);
    }
    if (g->refresh.active)
        refresh_check(g);
}

/* ---------------------------------------------------------------- terminate */

static void on_reconcile(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    asg *g = obj;
    g->reconcile_armed = false;
    reconcile(g);
}

static void finish_termination(asg *g, ainst *a)
{
    if (a->ec2)
        ec2_terminate(a->ec2);  /* billing ends; requests still held get 502 (AWS-ALB 4.3) */
    ist from = a->state;
    set_state(g, a, ST_TERMINATED);
    g->counts.terminations++;
    logf_(g, "instance", a->id, st_names[from], "Terminated", "%s terminated", a->id);
    put_activity_event(g, a, "EC2 Instance Terminate Successful");
    notify(g, SCN_NOTIFY_TERMINATE, a->id);
    activity_end(g, a);
    if (a->replace && !g->reconcile_armed) {
        /* Health replacement, second activity: the launch follows the termination (1.3, 11.8). From an
           event of its own, so a termination finished inside a scale-in loop never re-enters it. */
        g->reconcile_armed = true;
        sim_after(g->s, 0, on_reconcile, g, 0);
    }
}

/* Deregistered and drained (or never registered): the termination activity is complete (the cooldown
   starts now, 11.11); the terminate hooks run, unless the instance was lost (1.2, 1.7). */
static void after_drain(asg *g, ainst *a)
{
    activity_end(g, a);
    if (a->lost) {
        if (g->n_hooks)
            logf_(g, "lifecycle", a->id, st_names[a->state], "Terminating",
                  "%s was lost (it left running without the group terminating it): no terminate lifecycle hook runs",
                  a->id);
        finish_termination(g, a);
        return;
    }
    start_wait(g, a, ASG_HOOK_TERMINATING, 0);
}

static void on_drained(void *ctx, tg *t, ec2_instance *i)
{
    (void)t;
    (void)i;
    ainst *a = ctx;
    if (a->state != ST_TERMINATING || a->drains_left <= 0)
        return;
    if (--a->drains_left == 0)
        after_drain(a->g, a);
}

/* Starts terminating a (Pending or InService): Terminating -> drain -> Terminated (AWS-ASG 1.2). */
static void terminate(asg *g, ainst *a, const char *cause)
{
    if (!live(a))
        return;
    ist from = a->state;
    a->rebalance = a->rebalance ? (g->rebalance_pending--, false) : false;
    /* A Capacity Rebalancing pair comes apart: a pending replacement becomes an ordinary member. */
    if (a->cr_new) {
        a->cr_new->cr_old = NULL;
        a->cr_new = NULL;
    }
    if (a->cr_old) {
        a->cr_old->cr_new = NULL;
        a->cr_old = NULL;
    }
    if (from == ST_PENDING) {
        sim_cancel(g->s, a->ev);
        a->ev = SIM_EVID_NONE;
        if (a->script) {
            as_cancel(a->script);
            a->script = NULL;
        }
        set_state(g, a, ST_TERMINATING);
        logf_(g, "instance", a->id, "Pending", "Terminating", "Terminating EC2 instance: %s (%s)", a->id, cause);
        finish_termination(g, a);  /* never registered: nothing to drain */
        return;
    }
    if (from == ST_PENDING_WAIT) {
        /* Running but never registered: no draining; its launch activity turns into the termination. */
        sim_cancel(g->s, a->wait_ev);
        a->wait_ev = SIM_EVID_NONE;
        a->token[0] = '\0';
        set_state(g, a, ST_TERMINATING);
        logf_(g, "instance", a->id, "Pending:Wait", "Terminating", "Terminating EC2 instance: %s (%s)", a->id, cause);
        after_drain(g, a);
        return;
    }
    set_state(g, a, ST_TERMINATING);
    track_in_service(g);
    activity_begin(g, a);
    logf_(g, "instance", a->id, "InService", "Terminating", "Terminating EC2 instance: %s (%s)", a->id, cause);
    if (g->n_tgs == 0 || !a->ec2) {
        after_drain(g, a);
        return;
    }
    tgs_deregister(g, a);
    if (a->reclaimed && a->state == ST_TERMINATING && a->drains_left > 0) {
        /* Reclaimed: nothing left to drain (its requests got 502); the terminate hooks run now (5.2, 11.10). */
        a->drains_left = 0;
        after_drain(g, a);
    }
}

/* ---------------------------------------------------------------- scale-in (the pick: termination_policy.c) */

/* Scales in by up to n capacity units (an instance goes only if its weight fits); returns the units that could not go. */
static int scale_in(asg *g, int n, const char *cause)
{
    ainst **c = malloc((g->n_insts + 1) * sizeof *c);
    if (!c) {
        sim_fail(g->s, SIM_ENOMEM);
        return 0;
    }
    int left = n;
    while (left > 0) {
        size_t nc = 0;
        for (size_t k = 0; k < g->n_insts; k++) {
            ainst *a = g->insts[k];
            if (live(a) && !a->prot && !is_extra(a) && a->weight <= left)
                c[nc++] = a;
        }
        ainst *v = tpol_pick_victim(g, c, nc);
        if (!v)
            break;
        left -= v->weight;
        terminate(g, v, cause);
    }
    free(c);
    return left;
}

/* ---------------------------------------------------------------- reconcile */

/* Capacity units of the live instances (1 each without weights). */
static int capacity(const asg *g) { return g->live_units; }

/* Units launched beyond desired for a while (AZ rebalancing, Capacity Rebalancing). */
static int extra_units(const asg *g)
{
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++)
        n += live(g->insts[k]) && is_extra(g->insts[k]) ? g->insts[k]->weight : 0;
    return n;
}

static bool any_protected(const asg *g)
{
    for (size_t k = 0; k < g->n_insts; k++)
        if (live(g->insts[k]) && g->insts[k]->prot)
            return true;
    return false;
}

/* Brings capacity (less rebalance launches in flight) to desired (AWS-ASG 1.1). */
/* Health replacements still terminating: their launch waits for the termination (1.3, 11.8). */
static int replacing(const asg *g)
{
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++)
        n += g->insts[k]->replace && (g->insts[k]->state == ST_TERMINATING || g->insts[k]->state == ST_TERMINATING_WAIT)
                 ? g->insts[k]->weight : 0;
    return n;
}

/* rebalanced: the id of an AZ rebalancing launch now InService, whose zone balance this termination completes (its cause says so: it is not a scale-in); NULL otherwise. */
static void reconcile_after(asg *g, const char *rebalanced)
{
    int cap = capacity(g) - extra_units(g);
    char cause[160];
    if (cap < g->desired) {
        snprintf(cause, sizeof cause, "a difference between desired (%d) and actual capacity (%d)", g->desired,
                 cap);
        for (int k = cap + replacing(g); k < g->desired;) {
            ainst *a = launch(g, -1, cause);
            if (!a)
                break;
            k += a->weight;
            if (g->repl_debt > 0) {
                g->repl_debt--;
                a->repl_new = true;
            }
        }
    } else if (cap > g->desired) {
        if (rebalanced)
            snprintf(cause, sizeof cause, "AZRebalance: %s is InService in the emptiest zone; capacity %d above desired %d",
                     rebalanced, cap, g->desired);
        else
            snprintf(cause, sizeof cause, "scale-in: desired %d below actual capacity %d", g->desired, cap);
        int left = scale_in(g, cap - g->desired, cause);
        if (left > 0 && !g->protect_logged && any_protected(g)) {
            g->protect_logged = true;
            logf_(g, "scaling", g->cfg->name, NULL, NULL,
                  "%d instance(s) not terminated: protected from scale-in (desired stays %d)", left, g->desired);
        } else if (left == 0) {
            g->protect_logged = false;
        }
    }
    if (capacity(g) - extra_units(g) >= g->desired)
        g->repl_debt = 0;
}

static void reconcile(asg *g) { reconcile_after(g, NULL); }

/* ---------------------------------------------------------------- AZ rebalancing */

static void maybe_rebalance(asg *g)
{
    int allowance = g->max / 10 > 1 ? g->max / 10 : 1;
    for (;;) {
        int lo = -1, hi = -1;
        size_t lo_z = 0;
        for (size_t z = 0; z < g->n_zones; z++) {
            if (!zone_up(g, z))
                continue;
            int c = zone_count(g, z);
            if (lo < 0 || c < lo) {
                lo = c;
                lo_z = z;
            }
            if (c > hi)
                hi = c;
        }
        if (lo < 0 || hi - lo <= 1 || g->rebalance_pending >= allowance || capacity(g) >= g->max + allowance)
            return;
        ainst *a = launch(g, (int)lo_z, "AZRebalance: the availability zones differ by more than one instance");
        if (!a)
            return;
        a->rebalance = true;
        g->rebalance_pending++;
    }
}

/* ---------------------------------------------------------------- health */

/*
 * EC2 check (AWS-ASG 1.3, 11.5): a left running (`state`: "terminated", "not running") because of why_txt;
 * unhealthy now, replaced now (terminate, then launch). The activity names what happened, as AWS's cause
 * does ("... in response to an EC2 health check indicating it has been terminated or stopped"): a function
 * that found a hung app and called ec2:TerminateInstances must not read as an instance that crashed.
 */
static void ec2_unhealthy(asg *g, ainst *a, const char *state, const char *why_txt)
{
    if (!live(a))
        return;
    a->unhealthy = true;
    a->replace = true;
    logf_(g, "health", a->id, "Healthy", "Unhealthy", "%s: EC2 status %s (%s)", a->id, state, why_txt);
    g->counts.replacements++;
    char cause[SCN_ID_SIZE + 160];
    snprintf(cause, sizeof cause, "an EC2 health check found the instance %s (%s): replacing it", state, why_txt);
    terminate(g, a, cause);
}

static void on_sweep(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    asg *g = obj;
    sim_time_t now = sim_now(s);
    sim_after(s, g->cfg->health_check_sweep, on_sweep, g, 0);
    /* Settle replacements whose new instance passed its first check and the warmup. */
    int in_progress = g->repl_debt;
    for (size_t k = 0; k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        if (!a->repl_new)
            continue;
        if (!live(a)) {
            a->repl_new = false;
            continue;
        }
        if (a->state == ST_IN_SERVICE && tgs_healthy(g, a) && now >= a->in_service_at + replacement_warmup(g))
            a->repl_new = false;
        else
            in_progress++;
    }
    int in_service = 0, bad = 0;
    for (size_t k = 0; k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        if (a->state != ST_IN_SERVICE || !a->ec2)
            continue;
        in_service++;
        if (now >= a->in_service_at + g->cfg->health_check_grace_period && tgs_unhealthy(g, a))
            bad++;
    }
    if (bad == 0) {
        g->held_logged = false;
        return;
    }
    if (bad == in_service) {
        if (!g->held_logged)
            logf_(g, "health", g->cfg->name, NULL, NULL,
                  "replacement held: all instances unhealthy (%d InService instances reported unhealthy by the load balancer)",
                  bad);
        g->held_logged = true;
        return;
    }
    g->held_logged = false;
    /* An activity in progress with the group >= 10% below desired: wait for it (AWS-ASG 1.3). */
    if (g->activities > 0 && 10 * in_service <= 9 * g->desired)
        return;
    int limit = g->desired / 10 > 1 ? g->desired / 10 : 1;
    int started = 0;
    for (size_t k = 0; k < g->n_insts && in_progress < limit; k++) {
        ainst *a = g->insts[k];
        if (a->state != ST_IN_SERVICE || !a->ec2 ||
            now < a->in_service_at + g->cfg->health_check_grace_period || !tgs_unhealthy(g, a))
            continue;
        a->unhealthy = true;
        logf_(g, "health", a->id, "Healthy", "Unhealthy", "%s: the load balancer reports it unhealthy (ELB health check)",
              a->id);
        g->counts.replacements++;
        g->repl_debt++;
        a->replace = true;
        in_progress++;
        started++;
        terminate(g, a, "an ELB health check found the instance unhealthy: replacing it");
    }
    if (started)
        reconcile(g);
}

/* ---------------------------------------------------------------- lifecycle hooks (aws-semantics 1.7) */

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finaliser: ids that look random and are the same on every run */
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A uuid-looking string from a 64-bit key (version 4 layout, deterministic). */
static void uuid_of(uint64_t key, char *out, size_t n)
{
    uint64_t x = mix64(key), y = mix64(x);
    snprintf(out, n, "%08x-%04x-4%03x-%x%03x-%012llx", (unsigned)(x >> 32), (unsigned)((x >> 16) & 0xffff),
             (unsigned)(x & 0xfff), (unsigned)(8 + ((y >> 60) & 3)), (unsigned)((y >> 48) & 0xfff),
             (unsigned long long)(y & 0xffffffffffffULL));
}

/* The group's ARN (1.7: the lifecycle events' resources name it). */
static void make_arn(asg *g)
{
    /* FNV-1a of the name: the uuid part stays when groups are added. Its start is not FNV's offset
     * basis (a digit short); kept, as every ARN in the golden outputs derives from it. */
    uint64_t h = sim_fnv1a(1469598103934665603ULL, g->cfg->name, strlen(g->cfg->name));
    char uuid[40];
    uuid_of(h, uuid, sizeof uuid);
    snprintf(g->arn, sizeof g->arn, "arn:aws:autoscaling:%s:" ASG_ACCOUNT ":autoScalingGroup:%s:autoScalingGroupName/%s",
             g->sc->region, uuid, g->cfg->name);
}

static void put(asg *g, const char *detail_type, const char *instance_arn, const aev_field *d, size_t nd)
{
    if (!g->wb && !g->tap)
        return;
    aws_event ev;
    memset(&ev, 0, sizeof ev);
    ev.source = "aws.autoscaling";
    ev.detail_type = detail_type;
    ev.account = ASG_ACCOUNT;
    ev.region = g->sc->region;
    ev.time = sim_now(g->s);
    ev.resources[ev.n_resources++] = g->arn;
    if (instance_arn)
        ev.resources[ev.n_resources++] = instance_arn;
    for (size_t k = 0; k < nd && k < AEV_MAX_DETAIL; k++)
        ev.detail[ev.n_detail++] = d[k];
    if (g->tap)
        g->tap(g->tap_ctx, &ev);
    if (g->wb)
        wb_put_event(g->wb, &ev);
}

/* "EC2 Instance Launch Successful" / "EC2 Instance Terminate Successful": resources are the group and the instance (1.7). */
static void put_activity_event(asg *g, const ainst *a, const char *detail_type)
{
    char iarn[SCN_ID_SIZE + 96];
    snprintf(iarn, sizeof iarn, "arn:aws:ec2:%s:" ASG_ACCOUNT ":instance/%s", g->sc->region, a->id);
    const aev_field d[] = {
        {"StatusCode", "InProgress"},
        {"AutoScalingGroupName", g->cfg->name},
        {"EC2InstanceId", a->id},
        {"Details.Availability Zone", g->zones[a->az]},
    };
    put(g, detail_type, iarn, d, sizeof d / sizeof d[0]);
}

static const char *transition_name(int tr)
{
    return tr == ASG_HOOK_LAUNCHING ? "autoscaling:EC2_INSTANCE_LAUNCHING" : "autoscaling:EC2_INSTANCE_TERMINATING";
}

static const char *result_name(int r) { return r == ASG_RESULT_ABANDON ? "ABANDON" : "CONTINUE"; }

static void on_wait_timeout(sim *s, void *obj, uint64_t arg);

/* Schedules the end of a's wait: the heartbeat timeout or the global timeout, whichever comes first. */
static void arm_wait(asg *g, ainst *a)
{
    sim_cancel(g->s, a->wait_ev);
    sim_time_t t = a->hb_deadline < a->global_deadline ? a->hb_deadline : a->global_deadline;
    a->wait_ev = sim_at(g->s, t, on_wait_timeout, a, 0);
}

/* The next hook of transition tr at or after index k, or n_hooks. */
static size_t next_hook(const asg *g, int tr, size_t k)
{
    while (k < g->n_hooks && g->hooks[k].transition != tr)
        k++;
    return k;
}

/*
 * a waits on the first hook of transition tr from index from_k (Pending:Wait or Terminating:Wait), or,
 * with none left, proceeds: InService after the launch hooks, Terminated after the terminate hooks.
 */
static void start_wait(asg *g, ainst *a, int tr, size_t from_k)
{
    size_t k = next_hook(g, tr, from_k);
    const char *from = st_names[a->state];
    if (k == g->n_hooks) {
        if (from_k > 0)  /* at least one hook ran */
            logf_(g, "lifecycle", a->id, from, tr == ASG_HOOK_LAUNCHING ? "Pending:Proceed" : "Terminating:Proceed",
                  "%s: every %s hook completed", a->id, tr == ASG_HOOK_LAUNCHING ? "launch" : "terminate");
        if (tr == ASG_HOOK_LAUNCHING)
            launch_done(g, a);
        else
            finish_termination(g, a);
        return;
    }
    const asg_hook *h = &g->hooks[k];
    sim_time_t now = sim_now(g->s);
    set_state(g, a, tr == ASG_HOOK_LAUNCHING ? ST_PENDING_WAIT : ST_TERMINATING_WAIT);
    a->hook_k = k;
    uuid_of(((uint64_t)(g->index + 1) << 40) ^ ++g->n_tokens, a->token, sizeof a->token);
    a->hb_deadline = now + h->heartbeat;
    sim_time_t cap = 100 * h->heartbeat < ASG_MAX_WAIT ? 100 * h->heartbeat : ASG_MAX_WAIT;
    a->global_deadline = now + cap;
    arm_wait(g, a);
    g->counts.waits++;
    logf_(g, "lifecycle", a->id, from, st_names[a->state],
          "%s waits on lifecycle hook %s (%s): heartbeat timeout %.0f s, global timeout %.0f s, default result %s, "
          "token %s", a->id, h->name, transition_name(tr), sim_to_sec(h->heartbeat), sim_to_sec(cap),
          result_name(h->default_result), a->token);
    const aev_field d[] = {
        {"LifecycleActionToken", a->token},
        {"AutoScalingGroupName", g->cfg->name},
        {"LifecycleHookName", h->name},
        {"EC2InstanceId", a->id},
        {"LifecycleTransition", transition_name(tr)},
        {"NotificationMetadata", h->metadata},
    };
    put(g, tr == ASG_HOOK_LAUNCHING ? "EC2 Instance-launch Lifecycle Action" : "EC2 Instance-terminate Lifecycle Action",
        NULL, d, sizeof d / sizeof d[0]);
}

/* a's current wait ends with result (1.7): launch CONTINUE goes on, launch ABANDON terminates (the group replaces
   it); terminate CONTINUE runs the next hook, terminate ABANDON skips the rest; both terminate. */
static void end_wait(asg *g, ainst *a, int result, const char *reason)
{
    sim_cancel(g->s, a->wait_ev);
    a->wait_ev = SIM_EVID_NONE;
    const asg_hook *h = &g->hooks[a->hook_k];
    int tr = h->transition;
    a->token[0] = '\0';
    if (result == ASG_RESULT_ABANDON)
        g->counts.abandoned++;
    if (result == ASG_RESULT_CONTINUE) {
        logf_(g, "lifecycle", a->id, st_names[a->state], st_names[a->state], "%s: lifecycle hook %s: CONTINUE (%s)",
              a->id, h->name, reason);
        start_wait(g, a, tr, a->hook_k + 1);
        return;
    }
    if (tr == ASG_HOOK_TERMINATING) {
        logf_(g, "lifecycle", a->id, "Terminating:Wait", "Terminating:Proceed",
              "%s: lifecycle hook %s: ABANDON (%s): the remaining terminate hooks are skipped", a->id, h->name, reason);
        finish_termination(g, a);
        return;
    }
    logf_(g, "lifecycle", a->id, "Pending:Wait", "Terminating",
          "%s: lifecycle hook %s: ABANDON (%s): the launch failed; the instance is terminated and replaced", a->id,
          h->name, reason);
    set_state(g, a, ST_TERMINATING);
    finish_termination(g, a);  /* never registered: nothing to drain */
    reconcile(g);
}

static void on_wait_timeout(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    ainst *a = obj;
    asg *g = a->g;
    a->wait_ev = SIM_EVID_NONE;
    if (a->state != ST_PENDING_WAIT && a->state != ST_TERMINATING_WAIT)
        return;
    const asg_hook *h = &g->hooks[a->hook_k];
    g->counts.hook_timeouts++;
    bool global = sim_now(s) >= a->global_deadline;
    char reason[96];
    snprintf(reason, sizeof reason, "%s timeout: default result", global ? "global" : "heartbeat");
    end_wait(g, a, h->default_result, reason);
}

/* The waiting instance of hook `hook` with token (or, token NULL or "", instance_id), or NULL. */
static ainst *find_action(asg *g, const char *hook, const char *token, const char *instance_id)
{
    bool by_token = token && *token;
    for (size_t k = 0; hook && k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        if ((a->state != ST_PENDING_WAIT && a->state != ST_TERMINATING_WAIT) ||
            strcmp(g->hooks[a->hook_k].name, hook) != 0)
            continue;
        if (by_token ? strcmp(a->token, token) == 0 : instance_id && strcmp(a->id, instance_id) == 0)
            return a;
    }
    return NULL;
}

/* A call that found no pending action: logged, as AWS answers it with an error. */
static void log_not_found(asg *g, const char *op, const char *caller, const char *hook, const char *token,
                          const char *instance_id)
{
    logf_(g, "lifecycle", g->cfg->name, NULL, NULL,
          "%s from %s: no pending lifecycle action for hook %s and %s %s (it completed or timed out)", op,
          caller ? caller : "?", hook ? hook : "?", token && *token ? "token" : "instance",
          token && *token ? token : instance_id ? instance_id : "?");
}

int asg_complete_action(asg *g, const char *caller, const char *hook, const char *token, const char *instance_id,
                        int result)
{
    ainst *a = find_action(g, hook, token, instance_id);
    if (!a) {
        log_not_found(g, "CompleteLifecycleAction", caller, hook, token, instance_id);
        return -1;
    }
    char reason[SCN_ID_SIZE + 64];
    snprintf(reason, sizeof reason, "CompleteLifecycleAction from %s", caller ? caller : "?");
    end_wait(g, a, result, reason);
    return 0;
}

int asg_record_heartbeat(asg *g, const char *caller, const char *hook, const char *token, const char *instance_id)
{
    ainst *a = find_action(g, hook, token, instance_id);
    if (!a) {
        log_not_found(g, "RecordLifecycleActionHeartbeat", caller, hook, token, instance_id);
        return -1;
    }
    const asg_hook *h = &g->hooks[a->hook_k];
    a->hb_deadline = sim_now(g->s) + h->heartbeat;
    arm_wait(g, a);
    logf_(g, "lifecycle", a->id, st_names[a->state], st_names[a->state],
          "%s: lifecycle hook %s: heartbeat recorded: the wait ends at %.0f s at the latest", a->id, h->name,
          sim_to_sec(a->hb_deadline < a->global_deadline ? a->hb_deadline : a->global_deadline));
    return 0;
}

int asg_add_hook(asg *g, const asg_hook *h)
{
    asg_hook *nh = realloc(g->hooks, (g->n_hooks + 1) * sizeof *nh);
    if (!nh)
        return -1;
    g->hooks = nh;
    char *name = strdup(h->name ? h->name : ""), *meta = strdup(h->metadata ? h->metadata : "");
    if (!name || !meta) {
        free(name);
        free(meta);
        return -1;
    }
    /* Insertion in declaration order: hooks of one transition run in the order the file lists them. */
    size_t k = g->n_hooks;
    while (k > 0 && (g->hooks[k - 1].loc.line > h->loc.line ||
                     (g->hooks[k - 1].loc.line == h->loc.line && g->hooks[k - 1].loc.col > h->loc.col))) {
        g->hooks[k] = g->hooks[k - 1];
        k--;
    }
    g->hooks[k] = *h;
    g->hooks[k].name = name;
    g->hooks[k].metadata = meta;
    g->n_hooks++;
    return 0;
}

/*
 * The boot script of an instance deployed before t = 0 ended: the stack was deployed with its
 * instances' user data running at t = 0, so a claim that fails takes the template's path now.
 */
static void on_deployed_boot(void *ctx, api_status st, const as_stats *run)
{
    ainst *a = ctx;
    asg *g = a->g;
    a->script = NULL;
    note_boot(g, a, st, run);
    if (st == API_OK || a->state != ST_IN_SERVICE)
        return;
    const scn_launch_template *lt = &g->sc->launch_templates[a->lt];
    if (lt->boot_failure == SCN_BOOT_SERVE_UNLICENSED) {
        logf_(g, "instance", a->id, "InService", "InService",
              "%s: boot script failed (%s after %d attempt(s), %d call(s)): it serves without its license, every "
              "request it gets fails (500)", a->id, status_name(st), run ? run->attempts : 0, run ? run->calls : 0);
        ec2_set_serve_errors(a->ec2, true);
        return;
    }
    g->counts.launch_failures++;
    a->replace = true;
    notify(g, SCN_NOTIFY_LAUNCH_ERROR, a->id);
    terminate(g, a, "its boot script failed: the launch failed; replacing it");
}

void asg_set_world(asg *g, wb *b)
{
    g->wb = b;
    /* The t = 0 instances run their boot script too (the license claim), from t = 0. */
    for (size_t k = 0; b && k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        const scn_launch_template *lt = &g->sc->launch_templates[a->lt];
        if (!a->deployed || a->state != ST_IN_SERVICE || lt->boot.n_steps == 0)
            continue;
        const scn_itype *type = type_of(g, a);
        a->script_start = sim_now(g->s);
        if (!(a->script = as_start(b, &lt->boot, g->script, type->speed, a->id, boot_var, a, on_deployed_boot, a)))
            sim_fail(g->s, SIM_ENOMEM);
    }
}

void asg_set_event_tap(asg *g, aev_sink_fn fn, void *ctx)
{
    g->tap = fn;
    g->tap_ctx = ctx;
}

gsl_rng *asg_api_rng(const asg *g) { return g->api; }

sim_pool *asg_api_pool(asg *g, size_t obj_size)
{
    if (!g->api_pool)
        g->api_pool = sim_pool_new(g->s, obj_size);
    return g->api_pool;
}

const char *asg_instance_token(const asg *g, size_t k)
{
    return k < g->n_insts && g->insts[k]->token[0] ? g->insts[k]->token : NULL;
}

/*
 * ec2:TerminateInstances on one of the group's instances (ec2_set_terminator): EC2 shuts it down now
 * (billing ends, requests held get 502); the group finds it not running and replaces it as an EC2
 * health failure (1.3), or, with decrement (TerminateInstanceInAutoScalingGroup's
 * ShouldDecrementDesiredCapacity), lowers desired instead. Lost: no terminate hook runs.
 */
static void on_ec2_api_terminate(void *ctx, ec2_instance *i, bool decrement)
{
    ainst *a = ctx;
    asg *g = a->g;
    ec2_terminate(i);
    if (!live(a))
        return;  /* already terminating: the group's own termination goes on */
    a->lost = true;
    if (decrement && g->desired > g->min) {
        logf_(g, "scaling", g->cfg->name, NULL, NULL,
              "ec2:TerminateInstances with ShouldDecrementDesiredCapacity: desired %d -> %d", g->desired,
              g->desired - 1);
        g->desired--;
        terminate(g, a, "ec2:TerminateInstances: the instance was terminated through the EC2 API");
        return;
    }
    ec2_unhealthy(g, a, "terminated", "ec2:TerminateInstances, called outside the group");
    reconcile(g);
}

/* ---------------------------------------------------------------- instance refresh */

static void on_refresh_timer(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    asg *g = obj;
    g->refresh.wait_until = -1;
    if (g->refresh.active)
        refresh_check(g);
}

static int refresh_old_left(const asg *g)
{
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++) {
        const ainst *a = g->insts[k];
        n += live(a) && a->serial < g->refresh.cutoff && !a->prot;
    }
    return n;
}

/* One step of an instance refresh: wait for the last batch, then replace the next one. */
static void refresh_check(asg *g)
{
    sim_time_t now = sim_now(g->s);
    sim_time_t ready_at = now;
    int healthy = 0;
    for (size_t k = 0; k < g->n_insts; k++) {
        const ainst *a = g->insts[k];
        if (a->serial >= g->refresh.cutoff && (a->state == ST_PENDING || a->state == ST_PENDING_WAIT))
            return;  /* a new instance is still launching: on_boot calls back */
        if (a->state != ST_IN_SERVICE || a->unhealthy)
            continue;
        if (a->serial >= g->refresh.cutoff && a->in_service_at + g->refresh.warmup > now) {
            if (a->in_service_at + g->refresh.warmup > ready_at)
                ready_at = a->in_service_at + g->refresh.warmup;
            continue;
        }
        healthy++;
    }
    if (ready_at > now) {
        if (g->refresh.wait_until != ready_at) {
            g->refresh.wait_until = ready_at;
            sim_at(g->s, ready_at, on_refresh_timer, g, 0);
        }
        return;
    }
    int old = refresh_old_left(g);
    int total = g->refresh.total;
    int pct = total > 0 ? (int)((100LL * (total - old)) / total) : 100;
    if (pct != g->refresh.last_pct) {
        g->refresh.last_pct = pct;
        logf_(g, "scaling", g->cfg->name, NULL, NULL, "instance refresh %d%% complete", pct);
    }
    if (old == 0) {
        g->refresh.active = false;
        logf_(g, "scaling", g->cfg->name, NULL, NULL, "instance refresh successful");
        return;
    }
    int need = (int)ceil((double)g->refresh.min_healthy * g->desired / 100.0 - 1e-9);
    int batch = healthy - need;
    if (batch < 1)
        batch = 1;  /* always progress one instance at a time at least */
    if (batch > old)
        batch = old;
    ainst **c = malloc((g->n_insts + 1) * sizeof *c);
    if (!c) {
        sim_fail(g->s, SIM_ENOMEM);
        return;
    }
    for (int b = 0; b < batch; b++) {
        size_t nc = 0;
        for (size_t k = 0; k < g->n_insts; k++) {
            ainst *a = g->insts[k];
            if (live(a) && a->serial < g->refresh.cutoff && !a->prot)
                c[nc++] = a;
        }
        ainst *v = tpol_pick_victim(g, c, nc);
        if (!v)
            break;
        terminate(g, v, "instance refresh: replacing an instance launched before the refresh");
    }
    free(c);
    reconcile(g);
}

void asg_start_instance_refresh(asg *g, int lt, int min_healthy_pct, sim_time_t warmup)
{
    if (lt >= 0 && (size_t)lt < g->sc->n_launch_templates && g->sc->launch_templates[lt].itype >= 0 &&
        (size_t)g->sc->launch_templates[lt].itype < g->sc->n_itypes) {
        g->lt = lt;
        g->gen++;
    }
    sim_time_t warm = warmup >= 0 ? warmup
        : g->cfg->default_instance_warmup >= 0 ? g->cfg->default_instance_warmup
        : g->cfg->health_check_grace_period; /* AWS-ASG 1.6 fallback chain */
    g->refresh.active = true;
    g->refresh.cutoff = (int)g->n_insts;
    g->refresh.min_healthy = min_healthy_pct;
    g->refresh.warmup = warm;
    g->refresh.last_pct = -1;
    g->refresh.wait_until = -1;
    g->refresh.total = refresh_old_left(g);
    logf_(g, "scaling", g->cfg->name, NULL, NULL,
          "instance refresh started: launch template %s, min healthy %d%%, instance warmup %.0f s",
          template_of(g)->name, min_healthy_pct, sim_to_sec(warm));
    refresh_check(g);
}

/* ---------------------------------------------------------------- faults and operations (asg.h) */

/* Index of `zone` among the group's zones, n_zones if it is not one. */
static size_t zone_index(const asg *g, const char *zone)
{
    size_t z = 0;
    while (z < g->n_zones && strcmp(g->zones[z], zone) != 0)
        z++;
    return z;
}

bool asg_uses_zone(const asg *g, const char *zone) { return zone_index(g, zone) < g->n_zones; }

void asg_crash_instances(asg *g, const size_t *k, size_t n, const char *cause)
{
    /* All leave running before any is replaced: the requests they hold get 502 at the same instant. */
    for (size_t j = 0; j < n; j++)
        if (k[j] < g->n_insts && g->insts[k[j]]->ec2)
            ec2_crash(g->insts[k[j]]->ec2);
    for (size_t j = 0; j < n; j++)
        if (k[j] < g->n_insts) {
            g->insts[k[j]]->lost = live(g->insts[k[j]]);
            ec2_unhealthy(g, g->insts[k[j]], "not running", cause);
        }
    reconcile(g);
}

void asg_zone_outage(asg *g, const char *zone, bool down, const char *cause)
{
    size_t z = zone_index(g, zone);
    if (z == g->n_zones)
        return;
    if (!down) {
        g->zone_down[z] = false;
        reconcile(g);
        maybe_rebalance(g);  /* AWS-ASG 1.5: a zone that lacked capacity recovers */
        return;
    }
    g->zone_down[z] = true;
    for (size_t k = 0; k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        if (!live(a) || (size_t)a->az != z)
            continue;
        if (a->ec2)
            ec2_crash(a->ec2);
        a->lost = true;
        ec2_unhealthy(g, a, "not running", cause);
    }
    reconcile(g);
}

bool asg_in_cooldown(const asg *g)
{
    return g->activities > 0 ||
           (g->last_activity_end >= 0 && sim_now(g->s) < g->last_activity_end + g->cfg->default_cooldown);
}

void asg_after_cooldown(asg *g, sim_handler h, void *obj, uint64_t arg)
{
    if (g->activities > 0) {
        /* The cooldown starts when they complete: activity_end schedules it then. */
        g->cooldown_wait.h = h;
        g->cooldown_wait.obj = obj;
        g->cooldown_wait.arg = arg;
        return;
    }
    sim_time_t t = g->last_activity_end + g->cfg->default_cooldown;
    sim_at(g->s, t > sim_now(g->s) ? t : sim_now(g->s), h, obj, arg);
}

/*
 * What the group launches (1.8): the overrides, else the template's type (offers); a pool per offer x zone
 * x market (Spot only with a policy), with their waves, window ends and price-over-maximum moments
 * scheduled. 0, or -1 out of memory or on a bad type.
 */
static int make_pools(asg *g)
{
    const scenario *sc = g->sc;
    const asg_mix *mx = g->mix;
    bool policy = mx && mx->policy;
    size_t no = policy && mx->n_overrides ? mx->n_overrides : 1;
    g->offers = calloc(no, sizeof *g->offers);
    g->pools = calloc(no * g->n_zones * 2, sizeof *g->pools);
    if (!g->offers || !g->pools)
        return -1;
    g->n_offers = no;
    for (size_t o = 0; o < no; o++) {
        g->offers[o] = policy && mx->n_overrides ? mx->overrides[o] : (mix_override){sc->launch_templates[g->lt].itype, 1};
        if (g->offers[o].itype < 0 || (size_t)g->offers[o].itype >= sc->n_itypes)
            return -1;
        const scn_itype *t = &sc->itypes[g->offers[o].itype];
        for (size_t z = 0; z < g->n_zones; z++)
            for (int m = 0; m < (policy ? 2 : 1); m++) {
                ec2_pool *p = ec2pool_new(g->s, g->cfg->name, t, g->zones[z], (ec2pool_market)m,
                                          mix_pool_cfg(mx, (ec2pool_market)m, t->name, g->zones[z]), sc->duration);
                if (!p)
                    return -1;
                size_t pi = (o * g->n_zones + z) * 2 + (size_t)m;
                g->pools[pi] = p;
                for (size_t w = 0; w < ec2pool_n_waves(p); w++)
                    sim_at(g->s, ec2pool_wave_at(p, w), on_wave, g, pi);
                for (size_t w = 0; w < ec2pool_n_window_ends(p); w++)
                    sim_at(g->s, ec2pool_window_end(p, w), on_window_end, g, 0);
                /* The Spot price rising above the maximum interrupts the pool's instances (5.2). */
                double cap = policy && mx->spot_max_price > 0 ? mx->spot_max_price : t->hourly_usd;
                for (size_t k = 1; m == EC2POOL_SPOT && k < ec2pool_n_prices(p); k++) {
                    sim_time_t at = ec2pool_price_from(p, k);
                    if (ec2pool_price(p, at) > cap && ec2pool_price(p, ec2pool_price_from(p, k - 1)) <= cap)
                        sim_at(g->s, at, on_price_over, g, pi);
                }
            }
    }
    return 0;
}

/* ---------------------------------------------------------------- construction */

asg *asg_new(sim *s, const scenario *sc, size_t index, tg *const *tgs, events_log *ev,
             asg_ec2_fn on_ec2, void *ctx, char *err, size_t errlen)
{
#define FAIL(...) do { if (err && errlen) snprintf(err, errlen, __VA_ARGS__); asg_free(g); return NULL; } while (0)
    asg *g = NULL;
    if (!s || !sc || index >= sc->n_asgs)
        FAIL("no such Auto Scaling group");
    const scn_asg *cfg = &sc->asgs[index];
    if (cfg->launch_template < 0 || (size_t)cfg->launch_template >= sc->n_launch_templates ||
        sc->launch_templates[cfg->launch_template].itype < 0 ||
        (size_t)sc->launch_templates[cfg->launch_template].itype >= sc->n_itypes)
        FAIL("aws_autoscaling_group \"%s\": bad launch template", cfg->name);
    if (cfg->min_size < 0 || cfg->max_size < cfg->min_size || cfg->desired_capacity < cfg->min_size ||
        cfg->desired_capacity > cfg->max_size)
        FAIL("aws_autoscaling_group \"%s\": needs 0 <= min_size <= desired_capacity <= max_size", cfg->name);
    g = calloc(1, sizeof *g);
    if (!g)
        FAIL("out of memory");
    g->s = s;
    g->sc = sc;
    g->cfg = cfg;
    g->index = index;
    g->ev = ev;
    g->on_ec2 = on_ec2;
    g->on_ec2_ctx = ctx;
    g->min = cfg->min_size;
    g->max = cfg->max_size;
    g->desired = cfg->desired_capacity;
    g->lt = cfg->launch_template;
    g->last_activity_end = -1;
    g->in_bytes = 1000;
    g->out_bytes = 10000;
    g->refresh.wait_until = -1;
    char name[SCN_STREAM_SIZE];
    snprintf(name, sizeof name, "asg.%s/boot", cfg->name);
    g->boot = sim_rng(s, name);
    snprintf(name, sizeof name, "asg.%s/terminate", cfg->name);
    g->term = sim_rng(s, name);
    snprintf(name, sizeof name, "asg.%s/api", cfg->name);
    g->api = sim_rng(s, name);
    snprintf(name, sizeof name, "asg.%s/boot-script", cfg->name);
    g->script = sim_rng(s, name);
    hist_reset(&g->boot_times);
    hist_reset(&g->spot_repl);
    make_arn(g);
    if (!g->boot || !g->term || !g->api || !g->script)
        FAIL("out of memory");
    g->n_zones = cfg->n_availability_zones ? cfg->n_availability_zones : 3;
    if (g->n_zones > 64)
        FAIL("aws_autoscaling_group \"%s\": more than 64 availability zones", cfg->name);
    g->zones = calloc(g->n_zones, sizeof *g->zones);
    g->zone_down = calloc(g->n_zones, sizeof *g->zone_down);
    g->zone_live = calloc(g->n_zones, sizeof *g->zone_live);
    g->tgs = calloc(cfg->n_target_groups + 1, sizeof *g->tgs);
    if (!g->zones || !g->zone_down || !g->zone_live || !g->tgs)
        FAIL("out of memory");
    for (size_t z = 0; z < g->n_zones; z++) {
        if (cfg->n_availability_zones)
            snprintf(g->zones[z], sizeof g->zones[z], "%s", cfg->availability_zones[z]);
        else
            snprintf(g->zones[z], sizeof g->zones[z], "%.30s%c", sc->region, (char)('a' + z));
    }
    for (size_t t = 0; t < cfg->n_target_groups; t++) {
        int ti = cfg->target_groups[t];
        if (ti < 0 || (size_t)ti >= sc->n_target_groups || !tgs || !tgs[ti])
            FAIL("aws_autoscaling_group \"%s\": bad target group index %d", cfg->name, ti);
        g->tgs[g->n_tgs++] = tgs[ti];
    }
    if (cfg->health_check_type == SCN_HC_ELB && cfg->health_check_sweep <= 0)
        FAIL("aws_autoscaling_group \"%s\": health_check_sweep must be > 0", cfg->name);
    g->mix = cfg->mix;
    const scn_launch_template *lt0 = &sc->launch_templates[g->lt];
    if (lt0->spot_market && !(cfg->mix && cfg->mix->policy)) {
        /* instance_market_options market_type spot (5.2): every instance Spot, the template's type. */
        if (!(g->own_mix = calloc(1, sizeof *g->own_mix)))
            FAIL("out of memory");
        if (cfg->mix)
            *g->own_mix = *cfg->mix;
        else
            ec2pool_cfg_default(&g->own_mix->spot);
        g->own_mix->policy = true;
        g->own_mix->od_base = g->own_mix->od_pct = 0;
        g->own_mix->spot_strategy = MIX_SPOT_LOWEST_PRICE;
        g->own_mix->spot_pools = 2;
        g->own_mix->spot_max_price = lt0->spot_max_price > 0 ? lt0->spot_max_price : -1;
        g->own_mix->overrides = NULL;
        g->own_mix->n_overrides = 0;
        g->own_mix->launch_retry = cfg->mix ? cfg->mix->launch_retry : SIM_MIN;
        g->mix = g->own_mix;
    }
    if (g->mix && make_pools(g) != 0)
        FAIL("aws_autoscaling_group \"%s\": out of memory or a bad override instance type", cfg->name);
    /* t = 0: the stack is deployed; AZ balancing places the instances (AWS-ASG 1.5), the policy picks markets and pools (1.8). */
    while (capacity(g) < g->desired) {
        int zbest;
        size_t o;
        bool failed;
        ec2_pool *p = choose(g, -1, next_market(g), NULL, &zbest, &o, false, &failed);
        if (zbest < 0) {
            /* no capacity at t = 0: the group's launches (and their failures) take over */
            g->reconcile_armed = true;
            sim_after(s, 0, on_reconcile, g, 0);
            break;
        }
        ainst *a = new_inst(g);
        if (!a)
            FAIL("out of memory");
        a->az = zbest;
        a->pool = p;
        a->offer = (int)o;
        a->weight = p ? g->offers[o].weight : 1;
        set_state(g, a, ST_PENDING);
        if (!make_ec2(g, a))
            FAIL("aws_autoscaling_group \"%s\": cannot create instance %s", cfg->name, a->id);
        /* Deployed before t = 0: not warming (only new launches warm up, AWS-ASG 1.6) and already
           healthy at its load balancers; the grace period still runs from t = 0. */
        a->deployed = true;
        enter_in_service(g, a);
    }
    g->counts.min_in_service = g->counts.max_in_service = count_state(g, ST_IN_SERVICE);
    if (cfg->health_check_type == SCN_HC_ELB)
        sim_after(s, cfg->health_check_sweep, on_sweep, g, 0);
    if (sim_error(s) != SIM_OK)
        FAIL("the kernel failed while building \"%s\"", cfg->name);
    return g;
#undef FAIL
}

void asg_free(asg *g)
{
    if (!g)
        return;
    for (size_t k = 0; k < g->n_insts; k++) {
        if (g->insts[k]->script)
            as_cancel(g->insts[k]->script);  /* a boot script still running at the end */
        ec2_free(g->insts[k]->ec2);
        free(g->insts[k]);
    }
    free(g->insts);
    for (size_t k = 0; g->pools && k < g->n_offers * g->n_zones * 2; k++)
        ec2pool_free(g->pools[k]);
    free(g->pools);
    free(g->offers);
    free(g->own_mix);
    for (size_t k = 0; k < g->n_hooks; k++) {
        free((char *)g->hooks[k].name);
        free((char *)g->hooks[k].metadata);
    }
    free(g->hooks);
    free(g->zones);
    free(g->zone_down);
    free(g->zone_live);
    free(g->tgs);
    free(g);
}

void asg_set_network_bytes(asg *g, double in_bytes, double out_bytes)
{
    g->in_bytes = in_bytes > 0 ? in_bytes : 1000;
    g->out_bytes = out_bytes > 0 ? out_bytes : 10000;
}

const hist *asg_boot_script_times(const asg *g) { return &g->boot_times; }
const hist *asg_spot_replacement_times(const asg *g) { return &g->spot_repl; }

asg_counts asg_get_counts(const asg *g) { return g->counts; }
size_t asg_n_instances(const asg *g) { return g->n_insts; }
const char *asg_instance_id(const asg *g, size_t k) { return k < g->n_insts ? g->insts[k]->id : NULL; }
const char *asg_instance_state(const asg *g, size_t k)
{
    return k < g->n_insts ? st_names[g->insts[k]->state] : NULL;
}
const char *asg_instance_az(const asg *g, size_t k) { return k < g->n_insts ? g->zones[g->insts[k]->az] : NULL; }
ec2_instance *asg_instance_ec2(const asg *g, size_t k) { return k < g->n_insts ? g->insts[k]->ec2 : NULL; }

void asg_set_protected(asg *g, size_t k, bool on)
{
    if (k >= g->n_insts)
        return;
    g->insts[k]->prot = on;
    if (!on)
        reconcile(g);
}

/* ---------------------------------------------------------------- asg.h */

const char *asg_name(const asg *g) { return g->cfg->name; }
const scn_asg *asg_config(const asg *g) { return g->cfg; }
int asg_min(const asg *g) { return g->min; }
int asg_max(const asg *g) { return g->max; }
int asg_desired(const asg *g) { return g->desired; }
int asg_capacity(const asg *g) { return capacity(g); }
int asg_in_service(const asg *g) { return count_state(g, ST_IN_SERVICE); }

int asg_warming(const asg *g, sim_time_t warmup)
{
    if (warmup <= 0)
        return 0;
    sim_time_t now = sim_now(g->s);
    int n = 0;
    for (size_t k = 0; k < g->n_insts; k++) {
        const ainst *a = g->insts[k];
        n += a->state == ST_IN_SERVICE && !a->deployed && now < a->in_service_at + warmup;
    }
    return n;
}

sim_time_t asg_default_warmup(const asg *g)
{
    return g->cfg->default_instance_warmup >= 0 ? g->cfg->default_instance_warmup : g->cfg->default_cooldown;
}

int asg_set_desired(asg *g, int desired, const char *cause)
{
    int d = desired < g->min ? g->min : desired > g->max ? g->max : desired;
    if (d != g->desired) {
        char from[16], to[16];
        snprintf(from, sizeof from, "%d", g->desired);
        snprintf(to, sizeof to, "%d", d);
        logf_(g, "scaling", g->cfg->name, from, to, "%s: desired %d -> %d%s", cause ? cause : "set_desired",
              g->desired, d, d != desired ? " (clamped to [min, max])" : "");
        g->desired = d;
    }
    reconcile(g);
    return g->desired;
}

void asg_set_limits(asg *g, int min, int max, int desired, const char *cause)
{
    int nmin = min >= 0 ? min : g->min, nmax = max >= 0 ? max : g->max;
    if (nmin > nmax) {
        logf_(g, "scaling", g->cfg->name, NULL, NULL, "%s: rejected: min %d > max %d", cause ? cause : "update",
              nmin, nmax);
        return;
    }
    int d = g->desired;
    if (desired >= 0) {
        d = desired;
    } else {
        /* AWS-ASG 1.1: UpdateAutoScalingGroup without DesiredCapacity drags desired into [min, max]. */
        if (nmin > d)
            d = nmin;
        if (nmax < d)
            d = nmax;
    }
    if (d < nmin)
        d = nmin;
    if (d > nmax)
        d = nmax;
    if (nmin != g->min || nmax != g->max)
        logf_(g, "scaling", g->cfg->name, NULL, NULL, "%s: min %d -> %d, max %d -> %d", cause ? cause : "update",
              g->min, nmin, g->max, nmax);
    g->min = nmin;
    g->max = nmax;
    asg_set_desired(g, d, cause);
}

bool asg_activity_in_progress(const asg *g) { return g->activities > 0; }

void asg_set_activity_listener(asg *g, void (*fn)(void *ctx, asg *g), void *ctx)
{
    g->act_fn = fn;
    g->act_ctx = ctx;
}

void asg_set_notify_listener(asg *g, void (*fn)(void *ctx, asg *g, unsigned what, const char *instance_id),
                             void *ctx)
{
    g->notify_fn = fn;
    g->notify_ctx = ctx;
}

/* ---------------------------------------------------------------- metrics */

/* Is a counted in the group's aggregated EC2 metrics over a period ending now (AWS-ASG 1.6)? */
static bool metric_member(const asg *g, const ainst *a, sim_time_t t1)
{
    if (a->state != ST_IN_SERVICE || !a->ec2 || !ec2_running(a->ec2))
        return false;
    sim_time_t w = g->cfg->default_instance_warmup > 0 ? g->cfg->default_instance_warmup : 0;
    return a->deployed || t1 >= a->in_service_at + w;
}

int asg_sample(asg *g, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    memset(out, 0, sizeof *out);
    switch (id) {
    case SCN_M_ASG_DESIRED:
    case SCN_M_ASG_IN_SERVICE: {
        double v = id == SCN_M_ASG_DESIRED ? g->desired : asg_in_service(g);
        out->count = 1;
        out->sum = out->min = out->max = v;
        return 0;
    }
    case SCN_M_EC2_CPU:
    case SCN_M_EC2_NETWORK_IN:
    case SCN_M_EC2_NETWORK_OUT:
        break;
    default:
        return -1;
    }
    for (size_t k = 0; k < g->n_insts; k++) {
        ainst *a = g->insts[k];
        if (!a->ec2)
            continue;
        sim_time_t from = ec2_launched(a->ec2) > t0 ? ec2_launched(a->ec2) : t0;
        double v;
        if (id == SCN_M_EC2_CPU) {
            int64_t b1 = ec2_busy_ns(a->ec2, t1);
            int64_t b0 = a->cpu_t == t0 ? a->cpu_busy : ec2_launched(a->ec2) >= t0 ? 0 : -1;
            bool known = b0 >= 0;
            a->cpu_t = t1;
            a->cpu_busy = b1;
            if (!metric_member(g, a, t1) || t1 <= from)
                continue;
            if (!known) /* no snapshot at t0: the average since launch */
                v = 100.0 * (double)b1 / ((double)ec2_vcpus(a->ec2) * (double)(t1 - ec2_launched(a->ec2)));
            else
                v = 100.0 * (double)(b1 - b0) / ((double)ec2_vcpus(a->ec2) * (double)(t1 - from));
        } else {
            uint64_t s1 = ec2_served(a->ec2);
            bool in = id == SCN_M_EC2_NETWORK_IN;
            sim_time_t *st = in ? &a->in_t : &a->out_t;
            uint64_t *sv = in ? &a->in_served : &a->out_served;
            uint64_t s0 = *st == t0 || ec2_launched(a->ec2) >= t0 ? (*st == t0 ? *sv : 0) : s1;
            *st = t1;
            *sv = s1;
            if (!metric_member(g, a, t1))
                continue;
            v = (double)(s1 - s0) * (in ? g->in_bytes : g->out_bytes);
        }
        cw_sample_add(out, v);
    }
    return 0;
}

/* ---------------------------------------------------------------- Spot and capacity (asg.h) */

/* An aws.ec2 event about instance a (5.2: the rebalance recommendation and the interruption warning). */
static void put_ec2(asg *g, const ainst *a, const char *detail_type, bool warning)
{
    if (!g->wb && !g->tap)
        return;
    char iarn[SCN_ID_SIZE + 96];
    snprintf(iarn, sizeof iarn, "arn:aws:ec2:%s:" ASG_ACCOUNT ":instance/%s", g->sc->region, a->id);
    aws_event ev;
    memset(&ev, 0, sizeof ev);
    ev.source = "aws.ec2";
    ev.detail_type = detail_type;
    ev.account = ASG_ACCOUNT;
    ev.region = g->sc->region;
    ev.time = sim_now(g->s);
    ev.resources[ev.n_resources++] = iarn;
    ev.detail[ev.n_detail++] = (aev_field){"instance-id", a->id};
    if (warning)
        ev.detail[ev.n_detail++] = (aev_field){"instance-action", "terminate"};
    if (g->tap)
        g->tap(g->tap_ctx, &ev);
    if (g->wb)
        wb_put_event(g->wb, &ev);
}

/* Capacity Rebalancing (1.8): a Spot replacement for old, launched first, away from old's pool when another has capacity; may exceed max_size. */
static void cr_launch(asg *g, ainst *old, const char *when)
{
    if (!g->cfg->capacity_rebalance || old->cr_new || !live(old) || old->state == ST_PENDING)
        return;
    char cause[SCN_ID_SIZE + 128];
    snprintf(cause, sizeof cause, "Capacity Rebalancing: replacing %s after its %s", old->id, when);
    ainst *n = launch_in(g, -1, EC2POOL_SPOT, old->pool, cause);
    if (!n)
        return;
    n->cr_old = old;
    n->signal_at = sim_now(g->s);
    old->cr_new = n;
    g->counts.rebalance_replacements++;
}

/* EC2 takes a back (5.2): requests it holds get 502 now, billing ends; the group terminates its record, the terminate hooks run but the instance is already gone (11.10), and launches a replacement at once unless Capacity Rebalancing has one under way. */
static void reclaim(asg *g, ainst *a)
{
    g->counts.interruptions++;
    a->reclaimed = true;
    a->notice_at = -1;
    logf_(g, "spot", a->id, st_names[a->state], "reclaimed", "%s: Spot interruption: EC2 reclaims the instance (%s in %s)",
          a->id, type_of(g, a)->name, g->zones[a->az]);
    if (a->ec2)
        ec2_terminate(a->ec2);
    if (!live(a)) {
        if (a->state == ST_TERMINATING_WAIT)
            logf_(g, "lifecycle", a->id, "Terminating:Wait", "Terminating:Wait",
                  "%s: the terminate lifecycle hook does not delay the Spot reclaim: the instance is gone", a->id);
        return;
    }
    a->lost = false;  /* the group learns of it from EC2: its terminate hooks run (11.10) */
    a->replace = false;
    terminate(g, a, "Spot interruption: EC2 reclaimed the instance");
    size_t before = g->n_insts;
    reconcile(g);
    for (size_t k = before; k < g->n_insts; k++)
        g->insts[k]->signal_at = sim_now(g->s);  /* the replacements of the reclaim */
}

/* The interruption's steps: arg 0 rebalance recommendation, 1 notice, 2 reclaim. */
static void on_spot(sim *s, void *obj, uint64_t arg)
{
    ainst *a = obj;
    asg *g = a->g;
    a->spot_ev = SIM_EVID_NONE;
    if (a->reclaimed || !a->ec2 || !ec2_running(a->ec2))
        return;
    sim_time_t now = sim_now(s);
    switch (arg) {
    case 0:
        g->counts.rebalance_recommendations++;
        logf_(g, "spot", a->id, NULL, "rebalance",
              "%s: EC2 instance rebalance recommendation (interruption notice at %.0f s)", a->id, sim_to_sec(a->notice_at));
        put_ec2(g, a, "EC2 Instance Rebalance Recommendation", false);
        cr_launch(g, a, "rebalance recommendation");
        a->spot_ev = sim_at(s, a->notice_at > now ? a->notice_at : now, on_spot, a, 1);
        break;
    case 1:
        logf_(g, "spot", a->id, NULL, "notice", "%s: Spot interruption notice: reclaim at %.0f s", a->id,
              sim_to_sec(now + SPOT_NOTICE));
        put_ec2(g, a, "EC2 Spot Instance Interruption Warning", true);
        /* No proactive replacement yet (the recommendation came with the notice): launch now (1.8). */
        cr_launch(g, a, "interruption notice");
        a->spot_ev = sim_after(s, SPOT_NOTICE, on_spot, a, 2);
        break;
    default:
        reclaim(g, a);
        break;
    }
}

/* Starts an interruption of a now: the recommendation now, the notice at now + before - 2 min, the reclaim at now + before. */
static int interrupt_now(asg *g, ainst *a, sim_time_t before, const char *cause)
{
    if (!is_spot(a) || !a->ec2 || !ec2_running(a->ec2) || a->interrupting || a->reclaimed)
        return -1;
    if (before < SPOT_NOTICE)
        before = SPOT_NOTICE;
    sim_cancel(g->s, a->spot_ev);
    a->interrupting = true;
    a->notice_at = sim_now(g->s) + before - SPOT_NOTICE;
    logf_(g, "spot", a->id, NULL, NULL, "%s: interruption in %.0f s (%s)", a->id, sim_to_sec(before),
          cause ? cause : "interrupted");
    a->spot_ev = SIM_EVID_NONE;
    on_spot(g->s, a, 0);
    return 0;
}

/* A reclaim wave scheduled in pool arg's law (5.2, issue 8: correlated reclaims). */
static void on_wave(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    asg *g = obj;
    ec2_pool *p = g->pools[arg];
    asg_spot_reclaim_wave(g, ec2pool_type(p)->name, ec2pool_az(p), ec2pool_wave_fraction(p), 0, "reclaim wave");
}

/* The pool's price rose above the group's maximum: every running instance in it is interrupted (5.2: "price above your max"). */
static void on_price_over(sim *s, void *obj, uint64_t arg)
{
    asg *g = obj;
    ec2_pool *p = g->pools[arg];
    for (size_t k = 0; k < g->n_insts; k++)
        if (g->insts[k]->pool == p)
            interrupt_now(g, g->insts[k], SPOT_NOTICE, "the Spot price rose above the maximum price");
    (void)s;
}

bool asg_instance_spot(const asg *g, size_t k) { return k < g->n_insts && is_spot(g->insts[k]); }
const char *asg_instance_type(const asg *g, size_t k) { return k < g->n_insts ? type_of(g, g->insts[k])->name : NULL; }
int asg_instance_weight(const asg *g, size_t k) { return k < g->n_insts ? g->insts[k]->weight : 0; }

int asg_spot_interrupt(asg *g, size_t k, sim_time_t before, const char *cause)
{
    return k < g->n_insts ? interrupt_now(g, g->insts[k], before, cause) : -1;
}

int asg_spot_reclaim_wave(asg *g, const char *itype, const char *az, double fraction, int min_count,
                          const char *cause)
{
    int hit = 0;
    size_t np = g->n_offers * g->n_zones * 2;
    for (size_t pi = 0; g->pools && pi < np; pi++) {
        ec2_pool *p = g->pools[pi];
        if (!p || ec2pool_get_market(p) != EC2POOL_SPOT || (itype && strcmp(itype, ec2pool_type(p)->name) != 0) ||
            (az && strcmp(az, ec2pool_az(p)) != 0))
            continue;
        size_t n = 0;
        ainst **c = malloc((g->n_insts + 1) * sizeof *c);
        if (!c) {
            sim_fail(g->s, SIM_ENOMEM);
            return hit;
        }
        for (size_t k = 0; k < g->n_insts; k++) {
            ainst *a = g->insts[k];
            if (a->pool == p && a->ec2 && ec2_running(a->ec2) && !a->interrupting && !a->reclaimed)
                c[n++] = a;
        }
        size_t take = (size_t)ceil(fraction * (double)n - 1e-9);
        if ((size_t)min_count > take)
            take = (size_t)min_count;
        if (take > n)
            take = n;
        if (take > 0)
            logf_(g, "spot", g->cfg->name, NULL, NULL, "%s: %zu of %zu Spot instances of %s in %s get the interruption "
                  "notice", cause ? cause : "reclaim wave", take, n, ec2pool_type(p)->name, ec2pool_az(p));
        /* A uniform pick from the pool's stream (partial Fisher-Yates). */
        for (size_t j = 0; j < take; j++) {
            size_t r = j + (size_t)(ec2pool_uniform(p) * (double)(n - j));
            if (r >= n)
                r = n - 1;
            ainst *t = c[r];
            c[r] = c[j];
            c[j] = t;
        }
        for (size_t j = 0; j < take; j++)
            hit += interrupt_now(g, c[j], SPOT_NOTICE, cause) == 0;
        free(c);
    }
    return hit;
}

static void on_window_end(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    reconcile(obj);  /* a pool that lacked capacity recovers (1.5) */
}

int asg_capacity_block(asg *g, const char *itype, const char *az, int market, int percentage, sim_time_t from,
                       sim_time_t to)
{
    if (percentage < 1 || percentage > 100 || to <= from)
        return -1;
    /* A group without a policy gets its On-Demand pools now (the FIS action applies to any group). */
    if (!g->pools && make_pools(g) != 0) {
        sim_fail(g->s, SIM_ENOMEM);
        return -1;
    }
    int n = 0;
    size_t np = g->n_offers * g->n_zones * 2;
    for (size_t pi = 0; g->pools && pi < np; pi++) {
        ec2_pool *p = g->pools[pi];
        if (!p || (market >= 0 && (int)ec2pool_get_market(p) != market) ||
            (itype && strcmp(itype, ec2pool_type(p)->name) != 0) || (az && strcmp(az, ec2pool_az(p)) != 0))
            continue;
        if (ec2pool_block(p, from, to, percentage) != 0)
            return -1;
        n++;
    }
    if (n > 0 && to > sim_now(g->s))
        sim_at(g->s, to, on_window_end, g, 0);
    return n;
}

asg_market_use asg_get_market_use(const asg *g, sim_time_t end)
{
    asg_market_use u = {0};
    for (size_t k = 0; k < g->n_insts; k++) {
        const ainst *a = g->insts[k];
        if (!a->ec2)
            continue;
        sim_time_t from = ec2_launched(a->ec2), to = ec2_terminated(a->ec2) < 0 ? end : ec2_terminated(a->ec2);
        double h = to > from ? sim_to_sec(to - from) / 3600.0 : 0;
        double usd = ec2_cost_usd(a->ec2, end);
        if (is_spot(a)) {
            u.spot_hours += h;
            u.spot_usd += usd;
            u.spot_od_equiv_usd += cost_ec2_usd(type_of(g, a)->hourly_usd, from, to);
        } else {
            u.od_hours += h;
            u.od_usd += usd;
        }
    }
    return u;
}
