/*
 * bench_scenario.c - one whole scenario run as `fleetsim run` runs it (load,
 * build, world_run; no report files), with the figures a capacity planner
 * asks of the simulator itself:
 *
 *   bench_scenario FILE [PATH=VALUE]...
 *
 * Each PATH=VALUE is a --set. Prints one line:
 *   peer=fleetsim wl=scenario name=... sim_s=... reqs=... ok=... events=... run_s=...
 *   req_rate=... ev_rate=... ns_per_req=... cpu_s=... cpu_ns_per_req=... maxrss_kb=...
 * reqs = requests that arrived (each one simulated end to end, whatever its
 * outcome), ok = those answered with success, events = kernel events fired,
 * run_s = wall time of world_run alone (CLOCK_MONOTONIC; loading and building
 * are not timed), req_rate = reqs / run_s, ev_rate = events / run_s,
 * ns_per_req = wall ns per request, cpu_s = user + system CPU time of world_run
 * (getrusage; on a shared machine it leaves out the time spent waiting for a
 * core, which wall time does not), cpu_ns_per_req = CPU ns per request, maxrss_kb = the process's peak RSS
 * (getrusage ru_maxrss: loading and building included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "models/core/scenario.h"
#include "models/core/world.h"
#include "sim/sim.h"

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + 1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    world_tune_malloc();
    if (argc < 2) {
        fprintf(stderr, "usage: bench_scenario FILE [PATH=VALUE]...\n");
        return 2;
    }
    scn_diags diags = {0};
    scenario *sc = NULL;
    if (scenario_load_file(argv[1], (const char *const *)argv + 2, (size_t)argc - 2, &sc, &diags) != 0) {
        scn_diags_print(&diags, stderr);
        scenario_text_free(&diags);
        scn_diags_free(&diags);
        return 1;
    }
    scenario_text_free(&diags);
    scn_diags_free(&diags);
    char err[1024] = "";
    sim *s = sim_new(sc->seed, 0);
    world *w = s ? world_new(s, sc, err, sizeof err) : NULL;
    if (!w) {
        fprintf(stderr, "bench_scenario: cannot build the scenario: %s\n", s ? err : "out of memory");
        return 3;
    }
    double t0 = now_s(), c0 = cpu_s();
    int rc = world_run(w);
    double run_s = now_s() - t0, run_cpu = cpu_s() - c0;
    if (rc != 0) {
        fprintf(stderr, "bench_scenario: world_run returned %d\n", rc);
        return 3;
    }
    const stats_summary *sm = world_summary(w);
    uint64_t errors = 0;
    for (int c = 1; c < STATS_N_CAUSES; c++)
        errors += sm->errors[c];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double reqs = (double)sm->arrivals, events = (double)sim_events_fired(s);
    printf("peer=fleetsim wl=scenario name=%s sim_s=%.0f reqs=%.0f ok=%.0f events=%.0f run_s=%.3f req_rate=%.1f "
           "ev_rate=%.1f ns_per_req=%.1f cpu_s=%.3f cpu_ns_per_req=%.1f maxrss_kb=%ld\n",
           sc->name, sim_to_sec(sc->duration), reqs, (double)sm->completed - (double)errors, events, run_s,
           reqs / run_s, events / run_s, 1e9 * run_s / (reqs > 0 ? reqs : 1), run_cpu,
           1e9 * run_cpu / (reqs > 0 ? reqs : 1), (long)ru.ru_maxrss);
    world_free(w);
    sim_free(s);
    scenario_free(sc);
    return 0;
}
