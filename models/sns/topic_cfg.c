/*
 * topic_cfg.c - aws_sns_topic.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_sns_topic(loader *v, const ld_sect *s, scn_sns_topic *t)
{
    static const char *const keys[] = {"type", "name", "display_name", NULL};
    static const char *const later[] = {"fifo_topic", "delivery_policy", "kms_master_key_id", NULL};
    (void)v;
    (void)t;
    ld_sect_keys(s, keys, later);
    ld_get_str(s, "name", false, 256, NULL, 0, NULL);
    ld_get_str(s, "display_name", false, 100, NULL, 0, NULL);
}


static void aws_sns_topic_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_sns_topic *c = cfg;
    (void)r;
    load_sns_topic(v, s, c);
}

const res_type res_aws_sns_topic = {
    .tf_type = "aws_sns_topic",
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_sns_topic),
    .arr_off = offsetof(scenario, sns_topics),
    .n_off = offsetof(scenario, n_sns_topics),
    .load = aws_sns_topic_load,
    .finish = NULL,
    .free_cfg = NULL,
};
