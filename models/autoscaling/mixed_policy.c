/*
 * mixed_policy.c - the On-Demand / Spot split of a mixed instances policy
 * and the lookup of a pool's law (aws-semantics 1.8, 5.2).
 */
#include "models/autoscaling/mixed_policy.h"
#include "models/ec2/ec2_pool_cfg.h"

#include <stdlib.h>
#include <string.h>

int mix_od_target(const asg_mix *m, int desired)
{
    if (!m || !m->policy)
        return desired;
    if (desired <= m->od_base)
        return desired;
    int above = desired - m->od_base;
    /* ceil(above x pct / 100) in integers: rounding favours On-Demand (1.8: base 0, 60 % of 10 -> 6). */
    int od_above = (above * m->od_pct + 99) / 100;
    return m->od_base + od_above;
}

const ec2pool_cfg *mix_pool_cfg(const asg_mix *m, ec2pool_market market, const char *itype, const char *az)
{
    if (!m)
        return NULL;
    for (size_t k = m->n_pools; k-- > 0;) {
        const mix_pool *p = &m->pools[k];
        if (p->market == market && (!p->cfg.itype[0] || strcmp(p->cfg.itype, itype) == 0) &&
            (!p->cfg.az[0] || strcmp(p->cfg.az, az) == 0))
            return &p->cfg;
    }
    return market == EC2POOL_SPOT ? &m->spot : NULL;
}

void mix_free(asg_mix *m)
{
    if (!m)
        return;
    free(m->overrides);
    ec2pool_cfg_free(&m->spot);
    for (size_t k = 0; k < m->n_pools; k++)
        ec2pool_cfg_free(&m->pools[k].cfg);
    free(m->pools);
}
