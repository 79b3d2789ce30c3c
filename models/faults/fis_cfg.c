/*
 * fis_cfg.c - reading a `faults:` entry written as an AWS FIS action
 * (aws-semantics 12): `action`, `targets` (resource_arns | resource_tags,
 * filters, selection_mode), `parameters` by FIS's names, and fleetsim's own
 * keys in a `fleetsim` block.
 *
 * Durations are accepted as FIS writes them (ISO 8601: PT10M, PT1H30M,
 * PT90S) and as fleetsim writes them (10m). FIS rejects templates it cannot
 * resolve; so does `check`: a target that can match nothing is an error here
 * (12.1: "If no targets are found, the experiment fails").
 */
#include "models/faults/fis_cfg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* fis_act order; "aws:ssm:send-command" (last) takes its document from documentArn. */
const char *const fis_action_ids[] = {
    "aws:ec2:terminate-instances",
    "aws:ec2:stop-instances",
    "aws:ec2:reboot-instances",
    "aws:ssm:send-command/AWSFIS-Run-CPU-Stress",
    "aws:ssm:send-command/AWSFIS-Run-Network-Latency",
    "aws:lambda:invocation-error",
    "aws:lambda:invocation-add-delay",
    "fleetsim:dynamodb:throttle-requests",
    "fleetsim:events:disable-rule",
    "fleetsim:scenario:az-availability-power-interruption",
    "fleetsim:ec2:instance-failures",
    "aws:ec2:send-spot-instance-interruptions",
    "aws:ec2:asg-insufficient-instance-capacity-error",
    "fleetsim:ec2:spot-reclaim-wave",
    "aws:ssm:send-command",
    NULL,
};
#define ID_SSM FIS_N_ACTS

/* FIS actions (12.2-12.5) fleetsim does not run yet. */
const char *const fis_action_later[] = {
    "aws:ec2:api-insufficient-instance-capacity-error",
    "aws:network:disrupt-connectivity",
    "aws:lambda:invocation-http-integration-response",
    "aws:dynamodb:global-table-pause-replication",
    "aws:fis:inject-api-internal-error",
    "aws:fis:inject-api-throttle-error",
    "aws:fis:inject-api-unavailable-error",
    "aws:fis:wait",
    "aws:cloudwatch:assert-alarm-state",
    NULL,
};

/* ---------------------------------------------------------------- key tables */

#define ISO "a duration as FIS writes it (PT10M) or as fleetsim does (10m)"

static const ld_key targets_keys[] = {
    {.name = "resource_type", .kind = LD_STR, .hi = "40", .source = "FIS API CreateExperimentTemplateTargetInput (12.1)",
     .doc = "the action's own (aws:ec2:instance, aws:lambda:function...); given, it must be that one"},
    {.name = "resource_arns", .kind = LD_LIST, .hi = "5", .source = "FIS API ResourceArnList: at most 5 (12.1)",
     .doc = "resources by name or Terraform address; an aws_autoscaling_group stands for its instances"},
    {.name = "resource_tags", .kind = LD_LIST, .hi = "50", .source = "FIS API TagMap: at most 50 (12.1)",
     .doc = "a map of tag: value; instances match all of them (aws:autoscaling:groupName is set on group instances)"},
    {.name = "filters", .kind = LD_LIST, .source = "FIS API filters (12.1)",
     .doc = "[{path, values}]: Placement.AvailabilityZone or State.Name (running)"},
    {.name = "selection_mode", .kind = LD_STR, .def = "ALL", .hi = "20",
     .source = "FIS API selectionMode (12.1: ALL is the default)", .doc = "ALL, COUNT(n) or PERCENT(n): n chosen at random"},
    {.name = NULL},
};

static const ld_key fleetsim_keys[] = {
    {.name = "slowdown", .kind = LD_NUM, .lo = "1", .hi = "1000", .source = "fleetsim",
     .doc = "CPU stress: how many times longer work takes (default 1 + stressed share of the vCPUs x LoadPercent)"},
    {.name = "reboot_time", .kind = LD_DUR, .def = "30s", .lo = "1s", .hi = "1h",
     .source = "fleetsim: not documented by AWS, commonly observed value (aws-semantics 5.4: ~30 s to SSH)",
     .doc = "reboot-instances: how long the instance answers nothing"},
    {.name = NULL},
};

static const ld_key entry_keys[] = {
    {.name = "action", .kind = LD_STR, .hi = "80", .flags = LD_REQUIRED, .source = "FIS actionId (12.1)",
     .doc = "the FIS action id (aws:ec2:stop-instances ...) or a fleetsim one: see docs/faults.md"},
    {.name = "at", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "when the experiment starts, from the start of the run; before its end"},
    {.name = "name", .kind = LD_STR, .hi = "63", .source = "FIS action name (12.1)",
     .doc = "names the action in the events log and its random stream (default fault-<index>)"},
    {.name = "targets", .kind = LD_BLOCK, .block = targets_keys, .source = "FIS targets (12.1)",
     .doc = "which resources; not for the AZ scenario"},
    {.name = "parameters", .kind = LD_LIST, .source = "FIS action parameters (12.2-12.6)",
     .doc = "the action's parameters by FIS's names (a map): see the tables below"},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = fleetsim_keys, .source = "fleetsim",
     .doc = "fleetsim's own keys: slowdown, reboot_time"},
    {.name = NULL},
};

#define P_DURATION(req, def_)                                                                                    \
    {.name = "duration", .kind = LD_STR, .def = def_, .hi = "40", .flags = req, .source = "FIS action parameter", \
     .doc = "how long the action lasts: " ISO}
#define P_PCT(nm, src)                                                                                           \
    {.name = nm, .kind = LD_INT, .def = "100", .lo = "1", .hi = "100", .source = src,                             \
     .doc = "the percentage of requests affected"}

static const ld_key p_none[] = {{.name = NULL}};
static const ld_key p_stop[] = {
    {.name = "startInstancesAfterDuration", .kind = LD_STR, .hi = "40", .source = "FIS aws:ec2:stop-instances (12.2)",
     .doc = "1 minute to 12 hours: FIS starts the instances again after it (" ISO "); absent: they stay stopped"},
    {.name = "completeIfInstancesTerminated", .kind = LD_BOOL, .def = "false", .source = "FIS aws:ec2:stop-instances (12.2)",
     .doc = "accepted; fleetsim's action never fails on a target a group replaced"},
    {.name = NULL},
};
static const ld_key p_ssm[] = {
    {.name = "documentArn", .kind = LD_STR, .hi = "200", .source = "FIS aws:ssm:send-command (12.3)",
     .doc = "arn:aws:ssm:REGION::document/AWSFIS-Run-CPU-Stress or -Network-Latency (or the bare name)"},
    {.name = "documentVersion", .kind = LD_NOTSIM},
    {.name = "documentParameters", .kind = LD_LIST, .source = "FIS aws:ssm:send-command (12.3)",
     .doc = "the document's parameters (a map): DurationSeconds, CPU, LoadPercent / DelayMilliseconds"},
    P_DURATION(LD_REQUIRED, NULL),
    {.name = NULL},
};
static const ld_key doc_cpu[] = {
    {.name = "DurationSeconds", .kind = LD_INT, .lo = "1", .hi = "43200", .flags = LD_REQUIRED,
     .source = "AWSFIS-Run-CPU-Stress (12.3)", .doc = "how long stress-ng runs, s"},
    {.name = "CPU", .kind = LD_INT, .def = "0", .lo = "0", .hi = "1024", .source = "AWSFIS-Run-CPU-Stress (12.3)",
     .doc = "stressors, one per vCPU at most; 0: all vCPUs"},
    {.name = "LoadPercent", .kind = LD_INT, .def = "100", .lo = "0", .hi = "100", .source = "AWSFIS-Run-CPU-Stress (12.3)",
     .doc = "each stressor's load"},
    {.name = "InstallDependencies", .kind = LD_NOTSIM},
    {.name = NULL},
};
static const ld_key doc_lat[] = {
    {.name = "DurationSeconds", .kind = LD_INT, .lo = "1", .hi = "43200", .flags = LD_REQUIRED,
     .source = "AWSFIS-Run-Network-Latency (12.3)", .doc = "how long the delay lasts, s"},
    {.name = "DelayMilliseconds", .kind = LD_INT, .def = "200", .lo = "0", .hi = "60000",
     .source = "AWSFIS-Run-Network-Latency (12.3)", .doc = "added to every response the instance sends"},
    {.name = "Interface", .kind = LD_NOTSIM},
    {.name = "InstallDependencies", .kind = LD_NOTSIM},
    {.name = NULL},
};
static const ld_key p_lerr[] = {
    P_DURATION(LD_REQUIRED, NULL),
    P_PCT("invocationPercentage", "FIS aws:lambda:invocation-error (12.4)"),
    {.name = "preventExecution", .kind = LD_BOOL, .def = "false", .source = "FIS aws:lambda:invocation-error (12.4)",
     .doc = "true: fail without running the code"},
    {.name = NULL},
};
static const ld_key p_ldelay[] = {
    P_DURATION(LD_REQUIRED, NULL),
    P_PCT("invocationPercentage", "FIS aws:lambda:invocation-add-delay (12.4)"),
    {.name = "startupDelayMilliseconds", .kind = LD_INT, .def = "1000", .lo = "0", .hi = "900000",
     .source = "FIS aws:lambda:invocation-add-delay (12.4)", .doc = "delay before the code starts (billed)"},
    {.name = NULL},
};
static const ld_key p_ddb[] = {
    P_DURATION(LD_REQUIRED, NULL),
    P_PCT("percentage", "fleetsim (no FIS action: 12.5)"),
    {.name = NULL},
};
static const ld_key p_rule[] = {P_DURATION(LD_REQUIRED, NULL), {.name = NULL}};
static const ld_key p_az[] = {
    {.name = "availabilityZoneIdentifier", .kind = LD_STR, .hi = "31", .flags = LD_REQUIRED,
     .source = "FIS scenario AZ Availability: Power Interruption (12.6)", .doc = "the zone that loses power"},
    P_DURATION(0, "PT30M"),
    {.name = NULL},
};
static const ld_key p_spot[] = {
    {.name = "durationBeforeInterruption", .kind = LD_STR, .hi = "40", .flags = LD_REQUIRED,
     .source = "FIS aws:ec2:send-spot-instance-interruptions (12.2)",
     .doc = "2 to 15 minutes: the reclaim comes then, the notice 2 minutes before (" ISO ")"},
    {.name = NULL},
};
static const ld_key p_ice[] = {
    P_DURATION(LD_REQUIRED, NULL),
    {.name = "availabilityZoneIdentifiers", .kind = LD_STR, .hi = "200", .flags = LD_REQUIRED,
     .source = "FIS aws:ec2:asg-insufficient-instance-capacity-error (12.2)",
     .doc = "comma-separated zone names (us-west-2a,us-west-2b) of the groups"},
    P_PCT("percentage", "FIS aws:ec2:asg-insufficient-instance-capacity-error (12.2)"),
    {.name = NULL},
};
static const ld_key p_wave[] = {
    {.name = "percentage", .kind = LD_INT, .lo = "1", .hi = "100", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "the share of the pool's running Spot instances reclaimed together (rounded up)"},
    {.name = "instanceType", .kind = LD_STR, .hi = "31", .source = "fleetsim", .doc = "the pool's instance type; default any"},
    {.name = "availabilityZone", .kind = LD_STR, .hi = "31", .source = "fleetsim", .doc = "the pool's zone; default any"},
    {.name = "meanTimeBetweenWaves", .kind = LD_STR, .hi = "40", .source = "fleetsim",
     .doc = "waves recur after exponential times of this mean (" ISO "); absent: one wave at `at`"},
    P_DURATION(0, NULL),
    {.name = NULL},
};
static const ld_key p_fail[] = {
    {.name = "meanTimeBetweenFailures", .kind = LD_STR, .hi = "40", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "each target instance fails after an exponential time of this mean (" ISO ")"},
    P_DURATION(0, NULL),
    {.name = NULL},
};

/* fis_act order. */
static const ld_key *const param_tables[FIS_N_ACTS] = {p_none, p_stop, p_none, p_ssm, p_ssm, p_lerr, p_ldelay,
                                                        p_ddb, p_rule, p_az, p_fail, p_spot, p_ice, p_wave};
static const fis_rtype rtypes[FIS_N_ACTS] = {FIS_RT_INSTANCE, FIS_RT_INSTANCE, FIS_RT_INSTANCE, FIS_RT_INSTANCE,
                                             FIS_RT_INSTANCE, FIS_RT_LAMBDA, FIS_RT_LAMBDA, FIS_RT_TABLE,
                                             FIS_RT_RULE, FIS_RT_ZONE, FIS_RT_INSTANCE, FIS_RT_SPOT,
                                             FIS_RT_GROUP, FIS_RT_GROUP};
static const char *const rtype_names[] = {"aws:ec2:instance", "aws:lambda:function", "aws:dynamodb:table",
                                          "aws:events:rule", "", "aws:ec2:spot-instance",
                                          "aws:ec2:autoscaling-group"};
static const char *const inst_types[] = {"aws_autoscaling_group", "aws_instance", NULL};
static const char *const lam_types[] = {"aws_lambda_function", NULL};
static const char *const ddb_types[] = {"aws_dynamodb_table", NULL};
static const char *const rule_types[] = {"aws_cloudwatch_event_rule", NULL};
static const char *const grp_types[] = {"aws_autoscaling_group", NULL};
static const char *const *const ref_types[] = {inst_types, lam_types, ddb_types, rule_types, NULL, grp_types,
                                               grp_types};

/* ---------------------------------------------------------------- durations */

const char *fis_parse_duration(const char *s, sim_time_t *out, char *why, size_t why_size)
{
    if (!s || !*s) {
        snprintf(why, why_size, "empty");
        return why;
    }
    if (s[0] != 'P')
        return ld_parse_duration(s, out, why, why_size);
    /* ISO 8601: P[nD][T[nH][nM][n[.f]S]] */
    const char *p = s + 1;
    bool in_t = false, any = false;
    double total = 0;
    char last = 0;
    while (*p) {
        if (*p == 'T') {
            if (in_t || !p[1]) {
                snprintf(why, why_size, "'T' must come once, before the hours, minutes or seconds");
                return why;
            }
            in_t = true;
            p++;
            continue;
        }
        char *end = NULL;
        if (!isdigit((unsigned char)*p)) {
            snprintf(why, why_size, "expected a number at '%.20s'", p);
            return why;
        }
        double x = strtod(p, &end);
        char u = *end;
        static const char order_d[] = "D", order_t[] = "HMS";
        const char *ord = in_t ? order_t : order_d;
        const char *pos = u ? strchr(ord, u) : NULL;
        if (!pos || (last && strchr(ord, last) && strchr(ord, last) >= pos)) {
            snprintf(why, why_size, "expected %s after the number, in that order", in_t ? "H, M or S" : "D (or T)");
            return why;
        }
        if (u != 'S' && memchr(p, '.', (size_t)(end - p))) {
            snprintf(why, why_size, "only seconds may have a fraction");
            return why;
        }
        total += x * (u == 'D' ? 86400.0 : u == 'H' ? 3600.0 : u == 'M' ? 60.0 : 1.0);
        last = u;
        any = true;
        p = end + 1;
    }
    if (!any) {
        snprintf(why, why_size, "no amount (write e.g. PT10M)");
        return why;
    }
    if (total > 400.0 * 86400) {
        snprintf(why, why_size, "longer than 400 days");
        return why;
    }
    *out = sim_from_sec(total);
    return NULL;
}

/* A duration parameter in [lo, hi] (hi 0: up to 400d); 1 read, 0 absent, -1 reported. */
static int param_dur(const ld_sect *s, const char *key, sim_time_t lo, sim_time_t hi, sim_time_t *out)
{
    const scn_node *n = ld_sect_get(s, key);
    if (!n)
        return 0;
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&s->v->c, n, "'%s': expected %s, found %s", key, ISO, scn_kind_name(n));
        return -1;
    }
    char why[96], b1[32], b2[32], b3[64];
    sim_time_t t = 0;
    if (fis_parse_duration(n->str, &t, why, sizeof why)) {
        scn_err(&s->v->c, n, "'%s': '%s' is not a duration (%s); expected %s", key, scn_clip(b3, sizeof b3, n->str),
                why, ISO);
        return -1;
    }
    if (t < lo || (hi > 0 && t > hi)) {
        scn_err(&s->v->c, n, "'%s': %s is out of range %s..%s", key, ld_fmt_dur(b3, sizeof b3, t),
                ld_fmt_dur(b1, sizeof b1, lo), hi > 0 ? ld_fmt_dur(b2, sizeof b2, hi) : "400d");
        return -1;
    }
    *out = t;
    return 1;
}

/* ---------------------------------------------------------------- targets */

/* "ALL", "COUNT(n)", "PERCENT(n)" (12.1). */
static void load_selection(loader *v, const ld_sect *t, fis_action *a)
{
    char buf[24];
    const scn_node *n = NULL;
    if (ld_str(t, "selection_mode", buf, sizeof buf, &n) <= 0)
        return;
    if (strcmp(buf, "ALL") == 0) {
        a->sel = FIS_SEL_ALL;
        return;
    }
    const char *arg = NULL;
    if (strncmp(buf, "COUNT(", 6) == 0) {
        a->sel = FIS_SEL_COUNT;
        arg = buf + 6;
    } else if (strncmp(buf, "PERCENT(", 8) == 0) {
        a->sel = FIS_SEL_PERCENT;
        arg = buf + 8;
    }
    char *end = NULL;
    long x = arg && isdigit((unsigned char)*arg) ? strtol(arg, &end, 10) : -1;
    if (!arg || x < 0 || !end || strcmp(end, ")") != 0) {
        scn_err(&v->c, n, "'selection_mode': expected ALL, COUNT(n) or PERCENT(n) as FIS writes them, found '%s'", buf);
        a->sel = FIS_SEL_ALL;
        return;
    }
    if (x < 1 || (a->sel == FIS_SEL_PERCENT && x > 100) || x > 10000) {
        scn_err(&v->c, n, "'selection_mode': %s needs n in 1..%d, found %ld", a->sel == FIS_SEL_COUNT ? "COUNT" : "PERCENT",
                a->sel == FIS_SEL_COUNT ? 10000 : 100, x);
        a->sel = FIS_SEL_ALL;
        return;
    }
    a->sel_n = (int)x;
}

/* Does some instance target (a group's zones or a fleet's zone) lie in zone? */
static bool targets_use_zone(const scenario *sc, const fis_action *a, const char *zone)
{
    bool by_tag = a->n_arns == 0;
    for (size_t g = 0; g < sc->n_asgs; g++) {
        bool named = by_tag;
        for (size_t k = 0; k < a->n_arns; k++)
            named = named || (strcmp(a->arns[k].tf_type, "aws_autoscaling_group") == 0 &&
                              strcmp(a->arns[k].name, sc->asgs[g].name) == 0);
        for (size_t z = 0; named && z < sc->asgs[g].n_availability_zones; z++)
            if (strcmp(sc->asgs[g].availability_zones[z], zone) == 0)
                return true;
    }
    for (size_t i = 0; i < sc->n_instances; i++) {
        bool named = by_tag;
        for (size_t k = 0; k < a->n_arns; k++)
            named = named || (strcmp(a->arns[k].tf_type, "aws_instance") == 0 &&
                              strcmp(a->arns[k].name, sc->instances[i].name) == 0);
        if (named && strcmp(sc->instances[i].availability_zone, zone) == 0)
            return true;
    }
    return false;
}

static void load_filters(loader *v, const ld_sect *t, fis_action *a)
{
    const scn_node *seq = ld_seq(t, "filters", "{path, values} filters");
    for (size_t i = 0; seq && i < seq->n; i++) {
        static const ld_key fkeys[] = {
            {.name = "path", .kind = LD_STR, .hi = "64", .flags = LD_REQUIRED, .source = "FIS API filters (12.1)",
             .doc = "Placement.AvailabilityZone or State.Name"},
            {.name = "values", .kind = LD_LIST, .flags = LD_REQUIRED, .source = "FIS API filters (12.1)",
             .doc = "the attribute matches any of them"},
            {.name = NULL},
        };
        ld_sect f;
        if (!ld_sect_open(v, &f, seq->kids[i], seq->kids[i], "a filter of targets"))
            continue;
        ld_sect_check(&f, fkeys);
        char path[65];
        const scn_node *pn = NULL;
        if (ld_str(&f, "path", path, sizeof path, &pn) <= 0)
            continue;
        bool az = strcmp(path, "Placement.AvailabilityZone") == 0, state = strcmp(path, "State.Name") == 0;
        if ((!az && !state) || (a->rtype != FIS_RT_INSTANCE && a->rtype != FIS_RT_SPOT)) {
            scn_err(&v->c, pn, "filter path '%s': fleetsim filters instances on Placement.AvailabilityZone and State.Name",
                    path);
            continue;
        }
        const scn_node *vals = ld_seq(&f, "values", "values");
        for (size_t k = 0; vals && k < vals->n; k++) {
            const scn_node *vn = vals->kids[k];
            if (vn->kind != SCN_N_SCALAR) {
                scn_err(&v->c, vn, "filter value: expected a string, found %s", scn_kind_name(vn));
                continue;
            }
            if (state) {
                /* FIS identifies targets at the start; fleetsim's instances are running or gone (5.1). */
                if (strcmp(vn->str, "running") != 0)
                    scn_err(&v->c, vn, "State.Name '%s' matches no instance fleetsim has at the start: only running",
                            vn->str);
                continue;
            }
            if (a->n_zones >= FIS_MAX_ZONES) {
                scn_err(&v->c, vn, "at most %d zones in a filter", FIS_MAX_ZONES);
                break;
            }
            if (!ld_check_az(v, vn, vn->str))
                continue;
            if (!targets_use_zone(v->s, a, vn->str)) {
                scn_err(&v->c, vn, "the targets match nothing: none of them is in %s (FIS: if no targets are found, "
                        "the experiment fails, aws-semantics 12.1)", vn->str);
                continue;
            }
            snprintf(a->zones[a->n_zones++], sizeof a->zones[0], "%s", vn->str);
        }
    }
}

static void load_targets(loader *v, const ld_sect *es, fis_action *a)
{
    char what[160];
    ld_sect t;
    bool have = ld_block(es, "targets", &t, what, sizeof what);
    if (a->rtype == FIS_RT_ZONE) {
        if (have)
            scn_err(&v->c, ld_sect_key(es, "targets"), "'targets': %s takes its zone from the parameter "
                    "availabilityZoneIdentifier", fis_action_ids[a->act]);
        return;
    }
    if (!have) {
        if (!ld_sect_get(es, "targets"))
            scn_err(&v->c, es->owner, "missing required key 'targets' in %s", es->what);
        return;
    }
    char rt[41];
    const scn_node *rn = NULL;
    if (ld_str(&t, "resource_type", rt, sizeof rt, &rn) > 0 && strcmp(rt, rtype_names[a->rtype]) != 0)
        scn_err(&v->c, rn, "'resource_type': %s targets %s, found '%s'", fis_action_ids[a->act],
                rtype_names[a->rtype], rt);
    const scn_node *arns = ld_sect_get(&t, "resource_arns"), *tags = ld_sect_get(&t, "resource_tags");
    if (arns && tags)
        scn_err(&v->c, ld_sect_key(&t, "resource_tags"), "give resource_arns or resource_tags, not both (FIS API, "
                "aws-semantics 12.1)");
    else if (!arns && !tags)
        scn_err(&v->c, t.owner, "targets need resource_arns or resource_tags (FIS API, aws-semantics 12.1)");
    const scn_node *seq = ld_seq(&t, "resource_arns", "resources");
    for (size_t i = 0; seq && i < seq->n && a->n_arns < FIS_MAX_ARNS; i++) {
        const res_type *ty = NULL;
        int idx = -1;
        if (ld_resolve_any(v, seq->kids[i], "resource_arns", ref_types[a->rtype], &ty, &idx) <= 0 || !ty)
            continue;
        fis_ref *r = &a->arns[a->n_arns++];
        snprintf(r->tf_type, sizeof r->tf_type, "%s", ty->tf_type);
        /* The resource's own name: what follows TYPE. in an address, up to .arn / .id */
        const char *s = seq->kids[i]->str, *dot = strchr(s, '.');
        if (dot && strlen(ty->tf_type) == (size_t)(dot - s) && strncmp(s, ty->tf_type, (size_t)(dot - s)) == 0)
            s = dot + 1;
        size_t len = strcspn(s, ".");
        snprintf(r->name, sizeof r->name, "%.*s", (int)len, s);
    }
    if (tags) {
        if (a->rtype != FIS_RT_INSTANCE && a->rtype != FIS_RT_SPOT)
            scn_err(&v->c, tags, "'resource_tags': fleetsim knows the tags of EC2 instances only; name the %s in "
                    "resource_arns", rtype_names[a->rtype]);
        else if (tags->kind != SCN_N_MAP)
            scn_err(&v->c, tags, "'resource_tags': expected a map of tag: value, found %s", scn_kind_name(tags));
        else
            for (size_t i = 0; i + 1 < tags->n && a->n_tags < FIS_MAX_TAGS; i += 2) {
                const scn_node *k = tags->kids[i], *val = tags->kids[i + 1];
                if (val->kind != SCN_N_SCALAR || scn_is_null(val)) {
                    scn_err(&v->c, val, "tag '%s': expected a string value, found %s", k->str, scn_kind_name(val));
                    continue;
                }
                if (strcmp(k->str, "aws:autoscaling:groupName") == 0) {
                    const ld_res *r = ld_res_find(v, val->str);
                    if (!r || !ld_res_is(r, "aws_autoscaling_group")) {
                        scn_err(&v->c, val, "the targets match nothing: no aws_autoscaling_group is named '%s' (FIS: "
                                "if no targets are found, the experiment fails, aws-semantics 12.1)", val->str);
                        continue;
                    }
                }
                fis_tag *tg = &a->tags[a->n_tags++];
                snprintf(tg->key, sizeof tg->key, "%s", k->str);
                snprintf(tg->value, sizeof tg->value, "%s", val->str);
            }
    }
    load_selection(v, &t, a);
    load_filters(v, &t, a);
}

/* ---------------------------------------------------------------- parameters */

/* Reads node n (a map or absent) with table keys into s; false when broken (reported). */
static bool open_map(loader *v, const scn_node *n, const scn_node *owner, const ld_key *keys, const char *what,
                     ld_sect *s)
{
    *s = (ld_sect){.v = v, .owner = owner, .what = what, .keys = keys};
    if (n && !ld_sect_open(v, s, n, n, what)) {
        s->keys = keys;
        return false;
    }
    ld_sect_check(s, keys);
    return true;
}

static int get_int(const ld_sect *s, const char *key)
{
    long long x = ld_int_default(s->keys, key);
    ld_int(s, key, &x);
    return (int)x;
}

/* The document of an aws:ssm:send-command from documentArn; reported if missing or unknown. */
static void ssm_document(loader *v, const ld_sect *p, fis_action *a, const scn_node *owner, bool bare)
{
    char arn[201];
    const scn_node *n = NULL;
    if (ld_str(p, "documentArn", arn, sizeof arn, &n) <= 0) {
        if (!n && bare)
            scn_err(&v->c, owner, "aws:ssm:send-command needs parameters.documentArn (aws-semantics 12.3)");
        return;
    }
    const char *slash = strrchr(arn, '/');
    const char *doc = slash ? slash + 1 : arn;
    fis_act want = strcmp(doc, "AWSFIS-Run-CPU-Stress") == 0 ? FIS_SSM_CPU_STRESS
                   : strcmp(doc, "AWSFIS-Run-Network-Latency") == 0 ? FIS_SSM_NET_LATENCY : FIS_N_ACTS;
    if (want != FIS_N_ACTS && !bare && want != a->act)
        scn_err(&v->c, n, "documentArn names %s, the action id another document", doc);
    else if (want != FIS_N_ACTS)
        a->act = want;
    else
        scn_err(&v->c, n, "documentArn: fleetsim runs AWSFIS-Run-CPU-Stress and AWSFIS-Run-Network-Latency, found "
                "'%s'", doc);
}

static void load_params(loader *v, const ld_sect *es, fis_action *a)
{
    char what[160];
    snprintf(what, sizeof what, "parameters of %s", es->what);
    ld_sect p;
    if (!open_map(v, ld_sect_get(es, "parameters"), es->owner, param_tables[a->act], what, &p))
        return;
    sim_time_t x = 0;
    switch (a->act) {
    case FIS_EC2_STOP:
        if (param_dur(&p, "startInstancesAfterDuration", SIM_MIN, 12 * SIM_HOUR, &x) > 0)
            a->start_after = x;
        break;
    case FIS_SSM_CPU_STRESS:
    case FIS_SSM_NET_LATENCY: {
        if (param_dur(&p, "duration", SIM_MIN, 12 * SIM_HOUR, &x) == 0)
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'duration' in %s", what);
        char dwhat[200];
        snprintf(dwhat, sizeof dwhat, "documentParameters of %s", es->what);
        ld_sect d;
        const scn_node *dn = ld_sect_get(&p, "documentParameters");
        if (!dn)
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'documentParameters' (DurationSeconds) "
                    "in %s", what);
        if (!open_map(v, dn, dn ? dn : es->owner, a->act == FIS_SSM_CPU_STRESS ? doc_cpu : doc_lat, dwhat, &d) || !dn)
            break;
        a->duration = (sim_time_t)get_int(&d, "DurationSeconds") * SIM_SEC;
        if (a->act == FIS_SSM_CPU_STRESS) {
            a->cpu = get_int(&d, "CPU");
            a->load_percent = get_int(&d, "LoadPercent");
        } else {
            a->delay = (sim_time_t)get_int(&d, "DelayMilliseconds") * SIM_MS;
        }
        break;
    }
    case FIS_LAMBDA_ERROR:
    case FIS_LAMBDA_DELAY:
    case FIS_DDB_THROTTLE:
    case FIS_EVENTS_DISABLE_RULE:
    case FIS_AZ_POWER:
    case FIS_EC2_FAILURES: {
        const ld_key *row = ld_key_find(p.keys, "duration");
        int r = param_dur(&p, "duration", SIM_MIN, 12 * SIM_HOUR, &x);
        if (r > 0)
            a->duration = x;
        else if (r == 0 && row->def)
            fis_parse_duration(row->def, &a->duration, what, sizeof what);
        else if (r == 0 && (row->flags & LD_REQUIRED))
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'duration' in %s", what);
        if (a->act == FIS_LAMBDA_ERROR || a->act == FIS_LAMBDA_DELAY)
            a->percentage = get_int(&p, "invocationPercentage");
        if (a->act == FIS_DDB_THROTTLE)
            a->percentage = get_int(&p, "percentage");
        if (a->act == FIS_LAMBDA_ERROR) {
            bool b = false;
            ld_bool(&p, "preventExecution", &b);
            a->prevent_execution = b;
        }
        if (a->act == FIS_LAMBDA_DELAY)
            a->delay = (sim_time_t)get_int(&p, "startupDelayMilliseconds") * SIM_MS;
        if (a->act == FIS_AZ_POWER) {
            const scn_node *zn = NULL;
            if (ld_str(&p, "availabilityZoneIdentifier", a->zones[0], sizeof a->zones[0], &zn) > 0 &&
                ld_check_az(v, zn, a->zones[0])) {
                a->n_zones = 1;
                fis_action probe = {.rtype = FIS_RT_INSTANCE};
                if (!targets_use_zone(v->s, &probe, a->zones[0]))
                    scn_err(&v->c, zn, "the scenario matches nothing: no instance or group is in %s", a->zones[0]);
            } else if (!zn) {
                scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'availabilityZoneIdentifier' in %s",
                        what);
            }
        }
        if (a->act == FIS_EC2_FAILURES) {
            int rm = param_dur(&p, "meanTimeBetweenFailures", SIM_SEC, 0, &a->mtbf);
            if (rm == 0)
                scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'meanTimeBetweenFailures' in %s", what);
        }
        break;
    }
    case FIS_EC2_SPOT_INTERRUPT: {
        int rs = param_dur(&p, "durationBeforeInterruption", 2 * SIM_MIN, 15 * SIM_MIN, &a->before);
        if (rs == 0)
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'durationBeforeInterruption' in %s", what);
        break;
    }
    case FIS_EC2_ASG_ICE: {
        int r = param_dur(&p, "duration", SIM_MIN, 12 * SIM_HOUR, &a->duration);
        if (r == 0)
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'duration' in %s", what);
        a->percentage = get_int(&p, "percentage");
        char list[201];
        const scn_node *zn = NULL;
        if (ld_str(&p, "availabilityZoneIdentifiers", list, sizeof list, &zn) <= 0) {
            if (!zn)
                scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'availabilityZoneIdentifiers' in %s",
                        what);
            break;
        }
        for (char *save = NULL, *z = strtok_r(list, ", ", &save); z; z = strtok_r(NULL, ", ", &save)) {
            if (a->n_zones >= FIS_MAX_ZONES) {
                scn_err(&v->c, zn, "at most %d zones", FIS_MAX_ZONES);
                break;
            }
            if (!ld_check_az(v, zn, z))
                continue;
            snprintf(a->zones[a->n_zones++], sizeof a->zones[0], "%s", z);
        }
        break;
    }
    case FIS_EC2_RECLAIM_WAVE: {
        a->percentage = get_int(&p, "percentage");
        if (!ld_sect_get(&p, "percentage"))
            scn_err(&v->c, p.map ? p.map : es->owner, "missing required key 'percentage' in %s", what);
        ld_str(&p, "instanceType", a->itype, sizeof a->itype, NULL);
        const scn_node *zn = NULL;
        if (ld_str(&p, "availabilityZone", a->zones[0], sizeof a->zones[0], &zn) > 0 && ld_check_az(v, zn, a->zones[0]))
            a->n_zones = 1;
        param_dur(&p, "meanTimeBetweenWaves", SIM_MIN, 0, &a->mtbf);
        param_dur(&p, "duration", SIM_MIN, 0, &a->duration);
        break;
    }
    case FIS_EC2_TERMINATE:
    case FIS_EC2_REBOOT:
    case FIS_N_ACTS:
        break;
    }
}

/* ---------------------------------------------------------------- the entry */

bool fis_cfg_load(loader *v, const scn_node *e, size_t index, sim_time_t *at, fis_action **out)
{
    char what[128], b1[96], b2[32];
    *out = NULL;
    snprintf(what, sizeof what, "fault %zu", index);
    ld_sect s;
    if (!ld_sect_open(v, &s, e, e, what))
        return false;
    ld_sect_check(&s, entry_keys);
    char id[81];
    const scn_node *idn = NULL;
    if (ld_str(&s, "action", id, sizeof id, &idn) <= 0)
        return false;
    int k = -1;
    for (int i = 0; fis_action_ids[i]; i++)
        if (strcmp(fis_action_ids[i], id) == 0)
            k = i;
    if (k < 0) {
        if (ld_in_list(id, fis_action_later))
            scn_err(&v->c, idn, "'action': %s is not supported yet", id);
        else {
            const char *best = NULL;
            int best_d = 99;
            for (int i = 0; fis_action_ids[i]; i++)
                ld_suggest(id, fis_action_ids[i], &best, &best_d);
            scn_err(&v->c, idn, "'action': unknown FIS action '%s'%s; docs/faults.md lists the actions", id,
                    ld_hint(b1, sizeof b1, best));
        }
        return false;
    }
    fis_action *a = calloc(1, sizeof *a);
    if (!a) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return false;
    }
    a->act = k == ID_SSM ? FIS_SSM_CPU_STRESS : (fis_act)k;
    a->start_after = -1;
    snprintf(a->name, sizeof a->name, "fault-%zu", index);
    ld_str(&s, "name", a->name, sizeof a->name, NULL);
    snprintf(what, sizeof what, "fault %zu (%s)", index, id);
    s.what = what;
    int ra = ld_dur(&s, "at", at);
    if (ra > 0 && v->s->duration > 0 && *at >= v->s->duration)
        scn_err(&v->c, ld_sect_get(&s, "at"), "'at' (%s) must be before the end of the run (duration %s)",
                ld_fmt_dur(b1, sizeof b1, *at), ld_fmt_dur(b2, sizeof b2, v->s->duration));
    if (a->act == FIS_SSM_CPU_STRESS || a->act == FIS_SSM_NET_LATENCY) {
        /* Read here without a key check: load_params checks the section once. */
        ld_sect p = {.v = v, .owner = e, .what = "parameters", .keys = p_ssm};
        const scn_node *pn = ld_sect_get(&s, "parameters");
        if (pn && pn->kind == SCN_N_MAP)
            p.map = pn;
        ssm_document(v, &p, a, e, k == ID_SSM);
    }
    a->rtype = rtypes[a->act];
    load_params(v, &s, a);
    load_targets(v, &s, a);
    if (a->act == FIS_EC2_ASG_ICE || (a->act == FIS_EC2_RECLAIM_WAVE && a->n_zones)) {
        const scn_node *pn = ld_sect_get(&s, "parameters");
        ld_sect p = {.v = v, .map = pn && pn->kind == SCN_N_MAP ? pn : NULL};
        const scn_node *zn = ld_sect_get(&p, a->act == FIS_EC2_ASG_ICE ? "availabilityZoneIdentifiers" : "availabilityZone");
        for (size_t z = 0; zn && z < a->n_zones; z++)
            if (!targets_use_zone(v->s, a, a->zones[z]))
                scn_err(&v->c, zn, "the targets match nothing: none of the target groups uses %s (FIS: if no targets "
                        "are found, the experiment fails, aws-semantics 12.1)", a->zones[z]);
    }
    char fw[160];
    ld_sect f;
    if (ld_block(&s, "fleetsim", &f, fw, sizeof fw)) {
        /* Each key belongs to one action: elsewhere it would be silently ignored. */
        if (ld_sect_get(&f, "slowdown") && a->act != FIS_SSM_CPU_STRESS)
            scn_err(&v->c, ld_sect_key(&f, "slowdown"), "'slowdown' is for AWSFIS-Run-CPU-Stress, not %s", id);
        if (ld_sect_get(&f, "reboot_time") && a->act != FIS_EC2_REBOOT)
            scn_err(&v->c, ld_sect_key(&f, "reboot_time"), "'reboot_time' is for aws:ec2:reboot-instances, not %s", id);
    }
    ld_num(&f, "slowdown", &a->slowdown);
    a->reboot_time = 30 * SIM_SEC;
    ld_dur(&f, "reboot_time", &a->reboot_time);
    *out = a;
    return true;
}

void fis_free(fis_action *a) { free(a); }

void fis_cfg_keys_markdown(FILE *out)
{
    ld_keys_table(out, "`faults` entries with `action` (AWS FIS, docs/faults.md)", entry_keys);
    for (int i = 0; i < FIS_N_ACTS; i++) {
        if (param_tables[i] == p_none)
            continue;
        char t[128];
        snprintf(t, sizeof t, "`parameters` of `%s`", fis_action_ids[i]);
        ld_keys_table(out, t, param_tables[i]);
    }
    ld_keys_table(out, "`documentParameters` of AWSFIS-Run-CPU-Stress", doc_cpu);
    ld_keys_table(out, "`documentParameters` of AWSFIS-Run-Network-Latency", doc_lat);
}
