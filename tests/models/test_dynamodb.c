/*
 * test_dynamodb.c - the DynamoDB table and the API-script runner together:
 * conditional claims that contend, units that failed conditional writes still
 * pay, provisioned throttling with 300 s of burst, retries with backoff, and
 * the license pool's accounting (aws-semantics 7; DESIGN 3b).
 *
 * Scripts are started straight on the world (world_wb + as_start), as a boot
 * script or a Lambda would start them, so the table is tested on its own.
 */
#include "tests/timeline/tly.h"

#include "models/core/api_script.h"
#include "models/core/build.h"
#include "models/dynamodb/table.h"

/* A table of 5 keys, the claim script and the release script as a scenario would declare them. */
static const char *pool_yaml(const char *billing, const char *pick, int attempts)
{
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "scenario: ddb\n"
             "duration: 10m\n"
             "resources:\n"
             "  license_key_db:\n"
             "    type: aws_dynamodb_table\n"
             "    name: license_key_db\n"
             "    hash_key: key\n"
             "    %s\n"
             "    fleetsim:\n"
             "      items: {count: 5, key_prefix: lic-, attributes: {used: \"false\"}}\n"
             "      latency: 5ms\n"
             "      license_pool: {fee_per_key_hour: $0.50}\n"
             "  lt:\n"
             "    type: aws_launch_template\n"
             "    instance_type: t3.micro\n"
             "    boot_script:\n"
             "      calls:\n"
             "        - call: dynamodb:Scan\n"
             "          table: license_key_db\n"
             "          filter.used: \"false\"\n"
             "          pick: %s\n"
             "          save: lic\n"
             "          on_empty: retry\n"
             "        - call: dynamodb:UpdateItem\n"
             "          table: license_key_db\n"
             "          key: ${lic.key}\n"
             "          condition.used: \"false\"\n"
             "          set.used: \"true\"\n"
             "          set.owner: ${instance.id}\n"
             "          on_condition_failed: retry\n"
             "      retry: {max_attempts: %d, base: 100ms, cap: 2s}\n",
             billing, pick, attempts);
    return buf;
}

typedef struct claim {
    char id[32];
    int done;
    api_status st;
    as_stats stats;
    sim_time_t at;
    sim *s;
} claim;

static const char *claim_var(void *ctx, const char *name)
{
    claim *c = ctx;
    return strcmp(name, "instance.id") == 0 ? c->id : NULL;
}

static void claim_done(void *ctx, api_status st, const as_stats *figures)
{
    claim *c = ctx;
    c->done++;
    c->st = st;
    c->stats = *figures;
    c->at = sim_now(c->s);
}

/* The launch template's boot script (the claim) of the scenario. */
static const as_script *boot_of(world *w)
{
    return &world_scenario(w)->launch_templates[0].boot;
}

/* Starts n claims at t = 0, runs to the end, returns how many succeeded. */
static int run_claims(world *w, claim *cs, int n)
{
    gsl_rng *rng = sim_rng(world_sim(w), "test/claims");
    for (int i = 0; i < n; i++) {
        snprintf(cs[i].id, sizeof cs[i].id, "i-test-%d", i);
        cs[i].s = world_sim(w);
        ok(as_start(world_wb(w), boot_of(w), rng, 1.0, cs[i].id, claim_var, &cs[i], claim_done, &cs[i]) != NULL,
           "claim %d starts", i);
    }
    tl_finish(w);
    int won = 0;
    for (int i = 0; i < n; i++)
        won += cs[i].done == 1 && cs[i].st == API_OK;
    return won;
}

/*
 * 7: ten instances boot at once on five keys and all read the same first free key
 * (pick: first, one attempt): the table applies writes in the order received, so
 * exactly one conditional write succeeds; the nine others fail the condition and
 * still consume their write unit.
 */
static void t_contention_one_attempt(void)
{
    world *w = tly_build(pool_yaml("billing_mode: PAY_PER_REQUEST", "first", 1), 1);
    ok(w != NULL, "contention: the scenario builds");
    if (!w)
        return;
    claim cs[10] = {0};
    is_int(run_claims(w, cs, 10), 1, "contention: one of ten claims on the same key wins");
    ddb_table *t = world_model(w, "aws_dynamodb_table", "license_key_db");
    ddb_counts c = ddb_get_counts(t);
    is_int((int)c.conditional_failures, 9, "contention: nine ConditionalCheckFailedException");
    ok(c.wru == 10.0, "contention: 10 write units, failed conditional writes included (7) (got %g)", c.wru);
    /* A Scan pays for every item it reads: 5 items x 100 B = one 4 KB block, 0.5 unit eventually consistent. */
    ok(c.rru == 10 * 0.5, "contention: ten Scans of 5 small items cost 0.5 RRU each (got %g)", c.rru);
    is_int(c.in_use, 1, "pool: one key in use");
    is_int(c.free, 4, "pool: four keys free");
    is_int(c.in_use + c.free + c.leaked, c.pool_size, "pool: in use + free + leaked = pool size");
    int failed = 0;
    for (int i = 0; i < 10; i++)
        failed += cs[i].st == API_CONDITION_FAILED && cs[i].stats.attempts == 1;
    is_int(failed, 9, "contention: the nine losers end with the condition failure after their single attempt");
    tly_free(w);
}

/*
 * 7 + DESIGN 3b: with retries (scan again, random pick) ten claims on five keys
 * end with exactly five keys claimed and five scripts failing for want of a key
 * (on_empty: retry until max_attempts); every attempt's units are paid.
 */
static void t_contention_retries(void)
{
    world *w = tly_build(pool_yaml("billing_mode: PAY_PER_REQUEST", "random", 6), 7);
    ok(w != NULL, "retries: the scenario builds");
    if (!w)
        return;
    claim cs[10] = {0};
    is_int(run_claims(w, cs, 10), 5, "retries: exactly five of ten claims get a key");
    ddb_table *t = world_model(w, "aws_dynamodb_table", "license_key_db");
    ddb_counts c = ddb_get_counts(t);
    is_int(c.in_use, 5, "retries: all five keys in use");
    is_int((int)c.writes, 5, "retries: five successful writes");
    int calls = 0, cond = 0, attempts_losers = 0;
    for (int i = 0; i < 10; i++) {
        calls += cs[i].stats.calls;
        cond += cs[i].stats.conditional_failures;
        if (cs[i].st != API_OK) {
            attempts_losers += cs[i].stats.attempts;
            /* Its last scan found none, or (7: the scan is eventually consistent) returned a key just claimed and the conditional write lost. */
            ok(cs[i].st == API_NOT_FOUND || cs[i].st == API_CONDITION_FAILED, "retries: loser %d fails for want of a free key", i);
        }
    }
    is_int(attempts_losers, 5 * 6, "retries: each loser made max_attempts (6) attempts");
    is_int((int)c.conditional_failures, cond, "retries: the table's condition failures are the scripts'");
    ok(c.wru == (double)(5 + cond), "retries: write units = successes + failed conditional writes (%g)", c.wru);
    ok(c.reads + c.writes + c.conditional_failures == (uint64_t)calls, "retries: every call was served once");
    /* Backoff: the last loser ends after five backoffs, each at most min(2 s, 0.1 s x 2^k). */
    for (int i = 0; i < 10; i++)
        if (cs[i].st != API_OK)
            ok(cs[i].at <= tl_s(0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 6 * 2 * 0.005 + 0.001), "retries: loser %d gives up in time", i);
    tly_free(w);
    /* Same seed, same figures. */
    world *w2 = tly_build(pool_yaml("billing_mode: PAY_PER_REQUEST", "random", 6), 7);
    claim cs2[10] = {0};
    run_claims(w2, cs2, 10);
    int same = 1;
    for (int i = 0; i < 10; i++)
        same &= cs2[i].st == cs[i].st && cs2[i].at == cs[i].at && cs2[i].stats.calls == cs[i].stats.calls;
    ok(same, "retries: same seed, same outcome and times");
    tly_free(w2);
}

/* 7: a PROVISIONED table with 1 WCU keeps 300 s of unused capacity: 300 writes at once pass, the rest throttle. */
static void t_provisioned_burst(void)
{
    world *w = tly_build(pool_yaml("billing_mode: PROVISIONED\n    read_capacity: 1000\n    write_capacity: 1", "random", 1), 3);
    ok(w != NULL, "burst: the scenario builds");
    if (!w)
        return;
    static claim cs[320];
    memset(cs, 0, sizeof cs);
    run_claims(w, cs, 320);
    ddb_table *t = world_model(w, "aws_dynamodb_table", "license_key_db");
    ddb_counts c = ddb_get_counts(t);
    is_int((int)(c.writes + c.conditional_failures), 300, "burst: 300 writes fit the 300 s burst of 1 WCU");
    is_int((int)c.throttles, 20, "burst: the 20 others are throttled (ProvisionedThroughputExceededException)");
    int thr = 0;
    for (int i = 0; i < 320; i++)
        thr += cs[i].st == API_THROTTLED;
    is_int(thr, 20, "burst: with one attempt the throttled claims fail throttled");
    /* Provisioned cost: (1000 RCU x $0.00013 + 1 WCU x $0.00065) per hour over 10 minutes, plus storage. */
    double want = (1000 * 0.00013 + 0.00065) / 6.0;
    ok(ddb_cost(t) > want && ddb_cost(t) < want * 1.001, "burst: provisioned cost per capacity-hour (%.6f vs %.6f)",
       ddb_cost(t), want);
    tly_free(w);
}

/* The pool's figures in the report rows, and the fee: 5 keys x 10 min x $0.50/h. */
static void t_report(void)
{
    world *w = tly_build(pool_yaml("billing_mode: PAY_PER_REQUEST", "random", 8), 5);
    if (!w) {
        ok(0, "report: builds");
        return;
    }
    claim cs[5] = {0};
    is_int(run_claims(w, cs, 5), 5, "report: five claims on five keys all succeed with retries");
    ddb_table *t = world_model(w, "aws_dynamodb_table", "license_key_db");
    double fees = ddb_license_fees(t);
    ok(fees > 5 * 0.5 / 6 * 0.99 && fees <= 5 * 0.5 / 6, "report: license fees ~ 5 keys x 10 min x $0.50/h (%.4f)", fees);
    ok(world_cost(w, "licenses") == fees, "report: the ledger's licenses line is the fee");
    const rows *r = world_rows(w);
    size_t n = 0;
    const rows_row *all = rows_all(r, &n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found += strcmp(all[i].type, "aws_dynamodb_table") == 0;
    ok(found == 1, "report: one row for the table");
    tly_free(w);
}

/* Bad input: each with its position. */
static void t_bad(void)
{
    static const struct {
        const char *yaml, *want;
    } cases[] = {
        {"scenario: b\nduration: 1m\nresources:\n  t:\n    type: aws_dynamodb_table\n    name: t\n    hash_key: k\n",
         "<test>:4:3: error: aws_dynamodb_table \"t\": billing_mode PROVISIONED needs 'read_capacity'"},
        {"scenario: b\nduration: 1m\nresources:\n  t:\n    type: aws_dynamodb_table\n    name: t\n    hash_key: k\n"
         "    billing_mode: PAY_PER_REQUEST\n    fleetsim:\n      license_pool: {}\n",
         "a license pool needs keys"},
        {"scenario: b\nduration: 1m\nresources:\n  t:\n    type: aws_dynamodb_table\n    name: t\n    hash_key: k\n"
         "    billing_mode: PAY_PER_REQUEST\n    fleetsim:\n      items: {count: 0}\n",
         "<test>:10:22: error: 'count' is out of range: 0"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - call: dynamodb:UpdateItm\n          table: x\n",
         "<test>:9:17: error: step 1 of boot_script of aws_launch_template \"lt\": unknown API call 'dynamodb:UpdateItm' (did you mean 'dynamodb:UpdateItem'?)"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - call: dynamodb:GetItem\n          table: nosuch\n          key: a\n",
         "<test>:10:18: error: step 1 of boot_script of aws_launch_template \"lt\": 'table' names no aws_dynamodb_table"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - call: dynamodb:GetItem\n          table: ${x}\n          keyy: a\n",
         "takes no argument 'keyy' (did you mean 'key'?)"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - compute: 10ms\n          call: dynamodb:GetItem\n",
         "needs exactly one of 'call'"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - call: dynamodb:GetItem\n          table: ${x\n          key: a\n",
         "a variable is written ${NAME}"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - for_each: keys\n",
         "<test>:9:11: error: step 1 of boot_script of aws_launch_template \"lt\": for_each 'keys': no earlier step has save_all: keys"},
        {"scenario: b\nduration: 1m\nresources:\n  lt:\n    type: aws_launch_template\n    instance_type: t3.micro\n"
         "    boot_script:\n      calls:\n        - {call: \"ec2:DescribeInstances\", InstanceId: i-1, save: a, save_all: a}\n",
         "'save' (the first item) or 'save_all' (every item), not both"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = tly_errors(cases[i].yaml);
        ok(e && strstr(e, cases[i].want), "bad %zu: %s", i, cases[i].want);
        if (e && !strstr(e, cases[i].want))
            printf("# got: %s\n", e);
        free(e);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    t_contention_one_attempt();
    t_contention_retries();
    t_provisioned_burst();
    t_report();
    t_bad();
    return tap_done();
}
