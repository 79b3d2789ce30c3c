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
static int count_entries(const char *dir, int *hidden)
{
    DIR *d = opendir(dir);
    int n = 0;
    *hidden = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        *hidden += e->d_name[0] == '.';
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
    ok(strstr(text, "p99.9") && strstr(text, "throughput") && strstr(text, "SLO p99 <= 500.000 ms: met"),
       "text: latency, throughput and the SLO verdict");
    ok(strstr(text, "504_timeout") && strstr(text, "LCU-hours not modelled") && strstr(text, "total"),
       "text: errors by cause and the cost ledger");
    free(text);

    char *json = mem_of(w, report_write_json, &len);
    ok(strncmp(json, "{\n  \"schema\": \"fleetsim.report/2\",", 34) == 0, "json: opens with the schema");
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
    ok(strncmp(csv, "start_s,end_s,arrivals,completed,ok,", 36) == 0, "csv: header");

    /* a successful write: exactly the three files, equal to the stream writers' output */
    char dir[] = "/tmp/fleetsim-report-XXXXXX";
    ok(mkdtemp(dir) != NULL, "a scratch directory");
    char out[128], err[256];
    snprintf(out, sizeof out, "%s/out", dir);
    is_int(report_write_dir(w, out, err, sizeof err), 0, "report_write_dir creates the directory and writes");
    int hidden, n = count_entries(out, &hidden);
    is_int(n, 3, "three files written (report.json, windows.csv, events.jsonl)");
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
    err[0] = '\0';
    is_int(report_write_dir(w, path, err, sizeof err), -1, "a missing parent fails");
    ok(err[0] != '\0', "with a message: %s", err);
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
