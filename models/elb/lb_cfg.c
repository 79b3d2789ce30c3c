/*
 * lb_cfg.c - aws_lb (alias aws_alb): an Application Load Balancer.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_lb(loader *v, const ld_sect *s, scn_lb *lb)
{
    static const char *const keys[] = {"type", "load_balancer_type", "default_target_group", "idle_timeout",
                                       "internal", "name", NULL};
    static const char *const lb_types[] = {"application", NULL};
    static const char *const lb_later[] = {"network", "gateway", NULL};
    (void)v;
    ld_sect_keys(s, keys, NULL);
    int t;
    ld_get_enum(s, "load_balancer_type", lb_types, lb_later, &t, NULL);
    ld_get_ref(s, "default_target_group", true, "aws_lb_target_group", &lb->target_group);
    ld_get_dur(s, "idle_timeout", false, 60 * SIM_SEC, SIM_SEC, 4000 * SIM_SEC, &lb->idle_timeout);
    bool internal;
    ld_get_bool(s, "internal", false, &internal);
    ld_get_str(s, "name", false, 255, NULL, 0, NULL);
}

/* Matcher: "200", "200,202", "200-299"; each code 200..499 (ALB's range). */

static void aws_lb_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_lb *c = cfg;
    (void)r;
    load_lb(v, s, c);
}

static const char *const res_aws_lb_aliases[] = {"aws_alb", NULL};

const res_type res_aws_lb = {
    .tf_type = "aws_lb",
    .aliases = res_aws_lb_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_lb),
    .arr_off = offsetof(scenario, lbs),
    .n_off = offsetof(scenario, n_lbs),
    .load = aws_lb_load,
    .finish = NULL,
    .free_cfg = NULL,
};
