/*
 * test_cost.c - EC2 per-second billing with the 60 s minimum, ALB-hours
 * rounded up, the ledger, and the world's cost for fixed fleets.
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "stats/cost.h"
#include "mtest.h"

static void test_rules(void)
{
    is_int(cost_ec2_billed_seconds(0, 30 * SIM_SEC), 60, "30 s running bills the 60 s minimum");
    is_int(cost_ec2_billed_seconds(0, 60 * SIM_SEC), 60, "60 s bills 60 s");
    is_int(cost_ec2_billed_seconds(0, 90 * SIM_SEC + 200 * SIM_MS), 91, "90.2 s bills 91 s");
    is_int(cost_ec2_billed_seconds(0, 61 * SIM_SEC + 1), 62, "61 s + 1 ns bills 62 s");
    is_int(cost_ec2_billed_seconds(5 * SIM_SEC, 5 * SIM_SEC), 60, "entering running bills the minimum at once");
    is_int(cost_alb_billed_hours(0, 30 * SIM_SEC), 1, "ALB: 30 s is one hour");
    is_int(cost_alb_billed_hours(0, SIM_HOUR), 1, "ALB: 1 h is one hour");
    is_int(cost_alb_billed_hours(0, SIM_HOUR + 1), 2, "ALB: 1 h + 1 ns is two hours");
    is_near(cost_alb_usd(0.0225, 0, 3 * SIM_HOUR - SIM_SEC), 3 * 0.0225, 1e-12, "ALB: 3 hours at $0.0225");
    is_near(cost_ec2_usd(0.085, 0, 90 * SIM_SEC + 200 * SIM_MS), 0.085 * 91 / 3600, 1e-15, "EC2 USD of 91 s");

    cost_ledger l;
    cost_ledger_init(&l);
    is_int(cost_ledger_add(&l, "ec2", 1.5), 0, "ledger add");
    cost_ledger_add(&l, "alb", 0.25);
    cost_ledger_add(&l, "ec2", 0.5);
    is_near(cost_ledger_get(&l, "ec2"), 2.0, 0, "ledger sums one item");
    is_near(cost_ledger_get(&l, "lambda"), 0, 0, "absent item is 0");
    is_near(cost_ledger_total(&l), 2.25, 0, "ledger total");
    is_str(l.items[0].item, "ec2", "items keep their first-added order");
}

static void world_cost_of(double duration_s, int count, double *ec2, double *alb)
{
    mscn m;
    mscn_init(&m, duration_s, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, count, 2, 1.0, 1);
    mscn_poisson(&m, 10, mt_exp(0.01));
    world *w = mt_run(&m, 1);
    *ec2 = w ? world_cost(w, "ec2") : -1;
    *alb = w ? world_cost(w, "elb/alb_hours") : -1;
    if (w)
        is_near(world_cost_total(w), *ec2 + world_cost(w, "elb") + world_cost(w, "ebs"), 1e-15, "total = ec2 + elb + ebs (root volumes)");
    mt_free(w);
}

static void test_world(void)
{
    double ec2, alb;
    world_cost_of(30, 1, &ec2, &alb);
    is_near(ec2, 0.085 * 60 / 3600, 1e-15, "a 30 s run bills 60 s of EC2 (%.8f)", ec2);
    is_near(alb, 0.0225, 1e-15, "a 30 s run bills one ALB-hour");
    world_cost_of(90.2, 3, &ec2, &alb);
    is_near(ec2, 3 * 0.085 * 91 / 3600, 1e-15, "a 90.2 s run bills 91 s per instance (%.8f)", ec2);
    world_cost_of(3600.5, 1, &ec2, &alb);
    is_near(alb, 2 * 0.0225, 1e-15, "3600.5 s bills two ALB-hours");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_rules();
    test_world();
    return tap_done();
}
