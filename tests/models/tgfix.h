/*
 * tgfix.h - the fixture test_health.c and test_drain.c share: one kernel, a
 * target group "web" with health checks (interval 30 s, timeout 5 s,
 * thresholds 5/2, deregistration delay 300 s), an ALB in front of it, up to
 * FX_MAX one-vCPU instances, and a client that logs every answer and every
 * target health change. Built directly on the model APIs (no world).
 */
#ifndef FLEETSIM_TESTS_TGFIX_H
#define FLEETSIM_TESTS_TGFIX_H

#include <stdlib.h>
#include <string.h>

#include "models/elb/alb.h"
#include "models/ec2/instance.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"


#define FX_MAX 4
#define FX_LOG 200000

typedef struct hlog {
    sim_time_t at;
    ec2_instance *inst;
    tg_state from, to;
} hlog;

typedef struct fx {
    req_client port;           /* first: respond() gets the fx back */
    sim *s;
    sim_pool *pool;
    scn_itype type;
    scn_target_group cfg;
    tg *g;
    alb *lb;
    ec2_instance *inst[FX_MAX];
    uint64_t got[STATS_N_CAUSES];
    uint64_t by_target[FX_MAX];    /* answered requests by target slot */
    /* responses, in order: dispatch time (answer time for 503), cause, target slot */
    sim_time_t *r_at;
    int *r_target;
    stats_cause *r_cause;
    size_t n_resp;
    hlog h[256];
    size_t n_h;
    double demand;                 /* of the requests fx_send_now makes */
    sim_time_t every, stop;        /* periodic traffic */
} fx;

static inline void fx_respond(req_client *c, req *r, stats_cause cause)
{
    fx *f = (fx *)c;
    f->got[cause]++;
    if (r->target >= 0 && r->target < FX_MAX && cause != STATS_503_NO_TARGET)
        f->by_target[r->target]++;
    if (f->n_resp < FX_LOG) {
        f->r_at[f->n_resp] = r->dispatched >= 0 ? r->dispatched : sim_now(f->s);
        f->r_target[f->n_resp] = r->target;
        f->r_cause[f->n_resp] = cause;
        f->n_resp++;
    }
    req_release(r, REQ_CLIENT_DONE);
}

static inline void fx_listener(void *ctx, tg *g, ec2_instance *i, tg_state from, tg_state to)
{
    (void)g;
    fx *f = ctx;
    if (f->n_h < sizeof f->h / sizeof f->h[0])
        f->h[f->n_h++] = (hlog){sim_now(f->s), i, from, to};
}

/* A kernel, a group "web" (interval 30 s, timeout 5 s, thresholds 5/2, delay 300 s), an ALB with idle timeout 4000 s, n one-vCPU instances (not registered). */
static inline void fx_init(fx *f, scn_lb_algorithm alg, int n, uint64_t seed)
{
    memset(f, 0, sizeof *f);
    f->port.respond = fx_respond;
    f->s = sim_new(seed, 0);
    f->pool = sim_pool_new(f->s, sizeof(req));
    snprintf(f->type.name, sizeof f->type.name, "x.test");
    f->type.vcpus = 1;
    f->type.speed = 1.0;
    f->type.hourly_usd = 0.1;
    f->cfg.name = (char *)"web";
    f->cfg.algorithm = alg;
    f->cfg.deregistration_delay = 300 * SIM_SEC;
    f->cfg.health_check.interval = 30 * SIM_SEC;
    f->cfg.health_check.timeout = 5 * SIM_SEC;
    f->cfg.health_check.healthy_threshold = 5;
    f->cfg.health_check.unhealthy_threshold = 2;
    f->cfg.port = 80;
    f->r_at = calloc(FX_LOG, sizeof *f->r_at);
    f->r_target = calloc(FX_LOG, sizeof *f->r_target);
    f->r_cause = calloc(FX_LOG, sizeof *f->r_cause);
    for (int k = 0; k < n; k++) {
        char id[16];
        snprintf(id, sizeof id, "i-web-%d", k);
        f->inst[k] = ec2_new(f->s, id, &f->type, "us-west-2a");
    }
    f->demand = 0.001;
}

/* Builds the group and the ALB from f->cfg (call after changing it). */
static inline void fx_build(fx *f)
{
    f->g = tg_new_cfg(f->s, &f->cfg);
    tg_set_health_listener(f->g, fx_listener, f);
    f->lb = alb_new(f->s, "front", f->g, 4000 * SIM_SEC);
}

static inline void fx_free(fx *f)
{
    alb_free(f->lb);
    tg_free(f->g);
    for (int k = 0; k < FX_MAX; k++)
        ec2_free(f->inst[k]);
    free(f->r_at);
    free(f->r_target);
    free(f->r_cause);
    sim_free(f->s);
}

/* One request of f->demand seconds, now. */
static inline void fx_send_now(fx *f)
{
    req *r = sim_pool_get(f->pool);
    memset(r, 0, sizeof *r);
    r->arrival = sim_now(f->s);
    r->dispatched = -1;
    r->demand = f->demand;
    r->client = &f->port;
    r->pool = f->pool;
    r->target = -1;
    alb_submit(f->lb, r);
}

static inline void on_tick(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fx *f = obj;
    fx_send_now(f);
    if (sim_now(s) + f->every < f->stop)
        sim_after(s, f->every, on_tick, f, 0);
}

/* Periodic traffic: one request every `every` from `from` until before `stop`. */
static inline void fx_traffic(fx *f, sim_time_t from, sim_time_t every, sim_time_t stop)
{
    f->every = every;
    f->stop = stop;
    sim_at(f->s, from, on_tick, f, 0);
}

/* The time of the first transition of i to `to` at or after `from` (-1 if none). */
static inline sim_time_t fx_when(const fx *f, const ec2_instance *i, tg_state to, sim_time_t from)
{
    for (size_t k = 0; k < f->n_h; k++)
        if (f->h[k].inst == i && f->h[k].to == to && f->h[k].at >= from)
            return f->h[k].at;
    return -1;
}

#endif /* FLEETSIM_TESTS_TGFIX_H */
