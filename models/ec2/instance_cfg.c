/*
 * instance_cfg.c - aws_instance with count: a fixed fleet running at t = 0.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/core/loader.h"

static void load_instance(loader *v, const ld_sect *s, scn_instance *in)
{
    static const char *const keys[] = {"type", "instance_type", "count", "availability_zone", "ami", NULL};
    ld_sect_keys(s, keys, NULL);
    ld_itype_ref(v, s, "instance_type", &in->itype);
    long long count;
    ld_get_int(s, "count", false, 1, 1, 10000, &count);
    in->count = (int)count;
    snprintf(in->availability_zone, sizeof in->availability_zone, "%.30sa", v->s->region);
    const scn_node *az = NULL;
    if (ld_get_str(s, "availability_zone", false, sizeof in->availability_zone - 1, in->availability_zone,
                sizeof in->availability_zone, &az) > 0)
        ld_check_az(v, az, in->availability_zone);
    ld_get_str(s, "ami", false, 255, NULL, 0, NULL);
}


static void aws_instance_load(loader *v, const ld_sect *s, void *cfg, const ld_res *r)
{
    scn_instance *c = cfg;
    (void)r;
    load_instance(v, s, c);
}

const res_type res_aws_instance = {
    .tf_type = "aws_instance",
    .aliases = NULL,
    .pass = 0,
    .cfg_size = sizeof(scn_instance),
    .arr_off = offsetof(scenario, instances),
    .n_off = offsetof(scenario, n_instances),
    .load = aws_instance_load,
    .finish = NULL,
    .free_cfg = NULL,
};
