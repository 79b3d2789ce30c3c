/*
 * fis.h - running one AWS FIS action of the scenario (fis_cfg.h) on the
 * built world: identifies its targets when it starts (aws-semantics 12.1),
 * picks them by its selection mode from its own random stream, applies the
 * action through the models' own headers, undoes it after its duration, and
 * logs each step as type "fis". It also measures how long the world took to
 * recover (back to desired capacity, back to the SLO) for the report.
 */
#ifndef FLEETSIM_FIS_H
#define FLEETSIM_FIS_H

#include <stddef.h>

#include "models/autoscaling/asg.h"
#include "models/core/build.h"
#include "models/core/scenario.h"

/* What the runs see of the world; owned by the faults model, groups filled as they are built (NULL until then). */
typedef struct fis_world {
    sim *s;
    wb *b;
    const scenario *sc;
    asg **groups;              /* scenario.asgs order */
    size_t n_groups;
} fis_world;

typedef struct fis_run fis_run;

/* Schedules the FIS fault sc->faults[index] (kind SCN_FAULT_FIS) at its time; w is borrowed for the run's life. NULL on OOM. */
fis_run *fis_run_new(const fis_world *w, size_t index);

/* Adds the fault's report row (type "fault"): action, targets, recovery times. */
void fis_run_report(const fis_run *r, rows *out);

/* Frees the run; its pending events point at it: free the kernel too, or run no further. NULL is a no-op. */
void fis_run_free(fis_run *r);

#endif /* FLEETSIM_FIS_H */
