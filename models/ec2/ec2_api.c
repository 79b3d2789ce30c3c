/*
 * ec2_api.c - the EC2 API calls a Lambda function or a boot script makes on
 * an instance (api.h): TerminateInstances, CreateTags, CreateSnapshot.
 *
 * The target is an instance, not a resource (target_type NULL): the caller
 * passes the world (wb) and the InstanceId argument, which the call resolves
 * with wb_instance when it takes effect, after its latency (a kernel event);
 * no such instance: NOT_FOUND. Calls in flight and the snapshots' storage are
 * kept by the "ec2_api" service (created by the first call).
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
 *    instance is terminated (its volume is gone). Snapshots are incremental
 *    (5.5): a later snapshot of the same instance stores only the blocks
 *    changed since the one before, changed_gb (default 1 GB: fleetsim, not
 *    documented by AWS; at most size_gb).
 *
 * Latency: AWS documents none; fleetsim draws each call's from a lognormal
 * with p50 50 ms and p99 200 ms (commonly observed), on stream "ec2/api".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/api.h"
#include "models/core/build.h"
#include "models/ec2/instance.h"
#include "models/ec2/instance_type.h"

#define API_P50 0.050 /* s; fleetsim: not documented by AWS, commonly observed value */
#define API_P99 0.200
#define DEFAULT_SNAPSHOT_GB 8.0
#define DEFAULT_CHANGED_GB 1.0 /* fleetsim: not documented by AWS */
#define SNAPSHOT_MONTH (730.0 * 3600.0) /* seconds in AWS's billing month (730 h) */

/* The account's EC2 API: calls in flight and the snapshots taken. */
typedef struct ec2_api {
    wb *b;
    sim_pool *pool;
    gsl_rng *rng;
    double gb, gb_t;         /* snapshots: GB, and sum of GB x creation time in s (GB-seconds = gb x end - gb_t) */
} ec2_api;

typedef enum { OP_TERMINATE, OP_TAGS, OP_SNAPSHOT, OP_DESCRIBE } ec2_op;

/* One call in flight (from the service's pool). */
typedef struct ec2_call {
    ec2_api *api;
    ec2_op op;
    api_status pre;
    bool decrement;
    double gb, changed_gb;
    char id[SCN_ID_SIZE];
    char key[129];           /* tag keys: up to 128 characters (EC2) */
    char value[257];         /* tag values: up to 256; DescribeInstances: filter.State */
    api_done_fn done;
    void *ctx;
} ec2_call;

static void *api_create(wb *b, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    ec2_api *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->b = b;
    a->pool = sim_pool_new(wb_sim(b), sizeof(ec2_call));
    a->rng = sim_rng(wb_sim(b), "ec2/api");
    if (!a->pool || !a->rng) {
        free(a);
        return NULL;
    }
    return a;
}

/* EBS snapshots stored from their creation to the end of the run (aws-semantics 5.5). */
static void api_cost(const void *svc, wb *b, cost_ledger *l)
{
    const ec2_api *a = svc;
    const scenario *sc = wb_scenario(b);
    double gb_s = a->gb * sim_to_sec(sim_now(wb_sim(b))) - a->gb_t;
    if (gb_s > 0)
        cost_ledger_charge(l, "ebs", "snapshots", "GB-months", gb_s / SNAPSHOT_MONTH,
                           itype_services_for(sc->region)->ebs_snapshot_gb_month);
}

static void api_free(void *svc) { free(svc); }

static const wb_service ec2_api_service = {
    .name = "ec2_api",
    .create = api_create,
    .cost = api_cost,
    .free = api_free,
};

static void on_call(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    ec2_call *q = obj;
    api_result r = {.status = q->pre};
    ec2_instance *i = r.status == API_OK ? wb_instance(q->api->b, q->id) : NULL;
    api_item found = {.n_attrs = 0};
    if (q->op == OP_DESCRIBE && r.status == API_OK) {
        /* An instance that is gone (or never ran) reads as terminated, as AWS lists a terminated instance for a while. */
        const char *state = i && ec2_running(i) ? "running" : "terminated";
        if (!q->value[0] || strcmp(q->value, state) == 0) {
            found.attrs[found.n_attrs++] = (api_arg){.name = "InstanceId", .value = q->id};
            found.attrs[found.n_attrs++] = (api_arg){.name = "State", .value = state};
            r.items = &found;
            r.n_items = 1;
        }
        i = NULL;
    } else if (r.status == API_OK && !i) {
        r.status = API_NOT_FOUND;
    }
    if (r.status == API_OK) {
        switch (q->op) {
        case OP_TERMINATE:
            if (ec2_running(i))
                ec2_api_terminate(i, q->decrement);
            break;
        case OP_TAGS:
            if (ec2_set_tag(i, q->key, q->value) != 0)
                r.status = API_SERVICE_ERROR;
            break;
        case OP_DESCRIBE:
            break;
        case OP_SNAPSHOT:
            if (ec2_running(i)) {
                /* 5.5: incremental; only the first snapshot of the volume stores all of it. */
                double gb = ec2_n_snapshots(i) > 0 ? (q->changed_gb < q->gb ? q->changed_gb : q->gb) : q->gb;
                ec2_add_snapshot(i, gb);
                q->api->gb += gb;
                q->api->gb_t += gb * sim_to_sec(sim_now(s));
            } else {
                r.status = API_NOT_FOUND;  /* terminated: its volume is gone */
            }
            break;
        }
    }
    api_done_fn done = q->done;
    void *ctx = q->ctx;
    sim_pool_put(q->api->pool, q);
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
    ec2_api *a = wb_service_get(target, &ec2_api_service, NULL, 0);
    ec2_call *q = a ? sim_pool_get(a->pool) : NULL;
    if (!q)
        return -1;
    memset(q, 0, sizeof *q);
    q->api = a;
    q->op = op;
    q->done = done;
    q->ctx = ctx;
    q->pre = copy(q->id, sizeof q->id, api_arg_get(c, "InstanceId")) ? API_OK : API_INVALID;
    if (op == OP_TERMINATE) {
        const char *d = api_arg_get(c, "ShouldDecrementDesiredCapacity");
        q->decrement = d && strcmp(d, "true") == 0;
        if (d && !q->decrement && strcmp(d, "false") != 0)
            q->pre = API_INVALID;
    } else if (op == OP_DESCRIBE) {
        const char *st = api_arg_get(c, "filter.State");
        if (st && !copy(q->value, sizeof q->value, st))
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
        const char *ch = api_arg_get(c, "changed_gb");
        q->changed_gb = ch ? strtod(ch, &end) : DEFAULT_CHANGED_GB;
        if (ch && (end == ch || *end || !(q->changed_gb >= 0) || q->changed_gb > 65536))
            q->pre = API_INVALID;
    }
    sim_dist d;
    sim_dist_lognormal_p50_p99(&d, API_P50, API_P99);
    sim_after(s, sim_from_sec(sim_dist_sample(&d, a->rng)), on_call, q, 0);
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
static const char *const snapshot_args[] = {"size_gb", "changed_gb", NULL};
static const char *const describe_args[] = {"filter.State", NULL};

static int serve_describe(void *t, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    return serve(OP_DESCRIBE, t, s, c, done, ctx);
}

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
            "run; incremental: a later one of the same instance stores changed_gb (default 1) (aws-semantics 5.5)"},
    {.op = "ec2:DescribeInstances", .target_type = NULL, .target_arg = "InstanceId", .args = describe_args,
     .serve = serve_describe,
     .doc = "the instance's State (running, or terminated once it is gone), saved as InstanceId and State; with "
            "filter.State it returns nothing unless the state matches"},
    {.op = NULL},
};
