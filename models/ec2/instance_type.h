/*
 * instance_type.h - the built-in EC2 instance type catalog and the price
 * tables of the regions fleetsim knows.
 *
 * The catalog (ITYPE_CATALOG below) holds what does not depend on the
 * region: the type name, AWS's vCPU count, and `speed` (work done by one vCPU
 * per second, c5.large = 1.0), which has no AWS figure: it is a fleetsim
 * assumption, overridable per scenario under `instance_types:`.
 *
 * Prices are per region, one file each: data/prices/REGION.csv (On-Demand
 * Linux USD/h of every catalog type, plus the ALB, CloudWatch and SNS prices
 * the models use), with its source, date and the figures not confirmed
 * marked `unverified`. The build compiles them into the binary
 * (data/prices/gen_prices.py -> itype_prices.c), so nothing is read at run
 * time and the simulator runs from any directory. Format: data/prices/README.md.
 */
#ifndef FLEETSIM_INSTANCE_TYPE_H
#define FLEETSIM_INSTANCE_TYPE_H

#include <stddef.h>

#include "models/core/scenario.h"

/*
 * The catalog: X(identifier, name, vCPUs, speed), in the order
 * itype_catalog_at lists them. Every data/prices/REGION.csv must price every
 * entry (the generator and the compiler both refuse a file that does not).
 *
 * speed: the work one vCPU does per second at 100 % of its CPU. For the
 * burstable t2/t3 types that is the speed while bursting (credits left, or
 * unlimited mode); throttled to the baseline, a vCPU runs at a fraction of it
 * (cpu_credits.h, docs/burstable.md). No AWS figure exists (fleetsim's
 * assumption): t3 runs on the m5's Skylake-SP silicon, so the m5's 0.90; t2
 * on older Haswell/Broadwell Xeons, 0.85. m5 and m6i run at the c5 clock
 * minus a little; Graviton m7g is set equal to c5.
 */
#define ITYPE_CATALOG(X)                          \
    X(c5_large,  "c5.large",  2, 1.00)            \
    X(c5_xlarge, "c5.xlarge", 4, 1.00)            \
    X(m5_large,  "m5.large",  2, 0.90)            \
    X(m6i_large, "m6i.large", 2, 0.95)            \
    X(m7g_large, "m7g.large", 2, 1.00)            \
    X(t2_micro,  "t2.micro",  1, 0.85)            \
    X(t3_micro,  "t3.micro",  2, 0.90)            \
    X(t3_medium, "t3.medium", 2, 0.90)

enum {
#define ITYPE_ENUM_(id, name, vcpus, speed) ITYPE_ID_##id,
    ITYPE_CATALOG(ITYPE_ENUM_)
#undef ITYPE_ENUM_
    ITYPE_N /* the number of catalog types */
};

/* Prices of the other services a region file holds, USD, in the unit AWS quotes. */
typedef struct itype_services {
    double alb_hour;            /* per ALB-hour (partial hours rounded up) */
    double alb_lcu_hour;        /* per LCU-hour */
    double cw_alarm_month;      /* per standard-resolution alarm metric-month */
    double cw_metric_month;     /* per custom / detailed-monitoring metric-month (first 10,000) */
    double sns_publish_million; /* per million standard-topic publishes */
    double sns_http_million;    /* per million HTTP/S deliveries */
    double sns_email_100k;      /* per 100,000 email deliveries */
    double sns_sms;             /* per SMS message (US destination) */
    double lambda_request_million; /* per million requests */
    double lambda_gb_second_x86_64; /* per GB-second of duration, x86_64 (1 ms steps) */
    double lambda_gb_second_arm64; /* per GB-second of duration, arm64 (1 ms steps) */
    double ddb_wru_million; /* per million on-demand write request units */
    double ddb_rru_million; /* per million on-demand read request units */
    double ddb_wcu_hour; /* per provisioned WCU-hour */
    double ddb_rcu_hour; /* per provisioned RCU-hour */
    double ddb_storage_gb_month; /* per GB-month of table storage */
    double s3_storage_gb_month; /* per GB-month, S3 Standard (first 50 TB) */
    double s3_put_thousand; /* per 1,000 PUT/COPY/POST/LIST requests */
    double s3_get_thousand; /* per 1,000 GET/SELECT requests */
    double ebs_snapshot_gb_month; /* per GB-month of EBS snapshot (standard tier, incremental) */
    double ebs_gp3_gb_month; /* per GB-month (GiB) of gp3 volume, prorated per second */
    double ebs_gp2_gb_month; /* per GB-month (GiB) of gp2 volume, prorated per second */
    double cw_alarm_high_res_month; /* per high-resolution (10 s period) alarm metric-month */
} itype_services;

/* One region's table, as compiled from data/prices/REGION.csv. */
typedef struct itype_region {
    const char *name;               /* "us-west-2" (the file name) */
    const char *source;             /* the file's `# source:` text */
    const char *date;               /* the file's `# date:`, YYYY-MM-DD */
    const scn_itype *types;         /* ITYPE_N entries, catalog order, this region's prices */
    itype_services services;
    const char *const *unverified;  /* items marked unverified ("ec2/m7g.large", "alb/hour"), NULL-terminated */
} itype_region;

/* ---- by region ---- */

/* 1 if data/prices has a table for `region` (exact, case-sensitive name), else 0. */
int itype_region_known(const char *region);

/* The known regions, sorted, comma-separated ("ap-northeast-1, ap-south-1, ..."), for error messages. */
const char *itype_regions_list(void);

/* The catalog entry for `name` with `region`'s price, or NULL if either is unknown. */
const scn_itype *itype_catalog_find_in(const char *region, const char *name);

/* `region`'s ALB, CloudWatch and SNS prices, or NULL if the region is unknown. */
const itype_services *itype_services_in(const char *region);

/* The services of `region`, or us-west-2's for a region with no table (a scenario struct built by hand): never NULL. */
const itype_services *itype_services_for(const char *region);

/* 1 if `region`'s file marks `item` ("ec2/c5.large", "alb/hour", "sns/sms", ...) unverified; 0 if it is confirmed or unknown. */
int itype_price_unverified(const char *region, const char *item);

/* The region table by name (NULL if unknown); the number of regions and region i (sorted by name). */
const itype_region *itype_region_find(const char *region);
size_t itype_region_count(void);
const itype_region *itype_region_at(size_t i);

/* The tables themselves, defined in the generated itype_prices.c: use the functions above. */
extern const itype_region itype_regions_[];
extern const size_t itype_n_regions_;
extern const char itype_regions_list_[];

/* ---- burstable performance types (aws-semantics 5.6) ---- */

/* One row of AWS's credit table, plus the surplus-credit price of its family. */
typedef struct itype_burst {
    const char *name;            /* "t2.micro" */
    int vcpus;
    int baseline_pct;            /* baseline utilisation per vCPU, % (= credits_per_hour / vcpus / 60) */
    int credits_per_hour;        /* CPU credits earned per hour */
    int max_credits;             /* accrual limit: 24 h of earnings */
    int launch_credits;          /* at each launch, T2 in standard mode only (30 per vCPU) */
    int default_unlimited;       /* the family's default credit specification: 0 standard (t2), 1 unlimited (t3, t3a, t4g) */
    double surplus_vcpu_hour_usd;/* unlimited: USD per vCPU-hour of surplus credits charged (Linux) */
    const char *surplus_source;  /* where that price comes from */
} itype_burst;

/* The credit figures of burstable type `name` (t2, t3, t3a, t4g; nano to large), or NULL for a type that earns no credits. */
const itype_burst *itype_burst_find(const char *name);

/* ---- us-west-2 (kept for the loader until it passes the scenario's region) ---- */

/* The catalog entry for an exact type name, with the us-west-2 price, or NULL. */
const scn_itype *itype_catalog_find(const char *name);

/* The number of catalog entries (ITYPE_N), and entry i (0 <= i < count) with its us-west-2 price. */
size_t itype_catalog_count(void);
const scn_itype *itype_catalog_at(size_t i);

#endif /* FLEETSIM_INSTANCE_TYPE_H */
