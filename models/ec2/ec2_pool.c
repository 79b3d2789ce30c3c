/*
 * ec2_pool.c - an EC2 capacity pool (aws-semantics 1.8, 5.1, 5.2).
 *
 * Price: piecewise constant, a series of (from, USD/h) built once at
 * construction (a random walk is drawn then, from the pool's own stream, so
 * the launches of the run never shift it). Billing integrates that series
 * per second with the 60 s minimum (stats/cost.c).
 *
 * Interruptions: a Spot pool's per-instance hazard h (per hour) comes from
 * the monthly fraction m (a band's midpoint or an explicit rate) as
 * h = -ln(1 - m) / 720 h, so that an instance running 30 days is interrupted
 * with probability m. The notice time of an instance is Exp(h), drawn when it
 * enters running (the hazard is memoryless, so drawing early changes
 * nothing).
 */
#include "models/ec2/ec2_pool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "stats/cost.h"

const char *const ec2pool_band_names[] = {"<5%", "5-10%", "10-15%", "15-20%", ">20%", NULL};

#define MONTH_HOURS 720.0 /* the Advisor's "per month": 30 days */

typedef struct ice_win {
    sim_time_t from, to;
    int pct;
} ice_win;

struct ec2_pool {
    sim *s;
    const scn_itype *type;
    char az[32];
    ec2pool_market market;
    gsl_rng *rng;              /* "spot.<group>/<type>/<az>" (Spot) or "od.<group>/<type>/<az>" */
    sim_time_t *at;            /* the price series: at[0] = 0, strictly increasing */
    double *usd;
    size_t n;
    double hazard;             /* per instance-hour */
    int capacity;              /* -1: no cap */
    sim_dist lead;
    ice_win *ice;
    size_t n_ice, cap_ice;
    sim_time_t *waves;
    size_t n_waves;
    double wave_fraction;
};

static int band_of_monthly(double m)
{
    return m < 0.05 ? 0 : m < 0.10 ? 1 : m < 0.15 ? 2 : m < 0.20 ? 3 : 4;
}

static int cmp_time(const void *a, const void *b)
{
    sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;
    return x < y ? -1 : x > y;
}

static bool push_price(ec2_pool *p, size_t *cap, sim_time_t at, double usd)
{
    if (p->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        sim_time_t *a = realloc(p->at, nc * sizeof *a);
        if (!a)
            return false;
        p->at = a;
        double *u = realloc(p->usd, nc * sizeof *u);
        if (!u)
            return false;
        p->usd = u;
        *cap = nc;
    }
    p->at[p->n] = at;
    p->usd[p->n] = usd;
    p->n++;
    return true;
}

static bool build_price(ec2_pool *p, const ec2pool_cfg *c, sim_time_t until)
{
    size_t cap = 0;
    double od = p->type->hourly_usd;
    if (p->market == EC2POOL_ON_DEMAND || !c)
        return push_price(p, &cap, 0, p->market == EC2POOL_ON_DEMAND ? od : 0.38 * od);
    switch (c->price_kind) {
    case EC2POOL_PRICE_RATIO: return push_price(p, &cap, 0, c->price_ratio * od);
    case EC2POOL_PRICE_CONSTANT: return push_price(p, &cap, 0, c->price);
    case EC2POOL_PRICE_TRACE:
        for (size_t k = 0; k < c->n_trace; k++)
            if (!push_price(p, &cap, c->trace_at[k], c->trace_usd[k]))
                return false;
        return p->n > 0 || push_price(p, &cap, 0, 0.38 * od);
    case EC2POOL_PRICE_WALK: {
        /* A multiplicative walk with log-normal steps, clamped to [walk_min, walk_max] x On-Demand. */
        double r = c->price_ratio;
        sim_time_t step = c->walk_step > 0 ? c->walk_step : SIM_HOUR;
        for (sim_time_t t = 0; t < until || t == 0; t += step) {
            if (t > 0)
                r *= exp(gsl_ran_gaussian(p->rng, c->walk_sd));
            if (r < c->walk_min)
                r = c->walk_min;
            if (r > c->walk_max)
                r = c->walk_max;
            if (!push_price(p, &cap, t, r * od))
                return false;
        }
        return true;
    }
    }
    return false;
}

static bool build_waves(ec2_pool *p, const ec2pool_cfg *c, sim_time_t until)
{
    if (!c || p->market != EC2POOL_SPOT)
        return true;
    size_t cap = c->n_wave_at + 8;
    p->waves = malloc(cap * sizeof *p->waves);
    if (!p->waves)
        return false;
    for (size_t k = 0; k < c->n_wave_at; k++)
        p->waves[p->n_waves++] = c->wave_at[k];
    if (c->wave_every > 0) {
        double mean = sim_to_sec(c->wave_every);
        for (sim_time_t t = sim_from_sec(gsl_ran_exponential(p->rng, mean)); t < until;
             t += sim_from_sec(gsl_ran_exponential(p->rng, mean))) {
            if (p->n_waves == cap) {
                cap *= 2;
                sim_time_t *w = realloc(p->waves, cap * sizeof *w);
                if (!w)
                    return false;
                p->waves = w;
            }
            p->waves[p->n_waves++] = t;
        }
    }
    qsort(p->waves, p->n_waves, sizeof *p->waves, cmp_time);
    p->wave_fraction = c->wave_fraction;
    return true;
}

ec2_pool *ec2pool_new(sim *s, const char *owner, const scn_itype *type, const char *az, ec2pool_market market,
                      const ec2pool_cfg *cfg, sim_time_t until)
{
    if (!s || !type || !az)
        return NULL;
    ec2_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->s = s;
    p->type = type;
    snprintf(p->az, sizeof p->az, "%s", az);
    p->market = market;
    p->capacity = cfg ? cfg->capacity : -1;
    char name[SCN_STREAM_SIZE + 64];
    snprintf(name, sizeof name, "%s.%.200s/%s/%s", market == EC2POOL_SPOT ? "spot" : "od", owner ? owner : "",
             type->name, az);
    p->rng = sim_rng(s, name);
    if (!p->rng)
        goto bad;
    if (market == EC2POOL_SPOT) {
        double m = cfg ? cfg->monthly_rate : 0.025;
        p->hazard = m > 0 && m < 1 ? -log1p(-m) / MONTH_HOURS : m >= 1 ? INFINITY : 0;
        p->lead = cfg ? cfg->rebalance_lead : (sim_dist){.kind = SIM_DIST_CONSTANT, .a = 0};
    }
    if (!build_price(p, cfg, until) || !build_waves(p, cfg, until))
        goto bad;
    if (cfg)
        for (size_t k = 0; k < cfg->n_ice; k++)
            if (ec2pool_block(p, cfg->ice[k][0], cfg->ice[k][1], 100) != 0)
                goto bad;
    return p;
bad:
    ec2pool_free(p);
    return NULL;
}

void ec2pool_free(ec2_pool *p)
{
    if (!p)
        return;
    free(p->at);
    free(p->usd);
    free(p->ice);
    free(p->waves);
    free(p);
}

const scn_itype *ec2pool_type(const ec2_pool *p) { return p->type; }
const char *ec2pool_az(const ec2_pool *p) { return p->az; }
ec2pool_market ec2pool_get_market(const ec2_pool *p) { return p->market; }

double ec2pool_price(const ec2_pool *p, sim_time_t t)
{
    size_t k = 0;
    while (k + 1 < p->n && p->at[k + 1] <= t)
        k++;
    return p->n ? p->usd[k] : 0;
}

size_t ec2pool_n_prices(const ec2_pool *p) { return p->n; }
sim_time_t ec2pool_price_from(const ec2_pool *p, size_t k) { return k < p->n ? p->at[k] : -1; }

double ec2pool_cost(const ec2_pool *p, sim_time_t from, sim_time_t to)
{
    return cost_ec2_usd_series(p->at, p->usd, p->n, from, to);
}

double ec2pool_hazard(const ec2_pool *p) { return p->hazard; }

int ec2pool_band(const ec2_pool *p)
{
    if (p->market != EC2POOL_SPOT)
        return 0;
    return band_of_monthly(p->hazard > 0 ? -expm1(-p->hazard * MONTH_HOURS) : 0);
}

bool ec2pool_available(ec2_pool *p, sim_time_t now, int in_use)
{
    if (p->capacity >= 0 && in_use >= p->capacity)
        return false;
    for (size_t k = 0; k < p->n_ice; k++)
        if (now >= p->ice[k].from && now < p->ice[k].to &&
            (p->ice[k].pct >= 100 || gsl_rng_uniform(p->rng) * 100.0 < p->ice[k].pct))
            return false;
    return true;
}

int ec2pool_block(ec2_pool *p, sim_time_t from, sim_time_t to, int percentage)
{
    if (!p || to <= from || percentage < 1 || percentage > 100)
        return -1;
    if (p->n_ice == p->cap_ice) {
        size_t nc = p->cap_ice ? 2 * p->cap_ice : 4;
        ice_win *w = realloc(p->ice, nc * sizeof *w);
        if (!w)
            return -1;
        p->ice = w;
        p->cap_ice = nc;
    }
    p->ice[p->n_ice++] = (ice_win){from, to, percentage};
    return 0;
}

size_t ec2pool_n_window_ends(const ec2_pool *p) { return p->n_ice; }
sim_time_t ec2pool_window_end(const ec2_pool *p, size_t k) { return k < p->n_ice ? p->ice[k].to : -1; }

sim_time_t ec2pool_draw_notice(ec2_pool *p)
{
    if (p->market != EC2POOL_SPOT || !(p->hazard > 0))
        return -1;
    if (isinf(p->hazard))
        return 0;
    double hours = gsl_ran_exponential(p->rng, 1.0 / p->hazard);
    if (hours > 400.0 * 24.0)
        return -1; /* beyond any run fleetsim accepts */
    return sim_from_sec(hours * 3600.0);
}

sim_time_t ec2pool_draw_lead(ec2_pool *p)
{
    if (p->market != EC2POOL_SPOT)
        return 0;
    double x = sim_dist_sample(&p->lead, p->rng);
    return x > 0 ? sim_from_sec(x) : 0;
}

size_t ec2pool_n_waves(const ec2_pool *p) { return p->n_waves; }
sim_time_t ec2pool_wave_at(const ec2_pool *p, size_t k) { return k < p->n_waves ? p->waves[k] : -1; }
double ec2pool_wave_fraction(const ec2_pool *p) { return p->wave_fraction; }
double ec2pool_uniform(ec2_pool *p) { return gsl_rng_uniform(p->rng); }
