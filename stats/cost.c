/*
 * cost.c - EC2 per-second billing and ALB-hours.
 *
 * EC2 On-Demand (aws-semantics.md 5.1, 11 item 15): per-second billing with a
 * 60-second minimum each time an instance enters `running`; pending is free.
 * Spot (5.2): the same per-second rule at the pool's price of each moment.
 * Sub-second remainders are rounded up to a whole second (AWS bills whole
 * seconds). ALB (4.7): per ALB-hour, partial hours rounded up, plus LCU-hours,
 * each hour's LCU the largest of its four dimensions.
 *
 * The ledger keeps lines (service, item) with their usage, unit and unit price;
 * a service's total is kept beside its lines so per-service readers need not
 * sum. Lines are found by a linear scan: a ledger has a few dozen at most and
 * is filled once per report window, never per request.
 */
#include "stats/cost.h"

#include <stdio.h>
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

double cost_alb_lcus(const cost_lcu_hour *h, cost_lcu_dim *winner)
{
    double d[4] = {
        h->new_conns / 3600.0 / COST_LCU_NEW_CONNS_PER_S,
        h->active_per_min / COST_LCU_ACTIVE_PER_MIN,
        h->bytes / COST_LCU_BYTES_PER_H,
        h->rule_evals / 3600.0 / COST_LCU_RULE_EVALS_PER_S,
    };
    int best = 0;
    for (int k = 1; k < 4; k++)
        if (d[k] > d[best])
            best = k;
    if (winner)
        *winner = (cost_lcu_dim)best;
    return d[best];
}

const char *cost_lcu_dim_name(cost_lcu_dim d)
{
    static const char *const names[] = {"new_connections", "active_connections", "processed_bytes", "rule_evaluations"};
    return (unsigned)d < 4 ? names[d] : "?";
}

double cost_lambda_gb_seconds(sim_time_t duration, int memory_mb)
{
    int64_t ms = duration > 0 ? (duration + SIM_MS - 1) / SIM_MS : 0;
    return (double)memory_mb / 1024.0 * (double)ms / 1000.0;
}

int64_t cost_sns_publish_requests(int64_t payload_bytes)
{
    const int64_t chunk = 64 * 1024;
    return payload_bytes <= chunk ? 1 : (payload_bytes + chunk - 1) / chunk;
}

void cost_ledger_init(cost_ledger *l) { memset(l, 0, sizeof *l); }

static int find_service(const cost_ledger *l, const char *service)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].item, service) == 0)
            return (int)i;
    return -1;
}

int cost_ledger_service(cost_ledger *l, const char *service)
{
    int i = find_service(l, service);
    if (i >= 0)
        return i;
    if (l->n == COST_MAX_ITEMS || strlen(service) >= COST_ITEM_LEN)
        return -1;
    snprintf(l->items[l->n].item, COST_ITEM_LEN, "%s", service);
    l->items[l->n].usd = 0;
    return (int)l->n++;
}

static cost_line *find_line(const cost_ledger *l, int svc, const char *item)
{
    for (size_t i = 0; i < l->n_lines; i++)
        if (l->lines[i].service == (size_t)svc && strcmp(l->lines[i].item, item) == 0)
            return (cost_line *)&l->lines[i];
    return NULL;
}

/* The line service/item, created (with unit and price) if new; NULL if full or a name is too long. */
static cost_line *get_line(cost_ledger *l, const char *service, const char *item, const char *unit, double unit_usd)
{
    int svc = cost_ledger_service(l, service);
    if (svc < 0)
        return NULL;
    cost_line *x = find_line(l, svc, item);
    if (x)
        return x;
    if (l->n_lines == COST_MAX_LINES || strlen(item) >= COST_ITEM_LEN || strlen(unit) >= COST_UNIT_LEN)
        return NULL;
    x = &l->lines[l->n_lines++];
    memset(x, 0, sizeof *x);
    x->service = (size_t)svc;
    snprintf(x->item, sizeof x->item, "%s", item);
    snprintf(x->unit, sizeof x->unit, "%s", unit);
    x->unit_usd = unit_usd;
    return x;
}

static void book(cost_ledger *l, cost_line *x, double usage, double usd)
{
    x->usage += usage;
    x->usd += usd;
    l->items[x->service].usd += usd;
    if (x->mixed && x->usage > 0)
        x->unit_usd = x->usd / x->usage;
}

int cost_ledger_charge(cost_ledger *l, const char *service, const char *item, const char *unit, double usage, double unit_usd)
{
    cost_line *x = get_line(l, service, item, unit, unit_usd);
    if (!x)
        return -1;
    if (x->unit_usd != unit_usd && !x->mixed)
        x->mixed = 1;
    book(l, x, usage, usage * unit_usd);
    return 0;
}

int cost_ledger_charge_usd(cost_ledger *l, const char *service, const char *item, const char *unit, double usage, double usd)
{
    cost_line *x = get_line(l, service, item, unit, usage > 0 ? usd / usage : 0);
    if (!x)
        return -1;
    x->mixed = 1;
    book(l, x, usage, usd);
    return 0;
}

int cost_ledger_add(cost_ledger *l, const char *service, double usd)
{
    return cost_ledger_charge(l, service, "usd", "USD", usd, 1.0);
}

int cost_ledger_merge(cost_ledger *dst, const cost_ledger *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->n; i++)
        if (cost_ledger_service(dst, src->items[i].item) < 0)
            rc = -1;
    for (size_t i = 0; i < src->n_lines; i++) {
        const cost_line *y = &src->lines[i];
        cost_line *x = get_line(dst, src->items[y->service].item, y->item, y->unit, y->unit_usd);
        if (!x) {
            rc = -1;
            continue;
        }
        if (y->mixed || x->unit_usd != y->unit_usd)
            x->mixed = 1;
        book(dst, x, y->usage, y->usd);
    }
    return rc;
}

const cost_line *cost_ledger_line(const cost_ledger *l, const char *service, const char *item)
{
    int svc = find_service(l, service);
    return svc < 0 ? NULL : find_line(l, svc, item);
}

double cost_ledger_get(const cost_ledger *l, const char *name)
{
    const char *slash = strchr(name, '/');
    if (!slash) {
        int svc = find_service(l, name);
        return svc < 0 ? 0 : l->items[svc].usd;
    }
    char service[COST_ITEM_LEN];
    size_t n = (size_t)(slash - name);
    if (n >= sizeof service)
        return 0;
    memcpy(service, name, n);
    service[n] = '\0';
    const cost_line *x = cost_ledger_line(l, service, slash + 1);
    return x ? x->usd : 0;
}

double cost_ledger_total(const cost_ledger *l)
{
    double t = 0;
    for (size_t i = 0; i < l->n; i++)
        t += l->items[i].usd;
    return t;
}
