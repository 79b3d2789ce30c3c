/*
 * lifecycle_hook_cfg.c - aws_autoscaling_lifecycle_hook and the group's
 * initial_lifecycle_hook blocks (aws-semantics 1.7): the key tables, the
 * loader, and the build op that hands each hook to its group (asg_add_hook).
 *
 * The group's initial_lifecycle_hook blocks are read here, in this type's
 * finish op, and appended to this type's array after the resources: the
 * group's own loader only accepts the key (its struct lives in scenario.h),
 * and one array means one build op for both kinds.
 */
#include <stdlib.h>
#include <string.h>

#include "models/autoscaling/asg.h"
#include "models/autoscaling/lifecycle_hook_cfg.h"
#include "models/core/build.h"
#include "models/core/loader.h"

extern const res_type res_aws_autoscaling_group, res_aws_autoscaling_lifecycle_hook;

static const char *const transitions[] = {"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING",
                                          NULL};
static const char *const results[] = {"CONTINUE", "ABANDON", NULL}; /* ASG_RESULT_* order */

/* The keys a hook has wherever it is declared. */
#define HOOK_KEYS                                                                                                  \
    {.name = "name", .kind = LD_STR, .hi = "255", .flags = LD_REQUIRED,                                         \
     .source = "Terraform (required) / Auto Scaling API LifecycleHookName (1-255 characters)",                   \
     .doc = "the hook's name (LifecycleHookName): CompleteLifecycleAction and the events name it"},              \
    {.name = "lifecycle_transition", .kind = LD_ENUM, .values = transitions, .flags = LD_REQUIRED,              \
     .source = "Terraform (required) / Auto Scaling API PutLifecycleHook (aws-semantics 1.7)",                   \
     .doc = "which wait: Pending:Wait before InService, or Terminating:Wait after deregistration"},              \
    {.name = "heartbeat_timeout", .kind = LD_SECONDS, .def = "3600", .lo = "30", .hi = "7200",                   \
     .source = "Auto Scaling API PutLifecycleHook HeartbeatTimeout (3600, 30-7200; aws-semantics 1.7); "         \
               "Terraform leaves it to AWS",                                                                     \
     .doc = "the wait ends with default_result this long after it starts or after the last heartbeat; "          \
            "never later than min(48 h, 100 x this)"},                                                           \
    {.name = "default_result", .kind = LD_ENUM, .def = "ABANDON", .values = results,                             \
     .source = "Auto Scaling API PutLifecycleHook DefaultResult (ABANDON; aws-semantics 1.7); Terraform "         \
               "leaves it to AWS",                                                                               \
     .doc = "the result on timeout: on launch ABANDON terminates and replaces the instance; on terminate "       \
            "both terminate, ABANDON skips the remaining hooks"},                                                \
    {.name = "notification_metadata", .kind = LD_STR, .hi = "4000",                                              \
     .source = "Terraform / Auto Scaling API NotificationMetadata (up to 4000 characters)",                      \
     .doc = "passed in the events' NotificationMetadata"},                                                       \
    {.name = "notification_target_arn", .kind = LD_NOTSIM}, {.name = "role_arn", .kind = LD_NOTSIM}

static const ld_key hook_keys[] = {
    {.name = "autoscaling_group_name", .kind = LD_REF, .flags = LD_REQUIRED, .source = "Terraform (required)",
     .doc = "the aws_autoscaling_group the hook is on"},
    HOOK_KEYS,
    {.name = NULL},
};

/* A group's initial_lifecycle_hook block: the same keys minus the group (Terraform). */
const ld_key lh_initial_hook_keys[] = {
    HOOK_KEYS,
    {.name = NULL},
};

/* Reads the hook keys of s into h (group set by the caller). */
static void load_hook(loader *v, const ld_sect *s, lh_cfg *h)
{
    (void)v;
    ld_str(s, "name", h->hook_name, sizeof h->hook_name, NULL);
    int tr = 0, res = ASG_RESULT_ABANDON;
    ld_enum(s, "lifecycle_transition", &tr, NULL);
    h->transition = tr == 0 ? ASG_HOOK_LAUNCHING : ASG_HOOK_TERMINATING;
    ld_dur(s, "heartbeat_timeout", &h->heartbeat_timeout);
    ld_enum(s, "default_result", &res, NULL);
    h->default_result = res;
    char meta[LH_METADATA_MAX + 1] = "";
    ld_str(s, "notification_metadata", meta, sizeof meta, NULL);
    h->metadata = ld_dupstr(meta);
    if (!h->metadata)
        scn_err(&v->c, s->owner, "out of memory");
}

static void hook_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    lh_cfg *h = cfg;
    ld_sect b = *s;
    (void)r;
    ld_sect_check(&b, hook_keys);
    h->group = -1;
    ld_ref(&b, "autoscaling_group_name", "aws_autoscaling_group", &h->group);
    load_hook(v, &b, h);
}

/* Appends one initial_lifecycle_hook block n of group gi to the type's array. */
static void add_initial(loader *v, const scn_node *n, int gi, const char *group_name)
{
    char what[512];
    snprintf(what, sizeof what, "initial_lifecycle_hook of aws_autoscaling_group \"%.400s\"", group_name);
    ld_sect s;
    if (!ld_sect_open(v, &s, n, n, what))
        return;
    ld_sect_check(&s, lh_initial_hook_keys);
    size_t cnt = 0;
    lh_cfg *arr = ld_type_cfgs(v->s, &res_aws_autoscaling_lifecycle_hook, &cnt);
    lh_cfg *na = realloc(arr, (cnt + 1) * sizeof *na);
    if (!na) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    ld_type_set_cfgs(v->s, &res_aws_autoscaling_lifecycle_hook, na, cnt + 1);
    lh_cfg *h = &na[cnt];
    memset(h, 0, sizeof *h);
    h->loc = (scn_loc){n->line, n->col};
    h->group = gi;
    load_hook(v, &s, h);
    h->name = ld_dupstr(h->hook_name);
    if (!h->name)
        scn_err(&v->c, n, "out of memory");
}

/* After every resource is loaded: the groups' initial hooks join the array; names are unique per group (AWS). */
static void hook_finish(loader *v)
{
    for (size_t i = 0; i < v->n_res; i++) {
        const ld_res *r = &v->res[i];
        if (!ld_res_is(r, "aws_autoscaling_group") || !r->val || r->val->kind != SCN_N_MAP)
            continue;
        ld_sect g;
        if (!ld_sect_open(v, &g, r->val, r->key, "aws_autoscaling_group"))
            continue;
        const scn_node *n = ld_sect_get(&g, "initial_lifecycle_hook");
        if (!n)
            continue;
        if (n->kind == SCN_N_MAP) {
            add_initial(v, n, r->idx, r->name);
        } else if (n->kind == SCN_N_SEQ) {
            for (size_t k = 0; k < n->n; k++)
                add_initial(v, n->kids[k], r->idx, r->name);
        } else {
            scn_err(&v->c, n, "'initial_lifecycle_hook': expected a block or a sequence of blocks, found %s",
                    scn_kind_name(n));
        }
    }
    size_t cnt = 0;
    lh_cfg *arr = ld_type_cfgs(v->s, &res_aws_autoscaling_lifecycle_hook, &cnt);
    for (size_t a = 0; a < cnt; a++)
        for (size_t b = 0; b < a; b++)
            if (arr[a].group >= 0 && arr[a].group == arr[b].group && arr[a].hook_name[0] &&
                strcmp(arr[a].hook_name, arr[b].hook_name) == 0) {
                scn_err_at(&v->c, arr[a].loc.line, arr[a].loc.col,
                           "lifecycle hook '%s' is declared twice on aws_autoscaling_group \"%s\" (names are unique "
                           "per group)", arr[a].hook_name, v->s->asgs[arr[a].group].name);
                break;
            }
}

static void hook_free(void *cfg)
{
    lh_cfg *h = cfg;
    free(h->metadata);
}

/* ---------------------------------------------------------------- the run */

static int hook_build(wb *b, int idx, const void *cfg, void **model, char *err, size_t errlen)
{
    const lh_cfg *h = cfg;
    (void)idx;
    *model = NULL;
    asg *g = wb_model(b, &res_aws_autoscaling_group, h->group);
    if (!g) {
        snprintf(err, errlen, "lifecycle hook \"%s\": its Auto Scaling group was not built", h->hook_name);
        return -1;
    }
    asg_hook spec = {.name = h->hook_name, .transition = h->transition, .heartbeat = h->heartbeat_timeout,
                     .default_result = h->default_result, .metadata = h->metadata ? h->metadata : "", .loc = h->loc};
    if (asg_add_hook(g, &spec) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

const res_type res_aws_autoscaling_lifecycle_hook = {
    .tf_type = "aws_autoscaling_lifecycle_hook",
    .doc = "A lifecycle hook: instances of its group wait in Pending:Wait or Terminating:Wait until "
           "CompleteLifecycleAction or the timeout (aws-semantics 1.7).",
    .keys = hook_keys,
    .pass = 1,
    .cfg_size = sizeof(lh_cfg),
    .arr_off = 0,
    .n_off = 0,
    .load = hook_load,
    .finish = hook_finish,
    .free_cfg = hook_free,
    .stage = WB_STAGE_HOOKS,
    .build = hook_build,
};
