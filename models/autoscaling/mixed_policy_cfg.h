/*
 * mixed_policy_cfg.h - the loader of an Auto Scaling group's
 * mixed_instances_policy and fleetsim block (mixed_policy.h).
 */
#ifndef FLEETSIM_MIXED_POLICY_CFG_H
#define FLEETSIM_MIXED_POLICY_CFG_H

#include "models/core/loader.h"

/* The keys of mixed_instances_policy and of the group's fleetsim block (rows of the group's table). */
extern const ld_key mix_policy_keys[];
extern const ld_key mix_fleetsim_keys[];

/* Reads mixed_instances_policy and fleetsim from the group's section into g->mix (allocated when either is present); *lt_node gets the policy's launch template reference node (NULL: none) for the group's launch check. */
void mix_cfg_load(loader *v, const ld_sect *s, scn_asg *g, const scn_node **lt_node);

#endif /* FLEETSIM_MIXED_POLICY_CFG_H */
