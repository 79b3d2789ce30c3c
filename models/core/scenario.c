/*
 * scenario.c - the scenario's top level: scenario, seed, duration, region,
 * start_time, cloudwatch, instance_types, then `resources:` through the type
 * table (loader.c, registry.c), `workload:`, `faults:` / `operations:` and
 * `report:`; and the entry points of scenario.h.
 */
#include "models/core/scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/core/loader.h"
#include "models/ec2/instance_type.h"
#include "models/faults/faults_cfg.h"
#include "models/faults/fis_cfg.h"
#include "models/workload/workload_cfg.h"

/* ---------------------------------------------------------------- top level */

/* fleetsim's own keys: durations need a unit (docs/scenario.md). */
static const ld_key slo_keys[] = {
    {.name = "p99", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_LO_OPEN, .source = "fleetsim",
     .doc = "the latency part: 99% of finished requests answered OK within this; a failed request counts "
            "as too slow (no latency part when absent)"},
    {.name = "error_rate", .kind = LD_STR, .def = "0.1%", .hi = "24",
     .source = "fleetsim: 99.9% availability, the common three-nines objective",
     .doc = "the error part: at most this percentage of finished requests fail (4XX, 5XX, client timeouts), "
            "written with %, e.g. 0.1%"},
    {.name = "violation_cost_per_minute", .kind = LD_MONEY, .def = "$0", .source = "fleetsim (the business's own figure)",
     .doc = "what each minute of a report window that missed the SLO costs (penalties, lost sales): a line of its "
            "own beside the AWS bill in the report's cost section"},
    {.name = NULL},
};

static const ld_key report_keys[] = {
    {.name = "window", .kind = LD_DUR, .def = "1m", .lo = "1s", .hi = "400d", .source = "fleetsim",
     .doc = "width of a report window (windows.csv rows); at most 100000 windows in a run"},
    {.name = "warmup", .kind = LD_DUR, .def = "0s", .lo = "0s", .hi = "400d", .source = "fleetsim",
     .doc = "requests arriving before this are left out of latency statistics; shorter than the run"},
    {.name = "slo", .kind = LD_BLOCK, .block = slo_keys, .source = "fleetsim", .doc = "service level objective"},
    {.name = NULL},
};

static const ld_key cloudwatch_keys[] = {
    {.name = "publication_delay", .kind = LD_DUR, .def = "60s", .lo = "0s", .hi = "1h",
     .source = "fleetsim (AWS publishes no figure: aws-semantics 3.1, NOT FOUND)",
     .doc = "how long after a period ends its datapoint can be read by alarms and policies"},
    {.name = NULL},
};

static const ld_key top_keys[] = {
    {.name = "scenario", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "the scenario's name, for the reports; not empty"},
    {.name = "seed", .kind = LD_INT, .def = "1", .lo = "0", .hi = "18446744073709551615", .source = "fleetsim",
     .doc = "master seed: same scenario and seed, byte-identical output"},
    {.name = "duration", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED | LD_LO_OPEN,
     .source = "fleetsim", .doc = "simulated time of the run"},
    {.name = "region", .kind = LD_STR, .def = "us-west-2", .hi = "20", .source = "Terraform provider `region`",
     .doc = "AWS region: its zones and its price table (data/prices/REGION.csv)"},
    {.name = "start_time", .kind = LD_STR, .def = "2026-01-05T00:00:00Z", .hi = "64", .source = "fleetsim",
     .doc = "UTC time stamp of t = 0, for cron schedules (default: a Monday)"},
    {.name = "cloudwatch", .kind = LD_BLOCK, .block = cloudwatch_keys, .source = "fleetsim",
     .doc = "CloudWatch settings that AWS does not document"},
    {.name = "instance_types", .kind = LD_LIST, .source = "fleetsim",
     .doc = "instance type overrides and new types: TYPE: {vcpus, speed, hourly_price}"},
    {.name = "resources", .kind = LD_LIST, .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "NAME: {type: TERRAFORM_TYPE, ...}: the architecture (types below)"},
    {.name = "workload", .kind = LD_LIST, .source = "fleetsim", .doc = "the traffic; none: no requests"},
    {.name = "faults", .kind = LD_LIST, .source = "fleetsim", .doc = "what-ifs at set times"},
    {.name = "operations", .kind = LD_LIST, .source = "fleetsim", .doc = "manual scaling and instance refreshes at set times"},
    {.name = "report", .kind = LD_BLOCK, .block = report_keys, .source = "fleetsim", .doc = "report windows, warmup, SLO"},
    {.name = "replications", .kind = LD_INT, .def = "1", .lo = "1", .hi = "100000", .source = "fleetsim",
     .doc = "independent runs (replication index 0..N-1 of the same seed) reported as mean and 95% interval "
            "(docs/compare.md); --replications overrides"},
    {.name = "variants", .kind = LD_LIST, .source = "fleetsim",
     .doc = "- {name, description, set: {PATH: VALUE}}: the base with overrides, compared side by side on the "
            "same traffic (`fleetsim compare`, docs/compare.md)"},
    {.name = NULL},
};

/* One entry of `variants:`. */
static const ld_key variant_keys[] = {
    {.name = "name", .kind = LD_STR, .hi = "64", .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "the variant's column: letters, digits, '_', '-' and '.'; unique, not `base`"},
    {.name = "description", .kind = LD_STR, .hi = "200", .source = "fleetsim", .doc = "one line for the reader"},
    {.name = "set", .kind = LD_LIST, .flags = LD_REQUIRED, .source = "fleetsim",
     .doc = "PATH: VALUE overrides of the base, each applied as `--set PATH=VALUE` is (a VALUE may be a block); "
            "not seed, replications or variants"},
    {.name = NULL},
};

/* "0.1%" -> 0.001: the % is required, a bare 0.1 would be ambiguous (10% or 0.1%?). */
static void load_error_rate(loader *v, const ld_sect *slo, double *out)
{
    char buf[32], b1[64];
    const scn_node *where = NULL;
    *out = 0.001;
    if (ld_str(slo, "error_rate", buf, sizeof buf, &where) <= 0 || !where)
        return;
    size_t len = strlen(buf);
    double x;
    if (len < 2 || buf[len - 1] != '%') {
        scn_err(&v->c, where, "'error_rate': expected a percentage such as 0.1%%, found '%s'",
                scn_clip(b1, sizeof b1, where->str));
        return;
    }
    buf[len - 1] = '\0';
    if (!ld_parse_number(buf, &x) || !(x >= 0 && x <= 100)) {
        scn_err(&v->c, where, "'error_rate': expected a percentage between 0%% and 100%%, found '%s'",
                scn_clip(b1, sizeof b1, where->str));
        return;
    }
    *out = x / 100;
}

static void load_report(loader *v, const scn_node *n)
{
    char b1[32], b2[32];
    scenario *sc = v->s;
    ld_sect s = {.v = v, .owner = n, .keys = report_keys};
    if (n && !ld_sect_open(v, &s, n, n, "'report'"))
        return;
    ld_sect_check(&s, report_keys);
    int rw = ld_dur(&s, "window", &sc->report.window);
    if (rw >= 0 && sc->duration > 0 && sc->duration / sc->report.window > 100000)
        scn_err(&v->c, rw > 0 ? ld_sect_get(&s, "window") : v->duration_node,
                "a %s run with %s windows has more than 100000 windows: widen report.window",
                ld_fmt_dur(b1, sizeof b1, sc->duration), ld_fmt_dur(b2, sizeof b2, sc->report.window));
    if (ld_dur(&s, "warmup", &sc->report.warmup) > 0 && sc->duration > 0 && sc->report.warmup >= sc->duration)
        scn_err(&v->c, ld_sect_get(&s, "warmup"), "'warmup' (%s) must be shorter than the duration (%s)",
                ld_fmt_dur(b1, sizeof b1, sc->report.warmup), ld_fmt_dur(b2, sizeof b2, sc->duration));
    const scn_node *sn = ld_sect_get(&s, "slo");
    ld_sect slo;
    if (sn && ld_sect_open(v, &slo, sn, sn, "'slo' of 'report'")) {
        ld_sect_check(&slo, slo_keys);
        ld_dur(&slo, "p99", &sc->report.slo_p99);
        sc->report.slo = true;
        load_error_rate(v, &slo, &sc->report.slo_error_rate);
        ld_get_money(&slo, "violation_cost_per_minute", false, &sc->report.slo_violation_usd_per_min);
    }
}

/* The shape of `variants:`: names, descriptions and the override paths (their values are checked when each variant is loaded). */
static void load_variants(loader *v, const scn_node *n)
{
    char b1[96];
    scenario *sc = v->s;
    if (!n || scn_is_null(n))
        return;
    if (n->kind != SCN_N_SEQ) {
        scn_err(&v->c, n, "'variants': expected a list of {name, set: {PATH: VALUE}}, found %s", scn_kind_name(n));
        return;
    }
    if (!(sc->variants = calloc(n->n ? n->n : 1, sizeof *sc->variants))) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        ld_sect e;
        if (!ld_sect_open(v, &e, n->kids[i], n->kids[i], "a 'variants' entry"))
            continue;
        ld_sect_check(&e, variant_keys);
        char name[65] = "", desc[201] = "";
        const scn_node *nn = NULL, *dn = NULL;
        if (ld_str(&e, "name", name, sizeof name, &nn) > 0) {
            bool ok = name[0] != '\0' && strcmp(name, "base") != 0;
            for (const char *p = name; *p; p++)
                ok = ok && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                            *p == '_' || *p == '-' || *p == '.');
            if (!ok)
                scn_err(&v->c, nn, "'name': expected letters, digits, '_', '-' or '.' (and not 'base'), found '%s'",
                        scn_clip(b1, sizeof b1, name));
            for (size_t j = 0; ok && j < sc->n_variants; j++)
                if (strcmp(sc->variants[j]->variant_name, name) == 0)
                    scn_err(&v->c, nn, "variant '%s' is named twice", name);
        }
        ld_str(&e, "description", desc, sizeof desc, &dn);
        const scn_node *set = ld_sect_need(&e, "set", true);
        if (set && set->kind != SCN_N_MAP) {
            scn_err(&v->c, set, "'set': expected a mapping of PATH: VALUE, found %s", scn_kind_name(set));
        } else if (set) {
            for (size_t k = 0; k < set->n; k += 2) {
                const scn_node *key = set->kids[k];
                static const char *const fixed[] = {"seed", "replications", "variants", NULL};
                for (const char *const *f = fixed; *f; f++) {
                    size_t fl = strlen(*f);
                    if (strncmp(key->str, *f, fl) == 0 && (key->str[fl] == '\0' || key->str[fl] == '.'))
                        scn_err(&v->c, key, "a variant may not set '%s': every variant runs the base's seed and "
                                "replications (common random numbers)", *f);
                }
            }
        }
        /* A placeholder until scenario_load builds the variant: it carries the name and description. */
        scenario *x = calloc(1, sizeof *x);
        if (!x || !(x->variant_name = ld_dupstr(name)) || !(x->variant_description = ld_dupstr(desc))) {
            if (x)
                free(x->variant_name);
            free(x);
            scn_err(&v->c, n, "out of memory");
            return;
        }
        x->variant_loc = (scn_loc){n->kids[i]->line, n->kids[i]->col};
        sc->variants[sc->n_variants++] = x;
    }
}

static void validate(loader *v, const scn_node *root)
{
    char b1[96];
    scenario *sc = v->s;
    if (root->kind != SCN_N_MAP) {
        scn_err(&v->c, root, "the top level must be a mapping with 'scenario', 'duration', 'resources' and "
                "'workload', found %s", scn_kind_name(root));
        return;
    }
    ld_sect top;
    ld_sect_open(v, &top, root, root, "the top level");
    ld_sect_check(&top, top_keys);

    const scn_node *nn = NULL;
    if (ld_str(&top, "scenario", NULL, 0, &nn) > 0) {
        if (nn->str[0] == '\0')
            scn_err(&v->c, nn, "'scenario' must not be empty");
        sc->name = ld_dupstr(nn->str);
    }
    /* The seed is read by hand: all of uint64 is valid, past what ld_int holds. */
    sc->seed = (uint64_t)ld_int_default(top_keys, "seed");
    const scn_node *seed = ld_sect_get(&top, "seed");
    if (seed && ld_want_scalar(&top, seed, "seed", "an integer")) {
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
    v->duration_node = ld_sect_get(&top, "duration");
    ld_dur(&top, "duration", &sc->duration);
    const scn_node *rn = NULL;
    int rr = ld_str(&top, "region", sc->region, sizeof sc->region, &rn);
    v->bad_region = rr < 0;
    if (rr > 0) {
        bool okr = sc->region[0] != '\0';
        for (const char *p = sc->region; *p; p++)
            okr = okr && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        if (!okr) {
            scn_err(&v->c, rn, "'region' must be an AWS region name such as us-west-2");
            v->bad_region = true;
        } else if (!itype_region_known(sc->region)) {
            /* Never a silent us-west-2 price: the region needs its own data/prices file. */
            scn_err(&v->c, rn, "no price table for region '%s'; known regions: %s (a new region is a "
                    "data/prices/%s.csv file)", sc->region, itype_regions_list(), sc->region);
        }
    }
    char st[65] = "";
    const scn_node *stn = NULL;
    if (ld_str(&top, "start_time", st, sizeof st, &stn) >= 0 && !ld_parse_rfc3339(st, &sc->start_epoch))
        scn_err(&v->c, stn, "'start_time': expected a UTC time stamp such as 2026-01-05T00:00:00Z, found '%s'",
                scn_clip(b1, sizeof b1, st));
    const scn_node *cw = ld_sect_get(&top, "cloudwatch");
    ld_sect cws = {.v = v, .keys = cloudwatch_keys};
    if (!cw || ld_sect_open(v, &cws, cw, cw, "'cloudwatch'")) {
        ld_sect_check(&cws, cloudwatch_keys);
        ld_dur(&cws, "publication_delay", &sc->cw_publication_delay);
    }
    const scn_node *it = ld_sect_get(&top, "instance_types");
    if (it)
        ld_load_instance_types(v, it);
    const scn_node *rs = ld_sect_need(&top, "resources", true);
    if (rs)
        ld_load_resources(v, rs);
    const scn_node *wl = ld_sect_get(&top, "workload"); /* optional: a group alone, with no traffic, runs too */
    if (wl)
        workload_cfg_load(v, wl);
    faults_cfg_load(v, ld_sect_get(&top, "faults"), ld_sect_get(&top, "operations"));
    load_report(v, ld_sect_get(&top, "report"));
    long long reps = 1;
    ld_int(&top, "replications", &reps);
    sc->replications = (int)reps;
    load_variants(v, ld_sect_get(&top, "variants"));
}

/* ---------------------------------------------------------------- entry points */

void scenario_free(scenario *s)
{
    if (!s)
        return;
    free(s->file);
    free(s->name);
    free(s->itypes);
    /* Every resource array as the type table describes it; each cfg starts with its name. */
    for (const res_type *const *p = ld_types; *p; p++) {
        const res_type *rt = *p;
        if (!rt->cfg_size)
            continue;
        size_t n;
        char *arr = ld_type_cfgs(s, rt, &n);
        for (size_t i = 0; arr && i < n; i++) {
            scn_res_head h;
            memcpy(&h, arr + i * rt->cfg_size, sizeof h);
            free(h.name);
            if (rt->free_cfg)
                rt->free_cfg(arr + i * rt->cfg_size);
        }
        free(arr);
    }
    free(s->typed);
    for (size_t i = 0; i < s->n_workloads; i++)
        workload_cfg_free(&s->workloads[i]);
    free(s->workloads);
    for (size_t i = 0; i < s->n_faults; i++)
        fis_free(s->faults[i].fis);
    free(s->faults);
    for (size_t i = 0; i < s->n_notes; i++)
        free(s->notes[i].message);
    free(s->notes);
    for (size_t i = 0; i < s->n_variants; i++)
        scenario_free(s->variants[i]);
    free(s->variants);
    free(s->variant_name);
    free(s->variant_description);
    free(s);
}

void scenario_notes_print(const scenario *s, FILE *out)
{
    for (size_t i = 0; s && i < s->n_notes; i++) {
        const scn_note *n = &s->notes[i];
        if (n->line > 0)
            fprintf(out, "%s:%d:%d: note: %s\n", s->file, n->line, n->col, n->message);
        else
            fprintf(out, "%s: note: %s\n", s->file, n->message);
    }
}

/* Validates the tree of one scenario (the base, or a variant); NULL after diagnostics (c->errors counts them). */
static scenario *validate_tree(scn_ctx *c, const char *file, const scn_node *root)
{
    loader v = {.c = *c};
    if (!(v.s = calloc(1, sizeof *v.s)) || !(v.s->file = ld_dupstr(file))) {
        scn_err_at(&v.c, 0, 0, "out of memory");
    } else {
        validate(&v, root);
    }
    free(v.res);
    free(v.by_name);
    free(v.ovr);
    free(v.noted);
    int failed = v.c.errors > c->errors;
    *c = v.c;
    if (failed) {
        scenario_free(v.s);
        return NULL;
    }
    return v.s;
}

/*
 * Builds each variant of base: the tree after --set, without `variants:`, with the variant's
 * overrides put in place one by one as --set puts its own, then validated like any scenario.
 * Replaces base's placeholders; 0, or -1 after diagnostics.
 */
static int load_variants_trees(scn_ctx *c, const char *file, const scn_node *root, scenario *base)
{
    const scn_node *vs = NULL;
    for (size_t i = 0; i + 1 < root->n; i += 2)
        if (strcmp(root->kids[i]->str, "variants") == 0)
            vs = root->kids[i + 1];
    int rc = 0;
    for (size_t i = 0; vs && i < base->n_variants && i < vs->n; i++) {
        scenario *ph = base->variants[i];
        scn_node *copy = scn_node_copy(root);
        if (!copy) {
            scn_err_at(c, 0, 0, "out of memory");
            return -1;
        }
        for (size_t k = 0; k + 1 < copy->n; k += 2)
            if (strcmp(copy->kids[k]->str, "variants") == 0) {
                scn_node_free(copy->kids[k]);
                scn_node_free(copy->kids[k + 1]);
                memmove(&copy->kids[k], &copy->kids[k + 2], (copy->n - k - 2) * sizeof *copy->kids);
                copy->n -= 2;
                break;
            }
        const scn_node *set = NULL, *entry = vs->kids[i];
        for (size_t k = 0; entry->kind == SCN_N_MAP && k + 1 < entry->n; k += 2)
            if (strcmp(entry->kids[k]->str, "set") == 0)
                set = entry->kids[k + 1];
        int errors = c->errors;
        for (size_t k = 0; set && set->kind == SCN_N_MAP && k + 1 < set->n; k += 2)
            scn_apply_node(c, &copy, set->kids[k], set->kids[k + 1]);
        scenario *x = c->errors == errors ? validate_tree(c, file, copy) : NULL;
        scn_node_free(copy);
        if (!x) {
            scn_err_at(c, ph->variant_loc.line, ph->variant_loc.col,
                       "variant '%s': the base with these overrides is not a valid scenario", ph->variant_name);
            rc = -1;
            continue;
        }
        x->variant_name = ph->variant_name;
        x->variant_description = ph->variant_description;
        x->variant_loc = ph->variant_loc;
        ph->variant_name = ph->variant_description = NULL;
        scenario_free(ph);
        base->variants[i] = x;
    }
    return rc;
}

int scenario_load(const char *file, const char *text, size_t len, const char *const *sets, size_t n_sets,
                  scenario **out, scn_diags *diags)
{
    *out = NULL;
    if (!file)
        file = "<input>";
    diags->text = text;
    diags->text_len = text ? len : 0;
    scn_ctx c = {.file = file, .d = diags};
    size_t first_diag = diags->n;
    scenario *sc = NULL;
    if (!text)
        len = 0;
    if (len > SCN_MAX_BYTES) {
        scn_err_at(&c, 0, 0, "the file is larger than 16 MiB");
        return -1;
    }
    int failed = 0;
    scn_node *root = scn_parse(&c, text ? text : "", len, NULL, &failed);
    if (failed)
        goto done;
    for (size_t i = 0; i < n_sets; i++)
        if (sets[i])
            scn_apply_set(&c, &root, sets[i]);
    if (!root) {
        scn_err_at(&c, 0, 0, "the scenario is empty: it needs at least 'scenario', 'duration', "
                   "'resources' and 'workload'");
        goto done;
    }
    sc = validate_tree(&c, file, root);
    if (sc && !c.errors && sc->n_variants)
        load_variants_trees(&c, file, root, sc);
done:
    scn_node_free(root);
    if (c.errors || !sc) {
        if (diags->n == first_diag && !c.errors)
            scn_err_at(&c, 0, 0, "out of memory");
        scenario_free(sc);
        scn_diags_sort(diags);
        return -1;
    }
    *out = sc;
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


void scenario_keys_markdown(FILE *out)
{
    fputs("### The top level\n\n", out);
    ld_keys_table(out, NULL, top_keys);
    fputs("### `variants` entries\n\n", out);
    ld_keys_table(out, NULL, variant_keys);
    fputs("### `workload` entries\n\n", out);
    ld_keys_table(out, NULL, workload_cfg_keys());
    static const char *const arrivals[] = {"poisson", "piecewise", "diurnal", "spike", "ramp", "bursty", "trace", NULL};
    for (const char *const *k = arrivals; *k; k++) {
        char t[64];
        snprintf(t, sizeof t, "`arrivals` of kind `%s`", *k);
        ld_keys_table(out, t, workload_cfg_arrivals_keys(*k));
    }
    static const char *const kinds[][2] = {{"faults", "instance_crash"}, {"faults", "app_unhealthy"},
                                            {"faults", "az_outage"}, {"operations", "set_desired_capacity"},
                                            {"operations", "instance_refresh"}};
    fputs("### `faults` and `operations` entries\n\n", out);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char t[96];
        snprintf(t, sizeof t, "`%s` of kind `%s`", kinds[i][0], kinds[i][1]);
        ld_keys_table(out, t, faults_cfg_kind_keys(kinds[i][1]));
    }
    fis_cfg_keys_markdown(out);
    ld_keys_markdown(out);
}
