/*
 * mmk.h - the queueing scenario the validation tests and bench_web share:
 * `count` aws_instance targets of a custom type with `vcpus` vCPUs of speed
 * 1.0 (free), attached to one target group behind one aws_lb, fed by one
 * Poisson workload. The ALB's idle timeout is at its maximum (4000 s), far
 * above any response time these queues produce, so it never fires.
 *
 * Names are parameters because random streams are named after resources
 * ("workload.<name>/arrivals"): a caller that keeps its names keeps its draws.
 */
#ifndef FLEETSIM_TESTS_MMK_H
#define FLEETSIM_TESTS_MMK_H

#include <stdio.h>
#include <string.h>

#include "models/core/scenario.h"
#include "sim/sim.h"

typedef struct mmk_params {
    const char *file, *name;          /* scenario file label and name */
    const char *itype, *instance, *tg, *attachment, *lb, *workload; /* resource names */
    int count;                        /* instances */
    int vcpus;                        /* per instance */
    scn_lb_algorithm algorithm;
    double lambda;                    /* arrivals per second */
    sim_dist service;                 /* seconds on one vCPU of speed 1.0 */
    uint64_t seed;
    sim_time_t duration, warmup, window;
} mmk_params;

typedef struct mmk_scn {
    scenario sc;
    scn_itype itype;
    scn_instance inst;
    scn_target_group tg;
    scn_attachment att;
    scn_lb lb;
    scn_workload wl;
    char file[32], name[64], inst_name[32], tg_name[32], att_name[32], lb_name[32], wl_name[32];
} mmk_scn;

/* Fills v (which owns every string the scenario points at) from p. */
static inline void mmk_build(mmk_scn *v, const mmk_params *p)
{
    memset(v, 0, sizeof *v);
    snprintf(v->file, sizeof v->file, "%s", p->file);
    snprintf(v->name, sizeof v->name, "%s", p->name);
    snprintf(v->inst_name, sizeof v->inst_name, "%s", p->instance);
    snprintf(v->tg_name, sizeof v->tg_name, "%s", p->tg);
    snprintf(v->att_name, sizeof v->att_name, "%s", p->attachment);
    snprintf(v->lb_name, sizeof v->lb_name, "%s", p->lb);
    snprintf(v->wl_name, sizeof v->wl_name, "%s", p->workload);

    snprintf(v->itype.name, sizeof v->itype.name, "%s", p->itype);
    v->itype.vcpus = p->vcpus;
    v->itype.speed = 1.0;
    v->itype.hourly_usd = 0.0;

    v->inst.name = v->inst_name;
    v->inst.loc = (scn_loc){1, 1};
    v->inst.itype = 0;
    v->inst.count = p->count;
    snprintf(v->inst.availability_zone, sizeof v->inst.availability_zone, "us-west-2a");

    /* the target group with AWS's defaults */
    v->tg.name = v->tg_name;
    v->tg.loc = (scn_loc){1, 1};
    v->tg.algorithm = p->algorithm;
    v->tg.deregistration_delay = 300 * SIM_SEC;
    v->tg.slow_start = 0;
    v->tg.health_check.interval = 30 * SIM_SEC;
    v->tg.health_check.timeout = 5 * SIM_SEC;
    v->tg.health_check.healthy_threshold = 5;
    v->tg.health_check.unhealthy_threshold = 2;
    snprintf(v->tg.health_check.path, sizeof v->tg.health_check.path, "/");
    snprintf(v->tg.health_check.matcher, sizeof v->tg.health_check.matcher, "200");
    v->tg.port = 80;

    v->att.name = v->att_name;
    v->att.loc = (scn_loc){1, 1};
    v->att.target_group = 0;
    v->att.instance = 0;

    v->lb.name = v->lb_name;
    v->lb.loc = (scn_loc){1, 1};
    v->lb.target_group = 0;
    v->lb.idle_timeout = 4000 * SIM_SEC;

    v->wl.name = v->wl_name;
    v->wl.loc = (scn_loc){1, 1};
    v->wl.lb = 0;
    v->wl.kind = SCN_ARR_POISSON;
    v->wl.rps = p->lambda;
    v->wl.service_time = p->service;
    v->wl.timeout = 0;
    v->wl.request_bytes = 1000;
    v->wl.response_bytes = 10000;

    scenario *s = &v->sc;
    s->file = v->file;
    s->name = v->name;
    s->seed = p->seed;
    s->duration = p->duration;
    snprintf(s->region, sizeof s->region, "us-west-2");
    s->itypes = &v->itype;
    s->n_itypes = 1;
    s->instances = &v->inst;
    s->n_instances = 1;
    s->target_groups = &v->tg;
    s->n_target_groups = 1;
    s->attachments = &v->att;
    s->n_attachments = 1;
    s->lbs = &v->lb;
    s->n_lbs = 1;
    s->workloads = &v->wl;
    s->n_workloads = 1;
    s->report.window = p->window;
    s->report.warmup = p->warmup;
    s->report.slo_p99 = 0;
    s->start_epoch = 1767571200; /* 2026-01-05T00:00:00Z, the loader's default */
    s->cw_publication_delay = 60 * SIM_SEC;
}

#endif /* FLEETSIM_TESTS_MMK_H */
