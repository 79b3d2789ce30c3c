/*
 * topic_cfg.c - aws_sns_topic: a topic that alarms and Auto Scaling
 * notifications publish to (its subscriptions are counted by protocol).
 */
#include <stddef.h>

#include "models/core/loader.h"

/* Delivery-status logging per protocol: not simulated. */
#define FEEDBACK(p)                                                                                               \
    {.name = p "_success_feedback_role_arn", .kind = LD_NOTSIM},                                                  \
    {.name = p "_success_feedback_sample_rate", .kind = LD_NOTSIM},                                               \
    {.name = p "_failure_feedback_role_arn", .kind = LD_NOTSIM}

static const ld_key topic_keys[] = {
    {.name = "name", .kind = LD_STR, .hi = "256", .source = "Terraform / SNS API (256 characters)",
     .doc = "the topic's AWS name; read, not simulated"},
    {.name = "display_name", .kind = LD_STR, .hi = "100", .source = "Terraform / SNS API (100 characters)",
     .doc = "read, not simulated"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "policy", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM},
    {.name = "signature_version", .kind = LD_NOTSIM}, {.name = "tracing_config", .kind = LD_NOTSIM},
    FEEDBACK("application"), FEEDBACK("firehose"), FEEDBACK("http"), FEEDBACK("lambda"), FEEDBACK("sqs"),
    {.name = "fifo_topic", .kind = LD_LATER}, {.name = "content_based_deduplication", .kind = LD_LATER},
    {.name = "delivery_policy", .kind = LD_LATER}, {.name = "kms_master_key_id", .kind = LD_LATER},
    {.name = "archive_policy", .kind = LD_LATER},
    {.name = NULL},
};

static void topic_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    ld_sect b = *s;
    (void)v;
    (void)cfg;
    (void)r;
    ld_sect_check(&b, topic_keys);
    ld_str(&b, "name", NULL, 0, NULL);
    ld_str(&b, "display_name", NULL, 0, NULL);
}

const res_type res_aws_sns_topic = {
    .tf_type = "aws_sns_topic",
    .doc = "An SNS topic: alarms and Auto Scaling notifications publish to it; deliveries are priced per protocol.",
    .keys = topic_keys,
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_sns_topic),
    .arr_off = offsetof(scenario, sns_topics),
    .n_off = offsetof(scenario, n_sns_topics),
    .load = topic_load,
    .finish = NULL,
    .free_cfg = NULL,
};
