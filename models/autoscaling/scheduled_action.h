/*
 * scheduled_action.h - aws_autoscaling_schedule (aws-semantics 2.4): one-off
 * actions at start_time and recurrent ones on a 5-field cron in UTC, anchored
 * at scenario.start_epoch, until end_time. Each run sets min / max / desired
 * through asg_set_limits, ignores cooldowns and logs a "schedule" event.
 *
 * AWS runs an action "usually within seconds" but may delay it up to 2
 * minutes; fleetsim runs it at the exact minute (no delay parameter yet).
 * The TimeZone field is not supported: recurrences are UTC.
 */
#ifndef FLEETSIM_SCHEDULED_ACTION_H
#define FLEETSIM_SCHEDULED_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/autoscaling/asg.h"
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

/* A parsed cron expression: one bit per allowed value. */
typedef struct sched_cron {
    uint64_t minute;         /* bits 0..59 */
    uint32_t hour;           /* bits 0..23 */
    uint32_t dom;            /* bits 1..31 */
    uint16_t month;          /* bits 1..12 */
    uint8_t dow;             /* bits 0..6, Sunday = 0 (7 is folded into 0) */
    bool dom_star, dow_star; /* the field was "*" (for the day-of-month / day-of-week OR rule) */
} sched_cron;

/* Parses "m h dom mon dow": each field *, N, A-B, lists "A,B-C", steps "* /N" (no space), "A-B/N", "A/N"; day-of-week 0-7 with 0 and 7 = Sunday. Returns 0, or -1 with a message in err. */
int sched_cron_parse(const char *expr, sched_cron *out, char *err, size_t errlen);

/* True if the whole UTC minute containing epoch second `t` matches; when both day fields are restricted a day matches if either does (cron's OR rule). */
bool sched_cron_match(const sched_cron *c, int64_t t);

/* The first matching whole minute (epoch seconds) strictly after `after`, searching up to 8 years ahead; -1 if none (e.g. 31 February). */
int64_t sched_cron_next(const sched_cron *c, int64_t after);

/* UTC calendar fields of epoch second t (proleptic Gregorian; dow Sunday = 0). */
void sched_civil(int64_t t, int *year, int *month, int *day, int *hour, int *minute, int *dow);

typedef struct sched sched;

/* Schedules cfg (borrowed) on group g: the first run is scheduled on s at once. NULL with a message in err on a bad recurrence or OOM. */
sched *sched_new(sim *s, const scn_schedule *cfg, asg *g, int64_t start_epoch, events_log *ev,
                 char *err, size_t errlen);

/* Frees the schedule (its pending event must not fire afterwards: free after the run); NULL is a no-op. */
void sched_free(sched *sc);

/* Runs so far (for tests). */
uint64_t sched_runs(const sched *sc);

/* Virtual time of the next run, or -1 when none is pending. */
sim_time_t sched_next_run(const sched *sc);

#endif /* FLEETSIM_SCHEDULED_ACTION_H */
