/*
 * instance.c - an EC2 instance serving requests.
 *
 * Approximates: an instance of `vcpus` vCPUs as `vcpus` identical workers in
 * front of one FIFO run queue (an idealised, work-conserving OS scheduler).
 * A request needs `demand` seconds of work on a reference vCPU (c5.large =
 * 1.0) and holds one worker for demand / speed seconds.
 *
 * Leaves out: lifecycle states before running (pending, boot phases), health,
 * CPU credits of burstable types, hyper-threading effects, memory/network
 * limits, processor sharing within a request, connection limits. The
 * Auto Scaling work adds launch/terminate transitions later.
 *
 * Units: time in ns (sim_time_t); busy time as an exact integer integral of
 * busy workers x ns; demand in seconds (double) converted once per request
 * with sim_from_sec.
 *
 * Source: ../shared/reference/aws-semantics.md 5.1 (an instance bills from the
 * moment it is running: the launched/terminated times kept here feed cost.c).
 */
#include "models/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ec2_instance {
    sim *s;
    ec2_done_fn done;
    void *ctx;
    req *q_head, *q_tail;   /* waiting for a worker */
    uint32_t queued;
    int busy;               /* workers in service, 0..vcpus */
    int vcpus;
    double inv_speed;
    sim_time_t last;        /* time busy_area was last brought up to date */
    int64_t busy_area;      /* integral of busy over [launched, last] */
    uint64_t served;
    sim_time_t launched, terminated;
    const scn_itype *type;
    char id[40];
    char az[32];
};

/* busy only changes here and in ec2_submit, so the integral is exact. */
static inline void accrue(ec2_instance *i, sim_time_t now)
{
    i->busy_area += (int64_t)i->busy * (now - i->last);
    i->last = now;
}

static void on_done(sim *s, void *obj, uint64_t arg);

static inline void start(ec2_instance *i, req *r)
{
    sim_after(i->s, sim_from_sec(r->demand * i->inv_speed), on_done, i,
              (uint64_t)(uintptr_t)r);
}

static void on_done(sim *s, void *obj, uint64_t arg)
{
    ec2_instance *i = obj;
    req *r = (req *)(uintptr_t)arg;

    i->served++;
    if (i->q_head) {
        /* The worker goes straight to the next request: busy is unchanged. */
        req *n = i->q_head;
        i->q_head = n->q_next;
        if (!i->q_head)
            i->q_tail = NULL;
        i->queued--;
        start(i, n);
    } else {
        accrue(i, sim_now(s));
        i->busy--;
    }
    i->done(i->ctx, r);
    req_release(r, REQ_SERVER_DONE);
}

ec2_instance *ec2_new(sim *s, const char *id, const scn_itype *type, const char *az,
                      ec2_done_fn done, void *ctx)
{
    if (!type || type->vcpus < 1 || !(type->speed > 0) || !done)
        return NULL;
    ec2_instance *i = calloc(1, sizeof *i);
    if (!i)
        return NULL;
    i->s = s;
    i->done = done;
    i->ctx = ctx;
    i->vcpus = type->vcpus;
    i->inv_speed = 1.0 / type->speed;
    i->type = type;
    i->launched = i->last = sim_now(s);
    i->terminated = -1;
    snprintf(i->id, sizeof i->id, "%s", id ? id : "");
    snprintf(i->az, sizeof i->az, "%s", az ? az : "");
    return i;
}

void ec2_free(ec2_instance *i) { free(i); }

void ec2_submit(ec2_instance *i, req *r)
{
    r->q_next = NULL;
    if (i->busy < i->vcpus) {
        accrue(i, sim_now(i->s));
        i->busy++;
        start(i, r);
        return;
    }
    if (i->q_tail)
        i->q_tail->q_next = r;
    else
        i->q_head = r;
    i->q_tail = r;
    i->queued++;
}

int64_t ec2_busy_ns(const ec2_instance *i, sim_time_t now)
{
    return i->busy_area + (int64_t)i->busy * (now - i->last);
}

uint64_t ec2_served(const ec2_instance *i) { return i->served; }
uint32_t ec2_in_system(const ec2_instance *i) { return i->queued + (uint32_t)i->busy; }
int ec2_vcpus(const ec2_instance *i) { return i->vcpus; }
const char *ec2_id(const ec2_instance *i) { return i->id; }
const char *ec2_az(const ec2_instance *i) { return i->az; }
const scn_itype *ec2_type(const ec2_instance *i) { return i->type; }
sim_time_t ec2_launched(const ec2_instance *i) { return i->launched; }
sim_time_t ec2_terminated(const ec2_instance *i) { return i->terminated; }
