/*
 * scenario_yaml.c - YAML text to a position-keeping node tree, --set
 * overrides, and compiler-style diagnostics with a caret.
 *
 * Why not libyaml's document API: it expands aliases by reference (a
 * billion-laughs file becomes a huge graph for any walker), has no nesting
 * limit, and keeps duplicate keys silently. Building from events lets us
 * refuse aliases, stop at SCN_MAX_DEPTH, and catch duplicates at the mapping
 * that holds them.
 */
#include "models/core/scenario_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* ---------------------------------------------------------------- diagnostics */

__attribute__((format(printf, 1, 0)))
static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Takes ownership of msg (which may be NULL after an allocation failure). */
static void diag_add(scn_ctx *c, int line, int col, char *msg)
{
    scn_diags *d = c->d;
    c->errors++;
    if (!msg)
        return;
    if (d->n >= SCN_MAX_DIAGS) {
        d->truncated = 1;
        free(msg);
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        scn_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            free(msg);
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    char *file = strdup(c->file ? c->file : "<input>");
    if (!file) {
        free(msg);
        return;
    }
    d->items[d->n++] = (scn_diag){.file = file, .line = line, .col = col, .message = msg};
}

void scn_err_at(scn_ctx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    diag_add(c, line, col, msg);
}

void scn_err(scn_ctx *c, const scn_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    if (msg && n && n->set) {
        /* A --set value has no place in the file: name the option instead. */
        char buf[128];
        char *full = NULL;
        size_t len = strlen(msg) + 160;
        full = malloc(len);
        if (full)
            snprintf(full, len, "--set '%s': %s", scn_clip(buf, sizeof buf, n->set), msg);
        free(msg);
        diag_add(c, 0, 0, full);
        return;
    }
    diag_add(c, n ? n->line : 0, n ? n->col : 0, msg);
}

const char *scn_clip(char *buf, size_t size, const char *s)
{
    size_t max = size - 4, i = 0;
    for (; s[i] && i < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
    }
    if (s[i]) {
        /* Cut at a character boundary so the message stays valid UTF-8. */
        while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80) /* s[i]: the first byte not copied */
            i--;
        memcpy(buf + i, "...", 4);
    } else {
        buf[i] = '\0';
    }
    return buf;
}

static int diag_cmp(const void *pa, const void *pb)
{
    const scn_diag *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

void scn_diags_sort(scn_diags *d)
{
    /* Insertion sort: stable, and there are at most SCN_MAX_DIAGS items. */
    for (size_t i = 1; i < d->n; i++) {
        scn_diag t = d->items[i];
        size_t j = i;
        while (j > 0 && diag_cmp(&d->items[j - 1], &t) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = t;
    }
}

/*
 * Length of the line break at p, or 0. libyaml counts CR LF, a lone CR, LF, and
 * the Unicode breaks NEL, LS and PS as one line each, so line numbers here must too.
 */
static size_t break_len(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c == '\n')
        return 1;
    if (c == '\r')
        return end - p > 1 && p[1] == '\n' ? 2 : 1;
    if (c == 0xc2 && end - p > 1 && (unsigned char)p[1] == 0x85)
        return 2;
    if (c == 0xe2 && end - p > 2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9))
        return 3;
    return 0;
}

/* The first line break at or after p (end if none). */
static const char *find_break(const char *p, const char *end)
{
    while (p < end && !break_len(p, end))
        p++;
    return p;
}

/*
 * 16 or 32 when text is UTF-16 or UTF-32 (by its byte-order mark, or, without one,
 * by the NUL in every other byte that ASCII gets in UTF-16), else 0. libyaml would
 * read a UTF-16 file with a BOM, but every column and quoted line would be wrong.
 */
static int wide_encoding(const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    if (len >= 4 && ((t[0] == 0xff && t[1] == 0xfe && t[2] == 0 && t[3] == 0) ||
                     (t[0] == 0 && t[1] == 0 && t[2] == 0xfe && t[3] == 0xff)))
        return 32;
    if (len >= 2 && ((t[0] == 0xff && t[1] == 0xfe) || (t[0] == 0xfe && t[1] == 0xff)))
        return 16;
    if (len >= 2 && (t[0] == 0) != (t[1] == 0) &&
        (len < 4 || ((t[0] == 0) == (t[2] == 0) && (t[1] == 0) == (t[3] == 0))))
        return 16;
    return 0;
}

/* Prints source line `line` of the text and a caret under character column `col`. */
static void print_caret(const scn_diags *d, int line, int col, FILE *out)
{
    const char *p = d->text, *end = d->text + d->text_len;
    if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3; /* libyaml skips a UTF-8 byte-order mark without counting a column */
    for (int l = 1; l < line; l++) {
        const char *br = find_break(p, end);
        if (br == end)
            return;
        p = br + break_len(br, end);
    }
    const char *eol = find_break(p, end);
    /* A very long line (minified YAML) is shown as a window around the column. */
    int c = 1;
    bool cut_left = false;
    if (col > 100) {
        for (; p < eol && c < col - 60; p++)
            if (((unsigned char)*p & 0xc0) != 0x80)
                c++;
        while (p < eol && ((unsigned char)*p & 0xc0) == 0x80)
            p++;
        cut_left = true;
    }
    const char *show_end = p;
    for (int shown = 0; show_end < eol && shown < 160; show_end++)
        if (((unsigned char)*show_end & 0xc0) != 0x80)
            shown++;
    while (show_end < eol && ((unsigned char)*show_end & 0xc0) == 0x80)
        show_end++;
    if (cut_left)
        fputs("...", out);
    for (const char *q = p; q < show_end; q++) {
        unsigned char ch = (unsigned char)*q;
        fputc(ch == '\t' || (ch >= 0x20 && ch != 0x7f) ? ch : '?', out);
    }
    if (show_end < eol)
        fputs("...", out);
    fputc('\n', out);
    /* Columns count characters, as libyaml's do; tabs stay tabs so the caret lines up. */
    if (cut_left)
        fputs("   ", out);
    for (const char *q = p; q < show_end && c < col; q++) {
        unsigned char ch = (unsigned char)*q;
        if ((ch & 0xc0) == 0x80)
            continue;
        fputc(ch == '\t' ? '\t' : ' ', out);
        c++;
    }
    for (; c < col && c < 4096; c++)
        fputc(' ', out);
    fputs("^\n", out);
}

void scn_diags_print(const scn_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const scn_diag *g = &d->items[i];
        if (g->line > 0) {
            fprintf(out, "%s:%d:%d: error: %s\n", g->file, g->line, g->col, g->message);
            if (d->text && !wide_encoding(d->text, d->text_len))
                print_caret(d, g->line, g->col, out);
        } else {
            fprintf(out, "%s: error: %s\n", g->file, g->message);
        }
    }
    if (d->truncated)
        fputs("too many errors, stopping\n", out);
    if (d->n)
        fprintf(out, "%zu error%s\n", d->n, d->n == 1 ? "" : "s");
}

void scn_diags_free(scn_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
    d->truncated = 0;
}

/* ---------------------------------------------------------------- nodes */

/*
 * Iterative, so no input can exhaust the stack: descending into a child stores the
 * parent in the child's str (a collection's str is unused; it is freed first) and
 * climbing back reads it. Children are detached from the end as they are freed.
 */
void scn_node_free(scn_node *n)
{
    if (!n)
        return;
    free(n->str);
    n->str = NULL; /* the root has no parent */
    while (n) {
        if (n->n > 0) {
            scn_node *k = n->kids[--n->n];
            free(k->str);
            if (k->n > 0) {
                k->str = (char *)(void *)n;
                n = k;
            } else {
                free(k->kids);
                free(k);
            }
            continue;
        }
        scn_node *up = (scn_node *)(void *)n->str;
        free(n->kids);
        free(n);
        n = up;
    }
}

static scn_node *node_new(scn_nkind kind, int line, int col, const char *set)
{
    scn_node *n = calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->line = set ? 0 : line;
        n->col = set ? 0 : col;
        n->set = set;
    }
    return n;
}

static scn_node *scalar_new(const char *s, size_t len, bool plain, int line, int col, const char *set)
{
    scn_node *n = node_new(SCN_N_SCALAR, line, col, set);
    if (!n)
        return NULL;
    n->plain = plain;
    n->str = malloc(len + 1);
    if (!n->str) {
        free(n);
        return NULL;
    }
    memcpy(n->str, s, len);
    n->str[len] = '\0';
    return n;
}

static int push(scn_node *p, scn_node *k)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        scn_node **kids = realloc(p->kids, cap * sizeof *kids);
        if (!kids)
            return -1;
        p->kids = kids;
        p->cap = cap;
    }
    p->kids[p->n++] = k;
    return 0;
}

bool scn_is_null(const scn_node *n)
{
    return n->kind == SCN_N_SCALAR && n->plain &&
           (n->str[0] == '\0' || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

const char *scn_kind_name(const scn_node *n)
{
    switch (n->kind) {
    case SCN_N_MAP: return "a mapping";
    case SCN_N_SEQ: return "a sequence";
    case SCN_N_SCALAR: break;
    }
    return scn_is_null(n) ? "nothing (null)" : "a scalar";
}

/* ---------------------------------------------------------------- parsing */

typedef struct builder {
    scn_ctx *c;
    yaml_parser_t p;
    const char *text;
    size_t len;
    const char *set;
    size_t nodes;
} builder;

static void err_mark(builder *b, yaml_mark_t m, const char *msg)
{
    if (b->set) {
        scn_node tmp = {.set = b->set};
        scn_err(b->c, &tmp, "%s", msg);
    } else {
        scn_err_at(b->c, (int)m.line + 1, (int)m.column + 1, "%s", msg);
    }
}

static void err_parser(builder *b)
{
    yaml_parser_t *p = &b->p;
    char msg[320];
    const char *problem = p->problem ? p->problem : "unknown error";
    yaml_mark_t m = p->problem_mark;
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        snprintf(msg, sizeof msg, "out of memory while parsing");
        break;
    case YAML_READER_ERROR: {
        /* The reader reports a byte offset, not a mark: turn it into line and column. */
        size_t off = p->problem_offset < b->len ? p->problem_offset : b->len;
        m.line = 0;
        m.column = 0;
        const char *end = b->text + off;
        for (const char *q = b->text; q < end;) {
            size_t bl = break_len(q, b->text + b->len);
            if (bl) {
                m.line++;
                m.column = 0;
                q += bl;
            } else {
                if (((unsigned char)*q & 0xc0) != 0x80)
                    m.column++;
                q++;
            }
        }
        if (p->problem_value != -1)
            snprintf(msg, sizeof msg, "invalid input: %s (byte 0x%02x)", problem,
                     (unsigned)p->problem_value & 0xffu);
        else
            snprintf(msg, sizeof msg, "invalid input: %s", problem);
        break;
    }
    default:
        if (p->context)
            snprintf(msg, sizeof msg, "invalid YAML: %s (%s at line %zu)", problem, p->context,
                     (size_t)p->context_mark.line + 1);
        else
            snprintf(msg, sizeof msg, "invalid YAML: %s", problem);
        break;
    }
    err_mark(b, m, msg);
}

static int next_event(builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->p, ev)) {
        err_parser(b);
        return -1;
    }
    return 0;
}

int scn_node_str_pos_cmp(const void *pa, const void *pb)
{
    const scn_node *a = *(const scn_node *const *)pa, *b = *(const scn_node *const *)pb;
    int c = strcmp(a->str, b->str);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* Reports keys that occur twice: libyaml accepts them, the last silently winning. */
static void check_duplicates(builder *b, scn_node *map)
{
    size_t npairs = map->n / 2;
    if (npairs < 2)
        return;
    scn_node **keys = malloc(npairs * sizeof *keys);
    if (!keys)
        return;
    size_t k = 0;
    for (size_t i = 0; i < npairs; i++)
        if (map->kids[2 * i]->kind == SCN_N_SCALAR)
            keys[k++] = map->kids[2 * i];
    /* Sorted by text, then position, so the first of each run is the first written. */
    qsort(keys, k, sizeof *keys, scn_node_str_pos_cmp);
    char buf[128];
    for (size_t i = 1; i < k; i++) {
        size_t first = i - 1;
        while (i < k && strcmp(keys[first]->str, keys[i]->str) == 0) {
            if (keys[i]->set)
                scn_err(b->c, keys[i], "duplicate key '%s'", scn_clip(buf, sizeof buf, keys[i]->str));
            else
                scn_err(b->c, keys[i], "duplicate key '%s' (first defined at line %d)",
                        scn_clip(buf, sizeof buf, keys[i]->str), keys[first]->line);
            i++;
        }
    }
    free(keys);
}

/* Builds the node that starts with *ev (consumed). NULL on a fatal error (already reported). */
static scn_node *build(builder *b, yaml_event_t *ev, int depth)
{
    yaml_mark_t m = ev->start_mark;
    int line = (int)m.line + 1, col = (int)m.column + 1;
    scn_node *n = NULL;
    if (++b->nodes > SCN_MAX_NODES) {
        err_mark(b, m, "more than 1000000 YAML values: too large for a scenario");
        yaml_event_delete(ev);
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        if (memchr(v, '\0', len)) {
            err_mark(b, m, "a string contains a NUL character");
            yaml_event_delete(ev);
            return NULL;
        }
        n = scalar_new(v, len, ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, line, col, b->set);
        yaml_event_delete(ev);
        if (!n)
            err_mark(b, m, "out of memory");
        return n;
    }
    case YAML_ALIAS_EVENT: {
        char msg[256], buf[96];
        snprintf(msg, sizeof msg, "YAML aliases ('*%s') are not supported: write the value out in full",
                 scn_clip(buf, sizeof buf, (const char *)ev->data.alias.anchor));
        err_mark(b, m, msg);
        yaml_event_delete(ev);
        return NULL;
    }
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        break;
    default:
        err_mark(b, m, "invalid YAML: unexpected event");
        yaml_event_delete(ev);
        return NULL;
    }
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    yaml_event_type_t end_type = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    yaml_event_delete(ev);
    if (depth > SCN_MAX_DEPTH) {
        err_mark(b, m, "nesting deeper than 64 levels");
        return NULL;
    }
    n = node_new(is_map ? SCN_N_MAP : SCN_N_SEQ, line, col, b->set);
    if (!n) {
        err_mark(b, m, "out of memory");
        return NULL;
    }
    for (;;) {
        yaml_event_t e;
        if (next_event(b, &e) < 0)
            goto fail;
        if (e.type == end_type) {
            yaml_event_delete(&e);
            break;
        }
        scn_node *kid = build(b, &e, depth + 1);
        if (!kid)
            goto fail;
        if (push(n, kid) < 0) {
            scn_node_free(kid);
            err_mark(b, m, "out of memory");
            goto fail;
        }
        if (is_map && n->n % 2 == 1 && kid->kind != SCN_N_SCALAR)
            scn_err(b->c, kid, "mapping keys must be plain strings, found %s", scn_kind_name(kid));
    }
    if (is_map)
        check_duplicates(b, n);
    return n;
fail:
    scn_node_free(n);
    return NULL;
}

/* scn_parse for a document whose root sits at nesting level depth + 1 (a --set value, below its PATH). */
static scn_node *parse_at(scn_ctx *c, const char *text, size_t len, const char *set, int depth, int *failed)
{
    builder b = {.c = c, .text = text, .len = len, .set = set};
    scn_node *root = NULL;
    yaml_event_t ev;
    *failed = 1;
    int wide = wide_encoding(text, len);
    if (wide) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s is UTF-%d; save it as UTF-8", set ? "the value" : "file", wide);
        err_mark(&b, (yaml_mark_t){0}, msg);
        return NULL;
    }
    if (!yaml_parser_initialize(&b.p)) {
        scn_err_at(c, 0, 0, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&b.p, (const unsigned char *)text, len);
    if (next_event(&b, &ev) < 0)
        goto out;
    yaml_event_delete(&ev); /* STREAM-START */
    if (next_event(&b, &ev) < 0)
        goto out;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        *failed = 0;
        goto out;
    }
    yaml_event_delete(&ev); /* DOCUMENT-START */
    if (next_event(&b, &ev) < 0)
        goto out;
    root = build(&b, &ev, depth + 1);
    if (!root)
        goto out;
    if (next_event(&b, &ev) < 0)
        goto out;
    yaml_event_delete(&ev); /* DOCUMENT-END */
    if (next_event(&b, &ev) < 0)
        goto out;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        err_mark(&b, ev.start_mark, "a scenario is one YAML document; found a second one");
        yaml_event_delete(&ev);
        goto out;
    }
    yaml_event_delete(&ev);
    *failed = 0;
out:
    yaml_parser_delete(&b.p);
    if (*failed) {
        scn_node_free(root);
        root = NULL;
    }
    return root;
}

scn_node *scn_parse(scn_ctx *c, const char *text, size_t len, const char *set, int *failed)
{
    return parse_at(c, text, len, set, 0, failed);
}

/* ---------------------------------------------------------------- --set */

static bool all_digits(const char *s, size_t len)
{
    if (len == 0 || len > 9)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The value node of key [s, s+len) in map, or NULL. */
static scn_node **map_slot(scn_node *map, const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        scn_node *k = map->kids[i];
        if (k->kind == SCN_N_SCALAR && strlen(k->str) == len && memcmp(k->str, s, len) == 0)
            return &map->kids[i + 1];
    }
    return NULL;
}

/* What scn_apply_set changed before it failed, so a failed --set leaves the tree as it was. */
typedef struct set_undo {
    bool fresh_root;  /* *root was made for this --set */
    scn_node *grown;  /* the first collection given a new entry, and its size before */
    size_t grown_n;
    scn_node *nulled; /* a null scalar turned into a mapping, and its text */
    char *nulled_str;
} set_undo;

static void set_rollback(scn_node **root, set_undo *u)
{
    if (u->fresh_root) {
        scn_node_free(*root);
        *root = NULL;
        free(u->nulled_str);
        return;
    }
    if (u->grown)
        while (u->grown->n > u->grown_n)
            scn_node_free(u->grown->kids[--u->grown->n]);
    if (u->nulled) {
        free(u->nulled->kids);
        u->nulled->kids = NULL;
        u->nulled->n = u->nulled->cap = 0;
        u->nulled->kind = SCN_N_SCALAR;
        u->nulled->str = u->nulled_str;
    }
}

static void set_grow(set_undo *u, scn_node *cur)
{
    if (!u->grown) {
        u->grown = cur;
        u->grown_n = cur->n;
    }
}

scn_node *scn_node_copy(const scn_node *n)
{
    scn_node *k = n->kind == SCN_N_SCALAR ? scalar_new(n->str, strlen(n->str), n->plain, n->line, n->col, n->set)
                                          : node_new(n->kind, n->line, n->col, n->set);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        scn_node *kid = scn_node_copy(n->kids[i]);
        if (!kid || push(k, kid) < 0) {
            scn_node_free(kid);
            scn_node_free(k);
            return NULL;
        }
    }
    return k;
}

/*
 * Puts a value at PATH [set, eq) of the tree: the parsed text after eq (a --set), or `given` (a
 * variant's value node, owned from here). Errors are reported at `where`; the nodes PATH creates
 * take its position (or its --set string).
 */
static int apply_path(scn_ctx *c, scn_node **root, const char *set, const char *eq, const scn_node *at,
                      scn_node *given)
{
    scn_node where = *at;
    if (set[0] == '.' || eq[-1] == '.') {
        scn_err(c, &where, "empty component in PATH '%.*s'", (int)(eq - set), set);
        scn_node_free(given);
        return -1;
    }
    set_undo u = {.fresh_root = !*root};
    if (!*root && !(*root = node_new(SCN_N_MAP, 1, 1, NULL))) {
        scn_err(c, &where, "out of memory");
        scn_node_free(given);
        return -1;
    }

    scn_node **slot = root;
    const char *seg = set;
    int depth = 0; /* the nesting level of *slot before each step: the root is 1 */
    while (seg < eq) {
        /* The YAML reader's limit: PATH may not build what a file could not hold. */
        if (++depth > SCN_MAX_DEPTH) {
            scn_err(c, &where, "nesting deeper than %d levels", SCN_MAX_DEPTH);
            goto fail;
        }
        int plen = seg > set ? (int)(seg - set - 1) : 0; /* the path walked so far */
        const char *dot = memchr(seg, '.', (size_t)(eq - seg));
        size_t seglen = (size_t)((dot ? dot : eq) - seg);
        if (seglen == 0) {
            scn_err(c, &where, "empty component in PATH '%.*s'", (int)(eq - set), set);
            goto fail;
        }
        scn_node *cur = *slot;
        if (scn_is_null(cur) && !u.nulled) {
            /* `report:` with nothing under it can still take report.window. */
            u.nulled = cur;
            u.nulled_str = cur->str;
            cur->str = NULL;
            cur->kind = SCN_N_MAP;
        }
        const char *next;
        if (cur->kind == SCN_N_SEQ) {
            if (!all_digits(seg, seglen)) {
                scn_err(c, &where, "'%.*s' is a sequence: expected an index, found '%.*s'",
                        plen, set, (int)seglen, seg);
                goto fail;
            }
            size_t idx = (size_t)strtoul(seg, NULL, 10);
            if (idx > cur->n) {
                scn_err(c, &where, "index %zu is out of range ('%.*s' has %zu entr%s)", idx,
                        plen, set, cur->n, cur->n == 1 ? "y" : "ies");
                goto fail;
            }
            if (idx == cur->n) {
                set_grow(&u, cur);
                scn_node *fresh = node_new(SCN_N_MAP, where.line, where.col, where.set);
                if (!fresh || push(cur, fresh) < 0) {
                    free(fresh);
                    goto oom;
                }
            }
            slot = &cur->kids[idx];
            next = seg + seglen;
        } else if (cur->kind == SCN_N_MAP) {
            /* Keys may hold dots (instance_types.c5.large.speed): take the longest that exists. */
            scn_node **found = NULL;
            const char *end = NULL;
            for (const char *e = eq; e > seg; ) {
                if ((found = map_slot(cur, seg, (size_t)(e - seg)))) {
                    end = e;
                    break;
                }
                while (--e > seg && *e != '.')
                    ;
            }
            if (!found) {
                /*
                 * Instance type names hold dots (c5.large): under instance_types the
                 * new key runs to the end of PATH, or up to a final field name.
                 */
                if (slot != root && *root && (*root)->kind == SCN_N_MAP &&
                    map_slot(*root, "instance_types", 14) == slot) {
                    const char *last = eq;
                    while (last > seg && last[-1] != '.')
                        last--;
                    size_t ll = (size_t)(eq - last);
                    bool field = (ll == 5 && memcmp(last, "vcpus", 5) == 0) ||
                                 (ll == 5 && memcmp(last, "speed", 5) == 0) ||
                                 (ll == 12 && memcmp(last, "hourly_price", 12) == 0);
                    seglen = field && last - 1 > seg ? (size_t)(last - 1 - seg) : (size_t)(eq - seg);
                }
                set_grow(&u, cur);
                scn_node *k = scalar_new(seg, seglen, true, where.line, where.col, where.set);
                scn_node *v = node_new(SCN_N_MAP, where.line, where.col, where.set);
                if (!k || push(cur, k) < 0) {
                    scn_node_free(k);
                    scn_node_free(v);
                    goto oom;
                }
                if (!v || push(cur, v) < 0) {
                    scn_node_free(v);
                    goto oom;
                }
                found = &cur->kids[cur->n - 1];
                end = seg + seglen;
            }
            slot = found;
            next = end;
        } else {
            if (plen == 0)
                scn_err(c, &where, "the top level is not a mapping");
            else
                scn_err(c, &where, "'%.*s' is a scalar: it has no '%.*s'", plen, set, (int)seglen, seg);
            goto fail;
        }
        seg = next < eq ? next + 1 : eq;
    }
    /* The value's root takes *slot's place, one level below the last collection walked. */
    int failed = 0;
    scn_node *val = given;
    given = NULL;
    if (!val)
        val = parse_at(c, eq + 1, strlen(eq + 1), set, depth, &failed);
    if (failed)
        goto fail;
    if (!val && !(val = scalar_new("", 0, true, 0, 0, set)))
        goto oom;
    scn_node_free(*slot);
    *slot = val;
    free(u.nulled_str);
    return 0;
oom:
    scn_err(c, &where, "out of memory");
fail:
    scn_node_free(given);
    set_rollback(root, &u);
    return -1;
}

int scn_apply_set(scn_ctx *c, scn_node **root, const char *set)
{
    scn_node where = {.set = set};
    const char *eq = strchr(set, '=');
    if (!eq || eq == set) {
        scn_err(c, &where, "expected PATH=VALUE, e.g. resources.web_tg.deregistration_delay=30s");
        return -1;
    }
    return apply_path(c, root, set, eq, &where, NULL);
}

int scn_apply_node(scn_ctx *c, scn_node **root, const scn_node *path, const scn_node *value)
{
    size_t len = strlen(path->str);
    char *set = malloc(len + 2);
    scn_node *val = scn_node_copy(value);
    if (!set || !val) {
        scn_err(c, path, "out of memory");
        free(set);
        scn_node_free(val);
        return -1;
    }
    memcpy(set, path->str, len);
    memcpy(set + len, "=", 2);
    scn_node at = *path;
    at.set = NULL;
    int rc = len ? apply_path(c, root, set, set + len, &at, val) : -1;
    if (!len) {
        scn_err(c, path, "expected a PATH such as resources.web.min_size");
        scn_node_free(val);
    }
    free(set);
    return rc;
}
