/*
 * activity.c - scaling activities, alarms, notifications and key events from the events log.
 */
#include "reports/activity.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "reports/fmt.h"
#include "stats/events.h"

/* ---------------------------------------------------------------- causes */

static const struct {
    const char *prefix;
    const char *label;
} causes[] = {
    {"a difference between desired", "reach desired capacity"},
    {"scale-in", "scale-in"},
    {"AZRebalance", "AZ rebalancing"},
    {"instance refresh", "instance refresh"},
    {"an EC2 health check", "EC2 health check replacement"},
    {"an ELB health check", "ELB health check replacement"},
    {"Spot interruption", "Spot interruption"},
    {"Capacity Rebalancing", "Capacity Rebalancing"},
    {"rebalance recommendation", "Capacity Rebalancing"},
    {"its boot script failed", "failed boot script"},
    {"ec2:TerminateInstances", "EC2 API termination"},
};

/* The text inside the message's last parenthesised group (nested groups kept), or "". */
static void last_group(const char *m, char *buf, size_t len)
{
    size_t n = strlen(m);
    buf[0] = '\0';
    if (n == 0 || m[n - 1] != ')')
        return;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        depth += m[i] == ')' ? 1 : m[i] == '(' ? -1 : 0;
        if (depth == 0) {
            snprintf(buf, len, "%.*s", (int)(n - 1 - (i + 1)), m + i + 1);
            return;
        }
    }
}

const char *activity_cause(const char *message)
{
    char c[256];
    last_group(message, c, sizeof c);
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
        if (strncmp(c, causes[i].prefix, strlen(causes[i].prefix)) == 0)
            return causes[i].label;
    return "other";
}

/* ---------------------------------------------------------------- tallies */

#define MAX_KEYS 32

typedef struct tally {
    char key[MAX_KEYS][64];
    unsigned long a[MAX_KEYS], b[MAX_KEYS];
    double t[MAX_KEYS];
    sim_time_t since[MAX_KEYS];
    size_t n, dropped;
} tally;

/* The slot of key (added on first use); -1 when full. */
static int slot(tally *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->key[i], key) == 0)
            return (int)i;
    if (t->n == MAX_KEYS) {
        t->dropped++;
        return -1;
    }
    snprintf(t->key[t->n], sizeof t->key[0], "%s", key);
    t->since[t->n] = -1;
    return (int)t->n++;
}

/* A desired-capacity change's source: the message before its first ':', without an alarm's state or a parenthesis. */
static void source_of(const char *m, char *buf, size_t len)
{
    size_t n = strcspn(m, ":");
    const char *cut = strstr(m, " in ALARM");
    if (cut && (size_t)(cut - m) < n)
        n = (size_t)(cut - m);
    const char *par = strstr(m, " (");
    if (par && (size_t)(par - m) < n)
        n = (size_t)(par - m);
    snprintf(buf, len, "%.*s", (int)n, m);
}

static bool is_desired_change(const events_entry *e)
{
    return strcmp(e->type, "scaling") == 0 && e->from[0] && e->to[0];
}

void activity_print_scaling(const world *w, FILE *out)
{
    const events_log *ev = world_events(w);
    tally src = {.n = 0}, launch = {.n = 0}, term = {.n = 0};
    unsigned long changes = 0, launches = 0, terms = 0;
    for (size_t i = 0; i < events_count(ev); i++) {
        const events_entry *e = events_at(ev, i);
        if (is_desired_change(e)) {
            char s[64];
            source_of(e->message, s, sizeof s);
            int k = slot(&src, s);
            if (k >= 0)
                *(atol(e->to) > atol(e->from) ? &src.a[k] : &src.b[k]) += 1;
            changes++;
        } else if (strcmp(e->type, "instance") == 0 && (strcmp(e->to, "Pending") == 0 || strcmp(e->to, "Terminating") == 0)) {
            bool up = strcmp(e->to, "Pending") == 0;
            int k = slot(up ? &launch : &term, activity_cause(e->message));
            if (k >= 0)
                (up ? launch.a : term.a)[k]++;
            *(up ? &launches : &terms) += 1;
        }
    }
    if (!changes && !launches && !terms)
        return;
    fprintf(out, "scaling activities %42s %5s\n", "up", "down");
    fprintf(out, "  desired capacity changes: %lu\n", changes);
    for (size_t i = 0; i < src.n; i++)
        fprintf(out, "    %-52.52s %4lu %5lu\n", src.key[i], src.a[i], src.b[i]);
    fprintf(out, "  launches: %lu\n", launches);
    for (size_t i = 0; i < launch.n; i++)
        fprintf(out, "    %-52.52s %4lu\n", launch.key[i], launch.a[i]);
    fprintf(out, "  terminations: %lu\n", terms);
    for (size_t i = 0; i < term.n; i++)
        fprintf(out, "    %-52.52s %4lu\n", term.key[i], term.a[i]);
    fprintf(out, "\n");
}

void activity_print_alarms(const world *w, FILE *out)
{
    const events_log *ev = world_events(w);
    tally al = {.n = 0};
    unsigned long insufficient[MAX_KEYS] = {0};
    for (size_t i = 0; i < events_count(ev); i++) {
        const events_entry *e = events_at(ev, i);
        if (strcmp(e->type, "alarm") != 0 || !e->to[0])
            continue;
        int k = slot(&al, e->resource);
        if (k < 0)
            continue;
        if (al.since[k] >= 0) {
            al.t[k] += sim_to_sec(e->t - al.since[k]);
            al.since[k] = -1;
        }
        if (strcmp(e->to, "ALARM") == 0) {
            al.a[k]++;
            al.since[k] = e->t;
        } else if (strcmp(e->to, "OK") == 0) {
            al.b[k]++;
        } else {
            insufficient[k]++;
        }
    }
    if (!al.n)
        return;
    int width = 40;
    for (size_t k = 0; k < al.n; k++)
        width = (int)strlen(al.key[k]) > width ? (int)strlen(al.key[k]) : width;
    fprintf(out, "alarms: transitions by the state entered%*s %7s %6s %8s %10s\n", width - 38, "", "ALARM", "OK",
            "INSUFF.", "ALARM min");
    for (size_t k = 0; k < al.n; k++) {
        if (al.since[k] >= 0)
            al.t[k] += sim_to_sec(world_end_time(w) - al.since[k]);
        fprintf(out, "  %-*s %7lu %6lu %8lu %10s\n", width, al.key[k], al.a[k], al.b[k], insufficient[k],
                fmt_num(0, 1, al.t[k] / 60, "0").s);
    }
    if (al.dropped)
        fprintf(out, "  ... more alarms in events.jsonl\n");
    fprintf(out, "\n");
}

void activity_print_notifications(const world *w, FILE *out)
{
    const events_log *ev = world_events(w);
    tally t = {.n = 0};
    unsigned long total = 0;
    for (size_t i = 0; i < events_count(ev); i++) {
        const events_entry *e = events_at(ev, i);
        if (strcmp(e->type, "sns") != 0)
            continue;
        int k = slot(&t, e->resource);
        if (k >= 0)
            t.a[k]++;
        total++;
    }
    if (!total)
        return;
    fprintf(out, "notifications (SNS publishes): %lu\n", total);
    for (size_t k = 0; k < t.n; k++)
        fprintf(out, "  %-44.44s %6lu\n", t.key[k], t.a[k]);
    fprintf(out, "\n");
}

/* The entries that explain a run: what changed it (faults), what the fleet did about it, and what showed it. */
static bool is_key(const events_entry *e)
{
    if (strcmp(e->type, "fault") == 0 || strcmp(e->type, "fis") == 0 || is_desired_change(e))
        return true;
    if (strcmp(e->type, "alarm") == 0)
        return strcmp(e->to, "ALARM") == 0;
    if (strcmp(e->type, "target_health") == 0)
        return strcmp(e->to, "unhealthy") == 0;
    if (strcmp(e->type, "spot") == 0)
        return strcmp(e->to, "reclaimed") == 0;
    if (strcmp(e->type, "instance") == 0 && strcmp(e->to, "Terminating") == 0) {
        const char *c = activity_cause(e->message);
        return strcmp(c, "scale-in") != 0 && strcmp(c, "instance refresh") != 0;
    }
    return false;
}

void activity_print_key_events(const world *w, FILE *out)
{
    const events_log *ev = world_events(w);
    size_t n_ev = events_count(ev), shown = 0, keys = 0;
    for (size_t i = 0; i < n_ev; i++)
        keys += is_key(events_at(ev, i));
    fprintf(out, "key events: %zu of %zu (all in events.jsonl)\n", keys, n_ev);
    for (size_t i = 0; i < n_ev && shown < ACTIVITY_KEY_EVENTS; i++) {
        const events_entry *e = events_at(ev, i);
        if (!is_key(e))
            continue;
        char t[32], what[640];
        snprintf(t, sizeof t, "%.0f", sim_to_sec(e->t));
        if (strcmp(e->type, "alarm") == 0) {
            snprintf(what, sizeof what, "%s: %s -> %s", e->resource, e->from, e->to);
        } else if (is_desired_change(e)) {
            char src[64];
            source_of(e->message, src, sizeof src);
            snprintf(what, sizeof what, "%s: desired %s -> %s (%s)", e->resource, e->from, e->to, src);
        } else if (strcmp(e->type, "instance") == 0) {
            char cause[256];
            last_group(e->message, cause, sizeof cause);
            snprintf(what, sizeof what, "%s: %s -> %s (%s)", e->resource, e->from, e->to, cause);
        } else if (e->to[0]) {
            snprintf(what, sizeof what, "%s: %s -> %s: %s", e->resource, e->from, e->to, e->message);
        } else {
            snprintf(what, sizeof what, "%s", e->message);
        }
        fprintf(out, "  %8s s  %-13s %.100s\n", t, e->type, what);
        shown++;
    }
    if (keys > shown)
        fprintf(out, "  ... %zu more\n", keys - shown);
    fprintf(out, "\n");
}
