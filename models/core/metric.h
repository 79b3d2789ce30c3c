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

#endif /* FLEETSIM_METRIC_H */
