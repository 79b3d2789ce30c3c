/*
 * test_workload.c - arrival processes: the exact inversion of a piecewise
 * linear rate (closed-form cases), zero-rate stretches, counts against the
 * integrated rate, and the 2-events-per-request budget.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "../tap.h"
#include "models/workload/workload.h"
#include "mtest.h"

static void test_inversion_exact(void)
{
    /* rate 0 -> 2 over [0, 1 s], then held at 2: Lambda(t) = t^2 on [0, 1]. */
    scn_rate_point ramp[] = {{0, 0}, {SIM_SEC, 2}};
    size_t seg = 0;
    is_int(wl_piecewise_next(ramp, 2, &seg, 0, 0.25), SIM_SEC / 2, "ramp: Lambda(t) = t^2, e = 0.25 -> 0.5 s");
    seg = 0;
    is_int(wl_piecewise_next(ramp, 2, &seg, 0, 1.0), SIM_SEC, "ramp: e = 1 -> 1 s");
    seg = 0;
    is_int(wl_piecewise_next(ramp, 2, &seg, 0, 1.5), SIM_SEC + SIM_SEC / 4, "ramp then held: e = 1.5 -> 1.25 s");
    is_int(seg, 1, "the cursor moved to the held segment");
    /* from 0.5 s: Lambda(t) - 0.25 = e -> t = sqrt(0.25 + e) */
    seg = 0;
    is_int(wl_piecewise_next(ramp, 2, &seg, SIM_SEC / 2, 0.75), SIM_SEC, "ramp from 0.5 s, e = 0.75 -> 1 s");

    /* decreasing: 2 -> 0 over [0, 1 s] then 0: total mass 1 */
    scn_rate_point down[] = {{0, 2}, {SIM_SEC, 0}};
    seg = 0;
    is_int(wl_piecewise_next(down, 2, &seg, 0, 0.75), SIM_SEC / 2, "decreasing: 2t - t^2 = 0.75 -> 0.5 s");
    seg = 0;
    is_int(wl_piecewise_next(down, 2, &seg, 0, 1.5), SIM_TIME_MAX, "decreasing to 0 forever: no more arrivals");

    /* a zero-rate stretch is skipped without losing mass */
    scn_rate_point gap[] = {{0, 1}, {SIM_SEC, 1}, {SIM_SEC + 1, 0}, {10 * SIM_SEC, 0}, {10 * SIM_SEC + 1, 1}};
    seg = 0;
    sim_time_t t = wl_piecewise_next(gap, 5, &seg, 0, 1.5);
    ok(llabs(t - (10 * SIM_SEC + SIM_SEC / 2)) <= 2, "zero stretch skipped: e = 1.5 -> 10.5 s (got %lld ns)",
       (long long)t);
    scn_rate_point zero[] = {{0, 0}};
    seg = 0;
    is_int(wl_piecewise_next(zero, 1, &seg, 0, 0.1), SIM_TIME_MAX, "rate 0 forever: no arrival");
}

static void test_counts(void)
{
    /* A ramp 0 -> 400 rps over 100 s, held 100 s, a zero stretch of 50 s, then 100 rps.
     * Expected count over [0, 300 s): 20000 + 40000 + 0 + 5000 = 65000. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 12345);
    scn_rate_point p[] = {{0, 0}, {100 * SIM_SEC, 400}, {200 * SIM_SEC, 400}, {200 * SIM_SEC + 1, 0},
                          {250 * SIM_SEC, 0}, {250 * SIM_SEC + 1, 100}};
    size_t seg = 0;
    sim_time_t t = 0;
    uint64_t n = 0, n_ramp = 0, in_gap = 0, back = 0;
    for (;;) {
        sim_time_t nx = wl_piecewise_next(p, 6, &seg, t, gsl_ran_exponential(r, 1.0));
        if (nx < t)
            back++;
        t = nx;
        if (t >= 300 * SIM_SEC)
            break;
        n++;
        n_ramp += t < 100 * SIM_SEC;
        in_gap += t > 200 * SIM_SEC && t <= 250 * SIM_SEC;
    }
    is_int(back, 0, "arrival times never go back");
    is_int(in_gap, 0, "no arrival in the zero-rate stretch");
    /* N ~ Poisson(Lambda): |N - Lambda| < 4 sd has probability 1 - 6e-5 */
    ok(fabs((double)n - 65000) < 4 * sqrt(65000), "count %llu vs integrated rate 65000 (4 sd = %.0f)",
       (unsigned long long)n, 4 * sqrt(65000));
    ok(fabs((double)n_ramp - 20000) < 4 * sqrt(20000), "ramp count %llu vs 20000", (unsigned long long)n_ramp);
    gsl_rng_free(r);
}

static void test_world_piecewise(void)
{
    mscn m;
    mscn_init(&m, 300, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 2, 2, 1.0, 1);
    m.wl.kind = SCN_ARR_PIECEWISE;
    m.pts[0] = (scn_rate_point){0, 100};
    m.pts[1] = (scn_rate_point){120 * SIM_SEC, 100};
    m.pts[2] = (scn_rate_point){180 * SIM_SEC, 0};
    m.wl.points = m.pts;
    m.wl.n_points = 3;
    m.wl.service_time = mt_exp(0.005);
    m.sc.n_workloads = 1;
    world *w = mt_run(&m, 8);
    ok(w != NULL, "piecewise world: runs");
    if (!w)
        return;
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    is_int(nw, 5, "five 60 s windows");
    ok(fabs((double)win[0].arrivals - 6000) < 4 * sqrt(6000), "window 0: %llu arrivals, expected 6000",
       (unsigned long long)win[0].arrivals);
    ok(fabs((double)win[2].arrivals - 3000) < 4 * sqrt(3000), "window 2 (ramp down): %llu arrivals, expected 3000",
       (unsigned long long)win[2].arrivals);
    is_int(win[3].arrivals + win[4].arrivals, 0, "rate 0 held after the last point: no arrivals");
    mt_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_inversion_exact();
    test_counts();
    test_world_piecewise();
    return tap_done();
}
