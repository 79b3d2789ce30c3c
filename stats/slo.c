/*
 * slo.c - the SLO verdict (slo.h). Integer comparisons where the objective is
 * a share: "at most 1% bad" is bad * 100 <= finished, so a run of exactly 100
 * requests with one bad one meets it without a rounding question.
 */
#include "stats/slo.h"

#include <math.h>

slo_verdict slo_judge(const slo_spec *spec, uint64_t arrived, uint64_t finished, uint64_t failed, uint64_t slow)
{
    slo_verdict v = {.error_rate = NAN, .good_share = NAN};
    if (!spec || !spec->set || (arrived == 0 && finished == 0))
        return v;
    v.judged = true;
    if (finished == 0)
        return v; /* requests came and none was answered: both parts missed */
    uint64_t bad = failed + (spec->latency_s > 0 ? slow : 0);
    if (bad > finished)
        bad = finished;
    v.error_rate = (double)failed / (double)finished;
    v.good_share = (double)(finished - bad) / (double)finished;
    /* bad <= (1 - q) * finished, with q = 0.99 as an exact integer test */
    v.latency_met = spec->latency_s <= 0 || bad * 100 <= finished;
    /* the slack absorbs the rounding of "0.1%" / 100, never a whole request */
    v.errors_met = (double)failed <= spec->error_rate * (double)finished + 1e-9;
    v.met = v.latency_met && v.errors_met;
    return v;
}
