/*
 * cpu_credits.c - the CPU credit bucket (see cpu_credits.h).
 *
 * Accounting order, as aws-semantics 5.6 gives it: spending takes launch
 * credits first, then earned credits, then (unlimited only) surplus credits;
 * earning pays surplus credits down first, then accrues earned credits up to
 * the limit (24 h of earnings; launch credits do not count toward it).
 * Surplus credits above the limit are charged at the end of the hour (whole
 * hours of simulated time); the rest is charged when the instance stops
 * running (cc_end).
 *
 * Range: every figure is an int64 of ticks. A 2-vCPU type spends at most
 * 120 ticks/ns, so 400 days of spending (3.5e16 ns) stay below 2^62; the
 * type table (instance_type.c) has no burstable type above 2 vCPUs.
 */
#include "models/ec2/cpu_credits.h"

void cc_init(cc_bucket *b, const cc_params *p, sim_time_t now)
{
    *b = (cc_bucket){.p = *p, .t = now, .launch = p->launch, .throttled_since = -1};
    b->min_balance = b->launch;
}

static int64_t use_rate(const cc_bucket *b)
{
    if (b->throttled)
        return b->p.earn;   /* spends what it earns: the balance stays at 0 */
    return (int64_t)CC_TICKS_PER_VCPU_NS * b->busy;
}

/* dt ns at constant rates. */
static void step(cc_bucket *b, sim_time_t dt)
{
    int64_t earn = b->p.earn, use = use_rate(b);
    b->used += use * dt;
    if (b->throttled)
        b->throttled_ns += dt;
    int64_t net = earn - use;
    if (net >= 0) {
        int64_t gain = net * dt;
        int64_t pay = gain < b->surplus ? gain : b->surplus;
        b->surplus -= pay;
        gain -= pay;
        b->earned = gain > b->p.max - b->earned ? b->p.max : b->earned + gain;
    } else {
        int64_t spend = -net * dt;
        int64_t x = spend < b->launch ? spend : b->launch;
        b->launch -= x;
        spend -= x;
        x = spend < b->earned ? spend : b->earned;
        b->earned -= x;
        spend -= x;
        /* Standard: what is left is under one nanosecond's spending (the zero
           event fires at the ceiling of the exact instant): dropped. */
        if (b->p.mode == CC_UNLIMITED)
            b->surplus += spend;
    }
    if (b->launch + b->earned < b->min_balance)
        b->min_balance = b->launch + b->earned;
}

void cc_advance(cc_bucket *b, sim_time_t now)
{
    while (b->t < now) {
        sim_time_t end = now;
        if (b->p.mode == CC_UNLIMITED) {
            sim_time_t h = (b->t / SIM_HOUR + 1) * SIM_HOUR;
            if (h <= now)
                end = h;
        }
        step(b, end - b->t);
        b->t = end;
        if (b->p.mode == CC_UNLIMITED && end % SIM_HOUR == 0 && b->surplus > b->p.max) {
            b->charged += b->surplus - b->p.max;   /* "charged for the difference at the end of the hour" */
            b->surplus = b->p.max;
        }
    }
}

static bool should_throttle(const cc_bucket *b)
{
    return b->p.mode == CC_STANDARD && b->busy > 0 && b->launch + b->earned == 0 &&
           (int64_t)CC_TICKS_PER_VCPU_NS * b->busy > b->p.earn;
}

static bool set_throttled(cc_bucket *b, bool on)
{
    if (b->throttled == on)
        return false;
    b->throttled = on;
    b->throttled_since = on ? b->t : -1;
    return true;
}

bool cc_set_busy(cc_bucket *b, sim_time_t now, int busy)
{
    cc_advance(b, now);
    b->busy = busy;
    return set_throttled(b, should_throttle(b));
}

sim_time_t cc_zero_at(const cc_bucket *b)
{
    if (b->p.mode != CC_STANDARD || b->throttled)
        return -1;
    int64_t rate = use_rate(b) - b->p.earn;
    if (rate <= 0)
        return -1;
    int64_t bal = b->launch + b->earned;
    return b->t + (bal + rate - 1) / rate;
}

bool cc_on_zero(cc_bucket *b, sim_time_t now)
{
    cc_advance(b, now);
    return should_throttle(b) && set_throttled(b, true);
}

void cc_end(cc_bucket *b, sim_time_t now)
{
    cc_advance(b, now);
    b->charged += b->surplus;   /* charged when the instance is stopped or terminated (5.6) */
    b->surplus = 0;
    b->busy = 0;
    set_throttled(b, false);
}

void cc_speed(const cc_bucket *b, int64_t *num, int64_t *den)
{
    if (b->throttled) {
        *num = b->p.earn;
        *den = (int64_t)CC_TICKS_PER_VCPU_NS * b->busy;
    } else {
        *num = *den = 1;
    }
}

/* b brought to now on a copy (a time before b->t reads the state at b->t). */
static cc_bucket at(const cc_bucket *b, sim_time_t now)
{
    cc_bucket c = *b;
    cc_advance(&c, now);
    return c;
}

static double credits(int64_t ticks) { return (double)ticks / (double)CC_TICKS_PER_CREDIT; }

double cc_balance_at(const cc_bucket *b, sim_time_t now)
{
    cc_bucket c = at(b, now);
    return credits(c.launch + c.earned);
}

double cc_surplus_at(const cc_bucket *b, sim_time_t now) { return credits(at(b, now).surplus); }
double cc_used_at(const cc_bucket *b, sim_time_t now) { return credits(at(b, now).used); }
double cc_charged_at(const cc_bucket *b, sim_time_t now) { return credits(at(b, now).charged); }
int64_t cc_used_ticks_at(const cc_bucket *b, sim_time_t now) { return at(b, now).used; }
sim_time_t cc_throttled_at(const cc_bucket *b, sim_time_t now) { return at(b, now).throttled_ns; }
double cc_min_balance_at(const cc_bucket *b, sim_time_t now) { return credits(at(b, now).min_balance); }
