/*
 * bench_autoscale.c - what the Auto Scaling control plane costs per simulated
 * request.
 *
 *   bench_autoscale MODE REQS SEED [SCALE]
 *
 * The web tier of bench_web (Poisson at 3.2 req/s -> ALB least outstanding
 * requests -> 4 one-vCPU instances with exponential service of mean 1 s, so
 * utilisation 0.8), but the instances belong to an Auto Scaling group with
 * ALB health checks. MODE:
 *   fixed  the group at a fixed size, no policy, no alarm;
 *   tt     the same group (min 4, max 8) with detailed monitoring, a target
 *          tracking policy on ASGAverageCPUUtilization with target 100 (its
 *          two alarms evaluate every minute but never act, so both modes
 *          simulate the same system and the difference is the control
 *          plane's own work) and four alarms on ALB and EC2 metrics, among
 *          them a p99 TargetResponseTime alarm, publishing to an SNS topic.
 * SCALE (default 1) multiplies the arrival rate and divides the service time
 * (same utilisation, SCALE times more requests per simulated minute): the
 * control plane works per simulated minute, so its share of the work falls as
 * the request rate rises; SCALE 100 (320 req/s, 10 ms) is a small real web tier.
 * The scenario is YAML through the real loader, as a user would write it.
 * Prints one line in the peers' format (../shared/peers/src/aggregate.py):
 *   peer=fleetsim-asg-MODE wl=mmk K=4 reqs=... events=... run_s=... rate=... ev_rate=...
 * where run_s is the wall time of world_run alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "models/core/scenario.h"
#include "models/core/world.h"
#include "stats/events.h"

static const char common[] =
    "scenario: bench-autoscale-%s\n"
    "seed: %llu\n"
    "duration: %.0fs\n"
    "instance_types:\n"
    "  bench.1cpu: {vcpus: 1, speed: 1.0, hourly_price: $0.01}\n"
    "resources:\n"
    "  lt:\n"
    "    type: aws_launch_template\n"
    "    instance_type: bench.1cpu\n"
    "    monitoring: {enabled: true}\n"
    "  tg:\n"
    "    type: aws_lb_target_group\n"
    "    load_balancing_algorithm_type: least_outstanding_requests\n"
    "  front:\n"
    "    type: aws_lb\n"
    "    default_target_group: tg\n"
    "    idle_timeout: 4000s\n"
    "  web:\n"
    "    type: aws_autoscaling_group\n"
    "    launch_template: lt\n"
    "    min_size: 4\n"
    "    max_size: %d\n"
    "    desired_capacity: 4\n"
    "    target_group_arns: [tg]\n"
    "    health_check_type: ELB\n"
    "%s"
    "workload:\n"
    "  - name: users\n"
    "    target: front\n"
    "    arrivals: {kind: poisson, rps: %.6g}\n"
    "    service_time: {dist: exponential, mean: %.6gs}\n"
    "report: {window: 1h}\n";

static const char control_plane[] =
    "  cpu100:\n"
    "    type: aws_autoscaling_policy\n"
    "    autoscaling_group_name: web\n"
    "    policy_type: TargetTrackingScaling\n"
    "    target_tracking_configuration:\n"
    "      predefined_metric_specification: {predefined_metric_type: ASGAverageCPUUtilization}\n"
    "      target_value: 100\n"
    "  ops:\n"
    "    type: aws_sns_topic\n"
    "  ops_mail:\n"
    "    type: aws_sns_topic_subscription\n"
    "    topic_arn: ops\n"
    "    protocol: email\n"
    "    endpoint: ops@example.com\n"
    "  cpu_high:\n"
    "    type: aws_cloudwatch_metric_alarm\n"
    "    namespace: AWS/EC2\n"
    "    metric_name: CPUUtilization\n"
    "    dimensions: {AutoScalingGroupName: web}\n"
    "    statistic: Average\n"
    "    period: 60s\n"
    "    evaluation_periods: 5\n"
    "    threshold: 95\n"
    "    comparison_operator: GreaterThanThreshold\n"
    "    alarm_actions: [ops]\n"
    "  elb_5xx:\n"
    "    type: aws_cloudwatch_metric_alarm\n"
    "    namespace: AWS/ApplicationELB\n"
    "    metric_name: HTTPCode_ELB_5XX_Count\n"
    "    dimensions: {LoadBalancer: front}\n"
    "    statistic: Sum\n"
    "    period: 60s\n"
    "    evaluation_periods: 3\n"
    "    threshold: 10\n"
    "    comparison_operator: GreaterThanThreshold\n"
    "    treat_missing_data: notBreaching\n"
    "    alarm_actions: [ops]\n"
    "  slow:\n"
    "    type: aws_cloudwatch_metric_alarm\n"
    "    namespace: AWS/ApplicationELB\n"
    "    metric_name: TargetResponseTime\n"
    "    dimensions: {LoadBalancer: front, TargetGroup: tg}\n"
    "    extended_statistic: p99\n"
    "    period: 300s\n"
    "    evaluation_periods: 2\n"
    "    threshold: 60\n"
    "    comparison_operator: GreaterThanThreshold\n"
    "    alarm_actions: [ops]\n"
    "  unhealthy:\n"
    "    type: aws_cloudwatch_metric_alarm\n"
    "    namespace: AWS/ApplicationELB\n"
    "    metric_name: UnHealthyHostCount\n"
    "    dimensions: {TargetGroup: tg, LoadBalancer: front}\n"
    "    statistic: Maximum\n"
    "    period: 60s\n"
    "    evaluation_periods: 2\n"
    "    threshold: 0\n"
    "    comparison_operator: GreaterThanThreshold\n"
    "    alarm_actions: [ops]\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if ((argc != 4 && argc != 5) || (strcmp(argv[1], "fixed") != 0 && strcmp(argv[1], "tt") != 0)) {
        fprintf(stderr, "usage: bench_autoscale fixed|tt REQS SEED [SCALE]\n");
        return 2;
    }
    int tt = strcmp(argv[1], "tt") == 0;
    double reqs = strtod(argv[2], NULL);
    unsigned long long seed = strtoull(argv[3], NULL, 10);
    double scale = argc == 5 ? strtod(argv[4], NULL) : 1.0;
    if (!(reqs >= 1000) || !(scale >= 0.01 && scale <= 1e4)) {
        fprintf(stderr, "bench_autoscale: REQS must be at least 1000 and SCALE within 0.01..1e4\n");
        return 2;
    }

    size_t cap = sizeof common + sizeof control_plane + 256;
    char *text = malloc(cap);
    if (!text)
        return 3;
    double rps = 3.2 * scale;
    snprintf(text, cap, common, argv[1], seed, reqs / rps, tt ? 8 : 4, tt ? control_plane : "", rps,
             1.0 / scale);

    scn_diags diags = {0};
    scenario *sc = NULL;
    if (scenario_load("<bench_autoscale>", text, strlen(text), NULL, 0, &sc, &diags) != 0) {
        diags.text = text;
        diags.text_len = strlen(text);
        scn_diags_print(&diags, stderr);
        scn_diags_free(&diags);
        free(text);
        return 1;
    }
    scn_diags_free(&diags);

    char err[256] = "";
    sim *s = sim_new(sc->seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        fprintf(stderr, "bench_autoscale: %s\n", err);
        return 3;
    }
    double t0 = now_s();
    int rc = world_run(w);
    double run_s = now_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench_autoscale: run failed (%d)\n", rc);
        return 3;
    }
    const stats_summary *sm = world_summary(w);
    uint64_t ok = sm->errors[STATS_OK];
    uint64_t events = sim_events_fired(s);
    printf("peer=fleetsim-asg-%s%s wl=mmk K=4 reqs=%llu events=%llu run_s=%.4f rate=%.1f ev_rate=%.1f "
           "mean=%.4f p99=%.4f log_events=%zu\n",
           argv[1], scale != 1.0 ? "-scaled" : "", (unsigned long long)ok, (unsigned long long)events, run_s, (double)ok / run_s,
           (double)events / run_s, sm->mean_latency, sm->p99, events_count(world_events(w)));
    world_free(w);
    sim_free(s);
    scenario_free(sc);
    free(text);
    return 0;
}
