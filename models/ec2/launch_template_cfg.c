/*
 * launch_template_cfg.c - aws_launch_template: the instance type, boot
 * phases and monitoring of the instances a group launches.
 */
#include <stdlib.h>

#include "models/ec2/instance_cfg.h"
#include "models/ec2/root_volume_cfg.h"

static const ld_key monitoring_keys[] = {
    {.name = "enabled", .kind = LD_BOOL, .def = "false", .source = "EC2 API (basic monitoring); Terraform leaves it to AWS",
     .doc = "true: detailed (1-minute) EC2 metrics, false: basic (5-minute)"},
    {.name = NULL},
};

static const char *const market_types[] = {"spot", NULL};
static const char *const market_later[] = {"capacity-block", NULL};
static const char *const behaviours[] = {"terminate", NULL};
static const char *const behaviours_later[] = {"stop", "hibernate", NULL};
static const char *const spot_types[] = {"one-time", NULL};
static const char *const spot_types_later[] = {"persistent", NULL};

static const ld_key spot_option_keys[] = {
    {.name = "max_price", .kind = LD_STR, .hi = "32", .source = "Terraform (string; unset: the On-Demand price, aws-semantics 5.2)",
     .doc = "the most paid per instance-hour, USD"},
    {.name = "instance_interruption_behavior", .kind = LD_ENUM, .def = "terminate", .values = behaviours,
     .later = behaviours_later, .source = "EC2 API (terminate, aws-semantics 5.2)", .doc = "what a Spot interruption does"},
    {.name = "spot_instance_type", .kind = LD_ENUM, .def = "one-time", .values = spot_types, .later = spot_types_later,
     .source = "EC2 API (Auto Scaling launches one-time requests)", .doc = "one-time"},
    {.name = "block_duration_minutes", .kind = LD_NOTSIM}, {.name = "valid_until", .kind = LD_NOTSIM},
    {.name = NULL},
};

static const ld_key market_keys[] = {
    {.name = "market_type", .kind = LD_ENUM, .values = market_types, .later = market_later, .flags = LD_REQUIRED,
     .source = "Terraform", .doc = "spot: the instances launched from the template are Spot (docs/spot.md)"},
    {.name = "spot_options", .kind = LD_BLOCK, .block = spot_option_keys, .source = "Terraform", .doc = "the Spot request's options"},
    {.name = NULL},
};

static const ld_key lt_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .flags = LD_REQUIRED,
     .source = "Terraform (optional there; fleetsim needs it)", .doc = "a type of the catalog or of `instance_types:`"},
    {.name = "pending_time", .kind = LD_DIST, .def = "6s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "launch -> running (pending state)"},
    {.name = "os_boot_time", .kind = LD_DIST, .def = "20s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "running -> the OS is up"},
    {.name = "app_start_time", .kind = LD_DIST, .def = "10s", .source = "fleetsim (aws-semantics 5.4)",
     .doc = "the OS is up -> the application serves (InService is the sum of the three)"},
    {.name = "accept_backlog", .kind = LD_INT, .def = "511", .lo = "1", .hi = "1000000",
     .source = "fleetsim: nginx's default listen backlog (backlog=511; also Linux's somaxconn before 5.4: 128-4096)",
     .doc = "requests the instance's web server holds waiting for a worker; the next connection is refused and the ALB answers 502"},
    {.name = "boot_time", .kind = LD_LIST, .source = "fleetsim (removed)",
     .doc = "an error: split into pending_time, os_boot_time and app_start_time"},
    {.name = "boot_script", .kind = LD_BLOCK, .block = instance_boot_keys, .source = "fleetsim (DESIGN 3b)",
     .doc = "the AWS API calls the user data makes at boot (the license claim)"},
    {.name = "monitoring", .kind = LD_BLOCK, .block = monitoring_keys, .source = "Terraform",
     .doc = "detailed monitoring of the instances' EC2 metrics"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "the template's AWS name"},
    {.name = "image_id", .kind = LD_NOTSIM}, {.name = "key_name", .kind = LD_NOTSIM},
    {.name = "vpc_security_group_ids", .kind = LD_NOTSIM}, {.name = "security_group_names", .kind = LD_NOTSIM},
    {.name = "user_data", .kind = LD_NOTSIM}, {.name = "iam_instance_profile", .kind = LD_NOTSIM},
    {.name = "block_device_mappings", .kind = LD_BLOCK, .block = root_volume_mapping_keys, .source = "Terraform",
     .doc = "one mapping, taken as the root volume's: its ebs volume_size and volume_type are billed"},
    {.name = "network_interfaces", .kind = LD_NOTSIM},
    {.name = "tag_specifications", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "description", .kind = LD_NOTSIM},
    {.name = "update_default_version", .kind = LD_NOTSIM}, {.name = "default_version", .kind = LD_NOTSIM},
    {.name = "ebs_optimized", .kind = LD_NOTSIM}, {.name = "metadata_options", .kind = LD_NOTSIM},
    {.name = "disable_api_termination", .kind = LD_NOTSIM}, {.name = "disable_api_stop", .kind = LD_NOTSIM},
    {.name = "kernel_id", .kind = LD_NOTSIM}, {.name = "ram_disk_id", .kind = LD_NOTSIM},
    {.name = "instance_initiated_shutdown_behavior", .kind = LD_NOTSIM},
    {.name = "private_dns_name_options", .kind = LD_NOTSIM}, {.name = "maintenance_options", .kind = LD_NOTSIM},
    {.name = "enclave_options", .kind = LD_NOTSIM}, {.name = "license_specification", .kind = LD_NOTSIM},
    {.name = "capacity_reservation_specification", .kind = LD_NOTSIM},
    {.name = "credit_specification", .kind = LD_BLOCK, .block = instance_credit_keys, .source = "Terraform",
     .doc = "burstable types: how the instances use CPU credits (docs/burstable.md)"},
    {.name = "instance_market_options", .kind = LD_BLOCK, .block = market_keys, .source = "Terraform (aws-semantics 5.2)",
     .doc = "Spot instances without a mixed instances policy (a group's policy overrides it)"},
    {.name = "placement", .kind = LD_LATER}, {.name = "cpu_options", .kind = LD_LATER},
    {.name = "instance_requirements", .kind = LD_LATER}, {.name = "hibernation_options", .kind = LD_LATER},
    {.name = "elastic_gpu_specifications", .kind = LD_LATER}, {.name = "elastic_inference_accelerator", .kind = LD_LATER},
    {.name = NULL},
};

/* ld_dist, with the row's default (a duration, "6s") as a constant when the key is absent: ld_dist applies none. */
static int dist_key(const ld_sect *s, const char *name, sim_dist *out, double **values)
{
    const ld_key *row = ld_key_find(lt_keys, name);
    char why[128];
    sim_time_t t = 0;
    if (row && row->def && !ld_parse_duration(row->def, &t, why, sizeof why))
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(t)};
    return ld_dist(s, name, out, values);
}

/* instance_market_options: market_type spot, spot_options.max_price (Terraform's string). */
static void load_market(loader *v, const ld_sect *s, scn_launch_template *lt)
{
    char what[512], w2[512], mp[40];
    ld_sect m, so;
    lt->spot_max_price = -1;
    if (!ld_block(s, "instance_market_options", &m, what, sizeof what))
        return;
    int mt = -1;
    if (ld_enum(&m, "market_type", &mt, NULL) > 0)
        lt->spot_market = mt == 0;
    if (!ld_block(&m, "spot_options", &so, w2, sizeof w2))
        return;
    int e = 0;
    ld_enum(&so, "instance_interruption_behavior", &e, NULL);
    ld_enum(&so, "spot_instance_type", &e, NULL);
    const scn_node *mpn = NULL;
    if (ld_str(&so, "max_price", mp, sizeof mp, &mpn) > 0 && mp[0]) {
        double usd = 0;
        if (!ld_parse_number(mp[0] == '$' ? mp + 1 : mp, &usd) || !(usd > 0))
            scn_err(&v->c, mpn, "'max_price': expected a price in USD per hour (e.g. \"0.05\")");
        else
            lt->spot_max_price = usd;
    }
}

static void lt_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_launch_template *lt = cfg;
    ld_sect b = *s, m;
    char what[512];
    (void)r;
    ld_sect_check(&b, lt_keys);
    instance_cfg_itype(v, &b, &lt->itype);
    instance_cfg_credits(v, &b, &lt->itype, true);
    const scn_node *bk = ld_sect_key(&b, "boot_time");
    if (bk)
        scn_err(&v->c, bk, "'boot_time' was split into 'pending_time', 'os_boot_time' and 'app_start_time' "
                "(launch -> InService is their sum; defaults %s, %s and %s)", ld_key_find(lt_keys, "pending_time")->def,
                ld_key_find(lt_keys, "os_boot_time")->def, ld_key_find(lt_keys, "app_start_time")->def);
    dist_key(&b, "pending_time", &lt->pending_time, &lt->pending_values);
    dist_key(&b, "os_boot_time", &lt->os_boot_time, &lt->os_boot_values);
    dist_key(&b, "app_start_time", &lt->app_start_time, &lt->app_start_values);
    ld_int(&b, "accept_backlog", &lt->accept_backlog);
    /* boot_time: kept in the struct as the constant total of the phase means (informational). */
    lt->boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT,
                               .a = sim_dist_mean(&lt->pending_time) + sim_dist_mean(&lt->os_boot_time) +
                                    sim_dist_mean(&lt->app_start_time)};
    ld_block(&b, "monitoring", &m, what, sizeof what);
    bool en = false;
    ld_bool(&m, "enabled", &en);
    lt->detailed_monitoring = en;
    ld_str(&b, "name", NULL, 0, NULL);
    instance_cfg_boot(v, &b, lt);
    load_market(v, &b, lt);
    root_volume_load(v, &b, "block_device_mappings", true, &lt->root);
}

static void lt_free(void *cfg)
{
    scn_launch_template *lt = cfg;
    free(lt->pending_values);
    free(lt->os_boot_values);
    free(lt->app_start_values);
    as_free(&lt->boot);
}

const res_type res_aws_launch_template = {
    .tf_type = "aws_launch_template",
    .doc = "What an Auto Scaling group launches: the instance type, how long an instance takes to serve, monitoring.",
    .keys = lt_keys,
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_launch_template),
    .arr_off = offsetof(scenario, launch_templates),
    .n_off = offsetof(scenario, n_launch_templates),
    .load = lt_load,
    .finish = NULL,
    .free_cfg = lt_free,
};
