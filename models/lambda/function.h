/*
 * function.h - a Lambda function at run time: asynchronous invocation
 * through its internal queue, execution environments (cold and warm starts,
 * idle reclaim), reserved and account concurrency with throttling, function
 * errors and their retries, timeouts, destinations and cost (aws-semantics
 * 6.1-6.5, 11 items 14 and 15).
 *
 * Prefix: lam_.
 */
#ifndef FLEETSIM_LAMBDA_FUNCTION_H
#define FLEETSIM_LAMBDA_FUNCTION_H

#include <stddef.h>

#include "models/core/api.h"
#include "models/core/aws_event.h"
#include "models/core/build.h"
#include "models/lambda/function_cfg.h"
#include "stats/histogram.h"

typedef struct lam_fn lam_fn;

typedef struct lam_counts {
    long invocations;    /* runs started (every attempt that got an environment) */
    long cold_starts;
    long throttles;      /* attempts refused for want of concurrency */
    long errors;         /* runs that ended in a function error (timeouts included) */
    long timeouts;
    long retries;        /* function-error retries scheduled */
    long succeeded;
    long on_success;     /* successes sent to an on-success destination */
    long on_failure;     /* events sent to the on-failure destination */
    long dropped;        /* events discarded: out of retries or age, no destination */
    int max_concurrency; /* most runs at once */
    double gb_seconds;   /* billed duration x memory, 1 ms steps, init included */
} lam_counts;

/* The function of cfg (inv: its event invoke config, or NULL for the defaults); NULL with err. */
lam_fn *lam_new(wb *b, const lam_cfg *cfg, const lam_invoke_cfg *inv, char *err, size_t errlen);
/* Frees f and every pending invocation. */
void lam_free(lam_fn *f);
/* Asynchronous invocation (res_type.invoke_async): queues a copy of ev; API_OK. */
api_status lam_invoke_async(void *f, const aws_event *ev);
/* The counts so far. */
lam_counts lam_get_counts(const lam_fn *f);
/* Durations of the runs (ns, init excluded). */
const hist *lam_durations(const lam_fn *f);
/* Runs now, and the function's concurrency limit (reserved, else the account's unreserved pool). */
int lam_running(const lam_fn *f);
int lam_limit(const lam_fn *f);
/* USD: requests and GB-seconds at the region's prices for its architecture. */
double lam_cost(const lam_fn *f, const char *region);

/* Charges l with f's requests and GB-seconds so far (service "lambda": "requests", "gb_seconds"; duration in 1 ms steps). */
void lam_bill(const lam_fn *f, const char *region, cost_ledger *l);

/* FIS aws:lambda:invocation-error (12.4): until `until`, a fraction (0..1] of runs fail; prevent_execution: without running the code. */
void lam_fis_error(lam_fn *f, sim_time_t until, double fraction, bool prevent_execution);
/* FIS aws:lambda:invocation-add-delay (12.4): until `until`, a fraction of runs start their code delay later (billed, within the timeout). */
void lam_fis_delay(lam_fn *f, sim_time_t until, sim_time_t delay, double fraction);
/* The function's name. */
const char *lam_name(const lam_fn *f);

#endif /* FLEETSIM_LAMBDA_FUNCTION_H */
