/*
 * test_ledger.c - the cost ledger computed by hand (issue 9 point 2, point 5):
 * per-second EC2 billing and its 60 s minimum as ledger lines, each ALB LCU
 * dimension winning in turn (new connections, active connections, processed
 * bytes, rule evaluations), Lambda GB-seconds in 1 ms steps, the windows'
 * cost summing to the ledger, and a whole scenario's ledger line by line.
 *
 * Prices: data/prices/us-west-2.csv (c5.large $0.085/h, ALB $0.0225/h and
 * $0.008/LCU-h, gp3 $0.08/GB-month). Request counts are Poisson draws, so
 * each expected figure is the formula applied to the count the run reports.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>

#include "tly.h"
#include "models/elb/alb.h"
#include "models/core/slo_window.h"
#include "reports/ledger_report.h"
#include "stats/cost.h"

#define GIB 1073741824.0

/* Requests the ALB handled over the whole run (warm-up included): every arrival went to it. */
static double alb_requests(const world *w)
{
    uint64_t arrived = 0, by_cause[STATS_N_CAUSES] = {0}, in_flight = 0, objects = 0;
    world_live_requests(w, &arrived, by_cause, &in_flight, &objects);
    return (double)arrived;
}

static void test_rules(void)
{
    /* LCU dimensions, one hour each: 90,000 new connections = 25/s = 1 LCU, and so on */
    cost_lcu_dim d;
    cost_lcu_hour h = {.new_conns = 90000, .active_per_min = 1500, .bytes = 0.5 * GIB, .rule_evals = 1.8e6};
    is_near(cost_alb_lcus(&h, &d), 1.0, 1e-12, "LCU: 25 new connections/s is 1 LCU");
    is_int(d, COST_LCU_NEW_CONNS, "... new connections win over 0.5 active, 0.5 bytes, 0.5 rules");
    h = (cost_lcu_hour){.new_conns = 9000, .active_per_min = 6000, .bytes = GIB, .rule_evals = 0};
    is_near(cost_alb_lcus(&h, &d), 2.0, 1e-12, "LCU: 6,000 active connections/min is 2 LCUs");
    is_int(d, COST_LCU_ACTIVE_CONNS, "... active connections win");
    h = (cost_lcu_hour){.new_conns = 9000, .active_per_min = 300, .bytes = 3.5 * GIB, .rule_evals = 3.6e6};
    is_near(cost_alb_lcus(&h, &d), 3.5, 1e-12, "LCU: 3.5 GB processed in the hour is 3.5 LCUs");
    is_int(d, COST_LCU_BYTES, "... processed bytes win");
    h = (cost_lcu_hour){.new_conns = 9000, .active_per_min = 300, .bytes = GIB, .rule_evals = 18e6};
    is_near(cost_alb_lcus(&h, &d), 5.0, 1e-12, "LCU: 5,000 rule evaluations/s is 5 LCUs");
    is_int(d, COST_LCU_RULE_EVALS, "... rule evaluations win");
    is_str(cost_lcu_dim_name(COST_LCU_RULE_EVALS), "rule_evaluations", "dimension names");

    /* Lambda: duration rounded up to 1 ms, times memory in GB (MB / 1024) */
    is_near(cost_lambda_gb_seconds(1, 128), 0.125 * 0.001, 1e-18, "Lambda: 1 ns at 128 MB bills 1 ms = 0.000125 GB-s");
    is_near(cost_lambda_gb_seconds(SIM_MS, 1024), 0.001, 1e-18, "Lambda: exactly 1 ms at 1 GB bills 0.001 GB-s");
    is_near(cost_lambda_gb_seconds(SIM_MS + 1, 1024), 0.002, 1e-18, "Lambda: 1 ms + 1 ns bills 2 ms");
    is_near(cost_lambda_gb_seconds(1234 * SIM_MS + 100, 512), 0.5 * 1.235, 1e-15, "Lambda: 1234.0001 ms at 512 MB bills 1.235 s x 0.5 GB");
    is_near(cost_lambda_gb_seconds(0, 1024), 0, 0, "Lambda: no duration, no GB-s");

    /* SNS: one publish request per started 64 KB */
    is_int(cost_sns_publish_requests(100), 1, "SNS: a short message is one request");
    is_int(cost_sns_publish_requests(64 * 1024), 1, "SNS: 64 KB is one request");
    is_int(cost_sns_publish_requests(64 * 1024 + 1), 2, "SNS: 64 KB + 1 byte is two");

    /* the ledger's lines */
    cost_ledger l;
    cost_ledger_init(&l);
    cost_ledger_service(&l, "ec2");
    cost_ledger_charge(&l, "elb", "alb_hours", "ALB-hours", 2, 0.0225);
    cost_ledger_charge(&l, "ec2", "on_demand", "instance-hours", 1.5, 0.085);
    cost_ledger_charge(&l, "ec2", "on_demand", "instance-hours", 0.5, 0.085);
    cost_ledger_charge_usd(&l, "ec2", "spot", "instance-hours", 2, 0.06);
    cost_ledger_charge_usd(&l, "ec2", "spot", "instance-hours", 2, 0.10);
    const cost_line *od = cost_ledger_line(&l, "ec2", "on_demand"), *sp = cost_ledger_line(&l, "ec2", "spot");
    ok(od && od->usage == 2 && od->unit_usd == 0.085 && fabs(od->usd - 0.17) < 1e-15, "ledger: a line sums its usage at its price");
    ok(sp && sp->usage == 4 && fabs(sp->unit_usd - 0.04) < 1e-15, "ledger: a line charged at several prices shows the mean");
    is_near(cost_ledger_get(&l, "ec2"), 0.17 + 0.16, 1e-15, "ledger: a service is the sum of its lines");
    is_near(cost_ledger_get(&l, "ec2/spot"), 0.16, 1e-15, "ledger: service/item reads one line");
    is_near(cost_ledger_total(&l), 0.33 + 0.045, 1e-15, "ledger: the total is the sum of the services");
    is_str(l.items[0].item, "ec2", "ledger: services keep their listed order");
    cost_ledger m;
    cost_ledger_init(&m);
    cost_ledger_charge(&m, "elb", "alb_hours", "ALB-hours", 1, 0.0225);
    is_int(cost_ledger_merge(&m, &l), 0, "ledger: merge");
    is_near(cost_ledger_get(&m, "elb/alb_hours"), 3 * 0.0225, 1e-15, "ledger: merge adds matching lines");
    is_near(cost_ledger_total(&m), cost_ledger_total(&l) + 0.0225, 1e-15, "ledger: merge keeps every line");
}

/* One clock hour of one fixed instance behind an ALB with this traffic shape; the LCU-hours the ledger has and the formula's. */
static void lcu_case(const char *what, const char *lb_extra, const char *listener, double rps, double bytes, double rpc,
                     double life_s, double rules_billable, cost_lcu_dim want)
{
    char y[8192];
    snprintf(y, sizeof y,
             "scenario: lcu\nduration: 1h\nregion: us-west-2\nresources:\n"
             "  web: {type: aws_instance, instance_type: c5.xlarge}\n"
             "  tg: {type: aws_lb_target_group, port: 80, protocol: HTTP}\n"
             "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: web}\n"
             "  lb:\n    type: aws_lb\n%s%s%s"
             "workload:\n  - {name: w, target: lb, path: /app, arrivals: {kind: poisson, rps: %g}, service_time: 2ms}\n"
             "report: {window: 10m}\n",
             listener ? "" : "    default_target_group: tg\n", lb_extra, listener ? listener : "", rps);
    world *w = tly_build(y, 3);
    ok(w && world_run(w) == 0, "%s: runs", what);
    if (!w)
        return;
    double n = alb_requests(w);
    cost_lcu_hour h = {.new_conns = n / rpc,
                       .active_per_min = n / rpc / 3600 * (60 + life_s),
                       .bytes = n * bytes,
                       .rule_evals = n * rules_billable};
    double dims[4] = {h.new_conns / 3600 / 25, h.active_per_min / 3000, h.bytes / GIB, h.rule_evals / 3600 / 1000};
    cost_lcu_dim d;
    double lcu = cost_alb_lcus(&h, &d);
    const cost_line *x = cost_ledger_line(world_ledger(w), "elb", "lcu_hours");
    ok(x && fabs(x->usage - dims[want]) < 1e-12 * (1 + dims[want]),
       "%s: %.0f requests -> %.6f LCU-hours (new %.6f, active %.6f, bytes %.6f, rules %.6f), ledger %.6f", what, n,
       dims[want], dims[0], dims[1], dims[2], dims[3], x ? x->usage : -1);
    ok(d == want && lcu == dims[want], "%s: the %s dimension wins", what, cost_lcu_dim_name(want));
    ok(x && fabs(x->usd - dims[want] * 0.008) < 1e-12 && x->unit_usd == 0.008, "%s: at $0.008 per LCU-hour", what);
    uint64_t wins[4] = {9, 9, 9, 9};
    const alb *lb = world_model(w, "aws_lb", "lb");
    if (lb)
        alb_lcu_wins(lb, wins);
    ok(lb && wins[want] == 1 && wins[0] + wins[1] + wins[2] + wins[3] == 1, "%s: the aws_lb row says the one hour was billed on %s",
       what, cost_lcu_dim_name(want));
    tly_free(w);
}

static void test_lcus(void)
{
    /* no reuse, tiny requests: 50/s new connections = 2 LCUs; active 50 x 60 / 3000 = 1; bytes ~0.02 */
    lcu_case("new connections", "    request_bytes: 60B\n    response_bytes: 40B\n    requests_per_connection: 1\n", NULL,
             50, 100, 1, 0, 0, COST_LCU_NEW_CONNS);
    /* keep-alive, 2 requests a connection, idle 10 min: active = 25/s x 660 s / 3000 = 5.5 against new 1 */
    lcu_case("active connections",
             "    idle_timeout: 600\n    request_bytes: 60B\n    response_bytes: 40B\n    requests_per_connection: 2\n", NULL,
             50, 100, 2, 600, 0, COST_LCU_ACTIVE_CONNS);
    /* the defaults: 1 KiB + 16 KiB a request, 10 a connection: 50/s x 17 KiB x 3600 s = 2.9 GB */
    lcu_case("processed bytes", "", NULL, 50, 17 * 1024, 10, 60, 0, COST_LCU_BYTES);
    /* a listener with 14 rules none of /app matches: each request processes 14, 4 beyond the free 10 */
    char ls[6000];
    int k = snprintf(ls, sizeof ls,
                     "  http:\n    type: aws_lb_listener\n    load_balancer_arn: lb\n    port: 80\n"
                     "    default_action: {type: forward, target_group_arn: tg}\n");
    for (int r = 1; r <= 14 && k > 0 && (size_t)k < sizeof ls; r++)
        k += snprintf(ls + k, sizeof ls - (size_t)k,
                      "  r%d:\n    type: aws_lb_listener_rule\n    listener_arn: http\n    priority: %d\n"
                      "    action: {type: forward, target_group_arn: tg}\n"
                      "    condition: {path_pattern: {values: [\"/r%d/*\"]}}\n", r, r, r);
    /* 50/s x 4 = 200 evaluations/s = 0.2 LCU; new 50/1000/25 = 0.002; active 0.05 x 61 / 3000; bytes 50 x 2 x 3600 / GiB */
    lcu_case("rule evaluations",
             "    idle_timeout: 1\n    request_bytes: 1B\n    response_bytes: 1B\n    requests_per_connection: 1000\n", ls,
             50, 2, 1000, 1, 4, COST_LCU_RULE_EVALS);
}

/* Two fixed c5.large for 90.5 s behind an ALB, nothing else: every line by hand. */
static void test_whole_scenario(void)
{
    world *w = tly_build("scenario: hand\nduration: 90500ms\nregion: us-west-2\nresources:\n"
                         "  web: {type: aws_instance, instance_type: c5.large, count: 2}\n"
                         "  tg: {type: aws_lb_target_group, port: 80, protocol: HTTP}\n"
                         "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: web}\n"
                         "  lb: {type: aws_lb, default_target_group: tg}\n"
                         "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 20}, service_time: 10ms}\n"
                         "report: {window: 10s, slo: {p99: 5ms, violation_cost_per_minute: $100}}\n",
                         9);
    ok(w && world_run(w) == 0, "hand: runs");
    if (!w)
        return;
    const cost_ledger *l = world_ledger(w);
    double n = alb_requests(w);
    /* EC2: 90.5 s rounds up to 91 s per instance (per-second billing) */
    double ec2 = 2 * 91 / 3600.0 * 0.085;
    /* EBS: two 8 GiB gp3 root volumes for 90.5 s of a 730-hour month */
    double ebs = 2 * 8 * 90.5 / (730 * 3600.0) * 0.08;
    /* ELB: one ALB-hour (partial hours round up) and the hour's LCUs: the defaults make bytes win (17 KiB a request) */
    double lcu = n * 17408 / GIB;
    double elb = 0.0225 + lcu * 0.008;
    const cost_line *x = cost_ledger_line(l, "ec2", "on_demand");
    ok(x && fabs(x->usage - 2 * 91 / 3600.0) < 1e-15 && x->unit_usd == 0.085 && fabs(x->usd - ec2) < 1e-15,
       "hand: ec2/on_demand 182 s = %.6f instance-hours x $0.085 = $%.8f", 2 * 91 / 3600.0, ec2);
    x = cost_ledger_line(l, "ebs", "gp3_storage");
    ok(x && fabs(x->usd - ebs) < 1e-15 && x->unit_usd == 0.08, "hand: ebs/gp3_storage $%.10f", ebs);
    x = cost_ledger_line(l, "elb", "alb_hours");
    ok(x && x->usage == 1 && fabs(x->usd - 0.0225) < 1e-15, "hand: elb/alb_hours 1 x $0.0225");
    x = cost_ledger_line(l, "elb", "lcu_hours");
    ok(x && fabs(x->usage - lcu) < 1e-12, "hand: elb/lcu_hours %.0f requests x 17 KiB / GiB = %.8f", n, lcu);
    is_near(world_cost(w, "elb"), elb, 1e-12, "hand: elb = ALB-hours + LCU-hours");
    is_near(world_cost_total(w), ec2 + ebs + elb, 1e-12, "hand: total $%.8f is ec2 + ebs + elb and nothing else", ec2 + ebs + elb);
    size_t lines = 0;
    for (size_t i = 0; i < l->n_lines; i++)
        lines += l->lines[i].usd != 0;
    is_int((long long)lines, 4, "hand: four priced lines");
    is_near(ledger_report_per_million(w), world_cost_total(w) / (double)world_summary(w)->arrivals * 1e6, 1e-12,
            "hand: cost per 1M requests = total / arrivals x 1e6");
    /* every request takes 10 ms against a 5 ms p99: every window misses, 90.5 s of them */
    is_near(slo_window_violation_min(w), 90.5 / 60, 1e-12, "hand: 90.5 s of windows missed the SLO");
    is_near(ledger_report_violation_usd(w), 90.5 / 60 * 100, 1e-9, "hand: SLO violation cost = 1.508 minutes x $100");
    tly_free(w);
}

/* 2.5 hours with Lambda-free web traffic: what each window accrued sums to the ledger, service by service. */
static void test_windows(void)
{
    world *w = tly_build("scenario: win\nduration: 150m\nregion: us-west-2\nresources:\n"
                         "  web: {type: aws_instance, instance_type: c5.large, count: 2}\n"
                         "  tg: {type: aws_lb_target_group, port: 80, protocol: HTTP}\n"
                         "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: web}\n"
                         "  lb: {type: aws_lb, default_target_group: tg}\n"
                         "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 30}, service_time: 10ms}\n"
                         "report: {window: 7m}\n",
                         5);
    ok(w && world_run(w) == 0, "windows: runs");
    if (!w)
        return;
    const cost_ledger *l = world_ledger(w);
    size_t nw = 0;
    world_windows(w, &nw);
    double sum[COST_MAX_ITEMS] = {0}, usd[COST_MAX_ITEMS];
    size_t items = 0;
    int nonneg = 1;
    for (size_t k = 0; k < nw; k++) {
        items = world_window_cost(w, k, usd);
        for (size_t i = 0; i < items; i++) {
            sum[i] += usd[i];
            nonneg &= usd[i] >= -1e-15;
        }
    }
    is_int((long long)items, (long long)l->n, "windows: one figure per service (%zu windows)", nw);
    int same = items == l->n;
    for (size_t i = 0; same && i < l->n; i++)
        same = fabs(sum[i] - l->items[i].usd) < 1e-12;
    ok(same, "windows: each service's windows sum to its ledger total");
    ok(nonneg, "windows: no window accrues a negative cost");
    size_t elb = l->n;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].item, "elb") == 0)
            elb = i;
    world_window_cost(w, 0, usd);
    double lcu0 = elb < l->n ? usd[elb] - 0.0225 : -1;
    ok(lcu0 > 0 && lcu0 < 0.0225,
       "windows: the first window carries the first ALB-hour (started hours are billed) and its LCUs ($%.6f)", lcu0);
    world_window_cost(w, 8, usd); /* 56-63 min: the second hour starts in it */
    ok(elb < l->n && usd[elb] > 0.0225, "windows: the window where the second hour starts carries its ALB-hour");
    is_int((long long)world_window_cost(w, nw, usd), 0, "windows: none past the last");
    /* 150 min: three started ALB-hours */
    is_near(world_cost(w, "elb/alb_hours"), 3 * 0.0225, 1e-15, "windows: 2.5 h bills 3 ALB-hours");
    tly_free(w);
}

/* docs/reports.md "Cost": the example's figures (2.92 LCU-hours of processed bytes against 0.2 and 0.2). */
static void test_doc_example(void)
{
    char *y = NULL;
    for (int n = 0; n < 4 && !(y && strstr(y, "lcu-example")); n++) {
        free(y);
        y = tly_doc_yaml("reports.md", n);
    }
    ok(y && strstr(y, "lcu-example"), "docs/reports.md: the LCU example is there");
    world *w = y ? tly_build(y, 1) : NULL;
    free(y);
    ok(w && world_run(w) == 0, "docs/reports.md: the example runs");
    if (!w)
        return;
    double n = alb_requests(w);
    const cost_line *x = cost_ledger_line(world_ledger(w), "elb", "lcu_hours");
    ok(x && fabs(x->usage - n * 17408 / GIB) < 1e-12 && fabs(x->usage - 2.92) < 0.03,
       "docs/reports.md: %.0f requests of 17 KiB = %.4f LCU-hours (about 2.92)", n, x ? x->usage : -1);
    ok(fabs(n / 10 / 3600 / 25 - 0.2) < 0.005 && fabs(n / 10 / 3600 * 120 / 3000 - 0.2) < 0.005,
       "docs/reports.md: new and active connections are about 0.2 LCU each");
    tly_free(w);
}

/* root_block_device (aws_instance) and block_device_mappings (launch template): size and type billed per GB-month. */
static void test_root_volumes(void)
{
    world *w = tly_build("scenario: ebs\nduration: 1h\nregion: us-west-2\nresources:\n"
                         "  web:\n    type: aws_instance\n    instance_type: c5.large\n    count: 3\n"
                         "    root_block_device: {volume_size: 20, volume_type: gp2, encrypted: true}\n"
                         "  lt:\n    type: aws_launch_template\n    instance_type: c5.large\n"
                         "    block_device_mappings:\n      device_name: /dev/xvda\n"
                         "      ebs: {volume_size: 30, volume_type: gp3, delete_on_termination: true}\n"
                         "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 2, max_size: 2}\n",
                         1);
    ok(w && world_run(w) == 0, "root volumes: runs");
    if (!w)
        return;
    const cost_line *g2 = cost_ledger_line(world_ledger(w), "ebs", "gp2_storage");
    const cost_line *g3 = cost_ledger_line(world_ledger(w), "ebs", "gp3_storage");
    /* three 20 GiB gp2 for the whole hour: 60 GiB-hours of a 730-hour month at $0.10 */
    ok(g2 && fabs(g2->usage - 60.0 / 730) < 1e-12 && g2->unit_usd == 0.10, "root volumes: 3 x 20 GiB gp2 x 1 h = %.6f GB-months at $0.10",
       60.0 / 730);
    /* two 30 GiB gp3 from their launch (within the first minute) to the end */
    ok(g3 && g3->usage <= 60.0 / 730 + 1e-12 && g3->usage > 60.0 * (59.0 / 60) / 730 && g3->unit_usd == 0.08,
       "root volumes: the group's 2 x 30 GiB gp3 from launch: %.6f GB-months at $0.08", g3 ? g3->usage : -1);
    tly_free(w);
    char *e = tly_errors("scenario: t\nduration: 1h\nresources:\n"
                         "  web: {type: aws_instance, instance_type: c5.large, root_block_device: {volume_type: io2}}\n");
    ok(e && strstr(e, "io2") && strstr(e, "4:"), "root volumes: io2 (no price yet) is an error at its line: %s", e ? e : "(loads)");
    free(e);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_rules();
    test_lcus();
    test_whole_scenario();
    test_windows();
    test_doc_example();
    test_root_volumes();
    return tap_done();
}
