/*
 * control.h - the control plane of a scenario: CloudWatch (metric store,
 * alarms), SNS topics, scaling policies (target tracking, step, simple),
 * scheduled actions and predictive scaling, wired to the Auto Scaling groups
 * and load balancers the world built.
 */
#ifndef FLEETSIM_CONTROL_H
#define FLEETSIM_CONTROL_H

#include <stddef.h>

#include "models/elb/alb.h"
#include "models/autoscaling/asg.h"
#include "models/core/build.h"
#include "models/core/scenario.h"
#include "stats/cost.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct control control;
typedef struct sns sns;

/* Builds every alarm, topic, policy and schedule of sc; asgs[i] / lbs[i] are scenario.asgs[i] / lbs[i] (borrowed). Schedules the per-minute metric and alarm ticks. NULL with a message in err on failure. */
control *control_new(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs,
                     events_log *ev, char *err, size_t errlen);

/* The pieces of control_new, for the world's build walk (build.h): an empty control plane (groups ctx, CloudWatch store, SNS topics; arrays copied, groups and LBs borrowed), */
control *control_create(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs, events_log *ev,
                        char *err, size_t errlen);
/* ... scenario alarm i, scaling policy i (target tracking alarms come after the scenario's), scheduled action i, notification i (each 0, or -1 with err), */
int control_add_alarm(control *c, size_t i, char *err, size_t errlen);
int control_add_policy(control *c, size_t i, char *err, size_t errlen);
int control_add_schedule(control *c, size_t i, char *err, size_t errlen);
int control_add_notification(control *c, size_t i, char *err, size_t errlen);
/* ... and the start: group listeners and the per-minute tick. */
void control_start(control *c);

/* The control plane as the world's service (created at WB_STAGE_TOPICS; alarms, policies, schedules and notifications add themselves). */
extern const wb_service control_service;

/* A control-plane type's build op: add (control_add_alarm ...) resource idx to the world's control plane. 0, or -1 with err. */
int control_build(wb *b, int (*add)(control *c, size_t i, char *err, size_t errlen), int idx, char *err,
                  size_t errlen);

/* Frees the control plane; NULL is a no-op. */
void control_free(control *c);

/* After the run: cost by line item ("cloudwatch" alarms + detailed monitoring, "sns" publishes + deliveries), USD. */
double control_cost(const control *c, const char *item);

/* After (or during) the run: charges l with the CloudWatch lines ("alarms", "detailed_metrics") and the SNS lines (sns_bill) so far. */
void control_bill(const control *c, cost_ledger *l);

/* After the run: SNS publishes per topic index (for reports and tests). */
uint64_t control_sns_published(const control *c, size_t topic);
/* The account's SNS topics (owned by c), for the sns:Publish calls a function makes. */
sns *control_sns(control *c);

#endif /* FLEETSIM_CONTROL_H */
