/*
 * loader.c - the loader's core: sections of a block and the getters of one
 * value (strings, durations, integers, numbers, money, booleans, enums, lists).
 * ld_words.c, ld_resources.c, ld_dist.c and ld_keys.c hold the rest of it.
 *
 * Strict on purpose (netplan, SQLite): a capacity planner who typoes
 * `min_sise` must get an error, not a silently defaulted group. Every value
 * is checked where it is read and every error names the node that causes it.
 * */
#include "models/core/loader.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
int ld_dur_in_range(const ld_sect *s, const scn_node *n, const char *key, sim_time_t t, sim_time_t lo,
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
    return ld_dur_in_range(s, n, key, t, lo, hi, out);
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

