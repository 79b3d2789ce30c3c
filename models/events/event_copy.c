/*
 * event_copy.c - deep copies of aws_event (one allocation per event).
 */
#include "models/events/event_copy.h"

#include <stdlib.h>
#include <string.h>

static size_t len0(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Copies s to *at (advancing it); NULL stays NULL. */
static const char *put(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *r = *at;
    *at += n;
    return r;
}

int evc_copy(evc_event *dst, const aws_event *src, const char *id_override)
{
    const char *id = id_override ? id_override : src->id;
    size_t n_res = src->n_resources < AEV_MAX_RESOURCES ? src->n_resources : AEV_MAX_RESOURCES;
    size_t n_det = src->n_detail < AEV_MAX_DETAIL ? src->n_detail : AEV_MAX_DETAIL;
    size_t total = len0(id) + len0(src->source) + len0(src->detail_type) + len0(src->account) + len0(src->region) + 1;
    for (size_t i = 0; i < n_res; i++)
        total += len0(src->resources[i]);
    for (size_t i = 0; i < n_det; i++)
        total += len0(src->detail[i].key) + len0(src->detail[i].value);
    *dst = (evc_event){0};
    if (!(dst->buf = malloc(total)))
        return -1;
    char *at = dst->buf;
    aws_event *e = &dst->ev;
    e->id = put(&at, id);
    e->source = put(&at, src->source);
    e->detail_type = put(&at, src->detail_type);
    e->account = put(&at, src->account);
    e->region = put(&at, src->region);
    e->time = src->time;
    e->n_resources = n_res;
    for (size_t i = 0; i < n_res; i++)
        e->resources[i] = put(&at, src->resources[i]);
    e->n_detail = n_det;
    for (size_t i = 0; i < n_det; i++) {
        e->detail[i].key = put(&at, src->detail[i].key);
        e->detail[i].value = put(&at, src->detail[i].value);
    }
    return 0;
}

void evc_free(evc_event *dst)
{
    free(dst->buf);
    *dst = (evc_event){0};
}
