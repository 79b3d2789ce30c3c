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
#include "models/core/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "models/ec2/instance_type.h"
#include "models/core/scenario_tree.h"
#include "models/autoscaling/scheduled_action.h"

/* ---------------------------------------------------------------- helpers */

typedef enum rkind {
    RK_LAUNCH_TEMPLATE,
    RK_INSTANCE,
    RK_LB,
    RK_TARGET_GROUP,
    RK_ATTACHMENT,
    RK_ASG,
    RK_SNS_TOPIC,
    RK_POLICY,
    RK_SCHEDULE,
    RK_SNS_SUBSCRIPTION,
    RK_NOTIFICATION,
    RK_ALARM,
    RK_COUNT,
} rkind;

static const char *const rkind_names[RK_COUNT] = {
    "aws_launch_template", "aws_instance", "aws_lb", "aws_lb_target_group",
    "aws_lb_target_group_attachment", "aws_autoscaling_group", "aws_sns_topic", "aws_autoscaling_policy",
    "aws_autoscaling_schedule", "aws_sns_topic_subscription", "aws_autoscaling_notification",
    "aws_cloudwatch_metric_alarm",
};

/* Resources are loaded in passes so that cross-checks find what they look at already read:
   alarms check the policies they name, policies the groups' target groups, subscriptions their topic. */
static const int rkind_pass[RK_COUNT] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2};

/* Terraform's older aws_alb* names are aliases of the aws_lb* resources. */
static const struct { const char *name; rkind kind; } type_aliases[] = {
    {"aws_alb", RK_LB},
    {"aws_alb_target_group", RK_TARGET_GROUP},
    {"aws_alb_target_group_attachment", RK_ATTACHMENT},
};

/* Terraform types fleetsim will model but does not yet: a clearer error than "unknown". */
static const char *const unsupported_types[] = {
    "aws_autoscaling_lifecycle_hook", "aws_lb_listener", "aws_lb_listener_rule",
    "aws_lambda_function", "aws_dynamodb_table", "aws_s3_bucket",
    "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_spot_instance_request",
    "aws_cloudwatch_composite_alarm", "aws_autoscaling_traffic_source_attachment",
    "aws_autoscaling_attachment", "aws_launch_configuration", "aws_sqs_queue",
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
    size_t *sched_count;    /* schedules per group, for the 125 limit */
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

/* "an aws_lb" or "an aws_autoscaling_policy or aws_sns_topic" for the kinds in mask. */
static const char *kinds_text(char *buf, size_t size, unsigned mask)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < RK_COUNT; k++)
        if (mask & (1u << k) && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " or " : "", rkind_names[k]);
    return buf;
}

/* Resolves a reference node (name, or Terraform's TYPE.NAME[.arn|.id|.name|.arn_suffix]) to an index of
   one of the kinds in mask (1 << rkind); *kind_out (may be NULL) gets the kind found. */
static int resolve_any(V *v, const scn_node *n, const char *key, unsigned mask, int *kind_out, int *out)
{
    char b1[96], b2[96], name[256], want[160];
    kinds_text(want, sizeof want, mask);
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
    const res *r = res_find(v, str);
    if (typed >= 0 && !(mask & (1u << typed)) && (!r || r->kind == typed)) {
        scn_err(&v->c, n, "'%s': expected a reference to an %s, found one to an %s", key, want,
                rkind_names[typed]);
        return -1;
    }
    if (!r) {
        const char *best = NULL;
        int best_d = 99;
        for (size_t i = 0; i < v->n_res && !quiet(v); i++)
            if (v->res[i].kind >= 0 && mask & (1u << v->res[i].kind))
                suggest(str, v->res[i].name, &best, &best_d);
        scn_err(&v->c, n, "no %s named '%s'%s", want, scn_clip(b1, sizeof b1, str), hint(b2, sizeof b2, best));
        return -1;
    }
    if (r->kind < 0)
        return -1; /* the resource itself is broken and already reported */
    if (!(mask & (1u << r->kind))) {
        scn_err(&v->c, n, "'%s' is an %s, expected an %s", scn_clip(b1, sizeof b1, str), rkind_names[r->kind],
                want);
        return -1;
    }
    if (kind_out)
        *kind_out = r->kind;
    *out = r->idx;
    return 1;
}

static int resolve(V *v, const scn_node *n, const char *key, int kind, int *out)
{
    return resolve_any(v, n, key, 1u << kind, NULL, out);
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

/* The key node of `key` in s, or NULL (for errors that point at a key rather than its value). */
static const scn_node *sect_key(const sect *s, const char *key)
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
static void only_for(const sect *s, const char *const *keys, const char *which)
{
    for (; *keys; keys++) {
        const scn_node *k = sect_key(s, *keys);
        if (k)
            scn_err(&s->v->c, k, "'%s' applies only to %s", *keys, which);
    }
}

static void load_launch_template(V *v, const sect *s, scn_launch_template *lt)
{
    static const char *const keys[] = {"type", "instance_type", "pending_time", "os_boot_time", "app_start_time",
                                       "monitoring", "boot_time", "name", "image_id", NULL};
    char what[512];
    sect_keys(s, keys, NULL);
    itype_ref(v, s, "instance_type", &lt->itype);
    const scn_node *bk = sect_key(s, "boot_time");
    if (bk)
        scn_err(&v->c, bk, "'boot_time' was split into 'pending_time', 'os_boot_time' and 'app_start_time' "
                "(launch -> InService is their sum; defaults 6s, 20s and 10s)");
    get_dist(s, "pending_time", false, &lt->pending_time, &lt->pending_values);
    get_dist(s, "os_boot_time", false, &lt->os_boot_time, &lt->os_boot_values);
    get_dist(s, "app_start_time", false, &lt->app_start_time, &lt->app_start_values);
    /* boot_time: kept in the struct as the constant total of the phase means (informational). */
    lt->boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT,
                               .a = sim_dist_mean(&lt->pending_time) + sim_dist_mean(&lt->os_boot_time) +
                                    sim_dist_mean(&lt->app_start_time)};
    const scn_node *mn = sect_get(s, "monitoring");
    sect m;
    snprintf(what, sizeof what, "monitoring of %.400s", s->what);
    if (mn && sect_open(v, &m, mn, mn, what)) {
        static const char *const mkeys[] = {"enabled", NULL};
        sect_keys(&m, mkeys, NULL);
        bool en = false;
        get_bool(&m, "enabled", false, &en);
        lt->detailed_monitoring = en;
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

static void load_target_group(V *v, const sect *s, scn_target_group *tgr)
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
    tgr->algorithm = alg == 3 ? SCN_ALG_WEIGHTED_RANDOM : (scn_lb_algorithm)alg;
    get_dur(s, "deregistration_delay", false, 300 * SIM_SEC, 0, 3600 * SIM_SEC, &tgr->deregistration_delay);
    const scn_node *ss = sect_get(s, "slow_start");
    if (get_dur(s, "slow_start", false, 0, 0, 900 * SIM_SEC, &tgr->slow_start) > 0 && tgr->slow_start > 0 &&
        tgr->slow_start < 30 * SIM_SEC) {
        scn_err(&v->c, ss, "'slow_start' is out of range: %s (must be 0s, which turns it off, or between 30s "
                "and 900s)", fmt_dur(b1, sizeof b1, tgr->slow_start));
        tgr->slow_start = 0;
    }
    if (tgr->algorithm == SCN_ALG_LEAST_OUTSTANDING_REQUESTS && tgr->slow_start > 0) /* AWS-TG-LOR-SLOWSTART */
        scn_err(&v->c, ss, "'slow_start' cannot be combined with least_outstanding_requests (an AWS rule): "
                "use 0s or another algorithm");
    long long port;
    get_int(s, "port", false, 80, 1, 65535, &port);
    tgr->port = (int)port;
    int proto;
    get_enum(s, "protocol", protos, NULL, &proto, NULL);
    get_str(s, "name", false, 255, NULL, 0, NULL);
    get_str(s, "vpc_id", false, 255, NULL, 0, NULL);

    scn_health_check *hc = &tgr->health_check;
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
                                       "default_instance_warmup", "termination_policies",
                                       "protect_from_scale_in", "health_check_sweep_interval", "impaired_wait",
                                       "name", NULL};
    static const char *const later[] = {"vpc_zone_identifier", "mixed_instances_policy", "warm_pool",
                                        "initial_lifecycle_hook", "capacity_rebalance", "max_instance_lifetime",
                                        "suspended_processes", "enabled_metrics", NULL};
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
    bool prot = false;
    get_bool(s, "protect_from_scale_in", false, &prot);
    g->protect_from_scale_in = prot;
    /* fleetsim parameters for what AWS does not document (aws-semantics 1.3) */
    get_dur(s, "health_check_sweep_interval", false, 60 * SIM_SEC, SIM_SEC, SIM_HOUR, &g->health_check_sweep);
    get_dur(s, "impaired_wait", false, 3 * SIM_MIN, 0, SIM_HOUR, &g->impaired_wait);

    /* termination_policies: applied in order; Default, if present, last (aws-semantics 1.4) */
    static const char *const tps[] = {"Default", "AllocationStrategy", "OldestLaunchTemplate",
                                      "OldestLaunchConfiguration", "ClosestToNextInstanceHour", "NewestInstance",
                                      "OldestInstance", NULL};
    const scn_node *tpn = sect_get(s, "termination_policies");
    if (!tpn)
        return;
    size_t cap = sizeof g->termination_policies / sizeof g->termination_policies[0];
    if (tpn->kind != SCN_N_SEQ || tpn->n == 0 || tpn->n > cap) {
        scn_err(&v->c, tpn, "'termination_policies': expected a sequence of 1 to %zu policy names, found %s", cap,
                tpn->kind != SCN_N_SEQ ? scn_kind_name(tpn) : tpn->n ? "more" : "an empty sequence");
        return;
    }
    size_t nt = 0;
    bool bad = false;
    for (size_t i = 0; i < tpn->n; i++) {
        const scn_node *e = tpn->kids[i];
        if (!want_scalar(s, e, "termination_policies", "a termination policy name")) {
            bad = true;
            continue;
        }
        int k = -1;
        for (int j = 0; tps[j]; j++)
            if (strcmp(e->str, tps[j]) == 0)
                k = j;
        if (k < 0) {
            if (strncmp(e->str, "arn:aws:lambda:", 15) == 0) {
                scn_err(&v->c, e, "'termination_policies': custom (Lambda) termination policies are not "
                        "supported yet");
            } else {
                const char *best = NULL;
                int best_d = 99;
                for (int j = 0; tps[j]; j++)
                    suggest(e->str, tps[j], &best, &best_d);
                scn_err(&v->c, e, "'termination_policies': unknown policy '%s'%s; expected one of: Default, "
                        "AllocationStrategy, OldestLaunchTemplate, OldestLaunchConfiguration, "
                        "ClosestToNextInstanceHour, NewestInstance, OldestInstance",
                        scn_clip(b1, sizeof b1, e->str), hint(what, sizeof what, best));
            }
            bad = true;
            continue;
        }
        for (size_t j = 0; j < nt; j++)
            if (g->termination_policies[j] == k) {
                scn_err(&v->c, e, "'termination_policies': %s is listed twice", e->str);
                bad = true;
            }
        if (k == SCN_TP_DEFAULT && i + 1 != tpn->n) {
            scn_err(&v->c, e, "'termination_policies': Default must be the last entry (an AWS rule)");
            bad = true;
        }
        g->termination_policies[nt++] = k;
    }
    if (bad) {
        g->termination_policies[0] = SCN_TP_DEFAULT;
        nt = 1;
    }
    g->n_termination_policies = nt;
}

/* ---------------------------------------------------------------- time stamps */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDThh:mm:ssZ" (or "+00:00" for Z), years 1970..9999, into UTC epoch seconds. */
static bool parse_rfc3339(const char *s, int64_t *out)
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
    *out = days_from_civil(y, mo, d) * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
    return true;
}

/* A point in time: an RFC 3339 UTC time stamp, or a duration after the scenario's start_time.
   *out is the offset from t = 0 (negative for a time stamp before the start). */
static int get_when(const sect *s, const char *key, sim_time_t *out, const scn_node **where)
{
    char b1[96];
    const scn_node *n = sect_need(s, key, false);
    if (!n)
        return 0;
    *where = n;
    if (!want_scalar(s, n, key, "a UTC time stamp (2026-01-05T08:00:00Z) or a duration after start_time"))
        return -1;
    int64_t t;
    if (parse_rfc3339(n->str, &t)) {
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
    return get_dur(s, key, false, 0, 0, BIG_DUR, out);
}

/* ---------------------------------------------------------------- lists */

/* A non-empty sequence of at most max entries, or NULL after reporting. */
static const scn_node *get_seq(const sect *s, const char *key, bool required, size_t max, const char *of)
{
    const scn_node *n = sect_need(s, key, required);
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

static void load_sns_topic(V *v, const sect *s, scn_sns_topic *t)
{
    static const char *const keys[] = {"type", "name", "display_name", NULL};
    static const char *const later[] = {"fifo_topic", "delivery_policy", "kms_master_key_id", NULL};
    (void)v;
    (void)t;
    sect_keys(s, keys, later);
    get_str(s, "name", false, 256, NULL, 0, NULL);
    get_str(s, "display_name", false, 100, NULL, 0, NULL);
}

static void load_sns_subscription(V *v, const sect *s)
{
    static const char *const keys[] = {"type", "topic_arn", "protocol", "endpoint", "raw_message_delivery", NULL};
    static const char *const protos[] = {"email", "email-json", "sms", "http", "https", "lambda", "sqs", NULL};
    static const char *const later[] = {"firehose", "application", NULL};
    sect_keys(s, keys, NULL);
    int topic = -1, proto = -1;
    get_ref(s, "topic_arn", true, RK_SNS_TOPIC, &topic);
    if (sect_need(s, "protocol", true))
        get_enum(s, "protocol", protos, later, &proto, NULL);
    const scn_node *en = NULL;
    if (get_str(s, "endpoint", true, 2048, NULL, 0, &en) > 0 && en->str[0] == '\0')
        scn_err(&v->c, en, "'endpoint' must not be empty");
    bool raw;
    get_bool(s, "raw_message_delivery", false, &raw);
    if (topic < 0 || proto < 0)
        return;
    scn_sns_topic *t = &v->s->sns_topics[topic];
    switch (proto) {
    case 0: case 1: t->n_email++; break;
    case 2: t->n_sms++; break;
    case 3: case 4: t->n_http++; break;
    case 5: t->n_lambda++; break;
    default: t->n_sqs++; break;
    }
}

static void load_notification(V *v, const sect *s, scn_asg_notification *nt)
{
    static const char *const keys[] = {"type", "group_names", "notifications", "topic_arn", NULL};
    static const char *const events[] = {"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                                         "autoscaling:EC2_INSTANCE_TERMINATE",
                                         "autoscaling:EC2_INSTANCE_TERMINATE_ERROR", "autoscaling:TEST_NOTIFICATION",
                                         NULL};
    char b1[96], b2[96];
    sect_keys(s, keys, NULL);
    nt->topic = -1;
    get_ref(s, "topic_arn", true, RK_SNS_TOPIC, &nt->topic);
    const scn_node *gn = get_seq(s, "group_names", true, 1000, "aws_autoscaling_group references");
    if (gn) {
        nt->asgs = malloc(gn->n * sizeof *nt->asgs);
        if (!nt->asgs) {
            scn_err(&v->c, gn, "out of memory");
            return;
        }
        nt->n_asgs = gn->n;
        for (size_t i = 0; i < gn->n; i++) {
            nt->asgs[i] = -1;
            resolve(v, gn->kids[i], "group_names", RK_ASG, &nt->asgs[i]);
            for (size_t j = 0; j < i; j++)
                if (nt->asgs[i] >= 0 && nt->asgs[j] == nt->asgs[i])
                    scn_err(&v->c, gn->kids[i], "'group_names': %s is listed twice",
                            v->s->asgs[nt->asgs[i]].name);
        }
    }
    const scn_node *en = get_seq(s, "notifications", true, 5, "notification types");
    for (size_t i = 0; en && i < en->n; i++) {
        const scn_node *e = en->kids[i];
        if (!want_scalar(s, e, "notifications", "a notification type"))
            continue;
        int k = -1;
        const char *best = NULL;
        int best_d = 99;
        for (int j = 0; events[j]; j++) {
            if (strcmp(e->str, events[j]) == 0)
                k = j;
            suggest(e->str, events[j], &best, &best_d);
        }
        if (k < 0)
            scn_err(&v->c, e, "'notifications': unknown type '%s'%s; expected autoscaling:EC2_INSTANCE_LAUNCH, "
                    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR, autoscaling:EC2_INSTANCE_TERMINATE, "
                    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR or autoscaling:TEST_NOTIFICATION",
                    scn_clip(b1, sizeof b1, e->str), hint(b2, sizeof b2, best));
        else if (k < 4)
            nt->notifications |= 1u << k; /* SCN_NOTIFY_* in the same order; TEST_NOTIFICATION is sent once by AWS and not modelled */
    }
}

/* ---------------------------------------------------------------- metrics */

enum { D_ASG = 1, D_LB = 2, D_TG = 4 };

typedef struct mdef {
    const char *ns, *name;
    scn_metric_id id;
    unsigned dims;  /* dimensions it takes */
    unsigned need;  /* at least one of these must be given */
} mdef;

static const mdef metric_defs[] = {
    {"AWS/EC2", "CPUUtilization", SCN_M_EC2_CPU, D_ASG, D_ASG},
    {"AWS/EC2", "NetworkIn", SCN_M_EC2_NETWORK_IN, D_ASG, D_ASG},
    {"AWS/EC2", "NetworkOut", SCN_M_EC2_NETWORK_OUT, D_ASG, D_ASG},
    {"AWS/ApplicationELB", "RequestCount", SCN_M_ALB_REQUEST_COUNT, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "TargetResponseTime", SCN_M_ALB_TARGET_RESPONSE_TIME, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", SCN_M_ALB_ELB_5XX, D_LB, D_LB},
    {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", SCN_M_ALB_TARGET_5XX, D_LB | D_TG, D_LB | D_TG},
    {"AWS/ApplicationELB", "HealthyHostCount", SCN_M_ALB_HEALTHY_HOSTS, D_LB | D_TG, D_TG},
    {"AWS/ApplicationELB", "UnHealthyHostCount", SCN_M_ALB_UNHEALTHY_HOSTS, D_LB | D_TG, D_TG},
    {"AWS/ApplicationELB", "RequestCountPerTarget", SCN_M_ALB_REQUEST_COUNT_PER_TARGET, D_LB | D_TG, D_TG},
    {"AWS/AutoScaling", "GroupDesiredCapacity", SCN_M_ASG_DESIRED, D_ASG, D_ASG},
    {"AWS/AutoScaling", "GroupInServiceInstances", SCN_M_ASG_IN_SERVICE, D_ASG, D_ASG},
};
#define N_METRIC_DEFS (sizeof metric_defs / sizeof metric_defs[0])

static const char *const namespaces[] = {"AWS/EC2", "AWS/ApplicationELB", "AWS/AutoScaling", NULL};
/* AWS metrics fleetsim does not publish (yet): a clearer error than "unknown". */
static const char *const later_metrics[] = {
    "CPUCreditBalance", "CPUCreditUsage", "DiskReadOps", "DiskWriteOps", "DiskReadBytes", "DiskWriteBytes",
    "NetworkPacketsIn", "NetworkPacketsOut", "StatusCheckFailed", "StatusCheckFailed_Instance",
    "StatusCheckFailed_System", "MetadataNoToken", "ActiveConnectionCount", "NewConnectionCount",
    "RejectedConnectionCount", "ProcessedBytes", "ConsumedLCUs", "RuleEvaluations", "HTTPCode_ELB_3XX_Count",
    "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_500_Count", "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count",
    "HTTPCode_ELB_504_Count", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count",
    "HTTPCode_Target_4XX_Count", "TargetConnectionErrorCount", "GroupMinSize", "GroupMaxSize",
    "GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
    "GroupTotalCapacity", "GroupInServiceCapacity", "GroupDesiredCapacityUnits", NULL,
};

/* The metric (namespace, metric_name) names, or NULL after reporting at the offending node. */
static const mdef *find_metric(V *v, const scn_node *nsn, const scn_node *mn)
{
    char b1[96], b2[96];
    const char *best = NULL;
    int best_d = 99;
    if (!in_list(nsn->str, namespaces)) {
        for (const char *const *p = namespaces; *p; p++)
            suggest(nsn->str, *p, &best, &best_d);
        scn_err(&v->c, nsn, "'namespace': unknown namespace '%s'%s; fleetsim publishes AWS/EC2, "
                "AWS/ApplicationELB and AWS/AutoScaling", scn_clip(b1, sizeof b1, nsn->str), hint(b2, sizeof b2, best));
        return NULL;
    }
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0 && strcmp(metric_defs[i].name, mn->str) == 0)
            return &metric_defs[i];
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].name, mn->str) == 0) {
            scn_err(&v->c, mn, "'metric_name': %s is in namespace %s, not %s", mn->str, metric_defs[i].ns,
                    nsn->str);
            return NULL;
        }
    if (in_list(mn->str, later_metrics)) {
        scn_err(&v->c, mn, "'metric_name': %s %s is not supported yet", nsn->str, mn->str);
        return NULL;
    }
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0)
            suggest(mn->str, metric_defs[i].name, &best, &best_d);
    char list[400] = "";
    size_t len = 0;
    for (size_t i = 0; i < N_METRIC_DEFS; i++)
        if (strcmp(metric_defs[i].ns, nsn->str) == 0 && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", metric_defs[i].name);
    scn_err(&v->c, mn, "'metric_name': unknown metric '%s' in %s%s; expected one of: %s",
            scn_clip(b1, sizeof b1, mn->str), nsn->str, hint(b2, sizeof b2, best), list);
    return NULL;
}

/* One dimension name = value onto m; *seen collects D_* bits. False after reporting. */
static bool apply_dim(V *v, const mdef *md, const scn_node *name, const scn_node *val, scn_metric *m,
                      unsigned *seen)
{
    static const struct { const char *name; unsigned bit; int kind; } dims[] = {
        {"AutoScalingGroupName", D_ASG, RK_ASG}, {"LoadBalancer", D_LB, RK_LB}, {"TargetGroup", D_TG, RK_TARGET_GROUP},
    };
    static const char *const later[] = {"InstanceId", "InstanceType", "ImageId", "AvailabilityZone", NULL};
    char b1[96], b2[96];
    int k = -1;
    const char *best = NULL;
    int best_d = 99;
    for (int i = 0; i < 3; i++) {
        if (strcmp(name->str, dims[i].name) == 0)
            k = i;
        suggest(name->str, dims[i].name, &best, &best_d);
    }
    if (k < 0) {
        if (in_list(name->str, later))
            scn_err(&v->c, name, "dimension '%s' is not supported yet", name->str);
        else
            scn_err(&v->c, name, "unknown dimension '%s'%s; expected AutoScalingGroupName, LoadBalancer or "
                    "TargetGroup", scn_clip(b1, sizeof b1, name->str), hint(b2, sizeof b2, best));
        return false;
    }
    if (!(md->dims & dims[k].bit)) {
        scn_err(&v->c, name, "dimension '%s' does not apply to %s %s", name->str, md->ns, md->name);
        return false;
    }
    if (*seen & dims[k].bit) {
        scn_err(&v->c, name, "dimension '%s' is given twice", name->str);
        return false;
    }
    *seen |= dims[k].bit;
    int idx = -1;
    if (resolve(v, val, name->str, dims[k].kind, &idx) < 0)
        return false;
    if (k == 0)
        m->asg = idx;
    else if (k == 1)
        m->lb = idx;
    else
        m->tg = idx;
    return true;
}

/* After the dimensions: the required ones are there and LoadBalancer / TargetGroup agree. */
static bool check_dims(V *v, const mdef *md, const scn_node *at, scn_metric *m, unsigned seen)
{
    scenario *sc = v->s;
    if (!(seen & md->need)) {
        const char *need = md->need == D_ASG ? "an AutoScalingGroupName" : md->need == D_TG ? "a TargetGroup"
                         : md->need == D_LB ? "a LoadBalancer" : "a LoadBalancer or TargetGroup";
        scn_err(&v->c, at, "%s %s needs %s dimension", md->ns, md->name, need);
        return false;
    }
    if (m->lb >= 0 && m->tg >= 0 && sc->lbs[m->lb].target_group != m->tg) {
        scn_err(&v->c, at, "target group %s is not behind load balancer %s", sc->target_groups[m->tg].name,
                sc->lbs[m->lb].name);
        return false;
    }
    if (m->lb < 0 && m->tg >= 0) {
        bool found = false;
        for (size_t i = 0; i < sc->n_lbs; i++)
            found = found || sc->lbs[i].target_group == m->tg;
        if (!found) {
            scn_err(&v->c, at, "target group %s is behind no aws_lb, so it publishes no %s metrics",
                    sc->target_groups[m->tg].name, md->ns);
            return false;
        }
    }
    return true;
}

static const char *const stat_names[] = {"Average", "Sum", "Minimum", "Maximum", "SampleCount", NULL};

/* "pNN" or "pNN.NN" with 0 < NN < 100. */
static bool parse_percentile(const char *s, double *out)
{
    if (s[0] != 'p' || s[1] < '0' || s[1] > '9')
        return false;
    const char *p = s + 1;
    int ip = 0;
    while (*p >= '0' && *p <= '9' && ip < 3)
        ip++, p++;
    if (ip > 2)
        return false;
    if (*p == '.') {
        p++;
        int fp = 0;
        while (*p >= '0' && *p <= '9' && fp < 3)
            fp++, p++;
        if (fp == 0 || fp > 2)
            return false;
    }
    if (*p)
        return false;
    double x;
    if (!parse_number(s + 1, &x) || x <= 0 || x >= 100)
        return false;
    *out = x;
    return true;
}

/* ---------------------------------------------------------------- alarms */

/* alarm_actions / ok_actions / insufficient_data_actions: policies or SNS topics. */
static void load_actions(V *v, const sect *s, const char *key, scn_action *acts, size_t *n_acts)
{
    scenario *sc = v->s;
    const scn_node *an = sect_get(s, key);
    if (!an)
        return;
    if (an->kind != SCN_N_SEQ || an->n > SCN_MAX_ACTIONS) {
        scn_err(&v->c, an, "'%s': expected a sequence of at most %d aws_autoscaling_policy or aws_sns_topic "
                "references, found %s", key, SCN_MAX_ACTIONS, an->kind == SCN_N_SEQ ? "more" : scn_kind_name(an));
        return;
    }
    for (size_t i = 0; i < an->n; i++) {
        int kind = -1, idx = -1;
        if (resolve_any(v, an->kids[i], key, 1u << RK_POLICY | 1u << RK_SNS_TOPIC, &kind, &idx) < 0)
            continue;
        if (kind == RK_POLICY) {
            const scn_policy *p = &sc->policies[idx];
            if (p->type == SCN_POL_TARGET_TRACKING || p->type == SCN_POL_PREDICTIVE) {
                scn_err(&v->c, an->kids[i], "'%s': %s is a %s policy, which manages its own alarms: only "
                        "SimpleScaling and StepScaling policies are alarm actions", key, p->name,
                        p->type == SCN_POL_PREDICTIVE ? "PredictiveScaling" : "TargetTrackingScaling");
                continue;
            }
        }
        for (size_t j = 0; j < *n_acts; j++)
            if (acts[j].index == idx && (acts[j].kind == SCN_ACT_POLICY) == (kind == RK_POLICY))
                scn_err(&v->c, an->kids[i], "'%s': %s is listed twice", key,
                        kind == RK_POLICY ? sc->policies[idx].name : sc->sns_topics[idx].name);
        acts[(*n_acts)++] = (scn_action){kind == RK_POLICY ? SCN_ACT_POLICY : SCN_ACT_SNS, idx};
    }
}

static void load_alarm(V *v, const sect *s, scn_alarm *al)
{
    static const char *const keys[] = {"type", "alarm_name", "alarm_description", "namespace", "metric_name",
                                       "dimensions", "statistic", "extended_statistic", "period",
                                       "evaluation_periods", "datapoints_to_alarm", "threshold",
                                       "comparison_operator", "treat_missing_data", "alarm_actions", "ok_actions",
                                       "insufficient_data_actions", "actions_enabled", "unit", NULL};
    static const char *const later[] = {"metric_query", "threshold_metric_id",
                                        "evaluate_low_sample_count_percentiles", NULL};
    static const char *const cmps[] = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                       "LessThanThreshold", "LessThanOrEqualToThreshold", NULL};
    static const char *const cmp_later[] = {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                                            "GreaterThanUpperThreshold", NULL};
    static const char *const missing[] = {"missing", "notBreaching", "breaching", "ignore", NULL};
    char b1[96], b2[32];
    sect_keys(s, keys, later);
    const scn_node *an = NULL;
    if (get_str(s, "alarm_name", false, 255, NULL, 0, &an) > 0) {
        if (an->str[0] == '\0') {
            scn_err(&v->c, an, "'alarm_name' must not be empty");
        } else {
            char *nm = dupstr(an->str);
            if (nm) {
                free(al->name);
                al->name = nm;
            }
        }
    }
    get_str(s, "alarm_description", false, 1024, NULL, 0, NULL);
    get_str(s, "unit", false, 64, NULL, 0, NULL);
    al->metric = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
    const scn_node *nsn = NULL, *mn = NULL;
    int r1 = get_str(s, "namespace", true, 255, NULL, 0, &nsn);
    int r2 = get_str(s, "metric_name", true, 255, NULL, 0, &mn);
    const mdef *md = r1 > 0 && r2 > 0 ? find_metric(v, nsn, mn) : NULL;
    if (md) {
        al->metric.id = md->id;
        const scn_node *dn = sect_get(s, "dimensions");
        unsigned seen = 0;
        bool good = true;
        if (dn && dn->kind != SCN_N_MAP) {
            scn_err(&v->c, dn, "'dimensions': expected a mapping of dimension name to resource, found %s",
                    scn_kind_name(dn));
            good = false;
        }
        for (size_t i = 0; dn && good && i + 1 < dn->n; i += 2)
            if (dn->kids[i]->kind == SCN_N_SCALAR)
                good &= apply_dim(v, md, dn->kids[i], dn->kids[i + 1], &al->metric, &seen);
        if (good)
            check_dims(v, md, dn ? dn : s->owner, &al->metric, seen);
    }
    /* statistic or extended_statistic, exactly one */
    const scn_node *sn = sect_get(s, "statistic"), *en = sect_get(s, "extended_statistic");
    if (sn && en) {
        scn_err(&v->c, sect_key(s, "extended_statistic"), "give 'statistic' or 'extended_statistic', not both");
    } else if (!sn && !en) {
        scn_err(&v->c, s->owner, "missing required key 'statistic' (or 'extended_statistic') in %s", s->what);
    } else if (sn) {
        int st = 0;
        get_enum(s, "statistic", stat_names, NULL, &st, NULL);
        al->metric.statistic = (scn_statistic)st;
    } else if (want_scalar(s, en, "extended_statistic", "a percentile such as p99")) {
        if (!parse_percentile(en->str, &al->metric.percentile))
            scn_err(&v->c, en, "'extended_statistic': expected a percentile pNN or pNN.NN between p0 and p100 "
                    "(e.g. p99, p99.9), found '%s'", scn_clip(b1, sizeof b1, en->str));
        else if (md && md->id != SCN_M_ALB_TARGET_RESPONSE_TIME)
            scn_err(&v->c, en, "'extended_statistic': fleetsim keeps percentiles only for "
                    "AWS/ApplicationELB TargetResponseTime, not %s %s", md->ns, md->name);
        al->metric.statistic = SCN_STAT_PERCENTILE;
    }
    /* period x evaluation_periods <= 1 day; M of N (aws-semantics 3.1, 3.2) */
    const scn_node *pn = sect_get(s, "period");
    int rp = get_dur(s, "period", true, 60 * SIM_SEC, 1, SIM_DAY, &al->period);
    if (rp > 0 && !(al->period == 10 * SIM_SEC || al->period == 20 * SIM_SEC || al->period == 30 * SIM_SEC ||
                    al->period % (60 * SIM_SEC) == 0)) {
        scn_err(&v->c, pn, "'period' must be 10s, 20s, 30s or a multiple of 60s (an AWS rule), found %s",
                fmt_dur(b2, sizeof b2, al->period));
        rp = -1;
    }
    long long ne = 1, m = 1;
    int rn = get_int(s, "evaluation_periods", true, 1, 1, 100000, &ne);
    if (rp > 0 && rn > 0 && al->period * ne > SIM_DAY)
        scn_err(&v->c, sect_get(s, "evaluation_periods"), "'period' x 'evaluation_periods' (%s x %lld) must be "
                "at most 1 day (an AWS rule)", fmt_dur(b2, sizeof b2, al->period), ne);
    int rm = get_int(s, "datapoints_to_alarm", false, ne, 1, 100000, &m);
    if (rm > 0 && rn > 0 && m > ne)
        scn_err(&v->c, sect_get(s, "datapoints_to_alarm"), "'datapoints_to_alarm' (%lld) must be at most "
                "'evaluation_periods' (%lld)", m, ne);
    al->evaluation_periods = (int)ne;
    al->datapoints_to_alarm = (int)(rm > 0 ? m : ne);
    get_num(s, "threshold", true, 0, -1e300, false, 1e300, &al->threshold);
    int cmp = 0;
    if (sect_need(s, "comparison_operator", true))
        get_enum(s, "comparison_operator", cmps, cmp_later, &cmp, NULL);
    al->comparison = (scn_comparison)cmp;
    int tm = 0;
    get_enum(s, "treat_missing_data", missing, NULL, &tm, NULL);
    al->treat_missing_data = (scn_missing)tm;
    bool en_act = true;
    get_bool(s, "actions_enabled", true, &en_act);
    al->actions_enabled = en_act;
    load_actions(v, s, "alarm_actions", al->alarm_actions, &al->n_alarm_actions);
    load_actions(v, s, "ok_actions", al->ok_actions, &al->n_ok_actions);
    load_actions(v, s, "insufficient_data_actions", al->insufficient_data_actions, &al->n_insufficient_data_actions);
}

/* ---------------------------------------------------------------- scaling policies */

/* resource_label of ALBRequestCountPerTarget / ALBRequestCount: a target group reference, or AWS's
   "app/<lb>/<id>/targetgroup/<tg>/<id>"; the target group must be attached to the group. */
static void get_resource_label(V *v, const sect *s, bool required, int gi, int *tg_out)
{
    char b1[96];
    scenario *sc = v->s;
    const scn_node *n = sect_need(s, "resource_label", required);
    if (!n)
        return;
    if (!want_scalar(s, n, "resource_label", "a target group reference"))
        return;
    if (strncmp(n->str, "app/", 4) == 0) {
        char parts[6][256];
        int np = 0;
        const char *p = n->str;
        while (np < 6) {
            const char *q = strchr(p, '/');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (l == 0 || l >= sizeof parts[0])
                break;
            memcpy(parts[np], p, l);
            parts[np++][l] = '\0';
            if (!q)
                break;
            p = q + 1;
        }
        if (np != 6 || *p == '\0' || strchr(p, '/') || strcmp(parts[3], "targetgroup") != 0) {
            scn_err(&v->c, n, "'resource_label': expected app/<lb-name>/<lb-id>/targetgroup/<tg_out-name>/<tg_out-id> "
                    "or a target group reference, found '%s'", scn_clip(b1, sizeof b1, n->str));
            return;
        }
        const res *lr = res_find(v, parts[1]), *tr = res_find(v, parts[4]);
        if (!lr || lr->kind != RK_LB) {
            scn_err(&v->c, n, "'resource_label': no aws_lb named '%s'", scn_clip(b1, sizeof b1, parts[1]));
            return;
        }
        if (!tr || tr->kind != RK_TARGET_GROUP) {
            scn_err(&v->c, n, "'resource_label': no aws_lb_target_group named '%s'", scn_clip(b1, sizeof b1, parts[4]));
            return;
        }
        if (sc->lbs[lr->idx].target_group != tr->idx) {
            scn_err(&v->c, n, "'resource_label': target group %s is not behind load balancer %s", tr->name, lr->name);
            return;
        }
        *tg_out = tr->idx;
    } else if (resolve(v, n, "resource_label", RK_TARGET_GROUP, tg_out) < 0) {
        return;
    }
    if (gi < 0)
        return;
    const scn_asg *g = &sc->asgs[gi];
    bool attached = false;
    for (size_t i = 0; i < g->n_target_groups; i++)
        attached = attached || g->target_groups[i] == *tg_out;
    if (!attached)
        scn_err(&v->c, n, "'resource_label': target group %s is not attached to aws_autoscaling_group %s "
                "(its target_group_arns)", sc->target_groups[*tg_out].name, g->name);
    else {
        bool behind = false;
        for (size_t i = 0; i < sc->n_lbs; i++)
            behind = behind || sc->lbs[i].target_group == *tg_out;
        if (!behind)
            scn_err(&v->c, n, "'resource_label': target group %s is behind no aws_lb", sc->target_groups[*tg_out].name);
    }
}

static int step_cmp(const void *pa, const void *pb)
{
    const scn_step *a = pa, *b = pb;
    if (!a->has_lower || !b->has_lower)
        return a->has_lower - b->has_lower;
    return (a->lower > b->lower) - (a->lower < b->lower);
}

static void load_steps(V *v, const sect *s, scn_policy *p)
{
    char what[640];
    const scn_node *sn = get_seq(s, "step_adjustment", true, 20, "step_adjustment blocks");
    if (!sn)
        return;
    p->steps = calloc(sn->n, sizeof *p->steps);
    if (!p->steps) {
        scn_err(&v->c, sn, "out of memory");
        return;
    }
    p->n_steps = sn->n;
    bool bad = false;
    const scn_node *null_lower = NULL, *null_upper = NULL;
    for (size_t i = 0; i < sn->n; i++) {
        sect st;
        snprintf(what, sizeof what, "step_adjustment %zu of %.400s", i, s->what);
        if (!sect_open(v, &st, sn->kids[i], sn->kids[i], what)) {
            bad = true;
            continue;
        }
        static const char *const keys[] = {"metric_interval_lower_bound", "metric_interval_upper_bound",
                                           "scaling_adjustment", NULL};
        sect_keys(&st, keys, NULL);
        scn_step *x = &p->steps[i];
        const scn_node *lo = sect_get(&st, "metric_interval_lower_bound");
        const scn_node *hi = sect_get(&st, "metric_interval_upper_bound");
        /* null (or absent) bound = -inf / +inf */
        if (lo && scn_is_null(lo))
            lo = NULL;
        if (hi && scn_is_null(hi))
            hi = NULL;
        int rl = lo ? get_num(&st, "metric_interval_lower_bound", false, 0, -1e15, false, 1e15, &x->lower) : 0;
        int ru = hi ? get_num(&st, "metric_interval_upper_bound", false, 0, -1e15, false, 1e15, &x->upper) : 0;
        x->has_lower = rl > 0;
        x->has_upper = ru > 0;
        long long adj = 0;
        int ra = get_int(&st, "scaling_adjustment", true, 0, p->adjustment_type == SCN_ADJ_EXACT_CAPACITY ? 0 : -10000,
                         10000, &adj);
        x->adjustment = (int)adj;
        if (rl < 0 || ru < 0 || ra <= 0) {
            bad = true;
            continue;
        }
        if (x->has_lower && x->has_upper && x->upper <= x->lower) {
            scn_err(&v->c, hi, "'metric_interval_upper_bound' (%g) must be greater than the lower bound (%g)",
                    x->upper, x->lower);
            bad = true;
        }
        if (!lo) {
            if (null_lower) {
                scn_err(&v->c, sn->kids[i], "only one step may have a null 'metric_interval_lower_bound' "
                        "(an AWS rule; the other is at line %d)", null_lower->line);
                bad = true;
            }
            null_lower = sn->kids[i];
        }
        if (!hi) {
            if (null_upper) {
                scn_err(&v->c, sn->kids[i], "only one step may have a null 'metric_interval_upper_bound' "
                        "(an AWS rule; the other is at line %d)", null_upper->line);
                bad = true;
            }
            null_upper = sn->kids[i];
        }
    }
    if (bad)
        return;
    scn_step *sorted = malloc(p->n_steps * sizeof *sorted);
    if (!sorted) {
        scn_err(&v->c, sn, "out of memory");
        return;
    }
    memcpy(sorted, p->steps, p->n_steps * sizeof *sorted);
    qsort(sorted, p->n_steps, sizeof *sorted, step_cmp);
    for (size_t i = 0; i + 1 < p->n_steps; i++) {
        const scn_step *a = &sorted[i], *b = &sorted[i + 1];
        if (!a->has_upper || (b->has_lower && a->upper > b->lower)) {
            scn_err(&v->c, sn, "step_adjustment ranges overlap: [%s%g, %s%g) and [%g, ...) (an AWS rule: "
                    "no overlaps, no gaps)", a->has_lower ? "" : "-inf", a->has_lower ? a->lower : 0,
                    a->has_upper ? "" : "+inf", a->has_upper ? a->upper : 0, b->lower);
            break;
        }
        if (a->upper < b->lower) {
            scn_err(&v->c, sn, "step_adjustment ranges leave a gap between %g and %g (an AWS rule: no overlaps, "
                    "no gaps)", a->upper, b->lower);
            break;
        }
    }
    free(sorted);
}

/* TT (and predictive) predefined metric types. */
static const char *const tt_types[] = {"ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut",
                                       "ALBRequestCountPerTarget", NULL};
static const char *const pred_types[] = {"ASGCPUUtilization", "ASGNetworkIn", "ASGNetworkOut", "ALBRequestCount",
                                         NULL};

static void load_tt(V *v, const sect *ps, scn_policy *p)
{
    char what[512];
    const scn_node *n = sect_need(ps, "target_tracking_configuration", true);
    sect s;
    snprintf(what, sizeof what, "target_tracking_configuration of %.400s", ps->what);
    if (!n || !sect_open(v, &s, n, n, what))
        return;
    static const char *const keys[] = {"predefined_metric_specification", "customized_metric_specification",
                                       "target_value", "disable_scale_in", "scale_out_evaluation_periods",
                                       "scale_in_evaluation_periods", "scale_in_threshold_ratio",
                                       "predefined_metric_type", NULL};
    sect_keys(&s, keys, NULL);
    const scn_node *flat = sect_key(&s, "predefined_metric_type");
    if (flat) /* the shorthand of early drafts: point at Terraform's nesting */
        scn_err(&v->c, flat, "'predefined_metric_type' goes inside 'predefined_metric_specification' (as in "
                "Terraform): predefined_metric_specification: {predefined_metric_type: %s}",
                sect_get(&s, "predefined_metric_type")->kind == SCN_N_SCALAR ? sect_get(&s, "predefined_metric_type")->str
                                                                                : "...");
    const scn_node *pm = sect_get(&s, "predefined_metric_specification");
    const scn_node *cm = sect_get(&s, "customized_metric_specification");
    if (pm && cm) {
        scn_err(&v->c, sect_key(&s, "customized_metric_specification"), "%s: give one metric specification, "
                "predefined_metric_specification or customized_metric_specification, not both", what);
    } else if (!pm && !cm) {
        if (!flat)
            scn_err(&v->c, n, "%s needs a metric: predefined_metric_specification or "
                    "customized_metric_specification", what);
    } else if (pm) {
        sect m;
        char mwhat[640];
        snprintf(mwhat, sizeof mwhat, "predefined_metric_specification of %.400s", ps->what);
        if (sect_open(v, &m, pm, pm, mwhat)) {
            static const char *const mkeys[] = {"predefined_metric_type", "resource_label", NULL};
            sect_keys(&m, mkeys, NULL);
            int t = 0;
            if (sect_need(&m, "predefined_metric_type", true) &&
                get_enum(&m, "predefined_metric_type", tt_types, NULL, &t, NULL) > 0) {
                p->tt_metric = (scn_tt_metric)t;
                if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
                    get_resource_label(v, &m, true, p->asg, &p->tt_tg);
                else if (sect_key(&m, "resource_label"))
                    scn_err(&v->c, sect_key(&m, "resource_label"), "'resource_label' applies only to "
                            "ALBRequestCountPerTarget");
            }
        }
    } else {
        sect m;
        char mwhat[640];
        snprintf(mwhat, sizeof mwhat, "customized_metric_specification of %.400s", ps->what);
        p->tt_metric = SCN_TT_CUSTOM;
        p->tt_custom = (scn_metric){.asg = -1, .lb = -1, .tg = -1};
        if (sect_open(v, &m, cm, cm, mwhat)) {
            static const char *const mkeys[] = {"namespace", "metric_name", "metric_dimension", "statistic", "unit",
                                                NULL};
            static const char *const mlater[] = {"metrics", NULL};
            sect_keys(&m, mkeys, mlater);
            const scn_node *nsn = NULL, *mn = NULL;
            int r1 = get_str(&m, "namespace", true, 255, NULL, 0, &nsn);
            int r2 = get_str(&m, "metric_name", true, 255, NULL, 0, &mn);
            get_str(&m, "unit", false, 64, NULL, 0, NULL);
            int st = 0;
            if (sect_need(&m, "statistic", true))
                get_enum(&m, "statistic", stat_names, NULL, &st, NULL);
            p->tt_custom.statistic = (scn_statistic)st;
            const mdef *md = r1 > 0 && r2 > 0 ? find_metric(v, nsn, mn) : NULL;
            const scn_node *dn = sect_get(&m, "metric_dimension");
            if (md) {
                p->tt_custom.id = md->id;
                unsigned seen = 0;
                bool good = true;
                if (dn && dn->kind != SCN_N_SEQ) {
                    scn_err(&v->c, dn, "'metric_dimension': expected a sequence of {name, value} blocks, found %s",
                            scn_kind_name(dn));
                    good = false;
                }
                for (size_t i = 0; dn && good && i < dn->n; i++) {
                    sect d;
                    char dwhat[720];
                    snprintf(dwhat, sizeof dwhat, "metric_dimension %zu of %.400s", i, ps->what);
                    if (!sect_open(v, &d, dn->kids[i], dn->kids[i], dwhat)) {
                        good = false;
                        continue;
                    }
                    static const char *const dkeys[] = {"name", "value", NULL};
                    sect_keys(&d, dkeys, NULL);
                    const scn_node *dname = NULL;
                    const scn_node *dval = sect_need(&d, "value", true);
                    if (get_str(&d, "name", true, 255, NULL, 0, &dname) <= 0 || !dval) {
                        good = false;
                        continue;
                    }
                    good &= apply_dim(v, md, dname, dval, &p->tt_custom, &seen);
                }
                if (good)
                    check_dims(v, md, dn ? dn : cm, &p->tt_custom, seen);
            }
        }
    }
    double hi = p->tt_metric == SCN_TT_ASG_CPU ? 100 : 1e12;
    get_num(&s, "target_value", true, 0, 0, true, hi, &p->target_value);
    bool dsi = false;
    get_bool(&s, "disable_scale_in", false, &dsi);
    p->disable_scale_in = dsi;
    long long x;
    get_int(&s, "scale_out_evaluation_periods", false, 3, 1, 1440, &x);
    p->tt_scale_out_periods = (int)x;
    get_int(&s, "scale_in_evaluation_periods", false, 15, 1, 1440, &x);
    p->tt_scale_in_periods = (int)x;
    get_num(&s, "scale_in_threshold_ratio", false, 0.7, 0, true, 1, &p->tt_scale_in_ratio);
}

static void load_predictive(V *v, const sect *ps, scn_policy *p)
{
    char what[512], mwhat[640], pwhat[720];
    const scn_node *n = sect_need(ps, "predictive_scaling_configuration", true);
    sect s;
    snprintf(what, sizeof what, "predictive_scaling_configuration of %.400s", ps->what);
    if (!n || !sect_open(v, &s, n, n, what))
        return;
    static const char *const keys[] = {"metric_specification", "mode", "scheduling_buffer_time",
                                       "max_capacity_breach_behavior", "max_capacity_buffer", NULL};
    static const char *const modes[] = {"ForecastOnly", "ForecastAndScale", NULL};
    static const char *const breach[] = {"HonorMaxCapacity", "IncreaseMaxCapacity", NULL};
    sect_keys(&s, keys, NULL);
    int mode = 0, br = 0;
    get_enum(&s, "mode", modes, NULL, &mode, NULL);
    p->pred_mode = (scn_predictive_mode)mode;
    get_dur(&s, "scheduling_buffer_time", false, 300 * SIM_SEC, 0, 3599 * SIM_SEC, &p->pred_buffer);
    get_enum(&s, "max_capacity_breach_behavior", breach, NULL, &br, NULL);
    p->pred_increase_max = br;
    long long buf = 0;
    int rb = get_int(&s, "max_capacity_buffer", false, 0, 0, 100, &buf);
    if (rb > 0 && !br)
        scn_err(&v->c, sect_key(&s, "max_capacity_buffer"), "'max_capacity_buffer' applies only with "
                "max_capacity_breach_behavior IncreaseMaxCapacity");
    p->pred_max_buffer_pct = (int)buf;
    const scn_node *msn = sect_need(&s, "metric_specification", true);
    sect m;
    snprintf(mwhat, sizeof mwhat, "metric_specification of %.400s", what);
    if (!msn || !sect_open(v, &m, msn, msn, mwhat))
        return;
    static const char *const mkeys[] = {"target_value", "predefined_metric_pair_specification", NULL};
    static const char *const mlater[] = {"predefined_scaling_metric_specification",
                                         "predefined_load_metric_specification",
                                         "customized_scaling_metric_specification",
                                         "customized_load_metric_specification",
                                         "customized_capacity_metric_specification", NULL};
    sect_keys(&m, mkeys, mlater);
    get_num(&m, "target_value", true, 0, 0, true, 1e12, &p->target_value);
    const scn_node *pp = sect_need(&m, "predefined_metric_pair_specification", true);
    sect q;
    snprintf(pwhat, sizeof pwhat, "predefined_metric_pair_specification of %.400s", ps->what);
    if (!pp || !sect_open(v, &q, pp, pp, pwhat))
        return;
    static const char *const qkeys[] = {"predefined_metric_type", "resource_label", NULL};
    sect_keys(&q, qkeys, NULL);
    int t = 0;
    if (sect_need(&q, "predefined_metric_type", true) &&
        get_enum(&q, "predefined_metric_type", pred_types, NULL, &t, NULL) > 0) {
        p->pred_metric = (scn_tt_metric)t; /* same order as tt_types */
        if (t == SCN_TT_ALB_REQUESTS_PER_TARGET)
            get_resource_label(v, &q, true, p->asg, &p->tt_tg);
        else if (sect_key(&q, "resource_label"))
            scn_err(&v->c, sect_key(&q, "resource_label"), "'resource_label' applies only to ALBRequestCount");
    }
}

static void load_policy(V *v, const sect *s, scn_policy *p)
{
    static const char *const keys[] = {"type", "name", "autoscaling_group_name", "policy_type", "enabled",
                                       "adjustment_type", "scaling_adjustment", "cooldown",
                                       "min_adjustment_magnitude", "metric_aggregation_type", "step_adjustment",
                                       "estimated_instance_warmup", "target_tracking_configuration",
                                       "predictive_scaling_configuration", NULL};
    static const char *const types[] = {"SimpleScaling", "StepScaling", "TargetTrackingScaling", "PredictiveScaling",
                                        NULL};
    static const char *const adjs[] = {"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity", NULL};
    static const char *const aggs[] = {"Average", "Minimum", "Maximum", NULL};
    sect_keys(s, keys, NULL);
    get_str(s, "name", false, 255, NULL, 0, NULL);
    get_ref(s, "autoscaling_group_name", true, RK_ASG, &p->asg);
    int type = SCN_POL_SIMPLE;
    if (get_enum(s, "policy_type", types, NULL, &type, NULL) < 0)
        return;
    p->type = (scn_policy_type)type;
    bool en = true;
    get_bool(s, "enabled", true, &en);
    p->enabled = en;
    static const char *const simple_keys[] = {"scaling_adjustment", "cooldown", NULL};
    static const char *const adj_keys[] = {"adjustment_type", "min_adjustment_magnitude", NULL};
    static const char *const step_keys[] = {"metric_aggregation_type", "step_adjustment", NULL};
    static const char *const warm_keys[] = {"estimated_instance_warmup", NULL};
    static const char *const tt_keys[] = {"target_tracking_configuration", NULL};
    static const char *const pred_keys[] = {"predictive_scaling_configuration", NULL};
    if (type != SCN_POL_SIMPLE)
        only_for(s, simple_keys, "SimpleScaling policies");
    if (type != SCN_POL_SIMPLE && type != SCN_POL_STEP)
        only_for(s, adj_keys, "SimpleScaling and StepScaling policies");
    if (type != SCN_POL_STEP)
        only_for(s, step_keys, "StepScaling policies");
    if (type != SCN_POL_STEP && type != SCN_POL_TARGET_TRACKING)
        only_for(s, warm_keys, "StepScaling and TargetTrackingScaling policies");
    if (type != SCN_POL_TARGET_TRACKING)
        only_for(s, tt_keys, "TargetTrackingScaling policies");
    if (type != SCN_POL_PREDICTIVE)
        only_for(s, pred_keys, "PredictiveScaling policies");
    if (type == SCN_POL_SIMPLE || type == SCN_POL_STEP) {
        int adj = 0;
        if (!sect_get(s, "adjustment_type"))
            scn_err(&v->c, s->owner, "missing required key 'adjustment_type' in %s: %s policies need one of "
                    "ChangeInCapacity, ExactCapacity, PercentChangeInCapacity", s->what, types[type]);
        else
            get_enum(s, "adjustment_type", adjs, NULL, &adj, NULL);
        p->adjustment_type = (scn_adjustment)adj;
        long long x = 0;
        if (get_int(s, "min_adjustment_magnitude", false, 0, 1, 10000, &x) > 0 &&
            p->adjustment_type != SCN_ADJ_PERCENT_CHANGE)
            scn_err(&v->c, sect_key(s, "min_adjustment_magnitude"), "'min_adjustment_magnitude' applies only "
                    "with adjustment_type PercentChangeInCapacity (an AWS rule)");
        p->min_adjustment_magnitude = (int)x;
    }
    if (type == SCN_POL_SIMPLE) {
        long long x = 0;
        get_int(s, "scaling_adjustment", true, 0, p->adjustment_type == SCN_ADJ_EXACT_CAPACITY ? 0 : -10000, 10000,
                &x);
        p->scaling_adjustment = (int)x;
        get_dur(s, "cooldown", false, -1, 0, BIG_DUR, &p->cooldown);
    }
    if (type == SCN_POL_STEP) {
        int agg = 0;
        get_enum(s, "metric_aggregation_type", aggs, NULL, &agg, NULL);
        p->metric_aggregation_type = (scn_aggregation)agg;
        load_steps(v, s, p);
    }
    if (type == SCN_POL_STEP || type == SCN_POL_TARGET_TRACKING)
        get_dur(s, "estimated_instance_warmup", false, -1, 0, BIG_DUR, &p->estimated_instance_warmup);
    if (type == SCN_POL_TARGET_TRACKING)
        load_tt(v, s, p);
    if (type == SCN_POL_PREDICTIVE)
        load_predictive(v, s, p);
}

/* ---------------------------------------------------------------- scheduled actions */

#define MAX_SCHEDULES_PER_GROUP 125 /* aws-semantics 1.10 */

static void load_schedule(V *v, const sect *s, scn_schedule *sc)
{
    static const char *const keys[] = {"type", "scheduled_action_name", "autoscaling_group_name", "min_size",
                                       "max_size", "desired_capacity", "start_time", "end_time", "recurrence",
                                       "time_zone", NULL};
    char b1[96], b2[32], b3[32], why[256];
    sect_keys(s, keys, NULL);
    get_str(s, "scheduled_action_name", false, 255, NULL, 0, NULL);
    get_ref(s, "autoscaling_group_name", true, RK_ASG, &sc->asg);
    long long mn = -1, mx = -1, des = -1;
    int r1 = get_int(s, "min_size", false, -1, 0, 10000, &mn);
    int r2 = get_int(s, "max_size", false, -1, 0, 10000, &mx);
    int r3 = get_int(s, "desired_capacity", false, -1, 0, 10000, &des);
    sc->min_size = (int)mn;
    sc->max_size = (int)mx;
    sc->desired_capacity = (int)des;
    if (r1 == 0 && r2 == 0 && r3 == 0)
        scn_err(&v->c, s->owner, "%s needs at least one of min_size, max_size and desired_capacity", s->what);
    if (r1 > 0 && r2 > 0 && mn > mx)
        scn_err(&v->c, sect_get(s, "max_size"), "'max_size' (%lld) must be at least 'min_size' (%lld)", mx, mn);
    else if (r3 > 0 && ((r1 > 0 && des < mn) || (r2 > 0 && des > mx)))
        scn_err(&v->c, sect_get(s, "desired_capacity"), "'desired_capacity' (%lld) must be between min_size and "
                "max_size", des);
    const scn_node *tz = NULL;
    if (get_str(s, "time_zone", false, 64, NULL, 0, &tz) > 0 && strcmp(tz->str, "UTC") != 0 &&
        strcmp(tz->str, "Etc/UTC") != 0)
        scn_err(&v->c, tz, "'time_zone': %s is not supported yet: recurrences run in UTC (use UTC or Etc/UTC)",
                scn_clip(b1, sizeof b1, tz->str));
    const scn_node *sn = NULL, *en = NULL;
    sc->start_time = -1;
    sc->end_time = -1;
    sim_time_t st = -1, et = -1;
    int rs = get_when(s, "start_time", &st, &sn);
    int re = get_when(s, "end_time", &et, &en);
    const scn_node *rn = NULL;
    int rr = get_str(s, "recurrence", false, sizeof sc->recurrence - 1, sc->recurrence, sizeof sc->recurrence, &rn);
    if (rr > 0) {
        /* The grammar check is sched_cron_parse's, so the loader and the model agree. Before it: only
           digits and * , - / and blanks, and no number over two digits. */
        const char *bad = NULL;
        int run = 0;
        for (const char *p = sc->recurrence; *p && !bad; p++) {
            run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
            if (!strchr("0123456789*,-/ \t", *p) || run > 2)
                bad = p;
        }
        sched_cron c;
        if (bad && ((*bad >= 'A' && *bad <= 'Z') || (*bad >= 'a' && *bad <= 'z')))
            scn_err(&v->c, rn, "'recurrence': names (MON, JAN, @daily) are not supported: use numbers, e.g. "
                    "\"0 8 * * 1-5\" (day-of-week 0-7, 0 and 7 = Sunday)");
        else if (bad)
            scn_err(&v->c, rn, "'recurrence': invalid cron '%s': 5 fields of numbers, *, lists (a,b), ranges "
                    "(a-b) and steps (*/n)", scn_clip(b1, sizeof b1, sc->recurrence));
        else if (sched_cron_parse(sc->recurrence, &c, why, sizeof why) != 0)
            scn_err(&v->c, rn, "'recurrence': %s", why);
        else if (sched_cron_next(&c, v->s->start_epoch) < 0)
            scn_err(&v->c, rn, "'recurrence': cron '%s' never matches a date", scn_clip(b1, sizeof b1, sc->recurrence));
    }
    if (rs > 0) {
        if (st < 0 && rr <= 0) {
            scn_err(&v->c, sn, "'start_time' is before the scenario's start_time: a one-off action would never run");
            st = -1;
        }
        sc->start_time = st < 0 ? 0 : st; /* a recurrence that started earlier is active from t = 0 */
    }
    if (rs == 0 && rr == 0)
        scn_err(&v->c, s->owner, "%s needs 'start_time' (a one-off action) or 'recurrence' (a cron)", s->what);
    if (re > 0) {
        if (et < 0)
            scn_err(&v->c, en, "'end_time' is before the scenario's start_time");
        else if (rs > 0 && et <= st)
            scn_err(&v->c, en, "'end_time' (%s) must be after 'start_time' (%s)", fmt_dur(b2, sizeof b2, et),
                    fmt_dur(b3, sizeof b3, st < 0 ? 0 : st));
        else if (rr == 0)
            scn_err(&v->c, en, "'end_time' applies only to an action with a 'recurrence'");
        sc->end_time = et;
    }
    if (sc->asg >= 0 && v->sched_count && ++v->sched_count[sc->asg] == MAX_SCHEDULES_PER_GROUP + 1)
        scn_err(&v->c, s->owner, "aws_autoscaling_group %s has more than %d scheduled actions (an AWS limit)",
                v->s->asgs[sc->asg].name, MAX_SCHEDULES_PER_GROUP);
}

/* No two actions of a group may share a start time (aws-semantics 2.4). */
static int sched_cmp(const void *pa, const void *pb)
{
    const scn_schedule *a = *(const scn_schedule *const *)pa, *b = *(const scn_schedule *const *)pb;
    if (a->asg != b->asg)
        return a->asg < b->asg ? -1 : 1;
    if (a->start_time != b->start_time)
        return a->start_time < b->start_time ? -1 : 1;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    return (a->loc.col > b->loc.col) - (a->loc.col < b->loc.col);
}

static void check_schedules(V *v)
{
    scenario *sc = v->s;
    char b1[32];
    if (sc->n_schedules < 2)
        return;
    const scn_schedule **p = malloc(sc->n_schedules * sizeof *p);
    if (!p) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < sc->n_schedules; i++)
        if (sc->schedules[i].asg >= 0 && sc->schedules[i].start_time >= 0 && sc->schedules[i].name)
            p[n++] = &sc->schedules[i];
    qsort(p, n, sizeof *p, sched_cmp);
    for (size_t i = 1; i < n; i++)
        if (p[i]->asg == p[i - 1]->asg && p[i]->start_time == p[i - 1]->start_time)
            scn_err_at(&v->c, p[i]->loc.line, p[i]->loc.col, "scheduled actions %s and %s of %s share the start "
                       "time %s (AWS refuses two actions with one start time)", p[i - 1]->name, p[i]->name,
                       sc->asgs[p[i]->asg].name, fmt_dur(b1, sizeof b1, p[i]->start_time));
    free(p);
}

/* ---------------------------------------------------------------- faults and operations */

typedef struct fseq {
    scn_fault f;
    size_t seq;
} fseq;

static int fseq_cmp(const void *pa, const void *pb)
{
    const fseq *a = pa, *b = pb;
    if (a->f.at != b->f.at)
        return a->f.at < b->f.at ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* One entry of `faults:` (ops false) or `operations:` (ops true). */
static bool load_fault(V *v, const scn_node *e, bool ops, size_t i, scn_fault *f)
{
    static const char *const fkinds[] = {"instance_crash", "app_unhealthy", "az_outage", NULL};
    static const char *const okinds[] = {"set_desired_capacity", "instance_refresh", NULL};
    static const char *const flater[] = {"spot_interruption", "instance_impaired", "lambda_error", NULL};
    static const char *const olater[] = {"update_auto_scaling_group", "suspend_processes", "detach_instances",
                                         "set_instance_health", NULL};
    char what[128], b1[32], b2[32];
    scenario *sc = v->s;
    snprintf(what, sizeof what, "%s %zu", ops ? "operation" : "fault", i);
    sect s;
    *f = (scn_fault){.loc = {e->line, e->col}, .asg = -1, .count = 1, .launch_template = -1,
                     .min_healthy_percentage = 90, .instance_warmup = -1};
    if (!sect_open(v, &s, e, e, what))
        return false;
    int k = -1;
    if (!sect_need(&s, "kind", true) || get_enum(&s, "kind", ops ? okinds : fkinds, ops ? olater : flater, &k, NULL) < 0) {
        static const char *const any[] = {"kind", "at", "autoscaling_group", "count", "duration", "zone",
                                          "desired_capacity", "honor_cooldown", "launch_template",
                                          "min_healthy_percentage", "instance_warmup", NULL};
        sect_keys(&s, any, NULL);
        return false;
    }
    f->kind = (scn_fault_kind)(ops ? SCN_OP_SET_DESIRED_CAPACITY + k : k);
    static const char *const k_crash[] = {"kind", "at", "autoscaling_group", "count", NULL};
    static const char *const k_app[] = {"kind", "at", "autoscaling_group", "count", "duration", NULL};
    static const char *const k_az[] = {"kind", "at", "zone", "duration", NULL};
    static const char *const k_set[] = {"kind", "at", "autoscaling_group", "desired_capacity", "honor_cooldown", NULL};
    static const char *const k_ref[] = {"kind", "at", "autoscaling_group", "launch_template",
                                        "min_healthy_percentage", "instance_warmup", NULL};
    static const char *const *const kk[] = {k_crash, k_app, k_az, k_set, k_ref};
    snprintf(what, sizeof what, "%s %zu (%s)", ops ? "operation" : "fault", i, (ops ? okinds : fkinds)[k]);
    s.what = what;
    sect_keys(&s, kk[f->kind], NULL);
    int ra = get_dur(&s, "at", true, 0, 0, BIG_DUR, &f->at);
    if (ra > 0 && sc->duration > 0 && f->at >= sc->duration)
        scn_err(&v->c, sect_get(&s, "at"), "'at' (%s) must be before the end of the run (duration %s)",
                fmt_dur(b1, sizeof b1, f->at), fmt_dur(b2, sizeof b2, sc->duration));
    long long x;
    switch (f->kind) {
    case SCN_FAULT_APP_UNHEALTHY:
        get_dur(&s, "duration", false, 0, 0, BIG_DUR, &f->duration);
        /* fall through */
    case SCN_FAULT_INSTANCE_CRASH:
        get_ref(&s, "autoscaling_group", true, RK_ASG, &f->asg);
        get_int(&s, "count", false, 1, 1, 10000, &x);
        f->count = (int)x;
        break;
    case SCN_FAULT_AZ_OUTAGE: {
        get_dur(&s, "duration", false, 0, 0, BIG_DUR, &f->duration);
        const scn_node *zn = NULL;
        if (get_str(&s, "zone", true, sizeof f->zone - 1, f->zone, sizeof f->zone, &zn) > 0 && check_az(v, zn, f->zone)) {
            bool used = false;
            for (size_t g = 0; g < sc->n_asgs; g++)
                for (size_t z = 0; z < sc->asgs[g].n_availability_zones; z++)
                    used = used || strcmp(sc->asgs[g].availability_zones[z], f->zone) == 0;
            if (!used)
                scn_err(&v->c, zn, "zone %s is in no aws_autoscaling_group's availability_zones", f->zone);
        }
        break;
    }
    case SCN_OP_SET_DESIRED_CAPACITY: {
        get_ref(&s, "autoscaling_group", true, RK_ASG, &f->asg);
        get_int(&s, "desired_capacity", true, 0, 0, 10000, &x);
        f->desired_capacity = (int)x;
        bool hc = false;
        get_bool(&s, "honor_cooldown", false, &hc);
        f->honor_cooldown = hc;
        break;
    }
    case SCN_OP_INSTANCE_REFRESH:
        get_ref(&s, "autoscaling_group", true, RK_ASG, &f->asg);
        get_ref(&s, "launch_template", false, RK_LAUNCH_TEMPLATE, &f->launch_template);
        get_int(&s, "min_healthy_percentage", false, 90, 0, 100, &x);
        f->min_healthy_percentage = (int)x;
        get_dur(&s, "instance_warmup", false, -1, 0, BIG_DUR, &f->instance_warmup);
        break;
    }
    return true;
}

static void load_faults(V *v, const scn_node *faults, const scn_node *ops)
{
    scenario *sc = v->s;
    const scn_node *lists[2] = {faults, ops};
    size_t total = 0;
    for (int l = 0; l < 2; l++) {
        const scn_node *n = lists[l];
        if (!n)
            continue;
        if (n->kind != SCN_N_SEQ) {
            scn_err(&v->c, n, "'%s': expected a sequence, found %s", l ? "operations" : "faults", scn_kind_name(n));
            lists[l] = NULL;
            continue;
        }
        total += n->n;
    }
    if (total == 0)
        return;
    fseq *all = calloc(total, sizeof *all);
    if (!all) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    size_t n = 0;
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l] && i < lists[l]->n; i++) {
            all[n].seq = n;
            if (load_fault(v, lists[l]->kids[i], l == 1, i, &all[n].f))
                n++;
        }
    qsort(all, n, sizeof *all, fseq_cmp);
    sc->faults = calloc(n ? n : 1, sizeof *sc->faults);
    if (!sc->faults) {
        free(all);
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++)
        sc->faults[i] = all[i].f;
    sc->n_faults = n;
    free(all);
}

/* ---------------------------------------------------------------- arrivals: generated points */

/* Appends (at, rps) unless it repeats the last point's time (then it replaces that rate). */
static void pt_add(scn_rate_point *pts, size_t *n, sim_time_t at, double rps)
{
    if (*n && pts[*n - 1].at == at) {
        pts[*n - 1].rps = rps;
        return;
    }
    pts[(*n)++] = (scn_rate_point){at, rps};
}

static bool pts_alloc(V *v, const scn_node *at, scn_workload *w, size_t cap)
{
    w->points = calloc(cap, sizeof *w->points);
    if (!w->points) {
        scn_err(&v->c, at, "out of memory");
        return false;
    }
    return true;
}

/* diurnal with `profile: [24 values]`: one point per hour, repeated over the run, linear between hours. */
static void diurnal_profile(V *v, const sect *s, const scn_node *pn, scn_workload *w)
{
    if (pn->kind != SCN_N_SEQ || pn->n != 24) {
        char found[32];
        snprintf(found, sizeof found, "%zu", pn->n);
        scn_err(&v->c, pn, "'profile': expected a sequence of 24 hourly rps values (00:00 to 23:00 UTC), found %s",
                pn->kind == SCN_N_SEQ ? found : scn_kind_name(pn));
        return;
    }
    double prof[24];
    bool bad = false, any = false;
    char b1[96];
    for (size_t i = 0; i < 24; i++) {
        const scn_node *e = pn->kids[i];
        double x = 0;
        if (!want_scalar(s, e, "profile", "a number of requests per second")) {
            bad = true;
        } else if (!parse_number(e->str, &x) || x < 0 || x > 1e9) {
            scn_err(&v->c, e, "'profile': expected a number of requests per second in 0..1e9, found '%s'",
                    scn_clip(b1, sizeof b1, e->str));
            bad = true;
        }
        prof[i] = x;
        any = any || x > 0;
    }
    if (bad)
        return;
    if (!any) {
        scn_err(&v->c, pn, "every profile value is 0: the workload would send no requests");
        return;
    }
    sim_time_t dur = v->s->duration > 0 ? v->s->duration : SIM_HOUR;
    /* The profile is in UTC hours of the day: hour 0 of the run is the hour of start_time. */
    int64_t h0 = (v->s->start_epoch % 86400 + 86400) % 86400 / 3600;
    sim_time_t off = (sim_time_t)((v->s->start_epoch % 3600 + 3600) % 3600) * SIM_SEC;
    size_t cap = (size_t)(dur / SIM_HOUR) + 3;
    if (!pts_alloc(v, pn, w, cap))
        return;
    size_t n = 0;
    /* t = 0 lies `off` into UTC hour h0: interpolate there, then one point per UTC hour boundary. */
    double r0 = prof[h0], r1 = prof[(h0 + 1) % 24];
    pt_add(w->points, &n, 0, r0 + (r1 - r0) * ((double)off / (double)SIM_HOUR));
    for (size_t k = 1; n < cap; k++) {
        sim_time_t at = (sim_time_t)k * SIM_HOUR - off;
        pt_add(w->points, &n, at, prof[(h0 + k) % 24]);
        if (at >= dur)
            break;
    }
    w->n_points = n;
}

/* ---------------------------------------------------------------- arrivals: traces */

#define MAX_TRACE_ROWS 10000000

/* The directory part of path (with its '/'), or "" for a bare name. */
static void dir_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t l = slash ? (size_t)(slash - path) + 1 : 0;
    if (l >= size)
        l = 0;
    memcpy(out, path, l);
    out[l] = '\0';
}

/* Reads a trace CSV: first column per row; blank lines and '#' comments skipped; a first row whose first
   field starts with a letter is a header. Timestamps: seconds from the start of the run, non-decreasing;
   counts: requests per interval, >= 0. Every error names the CSV's line and column, and the scenario node. */
static void load_trace_csv(V *v, const scn_node *fn, const char *path, bool counts, scn_workload *w)
{
    char b1[4100], b2[96]; /* the whole path: the message must name the CSV file */
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it before any read. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    FILE *f = NULL;
    struct stat st;
    if (fd < 0) {
        scn_err(&v->c, fn, "'file': cannot open trace %s: %s", scn_clip(b1, sizeof b1, path), strerror(errno));
        return;
    }
    if (fstat(fd, &st) != 0)
        st.st_mode = 0;
    if (!S_ISREG(st.st_mode)) {
        scn_err(&v->c, fn, "'file': trace %s is not a regular file%s", scn_clip(b1, sizeof b1, path),
                S_ISDIR(st.st_mode) ? " (it is a directory)" : S_ISFIFO(st.st_mode) ? " (it is a FIFO)" : "");
        close(fd);
        return;
    }
    if (!(f = fdopen(fd, "rb"))) {
        scn_err(&v->c, fn, "'file': cannot read trace %s: %s", scn_clip(b1, sizeof b1, path), strerror(errno));
        close(fd);
        return;
    }
    if (st.st_size == 0) { /* also keeps the loader off /proc files, which claim size 0 and may block */
        scn_err(&v->c, fn, "'file': trace %s is empty", scn_clip(b1, sizeof b1, path));
        fclose(f);
        return;
    }
    size_t cap = 0, n = 0;
    sim_time_t *times = NULL;
    double *vals = NULL;
    long line = 1;
    bool data_seen = false, bad = false;
    char field[80];
    int c = getc(f);
    while (c != EOF && !bad) {
        /* one line: skip comments and blanks */
        if (c == '#') {
            while (c != EOF && c != '\n' && c != '\r')
                c = getc(f);
        }
        if (c == '\n' || c == '\r' || c == EOF) { /* LF, CR LF, or a lone CR (old Mac files) ends a line */
            if (c != EOF) {
                line++;
                int next = getc(f);
                c = c == '\r' && next == '\n' ? getc(f) : next;
            }
            continue;
        }
        size_t len = 0;
        long col = 1;
        while (c == ' ' || c == '\t') {
            c = getc(f);
            col++;
        }
        while (c != EOF && c != ',' && c != '\n' && c != '\r' && c != ' ' && c != '\t' && len + 1 < sizeof field) {
            field[len++] = (char)c;
            c = getc(f);
        }
        field[len] = '\0';
        if (len + 1 >= sizeof field && c != EOF && c != ',' && c != '\n' && c != '\r' && c != ' ' && c != '\t') {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: field longer than %zu characters", scn_clip(b1, sizeof b1, path),
                    line, col, sizeof field - 2);
            bad = true;
            break;
        }
        long after = col + (long)len;
        while (c == ' ' || c == '\t') {
            c = getc(f);
            after++;
        }
        if (c != EOF && c != ',' && c != '\n' && c != '\r') {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: unexpected '%c' after the value (columns are separated by ',')",
                    scn_clip(b1, sizeof b1, path), line, after, c >= 32 && c < 127 ? c : '?');
            bad = true;
            break;
        }
        while (c != EOF && c != '\n' && c != '\r') /* the rest of the row */
            c = getc(f);
        bool header = !data_seen && ((field[0] >= 'A' && field[0] <= 'Z') || (field[0] >= 'a' && field[0] <= 'z'));
        data_seen = true;
        if (header || len == 0) {
            if (len == 0) {
                scn_err(&v->c, fn, "trace %s:%ld:%ld: empty first field", scn_clip(b1, sizeof b1, path), line, col);
                bad = true;
            }
            continue;
        }
        if (n == MAX_TRACE_ROWS) {
            scn_err(&v->c, fn, "trace %s:%ld:1: more than %d rows", scn_clip(b1, sizeof b1, path), line,
                    MAX_TRACE_ROWS);
            bad = true;
            break;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            void *p = counts ? realloc(vals, nc * sizeof *vals) : realloc(times, nc * sizeof *times);
            if (!p) {
                scn_err(&v->c, fn, "out of memory reading trace %s", scn_clip(b1, sizeof b1, path));
                bad = true;
                break;
            }
            if (counts)
                vals = p;
            else
                times = p;
            cap = nc;
        }
        double x;
        if (!parse_number(field, &x) || x < 0 || (counts && x > 1e12)) {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: expected %s, found '%s'", scn_clip(b1, sizeof b1, path), line, col,
                    counts ? "a request count (a number >= 0)" : "a time in seconds (a number >= 0)",
                    scn_clip(b2, sizeof b2, field));
            bad = true;
            break;
        }
        if (counts) {
            /* The arrival-rate limit every other kind has (rps at most 1e9), row by row. */
            double rps = w->trace_interval > 0 ? x / sec(w->trace_interval) : 0;
            if (rps > 1e9) {
                char b3[32];
                scn_err(&v->c, fn, "trace %s:%ld:%ld: row %zu: %s requests per %s interval is %.4g requests "
                        "per second; expected at most 1e9 (the arrival-rate limit)", scn_clip(b1, sizeof b1, path),
                        line, col, n + 1, scn_clip(b2, sizeof b2, field), fmt_dur(b3, sizeof b3, w->trace_interval),
                        rps);
                bad = true;
                break;
            }
            vals[n++] = x;
            continue;
        }
        char dbuf[96], why[256];
        snprintf(dbuf, sizeof dbuf, "%ss", field);
        sim_time_t t;
        if (parse_duration(dbuf, &t, why, sizeof why) || t > BIG_DUR) {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: time '%s' is not a number of seconds from 0 to 400 days "
                    "(timestamps are offsets from the start of the run)", scn_clip(b1, sizeof b1, path), line, col,
                    scn_clip(b2, sizeof b2, field));
            bad = true;
            break;
        }
        if (n && t < times[n - 1]) {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: time %s s is before the previous row's: timestamps must not "
                    "decrease", scn_clip(b1, sizeof b1, path), line, col, scn_clip(b2, sizeof b2, field));
            bad = true;
            break;
        }
        times[n++] = t;
    }
    if (!bad && ferror(f)) {
        scn_err(&v->c, fn, "'file': cannot read trace %s", scn_clip(b1, sizeof b1, path));
        bad = true;
    }
    fclose(f);
    if (!bad && n == 0) {
        scn_err(&v->c, fn, "trace %s:%ld:1: no rows", scn_clip(b1, sizeof b1, path), line);
        bad = true;
    }
    if (!bad && counts) {
        bool any = false;
        for (size_t i = 0; i < n; i++)
            any = any || vals[i] > 0;
        if (!any) {
            scn_err(&v->c, fn, "trace %s: every count is 0: the workload would send no requests",
                    scn_clip(b1, sizeof b1, path));
            bad = true;
        }
    }
    if (!bad && !counts && w->trace_loop && times[n - 1] == 0) {
        scn_err(&v->c, fn, "trace %s: every timestamp is 0, so it cannot loop", scn_clip(b1, sizeof b1, path));
        bad = true;
    }
    if (bad) {
        free(times);
        free(vals);
        return;
    }
    if (counts) {
        w->trace_counts = vals;
        w->n_trace_counts = n;
        free(times);
    } else {
        w->trace_times = times;
        w->n_trace_times = n;
        free(vals);
    }
}

static void load_trace(V *v, const sect *s, scn_workload *w)
{
    static const char *const formats[] = {"timestamps", "counts", NULL};
    char path[4096], b1[32];
    int fmt = 0;
    if (sect_need(s, "format", true) && get_enum(s, "format", formats, NULL, &fmt, NULL) < 0)
        return;
    const scn_node *iv = sect_get(s, "interval");
    if (fmt == 1)
        get_dur(s, "interval", true, 0, 1, SIM_DAY, &w->trace_interval);
    else if (iv)
        scn_err(&v->c, sect_key(s, "interval"), "'interval' applies only to format counts");
    bool loop = false;
    get_bool(s, "loop", false, &loop);
    w->trace_loop = loop;
    const scn_node *fn = NULL;
    if (get_str(s, "file", true, 1024, NULL, 0, &fn) <= 0)
        return;
    if (fn->str[0] == '\0') {
        scn_err(&v->c, fn, "'file' must not be empty");
        return;
    }
    if (fn->str[0] == '/')
        snprintf(path, sizeof path, "%s", fn->str);
    else {
        char dir[2048];
        dir_of(v->c.file, dir, sizeof dir);
        snprintf(path, sizeof path, "%s%s", dir, fn->str);
    }
    load_trace_csv(v, fn, path, fmt == 1, w);
    if (fmt == 1 && w->trace_interval > 0 && w->n_trace_counts > (size_t)(SIM_TIME_MAX / w->trace_interval))
        scn_err(&v->c, fn, "the trace is too long for %s intervals", fmt_dur(b1, sizeof b1, w->trace_interval));
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
    ALLOC(sc->sns_topics, sc->n_sns_topics, RK_SNS_TOPIC);
    ALLOC(sc->policies, sc->n_policies, RK_POLICY);
    ALLOC(sc->schedules, sc->n_schedules, RK_SCHEDULE);
    ALLOC(sc->notifications, sc->n_notifications, RK_NOTIFICATION);
    ALLOC(sc->alarms, sc->n_alarms, RK_ALARM);
#undef ALLOC
    if (sc->n_asgs && !(v->sched_count = calloc(sc->n_asgs, sizeof *v->sched_count))) {
        scn_err(&v->c, n, "out of memory");
        return;
    }

    for (int pass = 0; pass < 3; pass++)
    for (size_t i = 0; i < v->n_res; i++) {
        res *r = &v->res[i];
        if (r->kind < 0 || rkind_pass[r->kind] != pass)
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
        case RK_SNS_TOPIC:
            sc->sns_topics[r->idx] = (scn_sns_topic){.name = name, .loc = loc};
            load_sns_topic(v, &s, &sc->sns_topics[r->idx]);
            break;
        case RK_SNS_SUBSCRIPTION:
            free(name);
            load_sns_subscription(v, &s);
            break;
        case RK_NOTIFICATION:
            sc->notifications[r->idx] = (scn_asg_notification){.name = name, .loc = loc, .topic = -1};
            load_notification(v, &s, &sc->notifications[r->idx]);
            break;
        case RK_POLICY:
            sc->policies[r->idx] = (scn_policy){
                .name = name, .loc = loc, .asg = -1, .type = SCN_POL_SIMPLE, .enabled = 1, .cooldown = -1,
                .metric_aggregation_type = SCN_AGG_AVERAGE, .estimated_instance_warmup = -1, .tt_tg = -1,
                .tt_custom = {.asg = -1, .lb = -1, .tg = -1},
                .tt_scale_out_periods = 3, .tt_scale_in_periods = 15, .tt_scale_in_ratio = 0.7,
                .pred_mode = SCN_PRED_FORECAST_ONLY, .pred_buffer = 300 * SIM_SEC,
            };
            load_policy(v, &s, &sc->policies[r->idx]);
            break;
        case RK_SCHEDULE:
            sc->schedules[r->idx] = (scn_schedule){.name = name, .loc = loc, .asg = -1, .min_size = -1,
                                                   .max_size = -1, .desired_capacity = -1, .start_time = -1,
                                                   .end_time = -1};
            load_schedule(v, &s, &sc->schedules[r->idx]);
            break;
        case RK_ALARM:
            sc->alarms[r->idx] = (scn_alarm){.name = name, .loc = loc, .evaluation_periods = 1,
                                             .datapoints_to_alarm = 1, .actions_enabled = 1,
                                             .metric = {.asg = -1, .lb = -1, .tg = -1}};
            load_alarm(v, &s, &sc->alarms[r->idx]);
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
    static const char *const kinds[] = {"poisson", "piecewise", "diurnal", "spike", "ramp", "bursty", "trace", NULL};
    static const char *const later[] = {"replay", NULL};
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
    snprintf(what, sizeof what, "'arrivals' (%s) of %.400s", kinds[kind], ws->what);
    s.what = what;
    const sim_time_t dur = v->s->duration;
    switch (kind) {
    case 0: {
        static const char *const keys[] = {"kind", "rps", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_POISSON;
        get_num(&s, "rps", true, 0, 0, true, 1e9, &w->rps);
        return;
    }
    case 2: {
        static const char *const keys[] = {"kind", "mean_rps", "amplitude", "period", "peak_at", "profile", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_DIURNAL;
        const scn_node *pn = sect_get(&s, "profile");
        if (pn) {
            static const char *const sin_keys[] = {"mean_rps", "amplitude", "period", "peak_at", NULL};
            for (const char *const *k = sin_keys; *k; k++)
                if (sect_key(&s, *k))
                    scn_err(&v->c, sect_key(&s, *k), "'%s' does not combine with 'profile': give the sinusoid "
                            "(mean_rps, amplitude, period, peak_at) or a 24-value profile", *k);
            diurnal_profile(v, &s, pn, w);
            return;
        }
        get_num(&s, "mean_rps", true, 0, 0, true, 1e9, &w->mean_rps);
        get_num(&s, "amplitude", true, 0, 0, false, 1, &w->amplitude);
        int rp = get_dur(&s, "period", false, 24 * SIM_HOUR, SIM_MIN, BIG_DUR, &w->period);
        int rk = get_dur(&s, "peak_at", false, 14 * SIM_HOUR, 0, BIG_DUR, &w->peak_at);
        if (rp >= 0 && rk > 0 && w->peak_at >= w->period)
            scn_err(&v->c, sect_get(&s, "peak_at"), "'peak_at' (%s) must be less than 'period' (%s)",
                    fmt_dur(b1, sizeof b1, w->peak_at), fmt_dur(b2, sizeof b2, w->period));
        return;
    }
    case 3: {
        /* spike: base, linear ramp to peak at start, hold, linear decay back to base (-> points) */
        static const char *const keys[] = {"kind", "base_rps", "peak_rps", "start", "ramp", "hold", "decay", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_SPIKE;
        double base = 0, peak = 0;
        sim_time_t st = 0, ramp = 0, hold = 0, decay = 0;
        int bad = 0;
        bad |= get_num(&s, "base_rps", true, 0, 0, false, 1e9, &base) <= 0;
        bad |= get_num(&s, "peak_rps", true, 0, 0, true, 1e9, &peak) <= 0;
        bad |= get_dur(&s, "start", true, 0, 0, BIG_DUR, &st) <= 0;
        bad |= get_dur(&s, "ramp", true, 0, 1, BIG_DUR, &ramp) <= 0;
        bad |= get_dur(&s, "hold", true, 0, 0, BIG_DUR, &hold) <= 0;
        bad |= get_dur(&s, "decay", true, 0, 1, BIG_DUR, &decay) <= 0;
        if (bad)
            return;
        if (dur > 0 && st >= dur) {
            scn_err(&v->c, sect_get(&s, "start"), "'start' (%s) must be before the end of the run (duration %s)",
                    fmt_dur(b1, sizeof b1, st), fmt_dur(b2, sizeof b2, dur));
            return;
        }
        if (!pts_alloc(v, n, w, 5))
            return;
        size_t np = 0;
        pt_add(w->points, &np, 0, base);
        pt_add(w->points, &np, st, base);
        pt_add(w->points, &np, st + ramp, peak);
        pt_add(w->points, &np, st + ramp + hold, peak);
        pt_add(w->points, &np, st + ramp + hold + decay, base);
        w->n_points = np;
        return;
    }
    case 4: {
        static const char *const keys[] = {"kind", "from_rps", "to_rps", "start", "duration", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_RAMP;
        double from = 0, to = 0;
        sim_time_t st = 0, len = 0;
        int bad = 0;
        bad |= get_num(&s, "from_rps", true, 0, 0, false, 1e9, &from) <= 0;
        bad |= get_num(&s, "to_rps", true, 0, 0, false, 1e9, &to) <= 0;
        bad |= get_dur(&s, "start", false, 0, 0, BIG_DUR, &st) < 0;
        bad |= get_dur(&s, "duration", true, 0, 1, BIG_DUR, &len) <= 0;
        if (bad)
            return;
        if (from == 0 && to == 0) {
            scn_err(&v->c, n, "'from_rps' and 'to_rps' are both 0: the workload would send no requests");
            return;
        }
        if (!pts_alloc(v, n, w, 3))
            return;
        size_t np = 0;
        pt_add(w->points, &np, 0, from);
        pt_add(w->points, &np, st, from);
        pt_add(w->points, &np, st + len, to);
        w->n_points = np;
        return;
    }
    case 5: {
        static const char *const keys[] = {"kind", "rps", "mean_dwell", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_MMPP;
        const scn_node *rn = sect_need(&s, "rps", true), *dn = sect_need(&s, "mean_dwell", true);
        bool good = true;
        if (rn && (rn->kind != SCN_N_SEQ || rn->n != 2)) {
            scn_err(&v->c, rn, "'rps': expected [a, b], the rates of the two states");
            good = false;
        }
        if (dn && (dn->kind != SCN_N_SEQ || dn->n != 2)) {
            scn_err(&v->c, dn, "'mean_dwell': expected [D, D], the mean time spent in each state");
            good = false;
        }
        if (!rn || !dn || !good)
            return;
        for (int i = 0; i < 2; i++) {
            const scn_node *e = rn->kids[i];
            char buf[96];
            double x = 0;
            if (!want_scalar(&s, e, "rps", "a number")) {
                good = false;
            } else if (!parse_number(e->str, &x) || x < 0 || x > 1e9) {
                scn_err(&v->c, e, "'rps': expected a number of requests per second in 0..1e9, found '%s'",
                        scn_clip(buf, sizeof buf, e->str));
                good = false;
            }
            w->mmpp_rps[i] = x;
            sim_time_t t = 0;
            if (dur_value(&s, dn->kids[i], "mean_dwell", &t) < 0) {
                good = false;
            } else if (t <= 0) {
                scn_err(&v->c, dn->kids[i], "'mean_dwell' must be more than 0s");
                good = false;
            }
            w->mmpp_dwell[i] = t;
        }
        if (good && w->mmpp_rps[0] == 0 && w->mmpp_rps[1] == 0)
            scn_err(&v->c, rn, "both states have rps 0: the workload would send no requests");
        return;
    }
    case 6: {
        static const char *const keys[] = {"kind", "file", "format", "interval", "loop", NULL};
        sect_keys(&s, keys, NULL);
        w->kind = SCN_ARR_TRACE;
        load_trace(v, &s, w);
        return;
    }
    default:
        break;
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
        w->request_bytes = 1000;
        w->response_bytes = 10000;
        w->period = 24 * SIM_HOUR;
        w->peak_at = 14 * SIM_HOUR;
        w->loc = (scn_loc){e->line, e->col};
        sect s;
        snprintf(what, sizeof what, "workload %zu", i);
        if (!sect_open(v, &s, e, e, what))
            continue;
        static const char *const keys[] = {"name", "target", "arrivals", "service_time", "timeout",
                                           "request_bytes", "response_bytes", NULL};
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
        long long b;
        get_int(&s, "request_bytes", false, 1000, 0, 1LL << 40, &b);
        w->request_bytes = b;
        get_int(&s, "response_bytes", false, 10000, 0, 1LL << 40, &b);
        w->response_bytes = b;
    }
    qsort(names, n_names, sizeof *names, scn_node_str_pos_cmp);
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
    static const char *const keys[] = {"scenario", "seed", "duration", "region", "start_time", "cloudwatch",
                                       "instance_types", "resources", "workload", "faults", "operations", "report",
                                       NULL};
    static const char *const later[] = {"variants", NULL};
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
    const scn_node *stn = NULL;
    if (get_str(&top, "start_time", false, 64, NULL, 0, &stn) > 0 && !parse_rfc3339(stn->str, &sc->start_epoch))
        scn_err(&v->c, stn, "'start_time': expected a UTC time stamp such as 2026-01-05T00:00:00Z, found '%s'",
                scn_clip(b1, sizeof b1, stn->str));
    const scn_node *cw = sect_get(&top, "cloudwatch");
    sect cws;
    if (cw && sect_open(v, &cws, cw, cw, "'cloudwatch'")) {
        static const char *const ckeys[] = {"publication_delay", NULL};
        sect_keys(&cws, ckeys, NULL);
        get_dur(&cws, "publication_delay", false, 60 * SIM_SEC, 0, SIM_HOUR, &sc->cw_publication_delay);
    }
    const scn_node *it = sect_get(&top, "instance_types");
    if (it)
        load_instance_types(v, it);
    const scn_node *rs = sect_need(&top, "resources", true);
    if (rs)
        load_resources(v, rs);
    check_schedules(v);
    const scn_node *wl = sect_need(&top, "workload", true);
    if (wl)
        load_workloads(v, wl);
    load_faults(v, sect_get(&top, "faults"), sect_get(&top, "operations"));
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
    for (size_t i = 0; i < s->n_launch_templates; i++) {
        free(s->launch_templates[i].name);
        free(s->launch_templates[i].pending_values);
        free(s->launch_templates[i].os_boot_values);
        free(s->launch_templates[i].app_start_values);
    }
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
    free(v.sched_count);
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

/*
 * Reads the whole scenario file into *buf (at most one byte past SCN_MAX_BYTES: enough to know
 * it is too large). 0, or -1 after a diagnostic that says why, with strerror where there is one.
 */
static int read_scenario_file(scn_ctx *c, const char *path, char **buf_out, size_t *len_out)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; only a regular file is read. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        scn_err_at(c, 0, 0, "cannot open the file: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    int err = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (err || !S_ISREG(st.st_mode)) {
        if (err)
            scn_err_at(c, 0, 0, "cannot read the file: %s", strerror(err));
        else
            scn_err_at(c, 0, 0, "cannot read the file: it is not a regular file (%s)",
                       S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
        close(fd);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > SCN_MAX_BYTES)
                break;
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            err = errno;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    if (!buf || err) {
        if (buf)
            scn_err_at(c, 0, 0, "cannot read the file: %s", strerror(err));
        else
            scn_err_at(c, 0, 0, "out of memory");
        free(buf);
        return -1;
    }
    *buf_out = buf;
    *len_out = len;
    return 0;
}

int scenario_load_file(const char *path, const char *const *sets, size_t n_sets, scenario **out,
                       scn_diags *diags)
{
    *out = NULL;
    diags->text = NULL;
    diags->text_len = 0;
    scn_ctx c = {.file = path, .d = diags};
    char *buf = NULL;
    size_t len = 0;
    if (read_scenario_file(&c, path, &buf, &len) < 0)
        return -1;
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
