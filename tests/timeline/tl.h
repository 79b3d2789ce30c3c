/*
 * tl.h - timeline tests: small Auto Scaling scenarios built as structs (the
 * YAML loader does not read the Auto Scaling keys yet), run to completion or
 * step by step, and queried through the world's events log.
 *
 * One tl value holds a whole scenario (no pointers to outside memory): a
 * launch template, a target group behind an ALB, one Auto Scaling group, one
 * Poisson workload (constant or stepped rate), and room for alarms, policies,
 * SNS topics, schedules and faults. It must not move once tl_init has run
 * (the scenario points into it): allocate it with tl_new.
 *
 * Every field is set explicitly, including the Auto Scaling defaults listed
 * in models/core/scenario.h (grace period 0 s: the API's default, kept here although the
 * loader now gives Terraform's 300 s, so these timelines keep proving what they prove;
 * cooldown 300 s, warmup unset = -1,
 * termination policy Default, health sweep 60 s, impaired wait 3 min, target
 * tracking 3 / 15 / 0.7, publication delay 60 s, ...). Nothing relies on a
 * zero value meaning "default".
 */
#ifndef FLEETSIM_TL_H
#define FLEETSIM_TL_H

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/core/loader.h"
#include "models/dynamodb/table.h"
#include "models/lambda/function.h"
#include "models/ec2/instance.h"
#include "models/core/scenario.h"
#include "models/core/world.h"
#include "stats/events.h"
#include "sim/sim.h"
#include "tests/tap.h"

#define TL_MAX 8          /* alarms, policies, topics, schedules, faults */
#define TL_MAX_STEPS 6    /* step adjustments per policy */
#define TL_MAX_PTS 64     /* workload rate points */

/* 2026-01-05T00:00:00Z, a Monday: the scenario.h default for start_time. */
#define TL_EPOCH_MONDAY 1767571200LL

typedef struct tl {
    scenario sc;
    scn_itype itype[2];
    scn_launch_template lt[2];
    scn_target_group tg;
    scn_lb lb;
    scn_asg asg;
    char azs[3][32];
    int asg_tgs[1];
    scn_workload wl;
    scn_rate_point pts[TL_MAX_PTS];
    scn_alarm alarms[TL_MAX];
    scn_policy pols[TL_MAX];
    scn_step steps[TL_MAX][TL_MAX_STEPS];
    scn_sns_topic topics[TL_MAX];
    scn_schedule scheds[TL_MAX];
    scn_fault faults[TL_MAX];
    char names[4 * TL_MAX][48];
    size_t n_names;
} tl;

static inline sim_time_t tl_s(double seconds) { return sim_from_sec(seconds); }
static inline sim_dist tl_const(double v) { return (sim_dist){.kind = SIM_DIST_CONSTANT, .a = v}; }

/* A copy of name kept inside t (the scenario structs hold char *). */
static inline char *tl_name(tl *t, const char *name)
{
    if (t->n_names >= sizeof t->names / sizeof t->names[0]) {
        fprintf(stderr, "tl_name: too many names\n");
        abort();
    }
    char *p = t->names[t->n_names++];
    snprintf(p, sizeof t->names[0], "%s", name);
    return p;
}

/*
 * The base scenario, duration_s long: c5.large-like type (2 vCPUs, speed 1,
 * 0.085 USD/h); launch template "web-lt" with detailed monitoring and boot
 * phases pending 6 s + OS 20 s + app 10 s (launch -> InService 36 s); target
 * group "web" with the AWS defaults (interval 30 s, timeout 5 s, thresholds
 * 5 / 2, deregistration delay 300 s, no slow start, round robin); ALB
 * "front" (idle timeout 60 s); group "web": min 1, max 10, desired 2 over
 * us-west-2a/b/c; workload "users": Poisson at rps, 0.1 s of work per request.
 * At 0.1 s x rps / (2 x instances) the group's CPU is 5 x rps / instances %.
 */
static inline void tl_init(tl *t, double duration_s, double rps)
{
    memset(t, 0, sizeof *t);
    scenario *s = &t->sc;
    s->file = (char *)"<timeline>";
    s->name = (char *)"timeline";
    s->seed = 1;
    s->duration = tl_s(duration_s);
    snprintf(s->region, sizeof s->region, "us-west-2");

    snprintf(t->itype[0].name, sizeof t->itype[0].name, "c5.large");
    t->itype[0].vcpus = 2;
    t->itype[0].speed = 1.0;
    t->itype[0].hourly_usd = 0.085;
    snprintf(t->itype[1].name, sizeof t->itype[1].name, "c5.xlarge");
    t->itype[1].vcpus = 4;
    t->itype[1].speed = 1.0;
    t->itype[1].hourly_usd = 0.17;
    s->itypes = t->itype;
    s->n_itypes = 2;

    for (int k = 0; k < 2; k++) {
        scn_launch_template *lt = &t->lt[k];
        lt->name = tl_name(t, k == 0 ? "web-lt" : "web-lt-v2");
        lt->itype = 0;
        lt->boot_time = tl_const(30);
        lt->pending_time = tl_const(6);
        lt->os_boot_time = tl_const(20);
        lt->app_start_time = tl_const(10);
        lt->detailed_monitoring = 1;
        lt->pending_values = lt->os_boot_values = lt->app_start_values = NULL; /* constant phases */
    }
    s->launch_templates = t->lt;
    s->n_launch_templates = 2;

    s->instances = NULL;
    s->n_instances = 0;
    s->attachments = NULL;
    s->n_attachments = 0;

    t->tg.name = tl_name(t, "web");
    t->tg.algorithm = SCN_ALG_ROUND_ROBIN;
    t->tg.deregistration_delay = tl_s(300);
    t->tg.slow_start = 0;
    t->tg.health_check.interval = tl_s(30);
    t->tg.health_check.timeout = tl_s(5);
    t->tg.health_check.healthy_threshold = 5;
    t->tg.health_check.unhealthy_threshold = 2;
    snprintf(t->tg.health_check.path, sizeof t->tg.health_check.path, "/");
    snprintf(t->tg.health_check.matcher, sizeof t->tg.health_check.matcher, "200");
    t->tg.port = 80;
    s->target_groups = &t->tg;
    s->n_target_groups = 1;

    t->lb.name = tl_name(t, "front");
    t->lb.target_group = 0;
    t->lb.idle_timeout = tl_s(60);
    s->lbs = &t->lb;
    s->n_lbs = 1;

    scn_asg *g = &t->asg;
    g->name = tl_name(t, "web");
    g->launch_template = 0;
    g->min_size = 1;
    g->max_size = 10;
    g->desired_capacity = 2;
    snprintf(t->azs[0], 32, "us-west-2a");
    snprintf(t->azs[1], 32, "us-west-2b");
    snprintf(t->azs[2], 32, "us-west-2c");
    g->availability_zones = t->azs;
    g->n_availability_zones = 3;
    t->asg_tgs[0] = 0;
    g->target_groups = t->asg_tgs;
    g->n_target_groups = 1;
    g->health_check_type = SCN_HC_EC2;
    g->health_check_grace_period = 0;        /* API default (aws-semantics 1.3) */
    g->default_cooldown = tl_s(300);         /* 1.6 */
    g->default_instance_warmup = -1;         /* not set (1.6) */
    g->termination_policies[0] = SCN_TP_DEFAULT;
    g->n_termination_policies = 1;
    g->protect_from_scale_in = 0;
    g->health_check_sweep = tl_s(60);        /* fleetsim parameter (AWS: NOT FOUND) */
    g->impaired_wait = tl_s(180);            /* fleetsim parameter (AWS: NOT FOUND) */
    s->asgs = &t->asg;
    s->n_asgs = 1;

    scn_workload *w = &t->wl;
    w->name = tl_name(t, "users");
    w->lb = 0;
    w->kind = SCN_ARR_POISSON;
    w->rps = rps;
    w->points = t->pts;
    w->n_points = 0;
    w->service_time = tl_const(0.1);
    w->service_values = NULL;
    w->timeout = 0;
    w->mean_rps = 0;
    w->amplitude = 0;
    w->period = 24 * SIM_HOUR;
    w->peak_at = 14 * SIM_HOUR;
    w->mmpp_rps[0] = w->mmpp_rps[1] = 0;
    w->mmpp_dwell[0] = w->mmpp_dwell[1] = 0;
    w->trace_times = NULL;
    w->n_trace_times = 0;
    w->trace_counts = NULL;
    w->n_trace_counts = 0;
    w->trace_interval = 0;
    w->trace_loop = 0;
    w->request_bytes = 1000;
    w->response_bytes = 10000;
    s->workloads = w;
    s->n_workloads = 1;

    s->report.window = tl_s(60);
    s->report.warmup = 0;
    s->report.slo_p99 = 0;

    s->start_epoch = TL_EPOCH_MONDAY;
    s->cw_publication_delay = tl_s(60);      /* fleetsim parameter (AWS: NOT FOUND, 3.1) */
    s->policies = t->pols;
    s->n_policies = 0;
    s->alarms = t->alarms;
    s->n_alarms = 0;
    s->sns_topics = t->topics;
    s->n_sns_topics = 0;
    s->notifications = NULL;
    s->n_notifications = 0;
    s->schedules = t->scheds;
    s->n_schedules = 0;
    s->faults = t->faults;
    s->n_faults = 0;
}

static inline tl *tl_new(double duration_s, double rps)
{
    tl *t = malloc(sizeof *t);
    if (!t) {
        fprintf(stderr, "tl_new: out of memory\n");
        abort();
    }
    tl_init(t, duration_s, rps);
    return t;
}

/* The group's min / max / desired. */
static inline void tl_group(tl *t, int min, int max, int desired)
{
    t->asg.min_size = min;
    t->asg.max_size = max;
    t->asg.desired_capacity = desired;
}

/*
 * A stepped rate: rps_k from t_k (seconds; t_0 = 0) until t_{k+1}. The
 * workload is piecewise linear, so each step is two points 1 ns apart.
 */
static inline void tl_steps(tl *t, size_t n, const double *at_s, const double *rps)
{
    scn_workload *w = &t->wl;
    size_t m = 0;
    for (size_t k = 0; k < n && m + 2 <= TL_MAX_PTS; k++) {
        sim_time_t at = tl_s(at_s[k]);
        if (k > 0)
            t->pts[m++] = (scn_rate_point){at - 1, rps[k - 1]};
        t->pts[m++] = (scn_rate_point){at, rps[k]};
    }
    w->kind = SCN_ARR_PIECEWISE;
    w->points = t->pts;
    w->n_points = m;
}

/* A piecewise-linear rate through (at_s[k], rps[k]) (at_s[0] = 0). */
static inline void tl_linear(tl *t, size_t n, const double *at_s, const double *rps)
{
    for (size_t k = 0; k < n && k < TL_MAX_PTS; k++)
        t->pts[k] = (scn_rate_point){tl_s(at_s[k]), rps[k]};
    t->wl.kind = SCN_ARR_PIECEWISE;
    t->wl.points = t->pts;
    t->wl.n_points = n < TL_MAX_PTS ? n : TL_MAX_PTS;
}

/* ---------------------------------------------------------------- control plane */

/* An alarm on metric id (statistic stat) of the group (EC2 / AutoScaling metrics) or of the ALB (others); returns its index. */
static inline int tl_alarm(tl *t, const char *name, scn_metric_id id, scn_statistic stat, double period_s,
                           int n, int m, double threshold, scn_comparison cmp, scn_missing missing)
{
    size_t k = t->sc.n_alarms++;
    scn_alarm *a = &t->alarms[k];
    memset(a, 0, sizeof *a);
    a->name = tl_name(t, name);
    bool group = id == SCN_M_EC2_CPU || id == SCN_M_EC2_NETWORK_IN || id == SCN_M_EC2_NETWORK_OUT ||
                 id == SCN_M_ASG_DESIRED || id == SCN_M_ASG_IN_SERVICE;
    a->metric.id = id;
    a->metric.asg = group ? 0 : -1;
    a->metric.lb = group ? -1 : 0;
    a->metric.tg = group ? -1 : 0;
    a->metric.statistic = stat;
    a->metric.percentile = 0;
    a->period = tl_s(period_s);
    a->evaluation_periods = n;
    a->datapoints_to_alarm = m;
    a->threshold = threshold;
    a->comparison = cmp;
    a->treat_missing_data = missing;
    a->actions_enabled = 1;
    a->n_alarm_actions = a->n_ok_actions = a->n_insufficient_data_actions = 0;
    return (int)k;
}

/* Adds an action (policy or SNS topic index) to alarm a's ALARM list. */
static inline void tl_alarm_action(tl *t, int a, int kind, int index)
{
    scn_alarm *al = &t->alarms[a];
    al->alarm_actions[al->n_alarm_actions].kind = kind == SCN_ACT_SNS ? SCN_ACT_SNS : SCN_ACT_POLICY;
    al->alarm_actions[al->n_alarm_actions].index = index;
    al->n_alarm_actions++;
}

static inline void tl_ok_action(tl *t, int a, int kind, int index)
{
    scn_alarm *al = &t->alarms[a];
    al->ok_actions[al->n_ok_actions].kind = kind == SCN_ACT_SNS ? SCN_ACT_SNS : SCN_ACT_POLICY;
    al->ok_actions[al->n_ok_actions].index = index;
    al->n_ok_actions++;
}

/* A policy of type ty with every field at its documented default; returns its index. */
static inline int tl_policy(tl *t, const char *name, scn_policy_type ty)
{
    size_t k = t->sc.n_policies++;
    scn_policy *p = &t->pols[k];
    memset(p, 0, sizeof *p);
    p->name = tl_name(t, name);
    p->asg = 0;
    p->type = ty;
    p->enabled = 1;
    p->adjustment_type = SCN_ADJ_CHANGE_IN_CAPACITY;
    p->scaling_adjustment = 0;
    p->cooldown = -1;                        /* the group's default_cooldown */
    p->min_adjustment_magnitude = 0;
    p->metric_aggregation_type = SCN_AGG_AVERAGE;
    p->steps = t->steps[k];
    p->n_steps = 0;
    p->estimated_instance_warmup = -1;       /* default chain (1.6) */
    p->tt_metric = SCN_TT_ASG_CPU;
    p->tt_tg = -1;
    memset(&p->tt_custom, 0, sizeof p->tt_custom);
    p->tt_custom.asg = p->tt_custom.lb = p->tt_custom.tg = -1;
    p->target_value = 0;
    p->disable_scale_in = 0;
    p->tt_scale_out_periods = 3;             /* [OBS] 2.1 */
    p->tt_scale_in_periods = 15;
    p->tt_scale_in_ratio = 0.7;
    p->pred_mode = SCN_PRED_FORECAST_ONLY;
    p->pred_buffer = tl_s(300);
    p->pred_increase_max = 0;
    p->pred_max_buffer_pct = 0;
    p->pred_metric = SCN_TT_ASG_CPU;
    return (int)k;
}

/* Target tracking on ASGAverageCPUUtilization. */
static inline int tl_tt_cpu(tl *t, const char *name, double target)
{
    int k = tl_policy(t, name, SCN_POL_TARGET_TRACKING);
    t->pols[k].tt_metric = SCN_TT_ASG_CPU;
    t->pols[k].target_value = target;
    return k;
}

/* Target tracking on ALBRequestCountPerTarget (requests per target per minute). */
static inline int tl_tt_rpt(tl *t, const char *name, double target)
{
    int k = tl_policy(t, name, SCN_POL_TARGET_TRACKING);
    t->pols[k].tt_metric = SCN_TT_ALB_REQUESTS_PER_TARGET;
    t->pols[k].tt_tg = 0;
    t->pols[k].target_value = target;
    return k;
}

static inline int tl_simple(tl *t, const char *name, scn_adjustment adj, int by, double cooldown_s)
{
    int k = tl_policy(t, name, SCN_POL_SIMPLE);
    t->pols[k].adjustment_type = adj;
    t->pols[k].scaling_adjustment = by;
    t->pols[k].cooldown = cooldown_s < 0 ? -1 : tl_s(cooldown_s);
    return k;
}

static inline int tl_step_policy(tl *t, const char *name, scn_adjustment adj)
{
    int k = tl_policy(t, name, SCN_POL_STEP);
    t->pols[k].adjustment_type = adj;
    return k;
}

/* Adds a step [lo, hi) relative to the threshold; has_lo / has_hi 0 = unbounded. */
static inline void tl_step(tl *t, int p, int has_lo, double lo, int has_hi, double hi, int adj)
{
    scn_policy *pl = &t->pols[p];
    scn_step *s = &t->steps[p][pl->n_steps++];
    s->has_lower = has_lo;
    s->lower = has_lo ? lo : 0;
    s->has_upper = has_hi;
    s->upper = has_hi ? hi : 0;
    s->adjustment = adj;
}

static inline int tl_topic(tl *t, const char *name)
{
    size_t k = t->sc.n_sns_topics++;
    scn_sns_topic *tp = &t->topics[k];
    memset(tp, 0, sizeof *tp);
    tp->name = tl_name(t, name);
    tp->n_email = 1;
    tp->n_sms = tp->n_http = tp->n_lambda = tp->n_sqs = 0;
    return (int)k;
}

/* A scheduled action (-1 = field not set; recurrence "" = one-off at start_s). */
static inline int tl_schedule(tl *t, const char *name, int min, int max, int desired, double start_s,
                              double end_s, const char *recurrence)
{
    size_t k = t->sc.n_schedules++;
    scn_schedule *sd = &t->scheds[k];
    memset(sd, 0, sizeof *sd);
    sd->name = tl_name(t, name);
    sd->asg = 0;
    sd->min_size = min;
    sd->max_size = max;
    sd->desired_capacity = desired;
    sd->start_time = start_s < 0 ? -1 : tl_s(start_s);
    sd->end_time = end_s < 0 ? -1 : tl_s(end_s);
    snprintf(sd->recurrence, sizeof sd->recurrence, "%s", recurrence ? recurrence : "");
    return (int)k;
}

/* A fault or operation at at_s, every field at its default; faults must be added in time order. */
static inline scn_fault *tl_fault(tl *t, scn_fault_kind kind, double at_s)
{
    size_t k = t->sc.n_faults++;
    scn_fault *f = &t->faults[k];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->at = tl_s(at_s);
    f->duration = 0;
    f->asg = 0;
    f->count = 1;
    f->zone[0] = '\0';
    f->desired_capacity = 0;
    f->honor_cooldown = 0;
    f->launch_template = -1;
    f->min_healthy_percentage = 90;
    f->instance_warmup = -1;
    return f;
}

/* ---------------------------------------------------------------- running */

/* Builds the world (not run); NULL with a diagnostic if world_new failed. */
static inline world *tl_build(const tl *t, uint64_t seed)
{
    char err[256];
    sim *s = sim_new(seed, 0);
    if (!s)
        return NULL;
    world *w = world_new(s, &t->sc, err, sizeof err);
    if (!w) {
        printf("# world_new: %s\n", err);
        sim_free(s);
    }
    return w;
}

/* Runs the kernel to at_s (the world stays runnable: world_run finishes it). */
static inline void tl_until(world *w, double at_s) { sim_run_until(world_sim(w), tl_s(at_s)); }

/* world_run, a kernel error said as a TAP comment; 0 on success. */
static inline int tl_world_run(world *w)
{
    int rc = world_run(w);
    if (rc != 0)
        printf("# world_run: %d\n", rc);
    return rc;
}

/* The models of every resource of tf_type in w (up to max), in file order; their count. */
static inline size_t tl_models(const world *w, const char *tf_type, void **out, size_t max)
{
    const res_type *t = ld_type_find(tf_type);
    size_t n = 0, k = 0;
    const char *cfgs = t ? (const char *)ld_type_cfgs(world_scenario(w), t, &n) : NULL;
    for (size_t i = 0; cfgs && i < n && k < max; i++) {
        void *m = world_model(w, tf_type, ((const scn_res_head *)(cfgs + i * t->cfg_size))->name);
        if (m)
            out[k++] = m;
    }
    return k;
}

/*
 * The invariants of issue 7 point 6, checked at every instant of a run (after all the events of one
 * simulated time): requests arrived = finished by cause + in flight, and no request counted in flight
 * without a request object a model holds; for every license pool, keys in use + free + leaked = the pool
 * size, and the keys its items show claimed = what its writes counted; for every Lambda function, runs
 * <= its concurrency limit, and all functions' runs <= the account's limit.
 */
typedef struct tl_inv {
    ddb_table *pools[16];
    int pool_size[16];
    size_t n_pools;
    lam_fn *fns[64];
    size_t n_fns;
    int account;
    uint64_t instants;
    char first_bad[256];
} tl_inv;

static inline void tl_inv_init(tl_inv *v, const world *w)
{
    memset(v, 0, sizeof *v);
    void *m[64];
    size_t n = tl_models(w, "aws_dynamodb_table", m, 16);
    for (size_t k = 0; k < n; k++) {
        int in_use, free_keys, leaked;
        if (ddb_pool_now(m[k], &in_use, &free_keys, &leaked)) {
            v->pools[v->n_pools] = m[k];
            v->pool_size[v->n_pools++] = in_use + free_keys + leaked;
        }
    }
    v->n_fns = tl_models(w, "aws_lambda_function", (void **)v->fns, 64);
    v->account = 1000;
    const res_type *t = ld_type_find("aws_lambda_function");
    size_t nf = 0;
    const char *cfgs = t ? (const char *)ld_type_cfgs(world_scenario(w), t, &nf) : NULL;
    for (size_t i = 0; cfgs && i < nf; i++)
        v->account = ((const lam_cfg *)(cfgs + i * t->cfg_size))->account_concurrency;
}

static inline void tl_inv_check(tl_inv *v, world *w)
{
    v->instants++;
    if (v->first_bad[0])
        return;
    double t = sim_to_sec(sim_now(world_sim(w)));
    uint64_t arrived, by_cause[STATS_N_CAUSES], in_flight, objects, done = 0;
    world_live_requests(w, &arrived, by_cause, &in_flight, &objects);
    for (int c = 0; c < STATS_N_CAUSES; c++)
        done += by_cause[c];
    if (arrived != done + in_flight || in_flight > objects) {
        snprintf(v->first_bad, sizeof v->first_bad,
                 "at %.6f s: arrived %llu, finished %llu, in flight %llu, request objects %llu", t,
                 (unsigned long long)arrived, (unsigned long long)done, (unsigned long long)in_flight,
                 (unsigned long long)objects);
        return;
    }
    for (size_t k = 0; k < v->n_pools; k++) {
        int in_use, free_keys, leaked;
        ddb_pool_now(v->pools[k], &in_use, &free_keys, &leaked);
        if (in_use + free_keys + leaked != v->pool_size[k] || in_use + leaked != ddb_claimed(v->pools[k])) {
            snprintf(v->first_bad, sizeof v->first_bad,
                     "at %.6f s: pool %s: in use %d + free %d + leaked %d != %d, or claimed %d", t,
                     ddb_name(v->pools[k]), in_use, free_keys, leaked, v->pool_size[k], ddb_claimed(v->pools[k]));
            return;
        }
    }
    int all = 0;
    for (size_t k = 0; k < v->n_fns; k++) {
        all += lam_running(v->fns[k]);
        if (lam_running(v->fns[k]) > lam_limit(v->fns[k])) {
            snprintf(v->first_bad, sizeof v->first_bad, "at %.6f s: a function runs %d, above its limit %d", t,
                     lam_running(v->fns[k]), lam_limit(v->fns[k]));
            return;
        }
    }
    if (all > v->account)
        snprintf(v->first_bad, sizeof v->first_bad, "at %.6f s: functions run %d, above the account's %d", t, all,
                 v->account);
}

/* Runs w to its end, checking the invariants after every instant, and reports them as one TAP line; world_run's code. */
static inline int tl_run_checked(world *w)
{
    tl_inv v;
    tl_inv_init(&v, w);
    sim *s = world_sim(w);
    sim_time_t end = world_scenario(w)->duration, next;
    tl_inv_check(&v, w);
    while ((next = sim_next_time(s)) >= 0 && next <= end && sim_error(s) == 0) {
        sim_run_until(s, next);
        tl_inv_check(&v, w);
    }
    int rc = tl_world_run(w);
    ok(!v.first_bad[0], "invariants at every instant (%llu): requests conserved, %zu pool(s) add up, %zu function(s) within "
       "concurrency%s%s", (unsigned long long)v.instants, v.n_pools, v.n_fns, v.first_bad[0] ? ": " : "", v.first_bad);
    return rc;
}

/* Runs w (built, perhaps run part of the way with tl_until) to its end, checking the invariants at every
   instant from here on (one TAP line); 0 on success. A world already run is left as it is. */
static inline int tl_finish(world *w) { return world_has_run(w) ? sim_error(world_sim(w)) : tl_run_checked(w); }

/* Builds and runs t with seed, checking the invariants at every instant (one TAP line); NULL on failure. */
static inline world *tl_run(const tl *t, uint64_t seed)
{
    world *w = tl_build(t, seed);
    if (w && tl_run_checked(w) != 0) {
        sim *s = world_sim(w);
        world_free(w);
        sim_free(s);
        return NULL;
    }
    return w;
}

static inline void tl_free(world *w)
{
    if (!w)
        return;
    sim *s = world_sim(w);
    world_free(w);
    sim_free(s);
}

/* ---------------------------------------------------------------- the events log */

static inline double tl_sec(sim_time_t t) { return sim_to_sec(t); }

/* Entry i of the log. */
static inline const events_entry *tl_ev(const world *w, size_t i) { return events_at(world_events(w), i); }
static inline size_t tl_nev(const world *w) { return events_count(world_events(w)); }

/*
 * The first entry at or after from_s with type (NULL any), resource (NULL any),
 * to (NULL any) and message containing msg (NULL any); NULL if none.
 */
static inline const events_entry *tl_first(const world *w, double from_s, const char *type, const char *resource,
                                           const char *to, const char *msg)
{
    const events_log *e = world_events(w);
    size_t pos = 0;
    const events_entry *x;
    sim_time_t from = tl_s(from_s);
    while ((x = events_find(e, &pos, type, resource, to)) != NULL)
        if (x->t >= from && (!msg || (x->message && strstr(x->message, msg))))
            return x;
    return NULL;
}

/* Its time in seconds, or -1 if none. */
static inline double tl_first_t(const world *w, double from_s, const char *type, const char *resource,
                                const char *to, const char *msg)
{
    const events_entry *x = tl_first(w, from_s, type, resource, to, msg);
    return x ? tl_sec(x->t) : -1;
}

/* Entries in [from_s, to_s) matching as tl_first. */
static inline int tl_count(const world *w, double from_s, double to_s, const char *type, const char *resource,
                           const char *to, const char *msg)
{
    const events_log *e = world_events(w);
    size_t pos = 0;
    const events_entry *x;
    int n = 0;
    while ((x = events_find(e, &pos, type, resource, to)) != NULL)
        if (x->t >= tl_s(from_s) && x->t < tl_s(to_s) && (!msg || (x->message && strstr(x->message, msg))))
            n++;
    return n;
}

/* The k-th (0-based) desired-capacity change of the group ("scaling" entries with from/to); NULL if none. */
static inline const events_entry *tl_change(const world *w, int k)
{
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, "scaling") == 0 && x->from[0] && x->to[0] && k-- == 0)
            return x;
    }
    return NULL;
}

/* Number of desired-capacity changes in [from_s, to_s). */
static inline int tl_changes(const world *w, double from_s, double to_s)
{
    int n = 0;
    size_t ne = tl_nev(w);
    for (size_t i = 0; i < ne; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, "scaling") == 0 && x->from[0] && x->to[0] && x->t >= tl_s(from_s) && x->t < tl_s(to_s))
            n++;
    }
    return n;
}

/* Desired capacity just after at_s, from the log (initial: the config). */
static inline int tl_desired_at(const world *w, double at_s)
{
    int d = world_scenario(w)->asgs[0].desired_capacity;
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (x->t > tl_s(at_s))
            break;
        if (strcmp(x->type, "scaling") == 0 && x->from[0] && x->to[0])
            d = atoi(x->to);
    }
    return d;
}

/* Prints the log as TAP diagnostics (set TL_VERBOSE=1 to see it on every run). */
static inline void tl_dump(const world *w, double from_s, double to_s)
{
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (x->t < tl_s(from_s) || x->t >= tl_s(to_s))
            continue;
        printf("#   %9.3f %-8s %-26s %-12s -> %-12s %s\n", tl_sec(x->t), x->type, x->resource, x->from, x->to,
               x->message ? x->message : "");
    }
}

static inline int tl_verbose(void)
{
    const char *v = getenv("TL_VERBOSE");
    return v && v[0] && v[0] != '0';
}

/* The group's instance k (launch order) and its EC2 side. */
static inline asg *tl_asg(const world *w) { return world_asg(w, 0); }

/* Index of instance id in the group's launch order, -1 if none. */
static inline int tl_inst_index(const world *w, const char *id)
{
    asg *g = tl_asg(w);
    for (size_t k = 0; k < asg_n_instances(g); k++)
        if (strcmp(asg_instance_id(g, k), id) == 0)
            return (int)k;
    return -1;
}

/* The world_instance_info row of id, NULL if none (after the run). */
static inline const world_instance_info *tl_info(const world *w, const char *id)
{
    size_t n;
    const world_instance_info *f = world_instances(w, &n);
    for (size_t k = 0; k < n; k++)
        if (strcmp(f[k].id, id) == 0)
            return &f[k];
    return NULL;
}

/* The zone of group instance k, from its "Launching ... in ZONE" event or its EC2 instance. */
static inline const char *tl_zone(const world *w, size_t k)
{
    ec2_instance *i = asg_instance_ec2(tl_asg(w), k);
    return i ? ec2_az(i) : "";
}

#endif /* FLEETSIM_TL_H */
