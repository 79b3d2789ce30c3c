/*
 * control.c - the control plane: builds the metric store, alarms, SNS topics,
 * scaling policies, scheduled actions and predictive policies of a scenario
 * and drives them from one per-minute tick (aws-semantics 2, 3, 8).
 *
 * Order within a minute tick at whole minute t (fixed, so runs are
 * deterministic): 1. the metric store samples the periods that ended at t;
 * 2. every alarm evaluates (scenario alarms in file order, then the target
 * tracking alarms in policy order) and runs its actions (simple / step policies act here);
 * 3. the target tracking policies of each group are combined; 4. costs accrue.
 */
#include "models/core/control.h"
#include "models/ec2/instance_type.h"
#include "models/ec2/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cloudwatch/cloudwatch.h"
#include "models/cloudwatch/cw_alarm.h"
#include "models/autoscaling/predictive_scaling.h"
#include "models/autoscaling/scaling_policy.h"
#include "models/autoscaling/scheduled_action.h"
#include "models/sns/sns.h"

/* Prices: aws-semantics 3.3, all [3P]: check against https://aws.amazon.com/cloudwatch/pricing/ */
#define CW_HOURS_PER_MONTH 730.0
#define CW_DETAILED_METRICS 7          /* EC2 metrics per instance under detailed monitoring: recalled, not verified (3.3) */

typedef struct notify_target {
    size_t topic;
    unsigned mask;
} notify_target;

/* Per-group wiring: listeners need a stable context. */
typedef struct group_ctx {
    control *c;
    size_t index;
    pol **simple;  size_t n_simple;      /* simple policies (activity listener) */
    pol **tt;      size_t n_tt;          /* target tracking policies (combined each minute) */
    notify_target *notify; size_t n_notify;
    bool detailed;                        /* launch template detailed_monitoring */
} group_ctx;

struct control {
    sim *s;
    const scenario *sc;
    const itype_services *prices; /* the region's CloudWatch and SNS prices */
    asg **asgs;            /* by scenario index (a copy; the groups are borrowed) */
    alb **lbs;
    events_log *ev;
    cw_store *cw;
    sns *topics;
    pol **pols;            /* by scenario policy index; NULL for predictive ones */
    pred **preds;          /* by scenario policy index; NULL for the others */
    cw_alarm **alarms;     /* scenario alarms, then target tracking alarms */
    size_t n_alarms, cap_alarms;
    char **alarm_names;    /* target tracking alarm names (owned) */
    size_t n_alarm_names;
    sched **scheds;
    group_ctx *groups;
    /* cost accrual */
    uint64_t alarm_minutes;         /* alarm x minutes */
    double instance_minutes_detailed;
};

/* ---------------------------------------------------------------- metric sources */

static int asg_source(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    return asg_sample((asg *)src, id, t0, t1, out);
}

static int alb_source(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    return alb_sample((alb *)src, id, t0, t1, out);
}

static bool is_credit_metric(scn_metric_id id)
{
    return id == SCN_M_EC2_CPU_CREDIT_BALANCE || id == SCN_M_EC2_CPU_CREDIT_USAGE ||
           id == SCN_M_EC2_CPU_SURPLUS_BALANCE || id == SCN_M_EC2_CPU_SURPLUS_CHARGED;
}

/* CPU credit metrics of a group: one sample per running burstable instance (aws-semantics 5.6). */
static int credit_source(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    asg *g = src;
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        ec2_instance *i = asg_instance_ec2(g, k);
        double v;
        if (!i || !ec2_running(i) || ec2_credit_sample(i, id, t0, t1, &v) != 0)
            continue;
        cw_sample_add(out, v);
    }
    return 0;
}

static bool is_ec2_metric(scn_metric_id id)
{
    return id == SCN_M_EC2_CPU || id == SCN_M_EC2_NETWORK_IN || id == SCN_M_EC2_NETWORK_OUT;
}

static bool is_asg_metric(scn_metric_id id)
{
    return is_ec2_metric(id) || is_credit_metric(id) || id == SCN_M_ASG_DESIRED || id == SCN_M_ASG_IN_SERVICE;
}

/* The load balancer in front of target group tg (the first that forwards to it); -1 if none. */
static int lb_of_tg(const scenario *sc, int tgi)
{
    return scn_lb_of_tg(sc, tgi);
}

/* The series for metric m, created with the right source and resolution; NULL with err on a bad reference. */
static cw_series *series_for(control *c, const scn_metric *m, const char *who, char *err, size_t errlen)
{
    const scenario *sc = c->sc;
    if (is_asg_metric(m->id)) {
        if (m->asg < 0 || (size_t)m->asg >= sc->n_asgs) {
            snprintf(err, errlen, "%s: EC2 / Auto Scaling metrics need an AutoScalingGroupName dimension "
                     "(fleet-wide aws_instance metrics are not published)", who);
            return NULL;
        }
        sim_time_t res = SIM_MIN;
        if (is_credit_metric(m->id)) {
            /* "published every 5 minutes only" (aws-semantics 5.6) */
            cw_series *se = cw_series_get(c->cw, m->id, m->asg, -1, -1, 5 * SIM_MIN, credit_source, c->asgs[m->asg]);
            if (!se)
                snprintf(err, errlen, "%s: out of memory", who);
            return se;
        }
        if (is_ec2_metric(m->id)) {
            /* basic monitoring: 5-minute EC2 datapoints (aws-semantics 3.1) */
            int lt = sc->asgs[m->asg].launch_template;
            if (lt >= 0 && (size_t)lt < sc->n_launch_templates && !sc->launch_templates[lt].detailed_monitoring)
                res = 5 * SIM_MIN;
        }
        cw_series *se = cw_series_get(c->cw, m->id, m->asg, -1, -1, res, asg_source, c->asgs[m->asg]);
        if (!se)
            snprintf(err, errlen, "%s: out of memory", who);
        return se;
    }
    int lb = m->lb;
    if (lb < 0 && m->tg >= 0)
        lb = lb_of_tg(sc, m->tg);
    if (lb < 0 || (size_t)lb >= sc->n_lbs) {
        snprintf(err, errlen, "%s: load balancer metric without a LoadBalancer or a TargetGroup behind one", who);
        return NULL;
    }
    /* with a TargetGroup: the ALB's requests to that group only */
    void *view = m->tg >= 0 ? alb_tg_view(c->lbs[lb], sc->target_groups[m->tg].name) : NULL;
    cw_series *se = cw_series_get(c->cw, m->id, -1, lb, m->tg, SIM_MIN, view ? alb_sample_view : alb_source,
                                  view ? view : (void *)c->lbs[lb]);
    if (!se)
        snprintf(err, errlen, "%s: out of memory", who);
    return se;
}

/* ---------------------------------------------------------------- alarm actions */

static void on_alarm_action(void *ctx, cw_alarm *a, const scn_action *act, bool transition, sim_time_t t)
{
    control *c = ctx;
    if (act->kind == SCN_ACT_POLICY) {
        if (act->index >= 0 && (size_t)act->index < c->sc->n_policies && c->pols[act->index])
            pol_on_alarm(c->pols[act->index], a, t);
        return;
    }
    if (!transition)
        return;
    char subject[256], msg[320];
    const char *st = cwa_state_name(cwa_state_of(a));
    snprintf(subject, sizeof subject, "%s: %s in %s", st, cwa_name(a), c->sc->region);
    snprintf(msg, sizeof msg, "alarm %s changed state to %s", cwa_name(a), st);
    sns_publish(c->topics, (size_t)act->index, t, subject, msg);
}

static int add_alarm(control *c, cw_alarm *a)
{
    if (c->n_alarms == c->cap_alarms) {
        size_t nc = c->cap_alarms ? 2 * c->cap_alarms : 8;
        cw_alarm **na = realloc(c->alarms, nc * sizeof *na);
        if (!na)
            return -1;
        c->alarms = na;
        c->cap_alarms = nc;
    }
    c->alarms[c->n_alarms++] = a;
    cwa_set_action_fn(a, on_alarm_action, c);
    return 0;
}

static void copy_actions(scn_action *dst, size_t *nd, const scn_action *src, size_t ns)
{
    *nd = ns > SCN_MAX_ACTIONS ? SCN_MAX_ACTIONS : ns;
    memcpy(dst, src, *nd * sizeof *dst);
}

/* History a series must keep for an alarm: the evaluation range, the publication delay, slack. */
static sim_time_t alarm_history(const control *c, int n, sim_time_t period)
{
    return (sim_time_t)(n + 2) * period + c->sc->cw_publication_delay + 2 * SIM_MIN;
}

int control_add_alarm(control *c, size_t i, char *err, size_t errlen)
{
    const scenario *sc = c->sc;
    {
        const scn_alarm *al = &sc->alarms[i];
        char who[160];
        snprintf(who, sizeof who, "alarm %s", al->name);
        if (al->period % SIM_MIN != 0) {
            snprintf(err, errlen, "%s: high-resolution periods (10, 20, 30 s) are not supported yet: "
                     "no fleetsim metric is sampled more often than once a minute", who);
            return -1;
        }
        cw_series *se = series_for(c, &al->metric, who, err, errlen);
        if (!se)
            return -1;
        /* A period shorter than the metric's resolution (a 1-minute alarm on 5-minute basic
           monitoring data) is allowed, as in AWS: most of its periods are simply missing. */
        bool pct = al->metric.statistic == SCN_STAT_PERCENTILE;
        if (cw_series_need(se, alarm_history(c, al->evaluation_periods, al->period), pct, false) != 0)
            goto oom;
        for (size_t k = 0; k < al->n_alarm_actions + al->n_ok_actions + al->n_insufficient_data_actions; k++) {
            const scn_action *act = k < al->n_alarm_actions ? &al->alarm_actions[k]
                : k < al->n_alarm_actions + al->n_ok_actions ? &al->ok_actions[k - al->n_alarm_actions]
                : &al->insufficient_data_actions[k - al->n_alarm_actions - al->n_ok_actions];
            size_t lim = act->kind == SCN_ACT_POLICY ? sc->n_policies : sc->n_sns_topics;
            if (act->index < 0 || (size_t)act->index >= lim) {
                snprintf(err, errlen, "%s: action refers to a missing %s", who,
                         act->kind == SCN_ACT_POLICY ? "scaling policy" : "SNS topic");
                return -1;
            }
        }
        cwa_config cf;
        memset(&cf, 0, sizeof cf);
        cf.name = al->name;
        cf.rule.n = al->evaluation_periods;
        cf.rule.m = al->datapoints_to_alarm > 0 ? al->datapoints_to_alarm : al->evaluation_periods;
        cf.rule.threshold = al->threshold;
        cf.rule.cmp = al->comparison;
        cf.rule.missing = al->treat_missing_data;
        cf.period = al->period;
        cf.stat = al->metric.statistic;
        cf.percentile = al->metric.percentile;
        cf.actions_enabled = al->actions_enabled != 0;
        copy_actions(cf.alarm_actions, &cf.n_alarm_actions, al->alarm_actions, al->n_alarm_actions);
        copy_actions(cf.ok_actions, &cf.n_ok_actions, al->ok_actions, al->n_ok_actions);
        copy_actions(cf.insufficient_actions, &cf.n_insufficient_actions, al->insufficient_data_actions,
                     al->n_insufficient_data_actions);
        cw_alarm *a = cwa_new(&cf, se, c->ev);
        if (!a) {
            snprintf(err, errlen, "%s: bad period or evaluation periods, or out of memory", who);
            return -1;
        }
        if (add_alarm(c, a) != 0) {
            cwa_free(a);
            goto oom;
        }
    }
    return 0;
oom:
    snprintf(err, errlen, "control plane: out of memory");
    return -1;
}

/* The target tracking metric of policy p as a scenario metric. */
static scn_metric tt_metric(const scenario *sc, const scn_policy *p, scn_tt_metric which)
{
    scn_metric m = {SCN_M_EC2_CPU, p->asg, -1, -1, SCN_STAT_AVERAGE, 0};
    switch (which) {
    case SCN_TT_ASG_CPU: break;
    case SCN_TT_ASG_NETWORK_IN: m.id = SCN_M_EC2_NETWORK_IN; break;
    case SCN_TT_ASG_NETWORK_OUT: m.id = SCN_M_EC2_NETWORK_OUT; break;
    case SCN_TT_ALB_REQUESTS_PER_TARGET: {
        int tgi = p->tt_tg;
        if (tgi < 0 && p->asg >= 0 && sc->asgs[p->asg].n_target_groups)
            tgi = sc->asgs[p->asg].target_groups[0];
        m.id = SCN_M_ALB_REQUEST_COUNT_PER_TARGET; /* RequestCountPerTarget Sum per minute (aws-semantics 2.1) */
        m.asg = -1;
        m.tg = tgi;
        m.lb = tgi >= 0 ? lb_of_tg(sc, tgi) : -1;
        m.statistic = SCN_STAT_SUM;
        break;
    }
    case SCN_TT_CUSTOM: m = p->tt_custom; break;
    }
    return m;
}

static cw_alarm *tt_alarm(control *c, const scn_policy *p, cw_series *se, bool high, char *err, size_t errlen)
{
    const char *gname = c->sc->asgs[p->asg].name;
    size_t len = strlen(gname) + strlen(p->name) + 40;
    char *name = malloc(len);
    if (!name)
        return NULL;
    snprintf(name, len, "TargetTracking-%s-%s-%s", gname, high ? "AlarmHigh" : "AlarmLow", p->name);
    char **nn = realloc(c->alarm_names, (c->n_alarm_names + 1) * sizeof *nn);
    if (!nn) {
        free(name);
        return NULL;
    }
    c->alarm_names = nn;
    c->alarm_names[c->n_alarm_names++] = name;
    scn_metric m = tt_metric(c->sc, p, p->tt_metric);
    cwa_config cf;
    memset(&cf, 0, sizeof cf);
    cf.name = name;
    /* [OBS] aws-semantics 2.1: AlarmHigh 3 of 3 above target, AlarmLow 15 of 15 below 0.7 x target;
       the counts and the ratio are scenario parameters (tt_scale_out_periods, tt_scale_in_periods,
       tt_scale_in_ratio). Period: one datapoint of the metric (60 s; 300 s under basic monitoring,
       where a one-minute alarm would never see enough datapoints). */
    int n = high ? p->tt_scale_out_periods : p->tt_scale_in_periods;
    cf.rule.n = cf.rule.m = n < 1 ? 1 : n;
    cf.rule.threshold = high ? p->target_value : p->tt_scale_in_ratio * p->target_value;
    cf.rule.cmp = high ? SCN_CMP_GT : SCN_CMP_LT;
    cf.rule.missing = SCN_MISSING_MISSING; /* missing data leaves the alarm in INSUFFICIENT_DATA (2.1) */
    cf.period = cw_series_resolution(se);
    cf.stat = m.statistic;
    cf.percentile = m.percentile;
    cf.actions_enabled = true; /* no action lists: the policies read the states each minute */
    if (cw_series_need(se, alarm_history(c, cf.rule.n, cf.period), m.statistic == SCN_STAT_PERCENTILE, false) != 0)
        return NULL;
    cw_alarm *a = cwa_new(&cf, se, c->ev);
    if (!a) {
        snprintf(err, errlen, "policy %s: cannot create its target tracking alarms", p->name);
        return NULL;
    }
    if (add_alarm(c, a) != 0) {
        cwa_free(a);
        return NULL;
    }
    return a;
}

static int group_add(pol ***list, size_t *n, pol *p)
{
    pol **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    nl[(*n)++] = p;
    *list = nl;
    return 0;
}

int control_add_policy(control *c, size_t i, char *err, size_t errlen)
{
    const scenario *sc = c->sc;
    {
        const scn_policy *p = &sc->policies[i];
        if (p->asg < 0 || (size_t)p->asg >= sc->n_asgs) {
            snprintf(err, errlen, "policy %s: no autoscaling group", p->name);
            return -1;
        }
        asg *g = c->asgs[p->asg];
        group_ctx *gc = &c->groups[p->asg];
        if (p->type == SCN_POL_PREDICTIVE) {
            scn_metric m = tt_metric(sc, p, p->pred_metric);
            if (m.id == SCN_M_ALB_REQUEST_COUNT_PER_TARGET) {
                /* the load metric of the ALBRequestCount pair is the target group's RequestCount */
                m.id = SCN_M_ALB_REQUEST_COUNT;
                m.statistic = SCN_STAT_SUM;
            }
            char who[160];
            snprintf(who, sizeof who, "policy %s", p->name);
            cw_series *se = series_for(c, &m, who, err, errlen);
            if (!se)
                return -1;
            if (cw_series_need(se, 0, false, true) != 0)
                goto oom;
            c->preds[i] = pred_new(c->s, p, g, se, c->ev);
            if (!c->preds[i])
                goto oom;
            return 0;
        }
        c->pols[i] = pol_new(p, g, c->ev);
        if (!c->pols[i])
            goto oom;
        if (p->type == SCN_POL_SIMPLE) {
            if (group_add(&gc->simple, &gc->n_simple, c->pols[i]) != 0)
                goto oom;
        } else if (p->type == SCN_POL_TARGET_TRACKING) {
            scn_metric m = tt_metric(sc, p, p->tt_metric);
            char who[160];
            snprintf(who, sizeof who, "policy %s", p->name);
            cw_series *se = series_for(c, &m, who, err, errlen);
            if (!se)
                return -1;
            err[0] = '\0';
            cw_alarm *hi = tt_alarm(c, p, se, true, err, errlen);
            cw_alarm *lo = hi ? tt_alarm(c, p, se, false, err, errlen) : NULL;
            if (!hi || !lo) {
                if (!err[0])
                    snprintf(err, errlen, "control plane: out of memory");
                return -1;
            }
            pol_tt_set_alarms(c->pols[i], hi, lo);
            if (group_add(&gc->tt, &gc->n_tt, c->pols[i]) != 0)
                goto oom;
        }
    }
    return 0;
oom:
    snprintf(err, errlen, "control plane: out of memory");
    return -1;
}

/* ---------------------------------------------------------------- group listeners */

static void on_activity_done(void *ctx, asg *g)
{
    (void)g;
    group_ctx *gc = ctx;
    sim_time_t now = sim_now(gc->c->s);
    for (size_t i = 0; i < gc->n_simple; i++)
        pol_on_activity_done(gc->simple[i], now);
}

static void on_notify(void *ctx, asg *g, unsigned what, const char *instance_id)
{
    group_ctx *gc = ctx;
    control *c = gc->c;
    const char *ev = what & SCN_NOTIFY_LAUNCH ? "EC2_INSTANCE_LAUNCH"
                   : what & SCN_NOTIFY_LAUNCH_ERROR ? "EC2_INSTANCE_LAUNCH_ERROR"
                   : what & SCN_NOTIFY_TERMINATE ? "EC2_INSTANCE_TERMINATE" : "EC2_INSTANCE_TERMINATE_ERROR";
    const char *verb = what & (SCN_NOTIFY_LAUNCH | SCN_NOTIFY_LAUNCH_ERROR) ? "launch" : "termination";
    for (size_t i = 0; i < gc->n_notify; i++) {
        if (!(gc->notify[i].mask & what))
            continue;
        char subject[192], msg[192];
        snprintf(subject, sizeof subject, "Auto Scaling: %s%s for group \"%s\"", verb,
                 what & (SCN_NOTIFY_LAUNCH_ERROR | SCN_NOTIFY_TERMINATE_ERROR) ? " error" : "", asg_name(g));
        snprintf(msg, sizeof msg, "autoscaling:%s %s", ev, instance_id ? instance_id : "");
        sns_publish(c->topics, gc->notify[i].topic, sim_now(c->s), subject, msg);
    }
}

static int build_groups(control *c)
{
    const scenario *sc = c->sc;
    for (size_t i = 0; i < sc->n_asgs; i++) {
        group_ctx *gc = &c->groups[i];
        gc->c = c;
        gc->index = i;
        int lt = sc->asgs[i].launch_template;
        gc->detailed = lt >= 0 && (size_t)lt < sc->n_launch_templates && sc->launch_templates[lt].detailed_monitoring;
    }
    return 0;
}

int control_add_notification(control *c, size_t k, char *err, size_t errlen)
{
    const scenario *sc = c->sc;
    {
        const scn_asg_notification *nt = &sc->notifications[k];
        if (nt->topic < 0 || (size_t)nt->topic >= sc->n_sns_topics) {
            snprintf(err, errlen, "notification %s: no SNS topic", nt->name);
            return -1;
        }
        for (size_t j = 0; j < nt->n_asgs; j++) {
            if (nt->asgs[j] < 0 || (size_t)nt->asgs[j] >= sc->n_asgs)
                continue;
            group_ctx *gc = &c->groups[nt->asgs[j]];
            notify_target *nn = realloc(gc->notify, (gc->n_notify + 1) * sizeof *nn);
            if (!nn) {
                snprintf(err, errlen, "control plane: out of memory");
                return -1;
            }
            gc->notify = nn;
            gc->notify[gc->n_notify++] = (notify_target){(size_t)nt->topic, nt->notifications};
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- the minute tick */

static void minute_tick(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    control *c = obj;
    sim_time_t now = sim_now(s);
    if (cw_tick(c->cw, now) != 0) {
        sim_fail(s, SIM_ENOMEM);
        return;
    }
    for (size_t i = 0; i < c->n_alarms; i++)
        cwa_tick(c->alarms[i], now);
    for (size_t g = 0; g < c->sc->n_asgs; g++)
        pol_tt_group_tick(c->groups[g].tt, c->groups[g].n_tt, now);
    c->alarm_minutes += c->n_alarms;
    for (size_t g = 0; g < c->sc->n_asgs; g++)
        if (c->groups[g].detailed)
            c->instance_minutes_detailed += asg_capacity(c->asgs[g]);
    if (now + SIM_MIN <= c->sc->duration)
        sim_at(s, now + SIM_MIN, minute_tick, c, 0);
}

/* ---------------------------------------------------------------- lifecycle */

control *control_create(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs, events_log *ev,
                        char *err, size_t errlen)
{
    control *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "control plane: out of memory");
        return NULL;
    }
    c->s = s;
    c->sc = sc;
    c->ev = ev;
    c->cw = cw_new(sc->cw_publication_delay);
    c->prices = itype_services_for(sc->region);
    c->topics = sns_new(sc->sns_topics, sc->n_sns_topics, ev, c->prices);
    c->asgs = calloc(sc->n_asgs + 1, sizeof *c->asgs);
    c->lbs = calloc(sc->n_lbs + 1, sizeof *c->lbs);
    c->pols = calloc(sc->n_policies + 1, sizeof *c->pols);
    c->preds = calloc(sc->n_policies + 1, sizeof *c->preds);
    c->scheds = calloc(sc->n_schedules + 1, sizeof *c->scheds);
    c->groups = calloc(sc->n_asgs + 1, sizeof *c->groups);
    if (!c->cw || !c->topics || !c->asgs || !c->lbs || !c->pols || !c->preds || !c->scheds || !c->groups) {
        snprintf(err, errlen, "control plane: out of memory");
        control_free(c);
        return NULL;
    }
    for (size_t g = 0; g < sc->n_asgs; g++)
        c->asgs[g] = asgs[g];
    for (size_t k = 0; k < sc->n_lbs; k++)
        c->lbs[k] = lbs[k];
    build_groups(c);
    return c;
}

int control_add_schedule(control *c, size_t i, char *err, size_t errlen)
{
    const scenario *sc = c->sc;
    const scn_schedule *sd = &sc->schedules[i];
    if (sd->asg < 0 || (size_t)sd->asg >= sc->n_asgs) {
        snprintf(err, errlen, "schedule %s: no autoscaling group", sd->name);
        return -1;
    }
    char e2[192];
    c->scheds[i] = sched_new(c->s, sd, c->asgs[sd->asg], sc->start_epoch, c->ev, e2, sizeof e2);
    if (!c->scheds[i]) {
        snprintf(err, errlen, "schedule %s: %s", sd->name, e2);
        return -1;
    }
    return 0;
}

void control_start(control *c)
{
    const scenario *sc = c->sc;
    for (size_t g = 0; g < sc->n_asgs; g++) {
        if (c->groups[g].n_simple)
            asg_set_activity_listener(c->asgs[g], on_activity_done, &c->groups[g]);
        if (c->groups[g].n_notify)
            asg_set_notify_listener(c->asgs[g], on_notify, &c->groups[g]);
    }
    if (SIM_MIN <= sc->duration)
        sim_at(c->s, SIM_MIN, minute_tick, c, 0);
}

control *control_new(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs,
                     events_log *ev, char *err, size_t errlen)
{
    control *c = control_create(s, sc, asgs, lbs, ev, err, errlen);
    if (!c)
        return NULL;
    /* scenario alarms first, so they come before the target tracking alarms in the tick */
    for (size_t i = 0; i < sc->n_alarms; i++)
        if (control_add_alarm(c, i, err, errlen) != 0)
            goto bad;
    for (size_t i = 0; i < sc->n_policies; i++)
        if (control_add_policy(c, i, err, errlen) != 0)
            goto bad;
    for (size_t i = 0; i < sc->n_schedules; i++)
        if (control_add_schedule(c, i, err, errlen) != 0)
            goto bad;
    for (size_t i = 0; i < sc->n_notifications; i++)
        if (control_add_notification(c, i, err, errlen) != 0)
            goto bad;
    control_start(c);
    return c;
bad:
    control_free(c);
    return NULL;
}

void control_free(control *c)
{
    if (!c)
        return;
    const scenario *sc = c->sc;
    for (size_t i = 0; i < c->n_alarms; i++)
        cwa_free(c->alarms[i]);
    free(c->alarms);
    for (size_t i = 0; i < c->n_alarm_names; i++)
        free(c->alarm_names[i]);
    free(c->alarm_names);
    for (size_t i = 0; c->pols && i < sc->n_policies; i++)
        pol_free(c->pols[i]);
    for (size_t i = 0; c->preds && i < sc->n_policies; i++)
        pred_free(c->preds[i]);
    free(c->pols);
    free(c->preds);
    for (size_t i = 0; c->scheds && i < sc->n_schedules; i++)
        sched_free(c->scheds[i]);
    free(c->scheds);
    for (size_t g = 0; c->groups && g < sc->n_asgs; g++) {
        free(c->groups[g].simple);
        free(c->groups[g].tt);
        free(c->groups[g].notify);
    }
    free(c->groups);
    sns_free(c->topics);
    cw_free(c->cw);
    free(c->asgs);
    free(c->lbs);
    free(c);
}

/*
 * CloudWatch: every alarm (scenario and target tracking) at $0.10 per
 * alarm-month, prorated by the started hour (730 h a month); detailed
 * monitoring at 7 metrics per instance x $0.30 per metric-month, prorated by
 * instance-hours measured once a minute as the group's Pending + InService
 * count (asg_capacity). Free tiers are not applied.
 */
double control_cost(const control *c, const char *item)
{
    if (!c || !item)
        return 0;
    if (strcmp(item, "cloudwatch") == 0) {
        double usd = 0;
        if (c->n_alarms) {
            uint64_t minutes = c->alarm_minutes / c->n_alarms;
            uint64_t hours = (minutes + 59) / 60;
            usd += (double)c->n_alarms * (double)hours / CW_HOURS_PER_MONTH * c->prices->cw_alarm_month;
        }
        usd += CW_DETAILED_METRICS * (c->instance_minutes_detailed / 60.0) / CW_HOURS_PER_MONTH * c->prices->cw_metric_month;
        return usd;
    }
    if (strcmp(item, "sns") == 0)
        return sns_cost(c->topics);
    return 0;
}

void control_bill(const control *c, cost_ledger *l)
{
    if (!c)
        return;
    /* Alarms: each alarm's minutes so far, rounded up to hours, per 730-hour alarm-month (3.3). */
    if (c->n_alarms) {
        uint64_t hours = (c->alarm_minutes / c->n_alarms + 59) / 60;
        cost_ledger_charge(l, "cloudwatch", "alarms", "alarm-months",
                           (double)c->n_alarms * (double)hours / CW_HOURS_PER_MONTH, c->prices->cw_alarm_month);
    }
    if (c->instance_minutes_detailed > 0)
        cost_ledger_charge(l, "cloudwatch", "detailed_metrics", "metric-months",
                           CW_DETAILED_METRICS * (c->instance_minutes_detailed / 60.0) / CW_HOURS_PER_MONTH,
                           c->prices->cw_metric_month);
    sns_bill(c->topics, l);
}

sns *control_sns(control *c) { return c->topics; }

uint64_t control_sns_published(const control *c, size_t topic)
{
    return sns_counts_of(c->topics, topic).publishes;
}
