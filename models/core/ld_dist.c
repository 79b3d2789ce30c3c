/*
 * ld_dist.c - distribution blocks ({dist: lognormal, p50: 20s, p99: 45s}),
 * in seconds, checked and turned into sim_dist for GSL's samplers.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

/* ---------------------------------------------------------------- distributions */

static const char *const dist_names[] = {
    "constant", "exponential", "uniform", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical", NULL,
};

#define MAX_EMPIRICAL 100000

/* Reads a distribution of durations (a bare duration is a constant) into seconds. */
int ld_get_dist(const ld_sect *ps, const char *key, bool required, sim_dist *out, double **values)
{
    loader *v = ps->v;
    char what[512], b1[32], b2[32];
    const scn_node *n = ld_sect_need(ps, key, required);
    if (!n)
        return 0;
    if (n->kind == SCN_N_SCALAR) {
        sim_time_t t;
        if (ld_dur_value(ps, n, key, &t) < 0)
            return -1;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(t)};
        return 1;
    }
    snprintf(what, sizeof what, "'%s' of %.400s", key, ps->what);
    ld_sect s;
    if (!ld_sect_open(v, &s, n, n, what))
        return -1;
    int kind = -1;
    const scn_node *dn = ld_sect_need(&s, "dist", true);
    if (!dn)
        return -1;
    if (ld_get_enum(&s, "dist", dist_names, NULL, &kind, NULL) < 0)
        return -1;
    static const char *const keys[][6] = {
        {"dist", "value", NULL}, {"dist", "mean", NULL}, {"dist", "min", "max", NULL},
        {"dist", "mean", "sd", NULL}, {"dist", "mean", "cv", "p50", "p99", NULL},
        {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL},
        {"dist", "values", NULL},
    };
    ld_sect_keys(&s, keys[kind], NULL);
    const sim_time_t BIG = 400 * SIM_DAY;
    sim_time_t a = 0, b = 0;
    double x = 0;
    int bad = 0;
    switch (kind) {
    case 0:
        bad |= ld_get_dur(&s, "value", true, 0, 0, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(a)};
        break;
    case 1:
        bad |= ld_get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = ld_sec(a)};
        break;
    case 2:
        bad |= ld_get_dur(&s, "min", true, 0, 0, BIG, &a) <= 0;
        bad |= ld_get_dur(&s, "max", true, 0, 0, BIG, &b) <= 0;
        if (!bad && a > b) {
            scn_err(&v->c, ld_sect_get(&s, "max"), "'max' (%s) must not be less than 'min' (%s)",
                    ld_fmt_dur(b1, sizeof b1, b), ld_fmt_dur(b2, sizeof b2, a));
            bad = 1;
        }
        *out = (sim_dist){.kind = SIM_DIST_UNIFORM, .a = ld_sec(a), .b = ld_sec(b)};
        break;
    case 3:
        bad |= ld_get_dur(&s, "mean", true, 0, 0, BIG, &a) <= 0;
        bad |= ld_get_dur(&s, "sd", true, 0, 1, BIG, &b) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_NORMAL, .a = ld_sec(a), .b = ld_sec(b)};
        break;
    case 4: {
        bool by_mean = ld_sect_get(&s, "mean") || ld_sect_get(&s, "cv");
        bool by_pct = ld_sect_get(&s, "p50") || ld_sect_get(&s, "p99");
        if (by_mean && by_pct) {
            scn_err(&v->c, n, "%s: give either mean and cv, or p50 and p99, not both", what);
            return -1;
        }
        if (!by_pct) {
            bad |= ld_get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
            bad |= ld_get_num(&s, "cv", true, 0, 0, true, 100, &x) <= 0;
            if (!bad && sim_dist_lognormal_mean_cv(out, ld_sec(a), x) != 0) {
                scn_err(&v->c, n, "%s: mean %s and cv %g give no valid lognormal", what,
                        ld_fmt_dur(b1, sizeof b1, a), x);
                bad = 1;
            }
        } else {
            bad |= ld_get_dur(&s, "p50", true, 0, 1, BIG, &a) <= 0;
            bad |= ld_get_dur(&s, "p99", true, 0, 1, BIG, &b) <= 0;
            if (!bad && b <= a) {
                scn_err(&v->c, ld_sect_get(&s, "p99"), "'p99' (%s) must be greater than 'p50' (%s)",
                        ld_fmt_dur(b1, sizeof b1, b), ld_fmt_dur(b2, sizeof b2, a));
                bad = 1;
            }
            if (!bad && sim_dist_lognormal_p50_p99(out, ld_sec(a), ld_sec(b)) != 0) {
                scn_err(&v->c, n, "%s: p50 %s and p99 %s give no valid lognormal", what,
                        ld_fmt_dur(b1, sizeof b1, a), ld_fmt_dur(b2, sizeof b2, b));
                bad = 1;
            }
        }
        break;
    }
    case 5:
    case 6:
    case 7:
        bad |= ld_get_num(&s, "shape", true, 0, 0, true, 1e6, &x) <= 0;
        bad |= ld_get_dur(&s, "scale", true, 0, 1, BIG, &a) <= 0;
        if (kind == 5)
            *out = (sim_dist){.kind = SIM_DIST_GAMMA, .a = x, .b = ld_sec(a)};
        else if (kind == 6)
            *out = (sim_dist){.kind = SIM_DIST_WEIBULL, .a = ld_sec(a), .b = x};
        else
            *out = (sim_dist){.kind = SIM_DIST_PARETO, .a = x, .b = ld_sec(a)};
        break;
    case 8: {
        const scn_node *vn = ld_sect_need(&s, "values", true);
        if (!vn)
            return -1;
        if (vn->kind != SCN_N_SEQ || vn->n < 1 || vn->n > MAX_EMPIRICAL) {
            char found[64];
            snprintf(found, sizeof found, "%s", scn_kind_name(vn));
            if (vn->kind == SCN_N_SEQ)
                snprintf(found, sizeof found, "%zu", vn->n);
            scn_err(&v->c, vn, "'values': expected a sequence of 1 to %d durations, found %s", MAX_EMPIRICAL,
                    vn->kind == SCN_N_SEQ && vn->n == 0 ? "an empty sequence" : found);
            return -1;
        }
        double *vals = malloc(vn->n * sizeof *vals);
        if (!vals) {
            scn_err(&v->c, vn, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < vn->n; i++) {
            sim_time_t t = 0;
            bad |= ld_dur_value(&s, vn->kids[i], "values", &t) < 0;
            vals[i] = ld_sec(t);
        }
        if (bad) {
            free(vals);
            return -1;
        }
        free(*values);
        *values = vals;
        *out = (sim_dist){.kind = SIM_DIST_EMPIRICAL, .values = vals, .n_values = vn->n};
        break;
    }
    default:
        return -1;
    }
    return bad ? -1 : 1;
}

