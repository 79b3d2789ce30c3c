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
 * increment and one hist_record: into the group's `fresh` histogram, which a
 * TargetResponseTime sample of the group or of the ALB first merges into both
 * the group's and the ALB's current histograms (trt_flush). Counts, min, max
 * and the sum of integer nanoseconds add exactly, so this gives what recording
 * each answer in both would, for one record instead of two.
 *
 * Listeners and rules: each listener has a default action and rules sorted
 * by ascending priority; the first rule whose every condition matches the
 * request's path (case-sensitive) and Host (case-insensitive), with ALB's *
 * and ? wildcards, decides. A client's path and host are fixed, so a
 * workload resolves its action once (alb_route) and submits to it. Actions:
 *  - forward to one target group: exactly the path above, no random draw;
 *  - weighted forward: a target group per request by cumulative weights
 *    from the ALB's own "forward" stream (weight 0 is never picked);
 *  - fixed-response / redirect: the ALB answers its code at once, no target
 *    involved, counted by class (elb_2xx/4xx/5xx_fixed_response,
 *    elb_3xx_redirect); not in RequestCount, which AWS counts only for
 *    requests a target was chosen for; a 5XX one is an HTTPCode_ELB_5XX.
 * Per target group the ALB keeps the same counters as for itself, so
 * per-TargetGroup metrics count only the requests forwarded to that group.
 *
 * Leaves out: the ALB's own processing latency (zero), connection setup and
 * the 10 s connection timeout, rule conditions other than path_pattern and
 * host_header, group stickiness, authenticate actions, LCU accounting (cost.c bills ALB-hours only), several nodes per AZ,
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
#include <string.h>

/* Cumulative counters and the TargetResponseTime histogram, of the ALB or of one of its target groups. */
typedef struct alb_ctr {
    uint64_t count[STATS_N_CAUSES];
    uint64_t requests;       /* RequestCount so far: a target was chosen */
    uint64_t mark[SCN_M_N];  /* each metric's cumulative count at its previous sample */
    int trt_cur;             /* which of trt[] records now */
    hist trt[2];             /* TargetResponseTime, ns: recording / last sampled */
} alb_ctr;

/* The ALB's side of one target group it forwards to. */
typedef struct alb_grp {
    req_sink port;           /* first member: on_target_done gets the group back from it */
    alb *lb;
    tg *g;
    deadline pending;        /* dispatched, target not yet answered: idle-timeout deadlines */
    alb_ctr c;               /* this group's view (per-TargetGroup metrics) */
    hist fresh;              /* TargetResponseTime answers not yet in c.trt nor in the ALB's (trt_flush) */
} alb_grp;

typedef struct alb_act {
    scn_lb_action_kind kind;
    int rules;               /* listener rules processed before this action is taken (its rule's rank, or all for the default) */
    int n;                   /* FORWARD: groups */
    alb_grp *grp[SCN_FWD_MAX];
    uint32_t cum[SCN_FWD_MAX]; /* cumulative weights */
    stats_cause cause;       /* FIXED, REDIRECT: the answer */
} alb_act;

typedef struct alb_rule {
    int priority, act;
    const scn_listener_rule *cfg; /* its patterns */
} alb_rule;

typedef struct alb_listener {
    int key, def;
    alb_rule *rules;         /* ascending priority */
    size_t n_rules;
} alb_listener;

struct alb {
    sim *s;
    gsl_rng *route, *forward;
    char name[SCN_NAME_MAX + 1];
    sim_time_t idle_timeout;
    alb_grp **grps;
    size_t n_grps;
    alb_act *acts;
    size_t n_acts;
    alb_listener *ls;
    size_t n_ls;
    alb_ctr c;               /* the whole load balancer */
    /* LCU accounting (aws-semantics 4.7): the current clock hour's usage, the finished hours' LCUs. */
    double req_bytes, conn_share; /* processed bytes per request; connections per request (1 / requests_per_connection) */
    double conn_life_s;      /* how long a connection stays open after its first minute: idle_timeout with keep-alive, else 0 */
    sim_time_t hour_start;
    double hour_conns, hour_bytes, hour_evals;
    double lcu_done;         /* LCU-hours of the hours before hour_start */
    cost_lcu_hour used_done; /* the hours before hour_start, summed (alb_usage) */
    uint64_t wins[4];        /* finished hours with traffic won by each dimension */
};

static void answer(alb *lb, alb_grp *gp, req *r, stats_cause c)
{
    lb->c.count[c]++;
    if (gp)
        gp->c.count[c]++;
    r->client->respond(r->client, r, c);
}

static void alb_expire(void *ctx, tg *g, int idx);
static void on_target_done(req_sink *self, req *r);

/* deadline_fn: the idle timeout passed before the target answered. */
static void on_idle_timeout(void *ctx, req *r)
{
    alb_grp *gp = ctx;
    tg_outstanding_dec(gp->g, r->target);
    answer(gp->lb, gp, r, STATS_504_TIMEOUT);  /* the instance still holds r */
}

static void ctr_init(alb_ctr *c)
{
    hist_reset(&c->trt[0]);
    hist_reset(&c->trt[1]);
}

/* The ALB's side of g, added on first use. */
static alb_grp *grp_of(alb *lb, tg *g)
{
    for (size_t i = 0; i < lb->n_grps; i++)
        if (lb->grps[i]->g == g)
            return lb->grps[i];
    alb_grp **a = realloc(lb->grps, (lb->n_grps + 1) * sizeof *a);
    if (!a)
        return NULL;
    lb->grps = a;
    alb_grp *gp = calloc(1, sizeof *gp);
    if (!gp)
        return NULL;
    gp->port.done = on_target_done;
    gp->lb = lb;
    gp->g = g;
    deadline_init(&gp->pending, lb->s, lb->idle_timeout, offsetof(req, dispatched), REQ_LINK_LB, REQ_ON_LB,
                  on_idle_timeout, gp);
    ctr_init(&gp->c);
    hist_reset(&gp->fresh);
    if (tg_attach_lb(g, alb_expire, gp) != 0) {
        free(gp);
        return NULL;
    }
    lb->grps[lb->n_grps++] = gp;
    return gp;
}

static stats_cause cause_of(int code)
{
    return code < 300 ? STATS_ELB_2XX_FIXED : code < 400 ? STATS_ELB_3XX_REDIRECT
         : code < 500 ? STATS_ELB_4XX_FIXED : STATS_ELB_5XX_FIXED;
}

/* Adds action a; its index, or -1. */
static int act_add(alb *lb, const scn_lb_action *a, tg *const *tgs, size_t n_tgs)
{
    alb_act x = {.kind = a->kind, .cause = cause_of(a->status_code)};
    if (a->kind == SCN_LBA_FORWARD) {
        if (a->n_fwd < 1 || a->n_fwd > SCN_FWD_MAX)
            return -1;
        uint32_t sum = 0;
        for (int k = 0; k < a->n_fwd; k++) {
            int t = a->fwd_tg[k];
            if (t < 0 || (size_t)t >= n_tgs || a->fwd_weight[k] < 0 || !(x.grp[k] = grp_of(lb, tgs[t])))
                return -1;
            sum += (uint32_t)a->fwd_weight[k];
            x.cum[k] = sum;
        }
        x.n = a->n_fwd;
        if (sum == 0)
            return -1;
        if (x.n > 1 && !lb->forward) {
            char stream[SCN_STREAM_SIZE];
            snprintf(stream, sizeof stream, "alb.%s/forward", lb->name);
            if (!(lb->forward = sim_rng(lb->s, stream)))
                return -1;
        }
    }
    alb_act *acts = realloc(lb->acts, (lb->n_acts + 1) * sizeof *acts);
    if (!acts)
        return -1;
    lb->acts = acts;
    lb->acts[lb->n_acts] = x;
    return (int)lb->n_acts++;
}

static alb_listener *listener_of(const alb *lb, int key)
{
    for (size_t i = 0; i < lb->n_ls; i++)
        if (lb->ls[i].key == key)
            return &lb->ls[i];
    return NULL;
}

int alb_add_listener(alb *lb, int key, const scn_lb_action *a, tg *const *tgs, size_t n_tgs)
{
    if (!lb || !a || listener_of(lb, key))
        return -1;
    int def = act_add(lb, a, tgs, n_tgs);
    if (def < 0)
        return -1;
    alb_listener *ls = realloc(lb->ls, (lb->n_ls + 1) * sizeof *ls);
    if (!ls)
        return -1;
    lb->ls = ls;
    lb->ls[lb->n_ls++] = (alb_listener){.key = key, .def = def};
    return 0;
}

/* Each action of l processes the rules before it (and the default action all of them): its rule evaluations. */
static void rank_rules(alb *lb, const alb_listener *l)
{
    for (size_t i = 0; i < l->n_rules; i++)
        lb->acts[l->rules[i].act].rules = (int)i + 1;
    lb->acts[l->def].rules = (int)l->n_rules;
}

int alb_add_rule(alb *lb, int key, const scn_listener_rule *rule, tg *const *tgs, size_t n_tgs)
{
    alb_listener *l = lb && rule ? listener_of(lb, key) : NULL;
    if (!l)
        return -1;
    int act = act_add(lb, &rule->action, tgs, n_tgs);
    alb_rule *rs = act < 0 ? NULL : realloc(l->rules, (l->n_rules + 1) * sizeof *rs);
    if (!rs)
        return -1;
    l->rules = rs;
    size_t k = l->n_rules++;
    for (; k > 0 && rs[k - 1].priority > rule->priority; k--)  /* insertion: ascending priority */
        rs[k] = rs[k - 1];
    rs[k] = (alb_rule){.priority = rule->priority, .act = act, .cfg = rule};
    rank_rules(lb, l);
    return 0;
}

void alb_set_traffic(alb *lb, int64_t request_bytes, int64_t response_bytes, double requests_per_connection)
{
    lb->req_bytes = (double)request_bytes + (double)response_bytes;
    lb->conn_share = requests_per_connection > 0 ? 1.0 / requests_per_connection : 1.0;
    lb->conn_life_s = requests_per_connection > 1 ? sim_to_sec(lb->idle_timeout) : 0;
}

/* The usage of the hour whose counters are cur (cost_lcu_hour): active connections per minute are those opened in the minute plus those still open from before (Little: rate x lifetime). */
static cost_lcu_hour hour_usage(const alb *lb)
{
    return (cost_lcu_hour){.new_conns = lb->hour_conns,
                           .active_per_min = lb->hour_conns / 3600.0 * (60.0 + lb->conn_life_s),
                           .bytes = lb->hour_bytes,
                           .rule_evals = lb->hour_evals};
}

/* Counts one request handled by action a in the clock hour of now (closing the hours before it). */
static void lcu_count(alb *lb, const alb_act *a, sim_time_t now)
{
    if (__builtin_expect(now >= lb->hour_start + SIM_HOUR, 0)) {
        if (lb->hour_conns > 0) {
            cost_lcu_hour h = hour_usage(lb);
            cost_lcu_dim d;
            lb->lcu_done += cost_alb_lcus(&h, &d);
            lb->wins[d]++;
            lb->used_done.new_conns += h.new_conns;
            lb->used_done.active_per_min += h.active_per_min;
            lb->used_done.bytes += h.bytes;
            lb->used_done.rule_evals += h.rule_evals;
        }
        lb->hour_start = now - now % SIM_HOUR;
        lb->hour_conns = lb->hour_bytes = lb->hour_evals = 0;
    }
    lb->hour_conns += lb->conn_share;
    lb->hour_bytes += lb->req_bytes;
    if (a->rules > COST_ALB_FREE_RULES)
        lb->hour_evals += a->rules - COST_ALB_FREE_RULES;
}

cost_lcu_hour alb_usage(const alb *lb)
{
    cost_lcu_hour h = hour_usage(lb), u = lb->used_done;
    u.new_conns += h.new_conns;
    u.active_per_min += h.active_per_min;
    u.bytes += h.bytes;
    u.rule_evals += h.rule_evals;
    return u;
}

double alb_lcu_hours(const alb *lb, sim_time_t now)
{
    (void)now; /* the open hour's counters are all there is after the last request */
    cost_lcu_hour h = hour_usage(lb);
    return lb->lcu_done + cost_alb_lcus(&h, NULL);
}

void alb_lcu_wins(const alb *lb, uint64_t wins[4])
{
    for (int k = 0; k < 4; k++)
        wins[k] = lb->wins[k];
    if (lb->hour_conns > 0) {
        cost_lcu_hour h = hour_usage(lb);
        cost_lcu_dim d;
        cost_alb_lcus(&h, &d);
        wins[d]++;
    }
}

alb *alb_new(sim *s, const char *name, tg *g, sim_time_t idle_timeout)
{
    if (idle_timeout <= 0)
        return NULL;
    alb *lb = calloc(1, sizeof *lb);
    if (!lb)
        return NULL;
    char stream[SCN_STREAM_SIZE];
    if (snprintf(lb->name, sizeof lb->name, "%s", name ? name : "") >= (int)sizeof lb->name ||
        snprintf(stream, sizeof stream, "alb.%s/route", lb->name) >= (int)sizeof stream) {
        alb_free(lb);
        return NULL;
    }
    lb->route = sim_rng(s, stream);
    if (!lb->route) {
        alb_free(lb);
        return NULL;
    }
    lb->s = s;
    lb->idle_timeout = idle_timeout;
    alb_set_traffic(lb, ALB_REQUEST_BYTES, ALB_RESPONSE_BYTES, ALB_REQUESTS_PER_CONNECTION);
    ctr_init(&lb->c);
    if (g) {
        scn_lb_action a = {.kind = SCN_LBA_FORWARD, .n_fwd = 1, .fwd_tg = {0}, .fwd_weight = {1}};
        if (alb_add_listener(lb, -1, &a, &g, 1) != 0) {
            alb_free(lb);
            return NULL;
        }
    }
    return lb;
}

void alb_free(alb *lb)
{
    if (!lb)
        return;
    for (size_t i = 0; i < lb->n_grps; i++) {
        tg_detach_lb(lb->grps[i]->g, lb->grps[i]);
        free(lb->grps[i]);
    }
    for (size_t i = 0; i < lb->n_ls; i++)
        free(lb->ls[i].rules);
    free(lb->grps);
    free(lb->acts);
    free(lb->ls);
    free(lb);
}

bool alb_pattern_match(const char *p, const char *s, bool fold)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        unsigned char a = (unsigned char)*p, b = (unsigned char)*s;
        if (fold) {
            a = (a >= 'A' && a <= 'Z') ? (unsigned char)(a + 32) : a;
            b = (b >= 'A' && b <= 'Z') ? (unsigned char)(b + 32) : b;
        }
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p && (*p == '?' || a == b)) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* A condition's values: any matches (none given: the condition is absent and holds). */
static bool any_match(char *const *pats, int n, const char *s, bool fold)
{
    for (int i = 0; i < n; i++)
        if (alb_pattern_match(pats[i], s, fold))
            return true;
    return n == 0;
}

int alb_route(const alb *lb, int key, const char *path, const char *host)
{
    const alb_listener *l = lb ? listener_of(lb, key) : NULL;
    if (!l)
        return -1;
    /* ALB matches the path without its query string. */
    char p[1025];
    snprintf(p, sizeof p, "%.*s", (int)strcspn(path ? path : "/", "?"), path ? path : "/");
    for (size_t i = 0; i < l->n_rules; i++) {
        const scn_listener_rule *c = l->rules[i].cfg;
        if (any_match(c->paths, c->n_paths, p, false) && any_match(c->hosts, c->n_hosts, host ? host : "", true))
            return l->rules[i].act;
    }
    return l->def;
}

void alb_submit(alb *lb, req *r)
{
    alb_submit_to(lb, lb->n_ls ? lb->ls[0].def : -1, r);
}

void alb_submit_to(alb *lb, int act, req *r)
{
    r->target = -1;
    if (__builtin_expect(act < 0 || (size_t)act >= lb->n_acts, 0)) {
        r->flags |= REQ_SERVER_DONE;
        answer(lb, NULL, r, STATS_503_NO_TARGET);  /* no listener: nothing to route to */
        return;
    }
    const alb_act *a = &lb->acts[act];
    sim_time_t now = sim_now(lb->s);
    lcu_count(lb, a, now);
    if (__builtin_expect(a->kind != SCN_LBA_FORWARD, 0)) {
        r->flags |= REQ_SERVER_DONE;  /* the ALB answers itself: no target holds it */
        answer(lb, NULL, r, a->cause);
        return;
    }
    alb_grp *gp = a->grp[0];
    if (a->n > 1) {
        uint32_t u = (uint32_t)gsl_rng_uniform_int(lb->forward, a->cum[a->n - 1]);
        int k = 0;
        while (u >= a->cum[k])
            k++;
        gp = a->grp[k];
    }
    int t = tg_pick(gp->g, lb->route);
    r->sink = &gp->port;
    r->target = t;
    if (t < 0) {
        r->flags |= REQ_SERVER_DONE;  /* never dispatched: nobody on the server side holds it */
        answer(lb, gp, r, STATS_503_NO_TARGET);
        return;
    }
    lb->c.requests++;
    gp->c.requests++;
    r->dispatched = now;
    tg_outstanding_inc(gp->g, t);
    deadline_push(&gp->pending, r);
    ec2_submit(tg_target(gp->g, t), r);
}

/* A group's req_sink: the target answered r; relays 2xx (500 if REQ_TARGET_500), or answers 502 if REQ_TARGET_RESET, unless the ALB already answered (504, 502). */
static void on_target_done(req_sink *self, req *r)
{
    alb_grp *gp = (alb_grp *)self;
    alb *lb = gp->lb;
    if (!deadline_remove(&gp->pending, r))
        return;  /* already answered (504, or 502 at deregistration): the late answer is dropped */
    tg_outstanding_dec(gp->g, r->target);
    if (__builtin_expect(r->flags & REQ_TARGET_RESET, 0)) {
        answer(lb, gp, r, STATS_502_RESET);  /* 4.4: the target closed with the request outstanding */
        return;
    }
    sim_time_t rt = sim_now(lb->s) - r->dispatched;
    hist_record(&gp->fresh, rt);
    answer(lb, gp, r, __builtin_expect(r->flags & REQ_TARGET_500, 0) ? STATS_500_TARGET : STATS_OK);
}

/* tg_expire_fn: deregistration delay over at target idx; 502 for each request still outstanding there (4.3, 11.11). O(pending), once per expiry. */
static void alb_expire(void *ctx, tg *g, int idx)
{
    alb_grp *gp = ctx;
    req *r = deadline_head(&gp->pending);
    while (r) {
        req *next = r->link[REQ_LINK_LB].next;
        if (r->target == idx) {
            deadline_remove(&gp->pending, r);
            tg_outstanding_dec(g, idx);
            answer(gp->lb, gp, r, STATS_502_RESET);  /* the instance still holds r */
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
static uint64_t since_mark(alb_ctr *c, scn_metric_id id, uint64_t cum)
{
    uint64_t d = cum - c->mark[id];
    c->mark[id] = cum;
    return d;
}

/* Healthy / unhealthy targets of group gp, or of every group of lb (gp NULL). */
static size_t hosts(const alb *lb, const alb_grp *gp, bool healthy)
{
    if (gp)
        return healthy ? tg_n_healthy(gp->g) : tg_n_unhealthy(gp->g);
    size_t n = 0;
    for (size_t i = 0; i < lb->n_grps; i++)
        n += healthy ? tg_n_healthy(lb->grps[i]->g) : tg_n_unhealthy(lb->grps[i]->g);
    return n;
}

/* Moves gp's fresh TargetResponseTime answers into the histograms its group and its ALB record into now. */
static void trt_flush(alb_grp *gp)
{
    if (!gp->fresh.count)
        return;
    hist_merge(&gp->c.trt[gp->c.trt_cur], &gp->fresh);
    hist_merge(&gp->lb->c.trt[gp->lb->c.trt_cur], &gp->fresh);
    hist_clear(&gp->fresh);
}

/* A sample of the counters c: of lb (gp NULL) or of its group gp. */
static int sample(alb *lb, alb_grp *gp, alb_ctr *c, scn_metric_id id, cw_sample *out)
{
    *out = (cw_sample){0};
    switch (id) {
    case SCN_M_ALB_REQUEST_COUNT:
        count_sample(out, since_mark(c, id, c->requests), true);
        return 0;
    case SCN_M_ALB_REQUEST_COUNT_PER_TARGET: {
        /* 4.5: only Sum is valid, and it is RequestCount / healthy targets. */
        size_t h = hosts(lb, gp, true);
        value_sample(out, (double)since_mark(c, id, c->requests) / (double)(h ? h : 1));
        return 0;
    }
    case SCN_M_ALB_ELB_5XX:
        count_sample(out, since_mark(c, id, c->count[STATS_502_RESET] + c->count[STATS_503_NO_TARGET] +
                                                c->count[STATS_504_TIMEOUT] + c->count[STATS_ELB_5XX_FIXED]), false);
        return 0;
    case SCN_M_ALB_TARGET_5XX:
        count_sample(out, since_mark(c, id, c->count[STATS_500_TARGET]), false);
        return 0;
    case SCN_M_ALB_TARGET_RESPONSE_TIME: {
        if (gp)
            trt_flush(gp);
        else
            for (size_t i = 0; i < lb->n_grps; i++)
                trt_flush(lb->grps[i]);
        hist *h = &c->trt[c->trt_cur];
        c->trt_cur ^= 1;
        hist_clear(&c->trt[c->trt_cur]);
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
        value_sample(out, (double)hosts(lb, gp, true));
        return 0;
    case SCN_M_ALB_UNHEALTHY_HOSTS:
        value_sample(out, (double)hosts(lb, gp, false));
        return 0;
    default:
        return -1;
    }
}

int alb_sample(alb *lb, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)t0;
    (void)t1;  /* called at t1: counts since the metric's previous sample, hosts now */
    return sample(lb, NULL, &lb->c, id, out);
}

void *alb_tg_view(alb *lb, const char *tg_name_)
{
    for (size_t i = 0; lb && tg_name_ && i < lb->n_grps; i++)
        if (strcmp(tg_name(lb->grps[i]->g), tg_name_) == 0)
            return lb->grps[i];
    return NULL;
}

int alb_sample_view(void *view, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    alb_grp *gp = view;
    (void)t0;
    (void)t1;
    return sample(gp->lb, gp, &gp->c, id, out);
}

uint64_t alb_count(const alb *lb, stats_cause c) { return lb->c.count[c]; }
