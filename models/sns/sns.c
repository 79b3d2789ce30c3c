/*
 * sns.c - SNS topics, publishes and their price (aws-semantics 8).
 *
 * Prices (us-east-1) are [3P] or recalled in aws-semantics 8, check them
 * against https://aws.amazon.com/sns/pricing/:
 *  - publish $0.50 per million (each 64 KB chunk is one request; fleetsim
 *    messages are far smaller, so one publish = one request);
 *  - email $2.00 per 100,000 deliveries; HTTP/S $0.60 per million;
 *  - SMS $0.00645 per message: the US rate as recalled, NOT in the reference
 *    (SMS is priced per country); one message part each;
 *  - Lambda and SQS deliveries free (recalled).
 * The free tier (first 1M publishes a month, recalled) is not applied: costs
 * compare architectures, and the free tier is per account, not per design.
 */
#include "models/sns/sns.h"

#include <stdlib.h>


typedef struct sns_topic {
    const char *name;
    int n_email, n_sms, n_http, n_lambda, n_sqs;
    sns_counts c;
} sns_topic;

struct sns {
    sns_topic *t;
    size_t n;
    events_log *ev;
    const itype_services *prices;
};

sns *sns_new(const scn_sns_topic *topics, size_t n, events_log *ev, const itype_services *prices)
{
    sns *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n;
    s->ev = ev;
    if (n) {
        s->t = calloc(n, sizeof *s->t);
        if (!s->t) {
            free(s);
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        s->t[i].name = topics[i].name ? topics[i].name : "topic";
        s->t[i].n_email = topics[i].n_email;
        s->t[i].n_sms = topics[i].n_sms;
        s->t[i].n_http = topics[i].n_http;
        s->t[i].n_lambda = topics[i].n_lambda;
        s->t[i].n_sqs = topics[i].n_sqs;
    }
    s->prices = prices;
    return s;
}

void sns_free(sns *s)
{
    if (!s)
        return;
    free(s->t);
    free(s);
}

void sns_publish(sns *s, size_t topic, sim_time_t t, const char *subject, const char *message)
{
    if (!s || topic >= s->n)
        return;
    sns_topic *tp = &s->t[topic];
    tp->c.publishes++;
    tp->c.email += (uint64_t)tp->n_email;
    tp->c.sms += (uint64_t)tp->n_sms;
    tp->c.http += (uint64_t)tp->n_http;
    tp->c.lambda += (uint64_t)tp->n_lambda;
    tp->c.sqs += (uint64_t)tp->n_sqs;
    if (s->ev)
        events_add(s->ev, t, "sns", tp->name, NULL, NULL, "%s: %s", subject ? subject : "",
                   message ? message : "");
}

sns_counts sns_counts_of(const sns *s, size_t topic)
{
    sns_counts z = {0, 0, 0, 0, 0, 0};
    if (!s || topic >= s->n)
        return z;
    return s->t[topic].c;
}

size_t sns_n_topics(const sns *s) { return s ? s->n : 0; }

double sns_cost_usd(const sns_counts *c, const itype_services *p)
{
    return (double)c->publishes * p->sns_publish_million / 1e6 + (double)c->email * p->sns_email_100k / 1e5 +
           (double)c->http * p->sns_http_million / 1e6 + (double)c->sms * p->sns_sms;
}

void sns_bill(const sns *s, cost_ledger *l)
{
    sns_counts t = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; s && i < s->n; i++) {
        t.publishes += s->t[i].c.publishes;
        t.http += s->t[i].c.http;
        t.email += s->t[i].c.email;
        t.sms += s->t[i].c.sms;
    }
    if (!s)
        return;
    /* each message is one 64 KB chunk: fleetsim's notifications are short (cost_sns_publish_requests) */
    cost_ledger_charge(l, "sns", "publishes", "requests", (double)t.publishes, s->prices->sns_publish_million / 1e6);
    if (t.http)
        cost_ledger_charge(l, "sns", "http_deliveries", "deliveries", (double)t.http, s->prices->sns_http_million / 1e6);
    if (t.email)
        cost_ledger_charge(l, "sns", "email_deliveries", "deliveries", (double)t.email, s->prices->sns_email_100k / 1e5);
    if (t.sms)
        cost_ledger_charge(l, "sns", "sms_deliveries", "messages", (double)t.sms, s->prices->sns_sms);
}

double sns_cost(const sns *s)
{
    double usd = 0;
    for (size_t i = 0; s && i < s->n; i++)
        usd += sns_cost_usd(&s->t[i].c, s->prices);
    return usd;
}
