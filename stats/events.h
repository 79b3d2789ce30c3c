/*
 * events.h - the run's activity history (events.jsonl): scaling activities,
 * instance lifecycle, health, alarm state changes, SNS publishes, scheduled
 * actions and faults, each with its cause, like the console's activity
 * history. Entries are kept in memory (a run has thousands, not millions) in
 * the order they happened, and written as JSON lines after the run.
 */
#ifndef FLEETSIM_EVENTS_H
#define FLEETSIM_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

typedef struct events_entry {
    sim_time_t t;
    char type[24];       /* "scaling", "instance", "health", "alarm", "sns", "schedule", "fault", "policy" */
    char resource[64];   /* the resource or instance id it concerns */
    char from[32], to[32]; /* a state change ("OK" -> "ALARM", "Pending" -> "InService", "2" -> "4"); "" when none */
    char *message;       /* the cause, readable: "alarm web-cpu-high in ALARM: desired 2 -> 4" */
} events_entry;

typedef struct events_log events_log;

/* An empty log; NULL on OOM. */
events_log *events_new(void);

/* Frees the log; NULL is a no-op. */
void events_free(events_log *e);

/* Appends an entry (from/to may be NULL); strings are copied and truncated to their fields. Returns 0, or -1 on OOM. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
int events_add(events_log *e, sim_time_t t, const char *type, const char *resource,
               const char *from, const char *to, const char *fmt, ...);

/* The number of entries, and entry i (in the order added, which is time order). */
size_t events_count(const events_log *e);
const events_entry *events_at(const events_log *e, size_t i);

/* The first entry at index >= *pos matching type and resource (NULL matches any) and to (NULL = any); advances *pos past it. NULL if none. */
const events_entry *events_find(const events_log *e, size_t *pos, const char *type,
                                const char *resource, const char *to);

/* Writes one JSON object per line: {"t":SECONDS,"type":...,"resource":...,"from":...,"to":...,"message":...}. Returns 0 or -1 on a write error. */
int events_write_jsonl(const events_log *e, FILE *out);

#endif /* FLEETSIM_EVENTS_H */
