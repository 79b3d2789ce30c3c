/*
 * deadline.h - one owner's request deadlines (ALB idle timeout, client
 * timeout) with one kernel event, not one per request.
 *
 * Every request of an owner gets the same timeout, counted from a start time
 * the request carries (r->dispatched for the ALB, r->arrival for the client)
 * that is "now" when it is pushed, so deadlines expire in push order. The
 * requests sit in an intrusive FIFO (req_fifo, through link[link]) with the
 * owner's REQ_ON_* flag set, and one event is armed for the head; when it
 * fires it expires every overdue head and re-arms for the next. Removing a
 * request (it was answered in time) is O(1) and leaves the event alone: it
 * fires later, finds nothing due and re-arms. The struct lives inside its
 * owner, so nothing is allocated.
 */
#ifndef FLEETSIM_DEADLINE_H
#define FLEETSIM_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/core/request.h"
#include "sim/sim.h"

/* Called for each request whose deadline passed, already out of the FIFO with its flag cleared. */
typedef void (*deadline_fn)(void *ctx, req *r);

/* Fields are private to deadline.c; public so an owner can embed one. */
typedef struct deadline {
    sim *s;
    req_fifo fifo;           /* pending, in start order */
    sim_time_t timeout;
    size_t start_off;        /* offsetof(req, <start time field>) */
    int link;                /* REQ_LINK_* */
    uint32_t flag;           /* REQ_ON_*: set while in the FIFO */
    bool armed;              /* the head event is scheduled */
    deadline_fn expire;
    void *ctx;
} deadline;

/* Sets up an empty d: deadlines at the sim_time_t at start_off in req plus timeout (> 0), FIFO through link, flag marks membership; expire(ctx, r) is called for each expired request. */
void deadline_init(deadline *d, sim *s, sim_time_t timeout, size_t start_off, int link, uint32_t flag,
                   deadline_fn expire, void *ctx);

/* Adds r (its start time = now) at the tail, arming the event if none is pending. */
void deadline_push(deadline *d, req *r);

/* Takes r out if it is pending (flag set): true, or false if it was not (already expired or removed). */
bool deadline_remove(deadline *d, req *r);

/* The oldest pending request (NULL if none); walk on with r->link[link].next. */
static inline req *deadline_head(const deadline *d) { return d->fifo.head; }

#endif /* FLEETSIM_DEADLINE_H */
