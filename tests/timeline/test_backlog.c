/*
 * test_backlog.c - an instance's accept backlog as a scenario key
 * (`accept_backlog` on aws_instance, aws_launch_template and
 * aws_launch_configuration; default 511, nginx's listen backlog): an
 * overloaded instance holds at most that many waiting requests, the next
 * connection is refused and the ALB answers 502 (aws-semantics 4.4).
 *
 * One c5.large (2 vCPUs, speed 1.0) at 40 ms serves 50 req/s; 150 req/s
 * arrive, so the queue grows by 100 a second: a backlog of B fills at about
 * B/100 s, after which the excess is refused.
 */
#include "tly.h"

static const char *yaml(char *buf, size_t n, const char *backlog_line)
{
    snprintf(buf, n,
             "scenario: b\nduration: 20s\nresources:\n"
             "  tg: {type: aws_lb_target_group, port: 80, protocol: HTTP}\n"
             "  lb: {type: aws_lb, load_balancer_type: application, default_target_group: tg}\n"
             "  web:\n    type: aws_instance\n    instance_type: c5.large\n%s"
             "  att: {type: aws_lb_target_group_attachment, target_group_arn: tg, target_id: web}\n"
             "workload:\n  - name: w\n    target: lb\n    arrivals: {kind: poisson, rps: 150}\n"
             "    service_time: {dist: constant, value: 40ms}\n    timeout: 60s\n"
             "report: {window: 1s, warmup: 0s}\n",
             backlog_line);
    return buf;
}

/* The first window (s) with a refused request (502), or -1. */
static double first_refusal(const world *w)
{
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    for (size_t k = 0; k < n; k++)
        if (win[k].errors[STATS_502_RESET] > 0)
            return (double)k;
    return -1;
}

static uint64_t refused(const world *w)
{
    size_t n = 0;
    uint64_t r = 0;
    const stats_window *win = world_windows(w, &n);
    for (size_t k = 0; k < n; k++)
        r += win[k].errors[STATS_502_RESET];
    return r;
}

int main(void)
{
    char buf[2048];
    world *small = tly_run(yaml(buf, sizeof buf, "    accept_backlog: 20\n"), 1);
    world *dflt = tly_run(yaml(buf, sizeof buf, ""), 1);
    ok(small && dflt, "both runs build and run");
    if (small && dflt) {
        double f20 = first_refusal(small), f511 = first_refusal(dflt);
        ok(f20 >= 0 && f20 <= 1, "backlog 20: the first refusal comes in the first second (%.0f s; 20 / 100 per s)", f20);
        ok(f511 >= 4 && f511 <= 6, "backlog 511 (the default): the first refusal comes after about 5 s (%.0f s)", f511);
        /* The smaller backlog refuses about 491 more over the run (the queue slots it lacks). */
        long long diff = (long long)refused(small) - (long long)refused(dflt);
        ok(diff > 400 && diff < 600, "backlog 20 refuses %lld more than 511 (about 491)", diff);
    }
    tly_done(small);
    tly_done(dflt);
    char *err = tly_errors(yaml(buf, sizeof buf, "    accept_backlog: 0\n"));
    ok(err && strstr(err, "accept_backlog"), "accept_backlog 0 is refused at load (1 .. 1000000)");
    free(err);
    return tap_done();
}
