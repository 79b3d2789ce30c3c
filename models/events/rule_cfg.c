/*
 * rule_cfg.c - aws_cloudwatch_event_rule: an event pattern (Terraform's JSON
 * string, or a YAML mapping) or a schedule expression, its state, and
 * fleetsim's delivery latency and disabled windows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/events/rule.h"
#include "models/events/rule_cfg.h"

static const char *const states[] = {"ENABLED", "DISABLED", NULL};
static const char *const states_later[] = {"ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", NULL};

static const ld_key window_keys[] = {
    {.name = "at", .kind = LD_DUR, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "when the rule is disabled: a duration after t = 0 or a UTC time stamp"},
    {.name = "duration", .kind = LD_DUR, .lo = "1ns", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "for how long"},
    {.name = NULL},
};

static const ld_key fleetsim_keys[] = {
    {.name = "delivery_latency", .kind = LD_DIST, .def = "{dist: lognormal, p50: 50ms, p99: 117ms}",
     .source = "fleetsim: AWS publishes no figure (aws-semantics 6.7); a lognormal through the third-party 80 ms "
               "p90 (Amazon Key, 2026) with the median assumed at 50 ms, which puts p99 at 117 ms",
     .doc = "from a match (or a schedule's time) to the target's invocation"},
    {.name = "disabled", .kind = LD_LIST, .source = "fleetsim (what-if)",
     .doc = "windows [{at, duration}] during which the rule is disabled: matching events are dropped"},
    {.name = NULL},
};

static const ld_key rule_keys[] = {
    {.name = "name", .kind = LD_STR, .hi = "64", .source = "Terraform / EventBridge API (64 characters)",
     .doc = "the rule's AWS name (default: the resource's name)"},
    {.name = "description", .kind = LD_STR, .hi = "512", .source = "Terraform / EventBridge API (512 characters)",
     .doc = "read, not simulated"},
    {.name = "event_pattern", .kind = LD_STR, .source = "Terraform (a JSON string); aws-semantics 6.7",
     .doc = "JSON string or YAML mapping: fields AND, value lists OR; exact strings, prefix, suffix, "
            "equals-ignore-case, anything-but, exists; "
            "exactly one of event_pattern and schedule_expression"},
    {.name = "schedule_expression", .kind = LD_STR, .hi = "256", .source = "Terraform / EventBridge API; aws-semantics 6.7",
     .doc = "rate(5 minutes) or cron(0 12 * * ? *), UTC from start_time; at most once a minute"},
    {.name = "state", .kind = LD_ENUM, .def = "ENABLED", .values = states, .later = states_later,
     .source = "Terraform (ENABLED)", .doc = "DISABLED: the rule matches nothing"},
    {.name = "is_enabled", .kind = LD_BOOL, .def = "true", .source = "Terraform (deprecated; use state)",
     .doc = "older form of state; conflicts with state"},
    {.name = "event_bus_name", .kind = LD_STR, .def = "default", .hi = "256", .source = "Terraform (default)",
     .doc = "only the account's default bus is modelled"},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = fleetsim_keys, .source = "fleetsim",
     .doc = "fleetsim's own keys: delivery_latency, disabled"},
    {.name = "name_prefix", .kind = LD_NOTSIM}, {.name = "role_arn", .kind = LD_NOTSIM},
    {.name = "tags", .kind = LD_NOTSIM}, {.name = "tags_all", .kind = LD_NOTSIM},
    {.name = "force_destroy", .kind = LD_NOTSIM}, {.name = "region", .kind = LD_NOTSIM},
    {.name = NULL},
};

/* One value list (or nested object) of the pattern at path; errors at n. */
static void pattern_node(loader *v, const scn_node *at, const scn_node *n, const char *path, evp *p, int depth);

static const char *const later_ops[] = {"numeric", "cidr", "wildcard", NULL};

/* One entry of a value list: a string (exact) or {prefix | suffix | equals-ignore-case | anything-but | exists}. */
static void pattern_item(loader *v, const scn_node *at, const scn_node *e, size_t f, evp *p)
{
    char b1[96];
    if (e->kind == SCN_N_SCALAR) {
        if (e->plain && scn_is_null(e)) {
            scn_err(&v->c, at, "event_pattern: null values are not supported yet");
            return;
        }
        const char *s = e->str;
        if (evp_add(p, f, EVP_EXACT, &s, 1, false) != 0)
            scn_err(&v->c, at, "out of memory");
        return;
    }
    if (e->kind != SCN_N_MAP || e->n != 2) {
        scn_err(&v->c, at, "event_pattern: a value list holds strings or one-key objects ({prefix: ...}), found %s",
                scn_kind_name(e));
        return;
    }
    const scn_node *k = e->kids[0], *val = e->kids[1];
    const char *op = k->kind == SCN_N_SCALAR ? k->str : "";
    static const struct { const char *name; evp_op op; } one_string[] = {
        {"prefix", EVP_PREFIX}, {"suffix", EVP_SUFFIX}, {"equals-ignore-case", EVP_EQUALS_IGNORE_CASE},
    };
    for (size_t j = 0; j < sizeof one_string / sizeof one_string[0]; j++) {
        if (strcmp(op, one_string[j].name) != 0)
            continue;
        if (val->kind != SCN_N_SCALAR || (val->plain && scn_is_null(val))) {
            scn_err(&v->c, at, "event_pattern: '%s' takes a string", op);
            return;
        }
        const char *s = val->str;
        if (evp_add(p, f, one_string[j].op, &s, 1, false) != 0)
            scn_err(&v->c, at, "out of memory");
        return;
    }
    if (strcmp(op, "exists") == 0 && val->kind == SCN_N_SCALAR &&
               (strcmp(val->str, "true") == 0 || strcmp(val->str, "false") == 0)) {
        if (evp_add(p, f, EVP_EXISTS, NULL, 0, strcmp(val->str, "true") == 0) != 0)
            scn_err(&v->c, at, "out of memory");
    } else if (strcmp(op, "anything-but") == 0 && val->kind == SCN_N_SCALAR) {
        const char *s = val->str;
        if (evp_add(p, f, EVP_ANYTHING_BUT, &s, 1, false) != 0)
            scn_err(&v->c, at, "out of memory");
    } else if (strcmp(op, "anything-but") == 0 && val->kind == SCN_N_SEQ && val->n > 0) {
        const char **strs = calloc(val->n, sizeof *strs);
        if (!strs) {
            scn_err(&v->c, at, "out of memory");
            return;
        }
        bool ok = true;
        for (size_t i = 0; i < val->n; i++) {
            if (val->kids[i]->kind != SCN_N_SCALAR) {
                scn_err(&v->c, at, "event_pattern: anything-but lists hold strings; {anything-but: {prefix: ...}} "
                        "is not supported yet");
                ok = false;
                break;
            }
            strs[i] = val->kids[i]->str;
        }
        if (ok && evp_add(p, f, EVP_ANYTHING_BUT, strs, val->n, false) != 0)
            scn_err(&v->c, at, "out of memory");
        free(strs);
    } else if (ld_in_list(op, later_ops)) {
        scn_err(&v->c, at, "event_pattern: the '%s' operator is not supported yet", op);
    } else if (strcmp(op, "exists") == 0 || strcmp(op, "anything-but") == 0) {
        scn_err(&v->c, at, "event_pattern: bad value for '%s' (exists takes true or false, anything-but a string or "
                "a non-empty list of strings)", op);
    } else {
        scn_err(&v->c, at, "event_pattern: unknown operator '%s' (expected prefix, suffix, equals-ignore-case, "
                "anything-but or exists)", scn_clip(b1, sizeof b1, op));
    }
}

static void pattern_node(loader *v, const scn_node *at, const scn_node *n, const char *path, evp *p, int depth)
{
    char b1[96];
    if (n->kind == SCN_N_MAP) {
        if (n->n == 0) {
            scn_err(&v->c, at, "event_pattern: '%s' is an empty object", path[0] ? path : "the pattern");
            return;
        }
        if (depth > 8) {
            scn_err(&v->c, at, "event_pattern: nested too deeply");
            return;
        }
        for (size_t i = 0; i + 1 < n->n; i += 2) {
            const scn_node *k = n->kids[i];
            if (k->kind != SCN_N_SCALAR)
                continue;
            if (k->str[0] == '$') {
                scn_err(&v->c, at, "event_pattern: '%s' is not supported yet", scn_clip(b1, sizeof b1, k->str));
                continue;
            }
            char sub[512];
            if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k->str) >= sizeof sub) {
                scn_err(&v->c, at, "event_pattern: field path too long");
                continue;
            }
            pattern_node(v, at, n->kids[i + 1], sub, p, depth + 1);
        }
        return;
    }
    if (!path[0]) {
        scn_err(&v->c, at, "event_pattern: expected an object (a mapping of fields), found %s", scn_kind_name(n));
        return;
    }
    if (n->kind != SCN_N_SEQ || n->n == 0) {
        scn_err(&v->c, at, "event_pattern: '%s' must be a non-empty list of values or an object (EventBridge rule), "
                "found %s", path, n->kind == SCN_N_SEQ ? "an empty list" : scn_kind_name(n));
        return;
    }
    int f = evp_add_field(p, path);
    if (f < 0) {
        scn_err(&v->c, at, "out of memory");
        return;
    }
    for (size_t i = 0; i < n->n; i++)
        pattern_item(v, at, n->kids[i], (size_t)f, p);
}

/* event_pattern: a mapping, or a string holding JSON (or YAML) text, parsed with the scenario's own parser. */
static void load_pattern(loader *v, const ld_sect *s, evr_cfg *c)
{
    const scn_node *n = ld_sect_get(s, "event_pattern");
    const scn_node *key = ld_sect_key(s, "event_pattern");
    c->has_pattern = true;
    if (n->kind == SCN_N_MAP) {
        pattern_node(v, n, n, "", &c->pattern, 0);
        return;
    }
    if (n->kind != SCN_N_SCALAR) {
        scn_err(&v->c, n, "'event_pattern': expected a JSON string or a mapping, found %s", scn_kind_name(n));
        return;
    }
    scn_diags d = {0};
    scn_ctx pc = {.file = "<event_pattern>", .d = &d};
    int failed = 0;
    scn_node *root = scn_parse(&pc, n->str, strlen(n->str), NULL, &failed);
    if (!root) {
        scn_err(&v->c, key ? key : n, "'event_pattern' is not valid JSON or YAML: %s",
                d.n ? d.items[0].message : "empty pattern");
    } else {
        pattern_node(v, n, root, "", &c->pattern, 0);
    }
    scn_node_free(root);
    scn_diags_free(&d);
}

static void load_windows(loader *v, const ld_sect *fs, evr_cfg *c)
{
    const scn_node *seq = ld_seq(fs, "disabled", "{at, duration} windows");
    if (!seq)
        return;
    if (!(c->disabled = calloc(seq->n, sizeof *c->disabled))) {
        scn_err(&v->c, seq, "out of memory");
        return;
    }
    for (size_t i = 0; i < seq->n; i++) {
        ld_sect w;
        if (!ld_sect_open(v, &w, seq->kids[i], seq->kids[i], "a disabled window of fleetsim"))
            continue;
        ld_sect_check(&w, window_keys);
        const scn_node *where = NULL;
        evr_window win = {0};
        if (!ld_sect_get(&w, "at"))
            scn_err(&v->c, seq->kids[i], "missing required key 'at' in a disabled window");
        else if (ld_get_when(&w, "at", &win.at, &where) < 0)
            continue;
        if (ld_dur(&w, "duration", &win.duration) <= 0)
            continue;
        c->disabled[c->n_disabled++] = win;
    }
}

static void rule_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    evr_cfg *c = cfg;
    ld_sect b = *s;
    char what[512], b1[96];
    ld_sect_check(&b, rule_keys);
    snprintf(c->rule_name, sizeof c->rule_name, "%.64s", r->name);
    ld_str(&b, "name", c->rule_name, sizeof c->rule_name, NULL);
    ld_str(&b, "description", NULL, 0, NULL);

    bool has_p = ld_sect_get(&b, "event_pattern") != NULL, has_s = ld_sect_get(&b, "schedule_expression") != NULL;
    if (has_p && has_s)
        scn_err(&v->c, ld_sect_key(&b, "schedule_expression"), "%s: give 'event_pattern' or 'schedule_expression', "
                "not both", b.what);
    else if (!has_p && !has_s)
        scn_err(&v->c, b.owner, "missing required key 'event_pattern' (or 'schedule_expression') in %s", b.what);
    else if (has_p)
        load_pattern(v, &b, c);
    else {
        const scn_node *where = NULL;
        char why[160];
        if (ld_str(&b, "schedule_expression", c->schedule_text, sizeof c->schedule_text, &where) > 0) {
            if (sx_parse(c->schedule_text, &c->schedule, why, sizeof why) != 0)
                scn_err(&v->c, where, "'schedule_expression' %s: %s", scn_clip(b1, sizeof b1, c->schedule_text), why);
            else
                c->has_schedule = true;
        }
    }

    int st = 0;
    const scn_node *stn = NULL;
    int rst = ld_enum(&b, "state", &st, &stn);
    bool en = true;
    int ren = ld_bool(&b, "is_enabled", &en);
    if (rst > 0 && ren > 0)
        scn_err(&v->c, ld_sect_key(&b, "is_enabled"), "%s: give 'state' or 'is_enabled', not both", b.what);
    c->enabled = rst > 0 ? st == 0 : en;

    char bus[257] = "default";
    const scn_node *bn = NULL;
    if (ld_str(&b, "event_bus_name", bus, sizeof bus, &bn) > 0 && strcmp(bus, "default") != 0)
        scn_err(&v->c, bn, "'event_bus_name' %s: only the default event bus is supported yet",
                scn_clip(b1, sizeof b1, bus));

    ld_sect fs;
    sim_dist_lognormal_p50_p99(&c->latency, 0.050, 0.117);
    ld_block(&b, "fleetsim", &fs, what, sizeof what);
    ld_dist(&fs, "delivery_latency", &c->latency, &c->latency_values);
    load_windows(v, &fs, c);
}

static void rule_free_cfg(void *cfg)
{
    evr_cfg *c = cfg;
    evp_free(&c->pattern);
    free(c->latency_values);
    free(c->disabled);
}

/* ---------------------------------------------------------------- the run */

static int rule_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    evr *r = evr_new(b, cfg, err, errlen);
    if (!r)
        return -1;
    *model = r;
    return 0;
}

static void rule_free_model(void *m) { evr_free(m); }

static void rule_report(const void *m, const void *cfg, wb *b, rows *r)
{
    (void)cfg;
    (void)b;
    evr_counts c = evr_get_counts(m);
    if (rows_begin(r, "aws_cloudwatch_event_rule", evr_name(m)) != 0)
        return;
    rows_int(r, "matched_events", c.matched);
    rows_int(r, "disabled_drops", c.disabled_drops);
    rows_int(r, "invocations", c.invocations);
    rows_int(r, "delivery_retries", c.retries);
    rows_int(r, "failed_deliveries", c.failed);
    rows_int(r, "dead_lettered", c.dead_lettered);
}

const res_type res_aws_cloudwatch_event_rule = {
    .tf_type = "aws_cloudwatch_event_rule",
    .doc = "An EventBridge rule on the default bus: an event pattern or a schedule; its targets get what it matches.",
    .keys = rule_keys,
    .pass = 0,
    .cfg_size = sizeof(evr_cfg),
    .arr_off = 0,
    .n_off = 0,
    .load = rule_load,
    .free_cfg = rule_free_cfg,
    .stage = WB_STAGE_EVENT_RULES,
    .build = rule_build,
    .free_model = rule_free_model,
    .report = rule_report,
};
