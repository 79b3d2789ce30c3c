/*
 * test_s3.c - the S3 bucket as API calls see it: GetObject of an object that
 * exists and of one that does not, PutObject, and the price of requests and
 * storage (aws-semantics 9).
 */
#include "tests/timeline/tly.h"

#include "models/core/api_script.h"
#include "models/core/build.h"
#include "models/s3/bucket.h"

static const char yaml[] =
    "scenario: s3\n"
    "duration: 730h\n"
    "resources:\n"
    "  scripts:\n"
    "    type: aws_s3_bucket\n"
    "    bucket: license-scripts\n"
    "    fleetsim:\n"
    "      objects: [{key: take_key.sh, size_bytes: 2048}]\n"
    "      latency: 20ms\n"
    "  lt:\n"
    "    type: aws_launch_template\n"
    "    instance_type: t3.micro\n"
    "    boot_script:\n"
    "      calls:\n"
    "        - call: s3:GetObject\n"
    "          bucket: scripts\n"
    "          key: take_key.sh\n"
    "          save: script\n"
    "        - call: s3:PutObject\n"
    "          bucket: scripts\n"
    "          key: logs/${instance.id}.log\n"
    "          size_bytes: \"1000000000\"\n"
    "        - call: s3:GetObject\n"
    "          bucket: scripts\n"
    "          key: ${script.key}.missing\n";

typedef struct run {
    int done;
    api_status st;
    as_stats figures;
    sim_time_t at;
    sim *s;
} run;

static const char *var(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "instance.id") == 0 ? "i-1" : NULL;
}

static void done(void *ctx, api_status st, const as_stats *f)
{
    run *r = ctx;
    r->done++;
    r->st = st;
    r->figures = *f;
    r->at = sim_now(r->s);
}

int main(void)
{
    gsl_set_error_handler_off();
    world *w = tly_build(yaml, 1);
    ok(w != NULL, "the scenario builds");
    if (!w)
        return tap_done();
    run r = {.s = world_sim(w)};
    ok(as_start(world_wb(w), &world_scenario(w)->launch_templates[0].boot, sim_rng(world_sim(w), "test"), 1, "i-1", var,
                NULL, done, &r) != NULL,
       "the script starts");
    tl_finish(w);
    is_int(r.done, 1, "done once");
    ok(r.st == API_NOT_FOUND, "the third call's object is missing: the script fails NoSuchKey");
    is_int(r.figures.calls, 3, "three calls were made");
    ok(r.at == tl_s(0.060), "three calls at 20 ms each end at 60 ms (%g s)", tl_sec(r.at));
    s3_bucket *k = world_model(w, "aws_s3_bucket", "scripts");
    s3_counts c = s3_get_counts(k);
    is_int((int)c.gets, 2, "two GETs");
    is_int((int)c.puts, 1, "one PUT");
    is_int((int)c.not_found, 1, "one NoSuchKey");
    is_int((int)c.objects, 2, "two objects stored");
    /* 2 GET x $0.0004/1000 + 1 PUT x $0.005/1000 + ~1 GB for ~730 h (one GB-month) x $0.023. */
    double want = 2 * 0.0004 / 1000 + 0.005 / 1000 + (1e9 + 2048) / 1e9 * 0.023;
    is_near(s3_cost(k), want, 1e-6, "cost: requests and one GB-month of storage (%.6f)", s3_cost(k));
    ok(tl_first(w, 0, "s3", "scripts", NULL, "NoSuchKey") != NULL, "the NoSuchKey is logged");
    tly_free(w);
    char *e = tly_errors("scenario: b\nduration: 1m\nresources:\n  k:\n    type: aws_s3_bucket\n    fleetsim:\n"
                         "      objects: [{size_bytes: 5}]\n");
    ok(e && strstr(e, "<test>:7:17: error: missing required key 'key' in object 1"), "an object needs its key");
    if (e && !strstr(e, "7:17"))
        printf("# %s\n", e);
    free(e);
    return tap_done();
}
