/*
 * cost.c - EC2 per-second billing and ALB-hours.
 *
 * EC2 On-Demand (aws-semantics.md 5.1, 11 item 15): per-second billing with a
 * 60-second minimum each time an instance enters `running`; pending is free.
 * Spot (5.2): the same per-second rule at the pool's price of each moment.
 * Sub-second remainders are rounded up to a whole second (AWS bills whole
 * seconds). ALB (4.7): per ALB-hour, partial hours rounded up. LCU-hours are
 * not modelled yet, so ALB cost is a lower bound.
 */
#include "stats/cost.h"

#include <string.h>

int64_t cost_ec2_billed_seconds(sim_time_t from, sim_time_t to)
{
    sim_time_t d = to > from ? to - from : 0;
    int64_t secs = d / SIM_SEC + (d % SIM_SEC != 0);
    return secs < COST_EC2_MIN_SECONDS ? COST_EC2_MIN_SECONDS : secs;
}

double cost_ec2_usd(double hourly_usd, sim_time_t from, sim_time_t to)
{
    return hourly_usd * (double)cost_ec2_billed_seconds(from, to) / 3600.0;
}

/* The index of the price in force at t. */
static size_t price_at(const sim_time_t *at, size_t n, sim_time_t t)
{
    size_t k = 0;
    while (k + 1 < n && at[k + 1] <= t)
        k++;
    return k;
}

double cost_ec2_usd_series(const sim_time_t *at, const double *usd_h, size_t n, sim_time_t from, sim_time_t to)
{
    if (n == 0)
        return 0;
    /* The billed span: whole seconds rounded up, at least the minimum, starting at `from`. */
    sim_time_t end = from + (sim_time_t)cost_ec2_billed_seconds(from, to) * SIM_SEC;
    double usd = 0;
    sim_time_t t = from;
    for (size_t k = price_at(at, n, from); t < end; k++) {
        sim_time_t seg_end = k + 1 < n && at[k + 1] < end ? at[k + 1] : end;
        /* exact integer ns per segment: the sum over segments is the billed seconds */
        usd += usd_h[k] * (double)(seg_end - t) / (double)SIM_HOUR;
        t = seg_end;
        if (k + 1 >= n)
            break;
    }
    return usd;
}

int64_t cost_alb_billed_hours(sim_time_t from, sim_time_t to)
{
    if (to <= from)
        return 0;
    sim_time_t d = to - from;
    return d / SIM_HOUR + (d % SIM_HOUR != 0);
}

double cost_alb_usd(double hourly_usd, sim_time_t from, sim_time_t to)
{
    return hourly_usd * (double)cost_alb_billed_hours(from, to);
}

void cost_ledger_init(cost_ledger *l) { memset(l, 0, sizeof *l); }

int cost_ledger_add(cost_ledger *l, const char *item, double usd)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->items[i].item, item) == 0)
            break;
    if (i == l->n) {
        if (l->n == COST_MAX_ITEMS || strlen(item) >= COST_ITEM_LEN)
            return -1;
        strcpy(l->items[i].item, item);
        l->items[i].usd = 0;
        l->n++;
    }
    l->items[i].usd += usd;
    return 0;
}

double cost_ledger_get(const cost_ledger *l, const char *item)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].item, item) == 0)
            return l->items[i].usd;
    return 0;
}

double cost_ledger_total(const cost_ledger *l)
{
    double t = 0;
    for (size_t i = 0; i < l->n; i++)
        t += l->items[i].usd;
    return t;
}
