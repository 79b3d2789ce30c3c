/*
 * cloudwatch.c - the metric store (aws-semantics 3.1): ring buffers of
 * datapoints per series, only for series something reads.
 *
 * Distributions (percentile statistics) are kept per datapoint in sparse
 * form: the non-zero buckets of the source histogram, ascending, with their
 * cumulative counts. A minute holds a few hundred samples, so a few hundred
 * entries, while the histogram's [min, max] bucket range spans thousands: a
 * period's quantile is found by a binary search over bucket indices, where
 * the cumulative count at a bucket is the sum over the period's datapoints of
 * a binary search in each list. The result is bit for bit hist_quantile of
 * the hist_merge of the datapoints' histograms (same rank rule, same bucket
 * midpoint clamped to the exact [min, max]).
 */
#include "models/cloudwatch/cloudwatch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CW_HOURS_KEPT (14 * 24 + 2) /* predictive scaling fits on the last 14 days (aws-semantics 2.5) */

typedef struct cw_point {
    sim_time_t ts;          /* period start; -1 = empty slot */
    sim_time_t visible_at;  /* period end + publication delay */
    uint64_t count;
    double sum, min, max;
} cw_point;

/* One datapoint's distribution, sparse; buffers grow and are reused by the slot. */
typedef struct cw_dist {
    uint64_t count;         /* values (hist count); 0 = none */
    int64_t min, max;       /* exact, as in the hist */
    size_t n, cap;          /* entries used, allocated */
    uint16_t *b;            /* non-zero bucket indices, ascending */
    uint64_t *cum;          /* cum[i] = values in buckets <= b[i] */
} cw_dist;

typedef struct cw_hour {
    int64_t hour;           /* -1 = empty */
    uint64_t n;             /* datapoints with data */
    double sum;             /* of their Sums */
} cw_hour;

struct cw_series {
    scn_metric_id id;
    int asg, lb, tg;
    sim_time_t resolution;
    cw_source_fn fn;
    void *src;
    size_t cap;             /* ring slots */
    cw_point *pts;
    cw_dist *dists;         /* cap distributions when percentiles are read; NULL otherwise */
    cw_hour *hours;         /* CW_HOURS_KEPT when predictive reads it; NULL otherwise */
};

struct cw_store {
    sim_time_t delay;
    cw_series **series;
    size_t n, cap;
};

cw_store *cw_new(sim_time_t publication_delay)
{
    cw_store *cw = calloc(1, sizeof *cw);
    if (cw)
        cw->delay = publication_delay < 0 ? 0 : publication_delay;
    return cw;
}

static void dists_free(cw_dist *d, size_t n)
{
    if (!d)
        return;
    for (size_t i = 0; i < n; i++) {
        free(d[i].b);
        free(d[i].cum);
    }
    free(d);
}

static void series_free(cw_series *se)
{
    if (!se)
        return;
    free(se->pts);
    dists_free(se->dists, se->cap);
    free(se->hours);
    free(se);
}

void cw_free(cw_store *cw)
{
    if (!cw)
        return;
    for (size_t i = 0; i < cw->n; i++)
        series_free(cw->series[i]);
    free(cw->series);
    free(cw);
}

static int series_resize(cw_series *se, size_t cap, bool dist)
{
    cw_point *p = malloc(cap * sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < cap; i++)
        p[i].ts = -1;
    dists_free(se->dists, se->cap);
    se->dists = NULL;
    free(se->pts);
    se->pts = p;
    se->cap = cap;
    if (dist) {
        se->dists = calloc(cap, sizeof *se->dists);
        if (!se->dists)
            return -1;
    }
    return 0;
}

cw_series *cw_series_get(cw_store *cw, scn_metric_id id, int asg, int lb, int tg,
                         sim_time_t resolution, cw_source_fn fn, void *src)
{
    if (resolution != SIM_MIN && resolution != 5 * SIM_MIN)
        return NULL;
    for (size_t i = 0; i < cw->n; i++) {
        cw_series *se = cw->series[i];
        if (se->id == id && se->asg == asg && se->lb == lb && se->tg == tg)
            return se;
    }
    if (cw->n == cw->cap) {
        size_t nc = cw->cap ? 2 * cw->cap : 8;
        cw_series **ns = realloc(cw->series, nc * sizeof *ns);
        if (!ns)
            return NULL;
        cw->series = ns;
        cw->cap = nc;
    }
    cw_series *se = calloc(1, sizeof *se);
    if (!se)
        return NULL;
    se->id = id;
    se->asg = asg;
    se->lb = lb;
    se->tg = tg;
    se->resolution = resolution;
    se->fn = fn;
    se->src = src;
    if (series_resize(se, 8, false) != 0) {
        series_free(se);
        return NULL;
    }
    cw->series[cw->n++] = se;
    return se;
}

int cw_series_need(cw_series *se, sim_time_t history, bool dist, bool hourly)
{
    /* + 2 slots: the period being published and one of slack for the delay */
    size_t want = (size_t)(history / se->resolution) + 2;
    bool want_dist = dist || se->dists != NULL;
    if (want > se->cap || want_dist != (se->dists != NULL)) {
        if (series_resize(se, want > se->cap ? want : se->cap, want_dist) != 0)
            return -1;
    }
    if (hourly && !se->hours) {
        se->hours = malloc(CW_HOURS_KEPT * sizeof *se->hours);
        if (!se->hours)
            return -1;
        for (size_t i = 0; i < CW_HOURS_KEPT; i++)
            se->hours[i].hour = -1;
    }
    return 0;
}

sim_time_t cw_series_resolution(const cw_series *se) { return se->resolution; }

size_t cw_series_count(const cw_store *cw) { return cw->n; }

static int dist_push(cw_dist *d, int b, uint64_t cum)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 256;
        uint16_t *nb = realloc(d->b, nc * sizeof *nb);
        if (!nb)
            return -1;
        d->b = nb;
        uint64_t *ncum = realloc(d->cum, nc * sizeof *ncum);
        if (!ncum)
            return -1;
        d->cum = ncum;
        d->cap = nc;
    }
    d->b[d->n] = (uint16_t)b;
    d->cum[d->n] = cum;
    d->n++;
    return 0;
}

/* d = the sparse form of h: one walk of h's used bucket range, skipping runs of 8 empty buckets at once. */
static int dist_set(cw_dist *d, const hist *h)
{
    d->count = 0;
    d->n = 0;
    d->min = INT64_MAX;
    d->max = 0;
    if (!h || !h->count)
        return 0;
    int first = hist_bucket_of(h->min), last = hist_bucket_of(h->max);
    const uint64_t *bk = h->buckets;
    uint64_t cum = 0;
    for (int i = first; i <= last; i += 8) {
        int e = last - i >= 7 ? i + 8 : last + 1;
        if (e - i == 8 && (bk[i] | bk[i + 1] | bk[i + 2] | bk[i + 3] | bk[i + 4] | bk[i + 5] | bk[i + 6] | bk[i + 7]) == 0)
            continue;
        for (int j = i; j < e; j++) {
            if (!bk[j])
                continue;
            cum += bk[j];
            if (dist_push(d, j, cum) != 0) {
                d->n = 0;
                return -1;
            }
        }
    }
    d->count = h->count;
    d->min = h->min;
    d->max = h->max;
    return 0;
}

static int series_sample(cw_series *se, sim_time_t t, sim_time_t delay)
{
    sim_time_t t0 = t - se->resolution;
    cw_sample s = {0, 0, 0, 0, NULL};
    if (se->fn(se->src, se->id, t0, t, &s) != 0)
        s.count = 0;
    size_t k = (size_t)(t0 / se->resolution) % se->cap;
    cw_point *p = &se->pts[k];
    p->ts = t0;
    p->visible_at = t + delay;
    p->count = s.count;
    p->sum = s.sum;
    p->min = s.min;
    p->max = s.max;
    int rc = 0;
    if (se->dists)
        rc = dist_set(&se->dists[k], s.count ? s.dist : NULL);
    if (se->hours && s.count) {
        int64_t h = t0 / SIM_HOUR;
        cw_hour *hr = &se->hours[(size_t)h % CW_HOURS_KEPT];
        if (hr->hour != h) {
            hr->hour = h;
            hr->n = 0;
            hr->sum = 0;
        }
        hr->n++;
        hr->sum += s.sum;
    }
    return rc;
}

int cw_tick(cw_store *cw, sim_time_t t)
{
    int rc = 0;
    for (size_t i = 0; i < cw->n; i++) {
        cw_series *se = cw->series[i];
        if (t >= se->resolution && t % se->resolution == 0 && series_sample(se, t, cw->delay) != 0)
            rc = -1;
    }
    return rc;
}

/* The datapoint stamped ts if it is stored, visible at now and has data; NULL otherwise. */
static const cw_point *point_at(const cw_series *se, sim_time_t ts, sim_time_t now, size_t *slot)
{
    size_t k = (size_t)(ts / se->resolution) % se->cap;
    const cw_point *p = &se->pts[k];
    if (p->ts != ts || p->visible_at > now || p->count == 0)
        return NULL;
    *slot = k;
    return p;
}

bool cw_aggregate(const cw_series *se, sim_time_t t0, sim_time_t t1, sim_time_t now,
                  bool dist, cw_stat *out)
{
    memset(out, 0, sizeof *out);
    out->min = INFINITY;
    out->max = -INFINITY;
    out->dist_min = INT64_MAX;
    out->dist_max = 0;
    bool want_dist = dist && se->dists;
    /* datapoints are stamped at multiples of the resolution */
    sim_time_t first = t0 <= 0 ? 0 : ((t0 + se->resolution - 1) / se->resolution) * se->resolution;
    bool any = false;
    for (sim_time_t ts = first; ts < t1; ts += se->resolution) {
        size_t k;
        const cw_point *p = point_at(se, ts, now, &k);
        if (!p)
            continue;
        any = true;
        out->count += p->count;
        out->sum += p->sum;
        if (p->min < out->min)
            out->min = p->min;
        if (p->max > out->max)
            out->max = p->max;
        if (want_dist && se->dists[k].count) {
            const cw_dist *d = &se->dists[k];
            out->dist_count += d->count;
            if (d->min < out->dist_min)
                out->dist_min = d->min;
            if (d->max > out->dist_max)
                out->dist_max = d->max;
        }
    }
    if (want_dist && any) {
        out->dist_se = se;
        out->dist_first = first;
        out->dist_t1 = t1;
        out->dist_now = now;
    }
    if (!any) {
        out->min = out->max = 0;
    }
    return any;
}

/* Values of d in buckets <= b, with the entry search narrowed to [*lo, *hi); returns the search's position (entries <= b). */
static size_t dist_upto(const cw_dist *d, int b, size_t lo, size_t hi, uint64_t *cnt)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->b[mid] <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    *cnt = lo ? d->cum[lo - 1] : 0;
    return lo;
}

#define CW_WIN 32   /* datapoints whose lists are gathered (search windows, walks); more are bisected from the ring */
#define CW_WALK 256 /* walk the lists from an end when steps x lists stay under this; bisect otherwise */

static uint64_t entry_count(const cw_dist *d, size_t i) { return d->cum[i] - (i ? d->cum[i - 1] : 0); }

/* The first bucket whose cumulative count reaches rank, walking the k lists up from their first entries (rank small). */
static int walk_up(const cw_dist *const *ds, size_t k, uint64_t rank)
{
    size_t at[CW_WIN] = {0};
    uint64_t acc = 0;
    for (;;) {
        int b = HIST_N_BUCKETS;
        for (size_t j = 0; j < k; j++)
            if (at[j] < ds[j]->n && ds[j]->b[at[j]] < b)
                b = ds[j]->b[at[j]];
        if (b == HIST_N_BUCKETS)
            return HIST_N_BUCKETS - 1; /* not reached with consistent counts */
        for (size_t j = 0; j < k; j++)
            if (at[j] < ds[j]->n && ds[j]->b[at[j]] == b)
                acc += entry_count(ds[j], at[j]++);
        if (acc >= rank)
            return b;
    }
}

/* The same, walking down from the last entries: the first bucket b with at most above values in buckets > b (rank near count). */
static int walk_down(const cw_dist *const *ds, size_t k, uint64_t above)
{
    size_t at[CW_WIN];
    for (size_t j = 0; j < k; j++)
        at[j] = ds[j]->n;
    uint64_t acc = 0;
    for (;;) {
        int b = -1;
        for (size_t j = 0; j < k; j++)
            if (at[j] && ds[j]->b[at[j] - 1] > b)
                b = ds[j]->b[at[j] - 1];
        if (b < 0)
            return 0; /* not reached with consistent counts */
        for (size_t j = 0; j < k; j++)
            if (at[j] && ds[j]->b[at[j] - 1] == b) {
                at[j]--;
                acc += entry_count(ds[j], at[j]);
            }
        /* buckets below b have acc values above them */
        if (acc > above)
            return b;
    }
}

/* Bisection over bucket indices [lo, hi] with the k gathered lists, each list's search narrowed as the interval shrinks. */
static int bisect_lists(const cw_dist *const *ds, size_t k, uint64_t rank, int lo, int hi)
{
    size_t wlo[CW_WIN], whi[CW_WIN], pos[CW_WIN];
    for (size_t j = 0; j < k; j++) {
        wlo[j] = 0;
        whi[j] = ds[j]->n;
    }
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        uint64_t c = 0;
        for (size_t j = 0; j < k; j++) {
            uint64_t x;
            pos[j] = dist_upto(ds[j], mid, wlo[j], whi[j], &x);
            c += x;
        }
        /* every later candidate lies on one side of mid: so do the entries each list will be searched for */
        if (c >= rank) {
            hi = mid;
            memcpy(whi, pos, k * sizeof pos[0]);
        } else {
            lo = mid + 1;
            memcpy(wlo, pos, k * sizeof pos[0]);
        }
    }
    return lo;
}

/* The datapoint distribution stamped ts that st took, or NULL. */
static const cw_dist *stat_dist(const cw_stat *st, sim_time_t ts)
{
    size_t k;
    const cw_series *se = st->dist_se;
    if (!point_at(se, ts, st->dist_now, &k) || !se->dists[k].count || !se->dists[k].n)
        return NULL;
    return &se->dists[k];
}

/* Bisection for periods of more than CW_WIN datapoints: the lists are found in the ring at every step. */
static int bisect_ring(const cw_stat *st, uint64_t rank, int lo, int hi)
{
    sim_time_t res = st->dist_se->resolution;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        uint64_t c = 0;
        for (sim_time_t ts = st->dist_first; ts < st->dist_t1; ts += res) {
            const cw_dist *d = stat_dist(st, ts);
            uint64_t x;
            if (!d)
                continue;
            dist_upto(d, mid, 0, d->n, &x);
            c += x;
        }
        if (c >= rank)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int64_t cw_stat_quantile(const cw_stat *st, double q)
{
    if (!st->dist_se || !st->dist_count)
        return 0;
    if (!(q > 0))
        return st->dist_min;
    if (q >= 1)
        return st->dist_max;
    /* the answer is the bucket of hist_quantile: the first whose cumulative count reaches rank */
    uint64_t rank = hist_quantile_rank(st->dist_count, q), above = st->dist_count - rank;
    int lo = HIST_N_BUCKETS, hi = 0;
    const cw_dist *ds[CW_WIN];
    size_t k = 0;
    for (sim_time_t ts = st->dist_first; ts < st->dist_t1; ts += st->dist_se->resolution) {
        const cw_dist *d = stat_dist(st, ts);
        if (!d)
            continue;
        if (d->b[0] < lo)
            lo = d->b[0];
        if (d->b[d->n - 1] > hi)
            hi = d->b[d->n - 1];
        if (k < CW_WIN)
            ds[k] = d;
        k++;
    }
    int b;
    if (k == 0)
        b = hist_bucket_of(st->dist_min); /* not reached with consistent counts */
    else if (k > CW_WIN)
        b = bisect_ring(st, rank, lo, hi);
    else if (rank <= CW_WALK / k) /* a walk takes at most rank (or above + 1) steps */
        b = walk_up(ds, k, rank);
    else if (above < CW_WALK / k)
        b = walk_down(ds, k, above);
    else
        b = bisect_lists(ds, k, rank, lo, hi);
    return hist_bucket_value(b, st->dist_min, st->dist_max);
}

double cw_statistic(const cw_stat *st, scn_statistic stat, double p)
{
    if (st->count == 0)
        return NAN;
    switch (stat) {
    case SCN_STAT_AVERAGE: return st->sum / (double)st->count;
    case SCN_STAT_SUM: return st->sum;
    case SCN_STAT_MINIMUM: return st->min;
    case SCN_STAT_MAXIMUM: return st->max;
    case SCN_STAT_SAMPLE_COUNT: return (double)st->count;
    case SCN_STAT_PERCENTILE:
        if (!st->dist_se || st->dist_count == 0 || !(p > 0 && p < 100))
            return NAN;
        return (double)cw_stat_quantile(st, p / 100.0) / 1e9; /* histograms hold ns; the metric is seconds */
    }
    return NAN;
}

bool cw_hourly(const cw_series *se, int64_t hour, double *load)
{
    if (!se->hours || hour < 0)
        return false;
    const cw_hour *hr = &se->hours[(size_t)hour % CW_HOURS_KEPT];
    if (hr->hour != hour || hr->n == 0)
        return false;
    *load = hr->sum / (double)hr->n;
    return true;
}
