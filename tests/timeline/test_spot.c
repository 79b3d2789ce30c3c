/*
 * test_spot.c - mixed instances policies, Spot pools and interruptions,
 * insufficient capacity and Spot billing (aws-semantics 1.5, 1.8, 5.1, 5.2,
 * 11 items 8, 10, 15), as YAML scenarios (tly.h).
 *
 * Timing: launch template defaults (pending 6 s, OS 20 s, app 10 s): an
 * instance launched at t runs at t + 6 and is InService at t + 36.
 */
#include <unistd.h>

#include "models/autoscaling/asg.h"
#include "models/autoscaling/mixed_policy.h"
#include "models/ec2/ec2_pool.h"
#include "models/ec2/instance_type.h"
#include "tly.h"

static char yaml[32768];

/*
 * Group g over zones (a YAML list) with a mixed instances policy: distribution keys `dist`, overrides
 * `ovr` (YAML list of override blocks), group keys `extra` (YAML lines at 4 spaces), fleetsim block
 * `fs` (YAML lines at 6 spaces under fleetsim:, may be ""), workload rps, `more` after (faults ...).
 */
static const char *scen(const char *zones, int min, int max, int desired, const char *dist, const char *ovr,
                        const char *extra, const char *fs, double rps, const char *svc, const char *more)
{
    snprintf(yaml, sizeof yaml,
             "scenario: spot\n"
             "duration: 1h\n"
             "region: us-east-1\n"
             "resources:\n"
             "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
             "  tg: {type: aws_lb_target_group, deregistration_delay: 30}\n"
             "  lb: {type: aws_lb, default_target_group: tg}\n"
             "  g:\n"
             "    type: aws_autoscaling_group\n"
             "    availability_zones: %s\n"
             "    min_size: %d\n"
             "    max_size: %d\n"
             "    desired_capacity: %d\n"
             "    target_group_arns: [tg]\n"
             "%s"
             "    mixed_instances_policy:\n"
             "      instances_distribution: {%s}\n"
             "      launch_template:\n"
             "        launch_template_specification: {launch_template_name: lt, version: \"$Latest\"}\n"
             "        override: %s\n"
             "%s%s"
             "workload:\n"
             "  - {name: w, target: lb, arrivals: {kind: poisson, rps: %g}, service_time: %s}\n"
             "%s",
             zones, min, max, desired, extra, dist, ovr, fs[0] ? "    fleetsim:\n" : "", fs, rps, svc, more);
    return yaml;
}

#define ONE_AZ "[us-east-1a]"
#define THREE_AZ "[us-east-1a, us-east-1b, us-east-1c]"
#define C5 "[{instance_type: c5.large}]"
#define THREE_TYPES "[{instance_type: c5.large}, {instance_type: m5.large}, {instance_type: m6i.large}]"

static asg *group(const world *w) { return world_model(w, "aws_autoscaling_group", "g"); }

/* Live (Pending or InService) instances of the group: total, Spot, and of type t (NULL any). */
static int live_n(const asg *g, int spot, const char *type)
{
    int n = 0;
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        const char *st = asg_instance_state(g, k);
        if (strcmp(st, "InService") != 0 && strncmp(st, "Pending", 7) != 0)
            continue;
        if (spot >= 0 && asg_instance_spot(g, k) != (spot == 1))
            continue;
        if (type && strcmp(asg_instance_type(g, k), type) != 0)
            continue;
        n++;
    }
    return n;
}

static size_t inst_k(const asg *g, const char *id)
{
    for (size_t k = 0; k < asg_n_instances(g); k++)
        if (strcmp(asg_instance_id(g, k), id) == 0)
            return k;
    return (size_t)-1;
}

/* ---------------------------------------------------------------- the split (1.8) */

/* aws-semantics 1.8: the doc table's examples, and rounding up in favour of On-Demand at several capacities. */
static void t_split_function(void)
{
    asg_mix m = {.policy = true, .od_base = 10, .od_pct = 50};
    ok(mix_od_target(&m, 20) == 15, "1.8 split: base 10, 50 %%: 20 total -> 15 On-Demand (+ 5 Spot)");
    m = (asg_mix){.policy = true, .od_base = 0, .od_pct = 60};
    ok(mix_od_target(&m, 10) == 6, "1.8 split: base 0, 60 %%: 10 total -> 6 On-Demand (+ 4 Spot)");
    m = (asg_mix){.policy = true, .od_base = 2, .od_pct = 25};
    int want[][2] = {{1, 1}, {2, 2}, {3, 3}, {6, 3}, {7, 4}, {10, 4}, {11, 5}};
    int bad = 0;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        bad += mix_od_target(&m, want[k][0]) != want[k][1];
    ok(bad == 0, "1.8 split: base 2, 25 %%: 1..11 total -> On-Demand 1,2,3,3,4,4,5 (the base first, the rest rounded up)");
    m = (asg_mix){.policy = true, .od_base = 0, .od_pct = 0};
    ok(mix_od_target(&m, 7) == 0, "1.8 split: 0 %% above a base of 0: all Spot");
}

/* aws-semantics 1.8: the group at t = 0 holds the split of the doc examples. */
static void t_split_group(void)
{
    world *w = tly_run(scen(THREE_AZ, 0, 30, 20, "on_demand_base_capacity: 10, on_demand_percentage_above_base_capacity: 50",
                            C5, "", "", 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 0, NULL) == 15 && live_n(group(w), 1, NULL) == 5,
       "1.8 group: base 10, 50 %% at 20: 15 On-Demand and 5 Spot instances");
    tly_done(w);
    w = tly_run(scen(THREE_AZ, 0, 30, 10, "on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 60",
                     C5, "", "", 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 0, NULL) == 6 && live_n(group(w), 1, NULL) == 4,
       "1.8 group: base 0, 60 %% at 10: 6 On-Demand and 4 Spot instances");
    tly_done(w);
}

/* aws-semantics 1.8, 1.4: scaling in keeps the split (the market above its share goes first). */
static void t_split_scale_in(void)
{
    world *w = tly_run(scen(THREE_AZ, 0, 30, 10, "on_demand_percentage_above_base_capacity: 50", C5, "", "", 1,
                            "40ms", "operations:\n  - {kind: set_desired_capacity, at: 5m, autoscaling_group: g, desired_capacity: 6}\n"),
                       1);
    ok(w && live_n(group(w), 0, NULL) == 3 && live_n(group(w), 1, NULL) == 3,
       "1.8 scale-in 10 -> 6 at 50 %%: 3 On-Demand and 3 Spot remain");
    tly_done(w);
}

/* ---------------------------------------------------------------- weights and pools (1.8) */

/* aws-semantics 1.8: weighted_capacity counts units: 5 units of weight-2 instances are 3 instances. */
static void t_weights(void)
{
    world *w = tly_run(scen(ONE_AZ, 0, 20, 5, "on_demand_percentage_above_base_capacity: 100",
                            "[{instance_type: c5.large}, {instance_type: c5.xlarge, weighted_capacity: \"2\"}]", "",
                            "      pools:\n        - {market: on-demand, instance_type: c5.large, capacity: 0}\n", 1,
                            "40ms", ""),
                       1);
    ok(w && live_n(group(w), -1, "c5.xlarge") == 3 && asg_capacity(group(w)) == 6 && asg_desired(group(w)) == 5,
       "1.8 weights: desired 5 units, c5.large pool full: 3 c5.xlarge (weight 2) = 6 units");
    tly_done(w);
    w = tly_run(scen(ONE_AZ, 0, 20, 4, "on_demand_percentage_above_base_capacity: 100",
                     "[{instance_type: c5.xlarge, weighted_capacity: \"2\"}, {instance_type: c5.large}]", "", "", 1,
                     "40ms", ""),
                1);
    ok(w && asg_n_instances(group(w)) == 2 && asg_instance_weight(group(w), 0) == 2,
       "1.8 weights: prioritized On-Demand, first override weight 2: desired 4 -> 2 instances");
    tly_done(w);
}

/* aws-semantics 1.8: lowest-price spreads over the spot_instance_pools cheapest pools of the zone. */
static void t_lowest_price_spreads(void)
{
    const char *fs = "      pools:\n"
                     "        - {instance_type: c5.large, price: $0.030}\n"
                     "        - {instance_type: m5.large, price: $0.020}\n"
                     "        - {instance_type: m6i.large, price: $0.025}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 20, 10, "on_demand_percentage_above_base_capacity: 0, spot_instance_pools: 2",
                            THREE_TYPES, "", fs, 1, "40ms", ""),
                       1);
    const asg *g = w ? group(w) : NULL;
    ok(g && live_n(g, 1, "m5.large") == 5 && live_n(g, 1, "m6i.large") == 5 && live_n(g, 1, "c5.large") == 0,
       "1.8 lowest-price, 2 pools: 10 Spot spread 5 + 5 over the two cheapest (m5.large, m6i.large), none in c5.large");
    tly_done(w);
    w = tly_run(scen(ONE_AZ, 0, 20, 9, "on_demand_percentage_above_base_capacity: 0, spot_instance_pools: 3",
                     THREE_TYPES, "", fs, 1, "40ms", ""),
                1);
    g = w ? group(w) : NULL;
    ok(g && live_n(g, 1, "m5.large") == 3 && live_n(g, 1, "m6i.large") == 3 && live_n(g, 1, "c5.large") == 3,
       "1.8 lowest-price, 3 pools: 9 Spot spread 3 + 3 + 3");
    tly_done(w);
}

/* aws-semantics 1.4, 1.8: the AllocationStrategy termination policy takes the dearest pool first under lowest-price. */
static void t_allocation_strategy_scale_in(void)
{
    const char *fs = "      pools:\n"
                     "        - {instance_type: c5.large, price: $0.030}\n"
                     "        - {instance_type: m5.large, price: $0.020}\n"
                     "        - {instance_type: m6i.large, price: $0.025}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 20, 9, "on_demand_percentage_above_base_capacity: 0, spot_instance_pools: 3",
                            THREE_TYPES, "    termination_policies: [AllocationStrategy, Default]\n", fs, 1, "40ms",
                            "operations:\n  - {kind: set_desired_capacity, at: 5m, autoscaling_group: g, desired_capacity: 6}\n"),
                       1);
    const asg *g = w ? group(w) : NULL;
    ok(g && live_n(g, 1, "c5.large") == 0 && live_n(g, 1, "m5.large") == 3 && live_n(g, 1, "m6i.large") == 3,
       "1.4 AllocationStrategy, lowest-price: scale-in 9 -> 6 takes the 3 instances of the dearest pool (c5.large)");
    tly_done(w);
}

/* aws-semantics 1.8: capacity-optimized takes the pool least likely to be interrupted, price-capacity-optimized the cheapest of the least likely. */
static void t_capacity_optimized(void)
{
    const char *fs = "      pools:\n"
                     "        - {instance_type: c5.large, price: $0.020, interruption_band: \">20%\"}\n"
                     "        - {instance_type: m5.large, price: $0.040, interruption_band: \"<5%\"}\n"
                     "        - {instance_type: m6i.large, price: $0.030, interruption_band: \"<5%\"}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 20, 4, "on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: capacity-optimized-prioritized",
                            THREE_TYPES, "", fs, 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 1, "m5.large") == 4, "1.8 capacity-optimized-prioritized: the <5%% pools, first by priority (m5.large)");
    tly_done(w);
    w = tly_run(scen(ONE_AZ, 0, 20, 4, "on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: price-capacity-optimized",
                     THREE_TYPES, "", fs, 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 1, "m6i.large") == 4, "1.8 price-capacity-optimized: the cheapest of the <5%% pools (m6i.large)");
    tly_done(w);
    w = tly_run(scen(ONE_AZ, 0, 20, 4, "on_demand_percentage_above_base_capacity: 0, spot_instance_pools: 1",
                     THREE_TYPES, "", fs, 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 1, "c5.large") == 4, "1.8 lowest-price, 1 pool: the cheapest pool whatever its risk (c5.large)");
    tly_done(w);
}

/* aws-semantics 1.5, 1.8: the zones are balanced first, then the strategy picks the pool in each. */
static void t_az_first(void)
{
    world *w = tly_run(scen(THREE_AZ, 0, 20, 6, "on_demand_percentage_above_base_capacity: 0", THREE_TYPES, "", "", 1,
                            "40ms", ""), 1);
    const asg *g = w ? group(w) : NULL;
    int per[3] = {0};
    for (size_t k = 0; g && k < asg_n_instances(g); k++)
        per[asg_instance_az(g, k)[9] - 'a']++;
    ok(g && per[0] == 2 && per[1] == 2 && per[2] == 2, "1.5/1.8: 6 Spot instances over 3 zones: 2 per zone");
    tly_done(w);
}

/* aws-semantics 1.8: a pool with no capacity sends the launch to the next pool. */
static void t_next_pool(void)
{
    const char *fs = "      pools:\n"
                     "        - {instance_type: m5.large, price: $0.020, insufficient_capacity: {from: 0s, to: 1h}}\n"
                     "        - {instance_type: m6i.large, price: $0.025}\n"
                     "        - {instance_type: c5.large, price: $0.030}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 20, 3, "on_demand_percentage_above_base_capacity: 0, spot_instance_pools: 1",
                            THREE_TYPES, "", fs, 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 1, "m5.large") == 0 && live_n(group(w), 1, "m6i.large") == 3,
       "1.8 InsufficientInstanceCapacity in the cheapest pool: the next pool (m6i.large) gets the launches");
    tly_done(w);
}

/* aws-semantics 1.8, 1.5: every pool refusing -> the launch fails (logged, retried); when capacity returns the group fills up. */
static void t_all_pools_empty(void)
{
    const char *fs = "      launch_retry_interval: 1m\n"
                     "      pools:\n"
                     "        - {market: on-demand, insufficient_capacity: {from: 5m, to: 20m}}\n";
    world *w = tly_build(scen(ONE_AZ, 0, 20, 2, "on_demand_percentage_above_base_capacity: 100", THREE_TYPES, "", fs, 1,
                              "40ms", "operations:\n  - {kind: set_desired_capacity, at: 10m, autoscaling_group: g, desired_capacity: 4}\n"),
                         1);
    if (w)
        tl_until(w, 19 * 60);
    ok(w && asg_capacity(group(w)) == 2 && asg_get_counts(group(w)).capacity_errors >= 2,
       "1.8 every pool InsufficientInstanceCapacity: launches fail (and are retried) while the window lasts");
    ok(w && tl_first(w, 600, "scaling", "g", NULL, "no pool of the group has capacity") != NULL,
       "1.8 the failed launch is logged");
    if (w)
        tl_until(w, 21 * 60 + 40);
    ok(w && asg_in_service(group(w)) == 4, "1.5 the window ends: the group launches and reaches desired 4");
    if (w)
        tl_finish(w);
    tly_done(w);
}

/* aws-semantics 5.2: spot_max_price below the pool price: the pool is not launched into. */
static void t_max_price(void)
{
    const char *fs = "      pools:\n"
                     "        - {instance_type: m5.large, price: $0.050}\n"
                     "        - {instance_type: m6i.large, price: $0.030}\n"
                     "        - {instance_type: c5.large, price: $0.060}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 20, 2, "on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: capacity-optimized-prioritized, spot_max_price: \"0.04\"",
                            THREE_TYPES, "", fs, 1, "40ms", ""), 1);
    ok(w && live_n(group(w), 1, "m6i.large") == 2, "5.2 spot_max_price 0.04: the pools above it are skipped (m6i.large at 0.03)");
    tly_done(w);
}

/* ---------------------------------------------------------------- interruptions (5.2, 1.8, 11.10) */

#define WAVE_AT(t) "      pools:\n        - {instance_type: c5.large, availability_zone: us-east-1a, reclaim_waves: {at: [" t "], fraction: 1}}\n"

static int n_warn, n_rebal;
static void tap_ev(void *ctx, const aws_event *ev)
{
    (void)ctx;
    if (strcmp(ev->source, "aws.ec2") != 0)
        return;
    n_warn += strcmp(ev->detail_type, "EC2 Spot Instance Interruption Warning") == 0;
    n_rebal += strcmp(ev->detail_type, "EC2 Instance Rebalance Recommendation") == 0;
}

/* aws-semantics 5.2: the notice, then the reclaim two minutes later; billing ends at the reclaim. */
static void t_notice_then_reclaim(void)
{
    world *w = tly_build(scen(ONE_AZ, 0, 4, 1, "on_demand_percentage_above_base_capacity: 0", C5, "", WAVE_AT("10m"), 1,
                              "40ms", ""), 1);
    n_warn = n_rebal = 0;
    if (w) {
        asg_set_event_tap(group(w), tap_ev, NULL);
        tl_finish(w);
    }
    ok(n_rebal == 1 && n_warn == 1, "5.2 EventBridge (aws.ec2): EC2 Instance Rebalance Recommendation and EC2 Spot Instance Interruption Warning");
    double tn = w ? tl_first_t(w, 0, "spot", "i-g-0", "notice", NULL) : -1;
    double tr = w ? tl_first_t(w, 0, "spot", "i-g-0", "reclaimed", NULL) : -1;
    ok(tn == 600 && tr == 720, "5.2 notice at 600 s, reclaim at 720 s (2 minutes later): got %.0f, %.0f", tn, tr);
    ec2_instance *i = w ? asg_instance_ec2(group(w), 0) : NULL;
    ok(i && ec2_terminated(i) == tl_s(720), "5.1/5.2 the reclaimed instance stops billing at the reclaim");
    ok(w && tl_first_t(w, 720, "instance", "i-g-1", "Pending", NULL) == 720,
       "1.8 without capacity_rebalance the replacement launches only at the reclaim");
    ok(w && asg_get_counts(group(w)).interruptions == 1, "5.2 counted: 1 interruption");
    const hist *rh = w ? asg_spot_replacement_times(group(w)) : NULL;
    ok(rh && rh->count == 1 && rh->max == tl_s(36), "5.2 replacement time: reclaim (720 s) -> replacement InService (756 s) = 36 s");
    tly_done(w);
}

/* aws-semantics 5.2: interruptions from the pool's hazard always come with the 2-minute notice, the recommendation rebalance_lead earlier. */
static void t_hazard_lead(void)
{
    const char *fs = "      spot: {interruption_rate: 0.99, rebalance_lead: 5m}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 10, 4, "on_demand_percentage_above_base_capacity: 0", C5, "", fs, 1, "40ms", ""), 3);
    int n = 0, bad = 0;
    size_t ne = w ? tl_nev(w) : 0;
    for (size_t i = 0; i < ne; i++) {
        const events_entry *e = tl_ev(w, i);
        if (strcmp(e->type, "spot") != 0 || strcmp(e->to, "reclaimed") != 0)
            continue;
        n++;
        double tr = tl_sec(e->t);
        double tn = tl_first_t(w, 0, "spot", e->resource, "notice", NULL);
        double tb = tl_first_t(w, 0, "spot", e->resource, "rebalance", NULL);
        bad += tr - tn != 120 || (tn >= 300 + 36 && tn - tb != 300);
    }
    ok(w && n > 0 && bad == 0, "5.2 %d hazard interruptions: each reclaim 120 s after its notice, the recommendation 5 min before it", n);
    tly_done(w);
}

/* aws-semantics 1.8, 11.8: capacity_rebalance: launch on the recommendation, replacement InService, then the old one terminated; above max_size meanwhile. */
static void t_capacity_rebalance(void)
{
    world *w = tly_build(scen(ONE_AZ, 1, 2, 2, "on_demand_percentage_above_base_capacity: 0", C5,
                              "    capacity_rebalance: true\n", "", 1, "40ms", ""), 1);
    asg *g = w ? group(w) : NULL;
    n_warn = n_rebal = 0;
    if (g)
        asg_set_event_tap(g, tap_ev, NULL);
    if (w)
        tl_until(w, 600);
    ok(g && asg_spot_interrupt(g, 0, tl_s(600), "test") == 0, "12.2 asg_spot_interrupt: accepted on a running Spot instance");
    ok(g && asg_spot_interrupt(g, 0, tl_s(600), "test") == -1, "12.2 a second interruption of the same instance is refused");
    ok(w && tl_first_t(w, 600, "instance", "i-g-2", "Pending", "Capacity Rebalancing") == 600,
       "1.8 capacity_rebalance: the replacement launches on the recommendation (t = 600)");
    if (w)
        tl_until(w, 640);
    ok(g && asg_get_counts(g).max_in_service == 3 && asg_max(g) == 2,
       "1.8/11.8 launch before terminate: 3 InService above max_size 2");
    double t_in = w ? tl_first_t(w, 600, "instance", "i-g-2", "InService", NULL) : -1;
    double t_term = w ? tl_first_t(w, 600, "instance", "i-g-0", "Terminating", NULL) : -1;
    ok(t_in == 636 && t_term == 636, "1.8 the old instance is terminated when its replacement is InService (636 s): %.0f, %.0f",
       t_in, t_term);
    if (w)
        tl_finish(w);
    ok(g && asg_get_counts(g).interruptions == 0 && asg_get_counts(g).rebalance_replacements == 1,
       "1.8 replaced before the reclaim: no interruption counted, 1 rebalance replacement");
    const hist *rh = g ? asg_spot_replacement_times(g) : NULL;
    ok(rh && rh->count == 1 && rh->max == tl_s(36), "1.8 replacement time: recommendation (600 s) -> InService (636 s) = 36 s");
    ok(n_rebal == 1 && n_warn == 0, "5.2 EventBridge: one rebalance recommendation; no interruption warning (the instance was gone by then)");
    tly_done(w);
}

/* aws-semantics 1.8: the recommendation with the notice: capacity_rebalance launches at the notice. */
static void t_rebalance_with_notice(void)
{
    world *w = tly_run(scen(ONE_AZ, 1, 2, 1, "on_demand_percentage_above_base_capacity: 0", C5,
                            "    capacity_rebalance: true\n", WAVE_AT("10m"), 1, "40ms", ""), 1);
    ok(w && tl_first_t(w, 0, "instance", "i-g-1", "Pending", "Capacity Rebalancing") == 600 &&
           tl_first_t(w, 600, "instance", "i-g-0", "Terminating", "Capacity Rebalancing") == 636,
       "1.8 recommendation and notice together: replacement at 600 s, old instance terminated at 636 s (before the reclaim at 720)");
    tly_done(w);
}

/* aws-semantics 11.10, 1.7: a reclaimed instance's terminate hook runs but never delays the reclaim. */
static void t_hook_no_delay(void)
{
    char more[512];
    snprintf(more, sizeof more, "%s", "");
    const char *hook = "    initial_lifecycle_hook: {name: drain, lifecycle_transition: \"autoscaling:EC2_INSTANCE_TERMINATING\", "
                       "heartbeat_timeout: 900, default_result: CONTINUE}\n";
    world *w = tly_build(scen(ONE_AZ, 0, 4, 1, "on_demand_percentage_above_base_capacity: 0", C5, hook, WAVE_AT("10m"), 1,
                              "40ms", more), 1);
    if (w)
        tl_until(w, 730);
    asg *g = w ? group(w) : NULL;
    size_t k = g ? inst_k(g, "i-g-0") : (size_t)-1;
    ec2_instance *i = k != (size_t)-1 ? asg_instance_ec2(g, k) : NULL;
    ok(i && ec2_terminated(i) == tl_s(720) && !ec2_running(i), "11.10 reclaimed at 720 s although a terminate hook waits");
    ok(g && strcmp(asg_instance_state(g, k), "Terminating:Wait") == 0,
       "1.7 the terminate hook runs (Terminating:Wait) for the reclaimed instance");
    ok(w && tl_first_t(w, 720, "instance", "i-g-1", "Pending", NULL) == 720, "11.10 the replacement does not wait for the hook");
    if (w)
        tl_finish(w);
    tly_done(w);
}

/* aws-semantics 5.2, 4.4: requests in flight at the reclaim get 502. */
static void t_reclaim_502(void)
{
    world *w = tly_run(scen(ONE_AZ, 0, 4, 1, "on_demand_percentage_above_base_capacity: 0", C5, "", WAVE_AT("10m"), 20,
                            "300ms", ""), 1);
    ok(w && world_summary(w)->errors[STATS_502_RESET] > 0, "5.2 requests held at the reclaim: 502 (%llu)",
       w ? (unsigned long long)world_summary(w)->errors[STATS_502_RESET] : 0ULL);
    tly_done(w);
}

/* issue 8: a reclaim wave takes a fraction of the pool at once. */
static void t_wave_fraction(void)
{
    const char *fs = "      pools:\n        - {instance_type: c5.large, reclaim_waves: {at: [10m], fraction: 0.5}}\n";
    world *w = tly_run(scen(ONE_AZ, 0, 10, 5, "on_demand_percentage_above_base_capacity: 0", C5, "", fs, 1, "40ms", ""), 1);
    ok(w && tl_count(w, 600, 601, "spot", NULL, "notice", NULL) == 3 && tl_count(w, 720, 721, "spot", NULL, "reclaimed", NULL) == 3,
       "wave of 0.5 over 5 instances: 3 notices at once, 3 reclaims 2 minutes later");
    tly_done(w);
}

/* ---------------------------------------------------------------- the pool's laws (5.2) */

/* aws-semantics 5.2: a band's hazard interrupts its midpoint share of instances in 30 days; a walk stays in bounds and repeats per seed; an ICE percentage refuses about that share. */
static void t_pool_laws(void)
{
    const scn_itype *c5 = itype_catalog_find_in("us-east-1", "c5.large");
    sim *s = sim_new(7, 0);
    ec2pool_cfg cfg = {.price_kind = EC2POOL_PRICE_WALK, .price_ratio = 0.4, .walk_step = SIM_HOUR, .walk_sd = 0.2,
                       .walk_min = 0.2, .walk_max = 0.6, .monthly_rate = 0.075, .band = 1, .capacity = -1,
                       .rebalance_lead = {.kind = SIM_DIST_CONSTANT, .a = 0}};
    ec2_pool *p = s && c5 ? ec2pool_new(s, "g", c5, "us-east-1a", EC2POOL_SPOT, &cfg, 48 * SIM_HOUR) : NULL;
    ok(p && fabs(ec2pool_hazard(p) - (-log(1 - 0.075) / 720.0)) < 1e-15 && ec2pool_band(p) == 1,
       "5.2 band 5-10%%: hazard -ln(1 - 0.075) / 720 h, band index 1");
    int inb = 1, moved = 0;
    double prev = p ? ec2pool_price(p, 0) : 0;
    for (int h = 0; p && h < 48; h++) {
        double x = ec2pool_price(p, h * SIM_HOUR) / c5->hourly_usd;
        inb &= x >= 0.2 - 1e-12 && x <= 0.6 + 1e-12;
        moved += fabs(ec2pool_price(p, h * SIM_HOUR) - prev) > 0;
        prev = ec2pool_price(p, h * SIM_HOUR);
    }
    ok(p && inb && moved > 10 && ec2pool_n_prices(p) == 48, "5.2 price walk: 48 hourly prices, within 0.2..0.6 x On-Demand, moving");
    sim *s2 = sim_new(7, 0);
    ec2_pool *p2 = s2 && c5 ? ec2pool_new(s2, "g", c5, "us-east-1a", EC2POOL_SPOT, &cfg, 48 * SIM_HOUR) : NULL;
    ok(p && p2 && ec2pool_price(p, 30 * SIM_HOUR) == ec2pool_price(p2, 30 * SIM_HOUR) &&
           ec2pool_draw_notice(p) == ec2pool_draw_notice(p2), "determinism: the same seed and pool name give the same walk and draws");
    int refused = 0;
    ok(p && ec2pool_block(p, 0, SIM_HOUR, 30) == 0 && ec2pool_block(p, 0, SIM_HOUR, 0) == -1, "12.2 ICE percentage 1..100");
    for (int k = 0; p && k < 10000; k++)
        refused += !ec2pool_available(p, SIM_MIN, 0);
    ok(refused > 2700 && refused < 3300, "12.2 a 30 %% block refuses about 30 %% of launches (%d of 10000)", refused);
    ok(p && ec2pool_available(p, 2 * SIM_HOUR, 0), "12.2 after the window the pool takes launches");
    ec2pool_free(p);
    ec2pool_free(p2);
    sim_free(s);
    sim_free(s2);
}

/* ---------------------------------------------------------------- billing (5.1, 5.2, 11.15) */

/* aws-semantics 5.1, 11.15: per second at the price of each moment, 60 s minimum. */
static void t_series_cost(void)
{
    sim_time_t at[] = {0, tl_s(600)};
    double usd[] = {0.036, 0.072};
    double c = cost_ec2_usd_series(at, usd, 2, 0, tl_s(1200));
    ok(fabs(c - (0.036 * 600 + 0.072 * 600) / 3600) < 1e-12, "5.2 billing across a price change: 600 s at each price (%.6f)", c);
    c = cost_ec2_usd_series(at, usd, 2, tl_s(590), tl_s(595));
    ok(fabs(c - (0.036 * 10 + 0.072 * 50) / 3600) < 1e-12, "5.1 60 s minimum, billed at the prices its seconds fall on");
    ok(fabs(cost_ec2_usd_series(at, usd, 1, 0, tl_s(30.5)) - cost_ec2_usd(0.036, 0, tl_s(30.5))) < 1e-15,
       "5.1 a constant price bills as On-Demand does");
}

/* aws-semantics 5.2: a Spot instance on a CSV price trace is billed at each price; the ledger splits On-Demand and Spot. */
static void t_trace_billing(void)
{
    char path[] = "/tmp/fleetsim-spot-trace-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f) {
        fputs("time,price\n0,0.036\n600,0.072\n", f);
        fclose(f);
    }
    char fs[512];
    snprintf(fs, sizeof fs, "      spot: {price_trace: \"%s\"}\n", path);
    world *w = tly_run(scen(ONE_AZ, 0, 4, 2, "on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 0", C5, "",
                            fs, 1, "40ms", ""), 1);
    const cost_ledger *l = w ? world_ledger(w) : NULL;
    double spot = l ? cost_ledger_get(l, "ec2/spot") : -1, od = l ? cost_ledger_get(l, "ec2/on_demand") : -1;
    double want_spot = 0.036 * 600 / 3600 + 0.072 * 3000 / 3600;
    ok(l && fabs(spot - want_spot) < 1e-9, "5.2 Spot billed per second at the traced price: %.6f (want %.6f)", spot, want_spot);
    ok(l && fabs(od - 0.085) < 1e-9, "5.1 the On-Demand instance at the c5.large price, its own ledger line: %.6f", od);
    asg_market_use u = w ? asg_get_market_use(group(w), tl_s(3600)) : (asg_market_use){0};
    ok(w && fabs(u.spot_od_equiv_usd - 0.085) < 1e-9 && fabs(u.spot_hours - 1) < 1e-9,
       "report: the Spot instance-hours (1) would have cost 0.085 On-Demand");
    tly_done(w);
    unlink(path);
}

/* aws-semantics 5.2: a Spot price rising above the maximum price interrupts the pool's instances (notice, 2 minutes, reclaim). */
static void t_price_over_max(void)
{
    char path[] = "/tmp/fleetsim-spot-over-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f) {
        fputs("0,0.03\n900,0.05\n", f);
        fclose(f);
    }
    char fs[512];
    snprintf(fs, sizeof fs, "      spot: {price_trace: \"%s\"}\n", path);
    world *w = tly_run(scen(ONE_AZ, 0, 4, 2, "on_demand_percentage_above_base_capacity: 0, spot_max_price: \"0.04\"", C5,
                            "", fs, 1, "40ms", ""), 1);
    ok(w && tl_count(w, 900, 901, "spot", NULL, "notice", NULL) == 2 && tl_count(w, 1020, 1021, "spot", NULL, "reclaimed", NULL) == 2,
       "5.2 price 0.05 above spot_max_price 0.04 at 900 s: both instances get the notice, reclaimed at 1020 s");
    ok(w && tl_first(w, 1020, "scaling", "g", NULL, "no pool of the group has capacity") != NULL,
       "5.2 the only pool is above the maximum: the replacements cannot launch");
    tly_done(w);
    unlink(path);
}

/* ---------------------------------------------------------------- capacity what-ifs for FIS (12.2) */

/* aws-semantics 12.2: asg_capacity_block on every pool of a zone: launches there go to the other zones. */
static void t_capacity_block(void)
{
    world *w = tly_build(scen(THREE_AZ, 0, 10, 3, "on_demand_percentage_above_base_capacity: 100", C5, "", "", 1, "40ms",
                              "operations:\n  - {kind: set_desired_capacity, at: 10m, autoscaling_group: g, desired_capacity: 6}\n"),
                         1);
    asg *g = w ? group(w) : NULL;
    ok(g && asg_capacity_block(g, NULL, "us-east-1a", -1, 100, tl_s(300), tl_s(1800)) == 2,
       "12.2 the block matches us-east-1a's On-Demand and Spot c5.large pools");
    if (w)
        tl_finish(w);
    int in_a = 0;
    for (size_t k = 0; g && k < asg_n_instances(g); k++)
        in_a += strcmp(asg_instance_az(g, k), "us-east-1a") == 0;
    ok(g && in_a == 1 && asg_capacity(g) == 6, "12.2 ICE in us-east-1a: the 3 new instances go to b and c (a keeps 1)");
    tly_done(w);
}

/* aws-semantics 12.2: the ICE action also applies to a group without a mixed instances policy (On-Demand pools made on demand). */
static void t_capacity_block_plain(void)
{
    const char *y = "scenario: plain\n"
                    "duration: 1h\n"
                    "region: us-east-1\n"
                    "resources:\n"
                    "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                    "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 0, max_size: 10, desired_capacity: 2,\n"
                    "      availability_zones: [us-east-1a, us-east-1b]}\n"
                    "operations:\n"
                    "  - {kind: set_desired_capacity, at: 10m, autoscaling_group: g, desired_capacity: 4}\n";
    world *w = tly_build(y, 1);
    asg *g = w ? group(w) : NULL;
    ok(g && asg_capacity_block(g, "c5.large", "us-east-1a", 0, 100, tl_s(300), tl_s(1800)) == 1,
       "12.2 a plain group: one On-Demand pool blocked (c5.large in us-east-1a)");
    if (w)
        tl_finish(w);
    int in_a = 0;
    for (size_t k = 0; g && k < asg_n_instances(g); k++)
        in_a += strcmp(asg_instance_az(g, k), "us-east-1a") == 0;
    ok(g && in_a == 1 && asg_capacity(g) == 4 && world_ledger(w) && cost_ledger_get(world_ledger(w), "ec2/spot") == 0,
       "12.2 both new instances go to us-east-1b; billing stays On-Demand");
    tly_done(w);
}

/* aws-semantics 5.2: a launch template with instance_market_options market_type spot: a group without a policy runs all Spot. */
static void t_template_spot(void)
{
    const char *y = "scenario: ltspot\n"
                    "duration: 1h\n"
                    "region: us-east-1\n"
                    "resources:\n"
                    "  lt: {type: aws_launch_template, instance_type: c5.large,\n"
                    "       instance_market_options: {market_type: spot, spot_options: {max_price: \"0.05\"}}}\n"
                    "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 0, max_size: 10, desired_capacity: 2,\n"
                    "      availability_zones: [us-east-1a, us-east-1b],\n"
                    "      fleetsim: {pools: [{availability_zone: us-east-1a, reclaim_waves: {at: [10m], fraction: 1}}]}}\n";
    world *w = tly_run(y, 1);
    const asg *g = w ? group(w) : NULL;
    ok(g && asg_instance_spot(g, 0) && asg_instance_spot(g, 1), "5.2 market_type spot: the group's instances are Spot");
    ok(w && tl_count(w, 600, 601, "spot", NULL, "notice", NULL) == 1 && tl_first_t(w, 0, "spot", "i-g-0", "reclaimed", NULL) == 720,
       "5.2 the group's fleetsim pools apply: the wave in us-east-1a reclaims i-g-0 at 720 s");
    const cost_ledger *l = w ? world_ledger(w) : NULL;
    double want = 0.38 * 0.085 * (720.0 + 3600.0 + (3600.0 - 720.0 - 6.0)) / 3600.0;
    ok(l && cost_ledger_get(l, "ec2/on_demand") == 0 && fabs(cost_ledger_get(l, "ec2/spot") - want) < 1e-9,
       "5.1/5.2 billed as Spot at 0.38 x On-Demand: %.6f (want %.6f)", l ? cost_ledger_get(l, "ec2/spot") : -1, want);
    tly_done(w);
    char *e = tly_errors("scenario: x\nduration: 1h\nresources:\n"
                         "  lt: {type: aws_launch_template, instance_type: c5.large, instance_market_options: {market_type: spot,\n"
                         "       spot_options: {instance_interruption_behavior: hibernate}}}\n");
    ok(e && strstr(e, "hibernate") && strstr(e, "not supported yet"), "5.2 interruption behaviour hibernate: not supported yet, reported");
    free(e);
}

/* ---------------------------------------------------------------- the shipped scenario's what-ifs (docs/spot.md) */

#ifndef FLEETSIM_SRC
#define FLEETSIM_SRC "."
#endif
#define DIST_SET "resources.web_asg.mixed_instances_policy.instances_distribution."

typedef struct fleet_res {
    bool ran;
    uint64_t interruptions, replacements, e502;
    double p99, spot_usd, od_usd, od_hours, spot_equiv;
} fleet_res;

/* Runs scenarios/spot-fleet.yaml with the --set lines sets (NULL-terminated) and seed 4. */
static fleet_res fleet(const char *const *sets)
{
    fleet_res r = {0};
    FILE *f = fopen(FLEETSIM_SRC "/scenarios/spot-fleet.yaml", "r");
    static char text[65536];
    size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[len] = '\0';
    size_t n = 0;
    while (sets && sets[n])
        n++;
    scenario *sc = NULL;
    scn_diags d = {0};
    if (!len || scenario_load("spot-fleet.yaml", text, len, sets, n, &sc, &d) != 0) {
        scn_diags_print(&d, stderr);
        scn_diags_free(&d);
        return r;
    }
    scn_diags_free(&d);
    char err[256];
    sim *s = sim_new(sc->seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        sim_free(s);
        scenario_free(sc);
        return r;
    }
    if (tl_finish(w) == 0) {
        const asg *g = world_model(w, "aws_autoscaling_group", "web_asg");
        asg_counts c = asg_get_counts(g);
        asg_market_use u = asg_get_market_use(g, sc->duration);
        r.ran = true;
        r.interruptions = c.interruptions;
        r.replacements = c.rebalance_replacements;
        r.e502 = world_summary(w)->errors[STATS_502_RESET];
        r.p99 = world_summary(w)->p99;
        r.spot_usd = u.spot_usd;
        r.od_usd = u.od_usd;
        r.od_hours = u.od_hours;
        r.spot_equiv = u.spot_od_equiv_usd;
    }
    tly_free(w);
    return r;
}

/* docs/spot.md's what-if table (aws-semantics 1.8, 5.2), each command as the doc gives it. */
static void t_fleet_whatifs(void)
{
    fleet_res base = fleet(NULL);
    ok(base.ran && base.od_hours == 0 && base.spot_usd > 0 && base.spot_usd < 0.5 * base.spot_equiv,
       "spot-fleet as shipped: all Spot, %.4f USD against %.4f On-Demand", base.spot_usd, base.spot_equiv);
    static const char *const lowest[] = {DIST_SET "spot_allocation_strategy=lowest-price", NULL};
    static const char *const capopt[] = {DIST_SET "spot_allocation_strategy=capacity-optimized", NULL};
    static const char *const lowest_off[] = {DIST_SET "spot_allocation_strategy=lowest-price",
                                             "resources.web_asg.capacity_rebalance=false", NULL};
    fleet_res lo = fleet(lowest), co = fleet(capopt), lo_off = fleet(lowest_off);
    ok(fabs(base.spot_usd - 1.1919) < 5e-5 && fabs(lo.spot_usd - 1.1368) < 5e-5 && fabs(co.spot_usd - 1.3328) < 5e-5 &&
           fabs(lo_off.spot_usd - 1.1169) < 5e-5 && lo.replacements == 14 && lo_off.interruptions == 16 && lo_off.e502 == 12,
       "docs/spot.md's table: shipped, lowest-price, capacity-optimized and capacity_rebalance-off figures as printed");
    ok(lo.ran && co.ran && lo.replacements > 0 && co.replacements == 0 && lo.spot_usd < co.spot_usd,
       "1.8 lowest-price lands in the wave-hit pools (%llu rebalance replacements) and costs less (%.4f) than "
       "capacity-optimized (%llu, %.4f)", (unsigned long long)lo.replacements, lo.spot_usd,
       (unsigned long long)co.replacements, co.spot_usd);
    ok(lo_off.ran && lo_off.interruptions > 0 && lo_off.e502 > 0 && lo.e502 == 0 && lo.interruptions == 0,
       "1.8 capacity_rebalance off: %llu reclaims and %llu 502s; on: replaced before the reclaim, no 502",
       (unsigned long long)lo_off.interruptions, (unsigned long long)lo_off.e502);
    static const char *const base2[] = {DIST_SET "on_demand_base_capacity=2", NULL};
    fleet_res b2 = fleet(base2);
    ok(b2.ran && b2.od_hours > 3.9 && b2.od_hours < 4.1 && b2.od_usd > 0.33 && b2.od_usd < 0.35,
       "1.8 On-Demand base 2: 2 c5.large On-Demand (prioritized: the first override), %.2f instance-hours, %.4f USD", b2.od_hours, b2.od_usd);
    static const char *const wave[] = {"resources.web_asg.fleetsim.pools.3.reclaim_waves={at: [40m], fraction: 0.5}", NULL};
    static const char *const wave_off[] = {"resources.web_asg.fleetsim.pools.3.reclaim_waves={at: [40m], fraction: 0.5}",
                                           "resources.web_asg.capacity_rebalance=false", NULL};
    fleet_res wv = fleet(wave), wv_off = fleet(wave_off);
    ok(fabs(b2.spot_usd - 1.0559) < 5e-5 && wv.replacements == 6 && wv_off.interruptions == 6 && wv_off.e502 == 5,
       "docs/spot.md's table: On-Demand base and reclaim-wave figures as printed");
    ok(wv.ran && wv_off.ran && wv.replacements > 0 && wv.e502 == 0 && wv_off.interruptions > 0 && wv_off.e502 > 0,
       "5.2 a wave in the largest pools (c5.xlarge): %llu replaced ahead with capacity_rebalance; %llu reclaimed and "
       "%llu 502s without", (unsigned long long)wv.replacements, (unsigned long long)wv_off.interruptions,
       (unsigned long long)wv_off.e502);
}

/* ---------------------------------------------------------------- bad input */

static void t_bad(void)
{
    struct {
        const char *dist, *ovr, *fs, *want;
    } cases[] = {
        {"", "[{instance_type: c5.large, weighted_capacity: \"0\"}]", "", "'weighted_capacity': expected a whole number"},
        {"on_demand_percentage_above_base_capacity: 101", C5, "", "on_demand_percentage_above_base_capacity"},
        {"spot_allocation_strategy: cheapest", C5, "", "spot_allocation_strategy"},
        {"", C5, "      spot: {interruption_band: \"30%\"}\n", "interruption_band"},
        {"spot_instance_pools: 21", C5, "", "spot_instance_pools"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *e = tly_errors(scen(ONE_AZ, 0, 4, 1, cases[k].dist, cases[k].ovr, "", cases[k].fs, 1, "40ms", ""));
        ok(e && strstr(e, cases[k].want) && strstr(e, "<test>:"), "bad input %zu: '%s' reported with its position", k,
           cases[k].want);
        if (!e || !strstr(e, cases[k].want))
            printf("# %s\n", e ? e : "(loaded)");
        free(e);
    }
}

int main(void)
{
    t_split_function();
    t_split_group();
    t_split_scale_in();
    t_weights();
    t_lowest_price_spreads();
    t_capacity_optimized();
    t_allocation_strategy_scale_in();
    t_az_first();
    t_next_pool();
    t_all_pools_empty();
    t_max_price();
    t_notice_then_reclaim();
    t_hazard_lead();
    t_capacity_rebalance();
    t_rebalance_with_notice();
    t_hook_no_delay();
    t_reclaim_502();
    t_wave_fraction();
    t_pool_laws();
    t_series_cost();
    t_trace_billing();
    t_price_over_max();
    t_capacity_block();
    t_capacity_block_plain();
    t_template_spot();
    t_bad();
    t_fleet_whatifs();
    return tap_done();
}
