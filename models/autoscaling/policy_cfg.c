/*
 * policy_cfg.c - aws_autoscaling_policy: simple, step, target tracking and
 * predictive scaling, as Terraform nests them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/cloudwatch/metric_cfg.h"

static void get_resource_label(loader *v, const ld_sect *s, bool required, int gi, int *tg_out)
{
    char b1[96];
    scenario *sc = v->s;
    const scn_node *n = ld_sect_need(s, "resource_label", required);
    if (!n)
        return;
    if (!ld_want_scalar(s, n, "resource_label", "a target group reference"))
        return;
    if (strncmp(n->str, "app/", 4) == 0) {
        char parts[6][256];
        int np = 0;
        const char *p = n->str;
        while (np < 6) {
            const char *q = strchr(p, '/');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (l == 0 || l >= sizeof parts[0])
                break;
            memcpy(parts[np], p, l);
            parts[np++][l] = '\0';
            if (!q)
                break;
            p = q + 1;
        }
        if (np != 6 || *p == '\0' || strchr(p, '/') || strcmp(parts[3], "targetgroup") != 0) {
            scn_err(&v->c, n, "'resource_label': expected app/<lb-name>/<lb-id>/targetgroup/<tg_out-name>/<tg_out-id> "
                    "or a target group reference, found '%s'", scn_clip(b1, sizeof b1, n->str));
            return;
        }
        const ld_res *lr = ld_res_find(v, parts[1]), *tr = ld_res_find(v, parts[4]);
        if (!lr || !ld_res_is(lr, "aws_lb")) {
            scn_err(&v->c, n, "'resource_label': no aws_lb named '%s'", scn_clip(b1, sizeof b1, parts[1]));
            return;
        }
        if (!tr || !ld_res_is(tr, "aws_lb_target_group")) {
            scn_err(&v->c, n, "'resource_label': no aws_lb_target_group named '%s'", scn_clip(b1, sizeof b1, parts[4]));
            return;
        }
        if (sc->lbs[lr->idx].target_group != tr->idx) {
            scn_err(&v->c, n, "'resource_label': target group %s is not behind load balancer %s", tr->name, lr->name);
            return;
        }
        *tg_out = tr->idx;
    } else if (ld_resolve(v, n, "resource_label", "aws_lb_target_group", tg_out) < 0) {
        return;
    }
    if (gi < 0)
        return;
    const scn_asg *g = &sc->asgs[gi];
    bool attached = false;
    for (size_t i = 0; i < g->n_target_groups; i++)
        attached = attached || g->target_groups[i] == *tg_out;
    if (!attached)
        scn_err(&v->c, n, "'resource_label': target group %s is not attached to aws_autoscaling_group %s "
                "(its target_group_arns)", sc->target_groups[*tg_out].name, g->name);
    else {
        bool behind = false;
        for (size_t i = 0; i < sc->n_lbs; i++)
            behind = behind || sc->lbs[i].target_group == *tg_out;
        if (!behind)
            scn_err(&v->c, n, "'resource_label': target group %s is behind no aws_lb", sc->target_groups[*tg_out].name);
    }
}

static int step_cmp(const void *pa, const void *pb)
{
    const scn_step *a = pa, *b = pb;
    if (!a->has_lower || !b->has_lower)
        return a->has_lower - b->has_lower;
    return (a->lower > b->lower) - (a->lower < b->lower);
}

static void load_steps(loader *v, const ld_sect *s, scn_policy *p)
{
    char what[640];
    const scn_node *sn = ld_get_seq(s, "step_adjustment", true, 20, "step_adjustment blocks");
    if (!sn)
        return;
    p->steps = calloc(sn->n, sizeof *p->steps);
    if (!p->steps) {
        scn_err(&v->c, sn, "out of memory");
        return;
    }
    p->n_steps = sn->n;
    bool bad = false;
    const scn_node *null_lower = NULL, *null_upper = NULL;
    for (size_t i = 0; i < sn->n; i++) {
        ld_sect st;
        snprintf(what, sizeof what, "step_adjustment %zu of %.400s", i, s->what);
        if (!ld_sect_open(v, &st, sn->kids[i], sn->kids[i], what)) {
            bad = true;
            continue;
        }
        static const char *const keys[] = {"metric_interval_lower_bound", "metric_interval_upper_bound",
                                           "scaling_adjustment", NULL};
        ld_sect_keys(&st, keys, NULL);
        scn_step *x = &p->steps[i];
        const scn_node *lo = ld_sect_get(&st, "metric_interval_lower_bound");
        const scn_node *hi = ld_sect_get(&st, "metric_interval_upper_bound");
        /* null (or absent) bound = -inf / +inf */
        if (lo && scn_is_null(lo))
            lo = NULL;
        if (hi && scn_is_null(hi))
            hi = NULL;
        int rl = lo ? ld_get_num(&st, "metric_interval_lower_bound", false, 0, -1e15, false, 1e15, &x->lower) : 0;
        int ru = hi ? ld_get_num(&st, "metric_interval_upper_bound", false, 0, -1e15, false, 1e15, &x->upper) : 0;
        x->has_lower = rl > 0;
        x->has_upper = ru > 0;
        long long adj = 0;
        int ra = ld_get_int(&st, "scaling_adjustment", true, 0, p->adjustment_type == SCN_ADJ_EXACT_CAPACITY ? 0 : -10000,
                         10000, &adj);
        x->adjustment = (int)adj;
        if (rl < 0 || ru < 0 || ra <= 0) {
            bad = true;
            continue;
        }
        if (x->has_lower && x->has_upper && x->upper <= x->lower) {
            scn_err(&v->c, hi, "'metric_interval_upper_bound' (%g) must be greater than the lower bound (%g)",
                    x->upper, x->lower);
            bad = true;
        }
        if (!lo) {
            if (null_lower) {
                scn_err(&v->c, sn->kids[i], "only one step may have a null 'metric_interval_lower_bound' "
                        "(an AWS rule; the other is at line %d)", null_lower->line);
                bad = true;
            }
            null_lower = sn->kids[i];
        }
        if (!hi) {
            if (null_upper) {
                scn_err(&v->c, sn->kids[i], "only one step may have a null 'metric_interval_upper_bound' "
                        "(an AWS rule; the other is at line %d)", null_upper->line);
                bad = true;
            }
            null_upper = sn->kids[i];
        }
    }
    if (bad)
        return;
    scn_step *sorted = malloc(p->n_steps * sizeof *sorted);
    if (!sorted) {
        scn_err(&v->c, sn, "out of memory");
        return;
    }
    memcpy(sorted, p->steps, p->n_steps * sizeof *sorted);
    qsort(sorted, p->n_steps, sizeof *sorted, step_cmp);
    for (size_t i = 0; i + 1 < p->n_steps; i++) {
        const scn_step *a = &sorted[i], *b = &sorted[i + 1];
        if (!a->has_upper || (b->has_lower && a->upper > b->lower)) {
            scn_err(&v->c, sn, "step_adjustment ranges overlap: [%s%g, %s%g) and [%g, ...) (an AWS rule: "
                    "no overlaps, no gaps)", a->has_lower ? "" : "-inf", a->has_lower ? a->lower : 0,
                    a->has_upper ? "" : "+inf", a->has_upper ? a->upper : 0, b->lower);
            break;
        }
        if (a->upper < b->lower) {
            scn_err(&v->c, sn, "step_adjustment ranges leave a gap between %g and %g (an AWS rule: no overlaps, "
                    "no gaps)", a->upper, b->lower);
            break;
        }
    }
    free(sorted);
}

/* TT (and predictive) predefined metric types. */
static const char *const tt_types[] = {"ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut",
                                       "ALBRequestCountPerTarget", NULL};
static const char *const pred_types[] = {"ASGCPUUtilization", "ASGNetworkIn", "ASGNetworkOut", "ALBRequestCount",
                                         NULL};

static void load_tt(loader *v, const ld_sect *ps, scn_policy *p)
{
    char what[512];
    const scn_node *n = ld_sect_need(ps, "target_tracking_configuration", true);
    ld_sect s;
    snprintf(what, sizeof what, "target_tracking_configuration of %.400s", ps->what);
    if (!n || !ld_sect_open(v, &s, n, n, what))
        return;
    static const char *const keys[] = {"predefined_metric_specification", "customized_metric_specification",
                                       "target_value", "disable_scale_in", "scale_out_evaluation_periods",
                                       "scale_in_evaluation_periods", "scale_in_threshold_ratio",
                                       "predefined_metric_type", NULL};
    ld_sect_keys(&s, keys, NULL);
    const scn_node *flat = ld_sect_key(&s, "predefined_metric_type");
    if (flat) /* the shorthand of early drafts: point at Terraform's nesting */
        scn_err(&v->c, flat, "'predefined_metric_type' goes inside 'predefined_metric_specification' (as in "
                "Terraform): predefined_metric_specification: {predefined_metric_type: %s}",
                ld_sect_get(&s, "predefined_metric_type")->kind == SCN_N_SCALAR ? ld_sect_get(&s, "predefined_metric_type")->str
                                                                                : "...");
    const scn_node *pm = ld_sect_get(&s, "predefined_metric_specification");
    const scn_node *cm = ld_sect_get(&s, "customized_metric_specification");
    if (pm && cm) {
        scn_err(&v->c, ld_sect_key(&s, "customized_metric_specification"), "%s: give one metric specification, "
                "predefined_metric_specification or customized_metric_specification, not both", what);
    } else if (!pm && !cm) {
        if (!flat)
            scn_err(&v->c, n, "%s needs a metric: predefined_metric_specification or "
                    "customized_metric_specification", what);
    } else if (pm) {
        ld_sect m;
        char mwhat[640];
        snprintf(mwhat, sizeof mwhat, "predefined_metric_specification of %.400s", ps->what);
        if (ld_sect_open(v, &m, pm, pm, mwhat)) {
            static const char *const mkeys[] = {"predefined_metric_type", "resource_label", NULL};
            ld_sect_keys(&m, mkeys, NULL);
            int t = 0;
            if (ld_sect_need(&m, "predefined_metric_type", true) &&
                ld_get_enum(&m, "predefined_metric_type", tt_types, NULL, &t, NULL) > 0) {
                p->tt_metric = (scn_tt_metric)t;
                if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
                    get_resource_label(v, &m, true, p->asg, &p->tt_tg);
                else if (ld_sect_key(&m, "resource_label"))
                    scn_err(&v->c, ld_sect_key(&m, "resource_label"), "'resource_label' applies only to "
                            "ALBRequestCountPerTarget");
            }
        }
    } else {
        ld_sect m;
        char mwhat[640];
        snprintf(mwhat, sizeof mwhat, "customized_metric_specification of %.400s", ps->what);
        p->tt_metric = SCN_TT_CUSTOM;
        p->tt_custom = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
        if (ld_sect_open(v, &m, cm, cm, mwhat)) {
            static const char *const mkeys[] = {"namespace", "metric_name", "metric_dimension", "statistic", "unit",
                                                NULL};
            static const char *const mlater[] = {"metrics", NULL};
            ld_sect_keys(&m, mkeys, mlater);
            const scn_node *nsn = NULL, *mn = NULL;
            int r1 = ld_get_str(&m, "namespace", true, 255, NULL, 0, &nsn);
            int r2 = ld_get_str(&m, "metric_name", true, 255, NULL, 0, &mn);
            ld_get_str(&m, "unit", false, 64, NULL, 0, NULL);
            int st = 0;
            if (ld_sect_need(&m, "statistic", true))
                ld_get_enum(&m, "statistic", metric_cfg_stat_names, NULL, &st, NULL);
            p->tt_custom.statistic = (scn_statistic)st;
            const metric_cfg_def *md = r1 > 0 && r2 > 0 ? metric_cfg_find(v, nsn, mn) : NULL;
            const scn_node *dn = ld_sect_get(&m, "metric_dimension");
            if (md) {
                p->tt_custom.id = md->id;
                unsigned seen = 0;
                bool good = true;
                if (dn && dn->kind != SCN_N_SEQ) {
                    scn_err(&v->c, dn, "'metric_dimension': expected a sequence of {name, value} blocks, found %s",
                            scn_kind_name(dn));
                    good = false;
                }
                for (size_t i = 0; dn && good && i < dn->n; i++) {
                    ld_sect d;
                    char dwhat[720];
                    snprintf(dwhat, sizeof dwhat, "metric_dimension %zu of %.400s", i, ps->what);
                    if (!ld_sect_open(v, &d, dn->kids[i], dn->kids[i], dwhat)) {
                        good = false;
                        continue;
                    }
                    static const char *const dkeys[] = {"name", "value", NULL};
                    ld_sect_keys(&d, dkeys, NULL);
                    const scn_node *dname = NULL;
                    const scn_node *dval = ld_sect_need(&d, "value", true);
                    if (ld_get_str(&d, "name", true, 255, NULL, 0, &dname) <= 0 || !dval) {
                        good = false;
                        continue;
                    }
                    good &= metric_cfg_apply_dim(v, md, dname, dval, &p->tt_custom, &seen);
                }
                if (good)
                    metric_cfg_check_dims(v, md, dn ? dn : cm, &p->tt_custom, seen);
            }
        }
    }
    double hi = p->tt_metric == SCN_TT_ASG_CPU ? 100 : 1e12;
    ld_get_num(&s, "target_value", true, 0, 0, true, hi, &p->target_value);
    bool dsi = false;
    ld_get_bool(&s, "disable_scale_in", false, &dsi);
    p->disable_scale_in = dsi;
    long long x;
    ld_get_int(&s, "scale_out_evaluation_periods", false, 3, 1, 1440, &x);
    p->tt_scale_out_periods = (int)x;
    ld_get_int(&s, "scale_in_evaluation_periods", false, 15, 1, 1440, &x);
    p->tt_scale_in_periods = (int)x;
    ld_get_num(&s, "scale_in_threshold_ratio", false, 0.7, 0, true, 1, &p->tt_scale_in_ratio);
}

static void load_predictive(loader *v, const ld_sect *ps, scn_policy *p)
{
    char what[512], mwhat[640], pwhat[720];
    const scn_node *n = ld_sect_need(ps, "predictive_scaling_configuration", true);
    ld_sect s;
    snprintf(what, sizeof what, "predictive_scaling_configuration of %.400s", ps->what);
    if (!n || !ld_sect_open(v, &s, n, n, what))
        return;
    static const char *const keys[] = {"metric_specification", "mode", "scheduling_buffer_time",
                                       "max_capacity_breach_behavior", "max_capacity_buffer", NULL};
    static const char *const modes[] = {"ForecastOnly", "ForecastAndScale", NULL};
    static const char *const breach[] = {"HonorMaxCapacity", "IncreaseMaxCapacity", NULL};
    ld_sect_keys(&s, keys, NULL);
    int mode = 0, br = 0;
    ld_get_enum(&s, "mode", modes, NULL, &mode, NULL);
    p->pred_mode = (scn_predictive_mode)mode;
    ld_get_dur(&s, "scheduling_buffer_time", false, 300 * SIM_SEC, 0, 3599 * SIM_SEC, &p->pred_buffer);
    ld_get_enum(&s, "max_capacity_breach_behavior", breach, NULL, &br, NULL);
    p->pred_increase_max = br;
    long long buf = 0;
    int rb = ld_get_int(&s, "max_capacity_buffer", false, 0, 0, 100, &buf);
    if (rb > 0 && !br)
        scn_err(&v->c, ld_sect_key(&s, "max_capacity_buffer"), "'max_capacity_buffer' applies only with "
                "max_capacity_breach_behavior IncreaseMaxCapacity");
    p->pred_max_buffer_pct = (int)buf;
    const scn_node *msn = ld_sect_need(&s, "metric_specification", true);
    ld_sect m;
    snprintf(mwhat, sizeof mwhat, "metric_specification of %.400s", what);
    if (!msn || !ld_sect_open(v, &m, msn, msn, mwhat))
        return;
    static const char *const mkeys[] = {"target_value", "predefined_metric_pair_specification", NULL};
    static const char *const mlater[] = {"predefined_scaling_metric_specification",
                                         "predefined_load_metric_specification",
                                         "customized_scaling_metric_specification",
                                         "customized_load_metric_specification",
                                         "customized_capacity_metric_specification", NULL};
    ld_sect_keys(&m, mkeys, mlater);
    ld_get_num(&m, "target_value", true, 0, 0, true, 1e12, &p->target_value);
    const scn_node *pp = ld_sect_need(&m, "predefined_metric_pair_specification", true);
    ld_sect q;
    snprintf(pwhat, sizeof pwhat, "predefined_metric_pair_specification of %.400s", ps->what);
    if (!pp || !ld_sect_open(v, &q, pp, pp, pwhat))
        return;
    static const char *const qkeys[] = {"predefined_metric_type", "resource_label", NULL};
    ld_sect_keys(&q, qkeys, NULL);
    int t = 0;
    if (ld_sect_need(&q, "predefined_metric_type", true) &&
        ld_get_enum(&q, "predefined_metric_type", pred_types, NULL, &t, NULL) > 0) {
        p->pred_metric = (scn_tt_metric)t; /* same order as tt_types */
        if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
            get_resource_label(v, &q, true, p->asg, &p->tt_tg);
        else if (ld_sect_key(&q, "resource_label"))
            scn_err(&v->c, ld_sect_key(&q, "resource_label"), "'resource_label' applies only to ALBRequestCount");
    }
}

static void load_policy(loader *v, const ld_sect *s, scn_policy *p)
{
    static const char *const keys[] = {"type", "name", "autoscaling_group_name", "policy_type", "enabled",
                                       "adjustment_type", "scaling_adjustment", "cooldown",
                                       "min_adjustment_magnitude", "metric_aggregation_type", "step_adjustment",
                                       "estimated_instance_warmup", "target_tracking_configuration",
                                       "predictive_scaling_configuration", NULL};
    static const char *const types[] = {"SimpleScaling", "StepScaling", "TargetTrackingScaling", "PredictiveScaling",
                                        NULL};
    static const char *const adjs[] = {"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity", NULL};
    static const char *const aggs[] = {"Average", "Minimum", "Maximum", NULL};
    ld_sect_keys(s, keys, NULL);
    ld_get_str(s, "name", false, 255, NULL, 0, NULL);
    ld_get_ref(s, "autoscaling_group_name", true, "aws_autoscaling_group", &p->asg);
    int type = SCN_POL_SIMPLE;
    if (ld_get_enum(s, "policy_type", types, NULL, &type, NULL) < 0)
        return;
    p->type = (scn_policy_type)type;
    bool en = true;
    ld_get_bool(s, "enabled", true, &en);
    p->enabled = en;
    static const char *const simple_keys[] = {"scaling_adjustment", "cooldown", NULL};
    static const char *const adj_keys[] = {"adjustment_type", "min_adjustment_magnitude", NULL};
    static const char *const step_keys[] = {"metric_aggregation_type", "step_adjustment", NULL};
    static const char *const warm_keys[] = {"estimated_instance_warmup", NULL};
    static const char *const tt_keys[] = {"target_tracking_configuration", NULL};
    static const char *const pred_keys[] = {"predictive_scaling_configuration", NULL};
    if (type != SCN_POL_SIMPLE)
        ld_only_for(s, simple_keys, "SimpleScaling policies");
    if (type != SCN_POL_SIMPLE && type != SCN_POL_STEP)
        ld_only_for(s, adj_keys, "SimpleScaling and StepScaling policies");
    if (type != SCN_POL_STEP)
        ld_only_for(s, step_keys, "StepScaling policies");
    if (type != SCN_POL_STEP && type != SCN_POL_TARGET_TRACKING)
        ld_only_for(s, warm_keys, "StepScaling and TargetTrackingScaling policies");
    if (type != SCN_POL_TARGET_TRACKING)
        ld_only_for(s, tt_keys, "TargetTrackingScaling policies");
    if (type != SCN_POL_PREDICTIVE)
        ld_only_for(s, pred_keys, "PredictiveScaling policies");
    if (type == SCN_POL_SIMPLE || type == SCN_POL_STEP) {
        int adj = 0;
        if (!ld_sect_get(s, "adjustment_type"))
            scn_err(&v->c, s->owner, "missing required key 'adjustment_type' in %s: %s policies need one of "
                    "ChangeInCapacity, ExactCapacity, PercentChangeInCapacity", s->what, types[type]);
        else
            ld_get_enum(s, "adjustment_type", adjs, NULL, &adj, NULL);
        p->adjustment_type = (scn_adjustment)adj;
        long long x = 0;
        if (ld_get_int(s, "min_adjustment_magnitude", false, 0, 1, 10000, &x) > 0 &&
            p->adjustment_type != SCN_ADJ_PERCENT_CHANGE)
            scn_err(&v->c, ld_sect_key(s, "min_adjustment_magnitude"), "'min_adjustment_magnitude' applies only "
                    "with adjustment_type PercentChangeInCapacity (an AWS rule)");
        p->min_adjustment_magnitude = (int)x;
    }
    if (type == SCN_POL_SIMPLE) {
        long long x = 0;
        ld_get_int(s, "scaling_adjustment", true, 0, p->adjustment_type == SCN_ADJ_EXACT_CAPACITY ? 0 : -10000, 10000,
                &x);
        p->scaling_adjustment = (int)x;
        ld_get_dur(s, "cooldown", false, -1, 0, LD_BIG_DUR, &p->cooldown);
    }
    if (type == SCN_POL_STEP) {
        int agg = 0;
        ld_get_enum(s, "metric_aggregation_type", aggs, NULL, &agg, NULL);
        p->metric_aggregation_type = (scn_aggregation)agg;
        load_steps(v, s, p);
    }
    if (type == SCN_POL_STEP || type == SCN_POL_TARGET_TRACKING)
        ld_get_dur(s, "estimated_instance_warmup", false, -1, 0, LD_BIG_DUR, &p->estimated_instance_warmup);
    if (type == SCN_POL_TARGET_TRACKING)
        load_tt(v, s, p);
    if (type == SCN_POL_PREDICTIVE)
        load_predictive(v, s, p);
}

/* ---------------------------------------------------------------- scheduled actions */


static void policy_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_policy *p = cfg;
    (void)r;
    p->asg = -1;
    p->type = SCN_POL_SIMPLE;
    p->enabled = 1;
    p->cooldown = -1;
    p->metric_aggregation_type = SCN_AGG_AVERAGE;
    p->estimated_instance_warmup = -1;
    p->tt_tg = -1;
    p->tt_custom = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    p->tt_scale_out_periods = 3;
    p->tt_scale_in_periods = 15;
    p->tt_scale_in_ratio = 0.7;
    p->pred_mode = SCN_PRED_FORECAST_ONLY;
    p->pred_buffer = 300 * SIM_SEC;
    load_policy(v, s, p);
}

static void policy_free(void *cfg)
{
    free(((scn_policy *)cfg)->steps);
}

const res_type res_aws_autoscaling_policy = {
    .tf_type = "aws_autoscaling_policy",
    .aliases = NULL,
    .pass = 1,
    .cfg_size = sizeof(scn_policy),
    .arr_off = offsetof(scenario, policies),
    .n_off = offsetof(scenario, n_policies),
    .load = policy_load,
    .finish = NULL,
    .free_cfg = policy_free,
};
