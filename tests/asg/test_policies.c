/*
 * test_policies.c - which instance a scale-in terminates (AWS-ASG 1.4, 11.1),
 * scale-in protection, UpdateAutoScalingGroup side effects (1.1), manual
 * scaling with HonorCooldown (1.1, 1.6).
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "atest.h"

static void one_zone(atest *a) { a->g.n_availability_zones = 1; }

/* The resource of the first Terminating event at or after t_s. */
static const char *victim_after(world *w, double t_s)
{
    size_t pos = 0;
    const events_entry *e;
    while ((e = events_find(world_events(w), &pos, "instance", NULL, "Terminating")))
        if (sim_to_sec(e->t) >= t_s)
            return e->resource;
    return NULL;
}

static void test_az_before_age(void)
{
    atest a;
    at_init(&a, 400, 1, 2, 4);
    a.g.n_availability_zones = 2;
    a.g.termination_policies[0] = SCN_TP_NEWEST_INSTANCE;
    scn_fault *f = at_fault(&a, SCN_FAULT_AZ_OUTAGE, 5);
    snprintf(f->zone, sizeof f->zone, "us-west-2b");
    f->duration = 45 * SIM_SEC;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "AZ before age: world builds"))
        return;
    at_run_to(w, 400);
    /* i-1 (b) crashed at 5, i-2 replaced it in a; b recovers at 50: i-3 launched into b, then one of a goes. */
    is_str(at_zone(w, 3), "us-west-2b", "AZ before age: the rebalance launch goes to the recovered zone");
    is_str(victim_after(w, 51), "i-web-2",
           "AZ before age (AWS-ASG 1.4 step 0, 11.1): NewestInstance picks the newest of the fullest zone (i-web-2), not the newest overall (i-web-3)");
    at_free(w);
}

static void test_default_order(void)
{
    /* Template first: i-1 (old template) goes although i-2 (new template) is closer to its hour. */
    atest a;
    at_init(&a, 4000, 1, 2, 4);
    one_zone(&a);
    scn_fault *f = at_fault(&a, SCN_OP_INSTANCE_REFRESH, 100);
    f->launch_template = 1;
    f->min_healthy_percentage = 100;
    f->instance_warmup = 5000 * SIM_SEC;  /* the refresh stalls after its first batch */
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 3700)->desired_capacity = 1;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "Default order: world builds"))
        return;
    at_run_to(w, 3700);
    is_str(victim_after(w, 3700), "i-web-1",
           "Default policy (AWS-ASG 1.4 step 2): the instance on the old launch template goes first (i-web-1, phase 100 s) before one closer to its hour on the current template (i-web-2, phase 3594 s)");
    at_free(w);

    /* Same template: closest to the next instance hour. */
    at_init(&a, 4000, 1, 1, 4);
    one_zone(&a);
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 1000)->desired_capacity = 2;
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 3700)->desired_capacity = 1;
    w = at_world(&a, 1);
    if (!ok(w != NULL, "Default order: world builds (2)"))
        return;
    at_run_to(w, 3700);
    is_str(victim_after(w, 3700), "i-web-1",
           "Default policy (AWS-ASG 1.4 step 3): closest to the next billing hour (i-web-1 running 2694 s into its hour) before the older i-web-0 (100 s)");
    at_free(w);
}

static void staggered(atest *a, int policy)
{
    at_init(a, 4000, 1, 1, 4);
    one_zone(a);
    a->g.termination_policies[0] = policy;
    at_fault(a, SCN_OP_SET_DESIRED_CAPACITY, 10)->desired_capacity = 2;
    at_fault(a, SCN_OP_SET_DESIRED_CAPACITY, 20)->desired_capacity = 3;
    at_fault(a, SCN_OP_SET_DESIRED_CAPACITY, 3610)->desired_capacity = 2;
}

static void test_named_policies(void)
{
    static const struct { int policy; const char *want, *what; } cases[] = {
        {SCN_TP_OLDEST_INSTANCE, "i-web-0", "OldestInstance (AWS-ASG 1.4): the instance launched first"},
        {SCN_TP_NEWEST_INSTANCE, "i-web-2", "NewestInstance (AWS-ASG 1.4): the instance launched last"},
        {SCN_TP_CLOSEST_TO_NEXT_INSTANCE_HOUR, "i-web-1",
         "ClosestToNextInstanceHour (AWS-ASG 1.4): i-web-1 (running since 16 s: 3594 s into its hour)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        atest a;
        staggered(&a, cases[k].policy);
        world *w = at_world(&a, 1);
        if (!ok(w != NULL, "named policies: world builds"))
            return;
        at_run_to(w, 3610);
        is_str(victim_after(w, 3610), cases[k].want, "%s", cases[k].what);
        at_free(w);
    }
}

static void test_protected(void)
{
    atest a;
    at_init(&a, 600, 0, 2, 4);
    a.g.protect_from_scale_in = 1;
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 100)->desired_capacity = 1;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "protection: world builds"))
        return;
    asg *g = world_asg(w, 0);
    at_run_to(w, 600);
    is_int(asg_desired(g), 1, "protection (AWS-ASG 1.4): desired still drops when every instance is protected");
    is_int(asg_in_service(g), 2, "protection (AWS-ASG 1.4): protected instances stay");
    ok(at_find(w, "instance", NULL, "Terminating", 0) == NULL, "protection: no instance is terminated");
    is_int(at_count_msg(w, "scaling", "protected from scale-in"), 1, "protection: the shortfall is logged once");
    asg_set_protected(g, 0, false);
    is_str(asg_instance_state(g, 0), "Terminating", "protection: removing protection lets the held scale-in proceed");
    at_free(w);
}

static void test_set_limits(void)
{
    atest a;
    at_init(&a, 600, 1, 2, 4);
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "set_limits: world builds"))
        return;
    asg *g = world_asg(w, 0);
    asg_set_limits(g, 3, -1, -1, "test");
    is_int(asg_desired(g), 3, "UpdateAutoScalingGroup (AWS-ASG 1.1): a new min above desired raises desired");
    asg_set_limits(g, 1, 2, -1, "test");
    is_int(asg_max(g), 2, "UpdateAutoScalingGroup: new max");
    is_int(asg_desired(g), 2, "UpdateAutoScalingGroup (AWS-ASG 1.1): a new max below desired lowers desired");
    asg_set_limits(g, 3, 2, -1, "test");
    is_int(asg_min(g), 1, "UpdateAutoScalingGroup: min > max is rejected");
    asg_set_limits(g, -1, -1, 10, "test");
    is_int(asg_desired(g), 2, "UpdateAutoScalingGroup (AWS-ASG 1.1): desired stays within [min, max]");
    is_int(asg_set_desired(g, 0, "test"), 1, "SetDesiredCapacity (AWS-ASG 1.1): clamped to min");
    at_free(w);
}

static void test_honor_cooldown(void)
{
    atest a;
    at_init(&a, 600, 1, 1, 4);
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 10)->desired_capacity = 2;
    scn_fault *f = at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 100);  /* waits: cooldown 46 + 300 s */
    f->desired_capacity = 3;
    f->honor_cooldown = 1;
    f = at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 120);
    f->desired_capacity = 3;  /* without honor_cooldown: ignores it */
    f = at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 500);
    f->desired_capacity = 4;
    f->honor_cooldown = 1;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "honor_cooldown: world builds"))
        return;
    asg *g = world_asg(w, 0);
    at_run_to(w, 100);
    is_int(asg_desired(g), 2, "honor_cooldown (AWS-ASG 1.1, 1.6): desired stays 2 inside the cooldown (InService at 46 s + 300 s)");
    is_int(at_count_msg(w, "scaling", "waits"), 1, "honor_cooldown: the wait is logged");
    at_run_to(w, 120);
    is_int(asg_desired(g), 3, "manual scaling ignores the cooldown without honor_cooldown (AWS-ASG 1.1)");
    at_run_to(w, 345);
    is_int(asg_desired(g), 3, "honor_cooldown: the waiting change has not been applied yet at 345 s");
    at_run_to(w, 500);
    is_int(asg_desired(g), 4, "honor_cooldown: accepted once the cooldown (156 s + 300 s) is over");
    at_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_az_before_age();
    test_default_order();
    test_named_policies();
    test_protected();
    test_set_limits();
    test_honor_cooldown();
    return tap_done();
}
