/*
 * test_coverage.c - the 95% Student-t intervals of stats/ci.h cover the true
 * mean 95% of the time (issue 9 point 5).
 *
 * E experiments, each n = 10 independent replications of an M/M/1 queue at
 * rho = 0.5 through the full model (vhelp.h: Poisson -> aws_lb -> one vCPU,
 * exponential service of mean 1 s). Each replication's estimate is its mean
 * response time W, whose true value is 1/(mu - lambda) = 2 s. Each
 * experiment's interval (ci_of, level 0.95) covers 2 s or not; the number
 * that cover is Binomial(E, 0.95) when the intervals are right. The test
 * accepts the central region of that binomial holding 99.9% of its mass,
 * computed here from GSL's binomial CDF (no hand-set tolerance): about
 * [927, 972] for E = 1000.
 *
 * Transient: each replication starts empty and discards a warm-up of 20
 * relaxation times 1/(mu (1 - sqrt(rho))^2) = 11.7 s; 2000 measured seconds
 * (~1000 requests) make the remaining bias (requests still in flight at the
 * end are not counted) tiny beside the intervals' width (~10% of W).
 *
 *   test_coverage [--experiments E]   (E = 1000; ASan builds pass fewer: the band widens with them)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "tests/tap.h"
#include "tests/validation/vhelp.h"
/* after vhelp.h: its vcheck_ci names a local `ci` */
#include "stats/ci.h"

enum { REPS = 10 };

/* The acceptance region [lo, hi] of Binomial(n, p) holding at least 1 - alpha of its mass, alpha/2 at most in each tail. */
static void binomial_band(unsigned n, double p, double alpha, unsigned *lo, unsigned *hi)
{
    *lo = 0;
    while (*lo < n && gsl_cdf_binomial_P(*lo, p, n) <= alpha / 2) /* P(X <= lo) small: lo itself is rejected */
        (*lo)++;
    *hi = n;
    while (*hi > 0 && gsl_cdf_binomial_Q(*hi - 1, p, n) <= alpha / 2) /* P(X >= hi) small: hi rejected */
        (*hi)--;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    unsigned experiments = 1000;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--experiments") == 0)
            experiments = (unsigned)strtoul(argv[++i], NULL, 10);
    if (experiments < 20)
        return 2;
    const double lambda = 0.5, mu = 1.0, truth = 1.0 / (mu - lambda);
    unsigned covered = 0, failed = 0, above = 0;
    double t0 = vnow();
    for (unsigned e = 0; e < experiments; e++) {
        vcase c = {.label = "M/M/1 rho=0.50", .vcpus = 1, .lambda = lambda,
                   .service = {.kind = SIM_DIST_EXPONENTIAL, .a = 1.0},
                   .seed = 700000 + e, .warmup_s = 234.0, .measure_s = 2000.0, .reps = REPS};
        vrep reps[REPS];
        if (vcase_run(&c, reps, NULL) != 0) {
            failed++;
            continue;
        }
        double w[REPS];
        for (int r = 0; r < REPS; r++)
            w[r] = reps[r].mean_latency;
        ci x = ci_of(w, REPS, 0.95);
        if (fabs(x.mean - truth) <= x.half)
            covered++;
        else if (x.mean > truth)
            above++;
    }
    unsigned lo, hi;
    binomial_band(experiments, 0.95, 0.001, &lo, &hi);
    tap_diag("%u experiments of %d replications in %.1f s: %u intervals cover W = %.1f s (%.3f), %u miss above, "
             "%u below; 99.9%% band of Binomial(%u, 0.95): [%u, %u]", experiments, REPS, vnow() - t0, covered,
             truth, (double)covered / experiments, above, experiments - covered - above - failed, experiments, lo, hi);
    is_int(failed, 0, "every replication ran");
    ok(covered >= lo && covered <= hi, "%u of %u 95%% intervals cover the true mean: inside [%u, %u]", covered,
       experiments, lo, hi);
    /* The band itself: P(X < lo) and P(X > hi) are each at most 0.0005, and one step narrower would not be. */
    ok(gsl_cdf_binomial_P(lo - 1, 0.95, experiments) <= 0.0005 && gsl_cdf_binomial_P(lo, 0.95, experiments) > 0.0005,
       "lower edge %u derived from the binomial CDF", lo);
    ok(gsl_cdf_binomial_Q(hi, 0.95, experiments) <= 0.0005 && gsl_cdf_binomial_Q(hi - 1, 0.95, experiments) > 0.0005,
       "upper edge %u derived from the binomial CDF", hi);
    return tap_done();
}
