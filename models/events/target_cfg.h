/*
 * target_cfg.h - aws_cloudwatch_event_target as the loader validates it: the
 * rule, the Lambda function it invokes, the retry policy and whether a
 * dead-letter queue catches what fails.
 *
 * Prefix: evt_ (with target.h).
 */
#ifndef FLEETSIM_EVENT_TARGET_CFG_H
#define FLEETSIM_EVENT_TARGET_CFG_H

#include <stdbool.h>

#include "models/core/scenario.h"
#include "sim/sim.h"

typedef struct res_type res_type;

typedef struct evt_cfg {
    scn_res_head h;             /* first: the loader's name and position */
    int rule;                   /* index of the aws_cloudwatch_event_rule */
    const res_type *fn_type;    /* the type of the arn's resource (it has invoke_async) */
    int fn;                     /* its index */
    char target_id[65];
    sim_time_t max_age;         /* retry_policy.maximum_event_age_in_seconds */
    int max_retries;            /* retry_policy.maximum_retry_attempts */
    bool dlq;                   /* dead_letter_config.arn given */
    sim_time_t retry_base, retry_cap; /* fleetsim: the backoff EventBridge does not document */
} evt_cfg;

#endif /* FLEETSIM_EVENT_TARGET_CFG_H */
