/*
 * slo.h - the service level objective's verdict: a latency part and an error
 * part, judged on the requests that finished in an interval (the whole run or
 * one report window).
 *
 * A failed request counts against both parts: it is an error, and it was not
 * answered within the latency (it was not answered at all). So the latency
 * part "p99 <= L" holds when at least 99% of the finished requests were
 * answered without error within L, and the error part "error_rate <= E" when
 * at most E of them failed. Fixed-response 2XX and redirects are answers, not
 * errors (stats_cause_is_error), and count as fast. docs/reports.md.
 *
 * Prefix: slo_.
 */
#ifndef FLEETSIM_SLO_H
#define FLEETSIM_SLO_H

#include <stdbool.h>
#include <stdint.h>

typedef struct slo_spec {
    bool set;             /* false: no SLO, nothing is judged */
    double latency_s;     /* > 0: the latency part (p99 <= latency_s); 0: none */
    double error_rate;    /* the error part: a fraction in [0, 1] */
} slo_spec;

typedef struct slo_verdict {
    bool judged;          /* false: no SLO, or no request arrived or finished in the interval */
    bool met, latency_met, errors_met;
    double error_rate;    /* failed / finished; NaN when nothing finished */
    double good_share;    /* finished OK within the latency (or OK, without a latency part) / finished; NaN when nothing finished */
} slo_verdict;

/*
 * Judges an interval in which `arrived` requests arrived and `finished` finished, `failed` of
 * them with an error and `slow` of them OK but slower than the latency. Requests arrived and
 * none finished: missed (the clients are all still waiting).
 */
slo_verdict slo_judge(const slo_spec *spec, uint64_t arrived, uint64_t finished, uint64_t failed, uint64_t slow);

#endif /* FLEETSIM_SLO_H */
