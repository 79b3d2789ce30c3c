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

/* USD for an ALB over [from, to) at hourly_usd per started hour (aws-semantics 4.7; LCUs: cost_alb_lcus). */
double cost_alb_usd(double hourly_usd, sim_time_t from, sim_time_t to);

/* ALB LCU dimensions (aws-semantics 4.7): one LCU is 25 new connections/s, 3,000 active connections/minute, 1 GB/h processed (EC2 targets; GB = 2^30 bytes), 1,000 rule evaluations/s. */
#define COST_LCU_NEW_CONNS_PER_S 25.0
#define COST_LCU_ACTIVE_PER_MIN 3000.0
#define COST_LCU_BYTES_PER_H 1073741824.0
#define COST_LCU_RULE_EVALS_PER_S 1000.0
#define COST_ALB_FREE_RULES 10      /* the first 10 processed rules of a request are free */

typedef enum cost_lcu_dim {
    COST_LCU_NEW_CONNS,
    COST_LCU_ACTIVE_CONNS,
    COST_LCU_BYTES,
    COST_LCU_RULE_EVALS,
} cost_lcu_dim;

/* Usage of one ALB in one clock hour: what the LCU is the largest of. */
typedef struct cost_lcu_hour {
    double new_conns;       /* connections opened in the hour */
    double active_per_min;  /* active connections per minute, the hour's mean */
    double bytes;           /* processed bytes (requests + responses) in the hour */
    double rule_evals;      /* billable rule evaluations in the hour (requests x rules processed beyond the free 10) */
} cost_lcu_hour;

/* LCUs of one hour: the largest of its four dimensions, each over a whole hour; *winner (if non-NULL) names it (the first on ties, enum order). */
double cost_alb_lcus(const cost_lcu_hour *h, cost_lcu_dim *winner);

/* The dimension's name for reports: "new_connections", "active_connections", "processed_bytes", "rule_evaluations". */
const char *cost_lcu_dim_name(cost_lcu_dim d);

/* Lambda GB-seconds of one invocation: duration rounded up to 1 ms, times memory (MB / 1024). */
double cost_lambda_gb_seconds(sim_time_t duration, int memory_mb);

/* SNS billable publish requests for one message of payload_bytes: one per started 64 KB chunk, at least one. */
int64_t cost_sns_publish_requests(int64_t payload_bytes);

/*
 * The ledger: spend by service ("ec2", "elb", "lambda", ...) and, within a service, by line item
 * ("on_demand", "lcu_hours", "gb_seconds", ...). Each line keeps its usage in its billing unit, the unit
 * and the unit price, so reports can show usage and not only dollars (docs/reports.md "Cost").
 * items[] are the services with their totals (the name `items` is kept for the code that reads
 * per-service figures); lines[] the line items, each naming its service by index.
 */
#define COST_MAX_LINES 64
#define COST_UNIT_LEN 20

typedef struct cost_line {
    size_t service;            /* index into items[] */
    char item[COST_ITEM_LEN];  /* "on_demand" */
    char unit[COST_UNIT_LEN];  /* the billing unit of usage: "instance-hours", "LCU-hours", "requests" */
    double usage;              /* in unit */
    double unit_usd;           /* USD per unit: the price, or usd / usage when charges had different prices */
    double usd;
    int mixed;                 /* charged at more than one price (Spot): unit_usd is the mean */
} cost_line;

typedef struct cost_ledger {
    struct {
        char item[COST_ITEM_LEN]; /* the service's name */
        double usd;               /* the sum of its lines */
    } items[COST_MAX_ITEMS];
    size_t n;
    cost_line lines[COST_MAX_LINES];
    size_t n_lines;
} cost_ledger;

/* An empty ledger. */
void cost_ledger_init(cost_ledger *l);

/* Lists service (at $0, no lines) so services keep a fixed order; its index, or -1 if full or the name too long. */
int cost_ledger_service(cost_ledger *l, const char *service);

/* Charges usage units of service/item at unit_usd each (the line is created on first use); 0, or -1 if full or a name too long. */
int cost_ledger_charge(cost_ledger *l, const char *service, const char *item, const char *unit, double usage, double unit_usd);

/* Like cost_ledger_charge for a line whose price changes over its usage (Spot): usd for usage units; the line's unit price becomes the mean. */
int cost_ledger_charge_usd(cost_ledger *l, const char *service, const char *item, const char *unit, double usage, double usd);

/* Adds usd to service without usage (line item "usd", unit "USD"): for code that only knows dollars. 0, or -1. */
int cost_ledger_add(cost_ledger *l, const char *service, double usd);

/* Adds every line of src into dst (services and lines matched by name, new ones appended); 0, or -1 if dst is full. */
int cost_ledger_merge(cost_ledger *dst, const cost_ledger *src);

/* The USD of "service" (its total) or of "service/item" (one line); 0 if absent. */
double cost_ledger_get(const cost_ledger *l, const char *name);

/* The line service/item, or NULL. */
const cost_line *cost_ledger_line(const cost_ledger *l, const char *service, const char *item);

/* The grand total (the sum of the services). */
double cost_ledger_total(const cost_ledger *l);

#endif /* FLEETSIM_COST_H */
