/*
 * credit_report.h - what the run's burstable instances did with their CPU
 * credits, per instance type and credit mode ("t2.micro-standard"): the
 * report rows after the run and the windows.csv figures of each window
 * (aws-semantics 5.6). The world calls both over every instance it knows.
 */
#ifndef FLEETSIM_CREDIT_REPORT_H
#define FLEETSIM_CREDIT_REPORT_H

#include <stddef.h>

#include "models/core/build.h"
#include "models/ec2/instance.h"

/* Adds "TYPE-MODE.cpu_credit_balance" (mean over the running instances of the type in that mode, "t2.micro-standard") and "TYPE-MODE.throttled" (instances throttled now; unlimited: "TYPE-MODE.cpu_surplus_credit_balance", their mean surplus) to g. A type and mode with no running instance adds nothing. */
void ec2_credit_gauges(ec2_instance *const *insts, size_t n, sim_time_t now, wb_gauges *g);

/* One row per burstable type and mode (type "ec2_cpu_credits"): instances, the lowest balance any had, the mean final balance, time throttled, surplus credits charged and their USD. 0, or -1 out of memory. */
int ec2_credit_rows(ec2_instance *const *insts, size_t n, sim_time_t end, rows *r);

#endif /* FLEETSIM_CREDIT_REPORT_H */
