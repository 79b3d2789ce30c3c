/*
 * notification_cfg.c - aws_autoscaling_notification: group events
 * published to an SNS topic.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/control.h"
#include "models/core/loader.h"

static const ld_key notification_keys[] = {
    {.name = "group_names", .kind = LD_REFS, .hi = "1000", .flags = LD_REQUIRED, .source = "Terraform",
     .doc = "the aws_autoscaling_group resources whose events are published"},
    {.name = "notifications", .kind = LD_LIST, .hi = "5", .flags = LD_REQUIRED, .source = "Terraform / Auto Scaling API",
     .doc = "autoscaling:EC2_INSTANCE_LAUNCH, _LAUNCH_ERROR, _TERMINATE, _TERMINATE_ERROR or TEST_NOTIFICATION "
            "(sent once by AWS, not modelled)"},
    {.name = "topic_arn", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform", .doc = "the aws_sns_topic"},
    {.name = NULL},
};

static void load_notification(loader *v, const ld_sect *ps, scn_asg_notification *nt)
{
    static const char *const events[] = {"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                                         "autoscaling:EC2_INSTANCE_TERMINATE",
                                         "autoscaling:EC2_INSTANCE_TERMINATE_ERROR", "autoscaling:TEST_NOTIFICATION",
                                         NULL};
    char b1[96], b2[96];
    ld_sect b = *ps;
    const ld_sect *s = &b;
    ld_sect_check(&b, notification_keys);
    nt->topic = -1;
    ld_ref(s, "topic_arn", "aws_sns_topic", &nt->topic);
    const scn_node *gn = ld_seq(s, "group_names", "aws_autoscaling_group references");
    if (gn) {
        nt->asgs = malloc(gn->n * sizeof *nt->asgs);
        if (!nt->asgs) {
            scn_err(&v->c, gn, "out of memory");
            return;
        }
        nt->n_asgs = gn->n;
        for (size_t i = 0; i < gn->n; i++) {
            nt->asgs[i] = -1;
            ld_resolve(v, gn->kids[i], "group_names", "aws_autoscaling_group", &nt->asgs[i]);
            for (size_t j = 0; j < i; j++)
                if (nt->asgs[i] >= 0 && nt->asgs[j] == nt->asgs[i])
                    scn_err(&v->c, gn->kids[i], "'group_names': %s is listed twice",
                            v->s->asgs[nt->asgs[i]].name);
        }
    }
    const scn_node *en = ld_seq(s, "notifications", "notification types");
    for (size_t i = 0; en && i < en->n; i++) {
        const scn_node *e = en->kids[i];
        if (!ld_want_scalar(s, e, "notifications", "a notification type"))
            continue;
        int k = -1;
        const char *best = NULL;
        int best_d = 99;
        for (int j = 0; events[j]; j++) {
            if (strcmp(e->str, events[j]) == 0)
                k = j;
            ld_suggest(e->str, events[j], &best, &best_d);
        }
        if (k < 0)
            scn_err(&v->c, e, "'notifications': unknown type '%s'%s; expected autoscaling:EC2_INSTANCE_LAUNCH, "
                    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR, autoscaling:EC2_INSTANCE_TERMINATE, "
                    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR or autoscaling:TEST_NOTIFICATION",
                    scn_clip(b1, sizeof b1, e->str), ld_hint(b2, sizeof b2, best));
        else if (k < 4)
            nt->notifications |= 1u << k; /* SCN_NOTIFY_* in the same order; TEST_NOTIFICATION is sent once by AWS and not modelled */
    }
}

/* ---------------------------------------------------------------- metrics */


static void notification_free(void *cfg)
{
    free(((scn_asg_notification *)cfg)->asgs);
}

static void aws_autoscaling_notification_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_asg_notification *c = cfg;
    (void)r;
    c->topic = -1;
    load_notification(v, s, c);
}

/* ---------------------------------------------------------------- the run */

static int notification_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    (void)cfg;
    *model = NULL;
    return control_build(b, control_add_notification, idx, err, errlen);
}

const res_type res_aws_autoscaling_notification = {
    .tf_type = "aws_autoscaling_notification",
    .doc = "Publishes the launch and terminate events of groups to an SNS topic.",
    .keys = notification_keys,
    .pass = 1,
    .cfg_size = sizeof(scn_asg_notification),
    .arr_off = offsetof(scenario, notifications),
    .n_off = offsetof(scenario, n_notifications),
    .load = aws_autoscaling_notification_load,
    .finish = NULL,
    .free_cfg = notification_free,
    .stage = WB_STAGE_NOTIFICATIONS,
    .build = notification_build,
};
