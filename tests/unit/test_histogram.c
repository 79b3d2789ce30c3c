/*
 * test_histogram.c - the log-linear histogram: exact small values, bucket
 * ranges, quantile error against sorted data, merge and mean.
 */
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/histogram.h"
#include "tests/tap.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static hist h1, h2, h3, hall;

int main(void)
{
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 17);

    hist_reset(&h1);
    is_int(h1.count, 0, "empty after reset");
    is_int(hist_quantile(&h1, 0.5), 0, "quantile of empty is 0");
    ok(hist_mean(&h1) == 0, "mean of empty is 0");

    int exact = 1;
    for (int64_t v = 0; v < 128; v++) {
        int64_t lo, hi;
        hist_bucket_range(hist_bucket_of(v), &lo, &hi);
        exact &= lo == v && hi == v;
    }
    ok(exact, "values below 128 have buckets of their own");
    for (int64_t v = 0; v < 128; v++)
        hist_record(&h1, v);
    int q_exact = 1;
    for (int k = 1; k <= 128; k++)
        q_exact &= hist_quantile(&h1, k / 128.0) == k - 1;
    ok(q_exact, "quantiles of 0..127 are exact");

    /* every value lies in its bucket's range; widths stay within 1/128 of the value */
    int contained = 1, narrow = 1, monotone = 1;
    int64_t prev_hi = -1;
    for (int b = 0; b < HIST_N_BUCKETS; b++) {
        int64_t lo, hi;
        hist_bucket_range(b, &lo, &hi);
        monotone &= lo == prev_hi + 1;
        prev_hi = hi;
        narrow &= lo < 128 || (hi - lo + 1) * 128 <= lo;
        contained &= hist_bucket_of(lo) == b && hist_bucket_of(hi) == b;
    }
    ok(monotone, "buckets tile [0, 2^48) without gaps or overlaps");
    is_int(prev_hi, (INT64_C(1) << HIST_MAX_BITS) - 1, "the last bucket ends at 2^48 - 1");
    ok(contained, "each bucket's lo and hi map back to it");
    ok(narrow, "each bucket above 128 is at most 1/128 of its low edge wide");
    for (int i = 0; i < 1000000; i++) {
        int64_t v = (int64_t)(gsl_rng_get(r) % ((uint64_t)1 << (1 + gsl_rng_uniform_int(r, 47))));
        int64_t lo, hi;
        hist_bucket_range(hist_bucket_of(v), &lo, &hi);
        if (!(lo <= v && v <= hi))
            contained = 0;
    }
    ok(contained, "1e6 random values across all magnitudes lie in their bucket's range");

    /* quantiles of lognormal latencies (median 50 ms, heavy tail) vs sorted data */
    enum { N = 200000 };
    int64_t *x = malloc(N * sizeof *x);
    hist_reset(&hall);
    hist_reset(&h2);
    hist_reset(&h3);
    long double sum = 0;
    for (int i = 0; i < N; i++) {
        x[i] = (int64_t)gsl_ran_lognormal(r, log(5e7), 1.5);
        sum += x[i];
        hist_record(&hall, x[i]);
        hist_record(i % 3 ? &h2 : &h3, x[i]);
    }
    qsort(x, N, sizeof *x, cmp_i64);
    static const double qs[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999};
    double worst = 0;
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        int64_t want = x[(size_t)ceil(qs[k] * N) - 1];
        double err = fabs((double)hist_quantile(&hall, qs[k]) - (double)want) / (double)want;
        if (err > worst)
            worst = err;
    }
    ok(worst <= 0.004, "quantile relative error %.5f <= 0.4%% against sorted data", worst);
    is_int(hist_quantile(&hall, 0), x[0], "q = 0 is the exact minimum");
    is_int(hist_quantile(&hall, 1), x[N - 1], "q = 1 is the exact maximum");
    is_near(hist_mean(&hall), (double)(sum / N), 1e-6, "mean is exact");

    hist_merge(&h2, &h3);
    ok(memcmp(&h2, &hall, sizeof hall) == 0 ||
           (h2.count == hall.count && h2.min == hall.min && h2.max == hall.max &&
            memcmp(h2.buckets, hall.buckets, sizeof hall.buckets) == 0 && h2.clamped == hall.clamped),
       "merging two halves equals recording everything into one");
    is_near(hist_mean(&h2), hist_mean(&hall), 1e-6 * hist_mean(&hall), "merged mean agrees");
    is_int(hist_quantile(&h2, 0.99), hist_quantile(&hall, 0.99), "merged p99 agrees");

    hist_reset(&h1);
    hist_record(&h1, -5);
    hist_record(&h1, INT64_C(1) << 50);
    is_int(h1.clamped, 1, "a value above 2^48 is counted as clamped");
    is_int(h1.min, 0, "negative values count as 0");
    is_int(h1.max, INT64_C(1) << 50, "max stays exact for clamped values");
    is_int(h1.buckets[HIST_N_BUCKETS - 1], 1, "clamped value is in the last bucket");
    is_int(hist_quantile(&h1, 0.25), 0, "quantile of the zero");

    hist_reset(&h1);
    hist_record(&h1, 1000003);
    is_int(hist_quantile(&h1, 0.5), 1000003, "a single value: the midpoint is clamped to [min, max]");

    free(x);
    gsl_rng_free(r);
    return tap_done();
}
