/*
 * html.c - report.html (html.h).
 *
 * Every chart is an <svg class="chart" data-chart="NAME"> drawn here in C over
 * the same time axis [0, end of run), so the charts line up one under the
 * other. Per-window figures are drawn at the middle of their window (rates,
 * percentiles, CPU) or as steps over it (counts at the window's end); each
 * window also has an invisible column whose <title> lists its values, so
 * hovering shows them without any script. Coordinates and labels go through
 * fmt_num, so the bytes do not depend on the locale.
 */
#include "reports/html.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reports/fmt.h"
#include "stats/cost.h"
#include "stats/events.h"

/* The page geometry (CSS pixels): each chart's plot area is inset by the margins. */
enum { CH_W = 1160, CH_H = 230, M_LEFT = 76, M_RIGHT = 76, M_TOP = 12, M_BOTTOM = 40 };
#define PLOT_W ((double)(CH_W - M_LEFT - M_RIGHT))
#define PLOT_H ((double)(CH_H - M_TOP - M_BOTTOM))

/* Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
static const char *const palette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                      "#e69f00", "#56b4e9", "#000000", "#999933"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

#define MAX_SERIES (COST_MAX_ITEMS + 8)

typedef enum { AT_MIDDLE, AT_STEP, AT_END } series_at;

typedef struct series {
    char name[64];
    const char *unit; /* for the hover text */
    double *y;        /* one value per window; NaN = none */
    int right;        /* on the right-hand axis */
    int dashed;       /* 1 dashed, 2 dotted */
    series_at at;
} series;

typedef struct chart {
    const char *id, *title, *yl_left, *yl_right;
    series s[MAX_SERIES];
    size_t n;
    double ymax_left;              /* > 0: a fixed top for the left axis (CPU %) */
    double hline;                  /* a horizontal reference on the left axis (the SLO), NaN if none */
    char hline_label[96];
    const char *note;              /* shown when no series has a value */
} chart;

/* What every chart shares: the output, the windows and the time axis. */
typedef struct page {
    FILE *out;
    const world *w;
    const stats_window *win;
    size_t n;
    double end_s;      /* the run's end, seconds: the axis runs from 0 to it */
    double unit_s;     /* seconds per axis unit */
    const char *unit;  /* "s", "min", "h" */
    int oom;
} page;

/* ---------------------------------------------------------------- text */

static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A coordinate: one decimal is finer than a pixel. */
#define PX(v) (fmt_num(0, 1, (v), "0").s)

/* A value for a label or tooltip: 4 significant digits, whole numbers from 10000 on (no exponent). */
static numbuf val(double v)
{
    return fabs(v) >= 1e4 ? fmt_num(0, 0, v, "n/a") : fmt_num(1, 4, v, "n/a");
}

/* "754 s (0:12:34)": the hover form of a simulated time. */
static void when(FILE *out, double t)
{
    long s = (long)floor(t);
    fprintf(out, "%s s (%ld:%02ld:%02ld)", fmt_num(0, 3, t, "?").s, s / 3600, s / 60 % 60, s % 60);
}

/* ---------------------------------------------------------------- axes */

/* The smallest 1, 2 or 5 x 10^k that cuts [0, hi] into at most about `parts` steps. */
static double nice_step(double hi, int parts)
{
    if (!(hi > 0))
        return 1;
    double raw = hi / parts, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static double x_of(const page *p, double t_s) { return M_LEFT + PLOT_W * (p->end_s > 0 ? t_s / p->end_s : 0); }

static double y_of(double v, double top) { return M_TOP + PLOT_H * (1 - (top > 0 ? v / top : 0)); }

/* The window's bounds in seconds. */
static double win_start(const page *p, size_t k) { return sim_to_sec(p->win[k].start); }
static double win_end(const page *p, size_t k)
{
    return k + 1 < p->n ? sim_to_sec(p->win[k + 1].start) : p->end_s;
}

/* The time axis at the bottom of a chart: ticks, grid and its label. */
static void time_axis(const page *p, int grid)
{
    FILE *o = p->out;
    double span = p->end_s / p->unit_s, step = nice_step(span, 10);
    fprintf(o, "<g class=\"axis x\">");
    for (int i = 0; i * step <= span * (1 + 1e-9); i++) {
        double x = x_of(p, i * step * p->unit_s);
        if (grid)
            fprintf(o, "<line class=\"grid\" x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\"/>", PX(x), PX(x), M_TOP,
                    CH_H - M_BOTTOM);
        fprintf(o, "<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>", PX(x), CH_H - M_BOTTOM + 16,
                val(i * step).s);
    }
    fprintf(o, "<text class=\"label\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">simulated time (%s)</text></g>\n",
            PX(M_LEFT + PLOT_W / 2), CH_H - 4, p->unit);
}

/* A value axis (left or right) from 0 to top, with its label. */
static void value_axis(const page *p, double top, int right, const char *label)
{
    FILE *o = p->out;
    double step = nice_step(top, 5);
    double x = right ? CH_W - M_RIGHT : M_LEFT;
    fprintf(o, "<g class=\"axis y\">");
    for (int i = 0; i * step <= top * (1 + 1e-9); i++) {
        double y = y_of(i * step, top);
        if (!right)
            fprintf(o, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\"/>", M_LEFT, CH_W - M_RIGHT,
                    PX(y), PX(y));
        fprintf(o, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>", PX(right ? x + 6 : x - 6), PX(y + 4),
                right ? "start" : "end", val(i * step).s);
    }
    double lx = right ? CH_W - 12 : 14, ly = M_TOP + PLOT_H / 2;
    fprintf(o, "<text class=\"label\" x=\"%s\" y=\"%s\" text-anchor=\"middle\" transform=\"rotate(%d %s %s)\">",
            PX(lx), PX(ly), right ? 90 : -90, PX(lx), PX(ly));
    esc(o, label);
    fprintf(o, "</text></g>\n");
}

/* A top for values up to hi: the next tick at or above it (so the top line is labelled). */
static double axis_top(double hi)
{
    if (!(hi > 0))
        return 1;
    double step = nice_step(hi * 1.05, 5);
    return ceil(hi * 1.05 / step) * step;
}

/* ---------------------------------------------------------------- charts */

static series *add_series(page *p, chart *c, const char *name, const char *unit)
{
    if (c->n >= MAX_SERIES)
        return NULL;
    series *s = &c->s[c->n];
    memset(s, 0, sizeof *s);
    if (!(s->y = malloc((p->n ? p->n : 1) * sizeof *s->y))) {
        p->oom = 1;
        return NULL;
    }
    for (size_t k = 0; k < p->n; k++)
        s->y[k] = NAN;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->unit = unit;
    c->n++;
    return s;
}

static void chart_free(chart *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->s[i].y);
    c->n = 0;
}

static void chart_init(chart *c, const char *id, const char *title, const char *yl_left, const char *yl_right)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->title = title;
    c->yl_left = yl_left;
    c->yl_right = yl_right;
    c->hline = NAN;
}

/* One series as polylines (broken where a window has no value). */
static void draw_series(const page *p, const series *s, const char *colour, double top)
{
    FILE *o = p->out;
    int open = 0;
    for (size_t k = 0; k < p->n; k++) {
        double v = s->y[k];
        if (!isfinite(v)) {
            if (open)
                fputs("\"/>\n", o);
            open = 0;
            continue;
        }
        if (!open) {
            fprintf(o, "<polyline class=\"series\" data-series=\"");
            esc(o, s->name);
            fprintf(o, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s points=\"", colour,
                    s->dashed == 1   ? " stroke-dasharray=\"6 3\""
                    : s->dashed == 2 ? " stroke-dasharray=\"2 2\""
                                     : "");
            if (s->at == AT_END && k == 0)
                fprintf(o, "%s,%s ", PX(x_of(p, 0)), PX(y_of(0, top)));
            open = 1;
        }
        double y = y_of(v, top);
        if (s->at == AT_STEP)
            fprintf(o, "%s,%s %s,%s ", PX(x_of(p, win_start(p, k))), PX(y), PX(x_of(p, win_end(p, k))), PX(y));
        else if (s->at == AT_END)
            fprintf(o, "%s,%s ", PX(x_of(p, win_end(p, k))), PX(y));
        else
            fprintf(o, "%s,%s ", PX(x_of(p, (win_start(p, k) + win_end(p, k)) / 2)), PX(y));
    }
    if (open)
        fputs("\"/>\n", o);
}

static void legend(const page *p, const chart *c)
{
    FILE *o = p->out;
    fprintf(o, "<div class=\"legend\">");
    for (size_t i = 0; i < c->n; i++) {
        const char *stroke = c->s[i].dashed == 1 ? "dash" : c->s[i].dashed == 2 ? "dotted" : "line";
        fprintf(o, "<span><i class=\"%s\" style=\"border-color:%s\"></i>", stroke, palette[i % N_PALETTE]);
        esc(o, c->s[i].name);
        fprintf(o, "%s</span>", c->yl_right && c->s[i].right ? " (right axis)" : "");
    }
    if (isfinite(c->hline)) {
        fprintf(o, "<span><i class=\"slo\"></i>");
        esc(o, c->hline_label);
        fprintf(o, "</span>");
    }
    fprintf(o, "</div>\n");
}

/* The chart's section: title, legend, the svg with axes, series, the reference line and the hover columns. */
static void draw_chart(const page *p, const chart *c)
{
    FILE *o = p->out;
    double hi[2] = {0, 0};
    int any = 0, has_right = 0;
    for (size_t i = 0; i < c->n; i++) {
        has_right |= c->s[i].right;
        for (size_t k = 0; k < p->n; k++)
            if (isfinite(c->s[i].y[k])) {
                any = 1;
                if (c->s[i].y[k] > hi[c->s[i].right])
                    hi[c->s[i].right] = c->s[i].y[k];
            }
    }
    if (isfinite(c->hline) && c->hline > hi[0])
        hi[0] = c->hline;
    double top[2] = {c->ymax_left > 0 ? c->ymax_left : axis_top(hi[0]), axis_top(hi[1])};

    fprintf(o, "<section id=\"%s\"><h2>", c->id);
    esc(o, c->title);
    fprintf(o, "</h2>\n");
    legend(p, c);
    fprintf(o, "<svg class=\"chart\" data-chart=\"%s\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", c->id, CH_W, CH_H, CH_W, CH_H);
    esc(o, c->title);
    fprintf(o, "\">\n");
    time_axis(p, 1);
    value_axis(p, top[0], 0, c->yl_left);
    if (has_right && c->yl_right)
        value_axis(p, top[1], 1, c->yl_right);
    fprintf(o, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%s\"/>\n", M_LEFT, M_TOP, PX(PLOT_W),
            PX(PLOT_H));
    for (size_t i = 0; i < c->n; i++)
        draw_series(p, &c->s[i], palette[i % N_PALETTE], top[c->s[i].right]);
    if (isfinite(c->hline)) {
        double y = y_of(c->hline, top[0]);
        fprintf(o, "<line class=\"slo\" x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\"><title>", M_LEFT, CH_W - M_RIGHT,
                PX(y), PX(y));
        esc(o, c->hline_label);
        fprintf(o, "</title></line>\n");
    }
    if (!any && c->note) {
        fprintf(o, "<text class=\"note\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">", PX(M_LEFT + PLOT_W / 2),
                PX(M_TOP + PLOT_H / 2));
        esc(o, c->note);
        fprintf(o, "</text>\n");
    }
    /* Hover: one transparent column per window, its values in the tooltip. */
    if (any)
        for (size_t k = 0; k < p->n; k++) {
            double x0 = x_of(p, win_start(p, k)), x1 = x_of(p, win_end(p, k));
            fprintf(o, "<rect class=\"hover\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%s\"><title>", PX(x0), M_TOP,
                    PX(x1 - x0), PX(PLOT_H));
            fprintf(o, "window %s-%s s", fmt_num(0, 0, win_start(p, k), "?").s, fmt_num(0, 0, win_end(p, k), "?").s);
            for (size_t i = 0; i < c->n; i++) {
                fputs("\n", o);
                esc(o, c->s[i].name);
                fprintf(o, ": %s", val(c->s[i].y[k]).s);
                if (c->s[i].unit && isfinite(c->s[i].y[k]))
                    fprintf(o, " %s", c->s[i].unit);
            }
            fprintf(o, "</title></rect>\n");
        }
    fprintf(o, "</svg></section>\n");
}

/* ---------------------------------------------------------------- the figures */

static double width_s(const page *p, size_t k) { return win_end(p, k) - win_start(p, k); }

static void chart_traffic(page *p, chart *c)
{
    chart_init(c, "traffic", "Traffic and capacity", "requests per second", "instances");
    c->note = "no window";
    series *rps = add_series(p, c, "arrivals", "req/s");
    series *ins = add_series(p, c, "in service", "instances");
    series *pend = add_series(p, c, "pending", "instances");
    if (!rps || !ins || !pend)
        return;
    ins->right = pend->right = 1;
    ins->at = pend->at = AT_STEP;
    pend->dashed = 2;
    for (size_t k = 0; k < p->n; k++) {
        double wd = width_s(p, k);
        rps->y[k] = wd > 0 ? (double)p->win[k].arrivals / wd : NAN;
        ins->y[k] = p->win[k].fleet.in_service;
        pend->y[k] = p->win[k].fleet.pending;
    }
    /* Desired capacity is an Auto Scaling group's: a fixed fleet has none to draw. */
    if (world_n_asgs(p->w) == 0)
        return;
    series *des = add_series(p, c, "desired capacity", "instances");
    if (!des)
        return;
    des->right = 1;
    des->dashed = 1;
    des->at = AT_STEP;
    for (size_t k = 0; k < p->n; k++)
        des->y[k] = p->win[k].fleet.desired;
}

static void chart_latency(page *p, chart *c)
{
    const scenario *sc = world_scenario(p->w);
    chart_init(c, "latency", "Latency percentiles (successful requests)", "latency (ms)", NULL);
    c->note = "no successful request";
    static const char *const names[] = {"p50", "p90", "p99"};
    for (int q = 0; q < 3; q++) {
        series *s = add_series(p, c, names[q], "ms");
        if (!s)
            return;
        for (size_t k = 0; k < p->n; k++) {
            const stats_window *x = &p->win[k];
            s->y[k] = 1e3 * (q == 0 ? x->p50 : q == 1 ? x->p90 : x->p99);
        }
    }
    if (sc->report.slo_p99 > 0) {
        c->hline = 1e3 * sim_to_sec(sc->report.slo_p99);
        snprintf(c->hline_label, sizeof c->hline_label, "SLO: p99 within %s ms", val(c->hline).s);
    }
}

static void chart_errors(page *p, chart *c)
{
    chart_init(c, "errors", "Errors by cause", "errors per second", NULL);
    c->note = "no errors";
    for (int cause = 1; cause < STATS_N_CAUSES; cause++) {
        if (!stats_cause_is_error((stats_cause)cause))
            continue;
        uint64_t total = 0;
        for (size_t k = 0; k < p->n; k++)
            total += p->win[k].errors[cause];
        if (total == 0)
            continue;
        series *s = add_series(p, c, stats_cause_name((stats_cause)cause), "/s");
        if (!s)
            return;
        for (size_t k = 0; k < p->n; k++) {
            double wd = width_s(p, k);
            s->y[k] = wd > 0 ? (double)p->win[k].errors[cause] / wd : NAN;
        }
    }
}

static void chart_cpu(page *p, chart *c)
{
    chart_init(c, "cpu", "CPU utilisation (fleet)", "CPU (%)", NULL);
    c->ymax_left = 100;
    c->note = "no instance";
    series *s = add_series(p, c, "CPU utilisation", "%");
    if (!s)
        return;
    for (size_t k = 0; k < p->n; k++)
        s->y[k] = 100 * p->win[k].cpu_utilisation;
}

static void chart_license(page *p, chart *c)
{
    chart_init(c, "license", "License keys", "keys", NULL);
    c->note = "no license pool";
    const char *names[32];
    size_t ns = world_series(p->w, names);
    for (size_t i = 0; i < ns; i++) {
        if (!strstr(names[i], ".keys_"))
            continue;
        series *s = add_series(p, c, names[i], "keys");
        if (!s)
            return;
        s->at = AT_STEP;
        for (size_t k = 0; k < p->n; k++) {
            const double *v = world_series_at(p->w, k);
            s->y[k] = v ? v[i] : NAN;
        }
    }
}

/* Cost per window by ledger item: as a rate (USD per hour) or accumulated (USD at each window's end). */
static void chart_cost(page *p, chart *c, int cumulative)
{
    if (cumulative)
        chart_init(c, "cost-cumulative", "Cumulative cost by service", "USD", NULL);
    else
        chart_init(c, "cost-rate", "Cost rate by service", "USD per hour", NULL);
    c->note = "no per-window cost";
    const cost_ledger *l = world_ledger(p->w);
    double usd[COST_MAX_ITEMS];
    size_t items = 0;
    for (size_t k = 0; k < p->n; k++) {
        size_t m = world_window_cost(p->w, k, usd);
        if (m > items) {
            for (size_t i = items; i < m; i++) {
                series *s = add_series(p, c, l && i < l->n ? l->items[i].item : "?", cumulative ? "USD" : "USD/h");
                if (!s)
                    return;
                s->at = cumulative ? AT_END : AT_MIDDLE;
                for (size_t j = 0; j < k; j++)
                    s->y[j] = 0; /* an item that appears later spent nothing before */
            }
            items = m;
        }
        double wd = width_s(p, k);
        for (size_t i = 0; i < items; i++) {
            double v = i < m ? usd[i] : 0;
            if (cumulative)
                c->s[i].y[k] = (k ? c->s[i].y[k - 1] : 0) + v;
            else
                c->s[i].y[k] = wd > 0 ? v * 3600 / wd : NAN;
        }
    }
}

/* ---------------------------------------------------------------- the event timeline */

typedef struct lane {
    const char *name, *colour;
    const char *types[4]; /* events.h types drawn in this lane */
} lane;

static const lane lanes[] = {
    {"alarms", "#d55e00", {"alarm"}},
    {"scaling", "#0072b2", {"scaling", "policy", "schedule"}},
    {"interruptions", "#cc79a7", {"spot"}},
    {"faults", "#000000", {"fault", "fis"}},
    {"hooks", "#009e73", {"lifecycle"}},
    {"health", "#e69f00", {"health"}},
};
#define N_LANES (sizeof lanes / sizeof lanes[0])
enum { LANE_H = 26 };

static int lane_of(const char *type)
{
    for (size_t i = 0; i < N_LANES; i++)
        for (size_t j = 0; j < 4 && lanes[i].types[j]; j++)
            if (strcmp(lanes[i].types[j], type) == 0)
                return (int)i;
    return -1;
}

static void chart_timeline(const page *p)
{
    FILE *o = p->out;
    const events_log *ev = world_events(p->w);
    size_t ne = events_count(ev), counts[N_LANES] = {0}, drawn = 0;
    for (size_t i = 0; i < ne; i++) {
        int l = lane_of(events_at(ev, i)->type);
        if (l >= 0) {
            counts[l]++;
            drawn++;
        }
    }
    int h = M_TOP + (int)N_LANES * LANE_H + M_BOTTOM;
    fprintf(o, "<section id=\"timeline\"><h2>Event timeline</h2>\n<div class=\"legend\">");
    for (size_t l = 0; l < N_LANES; l++)
        fprintf(o, "<span><i class=\"dot\" style=\"background:%s\"></i>%s (%zu)</span>", lanes[l].colour,
                lanes[l].name, counts[l]);
    fprintf(o, "<span>hover a marker for its cause</span></div>\n");
    fprintf(o, "<svg class=\"chart\" data-chart=\"timeline\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Event timeline\">\n", CH_W, h, CH_W, h);
    /* The time axis sits below the lanes: draw it in a chart-sized group moved down. */
    fprintf(o, "<g transform=\"translate(0 %d)\">", h - CH_H);
    time_axis(p, 0);
    fprintf(o, "</g>\n");
    for (size_t l = 0; l < N_LANES; l++) {
        double y = M_TOP + (l + 0.5) * LANE_H;
        fprintf(o, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\"/>", M_LEFT, CH_W - M_RIGHT, PX(y),
                PX(y));
        fprintf(o, "<text x=\"%d\" y=\"%s\" text-anchor=\"end\">%s</text>\n", M_LEFT - 6, PX(y + 4), lanes[l].name);
    }
    fprintf(o, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n", M_LEFT, M_TOP, PX(PLOT_W),
            (int)N_LANES * LANE_H);
    for (size_t i = 0; i < ne; i++) {
        const events_entry *x = events_at(ev, i);
        int l = lane_of(x->type);
        if (l < 0)
            continue;
        /* An alarm going back to OK is drawn hollow: the filled ones are the alarms that fired. */
        int hollow = l == 0 && strcmp(x->to, "ALARM") != 0;
        fprintf(o, "<circle class=\"marker\" data-kind=\"%s\" cx=\"%s\" cy=\"%s\" r=\"5\" stroke=\"%s\" fill=\"%s\">"
                "<title>", lanes[l].name, PX(x_of(p, sim_to_sec(x->t))), PX(M_TOP + (l + 0.5) * LANE_H),
                lanes[l].colour, hollow ? "#ffffff" : lanes[l].colour);
        when(o, sim_to_sec(x->t));
        fprintf(o, " %s ", x->type);
        esc(o, x->resource);
        if (x->from[0] || x->to[0]) {
            fputs(": ", o);
            esc(o, x->from);
            fputs(" -&gt; ", o);
            esc(o, x->to);
        }
        fputs("\n", o);
        esc(o, x->message ? x->message : "");
        fprintf(o, "</title></circle>\n");
    }
    if (drawn == 0)
        fprintf(o, "<text class=\"note\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">no event</text>\n",
                PX(M_LEFT + PLOT_W / 2), PX(M_TOP + N_LANES * LANE_H / 2.0));
    fprintf(o, "</svg></section>\n");
}

/* ---------------------------------------------------------------- the page */

static const char css[] =
    "body{font-family:sans-serif;margin:16px 24px;color:#222;background:#fff}"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 2px}"
    "p.meta{margin:0 0 8px;color:#444;font-size:13px}"
    ".legend{font-size:12px;margin:2px 0 0 76px}.legend span{margin-right:16px;white-space:nowrap}"
    ".legend i{display:inline-block;width:18px;height:0;border-top:2px solid;vertical-align:middle;margin-right:4px}"
    ".legend i.dash{border-top-style:dashed}.legend i.dotted{border-top-style:dotted}"
    ".legend i.slo{border-top:2px dashed #d00}"
    ".legend i.dot{width:9px;height:9px;border:0;border-radius:50%}"
    "svg.chart{display:block;font-size:11px;fill:#333}"
    "svg .grid{stroke:#e4e4e4;stroke-width:1}svg .frame{fill:none;stroke:#999}"
    "svg .label{font-size:12px;fill:#222}svg .note{font-size:14px;fill:#888}"
    "svg .slo{stroke:#d00;stroke-width:1.5;stroke-dasharray:8 4}"
    "svg .hover{fill:transparent}svg .hover:hover{fill:rgba(0,0,0,.06)}"
    "svg .marker:hover{stroke-width:3}";

int html_write_report(const world *w, FILE *out)
{
    if (!world_has_run(w))
        return -1;
    const scenario *sc = world_scenario(w);
    page p = {.out = out, .w = w};
    p.win = world_windows(w, &p.n);
    p.end_s = sim_to_sec(world_end_time(w));
    p.unit_s = p.end_s <= 900 ? 1 : p.end_s <= 12 * 3600.0 ? 60 : 3600;
    p.unit = p.unit_s == 1 ? "s" : p.unit_s == 60 ? "min" : "h";

    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>fleetsim: ");
    esc(out, sc->name);
    fprintf(out, "</title>\n<style>%s</style></head>\n<body>\n<h1>fleetsim report: ", css);
    esc(out, sc->name);
    fprintf(out, "</h1>\n<p class=\"meta\">seed %llu, simulated %s s%s, %zu windows of %s s, warm-up %s s; "
            "cost %s USD. Hover a chart for each window's values.</p>\n",
            (unsigned long long)sc->seed, fmt_num(0, 3, p.end_s, "?").s,
            world_partial(w) ? " (partial: the run was stopped early)" : "", p.n,
            fmt_num(1, 6, sim_to_sec(sc->report.window), "?").s, fmt_num(1, 6, sim_to_sec(sc->report.warmup), "?").s,
            fmt_num(0, 2, world_cost_total(w), "?").s);

    chart c;
    void (*const draw[])(page *, chart *) = {chart_traffic, chart_latency, chart_errors, chart_cpu, chart_license};
    for (size_t i = 0; i < sizeof draw / sizeof draw[0] && !p.oom; i++) {
        draw[i](&p, &c);
        if (!p.oom)
            draw_chart(&p, &c);
        chart_free(&c);
    }
    for (int cum = 0; cum < 2 && !p.oom; cum++) {
        chart_cost(&p, &c, cum);
        if (!p.oom)
            draw_chart(&p, &c);
        chart_free(&c);
    }
    if (!p.oom)
        chart_timeline(&p);
    fprintf(out, "</body></html>\n");
    return p.oom || ferror(out) ? -1 : 0;
}
