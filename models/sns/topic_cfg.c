/*
 * topic_cfg.c - aws_sns_topic: a topic that alarms and Auto Scaling
 * notifications publish to (its subscriptions are counted by protocol).
 */
#include <stddef.h>

#include "models/core/control.h"
#include "models/core/loader.h"
#include "models/sns/topic_api.h"

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

/* The topic's model is its sns:Publish handle on the control plane's topics (built before any topic). */
static int topic_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    const scn_sns_topic *t = cfg;
    control *c = wb_service_get(b, &control_service, err, errlen);
    if (!c || idx < 0)
        return -1;
    *model = topic_api_new(b, control_sns(c), (size_t)idx, t->name);
    return *model ? 0 : -1;
}

static void topic_free_model(void *m) { topic_api_free(m); }

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
    .stage = WB_STAGE_TOPICS,
    .build = topic_build,
    .free_model = topic_free_model,
};
