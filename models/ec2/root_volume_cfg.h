/*
 * root_volume_cfg.h - an instance's root EBS volume as Terraform writes it:
 * aws_instance `root_block_device { volume_size, volume_type }` and
 * aws_launch_template `block_device_mappings { ebs { volume_size,
 * volume_type } }`. Only its size and type are simulated (they are billed);
 * absent, 8 GiB gp3, an Amazon Linux 2023 AMI's mapping (AMI-dependent).
 *
 * Prefix: root_volume_.
 */
#ifndef FLEETSIM_ROOT_VOLUME_CFG_H
#define FLEETSIM_ROOT_VOLUME_CFG_H

#include "models/core/loader.h"
#include "models/core/scenario.h"

/* The keys of aws_instance's root_block_device block. */
extern const ld_key root_volume_device_keys[];
/* The keys of aws_launch_template's block_device_mappings block (its ebs block holds the volume). */
extern const ld_key root_volume_mapping_keys[];

/* Reads the volume of the LD_BLOCK key `name` of s (root_block_device, or block_device_mappings when mapping) into *out; absent: the default. */
void root_volume_load(loader *v, const ld_sect *s, const char *name, bool mapping, scn_root_volume *out);

#endif /* FLEETSIM_ROOT_VOLUME_CFG_H */
