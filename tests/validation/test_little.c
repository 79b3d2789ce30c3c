/*
 * test_little.c - Little's law L = lambda W. L is the time-average number of
 * requests in the system over the measured interval (stats_summary.
 * mean_in_system), W the mean response time of the same run. Checked on
 * M/M/1 (rho 0.8), M/M/2 (rho 0.8) and M/G/1 with gamma service (rho 0.8):
 *  - the 95% interval of L is under 1% wide and holds the analytic L = lambda W;
 *  - it also holds lambda^ W^, the sample-path Little product of the same runs
 *    (measured arrival rate times measured mean response);
 *  - per replication, |L - lambda^ W^| / L is reported.
 *
 *   test_little [--scale X] [--case I]... [--seed-offset K]   (vhelp.h: pilots and single cases)
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "tests/tap.h"
#include "tests/validation/vhelp.h"

typedef struct little_case {
    const char *name;
    int c;
    sim_dist service;
    double rho, W, warmup_s, measure_s;
    int reps;
} little_case;

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    vopts opt;
    if (vargs(argc, argv, &opt) != 0) return 2;

    const double gk = 0.5, gth = 2.0; /* gamma: mean 1, E[S^2] = 3 */
    /* run lengths: 2.5 to 3 times the sample at which the variance gives a 1% half-width (docs/validation.md) */
    const little_case cases[] = {
        {"M/M/1", 1, {.kind = SIM_DIST_EXPONENTIAL, .a = 1.0}, 0.80, 1.0 / (1.0 - 0.8), 5000.0, 250000.0, 40},
        {"M/M/2", 2, {.kind = SIM_DIST_EXPONENTIAL, .a = 1.0}, 0.80, 1.0 + erlang_c(2, 1.6) / (2.0 - 1.6), 5000.0,
         168000.0, 40},
        {"M/G/1 gamma(k=0.5, theta=2)", 1, {.kind = SIM_DIST_GAMMA, .a = gk, .b = gth}, 0.80,
         1.0 + 0.8 * gk * (gk + 1.0) * gth * gth / (2.0 * (1.0 - 0.8)), 5000.0, 670000.0, 40},
    };

    vrep reps[VAL_MAX_REPS];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!(opt.cases >> i & 1UL)) continue;
        const little_case *k = &cases[i];
        char label[96];
        snprintf(label, sizeof label, "%s rho=%.2f", k->name, k->rho);
        const double lambda = k->rho * k->c; /* E[S] = 1 */
        vcase c = {
            .label = label, .vcpus = k->c, .lambda = lambda, .service = k->service,
            .seed = 4401 + i + 1000 * opt.seed_offset, .warmup_s = k->warmup_s, .measure_s = k->measure_s * opt.scale, .reps = k->reps,
        };
        double wall = 0;
        vcase_run(&c, reps, &wall);
        tap_diag("%s: %d replications of %.0f s (+%.0f s warmup) in %.2f s wall", label, c.reps, c.measure_s,
                 c.warmup_s, wall);
        if (!vcheck_clean(&c, reps, c.reps)) continue;

        double L[VAL_MAX_REPS], lw[VAL_MAX_REPS], maxrel = 0;
        for (int r = 0; r < c.reps; r++) {
            L[r] = reps[r].mean_in_system;
            lw[r] = reps[r].lambda_hat * reps[r].mean_latency;
            double rel = fabs(L[r] - lw[r]) / L[r];
            if (rel > maxrel) maxrel = rel;
        }
        char what[128];
        snprintf(what, sizeof what, "%s time-average number in system L", label);
        vcheck_ci(what, L, c.reps, lambda * k->W);
        vci cl = vci_of(L, c.reps), clw = vci_of(lw, c.reps);
        ok(clw.mean >= cl.lo && clw.mean <= cl.hi, "%s: sample-path lambda^ W^ = %.6g inside L's interval [%.6g, %.6g]",
           label, clw.mean, cl.lo, cl.hi);
        tap_diag("%s: per replication, max |L - lambda^ W^| / L = %.3g", label, maxrel);
    }
    return tap_done();
}
