/*
 * lb_cfg.c - aws_lb (alias aws_alb): an Application Load Balancer.
 */
#include <stddef.h>

#include "models/core/loader.h"
#include "models/ec2/instance_type.h"
#include "models/elb/alb.h"
#include "models/elb/elb_build.h"
#include "stats/rows.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lb_types[] = {"application", NULL};
static const char *const lb_types_later[] = {"network", "gateway", NULL};

static const ld_key lb_keys[] = {
    {.name = "load_balancer_type", .kind = LD_ENUM, .def = "application", .values = lb_types, .later = lb_types_later,
     .source = "Terraform aws_lb (default application)", .doc = "only application load balancers are modelled"},
    {.name = "default_target_group", .kind = LD_REF, .source = "fleetsim",
     .doc = "the aws_lb_target_group that receives every request: a listener forwarding to it, in short (give this or an aws_lb_listener)"},
    {.name = "idle_timeout", .kind = LD_SECONDS, .def = "60", .lo = "1", .hi = "4000",
     .source = "Terraform aws_lb / ELB API (60 s)", .doc = "a target silent this long gets the client a 504"},
    {.name = "internal", .kind = LD_BOOL, .def = "false", .source = "Terraform aws_lb", .doc = "read and not simulated"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform aws_lb", .doc = "the load balancer's AWS name"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "security_groups", .kind = LD_NOTSIM}, {.name = "subnets", .kind = LD_NOTSIM},
    {.name = "subnet_mapping", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "access_logs", .kind = LD_NOTSIM},
    {.name = "connection_logs", .kind = LD_NOTSIM}, {.name = "enable_deletion_protection", .kind = LD_NOTSIM}, {.name = "ip_address_type", .kind = LD_NOTSIM},
    {.name = "drop_invalid_header_fields", .kind = LD_NOTSIM}, {.name = "enable_http2", .kind = LD_NOTSIM},
    {.name = "enable_cross_zone_load_balancing", .kind = LD_NOTSIM}, {.name = "preserve_host_header", .kind = LD_NOTSIM},
    {.name = "desync_mitigation_mode", .kind = LD_NOTSIM}, {.name = "xff_header_processing_mode", .kind = LD_NOTSIM},
    {.name = "enable_waf_fail_open", .kind = LD_NOTSIM}, {.name = "enable_tls_version_and_cipher_suite_headers", .kind = LD_NOTSIM},
    {.name = "enable_xff_client_port", .kind = LD_NOTSIM}, {.name = "client_keep_alive", .kind = LD_LATER},
    {.name = "request_bytes", .kind = LD_STR, .def = "1KiB", .hi = "32", .source = "fleetsim (HTTP Archive: a request's headers are about 0.5-1 KiB)",
     .doc = "bytes a client sends per request, headers and body, with a unit (B, KB, KiB, MB, MiB): the LCU's processed bytes"},
    {.name = "response_bytes", .kind = LD_STR, .def = "16KiB", .hi = "32", .source = "fleetsim (a small JSON or HTML answer)",
     .doc = "bytes of each answer, with a unit (B, KB, KiB, MB, MiB): the LCU's processed bytes"},
    {.name = "requests_per_connection", .kind = LD_NUM, .def = "10", .lo = "1", .hi = "1000000", .source = "fleetsim (HTTP/1.1 keep-alive)",
     .doc = "requests a client sends over one connection: new connections = requests / this; above 1 a connection "
            "stays open, idle, for idle_timeout after its last request (the LCU's active connections)"},
    {.name = NULL},
};

/* A byte size with its unit ("2KiB", "512B", "1.5MB") into *out; 0 when absent (out unchanged), 1, or -1 with an error at the key. */
static int byte_size(loader *v, const ld_sect *s, const char *key, int64_t *out)
{
    char buf[40];
    const scn_node *where = NULL;
    if (ld_str(s, key, buf, sizeof buf, &where) <= 0)
        return 0;
    static const struct { const char *unit; double bytes; } units[] = {
        {"B", 1}, {"KB", 1e3}, {"KiB", 1024}, {"MB", 1e6}, {"MiB", 1048576}, {"GB", 1e9}, {"GiB", 1073741824}};
    char *end = NULL;
    double x = strtod(buf, &end);
    for (size_t k = 0; end && end != buf && k < sizeof units / sizeof units[0]; k++)
        if (strcmp(end, units[k].unit) == 0 && x >= 0 && x * units[k].bytes <= 1e12) {
            *out = (int64_t)(x * units[k].bytes + 0.5);
            return 1;
        }
    scn_err(&v->c, where, "'%s': expected a size with a unit (B, KB, KiB, MB, MiB, GB, GiB) such as 2KiB, "
            "at most 1 TB, found '%s'", key, buf);
    return -1;
}

static void lb_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_lb *lb = cfg;
    ld_sect b = *s;
    (void)v;
    (void)r;
    ld_sect_check(&b, lb_keys);
    int t = 0;
    ld_enum(&b, "load_balancer_type", &t, NULL);
    /* -1: not given; -2: given and broken (already reported) */
    lb->target_group = -1;
    if (ld_ref(&b, "default_target_group", "aws_lb_target_group", &lb->target_group) < 0)
        lb->target_group = -2;
    ld_dur(&b, "idle_timeout", &lb->idle_timeout);
    lb->request_bytes = ALB_REQUEST_BYTES;
    lb->response_bytes = ALB_RESPONSE_BYTES;
    lb->requests_per_connection = ALB_REQUESTS_PER_CONNECTION;
    byte_size(v, &b, "request_bytes", &lb->request_bytes);
    byte_size(v, &b, "response_bytes", &lb->response_bytes);
    ld_num(&b, "requests_per_connection", &lb->requests_per_connection);
    bool internal = false;
    ld_bool(&b, "internal", &internal);
    ld_str(&b, "name", NULL, 0, NULL);
}

/* Each load balancer has default_target_group or listeners: one of the two. */
static void lb_finish(loader *v)
{
    const scenario *sc = v->s;
    for (size_t i = 0; i < sc->n_lbs; i++) {
        const scn_lb *lb = &sc->lbs[i];
        size_t n = 0;
        const scn_listener *first = NULL;
        for (size_t k = 0; k < sc->n_listeners; k++)
            if (sc->listeners[k].lb == (int)i && n++ == 0)
                first = &sc->listeners[k];
        if (lb->target_group != -1 && first)
            scn_err_at(&v->c, lb->loc.line, lb->loc.col, "aws_lb \"%s\": 'default_target_group' and aws_lb_listener "
                       "%s (line %d) both route it: keep one (default_target_group is a listener forwarding to "
                       "one target group, in short)", lb->name, first->name, first->loc.line);
        else if (lb->target_group == -1 && !first)
            scn_err_at(&v->c, lb->loc.line, lb->loc.col, "aws_lb \"%s\": no 'default_target_group' and no "
                       "aws_lb_listener: it would route nothing", lb->name);
    }
}

/* ---------------------------------------------------------------- the run */

extern const res_type res_aws_lb_target_group;

static int lb_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    const scn_lb *l = cfg;
    const scenario *sc = wb_scenario(b);
    if (l->target_group < -1 || l->target_group >= (int)sc->n_target_groups || l->idle_timeout <= 0) {
        snprintf(err, errlen, "aws_lb \"%s\": bad target group index %d or idle_timeout", l->name, l->target_group);
        return -1;
    }
    tg *g = l->target_group >= 0 ? wb_model(b, &res_aws_lb_target_group, l->target_group) : NULL;
    if (!(*model = alb_new(wb_sim(b), l->name, g, l->idle_timeout))) {
        snprintf(err, errlen, "aws_lb \"%s\": out of memory or name too long", l->name);
        return -1;
    }
    /* a scenario built in C leaves the traffic shape 0: alb_new's defaults stay */
    if (l->requests_per_connection > 0)
        alb_set_traffic(*model, l->request_bytes, l->response_bytes, l->requests_per_connection);
    return 0;
}

static void lb_free_model(void *m) { alb_free(m); }

/* ALB-hours so far, partial hours rounded up (aws-semantics 4.7); the LCU-hours come from the model's hourly counters. */
static void lb_cost(const void *model, const void *cfg, wb *b, cost_ledger *l)
{
    (void)cfg;
    const itype_services *p = itype_services_for(wb_scenario(b)->region);
    cost_ledger_charge(l, "elb", "alb_hours", "ALB-hours", (double)cost_alb_billed_hours(0, sim_now(wb_sim(b))), p->alb_hour);
    cost_ledger_charge(l, "elb", "lcu_hours", "LCU-hours", alb_lcu_hours(model, sim_now(wb_sim(b))), p->alb_lcu_hour);
}

/* The LCU bill's detail: LCU-hours, and how many clock hours each dimension set the LCU (which traffic figure drives the cost). */
static void lb_report(const void *model, const void *cfg, wb *b, rows *r)
{
    uint64_t wins[4];
    alb_lcu_wins(model, wins);
    if (rows_begin(r, "aws_lb", ((const scn_lb *)cfg)->name) != 0)
        return;
    rows_num(r, "lcu_hours", alb_lcu_hours(model, sim_now(wb_sim(b))));
    /* literals: rows keeps the key pointers (cost_lcu_dim order) */
    static const char *const keys[4] = {"hours_billed_on_new_connections", "hours_billed_on_active_connections",
                                        "hours_billed_on_processed_bytes", "hours_billed_on_rule_evaluations"};
    for (int d = 0; d < 4; d++)
        rows_int(r, keys[d], (int64_t)wins[d]);
}

static const char *const lb_aliases[] = {"aws_alb", NULL};

const res_type res_aws_lb = {
    .tf_type = "aws_lb",
    .doc = "An Application Load Balancer: it sends each request to a target of its target group.",
    .keys = lb_keys,
    .aliases = lb_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_lb),
    .arr_off = offsetof(scenario, lbs),
    .n_off = offsetof(scenario, n_lbs),
    .load = lb_load,
    .finish = lb_finish,
    .stage = WB_STAGE_LBS,
    .build = lb_build,
    .free_model = lb_free_model,
    .cost_item = "elb",
    .cost = lb_cost,
    .report = lb_report,
};
