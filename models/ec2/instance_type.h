/*
 * instance_type.h - the built-in EC2 instance type catalog.
 *
 * vCPU counts are AWS's; prices are On-Demand Linux us-west-2 USD/h from
 * ../shared/reference/aws-semantics.md section 5.3 (third-party figures:
 * check the live pricing page before relying on them). `speed` (work done by
 * one vCPU per second, c5.large = 1.0) has no AWS figure: it is a fleetsim
 * assumption, overridable per scenario under `instance_types:`.
 */
#ifndef FLEETSIM_INSTANCE_TYPE_H
#define FLEETSIM_INSTANCE_TYPE_H

#include <stddef.h>

#include "models/core/scenario.h"

/* The catalog entry for an exact type name, or NULL. */
const scn_itype *itype_catalog_find(const char *name);

/* The number of catalog entries, and entry i (0 <= i < count). */
size_t itype_catalog_count(void);
const scn_itype *itype_catalog_at(size_t i);

#endif /* FLEETSIM_INSTANCE_TYPE_H */
