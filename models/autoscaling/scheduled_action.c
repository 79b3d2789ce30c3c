/*
 * scheduled_action.c - scheduled actions and a small cron matcher
 * (aws-semantics 2.4).
 *
 * The cron matcher is written here because no C library packaged in Debian
 * offers a reusable matcher over arbitrary UTC epoch times (cronie and
 * friends embed theirs in the daemon), and the grammar is small: *, numbers,
 * ranges, lists and steps. Month and weekday names (JAN, MON) are not
 * accepted; AWS's own examples use numbers.
 */
#include "models/autoscaling/scheduled_action.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 -> civil date (H. Hinnant's algorithm, proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

void sched_civil(int64_t t, int *year, int *month, int *day, int *hour, int *minute, int *dow)
{
    int64_t days = floor_div(t, 86400);
    int64_t sec = t - days * 86400;
    civil_from_days(days, year, month, day);
    *hour = (int)(sec / 3600);
    *minute = (int)(sec % 3600 / 60);
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    *dow = (int)(w < 0 ? w + 7 : w);
}

/* Parses one field into bits [lo, hi]; *star = the field is exactly "*". */
static int parse_field(const char *f, size_t len, int lo, int hi, uint64_t *bits, bool *star,
                       const char *what, char *err, size_t errlen)
{
    *bits = 0;
    *star = len == 1 && f[0] == '*';
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && f[j] != ',')
            j++;
        /* item f[i..j): range part [/ step] */
        const char *s = f + i;
        size_t n = j - i;
        if (n == 0)
            goto bad;
        size_t slash = 0;
        while (slash < n && s[slash] != '/')
            slash++;
        long a, b, step = 1;
        char *end;
        if (s[0] == '*' && (n == 1 || slash == 1)) {
            a = lo;
            b = hi;
        } else {
            if (!isdigit((unsigned char)s[0]))
                goto bad;
            a = strtol(s, &end, 10);
            if (end < s + slash && *end == '-') {
                const char *bs = end + 1;
                if (bs >= s + slash || !isdigit((unsigned char)*bs))
                    goto bad;
                b = strtol(bs, &end, 10);
            } else {
                /* "A/N" runs from A to the top of the range */
                b = slash < n ? hi : a;
            }
            if (end != s + slash)
                goto bad;
        }
        if (slash < n) {
            const char *ss = s + slash + 1;
            if (ss >= s + n || !isdigit((unsigned char)*ss))
                goto bad;
            step = strtol(ss, &end, 10);
            if (end != s + n || step < 1)
                goto bad;
        }
        if (a < lo || b > hi || a > b)
            goto bad;
        for (long v = a; v <= b; v += step)
            *bits |= (uint64_t)1 << v;
        i = j + 1;
    }
    return 0;
bad:
    snprintf(err, errlen, "bad cron %s field '%.*s' (allowed %d-%d)", what, (int)len, f, lo, hi);
    return -1;
}

int sched_cron_parse(const char *expr, sched_cron *out, char *err, size_t errlen)
{
    static const char *const names[5] = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    static const int lo[5] = {0, 0, 1, 1, 0}, hi[5] = {59, 23, 31, 12, 7};
    memset(out, 0, sizeof *out);
    const char *p = expr;
    uint64_t bits[5];
    bool star[5];
    for (int k = 0; k < 5; k++) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *f = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (p == f) {
            snprintf(err, errlen, "cron '%s' has %d fields, want 5 (minute hour day-of-month month day-of-week)", expr, k);
            return -1;
        }
        if (parse_field(f, (size_t)(p - f), lo[k], hi[k], &bits[k], &star[k], names[k], err, errlen) != 0)
            return -1;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p) {
        snprintf(err, errlen, "cron '%s' has more than 5 fields", expr);
        return -1;
    }
    out->minute = bits[0];
    out->hour = (uint32_t)bits[1];
    out->dom = (uint32_t)bits[2];
    out->month = (uint16_t)bits[3];
    uint64_t dow = bits[4];
    if (dow & (1u << 7))
        dow = (dow | 1u) & 0x7f; /* 7 is Sunday, like 0 */
    out->dow = (uint8_t)dow;
    out->dom_star = star[2];
    out->dow_star = star[4];
    return 0;
}

static bool day_matches(const sched_cron *c, int month, int day, int dow)
{
    if (!(c->month & (1u << month)))
        return false;
    bool dm = (c->dom >> day) & 1u, wm = (c->dow >> dow) & 1u;
    /* cron: when both day fields are restricted, either may match; otherwise the restricted one must */
    if (!c->dom_star && !c->dow_star)
        return dm || wm;
    return dm && wm;
}

bool sched_cron_match(const sched_cron *c, int64_t t)
{
    int y, mo, d, h, mi, w;
    sched_civil(t, &y, &mo, &d, &h, &mi, &w);
    return day_matches(c, mo, d, w) && ((c->hour >> h) & 1u) && ((c->minute >> mi) & 1u);
}

int64_t sched_cron_next(const sched_cron *c, int64_t after)
{
    int64_t t = floor_div(after, 60) * 60 + 60; /* the next whole minute */
    int64_t day0 = floor_div(t, 86400);
    for (int64_t dd = 0; dd < 8 * 366; dd++) {
        int64_t day = day0 + dd;
        int y, mo, d, h, mi, w;
        sched_civil(day * 86400, &y, &mo, &d, &h, &mi, &w);
        if (!day_matches(c, mo, d, w))
            continue;
        int64_t from = dd == 0 ? t - day * 86400 : 0; /* seconds into the day */
        for (int64_t s = from; s < 86400; s += 60) {
            int hh = (int)(s / 3600), mm = (int)(s % 3600 / 60);
            if (!((c->hour >> hh) & 1u)) {
                s = (int64_t)(hh + 1) * 3600 - 60; /* skip the rest of this hour */
                continue;
            }
            if ((c->minute >> mm) & 1u)
                return day * 86400 + s;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------- runtime */

struct sched {
    sim *s;
    const scn_schedule *cfg;
    asg *g;
    int64_t epoch;           /* UTC seconds at t = 0 */
    events_log *ev;
    bool recurring;
    sched_cron cron;
    sim_time_t next;         /* -1 = none */
    uint64_t runs;
};

/* Virtual time of epoch second e (whole minutes in UTC need not be whole minutes of virtual time). */
static sim_time_t to_sim(const sched *sc, int64_t e) { return (e - sc->epoch) * SIM_SEC; }

static void plan(sched *sc, sim_time_t after);

static void fire(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    sched *sc = obj;
    sim_time_t now = sim_now(s);
    const scn_schedule *cf = sc->cfg;
    char what[160], cause[384];
    int off = 0;
    what[0] = '\0';
    if (cf->min_size >= 0)
        off += snprintf(what + off, sizeof what - (size_t)off, "min %d", cf->min_size);
    if (cf->max_size >= 0 && off < (int)sizeof what)
        off += snprintf(what + off, sizeof what - (size_t)off, "%smax %d", off ? ", " : "", cf->max_size);
    if (cf->desired_capacity >= 0 && off < (int)sizeof what)
        snprintf(what + off, sizeof what - (size_t)off, "%sdesired %d", off ? ", " : "", cf->desired_capacity);
    if (sc->recurring)
        snprintf(cause, sizeof cause, "scheduled action %s (recurrence \"%s\"): %s", cf->name, cf->recurrence, what);
    else
        snprintf(cause, sizeof cause, "scheduled action %s: %s", cf->name, what);
    sc->runs++;
    if (sc->ev)
        events_add(sc->ev, now, "schedule", cf->name, NULL, NULL, "%s", cause);
    /* scheduled actions ignore cooldowns (aws-semantics 1.6, 2.4) */
    asg_set_limits(sc->g, cf->min_size, cf->max_size, cf->desired_capacity, cause);
    sc->next = -1;
    if (sc->recurring)
        plan(sc, now);
}

/* Schedules the first run strictly after `after` (or at `after` itself when after < 0: the start). */
static void plan(sched *sc, sim_time_t after)
{
    const scn_schedule *cf = sc->cfg;
    sim_time_t at;
    if (!sc->recurring) {
        at = cf->start_time;
        if (after >= 0 || at < 0)
            return;
    } else {
        sim_time_t from = cf->start_time > 0 ? cf->start_time : 0;
        /* the first minute at or after the start on the first plan, strictly after the last run later */
        int64_t e = after < 0 ? sc->epoch + from / SIM_SEC - (from % SIM_SEC == 0 ? 1 : 0)
                              : sc->epoch + after / SIM_SEC;
        int64_t m = sched_cron_next(&sc->cron, e);
        if (m < 0)
            return;
        at = to_sim(sc, m);
        if (at < from)
            return;
    }
    if (cf->end_time >= 0 && at > cf->end_time)
        return;
    if (at < sim_now(sc->s))
        return;
    sc->next = at;
    sim_at(sc->s, at, fire, sc, 0);
}

sched *sched_new(sim *s, const scn_schedule *cfg, asg *g, int64_t start_epoch, events_log *ev,
                 char *err, size_t errlen)
{
    sched *sc = calloc(1, sizeof *sc);
    if (!sc) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sc->s = s;
    sc->cfg = cfg;
    sc->g = g;
    sc->epoch = start_epoch;
    sc->ev = ev;
    sc->next = -1;
    sc->recurring = cfg->recurrence[0] != '\0';
    if (sc->recurring && sched_cron_parse(cfg->recurrence, &sc->cron, err, errlen) != 0) {
        free(sc);
        return NULL;
    }
    plan(sc, -1);
    return sc;
}

void sched_free(sched *sc) { free(sc); }

uint64_t sched_runs(const sched *sc) { return sc->runs; }

sim_time_t sched_next_run(const sched *sc) { return sc->next; }
