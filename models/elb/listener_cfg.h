/*
 * listener_cfg.h - what aws_lb_listener and aws_lb_listener_rule share, and
 * how a workload picks its listener.
 */
#ifndef FLEETSIM_LISTENER_CFG_H
#define FLEETSIM_LISTENER_CFG_H

#include "models/core/loader.h"

/* The keys of a default_action / action block. */
extern const ld_key listener_action_keys[];

/* Reads the action block under key of s (a mapping, or a list of one) into *a; reports at its position. */
void listener_action_load(loader *v, const ld_sect *s, const char *key, scn_lb_action *a);

/* A workload's `path`, `host` and `port` (which listener of its aws_lb it sends to): the workload's section s, after its `target`. */
void listener_cfg_workload(loader *v, const ld_sect *s, scn_workload *w);

#endif /* FLEETSIM_LISTENER_CFG_H */
