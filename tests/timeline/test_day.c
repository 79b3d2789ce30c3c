/*
 * test_day.c - a whole day (24 h) of diurnal-like traffic under target
 * tracking at 50 % CPU (aws-semantics 2.1, 5.1, 11.4, 11.15).
 *
 * Traffic (piecewise linear through hourly points): 7 rps at night, rising
 * from 06:00 to 80 rps at 14:00, back to 7 rps at 22:00. At 0.1 s of work per
 * request on 2-vCPU instances, CPU = 5 x rps / instances %, so tracking 50 %
 * needs rps / 10 instances: 8 at the peak, 1 at night.
 *
 * Asserts that capacity follows traffic (the peak of desired near the peak
 * of traffic and of the right size, back down at night, hourly capacity
 * correlated with the hourly rate) and that the EC2 cost is the per-second
 * bill of the instance lifetimes the events log shows (billing from running
 * = launch + 6 s EC2 pending, to termination, in whole seconds rounded up,
 * 60 s minimum).
 */
#include <math.h>

#include "tl.h"
#include "stats/stats.h"

static double rate_at_hour(int h)
{
    if (h <= 6 || h >= 22)
        return 7;
    double x = h <= 14 ? (double)(h - 6) / 8 : (double)(22 - h) / 8;
    return 7 + 73 * x;
}

int main(void)
{
    gsl_set_error_handler_off();
    tl *t = tl_new(86400, 7);
    tl_group(t, 1, 20, 2);
    double at[25], r[25];
    for (int h = 0; h <= 24; h++) {
        at[h] = h * 3600.0;
        r[h] = rate_at_hour(h % 24);
    }
    tl_linear(t, 25, at, r);
    tl_tt_cpu(t, "cpu50", 50);
    world *w = tl_run(t, 7);
    ok(w != NULL, "day: runs");
    if (!w) {
        free(t);
        return tap_done();
    }

    /* desired over the day, sampled every minute */
    int peak = 0;
    double peak_at = -1;
    for (double s = 0; s < 86400; s += 60) {
        int d = tl_desired_at(w, s);
        if (d > peak) {
            peak = d;
            peak_at = s;
        }
    }
    ok(peak >= 8 && peak <= 12, "day: peak desired %d is near 80 rps / 10 = 8 instances", peak);
    ok(peak_at >= 11 * 3600 && peak_at <= 18 * 3600, "day: reached at %.1f h, around the 14:00 traffic peak", peak_at / 3600);
    int night = tl_desired_at(w, 4 * 3600);
    ok(night <= 2, "day: %d instance(s) at 04:00 (7 rps needs 1)", night);
    int late = tl_desired_at(w, 23.5 * 3600);
    ok(late <= 2, "day: back down to %d at 23:30", late);

    /* hourly mean InService vs hourly rate */
    size_t nw;
    const stats_window *win = world_windows(w, &nw);
    double cap[24] = {0}, n[24] = {0};
    for (size_t k = 0; k < nw; k++) {
        int h = (int)(win[k].start / SIM_HOUR);
        if (h >= 0 && h < 24) {
            cap[h] += win[k].fleet.in_service;
            n[h] += 1;
        }
    }
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int h = 0; h < 24; h++) {
        cap[h] = n[h] ? cap[h] / n[h] : 0;
        mx += (rate_at_hour(h) + rate_at_hour(h + 1)) / 2 / 24;
        my += cap[h] / 24;
    }
    for (int h = 0; h < 24; h++) {
        double x = (rate_at_hour(h) + rate_at_hour(h + 1)) / 2 - mx, y = cap[h] - my;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    double corr = sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
    ok(corr > 0.9, "day: hourly InService follows the hourly rate (correlation %.3f)", corr);

    /* the EC2 bill from the events log: running from launch + 6 s (t = 0 fleet: from 0) to Terminated or the end */
    const double usd_s = 0.085 / 3600;
    asg *g = tl_asg(w);
    double bill = 0, inst_s = 0;
    for (size_t k = 0; k < asg_n_instances(g); k++) {
        const char *id = asg_instance_id(g, k);
        double start = k < 2 ? 0 : tl_first_t(w, 0, "instance", id, "Pending", NULL) + 6;
        double end = tl_first_t(w, 0, "instance", id, "Terminated", NULL);
        if (end < 0)
            end = 86400;
        if (end <= start)
            continue; /* cancelled while EC2-pending: never billed */
        double secs = ceil(end - start - 1e-9); /* whole seconds, rounded up (reports/cost.c) */
        if (secs < 60)
            secs = 60;
        bill += secs * usd_s;
        inst_s += end - start;
    }
    is_near(world_cost(w, "ec2"), bill, 1e-6, "day: EC2 cost %.4f USD = per-second bill of the logged lifetimes (%.1f instance-hours)",
            world_cost(w, "ec2"), inst_s / 3600);
    double in_service_h = 0;
    for (size_t k = 0; k < nw; k++)
        in_service_h += win[k].fleet.in_service * sim_to_sec(t->sc.report.window) / 3600;
    ok(fabs(inst_s / 3600 - in_service_h) <= 0.1 * in_service_h,
       "day: billed instance-hours %.1f match the InService instance-hours %.1f within 10%% (boot and draining are billed)",
       inst_s / 3600, in_service_h);
    ok(world_cost(w, "ec2") < 20 * 24 * 0.085 / 2, "day: cheaper than half of max capacity all day");
    if (tl_verbose() || tap_failed)
        tl_dump(w, 0, 1e9);
    tl_free(w);
    free(t);
    return tap_done();
}
