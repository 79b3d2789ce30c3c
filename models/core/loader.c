/*
 * loader.c - the loader's core: sections, getters, units, money,
 * distributions, references and the walk over the resource-type table.
 *
 * Strict on purpose (netplan, SQLite): a capacity planner who typoes
 * `min_sise` must get an error, not a silently defaulted group. Every value
 * is checked where it is read and every error names the node that causes it.
 *
 * Two passes over `resources`: the first learns every name and type, so the
 * second can resolve references in any order, as Terraform does.
 */
#include "models/core/loader.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/ec2/instance_type.h"

/* An entry under `instance_types:`, checked before any resource names a type. */
struct ld_ovr {
    const scn_node *key;
    bool ok;
    scn_itype t;
};
typedef struct ld_ovr ovr;

/* ---------------------------------------------------------------- helpers */

char *ld_dupstr(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Levenshtein distance, capped: long strings are never "close" to a short key. */
static int ld_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/*
 * Past the diagnostics cap nothing more is shown, so the did-you-mean scans
 * (linear in the number of candidates) are skipped: a file with a million
 * dangling references must not take a million squared steps.
 */
bool ld_quiet(const loader *v) { return v->c.errors >= SCN_MAX_DIAGS; }

/* Remembers cand in *best if it is closer to word than anything seen. */
void ld_suggest(const char *word, const char *cand, const char **best, int *best_d)
{
    int d = ld_edit_distance(word, cand);
    size_t len = strlen(cand);
    int limit = len <= 4 ? 1 : len <= 9 ? 2 : 3;
    if (d <= limit && d < *best_d) {
        *best = cand;
        *best_d = d;
    }
}

/* " (did you mean 'X'?)" or "" */
const char *ld_hint(char *buf, size_t size, const char *best)
{
    if (!best)
        return "";
    snprintf(buf, size, " (did you mean '%s'?)", best);
    return buf;
}

bool ld_in_list(const char *s, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

double ld_sec(sim_time_t t) { return (double)t / 1e9; }

/* Formats a duration in the unit a reader would write it in. */
const char *ld_fmt_dur(char *buf, size_t size, sim_time_t t)
{
    static const struct { sim_time_t unit; const char *name; } units[] = {
        {SIM_DAY, "d"}, {SIM_HOUR, "h"}, {SIM_MIN, "m"}, {SIM_SEC, "s"},
        {SIM_MS, "ms"}, {SIM_US, "us"}, {SIM_NS, "ns"},
    };
    if (t % SIM_SEC == 0 && t / SIM_SEC <= 4000) {
        snprintf(buf, size, "%llds", (long long)(t / SIM_SEC));
        return buf;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (t % units[i].unit == 0) {
            snprintf(buf, size, "%lld%s", (long long)(t / units[i].unit), units[i].name);
            break;
        }
    return buf;
}

/* ---------------------------------------------------------------- scalars */

static const struct { const char *name; sim_time_t ns; } dur_units[] = {
    {"ns", SIM_NS}, {"us", SIM_US}, {"\xc2\xb5s", SIM_US}, {"ms", SIM_MS},
    {"s", SIM_SEC}, {"m", SIM_MIN}, {"h", SIM_HOUR}, {"d", SIM_DAY},
};

/* Parses "1.5s"-style text exactly into ns; NULL on success, else why not. */
const char *ld_parse_duration(const char *s, sim_time_t *out, char *why, size_t why_size)
{
    char buf[96];
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    const char *ip = p;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t ilen = (size_t)(p - ip);
    const char *fp = NULL;
    size_t flen = 0;
    if (ilen && *p == '.') {
        fp = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        flen = (size_t)(p - fp);
    }
    sim_time_t unit = 0;
    for (size_t i = 0; i < sizeof dur_units / sizeof dur_units[0]; i++)
        if (strcmp(p, dur_units[i].name) == 0)
            unit = dur_units[i].ns;
    if (ilen == 0 || (fp && flen == 0) || (*p && !unit)) {
        snprintf(why, why_size, "invalid duration '%s': expected a number and a unit "
                 "(ns, us, ms, s, m, h, d), e.g. 250ms, 90s, 5m", scn_clip(buf, sizeof buf, s));
        return why;
    }
    if (!unit) {
        snprintf(why, why_size, "duration needs a unit (ns, us, ms, s, m, h, d): "
                 "write %ss for %s seconds", scn_clip(buf, sizeof buf, s), buf);
        return why;
    }
    if (s[0] == '-') {
        snprintf(why, why_size, "a duration cannot be negative");
        return why;
    }
    if (ilen > 18) {
        snprintf(why, why_size, "duration '%s' is too large", scn_clip(buf, sizeof buf, s));
        return why;
    }
    int64_t ipart = 0, fpart = 0, fscale = 1;
    for (size_t i = 0; i < ilen; i++)
        ipart = ipart * 10 + (ip[i] - '0');
    if (flen > 9) {
        snprintf(why, why_size, "duration '%s' has more than 9 decimal places", scn_clip(buf, sizeof buf, s));
        return why;
    }
    for (size_t i = 0; i < flen; i++) {
        fpart = fpart * 10 + (fp[i] - '0');
        fscale *= 10;
    }
    if (ipart > SIM_TIME_MAX / unit || fpart > (INT64_MAX - fscale) / unit) {
        snprintf(why, why_size, "duration '%s' is too large or too finely divided",
                 scn_clip(buf, sizeof buf, s));
        return why;
    }
    int64_t whole = ipart * unit;
    int64_t frac = (fpart * unit + fscale / 2) / fscale; /* rounded to the nearest ns */
    if (frac > SIM_TIME_MAX - whole) {
        snprintf(why, why_size, "duration '%s' is too large", scn_clip(buf, sizeof buf, s));
        return why;
    }
    *out = whole + frac;
    return NULL;
}

/* Decimal number grammar: digits, optional fraction and exponent. No hex, inf, nan. */
bool ld_parse_number(const char *s, double *out)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return false;
    errno = 0;
    double d = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(d))
        return false;
    *out = d;
    return true;
}

/* ---------------------------------------------------------------- sections */

const scn_node *ld_sect_get(const ld_sect *s, const char *key)
{
    if (!s->map)
        return NULL;
    for (size_t i = 0; i + 1 < s->map->n; i += 2) {
        const scn_node *k = s->map->kids[i];
        if (k->kind == SCN_N_SCALAR && strcmp(k->str, key) == 0)
            return s->map->kids[i + 1];
    }
    return NULL;
}

/* Opens n as a mapping section; reports and returns false if it is something else. */
bool ld_sect_open(loader *v, ld_sect *s, const scn_node *n, const scn_node *owner, const char *what)
{
    s->v = v;
    s->owner = owner;
    s->what = what;
    s->map = NULL;
    s->keys = NULL;
    s->resource = false;
    if (n->kind != SCN_N_MAP) {
        scn_err(&v->c, n, "%s: expected a mapping, found %s", what, scn_kind_name(n));
        return false;
    }
    s->map = n;
    return true;
}

/* Reports every key not in `keys`; keys in `later` are "not supported yet". */
void ld_sect_keys(const ld_sect *s, const char *const *keys, const char *const *later)
{
    char b1[96], b2[96];
    if (!s->map)
        return;
    for (size_t i = 0; i + 1 < s->map->n; i += 2) {
        const scn_node *k = s->map->kids[i];
        if (k->kind != SCN_N_SCALAR || ld_in_list(k->str, keys))
            continue;
        if (ld_in_list(k->str, later)) {
            scn_err(&s->v->c, k, "'%s' in %s is not supported yet", k->str, s->what);
            continue;
        }
        const char *best = NULL;
        int best_d = 99;
        for (const char *const *p = keys; *p; p++)
            ld_suggest(k->str, *p, &best, &best_d);
        scn_err(&s->v->c, k, "unknown key '%s' in %s%s", scn_clip(b1, sizeof b1, k->str), s->what,
                ld_hint(b2, sizeof b2, best));
    }
}

/* The value of key, or NULL; reports a missing required key at the section's owner. */
const scn_node *ld_sect_need(const ld_sect *s, const char *key, bool required)
{
    const scn_node *n = ld_sect_get(s, key);
    if (!n && required && s->map)
        scn_err(&s->v->c, s->owner, "missing required key '%s' in %s", key, s->what);
    return n;
}

/* A scalar that is not null, or NULL after reporting what was expected. */
const scn_node *ld_want_scalar(const ld_sect *s, const scn_node *n, const char *key, const char *expected)
{
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&s->v->c, n, "'%s': expected %s, found %s", key, expected, scn_kind_name(n));
        return NULL;
    }
    return n;
}

/* Getters: 0 absent (default left in *out), 1 read, -1 reported. */

int ld_get_str(const ld_sect *s, const char *key, bool required, size_t max, char *out, size_t out_size,
                   const scn_node **where)
{
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    if (where)
        *where = n;
    if (!ld_want_scalar(s, n, key, "a string"))
        return -1;
    if (strlen(n->str) > max) {
        scn_err(&s->v->c, n, "'%s' is too long (at most %zu characters)", key, max);
        return -1;
    }
    if (out && max < out_size)
        memcpy(out, n->str, strlen(n->str) + 1);
    return 1;
}

int ld_dur_value(const ld_sect *s, const scn_node *n, const char *key, sim_time_t *out)
{
    char why[256];
    if (!ld_want_scalar(s, n, key, "a duration (e.g. 30s)"))
        return -1;
    if (ld_parse_duration(n->str, out, why, sizeof why)) {
        scn_err(&s->v->c, n, "'%s': %s", key, why);
        return -1;
    }
    return 1;
}

/* lo == 1 means "more than 0". */
/* *out = t when lo <= t <= hi (lo == 1: "more than 0"); else reports at n. */
static int dur_in_range(const ld_sect *s, const scn_node *n, const char *key, sim_time_t t, sim_time_t lo,
                        sim_time_t hi, sim_time_t *out)
{
    char b1[32], b2[32], b3[32];
    if (t < lo || t > hi) {
        if (lo == 1)
            scn_err(&s->v->c, n, "'%s' is out of range: %s (must be more than 0s and at most %s)", key,
                    ld_fmt_dur(b1, sizeof b1, t), ld_fmt_dur(b3, sizeof b3, hi));
        else
            scn_err(&s->v->c, n, "'%s' is out of range: %s (must be between %s and %s)", key,
                    ld_fmt_dur(b1, sizeof b1, t), ld_fmt_dur(b2, sizeof b2, lo), ld_fmt_dur(b3, sizeof b3, hi));
        return -1;
    }
    *out = t;
    return 1;
}

int ld_get_dur(const ld_sect *s, const char *key, bool required, sim_time_t def, sim_time_t lo, sim_time_t hi,
               sim_time_t *out)
{
    *out = def;
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    sim_time_t t;
    if (ld_dur_value(s, n, key, &t) < 0)
        return -1;
    return dur_in_range(s, n, key, t, lo, hi, out);
}

int ld_get_int(const ld_sect *s, const char *key, bool required, long long def, long long lo,
                   long long hi, long long *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    if (!ld_want_scalar(s, n, key, "an integer"))
        return -1;
    const char *p = n->str + (n->str[0] == '-' || n->str[0] == '+');
    bool digits = *p != '\0';
    for (; *p; p++)
        digits = digits && *p >= '0' && *p <= '9';
    if (!digits) {
        scn_err(&s->v->c, n, "'%s': expected an integer, found '%s'", key, scn_clip(buf, sizeof buf, n->str));
        return -1;
    }
    errno = 0;
    long long x = strtoll(n->str, NULL, 10);
    if (errno == ERANGE) {
        scn_err(&s->v->c, n, "'%s': integer %s is too large", key, scn_clip(buf, sizeof buf, n->str));
        return -1;
    }
    if (x < lo || x > hi) {
        scn_err(&s->v->c, n, "'%s' is out of range: %lld (must be between %lld and %lld)", key, x, lo, hi);
        return -1;
    }
    *out = x;
    return 1;
}

/* A number in (lo, hi] when lo_open, else [lo, hi]. */
int ld_get_num(const ld_sect *s, const char *key, bool required, double def, double lo, bool lo_open,
                   double hi, double *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    if (!ld_want_scalar(s, n, key, "a number"))
        return -1;
    double x;
    if (!ld_parse_number(n->str, &x)) {
        scn_err(&s->v->c, n, "'%s': expected a number, found '%s'", key, scn_clip(buf, sizeof buf, n->str));
        return -1;
    }
    if ((lo_open ? x <= lo : x < lo) || x > hi) {
        scn_err(&s->v->c, n, "'%s' is out of range: %g (must be %s %g and at most %g)", key, x,
                lo_open ? "more than" : "at least", lo, hi);
        return -1;
    }
    *out = x;
    return 1;
}

int ld_get_money(const ld_sect *s, const char *key, bool required, double *out)
{
    char buf[96];
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    if (!ld_want_scalar(s, n, key, "an amount of money (e.g. $0.085)"))
        return -1;
    double x;
    if (n->str[0] != '$') {
        if (ld_parse_number(n->str, &x))
            scn_err(&s->v->c, n, "'%s': money needs a '$': write $%s", key, scn_clip(buf, sizeof buf, n->str));
        else
            scn_err(&s->v->c, n, "'%s': expected an amount of money such as $0.085, found '%s'", key,
                    scn_clip(buf, sizeof buf, n->str));
        return -1;
    }
    const char *p = n->str + 1;
    bool good = *p >= '0' && *p <= '9';
    for (const char *q = p; good && *q; q++)
        good = (*q >= '0' && *q <= '9') || *q == '.';
    if (!good || strchr(p, '.') != strrchr(p, '.') || p[strlen(p) - 1] == '.' || !ld_parse_number(p, &x)) {
        scn_err(&s->v->c, n, "'%s': expected an amount of money such as $0.085, found '%s'", key,
                scn_clip(buf, sizeof buf, n->str));
        return -1;
    }
    if (x > 1e6) {
        scn_err(&s->v->c, n, "'%s' is out of range: $%g (must be at most $1000000)", key, x);
        return -1;
    }
    *out = x;
    return 1;
}

int ld_get_bool(const ld_sect *s, const char *key, bool def, bool *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = ld_sect_need(s, key, false);
    if (!n)
        return 0;
    if (!ld_want_scalar(s, n, key, "true or false"))
        return -1;
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0) {
        *out = n->str[0] == 't';
        return 1;
    }
    scn_err(&s->v->c, n, "'%s': expected true or false, found '%s'", key, scn_clip(buf, sizeof buf, n->str));
    return -1;
}

/* One of `names` (NULL-terminated); *out = its index. `later` names are "not supported yet". */
int ld_get_enum(const ld_sect *s, const char *key, const char *const *names, const char *const *later,
                    int *out, const scn_node **where)
{
    char b1[96], b2[96];
    const scn_node *n = ld_sect_need(s, key, false);
    if (!n)
        return 0;
    if (where)
        *where = n;
    if (!ld_want_scalar(s, n, key, "a string"))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(n->str, names[i]) == 0) {
            *out = i;
            return 1;
        }
    if (ld_in_list(n->str, later)) {
        scn_err(&s->v->c, n, "'%s': %s is not supported yet", key, n->str);
        return -1;
    }
    const char *best = NULL;
    int best_d = 99;
    size_t len = 0;
    char list[256] = "";
    for (int i = 0; names[i]; i++) {
        ld_suggest(n->str, names[i], &best, &best_d);
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    }
    scn_err(&s->v->c, n, "'%s': unknown value '%s'%s; expected one of: %s", key,
            scn_clip(b1, sizeof b1, n->str), ld_hint(b2, sizeof b2, best), list);
    return -1;
}

/* ---------------------------------------------------------------- references */

static int res_cmp(const void *pa, const void *pb)
{
    const ld_res *a = *(const ld_res *const *)pa, *b = *(const ld_res *const *)pb;
    return strcmp(a->name, b->name);
}

const ld_res *ld_res_find(const loader *v, const char *name)
{
    size_t lo = 0, hi = v->n_res;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v->by_name[mid]->name, name);
        if (c == 0)
            return v->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const res_type *ld_type_find(const char *t)
{
    for (const res_type *const *p = ld_types; *p; p++)
        if (strcmp(t, (*p)->tf_type) == 0)
            return *p;
    for (const res_type *const *p = ld_types; *p; p++)
        if (ld_in_list(t, (*p)->aliases))
            return *p;
    return NULL;
}

bool ld_res_is(const ld_res *r, const char *tf_type)
{
    return r && r->type && strcmp(r->type->tf_type, tf_type) == 0;
}

void *ld_cfg_at(const loader *v, const res_type *t, int idx)
{
    char *arr = *(char **)(void *)((char *)v->s + t->arr_off);
    return arr + (size_t)idx * t->cfg_size;
}

static bool type_in(const res_type *t, const char *const *types)
{
    return t && ld_in_list(t->tf_type, types);
}

/* "aws_lb" or "aws_sns_topic or aws_autoscaling_policy": the types named, in table order. */
static const char *types_text(char *buf, size_t size, const char *const *types)
{
    size_t len = 0;
    buf[0] = '\0';
    for (const res_type *const *p = ld_types; *p; p++)
        if (type_in(*p, types) && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " or " : "", (*p)->tf_type);
    return buf;
}

int ld_resolve_any(loader *v, const scn_node *n, const char *key, const char *const *types,
                   const res_type **type_out, int *out)
{
    char b1[96], b2[96], name[256], want[160];
    types_text(want, sizeof want, types);
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&v->c, n, "'%s': expected the name of an %s, found %s", key, want, scn_kind_name(n));
        return -1;
    }
    const char *str = n->str;
    const res_type *typed = NULL;
    const char *dot = strchr(str, '.');
    if (dot) {
        /* Terraform form: the type in front must be the referenced resource's type. */
        char type[64];
        size_t tl = (size_t)(dot - str);
        if (tl < sizeof type) {
            memcpy(type, str, tl);
            type[tl] = '\0';
            typed = ld_type_find(type);
        }
        if (typed) {
            const char *nm = dot + 1, *dot2 = strchr(nm, '.');
            size_t nl = dot2 ? (size_t)(dot2 - nm) : strlen(nm);
            if (dot2 && strcmp(dot2 + 1, "arn") != 0 && strcmp(dot2 + 1, "id") != 0 &&
                strcmp(dot2 + 1, "name") != 0 && strcmp(dot2 + 1, "arn_suffix") != 0) {
                scn_err(&v->c, n, "'%s': a reference ends in .arn, .id, .name or .arn_suffix, found '%s'", key,
                        scn_clip(b1, sizeof b1, str));
                return -1;
            }
            if (nl >= sizeof name || nl == 0) {
                scn_err(&v->c, n, "'%s': invalid reference '%s'", key, scn_clip(b1, sizeof b1, str));
                return -1;
            }
            memcpy(name, nm, nl);
            name[nl] = '\0';
            str = name;
        }
    }
    const ld_res *r = ld_res_find(v, str);
    if (typed && !type_in(typed, types) && (!r || r->type == typed)) {
        scn_err(&v->c, n, "'%s': expected a reference to an %s, found one to an %s", key, want, typed->tf_type);
        return -1;
    }
    if (!r) {
        const char *best = NULL;
        int best_d = 99;
        for (size_t i = 0; i < v->n_res && !ld_quiet(v); i++)
            if (type_in(v->res[i].type, types))
                ld_suggest(str, v->res[i].name, &best, &best_d);
        scn_err(&v->c, n, "no %s named '%s'%s", want, scn_clip(b1, sizeof b1, str), ld_hint(b2, sizeof b2, best));
        return -1;
    }
    if (!r->type)
        return -1; /* the resource itself is broken and already reported */
    if (!type_in(r->type, types)) {
        scn_err(&v->c, n, "'%s' is an %s, expected an %s", scn_clip(b1, sizeof b1, str), r->type->tf_type, want);
        return -1;
    }
    if (type_out)
        *type_out = r->type;
    *out = r->idx;
    return 1;
}

int ld_resolve(loader *v, const scn_node *n, const char *key, const char *tf_type, int *out)
{
    const char *const types[] = {tf_type, NULL};
    return ld_resolve_any(v, n, key, types, NULL, out);
}

int ld_get_ref(const ld_sect *s, const char *key, bool required, const char *tf_type, int *out)
{
    *out = -1;
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return 0;
    return ld_resolve(s->v, n, key, tf_type, out);
}

/* ---------------------------------------------------------------- instance types */

const char *ld_price_region(const loader *v)
{
    /* An unknown region is already reported; pricing it as us-west-2 lets the rest be checked. */
    return v->bad_region || !itype_region_known(v->s->region) ? "us-west-2" : v->s->region;
}

#define MAX_ITYPES 1000 /* each reference scans them: keeps a hostile file from going quadratic */

void ld_load_instance_types(loader *v, const scn_node *n)
{
    char b1[96], b2[96], what[160];
    ld_sect top;
    if (!ld_sect_open(v, &top, n, n, "'instance_types'"))
        return;
    size_t np = n->n / 2;
    if (np > MAX_ITYPES) {
        scn_err(&v->c, n, "'instance_types' has %zu entries (at most %d)", np, MAX_ITYPES);
        return;
    }
    v->ovr = calloc(np ? np : 1, sizeof *v->ovr);
    if (!v->ovr) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const scn_node *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
        if (k->kind != SCN_N_SCALAR)
            continue;
        ovr *o = &v->ovr[v->n_ovr++];
        o->key = k;
        if (strlen(k->str) == 0 || strlen(k->str) >= sizeof o->t.name) {
            scn_err(&v->c, k, "instance type name '%s' must have 1 to %zu characters",
                    scn_clip(b1, sizeof b1, k->str), sizeof o->t.name - 1);
            continue;
        }
        snprintf(what, sizeof what, "instance type '%s'", k->str);
        ld_sect s;
        if (!ld_sect_open(v, &s, val, k, what))
            continue;
        static const char *const keys[] = {"vcpus", "speed", "hourly_price", NULL};
        ld_sect_keys(&s, keys, NULL);
        const scn_itype *base = itype_catalog_find_in(ld_price_region(v), k->str);
        if (base)
            o->t = *base;
        else
            snprintf(o->t.name, sizeof o->t.name, "%s", k->str);
        long long vcpus = o->t.vcpus;
        int rc1 = ld_get_int(&s, "vcpus", false, vcpus, 1, 448, &vcpus);
        int rc2 = ld_get_num(&s, "speed", false, o->t.speed, 0, true, 100, &o->t.speed);
        int rc3 = ld_get_money(&s, "hourly_price", false, &o->t.hourly_usd);
        o->t.vcpus = (int)vcpus;
        if (!base && (rc1 == 0 || rc2 == 0 || rc3 == 0)) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                ld_suggest(k->str, itype_catalog_at(j)->name, &best, &best_d);
            scn_err(&v->c, k, "'%s' is not in the instance type catalog%s: a new type needs vcpus, speed "
                    "and hourly_price (missing '%s')", scn_clip(b1, sizeof b1, k->str),
                    ld_hint(b2, sizeof b2, best), rc1 == 0 ? "vcpus" : rc2 == 0 ? "speed" : "hourly_price");
            continue;
        }
        o->ok = rc1 >= 0 && rc2 >= 0 && rc3 >= 0;
    }
}

/* Resolves an instance type name to an index into s->itypes, adding it on first use. */
int ld_itype_ref(loader *v, const ld_sect *s, const char *key, int *out)
{
    char b1[96], b2[96];
    scenario *sc = v->s;
    *out = -1;
    const scn_node *n = ld_sect_need(s, key, true);
    if (!n || !ld_want_scalar(s, n, key, "an instance type name (e.g. c5.large)"))
        return -1;
    for (size_t i = 0; i < sc->n_itypes; i++)
        if (strcmp(sc->itypes[i].name, n->str) == 0) {
            *out = (int)i;
            return 1;
        }
    scn_itype t;
    const ovr *o = NULL;
    for (size_t i = 0; i < v->n_ovr; i++)
        if (strcmp(v->ovr[i].key->str, n->str) == 0)
            o = &v->ovr[i];
    if (o) {
        if (!o->ok)
            return -1;
        t = o->t;
    } else {
        const scn_itype *c = itype_catalog_find_in(ld_price_region(v), n->str);
        if (!c) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                ld_suggest(n->str, itype_catalog_at(j)->name, &best, &best_d);
            for (size_t j = 0; j < v->n_ovr && !ld_quiet(v); j++)
                ld_suggest(n->str, v->ovr[j].key->str, &best, &best_d);
            scn_err(&v->c, n, "unknown instance type '%s'%s; define it under instance_types to add it",
                    scn_clip(b1, sizeof b1, n->str), ld_hint(b2, sizeof b2, best));
            return -1;
        }
        t = *c;
    }
    if (sc->n_itypes == v->itypes_cap) {
        size_t cap = v->itypes_cap ? v->itypes_cap * 2 : 4;
        scn_itype *p = realloc(sc->itypes, cap * sizeof *p);
        if (!p) {
            scn_err(&v->c, n, "out of memory");
            return -1;
        }
        sc->itypes = p;
        v->itypes_cap = cap;
    }
    sc->itypes[sc->n_itypes] = t;
    *out = (int)sc->n_itypes++;
    return 1;
}

/* ---------------------------------------------------------------- distributions */

static const char *const dist_names[] = {
    "constant", "exponential", "uniform", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical", NULL,
};

#define MAX_EMPIRICAL 100000

/* Reads a distribution of durations (a bare duration is a constant) into seconds. */
int ld_get_dist(const ld_sect *ps, const char *key, bool required, sim_dist *out, double **values)
{
    loader *v = ps->v;
    char what[512], b1[32], b2[32];
    const scn_node *n = ld_sect_need(ps, key, required);
    if (!n)
        return 0;
    if (n->kind == SCN_N_SCALAR) {
        sim_time_t t;
        if (ld_dur_value(ps, n, key, &t) < 0)
            return -1;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(t)};
        return 1;
    }
    snprintf(what, sizeof what, "'%s' of %.400s", key, ps->what);
    ld_sect s;
    if (!ld_sect_open(v, &s, n, n, what))
        return -1;
    int kind = -1;
    const scn_node *dn = ld_sect_need(&s, "dist", true);
    if (!dn)
        return -1;
    if (ld_get_enum(&s, "dist", dist_names, NULL, &kind, NULL) < 0)
        return -1;
    static const char *const keys[][6] = {
        {"dist", "value", NULL}, {"dist", "mean", NULL}, {"dist", "min", "max", NULL},
        {"dist", "mean", "sd", NULL}, {"dist", "mean", "cv", "p50", "p99", NULL},
        {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL},
        {"dist", "values", NULL},
    };
    ld_sect_keys(&s, keys[kind], NULL);
    const sim_time_t BIG = 400 * SIM_DAY;
    sim_time_t a = 0, b = 0;
    double x = 0;
    int bad = 0;
    switch (kind) {
    case 0:
        bad |= ld_get_dur(&s, "value", true, 0, 0, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = ld_sec(a)};
        break;
    case 1:
        bad |= ld_get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = ld_sec(a)};
        break;
    case 2:
        bad |= ld_get_dur(&s, "min", true, 0, 0, BIG, &a) <= 0;
        bad |= ld_get_dur(&s, "max", true, 0, 0, BIG, &b) <= 0;
        if (!bad && a > b) {
            scn_err(&v->c, ld_sect_get(&s, "max"), "'max' (%s) must not be less than 'min' (%s)",
                    ld_fmt_dur(b1, sizeof b1, b), ld_fmt_dur(b2, sizeof b2, a));
            bad = 1;
        }
        *out = (sim_dist){.kind = SIM_DIST_UNIFORM, .a = ld_sec(a), .b = ld_sec(b)};
        break;
    case 3:
        bad |= ld_get_dur(&s, "mean", true, 0, 0, BIG, &a) <= 0;
        bad |= ld_get_dur(&s, "sd", true, 0, 1, BIG, &b) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_NORMAL, .a = ld_sec(a), .b = ld_sec(b)};
        break;
    case 4: {
        bool by_mean = ld_sect_get(&s, "mean") || ld_sect_get(&s, "cv");
        bool by_pct = ld_sect_get(&s, "p50") || ld_sect_get(&s, "p99");
        if (by_mean && by_pct) {
            scn_err(&v->c, n, "%s: give either mean and cv, or p50 and p99, not both", what);
            return -1;
        }
        if (!by_pct) {
            bad |= ld_get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
            bad |= ld_get_num(&s, "cv", true, 0, 0, true, 100, &x) <= 0;
            if (!bad && sim_dist_lognormal_mean_cv(out, ld_sec(a), x) != 0) {
                scn_err(&v->c, n, "%s: mean %s and cv %g give no valid lognormal", what,
                        ld_fmt_dur(b1, sizeof b1, a), x);
                bad = 1;
            }
        } else {
            bad |= ld_get_dur(&s, "p50", true, 0, 1, BIG, &a) <= 0;
            bad |= ld_get_dur(&s, "p99", true, 0, 1, BIG, &b) <= 0;
            if (!bad && b <= a) {
                scn_err(&v->c, ld_sect_get(&s, "p99"), "'p99' (%s) must be greater than 'p50' (%s)",
                        ld_fmt_dur(b1, sizeof b1, b), ld_fmt_dur(b2, sizeof b2, a));
                bad = 1;
            }
            if (!bad && sim_dist_lognormal_p50_p99(out, ld_sec(a), ld_sec(b)) != 0) {
                scn_err(&v->c, n, "%s: p50 %s and p99 %s give no valid lognormal", what,
                        ld_fmt_dur(b1, sizeof b1, a), ld_fmt_dur(b2, sizeof b2, b));
                bad = 1;
            }
        }
        break;
    }
    case 5:
    case 6:
    case 7:
        bad |= ld_get_num(&s, "shape", true, 0, 0, true, 1e6, &x) <= 0;
        bad |= ld_get_dur(&s, "scale", true, 0, 1, BIG, &a) <= 0;
        if (kind == 5)
            *out = (sim_dist){.kind = SIM_DIST_GAMMA, .a = x, .b = ld_sec(a)};
        else if (kind == 6)
            *out = (sim_dist){.kind = SIM_DIST_WEIBULL, .a = ld_sec(a), .b = x};
        else
            *out = (sim_dist){.kind = SIM_DIST_PARETO, .a = x, .b = ld_sec(a)};
        break;
    case 8: {
        const scn_node *vn = ld_sect_need(&s, "values", true);
        if (!vn)
            return -1;
        if (vn->kind != SCN_N_SEQ || vn->n < 1 || vn->n > MAX_EMPIRICAL) {
            char found[64];
            snprintf(found, sizeof found, "%s", scn_kind_name(vn));
            if (vn->kind == SCN_N_SEQ)
                snprintf(found, sizeof found, "%zu", vn->n);
            scn_err(&v->c, vn, "'values': expected a sequence of 1 to %d durations, found %s", MAX_EMPIRICAL,
                    vn->kind == SCN_N_SEQ && vn->n == 0 ? "an empty sequence" : found);
            return -1;
        }
        double *vals = malloc(vn->n * sizeof *vals);
        if (!vals) {
            scn_err(&v->c, vn, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < vn->n; i++) {
            sim_time_t t = 0;
            bad |= ld_dur_value(&s, vn->kids[i], "values", &t) < 0;
            vals[i] = ld_sec(t);
        }
        if (bad) {
            free(vals);
            return -1;
        }
        free(*values);
        *values = vals;
        *out = (sim_dist){.kind = SIM_DIST_EMPIRICAL, .values = vals, .n_values = vn->n};
        break;
    }
    default:
        return -1;
    }
    return bad ? -1 : 1;
}

/* ---------------------------------------------------------------- resources */



/* The key node of `key` in s, or NULL (for errors that point at a key rather than its value). */
const scn_node *ld_sect_key(const ld_sect *s, const char *key)
{
    if (!s->map)
        return NULL;
    for (size_t i = 0; i + 1 < s->map->n; i += 2) {
        const scn_node *k = s->map->kids[i];
        if (k->kind == SCN_N_SCALAR && strcmp(k->str, key) == 0)
            return k;
    }
    return NULL;
}

/* Reports each of `keys` present in s: they belong to another kind of the same resource. */
void ld_only_for(const ld_sect *s, const char *const *keys, const char *which)
{
    for (; *keys; keys++) {
        const scn_node *k = ld_sect_key(s, *keys);
        if (k)
            scn_err(&s->v->c, k, "'%s' applies only to %s", *keys, which);
    }
}

/* An AZ must belong to the scenario's region, as AWS rejects any other. */
bool ld_check_az(loader *v, const scn_node *n, const char *az)
{
    char b1[96];
    size_t rl = strlen(v->s->region);
    if (v->bad_region)
        return true;
    if (strncmp(az, v->s->region, rl) != 0 || strlen(az) <= rl) {
        scn_err(&v->c, n, "availability zone '%s' is not in region %s", scn_clip(b1, sizeof b1, az), v->s->region);
        return false;
    }
    return true;
}

static int64_t ld_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDThh:mm:ssZ" (or "+00:00" for Z), years 1970..9999, into UTC epoch seconds. */
bool ld_parse_rfc3339(const char *s, int64_t *out)
{
    int f[6] = {0};
    static const int width[6] = {4, 2, 2, 2, 2, 2};
    static const char sep[6] = {'-', '-', 'T', ':', ':', '\0'};
    const char *p = s;
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < width[i]; j++, p++) {
            if (*p < '0' || *p > '9')
                return false;
            f[i] = f[i] * 10 + (*p - '0');
        }
        if (sep[i] && *p++ != sep[i])
            return false;
    }
    if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0)
        return false;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = f[0], mo = f[1], d = f[2];
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        f[3] > 23 || f[4] > 59 || f[5] > 59)
        return false;
    *out = ld_days_from_civil(y, mo, d) * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
    return true;
}

/* A point in time: an RFC 3339 UTC time stamp, or a duration after the scenario's start_time.
   *out is the offset from t = 0 (negative for a time stamp before the start). */
int ld_get_when(const ld_sect *s, const char *key, sim_time_t *out, const scn_node **where)
{
    char b1[96];
    const scn_node *n = ld_sect_need(s, key, false);
    if (!n)
        return 0;
    *where = n;
    if (!ld_want_scalar(s, n, key, "a UTC time stamp (2026-01-05T08:00:00Z) or a duration after start_time"))
        return -1;
    int64_t t;
    if (ld_parse_rfc3339(n->str, &t)) {
        int64_t off = t - s->v->s->start_epoch;
        if (off > 400LL * 86400 || off < -400LL * 86400) {
            scn_err(&s->v->c, n, "'%s' (%s) is more than 400d away from the scenario's start_time", key,
                    scn_clip(b1, sizeof b1, n->str));
            return -1;
        }
        *out = off * SIM_SEC;
        return 1;
    }
    if ((n->str[0] >= '0' && n->str[0] <= '9') && strlen(n->str) >= 10 && n->str[4] == '-') {
        scn_err(&s->v->c, n, "'%s': invalid time stamp '%s': write YYYY-MM-DDThh:mm:ssZ, in UTC", key,
                scn_clip(b1, sizeof b1, n->str));
        return -1;
    }
    return ld_get_dur(s, key, false, 0, 0, LD_BIG_DUR, out);
}

/* ---------------------------------------------------------------- lists */

/* A non-empty sequence of at most max entries, or NULL after reporting. */
const scn_node *ld_get_seq(const ld_sect *s, const char *key, bool required, size_t max, const char *of)
{
    const scn_node *n = ld_sect_need(s, key, required);
    if (!n)
        return NULL;
    if (n->kind != SCN_N_SEQ || n->n == 0 || n->n > max) {
        char found[64];
        snprintf(found, sizeof found, "%zu entries", n->kind == SCN_N_SEQ ? n->n : 0);
        scn_err(&s->v->c, n, "'%s': expected a sequence of 1 to %zu %s, found %s", key, max, of,
                n->kind != SCN_N_SEQ ? scn_kind_name(n) : n->n ? found : "an empty sequence");
        return NULL;
    }
    return n;
}

/* ---------------------------------------------------------------- SNS */

static size_t type_index(const res_type *t)
{
    size_t k = 0;
    while (ld_types[k] && ld_types[k] != t)
        k++;
    return k;
}

static bool valid_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    size_t n = 0;
    for (; *s; s++, n++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            return false;
    return n <= SCN_NAME_MAX;
}

void ld_load_resources(loader *v, const scn_node *n)
{
    char b1[96], b2[96], what[320];
    scenario *sc = v->s;
    ld_sect top;
    if (!ld_sect_open(v, &top, n, n, "'resources'"))
        return;
    size_t np = n->n / 2;
    v->res = calloc(np ? np : 1, sizeof *v->res);
    v->by_name = calloc(np ? np : 1, sizeof *v->by_name);
    if (!v->res || !v->by_name) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    size_t n_types = 0;
    while (ld_types[n_types])
        n_types++;
    size_t *counts = calloc(n_types, sizeof *counts);
    if (!counts) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const scn_node *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
        if (k->kind != SCN_N_SCALAR)
            continue;
        ld_res *r = &v->res[v->n_res];
        v->by_name[v->n_res++] = r;
        *r = (ld_res){.name = k->str, .key = k, .val = val};
        if (!valid_name(k->str)) {
            scn_err(&v->c, k, "invalid resource name '%s': use letters, digits, '_' and '-', starting with a "
                    "letter or '_' (as Terraform does)", scn_clip(b1, sizeof b1, k->str));
            continue;
        }
        snprintf(what, sizeof what, "resource \"%s\"", k->str);
        ld_sect s;
        if (!ld_sect_open(v, &s, val, k, what))
            continue;
        const scn_node *t = ld_sect_need(&s, "type", true);
        if (!t || !ld_want_scalar(&s, t, "type", "a resource type (e.g. aws_lb)"))
            continue;
        const res_type *type = ld_type_find(t->str);
        if (!type) {
            if (ld_in_list(t->str, ld_later_types)) {
                scn_err(&v->c, t, "resource type '%s' is not supported yet", t->str);
                continue;
            }
            const char *best = NULL;
            int best_d = 99;
            for (const res_type *const *p = ld_types; *p; p++)
                ld_suggest(t->str, (*p)->tf_type, &best, &best_d);
            scn_err(&v->c, t, "unknown resource type '%s'%s", scn_clip(b1, sizeof b1, t->str),
                    ld_hint(b2, sizeof b2, best));
            continue;
        }
        r->type = type;
        r->idx = (int)counts[type_index(type)]++;
    }
    qsort(v->by_name, v->n_res, sizeof *v->by_name, res_cmp);

    /* Each type's array in the scenario, sized by the first pass. */
    for (size_t k = 0; k < n_types; k++) {
        const res_type *t = ld_types[k];
        if (!t->cfg_size || !counts[k])
            continue;
        void *arr = calloc(counts[k], t->cfg_size);
        if (!arr) {
            scn_err(&v->c, n, "out of memory");
            free(counts);
            return;
        }
        *(void **)(void *)((char *)sc + t->arr_off) = arr;
        *(size_t *)(void *)((char *)sc + t->n_off) = counts[k];
    }
    free(counts);

    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < v->n_res; i++) {
            ld_res *r = &v->res[i];
            if (!r->type || r->type->pass != pass)
                continue;
            snprintf(what, sizeof what, "%s \"%s\"", r->type->tf_type, r->name);
            ld_sect s;
            ld_sect_open(v, &s, r->val, r->key, what);
            s.resource = true;
            void *cfg = NULL;
            if (r->type->cfg_size) {
                /* Every cfg struct starts with its name and location (scenario.h). */
                cfg = ld_cfg_at(v, r->type, r->idx);
                scn_res_head *h = cfg;
                if (!(h->name = ld_dupstr(r->name))) {
                    scn_err(&v->c, r->key, "out of memory");
                    return;
                }
                h->loc = (scn_loc){r->key->line, r->key->col};
            }
            r->type->load(v, &s, cfg, r);
        }
    for (const res_type *const *p = ld_types; *p; p++)
        if ((*p)->finish)
            (*p)->finish(v);
}

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
            return dur_in_range(s, n, name, (sim_time_t)x * SIM_SEC, lo, hi, out);
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
}
