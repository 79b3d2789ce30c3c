/*
 * workload.h - a population of clients sending requests to one ALB.
 *
 * Interface: the workload creates requests (from the world's pool), hands
 * them to alb_submit(), and receives answers through its req_client. It
 * reports arrivals and outcomes to the run's stats.
 */
#ifndef FLEETSIM_WORKLOAD_H
#define FLEETSIM_WORKLOAD_H

#include <stdint.h>

#include "models/alb.h"
#include "models/request.h"
#include "models/scenario.h"
#include "reports/stats.h"
#include "sim/sim.h"

typedef struct wl wl;

/*
 * A workload for cfg (borrowed: must outlive it) sending to lb; requests come
 * from pool (objects of sizeof(req)); outcomes go to st. Streams:
 * "workload.<name>/arrivals" and "workload.<name>/service". Arrivals stop
 * before t_end. Schedules its first arrival; NULL on OOM or a bad config.
 */
wl *wl_new(sim *s, const scn_workload *cfg, alb *lb, sim_pool *pool, stats *st,
           sim_time_t warmup, sim_time_t t_end);

/* Frees the workload (requests in flight stay in the pool). NULL is a no-op. */
void wl_free(wl *w);

/* Requests the workload has sent so far. */
uint64_t wl_sent(const wl *w);

/* The workload's name. */
const char *wl_name(const wl *w);

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
