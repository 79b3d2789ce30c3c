/*
 * ec2_pool.h - an EC2 capacity pool: one instance type in one availability
 * zone, in one market (On-Demand or Spot), as one Auto Scaling group sees it
 * (aws-semantics 1.8, 5.2).
 *
 * A pool has a price law (On-Demand: the type's price; Spot: a constant, a
 * CSV trace of (time, price) or a bounded random walk, turned into a
 * piecewise-constant series at build time), an interruption law (Spot only:
 * a per-instance hazard from a rate or a Spot Instance Advisor band, the lead
 * of the rebalance recommendation over the 2-minute notice, and reclaim waves
 * that take a fraction of the pool at once), and availability: an optional
 * cap on the group's instances in it and InsufficientInstanceCapacity
 * windows (the what-if of issue 8 and FIS's
 * aws:ec2:asg-insufficient-instance-capacity-error).
 *
 * Each Spot pool draws from its own named stream "spot.<group>/<type>/<az>".
 * Prefix: ec2pool_.
 */
#ifndef FLEETSIM_EC2_POOL_H
#define FLEETSIM_EC2_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/scenario.h"
#include "sim/sim.h"

typedef enum ec2pool_market { EC2POOL_ON_DEMAND = 0, EC2POOL_SPOT = 1 } ec2pool_market;

typedef enum ec2pool_price_kind {
    EC2POOL_PRICE_RATIO,    /* a fixed fraction of the On-Demand price (the default law) */
    EC2POOL_PRICE_CONSTANT, /* price: $X per hour */
    EC2POOL_PRICE_TRACE,    /* price_trace: a CSV of time,price */
    EC2POOL_PRICE_WALK,     /* price_walk: a bounded multiplicative random walk */
} ec2pool_price_kind;

/* Spot Instance Advisor frequency-of-interruption bands (aws-semantics 5.2), in the Advisor's order. */
#define EC2POOL_N_BANDS 5
extern const char *const ec2pool_band_names[]; /* "<5%", "5-10%", "10-15%", "15-20%", ">20%", NULL */

/* A Spot pool's config as the loader validated it (the group's fleetsim.spot defaults, then fleetsim.spot_pools entries). */
typedef struct ec2pool_cfg {
    char itype[32];              /* "" in the defaults block: every type */
    char az[32];                 /* "" in the defaults block / entry without one: every zone */
    scn_loc loc;
    ec2pool_price_kind price_kind;
    double price_ratio;          /* EC2POOL_PRICE_RATIO (and the walk's start): fraction of On-Demand */
    double price;                /* EC2POOL_PRICE_CONSTANT: USD/h */
    sim_time_t *trace_at;        /* EC2POOL_PRICE_TRACE: strictly increasing, first 0 */
    double *trace_usd;
    size_t n_trace;
    sim_time_t walk_step;        /* EC2POOL_PRICE_WALK: a new price every step */
    double walk_sd;              /* relative standard deviation of one step (log-normal step) */
    double walk_min, walk_max;   /* bounds as fractions of On-Demand */
    double monthly_rate;         /* fraction of instances interrupted per 30 days (from a band or a rate) */
    int band;                    /* the band it came from, -1 for an explicit rate */
    sim_dist rebalance_lead;     /* seconds the rebalance recommendation comes before the notice (>= 0) */
    double *lead_values;
    int capacity;                /* the most instances of the group in the pool at once; -1 = no cap */
    sim_time_t *wave_at;         /* reclaim waves at these times */
    size_t n_wave_at;
    sim_time_t wave_every;       /* mean interval of random reclaim waves (exponential); 0 = none */
    double wave_fraction;        /* fraction of the pool's instances each wave reclaims */
    sim_time_t (*ice)[2];        /* InsufficientInstanceCapacity windows [from, to) */
    size_t n_ice;
} ec2pool_cfg;

typedef struct ec2_pool ec2_pool;

/*
 * A pool of type (borrowed) in az for the group named owner. market ON_DEMAND: cfg may be NULL (the
 * type's price, no interruptions). SPOT: cfg is the pool's law (borrowed; NULL: ratio 0.38, band <5%).
 * until: the run's end (a random walk is drawn up to it). NULL out of memory.
 */
ec2_pool *ec2pool_new(sim *s, const char *owner, const scn_itype *type, const char *az, ec2pool_market market,
                      const ec2pool_cfg *cfg, sim_time_t until);

/* Frees the pool; NULL is a no-op. */
void ec2pool_free(ec2_pool *p);

/* Identity: the instance type, the zone, the market. */
const scn_itype *ec2pool_type(const ec2_pool *p);
const char *ec2pool_az(const ec2_pool *p);
ec2pool_market ec2pool_get_market(const ec2_pool *p);

/* The pool's price at time t, USD per instance-hour. */
double ec2pool_price(const ec2_pool *p, sim_time_t t);

/* The price series: its number of points and when point k's price starts (ec2pool_price gives it). */
size_t ec2pool_n_prices(const ec2_pool *p);
sim_time_t ec2pool_price_from(const ec2_pool *p, size_t k);

/* USD billed for one running stretch [from, to) at the pool's price of each moment (per second, 60 s minimum: stats/cost.h). */
double ec2pool_cost(const ec2_pool *p, sim_time_t from, sim_time_t to);

/* The interruption hazard, per instance-hour (0 for On-Demand). */
double ec2pool_hazard(const ec2_pool *p);

/* The Advisor band of the hazard (0 = "<5%" .. 4 = ">20%"): what capacity-optimized strategies rank by. */
int ec2pool_band(const ec2_pool *p);

/* Can a launch get capacity at now with `in_use` of the group's instances in it (no ICE window, under the cap)? Draws from the pool's stream when a window blocks only a percentage of launches. */
bool ec2pool_available(ec2_pool *p, sim_time_t now, int in_use);

/*
 * Makes the pool answer InsufficientInstanceCapacity to `percentage` % (1..100) of the launches in
 * [from, to) (FIS aws:ec2:asg-insufficient-instance-capacity-error; the what-if of issue 8). 0, or -1
 * out of memory or on a bad window.
 */
int ec2pool_block(ec2_pool *p, sim_time_t from, sim_time_t to, int percentage);

/* The ends of every ICE window (for whoever retries launches then): count and time k. */
size_t ec2pool_n_window_ends(const ec2_pool *p);
sim_time_t ec2pool_window_end(const ec2_pool *p, size_t k);

/* Time from now until a newly running Spot instance of the pool gets its interruption notice (exponential with the hazard), or -1 for never / On-Demand. */
sim_time_t ec2pool_draw_notice(ec2_pool *p);

/* How long before the notice the rebalance recommendation comes (>= 0). */
sim_time_t ec2pool_draw_lead(ec2_pool *p);

/* The reclaim waves in [0, until): the fixed times, then exponential ones (drawn at build); count and time k (sorted). */
size_t ec2pool_n_waves(const ec2_pool *p);
sim_time_t ec2pool_wave_at(const ec2_pool *p, size_t k);
/* The fraction of the pool's instances each wave reclaims. */
double ec2pool_wave_fraction(const ec2_pool *p);

/* A uniform draw in [0, 1) from the pool's stream (which instances a wave takes). */
double ec2pool_uniform(ec2_pool *p);

#endif /* FLEETSIM_EC2_POOL_H */
