/*
 * test_inst_index.c - instances by id (models/core/inst_index.h): every id is
 * found after the table grows many times, unknown and NULL ids are not, and of
 * two instances with one id the first added is found, as the scan it replaced
 * found it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "models/core/inst_index.h"
#include "models/core/scenario.h"
#include "sim/sim.h"
#include "tests/tap.h"

#define N 5000

int main(void)
{
    sim *s = sim_new(1, 0);
    scn_itype type = {.vcpus = 2, .speed = 1.0};
    snprintf(type.name, sizeof type.name, "c5.large");
    static ec2_instance *insts[N + 1];
    inst_index x = {0};
    int added = 1;
    for (size_t k = 0; k < N; k++) {
        char id[32];
        snprintf(id, sizeof id, "i-web-%zu", k);
        insts[k] = ec2_new(s, id, &type, "us-east-1a");
        added &= insts[k] && inst_index_add(&x, insts, k) == 0;
    }
    ok(added, "%d instances added (the table grew from 64 slots)", N);
    int found = 1;
    for (size_t k = 0; k < N; k++) {
        char id[32];
        snprintf(id, sizeof id, "i-web-%zu", k);
        found &= inst_index_find(&x, insts, id) == insts[k];
    }
    ok(found, "each id finds its own instance");
    ok(inst_index_find(&x, insts, "i-web-5000") == NULL && inst_index_find(&x, insts, "i-web-") == NULL,
       "an id never added is not found");
    ok(inst_index_find(&x, insts, NULL) == NULL, "a NULL id is not found");
    insts[N] = ec2_new(s, "i-web-17", &type, "us-east-1b");
    ok(inst_index_add(&x, insts, N) == 0 && inst_index_find(&x, insts, "i-web-17") == insts[17],
       "of two instances with one id, the first added is found");
    inst_index empty = {0};
    ok(inst_index_find(&empty, insts, "i-web-1") == NULL, "an empty index finds nothing");
    for (size_t k = 0; k <= N; k++)
        ec2_free(insts[k]);
    inst_index_free(&x);
    sim_free(s);
    return tap_done();
}
