/*
 * test_timeouts.c - ALB idle timeout (504) and client timeout (460): given at
 * the right instant, counted once, the instance still doing the work.
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "models/elb/alb.h"
#include "models/ec2/instance.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"
#include "mtest.h"

/* ---- unit level: one request through alb + instance with a fake client */

typedef struct fake {
    req_client port;
    sim *s;
    int n;
    stats_cause cause;
    sim_time_t at;
} fake;

static void fake_respond(req_client *c, req *r, stats_cause cause)
{
    fake *f = (fake *)c;
    f->n++;
    f->cause = cause;
    f->at = sim_now(f->s);
    req_release(r, REQ_CLIENT_DONE);
}

typedef struct unit {
    sim_pool *pool;
    alb *lb;
    fake *client;
    double demand;
} unit;

static void submit_one(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    unit *u = obj;
    req *r = sim_pool_get(u->pool);
    memset(r, 0, sizeof *r);
    r->arrival = sim_now(s);
    r->demand = u->demand;
    r->client = &u->client->port;
    r->pool = u->pool;
    r->target = -1;
    alb_submit(u->lb, r);
}

static void test_504_unit(void)
{
    sim *s = sim_new(1, 0);
    scn_itype type = {"x.test", 1, 1.0, 0.1, SCN_CREDITS_DEFAULT};
    tg *g = tg_new("g", SCN_ALG_ROUND_ROBIN);
    ec2_instance *i = ec2_new(s, "i-x-0", &type, "us-west-2a");
    tg_register(g, i);
    alb *lb = alb_new(s, "lb", g, 1 * SIM_SEC);
    fake f = {.port = {fake_respond}, .s = s};
    unit u = {sim_pool_new(s, sizeof(req)), lb, &f, 2.0};
    sim_at(s, 0, submit_one, &u, 0);

    sim_run_until(s, SIM_SEC - 1);
    is_int(f.n, 0, "504: no answer before the idle timeout");
    is_int(tg_outstanding(g, 0), 1, "504: one request outstanding at the target");
    sim_run_until(s, SIM_SEC);
    is_int(f.n, 1, "504: one answer at dispatch + idle_timeout");
    is_int(f.cause, STATS_504_TIMEOUT, "504: the answer is a 504");
    is_int(f.at, SIM_SEC, "504: given at exactly t = 1 s");
    is_int(tg_outstanding(g, 0), 0, "504: no longer outstanding at the target for the ALB");
    sim_run_until(s, 2 * SIM_SEC - 1);
    is_int(ec2_in_system(i), 1, "504: the instance is still busy with it at 2 s - 1 ns");
    is_int(sim_pool_in_use(u.pool), 1, "504: the request is still held by the instance");
    is_int(ec2_busy_ns(i, sim_now(s)), 2 * SIM_SEC - 1, "504: busy all along");
    sim_run_until(s, 3 * SIM_SEC);
    is_int(ec2_served(i), 1, "504: the instance finished the work");
    is_int(f.n, 1, "504: the late target answer is dropped (still one answer)");
    is_int(sim_pool_in_use(u.pool), 0, "504: the request was freed exactly once");
    is_int(alb_count(lb, STATS_504_TIMEOUT), 1, "504: the ALB counted one");

    /* A second request after the first has gone: answered 200 in 0.5 s. */
    u.demand = 0.5;
    sim_at(s, 3 * SIM_SEC, submit_one, &u, 0);
    sim_run_until(s, 10 * SIM_SEC);
    is_int(f.n, 2, "200: answered");
    is_int(f.cause, STATS_OK, "200: ok");
    is_int(f.at, 3 * SIM_SEC + SIM_SEC / 2, "200: at arrival + demand / speed");
    is_int(sim_pool_in_use(u.pool), 0, "200: freed");

    alb_free(lb);
    tg_free(g);
    ec2_free(i);
    sim_free(s);
}

/* ---- world level: every request times out; occupancy shows when */

static void check_all(const char *what, mscn *m, stats_cause want, double answer_s, double work_s)
{
    world *w = mt_run(m, 9);
    ok(w != NULL, "%s: the run completes", what);
    if (!w)
        return;
    const stats_summary *sm = world_summary(w);
    double T = sim_to_sec(m->sc.duration);
    ok(sm->arrivals > 20, "%s: %llu requests", what, (unsigned long long)sm->arrivals);
    is_int(sm->errors[want], sm->arrivals, "%s: every request ends %s", what, stats_cause_name(want));
    is_int(sm->completed, sm->arrivals, "%s: each counted once, none in flight", what);
    is_int(sm->errors[STATS_OK], 0, "%s: no success", what);
    /* Each request is in system exactly answer_s: the occupancy integral is exact. */
    is_near(sm->mean_in_system * T, (double)sm->arrivals * answer_s, 1e-6 * (double)sm->arrivals,
            "%s: every client answered at arrival + %.1f s", what, answer_s);
    size_t n;
    const world_instance_info *in = world_instances(w, &n);
    is_int(in[0].served, sm->arrivals, "%s: the instance still finished every request", what);
    is_near(in[0].busy_seconds, (double)sm->arrivals * work_s, 1e-6, "%s: and was busy %.1f s for each", what,
            work_s);
    mt_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_504_unit();

    mscn m;
    mscn_init(&m, 600, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 1, 1, 1.0, 1);
    mscn_burst(&m, 0.2, 200, mt_const(2.0));
    m.lb.idle_timeout = 1 * SIM_SEC;
    check_all("504", &m, STATS_504_TIMEOUT, 1.0, 2.0);

    m.lb.idle_timeout = 60 * SIM_SEC;
    m.wl.timeout = 1 * SIM_SEC;
    check_all("460", &m, STATS_460_CLIENT_TIMEOUT, 1.0, 2.0);

    /* The client gives up first; the ALB's later 504 must not count again. */
    m.lb.idle_timeout = 1 * SIM_SEC;
    m.wl.timeout = SIM_SEC / 2;
    check_all("460 before 504", &m, STATS_460_CLIENT_TIMEOUT, 0.5, 2.0);

    /* The ALB times out first; the client deadline later finds nothing. */
    m.wl.timeout = 3 * SIM_SEC / 2;
    check_all("504 before 460", &m, STATS_504_TIMEOUT, 1.0, 2.0);
    return tap_done();
}
