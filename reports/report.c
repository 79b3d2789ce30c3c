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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats/cost.h"
#include "stats/events.h"

/* ---------------------------------------------------------------- numbers */

typedef struct numbuf {
    char s[48];
} numbuf;

static numbuf fmt_num(int general, int prec, double v, const char *nonfinite)
{
    numbuf b;
    if (!isfinite(v)) {
        snprintf(b.s, sizeof b.s, "%s", nonfinite);
        return b;
    }
    if (v == 0)
        v = 0; /* no "-0.000" */
    if (general)
        snprintf(b.s, sizeof b.s, "%.*g", prec, v);
    else
        snprintf(b.s, sizeof b.s, "%.*f", prec, v);
    for (char *p = b.s; *p; p++)
        if (*p == ',')
            *p = '.';
    return b;
}

/* Fixed-point, for text and CSV. */
#define FX(v, prec) (fmt_num(0, (prec), (v), "n/a").s)
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

static uint64_t n_errors(const uint64_t *counts)
{
    uint64_t n = 0;
    for (int c = 1; c < STATS_N_CAUSES; c++)
        if (stats_cause_is_error((stats_cause)c)) /* a listener's fixed 2XX or redirect is an answer, not an error */
            n += counts[c];
    return n;
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

static void json_str(FILE *out, const char *s);

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
    const cost_ledger *led = world_ledger(w);

    fprintf(out, "fleetsim: scenario %s (%s)\n", sc->name ? sc->name : "", sc->file ? sc->file : "");
    fprintf(out, "  seed %" PRIu64 ", replication %" PRIu32 ", duration %s s, warmup %s s, %zu windows of %s s\n",
            sim_seed(s), sim_replication(s), FX(sim_to_sec(sc->duration), 3),
            FX(sim_to_sec(sc->report.warmup), 3), n_win, FX(sim_to_sec(sc->report.window), 3));
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
    fprintf(out, "  %-22s %14" PRIu64 " %9s\n", "total", n_errors(sm->errors),
            FX(pct(n_errors(sm->errors), sm->completed), 3));
    fprintf(out, "\n");
    if (sc->report.slo_p99 > 0) {
        int met = sm->errors[STATS_OK] > 0 && sm->p99 <= sim_to_sec(sc->report.slo_p99);
        fprintf(out, "SLO p99 <= %s ms: %s (p99 %s ms)\n", FX(sim_to_sec(sc->report.slo_p99) * 1e3, 3),
                met ? "met" : "MISSED", FX(sm->p99 * 1e3, 3));
    } else {
        fprintf(out, "SLO: none set\n");
    }
    fprintf(out, "CPU utilisation          %14s %%\n", FX(100.0 * sm->cpu_utilisation, 2));
    fprintf(out, "\n");
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
    const events_log *ev = world_events(w);
    size_t n_ev = events_count(ev);
    fprintf(out, "events: %zu\n", n_ev);
    for (size_t i = 0; i < n_ev && i < 15; i++) {
        const events_entry *e = events_at(ev, i);
        fprintf(out, "  %10s s  %-8s %-20s %s\n", FX(sim_to_sec(e->t), 3), e->type, e->resource, e->message);
    }
    if (n_ev > 15)
        fprintf(out, "  ... %zu more in events.jsonl\n", n_ev - 15);
    fprintf(out, "\n");
    fprintf(out, "cost (USD at %s prices, data/prices/%s.csv)\n", world_scenario(w)->region, world_scenario(w)->region);
    for (size_t i = 0; i < led->n; i++)
        fprintf(out, "  %-22s %14s%s\n", led->items[i].item, FX(led->items[i].usd, 4),
                strcmp(led->items[i].item, "alb") == 0 ? "  (ALB-hours; LCU-hours not modelled)" : "");
    fprintf(out, "  %-22s %14s\n", "total", FX(cost_ledger_total(led), 4));
}

/* ---------------------------------------------------------------- JSON */

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_causes(FILE *out, const uint64_t *counts, int with_ok, int n)
{
    fputc('{', out);
    for (int c = with_ok ? 0 : 1, first = 1; c < n; c++, first = 0)
        fprintf(out, "%s\"%s\": %" PRIu64, first ? "" : ", ", stats_cause_name((stats_cause)c), counts[c]);
    fputc('}', out);
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
    const cost_ledger *led = world_ledger(w);

    fprintf(out, "{\n  \"schema\": \"%s\",\n  \"scenario\": ", REPORT_SCHEMA);
    json_str(out, sc->name);
    fprintf(out, ",\n  \"file\": ");
    json_str(out, sc->file);
    fprintf(out, ",\n  \"seed\": %" PRIu64 ",\n  \"replication\": %" PRIu32 ",\n", sim_seed(s), sim_replication(s));
    fprintf(out, "  \"duration_s\": %s,\n", JN(sim_to_sec(sc->duration)));
    fprintf(out, "  \"warmup_s\": %s,\n", JN(sim_to_sec(sc->report.warmup)));
    fprintf(out, "  \"window_s\": %s,\n", JN(sim_to_sec(sc->report.window)));

    fprintf(out, "  \"summary\": {\n");
    fprintf(out, "    \"arrivals\": %" PRIu64 ",\n", sm->arrivals);
    fprintf(out, "    \"completed\": %" PRIu64 ",\n", sm->completed);
    fprintf(out, "    \"ok\": %" PRIu64 ",\n", sm->errors[STATS_OK]);
    fprintf(out, "    \"errors\": %" PRIu64 ",\n", n_errors(sm->errors));
    fprintf(out, "    \"in_flight_at_end\": %" PRIu64 ",\n", sm->in_flight_at_end);
    fprintf(out, "    \"throughput_rps\": %s,\n", JN(sm->throughput));
    fprintf(out, "    \"mean_in_system\": %s,\n", JN(sm->mean_in_system));
    fprintf(out, "    \"cpu_utilisation\": %s,\n", JN(sm->cpu_utilisation));
    if (sc->report.slo_p99 > 0) {
        int met = sm->errors[STATS_OK] > 0 && sm->p99 <= sim_to_sec(sc->report.slo_p99);
        fprintf(out, "    \"slo_p99_s\": %s,\n    \"slo_met\": %s\n", JN(sim_to_sec(sc->report.slo_p99)),
                met ? "true" : "false");
    } else {
        fprintf(out, "    \"slo_p99_s\": null,\n    \"slo_met\": null\n");
    }
    fprintf(out, "  },\n");

    fprintf(out, "  \"latency\": {\"unit\": \"s\", \"count\": %" PRIu64 ", \"mean\": %s, ", h->count,
            JN(sm->mean_latency));
    fprintf(out, "\"p50\": %s, \"p90\": %s, ", JN(sm->p50), JN(sm->p90));
    fprintf(out, "\"p99\": %s, \"p999\": %s, ", JN(sm->p99), JN(sm->p999));
    fprintf(out, "\"max\": %s},\n", JN(sm->max));

    fprintf(out, "  \"errors\": ");
    json_causes(out, sm->errors, 0, n_causes(sc));
    fprintf(out, ",\n");

    const char *series[32];
    size_t n_series = world_series(w, series);
    fprintf(out, "  \"windows\": [");
    for (size_t k = 0; k < n_win; k++) {
        const stats_window *x = &win[k];
        fprintf(out, "%s\n    {\"start_s\": %s, \"arrivals\": %" PRIu64 ", \"completed\": %" PRIu64 ", \"by_cause\": ",
                k ? "," : "", JN(sim_to_sec(x->start)), x->arrivals, x->completed);
        json_causes(out, x->errors, 1, n_causes(sc));
        fprintf(out, ", \"p50\": %s, \"p90\": %s, ", JN(x->p50), JN(x->p90));
        fprintf(out, "\"p99\": %s, \"max\": %s, ", JN(x->p99), JN(x->max));
        fprintf(out, "\"mean_in_system\": %s, \"cpu_utilisation\": %s, \"instances_in_service\": %d",
                JN(x->mean_in_system), JN(x->cpu_utilisation), x->instances_in_service);
        const double *sv = world_series_at(w, k);
        for (size_t i = 0; sv && i < n_series; i++) {
            fprintf(out, ", ");
            json_str(out, series[i]);
            fprintf(out, ": %s", isfinite(sv[i]) ? JN(sv[i]) : "null");
        }
        fputc('}', out);
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
        fprintf(out, ", \"launched_s\": %s, \"terminated_s\": %s, ", JN(sim_to_sec(x->launched)),
                x->terminated < 0 ? "null" : JN(sim_to_sec(x->terminated)));
        fprintf(out, "\"busy_s\": %s, \"cpu_utilisation\": %s, \"served\": %" PRIu64 ", \"cost_usd\": %s}",
                JN(x->busy_seconds), JN(x->cpu_utilisation), x->served, JN(x->cost_usd));
    }
    fprintf(out, "%s],\n", n_inst ? "\n  " : "");

    fprintf(out, "  \"resources\": ");
    print_rows_json(world_rows(w), out);
    fprintf(out, ",\n");
    fprintf(out, "  \"events_count\": %zu,\n", events_count(world_events(w)));

    fprintf(out, "  \"cost\": {\"currency\": \"USD\", \"items\": {");
    for (size_t i = 0; i < led->n; i++) {
        fprintf(out, "%s", i ? ", " : "");
        json_str(out, led->items[i].item);
        fprintf(out, ": %s", JN(led->items[i].usd));
    }
    fprintf(out, "}, \"total\": %s, \"not_modelled\": [\"alb_lcu_hours\"]}\n}\n", JN(cost_ledger_total(led)));
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
    fprintf(out, "start_s,end_s,arrivals,completed");
    for (int c = 0; c < n_causes(sc); c++)
        fprintf(out, ",%s", stats_cause_name((stats_cause)c));
    fprintf(out, ",p50_s,p90_s,p99_s,max_s,mean_in_system,cpu_utilisation,instances_in_service");
    const char *series[32];
    size_t n_series = world_series(w, series);
    for (size_t i = 0; i < n_series; i++)
        fprintf(out, ",%s", series[i]);
    fputc('\n', out);
    for (size_t k = 0; k < n; k++) {
        const stats_window *x = &win[k];
        sim_time_t end = k + 1 < n ? win[k + 1].start : sc->duration;
        fprintf(out, "%s,%s,%" PRIu64 ",%" PRIu64, FX(sim_to_sec(x->start), 3), FX(sim_to_sec(end), 3),
                x->arrivals, x->completed);
        for (int c = 0; c < n_causes(sc); c++)
            fprintf(out, ",%" PRIu64, x->errors[c]);
        fprintf(out, ",%s,%s,%s,%s", FX(x->p50, 6), FX(x->p90, 6), FX(x->p99, 6), FX(x->max, 6));
        fprintf(out, ",%s,%s,%d", FX(x->mean_in_system, 6), FX(x->cpu_utilisation, 6), x->instances_in_service);
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

/* ---------------------------------------------------------------- atomic files */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

typedef int (*writer_fn)(const world *w, FILE *out);

static int write_atomic(const world *w, const char *dir, const char *name, writer_fn fn, char *err, size_t errlen)
{
    size_t n = strlen(dir) + strlen(name) + 16;
    char *tmp = malloc(n), *dst = malloc(n);
    if (!tmp || !dst) {
        free(tmp);
        free(dst);
        set_err(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s/.%s.XXXXXX", dir, name);
    snprintf(dst, n, "%s/%s", dir, name);
    int rc = -1;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        set_err(err, errlen, "%s: cannot create a temporary file: %s", dst, strerror(errno));
        goto out;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        set_err(err, errlen, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    int bad = fn(w, f) != 0;
    int e = errno;
    if (!bad && fflush(f) != 0) {
        bad = 1;
        e = errno;
    }
    if (!bad && fsync(fileno(f)) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, dst) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        set_err(err, errlen, "%s: write failed: %s", dst, e ? strerror(e) : "the world has not run");
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(dst);
    return rc;
}

int report_write_dir(const world *w, const char *dir, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!world_has_run(w)) {
        set_err(err, errlen, "no report: the world has not run");
        return -1;
    }
    if (!dir || !*dir) {
        set_err(err, errlen, "no output directory given");
        return -1;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        set_err(err, errlen, "%s: cannot create the directory: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "%s: not a directory", dir);
        return -1;
    }
    if (write_atomic(w, dir, "report.json", report_write_json, err, errlen) != 0 ||
        write_atomic(w, dir, "windows.csv", report_write_windows_csv, err, errlen) != 0 ||
        write_atomic(w, dir, "events.jsonl", report_write_events_jsonl, err, errlen) != 0)
        return -1;
    /* Make the renames themselves durable; a failure here loses nothing already visible. */
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}
