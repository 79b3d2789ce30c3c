/*
 * test_health.c - target group health checks, fail-open, 503, probes of an
 * overloaded instance, app-unhealthy 500s, slow start and the ALB's
 * CloudWatch samples, built directly on the model APIs with one kernel
 * (aws-semantics.md 4.2, 4.3, 4.4, 4.5, 11.7).
 */
#include <gsl/gsl_errno.h>
#include <stdlib.h>

#include "../tap.h"
#include "models/elb/alb.h"
#include "models/ec2/instance.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"

#include "tgfix.h"

/* ---------------------------------------------------------------- tests */

static void test_first_check(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 2, 7);
    fx_build(&f);
    ec2_instance *a = f.inst[0], *b = f.inst[1];
    int ib = tg_register(f.g, b);
    is_int(tg_target_state(f.g, b), TG_INITIAL, "4.2: a new target starts initial");
    sim_run_until(f.s, 31 * SIM_SEC);
    sim_time_t tb = fx_when(&f, b, TG_HEALTHY, 0);
    ok(tb >= 0 && tb < 30 * SIM_SEC, "4.2, 11.7: healthy after ONE passing check, at a phase in [0, 30 s) (%.3f s)",
       sim_to_sec(tb));
    is_int(tg_n_healthy(f.g), 1, "4.5: HealthyHostCount 1");

    /* A joins at 40 s while traffic flows every 10 ms. */
    fx_traffic(&f, 31 * SIM_SEC, 10 * SIM_MS, 120 * SIM_SEC);
    sim_run_until(f.s, 40 * SIM_SEC);
    int ia = tg_register(f.g, a);
    sim_run_until(f.s, 130 * SIM_SEC);
    sim_time_t ta = fx_when(&f, a, TG_HEALTHY, 0);
    ok(ta >= 40 * SIM_SEC && ta < 70 * SIM_SEC, "4.2: A's first check in [40 s, 70 s) makes it healthy (%.3f s)",
       sim_to_sec(ta));
    sim_time_t first_a = -1;
    uint64_t before = 0;
    for (size_t k = 0; k < f.n_resp; k++) {
        if (f.r_target[k] != ia)
            continue;
        if (first_a < 0)
            first_a = f.r_at[k];
        if (f.r_at[k] < ta)
            before++;
    }
    is_int(before, 0, "4.2: a target in initial gets no traffic while another is healthy");
    /* Round robin's cursor may give the first request after the check to B: two ticks at most. */
    ok(first_a >= ta && first_a - ta <= 20 * SIM_MS,
       "4.2: A's first request comes at its check time (check %.3f s, first dispatch %.3f s)", sim_to_sec(ta),
       sim_to_sec(first_a));
    (void)ib;

    /* Later checks keep the interval: A app-unhealthy right after a check. */
    ec2_set_app_healthy(a, false);
    sim_time_t t0 = sim_now(f.s);
    /* A's checks are at ta + k * 30 s; the next two after t0 fail -> unhealthy at the second. */
    sim_time_t next = ta;
    while (next <= t0)
        next += 30 * SIM_SEC;
    sim_run_until(f.s, next + 31 * SIM_SEC);
    sim_time_t tu = fx_when(&f, a, TG_UNHEALTHY, t0);
    is_int(tu, next + 30 * SIM_SEC, "4.2: unhealthy after unhealthy_threshold (2) failed checks, at the 2nd check");
    is_int(tg_n_unhealthy(f.g), 1, "4.5: UnHealthyHostCount 1");
    is_int(tg_n_healthy(f.g), 1, "4.5: HealthyHostCount 1");
    ec2_set_app_healthy(a, true);
    sim_run_until(f.s, tu + 5 * 30 * SIM_SEC + SIM_SEC);
    sim_time_t th = fx_when(&f, a, TG_HEALTHY, tu);
    is_int(th, tu + 5 * 30 * SIM_SEC, "4.2: healthy again after healthy_threshold (5) passes, at the 5th");
    fx_free(&f);
}

static void test_initial_fails(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 1, 3);
    fx_build(&f);
    ec2_set_app_healthy(f.inst[0], false);
    tg_register(f.g, f.inst[0]);
    sim_run_until(f.s, 61 * SIM_SEC);
    is_int(tg_target_state(f.g, f.inst[0]), TG_UNHEALTHY,
           "4.2: a new target failing unhealthy_threshold checks goes initial -> unhealthy");
    is_int(f.n_h, 2, "listener: unused->initial, initial->unhealthy");
    ok(f.n_h >= 2 && f.h[0].from == TG_UNUSED && f.h[0].to == TG_INITIAL && f.h[1].from == TG_INITIAL,
       "listener: from/to states in order");
    fx_free(&f);
}

static void test_fail_open_503(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 2, 5);
    fx_build(&f);
    /* No target registered: 503 (4.4, 11.7). */
    fx_send_now(&f);
    is_int(f.got[STATS_503_NO_TARGET], 1, "4.4, 11.7: 503 with no registered targets");
    cw_sample cs;
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, 0, 0, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: a 503 is not in RequestCount (no target chosen): one sample of 0");
    alb_sample(f.lb, SCN_M_ALB_ELB_5XX, 0, 0, &cs);
    ok(cs.count == 1 && cs.sum == 1, "4.5: the 503 is an HTTPCode_ELB_5XX_Count");

    /* Both registered, both initial: nothing healthy, so fail-open to both. */
    tg_register(f.g, f.inst[0]);
    tg_register(f.g, f.inst[1]);
    for (int k = 0; k < 10; k++)
        fx_send_now(&f);
    sim_run_until(f.s, SIM_MS * 100);
    is_int(f.got[STATS_503_NO_TARGET], 1, "4.2: no 503 while targets are registered but none healthy");
    ok(f.by_target[0] == 5 && f.by_target[1] == 5,
       "4.2 fail-open: initial targets share the traffic by the normal algorithm (%llu, %llu)",
       (unsigned long long)f.by_target[0], (unsigned long long)f.by_target[1]);

    /* Both app-unhealthy -> unhealthy; the ALB still routes to both, answers are target 500s. */
    ec2_set_app_healthy(f.inst[0], false);
    ec2_set_app_healthy(f.inst[1], false);
    sim_run_until(f.s, 100 * SIM_SEC);
    is_int(tg_n_unhealthy(f.g), 2, "both targets unhealthy");
    is_int(tg_n_healthy(f.g), 0, "none healthy");
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, 0, 0, &cs);
    alb_sample(f.lb, SCN_M_ALB_TARGET_5XX, 0, 0, &cs);
    alb_sample(f.lb, SCN_M_ALB_ELB_5XX, 0, 0, &cs);
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 0, 0, &cs);
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT_PER_TARGET, 0, 0, &cs);
    uint64_t b0 = f.by_target[0], b1 = f.by_target[1];
    for (int k = 0; k < 10; k++)
        fx_send_now(&f);
    sim_run_until(f.s, 101 * SIM_SEC);
    ok(f.by_target[0] - b0 == 5 && f.by_target[1] - b1 == 5, "4.2 fail-open: all-unhealthy targets share the traffic");
    is_int(f.got[STATS_500_TARGET], 10, "4.5: an app-unhealthy target answers 500 (target 5XX)");
    is_int(alb_count(f.lb, STATS_500_TARGET), 10, "the ALB counts 10 relayed 500s");
    alb_sample(f.lb, SCN_M_ALB_TARGET_5XX, 0, 0, &cs);
    ok(cs.count == 10 && cs.sum == 10 && cs.min == 1 && cs.max == 1,
       "4.5: HTTPCode_Target_5XX_Count Sum 10, Min/Max 1");
    alb_sample(f.lb, SCN_M_ALB_ELB_5XX, 0, 0, &cs);
    is_int(cs.count, 0, "4.5: no ELB 5XX in the period: no data (nonzero-value reporting)");
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 0, 0, &cs);
    /* 5 requests of 1 ms at once on each 1-vCPU target: 1+2+3+4+5 ms each. */
    ok(cs.count == 10 && fabs(cs.sum - 0.030) < 1e-9, "4.5: TargetResponseTime includes the 500s (10, sum %.6f s)",
       cs.sum);
    alb_sample(f.lb, SCN_M_ALB_UNHEALTHY_HOSTS, 0, 0, &cs);
    ok(cs.count == 1 && cs.sum == 2, "4.5: UnHealthyHostCount 2");
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT_PER_TARGET, 0, 0, &cs);
    ok(cs.count == 1 && cs.sum == 10, "4.5: RequestCountPerTarget = RequestCount / max(1, healthy) = 10 (%g)", cs.sum);

    /* Both draining: nothing registered in service -> 503. */
    tg_deregister(f.g, f.inst[0], NULL, NULL);
    tg_deregister(f.g, f.inst[1], NULL, NULL);
    fx_send_now(&f);
    is_int(f.got[STATS_503_NO_TARGET], 2, "4.3: with every target draining, a new request gets 503");
    fx_free(&f);
}

static void test_overload_probe(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 2, 9);
    f.type.vcpus = 2;
    f.type.speed = 2.0;
    ec2_instance *i = ec2_new(f.s, "i-big-0", &f.type, "us-west-2a");
    fx_build(&f);
    tg_register(f.g, i);
    sim_run_until(f.s, 30 * SIM_SEC);
    is_int(tg_target_state(f.g, i), TG_HEALTHY, "idle instance passes its first check");
    /* 2 in service + 8 queued of 1 s demand: queued work 8 / speed 2 = 4 s over 2 vCPUs = 2 s. */
    f.demand = 1.0;
    for (int k = 0; k < 10; k++)
        fx_send_now(&f);
    is_int(ec2_queued_wait(i), 2 * SIM_SEC, "probe wait = queued work / (vcpus x speed) = 2 s");
    ok(ec2_probe(i, 5 * SIM_SEC), "a probe waiting 2 s passes a 5 s timeout");
    for (int k = 0; k < 12; k++)
        fx_send_now(&f);
    is_int(ec2_queued_wait(i), 5 * SIM_SEC, "20 queued: wait 5 s");
    ok(!ec2_probe(i, 5 * SIM_SEC), "4.2: a probe that would wait the whole timeout fails (overload)");
    ok(ec2_probe(i, 6 * SIM_SEC), "... but passes a 6 s timeout");
    /* Keep it overloaded: 10 new 1-s requests every second against a capacity of 4/s. */
    f.demand = 1.0;
    fx_traffic(&f, sim_now(f.s), 100 * SIM_MS, sim_now(f.s) + 120 * SIM_SEC);
    sim_time_t t0 = sim_now(f.s);
    sim_run_until(f.s, t0 + 90 * SIM_SEC);
    ok(fx_when(&f, i, TG_UNHEALTHY, t0) > 0, "4.2: an overloaded instance fails checks and goes unhealthy (%.1f s)",
       sim_to_sec(fx_when(&f, i, TG_UNHEALTHY, t0)));
    ok(ec2_running(i) && ec2_app_healthy(i), "it is still running and app-healthy: only slow");
    ec2_set_app_healthy(i, false);
    ok(!ec2_probe(i, SIM_HOUR), "an app-unhealthy instance fails every probe");
    ec2_set_app_healthy(i, true);
    ec2_crash(i);
    ok(!ec2_probe(i, SIM_HOUR) && !ec2_running(i) && ec2_crashed(i), "a crashed instance fails every probe");
    ec2_free(i);
    fx_free(&f);
}

static void test_alb_sample(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 2, 11);
    fx_build(&f);
    cw_sample cs;
    /* No traffic at all. */
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, 0, SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: RequestCount is always reported: 0 with no requests");
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 0, SIM_MIN, &cs);
    ok(cs.count == 0, "4.5: TargetResponseTime: no data without requests");
    alb_sample(f.lb, SCN_M_ALB_ELB_5XX, 0, SIM_MIN, &cs);
    ok(cs.count == 0, "4.5: HTTPCode_ELB_5XX_Count: no data when 0");
    alb_sample(f.lb, SCN_M_ALB_TARGET_5XX, 0, SIM_MIN, &cs);
    ok(cs.count == 0, "4.5: HTTPCode_Target_5XX_Count: no data when 0");
    alb_sample(f.lb, SCN_M_ALB_HEALTHY_HOSTS, 0, SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: HealthyHostCount 0 with no targets");
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT_PER_TARGET, 0, SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: RequestCountPerTarget 0, reported");
    is_int(alb_sample(f.lb, SCN_M_EC2_CPU, 0, SIM_MIN, &cs), -1, "an EC2 metric is not the ALB's: -1");
    is_int(alb_sample(f.lb, SCN_M_ASG_DESIRED, 0, SIM_MIN, &cs), -1, "an ASG metric is not the ALB's: -1");

    /* Two healthy targets; 40 requests of 0.25 s each, 4 per second: each target gets one every 0.5 s, never queues. */
    tg_register(f.g, f.inst[0]);
    tg_register(f.g, f.inst[1]);
    sim_run_until(f.s, 2 * SIM_MIN);
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, SIM_MIN, 2 * SIM_MIN, &cs);
    f.demand = 0.25;
    fx_traffic(&f, 2 * SIM_MIN, 250 * SIM_MS, 2 * SIM_MIN + 10 * SIM_SEC);
    sim_run_until(f.s, 3 * SIM_MIN);
    /* Sample every metric for [2 min, 3 min): each keeps its own mark. */
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, 2 * SIM_MIN, 3 * SIM_MIN, &cs);
    ok(cs.count == 40 && cs.sum == 40, "4.5: RequestCount Sum 40 (%g)", cs.sum);
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT_PER_TARGET, 2 * SIM_MIN, 3 * SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 20, "4.5: RequestCountPerTarget = 40 / 2 healthy = 20, though RequestCount was sampled first (%g)",
       cs.sum);
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 2 * SIM_MIN, 3 * SIM_MIN, &cs);
    ok(cs.count == 40 && fabs(cs.sum - 10.0) < 1e-6 && fabs(cs.min - 0.25) < 1e-9 && fabs(cs.max - 0.25) < 1e-9,
       "4.5: TargetResponseTime: 40 samples of 0.25 s (sum %.6f, min %.6f, max %.6f)", cs.sum, cs.min, cs.max);
    ok(cs.dist && cs.dist->count == 40 && llabs(hist_quantile(cs.dist, 0.99) - 250 * SIM_MS) <= SIM_MS,
       "4.5: TargetResponseTime distribution for pNN (p99 %.4f s)", cs.dist ? sim_to_sec(hist_quantile(cs.dist, 0.99)) : -1);
    alb_sample(f.lb, SCN_M_ALB_HEALTHY_HOSTS, 2 * SIM_MIN, 3 * SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 2 && cs.min == 2 && cs.max == 2, "4.5: HealthyHostCount 2 at t1");
    alb_sample(f.lb, SCN_M_ALB_UNHEALTHY_HOSTS, 2 * SIM_MIN, 3 * SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: UnHealthyHostCount 0 at t1");

    /* The next period is quiet: counts restart per metric. */
    sim_run_until(f.s, 4 * SIM_MIN);
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT, 3 * SIM_MIN, 4 * SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: next period RequestCount 0 (reset after each sample)");
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 3 * SIM_MIN, 4 * SIM_MIN, &cs);
    ok(cs.count == 0, "4.5: next period TargetResponseTime: no data");
    alb_sample(f.lb, SCN_M_ALB_REQUEST_COUNT_PER_TARGET, 3 * SIM_MIN, 4 * SIM_MIN, &cs);
    ok(cs.count == 1 && cs.sum == 0, "4.5: next period RequestCountPerTarget 0");
    fx_free(&f);
}

/* Share of requests per 10 s bin of the slow-start target a against a full target b. */
static void test_slow_start(scn_lb_algorithm alg, const char *name)
{
    fx f;
    fx_init(&f, alg, 3, 13);
    f.cfg.slow_start = 60 * SIM_SEC;
    fx_build(&f);
    ec2_instance *a = f.inst[0], *b = f.inst[1];
    int ib = tg_register(f.g, b);
    sim_run_until(f.s, 30 * SIM_SEC);
    ok(tg_target_state(f.g, b) == TG_HEALTHY && tg_slow_start_weight(f.g, ib) == 1.0,
       "%s 4.3: the first healthy target does not enter slow start (no other healthy target)", name);
    f.demand = 0.0001;
    fx_traffic(&f, 30 * SIM_SEC, 2 * SIM_MS, 200 * SIM_SEC);
    int ia = tg_register(f.g, a);
    sim_run_until(f.s, 200 * SIM_SEC);
    sim_time_t ta = fx_when(&f, a, TG_HEALTHY, 0);
    ok(ta > 30 * SIM_SEC && ta <= 60 * SIM_SEC, "%s: A healthy at %.3f s", name, sim_to_sec(ta));
    /* Bins of 10 s from ta: the expected ratio A/B is the weight at the bin's middle. */
    int good = 1;
    for (int bin = 0; bin < 8; bin++) {
        sim_time_t lo = ta + bin * 10 * SIM_SEC, hi = lo + 10 * SIM_SEC;
        double na = 0, nb = 0;
        for (size_t k = 0; k < f.n_resp; k++) {
            if (f.r_at[k] < lo || f.r_at[k] >= hi)
                continue;
            na += f.r_target[k] == ia;
            nb += f.r_target[k] == ib;
        }
        double w = bin < 6 ? (bin + 0.5) / 6.0 : 1.0;
        double ratio = nb > 0 ? na / nb : -1;
        tap_diag("%s bin %d: A %.0f B %.0f ratio %.3f expected %.3f", name, bin, na, nb, ratio, w);
        /* 5000 requests a bin. Round robin's refusals are near-deterministic;
         * weighted_random's ratio has a binomial sd <= 0.03 (at w = 1): 4 sd. */
        if (fabs(ratio - w) > (alg == SCN_ALG_ROUND_ROBIN ? 0.05 : 0.12))
            good = 0;
    }
    ok(good, "%s 4.3: the new target's share ramps linearly over slow_start (A/B = weight per 10 s bin)", name);
    is_near(tg_slow_start_weight(f.g, ia), 1.0, 0, "%s: after the duration the weight is 1", name);

    /* A third target joining while A is out of slow start also ramps; two joining together: both ramp, since B is full. */
    fx_free(&f);
}

static void test_slow_start_lor(void)
{
    fx f;
    fx_init(&f, SCN_ALG_LEAST_OUTSTANDING_REQUESTS, 2, 17);
    f.cfg.slow_start = 60 * SIM_SEC;
    fx_build(&f);
    tg_register(f.g, f.inst[1]);
    sim_run_until(f.s, 30 * SIM_SEC);
    int ia = tg_register(f.g, f.inst[0]);
    sim_run_until(f.s, 61 * SIM_SEC);
    ok(tg_target_state(f.g, f.inst[0]) == TG_HEALTHY && tg_slow_start_weight(f.g, ia) == 1.0,
       "4.1, 4.3: no slow start with least_outstanding_requests");
    fx_free(&f);
}

static void test_legacy(void)
{
    /* tg_new: the fixed-fleet group of world.c, healthy at once. */
    sim *s = sim_new(1, 0);
    scn_itype type = {"x.test", 1, 1.0, 0.1, SCN_CREDITS_DEFAULT};
    tg *g = tg_new("legacy", SCN_ALG_ROUND_ROBIN);
    ec2_instance *i = ec2_new(s, "i-x-0", &type, "us-west-2a");
    tg_register(g, i);
    ok(tg_target_state(g, i) == TG_HEALTHY && tg_n_healthy(g) == 1, "legacy group: registered targets are healthy at once");
    is_int(sim_pending(s), 0, "legacy group: no health-check events");
    ec2_free(i);
    tg_free(g);
    sim_free(s);
    is_str(tg_state_name(TG_DRAINING), "draining", "state names are AWS's words");
    is_str(stats_cause_name(STATS_500_TARGET), "500_target_error", "cause name of a target 500");
}

int main(void)
{
    gsl_set_error_handler_off();
    test_first_check();
    test_initial_fails();
    test_fail_open_503();
    test_overload_probe();
    test_alb_sample();
    test_slow_start(SCN_ALG_ROUND_ROBIN, "round_robin");
    test_slow_start(SCN_ALG_WEIGHTED_RANDOM, "weighted_random");
    test_slow_start_lor();
    test_legacy();
    return tap_done();
}
