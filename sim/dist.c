/*
 * dist.c - sampling, exact moments and constructors for sim_dist.
 *
 * Every draw goes through gsl_ran_*, so the sampling algorithms are GSL's
 * well-tested ones and a stream's draws do not depend on code here beyond
 * the choice of function. Parameters are assumed valid (the scenario loader
 * checks them); degenerate ones (sigma 0, empty tables) give a constant.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "sim/sim.h"

/* Truncated normal on [0, inf): alpha = -mu/sigma, lambda = phi(alpha) / (1 - Phi(alpha)). */
static double trunc_lambda(double mu, double sigma, double *alpha)
{
    *alpha = -mu / sigma;
    /* Q(alpha) = P(mu/sigma) avoids 1 - Phi cancelling when alpha is large */
    return gsl_ran_ugaussian_pdf(*alpha) / gsl_cdf_ugaussian_P(mu / sigma);
}

double sim_dist_sample(const sim_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, d->a);
    case SIM_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case SIM_DIST_NORMAL:
        if (!(d->b > 0))
            return d->a > 0 ? d->a : 0;
        /* gsl_ran_gaussian_tail resamples N(0, sigma) until x >= -mu (and
         * switches to a faster exact method when -mu/sigma >= 1), so this is
         * resampling without an unbounded loop for very negative mu.
         * fl(mu + x) >= fl(mu + -mu) = 0 because rounding is monotone. */
        return d->a + gsl_ran_gaussian_tail(r, -d->a, d->b);
    case SIM_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case SIM_DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->a, d->b);
    case SIM_DIST_PARETO:
        return gsl_ran_pareto(r, d->a, d->b);
    case SIM_DIST_EMPIRICAL:
        if (!d->n_values)
            return 0;
        return d->values[gsl_rng_uniform_int(r, (unsigned long)d->n_values)];
    }
    return 0;
}

static void empirical_moments(const sim_dist *d, double *mean, double *var)
{
    double m = 0, v = 0;
    size_t n = d->n_values;
    /* two passes: the variance of values far from 0 loses nothing to cancellation */
    for (size_t i = 0; i < n; i++)
        m += d->values[i];
    m = n ? m / (double)n : 0;
    for (size_t i = 0; i < n; i++)
        v += (d->values[i] - m) * (d->values[i] - m);
    *mean = m;
    *var = n ? v / (double)n : 0;
}

double sim_dist_mean(const sim_dist *d)
{
    double a = d->a, b = d->b;
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return a;
    case SIM_DIST_EXPONENTIAL:
        return a;
    case SIM_DIST_UNIFORM:
        return 0.5 * (a + b);
    case SIM_DIST_NORMAL: {
        if (!(b > 0))
            return a > 0 ? a : 0;
        double alpha;
        return a + b * trunc_lambda(a, b, &alpha);
    }
    case SIM_DIST_LOGNORMAL:
        return exp(a + 0.5 * b * b);
    case SIM_DIST_GAMMA:
        return a * b;
    case SIM_DIST_WEIBULL:
        return a * tgamma(1 + 1 / b);
    case SIM_DIST_PARETO:
        return a > 1 ? a * b / (a - 1) : INFINITY;
    case SIM_DIST_EMPIRICAL: {
        double m, v;
        empirical_moments(d, &m, &v);
        return m;
    }
    }
    return NAN;
}

double sim_dist_variance(const sim_dist *d)
{
    double a = d->a, b = d->b;
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return 0;
    case SIM_DIST_EXPONENTIAL:
        return a * a;
    case SIM_DIST_UNIFORM:
        return (b - a) * (b - a) / 12;
    case SIM_DIST_NORMAL: {
        if (!(b > 0))
            return 0;
        double alpha, lambda = trunc_lambda(a, b, &alpha);
        return b * b * (1 + alpha * lambda - lambda * lambda);
    }
    case SIM_DIST_LOGNORMAL:
        return expm1(b * b) * exp(2 * a + b * b);
    case SIM_DIST_GAMMA:
        return a * b * b;
    case SIM_DIST_WEIBULL: {
        double g1 = tgamma(1 + 1 / b);
        return a * a * (tgamma(1 + 2 / b) - g1 * g1);
    }
    case SIM_DIST_PARETO:
        return a > 2 ? b * b * a / ((a - 1) * (a - 1) * (a - 2)) : INFINITY;
    case SIM_DIST_EMPIRICAL: {
        double m, v;
        empirical_moments(d, &m, &v);
        return v;
    }
    }
    return NAN;
}

int sim_dist_lognormal_mean_cv(sim_dist *d, double mean, double cv)
{
    if (!(mean > 0) || !(cv > 0) || !isfinite(mean) || !isfinite(cv))
        return -1;
    /* E = exp(mu + s2/2), cv^2 = exp(s2) - 1 */
    double s2 = log1p(cv * cv);
    *d = (sim_dist){.kind = SIM_DIST_LOGNORMAL, .a = log(mean) - 0.5 * s2, .b = sqrt(s2)};
    return 0;
}

int sim_dist_lognormal_p50_p99(sim_dist *d, double p50, double p99)
{
    if (!(p50 > 0) || !(p99 > p50) || !isfinite(p99))
        return -1;
    /* the median is exp(mu); the p99 is exp(mu + z99 sigma) */
    double z99 = gsl_cdf_ugaussian_Pinv(0.99);
    *d = (sim_dist){.kind = SIM_DIST_LOGNORMAL, .a = log(p50), .b = (log(p99) - log(p50)) / z99};
    return 0;
}

const char *sim_dist_kind_name(sim_dist_kind k)
{
    static const char *const names[] = {
        [SIM_DIST_CONSTANT] = "constant",
        [SIM_DIST_EXPONENTIAL] = "exponential",
        [SIM_DIST_UNIFORM] = "uniform",
        [SIM_DIST_NORMAL] = "normal",
        [SIM_DIST_LOGNORMAL] = "lognormal",
        [SIM_DIST_GAMMA] = "gamma",
        [SIM_DIST_WEIBULL] = "weibull",
        [SIM_DIST_PARETO] = "pareto",
        [SIM_DIST_EMPIRICAL] = "empirical",
    };
    if ((unsigned)k < sizeof names / sizeof names[0])
        return names[k];
    return "unknown";
}
