/*
 * root_volume_cfg.c - the root EBS volume's keys (root_volume_cfg.h). The
 * volume is billed per GB-month prorated per second (world.c accrue); types
 * other than gp2 and gp3 have no price in data/prices yet, so they are
 * "not supported yet" rather than silently priced as another type.
 */
#include "models/ec2/root_volume_cfg.h"

#include <stdio.h>

static const char *const volume_types[] = {"gp3", "gp2", NULL};
static const char *const volume_types_later[] = {"io1", "io2", "st1", "sc1", "standard", NULL};

/* root_block_device, and block_device_mappings' ebs block: the same volume keys */
const ld_key root_volume_device_keys[] = {
    {.name = "volume_size", .kind = LD_INT, .def = "8", .lo = "1", .hi = "16384",
     .source = "Terraform (absent: the AMI's size; fleetsim takes an Amazon Linux 2023 AMI's 8 GiB)",
     .doc = "GiB, billed per GB-month prorated per second while the instance exists"},
    {.name = "volume_type", .kind = LD_ENUM, .def = "gp3", .values = volume_types, .later = volume_types_later,
     .source = "Terraform (absent: the AMI's type; Amazon Linux 2023 maps gp3)", .doc = "the price of each GB-month"},
    {.name = "delete_on_termination", .kind = LD_NOTSIM}, {.name = "encrypted", .kind = LD_NOTSIM},
    {.name = "iops", .kind = LD_NOTSIM}, {.name = "throughput", .kind = LD_NOTSIM}, {.name = "kms_key_id", .kind = LD_NOTSIM},
    {.name = "snapshot_id", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM},
    {.name = NULL},
};

const ld_key root_volume_mapping_keys[] = {
    {.name = "device_name", .kind = LD_STR, .hi = "64", .source = "Terraform", .doc = "read, not simulated: the mapping is taken as the root volume's"},
    {.name = "ebs", .kind = LD_BLOCK, .block = root_volume_device_keys, .source = "Terraform", .doc = "the root EBS volume"},
    {.name = "no_device", .kind = LD_NOTSIM}, {.name = "virtual_name", .kind = LD_NOTSIM},
    {.name = NULL},
};

void root_volume_load(loader *v, const ld_sect *s, const char *name, bool mapping, scn_root_volume *out)
{
    char what[512], w2[512];
    ld_sect b, e;
    (void)v;
    *out = (scn_root_volume){.gib = 8, .gp2 = 0};
    if (!ld_block(s, name, &b, what, sizeof what))
        return;
    if (mapping) {
        ld_str(&b, "device_name", NULL, 0, NULL);
        if (!ld_block(&b, "ebs", &e, w2, sizeof w2))
            return;
        b = e;
    }
    long long gib = 8;
    int type = 0;
    ld_int(&b, "volume_size", &gib);
    ld_enum(&b, "volume_type", &type, NULL);
    out->gib = (int)gib;
    out->gp2 = type == 1;
}
