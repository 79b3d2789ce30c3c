/*
 * invoke_config_cfg.c - aws_lambda_function_event_invoke_config: a
 * function's asynchronous retries, event age and destinations (aws-semantics
 * 6.4). It builds nothing: the function reads it when it is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/lambda/function_cfg.h"

extern const res_type res_aws_lambda_function_event_invoke_config;

static const ld_key dest_keys[] = {
    {.name = "destination", .kind = LD_STR, .hi = "1600", .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "an SQS queue, SNS topic, Lambda function or event bus ARN: fleetsim counts what goes there"},
    {.name = NULL},
};

static const ld_key dests_keys[] = {
    {.name = "on_failure", .kind = LD_BLOCK, .block = dest_keys, .source = "Terraform",
     .doc = "{destination}: events that fail past their retries or age"},
    {.name = "on_success", .kind = LD_BLOCK, .block = dest_keys, .source = "Terraform",
     .doc = "{destination}: events whose run succeeded"},
    {.name = NULL},
};

static const ld_key ic_keys[] = {
    {.name = "function_name", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the aws_lambda_function (its name, or aws_lambda_function.NAME.function_name)"},
    {.name = "maximum_retry_attempts", .kind = LD_INT, .def = "2", .lo = "0", .hi = "2",
     .source = "Terraform / Lambda API (aws-semantics 6.4)", .doc = "retries after a function error"},
    {.name = "maximum_event_age_in_seconds", .kind = LD_SECONDS, .def = "21600", .lo = "60", .hi = "21600",
     .source = "Terraform / Lambda API (aws-semantics 6.4: 6 h)", .doc = "older events are discarded"},
    {.name = "destination_config", .kind = LD_BLOCK, .block = dests_keys, .source = "Terraform",
     .doc = "on_failure and on_success destinations (counted)"},
    {.name = "qualifier", .kind = LD_NOTSIM}, {.name = "region", .kind = LD_NOTSIM},
    {.name = NULL},
};

static void ic_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    lam_invoke_cfg *c = cfg;
    ld_sect b = *s, d, x;
    char what[512], what2[600];
    (void)r;
    ld_sect_check(&b, ic_keys);
    c->function = -1;
    const scn_node *fn = ld_sect_need(&b, "function_name", true);
    if (fn && fn->kind == SCN_N_SCALAR) {
        /* Terraform writes aws_lambda_function.NAME.function_name: the reference is NAME. */
        const char *suffix = ".function_name";
        size_t len = strlen(fn->str), sl = strlen(suffix);
        scn_node tmp = *fn;
        char *cut = NULL;
        if (len > sl && strcmp(fn->str + len - sl, suffix) == 0 && (cut = malloc(len - sl + 1))) {
            memcpy(cut, fn->str, len - sl);
            cut[len - sl] = '\0';
            tmp.str = cut;
        }
        ld_resolve(v, &tmp, "function_name", "aws_lambda_function", &c->function);
        free(cut);
    } else if (fn) {
        ld_resolve(v, fn, "function_name", "aws_lambda_function", &c->function);
    }
    long long tries = 2;
    ld_int(&b, "maximum_retry_attempts", &tries);
    c->max_retries = (int)tries;
    c->max_age = 21600 * SIM_SEC;
    ld_dur(&b, "maximum_event_age_in_seconds", &c->max_age);
    if (ld_block(&b, "destination_config", &d, what, sizeof what)) {
        c->on_failure = ld_block(&d, "on_failure", &x, what2, sizeof what2);
        if (c->on_failure)
            ld_str(&x, "destination", NULL, 0, NULL);
        c->on_success = ld_block(&d, "on_success", &x, what2, sizeof what2);
        if (c->on_success)
            ld_str(&x, "destination", NULL, 0, NULL);
    }
}

/* One config per function, as AWS allows one per function and qualifier. */
static void ic_finish(loader *v)
{
    size_t n = 0;
    lam_invoke_cfg *ics = ld_type_cfgs(v->s, &res_aws_lambda_function_event_invoke_config, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (ics[i].function >= 0 && ics[i].function == ics[j].function) {
                scn_err_at(&v->c, ics[i].h.loc.line, ics[i].h.loc.col, "aws_lambda_function_event_invoke_config "
                           "\"%s\": its function already has one (\"%s\")", ics[i].h.name, ics[j].h.name);
                break;
            }
}

const res_type res_aws_lambda_function_event_invoke_config = {
    .tf_type = "aws_lambda_function_event_invoke_config",
    .doc = "A Lambda function's asynchronous invocation settings: retries, maximum event age, destinations.",
    .keys = ic_keys,
    .pass = 0,
    .cfg_size = sizeof(lam_invoke_cfg),
    .arr_off = 0,
    .n_off = 0,
    .load = ic_load,
    .finish = ic_finish,
};
