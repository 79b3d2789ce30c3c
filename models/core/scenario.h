/*
 * scenario.h - a validated scenario as plain structs.
 *
 * The loader (models/core/scenario.c) turns YAML into this; models never see
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/core/api_script.h"
#include "sim/sim.h"

/* Longest resource or workload name (as Terraform's names, letters, digits, '_' and '-'). */
#define SCN_NAME_MAX 255
/* Room for an id or a stream name built from one name: "i-NAME-123", "workload.NAME/arrivals". */
#define SCN_ID_SIZE (SCN_NAME_MAX + 16)
#define SCN_STREAM_SIZE (SCN_NAME_MAX + 64)

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

/* Every resource struct below that a type of the registry loads begins with these two fields. */
typedef struct scn_res_head {
    char *name;
    scn_loc loc;
} scn_res_head;

typedef struct scn_itype {
    char name[32];
    int vcpus;         /* workers per instance: one per vCPU */
    double speed;      /* service rate of one vCPU relative to the reference (c5.large = 1.0) */
    double hourly_usd; /* On-Demand Linux price, USD per hour */
    /* Burstable types (aws-semantics 5.6): the credit specification its instances launch with,
       SCN_CREDITS_DEFAULT (the family's: t2 standard, t3/t3a/t4g unlimited), _STANDARD or _UNLIMITED.
       A launch template's credit_specification that differs from it gets its own entry (same name). */
    int cpu_credits;
} scn_itype;

enum { SCN_CREDITS_DEFAULT, SCN_CREDITS_STANDARD, SCN_CREDITS_UNLIMITED };

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
    int target_group;        /* index into scenario.target_groups (default_target_group); -1: listeners route (-2: broken) */
    sim_time_t idle_timeout; /* 60s, 1s..4000s: a target silent this long -> 504 */
    int64_t request_bytes, response_bytes; /* per request, for the LCU's processed bytes (alb.h defaults) */
    double requests_per_connection;        /* for the LCU's new and active connections */
} scn_lb;

/* A listener's or rule's action (Terraform's default_action / action block). */
typedef enum scn_lb_action_kind {
    SCN_LBA_FORWARD,         /* to one target group, or weighted to several */
    SCN_LBA_FIXED,           /* fixed-response: the ALB answers status_code itself */
    SCN_LBA_REDIRECT,        /* redirect: the ALB answers 301 or 302 */
} scn_lb_action_kind;

#define SCN_FWD_MAX 5        /* target groups in one forward action (ELB API) */
#define SCN_RULE_MAX_VALUES 5 /* condition values in one rule (ELB quota) */

typedef struct scn_lb_action {
    scn_lb_action_kind kind;
    int n_fwd;                     /* FORWARD: 1..SCN_FWD_MAX */
    int fwd_tg[SCN_FWD_MAX];       /* indices into scenario.target_groups */
    int fwd_weight[SCN_FWD_MAX];   /* 0..999; target_group_arn alone: 1 */
    int status_code;               /* FIXED: 200..599 (2XX, 4XX, 5XX); REDIRECT: 301 or 302 */
} scn_lb_action;

typedef struct scn_listener {
    char *name;
    scn_loc loc;
    int lb;                        /* index into lbs (load_balancer_arn) */
    int port;                      /* 1..65535; 0 when not given */
    scn_lb_action action;          /* default_action */
} scn_listener;

typedef struct scn_listener_rule {
    char *name;
    scn_loc loc;
    int listener;                  /* index into listeners (listener_arn) */
    int priority;                  /* 1..50000, unique on its listener */
    scn_lb_action action;
    char *paths[SCN_RULE_MAX_VALUES]; int n_paths; /* path_pattern values (case-sensitive; * and ?) */
    char *hosts[SCN_RULE_MAX_VALUES]; int n_hosts; /* host_header values (case-insensitive; * and ?) */
} scn_listener_rule;

/* What an instance does when its boot script fails (the license pool's "empty pool" what-if). */
typedef enum scn_boot_failure {
    SCN_BOOT_FAIL_LAUNCH = 0,   /* the launch fails: the group terminates it and launches a replacement */
    SCN_BOOT_SERVE_UNLICENSED,  /* it goes InService anyway and every request it gets fails (HTTP 500) */
} scn_boot_failure;

/* An instance's root EBS volume (root_block_device / block_device_mappings.ebs): billed per GB-month. */
typedef struct scn_root_volume {
    int gib;                 /* 8 (an Amazon Linux 2023 AMI's), 1..16384 */
    int gp2;                 /* 0: gp3 (the default), 1: gp2 */
} scn_root_volume;

typedef struct scn_launch_template {
    char *name;
    scn_loc loc;
    int itype;               /* index into scenario.itypes */
    sim_dist boot_time;      /* seconds, launch -> InService; default constant 30 s (superseded by the three phases below) */
    /* Boot phases (seconds). No AWS figure exists; defaults follow the community
       benchmarks of aws-semantics 5.4: pending (EC2 pending, not billed), OS boot
       (running, billed), application start (user data + app), then InService. */
    sim_dist pending_time;   /* default constant 6 s */
    sim_dist os_boot_time;   /* default constant 20 s */
    sim_dist app_start_time; /* default constant 10 s */
    int detailed_monitoring; /* monitoring { enabled = true }: 1-minute EC2 metrics; default 0 (5-minute, aws-semantics 3.1) */
    /* storage behind the phases' empirical values (NULL unless that phase is empirical) */
    double *pending_values, *os_boot_values, *app_start_values;
    /* fleetsim.boot_script: the AWS API calls the instance's user data makes once it runs, before the
       application starts (DESIGN 3b: the license claim); n_steps 0 = none. Its time is part of boot time. */
    as_script boot;
    scn_boot_failure boot_failure; /* fleetsim.boot_failure: what a boot script that fails does */
    int spot_market;         /* instance_market_options { market_type = "spot" }: its instances are Spot (aws-semantics 5.2) */
    double spot_max_price;   /* spot_options.max_price, USD/h; < 0: the On-Demand price (the default) */
    long long accept_backlog; /* `accept_backlog`: requests an instance's server holds waiting; 0 = the default (EC2_ACCEPT_BACKLOG) */
    scn_root_volume root;    /* block_device_mappings; gib 0 (a template built in C): the default */
} scn_launch_template;

/* aws_instance with `count`: a fixed set of identical instances, running at t = 0. */
typedef struct scn_instance {
    char *name;
    scn_loc loc;
    int itype;
    int count;               /* 1, 1..10000 */
    char availability_zone[32]; /* default: region + "a" */
    long long accept_backlog; /* as a launch template's; 0 = the default */
    scn_root_volume root;    /* root_block_device; gib 0 (built in C): the default */
} scn_instance;

/* aws_subnet: only its availability zone matters (a group's vpc_zone_identifier). */
typedef struct scn_subnet {
    char *name;
    scn_loc loc;
    char availability_zone[32];
} scn_subnet;

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
    sim_time_t health_check_grace_period;    /* 300s (Terraform's default; the API's is 0s) */
    sim_time_t default_cooldown;             /* 300s */
    sim_time_t default_instance_warmup;      /* -1 = not set (AWS default) */
    /* termination_policies, applied in order (aws-semantics 1.4); default {Default} */
    int termination_policies[8];             /* scn_termination_policy values */
    size_t n_termination_policies;
    int protect_from_scale_in;               /* NewInstancesProtectedFromScaleIn, default false */
    sim_time_t health_check_sweep;           /* fleetsim: period of the group's health sweep, 60s (AWS: NOT FOUND) */
    sim_time_t impaired_wait;                /* fleetsim: wait before replacing an impaired instance, 3m ("a few minutes": NOT FOUND) */
    /* launch_configuration: index into launch_configurations, -1 = none. The loader appends a copy of
       each launch configuration to launch_templates and points launch_template at it, so the model
       sees one kind. */
    int launch_configuration;
    int *subnets;                            /* vpc_zone_identifier, as indices into subnets (the zones come from them) */
    size_t n_subnets;
    int capacity_rebalance;                  /* Terraform capacity_rebalance, default false (aws-semantics 1.8) */
    struct asg_mix *mix;                     /* mixed_instances_policy and fleetsim pools; NULL = none (models/autoscaling/mixed_policy.h) */
} scn_asg;

typedef enum scn_termination_policy {
    SCN_TP_DEFAULT,
    SCN_TP_ALLOCATION_STRATEGY,
    SCN_TP_OLDEST_LAUNCH_TEMPLATE,
    SCN_TP_OLDEST_LAUNCH_CONFIGURATION,
    SCN_TP_CLOSEST_TO_NEXT_INSTANCE_HOUR,
    SCN_TP_NEWEST_INSTANCE,
    SCN_TP_OLDEST_INSTANCE,
} scn_termination_policy;

/* ---------------------------------------------------------------- workload */

typedef enum scn_arrival_kind {
    SCN_ARR_POISSON,   /* constant rate `rps` */
    SCN_ARR_PIECEWISE, /* Poisson with a piecewise-linear rate through `points` */
    /* The Auto Scaling what-ifs. The loader turns spike, ramp and a diurnal
       `profile` into `points` (exactly: they are piecewise-linear), so the
       workload treats them as SCN_ARR_PIECEWISE; `kind` keeps the user's word. */
    SCN_ARR_DIURNAL,   /* sinusoid: mean_rps, amplitude, period, peak_at; or a 24-point hourly profile (-> points, repeated over the duration) */
    SCN_ARR_SPIKE,     /* flash crowd: base_rps, then at `start` a linear ramp to peak_rps over `ramp`, `hold`, linear decay over `decay` (-> points) */
    SCN_ARR_RAMP,      /* from_rps, linear to to_rps over [start, start + ramp_duration], then held (-> points) */
    SCN_ARR_MMPP,      /* bursty: two-state Markov-modulated Poisson, rates mmpp_rps[2], mean dwell times mmpp_dwell[2] */
    SCN_ARR_TRACE,     /* replay: trace_times (per-request timestamps) or trace_counts per trace_interval */
} scn_arrival_kind;

typedef struct scn_rate_point {
    sim_time_t at;   /* strictly increasing; the first is 0 */
    double rps;      /* >= 0 */
} scn_rate_point;

typedef struct scn_workload {
    char *name;
    scn_loc loc;
    int lb;                     /* index into lbs (`target`) */
    int listener;               /* index into listeners (`port`, or the load balancer's only listener); -1: default_target_group */
    char *path, *host;          /* the requests' path ("/") and Host header (""), for listener rules */
    scn_arrival_kind kind;
    double rps;                 /* SCN_ARR_POISSON: requests per second, > 0 */
    scn_rate_point *points;     /* SCN_ARR_PIECEWISE: rate held after the last point */
    size_t n_points;
    sim_dist service_time;      /* seconds of work on one vCPU of speed 1.0 */
    double *service_values;     /* storage behind service_time.values (empirical) */
    sim_time_t timeout;         /* client timeout; 0 = none (default) */
    /* SCN_ARR_DIURNAL sinusoid (no profile): rate(t) = mean_rps (1 + amplitude cos(2 pi (t - peak_at) / period)) */
    double mean_rps, amplitude; /* amplitude 0..1 */
    sim_time_t period, peak_at; /* 24h; 14h */
    /* SCN_ARR_MMPP */
    double mmpp_rps[2];         /* >= 0, not both 0 */
    sim_time_t mmpp_dwell[2];   /* mean time in each state, > 0; starts in state 0 */
    /* SCN_ARR_TRACE: exactly one of times / counts */
    sim_time_t *trace_times;    size_t n_trace_times;   /* non-decreasing offsets from t = 0 */
    double *trace_counts;       size_t n_trace_counts;  /* requests per interval: Poisson at count/interval within each */
    sim_time_t trace_interval;
    int trace_loop;             /* replay again from the start when the trace ends; default false */
    /* bytes per request, for NetworkIn / NetworkOut (ASGAverageNetworkIn/Out) */
    int64_t request_bytes;      /* 1000 */
    int64_t response_bytes;     /* 10000 */
} scn_workload;

/* ================================================================ Auto Scaling work (issue 3) */

/* ---------------------------------------------------------------- metrics */

/* A CloudWatch metric fleetsim publishes (namespace, name) -> id. */
typedef enum scn_metric_id {
    SCN_M_EC2_CPU,                 /* AWS/EC2 CPUUtilization (%), dims AutoScalingGroupName or InstanceId-less fleet */
    SCN_M_EC2_NETWORK_IN,          /* AWS/EC2 NetworkIn (bytes per period per instance) */
    SCN_M_EC2_NETWORK_OUT,         /* AWS/EC2 NetworkOut */
    SCN_M_ALB_REQUEST_COUNT,       /* AWS/ApplicationELB RequestCount (dims LoadBalancer[, TargetGroup]) */
    SCN_M_ALB_TARGET_RESPONSE_TIME,/* seconds */
    SCN_M_ALB_ELB_5XX,             /* HTTPCode_ELB_5XX_Count */
    SCN_M_ALB_TARGET_5XX,          /* HTTPCode_Target_5XX_Count */
    SCN_M_ALB_HEALTHY_HOSTS,       /* HealthyHostCount (dims TargetGroup, LoadBalancer) */
    SCN_M_ALB_UNHEALTHY_HOSTS,     /* UnHealthyHostCount */
    SCN_M_ALB_REQUEST_COUNT_PER_TARGET, /* RequestCountPerTarget (dim TargetGroup) */
    SCN_M_ASG_DESIRED,             /* AWS/AutoScaling GroupDesiredCapacity */
    SCN_M_ASG_IN_SERVICE,          /* AWS/AutoScaling GroupInServiceInstances */
    SCN_M_EC2_CPU_CREDIT_BALANCE,  /* AWS/EC2 CPUCreditBalance (credits; burstable types, 5-minute, aws-semantics 5.6) */
    SCN_M_EC2_CPU_CREDIT_USAGE,    /* AWS/EC2 CPUCreditUsage (credits spent in the period) */
    SCN_M_EC2_CPU_SURPLUS_BALANCE, /* AWS/EC2 CPUSurplusCreditBalance */
    SCN_M_EC2_CPU_SURPLUS_CHARGED, /* AWS/EC2 CPUSurplusCreditsCharged (credits charged in the period) */
    SCN_M_N
} scn_metric_id;

typedef enum scn_statistic {
    SCN_STAT_AVERAGE, SCN_STAT_SUM, SCN_STAT_MINIMUM, SCN_STAT_MAXIMUM, SCN_STAT_SAMPLE_COUNT,
    SCN_STAT_PERCENTILE,           /* extended_statistic "pNN[.NN]" */
} scn_statistic;

/* One metric as an alarm or a policy reads it; dimensions resolved to resource indices (-1 = absent). */
typedef struct scn_metric {
    scn_metric_id id;
    int asg;                        /* AutoScalingGroupName */
    int lb;                         /* LoadBalancer */
    int tg;                         /* TargetGroup */
    scn_statistic statistic;
    double percentile;              /* SCN_STAT_PERCENTILE: 0 < p < 100 */
} scn_metric;

/* ---------------------------------------------------------------- alarms */

typedef enum scn_comparison { SCN_CMP_GE, SCN_CMP_GT, SCN_CMP_LT, SCN_CMP_LE } scn_comparison;
typedef enum scn_missing { SCN_MISSING_MISSING, SCN_MISSING_NOT_BREACHING, SCN_MISSING_BREACHING, SCN_MISSING_IGNORE } scn_missing;

/* An alarm action target: a scaling policy or an SNS topic. */
typedef struct scn_action {
    enum { SCN_ACT_POLICY, SCN_ACT_SNS } kind;
    int index;                      /* into policies or sns_topics */
} scn_action;

#define SCN_MAX_ACTIONS 5           /* per list, as AWS */

typedef struct scn_alarm {
    char *name; scn_loc loc;        /* alarm_name defaults to the resource name */
    scn_metric metric;              /* namespace + metric_name + dimensions + statistic|extended_statistic */
    sim_time_t period;              /* 10s, 20s, 30s or a multiple of 60s; period x evaluation_periods <= 1d */
    int evaluation_periods;         /* N >= 1 */
    int datapoints_to_alarm;        /* M, 1..N, default N */
    double threshold;
    scn_comparison comparison;      /* comparison_operator, required */
    scn_missing treat_missing_data; /* default missing */
    int actions_enabled;            /* default 1 */
    scn_action alarm_actions[SCN_MAX_ACTIONS]; size_t n_alarm_actions;
    scn_action ok_actions[SCN_MAX_ACTIONS]; size_t n_ok_actions;
    scn_action insufficient_data_actions[SCN_MAX_ACTIONS]; size_t n_insufficient_data_actions;
} scn_alarm;

/* ---------------------------------------------------------------- SNS */

typedef struct scn_sns_topic {
    char *name; scn_loc loc;
    int n_email, n_sms, n_http, n_lambda, n_sqs; /* subscriptions by protocol (aws_sns_topic_subscription) */
} scn_sns_topic;

/* aws_autoscaling_notification: group events published to a topic. */
enum {
    SCN_NOTIFY_LAUNCH = 1 << 0,          /* autoscaling:EC2_INSTANCE_LAUNCH */
    SCN_NOTIFY_LAUNCH_ERROR = 1 << 1,    /* autoscaling:EC2_INSTANCE_LAUNCH_ERROR */
    SCN_NOTIFY_TERMINATE = 1 << 2,       /* autoscaling:EC2_INSTANCE_TERMINATE */
    SCN_NOTIFY_TERMINATE_ERROR = 1 << 3, /* autoscaling:EC2_INSTANCE_TERMINATE_ERROR */
};
typedef struct scn_asg_notification {
    char *name; scn_loc loc;
    int *asgs; size_t n_asgs;            /* group_names */
    unsigned notifications;              /* SCN_NOTIFY_* */
    int topic;                           /* topic_arn */
} scn_asg_notification;

/* ---------------------------------------------------------------- scaling policies */

typedef enum scn_policy_type { SCN_POL_SIMPLE, SCN_POL_STEP, SCN_POL_TARGET_TRACKING, SCN_POL_PREDICTIVE } scn_policy_type;
typedef enum scn_adjustment { SCN_ADJ_CHANGE_IN_CAPACITY, SCN_ADJ_EXACT_CAPACITY, SCN_ADJ_PERCENT_CHANGE } scn_adjustment;
typedef enum scn_aggregation { SCN_AGG_AVERAGE, SCN_AGG_MINIMUM, SCN_AGG_MAXIMUM } scn_aggregation;

typedef struct scn_step {
    int has_lower, has_upper;       /* null bound = -inf / +inf */
    double lower, upper;            /* relative to the alarm threshold */
    int adjustment;                 /* scaling_adjustment */
} scn_step;

typedef enum scn_tt_metric {
    SCN_TT_ASG_CPU,                 /* ASGAverageCPUUtilization */
    SCN_TT_ASG_NETWORK_IN,          /* ASGAverageNetworkIn */
    SCN_TT_ASG_NETWORK_OUT,         /* ASGAverageNetworkOut */
    SCN_TT_ALB_REQUESTS_PER_TARGET, /* ALBRequestCountPerTarget (resource_label -> tg) */
    SCN_TT_CUSTOM,                  /* customized_metric_specification */
} scn_tt_metric;

typedef enum scn_predictive_mode { SCN_PRED_FORECAST_ONLY, SCN_PRED_FORECAST_AND_SCALE } scn_predictive_mode;

typedef struct scn_policy {
    char *name; scn_loc loc;
    int asg;                        /* autoscaling_group_name */
    scn_policy_type type;           /* policy_type, API default SimpleScaling */
    int enabled;                    /* default 1 */
    /* simple + step */
    scn_adjustment adjustment_type; /* required for simple and step */
    int scaling_adjustment;         /* simple */
    sim_time_t cooldown;            /* simple; -1 = the group's default_cooldown */
    int min_adjustment_magnitude;   /* 0 = unset; PercentChangeInCapacity only */
    scn_aggregation metric_aggregation_type; /* step; default Average */
    scn_step *steps; size_t n_steps;/* step_adjustment blocks */
    sim_time_t estimated_instance_warmup; /* step/TT; -1 = default chain (group warmup, else default_cooldown) */
    /* target tracking */
    scn_tt_metric tt_metric;
    int tt_tg;                      /* ALBRequestCountPerTarget: the target group of resource_label */
    scn_metric tt_custom;           /* SCN_TT_CUSTOM */
    double target_value;
    int disable_scale_in;
    /* target tracking alarms as AWS creates them: undocumented, observed values as defaults (fleetsim keys) */
    int tt_scale_out_periods;       /* 3 (AlarmHigh: 3 of 3 one-minute points above target) */
    int tt_scale_in_periods;        /* 15 (AlarmLow: 15 of 15 below scale_in_ratio x target) */
    double tt_scale_in_ratio;       /* 0.7 ([OBS] aws-semantics 2.1: 50 -> 35) */
    /* predictive */
    scn_predictive_mode pred_mode;  /* default ForecastOnly */
    sim_time_t pred_buffer;         /* scheduling_buffer_time, default 300s, < 3600s */
    int pred_increase_max;          /* max_capacity_breach_behavior IncreaseMaxCapacity */
    int pred_max_buffer_pct;        /* max_capacity_buffer 0..100 */
    scn_tt_metric pred_metric;      /* ASGCPUUtilization -> SCN_TT_ASG_CPU, ALBRequestCount -> SCN_TT_ALB_REQUESTS_PER_TARGET */
} scn_policy;

/* aws_autoscaling_schedule */
typedef struct scn_schedule {
    char *name; scn_loc loc;
    int asg;
    int min_size, max_size, desired_capacity; /* -1 = not set (at least one must be) */
    sim_time_t start_time;          /* offset from t = 0; -1 = unset (recurrence starts at once) */
    sim_time_t end_time;            /* -1 = none */
    char recurrence[128];           /* 5-field cron in UTC, "" = one-off at start_time */
} scn_schedule;

/* ---------------------------------------------------------------- faults and operations */

typedef enum scn_fault_kind {
    SCN_FAULT_INSTANCE_CRASH,       /* count instances of the group leave `running` (EC2 health check fails) */
    SCN_FAULT_APP_UNHEALTHY,        /* count instances keep running but fail ALB health checks for `duration` (0 = for good) */
    SCN_FAULT_AZ_OUTAGE,            /* zone: its instances crash and launches there fail for `duration` */
    SCN_OP_SET_DESIRED_CAPACITY,    /* manual scaling: desired_capacity, honor_cooldown */
    SCN_OP_INSTANCE_REFRESH,        /* rolling replacement onto launch_template with min_healthy_percentage, instance_warmup */
    SCN_FAULT_FIS,                  /* an AWS FIS action (`action:`): its targets and parameters in fis (fis_cfg.h) */
} scn_fault_kind;

typedef struct scn_fault {
    scn_loc loc;
    scn_fault_kind kind;
    sim_time_t at;                  /* required */
    sim_time_t duration;            /* app_unhealthy / az_outage; 0 = until the end */
    int asg;                        /* autoscaling_group (required except az_outage) */
    int count;                      /* crash / app_unhealthy: 1 */
    char zone[32];                  /* az_outage */
    int desired_capacity;           /* set_desired_capacity */
    int honor_cooldown;             /* set_desired_capacity, default false */
    int launch_template;            /* instance_refresh: -1 = keep the group's */
    int min_healthy_percentage;     /* instance_refresh: 90 (AWS default), 0..100 */
    sim_time_t instance_warmup;     /* instance_refresh: -1 = default chain */
    struct fis_action *fis;         /* SCN_FAULT_FIS: owned (models/faults/fis_cfg.h) */
} scn_fault;

/* ---------------------------------------------------------------- report */

typedef struct scn_report {
    sim_time_t window;      /* 1m: the width of a report window */
    sim_time_t warmup;      /* 0s: requests arriving before this are left out of latency statistics */
    /* The SLO (stats/slo.h): present when `slo` was given or slo_p99 > 0 (scenarios built in C set
     * slo_error_rate themselves: 0 there allows no failed request). */
    bool slo;               /* a `report.slo` block was given */
    sim_time_t slo_p99;     /* 0 = no latency part: 99% of finished requests answered OK within this */
    double slo_error_rate;  /* the error part, a fraction: at most this share of finished requests fail (0.001) */
    double slo_violation_usd_per_min; /* what a minute of a window that missed the SLO costs the business, USD (0: unpriced) */
} scn_report;

/* ---------------------------------------------------------------- scenario */

/* Something the loader accepted but wants the user to know (an attribute it does not simulate). */
typedef struct scn_note {
    int line, col;
    char *message;
} scn_note;

typedef struct scenario {
    char *file;             /* the path given, or "<default>" */
    char *name;             /* `scenario` */
    uint64_t seed;          /* `seed`, default 1 */
    sim_time_t duration;    /* required, > 0, <= 400d */
    char region[32];        /* default "us-west-2" */

    scn_itype *itypes;      size_t n_itypes;   /* the instance types the scenario uses, overrides applied */
    scn_launch_template *launch_templates; size_t n_launch_templates;
    scn_launch_template *launch_configurations; size_t n_launch_configurations; /* aws_launch_configuration: copied into launch_templates too */
    scn_subnet *subnets;    size_t n_subnets;
    scn_instance *instances; size_t n_instances;
    scn_target_group *target_groups; size_t n_target_groups;
    scn_attachment *attachments; size_t n_attachments;
    scn_lb *lbs;            size_t n_lbs;
    scn_listener *listeners; size_t n_listeners;
    scn_listener_rule *listener_rules; size_t n_listener_rules;
    scn_asg *asgs;          size_t n_asgs;
    scn_workload *workloads; size_t n_workloads;
    scn_report report;
    /* the Auto Scaling work */
    int64_t start_epoch;    /* `start_time`: UTC seconds since 1970 at t = 0 (for cron); default 2026-01-05T00:00:00Z, a Monday */
    sim_time_t cw_publication_delay; /* `cloudwatch.publication_delay`: 60s (AWS: NOT FOUND, aws-semantics 3.1) */
    scn_policy *policies;   size_t n_policies;
    scn_alarm *alarms;      size_t n_alarms;
    scn_sns_topic *sns_topics; size_t n_sns_topics;
    scn_asg_notification *notifications; size_t n_notifications;
    scn_schedule *schedules; size_t n_schedules;
    scn_fault *faults;      size_t n_faults;  /* `faults:` and `operations:` in time order */
    scn_note *notes;        size_t n_notes;   /* in file order */
    /* Comparisons (docs/compare.md): `replications` (1), and `variants:`, each the base with its overrides
       applied and validated; a variant has variant_name set (NULL for the base) and no variants of its own. */
    int replications;
    struct scenario **variants; size_t n_variants;
    char *variant_name, *variant_description; scn_loc variant_loc;
    /* Types whose config struct lives beside their model (res_type.arr_off 0): one slot per ld_types entry. */
    struct scn_typed { void *arr; size_t n; } *typed;
} scenario;

/* True if load balancer lb sends requests to target group tg (default_target_group, or any listener's or rule's forward). */
static inline bool scn_lb_routes_to(const scenario *sc, int lb, int tg)
{
    if (lb < 0 || (size_t)lb >= sc->n_lbs || tg < 0)
        return false;
    if (sc->lbs[lb].target_group == tg)
        return true;
    for (size_t i = 0; i < sc->n_listeners; i++) {
        const scn_listener *l = &sc->listeners[i];
        if (l->lb != lb)
            continue;
        for (int k = 0; l->action.kind == SCN_LBA_FORWARD && k < l->action.n_fwd; k++)
            if (l->action.fwd_tg[k] == tg)
                return true;
        for (size_t j = 0; j < sc->n_listener_rules; j++) {
            const scn_listener_rule *r = &sc->listener_rules[j];
            for (int k = 0; r->listener == (int)i && r->action.kind == SCN_LBA_FORWARD && k < r->action.n_fwd; k++)
                if (r->action.fwd_tg[k] == tg)
                    return true;
        }
    }
    return false;
}

/* The first load balancer that sends requests to target group tg; -1 if none. */
static inline int scn_lb_of_tg(const scenario *sc, int tg)
{
    for (size_t i = 0; i < sc->n_lbs; i++)
        if (scn_lb_routes_to(sc, (int)i, tg))
            return (int)i;
    return -1;
}

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

/* Prints the reference of every scenario key (Markdown), from the loader's key tables. */
void scenario_keys_markdown(FILE *out);

/* Prints each note as "FILE:LINE:COL: note: MSG". */
void scenario_notes_print(const scenario *s, FILE *out);

/* Frees a scenario; NULL is a no-op. */
void scenario_free(scenario *s);

#endif /* FLEETSIM_SCENARIO_H */
