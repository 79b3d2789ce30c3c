/*
 * workload_cfg.c - `workload:` entries: arrival processes (Poisson,
 * piecewise, diurnal, spike, ramp, bursty MMPP, trace replay), service times,
 * client timeouts and request sizes.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/workload/workload_cfg.h"
#include "models/elb/listener_cfg.h"

/* ---------------------------------------------------------------- key tables (fleetsim's own keys) */

static const char *const arrival_kinds[] = {"poisson", "piecewise", "diurnal", "spike", "ramp", "bursty", "trace", NULL};
static const char *const arrival_kinds_later[] = {"replay", NULL};
static const char *const trace_formats[] = {"timestamps", "counts", NULL};

/* Every arrivals table starts with its kind; the rows shared by several kinds are written once here. */
#define KIND_ROW                                                                                                  \
    {.name = "kind", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = arrival_kinds, .later = arrival_kinds_later, \
     .source = "fleetsim", .doc = "the arrival process; the other keys depend on it"}
#define RPS_ROW(nm, lo_flags, what)                                                                               \
    {.name = nm, .kind = LD_NUM, .lo = "0", .hi = "1e9", .flags = LD_REQUIRED | (lo_flags), .source = "fleetsim", \
     .doc = what}
#define DUR_ROW(nm, lo_flags, what)                                                                               \
    {.name = nm, .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED | (lo_flags), .source = "fleetsim", \
     .doc = what}

static const ld_key kind_keys[] = {KIND_ROW, {.name = NULL}};

static const ld_key poisson_keys[] = {
    KIND_ROW,
    RPS_ROW("rps", LD_LO_OPEN, "mean requests per second"),
    {.name = NULL},
};

static const ld_key point_keys[] = {
    DUR_ROW("at", 0, "time from the start of the run; the first point is at 0s, then strictly increasing"),
    RPS_ROW("rps", 0, "requests per second from this point to the next"),
    {.name = NULL},
};

static const ld_key piecewise_keys[] = {
    KIND_ROW,
    {.name = "points", .kind = LD_LIST, .flags = LD_REQUIRED, .block = point_keys, .source = "fleetsim",
     .doc = "1 to 100000 {at, rps} points: the rate steps at each point"},
    {.name = NULL},
};

static const ld_key diurnal_keys[] = {
    KIND_ROW,
    RPS_ROW("mean_rps", LD_LO_OPEN, "the sinusoid's mean (required without profile)"),
    {.name = "amplitude", .kind = LD_NUM, .lo = "0", .hi = "1", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "swing as a fraction of mean_rps (required without profile)"},
    {.name = "period", .kind = LD_DUR, .def = "24h", .lo = "1m", .hi = "400d", .source = "fleetsim",
     .doc = "the sinusoid's period"},
    {.name = "peak_at", .kind = LD_DUR, .def = "14h", .lo = "0s", .hi = "400d", .source = "fleetsim",
     .doc = "time of the peak within the period; less than period"},
    {.name = "profile", .kind = LD_LIST, .lo = "0", .hi = "1e9", .source = "fleetsim",
     .doc = "instead of the sinusoid: 24 hourly rps values, 00:00 to 23:00 UTC, linear between hours"},
    {.name = NULL},
};

static const ld_key spike_keys[] = {
    KIND_ROW,
    RPS_ROW("base_rps", 0, "the rate before and after the spike"),
    RPS_ROW("peak_rps", LD_LO_OPEN, "the rate at the top of the spike"),
    DUR_ROW("start", 0, "when the ramp up begins; before the end of the run"),
    DUR_ROW("ramp", LD_LO_OPEN, "linear rise from base_rps to peak_rps"),
    DUR_ROW("hold", 0, "time at peak_rps"),
    DUR_ROW("decay", LD_LO_OPEN, "linear fall back to base_rps"),
    {.name = NULL},
};

static const ld_key ramp_keys[] = {
    KIND_ROW,
    RPS_ROW("from_rps", 0, "the rate until start"),
    RPS_ROW("to_rps", 0, "the rate from start + duration on"),
    {.name = "start", .kind = LD_DUR, .def = "0s", .lo = "0s", .hi = "400d", .source = "fleetsim",
     .doc = "when the linear change begins"},
    DUR_ROW("duration", LD_LO_OPEN, "how long the linear change takes"),
    {.name = NULL},
};

static const ld_key bursty_keys[] = {
    KIND_ROW,
    {.name = "rps", .kind = LD_LIST, .lo = "0", .hi = "1e9", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "[a, b]: the Poisson rates of the two states, not both 0"},
    {.name = "mean_dwell", .kind = LD_LIST, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "[D, D]: the mean (exponential) time spent in each state, more than 0s"},
    {.name = NULL},
};

static const ld_key trace_keys[] = {
    KIND_ROW,
    {.name = "file", .kind = LD_STR, .hi = "1024", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "a CSV file, relative to the scenario's directory; its first column is read"},
    {.name = "format", .kind = LD_ENUM, .flags = LD_REQUIRED, .values = trace_formats, .source = "fleetsim",
     .doc = "timestamps (seconds from the start, one request each) or counts (requests per interval)"},
    {.name = "interval", .kind = LD_DUR, .lo = "0s", .hi = "1d", .flags = LD_LO_OPEN, .source = "fleetsim",
     .doc = "format counts only, and required there: the time each count covers"},
    {.name = "loop", .kind = LD_BOOL, .def = "false", .source = "fleetsim", .doc = "replay the trace again when it ends"},
    {.name = NULL},
};

/* In the order of arrival_kinds. */
static const ld_key *const arrival_tables[] = {poisson_keys, piecewise_keys, diurnal_keys, spike_keys,
                                               ramp_keys,    bursty_keys,    trace_keys};

static const ld_key workload_keys[] = {
    {.name = "name", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "unique among the workloads; names the workload in reports"},
    {.name = "target", .kind = LD_REF, .flags = LD_REQUIRED, .source = "fleetsim", .doc = "the aws_lb the clients call"},
    {.name = "arrivals", .kind = LD_BLOCK, .flags = LD_REQUIRED, .block = kind_keys, .source = "fleetsim",
     .doc = "when requests arrive; its keys depend on its kind (workload_cfg_arrivals_keys)"},
    {.name = "service_time", .kind = LD_DIST, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "CPU time of one request on a vCPU of speed 1"},
    {.name = "timeout", .kind = LD_DUR, .def = "0s", .lo = "0s", .hi = "400d", .source = "fleetsim",
     .doc = "a client gives up after this long (0s: never)"},
    {.name = "request_bytes", .kind = LD_INT, .def = "1000", .lo = "0", .hi = "1099511627776", .source = "fleetsim",
     .doc = "bytes a request carries to the load balancer (priced as processed bytes)"},
    {.name = "response_bytes", .kind = LD_INT, .def = "10000", .lo = "0", .hi = "1099511627776", .source = "fleetsim",
     .doc = "bytes of the response"},
    {.name = "path", .kind = LD_STR, .def = "/", .hi = "1024", .source = "fleetsim",
     .doc = "the requests' URL path, matched by listener rules' path_pattern; starts with '/'"},
    {.name = "host", .kind = LD_STR, .def = "", .hi = "255", .source = "fleetsim",
     .doc = "the requests' Host header, matched by listener rules' host_header"},
    {.name = "port", .kind = LD_INT, .lo = "1", .hi = "65535", .source = "fleetsim",
     .doc = "which listener of the target aws_lb (required when it has several)"},
    {.name = NULL},
};

const ld_key *workload_cfg_keys(void) { return workload_keys; }

const ld_key *workload_cfg_arrivals_keys(const char *kind)
{
    for (size_t i = 0; arrival_kinds[i]; i++)
        if (strcmp(arrival_kinds[i], kind) == 0)
            return arrival_tables[i];
    return NULL;
}

static void pt_add(scn_rate_point *pts, size_t *n, sim_time_t at, double rps)
{
    if (*n && pts[*n - 1].at == at) {
        pts[*n - 1].rps = rps;
        return;
    }
    pts[(*n)++] = (scn_rate_point){at, rps};
}

static bool pts_alloc(loader *v, const scn_node *at, scn_workload *w, size_t cap)
{
    w->points = calloc(cap, sizeof *w->points);
    if (!w->points) {
        scn_err(&v->c, at, "out of memory");
        return false;
    }
    return true;
}

/* One rate of an LD_LIST of rates (profile, bursty rps), in the range its row gives; false after reporting. */
static bool list_rate(const ld_sect *s, const scn_node *e, const char *key, const char *expected, double *x)
{
    const ld_key *row = ld_key_find(s->keys, key);
    const char *lo = row && row->lo ? row->lo : "0", *hi = row && row->hi ? row->hi : "1e9";
    double l = 0, h = 0;
    char b1[96];
    *x = 0;
    if (!ld_want_scalar(s, e, key, expected))
        return false;
    if (!ld_parse_number(lo, &l) || !ld_parse_number(hi, &h) || !ld_parse_number(e->str, x) || *x < l || *x > h) {
        scn_err(&s->v->c, e, "'%s': expected a number of requests per second in %s..%s, found '%s'", key, lo, hi,
                scn_clip(b1, sizeof b1, e->str));
        *x = 0;
        return false;
    }
    return true;
}

/* diurnal with `profile: [24 values]`: one point per hour, repeated over the run, linear between hours. */
static void diurnal_profile(loader *v, const ld_sect *s, const scn_node *pn, scn_workload *w)
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
    for (size_t i = 0; i < 24; i++) {
        double x = 0;
        bad |= !list_rate(s, pn->kids[i], "profile", "a number of requests per second", &x);
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

/* Reads a trace CSV: first column per row; blank lines and '#' comments skipped; a first row whose first
   field starts with a letter is a header. Timestamps: seconds from the start of the run, non-decreasing;
   counts: requests per interval, >= 0. Every error names the CSV's line and column, and the scenario node. */
static void load_trace_csv(loader *v, const scn_node *fn, const char *path, bool counts, scn_workload *w)
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
        if (!ld_parse_number(field, &x) || x < 0 || (counts && x > 1e12)) {
            scn_err(&v->c, fn, "trace %s:%ld:%ld: expected %s, found '%s'", scn_clip(b1, sizeof b1, path), line, col,
                    counts ? "a request count (a number >= 0)" : "a time in seconds (a number >= 0)",
                    scn_clip(b2, sizeof b2, field));
            bad = true;
            break;
        }
        if (counts) {
            /* The arrival-rate limit every other kind has (rps at most 1e9), row by row. */
            double rps = w->trace_interval > 0 ? x / ld_sec(w->trace_interval) : 0;
            if (rps > 1e9) {
                char b3[32];
                scn_err(&v->c, fn, "trace %s:%ld:%ld: row %zu: %s requests per %s interval is %.4g requests "
                        "per second; expected at most 1e9 (the arrival-rate limit)", scn_clip(b1, sizeof b1, path),
                        line, col, n + 1, scn_clip(b2, sizeof b2, field), ld_fmt_dur(b3, sizeof b3, w->trace_interval),
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
        if (ld_parse_duration(dbuf, &t, why, sizeof why) || t > LD_BIG_DUR) {
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

static void load_trace(loader *v, const ld_sect *s, scn_workload *w)
{
    char path[4096], b1[32];
    int fmt = 0;
    if (ld_enum(s, "format", &fmt, NULL) < 0)
        return;
    if (fmt == 1) {
        if (ld_sect_need(s, "interval", true)) /* required with counts only: the row cannot say so */
            ld_dur(s, "interval", &w->trace_interval);
    } else if (ld_sect_get(s, "interval")) {
        scn_err(&v->c, ld_sect_key(s, "interval"), "'interval' applies only to format counts");
    }
    bool loop = false;
    ld_bool(s, "loop", &loop);
    w->trace_loop = loop;
    const scn_node *fn = NULL;
    if (ld_str(s, "file", NULL, 0, &fn) <= 0)
        return;
    if (fn->str[0] == '\0') {
        scn_err(&v->c, fn, "'file' must not be empty");
        return;
    }
    if (fn->str[0] == '/')
        snprintf(path, sizeof path, "%s", fn->str);
    else {
        char dir[2048];
        ld_dir_of(v->c.file, dir, sizeof dir);
        snprintf(path, sizeof path, "%s%s", dir, fn->str);
    }
    load_trace_csv(v, fn, path, fmt == 1, w);
    if (fmt == 1 && w->trace_interval > 0 && w->n_trace_counts > (size_t)(SIM_TIME_MAX / w->trace_interval))
        scn_err(&v->c, fn, "the trace is too long for %s intervals", ld_fmt_dur(b1, sizeof b1, w->trace_interval));
}

#define MAX_POINTS 100000

static void load_arrivals(loader *v, const ld_sect *ws, scn_workload *w)
{
    char what[512], b1[32], b2[32];
    /* a block whose keys depend on its kind: opened here rather than by ld_block */
    const scn_node *n = ld_sect_need(ws, "arrivals", true);
    if (!n)
        return;
    snprintf(what, sizeof what, "'arrivals' of %.400s", ws->what);
    ld_sect s;
    if (!ld_sect_open(v, &s, n, n, what))
        return;
    s.keys = kind_keys;
    int kind = -1;
    if (ld_enum(&s, "kind", &kind, NULL) <= 0)
        return;
    snprintf(what, sizeof what, "'arrivals' (%s) of %.400s", arrival_kinds[kind], ws->what);
    s.what = what;
    ld_sect_check(&s, arrival_tables[kind]);
    const sim_time_t dur = v->s->duration;
    switch (kind) {
    case 0: {
        w->kind = SCN_ARR_POISSON;
        ld_num(&s, "rps", &w->rps);
        return;
    }
    case 2: {
        w->kind = SCN_ARR_DIURNAL;
        const scn_node *pn = ld_sect_get(&s, "profile");
        if (pn) {
            static const char *const sin_keys[] = {"mean_rps", "amplitude", "period", "peak_at", NULL};
            for (const char *const *k = sin_keys; *k; k++)
                if (ld_sect_key(&s, *k))
                    scn_err(&v->c, ld_sect_key(&s, *k), "'%s' does not combine with 'profile': give the sinusoid "
                            "(mean_rps, amplitude, period, peak_at) or a 24-value profile", *k);
            diurnal_profile(v, &s, pn, w);
            return;
        }
        ld_num(&s, "mean_rps", &w->mean_rps);
        ld_num(&s, "amplitude", &w->amplitude);
        int rp = ld_dur(&s, "period", &w->period);
        int rk = ld_dur(&s, "peak_at", &w->peak_at);
        if (rp >= 0 && rk > 0 && w->peak_at >= w->period)
            scn_err(&v->c, ld_sect_get(&s, "peak_at"), "'peak_at' (%s) must be less than 'period' (%s)",
                    ld_fmt_dur(b1, sizeof b1, w->peak_at), ld_fmt_dur(b2, sizeof b2, w->period));
        return;
    }
    case 3: {
        /* spike: base, linear ramp to peak at start, hold, linear decay back to base (-> points) */
        w->kind = SCN_ARR_SPIKE;
        double base = 0, peak = 0;
        sim_time_t st = 0, ramp = 0, hold = 0, decay = 0;
        int bad = 0;
        bad |= ld_num(&s, "base_rps", &base) <= 0;
        bad |= ld_num(&s, "peak_rps", &peak) <= 0;
        bad |= ld_dur(&s, "start", &st) <= 0;
        bad |= ld_dur(&s, "ramp", &ramp) <= 0;
        bad |= ld_dur(&s, "hold", &hold) <= 0;
        bad |= ld_dur(&s, "decay", &decay) <= 0;
        if (bad)
            return;
        if (dur > 0 && st >= dur) {
            scn_err(&v->c, ld_sect_get(&s, "start"), "'start' (%s) must be before the end of the run (duration %s)",
                    ld_fmt_dur(b1, sizeof b1, st), ld_fmt_dur(b2, sizeof b2, dur));
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
        w->kind = SCN_ARR_RAMP;
        double from = 0, to = 0;
        sim_time_t st = 0, len = 0;
        int bad = 0;
        bad |= ld_num(&s, "from_rps", &from) <= 0;
        bad |= ld_num(&s, "to_rps", &to) <= 0;
        bad |= ld_dur(&s, "start", &st) < 0;
        bad |= ld_dur(&s, "duration", &len) <= 0;
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
        w->kind = SCN_ARR_MMPP;
        const scn_node *rn = ld_sect_need(&s, "rps", true), *dn = ld_sect_need(&s, "mean_dwell", true);
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
            double x = 0;
            good &= list_rate(&s, rn->kids[i], "rps", "a number", &x);
            w->mmpp_rps[i] = x;
            sim_time_t t = 0;
            if (ld_dur_value(&s, dn->kids[i], "mean_dwell", &t) < 0) {
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
        w->kind = SCN_ARR_TRACE;
        load_trace(v, &s, w);
        return;
    }
    default:
        break;
    }
    w->kind = SCN_ARR_PIECEWISE;
    const scn_node *pn = ld_sect_need(&s, "points", true);
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
        ld_sect p;
        char pwhat[640];
        snprintf(pwhat, sizeof pwhat, "point %zu of %.400s", i, what);
        if (!ld_sect_open(v, &p, pn->kids[i], pn->kids[i], pwhat)) {
            bad = true;
            continue;
        }
        ld_sect_check(&p, point_keys);
        scn_rate_point *pt = &w->points[i];
        int ra = ld_dur(&p, "at", &pt->at);
        int rr = ld_num(&p, "rps", &pt->rps);
        if (ra <= 0 || rr <= 0) {
            bad = true;
            continue;
        }
        any = any || pt->rps > 0;
        if (i == 0 && pt->at != 0) {
            scn_err(&v->c, ld_sect_get(&p, "at"), "the first point must be at 0s, found %s",
                    ld_fmt_dur(b1, sizeof b1, pt->at));
        } else if (i > 0 && !bad && pt->at <= w->points[i - 1].at) {
            scn_err(&v->c, ld_sect_get(&p, "at"), "points must be in strictly increasing time: %s is not after %s",
                    ld_fmt_dur(b1, sizeof b1, pt->at), ld_fmt_dur(b2, sizeof b2, w->points[i - 1].at));
            bad = true;
        }
    }
    if (!bad && !any)
        scn_err(&v->c, pn, "every point has rps 0: the workload would send no requests");
}

void workload_cfg_load(loader *v, const scn_node *n)
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
        w->loc = (scn_loc){e->line, e->col};
        ld_sect s;
        snprintf(what, sizeof what, "workload %zu", i);
        if (!ld_sect_open(v, &s, e, e, what))
            continue;
        s.keys = workload_keys;
        const scn_node *nn = NULL;
        if (ld_str(&s, "name", NULL, 0, &nn) > 0) {
            if (nn->str[0] == '\0')
                scn_err(&v->c, nn, "'name' must not be empty");
            w->name = ld_dupstr(nn->str);
            names[n_names++] = nn;
            snprintf(what, sizeof what, "workload \"%s\"", scn_clip(b1, sizeof b1, nn->str));
        }
        ld_sect_check(&s, workload_keys); /* after the name, which names the workload in messages */
        ld_ref(&s, "target", "aws_lb", &w->lb);
        listener_cfg_workload(v, &s, w); /* path, host, port: which listener, for its rules (listener_cfg.c) */
        load_arrivals(v, &s, w);
        ld_dist(&s, "service_time", &w->service_time, &w->service_values);
        ld_dur(&s, "timeout", &w->timeout);
        long long b = 0;
        ld_int(&s, "request_bytes", &b);
        w->request_bytes = b;
        ld_int(&s, "response_bytes", &b);
        w->response_bytes = b;
    }
    qsort(names, n_names, sizeof *names, scn_node_str_pos_cmp);
    for (size_t i = 1; i < n_names; i++)
        if (strcmp(names[i]->str, names[i - 1]->str) == 0)
            scn_err(&v->c, names[i], "workload name '%s' is used twice (first at line %d)",
                    scn_clip(b1, sizeof b1, names[i]->str), names[i - 1]->line);
    free(names);
}

void workload_cfg_free(scn_workload *w)
{
    free(w->name);
    free(w->path);
    free(w->host);
    free(w->points);
    free(w->service_values);
    free(w->trace_times);
    free(w->trace_counts);
}
