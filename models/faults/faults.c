/*
 * faults.c - the scenario's faults and operations, acting on the Auto
 * Scaling groups through asg.h (aws-semantics 1.1, 1.3, 1.5, 1.6).
 *
 * Event order: each fault is one kernel event per group it may act on (its
 * own group; every group for an az_outage, those without the zone ignore
 * it), scheduled by faults_add_group right after that group's asg_new: the
 * same events at the same place in the kernel's tie order as when asg_new
 * scheduled them itself, so equal-time events fire as they always did.
 *
 * Picks (instance_crash, app_unhealthy): up to `count` InService, running
 * instances, uniform without replacement (partial Fisher-Yates over launch
 * order) from "asg.<name>/faults". The stream keeps the name it had when the
 * groups drew it, so the draws are unchanged.
 *
 * instance_crash: the picked instances leave running together, then the
 * group's EC2 health check replaces them (asg_crash_instances).
 * app_unhealthy: the instances keep running but fail health checks (the EC2
 * instance's app health); the target groups and the group's ELB sweep react.
 * With a duration they answer again afterwards, if still running.
 * az_outage: every group using the zone logs it and loses the zone
 * (asg_zone_outage) until the duration ends (0: until the end of the run).
 *
 * Manual scaling (AWS-ASG 1.1, 1.6): set_desired_capacity ignores the
 * cooldown; with honor_cooldown it waits (logged "... waits") until the
 * group's default_cooldown after the last activity has passed, then checks
 * again (an activity started meanwhile makes it wait again) and applies.
 *
 * instance_refresh: asg_start_instance_refresh with the operation's keys.
 */
#include "models/faults/faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/ec2/instance.h"
#include "models/faults/fis.h"

typedef struct fgroup {
    struct faults *fm;
    asg *g;                   /* NULL until faults_add_group */
    gsl_rng *pick;            /* "asg.<name>/faults" */
} fgroup;

struct faults {
    sim *s;
    const scenario *sc;
    events_log *ev;
    fgroup *groups;           /* scenario.asgs order; events point into it, so it never moves */
    size_t n_groups;
    fis_world fw;             /* what the FIS actions see; its groups fill in as they are built */
    fis_run **runs;           /* one per SCN_FAULT_FIS entry, from faults_start */
    size_t n_runs;
};

/* An entry the log cannot store stops the run (OOM), as for the groups' own entries. Fault
   messages stay far below asg.c's 512-byte message buffer (names are at most 255 characters),
   so events_add formatting them directly writes the same text. */
#define FLOG(fm, type, res, ...)                                                                          \
    do {                                                                                                  \
        if ((fm)->ev && events_add((fm)->ev, sim_now((fm)->s), (type), (res), NULL, NULL, __VA_ARGS__) != 0) \
            sim_fail((fm)->s, SIM_ENOMEM);                                                                \
    } while (0)

/* Up to n InService, running instances of the group (asg_instance_* indices) into out, in pick order. */
static size_t pick_in_service(fgroup *fg, int n, size_t *out)
{
    const asg *g = fg->g;
    size_t m = 0;
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        const ec2_instance *i = asg_instance_ec2(g, k);
        if (i && ec2_running(i) && strcmp(asg_instance_state(g, k), "InService") == 0)
            out[m++] = k;
    }
    size_t want = n < 0 ? 0 : (size_t)n;
    if (want > m)
        want = m;
    for (size_t k = 0; k < want; k++) {
        size_t j = k + gsl_rng_uniform_int(fg->pick, m - k);
        size_t t = out[k];
        out[k] = out[j];
        out[j] = t;
    }
    return want;
}

/* arg: the instance's index in its group. */
static void on_app_recover(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    fgroup *fg = obj;
    ec2_instance *i = asg_instance_ec2(fg->g, (size_t)arg);
    if (i && ec2_running(i)) {
        ec2_set_app_healthy(i, true);
        const char *id = asg_instance_id(fg->g, (size_t)arg);
        FLOG(fg->fm, "fault", id, "app_unhealthy over: %s answers health checks again", id);
    }
}

/* arg: the az_outage's index in scenario.faults. */
static void on_zone_up(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    fgroup *fg = obj;
    const scn_fault *f = &fg->fm->sc->faults[arg];
    FLOG(fg->fm, "fault", f->zone, "az_outage over: %s accepts launches for %s again", f->zone, asg_name(fg->g));
    asg_zone_outage(fg->g, f->zone, false, "az_outage over");
}

/* arg: the fault's index in scenario.faults. */
static void on_fault(sim *s, void *obj, uint64_t arg)
{
    fgroup *fg = obj;
    faults *fm = fg->fm;
    asg *g = fg->g;
    const scn_fault *f = &fm->sc->faults[arg];
    switch (f->kind) {
    case SCN_FAULT_INSTANCE_CRASH:
    case SCN_FAULT_APP_UNHEALTHY: {
        size_t *v = malloc((asg_n_instances(g) + 1) * sizeof *v);
        if (!v) {
            sim_fail(s, SIM_ENOMEM);
            return;
        }
        size_t n = pick_in_service(fg, f->count, v);
        if (f->kind == SCN_FAULT_INSTANCE_CRASH) {
            FLOG(fm, "fault", asg_name(g), "instance_crash: %zu instance(s) of %s leave running", n, asg_name(g));
            asg_crash_instances(g, v, n, "instance_crash");
        } else {
            for (size_t k = 0; k < n; k++) {
                ec2_set_app_healthy(asg_instance_ec2(g, v[k]), false);
                const char *id = asg_instance_id(g, v[k]);
                if (f->duration > 0)
                    FLOG(fm, "fault", id, "app_unhealthy: %s keeps running but fails health checks for %.0f s (until %.0f s)", id,
                         sim_to_sec(f->duration), sim_to_sec(sim_now(s) + f->duration));
                else
                    FLOG(fm, "fault", id, "app_unhealthy: %s keeps running but fails health checks for good", id);
                if (f->duration > 0)
                    sim_after(s, f->duration, on_app_recover, fg, v[k]);
            }
        }
        free(v);
        break;
    }
    case SCN_FAULT_AZ_OUTAGE:
        if (!asg_uses_zone(g, f->zone))
            break;
        if (f->duration > 0)  /* an outage says its duration (docs/reports.md) */
            FLOG(fm, "fault", f->zone, "az_outage: %s is unavailable to %s for %.0f s (until %.0f s)", f->zone, asg_name(g),
                 sim_to_sec(f->duration), sim_to_sec(sim_now(s) + f->duration));
        else
            FLOG(fm, "fault", f->zone, "az_outage: %s is unavailable to %s until the end", f->zone, asg_name(g));
        asg_zone_outage(g, f->zone, true, "az_outage");
        if (f->duration > 0)
            sim_after(s, f->duration, on_zone_up, fg, arg);
        break;
    case SCN_OP_SET_DESIRED_CAPACITY:
        if (f->honor_cooldown && asg_in_cooldown(g)) {
            FLOG(fm, "scaling", asg_name(g),
                  "set_desired_capacity %d waits: the group is in its cooldown (honor_cooldown)", f->desired_capacity);
            asg_after_cooldown(g, on_fault, fg, arg);
            break;
        }
        asg_set_desired(g, f->desired_capacity,
                        f->honor_cooldown ? "manual set_desired_capacity (honor_cooldown)" : "manual set_desired_capacity");
        break;
    case SCN_OP_INSTANCE_REFRESH:
        asg_start_instance_refresh(g, f->launch_template, f->min_healthy_percentage, f->instance_warmup);
        break;
    case SCN_FAULT_FIS:
        break;   /* fis.c runs them */
    }
}

faults *faults_new(sim *s, const scenario *sc, events_log *ev, char *err, size_t errlen)
{
    faults *fm = s && sc ? calloc(1, sizeof *fm) : NULL;
    if (fm) {
        fm->groups = calloc(sc->n_asgs + 1, sizeof *fm->groups);
        fm->fw.groups = calloc(sc->n_asgs + 1, sizeof *fm->fw.groups);
        fm->runs = calloc(sc->n_faults + 1, sizeof *fm->runs);
    }
    if (!fm || !fm->groups || !fm->fw.groups || !fm->runs) {
        if (err && errlen)
            snprintf(err, errlen, "faults: %s", s && sc ? "out of memory" : "no kernel or no scenario");
        faults_free(fm);
        return NULL;
    }
    fm->s = s;
    fm->sc = sc;
    fm->ev = ev;
    fm->n_groups = sc->n_asgs;
    fm->fw.s = s;
    fm->fw.sc = sc;
    fm->fw.n_groups = sc->n_asgs;
    return fm;
}

static void *faults_create(wb *b, char *err, size_t errlen)
{
    faults *fm = faults_new(wb_sim(b), wb_scenario(b), wb_events(b), err, errlen);
    if (fm)
        fm->fw.b = b;
    return fm;
}

/* Every resource is built: the FIS actions, which may act on any of them, are scheduled now. */
static int faults_start(void *svc, wb *b, char *err, size_t errlen)
{
    (void)b;
    faults *fm = svc;
    for (size_t k = 0; k < fm->sc->n_faults; k++) {
        if (fm->sc->faults[k].kind != SCN_FAULT_FIS || !fm->sc->faults[k].fis)
            continue;
        if (!(fm->runs[fm->n_runs] = fis_run_new(&fm->fw, k))) {
            if (err && errlen)
                snprintf(err, errlen, "faults: out of memory");
            return -1;
        }
        fm->n_runs++;
    }
    return 0;
}

/* A row per FIS action: its targets and how long the world took to recover. */
static void faults_report(const void *svc, wb *b, rows *r)
{
    (void)b;
    const faults *fm = svc;
    for (size_t k = 0; k < fm->n_runs; k++)
        fis_run_report(fm->runs[k], r);
}

static void faults_free_svc(void *fm) { faults_free(fm); }

const wb_service faults_service = {
    .name = "faults",
    .create = faults_create,
    .start = faults_start,
    .report = faults_report,
    .free = faults_free_svc,
};

int faults_add_group(faults *fm, asg *g, size_t index, char *err, size_t errlen)
{
    if (!fm || !g || index >= fm->n_groups || fm->groups[index].g) {
        if (err && errlen)
            snprintf(err, errlen, "faults: no such Auto Scaling group, or added twice");
        return -1;
    }
    fgroup *fg = &fm->groups[index];
    char name[200];
    snprintf(name, sizeof name, "asg.%s/faults", asg_name(g));
    fg->pick = sim_rng(fm->s, name);
    if (!fg->pick) {
        if (err && errlen)
            snprintf(err, errlen, "faults: out of memory");
        return -1;
    }
    fg->fm = fm;
    fg->g = g;
    fm->fw.groups[index] = g;
    const scenario *sc = fm->sc;
    for (size_t k = 0; k < sc->n_faults; k++) {
        const scn_fault *f = &sc->faults[k];
        if ((f->kind == SCN_FAULT_AZ_OUTAGE || f->asg == (int)index) && f->at >= 0 && f->at < sc->duration)
            sim_at(fm->s, f->at, on_fault, fg, k);
    }
    return 0;
}

void faults_free(faults *fm)
{
    if (!fm)
        return;
    for (size_t k = 0; k < fm->n_runs; k++)
        fis_run_free(fm->runs[k]);
    free(fm->runs);
    free(fm->fw.groups);
    free(fm->groups);
    free(fm);
}
