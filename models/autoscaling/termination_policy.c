/*
 * termination_policy.c - which instance a scale-in or an instance refresh
 * terminates (AWS-ASG 1.4, 1.8, 11.1; asg.c's header comment, "Scale-in"):
 * with a mixed instances policy the market above its share of desired first,
 * then the zones holding the most live instances, then the group's
 * termination policies in order, then a uniform draw from
 * "asg.<name>/terminate".
 */
#include "models/autoscaling/termination_policy.h"

#include <math.h>

#include <gsl/gsl_rng.h>

/* Running time mod 3600 s: closeness to the next billing hour (AWS-ASG 1.4 step 3). */
static sim_time_t hour_phase(const asg *g, const ainst *a)
{
    if (a->running_at < 0)
        return 0;
    return (sim_now(g->s) - a->running_at) % SIM_HOUR;
}

typedef enum keep_rule { K_MIN_GEN, K_MAX_HOUR_PHASE, K_MIN_LAUNCH, K_MAX_LAUNCH, K_ALLOC } keep_rule;

/* AllocationStrategy (1.4, 1.8): how far a is from what the strategy would launch now (largest goes first):
   prioritized: the lowest priority; price strategies: the dearest per unit; capacity strategies: the riskiest. */
static int64_t alloc_key(const asg *g, const ainst *a)
{
    if (!g->mix || !g->mix->policy || !a->pool)
        return 0;
    double unit = ec2pool_price(a->pool, sim_now(g->s)) / (a->weight > 0 ? a->weight : 1);
    int64_t micro = (int64_t)llround(unit * 1e6);
    if (!asg_state_spot(a))
        return g->mix->od_strategy == MIX_OD_PRIORITIZED ? a->offer : micro;
    switch (g->mix->spot_strategy) {
    case MIX_SPOT_LOWEST_PRICE: return micro;
    case MIX_SPOT_CAPACITY_OPTIMIZED: return (int64_t)llround(ec2pool_hazard(a->pool) * 1e12);
    case MIX_SPOT_CAPACITY_OPTIMIZED_PRIORITIZED: return (int64_t)ec2pool_band(a->pool) * 1000 + a->offer;
    case MIX_SPOT_PRICE_CAPACITY_OPTIMIZED: return (int64_t)ec2pool_band(a->pool) * 1000000000 + micro;
    }
    return 0;
}

static int64_t rule_key(const asg *g, const ainst *a, keep_rule r)
{
    switch (r) {
    case K_MIN_GEN: return -(int64_t)a->gen;
    case K_MAX_HOUR_PHASE: return hour_phase(g, a);
    case K_MIN_LAUNCH: return -(a->requested * 1024 + (a->serial & 1023)) ; /* launch time, then launch order */
    case K_MAX_LAUNCH: return a->requested * 1024 + (a->serial & 1023);
    case K_ALLOC: return alloc_key(g, a);
    }
    return 0;
}

/* Keeps the candidates with the largest key. */
static size_t keep_best(const asg *g, ainst **c, size_t n, keep_rule r)
{
    if (n <= 1)
        return n;
    int64_t best = rule_key(g, c[0], r);
    for (size_t k = 1; k < n; k++) {
        int64_t v = rule_key(g, c[k], r);
        if (v > best)
            best = v;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (rule_key(g, c[k], r) == best)
            c[m++] = c[k];
    return m;
}

/*
 * The instance a scale-in terminates among c[0..n) (live, unprotected), or
 * NULL: AZ balance, the policies in order, then random (AWS-ASG 1.4, 11.1).
 * c is reordered.
 */
ainst *tpol_pick_victim(asg *g, ainst **c, size_t n)
{
    if (n == 0)
        return NULL;
    /* Mixed instances: first the market above its share of desired (1.8; AWS applies the policy per market). */
    if (g->mix && g->mix->policy) {
        int od_t = mix_od_target(g->mix, g->desired);
        int m = asg_market_units(g, EC2POOL_ON_DEMAND) > od_t ? EC2POOL_ON_DEMAND
              : asg_market_units(g, EC2POOL_SPOT) > g->desired - od_t ? EC2POOL_SPOT : -1;
        size_t k2 = 0;
        for (size_t k = 0; m >= 0 && k < n; k++)
            if ((int)asg_state_spot(c[k]) == m)
                c[k2++] = c[k];
        if (m >= 0 && k2 > 0)
            n = k2;
    }
    /* Step 0: the zones holding the most instances among zones with a candidate. */
    int best = -1;
    for (size_t k = 0; k < n; k++) {
        int z = g->zone_live[c[k]->az];
        if (z > best)
            best = z;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (g->zone_live[c[k]->az] == best)
            c[m++] = c[k];
    n = m;
    const scn_asg *cfg = g->cfg;
    size_t np = cfg->n_termination_policies;
    for (size_t p = 0; p < (np ? np : 1) && n > 1; p++) {
        int pol = np ? cfg->termination_policies[p] : SCN_TP_DEFAULT;
        switch (pol) {
        case SCN_TP_DEFAULT:
            n = keep_best(g, c, n, K_MIN_GEN);
            n = keep_best(g, c, n, K_MAX_HOUR_PHASE);
            break;
        case SCN_TP_OLDEST_LAUNCH_TEMPLATE: n = keep_best(g, c, n, K_MIN_GEN); break;
        case SCN_TP_CLOSEST_TO_NEXT_INSTANCE_HOUR: n = keep_best(g, c, n, K_MAX_HOUR_PHASE); break;
        case SCN_TP_NEWEST_INSTANCE: n = keep_best(g, c, n, K_MAX_LAUNCH); break;
        case SCN_TP_OLDEST_INSTANCE: n = keep_best(g, c, n, K_MIN_LAUNCH); break;
        case SCN_TP_ALLOCATION_STRATEGY: n = keep_best(g, c, n, K_ALLOC); break; /* a no-op without a policy */
        case SCN_TP_OLDEST_LAUNCH_CONFIGURATION:  /* no launch configurations in fleetsim */
        default: break;
        }
    }
    if (n == 1)
        return c[0];
    return c[gsl_rng_uniform_int(g->term, n)];
}
