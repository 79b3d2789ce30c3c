/*
 * alarm_cfg.c - aws_cloudwatch_metric_alarm: the metric, M of N evaluation,
 * missing data and the actions (scaling policies, SNS topics).
 */
#include <stdlib.h>
#include <string.h>

#include "models/core/control.h"
#include "models/core/loader.h"
#include "models/cloudwatch/metric_cfg.h"

/* alarm_actions / ok_actions / insufficient_data_actions: policies or SNS topics. */
static void load_actions(loader *v, const ld_sect *s, const char *key, scn_action *acts, size_t *n_acts)
{
    scenario *sc = v->s;
    const scn_node *an = ld_sect_get(s, key);
    if (!an)
        return;
    if (an->kind != SCN_N_SEQ || an->n > SCN_MAX_ACTIONS) {
        scn_err(&v->c, an, "'%s': expected a sequence of at most %d aws_autoscaling_policy or aws_sns_topic "
                "references, found %s", key, SCN_MAX_ACTIONS, an->kind == SCN_N_SEQ ? "more" : scn_kind_name(an));
        return;
    }
    for (size_t i = 0; i < an->n; i++) {
        static const char *const types[] = {"aws_autoscaling_policy", "aws_sns_topic", NULL};
        const res_type *type = NULL;
        int idx = -1;
        if (ld_resolve_any(v, an->kids[i], key, types, &type, &idx) < 0)
            continue;
        bool is_policy = strcmp(type->tf_type, "aws_autoscaling_policy") == 0;
        if (is_policy) {
            const scn_policy *p = &sc->policies[idx];
            if (p->type == SCN_POL_TARGET_TRACKING || p->type == SCN_POL_PREDICTIVE) {
                scn_err(&v->c, an->kids[i], "'%s': %s is a %s policy, which manages its own alarms: only "
                        "SimpleScaling and StepScaling policies are alarm actions", key, p->name,
                        p->type == SCN_POL_PREDICTIVE ? "PredictiveScaling" : "TargetTrackingScaling");
                continue;
            }
        }
        for (size_t j = 0; j < *n_acts; j++)
            if (acts[j].index == idx && (acts[j].kind == SCN_ACT_POLICY) == is_policy)
                scn_err(&v->c, an->kids[i], "'%s': %s is listed twice", key,
                        is_policy ? sc->policies[idx].name : sc->sns_topics[idx].name);
        acts[(*n_acts)++] = (scn_action){is_policy ? SCN_ACT_POLICY : SCN_ACT_SNS, idx};
    }
}


static const char *const cmps[] = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                                   "LessThanOrEqualToThreshold", NULL};
static const char *const cmps_later[] = {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                                         "GreaterThanUpperThreshold", NULL};
static const char *const missing[] = {"missing", "notBreaching", "breaching", "ignore", NULL};

static const ld_key alarm_keys[] = {
    {.name = "alarm_name", .kind = LD_STR, .hi = "255", .source = "Terraform (required there); fleetsim defaults it",
     .doc = "the alarm's AWS name; default: the resource's name"},
    {.name = "alarm_description", .kind = LD_STR, .hi = "1024", .source = "Terraform / CloudWatch API", .doc = "read, not simulated"},
    {.name = "namespace", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED,
     .source = "CloudWatch API (required without metric_query)", .doc = "AWS/EC2, AWS/ApplicationELB or AWS/AutoScaling"},
    {.name = "metric_name", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED,
     .source = "CloudWatch API (required without metric_query)", .doc = "a metric fleetsim publishes in that namespace"},
    {.name = "dimensions", .kind = LD_LIST, .source = "Terraform",
     .doc = "mapping of AutoScalingGroupName, LoadBalancer or TargetGroup to the resource"},
    {.name = "statistic", .kind = LD_ENUM, .values = metric_cfg_stat_names, .source = "Terraform / CloudWatch API",
     .doc = "give this or extended_statistic"},
    {.name = "extended_statistic", .kind = LD_STR, .source = "Terraform / CloudWatch API",
     .doc = "a percentile pNN or pNN.NN (p99, p99.9); only for AWS/ApplicationELB TargetResponseTime"},
    {.name = "period", .kind = LD_SECONDS, .lo = "0", .hi = "86400", .flags = LD_REQUIRED | LD_LO_OPEN,
     .source = "Terraform / CloudWatch API (aws-semantics 3.1)",
     .doc = "a multiple of 60 s (10, 20 and 30 s high-resolution periods are not supported yet)"},
    {.name = "evaluation_periods", .kind = LD_INT, .lo = "1", .hi = "100000", .flags = LD_REQUIRED,
     .source = "Terraform / CloudWatch API (aws-semantics 3.2)", .doc = "N of M out of N; period x N is at most 1 day"},
    {.name = "datapoints_to_alarm", .kind = LD_INT, .lo = "1", .hi = "100000",
     .source = "Terraform (no default) / CloudWatch API (evaluation_periods when absent; aws-semantics 3.2)",
     .doc = "M of M out of N; default: evaluation_periods"},
    {.name = "threshold", .kind = LD_NUM, .lo = "-1e300", .hi = "1e300", .flags = LD_REQUIRED,
     .source = "Terraform / CloudWatch API", .doc = "the value the statistic is compared with"},
    {.name = "comparison_operator", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = cmps, .later = cmps_later,
     .source = "Terraform / CloudWatch API", .doc = "statistic OP threshold is a breaching period"},
    {.name = "treat_missing_data", .kind = LD_ENUM, .def = "missing", .values = missing,
     .source = "Terraform (missing) and CloudWatch API (missing; aws-semantics 3.3)", .doc = "how periods with no data count"},
    {.name = "actions_enabled", .kind = LD_BOOL, .def = "true", .source = "Terraform (true) and CloudWatch API (true)",
     .doc = "false: the alarm changes state and runs no action"},
    {.name = "alarm_actions", .kind = LD_REFS, .source = "Terraform",
     .doc = "aws_autoscaling_policy (simple or step) or aws_sns_topic references run on entering ALARM"},
    {.name = "ok_actions", .kind = LD_REFS, .source = "Terraform", .doc = "as alarm_actions, on entering OK"},
    {.name = "insufficient_data_actions", .kind = LD_REFS, .source = "Terraform",
     .doc = "as alarm_actions, on entering INSUFFICIENT_DATA"},
    {.name = "unit", .kind = LD_STR, .hi = "64", .source = "Terraform / CloudWatch API", .doc = "read, not simulated"},
    {.name = "tags", .kind = LD_NOTSIM},
    {.name = "metric_query", .kind = LD_LATER}, {.name = "threshold_metric_id", .kind = LD_LATER},
    {.name = "evaluate_low_sample_count_percentiles", .kind = LD_LATER},
    {.name = NULL},
};

static void alarm_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_alarm *al = cfg;
    ld_sect b = *s;
    char b1[96], b2[32];
    (void)r;
    ld_sect_check(&b, alarm_keys);
    const scn_node *an = NULL;
    if (ld_str(&b, "alarm_name", NULL, 0, &an) > 0) {
        if (an->str[0] == '\0') {
            scn_err(&v->c, an, "'alarm_name' must not be empty");
        } else {
            char *nm = ld_dupstr(an->str);
            if (nm) {
                free(al->name);
                al->name = nm;
            }
        }
    }
    ld_str(&b, "alarm_description", NULL, 0, NULL);
    ld_str(&b, "unit", NULL, 0, NULL);
    al->metric = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    const scn_node *nsn = NULL, *mn = NULL;
    int r1 = ld_str(&b, "namespace", NULL, 0, &nsn);
    int r2 = ld_str(&b, "metric_name", NULL, 0, &mn);
    const metric_cfg_def *md = r1 > 0 && r2 > 0 ? metric_cfg_find(v, nsn, mn) : NULL;
    if (md) {
        al->metric.id = md->id;
        const scn_node *dn = ld_sect_get(&b, "dimensions");
        unsigned seen = 0;
        bool good = true;
        if (dn && dn->kind != SCN_N_MAP) {
            scn_err(&v->c, dn, "'dimensions': expected a mapping of dimension name to resource, found %s",
                    scn_kind_name(dn));
            good = false;
        }
        for (size_t i = 0; dn && good && i + 1 < dn->n; i += 2)
            if (dn->kids[i]->kind == SCN_N_SCALAR)
                good &= metric_cfg_apply_dim(v, md, dn->kids[i], dn->kids[i + 1], &al->metric, &seen);
        if (good)
            metric_cfg_check_dims(v, md, dn ? dn : b.owner, &al->metric, seen);
    }
    /* statistic or extended_statistic, exactly one */
    const scn_node *sn = ld_sect_get(&b, "statistic"), *en = ld_sect_get(&b, "extended_statistic");
    if (sn && en) {
        scn_err(&v->c, ld_sect_key(&b, "extended_statistic"), "give 'statistic' or 'extended_statistic', not both");
    } else if (!sn && !en) {
        scn_err(&v->c, b.owner, "missing required key 'statistic' (or 'extended_statistic') in %s", b.what);
    } else if (sn) {
        int st = 0;
        ld_enum(&b, "statistic", &st, NULL);
        al->metric.statistic = (scn_statistic)st;
    } else if (ld_want_scalar(&b, en, "extended_statistic", "a percentile such as p99")) {
        /* not ld_str: a percentile has its own messages */
        if (!metric_cfg_percentile(en->str, &al->metric.percentile))
            scn_err(&v->c, en, "'extended_statistic': expected a percentile pNN or pNN.NN between p0 and p100 "
                    "(e.g. p99, p99.9), found '%s'", scn_clip(b1, sizeof b1, en->str));
        else if (md && md->id != SCN_M_ALB_TARGET_RESPONSE_TIME)
            scn_err(&v->c, en, "'extended_statistic': fleetsim keeps percentiles only for "
                    "AWS/ApplicationELB TargetResponseTime, not %s %s", md->ns, md->name);
        al->metric.statistic = SCN_STAT_PERCENTILE;
    }
    /* period x evaluation_periods <= 1 day; M of N (aws-semantics 3.1, 3.2) */
    const scn_node *pn = ld_sect_get(&b, "period");
    int rp = ld_dur(&b, "period", &al->period);
    if (rp > 0 && al->period % (60 * SIM_SEC) != 0) {
        if (al->period == 10 * SIM_SEC || al->period == 20 * SIM_SEC || al->period == 30 * SIM_SEC)
            /* AWS allows them; the builder (control.c) does not: say so here, where check sees it */
            scn_err(&v->c, pn, "'period' %s: high-resolution periods (10, 20, 30 s) are not supported yet: no "
                    "fleetsim metric is sampled more often than once a minute", ld_fmt_dur(b2, sizeof b2, al->period));
        else
            scn_err(&v->c, pn, "'period' must be 10s, 20s, 30s or a multiple of 60s (an AWS rule), found %s",
                    ld_fmt_dur(b2, sizeof b2, al->period));
        rp = -1;
    }
    long long ne = 0;
    int rn = ld_int(&b, "evaluation_periods", &ne);
    if (rp > 0 && rn > 0 && al->period * ne > SIM_DAY)
        scn_err(&v->c, ld_sect_get(&b, "evaluation_periods"), "'period' x 'evaluation_periods' (%s x %lld) must be "
                "at most 1 day (an AWS rule)", ld_fmt_dur(b2, sizeof b2, al->period), ne);
    long long m = ne; /* absent: evaluation_periods (the row's doc) */
    int rm = ld_int(&b, "datapoints_to_alarm", &m);
    if (rm > 0 && rn > 0 && m > ne)
        scn_err(&v->c, ld_sect_get(&b, "datapoints_to_alarm"), "'datapoints_to_alarm' (%lld) must be at most "
                "'evaluation_periods' (%lld)", m, ne);
    al->evaluation_periods = (int)ne;
    al->datapoints_to_alarm = (int)(rm > 0 ? m : ne);
    ld_num(&b, "threshold", &al->threshold);
    int cmp = 0;
    ld_enum(&b, "comparison_operator", &cmp, NULL);
    al->comparison = (scn_comparison)cmp;
    int tm = 0;
    ld_enum(&b, "treat_missing_data", &tm, NULL);
    al->treat_missing_data = (scn_missing)tm;
    bool en_act = false;
    ld_bool(&b, "actions_enabled", &en_act);
    al->actions_enabled = en_act;
    load_actions(v, &b, "alarm_actions", al->alarm_actions, &al->n_alarm_actions);
    load_actions(v, &b, "ok_actions", al->ok_actions, &al->n_ok_actions);
    load_actions(v, &b, "insufficient_data_actions", al->insufficient_data_actions, &al->n_insufficient_data_actions);
}

/* ---------------------------------------------------------------- the run */

static int alarm_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)cfg;
    *model = NULL;
    return control_build(b, control_add_alarm, idx, err, errlen);
}

const res_type res_aws_cloudwatch_metric_alarm = {
    .tf_type = "aws_cloudwatch_metric_alarm",
    .doc = "A CloudWatch alarm on a metric fleetsim publishes: M of N periods breaching runs its actions.",
    .keys = alarm_keys,
    .aliases = NULL,
    .pass = 2,
    .cfg_size = sizeof(scn_alarm),
    .arr_off = offsetof(scenario, alarms),
    .n_off = offsetof(scenario, n_alarms),
    .load = alarm_load,
    .finish = NULL,
    .free_cfg = NULL,
    .stage = WB_STAGE_ALARMS,
    .build = alarm_build,
};
