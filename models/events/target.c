/*
 * target.c - EventBridge target delivery with the target's retry policy
 * (aws-semantics 6.7): EventBridge invokes the function asynchronously; a
 * throttle or a service error is retried with exponential backoff and jitter
 * until maximum_retry_attempts retries are spent or the event is older than
 * maximum_event_age_in_seconds, then the event goes to the dead-letter queue
 * (if dead_letter_config is set) or is dropped. Any other refusal
 * (a missing resource, a bad request) skips the retries.
 *
 * Approximates: EventBridge documents neither the base nor the cap of its
 * backoff; fleetsim's `fleetsim.retry_base` and `retry_cap` set them, and
 * each wait is "equal jitter": half the exponential step plus a uniform draw
 * of the other half. The event's age counts from when the rule matched it.
 */
#include "models/events/target.h"

#include <stdio.h>
#include <stdlib.h>

#include "models/core/loader.h"
#include "models/events/event_copy.h"

typedef struct delivery {
    struct delivery *prev, *next; /* the target's pending deliveries */
    evt *t;
    evc_event ev;
    sim_time_t matched_at;
    int attempts;
    const char *rule;
} delivery;

struct evt {
    const evt_cfg *cfg;
    wb *b;
    sim *s;
    gsl_rng *rng;
    const res_type *ftype;
    void *model;
    delivery *pending;
    evt_counts c;
};

static const char *status_name(api_status st)
{
    switch (st) {
    case API_OK: return "OK";
    case API_CONDITION_FAILED: return "ConditionalCheckFailed";
    case API_THROTTLED: return "throttled";
    case API_NOT_FOUND: return "not found";
    case API_SERVICE_ERROR: return "service error";
    case API_INVALID: return "invalid";
    }
    return "?";
}

static void unlink_delivery(delivery *d)
{
    if (d->prev)
        d->prev->next = d->next;
    else
        d->t->pending = d->next;
    if (d->next)
        d->next->prev = d->prev;
    evc_free(&d->ev);
    free(d);
}

static void give_up(delivery *d, const char *why)
{
    evt *t = d->t;
    t->c.failed++;
    if (t->cfg->dlq)
        t->c.dead_lettered++;
    events_add(wb_events(t->b), sim_now(t->s), "events", t->cfg->h.name, NULL, "failed",
               "rule %s: delivery of event %s to %s failed after %d attempt(s) (%s): %s", d->rule,
               d->ev.ev.id ? d->ev.ev.id : "-", t->cfg->target_id, d->attempts, why,
               t->cfg->dlq ? "sent to the dead-letter queue" : "dropped");
    unlink_delivery(d);
}

static void on_attempt(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    delivery *d = obj;
    evt *t = d->t;
    sim_time_t now = sim_now(s);
    if (d->attempts > 0)
        t->c.retries++;
    d->attempts++;
    api_status st = t->ftype->invoke_async(t->model, &d->ev.ev);
    if (st == API_OK) {
        t->c.invocations++;
        events_add(wb_events(t->b), now, "events", t->cfg->h.name, NULL, "delivered",
                   "rule %s: event %s delivered to %s (attempt %d)", d->rule, d->ev.ev.id ? d->ev.ev.id : "-",
                   t->cfg->target_id, d->attempts);
        unlink_delivery(d);
        return;
    }
    if (st != API_THROTTLED && st != API_SERVICE_ERROR) {
        give_up(d, status_name(st)); /* aws-semantics 6.7: no retries for these */
        return;
    }
    if (d->attempts > t->cfg->max_retries) {
        give_up(d, "retry attempts exhausted");
        return;
    }
    /* Equal jitter: step/2 + uniform(0, step/2), step = min(cap, base * 2^(attempts-1)). */
    sim_time_t step = t->cfg->retry_base;
    for (int k = 1; k < d->attempts && step < t->cfg->retry_cap; k++)
        step *= 2;
    if (step > t->cfg->retry_cap)
        step = t->cfg->retry_cap;
    sim_time_t wait = step / 2 + (sim_time_t)(gsl_rng_uniform(t->rng) * (double)(step - step / 2));
    if (now + wait - d->matched_at > t->cfg->max_age) {
        give_up(d, "maximum event age reached");
        return;
    }
    events_add(wb_events(t->b), now, "events", t->cfg->h.name, NULL, "retry",
               "rule %s: delivery of event %s to %s %s (attempt %d): retry in %.3f s", d->rule,
               d->ev.ev.id ? d->ev.ev.id : "-", t->cfg->target_id, status_name(st), d->attempts, sim_to_sec(wait));
    sim_after(s, wait, on_attempt, d, 0);
}

void evt_deliver(evt *t, const aws_event *ev, sim_time_t delay, const char *rule)
{
    delivery *d = calloc(1, sizeof *d);
    if (!d || evc_copy(&d->ev, ev, NULL) != 0) {
        free(d);
        sim_fail(t->s, SIM_ENOMEM);
        return;
    }
    d->t = t;
    d->rule = rule;
    d->matched_at = sim_now(t->s);
    d->next = t->pending;
    if (t->pending)
        t->pending->prev = d;
    t->pending = d;
    sim_after(t->s, delay, on_attempt, d, 0);
}

evt *evt_new(wb *b, const evt_cfg *cfg, const res_type *ftype, void *model, char *err, size_t errlen)
{
    if (!ftype || !ftype->invoke_async || !model) {
        snprintf(err, errlen, "aws_cloudwatch_event_target \"%s\": its arn names no invocable model", cfg->h.name);
        return NULL;
    }
    evt *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cfg = cfg;
    t->b = b;
    t->s = wb_sim(b);
    t->ftype = ftype;
    t->model = model;
    char stream[128];
    snprintf(stream, sizeof stream, "events/target/%s", cfg->h.name);
    if (!(t->rng = sim_rng(t->s, stream))) {
        free(t);
        return NULL;
    }
    return t;
}

void evt_free(evt *t)
{
    if (!t)
        return;
    while (t->pending)
        unlink_delivery(t->pending);
    free(t);
}

evt_counts evt_get_counts(const evt *t) { return t->c; }
