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
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct control control;

/* Builds every alarm, topic, policy and schedule of sc; asgs[i] / lbs[i] are scenario.asgs[i] / lbs[i] (borrowed). Schedules the per-minute metric and alarm ticks. NULL with a message in err on failure. */
control *control_new(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs,
                     events_log *ev, char *err, size_t errlen);

/* Frees the control plane; NULL is a no-op. */
void control_free(control *c);

/* After the run: cost by line item ("cloudwatch" alarms + detailed monitoring, "sns" publishes + deliveries), USD. */
double control_cost(const control *c, const char *item);

/* After the run: SNS publishes per topic index (for reports and tests). */
uint64_t control_sns_published(const control *c, size_t topic);

#endif /* FLEETSIM_CONTROL_H */
