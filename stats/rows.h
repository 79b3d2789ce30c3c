/*
 * rows.h - per-resource report rows: what each resource type's report
 * operation says about its resources, in a shape every writer renders
 * (text, report.json) without knowing the type.
 *
 * A row is one resource: its Terraform type, its name, and named fields in
 * the order added. A field is a number, an integer, a string or null (a
 * figure that has no value, e.g. a percentile of nothing). Rows keep the
 * order they were begun in.
 *
 * Prefix: rows_.
 */
#ifndef FLEETSIM_ROWS_H
#define FLEETSIM_ROWS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rows rows;

typedef enum rows_kind { ROWS_NUM, ROWS_INT, ROWS_STR, ROWS_NULL } rows_kind;

typedef struct rows_field {
    const char *key;     /* a snake_case name, unit in the name: "p99_ms", "cost_usd" */
    rows_kind kind;
    double num;
    int64_t i;
    const char *str;     /* owned by the rows */
} rows_field;

typedef struct rows_row {
    const char *type;    /* "aws_lambda_function" */
    const char *name;    /* the resource's name */
    rows_field *fields;
    size_t n_fields, cap_fields;
} rows_row;

/* An empty set of rows; NULL out of memory. */
rows *rows_new(void);
/* Frees r; NULL is a no-op. */
void rows_free(rows *r);
/* Starts the row of resource name of type (both copied); later fields go to it. 0, or -1 out of memory. */
int rows_begin(rows *r, const char *type, const char *name);
/* Adds a field to the current row (key must be a string literal or outlive r). 0, or -1 (out of memory, or no row begun). */
int rows_num(rows *r, const char *key, double v);
int rows_int(rows *r, const char *key, int64_t v);
int rows_str(rows *r, const char *key, const char *v);
int rows_null(rows *r, const char *key);
/* The rows, in the order begun. */
const rows_row *rows_all(const rows *r, size_t *n);
/* Row r's field key as a number (ROWS_NUM or ROWS_INT) into *v: 1, or 0 when r has no such numeric field (*v untouched). */
int rows_get_num(const rows_row *r, const char *key, double *v);

#endif /* FLEETSIM_ROWS_H */
