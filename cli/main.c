/*
 * main.c - the fleetsim command line.
 *
 *   fleetsim run [FILE] [--seed N] [--set PATH=VALUE]... [--out DIR] [--quiet] [--replications N] [--threads N]
 *   fleetsim compare FILE [the options of run]        (docs/compare.md)
 *   fleetsim check [--set PATH=VALUE]... FILE...      (FILE "-": standard input)
 *   fleetsim --help | --version
 *
 * Options follow GNU conventions: --opt VALUE or --opt=VALUE, "--" ends the
 * options, --help anywhere prints the help and exits 0.
 *
 * Exit status (docs/cli.md): 0 ok, 1 scenario error, 2 usage error, 3 run or
 * report failure, 4 lost output (stdout could not be written), 128 + signal
 * when SIGINT (130) or SIGTERM (143) stopped the run.
 *
 * --out is created (with its parents) and probed before the run. The report
 * set is written after the run, as a whole (report.h); if that fails the text
 * summary is still printed and the error says nothing was written.
 *
 * Signals: the first SIGINT / SIGTERM stops the run at the next event
 * (sim_watch), and the partial run is reported as usual; a second one exits at
 * once, writing nothing. SIGINT and SIGTERM are blocked while the report set
 * is put in place, so no temporary file survives them.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "models/core/batch.h"
#include "models/core/scenario.h"
#include "models/core/shard.h"
#include "reports/fileset.h"
#include "models/core/world.h"
#include "cli/progress.h"
#include "cli/ranks.h"
#include "reports/compare.h"
#include "reports/report.h"
#include "sim/sim.h"

#ifndef FLEETSIM_VERSION
#define FLEETSIM_VERSION "unknown"
#endif

enum { EXIT_OK = 0, EXIT_SCENARIO = 1, EXIT_USAGE = 2, EXIT_RUN = 3, EXIT_OUTPUT = 4 };

static const char usage_text[] =
    "usage: fleetsim run [FILE] [--seed N] [--set PATH=VALUE]... [--out DIR] [--quiet]\n"
    "                    [--replications N] [--threads N] [--shard I/N]\n"
    "       fleetsim compare FILE [--replications N] [--threads N] [--seed N] [--set PATH=VALUE]...\n"
    "                    [--out DIR] [--quiet] [--shard I/N]\n"
    "       fleetsim merge DIR... [--out DIR] [--quiet]\n"
    "       fleetsim check [--set PATH=VALUE]... FILE...   (FILE - reads standard input)\n"
    "       fleetsim keys\n"
    "       fleetsim --help | --version\n";

static const char help_text[] =
    "fleetsim - a discrete-event simulator of AWS architectures\n"
    "\n"
    "Commands:\n"
    "  run [FILE]          simulate the scenario in FILE (the built-in default\n"
    "                      scenario when FILE is omitted) and print a summary\n"
    "  check FILE...       validate scenarios without running them (FILE - reads\n"
    "                      standard input); notes name Terraform attributes\n"
    "                      accepted and not simulated; takes --set too\n"
    "  compare FILE        run the scenario's base and its `variants:` on the same\n"
    "                      traffic, each --replications times, and print the\n"
    "                      comparison table (docs/compare.md)\n"
    "  merge DIR...        combine the partial results of --shard runs into the\n"
    "                      report one run would give (docs/compare.md)\n"
    "  keys                print the reference of every scenario key (Markdown),\n"
    "                      from the tables the loader reads: docs/scenario.md\n"
    "\n"
    "Options for run:\n"
    "  --seed N            master seed (overrides the scenario's `seed`)\n"
    "  --set PATH=VALUE    override one value before validation, e.g.\n"
    "                      --set resources.web.desired_capacity=6\n"
    "                      --set workload.0.arrivals.rps=500 (repeatable)\n"
    "  --out DIR           write report.json, report.html, windows.csv, events.jsonl\n"
    "                      and infracost-usage.yml (docs/reports.md) into DIR\n"
    "                      (created with its parents before the run)\n"
    "  --quiet             do not print the text summary\n"
    "  --replications N    independent runs (replication 0..N-1 of the seed), reported\n"
    "                      as mean and 95% interval (overrides `replications:`);\n"
    "                      with N > 1, run prints the interval table and --out\n"
    "                      writes compare.json, compare.csv and compare.html\n"
    "  --threads N         worker threads for replications and variants (default:\n"
    "                      the online CPUs); results do not depend on N\n"
    "  --shard I/N         run only slice I (0 <= I < N) of the replications and\n"
    "                      variants and write its partial result into --out DIR,\n"
    "                      for `fleetsim merge`\n"
    "  -h, --help          this help\n"
    "  --version           print the version\n"
    "\n"
    "Options take --opt VALUE or --opt=VALUE; -- ends the options.\n"
    "Ctrl-C (or SIGTERM) stops the run at the next event and reports the time\n"
    "reached, flagged partial; a second Ctrl-C exits at once, writing nothing.\n"
    "\n"
    "Exit status: 0 ok, 1 scenario error, 2 usage error, 3 run or report failure,\n"
    "4 stdout could not be written, 130 / 143 stopped by SIGINT / SIGTERM.\n"
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

/* Process-level signal state (not simulation state): the signal that asked the run to stop, 0 if none. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    if (stop_signal)
        _exit(128 + sig); /* the second one: at once, nothing written */
    stop_signal = sig;
}

/* Reads all of stdin into a NUL-terminated buffer; NULL on a read error or out of memory. */
static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0) {
            if (ferror(stdin))
                break;
            buf[n] = '\0';
            *len = n;
            return buf;
        }
    }
    free(buf);
    return NULL;
}

/* Loads FILE ("-": standard input; NULL: the built-in default); prints diagnostics on failure, and the notes on success when notes is set. */
static scenario *load(const char *path, const char *const *sets, size_t n_sets, int notes)
{
    scn_diags diags = {0};
    scenario *sc = NULL;
    int rc;
    char *in = NULL;
    if (path && strcmp(path, "-") == 0) {
        size_t len = 0;
        if (!(in = read_stdin(&len))) {
            fprintf(stderr, "<stdin>: error: cannot read standard input: %s\n", strerror(errno));
            return NULL;
        }
        rc = scenario_load("<stdin>", in, len, sets, n_sets, &sc, &diags);
        diags.text = in;
        diags.text_len = len;
    } else if (path) {
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
    if (path && !in)
        scenario_text_free(&diags);
    scn_diags_free(&diags);
    free(in);
    return rc == 0 ? sc : NULL;
}

/* The options both commands parse. */
typedef struct opts {
    const char *path, *out_dir;
    const char **sets;
    size_t n_sets;
    const char **files;
    size_t n_files;
    int quiet, help;
    char seed_set[64];
    long replications, threads; /* 0: not given */
    size_t shard_i, shard_n;    /* shard_n 0: not given */
} opts;

/*
 * GNU-style parsing of argv for command cmd ("run" or "check"): --opt VALUE and --opt=VALUE,
 * "--" ends the options, "-" is a FILE. Returns EXIT_OK or a usage error (printed).
 */
static int parse(const char *cmd, int argc, char **argv, opts *o)
{
    int is_run = strcmp(cmd, "run") == 0 || strcmp(cmd, "compare") == 0, opts_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || a[1] == '\0') {
            o->files[o->n_files++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = 1;
            continue;
        }
        if ((is_run || strcmp(cmd, "merge") == 0) && (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)) {
            o->quiet = 1;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const char *name = NULL;
        static const char *const names[] = {"--seed", "--set", "--out", "--replications", "--threads", "--shard"};
        for (size_t k = 0; k < 6; k++)
            if (strlen(names[k]) == nlen && strncmp(a, names[k], nlen) == 0)
                name = names[k];
        int is_merge = strcmp(cmd, "merge") == 0;
        if (!name || (is_merge && strcmp(name, "--out") != 0) || (!is_run && !is_merge && strcmp(name, "--set") != 0))
            return usage_error("%s: unknown option '%.*s'", cmd, (int)nlen, a);
        const char *v;
        if (eq)
            v = eq + 1;
        else if (i + 1 < argc)
            v = argv[++i];
        else
            return usage_error("option '%s' needs a value", a);
        if (strcmp(name, "--out") == 0) {
            if (!*v)
                return usage_error("--out needs a directory");
            o->out_dir = v;
        } else if (strcmp(name, "--replications") == 0 || strcmp(name, "--threads") == 0) {
            char *end;
            errno = 0;
            long n = strtol(v, &end, 10);
            if (errno || end == v || *end || v[0] < '0' || v[0] > '9' || n < 1 || n > 100000)
                return usage_error("%s takes an integer from 1 to 100000, got '%s'", name, v);
            *(name[2] == 'r' ? &o->replications : &o->threads) = n;
        } else if (strcmp(name, "--shard") == 0) {
            if (shard_parse(v, &o->shard_i, &o->shard_n) != 0)
                return usage_error("--shard takes I/N with 0 <= I < N, got '%s'", v);
        } else if (strcmp(name, "--set") == 0) {
            if (!strchr(v, '='))
                return usage_error("--set takes PATH=VALUE, got '%s'", v);
            o->sets[o->n_sets++] = v;
        } else {
            char *end;
            errno = 0;
            unsigned long long seed = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-' || v[0] == '+' || v[0] == ' ')
                return usage_error("--seed takes a non-negative integer, got '%s'", v);
            snprintf(o->seed_set, sizeof o->seed_set, "seed=%llu", seed);
            o->sets[o->n_sets++] = o->seed_set;
        }
    }
    return EXIT_OK;
}

static int cmd_check(int argc, char **argv)
{
    opts o = {0};
    o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
    o.files = calloc((size_t)argc + 1, sizeof *o.files);
    int status = EXIT_OK;
    if (!o.sets || !o.files) {
        fprintf(stderr, "fleetsim: out of memory\n");
        status = EXIT_RUN;
    } else if ((status = parse("check", argc, argv, &o)) != EXIT_OK) {
    } else if (o.help) {
        fputs(help_text, stdout);
    } else if (o.n_files == 0) {
        status = usage_error("check: a FILE is required");
    } else {
        for (size_t i = 0; i < o.n_files; i++) {
            scenario *sc = load(o.files[i], o.sets, o.n_sets, 1);
            if (!sc) {
                status = EXIT_SCENARIO;
                continue;
            }
            printf("%s: ok (scenario '%s', %zu load balancers, %zu workloads)\n",
                   strcmp(o.files[i], "-") == 0 ? "<stdin>" : o.files[i], sc->name, sc->n_lbs, sc->n_workloads);
            scenario_free(sc);
        }
    }
    free(o.sets);
    free(o.files);
    return status;
}

/* Why the run stopped early, in words, on stderr. */
static void say_stopped(const sim *s, const scenario *sc, int rc)
{
    char reached[64];
    snprintf(reached, sizeof reached, "simulated time %.3f s of %.3f s", sim_to_sec(sim_now(s)),
             sim_to_sec(sc->duration));
    if (stop_signal)
        fprintf(stderr, "fleetsim: stopped by %s at %s; the report covers the time reached (partial)\n",
                stop_signal == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM", reached);
    else if (rc == SIM_ENOMEM)
        fprintf(stderr, "fleetsim: out of memory at %s; the report covers the time reached (partial)\n", reached);
    else
        fprintf(stderr, "fleetsim: the simulation kernel failed (%s) at %s; the report covers the time reached "
                "(partial)\n", rc == SIM_EPAST ? "an event scheduled in the past" : rc == SIM_ELIMIT ?
                "more pending events than the queue can index" : "unknown error", reached);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART; /* a write to a slow stdout goes on after the first signal */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Prints a merged batch's table and writes compare.* under --out: what `compare`, `run --replications` and `merge` end with. */
static int report_batch(const batch *b, const opts *o, int status)
{
    char err[1024] = "";
    if (!o->quiet)
        compare_print_text(b, stdout);
    fflush(stdout);
    if (o->out_dir) {
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigprocmask(SIG_BLOCK, &block, &old);
        int written = compare_write_dir(b, o->out_dir, err, sizeof err) == 0;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (!written) {
            fprintf(stderr, "fleetsim: nothing was written to %s/: %s\n", o->out_dir, err);
            status = EXIT_RUN;
        } else if (!o->quiet) {
            printf("\nComparison written to %s/ (compare.json, compare.csv, compare.html)\n", o->out_dir);
        }
    }
    return status;
}

typedef struct shard_ctx {
    const shard_origin *origin;
    const batch *b;
    size_t first, last;
} shard_ctx;

static int shard_writer(void *ctx, size_t k, FILE *out)
{
    (void)k;
    const shard_ctx *c = ctx;
    return shard_write(out, c->origin, c->b, c->first, c->last);
}

/*
 * Runs reps replications of sc (and of its variants when with_variants) on worker threads; prints and
 * writes the comparison; or, with --shard (origin set), runs the shard's slice and writes its partial result.
 */
static int run_batch(const scenario *sc, const opts *o, int reps, int with_variants, shard_origin *origin)
{
    char err[1024] = "";
    int status = EXIT_OK;
    batch *b = batch_new(sc, reps, with_variants);
    if (!b) {
        fprintf(stderr, "fleetsim: out of memory\n");
        return EXIT_RUN;
    }
    size_t first = 0, last = batch_n_jobs(b);
    if (origin)
        shard_range(batch_n_jobs(b), o->shard_i, o->shard_n, &first, &last);
    long threads = o->threads ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    catch_signals();
    int ran = origin ? batch_run(b, first, last, threads > 0 ? (int)threads : 1, &stop_signal, err, sizeof err)
                     : ranks_run(b, threads > 0 ? (int)threads : 1, &stop_signal, err, sizeof err);
    if (!origin && ranks_rank() != 0) { /* an MPI rank: rank 0 reports */
        batch_free(b);
        return ran == 0 ? EXIT_OK : EXIT_RUN;
    }
    if (ran != 0 || (!origin && batch_merge(b, err, sizeof err) != 0)) {
        fprintf(stderr, "fleetsim: %s\n", err);
        status = EXIT_RUN;
    }
    if (stop_signal)
        fprintf(stderr, "fleetsim: stopped by %s; the figures cover the time each run reached (partial)\n",
                stop_signal == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM");
    if (!origin) {
        status = report_batch(b, o, status);
    } else {
        origin->replications = reps;
        origin->with_variants = with_variants;
        origin->shard_i = o->shard_i;
        origin->shard_n = o->shard_n;
        shard_ctx c = {origin, b, first, last};
        const char *name = SHARD_FILE;
        if (fset_write(o->out_dir, &name, 1, shard_writer, &c, err, sizeof err) != 0) {
            fprintf(stderr, "fleetsim: nothing was written to %s/: %s\n", o->out_dir, err);
            status = EXIT_RUN;
        } else if (!o->quiet) {
            printf("shard %zu/%zu: jobs %zu..%zu of %zu written to %s/%s\n", o->shard_i, o->shard_n, first,
                   last ? last - 1 : 0, batch_n_jobs(b), o->out_dir, SHARD_FILE);
        }
    }
    batch_free(b);
    return status;
}

/* The text of FILE (NULL: the built-in scenario) for a partial result's origin; NULL after a message. */
static char *origin_text(const char *path, size_t *len)
{
    if (!path) {
        *len = strlen(scenario_default_text());
        return strdup(scenario_default_text());
    }
    FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    while (f) {
        if (*len + 65536 > cap) {
            char *nb = realloc(buf, cap = 2 * cap + 65536);
            if (!nb)
                break;
            buf = nb;
        }
        size_t got = fread(buf + *len, 1, cap - *len - 1, f);
        *len += got;
        if (got == 0) {
            buf[*len] = '\0';
            fclose(f);
            return buf;
        }
    }
    if (f)
        fclose(f);
    free(buf);
    fprintf(stderr, "fleetsim: --shard needs the scenario as a FILE it can read again (not standard input)\n");
    return NULL;
}

static int cmd_merge(int argc, char **argv)
{
    opts o = {0};
    o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
    o.files = calloc((size_t)argc + 1, sizeof *o.files);
    int status = EXIT_OK;
    scenario *sc = NULL;
    batch *b = NULL;
    shard_origin first = {0};
    char err[1024] = "";
    if (!o.sets || !o.files) {
        fprintf(stderr, "fleetsim: out of memory\n");
        status = EXIT_RUN;
        goto done;
    }
    if ((status = parse("merge", argc, argv, &o)) != EXIT_OK)
        goto done;
    if (o.help) {
        fputs(help_text, stdout);
        goto done;
    }
    if (o.n_files == 0) {
        status = usage_error("merge: a DIR is required (an --out DIR of `run --shard`)");
        goto done;
    }
    for (size_t i = 0; i < o.n_files && status == EXIT_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o.files[i], SHARD_FILE);
        FILE *f = fopen(path, "rb");
        shard_origin og = {0};
        if (!f) {
            fprintf(stderr, "fleetsim: %s: %s\n", path, strerror(errno));
            status = EXIT_SCENARIO;
            break;
        }
        if (shard_read_origin(f, &og, err, sizeof err) != 0) {
            status = EXIT_SCENARIO;
        } else if (i == 0) {
            scn_diags diags = {0};
            if (scenario_load(og.file, og.text, og.text_len, (const char *const *)og.sets, og.n_sets, &sc, &diags) != 0) {
                scn_diags_print(&diags, stderr);
                snprintf(err, sizeof err, "its scenario does not load");
                status = EXIT_SCENARIO;
            } else if (!(b = batch_new(sc, og.replications, og.with_variants))) {
                snprintf(err, sizeof err, "out of memory");
                status = EXIT_RUN;
            }
            scn_diags_free(&diags);
            first = og;
            og = (shard_origin){0};
        } else if (shard_hash(&og) != shard_hash(&first)) {
            snprintf(err, sizeof err, "from another batch than %s (scenario, --set or replications differ)", o.files[0]);
            status = EXIT_SCENARIO;
        }
        if (status == EXIT_OK && shard_read_jobs(f, b, err, sizeof err) != 0)
            status = EXIT_SCENARIO;
        if (status != EXIT_OK)
            fprintf(stderr, "fleetsim: %s: %s\n", path, err);
        shard_origin_free(&og);
        fclose(f);
    }
    for (size_t j = 0; status == EXIT_OK && j < batch_n_jobs(b); j++)
        if (!batch_job_ran(b, j)) {
            size_t k = 0, lo, hi;
            for (; k < first.shard_n; k++) {
                shard_range(batch_n_jobs(b), k, first.shard_n, &lo, &hi);
                if (j >= lo && j < hi)
                    break;
            }
            fprintf(stderr, "fleetsim: job %zu (%s, replication %zu) is in no partial result: shard %zu/%zu is missing\n",
                    j, batch_variant_name(b, j / batch_n_replications(b)), j % batch_n_replications(b), k,
                    first.shard_n);
            status = EXIT_SCENARIO;
        }
    if (status == EXIT_OK) {
        if (batch_merge(b, err, sizeof err) != 0) {
            fprintf(stderr, "fleetsim: %s\n", err);
            status = EXIT_RUN;
        }
        status = report_batch(b, &o, status);
    }
done:
    batch_free(b);
    scenario_free(sc);
    shard_origin_free(&first);
    free(o.sets);
    free(o.files);
    return status;
}

/* `run` (is_compare 0) and `compare` (1). */
static int cmd_run(int argc, char **argv, int is_compare)
{
    opts o = {0};
    o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
    o.files = calloc((size_t)argc + 1, sizeof *o.files);
    int status = EXIT_OK;
    scenario *sc = NULL;
    sim *s = NULL;
    world *w = NULL;
    char err[1024] = "";

    if (!o.sets || !o.files) {
        fprintf(stderr, "fleetsim: out of memory\n");
        status = EXIT_RUN;
        goto done;
    }
    if ((status = parse(is_compare ? "compare" : "run", argc, argv, &o)) != EXIT_OK)
        goto done;
    if (o.help) {
        fputs(help_text, stdout);
        goto done;
    }
    if (o.n_files > 1) {
        status = usage_error("%s: one FILE at most (got '%s' too)", is_compare ? "compare" : "run", o.files[1]);
        goto done;
    }
    if (is_compare && o.n_files == 0) {
        status = usage_error("compare: a FILE is required");
        goto done;
    }
    o.path = o.n_files ? o.files[0] : NULL;

    if (!(sc = load(o.path, o.sets, o.n_sets, !o.quiet))) {
        status = EXIT_SCENARIO;
        goto done;
    }
    if (o.shard_n && ranks_size() > 1) { /* every rank would run the same slice into the same DIR */
        status = usage_error("--shard and mpirun -n %d both split the jobs: under mpirun leave --shard out "
                             "(the ranks share the jobs), or run the shards as separate processes", ranks_size());
        goto done;
    }
    /* A bad --out is found now, not after the run. */
    if (o.out_dir && report_prepare_dir(o.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "fleetsim: --out: %s (nothing was run)\n", err);
        status = EXIT_RUN;
        goto done;
    }
    int reps = o.replications ? (int)o.replications : sc->replications;
    if (o.shard_n && !o.out_dir) {
        status = usage_error("--shard needs --out DIR (where its partial result goes)");
        goto done;
    }
    if (o.shard_n) {
        shard_origin origin = {.file = (char *)(o.path ? o.path : "<default>"), .sets = (char **)o.sets,
                               .n_sets = o.n_sets};
        if (!(origin.text = origin_text(o.path, &origin.text_len))) {
            status = EXIT_SCENARIO;
            goto done;
        }
        status = run_batch(sc, &o, reps, is_compare, &origin);
        free(origin.text);
        goto done;
    }
    if (is_compare || reps > 1 || ranks_size() > 1) {
        status = run_batch(sc, &o, reps, is_compare, NULL);
        goto done;
    }
    s = sim_new(sc->seed, 0);
    w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        fprintf(stderr, "fleetsim: cannot build the scenario: %s\n", s ? err : "out of memory");
        status = EXIT_RUN;
        goto done;
    }
    catch_signals();
    sim_watch(s, &stop_signal);
    progress prog; /* the progress line: on a terminal's stderr, not with --quiet */
    progress_start(&prog, s, sc->duration, o.quiet ? NULL : stderr);
    if (prog.out)
        world_set_progress(w, sc->duration / 1000 + 1, progress_tick, &prog);

    int rc = world_run(w);
    progress_done(&prog);
    sim_watch(s, NULL);
    if (rc != 0 || stop_signal)
        say_stopped(s, sc, rc);
    if (rc != 0)
        status = EXIT_RUN;
    if (!world_has_run(w)) {
        status = EXIT_RUN;
        goto done;
    }
    /* The summary first: a slow or stalled stdout then delays the write, and a second Ctrl-C
     * meanwhile still leaves nothing behind. */
    if (!o.quiet)
        report_print_text(w, stdout);
    fflush(stdout);
    if (o.out_dir) {
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigprocmask(SIG_BLOCK, &block, &old);
        int written = report_write_dir(w, o.out_dir, err, sizeof err) == 0;
        sigprocmask(SIG_SETMASK, &old, NULL); /* a signal that came meanwhile is handled here */
        if (!written) {
            fprintf(stderr, "fleetsim: nothing was written to %s/: %s\n", o.out_dir, err);
            status = EXIT_RUN;
        } else if (!o.quiet) {
            const char *names[REPORT_MAX_FILES];
            size_t n = report_set_names(names);
            printf("\nReports written to %s/ (", o.out_dir);
            for (size_t k = n; k-- > 0;) /* report.json first: the file a reader opens first */
                printf("%s%s", names[k], k ? ", " : "");
            printf(")%s\n", world_partial(w) ? ", flagged partial" : "");
        }
    }
done:
    world_free(w);
    sim_free(s);
    scenario_free(sc);
    free(o.sets);
    free(o.files);
    if (stop_signal)
        return 128 + stop_signal;
    return status;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; fleetsim checks every status instead.
       Process-global, so it is set once here before anything else runs. */
    gsl_set_error_handler_off();
    ranks_init(&argc, &argv);
    world_tune_malloc();

    int status = dispatch(argc, argv);
    /* Lost output is an error: a summary nobody received is not a success (docs/cli.md, exit 4). */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "fleetsim: cannot write to standard output: %s\n", errno ? strerror(errno) : "write error");
        if (status == EXIT_OK)
            status = EXIT_OUTPUT;
    }
    ranks_finish();
    return status;
}

static int dispatch(int argc, char **argv)
{
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
        return cmd_run(argc - 2, argv + 2, 0);
    if (strcmp(cmd, "compare") == 0)
        return cmd_run(argc - 2, argv + 2, 1);
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "keys") == 0) {
        if (argc > 2)
            return usage_error("keys: takes no arguments");
        scenario_keys_markdown(stdout);
        return EXIT_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}
