/*
 * subnet_cfg.c - aws_subnet: a group's vpc_zone_identifier names subnets, and
 * the group runs in their availability zones. Only the zone is simulated.
 */
#include <stddef.h>
#include <string.h>

#include "models/core/loader.h"

static const ld_key subnet_keys[] = {
    {.name = "availability_zone", .kind = LD_STR, .hi = "31", .flags = LD_REQUIRED,
     .source = "fleetsim (Terraform lets AWS pick one; a simulated group needs it)",
     .doc = "a zone of the scenario's region (e.g. us-west-2a)"},
    {.name = "vpc_id", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "cidr_block", .kind = LD_STR, .hi = "64", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "map_public_ip_on_launch", .kind = LD_BOOL, .def = "false", .source = "Terraform and EC2 API (false)",
     .doc = "read, not simulated"},
    {.name = "tags", .kind = LD_NOTSIM}, {.name = "availability_zone_id", .kind = LD_NOTSIM},
    {.name = "ipv6_cidr_block", .kind = LD_NOTSIM}, {.name = "assign_ipv6_address_on_creation", .kind = LD_NOTSIM},
    {.name = "enable_dns64", .kind = LD_NOTSIM}, {.name = "ipv6_native", .kind = LD_NOTSIM},
    {.name = "private_dns_hostname_type_on_launch", .kind = LD_NOTSIM},
    {.name = "enable_resource_name_dns_a_record_on_launch", .kind = LD_NOTSIM},
    {.name = "enable_resource_name_dns_aaaa_record_on_launch", .kind = LD_NOTSIM},
    {.name = "map_customer_owned_ip_on_launch", .kind = LD_NOTSIM}, {.name = "customer_owned_ipv4_pool", .kind = LD_NOTSIM},
    {.name = "outpost_arn", .kind = LD_LATER},
    {.name = NULL},
};

static void subnet_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_subnet *sn = cfg;
    ld_sect b = *s;
    const scn_node *az = NULL;
    char az_text[sizeof sn->availability_zone];
    (void)r;
    ld_sect_check(&b, subnet_keys);
    if (ld_str(&b, "availability_zone", az_text, sizeof az_text, &az) > 0 && ld_check_az(v, az, az_text))
        memcpy(sn->availability_zone, az_text, sizeof az_text);
    ld_str(&b, "vpc_id", NULL, 0, NULL);
    ld_str(&b, "cidr_block", NULL, 0, NULL);
    bool pub = false;
    ld_bool(&b, "map_public_ip_on_launch", &pub);
}

const res_type res_aws_subnet = {
    .tf_type = "aws_subnet",
    .doc = "A subnet: a group's vpc_zone_identifier lists subnets, and the group runs in their availability zones.",
    .keys = subnet_keys,
    .pass = 0,
    .cfg_size = sizeof(scn_subnet),
    .arr_off = offsetof(scenario, subnets),
    .n_off = offsetof(scenario, n_subnets),
    .load = subnet_load,
};
