/*
 * mixed_policy.h - an Auto Scaling group's mixed_instances_policy as
 * Terraform nests it (instances_distribution, launch_template with its
 * launch_template_specification and override blocks) and the group's
 * fleetsim capacity pools (aws-semantics 1.8, 5.2), as the loader validated
 * them; and the On-Demand / Spot split it implies.
 *
 * Prefix: mix_.
 */
#ifndef FLEETSIM_MIXED_POLICY_H
#define FLEETSIM_MIXED_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "models/ec2/ec2_pool.h"

typedef enum mix_od_strategy { MIX_OD_PRIORITIZED, MIX_OD_LOWEST_PRICE } mix_od_strategy;
typedef enum mix_spot_strategy {
    MIX_SPOT_LOWEST_PRICE,
    MIX_SPOT_CAPACITY_OPTIMIZED,
    MIX_SPOT_CAPACITY_OPTIMIZED_PRIORITIZED,
    MIX_SPOT_PRICE_CAPACITY_OPTIMIZED,
} mix_spot_strategy;

/* One launch_template override: a type and its capacity units. */
typedef struct mix_override {
    int itype;     /* index into scenario.itypes */
    int weight;    /* weighted_capacity, 1..999; 1 when not given */
} mix_override;

/* A fleetsim pool entry: the pool's law, and which pools it applies to. */
typedef struct mix_pool {
    ec2pool_market market;  /* spot (default) or on-demand */
    ec2pool_cfg cfg;        /* itype "" / az "": every type / zone of the group */
} mix_pool;

typedef struct asg_mix {
    bool policy;                 /* a mixed_instances_policy block is present */
    int od_base;                 /* on_demand_base_capacity, units */
    int od_pct;                  /* on_demand_percentage_above_base_capacity, 0..100 */
    mix_od_strategy od_strategy;
    mix_spot_strategy spot_strategy;
    int spot_pools;              /* spot_instance_pools, 1..20 (lowest-price only) */
    double spot_max_price;       /* USD/h; < 0: the On-Demand price (AWS default) */
    mix_override *overrides;     /* in priority order; none: the template's type, weight 1 */
    size_t n_overrides;
    ec2pool_cfg spot;            /* fleetsim.spot: every Spot pool's law unless a pools entry says otherwise */
    mix_pool *pools;             /* fleetsim.pools, in file order (a later entry wins) */
    size_t n_pools;
    sim_time_t launch_retry;     /* fleetsim.launch_retry_interval */
} asg_mix;

/* The On-Demand units of a group at `desired` units: the base first, then the percentage of the rest rounded up in favour of On-Demand (aws-semantics 1.8). m NULL: all On-Demand. */
int mix_od_target(const asg_mix *m, int desired);

/* The law of the Spot (or On-Demand) pool of itype (name) in az: the last matching fleetsim.pools entry, else the group's fleetsim.spot defaults (Spot) or NULL (On-Demand). */
const ec2pool_cfg *mix_pool_cfg(const asg_mix *m, ec2pool_market market, const char *itype, const char *az);

/* Frees what the loader allocated inside m (not m); NULL is a no-op. */
void mix_free(asg_mix *m);

#endif /* FLEETSIM_MIXED_POLICY_H */
