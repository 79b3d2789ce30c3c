/*
 * instance_cfg.c - aws_instance with count: a fixed fleet running at t = 0.
 */
#include <stdint.h>
#include <stdio.h>

#include "models/ec2/instance_cfg.h"

int instance_cfg_itype(loader *v, const ld_sect *s, int *out)
{
    char b1[32];
    int rc = ld_itype_ref(v, s, "instance_type", out);
    sim_time_t dur = v->s->duration;
    if (rc <= 0 || dur <= 0)
        return rc;
    const scn_itype *t = &v->s->itypes[*out];
    /* Each instance counts its vCPUs' busy nanoseconds in an int64 (world.c). */
    if ((int64_t)t->vcpus > INT64_MAX / dur) {
        scn_err(&v->c, ld_sect_get(s, "instance_type"), "'instance_type': %s has %d vCPUs: their busy time over "
                "the run's duration (%s) overflows the busy-time counter; shorten the run or use fewer vCPUs",
                t->name, t->vcpus, ld_fmt_dur(b1, sizeof b1, dur));
        *out = -1;
        return -1;
    }
    return rc;
}

static const ld_key instance_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "a type of the catalog or of `instance_types:`"},
    {.name = "count", .kind = LD_INT, .def = "1", .lo = "1", .hi = "10000", .source = "Terraform meta-argument (1)",
     .doc = "how many identical instances run from t = 0"},
    {.name = "availability_zone", .kind = LD_STR, .hi = "31", .source = "Terraform (AWS picks one when absent)",
     .doc = "a zone of the scenario's region; default: the region's zone a"},
    {.name = "ami", .kind = LD_NOTSIM}, {.name = "key_name", .kind = LD_NOTSIM},
    {.name = "vpc_security_group_ids", .kind = LD_NOTSIM}, {.name = "security_groups", .kind = LD_NOTSIM},
    {.name = "subnet_id", .kind = LD_NOTSIM}, {.name = "user_data", .kind = LD_NOTSIM},
    {.name = "user_data_base64", .kind = LD_NOTSIM}, {.name = "user_data_replace_on_change", .kind = LD_NOTSIM},
    {.name = "tags", .kind = LD_NOTSIM}, {.name = "volume_tags", .kind = LD_NOTSIM},
    {.name = "associate_public_ip_address", .kind = LD_NOTSIM}, {.name = "iam_instance_profile", .kind = LD_NOTSIM},
    {.name = "root_block_device", .kind = LD_NOTSIM}, {.name = "ebs_block_device", .kind = LD_NOTSIM},
    {.name = "ephemeral_block_device", .kind = LD_NOTSIM}, {.name = "ebs_optimized", .kind = LD_NOTSIM},
    {.name = "metadata_options", .kind = LD_NOTSIM}, {.name = "disable_api_termination", .kind = LD_NOTSIM},
    {.name = "disable_api_stop", .kind = LD_NOTSIM}, {.name = "private_ip", .kind = LD_NOTSIM},
    {.name = "secondary_private_ips", .kind = LD_NOTSIM}, {.name = "ipv6_address_count", .kind = LD_NOTSIM},
    {.name = "ipv6_addresses", .kind = LD_NOTSIM}, {.name = "source_dest_check", .kind = LD_NOTSIM},
    {.name = "get_password_data", .kind = LD_NOTSIM}, {.name = "instance_initiated_shutdown_behavior", .kind = LD_NOTSIM},
    {.name = "network_interface", .kind = LD_NOTSIM}, {.name = "private_dns_name_options", .kind = LD_NOTSIM},
    {.name = "maintenance_options", .kind = LD_NOTSIM}, {.name = "enclave_options", .kind = LD_NOTSIM},
    {.name = "capacity_reservation_specification", .kind = LD_NOTSIM},
    {.name = "credit_specification", .kind = LD_LATER}, {.name = "instance_market_options", .kind = LD_LATER},
    {.name = "cpu_options", .kind = LD_LATER}, {.name = "cpu_core_count", .kind = LD_LATER},
    {.name = "cpu_threads_per_core", .kind = LD_LATER}, {.name = "hibernation", .kind = LD_LATER},
    {.name = "launch_template", .kind = LD_LATER}, {.name = "monitoring", .kind = LD_LATER},
    {.name = "placement_group", .kind = LD_LATER}, {.name = "placement_partition_number", .kind = LD_LATER},
    {.name = "tenancy", .kind = LD_LATER}, {.name = "host_id", .kind = LD_LATER},
    {.name = "host_resource_group_arn", .kind = LD_LATER},
    {.name = NULL},
};

static void instance_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_instance *in = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, instance_keys);
    instance_cfg_itype(v, &b, &in->itype);
    long long count = 0;
    ld_int(&b, "count", &count);
    in->count = (int)count;
    /* absent: the region's first zone (a default that depends on the region) */
    snprintf(in->availability_zone, sizeof in->availability_zone, "%.30sa", v->s->region);
    const scn_node *az = NULL;
    if (ld_str(&b, "availability_zone", in->availability_zone, sizeof in->availability_zone, &az) > 0)
        ld_check_az(v, az, in->availability_zone);
}

const res_type res_aws_instance = {
    .tf_type = "aws_instance",
    .doc = "A fixed fleet of `count` instances of one type, running from t = 0 (register them with an attachment).",
    .keys = instance_keys,
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_instance),
    .arr_off = offsetof(scenario, instances),
    .n_off = offsetof(scenario, n_instances),
    .load = instance_load,
    .finish = NULL,
    .free_cfg = NULL,
};
