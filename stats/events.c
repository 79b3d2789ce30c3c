/*
 * events.c - the run's activity history, kept in memory and written as JSON
 * lines (events.jsonl) after the run.
 *
 * Entries are appended in the order the models log them, which is simulation
 * time order (the kernel never goes back in time), so the file needs no sort.
 * Output is deterministic: times are printed as seconds with exactly three
 * decimals from the integer nanosecond clock (no floating point, no locale),
 * strings are JSON-escaped byte by byte.
 */
#include "stats/events.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct events_log {
    events_entry *items;
    size_t n, cap;
};

events_log *events_new(void) { return calloc(1, sizeof(events_log)); }

void events_free(events_log *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->items[i].message);
    free(e->items);
    free(e);
}

/* Copies s into a field of size n, truncated (never splitting nothing but bytes: the callers' strings are ASCII ids). */
static void copy_field(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

int events_add(events_log *e, sim_time_t t, const char *type, const char *resource,
               const char *from, const char *to, const char *fmt, ...)
{
    if (!e)
        return -1;
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        events_entry *a = realloc(e->items, cap * sizeof *a);
        if (!a)
            return -1;
        e->items = a;
        e->cap = cap;
    }
    char *msg;
    if (!fmt) {
        msg = calloc(1, 1);
        if (!msg)
            return -1;
    } else {
        va_list ap;
        va_start(ap, fmt);
        va_list ap2;
        va_copy(ap2, ap);
        int len = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (len < 0) {
            va_end(ap2);
            return -1;
        }
        msg = malloc((size_t)len + 1);
        if (!msg) {
            va_end(ap2);
            return -1;
        }
        vsnprintf(msg, (size_t)len + 1, fmt, ap2);
        va_end(ap2);
    }
    events_entry *x = &e->items[e->n++];
    memset(x, 0, sizeof *x);
    x->t = t;
    copy_field(x->type, sizeof x->type, type);
    copy_field(x->resource, sizeof x->resource, resource);
    copy_field(x->from, sizeof x->from, from);
    copy_field(x->to, sizeof x->to, to);
    x->message = msg;
    return 0;
}

size_t events_count(const events_log *e) { return e ? e->n : 0; }

const events_entry *events_at(const events_log *e, size_t i)
{
    return e && i < e->n ? &e->items[i] : NULL;
}

const events_entry *events_find(const events_log *e, size_t *pos, const char *type,
                                const char *resource, const char *to)
{
    if (!e)
        return NULL;
    size_t start = pos ? *pos : 0;
    for (size_t i = start; i < e->n; i++) {
        const events_entry *x = &e->items[i];
        if ((type && strcmp(x->type, type) != 0) || (resource && strcmp(x->resource, resource) != 0) ||
            (to && strcmp(x->to, to) != 0))
            continue;
        if (pos)
            *pos = i + 1;
        return x;
    }
    if (pos)
        *pos = e->n;
    return NULL;
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* Seconds with three decimals from integer ns, rounded half away from zero; no double, no locale. */
static void json_time(FILE *out, sim_time_t t)
{
    int neg = t < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    uint64_t ms = a / 1000000u + (a % 1000000u >= 500000u);
    fprintf(out, "%s%" PRIu64 ".%03" PRIu64, neg ? "-" : "", ms / 1000u, ms % 1000u);
}

int events_write_jsonl(const events_log *e, FILE *out)
{
    for (size_t i = 0; e && i < e->n; i++) {
        const events_entry *x = &e->items[i];
        fputs("{\"t\":", out);
        json_time(out, x->t);
        fputs(",\"type\":", out);
        json_str(out, x->type);
        fputs(",\"resource\":", out);
        json_str(out, x->resource);
        fputs(",\"from\":", out);
        json_str(out, x->from);
        fputs(",\"to\":", out);
        json_str(out, x->to);
        fputs(",\"message\":", out);
        json_str(out, x->message);
        fputs("}\n", out);
    }
    return ferror(out) ? -1 : 0;
}
