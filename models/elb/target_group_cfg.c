/*
 * target_group_cfg.c - aws_lb_target_group (alias aws_alb_target_group):
 * routing algorithm, deregistration delay, slow start and health checks.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

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

static void load_target_group(loader *v, const ld_sect *s, scn_target_group *tgr)
{
    static const char *const keys[] = {"type", "load_balancing_algorithm_type", "deregistration_delay",
                                       "slow_start", "port", "protocol", "health_check", "name", "vpc_id", NULL};
    static const char *const algs[] = {"round_robin", "least_outstanding_requests", "weighted_random",
                                       "random", NULL};
    static const char *const protos[] = {"HTTP", "HTTPS", NULL};
    char what[512], b1[32], b2[32];
    ld_sect_keys(s, keys, NULL);
    int alg = SCN_ALG_ROUND_ROBIN;
    const scn_node *alg_node = NULL;
    ld_get_enum(s, "load_balancing_algorithm_type", algs, NULL, &alg, &alg_node);
    tgr->algorithm = alg == 3 ? SCN_ALG_WEIGHTED_RANDOM : (scn_lb_algorithm)alg;
    ld_get_dur(s, "deregistration_delay", false, 300 * SIM_SEC, 0, 3600 * SIM_SEC, &tgr->deregistration_delay);
    const scn_node *ss = ld_sect_get(s, "slow_start");
    if (ld_get_dur(s, "slow_start", false, 0, 0, 900 * SIM_SEC, &tgr->slow_start) > 0 && tgr->slow_start > 0 &&
        tgr->slow_start < 30 * SIM_SEC) {
        scn_err(&v->c, ss, "'slow_start' is out of range: %s (must be 0s, which turns it off, or between 30s "
                "and 900s)", ld_fmt_dur(b1, sizeof b1, tgr->slow_start));
        tgr->slow_start = 0;
    }
    if (tgr->algorithm == SCN_ALG_LEAST_OUTSTANDING_REQUESTS && tgr->slow_start > 0) /* AWS-TG-LOR-SLOWSTART */
        scn_err(&v->c, ss, "'slow_start' cannot be combined with least_outstanding_requests (an AWS rule): "
                "use 0s or another algorithm");
    long long port;
    ld_get_int(s, "port", false, 80, 1, 65535, &port);
    tgr->port = (int)port;
    int proto;
    ld_get_enum(s, "protocol", protos, NULL, &proto, NULL);
    ld_get_str(s, "name", false, 255, NULL, 0, NULL);
    ld_get_str(s, "vpc_id", false, 255, NULL, 0, NULL);

    scn_health_check *hc = &tgr->health_check;
    *hc = (scn_health_check){.interval = 30 * SIM_SEC, .timeout = 5 * SIM_SEC, .healthy_threshold = 5,
                             .unhealthy_threshold = 2, .path = "/", .matcher = "200"};
    const scn_node *hn = ld_sect_get(s, "health_check");
    ld_sect h;
    snprintf(what, sizeof what, "health_check of %.400s", s->what);
    if (!hn || !ld_sect_open(v, &h, hn, hn, what))
        return;
    static const char *const hkeys[] = {"interval", "timeout", "healthy_threshold", "unhealthy_threshold",
                                        "path", "matcher", "protocol", NULL};
    ld_sect_keys(&h, hkeys, NULL);
    int ri = ld_get_dur(&h, "interval", false, 30 * SIM_SEC, 5 * SIM_SEC, 300 * SIM_SEC, &hc->interval);
    int rt = ld_get_dur(&h, "timeout", false, 5 * SIM_SEC, 2 * SIM_SEC, 120 * SIM_SEC, &hc->timeout);
    if (ri >= 0 && rt >= 0 && hc->timeout >= hc->interval)
        scn_err(&v->c, rt > 0 ? ld_sect_get(&h, "timeout") : ld_sect_get(&h, "interval"),
                "health_check 'timeout' (%s) must be less than 'interval' (%s)",
                ld_fmt_dur(b1, sizeof b1, hc->timeout), ld_fmt_dur(b2, sizeof b2, hc->interval));
    long long x;
    ld_get_int(&h, "healthy_threshold", false, 5, 2, 10, &x);
    hc->healthy_threshold = (int)x;
    ld_get_int(&h, "unhealthy_threshold", false, 2, 2, 10, &x);
    hc->unhealthy_threshold = (int)x;
    const scn_node *pn = NULL;
    if (ld_get_str(&h, "path", false, sizeof hc->path - 1, hc->path, sizeof hc->path, &pn) > 0 && hc->path[0] != '/')
        scn_err(&v->c, pn, "'path' must start with '/'");
    if (ld_get_str(&h, "matcher", false, sizeof hc->matcher - 1, hc->matcher, sizeof hc->matcher, &pn) > 0 &&
        !matcher_ok(hc->matcher))
        scn_err(&v->c, pn, "'matcher' must be HTTP codes 200..499 such as 200, 200,202 or 200-299");
    ld_get_enum(&h, "protocol", protos, NULL, &proto, NULL);
}


static void aws_lb_target_group_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_target_group *c = cfg;
    (void)r;
    load_target_group(v, s, c);
}

static const char *const res_aws_lb_target_group_aliases[] = {"aws_alb_target_group", NULL};

const res_type res_aws_lb_target_group = {
    .tf_type = "aws_lb_target_group",
    .aliases = res_aws_lb_target_group_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_target_group),
    .arr_off = offsetof(scenario, target_groups),
    .n_off = offsetof(scenario, n_target_groups),
    .load = aws_lb_target_group_load,
    .finish = NULL,
    .free_cfg = NULL,
};
