/*
 * bucket.c - an S3 bucket (aws-semantics 9): objects by key, GET and PUT
 * with a latency, priced per 1,000 requests and per GB-month stored.
 * Reads see every completed write (S3 is strongly consistent for them).
 */
#include "models/s3/bucket.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/core/loader.h"
#include "models/ec2/instance_type.h"
#include "stats/events.h"

typedef struct object {
    char *key;
    double bytes;
} object;

struct s3_bucket {
    wb *b;
    sim *s;
    const s3_bucket_cfg *cfg;
    gsl_rng *rng;
    object *objs;
    size_t n, cap;
    s3_counts c;
    double byte_ns;       /* integral of bytes stored, up to at */
    sim_time_t at;
};

static object *find(s3_bucket *k, const char *key)
{
    for (size_t i = 0; key && i < k->n; i++)
        if (strcmp(k->objs[i].key, key) == 0)
            return &k->objs[i];
    return NULL;
}

static void advance(s3_bucket *k)
{
    sim_time_t now = sim_now(k->s);
    k->byte_ns += k->c.bytes * (double)(now - k->at);
    k->at = now;
}

static object *put(s3_bucket *k, const char *key, double bytes)
{
    advance(k);
    object *o = find(k, key);
    if (!o) {
        if (k->n == k->cap) {
            size_t cap = k->cap ? 2 * k->cap : 8;
            object *grown = realloc(k->objs, cap * sizeof *grown);
            if (!grown)
                return NULL;
            k->objs = grown;
            k->cap = cap;
        }
        o = &k->objs[k->n];
        if (!(o->key = ld_dupstr(key)))
            return NULL;
        o->bytes = 0;
        k->n++;
    }
    k->c.bytes += bytes - o->bytes;
    o->bytes = bytes;
    k->c.objects = k->n;
    return o;
}

static sim_time_t latency(s3_bucket *k)
{
    double sec = sim_dist_sample(&k->cfg->latency, k->rng);
    return sec > 0 && isfinite(sec) ? sim_from_sec(sec) : 0;
}

static bool injected_error(s3_bucket *k, const api_call *c)
{
    if (!(k->cfg->error_probability > 0 && gsl_rng_uniform(k->rng) < k->cfg->error_probability))
        return false;
    k->c.errors++;
    events_add(wb_events(k->b), sim_now(k->s), "s3", k->cfg->name, NULL, NULL, "%s %s %s: HTTP 500 (injected)",
               c->caller ? c->caller : "", c->op, api_arg_get(c, "key"));
    return true;
}

static int serve_get(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    (void)s;
    s3_bucket *k = target;
    if (injected_error(k, c))
        return api_answer(k->s, latency(k), API_SERVICE_ERROR, 0, NULL, 0, done, ctx);
    k->c.gets++;
    const object *o = find(k, api_arg_get(c, "key"));
    if (!o) {
        k->c.not_found++;
        events_add(wb_events(k->b), sim_now(k->s), "s3", k->cfg->name, NULL, NULL, "%s GetObject %s: NoSuchKey",
                   c->caller ? c->caller : "", api_arg_get(c, "key"));
        return api_answer(k->s, latency(k), API_NOT_FOUND, 0, NULL, 0, done, ctx);
    }
    api_item *it = calloc(1, sizeof *it);
    char size[32];
    snprintf(size, sizeof size, "%.0f", o->bytes);
    if (it) {
        it->attrs[0] = (api_arg){.name = ld_dupstr("key"), .value = ld_dupstr(o->key)};
        it->attrs[1] = (api_arg){.name = ld_dupstr("size"), .value = ld_dupstr(size)};
        it->n_attrs = 2;
    }
    return it ? api_answer(k->s, latency(k), API_OK, 0, it, 1, done, ctx) : -1;
}

static int serve_put(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    (void)s;
    s3_bucket *k = target;
    if (injected_error(k, c))
        return api_answer(k->s, latency(k), API_SERVICE_ERROR, 0, NULL, 0, done, ctx);
    const char *sz = api_arg_get(c, "size_bytes");
    double bytes = sz ? atof(sz) : 0;
    if (!(bytes >= 0) || !isfinite(bytes))
        return api_answer(k->s, latency(k), API_INVALID, 0, NULL, 0, done, ctx);
    k->c.puts++;
    if (!put(k, api_arg_get(c, "key"), bytes))
        return -1;
    return api_answer(k->s, latency(k), API_OK, 0, NULL, 0, done, ctx);
}

static const char *const get_args[] = {"key", NULL};
static const char *const put_args[] = {"key", "size_bytes", NULL};
static const char *const key_req[] = {"key", NULL};

const api_op_spec s3_api_ops[] = {
    {"s3:GetObject", "aws_s3_bucket", "bucket", get_args, key_req, serve_get,
     "reads object `key` (NoSuchKey when absent: the step fails); saved as key and size"},
    {"s3:PutObject", "aws_s3_bucket", "bucket", put_args, key_req, serve_put,
     "writes object `key` of size_bytes (default 0), replacing it"},
    {NULL},
};

s3_bucket *s3_new(wb *b, const s3_bucket_cfg *cfg, char *err, size_t errlen)
{
    s3_bucket *k = calloc(1, sizeof *k);
    char stream[320];
    snprintf(stream, sizeof stream, "s3/%s", cfg->name);
    if (k)
        *k = (s3_bucket){.b = b, .s = wb_sim(b), .cfg = cfg, .rng = sim_rng(wb_sim(b), stream)};
    for (size_t i = 0; k && k->rng && i < cfg->n_objects; i++)
        if (!put(k, cfg->objects[i].key, (double)cfg->objects[i].bytes)) {
            s3_free(k);
            k = NULL;
        }
    if (!k || !k->rng) {
        snprintf(err, errlen, "out of memory");
        s3_free(k);
        return NULL;
    }
    return k;
}

void s3_free(s3_bucket *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->objs[i].key);
    free(k->objs);
    free(k);
}

s3_counts s3_get_counts(const s3_bucket *k) { return k->c; }

void s3_bill(const s3_bucket *k, cost_ledger *l)
{
    const itype_services *p = itype_services_in(wb_scenario(k->b)->region);
    if (!p)
        return;
    double byte_ns = k->byte_ns + k->c.bytes * (double)(sim_now(k->s) - k->at);
    cost_ledger_charge(l, "s3", "put_requests", "requests", (double)k->c.puts, p->s3_put_thousand / 1e3);
    cost_ledger_charge(l, "s3", "get_requests", "requests", (double)k->c.gets, p->s3_get_thousand / 1e3);
    cost_ledger_charge(l, "s3", "storage", "GB-months", byte_ns / 1e9 / ((double)SIM_HOUR * 730.0), p->s3_storage_gb_month);
}

double s3_cost(const s3_bucket *k)
{
    const itype_services *p = itype_services_in(wb_scenario(k->b)->region);
    if (!p)
        return 0;
    double byte_ns = k->byte_ns + k->c.bytes * (double)(sim_now(k->s) - k->at);
    double gb_months = byte_ns / 1e9 / ((double)SIM_HOUR * 730.0);
    return (double)k->c.gets * p->s3_get_thousand / 1e3 + (double)k->c.puts * p->s3_put_thousand / 1e3 +
           gb_months * p->s3_storage_gb_month;
}
