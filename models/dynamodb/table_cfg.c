/*
 * table_cfg.c - aws_dynamodb_table: the loader's key table and checks, and
 * the type's operations (build, cost, report) for the world.
 *
 * Terraform creates a table's items with aws_dynamodb_table_item resources;
 * fleetsim's `fleetsim.items` block generates them instead (a pool of N
 * license keys is one block, not N resources).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/dynamodb/table.h"
#include "models/dynamodb/table_cfg.h"
#include "stats/cost.h"
#include "stats/rows.h"

static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};

static const ld_key items_keys[] = {
    {.name = "count", .kind = LD_INT, .flags = LD_REQUIRED, .lo = "1", .hi = "100000", .source = "fleetsim",
     .doc = "how many items the table holds at t = 0 (a license pool: its keys)"},
    {.name = "key_prefix", .kind = LD_STR, .def = "key-", .hi = "200", .source = "fleetsim",
     .doc = "item i's hash key is this prefix and i (1-based): key-1, key-2, ..."},
    {.name = "attributes", .kind = LD_LIST, .hi = "7", .source = "fleetsim",
     .doc = "a mapping of string attributes every item starts with ({used: \"false\"})"},
    {.name = NULL},
};

static const ld_key pool_keys[] = {
    {.name = "used_attribute", .kind = LD_STR, .def = "used", .hi = "63", .source = "fleetsim (seed architecture 1)",
     .doc = "the attribute that is \"true\" while a key is claimed"},
    {.name = "owner_attribute", .kind = LD_STR, .def = "owner", .hi = "63", .source = "fleetsim",
     .doc = "the attribute holding the claiming instance's id (a claimed key whose owner ended has leaked)"},
    {.name = "lease", .kind = LD_DUR, .def = "0s", .lo = "0s", .hi = "24h", .source = "fleetsim (alternative design)",
     .doc = "0: a claim lasts until released; else a lease its owner renews every lease/2 while it runs (a write each), which expires this long after the owner ends: a leak lasts at most the lease (found within 10 s)"},
    {.name = "fee_per_key_hour", .kind = LD_MONEY, .def = "$0", .source = "fleetsim (the software vendor's price)",
     .doc = "license fee per key-hour claimed, leaked keys included"},
    {.name = NULL},
};

static const ld_key own_keys[] = {
    {.name = "items", .kind = LD_BLOCK, .block = items_keys, .source = "fleetsim (Terraform: aws_dynamodb_table_item)",
     .doc = "the items at t = 0"},
    {.name = "item_size", .kind = LD_INT, .def = "100", .lo = "1", .hi = "409600",
     .source = "fleetsim; DynamoDB's item limit is 400 KB", .doc = "bytes per item, for capacity units (reads round up to 4 KB, writes to 1 KB)"},
    {.name = "latency", .kind = LD_DIST, .def = "lognormal p50 4ms, p99 12ms",
     .source = "fleetsim: AWS says \"single-digit milliseconds\" (aws-semantics 7; no measured percentiles)",
     .doc = "time from a request to its answer"},
    {.name = "replication_lag", .kind = LD_DIST, .def = "uniform 0s-1s",
     .source = "fleetsim: AWS says a write is consistent everywhere \"usually within one second or less\" (aws-semantics 7)",
     .doc = "how long after a write eventually consistent reads (the default; every Scan, Query on an index) still see "
            "the item as it was; strongly consistent reads (consistent_read: \"true\") see it at once"},
    {.name = "error_probability", .kind = LD_NUM, .def = "0", .lo = "0", .hi = "1", .source = "fleetsim (what-if)",
     .doc = "probability that a request fails with HTTP 500"},
    {.name = "license_pool", .kind = LD_BLOCK, .block = pool_keys, .source = "fleetsim",
     .doc = "the table holds license keys: report keys in use, free and leaked, and the license fees"},
    {.name = NULL},
};

static const ld_key table_keys[] = {
    {.name = "name", .kind = LD_STR, .flags = LD_REQUIRED, .hi = "255", .source = "Terraform (required; 3-255 characters)",
     .doc = "the table's AWS name"},
    {.name = "billing_mode", .kind = LD_ENUM, .def = "PROVISIONED", .values = billing_modes,
     .source = "Terraform (default PROVISIONED) / DynamoDB API BillingMode (aws-semantics 7)",
     .doc = "PROVISIONED: read_capacity and write_capacity units per second, throttled beyond them (with 300 s of burst); PAY_PER_REQUEST: per request"},
    {.name = "read_capacity", .kind = LD_INT, .lo = "1", .hi = "40000", .source = "Terraform (required with PROVISIONED)",
     .doc = "read capacity units per second"},
    {.name = "write_capacity", .kind = LD_INT, .lo = "1", .hi = "40000", .source = "Terraform (required with PROVISIONED)",
     .doc = "write capacity units per second"},
    {.name = "hash_key", .kind = LD_STR, .flags = LD_REQUIRED, .hi = "255", .source = "Terraform (required)",
     .doc = "the partition key attribute; calls name an item by it (`key:`)"},
    {.name = "attribute", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM}, {.name = "ttl", .kind = LD_NOTSIM},
    {.name = "point_in_time_recovery", .kind = LD_NOTSIM}, {.name = "server_side_encryption", .kind = LD_NOTSIM},
    {.name = "deletion_protection_enabled", .kind = LD_NOTSIM}, {.name = "global_secondary_index", .kind = LD_NOTSIM},
    {.name = "local_secondary_index", .kind = LD_NOTSIM}, {.name = "table_class", .kind = LD_LATER},
    {.name = "range_key", .kind = LD_LATER}, {.name = "stream_enabled", .kind = LD_LATER},
    {.name = "stream_view_type", .kind = LD_LATER}, {.name = "replica", .kind = LD_LATER},
    {.name = "on_demand_throughput", .kind = LD_LATER}, {.name = "import_table", .kind = LD_LATER},
    {.name = "restore_source_name", .kind = LD_LATER}, {.name = "restore_to_latest_time", .kind = LD_LATER},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = own_keys, .source = "fleetsim", .doc = "fleetsim's own keys"},
    {.name = NULL},
};

static void load_items(loader *v, const ld_sect *own, ddb_table_cfg *t)
{
    char what[640], b1[96];
    ld_sect it;
    if (!ld_block(own, "items", &it, what, sizeof what))
        return;
    long long count = 0;
    char prefix[256] = "key-";
    if (ld_int(&it, "count", &count) <= 0)
        return;
    ld_str(&it, "key_prefix", prefix, sizeof prefix, NULL);
    ddb_item_cfg proto = {0};
    const scn_node *an = ld_sect_get(&it, "attributes");
    if (an) {
        ld_sect as;
        snprintf(b1, sizeof b1, "attributes");
        if (ld_sect_open(v, &as, an, an, "attributes of fleetsim.items")) {
            for (size_t k = 0; k + 1 < an->n && proto.n < API_MAX_ATTRS - 1; k += 2) {
                const scn_node *vn = an->kids[k + 1];
                if (!ld_want_scalar(&as, vn, an->kids[k]->str, "a string value"))
                    continue;
                proto.attr[proto.n] = an->kids[k]->str;
                proto.value[proto.n++] = vn->str;
            }
            if (an->n / 2 > API_MAX_ATTRS - 1)
                scn_err(&v->c, an, "attributes of fleetsim.items: at most %d attributes", API_MAX_ATTRS - 1);
        }
    }
    if (!(t->items = calloc((size_t)count, sizeof *t->items))) {
        scn_err(&v->c, it.owner, "out of memory");
        return;
    }
    t->n_items = (size_t)count;
    for (size_t i = 0; i < t->n_items; i++) {
        char key[300];
        snprintf(key, sizeof key, "%s%zu", prefix, i + 1);
        ddb_item_cfg *x = &t->items[i];
        x->key = ld_dupstr(key);
        for (size_t k = 0; k < proto.n; k++) {
            x->attr[k] = ld_dupstr(proto.attr[k]);
            x->value[k] = ld_dupstr(proto.value[k]);
        }
        x->n = proto.n;
    }
}

static void table_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    ddb_table_cfg *t = cfg;
    ld_sect b = *s, own, pool;
    char what[640], what2[640];
    (void)r;
    ld_sect_check(&b, table_keys);
    const scn_node *where = NULL;
    ld_str(&b, "name", t->table_name, sizeof t->table_name, NULL);
    ld_str(&b, "hash_key", t->hash_key, sizeof t->hash_key, NULL);
    int bm = DDB_PROVISIONED;
    ld_enum(&b, "billing_mode", &bm, &where);
    t->billing = (ddb_billing)bm;
    if (t->billing == DDB_PROVISIONED) {
        /* Terraform: required with PROVISIONED, ignored with PAY_PER_REQUEST. */
        const char *caps[] = {"read_capacity", "write_capacity"};
        long long *outs[] = {&t->rcu, &t->wcu};
        for (int k = 0; k < 2; k++)
            if (ld_int(&b, caps[k], outs[k]) == 0)
                scn_err(&v->c, b.owner, "%s: billing_mode PROVISIONED needs '%s' (units per second)", b.what, caps[k]);
    } else {
        for (int k = 0; k < 2; k++) {
            const char *cap = k ? "write_capacity" : "read_capacity";
            const scn_node *kn = ld_sect_key(&b, cap);
            if (kn)
                ld_note(v, kn, "%s: '%s' is ignored with billing_mode PAY_PER_REQUEST", b.what, cap);
        }
    }
    ld_block(&b, "fleetsim", &own, what, sizeof what);
    load_items(v, &own, t);
    long long size = 100;
    ld_int(&own, "item_size", &size);
    t->item_bytes = size;
    sim_dist_lognormal_p50_p99(&t->latency, 0.004, 0.012);
    ld_dist(&own, "latency", &t->latency, &t->latency_values);
    t->replication_lag = (sim_dist){.kind = SIM_DIST_UNIFORM, .a = 0, .b = 1};
    ld_dist(&own, "replication_lag", &t->replication_lag, &t->replication_lag_values);
    ld_num(&own, "error_probability", &t->error_probability);
    t->pool = ld_block(&own, "license_pool", &pool, what2, sizeof what2);
    snprintf(t->used_attr, sizeof t->used_attr, "used");
    snprintf(t->owner_attr, sizeof t->owner_attr, "owner");
    ld_str(&pool, "used_attribute", t->used_attr, sizeof t->used_attr, NULL);
    ld_str(&pool, "owner_attribute", t->owner_attr, sizeof t->owner_attr, NULL);
    ld_dur(&pool, "lease", &t->lease);
    if (ld_sect_get(&pool, "fee_per_key_hour"))
        ld_get_money(&pool, "fee_per_key_hour", false, &t->fee_per_key_hour);
    if (t->pool && !ld_sect_get(&own, "items"))
        scn_err(&v->c, pool.owner, "%s: a license pool needs keys: fleetsim.items with count >= 1", b.what);
}

static void table_free_cfg(void *cfg)
{
    ddb_table_cfg *t = cfg;
    for (size_t i = 0; i < t->n_items; i++) {
        free(t->items[i].key);
        for (size_t k = 0; k < t->items[i].n; k++) {
            free(t->items[i].attr[k]);
            free(t->items[i].value[k]);
        }
    }
    free(t->items);
    free(t->latency_values);
    free(t->replication_lag_values);
}

static int table_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    *model = ddb_new(b, cfg, err, errlen);
    return *model ? 0 : -1;
}

static void table_free_model(void *m) { ddb_free(m); }

/* The pool's keys in each report window (windows.csv columns NAME.keys_in_use, .keys_free, .keys_leaked). */
static void table_gauge(const void *m, wb_gauges *g)
{
    int in_use, free_keys, leaked;
    const ddb_table *t = m;
    if (!ddb_pool_now(t, &in_use, &free_keys, &leaked))
        return;
    const char *name = ddb_name(t);
    wb_gauge_put(g, name, "keys_in_use", in_use);
    wb_gauge_put(g, name, "keys_free", free_keys);
    wb_gauge_put(g, name, "keys_leaked", leaked);
}

static void table_cost(const void *m, const void *cfg, wb *b, cost_ledger *l)
{
    (void)cfg;
    (void)b;
    (void)cfg;
    ddb_bill((ddb_table *)m, l);
}

static void table_report(const void *m, const void *cfg, wb *b, rows *r)
{
    (void)b;
    const ddb_table_cfg *t = cfg;
    ddb_counts c = ddb_get_counts((ddb_table *)m);
    if (rows_begin(r, "aws_dynamodb_table", t->name) != 0)
        return;
    rows_int(r, "reads", (int64_t)c.reads);
    rows_int(r, "writes", (int64_t)c.writes);
    rows_int(r, "conditional_failures", (int64_t)c.conditional_failures);
    rows_int(r, "throttles", (int64_t)c.throttles);
    rows_int(r, "errors", (int64_t)c.errors);
    rows_num(r, "read_units", c.rru);
    rows_num(r, "write_units", c.wru);
    if (t->lease > 0)
        rows_num(r, "lease_renewal_write_units", c.renewal_wru);
    rows_num(r, "cost_usd", ddb_cost(m));
    if (!t->pool)
        return;
    rows_int(r, "keys", c.pool_size);
    rows_int(r, "keys_in_use", c.in_use);
    rows_int(r, "keys_free", c.free);
    rows_int(r, "keys_leaked", c.leaked);
    rows_int(r, "max_keys_in_use", c.max_in_use);
    rows_int(r, "leaks", (int64_t)c.leaks);
    rows_int(r, "leaks_hook_timeout", (int64_t)c.leaks_by_cause[DDB_LEAK_HOOK_TIMEOUT]);
    rows_int(r, "leaks_owner_lost", (int64_t)c.leaks_by_cause[DDB_LEAK_LOST]);
    rows_int(r, "leaks_not_released", (int64_t)c.leaks_by_cause[DDB_LEAK_NO_RELEASE]);
    rows_int(r, "released_after_owner_ended", (int64_t)c.released_after_end);
    rows_int(r, "lease_expiries", (int64_t)c.lease_expiries);
    if (c.released_after_end)
        rows_num(r, "mean_unavailable_after_end_s", c.unavailable_s_total / (double)c.released_after_end);
    else
        rows_null(r, "mean_unavailable_after_end_s");
    rows_num(r, "key_hours", c.key_hours);
    rows_num(r, "license_fees_usd", ddb_license_fees((ddb_table *)m));
}

const res_type res_aws_dynamodb_table = {
    .tf_type = "aws_dynamodb_table",
    .doc = "A DynamoDB table: its items, capacity units, throttling, latency and price; it serves the dynamodb:* "
           "calls of Lambda functions and boot scripts, and can hold a pool of license keys.",
    .keys = table_keys,
    .pass = 0,
    .cfg_size = sizeof(ddb_table_cfg),
    .load = table_load,
    .free_cfg = table_free_cfg,
    .stage = WB_STAGE_DATA,
    .build = table_build,
    .free_model = table_free_model,
    .gauge = table_gauge,
    .cost_item = "dynamodb",
    .cost = table_cost,
    .report = table_report,
};
