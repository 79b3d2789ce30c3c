/*
 * attachment_cfg.c - aws_lb_target_group_attachment: registers every
 * instance of an aws_instance resource with a target group.
 */
#include <stddef.h>

#include "models/core/loader.h"

static const ld_key attachment_keys[] = {
    {.name = "target_group_arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_lb_target_group"},
    {.name = "target_id", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the aws_instance (all its `count` instances are registered)"},
    {.name = "port", .kind = LD_INT, .def = "80", .lo = "1", .hi = "65535", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "availability_zone", .kind = LD_NOTSIM},
    {.name = NULL},
};

static void attachment_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_attachment *at = cfg;
    ld_sect b = *s;
    (void)v;
    (void)r;
    ld_sect_check(&b, attachment_keys);
    ld_ref(&b, "target_group_arn", "aws_lb_target_group", &at->target_group);
    ld_ref(&b, "target_id", "aws_instance", &at->instance);
    long long port = 0;
    ld_int(&b, "port", &port);
}

static const char *const attachment_aliases[] = {"aws_alb_target_group_attachment", NULL};

const res_type res_aws_lb_target_group_attachment = {
    .tf_type = "aws_lb_target_group_attachment",
    .doc = "Registers the instances of an aws_instance with a target group.",
    .keys = attachment_keys,
    .aliases = attachment_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_attachment),
    .arr_off = offsetof(scenario, attachments),
    .n_off = offsetof(scenario, n_attachments),
    .load = attachment_load,
};
