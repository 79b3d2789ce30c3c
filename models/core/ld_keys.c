/*
 * ld_keys.c - the table-driven getters: a key's default, range and
 * requiredness come from its ld_key row; notes for attributes accepted and
 * not simulated; the key reference printed from the same rows.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

/* ---------------------------------------------------------------- table-driven getters */

const ld_key *ld_key_find(const ld_key *keys, const char *name)
{
    for (; keys && keys->name; keys++)
        if (strcmp(keys->name, name) == 0)
            return keys;
    return NULL;
}

void ld_note(loader *v, const scn_node *n, const char *fmt, ...)
{
    scenario *sc = v->s;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    char *msg = malloc((size_t)len + 1);
    scn_note *p = realloc(sc->notes, (sc->n_notes + 1) * sizeof *p);
    if (!msg || !p) {
        free(msg);
        if (p)
            sc->notes = p;
        return; /* a lost note loses nothing the run needs */
    }
    sc->notes = p;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    va_end(ap);
    sc->notes[sc->n_notes++] = (scn_note){.line = n ? n->line : 0, .col = n ? n->col : 0, .message = msg};
}

/* Notes an LD_NOTSIM key the first time its name appears in the scenario. */
static void note_notsim(loader *v, const scn_node *k)
{
    for (size_t i = 0; i < v->n_noted; i++)
        if (strcmp(v->noted[i], k->str) == 0)
            return;
    const char **p = realloc(v->noted, (v->n_noted + 1) * sizeof *p);
    if (!p)
        return;
    v->noted = p;
    v->noted[v->n_noted++] = k->str;
    ld_note(v, k, "'%s' is accepted and not simulated (it does not change what fleetsim models); "
            "this note is given once", k->str);
}

void ld_sect_check(ld_sect *s, const ld_key *keys)
{
    char b1[96], b2[96];
    s->keys = keys;
    if (!s->map)
        return;
    for (size_t i = 0; i + 1 < s->map->n; i += 2) {
        const scn_node *k = s->map->kids[i];
        if (k->kind != SCN_N_SCALAR || (s->resource && strcmp(k->str, "type") == 0))
            continue;
        const ld_key *row = ld_key_find(keys, k->str);
        /* Terraform's meta-arguments of every resource: they steer terraform, not AWS. */
        static const char *const meta[] = {"lifecycle", "depends_on", "provider", "provisioner", "connection",
                                           NULL};
        if (!row && s->resource && ld_in_list(k->str, meta)) {
            note_notsim(s->v, k);
            continue;
        }
        if (row && row->kind == LD_NOTSIM) {
            note_notsim(s->v, k);
            continue;
        }
        if (row && row->kind == LD_LATER) {
            scn_err(&s->v->c, k, "'%s' in %s is not supported yet", k->str, s->what);
            continue;
        }
        if (row)
            continue;
        const char *best = NULL;
        int best_d = 99;
        for (const ld_key *p = keys; p->name; p++)
            if (p->kind != LD_LATER && p->kind != LD_NOTSIM)
                ld_suggest(k->str, p->name, &best, &best_d);
        scn_err(&s->v->c, k, "unknown key '%s' in %s%s", scn_clip(b1, sizeof b1, k->str), s->what,
                ld_hint(b2, sizeof b2, best));
    }
}

/* The row of name in the section's table; a missing row or a wrong kind is a bug in a *_cfg.c, caught by tests. */
static const ld_key *row_of(const ld_sect *s, const char *name)
{
    const ld_key *row = ld_key_find(s->keys, name);
    if (!row)
        scn_err_at(&s->v->c, 0, 0, "internal error: %s has no key table row for '%s'", s->what, name);
    return row;
}

bool ld_block(const ld_sect *s, const char *name, ld_sect *out, char *what, size_t what_size)
{
    const ld_key *row = row_of(s, name);
    const scn_node *n = ld_sect_need(s, name, row && (row->flags & LD_REQUIRED));
    snprintf(what, what_size, "%s of %.400s", name, s->what);
    /* Absent or broken, the section still answers the getters with the table's defaults. */
    *out = (ld_sect){.v = s->v, .owner = n, .what = what, .keys = row ? row->block : NULL};
    if (!n || !row || !ld_sect_open(s->v, out, n, n, what)) {
        out->keys = row ? row->block : NULL;
        return false;
    }
    ld_sect_check(out, row->block);
    return true;
}

/* A Terraform number of seconds ("300") or a duration ("300s", "5m"). */
static bool seconds_text(const char *t, sim_time_t *out)
{
    char why[64];
    double x;
    if (ld_parse_number(t, &x)) {
        if (x < 0 || x > 1e9 || x != floor(x))
            return false;
        *out = (sim_time_t)x * SIM_SEC;
        return true;
    }
    return !ld_parse_duration(t, out, why, sizeof why);
}

static sim_time_t dur_text(const char *t, sim_time_t dflt)
{
    sim_time_t x;
    return t && seconds_text(t, &x) ? x : dflt;
}

int ld_dur(const ld_sect *s, const char *name, sim_time_t *out)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    sim_time_t def = dur_text(row->def, *out), lo = dur_text(row->lo, 0), hi = dur_text(row->hi, LD_BIG_DUR);
    if (row->flags & LD_LO_OPEN)
        lo = 1; /* ld_get_dur's "more than 0" */
    const scn_node *n = ld_sect_get(s, name);
    if (row->kind == LD_SECONDS && n && n->kind == SCN_N_SCALAR && !scn_is_null(n)) {
        double x;
        if (ld_parse_number(n->str, &x)) {
            char b1[96];
            *out = def;
            if (x != floor(x) || x < 0 || x > 4e7) {
                scn_err(&s->v->c, n, "'%s': expected a whole number of seconds (as Terraform writes it) or a "
                        "duration such as 30s, found '%s'", name, scn_clip(b1, sizeof b1, n->str));
                return -1;
            }
            return ld_dur_in_range(s, n, name, (sim_time_t)x * SIM_SEC, lo, hi, out);
        }
    }
    return ld_get_dur(s, name, row->flags & LD_REQUIRED, def, lo, hi, out);
}

static long long int_text(const char *t, long long dflt)
{
    return t ? strtoll(t, NULL, 10) : dflt;
}

long long ld_int_default(const ld_key *keys, const char *name)
{
    const ld_key *row = ld_key_find(keys, name);
    return row ? int_text(row->def, 0) : 0;
}

int ld_int(const ld_sect *s, const char *name, long long *out)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    return ld_get_int(s, name, row->flags & LD_REQUIRED, int_text(row->def, *out), int_text(row->lo, LLONG_MIN),
                      int_text(row->hi, LLONG_MAX), out);
}

static double num_text(const char *t, double dflt)
{
    double x;
    return t && ld_parse_number(t, &x) ? x : dflt;
}

int ld_num(const ld_sect *s, const char *name, double *out)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    return ld_get_num(s, name, row->flags & LD_REQUIRED, num_text(row->def, *out), num_text(row->lo, -HUGE_VAL),
                      row->flags & LD_LO_OPEN, num_text(row->hi, HUGE_VAL), out);
}

int ld_bool(const ld_sect *s, const char *name, bool *out)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    return ld_get_bool(s, name, row->def ? strcmp(row->def, "true") == 0 : *out, out);
}

int ld_enum(const ld_sect *s, const char *name, int *out, const scn_node **where)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    if (row->def)
        for (int i = 0; row->values[i]; i++)
            if (strcmp(row->values[i], row->def) == 0)
                *out = i;
    if (row->flags & LD_REQUIRED && !ld_sect_need(s, name, true))
        return 0;
    return ld_get_enum(s, name, row->values, row->later, out, where);
}

int ld_str(const ld_sect *s, const char *name, char *out, size_t out_size, const scn_node **where)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    size_t max = (size_t)int_text(row->hi, out_size ? (long long)out_size - 1 : 255);
    int rc = ld_get_str(s, name, row->flags & LD_REQUIRED, max, out, out_size, where);
    if (rc == 0 && row->def && out && strlen(row->def) < out_size)
        memcpy(out, row->def, strlen(row->def) + 1);
    return rc;
}

int ld_ref(const ld_sect *s, const char *name, const char *tf_type, int *out)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    return ld_get_ref(s, name, row->flags & LD_REQUIRED, tf_type, out);
}

const scn_node *ld_seq(const ld_sect *s, const char *name, const char *of)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return NULL;
    return ld_get_seq(s, name, row->flags & LD_REQUIRED, row->hi ? (size_t)strtoull(row->hi, NULL, 10) : SIZE_MAX, of);
}

int ld_dist(const ld_sect *s, const char *name, sim_dist *out, double **values)
{
    const ld_key *row = row_of(s, name);
    if (!row)
        return -1;
    return ld_get_dist(s, name, row->flags & LD_REQUIRED, out, values);
}

/* ---------------------------------------------------------------- the key reference */

static const char *const kind_text[] = {
    [LD_STR] = "string", [LD_INT] = "integer", [LD_NUM] = "number", [LD_BOOL] = "bool",
    [LD_DUR] = "duration", [LD_SECONDS] = "seconds", [LD_MONEY] = "money", [LD_ENUM] = "enum",
    [LD_REF] = "reference", [LD_REFS] = "references", [LD_DIST] = "distribution", [LD_BLOCK] = "block",
    [LD_LIST] = "list", [LD_NOTSIM] = "accepted, not simulated", [LD_LATER] = "not supported yet",
};

/* Markdown table cells must not hold '|'. */
static void cell(FILE *out, const char *s)
{
    for (; s && *s; s++)
        fputs(*s == '|' ? "\\|" : (char[]){*s, 0}, out);
}

/* The names of the rows of one kind, as "`a`, `b`", after a label; nothing when there are none. */
static void keys_of_kind(FILE *out, const char *label, const ld_key *keys, ld_kind kind)
{
    int n = 0;
    for (const ld_key *k = keys; k->name; k++)
        if (k->kind == kind)
            fprintf(out, "%s`%s`", n++ ? ", " : label, k->name);
    if (n)
        fputs(".\n\n", out);
}

void ld_keys_table(FILE *out, const char *title, const ld_key *keys)
{
    if (title)
        fprintf(out, "#### %s\n\n", title);
    fputs("| key | kind | default | range | source | meaning |\n|---|---|---|---|---|---|\n", out);
    for (const ld_key *k = keys; k->name; k++) {
        if (k->kind == LD_NOTSIM || k->kind == LD_LATER)
            continue;
        fprintf(out, "| `%s`%s | %s", k->name, k->flags & LD_REQUIRED ? " (required)" : "", kind_text[k->kind]);
        if (k->kind == LD_ENUM) {
            fputs(": ", out);
            for (int i = 0; k->values[i]; i++)
                fprintf(out, "%s`%s`", i ? ", " : "", k->values[i]);
        }
        fputs(" | ", out);
        if (k->def)
            fprintf(out, "`%s`", k->def);
        fputs(" | ", out);
        if (k->lo || k->hi) {
            if (k->kind == LD_STR)
                fprintf(out, "at most %s bytes", k->hi);
            else
                fprintf(out, "%s%s .. %s", k->flags & LD_LO_OPEN ? "> " : "", k->lo ? k->lo : "", k->hi ? k->hi : "");
        }
        fputs(" | ", out);
        cell(out, k->source);
        fputs(" | ", out);
        cell(out, k->doc);
        fputs(" |\n", out);
    }
    fputs("\n", out);
    keys_of_kind(out, "Accepted and not simulated (`check` notes them): ", keys, LD_NOTSIM);
    keys_of_kind(out, "Terraform's, not supported yet (an error): ", keys, LD_LATER);
    for (const ld_key *k = keys; k->name; k++)
        if (k->kind == LD_BLOCK && k->block) {
            char t[256];
            snprintf(t, sizeof t, "%s%s`%s` block", title ? title : "", title ? " > " : "", k->name);
            ld_keys_table(out, t, k->block);
        }
}

void ld_keys_markdown(FILE *out)
{
    for (const res_type *const *p = ld_types; *p; p++) {
        const res_type *t = *p;
        char title[256];
        snprintf(title, sizeof title, "`%s`", t->tf_type);
        fprintf(out, "### %s\n\n%s", title, t->doc ? t->doc : "");
        if (t->aliases) {
            fputs(t->doc ? " Also written " : "Also written ", out);
            for (int i = 0; t->aliases[i]; i++)
                fprintf(out, "%s`%s`", i ? ", " : "", t->aliases[i]);
            fputs(".", out);
        }
        fputs("\n\n", out);
        if (t->keys)
            ld_keys_table(out, NULL, t->keys);
    }
    api_vocab_markdown(out);
}

void api_vocab_markdown(FILE *out)
{
    fputs("### API calls (`calls:` of a Lambda function or a boot script)\n\n"
          "Each step of `calls:` is `compute: DURATION` or `call: SERVICE:Operation` with the call's arguments "
          "(values may hold `${variables}`), and optionally `save: NAME` (later steps read `${NAME.attr}`), "
          "`on_empty`, `on_condition_failed`, `on_throttled` (`fail`, `retry` or `continue`). Variables: `${now}` "
          "(seconds since t = 0), what earlier steps saved, and the caller's: a boot script has `${instance.id}`, "
          "`${instance.az}`, `${instance.type}`, `${group.name}`; a Lambda function `${event.id}`, `${event.source}`, "
          "`${event.detail-type}`, `${event.time}`, `${event.resources.0}`, `${event.detail.FIELD}`. A call that "
          "names an unset variable fails.\n\n"
          "| call | target | arguments | what it does |\n|---|---|---|---|\n",
          out);
    for (size_t t = 0; api_vocab[t]; t++)
        for (const api_op_spec *o = api_vocab[t]; o->op; o++) {
            fprintf(out, "| `%s` | ", o->op);
            if (o->target_arg)
                fprintf(out, "`%s`: %s", o->target_arg, o->target_type ? o->target_type : "an instance id");
            fputs(" | ", out);
            for (size_t a = 0; o->args && o->args[a]; a++) {
                bool req = ld_in_list(o->args[a], o->required);
                fprintf(out, "%s`%s%s`%s", a ? ", " : "", o->args[a], o->args[a][strlen(o->args[a]) - 1] == '.' ? "ATTR" : "",
                        req ? " (required)" : "");
            }
            fputs(" | ", out);
            cell(out, o->doc);
            fputs(" |\n", out);
        }
    fputs("\n", out);
}

