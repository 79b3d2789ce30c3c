/*
 * listener_rule_cfg.c - aws_lb_listener_rule (alias aws_alb_listener_rule):
 * a priority, path_pattern / host_header conditions and an action. Rules of
 * one listener are evaluated by ascending priority; the first whose every
 * condition matches decides, else the listener's default action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/elb/listener_cfg.h"
#include "models/elb/alb.h"
#include "models/elb/elb_build.h"
#include <stdlib.h>

static const ld_key values_keys[] = {
    {.name = "values", .kind = LD_LIST, .flags = LD_REQUIRED, .hi = "5", .source = "Terraform / ELB quota (5 values a rule)",
     .doc = "patterns of at most 128 characters; * matches any run, ? one character"},
    {.name = NULL},
};

static const ld_key condition_keys[] = {
    {.name = "path_pattern", .kind = LD_BLOCK, .block = values_keys, .source = "Terraform",
     .doc = "the request's path matches one of the values (case-sensitive)"},
    {.name = "host_header", .kind = LD_BLOCK, .block = values_keys, .source = "Terraform",
     .doc = "the request's Host matches one of the values (case-insensitive)"},
    {.name = "http_header", .kind = LD_LATER}, {.name = "http_request_method", .kind = LD_LATER},
    {.name = "query_string", .kind = LD_LATER}, {.name = "source_ip", .kind = LD_LATER},
    {.name = NULL},
};

static const ld_key rule_keys[] = {
    {.name = "listener_arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_lb_listener"},
    {.name = "priority", .kind = LD_INT, .lo = "1", .hi = "50000",
     .source = "Terraform / ELB API (absent: one more than the listener's highest)",
     .doc = "unique on its listener; lower is evaluated first"},
    {.name = "action", .kind = LD_BLOCK, .flags = LD_REQUIRED, .block = listener_action_keys, .source = "Terraform",
     .doc = "as the listener's default_action"},
    {.name = "condition", .kind = LD_BLOCK, .flags = LD_REQUIRED, .hi = "5", .block = condition_keys,
     .source = "Terraform / ELB API", .doc = "one block or a list; all must match (one field each)"},
    {.name = "tags", .kind = LD_NOTSIM},
    {.name = NULL},
};

/* A `values` list of at most 128-character patterns appended to out[*n] (SCN_RULE_MAX_VALUES in all). */
static void values_load(loader *v, const ld_sect *c, const char *field, char **out, int *n, int *total,
                        const scn_node *cond)
{
    char what[512], b1[96];
    ld_sect f;
    if (ld_sect_get(c, field) && *n > 0) {
        scn_err(&v->c, ld_sect_key(c, field), "a rule takes one '%s' condition (put every pattern in its values)",
                field);
        return;
    }
    if (!ld_block(c, field, &f, what, sizeof what))
        return;
    const scn_node *vl = ld_get_seq(&f, "values", true, SCN_RULE_MAX_VALUES, "patterns");
    if (!vl)
        return;
    for (size_t i = 0; i < vl->n; i++) {
        const scn_node *e = vl->kids[i];
        if (!ld_want_scalar(&f, e, "values", "a pattern"))
            continue;
        if (strlen(e->str) == 0 || strlen(e->str) > 128) {
            scn_err(&v->c, e, "'values': a pattern has 1 to 128 characters, found '%s'", scn_clip(b1, sizeof b1, e->str));
            continue;
        }
        if (++*total > SCN_RULE_MAX_VALUES) {
            scn_err(&v->c, cond, "a rule's conditions take at most %d values in all (ELB quota)", SCN_RULE_MAX_VALUES);
            return;
        }
        if (!(out[*n] = ld_dupstr(e->str))) {
            scn_err(&v->c, e, "out of memory");
            return;
        }
        (*n)++;
    }
}

static void rule_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_listener_rule *ru = cfg;
    ld_sect b = *s;
    char what[512];
    (void)r;
    ld_sect_check(&b, rule_keys);
    ru->listener = -1;
    ld_ref(&b, "listener_arn", "aws_lb_listener", &ru->listener);
    long long pr = 0;
    ld_int(&b, "priority", &pr);
    ru->priority = (int)pr;
    listener_action_load(v, &b, "action", &ru->action);
    const scn_node *cn = ld_sect_need(&b, "condition", true);
    if (!cn)
        return;
    size_t n = cn->kind == SCN_N_SEQ ? cn->n : 1;
    if (n == 0 || n > SCN_RULE_MAX_VALUES) {
        scn_err(&v->c, cn, "'condition': expected 1 to %d condition blocks, found %zu", SCN_RULE_MAX_VALUES, n);
        return;
    }
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        const scn_node *e = cn->kind == SCN_N_SEQ ? cn->kids[i] : cn;
        ld_sect c;
        snprintf(what, sizeof what, "condition %zu of %.400s", i, s->what);
        if (!ld_sect_open(v, &c, e, e, what))
            continue;
        ld_sect_check(&c, condition_keys);
        int fields = (ld_sect_get(&c, "path_pattern") != NULL) + (ld_sect_get(&c, "host_header") != NULL);
        if (fields != 1 && c.map && c.map->n == (size_t)fields * 2) {
            scn_err(&v->c, e, "%s: expected exactly one of path_pattern or host_header, found %d", what, fields);
            continue;
        }
        values_load(v, &c, "path_pattern", ru->paths, &ru->n_paths, &total, e);
        values_load(v, &c, "host_header", ru->hosts, &ru->n_hosts, &total, e);
    }
}

/* Absent priorities get the next after their listener's highest (file order); two rules of a listener never share one. */
static void rule_finish(loader *v)
{
    scenario *sc = v->s;
    for (size_t i = 0; i < sc->n_listener_rules; i++) {
        scn_listener_rule *b = &sc->listener_rules[i];
        if (b->listener < 0)
            continue;
        if (b->priority == 0) {
            int hi = 0;
            for (size_t j = 0; j < sc->n_listener_rules; j++)
                if (j != i && sc->listener_rules[j].listener == b->listener && sc->listener_rules[j].priority > hi)
                    hi = sc->listener_rules[j].priority;
            if (hi >= 50000) {
                scn_err_at(&v->c, b->loc.line, b->loc.col, "aws_lb_listener_rule \"%s\": no priority left after "
                           "50000 on listener %s: give one", b->name, sc->listeners[b->listener].name);
                continue;
            }
            b->priority = hi + 1;
        }
        for (size_t j = 0; j < i; j++) {
            const scn_listener_rule *a = &sc->listener_rules[j];
            if (a->listener == b->listener && a->priority == b->priority) {
                scn_err_at(&v->c, b->loc.line, b->loc.col, "aws_lb_listener_rule \"%s\": priority %d is already "
                           "rule %s's on listener %s (line %d)", b->name, b->priority, a->name,
                           sc->listeners[b->listener].name, a->loc.line);
                break;
            }
        }
    }
}

static void rule_free(void *cfg)
{
    scn_listener_rule *ru = cfg;
    for (int i = 0; i < ru->n_paths; i++)
        free(ru->paths[i]);
    for (int i = 0; i < ru->n_hosts; i++)
        free(ru->hosts[i]);
}

/* ---------------------------------------------------------------- the run */

extern const res_type res_aws_lb;

static int rule_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    const scn_listener_rule *r = cfg;
    const scenario *sc = wb_scenario(b);
    int li = r->listener;
    alb *lb = li >= 0 && (size_t)li < sc->n_listeners ? wb_model(b, &res_aws_lb, sc->listeners[li].lb) : NULL;
    size_t n = 0;
    tg **tgs = elb_target_groups(b, &n);
    int rc = lb && tgs ? alb_add_rule(lb, li, r, tgs, n) : -1;
    free(tgs);
    *model = NULL;
    if (rc != 0)
        snprintf(err, errlen, "aws_lb_listener_rule \"%s\": bad target group or out of memory", r->name);
    return rc;
}

static const char *const rule_aliases[] = {"aws_alb_listener_rule", NULL};

const res_type res_aws_lb_listener_rule = {
    .tf_type = "aws_lb_listener_rule",
    .doc = "A rule of an aws_lb_listener: path_pattern / host_header conditions, a priority and an action.",
    .keys = rule_keys,
    .aliases = rule_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_listener_rule),
    .arr_off = offsetof(scenario, listener_rules),
    .n_off = offsetof(scenario, n_listener_rules),
    .load = rule_load,
    .finish = rule_finish,
    .free_cfg = rule_free,
    .stage = WB_STAGE_LISTENER_RULES,
    .build = rule_build,
};
