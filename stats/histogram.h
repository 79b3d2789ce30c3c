/*
 * histogram.h - a log-linear latency histogram (HDR style).
 *
 * Values are non-negative integers (fleetsim records nanoseconds). Below
 * 2^HIST_SUB_BITS values are counted exactly; above, each power of two is
 * split into 2^HIST_SUB_BITS equal buckets, so a bucket is at most 1/128 of
 * its value wide and a quantile reported at the bucket midpoint is within
 * 0.4% of the true value. Histograms with the same layout merge by adding
 * counts (replications, windows). Fixed size: no allocation after init.
 */
#ifndef FLEETSIM_HISTOGRAM_H
#define FLEETSIM_HISTOGRAM_H

#include <stdint.h>

#define HIST_SUB_BITS 7                       /* 128 sub-buckets per power of two */
#define HIST_MAX_BITS 48                      /* values up to 2^48 ns (~78 h); larger are clamped and counted */
#define HIST_N_BUCKETS (((HIST_MAX_BITS - HIST_SUB_BITS) + 1) << HIST_SUB_BITS)

typedef struct hist {
    uint64_t count;
    uint64_t clamped;        /* values above the range, recorded in the last bucket */
    int64_t min, max;        /* exact; min = INT64_MAX when empty */
    long double sum;         /* exact enough for the mean of 1e9 values */
    uint64_t buckets[HIST_N_BUCKETS];
} hist;

/* Empties h. */
void hist_reset(hist *h);

/* Empties a histogram that hist_reset initialised once, touching only its used buckets (cheap when few are used). */
void hist_clear(hist *h);

#define HIST_VMAX ((INT64_C(1) << HIST_MAX_BITS) - 1) /* the largest value with a bucket of its own range */

/* The bucket of 0 <= v <= HIST_VMAX: v itself below 2^(HIST_SUB_BITS + 1) (shift 0), else the HIST_SUB_BITS bits below the top bit; no branch. */
static inline int hist_bucket_fast(uint64_t v)
{
    int shift = 63 - HIST_SUB_BITS - __builtin_clzll(v | ((UINT64_C(2) << HIST_SUB_BITS) - 1));
    return (shift << HIST_SUB_BITS) + (int)(v >> shift);
}

/* Records one value (negative values count as 0). Inline: the web tier records two per request. */
static inline void hist_record(hist *h, int64_t v)
{
    if (v < 0)
        v = 0;
    int b;
    if (__builtin_expect(v > HIST_VMAX, 0)) {
        h->clamped++;
        b = HIST_N_BUCKETS - 1;
    } else {
        b = hist_bucket_fast((uint64_t)v);
    }
    h->buckets[b]++;
    h->count++;
    h->sum += v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

/* Adds every count of src into dst. */
void hist_merge(hist *dst, const hist *src);

/* The q-quantile (0 <= q <= 1) at its bucket's midpoint, clamped to [min, max]; 0 when empty. */
int64_t hist_quantile(const hist *h, double q);

/*
 * The pieces of hist_quantile, for distributions kept in other forms (the
 * sparse per-minute lists of the CloudWatch store): the 1-based rank of the
 * q-quantile among count values (ceil(q count) clamped to [1, count]; count >
 * 0, 0 < q < 1), and the value reported for bucket b: its midpoint clamped to
 * [min, max]. hist_quantile(h, q) = hist_bucket_value(b, h->min, h->max) for
 * the first bucket b whose cumulative count reaches hist_quantile_rank(h->count, q).
 */
uint64_t hist_quantile_rank(uint64_t count, double q);
int64_t hist_bucket_value(int b, int64_t min, int64_t max);

/* The exact mean of the recorded values; 0 when empty. */
double hist_mean(const hist *h);

/* Bucket index for a value, and the [lo, hi] range of values a bucket holds (for tests). */
int hist_bucket_of(int64_t v);
void hist_bucket_range(int b, int64_t *lo, int64_t *hi);

#endif /* FLEETSIM_HISTOGRAM_H */
