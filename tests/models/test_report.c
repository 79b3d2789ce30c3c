/*
 * test_report.c - the report writers: text summary content, JSON shape,
 * CSV rows, and atomic writes that fail cleanly.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "reports/fileset.h"
#include "reports/report.h"
#include "mtest.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (n + 1 >= cap) {
            cap = cap ? 2 * cap : 4096;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        buf[n++] = (char)c;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1); /* an empty file is "", not a missing one */
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static char *mem_of(const world *w, int (*fn)(const world *, FILE *), size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    fn(w, f);
    fclose(f);
    return buf;
}

static int print_text(const world *w, FILE *f)
{
    report_print_text(w, f);
    return 0;
}

/* Entries of dir other than . and .., and how many start with '.' (temp files). */
/* The files of dir (not hidden), and in *stray the hidden entries that are neither the link .fleetsim-current nor the generation it points to. */
static int count_entries(const char *dir, int *stray)
{
    char cur[512], live[256] = "";
    snprintf(cur, sizeof cur, "%s/" FSET_CURRENT, dir);
    ssize_t len = readlink(cur, live, sizeof live - 1);
    live[len > 0 ? len : 0] = '\0';
    DIR *d = opendir(dir);
    int n = 0;
    *stray = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] != '.')
            n++;
        else
            *stray += strcmp(e->d_name, FSET_CURRENT) != 0 && strcmp(e->d_name, live) != 0;
    }
    closedir(d);
    return n;
}

int main(void)
{
    gsl_set_error_handler_off();
    mscn m;
    mscn_init(&m, 300, SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    mscn_add(&m, 2, 2, 1.0, 1);
    mscn_poisson(&m, 50, mt_exp(0.02));
    m.sc.report.slo_p99 = 500 * SIM_MS;
    m.sc.report.slo_error_rate = 0.001;
    m.sc.report.warmup = 30 * SIM_SEC;
    world *w = mt_run(&m, 7);
    ok(w != NULL, "the run completes");
    if (!w)
        return tap_done();

    size_t len;
    char *text = mem_of(w, print_text, &len);
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        printf("# %.*s\n", (int)(nl - line), line);
    }
    ok(strstr(text, "p99.9") && strstr(text, "throughput") && strstr(text, "SLO met: p99 <= 500.000 ms and at most 0.100% errors"),
       "text: latency, throughput and the SLO verdict");
    ok(strstr(text, "504_timeout") && strstr(text, "lcu_hours") && strstr(text, "total"),
       "text: errors by cause and the cost ledger");
    free(text);

    char *json = mem_of(w, report_write_json, &len);
    ok(strncmp(json, "{\n  \"schema\": \"fleetsim.report/4\",", 34) == 0, "json: opens with the schema");
    ok(strstr(json, "\"seed\": 7,") && strstr(json, "\"replication\": 0,") && strstr(json, "\"duration_s\": 300,"),
       "json: seed, replication, duration");
    ok(strstr(json, "\"windows\": [") && strstr(json, "\"instances\": [") && strstr(json, "\"cost\": {"),
       "json: windows, instances, cost");
    ok(strstr(json, "\"id\": \"i-web0-1\""), "json: instance ids i-<resource>-<n>");
    ok(len > 0 && json[len - 1] == '\n' && json[len - 2] == '}', "json: closes");
    char *csv = mem_of(w, report_write_windows_csv, &len);
    int lines = 0;
    for (char *p = csv; *p; p++)
        lines += *p == '\n';
    is_int(lines, 6, "csv: a header and 5 windows");
    ok(strncmp(csv, "start_s,end_s,arrivals,arrival_rate_rps,completed,ok,", 53) == 0, "csv: header");

    /* a successful write: exactly the three files, equal to the stream writers' output */
    char dir[] = "/tmp/fleetsim-report-XXXXXX";
    ok(mkdtemp(dir) != NULL, "a scratch directory");
    char out[128], err[256];
    snprintf(out, sizeof out, "%s/out", dir);
    is_int(report_write_dir(w, out, err, sizeof err), 0, "report_write_dir creates the directory and writes");
    int hidden, n = count_entries(out, &hidden);
    const char *set_names[REPORT_MAX_FILES];
    int n_set = (int)report_set_names(set_names);
    is_int(n, n_set, "the set's files written (report.json, windows.csv, events.jsonl, infracost-usage.yml, ...)");
    is_int(hidden, 0, "no temporary file left");
    char path[256];
    snprintf(path, sizeof path, "%s/report.json", out);
    char *disk = slurp(path, &len);
    ok(disk && strcmp(disk, json) == 0, "report.json on disk equals report_write_json");
    free(disk);
    snprintf(path, sizeof path, "%s/windows.csv", out);
    disk = slurp(path, &len);
    ok(disk && strcmp(disk, csv) == 0, "windows.csv on disk equals report_write_windows_csv");
    free(disk);
    is_int(report_write_dir(w, out, err, sizeof err), 0, "writing again replaces the files");

    /* failures */
    snprintf(path, sizeof path, "%s/no/such/parent", dir);
    is_int(report_write_dir(w, path, err, sizeof err), 0, "missing parents are created (mkdir -p): %s", err);
    n = count_entries(path, &hidden);
    is_int(n, n_set, "and the set is written there");
    snprintf(path, sizeof path, "%s/report.json", out);
    is_int(report_write_dir(w, path, err, sizeof err), -1, "a file as the directory fails: %s", err);

    /* A write that fails half-way (file size limit): the temp file goes, the old report stays. */
    char out2[128];
    snprintf(out2, sizeof out2, "%s/out2", dir);
    mkdir(out2, 0777);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 64;
    setrlimit(RLIMIT_FSIZE, &lim);
    int rc = report_write_dir(w, out2, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    is_int(rc, -1, "a write error fails: %s", err);
    n = count_entries(out2, &hidden);
    is_int(n, 0, "and leaves no file at all (no temp, no half report)");

    /* The set as a whole: a failure at windows.csv (events.jsonl is written first and is small) leaves
     * the previous set, written by another run, exactly as it was. */
    mscn m2;
    mscn_init(&m2, 300, SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    mscn_add(&m2, 2, 2, 1.0, 1);
    mscn_poisson(&m2, 50, mt_exp(0.02));
    world *w2 = mt_run(&m2, 8);
    char out3[128], *before[3];
    static const char *const names[3] = {"report.json", "windows.csv", "events.jsonl"};
    snprintf(out3, sizeof out3, "%s/out3", dir);
    is_int(report_write_dir(w, out3, err, sizeof err), 0, "set: the previous set is written");
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", out3, names[k]);
        before[k] = slurp(path, &len);
    }
    setrlimit(RLIMIT_FSIZE, &lim);
    rc = w2 ? report_write_dir(w2, out3, err, sizeof err) : 0;
    setrlimit(RLIMIT_FSIZE, &old);
    is_int(rc, -1, "set: another run's write fails: %s", err);
    ok(strstr(err, "windows.csv") != NULL, "set: it failed at windows.csv");
    int same = 1;
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", out3, names[k]);
        char *now = slurp(path, &len);
        same = same && before[k] && now && strcmp(before[k], now) == 0;
        free(now);
        free(before[k]);
    }
    ok(same, "set: report.json, windows.csv and events.jsonl are the previous run's, all three");
    n = count_entries(out3, &hidden);
    ok(n == n_set && hidden == 0, "set: no temporary file or directory left (%d entries, %d hidden)", n, hidden);
    ok(w2 && report_write_dir(w2, out3, err, sizeof err) == 0, "set: without the limit the new set replaces it");
    snprintf(path, sizeof path, "%s/report.json", out3);
    char *newer = slurp(path, &len);
    ok(newer && strstr(newer, "\"seed\": 8,"), "set: report.json is the new run's");
    free(newer);
    if (w2)
        mt_free(w2);

    /* Files honour the umask (mkstemp would make them 0600). */
    mode_t um = umask(027);
    char out4[128];
    snprintf(out4, sizeof out4, "%s/out4", dir);
    rc = report_write_dir(w, out4, err, sizeof err);
    umask(um);
    struct stat st;
    snprintf(path, sizeof path, "%s/windows.csv", out4);
    ok(rc == 0 && stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "umask 027: the files are 0640 (got %o)",
       (unsigned)(st.st_mode & 0777));

    if (geteuid() != 0) {
        chmod(out2, 0500);
        is_int(report_write_dir(w, out2, err, sizeof err), -1, "an unwritable directory fails: %s", err);
        chmod(out2, 0700);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ok(system(cmd) == 0, "cleanup");

    free(json);
    free(csv);
    mt_free(w);
    return tap_done();
}
