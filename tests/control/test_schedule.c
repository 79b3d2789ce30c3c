/*
 * test_schedule.c - the cron matcher and scheduled actions (aws-semantics 2.4)
 * against a scripted group.
 */
#include <gsl/gsl_errno.h>

#include "../tap.h"
#include "fake_asg.h"
#include "models/autoscaling/scheduled_action.h"
#include "stats/events.h"

#define MON_2026_01_05 INT64_C(1767571200)  /* the default start_epoch, a Monday */
#define FRI_2026_01_09_1000 INT64_C(1767952800)
#define MON_2026_01_12_0900 INT64_C(1768208400)
#define TUE_2028_02_29 INT64_C(1835395200)
#define SUN_2026_02_01 INT64_C(1769904000)
#define SUN_2026_01_11 INT64_C(1768089600)

static sched_cron parse(const char *e)
{
    sched_cron c;
    char err[160];
    if (sched_cron_parse(e, &c, err, sizeof err) != 0)
        tap_diag("parse '%s': %s", e, err);
    return c;
}

static void test_cron(void)
{
    char err[160];
    sched_cron c = parse("*/15 * * * *");
    ok(sched_cron_match(&c, MON_2026_01_05) && sched_cron_match(&c, MON_2026_01_05 + 45 * 60) &&
       !sched_cron_match(&c, MON_2026_01_05 + 20 * 60), "2.4 cron: */15 matches :00 and :45, not :20");
    ok(sched_cron_match(&c, MON_2026_01_05 + 15 * 60 + 59), "cron: any second of a matching minute matches");
    c = parse("0 9 * * 1-5");
    ok(sched_cron_match(&c, MON_2026_01_05 + 9 * 3600), "cron: 0 9 * * 1-5 matches Monday 09:00 UTC");
    ok(!sched_cron_match(&c, SUN_2026_01_11 + 9 * 3600), "cron: ... not Sunday");
    is_int(sched_cron_next(&c, FRI_2026_01_09_1000), MON_2026_01_12_0900, "cron: after Friday 10:00 the next run is Monday 09:00");
    c = parse("0 0 * * 0");
    sched_cron c7 = parse("0 0 * * 7");
    ok(sched_cron_match(&c, SUN_2026_01_11) && sched_cron_match(&c7, SUN_2026_01_11) && !sched_cron_match(&c7, MON_2026_01_05),
       "cron: day-of-week 0 and 7 are both Sunday");
    c = parse("0 0 1 * 1");
    ok(sched_cron_match(&c, SUN_2026_02_01), "cron: both day fields restricted: day-of-month 1 matches (a Sunday)");
    ok(sched_cron_match(&c, MON_2026_01_05), "cron: ... or day-of-week Monday matches (OR rule)");
    ok(!sched_cron_match(&c, SUN_2026_01_11), "cron: ... and a Sunday the 11th matches neither");
    c = parse("0 0 1 * *");
    ok(sched_cron_match(&c, SUN_2026_02_01) && !sched_cron_match(&c, MON_2026_01_05),
       "cron: day-of-week * leaves day-of-month alone in charge");
    c = parse("10-30/10 * * * *");
    ok(sched_cron_match(&c, MON_2026_01_05 + 600) && sched_cron_match(&c, MON_2026_01_05 + 1200) &&
       sched_cron_match(&c, MON_2026_01_05 + 1800) && !sched_cron_match(&c, MON_2026_01_05 + 2400) &&
       !sched_cron_match(&c, MON_2026_01_05 + 900), "cron: range with step 10-30/10 = 10, 20, 30");
    c = parse("5,10-12 * * * *");
    ok(sched_cron_match(&c, MON_2026_01_05 + 300) && sched_cron_match(&c, MON_2026_01_05 + 660) &&
       !sched_cron_match(&c, MON_2026_01_05 + 360), "cron: list 5,10-12");
    c = parse("50/5 * * * *");
    ok(sched_cron_match(&c, MON_2026_01_05 + 55 * 60) && !sched_cron_match(&c, MON_2026_01_05 + 5 * 60), "cron: A/N runs from A to 59");
    c = parse("0 0 29 2 *");
    is_int(sched_cron_next(&c, MON_2026_01_05), TUE_2028_02_29, "cron: 29 February next happens in 2028");
    c = parse("0 0 31 2 *");
    is_int(sched_cron_next(&c, MON_2026_01_05), -1, "cron: 31 February never happens");
    c = parse("* * * * *");
    is_int(sched_cron_next(&c, MON_2026_01_05), MON_2026_01_05 + 60, "cron: next is strictly after");
    const char *bad[] = {"60 * * * *", "* * * *", "a * * * *", "*/0 * * * *", "5-1 * * * *", "* * * * * *",
                         "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "1,,2 * * * *", "1- * * * *"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(sched_cron_parse(bad[i], &c, err, sizeof err) == -1, "cron: '%s' is rejected (%s)", bad[i], err);
    int y, mo, d, h, mi, w;
    sched_civil(TUE_2028_02_29 + 13 * 3600 + 7 * 60, &y, &mo, &d, &h, &mi, &w);
    ok(y == 2028 && mo == 2 && d == 29 && h == 13 && mi == 7 && w == 2, "civil date of 2028-02-29 13:07 (Tuesday)");
}

static scn_schedule sched_cfg(const char *name, const char *cron, int min, int max, int desired,
                              sim_time_t start, sim_time_t end)
{
    scn_schedule s;
    memset(&s, 0, sizeof s);
    s.name = (char *)name;
    s.asg = 0;
    s.min_size = min;
    s.max_size = max;
    s.desired_capacity = desired;
    s.start_time = start;
    s.end_time = end;
    snprintf(s.recurrence, sizeof s.recurrence, "%s", cron);
    return s;
}

static void test_runtime(void)
{
    sim *s = sim_new(1, 0);
    events_log *ev = events_new();
    asg g;
    fake_asg_init(&g, "web", 1, 10, 2);
    char err[160];
    scn_schedule daily = sched_cfg("business-hours", "0 9 * * *", 2, 10, 4, -1, 3 * SIM_DAY);
    scn_schedule once = sched_cfg("flash-sale", "", -1, -1, 8, 2 * SIM_HOUR, -1);
    scn_schedule half = sched_cfg("half-hourly", "*/30 * * * *", -1, 12, -1, SIM_HOUR + 10 * SIM_MIN, 2 * SIM_HOUR);
    sched *a = sched_new(s, &daily, &g, MON_2026_01_05, ev, err, sizeof err);
    sched *b = sched_new(s, &once, &g, MON_2026_01_05, ev, err, sizeof err);
    sched *c = sched_new(s, &half, &g, MON_2026_01_05, ev, err, sizeof err);
    ok(a && b && c, "schedules created");
    is_int(sched_next_run(a), 9 * SIM_HOUR, "2.4: the first daily run is at 09:00 UTC of the start day");
    sim_run_until(s, 2 * SIM_HOUR);
    is_int(g.desired, 8, "2.4: the one-off action sets desired 8 at its start_time");
    is_int(sched_runs(b), 1, "2.4: a one-off action runs once");
    is_int(sched_runs(c), 2, "2.4: */30 from 01:10 to 02:00 runs at 01:30 and 02:00 (end_time inclusive)");
    is_int(g.max, 12, "2.4: the recurrent action set max 12");
    sim_run_until(s, 4 * SIM_DAY);
    is_int(sched_runs(a), 3, "2.4: a daily action until end_time (3 days) runs 3 times");
    is_int(g.min, 2, "2.4: min set");
    size_t pos = 0;
    const events_entry *e = events_find(ev, &pos, "schedule", "business-hours", NULL);
    ok(e && e->t == 9 * SIM_HOUR, "2.4: logged as a \"schedule\" event at 09:00");
    if (e)
        is_str(e->message, "scheduled action business-hours (recurrence \"0 9 * * *\"): min 2, max 10, desired 4",
               "the schedule event's message");
    ok(strstr(g.last_cause, "scheduled action business-hours") != NULL, "asg_set_limits gets the cause");
    scn_schedule badc = sched_cfg("bad", "0 25 * * *", -1, -1, 1, -1, -1);
    ok(sched_new(s, &badc, &g, MON_2026_01_05, ev, err, sizeof err) == NULL, "a bad recurrence is an error: %s", err);
    sched_free(a);
    sched_free(b);
    sched_free(c);
    events_free(ev);
    sim_free(s);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_cron();
    test_runtime();
    return tap_done();
}
