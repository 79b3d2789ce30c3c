/*
 * workload_cfg.h - reading the scenario's `workload:` list.
 */
#ifndef FLEETSIM_WORKLOAD_CFG_H
#define FLEETSIM_WORKLOAD_CFG_H

#include "models/core/loader.h"

/* Reads every workload into the scenario (after `resources:`, whose load balancers they target). */
void workload_cfg_load(loader *v, const scn_node *n);

/* Frees what workload_cfg_load allocated inside one workload (not w itself). */
void workload_cfg_free(scn_workload *w);

#endif /* FLEETSIM_WORKLOAD_CFG_H */
