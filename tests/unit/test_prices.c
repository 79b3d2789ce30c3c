/*
 * test_prices.c - the regional price tables compiled from data/prices/REGION.csv.
 *
 * Usage: test_prices [DATA_PRICES_DIR]. The tables under test are compiled
 * into the binary; the directory (given by meson as an absolute path) is only
 * read to check that every file there is in the binary and that each figure
 * compiled equals the figure written in the file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/ec2/instance_type.h"
#include "tests/tap.h"

/* The catalog before per-region prices (us-west-2): existing golden outputs depend on these exact values. */
static const struct { const char *name; int vcpus; double speed, usd; } before[] = {
    {"c5.large", 2, 1.00, 0.085},  {"c5.xlarge", 4, 1.00, 0.17},  {"m5.large", 2, 0.90, 0.096},
    {"m6i.large", 2, 0.95, 0.096}, {"m7g.large", 2, 1.00, 0.0816}, {"t2.micro", 1, 0.85, 0.0116},
    {"t3.micro", 2, 0.90, 0.0104}, {"t3.medium", 2, 0.90, 0.0416},
};
#define N_BEFORE (sizeof before / sizeof before[0])

static const char *const nine[] = {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
                                   "eu-central-1", "ap-south-1", "ap-northeast-1", "ap-southeast-2"};

static double service(const itype_services *s, const char *key)
{
    static const struct { const char *key; size_t off; } f[] = {
        {"alb/hour", offsetof(itype_services, alb_hour)},
        {"alb/lcu_hour", offsetof(itype_services, alb_lcu_hour)},
        {"cloudwatch/alarm_month", offsetof(itype_services, cw_alarm_month)},
        {"cloudwatch/metric_month", offsetof(itype_services, cw_metric_month)},
        {"sns/publish_million", offsetof(itype_services, sns_publish_million)},
        {"sns/http_million", offsetof(itype_services, sns_http_million)},
        {"sns/email_100k", offsetof(itype_services, sns_email_100k)},
        {"sns/sms", offsetof(itype_services, sns_sms)},
        {"lambda/request_million", offsetof(itype_services, lambda_request_million)},
        {"lambda/gb_second_x86_64", offsetof(itype_services, lambda_gb_second_x86_64)},
        {"lambda/gb_second_arm64", offsetof(itype_services, lambda_gb_second_arm64)},
        {"dynamodb/wru_million", offsetof(itype_services, ddb_wru_million)},
        {"dynamodb/rru_million", offsetof(itype_services, ddb_rru_million)},
        {"dynamodb/wcu_hour", offsetof(itype_services, ddb_wcu_hour)},
        {"dynamodb/rcu_hour", offsetof(itype_services, ddb_rcu_hour)},
        {"dynamodb/storage_gb_month", offsetof(itype_services, ddb_storage_gb_month)},
        {"s3/storage_gb_month", offsetof(itype_services, s3_storage_gb_month)},
        {"s3/put_thousand", offsetof(itype_services, s3_put_thousand)},
        {"s3/get_thousand", offsetof(itype_services, s3_get_thousand)},
        {"ebs/snapshot_gb_month", offsetof(itype_services, ebs_snapshot_gb_month)},
        {"ebs/gp3_gb_month", offsetof(itype_services, ebs_gp3_gb_month)},
        {"ebs/gp2_gb_month", offsetof(itype_services, ebs_gp2_gb_month)},
        {"cloudwatch/alarm_high_res_month", offsetof(itype_services, cw_alarm_high_res_month)},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(f[i].key, key) == 0)
            return *(const double *)(const void *)((const char *)s + f[i].off);
    return -1;
}

static void test_regions(void)
{
    ok(itype_region_count() >= 9, "%zu regions compiled in", itype_region_count());
    for (size_t i = 0; i < sizeof nine / sizeof nine[0]; i++)
        ok(itype_region_known(nine[i]), "%s is known", nine[i]);
    for (size_t i = 1; i < itype_region_count(); i++)
        ok(strcmp(itype_region_at(i - 1)->name, itype_region_at(i)->name) < 0, "regions sorted: %s < %s",
           itype_region_at(i - 1)->name, itype_region_at(i)->name);
    is_str(itype_regions_list(),
           "ap-northeast-1, ap-south-1, ap-southeast-2, eu-central-1, eu-west-1, us-east-1, us-east-2, us-west-1, us-west-2",
           "itype_regions_list names them, sorted");
    ok(itype_region_at(itype_region_count()) == NULL, "itype_region_at past the end is NULL");
}

static void test_unknown(void)
{
    const char *bad[] = {"us-west-3", "US-WEST-2", "us-west-2 ", "", "mars-north-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ok(!itype_region_known(bad[i]), "'%s' is unknown", bad[i]);
        ok(itype_catalog_find_in(bad[i], "c5.large") == NULL, "'%s': no c5.large price", bad[i]);
        ok(itype_services_in(bad[i]) == NULL, "'%s': no service prices", bad[i]);
        ok(itype_region_find(bad[i]) == NULL, "'%s': no table", bad[i]);
    }
    ok(!itype_region_known(NULL) && itype_catalog_find_in(NULL, "c5.large") == NULL, "NULL region is unknown");
    ok(itype_catalog_find_in("us-east-1", "c5.mega") == NULL, "unknown type in a known region: NULL");
    ok(!itype_price_unverified("us-west-3", "alb/hour"), "unknown region: nothing reported unverified");
}

static void test_every_region_prices_everything(void)
{
    for (size_t r = 0; r < itype_region_count(); r++) {
        const itype_region *reg = itype_region_at(r);
        int bad = 0;
        for (size_t i = 0; i < itype_catalog_count(); i++) {
            const scn_itype *c = itype_catalog_at(i);
            const scn_itype *t = itype_catalog_find_in(reg->name, c->name);
            if (!t || !(t->hourly_usd > 0) || t->hourly_usd > 100 || t->vcpus != c->vcpus || t->speed != c->speed) {
                printf("#   %s %s: %s\n", reg->name, c->name, t ? "price, vCPUs or speed wrong" : "missing");
                bad++;
            }
        }
        is_int(bad, 0, "%s: every catalog type priced (> 0), same vCPUs and speed as the catalog", reg->name);
        const itype_services *s = &reg->services;
        ok(s->alb_hour > 0 && s->alb_lcu_hour > 0 && s->cw_alarm_month > 0 && s->cw_metric_month > 0 &&
           s->sns_publish_million > 0 && s->sns_http_million > 0 && s->sns_email_100k > 0 && s->sns_sms > 0,
           "%s: every service price > 0", reg->name);
        ok(itype_services_in(reg->name) == s, "%s: itype_services_in finds them", reg->name);
        ok(reg->source && strlen(reg->source) > 10, "%s: has a source", reg->name);
        ok(reg->date && strlen(reg->date) == 10 && reg->date[4] == '-' && reg->date[7] == '-',
           "%s: has a date (%s)", reg->name, reg->date ? reg->date : "none");
    }
}

static void test_us_west_2_unchanged(void)
{
    is_int(itype_catalog_count(), N_BEFORE, "catalog still has %zu types", N_BEFORE);
    for (size_t i = 0; i < N_BEFORE; i++) {
        const scn_itype *t = itype_catalog_find_in("us-west-2", before[i].name);
        ok(t && t->hourly_usd == before[i].usd && t->vcpus == before[i].vcpus && t->speed == before[i].speed,
           "us-west-2 %s: %d vCPUs, speed %.2f, %.4f USD/h exactly as before", before[i].name,
           before[i].vcpus, before[i].speed, before[i].usd);
        ok(itype_catalog_find(before[i].name) == t, "itype_catalog_find(%s) is the us-west-2 entry", before[i].name);
        ok(itype_catalog_at(i) == t, "itype_catalog_at(%zu) keeps the catalog order (%s)", i, before[i].name);
    }
    ok(itype_catalog_find("c5.mega") == NULL && itype_catalog_at(N_BEFORE) == NULL, "out of catalog: NULL");
    const itype_services *s = itype_services_in("us-west-2");
    ok(s && s->alb_hour == 0.0225 && s->cw_alarm_month == 0.10 && s->cw_metric_month == 0.30 &&
       s->sns_publish_million == 0.50 && s->sns_http_million == 0.60 && s->sns_email_100k == 2.00 && s->sns_sms == 0.00645,
       "us-west-2 services equal today's constants (cost.h, control.c, sns.c)");
}

/* Each compiled figure equals the one in data/prices/REGION.csv, and every file there is compiled in. */
static void test_files_agree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!ok(d != NULL, "open %s", dir))
        return;
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        files++;
        char region[64], path[4096], line[1024];
        snprintf(region, sizeof region, "%.*s", (int)(len - 4), e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        const itype_region *reg = itype_region_find(region);
        if (!ok(reg != NULL, "%s is compiled in", e->d_name))
            continue;
        FILE *f = fopen(path, "r");
        if (!ok(f != NULL, "read %s", path))
            continue;
        int rows = 0, bad = 0, unverified = 0, header = 0;
        while (fgets(line, sizeof line, f)) {
            if (line[0] == '#')
                continue;
            if (!header) {
                header = strncmp(line, "item,usd,status,note", 20) == 0;
                continue;
            }
            char *key = strtok(line, ","), *usd = strtok(NULL, ","), *status = strtok(NULL, ",");
            if (!key || !usd || !status) {
                bad++;
                continue;
            }
            rows++;
            double want = strtod(usd, NULL), got;
            if (strncmp(key, "ec2/", 4) == 0) {
                const scn_itype *t = itype_catalog_find_in(region, key + 4);
                got = t ? t->hourly_usd : -1;
            } else {
                got = service(&reg->services, key);
            }
            int unv = strcmp(status, "unverified") == 0;
            unverified += unv;
            if (got != want || unv != itype_price_unverified(region, key)) {
                printf("#   %s %s: file %s (%s), compiled %.9g (%s)\n", region, key, usd, status, got,
                       itype_price_unverified(region, key) ? "unverified" : "confirmed");
                bad++;
            }
        }
        fclose(f);
        ok(header, "%s: has the header row", e->d_name);
        is_int(rows, (int)(ITYPE_N + 23), "%s: one row per catalog type and per service item", e->d_name);
        is_int(bad, 0, "%s: every compiled figure and status equals the file's", e->d_name);
        size_t n_unv = 0;
        while (reg->unverified[n_unv])
            n_unv++;
        is_int(n_unv, unverified, "%s: %d figures marked unverified, as in the binary", e->d_name, unverified);
    }
    closedir(d);
    is_int(files, itype_region_count(), "as many region files in %s as regions compiled in", dir);
}

int main(int argc, char **argv)
{
    test_regions();
    test_unknown();
    test_every_region_prices_everything();
    test_us_west_2_unchanged();
    if (argc > 1)
        test_files_agree(argv[1]);
    else
        tap_diag("no data/prices directory given: file comparison skipped");
    return tap_done();
}
