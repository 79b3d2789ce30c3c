/*
 * lambda_account.h - the account's Lambda concurrency in the scenario's
 * region (aws-semantics 6.2): a limit shared by every function, reserved
 * concurrency carved out of it, and the unreserved pool the other functions
 * share. A world service, created by the first function.
 *
 * Prefix: lacct_.
 */
#ifndef FLEETSIM_LAMBDA_ACCOUNT_H
#define FLEETSIM_LAMBDA_ACCOUNT_H

#include <stdbool.h>

#include "models/core/build.h"

typedef struct lacct lacct;

/* The account as a world service (build.h). */
extern const wb_service lacct_service;

/* Takes one execution slot: a function with reserved concurrency counts against its reservation only (its caller checks that), others against the unreserved pool. False when the pool is full. */
bool lacct_acquire(lacct *a, bool reserved);
/* Gives back a slot lacct_acquire took. */
void lacct_release(lacct *a, bool reserved);
/* The account limit, and the unreserved pool (the limit less every reservation). */
int lacct_limit(const lacct *a);
int lacct_unreserved_limit(const lacct *a);
/* Slots in use now, and the most ever in use at once. */
int lacct_in_use(const lacct *a);
int lacct_max_in_use(const lacct *a);

#endif /* FLEETSIM_LAMBDA_ACCOUNT_H */
