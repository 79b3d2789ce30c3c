/*
 * faults_cfg.h - reading the scenario's `faults:` and `operations:`.
 */
#ifndef FLEETSIM_FAULTS_CFG_H
#define FLEETSIM_FAULTS_CFG_H

#include <stdbool.h>

#include "models/core/loader.h"

/* Every key of a `faults:` (ops false) or `operations:` (ops true) entry, ending with a {NULL} row; the kind row's
   values are the kinds. */
const ld_key *faults_cfg_keys(bool ops);

/* The keys of one kind ("instance_crash", "set_desired_capacity"...), or NULL for an unknown kind. */
const ld_key *faults_cfg_kind_keys(const char *kind);

/* Reads both lists (either may be NULL) into the scenario's faults, in time order (ties in file order). */
void faults_cfg_load(loader *v, const scn_node *faults, const scn_node *ops);

#endif /* FLEETSIM_FAULTS_CFG_H */
