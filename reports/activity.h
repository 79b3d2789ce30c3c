/*
 * activity.h - the text summary's account of what happened, read from the
 * events log (events.jsonl): scaling activities by cause, alarm
 * transitions, SNS notifications, and the key events that explain the run.
 *
 * Causes come from the activity messages the models write (the console's
 * wording: "scale-in: ...", "AZRebalance: ...", "an ELB health check ...");
 * AZ rebalancing is its own cause, never a scale-in.
 *
 * Prefix: activity_.
 */
#ifndef FLEETSIM_ACTIVITY_H
#define FLEETSIM_ACTIVITY_H

#include <stdio.h>

#include "models/core/world.h"

/* Most key events listed in the summary (the rest are in events.jsonl). */
#define ACTIVITY_KEY_EVENTS 24

/* The cause class of an instance launch or termination message ("scale-in", "AZ rebalancing", ...). */
const char *activity_cause(const char *message);

/* Prints "scaling activities": desired-capacity changes by source (up / down), launches and terminations by cause; nothing when there were none. */
void activity_print_scaling(const world *w, FILE *out);

/* Prints "alarms": each alarm's transitions by the state entered and its time in ALARM; nothing without alarms. */
void activity_print_alarms(const world *w, FILE *out);

/* Prints "notifications": SNS publishes per topic; nothing without publishes. */
void activity_print_notifications(const world *w, FILE *out);

/* Prints "key events": faults, desired-capacity changes, alarms entering ALARM, targets turning unhealthy, replacements, Spot interruptions (at most ACTIVITY_KEY_EVENTS). */
void activity_print_key_events(const world *w, FILE *out);

#endif /* FLEETSIM_ACTIVITY_H */
