/*
 * function_cfg.h - aws_lambda_function and
 * aws_lambda_function_event_invoke_config as the loader validates them.
 *
 * Prefix: lam_ (with function.h).
 */
#ifndef FLEETSIM_LAMBDA_FUNCTION_CFG_H
#define FLEETSIM_LAMBDA_FUNCTION_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/api_script.h"
#include "models/core/scenario.h"
#include "sim/sim.h"

#define LAM_CPU_MB 1769.0          /* memory at which a function has one vCPU (aws-semantics 6.1) */

/* A stretch during which invocations fail with the given probability (fleetsim.errors). */
typedef struct lam_window {
    sim_time_t at, duration;
    double probability;
} lam_window;

typedef struct lam_cfg {
    scn_res_head h;                /* first: the loader's name and position */
    char function_name[65];
    int memory_mb;                 /* memory_size */
    sim_time_t timeout;
    bool arm64;                    /* architectures [arm64] */
    int reserved;                  /* reserved_concurrent_executions; -1 unreserved */
    as_script script;              /* fleetsim.calls and fleetsim.retry */
    sim_dist init;                 /* fleetsim.init_duration, seconds */
    double *init_values;
    sim_time_t idle_reclaim;
    double error_probability;
    bool error_after_calls;        /* fleetsim.error_strikes after_calls: injected errors strike once the calls took effect */
    lam_window *errors;
    size_t n_errors;
    lam_window *invoke_throttled;  /* fleetsim.invoke_throttled: the Invoke API answers 429 */
    size_t n_invoke_throttled;
    int account_concurrency;       /* fleetsim.account_concurrency: the same in every function */
} lam_cfg;

/* aws_lambda_function_event_invoke_config: the function's asynchronous invocation settings. */
typedef struct lam_invoke_cfg {
    scn_res_head h;
    int function;                  /* index of the aws_lambda_function */
    int max_retries;               /* maximum_retry_attempts 0..2 */
    sim_time_t max_age;            /* maximum_event_age_in_seconds */
    bool on_failure, on_success;   /* destination_config destinations given */
} lam_invoke_cfg;

#endif /* FLEETSIM_LAMBDA_FUNCTION_CFG_H */
