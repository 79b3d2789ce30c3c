/*
 * target_group_cfg.c - aws_lb_target_group (alias aws_alb_target_group):
 * routing algorithm, deregistration delay, slow start and health checks.
 */
#include <stdio.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/elb/elb_build.h"
#include <stdbool.h>
#include <stdlib.h>

/* Matcher: "200", "200,202", "200-299"; each code 200..499 (ALB's range). */
static bool matcher_ok(const char *m)
{
    const char *p = m;
    for (;;) {
        long lo = 0, hi;
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
            lo = lo * 10 + (*p - '0');
        if (digits != 3 || lo < 200 || lo > 499)
            return false;
        hi = lo;
        if (*p == '-') {
            p++;
            hi = 0;
            digits = 0;
            for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
                hi = hi * 10 + (*p - '0');
            if (digits != 3 || hi < lo || hi > 499)
                return false;
        }
        if (*p == '\0')
            return true;
        if (*p++ != ',')
            return false;
    }
}

static const char *const algs[] = {"round_robin", "least_outstanding_requests", "weighted_random", "random", NULL};
static const char *const protos[] = {"HTTP", "HTTPS", NULL};
static const char *const protos_later[] = {"TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", NULL};
static const char *const hc_protos_later[] = {"TCP", NULL};
static const char *const target_types[] = {"instance", NULL};
static const char *const target_types_later[] = {"ip", "lambda", "alb", NULL};

static const ld_key hc_keys[] = {
    {.name = "interval", .kind = LD_SECONDS, .def = "30", .lo = "5", .hi = "300", .source = "Terraform and ELB API (30 s)",
     .doc = "time between two checks of one target"},
    {.name = "timeout", .kind = LD_SECONDS, .def = "5", .lo = "2", .hi = "120",
     .source = "ELB API for an HTTP ALB target group (5 s); Terraform leaves it to AWS",
     .doc = "a check with no answer this long fails; must be less than interval"},
    {.name = "healthy_threshold", .kind = LD_INT, .def = "3", .lo = "2", .hi = "10",
     .source = "Terraform (3; the ELB API's default is 5)", .doc = "consecutive successes to become healthy"},
    {.name = "unhealthy_threshold", .kind = LD_INT, .def = "3", .lo = "2", .hi = "10",
     .source = "Terraform (3; the ELB API's default is 2)", .doc = "consecutive failures to become unhealthy"},
    {.name = "path", .kind = LD_STR, .def = "/", .hi = "127", .source = "Terraform and ELB API", .doc = "must start with '/'"},
    {.name = "matcher", .kind = LD_STR, .def = "200", .hi = "63", .source = "Terraform and ELB API",
     .doc = "HTTP codes 200..499: 200, 200,202 or 200-299"},
    {.name = "protocol", .kind = LD_ENUM, .def = "HTTP", .values = protos, .later = hc_protos_later, .source = "Terraform", .doc = "read, not simulated"},
    {.name = "enabled", .kind = LD_LATER}, {.name = "port", .kind = LD_NOTSIM},
    {.name = NULL},
};

static const ld_key tg_keys[] = {
    {.name = "load_balancing_algorithm_type", .kind = LD_ENUM, .def = "round_robin", .values = algs,
     .source = "Terraform and ELB API (round_robin)", .doc = "how a target is picked (random is weighted_random)"},
    {.name = "deregistration_delay", .kind = LD_SECONDS, .def = "300", .lo = "0", .hi = "3600",
     .source = "Terraform and ELB API (300 s)", .doc = "how long a deregistering target finishes its requests"},
    {.name = "slow_start", .kind = LD_SECONDS, .def = "0", .lo = "0", .hi = "900", .source = "Terraform and ELB API (0: off)",
     .doc = "0 (off) or 30..900 s of linearly rising share for a new target"},
    {.name = "port", .kind = LD_INT, .def = "80", .lo = "1", .hi = "65535", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "protocol", .kind = LD_ENUM, .def = "HTTP", .values = protos, .later = protos_later, .source = "Terraform", .doc = "HTTP or HTTPS"},
    {.name = "target_type", .kind = LD_ENUM, .def = "instance", .values = target_types, .later = target_types_later, .source = "Terraform (instance)",
     .doc = "only instance targets are modelled"},
    {.name = "health_check", .kind = LD_BLOCK, .block = hc_keys, .source = "Terraform", .doc = "the ALB's checks of each target"},
    {.name = "name", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "the target group's AWS name"},
    {.name = "vpc_id", .kind = LD_STR, .hi = "255", .source = "Terraform", .doc = "read, not simulated"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "protocol_version", .kind = LD_NOTSIM},
    {.name = "ip_address_type", .kind = LD_NOTSIM}, {.name = "lambda_multi_value_headers_enabled", .kind = LD_NOTSIM},
    {.name = "proxy_protocol_v2", .kind = LD_NOTSIM}, {.name = "connection_termination", .kind = LD_NOTSIM}, {.name = "preserve_client_ip", .kind = LD_NOTSIM},
    {.name = "load_balancing_cross_zone_enabled", .kind = LD_NOTSIM},
    {.name = "stickiness", .kind = LD_LATER}, {.name = "load_balancing_anomaly_mitigation", .kind = LD_LATER}, {.name = "target_failover", .kind = LD_LATER},
    {.name = "target_health_state", .kind = LD_LATER}, {.name = "target_group_health", .kind = LD_LATER},
    {.name = NULL},
};

static void health_check_load(loader *v, const ld_sect *s, scn_health_check *hc)
{
    char what[512], b1[32], b2[32];
    ld_sect h;
    ld_block(s, "health_check", &h, what, sizeof what);
    int ri = ld_dur(&h, "interval", &hc->interval);
    int rt = ld_dur(&h, "timeout", &hc->timeout);
    if (ri >= 0 && rt >= 0 && hc->timeout >= hc->interval)
        scn_err(&v->c, rt > 0 ? ld_sect_get(&h, "timeout") : ld_sect_get(&h, "interval"),
                "health_check 'timeout' (%s) must be less than 'interval' (%s)",
                ld_fmt_dur(b1, sizeof b1, hc->timeout), ld_fmt_dur(b2, sizeof b2, hc->interval));
    long long x = 0;
    ld_int(&h, "healthy_threshold", &x);
    hc->healthy_threshold = (int)x;
    ld_int(&h, "unhealthy_threshold", &x);
    hc->unhealthy_threshold = (int)x;
    const scn_node *pn = NULL;
    if (ld_str(&h, "path", hc->path, sizeof hc->path, &pn) > 0 && hc->path[0] != '/')
        scn_err(&v->c, pn, "'path' must start with '/'");
    if (ld_str(&h, "matcher", hc->matcher, sizeof hc->matcher, &pn) > 0 && !matcher_ok(hc->matcher))
        scn_err(&v->c, pn, "'matcher' must be HTTP codes 200..499 such as 200, 200,202 or 200-299");
    int proto = 0;
    ld_enum(&h, "protocol", &proto, NULL);
}

static void tg_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_target_group *tgr = cfg;
    ld_sect b = *s;
    char b1[32];
    (void)r;
    ld_sect_check(&b, tg_keys);
    int alg = 0;
    ld_enum(&b, "load_balancing_algorithm_type", &alg, NULL);
    tgr->algorithm = alg == 3 ? SCN_ALG_WEIGHTED_RANDOM : (scn_lb_algorithm)alg;
    ld_dur(&b, "deregistration_delay", &tgr->deregistration_delay);
    const scn_node *ss = ld_sect_get(&b, "slow_start");
    if (ld_dur(&b, "slow_start", &tgr->slow_start) > 0 && tgr->slow_start > 0 && tgr->slow_start < 30 * SIM_SEC) {
        scn_err(&v->c, ss, "'slow_start' is out of range: %s (must be 0s, which turns it off, or between 30s "
                "and 900s)", ld_fmt_dur(b1, sizeof b1, tgr->slow_start));
        tgr->slow_start = 0;
    }
    if (tgr->algorithm == SCN_ALG_LEAST_OUTSTANDING_REQUESTS && tgr->slow_start > 0) /* AWS-TG-LOR-SLOWSTART */
        scn_err(&v->c, ss, "'slow_start' cannot be combined with least_outstanding_requests (an AWS rule): "
                "use 0s or another algorithm");
    long long port = 0;
    ld_int(&b, "port", &port);
    tgr->port = (int)port;
    int x = 0;
    ld_enum(&b, "protocol", &x, NULL);
    ld_enum(&b, "target_type", &x, NULL);
    ld_str(&b, "name", NULL, 0, NULL);
    ld_str(&b, "vpc_id", NULL, 0, NULL);
    health_check_load(v, &b, &tgr->health_check);
}

/* ---------------------------------------------------------------- the run */

extern const res_type res_aws_lb_target_group;

tg **elb_target_groups(const wb *b, size_t *n)
{
    const scenario *sc = wb_scenario(b);
    tg **a = calloc(sc->n_target_groups + 1, sizeof *a);
    if (!a)
        return NULL;
    for (size_t k = 0; k < sc->n_target_groups; k++)
        a[k] = wb_model(b, &res_aws_lb_target_group, (int)k);
    *n = sc->n_target_groups;
    return a;
}

static int tg_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    const scn_target_group *g = cfg;
    (void)idx;
    /* The target group owns its health checks, draining and slow start whatever registers its
     * targets (aws-semantics 4.2): an Auto Scaling group or aws_instance fleets (attachments). */
    if (!(*model = tg_new_cfg(wb_sim(b), g))) {
        snprintf(err, errlen, "target group \"%s\": bad health check or out of memory", g->name);
        return -1;
    }
    tg_set_events(*model, wb_events(b));
    return 0;
}

static void tg_free_model(void *m) { tg_free(m); }

static const char *const tg_aliases[] = {"aws_alb_target_group", NULL};

const res_type res_aws_lb_target_group = {
    .tf_type = "aws_lb_target_group",
    .doc = "A target group: the targets a load balancer routes to, how it picks one and how it checks them.",
    .keys = tg_keys,
    .aliases = tg_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_target_group),
    .arr_off = offsetof(scenario, target_groups),
    .n_off = offsetof(scenario, n_target_groups),
    .load = tg_load,
    .stage = WB_STAGE_TARGET_GROUPS,
    .build = tg_build,
    .free_model = tg_free_model,
};
