/*
 * bucket_cfg.c - aws_s3_bucket: the loader's key table and the type's
 * operations. Terraform creates objects with aws_s3_object resources;
 * `fleetsim.objects` lists them instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/build.h"
#include "models/core/loader.h"
#include "models/s3/bucket.h"
#include "stats/cost.h"
#include "stats/rows.h"

static const ld_key object_keys[] = {
    {.name = "key", .kind = LD_STR, .flags = LD_REQUIRED, .hi = "1024", .source = "S3 (object keys up to 1,024 bytes)",
     .doc = "the object's key"},
    {.name = "size_bytes", .kind = LD_INT, .def = "1024", .lo = "0", .hi = "5000000000000",
     .source = "fleetsim; S3 objects up to 5 TB", .doc = "its size"},
    {.name = NULL},
};

static const ld_key own_keys[] = {
    {.name = "objects", .kind = LD_LIST, .hi = "10000", .source = "fleetsim (Terraform: aws_s3_object)",
     .doc = "the objects at t = 0: a list of {key, size_bytes}"},
    {.name = "latency", .kind = LD_DIST, .def = "lognormal p50 20ms, p99 100ms",
     .source = "fleetsim: not documented by AWS (commonly observed first-byte latency of small objects)",
     .doc = "time from a request to its answer"},
    {.name = "error_probability", .kind = LD_NUM, .def = "0", .lo = "0", .hi = "1", .source = "fleetsim (what-if)",
     .doc = "probability that a request fails with HTTP 500"},
    {.name = NULL},
};

static const ld_key bucket_keys[] = {
    {.name = "bucket", .kind = LD_STR, .hi = "63", .source = "Terraform (optional; 3-63 characters)",
     .doc = "the bucket's AWS name"},
    {.name = "bucket_prefix", .kind = LD_NOTSIM}, {.name = "force_destroy", .kind = LD_NOTSIM},
    {.name = "tags", .kind = LD_NOTSIM}, {.name = "object_lock_enabled", .kind = LD_NOTSIM},
    {.name = "acl", .kind = LD_NOTSIM}, {.name = "policy", .kind = LD_NOTSIM}, {.name = "versioning", .kind = LD_NOTSIM},
    {.name = "server_side_encryption_configuration", .kind = LD_NOTSIM}, {.name = "lifecycle_rule", .kind = LD_LATER},
    {.name = "fleetsim", .kind = LD_BLOCK, .block = own_keys, .source = "fleetsim", .doc = "fleetsim's own keys"},
    {.name = NULL},
};

static void bucket_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    s3_bucket_cfg *k = cfg;
    ld_sect b = *s, own;
    char what[640], owhat[700];
    (void)r;
    ld_sect_check(&b, bucket_keys);
    ld_str(&b, "bucket", k->bucket, sizeof k->bucket, NULL);
    ld_block(&b, "fleetsim", &own, what, sizeof what);
    sim_dist_lognormal_p50_p99(&k->latency, 0.020, 0.100);
    ld_dist(&own, "latency", &k->latency, &k->latency_values);
    ld_num(&own, "error_probability", &k->error_probability);
    const scn_node *on = ld_seq(&own, "objects", "objects");
    if (!on || !on->n)
        return;
    if (!(k->objects = calloc(on->n, sizeof *k->objects))) {
        scn_err(&v->c, on, "out of memory");
        return;
    }
    for (size_t i = 0; i < on->n; i++) {
        ld_sect o;
        snprintf(owhat, sizeof owhat, "object %zu of %.600s", i + 1, what);
        if (!ld_sect_open(v, &o, on->kids[i], on->kids[i], owhat))
            continue;
        ld_sect_check(&o, object_keys);
        char key[1025] = "";
        long long size = 1024;
        ld_str(&o, "key", key, sizeof key, NULL);
        ld_int(&o, "size_bytes", &size);
        k->objects[k->n_objects++] = (s3_object_cfg){.key = ld_dupstr(key), .bytes = size};
    }
}

static void bucket_free_cfg(void *cfg)
{
    s3_bucket_cfg *k = cfg;
    for (size_t i = 0; i < k->n_objects; i++)
        free(k->objects[i].key);
    free(k->objects);
    free(k->latency_values);
}

static int bucket_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)idx;
    *model = s3_new(b, cfg, err, errlen);
    return *model ? 0 : -1;
}

static void bucket_free_model(void *m) { s3_free(m); }

static void bucket_cost(const void *m, const void *cfg, wb *b, cost_ledger *l)
{
    (void)cfg;
    (void)b;
    s3_bill(m, l);
}

static void bucket_report(const void *m, const void *cfg, wb *b, rows *r)
{
    (void)b;
    s3_counts c = s3_get_counts(m);
    if (rows_begin(r, "aws_s3_bucket", ((const s3_bucket_cfg *)cfg)->name) != 0)
        return;
    rows_int(r, "gets", (int64_t)c.gets);
    rows_int(r, "puts", (int64_t)c.puts);
    rows_int(r, "not_found", (int64_t)c.not_found);
    rows_int(r, "errors", (int64_t)c.errors);
    rows_int(r, "objects", (int64_t)c.objects);
    rows_num(r, "bytes", c.bytes);
    rows_num(r, "cost_usd", s3_cost(m));
}

const res_type res_aws_s3_bucket = {
    .tf_type = "aws_s3_bucket",
    .doc = "An S3 bucket: objects that boot scripts and Lambda functions get and put, priced per request and GB-month.",
    .keys = bucket_keys,
    .pass = 0,
    .cfg_size = sizeof(s3_bucket_cfg),
    .load = bucket_load,
    .free_cfg = bucket_free_cfg,
    .stage = WB_STAGE_DATA,
    .build = bucket_build,
    .free_model = bucket_free_model,
    .cost_item = "s3",
    .cost = bucket_cost,
    .report = bucket_report,
};
