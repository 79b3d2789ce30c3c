/*
 * function.c - Lambda functions invoked asynchronously (aws-semantics 6.2-6.5).
 *
 * An invoke_async puts a copy of the event on the function's internal queue
 * and returns at once. Each queued event is then tried: with a free
 * execution slot (reserved concurrency if the function has it, else the
 * account's unreserved pool) it runs in an idle environment, or in a new one
 * after its init duration (a cold start); without one it is throttled and
 * tried again after 1 s, doubling up to 5 min, until maximum_event_age. A
 * function with reserved concurrency 0 sends every event straight to its
 * on-failure destination (or drops it) without retries (6.2). A run is the
 * function's `calls` played by the API-script runner with a CPU share of
 * memory / 1,769 MB (6.1); it fails when a call fails, on an injected error
 * (error_probability, errors windows) or at its timeout, which cancels it.
 * Function errors are retried maximum_retry_attempts times, 1 min after the
 * first failure and 2 min after the second (6.4); then the on-failure
 * destination gets the event, or it is dropped.
 *
 * Environments are reused most recently idle first and reclaimed after
 * idle_reclaim without use (6.3, observed value); an environment whose run
 * timed out is discarded (the next run starts cold). Billing: each run is a
 * request; its duration, init included (6.3 "billed"), rounded up to 1 ms,
 * times memory is GB-seconds (6.5, 11 item 15).
 *
 * Approximates: Lambda's scaling rate (1,000 environments per 10 s, 6.2) is
 * not modelled; the poller takes an event the moment it is queued.
 */
#include "models/lambda/function.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/ec2/instance_type.h"
#include "models/events/event_copy.h"
#include "models/lambda/lambda_account.h"

#define THROTTLE_FIRST SIM_SEC          /* 6.4: the throttle retry interval grows from 1 s ... */
#define THROTTLE_MAX (5 * SIM_MIN)      /* ... to at most 5 min */

typedef struct env {
    lam_fn *f;
    bool busy;
    sim_time_t idle_since;
    sim_evid reclaim;
} env;

typedef struct inv {
    struct inv *prev, *next;   /* the function's live invocations */
    lam_fn *f;
    evc_event ev;
    sim_time_t queued_at;
    int error_runs;            /* runs that ended in a function error */
    int throttles;             /* consecutive throttles (the backoff's exponent) */
    sim_evid timer;            /* the next attempt, the end of init, or the timeout */
    as_run *run;
    env *env;
    sim_time_t run_start, init;
    char time_text[32];
    bool fis_fail;             /* FIS invocation-error: this run fails once its code has run */
} inv;

struct lam_fn {
    const lam_cfg *cfg;
    int max_retries;
    sim_time_t max_age;
    bool on_failure, on_success;
    wb *b;
    sim *s;
    gsl_rng *rng;
    events_log *log;
    lacct *acct;
    double cpu_share;
    env **envs;
    size_t n_envs, cap_envs;
    inv *live;
    int running;
    lam_counts c;
    hist dur;
    struct {                   /* FIS actions (lam_fis_error, lam_fis_delay); until = -1: none */
        sim_time_t err_until, delay_until, delay;
        double err_p, delay_p;
        bool prevent;
    } fis;
};

static void on_attempt(sim *s, void *obj, uint64_t arg);

static const char *ev_id(const inv *v) { return v->ev.ev.id ? v->ev.ev.id : "-"; }

static void inv_free(inv *v)
{
    lam_fn *f = v->f;
    if (v->prev)
        v->prev->next = v->next;
    else
        f->live = v->next;
    if (v->next)
        v->next->prev = v->prev;
    evc_free(&v->ev);
    free(v);
}

/* The event leaves the function without success: the on-failure destination, or dropped (6.4). */
static void fail_event(inv *v, const char *why)
{
    lam_fn *f = v->f;
    if (f->on_failure)
        f->c.on_failure++;
    else
        f->c.dropped++;
    events_add(f->log, sim_now(f->s), "lambda", f->cfg->h.name, NULL, f->on_failure ? "on-failure" : "dropped",
               "event %s: %s: %s", ev_id(v), why, f->on_failure ? "sent to the on-failure destination" : "dropped");
    inv_free(v);
}

/* ---------------------------------------------------------------- environments */

static void on_reclaim(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    env *e = obj;
    lam_fn *f = e->f;
    for (size_t k = 0; k < f->n_envs; k++)
        if (f->envs[k] == e) {
            f->envs[k] = f->envs[--f->n_envs];
            break;
        }
    events_add(f->log, sim_now(f->s), "lambda", f->cfg->h.name, NULL, "reclaimed",
               "an execution environment idle for %.0f s was reclaimed (%zu left)", sim_to_sec(f->cfg->idle_reclaim),
               f->n_envs);
    free(e);
}

/* The most recently idle environment, or NULL. */
static env *idle_env(lam_fn *f)
{
    env *best = NULL;
    for (size_t k = 0; k < f->n_envs; k++)
        if (!f->envs[k]->busy && (!best || f->envs[k]->idle_since >= best->idle_since))
            best = f->envs[k];
    return best;
}

static env *new_env(lam_fn *f)
{
    if (f->n_envs == f->cap_envs) {
        size_t cap = f->cap_envs ? 2 * f->cap_envs : 8;
        env **a = realloc(f->envs, cap * sizeof *a);
        if (!a)
            return NULL;
        f->envs = a;
        f->cap_envs = cap;
    }
    env *e = calloc(1, sizeof *e);
    if (e) {
        e->f = f;
        f->envs[f->n_envs++] = e;
    }
    return e;
}

static void discard_env(lam_fn *f, env *e)
{
    for (size_t k = 0; k < f->n_envs; k++)
        if (f->envs[k] == e) {
            f->envs[k] = f->envs[--f->n_envs];
            break;
        }
    free(e);
}

/* ---------------------------------------------------------------- a run */

static double injected_error_probability(const lam_fn *f, sim_time_t now)
{
    double p = f->cfg->error_probability;
    for (size_t k = 0; k < f->cfg->n_errors; k++) {
        const lam_window *w = &f->cfg->errors[k];
        if (now >= w->at && now - w->at < w->duration && w->probability > p)
            p = w->probability;
    }
    return p;
}

/* The run of v ended (err: a function error, why says which); bills it, frees its slot, then succeeds, retries or fails the event. */
static void end_run(inv *v, bool err, bool timed_out, const char *why)
{
    lam_fn *f = v->f;
    sim_time_t now = sim_now(f->s);
    sim_time_t dur = now - v->run_start;
    hist_record(&f->dur, dur);
    f->c.gb_seconds += cost_lambda_gb_seconds(v->init + dur, f->cfg->memory_mb);
    f->running--;
    lacct_release(f->acct, f->cfg->reserved >= 0);
    if (timed_out) {
        discard_env(f, v->env);
    } else {
        v->env->busy = false;
        v->env->idle_since = now;
        v->env->reclaim = sim_after(f->s, f->cfg->idle_reclaim, on_reclaim, v->env, 0);
    }
    v->env = NULL;
    if (!err) {
        f->c.succeeded++;
        if (f->on_success)
            f->c.on_success++;
        events_add(f->log, now, "lambda", f->cfg->h.name, "running", "done", "event %s: done in %.3f s%s", ev_id(v),
                   sim_to_sec(dur), f->on_success ? " (sent to the on-success destination)" : "");
        inv_free(v);
        return;
    }
    f->c.errors++;
    v->error_runs++;
    events_add(f->log, now, "lambda", f->cfg->h.name, "running", "error", "event %s: function error after %.3f s: %s",
               ev_id(v), sim_to_sec(dur), why);
    if (v->error_runs > f->max_retries) {
        fail_event(v, "retries exhausted");
        return;
    }
    sim_time_t wait = v->error_runs == 1 ? SIM_MIN : 2 * SIM_MIN; /* 6.4: 1 min, then 2 min */
    if (now + wait - v->queued_at >= f->max_age) {
        fail_event(v, "maximum event age reached before the retry");
        return;
    }
    f->c.retries++;
    events_add(f->log, now, "lambda", f->cfg->h.name, NULL, "retry", "event %s: retry %d in %.0f s", ev_id(v),
               v->error_runs, sim_to_sec(wait));
    v->timer = sim_after(f->s, wait, on_attempt, v, 0);
}

static void on_script_done(void *ctx, api_status st, const as_stats *run_stats)
{
    (void)run_stats;
    inv *v = ctx;
    lam_fn *f = v->f;
    sim_cancel(f->s, v->timer);
    v->run = NULL;
    char why[64];
    bool err = st != API_OK;
    if (err)
        snprintf(why, sizeof why, "a call failed (status %d)", (int)st);
    double p = f->cfg->error_after_calls ? injected_error_probability(f, sim_now(f->s)) : 0;
    if (!err && v->fis_fail) {
        err = true;
        snprintf(why, sizeof why, "FIS aws:lambda:invocation-error");
    } else if (!err && p > 0 && gsl_rng_uniform(f->rng) < p) {
        err = true;
        snprintf(why, sizeof why, "injected error (probability %g)", p);
    }
    end_run(v, err, false, why);
}

static void on_timeout(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    inv *v = obj;
    as_cancel(v->run);
    v->run = NULL;
    v->f->c.timeouts++;
    end_run(v, true, true, "timeout");
}

/* The script's variables: the event it got (docs/lambda.md). */
static const char *event_var(void *ctx, const char *name)
{
    inv *v = ctx;
    const aws_event *e = &v->ev.ev;
    if (strncmp(name, "event.", 6) != 0)
        return NULL;
    name += 6;
    if (strcmp(name, "id") == 0)
        return e->id;
    if (strcmp(name, "source") == 0)
        return e->source;
    if (strcmp(name, "detail-type") == 0)
        return e->detail_type;
    if (strcmp(name, "region") == 0)
        return e->region;
    if (strcmp(name, "account") == 0)
        return e->account;
    if (strcmp(name, "time") == 0) {
        time_t t = (time_t)(wb_scenario(v->f->b)->start_epoch + e->time / SIM_SEC);
        struct tm tm;
        if (!gmtime_r(&t, &tm) || !strftime(v->time_text, sizeof v->time_text, "%Y-%m-%dT%H:%M:%SZ", &tm))
            return NULL;
        return v->time_text;
    }
    if (strncmp(name, "resources.", 10) == 0) {
        char *end;
        unsigned long k = strtoul(name + 10, &end, 10);
        return *end == '\0' && end != name + 10 && k < e->n_resources ? e->resources[k] : NULL;
    }
    if (strncmp(name, "detail.", 7) == 0)
        for (size_t k = 0; k < e->n_detail; k++)
            if (e->detail[k].key && strcmp(e->detail[k].key, name + 7) == 0)
                return e->detail[k].value;
    return NULL;
}

/* An injected error that strikes before the code's calls (error_strikes before_calls): the run fails at once. */
static void on_injected(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    inv *v = obj;
    char why[64];
    snprintf(why, sizeof why, "injected error (probability %g), before its calls",
             injected_error_probability(v->f, v->run_start));
    end_run(v, true, false, why);
}

static void on_fis_error(sim *s, void *obj, uint64_t arg);
static bool fis_strikes(lam_fn *f, sim_time_t until, double p);
static void on_code_start(sim *s, void *obj, uint64_t arg);

static void begin_run(inv *v)
{
    lam_fn *f = v->f;
    v->run_start = sim_now(f->s);
    v->fis_fail = fis_strikes(f, f->fis.err_until, f->fis.err_p);
    if (v->fis_fail && f->fis.prevent) {
        v->timer = sim_after(f->s, 0, on_fis_error, v, 0);
        return;
    }
    double p = f->cfg->error_after_calls ? 0 : injected_error_probability(f, v->run_start);
    if (p > 0 && gsl_rng_uniform(f->rng) < p) {
        v->timer = sim_after(f->s, 0, on_injected, v, 0);
        return;
    }
    v->timer = sim_after(f->s, f->cfg->timeout, on_timeout, v, 0);
    if (fis_strikes(f, f->fis.delay_until, f->fis.delay_p)) {
        /* 12.4: the delay comes before the code, is billed, and counts toward the timeout (a longer one times out). */
        if (f->fis.delay < f->cfg->timeout)
            sim_after(f->s, f->fis.delay, on_code_start, v, 0);
        return;
    }
    v->run = as_start(f->b, &f->cfg->script, f->rng, f->cpu_share, f->cfg->h.name, event_var, v, on_script_done, v);
    if (!v->run)
        sim_fail(f->s, SIM_ENOMEM);
}

static void on_init_done(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    begin_run(obj);
}

/* A free slot for f now (and takes it), under its reserved concurrency or the account's unreserved pool. */
static bool take_slot(lam_fn *f)
{
    if (f->cfg->reserved >= 0 && f->running >= f->cfg->reserved)
        return false;
    if (!lacct_acquire(f->acct, f->cfg->reserved >= 0))
        return false;
    f->running++;
    if (f->running > f->c.max_concurrency)
        f->c.max_concurrency = f->running;
    return true;
}

static void start(inv *v)
{
    lam_fn *f = v->f;
    sim_time_t now = sim_now(f->s);
    f->c.invocations++;
    v->throttles = 0;
    env *e = idle_env(f);
    if (e) {
        sim_cancel(f->s, e->reclaim);
        e->busy = true;
        v->env = e;
        v->init = 0;
        events_add(f->log, now, "lambda", f->cfg->h.name, "queued", "running", "event %s: invoke start (warm, %d "
                   "running)", ev_id(v), f->running);
        begin_run(v);
        return;
    }
    if (!(e = new_env(f))) {
        sim_fail(f->s, SIM_ENOMEM);
        return;
    }
    e->busy = true;
    v->env = e;
    f->c.cold_starts++;
    v->init = sim_from_sec(sim_dist_sample(&f->cfg->init, f->rng));
    events_add(f->log, now, "lambda", f->cfg->h.name, "queued", "running", "event %s: invoke start, cold start "
               "(init %.3f s, %d running)", ev_id(v), sim_to_sec(v->init), f->running);
    v->timer = sim_after(f->s, v->init, on_init_done, v, 0);
}

static void on_attempt(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    inv *v = obj;
    lam_fn *f = v->f;
    sim_time_t now = sim_now(s);
    if (now - v->queued_at >= f->max_age) {
        fail_event(v, "maximum event age reached");
        return;
    }
    if (f->cfg->reserved == 0) {
        f->c.throttles++;
        events_add(f->log, now, "lambda", f->cfg->h.name, NULL, "throttled",
                   "event %s: throttled (reserved concurrency 0): no retries", ev_id(v));
        fail_event(v, "reserved concurrency 0");
        return;
    }
    if (take_slot(f)) {
        start(v);
        return;
    }
    f->c.throttles++;
    sim_time_t wait = THROTTLE_FIRST;
    for (int k = 0; k < v->throttles && wait < THROTTLE_MAX; k++)
        wait *= 2;
    if (wait > THROTTLE_MAX)
        wait = THROTTLE_MAX;
    v->throttles++;
    sim_time_t at = now + wait;
    if (at > v->queued_at + f->max_age)
        at = v->queued_at + f->max_age;
    events_add(f->log, now, "lambda", f->cfg->h.name, NULL, "throttled", "event %s: throttled (%d running): retry in "
               "%.0f s", ev_id(v), f->running, sim_to_sec(at - now));
    v->timer = sim_at(s, at, on_attempt, v, 0);
}

api_status lam_invoke_async(void *model, const aws_event *ev)
{
    lam_fn *f = model;
    sim_time_t now = sim_now(f->s);
    for (size_t k = 0; k < f->cfg->n_invoke_throttled; k++) {
        const lam_window *w = &f->cfg->invoke_throttled[k];
        if (now >= w->at && now - w->at < w->duration) {
            f->c.throttles++;
            events_add(f->log, now, "lambda", f->cfg->h.name, NULL, "throttled",
                       "event %s: Invoke refused with 429 (invoke_throttled window)", ev->id ? ev->id : "-");
            return API_THROTTLED;
        }
    }
    inv *v = calloc(1, sizeof *v);
    if (!v || evc_copy(&v->ev, ev, NULL) != 0) {
        free(v);
        sim_fail(f->s, SIM_ENOMEM);
        return API_SERVICE_ERROR;
    }
    v->f = f;
    v->queued_at = sim_now(f->s);
    v->next = f->live;
    if (f->live)
        f->live->prev = v;
    f->live = v;
    v->timer = sim_after(f->s, 0, on_attempt, v, 0);
    return API_OK;
}

lam_fn *lam_new(wb *b, const lam_cfg *cfg, const lam_invoke_cfg *ic, char *err, size_t errlen)
{
    lam_fn *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->cfg = cfg;
    f->b = b;
    f->s = wb_sim(b);
    f->log = wb_events(b);
    f->max_retries = ic ? ic->max_retries : 2;          /* 6.4 defaults */
    f->max_age = ic ? ic->max_age : 21600 * SIM_SEC;
    f->on_failure = ic && ic->on_failure;
    f->on_success = ic && ic->on_success;
    f->cpu_share = cfg->memory_mb / LAM_CPU_MB;
    hist_reset(&f->dur);
    char stream[128];
    snprintf(stream, sizeof stream, "lambda/%s", cfg->h.name);
    f->rng = sim_rng(f->s, stream);
    f->acct = wb_service_get(b, &lacct_service, err, errlen);
    if (!f->rng || !f->acct) {
        free(f);
        return NULL;
    }
    return f;
}

void lam_free(lam_fn *f)
{
    if (!f)
        return;
    while (f->live) {
        if (f->live->run)
            as_cancel(f->live->run);
        inv_free(f->live);
    }
    for (size_t k = 0; k < f->n_envs; k++)
        free(f->envs[k]);
    free(f->envs);
    free(f);
}

lam_counts lam_get_counts(const lam_fn *f) { return f->c; }
const hist *lam_durations(const lam_fn *f) { return &f->dur; }
int lam_running(const lam_fn *f) { return f->running; }

int lam_limit(const lam_fn *f)
{
    return f->cfg->reserved >= 0 ? f->cfg->reserved : lacct_unreserved_limit(f->acct);
}

double lam_cost(const lam_fn *f, const char *region)
{
    const itype_services *p = itype_services_for(region);
    double gb_price = f->cfg->arm64 ? p->lambda_gb_second_arm64 : p->lambda_gb_second_x86_64;
    return (double)f->c.invocations * p->lambda_request_million / 1e6 + f->c.gb_seconds * gb_price;
}

void lam_bill(const lam_fn *f, const char *region, cost_ledger *l)
{
    const itype_services *p = itype_services_for(region);
    cost_ledger_charge(l, "lambda", "requests", "requests", (double)f->c.invocations, p->lambda_request_million / 1e6);
    cost_ledger_charge(l, "lambda", "gb_seconds", "GB-seconds", f->c.gb_seconds,
                       f->cfg->arm64 ? p->lambda_gb_second_arm64 : p->lambda_gb_second_x86_64);
}

/* ---------------------------------------------------------------- FIS actions (aws-semantics 12.4) */

/* Does a FIS fault active until `until` strike this run (probability p)? Draws only below 100%. */
static bool fis_strikes(lam_fn *f, sim_time_t until, double p)
{
    if (until < 0 || sim_now(f->s) >= until || p <= 0)
        return false;
    return p >= 1 || gsl_rng_uniform(f->rng) < p;
}

/* preventExecution: the run fails without its code. */
static void on_fis_error(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    end_run(obj, true, false, "FIS aws:lambda:invocation-error (preventExecution)");
}

/* The code starts after the FIS delay; the timeout timer already runs. */
static void on_code_start(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    inv *v = obj;
    lam_fn *f = v->f;
    v->run = as_start(f->b, &f->cfg->script, f->rng, f->cpu_share, f->cfg->h.name, event_var, v, on_script_done, v);
    if (!v->run)
        sim_fail(f->s, SIM_ENOMEM);
}

void lam_fis_error(lam_fn *f, sim_time_t until, double fraction, bool prevent_execution)
{
    f->fis.err_until = until;
    f->fis.err_p = fraction;
    f->fis.prevent = prevent_execution;
}

void lam_fis_delay(lam_fn *f, sim_time_t until, sim_time_t delay, double fraction)
{
    f->fis.delay_until = until;
    f->fis.delay = delay;
    f->fis.delay_p = fraction;
}

const char *lam_name(const lam_fn *f) { return f->cfg->h.name; }
