/*
 * ci.c - Student-t intervals (GSL's t quantile and its two-pass mean and sd).
 */
#include "stats/ci.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

double ci_t_quantile(double level, size_t df)
{
    if (df < 1 || !(level > 0 && level < 1))
        return NAN;
    return gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)df);
}

/* The interval of the n finite values already gathered in y. */
static ci interval(const double *y, size_t n, double level)
{
    ci c = {.n = n, .mean = NAN, .sd = NAN, .half = NAN};
    if (n == 0)
        return c;
    c.mean = gsl_stats_mean(y, 1, n);
    if (n < 2)
        return c;
    c.sd = gsl_stats_sd_m(y, 1, n, c.mean);
    c.half = ci_t_quantile(level, n - 1) * c.sd / sqrt((double)n);
    return c;
}

ci ci_of(const double *x, size_t n, double level)
{
    return ci_paired(x, NULL, n, level);
}

ci ci_paired(const double *a, const double *b, size_t n, double level)
{
    double *y = malloc((n ? n : 1) * sizeof *y);
    if (!y)
        return (ci){.mean = NAN, .sd = NAN, .half = NAN};
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = b ? a[i] - b[i] : a[i];
        if (isfinite(d))
            y[m++] = d;
    }
    ci c = interval(y, m, level);
    free(y);
    return c;
}

bool ci_significant(const ci *c)
{
    return c->n >= 2 && isfinite(c->half) && fabs(c->mean) > c->half;
}
