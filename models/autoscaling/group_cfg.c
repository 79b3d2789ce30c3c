/*
 * group_cfg.c - aws_autoscaling_group: sizes, zones (availability_zones or
 * the subnets of vpc_zone_identifier), launch template or launch
 * configuration, target groups, health checks, cooldown, warmup and
 * termination policies.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/autoscaling/asg.h"
#include "models/autoscaling/mixed_policy.h"
#include "models/autoscaling/mixed_policy_cfg.h"
#include "models/core/build.h"
#include "models/elb/elb_build.h"
#include "models/faults/faults.h"
#include "stats/histogram.h"

extern const ld_key lh_initial_hook_keys[]; /* lifecycle_hook_cfg.c */

#define MAX_AZS 26 /* zone letters a..z; real regions have at most six */
#define DEFAULT_AZS 3 /* availability_zones' default: the region's zones a, b and c */

static const char *const hc_types[] = {"EC2", "ELB", NULL};
/* termination_policies: applied in order; Default, if present, last (aws-semantics 1.4) */
static const char *const tps[] = {"Default", "AllocationStrategy", "OldestLaunchTemplate", "OldestLaunchConfiguration",
                                  "ClosestToNextInstanceHour", "NewestInstance", "OldestInstance", NULL};

static const ld_key lt_spec_keys[] = {
    {.name = "id", .kind = LD_REF, .source = "Terraform", .doc = "the aws_launch_template (conflicts with name)"},
    {.name = "name", .kind = LD_REF, .source = "Terraform", .doc = "the aws_launch_template (conflicts with id)"},
    {.name = "version", .kind = LD_STR, .def = "$Default", .hi = "255", .source = "Terraform ($Default)",
     .doc = "a scenario's launch template has one version: $Latest, $Default or 1"},
    {.name = NULL},
};

static const ld_key group_keys[] = {
    {.name = "launch_template", .kind = LD_BLOCK, .block = lt_spec_keys, .source = "Terraform",
     .doc = "the aws_launch_template: its name, or Terraform's block {id or name, version}; exactly one of "
            "launch_template and launch_configuration"},
    {.name = "launch_configuration", .kind = LD_REF, .source = "Terraform",
     .doc = "the aws_launch_configuration (instead of launch_template)"},
    {.name = "min_size", .kind = LD_INT, .lo = "0", .hi = "100000", .flags = LD_REQUIRED,
     .source = "Terraform / Auto Scaling API (fleetsim caps sizes at 100000)", .doc = "the fewest instances"},
    {.name = "max_size", .kind = LD_INT, .lo = "0", .hi = "100000", .flags = LD_REQUIRED,
     .source = "Terraform / Auto Scaling API (fleetsim caps sizes at 100000)", .doc = "the most instances; at least min_size"},
    {.name = "desired_capacity", .kind = LD_INT, .lo = "0", .hi = "100000",
     .source = "Terraform / Auto Scaling API (default: min_size)",
     .doc = "instances at t = 0, between min_size and max_size (default min_size)"},
    {.name = "availability_zones", .kind = LD_LIST, .source = "Terraform",
     .doc = "zones of the region (default its zones a, b and c); conflicts with vpc_zone_identifier"},
    {.name = "vpc_zone_identifier", .kind = LD_REFS, .hi = "104", .source = "Terraform",
     .doc = "aws_subnet resources: the group's zones are theirs; conflicts with availability_zones"},
    {.name = "target_group_arns", .kind = LD_REFS, .source = "Terraform", .doc = "aws_lb_target_group resources the group registers its instances with"},
    {.name = "health_check_type", .kind = LD_ENUM, .def = "EC2", .values = hc_types,
     .source = "Auto Scaling API (EC2); Terraform leaves it to AWS", .doc = "ELB adds the target groups' health checks to EC2 status checks"},
    {.name = "health_check_grace_period", .kind = LD_SECONDS, .def = "300", .lo = "0",
     .source = "Terraform (300; the Auto Scaling API's default is 0)",
     .doc = "after InService, health check failures are ignored this long"},
    {.name = "default_cooldown", .kind = LD_SECONDS, .def = "300", .lo = "0",
     .source = "Auto Scaling API (300 s); Terraform leaves it to AWS",
     .doc = "after a simple scaling activity, further simple scaling waits this long"},
    {.name = "default_instance_warmup", .kind = LD_SECONDS, .lo = "0", .hi = "3600",
     .source = "Auto Scaling API (unset); Terraform leaves it to AWS",
     .doc = "a new instance's metrics count towards scaling after this long (unset: the policies' own warm-up)"},
    {.name = "termination_policies", .kind = LD_LIST, .def = "Default", .source = "Terraform / Auto Scaling API (aws-semantics 1.4)",
     .doc = "applied in order; Default, if listed, last"},
    {.name = "protect_from_scale_in", .kind = LD_BOOL, .def = "false", .source = "Terraform and Auto Scaling API",
     .doc = "new instances are protected from scale-in"},
    {.name = "health_check_sweep_interval", .kind = LD_DUR, .def = "60s", .lo = "1s", .hi = "1h",
     .source = "fleetsim (aws-semantics 1.3: AWS does not document it)", .doc = "period of the group's health sweep"},
    {.name = "impaired_wait", .kind = LD_DUR, .def = "3m", .lo = "0s", .hi = "1h",
     .source = "fleetsim (aws-semantics 1.3: AWS says \"a few minutes\")",
     .doc = "how long an impaired instance is given before it is replaced"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "the group's AWS name"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "tag", .kind = LD_NOTSIM},
    {.name = "force_delete", .kind = LD_NOTSIM}, {.name = "force_delete_warm_pool", .kind = LD_NOTSIM},
    {.name = "wait_for_capacity_timeout", .kind = LD_NOTSIM}, {.name = "wait_for_elb_capacity", .kind = LD_NOTSIM},
    {.name = "min_elb_capacity", .kind = LD_NOTSIM}, {.name = "ignore_failed_scaling_activities", .kind = LD_NOTSIM},
    {.name = "metrics_granularity", .kind = LD_NOTSIM}, {.name = "enabled_metrics", .kind = LD_NOTSIM},
    {.name = "service_linked_role_arn", .kind = LD_NOTSIM}, {.name = "placement_group", .kind = LD_NOTSIM},
    {.name = "load_balancers", .kind = LD_NOTSIM}, {.name = "context", .kind = LD_NOTSIM},
    {.name = "mixed_instances_policy", .kind = LD_BLOCK, .block = mix_policy_keys, .source = "Terraform (aws-semantics 1.8)",
     .doc = "On-Demand and Spot instances of several types (instead of launch_template); docs/spot.md"},
    {.name = "warm_pool", .kind = LD_LATER},
    {.name = "initial_lifecycle_hook", .kind = LD_BLOCK, .block = lh_initial_hook_keys, .hi = "50",
     .source = "Terraform (repeatable block) / Auto Scaling API (at most 50 hooks per group)",
     .doc = "lifecycle hooks created with the group: the keys of aws_autoscaling_lifecycle_hook without "
            "autoscaling_group_name (aws-semantics 1.7)"},
    {.name = "capacity_rebalance", .kind = LD_BOOL, .def = "false", .source = "Terraform / Auto Scaling API (false)",
     .doc = "launch a Spot replacement on a rebalance recommendation, then terminate the old instance (aws-semantics 1.8)"},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = mix_fleetsim_keys, .source = "fleetsim",
     .doc = "the group's capacity pools: Spot prices and interruptions, capacity what-ifs (docs/spot.md)"},
    {.name = "max_instance_lifetime", .kind = LD_LATER}, {.name = "suspended_processes", .kind = LD_LATER},
    {.name = "instance_maintenance_policy", .kind = LD_LATER}, {.name = "instance_refresh", .kind = LD_LATER},
    {.name = "traffic_source", .kind = LD_LATER}, {.name = "availability_zone_distribution", .kind = LD_LATER},
    {.name = "desired_capacity_type", .kind = LD_LATER},
    {.name = NULL},
};

/* launch_template (a name or Terraform's block) or launch_configuration: exactly one. */
static void load_launch(loader *v, const ld_sect *s, scn_asg *g)
{
    char what[512];
    g->launch_template = -1;
    g->launch_configuration = -1;
    const scn_node *ltn = ld_sect_get(s, "launch_template");
    int rlc = ld_ref(s, "launch_configuration", "aws_launch_configuration", &g->launch_configuration);
    if (ltn && rlc != 0) {
        scn_err(&v->c, ld_sect_key(s, "launch_configuration"), "%s: give 'launch_template' or "
                "'launch_configuration', not both", s->what);
        return;
    }
    if (!ltn && rlc == 0) {
        scn_err(&v->c, s->owner, "missing required key 'launch_template' (or 'launch_configuration') in %s", s->what);
        return;
    }
    if (!ltn)
        return;
    if (ltn->kind != SCN_N_MAP) {
        ld_resolve(v, ltn, "launch_template", "aws_launch_template", &g->launch_template);
        return;
    }
    /* Terraform's block form: launch_template { id = ..., version = "$Latest" }. */
    ld_sect l;
    ld_block(s, "launch_template", &l, what, sizeof what);
    const scn_node *id = ld_sect_get(&l, "id"), *nm = ld_sect_get(&l, "name");
    if (id && nm)
        scn_err(&v->c, nm, "%s: give 'id' or 'name', not both", what);
    else if (!id && !nm)
        scn_err(&v->c, ltn, "missing required key 'id' in %s", what);
    else
        ld_ref(&l, id ? "id" : "name", "aws_launch_template", &g->launch_template);
    char ver[256];
    const scn_node *vn = NULL;
    if (ld_str(&l, "version", ver, sizeof ver, &vn) > 0 && strcmp(ver, "$Latest") != 0 &&
        strcmp(ver, "$Default") != 0 && strcmp(ver, "1") != 0)
        scn_err(&v->c, vn, "'version': a scenario's launch template has one version: use \"$Latest\", "
                "\"$Default\" or 1");
}

static void load_sizes(loader *v, const ld_sect *s, scn_asg *g)
{
    long long mn = 0, mx = 0, des;
    int rmin = ld_int(s, "min_size", &mn);
    int rmax = ld_int(s, "max_size", &mx);
    des = mn; /* desired_capacity's default is min_size */
    int rdes = ld_int(s, "desired_capacity", &des);
    if (rmin > 0 && rmax > 0 && mn > mx) {
        scn_err(&v->c, ld_sect_get(s, "max_size"), "'max_size' (%lld) must be at least 'min_size' (%lld)", mx, mn);
    } else if (rmin > 0 && rmax > 0 && rdes > 0 && (des < mn || des > mx)) { /* AWS-ASG-DESIRED */
        scn_err(&v->c, ld_sect_get(s, "desired_capacity"),
                "'desired_capacity' (%lld) must be between min_size (%lld) and max_size (%lld)", des, mn, mx);
    }
    g->min_size = (int)mn;
    g->max_size = (int)mx;
    g->desired_capacity = (int)(rdes > 0 ? des : mn);
}

/* availability_zones, or vpc_zone_identifier's subnets (their zones are filled in by group_finish). */
static void load_zones(loader *v, const ld_sect *s, scn_asg *g)
{
    char b1[96];
    const scn_node *azn = ld_sect_get(s, "availability_zones");
    const scn_node *sn = ld_sect_get(s, "vpc_zone_identifier");
    if (azn && sn) {
        scn_err(&v->c, ld_sect_key(s, "vpc_zone_identifier"), "%s: give 'availability_zones' or "
                "'vpc_zone_identifier', not both (they conflict in AWS and Terraform)", s->what);
        return;
    }
    if (sn) {
        sn = ld_seq(s, "vpc_zone_identifier", "aws_subnet references");
        if (!sn)
            return;
        if (!(g->subnets = malloc(sn->n * sizeof *g->subnets))) {
            scn_err(&v->c, sn, "out of memory");
            return;
        }
        g->n_subnets = sn->n;
        for (size_t i = 0; i < sn->n; i++) {
            const scn_node *e = sn->kids[i];
            g->subnets[i] = -1;
            if (e->kind == SCN_N_SCALAR && strncmp(e->str, "subnet-", 7) == 0 && !ld_res_find(v, e->str)) {
                scn_err(&v->c, e, "'vpc_zone_identifier': '%s' names no aws_subnet resource: declare an aws_subnet "
                        "with its availability_zone and name it here (fleetsim takes the group's zones from its "
                        "subnets)", scn_clip(b1, sizeof b1, e->str));
                continue;
            }
            if (ld_resolve(v, e, "vpc_zone_identifier", "aws_subnet", &g->subnets[i]) < 0)
                continue;
            for (size_t j = 0; j < i; j++)
                if (g->subnets[j] == g->subnets[i])
                    scn_err(&v->c, e, "'vpc_zone_identifier': %s is listed twice", v->s->subnets[g->subnets[i]].name);
        }
        return;
    }
    if (azn && azn->kind == SCN_N_SEQ && azn->n > MAX_AZS) {
        scn_err(&v->c, azn, "'availability_zones' lists %zu zones (at most %d)", azn->n, MAX_AZS);
        azn = NULL;
    } else if (azn && (azn->kind != SCN_N_SEQ || azn->n == 0)) {
        scn_err(&v->c, azn, "'availability_zones': expected a non-empty sequence of zone names, found %s",
                azn->kind == SCN_N_SEQ ? "an empty sequence" : scn_kind_name(azn));
        azn = NULL;
    }
    size_t naz = azn ? azn->n : DEFAULT_AZS;
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
}

static void load_target_groups(loader *v, const ld_sect *s, scn_asg *g)
{
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
}

/* The index of row's default in values (the table's default of an LD_LIST of names). */
static int list_default(const ld_key *keys, const char *name, const char *const *values)
{
    const ld_key *row = ld_key_find(keys, name);
    for (int i = 0; row && row->def && values[i]; i++)
        if (strcmp(values[i], row->def) == 0)
            return i;
    return 0;
}

static void load_termination_policies(loader *v, const ld_sect *s, scn_asg *g)
{
    char what[512], b1[96];
    g->termination_policies[0] = list_default(group_keys, "termination_policies", tps);
    g->n_termination_policies = 1;
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
    int tp[8];
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
            if (tp[j] == k) {
                scn_err(&v->c, e, "'termination_policies': %s is listed twice", e->str);
                bad = true;
            }
        if (k == SCN_TP_DEFAULT && i + 1 != tpn->n) {
            scn_err(&v->c, e, "'termination_policies': Default must be the last entry (an AWS rule)");
            bad = true;
        }
        tp[nt++] = k;
    }
    if (bad)
        return; /* the table's default stays */
    memcpy(g->termination_policies, tp, nt * sizeof tp[0]);
    g->n_termination_policies = nt;
}

static void aws_autoscaling_group_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_asg *g = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, group_keys);
    const scn_node *mixn = ld_sect_get(&b, "mixed_instances_policy");
    if (!mixn) {
        load_launch(v, &b, g);
    } else {
        /* Terraform: mixed_instances_policy conflicts with launch_template and launch_configuration. */
        g->launch_template = g->launch_configuration = -1;
        const char *other = ld_sect_key(&b, "launch_template") ? "launch_template"
                            : ld_sect_key(&b, "launch_configuration") ? "launch_configuration" : NULL;
        if (other)
            scn_err(&v->c, ld_sect_key(&b, other), "%s: give 'mixed_instances_policy' or '%s', not both (the "
                    "policy names its launch template)", s->what, other);
    }
    const scn_node *mix_lt = NULL; /* the policy's template (its own errors name what is missing) */
    mix_cfg_load(v, &b, g, &mix_lt);
    bool cr = false;
    ld_bool(&b, "capacity_rebalance", &cr);
    g->capacity_rebalance = cr;
    load_sizes(v, &b, g);
    load_zones(v, &b, g);
    load_target_groups(v, &b, g);
    int hct = 0;
    ld_enum(&b, "health_check_type", &hct, NULL);
    g->health_check_type = (scn_health_check_type)hct;
    ld_dur(&b, "health_check_grace_period", &g->health_check_grace_period);
    ld_dur(&b, "default_cooldown", &g->default_cooldown);
    g->default_instance_warmup = -1; /* unset */
    ld_dur(&b, "default_instance_warmup", &g->default_instance_warmup);
    ld_str(&b, "name", NULL, 0, NULL);
    bool prot = false;
    ld_bool(&b, "protect_from_scale_in", &prot);
    g->protect_from_scale_in = prot;
    /* fleetsim parameters for what AWS does not document (aws-semantics 1.3) */
    ld_dur(&b, "health_check_sweep_interval", &g->health_check_sweep);
    ld_dur(&b, "impaired_wait", &g->impaired_wait);
    load_termination_policies(v, &b, g);
}

/* After every subnet is loaded: a group on subnets runs in their zones (each once, in the order listed). */
static void group_finish(loader *v)
{
    scenario *sc = v->s;
    for (size_t i = 0; i < sc->n_asgs; i++) {
        scn_asg *g = &sc->asgs[i];
        if (!g->n_subnets)
            continue;
        g->availability_zones = calloc(g->n_subnets, sizeof *g->availability_zones);
        if (!g->availability_zones) {
            scn_err_at(&v->c, g->loc.line, g->loc.col, "out of memory");
            return;
        }
        size_t n = 0;
        for (size_t k = 0; k < g->n_subnets; k++) {
            if (g->subnets[k] < 0 || !sc->subnets[g->subnets[k]].availability_zone[0])
                continue;
            const char *az = sc->subnets[g->subnets[k]].availability_zone;
            bool seen = false;
            for (size_t j = 0; j < n; j++)
                seen = seen || strcmp(g->availability_zones[j], az) == 0;
            if (!seen)
                snprintf(g->availability_zones[n++], sizeof g->availability_zones[0], "%s", az);
        }
        g->n_availability_zones = n;
    }
}

static void group_free(void *cfg)
{
    scn_asg *g = cfg;
    free(g->availability_zones);
    free(g->target_groups);
    free(g->subnets);
    mix_free(g->mix);
    free(g->mix);
}

/* ---------------------------------------------------------------- the run */

/* NetworkIn / NetworkOut bytes per request (aws-semantics 3.1): from the first workload whose load balancer forwards to one of the group's target groups. */
static void set_group_bytes(const scenario *sc, asg *g)
{
    const scn_asg *cfg = asg_config(g);
    for (size_t k = 0; k < sc->n_workloads; k++) {
        const scn_workload *c = &sc->workloads[k];
        if (c->lb < 0 || (size_t)c->lb >= sc->n_lbs)
            continue;
        for (size_t t = 0; t < cfg->n_target_groups; t++)
            if (scn_lb_routes_to(sc, c->lb, cfg->target_groups[t])) {
                asg_set_network_bytes(g, (double)c->request_bytes, (double)c->response_bytes);
                return;
            }
    }
}

static int group_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)cfg;
    size_t n = 0;
    tg **tgs = elb_target_groups(b, &n);
    faults *fm = wb_service_peek(b, &faults_service);
    asg *g = tgs ? asg_new(wb_sim(b), wb_scenario(b), (size_t)idx, tgs, wb_events(b), wb_group_instance, b, err,
                           errlen)
                 : NULL;
    free(tgs);
    if (!g)
        return -1;
    /* Right after asg_new, where the group used to schedule its own faults: same tie order. */
    if (fm && faults_add_group(fm, g, (size_t)idx, err, errlen) != 0) {
        asg_free(g);
        return -1;
    }
    set_group_bytes(wb_scenario(b), g);
    asg_set_world(g, b);
    *model = g;
    return 0;
}

static void group_free_model(void *m) { asg_free(m); }


static void group_gauge(const void *m, wb_gauges *gs)
{
    gs->in_service += asg_in_service(m);
    gs->desired += asg_desired(m);
    for (size_t k = 0; k < asg_n_instances(m); k++) {
        const char *st = asg_instance_state(m, k);
        gs->pending += strncmp(st, "Pending", 7) == 0;
        gs->draining += strncmp(st, "Terminating", 11) == 0;
    }
}

/* The group's scaling figures (the text report's "scaling" table). */
static void group_report(const void *m, const void *cfg, wb *b, rows *r)
{
    (void)cfg;
    const asg *g = m;
    asg_counts c = asg_get_counts(g);
    if (rows_begin(r, "aws_autoscaling_group", asg_name(g)) != 0)
        return;
    rows_int(r, "launches", (int64_t)c.launches);
    rows_int(r, "terminations", (int64_t)c.terminations);
    rows_int(r, "replacements", (int64_t)c.replacements);
    rows_int(r, "launch_failures", (int64_t)c.launch_failures);
    rows_int(r, "waits", (int64_t)c.waits);
    rows_int(r, "hook_timeouts", (int64_t)c.hook_timeouts);
    rows_int(r, "abandoned", (int64_t)c.abandoned);
    rows_int(r, "min_in_service", c.min_in_service);
    rows_int(r, "max_in_service", c.max_in_service);
    rows_int(r, "desired_capacity", asg_desired(g));
    const scn_asg *gc = asg_config(g);
    if (gc->mix || wb_scenario(b)->launch_templates[gc->launch_template].spot_market) {
        /* Capacity as AWS sells it (aws-semantics 1.8, 5.2): interruptions, replacements, the market split. */
        asg_market_use u = asg_get_market_use(g, wb_scenario(b)->duration);
        rows_int(r, "interruptions", (int64_t)c.interruptions);
        rows_int(r, "rebalance_recommendations", (int64_t)c.rebalance_recommendations);
        rows_int(r, "rebalance_replacements", (int64_t)c.rebalance_replacements);
        rows_int(r, "capacity_errors", (int64_t)c.capacity_errors);
        rows_num(r, "on_demand_instance_hours", u.od_hours);
        rows_num(r, "spot_instance_hours", u.spot_hours);
        rows_num(r, "on_demand_cost_usd", u.od_usd);
        rows_num(r, "spot_cost_usd", u.spot_usd);
        rows_num(r, "spot_on_demand_equivalent_usd", u.spot_od_equiv_usd);
        const hist *rh = asg_spot_replacement_times(g);
        rows_int(r, "spot_replacements", (int64_t)rh->count);
        rows_num(r, "spot_replacement_p50_s", rh->count ? sim_to_sec(hist_quantile(rh, 0.50)) : 0);
        rows_num(r, "spot_replacement_max_s", rh->count ? sim_to_sec(rh->max) : 0);
    }
    if (!c.boot_scripts)
        return;
    /* The boot script's figures (the license claim): how long, how often retried, how often failed. */
    const hist *h = asg_boot_script_times(g);
    rows_int(r, "boot_scripts", (int64_t)c.boot_scripts);
    rows_int(r, "boot_script_failures", (int64_t)c.boot_script_failures);
    rows_int(r, "boot_script_retries", (int64_t)c.boot_script_retries);
    rows_num(r, "boot_script_p50_s", sim_to_sec(hist_quantile(h, 0.50)));
    rows_num(r, "boot_script_p99_s", sim_to_sec(hist_quantile(h, 0.99)));
    rows_num(r, "boot_script_max_s", sim_to_sec(h->max));
}

const res_type res_aws_autoscaling_group = {
    .tf_type = "aws_autoscaling_group",
    .doc = "An Auto Scaling group: launches instances from a launch template or configuration into its zones and "
           "keeps their number between min_size and max_size.",
    .keys = group_keys,
    .pass = 0,
    .cfg_size = sizeof(scn_asg),
    .arr_off = offsetof(scenario, asgs),
    .n_off = offsetof(scenario, n_asgs),
    .load = aws_autoscaling_group_load,
    .finish = group_finish,
    .free_cfg = group_free,
    .stage = WB_STAGE_GROUPS,
    .build = group_build,
    .free_model = group_free_model,
    .gauge = group_gauge,
    .report = group_report,
};
