/*
 * headline.c - one run's comparison figures, read through world.h.
 *
 * The SLO figures come from the same place as the report's (slo_window.h,
 * recovery.h), so a comparison's "SLO violation" and "time to recover" are
 * the summary's.
 */
#include "models/core/headline.h"

#include <math.h>
#include <string.h>

#include "stats/rows.h"
#include "models/core/recovery.h"
#include "models/core/slo_window.h"

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

void headline_of(const world *w, double out[HEADLINE_N])
{
    const stats_summary *sm = world_summary(w);
    out[HEADLINE_P99_MS] = sm->p99 * 1e3;
    out[HEADLINE_ERROR_RATE_PCT] = sm->completed ? 100.0 * (double)slo_window_errors(sm->errors) / (double)sm->completed : NAN;
    bool has_slo = slo_window_spec(world_scenario(w)).set;
    out[HEADLINE_SLO_VIOLATION_MIN] = has_slo ? slo_window_violation_min(w) : NAN;
    out[HEADLINE_RECOVER_MIN] = recovery_worst_min(w);
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
