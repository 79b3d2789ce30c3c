/*
 * rule_cfg.h - aws_cloudwatch_event_rule as the loader validates it: an event
 * pattern or a schedule, its state, and fleetsim's delivery latency and
 * disabled windows (the what-if "the rule disabled for an hour").
 *
 * Prefix: evr_ (with rule.h).
 */
#ifndef FLEETSIM_EVENT_RULE_CFG_H
#define FLEETSIM_EVENT_RULE_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/scenario.h"
#include "models/events/event_pattern.h"
#include "models/events/schedule_expr.h"
#include "sim/sim.h"

/* A stretch [at, at + duration) during which the rule is disabled. */
typedef struct evr_window {
    sim_time_t at, duration;
} evr_window;

typedef struct evr_cfg {
    scn_res_head h;             /* first: the loader's name and position */
    char rule_name[65];         /* `name` (AWS allows 64), or the resource's name */
    bool has_pattern;           /* exactly one of pattern and schedule */
    evp pattern;
    bool has_schedule;
    sx_expr schedule;
    char schedule_text[257];
    bool enabled;               /* state ENABLED (or is_enabled true) */
    sim_dist latency;           /* fleetsim.delivery_latency, seconds */
    double *latency_values;     /* an empirical latency's sample (owned) */
    evr_window *disabled;       /* fleetsim.disabled */
    size_t n_disabled;
} evr_cfg;

#endif /* FLEETSIM_EVENT_RULE_CFG_H */
