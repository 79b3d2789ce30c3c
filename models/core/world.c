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
#include "models/ec2/instance_type.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/elb/alb.h"
#include "models/autoscaling/asg.h"
#include "models/core/control.h"
#include "models/ec2/instance.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"
#include "models/faults/faults.h"
#include "models/workload/workload.h"

struct world {
    sim *s;
    const scenario *sc;
    sim_pool *pool;
    stats *st;
    tg **tgs;
    alb **lbs;
    wl **wls;
    ec2_instance **insts;     /* every EC2 instance, in the order it entered running */
    size_t n_tgs, n_lbs, n_wls, n_insts, cap_insts;
    size_t n_fixed;           /* insts[0 .. n_fixed) are aws_instance fleets, owned by the world */
    asg **asgs;
    size_t n_asgs;
    events_log *ev;
    control *ctl;
    faults *faults;
    int64_t *busy_prev;       /* each instance's busy integral at the last window boundary */
    double busy_warm;         /* fleet busy integral at report.warmup, vCPU-ns */
    sim_time_t win_start;
    world_instance_info *infos;
    cost_ledger ledger;
    int ran;
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

/* InService now: fixed-fleet instances still running plus every group's InService count (aws-semantics 1.2). */
static int in_service_now(const world *w)
{
    int n = 0;
    for (size_t k = 0; k < w->n_fixed; k++)
        n += ec2_running(w->insts[k]);
    for (size_t g = 0; g < w->n_asgs; g++)
        n += asg_in_service(w->asgs[g]);
    return n;
}

/* Closes the report window ending at now. */
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
    if (stats_window_close(w->st, now, cpu, in_service_now(w)) != 0)
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

/* asg.c's on_ec2 hook: a group's instance entered running; the world reports and bills it (the group owns it). */
static void on_group_ec2(void *ctx, ec2_instance *i)
{
    world *w = ctx;
    if (grow_insts(w) != 0) {
        sim_fail(w->s, SIM_ENOMEM);
        return;
    }
    w->busy_prev[w->n_insts] = ec2_busy_ns(i, sim_now(w->s));
    w->insts[w->n_insts++] = i;
}

static ec2_instance *add_instance(world *w, const char *resource, int n, const scn_itype *type,
                                  const char *az, char *err, size_t errlen)
{
    char id[SCN_ID_SIZE];
    if (snprintf(id, sizeof id, "i-%s-%d", resource, n) >= (int)sizeof id) {
        fail(err, errlen, "instance id \"i-%s-%d\" is longer than %zu characters", resource, n,
             sizeof id - 1);
        return NULL;
    }
    if ((int64_t)type->vcpus > INT64_MAX / w->sc->duration) {
        fail(err, errlen, "%s: %d vCPUs over the run's duration overflow the busy-time counter", id,
             type->vcpus);
        return NULL;
    }
    if (grow_insts(w) != 0)
        goto oom;
    ec2_instance *i = ec2_new(w->s, id, type, az);
    if (!i) {
        if (type->vcpus < 1 || !(type->speed > 0)) {
            fail(err, errlen, "%s: instance type %s needs vcpus >= 1 and speed > 0", id, type->name);
            return NULL;
        }
        goto oom;
    }
    w->busy_prev[w->n_insts] = 0;
    w->insts[w->n_insts++] = i;
    return i;
oom:
    fail(err, errlen, "out of memory building instance %s", id);
    return NULL;
}

static int build_fleets(world *w, char *err, size_t errlen)
{
    const scenario *sc = w->sc;
    for (size_t r = 0; r < sc->n_instances; r++) {
        const scn_instance *ri = &sc->instances[r];
        if (ri->itype < 0 || (size_t)ri->itype >= sc->n_itypes) {
            fail(err, errlen, "aws_instance \"%s\": bad instance type index %d", ri->name, ri->itype);
            return -1;
        }
        size_t first = w->n_insts;
        for (int n = 0; n < ri->count; n++)
            if (!add_instance(w, ri->name, n, &sc->itypes[ri->itype], ri->availability_zone, err, errlen))
                return -1;
        for (size_t a = 0; a < sc->n_attachments; a++) {
            const scn_attachment *at = &sc->attachments[a];
            if (at->instance != (int)r)
                continue;
            if (at->target_group < 0 || (size_t)at->target_group >= w->n_tgs) {
                fail(err, errlen, "attachment \"%s\": bad target group index %d", at->name, at->target_group);
                return -1;
            }
            for (size_t k = first; k < w->n_insts; k++)
                if (tg_register(w->tgs[at->target_group], w->insts[k]) < 0) {
                    fail(err, errlen, "out of memory registering targets");
                    return -1;
                }
        }
    }
    for (size_t a = 0; a < sc->n_attachments; a++) {
        int ri = sc->attachments[a].instance;
        if (ri < 0 || (size_t)ri >= sc->n_instances) {
            fail(err, errlen, "attachment \"%s\": bad instance index %d", sc->attachments[a].name, ri);
            return -1;
        }
    }
    return 0;
}

/* NetworkIn / NetworkOut bytes per request (aws-semantics 3.1): from the first workload whose load balancer forwards to one of the group's target groups. */
static void set_group_bytes(world *w, asg *g)
{
    const scenario *sc = w->sc;
    const scn_asg *cfg = asg_config(g);
    for (size_t k = 0; k < sc->n_workloads; k++) {
        const scn_workload *c = &sc->workloads[k];
        if (c->lb < 0 || (size_t)c->lb >= sc->n_lbs)
            continue;
        for (size_t t = 0; t < cfg->n_target_groups; t++)
            if (scn_lb_routes_to(sc, c->lb, cfg->target_groups[t])) {
                asg_set_network_bytes(g, (double)c->request_bytes, (double)c->response_bytes);
                return;
            }
    }
}

/* The listeners of load balancer k and their rules, in the ALB model. */
static int add_listeners(world *w, size_t k, char *err, size_t errlen)
{
    const scenario *sc = w->sc;
    for (size_t i = 0; i < sc->n_listeners; i++) {
        const scn_listener *l = &sc->listeners[i];
        if (l->lb != (int)k)
            continue;
        if (alb_add_listener(w->lbs[k], (int)i, &l->action, w->tgs, w->n_tgs) != 0) {
            fail(err, errlen, "aws_lb_listener \"%s\": bad target group or out of memory", l->name);
            return -1;
        }
        for (size_t j = 0; j < sc->n_listener_rules; j++)
            if (sc->listener_rules[j].listener == (int)i &&
                alb_add_rule(w->lbs[k], (int)i, &sc->listener_rules[j], w->tgs, w->n_tgs) != 0) {
                fail(err, errlen, "aws_lb_listener_rule \"%s\": bad target group or out of memory",
                     sc->listener_rules[j].name);
                return -1;
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
    cost_ledger_init(&w->ledger);
    cost_ledger_add(&w->ledger, "ec2", 0);
    cost_ledger_add(&w->ledger, "alb", 0);
    w->pool = sim_pool_new(s, sizeof(req));
    w->st = stats_new(sc->report.warmup, sc->duration);
    w->tgs = calloc(sc->n_target_groups + 1, sizeof *w->tgs);
    w->lbs = calloc(sc->n_lbs + 1, sizeof *w->lbs);
    w->wls = calloc(sc->n_workloads + 1, sizeof *w->wls);
    w->asgs = calloc(sc->n_asgs + 1, sizeof *w->asgs);
    w->ev = events_new();
    if (!w->pool || !w->st || !w->tgs || !w->lbs || !w->wls || !w->asgs || !w->ev) {
        fail(err, errlen, "out of memory");
        goto bad;
    }
    for (; w->n_tgs < sc->n_target_groups; w->n_tgs++) {
        const scn_target_group *g = &sc->target_groups[w->n_tgs];
        /* Groups an Auto Scaling group uses get the AWS model (health checks, draining, slow
         * start); groups serving only aws_instance fleets stay legacy (healthy for good, no
         * checks, no slow start). tg_new_cfg + tg_register_healthy would change fixed-fleet
         * runs: an overloaded target would fail its checks (queued wait >= timeout) and leave
         * routing, and with slow_start set every target after the first would start in slow
         * start at weight 0. */
        bool used = false;
        for (size_t a = 0; a < sc->n_asgs && !used; a++)
            for (size_t t = 0; t < sc->asgs[a].n_target_groups; t++)
                used = used || sc->asgs[a].target_groups[t] == (int)w->n_tgs;
        if (!(w->tgs[w->n_tgs] = used ? tg_new_cfg(s, g) : tg_new(g->name, g->algorithm))) {
            fail(err, errlen, "target group \"%s\": bad health check or out of memory", g->name);
            goto bad;
        }
    }
    if (build_fleets(w, err, errlen) != 0)
        goto bad;
    w->n_fixed = w->n_insts;
    for (; w->n_lbs < sc->n_lbs; w->n_lbs++) {
        const scn_lb *l = &sc->lbs[w->n_lbs];
        if (l->target_group < -1 || l->target_group >= (int)w->n_tgs || l->idle_timeout <= 0) {
            fail(err, errlen, "aws_lb \"%s\": bad target group index %d or idle_timeout", l->name,
                 l->target_group);
            goto bad;
        }
        if (!(w->lbs[w->n_lbs] = alb_new(s, l->name, l->target_group >= 0 ? w->tgs[l->target_group] : NULL,
                                         l->idle_timeout)) ||
            add_listeners(w, w->n_lbs, err, errlen) != 0) {
            fail(err, errlen, "aws_lb \"%s\": out of memory, name too long or a bad listener", l->name);
            goto bad;
        }
    }
    if (!(w->faults = faults_new(s, sc, w->ev, err, errlen)))
        goto bad;
    for (; w->n_asgs < sc->n_asgs; w->n_asgs++) {
        asg *g = asg_new(s, sc, w->n_asgs, w->tgs, w->ev, on_group_ec2, w, err, errlen);
        if (!g)
            goto bad;
        w->asgs[w->n_asgs] = g;
        /* Right after asg_new, where the group used to schedule its own faults: same tie order. */
        if (faults_add_group(w->faults, g, w->n_asgs, err, errlen) != 0) {
            asg_free(g);
            goto bad;
        }
        set_group_bytes(w, g);
    }
    for (; w->n_wls < sc->n_workloads; w->n_wls++) {
        const scn_workload *c = &sc->workloads[w->n_wls];
        if (c->lb < 0 || (size_t)c->lb >= w->n_lbs) {
            fail(err, errlen, "workload \"%s\": bad target index %d", c->name, c->lb);
            goto bad;
        }
        if (!(w->wls[w->n_wls] = wl_new(s, c, w->lbs[c->lb], w->pool, w->st, sc->duration))) {
            fail(err, errlen, "workload \"%s\": bad arrivals or out of memory", c->name);
            goto bad;
        }
    }
    if (!(w->ctl = control_new(s, sc, w->asgs, w->lbs, w->ev, err, errlen))) {
        if (err && errlen && !err[0])
            fail(err, errlen, "control plane: out of memory");
        goto bad;
    }
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
    int rc = sim_run_until(w->s, sc->duration);
    sim_time_t end = sc->duration;
    close_window(w, end);

    double avail = 0;
    sim_time_t from = sc->report.warmup < end ? sc->report.warmup : end;
    for (size_t k = 0; k < w->n_insts; k++)
        avail += (double)available_ns(w->insts[k], from, end);
    double busy = fleet_busy(w, end) - (sc->report.warmup > 0 ? w->busy_warm : 0);
    stats_finish(w->st, avail > 0 ? busy / avail : 0);

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
        f->launched = ec2_launched(i);
        f->terminated = ec2_terminated(i);
        f->busy_seconds = sim_to_sec(ec2_busy_ns(i, end));
        int64_t av = available_ns(i, 0, end);
        f->cpu_utilisation = av > 0 ? (double)ec2_busy_ns(i, end) / (double)av : 0;
        f->served = ec2_served(i);
        /* AWS-EC2-BILLING: from entering running (launch: pending is free, fixed fleets run at t = 0) to termination or the end. */
        f->cost_usd = cost_ec2_usd(ec2_type(i)->hourly_usd, f->launched, f->terminated < 0 ? end : f->terminated);
        cost_ledger_add(&w->ledger, "ec2", f->cost_usd);
    }
    for (size_t k = 0; k < w->n_lbs; k++)
        cost_ledger_add(&w->ledger, "alb", cost_alb_usd(itype_services_for(w->sc->region)->alb_hour, 0, end));
    cost_ledger_add(&w->ledger, "cloudwatch", control_cost(w->ctl, "cloudwatch"));
    cost_ledger_add(&w->ledger, "sns", control_cost(w->ctl, "sns"));
    w->ran = 1;
    return rc;
}

void world_free(world *w)
{
    if (!w)
        return;
    control_free(w->ctl);
    faults_free(w->faults);
    for (size_t k = 0; k < w->n_wls; k++)
        wl_free(w->wls[k]);
    for (size_t k = 0; k < w->n_lbs; k++)
        alb_free(w->lbs[k]);
    for (size_t k = 0; k < w->n_tgs; k++)
        tg_free(w->tgs[k]);
    for (size_t k = 0; k < w->n_fixed; k++)
        ec2_free(w->insts[k]);
    for (size_t k = 0; k < w->n_asgs; k++)
        asg_free(w->asgs[k]);
    free(w->asgs);
    events_free(w->ev);
    free(w->wls);
    free(w->lbs);
    free(w->tgs);
    free(w->insts);
    free(w->busy_prev);
    free(w->infos);
    stats_free(w->st);
    free(w);
}

const scenario *world_scenario(const world *w) { return w->sc; }
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
int world_has_run(const world *w) { return w->ran; }
size_t world_pool_capacity(const world *w) { return sim_pool_capacity(w->pool); }

events_log *world_events(const world *w) { return w->ev; }
size_t world_n_asgs(const world *w) { return w->n_asgs; }
asg *world_asg(const world *w, size_t i) { return i < w->n_asgs ? w->asgs[i] : NULL; }
