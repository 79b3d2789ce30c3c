/*
 * alb.c - an Application Load Balancer: route, dispatch, idle timeout.
 *
 * Approximates (aws-semantics.md 4.3, 4.4, 11 item 7):
 *  - 503 when the target group has no registered targets, given at once;
 *  - 504 when the target has not answered within the load balancer's
 *    idle_timeout (default 60 s) after dispatch, given at that instant. The
 *    target is not told: it still finishes the work (and stays busy), and its
 *    answer is then dropped. The ALB stops counting the request as
 *    outstanding at the target when it gives the 504, as it has closed that
 *    exchange;
 *  - if the client has already given up (460), the ALB still waits for the
 *    target, so the target's outstanding count keeps reflecting real work.
 *
 * Leaves out: the ALB's own processing latency (zero), connection setup and
 * the 10 s connection timeout, listener rules beyond the default action,
 * LCU accounting (cost.c bills ALB-hours only), several nodes per AZ.
 *
 * Timeouts: every request gets the same idle timeout, so deadlines expire in
 * dispatch order. Pending requests sit in one intrusive FIFO and a single
 * kernel event is armed for the head; when it fires it expires every overdue
 * head and re-arms for the next one. A target answer unlinks in O(1) and
 * leaves the event alone (it fires later, finds nothing due, re-arms). So a
 * request costs no timer event of its own.
 *
 * Units: ns. Source: ../shared/reference/aws-semantics.md sections 4.3, 4.4.
 */
#include "models/alb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct alb {
    sim *s;
    tg *g;
    gsl_rng *route;
    sim_time_t idle_timeout;
    req_fifo pending;        /* dispatched, target not yet answered, in dispatch order */
    bool armed;              /* the head event is scheduled */
    uint64_t count[STATS_N_CAUSES];
    char *name;
};

static void answer(alb *lb, req *r, stats_cause c)
{
    lb->count[c]++;
    r->client->respond(r->client, r, c);
}

static void arm(alb *lb, sim_time_t when);

static void on_deadline(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    alb *lb = obj;
    sim_time_t now = sim_now(s);
    lb->armed = false;
    req *r;
    while ((r = lb->pending.head) && r->dispatched + lb->idle_timeout <= now) {
        req_fifo_unlink(&lb->pending, r, REQ_LINK_LB);
        r->flags &= ~(uint32_t)REQ_ON_LB;
        tg_outstanding_dec(lb->g, r->target);
        answer(lb, r, STATS_504_TIMEOUT);  /* the instance still holds r */
    }
    if (r)
        arm(lb, r->dispatched + lb->idle_timeout);
}

static void arm(alb *lb, sim_time_t when)
{
    if (lb->armed)
        return;
    lb->armed = true;
    sim_at(lb->s, when, on_deadline, lb, 0);
}

alb *alb_new(sim *s, const char *name, tg *g, sim_time_t idle_timeout)
{
    if (!g || idle_timeout <= 0)
        return NULL;
    alb *lb = calloc(1, sizeof *lb);
    if (!lb)
        return NULL;
    const char *nm = name ? name : "";
    size_t n = strlen(nm) + 1;
    char stream[160];
    lb->name = malloc(n);
    if (!lb->name || snprintf(stream, sizeof stream, "alb.%s/route", nm) >= (int)sizeof stream) {
        alb_free(lb);
        return NULL;
    }
    memcpy(lb->name, nm, n);
    lb->route = sim_rng(s, stream);
    if (!lb->route) {
        alb_free(lb);
        return NULL;
    }
    lb->s = s;
    lb->g = g;
    lb->idle_timeout = idle_timeout;
    return lb;
}

void alb_free(alb *lb)
{
    if (!lb)
        return;
    free(lb->name);
    free(lb);
}

void alb_submit(alb *lb, req *r)
{
    int t = tg_pick(lb->g, lb->route);
    r->lb = lb;
    r->target = t;
    if (t < 0) {
        r->flags |= REQ_SERVER_DONE;  /* never dispatched: nobody on the server side holds it */
        answer(lb, r, STATS_503_NO_TARGET);
        return;
    }
    sim_time_t now = sim_now(lb->s);
    r->dispatched = now;
    r->flags |= REQ_ON_LB;
    req_fifo_push(&lb->pending, r, REQ_LINK_LB);
    tg_outstanding_inc(lb->g, t);
    if (!lb->armed)
        arm(lb, now + lb->idle_timeout);
    ec2_submit(tg_target(lb->g, t), r);
}

void alb_on_target_done(void *ctx, req *r)
{
    (void)ctx;
    alb *lb = r->lb;
    if (!(r->flags & REQ_ON_LB))
        return;  /* already answered 504: the late answer is dropped */
    req_fifo_unlink(&lb->pending, r, REQ_LINK_LB);
    r->flags &= ~(uint32_t)REQ_ON_LB;
    tg_outstanding_dec(lb->g, r->target);
    answer(lb, r, STATS_OK);
}

uint64_t alb_count(const alb *lb, stats_cause c) { return lb->count[c]; }
const char *alb_name(const alb *lb) { return lb->name; }
tg *alb_target_group(const alb *lb) { return lb->g; }
