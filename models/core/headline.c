/*
 * headline.c - one run's comparison figures, read through world.h.
 *
 * The SLO verdict per window follows reports/report.c (the report's "violation
 * minutes"): warm-up windows are not judged; a window that misses the SLO
 * counts its whole width.
 */
#include "models/core/headline.h"

#include <math.h>
#include <string.h>

#include "stats/rows.h"
#include "stats/slo.h"

static const headline_def defs[HEADLINE_N] = {
    [HEADLINE_P99_MS] = {"p99_ms", "p99 (ms)", 1},
    [HEADLINE_ERROR_RATE_PCT] = {"error_rate_pct", "error rate (%)", 3},
    [HEADLINE_SLO_VIOLATION_MIN] = {"slo_violation_min", "SLO violation (min)", 1},
    [HEADLINE_RECOVER_MIN] = {"time_to_recover_min", "time to recover (min)", 1},
    [HEADLINE_COST_USD] = {"cost_usd", "cost ($)", 2},
    [HEADLINE_COST_PER_MREQ_USD] = {"cost_per_million_requests_usd", "cost per 1M requests ($)", 3},
    [HEADLINE_INSTANCE_HOURS] = {"instance_hours", "instance-hours", 1},
    [HEADLINE_KEYS_LEAKED] = {"keys_leaked", "license keys leaked", 1},
};

const headline_def *headline_def_of(headline_id id)
{
    return &defs[id];
}

static uint64_t errors_of(const uint64_t *counts)
{
    uint64_t n = 0;
    for (int c = 1; c < STATS_N_CAUSES; c++)
        if (stats_cause_is_error((stats_cause)c))
            n += counts[c];
    return n;
}

/* SLO violation minutes and the longest stretch of consecutive violating windows (minutes); NaN without an SLO. */
static void slo_figures(const world *w, double *violation_min, double *recover_min)
{
    const scenario *sc = world_scenario(w);
    slo_spec spec = {.set = sc->report.slo || sc->report.slo_p99 > 0, .latency_s = sim_to_sec(sc->report.slo_p99),
                     .error_rate = sc->report.slo_error_rate};
    *violation_min = *recover_min = NAN;
    if (!spec.set)
        return;
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    double total = 0, run = 0, longest = 0;
    for (size_t k = 0; k < n; k++) {
        sim_time_t end = k + 1 < n ? win[k + 1].start : world_end_time(w);
        slo_verdict v = {0};
        if (win[k].start >= sc->report.warmup)
            v = slo_judge(&spec, win[k].arrivals, win[k].completed, errors_of(win[k].errors), win[k].slow);
        if (v.judged && !v.met) {
            double m = sim_to_sec(end - win[k].start) / 60;
            total += m;
            run += m;
            longest = run > longest ? run : longest;
        } else if (v.judged) {
            run = 0;
        }
    }
    *violation_min = total;
    *recover_min = longest;
}

void headline_of(const world *w, double out[HEADLINE_N])
{
    const stats_summary *sm = world_summary(w);
    out[HEADLINE_P99_MS] = sm->p99 * 1e3;
    out[HEADLINE_ERROR_RATE_PCT] = sm->completed ? 100.0 * (double)errors_of(sm->errors) / (double)sm->completed : NAN;
    slo_figures(w, &out[HEADLINE_SLO_VIOLATION_MIN], &out[HEADLINE_RECOVER_MIN]);
    double cost = world_cost_total(w);
    out[HEADLINE_COST_USD] = cost;
    out[HEADLINE_COST_PER_MREQ_USD] = sm->arrivals ? cost / (double)sm->arrivals * 1e6 : NAN;
    size_t ni = 0;
    const world_instance_info *ii = world_instances(w, &ni);
    double hours = 0;
    for (size_t i = 0; i < ni; i++) {
        sim_time_t end = ii[i].terminated >= 0 ? ii[i].terminated : world_end_time(w);
        hours += sim_to_sec(end - ii[i].launched) / 3600;
    }
    out[HEADLINE_INSTANCE_HOURS] = hours;
    /* Any resource that reports `leaks` (a license pool's keys whose owner ended holding them). */
    double leaked = NAN;
    size_t nr = 0;
    const rows *r = world_rows(w);
    const rows_row *rw = r ? rows_all(r, &nr) : NULL;
    for (size_t i = 0; i < nr; i++)
        for (size_t f = 0; f < rw[i].n_fields; f++)
            if (strcmp(rw[i].fields[f].key, "leaks") == 0 && rw[i].fields[f].kind == ROWS_INT)
                leaked = (isnan(leaked) ? 0 : leaked) + (double)rw[i].fields[f].i;
    out[HEADLINE_KEYS_LEAKED] = leaked;
}
