/* placeholder control plane (no alarms, policies or topics) until the control-plane work lands */
#include "models/control.h"

#include <stdlib.h>

struct control {
    int unused;
};

control *control_new(sim *s, const scenario *sc, asg *const *asgs, alb *const *lbs,
                     events_log *ev, char *err, size_t errlen)
{
    (void)s; (void)sc; (void)asgs; (void)lbs; (void)ev; (void)err; (void)errlen;
    return calloc(1, sizeof(control));
}

void control_free(control *c) { free(c); }

double control_cost(const control *c, const char *item) { (void)c; (void)item; return 0; }

uint64_t control_sns_published(const control *c, size_t topic) { (void)c; (void)topic; return 0; }
