/*
 * test_listener.c - ALB listeners and rules: path rules route by first match
 * in priority order, host rules fold case, weighted forward splits traffic by
 * weight, fixed-response and redirect answer at once with no target, and
 * per-target-group metrics count only what went to that group.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "../tap.h"
#include "models/core/request.h"
#include "models/ec2/instance.h"
#include "models/elb/alb.h"
#include "models/elb/target_group.h"

typedef struct fake {
    req_client port;
    sim *s;
    uint64_t got[STATS_N_CAUSES];
    sim_time_t last_at;
} fake;

static void fake_respond(req_client *c, req *r, stats_cause cause)
{
    fake *f = (fake *)c;
    f->got[cause]++;
    f->last_at = sim_now(f->s);
    req_release(r, REQ_CLIENT_DONE);
}

typedef struct rig {
    sim *s;
    sim_pool *pool;
    fake f;
    scn_itype type;
    tg *g[3];
    ec2_instance *i[3];
    alb *lb;
} rig;

static void rig_init(rig *x)
{
    memset(x, 0, sizeof *x);
    x->s = sim_new(3, 0);
    x->pool = sim_pool_new(x->s, sizeof(req));
    x->f = (fake){.port = {fake_respond}, .s = x->s};
    x->type = (scn_itype){"x.test", 64, 1.0, 0.1, SCN_CREDITS_DEFAULT};
    static const char *const names[3] = {"web", "api", "static"};
    static const char *const ids[3] = {"i-web-0", "i-api-0", "i-static-0"};
    for (int k = 0; k < 3; k++) {
        x->g[k] = tg_new(names[k], SCN_ALG_ROUND_ROBIN);
        x->i[k] = ec2_new(x->s, ids[k], &x->type, "us-west-2a");
        tg_register(x->g[k], x->i[k]);
    }
    x->lb = alb_new(x->s, "front", NULL, 60 * SIM_SEC);
}

static void rig_free(rig *x)
{
    alb_free(x->lb);
    for (int k = 0; k < 3; k++) {
        tg_free(x->g[k]);
        ec2_free(x->i[k]);
    }
    sim_free(x->s);
}

static void submit(rig *x, int act, double demand)
{
    req *r = sim_pool_get(x->pool);
    memset(r, 0, sizeof *r);
    r->arrival = sim_now(x->s);
    r->demand = demand;
    r->client = &x->f.port;
    r->pool = x->pool;
    r->target = -1;
    alb_submit_to(x->lb, act, r);
}

static scn_lb_action fwd(int t)
{
    return (scn_lb_action){.kind = SCN_LBA_FORWARD, .n_fwd = 1, .fwd_tg = {t}, .fwd_weight = {1}};
}

static void test_patterns(void)
{
    ok(alb_pattern_match("/api/*", "/api/orders", false), "pattern: /api/* matches /api/orders");
    ok(alb_pattern_match("/api/*", "/api/", false), "pattern: * matches the empty run");
    ok(!alb_pattern_match("/api/*", "/api", false), "pattern: /api/* does not match /api");
    ok(!alb_pattern_match("/api/*", "/API/orders", false), "pattern: paths are case-sensitive");
    ok(alb_pattern_match("/img/?.png", "/img/a.png", false), "pattern: ? is one character");
    ok(!alb_pattern_match("/img/?.png", "/img/ab.png", false), "pattern: ? is exactly one character");
    ok(alb_pattern_match("*.example.com", "Shop.EXAMPLE.com", true), "pattern: hosts fold case");
    ok(alb_pattern_match("*a*b*c", "xxaxxbxxbxxc", false), "pattern: several stars backtrack");
    ok(!alb_pattern_match("*a*b*c", "xxaxxbxxbxx", false), "pattern: ... and fail when they must");
}

static void test_rules(void)
{
    rig x;
    rig_init(&x);
    scn_lb_action def = fwd(0);
    ok(alb_add_listener(x.lb, 7, &def, x.g, 3) == 0, "rules: listener added");
    /* priority 20: /api/<any> to api; priority 5: /api/static/<any> to static; priority 30: Host api.<any> to api */
    scn_listener_rule r20 = {.priority = 20, .action = fwd(1), .paths = {"/api/*"}, .n_paths = 1};
    scn_listener_rule r5 = {.priority = 5, .action = fwd(2), .paths = {"/api/static/*", "/assets/*"}, .n_paths = 2};
    scn_listener_rule r30 = {.priority = 30, .action = fwd(1), .hosts = {"api.*"}, .n_hosts = 1};
    scn_listener_rule r40 = {.priority = 40, .action = {.kind = SCN_LBA_REDIRECT, .status_code = 301},
                             .paths = {"/old/*"}, .n_paths = 1, .hosts = {"www.example.com"}, .n_hosts = 1};
    ok(alb_add_rule(x.lb, 7, &r20, x.g, 3) == 0 && alb_add_rule(x.lb, 7, &r5, x.g, 3) == 0 &&
       alb_add_rule(x.lb, 7, &r30, x.g, 3) == 0 && alb_add_rule(x.lb, 7, &r40, x.g, 3) == 0, "rules: added out of order");
    int a_api = alb_route(x.lb, 7, "/api/orders", "");
    int a_static = alb_route(x.lb, 7, "/api/static/x.js", "");
    int a_def = alb_route(x.lb, 7, "/index.html", "");
    int a_host = alb_route(x.lb, 7, "/index.html", "API.example.com");
    int a_q = alb_route(x.lb, 7, "/api?x=/api/y", "");
    int a_redir = alb_route(x.lb, 7, "/old/page", "WWW.example.com");
    int a_both = alb_route(x.lb, 7, "/old/page", "other.example.com");
    ok(a_static != a_api, "rules: /api/static/x.js matches priority 5 before priority 20 (both match)");
    is_int(a_q, a_def, "rules: the query string is not part of the path");
    is_int(a_both, a_def, "rules: every condition of a rule must match (path and host)");
    is_int(alb_route(x.lb, 99, "/", ""), -1, "rules: no such listener");
    submit(&x, a_api, 0.01);
    submit(&x, a_static, 0.01);
    submit(&x, a_static, 0.01);
    submit(&x, a_def, 0.01);
    submit(&x, a_host, 0.01);
    submit(&x, a_host, 0.01);
    submit(&x, a_host, 0.01);
    submit(&x, a_redir, 0.01);
    sim_run_until(x.s, 10 * SIM_SEC);
    is_int(ec2_served(x.i[1]), 4, "rules: api served /api/orders and the three api.* Host requests");
    is_int(ec2_served(x.i[2]), 2, "rules: static served the two /api/static/ requests (first match by priority)");
    is_int(ec2_served(x.i[0]), 1, "rules: web served the one request no rule matched");
    is_int(x.f.got[STATS_OK], 7, "rules: seven target answers");
    is_int(x.f.got[STATS_ELB_3XX_REDIRECT], 1, "rules: the redirect is counted as elb_3xx_redirect");

    cw_sample smp;
    void *v_api = alb_tg_view(x.lb, "api"), *v_web = alb_tg_view(x.lb, "web");
    ok(v_api && v_web, "metrics: a view per target group");
    alb_sample_view(v_api, SCN_M_ALB_REQUEST_COUNT, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.sum, 4, "metrics: RequestCount of api is its 4 requests");
    alb_sample_view(v_web, SCN_M_ALB_REQUEST_COUNT, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.sum, 1, "metrics: RequestCount of web is its 1 request");
    alb_sample(x.lb, SCN_M_ALB_REQUEST_COUNT, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.sum, 7, "metrics: the load balancer's RequestCount is 7 (the redirect is not one)");
    alb_sample_view(v_api, SCN_M_ALB_TARGET_RESPONSE_TIME, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.count, 4, "metrics: api's TargetResponseTime has its 4 answers");
    is_int(sim_pool_in_use(x.pool), 0, "rules: every request freed");
    rig_free(&x);
}

static void test_fixed(void)
{
    rig x;
    rig_init(&x);
    scn_lb_action fx = {.kind = SCN_LBA_FIXED, .status_code = 503};
    scn_lb_action f2 = {.kind = SCN_LBA_FIXED, .status_code = 200};
    scn_lb_action f4 = {.kind = SCN_LBA_FIXED, .status_code = 404};
    scn_lb_action rd = {.kind = SCN_LBA_REDIRECT, .status_code = 302};
    ok(alb_add_listener(x.lb, 0, &fx, x.g, 3) == 0 && alb_add_listener(x.lb, 1, &f2, x.g, 3) == 0 &&
       alb_add_listener(x.lb, 2, &f4, x.g, 3) == 0 && alb_add_listener(x.lb, 3, &rd, x.g, 3) == 0,
       "fixed: four listeners");
    sim_run_until(x.s, 5 * SIM_SEC);
    for (int k = 0; k < 4; k++)
        submit(&x, alb_route(x.lb, k, "/", ""), 1.0);
    is_int(x.f.got[STATS_ELB_5XX_FIXED], 1, "fixed: 503 answered as elb_5xx_fixed_response");
    is_int(x.f.got[STATS_ELB_2XX_FIXED], 1, "fixed: 200 answered as elb_2xx_fixed_response");
    is_int(x.f.got[STATS_ELB_4XX_FIXED], 1, "fixed: 404 answered as elb_4xx_fixed_response");
    is_int(x.f.got[STATS_ELB_3XX_REDIRECT], 1, "redirect: HTTP_302 answered as elb_3xx_redirect");
    is_int(x.f.last_at, 5 * SIM_SEC, "fixed: answered at once");
    is_int(sim_pool_in_use(x.pool), 0, "fixed: no target holds the requests");
    sim_run_until(x.s, 20 * SIM_SEC);
    is_int(ec2_served(x.i[0]) + ec2_served(x.i[1]) + ec2_served(x.i[2]), 0, "fixed: no target involved");
    cw_sample smp;
    alb_sample(x.lb, SCN_M_ALB_ELB_5XX, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.sum, 1, "fixed: a 5XX fixed response is an HTTPCode_ELB_5XX");
    alb_sample(x.lb, SCN_M_ALB_REQUEST_COUNT, 0, 60 * SIM_SEC, &smp);
    is_int((long long)smp.sum, 0, "fixed: not in RequestCount (no target chosen)");
    rig_free(&x);
}

/*
 * Weighted forward: weights 1 : 3 : 0 over N requests. The count going to
 * the weight-1 group is Binomial(N, p = 1/4): sd = sqrt(N p (1 - p)). With
 * N = 40000, sd = 86.6; a 5 sd band (+-433 around 10000) fails a correct
 * model with probability < 6e-7, while a 1:2 split (13333) or ignoring the
 * weights (20000 or 13333) is far outside it. The weight-0 group gets none.
 */
static void test_weighted(void)
{
    rig x;
    rig_init(&x);
    scn_lb_action w = {.kind = SCN_LBA_FORWARD, .n_fwd = 3, .fwd_tg = {0, 1, 2}, .fwd_weight = {1, 3, 0}};
    ok(alb_add_listener(x.lb, 0, &w, x.g, 3) == 0, "weighted: listener added");
    int act = alb_route(x.lb, 0, "/", "");
    const int n = 40000;
    /* All n arrive at t = 0: no accept backlog, or the instances would refuse most (a routing test). */
    for (int k = 0; k < 3; k++)
        ec2_set_accept_backlog(x.i[k], 0);
    for (int k = 0; k < n; k++)
        submit(&x, act, 1e-6);
    sim_run_until(x.s, 60 * SIM_SEC);
    double p = 0.25, sd = sqrt(n * p * (1 - p));
    long long a = (long long)ec2_served(x.i[0]), b = (long long)ec2_served(x.i[1]);
    tap_diag("weighted: web %lld, api %lld of %d (expected %.0f +- %.1f sd)", a, b, n, n * p, sd);
    ok(fabs((double)a - n * p) < 5 * sd, "weighted: weight 1 of 4 gets n/4 within 5 binomial sd");
    is_int(a + b, n, "weighted: every request went to a weighted group");
    is_int(ec2_served(x.i[2]), 0, "weighted: weight 0 gets none");
    is_int(x.f.got[STATS_OK], n, "weighted: all answered by targets");
    rig_free(&x);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_patterns();
    test_rules();
    test_fixed();
    test_weighted();
    return tap_done();
}
