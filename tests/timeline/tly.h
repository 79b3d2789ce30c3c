/*
 * tly.h - timeline tests written as YAML scenarios (what a user writes),
 * for the types that came after the struct-built timelines of tl.h. The
 * scenario text is loaded with the real loader, built and run; queries go
 * through tl.h's events-log helpers (tl_first, tl_count, tl_dump ...).
 *
 *   world *w = tly_run(yaml, 1);        // load, build, run to the end
 *   ok(tl_first(w, 0, "lifecycle", "i-asg1-0", "Terminating:Wait", NULL) != NULL, "...");
 *   tly_free(w);
 */
#ifndef FLEETSIM_TLY_H
#define FLEETSIM_TLY_H

#include "tl.h"

/* The world of a scenario kept alive with it (the world borrows the scenario). */
typedef struct tly {
    scenario *sc;
    world *w;
} tly;

/* Loads yaml (diagnostics printed as TAP comments) and builds it with seed; NULL on any error. */
static inline world *tly_build(const char *yaml, uint64_t seed)
{
    scenario *sc = NULL;
    scn_diags d = {0};
    if (scenario_load("<test>", yaml, strlen(yaml), NULL, 0, &sc, &d) != 0) {
        printf("# scenario_load failed:\n");
        scn_diags_print(&d, stderr);
        scn_diags_free(&d);
        return NULL;
    }
    scn_diags_free(&d);
    char err[256];
    sim *s = sim_new(seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        printf("# world_new: %s\n", s ? err : "out of memory");
        sim_free(s);
        scenario_free(sc);
    }
    return w;
}

/* Loads, builds and runs yaml to its end, checking the invariants at every instant (one TAP line); NULL on any error. */
static inline world *tly_run(const char *yaml, uint64_t seed)
{
    world *w = tly_build(yaml, seed);
    if (w && tl_run_checked(w) != 0) {
        printf("# the run failed\n");
    }
    return w;
}

/* Frees the world, its kernel and its scenario. */
static inline void tly_free(world *w)
{
    if (!w)
        return;
    scenario *sc = (scenario *)world_scenario(w);
    tl_free(w);
    scenario_free(sc);
}

/* The diagnostics of loading yaml, as one string (caller frees), or NULL if it loads. */
static inline char *tly_errors(const char *yaml)
{
    scenario *sc = NULL;
    scn_diags d = {0};
    if (scenario_load("<test>", yaml, strlen(yaml), NULL, 0, &sc, &d) == 0) {
        scenario_free(sc);
        scn_diags_free(&d);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        scn_diags_print(&d, f);
        fclose(f);
    }
    scn_diags_free(&d);
    return buf;
}

/* The n-th (0-based) ```yaml block of docs/NAME, as a string the caller frees, or NULL: docs examples are run as written. */
static inline char *tly_doc_yaml(const char *name, int n)
{
    char path[1024];
    const char *me = __FILE__, *cut = strstr(me, "tests/timeline/");
    if (!cut)
        return NULL;
    snprintf(path, sizeof path, "%.*sdocs/%s", (int)(cut - me), me, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[1024], *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    int k = -1, on = 0;
    while (out && fgets(line, sizeof line, f)) {
        if (!on && strncmp(line, "```yaml", 7) == 0) {
            on = ++k == n;
            continue;
        }
        if (on && strncmp(line, "```", 3) == 0)
            break;
        if (on)
            fputs(line, out);
    }
    fclose(f);
    if (out)
        fclose(out);
    if (buf && !buf[0]) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/*
 * Request conservation, asserted for every finished run (issue 7 point 6): in each report window the
 * requests that finished are the sum of those finished by each cause, and over the run the requests that
 * arrived are those that finished plus those still in flight at the end (runs without a warm-up, whose
 * summary counts every request).
 */
static inline void tly_conserved(const world *w)
{
    if (!w || !world_has_run(w) || world_scenario(w)->report.warmup != 0)
        return;
    size_t n = 0;
    const stats_window *win = world_windows(w, &n);
    uint64_t arrived = 0, done = 0;
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        uint64_t by_cause = 0;
        for (int c = 0; c < STATS_N_CAUSES; c++)
            by_cause += win[k].errors[c];
        bad += by_cause != win[k].completed;
        arrived += win[k].arrivals;
        done += win[k].completed;
    }
    const stats_summary *sm = world_summary(w);
    ok(bad == 0 && arrived == sm->arrivals && arrived == done + sm->in_flight_at_end,
       "conservation: arrived (%llu) = finished by cause (%llu) + in flight at the end (%llu), every window adding up",
       (unsigned long long)arrived, (unsigned long long)done, (unsigned long long)sm->in_flight_at_end);
}

/* Frees w after dumping its events when the test failed or TL_VERBOSE is set; checks request conservation first. */
static inline void tly_done(world *w)
{
    tly_conserved(w);
    if (w && (tl_verbose() || tap_failed))
        tl_dump(w, 0, 1e9);
    tly_free(w);
}

#endif /* FLEETSIM_TLY_H */
