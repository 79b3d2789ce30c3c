/*
 * api_vocab.c - the vocabulary of AWS API calls (api.h): one line per
 * service's table of operations. A new service's calls are its table next to
 * its model and one line here.
 */
#include "models/core/api.h"

#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/dynamodb/table.h"
#include "models/ec2/instance.h"
#include "models/elb/target_group.h"
#include "models/s3/bucket.h"
#include "models/sns/topic_api.h"

const api_op_spec *const api_vocab[] = {
    ddb_api_ops,
    s3_api_ops,
    asg_api_ops,
    ec2_api_ops,
    sns_api_ops,
    tg_api_ops,
    NULL,
};

const api_op_spec *api_op_find(const char *op)
{
    for (size_t t = 0; op && api_vocab[t]; t++)
        for (const api_op_spec *o = api_vocab[t]; o->op; o++)
            if (strcmp(o->op, op) == 0)
                return o;
    return NULL;
}

const char *api_arg_get(const api_call *c, const char *name)
{
    for (size_t k = 0; c && k < c->n_args; k++)
        if (c->args[k].name && strcmp(c->args[k].name, name) == 0)
            return c->args[k].value;
    return NULL;
}
