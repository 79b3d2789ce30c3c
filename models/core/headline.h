/*
 * headline.h - the figures a comparison reports for one finished run: p99,
 * error rate, SLO violation minutes, time to recover, cost, cost per million
 * requests, instance-hours and license keys leaked (docs/compare.md defines
 * each). A figure that does not apply to the run (no SLO, no license pool, no
 * successful request) is NaN, printed "n/a".
 *
 * Prefix: headline_.
 */
#ifndef FLEETSIM_HEADLINE_H
#define FLEETSIM_HEADLINE_H

#include "models/core/world.h"

typedef enum headline_id {
    HEADLINE_P99_MS,
    HEADLINE_ERROR_RATE_PCT,
    HEADLINE_SLO_VIOLATION_MIN,
    HEADLINE_RECOVER_MIN,
    HEADLINE_COST_USD,
    HEADLINE_COST_PER_MREQ_USD,
    HEADLINE_INSTANCE_HOURS,
    HEADLINE_KEYS_LEAKED,
    HEADLINE_N
} headline_id;

/* How a figure is named and printed. */
typedef struct headline_def {
    const char *key;    /* snake_case with its unit: JSON and CSV ("p99_ms") */
    const char *label;  /* the text table's row ("p99 (ms)") */
    int prec;           /* decimals in the text table */
} headline_def;

/* The row of figure id. */
const headline_def *headline_def_of(headline_id id);

/* After world_run: every figure of the run into out[HEADLINE_N]. */
void headline_of(const world *w, double out[HEADLINE_N]);

#endif /* FLEETSIM_HEADLINE_H */
