/*
 * cost.h - billing rules and a small cost ledger.
 *
 * Prices are USD; us-west-2 is assumed equal to us-east-1
 * (../shared/reference/aws-semantics.md 4.7, [3P]: check the live pricing
 * pages before relying on absolute figures).
 */
#ifndef FLEETSIM_COST_H
#define FLEETSIM_COST_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

#define COST_EC2_MIN_SECONDS 60      /* minimum each time an instance enters running (5.1) */
#define COST_MAX_ITEMS 16
#define COST_ITEM_LEN 24

/* Seconds billed for one stretch of `running` over [from, to) (ns): whole seconds rounded up, at least 60 (an instance that entered running bills the minimum even if to <= from). */
int64_t cost_ec2_billed_seconds(sim_time_t from, sim_time_t to);

/* USD for one running stretch at hourly_usd per hour (per-second billing, 60 s minimum). */
double cost_ec2_usd(double hourly_usd, sim_time_t from, sim_time_t to);

/*
 * USD for one running stretch [from, to) at a price that changes over time (a Spot pool, aws-semantics
 * 5.2, 11 item 15): at[k] (ns, increasing) starts the price usd_h[k] (USD/h); before at[0] the first price
 * applies. Each second is billed at the price of its moment; the sub-second remainder and the 60 s
 * minimum's extra seconds are billed at the price at `from` + the billed time (where they fall). With
 * n == 1 this equals cost_ec2_usd(usd_h[0], from, to). 0 when n == 0.
 */
double cost_ec2_usd_series(const sim_time_t *at, const double *usd_h, size_t n, sim_time_t from, sim_time_t to);

/* ALB-hours billed for an ALB existing over [from, to): partial hours rounded up; 0 if to <= from. */
int64_t cost_alb_billed_hours(sim_time_t from, sim_time_t to);

/* USD for an ALB over [from, to) at hourly_usd per started hour (aws-semantics 4.7; LCU-hours not modelled). */
double cost_alb_usd(double hourly_usd, sim_time_t from, sim_time_t to);

/* Spend by line item ("ec2", "alb", ...), items in the order first added. */
typedef struct cost_ledger {
    struct {
        char item[COST_ITEM_LEN];
        double usd;
    } items[COST_MAX_ITEMS];
    size_t n;
} cost_ledger;

/* An empty ledger. */
void cost_ledger_init(cost_ledger *l);

/* Adds usd to item (created at the end if new); 0, or -1 if the ledger is full or the name too long. */
int cost_ledger_add(cost_ledger *l, const char *item, double usd);

/* The USD of one item (0 if absent), and the total of all items. */
double cost_ledger_get(const cost_ledger *l, const char *item);
double cost_ledger_total(const cost_ledger *l);

#endif /* FLEETSIM_COST_H */
