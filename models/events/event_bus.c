/*
 * event_bus.c - the default event bus (aws-semantics 1.7: events are best
 * effort; with no rule they are dropped, as on AWS).
 */
#include "models/events/event_bus.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct evb {
    evr **rules;
    size_t n, cap;
    uint64_t next_id;
};

const char *evb_next_id(evb *bus, char *buf, size_t size)
{
    snprintf(buf, size, "ev-%" PRIu64, ++bus->next_id);
    return buf;
}

static void bus_put(void *ctx, const aws_event *ev)
{
    evb *bus = ctx;
    aws_event e = *ev;
    char id[32];
    if (!e.id)
        e.id = evb_next_id(bus, id, sizeof id);
    for (size_t k = 0; k < bus->n; k++)
        evr_offer(bus->rules[k], &e);
}

int evb_add_rule(evb *bus, evr *r)
{
    if (bus->n == bus->cap) {
        size_t cap = bus->cap ? 2 * bus->cap : 8;
        evr **a = realloc(bus->rules, cap * sizeof *a);
        if (!a)
            return -1;
        bus->rules = a;
        bus->cap = cap;
    }
    bus->rules[bus->n++] = r;
    return 0;
}

static void *bus_create(wb *b, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    evb *bus = calloc(1, sizeof *bus);
    if (bus)
        wb_set_event_bus(b, bus_put, bus);
    return bus;
}

static void bus_free(void *svc)
{
    evb *bus = svc;
    if (!bus)
        return;
    free(bus->rules);
    free(bus);
}

const wb_service evb_service = {
    .name = "events",
    .cost_items = NULL,
    .create = bus_create,
    .free = bus_free,
};
