/*
 * build.h - the world under construction, as a resource type's operations
 * see it (DESIGN 3a).
 *
 * world_new walks the type table (registry.c) stage by stage: every type of
 * a stage, in registry order, builds each of its resources in file order,
 * before the next stage starts. A stage is a number so that a new type slots
 * in between without renumbering. The kernel breaks ties by insertion order,
 * so the stage order is part of the output's byte-identity: do not reorder
 * stages of existing types.
 *
 * A type finds the models it depends on by their type and index
 * (wb_model), and the account-level services shared by many resources
 * (the CloudWatch store, an event bus, Lambda's account concurrency) by
 * their descriptor (wb_service): a service is created on first use, in a
 * fixed order, and started, costed and freed by the world.
 *
 * Prefix: wb_ (world builder).
 */
#ifndef FLEETSIM_BUILD_H
#define FLEETSIM_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/aws_event.h"
#include "models/core/scenario.h"
#include "sim/sim.h"
#include "stats/cost.h"
#include "stats/events.h"
#include "stats/rows.h"
#include "stats/stats.h"

typedef struct wb wb;
typedef struct res_type res_type;
typedef struct ec2_instance ec2_instance;

/* Build stages, lowest first. Sections that are not resources (faults, workloads) have theirs too. */
enum {
    WB_STAGE_DATA = 10,             /* DynamoDB tables, S3 buckets: depend on nothing */
    WB_STAGE_TARGET_GROUPS = 20,
    WB_STAGE_FLEETS = 30,           /* aws_instance fleets, registered in their target groups */
    WB_STAGE_LBS = 40,
    WB_STAGE_LISTENERS = 41,
    WB_STAGE_LISTENER_RULES = 42,
    WB_STAGE_FAULTS = 45,           /* the faults: section (world.c) */
    WB_STAGE_GROUPS = 50,           /* Auto Scaling groups */
    WB_STAGE_HOOKS = 55,            /* lifecycle hooks, on their groups */
    WB_STAGE_WORKLOADS = 60,        /* the workload: section (world.c) */
    WB_STAGE_TOPICS = 69,
    WB_STAGE_ALARMS = 70,
    WB_STAGE_POLICIES = 71,
    WB_STAGE_SCHEDULES = 72,
    WB_STAGE_NOTIFICATIONS = 73,
    WB_STAGE_FUNCTIONS = 80,        /* Lambda functions */
    WB_STAGE_EVENT_RULES = 85,
    WB_STAGE_EVENT_TARGETS = 86,
};

/*
 * An account-level model shared by many resources. `create` runs on the
 * first wb_service call for it; `start` once every resource is built (it may
 * schedule events); `cost` adds its line items after the run; `report` adds
 * its rows. Any op but create may be NULL.
 */
typedef struct wb_service {
    const char *name;                                        /* "cloudwatch", "events" */
    const char *const *cost_items;                           /* its ledger lines, listed from creation (NULL-terminated, or NULL) */
    void *(*create)(wb *b, char *err, size_t errlen);        /* NULL with err on failure */
    int (*start)(void *svc, wb *b, char *err, size_t errlen);
    void (*cost)(const void *svc, wb *b, cost_ledger *l);
    void (*report)(const void *svc, wb *b, rows *r);
    void (*free)(void *svc);
} wb_service;

#define WB_MAX_SERIES 32
#define WB_SERIES_NAME 96

/* What the world's report windows count, summed over every built resource's gauge op. */
typedef struct wb_gauges {
    int in_service;          /* instances InService (aws-semantics 1.2) */
    int pending, draining;   /* launched and not yet InService; Terminating (draining, hooks) */
    int desired;             /* desired capacity (a fixed fleet: its running instances) */
    size_t n_series;         /* a resource's own figures: a windows.csv column each (wb_gauge_put) */
    struct {
        char name[WB_SERIES_NAME];
        double value;
    } series[WB_MAX_SERIES];
} wb_gauges;

/* Adds the figure "RESOURCE.FIGURE" (license_key_db.keys_in_use) to this window's gauges; past WB_MAX_SERIES it is dropped. */
void wb_gauge_put(wb_gauges *g, const char *resource, const char *figure, double v);

/* The kernel every model is built on. */
sim *wb_sim(const wb *b);
/* The scenario being built (borrowed for the world's life). */
const scenario *wb_scenario(const wb *b);
/* The run's activity history every model writes to. */
events_log *wb_events(const wb *b);
/* The run's request statistics (what workloads and load balancers record into). */
stats *wb_stats(const wb *b);
/* The request pool workloads allocate from. */
sim_pool *wb_pool(const wb *b);
/* The model built for resource idx of type t, or NULL (not built yet, out of range, or the type builds none). */
void *wb_model(const wb *b, const res_type *t, int idx);
/* The service, created on first use; NULL with err on failure. */
void *wb_service_get(wb *b, const wb_service *svc, char *err, size_t errlen);
/* The service if something already created it, else NULL (for optional wiring). */
void *wb_service_peek(const wb *b, const wb_service *svc);
/* A fixed-fleet instance the world owns, reports and bills from now on; 0, or -1 out of memory. */
int wb_add_instance(wb *b, ec2_instance *i);
/* The model of the resource named name of type tf_type (Terraform's name), or NULL. A wb stays valid for the world's life: models may keep it and call this during the run (a Lambda naming a group from its event). */
void *wb_find(const wb *b, const char *tf_type, const char *name);
/* An instance a group created (the group owns it) entered running: the world reports and bills it. */
void wb_group_instance(void *b, ec2_instance *i);
/* The instance whose id is id (fixed fleets and group instances that ever ran), or NULL. */
ec2_instance *wb_instance(const wb *b, const char *id);

/*
 * Puts ev on the account's default event bus at the current time (aws-semantics 1.7: events are
 * best effort). An event with id NULL is numbered by the bus. With no bus (no EventBridge rule in
 * the scenario) nothing matches, as on AWS: the event is dropped.
 */
void wb_put_event(wb *b, const aws_event *ev);
/* Makes fn(ctx, ev) the account's default event bus; the EventBridge service calls it when created. */
void wb_set_event_bus(wb *b, aev_sink_fn fn, void *ctx);

#endif /* FLEETSIM_BUILD_H */
