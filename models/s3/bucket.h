/*
 * bucket.h - an S3 bucket: its objects, request latency and price
 * (aws-semantics 9), serving the s3:* calls of the API vocabulary (a boot
 * script fetching its script, a Lambda writing a report).
 *
 * Prefix: s3_.
 */
#ifndef FLEETSIM_S3_BUCKET_H
#define FLEETSIM_S3_BUCKET_H

#include <stdint.h>

#include "models/core/api.h"
#include "models/core/build.h"
#include "models/core/scenario.h"

/* One object at t = 0. */
typedef struct s3_object_cfg {
    char *key;
    long long bytes;
} s3_object_cfg;

/* aws_s3_bucket as the scenario declares it. */
typedef struct s3_bucket_cfg {
    char *name;               /* the resource name (scn_res_head) */
    scn_loc loc;
    char bucket[64];          /* Terraform `bucket` (3-63 characters) */
    s3_object_cfg *objects;   /* fleetsim.objects */
    size_t n_objects;
    sim_dist latency;         /* fleetsim.latency, seconds */
    double *latency_values;
    double error_probability; /* fleetsim.error_probability */
} s3_bucket_cfg;

typedef struct s3_bucket s3_bucket;

typedef struct s3_counts {
    uint64_t gets, puts, not_found, errors;
    size_t objects;
    double bytes;             /* stored now */
} s3_counts;

/* The bucket of cfg; NULL with a message in err. */
s3_bucket *s3_new(wb *b, const s3_bucket_cfg *cfg, char *err, size_t errlen);
/* Frees the bucket (NULL: no-op). */
void s3_free(s3_bucket *k);
/* What it counted. */
s3_counts s3_get_counts(const s3_bucket *k);
/* USD over [0, now]: requests and storage (GB-month, pro rata). */
double s3_cost(const s3_bucket *k);

/* Charges l with the bucket's requests and storage so far (service "s3": "put_requests", "get_requests", "storage_gb_months"). */
void s3_bill(const s3_bucket *k, cost_ledger *l);

/* The s3:* rows of the API vocabulary, NULL-terminated. */
extern const api_op_spec s3_api_ops[];

#endif /* FLEETSIM_S3_BUCKET_H */
