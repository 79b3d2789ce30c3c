/*
 * test_drain.c - deregistration (draining, deregistration delay, 502 at
 * expiry, the drained callback) and instance crash / termination (502 for
 * everything held, billing ends), built directly on the model APIs with one
 * kernel (aws-semantics.md 4.3, 4.4, 5.1, 11.11).
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

typedef struct drained {
    int n;
    sim_time_t at;
    ec2_instance *inst;
    sim *s;
} drained;

static void on_drained(void *ctx, tg *g, ec2_instance *i)
{
    (void)g;
    drained *d = ctx;
    d->n++;
    d->at = sim_now(d->s);
    d->inst = i;
}

/* Two targets healthy by 30 s. */
static void two_healthy(fx *f, uint64_t seed)
{
    fx_init(f, SCN_ALG_ROUND_ROBIN, 2, seed);
    fx_build(f);
    tg_register(f->g, f->inst[0]);
    tg_register(f->g, f->inst[1]);
    sim_run_until(f->s, 30 * SIM_SEC);
}

static void test_idle_drain(void)
{
    fx f;
    two_healthy(&f, 21);
    ok(tg_n_healthy(f.g) == 2, "two healthy targets");
    drained d = {.s = f.s};
    sim_time_t t = sim_now(f.s);
    is_int(tg_deregister(f.g, f.inst[0], on_drained, &d), 0, "4.3: deregister");
    is_int(tg_target_state(f.g, f.inst[0]), TG_DRAINING, "4.3: draining at once");
    is_int(d.n, 0, "4.3: drained_fn is not called re-entrantly from tg_deregister");
    is_int(tg_deregister(f.g, f.inst[0], on_drained, &d), -1, "deregistering a draining target fails");
    is_int(tg_n_draining(f.g), 1, "one target draining");
    sim_run_until(f.s, t);
    ok(d.n == 1 && d.at == t && d.inst == f.inst[0], "4.3: an idle target is drained at once (same instant, via an event)");
    is_int(tg_target_state(f.g, f.inst[0]), TG_UNUSED, "4.3: unused once drained");
    sim_run_until(f.s, t + 400 * SIM_SEC);
    is_int(d.n, 1, "4.3: drained_fn called exactly once (the delay expiry does not call it again)");
    /* Listener saw healthy -> draining -> unused. */
    size_t k = 0;
    int seen = 0;
    for (; k < f.n_h; k++)
        if (f.h[k].inst == f.inst[0] && f.h[k].from == TG_HEALTHY && f.h[k].to == TG_DRAINING && k + 1 < f.n_h &&
            f.h[k + 1].from == TG_DRAINING && f.h[k + 1].to == TG_UNUSED && f.h[k + 1].at == t)
            seen = 1;
    ok(seen, "listener: healthy -> draining -> unused");
    /* Registered again: initial, then healthy after one check. */
    tg_register(f.g, f.inst[0]);
    is_int(tg_target_state(f.g, f.inst[0]), TG_INITIAL, "4.2: re-registered target starts initial");
    sim_run_until(f.s, sim_now(f.s) + 30 * SIM_SEC);
    is_int(tg_target_state(f.g, f.inst[0]), TG_HEALTHY, "4.2: ... and is healthy after one check");
    fx_free(&f);
}

static void test_no_new_requests(void)
{
    fx f;
    two_healthy(&f, 23);
    drained d = {.s = f.s};
    f.demand = 5.0;
    fx_send_now(&f);  /* round robin: one to each */
    fx_send_now(&f);
    int ia = 0;
    is_int(tg_outstanding(f.g, ia), 1, "target 0 holds one request");
    sim_time_t t = sim_now(f.s);
    tg_deregister(f.g, f.inst[ia], on_drained, &d);
    f.demand = 0.001;
    uint64_t before = f.by_target[ia];
    for (int k = 0; k < 20; k++)
        fx_send_now(&f);
    sim_run_until(f.s, t + 4 * SIM_SEC);
    is_int(f.by_target[ia] - before, 0, "4.3: a draining target gets no new requests");
    is_int(d.n, 0, "4.3: not drained while its request is in flight");
    sim_run_until(f.s, t + 6 * SIM_SEC);
    ok(d.n == 1 && d.at == t + 5 * SIM_SEC, "4.3: drained when its last request is answered (%.3f s after)",
       sim_to_sec(d.at - t));
    is_int(f.got[STATS_502_RESET], 0, "4.3: no 502 when the requests finish within the delay");
    is_int(f.got[STATS_OK], 22, "every request answered 2xx");
    sim_run_until(f.s, t + 400 * SIM_SEC);
    is_int(d.n, 1, "drained_fn once, though the delay expired later");
    fx_free(&f);
}

static void test_delay_expiry(void)
{
    fx f;
    two_healthy(&f, 25);
    drained d = {.s = f.s};
    f.demand = 1000.0;  /* longer than the 300 s delay; the ALB idle timeout is 4000 s */
    for (int k = 0; k < 6; k++)
        fx_send_now(&f);  /* 3 each: 1 in service + 2 queued */
    sim_time_t t = sim_now(f.s) + 10 * SIM_SEC;
    sim_run_until(f.s, t);
    tg_deregister(f.g, f.inst[0], on_drained, &d);
    sim_run_until(f.s, t + 300 * SIM_SEC - 1);
    ok(d.n == 0 && f.got[STATS_502_RESET] == 0, "4.3: nothing happens before the delay ends");
    sim_run_until(f.s, t + 300 * SIM_SEC);
    is_int(f.got[STATS_502_RESET], 3, "4.3, 11.11: the 3 requests in flight at delay expiry get 502");
    int exact = 1;
    for (size_t k = 0; k < f.n_resp; k++)
        if (f.r_cause[k] == STATS_502_RESET && f.r_target[k] != 0)
            exact = 0;
    ok(exact, "4.3: only the deregistered target's requests get 502");
    ok(d.n == 1 && d.at == t + 300 * SIM_SEC, "4.3: drained at the delay's expiry, once");
    is_int(alb_count(f.lb, STATS_502_RESET), 3, "the ALB counted three 502s");
    cw_sample cs;
    alb_sample(f.lb, SCN_M_ALB_ELB_5XX, 0, 0, &cs);
    ok(cs.count == 3 && cs.sum == 3, "4.5: the 502s are HTTPCode_ELB_5XX_Count (3)");
    alb_sample(f.lb, SCN_M_ALB_TARGET_RESPONSE_TIME, 0, 0, &cs);
    is_int(cs.count, 0, "4.5: ELB 502s are not target response times (no target answered)");
    is_int(tg_outstanding(f.g, 0), 0, "nothing outstanding at the drained target");
    is_int(ec2_in_system(f.inst[0]), 3, "the instance still holds the work (the ASG terminates it next)");
    /* Terminating it now: the requests are already answered, nothing more goes to the clients. */
    ec2_terminate(f.inst[0]);
    is_int(f.got[STATS_502_RESET], 3, "5.1: terminating after the 502s answers nothing twice");
    is_int(ec2_in_system(f.inst[0]), 0, "the terminated instance holds nothing");
    is_int(ec2_terminated(f.inst[0]), t + 300 * SIM_SEC, "5.1: billing ends at termination");
    ok(!ec2_crashed(f.inst[0]) && !ec2_running(f.inst[0]), "a terminated instance is not running and did not crash");
    sim_run_until(f.s, 4000 * SIM_SEC);
    is_int(f.got[STATS_OK], 3, "the other target's 3 requests finish 2xx");
    is_int(sim_pool_in_use(f.pool), 0, "every request went back to the pool");
    fx_free(&f);
}

static void test_zero_delay(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 2, 27);
    f.cfg.deregistration_delay = 0;
    fx_build(&f);
    tg_register(f.g, f.inst[0]);
    sim_run_until(f.s, 30 * SIM_SEC);
    drained d = {.s = f.s};
    f.demand = 10.0;
    fx_send_now(&f);
    sim_time_t t = sim_now(f.s);
    tg_deregister(f.g, f.inst[0], on_drained, &d);
    is_int(f.got[STATS_502_RESET], 0, "delay 0: no 502 inside tg_deregister");
    sim_run_until(f.s, t);
    ok(f.got[STATS_502_RESET] == 1 && d.n == 1 && d.at == t, "4.3: delay 0: 502 and drained at the same instant");
    fx_free(&f);
}

static void test_crash(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 1, 29);
    f.type.vcpus = 2;
    ec2_instance *i = ec2_new(f.s, "i-two-0", &f.type, "us-west-2a");
    fx_build(&f);
    tg_register(f.g, i);
    sim_run_until(f.s, 30 * SIM_SEC);
    f.demand = 2.0;
    for (int k = 0; k < 5; k++)
        fx_send_now(&f);  /* 2 in service, 3 queued */
    is_int(ec2_in_system(i), 5, "5 requests held");
    sim_time_t t = sim_now(f.s) + SIM_SEC;
    sim_run_until(f.s, t);
    int64_t busy = ec2_busy_ns(i, t);
    ec2_crash(i);
    is_int(f.got[STATS_502_RESET], 5, "4.4: crash -> 502 at once for everything held (in service and queued)");
    int at_t = 1;
    for (size_t k = 0; k < f.n_resp; k++)
        at_t &= f.r_cause[k] != STATS_502_RESET || f.r_at[k] <= t;
    ok(at_t, "the 502s are given at the crash instant");
    is_int(ec2_in_system(i), 0, "5.1: a crashed instance holds nothing");
    ok(!ec2_running(i) && ec2_crashed(i), "not running, crashed");
    is_int(ec2_terminated(i), t, "5.1: billing ends at the crash (terminated = now)");
    is_int(tg_outstanding(f.g, 0), 0, "nothing outstanding at the target");
    is_int(ec2_busy_ns(i, t + 100 * SIM_SEC), busy, "no busy time accrues after the crash");
    /* Still registered and healthy until checks fail: new requests get 502 at once. */
    f.demand = 0.001;
    fx_send_now(&f);
    is_int(f.got[STATS_502_RESET], 6, "4.4: a request sent to a dead but still-healthy target: 502 at once");
    sim_run_until(f.s, t + 100 * SIM_SEC);
    is_int(tg_target_state(f.g, i), TG_UNHEALTHY, "4.2: the crashed target fails checks and goes unhealthy");
    is_int(f.got[STATS_OK], 0, "no late 2xx from the cancelled work");
    is_int(ec2_served(i), 0, "the crashed instance served nothing");
    ec2_crash(i);
    ec2_terminate(i);
    is_int(ec2_terminated(i), t, "crash/terminate of a dead instance is a no-op");
    is_int(sim_pool_in_use(f.pool), 0, "every request went back to the pool");
    ec2_free(i);
    fx_free(&f);
}

static void test_crash_while_draining(void)
{
    fx f;
    two_healthy(&f, 31);
    drained d = {.s = f.s};
    f.demand = 100.0;
    fx_send_now(&f);
    fx_send_now(&f);
    sim_time_t t = sim_now(f.s);
    tg_deregister(f.g, f.inst[0], on_drained, &d);
    sim_run_until(f.s, t + 10 * SIM_SEC);
    ec2_crash(f.inst[0]);
    is_int(f.got[STATS_502_RESET], 1, "4.4: crash while draining: its request gets 502");
    is_int(d.n, 0, "drained_fn not called inside the crash");
    sim_run_until(f.s, t + 10 * SIM_SEC);
    ok(d.n == 1 && d.at == t + 10 * SIM_SEC, "4.3: the last answer (the 502) ends draining, at that instant");
    sim_run_until(f.s, t + 400 * SIM_SEC);
    is_int(d.n, 1, "drained once");
    is_int(f.got[STATS_OK], 1, "the other target's request finished 2xx");
    fx_free(&f);
}

static void test_504_then_crash(void)
{
    fx f;
    fx_init(&f, SCN_ALG_ROUND_ROBIN, 1, 33);
    f.g = tg_new_cfg(f.s, &f.cfg);
    f.lb = alb_new(f.s, "front", f.g, 10 * SIM_SEC);
    tg_register(f.g, f.inst[0]);
    sim_run_until(f.s, 30 * SIM_SEC);
    f.demand = 100.0;
    fx_send_now(&f);
    sim_run_until(f.s, 50 * SIM_SEC);
    is_int(f.got[STATS_504_TIMEOUT], 1, "4.4: 504 after the idle timeout");
    ec2_crash(f.inst[0]);
    is_int(f.got[STATS_502_RESET], 0, "a request already answered 504 gets no 502 at the crash");
    is_int(sim_pool_in_use(f.pool), 0, "... and goes back to the pool");
    fx_free(&f);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_idle_drain();
    test_no_new_requests();
    test_delay_expiry();
    test_zero_delay();
    test_crash();
    test_crash_while_draining();
    test_504_then_crash();
    return tap_done();
}
