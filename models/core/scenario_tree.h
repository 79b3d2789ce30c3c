/*
 * scenario_tree.h - the loader's private YAML node tree (models/scenario_*.c only).
 *
 * libyaml's document API drops nothing we need but keeps aliases live and has
 * no depth limit, so the loader builds its own small tree from the event
 * stream: every node keeps its 1-based start position, and nodes created by a
 * --set keep a pointer to that --set string so diagnostics can name it.
 */
#ifndef FLEETSIM_SCENARIO_TREE_H
#define FLEETSIM_SCENARIO_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/scenario.h"

#define SCN_MAX_BYTES ((size_t)16 << 20) /* larger inputs are refused before parsing */
#define SCN_MAX_DEPTH 64                 /* deeper nesting is refused while parsing */
#define SCN_MAX_NODES 1000000            /* ~100 bytes each: bounds memory at ~100 MB even for "[a,a,a,...]" */

typedef enum scn_nkind { SCN_N_SCALAR, SCN_N_MAP, SCN_N_SEQ } scn_nkind;

typedef struct scn_node {
    scn_nkind kind;
    bool plain;              /* scalar written without quotes: only these can be null */
    int line, col;           /* 1-based; both 0 for nodes made by a --set */
    const char *set;         /* the --set string this node came from, or NULL */
    char *str;               /* scalar text, NUL-terminated, never containing NUL */
    struct scn_node **kids;  /* MAP: key0, value0, key1, value1...; SEQ: items */
    size_t n, cap;           /* entries in kids (a MAP holds n/2 pairs) */
} scn_node;

/* Loader state shared by the parsing and validating halves. */
typedef struct scn_ctx {
    const char *file;
    scn_diags *d;
    int errors;  /* every error, including those past SCN_MAX_DIAGS or lost to OOM */
} scn_ctx;

/* Adds a diagnostic at n (a --set node is reported by its --set string, without position). */
void scn_err(scn_ctx *c, const scn_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a diagnostic at an explicit 1-based position (0, 0 = none). */
void scn_err_at(scn_ctx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parses one YAML document into a tree; NULL with *failed = 0 for an empty stream, NULL with *failed = 1 after a diagnostic. */
scn_node *scn_parse(scn_ctx *c, const char *text, size_t len, const char *set, int *failed);

/* Applies one "PATH=VALUE" to the tree rooted at *root; returns 0, or -1 after a diagnostic. */
int scn_apply_set(scn_ctx *c, scn_node **root, const char *set);

/* Puts a copy of value at the dotted path path->str (a variant's override), by the walk --set takes; errors at path's position. 0, or -1 after a diagnostic. */
int scn_apply_node(scn_ctx *c, scn_node **root, const scn_node *path, const scn_node *value);

/* A deep copy of n (positions kept); NULL out of memory. */
scn_node *scn_node_copy(const scn_node *n);

/* Frees a tree; NULL is a no-op. */
void scn_node_free(scn_node *n);

/* True for a plain scalar that YAML reads as null ("", "~", "null"). */
bool scn_is_null(const scn_node *n);

/* "a mapping", "a sequence", "nothing (null)" or "a scalar": for "expected X, found Y". */
const char *scn_kind_name(const scn_node *n);

/* Copies s into buf (size >= 80) for quoting in a message: control bytes become '?', long text is cut with "...". */
const char *scn_clip(char *buf, size_t size, const char *s);

/* Sorts the diagnostics by position, keeping the order of equal positions. */
void scn_diags_sort(scn_diags *d);

/* qsort comparator for scn_node pointers: by string, then by position in the file (finds duplicates in file order). */
int scn_node_str_pos_cmp(const void *pa, const void *pb);

#endif /* FLEETSIM_SCENARIO_TREE_H */
