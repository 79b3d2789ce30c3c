/*
 * test_credits.c - CPU credits of burstable instances (aws-semantics 5.6) as
 * timelines: one instance driven with requests of known work, so every
 * balance, throttle moment and completion is computed by hand from the
 * credit table (t2.micro: 1 vCPU, 10 % baseline, 6 credits/h, 144 max, 30
 * launch credits; t3.micro: 2 vCPUs, 10 %, 12 credits/h, 288 max) and
 * checked exactly; then the loader and an alarm on CPUCreditBalance through
 * a whole scenario.
 *
 * The hand-built types have speed 1.0, so a request's demand in seconds is
 * its full-speed service time.
 */
#include "tly.h"

#include "models/ec2/instance.h"

typedef struct rig {
    req_sink sink;       /* first member: done gets the rig back */
    sim *s;
    sim_pool *pool;
    scn_itype type;
    ec2_instance *i;
    events_log *ev;
    int done;
    sim_time_t last_done;
    double period, demand;   /* periodic load: a request of `demand` s every `period` s */
    sim_time_t load_until;
} rig;

static void rig_done(req_sink *k, req *r)
{
    rig *g = (rig *)k;
    (void)r;
    g->done++;
    g->last_done = sim_now(g->s);
}

static void rig_init(rig *g, const char *type, int vcpus, int mode)
{
    memset(g, 0, sizeof *g);
    g->sink.done = rig_done;
    g->s = sim_new(1, 0);
    g->pool = sim_pool_new(g->s, sizeof(req));
    snprintf(g->type.name, sizeof g->type.name, "%s", type);
    g->type.vcpus = vcpus;
    g->type.speed = 1.0;
    g->type.hourly_usd = 0.01;
    g->type.cpu_credits = mode;
    g->ev = events_new();
    g->i = ec2_new(g->s, "i-t-0", &g->type, "us-east-1a");
    ec2_set_events(g->i, g->ev);
}

static void rig_free(rig *g)
{
    ec2_free(g->i);
    events_free(g->ev);
    sim_free(g->s);
}

/* Submits a request of demand s of work now. */
static void submit(rig *g, double demand)
{
    req *r = sim_pool_get(g->pool);
    memset(r, 0, sizeof *r);
    r->arrival = sim_now(g->s);
    r->demand = demand;
    r->sink = &g->sink;
    r->pool = g->pool;
    r->target = -1;
    r->flags = REQ_CLIENT_DONE;   /* no client: the instance's hand-back frees it */
    ec2_submit(g->i, r);
}

static void on_submit(sim *s, void *obj, uint64_t ms)
{
    (void)s;
    submit(obj, (double)ms / 1000.0);
}

static void at(rig *g, double t_s, double demand_s)
{
    sim_at(g->s, sim_from_sec(t_s), on_submit, g, (uint64_t)(demand_s * 1000.0 + 0.5));
}

static void on_tick(sim *s, void *obj, uint64_t arg)
{
    rig *g = obj;
    (void)arg;
    submit(g, g->demand);
    if (sim_now(s) + sim_from_sec(g->period) < g->load_until)
        sim_after(s, sim_from_sec(g->period), on_tick, g, 0);
}

static void run_to(rig *g, double t_s) { sim_run_until(g->s, sim_from_sec(t_s)); }

/* The time of the first "credits" event to state `to`, or -1. */
static double credit_event(const rig *g, const char *to)
{
    size_t pos = 0;
    const events_entry *e = events_find(g->ev, &pos, "credits", NULL, to);
    return e ? sim_to_sec(e->t) : -1;
}

/* 5.6: balance = launch credits + earned - spent, spent = vCPU-minutes used. Half load on a t2.micro
 * (1 s of work every 2 s) for 1 h: spends 30 credits, earns 6: 30 + 6 - 30 = 6 left; never throttled. */
static void test_balance_formula(void)
{
    rig g;
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_DEFAULT);
    ok(ec2_burstable(g.i) && !ec2_credits_unlimited(g.i), "t2.micro launches in standard mode by default (5.6)");
    is_near(ec2_credit_balance(g.i, 0), 30, 1e-12, "a t2 starts with its 30 launch credits (5.6)");
    g.period = 2, g.demand = 1, g.load_until = sim_from_sec(3600);
    sim_at(g.s, 0, on_tick, &g, 0);
    run_to(&g, 3600);
    is_near(ec2_credit_used(g.i, sim_now(g.s)), 30, 1e-9, "1800 s of one vCPU at 100 %% = 30 credits spent (5.6: 1 credit = 1 vCPU-minute)");
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 6, 1e-9, "balance at 1 h: 30 + 6 earned - 30 spent = 6");
    ok(credit_event(&g, "throttled") < 0, "never throttled");
    is_int(ec2_busy_ns(g.i, sim_now(g.s)), 1800 * SIM_SEC, "CPU time = 1800 s (credits spent)");
    rig_free(&g);
}

/* 5.6: standard mode at 100 % CPU: 30 - (60 - 6) t/h = 0 at t = 2000 s exactly; then each vCPU runs at its
 * 10 % baseline: a 2500 s request has 500 s of work left, done in 5000 s: it ends at 7000 s. */
static void test_throttle_moment(void)
{
    rig g;
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_DEFAULT);
    at(&g, 0, 2500);
    run_to(&g, 1000);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 15, 1e-9, "at 1000 s: 30 - 54 x 1000/3600 = 15");
    sim_run_until(g.s, sim_from_sec(2000) - 1);
    ok(!ec2_credit_throttled(g.i), "not throttled at 2000 s - 1 ns");
    run_to(&g, 2000);
    ok(ec2_credit_throttled(g.i), "throttled at 2000 s: the balance reached 0");
    is_near(credit_event(&g, "throttled"), 2000, 1e-9, "the \"credits\" event says so at 2000 s");
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 0, 1e-12, "balance 0");
    run_to(&g, 4000);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 0, 1e-12, "throttled, the instance spends what it earns: still 0 at 4000 s");
    is_int(ec2_busy_ns(g.i, sim_now(g.s)), 2000 * SIM_SEC + 200 * SIM_SEC, "CPU time: 2000 s at 100 %% + 2000 s at 10 %%");
    sim_run_until(g.s, sim_from_sec(7000) - 1);
    is_int(g.done, 0, "the request is not done at 7000 s - 1 ns");
    run_to(&g, 7000);
    is_int(g.done, 1, "done at 7000 s: 2000 s at full speed + 500 s of work at 10 %% (work conserved)");
    is_near(ec2_credit_throttled_ns(g.i, sim_now(g.s)) / 1e9, 5000, 1e-9, "throttled for 5000 s");
    rig_free(&g);
}

/* 5.6: recovery when the load drops: idle, the throttled instance accrues 6 credits an hour and bursts again. */
static void test_recovery(void)
{
    rig g;
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_DEFAULT);
    at(&g, 0, 2500);
    run_to(&g, 7000);
    ok(!ec2_credit_throttled(g.i), "idle at 7000 s: no longer throttled");
    is_near(credit_event(&g, "bursting"), 7000, 1e-9, "the \"credits\" event back to bursting at 7000 s");
    run_to(&g, 7000 + 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 6, 1e-9, "an hour idle later: 6 credits");
    /* 6 credits of headroom at 54/h net: 400 s of full speed, then throttled again */
    at(&g, 10600, 1000);
    run_to(&g, 11000 - 0.001);
    ok(!ec2_credit_throttled(g.i), "a new request bursts at full speed on the 6 credits");
    run_to(&g, 11000);
    ok(ec2_credit_throttled(g.i), "throttled again at 10600 + 6 / 54 h = 11000 s");
    rig_free(&g);
}

/* 5.6: launch credits are spent first and do not count toward the limit: an idle t2.micro shows 30 + 144 = 174. */
static void test_launch_credits_and_cap(void)
{
    rig g;
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_DEFAULT);
    run_to(&g, 12 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 30 + 72, 1e-9, "12 h idle: 30 launch + 72 earned");
    run_to(&g, 30 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 174, 1e-9, "30 h idle: 30 launch + the 144 limit (24 h of earnings), not 210");
    /* 1 h at 100 %: 54 spent net... from the launch credits first: 30 launch gone, 144 - 24 earned left */
    at(&g, 30 * 3600, 3600);
    run_to(&g, 31 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 174 - 54, 1e-9, "an hour at 100 %%: 174 - 60 + 6 = 120");
    run_to(&g, 33 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 132, 1e-9,
            "2 h idle later: 120 + 12 = 132: the launch credits went first, so the earned ones refill toward 144 only");
    run_to(&g, 40 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 144, 1e-9, "capped at 144: spent launch credits never come back");
    rig_free(&g);

    rig_init(&g, "t2.micro", 1, SCN_CREDITS_UNLIMITED);
    is_near(ec2_credit_balance(g.i, 0), 0, 1e-12, "T2 unlimited gets no launch credits (5.6)");
    rig_free(&g);
    rig_init(&g, "t3.micro", 2, SCN_CREDITS_STANDARD);
    is_near(ec2_credit_balance(g.i, 0), 0, 1e-12, "T3 standard gets no launch credits (5.6)");
    run_to(&g, 30 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 288, 1e-9, "t3.micro idle 30 h: capped at 24 x 12 = 288");
    rig_free(&g);
}

/* 5.6 (fleetsim's fluid limit of "gradually lowered to the baseline", cpu_credits.h): a throttled 2-vCPU
 * t3.micro spends exactly its 12 credits/h: both vCPUs busy run at 10 % each, one alone at 20 %. */
static void test_throttled_two_vcpus(void)
{
    rig g;
    rig_init(&g, "t3.micro", 2, SCN_CREDITS_STANDARD);
    at(&g, 0, 1);
    at(&g, 0, 3);
    run_to(&g, 10 - 0.001);
    is_int(g.done, 0, "no launch credits, balance 0: throttled from the first request");
    run_to(&g, 10);
    is_int(g.done, 1, "1 s of work at 10 %% ends at 10 s");
    run_to(&g, 20 - 0.001);
    is_int(g.done, 1, "the other has 2 s left, alone at 20 %%");
    run_to(&g, 20);
    is_int(g.done, 2, "it ends at 20 s");
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 0, 1e-12, "the balance stayed at 0");
    is_near(ec2_credit_used(g.i, sim_now(g.s)), 12.0 * 20 / 3600, 1e-12, "spent what it earned: 12 credits/h x 20 s");
    rig_free(&g);
}

/* 5.6: unlimited: never throttled; surplus credits accrue at (60 - 6)/h on a t2.micro at 100 %, are billed at
 * termination at $0.05 per vCPU-hour; above the 144 limit the excess is charged at the end of the hour. */
static void test_unlimited(void)
{
    rig g;
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_UNLIMITED);
    at(&g, 0, 2 * 3600);
    run_to(&g, 2 * 3600);
    is_int(g.done, 1, "2 h of work at full speed: done at 2 h, never throttled");
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 108, 1e-9, "surplus after 2 h: 54 x 2 = 108 credits");
    is_near(ec2_credit_charged(g.i, sim_now(g.s)), 108, 1e-9, "as billed if it stopped now: 108");
    ec2_terminate(g.i);
    is_near(ec2_credit_charged(g.i, sim_now(g.s)), 108, 1e-9, "terminated: the 108 are charged");
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 0, 1e-12, "and the surplus balance is gone");
    is_near(ec2_credit_surplus_usd(g.i, sim_now(g.s)), 108.0 / 60 * 0.05, 1e-12, "108 credits = 1.8 vCPU-h x $0.05 = $0.09");
    rig_free(&g);

    rig_init(&g, "t2.micro", 1, SCN_CREDITS_UNLIMITED);
    at(&g, 0, 4 * 3600);
    run_to(&g, 3 * 3600 - 1);
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 162 - 54.0 / 3600, 1e-9, "1 s before 3 h: surplus 162 - 0.015, over the 144 limit");
    is_near(ec2_credit_charged(g.i, sim_now(g.s)) - ec2_credit_surplus(g.i, sim_now(g.s)), 0, 1e-6,
            "nothing charged yet within the hour");
    run_to(&g, 3.5 * 3600);
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 144 + 27, 1e-9, "at 3 h the 18 over the limit were charged: 144 + 27 at 3.5 h");
    is_near(ec2_credit_charged(g.i, sim_now(g.s)), 18 + 171, 1e-9, "charged 18 + outstanding 171");
    rig_free(&g);

    /* later idle time pays the surplus down before new credits accrue */
    rig_init(&g, "t2.micro", 1, SCN_CREDITS_UNLIMITED);
    at(&g, 0, 3600);
    run_to(&g, 2 * 3600);
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 54 - 6, 1e-9, "1 h at 100 %% then 1 h idle: 54 - 6 = 48 surplus");
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 0, 1e-12, "nothing accrues while surplus is owed");
    run_to(&g, 10 * 3600);
    is_near(ec2_credit_surplus(g.i, sim_now(g.s)), 0, 1e-12, "paid down after 8 h of idle");
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 0, 1e-9, "exactly: 48 credits earned in 8 h, nothing left over");
    run_to(&g, 11 * 3600);
    is_near(ec2_credit_balance(g.i, sim_now(g.s)), 6, 1e-9, "then credits accrue again");
    is_near(ec2_credit_charged(g.i, sim_now(g.s)), 0, 1e-12, "nothing to bill: average CPU stayed at the baseline");
    rig_free(&g);
}

/* The loader: credit_specification as Terraform writes it (5.6 Names). */
static void test_loader(void)
{
    char *e = tly_errors("scenario: t\nduration: 1h\nresources:\n"
                         "  lt: {type: aws_launch_template, instance_type: t2.micro, credit_specification: {cpu_credits: burst}}\n");
    ok(e && strstr(e, "<test>:4:") && strstr(e, "cpu_credits"), "cpu_credits not standard|unlimited: an error at file:line:col");
    free(e);
    e = tly_errors("scenario: t\nduration: 1h\nresources:\n"
                   "  lt: {type: aws_launch_template, instance_type: c5.large, credit_specification: {cpu_credits: standard}}\n");
    ok(e && strstr(e, "<test>:4:") && strstr(e, "InstanceCreditSpecification.NotSupported"),
       "a launch template's credit_specification on c5.large: an error (the launches would fail)");
    free(e);
    scenario *sc = NULL;
    scn_diags d = {0};
    const char *y = "scenario: t\nduration: 1h\nresources:\n"
                    "  a: {type: aws_instance, instance_type: c5.large, credit_specification: {cpu_credits: unlimited}}\n"
                    "  b: {type: aws_instance, instance_type: t2.micro}\n"
                    "  c: {type: aws_instance, instance_type: t2.micro, credit_specification: {cpu_credits: unlimited}}\n"
                    "  d: {type: aws_instance, instance_type: t2.micro, credit_specification: {cpu_credits: standard}}\n";
    int rc = scenario_load("<test>", y, strlen(y), NULL, 0, &sc, &d);
    ok(rc == 0, "aws_instance: credit_specification on c5.large loads (the Terraform provider ignores it)");
    if (rc == 0) {
        ok(sc->n_notes >= 1, "... with a note");
        is_int(sc->instances[1].itype, sc->instances[3].itype, "t2.micro standard written out = the default entry");
        ok(sc->instances[2].itype != sc->instances[1].itype &&
           sc->itypes[sc->instances[2].itype].cpu_credits == SCN_CREDITS_UNLIMITED &&
           strcmp(sc->itypes[sc->instances[2].itype].name, "t2.micro") == 0,
           "t2.micro unlimited: an entry of its own, same name");
        scenario_free(sc);
    }
    scn_diags_free(&d);
}

/* 5.6 + 3.1, 3.2: an alarm on the group's CPUCreditBalance (5-minute data) goes to ALARM once a datapoint is
 * below its threshold. One t2.micro kept 100 % busy from t = 0 (11.8 times its capacity): 30 - 54 t/h < 10
 * after 1333 s; the datapoint stamped 1200 s (the balance at its period's end, 1500 s: 7.5 credits) is the
 * first below 10, visible after the 60 s publication delay: ALARM at 1560 s, 440 s before the throttling. */
static void test_alarm(void)
{
    world *w = tly_run("scenario: t\nduration: 1h\nregion: us-east-1\nresources:\n"
                       "  lt: {type: aws_launch_template, instance_type: t2.micro}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 1,"
                       " desired_capacity: 1, availability_zones: [us-east-1a], target_group_arns: [tg]}\n"
                       "  low:\n    type: aws_cloudwatch_metric_alarm\n    namespace: AWS/EC2\n"
                       "    metric_name: CPUCreditBalance\n    dimensions: {AutoScalingGroupName: g}\n"
                       "    statistic: Minimum\n    period: 300\n    evaluation_periods: 1\n    threshold: 10\n"
                       "    comparison_operator: LessThanThreshold\n"
                       "  busy:\n    type: aws_cloudwatch_metric_alarm\n    namespace: AWS/EC2\n"
                       "    metric_name: CPUCreditUsage\n    dimensions: {AutoScalingGroupName: g}\n"
                       "    statistic: Sum\n    period: 300\n    evaluation_periods: 1\n    threshold: 4.99\n"
                       "    comparison_operator: GreaterThanThreshold\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 100}, service_time: 100ms, timeout: 30s}\n",
                       1);
    ok(w != NULL, "alarm: the scenario runs");
    if (!w)
        return;
    double t = tl_first_t(w, 0, "alarm", "low", "ALARM", NULL);
    is_near(t, 1560, 1e-9, "the alarm on CPUCreditBalance fires at 1560 s");
    const events_entry *e = tl_first(w, 0, "alarm", "low", "ALARM", NULL);
    ok(e && strstr(e->message, "[7.5]"), "on the datapoint 7.5 (%s)", e ? e->message : "none");
    /* CPUCreditUsage, summed per 5-minute period: one vCPU at 100 % spends 5 credits (the first period a
       few ms less: the first arrival comes a few ms in); the period [1800, 2100) s holds 200 s at 100 %
       and, throttled from 2000 s, 100 s at 10 %: 3.333 + 0.167 = 3.5 credits, visible at 2160 s. */
    const events_entry *u = tl_first(w, 0, "alarm", "busy", "ALARM", NULL);
    ok(u && u->t == 360 * SIM_SEC && strstr(u->message, "[5.0]"), "CPUCreditUsage Sum > 4.99: ALARM at 360 s on 5.0 credits");
    const events_entry *back = tl_first(w, 0, "alarm", "busy", "OK", NULL);
    ok(back && back->t == 2160 * SIM_SEC && strstr(back->message, "[3.5]"),
       "OK at 2160 s on the period throttling began in: 3.5 credits (%s)", back ? back->message : "none");
    double thr = tl_first_t(w, 0, "credits", NULL, "throttled", NULL);
    ok(thr > 1990 && thr < 2010, "the instance is throttled near 2000 s (%.3f s): 30 credits / 54 an hour, Poisson load", thr);
    ok(t < thr, "the alarm warns before the throttling");
    tly_done(w);
}

int main(void)
{
    test_balance_formula();
    test_throttle_moment();
    test_recovery();
    test_launch_credits_and_cap();
    test_throttled_two_vcpus();
    test_unlimited();
    test_loader();
    test_alarm();
    return tap_done();
}
