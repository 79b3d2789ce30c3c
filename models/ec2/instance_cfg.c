/*
 * instance_cfg.c - aws_instance with count: a fixed fleet running at t = 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "models/ec2/instance_cfg.h"
#include "models/ec2/root_volume_cfg.h"

#include <stdlib.h>

#include "models/core/build.h"
#include "models/ec2/instance.h"
#include "models/ec2/instance_type.h"
#include "models/elb/target_group.h"

int instance_cfg_itype(loader *v, const ld_sect *s, int *out)
{
    char b1[32];
    int rc = ld_itype_ref(v, s, "instance_type", out);
    sim_time_t dur = v->s->duration;
    if (rc <= 0 || dur <= 0)
        return rc;
    const scn_itype *t = &v->s->itypes[*out];
    /* Each instance counts its vCPUs' busy nanoseconds in an int64 (world.c). */
    if ((int64_t)t->vcpus > INT64_MAX / dur) {
        scn_err(&v->c, ld_sect_get(s, "instance_type"), "'instance_type': %s has %d vCPUs: their busy time over "
                "the run's duration (%s) overflows the busy-time counter; shorten the run or use fewer vCPUs",
                t->name, t->vcpus, ld_fmt_dur(b1, sizeof b1, dur));
        *out = -1;
        return -1;
    }
    return rc;
}

static const ld_key instance_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "a type of the catalog or of `instance_types:`"},
    {.name = "count", .kind = LD_INT, .def = "1", .lo = "1", .hi = "10000", .source = "Terraform meta-argument (1)",
     .doc = "how many identical instances run from t = 0"},
    {.name = "accept_backlog", .kind = LD_INT, .def = "511", .lo = "1", .hi = "1000000",
     .source = "fleetsim: nginx's default listen backlog (backlog=511; also Linux's somaxconn before 5.4: 128-4096)",
     .doc = "requests the instance's web server holds waiting for a worker; the next connection is refused and the ALB answers 502"},
    {.name = "availability_zone", .kind = LD_STR, .hi = "31", .source = "Terraform (AWS picks one when absent)",
     .doc = "a zone of the scenario's region; default: the region's zone a"},
    {.name = "ami", .kind = LD_NOTSIM}, {.name = "key_name", .kind = LD_NOTSIM},
    {.name = "vpc_security_group_ids", .kind = LD_NOTSIM}, {.name = "security_groups", .kind = LD_NOTSIM},
    {.name = "subnet_id", .kind = LD_NOTSIM}, {.name = "user_data", .kind = LD_NOTSIM},
    {.name = "user_data_base64", .kind = LD_NOTSIM}, {.name = "user_data_replace_on_change", .kind = LD_NOTSIM},
    {.name = "tags", .kind = LD_NOTSIM}, {.name = "volume_tags", .kind = LD_NOTSIM},
    {.name = "associate_public_ip_address", .kind = LD_NOTSIM}, {.name = "iam_instance_profile", .kind = LD_NOTSIM},
    {.name = "root_block_device", .kind = LD_BLOCK, .block = root_volume_device_keys, .source = "Terraform",
     .doc = "the root EBS volume: its volume_size and volume_type are billed"}, {.name = "ebs_block_device", .kind = LD_NOTSIM},
    {.name = "ephemeral_block_device", .kind = LD_NOTSIM}, {.name = "ebs_optimized", .kind = LD_NOTSIM},
    {.name = "metadata_options", .kind = LD_NOTSIM}, {.name = "disable_api_termination", .kind = LD_NOTSIM},
    {.name = "disable_api_stop", .kind = LD_NOTSIM}, {.name = "private_ip", .kind = LD_NOTSIM},
    {.name = "secondary_private_ips", .kind = LD_NOTSIM}, {.name = "ipv6_address_count", .kind = LD_NOTSIM},
    {.name = "ipv6_addresses", .kind = LD_NOTSIM}, {.name = "source_dest_check", .kind = LD_NOTSIM},
    {.name = "get_password_data", .kind = LD_NOTSIM}, {.name = "instance_initiated_shutdown_behavior", .kind = LD_NOTSIM},
    {.name = "network_interface", .kind = LD_NOTSIM}, {.name = "private_dns_name_options", .kind = LD_NOTSIM},
    {.name = "maintenance_options", .kind = LD_NOTSIM}, {.name = "enclave_options", .kind = LD_NOTSIM},
    {.name = "capacity_reservation_specification", .kind = LD_NOTSIM},
    {.name = "credit_specification", .kind = LD_BLOCK, .block = instance_credit_keys,
     .source = "Terraform (aws_instance credit_specification; ignored on a type that earns no credits)",
     .doc = "burstable types: how the instances use CPU credits (docs/burstable.md)"},
    {.name = "instance_market_options", .kind = LD_LATER},
    {.name = "cpu_options", .kind = LD_LATER}, {.name = "cpu_core_count", .kind = LD_LATER},
    {.name = "cpu_threads_per_core", .kind = LD_LATER}, {.name = "hibernation", .kind = LD_LATER},
    {.name = "launch_template", .kind = LD_LATER}, {.name = "monitoring", .kind = LD_LATER},
    {.name = "placement_group", .kind = LD_LATER}, {.name = "placement_partition_number", .kind = LD_LATER},
    {.name = "tenancy", .kind = LD_LATER}, {.name = "host_id", .kind = LD_LATER},
    {.name = "host_resource_group_arn", .kind = LD_LATER},
    {.name = NULL},
};

static void instance_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_instance *in = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, instance_keys);
    instance_cfg_itype(v, &b, &in->itype);
    instance_cfg_credits(v, &b, &in->itype, false);
    long long count = 0;
    ld_int(&b, "count", &count);
    ld_int(&b, "accept_backlog", &in->accept_backlog);
    in->count = (int)count;
    /* absent: the region's first zone (a default that depends on the region) */
    snprintf(in->availability_zone, sizeof in->availability_zone, "%.30sa", v->s->region);
    const scn_node *az = NULL;
    if (ld_str(&b, "availability_zone", in->availability_zone, sizeof in->availability_zone, &az) > 0)
        ld_check_az(v, az, in->availability_zone);
    root_volume_load(v, &b, "root_block_device", false, &in->root);
}

/* ---------------------------------------------------------------- CPU credits */

static const char *const credit_modes[] = {"standard", "unlimited", NULL};

const ld_key instance_credit_keys[] = {
    {.name = "cpu_credits", .kind = LD_ENUM, .values = credit_modes,
     .source = "Terraform credit_specification.cpu_credits; absent: AWS's default by family (aws-semantics 5.6, RunInstances CreditSpecification)",
     .doc = "standard (throttled to the baseline when the balance is spent) or unlimited (bursts on surplus credits, billed); absent: standard for t2, unlimited for t3, t3a and t4g"},
    {.name = NULL},
};

/* The mode an entry's instances launch in (SCN_CREDITS_STANDARD or _UNLIMITED). */
static int effective_mode(const scn_itype *t, const itype_burst *bt)
{
    if (t->cpu_credits != SCN_CREDITS_DEFAULT)
        return t->cpu_credits;
    return bt->default_unlimited ? SCN_CREDITS_UNLIMITED : SCN_CREDITS_STANDARD;
}

void instance_cfg_credits(loader *v, const ld_sect *s, int *itype, bool launch_template)
{
    char what[640];
    ld_sect b;
    int mode = -1;
    const scn_node *at = NULL;
    if (!ld_block(s, "credit_specification", &b, what, sizeof what))
        return;
    /* Terraform: a block without cpu_credits leaves AWS's default. */
    if (ld_enum(&b, "cpu_credits", &mode, &at) <= 0 || mode < 0 || *itype < 0)
        return;
    scenario *sc = v->s;
    const scn_itype *t = &sc->itypes[*itype];
    const itype_burst *bt = itype_burst_find(t->name);
    if (!bt) {
        /* A launch with a credit specification on such a type fails
           (InstanceCreditSpecification.NotSupported: terraform-provider-aws
           issues 5067, 5081); the provider drops the block of an aws_instance
           with a warning (resource_aws_instance: "credit_specification is
           defined but instance type is not T2/T3. Ignoring..."). */
        if (launch_template)
            scn_err(&v->c, ld_sect_key(s, "credit_specification"),
                    "'credit_specification': %s earns no CPU credits: its launches would fail "
                    "(InstanceCreditSpecification.NotSupported); credit specifications apply to t2, t3, t3a and t4g",
                    t->name);
        else
            ld_note(v, ld_sect_key(s, "credit_specification"),
                    "'credit_specification' ignored: %s earns no CPU credits (the Terraform provider drops it too)",
                    t->name);
        return;
    }
    int want = mode == 0 ? SCN_CREDITS_STANDARD : SCN_CREDITS_UNLIMITED;
    for (size_t k = 0; k < sc->n_itypes; k++)
        if (strcmp(sc->itypes[k].name, t->name) == 0 && effective_mode(&sc->itypes[k], bt) == want) {
            *itype = (int)k;
            return;
        }
    /* Another mode than the entry's: an entry of its own (same name, price and overrides). */
    if (sc->n_itypes == v->itypes_cap) {
        size_t cap = v->itypes_cap ? v->itypes_cap * 2 : 4;
        scn_itype *p = realloc(sc->itypes, cap * sizeof *p);
        if (!p) {
            scn_err(&v->c, at, "out of memory");
            return;
        }
        sc->itypes = p;
        v->itypes_cap = cap;
    }
    sc->itypes[sc->n_itypes] = sc->itypes[*itype];
    sc->itypes[sc->n_itypes].cpu_credits = want;
    *itype = (int)sc->n_itypes++;
}

/* ---------------------------------------------------------------- the run */

extern const res_type res_aws_lb_target_group;

/* Instance n of fleet resource: running from t = 0, owned and billed by the world. */
static ec2_instance *fleet_instance(wb *b, const char *resource, int n, const scn_itype *type, const char *az,
                                    char *err, size_t errlen)
{
    const scenario *sc = wb_scenario(b);
    char id[SCN_ID_SIZE];
    if (snprintf(id, sizeof id, "i-%s-%d", resource, n) >= (int)sizeof id) {
        snprintf(err, errlen, "instance id \"i-%s-%d\" is longer than %zu characters", resource, n, sizeof id - 1);
        return NULL;
    }
    if ((int64_t)type->vcpus > INT64_MAX / sc->duration) {
        snprintf(err, errlen, "%s: %d vCPUs over the run's duration overflow the busy-time counter", id, type->vcpus);
        return NULL;
    }
    ec2_instance *i = ec2_new(wb_sim(b), id, type, az);
    if (i)
        ec2_set_events(i, wb_events(b));
    if (!i) {
        if (type->vcpus < 1 || !(type->speed > 0))
            snprintf(err, errlen, "%s: instance type %s needs vcpus >= 1 and speed > 0", id, type->name);
        else
            snprintf(err, errlen, "out of memory building instance %s", id);
        return NULL;
    }
    if (wb_add_instance(b, i) != 0) {
        ec2_free(i);
        snprintf(err, errlen, "out of memory building instance %s", id);
        return NULL;
    }
    return i;
}

/* The fleet's count instances, registered in the target groups its attachments name. */
static int instance_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    const scenario *sc = wb_scenario(b);
    const scn_instance *ri = cfg;
    *model = NULL;
    if (ri->itype < 0 || (size_t)ri->itype >= sc->n_itypes) {
        snprintf(err, errlen, "aws_instance \"%s\": bad instance type index %d", ri->name, ri->itype);
        return -1;
    }
    ec2_instance **made = calloc((size_t)ri->count + 1, sizeof *made);
    if (!made) {
        snprintf(err, errlen, "out of memory building %s", ri->name);
        return -1;
    }
    int rc = 0;
    for (int n = 0; n < ri->count && rc == 0; n++)
        if (!(made[n] = fleet_instance(b, ri->name, n, &sc->itypes[ri->itype], ri->availability_zone, err, errlen)))
            rc = -1;
        else {
            if (ri->accept_backlog > 0)
                ec2_set_accept_backlog(made[n], (uint32_t)ri->accept_backlog);
            if (ri->root.gib > 0)
                ec2_set_root_volume(made[n], ri->root.gib, ri->root.gp2);
        }
    for (size_t a = 0; a < sc->n_attachments && rc == 0; a++) {
        const scn_attachment *at = &sc->attachments[a];
        if (at->instance != idx)
            continue;
        tg *g = wb_model(b, &res_aws_lb_target_group, at->target_group);
        for (int n = 0; n < ri->count && rc == 0; n++)
            /* Running before t = 0, like a group's deployed stack: past its first check (4.2). */
            if (!g || tg_register_healthy(g, made[n]) < 0) {
                snprintf(err, errlen, "attachment \"%s\": bad target group or out of memory", at->name);
                rc = -1;
            }
    }
    free(made);
    return rc;
}

const res_type res_aws_instance = {
    .tf_type = "aws_instance",
    .doc = "A fixed fleet of `count` instances of one type, running from t = 0 (register them with an attachment).",
    .keys = instance_keys,
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_instance),
    .arr_off = offsetof(scenario, instances),
    .n_off = offsetof(scenario, n_instances),
    .load = instance_load,
    .finish = NULL,
    .free_cfg = NULL,
    .stage = WB_STAGE_FLEETS,
    .build = instance_build,
};

/* ---------------------------------------------------------------- boot scripts */

static const char *const boot_failures[] = {"fail_launch", "serve_unlicensed", NULL};

const ld_key instance_boot_keys[] = {
    {.name = "calls", .kind = LD_LIST, .flags = LD_REQUIRED, .hi = "64", .source = "fleetsim (DESIGN 3b)",
     .doc = "what the user data does once the instance runs: AWS API calls and compute steps (docs/lambda.md's vocabulary); its time is part of boot time"},
    {.name = "retry", .kind = LD_BLOCK, .block = as_retry_keys, .source = "fleetsim; defaults of the AWS SDKs",
     .doc = "how steps with on_...: retry back off and how often"},
    {.name = "on_failure", .kind = LD_ENUM, .def = "fail_launch", .values = boot_failures, .source = "fleetsim (what-if)",
     .doc = "a script that fails: fail_launch (the group terminates the instance and launches another) or serve_unlicensed (InService, every request fails)"},
    {.name = NULL},
};

void instance_cfg_boot(loader *v, const ld_sect *s, scn_launch_template *lt)
{
    char what[640];
    ld_sect b;
    (void)v;
    if (!ld_block(s, "boot_script", &b, what, sizeof what))
        return;
    if (as_load(&b, "calls", true, &lt->boot) < 0)
        return;
    as_load_retry(&b, &lt->boot);
    int f = SCN_BOOT_FAIL_LAUNCH;
    ld_enum(&b, "on_failure", &f, NULL);
    lt->boot_failure = (scn_boot_failure)f;
}
