/*
 * infracost.c - infracost-usage.yml: what the run used, per Terraform address.
 *
 * Each Terraform type Infracost prices by usage has a writer in `types[]`
 * that knows its model's counters and Infracost's keys for them (checked
 * against the Go files under internal/resources/aws of infracost/infracost: Int64 keys are
 * written as integers, which Infracost requires). Counts become monthly
 * counts (per simulated hour x 730); levels (a group's instances, an ALB's
 * new connections per second) stay the run's mean. A type with nothing
 * usage-priced (alarms, target groups) has no entry: Infracost prices it from
 * the Terraform alone.
 */
#include "reports/infracost.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/elb/alb.h"
#include "models/lambda/function.h"
#include "reports/fmt.h"
#include "stats/events.h"
#include "stats/rows.h"
#include "stats/stats.h"

typedef struct ic {
    const world *w;
    FILE *out;
    double hours;      /* simulated hours */
    double per_month;  /* 730 / hours: a count over the run times this is a monthly count */
    size_t n;          /* resources written */
} ic;

/* Numbers without locale: integers with %.0f after rounding; decimals with '.' forced. */
static void key_int(ic *c, const char *key, double v, const char *comment)
{
    double r = isfinite(v) && v > 0 ? floor(v + 0.5) : 0;
    fprintf(c->out, "    %s: %.0f", key, r);
    if (comment)
        fprintf(c->out, " # %s", comment);
    fputc('\n', c->out);
}

/* Fixed-point with up to 6 decimals, trailing zeros dropped: never an exponent (YAML 1.1 readers take "1e-06" for a string). */
static void key_num(ic *c, const char *indent, const char *key, double v, const char *comment)
{
    numbuf b = fmt_num(0, 6, isfinite(v) && v > 0 ? v : 0, "0");
    size_t n = strlen(b.s);
    if (strchr(b.s, '.')) {
        while (b.s[n - 1] == '0')
            b.s[--n] = '\0';
        if (b.s[n - 1] == '.')
            b.s[--n] = '\0';
    }
    fprintf(c->out, "%s%s: %s", indent, key, b.s);
    if (comment)
        fprintf(c->out, " # %s", comment);
    fputc('\n', c->out);
}

static void address(ic *c, const char *type, const char *name, const char *index)
{
    c->n++;
    fprintf(c->out, "  %s.%s%s:\n", type, name, index ? index : "");
}

/* A numeric field of a report row; 0 when absent. */
static double row_num(const rows_row *r, const char *key)
{
    double v = 0;
    rows_get_num(r, key, &v);
    return v;
}

/* Hours instance e ran within the run. */
static double ran_hours(const ec2_instance *e, sim_time_t end)
{
    sim_time_t to = ec2_terminated(e) < 0 || ec2_terminated(e) > end ? end : ec2_terminated(e);
    return to > ec2_launched(e) ? sim_to_sec(to - ec2_launched(e)) / 3600 : 0;
}

/* ---------------------------------------------------------------- the types */

/* aws_autoscaling_group: `instances`, the mean number running (instance-hours / simulated hours; Infracost takes an integer). */
static void groups(ic *c)
{
    sim_time_t end = world_end_time(c->w);
    for (size_t i = 0; i < world_n_asgs(c->w); i++) {
        const asg *g = world_asg(c->w, i);
        double od = 0, spot = 0;
        for (size_t k = 0; k < asg_n_instances(g); k++) {
            const ec2_instance *e = asg_instance_ec2(g, k);
            if (e)
                *(asg_instance_spot(g, k) ? &spot : &od) += ran_hours(e, end);
        }
        char note[256];
        snprintf(note, sizeof note, "mean running: %s (instance-hours %s On-Demand + %s Spot over %s h)",
                 fmt_num(0, 3, (od + spot) / c->hours, "0").s, fmt_num(0, 3, od, "0").s, fmt_num(0, 3, spot, "0").s,
                 fmt_num(0, 3, c->hours, "0").s);
        address(c, "aws_autoscaling_group", asg_name(g), NULL);
        key_int(c, "instances", (od + spot) / c->hours, note);
    }
}

/* aws_instance (a fixed fleet, `count` instances: addresses NAME[0], NAME[1], ...): `monthly_hrs` each. */
static void fixed_fleets(ic *c)
{
    const scenario *sc = world_scenario(c->w);
    size_t n = 0;
    const world_instance_info *in = world_instances(c->w, &n);
    sim_time_t end = world_end_time(c->w);
    for (size_t f = 0; f < sc->n_instances; f++) {
        for (int k = 0; k < sc->instances[f].count; k++) {
            char id[SCN_ID_SIZE], index[24] = "";
            snprintf(id, sizeof id, "i-%s-%d", sc->instances[f].name, k);
            if (sc->instances[f].count > 1)
                snprintf(index, sizeof index, "[%d]", k);
            for (size_t j = 0; j < n; j++) {
                if (strcmp(in[j].id, id) != 0)
                    continue;
                sim_time_t to = in[j].terminated < 0 || in[j].terminated > end ? end : in[j].terminated;
                double h = to > in[j].running ? sim_to_sec(to - in[j].running) / 3600 : 0;
                address(c, "aws_instance", sc->instances[f].name, index);
                key_num(c, "    ", "monthly_hrs", h * c->per_month, NULL);
                break;
            }
        }
    }
}

/* aws_lb: the LCU dimensions as Infracost reads them: new connections per second, active connections per minute, processed GB per hour, rule evaluations per second, each the run's mean (the ALB's traffic shape: aws_lb request_bytes, response_bytes, requests_per_connection). */
static void load_balancers(ic *c)
{
    const scenario *sc = world_scenario(c->w);
    double secs = c->hours * 3600;
    for (size_t i = 0; i < sc->n_lbs; i++) {
        const alb *lb = world_model(c->w, "aws_lb", sc->lbs[i].name);
        if (!lb)
            continue;
        cost_lcu_hour u = alb_usage(lb);
        address(c, "aws_lb", sc->lbs[i].name, NULL);
        key_int(c, "new_connections", u.new_conns / secs, "per second, the run's mean");
        key_int(c, "active_connections", u.active_per_min / c->hours, "per minute, the run's mean");
        key_num(c, "    ", "processed_bytes_gb", u.bytes / COST_LCU_BYTES_PER_H / c->hours, "GB per hour, the run's mean");
        key_int(c, "rule_evaluations", u.rule_evals / secs, "billable (beyond the free 10) per second, the run's mean");
    }
}

/* The rows of one type, each through fn. */
static void each_row(ic *c, const char *type, void (*fn)(ic *c, const rows_row *r))
{
    size_t n = 0;
    const rows_row *all = world_rows(c->w) ? rows_all(world_rows(c->w), &n) : NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].type, type) == 0)
            fn(c, &all[i]);
}

/* aws_lambda_function: `monthly_requests`, `request_duration_ms` (the mean run, init excluded). */
static void lambda_row(ic *c, const rows_row *r)
{
    const lam_fn *f = world_model(c->w, r->type, r->name);
    if (!f)
        return;
    lam_counts k = lam_get_counts(f);
    const hist *d = lam_durations(f);
    address(c, r->type, r->name, NULL);
    key_int(c, "monthly_requests", (double)k.invocations * c->per_month, NULL);
    key_int(c, "request_duration_ms", d->count ? hist_mean(d) / 1e6 : 0, NULL);
}

/* aws_dynamodb_table: request units (on-demand tables; Infracost prices a provisioned one from its Terraform capacity). */
static void dynamodb_row(ic *c, const rows_row *r)
{
    address(c, r->type, r->name, NULL);
    key_int(c, "monthly_read_request_units", row_num(r, "read_units") * c->per_month, NULL);
    key_int(c, "monthly_write_request_units", row_num(r, "write_units") * c->per_month, NULL);
}

/* aws_s3_bucket: S3 Standard requests (tier 1: PUT, tier 2: GET) and the stored GB at the end. */
static void s3_row(ic *c, const rows_row *r)
{
    address(c, r->type, r->name, NULL);
    fprintf(c->out, "    standard:\n");
    key_num(c, "      ", "storage_gb", row_num(r, "bytes") / 1e9, NULL);
    fprintf(c->out, "  ");
    key_int(c, "monthly_tier_1_requests", row_num(r, "puts") * c->per_month, NULL);
    fprintf(c->out, "  ");
    key_int(c, "monthly_tier_2_requests", row_num(r, "gets") * c->per_month, NULL);
}

/* aws_sns_topic: `monthly_requests` (its publishes: the "sns" events naming it) and its subscriptions by protocol. */
static void topics(ic *c)
{
    const scenario *sc = world_scenario(c->w);
    const events_log *ev = world_events(c->w);
    for (size_t i = 0; i < sc->n_sns_topics; i++) {
        const scn_sns_topic *t = &sc->sns_topics[i];
        uint64_t publishes = 0;
        size_t pos = 0;
        while (events_find(ev, &pos, "sns", t->name, NULL))
            publishes++;
        address(c, "aws_sns_topic", t->name, NULL);
        key_int(c, "monthly_requests", (double)publishes * c->per_month, NULL);
        key_int(c, "http_subscriptions", t->n_http, NULL);
        key_int(c, "email_subscriptions", t->n_email, NULL);
        key_int(c, "sms_subscriptions", t->n_sms, NULL);
    }
}

static void lambdas(ic *c) { each_row(c, "aws_lambda_function", lambda_row); }
static void tables(ic *c) { each_row(c, "aws_dynamodb_table", dynamodb_row); }
static void buckets(ic *c) { each_row(c, "aws_s3_bucket", s3_row); }

static void (*const types[])(ic *c) = {groups, fixed_fleets, load_balancers, lambdas, tables, buckets, topics};

int infracost_write_usage(const world *w, FILE *out)
{
    if (!world_has_run(w))
        return -1;
    const scenario *sc = world_scenario(w);
    ic c = {.w = w, .out = out, .hours = sim_to_sec(world_end_time(w)) / 3600};
    if (!(c.hours > 0))
        c.hours = 1.0 / 3600; /* a run stopped at t = 0 used nothing; avoid dividing by 0 */
    c.per_month = INFRACOST_MONTH_HOURS / c.hours;
    fprintf(out, "# Infracost usage file written by fleetsim: `infracost breakdown --path DIR --usage-file infracost-usage.yml`.\n");
    fprintf(out, "# Scenario %s, seed %" PRIu64 ": %s simulated hours scaled to Infracost's month of %d hours\n",
            sc->name ? sc->name : "", sim_seed(world_sim(w)), fmt_num(1, 6, c.hours, "0").s, INFRACOST_MONTH_HOURS);
    fprintf(out, "# (monthly_* = the run's count per simulated hour x %d; instances and rates are the run's mean).\n",
            INFRACOST_MONTH_HOURS);
    fprintf(out, "version: 0.1\nresource_usage:\n");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        types[i](&c);
    if (c.n == 0)
        fprintf(out, "  {}\n");
    return ferror(out) ? -1 : 0;
}
