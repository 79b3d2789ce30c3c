/*
 * test_events.c - EventBridge rules and targets as timelines written as YAML
 * scenarios (aws-semantics 6.7, 10, 11 item 14): schedules fire on their
 * rate or cron, a disabled rule (state or what-if window) drops what it
 * matches, patterns select events from the bus, and targets retry throttled
 * deliveries until their retry policy runs out.
 *
 * Delivery latency is a constant 100 ms here so times are exact.
 */
#include "tly.h"

#include "models/events/rule.h"
#include "models/lambda/function.h"

#define FN                                                                                                            \
    "  fn:\n"                                                                                                         \
    "    type: aws_lambda_function\n"                                                                                 \
    "    memory_size: 1769\n"                                                                                         \
    "    fleetsim: {init_duration: 0s, calls: [{compute: 1s}]}\n"

#define TARGET                                                                                                        \
    "  tgt:\n"                                                                                                        \
    "    type: aws_cloudwatch_event_target\n"                                                                         \
    "    rule: aws_cloudwatch_event_rule.r.name\n"                                                                    \
    "    arn: aws_lambda_function.fn.arn\n"

/* The n-th (0-based) ```yaml block of docs/NAME, found from this file's path (meson runs tests in the build root); caller frees. */
static evr_counts rule_counts(const world *w, const char *name)
{
    const evr *r = world_model(w, "aws_cloudwatch_event_rule", name);
    return r ? evr_get_counts(r) : (evr_counts){.matched = -1};
}

/* 6.7: a rate schedule fires every period (fleetsim: from t = 0, first at one period); each match is delivered after the latency. */
static void test_rate(void)
{
    world *w = tly_run("scenario: t\nduration: 1h\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(5 minutes)\n"
                       "    fleetsim: {delivery_latency: 100ms}\n" FN TARGET, 1);
    ok(w != NULL, "rate: the scenario runs");
    if (!w)
        return;
    is_int(tl_count(w, 0, 3601, "events", "r", "matched", "Scheduled Event"), 12, "rate(5 minutes): 12 fires in 1 h");
    is_near(tl_first_t(w, 0, "events", "r", "matched", NULL), 300, 1e-9, "first fire at 5 min");
    is_near(tl_first_t(w, 301, "events", "r", "matched", NULL), 600, 1e-9, "second at 10 min");
    is_near(tl_first_t(w, 0, "events", "tgt", "delivered", NULL), 300.1, 1e-9, "delivered 100 ms after the fire");
    is_near(tl_first_t(w, 0, "lambda", "fn", "running", NULL), 300.1, 1e-9, "the function starts on delivery");
    evr_counts c = rule_counts(w, "r");
    is_int(c.matched, 12, "rule row: matched_events");
    is_int(c.invocations, 11, "rule row: invocations (the fire at 1 h is delivered after the end)");
    is_int(c.failed, 0, "no failed deliveries");
    tly_done(w);
}

/* 6.7: cron in UTC from start_time, one-minute precision; fires on the minute. */
static void test_cron(void)
{
    world *w = tly_run("scenario: t\nduration: 1h\nstart_time: 2026-01-05T11:00:00Z\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: cron(0 12 * * ? *)\n"
                       "    fleetsim: {delivery_latency: 100ms}\n" FN TARGET, 1);
    ok(w != NULL, "cron: the scenario runs");
    if (!w)
        return;
    is_int(tl_count(w, 0, 3601, "events", "r", "matched", NULL), 1, "cron(0 12 * * ? *) from 11:00: one fire");
    is_near(tl_first_t(w, 0, "events", "r", "matched", NULL), 3600, 1e-9, "at 12:00 UTC (t = 1 h)");
    tly_done(w);
}

/* 6.7 / issue 7: a rule disabled for a window drops what it matches in that window, and only then. */
static void test_disabled_window(void)
{
    world *w = tly_run("scenario: t\nduration: 30m\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    fleetsim:\n      delivery_latency: 100ms\n      disabled: [{at: 10m, duration: 10m}]\n"
                       FN TARGET, 1);
    ok(w != NULL, "disabled window: runs");
    if (!w)
        return;
    evr_counts c = rule_counts(w, "r");
    is_int(c.disabled_drops, 10, "fires at 10..19 min are dropped");
    is_int(c.matched, 20, "the other 20 fires match");
    is_int(tl_count(w, 600, 1200, "lambda", "fn", "running", NULL), 0, "no invocation while disabled");
    is_int(tl_count(w, 1200, 1250, "lambda", "fn", "running", NULL), 1, "invocations resume at 20 min");
    tly_done(w);
}

/* state DISABLED: the rule matches nothing at all. */
static void test_state_disabled(void)
{
    world *w = tly_run("scenario: t\nduration: 10m\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    state: DISABLED\n" FN TARGET, 1);
    ok(w != NULL, "state DISABLED: runs");
    if (!w)
        return;
    evr_counts c = rule_counts(w, "r");
    is_int(c.matched, 0, "nothing matched");
    is_int(c.disabled_drops, 10, "ten fires dropped");
    is_int(lam_get_counts(world_model(w, "aws_lambda_function", "fn")).invocations, 0, "never invoked");
    tly_done(w);
}

typedef struct offer {
    wb *b;
    aws_event ev;
} offer;

/* An emitter: puts the event on the default bus (wb_put_event), as Auto Scaling would. */
static void on_offer(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    offer *o = obj;
    o->ev.time = sim_now(s);
    wb_put_event(o->b, &o->ev);
}

/* 6.7: patterns select events from the bus: rule r (JSON string) takes asg1's terminate hook events, rule y (YAML
 * mapping) anything but asg1's that has an EC2InstanceId; the bus numbers events that come without an id. */
static void test_pattern(void)
{
    world *w = tly_build("scenario: t\nduration: 10m\nresources:\n"
                         "  r:\n    type: aws_cloudwatch_event_rule\n"
                         "    event_pattern: '{\"source\": [\"aws.autoscaling\"], \"detail-type\": "
                         "[\"EC2 Instance-terminate Lifecycle Action\"], \"detail\": {\"AutoScalingGroupName\": "
                         "[{\"prefix\": \"asg1\"}]}}'\n"
                         "    fleetsim: {delivery_latency: 100ms}\n"
                         "  y:\n    type: aws_cloudwatch_event_rule\n"
                         "    event_pattern:\n      source: [aws.autoscaling]\n"
                         "      detail:\n        AutoScalingGroupName: [{anything-but: [asg1]}]\n"
                         "        EC2InstanceId: [{exists: true}]\n"
                         FN TARGET, 1);
    ok(w != NULL, "pattern: builds");
    if (!w)
        return;
    offer o1 = {.b = world_wb(w),
                .ev = {.id = NULL, .source = "aws.autoscaling", .detail_type = "EC2 Instance-terminate Lifecycle Action",
                       .detail = {{"AutoScalingGroupName", "asg1"}, {"EC2InstanceId", "i-asg1-0"}}, .n_detail = 2}};
    offer o2 = o1, o3 = o1;
    o2.ev.detail[0].value = "asg2";
    o3.ev.detail[0].value = "asg3";
    o3.ev.n_detail = 1; /* no EC2InstanceId */
    sim_at(world_sim(w), tl_s(60), on_offer, &o1, 0);
    sim_at(world_sim(w), tl_s(120), on_offer, &o2, 0);
    sim_at(world_sim(w), tl_s(180), on_offer, &o3, 0);
    tl_finish(w);
    is_int(tl_count(w, 0, 1e9, "events", "r", "matched", NULL), 1, "r matched one of three events");
    ok(tl_first(w, 0, "events", "r", "matched", "ev-1 ") != NULL, "the first (asg1) event, numbered ev-1 by the bus");
    is_near(tl_first_t(w, 0, "lambda", "fn", "running", "ev-1:"), 60.1, 1e-9, "and delivered 100 ms later");
    is_int(tl_count(w, 0, 1e9, "events", "y", "matched", NULL), 1, "y matched one event");
    ok(tl_first(w, 0, "events", "y", "matched", "ev-2 ") != NULL, "the asg2 event (anything-but asg1, exists)");
    ok(tl_first(w, 0, NULL, NULL, NULL, "ev-3") == NULL, "the asg3 event without EC2InstanceId left no trace");
    tly_done(w);
}

/* 6.7: a throttled delivery is retried with backoff (here until the 429 window ends), then delivered. */
static void test_target_retry(void)
{
    world *w = tly_run("scenario: t\nduration: 10m\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    fleetsim: {delivery_latency: 100ms}\n"
                       "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
                       "    fleetsim:\n      init_duration: 0s\n      calls: [{compute: 1s}]\n"
                       "      invoke_throttled: [{at: 50s, duration: 30s}]\n"
                       TARGET "    fleetsim: {retry_base: 2s, retry_cap: 16s}\n", 1);
    ok(w != NULL, "target retry: runs");
    if (!w)
        return;
    double d = tl_first_t(w, 0, "events", "tgt", "delivered", NULL);
    ok(d >= 80 && d < 80 + 16, "the first delivery lands after the 429 window ends (t = %.3f)", d);
    ok(tl_count(w, 0, 80, "events", "tgt", "retry", NULL) >= 3, "retried with backoff during the window");
    ok(tl_first(w, 0, "events", "tgt", "delivered", "attempt 1)") == NULL || tl_first_t(w, 0, "events", "tgt",
       "delivered", "attempt 1)") > 100, "the first event was not delivered on its first attempt");
    evr_counts c = rule_counts(w, "r");
    ok(c.retries >= 3, "rule row: delivery_retries counted (%ld)", c.retries);
    is_int(c.failed, 0, "nothing failed");
    tly_done(w);
}

/* 6.7: with maximum_retry_attempts 0 the throttled delivery fails at once and goes to the dead-letter queue. */
static void test_target_dlq(void)
{
    world *w = tly_run("scenario: t\nduration: 210s\nresources:\n"
                       "  r:\n    type: aws_cloudwatch_event_rule\n    schedule_expression: rate(1 minute)\n"
                       "    fleetsim: {delivery_latency: 100ms}\n"
                       "  fn:\n    type: aws_lambda_function\n"
                       "    fleetsim: {init_duration: 0s, invoke_throttled: [{at: 0s, duration: 1h}]}\n"
                       TARGET "    retry_policy: {maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60}\n"
                       "    dead_letter_config: {arn: arn:aws:sqs:us-west-2:123456789012:dlq}\n", 1);
    ok(w != NULL, "target DLQ: runs");
    if (!w)
        return;
    evr_counts c = rule_counts(w, "r");
    is_int(c.failed, 3, "three deliveries failed");
    is_int(c.dead_lettered, 3, "all three dead-lettered");
    is_int(c.retries, 0, "no retries with maximum_retry_attempts 0");
    is_near(tl_first_t(w, 0, "events", "tgt", "failed", NULL), 60.1, 1e-9, "the first fails on its first attempt");
    tly_done(w);
}

/* docs/eventbridge.md's examples are true: the scheduled rule fires 12 times and the function runs 11 times; the pattern rules load. */
static void test_docs(void)
{
    char *y = tly_doc_yaml("eventbridge.md", 0);
    ok(y != NULL, "docs/eventbridge.md has its example");
    world *w = y ? tly_run(y, 1) : NULL;
    free(y);
    ok(w != NULL, "the example runs");
    if (w) {
        evr_counts c = rule_counts(w, "every_5_min");
        is_int(c.matched, 12, "docs: 12 fires in the hour");
        is_int(c.invocations, 11, "docs: 11 invocations");
        is_int(lam_get_counts(world_model(w, "aws_lambda_function", "checker")).invocations, 11, "docs: 11 runs");
        tly_done(w);
    }
    char *p = tly_doc_yaml("eventbridge.md", 1);
    char *full = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&full, &len);
    if (out) {
        fprintf(out, "scenario: t\nduration: 1h\nresources:\n%s", p ? p : "");
        fclose(out);
    }
    char *errs = p && full ? tly_errors(full) : strdup("no example");
    ok(p && !errs, "docs/eventbridge.md's pattern rules load%s%s", errs ? ": " : "", errs ? errs : "");
    free(errs);
    free(full);
    free(p);
}

/* The license-return chain (aws-semantics 10, 11 item 14): a scale-in's terminate hook puts its event on the bus,
 * the rule matches it, the target invokes the function asynchronously, and the function's CompleteLifecycleAction
 * (with the event's detail) ends the wait long before the heartbeat timeout. An injected error strikes after the
 * code ran, so Lambda's retries (+1 min, +2 min) find the action already completed (11 item 14: retries repeat
 * side effects). With reserved concurrency 0 the event is dropped and the hook waits out its heartbeat timeout. */
static const char *chain(double error_probability, int reserved)
{
    static char y[4096];
    snprintf(y, sizeof y,
             "scenario: chain\nduration: 1h\nresources:\n"
             "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
             "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 2, desired_capacity: 2}\n"
             "  before_terminate:\n    type: aws_autoscaling_lifecycle_hook\n    name: before_terminate\n"
             "    autoscaling_group_name: g\n    lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\"\n"
             "    heartbeat_timeout: 600\n    default_result: ABANDON\n"
             "  on_terminate:\n    type: aws_cloudwatch_event_rule\n"
             "    event_pattern:\n      source: [aws.autoscaling]\n"
             "      detail-type: [EC2 Instance-terminate Lifecycle Action]\n"
             "    fleetsim: {delivery_latency: 100ms}\n"
             "  release:\n    type: aws_lambda_function\n    memory_size: 1769\n"
             "    reserved_concurrent_executions: %d\n"
             "    fleetsim:\n      init_duration: 0s\n      error_probability: %g\n      error_strikes: after_calls\n      calls:\n"
             "        - compute: 50ms\n"
             "        - call: autoscaling:CompleteLifecycleAction\n"
             "          AutoScalingGroupName: ${event.detail.AutoScalingGroupName}\n"
             "          LifecycleHookName: ${event.detail.LifecycleHookName}\n"
             "          LifecycleActionToken: ${event.detail.LifecycleActionToken}\n"
             "          LifecycleActionResult: CONTINUE\n"
             "  to_release: {type: aws_cloudwatch_event_target, rule: on_terminate, arn: aws_lambda_function.release.arn}\n"
             "operations:\n"
             "  - {kind: set_desired_capacity, at: 10m, autoscaling_group: g, desired_capacity: 1}\n",
             reserved, error_probability);
    return y;
}

static void test_chain(void)
{
    world *w = tly_run(chain(0, -1), 1);
    ok(w != NULL, "chain: runs");
    if (!w)
        return;
    double wait = tl_first_t(w, 0, "lifecycle", NULL, "Terminating:Wait", NULL);
    double matched = tl_first_t(w, 0, "events", "on_terminate", "matched", "Lifecycle Action");
    double ran = tl_first_t(w, 0, "lambda", "release", "running", NULL);
    double gone = tl_first_t(w, 0, "instance", NULL, "Terminated", NULL);
    ok(wait >= 600, "the scale-in at 10 min puts an instance in Terminating:Wait (t = %.3f)", wait);
    is_near(matched, wait, 1e-9, "the rule matches the hook's event at once");
    is_near(ran, wait + 0.1, 1e-9, "the function starts after the delivery latency");
    ok(gone > ran && gone < ran + 5, "CompleteLifecycleAction ends the wait within seconds (Terminated at %.3f)", gone);
    is_int(lam_get_counts(world_model(w, "aws_lambda_function", "release")).succeeded, 1, "the function succeeded");
    tly_done(w);

    w = tly_run(chain(1, -1), 1);
    ok(w != NULL, "failing chain: runs");
    if (!w)
        return;
    is_int(tl_count(w, 0, 1e9, "lambda", "release", "running", NULL), 3, "three runs: the first and two retries");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "release"));
    is_int(c.errors, 3, "all three fail");
    is_int(c.dropped, 1, "then the event is dropped (no destination)");
    ok(tl_first_t(w, 0, "instance", NULL, "Terminated", NULL) < 601, "the first run's call completed the action");
    ok(tl_first(w, 650, "lifecycle", "g", NULL, "no pending lifecycle action") != NULL,
       "the retry's CompleteLifecycleAction finds nothing pending");
    tly_done(w);

    w = tly_run(chain(0, 0), 1);
    ok(w != NULL, "reserved 0 chain: runs");
    if (!w)
        return;
    wait = tl_first_t(w, 0, "lifecycle", NULL, "Terminating:Wait", NULL);
    is_int(lam_get_counts(world_model(w, "aws_lambda_function", "release")).dropped, 1, "the event is dropped");
    gone = tl_first_t(w, 0, "instance", NULL, "Terminated", NULL);
    is_near(gone, wait + 600, 1e-6, "the instance waits out the 600 s heartbeat timeout, running and billed");
    tly_done(w);
}

int main(void)
{
    test_docs();
    test_rate();
    test_cron();
    test_disabled_window();
    test_state_disabled();
    test_pattern();
    test_target_retry();
    test_target_dlq();
    test_chain();
    return tap_done();
}
