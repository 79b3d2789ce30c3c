/*
 * test_cw_quantile.c - the metric store's sparse percentile aggregation is
 * bit for bit hist_merge + hist_quantile: random per-minute distributions
 * (empty minutes, minutes with a count but no distribution, single values,
 * values in one bucket, exact small values, negative and clamped values),
 * series at 60 s and 300 s resolution whose ring slots are reused, and every
 * window of 1..12 periods ending at each minute, for many q.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "models/cloudwatch/cloudwatch.h"

#define MINUTES 240
#define DELAY (60 * SIM_SEC)

typedef struct rng { uint64_t s; } rng;

static uint64_t next(rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double unif(rng *r) { return (double)(next(r) >> 11) * 0x1p-53; }

/* The scripted source: per-minute histograms; nodist minutes report a count without a distribution. */
typedef struct src {
    hist *min;              /* MINUTES of them */
    unsigned char nodist[MINUTES];
    hist *buf;              /* the merged period a 300 s series samples */
} src;

static int source(void *p, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)id;
    src *s = p;
    memset(out, 0, sizeof *out);
    hist_reset(s->buf);
    uint64_t extra = 0;
    for (sim_time_t t = t0; t < t1; t += SIM_MIN) {
        size_t m = (size_t)(t / SIM_MIN);
        if (s->nodist[m])
            extra += 5;
        else
            hist_merge(s->buf, &s->min[m]);
    }
    out->count = s->buf->count + extra;
    if (!out->count)
        return 0;
    out->sum = 1;
    out->min = 0;
    out->max = 1;
    out->dist = s->buf->count ? s->buf : NULL;
    return 0;
}

static int64_t value(rng *r, int pattern, int64_t base)
{
    switch (pattern) {
    case 0: return (int64_t)ldexp(1.0, (int)(unif(r) * 40)) + (int64_t)(next(r) % 1000000); /* wide, log-spread */
    case 1: return base + (int64_t)(next(r) % 3);                                             /* one bucket or two: clamping matters */
    case 2: return (int64_t)(next(r) % 128) - 8;                                              /* exact buckets, negatives count as 0 */
    case 3: return next(r) % 4 ? (int64_t)(next(r) % 2000000000) : (INT64_C(1) << 48) + (int64_t)(next(r) % 1000); /* clamped */
    default: return base;                                                                     /* one value */
    }
}

static void fill(src *s, rng *r)
{
    for (int m = 0; m < MINUTES; m++) {
        hist_reset(&s->min[m]);
        s->nodist[m] = 0;
        unsigned kind = (unsigned)(next(r) % 10);
        if (kind == 0)
            continue;                    /* empty minute: no data */
        if (kind == 1) {
            s->nodist[m] = 1;            /* data but no distribution */
            continue;
        }
        int pattern = (int)(next(r) % 5);
        uint64_t n = kind == 2 ? 1 : 1 + next(r) % 400;
        int64_t base = (int64_t)(next(r) % 1000000000);
        for (uint64_t i = 0; i < n; i++)
            hist_record(&s->min[m], value(r, pattern, base));
    }
}

/* The quantiles tried: fixed edges and random q. */
static int qs(rng *r, uint64_t count, double *q)
{
    int n = 0;
    q[n++] = 0;
    q[n++] = 1;
    q[n++] = 1e-300;
    q[n++] = 0.5;
    q[n++] = 0.99;
    q[n++] = 0.999;
    q[n++] = nextafter(1.0, 0.0);
    q[n++] = NAN;
    if (count) {
        for (int i = 0; i < 6; i++) {
            uint64_t k = next(r) % (count + 1);
            q[n++] = (double)k / (double)count; /* ceil boundaries */
        }
    }
    for (int i = 0; i < 10; i++)
        q[n++] = unif(r);
    return n;
}

typedef struct tally {
    long compared, bad, bad_stat, windows, empty_dist, with_clamped;
} tally;

static void check_series(const src *s, cw_series *se, sim_time_t res, sim_time_t hist_kept, sim_time_t now,
                         rng *r, hist *ref, tally *ty)
{
    /* beyond 32 periods the store searches without narrowed windows */
    static const int lens[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 33, 50};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        int periods = lens[li];
        sim_time_t t1 = now - (sim_time_t)(next(r) % 3) * res;
        sim_time_t t0 = t1 - periods * res;
        if (t0 < now - hist_kept)
            continue;
        /* the reference: the old dense path, hist_merge of every visible period's histogram */
        hist_reset(ref);
        bool any_ref = false;
        sim_time_t first = t0 <= 0 ? 0 : ((t0 + res - 1) / res) * res;
        for (sim_time_t ts = first; ts < t1; ts += res) {
            if (ts + res + DELAY > now)
                continue;
            bool data = false;
            for (sim_time_t t = ts; t < ts + res; t += SIM_MIN) {
                size_t m = (size_t)(t / SIM_MIN);
                data |= s->nodist[m] || s->min[m].count;
                if (!s->nodist[m])
                    hist_merge(ref, &s->min[m]);
            }
            any_ref |= data;
        }
        cw_stat st;
        bool any = cw_aggregate(se, t0, t1, now, true, &st);
        ty->windows++;
        if (any != any_ref) {
            if (!ty->bad++)
                tap_diag("window [%lld, %lld) at %lld: found %d, expected %d", (long long)t0, (long long)t1,
                         (long long)now, any, any_ref);
            continue;
        }
        ty->empty_dist += any && !ref->count;
        ty->with_clamped += ref->clamped != 0;
        double q[32];
        int nq = qs(r, ref->count, q);
        for (int i = 0; i < nq; i++) {
            int64_t want = hist_quantile(ref, q[i]), got = cw_stat_quantile(&st, q[i]);
            ty->compared++;
            if (got != want && !ty->bad++)
                tap_diag("window [%lld, %lld) at %lld, q %.17g: %lld, expected %lld", (long long)t0,
                         (long long)t1, (long long)now, q[i], (long long)got, (long long)want);
            double p = q[i] * 100;
            double ws = ref->count && p > 0 && p < 100 ? (double)hist_quantile(ref, p / 100.0) / 1e9 : NAN;
            double gs = any ? cw_statistic(&st, SCN_STAT_PERCENTILE, p) : NAN;
            bool same = isnan(ws) ? isnan(gs) : memcmp(&ws, &gs, sizeof ws) == 0;
            if (!same && !ty->bad_stat++)
                tap_diag("window [%lld, %lld) at %lld, p %.17g: statistic %.17g, expected %.17g", (long long)t0,
                         (long long)t1, (long long)now, p, gs, ws);
        }
    }
}

static void run(uint64_t seed, sim_time_t res, sim_time_t hist_kept)
{
    rng r = {seed};
    src s;
    s.min = malloc(MINUTES * sizeof *s.min);
    s.buf = malloc(sizeof *s.buf);
    hist *ref = malloc(sizeof *ref);
    if (!s.min || !s.buf || !ref) {
        ok(0, "allocation");
        return;
    }
    fill(&s, &r);
    cw_store *cw = cw_new(DELAY);
    cw_series *se = cw_series_get(cw, SCN_M_ALB_TARGET_RESPONSE_TIME, -1, 0, 0, res, source, &s);
    cw_series *plain = cw_series_get(cw, SCN_M_ALB_REQUEST_COUNT, -1, 0, 0, res, source, &s);
    ok(se && plain && cw_series_need(se, hist_kept, true, false) == 0 &&
       cw_series_need(plain, hist_kept, false, false) == 0, "seed %llu, resolution %llds: series", (unsigned long long)seed,
       (long long)(res / SIM_SEC));
    tally ty = {0};
    long plain_pct = 0;
    for (sim_time_t t = SIM_MIN; t < MINUTES * SIM_MIN; t += SIM_MIN) {
        if (cw_tick(cw, t) != 0) {
            ty.bad++;
            break;
        }
        check_series(&s, se, res, hist_kept, t, &r, ref, &ty);
        cw_stat st;
        /* no distribution asked for, or a series without distributions: no percentile */
        if (cw_aggregate(se, t - 3 * res, t, t, false, &st) && !isnan(cw_statistic(&st, SCN_STAT_PERCENTILE, 99)))
            plain_pct++;
        if (cw_aggregate(plain, t - 3 * res, t, t, true, &st) && !isnan(cw_statistic(&st, SCN_STAT_PERCENTILE, 99)))
            plain_pct++;
    }
    ok(ty.bad == 0 && ty.compared > 10000, "seed %llu, resolution %llds: %ld quantiles of %ld windows equal hist_merge + "
       "hist_quantile bit for bit (%ld windows with data but an empty distribution, %ld with clamped values)",
       (unsigned long long)seed, (long long)(res / SIM_SEC), ty.compared, ty.windows, ty.empty_dist, ty.with_clamped);
    ok(ty.bad_stat == 0, "seed %llu, resolution %llds: cw_statistic percentiles identical (NAN alike)",
       (unsigned long long)seed, (long long)(res / SIM_SEC));
    /* at 300 s a period rarely has data but no distribution (5 such minutes in a row) */
    ok((ty.empty_dist > 0 || res != SIM_MIN) && ty.with_clamped > 0,
       "seed %llu: the data exercised clamped values%s", (unsigned long long)seed,
       res == SIM_MIN ? " and empty distributions" : "");
    is_int(plain_pct, 0, "no percentile when not asked for or without distributions");
    cw_free(cw);
    free(s.min);
    free(s.buf);
    free(ref);
}

int main(void)
{
    gsl_set_error_handler_off();
    for (uint64_t seed = 1; seed <= 4; seed++) {
        run(seed, SIM_MIN, 14 * SIM_MIN);         /* ring of 16 slots, reused every 16 minutes */
        run(seed + 100, 5 * SIM_MIN, 60 * SIM_MIN);
        run(seed + 200, SIM_MIN, 55 * SIM_MIN);     /* windows of 33 and 50 minutes */
    }
    return tap_done();
}
