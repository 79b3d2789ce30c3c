/*
 * compare.c - the comparison table in four forms.
 *
 * Every cell is computed by cell_of / diff_of from the batch's per-replication
 * figures (stats/ci.h); the writers only format. Numbers go through
 * reports/fmt.h, which turns a locale's ',' into '.'.
 */
#include "reports/compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reports/fileset.h"
#include "reports/fmt.h"
#include "stats/ci.h"

#define JN(v) (fmt_num(1, 9, (v), "null").s)
#define CN(v) (fmt_num(1, 9, (v), "").s)

/* The figure f of variant v over its replications (NaN for a job not run). */
static void values_of(const batch *b, size_t v, headline_id f, double *x)
{
    for (size_t r = 0; r < batch_n_replications(b); r++) {
        const double *fig = batch_figures(b, v, r);
        x[r] = fig ? fig[f] : NAN;
    }
}

static ci cell_of(const batch *b, size_t v, headline_id f, double *x)
{
    values_of(b, v, f, x);
    return ci_of(x, batch_n_replications(b), COMPARE_LEVEL);
}

/* Variant v minus the base, paired by replication. */
static ci diff_of(const batch *b, size_t v, headline_id f, double *x, double *y)
{
    values_of(b, v, f, x);
    values_of(b, 0, f, y);
    return ci_paired(x, y, batch_n_replications(b), COMPARE_LEVEL);
}

/* "12.3 ± 0.4", "12.3" (no interval), "n/a"; sign: a leading '+' on positive means (differences). */
static void cell_text(char *buf, size_t size, const ci *c, int prec, bool sign, bool mark)
{
    if (c->n == 0) {
        snprintf(buf, size, "n/a");
        return;
    }
    numbuf m = fmt_num(0, prec, c->mean, "n/a");
    const char *plus = sign && c->mean > 0 && strcmp(m.s, fmt_num(0, prec, 0, "").s) != 0 ? "+" : "";
    if (isfinite(c->half))
        snprintf(buf, size, "%s%s ± %s%s", plus, m.s, fmt_num(0, prec, c->half, "n/a").s,
                 mark && ci_significant(c) ? " *" : "");
    else
        snprintf(buf, size, "%s%s", plus, m.s);
}

/* Display width of a UTF-8 string (the ± is two bytes, one column). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void pad(FILE *out, const char *s, int w)
{
    fprintf(out, "%*s%s", w - width(s) > 0 ? w - width(s) : 0, "", s);
}

enum { LABEL_W = 26, COL_W = 20 };

void compare_print_text(const batch *b, FILE *out)
{
    const scenario *sc = batch_variant(b, 0);
    size_t nv = batch_n_variants(b), nr = batch_n_replications(b);
    double *x = malloc(2 * nr * sizeof *x);
    if (!x) {
        fprintf(out, "comparison: out of memory\n");
        return;
    }
    fprintf(out, "comparison: scenario %s (%s)\n", sc->name, sc->file);
    fprintf(out, "  seed %llu, %zu replication%s each", (unsigned long long)sc->seed, nr, nr == 1 ? "" : "s");
    if (nr < 2)
        fprintf(out, " (n=1, no interval)\n");
    else
        fprintf(out, ", mean ± half-width of the 95%% confidence interval (Student t, %zu df)\n", nr - 1);
    for (size_t v = 0; v < nv; v++)
        if (batch_partial(b, v))
            fprintf(out, "  %s: stopped early, its figures cover the time reached (partial)\n", batch_variant_name(b, v));
    fprintf(out, "\n%-*s", LABEL_W, "");
    for (size_t v = 0; v < nv; v++)
        pad(out, batch_variant_name(b, v), COL_W);
    fputc('\n', out);
    char cell[128];
    for (int f = 0; f < HEADLINE_N; f++) {
        const headline_def *d = headline_def_of((headline_id)f);
        fprintf(out, "%-*s", LABEL_W, d->label);
        for (size_t v = 0; v < nv; v++) {
            ci c = cell_of(b, v, (headline_id)f, x);
            cell_text(cell, sizeof cell, &c, d->prec, false, false);
            pad(out, cell, COL_W);
        }
        fputc('\n', out);
    }
    fprintf(out, "%-*s", LABEL_W, "pooled p99 (ms)");
    for (size_t v = 0; v < nv; v++) {
        const hist *h = batch_latency(b, v);
        pad(out, fmt_num(0, 1, h->count ? (double)hist_quantile(h, 0.99) / 1e6 : NAN, "n/a").s, COL_W);
    }
    fputc('\n', out);
    if (nv > 1) {
        fprintf(out, "\ndifference from base, paired by replication%s\n",
                nr < 2 ? " (n=1, no interval)" : " (* significant: the 95% interval excludes 0)");
        for (int f = 0; f < HEADLINE_N; f++) {
            const headline_def *d = headline_def_of((headline_id)f);
            fprintf(out, "%-*s", LABEL_W, d->label);
            pad(out, "-", COL_W);
            for (size_t v = 1; v < nv; v++) {
                ci c = diff_of(b, v, (headline_id)f, x, x + nr);
                cell_text(cell, sizeof cell, &c, d->prec, true, true);
                pad(out, cell, COL_W);
            }
            fputc('\n', out);
        }
    }
    free(x);
}

static void json_ci(FILE *out, const ci *c)
{
    fprintf(out, "{\"n\": %zu, \"mean\": %s, ", c->n, JN(c->mean));
    fprintf(out, "\"sd\": %s, ", JN(c->sd));
    fprintf(out, "\"half_width\": %s", JN(c->half));
}

int compare_write_json(const batch *b, FILE *out)
{
    const scenario *sc = batch_variant(b, 0);
    size_t nv = batch_n_variants(b), nr = batch_n_replications(b);
    double *x = malloc(2 * nr * sizeof *x);
    if (!x)
        return -1;
    fprintf(out, "{\n  \"schema\": \"%s\",\n  \"scenario\": ", COMPARE_SCHEMA);
    fmt_json_str(out, sc->name);
    fprintf(out, ",\n  \"seed\": %llu,\n  \"replications\": %zu,\n  \"level\": %s,\n  \"variants\": [",
            (unsigned long long)sc->seed, nr, JN(COMPARE_LEVEL));
    for (size_t v = 0; v < nv; v++) {
        const scenario *vs = batch_variant(b, v);
        fprintf(out, "%s\n    {\"name\": ", v ? "," : "");
        fmt_json_str(out, batch_variant_name(b, v));
        fprintf(out, ", \"description\": ");
        fmt_json_str(out, vs->variant_description);
        fprintf(out, ", \"partial\": %s,\n     \"figures\": {", batch_partial(b, v) ? "true" : "false");
        for (int f = 0; f < HEADLINE_N; f++) {
            ci c = cell_of(b, v, (headline_id)f, x);
            fprintf(out, "%s\n       \"%s\": ", f ? "," : "", headline_def_of((headline_id)f)->key);
            json_ci(out, &c);
            fprintf(out, ", \"values\": [");
            for (size_t r = 0; r < nr; r++)
                fprintf(out, "%s%s", r ? ", " : "", JN(x[r]));
            fprintf(out, "]}");
        }
        fprintf(out, "}");
        if (v > 0) {
            fprintf(out, ",\n     \"difference_from_base\": {");
            for (int f = 0; f < HEADLINE_N; f++) {
                ci c = diff_of(b, v, (headline_id)f, x, x + nr);
                fprintf(out, "%s\n       \"%s\": ", f ? "," : "", headline_def_of((headline_id)f)->key);
                json_ci(out, &c);
                fprintf(out, ", \"significant\": %s}", ci_significant(&c) ? "true" : "false");
            }
            fprintf(out, "}");
        }
        const hist *h = batch_latency(b, v);
        fprintf(out, ",\n     \"pooled_latency_ms\": {\"count\": %llu, \"p50\": %s, ",
                (unsigned long long)h->count, JN(h->count ? (double)hist_quantile(h, 0.5) / 1e6 : NAN));
        fprintf(out, "\"p99\": %s, ", JN(h->count ? (double)hist_quantile(h, 0.99) / 1e6 : NAN));
        fprintf(out, "\"p999\": %s},\n     \"cost_usd_total\": {", JN(h->count ? (double)hist_quantile(h, 0.999) / 1e6 : NAN));
        const cost_ledger *l = batch_ledger(b, v);
        for (size_t i = 0; i < l->n; i++) {
            fprintf(out, "%s", i ? ", " : "");
            fmt_json_str(out, l->items[i].item);
            fprintf(out, ": %s", JN(l->items[i].usd));
        }
        fprintf(out, "}}");
    }
    fprintf(out, "\n  ]\n}\n");
    free(x);
    return ferror(out) ? -1 : 0;
}

/* CSV field: names hold no ',' or '"' (the loader's rule for variant names), so none needs quoting. */
int compare_write_csv(const batch *b, FILE *out)
{
    size_t nv = batch_n_variants(b), nr = batch_n_replications(b);
    double *x = malloc(2 * nr * sizeof *x);
    if (!x)
        return -1;
    fprintf(out, "row");
    for (size_t v = 0; v < nv; v++)
        fprintf(out, ",%s", batch_variant_name(b, v));
    fputc('\n', out);
    static const char *const parts[] = {"mean", "half_width", "diff_mean", "diff_half_width", "diff_significant"};
    for (int f = 0; f < HEADLINE_N; f++)
        for (size_t p = 0; p < 5; p++) {
            fprintf(out, "%s.%s", headline_def_of((headline_id)f)->key, parts[p]);
            for (size_t v = 0; v < nv; v++) {
                ci c = p < 2 ? cell_of(b, v, (headline_id)f, x) : diff_of(b, v, (headline_id)f, x, x + nr);
                if (p >= 2 && v == 0)
                    fprintf(out, ",");
                else if (p == 0 || p == 2)
                    fprintf(out, ",%s", CN(c.mean));
                else if (p == 1 || p == 3)
                    fprintf(out, ",%s", CN(c.half));
                else
                    fprintf(out, ",%d", ci_significant(&c) ? 1 : 0);
            }
            fputc('\n', out);
        }
    free(x);
    return ferror(out) ? -1 : 0;
}

static void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '"')
            fputs("&quot;", out);
        else
            fputc(*s, out);
    }
}

int compare_write_html(const batch *b, FILE *out)
{
    const scenario *sc = batch_variant(b, 0);
    size_t nv = batch_n_variants(b), nr = batch_n_replications(b);
    double *x = malloc(2 * nr * sizeof *x);
    if (!x)
        return -1;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>fleetsim comparison: ", out);
    html_text(out, sc->name);
    fputs("</title>\n<style>\nbody{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
          "table{border-collapse:collapse}th,td{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}\n"
          "th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #444}\n"
          ".sig{font-weight:bold;color:#a40}.sub th{background:#f4f4f4}\n</style>\n</head>\n<body>\n<h1>", out);
    html_text(out, sc->name);
    fprintf(out, "</h1>\n<p>Seed %llu, %zu replication%s per variant; ", (unsigned long long)sc->seed, nr,
            nr == 1 ? "" : "s");
    fputs(nr < 2 ? "n=1, no interval." : "mean &plusmn; half-width of the 95% confidence interval (Student t); "
          "differences are paired by replication (common random numbers), <span class=\"sig\">bold</span> "
          "where the interval excludes 0.", out);
    fputs("</p>\n<table>\n<thead><tr><th></th>", out);
    for (size_t v = 0; v < nv; v++) {
        fputs("<th title=\"", out);
        html_text(out, batch_variant(b, v)->variant_description);
        fputs("\">", out);
        html_text(out, batch_variant_name(b, v));
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    char cell[128];
    for (int f = 0; f < HEADLINE_N; f++) {
        const headline_def *d = headline_def_of((headline_id)f);
        fputs("<tr><td>", out);
        html_text(out, d->label);
        fputs("</td>", out);
        for (size_t v = 0; v < nv; v++) {
            ci c = cell_of(b, v, (headline_id)f, x);
            cell_text(cell, sizeof cell, &c, d->prec, false, false);
            fputs("<td>", out);
            html_text(out, cell);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    if (nv > 1) {
        fprintf(out, "<tr class=\"sub\"><th colspan=\"%zu\">difference from base</th></tr>\n", nv + 1);
        for (int f = 0; f < HEADLINE_N; f++) {
            const headline_def *d = headline_def_of((headline_id)f);
            fputs("<tr><td>", out);
            html_text(out, d->label);
            fputs("</td><td>-</td>", out);
            for (size_t v = 1; v < nv; v++) {
                ci c = diff_of(b, v, (headline_id)f, x, x + nr);
                cell_text(cell, sizeof cell, &c, d->prec, true, false);
                fputs(ci_significant(&c) ? "<td class=\"sig\">" : "<td>", out);
                html_text(out, cell);
                fputs("</td>", out);
            }
            fputs("</tr>\n", out);
        }
    }
    fputs("</tbody>\n</table>\n</body>\n</html>\n", out);
    free(x);
    return ferror(out) ? -1 : 0;
}

static const struct {
    const char *name;
    int (*fn)(const batch *, FILE *);
} files[] = {
    {"compare.csv", compare_write_csv},
    {"compare.html", compare_write_html},
    {"compare.json", compare_write_json},
};
#define N_FILES (sizeof files / sizeof files[0])

size_t compare_set_names(const char *names[4])
{
    for (size_t k = 0; k < N_FILES; k++)
        names[k] = files[k].name;
    return N_FILES;
}

static int set_writer(void *ctx, size_t k, FILE *out)
{
    return files[k].fn((const batch *)ctx, out);
}

int compare_write_dir(const batch *b, const char *dir, char *err, size_t errlen)
{
    const char *names[4];
    size_t n = compare_set_names(names);
    return fset_write(dir, names, n, set_writer, (void *)(uintptr_t)b, err, errlen);
}
