/*
 * scenario.c - validates the node tree into the structs of scenario.h.
 *
 * Strict on purpose (netplan, SQLite): a capacity planner who typoes
 * `min_sise` must get an error, not a silently defaulted group. Every value
 * is checked where it is read, against the range AWS documents
 * (../shared/reference/aws-semantics.md; docs/scenario.md lists each key);
 * every error names the node that causes it and the loader keeps going, so
 * one run shows all the mistakes in a file.
 *
 * Two passes over `resources`: the first learns every name and type, so the
 * second can resolve references in any order, as Terraform does.
 */
#include "models/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/instance_type.h"
#include "models/scenario_tree.h"

/* ---------------------------------------------------------------- helpers */

typedef enum rkind {
    RK_LAUNCH_TEMPLATE,
    RK_INSTANCE,
    RK_LB,
    RK_TARGET_GROUP,
    RK_ATTACHMENT,
    RK_ASG,
    RK_COUNT,
} rkind;

static const char *const rkind_names[RK_COUNT] = {
    "aws_launch_template", "aws_instance", "aws_lb", "aws_lb_target_group",
    "aws_lb_target_group_attachment", "aws_autoscaling_group",
};

/* Terraform's older aws_alb* names are aliases of the aws_lb* resources. */
static const struct { const char *name; rkind kind; } type_aliases[] = {
    {"aws_alb", RK_LB},
    {"aws_alb_target_group", RK_TARGET_GROUP},
    {"aws_alb_target_group_attachment", RK_ATTACHMENT},
};

/* Terraform types fleetsim will model but does not yet: a clearer error than "unknown". */
static const char *const unsupported_types[] = {
    "aws_autoscaling_policy", "aws_autoscaling_schedule", "aws_autoscaling_lifecycle_hook",
    "aws_cloudwatch_metric_alarm", "aws_lb_listener", "aws_lb_listener_rule",
    "aws_lambda_function", "aws_dynamodb_table", "aws_sns_topic", "aws_s3_bucket",
    "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_spot_instance_request",
    NULL,
};

typedef struct res {
    const char *name;
    const scn_node *key, *val;
    int kind;  /* rkind, or -1 when the entry is broken (already reported) */
    int idx;   /* index in the scenario array of its kind */
} res;

/* An entry under `instance_types:`, checked before any resource names a type. */
typedef struct ovr {
    const scn_node *key;
    bool ok;
    scn_itype t;
} ovr;

typedef struct V {
    scn_ctx c;
    scenario *s;
    res *res;
    size_t n_res;
    res **by_name;          /* res sorted by name, for lookups */
    ovr *ovr;
    size_t n_ovr;
    size_t itypes_cap;
    const scn_node *duration_node;
    bool bad_region;        /* already reported: zones are then not checked against it */
} V;

/* A mapping being read: where "missing key" points and how messages name it. */
typedef struct sect {
    V *v;
    const scn_node *map;    /* NULL: absent or broken; getters then return defaults quietly */
    const scn_node *owner;
    const char *what;
} sect;

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Levenshtein distance, capped: long strings are never "close" to a short key. */
static int edit_distance(const char *a, const char *b)
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
static bool quiet(const V *v) { return v->c.errors >= SCN_MAX_DIAGS; }

/* Remembers cand in *best if it is closer to word than anything seen. */
static void suggest(const char *word, const char *cand, const char **best, int *best_d)
{
    int d = edit_distance(word, cand);
    size_t len = strlen(cand);
    int limit = len <= 4 ? 1 : len <= 9 ? 2 : 3;
    if (d <= limit && d < *best_d) {
        *best = cand;
        *best_d = d;
    }
}

/* " (did you mean 'X'?)" or "" */
static const char *hint(char *buf, size_t size, const char *best)
{
    if (!best)
        return "";
    snprintf(buf, size, " (did you mean '%s'?)", best);
    return buf;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static double sec(sim_time_t t) { return (double)t / 1e9; }

/* Formats a duration in the unit a reader would write it in. */
static const char *fmt_dur(char *buf, size_t size, sim_time_t t)
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
static const char *parse_duration(const char *s, sim_time_t *out, char *why, size_t why_size)
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
static bool parse_number(const char *s, double *out)
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

static const scn_node *sect_get(const sect *s, const char *key)
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
static bool sect_open(V *v, sect *s, const scn_node *n, const scn_node *owner, const char *what)
{
    s->v = v;
    s->owner = owner;
    s->what = what;
    s->map = NULL;
    if (n->kind != SCN_N_MAP) {
        scn_err(&v->c, n, "%s: expected a mapping, found %s", what, scn_kind_name(n));
        return false;
    }
    s->map = n;
    return true;
}

/* Reports every key not in `keys`; keys in `later` are "not supported yet". */
static void sect_keys(const sect *s, const char *const *keys, const char *const *later)
{
    char b1[96], b2[96];
    if (!s->map)
        return;
    for (size_t i = 0; i + 1 < s->map->n; i += 2) {
        const scn_node *k = s->map->kids[i];
        if (k->kind != SCN_N_SCALAR || in_list(k->str, keys))
            continue;
        if (in_list(k->str, later)) {
            scn_err(&s->v->c, k, "'%s' in %s is not supported yet", k->str, s->what);
            continue;
        }
        const char *best = NULL;
        int best_d = 99;
        for (const char *const *p = keys; *p; p++)
            suggest(k->str, *p, &best, &best_d);
        scn_err(&s->v->c, k, "unknown key '%s' in %s%s", scn_clip(b1, sizeof b1, k->str), s->what,
                hint(b2, sizeof b2, best));
    }
}

/* The value of key, or NULL; reports a missing required key at the section's owner. */
static const scn_node *sect_need(const sect *s, const char *key, bool required)
{
    const scn_node *n = sect_get(s, key);
    if (!n && required && s->map)
        scn_err(&s->v->c, s->owner, "missing required key '%s' in %s", key, s->what);
    return n;
}

/* A scalar that is not null, or NULL after reporting what was expected. */
static const scn_node *want_scalar(const sect *s, const scn_node *n, const char *key, const char *expected)
{
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&s->v->c, n, "'%s': expected %s, found %s", key, expected, scn_kind_name(n));
        return NULL;
    }
    return n;
}

/* Getters: 0 absent (default left in *out), 1 read, -1 reported. */

static int get_str(const sect *s, const char *key, bool required, size_t max, char *out, size_t out_size,
                   const scn_node **where)
{
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    if (where)
        *where = n;
    if (!want_scalar(s, n, key, "a string"))
        return -1;
    if (strlen(n->str) > max) {
        scn_err(&s->v->c, n, "'%s' is too long (at most %zu characters)", key, max);
        return -1;
    }
    if (out && max < out_size)
        memcpy(out, n->str, strlen(n->str) + 1);
    return 1;
}

static int dur_value(const sect *s, const scn_node *n, const char *key, sim_time_t *out)
{
    char why[256];
    if (!want_scalar(s, n, key, "a duration (e.g. 30s)"))
        return -1;
    if (parse_duration(n->str, out, why, sizeof why)) {
        scn_err(&s->v->c, n, "'%s': %s", key, why);
        return -1;
    }
    return 1;
}

/* lo == 1 means "more than 0". */
static int get_dur(const sect *s, const char *key, bool required, sim_time_t def, sim_time_t lo,
                   sim_time_t hi, sim_time_t *out)
{
    char b1[32], b2[32], b3[32];
    *out = def;
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    sim_time_t t;
    if (dur_value(s, n, key, &t) < 0)
        return -1;
    if (t < lo || t > hi) {
        if (lo == 1)
            scn_err(&s->v->c, n, "'%s' is out of range: %s (must be more than 0s and at most %s)", key,
                    fmt_dur(b1, sizeof b1, t), fmt_dur(b3, sizeof b3, hi));
        else
            scn_err(&s->v->c, n, "'%s' is out of range: %s (must be between %s and %s)", key,
                    fmt_dur(b1, sizeof b1, t), fmt_dur(b2, sizeof b2, lo), fmt_dur(b3, sizeof b3, hi));
        return -1;
    }
    *out = t;
    return 1;
}

static int get_int(const sect *s, const char *key, bool required, long long def, long long lo,
                   long long hi, long long *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    if (!want_scalar(s, n, key, "an integer"))
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
static int get_num(const sect *s, const char *key, bool required, double def, double lo, bool lo_open,
                   double hi, double *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    if (!want_scalar(s, n, key, "a number"))
        return -1;
    double x;
    if (!parse_number(n->str, &x)) {
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

static int get_money(const sect *s, const char *key, bool required, double *out)
{
    char buf[96];
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    if (!want_scalar(s, n, key, "an amount of money (e.g. $0.085)"))
        return -1;
    double x;
    if (n->str[0] != '$') {
        if (parse_number(n->str, &x))
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
    if (!good || strchr(p, '.') != strrchr(p, '.') || p[strlen(p) - 1] == '.' || !parse_number(p, &x)) {
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

static int get_bool(const sect *s, const char *key, bool def, bool *out)
{
    char buf[96];
    *out = def;
    const scn_node *n = sect_need(s, key, false);
    if (!n)
        return 0;
    if (!want_scalar(s, n, key, "true or false"))
        return -1;
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0) {
        *out = n->str[0] == 't';
        return 1;
    }
    scn_err(&s->v->c, n, "'%s': expected true or false, found '%s'", key, scn_clip(buf, sizeof buf, n->str));
    return -1;
}

/* One of `names` (NULL-terminated); *out = its index. `later` names are "not supported yet". */
static int get_enum(const sect *s, const char *key, const char *const *names, const char *const *later,
                    int *out, const scn_node **where)
{
    char b1[96], b2[96];
    const scn_node *n = sect_need(s, key, false);
    if (!n)
        return 0;
    if (where)
        *where = n;
    if (!want_scalar(s, n, key, "a string"))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(n->str, names[i]) == 0) {
            *out = i;
            return 1;
        }
    if (in_list(n->str, later)) {
        scn_err(&s->v->c, n, "'%s': %s is not supported yet", key, n->str);
        return -1;
    }
    const char *best = NULL;
    int best_d = 99;
    size_t len = 0;
    char list[256] = "";
    for (int i = 0; names[i]; i++) {
        suggest(n->str, names[i], &best, &best_d);
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    }
    scn_err(&s->v->c, n, "'%s': unknown value '%s'%s; expected one of: %s", key,
            scn_clip(b1, sizeof b1, n->str), hint(b2, sizeof b2, best), list);
    return -1;
}

/* ---------------------------------------------------------------- references */

static int res_cmp(const void *pa, const void *pb)
{
    const res *a = *(const res *const *)pa, *b = *(const res *const *)pb;
    return strcmp(a->name, b->name);
}

static const res *res_find(const V *v, const char *name)
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

static int kind_of_type(const char *t)
{
    for (int k = 0; k < RK_COUNT; k++)
        if (strcmp(t, rkind_names[k]) == 0)
            return k;
    for (size_t i = 0; i < sizeof type_aliases / sizeof type_aliases[0]; i++)
        if (strcmp(t, type_aliases[i].name) == 0)
            return (int)type_aliases[i].kind;
    return -1;
}

/* Resolves a reference node (name, or Terraform's TYPE.NAME[.arn|.id|.name]) to an index of `kind`. */
static int resolve(V *v, const scn_node *n, const char *key, int kind, int *out)
{
    char b1[96], b2[96], name[256];
    const char *want = rkind_names[kind];
    if (n->kind != SCN_N_SCALAR || scn_is_null(n)) {
        scn_err(&v->c, n, "'%s': expected the name of an %s, found %s", key, want, scn_kind_name(n));
        return -1;
    }
    const char *str = n->str;
    int typed = -1;
    const char *dot = strchr(str, '.');
    if (dot) {
        /* Terraform form: the type in front must be the referenced resource's type. */
        char type[64];
        size_t tl = (size_t)(dot - str);
        if (tl < sizeof type) {
            memcpy(type, str, tl);
            type[tl] = '\0';
            typed = kind_of_type(type);
        }
        if (typed >= 0) {
            const char *nm = dot + 1, *dot2 = strchr(nm, '.');
            size_t nl = dot2 ? (size_t)(dot2 - nm) : strlen(nm);
            if (dot2 && strcmp(dot2 + 1, "arn") != 0 && strcmp(dot2 + 1, "id") != 0 &&
                strcmp(dot2 + 1, "name") != 0) {
                scn_err(&v->c, n, "'%s': a reference ends in .arn, .id or .name, found '%s'", key,
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
    const res *r = res_find(v, str);
    if (typed >= 0 && typed != kind && (!r || r->kind == typed)) {
        scn_err(&v->c, n, "'%s': expected a reference to an %s, found one to an %s", key, want,
                rkind_names[typed]);
        return -1;
    }
    if (!r) {
        const char *best = NULL;
        int best_d = 99;
        for (size_t i = 0; i < v->n_res && !quiet(v); i++)
            if (v->res[i].kind == kind)
                suggest(str, v->res[i].name, &best, &best_d);
        scn_err(&v->c, n, "no %s named '%s'%s", want, scn_clip(b1, sizeof b1, str), hint(b2, sizeof b2, best));
        return -1;
    }
    if (r->kind < 0)
        return -1; /* the resource itself is broken and already reported */
    if (r->kind != kind) {
        scn_err(&v->c, n, "'%s' is an %s, expected an %s", scn_clip(b1, sizeof b1, str), rkind_names[r->kind],
                want);
        return -1;
    }
    *out = r->idx;
    return 1;
}

static int get_ref(const sect *s, const char *key, bool required, int kind, int *out)
{
    *out = -1;
    const scn_node *n = sect_need(s, key, required);
    if (!n)
        return 0;
    return resolve(s->v, n, key, kind, out);
}

/* ---------------------------------------------------------------- instance types */

#define MAX_ITYPES 1000 /* each reference scans them: keeps a hostile file from going quadratic */

static void load_instance_types(V *v, const scn_node *n)
{
    char b1[96], b2[96], what[160];
    sect top;
    if (!sect_open(v, &top, n, n, "'instance_types'"))
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
        sect s;
        if (!sect_open(v, &s, val, k, what))
            continue;
        static const char *const keys[] = {"vcpus", "speed", "hourly_price", NULL};
        sect_keys(&s, keys, NULL);
        const scn_itype *base = itype_catalog_find(k->str);
        if (base)
            o->t = *base;
        else
            snprintf(o->t.name, sizeof o->t.name, "%s", k->str);
        long long vcpus = o->t.vcpus;
        int rc1 = get_int(&s, "vcpus", false, vcpus, 1, 448, &vcpus);
        int rc2 = get_num(&s, "speed", false, o->t.speed, 0, true, 100, &o->t.speed);
        int rc3 = get_money(&s, "hourly_price", false, &o->t.hourly_usd);
        o->t.vcpus = (int)vcpus;
        if (!base && (rc1 == 0 || rc2 == 0 || rc3 == 0)) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                suggest(k->str, itype_catalog_at(j)->name, &best, &best_d);
            scn_err(&v->c, k, "'%s' is not in the instance type catalog%s: a new type needs vcpus, speed "
                    "and hourly_price (missing '%s')", scn_clip(b1, sizeof b1, k->str),
                    hint(b2, sizeof b2, best), rc1 == 0 ? "vcpus" : rc2 == 0 ? "speed" : "hourly_price");
            continue;
        }
        o->ok = rc1 >= 0 && rc2 >= 0 && rc3 >= 0;
    }
}

/* Resolves an instance type name to an index into s->itypes, adding it on first use. */
static int itype_ref(V *v, const sect *s, const char *key, int *out)
{
    char b1[96], b2[96];
    scenario *sc = v->s;
    *out = -1;
    const scn_node *n = sect_need(s, key, true);
    if (!n || !want_scalar(s, n, key, "an instance type name (e.g. c5.large)"))
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
        const scn_itype *c = itype_catalog_find(n->str);
        if (!c) {
            const char *best = NULL;
            int best_d = 99;
            for (size_t j = 0; j < itype_catalog_count(); j++)
                suggest(n->str, itype_catalog_at(j)->name, &best, &best_d);
            for (size_t j = 0; j < v->n_ovr && !quiet(v); j++)
                suggest(n->str, v->ovr[j].key->str, &best, &best_d);
            scn_err(&v->c, n, "unknown instance type '%s'%s; define it under instance_types to add it",
                    scn_clip(b1, sizeof b1, n->str), hint(b2, sizeof b2, best));
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
static int get_dist(const sect *ps, const char *key, bool required, sim_dist *out, double **values)
{
    V *v = ps->v;
    char what[512], b1[32], b2[32];
    const scn_node *n = sect_need(ps, key, required);
    if (!n)
        return 0;
    if (n->kind == SCN_N_SCALAR) {
        sim_time_t t;
        if (dur_value(ps, n, key, &t) < 0)
            return -1;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = sec(t)};
        return 1;
    }
    snprintf(what, sizeof what, "'%s' of %.400s", key, ps->what);
    sect s;
    if (!sect_open(v, &s, n, n, what))
        return -1;
    int kind = -1;
    const scn_node *dn = sect_need(&s, "dist", true);
    if (!dn)
        return -1;
    if (get_enum(&s, "dist", dist_names, NULL, &kind, NULL) < 0)
        return -1;
    static const char *const keys[][6] = {
        {"dist", "value", NULL}, {"dist", "mean", NULL}, {"dist", "min", "max", NULL},
        {"dist", "mean", "sd", NULL}, {"dist", "mean", "cv", "p50", "p99", NULL},
        {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL}, {"dist", "shape", "scale", NULL},
        {"dist", "values", NULL},
    };
    sect_keys(&s, keys[kind], NULL);
    const sim_time_t BIG = 400 * SIM_DAY;
    sim_time_t a = 0, b = 0;
    double x = 0;
    int bad = 0;
    switch (kind) {
    case 0:
        bad |= get_dur(&s, "value", true, 0, 0, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = sec(a)};
        break;
    case 1:
        bad |= get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_EXPONENTIAL, .a = sec(a)};
        break;
    case 2:
        bad |= get_dur(&s, "min", true, 0, 0, BIG, &a) <= 0;
        bad |= get_dur(&s, "max", true, 0, 0, BIG, &b) <= 0;
        if (!bad && a > b) {
            scn_err(&v->c, sect_get(&s, "max"), "'max' (%s) must not be less than 'min' (%s)",
                    fmt_dur(b1, sizeof b1, b), fmt_dur(b2, sizeof b2, a));
            bad = 1;
        }
        *out = (sim_dist){.kind = SIM_DIST_UNIFORM, .a = sec(a), .b = sec(b)};
        break;
    case 3:
        bad |= get_dur(&s, "mean", true, 0, 0, BIG, &a) <= 0;
        bad |= get_dur(&s, "sd", true, 0, 1, BIG, &b) <= 0;
        *out = (sim_dist){.kind = SIM_DIST_NORMAL, .a = sec(a), .b = sec(b)};
        break;
    case 4: {
        bool by_mean = sect_get(&s, "mean") || sect_get(&s, "cv");
        bool by_pct = sect_get(&s, "p50") || sect_get(&s, "p99");
        if (by_mean && by_pct) {
            scn_err(&v->c, n, "%s: give either mean and cv, or p50 and p99, not both", what);
            return -1;
        }
        if (!by_pct) {
            bad |= get_dur(&s, "mean", true, 0, 1, BIG, &a) <= 0;
            bad |= get_num(&s, "cv", true, 0, 0, true, 100, &x) <= 0;
            if (!bad && sim_dist_lognormal_mean_cv(out, sec(a), x) != 0) {
                scn_err(&v->c, n, "%s: mean %s and cv %g give no valid lognormal", what,
                        fmt_dur(b1, sizeof b1, a), x);
                bad = 1;
            }
        } else {
            bad |= get_dur(&s, "p50", true, 0, 1, BIG, &a) <= 0;
            bad |= get_dur(&s, "p99", true, 0, 1, BIG, &b) <= 0;
            if (!bad && b <= a) {
                scn_err(&v->c, sect_get(&s, "p99"), "'p99' (%s) must be greater than 'p50' (%s)",
                        fmt_dur(b1, sizeof b1, b), fmt_dur(b2, sizeof b2, a));
                bad = 1;
            }
            if (!bad && sim_dist_lognormal_p50_p99(out, sec(a), sec(b)) != 0) {
                scn_err(&v->c, n, "%s: p50 %s and p99 %s give no valid lognormal", what,
                        fmt_dur(b1, sizeof b1, a), fmt_dur(b2, sizeof b2, b));
                bad = 1;
            }
        }
        break;
    }
    case 5:
    case 6:
    case 7:
        bad |= get_num(&s, "shape", true, 0, 0, true, 1e6, &x) <= 0;
        bad |= get_dur(&s, "scale", true, 0, 1, BIG, &a) <= 0;
        if (kind == 5)
            *out = (sim_dist){.kind = SIM_DIST_GAMMA, .a = x, .b = sec(a)};
        else if (kind == 6)
            *out = (sim_dist){.kind = SIM_DIST_WEIBULL, .a = sec(a), .b = x};
        else
            *out = (sim_dist){.kind = SIM_DIST_PARETO, .a = x, .b = sec(a)};
        break;
    case 8: {
        const scn_node *vn = sect_need(&s, "values", true);
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
            bad |= dur_value(&s, vn->kids[i], "values", &t) < 0;
            vals[i] = sec(t);
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

static const sim_time_t BIG_DUR = 400 * SIM_DAY;

static void load_launch_template(V *v, const sect *s, scn_launch_template *lt)
{
    static const char *const keys[] = {"type", "instance_type", "boot_time", "name", "image_id", NULL};
    sect_keys(s, keys, NULL);
    itype_ref(v, s, "instance_type", &lt->itype);
    lt->boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 30.0};
    double *vals = NULL;
    get_dist(s, "boot_time", false, &lt->boot_time, &vals);
    /* No storage slot for empirical boot times in scn_launch_template. */
    if (vals) {
        scn_err(&v->c, sect_get(s, "boot_time"), "'boot_time': the empirical distribution is not supported here");
        free(vals);
    }
    get_str(s, "name", false, 255, NULL, 0, NULL);
    get_str(s, "image_id", false, 255, NULL, 0, NULL);
}

/* An AZ must belong to the scenario's region, as AWS rejects any other. */
static bool check_az(V *v, const scn_node *n, const char *az)
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

static void load_instance(V *v, const sect *s, scn_instance *in)
{
    static const char *const keys[] = {"type", "instance_type", "count", "availability_zone", "ami", NULL};
    sect_keys(s, keys, NULL);
    itype_ref(v, s, "instance_type", &in->itype);
    long long count;
    get_int(s, "count", false, 1, 1, 10000, &count);
    in->count = (int)count;
    snprintf(in->availability_zone, sizeof in->availability_zone, "%.30sa", v->s->region);
    const scn_node *az = NULL;
    if (get_str(s, "availability_zone", false, sizeof in->availability_zone - 1, in->availability_zone,
                sizeof in->availability_zone, &az) > 0)
        check_az(v, az, in->availability_zone);
    get_str(s, "ami", false, 255, NULL, 0, NULL);
}

static void load_lb(V *v, const sect *s, scn_lb *lb)
{
    static const char *const keys[] = {"type", "load_balancer_type", "default_target_group", "idle_timeout",
                                       "internal", "name", NULL};
    static const char *const lb_types[] = {"application", NULL};
    static const char *const lb_later[] = {"network", "gateway", NULL};
    (void)v;
    sect_keys(s, keys, NULL);
    int t;
    get_enum(s, "load_balancer_type", lb_types, lb_later, &t, NULL);
    get_ref(s, "default_target_group", true, RK_TARGET_GROUP, &lb->target_group);
    get_dur(s, "idle_timeout", false, 60 * SIM_SEC, SIM_SEC, 4000 * SIM_SEC, &lb->idle_timeout);
    bool internal;
    get_bool(s, "internal", false, &internal);
    get_str(s, "name", false, 255, NULL, 0, NULL);
}

/* Matcher: "200", "200,202", "200-299"; each code 200..499 (ALB's range). */
static bool matcher_ok(const char *m)
{
    const char *p = m;
    for (;;) {
        long lo = 0, hi;
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
            lo = lo * 10 + (*p - '0');
        if (digits != 3 || lo < 200 || lo > 499)
            return false;
        hi = lo;
        if (*p == '-') {
            p++;
            hi = 0;
            digits = 0;
            for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
                hi = hi * 10 + (*p - '0');
            if (digits != 3 || hi < lo || hi > 499)
                return false;
        }
        if (*p == '\0')
            return true;
        if (*p++ != ',')
            return false;
    }
}

static void load_target_group(V *v, const sect *s, scn_target_group *tg)
{
    static const char *const keys[] = {"type", "load_balancing_algorithm_type", "deregistration_delay",
                                       "slow_start", "port", "protocol", "health_check", "name", "vpc_id", NULL};
    static const char *const algs[] = {"round_robin", "least_outstanding_requests", "weighted_random",
                                       "random", NULL};
    static const char *const protos[] = {"HTTP", "HTTPS", NULL};
    char what[512], b1[32], b2[32];
    sect_keys(s, keys, NULL);
    int alg = SCN_ALG_ROUND_ROBIN;
    const scn_node *alg_node = NULL;
    get_enum(s, "load_balancing_algorithm_type", algs, NULL, &alg, &alg_node);
    tg->algorithm = alg == 3 ? SCN_ALG_WEIGHTED_RANDOM : (scn_lb_algorithm)alg;
    get_dur(s, "deregistration_delay", false, 300 * SIM_SEC, 0, 3600 * SIM_SEC, &tg->deregistration_delay);
    const scn_node *ss = sect_get(s, "slow_start");
    if (get_dur(s, "slow_start", false, 0, 0, 900 * SIM_SEC, &tg->slow_start) > 0 && tg->slow_start > 0 &&
        tg->slow_start < 30 * SIM_SEC) {
        scn_err(&v->c, ss, "'slow_start' is out of range: %s (must be 0s, which turns it off, or between 30s "
                "and 900s)", fmt_dur(b1, sizeof b1, tg->slow_start));
        tg->slow_start = 0;
    }
    if (tg->algorithm == SCN_ALG_LEAST_OUTSTANDING_REQUESTS && tg->slow_start > 0) /* AWS-TG-LOR-SLOWSTART */
        scn_err(&v->c, ss, "'slow_start' cannot be combined with least_outstanding_requests (an AWS rule): "
                "use 0s or another algorithm");
    long long port;
    get_int(s, "port", false, 80, 1, 65535, &port);
    tg->port = (int)port;
    int proto;
    get_enum(s, "protocol", protos, NULL, &proto, NULL);
    get_str(s, "name", false, 255, NULL, 0, NULL);
    get_str(s, "vpc_id", false, 255, NULL, 0, NULL);

    scn_health_check *hc = &tg->health_check;
    *hc = (scn_health_check){.interval = 30 * SIM_SEC, .timeout = 5 * SIM_SEC, .healthy_threshold = 5,
                             .unhealthy_threshold = 2, .path = "/", .matcher = "200"};
    const scn_node *hn = sect_get(s, "health_check");
    sect h;
    snprintf(what, sizeof what, "health_check of %.400s", s->what);
    if (!hn || !sect_open(v, &h, hn, hn, what))
        return;
    static const char *const hkeys[] = {"interval", "timeout", "healthy_threshold", "unhealthy_threshold",
                                        "path", "matcher", "protocol", NULL};
    sect_keys(&h, hkeys, NULL);
    int ri = get_dur(&h, "interval", false, 30 * SIM_SEC, 5 * SIM_SEC, 300 * SIM_SEC, &hc->interval);
    int rt = get_dur(&h, "timeout", false, 5 * SIM_SEC, 2 * SIM_SEC, 120 * SIM_SEC, &hc->timeout);
    if (ri >= 0 && rt >= 0 && hc->timeout >= hc->interval)
        scn_err(&v->c, rt > 0 ? sect_get(&h, "timeout") : sect_get(&h, "interval"),
                "health_check 'timeout' (%s) must be less than 'interval' (%s)",
                fmt_dur(b1, sizeof b1, hc->timeout), fmt_dur(b2, sizeof b2, hc->interval));
    long long x;
    get_int(&h, "healthy_threshold", false, 5, 2, 10, &x);
    hc->healthy_threshold = (int)x;
    get_int(&h, "unhealthy_threshold", false, 2, 2, 10, &x);
    hc->unhealthy_threshold = (int)x;
    const scn_node *pn = NULL;
    if (get_str(&h, "path", false, sizeof hc->path - 1, hc->path, sizeof hc->path, &pn) > 0 && hc->path[0] != '/')
        scn_err(&v->c, pn, "'path' must start with '/'");
    if (get_str(&h, "matcher", false, sizeof hc->matcher - 1, hc->matcher, sizeof hc->matcher, &pn) > 0 &&
        !matcher_ok(hc->matcher))
        scn_err(&v->c, pn, "'matcher' must be HTTP codes 200..499 such as 200, 200,202 or 200-299");
    get_enum(&h, "protocol", protos, NULL, &proto, NULL);
}

static void load_attachment(V *v, const sect *s, scn_attachment *at)
{
    static const char *const keys[] = {"type", "target_group_arn", "target_id", "port", NULL};
    (void)v;
    sect_keys(s, keys, NULL);
    get_ref(s, "target_group_arn", true, RK_TARGET_GROUP, &at->target_group);
    get_ref(s, "target_id", true, RK_INSTANCE, &at->instance);
    long long port;
    get_int(s, "port", false, 80, 1, 65535, &port);
}

#define MAX_AZS 26 /* zone letters a..z; real regions have at most six */

static void load_asg(V *v, const sect *s, scn_asg *g)
{
    static const char *const keys[] = {"type", "launch_template", "min_size", "max_size", "desired_capacity",
                                       "availability_zones", "target_group_arns", "health_check_type",
                                       "health_check_grace_period", "default_cooldown",
                                       "default_instance_warmup", "name", NULL};
    static const char *const later[] = {"vpc_zone_identifier", "mixed_instances_policy", "warm_pool",
                                        "initial_lifecycle_hook", "termination_policies", NULL};
    static const char *const hc_types[] = {"EC2", "ELB", NULL};
    char what[512], b1[96];
    sect_keys(s, keys, later);

    g->launch_template = -1;
    const scn_node *ltn = sect_need(s, "launch_template", true);
    if (ltn && ltn->kind == SCN_N_MAP) {
        /* Terraform's block form: launch_template { id = ..., version = "$Latest" }. */
        sect l;
        snprintf(what, sizeof what, "launch_template of %.400s", s->what);
        sect_open(v, &l, ltn, ltn, what);
        static const char *const lkeys[] = {"id", "name", "version", NULL};
        sect_keys(&l, lkeys, NULL);
        const scn_node *id = sect_get(&l, "id"), *nm = sect_get(&l, "name");
        if (id && nm)
            scn_err(&v->c, nm, "%s: give 'id' or 'name', not both", what);
        else if (!id && !nm)
            scn_err(&v->c, ltn, "missing required key 'id' in %s", what);
        else
            resolve(v, id ? id : nm, id ? "id" : "name", RK_LAUNCH_TEMPLATE, &g->launch_template);
        const scn_node *ver = sect_get(&l, "version");
        if (ver && !(ver->kind == SCN_N_SCALAR && (strcmp(ver->str, "$Latest") == 0 ||
                                                   strcmp(ver->str, "$Default") == 0 || strcmp(ver->str, "1") == 0)))
            scn_err(&v->c, ver, "'version': a scenario's launch template has one version: use \"$Latest\", "
                    "\"$Default\" or 1");
    } else if (ltn) {
        resolve(v, ltn, "launch_template", RK_LAUNCH_TEMPLATE, &g->launch_template);
    }

    long long mn, mx, des;
    int rmin = get_int(s, "min_size", true, 0, 0, 10000, &mn);
    int rmax = get_int(s, "max_size", true, 0, 0, 10000, &mx);
    int rdes = get_int(s, "desired_capacity", false, mn, 0, 10000, &des);
    if (rmin > 0 && rmax > 0 && mn > mx) {
        scn_err(&v->c, sect_get(s, "max_size"), "'max_size' (%lld) must be at least 'min_size' (%lld)", mx, mn);
    } else if (rmin > 0 && rmax > 0 && rdes > 0 && (des < mn || des > mx)) { /* AWS-ASG-DESIRED */
        scn_err(&v->c, sect_get(s, "desired_capacity"),
                "'desired_capacity' (%lld) must be between min_size (%lld) and max_size (%lld)", des, mn, mx);
    }
    g->min_size = (int)mn;
    g->max_size = (int)mx;
    g->desired_capacity = (int)(rdes > 0 ? des : mn);

    const scn_node *azn = sect_get(s, "availability_zones");
    if (azn && azn->kind == SCN_N_SEQ && azn->n > MAX_AZS) {
        scn_err(&v->c, azn, "'availability_zones' lists %zu zones (at most %d)", azn->n, MAX_AZS);
        azn = NULL;
    } else if (azn && (azn->kind != SCN_N_SEQ || azn->n == 0)) {
        scn_err(&v->c, azn, "'availability_zones': expected a non-empty sequence of zone names, found %s",
                azn->kind == SCN_N_SEQ ? "an empty sequence" : scn_kind_name(azn));
        azn = NULL;
    }
    size_t naz = azn ? azn->n : 3;
    g->availability_zones = calloc(naz, sizeof *g->availability_zones);
    if (!g->availability_zones) {
        scn_err(&v->c, s->owner, "out of memory");
        return;
    }
    g->n_availability_zones = naz;
    for (size_t i = 0; i < naz; i++) {
        if (!azn) {
            snprintf(g->availability_zones[i], sizeof g->availability_zones[i], "%.30s%c", v->s->region, (char)('a' + i));
            continue;
        }
        const scn_node *z = azn->kids[i];
        if (!want_scalar(s, z, "availability_zones", "a zone name (e.g. us-west-2a)"))
            continue;
        if (strlen(z->str) >= sizeof g->availability_zones[i]) {
            scn_err(&v->c, z, "availability zone '%s' is too long", scn_clip(b1, sizeof b1, z->str));
            continue;
        }
        if (!check_az(v, z, z->str))
            continue;
        for (size_t j = 0; j < i; j++)
            if (strcmp(g->availability_zones[j], z->str) == 0)
                scn_err(&v->c, z, "availability zone '%s' is listed twice", z->str);
        snprintf(g->availability_zones[i], sizeof g->availability_zones[i], "%s", z->str);
    }

    const scn_node *tgn = sect_get(s, "target_group_arns");
    if (tgn && tgn->kind != SCN_N_SEQ) {
        scn_err(&v->c, tgn, "'target_group_arns': expected a sequence of target group references, found %s",
                scn_kind_name(tgn));
    } else if (tgn && tgn->n) {
        g->target_groups = malloc(tgn->n * sizeof *g->target_groups);
        if (!g->target_groups) {
            scn_err(&v->c, tgn, "out of memory");
            return;
        }
        g->n_target_groups = tgn->n;
        for (size_t i = 0; i < tgn->n; i++) {
            g->target_groups[i] = -1;
            resolve(v, tgn->kids[i], "target_group_arns", RK_TARGET_GROUP, &g->target_groups[i]);
        }
    }
    int hct = SCN_HC_EC2;
    get_enum(s, "health_check_type", hc_types, NULL, &hct, NULL);
    g->health_check_type = (scn_health_check_type)hct;
    get_dur(s, "health_check_grace_period", false, 0, 0, BIG_DUR, &g->health_check_grace_period);
    get_dur(s, "default_cooldown", false, 300 * SIM_SEC, 0, BIG_DUR, &g->default_cooldown);
    get_dur(s, "default_instance_warmup", false, -1, 0, 3600 * SIM_SEC, &g->default_instance_warmup);
    get_str(s, "name", false, 255, NULL, 0, NULL);
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
    return n <= 255;
}

static void load_resources(V *v, const scn_node *n)
{
    char b1[96], b2[96], what[320];
    scenario *sc = v->s;
    sect top;
    if (!sect_open(v, &top, n, n, "'resources'"))
        return;
    size_t np = n->n / 2;
    v->res = calloc(np ? np : 1, sizeof *v->res);
    v->by_name = calloc(np ? np : 1, sizeof *v->by_name);
    if (!v->res || !v->by_name) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    size_t counts[RK_COUNT] = {0};
    for (size_t i = 0; i < np; i++) {
        const scn_node *k = n->kids[2 * i], *val = n->kids[2 * i + 1];
        if (k->kind != SCN_N_SCALAR)
            continue;
        res *r = &v->res[v->n_res];
        v->by_name[v->n_res++] = r;
        *r = (res){.name = k->str, .key = k, .val = val, .kind = -1};
        if (!valid_name(k->str)) {
            scn_err(&v->c, k, "invalid resource name '%s': use letters, digits, '_' and '-', starting with a "
                    "letter or '_' (as Terraform does)", scn_clip(b1, sizeof b1, k->str));
            continue;
        }
        snprintf(what, sizeof what, "resource \"%s\"", k->str);
        sect s;
        if (!sect_open(v, &s, val, k, what))
            continue;
        const scn_node *t = sect_need(&s, "type", true);
        if (!t || !want_scalar(&s, t, "type", "a resource type (e.g. aws_lb)"))
            continue;
        int kind = kind_of_type(t->str);
        if (kind < 0) {
            if (in_list(t->str, unsupported_types)) {
                scn_err(&v->c, t, "resource type '%s' is not supported yet", t->str);
                continue;
            }
            const char *best = NULL;
            int best_d = 99;
            for (int j = 0; j < RK_COUNT; j++)
                suggest(t->str, rkind_names[j], &best, &best_d);
            scn_err(&v->c, t, "unknown resource type '%s'%s", scn_clip(b1, sizeof b1, t->str),
                    hint(b2, sizeof b2, best));
            continue;
        }
        r->kind = kind;
        r->idx = (int)counts[kind]++;
    }
    qsort(v->by_name, v->n_res, sizeof *v->by_name, res_cmp);

#define ALLOC(arr, cnt, k) do { \
        if (counts[k] && !((arr) = calloc(counts[k], sizeof *(arr)))) { \
            scn_err(&v->c, n, "out of memory"); \
            return; \
        } \
        (cnt) = counts[k]; \
    } while (0)
    ALLOC(sc->launch_templates, sc->n_launch_templates, RK_LAUNCH_TEMPLATE);
    ALLOC(sc->instances, sc->n_instances, RK_INSTANCE);
    ALLOC(sc->lbs, sc->n_lbs, RK_LB);
    ALLOC(sc->target_groups, sc->n_target_groups, RK_TARGET_GROUP);
    ALLOC(sc->attachments, sc->n_attachments, RK_ATTACHMENT);
    ALLOC(sc->asgs, sc->n_asgs, RK_ASG);
#undef ALLOC

    for (size_t i = 0; i < v->n_res; i++) {
        res *r = &v->res[i];
        if (r->kind < 0)
            continue;
        snprintf(what, sizeof what, "%s \"%s\"", rkind_names[r->kind], r->name);
        sect s;
        sect_open(v, &s, r->val, r->key, what);
        scn_loc loc = {r->key->line, r->key->col};
        char *name = dupstr(r->name);
        if (!name) {
            scn_err(&v->c, r->key, "out of memory");
            return;
        }
        switch ((rkind)r->kind) {
        case RK_LAUNCH_TEMPLATE:
            /* Boot phases: the defaults scenario.h gives (aws-semantics 5.4); no keys set them yet. */
            sc->launch_templates[r->idx] = (scn_launch_template){
                .name = name, .loc = loc,
                .pending_time = {.kind = SIM_DIST_CONSTANT, .a = 6.0},
                .os_boot_time = {.kind = SIM_DIST_CONSTANT, .a = 20.0},
                .app_start_time = {.kind = SIM_DIST_CONSTANT, .a = 10.0},
            };
            load_launch_template(v, &s, &sc->launch_templates[r->idx]);
            break;
        case RK_INSTANCE:
            sc->instances[r->idx] = (scn_instance){.name = name, .loc = loc};
            load_instance(v, &s, &sc->instances[r->idx]);
            break;
        case RK_LB:
            sc->lbs[r->idx] = (scn_lb){.name = name, .loc = loc};
            load_lb(v, &s, &sc->lbs[r->idx]);
            break;
        case RK_TARGET_GROUP:
            sc->target_groups[r->idx] = (scn_target_group){.name = name, .loc = loc};
            load_target_group(v, &s, &sc->target_groups[r->idx]);
            break;
        case RK_ATTACHMENT:
            sc->attachments[r->idx] = (scn_attachment){.name = name, .loc = loc};
            load_attachment(v, &s, &sc->attachments[r->idx]);
            break;
        case RK_ASG:
            /* Auto Scaling fields no key sets yet keep the defaults scenario.h documents. */
            sc->asgs[r->idx] = (scn_asg){
                .name = name, .loc = loc,
                .termination_policies = {SCN_TP_DEFAULT}, .n_termination_policies = 1,
                .health_check_sweep = 60 * SIM_SEC, .impaired_wait = 3 * SIM_MIN,
            };
            load_asg(v, &s, &sc->asgs[r->idx]);
            break;
        case RK_COUNT:
            free(name);
            break;
        }
    }
}

/* ---------------------------------------------------------------- workload */

#define MAX_POINTS 100000

static void load_arrivals(V *v, const sect *ws, scn_workload *w)
{
    static const char *const kinds[] = {"poisson", "piecewise", NULL};
    static const char *const later[] = {"diurnal", "replay", NULL};
    char what[512], b1[32], b2[32];
    const scn_node *n = sect_need(ws, "arrivals", true);
    if (!n)
        return;
    snprintf(what, sizeof what, "'arrivals' of %.400s", ws->what);
    sect s;
    if (!sect_open(v, &s, n, n, what))
        return;
    int kind = -1;
    if (!sect_need(&s, "kind", true) || get_enum(&s, "kind", kinds, later, &kind, NULL) < 0)
        return;
    if (kind == 0) {
        static const char *const keys[] = {"kind", "rps", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_POISSON;
        get_num(&s, "rps", true, 0, 0, true, 1e9, &w->rps);
        return;
    }
    static const char *const keys[] = {"kind", "points", NULL};
    sect_keys(&s, keys, NULL);
    w->kind = SCN_ARR_PIECEWISE;
    const scn_node *pn = sect_need(&s, "points", true);
    if (!pn)
        return;
    if (pn->kind != SCN_N_SEQ || pn->n == 0 || pn->n > MAX_POINTS) {
        scn_err(&v->c, pn, "'points': expected a sequence of 1 to %d {at, rps} points, found %s", MAX_POINTS,
                pn->kind != SCN_N_SEQ ? scn_kind_name(pn) : pn->n ? "more" : "an empty sequence");
        return;
    }
    w->points = calloc(pn->n, sizeof *w->points);
    if (!w->points) {
        scn_err(&v->c, pn, "out of memory");
        return;
    }
    w->n_points = pn->n;
    bool any = false, bad = false;
    for (size_t i = 0; i < pn->n; i++) {
        sect p;
        char pwhat[640];
        snprintf(pwhat, sizeof pwhat, "point %zu of %.400s", i, what);
        if (!sect_open(v, &p, pn->kids[i], pn->kids[i], pwhat)) {
            bad = true;
            continue;
        }
        static const char *const pkeys[] = {"at", "rps", NULL};
        sect_keys(&p, pkeys, NULL);
        scn_rate_point *pt = &w->points[i];
        int ra = get_dur(&p, "at", true, 0, 0, BIG_DUR, &pt->at);
        int rr = get_num(&p, "rps", true, 0, 0, false, 1e9, &pt->rps);
        if (ra <= 0 || rr <= 0) {
            bad = true;
            continue;
        }
        any = any || pt->rps > 0;
        if (i == 0 && pt->at != 0) {
            scn_err(&v->c, sect_get(&p, "at"), "the first point must be at 0s, found %s",
                    fmt_dur(b1, sizeof b1, pt->at));
        } else if (i > 0 && !bad && pt->at <= w->points[i - 1].at) {
            scn_err(&v->c, sect_get(&p, "at"), "points must be in strictly increasing time: %s is not after %s",
                    fmt_dur(b1, sizeof b1, pt->at), fmt_dur(b2, sizeof b2, w->points[i - 1].at));
            bad = true;
        }
    }
    if (!bad && !any)
        scn_err(&v->c, pn, "every point has rps 0: the workload would send no requests");
}

static int str_pos_cmp(const void *pa, const void *pb)
{
    const scn_node *a = *(const scn_node *const *)pa, *b = *(const scn_node *const *)pb;
    int c = strcmp(a->str, b->str);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

static void load_workloads(V *v, const scn_node *n)
{
    char what[512], b1[96];
    scenario *sc = v->s;
    if (n->kind != SCN_N_SEQ || n->n == 0) {
        scn_err(&v->c, n, "'workload': expected a sequence of at least one workload, found %s",
                n->kind == SCN_N_SEQ ? "an empty sequence" : scn_kind_name(n));
        return;
    }
    sc->workloads = calloc(n->n, sizeof *sc->workloads);
    const scn_node **names = calloc(n->n, sizeof *names);
    if (!sc->workloads || !names) {
        free(names);
        scn_err(&v->c, n, "out of memory");
        return;
    }
    sc->n_workloads = n->n;
    size_t n_names = 0;
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *e = n->kids[i];
        scn_workload *w = &sc->workloads[i];
        w->lb = -1;
        w->request_bytes = 1000;   /* scenario.h defaults; no keys set them yet */
        w->response_bytes = 10000;
        w->period = 24 * SIM_HOUR;
        w->peak_at = 14 * SIM_HOUR;
        w->loc = (scn_loc){e->line, e->col};
        sect s;
        snprintf(what, sizeof what, "workload %zu", i);
        if (!sect_open(v, &s, e, e, what))
            continue;
        static const char *const keys[] = {"name", "target", "arrivals", "service_time", "timeout", NULL};
        const scn_node *nn = NULL;
        if (get_str(&s, "name", true, 255, NULL, 0, &nn) > 0) {
            if (nn->str[0] == '\0')
                scn_err(&v->c, nn, "'name' must not be empty");
            w->name = dupstr(nn->str);
            names[n_names++] = nn;
            snprintf(what, sizeof what, "workload \"%s\"", scn_clip(b1, sizeof b1, nn->str));
        }
        sect_keys(&s, keys, NULL);
        get_ref(&s, "target", true, RK_LB, &w->lb);
        load_arrivals(v, &s, w);
        get_dist(&s, "service_time", true, &w->service_time, &w->service_values);
        get_dur(&s, "timeout", false, 0, 0, BIG_DUR, &w->timeout);
    }
    qsort(names, n_names, sizeof *names, str_pos_cmp);
    for (size_t i = 1; i < n_names; i++)
        if (strcmp(names[i]->str, names[i - 1]->str) == 0)
            scn_err(&v->c, names[i], "workload name '%s' is used twice (first at line %d)",
                    scn_clip(b1, sizeof b1, names[i]->str), names[i - 1]->line);
    free(names);
}

/* ---------------------------------------------------------------- top level */

static void load_report(V *v, const scn_node *n)
{
    char b1[32], b2[32];
    scenario *sc = v->s;
    sc->report = (scn_report){.window = SIM_MIN};
    sect s = {.v = v, .owner = n};
    if (n && !sect_open(v, &s, n, n, "'report'"))
        return;
    static const char *const keys[] = {"window", "warmup", "slo", NULL};
    sect_keys(&s, keys, NULL);
    int rw = get_dur(&s, "window", false, SIM_MIN, SIM_SEC, BIG_DUR, &sc->report.window);
    if (rw >= 0 && sc->duration > 0 && sc->duration / sc->report.window > 100000)
        scn_err(&v->c, rw > 0 ? sect_get(&s, "window") : v->duration_node,
                "a %s run with %s windows has more than 100000 windows: widen report.window",
                fmt_dur(b1, sizeof b1, sc->duration), fmt_dur(b2, sizeof b2, sc->report.window));
    if (get_dur(&s, "warmup", false, 0, 0, BIG_DUR, &sc->report.warmup) > 0 && sc->duration > 0 &&
        sc->report.warmup >= sc->duration)
        scn_err(&v->c, sect_get(&s, "warmup"), "'warmup' (%s) must be shorter than the duration (%s)",
                fmt_dur(b1, sizeof b1, sc->report.warmup), fmt_dur(b2, sizeof b2, sc->duration));
    const scn_node *sn = sect_get(&s, "slo");
    sect slo;
    if (sn && sect_open(v, &slo, sn, sn, "'slo' of 'report'")) {
        static const char *const skeys[] = {"p99", NULL};
        sect_keys(&slo, skeys, NULL);
        get_dur(&slo, "p99", false, 0, 1, BIG_DUR, &sc->report.slo_p99);
    }
}

static void validate(V *v, const scn_node *root)
{
    char b1[96];
    scenario *sc = v->s;
    if (root->kind != SCN_N_MAP) {
        scn_err(&v->c, root, "the top level must be a mapping with 'scenario', 'duration', 'resources' and "
                "'workload', found %s", scn_kind_name(root));
        return;
    }
    sect top;
    sect_open(v, &top, root, root, "the top level");
    static const char *const keys[] = {"scenario", "seed", "duration", "region", "instance_types",
                                       "resources", "workload", "report", NULL};
    static const char *const later[] = {"faults", "variants", NULL};
    sect_keys(&top, keys, later);

    const scn_node *nn = NULL;
    if (get_str(&top, "scenario", true, 255, NULL, 0, &nn) > 0) {
        if (nn->str[0] == '\0')
            scn_err(&v->c, nn, "'scenario' must not be empty");
        sc->name = dupstr(nn->str);
    }
    const scn_node *seed = sect_get(&top, "seed");
    if (seed && want_scalar(&top, seed, "seed", "an integer")) {
        char *end;
        const char *p = seed->str;
        bool digits = *p >= '0' && *p <= '9';
        for (; *p; p++)
            digits = digits && *p >= '0' && *p <= '9';
        errno = 0;
        unsigned long long x = digits ? strtoull(seed->str, &end, 10) : 0;
        if (!digits)
            scn_err(&v->c, seed, "'seed': expected an integer >= 0, found '%s'", scn_clip(b1, sizeof b1, seed->str));
        else if (errno == ERANGE)
            scn_err(&v->c, seed, "'seed': integer %s is too large (at most 18446744073709551615)",
                    scn_clip(b1, sizeof b1, seed->str));
        else
            sc->seed = x;
    }
    v->duration_node = sect_get(&top, "duration");
    get_dur(&top, "duration", true, 0, 1, BIG_DUR, &sc->duration);
    const scn_node *rn = NULL;
    int rr = get_str(&top, "region", false, 20, sc->region, sizeof sc->region, &rn);
    v->bad_region = rr < 0;
    if (rr > 0) {
        bool okr = sc->region[0] != '\0';
        for (const char *p = sc->region; *p; p++)
            okr = okr && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        if (!okr) {
            scn_err(&v->c, rn, "'region' must be an AWS region name such as us-west-2");
            v->bad_region = true;
        }
    }
    const scn_node *it = sect_get(&top, "instance_types");
    if (it)
        load_instance_types(v, it);
    const scn_node *rs = sect_need(&top, "resources", true);
    if (rs)
        load_resources(v, rs);
    const scn_node *wl = sect_need(&top, "workload", true);
    if (wl)
        load_workloads(v, wl);
    load_report(v, sect_get(&top, "report"));
}

/* ---------------------------------------------------------------- entry points */

void scenario_free(scenario *s)
{
    if (!s)
        return;
    free(s->file);
    free(s->name);
    free(s->itypes);
    for (size_t i = 0; i < s->n_launch_templates; i++)
        free(s->launch_templates[i].name);
    free(s->launch_templates);
    for (size_t i = 0; i < s->n_instances; i++)
        free(s->instances[i].name);
    free(s->instances);
    for (size_t i = 0; i < s->n_target_groups; i++)
        free(s->target_groups[i].name);
    free(s->target_groups);
    for (size_t i = 0; i < s->n_attachments; i++)
        free(s->attachments[i].name);
    free(s->attachments);
    for (size_t i = 0; i < s->n_lbs; i++)
        free(s->lbs[i].name);
    free(s->lbs);
    for (size_t i = 0; i < s->n_asgs; i++) {
        free(s->asgs[i].name);
        free(s->asgs[i].availability_zones);
        free(s->asgs[i].target_groups);
    }
    free(s->asgs);
    for (size_t i = 0; i < s->n_workloads; i++) {
        free(s->workloads[i].name);
        free(s->workloads[i].points);
        free(s->workloads[i].service_values);
        free(s->workloads[i].trace_times);
        free(s->workloads[i].trace_counts);
    }
    free(s->workloads);
    for (size_t i = 0; i < s->n_policies; i++) {
        free(s->policies[i].name);
        free(s->policies[i].steps);
    }
    free(s->policies);
    for (size_t i = 0; i < s->n_alarms; i++)
        free(s->alarms[i].name);
    free(s->alarms);
    for (size_t i = 0; i < s->n_sns_topics; i++)
        free(s->sns_topics[i].name);
    free(s->sns_topics);
    for (size_t i = 0; i < s->n_notifications; i++) {
        free(s->notifications[i].name);
        free(s->notifications[i].asgs);
    }
    free(s->notifications);
    for (size_t i = 0; i < s->n_schedules; i++)
        free(s->schedules[i].name);
    free(s->schedules);
    free(s->faults);
    free(s);
}

int scenario_load(const char *file, const char *text, size_t len, const char *const *sets, size_t n_sets,
                  scenario **out, scn_diags *diags)
{
    *out = NULL;
    if (!file)
        file = "<input>";
    diags->text = text;
    diags->text_len = text ? len : 0;
    V v = {.c = {.file = file, .d = diags}};
    size_t first_diag = diags->n;
    if (!text)
        len = 0;
    if (len > SCN_MAX_BYTES) {
        scn_err_at(&v.c, 0, 0, "the file is larger than 16 MiB");
        return -1;
    }
    int failed = 0;
    scn_node *root = scn_parse(&v.c, text ? text : "", len, NULL, &failed);
    if (failed)
        goto done;
    for (size_t i = 0; i < n_sets; i++)
        if (sets[i])
            scn_apply_set(&v.c, &root, sets[i]);
    if (!root) {
        scn_err_at(&v.c, 0, 0, "the scenario is empty: it needs at least 'scenario', 'duration', "
                   "'resources' and 'workload'");
        goto done;
    }
    v.s = calloc(1, sizeof *v.s);
    if (!v.s) {
        scn_err_at(&v.c, 0, 0, "out of memory");
        goto done;
    }
    v.s->file = dupstr(file);
    v.s->seed = 1;
    v.s->start_epoch = 1767571200; /* 2026-01-05T00:00:00Z, a Monday (scenario.h) */
    v.s->cw_publication_delay = 60 * SIM_SEC;
    snprintf(v.s->region, sizeof v.s->region, "us-west-2");
    validate(&v, root);
done:
    scn_node_free(root);
    free(v.res);
    free(v.by_name);
    free(v.ovr);
    if (v.c.errors || !v.s || !v.s->file) {
        if (diags->n == first_diag && !v.c.errors)
            scn_err_at(&v.c, 0, 0, "out of memory");
        scenario_free(v.s);
        scn_diags_sort(diags);
        return -1;
    }
    *out = v.s;
    return 0;
}

int scenario_load_file(const char *path, const char *const *sets, size_t n_sets, scenario **out,
                       scn_diags *diags)
{
    *out = NULL;
    diags->text = NULL;
    diags->text_len = 0;
    FILE *f = fopen(path, "rb");
    scn_ctx c = {.file = path, .d = diags};
    if (!f) {
        scn_err_at(&c, 0, 0, "cannot open the file: %s", strerror(errno));
        return -1;
    }
    /* Read at most one byte past the limit: enough to know the file is too large. */
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > SCN_MAX_BYTES)
                break;
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (!buf || rerr) {
        scn_err_at(&c, 0, 0, buf ? "cannot read the file" : "out of memory");
        free(buf);
        return -1;
    }
    int rc = scenario_load(path, buf, len, sets, n_sets, out, diags);
    diags->text = buf; /* scenario_text_free releases it */
    return rc;
}

void scenario_text_free(scn_diags *diags)
{
    free((void *)(uintptr_t)diags->text);
    diags->text = NULL;
    diags->text_len = 0;
}
