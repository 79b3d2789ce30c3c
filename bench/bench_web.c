/*
 * bench_web.c - the end-to-end web tier in simulated requests per wall second.
 *
 *   bench_web MODE REQS K LAMBDA MU SEED
 *
 * Poisson arrivals (LAMBDA req/s) -> one aws_lb -> one target group -> K
 * aws_instance targets of a custom type with 1 vCPU of speed 1.0, exponential
 * service of mean 1/MU s. MODE is the target group's
 * load_balancing_algorithm_type: `lor` (least_outstanding_requests), `random`
 * (weighted_random with equal weights: exactly the peers' random splitting,
 * so each instance is an M/M/1 queue) or `rr` (round_robin). The run lasts
 * REQS/LAMBDA simulated seconds, starts empty and has no warmup, like the
 * peers' M/M/k benchmark (../shared/peers).
 *
 * Prints one line in the peers' format (../shared/peers/src/aggregate.py):
 *   peer=fleetsim-lor wl=mmk K=4 reqs=... events=... run_s=... rate=... ev_rate=...
 *   mean=... ci95=... p99=... maxrss_kb=...
 * reqs = successful completed requests, events = kernel events fired (every
 * hop: arrival, ALB routing, service, response), run_s = wall time of
 * world_run only (CLOCK_MONOTONIC), rate = reqs / run_s, ev_rate = events /
 * run_s, mean = exact mean response (s), ci95 = 95% half-width from 20 batch
 * means (one per report window; a window's mean response is its time-average
 * number in system over its arrival rate, by Little's law), p99 = the run's
 * p99 (s), maxrss_kb = peak RSS of the process (getrusage ru_maxrss).
 * A second line, starting with '#', compares mean and p99 with the analytic values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "models/core/world.h"
#include "tests/mmk.h"

#define N_BATCHES 20

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Erlang C: probability of waiting in M/M/c with offered load a (a < c). */
static double erlang_c(int c, double a)
{
    double b = 1.0;
    for (int k = 1; k <= c; k++) b = a * b / ((double)k + a * b);
    return b / (1.0 - a / c * (1.0 - b));
}

/* k one-vCPU instances behind an ALB with the given algorithm; N_BATCHES report
 * windows: a fixed number, so memory does not grow with the run. */
static void web_build(mmk_scn *v, scn_lb_algorithm alg, int k, double lambda, double mu, uint64_t seed,
                      double duration_s)
{
    sim_time_t duration = sim_from_sec(duration_s);
    mmk_params p = {
        .file = "<bench_web>", .name = "bench-web", .itype = "bench.1vcpu", .instance = "web",
        .tg = "web_tg", .attachment = "web_att", .lb = "front", .workload = "users",
        .count = k, .vcpus = 1, .algorithm = alg, .lambda = lambda,
        .service = (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = 1.0 / mu}, .seed = seed,
        .duration = duration, .warmup = 0, .window = (duration + N_BATCHES - 1) / N_BATCHES,
    };
    mmk_build(v, &p);
    /* Health checks queue on the busy vCPU behind the requests (as on a real instance): with the
     * default 5 s timeout a queue at rho 0.8 fails two in a row now and then, the target leaves,
     * the others overload and the figure is no longer an M/M/k (mean 44 s instead of 5). The
     * slowest, most tolerant checks AWS allows keep the targets in: a timeout of 120 s is 24 mean
     * responses, exceeded with probability e^-24 per check. */
    v->tg.health_check.interval = 300 * SIM_SEC;
    v->tg.health_check.timeout = 120 * SIM_SEC;
    v->tg.health_check.unhealthy_threshold = 10;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_web lor|random|rr REQS K LAMBDA MU SEED\n");
    return 2;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc != 7) return usage();
    scn_lb_algorithm alg;
    const char *mode = argv[1];
    if (strcmp(mode, "lor") == 0) alg = SCN_ALG_LEAST_OUTSTANDING_REQUESTS;
    else if (strcmp(mode, "random") == 0) alg = SCN_ALG_WEIGHTED_RANDOM;
    else if (strcmp(mode, "rr") == 0) alg = SCN_ALG_ROUND_ROBIN;
    else return usage();
    double reqs = atof(argv[2]);
    int k = atoi(argv[3]);
    double lambda = atof(argv[4]), mu = atof(argv[5]);
    uint64_t seed = strtoull(argv[6], NULL, 10);
    if (!(reqs >= 1) || k < 1 || k > 10000 || !(lambda > 0) || !(mu > 0)) return usage();

    mmk_scn v;
    web_build(&v, alg, k, lambda, mu, seed, reqs / lambda);

    sim *s = sim_new(seed, 0);
    if (!s) {
        fprintf(stderr, "bench_web: sim_new failed\n");
        return 3;
    }
    char err[256] = "";
    world *w = world_new(s, &v.sc, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_web: world_new: %s\n", err);
        sim_free(s);
        return 3;
    }
    double t0 = now_s();
    int rc = world_run(w);
    double run_s = now_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench_web: world_run returned %d\n", rc);
        world_free(w);
        sim_free(s);
        return 3;
    }

    const stats_summary *sm = world_summary(w);
    uint64_t errors = 0;
    for (int c = 1; c < STATS_N_CAUSES; c++) errors += sm->errors[c];

    /* batch means: one per report window, W_b = L_b / lambda_b (Little's law per window) */
    size_t nw = 0;
    const stats_window *win = world_windows(w, &nw);
    double bm[N_BATCHES + 1];
    int nb = 0;
    double width = sim_to_sec(v.sc.report.window);
    for (size_t i = 0; i < nw && nb < N_BATCHES + 1; i++) {
        double end = sim_to_sec(win[i].start) + width;
        if (end > sim_to_sec(v.sc.duration) + 1e-9) continue; /* a partial last window */
        if (win[i].arrivals == 0) continue;
        bm[nb++] = win[i].mean_in_system / ((double)win[i].arrivals / width);
    }
    double ci95 = nb > 1 ? gsl_cdf_tdist_Pinv(0.975, nb - 1) * sqrt(gsl_stats_variance(bm, 1, (size_t)nb) / nb)
                         : NAN;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t events = sim_events_fired(s);
    double done = (double)sm->completed - (double)errors;
    printf("peer=fleetsim-%s wl=mmk K=%d reqs=%.0f events=%llu run_s=%.4f rate=%.1f ev_rate=%.1f mean=%.4f "
           "ci95=%.4f p99=%.4f maxrss_kb=%ld\n",
           mode, k, done, (unsigned long long)events, run_s, done / run_s, (double)events / run_s,
           sm->mean_latency, ci95, sm->p99, (long)ru.ru_maxrss);

    double rho = lambda / (k * mu);
    if (alg == SCN_ALG_WEIGHTED_RANDOM) {
        double an = 1.0 / (mu - lambda / k), an99 = log(100.0) * an;
        printf("# check (random split = %d x M/M/1, rho %.2f): mean %.4f +/- %.4f vs analytic %.4f (%+.2f%%); "
               "p99 %.3f vs %.3f (%+.2f%%); errors %llu\n",
               k, rho, sm->mean_latency, ci95, an, 100 * (sm->mean_latency / an - 1), sm->p99, an99,
               100 * (sm->p99 / an99 - 1), (unsigned long long)errors);
    } else {
        double a = lambda / mu, mmk = 1.0 / mu + erlang_c(k, a) / (k * mu - lambda), rnd = 1.0 / (mu - lambda / k);
        printf("# check (%s, rho %.2f): mean %.4f +/- %.4f; bounds: M/M/%d (one shared queue) %.4f <= mean, "
               "random split %.4f; p99 %.3f; errors %llu\n",
               mode, rho, sm->mean_latency, ci95, k, mmk, rnd, sm->p99, (unsigned long long)errors);
    }
    world_free(w);
    sim_free(s);
    return errors ? 1 : 0;
}
