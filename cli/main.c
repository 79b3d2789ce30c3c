/*
 * main.c - the fleetsim command line.
 *
 *   fleetsim run [FILE] [--seed N] [--set PATH=VALUE]... [--out DIR] [--quiet]
 *   fleetsim check FILE...
 *   fleetsim --help | --version
 *
 * Exit status: 0 ok, 1 scenario error, 2 usage error, 3 run or report failure.
 * A report directory is written only after the run succeeded, file by file
 * atomically, so a failed run never leaves a half report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "models/core/scenario.h"
#include "models/core/world.h"
#include "reports/report.h"
#include "sim/sim.h"

#ifndef FLEETSIM_VERSION
#define FLEETSIM_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_SCENARIO = 1, EXIT_USAGE = 2, EXIT_RUN = 3 };

static const char usage_text[] =
    "usage: fleetsim run [FILE] [--seed N] [--set PATH=VALUE]... [--out DIR] [--quiet]\n"
    "       fleetsim check FILE...\n"
    "       fleetsim keys\n"
    "       fleetsim --help | --version\n";

static const char help_text[] =
    "fleetsim - a discrete-event simulator of AWS architectures\n"
    "\n"
    "Commands:\n"
    "  run [FILE]          simulate the scenario in FILE (the built-in default\n"
    "                      scenario when FILE is omitted) and print a summary\n"
    "  check FILE...       validate scenarios without running them; notes name\n"
    "                      Terraform attributes accepted and not simulated\n"
    "  keys                print the reference of every scenario key (Markdown),\n"
    "                      from the tables the loader reads: docs/scenario.md\n"
    "\n"
    "Options for run:\n"
    "  --seed N            master seed (overrides the scenario's `seed`)\n"
    "  --set PATH=VALUE    override one value before validation, e.g.\n"
    "                      --set resources.web.desired_capacity=6\n"
    "                      --set workload.0.arrivals.rps=500 (repeatable)\n"
    "  --out DIR           write report.json, windows.csv and events.jsonl into DIR\n"
    "  --quiet             do not print the text summary\n"
    "  -h, --help          this help\n"
    "  --version           print the version\n"
    "\n"
    "Exit status: 0 ok, 1 scenario error, 2 usage error, 3 run or report failure.\n"
    "Same scenario + same seed = byte-identical output.\n"
    "Documentation: README.md, docs/scenario.md, docs/cli.md.\n";

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fleetsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage_text);
    return EXIT_USAGE;
}

/* Loads FILE (or the built-in default when path is NULL); prints diagnostics on failure, and the notes on success when notes is set. */
static scenario *load(const char *path, const char *const *sets, size_t n_sets, int notes)
{
    scn_diags diags = {0};
    scenario *sc = NULL;
    int rc;
    if (path) {
        rc = scenario_load_file(path, sets, n_sets, &sc, &diags);
    } else {
        const char *text = scenario_default_text();
        rc = scenario_load("<default>", text, strlen(text), sets, n_sets, &sc, &diags);
        diags.text = text;
        diags.text_len = strlen(text);
    }
    if (rc != 0)
        scn_diags_print(&diags, stderr);
    else if (notes)
        scenario_notes_print(sc, stderr);
    if (path)
        scenario_text_free(&diags);
    scn_diags_free(&diags);
    return rc == 0 ? sc : NULL;
}

static int cmd_check(int argc, char **argv)
{
    int status = EXIT_OK, n_files = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error("check: unknown option '%s'", argv[i]);
        n_files++;
    }
    if (n_files == 0)
        return usage_error("check: a FILE is required");
    for (int i = 0; i < argc; i++) {
        scenario *sc = load(argv[i], NULL, 0, 1);
        if (!sc) {
            status = EXIT_SCENARIO;
            continue;
        }
        printf("%s: ok (scenario '%s', %zu load balancers, %zu workloads)\n", argv[i], sc->name,
               sc->n_lbs, sc->n_workloads);
        scenario_free(sc);
    }
    return status;
}

static int cmd_run(int argc, char **argv)
{
    const char *path = NULL, *out_dir = NULL;
    int quiet = 0;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    char seed_set[64];
    size_t n_sets = 0;
    int status = EXIT_OK;

    if (!sets) {
        fprintf(stderr, "fleetsim: out of memory\n");
        return EXIT_RUN;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "--set") == 0 || strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                status = usage_error("option '%s' needs a value", a);
                goto done;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--out") == 0) {
                out_dir = v;
            } else if (strcmp(a, "--set") == 0) {
                if (!strchr(v, '=')) {
                    status = usage_error("--set takes PATH=VALUE, got '%s'", v);
                    goto done;
                }
                sets[n_sets++] = v;
            } else {
                char *end;
                errno = 0;
                unsigned long long seed = strtoull(v, &end, 10);
                if (errno || end == v || *end || v[0] == '-') {
                    status = usage_error("--seed takes a non-negative integer, got '%s'", v);
                    goto done;
                }
                snprintf(seed_set, sizeof seed_set, "seed=%llu", seed);
                sets[n_sets++] = seed_set;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            status = usage_error("run: unknown option '%s'", a);
            goto done;
        } else if (path) {
            status = usage_error("run: one FILE at most (got '%s' too)", a);
            goto done;
        } else {
            path = a;
        }
    }

    scenario *sc = load(path, sets, n_sets, !quiet);
    if (!sc) {
        status = EXIT_SCENARIO;
        goto done;
    }
    char err[512] = "";
    sim *s = sim_new(sc->seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        fprintf(stderr, "fleetsim: cannot build the scenario: %s\n", s ? err : "out of memory");
        status = EXIT_RUN;
    } else if (world_run(w) != 0) {
        fprintf(stderr, "fleetsim: the run failed at t=%.3fs (kernel error %d)\n",
                sim_to_sec(sim_now(s)), sim_error(s));
        status = EXIT_RUN;
    } else {
        if (out_dir && report_write_dir(w, out_dir, err, sizeof err) != 0) {
            fprintf(stderr, "fleetsim: cannot write the report: %s\n", err);
            status = EXIT_RUN;
        }
        if (status == EXIT_OK && !quiet) {
            report_print_text(w, stdout);
            if (out_dir)
                printf("\nReports written to %s/ (report.json, windows.csv, events.jsonl)\n", out_dir);
        }
        if (fflush(stdout) != 0) {
            fprintf(stderr, "fleetsim: cannot write to stdout: %s\n", strerror(errno));
            status = EXIT_RUN;
        }
    }
    world_free(w);
    sim_free(s);
    scenario_free(sc);
done:
    free(sets);
    return status;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; fleetsim checks every status instead.
       Process-global, so it is set once here before anything else runs. */
    gsl_set_error_handler_off();

    if (argc < 2)
        return usage_error("a command is required");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(help_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("fleetsim %s\n", FLEETSIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "keys") == 0) {
        if (argc > 2)
            return usage_error("keys: takes no arguments");
        scenario_keys_markdown(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_RUN;
    }
    return usage_error("unknown command '%s'", cmd);
}
