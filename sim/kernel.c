/*
 * kernel.c - the clock, the event queue and the run loop.
 *
 * The queue is an implicit 4-ary min-heap of 16-byte entries {time, key}.
 * key = seq << SLOT_BITS | slot: the high bits are a per-kernel scheduling
 * counter, so comparing (time, key) orders equal times by scheduling order
 * without a third field, and the low bits name the event's record.
 *
 *   operation        cost            notes
 *   schedule         O(log4 n)       O(1) amortised growth of two arrays
 *   fire next        O(log4 n)       one sift-down, shared with the handler's
 *                                    own schedule (see "hole at the root")
 *   cancel           O(1) amortised  a tombstone: the record is marked dead
 *                                    and its entry dropped when it reaches the
 *                                    root, or by a purge (below)
 *   memory           16 B heap entry + 24 B record per pending event or
 *                    tombstone; arrays follow the peak number queued
 *
 * Lazy cancellation (issue 10 point 2): an O(log n) cancel needs every
 * entry's heap position, and keeping that up to date cost a write per sift
 * level into a position array, a random-access cache miss each at a million
 * events, paid by every event to serve the few that are cancelled. Instead
 * sim_cancel makes the handle stale at once and leaves the entry queued as a
 * tombstone; the run loop frees a tombstone it pops. When tombstones outnumber
 * the live events the heap is rebuilt without them in O(n), which is O(1) per
 * cancel amortised and keeps the queue at most about twice the live events.
 *
 * Memory (docs/performance.md): the handler is interned (a small table of the
 * distinct handlers, a few dozen in a whole model), so a record is {obj, arg,
 * gen, handler index} in 24 bytes instead of 32. Large arrays grow in place
 * with mremap where Linux has it: no copy, and no moment where the old and
 * the new array are both resident, which at a million pending events was the
 * difference between the array and twice the array.
 *
 * Limits: at most 2^28 - 1 events pending at once (SIM_ELIMIT beyond; the
 * records alone would be ~8 GB there); tombstones hold slots too, and are
 * purged before the limit is reported. The 36-bit sequence number would wrap
 * after 2^36 (~6.9e10) schedules, so at that point the pending events are
 * renumbered 0..n-1 in their existing order: the number of events over a run
 * is unbounded. A handle's 32-bit generation makes a stale handle harmless
 * until its slot has been reused 2^32 times.
 *
 * Four children of one parent sit in one 64-byte cache line (the array is
 * offset by three entries so that index 1 is line-aligned): a level of the
 * sift-down costs at most one cache miss, and a 4-ary heap has half the
 * levels of a binary one. At a million events those misses, not the
 * instructions, set the rate: the sift-down prefetches the blocks one and two
 * levels below the next, so that about three misses are in flight at a time.
 */
#define _GNU_SOURCE /* madvise and MADV_HUGEPAGE (a hint only), mremap */
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "sim/heap4.h"
#include "sim/sim.h"

#define SLOT_BITS 28
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
#define MAX_SLOTS (UINT32_C(1) << SLOT_BITS) /* slot 0 is reserved for NONE */
#define SEQ_LIMIT (UINT64_C(1) << (64 - SLOT_BITS))

#define HEAP_ALIGN 64
#define HEAP_PAD 3 /* entries before heap[0], so heap[1..4] share a cache line */

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PREFETCH(p) __builtin_prefetch(p)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define PREFETCH(p) ((void)(p))
#define ALWAYS_INLINE inline
#endif

typedef struct erec {
    void *obj;
    uint64_t arg;
    uint32_t gen; /* a handle is live iff its gen equals this */
    union {
        uint32_t hx;        /* index of the handler in the kernel's table, or DEAD_HX */
        uint32_t next_free; /* free-list link while the slot is unused */
    } u;
} erec;

/* u.hx of a cancelled event whose entry is still queued (a tombstone) */
#define DEAD_HX UINT32_MAX
/* purge tombstones once there are more than the live events and at least this many */
#define PURGE_MIN 64

/* Interned handlers: fns[hx] is the handler; an open-addressing map finds hx. */
typedef struct htab {
    sim_handler *fns;
    uint32_t n, cap; /* fns */
    struct hslot {
        sim_handler fn;
        uint32_t hx;
    } *map;
    uint32_t map_cap; /* a power of two, at least twice n */
    sim_handler last; /* the last handler looked up, and its index: models schedule runs of one handler */
    uint32_t last_hx;
} htab;

struct sim {
    sim_time_t now;

    /* heap[0..n) is the queue, `dead` of its entries tombstones; when `hole`
     * is set heap[0] is vacant (the event just fired) and the first schedule
     * or queue access fills it. */
    hent *heap;
    size_t n, cap, dead;
    void *heap_mem;
    bool hole;
    bool heap_mapped, rec_mapped; /* grow_alloc's kind of each array */

    erec *rec;
    uint32_t n_slots, cap_slots, free_head;
    htab handlers;

    uint64_t seq;
    uint64_t fired;
    int err;
    bool halt; /* sim_stop or an error: the run loop returns after the current event */
    const volatile sig_atomic_t *watch; /* sim_watch: stop before the next event once set */

    uint64_t seed;
    uint32_t replication;

    sim_pool *pools;
    void *streams;
};

sim_time_t sim_from_sec(double seconds)
{
    /* !(x > 0) also catches NaN */
    if (!(seconds > 0))
        return 0;
    double ns = seconds * 1e9;
    /* 2^63 is exactly representable; anything at or above it does not fit */
    if (ns >= 9223372036854775808.0)
        return SIM_TIME_MAX;
    /* half away from zero like llround, without the libm call on every
     * scheduled delay; ns - trunc(ns) is exact, so no double rounding */
    sim_time_t whole = (sim_time_t)ns;
    return whole + (ns - (double)whole >= 0.5);
}

/* ---------------------------------------------------------------- memory */

#define BIG_BYTES (4u << 20)
#define HUGE_PAGE (2u << 20)

static size_t round_up(size_t x, size_t a) { return (x + a - 1) / a * a; }

/*
 * Cache-line aligned; large arrays are also 2 MiB aligned and hinted for
 * transparent huge pages: with a million events pending, every event touches
 * about ten random pages of the heap, and with 4 KiB
 * pages most of those are TLB misses. Where the hint is not honoured, or
 * unknown, this is plain aligned memory.
 */
static void *big_alloc(size_t bytes)
{
    if (bytes < BIG_BYTES)
        return aligned_alloc(HEAP_ALIGN, round_up(bytes ? bytes : 1, HEAP_ALIGN));
    bytes = round_up(bytes, HUGE_PAGE);
    void *p = aligned_alloc(HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
    if (p)
        (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

/*
 * Arrays that grow: from MAP_BYTES on they are their own mapping, so that growing is an mremap (the
 * pages move, nothing is copied, the old and new array are never both resident, and no freed
 * array is left behind in malloc's arena, where the doublings up to a few MB used to stay
 * resident: 4 MB at a million events). Page alignment covers the heap's 64-byte need.
 * `*mapped` records which kind the array is.
 */
#define MAP_BYTES (64u << 10)
#define PAGE_BYTES 4096u

/* The length of the mapping for an array of `bytes` (huge-page multiples where huge pages are hinted). */
static size_t map_len(size_t bytes) { return round_up(bytes, bytes >= BIG_BYTES ? HUGE_PAGE : PAGE_BYTES); }

#if defined(__linux__) && defined(MREMAP_MAYMOVE)
#define HAVE_MREMAP 1
#else
#define HAVE_MREMAP 0
#endif

static void *grow_alloc(void *old, size_t used, size_t old_bytes, size_t bytes, bool *mapped)
{
#if HAVE_MREMAP
    if (bytes >= MAP_BYTES) {
        bytes = map_len(bytes);
        void *p;
        if (*mapped) {
            p = mremap(old, map_len(old_bytes), bytes, MREMAP_MAYMOVE);
        } else {
            p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED && used)
                memcpy(p, old, used);
        }
        if (p == MAP_FAILED)
            return NULL;
#ifdef MADV_HUGEPAGE
        if (bytes >= BIG_BYTES)
            (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
        if (!*mapped)
            free(old);
        *mapped = true;
        return p;
    }
#endif
    (void)old_bytes;
    void *p = big_alloc(bytes);
    if (!p)
        return NULL;
    if (used)
        memcpy(p, old, used);
    free(old);
    return p;
}

static void grow_free(void *p, size_t bytes, bool mapped)
{
#if HAVE_MREMAP
    if (mapped) {
        munmap(p, map_len(bytes));
        return;
    }
#endif
    (void)bytes, (void)mapped;
    free(p);
}

/* ---------------------------------------------------------------- heap */

static inline uint32_t ent_slot(const hent *e) { return (uint32_t)(e->key & SLOT_MASK); }

static inline void sift_up(sim *s, size_t i, hent e) { heap4_up(s->heap, i, e); }

static inline void sift_down(sim *s, size_t i, hent e) { heap4_down(s->heap, s->n, i, e); }

/* Removes the vacant root left by the run loop. */
static void fill_hole(sim *s)
{
    s->hole = false;
    size_t last = --s->n;
    if (last > 0)
        sift_down(s, 0, s->heap[last]);
}

static bool heap_grow(sim *s)
{
    /* (cap + 4) entries, the pad included, stay a power of two: no huge page holds a few bytes */
    size_t cap = s->cap ? 2 * (s->cap + 4) - 4 : 252;
    if (cap > (size_t)MAX_SLOTS + 4)
        cap = (size_t)MAX_SLOTS + 4;
    if (cap <= s->cap)
        return false;
    size_t used = s->heap_mem ? (HEAP_PAD + s->n) * sizeof(hent) : 0;
    size_t old_bytes = s->heap_mem ? (s->cap + 4) * sizeof(hent) : 0;
    void *mem = grow_alloc(s->heap_mem, used, old_bytes, (cap + 4) * sizeof(hent), &s->heap_mapped);
    if (!mem)
        return false;
    hent *heap = (hent *)mem + HEAP_PAD;
    s->heap_mem = mem;
    s->heap = heap;
    s->cap = cap;
    return true;
}

/* ---------------------------------------------------------------- records */

static void purge(sim *s);

static uint32_t slot_alloc(sim *s)
{
    uint32_t sl = s->free_head;
    if (LIKELY(sl)) {
        s->free_head = s->rec[sl].u.next_free;
        return sl;
    }
    if (s->n_slots == s->cap_slots) {
        if (s->cap_slots == MAX_SLOTS) {
            if (s->dead) {
                /* the tombstones hold slots that live events may have */
                purge(s);
                return slot_alloc(s);
            }
            sim_fail(s, SIM_ELIMIT);
            return 0;
        }
        uint32_t cap = s->cap_slots ? 2 * s->cap_slots : 256;
        if (cap > MAX_SLOTS)
            cap = MAX_SLOTS;
        erec *rec = grow_alloc(s->rec, s->n_slots * sizeof *rec, s->cap_slots * sizeof *rec,
                               (size_t)cap * sizeof *rec, &s->rec_mapped);
        if (!rec) {
            sim_fail(s, SIM_ENOMEM);
            return 0;
        }
        s->rec = rec;
        s->cap_slots = cap;
    }
    sl = s->n_slots++;
    s->rec[sl].gen = 1;
    return sl;
}

static inline void slot_free(sim *s, uint32_t sl)
{
    erec *r = &s->rec[sl];
    /* gen 0 is never live, so {slot, 0} can never name an event */
    if (UNLIKELY(++r->gen == 0))
        r->gen = 1;
    r->u.next_free = s->free_head;
    s->free_head = sl;
}

static inline bool handle_live(const sim *s, sim_evid id)
{
    return id.slot != 0 && id.slot < s->n_slots && s->rec[id.slot].gen == id.gen;
}

static inline bool slot_dead(const sim *s, uint32_t sl) { return s->rec[sl].u.hx == DEAD_HX; }

/* Pops the tombstone at the root (the caller has checked it is one). */
static void pop_dead(sim *s)
{
    slot_free(s, ent_slot(&s->heap[0]));
    s->dead--;
    s->hole = true;
}

/*
 * Drops every tombstone (freeing its slot) and the hole, and rebuilds the
 * heap bottom-up in O(n). The order is a total order on (time, key), so the
 * new shape fires the same sequence.
 */
static void purge(sim *s)
{
    hent *h = s->heap;
    size_t j = 0;
    for (size_t i = s->hole ? 1 : 0; i < s->n; i++) {
        uint32_t sl = ent_slot(&h[i]);
        if (slot_dead(s, sl))
            slot_free(s, sl);
        else
            h[j++] = h[i];
    }
    s->n = j;
    s->dead = 0;
    s->hole = false;
    for (size_t i = j > 1 ? (j - 2) / 4 + 1 : 0; i-- > 0;)
        sift_down(s, i, h[i]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/*
 * The sequence counter ran out: give the pending events the sequence numbers
 * 0..n-1 in their current order. The map is monotone, so every (time, key)
 * comparison, and hence the heap shape, is unchanged.
 */
static bool renumber(sim *s)
{
    purge(s);
    size_t n = s->n;
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
    uint32_t *rank = malloc((size_t)s->n_slots * sizeof *rank);
    if (!keys || !rank) {
        free(keys);
        free(rank);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = s->heap[i].key;
    qsort(keys, n, sizeof *keys, cmp_u64);
    /* sorted keys hold slots in old-sequence order; rank is the new sequence */
    for (size_t r = 0; r < n; r++)
        rank[keys[r] & SLOT_MASK] = (uint32_t)r;
    for (size_t i = 0; i < n; i++) {
        uint32_t sl = ent_slot(&s->heap[i]);
        s->heap[i].key = ((uint64_t)rank[sl] << SLOT_BITS) | sl;
    }
    free(keys);
    free(rank);
    s->seq = n;
    return true;
}

/* ---------------------------------------------------------------- handlers */

static inline uint32_t hmap_home(sim_handler h, uint32_t cap)
{
    /* Fibonacci hashing of the address; the low bits of a code address are poor */
    uint64_t x = (uint64_t)(uintptr_t)h * UINT64_C(0x9E3779B97F4A7C15);
    return (uint32_t)(x >> 32) & (cap - 1);
}

static bool htab_rehash(htab *t, uint32_t cap)
{
    struct hslot *map = calloc(cap, sizeof *map);
    if (!map)
        return false;
    for (uint32_t hx = 0; hx < t->n; hx++) {
        uint32_t i = hmap_home(t->fns[hx], cap);
        while (map[i].fn)
            i = (i + 1) & (cap - 1);
        map[i].fn = t->fns[hx];
        map[i].hx = hx;
    }
    free(t->map);
    t->map = map;
    t->map_cap = cap;
    return true;
}

/* The handler's index in the table, adding it if new; UINT32_MAX (and sim_error set) on OOM. */
static inline uint32_t handler_index(sim *s, sim_handler h)
{
    htab *t = &s->handlers;
    if (LIKELY(h == t->last))
        return t->last_hx;
    uint32_t i = hmap_home(h, t->map_cap);
    for (;;) {
        if (LIKELY(t->map[i].fn == h)) {
            t->last = h;
            t->last_hx = t->map[i].hx;
            return t->last_hx;
        }
        if (!t->map[i].fn)
            break;
        i = (i + 1) & (t->map_cap - 1);
    }
    /* a new handler: rare (once per distinct function over the whole run) */
    if (t->n == t->cap) {
        uint32_t cap = 2 * t->cap;
        sim_handler *fns = realloc(t->fns, cap * sizeof *fns);
        if (!fns) {
            sim_fail(s, SIM_ENOMEM);
            return UINT32_MAX;
        }
        t->fns = fns;
        t->cap = cap;
    }
    uint32_t hx = t->n++;
    t->fns[hx] = h;
    if (2 * t->n > t->map_cap) {
        if (!htab_rehash(t, 2 * t->map_cap)) {
            t->n--;
            sim_fail(s, SIM_ENOMEM);
            return UINT32_MAX;
        }
        return hx;
    }
    t->map[i].fn = h;
    t->map[i].hx = hx;
    return hx;
}

/* ---------------------------------------------------------------- kernel API */

sim *sim_new(uint64_t seed, uint32_t replication)
{
    sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->seed = seed;
    s->replication = replication;
    s->n_slots = 1; /* slot 0 stays unused so that SIM_EVID_NONE is never live */
    s->rec = big_alloc(256 * sizeof *s->rec);
    s->handlers.cap = 16;
    s->handlers.fns = malloc(s->handlers.cap * sizeof *s->handlers.fns);
    if (!s->rec || !s->handlers.fns || !htab_rehash(&s->handlers, 64) || !heap_grow(s)) {
        sim_free(s);
        return NULL;
    }
    s->cap_slots = 256;
    s->rec[0].gen = 0;
    s->rec[0].u.next_free = 0;
    return s;
}

void sim_free(sim *s)
{
    if (!s)
        return;
    sim__pools_free(s->pools);
    sim__streams_free(s->streams);
    if (s->heap_mem)
        grow_free(s->heap_mem, (s->cap + 4) * sizeof(hent), s->heap_mapped);
    if (s->rec)
        grow_free(s->rec, s->cap_slots * sizeof *s->rec, s->rec_mapped);
    free(s->handlers.fns);
    free(s->handlers.map);
    free(s);
}

sim_time_t sim_now(const sim *s) { return s->now; }
uint64_t sim_seed(const sim *s) { return s->seed; }
uint32_t sim_replication(const sim *s) { return s->replication; }

/* sim_at once t >= now is known; inlined into both entry points to save a call per schedule */
static ALWAYS_INLINE sim_evid schedule(sim *s, sim_time_t t, sim_handler h, void *obj,
                                                               uint64_t arg)
{
    if (UNLIKELY(s->seq >= SEQ_LIMIT) && !renumber(s)) {
        sim_fail(s, SIM_ENOMEM);
        return SIM_EVID_NONE;
    }
    if (UNLIKELY(!s->hole && s->n == s->cap) && !heap_grow(s)) {
        sim_fail(s, SIM_ENOMEM);
        return SIM_EVID_NONE;
    }
    uint32_t hx = handler_index(s, h);
    if (UNLIKELY(hx == UINT32_MAX))
        return SIM_EVID_NONE;
    uint32_t sl = slot_alloc(s);
    if (UNLIKELY(!sl))
        return SIM_EVID_NONE;
    erec *r = &s->rec[sl];
    r->u.hx = hx;
    r->obj = obj;
    r->arg = arg;
    hent e = {t, (s->seq++ << SLOT_BITS) | sl};
    if (s->hole) {
        /* replace-top: the fired event's vacancy takes the new one, one sift */
        s->hole = false;
        sift_down(s, 0, e);
    } else {
        sift_up(s, s->n++, e);
    }
    return (sim_evid){sl, r->gen};
}

sim_evid sim_at(sim *s, sim_time_t t, sim_handler h, void *obj, uint64_t arg)
{
    if (UNLIKELY(t < s->now)) {
        sim_fail(s, SIM_EPAST);
        return SIM_EVID_NONE;
    }
    return schedule(s, t, h, obj, arg);
}

sim_evid sim_after(sim *s, sim_time_t delay, sim_handler h, void *obj, uint64_t arg)
{
    if (UNLIKELY(delay < 0)) {
        sim_fail(s, SIM_EPAST);
        return SIM_EVID_NONE;
    }
    /* saturate rather than overflow: an event at the end of time never fires */
    sim_time_t t = delay > SIM_TIME_MAX - s->now ? SIM_TIME_MAX : s->now + delay;
    return schedule(s, t, h, obj, arg);
}

bool sim_cancel(sim *s, sim_evid id)
{
    if (!handle_live(s, id))
        return false;
    erec *r = &s->rec[id.slot];
    /* stale at once; the slot itself is freed with its entry */
    if (UNLIKELY(++r->gen == 0))
        r->gen = 1;
    r->u.hx = DEAD_HX;
    s->dead++;
    if (s->dead >= PURGE_MIN && s->dead > sim_pending(s))
        purge(s);
    return true;
}

bool sim_pending_event(const sim *s, sim_evid id) { return handle_live(s, id); }

int sim_run_until(sim *s, sim_time_t t_end)
{
    s->halt = s->err != SIM_OK;
    while (!s->halt) {
        if (UNLIKELY(s->watch != NULL) && *s->watch) {
            s->halt = true;
            break;
        }
        if (s->hole)
            fill_hole(s);
        if (UNLIKELY(s->n == 0))
            break;
        hent top = s->heap[0];
        if (top.t > t_end)
            break;
        uint32_t sl = ent_slot(&top);
        const erec *r = &s->rec[sl];
        if (UNLIKELY(r->u.hx == DEAD_HX)) {
            pop_dead(s);
            continue;
        }
        sim_handler h = s->handlers.fns[r->u.hx];
        void *obj = r->obj;
        uint64_t arg = r->arg;
        if (s->n > 4096) {
            /* the next event is most likely the least of the root's children
             * (unless the handler schedules an earlier one): start fetching
             * its record now, so the miss overlaps this handler's work. With
             * fewer events the records stay in cache and this is pure cost. */
            const hent *c = &s->heap[1];
            size_t a = ent_lt(&c[1], &c[0]), b = 2 + ent_lt(&c[3], &c[2]);
            size_t m = a ^ ((a ^ b) & (0 - (size_t)ent_lt(&c[b], &c[a])));
            PREFETCH(&s->rec[ent_slot(&c[m])]);
        }
        /* free first: the handler's next schedule reuses this (cached) slot */
        slot_free(s, sl);
        s->hole = true;
        s->now = top.t;
        s->fired++;
        h(s, obj, arg);
    }
    if (s->hole)
        fill_hole(s);
    if (!s->halt && t_end > s->now)
        s->now = t_end;
    return s->err;
}

void sim_stop(sim *s) { s->halt = true; }

sim_time_t sim_next_time(sim *s)
{
    for (;;) {
        if (s->hole)
            fill_hole(s);
        if (!s->n)
            return -1;
        if (!slot_dead(s, ent_slot(&s->heap[0])))
            return s->heap[0].t;
        pop_dead(s);
    }
}

void sim_watch(sim *s, const volatile sig_atomic_t *flag) { s->watch = flag; }

size_t sim_pending(const sim *s) { return s->n - s->dead - (s->hole ? 1 : 0); }

uint64_t sim_events_fired(const sim *s) { return s->fired; }

int sim_error(const sim *s) { return s->err; }

void sim_fail(sim *s, int code)
{
    /* the first error is the cause; later ones are usually its consequences */
    if (code != SIM_OK && s->err == SIM_OK)
        s->err = code;
    if (code != SIM_OK)
        s->halt = true;
}

/* ---------------------------------------------------------------- internals */

sim_pool **sim__pools(sim *s) { return &s->pools; }

void **sim__streams(sim *s) { return &s->streams; }

void sim__set_next_seq(sim *s, uint64_t seq)
{
    s->seq = seq > SEQ_LIMIT ? SEQ_LIMIT : seq;
}
