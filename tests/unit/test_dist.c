/*
 * test_dist.c - distributions: sampling agrees with the exact moments, and
 * the lognormal constructors hit their targets.
 *
 * Bounds are statistical, at the 99.9% level (z = 3.29): the sample mean of
 * n draws is within z * sqrt(var / n) of the mean, and the sample variance is
 * within z * sqrt((mu4 - var^2) / n) of the variance, where mu4 is the fourth
 * central moment. The raw moments used for mu4 are computed here
 * independently of dist.c (the truncated normal by the standard recursion, not
 * dist.c's closed form), and the first two are also checked against
 * sim_dist_mean/sim_dist_variance, so an error in either shows up.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "sim/sim.h"
#include "tests/tap.h"

enum { N = 1000000 };

/* E[X^j], j = 0..4 */
static void raw_moments(const sim_dist *d, double m[5])
{
    double a = d->a, b = d->b;
    m[0] = 1;
    for (int j = 1; j <= 4; j++) {
        switch (d->kind) {
        case SIM_DIST_CONSTANT:
            m[j] = pow(a, j);
            break;
        case SIM_DIST_EXPONENTIAL:
            m[j] = gsl_sf_fact((unsigned)j) * pow(a, j);
            break;
        case SIM_DIST_UNIFORM:
            m[j] = (pow(b, j + 1) - pow(a, j + 1)) / ((j + 1) * (b - a));
            break;
        case SIM_DIST_NORMAL: {
            /* Y = (X - mu) / sigma is a standard normal truncated to [alpha, inf):
             * M_k = (k - 1) M_{k-2} + alpha^(k-1) phi(alpha) / Q(alpha) */
            double alpha = -a / b, r = gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
            double M[5] = {1, r, 0, 0, 0};
            for (int k = 2; k <= 4; k++)
                M[k] = (k - 1) * M[k - 2] + pow(alpha, k - 1) * r;
            double s = 0;
            for (int i = 0; i <= j; i++)
                s += gsl_sf_choose((unsigned)j, (unsigned)i) * pow(a, j - i) * pow(b, i) * M[i];
            m[j] = s;
            break;
        }
        case SIM_DIST_LOGNORMAL:
            m[j] = exp(j * a + 0.5 * j * j * b * b);
            break;
        case SIM_DIST_GAMMA:
            m[j] = pow(b, j) * gsl_sf_poch(a, j);
            break;
        case SIM_DIST_WEIBULL:
            m[j] = pow(a, j) * gsl_sf_gamma(1 + j / b);
            break;
        case SIM_DIST_PARETO:
            m[j] = a > j ? a * pow(b, j) / (a - j) : INFINITY;
            break;
        case SIM_DIST_EMPIRICAL: {
            double s = 0;
            for (size_t i = 0; i < d->n_values; i++)
                s += pow(d->values[i], j);
            m[j] = s / (double)d->n_values;
            break;
        }
        }
    }
}

static const double Z999 = 3.2905267314919255; /* two-sided 99.9% */

static double *sample(const sim_dist *d, gsl_rng *r, double *min)
{
    double *x = malloc(N * sizeof *x);
    *min = INFINITY;
    for (int i = 0; i < N; i++) {
        x[i] = sim_dist_sample(d, r);
        if (x[i] < *min)
            *min = x[i];
    }
    return x;
}

static void check_moments(const char *what, const sim_dist *d, gsl_rng *r)
{
    double m[5];
    raw_moments(d, m);
    double mean = m[1], var = m[2] - m[1] * m[1];
    double mu4 = m[4] - 4 * m[1] * m[3] + 6 * m[1] * m[1] * m[2] - 3 * pow(m[1], 4);
    is_near(sim_dist_mean(d), mean, 1e-9 * fabs(mean) + 1e-12, "%s: sim_dist_mean is exact", what);
    is_near(sim_dist_variance(d), var, 1e-8 * var + 1e-12, "%s: sim_dist_variance is exact", what);

    double lo;
    double *x = sample(d, r, &lo);
    double s = 0, ss = 0;
    for (int i = 0; i < N; i++)
        s += x[i];
    double xbar = s / N;
    for (int i = 0; i < N; i++)
        ss += (x[i] - xbar) * (x[i] - xbar);
    double s2 = ss / (N - 1);
    free(x);
    is_near(xbar, mean, Z999 * sqrt(var / N), "%s: sample mean of 1e6 within the 99.9%% bound", what);
    is_near(s2, var, Z999 * sqrt((mu4 - var * var) / N), "%s: sample variance within the 99.9%% bound", what);
    ok(lo >= 0, "%s: no negative draw (min %g)", what, lo);
}

/* fraction of draws <= q is within the 99.9% binomial bound of p */
static void check_quantile(const char *what, const sim_dist *d, gsl_rng *r, double p, double q)
{
    long below = 0;
    for (int i = 0; i < N; i++)
        below += sim_dist_sample(d, r) <= q;
    is_near((double)below / N, p, Z999 * sqrt(p * (1 - p) / N), "%s: P(X <= %g) = %g empirically", what, q, p);
}

int main(void)
{
    gsl_set_error_handler_off();
    sim *s = sim_new(2026, 0);
    gsl_rng *r = sim_rng(s, "dist-test");

    static const double table[] = {0.5, 1, 1, 4, 7.5};
    struct {
        const char *what;
        sim_dist d;
    } cases[] = {
        {"exponential(2)", {SIM_DIST_EXPONENTIAL, 2, 0, NULL, 0}},
        {"uniform(1,3)", {SIM_DIST_UNIFORM, 1, 3, NULL, 0}},
        {"normal(1,1) truncated", {SIM_DIST_NORMAL, 1, 1, NULL, 0}},
        {"normal(-1,1) truncated (tail method)", {SIM_DIST_NORMAL, -1, 1, NULL, 0}},
        {"normal(10,1) (barely truncated)", {SIM_DIST_NORMAL, 10, 1, NULL, 0}},
        {"lognormal(0,0.5)", {SIM_DIST_LOGNORMAL, 0, 0.5, NULL, 0}},
        {"gamma(2.5,0.8)", {SIM_DIST_GAMMA, 2.5, 0.8, NULL, 0}},
        {"gamma(0.5,2)", {SIM_DIST_GAMMA, 0.5, 2, NULL, 0}},
        {"weibull(2,1.5)", {SIM_DIST_WEIBULL, 2, 1.5, NULL, 0}},
        {"pareto(10,1)", {SIM_DIST_PARETO, 10, 1, NULL, 0}},
        {"empirical", {SIM_DIST_EMPIRICAL, 0, 0, table, 5}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_moments(cases[i].what, &cases[i].d, r);

    sim_dist c = {SIM_DIST_CONSTANT, 2.5, 0, NULL, 0};
    int all = 1;
    for (int i = 0; i < 1000; i++)
        all &= sim_dist_sample(&c, r) == 2.5;
    ok(all, "constant: every draw is the value");
    ok(sim_dist_mean(&c) == 2.5 && sim_dist_variance(&c) == 0, "constant: mean and variance");

    sim_dist p = {SIM_DIST_PARETO, 1.5, 1, NULL, 0};
    ok(isinf(sim_dist_variance(&p)) && isfinite(sim_dist_mean(&p)), "pareto(1.5): finite mean, infinite variance");
    p.a = 1;
    ok(isinf(sim_dist_mean(&p)), "pareto(1): infinite mean");

    sim_dist far = {SIM_DIST_NORMAL, -5, 1, NULL, 0};
    double lo;
    free(sample(&far, r, &lo));
    ok(lo >= 0, "normal(-5,1): deep truncation never negative and terminates (min %g)", lo);
    ok(sim_dist_mean(&far) > 0 && sim_dist_mean(&far) < 0.25, "normal(-5,1): truncated mean %g is small and positive",
       sim_dist_mean(&far));

    /* constructors, analytically */
    sim_dist d;
    is_int(sim_dist_lognormal_mean_cv(&d, 3, 0.5), 0, "mean_cv accepts (3, 0.5)");
    is_int(d.kind, SIM_DIST_LOGNORMAL, "it is a lognormal");
    is_near(sim_dist_mean(&d), 3, 1e-12, "mean_cv: mean is 3");
    is_near(sqrt(sim_dist_variance(&d)) / sim_dist_mean(&d), 0.5, 1e-12, "mean_cv: cv is 0.5");
    check_moments("lognormal mean 3 cv 0.5", &d, r);

    is_int(sim_dist_lognormal_p50_p99(&d, 0.1, 1.0), 0, "p50_p99 accepts (0.1, 1.0)");
    is_near(gsl_cdf_lognormal_Pinv(0.5, d.a, d.b), 0.1, 1e-12, "p50_p99: median is 0.1");
    is_near(gsl_cdf_lognormal_Pinv(0.99, d.a, d.b), 1.0, 1e-9, "p50_p99: 99th percentile is 1.0");
    is_near(d.b, log(10) / 2.3263478740408408, 1e-12, "p50_p99: sigma = ln(p99/p50) / z99");
    check_quantile("p50_p99", &d, r, 0.5, 0.1);
    check_quantile("p50_p99", &d, r, 0.99, 1.0);

    ok(sim_dist_lognormal_mean_cv(&d, 0, 1) == -1 && sim_dist_lognormal_mean_cv(&d, 1, 0) == -1 &&
           sim_dist_lognormal_mean_cv(&d, -1, 1) == -1 && sim_dist_lognormal_mean_cv(&d, NAN, 1) == -1,
       "mean_cv rejects non-positive or NaN arguments");
    ok(sim_dist_lognormal_p50_p99(&d, 1, 1) == -1 && sim_dist_lognormal_p50_p99(&d, 2, 1) == -1 &&
           sim_dist_lognormal_p50_p99(&d, 0, 1) == -1,
       "p50_p99 rejects p99 <= p50 and p50 <= 0");

    is_str(sim_dist_kind_name(SIM_DIST_CONSTANT), "constant", "name constant");
    is_str(sim_dist_kind_name(SIM_DIST_EXPONENTIAL), "exponential", "name exponential");
    is_str(sim_dist_kind_name(SIM_DIST_UNIFORM), "uniform", "name uniform");
    is_str(sim_dist_kind_name(SIM_DIST_NORMAL), "normal", "name normal");
    is_str(sim_dist_kind_name(SIM_DIST_LOGNORMAL), "lognormal", "name lognormal");
    is_str(sim_dist_kind_name(SIM_DIST_GAMMA), "gamma", "name gamma");
    is_str(sim_dist_kind_name(SIM_DIST_WEIBULL), "weibull", "name weibull");
    is_str(sim_dist_kind_name(SIM_DIST_PARETO), "pareto", "name pareto");
    is_str(sim_dist_kind_name(SIM_DIST_EMPIRICAL), "empirical", "name empirical");
    is_str(sim_dist_kind_name((sim_dist_kind)99), "unknown", "name of an unknown kind");

    sim_free(s);
    return tap_done();
}
