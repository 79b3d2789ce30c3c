/*
 * deadline.c - one owner's request deadlines on one kernel event (see
 * deadline.h for why expiry order is push order).
 */
#include "models/core/deadline.h"

#include <string.h>

static inline sim_time_t due(const deadline *d, const req *r)
{
    sim_time_t start;
    memcpy(&start, (const char *)r + d->start_off, sizeof start);
    return start + d->timeout;
}

static void on_deadline(sim *s, void *obj, uint64_t arg);

static void arm(deadline *d, sim_time_t when)
{
    if (d->armed)
        return;
    d->armed = true;
    sim_at(d->s, when, on_deadline, d, 0);
}

static void on_deadline(sim *s, void *obj, uint64_t arg)
{
    (void)arg;
    deadline *d = obj;
    sim_time_t now = sim_now(s);
    d->armed = false;
    req *r;
    while ((r = d->fifo.head) && due(d, r) <= now) {
        req_fifo_unlink(&d->fifo, r, d->link);
        r->flags &= ~d->flag;
        d->expire(d->ctx, r);
    }
    if (r)
        arm(d, due(d, r));
}

void deadline_init(deadline *d, sim *s, sim_time_t timeout, size_t start_off, int link, uint32_t flag,
                   deadline_fn expire, void *ctx)
{
    *d = (deadline){.s = s, .timeout = timeout, .start_off = start_off, .link = link, .flag = flag,
                    .expire = expire, .ctx = ctx};
}

void deadline_push(deadline *d, req *r)
{
    r->flags |= d->flag;
    req_fifo_push(&d->fifo, r, d->link);
    if (!d->armed)
        arm(d, sim_now(d->s) + d->timeout);
}

bool deadline_remove(deadline *d, req *r)
{
    if (!(r->flags & d->flag))
        return false;
    req_fifo_unlink(&d->fifo, r, d->link);
    r->flags &= ~d->flag;
    return true;
}
