/*
 * test_lifecycle.c - launch timing and billing, AZ placement, deregistration
 * before termination, as timeline assertions on tiny hand-built groups.
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "atest.h"
#include "models/ec2/instance.h"

typedef struct rec {
    int n;
    sim_time_t at[16];
    sim *s;
} rec;

static void on_activity(void *ctx, asg *g)
{
    (void)g;
    rec *r = ctx;
    if (r->n < 16)
        r->at[r->n] = sim_now(r->s);
    r->n++;
}

static void test_launch_timing(void)
{
    atest a;
    at_init(&a, 600, 1, 1, 4);
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 100)->desired_capacity = 2;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "launch timing: world builds"))
        return;
    asg *g = world_asg(w, 0);
    rec r = {.s = world_sim(w)};
    asg_set_activity_listener(g, on_activity, &r);
    is_int(asg_in_service(g), 1, "launch timing: desired_capacity InService at t = 0 (the stack is deployed)");
    at_run_to(w, 100);
    is_str(asg_instance_state(g, 1), "Pending", "launch timing (AWS-ASG 1.2): a launch starts Pending");
    ok(asg_instance_ec2(g, 1) == NULL, "launch timing (AWS-EC2 5.1): no EC2 instance (no billing) while EC2-pending");
    is_int(asg_capacity(g), 2, "launch timing (AWS-ASG 1.1): Pending counts toward capacity");
    ok(asg_activity_in_progress(g), "launch timing (AWS-ASG 1.6): the launch is an activity in progress");
    at_run_to(w, 106);
    ok(asg_instance_ec2(g, 1) != NULL, "launch timing (AWS-EC2 5.1, 5.4): running after pending_time (6 s)");
    is_int(asg_instance_ec2(g, 1) ? ec2_launched(asg_instance_ec2(g, 1)) : -1, 106 * SIM_SEC,
           "launch timing (AWS-EC2 5.1): billing starts at running (t = 106 s), not at the launch");
    at_run_to(w, 135.999);
    is_str(asg_instance_state(g, 1), "Pending", "launch timing (AWS-EC2 5.4): still Pending during OS boot + app start");
    at_run_to(w, 136);
    is_str(asg_instance_state(g, 1), "InService", "launch timing (AWS-EC2 5.4): InService at 100 + 6 + 20 + 10 s");
    is_near(at_t(at_find(w, "instance", "i-web-1", "InService", 0)), 136, 1e-9,
            "launch timing: the Pending -> InService event is at 136 s");
    is_int(r.n, 1, "launch timing (AWS-ASG 1.6): the activity listener is told once");
    is_int(r.at[0], 136 * SIM_SEC, "launch timing (AWS-ASG 1.6): the cooldown starts when the launch is InService");
    is_near(at_t(at_find(w, "scaling", "web", NULL, 0)), 100, 1e-9, "launch timing: the desired change is logged");
    is_str(at_find(w, "scaling", "web", NULL, 0) ? at_find(w, "scaling", "web", NULL, 0)->to : NULL, "2",
           "launch timing: scaling event to = new desired");
    is_int(world_run(w), 0, "launch timing: runs to the end");
    size_t n = 0;
    const world_instance_info *in = world_instances(w, &n);
    is_int(n, 2, "launch timing: two instance rows");
    if (n == 2) {
        is_near(in[1].running, 106 * SIM_SEC, 0, "launch timing: the row's running time is the entry into running");
        is_near(in[1].launched, 100 * SIM_SEC, 0, "launch timing: the row's launch is the launch request (100 s)");
        is_near(in[1].cost_usd, (600 - 106) * 0.0001, 1e-9, "launch timing (AWS-EC2 5.1): billed from running to the end");
    }
    at_free(w);
}

static void test_az_fewest(void)
{
    atest a;
    at_init(&a, 300, 0, 2, 6);
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 10)->desired_capacity = 5;
    world *w = at_world(&a, 1);
    if (!ok(w != NULL, "AZ placement: world builds"))
        return;
    at_run_to(w, 100);
    const char *want[5] = {"us-west-2a", "us-west-2b", "us-west-2c", "us-west-2a", "us-west-2b"};
    for (size_t k = 0; k < 5; k++)
        is_str(at_zone(w, k), want[k], "AZ placement (AWS-ASG 1.5): instance %zu goes to the zone with the fewest (ties: list order)", k);
    at_free(w);
}

static void test_deregistration(void)
{
    atest a;
    at_init(&a, 200, 1, 2, 4);
    a.tg.deregistration_delay = 20 * SIM_SEC;
    at_workload(&a, 0.5, 1000);  /* work that never finishes within the run: requests stay in flight */
    at_fault(&a, SCN_OP_SET_DESIRED_CAPACITY, 100)->desired_capacity = 1;
    world *w = at_world(&a, 3);
    if (!ok(w != NULL, "deregistration: world builds"))
        return;
    asg *g = world_asg(w, 0);
    rec r = {.s = world_sim(w)};
    asg_set_activity_listener(g, on_activity, &r);
    at_run_to(w, 100);
    const events_entry *t = at_find(w, "instance", NULL, "Terminating", 0);
    ok(t != NULL, "deregistration (AWS-ASG 1.2): the scale-in puts an instance in Terminating at 100 s");
    char victim[64] = "";
    if (t)
        snprintf(victim, sizeof victim, "%s", t->resource);
    size_t vk = strcmp(victim, "i-web-0") == 0 ? 0 : 1;
    ec2_instance *vi = asg_instance_ec2(g, vk);
    at_run_to(w, 119.999);
    ok(vi && ec2_running(vi), "deregistration (AWS-ALB 4.3): still running (billed) while draining");
    is_str(asg_instance_state(g, vk), "Terminating", "deregistration: Terminating during the delay");
    ok(asg_activity_in_progress(g), "deregistration (AWS-ASG 1.6): the termination is in progress while draining");
    is_int(r.n, 0, "deregistration (AWS-ASG 1.6): no cooldown start before draining ends");
    at_run_to(w, 120);
    is_near(at_t(at_find(w, "instance", victim, "Terminated", 0)), 120, 1e-9,
            "deregistration (AWS-ASG 11.11): Terminated when the 20 s delay expires");
    is_int(vi ? ec2_terminated(vi) : -1, 120 * SIM_SEC, "deregistration (AWS-EC2 5.1): billing ends at termination");
    is_int(r.n, 1, "deregistration (AWS-ASG 1.6): the activity completes at drain end");
    is_int(r.at[0], 120 * SIM_SEC, "deregistration (AWS-ASG 1.6, 11.11): cooldown starts when draining ends");
    is_int(world_run(w), 0, "deregistration: runs to the end");
    ok(world_summary(w)->errors[STATS_502_RESET] > 0,
       "deregistration (AWS-ALB 4.3, AWS-ASG 11.11): requests in flight at delay expiry get 502 (%llu)",
       (unsigned long long)world_summary(w)->errors[STATS_502_RESET]);
    at_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_launch_timing();
    test_az_fewest();
    test_deregistration();
    return tap_done();
}
