/*
 * fis_cfg.h - `faults:` entries written as AWS Fault Injection Service
 * actions (`action: aws:ec2:stop-instances`, aws-semantics 12): the action,
 * its targets (resources, tags, filters, selection mode) and its parameters
 * as FIS names them. faults_cfg.c hands every entry with an `action` key to
 * fis_cfg_load; faults.c runs them through fis.c.
 *
 * Prefix: fis_ (FIS).
 */
#ifndef FLEETSIM_FIS_CFG_H
#define FLEETSIM_FIS_CFG_H

#include <stdbool.h>
#include <stdio.h>

#include "models/core/loader.h"

/* The actions fleetsim runs, in the order of fis_action_ids (fis_cfg.c). */
typedef enum fis_act {
    FIS_EC2_TERMINATE,         /* aws:ec2:terminate-instances */
    FIS_EC2_STOP,              /* aws:ec2:stop-instances (startInstancesAfterDuration) */
    FIS_EC2_REBOOT,            /* aws:ec2:reboot-instances */
    FIS_SSM_CPU_STRESS,        /* aws:ssm:send-command with AWSFIS-Run-CPU-Stress */
    FIS_SSM_NET_LATENCY,       /* aws:ssm:send-command with AWSFIS-Run-Network-Latency */
    FIS_LAMBDA_ERROR,          /* aws:lambda:invocation-error */
    FIS_LAMBDA_DELAY,          /* aws:lambda:invocation-add-delay */
    FIS_DDB_THROTTLE,          /* fleetsim:dynamodb:throttle-requests (no FIS action, 12.5) */
    FIS_EVENTS_DISABLE_RULE,   /* fleetsim:events:disable-rule (no FIS action) */
    FIS_AZ_POWER,              /* fleetsim:scenario:az-availability-power-interruption (FIS scenario, 12.6) */
    FIS_EC2_FAILURES,          /* fleetsim:ec2:instance-failures: per-instance MTBF (a random law) */
    FIS_EC2_SPOT_INTERRUPT,    /* aws:ec2:send-spot-instance-interruptions (durationBeforeInterruption) */
    FIS_EC2_ASG_ICE,           /* aws:ec2:asg-insufficient-instance-capacity-error */
    FIS_EC2_RECLAIM_WAVE,      /* fleetsim:ec2:spot-reclaim-wave: a share of a Spot pool at once, once or as a law */
    FIS_N_ACTS
} fis_act;

/* What the action's targets are (FIS resourceType). */
typedef enum fis_rtype {
    FIS_RT_INSTANCE,           /* aws:ec2:instance */
    FIS_RT_LAMBDA,             /* aws:lambda:function */
    FIS_RT_TABLE,              /* aws:dynamodb:table (fleetsim) */
    FIS_RT_RULE,               /* aws:events:rule (fleetsim) */
    FIS_RT_ZONE,               /* an availability zone (the scenario's parameter) */
    FIS_RT_SPOT,               /* aws:ec2:spot-instance: a group's Spot instances */
    FIS_RT_GROUP,              /* aws:ec2:autoscaling-group */
} fis_rtype;

typedef enum fis_sel { FIS_SEL_ALL, FIS_SEL_COUNT, FIS_SEL_PERCENT } fis_sel;

#define FIS_MAX_ARNS 5         /* FIS ResourceArnList (12.1) */
#define FIS_MAX_TAGS 50        /* FIS TagMap (12.1) */
#define FIS_MAX_ZONES 8

/* One resource named in resource_arns: a resource of the scenario. */
typedef struct fis_ref {
    char tf_type[40];          /* aws_autoscaling_group, aws_instance, aws_lambda_function... */
    char name[SCN_NAME_MAX + 1];
} fis_ref;

typedef struct fis_tag {
    char key[128];
    char value[256];
} fis_tag;

/* One FIS action with its targets and parameters, resolved against the scenario. */
typedef struct fis_action {
    fis_act act;
    char name[64];             /* `name`, default "fault-<index>": the log's resource and the stream's name */
    fis_rtype rtype;
    /* targets */
    fis_ref arns[FIS_MAX_ARNS];
    size_t n_arns;
    fis_tag tags[FIS_MAX_TAGS];
    size_t n_tags;
    char zones[FIS_MAX_ZONES][32]; /* filter Placement.AvailabilityZone (any of), or the AZ scenario's zone */
    size_t n_zones;
    fis_sel sel;
    int sel_n;                 /* COUNT(n) / PERCENT(n) */
    /* parameters (-1 / 0: not given) */
    sim_time_t duration;       /* `duration`, DurationSeconds; 0 = until the end of the run */
    sim_time_t start_after;    /* stop-instances startInstancesAfterDuration: -1 = stay stopped */
    sim_time_t delay;          /* invocation-add-delay startupDelayMilliseconds; Network-Latency DelayMilliseconds */
    int percentage;            /* invocationPercentage, percentage: 1..100 */
    bool prevent_execution;    /* invocation-error preventExecution */
    int cpu;                   /* CPU-Stress CPU: stressors, 0 = one per vCPU */
    int load_percent;          /* CPU-Stress LoadPercent 0..100 */
    double slowdown;           /* fleetsim.slowdown: how much longer work takes; 0 = from the document's parameters */
    sim_time_t reboot_time;    /* fleetsim.reboot_time */
    sim_time_t mtbf;           /* instance-failures: mean time between failures of one instance; spot-reclaim-wave: between waves (0: one wave) */
    sim_time_t before;         /* send-spot-instance-interruptions durationBeforeInterruption */
    char itype[32];            /* spot-reclaim-wave instanceType ("" = any) */
} fis_action;

/* The action ids fleetsim accepts (NULL-terminated, fis_act order), then the FIS ones it does not model yet. */
extern const char *const fis_action_ids[];
extern const char *const fis_action_later[];

/* Reads a `faults:` entry e whose `action` key is present into *out (allocated; scn_free frees it through fis_free). False if the entry is broken beyond use (already reported). */
bool fis_cfg_load(loader *v, const scn_node *e, size_t index, sim_time_t *at, fis_action **out);

/* Parses an ISO 8601 duration as FIS writes it (PT10M, PT1H30M, PT90S, P1D) or a fleetsim duration (10m); NULL on success, else why. */
const char *fis_parse_duration(const char *s, sim_time_t *out, char *why, size_t why_size);

/* Prints the key tables of FIS entries (docs/scenario.md). */
void fis_cfg_keys_markdown(FILE *out);

/* Frees what fis_cfg_load allocated; NULL is a no-op. */
void fis_free(fis_action *a);

#endif /* FLEETSIM_FIS_CFG_H */
