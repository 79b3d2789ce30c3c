/*
 * test_scenario.c - the loader on good input: the default scenario, the
 * annotated example, and small documents whose structs are checked field by
 * field (defaults, exact unit conversion, references, --set).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "models/scenario.h"
#include "tests/tap.h"

/* A minimal valid document; tests append or --set what they look at. */
#define BASE \
    "scenario: t\n" \
    "duration: 1h\n" \
    "resources:\n" \
    "  lt: {type: aws_launch_template, instance_type: c5.large}\n" \
    "  tg: {type: aws_lb_target_group}\n" \
    "  lb: {type: aws_lb, default_target_group: tg}\n" \
    "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 3}\n" \
    "workload:\n" \
    "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\n"

static scenario *load(const char *text, const char *const *sets, size_t n_sets, scn_diags *d)
{
    scenario *s = NULL;
    memset(d, 0, sizeof *d);
    if (scenario_load("t.yaml", text, strlen(text), sets, n_sets, &s, d) != 0) {
        scn_diags_print(d, stdout);
        return NULL;
    }
    return s;
}

/* True if some diagnostic's message contains sub (and, when line > 0, is at line:col). */
static int has_diag(const scn_diags *d, int line, int col, const char *sub)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].message, sub) && (line == 0 || (d->items[i].line == line && d->items[i].col == col)))
            return 1;
    for (size_t i = 0; i < d->n; i++)
        tap_diag("have %d:%d: %s", d->items[i].line, d->items[i].col, d->items[i].message);
    return 0;
}

static void test_default(void)
{
    scn_diags d;
    scenario *s = load(scenario_default_text(), NULL, 0, &d);
    ok(s != NULL, "default scenario loads");
    if (s) {
        is_int(s->duration, SIM_HOUR, "default: duration 1h");
        is_int(s->n_asgs, 1, "default: one ASG");
        is_int(s->asgs[0].min_size, 4, "default: min 4");
        is_int(s->asgs[0].max_size, 4, "default: max 4");
        is_int(s->asgs[0].desired_capacity, 4, "default: desired 4");
        ok(s->asgs[0].n_availability_zones >= 2, "default: at least two AZs");
        is_str(s->itypes[s->launch_templates[0].itype].name, "c5.large", "default: c5.large");
        is_int(s->target_groups[0].algorithm, SCN_ALG_LEAST_OUTSTANDING_REQUESTS, "default: LOR");
        is_int(s->workloads[0].kind, SCN_ARR_POISSON, "default: poisson");
        is_int(s->workloads[0].service_time.kind, SIM_DIST_LOGNORMAL, "default: lognormal service");
        is_near(sim_dist_mean(&s->workloads[0].service_time), 0.040, 1e-12, "default: service mean 40 ms");
        is_int(s->workloads[0].timeout, 30 * SIM_SEC, "default: 30 s timeout");
        is_int(s->report.window, SIM_MIN, "default: 1 m windows");
        is_int(s->report.slo_p99, 500 * SIM_MS, "default: slo p99 500 ms");
    }
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_web_tier(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/web-tier.yaml", dir);
    scn_diags d = {0};
    scenario *s = NULL;
    int rc = scenario_load_file(path, NULL, 0, &s, &d);
    if (rc)
        scn_diags_print(&d, stdout);
    ok(rc == 0 && s, "web-tier.yaml loads");
    if (s) {
        is_str(s->name, "web-tier", "web-tier: name");
        is_int(s->seed, 7, "web-tier: seed");
        is_int(s->lbs[0].target_group, 0, "web-tier: aws_lb_target_group.web_tg.arn resolved");
        is_int(s->asgs[0].launch_template, 0, "web-tier: {id: web_lt} resolved");
        is_int(s->asgs[0].desired_capacity, 6, "web-tier: desired 6");
        is_int(s->asgs[0].health_check_type, SCN_HC_ELB, "web-tier: ELB health checks");
        is_int(s->asgs[0].default_instance_warmup, 120 * SIM_SEC, "web-tier: warmup 120 s");
        is_int(s->attachments[0].instance, 0, "web-tier: attachment -> legacy");
        is_int(s->instances[0].count, 2, "web-tier: legacy count 2");
        is_int(s->workloads[0].n_points, 4, "web-tier: 4 rate points");
        is_int(s->workloads[0].points[2].at, 60 * SIM_MIN, "web-tier: point at 60m");
        is_int(s->workloads[1].service_time.kind, SIM_DIST_CONSTANT, "web-tier: bare duration is constant");
        is_near(s->workloads[1].service_time.a, 0.002, 0, "web-tier: 2ms = 0.002 s");
        is_int(s->report.warmup, 5 * SIM_MIN, "web-tier: warmup 5m");
        is_str(s->target_groups[0].health_check.path, "/health", "web-tier: health check path");
    }
    scenario_free(s);
    scenario_text_free(&d);
    scn_diags_free(&d);
}

static void test_defaults(void)
{
    scn_diags d;
    scenario *s = load(BASE, NULL, 0, &d);
    ok(s != NULL, "base document loads");
    if (!s)
        return;
    is_int(s->seed, 1, "seed defaults to 1");
    is_str(s->region, "us-west-2", "region defaults to us-west-2");
    const scn_target_group *tg = &s->target_groups[0];
    is_int(tg->algorithm, SCN_ALG_ROUND_ROBIN, "algorithm defaults to round_robin");
    is_int(tg->deregistration_delay, 300 * SIM_SEC, "deregistration_delay defaults to 300s");
    is_int(tg->slow_start, 0, "slow_start defaults to 0");
    is_int(tg->port, 80, "port defaults to 80");
    is_int(tg->health_check.interval, 30 * SIM_SEC, "hc interval 30s");
    is_int(tg->health_check.timeout, 5 * SIM_SEC, "hc timeout 5s");
    is_int(tg->health_check.healthy_threshold, 5, "hc healthy 5");
    is_int(tg->health_check.unhealthy_threshold, 2, "hc unhealthy 2");
    is_str(tg->health_check.path, "/", "hc path /");
    is_str(tg->health_check.matcher, "200", "hc matcher 200");
    is_int(s->lbs[0].idle_timeout, 60 * SIM_SEC, "idle_timeout 60s");
    is_int(s->launch_templates[0].boot_time.kind, SIM_DIST_CONSTANT, "boot_time: constant total");
    is_near(s->launch_templates[0].boot_time.a, 36.0, 0, "boot_time = 6 + 20 + 10 s");
    is_int(s->launch_templates[0].detailed_monitoring, 0, "basic monitoring by default");
    const scn_asg *g = &s->asgs[0];
    is_int(g->desired_capacity, 1, "desired defaults to min_size");
    is_int(g->n_availability_zones, 3, "three default AZs");
    is_str(g->availability_zones[2], "us-west-2c", "AZ c from region");
    is_int(g->health_check_type, SCN_HC_EC2, "health_check_type EC2");
    is_int(g->health_check_grace_period, 0, "grace period 0 (API default)");
    is_int(g->default_cooldown, 300 * SIM_SEC, "cooldown 300s");
    is_int(g->default_instance_warmup, -1, "warmup unset = -1");
    is_int(s->workloads[0].timeout, 0, "workload timeout none");
    is_int(s->report.window, SIM_MIN, "window 1m");
    is_int(s->report.warmup, 0, "report warmup 0");
    is_int(s->report.slo_p99, 0, "no slo");
    is_int(g->n_termination_policies, 1, "termination_policies {Default}");
    is_int(g->termination_policies[0], SCN_TP_DEFAULT, "termination policy Default");
    is_int(g->health_check_sweep, 60 * SIM_SEC, "health sweep 60s (scenario.h default)");
    is_int(g->impaired_wait, 3 * SIM_MIN, "impaired wait 3m (scenario.h default)");
    is_near(s->launch_templates[0].pending_time.a, 6.0, 0, "pending 6 s");
    is_near(s->launch_templates[0].os_boot_time.a, 20.0, 0, "OS boot 20 s");
    is_near(s->launch_templates[0].app_start_time.a, 10.0, 0, "app start 10 s");
    is_int(s->workloads[0].request_bytes, 1000, "request bytes 1000");
    is_int(s->workloads[0].response_bytes, 10000, "response bytes 10000");
    is_int(s->start_epoch, 1767571200, "start epoch 2026-01-05T00:00:00Z");
    is_int(s->cw_publication_delay, 60 * SIM_SEC, "publication delay 60s");
    is_int(s->n_itypes, 1, "one instance type used");
    is_near(s->itypes[0].hourly_usd, 0.085, 0, "c5.large price from the catalog");
    is_int(s->launch_templates[0].loc.line, 4, "resource loc line");
    is_int(s->launch_templates[0].loc.col, 3, "resource loc col");
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_units(void)
{
    static const struct { const char *text; sim_time_t ns; } cases[] = {
        {"250ms", 250 * SIM_MS}, {"90s", 90 * SIM_SEC}, {"5m", 5 * SIM_MIN}, {"2h", 2 * SIM_HOUR},
        {"1d", SIM_DAY}, {"1.5s", 1500 * SIM_MS}, {"100us", 100 * SIM_US}, {"10ns", 10},
        {"0.001s", SIM_MS}, {"1.25h", 75 * SIM_MIN}, {"400d", 400 * SIM_DAY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char set[64];
        snprintf(set, sizeof set, "duration=%s", cases[i].text);
        const char *sets[] = {set, "report.window=1h"};
        scn_diags d;
        scenario *s = load(BASE, sets, 2, &d);
        is_int(s ? s->duration : -1, cases[i].ns, "duration %s", cases[i].text);
        scenario_free(s);
        scn_diags_free(&d);
    }
    const char *sets[] = {"instance_types.c5.large.hourly_price=$0.1", "instance_types.c5.large.speed=1.5"};
    scn_diags d;
    scenario *s = load(BASE, sets, 2, &d);
    ok(s && s->itypes[0].hourly_usd == 0.1, "money $0.1 exactly");
    ok(s && s->itypes[0].speed == 1.5 && s->itypes[0].vcpus == 2, "override keeps catalog vcpus");
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_dists(void)
{
    static const struct { const char *v; sim_dist_kind kind; double a, b; } cases[] = {
        {"{dist: constant, value: 40ms}", SIM_DIST_CONSTANT, 0.04, 0},
        {"{dist: exponential, mean: 2s}", SIM_DIST_EXPONENTIAL, 2.0, 0},
        {"{dist: uniform, min: 10ms, max: 30ms}", SIM_DIST_UNIFORM, 0.01, 0.03},
        {"{dist: normal, mean: 1s, sd: 100ms}", SIM_DIST_NORMAL, 1.0, 0.1},
        {"{dist: gamma, shape: 2, scale: 20ms}", SIM_DIST_GAMMA, 2.0, 0.02},
        {"{dist: weibull, shape: 1.5, scale: 30ms}", SIM_DIST_WEIBULL, 0.03, 1.5},
        {"{dist: pareto, shape: 2.5, scale: 10ms}", SIM_DIST_PARETO, 2.5, 0.01},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char set[128];
        snprintf(set, sizeof set, "workload.0.service_time=%s", cases[i].v);
        const char *sets[] = {set};
        scn_diags d;
        scenario *s = load(BASE, sets, 1, &d);
        const sim_dist *x = s ? &s->workloads[0].service_time : NULL;
        ok(x && x->kind == cases[i].kind && x->a == cases[i].a && x->b == cases[i].b, "%s", cases[i].v);
        scenario_free(s);
        scn_diags_free(&d);
    }
    const char *sets[] = {"workload.0.service_time={dist: empirical, values: [1ms, 2ms, 4ms]}",
                          "resources.lt.os_boot_time={dist: lognormal, p50: 45s, p99: 90s}"};
    scn_diags d;
    scenario *s = load(BASE, sets, 2, &d);
    ok(s && s->workloads[0].service_time.kind == SIM_DIST_EMPIRICAL && s->workloads[0].service_time.n_values == 3 &&
           s->workloads[0].service_time.values[2] == 0.004, "empirical values in seconds");
    ok(s && s->launch_templates[0].os_boot_time.kind == SIM_DIST_LOGNORMAL, "lognormal from p50/p99");
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_sets(void)
{
    const char *sets[] = {
        "resources.tg.deregistration_delay=30s",
        "workload.0.arrivals.rps=250.5",
        "resources.g.target_group_arns=[tg, aws_lb_target_group.tg.id]",
        "report={window: 10s, slo: {p99: 250ms}}",
        "seed=18446744073709551615",
        "resources.extra={type: aws_instance, instance_type: t3.micro, count: 3}",
        "resources.att={type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: extra}",
    };
    scn_diags d;
    scenario *s = load(BASE, sets, sizeof sets / sizeof sets[0], &d);
    ok(s != NULL, "--set overrides load");
    if (s) {
        is_int(s->target_groups[0].deregistration_delay, 30 * SIM_SEC, "--set deregistration_delay");
        is_near(s->workloads[0].rps, 250.5, 0, "--set workload.0.arrivals.rps");
        is_int(s->asgs[0].n_target_groups, 2, "--set flow sequence of references");
        is_int(s->report.window, 10 * SIM_SEC, "--set a whole mapping");
        ok(s->seed == UINT64_MAX, "--set seed to 2^64-1");
        is_int(s->instances[0].count, 3, "--set adds a resource");
        is_int(s->attachments[0].instance, 0, "--set resource referenced");
        is_int(s->n_itypes, 2, "two instance types used");
    }
    scenario_free(s);
    scn_diags_free(&d);

    static const struct { const char *set, *sub; } bad[] = {
        {"workload.5.name=x", "index 5 is out of range"},
        {"scenario.x=1", "'scenario' is a scalar"},
        {"nothing", "expected PATH=VALUE"},
        {"resources..x=1", "empty component"},
        {"resources.tg.deregistration_delay=30", "duration needs a unit"},
        {"resources.tg.deregistation_delay=30s", "did you mean 'deregistration_delay'?"},
        {"workload.x.name=q", "expected an index"},
        {"duration=[1h", "invalid YAML"},
        {"duration=*a", "aliases"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i].set};
        scenario *t = NULL;
        memset(&d, 0, sizeof d);
        int rc = scenario_load("t.yaml", BASE, strlen(BASE), one, 1, &t, &d);
        char want[160];
        snprintf(want, sizeof want, "--set '%s'", bad[i].set);
        ok(rc == -1 && !t && d.n >= 1 && strstr(d.items[0].message, want) && has_diag(&d, 0, 0, bad[i].sub),
           "bad --set %s", bad[i].set);
        scenario_free(t);
        scn_diags_free(&d);
    }
}

static void test_printing(void)
{
    const char *text =
        "scenario: t\n"
        "duration:\t90\n"
        "resources: {}\n"
        "workload: [{name: w, target: lb, arrivals: {kind: poisson, rps: 1}, service_time: 1s}]\n";
    scn_diags d = {0};
    scenario *s = NULL;
    int rc = scenario_load("p.yaml", text, strlen(text), NULL, 0, &s, &d);
    ok(rc == -1 && d.n == 2, "two errors (unit-less duration, dangling target)");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scn_diags_print(&d, f);
    fclose(f);
    ok(buf && strncmp(buf, "p.yaml:2:11: error: 'duration': duration needs a unit", 53) == 0,
       "printed as FILE:LINE:COL: error: MESSAGE");
    /* Second line: the source line; third: the caret under the column, the tab kept. */
    char *l2 = buf ? strchr(buf, '\n') : NULL;
    char *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
    ok(l2 && strncmp(l2 + 1, "duration:\t90\n", 13) == 0, "source line quoted");
    ok(l3 && strncmp(l3 + 1, "         \t^\n", 12) == 0, "caret under the column, tab kept");
    ok(buf && strstr(buf, "p.yaml:4:30: error: no aws_lb named 'lb'\n"), "second error printed");
    ok(buf && strstr(buf, "\n2 errors\n"), "error count at the end");
    free(buf);
    scn_diags_free(&d);

    /* A sixty-error file: capped, and "too many errors". */
    size_t cap = 8192, n = 0;
    char *big = malloc(cap);
    n += (size_t)snprintf(big + n, cap - n, "scenario: t\nduration: 1h\n");
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(big + n, cap - n, "k%d: 1\n", i);
    memset(&d, 0, sizeof d);
    rc = scenario_load("m.yaml", big, n, NULL, 0, &s, &d);
    ok(rc == -1 && d.n == SCN_MAX_DIAGS && d.truncated, "diagnostics capped at %d", SCN_MAX_DIAGS);
    f = open_memstream(&buf, &len);
    scn_diags_print(&d, f);
    fclose(f);
    ok(buf && strstr(buf, "too many errors, stopping\n"), "truncation is printed");
    free(buf);
    free(big);
    scn_diags_free(&d);
}

static void test_limits(void)
{
    size_t len = ((size_t)16 << 20) + 1;
    char *big = malloc(len);
    memset(big, '#', len);
    scn_diags d = {0};
    scenario *s = NULL;
    int rc = scenario_load("big.yaml", big, len, NULL, 0, &s, &d);
    ok(rc == -1 && has_diag(&d, 0, 0, "larger than 16 MiB"), "input over 16 MiB refused");
    scn_diags_free(&d);
    free(big);

    /* Two bytes per value: the cap on values, not the byte limit, must stop this. */
    size_t nvals = 1000001;
    len = 4 + 2 * nvals + 2;
    big = malloc(len);
    memcpy(big, "x: [", 4);
    for (size_t i = 0; i < nvals; i++)
        memcpy(big + 4 + 2 * i, "a,", 2);
    memcpy(big + len - 2, "]\n", 2);
    memset(&d, 0, sizeof d);
    rc = scenario_load("many.yaml", big, len, NULL, 0, &s, &d);
    ok(rc == -1 && has_diag(&d, 0, 0, "more than 1000000 YAML values"), "a million values refused");
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    scn_diags_print(&d, f);
    fclose(f);
    ok(out && out_len < 1000, "a 2 MB line is quoted as a short window (%zu bytes printed)", out_len);
    free(out);
    scn_diags_free(&d);
    free(big);

    static const char nul[] = "scenario: t\0\nduration: 1h\n";
    memset(&d, 0, sizeof d);
    rc = scenario_load("nul.yaml", nul, sizeof nul - 1, NULL, 0, &s, &d);
    ok(rc == -1 && d.n >= 1, "NUL byte rejected without crashing");
    scn_diags_free(&d);

    memset(&d, 0, sizeof d);
    rc = scenario_load_file("/nonexistent/x.yaml", NULL, 0, &s, &d);
    ok(rc == -1 && has_diag(&d, 0, 0, "cannot open"), "unreadable file is one diagnostic");
    scenario_text_free(&d);
    scn_diags_free(&d);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    test_default();
    test_web_tier(argc > 1 ? argv[1] : "scenarios");
    test_defaults();
    test_units();
    test_dists();
    test_sets();
    test_printing();
    test_limits();
    return tap_done();
}
