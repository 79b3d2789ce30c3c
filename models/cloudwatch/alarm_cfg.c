/*
 * alarm_cfg.c - aws_cloudwatch_metric_alarm: the metric, M of N evaluation,
 * missing data and the actions (scaling policies, SNS topics).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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


static void load_alarm(loader *v, const ld_sect *s, scn_alarm *al)
{
    static const char *const keys[] = {"type", "alarm_name", "alarm_description", "namespace", "metric_name",
                                       "dimensions", "statistic", "extended_statistic", "period",
                                       "evaluation_periods", "datapoints_to_alarm", "threshold",
                                       "comparison_operator", "treat_missing_data", "alarm_actions", "ok_actions",
                                       "insufficient_data_actions", "actions_enabled", "unit", NULL};
    static const char *const later[] = {"metric_query", "threshold_metric_id",
                                        "evaluate_low_sample_count_percentiles", NULL};
    static const char *const cmps[] = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                       "LessThanThreshold", "LessThanOrEqualToThreshold", NULL};
    static const char *const cmp_later[] = {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                                            "GreaterThanUpperThreshold", NULL};
    static const char *const missing[] = {"missing", "notBreaching", "breaching", "ignore", NULL};
    char b1[96], b2[32];
    ld_sect_keys(s, keys, later);
    const scn_node *an = NULL;
    if (ld_get_str(s, "alarm_name", false, 255, NULL, 0, &an) > 0) {
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
    ld_get_str(s, "alarm_description", false, 1024, NULL, 0, NULL);
    ld_get_str(s, "unit", false, 64, NULL, 0, NULL);
    al->metric = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    const scn_node *nsn = NULL, *mn = NULL;
    int r1 = ld_get_str(s, "namespace", true, 255, NULL, 0, &nsn);
    int r2 = ld_get_str(s, "metric_name", true, 255, NULL, 0, &mn);
    const metric_cfg_def *md = r1 > 0 && r2 > 0 ? metric_cfg_find(v, nsn, mn) : NULL;
    if (md) {
        al->metric.id = md->id;
        const scn_node *dn = ld_sect_get(s, "dimensions");
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
            metric_cfg_check_dims(v, md, dn ? dn : s->owner, &al->metric, seen);
    }
    /* statistic or extended_statistic, exactly one */
    const scn_node *sn = ld_sect_get(s, "statistic"), *en = ld_sect_get(s, "extended_statistic");
    if (sn && en) {
        scn_err(&v->c, ld_sect_key(s, "extended_statistic"), "give 'statistic' or 'extended_statistic', not both");
    } else if (!sn && !en) {
        scn_err(&v->c, s->owner, "missing required key 'statistic' (or 'extended_statistic') in %s", s->what);
    } else if (sn) {
        int st = 0;
        ld_get_enum(s, "statistic", metric_cfg_stat_names, NULL, &st, NULL);
        al->metric.statistic = (scn_statistic)st;
    } else if (ld_want_scalar(s, en, "extended_statistic", "a percentile such as p99")) {
        if (!metric_cfg_percentile(en->str, &al->metric.percentile))
            scn_err(&v->c, en, "'extended_statistic': expected a percentile pNN or pNN.NN between p0 and p100 "
                    "(e.g. p99, p99.9), found '%s'", scn_clip(b1, sizeof b1, en->str));
        else if (md && md->id != SCN_M_ALB_TARGET_RESPONSE_TIME)
            scn_err(&v->c, en, "'extended_statistic': fleetsim keeps percentiles only for "
                    "AWS/ApplicationELB TargetResponseTime, not %s %s", md->ns, md->name);
        al->metric.statistic = SCN_STAT_PERCENTILE;
    }
    /* period x evaluation_periods <= 1 day; M of N (aws-semantics 3.1, 3.2) */
    const scn_node *pn = ld_sect_get(s, "period");
    int rp = ld_get_dur(s, "period", true, 60 * SIM_SEC, 1, SIM_DAY, &al->period);
    if (rp > 0 && !(al->period == 10 * SIM_SEC || al->period == 20 * SIM_SEC || al->period == 30 * SIM_SEC ||
                    al->period % (60 * SIM_SEC) == 0)) {
        scn_err(&v->c, pn, "'period' must be 10s, 20s, 30s or a multiple of 60s (an AWS rule), found %s",
                ld_fmt_dur(b2, sizeof b2, al->period));
        rp = -1;
    }
    long long ne = 1, m = 1;
    int rn = ld_get_int(s, "evaluation_periods", true, 1, 1, 100000, &ne);
    if (rp > 0 && rn > 0 && al->period * ne > SIM_DAY)
        scn_err(&v->c, ld_sect_get(s, "evaluation_periods"), "'period' x 'evaluation_periods' (%s x %lld) must be "
                "at most 1 day (an AWS rule)", ld_fmt_dur(b2, sizeof b2, al->period), ne);
    int rm = ld_get_int(s, "datapoints_to_alarm", false, ne, 1, 100000, &m);
    if (rm > 0 && rn > 0 && m > ne)
        scn_err(&v->c, ld_sect_get(s, "datapoints_to_alarm"), "'datapoints_to_alarm' (%lld) must be at most "
                "'evaluation_periods' (%lld)", m, ne);
    al->evaluation_periods = (int)ne;
    al->datapoints_to_alarm = (int)(rm > 0 ? m : ne);
    ld_get_num(s, "threshold", true, 0, -1e300, false, 1e300, &al->threshold);
    int cmp = 0;
    if (ld_sect_need(s, "comparison_operator", true))
        ld_get_enum(s, "comparison_operator", cmps, cmp_later, &cmp, NULL);
    al->comparison = (scn_comparison)cmp;
    int tm = 0;
    ld_get_enum(s, "treat_missing_data", missing, NULL, &tm, NULL);
    al->treat_missing_data = (scn_missing)tm;
    bool en_act = true;
    ld_get_bool(s, "actions_enabled", true, &en_act);
    al->actions_enabled = en_act;
    load_actions(v, s, "alarm_actions", al->alarm_actions, &al->n_alarm_actions);
    load_actions(v, s, "ok_actions", al->ok_actions, &al->n_ok_actions);
    load_actions(v, s, "insufficient_data_actions", al->insufficient_data_actions, &al->n_insufficient_data_actions);
}

/* ---------------------------------------------------------------- scaling policies */

/* resource_label of ALBRequestCountPerTarget / ALBRequestCount: a target group reference, or AWS's
   "app/<lb>/<id>/targetgroup/<tg>/<id>"; the target group must be attached to the group. */

static void alarm_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_alarm *al = cfg;
    (void)r;
    al->evaluation_periods = 1;
    al->datapoints_to_alarm = 1;
    al->actions_enabled = 1;
    al->metric = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    load_alarm(v, s, al);
}

const res_type res_aws_cloudwatch_metric_alarm = {
    .tf_type = "aws_cloudwatch_metric_alarm",
    .aliases = NULL,
    .pass = 2,
    .cfg_size = sizeof(scn_alarm),
    .arr_off = offsetof(scenario, alarms),
    .n_off = offsetof(scenario, n_alarms),
    .load = alarm_load,
    .finish = NULL,
    .free_cfg = NULL,
};
