/*
 * capacity.h - the fleet's capacity over the run, for the text summary:
 * instances in service (peak, time average), desired capacity, and
 * instance-hours by instance type and market (On-Demand, Spot); license
 * pools' keys when a pool exists (a resource row with `keys`).
 *
 * Prefix: capacity_.
 */
#ifndef FLEETSIM_CAPACITY_H
#define FLEETSIM_CAPACITY_H

#include <stdio.h>

#include "models/core/world.h"

/* One instance type in one market: how many instances ran, and their running hours within the run. */
typedef struct capacity_use {
    const char *itype;
    int spot;             /* 1 Spot, 0 On-Demand */
    size_t instances;
    double hours;
} capacity_use;

/* Instance-hours by type and market, in the order first met (launch order), into use[max]; the number of rows (may exceed max). */
size_t capacity_by_type(const world *w, capacity_use *use, size_t max);

/* Prints the "capacity" section. */
void capacity_print_text(const world *w, FILE *out);

/* Prints "licenses" (per pool: keys, most in use, leaks) when a resource row has `keys`; nothing otherwise. */
void capacity_print_licenses(const world *w, FILE *out);

#endif /* FLEETSIM_CAPACITY_H */
