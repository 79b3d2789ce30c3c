/*
 * topic_api.h - an SNS topic as the target of the sns:Publish calls a Lambda
 * function makes (api.h): the topic's model in the world, a handle on the
 * account's topics (kept by the control plane, which prices them).
 *
 * Prefix: topic_api_.
 */
#ifndef FLEETSIM_TOPIC_API_H
#define FLEETSIM_TOPIC_API_H

#include <stddef.h>

#include "models/core/api.h"
#include "models/core/build.h"

typedef struct sns sns;
typedef struct topic_api topic_api;

/* Topic idx of topics (borrowed), publishing from the world b; its latencies draw from stream "sns/<name>". NULL out of memory. */
topic_api *topic_api_new(wb *b, sns *topics, size_t idx, const char *name);
/* Frees it; NULL is a no-op. */
void topic_api_free(topic_api *t);

/* sns:Publish. */
extern const api_op_spec sns_api_ops[];

#endif /* FLEETSIM_TOPIC_API_H */
