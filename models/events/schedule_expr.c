/*
 * schedule_expr.c - EventBridge rate and cron expressions and their next
 * fire times (aws-semantics 6.7; EventBridge user guide, "Using cron and rate
 * expressions to schedule rules").
 */
#include "models/events/schedule_expr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int parse_rate(const char *body, size_t len, sx_expr *out, char *why, size_t n)
{
    char buf[64];
    if (len >= sizeof buf)
        return fail(why, n, "rate(...) is too long");
    memcpy(buf, body, len);
    buf[len] = '\0';
    char *p = buf;
    if (!isdigit((unsigned char)*p))
        return fail(why, n, "rate(value unit): the value must be a positive whole number");
    long long v = 0;
    while (isdigit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
        if (v > 1000000000LL)
            return fail(why, n, "rate(value unit): the value is too large");
    }
    if (*p != ' ')
        return fail(why, n, "rate(value unit): one space between the value and the unit");
    p++;
    static const struct { const char *one, *many; int64_t sec; } units[] = {
        {"minute", "minutes", 60}, {"hour", "hours", 3600}, {"day", "days", 86400},
    };
    if (v <= 0)
        return fail(why, n, "rate(value unit): the value must be positive (schedules run at most once a minute)");
    for (size_t k = 0; k < 3; k++) {
        bool one = strcmp(p, units[k].one) == 0, many = strcmp(p, units[k].many) == 0;
        if (!one && !many)
            continue;
        if (one != (v == 1))
            return fail(why, n, "use '%s' for a value of 1 and '%s' otherwise", units[k].one, units[k].many);
        out->is_rate = true;
        out->rate_sec = (int64_t)v * units[k].sec;
        return 0;
    }
    return fail(why, n, "rate(value unit): the unit must be minute(s), hour(s) or day(s) (a rate below a minute is "
                "not possible)");
}

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL};

typedef struct field_spec {
    const char *name;
    int lo, hi;
    const char *const *names; /* names[i] is lo + i */
    bool question;            /* ? allowed */
} field_spec;

static const field_spec fields[6] = {
    {"minutes", 0, 59, NULL, false},   {"hours", 0, 23, NULL, false},
    {"day-of-month", 1, 31, NULL, true}, {"month", 1, 12, month_names, false},
    {"day-of-week", 1, 7, day_names, true}, {"year", SX_YEAR_MIN, SX_YEAR_MAX, NULL, false},
};

/* One value of field f at *p (a number or a name); advances *p. */
static int value(const field_spec *f, const char **p, int *out, char *why, size_t n)
{
    const char *s = *p;
    if (isdigit((unsigned char)*s)) {
        long v = 0;
        while (isdigit((unsigned char)*s) && v < 100000)
            v = v * 10 + (*s++ - '0');
        if (v < f->lo || v > f->hi)
            return fail(why, n, "cron %s: %ld is outside %d-%d", f->name, v, f->lo, f->hi);
        *out = (int)v;
        *p = s;
        return 0;
    }
    for (int i = 0; f->names && f->names[i]; i++)
        if (strncmp(s, f->names[i], 3) == 0) {
            *out = f->lo + i;
            *p = s + 3;
            return 0;
        }
    if (*s == 'L' || *s == 'W' || *s == '#' || strchr(s, '#') || strchr(s, 'L') || strchr(s, 'W'))
        return fail(why, n, "cron %s: L, W and # are not supported yet", f->name);
    return fail(why, n, "cron %s: expected a value %d-%d%s at '%.20s'", f->name, f->lo, f->hi,
                f->names ? " or a name" : "", s);
}

/* Sets bits [lo, hi] step st of field f in bits (bit index = value - base). */
static void set_bits(uint64_t *bits, int base, int lo, int hi, int st)
{
    for (int v = lo; v <= hi; v += st)
        bits[(v - base) / 64] |= (uint64_t)1 << ((v - base) % 64);
}

/* One field's text (len bytes): *q = true for ?; bits relative to base. */
static int parse_field(const field_spec *f, const char *text, size_t len, uint64_t *bits, bool *q, char *why, size_t n)
{
    char buf[128];
    if (len >= sizeof buf)
        return fail(why, n, "cron %s: too long", f->name);
    memcpy(buf, text, len);
    buf[len] = '\0';
    int base = f->lo == SX_YEAR_MIN ? SX_YEAR_MIN : 0;
    *q = false;
    if (strcmp(buf, "?") == 0) {
        if (!f->question)
            return fail(why, n, "cron %s: ? is allowed only in day-of-month and day-of-week", f->name);
        *q = true;
        return 0;
    }
    const char *p = buf;
    for (;;) {
        int lo = f->lo, hi = f->hi, st = 1;
        if (*p == '*') {
            p++;
        } else {
            if (value(f, &p, &lo, why, n) != 0)
                return -1;
            hi = lo;
            if (*p == '-') {
                p++;
                if (value(f, &p, &hi, why, n) != 0)
                    return -1;
                if (hi < lo)
                    return fail(why, n, "cron %s: range %d-%d runs backwards", f->name, lo, hi);
            } else if (*p == '/') {
                hi = f->hi; /* "a/s": from a to the end */
            }
        }
        if (*p == '/') {
            p++;
            if (!isdigit((unsigned char)*p))
                return fail(why, n, "cron %s: expected an increment after /", f->name);
            long s = 0;
            while (isdigit((unsigned char)*p) && s < 100000)
                s = s * 10 + (*p++ - '0');
            if (s <= 0 || s > f->hi - f->lo + 1)
                return fail(why, n, "cron %s: increment %ld out of range", f->name, s);
            st = (int)s;
        }
        set_bits(bits, base, lo, hi, st);
        if (*p == '\0')
            return 0;
        if (*p != ',')
            return fail(why, n, "cron %s: unexpected '%c'%s", f->name, *p,
                        (*p == 'L' || *p == 'W' || *p == '#') ? " (L, W and # are not supported yet)" : "");
        p++;
    }
}

static int parse_cron(const char *body, size_t len, sx_expr *out, char *why, size_t n)
{
    const char *tok[7];
    size_t tlen[7], k = 0;
    const char *p = body, *end = body + len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        const char *s = p;
        while (p < end && *p != ' ')
            p++;
        if (k < 7) {
            tok[k] = s;
            tlen[k] = (size_t)(p - s);
        }
        k++;
    }
    if (k != 6)
        return fail(why, n, "cron(...) needs six fields (minutes hours day-of-month month day-of-week year), "
                    "found %zu", k);
    uint64_t bits[6][4] = {{0}};
    bool q[6];
    for (size_t i = 0; i < 6; i++)
        if (parse_field(&fields[i], tok[i], tlen[i], bits[i], &q[i], why, n) != 0)
            return -1;
    if (q[2] == q[4])
        return fail(why, n, "cron: exactly one of day-of-month and day-of-week must be ? (EventBridge rule)");
    out->is_rate = false;
    out->minutes = bits[0][0];
    out->hours = (uint32_t)bits[1][0];
    out->dom = q[2] ? 0 : (uint32_t)bits[2][0];
    out->months = (uint16_t)bits[3][0];
    out->dow = q[4] ? 0 : (uint8_t)bits[4][0];
    memcpy(out->years, bits[5], sizeof out->years);
    return 0;
}

int sx_parse(const char *text, sx_expr *out, char *why, size_t why_size)
{
    *out = (sx_expr){0};
    size_t len = strlen(text);
    if (len > 5 && strncmp(text, "rate(", 5) == 0 && text[len - 1] == ')')
        return parse_rate(text + 5, len - 6, out, why, why_size);
    if (len > 5 && strncmp(text, "cron(", 5) == 0 && text[len - 1] == ')')
        return parse_cron(text + 5, len - 6, out, why, why_size);
    return fail(why, why_size, "expected rate(value unit) or cron(minutes hours day-of-month month day-of-week year)");
}

/* Days since 1970-01-01 to the civil date (Howard Hinnant's algorithm). */
static void civil(int64_t days, int *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool day_matches(const sx_expr *e, int64_t days)
{
    int y, m, d;
    civil(days, &y, &m, &d);
    if (y < SX_YEAR_MIN || y > SX_YEAR_MAX || !(e->years[(y - SX_YEAR_MIN) / 64] >> ((y - SX_YEAR_MIN) % 64) & 1))
        return false;
    if (!(e->months >> m & 1))
        return false;
    if (e->dom)
        return e->dom >> d & 1;
    int wd = (int)(((days % 7) + 7 + 4) % 7) + 1; /* 1970-01-01 was a Thursday; 1 = Sunday */
    return e->dow >> wd & 1;
}

int64_t sx_next(const sx_expr *e, int64_t origin, int64_t after)
{
    if (e->is_rate) {
        if (after < origin)
            return origin + e->rate_sec;
        return origin + ((after - origin) / e->rate_sec + 1) * e->rate_sec;
    }
    int64_t m0 = (after >= 0 ? after / 60 : (after - 59) / 60) + 1; /* the first whole minute after */
    int64_t day = m0 >= 0 ? m0 / 1440 : (m0 - 1439) / 1440;
    int start = (int)(m0 - day * 1440);
    int64_t last = 0;
    /* Days up to the end of 2199: 84,006 days from 1970 (about 230 years). */
    last = 84006 + 366;
    for (; day <= last; day++, start = 0) {
        if (!day_matches(e, day))
            continue;
        for (int mod = start; mod < 1440; mod++)
            if ((e->hours >> (mod / 60) & 1) && (e->minutes >> (mod % 60) & 1))
                return (day * 1440 + mod) * 60;
    }
    return -1;
}
