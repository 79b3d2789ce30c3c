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
 *  - 502 (4.4) when the target goes away with the request outstanding: the
 *    instance crashed or was terminated (it hands r back with
 *    REQ_TARGET_RESET), or the target group's deregistration delay expired
 *    (alb_expire, called by the group: every request this ALB still has
 *    outstanding at that target is answered 502 at that instant, 4.3, 11.11;
 *    the instance keeps the work, as after a 504);
 *  - 500 relayed when the target answered 500 (REQ_TARGET_500, an
 *    app-unhealthy instance): a target 5XX, not an ELB one (4.5).
 *
 * CloudWatch (4.5): cumulative counters (RequestCount = requests a target
 * was chosen for, counted at dispatch; answers by cause, counted when given)
 * and a TargetResponseTime histogram (dispatch -> target answer, ns; only
 * answers that came from the target: 2xx and target 500, as the access log's
 * target_processing_time is -1 otherwise). alb_sample reports each metric's
 * change since that metric's previous sample, so several metrics sampled for
 * one period do not reset each other; the histogram is double-buffered and
 * swapped by the TargetResponseTime sample. Per request this is one counter
 * increment and one hist_record.
 *
 * Leaves out: the ALB's own processing latency (zero), connection setup and
 * the 10 s connection timeout, listener rules beyond the default action,
 * LCU accounting (cost.c bills ALB-hours only), several nodes per AZ,
 * HTTPCode_Target_2XX/3XX/4XX and HTTPCode_ELB_4XX (460 is the client's).
 *
 * Timeouts: every request gets the same idle timeout, so deadlines expire in
 * dispatch order: one deadline FIFO (deadline.h) with a single kernel event,
 * so a request costs no timer event of its own.
 *
 * Units: ns (metrics: seconds, counts). Source:
 * ../shared/reference/aws-semantics.md sections 4.3, 4.4, 4.5.
 */
#include "models/elb/alb.h"

#include "models/core/deadline.h"

#include <stdio.h>
#include <stdlib.h>

struct alb {
    req_sink port;           /* first member: on_target_done gets the alb back from it */
    sim *s;
    tg *g;
    gsl_rng *route;
    deadline pending;        /* dispatched, target not yet answered: idle-timeout deadlines */
    uint64_t count[STATS_N_CAUSES];
    uint64_t requests;       /* RequestCount so far: a target was chosen */
    uint64_t mark[SCN_M_N];  /* each metric's cumulative count at its previous sample */
    int trt_cur;             /* which of trt[] records now */
    hist trt[2];             /* TargetResponseTime, ns: recording / last sampled */
};

static void answer(alb *lb, req *r, stats_cause c)
{
    lb->count[c]++;
    r->client->respond(r->client, r, c);
}

static void alb_expire(void *ctx, tg *g, int idx);
static void on_target_done(req_sink *self, req *r);

/* deadline_fn: the idle timeout passed before the target answered. */
static void on_idle_timeout(void *ctx, req *r)
{
    alb *lb = ctx;
    tg_outstanding_dec(lb->g, r->target);
    answer(lb, r, STATS_504_TIMEOUT);  /* the instance still holds r */
}

alb *alb_new(sim *s, const char *name, tg *g, sim_time_t idle_timeout)
{
    if (!g || idle_timeout <= 0)
        return NULL;
    alb *lb = calloc(1, sizeof *lb);
    if (!lb)
        return NULL;
    char stream[SCN_STREAM_SIZE];
    if (snprintf(stream, sizeof stream, "alb.%s/route", name ? name : "") >= (int)sizeof stream) {
        alb_free(lb);
        return NULL;
    }
    lb->route = sim_rng(s, stream);
    if (!lb->route) {
        alb_free(lb);
        return NULL;
    }
    lb->port.done = on_target_done;
    lb->s = s;
    lb->g = g;
    deadline_init(&lb->pending, s, idle_timeout, offsetof(req, dispatched), REQ_LINK_LB, REQ_ON_LB,
                  on_idle_timeout, lb);
    hist_reset(&lb->trt[0]);
    hist_reset(&lb->trt[1]);
    if (tg_attach_lb(g, alb_expire, lb) != 0) {
        lb->g = NULL;
        alb_free(lb);
        return NULL;
    }
    return lb;
}

void alb_free(alb *lb)
{
    if (!lb)
        return;
    if (lb->g)
        tg_detach_lb(lb->g, lb);
    free(lb);
}

void alb_submit(alb *lb, req *r)
{
    int t = tg_pick(lb->g, lb->route);
    r->sink = &lb->port;
    r->target = t;
    if (t < 0) {
        r->flags |= REQ_SERVER_DONE;  /* never dispatched: nobody on the server side holds it */
        answer(lb, r, STATS_503_NO_TARGET);
        return;
    }
    sim_time_t now = sim_now(lb->s);
    lb->requests++;
    r->dispatched = now;
    tg_outstanding_inc(lb->g, t);
    deadline_push(&lb->pending, r);
    ec2_submit(tg_target(lb->g, t), r);
}

/* The ALB's req_sink: the target answered r; relays 2xx (500 if REQ_TARGET_500), or answers 502 if REQ_TARGET_RESET, unless the ALB already answered (504, 502). */
static void on_target_done(req_sink *self, req *r)
{
    alb *lb = (alb *)self;
    if (!deadline_remove(&lb->pending, r))
        return;  /* already answered (504, or 502 at deregistration): the late answer is dropped */
    tg_outstanding_dec(lb->g, r->target);
    if (__builtin_expect(r->flags & REQ_TARGET_RESET, 0)) {
        answer(lb, r, STATS_502_RESET);  /* 4.4: the target closed with the request outstanding */
        return;
    }
    hist_record(&lb->trt[lb->trt_cur], sim_now(lb->s) - r->dispatched);
    answer(lb, r, __builtin_expect(r->flags & REQ_TARGET_500, 0) ? STATS_500_TARGET : STATS_OK);
}

/* tg_expire_fn: deregistration delay over at target idx; 502 for each request still outstanding there (4.3, 11.11). O(pending), once per expiry. */
static void alb_expire(void *ctx, tg *g, int idx)
{
    alb *lb = ctx;
    req *r = deadline_head(&lb->pending);
    while (r) {
        req *next = r->link[REQ_LINK_LB].next;
        if (r->target == idx) {
            deadline_remove(&lb->pending, r);
            tg_outstanding_dec(g, idx);
            answer(lb, r, STATS_502_RESET);  /* the instance still holds r */
        }
        r = next;
    }
}

/* A count metric with one sample of 1 per event (Sum = n; Min/Max/Average 1); "nonzero value" reporting: no data when n = 0 unless always reported (then one sample of 0). */
static void count_sample(cw_sample *out, uint64_t n, bool always)
{
    if (n == 0) {
        if (always)
            out->count = 1;
        return;
    }
    out->count = n;
    out->sum = (double)n;
    out->min = out->max = 1;
}

static void value_sample(cw_sample *out, double v)
{
    out->count = 1;
    out->sum = out->min = out->max = v;
}

/* The change of a cumulative counter since metric id's previous sample. */
static uint64_t since_mark(alb *lb, scn_metric_id id, uint64_t cum)
{
    uint64_t d = cum - lb->mark[id];
    lb->mark[id] = cum;
    return d;
}

int alb_sample(alb *lb, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)t0;
    (void)t1;  /* called at t1: counts since the metric's previous sample, hosts now */
    *out = (cw_sample){0};
    switch (id) {
    case SCN_M_ALB_REQUEST_COUNT:
        count_sample(out, since_mark(lb, id, lb->requests), true);
        return 0;
    case SCN_M_ALB_REQUEST_COUNT_PER_TARGET: {
        /* 4.5: only Sum is valid, and it is RequestCount / healthy targets. */
        size_t h = tg_n_healthy(lb->g);
        value_sample(out, (double)since_mark(lb, id, lb->requests) / (double)(h ? h : 1));
        return 0;
    }
    case SCN_M_ALB_ELB_5XX:
        count_sample(out, since_mark(lb, id, lb->count[STATS_502_RESET] + lb->count[STATS_503_NO_TARGET] +
                                                 lb->count[STATS_504_TIMEOUT]), false);
        return 0;
    case SCN_M_ALB_TARGET_5XX:
        count_sample(out, since_mark(lb, id, lb->count[STATS_500_TARGET]), false);
        return 0;
    case SCN_M_ALB_TARGET_RESPONSE_TIME: {
        hist *h = &lb->trt[lb->trt_cur];
        lb->trt_cur ^= 1;
        hist_clear(&lb->trt[lb->trt_cur]);
        if (h->count == 0)
            return 0;  /* no requests: no data */
        out->count = h->count;
        out->sum = (double)(h->sum / 1e9L);
        out->min = sim_to_sec(h->min);
        out->max = sim_to_sec(h->max);
        out->dist = h;
        return 0;
    }
    case SCN_M_ALB_HEALTHY_HOSTS:
        value_sample(out, (double)tg_n_healthy(lb->g));
        return 0;
    case SCN_M_ALB_UNHEALTHY_HOSTS:
        value_sample(out, (double)tg_n_unhealthy(lb->g));
        return 0;
    default:
        return -1;
    }
}

uint64_t alb_count(const alb *lb, stats_cause c) { return lb->count[c]; }

