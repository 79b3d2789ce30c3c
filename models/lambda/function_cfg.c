/*
 * function_cfg.c - aws_lambda_function: memory, timeout, architecture,
 * reserved concurrency, and fleetsim's block: the code as API calls, init
 * duration, idle reclaim, injected errors and the account's concurrency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/api_script.h"
#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/lambda/function.h"
#include "models/lambda/function_cfg.h"

extern const res_type res_aws_lambda_function_event_invoke_config;
extern const res_type res_aws_lambda_function;

static const char *const archs[] = {"x86_64", "arm64", NULL};

static const char *const error_points[] = {"before_calls", "after_calls", NULL};

static const ld_key window_keys[] = {
    {.name = "at", .kind = LD_DUR, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "a duration after t = 0 or a UTC time stamp"},
    {.name = "duration", .kind = LD_DUR, .lo = "1ns", .flags = LD_REQUIRED, .source = "fleetsim", .doc = "for how long"},
    {.name = "probability", .kind = LD_NUM, .def = "1", .lo = "0", .hi = "1", .source = "fleetsim",
     .doc = "the chance a run in the window fails"},
    {.name = NULL},
};

static const ld_key fleetsim_keys[] = {
    {.name = "calls", .kind = LD_LIST, .source = "fleetsim (DESIGN 3b; docs/lambda.md)",
     .doc = "the code: API calls and compute steps (api_script.h); none: the function does nothing, instantly"},
    {.name = "retry", .kind = LD_BLOCK, .block = as_retry_keys, .source = "fleetsim (api_script.h: AWS SDK standard retries)",
     .doc = "{max_attempts, base, cap, from}: the SDK retries of the calls' retried span"},
    {.name = "init_duration", .kind = LD_DIST, .def = "{dist: lognormal, p50: 200ms, p99: 790ms}",
     .source = "fleetsim from a third-party measurement (aws-semantics 6.3: nodejs20.x, 256 MB, avg 242 ms, min 106, "
               "max 793 of 100 cold starts): median below the mean, p99 at the maximum",
     .doc = "a cold start's init phase (billed)"},
    {.name = "idle_reclaim", .kind = LD_DUR, .def = "10m", .lo = "1s", .hi = "24h",
     .source = "fleetsim: not documented by AWS, commonly observed value (aws-semantics 6.3, 2019 measurements)",
     .doc = "an environment unused this long is reclaimed"},
    {.name = "error_probability", .kind = LD_NUM, .def = "0", .lo = "0", .hi = "1", .source = "fleetsim (what-if)",
     .doc = "the chance a run that did not fail otherwise ends in a function error"},
    {.name = "error_strikes", .kind = LD_ENUM, .def = "before_calls", .values = error_points, .source = "fleetsim (what-if)",
     .doc = "when an injected error strikes: before_calls (the code fails before its calls: nothing took effect) or after_calls (its calls took effect, then it failed: retries repeat them)"},
    {.name = "errors", .kind = LD_LIST, .source = "fleetsim (what-if)",
     .doc = "windows [{at, duration, probability}] of injected function errors"},
    {.name = "invoke_throttled", .kind = LD_LIST, .source = "fleetsim (what-if; aws-semantics 6.2: 429 TooManyRequestsException)",
     .doc = "windows [{at, duration}] in which the Invoke API itself refuses with 429: EventBridge retries the delivery"},
    {.name = "account_concurrency", .kind = LD_INT, .def = "1000", .lo = "1", .hi = "1000000",
     .source = "AWS default quota (aws-semantics 6.2: 1,000 per Region)",
     .doc = "the account's concurrency limit in the region; every function that sets it must agree"},
    {.name = NULL},
};

static const ld_key fn_keys[] = {
    {.name = "function_name", .kind = LD_STR, .hi = "64", .source = "Terraform / Lambda API (64 characters)",
     .doc = "the function's AWS name (default: the resource's name)"},
    {.name = "memory_size", .kind = LD_INT, .def = "128", .lo = "128", .hi = "10240",
     .source = "Terraform / Lambda API (aws-semantics 6.1)", .doc = "MB; CPU share is memory / 1,769 MB"},
    {.name = "timeout", .kind = LD_SECONDS, .def = "3", .lo = "1", .hi = "900",
     .source = "Terraform / Lambda API (aws-semantics 6.1)", .doc = "a run still going after this is stopped: a function error"},
    {.name = "architectures", .kind = LD_LIST, .def = "[x86_64]", .source = "Terraform / Lambda API (aws-semantics 6.6)",
     .doc = "[x86_64] or [arm64]: the GB-second price"},
    {.name = "reserved_concurrent_executions", .kind = LD_INT, .def = "-1", .lo = "-1", .hi = "1000000",
     .source = "Terraform (-1: unreserved; aws-semantics 6.2)",
     .doc = "both a guarantee and a cap; 0 throttles every invocation"},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = fleetsim_keys, .source = "fleetsim",
     .doc = "fleetsim's own keys: calls, retry, init_duration, idle_reclaim, error_probability, errors, "
            "account_concurrency"},
    {.name = "runtime", .kind = LD_NOTSIM}, {.name = "handler", .kind = LD_NOTSIM}, {.name = "role", .kind = LD_NOTSIM},
    {.name = "filename", .kind = LD_NOTSIM}, {.name = "source_code_hash", .kind = LD_NOTSIM},
    {.name = "environment", .kind = LD_NOTSIM}, {.name = "layers", .kind = LD_NOTSIM},
    {.name = "description", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "tags_all", .kind = LD_NOTSIM},
    {.name = "s3_bucket", .kind = LD_NOTSIM}, {.name = "s3_key", .kind = LD_NOTSIM},
    {.name = "s3_object_version", .kind = LD_NOTSIM}, {.name = "image_uri", .kind = LD_NOTSIM},
    {.name = "package_type", .kind = LD_NOTSIM}, {.name = "publish", .kind = LD_NOTSIM},
    {.name = "kms_key_arn", .kind = LD_NOTSIM}, {.name = "tracing_config", .kind = LD_NOTSIM},
    {.name = "vpc_config", .kind = LD_NOTSIM}, {.name = "logging_config", .kind = LD_NOTSIM},
    {.name = "code_signing_config_arn", .kind = LD_NOTSIM}, {.name = "skip_destroy", .kind = LD_NOTSIM},
    {.name = "replace_security_groups_on_destroy", .kind = LD_NOTSIM},
    {.name = "replacement_security_group_ids", .kind = LD_NOTSIM}, {.name = "region", .kind = LD_NOTSIM},
    {.name = "dead_letter_config", .kind = LD_LATER}, {.name = "ephemeral_storage", .kind = LD_LATER},
    {.name = "file_system_config", .kind = LD_LATER}, {.name = "image_config", .kind = LD_LATER},
    {.name = "snap_start", .kind = LD_LATER},
    {.name = NULL},
};

/* A list of windows under key (errors, invoke_throttled) into *out. */
static void load_windows(loader *v, const ld_sect *fs, const char *key, lam_window **out, size_t *n_out)
{
    const scn_node *seq = ld_seq(fs, key, "{at, duration} windows");
    if (!seq)
        return;
    lam_window *arr = calloc(seq->n, sizeof *arr);
    if (!(*out = arr)) {
        scn_err(&v->c, seq, "out of memory");
        return;
    }
    for (size_t i = 0; i < seq->n; i++) {
        ld_sect w;
        if (!ld_sect_open(v, &w, seq->kids[i], seq->kids[i], "a window of fleetsim"))
            continue;
        ld_sect_check(&w, window_keys);
        const scn_node *where = NULL;
        lam_window win = {.probability = 1};
        if (!ld_sect_get(&w, "at"))
            scn_err(&v->c, seq->kids[i], "missing required key 'at' in a window of '%s'", key);
        else if (ld_get_when(&w, "at", &win.at, &where) < 0)
            continue;
        if (ld_dur(&w, "duration", &win.duration) <= 0)
            continue;
        ld_num(&w, "probability", &win.probability);
        arr[(*n_out)++] = win;
    }
}

static void load_arch(loader *v, const ld_sect *s, lam_cfg *c)
{
    const scn_node *n = ld_sect_get(s, "architectures");
    if (!n)
        return;
    if (n->kind != SCN_N_SEQ || n->n != 1 || n->kids[0]->kind != SCN_N_SCALAR) {
        scn_err(&v->c, n, "'architectures': expected [x86_64] or [arm64] (one architecture), found %s",
                n->kind == SCN_N_SEQ ? "another list" : scn_kind_name(n));
        return;
    }
    const char *a = n->kids[0]->str;
    if (strcmp(a, archs[0]) != 0 && strcmp(a, archs[1]) != 0) {
        char b1[96];
        scn_err(&v->c, n->kids[0], "'architectures': unknown architecture '%s'; expected x86_64 or arm64",
                scn_clip(b1, sizeof b1, a));
        return;
    }
    c->arm64 = strcmp(a, "arm64") == 0;
}

static void fn_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    lam_cfg *c = cfg;
    ld_sect b = *s, fs;
    char what[512];
    ld_sect_check(&b, fn_keys);
    snprintf(c->function_name, sizeof c->function_name, "%.64s", r->name);
    ld_str(&b, "function_name", c->function_name, sizeof c->function_name, NULL);
    long long mem = 128, res = -1;
    ld_int(&b, "memory_size", &mem);
    c->memory_mb = (int)mem;
    c->timeout = 3 * SIM_SEC;
    ld_dur(&b, "timeout", &c->timeout);
    load_arch(v, &b, c);
    ld_int(&b, "reserved_concurrent_executions", &res);
    c->reserved = (int)res;

    ld_block(&b, "fleetsim", &fs, what, sizeof what);
    as_load(&fs, "calls", false, &c->script);
    as_load_retry(&fs, &c->script);
    sim_dist_lognormal_p50_p99(&c->init, 0.200, 0.790);
    ld_dist(&fs, "init_duration", &c->init, &c->init_values);
    c->idle_reclaim = 10 * SIM_MIN;
    ld_dur(&fs, "idle_reclaim", &c->idle_reclaim);
    ld_num(&fs, "error_probability", &c->error_probability);
    int strikes = 0;
    ld_enum(&fs, "error_strikes", &strikes, NULL);
    c->error_after_calls = strikes == 1;
    load_windows(v, &fs, "errors", &c->errors, &c->n_errors);
    load_windows(v, &fs, "invoke_throttled", &c->invoke_throttled, &c->n_invoke_throttled);
    long long acct = 1000;
    ld_int(&fs, "account_concurrency", &acct);
    c->account_concurrency = (int)acct;
}

/* The node of key `name` in the fleetsim block of function i, or NULL (for messages after loading). */
static const scn_node *fleetsim_node(const loader *v, const lam_cfg *c, const char *name, bool want_key)
{
    const ld_res *r = ld_res_find(v, c->h.name);
    if (!r || !r->val || r->val->kind != SCN_N_MAP)
        return NULL;
    ld_sect s = {.v = (loader *)v, .map = r->val};
    const scn_node *f = ld_sect_get(&s, "fleetsim");
    if (!name)
        return f;
    if (!f || f->kind != SCN_N_MAP)
        return NULL;
    ld_sect fs = {.v = (loader *)v, .map = f};
    return want_key ? ld_sect_key(&fs, name) : ld_sect_get(&fs, name);
}

/* Across functions: one account limit, reservations leaving 100 unreserved (6.2), and the calls' targets. */
static void fn_finish(loader *v)
{
    size_t n = 0;
    lam_cfg *fns = ld_type_cfgs(v->s, &res_aws_lambda_function, &n);
    long long reserved = 0;
    const lam_cfg *first_set = NULL;
    for (size_t i = 0; i < n; i++) {
        const lam_cfg *c = &fns[i];
        const scn_node *an = fleetsim_node(v, c, "account_concurrency", false);
        if (an) {
            if (first_set && first_set->account_concurrency != c->account_concurrency)
                scn_err(&v->c, an, "'account_concurrency' (%d) differs from aws_lambda_function \"%s\"'s (%d): the "
                        "account has one limit", c->account_concurrency, first_set->h.name,
                        first_set->account_concurrency);
            else if (!first_set)
                first_set = c;
        }
        if (c->reserved > 0)
            reserved += c->reserved;
    }
    /* Functions that do not set it take the first one's (or AWS's default). */
    for (size_t i = 0; first_set && i < n; i++)
        fns[i].account_concurrency = first_set->account_concurrency;
    long long limit = n ? fns[0].account_concurrency : 1000;
    for (size_t i = 0; i < n && reserved > limit - 100; i++)
        if (fns[i].reserved > 0) {
            const ld_res *r = ld_res_find(v, fns[i].h.name);
            ld_sect s = {.v = v, .map = r ? r->val : NULL};
            const scn_node *k = ld_sect_get(&s, "reserved_concurrent_executions");
            scn_err(&v->c, k, "reserved_concurrent_executions: the functions reserve %lld of the account's %lld; "
                    "at most %lld (100 stay unreserved, aws-semantics 6.2)", reserved, limit, limit - 100);
            break;
        }
}

static void fn_free_cfg(void *cfg)
{
    lam_cfg *c = cfg;
    as_free(&c->script);
    free(c->init_values);
    free(c->errors);
    free(c->invoke_throttled);
}

/* ---------------------------------------------------------------- the run */

static int fn_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    size_t n = 0;
    const lam_invoke_cfg *ics = ld_type_cfgs(wb_scenario(b), &res_aws_lambda_function_event_invoke_config, &n);
    const lam_invoke_cfg *ic = NULL;
    for (size_t i = 0; i < n; i++)
        if (ics[i].function == idx)
            ic = &ics[i];
    lam_fn *f = lam_new(b, cfg, ic, err, errlen);
    if (!f)
        return -1;
    *model = f;
    return 0;
}

static void fn_free_model(void *m) { lam_free(m); }

static void fn_cost(const void *m, const void *cfg, wb *b, cost_ledger *l)
{
    (void)cfg;
    lam_bill(m, wb_scenario(b)->region, l);
}

static void fn_report(const void *m, const void *cfg, wb *b, rows *r)
{
    const lam_cfg *c = cfg;
    lam_counts k = lam_get_counts(m);
    const hist *h = lam_durations(m);
    if (rows_begin(r, "aws_lambda_function", c->h.name) != 0)
        return;
    rows_int(r, "invocations", k.invocations);
    rows_int(r, "cold_starts", k.cold_starts);
    rows_int(r, "throttles", k.throttles);
    rows_int(r, "errors", k.errors);
    rows_int(r, "retries", k.retries);
    rows_int(r, "timeouts", k.timeouts);
    rows_int(r, "on_failure", k.on_failure);
    rows_int(r, "dropped", k.dropped);
    if (h->count) {
        rows_num(r, "duration_p50_ms", (double)hist_quantile(h, 0.5) / 1e6);
        rows_num(r, "duration_p99_ms", (double)hist_quantile(h, 0.99) / 1e6);
    } else {
        rows_null(r, "duration_p50_ms");
        rows_null(r, "duration_p99_ms");
    }
    rows_int(r, "max_concurrency", k.max_concurrency);
    rows_num(r, "gb_seconds", k.gb_seconds);
    rows_num(r, "cost_usd", lam_cost(m, wb_scenario(b)->region));
}

const res_type res_aws_lambda_function = {
    .tf_type = "aws_lambda_function",
    .doc = "A Lambda function invoked asynchronously (an EventBridge target): cold and warm starts, concurrency, "
           "throttling, retries, errors and cost; its code is a list of API calls.",
    .keys = fn_keys,
    .pass = 0,
    .cfg_size = sizeof(lam_cfg),
    .arr_off = 0,
    .n_off = 0,
    .load = fn_load,
    .finish = fn_finish,
    .free_cfg = fn_free_cfg,
    .stage = WB_STAGE_FUNCTIONS,
    .build = fn_build,
    .free_model = fn_free_model,
    .cost_item = "lambda",
    .cost = fn_cost,
    .report = fn_report,
    .invoke_async = lam_invoke_async,
};
