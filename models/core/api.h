/*
 * api.h - the AWS API calls a Lambda function or an instance's boot script
 * makes (DESIGN 3b), as the caller and the serving model see them.
 *
 * Code is not simulated, its effect is: a function is a sequence of calls
 * from a small fixed vocabulary, each served by the model of the called
 * resource (a DynamoDB table, an S3 bucket, an Auto Scaling group, an EC2
 * instance, an SNS topic, a load balancer), which charges its latency,
 * errors, throttling and price. A call names its operation
 * ("dynamodb:UpdateItem"), its target model (resolved by the caller, at build
 * time from a reference or at run time by name through wb_find) and string
 * arguments whose variables the caller has already substituted.
 *
 * The vocabulary is one table per service (api_op_spec rows next to the
 * serving model), listed once in models/core/api_vocab.c; a new call is one
 * row and a serve function. docs/lambda.md documents it from the tables.
 *
 * Prefix: api_.
 */
#ifndef FLEETSIM_API_H
#define FLEETSIM_API_H

#include <stddef.h>
#include <stdio.h>

#include "sim/sim.h"

typedef enum api_status {
    API_OK = 0,
    API_CONDITION_FAILED,  /* ConditionalCheckFailedException (HTTP 400) */
    API_THROTTLED,         /* ProvisionedThroughputExceeded, ThrottlingException, 429 */
    API_NOT_FOUND,         /* no such item, object, instance or pending lifecycle action */
    API_SERVICE_ERROR,     /* 5xx, or an injected error */
    API_INVALID,           /* a bad argument at run time (an unset variable, a wrong value) */
} api_status;

#define API_MAX_ARGS 12
#define API_MAX_ATTRS 8

/* One argument or attribute: "key" -> "lic-3", "set.used" -> "true". */
typedef struct api_arg {
    const char *name;
    const char *value;
} api_arg;

/* One item (DynamoDB) or object (S3) as a read returns it: attribute -> value, strings. */
typedef struct api_item {
    api_arg attrs[API_MAX_ATTRS];
    size_t n_attrs;
} api_item;

/* One call as the serving model receives it (all of it borrowed for the duration of serve). */
typedef struct api_call {
    const char *op;          /* "dynamodb:UpdateItem" */
    void *target;            /* the serving model */
    const api_arg *args;
    size_t n_args;
    const char *caller;      /* "i-asg1-3" or the function's name: for the events log */
} api_call;

/* The answer. items are borrowed for the duration of the callback. */
typedef struct api_result {
    api_status status;
    const api_item *items;   /* reads: what was found, in the service's order */
    size_t n_items;
    double units;            /* capacity units consumed (DynamoDB), 0 elsewhere */
} api_result;

typedef void (*api_done_fn)(void *ctx, const api_result *r);

/*
 * How a model serves one operation: starts call c at the current time and
 * calls done(ctx, result) later, from a kernel event (never from inside
 * serve), exactly once. 0, or -1 if it could not start (out of memory).
 */
typedef int (*api_serve_fn)(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx);

/*
 * One operation of the vocabulary. Targets that are resources (a table, a group) have their
 * Terraform type in target_type: the caller resolves target_arg's value with wb_find (none:
 * the caller answers API_NOT_FOUND) and passes the model. Targets that are not resources
 * (instances: ec2:*) have target_type NULL: the caller passes the world (wb) as the target and
 * target_arg among the arguments; serve resolves the instance with wb_instance when the call
 * takes effect, and answers API_NOT_FOUND when there is none.
 */
typedef struct api_op_spec {
    const char *op;                  /* "dynamodb:UpdateItem" */
    const char *target_type;         /* the Terraform type that serves it ("aws_dynamodb_table") */
    const char *target_arg;          /* the argument naming the target resource ("table") */
    const char *const *args;         /* the other arguments it takes; "set." takes set.<attribute> */
    const char *const *required;     /* those it needs */
    api_serve_fn serve;
    const char *doc;                 /* one line */
} api_op_spec;

/* The whole vocabulary (api_vocab.c): every service's rows, NULL-terminated list of tables. */
extern const api_op_spec *const api_vocab[];

/* The row of op ("dynamodb:UpdateItem"), or NULL. */
const api_op_spec *api_op_find(const char *op);
/*
 * Answers a call: done(ctx, result) after delay, from a kernel event. items (n of them, may be
 * NULL) and every name and value string in them are malloc'd and now owned by the answer, freed
 * after done returns (api_items_free). 0, or -1 out of memory (items freed, done never called).
 */
int api_answer(sim *s, sim_time_t delay, api_status st, double units, api_item *items, size_t n, api_done_fn done,
               void *ctx);
/* Frees n items whose name and value strings are malloc'd, and the array. */
void api_items_free(api_item *items, size_t n);

/* Prints the vocabulary as a Markdown table (docs/scenario.md's key reference ends with it). */
void api_vocab_markdown(FILE *out);
/* The value of argument name in c, or NULL. */
const char *api_arg_get(const api_call *c, const char *name);

#endif /* FLEETSIM_API_H */
