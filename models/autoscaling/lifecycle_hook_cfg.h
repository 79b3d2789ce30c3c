/*
 * lifecycle_hook_cfg.h - aws_autoscaling_lifecycle_hook and a group's
 * initial_lifecycle_hook blocks as the loader validated them (aws-semantics
 * 1.7). Both kinds are kept in one array (the type's slot, ld_type_cfgs):
 * the resources in file order, then each group's initial hooks.
 *
 * Prefix: lh_.
 */
#ifndef FLEETSIM_LIFECYCLE_HOOK_CFG_H
#define FLEETSIM_LIFECYCLE_HOOK_CFG_H

#include "models/core/scenario.h"

#define LH_NAME_MAX 255       /* LifecycleHookName: 1-255 characters (Auto Scaling API) */
#define LH_METADATA_MAX 4000  /* NotificationMetadata: up to 4000 characters (Auto Scaling API) */

typedef struct lh_cfg {
    char *name;               /* scn_res_head: the resource's name (the hook's own for an initial hook) */
    scn_loc loc;
    char hook_name[LH_NAME_MAX + 1]; /* Terraform `name`: the LifecycleHookName */
    int group;                /* index into scenario.asgs */
    int transition;           /* ASG_HOOK_LAUNCHING or ASG_HOOK_TERMINATING (asg.h) */
    sim_time_t heartbeat_timeout;
    int default_result;       /* ASG_RESULT_CONTINUE or ASG_RESULT_ABANDON (asg.h) */
    char *metadata;           /* notification_metadata, "" when absent (owned) */
} lh_cfg;

#endif /* FLEETSIM_LIFECYCLE_HOOK_CFG_H */
