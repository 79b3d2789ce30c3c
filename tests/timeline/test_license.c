/*
 * test_license.c - the license-key pool of set-up 1 as timelines: the shipped
 * scenarios/license-pool.yaml, run as written or with --set what-ifs and extra
 * operations, checked against aws-semantics 1.7 (lifecycle hooks), 6.4
 * (asynchronous Lambda retries), 6.7 (EventBridge), 7 (DynamoDB conditional
 * writes and units) and 10 (the chain's timing), and the invariant:
 * keys in use + free + leaked = pool size, at every second of every run.
 *
 * The shipped day: asg1 (min 1, desired 1, max 3) on t2.micro, 5 keys, scaled to
 * 3 at 01:00 and 04:00, back to 1 at 03:00 and 05:00. No load balancer, so a
 * scale-in goes straight to Terminating:Wait (no draining).
 */
#include "models/dynamodb/table.h"
#include "models/ec2/instance.h"
#include "stats/histogram.h"
#include "tly.h"

#ifndef FLEETSIM_SRC
#define FLEETSIM_SRC "."
#endif

static char text[65536];

/* The shipped scenario's text, plus extra YAML appended (an operations: or faults: section). */
static const char *lp_text(const char *extra)
{
    FILE *f = fopen(FLEETSIM_SRC "/scenarios/license-pool.yaml", "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    if (extra)
        snprintf(text + n, sizeof text - n, "%s", extra);
    return text;
}

/* Builds the scenario with --set assignments (NULL-terminated) and extra YAML; NULL after printing why. */
static world *lp_build(const char *extra, const char *const *sets, uint64_t seed)
{
    const char *y = lp_text(extra);
    size_t n_sets = 0;
    while (sets && sets[n_sets])
        n_sets++;
    scenario *sc = NULL;
    scn_diags d = {0};
    if (scenario_load("license-pool.yaml", y, strlen(y), sets, n_sets, &sc, &d) != 0) {
        scn_diags_print(&d, stderr);
        scn_diags_free(&d);
        return NULL;
    }
    scn_diags_free(&d);
    char err[256];
    sim *s = sim_new(seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        printf("# world_new: %s\n", err);
        sim_free(s);
        scenario_free(sc);
    }
    return w;
}

static ddb_table *pool(const world *w) { return world_model(w, "aws_dynamodb_table", "license_key_db"); }

/* Runs w to its end checking, after every instant, the invariants of tly.h: the keys counted from the items (in
   use, free, leaked) add up to the pool, the claimed ones agree with the count the table keeps at every write,
   requests are conserved and every function stays within its concurrency; 0 when they always held. */
static int run_checked(world *w)
{
    tl_inv v;
    tl_inv_init(&v, w);
    sim *s = world_sim(w);
    sim_time_t end = world_scenario(w)->duration, next;
    while ((next = sim_next_time(s)) >= 0 && next <= end && sim_error(s) == 0) {
        sim_run_until(s, next);
        tl_inv_check(&v, w);
    }
    tl_finish(w);
    if (v.n_pools != 1 || v.pool_size[0] != 5)
        printf("# expected one pool of 5 keys, found %zu\n", v.n_pools);
    else if (v.first_bad[0])
        printf("# %s\n", v.first_bad);
    return v.first_bad[0] || v.n_pools != 1 || v.pool_size[0] != 5;
}

/* The key an instance holds: its license_key tag (the boot script's CreateTags), or NULL. */
static const char *key_of(const world *w, const char *id)
{
    asg *g = world_model(w, "aws_autoscaling_group", "asg1");
    for (size_t k = 0; g && k < asg_n_instances(g); k++) {
        ec2_instance *e = asg_instance_ec2(g, k);
        if (e && strcmp(ec2_id(e), id) == 0)
            return ec2_tag(e, "license_key");
    }
    return NULL;
}

/* The time key was released (an UpdateItem setting used false, logged ok) after from_s, or -1. */
static double release_t(const world *w, double from_s, const char *by)
{
    size_t n = tl_nev(w);
    for (size_t i = 0; i < n; i++) {
        const events_entry *x = tl_ev(w, i);
        if (x->t >= tl_s(from_s) && strcmp(x->type, "dynamodb") == 0 && strstr(x->message, "UpdateItem") &&
            strstr(x->message, ": ok") && (!by || strstr(x->message, by)) && !strstr(x->message, "i-asg1-"))
            return tl_sec(x->t);
    }
    return -1;
}

/* Seed 1, 1.7, 6.7, 7, 10: the day as shipped: every claim at boot and every release through the chain. */
static void t_shipped_day(void)
{
    world *w = lp_build(NULL, NULL, 1);
    ok(w != NULL, "day: builds");
    if (!w)
        return;
    is_int(run_checked(w), 0, "day: keys in use + free + leaked = 5 at every instant, requests conserved, concurrency within limits");
    ddb_counts c = ddb_get_counts(pool(w));
    is_int(c.leaked, 0, "day: no key leaks");
    /* 7 (docs/license-pool.md, Consistency): one claim's eventually consistent Scan returned a key claimed a moment
       before; its conditional write failed and it claimed another. */
    is_int(tl_count(w, 0, 1e9, "dynamodb", NULL, NULL, "ConditionalCheckFailedException"), 1,
           "day: one stale Scan, settled by the conditional write");
    is_int(c.in_use, 1, "day: one key in use at the end (one instance)");
    is_int(c.max_in_use, 3, "day: at most three keys in use (max_size 3)");
    ok(key_of(w, "i-asg1-0") && strncmp(key_of(w, "i-asg1-0"), "lic-", 4) == 0,
       "day: the t = 0 instance is tagged with its key (CreateTags in the boot script)");
    is_int(tl_count(w, 0, 1e9, "lifecycle", NULL, "Terminating:Wait", "waits on lifecycle hook"), 4,
           "day: four terminations, each through the terminate hook");
    is_int((int)asg_get_counts(world_model(w, "aws_autoscaling_group", "asg1")).hook_timeouts, 0,
           "day: every hook is completed by the Lambda, none times out");
    asg_counts gc = asg_get_counts(world_model(w, "aws_autoscaling_group", "asg1"));
    is_int((int)gc.boot_scripts, 5, "day: five claims (one at t = 0, two at 01:00, two at 04:00)");
    is_int((int)gc.boot_script_failures, 0, "day: none fails");
    ok(sim_to_sec(asg_boot_script_times(world_model(w, "aws_autoscaling_group", "asg1"))->max) < 1,
       "day: every claim takes under a second (S3 GET, Scan, UpdateItem, CreateTags)");
    ok(world_cost(w, "licenses") > 0, "day: license fees are on the ledger");
    is_near(world_cost(w, "licenses"), c.key_hours * 0.10, 1e-9, "day: fees = key-hours x $0.10");
    tly_done(w);
}

/* 10, 1.7: the release chain in order: Terminating:Wait, the event, the rule, the Lambda's release, the hook completed, Terminated. */
static void t_release_chain(void)
{
    world *w = lp_build(NULL, NULL, 1);
    if (!w) {
        ok(0, "chain: builds");
        return;
    }
    tl_finish(w);
    const events_entry *x = tl_first(w, 10800, "lifecycle", NULL, "Terminating:Wait", NULL);
    ok(x != NULL, "chain: a scale-in at 03:00 puts an instance in Terminating:Wait");
    if (!x) {
        tly_done(w);
        return;
    }
    char id[64];
    snprintf(id, sizeof id, "%s", x->resource);
    double t_wait = tl_sec(x->t);
    is_near(t_wait, 10800, 1e-9, "chain: at once (no load balancer: nothing to drain, 10 step 2)");
    double t_rel = release_t(w, t_wait, NULL);
    double t_term = tl_first_t(w, t_wait, "instance", id, "Terminated", NULL);
    ok(t_rel > t_wait && t_rel < t_wait + 5, "chain: the key is released %.3f s after the wait began (EventBridge + cold start + calls)",
       t_rel - t_wait);
    ok(t_term > t_rel && t_term < t_rel + 2, "chain: the instance terminates after the release, when the Lambda completes the hook (%.3f s)",
       t_term - t_rel);
    ok(tl_first(w, t_wait, "lambda", NULL, NULL, "cold") != NULL, "chain: the first invocation is a cold start (6.3)");
    tly_done(w);
}

/* 1.7: ABANDON on terminate still terminates: with the rule disabled nothing completes the hook; the instance waits
   heartbeat_timeout (3600 s), billed, then terminates; its key leaks at that moment (10 step 7). */
static void t_abandon_terminates(void)
{
    static const char *const sets[] = {"resources.ec2_terminate.state=DISABLED", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "abandon: builds");
        return;
    }
    is_int(run_checked(w), 0, "abandon: the invariant holds");
    const events_entry *x = tl_first(w, 10800, "lifecycle", NULL, "Terminating:Wait", NULL);
    char id[64] = "";
    if (x)
        snprintf(id, sizeof id, "%s", x->resource);
    double t_term = tl_first_t(w, 10800, "instance", id, "Terminated", NULL);
    is_near(t_term, 10800 + 3600, 1e-6, "abandon: %s terminates when the hook times out, ABANDON or not", id);
    ok(tl_first(w, 10800, "license", "license_key_db", "leaked", "terminate hook timed out") != NULL,
       "abandon: the leak is logged with its cause (the hook timed out)");
    ddb_counts c = ddb_get_counts(pool(w));
    ok(c.leaked >= 2, "abandon: both scaled-in instances' keys leaked (%d leaked)", c.leaked);
    tly_done(w);
}

/* 1.7: a heartbeat shorter than the Lambda's retries: the Lambda never runs (reserved concurrency 0, 6.2) and the
   hook times out after 60 s: terminated at 03:01, key leaked. */
static void t_heartbeat_short(void)
{
    static const char *const sets[] = {"resources.before_terminate.heartbeat_timeout=60",
                                       "resources.before_terminating.reserved_concurrent_executions=0", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "heartbeat: builds");
        return;
    }
    tl_finish(w);
    const events_entry *x = tl_first(w, 10800, "lifecycle", NULL, "Terminating:Wait", NULL);
    char id[64] = "";
    if (x)
        snprintf(id, sizeof id, "%s", x->resource);
    is_near(tl_first_t(w, 10800, "instance", id, "Terminated", NULL), 10860, 1e-6,
            "heartbeat: terminated when the 60 s heartbeat runs out");
    ok(release_t(w, 10800, NULL) < 0, "heartbeat: no release: reserved concurrency 0 throttles every invocation");
    ok(ddb_get_counts(pool(w)).leaked >= 2, "heartbeat: the keys leak");
    tly_done(w);
}

/* 6.4: a release Lambda that always fails is retried twice, about 1 min then 2 min later; then the hook times out
   (3600 s, ABANDON) and the key leaks. */
static void t_lambda_fails(void)
{
    static const char *const sets[] = {"resources.before_terminating.fleetsim.error_probability=1", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "lambda fails: builds");
        return;
    }
    tl_finish(w);
    ok(release_t(w, 0, NULL) < 0, "lambda fails: no key is ever released");
    ok(ddb_get_counts(pool(w)).leaked >= 2, "lambda fails: the scaled-in instances' keys leak");
    int errors = tl_count(w, 10800, 10800 + 600, "lambda", "before_terminating", NULL, "error");
    ok(errors >= 3, "lambda fails: each event is tried three times within 10 minutes (%d errors logged)", errors);
    tly_done(w);
}

/* Issue 7 point 4: scaling past the pool: desired 8 on 5 keys: five instances hold keys, the others fail their
   launch (fail_launch) and the group keeps replacing them: the churn is counted. */
static void t_past_the_pool(void)
{
    static const char *const sets[] = {"resources.asg1.max_size=8", "resources.scale_out.desired_capacity=8", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "past the pool: builds");
        return;
    }
    is_int(run_checked(w), 0, "past the pool: the invariant holds");
    ddb_counts c = ddb_get_counts(pool(w));
    is_int(c.max_in_use, 5, "past the pool: never more than 5 keys in use");
    asg_counts gc = asg_get_counts(world_model(w, "aws_autoscaling_group", "asg1"));
    ok(gc.launch_failures >= 3, "past the pool: launches failed for want of a key (%d)", (int)gc.launch_failures);
    ok(gc.max_in_service <= 5, "past the pool: at most 5 instances in service (%d)", gc.max_in_service);
    tly_done(w);
}

/* 10 step 8 / issue 7 point 4: an instance lost without the hook running (a crash) leaks its key at the crash. */
static void t_lost_instance(void)
{
    world *w = lp_build("faults:\n  - {kind: instance_crash, at: 30m, autoscaling_group: asg1}\n", NULL, 1);
    if (!w) {
        ok(0, "lost: builds");
        return;
    }
    tl_finish(w);
    const events_entry *x = tl_first(w, 0, "license", "license_key_db", "leaked", NULL);
    ok(x != NULL && strstr(x->message, "ended at 1800.000 s") && x->t >= tl_s(1800) && x->t <= tl_s(1810),
       "lost: the key leaks at the crash, found within 10 s (%.3f s)", x ? tl_sec(x->t) : -1);
    ok(x != NULL && strstr(x->message, "lost without its terminate hook"), "lost: the cause is named");
    is_int((int)ddb_get_counts(pool(w)).leaks_by_cause[DDB_LEAK_LOST], 1, "lost: counted as lost without its hook");
    ok(tl_first(w, 0, "lifecycle", "i-asg1-0", "Terminating:Wait", NULL) == NULL, "lost: no hook ran for it");
    tly_done(w);
}

/* Issue 7 point 4, the lease design: with the rule disabled every release fails, but a key whose owner ended
   becomes free when its 5-minute lease lapses: a leak lasts the lease (found within 10 s), not for ever. */
static void t_lease_design(void)
{
    static const char *const sets[] = {"resources.ec2_terminate.state=DISABLED",
                                       "resources.license_key_db.fleetsim.license_pool.lease=5m", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "lease: builds");
        return;
    }
    is_int(run_checked(w), 0, "lease: the invariant holds");
    ddb_counts c = ddb_get_counts(pool(w));
    is_int((int)c.lease_expiries, 2, "lease: the two keys of the 03:00 scale-in come back when their leases lapse");
    ok(c.released_after_end == 2 && c.unavailable_s_total / 2 >= 300 && c.unavailable_s_total / 2 <= 310,
       "lease: each was unavailable for the 5-minute lease after its owner ended (mean %.0f s)",
       c.released_after_end ? c.unavailable_s_total / (double)c.released_after_end : -1);
    double t_free = tl_first_t(w, 0, "license", "license_key_db", "free", "lease");
    ok(t_free >= 14400 + 300 && t_free <= 14400 + 310, "lease: free 5 minutes after the hook timeout ended the owner (%.0f s)",
       t_free);
    tly_done(w);
}

/* Issue 7 point 4, the reconciler design: with the release chain broken (rule disabled), a Lambda run every
   5 minutes frees every claimed key whose owner is gone: no key stays leaked longer than the schedule. */
static void t_reconciler_design(void)
{
    static const char *const sets[] = {"resources.ec2_terminate.state=DISABLED",
                                       "resources.reconcile_schedule.state=ENABLED", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "reconciler: builds");
        return;
    }
    is_int(run_checked(w), 0, "reconciler: the invariant holds");
    ddb_counts c = ddb_get_counts(pool(w));
    is_int((int)c.released_after_end, 2, "reconciler: both keys of the 03:00 scale-in are freed after their owners end");
    ok(c.unavailable_s_total / 2 <= 300, "reconciler: each within the 5-minute schedule (mean %.1f s)",
       c.released_after_end ? c.unavailable_s_total / (double)c.released_after_end : -1);
    int in_use, free_keys, leaked;
    ddb_pool_now(pool(w), &in_use, &free_keys, &leaked);
    is_int(leaked, 2, "reconciler: only the keys whose owners ended at the run's last second are still leaked");
    ok(tl_count(w, 0, 1e9, "dynamodb", "license_key_db", NULL, "reconcile_keys dynamodb:UpdateItem") == 2,
       "reconciler: it wrote exactly the two orphaned keys");
    tly_done(w);
}

/*
 * Issue 7 point 6, aws-semantics 7: ten instances booting at once on five keys. They scan together, race for
 * the keys with conditional writes, and the losers retry (scan again) with backoff: exactly five win. The other
 * five run out of attempts (max_attempts 4: the retry law) and fail their launch (fail_launch). Every lost race is
 * a ConditionalCheckFailedException that still paid its write unit.
 */
static void t_ten_on_five(void)
{
    static const char y[] =
    "scenario: ten-on-five\n"
    "duration: 10m\n"
    "resources:\n"
    "  license_key_db:\n"
    "    type: aws_dynamodb_table\n"
    "    name: license_key_db\n"
    "    billing_mode: PAY_PER_REQUEST\n"
    "    hash_key: key\n"
    "    fleetsim:\n"
    "      items: {count: 5, key_prefix: lic-, attributes: {used: \"false\"}}\n"
    "      license_pool: {}\n"
    "  lt:\n"
    "    type: aws_launch_template\n"
    "    instance_type: t3.micro\n"
    "    boot_script:\n"
    "      calls:\n"
    "        - call: dynamodb:Scan\n"
    "          table: license_key_db\n"
    "          filter.used: \"false\"\n"
    "          pick: random\n"
    "          save: lic\n"
    "          on_empty: retry\n"
    "        - call: dynamodb:UpdateItem\n"
    "          table: license_key_db\n"
    "          key: ${lic.key}\n"
    "          condition.used: \"false\"\n"
    "          set.used: \"true\"\n"
    "          set.owner: ${instance.id}\n"
    "          on_condition_failed: retry\n"
    "      retry: {max_attempts: 4, base: 200ms, cap: 2s}\n"
    "      on_failure: fail_launch\n"
    "  g:\n"
    "    type: aws_autoscaling_group\n"
    "    launch_template: lt\n"
    "    availability_zones: [us-west-2a, us-west-2b]\n"
    "    min_size: 0\n"
    "    max_size: 10\n"
    "    desired_capacity: 0\n"
    "operations:\n"
    "  - {kind: set_desired_capacity, at: 60s, autoscaling_group: g, desired_capacity: 10}\n"
;
    world *w = tly_build(y, 1);
    ok(w != NULL, "ten on five: builds");
    if (!w)
        return;
    tl_until(w, 100);  /* the first round is over (booted at 96 s); replacements boot 36 s later */
    int in_service = 0, failed = 0, law = 0;
    for (int k = 0; k < 10; k++) {
        char id[16];
        snprintf(id, sizeof id, "i-g-%d", k);
        in_service += tl_first(w, 0, "instance", id, "InService", NULL) != NULL;
        const events_entry *x = tl_first(w, 0, "instance", id, "Terminating", "boot script failed");
        if (!x)
            continue;
        failed++;
        law += strstr(x->message, "after 4 attempt(s)") != NULL && x->t <= tl_s(96 + 0.2 + 0.4 + 0.8 + 0.2);
    }
    is_int(in_service, 5, "ten on five: exactly five instances get a key and go InService");
    is_int(failed, 5, "ten on five: the five others fail their launch (fail_launch)");
    is_int(law, 5, "ten on five: each loser made max_attempts (4) attempts, within the backoff caps (0.2 + 0.4 + 0.8 s)");
    ddb_counts c = ddb_get_counts(world_model(w, "aws_dynamodb_table", "license_key_db"));
    int updates = tl_count(w, 0, 100, "dynamodb", "license_key_db", NULL, "dynamodb:UpdateItem");
    is_int((int)c.writes, 5, "ten on five: five conditional writes succeed");
    is_int((int)c.conditional_failures, updates - 5, "ten on five: every other UpdateItem lost its race (%d)", updates - 5);
    ok(c.wru == (double)updates, "ten on five: every UpdateItem paid its write unit, lost races included (%g)", c.wru);
    is_int(c.in_use, 5, "ten on five: all five keys in use");
    tl_finish(w);
    tly_done(w);
}

/* Determinism: the same seed gives the same history; another seed another one. */
static void t_determinism(void)
{
    world *a = lp_build(NULL, NULL, 3), *b = lp_build(NULL, NULL, 3);
    if (!a || !b) {
        ok(0, "determinism: builds");
        tly_free(a);
        tly_free(b);
        return;
    }
    tl_finish(a);
    tl_finish(b);
    int same = tl_nev(a) == tl_nev(b);
    for (size_t i = 0; same && i < tl_nev(a); i++)
        same = tl_ev(a, i)->t == tl_ev(b, i)->t && strcmp(tl_ev(a, i)->message, tl_ev(b, i)->message) == 0;
    ok(same, "determinism: the same seed, the same %zu events", tl_nev(a));
    tly_free(a);
    tly_free(b);
}

/* 7: with no replication lag every Scan is current and no claim races in the shipped day. */
static void t_no_lag(void)
{
    static const char *const sets[] = {"resources.license_key_db.fleetsim.replication_lag=0s", NULL};
    world *w = lp_build(NULL, sets, 1);
    if (!w) {
        ok(0, "no lag: builds");
        return;
    }
    is_int(run_checked(w), 0, "no lag: the invariants hold");
    is_int(tl_count(w, 0, 1e9, "dynamodb", NULL, NULL, "ConditionalCheckFailedException"), 0,
           "no lag: no conditional write fails (every Scan sees every claim)");
    tly_free(w);
}

/* The checker can fail: a pool size off by one, a function limit of 0 while it runs, and a request
   finished by the statistics that never arrived are each caught. */
static void t_checker_fails(void)
{
    world *w = tly_build(lp_text(NULL), 1);
    if (!w) {
        ok(0, "checker: the scenario builds");
        return;
    }
    tl_inv v;
    tl_inv_init(&v, w);
    v.pool_size[0]--;
    tl_inv_check(&v, w);
    ok(v.first_bad[0] && strstr(v.first_bad, "pool"), "checker: a pool that does not add up is caught (%s)", v.first_bad);
    tl_inv_init(&v, w);
    v.account = -1;
    tl_inv_check(&v, w);
    ok(v.first_bad[0] && strstr(v.first_bad, "account"), "checker: functions above the account limit are caught (%s)",
       v.first_bad);
    tly_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    t_checker_fails();
    t_no_lag();
    t_shipped_day();
    t_release_chain();
    t_abandon_terminates();
    t_heartbeat_short();
    t_lambda_fails();
    t_past_the_pool();
    t_lost_instance();
    t_ten_on_five();
    t_lease_design();
    t_reconciler_design();
    t_determinism();
    return tap_done();
}
