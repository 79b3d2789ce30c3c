/*
 * schedule_cfg.c - aws_autoscaling_schedule: one-off and recurring
 * scheduled actions.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/control.h"
#include "models/core/loader.h"
#include "models/autoscaling/scheduled_action.h"

#define MAX_SCHEDULES_PER_GROUP 125 /* aws-semantics 1.10 */

static const ld_key schedule_keys[] = {
    {.name = "autoscaling_group_name", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_autoscaling_group"},
    {.name = "scheduled_action_name", .kind = LD_STR, .hi = "255", .source = "Terraform (required there; optional here)",
     .doc = "the action's AWS name"},
    {.name = "min_size", .kind = LD_INT, .def = "-1", .lo = "-1", .hi = "100000",
     .source = "Terraform (-1: unchanged; its docs' 0 for an omitted size is the Go zero value, not a schema "
               "default) / Auto Scaling API (omitted: unchanged)",
     .doc = "the group's min_size from start_time; -1 or absent: unchanged"},
    {.name = "max_size", .kind = LD_INT, .def = "-1", .lo = "-1", .hi = "100000",
     .source = "Terraform (-1: unchanged) / Auto Scaling API (omitted: unchanged)",
     .doc = "the group's max_size from start_time; -1 or absent: unchanged"},
    {.name = "desired_capacity", .kind = LD_INT, .def = "-1", .lo = "-1", .hi = "100000",
     .source = "Terraform (-1: unchanged) / Auto Scaling API (omitted: unchanged)",
     .doc = "the group's desired capacity at start_time; -1 or absent: unchanged"},
    {.name = "start_time", .kind = LD_STR, .hi = "64", .source = "Terraform",
     .doc = "a one-off action's time, or when a recurrence begins: an RFC 3339 UTC time stamp or an offset such as 2h"},
    {.name = "end_time", .kind = LD_STR, .hi = "64", .source = "Terraform",
     .doc = "when a recurrence stops: an RFC 3339 UTC time stamp or an offset"},
    {.name = "recurrence", .kind = LD_STR, .hi = "127", .source = "Terraform / Auto Scaling API",
     .doc = "a 5-field cron in UTC (numbers, *, lists, ranges, steps)"},
    {.name = "time_zone", .kind = LD_STR, .def = "UTC", .hi = "64", .source = "Auto Scaling API (UTC)",
     .doc = "only UTC (or Etc/UTC) is modelled"},
    {.name = NULL},
};

/* A size key as ld_int reads it, with Terraform's -1 ("unchanged") counted as absent. */
static int size_of(const ld_sect *s, const char *name, long long *out)
{
    int rc = ld_int(s, name, out);
    return rc > 0 && *out < 0 ? 0 : rc;
}

static void load_schedule(loader *v, const ld_sect *s, scn_schedule *sc)
{
    char b1[96], b2[32], b3[32], why[256];
    ld_sect b = *s;
    s = &b;
    ld_sect_check(&b, schedule_keys);
    ld_str(s, "scheduled_action_name", NULL, 0, NULL);
    ld_ref(s, "autoscaling_group_name", "aws_autoscaling_group", &sc->asg);
    long long mn = 0, mx = 0, des = 0; /* the rows give the defaults */
    int r1 = size_of(s, "min_size", &mn), r2 = size_of(s, "max_size", &mx), r3 = size_of(s, "desired_capacity", &des);
    sc->min_size = (int)mn;
    sc->max_size = (int)mx;
    sc->desired_capacity = (int)des;
    if (r1 == 0 && r2 == 0 && r3 == 0)
        scn_err(&v->c, s->owner, "%s needs at least one of min_size, max_size and desired_capacity", s->what);
    if (r1 > 0 && r2 > 0 && mn > mx)
        scn_err(&v->c, ld_sect_get(s, "max_size"), "'max_size' (%lld) must be at least 'min_size' (%lld)", mx, mn);
    else if (r3 > 0 && ((r1 > 0 && des < mn) || (r2 > 0 && des > mx)))
        scn_err(&v->c, ld_sect_get(s, "desired_capacity"), "'desired_capacity' (%lld) must be between min_size and "
                "max_size", des);
    const scn_node *tz = NULL;
    if (ld_str(s, "time_zone", NULL, 0, &tz) > 0 && strcmp(tz->str, "UTC") != 0 &&
        strcmp(tz->str, "Etc/UTC") != 0)
        scn_err(&v->c, tz, "'time_zone': %s is not supported yet: recurrences run in UTC (use UTC or Etc/UTC)",
                scn_clip(b1, sizeof b1, tz->str));
    const scn_node *sn = NULL, *en = NULL;
    sc->start_time = -1;
    sc->end_time = -1;
    sim_time_t st = -1, et = -1;
    int rs = ld_get_when(s, "start_time", &st, &sn);
    int re = ld_get_when(s, "end_time", &et, &en);
    const scn_node *rn = NULL;
    int rr = ld_str(s, "recurrence", sc->recurrence, sizeof sc->recurrence, &rn);
    if (rr > 0) {
        /* The grammar check is sched_cron_parse's, so the loader and the model agree. Before it: only
           digits and * , - / and blanks, and no number over two digits. */
        const char *bad = NULL;
        int run = 0;
        for (const char *p = sc->recurrence; *p && !bad; p++) {
            run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
            if (!strchr("0123456789*,-/ \t", *p) || run > 2)
                bad = p;
        }
        sched_cron c;
        if (bad && ((*bad >= 'A' && *bad <= 'Z') || (*bad >= 'a' && *bad <= 'z')))
            scn_err(&v->c, rn, "'recurrence': names (MON, JAN, @daily) are not supported: use numbers, e.g. "
                    "\"0 8 * * 1-5\" (day-of-week 0-7, 0 and 7 = Sunday)");
        else if (bad)
            scn_err(&v->c, rn, "'recurrence': invalid cron '%s': 5 fields of numbers, *, lists (a,b), ranges "
                    "(a-b) and steps (*/n)", scn_clip(b1, sizeof b1, sc->recurrence));
        else if (sched_cron_parse(sc->recurrence, &c, why, sizeof why) != 0)
            scn_err(&v->c, rn, "'recurrence': %s", why);
        else if (sched_cron_next(&c, v->s->start_epoch) < 0)
            scn_err(&v->c, rn, "'recurrence': cron '%s' never matches a date", scn_clip(b1, sizeof b1, sc->recurrence));
    }
    if (rs > 0) {
        if (st < 0 && rr <= 0) {
            scn_err(&v->c, sn, "'start_time' is before the scenario's start_time: a one-off action would never run");
            st = -1;
        }
        sc->start_time = st < 0 ? 0 : st; /* a recurrence that started earlier is active from t = 0 */
    }
    if (rs == 0 && rr == 0)
        scn_err(&v->c, s->owner, "%s needs 'start_time' (a one-off action) or 'recurrence' (a cron)", s->what);
    if (re > 0) {
        if (et < 0)
            scn_err(&v->c, en, "'end_time' is before the scenario's start_time");
        else if (rs > 0 && et <= st)
            scn_err(&v->c, en, "'end_time' (%s) must be after 'start_time' (%s)", ld_fmt_dur(b2, sizeof b2, et),
                    ld_fmt_dur(b3, sizeof b3, st < 0 ? 0 : st));
        else if (rr == 0)
            scn_err(&v->c, en, "'end_time' applies only to an action with a 'recurrence'");
        sc->end_time = et;
    }
}

/* No two actions of a group may share a start time (aws-semantics 2.4). */
static int sched_cmp(const void *pa, const void *pb)
{
    const scn_schedule *a = *(const scn_schedule *const *)pa, *b = *(const scn_schedule *const *)pb;
    if (a->asg != b->asg)
        return a->asg < b->asg ? -1 : 1;
    if (a->start_time != b->start_time)
        return a->start_time < b->start_time ? -1 : 1;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    return (a->loc.col > b->loc.col) - (a->loc.col < b->loc.col);
}

/* The 126th action of a group, in file order, is the one AWS refuses. */
static void count_schedules(loader *v)
{
    scenario *sc = v->s;
    if (!sc->n_asgs)
        return;
    size_t *count = calloc(sc->n_asgs, sizeof *count);
    if (!count) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < sc->n_schedules; i++) {
        const scn_schedule *a = &sc->schedules[i];
        if (a->asg >= 0 && ++count[a->asg] == MAX_SCHEDULES_PER_GROUP + 1)
            scn_err_at(&v->c, a->loc.line, a->loc.col, "aws_autoscaling_group %s has more than %d scheduled "
                       "actions (an AWS limit)", sc->asgs[a->asg].name, MAX_SCHEDULES_PER_GROUP);
    }
    free(count);
}

static void check_schedules(loader *v)
{
    scenario *sc = v->s;
    char b1[32];
    count_schedules(v);
    if (sc->n_schedules < 2)
        return;
    const scn_schedule **p = malloc(sc->n_schedules * sizeof *p);
    if (!p) {
        scn_err_at(&v->c, 0, 0, "out of memory");
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < sc->n_schedules; i++)
        if (sc->schedules[i].asg >= 0 && sc->schedules[i].start_time >= 0 && sc->schedules[i].name)
            p[n++] = &sc->schedules[i];
    qsort(p, n, sizeof *p, sched_cmp);
    for (size_t i = 1; i < n; i++)
        if (p[i]->asg == p[i - 1]->asg && p[i]->start_time == p[i - 1]->start_time)
            scn_err_at(&v->c, p[i]->loc.line, p[i]->loc.col, "scheduled actions %s and %s of %s share the start "
                       "time %s (AWS refuses two actions with one start time)", p[i - 1]->name, p[i]->name,
                       sc->asgs[p[i]->asg].name, ld_fmt_dur(b1, sizeof b1, p[i]->start_time));
    free(p);
}

/* ---------------------------------------------------------------- faults and operations */


static void aws_autoscaling_schedule_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_schedule *c = cfg;
    (void)r;
    c->asg = -1;
    c->start_time = c->end_time = -1; /* unset */
    load_schedule(v, s, c);
}

/* ---------------------------------------------------------------- the run */

static int schedule_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)cfg;
    *model = NULL;
    return control_build(b, control_add_schedule, idx, err, errlen);
}

const res_type res_aws_autoscaling_schedule = {
    .tf_type = "aws_autoscaling_schedule",
    .doc = "A scheduled action: sets a group's sizes once at start_time or on a cron recurrence.",
    .keys = schedule_keys,
    .pass = 1,
    .cfg_size = sizeof(scn_schedule),
    .arr_off = offsetof(scenario, schedules),
    .n_off = offsetof(scenario, n_schedules),
    .load = aws_autoscaling_schedule_load,
    .finish = check_schedules,
    .free_cfg = NULL,
    .stage = WB_STAGE_SCHEDULES,
    .build = schedule_build,
};
