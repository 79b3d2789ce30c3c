/*
 * test_group.c - the Auto Scaling group's own behaviour as timelines:
 * termination policies, scale-in protection, billing, deregistration and
 * draining, health replacement, ALB health and fail-open, instance refresh,
 * AZ outage and rebalancing, activity causes (aws-semantics 1.2-1.6, 4.2,
 * 4.3, 5.1, 11.1, 11.5-11.8, 11.11, 11.15).
 *
 * Boot (tl.h): launch -> running 6 s (EC2 pending, not billed) -> InService
 * 36 s. Instances are named i-web-<launch order>; the t = 0 fleet is placed
 * by AZ balancing in list order.
 */
#include "tl.h"
#include "stats/stats.h"

static void done(world *w, tl *t)
{
    if (w && (tl_verbose() || tap_failed))
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
}

/* The instance a "Terminating" entry at exactly at_s names, or "" (first one). */
static const char *victim_at(const world *w, double at_s)
{
    const events_entry *x = tl_first(w, at_s, "instance", NULL, "Terminating", NULL);
    return x && x->t == tl_s(at_s) ? x->resource : "";
}

/* Index in the log of the first entry matching, -1 if none. */
static long ev_index(const world *w, const char *type, const char *res, const char *to)
{
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, type) == 0 && (!res || strcmp(x->resource, res) == 0) && (!to || strcmp(x->to, to) == 0))
            return (long)i;
    }
    return -1;
}

/*
 * 1.4, 11.1: the termination policy. Two zones; t = 0: i-web-0 (a), i-web-1
 * (b); scale-outs at 600 / 1200 / 1800 s put i-web-2 in a, i-web-3 in b,
 * i-web-4 in a (fewest instances first, ties in list order, 1.5). Scale-in at
 * 4750 s: zone a holds 3 and goes first whatever the policy. Running since
 * 0 / 606 / 1806 s, the instances of a are 1150 / 544 / 2944 s into their
 * billing hour, i-web-3 (zone b) 3544 s: the closest of all to its next
 * hour, but not in the zone that must shrink.
 */
static void t_termination(void)
{
    static const struct {
        const char *name;
        int policy;
        const char *victim;
        const char *why;
    } cases[] = {
        {"term_default", SCN_TP_DEFAULT, "i-web-4",
         "Default: AZ balance first (zone a), then closest to the next billing hour within a (i-web-4, not i-web-3 of zone b)"},
        {"term_oldest", SCN_TP_OLDEST_INSTANCE, "i-web-0", "OldestInstance within the fullest zone a: i-web-0"},
        {"term_newest", SCN_TP_NEWEST_INSTANCE, "i-web-4", "NewestInstance within the fullest zone a: i-web-4"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        tl *t = tl_new(5000, 5);
        t->asg.n_availability_zones = 2;
        t->asg.termination_policies[0] = cases[c].policy;
        if (cases[c].policy != SCN_TP_DEFAULT) {
            t->asg.termination_policies[1] = SCN_TP_DEFAULT; /* Default must be last (1.4) */
            t->asg.n_termination_policies = 2;
        }
        tl_schedule(t, "to3", -1, -1, 3, 600, -1, "");
        tl_schedule(t, "to4", -1, -1, 4, 1200, -1, "");
        tl_schedule(t, "to5", -1, -1, 5, 1800, -1, "");
        tl_schedule(t, "back4", -1, -1, 4, 4750, -1, "");
        world *w = tl_run(t, 1);
        ok(w != NULL, "%s: runs", cases[c].name);
        if (!w) {
            done(w, t);
            return;
        }
        asg *g = tl_asg(w);
        ok(asg_n_instances(g) == 5 && strcmp(tl_zone(w, 2), "us-west-2a") == 0 && strcmp(tl_zone(w, 3), "us-west-2b") == 0 &&
               strcmp(tl_zone(w, 4), "us-west-2a") == 0,
           "%s: launches go to the zone with the fewest instances (a, b, a) (1.5)", cases[c].name);
        is_str(victim_at(w, 4750), cases[c].victim, "%s: %s", cases[c].name, cases[c].why);
        is_int(tl_count(w, 4750, 1e9, "instance", NULL, "Terminating", NULL), 1, "%s: one instance goes", cases[c].name);
        done(w, t);
    }
}

/*
 * 1.4: scale-in protection. Every instance is protected from InService on;
 * a scheduled action lowers desired 4 -> 2 at 600 s: desired drops, no
 * instance goes; when two are unprotected (900 s) they go.
 */
static void t_protection(void)
{
    tl *t = tl_new(1200, 5);
    tl_group(t, 1, 10, 4);
    t->asg.protect_from_scale_in = 1;
    tl_schedule(t, "down", -1, -1, 2, 600, -1, "");
    world *w = tl_build(t, 1);
    ok(w != NULL, "protection: builds");
    if (!w) {
        done(w, t);
        return;
    }
    tl_until(w, 899);
    asg *g = tl_asg(w);
    /* unprotected at 899 s */
    is_int(asg_desired(g), 2, "protection: desired is still decremented 4 -> 2");
    is_int(asg_in_service(g), 4, "protection: all 4 protected instances stay InService");
    ok(tl_first(w, 600, "scaling", "web", NULL, "protected from scale-in") != NULL, "protection: the held scale-in is logged");
    asg_set_protected(g, 0, false);
    asg_set_protected(g, 1, false);
    tl_until(w, 901);
    is_int(asg_capacity(g), 2, "protection: once unprotected, two instances go (capacity 2)");
    ok(tl_finish(w) == 0, "protection: finishes");
    is_int(tl_count(w, 0, 899, "instance", NULL, "Terminating", NULL), 0, "protection: nothing terminated before they are unprotected (899 s)");
    done(w, t);
}

/*
 * 5.1, 11.15, 1.1: billing. A launch at 600 s is EC2-pending (not billed)
 * until 606 s, then billed per second while running (Pending + InService +
 * draining) until it terminates; 60 s minimum; an instance cancelled before
 * it left EC2 pending is never billed. NewestInstance picks the new one.
 * 4.3: with nothing in flight a deregistered target drains at once.
 */
static void t_billing(void)
{
    static const double down_at[3] = {2400, 620, 603};
    static const char *const names[3] = {"billing_per_second", "billing_60s_minimum", "billing_pending_free"};
    const double usd_s = 0.085 / 3600;
    for (int v = 0; v < 3; v++) {
        tl *t = tl_new(3000, 5);
        t->asg.termination_policies[0] = SCN_TP_NEWEST_INSTANCE;
        t->asg.termination_policies[1] = SCN_TP_DEFAULT;
        t->asg.n_termination_policies = 2;
        tl_schedule(t, "up", -1, -1, 3, 600, -1, "");
        tl_schedule(t, "down", -1, -1, 2, down_at[v], -1, "");
        world *w = tl_run(t, 1);
        ok(w != NULL, "%s: runs", names[v]);
        if (!w) {
            done(w, t);
            return;
        }
        is_str(victim_at(w, down_at[v]), "i-web-2", "%s: the new instance is the one scaled in", names[v]);
        double term = tl_first_t(w, down_at[v], "instance", "i-web-2", "Terminated", NULL);
        const world_instance_info *f = tl_info(w, "i-web-2");
        if (v == 0) {
            ok(term >= down_at[v] && term <= down_at[v] + 1, "%s: drained at once (nothing in flight, 4.3): terminated %.3f s",
               names[v], term);
            ok(f && f->running == tl_s(606), "%s: billing starts when it enters running (606 s), not at the launch (600 s)",
               names[v]);
            ok(f && f->launched == tl_s(600), "%s: the row's launch is the launch request (600 s)", names[v]);
            is_near(f ? f->cost_usd : -1, (term - 606) * usd_s, 1e-9, "%s: cost = (%.3f - 606) s x 0.085 USD/h", names[v], term);
        } else if (v == 1) {
            is_near(term, 620, 1e-6, "%s: cancelled while Pending at 620 s", names[v]);
            is_near(f ? f->cost_usd : -1, 60 * usd_s, 1e-12, "%s: 14 s running billed as the 60 s minimum", names[v]);
        } else {
            is_near(term, 603, 1e-6, "%s: cancelled at 603 s, before leaving EC2 pending", names[v]);
            ok(!f || f->cost_usd == 0, "%s: never billed (pending is free)", names[v]);
        }
        done(w, t);
    }
}

/*
 * 1.2, 1.6, 4.3, 11.11: deregistration before termination, draining up to
 * deregistration_delay (30 s), 502 for requests still in flight at expiry,
 * cooldown from the end of draining. Requests take 100 s (idle timeout
 * 4000 s), so every instance always holds some. A simple policy (-1,
 * cooldown 120 s) on "InService >= 2": 3 -> 2 at 120 s; the victim drains
 * until 150 s; the cooldown runs from 150 s to 270 s, so the next action is
 * at 300 s (it would be 240 s if counted from the scale-in decision).
 */
static void t_draining(void)
{
    tl *t = tl_new(480, 0.1);
    tl_group(t, 1, 10, 3);
    t->wl.service_time = tl_const(100);
    t->lb.idle_timeout = tl_s(4000);
    t->tg.deregistration_delay = tl_s(30);
    int p = tl_simple(t, "minus1", SCN_ADJ_CHANGE_IN_CAPACITY, -1, 120);
    int a = tl_alarm(t, "ge2", SCN_M_ASG_IN_SERVICE, SCN_STAT_MAXIMUM, 60, 1, 1, 2, SCN_CMP_GE, SCN_MISSING_MISSING);
    tl_alarm_action(t, a, SCN_ACT_POLICY, p);
    world *w = tl_run(t, 3);
    ok(w != NULL, "draining: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const char *v = victim_at(w, 120);
    char victim[64];
    snprintf(victim, sizeof victim, "%s", v);
    ok(victim[0] != '\0', "draining: an instance starts Terminating at 120 s (%s)", victim);
    is_near(tl_first_t(w, 120, "instance", victim, "Terminated", NULL), 150, 1e-6,
            "draining: terminated at 150 s = 120 s + deregistration_delay 30 s (requests were in flight)");
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    uint64_t before = 0, at = 0;
    for (size_t k = 0; k < nw; k++) {
        if (win[k].start < tl_s(120))
            before += win[k].errors[STATS_502_RESET];
        else if (win[k].start == tl_s(120))
            at += win[k].errors[STATS_502_RESET];
    }
    is_int(before, 0, "draining: no 502 before the scale-in");
    ok(at > 0, "draining: %llu requests still in flight at the delay's expiry answered 502 (4.3)", (unsigned long long)at);
    const events_entry *c1 = tl_change(w, 1);
    ok(c1 && c1->t == tl_s(300) && strcmp(c1->to, "1") == 0,
       "draining: the next simple action at 300 s (cooldown 120 s from the end of draining, 150 s), got %.0f s",
       c1 ? tl_sec(c1->t) : -1);
    done(w, t);
}

/*
 * 1.3, 11.5, 11.8: an instance that leaves running is unhealthy at once, even
 * inside the grace period (300 s here), and replaced at once: terminate
 * first, then launch (two activities).
 */
static void t_crash_in_grace(void)
{
    tl *t = tl_new(600, 5);
    t->asg.health_check_grace_period = tl_s(300);
    tl_fault(t, SCN_FAULT_INSTANCE_CRASH, 120)->count = 1;
    world *w = tl_run(t, 1);
    ok(w != NULL, "crash_in_grace: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *h = tl_first(w, 0, "health", NULL, "Unhealthy", NULL);
    ok(h && h->t == tl_s(120), "crash_in_grace: Unhealthy at the crash (120 s), inside the 300 s grace period");
    char crashed[64];
    snprintf(crashed, sizeof crashed, "%s", h ? h->resource : "");
    long term = ev_index(w, "instance", crashed, "Terminating");
    long launch = ev_index(w, "instance", "i-web-2", "Pending");
    ok(term >= 0 && launch > term, "crash_in_grace: Terminating %s is logged before the replacement's launch", crashed);
    const events_entry *ta = tl_first(w, 0, "instance", crashed, "Terminating", NULL);
    ok(ta && strstr(ta->message, "EC2 health check found the instance not running (instance_crash)"),
       "crash_in_grace: the termination's cause names the EC2 check and the crash: %s", ta ? ta->message : "(none)");
    is_near(tl_first_t(w, 0, "instance", "i-web-2", "Pending", NULL), 120, 0, "crash_in_grace: replacement launched at once (120 s)");
    is_near(tl_first_t(w, 0, "instance", "i-web-2", "InService", NULL), 156, 0, "crash_in_grace: InService at 156 s");
    is_int(tl_changes(w, 0, 1e9), 0, "crash_in_grace: desired unchanged (a replacement, not a scaling)");
    done(w, t);
}

/*
 * 1.3, 11.6: an ELB-unhealthy instance (app_unhealthy at 60 s, for good) with
 * health_check_type ELB and a 300 s grace period: the target group marks it
 * unhealthy within 2 failed checks (~60-90 s) but the group replaces it only
 * after the grace period, on its next sweep (60 s): in [300, 360] s.
 */
static void t_elb_after_grace(void)
{
    tl *t = tl_new(900, 5);
    t->asg.health_check_type = SCN_HC_ELB;
    t->asg.health_check_grace_period = tl_s(300);
    tl_fault(t, SCN_FAULT_APP_UNHEALTHY, 60)->count = 1;
    world *w = tl_run(t, 1);
    ok(w != NULL, "elb_after_grace: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *h = tl_first(w, 0, "health", NULL, "Unhealthy", NULL);
    ok(h && h->t >= tl_s(300) && h->t <= tl_s(360), "elb_after_grace: marked Unhealthy at %.0f s, after the grace period, by the next sweep",
       h ? tl_sec(h->t) : -1);
    ok(h && strstr(h->message, "load balancer"), "elb_after_grace: the cause is the ELB health check");
    char bad[64];
    snprintf(bad, sizeof bad, "%s", h ? h->resource : "");
    long term = ev_index(w, "instance", bad, "Terminating");
    long launch = ev_index(w, "instance", "i-web-2", "Pending");
    ok(term >= 0 && launch > term, "elb_after_grace: terminate, then launch the replacement");
    const events_entry *ta = tl_first(w, 0, "instance", bad, "Terminating", NULL);
    ok(ta && strstr(ta->message, "an ELB health check found the instance unhealthy") && !strstr(ta->message, "EC2 health check"),
       "elb_after_grace: the termination's cause is the ELB check, not EC2's: %s", ta ? ta->message : "(none)");
    done(w, t);
}

/*
 * 1.3, 4.2, 11.6: with health_check_type EC2 the group ignores the ELB result:
 * the app-unhealthy instance keeps running, and the ALB stops routing to it
 * (healthy targets remain).
 */
static void t_elb_ignored_ec2_type(void)
{
    tl *t = tl_new(900, 10);   /* 3 instances at 17 % CPU; 25 % on the 2 healthy ones */
    tl_group(t, 1, 10, 3);
    tl_fault(t, SCN_FAULT_APP_UNHEALTHY, 60)->count = 1;
    world *w = tl_build(t, 1);
    ok(w != NULL, "elb_ignored_ec2_type: builds");
    if (!w) {
        done(w, t);
        return;
    }
    tl_until(w, 300);
    const events_entry *f = tl_first(w, 60, "fault", NULL, NULL, "app_unhealthy");
    int k = f ? tl_inst_index(w, f->resource) : -1;
    ec2_instance *e = k >= 0 ? asg_instance_ec2(tl_asg(w), (size_t)k) : NULL;
    uint64_t s300 = e ? ec2_served(e) : 0;
    tl_until(w, 900);
    uint64_t s900 = e ? ec2_served(e) : 1;
    ok(e && s900 == s300, "elb_ignored_ec2_type: no request reaches it between 300 and 900 s (served %llu -> %llu)",
       (unsigned long long)s300, (unsigned long long)s900);
    ok(tl_finish(w) == 0, "elb_ignored_ec2_type: finishes");
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    uint64_t t500 = 0, okc = 0;
    for (size_t i = 0; i < nw; i++)
        if (win[i].start >= tl_s(300)) {
            t500 += win[i].errors[STATS_500_TARGET];
            okc += win[i].errors[STATS_OK];
        }
    ok(t500 == 0 && okc > 0, "elb_ignored_ec2_type: after 300 s no request is answered 500 by it (%llu), the others serve %llu",
       (unsigned long long)t500, (unsigned long long)okc);
    is_int(tl_count(w, 0, 1e9, "health", NULL, NULL, NULL), 0, "elb_ignored_ec2_type: the group never marks it unhealthy");
    is_int(tl_count(w, 0, 1e9, "instance", NULL, "Terminating", NULL), 0, "elb_ignored_ec2_type: nothing is terminated");
    done(w, t);
}

/*
 * 1.3, 11.6: replacement of ELB-unhealthy instances is throttled to 10 % of
 * desired (1 of 10) at a time: the next is marked only once the previous
 * replacement is InService (and has passed its first health check).
 */
static void t_elb_throttle(void)
{
    tl *t = tl_new(1800, 20);
    tl_group(t, 1, 20, 10);
    t->asg.health_check_type = SCN_HC_ELB;
    tl_fault(t, SCN_FAULT_APP_UNHEALTHY, 60)->count = 3;
    world *w = tl_run(t, 1);
    ok(w != NULL, "elb_throttle: runs");
    if (!w) {
        done(w, t);
        return;
    }
    double ts[3] = {-1, -1, -1};
    int n = 0;
    size_t ne = tl_nev(w);
    for (size_t i = 0; i < ne && n < 4; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, "health") == 0 && strcmp(x->to, "Unhealthy") == 0) {
            if (n < 3)
                ts[n] = tl_sec(x->t);
            n++;
        }
    }
    is_int(n, 3, "elb_throttle: all three unhealthy instances are replaced eventually");
    int one_at_a_time = n == 3;
    for (int k = 0; k + 1 < 3 && one_at_a_time; k++) {
        /* the replacement launched for the k-th must be InService before the (k+1)-th is marked */
        double in_svc = -1;
        char id[32];
        snprintf(id, sizeof id, "i-web-%d", 10 + k);
        in_svc = tl_first_t(w, 0, "instance", id, "InService", NULL);
        one_at_a_time = in_svc > 0 && ts[k + 1] >= in_svc && ts[k + 1] >= ts[k] + 36;
    }
    ok(one_at_a_time, "elb_throttle: one at a time (marked at %.0f, %.0f, %.0f s), each after the previous replacement is InService",
       ts[0], ts[1], ts[2]);
    done(w, t);
}

/*
 * 1.3, 4.2, 11.6, 11.7: every instance ELB-unhealthy: the group does not wipe
 * itself out, and the ALB fails open (routes to all of them: the targets
 * answer, 500 here, rather than the ALB answering 503).
 */
static void t_all_unhealthy(void)
{
    tl *t = tl_new(900, 20);
    t->asg.health_check_type = SCN_HC_ELB;
    tl_fault(t, SCN_FAULT_APP_UNHEALTHY, 60)->count = 2;
    world *w = tl_run(t, 1);
    ok(w != NULL, "all_unhealthy: runs");
    if (!w) {
        done(w, t);
        return;
    }
    is_int(tl_count(w, 0, 1e9, "instance", NULL, "Terminating", NULL), 0, "all_unhealthy: no instance is terminated");
    ok(tl_first(w, 0, "health", "web", NULL, "replacement held") != NULL, "all_unhealthy: the held replacement is logged");
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    uint64_t arr = 0, t500 = 0, e503 = 0;
    for (size_t k = 0; k < nw; k++)
        if (win[k].start >= tl_s(300)) {
            arr += win[k].arrivals;
            t500 += win[k].errors[STATS_500_TARGET];
            e503 += win[k].errors[STATS_503_NO_TARGET];
        }
    is_int(e503, 0, "all_unhealthy: no 503 (targets are registered)");
    ok(arr > 0 && t500 >= arr * 95 / 100, "all_unhealthy: fail-open: the targets still get the traffic (%llu of %llu answered by them)",
       (unsigned long long)t500, (unsigned long long)arr);
    done(w, t);
}

/*
 * 4.2, 11.7, 5.4: a new target gets traffic only after its first passing
 * health check: one check, not healthy_threshold (5) of them: within one
 * interval (30 s) + timeout of InService, never at once.
 */
static void t_first_check(void)
{
    tl *t = tl_new(800, 20);   /* 50 % CPU on 2 instances: both healthy */
    tl_schedule(t, "up", -1, -1, 3, 600, -1, "");
    world *w = tl_build(t, 1);
    ok(w != NULL, "first_check: builds");
    if (!w) {
        done(w, t);
        return;
    }
    tl_until(w, 636);
    asg *g = tl_asg(w);
    ec2_instance *e = asg_n_instances(g) > 2 ? asg_instance_ec2(g, 2) : NULL;
    ok(e && strcmp(asg_instance_state(g, 2), "InService") == 0, "first_check: i-web-2 InService at 636 s");
    double first = -1;
    for (double s = 636.25; s <= 760 && e; s += 0.25) {
        tl_until(w, s);
        if (ec2_served(e) > 0) {
            first = s;
            break;
        }
    }
    ok(first > 636.25, "first_check: no traffic right after InService (first served by %.2f s)", first);
    ok(first > 0 && first <= 636 + 30 + 5 + 0.5, "first_check: traffic within one check interval (by %.2f s, not 5 x 30 s)", first);
    ok(tl_finish(w) == 0, "first_check: finishes");
    done(w, t);
}

/*
 * 1.6: instance refresh onto a new template (c5.xlarge) with
 * min_healthy_percentage 75 on 4 instances: replaces 1 at a time, InService
 * never below 3; instance warmup unset and no DefaultInstanceWarmup: the
 * fallback is the health check grace period (120 s), so each next batch
 * starts >= 36 + 120 s after the previous one.
 */
static void t_refresh(void)
{
    tl *t = tl_new(2400, 10);
    tl_group(t, 1, 10, 4);
    t->asg.health_check_grace_period = tl_s(120);
    t->lt[1].itype = 1;
    scn_fault *f = tl_fault(t, SCN_OP_INSTANCE_REFRESH, 300);
    f->launch_template = 1;
    f->min_healthy_percentage = 75;
    f->instance_warmup = -1;
    world *w = tl_run(t, 1);
    ok(w != NULL, "refresh: runs");
    if (!w) {
        done(w, t);
        return;
    }
    ok(tl_first(w, 300, "scaling", "web", NULL, "instance warmup 120 s") != NULL,
       "refresh: warmup falls back to the grace period (120 s)");
    ok(tl_first(w, 300, "scaling", "web", NULL, "instance refresh successful") != NULL, "refresh: completes");
    asg_counts cnt = asg_get_counts(tl_asg(w));
    is_int(cnt.min_in_service, 3, "refresh: InService never below ceil(75%% x 4) = 3");
    double prev = -1;
    int spaced = 1, n = 0;
    size_t ne = tl_nev(w);
    for (size_t i = 0; i < ne; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, "instance") == 0 && strcmp(x->to, "Terminating") == 0) {
            if (prev >= 0 && tl_sec(x->t) < prev + 36 + 120)
                spaced = 0;
            prev = tl_sec(x->t);
            n++;
        }
    }
    is_int(n, 4, "refresh: the 4 old instances are replaced");
    ok(spaced, "refresh: one at a time, each >= launch (36 s) + warmup (120 s) after the previous");
    size_t ni;
    const world_instance_info *fi = world_instances(w, &ni);
    int xl = 0;
    for (size_t k = 0; k < ni; k++)
        xl += fi[k].terminated < 0 && strcmp(fi[k].itype, "c5.xlarge") == 0;
    is_int(xl, 4, "refresh: the 4 running at the end are on the new template's type");
    done(w, t);
}

/*
 * 1.5, 11.8: an AZ outage (us-west-2b, 600 to 1800 s): its instance is
 * replaced in another zone (launches into b fail); after recovery the group
 * rebalances by launching into b first, then terminating from a full zone.
 */
static void t_az_outage(void)
{
    tl *t = tl_new(2400, 5);
    tl_group(t, 1, 10, 3);
    scn_fault *f = tl_fault(t, SCN_FAULT_AZ_OUTAGE, 600);
    f->duration = tl_s(1200);
    snprintf(f->zone, sizeof f->zone, "us-west-2b");
    f->asg = -1;
    world *w = tl_run(t, 1);
    ok(w != NULL, "az_outage: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *h = tl_first(w, 600, "health", NULL, "Unhealthy", NULL);
    ok(h && h->t == tl_s(600) && strcmp(h->resource, "i-web-1") == 0, "az_outage: the zone-b instance i-web-1 is unhealthy at 600 s");
    ok(strcmp(tl_zone(w, 3), "us-west-2b") != 0 && tl_zone(w, 3)[0],
       "az_outage: its replacement i-web-3 goes to another zone (%s)", tl_zone(w, 3));
    ok(tl_first(w, 600, "scaling", "web", NULL, "us-west-2b failed") != NULL, "az_outage: the launch into 2b is refused and logged");
    const events_entry *rb = tl_first(w, 1800, "instance", NULL, "Pending", "AZRebalance");
    ok(rb && rb->t == tl_s(1800), "az_outage: at recovery (1800 s) the group launches a rebalancing instance");
    int k = rb ? tl_inst_index(w, rb->resource) : -1;
    ok(k >= 0 && strcmp(tl_zone(w, (size_t)k), "us-west-2b") == 0, "az_outage: into us-west-2b");
    const events_entry *tm = tl_first(w, 1800, "instance", NULL, "Terminating", NULL);
    double in_svc = rb ? tl_first_t(w, 1800, "instance", rb->resource, "InService", NULL) : -1;
    ok(tm && in_svc > 0 && tl_sec(tm->t) >= in_svc, "az_outage: launch first, then terminate (at %.0f s, new InService at %.0f s)",
       tm ? tl_sec(tm->t) : -1, in_svc);
    int ok_zone = tm && tl_inst_index(w, tm->resource) >= 0 &&
                  strcmp(tl_zone(w, (size_t)tl_inst_index(w, tm->resource)), "us-west-2b") != 0;
    ok(ok_zone, "az_outage: the terminated one comes from a zone holding two");
    is_int(tl_changes(w, 0, 1e9), 0, "az_outage: desired stays 3 throughout");
    done(w, t);
}

/*
 * The events log: every desired-capacity change carries its cause, e.g.
 * "alarm <name> in ALARM: ... desired 2 -> 4"; every launch says why.
 */
static void t_event_causes(void)
{
    tl *t = tl_new(2400, 16.8);
    double at[] = {0, 600}, r[] = {16.8, 33.6};
    tl_steps(t, 2, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    tl_schedule(t, "night", -1, -1, 6, 1800, -1, "");
    world *w = tl_run(t, 1);
    ok(w != NULL, "event_causes: runs");
    if (!w) {
        done(w, t);
        return;
    }
    const events_entry *c0 = tl_change(w, 0);
    ok(c0 && strstr(c0->message, "alarm TargetTracking-web-AlarmHigh-cpu50 in ALARM") && strstr(c0->message, "desired 2 -> 4"),
       "event_causes: \"%s\"", c0 ? c0->message : "(none)");
    int n = 0, good = 0;
    size_t ne = tl_nev(w);
    for (size_t i = 0; i < ne; i++) {
        const events_entry *x = tl_ev(w, i);
        if (strcmp(x->type, "scaling") == 0 && x->from[0] && x->to[0]) {
            char want[96];
            snprintf(want, sizeof want, "desired %s -> %s", x->from, x->to);
            n++;
            good += strstr(x->message, want) && (strncmp(x->message, "alarm ", 6) == 0 ||
                                                 strncmp(x->message, "scheduled action ", 17) == 0);
        }
        if (strcmp(x->type, "instance") == 0 && strcmp(x->to, "Pending") == 0) {
            n++;
            good += strstr(x->message, "(") && strstr(x->message, "desired") != NULL;
        }
    }
    ok(n >= 4 && good == n, "event_causes: %d of %d scaling changes and launches name their cause", good, n);
    done(w, t);
}

/*
 * 1.2, 4.2, 11.7: the group's t = 0 instances are a deployed stack (asg.h):
 * registered and healthy long ago, so traffic is spread over all of them from
 * the start. At 30 rps (75 % CPU on 2 instances) the first minute looks like
 * any other (p99 well under 1 s); at 33.6 rps (84 %) the fleet is stable.
 */
/* Bug 4 of docs/autoscaling.md (fixed): the t = 0 fleet registered as `initial` targets. */

static void t_deployed_stack(void)
{
    static const double rps[2] = {30, 33.6};
    for (int v = 0; v < 2; v++) {
        tl *t = tl_new(20 * 60, rps[v]);
        world *w = tl_run(t, 1);
        ok(w != NULL, "deployed_stack[%.1f rps]: runs", rps[v]);
        if (!w) {
            done(w, t);
            return;
        }
        size_t nw;
        const stats_window *win = world_windows(w, &nw);
        double p99_first = nw ? win[0].p99 : -1, p99_worst_late = 0;
        for (size_t k = 10; k < nw; k++)
            if (win[k].p99 > p99_worst_late)
                p99_worst_late = win[k].p99;
        if (v == 0)
            ok(p99_first < 1, "deployed_stack: at 75%% CPU the first minute's p99 is %.2f s (< 1 s)",
                    p99_first);
        else
            ok(p99_worst_late < 1,
                    "deployed_stack: at 84%% CPU the fleet is stable: worst p99 over minutes 10-20 is %.2f s (< 1 s)",
                    p99_worst_late);
        done(w, t);
    }
}

/*
 * 1.6: while an instance warms up (DefaultInstanceWarmup), its data is kept
 * out of the group's aggregated metrics. A scheduled scale-out 2 -> 4 at
 * 840 s (InService 876 s); the CPU datapoints' SampleCount (instances
 * contributing) stays 2 until the warmup ends: with 600 s, the first period
 * counting 4 ends at 1500 s (>= 876 + 600) and is published at 1560 s; without
 * a warmup, at 960 s ([14m, 15m) ends after 876 s).
 */
static void t_warmup_metrics(void)
{
    static const double warm[2] = {600, -1}, expect[2] = {1560, 960};
    for (int v = 0; v < 2; v++) {
        tl *t = tl_new(30 * 60, 10);
        t->asg.default_instance_warmup = warm[v] < 0 ? -1 : tl_s(warm[v]);
        tl_schedule(t, "up", -1, -1, 4, 840, -1, "");
        tl_alarm(t, "contributors", SCN_M_EC2_CPU, SCN_STAT_SAMPLE_COUNT, 60, 1, 1, 3, SCN_CMP_GE, SCN_MISSING_MISSING);
        world *w = tl_run(t, 1);
        ok(w != NULL, "warmup_metrics[%s]: runs", v ? "no warmup" : "600 s");
        if (!w) {
            done(w, t);
            return;
        }
        is_near(tl_first_t(w, 0, "alarm", "contributors", "ALARM", NULL), expect[v], 0,
                "warmup_metrics: with %s the new instances count in the CPU metric from the datapoint published at %.0f s",
                v ? "no DefaultInstanceWarmup" : "DefaultInstanceWarmup 600 s", expect[v]);
        done(w, t);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    t_termination();
    t_protection();
    t_billing();
    t_draining();
    t_crash_in_grace();
    t_elb_after_grace();
    t_elb_ignored_ec2_type();
    t_elb_throttle();
    t_all_unhealthy();
    t_first_check();
    t_refresh();
    t_az_outage();
    t_event_causes();
    t_deployed_stack();
    t_warmup_metrics();
    return tap_done();
}
