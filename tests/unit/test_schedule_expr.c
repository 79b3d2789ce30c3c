/*
 * test_schedule_expr.c - EventBridge schedule expressions (aws-semantics 6.7;
 * EventBridge user guide, cron and rate expressions): what is accepted, what
 * EventBridge rejects, and next fire times.
 */
#include <stdlib.h>

#include "../tap.h"

#include "models/events/schedule_expr.h"

#define T0 1767571200LL /* 2026-01-05T00:00:00Z, a Monday */

static int parses(const char *s)
{
    sx_expr e;
    char why[160];
    int rc = sx_parse(s, &e, why, sizeof why);
    if (rc != 0 && getenv("VERBOSE"))
        printf("# %s: %s\n", s, why);
    return rc == 0;
}

static int64_t next(const char *s, int64_t after)
{
    sx_expr e;
    char why[160];
    if (sx_parse(s, &e, why, sizeof why) != 0)
        return -2;
    return sx_next(&e, T0, after);
}

int main(void)
{
    /* accepted */
    ok(parses("rate(1 minute)"), "rate(1 minute)");
    ok(parses("rate(5 minutes)"), "rate(5 minutes)");
    ok(parses("rate(1 hour)") && parses("rate(12 hours)"), "hours");
    ok(parses("rate(1 day)") && parses("rate(7 days)"), "days");
    ok(parses("cron(0 12 * * ? *)"), "cron(0 12 * * ? *)");
    ok(parses("cron(15 10 ? * 6L 2026)") == 0, "L in day-of-week: not supported yet, refused");
    ok(parses("cron(0/15 * * * ? *)"), "minute increments");
    ok(parses("cron(0 8 ? * MON-FRI *)"), "day names");
    ok(parses("cron(0 0 1 JAN,JUL ? 2026-2030)"), "month names, year range");
    /* rejected as EventBridge rejects */
    ok(!parses("rate(1 minutes)"), "rate(1 minutes): plural with 1");
    ok(!parses("rate(5 minute)"), "rate(5 minute): singular with 5");
    ok(!parses("rate(0 minutes)"), "rate(0 minutes)");
    ok(!parses("rate(30 seconds)"), "rate below a minute");
    ok(!parses("rate(-1 minutes)"), "negative rate");
    ok(!parses("rate(1.5 hours)"), "fractional rate");
    ok(!parses("rate(5minutes)"), "no space");
    ok(!parses("cron(0 12 * * *)"), "five cron fields");
    ok(!parses("cron(0 12 * * * *)"), "neither day field is ?");
    ok(!parses("cron(0 12 ? * ? *)"), "both day fields ?");
    ok(!parses("cron(60 12 * * ? *)"), "minute 60");
    ok(!parses("cron(0 24 * * ? *)"), "hour 24");
    ok(!parses("cron(0 12 32 * ? *)"), "day 32");
    ok(!parses("cron(0 12 ? * 8 *)"), "day-of-week 8");
    ok(!parses("cron(0 12 * 13 ? *)"), "month 13");
    ok(!parses("cron(0 12 * * ? 2200)"), "year 2200");
    ok(!parses("cron(? 12 * * ? *)"), "? in minutes");
    ok(!parses("cron(0 12 10-5 * ? *)"), "backwards range");
    ok(!parses("every 5 minutes"), "not an expression");

    /* next fire times */
    is_int(next("rate(5 minutes)", T0 - 1), T0 + 300, "rate: first fire one period after the origin");
    is_int(next("rate(5 minutes)", T0 + 300), T0 + 600, "rate: strictly after");
    is_int(next("rate(1 hour)", T0 + 3599), T0 + 3600, "rate(1 hour)");
    is_int(next("cron(0 12 * * ? *)", T0), T0 + 12 * 3600, "daily at noon: the same day");
    is_int(next("cron(0 12 * * ? *)", T0 + 12 * 3600), T0 + 36 * 3600, "daily at noon: the next day after noon");
    is_int(next("cron(0/15 * * * ? *)", T0), T0 + 900, "every 15 minutes: strictly after 00:00");
    is_int(next("cron(0/15 * * * ? *)", T0 + 901), T0 + 1800, "every 15 minutes from 00:15:01");
    /* 2026-01-05 is a Monday: SAT is 5 days later */
    is_int(next("cron(30 9 ? * SAT *)", T0), T0 + 5 * 86400 + 9 * 3600 + 1800, "weekly on Saturday 09:30");
    is_int(next("cron(0 8 ? * MON-FRI *)", T0 + 8 * 3600), T0 + 86400 + 8 * 3600, "weekdays: Tuesday after Monday's");
    is_int(next("cron(0 8 ? * 2 *)", T0), T0 + 8 * 3600, "day-of-week 2 is Monday (1 = SUN)");
    is_int(next("cron(0 0 1 * ? *)", T0), 1769904000LL, "first of the month: 2026-02-01T00:00:00Z");
    is_int(next("cron(0 0 29 2 ? *)", T0), 1835395200LL, "29 February: 2028-02-29T00:00:00Z");
    is_int(next("cron(0 0 1 1 ? 2025)", T0), -1, "a year in the past: never");
    return tap_done();
}
