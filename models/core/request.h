/*
 * request.h - one HTTP request as it moves client -> ALB -> instance -> back.
 *
 * Requests are the "short-lived objects" of the house: they come from a
 * sim_pool (the world's), so nothing is allocated per request after warm-up.
 * Three parties hold a request at different times and each lets go exactly
 * once:
 *   - the client (workload) from arrival until it gets a response or gives up
 *     (REQ_CLIENT_DONE);
 *   - the server side (ALB + instance) from dispatch until the instance has
 *     finished the work, or at once when the ALB never dispatched it
 *     (REQ_SERVER_DONE).
 * The ALB's own hold (idle-timeout bookkeeping) always ends before or when the
 * instance finishes, so it needs no flag of its own. Whoever sets the last
 * flag returns the request to its pool (req_release); nobody may touch it
 * afterwards.
 *
 * Deadlines (ALB idle timeout, client timeout) have a constant duration per
 * owner, so they expire in the order requests entered the owner's list: each
 * owner keeps an intrusive doubly-linked FIFO (req_fifo) and ONE kernel event
 * for its head, instead of one timer event per request (deadline.h).
 */
#ifndef FLEETSIM_REQUEST_H
#define FLEETSIM_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "stats/stats.h"
#include "sim/sim.h"

typedef struct req req;

/* The client side of a request: the ALB answers through respond (exactly once per request it accepted). */
typedef struct req_client req_client;
struct req_client {
    void (*respond)(req_client *self, req *r, stats_cause cause);
};

/*
 * The server side of a request: whoever dispatches r to a target sets
 * r->sink, and the target hands r back through done (exactly once per
 * dispatch) when it has finished r's work or can no longer do it. So targets
 * complete requests without knowing who dispatched them. Embedded in the
 * dispatcher, like req_client: nothing is allocated per request.
 */
typedef struct req_sink req_sink;
struct req_sink {
    void (*done)(req_sink *self, req *r);
};

/* Which intrusive FIFO a link belongs to. */
enum { REQ_LINK_LB = 0, REQ_LINK_CLIENT = 1, REQ_N_LINKS = 2 };

/* Request flags. */
enum {
    REQ_CLIENT_DONE = 1u << 1,  /* the client got a response or gave up */
    REQ_SERVER_DONE = 1u << 2,  /* no instance holds it (finished, or never dispatched) */
    REQ_ON_LB = 1u << 3,        /* in its ALB's idle-timeout FIFO: the ALB still waits for the target */
    REQ_ON_CLIENT = 1u << 4,    /* in its workload's client-timeout FIFO */
    REQ_TARGET_500 = 1u << 5,   /* the target answered 500 (app unhealthy): the ALB relays it (aws-semantics 4.5 HTTPCode_Target_5XX) */
    REQ_TARGET_RESET = 1u << 6, /* the target went away with r held (crash, termination): the ALB answers 502 (aws-semantics 4.4) */
};
#define REQ_DONE_MASK (REQ_CLIENT_DONE | REQ_SERVER_DONE)

typedef struct req_link {
    req *prev, *next;
} req_link;

struct req {
    sim_time_t arrival;      /* ns: when the client sent it */
    sim_time_t dispatched;   /* ns: when the ALB handed it to a target */
    double demand;           /* seconds of work on one vCPU of speed 1.0, drawn at arrival */
    req *q_next;             /* instance FIFO queue */
    req_link link[REQ_N_LINKS];
    req_client *client;      /* who gets the response */
    req_sink *sink;          /* who gets it back from the target (set at dispatch) */
    sim_pool *pool;          /* where it goes back */
    int32_t target;          /* index of the chosen target in the ALB's target group; -1 = none */
    uint32_t flags;
};

typedef struct req_fifo {
    req *head, *tail;
} req_fifo;

/* Appends r at the tail of f through link k. */
static inline void req_fifo_push(req_fifo *f, req *r, int k)
{
    r->link[k].next = NULL;
    r->link[k].prev = f->tail;
    if (f->tail)
        f->tail->link[k].next = r;
    else
        f->head = r;
    f->tail = r;
}

/* Removes r (which must be in f through link k) in O(1). */
static inline void req_fifo_unlink(req_fifo *f, req *r, int k)
{
    req *p = r->link[k].prev, *n = r->link[k].next;
    if (p)
        p->link[k].next = n;
    else
        f->head = n;
    if (n)
        n->link[k].prev = p;
    else
        f->tail = p;
    r->link[k].prev = r->link[k].next = NULL;
}

/* Sets the given REQ_*_DONE flag(s); returns r to its pool once both sides are done. */
static inline void req_release(req *r, uint32_t done)
{
    r->flags |= done;
    if ((r->flags & REQ_DONE_MASK) == REQ_DONE_MASK)
        sim_pool_put(r->pool, r);
}

#endif /* FLEETSIM_REQUEST_H */
