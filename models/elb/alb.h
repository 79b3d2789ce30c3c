/*
 * alb.h - an Application Load Balancer with one listener forwarding to its
 * default target group.
 *
 * Interface: a client hands requests in with alb_submit(); the ALB answers
 * through the request's req_client exactly once (2xx or 500 relayed from the
 * target, 502, 503, 504). The ALB sets itself as the request's req_sink at
 * dispatch, so the target hands finished work back to it through r->sink.
 */
#ifndef FLEETSIM_ALB_H
#define FLEETSIM_ALB_H

#include <stdint.h>

#include "models/core/metric.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"
#include "sim/sim.h"

typedef struct alb alb;

/* An ALB forwarding to g (borrowed; the ALB attaches itself to g's draining, tg_attach_lb) with the given idle timeout (> 0); routes draw from sim_rng(s, "alb.<name>/route"). NULL on OOM. */
alb *alb_new(sim *s, const char *name, tg *g, sim_time_t idle_timeout);

/* Frees the ALB (not its target group; detaches from it). NULL is a no-op. */
void alb_free(alb *lb);

/* Routes r now: a 503 to r->client at once if no target is registered, else dispatch to the picked target with an idle-timeout deadline. */
void alb_submit(alb *lb, req *r);


/* Answers so far by cause (STATS_OK = relayed target answers), counted when given. */
uint64_t alb_count(const alb *lb, stats_cause c);

/*
 * One period's samples of an AWS/ApplicationELB metric over [t0, t1), for the
 * CloudWatch metric store, which calls it once per metric per period in time
 * order: RequestCount (Sum; always reported, 0 included), TargetResponseTime
 * (seconds; dist = the period's histogram; no data without requests),
 * HTTPCode_ELB_5XX_Count / HTTPCode_Target_5XX_Count (no data when 0),
 * HealthyHostCount / UnHealthyHostCount, RequestCountPerTarget (Sum = requests
 * / healthy targets, always reported). Returns 0 (out->count 0 = no data), or
 * -1 for a metric the ALB does not publish. aws-semantics 4.5.
 * Each metric keeps its own "since my last sample" mark, so sampling several
 * metrics for one period is correct; out->dist stays valid until the next
 * TargetResponseTime sample.
 */
int alb_sample(alb *lb, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out);

#endif /* FLEETSIM_ALB_H */
