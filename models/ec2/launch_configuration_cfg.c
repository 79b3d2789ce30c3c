/*
 * launch_configuration_cfg.c - aws_launch_configuration: the older form of a
 * launch template (instance type, monitoring). A group names it with
 * `launch_configuration:`; the loader then hands the model a copy in
 * launch_templates, so the model knows one kind.
 */
#include <stdlib.h>
#include <string.h>

#include "models/ec2/instance_cfg.h"

static const ld_key lc_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "a catalog type (e.g. t2.micro) or one defined under instance_types"},
    {.name = "enable_monitoring", .kind = LD_BOOL, .def = "true",
     .source = "Terraform and Auto Scaling API (true; a launch template's default is basic monitoring)",
     .doc = "detailed monitoring: 1-minute EC2 metrics (false: 5-minute, aws-semantics 3.1)"},
    {.name = "pending_time", .kind = LD_DIST, .def = "6s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "EC2 pending, not billed (as a launch template's)"},
    {.name = "os_boot_time", .kind = LD_DIST, .def = "20s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "OS boot, billed (as a launch template's)"},
    {.name = "app_start_time", .kind = LD_DIST, .def = "10s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "user data and the application starting, then InService (as a launch template's)"},
    {.name = "accept_backlog", .kind = LD_INT, .def = "511", .lo = "1", .hi = "1000000",
     .source = "fleetsim: nginx's default listen backlog (backlog=511; also Linux's somaxconn before 5.4: 128-4096)",
     .doc = "requests the instance's web server holds waiting for a worker; the next connection is refused and the ALB answers 502"},
    {.name = "boot_script", .kind = LD_BLOCK, .block = instance_boot_keys, .source = "fleetsim (DESIGN 3b)",
     .doc = "the AWS API calls the user data makes at boot (the license claim)"},
    {.name = "image_id", .kind = LD_STR, .hi = "255", .source = "Terraform (required there; optional here)",
     .doc = "the AMI: read, not simulated"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "the launch configuration's AWS name"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "user_data", .kind = LD_NOTSIM},
    {.name = "user_data_base64", .kind = LD_NOTSIM}, {.name = "key_name", .kind = LD_NOTSIM},
    {.name = "security_groups", .kind = LD_NOTSIM}, {.name = "iam_instance_profile", .kind = LD_NOTSIM},
    {.name = "associate_public_ip_address", .kind = LD_NOTSIM}, {.name = "root_block_device", .kind = LD_NOTSIM},
    {.name = "ebs_block_device", .kind = LD_NOTSIM}, {.name = "ephemeral_block_device", .kind = LD_NOTSIM},
    {.name = "ebs_optimized", .kind = LD_NOTSIM}, {.name = "metadata_options", .kind = LD_NOTSIM},
    {.name = "placement_tenancy", .kind = LD_NOTSIM},
    {.name = "spot_price", .kind = LD_LATER},
    {.name = NULL},
};

/* A boot phase: the scenario's distribution, else the row's default (a constant). */
static void phase(const ld_sect *s, const char *name, sim_dist *out, double **values)
{
    sim_time_t t = 0;
    char why[64];
    const ld_key *row = ld_key_find(lc_keys, name);
    if (!ld_parse_duration(row->def, &t, why, sizeof why))
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(t)};
    ld_dist(s, name, out, values);
}

static void lc_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_launch_template *lc = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, lc_keys);
    ld_int(&b, "accept_backlog", &lc->accept_backlog);
    ld_itype_ref(v, &b, "instance_type", &lc->itype);
    phase(&b, "pending_time", &lc->pending_time, &lc->pending_values);
    phase(&b, "os_boot_time", &lc->os_boot_time, &lc->os_boot_values);
    phase(&b, "app_start_time", &lc->app_start_time, &lc->app_start_values);
    lc->boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT,
                               .a = sim_dist_mean(&lc->pending_time) + sim_dist_mean(&lc->os_boot_time) +
                                    sim_dist_mean(&lc->app_start_time)};
    bool mon = false;
    ld_bool(&b, "enable_monitoring", &mon);
    lc->detailed_monitoring = mon;
    ld_str(&b, "image_id", NULL, 0, NULL);
    ld_str(&b, "name", NULL, 0, NULL);
    instance_cfg_boot(v, &b, lc);
}

/*
 * After loading: each launch configuration is appended to launch_templates
 * (its empirical values move there) and the groups that name it point at the copy.
 */
static void lc_finish(loader *v)
{
    scenario *sc = v->s;
    if (!sc->n_launch_configurations)
        return;
    size_t base = sc->n_launch_templates, n = sc->n_launch_configurations;
    scn_launch_template *p = realloc(sc->launch_templates, (base + n) * sizeof *p);
    if (!p) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    sc->launch_templates = p;
    for (size_t i = 0; i < n; i++) {
        scn_launch_template *lc = &sc->launch_configurations[i];
        p[base + i] = *lc;
        p[base + i].name = ld_dupstr(lc->name);
        lc->pending_values = lc->os_boot_values = lc->app_start_values = NULL;
        memset(&lc->boot, 0, sizeof lc->boot); /* moved with the copy */
        sc->n_launch_templates++;
        if (!p[base + i].name) {
            scn_err_at(&v->c, lc->loc.line, lc->loc.col, "out of memory");
            return;
        }
    }
    for (size_t i = 0; i < sc->n_asgs; i++)
        if (sc->asgs[i].launch_configuration >= 0)
            sc->asgs[i].launch_template = (int)base + sc->asgs[i].launch_configuration;
}

extern const res_type res_aws_launch_template;

/* The same struct as a launch template's, freed the same way. */
static void lc_free(void *cfg)
{
    res_aws_launch_template.free_cfg(cfg);
}

const res_type res_aws_launch_configuration = {
    .tf_type = "aws_launch_configuration",
    .doc = "A launch configuration: the instance type and monitoring of the instances a group launches (the older "
           "form of a launch template).",
    .keys = lc_keys,
    .pass = 0,
    .cfg_size = sizeof(scn_launch_template),
    .arr_off = offsetof(scenario, launch_configurations),
    .n_off = offsetof(scenario, n_launch_configurations),
    .load = lc_load,
    .finish = lc_finish,
    .free_cfg = lc_free,
};
