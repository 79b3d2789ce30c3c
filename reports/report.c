/*
 * report.c - text summary, report.json, windows.csv, atomic writes.
 *
 * Numbers are formatted by snprintf and then any ',' decimal separator is
 * turned into '.', so a program that calls setlocale() still writes the same
 * bytes. NaN and infinities become JSON null ("n/a" in text).
 */
#include "reports/report.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats/cost.h"
#include "stats/events.h"
#include "stats/slo.h"
#include "reports/fileset.h"
#include "reports/infracost.h"
#include "reports/fmt.h"
#include "reports/html.h"
#include "reports/ledger_report.h"
#include "reports/overload.h"
#include "reports/activity.h"
#include "reports/capacity.h"
#include "models/core/recovery.h"
#include "models/core/slo_window.h"

/* ---------------------------------------------------------------- numbers */

/* Fixed-point, for text and CSV. */
#define FX(v, prec) (fmt_num(0, (prec), (v), "n/a").s)
/* CSV: fixed-point, an empty field when not finite (no value is not a 0 that looks like a result). */
#define CX(v) (fmt_num(0, 6, (v), "").s)
/* JSON: 9 significant digits, null when not finite. */
#define JN(v) (fmt_num(1, 9, (v), "null").s)

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* The causes a report lists: the ALB's own answers only for a scenario with listeners (older reports stay as they were). */
static int n_causes(const scenario *sc)
{
    return sc->n_listeners ? STATS_N_CAUSES : STATS_N_TARGET_CAUSES;
}

/* ---------------------------------------------------------------- SLO */

/* What a window row shows beyond stats_window: its end, rates, and the sums over resources' figures. */
typedef struct win_extra {
    sim_time_t end;
    double arrival_rate_rps;  /* arrivals / width */
    double keys_in_use;       /* summed over the license pools' keys_in_use; NaN without a pool */
    double cost_usd_per_hour; /* every ledger item's spend in the window / its width in hours; NaN when not known */
} win_extra;

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

static win_extra win_extra_of(const world *w, const stats_window *win, size_t n, size_t k)
{
    win_extra e = {.end = slo_window_end(w, k), .keys_in_use = NAN, .cost_usd_per_hour = NAN};
    double width = sim_to_sec(e.end - win[k].start);
    e.arrival_rate_rps = width > 0 ? (double)win[k].arrivals / width : NAN;
    const char *series[32];
    size_t n_series = world_series(w, series);
    const double *sv = world_series_at(w, k);
    for (size_t i = 0; sv && i < n_series; i++)
        if (ends_with(series[i], ".keys_in_use") && isfinite(sv[i]))
            e.keys_in_use = (isfinite(e.keys_in_use) ? e.keys_in_use : 0) + sv[i];
    double usd[COST_MAX_ITEMS];
    size_t n_items = world_window_cost(w, k, usd);
    if (n_items > 0 && width > 0) {
        double sum = 0;
        for (size_t i = 0; i < n_items; i++)
            sum += usd[i];
        e.cost_usd_per_hour = sum / (width / 3600);
    }
    return e;
}

typedef struct slo_totals {
    slo_verdict run;
    size_t judged, met;
} slo_totals;

static slo_totals slo_totals_of(const world *w)
{
    const scenario *sc = world_scenario(w);
    const stats_summary *sm = world_summary(w);
    slo_spec spec = slo_window_spec(sc);
    slo_totals t = {.run = slo_judge(&spec, sm->arrivals, sm->completed, slo_window_errors(sm->errors), sm->slow)};
    size_t n = 0;
    world_windows(w, &n);
    for (size_t k = 0; k < n; k++) {
        slo_verdict v = slo_window_judge(w, k);
        t.judged += v.judged;
        t.met += v.judged && v.met;
    }
    return t;
}

static void print_slo_text(const world *w, FILE *out)
{
    const scenario *sc = world_scenario(w);
    slo_spec spec = slo_window_spec(sc);
    if (!spec.set) {
        fprintf(out, "SLO: none set\n");
        return;
    }
    slo_totals t = slo_totals_of(w);
    char lat[64] = "";
    if (spec.latency_s > 0)
        snprintf(lat, sizeof lat, "p99 <= %s ms and ", FX(spec.latency_s * 1e3, 3));
    fprintf(out, "SLO %s: %sat most %s%% errors%s\n", !t.run.judged ? "not judged (no request)" : t.run.met ? "met" : "MISSED",
            lat, FX(spec.error_rate * 100, 3), spec.latency_s > 0 ? ", a failed request counting against both" : "");
    if (spec.latency_s > 0)
        fprintf(out, "  %-22s %14s  %s%% of finished requests answered OK within it (99%% needed)\n", "latency part",
                !t.run.judged ? "-" : t.run.latency_met ? "met" : "missed", FX(t.run.good_share * 100, 3));
    fprintf(out, "  %-22s %14s  %s%% of finished requests failed\n", "error part",
            !t.run.judged ? "-" : t.run.errors_met ? "met" : "missed", FX(t.run.error_rate * 100, 3));
    fprintf(out, "  %-22s %14zu  of %zu windows\n", "windows met", t.met, t.judged);
    fprintf(out, "  %-22s %14s\n", "violation minutes", FX(slo_window_violation_min(w), 3));
}

/* ---------------------------------------------------------------- recovery */

static void print_recovery_text(const world *w, FILE *out)
{
    recovery_item r[RECOVERY_MAX];
    size_t n = recovery_find(w, r, RECOVERY_MAX);
    if (n == 0)
        return;
    fprintf(out, "time to recover (SLO met again for %d windows in a row)\n", RECOVERY_WINDOWS);
    for (size_t i = 0; i < n && i < RECOVERY_MAX; i++) {
        char res[80];
        switch (r[i].outcome) {
        case RECOVERY_NOT_JUDGED: snprintf(res, sizeof res, "not judged (no SLO)"); break;
        case RECOVERY_UNAFFECTED: snprintf(res, sizeof res, "SLO held"); break;
        case RECOVERY_RECOVERED:
            snprintf(res, sizeof res, "%s s (%zu window%s violated)", FX(r[i].recovery_s, 0), r[i].violated,
                     r[i].violated == 1 ? "" : "s");
            break;
        case RECOVERY_NOT_RECOVERED:
            snprintf(res, sizeof res, "not recovered by the end (%zu window%s violated)", r[i].violated,
                     r[i].violated == 1 ? "" : "s");
            break;
        }
        fprintf(out, "  %8s s  %-40.40s %s\n", FX(sim_to_sec(r[i].start), 0), r[i].what, res);
    }
    if (n > RECOVERY_MAX)
        fprintf(out, "  ... %zu more\n", n - RECOVERY_MAX);
}

static void json_str(FILE *out, const char *s);

static const char *const outcome_names[] = {
    [RECOVERY_NOT_JUDGED] = "not_judged", [RECOVERY_UNAFFECTED] = "slo_held",
    [RECOVERY_RECOVERED] = "recovered", [RECOVERY_NOT_RECOVERED] = "not_recovered",
};

static void print_recovery_json(const world *w, FILE *out)
{
    recovery_item r[RECOVERY_MAX];
    size_t n = recovery_find(w, r, RECOVERY_MAX);
    fprintf(out, "[");
    for (size_t i = 0; i < n && i < RECOVERY_MAX; i++) {
        fprintf(out, "%s\n    {\"what\": ", i ? "," : "");
        json_str(out, r[i].what);
        fprintf(out, ", \"start_s\": %s, \"outcome\": \"%s\", \"recovery_s\": %s, \"violated_windows\": %zu}",
                JN(sim_to_sec(r[i].start)), outcome_names[r[i].outcome],
                r[i].outcome == RECOVERY_RECOVERED ? JN(r[i].recovery_s) : "null", r[i].violated);
    }
    fprintf(out, "%s]", n ? "\n  " : "");
}

/* ---------------------------------------------------------------- overload */

#define MAX_FINDINGS 64

static void print_overload_text(const world *w, FILE *out)
{
    overload_finding f[MAX_FINDINGS];
    size_t n = overload_find(w, f, MAX_FINDINGS);
    if (n == 0) {
        fprintf(out, "overload: none (the offered load never exceeded the fleet's capacity for more than a window)\n");
        return;
    }
    fprintf(out, "OVERLOAD: the offered load exceeded the fleet's capacity %zu time%s for more than a window\n", n,
            n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < MAX_FINDINGS; i++) {
        fprintf(out, "  %s s - %s s (%s min): offered %s rps against a capacity of %s rps (%s%%);\n",
                FX(sim_to_sec(f[i].start), 0), FX(sim_to_sec(f[i].end), 0),
                FX(sim_to_sec(f[i].end - f[i].start) / 60, 1), FX(f[i].offered_rps, 1), FX(f[i].capacity_rps, 1),
                FX(100 * f[i].offered_rps / f[i].capacity_rps, 0));
        fprintf(out, "    answered %s rps at %s%% CPU;", FX(f[i].served_rps, 1), FX(f[i].cpu_utilisation * 100, 1));
        fprintf(out, " requests in system %s -> %s (first and last window's mean); %" PRIu64 " refused (502), %" PRIu64
                " clients gave up (460)\n", FX(f[i].in_system_start, 1), FX(f[i].in_system_end, 1), f[i].refused, f[i].gave_up);
    }
    if (n > MAX_FINDINGS)
        fprintf(out, "  ... %zu more\n", n - MAX_FINDINGS);
}

static void print_overload_json(const world *w, FILE *out)
{
    overload_finding f[MAX_FINDINGS];
    size_t n = overload_find(w, f, MAX_FINDINGS);
    if (n > MAX_FINDINGS)
        n = MAX_FINDINGS;
    fprintf(out, "[");
    for (size_t i = 0; i < n; i++) {
        double cap = f[i].capacity_rps;
        fprintf(out, "%s\n    {\"kind\": \"overload\", \"start_s\": %s, \"end_s\": %s, ", i ? "," : "",
                JN(sim_to_sec(f[i].start)), JN(sim_to_sec(f[i].end)));
        fprintf(out, "\"offered_rps\": %s, \"answered_rps\": %s, \"capacity_rps\": %s, \"cpu_utilisation\": %s, ",
                JN(f[i].offered_rps), JN(f[i].served_rps), JN(cap), JN(f[i].cpu_utilisation));
        fprintf(out, "\"in_system_start\": %s, \"in_system_end\": %s, \"refused\": %" PRIu64 ", \"gave_up\": %" PRIu64 "}",
                JN(f[i].in_system_start), JN(f[i].in_system_end), f[i].refused, f[i].gave_up);
    }
    fprintf(out, "%s]", n ? "\n  " : "");
}

/* ---------------------------------------------------------------- resource rows */

/* The text of one field, right-aligned in a column (numbers as FX prints them). */
static void field_text(FILE *out, const rows_field *f, int width)
{
    char buf[64];
    switch (f->kind) {
    case ROWS_NUM: fprintf(out, " %*s", width, FX(f->num, 4)); break;
    case ROWS_INT: snprintf(buf, sizeof buf, "%" PRId64, f->i); fprintf(out, " %*s", width, buf); break;
    case ROWS_STR: fprintf(out, " %*s", width, f->str); break;
    case ROWS_NULL: fprintf(out, " %*s", width, "-"); break;
    }
}

/* True if all[i] is the first row of its type (types print in the order their first row came). */
static bool first_of_type(const rows_row *all, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(all[j].type, all[i].type) == 0)
            return false;
    return true;
}

/* True if rows a and b have the same fields in the same order (one header serves both). */
static bool same_fields(const rows_row *a, const rows_row *b)
{
    if (a->n_fields != b->n_fields)
        return false;
    for (size_t f = 0; f < a->n_fields; f++)
        if (strcmp(a->fields[f].key, b->fields[f].key) != 0)
            return false;
    return true;
}

static int col_width(const rows_field *f) { return strlen(f->key) > 9 ? (int)strlen(f->key) : 9; }

/* Each type's rows as one table; a row whose fields differ from the row above gets its own header. */
static void print_rows_text(const rows *r, FILE *out)
{
    size_t n = 0;
    const rows_row *all = rows_all(r, &n);
    for (size_t i = 0; i < n; i++) {
        if (!first_of_type(all, i))
            continue;
        fprintf(out, "%s\n", all[i].type);
        const rows_row *head = NULL;
        for (size_t j = i; j < n; j++) {
            if (strcmp(all[j].type, all[i].type) != 0)
                continue;
            if (!head || !same_fields(head, &all[j])) {
                head = &all[j];
                fprintf(out, "  %-20s", "name");
                for (size_t f = 0; f < head->n_fields; f++)
                    fprintf(out, " %*s", col_width(&head->fields[f]), head->fields[f].key);
                fprintf(out, "\n");
            }
            fprintf(out, "  %-20s", all[j].name);
            for (size_t f = 0; f < all[j].n_fields; f++)
                field_text(out, &all[j].fields[f], col_width(&all[j].fields[f]));
            fprintf(out, "\n");
        }
        fprintf(out, "\n");
    }
}

/* {"TYPE": [{"name": ..., fields...}, ...], ...}: types in the order of their first row. */
static void print_rows_json(const rows *r, FILE *out)
{
    size_t n = 0;
    const rows_row *all = rows_all(r, &n);
    fputc('{', out);
    bool first_type = true;
    for (size_t i = 0; i < n; i++) {
        if (!first_of_type(all, i))
            continue;
        fprintf(out, "%s\n    ", first_type ? "" : ",");
        first_type = false;
        json_str(out, all[i].type);
        fprintf(out, ": [");
        bool first_row = true;
        for (size_t j = i; j < n; j++) {
            if (strcmp(all[j].type, all[i].type) != 0)
                continue;
            fprintf(out, "%s\n      {\"name\": ", first_row ? "" : ",");
            first_row = false;
            json_str(out, all[j].name);
            for (size_t f = 0; f < all[j].n_fields; f++) {
                const rows_field *x = &all[j].fields[f];
                fprintf(out, ", ");
                json_str(out, x->key);
                switch (x->kind) {
                case ROWS_NUM: fprintf(out, ": %s", JN(x->num)); break;
                case ROWS_INT: fprintf(out, ": %" PRId64, x->i); break;
                case ROWS_STR: fprintf(out, ": "); json_str(out, x->str); break;
                case ROWS_NULL: fprintf(out, ": null"); break;
                }
            }
            fputc('}', out);
        }
        fprintf(out, "\n    ]");
    }
    fprintf(out, "%s}", n ? "\n  " : "");
}

/* ---------------------------------------------------------------- text */

void report_print_text(const world *w, FILE *out)
{
    const scenario *sc = world_scenario(w);
    const sim *s = world_sim(w);
    const stats_summary *sm = world_summary(w);
    size_t n_inst = 0, n_win = 0;
    const world_instance_info *inst = world_instances(w, &n_inst);
    world_windows(w, &n_win);

    fprintf(out, "fleetsim: scenario %s (%s)\n", sc->name ? sc->name : "", sc->file ? sc->file : "");
    fprintf(out, "  seed %" PRIu64 ", replication %" PRIu32 ", duration %s s, warmup %s s, %zu windows of %s s\n",
            sim_seed(s), sim_replication(s), FX(sim_to_sec(sc->duration), 3),
            FX(sim_to_sec(sc->report.warmup), 3), n_win, FX(sim_to_sec(sc->report.window), 3));
    if (world_partial(w))
        fprintf(out, "  PARTIAL: the run stopped at simulated time %s s of %s s; every figure covers [0, %s s)\n",
                FX(sim_to_sec(world_end_time(w)), 3), FX(sim_to_sec(sc->duration), 3),
                FX(sim_to_sec(world_end_time(w)), 3));
    fprintf(out, "\n");
    fprintf(out, "requests (arrived after warmup)\n");
    fprintf(out, "  %-22s %14" PRIu64 "\n", "arrivals", sm->arrivals);
    fprintf(out, "  %-22s %14" PRIu64 "\n", "completed", sm->completed);
    fprintf(out, "  %-22s %14" PRIu64 "\n", "successful", sm->errors[STATS_OK]);
    fprintf(out, "  %-22s %14" PRIu64 "\n", "in flight at end", sm->in_flight_at_end);
    fprintf(out, "  %-22s %14s req/s\n", "throughput", FX(sm->throughput, 3));
    fprintf(out, "  %-22s %14s\n", "mean in system", FX(sm->mean_in_system, 3));
    fprintf(out, "\n");
    fprintf(out, "latency of successful requests (ms)\n");
    fprintf(out, "  %-22s %14s\n", "mean", FX(sm->mean_latency * 1e3, 3));
    fprintf(out, "  %-22s %14s\n", "p50", FX(sm->p50 * 1e3, 3));
    fprintf(out, "  %-22s %14s\n", "p90", FX(sm->p90 * 1e3, 3));
    fprintf(out, "  %-22s %14s\n", "p99", FX(sm->p99 * 1e3, 3));
    fprintf(out, "  %-22s %14s\n", "p99.9", FX(sm->p999 * 1e3, 3));
    fprintf(out, "  %-22s %14s\n", "max", FX(sm->max * 1e3, 3));
    fprintf(out, "\n");
    fprintf(out, "errors                   %14s %9s\n", "count", "%");
    for (int c = 1; c < n_causes(sc); c++)
        fprintf(out, "  %-22s %14" PRIu64 " %9s\n", stats_cause_name((stats_cause)c), sm->errors[c],
                FX(pct(sm->errors[c], sm->completed), 3));
    fprintf(out, "  %-22s %14" PRIu64 " %9s\n", "total", slo_window_errors(sm->errors),
            FX(pct(slo_window_errors(sm->errors), sm->completed), 3));
    fprintf(out, "\n");
    print_slo_text(w, out);
    print_recovery_text(w, out);
    print_overload_text(w, out);
    fprintf(out, "CPU utilisation          %14s %%\n", FX(100.0 * sm->cpu_utilisation, 2));
    fprintf(out, "\n");
    capacity_print_text(w, out);
    fprintf(out, "instances: %zu\n", n_inst);
    if (n_inst) {
        fprintf(out, "  %-28s %-12s %-12s %12s %8s %10s\n", "id", "type", "az", "served", "cpu %", "cost $");
        size_t shown = n_inst <= 40 ? n_inst : 32;
        for (size_t k = 0; k < shown; k++)
            fprintf(out, "  %-28s %-12s %-12s %12" PRIu64 " %8s %10s\n", inst[k].id, inst[k].itype, inst[k].az,
                    inst[k].served, FX(100.0 * inst[k].cpu_utilisation, 2), FX(inst[k].cost_usd, 4));
        if (shown < n_inst)
            fprintf(out, "  ... %zu more (all in report.json)\n", n_inst - shown);
    }
    fprintf(out, "\n");
    print_rows_text(world_rows(w), out);
    capacity_print_licenses(w, out);
    activity_print_scaling(w, out);
    activity_print_alarms(w, out);
    activity_print_notifications(w, out);
    activity_print_key_events(w, out);
    ledger_report_text(w, out);
}

/* ---------------------------------------------------------------- JSON */

static void json_str(FILE *out, const char *s) { fmt_json_str(out, s); }

static void json_causes(FILE *out, const uint64_t *counts, int with_ok, int n)
{
    fputc('{', out);
    for (int c = with_ok ? 0 : 1, first = 1; c < n; c++, first = 0)
        fprintf(out, "%s\"%s\": %" PRIu64, first ? "" : ", ", stats_cause_name((stats_cause)c), counts[c]);
    fputc('}', out);
}

static const char *jbool(bool judged, bool v) { return !judged ? "null" : v ? "true" : "false"; }

static void print_slo_json(const world *w, FILE *out)
{
    slo_spec spec = slo_window_spec(world_scenario(w));
    if (!spec.set) {
        fprintf(out, "null");
        return;
    }
    slo_totals t = slo_totals_of(w);
    fprintf(out, "{\"p99_s\": %s, \"error_rate\": %s, ", spec.latency_s > 0 ? JN(spec.latency_s) : "null",
            JN(spec.error_rate));
    fprintf(out, "\"met\": %s, \"latency_met\": %s, \"errors_met\": %s, ", jbool(t.run.judged, t.run.met),
            jbool(t.run.judged && spec.latency_s > 0, t.run.latency_met), jbool(t.run.judged, t.run.errors_met));
    fprintf(out, "\"observed_error_rate\": %s, \"good_share\": %s, ", JN(t.run.error_rate), JN(t.run.good_share));
    fprintf(out, "\"windows_judged\": %zu, \"windows_met\": %zu, \"violation_minutes\": %s}", t.judged, t.met,
            JN(slo_window_violation_min(w)));
}

int report_write_json(const world *w, FILE *out)
{
    if (!world_has_run(w))
        return -1;
    const scenario *sc = world_scenario(w);
    const sim *s = world_sim(w);
    const stats_summary *sm = world_summary(w);
    const hist *h = world_latency(w);
    size_t n_inst = 0, n_win = 0;
    const world_instance_info *inst = world_instances(w, &n_inst);
    const stats_window *win = world_windows(w, &n_win);

    fprintf(out, "{\n  \"schema\": \"%s\",\n  \"scenario\": ", REPORT_SCHEMA);
    json_str(out, sc->name);
    fprintf(out, ",\n  \"file\": ");
    json_str(out, sc->file);
    fprintf(out, ",\n  \"seed\": %" PRIu64 ",\n  \"replication\": %" PRIu32 ",\n", sim_seed(s), sim_replication(s));
    fprintf(out, "  \"duration_s\": %s,\n", JN(sim_to_sec(sc->duration)));
    fprintf(out, "  \"partial\": %s,\n", world_partial(w) ? "true" : "false");
    fprintf(out, "  \"simulated_s\": %s,\n", JN(sim_to_sec(world_end_time(w))));
    fprintf(out, "  \"warmup_s\": %s,\n", JN(sim_to_sec(sc->report.warmup)));
    fprintf(out, "  \"window_s\": %s,\n", JN(sim_to_sec(sc->report.window)));

    fprintf(out, "  \"summary\": {\n");
    fprintf(out, "    \"arrivals\": %" PRIu64 ",\n", sm->arrivals);
    fprintf(out, "    \"completed\": %" PRIu64 ",\n", sm->completed);
    fprintf(out, "    \"ok\": %" PRIu64 ",\n", sm->errors[STATS_OK]);
    fprintf(out, "    \"errors\": %" PRIu64 ",\n", slo_window_errors(sm->errors));
    fprintf(out, "    \"in_flight_at_end\": %" PRIu64 ",\n", sm->in_flight_at_end);
    fprintf(out, "    \"throughput_rps\": %s,\n", JN(sm->throughput));
    fprintf(out, "    \"mean_requests_in_system\": %s,\n", JN(sm->mean_in_system));
    fprintf(out, "    \"cpu_utilisation\": %s,\n", JN(sm->cpu_utilisation));
    fprintf(out, "    \"slo\": ");
    print_slo_json(w, out);
    fprintf(out, "\n  },\n");

    fprintf(out, "  \"latency\": {\"count\": %" PRIu64 ", \"mean_s\": %s, ", h->count, JN(sm->mean_latency));
    fprintf(out, "\"p50_s\": %s, \"p90_s\": %s, ", JN(sm->p50), JN(sm->p90));
    fprintf(out, "\"p99_s\": %s, \"p999_s\": %s, ", JN(sm->p99), JN(sm->p999));
    fprintf(out, "\"max_s\": %s},\n", JN(sm->max));

    fprintf(out, "  \"errors\": ");
    json_causes(out, sm->errors, 0, n_causes(sc));
    fprintf(out, ",\n");
    fprintf(out, "  \"findings\": ");
    print_overload_json(w, out);
    fprintf(out, ",\n  \"recovery\": ");
    print_recovery_json(w, out);
    fprintf(out, ",\n");

    const char *series[32];
    size_t n_series = world_series(w, series);
    fprintf(out, "  \"windows\": [");
    for (size_t k = 0; k < n_win; k++) {
        const stats_window *x = &win[k];
        win_extra e = win_extra_of(w, win, n_win, k);
        fprintf(out, "%s\n    {\"start_s\": %s, \"end_s\": %s, \"arrivals\": %" PRIu64 ", \"arrival_rate_rps\": %s, ",
                k ? "," : "", JN(sim_to_sec(x->start)), JN(sim_to_sec(e.end)), x->arrivals, JN(e.arrival_rate_rps));
        fprintf(out, "\"completed\": %" PRIu64 ", \"by_cause\": ", x->completed);
        json_causes(out, x->errors, 1, n_causes(sc));
        fprintf(out, ", \"p50_s\": %s, \"p90_s\": %s, ", JN(x->p50), JN(x->p90));
        fprintf(out, "\"p99_s\": %s, \"max_s\": %s, ", JN(x->p99), JN(x->max));
        fprintf(out, "\"mean_requests_in_system\": %s, \"cpu_utilisation\": %s, ", JN(x->mean_in_system),
                JN(x->cpu_utilisation));
        fprintf(out, "\"instances_in_service\": %d, \"instances_pending\": %d, \"instances_draining\": %d, "
                "\"desired_capacity\": %d", x->fleet.in_service, x->fleet.pending, x->fleet.draining, x->fleet.desired);
        slo_verdict v = slo_window_judge(w, k);
        fprintf(out, ", \"error_rate\": %s, \"slo_good_share\": %s, \"slo_met\": %s",
                JN(x->completed ? (double)slo_window_errors(x->errors) / (double)x->completed : NAN), JN(v.good_share),
                jbool(v.judged, v.met));
        fprintf(out, ", \"keys_in_use\": %s, \"cost_usd_per_hour\": %s, \"series\": {",
                isfinite(e.keys_in_use) ? JN(e.keys_in_use) : "null", isfinite(e.cost_usd_per_hour) ? JN(e.cost_usd_per_hour) : "null");
        const double *sv = world_series_at(w, k);
        for (size_t i = 0; sv && i < n_series; i++) {
            fprintf(out, "%s", i ? ", " : "");
            json_str(out, series[i]);
            fprintf(out, ": %s", isfinite(sv[i]) ? JN(sv[i]) : "null");
        }
        fprintf(out, "}}");
    }
    fprintf(out, "%s],\n", n_win ? "\n  " : "");

    fprintf(out, "  \"instances\": [");
    for (size_t k = 0; k < n_inst; k++) {
        const world_instance_info *x = &inst[k];
        fprintf(out, "%s\n    {\"id\": ", k ? "," : "");
        json_str(out, x->id);
        fprintf(out, ", \"type\": ");
        json_str(out, x->itype);
        fprintf(out, ", \"az\": ");
        json_str(out, x->az);
        fprintf(out, ", \"launched_s\": %s, \"running_s\": %s, \"terminated_s\": %s, ", JN(sim_to_sec(x->launched)),
                JN(sim_to_sec(x->running)), x->terminated < 0 ? "null" : JN(sim_to_sec(x->terminated)));
        fprintf(out, "\"busy_vcpu_s\": %s, \"cpu_utilisation\": %s, \"requests_served\": %" PRIu64 ", \"cost_usd\": %s}",
                JN(x->busy_seconds), JN(x->cpu_utilisation), x->served, JN(x->cost_usd));
    }
    fprintf(out, "%s],\n", n_inst ? "\n  " : "");

    fprintf(out, "  \"resources\": ");
    print_rows_json(world_rows(w), out);
    fprintf(out, ",\n");
    fprintf(out, "  \"events_count\": %zu,\n", events_count(world_events(w)));

    fprintf(out, "  \"cost\": ");
    ledger_report_json(w, out);
    fprintf(out, "\n}\n");
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- CSV */

int report_write_windows_csv(const world *w, FILE *out)
{
    if (!world_has_run(w))
        return -1;
    const scenario *sc = world_scenario(w);
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    fprintf(out, "start_s,end_s,arrivals,arrival_rate_rps,completed");
    for (int c = 0; c < n_causes(sc); c++)
        fprintf(out, ",%s", stats_cause_name((stats_cause)c));
    fprintf(out, ",p50_s,p90_s,p99_s,max_s,mean_requests_in_system,cpu_utilisation");
    fprintf(out, ",instances_in_service,instances_pending,instances_draining,desired_capacity");
    fprintf(out, ",error_rate,slo_good_share,slo_met,keys_in_use,cost_usd_per_hour");
    const char *series[32];
    size_t n_series = world_series(w, series);
    for (size_t i = 0; i < n_series; i++)
        fprintf(out, ",%s", series[i]);
    fputc('\n', out);
    for (size_t k = 0; k < n; k++) {
        const stats_window *x = &win[k];
        win_extra e = win_extra_of(w, win, n, k);
        fprintf(out, "%s,%s,%" PRIu64 ",%s,%" PRIu64, FX(sim_to_sec(x->start), 3), FX(sim_to_sec(e.end), 3),
                x->arrivals, CX(e.arrival_rate_rps), x->completed);
        for (int c = 0; c < n_causes(sc); c++)
            fprintf(out, ",%" PRIu64, x->errors[c]);
        fprintf(out, ",%s,%s,%s,%s", CX(x->p50), CX(x->p90), CX(x->p99), CX(x->max));
        fprintf(out, ",%s,%s", FX(x->mean_in_system, 6), FX(x->cpu_utilisation, 6));
        fprintf(out, ",%d,%d,%d,%d", x->fleet.in_service, x->fleet.pending, x->fleet.draining, x->fleet.desired);
        slo_verdict v = slo_window_judge(w, k);
        fprintf(out, ",%s,%s,%s", CX(x->completed ? (double)slo_window_errors(x->errors) / (double)x->completed : NAN),
                CX(v.good_share), !v.judged ? "" : v.met ? "1" : "0");
        fprintf(out, ",%s,%s", CX(e.keys_in_use), CX(e.cost_usd_per_hour));
        const double *sv = world_series_at(w, k);
        for (size_t i = 0; i < n_series; i++)
            fprintf(out, ",%s", sv && isfinite(sv[i]) ? FX(sv[i], 6) : "");
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- events */

int report_write_events_jsonl(const world *w, FILE *out)
{
    if (!world_has_run(w))
        return -1;
    return events_write_jsonl(world_events(w), out);
}

/* ---------------------------------------------------------------- the report set */

/* The set is written by fileset.c: a new generation swapped in with one rename (docs/cli.md "How --out is written"). */

typedef int (*writer_fn)(const world *w, FILE *out);

static const struct {
    const char *name;
    writer_fn fn;
} set_files[] = {
    {"events.jsonl", report_write_events_jsonl},
    {"windows.csv", report_write_windows_csv},
    {"infracost-usage.yml", infracost_write_usage},
    {"report.html", html_write_report},
    {"report.json", report_write_json},
};
#define N_SET_FILES (sizeof set_files / sizeof set_files[0])

size_t report_set_names(const char *names[REPORT_MAX_FILES])
{
    size_t n = 0;
    for (; n < N_SET_FILES && n < REPORT_MAX_FILES; n++)
        names[n] = set_files[n].name;
    return n;
}

static int set_writer(void *ctx, size_t k, FILE *out)
{
    return set_files[k].fn((const world *)ctx, out);
}

int report_prepare_dir(const char *dir, char *err, size_t errlen)
{
    return fset_prepare_dir(dir, err, errlen);
}

int report_write_dir(const world *w, const char *dir, char *err, size_t errlen)
{
    if (!world_has_run(w)) {
        if (err && errlen)
            snprintf(err, errlen, "no report: the world has not run");
        return -1;
    }
    const char *names[REPORT_MAX_FILES];
    size_t n = report_set_names(names);
    return fset_write(dir, names, n, set_writer, (void *)(uintptr_t)w, err, errlen);
}
