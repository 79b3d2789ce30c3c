/*
 * workload_cfg.h - reading the scenario's `workload:` list.
 */
#ifndef FLEETSIM_WORKLOAD_CFG_H
#define FLEETSIM_WORKLOAD_CFG_H

#include "models/core/loader.h"

/* Reads every workload into the scenario (after `resources:`, whose load balancers they target). */
void workload_cfg_load(loader *v, const scn_node *n);

/* The keys of one `workload:` entry, ending with a {NULL} row; its `arrivals` row's block holds only `kind`. */
const ld_key *workload_cfg_keys(void);

/* The keys of `arrivals` of one kind ("poisson", "piecewise", ...: the kind row's values), or NULL for an unknown
   kind; piecewise's `points` row has the keys of one point in its block. */
const ld_key *workload_cfg_arrivals_keys(const char *kind);

/* Frees what workload_cfg_load allocated inside one workload (not w itself). */
void workload_cfg_free(scn_workload *w);

#endif /* FLEETSIM_WORKLOAD_CFG_H */
