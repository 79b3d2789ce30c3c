/*
 * recovery.c - time to recover: the disruptions, and each one's return to the SLO.
 */
#include "models/core/recovery.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/slo_window.h"
#include "models/faults/fis_cfg.h"

static int by_start(const void *a, const void *b)
{
    const recovery_item *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* The disruptions the scenario declares: its faults (not its operations) and its workloads' spikes; n may exceed max. */
static size_t collect(const scenario *sc, recovery_item *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->n_faults; i++) {
        const scn_fault *f = &sc->faults[i];
        recovery_item r = {.start = f->at};
        const char *group = f->asg >= 0 && (size_t)f->asg < sc->n_asgs ? sc->asgs[f->asg].name : "";
        switch (f->kind) {
        case SCN_FAULT_INSTANCE_CRASH: snprintf(r.what, sizeof r.what, "instance_crash %s x%d", group, f->count); break;
        case SCN_FAULT_APP_UNHEALTHY: snprintf(r.what, sizeof r.what, "app_unhealthy %s x%d", group, f->count); break;
        case SCN_FAULT_AZ_OUTAGE: snprintf(r.what, sizeof r.what, "az_outage %s", f->zone); break;
        case SCN_FAULT_FIS: snprintf(r.what, sizeof r.what, "fis %s", f->fis ? f->fis->name : ""); break;
        default: continue; /* operations (set_desired_capacity, instance_refresh) are not disruptions */
        }
        sim_time_t d = f->kind == SCN_FAULT_FIS ? (f->fis ? f->fis->duration : 0) : f->duration;
        if (d > 0 && f->kind != SCN_FAULT_INSTANCE_CRASH) {
            size_t len = strlen(r.what);
            snprintf(r.what + len, sizeof r.what - len, " (%.0f s)", sim_to_sec(d));
        }
        if (n < max)
            out[n] = r;
        n++;
    }
    for (size_t i = 0; i < sc->n_workloads; i++) {
        const scn_workload *wl = &sc->workloads[i];
        if (wl->kind != SCN_ARR_SPIKE)
            continue;
        /* the spike's points: base, the ramp's start, the peak, ...: it starts where the rate first rises */
        for (size_t k = 0; k + 1 < wl->n_points; k++) {
            if (wl->points[k + 1].rps > wl->points[k].rps) {
                recovery_item r = {.start = wl->points[k].at};
                double peak = 0;
                for (size_t j = 0; j < wl->n_points; j++)
                    peak = wl->points[j].rps > peak ? wl->points[j].rps : peak;
                snprintf(r.what, sizeof r.what, "spike %s (to %.0f rps)", wl->name ? wl->name : "", peak);
                if (n < max)
                    out[n] = r;
                n++;
                break;
            }
        }
    }
    return n;
}

size_t recovery_find(const world *w, recovery_item *out, size_t max)
{
    size_t n = collect(world_scenario(w), out, max);
    size_t shown = n < max ? n : max;
    qsort(out, shown, sizeof *out, by_start);
    size_t n_win = 0;
    const stats_window *win = world_windows(w, &n_win);
    for (size_t i = 0; i < shown; i++) {
        recovery_item *r = &out[i];
        sim_time_t next = i + 1 < shown ? out[i + 1].start : world_end_time(w);
        r->outcome = RECOVERY_NOT_JUDGED;
        bool judged = false, violated = false;
        size_t run = 0, run_from = 0;
        for (size_t k = 0; k < n_win; k++) {
            sim_time_t end = k + 1 < n_win ? win[k + 1].start : world_end_time(w);
            if (end <= r->start)
                continue;
            if (!violated && win[k].start >= next && judged)
                break;  /* met up to the next disruption: this one did no harm */
            slo_verdict sv = slo_window_judge(w, k);
            if (!sv.judged)
                continue;
            int v = sv.met;
            judged = true;
            if (!violated) {
                if (v == 0)
                    violated = true, r->violated = 1, run = 0;
                continue;
            }
            if (v == 1) {
                if (run++ == 0)
                    run_from = k;
                if (run == RECOVERY_WINDOWS) {
                    r->outcome = RECOVERY_RECOVERED;
                    r->recovery_s = sim_to_sec(win[run_from].start - r->start);
                    break;
                }
            } else {
                r->violated++;
                run = 0;
            }
        }
        if (r->outcome != RECOVERY_RECOVERED && judged)
            r->outcome = violated ? RECOVERY_NOT_RECOVERED : RECOVERY_UNAFFECTED;
    }
    return n;
}

double recovery_worst_min(const world *w)
{
    recovery_item r[RECOVERY_MAX];
    size_t n = recovery_find(w, r, RECOVERY_MAX);
    double worst = NAN;
    for (size_t i = 0; i < n && i < RECOVERY_MAX; i++) {
        double s = r[i].outcome == RECOVERY_RECOVERED ? r[i].recovery_s
                 : r[i].outcome == RECOVERY_NOT_RECOVERED ? sim_to_sec(world_end_time(w) - r[i].start)
                 : r[i].outcome == RECOVERY_UNAFFECTED ? 0 : NAN;
        if (!isnan(s) && (isnan(worst) || s / 60 > worst))
            worst = s / 60;
    }
    return worst;
}
