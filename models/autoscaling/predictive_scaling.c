/*
 * predictive_scaling.c - seasonal-naive predictive scaling (aws-semantics 2.5).
 */
#include "models/autoscaling/predictive_scaling.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRED_WINDOW (PRED_DAYS * 24)

double pred_seasonal_naive(const double *load, const unsigned char *present, int64_t n, int64_t target)
{
    double sum = 0;
    int k = 0;
    int64_t oldest = n - PRED_WINDOW;
    for (int64_t h = target - 24; h >= 0 && h >= oldest; h -= 24) {
        if (h >= n || !present[h])
            continue;
        sum += load[h];
        k++;
    }
    return k ? sum / k : NAN;
}

int pred_capacity(double load, double target)
{
    if (isnan(load) || !(target > 0))
        return -1;
    if (load <= 0)
        return 0;
    double c = ceil(load / target - 1e-9);
    return c > 1e9 ? 1000000000 : (int)c;
}

int pred_effective_max(int group_max, int f, bool increase_max, int buffer_pct)
{
    if (!increase_max || f <= group_max)
        return group_max;
    double m = ceil((double)f * (1.0 + buffer_pct / 100.0) - 1e-9);
    return m > group_max ? (int)m : group_max;
}

struct pred {
    sim *s;
    const scn_policy *cfg;
    asg *g;
    cw_series *load;
    events_log *ev;
    int64_t fc_first;              /* hour index of fc[0] */
    int fc[PRED_HORIZON];          /* forecast capacity, -1 = none */
    bool have;
    int64_t scheduled_upto;        /* hours < this have their scale event scheduled */
    int orig_max;                  /* the group max before IncreaseMaxCapacity raised it; -1 = not raised */
    uint64_t forecasts;
    double win[PRED_WINDOW];
    unsigned char winp[PRED_WINDOW];
};

int pred_forecast_at(const pred *p, int64_t hour)
{
    if (!p->have || hour < p->fc_first || hour >= p->fc_first + PRED_HORIZON)
        return -1;
    return p->fc[hour - p->fc_first];
}

uint64_t pred_forecasts(const pred *p) { return p->forecasts; }

/* At hour h - buffer: raise desired to the hour's forecast (never scale in). */
static void scale_hour(sim *s, void *obj, uint64_t arg)
{
    pred *p = obj;
    int64_t h = (int64_t)arg;
    int f = pred_forecast_at(p, h);
    sim_time_t now = sim_now(s);
    if (p->orig_max >= 0 && (f < 0 || f <= p->orig_max)) {
        /* the raised max was for an earlier hour */
        char cause[256];
        snprintf(cause, sizeof cause, "predictive scaling %s: hour %lld needs no more than max %d, max restored",
                 p->cfg->name, (long long)h, p->orig_max);
        asg_set_limits(p->g, -1, p->orig_max, -1, cause);
        p->orig_max = -1;
    }
    if (f < 0)
        return;
    int max = asg_max(p->g);
    int base_max = p->orig_max >= 0 ? p->orig_max : max;
    int eff = pred_effective_max(base_max, f, p->cfg->pred_increase_max != 0, p->cfg->pred_max_buffer_pct);
    char cause[256];
    if (eff > max) {
        snprintf(cause, sizeof cause, "predictive scaling %s: forecast %d for hour %lld above max %d: "
                 "IncreaseMaxCapacity raises max to %d", p->cfg->name, f, (long long)h, base_max, eff);
        if (p->orig_max < 0)
            p->orig_max = max;
        asg_set_limits(p->g, -1, eff, -1, cause);
        max = eff;
    }
    int want = f < max ? f : max;
    int desired = asg_desired(p->g);
    if (want <= desired)
        return; /* the forecast never scales in (aws-semantics 2.5) */
    /* the group appends ": desired A -> B" itself (asg_set_desired) */
    snprintf(cause, sizeof cause, "predictive scaling %s: forecast capacity %d for hour starting t=%.0f s",
             p->cfg->name, f, sim_to_sec(h * SIM_HOUR));
    (void)now;
    asg_set_desired(p->g, want, cause);
}

static void refresh(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    pred *p = obj;
    sim_time_t now = sim_now(s);
    sim_after(s, PRED_REFRESH, refresh, p, 0);
    int64_t n = now / SIM_HOUR; /* hours [0, n) are complete */
    int64_t base = n > PRED_WINDOW ? n - PRED_WINDOW : 0;
    int64_t len = n - base;
    int have = 0;
    for (int64_t i = 0; i < len; i++) {
        p->winp[i] = cw_hourly(p->load, base + i, &p->win[i]) ? 1 : 0;
        have += p->winp[i];
    }
    if (have < PRED_MIN_HISTORY)
        return; /* predictive scaling needs at least 24 h of history (aws-semantics 2.5) */
    p->fc_first = n;
    char list[PRED_HORIZON * 8 + 8];
    size_t off = 0;
    for (int k = 0; k < PRED_HORIZON; k++) {
        double l = pred_seasonal_naive(p->win, p->winp, len, len + k);
        p->fc[k] = pred_capacity(l, p->cfg->target_value);
        int w = snprintf(list + off, sizeof list - off, "%s%d", k ? " " : "", p->fc[k]);
        if (w > 0 && (size_t)w < sizeof list - off)
            off += (size_t)w;
    }
    p->have = true;
    p->forecasts++;
    if (p->ev)
        events_add(p->ev, now, "policy", p->cfg->name, NULL, NULL,
                   "predictive scaling %s (%s): forecast capacity for the next %d hours from t=%.0f s "
                   "(seasonal naive over %d h of history, target %.2f): %s", p->cfg->name,
                   p->cfg->pred_mode == SCN_PRED_FORECAST_AND_SCALE ? "ForecastAndScale" : "ForecastOnly",
                   PRED_HORIZON, sim_to_sec(n * SIM_HOUR), have, p->cfg->target_value, list);
    if (p->cfg->pred_mode != SCN_PRED_FORECAST_AND_SCALE || !p->cfg->enabled)
        return;
    for (int64_t h = n > p->scheduled_upto ? n : p->scheduled_upto; h < n + PRED_HORIZON; h++) {
        sim_time_t at = h * SIM_HOUR - p->cfg->pred_buffer;
        if (at < now)
            at = now;
        sim_at(s, at, scale_hour, p, (uint64_t)h);
    }
    p->scheduled_upto = n + PRED_HORIZON;
}

pred *pred_new(sim *s, const scn_policy *cfg, asg *g, cw_series *load, events_log *ev)
{
    pred *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->s = s;
    p->cfg = cfg;
    p->g = g;
    p->load = load;
    p->ev = ev;
    p->orig_max = -1;
    sim_at(s, PRED_REFRESH, refresh, p, 0);
    return p;
}

void pred_free(pred *p) { free(p); }
