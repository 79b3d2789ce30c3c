/*
 * test_lor_index.c - the least-outstanding index (models/elb/lor_index.h)
 * against the rule it replaces, a scan: the first position with the least
 * count, from the cursor, wrapping. Random counts moving by one, appends and
 * rebuilds, at sizes across the bitmap levels (1 to 5,000 positions).
 */
#include <stdlib.h>

#include "models/elb/lor_index.h"
#include "tests/tap.h"

static size_t scan(const uint32_t *c, size_t n, size_t start)
{
    if (n == 0)
        return (size_t)-1;
    size_t s = start < n ? start : 0, best = s, k = s;
    for (size_t j = 1; j < n; j++) {
        if (++k == n)
            k = 0;
        if (c[k] < c[best])
            best = k;
    }
    return best;
}

/* xorshift: the test's own deterministic draws. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int run(size_t n0, int steps, uint64_t seed)
{
    uint32_t *c = calloc(n0 + (size_t)steps + 1, sizeof *c);
    int *slot = calloc(n0 + (size_t)steps + 1, sizeof *slot);
    lor_index *x = lor_new();
    if (!c || !slot || !x)
        return -1;
    size_t n = n0;
    for (size_t p = 0; p < n; p++) {
        c[p] = (uint32_t)(rnd(&seed) % 3);
        slot[p] = (int)p;
    }
    lor_build(x, slot, n, c);
    size_t cursor = 0;
    int bad = 0;
    for (int i = 0; i < steps && !bad; i++) {
        uint64_t r = rnd(&seed) % 100;
        if (r < 45 && n) {           /* a dispatch: the pick's count goes up */
            size_t want = scan(c, n, cursor), got = lor_pick(x, cursor);
            if (want != got)
                bad = 1;
            c[got]++;
            lor_move(x, got, c[got]);
            cursor = got + 1 < n ? got + 1 : 0;
        } else if (r < 90 && n) {    /* an answer: some non-zero count goes down */
            size_t p = (size_t)(rnd(&seed) % n);
            if (c[p]) {
                c[p]--;
                lor_move(x, p, c[p]);
            }
        } else if (r < 97) {         /* a target joins at the end */
            c[n] = (uint32_t)(rnd(&seed) % 4);
            slot[n] = (int)n;
            lor_append(x, c[n]);
            n++;
        } else {                     /* a rebuild (a target left: positions shift) */
            if (n > 1) {
                size_t gone = (size_t)(rnd(&seed) % n);
                for (size_t p = gone; p + 1 < n; p++)
                    c[p] = c[p + 1];
                n--;
            }
            lor_build(x, slot, n, c);
        }
    }
    if (lor_size(x) != n)
        bad = 1;
    lor_free(x);
    free(c);
    free(slot);
    return bad;
}

int main(void)
{
    static const size_t sizes[] = {1, 2, 63, 64, 65, 200, 4095, 4096, 4097, 5000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        is_int(run(sizes[k], 20000, 88172645463325252ULL + k), 0,
               "lor index picks what the scan picks: %zu positions, 20,000 random steps", sizes[k]);
    lor_index *x = lor_new();
    ok(x && lor_pick(x, 0) == (size_t)-1, "an empty index picks nothing");
    lor_free(x);
    return tap_done();
}
