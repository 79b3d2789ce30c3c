/*
 * faults.h - the scenario's faults and operations (`faults:` and
 * `operations:`, scn_fault): instance_crash, app_unhealthy, az_outage,
 * set_desired_capacity, instance_refresh. Each fires at its time on the
 * kernel and acts on the Auto Scaling groups through asg.h; what fails is
 * chosen here, how a group reacts is the group's. Logs to the events log.
 */
#ifndef FLEETSIM_FAULTS_H
#define FLEETSIM_FAULTS_H

#include <stddef.h>

#include "models/autoscaling/asg.h"
#include "models/core/build.h"
#include "models/core/scenario.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct faults faults;

/* A faults model for sc->faults (sc borrowed), logging to ev (borrowed, may be NULL); schedules nothing yet. NULL with a message in err on OOM. */
faults *faults_new(sim *s, const scenario *sc, events_log *ev, char *err, size_t errlen);

/* Schedules the faults acting on g (scenario.asgs[index]): its own and every az_outage; call right after each asg_new, in index order (the kernel breaks time ties by scheduling order). 0, or -1 with a message in err. */
int faults_add_group(faults *fm, asg *g, size_t index, char *err, size_t errlen);

/* The faults as a world service (build.h): created at WB_STAGE_FAULTS, before the groups, which add themselves. */
extern const wb_service faults_service;

/* Frees the model, not the groups; NULL is a no-op. Its pending events point at it: free the kernel too, or run no further. */
void faults_free(faults *fm);

#endif /* FLEETSIM_FAULTS_H */
