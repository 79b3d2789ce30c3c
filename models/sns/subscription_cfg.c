/*
 * subscription_cfg.c - aws_sns_topic_subscription: counted on its topic by
 * protocol (deliveries are priced per protocol).
 */
#include <stddef.h>

#include "models/core/loader.h"

static const char *const protos[] = {"email", "email-json", "sms", "http", "https", "lambda", "sqs", NULL};
static const char *const protos_later[] = {"firehose", "application", NULL};

static const ld_key subscription_keys[] = {
    {.name = "topic_arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_sns_topic"},
    {.name = "protocol", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = protos, .later = protos_later,
     .source = "Terraform / SNS API", .doc = "how messages are delivered (each protocol has its price)"},
    {.name = "endpoint", .kind = LD_STR, .hi = "2048", .flags = LD_REQUIRED, .source = "Terraform / SNS API",
     .doc = "where messages go; must not be empty; read, not simulated"},
    {.name = "raw_message_delivery", .kind = LD_BOOL, .def = "false", .source = "Terraform (false) and SNS API (false)",
     .doc = "read, not simulated"},
    {.name = "confirmation_timeout_in_minutes", .kind = LD_NOTSIM}, {.name = "endpoint_auto_confirms", .kind = LD_NOTSIM},
    {.name = "delivery_policy", .kind = LD_NOTSIM}, {.name = "redrive_policy", .kind = LD_NOTSIM},
    {.name = "subscription_role_arn", .kind = LD_NOTSIM},
    {.name = "filter_policy", .kind = LD_LATER}, {.name = "filter_policy_scope", .kind = LD_LATER},
    {.name = "replay_policy", .kind = LD_LATER},
    {.name = NULL},
};

static void subscription_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    ld_sect b = *s;
    (void)cfg;
    (void)r;
    ld_sect_check(&b, subscription_keys);
    int topic = -1, proto = -1;
    ld_ref(&b, "topic_arn", "aws_sns_topic", &topic);
    ld_enum(&b, "protocol", &proto, NULL);
    const scn_node *en = NULL;
    if (ld_str(&b, "endpoint", NULL, 0, &en) > 0 && en->str[0] == '\0')
        scn_err(&v->c, en, "'endpoint' must not be empty");
    bool raw = false;
    ld_bool(&b, "raw_message_delivery", &raw);
    if (topic < 0 || proto < 0)
        return;
    scn_sns_topic *t = &v->s->sns_topics[topic];
    switch (proto) {
    case 0: case 1: t->n_email++; break;
    case 2: t->n_sms++; break;
    case 3: case 4: t->n_http++; break;
    case 5: t->n_lambda++; break;
    default: t->n_sqs++; break;
    }
}

const res_type res_aws_sns_topic_subscription = {
    .tf_type = "aws_sns_topic_subscription",
    .doc = "A subscription to an SNS topic: counted on the topic by protocol.",
    .keys = subscription_keys,
    .aliases = NULL,
    .pass = 1,
    .cfg_size = 0,
    .arr_off = 0,
    .n_off = 0,
    .load = subscription_load,
    .finish = NULL,
    .free_cfg = NULL,
};
