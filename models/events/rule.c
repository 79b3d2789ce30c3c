/*
 * rule.c - EventBridge rules: pattern matching on the bus, schedules, the
 * disabled what-if, and the hand-off to targets after a delivery latency
 * (aws-semantics 6.7).
 *
 * Approximates: a scheduled rule's event goes to its own targets only (as on
 * AWS, where scheduled events are not offered to other rules). Its rate
 * starts at t = 0 (the rule exists from the start): rate(5 minutes) fires at
 * 5, 10, 15 ... minutes; cron fires on the minute, in UTC, from the
 * scenario's start_time. The few seconds of schedule jitter AWS warns of are
 * part of the delivery latency.
 */
#include "models/events/rule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/events/event_bus.h"
#include "models/events/target.h"

struct evr {
    const evr_cfg *cfg;
    wb *b;
    sim *s;
    gsl_rng *rng;
    evb *bus;
    evt **targets;
    size_t n_targets;
    long matched, disabled_drops;
    sim_evid next_fire;
    sim_time_t fis_from, fis_until;   /* evr_fis_disable: one more disabled window, [from, until) */
};

const char *evr_name(const evr *r) { return r->cfg->h.name; }

bool evr_enabled_at(const evr *r, sim_time_t t)
{
    if (!r->cfg->enabled || (t >= r->fis_from && t < r->fis_until))
        return false;
    for (size_t k = 0; k < r->cfg->n_disabled; k++) {
        const evr_window *w = &r->cfg->disabled[k];
        if (t >= w->at && t - w->at < w->duration)
            return false;
    }
    return true;
}

/* A matched event (or a schedule's fire): counted, then handed to every target after its own latency draw. */
static void matched(evr *r, const aws_event *ev)
{
    sim_time_t now = sim_now(r->s);
    events_log *log = wb_events(r->b);
    if (!evr_enabled_at(r, now)) {
        r->disabled_drops++;
        events_add(log, now, "events", r->cfg->h.name, NULL, "dropped", "event %s (%s) matched rule %s while it "
                   "is disabled: dropped", ev->id ? ev->id : "-", ev->detail_type ? ev->detail_type : "-",
                   r->cfg->h.name);
        return;
    }
    r->matched++;
    events_add(log, now, "events", r->cfg->h.name, NULL, "matched", "event %s (%s) matched rule %s: %zu target(s)",
               ev->id ? ev->id : "-", ev->detail_type ? ev->detail_type : "-", r->cfg->h.name, r->n_targets);
    for (size_t k = 0; k < r->n_targets; k++)
        evt_deliver(r->targets[k], ev, sim_from_sec(sim_dist_sample(&r->cfg->latency, r->rng)), r->cfg->h.name);
}

void evr_offer(evr *r, const aws_event *ev)
{
    if (r->cfg->has_pattern && evp_match(&r->cfg->pattern, ev))
        matched(r, ev);
}

/* The sim time of the schedule's next fire after sim time `after` (-1: none within the run's range). */
static sim_time_t next_fire(const evr *r, sim_time_t after)
{
    int64_t epoch0 = wb_scenario(r->b)->start_epoch;
    int64_t after_s = epoch0 + (after >= 0 ? after / SIM_SEC : -1);
    int64_t t = sx_next(&r->cfg->schedule, epoch0, after_s);
    if (t < 0 || t - epoch0 > 400LL * 86400)
        return -1;
    return (t - epoch0) * SIM_SEC;
}

static void schedule_next(evr *r, sim_time_t after);

static void on_fire(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    evr *r = obj;
    const scenario *sc = wb_scenario(r->b);
    char id[32], arn[256];
    /* A scheduled event names its rule in resources, as AWS's does. */
    snprintf(arn, sizeof arn, "arn:aws:events:%s:123456789012:rule/%s", sc->region, r->cfg->rule_name);
    aws_event ev = {
        .id = evb_next_id(r->bus, id, sizeof id),
        .source = "aws.events",
        .detail_type = "Scheduled Event",
        .account = "123456789012",
        .region = sc->region,
        .time = sim_now(s),
        .resources = {arn},
        .n_resources = 1,
        .n_detail = 0,
    };
    matched(r, &ev);
    schedule_next(r, sim_now(s));
}

static void schedule_next(evr *r, sim_time_t after)
{
    sim_time_t t = next_fire(r, after);
    if (t >= 0 && t <= wb_scenario(r->b)->duration)
        r->next_fire = sim_at(r->s, t, on_fire, r, 0);
}

evr *evr_new(wb *b, const evr_cfg *cfg, char *err, size_t errlen)
{
    evr *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->cfg = cfg;
    r->b = b;
    r->s = wb_sim(b);
    char stream[128];
    snprintf(stream, sizeof stream, "events/rule/%s", cfg->h.name);
    r->rng = sim_rng(r->s, stream);
    r->bus = wb_service_get(b, &evb_service, err, errlen);
    if (!r->rng || !r->bus || evb_add_rule(r->bus, r) != 0) {
        free(r);
        return NULL;
    }
    if (cfg->has_schedule)
        schedule_next(r, -1);
    return r;
}

void evr_free(evr *r)
{
    if (!r)
        return;
    free(r->targets);
    free(r);
}

int evr_add_target(evr *r, evt *t)
{
    evt **a = realloc(r->targets, (r->n_targets + 1) * sizeof *a);
    if (!a)
        return -1;
    r->targets = a;
    r->targets[r->n_targets++] = t;
    return 0;
}

evr_counts evr_get_counts(const evr *r)
{
    evr_counts c = {.matched = r->matched, .disabled_drops = r->disabled_drops};
    for (size_t k = 0; k < r->n_targets; k++) {
        evt_counts t = evt_get_counts(r->targets[k]);
        c.invocations += t.invocations;
        c.retries += t.retries;
        c.failed += t.failed;
        c.dead_lettered += t.dead_lettered;
    }
    return c;
}

void evr_fis_disable(evr *r, sim_time_t from, sim_time_t until)
{
    r->fis_from = from;
    r->fis_until = until;
}
