/*
 * ci.h - means and Student-t confidence intervals over independent
 * replications, and paired differences between variants run with common
 * random numbers (replication r of every variant sees the same dice).
 *
 * Values that are not finite (a p99 of a run with no successful request) are
 * left out: n counts the finite values (pairs, for a difference) that went in.
 * With n < 2 there is no interval: half is NaN and nothing is significant.
 *
 * Prefix: ci_.
 */
#ifndef FLEETSIM_CI_H
#define FLEETSIM_CI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ci {
    size_t n;       /* finite values used */
    double mean;    /* NaN when n == 0 */
    double sd;      /* sample standard deviation (n - 1 in the denominator); NaN when n < 2 */
    double half;    /* half-width of the interval mean +- half; NaN when n < 2 */
} ci;

/* The two-sided Student-t quantile t_{(1+level)/2, df} (level 0.95: 2.262 for df 9); NaN when df < 1. */
double ci_t_quantile(double level, size_t df);

/* Mean, sd and the level (0.95) confidence interval of the finite values of x[0..n). */
ci ci_of(const double *x, size_t n, double level);

/* The interval of the paired differences a[i] - b[i] over the pairs where both are finite. */
ci ci_paired(const double *a, const double *b, size_t n, double level);

/* True when the interval excludes 0 (n >= 2): the difference is significant at its level. */
bool ci_significant(const ci *c);

#endif /* FLEETSIM_CI_H */
