/*
 * rule.h - an EventBridge rule at run time: it takes events from the bus,
 * matches them against its pattern (or fires on its schedule), and hands
 * each match to its targets after a delivery latency (aws-semantics 6.7).
 *
 * Prefix: evr_.
 */
#ifndef FLEETSIM_EVENT_RULE_H
#define FLEETSIM_EVENT_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/aws_event.h"
#include "models/core/build.h"
#include "models/events/rule_cfg.h"

typedef struct evr evr;
typedef struct evt evt;

/* What a rule counts, its targets' deliveries included. */
typedef struct evr_counts {
    long matched;          /* events that matched (scheduled rules: fires) while enabled */
    long disabled_drops;   /* events that matched while the rule was disabled: dropped */
    long invocations;      /* deliveries the targets' functions accepted */
    long retries;          /* delivery attempts after the first */
    long failed;           /* deliveries that ran out of attempts or age */
    long dead_lettered;    /* of those, sent to a dead-letter queue */
} evr_counts;

/* The rule of cfg on the world (its schedule, if any, starts now); NULL with err. */
evr *evr_new(wb *b, const evr_cfg *cfg, char *err, size_t errlen);
/* Frees r (not its targets). */
void evr_free(evr *r);
/* The bus offers ev to r (borrowed): matched events go to the targets. */
void evr_offer(evr *r, const aws_event *ev);
/* Adds t to r's targets; 0, or -1 out of memory. */
int evr_add_target(evr *r, evt *t);
/* True if the rule is enabled at time t (state, then fleetsim.disabled windows). */
bool evr_enabled_at(const evr *r, sim_time_t t);
/* The rule's resource name (for logs). */
const char *evr_name(const evr *r);
/* The counts, its targets' included. */
evr_counts evr_get_counts(const evr *r);

/* fleetsim:events:disable-rule: the rule is disabled over [from, until) too, as a fleetsim.disabled window (one at a time: a later call replaces it). */
void evr_fis_disable(evr *r, sim_time_t from, sim_time_t until);

#endif /* FLEETSIM_EVENT_RULE_H */
