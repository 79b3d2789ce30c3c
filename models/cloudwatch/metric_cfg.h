/*
 * metric_cfg.h - reading a CloudWatch metric (namespace, metric_name,
 * dimensions, statistic) from a scenario, shared by alarms and customized
 * target tracking metrics.
 */
#ifndef FLEETSIM_METRIC_CFG_H
#define FLEETSIM_METRIC_CFG_H

#include <stdbool.h>

#include "models/core/loader.h"

/* Dimensions a metric takes. */
enum { D_ASG = 1, D_LB = 2, D_TG = 4 };

/* A metric fleetsim publishes and the dimensions it takes (D_* bits). */
typedef struct metric_cfg_def {
    const char *ns, *name;
    scn_metric_id id;
    unsigned dims;  /* dimensions it takes */
    unsigned need;  /* at least one of these must be given */
} metric_cfg_def;


/* CloudWatch statistic names, NULL-terminated, in scn_statistic order. */
extern const char *const metric_cfg_stat_names[];

/* The metric (namespace, metric_name) names, or NULL after reporting at the offending node. */
const metric_cfg_def *metric_cfg_find(loader *v, const scn_node *nsn, const scn_node *mn);

/* One dimension name = value onto m; *seen collects the dimensions given. False after reporting. */
bool metric_cfg_apply_dim(loader *v, const metric_cfg_def *md, const scn_node *name, const scn_node *val,
                          scn_metric *m, unsigned *seen);

/* After the dimensions: the required ones are there and LoadBalancer / TargetGroup agree. */
bool metric_cfg_check_dims(loader *v, const metric_cfg_def *md, const scn_node *at, scn_metric *m, unsigned seen);

/* Parses an extended statistic "p99" / "p99.9" into 0 < *out < 100. */
bool metric_cfg_percentile(const char *s, double *out);

#endif /* FLEETSIM_METRIC_CFG_H */
