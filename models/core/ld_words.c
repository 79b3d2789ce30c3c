/*
 * ld_words.c - the loader's words and units: "did you mean", durations,
 * numbers and time stamps, parsed the same way for values and for key tables.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

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

void ld_dir_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t l = slash ? (size_t)(slash - path) + 1 : 0;
    if (l >= size)
        l = 0;
    memcpy(out, path, l);
    out[l] = '\0';
}
