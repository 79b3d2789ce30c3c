/*
 * slo_window.c - the SLO judged window by window.
 */
#include "models/core/slo_window.h"

slo_spec slo_window_spec(const scenario *sc)
{
    return (slo_spec){.set = sc->report.slo || sc->report.slo_p99 > 0,
                      .latency_s = sim_to_sec(sc->report.slo_p99),
                      .error_rate = sc->report.slo_error_rate};
}

uint64_t slo_window_errors(const uint64_t *counts)
{
    uint64_t n = 0;
    for (int c = 1; c < STATS_N_CAUSES; c++)
        if (stats_cause_is_error((stats_cause)c))
            n += counts[c];
    return n;
}

slo_verdict slo_window_judge(const world *w, size_t k)
{
    const scenario *sc = world_scenario(w);
    size_t n = 0;
    const stats_window *x = &world_windows(w, &n)[k];
    slo_spec spec = slo_window_spec(sc);
    if (x->start < sc->report.warmup)
        spec.set = false;
    return slo_judge(&spec, x->arrivals, x->completed, slo_window_errors(x->errors), x->slow);
}

sim_time_t slo_window_end(const world *w, size_t k)
{
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    return k + 1 < n ? win[k + 1].start : world_end_time(w);
}

double slo_window_violation_min(const world *w)
{
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    double s = 0;
    for (size_t k = 0; k < n; k++) {
        slo_verdict v = slo_window_judge(w, k);
        if (v.judged && !v.met)
            s += sim_to_sec(slo_window_end(w, k) - win[k].start);
    }
    return s / 60.0;
}
