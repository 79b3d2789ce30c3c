/*
 * event_pattern.h - an EventBridge event pattern, compiled, and the matcher
 * (aws-semantics 6.7, "Event pattern matching").
 *
 * A pattern is a list of fields (a path such as "source", "detail-type",
 * "resources" or "detail.EC2InstanceId"), each with a list of matchers. Every
 * field must match (AND); a field matches when any of its matchers does (OR).
 * A matcher is an exact string, a prefix, a suffix, equals-ignore-case,
 * anything-but a list of strings, or exists true|false. Strings compare byte by byte, with no case-folding; an
 * event field holding several values (resources) matches when any value does.
 *
 * The pattern owns its strings. Prefix: evp_.
 */
#ifndef FLEETSIM_EVENT_PATTERN_H
#define FLEETSIM_EVENT_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/aws_event.h"

typedef enum evp_op {
    EVP_EXACT,        /* "Credit" */
    EVP_PREFIX,       /* {prefix: "us-"} */
    EVP_SUFFIX,       /* {suffix: ".png"} */
    EVP_EQUALS_IGNORE_CASE, /* {equals-ignore-case: "alice"}: ASCII letters fold */
    EVP_ANYTHING_BUT, /* {anything-but: x} or {anything-but: [a, b]}: the field exists and is none of them */
    EVP_EXISTS,       /* {exists: true|false} */
} evp_op;

typedef struct evp_matcher {
    evp_op op;
    char **strs;      /* EXACT, PREFIX: one; ANYTHING_BUT: n */
    size_t n;
    bool exists;      /* EXISTS */
} evp_matcher;

typedef struct evp_field {
    char *path;       /* "detail.EC2InstanceId" */
    evp_matcher *m;
    size_t n;
} evp_field;

typedef struct evp {
    evp_field *fields;
    size_t n;
} evp;

/* Adds field path to p (copied); its index, or -1 out of memory. */
int evp_add_field(evp *p, const char *path);
/* Adds a matcher to field f: strs (n of them, copied; one except for ANYTHING_BUT); exists for EXISTS. 0, or -1 out of memory. */
int evp_add(evp *p, size_t f, evp_op op, const char *const *strs, size_t n, bool exists);
/* True if ev matches every field of p (an empty pattern matches everything). */
bool evp_match(const evp *p, const aws_event *ev);
/* Frees what p owns and empties it. */
void evp_free(evp *p);

#endif /* FLEETSIM_EVENT_PATTERN_H */
