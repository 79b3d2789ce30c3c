/*
 * test_mg1.c - M/D/1 and M/G/1 mean wait in queue from Pollaczek-Khinchine:
 *   Wq = lambda E[S^2] / (2 (1 - rho)),  rho = lambda E[S]
 * M/D/1 (constant service, Cs^2 = 0): Wq = rho / (2 mu (1 - rho)).
 * M/G/1 with gamma service (shape 1/2, scale 2: mean 1, Cs^2 = 2) and with
 * lognormal service (mean 1, cv 0.5: Cs^2 = 0.25), all at rho = 0.8, and
 * M/D/1 also at rho = 0.5. The estimate is Wq = W - E[S] with W the exact mean
 * response time of the run (stats_summary.mean_latency).
 *
 *   test_mg1 [--scale X] [--case I]... [--seed-offset K]   (vhelp.h: pilots and single cases)
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "tests/tap.h"
#include "tests/validation/vhelp.h"

typedef struct mg1_case {
    const char *name;
    sim_dist service;
    double es, es2; /* E[S], E[S^2], from the parameters (not from dist.c) */
    double rho, warmup_s, measure_s;
    int reps;
} mg1_case;

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    vopts opt;
    if (vargs(argc, argv, &opt) != 0) return 2;

    /* lognormal with mean m and cv v: sigma^2 = ln(1 + v^2), mu = ln m - sigma^2/2; E[S^2] = m^2 (1 + v^2) */
    const double ln_cv = 0.5, ln_s2 = log(1.0 + ln_cv * ln_cv);
    /* gamma shape k, scale theta: E[S] = k theta, E[S^2] = k (k + 1) theta^2 */
    const double gk = 0.5, gth = 2.0;
    /* run lengths: about 3 times the sample at which the variance gives a 1% half-width (docs/validation.md) */
    const mg1_case cases[] = {
        {"M/D/1", {.kind = SIM_DIST_CONSTANT, .a = 1.0}, 1.0, 1.0, 0.50, 1000.0, 103000.0, 40},
        {"M/D/1", {.kind = SIM_DIST_CONSTANT, .a = 1.0}, 1.0, 1.0, 0.80, 5000.0, 270000.0, 40},
        {"M/G/1 gamma(k=0.5, theta=2)", {.kind = SIM_DIST_GAMMA, .a = gk, .b = gth}, gk * gth,
         gk * (gk + 1.0) * gth * gth, 0.80, 5000.0, 912000.0, 40},
        {"M/G/1 lognormal(mean=1, cv=0.5)", {.kind = SIM_DIST_LOGNORMAL, .a = -ln_s2 / 2.0, .b = sqrt(ln_s2)}, 1.0,
         1.0 + ln_cv * ln_cv, 0.80, 5000.0, 406000.0, 40},
    };

    vrep reps[VAL_MAX_REPS];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!(opt.cases >> i & 1UL)) continue;
        const mg1_case *k = &cases[i];
        char label[96];
        snprintf(label, sizeof label, "%s rho=%.2f", k->name, k->rho);
        const double lambda = k->rho / k->es;
        vcase c = {
            .label = label, .vcpus = 1, .lambda = lambda, .service = k->service,
            .seed = 3301 + i + 1000 * opt.seed_offset, .warmup_s = k->warmup_s, .measure_s = k->measure_s * opt.scale, .reps = k->reps,
        };
        double wall = 0;
        vcase_run(&c, reps, &wall);
        tap_diag("%s: %d replications of %.0f s (+%.0f s warmup) in %.2f s wall", label, c.reps, c.measure_s,
                 c.warmup_s, wall);
        if (!vcheck_clean(&c, reps, c.reps)) continue;

        double wq[VAL_MAX_REPS], util[VAL_MAX_REPS];
        for (int r = 0; r < c.reps; r++) {
            wq[r] = reps[r].mean_latency - k->es;
            util[r] = reps[r].cpu_utilisation;
        }
        double Wq = lambda * k->es2 / (2.0 * (1.0 - k->rho));
        char what[128];
        snprintf(what, sizeof what, "%s mean wait Wq = W - E[S]", label);
        vcheck_ci(what, wq, c.reps, Wq);
        vci u = vci_of(util, c.reps);
        tap_diag("%s: cpu utilisation %.5f +/- %.5f (rho %.2f)", label, u.mean, u.hw, k->rho);
    }
    return tap_done();
}
