/*
 * table.c - a DynamoDB table (aws-semantics 7).
 *
 * A request is applied when it reaches the table (writes apply in the order
 * received, 7) and answered after the table's latency; reads see every write
 * already applied (strong and eventual reads alike: the replication lag,
 * "usually within one second", is not modelled). Capacity units follow 7:
 * reads round up to 4 KB (0.5 unit eventually consistent, 1 strongly), writes
 * to 1 KB, a failed conditional write still consumes its units, a Scan pays
 * for every item it evaluates, a Query for what it returns. A PROVISIONED
 * table throttles a request its units cannot cover; unused capacity
 * accumulates up to 300 s (burst capacity, 7) and the table starts with a full
 * burst. An on-demand table never throttles here (its initial 4,000 WRU/s and
 * 12,000 RRU/s are far above the workloads fleetsim runs on a table).
 */
#include "models/dynamodb/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/core/loader.h"
#include "models/ec2/instance.h"
#include "models/ec2/instance_type.h"
#include "stats/events.h"

#define BURST_S 300.0

typedef struct item {
    char *key;
    char *attr[API_MAX_ATTRS], *value[API_MAX_ATTRS];
    size_t n;
    /* what an eventually consistent read sees until `settled`: the item before its last writes */
    char *old_attr[API_MAX_ATTRS], *old_value[API_MAX_ATTRS];
    size_t old_n;
    bool old_absent;              /* it did not exist before */
    sim_time_t settled;           /* the last write has replicated at this time */
    /* license pool */
    sim_time_t used_since;        /* when the key was claimed, -1 while free */
    bool counted_leak;            /* its owner's end was already counted */
} item;

struct ddb_table {
    wb *b;
    sim *s;
    const ddb_table_cfg *cfg;
    gsl_rng *rng;
    gsl_rng *lag_rng;               /* replication lags: a stream apart, so the lag law never shifts other draws */
    item *items;
    size_t n, cap;
    double rcu_tokens, wcu_tokens;  /* PROVISIONED: units available now */
    sim_time_t tokens_at;
    ddb_counts c;
    double key_ns;                  /* integral of keys in use, key-ns, up to pool_at */
    sim_time_t pool_at;
    int in_use;
    sim_time_t fis_until;           /* ddb_fis_throttle: requests throttled until then */
    double fis_p;
};

static bool fis_throttled(ddb_table *t);

/* ---------------------------------------------------------------- items */

static const char *attr_get(const item *it, const char *name)
{
    for (size_t k = 0; k < it->n; k++)
        if (strcmp(it->attr[k], name) == 0)
            return it->value[k];
    return NULL;
}

static bool attr_set(item *it, const char *name, const char *value)
{
    for (size_t k = 0; k < it->n; k++)
        if (strcmp(it->attr[k], name) == 0) {
            char *v = ld_dupstr(value);
            if (!v)
                return false;
            free(it->value[k]);
            it->value[k] = v;
            return true;
        }
    if (it->n >= API_MAX_ATTRS)
        return false;
    it->attr[it->n] = ld_dupstr(name);
    it->value[it->n] = ld_dupstr(value);
    if (!it->attr[it->n] || !it->value[it->n]) {
        free(it->attr[it->n]);
        free(it->value[it->n]);
        return false;
    }
    it->n++;
    return true;
}

static item *find(ddb_table *t, const char *key)
{
    for (size_t i = 0; key && i < t->n; i++)
        if (strcmp(t->items[i].key, key) == 0)
            return &t->items[i];
    return NULL;
}

static item *add(ddb_table *t, const char *key)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        item *grown = realloc(t->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        t->items = grown;
        t->cap = cap;
    }
    item *it = &t->items[t->n];
    memset(it, 0, sizeof *it);
    it->used_since = -1;
    if (!(it->key = ld_dupstr(key)))
        return NULL;
    t->n++;
    return it;
}

static void free_old(item *it)
{
    for (size_t k = 0; k < it->old_n; k++) {
        free(it->old_attr[k]);
        free(it->old_value[k]);
    }
    it->old_n = 0;
}

/* Before a write of it at now: an item whose last write has replicated keeps its present state as what
   eventual reads see; one still replicating keeps the older state (they have not seen the newer yet). The
   write replicates a lag later. False out of memory. */
static bool note_write(ddb_table *t, item *it, bool is_new)
{
    sim_time_t now = sim_now(t->s);
    if (now >= it->settled) {
        free_old(it);
        it->old_absent = is_new;
        for (size_t k = 0; k < it->n; k++) {
            it->old_attr[k] = ld_dupstr(it->attr[k]);
            it->old_value[k] = ld_dupstr(it->value[k]);
            it->old_n++;
            if (!it->old_attr[k] || !it->old_value[k])
                return false;
        }
    }
    double lag = sim_dist_sample(&t->cfg->replication_lag, t->lag_rng);
    sim_time_t settles = now + (lag > 0 && isfinite(lag) ? sim_from_sec(lag) : 0);
    if (settles > it->settled)
        it->settled = settles;
    return true;
}

/* The item as a read sees it now: itself (strong, or replicated), its older state in *tmp, or NULL (not yet visible). */
static const item *view(const ddb_table *t, const item *it, bool strong_read, item *tmp)
{
    if (!it || strong_read || sim_now(t->s) >= it->settled)
        return it;
    if (it->old_absent)
        return NULL;
    memset(tmp, 0, sizeof *tmp);
    tmp->key = it->key;
    for (size_t k = 0; k < it->old_n; k++) {
        tmp->attr[k] = it->old_attr[k];
        tmp->value[k] = it->old_value[k];
    }
    tmp->n = it->old_n;
    return tmp;
}

/* ---------------------------------------------------------------- the license pool */

static bool is_used(const ddb_table *t, const item *it)
{
    const char *u = attr_get(it, t->cfg->used_attr);
    return u && strcmp(u, "true") == 0;
}

/* When the key's owner ended (terminated or lost), or -1 while it runs or is unknown. */
static sim_time_t owner_end(const ddb_table *t, const item *it)
{
    const char *owner = attr_get(it, t->cfg->owner_attr);
    const ec2_instance *i = owner && *owner ? wb_instance(t->b, owner) : NULL;
    return i && !ec2_running(i) ? ec2_terminated(i) : -1;
}

/*
 * Why a key whose owner ended was never released, from the owner's lifecycle history in the
 * events log (the chain's own lines say more: a disabled rule's drops, a Lambda's failures).
 */
static ddb_leak_cause leak_cause(const ddb_table *t, const char *owner)
{
    events_log *ev = wb_events(t->b);
    ddb_leak_cause cause = DDB_LEAK_NO_RELEASE;
    for (size_t i = 0, n = events_count(ev); owner && i < n; i++) {
        const events_entry *x = events_at(ev, i);
        if (strcmp(x->type, "lifecycle") != 0 || strcmp(x->resource, owner) != 0)
            continue;
        if (strstr(x->message, "was lost"))
            return DDB_LEAK_LOST;
        if (strstr(x->message, "timeout: default result"))
            cause = DDB_LEAK_HOOK_TIMEOUT;
    }
    return cause;
}

static const char *const cause_text[] = {
    [DDB_LEAK_NO_RELEASE] = "the owner ended with the key claimed and nothing released it",
    [DDB_LEAK_HOOK_TIMEOUT] = "the terminate hook timed out before anything released the key (rule, Lambda or "
                              "heartbeat: see the events around it)",
    [DDB_LEAK_LOST] = "the owner was lost without its terminate hook (crash, AZ outage or TerminateInstances)",
};

static void pool_advance(ddb_table *t)
{
    sim_time_t now = sim_now(t->s);
    t->key_ns += (double)t->in_use * (double)(now - t->pool_at);
    t->pool_at = now;
}

/* The item's used flag may have changed (before, end_before: its state and its owner's end before the write). */
static void pool_note(ddb_table *t, item *it, bool before, sim_time_t end_before)
{
    if (!t->cfg->pool)
        return;
    bool after = is_used(t, it);
    if (before == after)
        return;
    pool_advance(t);
    sim_time_t now = sim_now(t->s);
    if (after) {
        it->used_since = now;
        it->counted_leak = false;
        if (++t->in_use > t->c.max_in_use)
            t->c.max_in_use = t->in_use;
        return;
    }
    t->in_use--;
    it->used_since = -1;
    it->counted_leak = false;
    /* A release after the owner ended: the key was unavailable meanwhile. */
    if (end_before >= 0) {
        t->c.released_after_end++;
        t->c.unavailable_s_total += sim_to_sec(now - end_before);
    }
}

/* ---------------------------------------------------------------- capacity */

static void refill(ddb_table *t)
{
    sim_time_t now = sim_now(t->s);
    double dt = sim_to_sec(now - t->tokens_at);
    t->tokens_at = now;
    t->rcu_tokens = fmin((double)t->cfg->rcu * BURST_S, t->rcu_tokens + dt * (double)t->cfg->rcu);
    t->wcu_tokens = fmin((double)t->cfg->wcu * BURST_S, t->wcu_tokens + dt * (double)t->cfg->wcu);
}

/* Takes units from the read or write bucket; false (nothing taken) when they are not there. */
static bool take(ddb_table *t, bool write, double units)
{
    if (t->cfg->billing == DDB_PAY_PER_REQUEST)
        return true;
    refill(t);
    double *tok = write ? &t->wcu_tokens : &t->rcu_tokens;
    if (*tok < units)
        return false;
    *tok -= units;
    return true;
}

static double read_units(const ddb_table *t, size_t n_items, bool strong)
{
    double bytes = (double)n_items * (double)t->cfg->item_bytes;
    double blocks = fmax(1.0, ceil(bytes / 4096.0));
    return blocks * (strong ? 1.0 : 0.5);
}

static double write_units(const ddb_table *t) { return fmax(1.0, ceil((double)t->cfg->item_bytes / 1024.0)); }

/* ---------------------------------------------------------------- serving */

static int reply(ddb_table *t, api_status st, double units, api_item *items, size_t n, api_done_fn done, void *ctx)
{
    double sec = sim_dist_sample(&t->cfg->latency, t->rng);
    return api_answer(t->s, sec > 0 && isfinite(sec) ? sim_from_sec(sec) : 0, st, units, items, n, done, ctx);
}

/* The item as read now (copies: a write before the answer arrives must not change it); false out of memory. */
static bool copy_out(const item *it, api_item *out)
{
    out->n_attrs = 0;
    for (size_t k = 0; k <= it->n && out->n_attrs < API_MAX_ATTRS; k++) {
        char *name = ld_dupstr(k == 0 ? "key" : it->attr[k - 1]);
        char *value = ld_dupstr(k == 0 ? it->key : it->value[k - 1]);
        if (!name || !value) {
            free(name);
            free(value);
            return false;
        }
        out->attrs[out->n_attrs++] = (api_arg){.name = name, .value = value};
    }
    return true;
}

/* True if every filter.<attr> / condition.<attr> argument (prefix) holds for it ("" = absent or empty). */
static bool matches(const item *it, const api_call *c, const char *prefix)
{
    size_t len = strlen(prefix);
    for (size_t k = 0; k < c->n_args; k++) {
        if (strncmp(c->args[k].name, prefix, len) != 0)
            continue;
        const char *name = c->args[k].name + len;
        const char *have = strcmp(name, "key") == 0 ? (it ? it->key : NULL) : it ? attr_get(it, name) : NULL;
        const char *want = c->args[k].value;
        if (!*want ? have && *have : !have || strcmp(have, want) != 0)
            return false;
    }
    return true;
}

static bool strong(const api_call *c)
{
    const char *v = api_arg_get(c, "consistent_read");
    return v && strcmp(v, "true") == 0;
}

static void log_call(ddb_table *t, const api_call *c, const char *outcome)
{
    events_add(wb_events(t->b), sim_now(t->s), "dynamodb", t->cfg->name, NULL, NULL, "%s %s%s%s: %s",
               c->caller ? c->caller : "", c->op, api_arg_get(c, "key") ? " " : "",
               api_arg_get(c, "key") ? api_arg_get(c, "key") : "", outcome);
}

/* Reads: GetItem (one key), Query (items matching filter.*), Scan (all items, filtered). */
static int serve_read(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    (void)s;
    ddb_table *t = target;
    bool scan = strcmp(c->op, "dynamodb:Scan") == 0, get = strcmp(c->op, "dynamodb:GetItem") == 0;
    if (t->cfg->error_probability > 0 && gsl_rng_uniform(t->rng) < t->cfg->error_probability) {
        t->c.errors++;
        log_call(t, c, "HTTP 500 (injected)");
        return reply(t, API_SERVICE_ERROR, 0, NULL, 0, done, ctx);
    }
    /* 7: a global secondary index does not support strongly consistent reads. */
    if (strong(c) && api_arg_get(c, "index_name")) {
        log_call(t, c, "ValidationException (consistent reads are not supported on global secondary indexes)");
        return reply(t, API_INVALID, 0, NULL, 0, done, ctx);
    }
    api_item *out = t->n ? calloc(t->n, sizeof *out) : NULL;
    if (t->n && !out)
        return -1;
    size_t n = 0;
    bool mem = true;
    item tmp;
    if (get) {
        const item *it = view(t, find(t, api_arg_get(c, "key")), strong(c), &tmp);
        if (it)
            mem = copy_out(it, &out[n++]);
    } else {
        for (size_t i = 0; mem && i < t->n; i++) {
            const item *it = view(t, &t->items[i], strong(c), &tmp);
            if (it && matches(it, c, "filter."))
                mem = copy_out(it, &out[n++]);
        }
    }
    if (!mem) {
        api_items_free(out, n);
        return -1;
    }
    /* pick: random shuffles what was found, as claim scripts do to spread contention. */
    const char *pick = api_arg_get(c, "pick");
    if (pick && strcmp(pick, "random") == 0)
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)gsl_rng_uniform_int(t->rng, (unsigned long)i);
            api_item swap = out[i - 1];
            out[i - 1] = out[j];
            out[j] = swap;
        }
    const char *lim = api_arg_get(c, "limit");
    if (lim && atol(lim) > 0 && (size_t)atol(lim) < n) {
        size_t keep = (size_t)atol(lim);
        for (size_t i = keep; i < n; i++)
            for (size_t k = 0; k < out[i].n_attrs; k++) {
                free((char *)out[i].attrs[k].name);
                free((char *)out[i].attrs[k].value);
            }
        n = keep;
    }
    double units = read_units(t, scan ? t->n : n, strong(c));
    if (fis_throttled(t) || !take(t, false, units)) {
        api_items_free(out, n);
        t->c.throttles++;
        log_call(t, c, "ProvisionedThroughputExceededException");
        return reply(t, API_THROTTLED, 0, NULL, 0, done, ctx);
    }
    t->c.reads++;
    t->c.rru += units;
    return reply(t, API_OK, units, out, n, done, ctx);
}

/* UpdateItem's ADD action on a number: absent counts as 0 (DynamoDB UpdateItem, ADD); false when
   either value is not a number (ValidationException) or out of memory. */
static bool attr_add(item *it, const char *name, const char *delta)
{
    const char *have = attr_get(it, name);
    char *e1 = NULL, *e2 = NULL;
    double a = have && *have ? strtod(have, &e1) : 0, d = strtod(delta, &e2);
    if ((have && *have && *e1) || !*delta || *e2 || !isfinite(a + d))
        return false;
    char num[64];
    snprintf(num, sizeof num, "%.15g", a + d);
    return attr_set(it, name, num);
}

/* Writes: PutItem (replace), UpdateItem (set.* and add.* actions), both with condition.* (equality). */
static int serve_write(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    (void)s;
    ddb_table *t = target;
    const char *key = api_arg_get(c, "key");
    if (t->cfg->error_probability > 0 && gsl_rng_uniform(t->rng) < t->cfg->error_probability) {
        t->c.errors++;
        log_call(t, c, "HTTP 500 (injected)");
        return reply(t, API_SERVICE_ERROR, 0, NULL, 0, done, ctx);
    }
    double units = write_units(t);
    if (fis_throttled(t) || !take(t, true, units)) {
        t->c.throttles++;
        log_call(t, c, "ProvisionedThroughputExceededException");
        return reply(t, API_THROTTLED, 0, NULL, 0, done, ctx);
    }
    t->c.wru += units;
    item *it = find(t, key);
    if (!matches(it, c, "condition.")) {
        /* 7: a failed conditional write still consumes write units. */
        t->c.conditional_failures++;
        log_call(t, c, "ConditionalCheckFailedException");
        return reply(t, API_CONDITION_FAILED, units, NULL, 0, done, ctx);
    }
    bool is_new = it == NULL;
    if (!it && !(it = add(t, key)))
        return -1;
    if (!note_write(t, it, is_new))
        return -1;
    bool before = t->cfg->pool && is_used(t, it);
    sim_time_t end_before = before ? owner_end(t, it) : -1;
    if (strcmp(c->op, "dynamodb:PutItem") == 0)
        for (size_t k = 0; k < it->n; k++)
            it->value[k][0] = '\0';
    for (size_t k = 0; k < c->n_args; k++)
        if (strncmp(c->args[k].name, "set.", 4) == 0 && !attr_set(it, c->args[k].name + 4, c->args[k].value))
            return -1;
    for (size_t k = 0; k < c->n_args; k++)
        if (strncmp(c->args[k].name, "add.", 4) == 0 && !attr_add(it, c->args[k].name + 4, c->args[k].value)) {
            log_call(t, c, "ValidationException (ADD on a value that is not a number)");
            return reply(t, API_INVALID, units, NULL, 0, done, ctx);
        }
    pool_note(t, it, before, end_before);
    t->c.writes++;
    log_call(t, c, "ok");
    /* ReturnValues ALL_NEW: the item as written, so a script can read a counter it just added to. */
    const char *rv = api_arg_get(c, "return_values");
    if (rv && strcmp(rv, "ALL_NEW") == 0) {
        api_item *out = calloc(1, sizeof *out);
        if (!out || !copy_out(it, out)) {
            api_items_free(out, out ? 1 : 0);
            return -1;
        }
        return reply(t, API_OK, units, out, 1, done, ctx);
    }
    return reply(t, API_OK, units, NULL, 0, done, ctx);
}

static const char *const get_args[] = {"key", "consistent_read", NULL};
static const char *const get_req[] = {"key", NULL};
static const char *const query_args[] = {"filter.", "limit", "pick", "consistent_read", "index_name", NULL};
static const char *const scan_args[] = {"filter.", "limit", "pick", "consistent_read", NULL};
static const char *const put_args[] = {"key", "set.", "condition.", NULL};
static const char *const update_args[] = {"key", "set.", "add.", "condition.", "return_values", NULL};

const api_op_spec ddb_api_ops[] = {
    {"dynamodb:GetItem", "aws_dynamodb_table", "table", get_args, get_req, serve_read,
     "the item with hash key `key` (consistent_read: \"true\" for a strongly consistent read, 2x the units)"},
    {"dynamodb:Query", "aws_dynamodb_table", "table", query_args, NULL, serve_read,
     "items whose attributes equal every filter.ATTR, as a query on an index of those attributes; pays for what it returns"},
    {"dynamodb:Scan", "aws_dynamodb_table", "table", scan_args, NULL, serve_read,
     "items matching every filter.ATTR (\"\" = absent or empty); pays for every item it reads; limit, pick: first|random"},
    {"dynamodb:PutItem", "aws_dynamodb_table", "table", put_args, get_req, serve_write,
     "writes item `key` with its set.ATTR values, if every condition.ATTR holds (else ConditionalCheckFailedException, units still paid)"},
    {"dynamodb:UpdateItem", "aws_dynamodb_table", "table", update_args, get_req, serve_write,
     "sets set.ATTR and adds add.ATTR (a number; absent counts 0) on item `key` if every condition.ATTR holds (else "
     "ConditionalCheckFailedException, units still paid); return_values: ALL_NEW answers the item as written"},
    {NULL},
};

/* ---------------------------------------------------------------- life */

static void on_leak_check(sim *s, void *obj, uint64_t arg);
#define LEAK_CHECK (10 * SIM_SEC)

ddb_table *ddb_new(wb *b, const ddb_table_cfg *cfg, char *err, size_t errlen)
{
    ddb_table *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char stream[320];
    snprintf(stream, sizeof stream, "dynamodb/%s", cfg->name);
    *t = (ddb_table){.b = b, .s = wb_sim(b), .cfg = cfg, .rng = sim_rng(wb_sim(b), stream)};
    snprintf(stream, sizeof stream, "dynamodb/%s/replication", cfg->name);
    t->lag_rng = sim_rng(wb_sim(b), stream);
    t->rcu_tokens = (double)cfg->rcu * BURST_S;
    t->wcu_tokens = (double)cfg->wcu * BURST_S;
    if (!t->rng || !t->lag_rng) {
        snprintf(err, errlen, "out of memory");
        free(t);
        return NULL;
    }
    for (size_t i = 0; i < cfg->n_items; i++) {
        item *it = add(t, cfg->items[i].key);
        for (size_t k = 0; it && k < cfg->items[i].n; k++)
            if (!attr_set(it, cfg->items[i].attr[k], cfg->items[i].value[k]))
                it = NULL;
        if (!it) {
            snprintf(err, errlen, "out of memory");
            ddb_free(t);
            return NULL;
        }
        if (cfg->pool && is_used(t, it)) {
            it->used_since = 0;
            t->in_use++;
        }
    }
    t->c.max_in_use = t->in_use;
    if (cfg->pool)
        sim_after(t->s, LEAK_CHECK, on_leak_check, t, 0);
    return t;
}

const char *ddb_name(const ddb_table *t) { return t->cfg->name; }
int ddb_claimed(const ddb_table *t) { return t->in_use; }

void ddb_free(ddb_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].key);
        for (size_t k = 0; k < t->items[i].n; k++) {
            free(t->items[i].attr[k]);
            free(t->items[i].value[k]);
        }
        free_old(&t->items[i]);
    }
    free(t->items);
    free(t);
}

/* Counts and logs (now, with the owner's end time) every key whose owner ended since the last look. */
static void detect_leaks(ddb_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        item *it = &t->items[i];
        sim_time_t end = is_used(t, it) ? owner_end(t, it) : -1;
        if (end < 0)
            continue;
        /* Leases (the alternative design): the owner stopped renewing at its end; the lease lapses a lease later. */
        if (t->cfg->lease > 0 && sim_now(t->s) >= end + t->cfg->lease) {
            const char *owner = attr_get(it, t->cfg->owner_attr);
            events_add(wb_events(t->b), sim_now(t->s), "license", t->cfg->name, "leaked", "free",
                       "key %s: the lease of %s lapsed (its owner ended at %.3f s): the key is free again", it->key,
                       owner ? owner : "", sim_to_sec(end));
            t->c.lease_expiries++;
            if (!attr_set(it, t->cfg->used_attr, "false") || !attr_set(it, t->cfg->owner_attr, "")) {
                sim_fail(t->s, SIM_ENOMEM);
                return;
            }
            pool_note(t, it, true, end);
            continue;
        }
        if (it->counted_leak)
            continue;
        it->counted_leak = true;
        t->c.leaks++;
        const char *owner = attr_get(it, t->cfg->owner_attr);
        ddb_leak_cause why = leak_cause(t, owner);
        t->c.leaks_by_cause[why]++;
        events_add(wb_events(t->b), sim_now(t->s), "license", t->cfg->name, "in use", "leaked",
                   "key %s: its owner %s ended at %.3f s with the key claimed: %s", it->key, owner, sim_to_sec(end),
                   cause_text[why]);
    }
}

/* The pool's look-out: leaks are found within LEAK_CHECK of their owner's end. */
static void on_leak_check(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    ddb_table *t = obj;
    detect_leaks(t);
    if (sim_now(s) + LEAK_CHECK < wb_scenario(t->b)->duration)
        sim_after(s, LEAK_CHECK, on_leak_check, t, 0);
}

/* Lease renewals so far (the lease design): one write per lease/2 per claimed key; key_ns is the claimed key-time. */
static double renewal_units(const ddb_table *t)
{
    if (t->cfg->lease <= 0)
        return 0;
    return (t->key_ns + (double)t->in_use * (double)(sim_now(t->s) - t->pool_at)) / ((double)t->cfg->lease / 2.0) *
           write_units(t);
}

ddb_counts ddb_get_counts(ddb_table *t)
{
    ddb_counts c = t->c;
    if (!t->cfg->pool)
        return c;
    pool_advance(t);
    detect_leaks(t);
    c.pool_size = (int)t->n;
    c.in_use = c.leaked = 0;
    for (size_t i = 0; i < t->n; i++) {
        item *it = &t->items[i];
        if (!is_used(t, it))
            continue;
        if (owner_end(t, it) >= 0) {
            c.leaked++;
        } else {
            c.in_use++;
        }
    }
    c.leaks = t->c.leaks;
    for (int k = 0; k < DDB_LEAK_N; k++)
        c.leaks_by_cause[k] = t->c.leaks_by_cause[k];
    c.free = c.pool_size - c.in_use - c.leaked;
    c.key_hours = t->key_ns / (double)SIM_HOUR;
    c.renewal_wru = renewal_units(t);
    c.wru += c.renewal_wru;
    return c;
}

bool ddb_pool_now(const ddb_table *t, int *in_use, int *free_keys, int *leaked)
{
    *in_use = *free_keys = *leaked = 0;
    if (!t->cfg->pool)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        const item *it = &t->items[i];
        if (!is_used(t, it))
            ++*free_keys;
        else if (owner_end(t, it) >= 0)
            ++*leaked;
        else
            ++*in_use;
    }
    return true;
}

double ddb_cost(const ddb_table *t)
{
    const itype_services *p = itype_services_in(wb_scenario(t->b)->region);
    if (!p)
        return 0;
    double hours = sim_to_sec(sim_now(t->s)) / 3600.0;
    double usd = t->cfg->billing == DDB_PAY_PER_REQUEST
                     ? t->c.wru * p->ddb_wru_million / 1e6 + t->c.rru * p->ddb_rru_million / 1e6
                     : hours * ((double)t->cfg->rcu * p->ddb_rcu_hour + (double)t->cfg->wcu * p->ddb_wcu_hour);
    if (t->cfg->billing == DDB_PAY_PER_REQUEST)
        usd += renewal_units(t) * p->ddb_wru_million / 1e6;
    double gb = (double)t->n * (double)t->cfg->item_bytes / 1e9;
    return usd + gb * p->ddb_storage_gb_month * hours / 730.0;
}

void ddb_bill(ddb_table *t, cost_ledger *l)
{
    const itype_services *p = itype_services_in(wb_scenario(t->b)->region);
    if (!p)
        return;
    double hours = sim_to_sec(sim_now(t->s)) / 3600.0;
    if (t->cfg->billing == DDB_PAY_PER_REQUEST) {
        /* lease renewals are writes like any other */
        cost_ledger_charge(l, "dynamodb", "write_request_units", "WRU", t->c.wru + renewal_units(t), p->ddb_wru_million / 1e6);
        cost_ledger_charge(l, "dynamodb", "read_request_units", "RRU", t->c.rru, p->ddb_rru_million / 1e6);
    } else {
        cost_ledger_charge(l, "dynamodb", "wcu_hours", "WCU-hours", hours * (double)t->cfg->wcu, p->ddb_wcu_hour);
        cost_ledger_charge(l, "dynamodb", "rcu_hours", "RCU-hours", hours * (double)t->cfg->rcu, p->ddb_rcu_hour);
    }
    double gb = (double)t->n * (double)t->cfg->item_bytes / 1e9;
    cost_ledger_charge(l, "dynamodb", "storage", "GB-months", gb * hours / 730.0, p->ddb_storage_gb_month);
    if (t->cfg->pool) {
        pool_advance(t);
        cost_ledger_charge(l, "licenses", "key_hours", "key-hours", t->key_ns / (double)SIM_HOUR, t->cfg->fee_per_key_hour);
    }
}

double ddb_license_fees(ddb_table *t)
{
    if (!t->cfg->pool)
        return 0;
    pool_advance(t);
    return t->key_ns / (double)SIM_HOUR * t->cfg->fee_per_key_hour;
}

/* ---------------------------------------------------------------- fleetsim:dynamodb:throttle-requests */

/* Draws only below 100%, so a full throttle leaves the table's stream as it was. */
static bool fis_throttled(ddb_table *t)
{
    if (sim_now(t->s) >= t->fis_until || t->fis_p <= 0)
        return false;
    return t->fis_p >= 1 || gsl_rng_uniform(t->rng) < t->fis_p;
}

void ddb_fis_throttle(ddb_table *t, sim_time_t until, double fraction)
{
    t->fis_until = until;
    t->fis_p = fraction;
}
