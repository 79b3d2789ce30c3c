/*
 * event_pattern.c - EventBridge's content filtering on the flat envelope of
 * aws_event.h (aws-semantics 6.7).
 */
#include "models/events/event_pattern.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int evp_add_field(evp *p, const char *path)
{
    evp_field *a = realloc(p->fields, (p->n + 1) * sizeof *a);
    if (!a)
        return -1;
    p->fields = a;
    a[p->n] = (evp_field){.path = dup(path)};
    if (!a[p->n].path)
        return -1;
    return (int)p->n++;
}

int evp_add(evp *p, size_t f, evp_op op, const char *const *strs, size_t n, bool exists)
{
    if (f >= p->n)
        return -1;
    evp_field *fl = &p->fields[f];
    evp_matcher *a = realloc(fl->m, (fl->n + 1) * sizeof *a);
    if (!a)
        return -1;
    fl->m = a;
    evp_matcher *m = &a[fl->n];
    *m = (evp_matcher){.op = op, .exists = exists};
    if (op != EVP_EXISTS && n) {
        if (!(m->strs = calloc(n, sizeof *m->strs)))
            return -1;
        fl->n++; /* counted now so that evp_free releases a half-copied list */
        for (size_t i = 0; i < n; i++) {
            if (!(m->strs[i] = dup(strs[i])))
                return -1;
            m->n++;
        }
        return 0;
    }
    fl->n++;
    return 0;
}

/* The values the event holds at path (several for resources); how many, at most max. */
static size_t values_at(const aws_event *ev, const char *path, const char **out, size_t max)
{
    const char *one = NULL;
    if (strcmp(path, "source") == 0)
        one = ev->source;
    else if (strcmp(path, "detail-type") == 0)
        one = ev->detail_type;
    else if (strcmp(path, "account") == 0)
        one = ev->account;
    else if (strcmp(path, "region") == 0)
        one = ev->region;
    else if (strcmp(path, "id") == 0)
        one = ev->id;
    else if (strcmp(path, "resources") == 0) {
        size_t n = 0;
        for (size_t i = 0; i < ev->n_resources && n < max; i++)
            if (ev->resources[i])
                out[n++] = ev->resources[i];
        return n;
    } else if (strncmp(path, "detail.", 7) == 0) {
        /* The detail is flat (aws_event.h): a deeper path names nothing. */
        for (size_t i = 0; i < ev->n_detail; i++)
            if (ev->detail[i].key && strcmp(ev->detail[i].key, path + 7) == 0)
                one = ev->detail[i].value;
    }
    if (!one || max == 0)
        return 0;
    out[0] = one;
    return 1;
}

static bool ends_with(const char *v, const char *suffix)
{
    size_t n = strlen(v), k = strlen(suffix);
    return n >= k && memcmp(v + n - k, suffix, k) == 0;
}

/* EventBridge folds case by Unicode rules; fleetsim folds ASCII letters only. */
static bool equal_ignore_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

static bool one_matches(const evp_matcher *m, const char *const *vals, size_t n)
{
    if (m->op == EVP_EXISTS)
        return m->exists == (n > 0);
    for (size_t i = 0; i < n; i++) {
        const char *v = vals[i];
        switch (m->op) {
        case EVP_EXACT:
            if (strcmp(v, m->strs[0]) == 0)
                return true;
            break;
        case EVP_PREFIX:
            if (strncmp(v, m->strs[0], strlen(m->strs[0])) == 0)
                return true;
            break;
        case EVP_SUFFIX:
            if (ends_with(v, m->strs[0]))
                return true;
            break;
        case EVP_EQUALS_IGNORE_CASE:
            if (equal_ignore_case(v, m->strs[0]))
                return true;
            break;
        case EVP_ANYTHING_BUT: {
            bool listed = false;
            for (size_t k = 0; k < m->n && !listed; k++)
                listed = strcmp(v, m->strs[k]) == 0;
            if (!listed)
                return true;
            break;
        }
        case EVP_EXISTS:
            break;
        }
    }
    return false;
}

bool evp_match(const evp *p, const aws_event *ev)
{
    const char *vals[AEV_MAX_RESOURCES + 1];
    for (size_t f = 0; f < p->n; f++) {
        const evp_field *fl = &p->fields[f];
        size_t n = values_at(ev, fl->path, vals, sizeof vals / sizeof vals[0]);
        bool any = false;
        for (size_t k = 0; k < fl->n && !any; k++)
            any = one_matches(&fl->m[k], vals, n);
        if (!any)
            return false;
    }
    return true;
}

void evp_free(evp *p)
{
    for (size_t f = 0; f < p->n; f++) {
        evp_field *fl = &p->fields[f];
        for (size_t k = 0; k < fl->n; k++) {
            for (size_t i = 0; i < fl->m[k].n; i++)
                free(fl->m[k].strs[i]);
            free(fl->m[k].strs);
        }
        free(fl->m);
        free(fl->path);
    }
    free(p->fields);
    *p = (evp){0};
}
