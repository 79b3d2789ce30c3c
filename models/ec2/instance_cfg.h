/*
 * instance_cfg.h - what aws_instance and aws_launch_template share in the
 * loader: the instance type's checks against the run.
 */
#ifndef FLEETSIM_INSTANCE_CFG_H
#define FLEETSIM_INSTANCE_CFG_H

#include "models/core/loader.h"

/*
 * Reads the instance type under "instance_type" (ld_itype_ref) into *out and
 * checks that its vCPUs' busy time over the run's duration fits the busy-time
 * counter (the check world.c's builder makes), reported at the value.
 */
int instance_cfg_itype(loader *v, const ld_sect *s, int *out);

/* The keys of a launch template's or configuration's `boot_script` block. */
extern const ld_key instance_boot_keys[];
/* Reads the `boot_script` block of s (a row of its table, .block = instance_boot_keys) into lt. */
void instance_cfg_boot(loader *v, const ld_sect *s, scn_launch_template *lt);

/* The keys of a `credit_specification` block (aws_instance, aws_launch_template). */
extern const ld_key instance_credit_keys[];
/*
 * Reads s's `credit_specification` for the type at *itype (instance_cfg_itype's
 * result): a mode other than that entry's moves *itype to an entry of the same
 * type in that mode (added on first use). On a type that earns no credits it
 * is an error for a launch template (its launches would fail) and a note for
 * an aws_instance (the Terraform provider ignores it).
 */
void instance_cfg_credits(loader *v, const ld_sect *s, int *itype, bool launch_template);

#endif /* FLEETSIM_INSTANCE_CFG_H */
