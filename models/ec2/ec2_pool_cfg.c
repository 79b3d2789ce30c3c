/*
 * ec2_pool_cfg.c - a capacity pool's law as a scenario writes it: the
 * group's fleetsim.spot block (every Spot pool) and fleetsim.pools entries
 * (one type and/or zone, Spot or On-Demand). aws-semantics 1.8, 5.2.
 */
#include "models/ec2/ec2_pool_cfg.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ld_key walk_keys[] = {
    {.name = "step", .kind = LD_DUR, .def = "1h", .lo = "1s", .hi = "400d", .source = "fleetsim (aws-semantics 5.2: prices move gradually)",
     .doc = "a new price every step"},
    {.name = "sd", .kind = LD_NUM, .def = "0.05", .lo = "0", .hi = "1", .source = "fleetsim: not documented by AWS",
     .doc = "standard deviation of the log of one step's price ratio"},
    {.name = "min_ratio", .kind = LD_NUM, .def = "0.1", .lo = "0", .hi = "10", .flags = LD_LO_OPEN,
     .source = "fleetsim (5.2: discounts reach up to 90 %)", .doc = "the lowest price, as a fraction of On-Demand"},
    {.name = "max_ratio", .kind = LD_NUM, .def = "1", .lo = "0", .hi = "10", .flags = LD_LO_OPEN,
     .source = "fleetsim (5.2: the default maximum price is On-Demand)", .doc = "the highest price, as a fraction of On-Demand"},
    {.name = NULL},
};

static const ld_key wave_keys[] = {
    {.name = "at", .kind = LD_LIST, .hi = "1000", .source = "fleetsim (what-if)", .doc = "durations from t = 0: a wave at each"},
    {.name = "mean_interval", .kind = LD_DUR, .lo = "1s", .hi = "400d", .source = "fleetsim: not documented by AWS",
     .doc = "random waves, exponential intervals with this mean (unset: none)"},
    {.name = "fraction", .kind = LD_NUM, .def = "0.5", .lo = "0", .hi = "1", .flags = LD_LO_OPEN,
     .source = "fleetsim: not documented by AWS", .doc = "share of the pool's running instances one wave reclaims (rounded up)"},
    {.name = NULL},
};

static const ld_key ice_keys[] = {
    {.name = "from", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED, .source = "fleetsim (what-if)",
     .doc = "the window's start"},
    {.name = "to", .kind = LD_DUR, .lo = "0s", .hi = "400d", .flags = LD_REQUIRED, .source = "fleetsim (what-if)",
     .doc = "the window's end (after from)"},
    {.name = NULL},
};

static const char *const markets[] = {"on-demand", "spot", NULL};

/* The rows shared by both tables; D(x) is the default in fleetsim.spot, none in an entry (it inherits). */
#define POOL_ROWS(D)                                                                                                   \
    {.name = "price", .kind = LD_MONEY, .source = "fleetsim (aws-semantics 5.2: you pay the current Spot price)",     \
     .doc = "a constant Spot price, USD per instance-hour (conflicts with price_ratio, price_trace, price_walk)"},      \
    {.name = "price_ratio", .kind = LD_NUM, .def = D("0.38"), .lo = "0", .hi = "10", .flags = LD_LO_OPEN,            \
     .source = "fleetsim (5.2/5.3: c5.large Spot 0.0322 / On-Demand 0.085 USD/h, us-west-2a, March 2020)",           \
     .doc = "the Spot price as a fraction of the type's On-Demand price (the walk's start with price_walk)"},          \
    {.name = "price_trace", .kind = LD_STR, .hi = "4095", .source = "fleetsim",                                        \
     .doc = "a CSV of time,price rows (seconds from t = 0, increasing; USD/h), relative to the scenario's directory"}, \
    {.name = "price_walk", .kind = LD_BLOCK, .block = walk_keys, .source = "fleetsim",                                \
     .doc = "a random walk of the price ratio from price_ratio, drawn from the pool's stream"},                        \
    {.name = "interruption_band", .kind = LD_ENUM, .def = D("<5%"), .values = ec2pool_band_names,                     \
     .source = "Spot Instance Advisor bands (aws-semantics 5.2); the band's midpoint is used (>20%: 25 %)",           \
     .doc = "frequency of interruption, per month (conflicts with interruption_rate)"},                                \
    {.name = "interruption_rate", .kind = LD_NUM, .lo = "0", .hi = "1", .source = "fleetsim",                         \
     .doc = "share of instances interrupted per 30 days of running (0..1)"},                                          \
    {.name = "rebalance_lead", .kind = LD_DIST, .def = D("10m"),                                                      \
     .source = "fleetsim: not documented by AWS (5.2: earlier than the notice, or with it)",                          \
     .doc = "how long the rebalance recommendation comes before the 2-minute notice (0s: together)"},                 \
    {.name = "capacity", .kind = LD_INT, .lo = "0", .hi = "10000", .source = "fleetsim (what-if)",                    \
     .doc = "the most of the group's instances the pool holds at once (unset: no limit)"},                            \
    {.name = "reclaim_waves", .kind = LD_BLOCK, .block = wave_keys, .source = "fleetsim (issue 8: correlated reclaims)", \
     .doc = "interruptions that take a share of the pool at once"},                                                   \
    {.name = "insufficient_capacity", .kind = LD_BLOCK, .block = ice_keys, .hi = "100", .source = "fleetsim (what-if; EC2 InsufficientInstanceCapacity)", \
     .doc = "windows in which every launch into the pool fails (a block or a list of blocks)"},

#define DEF_ON(x) x
#define DEF_OFF(x) NULL

const ld_key ec2pool_keys[] = {POOL_ROWS(DEF_ON){.name = NULL}};

const ld_key ec2pool_entry_keys[] = {
    {.name = "instance_type", .kind = LD_STR, .hi = "31", .source = "fleetsim", .doc = "the pool's type (unset: every type of the group)"},
    {.name = "availability_zone", .kind = LD_STR, .hi = "31", .source = "fleetsim", .doc = "the pool's zone (unset: every zone of the group)"},
    {.name = "market", .kind = LD_ENUM, .def = "spot", .values = markets, .source = "fleetsim",
     .doc = "spot, or on-demand (then only capacity and insufficient_capacity apply)"},
    POOL_ROWS(DEF_OFF){.name = NULL},
};

/* Midpoints of the Advisor bands, per month. */
static const double band_mid[EC2POOL_N_BANDS] = {0.025, 0.075, 0.125, 0.175, 0.25};

/* One CSV field as a number (an optional '$' before a price). */
static bool field_num(const char *f, double *out)
{
    if (*f == '$')
        f++;
    return ld_parse_number(f, out);
}

/* Reads time,price rows: '#' comments and blank lines skipped, a first row starting with a letter is a header. Errors name the CSV's line:col. */
static void load_trace(loader *v, const scn_node *fn, ec2pool_cfg *c)
{
    char path[4096], dir[2048], b1[96];
    if (fn->str[0] == '/')
        snprintf(path, sizeof path, "%s", fn->str);
    else {
        ld_dir_of(v->c.file ? v->c.file : "", dir, sizeof dir);
        snprintf(path, sizeof path, "%s%s", dir, fn->str);
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        scn_err(&v->c, fn, "'price_trace': cannot open %s: %s", scn_clip(b1, sizeof b1, path), strerror(errno));
        return;
    }
    char line[512];
    long ln = 0;
    size_t cap = 0;
    bool first = true, bad = false;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (first && isalpha((unsigned char)*p)) {
            first = false;
            continue;
        }
        first = false;
        char *comma = strchr(p, ',');
        double t = 0, usd = 0;
        if (comma)
            *comma = '\0';
        if (!ld_parse_number(p, &t) || t < 0) {
            scn_err(&v->c, fn, "%s:%ld:%ld: expected a time in seconds (a number >= 0), found '%s'", fn->str, ln,
                    (long)(p - line) + 1, scn_clip(b1, sizeof b1, p));
            bad = true;
            break;
        }
        char *q = comma ? comma + 1 : NULL;
        while (q && (*q == ' ' || *q == '\t'))
            q++;
        if (!q || !field_num(q, &usd) || !(usd > 0)) {
            scn_err(&v->c, fn, "%s:%ld:%ld: expected a price in USD per hour (a number > 0), found '%s'", fn->str, ln,
                    q ? (long)(q - line) + 1 : (long)strlen(p) + 1, q ? scn_clip(b1, sizeof b1, q) : "");
            bad = true;
            break;
        }
        sim_time_t at = sim_from_sec(t);
        if (c->n_trace > 0 && at <= c->trace_at[c->n_trace - 1]) {
            scn_err(&v->c, fn, "%s:%ld:1: times must increase (%g s is not after the row before)", fn->str, ln, t);
            bad = true;
            break;
        }
        if (c->n_trace == cap) {
            cap = cap ? 2 * cap : 16;
            sim_time_t *a = realloc(c->trace_at, cap * sizeof *a);
            double *u = a ? realloc(c->trace_usd, cap * sizeof *u) : NULL;
            if (a)
                c->trace_at = a;
            if (!a || !u) {
                scn_err(&v->c, fn, "out of memory");
                bad = true;
                break;
            }
            c->trace_usd = u;
        }
        c->trace_at[c->n_trace] = at;
        c->trace_usd[c->n_trace] = usd;
        c->n_trace++;
    }
    fclose(f);
    if (c->n_trace == 0 && !bad)
        scn_err(&v->c, fn, "'price_trace': %s has no price rows", scn_clip(b1, sizeof b1, fn->str));
}

static void load_waves(loader *v, const ld_sect *s, ec2pool_cfg *c)
{
    char what[512];
    ld_sect w;
    if (!ld_block(s, "reclaim_waves", &w, what, sizeof what))
        return;
    free(c->wave_at);
    c->wave_at = NULL;
    c->n_wave_at = 0;
    c->wave_every = 0;
    c->wave_fraction = 0.5;
    ld_num(&w, "fraction", &c->wave_fraction);
    ld_dur(&w, "mean_interval", &c->wave_every);
    const scn_node *at = ld_seq(&w, "at", "durations");
    if (!at || !at->n)
        return;
    if (!(c->wave_at = calloc(at->n, sizeof *c->wave_at))) {
        scn_err(&v->c, at, "out of memory");
        return;
    }
    for (size_t k = 0; k < at->n; k++) {
        sim_time_t t = 0;
        if (ld_dur_value(&w, at->kids[k], "at", &t) > 0)
            c->wave_at[c->n_wave_at++] = t;
    }
}

static void load_ice(loader *v, const ld_sect *s, ec2pool_cfg *c)
{
    char what[512];
    const scn_node *n = ld_sect_get(s, "insufficient_capacity");
    if (!n)
        return;
    size_t cnt = n->kind == SCN_N_SEQ ? n->n : 1;
    if (n->kind != SCN_N_SEQ && n->kind != SCN_N_MAP) {
        scn_err(&v->c, n, "'insufficient_capacity': expected a block or a sequence of blocks, found %s", scn_kind_name(n));
        return;
    }
    free(c->ice);
    c->n_ice = 0;
    if (!(c->ice = calloc(cnt, sizeof *c->ice))) {
        scn_err(&v->c, n, "out of memory");
        return;
    }
    for (size_t k = 0; k < cnt; k++) {
        const scn_node *e = n->kind == SCN_N_SEQ ? n->kids[k] : n;
        snprintf(what, sizeof what, "'insufficient_capacity' of %.400s", s->what);
        ld_sect w;
        if (!ld_sect_open(v, &w, e, e, what))
            continue;
        ld_sect_check(&w, ice_keys);
        sim_time_t from = 0, to = 0;
        int rf = ld_dur(&w, "from", &from), rt = ld_dur(&w, "to", &to);
        if (rf > 0 && rt > 0 && to <= from) {
            scn_err(&v->c, ld_sect_get(&w, "to"), "'to' must be after 'from'");
            continue;
        }
        if (rf > 0 && rt > 0) {
            c->ice[c->n_ice][0] = from;
            c->ice[c->n_ice][1] = to;
            c->n_ice++;
        }
    }
}

/* A deep copy of base's arrays into c (an entry starts from the group's defaults). */
static void copy_base(ec2pool_cfg *c, const ec2pool_cfg *base)
{
    *c = *base;
    c->trace_at = NULL;
    c->trace_usd = NULL;
    c->n_trace = 0;
    c->lead_values = NULL;
    c->wave_at = NULL;
    c->n_wave_at = 0;
    c->ice = NULL;
    c->n_ice = 0;
    if (base->n_trace && (c->trace_at = malloc(base->n_trace * sizeof *c->trace_at)) &&
        (c->trace_usd = malloc(base->n_trace * sizeof *c->trace_usd))) {
        memcpy(c->trace_at, base->trace_at, base->n_trace * sizeof *c->trace_at);
        memcpy(c->trace_usd, base->trace_usd, base->n_trace * sizeof *c->trace_usd);
        c->n_trace = base->n_trace;
    }
    if (base->lead_values && base->rebalance_lead.n_values &&
        (c->lead_values = malloc(base->rebalance_lead.n_values * sizeof *c->lead_values))) {
        memcpy(c->lead_values, base->lead_values, base->rebalance_lead.n_values * sizeof *c->lead_values);
        c->rebalance_lead.values = c->lead_values;
    }
    if (base->n_wave_at && (c->wave_at = malloc(base->n_wave_at * sizeof *c->wave_at))) {
        memcpy(c->wave_at, base->wave_at, base->n_wave_at * sizeof *c->wave_at);
        c->n_wave_at = base->n_wave_at;
    }
    /* insufficient_capacity windows belong to the block that names them: not inherited */
}

void ec2pool_cfg_load(loader *v, const ld_sect *s, const ec2pool_cfg *base, bool entry, ec2pool_cfg *c,
                      ec2pool_market *market)
{
    ld_sect b = *s, w;
    char what[512];
    ld_sect_check(&b, entry ? ec2pool_entry_keys : ec2pool_keys);
    if (base) {
        copy_base(c, base);
    } else {
        ec2pool_cfg_default(c);
    }
    if (entry) {
        ld_str(&b, "instance_type", c->itype, sizeof c->itype, NULL);
        const scn_node *azn = NULL;
        if (ld_str(&b, "availability_zone", c->az, sizeof c->az, &azn) > 0)
            ld_check_az(v, azn, c->az);
        int mk = EC2POOL_SPOT;
        ld_enum(&b, "market", &mk, NULL);
        *market = (ec2pool_market)mk;
        if (mk == EC2POOL_ON_DEMAND) {
            static const char *const spot_only[] = {"price", "price_ratio", "price_trace", "price_walk",
                                                    "interruption_band", "interruption_rate", "rebalance_lead",
                                                    "reclaim_waves", NULL};
            for (const char *const *k = spot_only; *k; k++)
                if (ld_sect_key(&b, *k))
                    scn_err(&v->c, ld_sect_key(&b, *k), "'%s' applies to Spot pools only (this entry has market: "
                            "on-demand)", *k);
        }
    } else if (market) {
        *market = EC2POOL_SPOT;
    }
    /* price law: one of price, price_trace, price_walk (which starts at price_ratio) */
    const char *laws[] = {"price", "price_trace", "price_walk"};
    const scn_node *law = NULL;
    for (int k = 0; k < 3; k++) {
        const scn_node *kn = ld_sect_key(&b, laws[k]);
        if (kn && law) {
            scn_err(&v->c, kn, "give one of 'price', 'price_trace' and 'price_walk'");
            break;
        }
        law = law ? law : kn;
    }
    if (ld_sect_key(&b, "price_ratio") && (ld_sect_key(&b, "price") || ld_sect_key(&b, "price_trace")))
        scn_err(&v->c, ld_sect_key(&b, "price_ratio"), "'price_ratio' conflicts with 'price' and 'price_trace'");
    if (ld_num(&b, "price_ratio", &c->price_ratio) > 0 && !ld_sect_key(&b, "price_walk"))
        c->price_kind = EC2POOL_PRICE_RATIO;
    if (ld_get_money(&b, "price", false, &c->price) > 0) {
        if (!(c->price > 0))
            scn_err(&v->c, ld_sect_get(&b, "price"), "'price' must be more than $0");
        c->price_kind = EC2POOL_PRICE_CONSTANT;
    }
    const scn_node *tn = NULL;
    if (ld_str(&b, "price_trace", NULL, 0, &tn) > 0) {
        free(c->trace_at);
        free(c->trace_usd);
        c->trace_at = NULL;
        c->trace_usd = NULL;
        c->n_trace = 0;
        c->price_kind = EC2POOL_PRICE_TRACE;
        load_trace(v, tn, c);
    }
    if (ld_block(&b, "price_walk", &w, what, sizeof what)) {
        c->price_kind = EC2POOL_PRICE_WALK;
        c->walk_step = SIM_HOUR;
        c->walk_sd = 0.05;
        c->walk_min = 0.1;
        c->walk_max = 1;
        ld_dur(&w, "step", &c->walk_step);
        ld_num(&w, "sd", &c->walk_sd);
        ld_num(&w, "min_ratio", &c->walk_min);
        ld_num(&w, "max_ratio", &c->walk_max);
        if (c->walk_min > c->walk_max)
            scn_err(&v->c, ld_sect_get(&w, "max_ratio"), "'max_ratio' must be at least 'min_ratio'");
    }
    /* interruption law */
    if (ld_sect_key(&b, "interruption_band") && ld_sect_key(&b, "interruption_rate"))
        scn_err(&v->c, ld_sect_key(&b, "interruption_rate"), "give 'interruption_band' or 'interruption_rate', not both");
    int band = c->band < 0 ? 0 : c->band;
    int rb = ld_enum(&b, "interruption_band", &band, NULL);
    if (rb > 0 || (!base && rb == 0)) {
        c->band = band;
        c->monthly_rate = band_mid[band];
    }
    double rate = c->monthly_rate;
    if (ld_num(&b, "interruption_rate", &rate) > 0) {
        c->band = -1;
        c->monthly_rate = rate;
    }
    if (ld_sect_get(&b, "rebalance_lead")) {
        free(c->lead_values);
        c->lead_values = NULL;
        ld_dist(&b, "rebalance_lead", &c->rebalance_lead, &c->lead_values);
    }
    long long cap = c->capacity;
    if (ld_int(&b, "capacity", &cap) > 0)
        c->capacity = (int)cap;
    load_waves(v, &b, c);
    load_ice(v, &b, c);
}

void ec2pool_cfg_default(ec2pool_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->price_kind = EC2POOL_PRICE_RATIO;
    c->price_ratio = 0.38;
    c->band = 0;
    c->monthly_rate = band_mid[0];
    c->rebalance_lead = (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 600}; /* the table's "10m" */
    c->capacity = -1;
    c->wave_fraction = 0.5;
}

void ec2pool_cfg_free(ec2pool_cfg *c)
{
    free(c->trace_at);
    free(c->trace_usd);
    free(c->lead_values);
    free(c->wave_at);
    free(c->ice);
}
