/*
 * policy_cfg.c - aws_autoscaling_policy: simple, step, target tracking and
 * predictive scaling, as Terraform nests them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/control.h"
#include "models/core/loader.h"
#include "models/cloudwatch/metric_cfg.h"

static const char *const policy_types[] = {"SimpleScaling", "StepScaling", "TargetTrackingScaling", "PredictiveScaling",
                                           NULL};
static const char *const adjs[] = {"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity", NULL};
static const char *const aggs[] = {"Average", "Minimum", "Maximum", NULL};
/* TT (and predictive) predefined metric types. */
static const char *const tt_types[] = {"ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut",
                                       "ALBRequestCountPerTarget", NULL};
static const char *const pred_types[] = {"ASGCPUUtilization", "ASGNetworkIn", "ASGNetworkOut", "ALBRequestCount",
                                         NULL};
static const char *const modes[] = {"ForecastOnly", "ForecastAndScale", NULL};
static const char *const breach[] = {"HonorMaxCapacity", "IncreaseMaxCapacity", NULL};

static const ld_key step_keys[] = {
    {.name = "metric_interval_lower_bound", .kind = LD_NUM, .lo = "-1e15", .hi = "1e15", .source = "Terraform / Auto Scaling API",
     .doc = "the step starts this far above the alarm threshold; null or absent: minus infinity"},
    {.name = "metric_interval_upper_bound", .kind = LD_NUM, .lo = "-1e15", .hi = "1e15", .source = "Terraform / Auto Scaling API",
     .doc = "the step ends here (exclusive); null or absent: plus infinity"},
    {.name = "scaling_adjustment", .kind = LD_INT, .lo = "-10000", .hi = "10000", .flags = LD_REQUIRED,
     .source = "Terraform / Auto Scaling API", .doc = "the change in the step's range (at least 0 with ExactCapacity)"},
    {.name = NULL},
};

static const ld_key label_keys[] = {
    {.name = "predefined_metric_type", .kind = LD_ENUM, .values = tt_types, .flags = LD_REQUIRED, .source = "Terraform / Auto Scaling API",
     .doc = "the metric tracked"},
    {.name = "resource_label", .kind = LD_STR, .hi = "1023", .source = "Terraform / Auto Scaling API",
     .doc = "ALBRequestCountPerTarget only: app/<lb>/<id>/targetgroup/<tg>/<id> or a target group reference"},
    {.name = NULL},
};

static const ld_key dim_keys[] = {
    {.name = "name", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED, .source = "Terraform", .doc = "a dimension of the metric"},
    {.name = "value", .kind = LD_STR, .flags = LD_REQUIRED, .source = "Terraform", .doc = "its value (a resource reference for resource dimensions)"},
    {.name = NULL},
};

static const ld_key custom_keys[] = {
    {.name = "namespace", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED, .source = "Terraform", .doc = "a namespace fleetsim publishes"},
    {.name = "metric_name", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED, .source = "Terraform", .doc = "a metric of that namespace"},
    {.name = "metric_dimension", .kind = LD_BLOCK, .block = dim_keys, .source = "Terraform",
     .doc = "a list of these blocks: the metric's dimensions"},
    {.name = "statistic", .kind = LD_ENUM, .values = metric_cfg_stat_names, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the statistic tracked"},
    {.name = "unit", .kind = LD_STR, .hi = "64", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "metrics", .kind = LD_LATER},
    {.name = NULL},
};

static const ld_key tt_keys[] = {
    {.name = "predefined_metric_specification", .kind = LD_BLOCK, .block = label_keys, .source = "Terraform",
     .doc = "a predefined metric (or customized_metric_specification)"},
    {.name = "customized_metric_specification", .kind = LD_BLOCK, .block = custom_keys, .source = "Terraform",
     .doc = "a CloudWatch metric fleetsim publishes (or predefined_metric_specification)"},
    {.name = "target_value", .kind = LD_NUM, .lo = "0", .hi = "1e12", .flags = LD_REQUIRED | LD_LO_OPEN,
     .source = "Terraform / Auto Scaling API", .doc = "the metric's target (at most 100 for ASGAverageCPUUtilization)"},
    {.name = "disable_scale_in", .kind = LD_BOOL, .def = "false", .source = "Terraform and Auto Scaling API",
     .doc = "the policy only scales out"},
    {.name = "scale_out_evaluation_periods", .kind = LD_INT, .def = "3", .lo = "1", .hi = "1440",
     .source = "fleetsim (aws-semantics 2.1: AlarmHigh, 3 of 3 one-minute points)", .doc = "points above target before scaling out"},
    {.name = "scale_in_evaluation_periods", .kind = LD_INT, .def = "15", .lo = "1", .hi = "1440",
     .source = "fleetsim (aws-semantics 2.1: AlarmLow, 15 of 15 points)", .doc = "points below the scale-in threshold before scaling in"},
    {.name = "scale_in_threshold_ratio", .kind = LD_NUM, .def = "0.7", .lo = "0", .hi = "1", .flags = LD_LO_OPEN,
     .source = "fleetsim (aws-semantics 2.1, observed: target 50 -> AlarmLow 35)", .doc = "AlarmLow's threshold as a share of the target"},
    {.name = "predefined_metric_type", .kind = LD_STR, .source = "fleetsim",
     .doc = "an early shorthand: an error that points at predefined_metric_specification"},
    {.name = NULL},
};

static const ld_key pair_keys[] = {
    {.name = "predefined_metric_type", .kind = LD_ENUM, .values = pred_types, .flags = LD_REQUIRED, .source = "Terraform / Auto Scaling API",
     .doc = "the load and scaling metric pair"},
    {.name = "resource_label", .kind = LD_STR, .hi = "1023", .source = "Terraform / Auto Scaling API",
     .doc = "ALBRequestCount only: app/<lb>/<id>/targetgroup/<tg>/<id> or a target group reference"},
    {.name = NULL},
};

static const ld_key spec_keys[] = {
    {.name = "target_value", .kind = LD_NUM, .lo = "0", .hi = "1e12", .flags = LD_REQUIRED | LD_LO_OPEN,
     .source = "Terraform / Auto Scaling API", .doc = "the scaling metric's target"},
    {.name = "predefined_metric_pair_specification", .kind = LD_BLOCK, .block = pair_keys, .flags = LD_REQUIRED,
     .source = "Terraform", .doc = "the metrics forecast"},
    {.name = "predefined_scaling_metric_specification", .kind = LD_LATER},
    {.name = "predefined_load_metric_specification", .kind = LD_LATER},
    {.name = "customized_scaling_metric_specification", .kind = LD_LATER},
    {.name = "customized_load_metric_specification", .kind = LD_LATER},
    {.name = "customized_capacity_metric_specification", .kind = LD_LATER},
    {.name = NULL},
};

static const ld_key pred_keys[] = {
    {.name = "metric_specification", .kind = LD_BLOCK, .block = spec_keys, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the target and the metrics"},
    {.name = "mode", .kind = LD_ENUM, .def = "ForecastOnly", .values = modes, .source = "Terraform and Auto Scaling API (ForecastOnly)",
     .doc = "ForecastAndScale acts on the forecast"},
    {.name = "scheduling_buffer_time", .kind = LD_SECONDS, .def = "300", .lo = "0", .hi = "3599",
     .source = "Auto Scaling API (300 s, less than an hour); Terraform leaves it to AWS",
     .doc = "instances launch this long before the forecast needs them"},
    {.name = "max_capacity_breach_behavior", .kind = LD_ENUM, .def = "HonorMaxCapacity", .values = breach,
     .source = "Terraform and Auto Scaling API (HonorMaxCapacity)", .doc = "IncreaseMaxCapacity lets the forecast raise max_size"},
    {.name = "max_capacity_buffer", .kind = LD_INT, .def = "0", .lo = "0", .hi = "100", .source = "Terraform / Auto Scaling API (0)",
     .doc = "IncreaseMaxCapacity only: percent above the forecast max_size may go"},
    {.name = NULL},
};

static const ld_key policy_keys[] = {
    {.name = "autoscaling_group_name", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_autoscaling_group"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform (required there; optional here)", .doc = "the policy's AWS name"},
    {.name = "policy_type", .kind = LD_ENUM, .def = "SimpleScaling", .values = policy_types,
     .source = "Terraform and Auto Scaling API (SimpleScaling)", .doc = "which of the blocks below applies"},
    {.name = "enabled", .kind = LD_BOOL, .def = "true", .source = "Terraform (true)", .doc = "a disabled policy does nothing when its alarm fires"},
    {.name = "adjustment_type", .kind = LD_ENUM, .values = adjs, .source = "Terraform / Auto Scaling API",
     .doc = "SimpleScaling and StepScaling (required): how scaling_adjustment is read"},
    {.name = "scaling_adjustment", .kind = LD_INT, .lo = "-10000", .hi = "10000", .source = "Terraform / Auto Scaling API",
     .doc = "SimpleScaling (required): the change (at least 0 with ExactCapacity)"},
    {.name = "cooldown", .kind = LD_SECONDS, .lo = "0", .source = "Terraform / Auto Scaling API (unset: the group's default_cooldown)",
     .doc = "SimpleScaling: the wait after this policy's activity"},
    {.name = "min_adjustment_magnitude", .kind = LD_INT, .lo = "1", .hi = "10000", .source = "Terraform / Auto Scaling API",
     .doc = "PercentChangeInCapacity: the smallest change"},
    {.name = "metric_aggregation_type", .kind = LD_ENUM, .def = "Average", .values = aggs,
     .source = "Auto Scaling API (Average); Terraform leaves it to AWS", .doc = "StepScaling: how the alarm's metric is aggregated"},
    {.name = "step_adjustment", .kind = LD_BLOCK, .block = step_keys, .hi = "20", .source = "Terraform / Auto Scaling API (at most 20)",
     .doc = "StepScaling (required): a list of these blocks, no overlaps, no gaps"},
    {.name = "estimated_instance_warmup", .kind = LD_SECONDS, .lo = "0",
     .source = "Terraform / Auto Scaling API (unset: the group's default_instance_warmup, else default_cooldown)",
     .doc = "StepScaling and TargetTrackingScaling: a new instance counts after this long"},
    {.name = "target_tracking_configuration", .kind = LD_BLOCK, .block = tt_keys, .source = "Terraform",
     .doc = "TargetTrackingScaling (required)"},
    {.name = "predictive_scaling_configuration", .kind = LD_BLOCK, .block = pred_keys, .source = "Terraform",
     .doc = "PredictiveScaling (required)"},
    {.name = NULL},
};

/* ld_block, named "NAME of OF" as the policy's messages name their nested blocks. */
static bool sub_block(const ld_sect *s, const char *name, const char *of, ld_sect *out, char *what, size_t size)
{
    bool open = ld_block(s, name, out, what, size);
    snprintf(what, size, "%s of %.400s", name, of);
    return open;
}

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
        if (!scn_lb_routes_to(sc, lr->idx, tr->idx)) {
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
            behind = behind || scn_lb_routes_to(sc, (int)i, *tg_out);
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

/* scaling_adjustment by its row; ExactCapacity raises the row's lower bound to 0 (a capacity is not negative). */
static int adjustment(const ld_sect *s, const scn_policy *p, long long *out)
{
    int rc = ld_int(s, "scaling_adjustment", out);
    if (rc > 0 && p->adjustment_type == SCN_ADJ_EXACT_CAPACITY && *out < 0) {
        const ld_key *row = ld_key_find(s->keys, "scaling_adjustment");
        scn_err(&s->v->c, ld_sect_get(s, "scaling_adjustment"), "'scaling_adjustment' is out of range: %lld (must be "
                "between 0 and %s)", *out, row->hi);
        *out = 0;
        return -1;
    }
    return rc;
}

static void load_steps(loader *v, const ld_sect *s, scn_policy *p)
{
    char what[640];
    /* Required for StepScaling only, so not in the row: this is the StepScaling path. */
    const ld_key *row = ld_key_find(s->keys, "step_adjustment");
    const scn_node *sn = ld_get_seq(s, "step_adjustment", true, (size_t)strtoul(row->hi, NULL, 10),
                                    "step_adjustment blocks");
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
        ld_sect_check(&st, step_keys);
        scn_step *x = &p->steps[i];
        const scn_node *lo = ld_sect_get(&st, "metric_interval_lower_bound");
        const scn_node *hi = ld_sect_get(&st, "metric_interval_upper_bound");
        /* null (or absent) bound = -inf / +inf */
        if (lo && scn_is_null(lo))
            lo = NULL;
        if (hi && scn_is_null(hi))
            hi = NULL;
        int rl = lo ? ld_num(&st, "metric_interval_lower_bound", &x->lower) : 0;
        int ru = hi ? ld_num(&st, "metric_interval_upper_bound", &x->upper) : 0;
        x->has_lower = rl > 0;
        x->has_upper = ru > 0;
        long long adj = 0;
        int ra = adjustment(&st, p, &adj);
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

static void load_custom_metric(loader *v, const ld_sect *tt, const char *pwhat, scn_policy *p)
{
    ld_sect m;
    char mwhat[640];
    p->tt_metric = SCN_TT_CUSTOM;
    p->tt_custom = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    if (!sub_block(tt, "customized_metric_specification", pwhat, &m, mwhat, sizeof mwhat))
        return;
    const scn_node *nsn = NULL, *mn = NULL;
    int r1 = ld_str(&m, "namespace", NULL, 0, &nsn);
    int r2 = ld_str(&m, "metric_name", NULL, 0, &mn);
    ld_str(&m, "unit", NULL, 0, NULL);
    int st = 0;
    ld_enum(&m, "statistic", &st, NULL);
    p->tt_custom.statistic = (scn_statistic)st;
    const metric_cfg_def *md = r1 > 0 && r2 > 0 ? metric_cfg_find(v, nsn, mn) : NULL;
    const scn_node *dn = ld_sect_get(&m, "metric_dimension");
    if (!md)
        return;
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
        snprintf(dwhat, sizeof dwhat, "metric_dimension %zu of %.400s", i, pwhat);
        if (!ld_sect_open(v, &d, dn->kids[i], dn->kids[i], dwhat)) {
            good = false;
            continue;
        }
        ld_sect_check(&d, dim_keys);
        const scn_node *dname = NULL;
        const scn_node *dval = ld_sect_need(&d, "value", true);
        if (ld_str(&d, "name", NULL, 0, &dname) <= 0 || !dval) {
            good = false;
            continue;
        }
        good &= metric_cfg_apply_dim(v, md, dname, dval, &p->tt_custom, &seen);
    }
    if (good)
        metric_cfg_check_dims(v, md, dn ? dn : ld_sect_get(tt, "customized_metric_specification"), &p->tt_custom, seen);
}

static void load_tt(loader *v, const ld_sect *ps, scn_policy *p)
{
    char what[512], mwhat[640];
    ld_sect s;
    if (!ld_sect_need(ps, "target_tracking_configuration", true) ||
        !ld_block(ps, "target_tracking_configuration", &s, what, sizeof what))
        return;
    const scn_node *n = ld_sect_get(ps, "target_tracking_configuration");
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
        if (sub_block(&s, "predefined_metric_specification", ps->what, &m, mwhat, sizeof mwhat)) {
            int t = 0;
            if (ld_enum(&m, "predefined_metric_type", &t, NULL) > 0) {
                p->tt_metric = (scn_tt_metric)t;
                if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
                    get_resource_label(v, &m, true, p->asg, &p->tt_tg);
                else if (ld_sect_key(&m, "resource_label"))
                    scn_err(&v->c, ld_sect_key(&m, "resource_label"), "'resource_label' applies only to "
                            "ALBRequestCountPerTarget");
            }
        }
    } else {
        load_custom_metric(v, &s, ps->what, p);
    }
    if (ld_num(&s, "target_value", &p->target_value) > 0 && p->tt_metric == SCN_TT_ASG_CPU && p->target_value > 100)
        scn_err(&v->c, ld_sect_get(&s, "target_value"), "'target_value' is out of range: %g (must be more than 0 "
                "and at most 100)", p->target_value);
    bool dsi = false;
    ld_bool(&s, "disable_scale_in", &dsi);
    p->disable_scale_in = dsi;
    long long x = 0;
    ld_int(&s, "scale_out_evaluation_periods", &x);
    p->tt_scale_out_periods = (int)x;
    ld_int(&s, "scale_in_evaluation_periods", &x);
    p->tt_scale_in_periods = (int)x;
    ld_num(&s, "scale_in_threshold_ratio", &p->tt_scale_in_ratio);
}

static void load_predictive(loader *v, const ld_sect *ps, scn_policy *p)
{
    char what[512], mwhat[640], pwhat[720];
    ld_sect s;
    if (!ld_sect_need(ps, "predictive_scaling_configuration", true) ||
        !ld_block(ps, "predictive_scaling_configuration", &s, what, sizeof what))
        return;
    int mode = 0, br = 0;
    ld_enum(&s, "mode", &mode, NULL);
    p->pred_mode = (scn_predictive_mode)mode;
    ld_dur(&s, "scheduling_buffer_time", &p->pred_buffer);
    ld_enum(&s, "max_capacity_breach_behavior", &br, NULL);
    p->pred_increase_max = br;
    long long buf = 0;
    int rb = ld_int(&s, "max_capacity_buffer", &buf);
    if (rb > 0 && !br)
        scn_err(&v->c, ld_sect_key(&s, "max_capacity_buffer"), "'max_capacity_buffer' applies only with "
                "max_capacity_breach_behavior IncreaseMaxCapacity");
    p->pred_max_buffer_pct = (int)buf;
    ld_sect m;
    if (!ld_block(&s, "metric_specification", &m, mwhat, sizeof mwhat))
        return;
    ld_num(&m, "target_value", &p->target_value);
    ld_sect q;
    if (!sub_block(&m, "predefined_metric_pair_specification", ps->what, &q, pwhat, sizeof pwhat))
        return;
    int t = 0;
    if (ld_enum(&q, "predefined_metric_type", &t, NULL) > 0) {
        p->pred_metric = (scn_tt_metric)t; /* same order as tt_types */
        if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
            get_resource_label(v, &q, true, p->asg, &p->tt_tg);
        else if (ld_sect_key(&q, "resource_label"))
            scn_err(&v->c, ld_sect_key(&q, "resource_label"), "'resource_label' applies only to ALBRequestCount");
    }
}

static void load_policy(loader *v, const ld_sect *ps, scn_policy *p)
{
    ld_sect b = *ps;
    const ld_sect *s = &b;
    ld_sect_check(&b, policy_keys);
    ld_str(s, "name", NULL, 0, NULL);
    ld_ref(s, "autoscaling_group_name", "aws_autoscaling_group", &p->asg);
    int type = 0;
    if (ld_enum(s, "policy_type", &type, NULL) < 0)
        return;
    p->type = (scn_policy_type)type;
    bool en = false;
    ld_bool(s, "enabled", &en);
    p->enabled = en;
    static const char *const simple_keys[] = {"scaling_adjustment", "cooldown", NULL};
    static const char *const adj_keys[] = {"adjustment_type", "min_adjustment_magnitude", NULL};
    static const char *const step_only[] = {"metric_aggregation_type", "step_adjustment", NULL};
    static const char *const warm_keys[] = {"estimated_instance_warmup", NULL};
    static const char *const tt_only[] = {"target_tracking_configuration", NULL};
    static const char *const pred_only[] = {"predictive_scaling_configuration", NULL};
    if (type != SCN_POL_SIMPLE)
        ld_only_for(s, simple_keys, "SimpleScaling policies");
    if (type != SCN_POL_SIMPLE && type != SCN_POL_STEP)
        ld_only_for(s, adj_keys, "SimpleScaling and StepScaling policies");
    if (type != SCN_POL_STEP)
        ld_only_for(s, step_only, "StepScaling policies");
    if (type != SCN_POL_STEP && type != SCN_POL_TARGET_TRACKING)
        ld_only_for(s, warm_keys, "StepScaling and TargetTrackingScaling policies");
    if (type != SCN_POL_TARGET_TRACKING)
        ld_only_for(s, tt_only, "TargetTrackingScaling policies");
    if (type != SCN_POL_PREDICTIVE)
        ld_only_for(s, pred_only, "PredictiveScaling policies");
    if (type == SCN_POL_SIMPLE || type == SCN_POL_STEP) {
        int adj = 0;
        if (!ld_sect_get(s, "adjustment_type"))
            scn_err(&v->c, s->owner, "missing required key 'adjustment_type' in %s: %s policies need one of "
                    "ChangeInCapacity, ExactCapacity, PercentChangeInCapacity", s->what, policy_types[type]);
        else
            ld_enum(s, "adjustment_type", &adj, NULL);
        p->adjustment_type = (scn_adjustment)adj;
        long long x = 0;
        if (ld_int(s, "min_adjustment_magnitude", &x) > 0 && p->adjustment_type != SCN_ADJ_PERCENT_CHANGE)
            scn_err(&v->c, ld_sect_key(s, "min_adjustment_magnitude"), "'min_adjustment_magnitude' applies only "
                    "with adjustment_type PercentChangeInCapacity (an AWS rule)");
        p->min_adjustment_magnitude = (int)x;
    }
    if (type == SCN_POL_SIMPLE) {
        long long x = 0;
        if (ld_sect_need(s, "scaling_adjustment", true))
            adjustment(s, p, &x);
        p->scaling_adjustment = (int)x;
        p->cooldown = -1; /* unset: the group's default_cooldown */
        ld_dur(s, "cooldown", &p->cooldown);
    }
    if (type == SCN_POL_STEP) {
        int agg = 0;
        ld_enum(s, "metric_aggregation_type", &agg, NULL);
        p->metric_aggregation_type = (scn_aggregation)agg;
        load_steps(v, s, p);
    }
    if (type == SCN_POL_STEP || type == SCN_POL_TARGET_TRACKING)
        ld_dur(s, "estimated_instance_warmup", &p->estimated_instance_warmup);
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
    /* -1: unset or no such resource */
    p->asg = -1;
    p->cooldown = -1;
    p->estimated_instance_warmup = -1;
    p->tt_tg = -1;
    p->tt_custom = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    load_policy(v, s, p);
}

static void policy_free(void *cfg)
{
    free(((scn_policy *)cfg)->steps);
}

/* ---------------------------------------------------------------- the run */

static int policy_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)cfg;
    *model = NULL;
    return control_build(b, control_add_policy, idx, err, errlen);
}

const res_type res_aws_autoscaling_policy = {
    .tf_type = "aws_autoscaling_policy",
    .doc = "A scaling policy of a group: simple, step, target tracking or predictive, as Terraform nests them.",
    .keys = policy_keys,
    .pass = 1,
    .cfg_size = sizeof(scn_policy),
    .arr_off = offsetof(scenario, policies),
    .n_off = offsetof(scenario, n_policies),
    .load = policy_load,
    .finish = NULL,
    .free_cfg = policy_free,
    .stage = WB_STAGE_POLICIES,
    .build = policy_build,
};
