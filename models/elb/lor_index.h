/*
 * lor_index.h - least_outstanding_requests routing in O(log64 n) per
 * request (issue 10: the pick used to scan every target).
 *
 * Positions 0..n-1 are the target group's routing order (its healthy
 * targets in the order they became healthy, or its registered ones when it
 * fails open); each has a small count, its outstanding requests. The index
 * keeps, per count value, a bitmap of the positions at that count with
 * summary levels (a bit per non-zero word below), so "the first position at
 * or after p with count c" is a few word operations, and the least count in
 * use is tracked as counts move by one. The pick is exactly the old scan's:
 * the first position with the least count, scanning from the cursor and
 * wrapping (target_group.c documents the tie rule).
 *
 * Prefix: lor_.
 */
#ifndef FLEETSIM_LOR_INDEX_H
#define FLEETSIM_LOR_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct lor_index lor_index;

/* An empty index; NULL out of memory. */
lor_index *lor_new(void);
/* Frees it; NULL is a no-op. */
void lor_free(lor_index *x);

/* Rebuilds the index for n positions whose counts are count[slot[p]]; 0, or -1 out of memory (the index is then empty). */
int lor_build(lor_index *x, const int *slot, size_t n, const uint32_t *count);
/* Appends position n (the index's size) with count c; 0, or -1 out of memory. */
int lor_append(lor_index *x, uint32_t c);
/* Position p's count is now `to` (the index knows what it was); 0, or -1 out of memory. */
int lor_move(lor_index *x, size_t p, uint32_t to);
/* Positions indexed. */
size_t lor_size(const lor_index *x);
/* The first position at or after start (wrapping to 0) among those with the least count; (size_t)-1 when empty. */
size_t lor_pick(const lor_index *x, size_t start);

#endif /* FLEETSIM_LOR_INDEX_H */
