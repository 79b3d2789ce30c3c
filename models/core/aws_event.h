/*
 * aws_event.h - an event as AWS services put it on the default event bus
 * (EventBridge's envelope: source, detail-type, resources, detail), the one
 * shape every emitter (Auto Scaling lifecycle hooks and activities, EC2 state
 * changes, scheduled rules) hands to the bus and every rule matches against
 * (aws-semantics 1.7, 6.7).
 *
 * The detail is flat: every field the emitters in scope send is a string at
 * the top level of `detail` (AutoScalingGroupName, EC2InstanceId, ...).
 * Values are borrowed for the duration of the call that passes the event;
 * whoever keeps an event past that copies it.
 *
 * Prefix: aev_.
 */
#ifndef FLEETSIM_AWS_EVENT_H
#define FLEETSIM_AWS_EVENT_H

#include <stddef.h>

#include "sim/sim.h"

#define AEV_MAX_DETAIL 8
#define AEV_MAX_RESOURCES 4

typedef struct aev_field {
    const char *key;     /* "EC2InstanceId" */
    const char *value;   /* "i-asg1-3" */
} aev_field;

typedef struct aws_event {
    const char *id;              /* unique within the run, deterministic ("ev-42") */
    const char *source;          /* "aws.autoscaling" */
    const char *detail_type;     /* "EC2 Instance-terminate Lifecycle Action" */
    const char *account;         /* "123456789012" */
    const char *region;          /* the scenario's region */
    sim_time_t time;             /* when the emitter put it */
    const char *resources[AEV_MAX_RESOURCES];
    size_t n_resources;
    aev_field detail[AEV_MAX_DETAIL];
    size_t n_detail;
} aws_event;

/* Something that takes events (an event bus); it copies what it keeps. */
typedef void (*aev_sink_fn)(void *ctx, const aws_event *ev);

#endif /* FLEETSIM_AWS_EVENT_H */
