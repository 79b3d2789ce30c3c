/*
 * loader.h - the scenario loader's core, shared by every resource type.
 *
 * The core knows YAML nodes, units, money, distributions, references and
 * "did you mean"; it knows no resource type. Each type is described once by
 * a res_type (its Terraform name, aliases, load order and operations) in its
 * own *_cfg.c beside its model, and listed once in registry.c. The loader
 * walks that list; nothing else names the types.
 *
 * Getters return 0 when the key is absent (the default is left in *out),
 * 1 when read, -1 after reporting an error at the node's file:line:col.
 * Every error is reported and loading goes on, so one run shows every
 * mistake in a file.
 *
 * Prefix: ld_ (loader).
 */
#ifndef FLEETSIM_LOADER_H
#define FLEETSIM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/core/scenario.h"
#include "models/core/scenario_tree.h"
#include "sim/sim.h"

typedef struct loader loader;
typedef struct res_type res_type;
typedef struct ld_sect ld_sect;

/* A resource under `resources:` as the first pass found it. */
typedef struct ld_res {
    const char *name;
    const scn_node *key, *val;
    const res_type *type; /* NULL when the entry is broken (already reported) */
    int idx;              /* index among the resources of its type, in file order */
} ld_res;

/*
 * One resource type. The loader allocates `cfg_size` bytes per resource of
 * the type in the scenario array at `arr_off` (its count at `n_off`) and
 * calls `load` on each, in passes so that a type's cross-checks find what
 * they look at already loaded. A type with cfg_size 0 has no array of its own
 * (a subscription adds to its topic).
 */
struct res_type {
    const char *tf_type;              /* "aws_lb" */
    const char *const *aliases;       /* NULL-terminated, or NULL: older Terraform names ("aws_alb") */
    int pass;                         /* 0, 1 or 2: load order */
    size_t cfg_size;                  /* sizeof the scenario's struct for one resource; 0 = none */
    size_t arr_off, n_off;            /* offsetof(scenario, array) and offsetof(scenario, count) */
    /* Validates one block into cfg (zeroed, name and loc set); reports every error with its position. */
    void (*load)(loader *v, const ld_sect *s, void *cfg, const ld_res *r);
    /* After every resource of every type is loaded: checks across resources of this type (may be NULL). */
    void (*finish)(loader *v);
    /* Frees what load allocated inside one cfg (not cfg itself; may be NULL). */
    void (*free_cfg)(void *cfg);
};

/* The resource types, NULL-terminated, in the order of registry.c. */
extern const res_type *const ld_types[];
/* Terraform types fleetsim does not model yet, NULL-terminated: "not supported yet" rather than "unknown". */
extern const char *const ld_later_types[];

/* The loader's state while validating one scenario. */
struct loader {
    scn_ctx c;
    scenario *s;
    ld_res *res;
    size_t n_res;
    ld_res **by_name;       /* res sorted by name, for lookups */
    struct ld_ovr *ovr;     /* entries under `instance_types:` */
    size_t n_ovr;
    size_t itypes_cap;
    const scn_node *duration_node;
    bool bad_region;        /* already reported: zones are then not checked against it */
};

/* A mapping being read: where "missing key" points and how messages name it. */
struct ld_sect {
    loader *v;
    const scn_node *map;    /* NULL: absent or broken; getters then return defaults quietly */
    const scn_node *owner;
    const char *what;
};

/* Longest duration any key accepts (400 days). */
#define LD_BIG_DUR (400 * SIM_DAY)

/* ---------------------------------------------------------------- words and units */

/* strdup that returns NULL on NULL or out of memory. */
char *ld_dupstr(const char *s);
/* True once SCN_MAX_DIAGS errors are reported: costly suggestions stop. */
bool ld_quiet(const loader *v);
/* Keeps in *best the candidate closest to word (edit distance, small enough to be a typo). */
void ld_suggest(const char *word, const char *cand, const char **best, int *best_d);
/* " (did you mean 'X'?)" for a suggestion, "" for none; written into buf. */
const char *ld_hint(char *buf, size_t size, const char *best);
/* True if s is in the NULL-terminated list (NULL list: false). */
bool ld_in_list(const char *s, const char *const *list);
/* Nanoseconds to seconds. */
double ld_sec(sim_time_t t);
/* A duration as the shortest exact text ("90s", "1h30m"). */
const char *ld_fmt_dur(char *buf, size_t size, sim_time_t t);
/* Parses "250ms", "90s", "1h30m"...; NULL on success, else the reason in why. */
const char *ld_parse_duration(const char *s, sim_time_t *out, char *why, size_t why_size);
/* Parses a finite decimal number; false if s is not one. */
bool ld_parse_number(const char *s, double *out);
/* Parses an RFC 3339 UTC time stamp into seconds since 1970. */
bool ld_parse_rfc3339(const char *s, int64_t *out);

/* ---------------------------------------------------------------- sections and getters */

/* The value of key in s, or NULL. */
const scn_node *ld_sect_get(const ld_sect *s, const char *key);
/* The key node of key in s, or NULL (for errors that point at a key rather than its value). */
const scn_node *ld_sect_key(const ld_sect *s, const char *key);
/* Opens n as a mapping section; reports and returns false if it is something else. */
bool ld_sect_open(loader *v, ld_sect *s, const scn_node *n, const scn_node *owner, const char *what);
/* Reports every key not in keys (with "did you mean"); keys in later are "not supported yet". */
void ld_sect_keys(const ld_sect *s, const char *const *keys, const char *const *later);
/* The value of key, or NULL; reports a missing required key at the section's owner. */
const scn_node *ld_sect_need(const ld_sect *s, const char *key, bool required);
/* A scalar that is not null, or NULL after reporting what was expected. */
const scn_node *ld_want_scalar(const ld_sect *s, const scn_node *n, const char *key, const char *expected);
/* Reports each of keys present in s: they belong to another kind of the same resource (which). */
void ld_only_for(const ld_sect *s, const char *const *keys, const char *which);

/* A string of at most max bytes, copied into out when out_size > max; *where gets the node. */
int ld_get_str(const ld_sect *s, const char *key, bool required, size_t max, char *out, size_t out_size,
               const scn_node **where);
/* A duration value node (any scalar with a unit). */
int ld_dur_value(const ld_sect *s, const scn_node *n, const char *key, sim_time_t *out);
/* A duration in [lo, hi]; lo == 1 means "more than 0". */
int ld_get_dur(const ld_sect *s, const char *key, bool required, sim_time_t def, sim_time_t lo, sim_time_t hi,
               sim_time_t *out);
/* An integer in [lo, hi]. */
int ld_get_int(const ld_sect *s, const char *key, bool required, long long def, long long lo, long long hi,
               long long *out);
/* A number in (lo, hi] when lo_open, else [lo, hi]. */
int ld_get_num(const ld_sect *s, const char *key, bool required, double def, double lo, bool lo_open, double hi,
               double *out);
/* An amount of money written "$0.085", USD. */
int ld_get_money(const ld_sect *s, const char *key, bool required, double *out);
/* true or false. */
int ld_get_bool(const ld_sect *s, const char *key, bool def, bool *out);
/* One of names (NULL-terminated): *out = its index; later names are "not supported yet". */
int ld_get_enum(const ld_sect *s, const char *key, const char *const *names, const char *const *later, int *out,
                const scn_node **where);
/* A time offset: a duration from t = 0, or an RFC 3339 time stamp relative to start_time. */
int ld_get_when(const ld_sect *s, const char *key, sim_time_t *out, const scn_node **where);
/* A sequence of at most max items of `of`, or NULL after reporting. */
const scn_node *ld_get_seq(const ld_sect *s, const char *key, bool required, size_t max, const char *of);
/* A distribution block ({dist: lognormal, ...}) in seconds; *values owns an empirical sample. */
int ld_get_dist(const ld_sect *ps, const char *key, bool required, sim_dist *out, double **values);
/* An availability zone of the scenario's region (reported at n otherwise). */
bool ld_check_az(loader *v, const scn_node *n, const char *az);

/* ---------------------------------------------------------------- resources and references */

/* The type named tf_type or one of its aliases, or NULL. */
const res_type *ld_type_find(const char *tf_type);
/* The resource named name, or NULL. */
const ld_res *ld_res_find(const loader *v, const char *name);
/* True if r is a resource of the type named tf_type. */
bool ld_res_is(const ld_res *r, const char *tf_type);
/* The scenario's struct of resource index idx of type t. */
void *ld_cfg_at(const loader *v, const res_type *t, int idx);
/*
 * Resolves a reference node (NAME, or Terraform's TYPE.NAME[.arn|.id|.name|.arn_suffix]) to the
 * index of a resource of one of the types named in types (NULL-terminated); *type_out (may be
 * NULL) gets the type found.
 */
int ld_resolve_any(loader *v, const scn_node *n, const char *key, const char *const *types,
                   const res_type **type_out, int *out);
/* ld_resolve_any for one type. */
int ld_resolve(loader *v, const scn_node *n, const char *key, const char *tf_type, int *out);
/* The reference under key: *out = -1 when absent. */
int ld_get_ref(const ld_sect *s, const char *key, bool required, const char *tf_type, int *out);

/* Reads `instance_types:` (overrides and new types), before any resource names a type. */
void ld_load_instance_types(loader *v, const scn_node *n);
/* Resolves an instance type name to an index into the scenario's itypes, adding it on first use. */
int ld_itype_ref(loader *v, const ld_sect *s, const char *key, int *out);

/* Reads `resources:` through the type table: learns every name, then loads each in its type's pass. */
void ld_load_resources(loader *v, const scn_node *n);

#endif /* FLEETSIM_LOADER_H */
