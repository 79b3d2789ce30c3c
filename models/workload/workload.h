/*
 * workload.h - a population of clients sending requests to one ALB.
 *
 * Interface: the workload creates requests (from the world's pool), hands
 * them to alb_submit(), and receives answers through its req_client. It
 * reports arrivals and outcomes to the run's stats.
 */
#ifndef FLEETSIM_WORKLOAD_H
#define FLEETSIM_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/elb/alb.h"
#include "models/core/request.h"
#include "models/core/scenario.h"
#include "stats/stats.h"
#include "sim/sim.h"

typedef struct wl wl;

/*
 * An arrival process on its own, without clients or an ALB: what a wl runs,
 * exposed so tests (and tools) can draw arrival times directly. Fields are
 * private to workload.c; the struct is public only so it can live on the
 * stack or inside a wl without an allocation.
 */
typedef struct wl_arrivals {
    int mode;                  /* wl_mode in workload.c: which generator runs */
    const scn_workload *cfg;   /* borrowed */
    gsl_rng *rng;              /* "workload.<name>/arrivals" */
    gsl_rng *mod;              /* "workload.<name>/mmpp" (MMPP only) */
    double mean_gap;           /* poisson: 1 / rps seconds */
    double rmax;               /* sinusoid: thinning bound, rps */
    double total;              /* trace counts: requests in one replay */
    size_t seg;                /* piecewise / trace cursor */
    uint64_t cycle;            /* trace: replays completed */
    sim_time_t cycle_len;      /* trace: length of one replay */
    sim_time_t switch_at;      /* MMPP: end of the current dwell */
    int state;                 /* MMPP: 0 or 1 */
    sim_time_t t_end;          /* horizon: nothing is generated at or after it */
} wl_arrivals;

/*
 * A workload for cfg (borrowed: must outlive it) sending to lb; requests come
 * from pool (objects of sizeof(req)); outcomes go to st. Streams:
 * "workload.<name>/arrivals" and "workload.<name>/service". Arrivals stop
 * before t_end. Schedules its first arrival; NULL on OOM or a bad config.
 */
wl *wl_new(sim *s, const scn_workload *cfg, alb *lb, sim_pool *pool, stats *st, sim_time_t t_end);

/* Frees the workload (requests in flight stay in the pool). NULL is a no-op. */
void wl_free(wl *w);

/* The workload's name. */
const char *wl_name(const wl *w);

/*
 * Prepares cfg's arrival process (cfg borrowed) on s's streams
 * "workload.<name>/arrivals" and, for MMPP, "workload.<name>/mmpp", generating
 * nothing at or after t_end. Returns 0, or -1 for a bad config or OOM.
 */
int wl_arrivals_init(wl_arrivals *a, sim *s, const scn_workload *cfg, sim_time_t t_end);

/* The next arrival (>= now) after one at `now`; SIM_TIME_MAX when none comes before t_end. `now` never goes back. */
sim_time_t wl_arrivals_next(wl_arrivals *a, sim_time_t now);

/*
 * The offered load of cfg at time t, requests per second: the rate function
 * of poisson, piecewise (spike, ramp, diurnal profile) and the diurnal
 * sinusoid; for MMPP the expected rate given state 0 at t = 0; for a trace of
 * counts the interval's count / interval; for a trace of timestamps (no rate
 * function) the replay's mean rate while it plays, 0 after. NAN for a bad config.
 */
double wl_rate_at(const scn_workload *cfg, sim_time_t t);

/* The expected number of arrivals of cfg in [t0, t1) (exact: the rate's integral; for a trace of timestamps the count). NAN for a bad config. */
double wl_expected_arrivals(const scn_workload *cfg, sim_time_t t0, sim_time_t t1);

/*
 * The first arrival time after `from` of a Poisson process whose rate goes
 * linearly through points[0..n) (rate held after the last point), given
 * e = an Exp(1) draw; *seg is a cursor (start at 0, times must not go back).
 * SIM_TIME_MAX if the remaining rate integrates to less than e (rate 0 forever).
 * Exposed for tests.
 */
sim_time_t wl_piecewise_next(const scn_rate_point *points, size_t n, size_t *seg,
                             sim_time_t from, double e);

#endif /* FLEETSIM_WORKLOAD_H */
