/*
 * target.h - an EventBridge target at run time: delivers each event its rule
 * hands it to a Lambda function's invoke_async, retrying throttles and
 * service errors with exponential backoff and jitter until the retry policy's
 * attempts or event age run out (aws-semantics 6.7, 11 item 14).
 *
 * Prefix: evt_.
 */
#ifndef FLEETSIM_EVENT_TARGET_H
#define FLEETSIM_EVENT_TARGET_H

#include <stddef.h>

#include "models/core/aws_event.h"
#include "models/core/build.h"
#include "models/events/target_cfg.h"

typedef struct evt evt;

typedef struct evt_counts {
    long invocations, retries, failed, dead_lettered;
} evt_counts;

/* The target of cfg, invoking model through ftype's invoke_async; NULL with err. */
evt *evt_new(wb *b, const evt_cfg *cfg, const res_type *ftype, void *model, char *err, size_t errlen);
/* Frees t and the deliveries still pending. */
void evt_free(evt *t);
/* Delivers ev (copied) after delay; the rule's name is for logs. */
void evt_deliver(evt *t, const aws_event *ev, sim_time_t delay, const char *rule);
/* The counts so far. */
evt_counts evt_get_counts(const evt *t);

#endif /* FLEETSIM_EVENT_TARGET_H */
