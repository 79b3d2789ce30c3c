/*
 * test_hooks.c - lifecycle hooks, the Auto Scaling and EC2 API calls the
 * group and its instances serve, and the termination order (aws-semantics
 * 1.2, 1.3, 1.7, 4.3, 5.1, 10, 11 items 8-11), as YAML scenarios (tly.h).
 *
 * Timing of the base scenario: launch template defaults (pending 6 s, OS
 * 20 s, app 10 s), so an instance launched at t is running at t + 6 and
 * booted at t + 36, when the launch hooks start. API calls are served after
 * a lognormal latency (p50 50 ms, p99 200 ms): tests step 5 s past a call.
 */
#include "models/core/api.h"
#include "models/ec2/instance_type.h"
#include "tly.h"

static char yaml[16384];

/* The base scenario: group g (desired `desired`, max 4) behind lb/tg (deregistration 30 s), hooks and
   operations as given (YAML lines, may be ""), a light workload. */
static const char *scen(int desired, const char *hooks, const char *ops)
{
    snprintf(yaml, sizeof yaml,
             "scenario: hooks\n"
             "duration: 3h\n"
             "resources:\n"
             "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
             "  tg: {type: aws_lb_target_group, deregistration_delay: 30}\n"
             "  lb: {type: aws_lb, default_target_group: tg}\n"
             "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 4, desired_capacity: %d,\n"
             "      target_group_arns: [tg]}\n"
             "%s"
             "workload:\n"
             "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 2}, service_time: 40ms}\n"
             "%s%s",
             desired, hooks, ops[0] ? "operations:\n" : "", ops);
    return yaml;
}

#define LAUNCH_HOOK(name, hb, res)                                                                                \
    "  " name ": {type: aws_autoscaling_lifecycle_hook, name: " name ", autoscaling_group_name: g,\n"               \
    "      lifecycle_transition: \"autoscaling:EC2_INSTANCE_LAUNCHING\", heartbeat_timeout: " hb                    \
    ", default_result: " res "}\n"
#define TERM_HOOK(name, hb, res)                                                                                  \
    "  " name ": {type: aws_autoscaling_lifecycle_hook, name: " name ", autoscaling_group_name: g,\n"               \
    "      lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\", heartbeat_timeout: " hb                  \
    ", default_result: " res "}\n"
#define SET_DESIRED(at, n) "  - {kind: set_desired_capacity, at: " at ", autoscaling_group: g, desired_capacity: " n "}\n"

static asg *group(const world *w) { return world_model(w, "aws_autoscaling_group", "g"); }

/* The index of instance id in the group, or (size_t)-1. */
static size_t inst_k(const asg *g, const char *id)
{
    for (size_t k = 0; k < asg_n_instances(g); k++)
        if (strcmp(asg_instance_id(g, k), id) == 0)
            return k;
    return (size_t)-1;
}

static const char *state_of(const world *w, const char *id)
{
    size_t k = inst_k(group(w), id);
    return k == (size_t)-1 ? "" : asg_instance_state(group(w), k);
}

/* ---------------------------------------------------------------- API calls from the test */

typedef struct call_res {
    int answers;
    api_status st;
} call_res;

static void on_answer(void *ctx, const api_result *r)
{
    call_res *c = ctx;
    c->answers++;
    c->st = r->status;
}

/* Makes call op on target now with args (name, value pairs, NULL-terminated); runs 5 s; the answer. */
static call_res call(world *w, void *target, const char *op, ...)
{
    api_arg args[API_MAX_ARGS];
    size_t n = 0;
    va_list ap;
    va_start(ap, op);
    const char *k;
    while (n < API_MAX_ARGS && (k = va_arg(ap, const char *)) != NULL) {
        args[n].name = k;
        args[n].value = va_arg(ap, const char *);
        n++;
    }
    va_end(ap);
    call_res r = {0, API_OK};
    const api_op_spec *o = api_op_find(op);
    api_call c = {.op = op, .target = target, .args = args, .n_args = n, .caller = "test"};
    sim *s = world_sim(w);
    if (!o || o->serve(target, s, &c, on_answer, &r) != 0) {
        r.st = API_SERVICE_ERROR;
        return r;
    }
    if (r.answers != 0)
        r.st = API_INVALID; /* answered inside serve: a defect */
    sim_run_until(s, sim_now(s) + tl_s(5));
    return r;
}

/* ---------------------------------------------------------------- events the group puts */

#define MAX_EV 64
typedef struct ev_copy {
    char detail_type[64], source[32], account[16], region[16];
    char resources[AEV_MAX_RESOURCES][256];
    size_t n_resources, n_detail;
    char keys[AEV_MAX_DETAIL][48], vals[AEV_MAX_DETAIL][128];
    sim_time_t t;
} ev_copy;
static ev_copy evs[MAX_EV];
static size_t n_evs;

static void tap(void *ctx, const aws_event *ev)
{
    (void)ctx;
    if (n_evs >= MAX_EV)
        return;
    ev_copy *c = &evs[n_evs++];
    memset(c, 0, sizeof *c);
    snprintf(c->detail_type, sizeof c->detail_type, "%s", ev->detail_type);
    snprintf(c->source, sizeof c->source, "%s", ev->source);
    snprintf(c->account, sizeof c->account, "%s", ev->account);
    snprintf(c->region, sizeof c->region, "%s", ev->region);
    c->t = ev->time;
    c->n_resources = ev->n_resources;
    for (size_t k = 0; k < ev->n_resources; k++)
        snprintf(c->resources[k], sizeof c->resources[k], "%s", ev->resources[k]);
    c->n_detail = ev->n_detail;
    for (size_t k = 0; k < ev->n_detail; k++) {
        snprintf(c->keys[k], sizeof c->keys[k], "%s", ev->detail[k].key);
        snprintf(c->vals[k], sizeof c->vals[k], "%s", ev->detail[k].value);
    }
}

static const char *detail(const ev_copy *c, const char *key)
{
    for (size_t k = 0; k < c->n_detail; k++)
        if (strcmp(c->keys[k], key) == 0)
            return c->vals[k];
    return NULL;
}

static int count_evs(const char *detail_type)
{
    int n = 0;
    for (size_t k = 0; k < n_evs; k++)
        n += strcmp(evs[k].detail_type, detail_type) == 0;
    return n;
}

/* Builds yaml with the tap on. */
static world *build_tapped(const char *y)
{
    n_evs = 0;
    world *w = tly_build(y, 1);
    if (w)
        asg_set_event_tap(group(w), tap, NULL);
    return w;
}

/* ---------------------------------------------------------------- launch hooks */

/* 1.7: a launch hook's wait ends at its heartbeat timeout with default_result CONTINUE: InService then. */
static void t_launch_continue_by_timeout(void)
{
    world *w = tly_run(scen(1, LAUNCH_HOOK("boot", "60", "CONTINUE"), SET_DESIRED("600s", "2")), 1);
    ok(w != NULL, "launch CONTINUE: builds and runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "lifecycle", "i-g-1", "Pending:Wait", NULL), 636, 1e-9,
            "launch CONTINUE: Pending:Wait once booted (600 + 6 + 20 + 10 s)");
    is_near(tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL), 696, 1e-9,
            "launch CONTINUE: InService at the 60 s heartbeat timeout (default result CONTINUE)");
    asg_counts c = asg_get_counts(group(w));
    ok(c.waits == 1 && c.hook_timeouts == 1 && c.abandoned == 0, "launch CONTINUE: 1 wait, 1 timeout, 0 abandoned");
    tly_done(w);
}

/* 1.7, 11.9: launch ABANDON (by timeout) terminates the instance and the group launches another. */
static void t_launch_abandon_replaced(void)
{
    world *w = tly_run(scen(1, LAUNCH_HOOK("boot", "60", "ABANDON"), SET_DESIRED("600s", "2")), 1);
    ok(w != NULL, "launch ABANDON: builds and runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "instance", "i-g-1", "Terminated", NULL), 696, 1e-9,
            "launch ABANDON: i-g-1 terminated at the timeout (636 + 60 s)");
    ok(tl_first(w, 0, "instance", "i-g-1", "InService", NULL) == NULL, "launch ABANDON: i-g-1 never InService");
    is_near(tl_first_t(w, 0, "instance", "i-g-2", "Pending", NULL), 696, 1e-9,
            "launch ABANDON: the group launches the replacement i-g-2 at once");
    asg_counts c = asg_get_counts(group(w));
    ok(c.abandoned >= 1 && c.hook_timeouts >= 1, "launch ABANDON: counted abandoned and timed out");
    tly_done(w);
}

/* 1.2, 5.1: in Pending:Wait the instance runs and bills, is not InService and not registered. */
static void t_pending_wait_not_in_service(void)
{
    world *w = tly_build(scen(1, LAUNCH_HOOK("boot", "600", "CONTINUE"), SET_DESIRED("600s", "2")), 1);
    ok(w != NULL, "Pending:Wait: builds");
    if (!w)
        return;
    tl_until(w, 700);
    asg *g = group(w);
    size_t k = inst_k(g, "i-g-1");
    is_str(state_of(w, "i-g-1"), "Pending:Wait", "Pending:Wait: i-g-1 waits at 700 s");
    is_int(asg_in_service(g), 1, "Pending:Wait: only i-g-0 is InService");
    is_int(asg_capacity(g), 2, "Pending:Wait: it counts toward desired capacity");
    ec2_instance *e = k != (size_t)-1 ? asg_instance_ec2(g, k) : NULL;
    ok(e && ec2_running(e) && ec2_launched(e) == tl_s(606), "Pending:Wait: running (billed) since 606 s");
    tg *t = world_model(w, "aws_lb_target_group", "tg");
    ok(t && e && tg_target_state(t, e) == TG_UNUSED, "Pending:Wait: not registered in the target group");
    ok(tl_finish(w) == 0, "Pending:Wait: finishes");
    is_near(tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL), 1236, 1e-9,
            "Pending:Wait: InService when the 600 s wait ends (636 + 600 s), then registered");
    tly_done(w);
}

/* 1.7: CompleteLifecycleAction by token (from the event) and by instance id end the wait at once. */
static void t_complete_by_token_and_id(void)
{
    for (int by_id = 0; by_id < 2; by_id++) {
        const char *what = by_id ? "complete by instance id" : "complete by token";
        world *w = build_tapped(scen(1, LAUNCH_HOOK("boot", "3600", "ABANDON"), SET_DESIRED("600s", "2")));
        ok(w != NULL, "%s: builds", what);
        if (!w)
            continue;
        tl_until(w, 700);
        asg *g = group(w);
        const char *token = asg_instance_token(g, inst_k(g, "i-g-1"));
        ok(token && n_evs == 1 && strcmp(detail(&evs[0], "LifecycleActionToken"), token) == 0,
           "%s: the event carries the wait's token", what);
        char tok[64];
        snprintf(tok, sizeof tok, "%s", token ? token : "");
        call_res r = by_id
            ? call(w, g, "autoscaling:CompleteLifecycleAction", "LifecycleHookName", "boot", "LifecycleActionResult",
                   "CONTINUE", "InstanceId", "i-g-1", NULL)
            : call(w, g, "autoscaling:CompleteLifecycleAction", "LifecycleHookName", "boot", "LifecycleActionResult",
                   "CONTINUE", "LifecycleActionToken", tok, NULL);
        ok(r.answers == 1 && r.st == API_OK, "%s: answered once, OK", what);
        double t_in = tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL);
        ok(t_in > 700 && t_in < 702, "%s: InService right after the call (%.3f s), not at the 3600 s timeout", what,
           t_in);
        r = call(w, g, "autoscaling:CompleteLifecycleAction", "LifecycleHookName", "boot", "LifecycleActionResult",
                 "CONTINUE", "InstanceId", "i-g-1", NULL);
        ok(r.answers == 1 && r.st == API_NOT_FOUND, "%s: a second completion is NOT_FOUND", what);
        asg_counts c = asg_get_counts(group(w));
        ok(c.hook_timeouts == 0 && c.abandoned == 0, "%s: no timeout, nothing abandoned", what);
        tly_done(w);
    }
}

/* 1.7: RecordLifecycleActionHeartbeat restarts the heartbeat timeout for a full heartbeat_timeout. */
static void t_heartbeat_extends(void)
{
    world *w = tly_build(scen(1, LAUNCH_HOOK("boot", "60", "CONTINUE"), SET_DESIRED("600s", "2")), 1);
    ok(w != NULL, "heartbeat: builds");
    if (!w)
        return;
    tl_until(w, 676);
    call_res r = call(w, group(w), "autoscaling:RecordLifecycleActionHeartbeat", "LifecycleHookName", "boot",
                      "InstanceId", "i-g-1", NULL);
    ok(r.answers == 1 && r.st == API_OK, "heartbeat: answered OK");
    double hb = tl_first_t(w, 676, "lifecycle", "i-g-1", NULL, "heartbeat recorded");
    ok(tl_finish(w) == 0, "heartbeat: finishes");
    double t_in = tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL);
    ok(hb > 676 && hb < 677, "heartbeat: recorded after the call's latency (%.3f s)", hb);
    is_near(t_in, hb + 60, 1e-6, "heartbeat: the wait now ends 60 s after the heartbeat, not at 696 s");
    tly_done(w);
}

/* 1.7, 11.10: heartbeats cannot keep an instance waiting past min(48 h, 100 x heartbeat_timeout). */
static void t_global_timeout(void)
{
    world *w = tly_build(scen(1, LAUNCH_HOOK("boot", "30", "CONTINUE"), SET_DESIRED("600s", "2")), 1);
    ok(w != NULL, "global timeout: builds");
    if (!w)
        return;
    tl_until(w, 640);
    int answered_ok = 0;
    for (int k = 0; k < 200; k++) {
        /* a heartbeat every 25 s (each call runs 5 s, then 20 s more) */
        call_res r = call(w, group(w), "autoscaling:RecordLifecycleActionHeartbeat", "LifecycleHookName", "boot",
                          "InstanceId", "i-g-1", NULL);
        answered_ok += r.st == API_OK;
        sim_run_until(world_sim(w), sim_now(world_sim(w)) + tl_s(20));
    }
    ok(tl_finish(w) == 0, "global timeout: finishes");
    is_near(tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL), 636 + 3000, 1e-9,
            "global timeout: the wait ends at 100 x 30 s after it started (3636 s) despite heartbeats");
    ok(tl_first(w, 0, "lifecycle", "i-g-1", NULL, "global timeout") != NULL, "global timeout: logged as such");
    ok(answered_ok > 100, "global timeout: heartbeats were accepted while it waited (%d)", answered_ok);
    tly_done(w);
}

/* ---------------------------------------------------------------- terminate hooks */

/* The instance the scale-in at 600 s picked. */
static const char *victim(const world *w)
{
    const events_entry *x = tl_first(w, 600, "instance", NULL, "Terminating", NULL);
    return x ? x->resource : "";
}

/* 1.7, 11.9: a terminate hook whose default result is ABANDON still terminates the instance. */
static void t_terminate_abandon_terminates(void)
{
    world *w = tly_run(scen(2, TERM_HOOK("drain", "120", "ABANDON"), SET_DESIRED("600s", "1")), 1);
    ok(w != NULL, "terminate ABANDON: builds and runs");
    if (!w)
        return;
    const char *v = victim(w);
    double tw = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", NULL);
    ok(tw >= 600 && tw < 601, "terminate ABANDON: %s waits after draining (%.3f s)", v, tw);
    is_near(tl_first_t(w, 600, "instance", v, "Terminated", NULL), tw + 120, 1e-6,
            "terminate ABANDON: terminated anyway at the 120 s timeout");
    tly_done(w);
}

/* 1.2, 5.1, 11.10: an instance in Terminating:Wait keeps running and billing until the wait ends. */
static void t_terminate_wait_bills(void)
{
    world *w = tly_run(scen(2, TERM_HOOK("drain", "1800", "CONTINUE"), SET_DESIRED("600s", "1")), 1);
    ok(w != NULL, "terminate billing: builds and runs");
    if (!w)
        return;
    const char *v = victim(w);
    double tw = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", NULL);
    size_t n = 0;
    const world_instance_info *f = world_instances(w, &n);
    const world_instance_info *mine = NULL;
    for (size_t k = 0; k < n; k++)
        if (strcmp(f[k].id, v) == 0)
            mine = &f[k];
    ok(mine && mine->terminated > 0, "terminate billing: %s terminated", v);
    if (mine)
        is_near(tl_sec(mine->terminated), tw + 1800, 1e-6,
                "terminate billing: billed through Terminating:Wait, until the 1800 s wait ends");
    tly_done(w);
}

/* 1.2, 4.3, 11.11: deregistration and draining come before Terminating:Wait. */
static void t_deregistration_before_wait(void)
{
    /* 20 s requests: the victim holds some when the scale-in deregisters it, so it drains for a while. */
    char y[16384];
    snprintf(y, sizeof y, "%s", scen(2, TERM_HOOK("drain", "300", "CONTINUE"), SET_DESIRED("600s", "1")));
    char *st = strstr(y, "service_time: 40ms");
    if (st)
        memcpy(st, "service_time: 20s ", 18);
    world *w = tly_build(y, 1);
    ok(w != NULL, "deregistration first: builds");
    if (!w)
        return;
    tl_until(w, 600.001);
    asg *g = group(w);
    tg *t = world_model(w, "aws_lb_target_group", "tg");
    const char *v = victim(w);
    size_t k = inst_k(g, v);
    ec2_instance *e = k != (size_t)-1 ? asg_instance_ec2(g, k) : NULL;
    ok(e && tg_target_state(t, e) == TG_DRAINING, "deregistration first: %s is draining right after the scale-in", v);
    is_str(state_of(w, v), "Terminating", "deregistration first: no hook wait while it drains");
    ok(tl_finish(w) == 0, "deregistration first: finishes");
    double tw = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", NULL);
    ok(tw > 600.5 && tw <= 630, "deregistration first: Terminating:Wait once drained (%.3f s, within the 30 s delay)", tw);
    tly_done(w);
}

/* 1.7: several terminate hooks run one after another in file order; ABANDON skips the ones left. */
static void t_two_hooks_in_order(void)
{
    world *w = tly_run(scen(2, TERM_HOOK("first", "60", "CONTINUE") TERM_HOOK("second", "90", "CONTINUE"),
                            SET_DESIRED("600s", "1")), 1);
    ok(w != NULL, "two hooks: builds and runs");
    if (w) {
        const char *v = victim(w);
        double t1 = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", "hook first");
        double t2 = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", "hook second");
        ok(t1 >= 600 && t1 < 601, "two hooks: the first waits first (%.3f s)", t1);
        is_near(t2, t1 + 60, 1e-6, "two hooks: the second starts when the first continues (60 s later)");
        is_near(tl_first_t(w, 600, "instance", v, "Terminated", NULL), t2 + 90, 1e-6,
                "two hooks: terminated when the second ends");
        is_int((int)asg_get_counts(group(w)).waits, 2, "two hooks: two waits");
        tly_done(w);
    }
    w = tly_run(scen(2, TERM_HOOK("first", "60", "ABANDON") TERM_HOOK("second", "90", "CONTINUE"),
                     SET_DESIRED("600s", "1")), 1);
    ok(w != NULL, "ABANDON skips: builds and runs");
    if (!w)
        return;
    const char *v = victim(w);
    double t1 = tl_first_t(w, 600, "lifecycle", v, "Terminating:Wait", "hook first");
    ok(tl_first(w, 600, "lifecycle", v, "Terminating:Wait", "hook second") == NULL,
       "ABANDON skips: the second hook never runs");
    is_near(tl_first_t(w, 600, "instance", v, "Terminated", NULL), t1 + 60, 1e-6,
            "ABANDON skips: terminated when the first times out");
    tly_done(w);
}

/* 1.7: the lifecycle action event: source, detail-type, resources (the group ARN only) and detail fields. */
static void t_event_envelope(void)
{
    const char *hooks =
        "  drain: {type: aws_autoscaling_lifecycle_hook, name: drain, autoscaling_group_name: g,\n"
        "      lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\", heartbeat_timeout: 60,\n"
        "      notification_metadata: \"license-pool\"}\n";
    world *w = build_tapped(scen(2, hooks, SET_DESIRED("600s", "1")));
    ok(w != NULL, "envelope: builds");
    if (!w)
        return;
    ok(tl_finish(w) == 0, "envelope: runs");
    const char *v = victim(w);
    const ev_copy *e = NULL;
    for (size_t k = 0; k < n_evs && !e; k++)
        if (strcmp(evs[k].detail_type, "EC2 Instance-terminate Lifecycle Action") == 0)
            e = &evs[k];
    ok(e != NULL, "envelope: a terminate lifecycle action event was put");
    if (e) {
        is_str(e->source, "aws.autoscaling", "envelope: source");
        is_str(e->account, "123456789012", "envelope: account");
        is_str(e->region, "us-west-2", "envelope: region");
        ok(e->n_resources == 1 && strncmp(e->resources[0], "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:",
                                          60) == 0 &&
               strstr(e->resources[0], ":autoScalingGroupName/g") != NULL &&
               strlen(e->resources[0]) == strlen("arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:") + 36 +
                                               strlen(":autoScalingGroupName/g"),
           "envelope: resources hold the group ARN only (%s)", e->resources[0]);
        is_int((int)e->n_detail, 6, "envelope: six detail fields");
        is_str(detail(e, "AutoScalingGroupName"), "g", "envelope: AutoScalingGroupName");
        is_str(detail(e, "LifecycleHookName"), "drain", "envelope: LifecycleHookName");
        is_str(detail(e, "EC2InstanceId"), v, "envelope: EC2InstanceId");
        is_str(detail(e, "LifecycleTransition"), "autoscaling:EC2_INSTANCE_TERMINATING", "envelope: LifecycleTransition");
        is_str(detail(e, "NotificationMetadata"), "license-pool", "envelope: NotificationMetadata");
        const char *tok = detail(e, "LifecycleActionToken");
        ok(tok && strlen(tok) == 36 && tok[8] == '-' && tok[14] == '4', "envelope: a uuid-shaped token (%s)",
           tok ? tok : "");
    }
    ok(count_evs("EC2 Instance Terminate Successful") == 1, "envelope: one Terminate Successful event");
    const ev_copy *ts = NULL;
    for (size_t k = 0; k < n_evs; k++)
        if (strcmp(evs[k].detail_type, "EC2 Instance Terminate Successful") == 0)
            ts = &evs[k];
    ok(ts && ts->n_resources == 2 && strstr(ts->resources[1], ":instance/") != NULL,
       "envelope: Terminate Successful names the group and the instance");
    tly_done(w);
}

/* ---------------------------------------------------------------- lost instances and the EC2 API */

/* 1.3, 1.7: an instance terminated through ec2:TerminateInstances is replaced by the group, no hook runs. */
static void t_terminate_instances_replaced(void)
{
    world *w = build_tapped(scen(2, TERM_HOOK("drain", "600", "CONTINUE"), ""));
    ok(w != NULL, "TerminateInstances: builds");
    if (!w)
        return;
    tl_until(w, 900);
    asg *g = group(w);
    ec2_instance *e = asg_instance_ec2(g, inst_k(g, "i-g-0"));
    call_res r = call(w, world_wb(w), "ec2:TerminateInstances", "InstanceId", "i-g-0", NULL);
    ok(r.answers == 1 && r.st == API_OK, "TerminateInstances: answered OK");
    double tt = tl_first_t(w, 900, "instance", "i-g-0", "Terminated", NULL);
    ok(tt > 900 && tt < 901 && !ec2_running(e), "TerminateInstances: i-g-0 terminated after the call (%.3f s)", tt);
    ok(tl_finish(w) == 0, "TerminateInstances: finishes");
    is_near(tl_first_t(w, 900, "instance", "i-g-2", "Pending", NULL), tt, 1e-9,
            "TerminateInstances: the group launches a replacement once it is terminated");
    ok(count_evs("EC2 Instance-terminate Lifecycle Action") == 0 &&
           tl_first(w, 0, "lifecycle", "i-g-0", NULL, "no terminate lifecycle hook runs") != NULL,
       "TerminateInstances: no hook runs for it (logged as lost)");
    is_int(asg_desired(g), 2, "TerminateInstances: desired unchanged");
    tly_done(w);
}

/* 1.7, 10: an instance lost to a crash is terminated without any terminate hook event. */
static void t_crash_no_hook(void)
{
    char y[16384];
    snprintf(y, sizeof y, "%s",
             scen(2, TERM_HOOK("drain", "600", "CONTINUE"), ""));
    strncat(y, "faults:\n  - {kind: instance_crash, at: 900s, autoscaling_group: g}\n", sizeof y - strlen(y) - 1);
    world *w = build_tapped(y);
    ok(w != NULL, "crash: builds");
    if (!w)
        return;
    ok(tl_finish(w) == 0, "crash: runs");
    const events_entry *x = tl_first(w, 900, "instance", NULL, "Terminated", NULL);
    ok(x && x->t == tl_s(900), "crash: the crashed instance is terminated at once");
    ok(count_evs("EC2 Instance-terminate Lifecycle Action") == 0, "crash: no terminate lifecycle action event");
    ok(x && tl_first(w, 900, "lifecycle", x->resource, NULL, "was lost") != NULL, "crash: logged as lost");
    is_int((int)asg_get_counts(group(w)).waits, 0, "crash: no wait");
    tly_done(w);
}

/* 1.3, 11.8: a health replacement is terminate-then-launch, and the termination waits on the terminate hook. */
static void t_replacement_after_hook(void)
{
    /* an ELB-checked group whose instances turn app-unhealthy at 900 s */
    world *w = NULL;
    {
        char z[16384];
        snprintf(z, sizeof z,
                 "scenario: hooks\n"
                 "duration: 3h\n"
                 "resources:\n"
                 "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                 "  tg: {type: aws_lb_target_group, deregistration_delay: 30}\n"
                 "  lb: {type: aws_lb, default_target_group: tg}\n"
                 "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 4, desired_capacity: 2,\n"
                 "      target_group_arns: [tg], health_check_type: ELB, health_check_grace_period: 0}\n"
                 TERM_HOOK("drain", "120", "CONTINUE")
                 "workload:\n"
                 "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 2}, service_time: 40ms}\n"
                 "faults:\n"
                 "  - {kind: app_unhealthy, at: 900s, autoscaling_group: g}\n");
        w = tly_run(z, 1);
    }
    ok(w != NULL, "replacement order: builds and runs");
    if (!w)
        return;
    const events_entry *u = tl_first(w, 900, "health", NULL, "Unhealthy", NULL);
    ok(u != NULL, "replacement order: an instance is found unhealthy");
    if (u) {
        double tterm = tl_first_t(w, 900, "instance", u->resource, "Terminating", NULL);
        double twait = tl_first_t(w, 900, "lifecycle", u->resource, "Terminating:Wait", NULL);
        double tdone = tl_first_t(w, 900, "instance", u->resource, "Terminated", NULL);
        const events_entry *l = tl_first(w, tterm, "instance", NULL, "Pending", NULL);
        ok(tterm > 0 && twait >= tterm && tdone >= twait + 120 - 1e-6,
           "replacement order: Terminating %.3f, Terminating:Wait %.3f, Terminated %.3f", tterm, twait, tdone);
        ok(l && tl_sec(l->t) >= tdone, "replacement order: the replacement launches after the termination (%.3f s)",
           l ? tl_sec(l->t) : -1);
    }
    tly_done(w);
}

/* aws-semantics 5.5: CreateSnapshot is priced per GB-month on the ebs_snapshots line; CreateTags keeps tags. */
static void t_tags_and_snapshot(void)
{
    world *w = tly_build(scen(1, "", ""), 1);
    ok(w != NULL, "tags/snapshot: builds");
    if (!w)
        return;
    tl_until(w, 3600 - 5);
    asg *g = group(w);
    ec2_instance *e = asg_instance_ec2(g, 0);
    call_res r = call(w, world_wb(w), "ec2:CreateTags", "InstanceId", "i-g-0", "Key", "license", "Value", "lic-3", NULL);
    ok(r.answers == 1 && r.st == API_OK && ec2_tag(e, "license") && strcmp(ec2_tag(e, "license"), "lic-3") == 0,
       "tags: the instance keeps license = lic-3");
    r = call(w, world_wb(w), "ec2:CreateTags", "InstanceId", "i-g-0", "Key", "license", NULL);
    ok(r.answers == 1 && r.st == API_INVALID, "tags: a missing Value is invalid");
    r = call(w, world_wb(w), "ec2:CreateSnapshot", "InstanceId", "i-g-0", "size_gb", "100", NULL);
    ok(r.answers == 1 && r.st == API_OK, "snapshot: answered OK");
    r = call(w, world_wb(w), "ec2:CreateSnapshot", "InstanceId", "i-nope-7", NULL);
    ok(r.answers == 1 && r.st == API_NOT_FOUND, "snapshot: an unknown instance is NOT_FOUND");
    ok(ec2_snapshot_gb(e) == 100, "snapshot: 100 GB recorded on the instance");
    ok(tl_finish(w) == 0, "snapshot: finishes");
    /* stored from about 3605 s to the end (3 h): 100 GB x (10800 - t) / (730 h) x 0.05 USD (us-west-2) */
    double usd = world_cost(w, "ebs/snapshots");
    double want = 100.0 * (10800.0 - 3600.0) / (730.0 * 3600.0) * itype_services_for("us-west-2")->ebs_snapshot_gb_month;
    is_near(usd, want, want * 0.01, "snapshot: priced per GB-month for the time stored");
    tly_done(w);
}

/* 4.2 (issue 7 point 7): a target group whose targets are all aws_instance runs its health checks too. */
static void t_fleet_health_checks(void)
{
    const char *y =
        "scenario: fleet\n"
        "duration: 10m\n"
        "resources:\n"
        "  web: {type: aws_instance, instance_type: c5.large, count: 2}\n"
        "  tg: {type: aws_lb_target_group}\n"
        "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: web}\n"
        "  lb: {type: aws_lb, default_target_group: tg}\n"
        "workload:\n"
        "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 4}, service_time: 40ms}\n";
    world *w = tly_build(y, 1);
    ok(w != NULL, "fleet checks: builds");
    if (!w)
        return;
    tg *t = world_model(w, "aws_lb_target_group", "tg");
    ok(t && tg_n_slots(t) == 2 && tg_n_healthy(t) == 2, "fleet checks: both instances start healthy (deployed)");
    if (!t || tg_n_slots(t) != 2) {
        tly_done(w);
        return;
    }
    tl_until(w, 60);
    ec2_instance *bad = tg_target(t, 0);
    ec2_set_app_healthy(bad, false);
    uint64_t served_before = ec2_served(bad);
    /* unhealthy_threshold 2 x interval 30 s: out of service within 60 s (+ the check phase) */
    tl_until(w, 150);
    ok(tg_target_state(t, bad) == TG_UNHEALTHY, "fleet checks: the failing instance is marked unhealthy by 150 s");
    uint64_t served_mid = ec2_served(bad);
    tl_until(w, 300);
    ok(ec2_served(bad) == served_mid && served_mid >= served_before,
       "fleet checks: it gets no more requests once unhealthy (the other target is healthy)");
    ec2_set_app_healthy(bad, true);
    tl_until(w, 480);
    ok(tg_target_state(t, bad) == TG_HEALTHY, "fleet checks: healthy again after healthy_threshold (5) passes");
    tly_done(w);
}

/* The base scenario with launch template lt carrying boot_script (YAML lines, indented 6). */
static const char *scen_boot(const char *script)
{
    static char y[16384];
    snprintf(y, sizeof y,
             "scenario: boot\n"
             "duration: 30m\n"
             "resources:\n"
             "  lt:\n"
             "    type: aws_launch_template\n"
             "    instance_type: c5.large\n"
             "    boot_script:\n"
             "%s"
             "  tg: {type: aws_lb_target_group, deregistration_delay: 30}\n"
             "  lb: {type: aws_lb, default_target_group: tg}\n"
             "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 4, desired_capacity: 1,\n"
             "      target_group_arns: [tg]}\n"
             "workload:\n"
             "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 4}, service_time: 40ms}\n"
             "operations:\n"
             SET_DESIRED("600s", "2"),
             script);
    return y;
}

/* DESIGN 3b, 5.4: the boot script runs once the instance has booted; its time is part of boot time. */
static void t_boot_script_time(void)
{
    world *w = tly_run(scen_boot("      calls:\n"
                                 "        - compute: {dist: constant, value: 5s}\n"
                                 "        - {call: \"ec2:CreateTags\", InstanceId: \"${instance.id}\", Key: owner,\n"
                                 "           Value: \"${group.name}\"}\n"), 1);
    ok(w != NULL, "boot script: builds and runs");
    if (!w)
        return;
    double t_in = tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL);
    ok(t_in > 641 && t_in < 642, "boot script: InService after boot (636 s) + 5 s of script + one call (%.3f s)", t_in);
    asg *g = group(w);
    ec2_instance *e = asg_instance_ec2(g, inst_k(g, "i-g-1"));
    ok(e && ec2_tag(e, "owner") && strcmp(ec2_tag(e, "owner"), "g") == 0,
       "boot script: its call tagged the instance with ${group.name}");
    is_int((int)asg_get_counts(g).launch_failures, 0, "boot script: no launch failure");
    tly_done(w);
}

/* DESIGN 3b, issue 7 point 4: a boot script that fails with on_failure fail_launch fails the launch; the group replaces. */
static void t_boot_script_fail_launch(void)
{
    world *w = tly_run(scen_boot("      calls:\n"
                                 "        - {call: \"ec2:CreateSnapshot\", InstanceId: i-nope-9}\n"), 1);
    ok(w != NULL, "boot fail_launch: builds and runs");
    if (!w)
        return;
    /* The instance deployed at t = 0 runs its user data too: its claim fails at once and it is replaced. */
    ok(tl_first(w, 0, "instance", "i-g-0", "Terminating", "boot script failed") != NULL,
       "boot fail_launch: the deployed i-g-0's script fails at t = 0 and it is replaced");
    double t_f = tl_first_t(w, 0, "instance", "i-g-1", "Terminating", "boot script failed (NotFound");
    double t_l = tl_first_t(w, 0, "instance", "i-g-1", NULL, "Launching");
    ok(t_f - t_l > 36 && t_f - t_l < 37, "boot fail_launch: i-g-1's launch fails when its script does, after its 36 s boot (%.3f s)",
       t_f - t_l);
    ok(tl_first(w, 0, "instance", "i-g-1", "InService", NULL) == NULL, "boot fail_launch: i-g-1 never InService");
    is_near(tl_first_t(w, 0, "instance", "i-g-2", "Pending", NULL), tl_first_t(w, 0, "instance", "i-g-1", "Terminated", NULL),
            1e-9, "boot fail_launch: a replacement is launched when it is terminated");
    ok(asg_get_counts(group(w)).launch_failures >= 2, "boot fail_launch: launch failures counted (every attempt fails)");
    tly_done(w);
}

/* issue 7 point 4: on_failure serve_unlicensed: InService anyway, and every request it gets is answered 500. */
static void t_boot_script_unlicensed(void)
{
    world *w = tly_build(scen_boot("      on_failure: serve_unlicensed\n"
                                   "      calls:\n"
                                   "        - {call: \"ec2:CreateSnapshot\", InstanceId: i-nope-9}\n"), 1);
    ok(w != NULL, "boot unlicensed: builds");
    if (!w)
        return;
    tl_until(w, 900);
    asg *g = group(w);
    ec2_instance *e = asg_instance_ec2(g, inst_k(g, "i-g-1"));
    is_str(state_of(w, "i-g-1"), "InService", "boot unlicensed: InService despite the failed script");
    ok(e && ec2_serve_errors(e), "boot unlicensed: its requests are answered 500");
    ok(e && ec2_serve_errors(asg_instance_ec2(g, 0)), "boot unlicensed: the instance deployed at t = 0 ran the script too, and serves unlicensed");
    is_int((int)asg_get_counts(g).launch_failures, 0, "boot unlicensed: not a launch failure");
    tly_done(w);
}

/* 1.7 (Terraform initial_lifecycle_hook): hooks created with the group run like hook resources, in file order. */
static void t_initial_hooks(void)
{
    const char *y =
        "scenario: initial\n"
        "duration: 1h\n"
        "resources:\n"
        "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
        "  g:\n"
        "    type: aws_autoscaling_group\n"
        "    launch_template: lt\n"
        "    min_size: 1\n"
        "    max_size: 4\n"
        "    initial_lifecycle_hook:\n"
        "      - {name: warm, lifecycle_transition: \"autoscaling:EC2_INSTANCE_LAUNCHING\", heartbeat_timeout: 60,\n"
        "         default_result: CONTINUE}\n"
        "      - {name: a_first, lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\", heartbeat_timeout: 30,\n"
        "         default_result: CONTINUE}\n"
        "  b_second: {type: aws_autoscaling_lifecycle_hook, name: b_second, autoscaling_group_name: g,\n"
        "      lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\", heartbeat_timeout: 45}\n"
        "operations:\n"
        "  - {kind: set_desired_capacity, at: 600s, autoscaling_group: g, desired_capacity: 2}\n"
        "  - {kind: set_desired_capacity, at: 1200s, autoscaling_group: g, desired_capacity: 1}\n";
    world *w = tly_run(y, 1);
    ok(w != NULL, "initial hooks: builds and runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "instance", "i-g-1", "InService", NULL), 696, 1e-9,
            "initial hooks: the launch hook holds i-g-1 60 s in Pending:Wait (InService at 696 s)");
    const events_entry *x = tl_first(w, 1200, "instance", NULL, "Terminating", NULL);
    const char *v = x ? x->resource : "";
    double t1 = tl_first_t(w, 1200, "lifecycle", v, "Terminating:Wait", "hook a_first");
    double t2 = tl_first_t(w, 1200, "lifecycle", v, "Terminating:Wait", "hook b_second");
    ok(t1 >= 1200 && t1 < 1201, "initial hooks: the group's initial terminate hook (earlier in the file) runs first");
    is_near(t2, t1 + 30, 1e-6, "initial hooks: the resource hook runs next, after 30 s");
    is_near(tl_first_t(w, 1200, "instance", v, "Terminated", NULL), t2 + 45, 1e-6,
            "initial hooks: terminated when the second times out (default ABANDON still terminates)");
    tly_done(w);
}

/* DESIGN 3b, aws-semantics 7 (issue 7 point 4): two instances booting together on a pool of one key: the
   conditional claim lets exactly one through; the other fails its launch and the group replaces it. */
static void t_boot_claim_contention(void)
{
    const char *y =
        "scenario: claim\n"
        "duration: 20m\n"
        "resources:\n"
        "  license_key_db:\n"
        "    type: aws_dynamodb_table\n"
        "    name: license_key_db\n"
        "    hash_key: key\n"
        "    billing_mode: PAY_PER_REQUEST\n"
        "    fleetsim:\n"
        "      items: {count: 1, key_prefix: lic-, attributes: {used: \"false\"}}\n"
        "  lt:\n"
        "    type: aws_launch_template\n"
        "    instance_type: t3.micro\n"
        "    boot_script:\n"
        "      calls:\n"
        "        - {call: \"dynamodb:Scan\", table: license_key_db, filter.used: \"false\", save: lic}\n"
        "        - {call: \"dynamodb:UpdateItem\", table: license_key_db, key: \"${lic.key}\", condition.used: \"false\",\n"
        "           set.used: \"true\", set.owner: \"${instance.id}\", on_condition_failed: retry}\n"
        "        - {call: \"ec2:CreateTags\", InstanceId: \"${instance.id}\", Key: license, Value: \"${lic.key}\"}\n"
        "      retry: {max_attempts: 3, base: 100ms, cap: 1s}\n"
        "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 0, max_size: 2, desired_capacity: 0}\n"
        "operations:\n"
        "  - {kind: set_desired_capacity, at: 60s, autoscaling_group: g, desired_capacity: 2}\n";
    world *w = tly_build(y, 1);
    ok(w != NULL, "claim contention: builds");
    if (!w)
        return;
    tl_until(w, 140);
    asg *g = group(w);
    int in_service = 0, tagged = 0;
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        ec2_instance *e = asg_instance_ec2(g, k);
        bool ins = strcmp(asg_instance_state(g, k), "InService") == 0;
        in_service += ins;
        tagged += ins && e && ec2_tag(e, "license") && strcmp(ec2_tag(e, "license"), "lic-1") == 0;
    }
    is_int(in_service, 1, "claim contention: exactly one of the two is InService by 140 s");
    is_int(tagged, 1, "claim contention: it holds lic-1 (tagged by its boot script)");
    ok(asg_get_counts(g).launch_failures >= 1, "claim contention: the other launch failed for want of a key");
    ok(tl_first(w, 60, "instance", NULL, "Terminating", "boot script failed") != NULL,
       "claim contention: the failure is logged with its cause");
    ok(tl_finish(w) == 0, "claim contention: finishes");
    tly_done(w);
}

int main(void)
{
    t_launch_continue_by_timeout();
    t_launch_abandon_replaced();
    t_pending_wait_not_in_service();
    t_complete_by_token_and_id();
    t_heartbeat_extends();
    t_global_timeout();
    t_terminate_abandon_terminates();
    t_terminate_wait_bills();
    t_deregistration_before_wait();
    t_two_hooks_in_order();
    t_event_envelope();
    t_terminate_instances_replaced();
    t_crash_no_hook();
    t_replacement_after_hook();
    t_tags_and_snapshot();
    t_fleet_health_checks();
    t_boot_script_time();
    t_boot_script_fail_launch();
    t_boot_script_unlicensed();
    t_initial_hooks();
    t_boot_claim_contention();
    return tap_done();
}
