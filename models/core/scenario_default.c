/*
 * scenario_default.c - the scenario `fleetsim run` uses when given no FILE.
 *
 * A small web tier that an architect recognises at a glance: one ALB, one
 * target group, four c5.large behind it at a fixed size, steady Poisson
 * traffic at about 75 % CPU: busy enough that queueing shows in the p99, far
 * enough from saturation that the default run is not a meltdown. Kept as a C
 * string so the binary needs no data files.
 */
#include "models/core/scenario.h"

static const char default_text[] =
    "# fleetsim built-in default scenario (fleetsim run with no FILE).\n"
    "# 4 x c5.large = 8 vCPUs behind an ALB. 150 rps x 40 ms mean service time\n"
    "# = 6 busy vCPUs of 8: about 75 % utilisation. (300 rps would need 12 vCPUs\n"
    "# and overload the fleet.)\n"
    "scenario: default-web-tier\n"
    "seed: 1\n"
    "duration: 1h\n"
    "region: us-west-2\n"
    "resources:\n"
    "  web_lt:\n"
    "    type: aws_launch_template\n"
    "    instance_type: c5.large\n"
    "  web_tg:\n"
    "    type: aws_lb_target_group\n"
    "    load_balancing_algorithm_type: least_outstanding_requests\n"
    "    deregistration_delay: 300s\n"
    "    health_check: {interval: 30s, timeout: 5s, healthy_threshold: 5, unhealthy_threshold: 2}\n"
    "  front:\n"
    "    type: aws_lb\n"
    "    load_balancer_type: application\n"
    "    default_target_group: web_tg\n"
    "  web:\n"
    "    type: aws_autoscaling_group\n"
    "    launch_template: web_lt\n"
    "    min_size: 4\n"
    "    max_size: 4\n"
    "    desired_capacity: 4\n"
    "    availability_zones: [us-west-2a, us-west-2b, us-west-2c]\n"
    "    target_group_arns: [web_tg]\n"
    "    health_check_type: ELB\n"
    "workload:\n"
    "  - name: shoppers\n"
    "    target: front\n"
    "    arrivals: {kind: poisson, rps: 150}\n"
    "    service_time: {dist: lognormal, mean: 40ms, cv: 1.0}\n"
    "    timeout: 30s\n"
    "report:\n"
    "  window: 1m\n"
    "  slo: {p99: 500ms}\n";

const char *scenario_default_text(void) { return default_text; }
