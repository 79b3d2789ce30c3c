/*
 * test_routing.c - ALB routing algorithms, 503 with no targets, and the
 * target group's tie-break, through the whole world and through tg_pick.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "models/elb/target_group.h"
#include "mtest.h"

static void served_of(world *w, uint64_t *served, size_t *n)
{
    const world_instance_info *in = world_instances(w, n);
    for (size_t k = 0; k < *n; k++)
        served[k] = in[k].served;
}

static void test_round_robin(void)
{
    mscn m;
    mscn_init(&m, 60, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 4, 1, 1.0, 1);
    mscn_burst(&m, 200, 40, mt_exp(0.002));
    world *w = mt_run(&m, 11);
    ok(w != NULL, "round robin: the run completes");
    if (!w)
        return;
    uint64_t served[MT_MAX], lo = UINT64_MAX, hi = 0, sum = 0;
    size_t n;
    served_of(w, served, &n);
    for (size_t k = 0; k < n; k++) {
        lo = served[k] < lo ? served[k] : lo;
        hi = served[k] > hi ? served[k] : hi;
        sum += served[k];
    }
    const stats_summary *sm = world_summary(w);
    is_int(n, 4, "round robin: 4 instances");
    is_int(sum, sm->arrivals, "round robin: every request was served (%llu)", (unsigned long long)sum);
    ok(hi - lo <= 1, "round robin: spread exactly evenly (min %llu, max %llu)", (unsigned long long)lo,
       (unsigned long long)hi);
    is_int(sm->in_flight_at_end, 0, "round robin: nothing in flight at the end");
    /* arrival + completion per request, plus a handful of report/ timeout events */
    double per_req = (double)sim_events_fired(world_sim(w)) / (double)sm->arrivals;
    ok(per_req < 2.01, "about 2 kernel events per request (%.4f)", per_req);
    mt_free(w);
}

static void test_lor(void)
{
    /* Two single-vCPU targets, one ten times slower. Round robin must give
     * each half; LOR steers away from the slow one's backlog. */
    mscn m;
    mscn_init(&m, 400, SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    mscn_add(&m, 1, 1, 1.0, 1);
    mscn_add(&m, 1, 1, 0.1, 1);
    mscn_burst(&m, 8, 300, mt_exp(0.1));
    world *w = mt_run(&m, 5);
    ok(w != NULL, "LOR: the run completes");
    if (!w)
        return;
    uint64_t served[MT_MAX];
    size_t n;
    served_of(w, served, &n);
    double fast = (double)served[0], slow = (double)served[1];
    tap_diag("LOR: fast target served %.0f, slow target %.0f", fast, slow);
    /* Offered load 0.8 on the fast target alone; the slow one (mean service
     * 1 s) can only take what arrives while it is idle and the fast one busy. */
    ok(slow < 0.25 * (fast + slow), "LOR: the slow target gets under a quarter of the requests (%.3f)",
       slow / (fast + slow));
    mt_free(w);

    m.tg.algorithm = SCN_ALG_ROUND_ROBIN;
    m.wl.service_time = mt_exp(0.01);
    w = mt_run(&m, 5);
    ok(w != NULL, "RR with a slow target: the run completes");
    if (!w)
        return;
    served_of(w, served, &n);
    ok(llabs((long long)served[0] - (long long)served[1]) <= 1, "RR ignores load: %llu vs %llu",
       (unsigned long long)served[0], (unsigned long long)served[1]);
    mt_free(w);
}

static void test_lor_pick(void)
{
    mscn m;
    mscn_init(&m, 1, SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    tg *g = tg_new("unit", SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    /* Targets are opaque to the group: distinct dummy pointers are enough. */
    char dummy[4];
    for (int k = 0; k < 4; k++)
        is_int(tg_register(g, (ec2_instance *)(void *)&dummy[k]), k, "tg_register gives index %d", k);
    is_int(tg_register(g, (ec2_instance *)(void *)&dummy[2]), 2, "registering twice is a no-op");
    is_int(tg_n_registered(g), 4, "4 registered");
    int first[4];
    for (int k = 0; k < 4; k++)
        first[k] = tg_pick(g, NULL);
    ok(first[0] == 0 && first[1] == 1 && first[2] == 2 && first[3] == 3,
       "LOR ties rotate: %d %d %d %d", first[0], first[1], first[2], first[3]);
    tg_outstanding_inc(g, 0);
    tg_outstanding_inc(g, 1);
    tg_outstanding_inc(g, 1);
    tg_outstanding_inc(g, 3);
    for (int k = 0; k < 6; k++)
        is_int(tg_pick(g, NULL), 2, "LOR picks the only idle target (pick %d)", k);
    tg_outstanding_inc(g, 2);
    tg_outstanding_inc(g, 2);
    int picks[4] = {0};
    for (int k = 0; k < 8; k++)
        picks[tg_pick(g, NULL)]++;
    ok(picks[0] == 4 && picks[3] == 4 && picks[1] == 0 && picks[2] == 0,
       "LOR ties between the two least loaded alternate (%d, %d)", picks[0], picks[3]);
    is_int(tg_deregister(g, (ec2_instance *)(void *)&dummy[0], NULL, NULL), 0, "deregister");
    is_int(tg_deregister(g, (ec2_instance *)(void *)&dummy[0], NULL, NULL), -1, "deregister twice fails");
    for (int k = 0; k < 4; k++)
        ok(tg_pick(g, NULL) == 3, "a deregistered target gets nothing (pick %d)", k);
    tg_free(g);
}

/* The group scans up to 8 routable targets and keeps an index above: picks must follow the one tie rule
 * (the first least count at or after the cursor, wrapping) whichever runs, also as the count of targets
 * crosses 8 both ways. A reference model of the rule, fed the same operations, checks every pick. */
static void test_lor_scan_index_agree(void)
{
    enum { MAXT = 14, STEPS = 200000 };
    tg *g = tg_new("agree", SCN_ALG_LEAST_OUTSTANDING_REQUESTS);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    char dummy[MAXT];
    int order[MAXT], n = 0;        /* the routing order: slot indices */
    uint32_t out[MAXT] = {0};      /* per slot */
    int slot_of[MAXT];             /* per dummy target: its slot (the group numbers them as they first register) */
    bool reg[MAXT] = {false};
    size_t cursor = 0;
    int bad = 0, picks_small = 0, picks_large = 0, crossings = 0, was_small = 1;
    for (int step = 0; step < STEPS && !bad; step++) {
        unsigned op = (unsigned)gsl_rng_uniform_int(r, 100);
        int k = (int)gsl_rng_uniform_int(r, MAXT);
        if (op < 3 && !reg[k]) {
            if ((slot_of[k] = tg_register(g, (ec2_instance *)(void *)&dummy[k])) < 0) {
                bad = 1;
                break;
            }
            reg[k] = true;
            order[n++] = slot_of[k];
        } else if (op < 9 && reg[k] && out[slot_of[k]] == 0 && n > 1) {
            tg_deregister(g, (ec2_instance *)(void *)&dummy[k], NULL, NULL);
            reg[k] = false;
            int p = 0;
            while (order[p] != slot_of[k])
                p++;
            memmove(&order[p], &order[p + 1], (size_t)(n - p - 1) * sizeof order[0]);
            n--;
        } else if (op < 45 && n > 0) {
            int want = -1;
            size_t start = cursor < (size_t)n ? cursor : 0, best = start;
            for (int j = 1; j < n; j++) {
                size_t q = (start + (size_t)j) % (size_t)n;
                if (out[order[q]] < out[order[best]])
                    best = q;
            }
            want = order[best];
            cursor = best + 1 < (size_t)n ? best + 1 : 0;
            int got = tg_pick(g, NULL);
            if (got != want) {
                tap_diag("step %d: %d targets, pick %d, the rule gives %d", step, n, got, want);
                bad = 1;
            }
            if (n <= 8)
                picks_small++;
            else
                picks_large++;
            if ((n <= 8) != was_small)
                crossings++;
            was_small = n <= 8;
            tg_outstanding_inc(g, got);
            out[got]++;
        } else if (n > 0) {
            int t = order[gsl_rng_uniform_int(r, (unsigned long)n)];
            if (out[t] > 0) {
                tg_outstanding_dec(g, t);
                out[t]--;
            }
        }
    }
    ok(!bad, "LOR picks follow the tie rule over %d steps (%d picks at <= 8 targets, %d above, %d crossings)",
       STEPS, picks_small, picks_large, crossings);
    ok(picks_small > 1000 && picks_large > 1000 && crossings > 10, "both the scan and the index ran, in turns");
    gsl_rng_free(r);
    tg_free(g);
}

static void test_weighted_random(void)
{
    mscn m;
    mscn_init(&m, 120, SCN_ALG_WEIGHTED_RANDOM);
    mscn_add(&m, 4, 2, 1.0, 1);
    mscn_burst(&m, 500, 100, mt_exp(0.004));
    world *w = mt_run(&m, 3);
    ok(w != NULL, "weighted_random: the run completes");
    if (!w)
        return;
    uint64_t served[MT_MAX];
    size_t n;
    served_of(w, served, &n);
    double total = 0, chi2 = 0;
    for (size_t k = 0; k < n; k++)
        total += (double)served[k];
    for (size_t k = 0; k < n; k++) {
        double e = total / (double)n, d = (double)served[k] - e;
        chi2 += d * d / e;
    }
    /* Uniform picks: the counts are multinomial, chi-square with n-1 df. */
    double crit = gsl_cdf_chisq_Qinv(0.001, (double)(n - 1));
    ok(chi2 < crit, "weighted_random: chi-square %.3f < %.3f (p = 0.001, %zu df) over %.0f requests", chi2, crit,
       n - 1, total);
    ok(chi2 > gsl_cdf_chisq_Pinv(0.001, (double)(n - 1)),
       "weighted_random: not suspiciously even either (chi-square %.4f)", chi2);
    mt_free(w);
}

static void test_503(void)
{
    mscn m;
    mscn_init(&m, 30, SCN_ALG_ROUND_ROBIN);
    mscn_add(&m, 2, 2, 1.0, 0); /* instances exist but are not attached */
    mscn_poisson(&m, 100, mt_exp(0.01));
    world *w = mt_run(&m, 2);
    ok(w != NULL, "503: the run completes");
    if (!w)
        return;
    const stats_summary *sm = world_summary(w);
    ok(sm->arrivals > 2000, "503: %llu arrivals", (unsigned long long)sm->arrivals);
    is_int(sm->errors[STATS_503_NO_TARGET], sm->arrivals, "503: every request gets 503");
    is_int(sm->completed, sm->arrivals, "503: answered at once (nothing in flight)");
    is_int(world_latency(w)->count, 0, "503: no latency recorded");
    is_near(sm->mean_in_system, 0, 0, "503: answered at the arrival instant");
    size_t n;
    const world_instance_info *in = world_instances(w, &n);
    is_int(in[0].served + in[1].served, 0, "503: the unattached instances served nothing");
    mt_free(w);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_round_robin();
    test_lor();
    test_lor_pick();
    test_lor_scan_index_agree();
    test_weighted_random();
    test_503();
    return tap_done();
}
