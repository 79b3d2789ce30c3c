/*
 * test_lambda.c - Lambda functions invoked asynchronously, as timelines
 * written as YAML scenarios (aws-semantics 6.1-6.5, 11 items 14 and 15):
 * cold then warm starts, environments reclaimed when idle, reserved and
 * account concurrency with throttling and its backoff, reserved 0, function
 * errors retried at +1 min then +2 min before the on-failure destination,
 * timeouts, and cost worked out by hand.
 *
 * Invariant checked in every test: a function's concurrency never exceeds its
 * limit (sampled every 10 ms of simulated time).
 */
#include "tly.h"

#include "models/lambda/function.h"
#include "models/s3/bucket.h"

/* The n-th (0-based) ```yaml block of docs/NAME, found from this file's path (meson runs tests in the build root); caller frees. */
/* ---------------------------------------------------------------- the concurrency invariant */

typedef struct watch {
    lam_fn *f;
    long samples, over;
    int most;
} watch;

static void on_watch(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    watch *m = obj;
    m->samples++;
    if (lam_running(m->f) > lam_limit(m->f))
        m->over++;
    if (lam_running(m->f) > m->most)
        m->most = lam_running(m->f);
    sim_after(s, 10 * SIM_MS, on_watch, m, 0);
}

static void watch_fn(world *w, watch *m, const char *name)
{
    *m = (watch){.f = world_model(w, "aws_lambda_function", name)};
    sim_at(world_sim(w), 0, on_watch, m, 0);
}

static void check_watch(const watch *m, const char *name)
{
    ok(m->samples > 0 && m->over == 0, "invariant: %s's concurrency never above its limit %d (%ld samples)", name,
       lam_limit(m->f), m->samples);
    ok(m->most <= lam_get_counts(m->f).max_concurrency, "max_concurrency covers what was sampled");
    /* max_concurrency is raised at every start, so this holds at every event, not only at the samples */
    ok(lam_get_counts(m->f).max_concurrency <= lam_limit(m->f), "invariant: max_concurrency %d <= limit %d",
       lam_get_counts(m->f).max_concurrency, lam_limit(m->f));
}

/* ---------------------------------------------------------------- direct invocations */

typedef struct shot {
    lam_fn *f;
    aws_event ev;
} shot;

static void on_shot(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    shot *x = obj;
    ok(lam_invoke_async(x->f, &x->ev) == API_OK, "invoke_async accepts %s (6.4: queued, success at once)", x->ev.id);
}

/* n events invoked asynchronously at at_s, as an EventBridge target would. */
static void shots(world *w, shot *x, int n, const char *fn, double at_s)
{
    static const char *const ids[] = {"ev-a", "ev-b", "ev-c", "ev-d", "ev-e"};
    for (int k = 0; k < n; k++) {
        x[k] = (shot){.f = world_model(w, "aws_lambda_function", fn),
                      .ev = {.id = ids[k], .source = "aws.autoscaling", .detail_type = "test"}};
        sim_at(world_sim(w), tl_s(at_s), on_shot, &x[k], 0);
    }
}

/* 6.3: the first run pays the init duration (cold); the next reuses the environment (warm). */
static void test_cold_warm(void)
{
    world *w = tly_build("scenario: t\nduration: 3m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                         "    fleetsim: {init_duration: 500ms, calls: [{compute: 100ms}]}\n", 1);
    ok(w != NULL, "cold/warm: builds");
    if (!w)
        return;
    shot x[2];
    watch m;
    watch_fn(w, &m, "fn");
    shots(w, x, 1, "fn", 10);
    shots(w, x + 1, 1, "fn", 70);
    x[1].ev.id = "ev-b";
    tl_finish(w);
    ok(tl_first(w, 0, "lambda", "fn", "running", "cold start") != NULL, "the first run is a cold start");
    is_near(tl_first_t(w, 0, "lambda", "fn", "done", "ev-a"), 10.6, 1e-9, "done after init 500 ms + 100 ms");
    ok(tl_first(w, 60, "lambda", "fn", "running", "warm") != NULL, "the second run is warm");
    is_near(tl_first_t(w, 60, "lambda", "fn", "done", "ev-b"), 70.1, 1e-9, "done after 100 ms, no init");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.invocations, 2, "two invocations");
    is_int(c.cold_starts, 1, "one cold start");
    check_watch(&m, "fn");
    tly_done(w);
}

/* 6.3 (observed 10 min): an environment idle for idle_reclaim is reclaimed; the next run is cold again. */
static void test_reclaim(void)
{
    world *w = tly_build("scenario: t\nduration: 30m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                         "    fleetsim: {init_duration: 200ms, idle_reclaim: 10m, calls: [{compute: 1s}]}\n", 1);
    ok(w != NULL, "reclaim: builds");
    if (!w)
        return;
    shot x[3];
    watch m;
    watch_fn(w, &m, "fn");
    shots(w, x, 1, "fn", 0);
    shots(w, x + 1, 1, "fn", 300);   /* 5 min idle: warm */
    shots(w, x + 2, 1, "fn", 1000);  /* > 10 min after 301.2 s: reclaimed, cold */
    x[1].ev.id = "ev-b";
    x[2].ev.id = "ev-c";
    tl_finish(w);
    is_near(tl_first_t(w, 0, "lambda", "fn", "reclaimed", NULL), 301 + 600, 1e-9,
            "reclaimed 10 min after the second run ended (301 s)");
    ok(tl_first(w, 299, "lambda", "fn", "running", "warm") != NULL, "5 min idle: warm");
    ok(tl_first(w, 999, "lambda", "fn", "running", "cold start") != NULL, "after the reclaim: cold");
    is_int(lam_get_counts(world_model(w, "aws_lambda_function", "fn")).cold_starts, 2, "two cold starts");
    check_watch(&m, "fn");
    tly_done(w);
}

/* 6.2, 6.4: reserved concurrency 1 and 3 events at once: one runs, the others are throttled and retried after
 * 1 s, 2 s, 4 s ... until a slot frees; all three run, never two at once. */
static void test_reserved_one(void)
{
    world *w = tly_build("scenario: t\nduration: 5m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                         "    reserved_concurrent_executions: 1\n    timeout: 10\n"
                         "    fleetsim: {init_duration: 0s, calls: [{compute: 5s}]}\n", 1);
    ok(w != NULL, "reserved 1: builds");
    if (!w)
        return;
    shot x[3];
    watch m;
    watch_fn(w, &m, "fn");
    shots(w, x, 3, "fn", 10);
    tl_finish(w);
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.invocations, 3, "all three ran in the end");
    is_int(c.succeeded, 3, "all three succeeded");
    is_int(c.max_concurrency, 1, "never more than one at once");
    ok(c.throttles >= 4, "throttles counted (%ld)", c.throttles);
    is_near(tl_first_t(w, 10.5, "lambda", "fn", "running", NULL), 17, 1e-9,
            "the second runs at 17 s: throttled at 10, 11 and 13 s (1 s, 2 s, 4 s backoff), the slot free at 15 s");
    is_near(tl_first_t(w, 10, "lambda", "fn", "throttled", NULL), 10, 1e-9, "the first throttle at once");
    check_watch(&m, "fn");
    tly_done(w);
}

/* 6.2: the account limit caps unreserved functions together. */
static void test_account_limit(void)
{
    world *w = tly_build("scenario: t\nduration: 5m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n    timeout: 10\n"
                         "    fleetsim: {init_duration: 0s, account_concurrency: 2, calls: [{compute: 5s}]}\n", 1);
    ok(w != NULL, "account limit: builds");
    if (!w)
        return;
    shot x[3];
    watch m;
    watch_fn(w, &m, "fn");
    shots(w, x, 3, "fn", 10);
    tl_finish(w);
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.max_concurrency, 2, "two at once under an account limit of 2");
    is_int(c.cold_starts, 2, "two environments");
    is_int(c.invocations, 3, "the third ran later");
    check_watch(&m, "fn");
    tly_done(w);
}

/* 6.2: reserved concurrency 0: every event goes to on-failure (or is dropped) without retries. */
static void test_reserved_zero(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    reserved_concurrent_executions: 0\n", 1);
    ok(w != NULL, "reserved 0: builds");
    if (!w)
        return;
    shot x[3];
    shots(w, x, 3, "fn", 10);
    tl_finish(w);
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.invocations, 0, "nothing ran");
    is_int(c.throttles, 3, "each event throttled once");
    is_int(c.dropped, 3, "all three dropped");
    is_int(c.retries, 0, "no retries");
    is_int(tl_count(w, 0, 1e9, "lambda", "fn", "throttled", NULL), 3, "three throttle lines, no later attempt");
    is_near(tl_first_t(w, 0, "lambda", "fn", "dropped", NULL), 10, 1e-9, "dropped at once");
    tly_done(w);
}

/* 6.4, 11 item 14: a function error is retried 2 times, 1 min then 2 min after the failure; then on-failure. */
static void test_error_retries(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                         "    fleetsim: {init_duration: 0s, error_probability: 1, error_strikes: after_calls, calls: [{compute: 1s}]}\n"
                         "  cfg:\n    type: aws_lambda_function_event_invoke_config\n"
                         "    function_name: aws_lambda_function.fn.function_name\n"
                         "    destination_config:\n      on_failure: {destination: arn:aws:sqs:us-west-2:1:q}\n", 1);
    ok(w != NULL, "error retries: builds");
    if (!w)
        return;
    shot x[1];
    shots(w, x, 1, "fn", 10);
    tl_finish(w);
    is_int(tl_count(w, 0, 1e9, "lambda", "fn", "running", NULL), 3, "three attempts");
    is_near(tl_first_t(w, 0, "lambda", "fn", "error", NULL), 11, 1e-9, "the first fails at 11 s");
    is_near(tl_first_t(w, 11.5, "lambda", "fn", "running", NULL), 71, 1e-9, "retry 1 a minute later (71 s)");
    is_near(tl_first_t(w, 72.5, "lambda", "fn", "running", NULL), 192, 1e-9,
            "retry 2 two minutes after the second failure (72 s + 120 s)");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.errors, 3, "three errors");
    is_int(c.retries, 2, "two retries");
    is_int(c.on_failure, 1, "then the on-failure destination");
    is_near(tl_first_t(w, 0, "lambda", "fn", "on-failure", NULL), 193, 1e-9, "at 193 s");
    tly_done(w);
}

/* 6.1, 6.4: a run past its timeout is stopped (a function error); its environment is not reused. */
static void test_timeout(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n    timeout: 2\n"
                         "    fleetsim: {init_duration: 300ms, calls: [{compute: 5s}]}\n"
                         "  cfg:\n    type: aws_lambda_function_event_invoke_config\n    function_name: fn\n"
                         "    maximum_retry_attempts: 0\n", 1);
    ok(w != NULL, "timeout: builds");
    if (!w)
        return;
    shot x[2];
    shots(w, x, 1, "fn", 10);
    shots(w, x + 1, 1, "fn", 100);
    x[1].ev.id = "ev-b";
    tl_finish(w);
    is_near(tl_first_t(w, 0, "lambda", "fn", "error", "timeout"), 12.3, 1e-9, "stopped 2 s after init (10.3 s)");
    ok(tl_first(w, 0, "lambda", "fn", "done", NULL) == NULL, "never done");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.timeouts, 2, "two timeouts");
    is_int(c.dropped, 2, "no retries configured: both dropped");
    is_int(c.cold_starts, 2, "the timed-out environment is discarded: the next run is cold");
    tly_done(w);
}

/* 6.5, 11 item 15: requests plus GB-seconds in 1 ms steps, init included; CPU share = memory / 1,769 MB (6.1). */
static void test_cost(void)
{
    world *w = tly_run("scenario: t\nduration: 630s\nregion: us-west-2\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    fleetsim: {delivery_latency: 0s}\n"
                       "  big:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                       "    fleetsim: {init_duration: 0s, calls: [{compute: 1s}]}\n"
                       "  small:\n    type: aws_lambda_function\n    memory_size: 512\n    architectures: [arm64]\n    timeout: 10\n"
                       "    fleetsim: {init_duration: 250ms, calls: [{compute: 1s}]}\n"
                       "  t1: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.big.arn}\n"
                       "  t2: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.small.arn}\n", 1);
    ok(w != NULL, "cost: runs");
    if (!w)
        return;
    const lam_fn *big = world_model(w, "aws_lambda_function", "big");
    const lam_fn *small = world_model(w, "aws_lambda_function", "small");
    lam_counts b = lam_get_counts(big), s = lam_get_counts(small);
    is_int(b.invocations, 10, "big: 10 runs (60 s .. 600 s)");
    is_int(s.invocations, 10, "small: 10 runs");
    /* big: 1 s at one vCPU = 1000 ms x 1769/1024 GB */
    is_near(b.gb_seconds, 10 * 1769.0 / 1024.0, 1e-9, "big: 17.2754 GB-s");
    /* small: 1 s / (512/1769) = 3455.078125 ms -> 3456 ms billed; the cold one adds 250 ms init -> 3706 ms */
    is_near(s.gb_seconds, (3706 + 9 * 3456) / 1000.0 * 0.5, 1e-9, "small: 17.405 GB-s (1 ms steps, init billed)");
    double want_big = 10 * 0.20 / 1e6 + 10 * 1769.0 / 1024.0 * 0.0000166667;
    double want_small = 10 * 0.20 / 1e6 + (3706 + 9 * 3456) / 1000.0 * 0.5 * 0.0000133334;
    is_near(lam_cost(big, "us-west-2"), want_big, 1e-12, "big: x86_64 price, $%.8f", want_big);
    is_near(lam_cost(small, "us-west-2"), want_small, 1e-12, "small: arm64 price, $%.8f", want_small);
    is_near(world_cost(w, "lambda"), want_big + want_small, 1e-12, "the ledger's lambda line is their sum");
    is_near(tl_first_t(w, 0, "lambda", "small", "done", NULL), 60 + 0.25 + 3.455078125, 1e-9,
            "small's run takes 3.455 s (CPU share 512/1769)");
    tly_done(w);
}

/* docs/lambda.md's example is true: 9 runs (60 s .. 540 s), one cold start, each 1 s / (1024/1769) = 1.7275 s. */
static void test_docs(void)
{
    char *y = tly_doc_yaml("lambda.md", 0);
    ok(y != NULL, "docs/lambda.md has its example");
    world *w = y ? tly_run(y, 1) : NULL;
    free(y);
    ok(w != NULL, "the example runs");
    if (!w)
        return;
    const lam_fn *f = world_model(w, "aws_lambda_function", "release");
    lam_counts c = lam_get_counts(f);
    is_int(c.invocations, 9, "docs: 9 runs");
    is_int(c.cold_starts, 1, "docs: the first is cold, the others warm");
    is_near((double)hist_quantile(lam_durations(f), 0.5) / 1e9, 1769.0 / 1024.0, 0.01, "docs: a run takes 1.7275 s");
    is_int(c.errors, 0, "docs: no errors");
    tly_done(w);
}

/* DESIGN 3b, docs/lambda.md: the code's calls see the event's variables; an unset one fails the run (a function
 * error, retried as 6.4 says). The event time is RFC 3339 from start_time. */
static void test_calls_and_variables(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  logs: {type: aws_s3_bucket, fleetsim: {latency: 10ms}}\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                         "    fleetsim:\n      init_duration: 0s\n      calls:\n"
                         "        - {call: s3:PutObject, bucket: logs, key: '${event.detail.EC2InstanceId}/${event.time}'}\n"
                         "        - {call: s3:GetObject, bucket: logs, key: 'i-1/2026-01-05T00:00:10Z'}\n"
                         "  cfg: {type: aws_lambda_function_event_invoke_config, function_name: fn, "
                         "maximum_retry_attempts: 0}\n", 1);
    ok(w != NULL, "calls: builds");
    if (!w)
        return;
    shot x[2];
    shots(w, x, 1, "fn", 10);
    x[0].ev.time = tl_s(10);
    x[0].ev.detail[0] = (aev_field){"EC2InstanceId", "i-1"};
    x[0].ev.n_detail = 1;
    shots(w, x + 1, 1, "fn", 20);
    x[1].ev.id = "ev-b";
    tl_finish(w);
    const s3_bucket *k = world_model(w, "aws_s3_bucket", "logs");
    s3_counts sc = s3_get_counts(k);
    is_int(sc.puts, 1, "one PutObject: the event with EC2InstanceId");
    is_int(sc.gets, 1, "its GetObject found i-1/2026-01-05T00:00:10Z (${event.time} from start_time)");
    is_int(sc.not_found, 0, "no NoSuchKey");
    is_near(tl_first_t(w, 0, "lambda", "fn", "done", "ev-a"), 10.02, 1e-9, "done after two 10 ms calls");
    ok(tl_first(w, 0, "api", "fn", NULL, "${event.detail.EC2InstanceId} is not set") != NULL,
       "the second event has no EC2InstanceId: the call fails, logged");
    ok(tl_first(w, 0, "lambda", "fn", "error", "ev-b") != NULL, "a function error");
    is_int(lam_get_counts(world_model(w, "aws_lambda_function", "fn")).dropped, 1, "no retries configured: dropped");
    tly_done(w);
}

/* 6.4: a throttled event is retried 1 s, 2 s, 4 s ... apart until maximum_event_age, then discarded. */
static void test_throttled_past_age(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n    timeout: 300\n"
                         "    reserved_concurrent_executions: 1\n"
                         "    fleetsim: {init_duration: 0s, calls: [{compute: 200s}]}\n"
                         "  cfg: {type: aws_lambda_function_event_invoke_config, function_name: fn, "
                         "maximum_event_age_in_seconds: 60}\n", 1);
    ok(w != NULL, "age: builds");
    if (!w)
        return;
    shot x[2];
    watch m;
    watch_fn(w, &m, "fn");
    shots(w, x, 2, "fn", 10);
    tl_finish(w);
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.throttles, 6, "throttled at 10, 11, 13, 17, 25 and 41 s");
    is_near(tl_first_t(w, 41.5, "lambda", "fn", NULL, "ev-b"), 70, 1e-9, "the next try would be at 73 s: at 70 s the "
            "event is 60 s old");
    ok(tl_first(w, 0, "lambda", "fn", "dropped", "maximum event age") != NULL, "dropped for its age");
    is_int(c.invocations, 1, "only the first ran");
    check_watch(&m, "fn");
    tly_done(w);
}

/* What-if: an errors window makes the runs in it fail (and only those). */
static void test_errors_window(void)
{
    world *w = tly_run("scenario: t\nduration: 330s\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    fleetsim: {delivery_latency: 0s}\n"
                       "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                       "    fleetsim:\n      init_duration: 0s\n      calls: [{compute: 1s}]\n"
                       "      errors: [{at: 2m, duration: 2m}]\n"
                       "  cfg: {type: aws_lambda_function_event_invoke_config, function_name: fn, "
                       "maximum_retry_attempts: 0}\n"
                       "  t: {type: aws_cloudwatch_event_target, rule: r, arn: fn}\n", 1);
    ok(w != NULL, "errors window: runs");
    if (!w)
        return;
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.invocations, 5, "five runs (60 .. 300 s)");
    is_int(c.errors, 2, "the runs ending at 121 s and 181 s fail");
    is_int(c.succeeded, 3, "those at 60, 240 and 300 s succeed");
    is_int(tl_count(w, 120, 240, "lambda", "fn", "error", "injected"), 2, "both inside the window");
    tly_done(w);
}

int main(void)
{
    test_docs();
    test_cold_warm();
    test_reclaim();
    test_reserved_one();
    test_account_limit();
    test_reserved_zero();
    test_throttled_past_age();
    test_error_retries();
    test_timeout();
    test_errors_window();
    test_cost();
    test_calls_and_variables();
    return tap_done();
}
