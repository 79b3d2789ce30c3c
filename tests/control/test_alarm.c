/*
 * test_alarm.c - the CloudWatch metric store and alarm evaluation
 * (aws-semantics 3.1, 3.2, 11.12, 11.13): every example of 3.2 against the
 * pure evaluator, then alarm objects over a scripted metric source.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>

#include "../tap.h"
#include "models/cloudwatch/cloudwatch.h"
#include "models/cloudwatch/cw_alarm.h"
#include "stats/events.h"

/* "0 - X - X": 0 = not breaching (10), X = breaching (90), - = missing; threshold 50, GreaterThan. */
static cwa_state eval(const char *pat, int m, int n, scn_missing miss, cwa_state cur, cwa_result *res)
{
    double v[16];
    unsigned char p[16];
    size_t len = 0;
    for (const char *c = pat; *c && len < 16; c++) {
        if (*c == ' ')
            continue;
        p[len] = *c != '-';
        v[len] = *c == 'X' ? 90 : 10;
        len++;
    }
    cwa_rule r = {n, m, 50, SCN_CMP_GT, miss};
    return cwa_evaluate(&r, v, p, len, cur, res);
}

static const char *S(cwa_state s) { return cwa_state_name(s); }

static void test_evaluator(void)
{
    const scn_missing all[4] = {SCN_MISSING_MISSING, SCN_MISSING_IGNORE, SCN_MISSING_BREACHING, SCN_MISSING_NOT_BREACHING};
    const char *mn[4] = {"missing", "ignore", "breaching", "notBreaching"};
    is_int(cwa_range(3), 5, "3.2: N = 3 fetches an evaluation range of 5 periods");

    /* 3 of 3 */
    for (int k = 0; k < 4; k++) {
        is_str(S(eval("0 - X - X", 3, 3, all[k], CWA_ALARM, NULL)), "OK",
               "3.2: 3/3 '0 - X - X' (%s): the 3 real points decide, 2 breach -> OK", mn[k]);
        is_str(S(eval("0 X X - X", 3, 3, all[k], CWA_OK, NULL)), "ALARM",
               "3.2: 3/3 '0 X X - X' (%s): most recent 3 real points breach -> ALARM", mn[k]);
    }
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_MISSING, CWA_OK, NULL)), "INSUFFICIENT_DATA",
           "3.2: all missing, missing -> INSUFFICIENT_DATA");
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_IGNORE, CWA_ALARM, NULL)), "ALARM",
           "3.2: all missing, ignore keeps ALARM");
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_IGNORE, CWA_OK, NULL)), "OK",
           "3.2: all missing, ignore keeps OK");
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_IGNORE, CWA_INSUFFICIENT_DATA, NULL)), "INSUFFICIENT_DATA",
           "3.2: all missing, ignore keeps INSUFFICIENT_DATA");
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_BREACHING, CWA_OK, NULL)), "ALARM",
           "3.2: all missing, breaching -> ALARM (3 substituted breaching points)");
    is_str(S(eval("- - - - -", 3, 3, SCN_MISSING_NOT_BREACHING, CWA_ALARM, NULL)), "OK",
           "3.2: all missing, notBreaching -> OK");
    cwa_result res;
    is_str(S(eval("- - X - -", 3, 3, SCN_MISSING_MISSING, CWA_OK, &res)), "ALARM",
           "3.2 premature alarm: '- - X - -' M=N=3 (missing) -> ALARM with one real point");
    ok(res.premature, "3.2: ... by the premature-alarm rule");
    is_str(S(eval("- - X - -", 3, 3, SCN_MISSING_IGNORE, CWA_OK, NULL)), "ALARM",
           "3.2 premature alarm: '- - X - -' (ignore) -> ALARM");
    is_str(S(eval("- - - - X", 3, 3, SCN_MISSING_MISSING, CWA_OK, &res)), "OK",
           "3.2 premature alarm: '- - - - X' M=N=3 does not alarm yet");
    ok(!res.premature, "3.2: ... the breaching point is only 1 period old");
    is_str(S(eval("- - - - X", 3, 3, SCN_MISSING_IGNORE, CWA_OK, NULL)), "OK",
           "3.2: '- - - - X' (ignore) keeps OK");
    is_str(S(eval("- - X - -", 3, 3, SCN_MISSING_BREACHING, CWA_OK, NULL)), "ALARM",
           "3.2: '- - X - -' breaching -> 1 real + 2 substituted breaching -> ALARM");
    is_str(S(eval("- - X - -", 3, 3, SCN_MISSING_NOT_BREACHING, CWA_ALARM, NULL)), "OK",
           "3.2: '- - X - -' notBreaching -> OK");
    is_str(S(eval("0 - - - -", 3, 3, SCN_MISSING_MISSING, CWA_INSUFFICIENT_DATA, NULL)), "OK",
           "3.2: '0 - - - -' missing: the real point does not breach -> OK");
    is_str(S(eval("0 - - - -", 3, 3, SCN_MISSING_BREACHING, CWA_OK, NULL)), "OK",
           "3.2: '0 - - - -' breaching: 0 + 2 substituted X = 2 of 3 -> OK (fill as few as possible)");
    is_str(S(eval("0 - - - -", 3, 3, SCN_MISSING_IGNORE, CWA_ALARM, NULL)), "ALARM",
           "3.2: '0 - - - -' ignore: fewer than N real points and no alarm condition -> state kept");
    is_str(S(eval("X - 0 - -", 3, 3, SCN_MISSING_MISSING, CWA_ALARM, NULL)), "OK",
           "3.2: a later non-breaching point defeats the premature rule");
    is_str(S(eval("X X X 0 0", 3, 3, SCN_MISSING_MISSING, CWA_ALARM, NULL)), "OK",
           "3.2: only the most recent N real points count");

    /* 2 of 3 */
    for (int k = 0; k < 4; k++) {
        is_str(S(eval("0 - X - X", 2, 3, all[k], CWA_OK, NULL)), "ALARM",
               "3.2: 2/3 '0 - X - X' (%s) -> ALARM", mn[k]);
        is_str(S(eval("0 0 X 0 X", 2, 3, all[k], CWA_OK, NULL)), "ALARM",
               "3.2: 2/3 '0 0 X 0 X' (%s): X 0 X -> ALARM (breaches need not be consecutive)", mn[k]);
    }
    is_str(S(eval("0 X 0 0 X", 2, 3, SCN_MISSING_MISSING, CWA_ALARM, NULL)), "OK",
           "3.2: 2/3 '0 X 0 0 X': 1 of the last 3 -> OK");
    is_str(S(eval("- - - X -", 2, 3, SCN_MISSING_MISSING, CWA_OK, NULL)), "ALARM",
           "3.2 premature: 2/3 '- - - X -' X is 2 periods old >= M -> ALARM");
    is_str(S(eval("- - - X -", 2, 3, SCN_MISSING_NOT_BREACHING, CWA_ALARM, NULL)), "OK",
           "3.2: 2/3 '- - - X -' notBreaching -> X + 2 x 0 -> OK");
    is_str(S(eval("- - - - 0", 2, 3, SCN_MISSING_MISSING, CWA_INSUFFICIENT_DATA, NULL)), "OK",
           "3.2: 2/3 '- - - - 0' missing -> OK");
    is_str(S(eval("- - - - 0", 2, 3, SCN_MISSING_BREACHING, CWA_OK, NULL)), "ALARM",
           "3.2: 2/3 '- - - - 0' breaching -> 0 + 2 substituted X -> ALARM");

    /* comparison operators */
    ok(cwa_breaches(SCN_CMP_GE, 50, 50) && !cwa_breaches(SCN_CMP_GT, 50, 50), "3.2: >= includes the threshold, > does not");
    ok(cwa_breaches(SCN_CMP_LE, 50, 50) && !cwa_breaches(SCN_CMP_LT, 50, 50), "3.2: <= includes the threshold, < does not");
    ok(cwa_breaches(SCN_CMP_LT, 34.9, 35) && !cwa_breaches(SCN_CMP_LT, 35.1, 35), "3.2: LessThanThreshold");

    /* the reason text */
    double v[5] = {0, 0, 72.1, 80.3, 75.0};
    unsigned char p[5] = {0, 0, 1, 1, 1};
    cwa_rule r = {3, 3, 50, SCN_CMP_GT, SCN_MISSING_MISSING};
    cwa_evaluate(&r, v, p, 5, CWA_OK, &res);
    char buf[512];
    cwa_reason(&r, v, p, 5, &res, buf, sizeof buf);
    ok(strstr(buf, "Threshold Crossed: 3 out of the last 3 datapoints [72.1, 80.3, 75.0] were greater than the threshold (50.0)") == buf,
       "3.2: StateReason like AWS's: '%s'", buf);
}

/* ---------------------------------------------------------------- alarm objects over a scripted source */

typedef struct script {
    double v[400];     /* value of minute k; NAN = no data */
    int calls;
} script;

static int script_source(void *src, scn_metric_id id, sim_time_t t0, sim_time_t t1, cw_sample *out)
{
    (void)id;
    script *s = src;
    s->calls++;
    memset(out, 0, sizeof *out);
    double sum = 0;
    uint64_t n = 0;
    double mn = INFINITY, mx = -INFINITY;
    for (sim_time_t t = t0; t < t1; t += SIM_MIN) {
        double x = s->v[t / SIM_MIN];
        if (isnan(x))
            continue;
        sum += x;
        n++;
        mn = fmin(mn, x);
        mx = fmax(mx, x);
    }
    out->count = n;
    out->sum = sum;
    out->min = n ? mn : 0;
    out->max = n ? mx : 0;
    return 0;
}

typedef struct acts {
    int policy, sns, policy_while_held;
    cwa_state last;
} acts;

static void count_action(void *ctx, cw_alarm *a, const scn_action *act, bool transition, sim_time_t t)
{
    (void)t;
    acts *c = ctx;
    if (act->kind == SCN_ACT_POLICY) {
        c->policy++;
        if (!transition)
            c->policy_while_held++;
    } else {
        c->sns++;
    }
    c->last = cwa_state_of(a);
}

static void test_store(void)
{
    script sc;
    for (int i = 0; i < 400; i++)
        sc.v[i] = i;
    cw_store *cw = cw_new(60 * SIM_SEC);
    cw_series *a = cw_series_get(cw, SCN_M_EC2_CPU, 0, -1, -1, SIM_MIN, script_source, &sc);
    cw_series *b = cw_series_get(cw, SCN_M_EC2_CPU, 0, -1, -1, SIM_MIN, script_source, &sc);
    ok(a && a == b, "3.1: one series per (metric, dimensions)");
    cw_series *basic = cw_series_get(cw, SCN_M_EC2_CPU, 1, -1, -1, 5 * SIM_MIN, script_source, &sc);
    is_int(cw_series_count(cw), 2, "two series");
    ok(cw_series_need(a, 10 * SIM_MIN, false, false) == 0 && cw_series_need(basic, 30 * SIM_MIN, false, false) == 0, "need");
    for (int m = 1; m <= 20; m++)
        cw_tick(cw, m * SIM_MIN);
    cw_stat st;
    ok(!cw_aggregate(a, 19 * SIM_MIN, 20 * SIM_MIN, 20 * SIM_MIN, false, &st),
       "3.1: the minute just ended is not visible before the publication delay");
    ok(cw_aggregate(a, 18 * SIM_MIN, 19 * SIM_MIN, 20 * SIM_MIN, false, &st) && st.sum == 18,
       "3.1: the datapoint is stamped at its period start (minute 18 holds value 18)");
    ok(cw_aggregate(a, 15 * SIM_MIN, 18 * SIM_MIN, 20 * SIM_MIN, false, &st), "aggregate 3 minutes");
    is_near(cw_statistic(&st, SCN_STAT_AVERAGE, 0), 16, 1e-12, "3.1: Average of 15, 16, 17");
    is_near(cw_statistic(&st, SCN_STAT_SUM, 0), 48, 1e-12, "3.1: Sum");
    is_near(cw_statistic(&st, SCN_STAT_MINIMUM, 0), 15, 0, "3.1: Minimum");
    is_near(cw_statistic(&st, SCN_STAT_MAXIMUM, 0), 17, 0, "3.1: Maximum");
    is_near(cw_statistic(&st, SCN_STAT_SAMPLE_COUNT, 0), 3, 0, "3.1: SampleCount");
    ok(isnan(cw_statistic(&st, SCN_STAT_PERCENTILE, 99)), "3.1: no percentile without a distribution");
    ok(cw_aggregate(basic, 10 * SIM_MIN, 15 * SIM_MIN, 20 * SIM_MIN, false, &st) && st.count == 5 &&
       st.sum == 10 + 11 + 12 + 13 + 14, "3.1: basic monitoring: one 5-minute datapoint over minutes 10-14");
    ok(!cw_aggregate(basic, 11 * SIM_MIN, 15 * SIM_MIN, 20 * SIM_MIN, false, &st),
       "3.1: basic monitoring: no datapoint stamped inside minutes 11-14");
    ok(!cw_aggregate(basic, 15 * SIM_MIN, 20 * SIM_MIN, 20 * SIM_MIN, false, &st),
       "3.1: the 5-minute datapoint of minutes 15-19 is not visible at minute 20");
    cw_free(cw);
}

static void test_alarm_object(void)
{
    script sc;
    for (int i = 0; i < 400; i++)
        sc.v[i] = i >= 5 && i < 15 ? 90 : 10;
    events_log *ev = events_new();
    cw_store *cw = cw_new(60 * SIM_SEC);
    cw_series *se = cw_series_get(cw, SCN_M_EC2_CPU, 0, -1, -1, SIM_MIN, script_source, &sc);
    cwa_config cf;
    memset(&cf, 0, sizeof cf);
    cf.name = "web-cpu-high";
    cf.rule = (cwa_rule){3, 3, 50, SCN_CMP_GT, SCN_MISSING_MISSING};
    cf.period = SIM_MIN;
    cf.stat = SCN_STAT_AVERAGE;
    cf.actions_enabled = true;
    cf.alarm_actions[0] = (scn_action){SCN_ACT_POLICY, 0};
    cf.alarm_actions[1] = (scn_action){SCN_ACT_SNS, 0};
    cf.n_alarm_actions = 2;
    cf.ok_actions[0] = (scn_action){SCN_ACT_SNS, 0};
    cf.n_ok_actions = 1;
    cw_series_need(se, 10 * SIM_MIN, false, false);
    cw_alarm *a = cwa_new(&cf, se, ev);
    acts c = {0, 0, 0, CWA_INSUFFICIENT_DATA};
    cwa_set_action_fn(a, count_action, &c);
    is_str(cwa_state_name(cwa_state_of(a)), "INSUFFICIENT_DATA", "3.2: a new alarm starts in INSUFFICIENT_DATA");
    int alarm_at = -1, ok_at = -1, first_ok = -1;
    int sns_in_alarm = 0, pol_in_alarm = 0;
    for (int m = 1; m <= 30; m++) {
        sim_time_t t = m * SIM_MIN;
        cw_tick(cw, t);
        int sns0 = c.sns, pol0 = c.policy;
        cwa_tick(a, t);
        if (cwa_state_of(a) == CWA_OK && first_ok < 0)
            first_ok = m;
        if (cwa_state_of(a) == CWA_ALARM) {
            if (alarm_at < 0)
                alarm_at = m;
            sns_in_alarm += c.sns - sns0;
            pol_in_alarm += c.policy - pol0;
        }
        if (alarm_at > 0 && ok_at < 0 && cwa_state_of(a) == CWA_OK)
            ok_at = m;
    }
    is_int(first_ok, 2, "3.1/3.2: minute 0's datapoint is visible at minute 2 (60 s delay): INSUFFICIENT_DATA -> OK");
    is_int(alarm_at, 9, "3.2: minutes 5, 6, 7 breach; the third is visible at minute 9 -> ALARM");
    is_int(ok_at, 17, "3.2: minute 15 is back under; visible at minute 17 -> OK");
    is_int(pol_in_alarm, ok_at - alarm_at, "2.3/11.13: the Auto Scaling action runs every minute the alarm is in ALARM (%d minutes)", ok_at - alarm_at);
    is_int(c.policy_while_held, ok_at - alarm_at - 1, "11.13: ... and again without a transition");
    is_int(sns_in_alarm, 1, "3.2/11.13: the SNS action runs once, on the transition");
    is_int(c.sns, 3, "3.2: the OK action's SNS publish runs once per transition to OK (INSUFFICIENT_DATA -> OK, ALARM -> OK)");
    is_int(cwa_transitions(a), 3, "INSUFFICIENT_DATA -> OK -> ALARM -> OK");

    size_t pos = 0;
    const events_entry *e = events_find(ev, &pos, "alarm", "web-cpu-high", "ALARM");
    ok(e != NULL, "11.12: the transition is in the events log");
    if (e) {
        is_str(e->from, "OK", "the event's from state");
        is_near(sim_to_sec(e->t), 540, 0, "at minute 9");
        ok(strstr(e->message, "Threshold Crossed: 3 out of the last 3 datapoints [90.0, 90.0, 90.0] were greater than the threshold (50.0)") != NULL,
           "message is AWS's StateReason: %s", e->message);
    }
    pos = 0;
    e = events_find(ev, &pos, "alarm", "web-cpu-high", "OK");
    ok(e && strcmp(e->from, "INSUFFICIENT_DATA") == 0, "the first transition is INSUFFICIENT_DATA -> OK");

    const double *pts;
    size_t np = cwa_last_points(a, &pts);
    is_int(np, 3, "the last evaluation used 3 real points");
    cwa_free(a);

    /* actions disabled: state changes, no action runs */
    cf.actions_enabled = false;
    cw_alarm *b = cwa_new(&cf, se, NULL);
    acts d = {0, 0, 0, CWA_INSUFFICIENT_DATA};
    cwa_set_action_fn(b, count_action, &d);
    for (int m = 31; m <= 35; m++) {
        cw_tick(cw, m * SIM_MIN);
        cwa_tick(b, m * SIM_MIN);
    }
    ok(d.policy == 0 && d.sns == 0 && cwa_transitions(b) == 1, "3.2: actions_enabled = false: state changes, no actions");
    cwa_free(b);

    /* a 5-minute period aggregates the per-minute datapoints, sliding each minute */
    cf.actions_enabled = true;
    cf.period = 5 * SIM_MIN;
    cf.rule = (cwa_rule){1, 1, 50, SCN_CMP_GT, SCN_MISSING_MISSING};
    cw_series_need(se, 40 * SIM_MIN, false, false);
    for (int i = 0; i < 400; i++)
        sc.v[i] = i >= 100 && i < 103 ? 100 : 20; /* 3 hot minutes: 5-minute average 20 + 3 x 80 / 5 = 68 */
    cw_alarm *f = cwa_new(&cf, se, NULL);
    int first = -1, last = -1;
    for (int m = 80; m <= 120; m++) {
        cw_tick(cw, m * SIM_MIN);
        cwa_tick(f, m * SIM_MIN);
        if (cwa_state_of(f) == CWA_ALARM) {
            if (first < 0)
                first = m;
            last = m;
        }
    }
    is_int(first, 103, "3.2: a 5-minute period evaluated every minute: ALARM when the 5-minute average (sliding) first exceeds 50");
    ok(last >= first && last <= 109, "3.2: sliding 5-minute window returns to OK once the hot minutes leave it (last ALARM minute %d)", last);
    cwa_free(f);
    cw_free(cw);
    events_free(ev);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_evaluator();
    test_store();
    test_alarm_object();
    return tap_done();
}
