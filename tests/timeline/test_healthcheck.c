/*
 * test_healthcheck.c - the scheduled health-check function of seed
 * architecture 2 (docs/lambda.md, "The health-check function"), run as the
 * doc writes it: a rule every minute (aws-semantics 6.7) runs a function that
 * lists the targets (elasticloadbalancing:DescribeTargetHealth), GETs each
 * one's check path, counts failures in a row per instance in DynamoDB
 * (UpdateItem ADD, 7) and, at the third, snapshots the instance (5.5),
 * terminates it so its group replaces it (1.3) and publishes to SNS (8).
 */
#include "models/ec2/instance.h"
#include "tly.h"

static char *doc_text(const char *extra)
{
    char *yaml = tly_doc_yaml("lambda.md", 1);
    if (!yaml || !extra)
        return yaml;
    size_t n = strlen(yaml) + strlen(extra) + 1;
    char *both = malloc(n);
    if (both)
        snprintf(both, n, "%s%s", yaml, extra);
    free(yaml);
    return both;
}

/* UpdateItem calls on the health table in [from, to). */
static int n_count_writes(const world *w, double from, double to)
{
    return tl_count(w, from, to, "dynamodb", "health_state", NULL, "UpdateItem");
}

int main(void)
{
    char *yaml = doc_text(NULL);
    ok(yaml != NULL, "docs/lambda.md has the health-check scenario as its second yaml block");
    world *w = yaml ? tly_run(yaml, 1) : NULL;
    ok(w != NULL, "the doc's health-check scenario loads, builds and runs");
    if (!w) {
        free(yaml);
        return tap_done();
    }
    /* 6.7: a rate(1 minute) rule fires every minute; each fire is one run of the function. */
    int runs = tl_count(w, 0, 1e9, "lambda", "health_check", NULL, "running");
    ok(runs >= 19 && runs <= 20, "the rule runs the function every minute: %d runs in 20 minutes", runs);

    /* The hung instance: the fault entry names it. */
    const events_entry *f = tl_first(w, 0, "fault", NULL, NULL, NULL);
    ok(f != NULL, "the app_unhealthy fault strikes at 5 minutes");
    const events_entry *pub = tl_first(w, 0, "sns", "oncall", NULL, "failed 3 health checks");
    ok(pub != NULL, "the function publishes to the on-call topic");
    char victim[SCN_ID_SIZE] = "";
    if (pub && pub->message)
        sscanf(strstr(pub->message, "i-") ? strstr(pub->message, "i-") : "", "%31[^ ]", victim);
    ok(victim[0] && f && f->message && strstr(f->message, victim), "the instance named in the message (%s) is the hung one",
       victim);
    /* Three runs fail it: the first at the run after 5:00 (at most 1 min later), the third two minutes after that. */
    double t_pub = pub ? tl_sec(pub->t) : -1;
    ok(t_pub > 7 * 60 && t_pub < 8 * 60, "the third failure in a row acts between 7 and 8 minutes (%.1f s)", t_pub);
    double t_term = victim[0] ? tl_first_t(w, 0, "instance", victim, "Terminated", NULL) : -1;
    ok(t_term > 0 && t_term <= t_pub, "TerminateInstances ends the instance (%.1f s) before the publish (%.1f s)", t_term,
       t_pub);
    /* 1.3: the group sees a running instance go away; its activity says how (AWS: "an EC2 health check indicating
       it has been terminated"), not that it stopped running on its own. */
    const events_entry *ta = victim[0] ? tl_first(w, 0, "instance", victim, "Terminating", NULL) : NULL;
    ok(ta && strstr(ta->message, "EC2 health check found the instance terminated (ec2:TerminateInstances") &&
           !strstr(ta->message, "not running"),
       "the group's termination names the ec2:TerminateInstances call: %s", ta ? ta->message : "(none)");
    const world_instance_info *info = victim[0] ? tl_info(w, victim) : NULL;
    ok(info && info->terminated >= 0, "the hung instance is terminated");
    /* 1.3: the group replaces a terminated instance: a launch after the termination. */
    ok(t_term > 0 && tl_first(w, t_term, "instance", NULL, "Pending", NULL) != NULL,
       "the group launches a replacement after the termination (1.3)");
    /* Only the hung instance is touched: one publish, one termination by the function, one snapshot. */
    is_int(tl_count(w, 0, 1e9, "sns", "oncall", NULL, NULL), 1, "one message to the on-call topic");
    is_int(tl_count(w, 0, 1e9, "instance", NULL, "Terminated", NULL), 1, "one instance terminated in the run");
    /* 5.5: the snapshot's storage is priced per GB-month from its creation to the end: 8 GB for the rest of the run. */
    double snap = world_cost(w, "ebs/snapshots");
    double expect = 8.0 * (1200 - t_term) / (730.0 * 3600.0) * 0.05;
    ok(snap > 0 && fabs(snap - expect) < 0.02 * expect, "ebs_snapshots: %.3g USD, 8 GB from %.0f s at $0.05/GB-month (%.3g)",
       snap, t_term, expect);
    /* 7: every check is a write (one per target per run); the failures ADD, the passes reset. */
    int writes = n_count_writes(w, 0, 1e9);
    ok(writes >= 3 * runs - 3, "each run writes each target's count: %d UpdateItem calls in %d runs", writes, runs);
    ok(world_cost(w, "sns") > 0, "the publish and its e-mail delivery are priced (8)");
    tly_done(w);
    free(yaml);

    /* A hang shorter than three checks is forgiven: the count restarts at the first pass, nothing is replaced. */
    yaml = doc_text(NULL);
    char *cut = yaml ? strstr(yaml, "count: 1}") : NULL;
    if (cut) {
        char fixed[65536];
        snprintf(fixed, sizeof fixed, "%.*scount: 1, duration: 90s}%s", (int)(cut - yaml), yaml, cut + strlen("count: 1}"));
        w = tly_run(fixed, 1);
        ok(w != NULL, "a 90 s hang runs");
        if (w) {
            is_int(tl_count(w, 0, 1e9, "sns", "oncall", NULL, NULL), 0, "a 90 s hang (at most 2 failed checks) publishes nothing");
            is_int(tl_count(w, 0, 1e9, "instance", NULL, "Terminated", NULL), 0, "and terminates nothing");
            ok(tl_first(w, 0, "dynamodb", "health_state", NULL, "UpdateItem") != NULL, "the counts were written");
        }
        tly_done(w);
    } else {
        ok(0, "the doc's fault line has 'count: 1}'");
    }
    free(yaml);

    /* The guard's ${} must be set: a guard on a variable no step saved fails the run (a function error). */
    const char *bad = "scenario: g\nduration: 3m\nresources:\n"
                      "  r: {type: aws_cloudwatch_event_rule, schedule_expression: rate(1 minute)}\n"
                      "  f:\n    type: aws_lambda_function\n    fleetsim:\n      calls:\n"
                      "        - compute: 10ms\n          when: ${nothing.here} == 1\n"
                      "  tgt: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.f.arn}\n";
    w = tly_run(bad, 1);
    ok(w && tl_first(w, 0, "api", "f", NULL, "${nothing.here} is not set") != NULL,
       "a guard naming an unset variable is logged and fails the run");
    ok(w && tl_first(w, 0, "lambda", "f", NULL, "error") != NULL, "the run is a function error");
    tly_done(w);

    /* 5.5: snapshots are incremental: the second of the same volume stores only changed_gb; 7: ADD on a
       value that is not a number is a ValidationException (the run fails). */
    const char *inc = "scenario: s\nduration: 4m\nresources:\n"
                      "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                      "  web: {type: aws_autoscaling_group, launch_template: {id: lt}, min_size: 1, max_size: 1,\n"
                      "        availability_zones: [us-west-2a]}\n"
                      "  t: {type: aws_dynamodb_table, name: t, billing_mode: PAY_PER_REQUEST, hash_key: k}\n"
                      "  r: {type: aws_cloudwatch_event_rule, schedule_expression: rate(2 minutes)}\n"
                      "  f:\n    type: aws_lambda_function\n    fleetsim:\n      calls:\n"
                      "        - {call: ec2:CreateSnapshot, InstanceId: i-web-0, size_gb: \"100\", changed_gb: \"10\"}\n"
                      "        - {call: dynamodb:UpdateItem, table: t, key: a, set.v: \"x\"}\n"
                      "        - {call: dynamodb:UpdateItem, table: t, key: a, add.v: \"1\"}\n"
                      "  tgt: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.f.arn}\n"
                      "  cfg: {type: aws_lambda_function_event_invoke_config, function_name: f, maximum_retry_attempts: 0}\n";
    w = tly_run(inc, 1);
    ok(w != NULL, "the snapshot scenario runs");
    if (w) {
        /* One run, at 120 s (the 240 s fire is the end of the run). */
        double t1 = tl_first_t(w, 0, "lambda", "f", "running", NULL);
        double gb_s = 100.0 * (240 - t1);
        double want = gb_s / (730.0 * 3600.0) * 0.05;
        double got = world_cost(w, "ebs/snapshots");
        ok(t1 > 0 && fabs(got - want) < 0.02 * want, "the first snapshot stores all 100 GB: %.3g USD (want %.3g)", got,
           want);
        ok(tl_first(w, 0, "dynamodb", "t", NULL, "ValidationException") != NULL,
           "ADD on a value that is not a number: ValidationException (7)");
        ok(tl_first(w, 0, "lambda", "f", "error", NULL) != NULL, "and the run is a function error");
    }
    tly_done(w);
    const char *inc2 = "scenario: s\nduration: 10m\nresources:\n"
                       "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                       "  web: {type: aws_autoscaling_group, launch_template: {id: lt}, min_size: 1, max_size: 1,\n"
                       "        availability_zones: [us-west-2a]}\n"
                       "  r: {type: aws_cloudwatch_event_rule, schedule_expression: rate(3 minutes)}\n"
                       "  f:\n    type: aws_lambda_function\n    fleetsim:\n      calls:\n"
                       "        - {call: ec2:CreateSnapshot, InstanceId: i-web-0, size_gb: \"100\", changed_gb: \"10\"}\n"
                       "  tgt: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.f.arn}\n";
    w = tly_run(inc2, 1);
    if (w) {
        double t1 = tl_first_t(w, 0, "lambda", "f", "running", NULL);
        double t2 = tl_first_t(w, t1 + 1, "lambda", "f", "running", NULL);
        double t3 = tl_first_t(w, t2 + 1, "lambda", "f", "running", NULL);
        double want = (100.0 * (600 - t1) + 10.0 * (600 - t2) + 10.0 * (600 - t3)) / (730.0 * 3600.0) * 0.05;
        double got = world_cost(w, "ebs/snapshots");
        ok(t3 > t2 && t2 > t1 && fabs(got - want) < 0.02 * want,
           "5.5 incremental: later snapshots of the volume store changed_gb (10 of 100 GB): %.4g USD (want %.4g)", got,
           want);
    } else {
        ok(0, "the incremental snapshot scenario runs");
    }
    tly_done(w);

    /* 7: a write reaches eventually consistent reads a replication lag later (here 500 ms); a strongly consistent
       read sees it at once; a Query on an index cannot be strongly consistent (ValidationException). */
    const char *ec = "scenario: ec\nduration: 2m\nresources:\n"
                     "  t:\n    type: aws_dynamodb_table\n    name: t\n    billing_mode: PAY_PER_REQUEST\n    hash_key: k\n"
                     "    fleetsim:\n      replication_lag: 500ms\n      items: {count: 1, key_prefix: key-, attributes: {v: old}}\n"
                     "  news: {type: aws_sns_topic}\n"
                     "  r: {type: aws_cloudwatch_event_rule, schedule_expression: rate(1 minute)}\n"
                     "  f:\n    type: aws_lambda_function\n    memory_size: 1769\n    timeout: 30\n    fleetsim:\n      calls:\n"
                     "        - {call: dynamodb:UpdateItem, table: t, key: key-1, set.v: new}\n"
                     "        - {call: dynamodb:GetItem, table: t, key: key-1, save: a}\n"
                     "        - {call: dynamodb:GetItem, table: t, key: key-1, consistent_read: \"true\", save: b}\n"
                     "        - {call: dynamodb:Scan, table: t, filter.v: old, save: s, on_empty: continue}\n"
                     "        - compute: 1s\n"
                     "        - {call: dynamodb:GetItem, table: t, key: key-1, save: c}\n"
                     "        - {call: sns:Publish, topic: news, Message: \"seen ${a.v} ${b.v} ${c.v} ${s.v}\"}\n"
                     "        - {call: dynamodb:Query, table: t, index_name: by_v, filter.v: new, consistent_read: \"true\"}\n"
                     "  tgt: {type: aws_cloudwatch_event_target, rule: r, arn: aws_lambda_function.f.arn}\n"
                     "  cfg: {type: aws_lambda_function_event_invoke_config, function_name: f, maximum_retry_attempts: 0}\n";
    w = tly_run(ec, 1);
    ok(w && tl_first(w, 0, "sns", "news", NULL, "seen old new new old") != NULL,
       "7: within the lag an eventual GetItem and Scan see the old item, a strong one the new; after it, the new");
    ok(w && tl_first(w, 0, "dynamodb", "t", NULL, "ValidationException (consistent reads are not supported on global") != NULL,
       "7: a strongly consistent Query on an index is refused");
    tly_done(w);
    return tap_done();
}
