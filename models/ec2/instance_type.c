/*
 * instance_type.c - the built-in catalog (see instance_type.h for sources).
 *
 * speed: burstable t2/t3 types run below the reference because a scenario
 * that saturates them would, on AWS, exhaust CPU credits; fleetsim does not
 * model credits yet, so a flat discount stands in (an assumption, stated in
 * docs/scenario.md). m5 and m6i run at the c5 clock minus a little; Graviton
 * m7g is set equal to c5.
 */
#include "models/ec2/instance_type.h"

#include <string.h>

static const scn_itype catalog[] = {
    /* name         vCPUs speed  USD/h  */
    {"c5.large",    2,    1.00,  0.085},
    {"c5.xlarge",   4,    1.00,  0.17},
    {"m5.large",    2,    0.90,  0.096},
    {"m6i.large",   2,    0.95,  0.096},
    {"m7g.large",   2,    1.00,  0.0816},
    {"t2.micro",    1,    0.70,  0.0116},
    {"t3.micro",    2,    0.80,  0.0104},
    {"t3.medium",   2,    0.80,  0.0416},
};

const scn_itype *itype_catalog_find(const char *name)
{
    for (size_t i = 0; i < sizeof catalog / sizeof catalog[0]; i++)
        if (strcmp(catalog[i].name, name) == 0)
            return &catalog[i];
    return NULL;
}

size_t itype_catalog_count(void) { return sizeof catalog / sizeof catalog[0]; }

const scn_itype *itype_catalog_at(size_t i)
{
    return i < itype_catalog_count() ? &catalog[i] : NULL;
}
