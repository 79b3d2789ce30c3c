/*
 * lb_cfg.c - aws_lb (alias aws_alb): an Application Load Balancer.
 */
#include <stddef.h>

#include "models/core/loader.h"

static const char *const lb_types[] = {"application", NULL};
static const char *const lb_types_later[] = {"network", "gateway", NULL};

static const ld_key lb_keys[] = {
    {.name = "load_balancer_type", .kind = LD_ENUM, .def = "application", .values = lb_types, .later = lb_types_later,
     .source = "Terraform aws_lb (default application)", .doc = "only application load balancers are modelled"},
    {.name = "default_target_group", .kind = LD_REF, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "the aws_lb_target_group that receives every request (a listener's forward action, in short)"},
    {.name = "idle_timeout", .kind = LD_SECONDS, .def = "60", .lo = "1", .hi = "4000",
     .source = "Terraform aws_lb / ELB API (60 s)", .doc = "a target silent this long gets the client a 504"},
    {.name = "internal", .kind = LD_BOOL, .def = "false", .source = "Terraform aws_lb", .doc = "read and not simulated"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform aws_lb", .doc = "the load balancer's AWS name"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "security_groups", .kind = LD_NOTSIM}, {.name = "subnets", .kind = LD_NOTSIM},
    {.name = "subnet_mapping", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "access_logs", .kind = LD_NOTSIM},
    {.name = "connection_logs", .kind = LD_NOTSIM}, {.name = "enable_deletion_protection", .kind = LD_NOTSIM}, {.name = "ip_address_type", .kind = LD_NOTSIM},
    {.name = "drop_invalid_header_fields", .kind = LD_NOTSIM}, {.name = "enable_http2", .kind = LD_NOTSIM},
    {.name = "enable_cross_zone_load_balancing", .kind = LD_NOTSIM}, {.name = "preserve_host_header", .kind = LD_NOTSIM},
    {.name = "desync_mitigation_mode", .kind = LD_NOTSIM}, {.name = "xff_header_processing_mode", .kind = LD_NOTSIM},
    {.name = "enable_waf_fail_open", .kind = LD_NOTSIM}, {.name = "enable_tls_version_and_cipher_suite_headers", .kind = LD_NOTSIM},
    {.name = "enable_xff_client_port", .kind = LD_NOTSIM}, {.name = "client_keep_alive", .kind = LD_LATER},
    {.name = NULL},
};

static void lb_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_lb *lb = cfg;
    ld_sect b = *s;
    (void)v;
    (void)r;
    ld_sect_check(&b, lb_keys);
    int t = 0;
    ld_enum(&b, "load_balancer_type", &t, NULL);
    ld_ref(&b, "default_target_group", "aws_lb_target_group", &lb->target_group);
    ld_dur(&b, "idle_timeout", &lb->idle_timeout);
    bool internal = false;
    ld_bool(&b, "internal", &internal);
    ld_str(&b, "name", NULL, 0, NULL);
}

static const char *const lb_aliases[] = {"aws_alb", NULL};

const res_type res_aws_lb = {
    .tf_type = "aws_lb",
    .doc = "An Application Load Balancer: it sends each request to a target of its target group.",
    .keys = lb_keys,
    .aliases = lb_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_lb),
    .arr_off = offsetof(scenario, lbs),
    .n_off = offsetof(scenario, n_lbs),
    .load = lb_load,
};
