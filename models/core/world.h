/*
 * world.h - a scenario built into models wired to one kernel, and run.
 *
 * This is the one entry point the CLI, the tests and the benchmarks use:
 *   sim *s = sim_new(seed, rep);
 *   world *w = world_new(s, sc);      // builds LBs, target groups, fleets, workloads
 *   world_run(w);                     // to sc->duration
 *   world_summary(w) / world_windows(w) / report writers
 *   world_free(w); sim_free(s);
 * A world borrows the scenario and the kernel; both must outlive it.
 */
#ifndef FLEETSIM_WORLD_H
#define FLEETSIM_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "models/autoscaling/asg.h"
#include "models/core/scenario.h"
#include "stats/cost.h"
#include "stats/events.h"
#include "stats/histogram.h"
#include "stats/rows.h"
#include "stats/stats.h"
#include "sim/sim.h"

typedef struct world world;

/* Per-instance facts for reports (one row per EC2 instance that ever existed). */
typedef struct world_instance_info {
    char id[SCN_ID_SIZE];      /* "i-<resource>-<n>", stable across runs */
    const char *itype;         /* instance type name */
    const char *az;
    sim_time_t launched;       /* the launch request (an Auto Scaling group's launch; t = 0 for a fixed fleet) */
    sim_time_t running;        /* the entry into running, where billing starts */
    sim_time_t terminated;     /* -1 while running at the end */
    double busy_seconds;       /* vCPU-seconds of work done */
    double cpu_utilisation;    /* busy / (vcpus x seconds alive) */
    uint64_t served;           /* requests finished by this instance */
    double cost_usd;           /* per-second billing, 60 s minimum */
} world_instance_info;

/* Sets the process's allocator for long runs (call once, before any world): with glibc, blocks of
 * 64 KiB or more get their own mapping, so peak RSS does not grow with run length. */
void world_tune_malloc(void);

/* Builds every model of sc onto s; NULL with a message in err (if non-NULL, size errlen) on failure. */
world *world_new(sim *s, const scenario *sc, char *err, size_t errlen);

/* Runs to sc->duration and closes the statistics; returns 0, or a SIM_E* code if the kernel failed. */
int world_run(world *w);

/* Frees the world (not the kernel or the scenario); NULL is a no-op. */
void world_free(world *w);

/* After world_run: the simulated time the run reached (sc->duration, or earlier when it was stopped by sim_watch or a kernel error). */
sim_time_t world_end_time(const world *w);
/* After world_run: 1 when the run stopped before sc->duration (its reports cover [0, world_end_time)), else 0. */
int world_partial(const world *w);

/* The scenario and kernel the world was built from. */
const scenario *world_scenario(const world *w);
sim *world_sim(const world *w);

/* After world_run: the whole-run summary, the run's latency histogram (ns, successful measured requests). */
const stats_summary *world_summary(const world *w);
const hist *world_latency(const world *w);

/* After world_run: the report windows, in time order. */
const stats_window *world_windows(const world *w, size_t *n);

/* After world_run: per-instance rows, in launch order. */
const world_instance_info *world_instances(const world *w, size_t *n);

/* After world_run: USD of a service ("ec2", "elb", "ebs", ...) or of one line ("elb/lcu_hours"), 0 if absent; and the total. */
double world_cost(const world *w, const char *item);
double world_cost_total(const world *w);

/* After world_run: the whole cost ledger: services in a fixed order ("ec2", then each priced type present, then services as billed), each with its lines (usage, unit, unit price). */
const cost_ledger *world_ledger(const world *w);

/* After world_run: USD each ledger service (items[] order of world_ledger) accrued within report window k, into usd[COST_MAX_ITEMS]; the number of services, 0 when k is past the last window. The windows add up to the ledger. */
size_t world_window_cost(const world *w, size_t k, double usd[COST_MAX_ITEMS]);

/* The request pool's capacity (objects it has memory for): it follows the peak in flight, not the requests simulated. */
size_t world_pool_capacity(const world *w);

/* Now, every request so far (warm-up included): arrived, finished by cause (by_cause[STATS_N_CAUSES]), in flight by the statistics, and request objects the models hold (>= in flight: a server may still hold one whose client gave up). For invariant checks. */
void world_live_requests(const world *w, uint64_t *arrived, uint64_t *by_cause, uint64_t *in_flight, uint64_t *objects);

/* Has world_run call fn(ctx) after each `every` (> 0) of simulated time (for a progress display: the run is the same); fn NULL: none. */
void world_set_progress(world *w, sim_time_t every, void (*fn)(void *ctx), void *ctx);

/* Whether world_run has completed (the report writers refuse a world that has not run). */
int world_has_run(const world *w);

/* The run's activity history (scaling, instance lifecycle, health, faults, alarms, SNS), owned by the world; valid during and after world_run. */
events_log *world_events(const world *w);

/* After world_run: every resource's report rows (its type's report op), in build order; NULL if none could be made. */
const rows *world_rows(const world *w);

/* The model of the resource named name of type tf_type ("aws_autoscaling_group"), or NULL: for tests and tools. */
void *world_model(const world *w, const char *tf_type, const char *name);
typedef struct wb wb;
/* The world's builder view (build.h), for tests and tools that drive models directly (as_start). */
wb *world_wb(world *w);
/* The names of the resources' per-window figures (license_key_db.keys_in_use), into names (room for 32); their count. */
size_t world_series(const world *w, const char *names[32]);
/* Window k's values of those figures (NaN where the window lacked one), or NULL. */
const double *world_series_at(const world *w, size_t window);

/* The Auto Scaling groups, scenario order (asg i is scenario.asgs[i]); NULL past the end. */
size_t world_n_asgs(const world *w);
asg *world_asg(const world *w, size_t i);

#endif /* FLEETSIM_WORLD_H */
