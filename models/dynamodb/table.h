/*
 * table.h - a DynamoDB table: its items, capacity units, throttling, latency
 * and price (aws-semantics 7), serving the dynamodb:* calls of the API
 * vocabulary; and, when it holds license keys, the pool's accounting (keys
 * in use, free and leaked; license fees).
 *
 * Prefix: ddb_.
 */
#ifndef FLEETSIM_DDB_TABLE_H
#define FLEETSIM_DDB_TABLE_H

#include <stdint.h>

#include "models/core/api.h"
#include "models/core/build.h"
#include "models/dynamodb/table_cfg.h"

typedef struct ddb_table ddb_table;

/* Why a key leaked, as far as the owner's history tells. */
typedef enum ddb_leak_cause {
    DDB_LEAK_NO_RELEASE = 0,   /* the owner ended and nothing released the key */
    DDB_LEAK_HOOK_TIMEOUT,     /* its terminate hook timed out first (rule disabled, Lambda failed or throttled, short heartbeat) */
    DDB_LEAK_LOST,             /* the owner was lost without a terminate hook (crash, AZ outage, TerminateInstances) */
    DDB_LEAK_N
} ddb_leak_cause;

/* What the table counted over the run. */
typedef struct ddb_counts {
    uint64_t reads, writes;             /* requests served (throttled ones excluded) */
    uint64_t conditional_failures;      /* ConditionalCheckFailedException */
    uint64_t throttles;                 /* ProvisionedThroughputExceededException */
    uint64_t errors;                    /* injected HTTP 500 */
    double rru, wru;                    /* read and write units consumed (wru: lease renewals included) */
    double renewal_wru;                 /* of wru: the lease design's renewals (one write per lease/2 per claimed key) */
    /* license pool */
    int pool_size, in_use, free, leaked;         /* now */
    int max_in_use, max_leaked;
    uint64_t leaks;                     /* keys whose owner ended while holding them */
    uint64_t leaks_by_cause[DDB_LEAK_N];
    double key_hours;                   /* key-hours in use (for the license fee) */
    double unavailable_s_total;         /* seconds keys stayed claimed after their owner ended, released ones */
    uint64_t released_after_end;        /* keys released after their owner ended */
    uint64_t lease_expiries;            /* keys freed by their lease lapsing (the lease design) */
} ddb_counts;

/* The table of cfg on the world's kernel; NULL with a message in err. */
ddb_table *ddb_new(wb *b, const ddb_table_cfg *cfg, char *err, size_t errlen);
/* Keys claimed now by the pool's own running count (kept at every write, not recounted): in use + leaked. */
int ddb_claimed(const ddb_table *t);
/* The resource's name in the scenario. */
const char *ddb_name(const ddb_table *t);
/* Frees the table (NULL: no-op). */
void ddb_free(ddb_table *t);
/* Its counts so far (the pool's figures are brought up to now). */
ddb_counts ddb_get_counts(ddb_table *t);
/* The pool now: keys claimed by a running owner, free, and claimed by an owner that ended; false if the table is no pool. */
bool ddb_pool_now(const ddb_table *t, int *in_use, int *free_keys, int *leaked);
/* The USD the table cost over [0, now]: requests or provisioned capacity, and storage. */
double ddb_cost(const ddb_table *t);

/* Charges l with the table's cost so far (service "dynamodb": "write_request_units" and "read_request_units" on demand, or "wcu_hours" and "rcu_hours" provisioned; "storage") and, with a license pool, its fees ("licenses", "key_hours"). */
void ddb_bill(ddb_table *t, cost_ledger *l);
/* The license fees over [0, now] (key-hours x fee), 0 for a table that is no pool. */
double ddb_license_fees(ddb_table *t);

/* The dynamodb:* rows of the API vocabulary (api_vocab.c), NULL-terminated. */
extern const api_op_spec ddb_api_ops[];

/* fleetsim:dynamodb:throttle-requests (no FIS action, aws-semantics 12.5): until `until`, a fraction (0..1] of reads and writes get ProvisionedThroughputExceededException. */
void ddb_fis_throttle(ddb_table *t, sim_time_t until, double fraction);

#endif /* FLEETSIM_DDB_TABLE_H */
