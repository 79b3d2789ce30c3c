/*
 * test_mm1.c - M/M/1: mean response time W = 1/(mu - lambda) and the
 * response-time p99 = ln(100)/(mu - lambda) (the FIFO sojourn time of M/M/1
 * is exponential with rate mu - lambda), at utilisation 0.5, 0.8 and 0.95.
 * mu = 1 (exponential service of mean 1 s on one vCPU of speed 1.0).
 * See docs/validation.md for the formulas, their sources and the run lengths.
 *
 *   test_mm1 [--scale X] [--case I]... [--seed-offset K]   (vhelp.h: pilots and single cases)
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "tests/tap.h"
#include "tests/validation/vhelp.h"

typedef struct mm1_case {
    double rho, warmup_s, measure_s;
    int reps;
} mm1_case;

/*
 * measure_s: simulated seconds per replication after the warmup. The p99 sets
 * the length: 5e6 / 3.2e7 / 5e8 requests in all, about 2.3 / 2.5 / 2.2 times
 * the sample at which its measured variance gives a 1% half-width
 * (docs/validation.md). The warmup is about 20 relaxation times
 * 1/(mu (1 - sqrt(rho))^2).
 */
static const mm1_case cases[] = {
    {0.50, 1000.0, 250000.0, 40},
    {0.80, 5000.0, 1000000.0, 40},
    {0.95, 50000.0, 13200000.0, 40},
};

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    vopts opt;
    if (vargs(argc, argv, &opt) != 0) return 2;
    vrep reps[VAL_MAX_REPS];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!(opt.cases >> i & 1UL)) continue;
        const mm1_case *k = &cases[i];
        char label[64];
        snprintf(label, sizeof label, "M/M/1 rho=%.2f", k->rho);
        vcase c = {
            .label = label, .vcpus = 1, .lambda = k->rho,
            .service = {.kind = SIM_DIST_EXPONENTIAL, .a = 1.0},
            .seed = 1101 + i + 1000 * opt.seed_offset, .warmup_s = k->warmup_s, .measure_s = k->measure_s * opt.scale, .reps = k->reps,
        };
        double wall = 0;
        vcase_run(&c, reps, &wall);
        tap_diag("%s: %d replications of %.0f s (+%.0f s warmup) in %.2f s wall", label, c.reps, c.measure_s,
                 c.warmup_s, wall);
        if (!vcheck_clean(&c, reps, c.reps)) continue;

        double w[VAL_MAX_REPS], p99[VAL_MAX_REPS], p99s[VAL_MAX_REPS], util[VAL_MAX_REPS];
        for (int r = 0; r < c.reps; r++) {
            w[r] = reps[r].mean_latency;
            p99[r] = reps[r].p99_interp;
            p99s[r] = reps[r].p99_summary;
            util[r] = reps[r].cpu_utilisation;
        }
        const double mu = 1.0, lambda = k->rho;
        char what[96];
        snprintf(what, sizeof what, "%s mean response W", label);
        vcheck_ci(what, w, c.reps, 1.0 / (mu - lambda));
        snprintf(what, sizeof what, "%s response p99", label);
        vcheck_ci(what, p99, c.reps, log(100.0) / (mu - lambda));

        /* the reported p99 (bucket midpoint) agrees with the interpolated one within one bucket (1/128) */
        vci a = vci_of(p99, c.reps), b = vci_of(p99s, c.reps);
        ok(fabs(b.mean / a.mean - 1.0) <= 1.0 / 128, "%s: stats_summary.p99 %.6g within one histogram bucket of %.6g",
           label, b.mean, a.mean);
        vci u = vci_of(util, c.reps);
        tap_diag("%s: cpu utilisation %.5f +/- %.5f (rho %.2f)", label, u.mean, u.hw, k->rho);
    }
    return tap_done();
}
