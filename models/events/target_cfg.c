/*
 * target_cfg.c - aws_cloudwatch_event_target: a rule's target (a Lambda
 * function), its retry policy and dead-letter queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/events/rule.h"
#include "models/events/target.h"
#include "models/events/target_cfg.h"

extern const res_type res_aws_cloudwatch_event_rule;

static const ld_key retry_keys[] = {
    {.name = "maximum_event_age_in_seconds", .kind = LD_SECONDS, .def = "86400", .lo = "60", .hi = "86400",
     .source = "EventBridge API RetryPolicy (default 24 h; aws-semantics 6.7)",
     .doc = "an event not delivered by this age is dropped or dead-lettered"},
    {.name = "maximum_retry_attempts", .kind = LD_INT, .def = "185", .lo = "0", .hi = "185",
     .source = "EventBridge API RetryPolicy (default 185; aws-semantics 6.7)", .doc = "retries after the first attempt"},
    {.name = NULL},
};

static const ld_key dlq_keys[] = {
    {.name = "arn", .kind = LD_STR, .hi = "1600", .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the SQS queue: fleetsim counts what would go there"},
    {.name = NULL},
};

static const ld_key fleetsim_keys[] = {
    {.name = "retry_base", .kind = LD_DUR, .def = "1s", .lo = "1ms", .hi = "1h",
     .source = "fleetsim: not documented by AWS (\"exponential backoff with jitter\", aws-semantics 6.7)",
     .doc = "the first delivery retry's backoff step"},
    {.name = "retry_cap", .kind = LD_DUR, .def = "5m", .lo = "1ms", .hi = "24h",
     .source = "fleetsim: not documented by AWS", .doc = "the longest backoff step"},
    {.name = NULL},
};

static const ld_key target_keys[] = {
    {.name = "rule", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the aws_cloudwatch_event_rule (its name, or aws_cloudwatch_event_rule.NAME.name)"},
    {.name = "arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the aws_lambda_function it invokes asynchronously (aws_lambda_function.NAME.arn)"},
    {.name = "target_id", .kind = LD_STR, .hi = "64", .source = "Terraform (generated when absent)",
     .doc = "the target's id within its rule (default: the resource's name)"},
    {.name = "retry_policy", .kind = LD_BLOCK, .block = retry_keys, .source = "Terraform / EventBridge API",
     .doc = "maximum_event_age_in_seconds, maximum_retry_attempts"},
    {.name = "dead_letter_config", .kind = LD_BLOCK, .block = dlq_keys, .source = "Terraform",
     .doc = "{arn}: failed deliveries are counted as dead-lettered rather than dropped"},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = fleetsim_keys, .source = "fleetsim",
     .doc = "fleetsim's own keys: retry_base, retry_cap"},
    {.name = "event_bus_name", .kind = LD_STR, .def = "default", .hi = "256", .source = "Terraform (default)",
     .doc = "only the account's default bus is modelled"},
    {.name = "role_arn", .kind = LD_NOTSIM}, {.name = "force_destroy", .kind = LD_NOTSIM},
    {.name = "region", .kind = LD_NOTSIM},
    {.name = "input", .kind = LD_LATER}, {.name = "input_path", .kind = LD_LATER},
    {.name = "input_transformer", .kind = LD_LATER}, {.name = "ecs_target", .kind = LD_LATER},
    {.name = "batch_target", .kind = LD_LATER}, {.name = "kinesis_target", .kind = LD_LATER},
    {.name = "sqs_target", .kind = LD_LATER}, {.name = "http_target", .kind = LD_LATER},
    {.name = "run_command_targets", .kind = LD_LATER}, {.name = "redshift_target", .kind = LD_LATER},
    {.name = "sagemaker_pipeline_target", .kind = LD_LATER}, {.name = "appsync_target", .kind = LD_LATER},
    {.name = NULL},
};

static void target_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    evt_cfg *c = cfg;
    ld_sect b = *s, rp, dl, fs;
    char what[512], b1[96];
    ld_sect_check(&b, target_keys);
    c->rule = -1;
    c->fn = -1;
    ld_ref(&b, "rule", "aws_cloudwatch_event_rule", &c->rule);
    const scn_node *an = ld_sect_need(&b, "arn", true);
    static const char *const fn_types[] = {"aws_lambda_function", NULL};
    if (an)
        ld_resolve_any(v, an, "arn", fn_types, &c->fn_type, &c->fn);
    snprintf(c->target_id, sizeof c->target_id, "%.64s", r->name);
    ld_str(&b, "target_id", c->target_id, sizeof c->target_id, NULL);

    long long tries = 185;
    c->max_age = 86400 * SIM_SEC;
    ld_block(&b, "retry_policy", &rp, what, sizeof what);
    ld_dur(&rp, "maximum_event_age_in_seconds", &c->max_age);
    ld_int(&rp, "maximum_retry_attempts", &tries);
    c->max_retries = (int)tries;
    c->dlq = ld_block(&b, "dead_letter_config", &dl, what, sizeof what);
    if (c->dlq)
        ld_str(&dl, "arn", NULL, 0, NULL);
    c->retry_base = SIM_SEC;
    c->retry_cap = 5 * SIM_MIN;
    ld_block(&b, "fleetsim", &fs, what, sizeof what);
    ld_dur(&fs, "retry_base", &c->retry_base);
    ld_dur(&fs, "retry_cap", &c->retry_cap);

    char bus[257] = "default";
    const scn_node *bn = NULL;
    if (ld_str(&b, "event_bus_name", bus, sizeof bus, &bn) > 0 && strcmp(bus, "default") != 0)
        scn_err(&v->c, bn, "'event_bus_name' %s: only the default event bus is supported yet",
                scn_clip(b1, sizeof b1, bus));
}

/* ---------------------------------------------------------------- the run */

static int target_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    const evt_cfg *c = cfg;
    evr *rule = wb_model(b, &res_aws_cloudwatch_event_rule, c->rule);
    void *fn = c->fn_type ? wb_model(b, c->fn_type, c->fn) : NULL;
    if (!rule) {
        snprintf(err, errlen, "aws_cloudwatch_event_target \"%s\": its rule was not built", c->h.name);
        return -1;
    }
    evt *t = evt_new(b, c, c->fn_type, fn, err, errlen);
    if (!t)
        return -1;
    if (evr_add_target(rule, t) != 0) {
        evt_free(t);
        return -1;
    }
    *model = t;
    return 0;
}

static void target_free_model(void *m) { evt_free(m); }

const res_type res_aws_cloudwatch_event_target = {
    .tf_type = "aws_cloudwatch_event_target",
    .doc = "An EventBridge target: invokes a Lambda function asynchronously with the rule's events, retrying "
           "delivery under its retry policy.",
    .keys = target_keys,
    .pass = 0,
    .cfg_size = sizeof(evt_cfg),
    .arr_off = 0,
    .n_off = 0,
    .load = target_load,
    .stage = WB_STAGE_EVENT_TARGETS,
    .build = target_build,
    .free_model = target_free_model,
};
