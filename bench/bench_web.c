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

#include "models/world.h"

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

typedef struct web_scn {
    scenario sc;
    scn_itype itype;
    scn_instance inst;
    scn_target_group tg;
    scn_attachment att;
    scn_lb lb;
    scn_workload wl;
    char file[16], name[32], inst_name[16], tg_name[16], att_name[16], lb_name[16], wl_name[16];
} web_scn;

static void web_build(web_scn *v, scn_lb_algorithm alg, int k, double lambda, double mu, uint64_t seed,
                      double duration_s)
{
    memset(v, 0, sizeof *v);
    snprintf(v->file, sizeof v->file, "<bench_web>");
    snprintf(v->name, sizeof v->name, "bench-web");
    snprintf(v->inst_name, sizeof v->inst_name, "web");
    snprintf(v->tg_name, sizeof v->tg_name, "web_tg");
    snprintf(v->att_name, sizeof v->att_name, "web_att");
    snprintf(v->lb_name, sizeof v->lb_name, "front");
    snprintf(v->wl_name, sizeof v->wl_name, "users");

    snprintf(v->itype.name, sizeof v->itype.name, "bench.1vcpu");
    v->itype.vcpus = 1;
    v->itype.speed = 1.0;
    v->itype.hourly_usd = 0.0;

    v->inst.name = v->inst_name;
    v->inst.loc = (scn_loc){1, 1};
    v->inst.itype = 0;
    v->inst.count = k;
    snprintf(v->inst.availability_zone, sizeof v->inst.availability_zone, "us-west-2a");

    v->tg.name = v->tg_name;
    v->tg.loc = (scn_loc){1, 1};
    v->tg.algorithm = alg;
    v->tg.deregistration_delay = 300 * SIM_SEC;
    v->tg.slow_start = 0;
    v->tg.health_check.interval = 30 * SIM_SEC;
    v->tg.health_check.timeout = 5 * SIM_SEC;
    v->tg.health_check.healthy_threshold = 5;
    v->tg.health_check.unhealthy_threshold = 2;
    snprintf(v->tg.health_check.path, sizeof v->tg.health_check.path, "/");
    snprintf(v->tg.health_check.matcher, sizeof v->tg.health_check.matcher, "200");
    v->tg.port = 80;

    v->att.name = v->att_name;
    v->att.loc = (scn_loc){1, 1};
    v->att.target_group = 0;
    v->att.instance = 0;

    v->lb.name = v->lb_name;
    v->lb.loc = (scn_loc){1, 1};
    v->lb.target_group = 0;
    v->lb.idle_timeout = 4000 * SIM_SEC; /* the maximum: no 504 in an M/M/1 at rho 0.8 */

    v->wl.name = v->wl_name;
    v->wl.loc = (scn_loc){1, 1};
    v->wl.lb = 0;
    v->wl.kind = SCN_ARR_POISSON;
    v->wl.rps = lambda;
    v->wl.service_time = (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = 1.0 / mu};
    v->wl.timeout = 0;

    scenario *s = &v->sc;
    s->file = v->file;
    s->name = v->name;
    s->seed = seed;
    s->duration = sim_from_sec(duration_s);
    snprintf(s->region, sizeof s->region, "us-west-2");
    s->itypes = &v->itype;
    s->n_itypes = 1;
    s->instances = &v->inst;
    s->n_instances = 1;
    s->target_groups = &v->tg;
    s->n_target_groups = 1;
    s->attachments = &v->att;
    s->n_attachments = 1;
    s->lbs = &v->lb;
    s->n_lbs = 1;
    s->workloads = &v->wl;
    s->n_workloads = 1;
    /* N_BATCHES report windows: a fixed number, so memory does not grow with the run */
    s->report.window = (s->duration + N_BATCHES - 1) / N_BATCHES;
    s->report.warmup = 0;
    s->report.slo_p99 = 0;
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

    web_scn v;
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
