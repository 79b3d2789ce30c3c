/*
 * test_scenario.c - the loader on good input: the default scenario, the
 * annotated example, and small documents whose structs are checked field by
 * field (defaults, exact unit conversion, references, --set).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "models/core/scenario.h"
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
        scn_diags_print(d, stderr); /* stderr: stdout is TAP */
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
        scn_diags_print(&d, stderr);
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
    /* Terraform's defaults, not the ELB API's 5 and 2 (the provider's schema sets them). */
    is_int(tg->health_check.healthy_threshold, 3, "hc healthy 3 (Terraform)");
    is_int(tg->health_check.unhealthy_threshold, 3, "hc unhealthy 3 (Terraform)");
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
    /* Terraform's default (health_check_grace_period Default: 300 in the provider's schema), not the
       Auto Scaling API's 0. */
    is_int(g->health_check_grace_period, 300 * SIM_SEC, "grace period 300s (Terraform default)");
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
        {"workload.0.timeout=30", "duration needs a unit"}, /* fleetsim's own keys need a unit */
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

    /* --set PATH takes the YAML reader's nesting limit: 64 collections deep, the value below them. */
    size_t levels[] = {64, 65, 100000};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        char *path = malloc(2 * levels[i] + 3);
        for (size_t j = 0; j < levels[i]; j++)
            memcpy(path + 2 * j, "a.", 2);
        memcpy(path + 2 * levels[i] - 1, "=1", 3);
        const char *one[] = {path};
        memset(&d, 0, sizeof d);
        rc = scenario_load("deep.yaml", BASE, strlen(BASE), one, 1, &s, &d);
        bool deep = has_diag(&d, 0, 0, "nesting deeper than 64 levels");
        ok(rc == -1 && deep == (levels[i] > 64) && (deep ? d.n == 1 : has_diag(&d, 0, 0, "unknown key 'a'")),
           "a %zu-component --set PATH: %s", levels[i], levels[i] > 64 ? "nesting limit, nothing else" : "allowed");
        scn_diags_free(&d);
        free(path);
    }

    memset(&d, 0, sizeof d);
    rc = scenario_load_file("/nonexistent/x.yaml", NULL, 0, &s, &d);
    ok(rc == -1 && has_diag(&d, 0, 0, "cannot open"), "unreadable file is one diagnostic");
    scenario_text_free(&d);
    scn_diags_free(&d);
}

/* ---------------------------------------------------------------- the Auto Scaling work */

/* BASE plus more resources (indented under resources:) and more top-level text. */
static scenario *load_with(const char *res_text, const char *top_text, scn_diags *d)
{
    static char buf[16384];
    const char *split = strstr(BASE, "workload:\n");
    snprintf(buf, sizeof buf, "%.*s%s%s%s", (int)(split - BASE), BASE, res_text, split, top_text);
    return load(buf, NULL, 0, d);
}

static void test_launch_template_and_asg(void)
{
    const char *sets[] = {
        "resources.lt.pending_time={dist: uniform, min: 4s, max: 8s}",
        "resources.lt.os_boot_time=25s",
        "resources.lt.app_start_time={dist: empirical, values: [5s, 15s]}",
        "resources.lt.monitoring={enabled: true}",
        "resources.g.termination_policies=[OldestLaunchTemplate, ClosestToNextInstanceHour, Default]",
        "resources.g.protect_from_scale_in=true",
        "resources.g.health_check_sweep_interval=30s",
        "resources.g.impaired_wait=5m",
        "workload.0.request_bytes=512",
        "workload.0.response_bytes=0",
    };
    scn_diags d;
    scenario *s = load(BASE, sets, sizeof sets / sizeof sets[0], &d);
    ok(s != NULL, "launch template phases and ASG additions load");
    if (s) {
        const scn_launch_template *lt = &s->launch_templates[0];
        ok(lt->pending_time.kind == SIM_DIST_UNIFORM && lt->pending_time.a == 4.0 && lt->pending_time.b == 8.0,
           "pending_time uniform 4..8 s");
        ok(lt->os_boot_time.kind == SIM_DIST_CONSTANT && lt->os_boot_time.a == 25.0, "os_boot_time 25 s");
        ok(lt->app_start_time.kind == SIM_DIST_EMPIRICAL && lt->app_start_time.n_values == 2 &&
               lt->app_start_values == lt->app_start_time.values && lt->app_start_values[1] == 15.0,
           "app_start_time empirical, stored in app_start_values");
        is_near(lt->boot_time.a, 6.0 + 25.0 + 10.0, 1e-12, "boot_time = sum of the phase means");
        is_int(lt->detailed_monitoring, 1, "monitoring enabled");
        const scn_asg *g = &s->asgs[0];
        is_int(g->n_termination_policies, 3, "three termination policies");
        is_int(g->termination_policies[0], SCN_TP_OLDEST_LAUNCH_TEMPLATE, "OldestLaunchTemplate first");
        is_int(g->termination_policies[1], SCN_TP_CLOSEST_TO_NEXT_INSTANCE_HOUR, "ClosestToNextInstanceHour");
        is_int(g->termination_policies[2], SCN_TP_DEFAULT, "Default last");
        is_int(g->protect_from_scale_in, 1, "protect_from_scale_in");
        is_int(g->health_check_sweep, 30 * SIM_SEC, "health_check_sweep_interval 30s");
        is_int(g->impaired_wait, 5 * SIM_MIN, "impaired_wait 5m");
        is_int(s->workloads[0].request_bytes, 512, "request_bytes");
        is_int(s->workloads[0].response_bytes, 0, "response_bytes 0");
    }
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_top_level(void)
{
    const char *sets[] = {"start_time=2026-03-01T08:30:15Z", "cloudwatch={publication_delay: 90s}"};
    scn_diags d;
    scenario *s = load(BASE, sets, 2, &d);
    is_int(s ? s->start_epoch : 0, 1772353815, "start_time 2026-03-01T08:30:15Z (epoch seconds)");
    is_int(s ? s->cw_publication_delay : 0, 90 * SIM_SEC, "cloudwatch.publication_delay 90s");
    scenario_free(s);
    scn_diags_free(&d);
    const char *sets2[] = {"start_time=1970-01-01T00:00:00+00:00"};
    s = load(BASE, sets2, 1, &d);
    is_int(s ? s->start_epoch : -1, 0, "start_time at the epoch, +00:00 form");
    scenario_free(s);
    scn_diags_free(&d);
}

#define AS_RES \
    "  lt2: {type: aws_launch_template, instance_type: c5.large}\n" \
    "  g2: {type: aws_autoscaling_group, launch_template: lt2, min_size: 0, max_size: 9, target_group_arns: [tg]}\n" \
    "  a_alarm:\n" \
    "    type: aws_cloudwatch_metric_alarm\n" \
    "    namespace: AWS/ApplicationELB\n" \
    "    metric_name: TargetResponseTime\n" \
    "    dimensions: {LoadBalancer: aws_lb.lb.arn_suffix, TargetGroup: tg}\n" \
    "    extended_statistic: p99.9\n" \
    "    period: 60s\n" \
    "    evaluation_periods: 5\n" \
    "    datapoints_to_alarm: 3\n" \
    "    threshold: 0.5\n" \
    "    comparison_operator: GreaterThanThreshold\n" \
    "    treat_missing_data: breaching\n" \
    "    alarm_actions: [aws_autoscaling_policy.steps.arn, topic]\n" \
    "    ok_actions: [simple_in]\n" \
    "    insufficient_data_actions: [aws_sns_topic.topic.arn]\n" \
    "  b_alarm:\n" \
    "    type: aws_cloudwatch_metric_alarm\n" \
    "    alarm_name: cpu-high\n" \
    "    namespace: AWS/EC2\n" \
    "    metric_name: CPUUtilization\n" \
    "    dimensions: {AutoScalingGroupName: aws_autoscaling_group.g2.name}\n" \
    "    statistic: Maximum\n" \
    "    period: 5m\n" \
    "    evaluation_periods: 288\n" \
    "    threshold: 80\n" \
    "    comparison_operator: LessThanOrEqualToThreshold\n" \
    "    actions_enabled: false\n" \
    "  steps:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: g\n" \
    "    policy_type: StepScaling\n" \
    "    adjustment_type: PercentChangeInCapacity\n" \
    "    min_adjustment_magnitude: 2\n" \
    "    metric_aggregation_type: Maximum\n" \
    "    estimated_instance_warmup: 90s\n" \
    "    step_adjustment:\n" \
    "      - {metric_interval_lower_bound: 10, scaling_adjustment: 30}\n" \
    "      - {metric_interval_upper_bound: 0, scaling_adjustment: -10}\n" \
    "      - {metric_interval_lower_bound: 0, metric_interval_upper_bound: 10, scaling_adjustment: 10}\n" \
    "  simple_in:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: aws_autoscaling_group.g.name\n" \
    "    adjustment_type: ChangeInCapacity\n" \
    "    scaling_adjustment: -1\n" \
    "    cooldown: 10m\n" \
    "  tt_cpu:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: g\n" \
    "    policy_type: TargetTrackingScaling\n" \
    "    target_tracking_configuration:\n" \
    "      predefined_metric_specification: {predefined_metric_type: ASGAverageCPUUtilization}\n" \
    "      target_value: 40\n" \
    "  tt_alb:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: g2\n" \
    "    policy_type: TargetTrackingScaling\n" \
    "    enabled: false\n" \
    "    target_tracking_configuration:\n" \
    "      predefined_metric_specification:\n" \
    "        predefined_metric_type: ALBRequestCountPerTarget\n" \
    "        resource_label: app/lb/50dc6c495c0c9188/targetgroup/tg/73e2d6bc24d8a067\n" \
    "      target_value: 1000\n" \
    "      disable_scale_in: true\n" \
    "      scale_out_evaluation_periods: 2\n" \
    "      scale_in_evaluation_periods: 10\n" \
    "      scale_in_threshold_ratio: 0.9\n" \
    "  tt_custom:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: g2\n" \
    "    policy_type: TargetTrackingScaling\n" \
    "    target_tracking_configuration:\n" \
    "      customized_metric_specification:\n" \
    "        namespace: AWS/ApplicationELB\n" \
    "        metric_name: RequestCountPerTarget\n" \
    "        statistic: Sum\n" \
    "        metric_dimension: [{name: TargetGroup, value: aws_lb_target_group.tg.arn_suffix}]\n" \
    "      target_value: 600\n" \
    "  pred:\n" \
    "    type: aws_autoscaling_policy\n" \
    "    autoscaling_group_name: g2\n" \
    "    policy_type: PredictiveScaling\n" \
    "    predictive_scaling_configuration:\n" \
    "      mode: ForecastAndScale\n" \
    "      scheduling_buffer_time: 10m\n" \
    "      max_capacity_breach_behavior: IncreaseMaxCapacity\n" \
    "      max_capacity_buffer: 10\n" \
    "      metric_specification:\n" \
    "        target_value: 800\n" \
    "        predefined_metric_pair_specification: {predefined_metric_type: ALBRequestCount, resource_label: tg}\n" \
    "  topic: {type: aws_sns_topic, name: alerts}\n" \
    "  s1: {type: aws_sns_topic_subscription, topic_arn: topic, protocol: email, endpoint: a@example.com}\n" \
    "  s2: {type: aws_sns_topic_subscription, topic_arn: aws_sns_topic.topic.arn, protocol: email-json, endpoint: b@example.com}\n" \
    "  s3: {type: aws_sns_topic_subscription, topic_arn: topic, protocol: sms, endpoint: '+15555550100'}\n" \
    "  s4: {type: aws_sns_topic_subscription, topic_arn: topic, protocol: https, endpoint: 'https://example.com/hook'}\n" \
    "  s5: {type: aws_sns_topic_subscription, topic_arn: topic, protocol: lambda, endpoint: 'arn:aws:lambda:us-west-2:1:function:f'}\n" \
    "  s6: {type: aws_sns_topic_subscription, topic_arn: topic, protocol: sqs, endpoint: 'arn:aws:sqs:us-west-2:1:q'}\n" \
    "  note:\n" \
    "    type: aws_autoscaling_notification\n" \
    "    group_names: [g, aws_autoscaling_group.g2.name]\n" \
    "    notifications: [autoscaling:EC2_INSTANCE_LAUNCH, autoscaling:EC2_INSTANCE_TERMINATE_ERROR, autoscaling:TEST_NOTIFICATION]\n" \
    "    topic_arn: aws_sns_topic.topic.arn\n" \
    "  morning:\n" \
    "    type: aws_autoscaling_schedule\n" \
    "    scheduled_action_name: m\n" \
    "    autoscaling_group_name: g\n" \
    "    min_size: 2\n" \
    "    desired_capacity: 3\n" \
    "    recurrence: '*/15 8-10 * 1,6 1-5'\n" \
    "    start_time: 30m\n" \
    "    end_time: 2026-01-06T00:00:00Z\n" \
    "    time_zone: UTC\n" \
    "  once:\n" \
    "    type: aws_autoscaling_schedule\n" \
    "    autoscaling_group_name: g\n" \
    "    max_size: 3\n" \
    "    start_time: 2026-01-05T00:45:00Z\n"

static void test_autoscaling(void)
{
    scn_diags d;
    scenario *s = load_with(AS_RES, "", &d);
    ok(s != NULL, "Auto Scaling resources load");
    if (!s)
        return;
    is_int(s->n_alarms, 2, "two alarms");
    is_int(s->n_policies, 6, "six policies");
    is_int(s->n_sns_topics, 1, "one topic");
    is_int(s->n_notifications, 1, "one notification");
    is_int(s->n_schedules, 2, "two schedules");
    /* resources of a kind are numbered in file order */
    const scn_alarm *a = &s->alarms[0], *b = &s->alarms[1];
    is_str(a->name, "a_alarm", "alarm name defaults to the resource name");
    is_str(b->name, "cpu-high", "alarm_name");
    is_int(a->metric.id, SCN_M_ALB_TARGET_RESPONSE_TIME, "TargetResponseTime");
    is_int(a->metric.lb, 0, "LoadBalancer dimension (.arn_suffix) resolved");
    is_int(a->metric.tg, 0, "TargetGroup dimension resolved");
    is_int(a->metric.asg, -1, "no group dimension");
    is_int(a->metric.statistic, SCN_STAT_PERCENTILE, "extended_statistic -> percentile");
    is_near(a->metric.percentile, 99.9, 0, "p99.9");
    is_int(a->period, 60 * SIM_SEC, "period 60s"); /* 10, 20 and 30 s are not supported yet */
    is_int(a->evaluation_periods, 5, "N 5");
    is_int(a->datapoints_to_alarm, 3, "M 3");
    is_near(a->threshold, 0.5, 0, "threshold 0.5");
    is_int(a->comparison, SCN_CMP_GT, "GreaterThanThreshold");
    is_int(a->treat_missing_data, SCN_MISSING_BREACHING, "breaching");
    is_int(a->actions_enabled, 1, "actions enabled by default");
    is_int(a->n_alarm_actions, 2, "two alarm actions");
    ok(a->alarm_actions[0].kind == SCN_ACT_POLICY && a->alarm_actions[0].index == 0, "action 0 -> policy steps");
    ok(a->alarm_actions[1].kind == SCN_ACT_SNS && a->alarm_actions[1].index == 0, "action 1 -> topic");
    ok(a->n_ok_actions == 1 && a->ok_actions[0].kind == SCN_ACT_POLICY && a->ok_actions[0].index == 1,
       "ok action -> simple_in");
    ok(a->n_insufficient_data_actions == 1 && a->insufficient_data_actions[0].kind == SCN_ACT_SNS,
       "insufficient data action -> topic");
    is_int(b->metric.id, SCN_M_EC2_CPU, "CPUUtilization");
    is_int(b->metric.asg, 1, "AutoScalingGroupName -> g2");
    is_int(b->metric.statistic, SCN_STAT_MAXIMUM, "Maximum");
    is_int(b->period, 300 * SIM_SEC, "period 5m");
    is_int(b->datapoints_to_alarm, 288, "M defaults to N");
    is_int(b->comparison, SCN_CMP_LE, "LessThanOrEqualToThreshold");
    is_int(b->treat_missing_data, SCN_MISSING_MISSING, "missing by default");
    is_int(b->actions_enabled, 0, "actions_enabled false");

    const scn_policy *st = &s->policies[0], *si = &s->policies[1], *tc = &s->policies[2], *ta = &s->policies[3],
                     *tu = &s->policies[4], *pr = &s->policies[5];
    is_int(st->type, SCN_POL_STEP, "StepScaling");
    is_int(st->asg, 0, "steps on g");
    is_int(st->adjustment_type, SCN_ADJ_PERCENT_CHANGE, "PercentChangeInCapacity");
    is_int(st->min_adjustment_magnitude, 2, "min_adjustment_magnitude");
    is_int(st->metric_aggregation_type, SCN_AGG_MAXIMUM, "Maximum aggregation");
    is_int(st->estimated_instance_warmup, 90 * SIM_SEC, "estimated_instance_warmup");
    is_int(st->n_steps, 3, "three steps, in file order");
    ok(st->steps[0].has_lower && st->steps[0].lower == 10 && !st->steps[0].has_upper && st->steps[0].adjustment == 30,
       "step [10, +inf) +30");
    ok(!st->steps[1].has_lower && st->steps[1].has_upper && st->steps[1].upper == 0 && st->steps[1].adjustment == -10,
       "step (-inf, 0] -10");
    is_int(si->type, SCN_POL_SIMPLE, "SimpleScaling by default");
    is_int(si->scaling_adjustment, -1, "scaling_adjustment -1");
    is_int(si->cooldown, 10 * SIM_MIN, "cooldown 10m");
    is_int(si->estimated_instance_warmup, -1, "warmup unset");
    is_int(si->enabled, 1, "enabled by default");
    is_int(tc->type, SCN_POL_TARGET_TRACKING, "TargetTrackingScaling");
    is_int(tc->tt_metric, SCN_TT_ASG_CPU, "ASGAverageCPUUtilization");
    is_near(tc->target_value, 40, 0, "target 40");
    is_int(tc->disable_scale_in, 0, "scale-in enabled by default");
    is_int(tc->tt_scale_out_periods, 3, "fleetsim default: 3 scale-out periods");
    is_int(tc->tt_scale_in_periods, 15, "fleetsim default: 15 scale-in periods");
    is_near(tc->tt_scale_in_ratio, 0.7, 0, "fleetsim default: ratio 0.7");
    is_int(tc->cooldown, -1, "cooldown unset");
    is_int(ta->tt_metric, SCN_TT_ALB_REQUESTS_PER_TARGET, "ALBRequestCountPerTarget");
    is_int(ta->tt_tg, 0, "resource_label app/... -> tg");
    is_int(ta->enabled, 0, "enabled false");
    is_int(ta->disable_scale_in, 1, "disable_scale_in");
    is_int(ta->tt_scale_out_periods, 2, "scale_out_evaluation_periods");
    is_int(ta->tt_scale_in_periods, 10, "scale_in_evaluation_periods");
    is_near(ta->tt_scale_in_ratio, 0.9, 0, "scale_in_threshold_ratio");
    is_int(tu->tt_metric, SCN_TT_CUSTOM, "customized metric");
    ok(tu->tt_custom.id == SCN_M_ALB_REQUEST_COUNT_PER_TARGET && tu->tt_custom.tg == 0 &&
           tu->tt_custom.statistic == SCN_STAT_SUM, "custom RequestCountPerTarget Sum on tg");
    is_int(pr->type, SCN_POL_PREDICTIVE, "PredictiveScaling");
    is_int(pr->pred_mode, SCN_PRED_FORECAST_AND_SCALE, "ForecastAndScale");
    is_int(pr->pred_buffer, 10 * SIM_MIN, "scheduling_buffer_time");
    is_int(pr->pred_increase_max, 1, "IncreaseMaxCapacity");
    is_int(pr->pred_max_buffer_pct, 10, "max_capacity_buffer");
    is_int(pr->pred_metric, SCN_TT_ALB_REQUESTS_PER_TARGET, "ALBRequestCount");
    is_int(pr->tt_tg, 0, "predictive resource_label -> tg");
    is_near(pr->target_value, 800, 0, "predictive target 800");

    const scn_sns_topic *t = &s->sns_topics[0];
    ok(t->n_email == 2 && t->n_sms == 1 && t->n_http == 1 && t->n_lambda == 1 && t->n_sqs == 1,
       "subscriptions counted by protocol");
    const scn_asg_notification *n = &s->notifications[0];
    ok(n->n_asgs == 2 && n->asgs[0] == 0 && n->asgs[1] == 1, "group_names resolved");
    is_int(n->notifications, SCN_NOTIFY_LAUNCH | SCN_NOTIFY_TERMINATE_ERROR, "notification mask");
    is_int(n->topic, 0, "notification topic");

    const scn_schedule *m = &s->schedules[0], *o = &s->schedules[1];
    is_str(m->name, "morning", "schedule named by its resource");
    ok(m->asg == 0 && m->min_size == 2 && m->max_size == -1 && m->desired_capacity == 3, "schedule sizes");
    is_str(m->recurrence, "*/15 8-10 * 1,6 1-5", "recurrence kept");
    is_int(m->start_time, 30 * SIM_MIN, "start_time as a duration");
    is_int(m->end_time, SIM_DAY, "end_time as a time stamp (one day after start_time)");
    ok(o->min_size == -1 && o->max_size == 3 && o->desired_capacity == -1, "one-off sets max only");
    is_int(o->start_time, 45 * SIM_MIN, "one-off start_time as a time stamp");
    is_int(o->end_time, -1, "no end_time");
    is_str(o->recurrence, "", "no recurrence");
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_policy_defaults(void)
{
    const char *res =
        "  pred:\n"
        "    type: aws_autoscaling_policy\n"
        "    autoscaling_group_name: g\n"
        "    policy_type: PredictiveScaling\n"
        "    predictive_scaling_configuration:\n"
        "      metric_specification:\n"
        "        target_value: 40\n"
        "        predefined_metric_pair_specification: {predefined_metric_type: ASGNetworkOut}\n"
        "  net:\n"
        "    type: aws_autoscaling_policy\n"
        "    autoscaling_group_name: g\n"
        "    policy_type: TargetTrackingScaling\n"
        "    target_tracking_configuration:\n"
        "      predefined_metric_specification: {predefined_metric_type: ASGAverageNetworkIn}\n"
        "      target_value: 5000000\n"
        "  exact:\n"
        "    type: aws_autoscaling_policy\n"
        "    autoscaling_group_name: g\n"
        "    adjustment_type: ExactCapacity\n"
        "    scaling_adjustment: 0\n"
        "  al:\n"
        "    type: aws_cloudwatch_metric_alarm\n"
        "    namespace: AWS/AutoScaling\n"
        "    metric_name: GroupInServiceInstances\n"
        "    dimensions: {AutoScalingGroupName: g}\n"
        "    statistic: SampleCount\n"
        "    period: 60\n" /* Terraform's bare seconds */
        "    evaluation_periods: 1440\n"
        "    threshold: -1.5\n"
        "    comparison_operator: LessThanThreshold\n"
        "    alarm_actions: [exact]\n"
        "  rec:\n"
        "    type: aws_autoscaling_schedule\n"
        "    autoscaling_group_name: g\n"
        "    desired_capacity: 2\n"
        "    recurrence: '0 0 * * 0,7'\n"
        "    start_time: 2025-12-01T00:00:00Z\n";
    scn_diags d;
    scenario *s = load_with(res, "", &d);
    ok(s != NULL, "predictive / network / exact / SampleCount / early recurrence load");
    if (s) {
        const scn_policy *p = &s->policies[0];
        ok(p->pred_mode == SCN_PRED_FORECAST_ONLY && p->pred_buffer == 300 * SIM_SEC && p->pred_increase_max == 0 &&
               p->pred_max_buffer_pct == 0 && p->pred_metric == SCN_TT_ASG_NETWORK_OUT && p->target_value == 40,
           "predictive defaults: ForecastOnly, 300s buffer, HonorMaxCapacity");
        ok(s->policies[1].tt_metric == SCN_TT_ASG_NETWORK_IN && s->policies[1].target_value == 5e6,
           "ASGAverageNetworkIn above 100 is fine");
        ok(s->policies[2].type == SCN_POL_SIMPLE && s->policies[2].adjustment_type == SCN_ADJ_EXACT_CAPACITY &&
               s->policies[2].scaling_adjustment == 0 && s->policies[2].cooldown == -1, "simple ExactCapacity 0");
        const scn_alarm *a = &s->alarms[0];
        ok(a->metric.id == SCN_M_ASG_IN_SERVICE && a->metric.statistic == SCN_STAT_SAMPLE_COUNT &&
               a->period == 60 * SIM_SEC && a->evaluation_periods == 1440 && a->threshold == -1.5 &&
               a->comparison == SCN_CMP_LT, "60 (seconds) x 1440 = 1 day is allowed");
        ok(s->schedules[0].start_time == 0 && s->schedules[0].end_time == -1,
           "a recurrence that started before start_time runs from t = 0");
    }
    scenario_free(s);
    scn_diags_free(&d);
    const char *flat = "  tt:\n    type: aws_autoscaling_policy\n    autoscaling_group_name: g\n"
                       "    policy_type: TargetTrackingScaling\n"
                       "    target_tracking_configuration: {predefined_metric_type: ASGAverageCPUUtilization, "
                       "target_value: 50}\n";
    s = load_with(flat, "", &d);
    ok(!s && has_diag(&d, 0, 0, "goes inside 'predefined_metric_specification'"), "flat predefined_metric_type "
       "points at Terraform's nesting");
    scenario_free(s);
    scn_diags_free(&d);
}

static void test_faults(void)
{
    const char *top =
        "faults:\n"
        "  - {at: 20m, kind: instance_crash, autoscaling_group: g, count: 2}\n"
        "  - {at: 5m, kind: az_outage, zone: us-west-2b, duration: 10m}\n"
        "  - {at: 20m, kind: app_unhealthy, autoscaling_group: g}\n"
        "operations:\n"
        "  - {at: 20m, kind: set_desired_capacity, autoscaling_group: g, desired_capacity: 3, honor_cooldown: true}\n"
        "  - {at: 1m, kind: instance_refresh, autoscaling_group: aws_autoscaling_group.g.name}\n"
        "  - {at: 30m, kind: instance_refresh, autoscaling_group: g, launch_template: lt, min_healthy_percentage: 50,"
        " instance_warmup: 45s}\n";
    scn_diags d;
    scenario *s = load_with("", top, &d);
    ok(s && s->n_faults == 6, "faults and operations in one list");
    if (s && s->n_faults == 6) {
        const scn_fault *f = s->faults;
        static const scn_fault_kind order[] = {SCN_OP_INSTANCE_REFRESH, SCN_FAULT_AZ_OUTAGE, SCN_FAULT_INSTANCE_CRASH,
                                               SCN_FAULT_APP_UNHEALTHY, SCN_OP_SET_DESIRED_CAPACITY,
                                               SCN_OP_INSTANCE_REFRESH};
        static const sim_time_t at[] = {SIM_MIN, 5 * SIM_MIN, 20 * SIM_MIN, 20 * SIM_MIN, 20 * SIM_MIN, 30 * SIM_MIN};
        int good = 1;
        for (int i = 0; i < 6; i++)
            good = good && f[i].kind == order[i] && f[i].at == at[i];
        ok(good, "sorted by at; equal times keep file order, faults before operations");
        ok(f[0].asg == 0 && f[0].launch_template == -1 && f[0].min_healthy_percentage == 90 &&
               f[0].instance_warmup == -1, "instance_refresh defaults");
        ok(f[1].asg == -1 && strcmp(f[1].zone, "us-west-2b") == 0 && f[1].duration == 10 * SIM_MIN, "az_outage");
        ok(f[2].count == 2 && f[2].asg == 0, "instance_crash count 2");
        ok(f[3].count == 1 && f[3].duration == 0, "app_unhealthy defaults: 1 instance, for good");
        ok(f[4].desired_capacity == 3 && f[4].honor_cooldown == 1, "set_desired_capacity");
        ok(f[5].launch_template == 0 && f[5].min_healthy_percentage == 50 && f[5].instance_warmup == 45 * SIM_SEC,
           "instance_refresh keys");
        is_int(f[2].loc.line, 11, "fault loc line");
    }
    scenario_free(s);
    scn_diags_free(&d);
}

static int points_are(const scenario *s, const scn_rate_point *want, size_t n)
{
    if (!s || s->workloads[0].n_points != n) {
        tap_diag("n_points %zu, want %zu", s ? s->workloads[0].n_points : 0, n);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (s->workloads[0].points[i].at != want[i].at || s->workloads[0].points[i].rps != want[i].rps) {
            tap_diag("point %zu: (%lld, %g), want (%lld, %g)", i, (long long)s->workloads[0].points[i].at,
                     s->workloads[0].points[i].rps, (long long)want[i].at, want[i].rps);
            return 0;
        }
    return 1;
}

static void test_arrivals(void)
{
    scn_diags d;
    const char *spike[] = {"workload.0.arrivals={kind: spike, base_rps: 50, peak_rps: 500, start: 10m, ramp: 1m, "
                           "hold: 20m, decay: 5m}"};
    scenario *s = load(BASE, spike, 1, &d);
    static const scn_rate_point sp[] = {{0, 50}, {10 * SIM_MIN, 50}, {11 * SIM_MIN, 500}, {31 * SIM_MIN, 500},
                                        {36 * SIM_MIN, 50}};
    ok(points_are(s, sp, 5), "spike -> 5 points exactly");
    is_int(s ? (int)s->workloads[0].kind : -1, SCN_ARR_SPIKE, "spike keeps its kind");
    scenario_free(s);
    scn_diags_free(&d);

    const char *spike0[] = {"workload.0.arrivals={kind: spike, base_rps: 0, peak_rps: 100, start: 0s, ramp: 30s, "
                            "hold: 0s, decay: 30s}"};
    s = load(BASE, spike0, 1, &d);
    static const scn_rate_point sp0[] = {{0, 0}, {30 * SIM_SEC, 100}, {60 * SIM_SEC, 0}};
    ok(points_are(s, sp0, 3), "spike at 0 with no hold: coinciding points merged");
    scenario_free(s);
    scn_diags_free(&d);

    const char *ramp[] = {"workload.0.arrivals={kind: ramp, from_rps: 10, to_rps: 200.5, start: 15m, duration: 30m}"};
    s = load(BASE, ramp, 1, &d);
    static const scn_rate_point rp[] = {{0, 10}, {15 * SIM_MIN, 10}, {45 * SIM_MIN, 200.5}};
    ok(points_are(s, rp, 3), "ramp -> 3 points exactly");
    is_int(s ? (int)s->workloads[0].kind : -1, SCN_ARR_RAMP, "ramp keeps its kind");
    scenario_free(s);
    scn_diags_free(&d);

    const char *ramp0[] = {"workload.0.arrivals={kind: ramp, from_rps: 0, to_rps: 20, duration: 10m}"};
    s = load(BASE, ramp0, 1, &d);
    static const scn_rate_point rp0[] = {{0, 0}, {10 * SIM_MIN, 20}};
    ok(points_are(s, rp0, 2), "ramp from 0 with start defaulting to 0s");
    scenario_free(s);
    scn_diags_free(&d);

    const char *prof[] = {"duration=3h",
                          ("workload.0.arrivals={kind: diurnal, profile: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
                           "13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]}")};
    s = load(BASE, prof, 2, &d);
    static const scn_rate_point pp[] = {{0, 0}, {SIM_HOUR, 1}, {2 * SIM_HOUR, 2}, {3 * SIM_HOUR, 3}};
    ok(points_are(s, pp, 4), "profile: one point per hour over the run");
    is_int(s ? (int)s->workloads[0].kind : -1, SCN_ARR_DIURNAL, "profile keeps kind diurnal");
    scenario_free(s);
    scn_diags_free(&d);

    const char *prof2[] = {"duration=2h", "start_time=2026-01-05T23:30:00Z",
                           ("workload.0.arrivals={kind: diurnal, profile: [100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
                            "13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 50]}")};
    s = load(BASE, prof2, 3, &d);
    static const scn_rate_point pp2[] = {{0, 75}, {30 * SIM_MIN, 100}, {90 * SIM_MIN, 1}, {150 * SIM_MIN, 2}};
    ok(points_are(s, pp2, 4), "profile follows UTC hours from start_time 23:30, wrapping the day");
    scenario_free(s);
    scn_diags_free(&d);

    const char *sin[] = {"workload.0.arrivals={kind: diurnal, mean_rps: 300, amplitude: 0.25}"};
    s = load(BASE, sin, 1, &d);
    ok(s && s->workloads[0].kind == SCN_ARR_DIURNAL && s->workloads[0].n_points == 0 &&
           s->workloads[0].mean_rps == 300 && s->workloads[0].amplitude == 0.25 &&
           s->workloads[0].period == 24 * SIM_HOUR && s->workloads[0].peak_at == 14 * SIM_HOUR,
       "diurnal sinusoid: period 24h, peak_at 14h by default");
    scenario_free(s);
    scn_diags_free(&d);

    const char *mmpp[] = {"workload.0.arrivals={kind: bursty, rps: [20, 400], mean_dwell: [10m, 30s]}"};
    s = load(BASE, mmpp, 1, &d);
    ok(s && s->workloads[0].kind == SCN_ARR_MMPP && s->workloads[0].mmpp_rps[0] == 20 &&
           s->workloads[0].mmpp_rps[1] == 400 && s->workloads[0].mmpp_dwell[0] == 10 * SIM_MIN &&
           s->workloads[0].mmpp_dwell[1] == 30 * SIM_SEC, "bursty -> MMPP");
    scenario_free(s);
    scn_diags_free(&d);
}

/* Trace files are read relative to the scenario file's directory. */
static void test_traces(void)
{
    char dir[] = "/tmp/fleetsim-trace-XXXXXX";
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    char path[256], yaml[256];
    snprintf(path, sizeof path, "%s/times.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("# a comment\ntimestamp,path\n0.5,/a\n\n1.25,/b\r\n1.25,/c\n3,/d\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/counts.csv", dir);
    f = fopen(path, "w");
    fputs("10\n0\n 2.5 \n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/bad.csv", dir);
    f = fopen(path, "w");
    fputs("1\n2\n1.5\n", f);
    fclose(f);
    snprintf(yaml, sizeof yaml, "%s/t.yaml", dir);
    const char *sets[] = {"workload.0.arrivals={kind: trace, file: times.csv, format: timestamps, loop: true}"};
    scn_diags d = {0};
    scenario *s = NULL;
    scenario_load(yaml, BASE, strlen(BASE), sets, 1, &s, &d);
    ok(s && s->workloads[0].kind == SCN_ARR_TRACE && s->workloads[0].n_trace_times == 4 &&
           s->workloads[0].trace_times[0] == 500 * SIM_MS && s->workloads[0].trace_times[1] == 1250 * SIM_MS &&
           s->workloads[0].trace_times[3] == 3 * SIM_SEC && s->workloads[0].trace_loop == 1,
       "trace timestamps: header, comments, blank and CRLF lines; exact ns");
    scenario_free(s);
    scn_diags_free(&d);
    const char *sets2[] = {"workload.0.arrivals={kind: trace, file: counts.csv, format: counts, interval: 1m}"};
    s = NULL;
    scenario_load(yaml, BASE, strlen(BASE), sets2, 1, &s, &d);
    ok(s && s->workloads[0].n_trace_counts == 3 && s->workloads[0].trace_counts[0] == 10 &&
           s->workloads[0].trace_counts[2] == 2.5 && s->workloads[0].trace_interval == SIM_MIN &&
           s->workloads[0].trace_loop == 0, "trace counts per 1m interval");
    scenario_free(s);
    scn_diags_free(&d);
    const char *sets3[] = {"workload.0.arrivals={kind: trace, file: bad.csv, format: timestamps}"};
    s = NULL;
    scenario_load(yaml, BASE, strlen(BASE), sets3, 1, &s, &d);
    char want[300];
    snprintf(want, sizeof want, "trace %s/bad.csv:3:1: time 1.5 s is before the previous row's", dir);
    ok(!s && has_diag(&d, 0, 0, want), "decreasing timestamp: CSV file, line and column in the message");
    ok(d.n == 1 && strstr(d.items[0].message, "--set"), "... reported at the referencing node (here a --set)");
    scn_diags_free(&d);
    remove(path);
    snprintf(path, sizeof path, "%s/times.csv", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/counts.csv", dir);
    remove(path);
    rmdir(dir);
}

static int yaml_name(const struct dirent *e)
{
    size_t l = strlen(e->d_name);
    return l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0;
}

/* Every scenario shipped in scenarios/ validates. */
static void test_all_scenarios(const char *dir)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, yaml_name, alphasort);
    ok(n >= 4, "scenarios/ has at least 4 files (found %d)", n);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        scn_diags d = {0};
        scenario *s = NULL;
        int rc = scenario_load_file(path, NULL, 0, &s, &d);
        if (rc)
            scn_diags_print(&d, stderr);
        ok(rc == 0 && s, "scenarios/%s validates", names[i]->d_name);
        scenario_free(s);
        scenario_text_free(&d);
        scn_diags_free(&d);
        free(names[i]);
    }
    free(names);
}

static void test_monitored_web_app(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/monitored-web-app.yaml", dir);
    scn_diags d = {0};
    scenario *s = NULL;
    scenario_load_file(path, NULL, 0, &s, &d);
    ok(s != NULL, "monitored-web-app.yaml loads");
    if (s) {
        is_int(s->n_sns_topics, 3, "three topics");
        is_int(s->n_policies, 2, "two policies");
        is_int(s->n_alarms, 3, "three alarms");
        is_int(s->n_notifications, 1, "one notification");
        is_int(s->n_faults, 2, "a fault and an operation");
        is_int(s->faults[1].kind, SCN_OP_INSTANCE_REFRESH, "instance refresh second");
        is_int(s->launch_templates[0].detailed_monitoring, 1, "detailed monitoring");
        is_int(s->asgs[0].health_check_type, SCN_HC_EC2, "EC2 status checks only: the health-check Lambda finds a hung app");
        is_int(s->start_epoch, 1767600000, "start 08:00 UTC");
    }
    scenario_free(s);
    scenario_text_free(&d);
    scn_diags_free(&d);
}

/* aws_launch_configuration and aws_subnet: a group on subnets, launched from a configuration, no workload. */
static void test_launch_configuration_and_subnets(void)
{
    const char *text =
        "scenario: t\n"
        "duration: 1h\n"
        "region: us-west-2\n"
        "resources:\n"
        "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
        "  g: {type: aws_autoscaling_group, launch_configuration: aws_launch_configuration.lc.name, min_size: 1,\n"
        "      max_size: 3, vpc_zone_identifier: [aws_subnet.b.id, a, c, a2]}\n"
        "  lc: {type: aws_launch_configuration, instance_type: t2.micro, image_id: ami-0abc, user_data: x}\n"
        "  lc_basic: {type: aws_launch_configuration, instance_type: m5.large, enable_monitoring: false}\n"
        "  a: {type: aws_subnet, availability_zone: us-west-2a, cidr_block: 10.0.1.0/24}\n"
        "  a2: {type: aws_subnet, availability_zone: us-west-2a}\n"
        "  b: {type: aws_subnet, availability_zone: us-west-2b, tags: {Name: b}}\n"
        "  c: {type: aws_subnet, availability_zone: us-west-2c}\n"
        "  h: {type: aws_autoscaling_group, launch_template: lt, min_size: 0, max_size: 1}\n";
    scn_diags d;
    scenario *s = load(text, NULL, 0, &d);
    ok(s != NULL, "launch configuration, subnets and no workload load");
    if (!s) {
        scn_diags_free(&d);
        return;
    }
    is_int(s->n_workloads, 0, "workload is optional");
    is_int(s->n_launch_configurations, 2, "two launch configurations");
    is_int(s->n_subnets, 4, "four subnets");
    is_int(s->n_launch_templates, 3, "the template and a copy of each configuration in launch_templates");
    const scn_asg *g = &s->asgs[0];
    is_int(g->launch_configuration, 0, "g names lc");
    ok(g->launch_template >= 0 && (size_t)g->launch_template < s->n_launch_templates, "g's launch_template is set");
    const scn_launch_template *lc = &s->launch_templates[g->launch_template];
    is_str(lc->name, "lc", "g launches from lc's copy");
    is_str(s->itypes[lc->itype].name, "t2.micro", "lc: t2.micro");
    /* Terraform's enable_monitoring defaults to true (detailed), unlike a launch template's monitoring. */
    is_int(lc->detailed_monitoring, 1, "lc: detailed monitoring by default");
    is_near(lc->boot_time.a, 36.0, 0, "lc: boot phases 6 + 20 + 10 s by default");
    is_int(s->launch_configurations[1].detailed_monitoring, 0, "enable_monitoring: false is basic monitoring");
    is_int(g->n_availability_zones, 3, "zones from the subnets, each once");
    is_str(g->availability_zones[0], "us-west-2b", "first zone: subnet b's");
    is_str(g->availability_zones[1], "us-west-2a", "second zone: subnet a's");
    is_str(g->availability_zones[2], "us-west-2c", "third zone: subnet c's");
    is_int(s->asgs[1].launch_configuration, -1, "h names no launch configuration");
    is_int(s->asgs[1].launch_template, 0, "h keeps its launch template");
    ok(s->n_notes >= 1, "user_data and tags are noted as not simulated");
    scenario_free(s);
    scn_diags_free(&d);
}

/* Terraform as architects write it (issue 6): bare seconds, accepted attributes noted once, Terraform-only attributes refused. */
static void test_terraform_forms(void)
{
    scn_diags d;
    const char *text =
        "scenario: t\n"
        "duration: 1h\n"
        "resources:\n"
        "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
        "  tg: {type: aws_lb_target_group, deregistration_delay: 30, slow_start: 60,\n"
        "       health_check: {interval: 10, timeout: 4}, tags: {team: web}}\n"
        "  lb: {type: aws_lb, default_target_group: tg, idle_timeout: 120, subnets: [a, b]}\n"
        "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 3, tags: {team: web}}\n"
        "workload:\n"
        "  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\n";
    scenario *s = load(text, NULL, 0, &d);
    ok(s != NULL, "Terraform's bare seconds and accepted attributes load");
    if (s) {
        is_int(s->target_groups[0].deregistration_delay, 30 * SIM_SEC, "deregistration_delay: 30 is 30 s");
        is_int(s->target_groups[0].slow_start, 60 * SIM_SEC, "slow_start: 60 is 60 s");
        is_int(s->target_groups[0].health_check.interval, 10 * SIM_SEC, "health_check.interval: 10 is 10 s");
        is_int(s->target_groups[0].health_check.timeout, 4 * SIM_SEC, "health_check.timeout: 4 is 4 s");
        is_int(s->lbs[0].idle_timeout, 120 * SIM_SEC, "idle_timeout: 120 is 120 s");
        /* tags twice and subnets once: one note per attribute name, at its first use. */
        is_int((long long)s->n_notes, 2, "two notes: tags (once) and subnets");
        ok(s->n_notes == 2 && strstr(s->notes[0].message, "'tags'") && s->notes[0].line == 6 &&
               strstr(s->notes[1].message, "'subnets'") && s->notes[1].line == 7,
           "the notes name the attribute at its first use");
    }
    scenario_free(s);
    scn_diags_free(&d);

    const char *const bad[][2] = {
        {"resources.tg.deregistration_delay=30.5", "whole number of seconds"},
        {"resources.tg.deregistration_delay=3601", "out of range"},
        {"resources.tg.stickiness={type: lb_cookie}", "'stickiness' in aws_lb_target_group \"tg\" is not supported yet"},
        {"workload.0.timeout=30", "duration needs a unit"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i][0]};
        scenario *t = NULL;
        memset(&d, 0, sizeof d);
        int rc = scenario_load("t.yaml", BASE, strlen(BASE), one, 1, &t, &d);
        ok(rc == -1 && has_diag(&d, 0, 0, bad[i][1]), "--set %s: %s", bad[i][0], bad[i][1]);
        scenario_free(t);
        scn_diags_free(&d);
    }
}

/* aws_lb_listener and aws_lb_listener_rule as Terraform nests them; errors at file:line:col. */
static void test_listeners(void)
{
    static const char head[] =
        "scenario: t\nduration: 1h\nresources:\n"                                                     /* 1-3 */
        "  lt: {type: aws_launch_template, instance_type: c5.large}\n"                                /* 4 */
        "  web: {type: aws_lb_target_group}\n"                                                        /* 5 */
        "  api: {type: aws_lb_target_group}\n"                                                        /* 6 */
        "  lb: {type: aws_lb}\n"                                                                      /* 7 */
        "  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 3, target_group_arns: [web, api]}\n";
    static const char good[] =
        "  http:\n"
        "    type: aws_lb_listener\n"
        "    load_balancer_arn: aws_lb.lb.arn\n"
        "    port: 80\n"
        "    certificate_arn: arn:aws:acm:x\n"
        "    default_action:\n"
        "      type: forward\n"
        "      forward:\n"
        "        target_group:\n"
        "          - {arn: aws_lb_target_group.web.arn, weight: 80}\n"
        "          - {arn: api, weight: 20}\n"
        "        stickiness: {enabled: false, duration: 60}\n"
        "  maint: {type: aws_alb_listener, load_balancer_arn: lb, port: 8080, default_action: [{type: fixed-response,"
        " fixed_response: {content_type: text/plain, status_code: 503}}]}\n"
        "  api_rule:\n"
        "    type: aws_lb_listener_rule\n"
        "    listener_arn: aws_lb_listener.http.arn\n"
        "    priority: 100\n"
        "    action: {type: forward, target_group_arn: api}\n"
        "    condition:\n"
        "      - path_pattern: {values: [\"/api/*\", \"/v?/*\"]}\n"
        "      - host_header: {values: [\"*.example.com\"]}\n"
        "  old:\n"
        "    type: aws_lb_listener_rule\n"
        "    listener_arn: http\n"
        "    action: {type: redirect, redirect: {status_code: HTTP_301, path: /new}}\n"
        "    condition: {path_pattern: {values: [\"/old/*\"]}}\n"
        "workload:\n"
        "  - {name: w, target: lb, port: 80, path: /api/x, host: shop.example.com, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\n"
        "  - {name: m, target: lb, port: 8080, arrivals: {kind: poisson, rps: 1}, service_time: 40ms}\n";
    char text[4096];
    scn_diags d;
    snprintf(text, sizeof text, "%s%s", head, good);
    scenario *s = load(text, NULL, 0, &d);
    ok(s != NULL, "listeners: loads");
    if (s) {
        is_int(s->n_listeners, 2, "listeners: two (aws_alb_listener is an alias)");
        is_int(s->lbs[0].target_group, -1, "listeners: no default_target_group");
        const scn_listener *l = &s->listeners[0];
        is_int(l->lb, 0, "listeners: load_balancer_arn resolved");
        is_int(l->port, 80, "listeners: port");
        is_int(l->action.kind, SCN_LBA_FORWARD, "listeners: forward");
        is_int(l->action.n_fwd, 2, "listeners: two weighted groups");
        is_int(l->action.fwd_tg[1], 1, "listeners: second group is api");
        is_int(l->action.fwd_weight[0], 80, "listeners: weight 80");
        is_int(s->listeners[1].action.kind, SCN_LBA_FIXED, "listeners: fixed-response (a list of one block)");
        is_int(s->listeners[1].action.status_code, 503, "listeners: status 503");
        is_int(s->n_listener_rules, 2, "rules: two");
        const scn_listener_rule *r = &s->listener_rules[0];
        is_int(r->listener, 0, "rules: listener_arn resolved");
        is_int(r->priority, 100, "rules: priority");
        is_int(r->n_paths, 2, "rules: two path patterns");
        is_str(r->paths[1], "/v?/*", "rules: the pattern kept as written");
        is_int(r->n_hosts, 1, "rules: one host pattern");
        is_int(s->listener_rules[1].priority, 101, "rules: an absent priority is one more than the listener's highest");
        is_int(s->listener_rules[1].action.status_code, 301, "rules: redirect HTTP_301");
        is_int(s->workloads[0].listener, 0, "workload: port 80 picks http");
        is_str(s->workloads[0].path, "/api/x", "workload: path");
        is_str(s->workloads[0].host, "shop.example.com", "workload: host");
        is_int(s->workloads[1].listener, 1, "workload: port 8080 picks maint");
        is_str(s->workloads[1].path, "/", "workload: path defaults to /");
        ok(scn_lb_routes_to(s, 0, 1), "routes_to: the ALB forwards to api");
        scenario_free(s);
    }
    scn_diags_free(&d);
    /* errors, each at its position */
    static const struct { const char *tail; int line, col; const char *msg; } bad[] = {
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: forward}}\n", 9, 69,
         "type forward needs 'target_group_arn' or a `forward` block"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: fixed-response, fixed_response: "
         "{content_type: text/plain, status_code: 302}}}\n", 9, 148, "must be 2XX, 4XX or 5XX"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: redirect, target_group_arn: web, "
         "redirect: {status_code: HTTP_302}}}\n", 9, 86, "'target_group_arn' applies only to type forward"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: authenticate-oidc}}\n", 9, 76,
         "not supported yet"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: forward, target_group_arn: web}}\n"
         "  r: {type: aws_lb_listener_rule, listener_arn: h, action: {type: forward, target_group_arn: api}, condition: "
         "{source_ip: {values: [10.0.0.0/8]}}}\n", 10, 112, "'source_ip' in condition 0"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: forward, target_group_arn: web}}\n"
         "  r: {type: aws_lb_listener_rule, listener_arn: h, action: {type: forward, target_group_arn: api}, condition: "
         "{path_pattern: {values: [a, b, c]}, host_header: {values: [d, e, f]}}}\n", 10, 111,
         "expected exactly one of path_pattern or host_header"},
        {"  h: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: forward, target_group_arn: web}}\n"
         "  h2: {type: aws_lb_listener, load_balancer_arn: lb, default_action: {type: forward, target_group_arn: web}}\n",
         0, 0, "already has listener h on port 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "%s%s", head, bad[i].tail);
        scenario *t = NULL;
        memset(&d, 0, sizeof d);
        int rc = scenario_load("t.yaml", text, strlen(text), NULL, 0, &t, &d);
        ok(rc != 0 && has_diag(&d, bad[i].line, bad[i].col, bad[i].msg), "listener error %zu: %s", i, bad[i].msg);
        scenario_free(t);
        scn_diags_free(&d);
    }
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
    test_launch_template_and_asg();
    test_launch_configuration_and_subnets();
    test_top_level();
    test_terraform_forms();
    test_listeners();
    test_autoscaling();
    test_policy_defaults();
    test_faults();
    test_arrivals();
    test_traces();
    test_monitored_web_app(argc > 1 ? argv[1] : "scenarios");
    test_all_scenarios(argc > 1 ? argv[1] : "scenarios");
    return tap_done();
}
