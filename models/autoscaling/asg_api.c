/*
 * asg_api.c - the Auto Scaling API calls a Lambda function or a boot script
 * makes on a group (api.h): CompleteLifecycleAction and
 * RecordLifecycleActionHeartbeat (aws-semantics 1.7).
 *
 * A call takes effect when its latency has passed (a kernel event), then
 * answers: API_NOT_FOUND when no such lifecycle action is pending (it was
 * completed or timed out), API_INVALID for a bad argument.
 *
 * Latency: AWS documents none; fleetsim draws each call's from a lognormal
 * with p50 50 ms and p99 200 ms (commonly observed control-plane latency),
 * on the group's stream "asg.<name>/api".
 */
#include <stdio.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/core/api.h"

#define API_P50 0.050 /* s; fleetsim: not documented by AWS, commonly observed value */
#define API_P99 0.200

typedef enum { OP_COMPLETE, OP_HEARTBEAT } asg_op;

/* One call in flight (from the group's pool). */
typedef struct asg_call {
    asg *g;
    asg_op op;
    api_status pre;          /* API_OK, or the argument error it answers */
    int result;              /* ASG_RESULT_* */
    char hook[256];
    char token[64];
    char iid[SCN_ID_SIZE];
    char caller[SCN_ID_SIZE];
    api_done_fn done;
    void *ctx;
} asg_call;

/* Copies v into out; false if it does not fit (an invalid argument). */
static bool copy(char *out, size_t n, const char *v)
{
    if (!v) {
        out[0] = '\0';
        return true;
    }
    if (strlen(v) >= n)
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

static void on_call(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    asg_call *q = obj;
    api_result r = {.status = q->pre};
    if (r.status == API_OK) {
        int rc = q->op == OP_COMPLETE
            ? asg_complete_action(q->g, q->caller, q->hook, q->token, q->iid, q->result)
            : asg_record_heartbeat(q->g, q->caller, q->hook, q->token, q->iid);
        r.status = rc == 0 ? API_OK : API_NOT_FOUND;
    }
    api_done_fn done = q->done;
    void *ctx = q->ctx;
    sim_pool_put(asg_api_pool(q->g, sizeof *q), q);
    done(ctx, &r);
}

static int serve(asg_op op, void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    asg *g = target;
    sim_pool *pool = asg_api_pool(g, sizeof(asg_call));
    asg_call *q = pool ? sim_pool_get(pool) : NULL;
    if (!q)
        return -1;
    memset(q, 0, sizeof *q);
    q->g = g;
    q->op = op;
    q->done = done;
    q->ctx = ctx;
    q->pre = API_OK;
    const char *res = api_arg_get(c, "LifecycleActionResult");
    const char *token = api_arg_get(c, "LifecycleActionToken"), *iid = api_arg_get(c, "InstanceId");
    if (!copy(q->hook, sizeof q->hook, api_arg_get(c, "LifecycleHookName")) || !q->hook[0] ||
        !copy(q->token, sizeof q->token, token) || !copy(q->iid, sizeof q->iid, iid) ||
        (!q->token[0] && !q->iid[0]))
        q->pre = API_INVALID;  /* the API wants the hook and either the token or the instance */
    if (op == OP_COMPLETE) {
        if (res && strcmp(res, "CONTINUE") == 0)
            q->result = ASG_RESULT_CONTINUE;
        else if (res && strcmp(res, "ABANDON") == 0)
            q->result = ASG_RESULT_ABANDON;
        else
            q->pre = API_INVALID;
    }
    snprintf(q->caller, sizeof q->caller, "%s", c->caller ? c->caller : "?");
    sim_dist d;
    sim_dist_lognormal_p50_p99(&d, API_P50, API_P99);
    sim_after(s, sim_from_sec(sim_dist_sample(&d, asg_api_rng(g))), on_call, q, 0);
    return 0;
}

static int serve_complete(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_COMPLETE, target, s, c, done, ctx);
}

static int serve_heartbeat(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_HEARTBEAT, target, s, c, done, ctx);
}

static const char *const complete_args[] = {"LifecycleHookName", "LifecycleActionResult", "LifecycleActionToken",
                                            "InstanceId", NULL};
static const char *const complete_req[] = {"LifecycleHookName", "LifecycleActionResult", NULL};
static const char *const heartbeat_args[] = {"LifecycleHookName", "LifecycleActionToken", "InstanceId", NULL};
static const char *const heartbeat_req[] = {"LifecycleHookName", NULL};

const api_op_spec asg_api_ops[] = {
    {.op = "autoscaling:CompleteLifecycleAction", .target_type = "aws_autoscaling_group",
     .target_arg = "AutoScalingGroupName", .args = complete_args, .required = complete_req, .serve = serve_complete,
     .doc = "ends the lifecycle-hook wait named by LifecycleActionToken or InstanceId with CONTINUE or ABANDON "
            "(aws-semantics 1.7); NOT_FOUND when none is pending"},
    {.op = "autoscaling:RecordLifecycleActionHeartbeat", .target_type = "aws_autoscaling_group",
     .target_arg = "AutoScalingGroupName", .args = heartbeat_args, .required = heartbeat_req,
     .serve = serve_heartbeat,
     .doc = "restarts the wait's heartbeat timeout, within the global timeout (aws-semantics 1.7); NOT_FOUND when "
            "none is pending"},
    {.op = NULL},
};
