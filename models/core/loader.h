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

#include "models/core/api.h"
#include "models/core/aws_event.h"
#include "models/core/scenario.h"
#include "models/core/scenario_tree.h"
#include "sim/sim.h"

#include <stdio.h>

typedef struct loader loader;
typedef struct res_type res_type;
typedef struct ld_sect ld_sect;
typedef struct wb wb;            /* build.h: the world under construction */
typedef struct rows rows;        /* stats/rows.h: per-resource report rows */
struct cost_ledger;              /* stats/cost.h */
struct wb_gauges;                /* build.h */

/* ---------------------------------------------------------------- key tables */

/* What a key holds; the getter of that kind reads it. */
typedef enum ld_kind {
    LD_STR,     /* a string of at most `hi` bytes */
    LD_INT,     /* an integer in [lo, hi] */
    LD_NUM,     /* a number in [lo, hi], or (lo, hi] with LD_LO_OPEN */
    LD_BOOL,    /* true or false */
    LD_DUR,     /* a duration with a unit (250ms, 90s, 5m): fleetsim's own keys */
    LD_SECONDS, /* Terraform's number of seconds: 300 or, with a unit, 5m */
    LD_MONEY,   /* $0.085 */
    LD_ENUM,    /* one of `values` */
    LD_REF,     /* the name of a resource (Terraform's TYPE.NAME.arn works too) */
    LD_REFS,    /* a list of references */
    LD_DIST,    /* a distribution block in seconds ({dist: lognormal, p50: 20s, p99: 45s}) */
    LD_BLOCK,   /* a nested block, its keys in `block` */
    LD_LIST,    /* a list read by the type's own code (documented by `doc`) */
    LD_NOTSIM,  /* accepted and not simulated: `check` lists it as a note */
    LD_LATER,   /* Terraform has it and fleetsim does not model it yet: an error */
} ld_kind;

enum {
    LD_REQUIRED = 1u << 0, /* missing is an error at the block */
    LD_LO_OPEN = 1u << 1,  /* LD_NUM, LD_DUR, LD_SECONDS: more than lo, not equal */
};

/*
 * One key of a block, the single source of its default and range. def, lo
 * and hi are written as a scenario would write them ("300", "30s",
 * "round_robin") and parsed by the same code as the scenario's values, so
 * docs/scenario.md's key reference (`fleetsim keys`) is printed from here.
 */
typedef struct ld_key {
    const char *name;
    ld_kind kind;
    const char *def;               /* NULL: no default (see doc) */
    const char *lo, *hi;           /* NULL: unbounded (LD_STR: hi is the longest length) */
    unsigned flags;                /* LD_REQUIRED, LD_LO_OPEN */
    const char *source;            /* where the default and range come from (Terraform, AWS, fleetsim) */
    const char *doc;               /* one line */
    const char *const *values;     /* LD_ENUM: NULL-terminated */
    const char *const *later;      /* LD_ENUM: values Terraform has and fleetsim does not model yet */
    const struct ld_key *block;    /* LD_BLOCK: its keys, ending with a {NULL} row */
} ld_key;

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
    const char *doc;                  /* one line for the key reference */
    const ld_key *keys;               /* its keys, ending with a {NULL} row */
    const char *const *aliases;       /* NULL-terminated, or NULL: older Terraform names ("aws_alb") */
    int pass;                         /* 0, 1 or 2: load order */
    size_t cfg_size;                  /* sizeof the scenario's struct for one resource; 0 = none */
    /* offsetof(scenario, array) and offsetof(scenario, count); both 0 for a type whose config struct is
       declared beside its model: the scenario then keeps its array in a per-type slot (ld_type_cfgs). */
    size_t arr_off, n_off;
    /* Validates one block into cfg (zeroed, name and loc set); reports every error with its position. */
    void (*load)(loader *v, const ld_sect *s, void *cfg, const ld_res *r);
    /* After every resource of every type is loaded: checks across resources of this type (may be NULL). */
    void (*finish)(loader *v);
    /* Frees what load allocated inside one cfg (not cfg itself; may be NULL). */
    void (*free_cfg)(void *cfg);

    /* The run (build.h). Every op may be NULL: a type without build builds no model of its own. */
    int stage;                        /* WB_STAGE_*: when build runs */
    /* Builds resource idx (cfg) onto the world; 0 with *model set (may stay NULL), or -1 with a message in err. */
    int (*build)(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen);
    /* Frees what build made (the world frees in reverse build order). */
    void (*free_model)(void *model);
    /* At each report window: adds what the resource counts now (build.h wb_gauges). */
    void (*gauge)(const void *model, struct wb_gauges *g);
    const char *cost_item;            /* the ledger line its cost op adds to, listed (at $0) when the scenario has one */
    /* After the run: adds the resource's line items to the ledger. */
    void (*cost)(const void *model, const void *cfg, wb *b, struct cost_ledger *l);
    /* After the run: adds the resource's rows to the report. */
    void (*report)(const void *model, const void *cfg, wb *b, rows *r);
    /*
     * As an EventBridge target (aws_cloudwatch_event_target's arn): an asynchronous invocation with
     * ev as its payload, at the current time. API_OK when accepted, else why it was refused
     * (API_THROTTLED, API_SERVICE_ERROR: EventBridge retries those). NULL: the type is no target.
     */
    api_status (*invoke_async)(void *model, const aws_event *ev);
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
    const char **noted;     /* LD_NOTSIM key names already noted */
    size_t n_noted;
};

/* A mapping being read: where "missing key" points and how messages name it. */
struct ld_sect {
    loader *v;
    const scn_node *map;    /* NULL: absent or broken; getters then return defaults quietly */
    const ld_key *keys;     /* the block's key table (ld_sect_check), or NULL */
    const scn_node *owner;
    const char *what;
    bool resource;          /* a block under `resources:`: its `type` key is the walker's */
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
/* *out = t when lo <= t <= hi (lo == 1: "more than 0"); else reports at n and returns -1. */
int ld_dur_in_range(const ld_sect *s, const scn_node *n, const char *key, sim_time_t t, sim_time_t lo,
                    sim_time_t hi, sim_time_t *out);
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
/* t's position in ld_types (the count of types for a type not in it). */
size_t ld_type_index(const res_type *t);
/* The scenario's array of type t's configs (NULL if none) and, in *n (may be NULL), their count. */
void *ld_type_cfgs(const scenario *s, const res_type *t, size_t *n);
/* Sets the scenario's array of type t (allocated by the loader, freed by scn_free); false out of memory. */
bool ld_type_set_cfgs(scenario *s, const res_type *t, void *arr, size_t n);
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

/* The region whose price table applies (us-west-2 while the scenario's region is in error). */
const char *ld_price_region(const loader *v);
/* Reads `instance_types:` (overrides and new types), before any resource names a type. */
void ld_load_instance_types(loader *v, const scn_node *n);
/* Resolves an instance type name to an index into the scenario's itypes, adding it on first use. */
int ld_itype_ref(loader *v, const ld_sect *s, const char *key, int *out);

/* ---------------------------------------------------------------- table-driven getters */

/* The row of name in keys, or NULL. */
const ld_key *ld_key_find(const ld_key *keys, const char *name);
/*
 * Checks every key of s against keys: unknown keys are errors with "did you
 * mean", LD_LATER keys are "not supported yet", LD_NOTSIM keys are noted once
 * per name for `check`. Remembers keys for the getters below.
 */
void ld_sect_check(ld_sect *s, const ld_key *keys);
/* Opens the LD_BLOCK key name of s as a section with its own table and checks it; false if absent or broken (the getters then give the table's defaults). */
bool ld_block(const ld_sect *s, const char *name, ld_sect *out, char *what, size_t what_size);
/* The getters of scenario keys by name from the section's table: default, range and "required" from the row. */
int ld_dur(const ld_sect *s, const char *name, sim_time_t *out);   /* LD_DUR, LD_SECONDS */
int ld_int(const ld_sect *s, const char *name, long long *out);    /* LD_INT */
int ld_num(const ld_sect *s, const char *name, double *out);       /* LD_NUM */
int ld_bool(const ld_sect *s, const char *name, bool *out);        /* LD_BOOL */
int ld_enum(const ld_sect *s, const char *name, int *out, const scn_node **where); /* LD_ENUM: index in values */
int ld_str(const ld_sect *s, const char *name, char *out, size_t out_size, const scn_node **where); /* LD_STR */
int ld_ref(const ld_sect *s, const char *name, const char *tf_type, int *out); /* LD_REF */
int ld_dist(const ld_sect *s, const char *name, sim_dist *out, double **values); /* LD_DIST */
const scn_node *ld_seq(const ld_sect *s, const char *name, const char *of); /* LD_LIST, LD_REFS, LD_BLOCK lists: at most hi items of `of` */
/* A row's default as the getters read it (for code that needs it before reading, e.g. desired = min). */
long long ld_int_default(const ld_key *keys, const char *name);

/* Adds a note (not an error) at n: the scenario loads and `check` prints it. */
void ld_note(loader *v, const scn_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prints one key table (Markdown) with its nested blocks; title NULL for a type's own table. */
void ld_keys_table(FILE *out, const char *title, const ld_key *keys);
/* Prints the key reference of every type (Markdown) from the tables: docs/scenario.md holds this text. */
void ld_keys_markdown(FILE *out);

/* The keys of an API script's `retry:` block (api_script.h), for a type's key table. */
extern const ld_key as_retry_keys[];

/* Reads `resources:` through the type table: learns every name, then loads each in its type's pass. */
void ld_load_resources(loader *v, const scn_node *n);

/* The directory part of path (with its '/') into out, or "" for a bare name or one too long for out: where a scenario's relative file names start. */
void ld_dir_of(const char *path, char *out, size_t size);

#endif /* FLEETSIM_LOADER_H */
