/*
 * listener_cfg.c - aws_lb_listener (alias aws_alb_listener): the default
 * action of an ALB's listener (forward to one target group or weighted to
 * several, fixed-response, redirect), and what a listener rule's action
 * shares with it. Also where a workload's path, host and port are read.
 */
#include <stdio.h>
#include <string.h>

#include "models/core/loader.h"
#include "models/elb/listener_cfg.h"
#include "models/elb/alb.h"
#include "models/elb/elb_build.h"
#include <stdlib.h>

static const char *const action_types[] = {"forward", "fixed-response", "redirect", NULL};
static const char *const action_types_later[] = {"authenticate-cognito", "authenticate-oidc", NULL};
static const char *const content_types[] = {"text/plain", "text/css", "text/html", "application/javascript",
                                            "application/json", NULL};
static const char *const redirect_codes[] = {"HTTP_301", "HTTP_302", NULL};
static const char *const protos[] = {"HTTP", "HTTPS", NULL};
static const char *const protos_later[] = {"TCP", "TLS", "UDP", "TCP_UDP", NULL};

static const ld_key fwd_tg_keys[] = {
    {.name = "arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_lb_target_group"},
    {.name = "weight", .kind = LD_INT, .def = "1", .lo = "0", .hi = "999", .source = "Terraform / ELB API (0..999)",
     .doc = "its share of the requests: weight / sum of the weights"},
    {.name = NULL},
};

static const ld_key forward_keys[] = {
    {.name = "target_group", .kind = LD_BLOCK, .flags = LD_REQUIRED, .hi = "5", .block = fwd_tg_keys,
     .source = "Terraform / ELB API (1 to 5)", .doc = "a list of {arn, weight} blocks; each request picks one by weight"},
    {.name = "stickiness", .kind = LD_NOTSIM},
    {.name = NULL},
};

static const ld_key fixed_keys[] = {
    {.name = "content_type", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = content_types, .source = "Terraform",
     .doc = "read, not simulated"},
    {.name = "status_code", .kind = LD_INT, .flags = LD_REQUIRED, .lo = "200", .hi = "599",
     .source = "ELB API (StatusCode required: 2XX, 4XX or 5XX)", .doc = "the code the ALB answers with at once"},
    {.name = "message_body", .kind = LD_STR, .hi = "1024", .source = "Terraform / ELB API (1024 bytes)",
     .doc = "read, not simulated"},
    {.name = NULL},
};

static const ld_key redirect_keys[] = {
    {.name = "status_code", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = redirect_codes, .source = "Terraform",
     .doc = "HTTP_301 or HTTP_302: the ALB answers it at once (the client does not follow it)"},
    {.name = "host", .kind = LD_NOTSIM}, {.name = "path", .kind = LD_NOTSIM}, {.name = "port", .kind = LD_NOTSIM},
    {.name = "protocol", .kind = LD_NOTSIM}, {.name = "query", .kind = LD_NOTSIM},
    {.name = NULL},
};

const ld_key listener_action_keys[] = {
    {.name = "type", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = action_types, .later = action_types_later,
     .source = "Terraform", .doc = "forward, fixed-response or redirect"},
    {.name = "target_group_arn", .kind = LD_REF, .source = "Terraform",
     .doc = "forward: the one aws_lb_target_group (or use `forward`)"},
    {.name = "forward", .kind = LD_BLOCK, .block = forward_keys, .source = "Terraform",
     .doc = "forward: weighted target groups"},
    {.name = "fixed_response", .kind = LD_BLOCK, .block = fixed_keys, .source = "Terraform",
     .doc = "fixed-response (required for it)"},
    {.name = "redirect", .kind = LD_BLOCK, .block = redirect_keys, .source = "Terraform",
     .doc = "redirect (required for it)"},
    {.name = "order", .kind = LD_NOTSIM},
    {.name = "authenticate_cognito", .kind = LD_LATER}, {.name = "authenticate_oidc", .kind = LD_LATER},
    {.name = NULL},
};

/* The `forward` block: 1..5 {arn, weight}; no target group twice; the weights not all 0. */
static void forward_load(loader *v, const ld_sect *as, scn_lb_action *a)
{
    char what[512], what2[640], b1[96];
    ld_sect f;
    if (!ld_block(as, "forward", &f, what, sizeof what))
        return;
    const scn_node *tl = ld_get_seq(&f, "target_group", true, SCN_FWD_MAX, "target_group blocks");
    if (!tl)
        return;
    int sum = 0;
    for (size_t i = 0; i < tl->n; i++) {
        ld_sect t;
        snprintf(what2, sizeof what2, "target_group %zu of %.500s", i, what);
        if (!ld_sect_open(v, &t, tl->kids[i], tl->kids[i], what2))
            continue;
        ld_sect_check(&t, fwd_tg_keys);
        int tgi = -1;
        long long w = 1;
        ld_ref(&t, "arn", "aws_lb_target_group", &tgi);
        ld_int(&t, "weight", &w);
        if (tgi < 0)
            continue;
        for (int k = 0; k < a->n_fwd; k++)
            if (a->fwd_tg[k] == tgi)
                scn_err(&v->c, ld_sect_get(&t, "arn"), "target group %s is in this forward block twice",
                        scn_clip(b1, sizeof b1, v->s->target_groups[tgi].name));
        a->fwd_tg[a->n_fwd] = tgi;
        a->fwd_weight[a->n_fwd++] = (int)w;
        sum += (int)w;
    }
    if (a->n_fwd == (int)tl->n && sum == 0)
        scn_err(&v->c, tl, "every target_group has weight 0: the forward action would route no request");
}

/* One action mapping (already opened). */
static void action_body(loader *v, ld_sect *as, scn_lb_action *a)
{
    char what[512];
    ld_sect_check(as, listener_action_keys);
    int type = 0;
    const scn_node *tn = NULL;
    if (ld_enum(as, "type", &type, &tn) <= 0)
        return;
    a->kind = type == 0 ? SCN_LBA_FORWARD : type == 1 ? SCN_LBA_FIXED : SCN_LBA_REDIRECT;
    static const char *const fwd_only[] = {"target_group_arn", "forward", NULL};
    static const char *const fixed_only[] = {"fixed_response", NULL};
    static const char *const redirect_only[] = {"redirect", NULL};
    if (a->kind != SCN_LBA_FORWARD)
        ld_only_for(as, fwd_only, "type forward");
    if (a->kind != SCN_LBA_FIXED)
        ld_only_for(as, fixed_only, "type fixed-response");
    if (a->kind != SCN_LBA_REDIRECT)
        ld_only_for(as, redirect_only, "type redirect");
    ld_sect b;
    switch (a->kind) {
    case SCN_LBA_FORWARD: {
        int one = -1;
        const scn_node *on = ld_sect_get(as, "target_group_arn");
        ld_ref(as, "target_group_arn", "aws_lb_target_group", &one);
        if (ld_sect_get(as, "forward")) {
            forward_load(v, as, a);
            /* Terraform: with both, forward names one target group, the same one. */
            if (on && a->n_fwd > 0 && (a->n_fwd != 1 || a->fwd_tg[0] != one))
                scn_err(&v->c, on, "'target_group_arn' with a `forward` block: the block must name that one "
                        "target group only (Terraform's rule); use one of the two");
        } else if (on) {
            if (one >= 0) {
                a->n_fwd = 1;
                a->fwd_tg[0] = one;
                a->fwd_weight[0] = 1;
            }
        } else {
            scn_err(&v->c, as->owner, "%s: type forward needs 'target_group_arn' or a `forward` block", as->what);
        }
        break;
    }
    case SCN_LBA_FIXED: {
        ld_block(as, "fixed_response", &b, what, sizeof what);
        int ct = 0;
        ld_enum(&b, "content_type", &ct, NULL);
        long long code = 0;
        const scn_node *cn = ld_sect_get(&b, "status_code");
        if (ld_int(&b, "status_code", &code) > 0) {
            if (code >= 300 && code < 400)
                scn_err(&v->c, cn, "'status_code' of a fixed response must be 2XX, 4XX or 5XX (for 3XX use a "
                        "redirect action), found %lld", code);
            a->status_code = (int)code;
        }
        ld_str(&b, "message_body", NULL, 0, NULL);
        break;
    }
    case SCN_LBA_REDIRECT: {
        ld_block(as, "redirect", &b, what, sizeof what);
        int code = 0;
        if (ld_enum(&b, "status_code", &code, NULL) > 0)
            a->status_code = code == 0 ? 301 : 302;
        break;
    }
    }
}

void listener_action_load(loader *v, const ld_sect *s, const char *key, scn_lb_action *a)
{
    char what[512];
    *a = (scn_lb_action){.kind = SCN_LBA_FORWARD};
    const scn_node *n = ld_sect_need(s, key, true);
    if (!n)
        return;
    /* Terraform's repeated block: one mapping, or a list of one (several actions need authenticate-*). */
    if (n->kind == SCN_N_SEQ) {
        if (n->n != 1) {
            scn_err(&v->c, n, "'%s': expected one action block, found %zu (several actions chain "
                    "authenticate-* before the last, which is not supported yet)", key, n->n);
            return;
        }
        n = n->kids[0];
    }
    ld_sect as;
    snprintf(what, sizeof what, "%s of %.400s", key, s->what);
    if (!ld_sect_open(v, &as, n, n, what))
        return;
    action_body(v, &as, a);
}

/* ---------------------------------------------------------------- aws_lb_listener */

static const ld_key listener_keys[] = {
    {.name = "load_balancer_arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_lb"},
    {.name = "default_action", .kind = LD_BLOCK, .flags = LD_REQUIRED, .block = listener_action_keys,
     .source = "Terraform", .doc = "what a request no rule matches gets (one block, or a list of one)"},
    {.name = "port", .kind = LD_INT, .lo = "1", .hi = "65535", .source = "Terraform",
     .doc = "unique on its load balancer; a workload's `port` picks the listener by it"},
    {.name = "protocol", .kind = LD_ENUM, .def = "HTTP", .values = protos, .later = protos_later,
     .source = "Terraform (HTTP for an ALB)", .doc = "read, not simulated (no TLS cost)"},
    {.name = "certificate_arn", .kind = LD_NOTSIM}, {.name = "ssl_policy", .kind = LD_NOTSIM},
    {.name = "alpn_policy", .kind = LD_NOTSIM}, {.name = "tags", .kind = LD_NOTSIM},
    {.name = "tcp_idle_timeout_seconds", .kind = LD_NOTSIM}, {.name = "mutual_authentication", .kind = LD_LATER},
    {.name = NULL},
};

static void listener_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_listener *l = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, listener_keys);
    l->lb = -1;
    ld_ref(&b, "load_balancer_arn", "aws_lb", &l->lb);
    long long port = 0;
    ld_int(&b, "port", &port);
    l->port = (int)port;
    int proto = 0;
    ld_enum(&b, "protocol", &proto, NULL);
    listener_action_load(v, &b, "default_action", &l->action);
}

/* Two listeners of one load balancer on one port (the ELB API's DuplicateListener). */
static void listener_finish(loader *v)
{
    const scenario *sc = v->s;
    for (size_t i = 0; i < sc->n_listeners; i++)
        for (size_t j = 0; j < i; j++) {
            const scn_listener *a = &sc->listeners[j], *b = &sc->listeners[i];
            if (a->lb >= 0 && a->lb == b->lb && a->port == b->port) {
                scn_err_at(&v->c, b->loc.line, b->loc.col, "aws_lb_listener \"%s\": load balancer %s already has "
                           "listener %s on port %d (line %d)", b->name, sc->lbs[b->lb].name, a->name, a->port,
                           a->loc.line);
                break;
            }
        }
}

static const char *const listener_aliases[] = {"aws_alb_listener", NULL};

extern const res_type res_aws_lb;

static int listener_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    const scn_listener *l = cfg;
    alb *lb = wb_model(b, &res_aws_lb, l->lb);
    size_t n = 0;
    tg **tgs = elb_target_groups(b, &n);
    int rc = lb && tgs ? alb_add_listener(lb, idx, &l->action, tgs, n) : -1;
    free(tgs);
    *model = NULL;
    if (rc != 0)
        snprintf(err, errlen, "aws_lb_listener \"%s\": bad target group or out of memory", l->name);
    return rc;
}

const res_type res_aws_lb_listener = {
    .tf_type = "aws_lb_listener",
    .doc = "A listener of an aws_lb: its default action (forward, weighted forward, fixed-response, redirect).",
    .keys = listener_keys,
    .aliases = listener_aliases,
    .pass = 0,
    .cfg_size = sizeof(scn_listener),
    .arr_off = offsetof(scenario, listeners),
    .n_off = offsetof(scenario, n_listeners),
    .load = listener_load,
    .finish = listener_finish,
    .stage = WB_STAGE_LISTENERS,
    .build = listener_build,
};

/* ---------------------------------------------------------------- workloads */

void listener_cfg_workload(loader *v, const ld_sect *s, scn_workload *w)
{
    char b1[96];
    const scenario *sc = v->s;
    char path[1025] = "", host[256] = "";
    const scn_node *pn = NULL;
    w->listener = -1;
    if (ld_str(s, "path", path, sizeof path, &pn) > 0 && path[0] != '/')
        scn_err(&v->c, pn, "'path' must start with '/', found '%s'", scn_clip(b1, sizeof b1, path));
    ld_str(s, "host", host, sizeof host, NULL);
    w->path = ld_dupstr(path);
    w->host = ld_dupstr(host);
    if (!w->path || !w->host)
        scn_err(&v->c, s->owner, "out of memory");
    long long port = 0;
    int rp = ld_int(s, "port", &port);
    if (w->lb < 0 || (size_t)w->lb >= sc->n_lbs || rp < 0)
        return;
    const scn_lb *lb = &sc->lbs[w->lb];
    int n = 0, found = -1;
    for (size_t i = 0; i < sc->n_listeners; i++)
        if (sc->listeners[i].lb == w->lb) {
            n++;
            if (rp == 0 || sc->listeners[i].port == port)
                found = (int)i;
        }
    if (n == 0) {
        if (rp > 0)
            scn_err(&v->c, ld_sect_get(s, "port"), "'port': aws_lb %s has no listener (it uses "
                    "default_target_group)", lb->name);
    } else if (rp == 0 && n > 1) {
        scn_err(&v->c, ld_sect_key(s, "target"), "aws_lb %s has %d listeners: say which with 'port'", lb->name, n);
    } else if (found < 0) {
        scn_err(&v->c, ld_sect_get(s, "port"), "'port': aws_lb %s has no listener on port %lld", lb->name, port);
    } else {
        w->listener = found;
    }
}
