/*
 * termination_policy.h - the instance a group's scale-in or instance refresh
 * terminates (AWS-ASG 1.4, 1.8, 11.1).
 *
 * Prefix: tpol_.
 */
#ifndef FLEETSIM_TERMINATION_POLICY_H
#define FLEETSIM_TERMINATION_POLICY_H

#include <stddef.h>

#include "models/autoscaling/asg_state.h"

/* The instance to terminate among c[0..n) (live, unprotected instances of g), or NULL when n == 0; reorders c and may draw from g->term. */
ainst *tpol_pick_victim(asg *g, ainst **c, size_t n);

#endif
