/*
 * pool.c - free-list pools for short-lived model objects.
 *
 * A pool hands out fixed-size objects from slabs. A slab is only added when
 * the free list is empty, i.e. when the number in use exceeds every earlier
 * peak, so memory follows the peak in flight. Slabs double (from 32 objects,
 * up to 64 Ki objects per slab), so capacity is at most about twice the peak
 * and the number of mallocs is logarithmic in it. Freed objects are reused
 * LIFO: the most recently returned object is the one most likely in cache.
 */
#include <stdalign.h>
#include <stdlib.h>

#include "sim/sim.h"

#define SLAB_MIN 32
#define SLAB_MAX 65536

/* The header is padded to max_align_t so the objects after it are aligned. */
typedef union slab {
    union slab *next;
    max_align_t align_;
} slab;

struct sim_pool {
    sim *s;
    sim_pool *next; /* the kernel's list of pools */
    size_t obj_size;
    void *free; /* intrusive list through the first word of each free object */
    slab *slabs;
    size_t in_use, capacity;
};

sim_pool *sim_pool_new(sim *s, size_t obj_size)
{
    sim_pool *p = calloc(1, sizeof *p);
    if (!p) {
        sim_fail(s, SIM_ENOMEM);
        return NULL;
    }
    const size_t al = alignof(max_align_t);
    size_t sz = obj_size < sizeof(void *) ? sizeof(void *) : obj_size;
    /* every object in a slab stays aligned only if the stride is a multiple */
    sz = (sz + al - 1) / al * al;
    p->s = s;
    p->obj_size = sz;
    sim_pool **head = sim__pools(s);
    p->next = *head;
    *head = p;
    return p;
}

static bool pool_grow(sim_pool *p)
{
    size_t n = p->capacity < SLAB_MIN ? SLAB_MIN : p->capacity;
    if (n > SLAB_MAX)
        n = SLAB_MAX;
    if (n > (SIZE_MAX - sizeof(slab)) / p->obj_size)
        return false;
    slab *sl = malloc(sizeof(slab) + n * p->obj_size);
    if (!sl)
        return false;
    sl->next = p->slabs;
    p->slabs = sl;
    /* thread the new objects so the lowest address is handed out first */
    char *base = (char *)(sl + 1);
    for (size_t i = n; i-- > 0;) {
        void *obj = base + i * p->obj_size;
        *(void **)obj = p->free;
        p->free = obj;
    }
    p->capacity += n;
    return true;
}

void *sim_pool_get(sim_pool *p)
{
    if (!p->free && !pool_grow(p)) {
        sim_fail(p->s, SIM_ENOMEM);
        return NULL;
    }
    void *obj = p->free;
    p->free = *(void **)obj;
    p->in_use++;
    return obj;
}

void sim_pool_put(sim_pool *p, void *obj)
{
    if (!obj)
        return;
    *(void **)obj = p->free;
    p->free = obj;
    p->in_use--;
}

size_t sim_pool_in_use(const sim_pool *p) { return p->in_use; }

size_t sim_pool_capacity(const sim_pool *p) { return p->capacity; }

void sim__pools_free(sim_pool *head)
{
    while (head) {
        sim_pool *next = head->next;
        slab *sl = head->slabs;
        while (sl) {
            slab *sn = sl->next;
            free(sl);
            sl = sn;
        }
        free(head);
        head = next;
    }
}
