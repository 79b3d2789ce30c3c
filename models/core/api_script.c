/*
 * api_script.c - declared API-call sequences: loading them from a scenario
 * and playing them against the models (api_script.h).
 *
 * The runner is a small state machine driven by kernel events: a compute step
 * is a timer, a call waits for its service's done callback, a retry is a
 * backoff timer. Nothing runs inside a serve call, so a service may answer in
 * any order without re-entering the script.
 */
#include "models/core/api_script.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/core/build.h"
#include "models/core/loader.h"

/* ---------------------------------------------------------------- loading */

static const char *const on_names[] = {"fail", "retry", "continue", "next", NULL};

/* The step keys that are the script's, not the call's. */
static const char *const step_own[] = {"call", "compute", "save", "save_all", "on_empty", "on_condition_failed",
                                       "on_throttled", "when", NULL};

/* Comparison operators of a `when:` guard, longest first so "<=" is not read as "<". */
static const struct {
    const char *text;
    as_cmp cmp;
} when_ops[] = {{"==", AS_EQ}, {"!=", AS_NE}, {"<=", AS_LE}, {">=", AS_GE}, {"<", AS_LT}, {">", AS_GT}};

const ld_key as_retry_keys[] = {
    {.name = "max_attempts", .kind = LD_INT, .def = "3", .lo = "1", .hi = "1000",
     .source = "AWS SDKs and Tools reference, Retry behavior: standard mode makes three attempts",
     .doc = "attempts of the retried span, the first included"},
    {.name = "base", .kind = LD_DUR, .def = "1s", .lo = "1ms", .hi = "1h",
     .source = "AWS SDKs (standard mode): backoff starts at 1 s",
     .doc = "backoff before attempt k: uniform(0, min(cap, base * 2^(k-2))) (full jitter)"},
    {.name = "cap", .kind = LD_DUR, .def = "20s", .lo = "1ms", .hi = "1h",
     .source = "AWS SDKs (standard mode): backoff at most 20 s", .doc = "the longest backoff"},
    {.name = "from", .kind = LD_INT, .def = "1", .lo = "1", .hi = "1000", .source = "fleetsim",
     .doc = "the step (1-based) a retry restarts at: the read before a conditional write, so it reads again"},
    {.name = NULL},
};

/* True if name is one of the op's arguments; an entry ending in '.' takes any name with that prefix. */
static bool op_takes(const api_op_spec *op, const char *name)
{
    if (op->target_arg && strcmp(op->target_arg, name) == 0)
        return true;
    for (size_t k = 0; op->args && op->args[k]; k++) {
        size_t len = strlen(op->args[k]);
        if (len && op->args[k][len - 1] == '.' ? strncmp(name, op->args[k], len) == 0 && name[len]
                                                : strcmp(name, op->args[k]) == 0)
            return true;
    }
    return false;
}

static bool has_var(const char *s) { return s && strstr(s, "${") != NULL; }

/* Checks that every ${ has its closing brace and a name; reports at n. */
static bool vars_ok(loader *v, const scn_node *n, const char *key)
{
    const char *p = n->str;
    while ((p = strstr(p, "${")) != NULL) {
        const char *e = strchr(p + 2, '}');
        if (!e || e == p + 2) {
            scn_err(&v->c, n, "'%s': a variable is written ${NAME} (found an unclosed or empty ${)", key);
            return false;
        }
        p = e + 1;
    }
    return true;
}

/* Copies [p, e) without the spaces around it (malloc'd). */
static char *trimmed(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    char *out = malloc((size_t)(e - p) + 1);
    if (out) {
        memcpy(out, p, (size_t)(e - p));
        out[e - p] = '\0';
    }
    return out;
}

/* The step's optional `when: "LEFT OP RIGHT"` guard; false after reporting. */
static bool load_when(loader *v, ld_sect *st, const char *what, as_step *x)
{
    const scn_node *w = ld_sect_get(st, "when");
    if (!w)
        return true;
    if (!ld_want_scalar(st, w, "when", "a comparison such as \"${n.fails} >= 3\"") || !vars_ok(v, w, "when"))
        return false;
    /* The operator is the first one outside a ${...}. */
    const char *p = w->str;
    for (; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            const char *e = strchr(p, '}');
            p = e ? e : p + strlen(p) - 1;
            continue;
        }
        for (size_t k = 0; k < sizeof when_ops / sizeof when_ops[0]; k++) {
            size_t len = strlen(when_ops[k].text);
            if (strncmp(p, when_ops[k].text, len) == 0) {
                x->when_l = trimmed(w->str, p);
                x->when_r = trimmed(p + len, p + strlen(p));
                x->when = when_ops[k].cmp;
                if (!x->when_l || !x->when_r || !*x->when_l || !*x->when_r) {
                    scn_err(&v->c, w, "%s: 'when' needs a value on each side of %s (found \"%s\")", what,
                            when_ops[k].text, w->str);
                    return false;
                }
                return true;
            }
        }
    }
    scn_err(&v->c, w, "%s: 'when' is a comparison LEFT OP RIGHT with OP one of == != < <= > >= (found \"%s\")", what,
            w->str);
    return false;
}

static int load_on(ld_sect *st, const char *key, as_on def, as_on *out)
{
    int k = (int)def;
    int rc = ld_get_enum(st, key, on_names, NULL, &k, NULL);
    *out = (as_on)k;
    return rc;
}

/* One step; false after reporting. */
static bool load_step(loader *v, const scn_node *item, size_t i, const char *of, as_step *x)
{
    char what[640], b1[96], b2[160];
    snprintf(what, sizeof what, "step %zu of %.400s", i + 1, of);
    ld_sect st;
    if (!ld_sect_open(v, &st, item, item, what))
        return false;
    const scn_node *call = ld_sect_get(&st, "call");
    const scn_node *comp = ld_sect_get(&st, "compute");
    const scn_node *loop = ld_sect_get(&st, "for_each");
    if (loop && !call && !comp) {
        for (size_t k = 0; k + 1 < item->n; k += 2) {
            const char *name = item->kids[k]->str;
            if (strcmp(name, "for_each") != 0 && strcmp(name, "as") != 0) {
                scn_err(&v->c, item->kids[k], "%s: a for_each step takes only 'for_each' and 'as' (found '%s')", what,
                        scn_clip(b1, sizeof b1, name));
                return false;
            }
        }
        const scn_node *as = ld_sect_get(&st, "as");
        if (!ld_want_scalar(&st, loop, "for_each", "the name a read saved with save_all") ||
            (as && !ld_want_scalar(&st, as, "as", "a variable name")))
            return false;
        x->for_each = ld_dupstr(loop->str);
        x->as_var = ld_dupstr(as ? as->str : "item");
        return x->for_each && x->as_var;
    }
    if ((call != NULL) == (comp != NULL) || loop) {
        scn_err(&v->c, item, "%s: needs exactly one of 'call' (an AWS API call), 'compute' (CPU time) or 'for_each' (a loop)",
                what);
        return false;
    }
    bool good = true;
    if (comp) {
        for (size_t k = 0; k + 1 < item->n; k += 2) {
            const char *name = item->kids[k]->str;
            if (strcmp(name, "compute") != 0 && strcmp(name, "when") != 0) {
                scn_err(&v->c, item->kids[k], "%s: a compute step takes only 'compute' and 'when' (found '%s')", what,
                        scn_clip(b1, sizeof b1, name));
                good = false;
            }
        }
        double *values = NULL;
        if (!load_when(v, &st, what, x))
            good = false;
        if (ld_get_dist(&st, "compute", true, &x->compute, &values) < 0)
            return false;
        x->compute_values = values;
        return good;
    }
    if (!ld_want_scalar(&st, call, "call", "an API call such as dynamodb:UpdateItem"))
        return false;
    x->op = api_op_find(call->str);
    if (!x->op) {
        const char *best = NULL;
        int best_d = 1 << 30;
        for (size_t t = 0; api_vocab[t]; t++)
            for (const api_op_spec *o = api_vocab[t]; o->op; o++)
                ld_suggest(call->str, o->op, &best, &best_d);
        scn_err(&v->c, call, "%s: unknown API call '%s'%s (docs/scenario.md lists the vocabulary)", what,
                scn_clip(b1, sizeof b1, call->str), ld_hint(b2, sizeof b2, best));
        return false;
    }
    /* Every other key is one of the call's arguments. */
    x->args = calloc(item->n / 2 + 1, sizeof *x->args);
    if (!x->args) {
        scn_err(&v->c, item, "out of memory");
        return false;
    }
    for (size_t k = 0; k + 1 < item->n; k += 2) {
        const scn_node *kn = item->kids[k], *vn = item->kids[k + 1];
        const char *name = kn->str;
        if (ld_in_list(name, step_own))
            continue;
        if (!op_takes(x->op, name)) {
            const char *best = NULL;
            int best_d = 1 << 30;
            for (size_t a = 0; x->op->args && x->op->args[a]; a++)
                ld_suggest(name, x->op->args[a], &best, &best_d);
            if (x->op->target_arg)
                ld_suggest(name, x->op->target_arg, &best, &best_d);
            scn_err(&v->c, kn, "%s: %s takes no argument '%s'%s", what, x->op->op, scn_clip(b1, sizeof b1, name),
                    ld_hint(b2, sizeof b2, best));
            good = false;
            continue;
        }
        if (!ld_want_scalar(&st, vn, name, "a string (it may hold ${variables})") || !vars_ok(v, vn, name)) {
            good = false;
            continue;
        }
        if (x->op->target_arg && strcmp(name, x->op->target_arg) == 0) {
            free(x->target); /* a repeated key: the last one counts */
            x->target = ld_dupstr(vn->str);
            if (!has_var(vn->str) && x->op->target_type) {
                const ld_res *r = ld_res_find(v, vn->str);
                if (!r || !ld_res_is(r, x->op->target_type)) {
                    scn_err(&v->c, vn, "%s: '%s' names no %s%s", what, x->op->target_arg, x->op->target_type,
                            r ? " (it is another type)" : "");
                    good = false;
                }
            }
            continue;
        }
        api_arg *a = &x->args[x->n_args++];
        a->name = ld_dupstr(name);
        a->value = ld_dupstr(vn->str);
    }
    for (size_t r = 0; x->op->required && x->op->required[r]; r++) {
        bool found = strcmp(x->op->required[r], x->op->target_arg ? x->op->target_arg : "") == 0 && x->target;
        for (size_t a = 0; !found && a < x->n_args; a++)
            found = strcmp(x->args[a].name, x->op->required[r]) == 0;
        if (!found) {
            scn_err(&v->c, item, "%s: %s needs '%s'", what, x->op->op, x->op->required[r]);
            good = false;
        }
    }
    if (x->op->target_arg && !x->target) {
        scn_err(&v->c, item, "%s: %s needs '%s' (the %s it calls)", what, x->op->op, x->op->target_arg,
                x->op->target_type ? x->op->target_type : "resource");
        good = false;
    }
    const scn_node *sv = ld_sect_get(&st, "save");
    const scn_node *sa = ld_sect_get(&st, "save_all");
    if (sv && sa) {
        scn_err(&v->c, sa, "%s: 'save' (the first item) or 'save_all' (every item), not both", what);
        good = false;
    }
    if (sa)
        sv = sa;
    if (sv) {
        const char *key = sa ? "save_all" : "save";
        if (!ld_want_scalar(&st, sv, key, "a variable name") || !*sv->str || strpbrk(sv->str, ".$[]")) {
            scn_err(&v->c, sv, "%s: '%s' is a variable name without '.', '$' or brackets (later steps read ${NAME.attr})",
                    what, key);
            good = false;
        } else {
            x->save = ld_dupstr(sv->str);
            x->save_all = sa != NULL;
        }
    }
    if (load_on(&st, "on_empty", AS_ON_FAIL, &x->on_empty) < 0 ||
        load_on(&st, "on_condition_failed", AS_ON_FAIL, &x->on_condition_failed) < 0 ||
        load_on(&st, "on_throttled", AS_ON_RETRY, &x->on_throttled) < 0)
        good = false;
    if (!load_when(v, &st, what, x))
        good = false;
    return good;
}

int as_load(const ld_sect *s, const char *key, bool required, as_script *out)
{
    memset(out, 0, sizeof *out);
    out->max_attempts = 3;
    out->base = SIM_SEC;
    out->cap = 20 * SIM_SEC;
    const scn_node *n = ld_get_seq(s, key, required, 64, "steps");
    if (!n)
        return ld_sect_get(s, key) ? -1 : 0;
    if (n->n == 0)
        return 1;
    if (!(out->steps = calloc(n->n, sizeof *out->steps))) {
        scn_err(&s->v->c, n, "out of memory");
        return -1;
    }
    out->n_steps = n->n;
    bool good = true;
    size_t loops = 0;
    for (size_t i = 0; i < n->n; i++) {
        as_step *x = &out->steps[i];
        if (!load_step(s->v, n->kids[i], i, s->what, x)) {
            good = false;
            continue;
        }
        if (!x->for_each)
            continue;
        bool saved = false;
        for (size_t j = 0; j < i; j++)
            saved |= out->steps[j].save_all && strcmp(out->steps[j].save, x->for_each) == 0;
        if (!saved) {
            scn_err(&s->v->c, n->kids[i], "step %zu of %s: for_each '%s': no earlier step has save_all: %s", i + 1,
                    s->what, x->for_each, x->for_each);
            good = false;
        }
        if (++loops == 2) {
            scn_err(&s->v->c, n->kids[i], "step %zu of %s: one for_each per script (its loop runs to the end)", i + 1,
                    s->what);
            good = false;
        }
    }
    return good ? 1 : -1;
}

void as_load_retry(const ld_sect *s, as_script *sc)
{
    char what[600];
    ld_sect b;
    ld_block(s, "retry", &b, what, sizeof what);
    long long attempts = 3, from = 1;
    sim_time_t base = SIM_SEC, cap = 20 * SIM_SEC;
    /* The getters read the table's defaults when the block is absent. */
    b.keys = as_retry_keys;
    ld_int(&b, "max_attempts", &attempts);
    ld_dur(&b, "base", &base);
    ld_dur(&b, "cap", &cap);
    if (ld_int(&b, "from", &from) > 0 && (size_t)from > sc->n_steps && sc->n_steps)
        scn_err(&s->v->c, ld_sect_get(&b, "from"), "'from' of %s: the script has %zu steps", b.what, sc->n_steps);
    sc->max_attempts = (int)attempts;
    sc->base = base;
    sc->cap = cap;
    sc->retry_from = from > 0 ? (size_t)from - 1 : 0;
}

void as_free(as_script *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_steps; i++) {
        as_step *x = &sc->steps[i];
        for (size_t a = 0; a < x->n_args; a++) {
            free((char *)x->args[a].name);
            free((char *)x->args[a].value);
        }
        free(x->args);
        free(x->target);
        free(x->save);
        free(x->for_each);
        free(x->as_var);
        free(x->compute_values);
        free(x->when_l);
        free(x->when_r);
    }
    free(sc->steps);
    memset(sc, 0, sizeof *sc);
}

/* ---------------------------------------------------------------- running */

/* A saved item: the variable's name and a copy of the attributes. */
typedef struct saved {
    char *name;
    char *attr[API_MAX_ATTRS], *value[API_MAX_ATTRS];
    size_t n;
} saved;

struct as_run {
    wb *b;
    sim *s;
    const as_script *sc;
    gsl_rng *rng;
    double cpu_share;
    const char *caller;
    as_var_fn vars;
    void *var_ctx;
    as_done_fn done;
    void *ctx;
    size_t step;
    as_stats st;
    saved *saves;
    size_t n_saves;
    sim_evid timer;
    size_t loop_step; /* the for_each step running, or SIZE_MAX */
    size_t loop_i, loop_n;
    bool in_call;     /* a service holds us as its done ctx */
    bool cancelled;   /* free when the call in flight answers */
};

static void free_saves(as_run *r)
{
    for (size_t i = 0; i < r->n_saves; i++) {
        free(r->saves[i].name);
        for (size_t k = 0; k < r->saves[i].n; k++) {
            free(r->saves[i].attr[k]);
            free(r->saves[i].value[k]);
        }
    }
    free(r->saves);
    r->saves = NULL;
    r->n_saves = 0;
}

static void run_free(as_run *r)
{
    free_saves(r);
    free(r);
}

/* The value of ${name}: a saved item's attribute (lic.key), the time (now, in seconds), or the caller's. */
static const char *lookup(const as_run *r, const char *name, char *num, size_t num_size)
{
    for (size_t i = r->n_saves; i-- > 0;) {
        size_t len = strlen(r->saves[i].name);
        if (strncmp(name, r->saves[i].name, len) == 0 && name[len] == '.')
            for (size_t k = 0; k < r->saves[i].n; k++)
                if (strcmp(r->saves[i].attr[k], name + len + 1) == 0)
                    return r->saves[i].value[k];
    }
    if (strcmp(name, "now") == 0) {
        snprintf(num, num_size, "%.3f", sim_to_sec(sim_now(r->s)));
        return num;
    }
    return r->vars ? r->vars(r->var_ctx, name) : NULL;
}

/* s with its ${...} replaced (malloc'd), or NULL when a variable is unset (its name in *missing). */
static char *expand(const as_run *r, const char *s, char *missing, size_t missing_size)
{
    size_t cap = strlen(s) + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = s; *p;) {
        const char *val = NULL, *next = p + 1;
        char name[256], num[32];
        size_t vlen = 1;
        if (p[0] == '$' && p[1] == '{' && strchr(p + 2, '}')) {
            const char *e = strchr(p + 2, '}');
            snprintf(name, sizeof name, "%.*s", (int)(e - p - 2), p + 2);
            val = lookup(r, name, num, sizeof num);
            if (!val) {
                snprintf(missing, missing_size, "%s", name);
                free(out);
                return NULL;
            }
            vlen = strlen(val);
            next = e + 1;
        } else {
            val = p;
        }
        if (len + vlen + 1 > cap) {
            cap = 2 * (len + vlen + 1);
            char *grown = realloc(out, cap);
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        memcpy(out + len, val, vlen);
        len += vlen;
        p = next;
    }
    out[len] = '\0';
    return out;
}

static void next_step(as_run *r);
static void end_of_steps(as_run *r);

static bool evid_none(sim_evid e) { return e.slot == 0 && e.gen == 0; }

static void finish(as_run *r, api_status st)
{
    as_done_fn done = r->done;
    void *ctx = r->ctx;
    as_stats figures = r->st;
    run_free(r);
    done(ctx, st, &figures);
}

static void on_timer(sim *s, void *obj, uint64_t arg)
{
    (void)s;
    (void)arg;
    as_run *r = obj;
    r->timer = SIM_EVID_NONE;
    next_step(r);
}

/* The span failed with st in a way the step retries: back off and restart, or give up. */
static void retry(as_run *r, api_status st)
{
    if (r->st.attempts >= r->sc->max_attempts) {
        finish(r, st);
        return;
    }
    r->st.attempts++;
    double cap = (double)r->sc->cap;
    double b = (double)r->sc->base * ldexp(1.0, r->st.attempts - 2);
    double wait = gsl_rng_uniform(r->rng) * (b < cap ? b : cap);
    r->step = r->sc->retry_from;
    r->loop_step = SIZE_MAX;  /* a retry reads again: the loop restarts with the span */
    free_saves(r);
    r->timer = sim_after(r->s, (sim_time_t)wait, on_timer, r, 0);
    if (evid_none(r->timer))
        finish(r, API_SERVICE_ERROR);
}

static void apply_on(as_run *r, as_on on, api_status st)
{
    switch (on) {
    case AS_ON_CONTINUE:
        r->step++;
        next_step(r);
        return;
    case AS_ON_RETRY:
        retry(r, st);
        return;
    case AS_ON_NEXT:
        end_of_steps(r);
        return;
    case AS_ON_FAIL:
        break;
    }
    finish(r, st);
}

static bool save_item(as_run *r, const char *name, const api_item *it)
{
    saved *grown = realloc(r->saves, (r->n_saves + 1) * sizeof *grown);
    if (!grown)
        return false;
    r->saves = grown;
    saved *sv = &r->saves[r->n_saves];
    memset(sv, 0, sizeof *sv);
    sv->name = ld_dupstr(name);
    for (size_t k = 0; k < it->n_attrs && k < API_MAX_ATTRS; k++) {
        sv->attr[k] = ld_dupstr(it->attrs[k].name);
        sv->value[k] = ld_dupstr(it->attrs[k].value ? it->attrs[k].value : "");
        if (!sv->attr[k] || !sv->value[k]) {
            free(sv->attr[k]);
            free(sv->value[k]);
            break;
        }
        sv->n++;
    }
    r->n_saves++;
    return sv->name != NULL;
}

static void on_answer(void *ctx, const api_result *res)
{
    as_run *r = ctx;
    r->in_call = false;
    if (r->cancelled) {
        run_free(r);
        return;
    }
    const as_step *x = &r->sc->steps[r->step];
    r->st.units += res->units;
    switch (res->status) {
    case API_OK:
        if (x->save && res->n_items == 0 && !x->save_all) {
            apply_on(r, x->on_empty, API_NOT_FOUND);
            return;
        }
        if (x->save_all) {
            /* Every item as NAME[k], and their count as NAME#n (what for_each walks). */
            char name[300], count[32];
            bool mem = true;
            for (size_t k = 0; mem && k < res->n_items; k++) {
                snprintf(name, sizeof name, "%s[%zu]", x->save, k);
                mem = save_item(r, name, &res->items[k]);
            }
            snprintf(name, sizeof name, "%s#n", x->save);
            snprintf(count, sizeof count, "%zu", res->n_items);
            api_item n_item = {.attrs = {{.name = "n", .value = count}}, .n_attrs = 1};
            if (!mem || !save_item(r, name, &n_item)) {
                finish(r, API_SERVICE_ERROR);
                return;
            }
            if (res->n_items == 0) {
                apply_on(r, x->on_empty, API_NOT_FOUND);
                return;
            }
        } else if (x->save && !save_item(r, x->save, &res->items[0])) {
            finish(r, API_SERVICE_ERROR);
            return;
        }
        r->step++;
        next_step(r);
        return;
    case API_CONDITION_FAILED:
        r->st.conditional_failures++;
        apply_on(r, x->on_condition_failed, res->status);
        return;
    case API_THROTTLED:
        r->st.throttles++;
        apply_on(r, x->on_throttled, res->status);
        return;
    case API_NOT_FOUND:
    case API_SERVICE_ERROR:
    case API_INVALID:
        break;
    }
    finish(r, res->status);
}

static void call_step(as_run *r, const as_step *x)
{
    char missing[256] = "";
    api_arg args[API_MAX_ARGS + 1];
    size_t n = 0;
    char *target = NULL;
    api_status bad = API_OK;
    if (x->target && !(target = expand(r, x->target, missing, sizeof missing)))
        bad = API_INVALID;
    for (size_t a = 0; bad == API_OK && a < x->n_args && n < API_MAX_ARGS; a++) {
        char *val = expand(r, x->args[a].value, missing, sizeof missing);
        if (!val) {
            bad = API_INVALID;
            break;
        }
        args[n].name = x->args[a].name;
        args[n++].value = val;
    }
    if (bad == API_OK && x->op->target_arg && target) {
        args[n].name = x->op->target_arg;
        args[n].value = target;
        n++;
    }
    void *model = NULL;
    if (bad == API_OK) {
        model = x->op->target_type ? wb_find(r->b, x->op->target_type, target) : (void *)r->b;
        if (!model)
            bad = API_NOT_FOUND;
    }
    if (bad == API_OK) {
        api_call c = {.op = x->op->op, .target = model, .args = args, .n_args = n, .caller = r->caller};
        r->st.calls++;
        r->in_call = true;
        if (x->op->serve(model, r->s, &c, on_answer, r) != 0) {
            r->in_call = false;
            bad = API_SERVICE_ERROR;
        }
    }
    /* serve copied what it keeps (api.h): the expanded strings are ours to free. */
    for (size_t a = 0; a < n; a++)
        if (args[a].value != target)
            free((char *)args[a].value);
    if (bad == API_OK)
        free(target);
    if (bad != API_OK) {
        if (missing[0])
            events_add(wb_events(r->b), sim_now(r->s), "api", r->caller, NULL, NULL,
                       "step %zu (%s): ${%s} is not set", r->step + 1, x->op->op, missing);
        else if (bad == API_NOT_FOUND)
            events_add(wb_events(r->b), sim_now(r->s), "api", r->caller, NULL, NULL,
                       "step %zu (%s): no %s named '%s'", r->step + 1, x->op->op, x->op->target_type, target);
        free(target);
        finish(r, bad);
        return;
    }
}

/* Binds the loop's variable to item i of its list (${LIST[i].attr} -> ${VAR.attr}); false out of memory. */
static bool bind_item(as_run *r, const as_step *loop, size_t i)
{
    char name[300];
    snprintf(name, sizeof name, "%s[%zu]", loop->for_each, i);
    for (size_t k = 0; k < r->n_saves; k++)
        if (strcmp(r->saves[k].name, name) == 0) {
            saved *src = &r->saves[k];
            api_item it = {.n_attrs = 0};
            for (size_t a = 0; a < src->n; a++)
                it.attrs[it.n_attrs++] = (api_arg){.name = src->attr[a], .value = src->value[a]};
            return save_item(r, loop->as_var, &it);
        }
    return false;
}

/* The end of the steps: the next item of a running loop (true, r->step set), else false (the script succeeded). */
static bool next_item(as_run *r, bool *mem_ok)
{
    *mem_ok = true;
    if (r->loop_step == SIZE_MAX || ++r->loop_i >= r->loop_n)
        return false;
    const as_step *loop = &r->sc->steps[r->loop_step];
    if (!bind_item(r, loop, r->loop_i)) {
        *mem_ok = false;
        return false;
    }
    r->step = r->loop_step + 1;
    return true;
}

static void end_of_steps(as_run *r)
{
    r->step = r->sc->n_steps;
    next_step(r);
}

/* A for_each step: walks its list (its length was saved as ${LIST#n.n}); false when the list is empty (or out of memory: *mem_ok false). */
static bool loop_start(as_run *r, const as_step *x, bool *mem_ok)
{
    char name[300], num[32];
    snprintf(name, sizeof name, "%s#n.n", x->for_each);
    const char *n = lookup(r, name, num, sizeof num);
    r->loop_step = r->step;
    r->loop_i = 0;
    r->loop_n = n ? (size_t)strtoul(n, NULL, 10) : 0;
    *mem_ok = true;
    if (r->loop_n == 0)
        return false;
    if (!bind_item(r, x, 0)) {
        *mem_ok = false;
        return false;
    }
    r->step++;
    return true;
}

/* A number when all of s reads as one. */
static bool as_number(const char *s, double *out)
{
    char *end = NULL;
    *out = strtod(s, &end);
    return *s && end && *end == '\0' && isfinite(*out);
}

/* 1 when x's guard holds (or it has none), 0 when not, -1 (logged) when it names an unset variable or orders strings. */
static int guard_holds(as_run *r, const as_step *x)
{
    if (x->when == AS_WHEN_NONE)
        return 1;
    char missing[256] = "";
    char *l = expand(r, x->when_l, missing, sizeof missing);
    char *rv = l ? expand(r, x->when_r, missing, sizeof missing) : NULL;
    int holds = -1;
    double a, b;
    if (l && rv) {
        bool nums = as_number(l, &a) && as_number(rv, &b);
        int c = nums ? (a > b) - (a < b) : strcmp(l, rv);
        switch (x->when) {
        case AS_EQ: holds = c == 0; break;
        case AS_NE: holds = c != 0; break;
        case AS_LT: holds = nums ? c < 0 : -1; break;
        case AS_LE: holds = nums ? c <= 0 : -1; break;
        case AS_GT: holds = nums ? c > 0 : -1; break;
        case AS_GE: holds = nums ? c >= 0 : -1; break;
        case AS_WHEN_NONE: holds = 1; break;
        }
        if (holds < 0)
            events_add(wb_events(r->b), sim_now(r->s), "api", r->caller, NULL, NULL,
                       "step %zu: when: '%s' and '%s' are not both numbers", r->step + 1, l, rv);
    } else if (missing[0]) {
        events_add(wb_events(r->b), sim_now(r->s), "api", r->caller, NULL, NULL, "step %zu: when: ${%s} is not set",
                   r->step + 1, missing);
    }
    free(l);
    free(rv);
    return holds;
}

/* Runs steps until one waits (a call, a compute timer) or the script ends; iterative, so a long loop of skipped steps uses no stack. */
static void next_step(as_run *r)
{
    for (;;) {
        bool mem_ok = true;
        if (r->step >= r->sc->n_steps) {
            if (next_item(r, &mem_ok))
                continue;
            finish(r, mem_ok ? API_OK : API_SERVICE_ERROR);
            return;
        }
        const as_step *x = &r->sc->steps[r->step];
        if (x->for_each) {
            if (loop_start(r, x, &mem_ok))
                continue;
            finish(r, mem_ok ? API_OK : API_SERVICE_ERROR);
            return;
        }
        /* A step whose guard does not hold is skipped, as code skips an if's body; its loop goes on. */
        int g = guard_holds(r, x);
        if (g < 0) {
            finish(r, API_INVALID);
            return;
        }
        if (g == 0) {
            r->step++;
            continue;
        }
        if (!x->op) {
            double sec = sim_dist_sample(&x->compute, r->rng);
            if (!(sec > 0) || !isfinite(sec))
                sec = 0;
            double share = r->cpu_share > 0 ? r->cpu_share : 1;
            r->step++;
            r->timer = sim_after(r->s, sim_from_sec(sec / share), on_timer, r, 0);
            if (evid_none(r->timer))
                finish(r, API_SERVICE_ERROR);
            return;
        }
        call_step(r, x);
        return;
    }
}

as_run *as_start(wb *b, const as_script *sc, gsl_rng *rng, double cpu_share, const char *caller, as_var_fn vars,
                 void *var_ctx, as_done_fn done, void *ctx)
{
    as_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (as_run){.b = b, .s = wb_sim(b), .sc = sc, .rng = rng, .cpu_share = cpu_share, .caller = caller,
                  .vars = vars, .var_ctx = var_ctx, .done = done, .ctx = ctx};
    r->st.attempts = 1;
    r->loop_step = SIZE_MAX;
    /* Start from an event so that done never runs inside the caller's as_start. */
    r->timer = sim_after(r->s, 0, on_timer, r, 0);
    if (evid_none(r->timer)) {
        free(r);
        return NULL;
    }
    return r;
}

void as_cancel(as_run *r)
{
    if (!r)
        return;
    if (!evid_none(r->timer))
        sim_cancel(r->s, r->timer);
    if (r->in_call) {
        r->cancelled = true;
        return;
    }
    run_free(r);
}
