/*
 * elb_build.h - what the Elastic Load Balancing types' build operations
 * share with the types that route to them (build.h).
 *
 * Prefix: elb_.
 */
#ifndef FLEETSIM_ELB_BUILD_H
#define FLEETSIM_ELB_BUILD_H

#include <stddef.h>

#include "models/core/build.h"
#include "models/elb/target_group.h"

/* The built target groups, by scenario index (a new array the caller frees; entries may be NULL before their stage); NULL out of memory. */
tg **elb_target_groups(const wb *b, size_t *n);

#endif /* FLEETSIM_ELB_BUILD_H */
