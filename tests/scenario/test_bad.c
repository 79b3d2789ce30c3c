/*
 * test_bad.c - every YAML file in tests/bad must fail with exactly the diagnostics
 * its header promises: lines "# expect: LINE:COL: SUBSTRING" (all must be
 * found, each by a different diagnostic, and nothing else may be reported).
 * Optional "# set: PATH=VALUE" lines are passed as --set options.
 * The directory is the first argument (meson passes tests/bad).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "models/core/scenario.h"
#include "tests/tap.h"

#define MAX_EXPECT 16

typedef struct expect {
    int line, col;
    char sub[256];
} expect;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the header comment lines of text into expectations and --set strings. */
static size_t read_header(const char *text, size_t len, expect *ex, char sets[][256], size_t *n_sets)
{
    size_t n = 0;
    const char *p = text, *end = text + len;
    *n_sets = 0;
    while (p < end && *p == '#') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = (size_t)((nl ? nl : end) - p);
        char line[240];
        if (ll >= sizeof line)
            ll = sizeof line - 1;
        memcpy(line, p, ll);
        line[ll] = '\0';
        int off = 0;
        if (n < MAX_EXPECT && sscanf(line, "# expect: %d:%d: %n", &ex[n].line, &ex[n].col, &off) == 2 && off > 0) {
            snprintf(ex[n].sub, sizeof ex[n].sub, "%s", line + off);
            n++;
        } else if (*n_sets < 4 && strncmp(line, "# set: ", 7) == 0) {
            snprintf(sets[*n_sets], 256, "%s", line + 7);
            (*n_sets)++;
        }
        p = nl ? nl + 1 : end;
    }
    return n;
}

static void check_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    scn_diags d = {0};
    scenario *s = NULL;
    char sets[4][256];
    const char *setp[4] = {sets[0], sets[1], sets[2], sets[3]};
    size_t n_sets = 0;

    /* Read the header first (the loader reads the file itself). */
    FILE *f = fopen(path, "rb");
    char head[8192];
    size_t hl = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    expect ex[MAX_EXPECT];
    size_t n_ex = read_header(head, hl, ex, sets, &n_sets);

    int rc = scenario_load_file(path, setp, n_sets, &s, &d);
    int used[SCN_MAX_DIAGS] = {0};
    int good = rc == -1 && s == NULL && n_ex > 0;
    for (size_t i = 0; i < n_ex; i++) {
        int found = 0;
        for (size_t j = 0; j < d.n && !found; j++)
            if (!used[j] && d.items[j].line == ex[i].line && d.items[j].col == ex[i].col &&
                strstr(d.items[j].message, ex[i].sub)) {
                used[j] = 1;
                found = 1;
            }
        if (!found) {
            tap_diag("%s: missing %d:%d: %s", name, ex[i].line, ex[i].col, ex[i].sub);
            good = 0;
        }
    }
    for (size_t j = 0; j < d.n; j++)
        if (!used[j]) {
            tap_diag("%s: unexpected %d:%d: %s", name, d.items[j].line, d.items[j].col, d.items[j].message);
            good = 0;
        }
    if (n_ex == 0)
        tap_diag("%s: no '# expect: LINE:COL: MESSAGE' header", name);
    ok(good, "%s", name);
    scenario_free(s);
    scenario_text_free(&d);
    scn_diags_free(&d);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *dir = argc > 1 ? argv[1] : "tests/bad";
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("1..0 # SKIP cannot open %s\n", dir);
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        check_file(dir, names[i]);
        free(names[i]);
    }
    free(names);
    ok(n >= 30, "at least 30 bad scenarios (found %zu)", n);
    return tap_done();
}
