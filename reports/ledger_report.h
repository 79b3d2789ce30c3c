/*
 * ledger_report.h - the cost section of the reports: the text summary's
 * "cost" block and report.json's "cost" object (docs/reports.md "Cost").
 *
 * The ledger itself (what is billed, at what granularity) is stats/cost.h
 * and the models' cost ops; this file only presents it, with the figures
 * derived from it: cost per million requests and the SLO-violation cost.
 *
 * Prefix: ledger_report_.
 */
#ifndef FLEETSIM_LEDGER_REPORT_H
#define FLEETSIM_LEDGER_REPORT_H

#include <stdio.h>

#include "models/core/world.h"

/* USD of the whole ledger per million measured arrivals (after warm-up); NaN when none arrived. */
double ledger_report_per_million(const world *w);


/* USD of the minutes that missed the SLO (slo_window_violation_min) at the scenario's report.slo.violation_cost_per_minute; 0 when unpriced. */
double ledger_report_violation_usd(const world *w);

/* Prints the text summary's cost section: each service and its line items (usage, unit, unit price, USD), the total, cost per 1M requests, and the SLO-violation cost when priced. */
void ledger_report_text(const world *w, FILE *out);

/* Writes report.json's "cost" value (an object; no key, no newline after it). */
void ledger_report_json(const world *w, FILE *out);

#endif /* FLEETSIM_LEDGER_REPORT_H */
