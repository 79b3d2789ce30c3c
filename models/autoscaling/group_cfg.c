/*
 * group_cfg.c - aws_autoscaling_group: sizes, zones, launch template,
 * target groups, health checks, cooldown, warmup and termination policies.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

#define MAX_AZS 26 /* zone letters a..z; real regions have at most six */

static void load_asg(loader *v, const ld_sect *s, scn_asg *g)
{
    static const char *const keys[] = {"type", "launch_template", "min_size", "max_size", "desired_capacity",
                                       "availability_zones", "target_group_arns", "health_check_type",
                                       "health_check_grace_period", "default_cooldown",
                                       "default_instance_warmup", "termination_policies",
                                       "protect_from_scale_in", "health_check_sweep_interval", "impaired_wait",
                                       "name", NULL};
    static const char *const later[] = {"vpc_zone_identifier", "mixed_instances_policy", "warm_pool",
                                        "initial_lifecycle_hook", "capacity_rebalance", "max_instance_lifetime",
                                        "suspended_processes", "enabled_metrics", NULL};
    static const char *const hc_types[] = {"EC2", "ELB", NULL};
    char what[512], b1[96];
    ld_sect_keys(s, keys, later);

    g->launch_template = -1;
    const scn_node *ltn = ld_sect_need(s, "launch_template", true);
    if (ltn && ltn->kind == SCN_N_MAP) {
        /* Terraform's block form: launch_template { id = ..., version = "$Latest" }. */
        ld_sect l;
        snprintf(what, sizeof what, "launch_template of %.400s", s->what);
        ld_sect_open(v, &l, ltn, ltn, what);
        static const char *const lkeys[] = {"id", "name", "version", NULL};
        ld_sect_keys(&l, lkeys, NULL);
        const scn_node *id = ld_sect_get(&l, "id"), *nm = ld_sect_get(&l, "name");
        if (id && nm)
            scn_err(&v->c, nm, "%s: give 'id' or 'name', not both", what);
        else if (!id && !nm)
            scn_err(&v->c, ltn, "missing required key 'id' in %s", what);
        else
            ld_resolve(v, id ? id : nm, id ? "id" : "name", "aws_launch_template", &g->launch_template);
        const scn_node *ver = ld_sect_get(&l, "version");
        if (ver && !(ver->kind == SCN_N_SCALAR && (strcmp(ver->str, "$Latest") == 0 ||
                                                   strcmp(ver->str, "$Default") == 0 || strcmp(ver->str, "1") == 0)))
            scn_err(&v->c, ver, "'version': a scenario's launch template has one version: use \"$Latest\", "
                    "\"$Default\" or 1");
    } else if (ltn) {
        ld_resolve(v, ltn, "launch_template", "aws_launch_template", &g->launch_template);
    }

    long long mn, mx, des;
    int rmin = ld_get_int(s, "min_size", true, 0, 0, 10000, &mn);
    int rmax = ld_get_int(s, "max_size", true, 0, 0, 10000, &mx);
    int rdes = ld_get_int(s, "desired_capacity", false, mn, 0, 10000, &des);
    if (rmin > 0 && rmax > 0 && mn > mx) {
        scn_err(&v->c, ld_sect_get(s, "max_size"), "'max_size' (%lld) must be at least 'min_size' (%lld)", mx, mn);
    } else if (rmin > 0 && rmax > 0 && rdes > 0 && (des < mn || des > mx)) { /* AWS-ASG-DESIRED */
        scn_err(&v->c, ld_sect_get(s, "desired_capacity"),
                "'desired_capacity' (%lld) must be between min_size (%lld) and max_size (%lld)", des, mn, mx);
    }
    g->min_size = (int)mn;
    g->max_size = (int)mx;
    g->desired_capacity = (int)(rdes > 0 ? des : mn);

    const scn_node *azn = ld_sect_get(s, "availability_zones");
    if (azn && azn->kind == SCN_N_SEQ && azn->n > MAX_AZS) {
        scn_err(&v->c, azn, "'availability_zones' lists %zu zones (at most %d)", azn->n, MAX_AZS);
        azn = NULL;
    } else if (azn && (azn->kind != SCN_N_SEQ || azn->n == 0)) {
        scn_err(&v->c, azn, "'availability_zones': expected a non-empty sequence of zone names, found %s",
                azn->kind == SCN_N_SEQ ? "an empty sequence" : scn_kind_name(azn));
        azn = NULL;
    }
    size_t naz = azn ? azn->n : 3;
    g->availability_zones = calloc(naz, sizeof *g->availability_zones);
    if (!g->availability_zones) {
        scn_err(&v->c, s->owner, "out of memory");
        return;
    }
    g->n_availability_zones = naz;
    for (size_t i = 0; i < naz; i++) {
        if (!azn) {
            snprintf(g->availability_zones[i], sizeof g->availability_zones[i], "%.30s%c", v->s->region, (char)('a' + i));
            continue;
        }
        const scn_node *z = azn->kids[i];
        if (!ld_want_scalar(s, z, "availability_zones", "a zone name (e.g. us-west-2a)"))
            continue;
        if (strlen(z->str) >= sizeof g->availability_zones[i]) {
            scn_err(&v->c, z, "availability zone '%s' is too long", scn_clip(b1, sizeof b1, z->str));
            continue;
        }
        if (!ld_check_az(v, z, z->str))
            continue;
        for (size_t j = 0; j < i; j++)
            if (strcmp(g->availability_zones[j], z->str) == 0)
                scn_err(&v->c, z, "availability zone '%s' is listed twice", z->str);
        snprintf(g->availability_zones[i], sizeof g->availability_zones[i], "%s", z->str);
    }

    const scn_node *tgn = ld_sect_get(s, "target_group_arns");
    if (tgn && tgn->kind != SCN_N_SEQ) {
        scn_err(&v->c, tgn, "'target_group_arns': expected a sequence of target group references, found %s",
                scn_kind_name(tgn));
    } else if (tgn && tgn->n) {
        g->target_groups = malloc(tgn->n * sizeof *g->target_groups);
        if (!g->target_groups) {
            scn_err(&v->c, tgn, "out of memory");
            return;
        }
        g->n_target_groups = tgn->n;
        for (size_t i = 0; i < tgn->n; i++) {
            g->target_groups[i] = -1;
            ld_resolve(v, tgn->kids[i], "target_group_arns", "aws_lb_target_group", &g->target_groups[i]);
        }
    }
    int hct = SCN_HC_EC2;
    ld_get_enum(s, "health_check_type", hc_types, NULL, &hct, NULL);
    g->health_check_type = (scn_health_check_type)hct;
    ld_get_dur(s, "health_check_grace_period", false, 0, 0, LD_BIG_DUR, &g->health_check_grace_period);
    ld_get_dur(s, "default_cooldown", false, 300 * SIM_SEC, 0, LD_BIG_DUR, &g->default_cooldown);
    ld_get_dur(s, "default_instance_warmup", false, -1, 0, 3600 * SIM_SEC, &g->default_instance_warmup);
    ld_get_str(s, "name", false, 255, NULL, 0, NULL);
    bool prot = false;
    ld_get_bool(s, "protect_from_scale_in", false, &prot);
    g->protect_from_scale_in = prot;
    /* fleetsim parameters for what AWS does not document (aws-semantics 1.3) */
    ld_get_dur(s, "health_check_sweep_interval", false, 60 * SIM_SEC, SIM_SEC, SIM_HOUR, &g->health_check_sweep);
    ld_get_dur(s, "impaired_wait", false, 3 * SIM_MIN, 0, SIM_HOUR, &g->impaired_wait);

    /* termination_policies: applied in order; Default, if present, last (aws-semantics 1.4) */
    static const char *const tps[] = {"Default", "AllocationStrategy", "OldestLaunchTemplate",
                                      "OldestLaunchConfiguration", "ClosestToNextInstanceHour", "NewestInstance",
                                      "OldestInstance", NULL};
    const scn_node *tpn = ld_sect_get(s, "termination_policies");
    if (!tpn)
        return;
    size_t cap = sizeof g->termination_policies / sizeof g->termination_policies[0];
    if (tpn->kind != SCN_N_SEQ || tpn->n == 0 || tpn->n > cap) {
        scn_err(&v->c, tpn, "'termination_policies': expected a sequence of 1 to %zu policy names, found %s", cap,
                tpn->kind != SCN_N_SEQ ? scn_kind_name(tpn) : tpn->n ? "more" : "an empty sequence");
        return;
    }
    size_t nt = 0;
    bool bad = false;
    for (size_t i = 0; i < tpn->n; i++) {
        const scn_node *e = tpn->kids[i];
        if (!ld_want_scalar(s, e, "termination_policies", "a termination policy name")) {
            bad = true;
            continue;
        }
        int k = -1;
        for (int j = 0; tps[j]; j++)
            if (strcmp(e->str, tps[j]) == 0)
                k = j;
        if (k < 0) {
            if (strncmp(e->str, "arn:aws:lambda:", 15) == 0) {
                scn_err(&v->c, e, "'termination_policies': custom (Lambda) termination policies are not "
                        "supported yet");
            } else {
                const char *best = NULL;
                int best_d = 99;
                for (int j = 0; tps[j]; j++)
                    ld_suggest(e->str, tps[j], &best, &best_d);
                scn_err(&v->c, e, "'termination_policies': unknown policy '%s'%s; expected one of: Default, "
                        "AllocationStrategy, OldestLaunchTemplate, OldestLaunchConfiguration, "
                        "ClosestToNextInstanceHour, NewestInstance, OldestInstance",
                        scn_clip(b1, sizeof b1, e->str), ld_hint(what, sizeof what, best));
            }
            bad = true;
            continue;
        }
        for (size_t j = 0; j < nt; j++)
            if (g->termination_policies[j] == k) {
                scn_err(&v->c, e, "'termination_policies': %s is listed twice", e->str);
                bad = true;
            }
        if (k == SCN_TP_DEFAULT && i + 1 != tpn->n) {
            scn_err(&v->c, e, "'termination_policies': Default must be the last entry (an AWS rule)");
            bad = true;
        }
        g->termination_policies[nt++] = k;
    }
    if (bad) {
        g->termination_policies[0] = SCN_TP_DEFAULT;
        nt = 1;
    }
    g->n_termination_policies = nt;
}

/* ---------------------------------------------------------------- time stamps */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */

static void group_free(void *cfg)
{
    scn_asg *g = cfg;
    free(g->availability_zones);
    free(g->target_groups);
}

static void aws_autoscaling_group_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_asg *c = cfg;
    (void)r;
    /* Auto Scaling fields no key sets yet keep the defaults scenario.h documents. */
    c->termination_policies[0] = SCN_TP_DEFAULT;
    c->n_termination_policies = 1;
    c->health_check_sweep = 60 * SIM_SEC;
    c->impaired_wait = 3 * SIM_MIN;
    load_asg(v, s, c);
}

const res_type res_aws_autoscaling_group = {
    .tf_type = "aws_autoscaling_group",
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_asg),
    .arr_off = offsetof(scenario, asgs),
    .n_off = offsetof(scenario, n_asgs),
    .load = aws_autoscaling_group_load,
    .finish = NULL,
    .free_cfg = group_free,
};
