/*
 * schedule_expr.h - EventBridge schedule expressions: rate(N unit) and
 * six-field cron(minutes hours day-of-month month day-of-week year), in UTC
 * (aws-semantics 6.7: schedule precision is 1 minute).
 *
 * Accepted as EventBridge accepts them: a rate of a positive whole number of
 * minute(s), hour(s) or day(s), singular exactly when the number is 1; cron
 * fields with , - * / (and ? in day-of-month or day-of-week, exactly one of
 * which must be ?), months JAN-DEC, days SUN-SAT (1 = SUN), years 1970-2199.
 * EventBridge's L, W and # are refused as not supported yet.
 *
 * Prefix: sx_.
 */
#ifndef FLEETSIM_SCHEDULE_EXPR_H
#define FLEETSIM_SCHEDULE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SX_YEAR_MIN 1970
#define SX_YEAR_MAX 2199

typedef struct sx_expr {
    bool is_rate;
    int64_t rate_sec;          /* rate: the period in seconds (>= 60) */
    uint64_t minutes;          /* cron: bit m for minute m (0-59) */
    uint32_t hours;            /* bit h (0-23) */
    uint32_t dom;              /* bit d (1-31); 0 when day-of-month is ? */
    uint16_t months;           /* bit m (1-12) */
    uint8_t dow;               /* bit d (1-7, 1 = Sunday); 0 when day-of-week is ? */
    uint64_t years[4];         /* bit y - 1970 */
} sx_expr;

/* Parses text; 0, or -1 with the reason EventBridge would give in why. */
int sx_parse(const char *text, sx_expr *out, char *why, size_t why_size);
/*
 * The first fire time strictly after `after` (UTC seconds since 1970), or -1 if none (past 2199).
 * A rate fires at origin + k * period, k >= 1 (origin: when the rule came to exist).
 */
int64_t sx_next(const sx_expr *e, int64_t origin, int64_t after);

#endif /* FLEETSIM_SCHEDULE_EXPR_H */
