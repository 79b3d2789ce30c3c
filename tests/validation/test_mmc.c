/*
 * test_mmc.c - M/M/c: one instance with c vCPUs (c workers on one FIFO queue),
 * exponential service of mean 1 s, Poisson arrivals at lambda = rho c.
 * Mean response W = 1/mu + C(c, a) / (c mu - lambda), a = lambda/mu, C the
 * Erlang C formula; c = 2 and c = 4 at utilisation 0.5, 0.8 and 0.95.
 *
 *   test_mmc [--scale X] [--case I]... [--seed-offset K]   (vhelp.h: pilots and single cases)
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "tests/tap.h"
#include "tests/validation/vhelp.h"

typedef struct mmc_case {
    int c;
    double rho, warmup_s, measure_s;
    int reps;
} mmc_case;

/* run lengths: 2.2 to 3 times the sample at which the variance gives a 1% half-width (docs/validation.md) */
static const mmc_case cases[] = {
    {2, 0.50, 1000.0, 12000.0, 40},
    {2, 0.80, 5000.0, 97000.0, 40},
    {2, 0.95, 50000.0, 1850000.0, 40},
    {4, 0.50, 1000.0, 3000.0, 40},
    {4, 0.80, 5000.0, 32000.0, 40},
    {4, 0.95, 50000.0, 790000.0, 40},
};

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    vopts opt;
    if (vargs(argc, argv, &opt) != 0) return 2;
    vrep reps[VAL_MAX_REPS];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!(opt.cases >> i & 1UL)) continue;
        const mmc_case *k = &cases[i];
        char label[64];
        snprintf(label, sizeof label, "M/M/%d rho=%.2f", k->c, k->rho);
        const double mu = 1.0, lambda = k->rho * k->c, a = lambda / mu;
        vcase c = {
            .label = label, .vcpus = k->c, .lambda = lambda,
            .service = {.kind = SIM_DIST_EXPONENTIAL, .a = 1.0 / mu},
            .seed = 2201 + i + 1000 * opt.seed_offset, .warmup_s = k->warmup_s, .measure_s = k->measure_s * opt.scale, .reps = k->reps,
        };
        double wall = 0;
        vcase_run(&c, reps, &wall);
        tap_diag("%s: %d replications of %.0f s (+%.0f s warmup) in %.2f s wall", label, c.reps, c.measure_s,
                 c.warmup_s, wall);
        if (!vcheck_clean(&c, reps, c.reps)) continue;

        double w[VAL_MAX_REPS], util[VAL_MAX_REPS];
        for (int r = 0; r < c.reps; r++) {
            w[r] = reps[r].mean_latency;
            util[r] = reps[r].cpu_utilisation;
        }
        double pw = erlang_c(k->c, a);
        double W = 1.0 / mu + pw / (k->c * mu - lambda);
        tap_diag("%s: Erlang C = %.6f, analytic Wq = %.6f", label, pw, W - 1.0 / mu);
        char what[96];
        snprintf(what, sizeof what, "%s mean response W", label);
        vcheck_ci(what, w, c.reps, W);
        vci u = vci_of(util, c.reps);
        tap_diag("%s: cpu utilisation %.5f +/- %.5f (rho %.2f)", label, u.mean, u.hw, k->rho);
    }
    return tap_done();
}
