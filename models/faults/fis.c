/*
 * fis.c - one AWS FIS action on the world (aws-semantics 12).
 *
 * Targets (12.1): identified once, when the action starts, as FIS does at
 * the experiment's start: instances that are running (and InService, for a
 * group's) among the named resources (a group stands for its instances, an
 * aws_instance for its count) or carrying every tag (aws:autoscaling:groupName
 * is the group's name, as Auto Scaling tags its instances; other tags are
 * those set through ec2:CreateTags), in scenario order (groups, then fleets;
 * each in launch order), kept if in a filtered zone. ALL keeps them all;
 * COUNT(n) and PERCENT(n) draw min(n, N), resp. floor(N x n / 100) but at
 * least one, uniformly without replacement from the stream "fis.<name>".
 * No target: the experiment fails (12.1), logged, nothing happens.
 *
 * Effects:
 * - terminate-instances, stop-instances (12.2): a group's instance leaves
 *   running and its group replaces it (1.3: not running is an immediate
 *   failure); a fleet instance is terminated, or stopped and, with
 *   startInstancesAfterDuration, started again. A group instance that the
 *   group replaced is not started (completeIfInstancesTerminated).
 * - reboot-instances: held requests get 502, and for fleetsim.reboot_time the
 *   instance refuses requests and fails health checks, while EC2 still calls
 *   it running (the group's EC2 check sees nothing).
 * - AWSFIS-Run-CPU-Stress (12.3): work takes `slowdown` times as long for
 *   DurationSeconds: by default 1 + (stressed vCPUs / vCPUs) x LoadPercent/100
 *   (a stressor per vCPU at 100% leaves the application half of each vCPU:
 *   the fair share of Linux's scheduler, a fleetsim model). A gray failure:
 *   health checks pass while the probe's queue wait stays under the timeout.
 * - AWSFIS-Run-Network-Latency: every response leaves DelayMilliseconds later.
 * - Lambda (12.4), DynamoDB, EventBridge rule: a window on the model.
 * - The AZ power interruption scenario (12.6): every group in the zone loses
 *   it (its instances stop and are replaced elsewhere, launches there fail:
 *   Stop-ASG-Instances + Pause-ASG-Scaling), fleet instances in the zone stop
 *   and start again when it ends (Stop-Instances), default 30 minutes.
 * - instance-failures (fleetsim): each target instance fails (leaves running,
 *   as instance_crash) after an exponential time of mean MTBF, drawn by
 *   thinning: candidate failures at rate bound / MTBF, where bound counts the
 *   most instances the targets can have (groups' max_size, fleets' count); a
 *   candidate strikes the u-th running target if u < N (u uniform below the
 *   bound). Targets are looked up at each candidate, so replacements fail too.
 *
 * Recovery (the report): capacity, the first time (checked each second from
 * the start) every group the action hit has as many instances InService as
 * it desires; SLO, the start of the first full report window, after a window
 * that missed the scenario's p99 objective, that meets it (0 if none missed).
 */
#include "models/faults/fis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/dynamodb/table.h"
#include "models/ec2/instance.h"
#include "models/events/rule.h"
#include "models/faults/fis_cfg.h"
#include "models/lambda/function.h"
#include "stats/stats.h"

typedef struct tgt {
    asg *g;                    /* the instance's group, or NULL for a fleet instance */
    size_t k;                  /* its index in the group */
    char id[SCN_ID_SIZE];
} tgt;

struct fis_run {
    const fis_world *w;
    const fis_action *a;
    size_t index;
    sim_time_t at;
    gsl_rng *rng;
    tgt *picked;               /* the instances acted on (ids: instances are looked up again later) */
    size_t n_picked;
    void *models[FIS_MAX_ARNS]; /* lambda functions, tables, rules acted on */
    size_t n_models;
    size_t n_found;            /* targets identified */
    bool started, failed;
    bool *hit;                 /* per group: the action took instances from it */
    sim_time_t cap_recovered;  /* -1: not yet */
};

/* One "fis" line of the events log, resource the action's name; OOM stops the run. */
static void flog(fis_run *r, const char *to, const char *text)
{
    events_log *ev = wb_events(r->w->b);
    if (ev && events_add(ev, sim_now(r->w->s), "fis", r->a->name, NULL, to, "%s", text) != 0)
        sim_fail(r->w->s, SIM_ENOMEM);
}

/* ---------------------------------------------------------------- targets */

static bool named(const fis_action *a, const char *tf_type, const char *name)
{
    for (size_t k = 0; k < a->n_arns; k++)
        if (strcmp(a->arns[k].tf_type, tf_type) == 0 && strcmp(a->arns[k].name, name) == 0)
            return true;
    return false;
}

static bool tags_match(const fis_action *a, const ec2_instance *i, const char *group)
{
    for (size_t k = 0; k < a->n_tags; k++) {
        const char *v = strcmp(a->tags[k].key, "aws:autoscaling:groupName") == 0 ? group : ec2_tag(i, a->tags[k].key);
        if (!v || strcmp(v, a->tags[k].value) != 0)
            return false;
    }
    return true;
}

static bool in_zones(const fis_action *a, const ec2_instance *i)
{
    if (a->n_zones == 0)
        return true;
    for (size_t z = 0; z < a->n_zones; z++)
        if (strcmp(ec2_az(i), a->zones[z]) == 0)
            return true;
    return false;
}

/* The running instance targets now, in scenario order (a Spot action: the groups' Spot instances only); *n their count. NULL with *n = 0 on OOM (sim_fail). */
static tgt *find_instances(fis_run *r, size_t *n)
{
    bool spot = r->a->rtype == FIS_RT_SPOT;
    const fis_world *w = r->w;
    const fis_action *a = r->a;
    const scenario *sc = w->sc;
    size_t cap = 1;
    for (size_t g = 0; g < w->n_groups; g++)
        cap += w->groups[g] ? asg_n_instances(w->groups[g]) : 0;
    for (size_t f = 0; f < sc->n_instances; f++)
        cap += (size_t)sc->instances[f].count;
    tgt *out = calloc(cap, sizeof *out);
    *n = 0;
    if (!out) {
        sim_fail(w->s, SIM_ENOMEM);
        return NULL;
    }
    for (size_t g = 0; g < w->n_groups; g++) {
        asg *gr = w->groups[g];
        if (!gr || (a->n_arns && !named(a, "aws_autoscaling_group", asg_name(gr))))
            continue;
        for (size_t k = 0; k < asg_n_instances(gr); k++) {
            ec2_instance *i = asg_instance_ec2(gr, k);
            if (!i || !ec2_running(i) || strcmp(asg_instance_state(gr, k), "InService") != 0 || !in_zones(a, i) ||
                (a->n_tags && !tags_match(a, i, asg_name(gr))) || (spot && !asg_instance_spot(gr, k)))
                continue;
            out[*n] = (tgt){.g = gr, .k = k};
            snprintf(out[*n].id, sizeof out[*n].id, "%s", ec2_id(i));
            (*n)++;
        }
    }
    for (size_t f = 0; f < sc->n_instances && !spot; f++) {
        if (a->n_arns && !named(a, "aws_instance", sc->instances[f].name))
            continue;
        for (int c = 0; c < sc->instances[f].count; c++) {
            char id[SCN_ID_SIZE];
            snprintf(id, sizeof id, "i-%s-%d", sc->instances[f].name, c);
            ec2_instance *i = wb_instance(w->b, id);
            if (!i || !ec2_running(i) || !in_zones(a, i) || (a->n_tags && !tags_match(a, i, NULL)))
                continue;
            out[*n] = (tgt){.g = NULL};
            snprintf(out[*n].id, sizeof out[*n].id, "%s", id);
            (*n)++;
        }
    }
    return out;
}

/* How many of n targets the selection mode keeps (12.1). */
static size_t selected(const fis_action *a, size_t n)
{
    if (a->sel == FIS_SEL_COUNT)
        return (size_t)a->sel_n < n ? (size_t)a->sel_n : n;
    if (a->sel == FIS_SEL_PERCENT) {
        size_t m = n * (size_t)a->sel_n / 100;
        return n == 0 ? 0 : m < 1 ? 1 : m;
    }
    return n;
}

/* Moves the picks to the front of v (elements of size sz): partial Fisher-Yates from the run's stream. */
static void pick_front(fis_run *r, void *v, size_t sz, size_t n, size_t want)
{
    if (want >= n)
        return;
    char tmp[sizeof(tgt)];
    char *b = v;
    for (size_t k = 0; k < want; k++) {
        size_t j = k + gsl_rng_uniform_int(r->rng, n - k);
        memcpy(tmp, b + k * sz, sz);
        memmove(b + k * sz, b + j * sz, sz);
        memcpy(b + j * sz, tmp, sz);
    }
}

/* "i-a-0, i-a-3" into buf, clipped with "..." */
static const char *id_list(const fis_run *r, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->n_picked; k++) {
        int m = snprintf(buf + len, size - len, "%s%s", k ? ", " : "", r->picked[k].id);
        if (m < 0 || (size_t)m >= size - len) {
            snprintf(buf + (size > 4 ? size - 4 : 0), size > 4 ? 4 : size, "...");
            break;
        }
        len += (size_t)m;
    }
    return buf;
}

static const char *sel_text(const fis_action *a, char *buf, size_t size)
{
    if (a->sel == FIS_SEL_ALL)
        snprintf(buf, size, "ALL");
    else
        snprintf(buf, size, "%s(%d)", a->sel == FIS_SEL_COUNT ? "COUNT" : "PERCENT", a->sel_n);
    return buf;
}

/* ---------------------------------------------------------------- recovery */

static size_t group_index(const fis_run *r, const asg *g)
{
    for (size_t k = 0; k < r->w->n_groups; k++)
        if (r->w->groups[k] == g)
            return k;
    return r->w->n_groups;
}

static void on_cap_check(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fis_run *r = obj;
    for (size_t k = 0; k < r->w->n_groups; k++)
        if (r->hit[k] && r->w->groups[k] && asg_in_service(r->w->groups[k]) < asg_desired(r->w->groups[k])) {
            sim_after(s, SIM_SEC, on_cap_check, r, 0);
            return;
        }
    r->cap_recovered = sim_now(s);
    char b[96];
    snprintf(b, sizeof b, "back to desired capacity %.0f s after the action started", sim_to_sec(r->cap_recovered - r->at));
    flog(r, NULL, b);
}

/* ---------------------------------------------------------------- effects */

static void on_end(sim *s, void *obj, uint64_t arg);

static ec2_instance *inst(const fis_run *r, size_t k) { return wb_instance(r->w->b, r->picked[k].id); }

/* Group instances leave running and are replaced (1.3); fleet ones stop (stop) or terminate. */
static void take_down(fis_run *r, bool stop)
{
    const char *cause = fis_action_ids[r->a->act];
    for (size_t k = 0; k < r->n_picked; k++) {
        tgt *t = &r->picked[k];
        ec2_instance *i = inst(r, k);
        if (!i)
            continue;
        if (t->g) {
            /* The index may have moved if the group grew since: find the instance again. */
            for (size_t j = 0; j < asg_n_instances(t->g); j++)
                if (asg_instance_ec2(t->g, j) == i) {
                    /* asg_crash_instances takes InService instances: another action may have taken it already. */
                    if (ec2_running(i) && strcmp(asg_instance_state(t->g, j), "InService") == 0)
                        asg_crash_instances(t->g, &j, 1, cause);
                    break;
                }
            r->hit[group_index(r, t->g)] = true;
        } else if (stop) {
            ec2_stop(i);
        } else {
            ec2_terminate(i);
        }
    }
}

/* The instance slowdown of a CPU-Stress run on i. */
static double stress_factor(const fis_action *a, const ec2_instance *i)
{
    if (a->slowdown > 0)
        return a->slowdown;
    int v = ec2_vcpus(i), c = a->cpu > 0 && a->cpu < v ? a->cpu : v;
    return 1.0 + (double)c / v * a->load_percent / 100.0;
}

static size_t find_models(fis_run *r, const char *tf_type)
{
    r->n_models = 0;
    for (size_t k = 0; k < r->a->n_arns; k++) {
        void *m = wb_find(r->w->b, tf_type, r->a->arns[k].name);
        if (m)
            r->models[r->n_models++] = m;
    }
    /* Names for the log: the tgt list doubles as it. */
    return r->n_models;
}

/* One reclaim wave in every target group's matching Spot pools (asg_spot_reclaim_wave), logged. */
static void reclaim_wave(fis_run *r)
{
    const fis_action *a = r->a;
    int hit = 0;
    for (size_t k = 0; k < r->n_models; k++) {
        int h = asg_spot_reclaim_wave(r->models[k], a->itype[0] ? a->itype : NULL, a->n_zones ? a->zones[0] : NULL,
                                      a->percentage / 100.0, 1, fis_action_ids[a->act]);
        if (h > 0) {
            hit += h;
            r->hit[group_index(r, r->models[k])] = true;
        }
    }
    char msg[200];
    snprintf(msg, sizeof msg, "%s: a reclaim wave takes %d Spot instance(s) (%d%% of the matching pools): notice now, "
             "reclaim in 2 minutes", fis_action_ids[a->act], hit, a->percentage);
    flog(r, NULL, msg);
}

/* The next wave of a spot-reclaim-wave law, until its duration ends. */
static void on_wave(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fis_run *r = obj;
    if (r->a->duration > 0 && sim_now(s) >= r->at + r->a->duration)
        return;
    reclaim_wave(r);
    sim_after(s, sim_from_sec(gsl_ran_exponential(r->rng, sim_to_sec(r->a->mtbf))), on_wave, r, 0);
}

static void on_start(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fis_run *r = obj;
    const fis_action *a = r->a;
    sim_time_t now = sim_now(s), until = a->duration > 0 ? now + a->duration : INT64_MAX;
    char buf[300], sb[24], msg[640];
    r->started = true;
    const char *id = fis_action_ids[a->act];
    if (a->rtype == FIS_RT_INSTANCE || a->rtype == FIS_RT_SPOT) {
        size_t n = 0;
        tgt *all = find_instances(r, &n);
        r->n_found = n;
        size_t want = selected(a, n);
        pick_front(r, all, sizeof *all, n, want);
        /* Keep only the picks: a COUNT(1000) of 20,000 would otherwise hold every target's id to the end. */
        tgt *kept = want < n ? realloc(all, (want ? want : 1) * sizeof *all) : NULL;
        r->picked = kept ? kept : all;
        r->n_picked = want;
    } else if (a->rtype != FIS_RT_ZONE) {
        static const char *const tf[] = {"", "aws_lambda_function", "aws_dynamodb_table", "aws_cloudwatch_event_rule",
                                         "", "", "aws_autoscaling_group"};
        size_t n = find_models(r, tf[a->rtype]);
        r->n_found = n;
        size_t want = selected(a, n);
        tgt *names = calloc(n + 1, sizeof *names);
        if (!names) {
            sim_fail(s, SIM_ENOMEM);
            return;
        }
        /* Draw over the indices so the names and the models move together. */
        size_t idx[FIS_MAX_ARNS];
        for (size_t k = 0; k < n; k++)
            idx[k] = k;
        pick_front(r, idx, sizeof idx[0], n, want);
        void *m[FIS_MAX_ARNS];
        for (size_t k = 0; k < want; k++) {
            m[k] = r->models[idx[k]];
            snprintf(names[k].id, sizeof names[k].id, "%s", a->arns[idx[k]].name);
        }
        memcpy(r->models, m, want * sizeof m[0]);
        r->n_models = want;
        r->picked = names;
        r->n_picked = want;
    }
    if (a->rtype != FIS_RT_ZONE && r->n_picked == 0) {
        r->failed = true;
        snprintf(msg, sizeof msg, "%s: no targets found: the experiment fails (aws-semantics 12.1)", id);
        flog(r, "failed", msg);
        return;
    }
    if (a->rtype == FIS_RT_ZONE)
        snprintf(msg, sizeof msg, "%s: %s loses power (its groups' instances are replaced elsewhere, launches there "
                 "fail, fleet instances there stop)", id, a->zones[0]);
    else
        snprintf(msg, sizeof msg, "%s on %zu of %zu target(s) (%s): %s", id, r->n_picked, r->n_found,
                 sel_text(a, sb, sizeof sb), id_list(r, buf, sizeof buf));
    flog(r, "running", msg);
    switch (a->act) {
    case FIS_EC2_TERMINATE:
        take_down(r, false);
        break;
    case FIS_EC2_STOP:
        take_down(r, true);
        if (a->start_after > 0)
            sim_after(s, a->start_after, on_end, r, 0);
        break;
    case FIS_EC2_REBOOT:
        for (size_t k = 0; k < r->n_picked; k++)
            if (inst(r, k))
                ec2_reboot(inst(r, k), a->reboot_time);
        break;
    case FIS_SSM_CPU_STRESS:
    case FIS_SSM_NET_LATENCY:
        for (size_t k = 0; k < r->n_picked; k++) {
            ec2_instance *i = inst(r, k);
            if (!i)
                continue;
            if (a->act == FIS_SSM_CPU_STRESS)
                ec2_set_slowdown(i, stress_factor(a, i));
            else
                ec2_set_net_delay(i, a->delay);
        }
        break;
    case FIS_LAMBDA_ERROR:
        for (size_t k = 0; k < r->n_models; k++)
            lam_fis_error(r->models[k], until, a->percentage / 100.0, a->prevent_execution);
        break;
    case FIS_LAMBDA_DELAY:
        for (size_t k = 0; k < r->n_models; k++)
            lam_fis_delay(r->models[k], until, a->delay, a->percentage / 100.0);
        break;
    case FIS_DDB_THROTTLE:
        for (size_t k = 0; k < r->n_models; k++)
            ddb_fis_throttle(r->models[k], until, a->percentage / 100.0);
        break;
    case FIS_EVENTS_DISABLE_RULE:
        for (size_t k = 0; k < r->n_models; k++)
            evr_fis_disable(r->models[k], now, until);
        break;
    case FIS_AZ_POWER: {
        const char *cause = "AZ Availability: Power Interruption";
        for (size_t g = 0; g < r->w->n_groups; g++)
            if (r->w->groups[g] && asg_uses_zone(r->w->groups[g], a->zones[0])) {
                r->hit[g] = true;
                asg_zone_outage(r->w->groups[g], a->zones[0], true, cause);
            }
        /* Stop-Instances: the zone's fleet instances, started again at the end (12.6). */
        size_t n = 0;
        tgt *all = find_instances(r, &n);
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (!all[k].g)
                all[m++] = all[k];
        r->picked = all;
        r->n_picked = m;
        r->n_found = m;
        for (size_t k = 0; k < m; k++)
            if (inst(r, k))
                ec2_stop(inst(r, k));
        char ids[300];
        snprintf(msg, sizeof msg, "%s: fleet instances stopped in %s: %s", id, a->zones[0],
                 m ? id_list(r, ids, sizeof ids) : "none");
        flog(r, NULL, msg);
        break;
    }
    case FIS_EC2_SPOT_INTERRUPT: {
        size_t done = 0;
        for (size_t k = 0; k < r->n_picked; k++) {
            tgt *t = &r->picked[k];
            ec2_instance *i = inst(r, k);
            for (size_t j = 0; i && t->g && j < asg_n_instances(t->g); j++)
                if (asg_instance_ec2(t->g, j) == i) {
                    done += asg_spot_interrupt(t->g, j, a->before, id) == 0;
                    r->hit[group_index(r, t->g)] = true;
                    break;
                }
        }
        snprintf(msg, sizeof msg, "%s: %zu of %zu get the rebalance recommendation now, the notice at +%.0f s, the "
                 "reclaim at +%.0f s (aws-semantics 12.2)", id, done, r->n_picked, sim_to_sec(a->before - 2 * SIM_MIN),
                 sim_to_sec(a->before));
        flog(r, NULL, msg);
        break;
    }
    case FIS_EC2_ASG_ICE: {
        int pools = 0;
        for (size_t k = 0; k < r->n_models; k++)
            for (size_t z = 0; z < a->n_zones; z++) {
                int b = asg_capacity_block(r->models[k], NULL, a->zones[z], -1, a->percentage, now, until);
                pools += b > 0 ? b : 0;
            }
        snprintf(msg, sizeof msg, "%s: %d%% of launches into %zu zone(s) get InsufficientInstanceCapacity (%d pool(s)%s)",
                 id, a->percentage, a->n_zones, pools, pools ? "" : ": the groups have no capacity pools, no effect");
        flog(r, NULL, msg);
        break;
    }
    case FIS_EC2_RECLAIM_WAVE:
        reclaim_wave(r);
        if (a->mtbf > 0)
            sim_after(s, sim_from_sec(gsl_ran_exponential(r->rng, sim_to_sec(a->mtbf))), on_wave, r, 0);
        break;
    case FIS_EC2_FAILURES:
    case FIS_N_ACTS:
        break;
    }
    if (a->duration > 0 && a->act != FIS_EC2_STOP && a->act != FIS_EC2_TERMINATE && a->act != FIS_EC2_REBOOT &&
        a->act != FIS_EC2_SPOT_INTERRUPT && a->act != FIS_EC2_RECLAIM_WAVE)
        sim_at(s, until, on_end, r, 0);
    /* Spot reclaims come later: capacity is checked from the reclaim on. */
    sim_time_t cap_from = a->act == FIS_EC2_SPOT_INTERRUPT ? a->before : a->act == FIS_EC2_RECLAIM_WAVE ? 2 * SIM_MIN : 0;
    for (size_t g = 0; g < r->w->n_groups; g++)
        if (r->hit[g]) {
            if (cap_from > 0)
                sim_after(s, cap_from, on_cap_check, r, 0);
            else
                on_cap_check(s, r, 0);
            break;
        }
}

static void on_end(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    fis_run *r = obj;
    const fis_action *a = r->a;
    char buf[300], msg[640];
    const char *id = fis_action_ids[a->act];
    switch (a->act) {
    case FIS_EC2_STOP: {
        /* StartInstances on the stopped ones; a group's replaced instance is gone (completeIfInstancesTerminated). */
        size_t started = 0;
        for (size_t k = 0; k < r->n_picked; k++) {
            ec2_instance *i = inst(r, k);
            started += i && !r->picked[k].g && ec2_start(i);
        }
        snprintf(msg, sizeof msg, "%s: startInstancesAfterDuration elapsed: %zu of %zu started again%s: %s", id,
                 started, r->n_picked, started < r->n_picked ? " (their group replaced the others)" : "",
                 id_list(r, buf, sizeof buf));
        flog(r, "completed", msg);
        return;
    }
    case FIS_SSM_CPU_STRESS:
    case FIS_SSM_NET_LATENCY:
        for (size_t k = 0; k < r->n_picked; k++) {
            ec2_instance *i = inst(r, k);
            if (!i)
                continue;
            if (a->act == FIS_SSM_CPU_STRESS)
                ec2_set_slowdown(i, 1);
            else
                ec2_set_net_delay(i, 0);
        }
        break;
    case FIS_AZ_POWER:
        for (size_t g = 0; g < r->w->n_groups; g++)
            if (r->w->groups[g] && asg_uses_zone(r->w->groups[g], a->zones[0]))
                asg_zone_outage(r->w->groups[g], a->zones[0], false, "AZ Availability: Power Interruption over");
        for (size_t k = 0; k < r->n_picked; k++)
            if (inst(r, k))
                ec2_start(inst(r, k));
        break;
    default:
        break;   /* the models' windows end by themselves */
    }
    snprintf(msg, sizeof msg, "%s over after its duration", id);
    flog(r, "completed", msg);
}

/* ---------------------------------------------------------------- instance-failures (MTBF) */

static size_t failure_bound(const fis_run *r)
{
    const scenario *sc = r->w->sc;
    size_t m = 0;
    for (size_t g = 0; g < sc->n_asgs; g++)
        if (!r->a->n_arns || named(r->a, "aws_autoscaling_group", sc->asgs[g].name))
            m += (size_t)sc->asgs[g].max_size;
    for (size_t f = 0; f < sc->n_instances; f++)
        if (!r->a->n_arns || named(r->a, "aws_instance", sc->instances[f].name))
            m += (size_t)sc->instances[f].count;
    return m;
}

static void on_failure_candidate(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fis_run *r = obj;
    const fis_action *a = r->a;
    sim_time_t now = sim_now(s);
    if (a->duration > 0 && now >= r->at + a->duration)
        return;
    size_t bound = failure_bound(r), n = 0;
    tgt *all = find_instances(r, &n);
    size_t u = (size_t)gsl_rng_uniform_int(r->rng, bound);
    if (all && u < n) {
        /* One target kept, not the list of all: it was held until the next failure, two lists at a time. */
        tgt *one = realloc(r->picked, sizeof *one);
        if (!one) {
            free(all);
            sim_fail(s, SIM_ENOMEM);
            return;
        }
        *one = all[u];
        free(all);
        all = r->picked = one;
        r->n_picked = 1;
        char msg[400];
        snprintf(msg, sizeof msg, "%s: %s fails (mean time between failures %.0f s)", fis_action_ids[a->act],
                 all[0].id, sim_to_sec(a->mtbf));
        flog(r, "running", msg);
        take_down(r, false);
    } else {
        free(all);
    }
    double rate = (double)bound / sim_to_sec(a->mtbf);
    sim_after(s, sim_from_sec(gsl_ran_exponential(r->rng, 1.0 / rate)), on_failure_candidate, r, 0);
}

static void on_failures_start(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    fis_run *r = obj;
    r->started = true;
    size_t bound = failure_bound(r);
    char msg[200];
    snprintf(msg, sizeof msg, "%s: instances fail at random, mean time between failures %.0f s each",
             fis_action_ids[r->a->act], sim_to_sec(r->a->mtbf));
    flog(r, "running", msg);
    if (bound == 0)
        return;
    double rate = (double)bound / sim_to_sec(r->a->mtbf);
    sim_after(s, sim_from_sec(gsl_ran_exponential(r->rng, 1.0 / rate)), on_failure_candidate, r, 0);
}

/* ---------------------------------------------------------------- lifecycle */

fis_run *fis_run_new(const fis_world *w, size_t index)
{
    const scn_fault *f = &w->sc->faults[index];
    fis_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->hit = calloc(w->n_groups + 1, sizeof *r->hit);
    char stream[96];
    snprintf(stream, sizeof stream, "fis.%s", f->fis->name);
    r->rng = sim_rng(w->s, stream);
    if (!r->hit || !r->rng) {
        fis_run_free(r);
        return NULL;
    }
    r->w = w;
    r->a = f->fis;
    r->index = index;
    r->at = f->at;
    r->cap_recovered = -1;
    if (f->at < w->sc->duration)
        sim_at(w->s, f->at, r->a->act == FIS_EC2_FAILURES ? on_failures_start : on_start, r, 0);
    return r;
}

/* Seconds from the action's start to the first full window meeting the SLO after one that missed it; 0 if none missed; -1 never recovered or no SLO. */
static double slo_recovery(const fis_run *r)
{
    const scenario *sc = r->w->sc;
    if (sc->report.slo_p99 <= 0)
        return -1;
    size_t n = 0;
    const stats_window *win = stats_get_windows(wb_stats(r->w->b), &n);
    double slo = sim_to_sec(sc->report.slo_p99);
    bool missed = false;
    for (size_t k = 0; k < n; k++) {
        if (win[k].start + sc->report.window <= r->at)
            continue;
        bool meets = win[k].p99 <= slo && win[k].errors[STATS_OK] > 0;
        if (!meets)
            missed = true;
        else if (missed)
            return sim_to_sec(win[k].start - r->at);
        else if (win[k].start >= r->at)
            return 0;
    }
    return missed ? -1 : 0;
}

void fis_run_report(const fis_run *r, rows *out)
{
    if (!r || rows_begin(out, "fault", r->a->name) != 0)
        return;
    rows_str(out, "action", fis_action_ids[r->a->act]);
    rows_int(out, "targets_found", (int64_t)r->n_found);
    rows_int(out, "targets_acted_on", (int64_t)r->n_picked);
    rows_str(out, "state", !r->started ? "pending" : r->failed ? "failed" : "completed");
    bool hit = false;
    for (size_t g = 0; g < r->w->n_groups; g++)
        hit = hit || r->hit[g];
    if (hit && r->cap_recovered >= 0)
        rows_num(out, "capacity_recovery_s", sim_to_sec(r->cap_recovered - r->at));
    else
        rows_null(out, "capacity_recovery_s");
    double sr = r->started ? slo_recovery(r) : -1;
    if (sr >= 0)
        rows_num(out, "slo_recovery_s", sr);
    else
        rows_null(out, "slo_recovery_s");
}

void fis_run_free(fis_run *r)
{
    if (!r)
        return;
    free(r->picked);
    free(r->hit);
    free(r);
}
