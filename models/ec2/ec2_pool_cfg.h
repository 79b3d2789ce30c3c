/*
 * ec2_pool_cfg.h - the key table and loader of a capacity pool's law
 * (ec2_pool.h): an Auto Scaling group's fleetsim.spot block and each
 * fleetsim.pools entry.
 */
#ifndef FLEETSIM_EC2_POOL_CFG_H
#define FLEETSIM_EC2_POOL_CFG_H

#include <stdbool.h>

#include "models/core/loader.h"
#include "models/ec2/ec2_pool.h"

/* The keys of fleetsim.spot (the defaults of every Spot pool) and of a fleetsim.pools entry. */
extern const ld_key ec2pool_keys[];
extern const ld_key ec2pool_entry_keys[];

/* Reads one pool law from s (checked against its table) into c, starting from base (the group's defaults; NULL: the table's). entry: a fleetsim.pools entry (instance_type, availability_zone, market); *market gets its market. */
void ec2pool_cfg_load(loader *v, const ld_sect *s, const ec2pool_cfg *base, bool entry, ec2pool_cfg *c,
                      ec2pool_market *market);

/* The table's defaults of a Spot pool (price ratio 0.38, band <5%, rebalance lead 10m, no cap, wave fraction 0.5). */
void ec2pool_cfg_default(ec2pool_cfg *c);

/* Frees what the loader allocated inside c (not c). */
void ec2pool_cfg_free(ec2pool_cfg *c);

#endif /* FLEETSIM_EC2_POOL_CFG_H */
