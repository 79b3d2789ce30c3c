/*
 * bench_hold.c - the classic hold model on the fleetsim kernel, in the peers'
 * output format (../shared/peers: same method as src/c_heap.c).
 *
 *   bench_hold N WARM OPS SEED
 *
 * N events are pre-filled at U[0,1) s; each operation is the kernel firing
 * the earliest event, whose handler schedules one new event at
 * now + Exp(mean 1 s). WARM untimed operations, then OPS timed ones.
 * The draws come from a kernel stream through GSL (taus2 + gsl_ran_exponential)
 * and go through sim_from_sec, as a model's would: that cost is part of the
 * figure. The generator differs from the compiled peers' xoshiro256+, so
 * simtime agrees with theirs only statistically (about OPS / N seconds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "sim/sim.h"

typedef struct hold {
    gsl_rng *r;
    long done, stop_at;
} hold;

static void on_hold(sim *s, void *obj, uint64_t arg)
{
    hold *h = obj;
    sim_after(s, sim_from_sec(gsl_ran_exponential(h->r, 1.0)), on_hold, h, arg);
    if (++h->done == h->stop_at)
        sim_stop(s);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 5) {
        fprintf(stderr, "usage: bench_hold N WARM OPS SEED\n");
        return 2;
    }
    long n = atol(argv[1]), warm = atol(argv[2]), ops = atol(argv[3]);
    uint64_t seed = strtoull(argv[4], NULL, 10);
    if (n < 1 || warm < 0 || ops < 1) {
        fprintf(stderr, "bench_hold: need N >= 1, WARM >= 0, OPS >= 1\n");
        return 2;
    }
    sim *s = sim_new(seed, 0);
    hold h = {0};
    if (!s || !(h.r = sim_rng(s, "hold"))) {
        fprintf(stderr, "bench_hold: out of memory\n");
        return 1;
    }
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        sim_at(s, sim_from_sec(gsl_rng_uniform(h.r)), on_hold, &h, (uint64_t)i);
    double t1 = now_s();
    if (warm > 0) {
        h.stop_at = warm;
        sim_run_until(s, SIM_TIME_MAX);
    }
    double tw = now_s();
    h.stop_at = warm + ops;
    sim_run_until(s, SIM_TIME_MAX);
    double t2 = now_s();
    if (sim_error(s) != SIM_OK || h.done != warm + ops) {
        fprintf(stderr, "bench_hold: kernel error %d after %ld operations\n", sim_error(s), h.done);
        return 1;
    }
    printf("peer=fleetsim wl=hold N=%ld warm=%ld ops=%ld prefill_s=%.4f run_s=%.4f rate=%.1f simtime=%.3f\n", n,
           warm, ops, t1 - t0, t2 - tw, (double)ops / (t2 - tw), sim_to_sec(sim_now(s)));
    sim_free(s);
    return 0;
}
