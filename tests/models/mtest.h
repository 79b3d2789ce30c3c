/*
 * mtest.h - scenarios built as structs for the model tests: one ALB in front
 * of one target group, aws_instance resources attached to it, one workload.
 * Everything lives inside one mscn value (no heap), so a test can build
 * several and run them in threads.
 */
#ifndef FLEETSIM_MTEST_H
#define FLEETSIM_MTEST_H

#include <stdio.h>
#include <string.h>

#include "models/core/scenario.h"
#include "models/core/world.h"
#include "sim/sim.h"

#define MT_MAX 8

typedef struct mscn {
    scenario sc;
    scn_itype itypes[MT_MAX];
    scn_instance inst[MT_MAX];
    scn_attachment att[MT_MAX];
    scn_target_group tg;
    scn_lb lb;
    scn_workload wl;
    scn_rate_point pts[MT_MAX];
    char inst_names[MT_MAX][16];
} mscn;

/* A scenario of duration_s seconds: ALB "front" (idle timeout 60 s) -> target group "web" (algorithm alg), no instance, no workload yet. */
static inline void mscn_init(mscn *m, double duration_s, scn_lb_algorithm alg)
{
    memset(m, 0, sizeof *m);
    m->tg.name = (char *)"web";
    m->tg.algorithm = alg;
    m->tg.deregistration_delay = 300 * SIM_SEC;
    m->tg.health_check.interval = 30 * SIM_SEC;
    m->tg.health_check.timeout = 5 * SIM_SEC;
    m->tg.health_check.healthy_threshold = 5;
    m->tg.health_check.unhealthy_threshold = 2;
    m->tg.port = 80;
    m->lb.name = (char *)"front";
    m->lb.target_group = 0;
    m->lb.idle_timeout = 60 * SIM_SEC;
    m->wl.name = (char *)"users";
    m->wl.lb = 0;
    scenario *s = &m->sc;
    s->file = (char *)"<test>";
    s->name = (char *)"model-test";
    s->seed = 1;
    s->duration = sim_from_sec(duration_s);
    snprintf(s->region, sizeof s->region, "us-west-2");
    s->itypes = m->itypes;
    s->instances = m->inst;
    s->target_groups = &m->tg;
    s->n_target_groups = 1;
    s->attachments = m->att;
    s->lbs = &m->lb;
    s->n_lbs = 1;
    s->workloads = &m->wl;
    s->report.window = 60 * SIM_SEC;
}

/* Adds an aws_instance resource of `count` copies of a type with vcpus and speed (0.085 USD/h), attached to the target group unless detached. */
static inline void mscn_add(mscn *m, int count, int vcpus, double speed, int attach)
{
    size_t k = m->sc.n_instances;
    snprintf(m->itypes[k].name, sizeof m->itypes[k].name, "t%zu.test", k);
    m->itypes[k].vcpus = vcpus;
    m->itypes[k].speed = speed;
    m->itypes[k].hourly_usd = 0.085;
    snprintf(m->inst_names[k], sizeof m->inst_names[k], "web%zu", k);
    m->inst[k].name = m->inst_names[k];
    m->inst[k].itype = (int)k;
    m->inst[k].count = count;
    snprintf(m->inst[k].availability_zone, sizeof m->inst[k].availability_zone, "us-west-2a");
    m->sc.n_itypes = m->sc.n_instances = k + 1;
    if (attach) {
        size_t a = m->sc.n_attachments++;
        m->att[a].name = m->inst_names[k];
        m->att[a].target_group = 0;
        m->att[a].instance = (int)k;
    }
}

/* The workload: Poisson at rps with the given service-time distribution. */
static inline void mscn_poisson(mscn *m, double rps, sim_dist service)
{
    m->wl.kind = SCN_ARR_POISSON;
    m->wl.rps = rps;
    m->wl.service_time = service;
    m->sc.n_workloads = 1;
}

/* The workload: Poisson at rps during [0, stop_s), then nothing (so every request can finish before the end). */
static inline void mscn_burst(mscn *m, double rps, double stop_s, sim_dist service)
{
    m->wl.kind = SCN_ARR_PIECEWISE;
    m->pts[0] = (scn_rate_point){0, rps};
    m->pts[1] = (scn_rate_point){sim_from_sec(stop_s), rps};
    m->pts[2] = (scn_rate_point){sim_from_sec(stop_s) + 1, 0};
    m->wl.points = m->pts;
    m->wl.n_points = 3;
    m->wl.service_time = service;
    m->sc.n_workloads = 1;
}

static inline sim_dist mt_const(double v) { return (sim_dist){.kind = SIM_DIST_CONSTANT, .a = v}; }
static inline sim_dist mt_exp(double mean) { return (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = mean}; }

/* Builds and runs m with seed (replication 0); NULL if world_new or world_run failed (message printed). Free with mt_free. */
static inline world *mt_run(const mscn *m, uint64_t seed)
{
    char err[256];
    sim *s = sim_new(seed, 0);
    if (!s)
        return NULL;
    world *w = world_new(s, &m->sc, err, sizeof err);
    if (!w) {
        printf("# world_new: %s\n", err);
        sim_free(s);
        return NULL;
    }
    int rc = world_run(w);
    if (rc != 0) {
        printf("# world_run: %d\n", rc);
        world_free(w);
        sim_free(s);
        return NULL;
    }
    return w;
}

static inline void mt_free(world *w)
{
    if (!w)
        return;
    sim *s = world_sim(w);
    world_free(w);
    sim_free(s);
}

#endif /* FLEETSIM_MTEST_H */
