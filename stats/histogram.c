/*
 * histogram.c - log-linear (HDR-style) histogram; layout in histogram.h.
 *
 * Bucket index for v >= 128 with top bit m (m >= 7): shift = m - 7 and the
 * index is 128 * (shift + 1) + (v >> shift) - 128, i.e. the 7 bits below the
 * top bit pick one of 128 equal sub-buckets. For m = 7 this is v itself, so
 * the exact range [0, 128) and the first power of two join without a seam.
 */
#include <math.h>
#include <string.h>

#include "stats/histogram.h"

#define SUB (1 << HIST_SUB_BITS)
#define VMAX HIST_VMAX

void hist_reset(hist *h)
{
    memset(h, 0, sizeof *h);
    h->min = INT64_MAX;
    h->max = 0;
}

int hist_bucket_of(int64_t v)
{
    if (v < 0)
        v = 0;
    if (v > VMAX)
        v = VMAX;
    return hist_bucket_fast((uint64_t)v);
}

void hist_bucket_range(int b, int64_t *lo, int64_t *hi)
{
    if (b < SUB) {
        *lo = *hi = b;
        return;
    }
    int shift = (b >> HIST_SUB_BITS) - 1;
    int64_t sub = b & (SUB - 1);
    *lo = (SUB + sub) << shift;
    *hi = *lo + (INT64_C(1) << shift) - 1;
}

/*
 * Only buckets between those of the exact min and max can be non-zero, so
 * clear, merge and quantile walk that range alone: a period of response times
 * spans a few hundred of the 5376 buckets, and CloudWatch percentile alarms
 * merge many such histograms every simulated minute.
 */
static void used_range(const hist *h, int *first, int *last)
{
    *first = hist_bucket_of(h->min);
    *last = hist_bucket_of(h->max);
}

void hist_clear(hist *h)
{
    if (h->count) {
        int first, last;
        used_range(h, &first, &last);
        memset(&h->buckets[first], 0, (size_t)(last - first + 1) * sizeof h->buckets[0]);
    }
    h->count = 0;
    h->clamped = 0;
    h->sum = 0;
    h->min = INT64_MAX;
    h->max = 0;
}

void hist_merge(hist *dst, const hist *src)
{
    if (!src->count)
        return;
    int first, last;
    used_range(src, &first, &last);
    for (int i = first; i <= last; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    dst->clamped += src->clamped;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t hist_quantile_rank(uint64_t count, double q)
{
    /* the rank-th smallest value, rank = ceil(q * count), as with sorted data */
    double r = ceil(q * (double)count);
    return r < 1 ? 1 : r > (double)count ? count : (uint64_t)r;
}

int64_t hist_bucket_value(int b, int64_t min, int64_t max)
{
    int64_t lo, hi;
    hist_bucket_range(b, &lo, &hi);
    int64_t mid = lo + (hi - lo) / 2;
    if (mid < min)
        mid = min;
    if (mid > max)
        mid = max;
    return mid;
}

int64_t hist_quantile(const hist *h, double q)
{
    if (!h->count)
        return 0;
    if (!(q > 0))
        return h->min;
    if (q >= 1)
        return h->max;
    uint64_t rank = hist_quantile_rank(h->count, q);
    uint64_t cum = 0;
    int b = hist_bucket_of(h->min);
    for (; b < HIST_N_BUCKETS - 1; b++) {
        cum += h->buckets[b];
        if (cum >= rank)
            break;
    }
    return hist_bucket_value(b, h->min, h->max);
}

double hist_mean(const hist *h)
{
    return h->count ? (double)(h->sum / h->count) : 0;
}
