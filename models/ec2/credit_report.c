/*
 * credit_report.c - CPU credit rows and window figures per burstable type
 * and mode (see credit_report.h).
 *
 * A terminated instance reports its figures at termination: its final
 * balance is what it had when it left, and its surplus credits were charged
 * then (aws-semantics 5.6). Instances still running at the end count their
 * outstanding surplus as charged at the end (ec2_credit_charged).
 */
#include "models/ec2/credit_report.h"

#include <stdio.h>
#include <string.h>

#define MAX_KINDS 16

typedef struct kind {
    char name[48];          /* "t2.micro-standard", "t3.micro-unlimited" */
    int n, running, throttled;
    double min_balance, final_sum, throttled_s, charged, usd, balance_now, surplus_now;
    bool unlimited;
} kind;

/* The label of i's type and mode. */
static void label(const ec2_instance *i, char *out, size_t size)
{
    snprintf(out, size, "%s-%s", ec2_type(i)->name, ec2_credits_unlimited(i) ? "unlimited" : "standard");
}

/* The kind of i in ks (added on first sight); NULL past MAX_KINDS. */
static kind *kind_of(kind *ks, int *nk, const ec2_instance *i)
{
    char l[48];
    label(i, l, sizeof l);
    for (int k = 0; k < *nk; k++)
        if (strcmp(ks[k].name, l) == 0)
            return &ks[k];
    if (*nk == MAX_KINDS)
        return NULL;
    kind *k = &ks[(*nk)++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", l);
    return k;
}

void ec2_credit_gauges(ec2_instance *const *insts, size_t n, sim_time_t now, wb_gauges *g)
{
    kind ks[MAX_KINDS];
    int nk = 0;
    for (size_t j = 0; j < n; j++) {
        const ec2_instance *i = insts[j];
        if (!ec2_burstable(i) || !ec2_running(i))
            continue;
        kind *k = kind_of(ks, &nk, i);
        if (!k)
            continue;
        k->running++;
        k->balance_now += ec2_credit_balance(i, now);
        k->surplus_now += ec2_credit_surplus(i, now);
        k->unlimited = ec2_credits_unlimited(i);
        k->throttled += ec2_credit_throttled(i);
    }
    for (int k = 0; k < nk; k++) {
        wb_gauge_put(g, ks[k].name, "cpu_credit_balance", ks[k].balance_now / ks[k].running);
        if (ks[k].unlimited)
            wb_gauge_put(g, ks[k].name, "cpu_surplus_credit_balance", ks[k].surplus_now / ks[k].running);
        else
            wb_gauge_put(g, ks[k].name, "throttled", ks[k].throttled);
    }
}

int ec2_credit_rows(ec2_instance *const *insts, size_t n, sim_time_t end, rows *r)
{
    kind ks[MAX_KINDS];
    int nk = 0;
    for (size_t j = 0; j < n; j++) {
        const ec2_instance *i = insts[j];
        if (!ec2_burstable(i))
            continue;
        kind *k = kind_of(ks, &nk, i);
        if (!k)
            continue;
        double mb = ec2_credit_min_balance(i, end);
        if (k->n == 0 || mb < k->min_balance)
            k->min_balance = mb;
        k->n++;
        k->final_sum += ec2_credit_balance(i, end);
        k->throttled_s += sim_to_sec(ec2_credit_throttled_ns(i, end));
        k->charged += ec2_credit_charged(i, end);
        k->usd += ec2_credit_surplus_usd(i, end);
    }
    for (int k = 0; k < nk; k++) {
        const kind *x = &ks[k];
        if (rows_begin(r, "ec2_cpu_credits", x->name) != 0 || rows_int(r, "instances", x->n) != 0 ||
            rows_num(r, "min_balance", x->min_balance) != 0 || rows_num(r, "final_balance_mean", x->final_sum / x->n) != 0 ||
            rows_num(r, "throttled_instance_s", x->throttled_s) != 0 || rows_num(r, "surplus_charged", x->charged) != 0 ||
            rows_num(r, "surplus_cost_usd", x->usd) != 0)
            return -1;
    }
    return 0;
}
