/*
 * subscription_cfg.c - aws_sns_topic_subscription: counted on its topic by
 * protocol (deliveries are priced per protocol).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_sns_subscription(loader *v, const ld_sect *s)
{
    static const char *const keys[] = {"type", "topic_arn", "protocol", "endpoint", "raw_message_delivery", NULL};
    static const char *const protos[] = {"email", "email-json", "sms", "http", "https", "lambda", "sqs", NULL};
    static const char *const later[] = {"firehose", "application", NULL};
    ld_sect_keys(s, keys, NULL);
    int topic = -1, proto = -1;
    ld_get_ref(s, "topic_arn", true, "aws_sns_topic", &topic);
    if (ld_sect_need(s, "protocol", true))
        ld_get_enum(s, "protocol", protos, later, &proto, NULL);
    const scn_node *en = NULL;
    if (ld_get_str(s, "endpoint", true, 2048, NULL, 0, &en) > 0 && en->str[0] == '\0')
        scn_err(&v->c, en, "'endpoint' must not be empty");
    bool raw;
    ld_get_bool(s, "raw_message_delivery", false, &raw);
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


static void subscription_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    (void)cfg;
    (void)r;
    load_sns_subscription(v, s);
}

const res_type res_aws_sns_topic_subscription = {
    .tf_type = "aws_sns_topic_subscription",
    .aliases = NULL,
    .pass = 1,
    .cfg_size = 0,
    .arr_off = 0,
    .n_off = 0,
    .load = subscription_load,
    .finish = NULL,
    .free_cfg = NULL,
};
