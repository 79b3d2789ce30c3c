/*
 * topic_api.c - sns:Publish (topic_api.h).
 *
 * The message is published when the call reaches SNS: logged ("sns") and
 * counted with one delivery per subscription, so it is priced like an
 * alarm's notification (aws-semantics 8). The caller gets its answer after
 * the Publish latency. AWS documents none: fleetsim draws it from a
 * lognormal with p50 20 ms and p99 100 ms (commonly observed for Publish
 * from inside the region).
 */
#include "models/sns/topic_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sns/sns.h"

#define PUBLISH_P50 0.020 /* s; fleetsim: not documented by AWS, commonly observed value */
#define PUBLISH_P99 0.100

struct topic_api {
    sns *topics;
    size_t idx;
    gsl_rng *rng;
};

topic_api *topic_api_new(wb *b, sns *topics, size_t idx, const char *name)
{
    char stream[300];
    snprintf(stream, sizeof stream, "sns/%s", name);
    topic_api *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    *t = (topic_api){.topics = topics, .idx = idx, .rng = sim_rng(wb_sim(b), stream)};
    if (!t->rng) {
        free(t);
        return NULL;
    }
    return t;
}

void topic_api_free(topic_api *t) { free(t); }

static int serve_publish(void *target, sim *s, const api_call *c, api_done_fn done, void *ctx)
{
    topic_api *t = target;
    const char *subject = api_arg_get(c, "Subject");
    const char *message = api_arg_get(c, "Message");
    /* SNS: Subject at most 100 characters; Message at most 256 KB. */
    if (!message || (subject && strlen(subject) > 100) || strlen(message) > 256 * 1024)
        return api_answer(s, 0, API_INVALID, 0, NULL, 0, done, ctx);
    sns_publish(t->topics, t->idx, sim_now(s), subject ? subject : "", message);
    sim_dist d;
    sim_dist_lognormal_p50_p99(&d, PUBLISH_P50, PUBLISH_P99);
    return api_answer(s, sim_from_sec(sim_dist_sample(&d, t->rng)), API_OK, 0, NULL, 0, done, ctx);
}

static const char *const publish_args[] = {"Subject", "Message", NULL};
static const char *const publish_req[] = {"Message", NULL};

const api_op_spec sns_api_ops[] = {
    {.op = "sns:Publish", .target_type = "aws_sns_topic", .target_arg = "topic", .args = publish_args,
     .required = publish_req, .serve = serve_publish,
     .doc = "publishes Message (and Subject, at most 100 characters) to the topic: one publish and one delivery per "
            "subscription, priced as aws-semantics 8"},
    {.op = NULL},
};
