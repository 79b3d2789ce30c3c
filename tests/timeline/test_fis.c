/*
 * test_fis.c - faults written as AWS Fault Injection Service actions, as
 * timelines on YAML scenarios (aws-semantics 12; 1.3 for how a group reacts;
 * 6.4 for Lambda retries): each action's effect and duration, the selection
 * modes (12.1), tags, stop then start, CPU stress as a gray failure, Lambda
 * errors and delays, the AZ power interruption scenario (12.6), the MTBF law
 * and the time-to-recover figures of the report.
 */
#include "tly.h"

#include <math.h>

#include "models/dynamodb/table.h"
#include "models/ec2/instance.h"
#include "models/faults/fis_cfg.h"
#include "models/lambda/function.h"

/* A web tier of `n` c5.large in a group over two zones, plus the faults text (an indented list). */
static world *web(int n, double rps, const char *service, const char *faults, uint64_t seed)
{
    char y[4096];
    snprintf(y, sizeof y,
             "scenario: t\nduration: 30m\n"
             "resources:\n"
             "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
             "  tg: {type: aws_lb_target_group}\n"
             "  lb: {type: aws_lb, default_target_group: tg}\n"
             "  web: {type: aws_autoscaling_group, launch_template: lt, min_size: %d, max_size: %d,\n"
             "        availability_zones: [us-west-2a, us-west-2b], target_group_arns: [tg]}\n"
             "workload:\n"
             "  - {name: w, target: lb, arrivals: {kind: poisson, rps: %g}, service_time: %s}\n"
             "report: {window: 1m, slo: {p99: 200ms}}\n"
             "faults:\n%s",
             n, n, rps, service, faults);
    return tly_run(y, seed);
}

/* The field key of the report row (type, name), or NULL. */
static const rows_field *row_field(const world *w, const char *type, const char *name, const char *key)
{
    size_t n = 0;
    const rows_row *r = rows_all(world_rows(w), &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].type, type) == 0 && strcmp(r[i].name, name) == 0)
            for (size_t k = 0; k < r[i].n_fields; k++)
                if (strcmp(r[i].fields[k].key, key) == 0)
                    return &r[i].fields[k];
    return NULL;
}

/* Instances whose EC2 side ended at t_s exactly. */
static int ended_at(const world *w, double t_s)
{
    size_t n = 0;
    const world_instance_info *f = world_instances(w, &n);
    int c = 0;
    for (size_t k = 0; k < n; k++)
        c += f[k].terminated == tl_s(t_s);
    return c;
}

/* The "running" message of action name (first), or "". */
static const char *started_msg(const world *w, const char *name)
{
    const events_entry *e = tl_first(w, 0, "fis", name, "running", NULL);
    return e && e->message ? e->message : "";
}

/* The mean of p50 over the windows starting in [from_s, to_s). */
static double p50_over(const world *w, double from_s, double to_s)
{
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    double s = 0;
    int c = 0;
    for (size_t k = 0; k < n; k++)
        if (win[k].start >= tl_s(from_s) && win[k].start < tl_s(to_s)) {
            s += win[k].p50;
            c++;
        }
    return c ? s / c : -1;
}

/* 12.2 terminate-instances with COUNT(2): two of the four leave at once; 1.3: the group replaces them; the
   report's capacity figure is when the last replacement is InService (checked each second). */
static void test_terminate_count(void)
{
    world *w = web(4, 20, "40ms",
                   "  - {at: 5m, name: kill, action: aws:ec2:terminate-instances,\n"
                   "     targets: {resource_tags: {aws:autoscaling:groupName: web}, selection_mode: COUNT(2)}}\n", 1);
    ok(w != NULL, "terminate: runs");
    if (!w)
        return;
    ok(strstr(started_msg(w, "kill"), "aws:ec2:terminate-instances on 2 of 4 target(s) (COUNT(2)): i-web-") != NULL,
       "the log names the action, the selection and its targets: %s", started_msg(w, "kill"));
    is_int(ended_at(w, 300), 2, "12.2: exactly two instances leave running at 5 min");
    is_int(tl_count(w, 300, 1800, "instance", NULL, "InService", NULL), 2, "1.3: two replacements go InService");
    double last = -1;
    for (double from = 300; from >= 0;) {
        double t = tl_first_t(w, from, "instance", NULL, "InService", NULL);
        if (t < 0)
            break;
        last = t;
        from = t + 1e-9;
    }
    double back = tl_first_t(w, 300, "fis", "kill", NULL, "back to desired capacity");
    ok(last > 300 && back >= last && back < last + 1, "recovered at %.0f s, within a second of the last InService "
       "(%.3f s)", back, last);
    const rows_field *f = row_field(w, "fault", "kill", "capacity_recovery_s");
    ok(f && f->kind == ROWS_NUM && fabs(f->num - (back - 300)) < 1e-9, "report: capacity_recovery_s = %.0f s",
       f ? f->num : -1);
    f = row_field(w, "fault", "kill", "slo_recovery_s");
    ok(f && (f->kind == ROWS_NUM || f->kind == ROWS_NULL), "report: slo_recovery_s is there");
    tly_done(w);
}

/* 12.1: COUNT(n) and PERCENT(n) pick the documented number at random, the same ones for the same seed. */
static void test_selection(void)
{
    static const struct { const char *mode; int want; } cases[] = {
        {"COUNT(3)", 3}, {"COUNT(9)", 4}, {"PERCENT(50)", 2}, {"PERCENT(30)", 1}, {"PERCENT(10)", 1},
        {"PERCENT(100)", 4}, {"ALL", 4},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char f[512], want[64];
        snprintf(f, sizeof f, "  - {at: 2m, name: sel, action: aws:ec2:reboot-instances,\n"
                 "     targets: {resource_arns: [web], selection_mode: \"%s\"}}\n", cases[c].mode);
        world *w = web(4, 5, "40ms", f, 3);
        snprintf(want, sizeof want, "on %d of 4 target(s)", cases[c].want);
        ok(w && strstr(started_msg(w, "sel"), want) != NULL, "%s of 4 acts on %d (%s)", cases[c].mode, cases[c].want,
           w ? started_msg(w, "sel") : "no run");
        tly_free(w);
    }
    /* Deterministic per seed, random across seeds. */
    const char *f = "  - {at: 2m, name: sel, action: aws:ec2:reboot-instances,\n"
                    "     targets: {resource_arns: [web], selection_mode: COUNT(2)}}\n";
    world *a = web(4, 5, "40ms", f, 11), *b = web(4, 5, "40ms", f, 11);
    char first[256];
    snprintf(first, sizeof first, "%s", a ? started_msg(a, "sel") : "");
    ok(a && b && strcmp(first, started_msg(b, "sel")) == 0, "same seed, same picks: %s", first);
    tly_free(a);
    tly_free(b);
    int differ = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        world *x = web(4, 5, "40ms", f, seed);
        differ += x && strcmp(started_msg(x, "sel"), first) != 0;
        tly_free(x);
    }
    ok(differ > 0, "other seeds pick other instances (%d of 8 differ)", differ);
}

/* 12.1: tag selection; the group's instances carry aws:autoscaling:groupName. */
static void test_tags(void)
{
    world *w = tly_run("scenario: t\nduration: 10m\n"
                       "resources:\n"
                       "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "  web: {type: aws_autoscaling_group, launch_template: lt, min_size: 3, max_size: 3, "
                       "target_group_arns: [tg]}\n"
                       "  api: {type: aws_autoscaling_group, launch_template: lt, min_size: 2, max_size: 2, "
                       "target_group_arns: [tg]}\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 5}, service_time: 40ms}\n"
                       "faults:\n"
                       "  - {at: 2m, name: tagged, action: aws:ec2:terminate-instances,\n"
                       "     targets: {resource_tags: {aws:autoscaling:groupName: api}}}\n"
                       "  - {at: 3m, name: nobody, action: aws:ec2:terminate-instances,\n"
                       "     targets: {resource_tags: {Team: payments}}}\n",
                       1);
    ok(w != NULL, "tags: runs");
    if (!w)
        return;
    char m[512];
    snprintf(m, sizeof m, "%s", started_msg(w, "tagged"));
    ok(strstr(m, "on 2 of 2 target(s) (ALL): i-api-0, i-api-1") != NULL, "the tag picks the api group's two: %s", m);
    ok(strstr(m, "i-web") == NULL, "and none of web's");
    is_int(ended_at(w, 120), 2, "both leave at 2 min");
    ok(tl_first(w, 180, "fis", "nobody", "failed", "no targets found") != NULL,
       "12.1: a tag nothing carries: the experiment fails, logged");
    const rows_field *f = row_field(w, "fault", "nobody", "state");
    ok(f && f->kind == ROWS_STR && strcmp(f->str, "failed") == 0, "report: state failed");
    is_int(ended_at(w, 180), 0, "and nothing happens");
    tly_done(w);
}

/* 12.2 stop-instances with startInstancesAfterDuration on a fixed fleet: down for 5 minutes, then serving again. */
static void test_stop_start(void)
{
    world *w = tly_run("scenario: t\nduration: 20m\n"
                       "resources:\n"
                       "  fleet: {type: aws_instance, instance_type: c5.large, count: 2}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: fleet}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\n"
                       "report: {window: 1m}\n"
                       "faults:\n"
                       "  - {at: 5m, name: stop, action: aws:ec2:stop-instances,\n"
                       "     targets: {resource_arns: [aws_instance.fleet]},\n"
                       "     parameters: {startInstancesAfterDuration: PT5M}}\n",
                       1);
    ok(w != NULL, "stop/start: runs");
    if (!w)
        return;
    ok(strstr(started_msg(w, "stop"), "on 2 of 2 target(s) (ALL): i-fleet-0, i-fleet-1") != NULL, "both stopped at 5 min");
    is_near(tl_first_t(w, 0, "fis", "stop", "completed", "2 of 2 started again"), 600, 1e-9,
            "12.2: started again after startInstancesAfterDuration (10 min)");
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    uint64_t ok_down = 0, ok_after = 0;
    for (size_t k = 0; k < n; k++) {
        if (win[k].start >= tl_s(360) && win[k].start < tl_s(600))
            ok_down += win[k].errors[STATS_OK];
        if (win[k].start >= tl_s(720))
            ok_after += win[k].errors[STATS_OK];
    }
    is_int((long long)ok_down, 0, "no request succeeds while both are stopped (minutes 6-9)");
    ok(ok_after > 0, "they serve again after the start (%llu successes from minute 12)", (unsigned long long)ok_after);
    const world_instance_info *i = tl_info(w, "i-fleet-0");
    ok(i && i->terminated == -1, "running at the end");
    tly_done(w);
}

/* Stop then start, and a reboot, of a burstable instance (5.6): it serves at full speed again afterwards (its credit
   bucket resumes), at the 40 ms its work takes. */
static void test_stop_start_burstable(void)
{
    world *w = tly_run("scenario: t\nduration: 20m\n"
                       "resources:\n"
                       "  fleet: {type: aws_instance, instance_type: t3.micro, count: 1}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: fleet}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 2}, "
                       "service_time: {dist: constant, value: 20ms}}\n"
                       "report: {window: 1m}\n"
                       "faults:\n"
                       "  - {at: 3m, name: stop, action: aws:ec2:stop-instances, targets: {resource_arns: [fleet]},\n"
                       "     parameters: {startInstancesAfterDuration: PT2M}}\n"
                       "  - {at: 10m, name: rb, action: aws:ec2:reboot-instances, targets: {resource_arns: [fleet]}}\n",
                       1);
    ok(w != NULL, "burstable stop/start: runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "fis", "stop", "completed", "1 of 1 started again"), 300, 1e-9, "started at 5 min");
    double before = p50_over(w, 60, 180), after = p50_over(w, 420, 600), late = p50_over(w, 720, 1200);
    ok(before > 0 && after > before * 0.99 && after < before * 1.01, "p50 after the start %.2f ms = before %.2f ms",
       after * 1e3, before * 1e3);
    ok(late > before * 0.99 && late < before * 1.01, "and after the reboot %.2f ms", late * 1e3);
    tly_done(w);
}

/* 12.2 + 1.3: a group's stopped instance is not running, so the group replaces it; the start finds it gone. */
static void test_stop_group(void)
{
    world *w = web(2, 10, "40ms",
                   "  - {at: 5m, name: stop, action: aws:ec2:stop-instances,\n"
                   "     targets: {resource_arns: [web], selection_mode: COUNT(1)},\n"
                   "     parameters: {startInstancesAfterDuration: 10m}}\n", 1);
    ok(w != NULL, "stop in a group: runs");
    if (!w)
        return;
    is_int(ended_at(w, 300), 1, "one instance leaves running at 5 min");
    ok(tl_first(w, 300, "instance", NULL, "InService", NULL) != NULL, "1.3: the group launches a replacement");
    ok(tl_first(w, 900, "fis", "stop", "completed", "0 of 1 started again") != NULL,
       "at 15 min nothing to start: the group replaced it (completeIfInstancesTerminated)");
    tly_done(w);
}

/* 12.3 AWSFIS-Run-CPU-Stress on all vCPUs at 100%: work takes twice as long (fleetsim's fair-share model), and the
   instances still pass their health checks: nothing is replaced (a gray failure). */
static void test_cpu_stress(void)
{
    world *w = web(2, 10, "{dist: constant, value: 40ms}",
                   "  - {at: 5m, name: stress, action: aws:ssm:send-command,\n"
                   "     targets: {resource_arns: [web]},\n"
                   "     parameters: {documentArn: \"arn:aws:ssm:us-west-2::document/AWSFIS-Run-CPU-Stress\",\n"
                   "                  duration: PT10M, documentParameters: {DurationSeconds: \"600\"}}}\n", 1);
    ok(w != NULL, "CPU stress: runs");
    if (!w)
        return;
    double before = p50_over(w, 60, 300), during = p50_over(w, 360, 900), after = p50_over(w, 960, 1800);
    ok(before > 0.039 && before < 0.045, "p50 before: %.1f ms (40 ms of work)", before * 1e3);
    ok(during > 0.079 && during < 0.090, "p50 during: %.1f ms: twice the work time", during * 1e3);
    ok(after > 0.039 && after < 0.045, "p50 after DurationSeconds: %.1f ms again", after * 1e3);
    is_int(tl_count(w, 300, 1800, "instance", NULL, "Terminating", NULL), 0, "no instance replaced: health checks pass");
    is_near(tl_first_t(w, 300, "fis", "stress", "completed", NULL), 900, 1e-9, "over after 600 s");
    tly_done(w);
}

/* 12.3 AWSFIS-Run-Network-Latency: every response 200 ms later (the default DelayMilliseconds). */
static void test_latency(void)
{
    world *w = web(2, 10, "{dist: constant, value: 40ms}",
                   "  - {at: 5m, name: lag, action: aws:ssm:send-command/AWSFIS-Run-Network-Latency,\n"
                   "     targets: {resource_arns: [web], filters: [{path: Placement.AvailabilityZone, values: "
                   "[us-west-2a]}]},\n"
                   "     parameters: {duration: PT5M, documentParameters: {DurationSeconds: 300}}}\n", 1);
    ok(w != NULL, "latency: runs");
    if (!w)
        return;
    ok(strstr(started_msg(w, "lag"), "on 1 of 1 target(s)") != NULL, "the zone filter keeps the one in us-west-2a: %s",
       started_msg(w, "lag"));
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    double p99 = 0;
    for (size_t k = 0; k < n; k++)
        if (win[k].start >= tl_s(360) && win[k].start < tl_s(600) && win[k].p99 > p99)
            p99 = win[k].p99;
    ok(p99 > 0.239 && p99 < 0.25, "p99 while delayed: %.1f ms = 40 + 200", p99 * 1e3);
    double after = p50_over(w, 660, 1800);
    ok(after > 0.039 && after < 0.045, "p50 after: %.1f ms", after * 1e3);
    tly_done(w);
}

/* 12.2 reboot-instances: held requests get 502, the instance answers nothing for reboot_time, and stays running
   for EC2: the group does not replace it. */
static void test_reboot(void)
{
    world *w = web(2, 20, "40ms",
                   "  - {at: 5m, name: rb, action: aws:ec2:reboot-instances,\n"
                   "     targets: {resource_arns: [web], selection_mode: COUNT(1)}, fleetsim: {reboot_time: 45s}}\n", 1);
    ok(w != NULL, "reboot: runs");
    if (!w)
        return;
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    uint64_t e502 = 0, e502_late = 0;
    for (size_t k = 0; k < n; k++) {
        if (win[k].start == tl_s(300))
            e502 = win[k].errors[STATS_502_RESET];
        if (win[k].start >= tl_s(480))
            e502_late += win[k].errors[STATS_502_RESET];
    }
    ok(e502 > 0, "502s in the minute of the reboot (%llu)", (unsigned long long)e502);
    is_int((long long)e502_late, 0, "none once it is back");
    is_int(tl_count(w, 300, 1800, "instance", NULL, "Terminating", NULL), 0, "still running for EC2: not replaced");
    is_int(ended_at(w, 300), 0, "nothing terminated");
    tly_done(w);
}

/* ---------------------------------------------------------------- Lambda (12.4, 6.4) */

typedef struct shot {
    lam_fn *f;
    aws_event ev;
} shot;

static void on_shot(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    shot *x = obj;
    lam_invoke_async(x->f, &x->ev);
}

static world *lambda_world(const char *faults, shot *x, const double *at, int n)
{
    char y[2048];
    snprintf(y, sizeof y,
             "scenario: t\nduration: 10m\nresources:\n"
             "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
             "    fleetsim: {init_duration: 500ms, calls: [{compute: 100ms}]}\n"
             "faults:\n%s", faults);
    world *w = tly_build(y, 1);
    static const char *const ids[] = {"ev-a", "ev-b", "ev-c"};
    for (int k = 0; w && k < n; k++) {
        x[k] = (shot){.f = world_model(w, "aws_lambda_function", "fn"),
                      .ev = {.id = ids[k], .source = "aws.events", .detail_type = "test"}};
        sim_at(world_sim(w), tl_s(at[k]), on_shot, &x[k], 0);
    }
    if (w)
        tl_finish(w);
    return w;
}

/* 12.4 invocation-error: every run fails while the action lasts, so the asynchronous chain retries at +1 min then
   +2 min (6.4); an event after the window succeeds. */
static void test_lambda_error(void)
{
    shot x[2];
    static const double at[] = {10, 400};
    world *w = lambda_world("  - {at: 5s, name: lerr, action: aws:lambda:invocation-error,\n"
                            "     targets: {resource_arns: [aws_lambda_function.fn]},\n"
                            "     parameters: {duration: PT5M}}\n", x, at, 2);
    ok(w != NULL, "lambda error: runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "lambda", "fn", "error", "FIS aws:lambda:invocation-error"), 10.6, 1e-9,
            "the first run fails after its code ran (cold 0.5 s + 0.1 s)");
    is_near(tl_first_t(w, 0, "lambda", "fn", "retry", "retry 1"), 10.6, 1e-9, "6.4: retry 1 scheduled");
    is_near(tl_first_t(w, 11, "lambda", "fn", "error", "ev-a"), 70.7, 1e-9, "the retry a minute later fails too");
    is_near(tl_first_t(w, 71, "lambda", "fn", "error", "ev-a"), 190.8, 1e-9, "6.4: and the second, two minutes later");
    is_near(tl_first_t(w, 300, "lambda", "fn", "done", "ev-b"), 400.1, 1e-9, "after the window a run succeeds");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_int(c.retries, 2, "two retries");
    is_int(c.succeeded, 1, "one success");
    tly_done(w);
}

/* 12.4 preventExecution: the run fails without running the code. */
static void test_lambda_prevent(void)
{
    shot x[1];
    static const double at[] = {10};
    world *w = lambda_world("  - {at: 5s, name: lerr, action: aws:lambda:invocation-error,\n"
                            "     targets: {resource_arns: [fn]},\n"
                            "     parameters: {duration: PT1M, preventExecution: true}}\n", x, at, 1);
    ok(w != NULL, "preventExecution: runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "lambda", "fn", "error", "preventExecution"), 10.5, 1e-9,
            "fails at once after init, without the 100 ms of code");
    is_near(tl_first_t(w, 11, "lambda", "fn", "done", "ev-a"), 70.6, 1e-9, "the retry after the window succeeds");
    tly_done(w);
}

/* 12.4 invocation-add-delay: the code starts startupDelayMilliseconds later, billed. */
static void test_lambda_delay(void)
{
    shot x[1];
    static const double at[] = {10};
    world *w = lambda_world("  - {at: 5s, name: slow, action: aws:lambda:invocation-add-delay,\n"
                            "     targets: {resource_arns: [fn]},\n"
                            "     parameters: {duration: PT1M, startupDelayMilliseconds: 2000}}\n", x, at, 1);
    ok(w != NULL, "add-delay: runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "lambda", "fn", "done", "ev-a"), 12.6, 1e-9, "done at 10 + 0.5 init + 2 delay + 0.1");
    lam_counts c = lam_get_counts(world_model(w, "aws_lambda_function", "fn"));
    is_near(c.gb_seconds, 1769.0 / 1024 * 2.6, 1e-9, "the delay is billed (2.6 s with init)");
    tly_done(w);
    /* A delay beyond the function's timeout (Terraform's default 3 s) is a real timeout (12.4). */
    w = lambda_world("  - {at: 5s, name: slow, action: aws:lambda:invocation-add-delay,\n"
                     "     targets: {resource_arns: [fn]},\n"
                     "     parameters: {duration: PT1M, startupDelayMilliseconds: 5000}}\n", x, at, 1);
    ok(w != NULL, "add-delay past the timeout: runs");
    if (!w)
        return;
    is_near(tl_first_t(w, 0, "lambda", "fn", "error", "timeout"), 13.5, 1e-9, "times out at 10 + 0.5 init + 3 s");
    is_near(tl_first_t(w, 14, "lambda", "fn", "done", "ev-a"), 74.1, 1e-9,
            "6.4: the retry a minute later succeeds, cold again (the timed-out environment was discarded)");
    tly_done(w);
}

/* 12.6 AZ Availability: Power Interruption: the zone's group instances are replaced in the other zone, its fleet
   instance stops, launches there fail; after the 30 minute default the fleet instance starts again. */
static void test_az_power(void)
{
    world *w = tly_run("scenario: t\nduration: 1h\n"
                       "resources:\n"
                       "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "  web: {type: aws_autoscaling_group, launch_template: lt, min_size: 4, max_size: 4,\n"
                       "        availability_zones: [us-west-2a, us-west-2b], target_group_arns: [tg]}\n"
                       "  solo: {type: aws_instance, instance_type: c5.large, availability_zone: us-west-2a}\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 5}, service_time: 40ms}\n"
                       "faults:\n"
                       "  - {at: 5m, name: power, action: fleetsim:scenario:az-availability-power-interruption,\n"
                       "     parameters: {availabilityZoneIdentifier: us-west-2a}}\n",
                       1);
    ok(w != NULL, "AZ power: runs");
    if (!w)
        return;
    is_int(ended_at(w, 300), 2, "the group's two instances in us-west-2a go down at 5 min");
    ok(tl_first(w, 300, "fis", "power", NULL, "fleet instances stopped in us-west-2a: i-solo-0") != NULL,
       "12.6 Stop-Instances: the fleet instance in the zone stops");
    asg *g = tl_asg(w);
    int in_b = 0;
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        ec2_instance *i = asg_instance_ec2(g, k);
        in_b += i && ec2_running(i) && ec2_launched(i) > tl_s(300) && strcmp(ec2_az(i), "us-west-2b") == 0;
    }
    ok(in_b >= 2, "the replacements run in us-west-2b (%d)", in_b);
    is_near(tl_first_t(w, 300, "fis", "power", "completed", NULL), 2100, 1e-9, "12.6: over after 30 minutes");
    const world_instance_info *i = tl_info(w, "i-solo-0");
    ok(i && i->terminated == -1, "the fleet instance runs again at the end");
    ok(tl_first(w, 300, "fis", "power", NULL, "back to desired capacity") != NULL, "the group is back to desired");
    tly_done(w);
}

/* The MTBF law: 10 instances, 1 h each, 10 h: about 100 failures (Poisson: within 4 sigma = 40). */
static void test_mtbf(void)
{
    world *w = tly_run("scenario: t\nduration: 10h\n"
                       "resources:\n"
                       "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
                       "  tg: {type: aws_lb_target_group}\n"
                       "  lb: {type: aws_lb, default_target_group: tg}\n"
                       "  web: {type: aws_autoscaling_group, launch_template: lt, min_size: 10, max_size: 10, "
                       "target_group_arns: [tg]}\n"
                       "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 1}, service_time: 40ms}\n"
                       "faults:\n"
                       "  - {at: 0s, name: mtbf, action: fleetsim:ec2:instance-failures,\n"
                       "     targets: {resource_arns: [web]}, parameters: {meanTimeBetweenFailures: PT1H}}\n",
                       5);
    ok(w != NULL, "MTBF: runs");
    if (!w)
        return;
    int fails = tl_count(w, 0, 36000, "fis", "mtbf", "running", "fails");
    ok(fails >= 60 && fails <= 140, "%d failures, expected about 100", fails);
    tly_done(w);
}

/* fleetsim:dynamodb:throttle-requests (no FIS action, 12.5): every write is throttled in the window, so the
   Lambda's call fails and the chain retries (6.4); after the window the write goes through. */
static void test_ddb_throttle(void)
{
    shot x[1];
    static const double at[] = {10};
    char y[2048];
    snprintf(y, sizeof y,
             "scenario: t\nduration: 10m\nresources:\n"
             "  tbl: {type: aws_dynamodb_table, name: tbl, billing_mode: PAY_PER_REQUEST, hash_key: key,\n"
             "        attribute: [{name: key, type: S}]}\n"
             "  fn:\n    type: aws_lambda_function\n    memory_size: 1769\n"
             "    fleetsim: {init_duration: 500ms, calls: [{call: dynamodb:PutItem, table: tbl, key: k1}]}\n"
             "faults:\n"
             "  - {at: 5s, name: thr, action: fleetsim:dynamodb:throttle-requests,\n"
             "     targets: {resource_arns: [aws_dynamodb_table.tbl]}, parameters: {duration: PT1M}}\n");
    world *w = tly_build(y, 1);
    ok(w != NULL, "DynamoDB throttle: builds");
    if (!w)
        return;
    x[0] = (shot){.f = world_model(w, "aws_lambda_function", "fn"),
                  .ev = {.id = "ev-a", .source = "aws.events", .detail_type = "test"}};
    sim_at(world_sim(w), tl_s(at[0]), on_shot, &x[0], 0);
    tl_finish(w);
    ddb_table *t = world_model(w, "aws_dynamodb_table", "tbl");
    ddb_counts c = ddb_get_counts(t);
    ok(c.throttles >= 1, "the write in the window is throttled (%llu)", (unsigned long long)c.throttles);
    ok(tl_first(w, 0, "lambda", "fn", "error", "ev-a") != NULL && tl_first_t(w, 0, "lambda", "fn", "error", "ev-a") < 65,
       "the run fails on the throttled call, inside the window");
    ok(tl_first_t(w, 65, "lambda", "fn", "done", "ev-a") > 65, "the retry after the window succeeds");
    is_int((long long)c.writes, 1, "one write went through");
    tly_done(w);
}

/* fleetsim:events:disable-rule: a rate(5 minutes) rule disabled over [9 min, 19 min) drops the 10 and 15 minute
   fires, as a fleetsim.disabled window does. */
static void test_rule_disable(void)
{
    world *w = tly_run("scenario: t\nduration: 30m\nresources:\n"
                       "  every_5_min: {type: aws_cloudwatch_event_rule, schedule_expression: rate(5 minutes)}\n"
                       "  checker:\n    type: aws_lambda_function\n    fleetsim: {calls: [{compute: 200ms}]}\n"
                       "  run_checker: {type: aws_cloudwatch_event_target, rule: every_5_min, arn: checker}\n"
                       "faults:\n"
                       "  - {at: 9m, name: off, action: fleetsim:events:disable-rule,\n"
                       "     targets: {resource_arns: [every_5_min]}, parameters: {duration: PT10M}}\n",
                       1);
    ok(w != NULL, "rule disable: runs");
    if (!w)
        return;
    is_int(tl_count(w, 0, 1800, "events", "every_5_min", "dropped", NULL), 2, "the 10 and 15 min fires are dropped");
    is_int(tl_count(w, 540, 1140, "lambda", "checker", "done", NULL), 0, "no run while disabled");
    ok(tl_count(w, 1140, 1800, "lambda", "checker", "done", NULL) >= 2, "runs again from 20 min");
    tly_done(w);
}

/* The report's SLO recovery: CPU stress on an instance near saturation misses the p99 objective; the figure is
   the start of the first window meeting it again after the stress ends. */
static void test_slo_recovery(void)
{
    world *w = web(2, 40, "{dist: constant, value: 40ms}",
                   "  - {at: 5m, name: burn, action: aws:ssm:send-command/AWSFIS-Run-CPU-Stress,\n"
                   "     targets: {resource_arns: [web]}, fleetsim: {slowdown: 8},\n"
                   "     parameters: {duration: PT3M, documentParameters: {DurationSeconds: 180}}}\n", 1);
    ok(w != NULL, "SLO recovery: runs");
    if (!w)
        return;
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    double first_ok = -1;
    bool missed = false;
    for (size_t k = 0; k < n; k++) {
        if (win[k].start < tl_s(300))
            continue;
        if (win[k].p99 > 0.2 || win[k].errors[STATS_OK] == 0)  /* a window without a success meets nothing */
            missed = true;
        else if (missed && first_ok < 0)
            first_ok = tl_sec(win[k].start);
    }
    ok(missed, "the stress breaks the 200 ms objective");
    ok(first_ok >= 480, "the first window back under it starts at %.0f s, after the stress and its backlog", first_ok);
    const rows_field *f = row_field(w, "fault", "burn", "slo_recovery_s");
    ok(f && f->kind == ROWS_NUM && fabs(f->num - (first_ok - 300)) < 1e-9, "report: slo_recovery_s = %.0f s",
       f && f->kind == ROWS_NUM ? f->num : -1);
    f = row_field(w, "fault", "burn", "capacity_recovery_s");
    ok(f && f->kind == ROWS_NULL, "capacity_recovery_s null: no group instance was taken");
    tly_done(w);
}

/* 12.2: the Spot actions reach the group through its Spot interface (asg.h): a group with no Spot instance gives
   the interruption action no target (12.1: the experiment fails); the ICE action blocks the zones it names for its
   duration; a reclaim-wave law recurs until its duration ends. */
static void test_spot_actions(void)
{
    world *w = web(4, 5, "40ms",
                   "  - {at: 5m, name: spot, action: aws:ec2:send-spot-instance-interruptions,\n"
                   "     targets: {resource_tags: {aws:autoscaling:groupName: web}}, parameters: {durationBeforeInterruption: PT3M}}\n"
                   "  - {at: 6m, name: ice, action: aws:ec2:asg-insufficient-instance-capacity-error,\n"
                   "     targets: {resource_arns: [web]},\n"
                   "     parameters: {duration: PT10M, availabilityZoneIdentifiers: \"us-west-2a, us-west-2b\"}}\n"
                   "  - {at: 7m, name: wave, action: fleetsim:ec2:spot-reclaim-wave, targets: {resource_arns: [web]},\n"
                   "     parameters: {percentage: 50, meanTimeBetweenWaves: PT1M, duration: PT10M}}\n", 1);
    ok(w != NULL, "Spot actions: run");
    if (!w)
        return;
    ok(tl_first(w, 300, "fis", "spot", "failed", "no targets found") != NULL,
       "an On-Demand group has no aws:ec2:spot-instance target: the experiment fails");
    ok(tl_first(w, 360, "fis", "ice", NULL, "100% of launches into 2 zone(s) get InsufficientInstanceCapacity") != NULL,
       "ICE on both zones, at the default percentage 100");
    is_near(tl_first_t(w, 360, "fis", "ice", "completed", NULL), 960, 1e-9, "for its 10 minutes");
    int waves = tl_count(w, 420, 1800, "fis", "wave", NULL, "a reclaim wave takes");
    ok(waves >= 4 && waves <= 20, "about one wave a minute for 10 minutes (%d)", waves);
    is_int(tl_count(w, 1020, 1800, "fis", "wave", NULL, "a reclaim wave takes"), 0, "none after its duration");
    tly_done(w);
}

/* A group of four all-Spot c5.large over two zones (docs/spot.md), with the faults text. */
static world *spot_web(const char *faults, uint64_t seed)
{
    char y[4096];
    snprintf(y, sizeof y,
             "scenario: t\nduration: 30m\n"
             "resources:\n"
             "  lt: {type: aws_launch_template, instance_type: c5.large}\n"
             "  tg: {type: aws_lb_target_group}\n"
             "  lb: {type: aws_lb, default_target_group: tg}\n"
             "  web:\n"
             "    type: aws_autoscaling_group\n"
             "    min_size: 4\n    max_size: 4\n"
             "    availability_zones: [us-west-2a, us-west-2b]\n    target_group_arns: [tg]\n"
             "    mixed_instances_policy:\n"
             "      instances_distribution: {on_demand_percentage_above_base_capacity: 0}\n"
             "      launch_template:\n"
             "        launch_template_specification: {launch_template_name: lt}\n"
             "    fleetsim:\n      spot: {interruption_band: \"<5%%\"}\n"
             "workload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\n"
             "faults:\n%s",
             faults);
    return tly_run(y, seed);
}

/* 12.2 send-spot-instance-interruptions: the rebalance recommendation at once, the notice at d - 2 min, the reclaim
   at d (d = durationBeforeInterruption = 5 min). */
static void test_spot_interrupt(void)
{
    world *w = spot_web("  - {at: 5m, name: spot, action: aws:ec2:send-spot-instance-interruptions,\n"
                        "     targets: {resource_tags: {aws:autoscaling:groupName: web}, selection_mode: COUNT(1)},\n"
                        "     parameters: {durationBeforeInterruption: PT5M}}\n", 1);
    ok(w != NULL, "Spot interruption: runs");
    if (!w)
        return;
    ok(strstr(started_msg(w, "spot"), "on 1 of 4 target(s) (COUNT(1))") != NULL, "one of the four Spot instances: %s",
       started_msg(w, "spot"));
    const events_entry *e = tl_first(w, 300, "spot", NULL, "rebalance", NULL);
    ok(e && e->t == tl_s(300), "12.2: the rebalance recommendation at once");
    char id[64];
    snprintf(id, sizeof id, "%s", e ? e->resource : "");
    is_near(tl_first_t(w, 300, "spot", id, "notice", NULL), 480, 1e-9, "the notice 2 minutes before the reclaim");
    is_near(tl_first_t(w, 300, "spot", id, "reclaimed", NULL), 600, 1e-9, "the reclaim at 5 min");
    is_int(ended_at(w, 600), 1, "one instance leaves at the reclaim");
    ok(tl_first(w, 600, "fis", "spot", NULL, "back to desired capacity") != NULL,
       "capacity recovery is measured from the reclaim on");
    tly_done(w);
}

/* A reclaim wave of 50% of the group's Spot pools: half of the running Spot instances get the notice together and
   are reclaimed 2 minutes later. */
static void test_reclaim_wave(void)
{
    world *w = spot_web("  - {at: 5m, name: wave, action: fleetsim:ec2:spot-reclaim-wave, targets: {resource_arns: [web]},\n"
                        "     parameters: {percentage: 50}}\n", 1);
    ok(w != NULL, "reclaim wave: runs");
    if (!w)
        return;
    ok(tl_first(w, 300, "fis", "wave", NULL, "a reclaim wave takes 2 Spot instance(s)") != NULL, "two of four");
    is_int(tl_count(w, 300, 301, "spot", NULL, "notice", NULL), 2, "both get the notice at once");
    is_int(ended_at(w, 420), 2, "and are reclaimed 2 minutes later");
    tly_done(w);
}

/* 12.2 asg-insufficient-instance-capacity-error: while it lasts, the group cannot replace an instance in the zones
   it names (every pool refuses); the replacement comes once the window ends. */
static void test_asg_ice(void)
{
    world *w = spot_web("  - {at: 5m, name: ice, action: aws:ec2:asg-insufficient-instance-capacity-error,\n"
                        "     targets: {resource_arns: [web]},\n"
                        "     parameters: {duration: PT10M, availabilityZoneIdentifiers: \"us-west-2a,us-west-2b\"}}\n"
                        "  - {at: 6m, name: kill, action: aws:ec2:terminate-instances,\n"
                        "     targets: {resource_arns: [web], selection_mode: COUNT(1)}}\n", 1);
    ok(w != NULL, "ICE: runs");
    if (!w)
        return;
    is_int(ended_at(w, 360), 1, "one instance goes at 6 min");
    is_int(tl_count(w, 360, 900, "instance", NULL, "InService", NULL), 0, "no replacement while capacity is refused");
    double back = tl_first_t(w, 900, "instance", NULL, "InService", NULL);
    ok(back >= 900 && back < 1000, "the replacement is InService after the window (%.0f s)", back);
    const rows_field *f = row_field(w, "fault", "kill", "capacity_recovery_s");
    ok(f && f->kind == ROWS_NUM && f->num >= 540, "kill's capacity recovery includes the ICE window (%.0f s)",
       f && f->kind == ROWS_NUM ? f->num : -1);
    tly_done(w);
}

/* docs/faults.md's example runs as written and does what the page says. */
static void test_doc_example(void)
{
    char *y = tly_doc_yaml("faults.md", 0);
    ok(y != NULL, "docs/faults.md has its example");
    world *w = y ? tly_run(y, 1) : NULL;
    free(y);
    ok(w != NULL, "the example runs");
    if (!w)
        return;
    ok(strstr(started_msg(w, "kill-two"), "aws:ec2:terminate-instances on 2 of 4 target(s) (COUNT(2))") != NULL,
       "kill-two takes 2 of the 4");
    ok(strstr(started_msg(w, "stress"), "AWSFIS-Run-CPU-Stress on 2 of 2 target(s) (ALL)") != NULL,
       "the zone filter keeps the 2 in us-west-2a: %s", started_msg(w, "stress"));
    const rows_field *f = row_field(w, "fault", "kill-two", "capacity_recovery_s");
    ok(f && f->kind == ROWS_NUM && f->num > 0, "the report has kill-two's capacity recovery (%.0f s)", f ? f->num : -1);
    tly_done(w);
}

/* FIS writes durations in ISO 8601 (aws-semantics 12: PT1M = 1 minute); fleetsim's own form is accepted too. */
static void test_durations(void)
{
    static const struct { const char *text; double s; } good[] = {
        {"PT10M", 600}, {"PT1H30M", 5400}, {"PT90S", 90}, {"PT1.5S", 1.5}, {"P1D", 86400}, {"P1DT2H", 93600},
        {"PT2M", 120}, {"PT15M", 900}, {"10m", 600}, {"90m", 5400},
    };
    static const char *const bad[] = {"P", "PT", "PT10", "PT10X", "PT1.5M", "PT10S5M", "PT1H1H", "P1H", "PTM", "10", "P1D1D"};
    char why[96];
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        sim_time_t t = -1;
        const char *e = fis_parse_duration(good[k].text, &t, why, sizeof why);
        ok(!e && t == sim_from_sec(good[k].s), "%s = %g s (%s)", good[k].text, good[k].s, e ? e : "ok");
    }
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        sim_time_t t = -1;
        ok(fis_parse_duration(bad[k], &t, why, sizeof why) != NULL, "'%s' is refused (%s)", bad[k], why);
    }
}

int main(void)
{
    test_durations();
    test_terminate_count();
    test_selection();
    test_tags();
    test_stop_start();
    test_stop_start_burstable();
    test_stop_group();
    test_cpu_stress();
    test_latency();
    test_reboot();
    test_lambda_error();
    test_lambda_prevent();
    test_lambda_delay();
    test_az_power();
    test_mtbf();
    test_ddb_throttle();
    test_rule_disable();
    test_slo_recovery();
    test_spot_actions();
    test_spot_interrupt();
    test_reclaim_wave();
    test_asg_ice();
    test_doc_example();
    return tap_done();
}
