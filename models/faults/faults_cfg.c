/*
 * faults_cfg.c - `faults:` (instance_crash, app_unhealthy, az_outage) and
 * `operations:` (set_desired_capacity, instance_refresh), merged in time order.
 */
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/faults/faults_cfg.h"
#include "models/faults/fis_cfg.h"

typedef struct fseq {
    scn_fault f;
    size_t seq;
} fseq;

static int fseq_cmp(const void *pa, const void *pb)
{
    const fseq *a = pa, *b = pb;
    if (a->f.at != b->f.at)
        return a->f.at < b->f.at ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* ---------------------------------------------------------------- key tables (fleetsim's own keys) */

static const char *const fkinds[] = {"instance_crash", "app_unhealthy", "az_outage", NULL};
static const char *const okinds[] = {"set_desired_capacity", "instance_refresh", NULL};
static const char *const flater[] = {"spot_interruption", "instance_impaired", "lambda_error", NULL};
static const char *const olater[] = {"update_auto_scaling_group", "suspend_processes", "detach_instances",
                                     "set_instance_health", NULL};

/* Each row once; the tables of each kind are made of them. */
#define FKIND {.name = "kind", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = fkinds, .later = flater,          \
               .source = "fleetsim", .doc = "what breaks; the other keys depend on it"}
#define OKIND {.name = "kind", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = okinds, .later = olater,          \
               .source = "fleetsim", .doc = "the operator's action (an Auto Scaling API call); the other keys depend on it"}
#define AT {.name = "at", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED, .source = "fleetsim",   \
            .doc = "when, from the start of the run; before its end"}
#define ASG {.name = "autoscaling_group", .kind = LD_REF, .flags = LD_REQUIRED, .source = "fleetsim",             \
             .doc = "the aws_autoscaling_group"}
#define COUNT {.name = "count", .kind = LD_INT, .def = "1", .lo = "1", .hi = "10000", .source = "fleetsim",      \
               .doc = "how many of the group's instances"}
#define DURATION {.name = "duration", .kind = LD_DUR, .def = "0s", .lo = "0s", .hi = "400d", .source = "fleetsim", \
                  .doc = "how long it lasts (0s: to the end of the run)"}
#define ZONE {.name = "zone", .kind = LD_STR, .hi = "31", .flags = LD_REQUIRED, .source = "fleetsim",             \
              .doc = "a zone of the region that some group uses"}
#define DESIRED {.name = "desired_capacity", .kind = LD_INT, .lo = "0", .hi = "100000", .flags = LD_REQUIRED,      \
                 .source = "Auto Scaling API SetDesiredCapacity", .doc = "the new desired capacity"}
#define HONOR {.name = "honor_cooldown", .kind = LD_BOOL, .def = "false",                                         \
               .source = "Auto Scaling API SetDesiredCapacity (false)", .doc = "true: refused during a cooldown"}
#define LT {.name = "launch_template", .kind = LD_REF, .source = "Auto Scaling API StartInstanceRefresh",          \
            .doc = "the aws_launch_template to move to; default: the group's own"}
#define MINH {.name = "min_healthy_percentage", .kind = LD_INT, .def = "90", .lo = "0", .hi = "100",               \
              .source = "Auto Scaling API StartInstanceRefresh (90)", .doc = "capacity kept in service while replacing"}
#define WARMUP {.name = "instance_warmup", .kind = LD_DUR, .lo = "0s", .hi = "400d",                              \
                .source = "Auto Scaling API StartInstanceRefresh (aws-semantics ASG 1.6)",                        \
                .doc = "default: the group's default_instance_warmup, else its health_check_grace_period"}
#define END {.name = NULL}

/* Every key, for an entry whose kind is missing or unknown. */
static const ld_key fault_any_keys[] = {FKIND, AT, ASG, COUNT, DURATION, ZONE, DESIRED, HONOR, LT, MINH, WARMUP, END};
static const ld_key op_any_keys[] = {OKIND, AT, ASG, COUNT, DURATION, ZONE, DESIRED, HONOR, LT, MINH, WARMUP, END};
/* In scn_fault_kind order. */
static const ld_key crash_keys[] = {FKIND, AT, ASG, COUNT, END};
static const ld_key app_keys[] = {FKIND, AT, ASG, COUNT, DURATION, END};
static const ld_key az_keys[] = {FKIND, AT, ZONE, DURATION, END};
static const ld_key set_keys[] = {OKIND, AT, ASG, DESIRED, HONOR, END};
static const ld_key refresh_keys[] = {OKIND, AT, ASG, LT, MINH, WARMUP, END};
static const ld_key *const kind_tables[] = {crash_keys, app_keys, az_keys, set_keys, refresh_keys};

const ld_key *faults_cfg_keys(bool ops) { return ops ? op_any_keys : fault_any_keys; }

const ld_key *faults_cfg_kind_keys(const char *kind)
{
    for (size_t i = 0; fkinds[i]; i++)
        if (strcmp(fkinds[i], kind) == 0)
            return kind_tables[i];
    for (size_t i = 0; okinds[i]; i++)
        if (strcmp(okinds[i], kind) == 0)
            return kind_tables[SCN_OP_SET_DESIRED_CAPACITY + i];
    return NULL;
}

/* One entry of `faults:` (ops false) or `operations:` (ops true). */
static bool load_fault(loader *v, const scn_node *e, bool ops, size_t i, scn_fault *f)
{
    char what[128], b1[32], b2[32];
    scenario *sc = v->s;
    const ld_key *any = faults_cfg_keys(ops);
    snprintf(what, sizeof what, "%s %zu", ops ? "operation" : "fault", i);
    ld_sect s;
    /* -1: none given (the rows' docs say what then); count and min_healthy_percentage as their rows say */
    *f = (scn_fault){.loc = {e->line, e->col}, .asg = -1, .count = (int)ld_int_default(any, "count"),
                     .launch_template = -1, .min_healthy_percentage = (int)ld_int_default(any, "min_healthy_percentage"),
                     .instance_warmup = -1};
    if (!ops && e->kind == SCN_N_MAP && ld_sect_get(&(ld_sect){.v = v, .map = e}, "action")) {
        /* An AWS FIS action (fis_cfg.c); `kind` entries are today's aliases. */
        f->kind = SCN_FAULT_FIS;
        if (ld_sect_get(&(ld_sect){.v = v, .map = e}, "kind"))
            scn_err(&v->c, ld_sect_key(&(ld_sect){.v = v, .map = e}, "kind"),
                    "a fault has 'action' (an AWS FIS action) or 'kind' (fleetsim's older names), not both");
        return fis_cfg_load(v, e, i, &f->at, &f->fis) && f->fis;
    }
    if (!ld_sect_open(v, &s, e, e, what))
        return false;
    s.keys = any;
    int k = -1;
    if (ld_enum(&s, "kind", &k, NULL) <= 0) {
        ld_sect_check(&s, any);
        return false;
    }
    f->kind = (scn_fault_kind)(ops ? SCN_OP_SET_DESIRED_CAPACITY + k : k);
    snprintf(what, sizeof what, "%s %zu (%s)", ops ? "operation" : "fault", i, (ops ? okinds : fkinds)[k]);
    s.what = what;
    ld_sect_check(&s, kind_tables[f->kind]);
    int ra = ld_dur(&s, "at", &f->at);
    if (ra > 0 && sc->duration > 0 && f->at >= sc->duration)
        scn_err(&v->c, ld_sect_get(&s, "at"), "'at' (%s) must be before the end of the run (duration %s)",
                ld_fmt_dur(b1, sizeof b1, f->at), ld_fmt_dur(b2, sizeof b2, sc->duration));
    long long x = 0;
    switch (f->kind) {
    case SCN_FAULT_APP_UNHEALTHY:
        ld_dur(&s, "duration", &f->duration);
        /* fall through */
    case SCN_FAULT_INSTANCE_CRASH:
        ld_ref(&s, "autoscaling_group", "aws_autoscaling_group", &f->asg);
        ld_int(&s, "count", &x);
        f->count = (int)x;
        break;
    case SCN_FAULT_AZ_OUTAGE: {
        ld_dur(&s, "duration", &f->duration);
        const scn_node *zn = NULL;
        if (ld_str(&s, "zone", f->zone, sizeof f->zone, &zn) > 0 && ld_check_az(v, zn, f->zone)) {
            bool used = false;
            for (size_t g = 0; g < sc->n_asgs; g++)
                for (size_t z = 0; z < sc->asgs[g].n_availability_zones; z++)
                    used = used || strcmp(sc->asgs[g].availability_zones[z], f->zone) == 0;
            if (!used)
                scn_err(&v->c, zn, "zone %s is in no aws_autoscaling_group's availability_zones", f->zone);
        }
        break;
    }
    case SCN_OP_SET_DESIRED_CAPACITY: {
        ld_ref(&s, "autoscaling_group", "aws_autoscaling_group", &f->asg);
        ld_int(&s, "desired_capacity", &x);
        f->desired_capacity = (int)x;
        bool hc = false;
        ld_bool(&s, "honor_cooldown", &hc);
        f->honor_cooldown = hc;
        break;
    }
    case SCN_FAULT_FIS:
        break;
    case SCN_OP_INSTANCE_REFRESH:
        ld_ref(&s, "autoscaling_group", "aws_autoscaling_group", &f->asg);
        ld_ref(&s, "launch_template", "aws_launch_template", &f->launch_template);
        ld_int(&s, "min_healthy_percentage", &x);
        f->min_healthy_percentage = (int)x;
        ld_dur(&s, "instance_warmup", &f->instance_warmup);
        break;
    }
    return true;
}

void faults_cfg_load(loader *v, const scn_node *faults, const scn_node *ops)
{
    scenario *sc = v->s;
    const scn_node *lists[2] = {faults, ops};
    size_t total = 0;
    for (int l = 0; l < 2; l++) {
        const scn_node *n = lists[l];
        if (!n)
            continue;
        if (n->kind != SCN_N_SEQ) {
            scn_err(&v->c, n, "'%s': expected a sequence, found %s", l ? "operations" : "faults", scn_kind_name(n));
            lists[l] = NULL;
            continue;
        }
        total += n->n;
    }
    if (total == 0)
        return;
    fseq *all = calloc(total, sizeof *all);
    if (!all) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    size_t n = 0;
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l] && i < lists[l]->n; i++) {
            all[n].seq = n;
            if (load_fault(v, lists[l]->kids[i], l == 1, i, &all[n].f))
                n++;
        }
    /* A FIS action's name names its log lines, report row and random stream: one action each. */
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; all[a].f.fis && b < a; b++)
            if (all[b].f.fis && strcmp(all[a].f.fis->name, all[b].f.fis->name) == 0) {
                scn_err_at(&v->c, all[a].f.loc.line, all[a].f.loc.col, "fault name '%s' is already used at line %d",
                           all[a].f.fis->name, all[b].f.loc.line);
                break;
            }
    qsort(all, n, sizeof *all, fseq_cmp);
    sc->faults = calloc(n ? n : 1, sizeof *sc->faults);
    if (!sc->faults) {
        free(all);
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++)
        sc->faults[i] = all[i].f;
    sc->n_faults = n;
    free(all);
}
