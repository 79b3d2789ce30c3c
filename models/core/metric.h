/*
 * metric.h - one CloudWatch datapoint's raw material, as a model hands it to
 * the metric store: the statistics set of the samples in one period.
 * (AWS: a datapoint is time-stamped at the start of its period;
 * aws-semantics.md 3.1.)
 */
#ifndef FLEETSIM_METRIC_H
#define FLEETSIM_METRIC_H

#include <stdint.h>

#include "stats/histogram.h"

typedef struct cw_sample {
    uint64_t count;      /* SampleCount; 0 = no data (the datapoint is missing, not zero) */
    double sum, min, max;/* in the metric's unit (%, bytes, count, seconds) */
    const hist *dist;    /* optional: the samples' distribution in nanoseconds (TargetResponseTime), for pNN; NULL otherwise */
} cw_sample;

/* Adds one sample value v to s (count, sum, min, max). */
static inline void cw_sample_add(cw_sample *s, double v)
{
    if (s->count == 0 || v < s->min)
        s->min = v;
    if (s->count == 0 || v > s->max)
        s->max = v;
    s->sum += v;
    s->count++;
}

#endif /* FLEETSIM_METRIC_H */
