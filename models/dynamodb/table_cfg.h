/*
 * table_cfg.h - aws_dynamodb_table as the scenario declares it (the loader
 * fills it, the table model reads it).
 */
#ifndef FLEETSIM_DDB_TABLE_CFG_H
#define FLEETSIM_DDB_TABLE_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include "models/core/scenario.h"

typedef enum ddb_billing { DDB_PROVISIONED = 0, DDB_PAY_PER_REQUEST } ddb_billing;

/* One item at t = 0: its hash key and string attributes. */
typedef struct ddb_item_cfg {
    char *key;
    char *attr[API_MAX_ATTRS], *value[API_MAX_ATTRS];
    size_t n;
} ddb_item_cfg;

typedef struct ddb_table_cfg {
    char *name;                 /* the resource name (scn_res_head) */
    scn_loc loc;
    char table_name[256];       /* Terraform `name` */
    char hash_key[256];
    ddb_billing billing;
    long long rcu, wcu;         /* PROVISIONED */
    ddb_item_cfg *items;        /* fleetsim.items */
    size_t n_items;
    long long item_bytes;       /* fleetsim.item_size: bytes per item, for capacity units */
    sim_dist latency;           /* fleetsim.latency: seconds per request */
    double *latency_values;
    sim_dist replication_lag;   /* fleetsim.replication_lag: a write reaches eventually consistent reads this much later */
    double *replication_lag_values;
    double error_probability;   /* fleetsim.error_probability: HTTP 500 what-if */
    /* fleetsim.license_pool: the table holds license keys */
    bool pool;
    char used_attr[64], owner_attr[64];
    double fee_per_key_hour;    /* USD per key-hour in use */
    sim_time_t lease;           /* fleetsim.license_pool.lease: 0 = none; else keys expire this long after their owner ends */
} ddb_table_cfg;

#endif /* FLEETSIM_DDB_TABLE_CFG_H */
