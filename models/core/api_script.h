/*
 * api_script.h - what a Lambda function's code or an instance's boot script
 * does, declared as a sequence of AWS API calls and compute time (DESIGN 3b),
 * and the runner that plays it against the models.
 *
 * A scenario writes it as a list under `calls:` (docs/lambda.md):
 *
 *   calls:
 *     - compute: {dist: constant, value: 0.02}        # seconds of CPU at one vCPU
 *     - call: dynamodb:Scan                           # an op of the vocabulary (api.h)
 *       table: license_key_db                         # the op's target argument
 *       filter.used: "false"                          # the op's other arguments
 *       save: lic                                     # binds the first item as ${lic.<attr>}
 *       on_empty: retry                               # fail (default) | retry | continue
 *     - call: dynamodb:UpdateItem
 *       table: license_key_db
 *       key: ${lic.key}
 *       condition.used: "false"
 *       set.used: "true"
 *       set.owner: ${instance.id}
 *       on_condition_failed: retry                    # fail (default) | retry | continue
 *   retry: {max_attempts: 8, base: 50ms, cap: 2s, from: 1}   # retries restart at step `from` (1-based)
 *
 * A read with `save_all: NAME` keeps every item it returns; a step `for_each: NAME` (with `as:
 * VAR`, default `item`) runs the steps after it, to the end of the script, once per item, with
 * ${VAR.attr} bound to it (one loop per script). `next` (for on_empty / on_condition_failed /
 * on_throttled) moves on to the next item, or ends the script successfully outside a loop.
 *
 * A call or compute step may carry a guard, `when: "${n.fails} >= 3"` (==, !=, <, <=, >, >=; numbers
 * compare as numbers, other values as strings with == and != only): the step runs only when it holds,
 * as an `if` in the function's code would. A guard naming an unset variable fails the run (API_INVALID).
 *
 * Values may hold ${NAME} variables: the caller's (the event a Lambda got:
 * ${event.detail.EC2InstanceId}; the instance a boot script runs on:
 * ${instance.id}) and what earlier steps saved (${lic.key}). An unset variable
 * fails the step with API_INVALID at run time.
 *
 * Retries follow the AWS SDKs' "full jitter" backoff: before attempt k (k >= 2)
 * the run waits uniform(0, min(cap, base * 2^(k-2))).
 *
 * Prefix: as_ (api script).
 */
#ifndef FLEETSIM_API_SCRIPT_H
#define FLEETSIM_API_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/api.h"
#include "sim/sim.h"

typedef struct loader loader;
typedef struct ld_sect ld_sect;
typedef struct wb wb;

/* What a step does when its call ends in a given way. */
typedef enum as_on {
    AS_ON_FAIL = 0,   /* the script fails with that status */
    AS_ON_RETRY,      /* back off, then restart at the script's retry.from step (fails when attempts run out) */
    AS_ON_CONTINUE,   /* go on with the next step */
    AS_ON_NEXT,       /* in a for_each loop: on with the next item; elsewhere: the script ends, successfully */
} as_on;

/* A step's `when:` guard compares two values: numbers when both read as numbers, else strings (== and != only). */
typedef enum as_cmp { AS_WHEN_NONE = 0, AS_EQ, AS_NE, AS_LT, AS_LE, AS_GT, AS_GE } as_cmp;

typedef struct as_step {
    const api_op_spec *op;     /* NULL: a compute step */
    char *target;              /* the target resource's name (may hold ${...}) */
    api_arg *args;             /* owned strings (may hold ${...}) */
    size_t n_args;
    char *save;                /* NULL or the variable the first returned item is bound to */
    bool save_all;             /* save_all: every returned item, as ${NAME[k].attr}, for a for_each */
    char *for_each;            /* a loop step: the saved list it walks (NULL: not a loop) */
    char *as_var;              /* the loop's variable (${VAR.attr}), default "item" */
    as_on on_empty;            /* a read that returned no item */
    as_on on_condition_failed;
    as_on on_throttled;        /* default retry: the SDKs retry throttling */
    sim_dist compute;          /* compute step: seconds at one vCPU */
    double *compute_values;    /* owned sample of an empirical compute distribution, or NULL */
    as_cmp when;               /* AS_WHEN_NONE: always runs; else runs only when `when_l when when_r` holds */
    char *when_l, *when_r;     /* the guard's operands (may hold ${...}) */
} as_step;

typedef struct as_script {
    as_step *steps;
    size_t n_steps;
    int max_attempts;          /* of the whole retried span, >= 1 (default 10: AWS SDK standard mode retries) */
    sim_time_t base, cap;      /* backoff base and cap */
    size_t retry_from;         /* 0-based step the retries restart at */
} as_script;

/* Figures of one run, for the caller's report. */
typedef struct as_stats {
    int attempts;              /* runs of the retried span (1 + retries) */
    int calls;                 /* API calls made */
    int conditional_failures;  /* calls that ended API_CONDITION_FAILED */
    int throttles;             /* calls that ended API_THROTTLED */
    double units;              /* capacity units the calls consumed */
} as_stats;

/* ---------------------------------------------------------------- loading */

/*
 * Reads the list at key of s into out (zeroed first): each step's call against the vocabulary, its
 * arguments against the call's, a target written as a plain name against the scenario's resource
 * names and types (all known before any load op runs); 0 absent, 1 read, -1 after reporting errors
 * at their file:line:col.
 */
int as_load(const ld_sect *s, const char *key, bool required, as_script *out);
/* Reads the optional `retry:` block of s (keys: as_retry_keys in loader.h) into sc's retry fields; defaults when absent. */
void as_load_retry(const ld_sect *s, as_script *sc);
/* Frees what as_load allocated (the struct itself is the caller's). */
void as_free(as_script *sc);

/* ---------------------------------------------------------------- running */

typedef struct as_run as_run;

/* The value of variable name ("event.detail.EC2InstanceId", "instance.id") or NULL: the caller's variables. */
typedef const char *(*as_var_fn)(void *ctx, const char *name);
/* The script ended with st (API_OK when every step succeeded); stats are borrowed for the call. */
typedef void (*as_done_fn)(void *ctx, api_status st, const as_stats *stats);

/*
 * Starts sc now. Compute steps take their sampled seconds divided by cpu_share (a Lambda at
 * 1,769 MB has 1.0; aws-semantics 6.1). Calls resolve their target with wb_find at the time they
 * are made. done(ctx, ...) is called exactly once, from a kernel event, unless the run is
 * cancelled first; the run frees itself before calling done, so the caller forgets its pointer
 * then. A call naming a missing variable or target fails (API_INVALID / API_NOT_FOUND) and is
 * logged (events type "api", resource caller). rng: the caller's own stream. NULL out of memory.
 */
as_run *as_start(wb *b, const as_script *sc, gsl_rng *rng, double cpu_share, const char *caller, as_var_fn vars,
                 void *var_ctx, as_done_fn done, void *ctx);
/* Stops a run (a Lambda's timeout): no more calls start, done is never called; frees it. A call in flight still completes at its service. */
void as_cancel(as_run *r);

#endif /* FLEETSIM_API_SCRIPT_H */
