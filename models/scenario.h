/*
 * scenario.h - a validated scenario as plain structs.
 *
 * The loader (models/scenario.c) turns YAML into this; models never see
 * libyaml. Everything here is checked: ranges hold, references are resolved
 * to indices, units are converted (durations to sim_time_t nanoseconds, money
 * to USD doubles, distribution parameters to seconds). A `scenario` owns all
 * its memory; scenario_free releases it.
 *
 * YAML names follow the Terraform AWS provider (docs/scenario.md is the
 * reference for every key, its unit, default, range and the AWS default it
 * follows).
 */
#ifndef FLEETSIM_SCENARIO_H
#define FLEETSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

/* Where a value came from in the scenario file (1-based), for run-time messages. */
typedef struct scn_loc {
    int line, col;
} scn_loc;

/* ---------------------------------------------------------------- diagnostics */

typedef struct scn_diag {
    char *file;     /* as given to the loader */
    int line, col;  /* 1-based; 0 when unknown */
    char *message;  /* "unknown key 'min_sise' in aws_autoscaling_group \"web\" (did you mean 'min_size'?)" */
} scn_diag;

#define SCN_MAX_DIAGS 50 /* errors reported per file before "too many errors" */

typedef struct scn_diags {
    scn_diag *items;
    size_t n, cap;
    int truncated;         /* more errors than SCN_MAX_DIAGS */
    const char *text;      /* borrowed source text, for the quoted line and caret */
    size_t text_len;
} scn_diags;

/* Prints every diagnostic as "FILE:LINE:COL: error: MSG", the source line and a caret. */
void scn_diags_print(const scn_diags *d, FILE *out);

/* Frees the diagnostics (not the borrowed text). */
void scn_diags_free(scn_diags *d);

/* ---------------------------------------------------------------- resources */

typedef struct scn_itype {
    char name[32];
    int vcpus;         /* workers per instance: one per vCPU */
    double speed;      /* service rate of one vCPU relative to the reference (c5.large = 1.0) */
    double hourly_usd; /* On-Demand Linux price, USD per hour */
} scn_itype;

typedef enum scn_lb_algorithm {
    SCN_ALG_ROUND_ROBIN,                /* AWS default */
    SCN_ALG_LEAST_OUTSTANDING_REQUESTS,
    SCN_ALG_WEIGHTED_RANDOM,            /* "weighted_random" (alias "random"); equal weights */
} scn_lb_algorithm;

typedef struct scn_health_check {
    sim_time_t interval;      /* 30s, 5s..300s */
    sim_time_t timeout;       /* 5s, 2s..120s, < interval */
    int healthy_threshold;    /* 5, 2..10 */
    int unhealthy_threshold;  /* 2, 2..10 */
    char path[128];           /* "/" */
    char matcher[64];         /* "200" */
} scn_health_check;

typedef struct scn_target_group {
    char *name;
    scn_loc loc;
    scn_lb_algorithm algorithm;       /* load_balancing_algorithm_type */
    sim_time_t deregistration_delay;  /* 300s, 0..3600s */
    sim_time_t slow_start;            /* 0 (off) or 30s..900s */
    scn_health_check health_check;
    int port;                         /* 80, 1..65535 */
} scn_target_group;

typedef struct scn_lb {
    char *name;
    scn_loc loc;
    int target_group;        /* index into scenario.target_groups (default_target_group) */
    sim_time_t idle_timeout; /* 60s, 1s..4000s: a target silent this long -> 504 */
} scn_lb;

typedef struct scn_launch_template {
    char *name;
    scn_loc loc;
    int itype;               /* index into scenario.itypes */
    sim_dist boot_time;      /* seconds, launch -> InService; default constant 30 s */
} scn_launch_template;

/* aws_instance with `count`: a fixed set of identical instances, running at t = 0. */
typedef struct scn_instance {
    char *name;
    scn_loc loc;
    int itype;
    int count;               /* 1, 1..10000 */
    char availability_zone[32]; /* default: region + "a" */
} scn_instance;

/* aws_lb_target_group_attachment: registers every instance of an aws_instance resource. */
typedef struct scn_attachment {
    char *name;
    scn_loc loc;
    int target_group;        /* index into target_groups */
    int instance;            /* index into instances */
} scn_attachment;

typedef enum scn_health_check_type { SCN_HC_EC2, SCN_HC_ELB } scn_health_check_type;

typedef struct scn_asg {
    char *name;
    scn_loc loc;
    int launch_template;     /* index into launch_templates */
    int min_size, max_size, desired_capacity; /* desired defaults to min_size */
    char (*availability_zones)[32];
    size_t n_availability_zones;     /* default: region + "a", "b", "c" */
    int *target_groups;              /* target_group_arns, as indices */
    size_t n_target_groups;
    scn_health_check_type health_check_type; /* EC2 */
    sim_time_t health_check_grace_period;    /* 0s (API default) */
    sim_time_t default_cooldown;             /* 300s */
    sim_time_t default_instance_warmup;      /* -1 = not set (AWS default) */
} scn_asg;

/* ---------------------------------------------------------------- workload */

typedef enum scn_arrival_kind {
    SCN_ARR_POISSON,   /* constant rate `rps` */
    SCN_ARR_PIECEWISE, /* Poisson with a piecewise-linear rate through `points` */
} scn_arrival_kind;

typedef struct scn_rate_point {
    sim_time_t at;   /* strictly increasing; the first is 0 */
    double rps;      /* >= 0 */
} scn_rate_point;

typedef struct scn_workload {
    char *name;
    scn_loc loc;
    int lb;                     /* index into lbs (`target`) */
    scn_arrival_kind kind;
    double rps;                 /* SCN_ARR_POISSON: requests per second, > 0 */
    scn_rate_point *points;     /* SCN_ARR_PIECEWISE: rate held after the last point */
    size_t n_points;
    sim_dist service_time;      /* seconds of work on one vCPU of speed 1.0 */
    double *service_values;     /* storage behind service_time.values (empirical) */
    sim_time_t timeout;         /* client timeout; 0 = none (default) */
} scn_workload;

/* ---------------------------------------------------------------- report */

typedef struct scn_report {
    sim_time_t window;      /* 1m: the width of a report window */
    sim_time_t warmup;      /* 0s: requests arriving before this are left out of latency statistics */
    sim_time_t slo_p99;     /* 0 = none: the run's p99 objective, reported as met / missed */
} scn_report;

/* ---------------------------------------------------------------- scenario */

typedef struct scenario {
    char *file;             /* the path given, or "<default>" */
    char *name;             /* `scenario` */
    uint64_t seed;          /* `seed`, default 1 */
    sim_time_t duration;    /* required, > 0, <= 400d */
    char region[32];        /* default "us-west-2" */

    scn_itype *itypes;      size_t n_itypes;   /* the instance types the scenario uses, overrides applied */
    scn_launch_template *launch_templates; size_t n_launch_templates;
    scn_instance *instances; size_t n_instances;
    scn_target_group *target_groups; size_t n_target_groups;
    scn_attachment *attachments; size_t n_attachments;
    scn_lb *lbs;            size_t n_lbs;
    scn_asg *asgs;          size_t n_asgs;
    scn_workload *workloads; size_t n_workloads;
    scn_report report;
} scenario;

/*
 * Parses and validates one scenario. `file` names it in diagnostics; `text`
 * need not be NUL-terminated. Each of the n_sets strings "PATH=VALUE" (the
 * --set option: PATH is dot-separated keys and list indices, VALUE is a YAML
 * scalar or flow collection) replaces or adds a node before validation.
 * On success returns 0 and *out (free with scenario_free); on any error
 * returns -1, *out = NULL, and every error found (up to SCN_MAX_DIAGS) is in
 * diags. Never crashes, whatever the input.
 */
int scenario_load(const char *file, const char *text, size_t len,
                  const char *const *sets, size_t n_sets,
                  scenario **out, scn_diags *diags);

/* Reads FILE and calls scenario_load; an unreadable file is one diagnostic. diags->text stays valid until scenario_text_free(diags). */
int scenario_load_file(const char *path, const char *const *sets, size_t n_sets,
                       scenario **out, scn_diags *diags);

/* Frees the text scenario_load_file read (held in diags->text). */
void scenario_text_free(scn_diags *diags);

/* The built-in default scenario's YAML text (what `fleetsim run` with no FILE runs). */
const char *scenario_default_text(void);

/* Frees a scenario; NULL is a no-op. */
void scenario_free(scenario *s);

#endif /* FLEETSIM_SCENARIO_H */
