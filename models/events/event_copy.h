/*
 * event_copy.h - an aws_event kept past the call that passed it (aws_event.h:
 * values are borrowed), its strings in one owned buffer.
 *
 * Prefix: evc_.
 */
#ifndef FLEETSIM_EVENT_COPY_H
#define FLEETSIM_EVENT_COPY_H

#include "models/core/aws_event.h"

typedef struct evc_event {
    aws_event ev;    /* its strings point into buf */
    char *buf;
} evc_event;

/* Copies src into dst (id replaced by id_override when that is not NULL); 0, or -1 out of memory. */
int evc_copy(evc_event *dst, const aws_event *src, const char *id_override);
/* Frees what evc_copy allocated; a zeroed dst is a no-op. */
void evc_free(evc_event *dst);

#endif /* FLEETSIM_EVENT_COPY_H */
