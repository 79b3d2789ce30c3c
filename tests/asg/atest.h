/*
 * atest.h - tiny hand-built Auto Scaling scenarios for the timeline tests:
 * one instance type (1 vCPU), launch template "lt" (boot phases 6 + 20 + 10 s),
 * target group "web" (30 s checks, healthy 2 / unhealthy 2, delay 300 s),
 * ALB "front", group "web" over zones us-west-2a/b/c, no workload unless
 * asked, faults/operations added by at_fault. Every field is set explicitly
 * (the tests never rely on the loader's defaults).
 */
#ifndef FLEETSIM_ATEST_H
#define FLEETSIM_ATEST_H

#include <stdio.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/core/scenario.h"
#include "models/core/world.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct atest {
    scenario sc;
    scn_itype it;
    scn_launch_template lt[2];
    scn_target_group tg;
    scn_lb lb;
    scn_asg g;
    char zones[3][32];
    int tgi[1];
    scn_workload wl;
    scn_fault faults[8];
} atest;

static inline sim_dist at_const(double v) { return (sim_dist){.kind = SIM_DIST_CONSTANT, .a = v}; }

static inline void at_init(atest *a, double duration_s, int min, int desired, int max)
{
    memset(a, 0, sizeof *a);
    snprintf(a->it.name, sizeof a->it.name, "c5.large");
    a->it.vcpus = 1;
    a->it.speed = 1.0;
    a->it.hourly_usd = 0.36; /* 0.0001 USD per second */
    for (int k = 0; k < 2; k++) {
        a->lt[k].name = (char *)(k ? "lt2" : "lt");
        a->lt[k].itype = 0;
        a->lt[k].boot_time = at_const(36);
        a->lt[k].pending_time = at_const(6);
        a->lt[k].os_boot_time = at_const(20);
        a->lt[k].app_start_time = at_const(10);
    }
    a->tg.name = (char *)"web";
    a->tg.algorithm = SCN_ALG_ROUND_ROBIN;
    a->tg.deregistration_delay = 300 * SIM_SEC;
    a->tg.health_check.interval = 30 * SIM_SEC;
    a->tg.health_check.timeout = 5 * SIM_SEC;
    a->tg.health_check.healthy_threshold = 2;
    a->tg.health_check.unhealthy_threshold = 2;
    a->tg.port = 80;
    a->lb.name = (char *)"front";
    a->lb.target_group = 0;
    a->lb.idle_timeout = 4000 * SIM_SEC;
    for (int z = 0; z < 3; z++)
        snprintf(a->zones[z], sizeof a->zones[z], "us-west-2%c", 'a' + z);
    a->tgi[0] = 0;
    scn_asg *g = &a->g;
    g->name = (char *)"web";
    g->launch_template = 0;
    g->min_size = min;
    g->desired_capacity = desired;
    g->max_size = max;
    g->availability_zones = a->zones;
    g->n_availability_zones = 3;
    g->target_groups = a->tgi;
    g->n_target_groups = 1;
    g->health_check_type = SCN_HC_EC2;
    g->health_check_grace_period = 0;
    g->default_cooldown = 300 * SIM_SEC;
    g->default_instance_warmup = -1;
    g->termination_policies[0] = SCN_TP_DEFAULT;
    g->n_termination_policies = 1;
    g->protect_from_scale_in = 0;
    g->health_check_sweep = 60 * SIM_SEC;
    g->impaired_wait = 180 * SIM_SEC;
    scenario *s = &a->sc;
    s->file = (char *)"<asg-test>";
    s->name = (char *)"asg-test";
    s->seed = 1;
    s->duration = sim_from_sec(duration_s);
    snprintf(s->region, sizeof s->region, "us-west-2");
    s->itypes = &a->it;
    s->n_itypes = 1;
    s->launch_templates = a->lt;
    s->n_launch_templates = 2;
    s->target_groups = &a->tg;
    s->n_target_groups = 1;
    s->lbs = &a->lb;
    s->n_lbs = 1;
    s->asgs = &a->g;
    s->n_asgs = 1;
    s->workloads = &a->wl;
    s->report.window = 60 * SIM_SEC;
    s->start_epoch = 1767571200; /* 2026-01-05T00:00:00Z */
    s->cw_publication_delay = 60 * SIM_SEC;
    s->faults = a->faults;
}

/* A Poisson workload at rps with a constant service time (seconds). */
static inline void at_workload(atest *a, double rps, double service_s)
{
    a->wl.name = (char *)"users";
    a->wl.lb = 0;
    a->wl.kind = SCN_ARR_POISSON;
    a->wl.rps = rps;
    a->wl.service_time = at_const(service_s);
    a->wl.timeout = 0;
    a->wl.request_bytes = 1000;
    a->wl.response_bytes = 10000;
    a->sc.n_workloads = 1;
}

/* Appends a fault/operation of kind at t seconds (fields the kind needs set by the caller on the result). */
static inline scn_fault *at_fault(atest *a, scn_fault_kind kind, double t_s)
{
    scn_fault *f = &a->faults[a->sc.n_faults++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->at = sim_from_sec(t_s);
    f->asg = 0;
    f->count = 1;
    f->launch_template = -1;
    f->min_healthy_percentage = 90;
    f->instance_warmup = -1;
    return f;
}

/* Builds the world (not run); NULL with a diagnostic on failure. */
static inline world *at_world(const atest *a, uint64_t seed)
{
    char err[256];
    sim *s = sim_new(seed, 0);
    if (!s)
        return NULL;
    world *w = world_new(s, &a->sc, err, sizeof err);
    if (!w) {
        printf("# world_new: %s\n", err);
        sim_free(s);
    }
    return w;
}

static inline void at_free(world *w)
{
    if (!w)
        return;
    sim *s = world_sim(w);
    world_free(w);
    sim_free(s);
}

static inline void at_run_to(world *w, double t_s) { sim_run_until(world_sim(w), sim_from_sec(t_s)); }

/* The k-th (0-based) event matching type/resource/to (NULL = any), or NULL. */
static inline const events_entry *at_find(world *w, const char *type, const char *res, const char *to, int k)
{
    size_t pos = 0;
    const events_entry *e = NULL;
    for (int i = 0; i <= k; i++)
        if (!(e = events_find(world_events(w), &pos, type, res, to)))
            return NULL;
    return e;
}

/* Events whose message contains needle. */
static inline int at_count_msg(world *w, const char *type, const char *needle)
{
    int n = 0;
    const events_log *ev = world_events(w);
    for (size_t i = 0; i < events_count(ev); i++) {
        const events_entry *e = events_at(ev, i);
        if ((!type || strcmp(e->type, type) == 0) && strstr(e->message, needle))
            n++;
    }
    return n;
}

/* The time (s) of an event, -1 if absent. */
static inline double at_t(const events_entry *e) { return e ? sim_to_sec(e->t) : -1; }

/* The zone of group instance k ("" if there is none). */
static inline const char *at_zone(world *w, size_t k)
{
    const char *z = asg_instance_az(world_asg(w, 0), k);
    return z ? z : "";
}

/* Prints the events log as TAP diagnostics. */
static inline void at_dump(world *w)
{
    const events_log *ev = world_events(w);
    for (size_t i = 0; i < events_count(ev); i++) {
        const events_entry *e = events_at(ev, i);
        printf("#   %9.3f %-9s %-12s %-11s -> %-11s %s\n", sim_to_sec(e->t), e->type, e->resource, e->from, e->to,
               e->message);
    }
}

#endif /* FLEETSIM_ATEST_H */
