/*
 * metric_cfg.c - the CloudWatch metrics fleetsim publishes, as alarms and
 * customized target tracking metrics name them (namespace, metric_name,
 * dimensions, statistic).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/cloudwatch/metric_cfg.h"


static const metric_cfg_def metric_defs[] = {
    {"AWS/EC2", "CPUUtilization", SCN_M_EC2_CPU, D_ASG, D_ASG},
    {"AWS/EC2", "NetworkIn", SCN_M_EC2_NETWORK_IN, D_ASG, D_ASG},
    {"AWS/EC2", "NetworkOut", SCN_M_EC2_NETWORK_OUT, D_ASG, D_ASG},
    {"AWS/ApplicationELB", "RequestCount", SCN_M_ALB_REQUEST_COUNT, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "TargetResponseTime", SCN_M_ALB_TARGET_RESPONSE_TIME, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", SCN_M_ALB_ELB_5XX, D_LB, D_LB},
    {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", SCN_M_ALB_TARGET_5XX, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "HealthyHostCount", SCN_M_ALB_HEALTHY_HOSTS, D_LB | D_TG, D_TG},
    {"AWS/ApplicationELB", "UnHealthyHostCount", SCN_M_ALB_UNHEALTHY_HOSTS, D_LB | D_TG, D_TG},
    {"AWS/ApplicationELB", "RequestCountPerTarget", SCN_M_ALB_REQUEST_COUNT_PER_TARGET, D_LB | D_TG, D_TG},
    {"AWS/AutoScaling", "GroupDesiredCapacity", SCN_M_ASG_DESIRED, D_ASG, D_ASG},
    {"AWS/AutoScaling", "GroupInServiceInstances", SCN_M_ASG_IN_SERVICE, D_ASG, D_ASG},
    /* burstable instances (aws-semantics 5.6): every 5 minutes, whatever the monitoring */
    {"AWS/EC2", "CPUCreditBalance", SCN_M_EC2_CPU_CREDIT_BALANCE, D_ASG, D_ASG},
    {"AWS/EC2", "CPUCreditUsage", SCN_M_EC2_CPU_CREDIT_USAGE, D_ASG, D_ASG},
    {"AWS/EC2", "CPUSurplusCreditBalance", SCN_M_EC2_CPU_SURPLUS_BALANCE, D_ASG, D_ASG},
    {"AWS/EC2", "CPUSurplusCreditsCharged", SCN_M_EC2_CPU_SURPLUS_CHARGED, D_ASG, D_ASG},
};
#define N_METRIC_DEFS (sizeof metric_defs / sizeof metric_defs[0])

static const char *const namespaces[] = {"AWS/EC2", "AWS/ApplicationELB", "AWS/AutoScaling", NULL};
/* AWS metrics fleetsim does not publish (yet): a clearer error than "unknown". */
static const char *const later_metrics[] = {
    "DiskReadOps", "DiskWriteOps", "DiskReadBytes", "DiskWriteBytes",
    "NetworkPacketsIn", "NetworkPacketsOut", "StatusCheckFailed", "StatusCheckFailed_Instance",
    "StatusCheckFailed_System", "MetadataNoToken", "ActiveConnectionCount", "NewConnectionCount",
    "RejectedConnectionCount", "ProcessedBytes", "ConsumedLCUs", "RuleEvaluations", "HTTPCode_ELB_3XX_Count",
    "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_500_Count", "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count",
    "HTTPCode_ELB_504_Count", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count",
    "HTTPCode_Target_4XX_Count", "TargetConnectionErrorCount", "GroupMinSize", "GroupMaxSize",
    "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
    "GroupTotalCapacity", "GroupInServiceCapacity", "GroupDesiredCapacityUnits", NULL,
};

/* The metric (namespace, metric_name) names, or NULL after reporting at the offending node. */
const metric_cfg_def *metric_cfg_find(loader *v, const scn_node *nsn, const scn_node *mn)
{
    char b1[96], b2[96];
    const char *best = NULL;
    int best_d = 99;
    if (!ld_in_list(nsn->str, namespaces)) {
        for (const char *const *p = namespaces; *p; p++)
            ld_suggest(nsn->str, *p, &best, &best_d);
        scn_err(&v->c, nsn, "'namespace': unknown namespace '%s'%s; fleetsim publishes AWS/EC2, "
                "AWS/ApplicationELB and AWS/AutoScaling", scn_clip(b1, sizeof b1, nsn->str), ld_hint(b2, sizeof b2, best));
        return NULL;
    }
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0 && strcmp(metric_defs[i].name, mn->str) == 0)
            return &metric_defs[i];
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].name, mn->str) == 0) {
            scn_err(&v->c, mn, "'metric_name': %s is in namespace %s, not %s", mn->str, metric_defs[i].ns,
                    nsn->str);
            return NULL;
        }
    if (ld_in_list(mn->str, later_metrics)) {
        scn_err(&v->c, mn, "'metric_name': %s %s is not supported yet", nsn->str, mn->str);
        return NULL;
    }
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0)
            ld_suggest(mn->str, metric_defs[i].name, &best, &best_d);
    char list[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0 && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", metric_defs[i].name);
    scn_err(&v->c, mn, "'metric_name': unknown metric '%s' in %s%s; expected one of: %s",
            scn_clip(b1, sizeof b1, mn->str), nsn->str, ld_hint(b2, sizeof b2, best), list);
    return NULL;
}

/* One dimension name = value onto m; *seen collects D_* bits. False after reporting. */
bool metric_cfg_apply_dim(loader *v, const metric_cfg_def *md, const scn_node *name, const scn_node *val, scn_metric *m,
                      unsigned *seen)
{
    static const struct { const char *name; unsigned bit; const char *type; } dims[] = {
        {"AutoScalingGroupName", D_ASG, "aws_autoscaling_group"}, {"LoadBalancer", D_LB, "aws_lb"}, {"TargetGroup", D_TG, "aws_lb_target_group"},
    };
    static const char *const later[] = {"InstanceId", "InstanceType", "ImageId", "AvailabilityZone", NULL};
    char b1[96], b2[96];
    int k = -1;
    const char *best = NULL;
    int best_d = 99;
    for (int i = 0; i < 3; i++) {
        if (strcmp(name->str, dims[i].name) == 0)
            k = i;
        ld_suggest(name->str, dims[i].name, &best, &best_d);
    }
    if (k < 0) {
        if (ld_in_list(name->str, later))
            scn_err(&v->c, name, "dimension '%s' is not supported yet", name->str);
        else
            scn_err(&v->c, name, "unknown dimension '%s'%s; expected AutoScalingGroupName, LoadBalancer or "
                    "TargetGroup", scn_clip(b1, sizeof b1, name->str), ld_hint(b2, sizeof b2, best));
        return false;
    }
    if (!(md->dims & dims[k].bit)) {
        scn_err(&v->c, name, "dimension '%s' does not apply to %s %s", name->str, md->ns, md->name);
        return false;
    }
    if (*seen & dims[k].bit) {
        scn_err(&v->c, name, "dimension '%s' is given twice", name->str);
        return false;
    }
    *seen |= dims[k].bit;
    int idx = -1;
    if (ld_resolve(v, val, name->str, dims[k].type, &idx) < 0)
        return false;
    if (k == 0)
        m->asg = idx;
    else if (k == 1)
        m->lb = idx;
    else
        m->tg = idx;
    return true;
}

/* After the dimensions: the required ones are there and LoadBalancer / TargetGroup agree. */
bool metric_cfg_check_dims(loader *v, const metric_cfg_def *md, const scn_node *at, scn_metric *m, unsigned seen)
{
    scenario *sc = v->s;
    if (!(seen & md->need)) {
        const char *need = md->need == D_ASG ? "an AutoScalingGroupName" : md->need == D_TG ? "a TargetGroup"
                         : md->need == D_LB ? "a LoadBalancer" : "a LoadBalancer or TargetGroup";
        scn_err(&v->c, at, "%s %s needs %s dimension", md->ns, md->name, need);
        return false;
    }
    if (m->lb >= 0 && m->tg >= 0 && !scn_lb_routes_to(sc, m->lb, m->tg)) {
        scn_err(&v->c, at, "target group %s is not behind load balancer %s", sc->target_groups[m->tg].name,
                sc->lbs[m->lb].name);
        return false;
    }
    if (m->lb < 0 && m->tg >= 0) {
        bool found = false;
        for (size_t i = 0; i < sc->n_lbs; i++)
            found = found || scn_lb_routes_to(sc, (int)i, m->tg);
        if (!found) {
            scn_err(&v->c, at, "target group %s is behind no aws_lb, so it publishes no %s metrics",
                    sc->target_groups[m->tg].name, md->ns);
            return false;
        }
    }
    return true;
}

const char *const metric_cfg_stat_names[] = {"Average", "Sum", "Minimum", "Maximum", "SampleCount", NULL};

/* "pNN" or "pNN.NN" with 0 < NN < 100. */
bool metric_cfg_percentile(const char *s, double *out)
{
    if (s[0] != 'p' || s[1] < '0' || s[1] > '9')
        return false;
    const char *p = s + 1;
    int ip = 0;
    while (*p >= '0' && *p <= '9' && ip < 3)
        ip++, p++;
    if (ip > 2)
        return false;
    if (*p == '.') {
        p++;
        int fp = 0;
        while (*p >= '0' && *p <= '9' && fp < 3)
            fp++, p++;
        if (fp == 0 || fp > 2)
            return false;
    }
    if (*p)
        return false;
    double x;
    if (!ld_parse_number(s + 1, &x) || x <= 0 || x >= 100)
        return false;
    *out = x;
    return true;
}
