/*
 * inst_index.h - the world's instances found by id (i-<resource>-<n>) in O(1)
 * expected: FIS actions, EC2 API calls and the license table resolve ids one
 * at a time, and a scan of every instance per id made an action on 1,000 of
 * 20,000 instances cost 20 million string compares.
 *
 * Open addressing with linear probing over indices into the caller's array;
 * nothing is ever removed (the world keeps terminated instances for its
 * report), and with equal ids the one added first is found, as a scan would.
 *
 * Prefix: inst_index_.
 */
#ifndef FLEETSIM_INST_INDEX_H
#define FLEETSIM_INST_INDEX_H

#include <stddef.h>

#include "models/ec2/instance.h"

typedef struct inst_index {
    size_t *slot; /* index into the instance array + 1; 0 = empty */
    size_t cap;   /* a power of two, at least twice the entries */
    size_t n;
} inst_index;

/* Records that insts[k] (k = the number added so far) has its id; 0, or -1 on OOM (the index is unchanged). */
int inst_index_add(inst_index *x, ec2_instance *const *insts, size_t k);

/* The first instance added with this id, or NULL (also for a NULL id). */
ec2_instance *inst_index_find(const inst_index *x, ec2_instance *const *insts, const char *id);

/* Frees the table (the instances are the caller's). */
void inst_index_free(inst_index *x);

#endif /* FLEETSIM_INST_INDEX_H */
