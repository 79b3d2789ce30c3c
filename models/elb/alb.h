/*
 * alb.h - an Application Load Balancer: listeners with a default action and
 * rules (path_pattern, host_header), forwarding to one or several target
 * groups (weighted), or answering itself (fixed-response, redirect).
 *
 * Interface: a client hands requests in with alb_submit() (the first
 * listener's default action) or alb_submit_to() (an action alb_route found
 * for the client's listener, path and host); the ALB answers through the
 * request's req_client exactly once (2xx or 500 relayed from the target,
 * 502, 503, 504, or its own fixed response or redirect). At dispatch the ALB
 * sets the target group's side of itself as the request's req_sink, so the
 * target hands finished work back to it through r->sink.
 */
#ifndef FLEETSIM_ALB_H
#define FLEETSIM_ALB_H

#include <stdbool.h>
#include <stdint.h>

#include "models/core/metric.h"
#include "models/core/request.h"
#include "models/elb/target_group.h"
#include "sim/sim.h"
#include "stats/cost.h"

typedef struct alb alb;

/* Defaults of the aws_lb keys request_bytes, response_bytes, requests_per_connection (docs/scenario.md gives the sources). */
#define ALB_REQUEST_BYTES 1024
#define ALB_RESPONSE_BYTES 16384
#define ALB_REQUESTS_PER_CONNECTION 10.0

/*
 * An ALB with the given idle timeout (> 0); with g (borrowed), a listener
 * (key -1) forwarding every request to g, the aws_lb's default_target_group;
 * with g NULL, listeners come from alb_add_listener. The ALB attaches itself
 * to each target group's draining (tg_attach_lb). Routes draw from
 * sim_rng(s, "alb.<name>/route"), weighted forwards from "alb.<name>/forward".
 * Its traffic shape starts at ALB_REQUEST_BYTES, ALB_RESPONSE_BYTES and
 * ALB_REQUESTS_PER_CONNECTION (alb_set_traffic). NULL on OOM.
 */
alb *alb_new(sim *s, const char *name, tg *g, sim_time_t idle_timeout);

/* Frees the ALB (not its target groups; detaches from them). NULL is a no-op. */
void alb_free(alb *lb);

/* Adds a listener named by key (the scenario's listener index) with default action a; its target group indices are into tgs (n_tgs). 0, or -1 on OOM or a bad index. */
int alb_add_listener(alb *lb, int key, const scn_lb_action *a, tg *const *tgs, size_t n_tgs);

/* Adds a rule to listener key (evaluated by ascending priority); patterns are borrowed from rule and must outlive the ALB. 0, or -1. */
int alb_add_rule(alb *lb, int key, const scn_listener_rule *rule, tg *const *tgs, size_t n_tgs);

/* The action listener key takes for requests with this path and Host: the first rule by priority whose conditions all match, else the default action; -1 if there is no such listener. */
int alb_route(const alb *lb, int key, const char *path, const char *host);

/* True if pattern (ALB wildcards: * any run, ? one character) matches all of s; fold: ASCII case-insensitive (hosts). */
bool alb_pattern_match(const char *pattern, const char *s, bool fold);

/* Takes action act (from alb_route) for r now: forward (503 at once if the picked group has no registered target, else dispatch with an idle-timeout deadline), or answer a fixed response or redirect at once. */
void alb_submit_to(alb *lb, int act, req *r);

/* alb_submit_to the first listener's default action. */
void alb_submit(alb *lb, req *r);

/* The ALB's requests to the target group named tg_name, as a source for alb_sample_view (per-TargetGroup metrics); NULL if it never forwards there. */
void *alb_tg_view(alb *lb, const char *tg_name);

/* alb_sample for one target group's view: that group's requests, answers, response times and hosts. */
int alb_sample_view(void *view, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out);

/*
 * The traffic shape the LCU bill needs (aws-semantics 4.7): bytes of each request and of its answer
 * (processed bytes), and requests per client connection (new connections = requests / it). With more
 * than one request per connection the client keeps it open, idle, for the idle timeout after its last
 * request (active connections); with one it closes it after the answer. Defaults: alb_new's comment.
 */
void alb_set_traffic(alb *lb, int64_t request_bytes, int64_t response_bytes, double requests_per_connection);

/* LCU-hours consumed over [0, now) (now not before the last request): each clock hour's LCU is the largest of its dimensions (cost_alb_lcus), the current hour's counted so far. */
double alb_lcu_hours(const alb *lb, sim_time_t now);

/* The LCU dimensions summed over the clock hours so far (the current one included): connections opened, bytes processed, billable rule evaluations, and the hours' active connections per minute summed (divide by the hours for the mean). */
cost_lcu_hour alb_usage(const alb *lb);

/* Of the clock hours with traffic so far, how many each LCU dimension won (wins[4], cost_lcu_dim order; the current hour included). */
void alb_lcu_wins(const alb *lb, uint64_t wins[4]);

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
