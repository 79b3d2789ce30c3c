/*
 * launch_template_cfg.c - aws_launch_template: the instance type, boot
 * phases and monitoring of the instances a group launches.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_launch_template(loader *v, const ld_sect *s, scn_launch_template *lt)
{
    static const char *const keys[] = {"type", "instance_type", "pending_time", "os_boot_time", "app_start_time",
                                       "monitoring", "boot_time", "name", "image_id", NULL};
    char what[512];
    ld_sect_keys(s, keys, NULL);
    ld_itype_ref(v, s, "instance_type", &lt->itype);
    const scn_node *bk = ld_sect_key(s, "boot_time");
    if (bk)
        scn_err(&v->c, bk, "'boot_time' was split into 'pending_time', 'os_boot_time' and 'app_start_time' "
                "(launch -> InService is their sum; defaults 6s, 20s and 10s)");
    ld_get_dist(s, "pending_time", false, &lt->pending_time, &lt->pending_values);
    ld_get_dist(s, "os_boot_time", false, &lt->os_boot_time, &lt->os_boot_values);
    ld_get_dist(s, "app_start_time", false, &lt->app_start_time, &lt->app_start_values);
    /* boot_time: kept in the struct as the constant total of the phase means (informational). */
    lt->boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT,
                               .a = sim_dist_mean(&lt->pending_time) + sim_dist_mean(&lt->os_boot_time) +
                                    sim_dist_mean(&lt->app_start_time)};
    const scn_node *mn = ld_sect_get(s, "monitoring");
    ld_sect m;
    snprintf(what, sizeof what, "monitoring of %.400s", s->what);
    if (mn && ld_sect_open(v, &m, mn, mn, what)) {
        static const char *const mkeys[] = {"enabled", NULL};
        ld_sect_keys(&m, mkeys, NULL);
        bool en = false;
        ld_get_bool(&m, "enabled", false, &en);
        lt->detailed_monitoring = en;
    }
    ld_get_str(s, "name", false, 255, NULL, 0, NULL);
    ld_get_str(s, "image_id", false, 255, NULL, 0, NULL);
}


static void launch_template_free(void *cfg)
{
    scn_launch_template *lt = cfg;
    free(lt->pending_values);
    free(lt->os_boot_values);
    free(lt->app_start_values);
}

static void aws_launch_template_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_launch_template *c = cfg;
    (void)r;
    /* Boot phases: the defaults scenario.h gives (aws-semantics 5.4). */
    c->pending_time = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 6.0};
    c->os_boot_time = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 20.0};
    c->app_start_time = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 10.0};
    load_launch_template(v, s, c);
}

const res_type res_aws_launch_template = {
    .tf_type = "aws_launch_template",
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_launch_template),
    .arr_off = offsetof(scenario, launch_templates),
    .n_off = offsetof(scenario, n_launch_templates),
    .load = aws_launch_template_load,
    .finish = NULL,
    .free_cfg = launch_template_free,
};
