/*
 * test_health.c - health checks and replacement (AWS-ASG 1.3, 11.5, 11.6,
 * 11.8), instance refresh (1.6), az_outage and AZ rebalancing (1.5).
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "atest.h"
#include "models/ec2/instance.h"

static void test_ec2_crash(void)
{
    atest a;
    at_init(&a, 600, 1, 2, 4);
    a.g.health_check_grace_period = 300 * SIM_SEC;
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 1)->desired_capacity = 3;  /* an activity just ended: in cooldown */
    at_fault(&a, SCN_FAULT_INSTANCE_CRASH, 50);
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "EC2 crash: world builds"))
        return;
    at_run_to(w, 50);
    const events_entry *h = at_find(w, "health", NULL, "Unhealthy", 0);
    is_near(at_t(h), 50, 1e-9, "EC2 crash (AWS-ASG 1.3, 11.5): Unhealthy at once, inside the 300 s grace period");
    char id[64] = "";
    if (h)
        snprintf(id, sizeof id, "%s", h->resource);
    is_near(at_t(at_find(w, "instance", id, "Terminating", 0)), 50, 1e-9, "EC2 crash (AWS-ASG 11.8): terminated first");
    is_near(at_t(at_find(w, "instance", "i-web-3", "Pending", 0)), 50, 1e-9,
            "EC2 crash (AWS-ASG 1.3, 1.6): the replacement launches at once, cooldown ignored");
    size_t pos = 0;
    const events_entry *e;
    int order_ok = 0;
    while ((e = events_find(world_events(w), &pos, "instance", NULL, NULL)))
        if (sim_to_sec(e->t) >= 50) {
            order_ok = strcmp(e->resource, id) == 0 && strcmp(e->to, "Terminating") == 0;
            break;
        }
    ok(order_ok, "EC2 crash (AWS-ASG 11.8): terminate, then launch (two activities, in that order)");
    at_run_to(w, 600);
    is_int(asg_in_service(world_asg(w, 0)), 3, "EC2 crash: back at desired");
    at_free(w);
}

static void test_elb_only_with_elb(void)
{
    for (int elb = 0; elb < 2; elb++) {
        atest a;
        at_init(&a, 900, 1, 3, 6);
        a.g.health_check_type = elb ? SCN_HC_ELB : SCN_HC_EC2;
        a.g.health_check_grace_period = 200 * SIM_SEC;
        at_fault(&a, SCN_FAULT_APP_UNHEALTHY, 10);
        world *w = at_world(&a, 1);
        if (!ok(w != NULL, "ELB check: world builds"))
            return;
        at_run_to(w, 900);
        const events_entry *h = at_find(w, "health", NULL, "Unhealthy", 0);
        if (!elb) {
            ok(h == NULL, "ELB check (AWS-ASG 1.3, 11.6): ignored with health_check_type EC2");
        } else {
            ok(h != NULL, "ELB check (AWS-ASG 1.3): an ELB-unhealthy instance is marked with health_check_type ELB");
            ok(at_t(h) >= 200, "ELB check (AWS-ASG 1.3): not before the grace period ends (%.0f s)", at_t(h));
            is_near(fmod(at_t(h), 60), 0, 1e-9, "ELB check (AWS-ASG 1.3): on the group's periodic sweep (every 60 s)");
            ok(h && at_find(w, "instance", h->resource, "Terminating", 0) != NULL, "ELB check: the instance is replaced");
        }
        at_free(w);
    }
}

static void test_throttle(void)
{
    atest a;
    at_init(&a, 1200, 1, 20, 20);
    a.g.health_check_type = SCN_HC_ELB;
    a.g.default_instance_warmup = 60 * SIM_SEC;
    at_fault(&a, SCN_FAULT_APP_UNHEALTHY, 10)->count = 5;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "throttle: world builds"))
        return;
    at_run_to(w, 1200);
    const events_entry *h0 = at_find(w, "health", NULL, "Unhealthy", 0);
    const events_entry *h2 = at_find(w, "health", NULL, "Unhealthy", 2);
    int first_batch = 0;
    for (int k = 0; k < 20; k++) {
        const events_entry *e = at_find(w, "health", NULL, "Unhealthy", k);
        first_batch += e && h0 && e->t == h0->t;
    }
    is_int(first_batch, 2, "throttle (AWS-ASG 1.3, 11.6): at most 10%% of desired (2 of 20) replaced at a time");
    ok(h0 && h2 && at_t(h2) >= at_t(h0) + 36 + 60,
       "throttle (AWS-ASG 1.3): the next ones wait for the new instances' first health check and warmup (%.0f -> %.0f s)",
       at_t(h0), at_t(h2));
    is_int(at_count_msg(w, "health", "ELB health check"), 5, "throttle: all five are replaced in the end");
    at_free(w);
}

static void test_all_unhealthy(void)
{
    atest a;
    at_init(&a, 900, 1, 3, 6);
    a.g.health_check_type = SCN_HC_ELB;
    a.g.health_check_sweep = 120 * SIM_SEC;  /* first sweep after all three have failed two checks */
    at_fault(&a, SCN_FAULT_APP_UNHEALTHY, 10)->count = 3;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "all unhealthy: world builds"))
        return;
    at_run_to(w, 900);
    ok(at_find(w, "health", NULL, "Unhealthy", 0) == NULL, "all unhealthy (AWS-ASG 1.3, 11.6): no instance is marked");
    is_int(at_count_msg(w, "health", "replacement held: all instances unhealthy"), 1,
           "all unhealthy: \"replacement held\" logged once");
    is_int(asg_in_service(world_asg(w, 0)), 3, "all unhealthy: the group is not wiped");
    at_free(w);
}

static void test_refresh(void)
{
    atest a;
    at_init(&a, 1200, 1, 4, 6);
    scn_fault *f = at_fault(&a, SCN_OP_INSTANCE_REFRESH, 10);
    f->launch_template = 1;
    f->min_healthy_percentage = 50;
    f->instance_warmup = 60 * SIM_SEC;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "refresh: world builds"))
        return;
    asg *g = world_asg(w, 0);
    int min_is = 99;
    for (int t = 10; t <= 1200; t++) {
        at_run_to(w, t);
        int n = asg_in_service(g);
        if (n < min_is)
            min_is = n;
    }
    ok(min_is >= 2, "refresh (AWS-ASG 1.6): InService never below ceil(50%% x 4) = 2 (min %d)", min_is);
    ok(at_count_msg(w, "scaling", "instance refresh 50% complete") == 1, "refresh: \"instance refresh 50%% complete\"");
    ok(at_count_msg(w, "scaling", "instance refresh 100% complete") == 1, "refresh: \"instance refresh 100%% complete\"");
    int old_live = 0;
    for (size_t k = 0; k < 4; k++)
        old_live += strcmp(asg_instance_state(g, k), "Terminated") != 0;
    is_int(old_live, 0, "refresh: every instance launched before the refresh is replaced");
    is_int(asg_in_service(g), 4, "refresh: back at desired");
    const events_entry *b2 = at_find(w, "instance", "i-web-6", "Pending", 0);
    if (!ok(b2 && at_t(b2) >= 10 + 36 + 60, "refresh (AWS-ASG 1.6): the second batch waits for InService + instance_warmup"))
        at_dump(w);
    at_free(w);
}

static void test_az_outage(void)
{
    atest a;
    at_init(&a, 900, 1, 3, 3);
    scn_fault *f = at_fault(&a, SCN_FAULT_AZ_OUTAGE, 100);
    snprintf(f->zone, sizeof f->zone, "us-west-2a");
    f->duration = 200 * SIM_SEC;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "az_outage: world builds"))
        return;
    asg *g = world_asg(w, 0);
    at_run_to(w, 100);
    is_str(asg_instance_state(g, 0), "Terminated", "az_outage (AWS-ASG 1.3): the zone's instance crashed and is replaced");
    ok(at_count_msg(w, "scaling", "into us-west-2a failed") >= 1, "az_outage (AWS-ASG 1.5): the launch into the dead zone fails (logged)");
    is_str(at_zone(w, 3), "us-west-2b", "az_outage (AWS-ASG 1.5): the replacement goes to another zone");
    at_run_to(w, 299);
    is_int(asg_in_service(g), 3, "az_outage: back at desired during the outage");
    at_run_to(w, 300);
    const events_entry *l = at_find(w, "instance", "i-web-4", "Pending", 0);
    is_near(at_t(l), 300, 1e-9, "rebalance (AWS-ASG 1.5): launch into the recovered zone when it recovers");
    is_str(at_zone(w, 4), "us-west-2a", "rebalance: into the recovered zone");
    ok(asg_capacity(g) == 4, "rebalance (AWS-ASG 1.1, 1.5): capacity exceeds max (3) by 1 while rebalancing");
    at_run_to(w, 900);
    is_str(at_zone(w, 4), "us-west-2a", "rebalance: the new instance is in the recovered zone");
    size_t pos = 0;
    const events_entry *t = NULL, *e;
    while ((e = events_find(world_events(w), &pos, "instance", NULL, "Terminating")))
        if (sim_to_sec(e->t) > 300) {
            t = e;
            break;
        }
    ok(t && at_t(t) >= at_t(at_find(w, "instance", "i-web-4", "InService", 0)),
       "rebalance (AWS-ASG 1.5, 11.8): launch first, then terminate (%.0f s)", at_t(t));
    ok(t && strstr(t->message, "AZRebalance: i-web-4 is InService") && !strstr(t->message, "scale-in"),
       "rebalance: the termination says AZRebalance, not scale-in: %s", t ? t->message : "");
    is_int(asg_in_service(g), 3, "rebalance: back at desired, one per zone");
    int per[3] = {0, 0, 0};
    for (size_t k = 0; k < asg_n_instances(g); k++)
        if (strcmp(asg_instance_state(g, k), "InService") == 0)
            per[at_zone(w, k)[9] - 'a']++;
    ok(per[0] == 1 && per[1] == 1 && per[2] == 1, "rebalance: balanced (%d/%d/%d)", per[0], per[1], per[2]);
    at_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_ec2_crash();
    test_elb_only_with_elb();
    test_throttle();
    test_all_unhealthy();
    test_refresh();
    test_az_outage();
    return tap_done();
}
