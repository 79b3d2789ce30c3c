/*
 * test_sns.c - SNS publishes and prices (aws-semantics 8), and the control
 * plane wired from a scenario onto a scripted group: alarm actions resolved
 * to policies and topics, target tracking alarms, Auto Scaling
 * notifications, CloudWatch and SNS costs (aws-semantics 3.3, 8).
 */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "../tap.h"
#include "fake_asg.h"
#include "models/core/control.h"
#include "models/sns/sns.h"
#include "stats/events.h"

static void test_sns(void)
{
    scn_sns_topic t[2];
    memset(t, 0, sizeof t);
    t[0].name = (char *)"ops";
    t[0].n_email = 2;
    t[0].n_sms = 1;
    t[0].n_http = 1;
    t[0].n_lambda = 1;
    t[0].n_sqs = 1;
    t[1].name = (char *)"quiet";
    events_log *ev = events_new();
    sns *s = sns_new(t, 2, ev, itype_services_for("us-west-2"));
    sns_publish(s, 0, 5 * SIM_SEC, "ALARM: web-cpu-high in us-west-2", "alarm web-cpu-high changed state to ALARM");
    sns_publish(s, 0, 6 * SIM_SEC, "OK: web-cpu-high in us-west-2", "x");
    sns_publish(s, 1, 7 * SIM_SEC, "s", "m");
    sns_publish(s, 9, 7 * SIM_SEC, "s", "out of range");
    sns_counts c = sns_counts_of(s, 0);
    ok(c.publishes == 2 && c.email == 4 && c.sms == 2 && c.http == 2 && c.lambda == 2 && c.sqs == 2,
       "8: publishes and deliveries by protocol");
    is_int(sns_counts_of(s, 1).publishes, 1, "a topic without subscriptions still counts its publish");
    double want = 3 * 0.50 / 1e6 + 4 * 2.00 / 1e5 + 2 * 0.60 / 1e6 + 2 * 0.00645;
    is_near(sns_cost(s), want, 1e-15, "8: $0.50/M publishes, email $2/100k, HTTP $0.60/M, SMS $0.00645, Lambda/SQS free");
    size_t pos = 0;
    const events_entry *e = events_find(ev, &pos, "sns", "ops", NULL);
    ok(e && strcmp(e->message, "ALARM: web-cpu-high in us-west-2: alarm web-cpu-high changed state to ALARM") == 0,
       "8: the publish is an \"sns\" event: %s", e ? e->message : "(none)");
    is_int(events_count(ev), 3, "out-of-range topics are ignored");
    sns_free(s);
    events_free(ev);
}

/* ---------------------------------------------------------------- the control plane on a scripted group */

static double g_cpu = 90;

static int cpu_sample(asg *g, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)t0;
    (void)t1;
    if (id != SCN_M_EC2_CPU)
        return -1;
    out->count = (uint64_t)g->in_service;
    out->sum = g_cpu * g->in_service;
    out->min = out->max = g_cpu;
    return 0;
}

/* The ALB functions control.c references; the scenario has no load balancer. */
int alb_sample(alb *lb, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)lb; (void)id; (void)t0; (void)t1;
    memset(out, 0, sizeof *out);
    return -1;
}
void *alb_tg_view(alb *lb, const char *tg_name)
{
    (void)lb; (void)tg_name;
    return NULL;
}
int alb_sample_view(void *view, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)view;
    return alb_sample(NULL, id, t0, t1, out);
}

static void test_control(void)
{
    scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.name = (char *)"control-test";
    sc.duration = 2 * SIM_HOUR;
    snprintf(sc.region, sizeof sc.region, "us-west-2");
    sc.start_epoch = INT64_C(1767571200);
    sc.cw_publication_delay = 60 * SIM_SEC;
    scn_launch_template lt;
    memset(&lt, 0, sizeof lt);
    lt.name = (char *)"lt";
    lt.detailed_monitoring = 1;
    sc.launch_templates = &lt;
    sc.n_launch_templates = 1;
    asg g;
    fake_asg_init(&g, "web", 1, 10, 2);
    g.sample_fn = cpu_sample;
    g.cfg.launch_template = 0;
    sc.asgs = &g.cfg;
    sc.n_asgs = 1;

    scn_sns_topic topic;
    memset(&topic, 0, sizeof topic);
    topic.name = (char *)"ops";
    topic.n_email = 1;
    sc.sns_topics = &topic;
    sc.n_sns_topics = 1;

    scn_policy pol[2];
    memset(pol, 0, sizeof pol);
    pol[0].name = (char *)"up";
    pol[0].asg = 0;
    pol[0].type = SCN_POL_SIMPLE;
    pol[0].enabled = 1;
    pol[0].adjustment_type = SCN_ADJ_CHANGE_IN_CAPACITY;
    pol[0].scaling_adjustment = 1;
    pol[0].cooldown = 600 * SIM_SEC;
    pol[0].estimated_instance_warmup = -1;
    pol[0].tt_tg = -1;
    pol[1] = pol[0];
    pol[1].name = (char *)"cpu50";
    pol[1].type = SCN_POL_TARGET_TRACKING;
    pol[1].tt_metric = SCN_TT_ASG_CPU;
    pol[1].target_value = 50;
    pol[1].disable_scale_in = 1;
    pol[1].tt_scale_out_periods = 3;
    pol[1].tt_scale_in_periods = 15;
    pol[1].tt_scale_in_ratio = 0.7;
    sc.policies = pol;
    sc.n_policies = 2;

    scn_alarm al;
    memset(&al, 0, sizeof al);
    al.name = (char *)"web-cpu-high";
    al.metric = (scn_metric){SCN_M_EC2_CPU, 0, -1, -1, SCN_STAT_AVERAGE, 0};
    al.period = SIM_MIN;
    al.evaluation_periods = 2;
    al.datapoints_to_alarm = 2;
    al.threshold = 80;
    al.comparison = SCN_CMP_GT;
    al.treat_missing_data = SCN_MISSING_MISSING;
    al.actions_enabled = 1;
    al.alarm_actions[0] = (scn_action){SCN_ACT_POLICY, 0};
    al.alarm_actions[1] = (scn_action){SCN_ACT_SNS, 0};
    al.n_alarm_actions = 2;
    sc.alarms = &al;
    sc.n_alarms = 1;

    int notify_groups[1] = {0};
    scn_asg_notification nt;
    memset(&nt, 0, sizeof nt);
    nt.name = (char *)"web-events";
    nt.asgs = notify_groups;
    nt.n_asgs = 1;
    nt.notifications = SCN_NOTIFY_LAUNCH | SCN_NOTIFY_TERMINATE;
    nt.topic = 0;
    sc.notifications = &nt;
    sc.n_notifications = 1;

    sim *s = sim_new(1, 0);
    events_log *ev = events_new();
    asg *groups[1] = {&g};
    char err[256] = "";
    control *c = control_new(s, &sc, groups, NULL, ev, err, sizeof err);
    ok(c != NULL, "control_new: %s", err);
    if (!c)
        return;
    ok(g.notify_fn != NULL && g.activity_fn != NULL, "the control plane listens to the group (notifications, activities)");
    g.notify_fn(g.notify_ctx, &g, SCN_NOTIFY_LAUNCH, "i-0001");
    is_int(control_sns_published(c, 0), 1, "3 (aws_autoscaling_notification): EC2_INSTANCE_LAUNCH is published");
    size_t pos = 0;
    const events_entry *e = events_find(ev, &pos, "sns", "ops", NULL);
    ok(e && strstr(e->message, "autoscaling:EC2_INSTANCE_LAUNCH i-0001"), "notification message: %s", e ? e->message : "(none)");

    sim_run_until(s, 10 * SIM_MIN);
    pos = 0;
    e = events_find(ev, &pos, "alarm", "web-cpu-high", "ALARM");
    ok(e != NULL, "3.2: the scenario alarm went to ALARM");
    is_int(control_sns_published(c, 0), 2, "3.2: its SNS action published once");
    pos = 0;
    e = events_find(ev, &pos, "sns", "ops", NULL);
    e = events_find(ev, &pos, "sns", "ops", NULL);
    ok(e && strncmp(e->message, "ALARM: web-cpu-high in us-west-2", 32) == 0, "8: alarm publish subject 'ALARM: <name> in <region>': %s",
       e ? e->message : "(none)");
    pos = 0;
    e = events_find(ev, &pos, "alarm", "TargetTracking-web-AlarmHigh-cpu50", "ALARM");
    ok(e != NULL, "2.1: target tracking created TargetTracking-web-AlarmHigh-cpu50 and it alarmed");
    pos = 0;
    ok(events_find(ev, &pos, "alarm", "TargetTracking-web-AlarmLow-cpu50", "OK") != NULL, "2.1: ... and its AlarmLow twin");
    ok(g.desired > 2, "the group scaled out (desired %d)", g.desired);
    ok(strstr(g.last_cause, "alarm ") == g.last_cause, "the cause names the alarm: %s", g.last_cause);

    sim_run_until(s, 2 * SIM_HOUR);
    /* 3 alarms x 2 started hours; 7 detailed metrics x instance-hours */
    double alarms_usd = 3 * 2 / 730.0 * 0.10;
    double cw = control_cost(c, "cloudwatch");
    ok(cw > alarms_usd && cw < alarms_usd + 7 * 10 * 2 / 730.0 * 0.30 + 1e-12,
       "3.3: cloudwatch = 3 alarms x 2 h x $0.10/730 h + detailed monitoring (%.6f)", cw);
    is_near(control_cost(c, "sns"), sns_cost_usd(&(sns_counts){control_sns_published(c, 0), 0, 0, 0, 0, 0}, itype_services_for("us-west-2")) +
            (double)control_sns_published(c, 0) * 2.00 / 1e5, 1e-15, "8: sns cost = publishes + one email delivery each");
    is_near(control_cost(c, "ec2"), 0, 0, "other items are 0");
    control_free(c);
    events_free(ev);
    sim_free(s);

    /* bad references are errors, not crashes */
    al.alarm_actions[0] = (scn_action){SCN_ACT_POLICY, 7};
    s = sim_new(1, 0);
    c = control_new(s, &sc, groups, NULL, NULL, err, sizeof err);
    ok(c == NULL && strstr(err, "alarm web-cpu-high"), "a dangling action is an error: %s", err);
    al.alarm_actions[0] = (scn_action){SCN_ACT_POLICY, 0};
    al.period = 30 * SIM_SEC;
    c = control_new(s, &sc, groups, NULL, NULL, err, sizeof err);
    ok(c == NULL && strstr(err, "high-resolution"), "high-resolution alarms are not supported yet: %s", err);
    sim_free(s);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_sns();
    test_control();
    return tap_done();
}
