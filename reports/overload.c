/*
 * overload.c - overloaded stretches from the report windows (overload.h).
 * The thresholds leave room for noise: a fleet at 90% CPU with Poisson
 * arrivals has windows where arrivals beat completions by a few percent
 * while it keeps up, and never sustains 95% CPU.
 */
#include "reports/overload.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "models/ec2/instance_type.h"

#define SATURATED_CPU 0.95
#define BACKLOG_RATIO 1.05

/* Requests the fleet answered in window x: everything finished but client give-ups, "no target" 503s and
 * 502s (refused by a full accept backlog, or lost with an instance). */
static uint64_t answered(const stats_window *x)
{
    return x->completed - x->errors[STATS_460_CLIENT_TIMEOUT] - x->errors[STATS_503_NO_TARGET] -
           x->errors[STATS_502_RESET];
}

/* vCPUs x speed of an instance type, from the scenario's overrides or the region's catalog; 0 if unknown. */
static double type_power(const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_itypes; i++)
        if (strcmp(sc->itypes[i].name, name) == 0)
            return sc->itypes[i].vcpus * sc->itypes[i].speed;
    const scn_itype *t = itype_catalog_find_in(sc->region, name);
    return t ? t->vcpus * t->speed : 0;
}

/* The fleet's mean work capacity over [a, b): speed-weighted vCPUs of the instances alive then. */
static double fleet_power(const world *w, sim_time_t a, sim_time_t b)
{
    size_t n = 0;
    const world_instance_info *in = world_instances(w, &n);
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        sim_time_t lo = in[k].running > a ? in[k].running : a;
        sim_time_t hi = in[k].terminated >= 0 && in[k].terminated < b ? in[k].terminated : b;
        if (hi > lo)
            sum += type_power(world_scenario(w), in[k].itype) * (double)(hi - lo);
    }
    return b > a ? sum / (double)(b - a) : 0;
}

/* Mean work of one request, seconds on one vCPU of speed 1: the workloads' service times, weighted by their Poisson rate where they have one. */
static double mean_work(const scenario *sc)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < sc->n_workloads; i++) {
        double m = sim_dist_mean(&sc->workloads[i].service_time), wt = sc->workloads[i].rps > 0 ? sc->workloads[i].rps : 1;
        if (isfinite(m) && m > 0) {
            num += wt * m;
            den += wt;
        }
    }
    return den > 0 ? num / den : NAN;
}

static bool overloaded(const stats_window *x)
{
    return x->cpu_utilisation >= SATURATED_CPU && (double)x->arrivals > BACKLOG_RATIO * (double)answered(x);
}

size_t overload_find(const world *w, overload_finding *out, size_t max)
{
    size_t n = 0, found = 0;
    const stats_window *win = world_windows(w, &n);
    for (size_t k = 0; k < n;) {
        if (!overloaded(&win[k])) {
            k++;
            continue;
        }
        size_t j = k;
        while (j < n && overloaded(&win[j]))
            j++;
        if (j - k >= 2) {
            if (found < max) {
                overload_finding *f = &out[found];
                f->start = win[k].start;
                f->end = j < n ? win[j].start : world_end_time(w);
                double len = sim_to_sec(f->end - f->start);
                uint64_t arr = 0, ans = 0, gave = 0, refused = 0;
                double cpu = 0;
                for (size_t i = k; i < j; i++) {
                    arr += win[i].arrivals;
                    ans += answered(&win[i]);
                    gave += win[i].errors[STATS_460_CLIENT_TIMEOUT];
                    refused += win[i].errors[STATS_502_RESET];
                    cpu += win[i].cpu_utilisation;
                }
                f->offered_rps = len > 0 ? (double)arr / len : 0;
                f->served_rps = len > 0 ? (double)ans / len : 0;
                f->cpu_utilisation = cpu / (double)(j - k);
                f->in_system_start = win[k].mean_in_system;
                f->in_system_end = win[j - 1].mean_in_system;
                f->gave_up = gave;
                f->refused = refused;
                /* What the fleet could serve if all its work went to requests someone still waits for. */
                f->capacity_rps = fleet_power(w, f->start, f->end) / mean_work(world_scenario(w));
            }
            found++;
        }
        k = j;
    }
    return found;
}
