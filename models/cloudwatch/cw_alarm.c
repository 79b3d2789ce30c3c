/*
 * cw_alarm.c - CloudWatch alarm evaluation and actions (aws-semantics 3.2).
 */
#include "models/cloudwatch/cw_alarm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CWA_MAX_RANGE 1442 /* N <= 1440 one-minute periods (period x N <= 1 day) + 2 */

const char *cwa_state_name(cwa_state s)
{
    switch (s) {
    case CWA_OK: return "OK";
    case CWA_ALARM: return "ALARM";
    case CWA_INSUFFICIENT_DATA: break;
    }
    return "INSUFFICIENT_DATA";
}

int cwa_range(int n) { return n + 2; }

bool cwa_breaches(scn_comparison cmp, double v, double threshold)
{
    switch (cmp) {
    case SCN_CMP_GE: return v >= threshold;
    case SCN_CMP_GT: return v > threshold;
    case SCN_CMP_LT: return v < threshold;
    case SCN_CMP_LE: return v <= threshold;
    }
    return false;
}

const char *cwa_cmp_words(scn_comparison cmp)
{
    switch (cmp) {
    case SCN_CMP_GE: return "greater than or equal to";
    case SCN_CMP_GT: return "greater than";
    case SCN_CMP_LT: return "less than";
    case SCN_CMP_LE: return "less than or equal to";
    }
    return "?";
}

cwa_state cwa_evaluate(const cwa_rule *r, const double *v, const unsigned char *present,
                       size_t len, cwa_state current, cwa_result *res)
{
    cwa_result tmp;
    if (!res)
        res = &tmp;
    memset(res, 0, sizeof *res);
    int n = r->n < 1 ? 1 : r->n, m = r->m < 1 ? 1 : (r->m > n ? n : r->m);
    int real = 0;
    for (size_t i = 0; i < len; i++)
        real += present[i] != 0;
    res->real = real;

    if (real >= n) {
        /* 1. enough real points: the most recent N decide; the missing-data setting does not matter */
        int used = 0, br = 0;
        for (size_t i = len; i-- > 0 && used < n;) {
            if (!present[i])
                continue;
            used++;
            br += cwa_breaches(r->cmp, v[i], r->threshold);
        }
        res->evaluated = used;
        res->breaching = br;
        res->state = br >= m ? CWA_ALARM : CWA_OK;
        return res->state;
    }

    int br = 0;
    for (size_t i = 0; i < len; i++)
        if (present[i])
            br += cwa_breaches(r->cmp, v[i], r->threshold);

    if (r->missing == SCN_MISSING_BREACHING || r->missing == SCN_MISSING_NOT_BREACHING) {
        /* 2. fill as few points as possible: the N - real missing ones */
        int fill = n - real;
        res->substituted = fill;
        res->evaluated = n;
        res->breaching = br + (r->missing == SCN_MISSING_BREACHING ? fill : 0);
        res->state = res->breaching >= m ? CWA_ALARM : CWA_OK;
        return res->state;
    }

    /* 3. missing / ignore: the premature-alarm rule over the last N periods */
    res->evaluated = real;
    res->breaching = br;
    size_t start = len > (size_t)n ? len - (size_t)n : 0;
    for (size_t i = start; i < len; i++) {
        if (!present[i])
            continue;
        if (!cwa_breaches(r->cmp, v[i], r->threshold))
            break; /* a non-breaching point before any breaching one: look no further for the oldest */
        /* i is the oldest breaching real point in the window; its age counts the newest period as 1 */
        size_t age = len - i;
        bool later_ok = true;
        for (size_t j = i + 1; j < len; j++)
            if (present[j] && !cwa_breaches(r->cmp, v[j], r->threshold))
                later_ok = false;
        if (age >= (size_t)m && later_ok) {
            res->premature = true;
            res->state = CWA_ALARM;
            return res->state;
        }
        break;
    }
    if (br >= m) {
        res->state = CWA_ALARM;
        return res->state;
    }
    if (r->missing == SCN_MISSING_IGNORE) {
        res->kept = true;
        res->state = current;
        return res->state;
    }
    if (real == 0) {
        res->state = CWA_INSUFFICIENT_DATA;
        return res->state;
    }
    /*
     * `missing` with some real points, fewer than N, fewer than M breaching and no premature alarm:
     * missing points count neither way ("the alarm does not consider missing data points when
     * evaluating whether to change state", AWS CDK TreatMissingData.MISSING). A non-breaching real
     * point is evidence for OK (AWS's table: "- - - - 0" gives OK). Breaching points only are no
     * evidence for OK: the state holds, so an alarm whose metric stops keeps ALARM on its last
     * breaching points and goes INSUFFICIENT_DATA when the range empties, instead of
     * ALARM -> OK -> INSUFFICIENT_DATA (issue 7, point 7).
     */
    if (real > br) {
        res->state = CWA_OK;
        return res->state;
    }
    res->kept = true;
    res->state = current;
    return res->state;
}

/* Appends the real values the decision saw, oldest first, as "[72.1, 80.3]". */
static void values_text(const double *v, const unsigned char *present, size_t len, int max_n,
                        char *buf, size_t n)
{
    size_t first = len;
    int cnt = 0;
    while (first > 0 && cnt < max_n) {
        first--;
        if (present[first])
            cnt++;
    }
    size_t off = 0;
    int w = snprintf(buf, n, "[");
    off = w > 0 ? (size_t)w : 0;
    bool sep = false;
    for (size_t i = first; i < len && off < n; i++) {
        if (!present[i])
            continue;
        w = snprintf(buf + off, n - off, "%s%.1f", sep ? ", " : "", v[i]);
        if (w < 0)
            break;
        off += (size_t)w;
        sep = true;
    }
    if (off < n)
        snprintf(buf + off, n - off, "]");
}

void cwa_reason(const cwa_rule *r, const double *v, const unsigned char *present, size_t len,
                const cwa_result *res, char *buf, size_t n)
{
    static const char *const missing_names[] = {"missing", "notBreaching", "breaching", "ignore"};
    char vals[512];
    int max_n = res->real >= r->n ? r->n : res->real;
    values_text(v, present, len, max_n, vals, sizeof vals);
    if (res->real == 0 && (r->missing == SCN_MISSING_MISSING || r->missing == SCN_MISSING_IGNORE)) {
        snprintf(buf, n, "Insufficient Data: no datapoints were received for the last %zu periods "
                 "(treat_missing_data %s)", len, missing_names[r->missing]);
        return;
    }
    if (res->premature) {
        snprintf(buf, n, "Threshold Crossed: %d out of the last %d datapoints %s were %s the threshold "
                 "(%.1f); the oldest breaching datapoint is at least %d periods old and no later one "
                 "is non-breaching (premature alarm rule)", res->breaching, res->evaluated, vals,
                 cwa_cmp_words(r->cmp), r->threshold, r->m);
        return;
    }
    char sub[96] = "";
    if (res->substituted)
        snprintf(sub, sizeof sub, " and %d missing datapoints treated as %s", res->substituted,
                 missing_names[r->missing]);
    snprintf(buf, n, "Threshold Crossed: %d out of the last %d datapoints %s%s were %s the threshold "
             "(%.1f) (minimum %d datapoints for ALARM)", res->breaching, res->evaluated, vals, sub,
             cwa_cmp_words(r->cmp), r->threshold, r->m);
}

/* ---------------------------------------------------------------- alarm objects */

struct cw_alarm {
    cwa_config cfg;
    char *name;
    cw_series *se;
    events_log *ev;
    cwa_action_fn fn;
    void *ctx;
    cwa_state state;
    uint64_t transitions;
    size_t len;              /* evaluation range */
    double *v;               /* window values, oldest first */
    unsigned char *present;
    double *last;            /* real points of the last evaluation */
    size_t n_last;
    sim_time_t last_t0;     /* start of the newest real point's period; -1 when none */
};

cw_alarm *cwa_new(const cwa_config *cfg, cw_series *se, events_log *ev)
{
    if (cfg->period <= 0 || cfg->period % SIM_MIN != 0 || cfg->rule.n < 1 ||
        cwa_range(cfg->rule.n) > CWA_MAX_RANGE)
        return NULL;
    cw_alarm *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->last_t0 = -1;
    a->cfg = *cfg;
    a->name = strdup(cfg->name ? cfg->name : "alarm");
    a->cfg.name = a->name;
    a->se = se;
    a->ev = ev;
    a->state = CWA_INSUFFICIENT_DATA; /* a new alarm starts in INSUFFICIENT_DATA (aws-semantics 3.2) */
    a->len = (size_t)cwa_range(cfg->rule.n);
    a->v = calloc(a->len, sizeof *a->v);
    a->present = calloc(a->len, 1);
    a->last = calloc(a->len, sizeof *a->last);
    if (!a->name || !a->v || !a->present || !a->last) {
        cwa_free(a);
        return NULL;
    }
    return a;
}

void cwa_free(cw_alarm *a)
{
    if (!a)
        return;
    free(a->name);
    free(a->v);
    free(a->present);
    free(a->last);
    free(a);
}

void cwa_set_action_fn(cw_alarm *a, cwa_action_fn fn, void *ctx)
{
    a->fn = fn;
    a->ctx = ctx;
}

static void run_actions(cw_alarm *a, bool transition, sim_time_t now)
{
    const scn_action *list;
    size_t n;
    switch (a->state) {
    case CWA_ALARM: list = a->cfg.alarm_actions; n = a->cfg.n_alarm_actions; break;
    case CWA_OK: list = a->cfg.ok_actions; n = a->cfg.n_ok_actions; break;
    default: list = a->cfg.insufficient_actions; n = a->cfg.n_insufficient_actions; break;
    }
    for (size_t i = 0; i < n && i < SCN_MAX_ACTIONS; i++) {
        /* SNS (and every non-Auto-Scaling) action runs only on a transition; policy actions every minute */
        if (!transition && list[i].kind != SCN_ACT_POLICY)
            continue;
        a->fn(a->ctx, a, &list[i], transition, now);
    }
}

void cwa_tick(cw_alarm *a, sim_time_t now)
{
    /* the sliding window: period k (0 = oldest) covers [now - (len - k) P, now - (len - k - 1) P) */
    sim_time_t p = a->cfg.period;
    a->last_t0 = -1;
    for (size_t k = 0; k < a->len; k++) {
        sim_time_t t0 = now - (sim_time_t)(a->len - k) * p;
        cw_stat st;
        a->present[k] = 0;
        a->v[k] = 0;
        if (t0 + p <= 0 || !a->se)
            continue;
        bool need_dist = a->cfg.stat == SCN_STAT_PERCENTILE;
        if (cw_aggregate(a->se, t0, t0 + p, now, need_dist, &st)) {
            double x = cw_statistic(&st, a->cfg.stat, a->cfg.percentile);
            if (!isnan(x)) {
                a->v[k] = x;
                a->present[k] = 1;
                a->last_t0 = t0;
            }
        }
    }
    cwa_result res;
    cwa_state old = a->state;
    cwa_state nw = cwa_evaluate(&a->cfg.rule, a->v, a->present, a->len, old, &res);
    /* the real points the decision used, for step scaling's metric aggregation */
    a->n_last = 0;
    size_t first = a->len;
    int cnt = 0;
    while (first > 0 && cnt < a->cfg.rule.n) {
        first--;
        if (a->present[first])
            cnt++;
    }
    for (size_t k = first; k < a->len; k++)
        if (a->present[k])
            a->last[a->n_last++] = a->v[k];

    bool transition = nw != old;
    if (transition) {
        a->state = nw;
        a->transitions++;
        if (a->ev) {
            char reason[768];
            cwa_reason(&a->cfg.rule, a->v, a->present, a->len, &res, reason, sizeof reason);
            events_add(a->ev, now, "alarm", a->name, cwa_state_name(old), cwa_state_name(nw), "%s", reason);
        }
    }
    if (a->cfg.actions_enabled && a->fn)
        run_actions(a, transition, now);
}

const char *cwa_name(const cw_alarm *a) { return a->name; }
cwa_state cwa_state_of(const cw_alarm *a) { return a->state; }
const cwa_rule *cwa_rule_of(const cw_alarm *a) { return &a->cfg.rule; }
uint64_t cwa_transitions(const cw_alarm *a) { return a->transitions; }

sim_time_t cwa_last_point_start(const cw_alarm *a) { return a->last_t0; }

size_t cwa_last_points(const cw_alarm *a, const double **v)
{
    *v = a->last;
    return a->n_last;
}
