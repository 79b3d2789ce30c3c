/*
 * control_service.c - the control plane as the world's service (build.h):
 * created when the build walk reaches WB_STAGE_TOPICS (every account has
 * CloudWatch and SNS), filled by the alarm, policy, schedule and notification
 * types' build operations, started once everything is built, costed as the
 * "cloudwatch" and "sns" line items.
 *
 * Apart from control.c so that tests driving control_new on fake groups do
 * not link the type table.
 */
#include "models/core/control.h"

#include <stdlib.h>

#include "models/core/loader.h"

extern const res_type res_aws_autoscaling_group, res_aws_lb;

static void *control_svc_create(wb *b, char *err, size_t errlen)
{
    const scenario *sc = wb_scenario(b);
    asg **asgs = calloc(sc->n_asgs + 1, sizeof *asgs);
    alb **lbs = calloc(sc->n_lbs + 1, sizeof *lbs);
    control *c = NULL;
    if (asgs && lbs) {
        for (size_t g = 0; g < sc->n_asgs; g++)
            asgs[g] = wb_model(b, &res_aws_autoscaling_group, (int)g);
        for (size_t k = 0; k < sc->n_lbs; k++)
            lbs[k] = wb_model(b, &res_aws_lb, (int)k);
        c = control_create(wb_sim(b), sc, asgs, lbs, wb_events(b), err, errlen);
    }
    free(asgs);
    free(lbs);
    return c;
}

static int control_svc_start(void *svc, wb *b, char *err, size_t errlen)
{
    (void)b;
    (void)err;
    (void)errlen;
    control_start(svc);
    return 0;
}

static void control_svc_cost(const void *svc, wb *b, cost_ledger *l)
{
    (void)b;
    control_bill(svc, l);
}

int control_build(wb *b, int (*add)(control *c, size_t i, char *err, size_t errlen), int idx, char *err,
                  size_t errlen)
{
    control *c = wb_service_get(b, &control_service, err, errlen);
    return c && idx >= 0 ? add(c, (size_t)idx, err, errlen) : -1;
}

static void control_svc_free(void *svc) { control_free(svc); }

static const char *const control_items[] = {"cloudwatch", "sns", NULL};

const wb_service control_service = {
    .name = "control plane",
    .cost_items = control_items,
    .create = control_svc_create,
    .start = control_svc_start,
    .cost = control_svc_cost,
    .free = control_svc_free,
};

