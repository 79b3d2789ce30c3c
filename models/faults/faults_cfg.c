/*
 * faults_cfg.c - `faults:` (instance_crash, app_unhealthy, az_outage) and
 * `operations:` (set_desired_capacity, instance_refresh), merged in time order.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/faults/faults_cfg.h"

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

/* One entry of `faults:` (ops false) or `operations:` (ops true). */
static bool load_fault(loader *v, const scn_node *e, bool ops, size_t i, scn_fault *f)
{
    static const char *const fkinds[] = {"instance_crash", "app_unhealthy", "az_outage", NULL};
    static const char *const okinds[] = {"set_desired_capacity", "instance_refresh", NULL};
    static const char *const flater[] = {"spot_interruption", "instance_impaired", "lambda_error", NULL};
    static const char *const olater[] = {"update_auto_scaling_group", "suspend_processes", "detach_instances",
                                         "set_instance_health", NULL};
    char what[128], b1[32], b2[32];
    scenario *sc = v->s;
    snprintf(what, sizeof what, "%s %zu", ops ? "operation" : "fault", i);
    ld_sect s;
    *f = (scn_fault){.loc = {e->line, e->col}, .asg = -1, .count = 1, .launch_template = -1,
                     .min_healthy_percentage = 90, .instance_warmup = -1};
    if (!ld_sect_open(v, &s, e, e, what))
        return false;
    int k = -1;
    if (!ld_sect_need(&s, "kind", true) || ld_get_enum(&s, "kind", ops ? okinds : fkinds, ops ? olater : flater, &k, NULL) < 0) {
        static const char *const any[] = {"kind", "at", "autoscaling_group", "count", "duration", "zone",
                                          "desired_capacity", "honor_cooldown", "launch_template",
                                          "min_healthy_percentage", "instance_warmup", NULL};
        ld_sect_keys(&s, any, NULL);
        return false;
    }
    f->kind = (scn_fault_kind)(ops ? SCN_OP_SET_DESIRED_CAPACITY + k : k);
    static const char *const k_crash[] = {"kind", "at", "autoscaling_group", "count", NULL};
    static const char *const k_app[] = {"kind", "at", "autoscaling_group", "count", "duration", NULL};
    static const char *const k_az[] = {"kind", "at", "zone", "duration", NULL};
    static const char *const k_set[] = {"kind", "at", "autoscaling_group", "desired_capacity", "honor_cooldown", NULL};
    static const char *const k_ref[] = {"kind", "at", "autoscaling_group", "launch_template",
                                        "min_healthy_percentage", "instance_warmup", NULL};
    static const char *const *const kk[] = {k_crash, k_app, k_az, k_set, k_ref};
    snprintf(what, sizeof what, "%s %zu (%s)", ops ? "operation" : "fault", i, (ops ? okinds : fkinds)[k]);
    s.what = what;
    ld_sect_keys(&s, kk[f->kind], NULL);
    int ra = ld_get_dur(&s, "at", true, 0, 0, LD_BIG_DUR, &f->at);
    if (ra > 0 && sc->duration > 0 && f->at >= sc->duration)
        scn_err(&v->c, ld_sect_get(&s, "at"), "'at' (%s) must be before the end of the run (duration %s)",
                ld_fmt_dur(b1, sizeof b1, f->at), ld_fmt_dur(b2, sizeof b2, sc->duration));
    long long x;
    switch (f->kind) {
    case SCN_FAULT_APP_UNHEALTHY:
        ld_get_dur(&s, "duration", false, 0, 0, LD_BIG_DUR, &f->duration);
        /* fall through */
    case SCN_FAULT_INSTANCE_CRASH:
        ld_get_ref(&s, "autoscaling_group", true, "aws_autoscaling_group", &f->asg);
        ld_get_int(&s, "count", false, 1, 1, 10000, &x);
        f->count = (int)x;
        break;
    case SCN_FAULT_AZ_OUTAGE: {
        ld_get_dur(&s, "duration", false, 0, 0, LD_BIG_DUR, &f->duration);
        const scn_node *zn = NULL;
        if (ld_get_str(&s, "zone", true, sizeof f->zone - 1, f->zone, sizeof f->zone, &zn) > 0 && ld_check_az(v, zn, f->zone)) {
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
        ld_get_ref(&s, "autoscaling_group", true, "aws_autoscaling_group", &f->asg);
        ld_get_int(&s, "desired_capacity", true, 0, 0, 10000, &x);
        f->desired_capacity = (int)x;
        bool hc = false;
        ld_get_bool(&s, "honor_cooldown", false, &hc);
        f->honor_cooldown = hc;
        break;
    }
    case SCN_OP_INSTANCE_REFRESH:
        ld_get_ref(&s, "autoscaling_group", true, "aws_autoscaling_group", &f->asg);
        ld_get_ref(&s, "launch_template", false, "aws_launch_template", &f->launch_template);
        ld_get_int(&s, "min_healthy_percentage", false, 90, 0, 100, &x);
        f->min_healthy_percentage = (int)x;
        ld_get_dur(&s, "instance_warmup", false, -1, 0, LD_BIG_DUR, &f->instance_warmup);
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

/* ---------------------------------------------------------------- arrivals: generated points */

/* Appends (at, rps) unless it repeats the last point's time (then it replaces that rate). */
