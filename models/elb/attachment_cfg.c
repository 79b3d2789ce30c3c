/*
 * attachment_cfg.c - aws_lb_target_group_attachment: registers every
 * instance of an aws_instance resource with a target group.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_attachment(loader *v, const ld_sect *s, scn_attachment *at)
{
    static const char *const keys[] = {"type", "target_group_arn", "target_id", "port", NULL};
    (void)v;
    ld_sect_keys(s, keys, NULL);
    ld_get_ref(s, "target_group_arn", true, "aws_lb_target_group", &at->target_group);
    ld_get_ref(s, "target_id", true, "aws_instance", &at->instance);
    long long port;
    ld_get_int(s, "port", false, 80, 1, 65535, &port);
}


static void aws_lb_target_group_attachment_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_attachment *c = cfg;
    (void)r;
    load_attachment(v, s, c);
}

static const char *const res_aws_lb_target_group_attachment_aliases[] = {"aws_alb_target_group_attachment", NULL};

const res_type res_aws_lb_target_group_attachment = {
    .tf_type = "aws_lb_target_group_attachment",
    .aliases = res_aws_lb_target_group_attachment_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_attachment),
    .arr_off = offsetof(scenario, attachments),
    .n_off = offsetof(scenario, n_attachments),
    .load = aws_lb_target_group_attachment_load,
    .finish = NULL,
    .free_cfg = NULL,
};
