/*
 * rows.c - per-resource report rows (rows.h).
 */
#include "stats/rows.h"

#include <stdlib.h>
#include <string.h>

struct rows {
    rows_row *rows;
    size_t n, cap;
};

static char *dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d;
}

rows *rows_new(void) { return calloc(1, sizeof(rows)); }

void rows_free(rows *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->n; k++) {
        rows_row *w = &r->rows[k];
        for (size_t f = 0; f < w->n_fields; f++)
            free((char *)w->fields[f].str);
        free(w->fields);
        free((char *)w->type);
        free((char *)w->name);
    }
    free(r->rows);
    free(r);
}

int rows_begin(rows *r, const char *type, const char *name)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        rows_row *a = realloc(r->rows, cap * sizeof *a);
        if (!a)
            return -1;
        r->rows = a;
        r->cap = cap;
    }
    rows_row *w = &r->rows[r->n];
    memset(w, 0, sizeof *w);
    w->type = dup(type);
    w->name = dup(name);
    if (!w->type || !w->name) {
        free((char *)w->type);
        free((char *)w->name);
        return -1;
    }
    r->n++;
    return 0;
}

/* A new field at the end of the current row, or NULL. */
static rows_field *add(rows *r, const char *key, rows_kind kind)
{
    if (!r || r->n == 0)
        return NULL;
    rows_row *w = &r->rows[r->n - 1];
    if (w->n_fields == w->cap_fields) {
        size_t cap = w->cap_fields ? 2 * w->cap_fields : 8;
        rows_field *a = realloc(w->fields, cap * sizeof *a);
        if (!a)
            return NULL;
        w->fields = a;
        w->cap_fields = cap;
    }
    rows_field *f = &w->fields[w->n_fields++];
    memset(f, 0, sizeof *f);
    f->key = key;
    f->kind = kind;
    return f;
}

int rows_num(rows *r, const char *key, double v)
{
    rows_field *f = add(r, key, ROWS_NUM);
    if (!f)
        return -1;
    f->num = v;
    return 0;
}

int rows_int(rows *r, const char *key, int64_t v)
{
    rows_field *f = add(r, key, ROWS_INT);
    if (!f)
        return -1;
    f->i = v;
    return 0;
}

int rows_str(rows *r, const char *key, const char *v)
{
    char *d = dup(v);
    rows_field *f = d ? add(r, key, ROWS_STR) : NULL;
    if (!f) {
        free(d);
        return -1;
    }
    f->str = d;
    return 0;
}

int rows_null(rows *r, const char *key) { return add(r, key, ROWS_NULL) ? 0 : -1; }

const rows_row *rows_all(const rows *r, size_t *n)
{
    if (n)
        *n = r ? r->n : 0;
    return r ? r->rows : NULL;
}

int rows_get_num(const rows_row *r, const char *key, double *v)
{
    for (size_t f = 0; f < r->n_fields; f++) {
        const rows_field *x = &r->fields[f];
        if (strcmp(x->key, key) != 0)
            continue;
        if (x->kind == ROWS_NUM)
            *v = x->num;
        else if (x->kind == ROWS_INT)
            *v = (double)x->i;
        else
            return 0;
        return 1;
    }
    return 0;
}
