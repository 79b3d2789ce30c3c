/*
 * test_instance.c - busy accounting (CPU utilisation equals the offered
 * load) and bounded memory (the request pool follows the peak in flight).
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>

#include "../tap.h"
#include "mtest.h"

static void test_cpu_equals_rho(void)
{
    /* 4 x 2 vCPUs, mean service 50 ms: capacity 160 rps; lambda 112 -> rho 0.7. */
    const double rho = 0.7, mean_s = 0.05;
    mscn m;
    mscn_init(&m, 2100, SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    mscn_add(&m, 4, 2, 1.0, 1);
    mscn_poisson(&m, rho * 8 / mean_s, mt_exp(mean_s));
    m.sc.report.window = 100 * SIM_SEC;
    m.sc.report.warmup = 100 * SIM_SEC;
    world *w = mt_run(&m, 21);
    ok(w != NULL, "cpu: the run completes");
    if (!w)
        return;
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    is_int(nw, 21, "cpu: 21 windows of 100 s");
    /* Batch means over the measured windows (1..20): each 100 s window is
     * ~2000 service times long, so the batches are close to independent. */
    double sum = 0, sq = 0;
    int n = 0;
    for (size_t k = 1; k < nw; k++, n++) {
        sum += win[k].cpu_utilisation;
        sq += win[k].cpu_utilisation * win[k].cpu_utilisation;
    }
    double mean = sum / n, sd = sqrt((sq - n * mean * mean) / (n - 1));
    double hw = gsl_cdf_tdist_Pinv(0.9995, n - 1) * sd / sqrt(n);
    tap_diag("cpu: window mean %.5f, sd %.5f, 99.9%% half-width %.5f, rho %.3f", mean, sd, hw, rho);
    ok(fabs(mean - rho) <= hw, "cpu: utilisation %.5f equals rho %.2f within the 99.9%% t-interval (+/- %.5f)", mean,
       rho, hw);
    ok(hw < 0.01, "cpu: and the interval is tight (%.5f)", hw);
    const stats_summary *sm = world_summary(w);
    is_near(sm->cpu_utilisation, mean, 1e-9, "cpu: the summary is the mean of the measured windows (warmup cut)");
    size_t ni;
    const world_instance_info *in = world_instances(w, &ni);
    double busy = 0;
    for (size_t k = 0; k < ni; k++)
        busy += in[k].busy_seconds;
    is_near(busy / (8 * 2100.0), (sum + win[0].cpu_utilisation) / (n + 1), 1e-9,
            "cpu: per-instance busy time adds up to the windows'");
    for (size_t k = 0; k < nw; k++)
        if (win[k].fleet.in_service != 4)
            ok(0, "cpu: window %zu has %d instances in service", k, win[k].fleet.in_service);
    mt_free(w);
}

static size_t pool_after(double duration_s, uint64_t *reqs)
{
    mscn m;
    mscn_init(&m, duration_s, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 1, 2, 1.0, 1);
    mscn_poisson(&m, 1000, mt_exp(0.001)); /* rho 0.5 */
    m.sc.report.window = sim_from_sec(duration_s / 10);
    world *w = mt_run(&m, 4);
    if (!w)
        return 0;
    size_t cap = world_pool_capacity(w);
    *reqs = world_summary(w)->arrivals;
    mt_free(w);
    return cap;
}

static void test_pool_bounded(void)
{
    uint64_t r1 = 0, r2 = 0;
    size_t c1 = pool_after(20, &r1), c2 = pool_after(2000, &r2);
    tap_diag("pool: capacity %zu after %llu requests, %zu after %llu", c1, (unsigned long long)r1, c2,
             (unsigned long long)r2);
    ok(c1 > 0 && c2 > 0, "pool: both runs completed");
    ok(r2 > 1900000, "pool: the long run simulated %llu requests", (unsigned long long)r2);
    /* At rho 0.5 on 2 vCPUs the peak in flight over 2e6 requests is a few
     * dozen; slabs double, so capacity stays within a small multiple of it. */
    ok(c2 <= 256, "pool: capacity %zu stays bounded (<= 256) over 2e6 requests", c2);
    ok(c2 <= 4 * c1, "pool: 100x more requests, capacity %zu vs %zu", c2, c1);
}

/* Every request an instance finishes is accounted once, whatever its width: with a
 * constant 50 ms service the busy time is 50 ms per finished request plus at most
 * one service per vCPU still running at the end. 64 vCPUs is the widest whose
 * completion events carry the slot in the instance address; 96 takes the other path. */
static void test_wide_instances(void)
{
    const int widths[] = {2, 64, 96};
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        int c = widths[k];
        mscn m;
        mscn_init(&m, 60, SCN_ALG_ROUND_ROBIN);
        mscn_add(&m, 1, c, 1.0, 1);
        mscn_poisson(&m, 0.95 * c / 0.05, mt_const(0.05)); /* rho 0.95: the high slots serve too */
        world *w = mt_run(&m, 7);
        ok(w != NULL, "wide %d: the run completes", c);
        if (!w)
            continue;
        size_t ni;
        const world_instance_info *in = world_instances(w, &ni);
        const stats_summary *sm = world_summary(w);
        ok(ni == 1 && in[0].served > 0, "wide %d: one instance served %llu requests", c,
           ni ? (unsigned long long)in[0].served : 0ull);
        if (ni == 1) {
            double lo = (double)in[0].served * 0.05, hi = (double)(in[0].served + (uint64_t)c) * 0.05;
            ok(in[0].busy_seconds >= lo - 1e-6 && in[0].busy_seconds <= hi + 1e-6,
               "wide %d: busy %.3f s within [%.3f, %.3f] (50 ms per finished request)", c, in[0].busy_seconds, lo, hi);
            is_int(sm->completed, in[0].served, "wide %d: every request it finished completed", c);
        }
        is_int(sm->errors[STATS_OK], sm->completed, "wide %d: all of them OK", c);
        mt_free(w);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    test_cpu_equals_rho();
    test_pool_bounded();
    test_wide_instances();
    return tap_done();
}
