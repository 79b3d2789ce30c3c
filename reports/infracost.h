/*
 * infracost.h - the run's usage as an Infracost usage file (infracost-usage.yml).
 *
 * `infracost breakdown --path . --usage-file infracost-usage.yml` then prices
 * the simulated architecture for a month of the simulated usage: each
 * resource is keyed by its Terraform address (aws_autoscaling_group.web,
 * aws_instance.web[0]) with the keys of Infracost's own usage file
 * (infracost-usage-example.yml, infracost/infracost). A run shorter or
 * longer than a month is scaled: monthly counts are the run's count per
 * simulated hour x 730; levels (instances, rates per second, storage) are
 * the run's mean. docs/reports.md "infracost-usage.yml" lists every key.
 *
 * Prefix: infracost_.
 */
#ifndef FLEETSIM_INFRACOST_H
#define FLEETSIM_INFRACOST_H

#include <stdio.h>

#include "models/core/world.h"

/* Infracost's month: 730 hours (its HourToMonthUnitMultiplier). */
#define INFRACOST_MONTH_HOURS 730

/* Writes infracost-usage.yml (version 0.1, resource_usage by Terraform address) for a world that has run; 0, or -1 on a write error or a world that has not run. */
int infracost_write_usage(const world *w, FILE *out);

#endif /* FLEETSIM_INFRACOST_H */
