/*
 * mixed_policy_cfg.c - mixed_instances_policy as Terraform nests it in
 * aws_autoscaling_group (instances_distribution; launch_template with
 * launch_template_specification and override blocks), and the group's
 * fleetsim block: its capacity pools (aws-semantics 1.8, 5.2).
 */
#include "models/autoscaling/mixed_policy_cfg.h"

#include <stdlib.h>
#include <string.h>

#include "models/autoscaling/mixed_policy.h"
#include "models/ec2/ec2_pool_cfg.h"

static const char *const od_strategies[] = {"prioritized", "lowest-price", NULL};
static const char *const spot_strategies[] = {"lowest-price", "capacity-optimized", "capacity-optimized-prioritized",
                                              "price-capacity-optimized", NULL};

static const ld_key dist_keys[] = {
    {.name = "on_demand_base_capacity", .kind = LD_INT, .def = "0", .lo = "0", .hi = "10000",
     .source = "Terraform / Auto Scaling API (0)", .doc = "capacity units launched On-Demand first"},
    {.name = "on_demand_percentage_above_base_capacity", .kind = LD_INT, .def = "100", .lo = "0", .hi = "100",
     .source = "Terraform / Auto Scaling API (100)", .doc = "the On-Demand share above the base, rounded up in favour of On-Demand (aws-semantics 1.8)"},
    {.name = "on_demand_allocation_strategy", .kind = LD_ENUM, .def = "prioritized", .values = od_strategies,
     .source = "Terraform / Auto Scaling API (prioritized without instance_requirements)",
     .doc = "prioritized: overrides in order; lowest-price: cheapest per unit first"},
    {.name = "spot_allocation_strategy", .kind = LD_ENUM, .def = "lowest-price", .values = spot_strategies,
     .source = "Terraform (lowest-price) / aws-semantics 1.8", .doc = "how Spot pools are chosen within a zone (docs/spot.md)"},
    {.name = "spot_instance_pools", .kind = LD_INT, .def = "2", .lo = "1", .hi = "20",
     .source = "Terraform / Auto Scaling API (2, 1..20)", .doc = "lowest-price: spread over this many cheapest pools per zone"},
    {.name = "spot_max_price", .kind = LD_STR, .hi = "32", .source = "Terraform (string; empty: the On-Demand price)",
     .doc = "the most paid per Spot instance-hour, USD; a pool above it is not launched into"},
    {.name = NULL},
};

static const ld_key spec_keys[] = {
    {.name = "launch_template_id", .kind = LD_REF, .source = "Terraform", .doc = "the aws_launch_template (conflicts with launch_template_name)"},
    {.name = "launch_template_name", .kind = LD_REF, .source = "Terraform", .doc = "the aws_launch_template (conflicts with launch_template_id)"},
    {.name = "version", .kind = LD_STR, .def = "$Default", .hi = "255", .source = "Terraform ($Default)",
     .doc = "a scenario's launch template has one version: $Latest, $Default or 1"},
    {.name = NULL},
};

static const ld_key override_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .hi = "31", .flags = LD_REQUIRED,
     .source = "Terraform (optional there; fleetsim needs it)", .doc = "a type of the catalog or of `instance_types:`"},
    {.name = "weighted_capacity", .kind = LD_STR, .def = "1", .hi = "3", .source = "Terraform (a string, 1..999)",
     .doc = "capacity units one instance of the type counts for"},
    {.name = "launch_template_specification", .kind = LD_LATER},
    {.name = "instance_requirements", .kind = LD_LATER},
    {.name = NULL},
};

static const ld_key lt_keys[] = {
    {.name = "launch_template_specification", .kind = LD_BLOCK, .block = spec_keys, .flags = LD_REQUIRED,
     .source = "Terraform", .doc = "the template the group launches from"},
    {.name = "override", .kind = LD_BLOCK, .block = override_keys, .hi = "40",
     .source = "Terraform (repeatable block) / Auto Scaling API (at most 40)", .doc = "instance types in priority order, with their weights"},
    {.name = NULL},
};

const ld_key mix_policy_keys[] = {
    {.name = "instances_distribution", .kind = LD_BLOCK, .block = dist_keys, .source = "Terraform",
     .doc = "the On-Demand / Spot split and the allocation strategies"},
    {.name = "launch_template", .kind = LD_BLOCK, .block = lt_keys, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "launch_template_specification and override blocks"},
    {.name = NULL},
};

const ld_key mix_fleetsim_keys[] = {
    {.name = "spot", .kind = LD_BLOCK, .block = ec2pool_keys, .source = "fleetsim (aws-semantics 5.2)",
     .doc = "the law of every Spot pool of the group (type x zone)"},
    {.name = "pools", .kind = LD_BLOCK, .block = ec2pool_entry_keys, .hi = "1000", .source = "fleetsim (aws-semantics 5.2)",
     .doc = "entries for some pools (a type, a zone, or both; Spot or On-Demand); a later entry wins"},
    {.name = "launch_retry_interval", .kind = LD_DUR, .def = "1m", .lo = "1s", .hi = "1h",
     .source = "fleetsim: not documented by AWS", .doc = "after a launch fails for capacity, the group tries again this often"},
    {.name = NULL},
};

static void load_overrides(loader *v, const ld_sect *lt, asg_mix *m)
{
    const scn_node *n = ld_sect_get(lt, "override");
    if (!n)
        return;
    if (n->kind != SCN_N_SEQ && n->kind != SCN_N_MAP) {
        scn_err(&v->c, n, "'override': expected a block or a sequence of blocks, found %s", scn_kind_name(n));
        return;
    }
    size_t cnt = n->kind == SCN_N_SEQ ? n->n : 1;
    if (cnt > 40) {
        scn_err(&v->c, n, "'override': %zu blocks (at most 40)", cnt);
        return;
    }
    if (!(m->overrides = calloc(cnt + 1, sizeof *m->overrides))) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    char what[512], buf[8];
    for (size_t k = 0; k < cnt; k++) {
        const scn_node *e = n->kind == SCN_N_SEQ ? n->kids[k] : n;
        snprintf(what, sizeof what, "override of %.400s", lt->what);
        ld_sect o;
        if (!ld_sect_open(v, &o, e, e, what))
            continue;
        ld_sect_check(&o, override_keys);
        mix_override ov = {.itype = -1, .weight = 1};
        if (ld_itype_ref(v, &o, "instance_type", &ov.itype) < 0)
            continue;
        const scn_node *wn = NULL;
        if (ld_str(&o, "weighted_capacity", buf, sizeof buf, &wn) > 0) {
            char *end = NULL;
            long w = strtol(buf, &end, 10);
            if (!buf[0] || *end || w < 1 || w > 999) {
                scn_err(&v->c, wn, "'weighted_capacity': expected a whole number of capacity units from 1 to 999, "
                        "found '%s'", buf);
                continue;
            }
            ov.weight = (int)w;
        }
        for (size_t j = 0; j < m->n_overrides; j++)
            if (m->overrides[j].itype == ov.itype)
                scn_err(&v->c, e, "override: instance type %s is listed twice", v->s->itypes[ov.itype].name);
        m->overrides[m->n_overrides++] = ov;
    }
}

static void load_policy(loader *v, const ld_sect *s, scn_asg *g, asg_mix *m, const scn_node **lt_node)
{
    char what[512], w2[512], w3[512];
    ld_sect p, d, lt, spec;
    if (!ld_block(s, "mixed_instances_policy", &p, what, sizeof what))
        return;
    m->policy = true;
    ld_block(&p, "instances_distribution", &d, w2, sizeof w2);
    long long x = 0;
    if (ld_int(&d, "on_demand_base_capacity", &x) >= 0)
        m->od_base = (int)x;
    x = 100;
    if (ld_int(&d, "on_demand_percentage_above_base_capacity", &x) >= 0)
        m->od_pct = (int)x;
    int e = 0;
    ld_enum(&d, "on_demand_allocation_strategy", &e, NULL);
    m->od_strategy = (mix_od_strategy)e;
    e = 0;
    ld_enum(&d, "spot_allocation_strategy", &e, NULL);
    m->spot_strategy = (mix_spot_strategy)e;
    x = 2;
    ld_int(&d, "spot_instance_pools", &x);
    m->spot_pools = (int)x;
    char mp[40];
    const scn_node *mpn = NULL;
    m->spot_max_price = -1;
    if (ld_str(&d, "spot_max_price", mp, sizeof mp, &mpn) > 0 && mp[0]) {
        double usd = 0;
        if (!ld_parse_number(mp[0] == '$' ? mp + 1 : mp, &usd) || !(usd > 0))
            scn_err(&v->c, mpn, "'spot_max_price': expected a price in USD per hour (e.g. \"0.05\"), or \"\" for the "
                    "On-Demand price");
        else
            m->spot_max_price = usd;
    }
    if (!ld_block(&p, "launch_template", &lt, w2, sizeof w2))
        return;
    if (ld_block(&lt, "launch_template_specification", &spec, w3, sizeof w3)) {
        const scn_node *id = ld_sect_get(&spec, "launch_template_id"), *nm = ld_sect_get(&spec, "launch_template_name");
        if (id && nm)
            scn_err(&v->c, nm, "%s: give 'launch_template_id' or 'launch_template_name', not both", w3);
        else if (!id && !nm)
            scn_err(&v->c, spec.owner, "missing required key 'launch_template_id' (or 'launch_template_name') in %s", w3);
        else if (ld_ref(&spec, id ? "launch_template_id" : "launch_template_name", "aws_launch_template",
                        &g->launch_template) > 0)
            *lt_node = id ? id : nm;
        char ver[256];
        const scn_node *vn = NULL;
        if (ld_str(&spec, "version", ver, sizeof ver, &vn) > 0 && strcmp(ver, "$Latest") != 0 &&
            strcmp(ver, "$Default") != 0 && strcmp(ver, "1") != 0)
            scn_err(&v->c, vn, "'version': a scenario's launch template has one version: use \"$Latest\", "
                    "\"$Default\" or 1");
    }
    load_overrides(v, &lt, m);
}

static void load_fleetsim(loader *v, const ld_sect *s, asg_mix *m)
{
    char what[512], w2[512];
    ld_sect f, sp;
    bool have = ld_block(s, "fleetsim", &f, what, sizeof what);
    m->launch_retry = SIM_MIN;
    if (have)
        ld_dur(&f, "launch_retry_interval", &m->launch_retry);
    /* fleetsim.spot: the defaults (the table's when absent) */
    if (have && ld_block(&f, "spot", &sp, w2, sizeof w2)) {
        ec2pool_cfg_load(v, &sp, NULL, false, &m->spot, NULL);
    } else {
        ld_sect none = {.v = v, .map = NULL, .owner = s->owner, .what = "fleetsim.spot"};
        ec2pool_cfg_load(v, &none, NULL, false, &m->spot, NULL);
    }
    const scn_node *n = have ? ld_sect_get(&f, "pools") : NULL;
    if (!n)
        return;
    if (n->kind != SCN_N_SEQ && n->kind != SCN_N_MAP) {
        scn_err(&v->c, n, "'pools': expected a block or a sequence of blocks, found %s", scn_kind_name(n));
        return;
    }
    size_t cnt = n->kind == SCN_N_SEQ ? n->n : 1;
    if (!(m->pools = calloc(cnt + 1, sizeof *m->pools))) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t k = 0; k < cnt; k++) {
        const scn_node *e = n->kind == SCN_N_SEQ ? n->kids[k] : n;
        snprintf(w2, sizeof w2, "a pools entry of %.400s", what);
        ld_sect pe;
        if (!ld_sect_open(v, &pe, e, e, w2))
            continue;
        mix_pool *mp = &m->pools[m->n_pools++];
        ec2pool_cfg_load(v, &pe, &m->spot, true, &mp->cfg, &mp->market);
        mp->cfg.loc = (scn_loc){.line = e->line, .col = e->col};
    }
}

void mix_cfg_load(loader *v, const ld_sect *s, scn_asg *g, const scn_node **lt_node)
{
    *lt_node = NULL;
    if (!ld_sect_get(s, "mixed_instances_policy") && !ld_sect_get(s, "fleetsim"))
        return;
    asg_mix *m = calloc(1, sizeof *m);
    if (!m) {
        scn_err(&v->c, s->owner, "out of memory");
        return;
    }
    m->od_pct = 100;
    m->spot_pools = 2;
    m->spot_max_price = -1;
    g->mix = m;
    load_policy(v, s, g, m, lt_node);
    load_fleetsim(v, s, m);
}
