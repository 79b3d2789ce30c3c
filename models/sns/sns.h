/*
 * sns.h - SNS topics (aws-semantics 8): publishes are recorded in the events
 * log ("sns") and counted with their deliveries, by subscription protocol,
 * for the cost report. Delivery retries are not modelled: every delivery
 * succeeds on the first attempt (fleetsim has no failing endpoints).
 */
#ifndef FLEETSIM_SNS_H
#define FLEETSIM_SNS_H

#include <stddef.h>
#include <stdint.h>

#include "models/core/scenario.h"
#include "models/ec2/instance_type.h"
#include "stats/cost.h"
#include "stats/events.h"
#include "sim/sim.h"

typedef struct sns sns;

/* Deliveries by protocol (the cost lines of aws-semantics 8). */
typedef struct sns_counts {
    uint64_t publishes;
    uint64_t email, sms, http, lambda, sqs;
} sns_counts;

/* The n topics of the scenario (borrowed config, copied counts), priced at prices (borrowed); ev may be NULL. NULL on OOM. */
sns *sns_new(const scn_sns_topic *topics, size_t n, events_log *ev, const itype_services *prices);

/* Frees the topics; NULL is a no-op. */
void sns_free(sns *s);

/* Publishes one message to topic i at t: logs an "sns" event (resource = topic, message = "subject: message") and counts one publish and one delivery per subscription. Out-of-range i is ignored. */
void sns_publish(sns *s, size_t topic, sim_time_t t, const char *subject, const char *message);

/* Publishes and deliveries of topic i so far (zeros when out of range). */
sns_counts sns_counts_of(const sns *s, size_t topic);

/* Number of topics. */
size_t sns_n_topics(const sns *s);

/* USD for these counts at the region's prices (us-west-2: $0.50 per million publishes, email $2.00 per 100k, HTTP $0.60 per million, SMS $0.00645 each); Lambda/SQS free. */
double sns_cost_usd(const sns_counts *c, const itype_services *p);

/* USD of every topic together. */
double sns_cost(const sns *s);

/* Charges l with every topic's publishes and paid deliveries so far (service "sns": "publishes", "http_deliveries", "email_deliveries", "sms_deliveries"; Lambda and SQS deliveries are free, aws-semantics 8). */
void sns_bill(const sns *s, cost_ledger *l);

#endif /* FLEETSIM_SNS_H */
