/*
 * cloudwatch.c - the metric store (aws-semantics 3.1): ring buffers of
 * datapoints per series, only for series something reads.
 */
#include "models/cloudwatch.h"

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
    hist *dists;            /* cap histograms when percentiles are read; NULL otherwise */
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

static void series_free(cw_series *se)
{
    if (!se)
        return;
    free(se->pts);
    free(se->dists);
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
    free(se->pts);
    se->pts = p;
    se->cap = cap;
    free(se->dists);
    se->dists = NULL;
    if (dist) {
        se->dists = malloc(cap * sizeof *se->dists);
        if (!se->dists)
            return -1;
        for (size_t i = 0; i < cap; i++)
            hist_reset(&se->dists[i]);
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
    if (se->dists) {
        hist_clear(&se->dists[k]);
        if (s.count && s.dist)
            hist_merge(&se->dists[k], s.dist);
    }
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
    return 0;
}

int cw_tick(cw_store *cw, sim_time_t t)
{
    for (size_t i = 0; i < cw->n; i++) {
        cw_series *se = cw->series[i];
        if (t >= se->resolution && t % se->resolution == 0)
            series_sample(se, t, cw->delay);
    }
    return 0;
}

bool cw_aggregate(const cw_series *se, sim_time_t t0, sim_time_t t1, sim_time_t now,
                  hist *scratch, cw_stat *out)
{
    memset(out, 0, sizeof *out);
    out->min = INFINITY;
    out->max = -INFINITY;
    if (scratch && se->dists)
        hist_clear(scratch);
    /* datapoints are stamped at multiples of the resolution */
    sim_time_t first = t0 <= 0 ? 0 : ((t0 + se->resolution - 1) / se->resolution) * se->resolution;
    bool any = false;
    for (sim_time_t ts = first; ts < t1; ts += se->resolution) {
        const cw_point *p = &se->pts[(size_t)(ts / se->resolution) % se->cap];
        if (p->ts != ts || p->visible_at > now || p->count == 0)
            continue;
        any = true;
        out->count += p->count;
        out->sum += p->sum;
        if (p->min < out->min)
            out->min = p->min;
        if (p->max > out->max)
            out->max = p->max;
        if (scratch && se->dists)
            hist_merge(scratch, &se->dists[(size_t)(ts / se->resolution) % se->cap]);
    }
    if (scratch && se->dists && any)
        out->dist = scratch;
    if (!any) {
        out->min = out->max = 0;
    }
    return any;
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
        if (!st->dist || st->dist->count == 0 || !(p > 0 && p < 100))
            return NAN;
        return (double)hist_quantile(st->dist, p / 100.0) / 1e9; /* histograms hold ns; the metric is seconds */
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
