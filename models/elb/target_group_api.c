/*
 * target_group_api.c - the calls a Lambda function makes on a target group
 * (api.h): how the load balancer sees each target, and a GET of the
 * application itself, as the health-check Lambda of seed architecture 2 does.
 *
 *  - elasticloadbalancing:DescribeTargetHealth: one item per registered
 *    target (draining ones included, as AWS lists them): Id, State (AWS's
 *    TargetHealth.State words: initial, healthy, unhealthy, draining).
 *  - http:GET: a GET of the target group's health-check path, on the target
 *    InstanceId when given (a function in the VPC calls the instance's own
 *    address), else on the target the load balancer would route to. The
 *    answer is the one the target group's own check would get at that
 *    instant (target_group.c, ec2_probe): the instance runs, its app is
 *    healthy and a request would start within the check timeout. It is
 *    saved as InstanceId, StatusCode and healthy ("true" / "false"):
 *      200 after the network latency when it passes;
 *      502 after the network latency when the instance is not running or
 *          no longer a target (connection refused, as the ALB answers it,
 *          aws-semantics 4.4);
 *      504 after the check timeout when it does not answer in time;
 *      503 when no target is registered (the ALB's answer, 4.4).
 *    The call itself succeeds whatever the status: the function's code
 *    decides what a failed check means (a `when:` guard).
 *
 * Latency of a call: AWS documents none; fleetsim draws it from a lognormal
 * with p50 20 ms and p99 100 ms for DescribeTargetHealth (an AWS API call)
 * and p50 2 ms, p99 20 ms for a GET inside the VPC (commonly observed), on
 * stream "elb/api/<target group>".
 */
#include "models/elb/target_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBE_P50 0.020 /* s; fleetsim: not documented by AWS, commonly observed values */
#define DESCRIBE_P99 0.100
#define GET_P50 0.002
#define GET_P99 0.020

static gsl_rng *api_rng(tg *g, sim *s)
{
    char name[300];
    snprintf(name, sizeof name, "elb/api/%s", tg_name(g));
    return sim_rng(s, name);
}

static sim_time_t latency(tg *g, sim *s, double p50, double p99)
{
    sim_dist d;
    sim_dist_lognormal_p50_p99(&d, p50, p99);
    gsl_rng *r = api_rng(g, s);
    return r ? sim_from_sec(sim_dist_sample(&d, r)) : 0;
}

/* Sets item attribute k to a malloc'd copy of name and value; false out of memory. */
static bool put(api_item *it, const char *name, const char *value)
{
    char *n = malloc(strlen(name) + 1), *v = malloc(strlen(value) + 1);
    if (!n || !v) {
        free(n);
        free(v);
        return false;
    }
    strcpy(n, name);
    strcpy(v, value);
    it->attrs[it->n_attrs++] = (api_arg){.name = n, .value = v};
    return true;
}

static int serve_describe(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    (void)c;
    tg *g = target;
    size_t n_slots = tg_n_slots(g), n = 0;
    api_item *items = n_slots ? calloc(n_slots, sizeof *items) : NULL;
    if (n_slots && !items)
        return -1;
    for (size_t k = 0; k < n_slots; k++) {
        tg_state st = tg_slot_state(g, (int)k);
        if (st == TG_UNUSED)
            continue;
        if (!put(&items[n], "Id", ec2_id(tg_target(g, (int)k))) || !put(&items[n], "State", tg_state_name(st))) {
            api_items_free(items, n + 1);
            return -1;
        }
        n++;
    }
    return api_answer(s, latency(g, s, DESCRIBE_P50, DESCRIBE_P99), API_OK, 0, items, n, done, ctx);
}

static int serve_get(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    tg *g = target;
    const char *want = api_arg_get(c, "InstanceId");
    int idx = -1;
    if (want) {
        for (size_t k = 0; idx < 0 && k < tg_n_slots(g); k++)
            if (tg_slot_state(g, (int)k) != TG_UNUSED && strcmp(ec2_id(tg_target(g, (int)k)), want) == 0)
                idx = (int)k;
    } else {
        gsl_rng *r = api_rng(g, s);
        if (!r)
            return -1;
        idx = tg_pick(g, r);
    }
    const ec2_instance *i = idx >= 0 ? tg_target(g, idx) : NULL;
    const char *status = "503";
    sim_time_t after = latency(g, s, GET_P50, GET_P99);
    if (want && !i) {
        status = "502";  /* no longer a target (terminated since it was listed): nothing listens there */
    } else if (i && !ec2_running(i)) {
        status = "502";
    } else if (i && ec2_probe(i, tg_check_timeout(g))) {
        status = "200";
    } else if (i) {
        status = "504";
        after = tg_check_timeout(g);
    }
    api_item *it = calloc(1, sizeof *it);
    if (!it)
        return -1;
    if (!put(it, "InstanceId", i ? ec2_id(i) : want ? want : "") || !put(it, "StatusCode", status) ||
        !put(it, "healthy", strcmp(status, "200") == 0 ? "true" : "false")) {
        api_items_free(it, 1);
        return -1;
    }
    return api_answer(s, after, API_OK, 0, it, 1, done, ctx);
}

static const char *const describe_args[] = {NULL};
static const char *const get_args[] = {"InstanceId", "path", NULL};

const api_op_spec tg_api_ops[] = {
    {.op = "elasticloadbalancing:DescribeTargetHealth", .target_type = "aws_lb_target_group",
     .target_arg = "target_group", .args = describe_args, .serve = serve_describe,
     .doc = "one item per registered target: Id, State (initial, healthy, unhealthy, draining), as the load "
            "balancer sees it (aws-semantics 4.2)"},
    {.op = "http:GET", .target_type = "aws_lb_target_group", .target_arg = "target_group", .args = get_args,
     .serve = serve_get,
     .doc = "GETs the health-check path of target InstanceId (else of the target the load balancer picks): saved "
            "as InstanceId, StatusCode (200, 502 not running or not a target, 504 no answer within the check timeout, 503 no "
            "target) and healthy; the call succeeds whatever the status"},
    {.op = NULL},
};
