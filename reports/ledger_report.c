/*
 * ledger_report.c - the cost section of the text summary and of report.json.
 *
 * Numbers go through reports/fmt.h (locale-independent). Unit prices are
 * printed with significant digits (a Lambda request costs $0.0000002),
 * dollars with 4 decimals in text and 9 significant digits in JSON.
 */
#include "reports/ledger_report.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "models/core/slo_window.h"
#include "reports/fmt.h"
#include "stats/cost.h"
#include "stats/slo.h"

#define TF(v, prec) (fmt_num(0, (prec), (v), "n/a").s)
#define TG(v) (fmt_num(1, 6, (v), "n/a").s)
#define JN(v) (fmt_num(1, 9, (v), "null").s)

double ledger_report_per_million(const world *w)
{
    uint64_t n = world_summary(w)->arrivals;
    return n ? world_cost_total(w) / (double)n * 1e6 : NAN;
}

double ledger_report_violation_usd(const world *w)
{
    double price = world_scenario(w)->report.slo_violation_usd_per_min;
    return price > 0 ? slo_window_violation_min(w) * price : 0;
}

void ledger_report_text(const world *w, FILE *out)
{
    const cost_ledger *l = world_ledger(w);
    const scenario *sc = world_scenario(w);
    fprintf(out, "cost (USD at %s prices, data/prices/%s.csv; no account free tier applied)\n", sc->region, sc->region);
    fprintf(out, "  %-28s %16s %-16s %12s %12s\n", "service / item", "usage", "unit", "unit $", "$");
    for (size_t s = 0; s < l->n; s++) {
        fprintf(out, "  %-28s %16s %-16s %12s %12s\n", l->items[s].item, "", "", "", TF(l->items[s].usd, 4));
        for (size_t i = 0; i < l->n_lines; i++) {
            const cost_line *x = &l->lines[i];
            if (x->service != s)
                continue;
            fprintf(out, "    %-26s %16s %-16s %12s %12s\n", x->item, TG(x->usage), x->unit, TG(x->unit_usd),
                    TF(x->usd, 4));
        }
    }
    fprintf(out, "  %-28s %16s %-16s %12s %12s\n", "total", "", "", "", TF(cost_ledger_total(l), 4));
    fprintf(out, "  %-28s %16s %-16s %12s %12s\n", "per 1M requests", "", "", "", TF(ledger_report_per_million(w), 4));
    if (sc->report.slo_violation_usd_per_min > 0)
        fprintf(out, "  %-28s %16s %-16s %12s %12s  (not an AWS charge)\n", "SLO violation", TG(slo_window_violation_min(w)),
                "minutes", TG(sc->report.slo_violation_usd_per_min), TF(ledger_report_violation_usd(w), 4));
}

void ledger_report_json(const world *w, FILE *out)
{
    const cost_ledger *l = world_ledger(w);
    const scenario *sc = world_scenario(w);
    fprintf(out, "{\"currency\": \"USD\", \"region\": ");
    fmt_json_str(out, sc->region);
    /* "items": each service's total, as before the ledger had line items (kept for readers of the older form) */
    fprintf(out, ", \"items\": {");
    for (size_t s = 0; s < l->n; s++) {
        fprintf(out, "%s", s ? ", " : "");
        fmt_json_str(out, l->items[s].item);
        fprintf(out, ": %s", JN(l->items[s].usd));
    }
    fprintf(out, "},\n    \"services\": {");
    for (size_t s = 0; s < l->n; s++) {
        fprintf(out, "%s\n      ", s ? "," : "");
        fmt_json_str(out, l->items[s].item);
        fprintf(out, ": {\"usd\": %s, \"items\": {", JN(l->items[s].usd));
        int first = 1;
        for (size_t i = 0; i < l->n_lines; i++) {
            const cost_line *x = &l->lines[i];
            if (x->service != s)
                continue;
            fprintf(out, "%s\n        ", first ? "" : ",");
            first = 0;
            fmt_json_str(out, x->item);
            fprintf(out, ": {\"usage\": %s, \"unit\": ", JN(x->usage));
            fmt_json_str(out, x->unit);
            fprintf(out, ", \"unit_usd\": %s, \"usd\": %s}", JN(x->unit_usd), JN(x->usd));
        }
        fprintf(out, "}}");
    }
    fprintf(out, "},\n    \"total\": %s, \"per_million_requests\": %s", JN(cost_ledger_total(l)),
            JN(ledger_report_per_million(w)));
    if (sc->report.slo_violation_usd_per_min > 0)
        fprintf(out, ", \"slo_violation_minutes\": %s, \"slo_violation_usd_per_minute\": %s, \"slo_violation_usd\": %s",
                JN(slo_window_violation_min(w)), JN(sc->report.slo_violation_usd_per_min),
                JN(ledger_report_violation_usd(w)));
    else
        fprintf(out, ", \"slo_violation_usd\": null");
    fputc('}', out);
}
