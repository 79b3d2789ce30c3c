/*
 * event_bus.h - the account's default event bus: a service created by the
 * first EventBridge rule, installed with wb_set_event_bus so every emitter's
 * wb_put_event reaches it. It numbers events without an id ("ev-N") and
 * offers each to every rule in file order.
 *
 * Prefix: evb_.
 */
#ifndef FLEETSIM_EVENT_BUS_H
#define FLEETSIM_EVENT_BUS_H

#include "models/core/build.h"
#include "models/events/rule.h"

typedef struct evb evb;

/* The bus as a world service (build.h). */
extern const wb_service evb_service;

/* Adds r to the rules the bus offers events to; 0, or -1 out of memory. */
int evb_add_rule(evb *bus, evr *r);
/* A fresh event id ("ev-N") into buf. */
const char *evb_next_id(evb *bus, char *buf, size_t size);

#endif /* FLEETSIM_EVENT_BUS_H */
