/*
 * ec2_api.c - the EC2 API calls a Lambda function or a boot script makes on
 * an instance (api.h): TerminateInstances, CreateTags, CreateSnapshot.
 *
 * The target is an instance, not a resource: the caller resolves the
 * InstanceId argument with wb_instance (api.h). A call takes effect when its
 * latency has passed (a kernel event), then answers.
 *  - TerminateInstances: EC2 shuts the instance down now (billing ends,
 *    aws-semantics 5.1); its Auto Scaling group finds it not running and
 *    replaces it (1.3). ShouldDecrementDesiredCapacity (the argument of
 *    TerminateInstanceInAutoScalingGroup, accepted here) "true" lowers the
 *    group's desired capacity instead. An instance already terminated: OK
 *    (the EC2 call is idempotent).
 *  - CreateTags: Key = Value on the instance (a later value replaces).
 *  - CreateSnapshot: an EBS snapshot of size_gb GB (default 8, the common
 *    root volume) stored to the end of the run, priced per GB-month
 *    (aws-semantics 5.5: the "ebs_snapshots" cost line); NOT_FOUND once the
 *    instance is terminated (its volume is gone).
 *
 * Latency: AWS documents none; fleetsim draws each call's from a lognormal
 * with p50 50 ms and p99 200 ms (commonly observed), on stream "ec2/api".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/api.h"
#include "models/ec2/instance.h"

#define API_P50 0.050 /* s; fleetsim: not documented by AWS, commonly observed value */
#define API_P99 0.200
#define DEFAULT_SNAPSHOT_GB 8.0

typedef enum { OP_TERMINATE, OP_TAGS, OP_SNAPSHOT } ec2_op;

/* One call in flight (from the instance's pool). */
typedef struct ec2_call {
    ec2_instance *i;
    ec2_op op;
    api_status pre;
    bool decrement;
    double gb;
    char key[129];           /* tag keys: up to 128 characters (EC2) */
    char value[257];         /* tag values: up to 256 */
    api_done_fn done;
    void *ctx;
} ec2_call;

static void on_call(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    ec2_call *q = obj;
    api_result r = {.status = q->pre};
    if (r.status == API_OK) {
        switch (q->op) {
        case OP_TERMINATE:
            if (ec2_running(q->i))
                ec2_api_terminate(q->i, q->decrement);
            break;
        case OP_TAGS:
            if (ec2_set_tag(q->i, q->key, q->value) != 0)
                r.status = API_SERVICE_ERROR;
            break;
        case OP_SNAPSHOT:
            if (ec2_running(q->i))
                ec2_add_snapshot(q->i, q->gb);
            else
                r.status = API_NOT_FOUND;
            break;
        }
    }
    api_done_fn done = q->done;
    void *ctx = q->ctx;
    sim_pool_put(ec2_api_pool(q->i, sizeof *q), q);
    done(ctx, &r);
}

static bool copy(char *out, size_t n, const char *v)
{
    if (!v || strlen(v) >= n)
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

static int serve(ec2_op op, void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    ec2_instance *i = target;
    sim_pool *pool = ec2_api_pool(i, sizeof(ec2_call));
    ec2_call *q = pool ? sim_pool_get(pool) : NULL;
    if (!q)
        return -1;
    memset(q, 0, sizeof *q);
    q->i = i;
    q->op = op;
    q->done = done;
    q->ctx = ctx;
    q->pre = API_OK;
    if (op == OP_TERMINATE) {
        const char *d = api_arg_get(c, "ShouldDecrementDesiredCapacity");
        q->decrement = d && strcmp(d, "true") == 0;
        if (d && !q->decrement && strcmp(d, "false") != 0)
            q->pre = API_INVALID;
    } else if (op == OP_TAGS) {
        if (!copy(q->key, sizeof q->key, api_arg_get(c, "Key")) || !q->key[0] ||
            !copy(q->value, sizeof q->value, api_arg_get(c, "Value")))
            q->pre = API_INVALID;
    } else {
        const char *gb = api_arg_get(c, "size_gb");
        char *end = NULL;
        q->gb = gb ? strtod(gb, &end) : DEFAULT_SNAPSHOT_GB;
        if (gb && (end == gb || *end || !(q->gb > 0) || q->gb > 65536))  /* EBS volumes: at most 64 TiB */
            q->pre = API_INVALID;
    }
    sim_dist d;
    sim_dist_lognormal_p50_p99(&d, API_P50, API_P99);
    sim_after(s, sim_from_sec(sim_dist_sample(&d, sim_rng(s, "ec2/api"))), on_call, q, 0);
    return 0;
}

static int serve_terminate(void *t, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_TERMINATE, t, s, c, done, ctx);
}
static int serve_tags(void *t, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_TAGS, t, s, c, done, ctx);
}
static int serve_snapshot(void *t, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_SNAPSHOT, t, s, c, done, ctx);
}

static const char *const terminate_args[] = {"ShouldDecrementDesiredCapacity", NULL};
static const char *const tags_args[] = {"Key", "Value", NULL};
static const char *const snapshot_args[] = {"size_gb", NULL};

const api_op_spec ec2_api_ops[] = {
    {.op = "ec2:TerminateInstances", .target_type = NULL, .target_arg = "InstanceId", .args = terminate_args,
     .serve = serve_terminate,
     .doc = "terminates the instance now; its group replaces it (aws-semantics 1.3) unless "
            "ShouldDecrementDesiredCapacity is \"true\""},
    {.op = "ec2:CreateTags", .target_type = NULL, .target_arg = "InstanceId", .args = tags_args,
     .required = tags_args, .serve = serve_tags, .doc = "sets tag Key to Value on the instance"},
    {.op = "ec2:CreateSnapshot", .target_type = NULL, .target_arg = "InstanceId", .args = snapshot_args,
     .serve = serve_snapshot,
     .doc = "an EBS snapshot of size_gb GB (default 8) of the instance, priced per GB-month to the end of the "
            "run (aws-semantics 5.5)"},
    {.op = NULL},
};
