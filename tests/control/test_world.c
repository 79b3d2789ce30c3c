/*
 * test_world.c - a smoke run of the control plane inside a real world (real
 * group, ALB, instances): target tracking on CPU scales a loaded group out
 * through its own alarms (aws-semantics 2.1), a scheduled action runs
 * (2.4), an alarm's SNS action publishes once (3.2, 8). The detailed timeline
 * tests live in tests/timeline; this only checks the wiring end to end.
 */
#include <gsl/gsl_errno.h>
#include <stdlib.h>

#include "../tap.h"
#include "../asg/atest.h"
#include "models/core/control.h"

int main(void)
{
    gsl_set_error_handler_off();
    atest a;
    at_init(&a, 3600, 1, 1, 6);
    a.lt[0].detailed_monitoring = 1;
    at_workload(&a, 0.8, 1.0); /* 80 % of one vCPU */

    scn_policy p;
    memset(&p, 0, sizeof p);
    p.name = (char *)"cpu50";
    p.asg = 0;
    p.type = SCN_POL_TARGET_TRACKING;
    p.enabled = 1;
    p.cooldown = -1;
    p.estimated_instance_warmup = -1;
    p.tt_metric = SCN_TT_ASG_CPU;
    p.tt_tg = -1;
    p.target_value = 50;
    p.tt_scale_out_periods = 3;
    p.tt_scale_in_periods = 15;
    p.tt_scale_in_ratio = 0.7;
    a.sc.policies = &p;
    a.sc.n_policies = 1;

    scn_sns_topic t;
    memset(&t, 0, sizeof t);
    t.name = (char *)"ops";
    t.n_email = 1;
    a.sc.sns_topics = &t;
    a.sc.n_sns_topics = 1;

    scn_alarm al;
    memset(&al, 0, sizeof al);
    al.name = (char *)"web-cpu-high";
    al.metric = (scn_metric){SCN_M_EC2_CPU, 0, -1, -1, SCN_STAT_AVERAGE, 0};
    al.period = SIM_MIN;
    al.evaluation_periods = 3;
    al.datapoints_to_alarm = 3;
    al.threshold = 70;
    al.comparison = SCN_CMP_GT;
    al.treat_missing_data = SCN_MISSING_MISSING;
    al.actions_enabled = 1;
    al.alarm_actions[0] = (scn_action){SCN_ACT_SNS, 0};
    al.n_alarm_actions = 1;
    a.sc.alarms = &al;
    a.sc.n_alarms = 1;

    scn_schedule sd;
    memset(&sd, 0, sizeof sd);
    sd.name = (char *)"raise-max";
    sd.asg = 0;
    sd.min_size = -1;
    sd.max_size = 8;
    sd.desired_capacity = -1;
    sd.start_time = 30 * SIM_MIN;
    sd.end_time = -1;
    a.sc.schedules = &sd;
    a.sc.n_schedules = 1;

    world *w = at_world(&a, 1);
    ok(w != NULL, "world with a control plane");
    if (!w)
        return tap_done();
    world_run(w);
    const events_entry *hi = at_find(w, "alarm", "TargetTracking-web-AlarmHigh-cpu50", "ALARM", 0);
    ok(hi != NULL, "2.1: TargetTracking-web-AlarmHigh-cpu50 went to ALARM (t = %.0f s)", at_t(hi));
    ok(at_count_msg(w, NULL, "in ALARM: target tracking cpu50 (metric ") >= 1 &&
           at_count_msg(w, NULL, "target 50.00): desired 1 -> 2") >= 1,
       "2.1: ceil(1 x 80 / 50) = 2 with a console-like cause");
    asg *g = world_asg(w, 0);
    ok(asg_desired(g) >= 2, "the group scaled out (desired %d)", asg_desired(g));
    is_int(asg_max(g), 8, "2.4: the scheduled action raised max to 8");
    ok(at_find(w, "schedule", "raise-max", NULL, 0) != NULL, "2.4: the schedule event");
    ok(at_find(w, "alarm", "web-cpu-high", "ALARM", 0) != NULL, "3.2: the scenario alarm went to ALARM");
    ok(at_count_msg(w, "sns", "ALARM: web-cpu-high in us-west-2") >= 1, "3.2/8: its SNS action published");
    ok(world_cost(w, "cloudwatch") > 0, "3.3: CloudWatch cost (3 alarms, detailed monitoring): %.6f", world_cost(w, "cloudwatch"));
    if (tap_failed || getenv("CONTROL_DUMP"))
        at_dump(w);
    at_free(w);
    return tap_done();
}
