/*
 * lambda_account.c - account concurrency (aws-semantics 6.2). The limit is
 * read from the functions' fleetsim.account_concurrency (the loader checks
 * that they agree), so the account needs no top-level key.
 */
#include "models/lambda/lambda_account.h"

#include <stdlib.h>

#include "models/core/loader.h"
#include "models/lambda/function_cfg.h"

extern const res_type res_aws_lambda_function;

struct lacct {
    int limit, unreserved_limit;
    int in_use, unreserved_in_use, max_in_use;
};

bool lacct_acquire(lacct *a, bool reserved)
{
    if (!reserved && a->unreserved_in_use >= a->unreserved_limit)
        return false;
    if (!reserved)
        a->unreserved_in_use++;
    if (++a->in_use > a->max_in_use)
        a->max_in_use = a->in_use;
    return true;
}

void lacct_release(lacct *a, bool reserved)
{
    if (!reserved)
        a->unreserved_in_use--;
    a->in_use--;
}

int lacct_limit(const lacct *a) { return a->limit; }
int lacct_unreserved_limit(const lacct *a) { return a->unreserved_limit; }
int lacct_in_use(const lacct *a) { return a->in_use; }
int lacct_max_in_use(const lacct *a) { return a->max_in_use; }

static void *acct_create(wb *b, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    lacct *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    size_t n = 0;
    const lam_cfg *fns = ld_type_cfgs(wb_scenario(b), &res_aws_lambda_function, &n);
    a->limit = n ? fns[0].account_concurrency : 1000;
    a->unreserved_limit = a->limit;
    for (size_t i = 0; i < n; i++)
        if (fns[i].reserved > 0)
            a->unreserved_limit -= fns[i].reserved;
    return a;
}

static void acct_free(void *svc) { free(svc); }

const wb_service lacct_service = {
    .name = "lambda",
    .create = acct_create,
    .free = acct_free,
};
