/*
 * stats.c - the run's collector: outcomes, latency histograms, occupancy,
 * windows.
 *
 * Occupancy ("requests in system", from arrival until the client is answered
 * or gives up) is integrated exactly at each change, so its time average over
 * any interval is exact; Little's law (L = lambda W) holds on these figures up
 * to end effects. The integral is kept in double request-nanoseconds: an
 * integer would overflow for a million requests in system over a day-long
 * window, and the relative rounding (1e-16 per step) is far below any
 * statistical error.
 */
#include "stats/stats.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct stats {
    sim_time_t warmup, t_end;
    sim_time_t slo_latency;   /* 0: no SLO latency part, nothing is slow */
    sim_time_t last;          /* occupancy integrals are up to date to here */
    uint64_t n_in;            /* requests in system now */
    double area_run;          /* integral of n_in over [warmup, last], request-ns */
    double area_win;          /* integral of n_in over [win_start, last] */

    uint64_t m_arrivals, m_done;
    uint64_t m_count[STATS_N_CAUSES];
    uint64_t m_slow, w_slow;

    sim_time_t win_start;
    uint64_t w_arrivals, w_done;
    uint64_t w_count[STATS_N_CAUSES];

    stats_window *wins;
    size_t n_wins, cap_wins;
    uint64_t c_arrivals, c_count[STATS_N_CAUSES]; /* every closed window together (stats_live) */
    stats_summary sum;

    /* Large: kept last. A request's latency is recorded once, into win_m
     * (measured) or win_u (warm-up); at each window close win_m is merged
     * into run, then win_u into win_m for the window's percentiles. */
    hist run, win_m, win_u;
};

static const char *const cause_names[STATS_N_CAUSES] = {
    [STATS_OK] = "ok",
    [STATS_503_NO_TARGET] = "503_no_target",
    [STATS_504_TIMEOUT] = "504_timeout",
    [STATS_502_RESET] = "502_reset",
    [STATS_460_CLIENT_TIMEOUT] = "460_client_timeout",
    [STATS_500_TARGET] = "500_target_error",
    [STATS_ELB_2XX_FIXED] = "elb_2xx_fixed_response",
    [STATS_ELB_3XX_REDIRECT] = "elb_3xx_redirect",
    [STATS_ELB_4XX_FIXED] = "elb_4xx_fixed_response",
    [STATS_ELB_5XX_FIXED] = "elb_5xx_fixed_response",
};

int stats_cause_is_error(stats_cause c)
{
    return c != STATS_OK && c != STATS_ELB_2XX_FIXED && c != STATS_ELB_3XX_REDIRECT && c < STATS_N_CAUSES;
}

const char *stats_cause_name(stats_cause c)
{
    return (unsigned)c < STATS_N_CAUSES ? cause_names[c] : "unknown";
}

stats *stats_new(sim_time_t warmup, sim_time_t t_end)
{
    stats *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->warmup = warmup < 0 ? 0 : warmup;
    st->t_end = t_end;
    hist_reset(&st->run);
    hist_reset(&st->win_m);
    hist_reset(&st->win_u);
    return st;
}

void stats_free(stats *st)
{
    if (!st)
        return;
    free(st->wins);
    free(st);
}

static inline void accrue(stats *st, sim_time_t now)
{
    if (st->n_in) {
        double n = (double)st->n_in;
        st->area_win += n * (double)(now - st->last);
        if (now > st->warmup) {
            sim_time_t from = st->last > st->warmup ? st->last : st->warmup;
            st->area_run += n * (double)(now - from);
        }
    }
    st->last = now;
}

void stats_set_slo_latency(stats *st, sim_time_t latency) { st->slo_latency = latency > 0 ? latency : 0; }

void stats_on_arrival(stats *st, sim_time_t now)
{
    accrue(st, now);
    st->n_in++;
    st->w_arrivals++;
    if (now >= st->warmup)
        st->m_arrivals++;
}

void stats_on_done(stats *st, sim_time_t now, sim_time_t arrival, stats_cause c)
{
    accrue(st, now);
    st->n_in--;
    st->w_done++;
    st->w_count[c]++;
    bool slow = c == STATS_OK && st->slo_latency > 0 && now - arrival > st->slo_latency;
    st->w_slow += slow;
    if (arrival >= st->warmup) {
        st->m_slow += slow;
        st->m_done++;
        st->m_count[c]++;
        if (c == STATS_OK)
            hist_record(&st->win_m, now - arrival);
    } else if (c == STATS_OK) {
        hist_record(&st->win_u, now - arrival);
    }
}

static double q_sec(const hist *h, double q) { return sim_to_sec(hist_quantile(h, q)); }

int stats_window_close(stats *st, sim_time_t now, double cpu_utilisation, const stats_fleet *fleet)
{
    if (now <= st->win_start)
        return 0;
    accrue(st, now);
    if (st->n_wins == st->cap_wins) {
        size_t cap = st->cap_wins ? 2 * st->cap_wins : 64;
        stats_window *w = realloc(st->wins, cap * sizeof *w);
        if (!w)
            return -1;
        st->wins = w;
        st->cap_wins = cap;
    }
    hist_merge(&st->run, &st->win_m);
    if (st->win_u.count)
        hist_merge(&st->win_m, &st->win_u);
    const hist *h = &st->win_m;
    stats_window *w = &st->wins[st->n_wins++];
    memset(w, 0, sizeof *w);
    w->start = st->win_start;
    w->arrivals = st->w_arrivals;
    w->completed = st->w_done;
    memcpy(w->errors, st->w_count, sizeof w->errors);
    w->slow = st->w_slow;
    /* No successful request, no percentile: NaN (empty in CSV, null in JSON), never a 0 that reads as fast. */
    w->p50 = w->p90 = w->p99 = w->max = NAN;
    if (h->count) {
        w->p50 = q_sec(h, 0.50);
        w->p90 = q_sec(h, 0.90);
        w->p99 = q_sec(h, 0.99);
        w->max = sim_to_sec(h->max);
    }
    w->mean_in_system = st->area_win / (double)(now - st->win_start);
    w->cpu_utilisation = cpu_utilisation;
    w->fleet = *fleet;

    st->c_arrivals += st->w_arrivals;
    for (int c = 0; c < STATS_N_CAUSES; c++)
        st->c_count[c] += st->w_count[c];
    st->win_start = now;
    st->w_arrivals = st->w_done = st->w_slow = 0;
    memset(st->w_count, 0, sizeof st->w_count);
    st->area_win = 0;
    hist_clear(&st->win_m);
    if (st->win_u.count)
        hist_clear(&st->win_u);
    return 0;
}

void stats_finish(stats *st, sim_time_t t_end, double cpu_utilisation)
{
    if (t_end < st->t_end)
        st->t_end = t_end < st->last ? st->last : t_end;
    accrue(st, st->t_end);
    /* Normally empty: the last window close already moved it into run. */
    hist_merge(&st->run, &st->win_m);
    hist_clear(&st->win_m);
    stats_summary *s = &st->sum;
    memset(s, 0, sizeof *s);
    s->arrivals = st->m_arrivals;
    s->completed = st->m_done;
    s->in_flight_at_end = st->m_arrivals - st->m_done;
    memcpy(s->errors, st->m_count, sizeof s->errors);
    s->slow = st->m_slow;
    s->mean_latency = s->p50 = s->p90 = s->p99 = s->p999 = s->max = NAN;
    if (st->run.count) {
        s->mean_latency = hist_mean(&st->run) / 1e9;
        s->p50 = q_sec(&st->run, 0.50);
        s->p90 = q_sec(&st->run, 0.90);
        s->p99 = q_sec(&st->run, 0.99);
        s->p999 = q_sec(&st->run, 0.999);
        s->max = sim_to_sec(st->run.max);
    }
    if (st->t_end > st->warmup) {
        double len = (double)(st->t_end - st->warmup);
        s->mean_in_system = st->area_run / len;
        s->throughput = (double)st->m_count[STATS_OK] / (len / 1e9);
    }
    s->cpu_utilisation = cpu_utilisation;
}

const stats_summary *stats_get_summary(const stats *st) { return &st->sum; }
const hist *stats_get_latency(const stats *st) { return &st->run; }

const stats_window *stats_get_windows(const stats *st, size_t *n)
{
    if (n)
        *n = st->n_wins;
    return st->wins;
}

uint64_t stats_in_system(const stats *st) { return st->n_in; }

void stats_live(const stats *st, uint64_t *arrived, uint64_t *by_cause)
{
    /* Closed windows plus the open one, counted apart from n_in. */
    *arrived = st->c_arrivals + st->w_arrivals;
    for (int c = 0; c < STATS_N_CAUSES; c++)
        by_cause[c] = st->c_count[c] + st->w_count[c];
}
