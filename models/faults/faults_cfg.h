/*
 * faults_cfg.h - reading the scenario's `faults:` and `operations:`.
 */
#ifndef FLEETSIM_FAULTS_CFG_H
#define FLEETSIM_FAULTS_CFG_H

#include "models/core/loader.h"

/* Reads both lists (either may be NULL) into the scenario's faults, in time order (ties in file order). */
void faults_cfg_load(loader *v, const scn_node *faults, const scn_node *ops);

#endif /* FLEETSIM_FAULTS_CFG_H */
