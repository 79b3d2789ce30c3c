/*
 * fake_asg.h - a scripted Auto Scaling group for the control-plane unit
 * tests: it implements asg.h's functions over plain fields the test sets, so
 * policies and schedules can be tested without a world. Include it in exactly
 * one file per test program (it defines the asg_* symbols, and the linker
 * then never pulls the real asg.o from the library).
 */
#ifndef FLEETSIM_FAKE_ASG_H
#define FLEETSIM_FAKE_ASG_H

#include <stdio.h>
#include <string.h>

#include "models/autoscaling/asg.h"

struct asg {
    char name[32];
    scn_asg cfg;
    int min, max, desired;
    int capacity;        /* Pending + InService; set_desired moves it to desired unless hold_capacity */
    int in_service;      /* likewise */
    int warming;         /* asg_warming answers this for any warmup > 0 */
    int hold_capacity;   /* 1: set_desired leaves capacity/in_service alone (launches in progress) */
    int activity;        /* asg_activity_in_progress */
    int set_calls, limit_calls;
    char last_cause[512];
    void (*activity_fn)(void *ctx, asg *g);
    void *activity_ctx;
    void (*notify_fn)(void *ctx, asg *g, unsigned what, const char *instance_id);
    void *notify_ctx;
    int (*sample_fn)(asg *g, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out);
};

static inline void fake_asg_init(asg *g, const char *name, int min, int max, int desired)
{
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->cfg.name = g->name;
    g->cfg.min_size = min;
    g->cfg.max_size = max;
    g->cfg.desired_capacity = desired;
    g->cfg.default_cooldown = 300 * SIM_SEC;
    g->cfg.default_instance_warmup = -1;
    g->cfg.launch_template = 0;
    g->min = min;
    g->max = max;
    g->desired = g->capacity = g->in_service = desired;
}

const char *asg_name(const asg *g) { return g->name; }
const scn_asg *asg_config(const asg *g) { return &g->cfg; }
int asg_min(const asg *g) { return g->min; }
int asg_max(const asg *g) { return g->max; }
int asg_desired(const asg *g) { return g->desired; }
int asg_capacity(const asg *g) { return g->capacity; }
int asg_in_service(const asg *g) { return g->in_service; }
int asg_warming(const asg *g, sim_time_t warmup) { return warmup > 0 ? g->warming : 0; }

sim_time_t asg_default_warmup(const asg *g)
{
    return g->cfg.default_instance_warmup >= 0 ? g->cfg.default_instance_warmup : g->cfg.default_cooldown;
}

int asg_set_desired(asg *g, int desired, const char *cause)
{
    if (desired < g->min)
        desired = g->min;
    if (desired > g->max)
        desired = g->max;
    g->set_calls++;
    snprintf(g->last_cause, sizeof g->last_cause, "%s", cause ? cause : "");
    if (desired != g->desired) {
        g->desired = desired;
        if (!g->hold_capacity)
            g->capacity = g->in_service = desired;
        else
            g->activity = 1;
    }
    return g->desired;
}

void asg_set_limits(asg *g, int min, int max, int desired, const char *cause)
{
    g->limit_calls++;
    snprintf(g->last_cause, sizeof g->last_cause, "%s", cause ? cause : "");
    if (min >= 0)
        g->min = min;
    if (max >= 0)
        g->max = max;
    if (desired >= 0)
        g->desired = desired;
    if (g->desired < g->min)
        g->desired = g->min;
    if (g->desired > g->max)
        g->desired = g->max;
    g->capacity = g->in_service = g->desired;
}

bool asg_activity_in_progress(const asg *g) { return g->activity != 0; }

void asg_set_activity_listener(asg *g, void (*fn)(void *ctx, asg *g), void *ctx)
{
    g->activity_fn = fn;
    g->activity_ctx = ctx;
}

void asg_set_notify_listener(asg *g, void (*fn)(void *ctx, asg *g, unsigned what, const char *instance_id), void *ctx)
{
    g->notify_fn = fn;
    g->notify_ctx = ctx;
}

int asg_sample(asg *g, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    memset(out, 0, sizeof *out);
    return g->sample_fn ? g->sample_fn(g, id, t0, t1, out) : -1;
}

/* A scripted group runs no EC2 instances (control.c's CPU credit metrics read them). */
size_t asg_n_instances(const asg *g) { (void)g; return 0; }
ec2_instance *asg_instance_ec2(const asg *g, size_t k) { (void)g; (void)k; return NULL; }

/* Completes the group's activity: launches are InService, the listener hears it. */
static inline void fake_asg_finish(asg *g)
{
    g->activity = 0;
    g->capacity = g->in_service = g->desired;
    if (g->activity_fn)
        g->activity_fn(g->activity_ctx, g);
}

#endif /* FLEETSIM_FAKE_ASG_H */
