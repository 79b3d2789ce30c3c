/*
 * test_traffic.c - the Auto Scaling arrival processes: diurnal sinusoid,
 * spike / ramp / diurnal profile (piecewise), MMPP, trace replay.
 *
 * Statistical checks compare counts in time bins with their exact expected
 * values, computed here from closed forms independent of workload.c. A
 * non-homogeneous Poisson process has Poisson(Lambda) counts in any bin, so
 * |N - Lambda| <= Z sqrt(Lambda) with Z = 5 fails with probability 5.7e-7 per
 * check (normal approximation; Lambda >= 1000 in every bin checked). Seeds are
 * fixed, so a pass is reproducible; the bound says the pass is not luck.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "../tap.h"
#include "models/workload/workload.h"
#include "mtest.h"

#define Z 5.0
#define TWO_PI 6.28318530717958647692528676655900577
#define NB_MAX 64

/* Runs cfg's arrival process on a fresh sim (seed, replication 0) until t_end; counts arrivals in nb equal bins. */
static uint64_t gen_bins(const scn_workload *c, uint64_t seed, sim_time_t t_end, size_t nb, uint64_t *bins,
                         int *back)
{
    sim *s = sim_new(seed, 0);
    wl_arrivals a;
    uint64_t n = 0;
    *back = 0;
    for (size_t i = 0; i < nb; i++)
        bins[i] = 0;
    if (!s || wl_arrivals_init(&a, s, c, t_end) != 0) {
        sim_free(s);
        *back = -1;
        return 0;
    }
    sim_time_t w = t_end / (sim_time_t)nb, t = 0;
    for (;;) {
        sim_time_t nx = wl_arrivals_next(&a, t);
        if (nx < t)
            (*back)++;
        t = nx;
        if (t >= t_end)
            break;
        size_t b = (size_t)(t / w);
        bins[b < nb ? b : nb - 1]++;
        n++;
    }
    sim_free(s);
    return n;
}

/* Up to max arrival times of cfg before t_end; returns how many. */
static size_t gen_times(const scn_workload *c, uint64_t seed, sim_time_t t_end, sim_time_t *out, size_t max)
{
    sim *s = sim_new(seed, 0);
    wl_arrivals a;
    size_t n = 0;
    if (!s || wl_arrivals_init(&a, s, c, t_end) != 0) {
        sim_free(s);
        return 0;
    }
    sim_time_t t = 0;
    while (n < max && (t = wl_arrivals_next(&a, t)) < t_end)
        out[n++] = t;
    sim_free(s);
    return n;
}

/* Checks every bin against want[i] +/- Z sqrt(var_per_count * want[i]) (var_per_count = 1 for Poisson counts). */
static void check_bins(const char *what, const uint64_t *bins, const double *want, size_t nb, double var_per_count)
{
    for (size_t i = 0; i < nb; i++) {
        double bound = Z * sqrt(var_per_count * want[i]);
        if (want[i] == 0)
            is_int(bins[i], 0, "%s bin %zu: rate 0, no arrival", what, i);
        else
            ok(fabs((double)bins[i] - want[i]) <= bound, "%s bin %zu: %llu vs exact %.1f (bound %.1f)", what, i,
               (unsigned long long)bins[i], want[i], bound);
    }
}

/* Integral of the piecewise-linear rate through p over [a, b): 1 ms midpoint steps, exact when breakpoints are on whole ms. */
static double pw_integral(const scn_rate_point *p, size_t n, sim_time_t a, sim_time_t b)
{
    double sum = 0;
    for (sim_time_t t = a; t < b; t += SIM_MS) {
        sim_time_t m = t + SIM_MS / 2;
        size_t k = 0;
        while (k + 1 < n && p[k + 1].at <= m)
            k++;
        double r = k + 1 < n ? p[k].rps + (p[k + 1].rps - p[k].rps) * (double)(m - p[k].at) /
                                              (double)(p[k + 1].at - p[k].at)
                             : p[k].rps;
        sum += r * 1e-3;
    }
    return sum;
}

/* ---------------------------------------------------------------- diurnal sinusoid */

static scn_workload sinusoid(double mean, double amp, double period_s, double peak_s)
{
    return (scn_workload){.name = (char *)"day", .kind = SCN_ARR_DIURNAL, .mean_rps = mean, .amplitude = amp,
                          .period = sim_from_sec(period_s), .peak_at = sim_from_sec(peak_s)};
}

/* Lambda(a, b) of the sinusoid, by hand: m (b - a) + m A P / (2 pi) (sin w(b - peak) - sin w(a - peak)). */
static double sin_integral(double m, double amp, double p, double peak, double a, double b)
{
    return m * ((b - a) + amp * p / TWO_PI * (sin(TWO_PI * (b - peak) / p) - sin(TWO_PI * (a - peak) / p)));
}

static void test_diurnal_counts(void)
{
    /* two periods of 600 s in 8 bins: each bin sees a different slope of the curve */
    scn_workload c = sinusoid(100, 0.6, 600, 150);
    uint64_t bins[8];
    double want[8];
    int back;
    uint64_t n = gen_bins(&c, 3, 1200 * SIM_SEC, 8, bins, &back);
    is_int(back, 0, "diurnal: times never go back");
    for (int i = 0; i < 8; i++)
        want[i] = sin_integral(100, 0.6, 600, 150, 150.0 * i, 150.0 * (i + 1));
    check_bins("diurnal", bins, want, 8, 1);
    ok(fabs((double)n - 120000) <= Z * sqrt(120000), "diurnal: %llu over two periods vs mean x duration 120000",
       (unsigned long long)n);

    /* amplitude 1: the rate touches 0 at the trough; thinning must still be exact */
    c = sinusoid(50, 1.0, 400, 0);
    gen_bins(&c, 4, 800 * SIM_SEC, 8, bins, &back);
    for (int i = 0; i < 8; i++)
        want[i] = sin_integral(50, 1.0, 400, 0, 100.0 * i, 100.0 * (i + 1));
    check_bins("diurnal A = 1", bins, want, 8, 1);
}

static void test_diurnal_peak(void)
{
    /* the rate function: maximum mean (1 + A) exactly at peak_at, symmetric around it */
    scn_workload c = sinusoid(200, 0.8, 3600, 2000);
    is_near(wl_rate_at(&c, sim_from_sec(2000)), 360, 1e-9, "rate at peak_at = mean (1 + A)");
    is_near(wl_rate_at(&c, sim_from_sec(2000 + 1800)), 40, 1e-9, "rate half a period later = mean (1 - A)");
    is_near(wl_rate_at(&c, sim_from_sec(2000 + 3600 * 5)), 360, 1e-9, "peak repeats every period");
    is_near(wl_rate_at(&c, sim_from_sec(1990)), wl_rate_at(&c, sim_from_sec(2010)), 1e-9, "symmetric about the peak");
    scn_workload far = sinusoid(200, 0.8, 3600, 3600 * 5 + 1800);
    is_near(wl_rate_at(&far, 1800 * SIM_SEC), 360, 1e-9, "peak_at beyond one period: the peak is at peak_at mod period");
    is_near(wl_rate_at(&far, 0), 40, 1e-9, "peak_at beyond one period: the trough half a period away");
    sim_time_t best = 0;
    for (sim_time_t t = 0; t < 3600 * SIM_SEC; t += SIM_SEC)
        if (wl_rate_at(&c, t) > wl_rate_at(&c, best))
            best = t;
    is_int(best, 2000 * SIM_SEC, "the 1 s grid's maximum of wl_rate_at is peak_at");

    /* the arrivals: the phase of the first Fourier coefficient (circular mean of 2 pi t / P).
     * E[sum cos], E[sum sin] = (m A P / 2) (cos, sin)(2 pi peak / P) per period; by Campbell's
     * theorem each sum's variance is integral rate cos^2 <= Lambda, so the angle's error is at most
     * sqrt(Lambda) / R (R = the expected resultant) per sd. */
    sim *s = sim_new(11, 0);
    wl_arrivals a;
    int rc = wl_arrivals_init(&a, s, &c, 2 * 3600 * SIM_SEC);
    ok(rc == 0, "diurnal: init");
    double sc = 0, ss = 0, n = 0;
    for (sim_time_t t = 0; rc == 0 && (t = wl_arrivals_next(&a, t)) < 2 * 3600 * SIM_SEC; n++) {
        double th = TWO_PI * sim_to_sec(t) / 3600;
        sc += cos(th);
        ss += sin(th);
    }
    sim_free(s);
    double est = fmod(atan2(ss, sc) / TWO_PI * 3600 + 3600, 3600);
    double r = 2 * 200 * 0.8 * 3600 / 2, tol = Z * sqrt(n) / r * 3600 / TWO_PI;
    ok(fabs(est - 2000) <= tol, "diurnal: arrivals peak at %.2f s, peak_at 2000 s (bound %.2f s)", est, tol);
}

/* ---------------------------------------------------------------- piecewise kinds */

static void test_piecewise_kinds(void)
{
    /* spike: base 50, ramp to 500 over 30 s at 100 s, hold 60 s, decay over 60 s (as the loader writes it) */
    scn_rate_point spike[] = {{0, 50}, {100 * SIM_SEC, 50}, {130 * SIM_SEC, 500}, {190 * SIM_SEC, 500},
                              {250 * SIM_SEC, 50}};
    scn_workload c = {.name = (char *)"flash", .kind = SCN_ARR_SPIKE, .points = spike, .n_points = 5};
    uint64_t bins[10];
    double want[10];
    int back;
    gen_bins(&c, 5, 300 * SIM_SEC, 6, bins, &back);
    is_int(back, 0, "spike: times never go back");
    for (int i = 0; i < 6; i++)
        want[i] = pw_integral(spike, 5, i * 50 * SIM_SEC, (i + 1) * 50 * SIM_SEC);
    check_bins("spike", bins, want, 6, 1);
    is_near(wl_rate_at(&c, 160 * SIM_SEC), 500, 1e-9, "spike: rate during the hold");
    is_near(wl_rate_at(&c, 115 * SIM_SEC), 275, 1e-9, "spike: rate half-way up the ramp");

    /* ramp: 20 -> 300 over [60 s, 180 s], then held */
    scn_rate_point ramp[] = {{0, 20}, {60 * SIM_SEC, 20}, {180 * SIM_SEC, 300}};
    c = (scn_workload){.name = (char *)"grow", .kind = SCN_ARR_RAMP, .points = ramp, .n_points = 3};
    gen_bins(&c, 6, 300 * SIM_SEC, 5, bins, &back);
    for (int i = 0; i < 5; i++)
        want[i] = pw_integral(ramp, 3, i * 60 * SIM_SEC, (i + 1) * 60 * SIM_SEC);
    check_bins("ramp", bins, want, 5, 1);

    /* a diurnal 24-point profile the loader turned into points (one "hour" = 10 s here) runs as piecewise */
    scn_rate_point prof[25];
    for (int h = 0; h <= 24; h++)
        prof[h] = (scn_rate_point){h * 10 * SIM_SEC, 100 + 80 * sin(TWO_PI * (h % 24) / 24.0)};
    c = (scn_workload){.name = (char *)"day", .kind = SCN_ARR_DIURNAL, .points = prof, .n_points = 25,
                       .mean_rps = 1e6, .amplitude = 1, .period = SIM_SEC};  /* the sinusoid fields are ignored */
    gen_bins(&c, 7, 240 * SIM_SEC, 8, bins, &back);
    for (int i = 0; i < 8; i++)
        want[i] = pw_integral(prof, 25, i * 30 * SIM_SEC, (i + 1) * 30 * SIM_SEC);
    check_bins("diurnal profile", bins, want, 8, 1);
    is_near(wl_rate_at(&c, 65 * SIM_SEC), 0.5 * (prof[6].rps + prof[7].rps), 1e-9,
            "diurnal profile: wl_rate_at interpolates the points");
}

/* ---------------------------------------------------------------- MMPP */

static scn_workload mmpp(double r0, double r1, double d0_s, double d1_s)
{
    return (scn_workload){.name = (char *)"bursty", .kind = SCN_ARR_MMPP, .mmpp_rps = {r0, r1},
                          .mmpp_dwell = {sim_from_sec(d0_s), sim_from_sec(d1_s)}};
}

/*
 * MMPP counts. pi_i = dwell_i / (dwell_0 + dwell_1), mean rate pi0 r0 + pi1 r1;
 * starting in state 0 adds (r0 - mean) / q (e^{-q a} - e^{-q b}) to bin [a, b),
 * q = 1/dwell_0 + 1/dwell_1. Over a bin of T >> 1/q (thousands of dwell cycles)
 * the count is near normal with variance T (mean + 2 pi0 pi1 (r0 - r1)^2 / q)
 * (Poisson noise plus the integrated rate's variance: the two-state
 * autocovariance pi0 pi1 (r0 - r1)^2 e^{-q s}, integrated over both lags),
 * so Z sd of that is the bound.
 */
static void mmpp_bins(const char *what, double r0, double r1, double d0, double d1, double bin_s, size_t nb,
                      uint64_t seed)
{
    scn_workload c = mmpp(r0, r1, d0, d1);
    uint64_t bins[NB_MAX];
    double want[NB_MAX];
    int back;
    double p0 = d0 / (d0 + d1), p1 = d1 / (d0 + d1), mean = p0 * r0 + p1 * r1, q = 1 / d0 + 1 / d1;
    double vpc = (mean + 2 * p0 * p1 * (r0 - r1) * (r0 - r1) / q) / mean;  /* variance per expected count */
    gen_bins(&c, seed, sim_from_sec(bin_s * (double)nb), nb, bins, &back);
    is_int(back, 0, "%s: times never go back", what);
    for (size_t i = 0; i < nb; i++) {
        double a = bin_s * (double)i, b = a + bin_s;
        want[i] = mean * bin_s + (r0 - mean) / q * (exp(-q * a) - exp(-q * b));
        is_near(wl_expected_arrivals(&c, sim_from_sec(a), sim_from_sec(b)), want[i], 1e-6 * want[i],
                "%s: wl_expected_arrivals bin %zu = the closed form", what, i);
    }
    check_bins(what, bins, want, nb, vpc);
}

static void test_mmpp(void)
{
    /* 5000 dwell cycles (0.25 s each) per 1000 s bin; mean 0.8 x 50 + 0.2 x 400 = 120 rps */
    mmpp_bins("mmpp", 50, 400, 0.2, 0.05, 1000, 4, 21);
    /* a silent state: rate 0 half the time, mean 150 rps */
    mmpp_bins("mmpp with a rate-0 state", 0, 300, 0.5, 0.5, 500, 4, 22);
    /* slow modulation, the transient from state 0 visible in the first bins */
    mmpp_bins("mmpp slow", 10, 200, 2, 1, 300, 6, 23);

    scn_workload c = mmpp(50, 400, 0.2, 0.05);
    is_near(wl_rate_at(&c, 0), 50, 1e-9, "mmpp: expected rate at 0 is state 0's");
    is_near(wl_rate_at(&c, 100 * SIM_SEC), 120, 1e-9, "mmpp: expected rate tends to pi0 r0 + pi1 r1");

    /* burstiness: in 1 s windows the stationary count variance is
     * mean tau + 2 pi0 pi1 (r0 - r1)^2 / q^2 (q tau - 1 + e^{-q tau}) (= 1686.5 here, vs 120 for Poisson).
     * With 4000 windows the sample variance's relative sd is about sqrt(2 / 4000) = 2.2% (more with the
     * counts' excess kurtosis), so +/- 20% is a wide bound that still tells MMPP from Poisson by 14x. */
    uint64_t w[4000];
    int back;
    gen_bins(&c, 24, 4000 * SIM_SEC, 4000, w, &back);
    double sum = 0, sq = 0;
    for (int i = 0; i < 4000; i++)
        sum += (double)w[i];
    double m = sum / 4000;
    for (int i = 0; i < 4000; i++)
        sq += ((double)w[i] - m) * ((double)w[i] - m);
    double var = sq / 3999, q = 25, want = 120 + 2 * 0.8 * 0.2 * 350 * 350 / (q * q) * (q - 1 + exp(-q));
    ok(fabs(var / want - 1) <= 0.2, "mmpp: 1 s count variance %.1f vs exact %.1f (Poisson would be 120)", var, want);
}

/* ---------------------------------------------------------------- trace */

static void test_trace_times(void)
{
    sim_time_t tr[] = {0, SIM_SEC / 2, SIM_SEC / 2, 1200 * SIM_MS, 3 * SIM_SEC};
    scn_workload c = {.name = (char *)"replay", .kind = SCN_ARR_TRACE, .trace_times = tr, .n_trace_times = 5};
    sim_time_t got[64];
    size_t n = gen_times(&c, 1, 10 * SIM_SEC, got, 64);
    int same = n == 5;
    for (size_t i = 0; same && i < 5; i++)
        same = got[i] == tr[i];
    ok(same, "trace: replayed exactly, ties kept (%zu arrivals)", n);
    is_int(gen_times(&c, 1, 3 * SIM_SEC, got, 64), 4, "trace: stops at the run's end (t_end excluded)");

    /* looping: each replay starts where the last one ended (3 s) */
    c.trace_loop = 1;
    n = gen_times(&c, 1, 10 * SIM_SEC, got, 64);
    is_int(n, 18, "trace loop: 3 whole replays and 3 of the 4th before 10 s");
    same = n == 18;
    for (size_t i = 0; same && i < n; i++)
        same = got[i] == tr[i % 5] + (sim_time_t)(i / 5) * 3 * SIM_SEC;
    ok(same, "trace loop: replay k is the trace shifted by k x 3 s");
    is_near(wl_expected_arrivals(&c, 0, 10 * SIM_SEC), 18, 0, "trace loop: wl_expected_arrivals counts the replay");
    is_near(wl_expected_arrivals(&c, 3 * SIM_SEC, 6 * SIM_SEC), 5, 0, "trace loop: [3 s, 6 s) holds one replay");
    is_near(wl_expected_arrivals(&c, SIM_SEC / 2, SIM_SEC / 2 + 1), 2, 0, "trace: a tie counts twice");

    /* ties keep order end to end: the world sees exactly the replayed counts per window */
    mscn m;
    mscn_init(&m, 300, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 2, 2, 1.0, 1);
    sim_time_t big[600];
    for (int i = 0; i < 600; i++)
        big[i] = (sim_time_t)(i / 3) * 500 * SIM_MS;  /* 3 requests every 0.5 s: ties everywhere, last at 99.5 s */
    m.wl = (scn_workload){.name = (char *)"users", .kind = SCN_ARR_TRACE, .trace_times = big, .n_trace_times = 600,
                          .trace_loop = 1, .service_time = mt_const(0.001)};
    m.sc.n_workloads = 1;
    world *w = mt_run(&m, 2);
    ok(w != NULL, "trace world: runs");
    if (w) {
        size_t nw;
        const stats_window *win = world_windows(w, &nw);
        uint64_t total = 0;
        for (size_t i = 0; i < nw; i++)
            total += win[i].arrivals;
        /* replays start at 0, 99.5, 199, 298.5 s: 600 + 600 + 600 + 9 requests before 300 s */
        is_int(total, 1809, "trace world: every replayed request arrives once");
        mt_free(w);
    }
}

static void test_trace_counts(void)
{
    double cnt[] = {1000, 0, 3000, 1500};
    scn_workload c = {.name = (char *)"replay", .kind = SCN_ARR_TRACE, .trace_counts = cnt, .n_trace_counts = 4,
                      .trace_interval = 10 * SIM_SEC};
    uint64_t bins[10];
    double want[10];
    int back;
    uint64_t n = gen_bins(&c, 31, 100 * SIM_SEC, 10, bins, &back);
    is_int(back, 0, "trace counts: times never go back");
    for (int i = 0; i < 10; i++)
        want[i] = i < 4 ? cnt[i] : 0;
    check_bins("trace counts", bins, want, 10, 1);
    (void)n;

    c.trace_loop = 1;
    n = gen_bins(&c, 32, 100 * SIM_SEC, 10, bins, &back);
    for (int i = 0; i < 10; i++)
        want[i] = cnt[i % 4];
    check_bins("trace counts loop", bins, want, 10, 1);
    is_near(wl_expected_arrivals(&c, 0, 100 * SIM_SEC), 2 * 5500 + 1000, 1e-6, "trace counts loop: expected total");
    is_near(wl_rate_at(&c, 45 * SIM_SEC), 100, 1e-9, "trace counts loop: rate in interval 0 of replay 2");

    /* within an interval arrivals are Poisson: uniform positions, so halves split evenly */
    double one[] = {20000};
    c = (scn_workload){.name = (char *)"replay", .kind = SCN_ARR_TRACE, .trace_counts = one, .n_trace_counts = 1,
                       .trace_interval = 60 * SIM_SEC};
    gen_bins(&c, 33, 60 * SIM_SEC, 4, bins, &back);
    for (int i = 0; i < 4; i++)
        want[i] = 5000;
    check_bins("trace counts within one interval", bins, want, 4, 1);
}

/* ---------------------------------------------------------------- cross-cutting */

static void test_rate_integral_consistent(void)
{
    /* wl_expected_arrivals is the integral of wl_rate_at: the 1 ms midpoint rule is exact for the
     * linear and step rates (breakpoints on whole ms) and within 1e-9 relative for the smooth ones */
    scn_rate_point ramp[] = {{0, 20}, {60 * SIM_SEC, 20}, {180 * SIM_SEC, 300}};
    double cnt[] = {100, 0, 300};
    scn_workload k[] = {
        sinusoid(100, 0.6, 600, 150),
        mmpp(50, 400, 2, 5),
        {.name = (char *)"p", .kind = SCN_ARR_POISSON, .rps = 42},
        {.name = (char *)"r", .kind = SCN_ARR_RAMP, .points = ramp, .n_points = 3},
        {.name = (char *)"c", .kind = SCN_ARR_TRACE, .trace_counts = cnt, .n_trace_counts = 3,
         .trace_interval = 7 * SIM_SEC, .trace_loop = 1},
    };
    for (size_t j = 0; j < sizeof k / sizeof k[0]; j++) {
        sim_time_t a = 13 * SIM_SEC, b = 413 * SIM_SEC;
        double s = 0;
        for (sim_time_t t = a; t < b; t += SIM_MS)
            s += wl_rate_at(&k[j], t + SIM_MS / 2) * 1e-3;
        double e = wl_expected_arrivals(&k[j], a, b);
        is_near(e, s, 1e-6 * e, "kind %d: wl_expected_arrivals = integral of wl_rate_at", (int)k[j].kind);
    }
}

static void test_determinism(void)
{
    scn_rate_point ramp[] = {{0, 20}, {60 * SIM_SEC, 300}};
    double cnt[] = {500, 200};
    scn_workload k[] = {
        sinusoid(100, 0.6, 600, 150),
        mmpp(50, 400, 0.2, 0.05),
        {.name = (char *)"r", .kind = SCN_ARR_RAMP, .points = ramp, .n_points = 2},
        {.name = (char *)"c", .kind = SCN_ARR_TRACE, .trace_counts = cnt, .n_trace_counts = 2,
         .trace_interval = 10 * SIM_SEC, .trace_loop = 1},
    };
    static sim_time_t x[20000], y[20000];
    for (size_t j = 0; j < sizeof k / sizeof k[0]; j++) {
        size_t nx = gen_times(&k[j], 77, 100 * SIM_SEC, x, 20000);
        size_t ny = gen_times(&k[j], 77, 100 * SIM_SEC, y, 20000);
        ok(nx > 1000 && nx == ny && memcmp(x, y, nx * sizeof x[0]) == 0, "kind %d: same seed, same %zu arrivals",
           (int)k[j].kind, nx);
        ny = gen_times(&k[j], 78, 100 * SIM_SEC, y, 20000);
        ok(nx != ny || memcmp(x, y, nx * sizeof x[0]) != 0, "kind %d: another seed, other arrivals", (int)k[j].kind);
    }
}

static void test_streams_isolated(void)
{
    /* A Poisson workload's arrivals are the exponential draws of its own stream, whoever else runs. */
    scn_workload p = {.name = (char *)"users", .kind = SCN_ARR_POISSON, .rps = 250};
    scn_workload b = mmpp(50, 400, 0.2, 0.05);
    enum { N = 5000 };
    static sim_time_t alone[N], beside[N];
    sim *s = sim_new(9, 0);
    wl_arrivals a;
    int rc = wl_arrivals_init(&a, s, &p, SIM_TIME_MAX);
    sim_time_t t = 0;
    for (int i = 0; rc == 0 && i < N; i++)
        alone[i] = t = wl_arrivals_next(&a, t);
    sim_free(s);
    /* the same times straight from the stream: the Poisson draws did not change with this work */
    s = sim_new(9, 0);
    gsl_rng *raw = sim_rng(s, "workload.users/arrivals");
    int same = raw != NULL;
    t = 0;
    for (int i = 0; same && i < N; i++) {
        t += sim_from_sec(gsl_ran_exponential(raw, 1.0 / 250));
        same = t == alone[i];
    }
    ok(same, "poisson: the arrivals are the exponential draws of workload.users/arrivals");
    sim_free(s);

    /* beside an MMPP workload created first and drawn in between */
    s = sim_new(9, 0);
    wl_arrivals m, q;
    rc = wl_arrivals_init(&m, s, &b, SIM_TIME_MAX) | wl_arrivals_init(&q, s, &p, SIM_TIME_MAX);
    ok(rc == 0, "mmpp and poisson side by side: init");
    sim_time_t tm = 0, tq = 0;
    for (int i = 0; rc == 0 && i < N; i++) {
        tm = wl_arrivals_next(&m, tm);
        tm = wl_arrivals_next(&m, tm);
        beside[i] = tq = wl_arrivals_next(&q, tq);
    }
    sim_free(s);
    ok(memcmp(alone, beside, sizeof alone) == 0, "adding an MMPP workload leaves the Poisson arrivals unchanged");

    /* and end to end: the MMPP stream set off by itself runs in a world */
    mscn mm;
    mscn_init(&mm, 600, SCN_ALG_ROUND_ROBIN);
    mscn_add(&mm, 4, 2, 1.0, 1);
    mm.wl = mmpp(50, 400, 0.2, 0.05);
    mm.wl.service_time = mt_exp(0.005);
    mm.sc.n_workloads = 1;
    world *w = mt_run(&mm, 5);
    ok(w != NULL, "mmpp world: runs");
    if (w) {
        size_t nw;
        const stats_window *win = world_windows(w, &nw);
        uint64_t total = 0;
        for (size_t i = 0; i < nw; i++)
            total += win[i].arrivals;
        double want = wl_expected_arrivals(&mm.wl, 0, 600 * SIM_SEC);
        double sd = sqrt(600 * (120 + 2 * 0.8 * 0.2 * 350.0 * 350.0 / 25));
        ok(fabs((double)total - want) <= Z * sd, "mmpp world: %llu arrivals vs %.0f (bound %.0f)",
           (unsigned long long)total, want, Z * sd);
        mt_free(w);
    }
}

static void test_bad_configs(void)
{
    sim *s = sim_new(1, 0);
    wl_arrivals a;
    sim_time_t dec[] = {2 * SIM_SEC, SIM_SEC};
    sim_time_t zero[] = {0, 0};
    double cnt[] = {1, 2}, neg[] = {1, -1};
    scn_workload bad[] = {
        {.kind = SCN_ARR_POISSON, .rps = 0},
        {.kind = SCN_ARR_SPIKE},                                                       /* no points */
        {.kind = SCN_ARR_RAMP},
        {.kind = SCN_ARR_DIURNAL, .mean_rps = 10, .amplitude = 1.5, .period = SIM_SEC},
        {.kind = SCN_ARR_DIURNAL, .mean_rps = 10, .amplitude = 0.5, .period = 0},
        {.kind = SCN_ARR_MMPP, .mmpp_rps = {0, 0}, .mmpp_dwell = {SIM_SEC, SIM_SEC}},
        {.kind = SCN_ARR_MMPP, .mmpp_rps = {1, 2}, .mmpp_dwell = {0, SIM_SEC}},
        {.kind = SCN_ARR_TRACE},
        {.kind = SCN_ARR_TRACE, .trace_times = dec, .n_trace_times = 2},
        {.kind = SCN_ARR_TRACE, .trace_times = zero, .n_trace_times = 2, .trace_loop = 1},  /* would never advance */
        {.kind = SCN_ARR_TRACE, .trace_times = dec, .n_trace_times = 1, .trace_counts = cnt, .n_trace_counts = 2,
         .trace_interval = SIM_SEC},
        {.kind = SCN_ARR_TRACE, .trace_counts = cnt, .n_trace_counts = 2},             /* no interval */
        {.kind = SCN_ARR_TRACE, .trace_counts = neg, .n_trace_counts = 2, .trace_interval = SIM_SEC},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        is_int(wl_arrivals_init(&a, s, &bad[i], SIM_TIME_MAX), -1, "bad config %zu (kind %d) refused", i,
               (int)bad[i].kind);
    ok(isnan(wl_rate_at(&bad[5], 0)), "wl_rate_at of a bad config is NAN");
    /* a zero-rate state and zero counts are fine; a trace of all-zero counts ends at once even when looping */
    double zc[] = {0, 0};
    scn_workload z = {.name = (char *)"z", .kind = SCN_ARR_TRACE, .trace_counts = zc, .n_trace_counts = 2,
                      .trace_interval = SIM_SEC, .trace_loop = 1};
    ok(wl_arrivals_init(&a, s, &z, SIM_TIME_MAX) == 0 && wl_arrivals_next(&a, 0) == SIM_TIME_MAX,
       "trace of zero counts, looping: no arrival, no endless loop");
    scn_workload d0 = sinusoid(0, 0.5, 600, 0);
    ok(wl_arrivals_init(&a, s, &d0, SIM_TIME_MAX) == 0 && wl_arrivals_next(&a, 0) == SIM_TIME_MAX,
       "diurnal of mean 0: no arrival");
    sim_free(s);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_diurnal_counts();
    test_diurnal_peak();
    test_piecewise_kinds();
    test_mmpp();
    test_trace_times();
    test_trace_counts();
    test_rate_integral_consistent();
    test_determinism();
    test_streams_isolated();
    test_bad_configs();
    return tap_done();
}
