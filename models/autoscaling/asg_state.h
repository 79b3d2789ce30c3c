/*
 * asg_state.h - the state of an Auto Scaling group and of its instances, for
 * asg.c and the files that each hold one part of the group's behaviour
 * (termination_policy.c). Not an interface for other models: they use asg.h.
 *
 * Prefix: asg_state_ (and asg_ for what asg.c defines).
 */
#ifndef FLEETSIM_ASG_STATE_H
#define FLEETSIM_ASG_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/autoscaling/asg.h"
#include "models/autoscaling/mixed_policy.h"
#include "models/core/api_script.h"
#include "models/core/build.h"
#include "models/ec2/ec2_pool.h"
#include "models/elb/alb.h"
#include "stats/histogram.h"

typedef enum ist { ST_PENDING, ST_IN_SERVICE, ST_TERMINATING, ST_TERMINATED, ST_PENDING_WAIT, ST_TERMINATING_WAIT } ist;

typedef struct ainst {
    struct asg *g;
    int serial;               /* launch order; the id's number */
    char id[SCN_ID_SIZE];
    int az;                   /* index into the group's zones */
    ist state;
    ec2_instance *ec2;        /* NULL while EC2-pending */
    int gen;                  /* launch template generation it was launched with */
    sim_time_t requested;     /* launch time (Pending) */
    sim_time_t running_at;    /* entered running; -1 while EC2-pending */
    sim_time_t in_service_at; /* -1 until InService */
    sim_time_t boot_os_app;   /* drawn at launch: running -> InService */
    sim_evid ev;              /* the pending boot step */
    bool prot;                /* protected from scale-in */
    bool unhealthy;           /* marked Unhealthy by the group */
    bool repl_new;            /* launched to replace an ELB-unhealthy instance, not yet settled */
    bool rebalance;           /* launched by AZ rebalancing, not yet InService */
    bool counted;             /* a launch / drain activity is counted for it */
    bool deployed;            /* InService at t = 0 (the deployed stack): never warming */
    bool tracked;             /* counted in the group's n_state / zone_live / live_units (set_state) */
    int drains_left;          /* target groups still draining it */
    int lt;                   /* the launch template it was launched from */
    as_run *script;           /* its boot script while it runs, else NULL */
    sim_time_t script_start;  /* when it started */
    bool lost;                /* left running without the group terminating it (crash, az_outage, ec2:TerminateInstances): no terminate hook runs */
    bool replace;             /* a health replacement: its replacement launches once it is Terminated (1.3, 11.8) */
    /* the lifecycle-hook wait it is in (state Pending:Wait or Terminating:Wait) */
    size_t hook_k;            /* index into the group's hooks */
    char token[40];           /* LifecycleActionToken; "" when not waiting */
    sim_time_t hb_deadline, global_deadline;
    sim_evid wait_ev;
    /* metric snapshots at the last asg_sample call (time, value) */
    sim_time_t cpu_t, in_t, out_t;
    int64_t cpu_busy;
    uint64_t in_served, out_served;
    /* capacity (aws-semantics 1.8, 5.2) */
    int offer;                /* index into the group's offers (launch template overrides) */
    int weight;               /* capacity units */
    ec2_pool *pool;           /* the pool it was launched into */
    sim_evid spot_ev;         /* its next interruption step */
    int spot_stage;           /* 0 rebalance, 1 notice, 2 reclaim: the step spot_ev runs */
    sim_time_t notice_at;     /* -1: no interruption coming */
    bool interrupting;        /* an interruption is under way (FIS or a wave): no second one */
    bool reclaimed;           /* EC2 took it back */
    struct ainst *cr_new;     /* its Capacity Rebalancing replacement, until that is InService */
    struct ainst *cr_old;     /* (on the replacement) the instance it replaces */
    sim_time_t signal_at;     /* (on a Spot replacement) when the signal it answers came (recommendation, notice or reclaim); -1 */
} ainst;

struct asg {
    sim *s;
    const scenario *sc;
    const scn_asg *cfg;
    size_t index;
    events_log *ev;
    tg **tgs;                 /* the group's target groups (borrowed) */
    size_t n_tgs;
    gsl_rng *boot, *term;
    asg_ec2_fn on_ec2;
    void *on_ec2_ctx;
    int min, max, desired;
    int lt;                   /* current launch template */
    int gen;                  /* its generation (instance refresh bumps it) */
    ainst **insts;
    size_t n_insts, cap_insts;
    char (*zones)[32];
    size_t n_zones;
    bool *zone_down;          /* under an az_outage: launches there fail */
    /* Kept by set_state so launches, zone balancing and InService tracking need no scan of every
       instance ever launched (a scan per launch made building a 20,000-instance group quadratic). */
    int n_state[ST_TERMINATING_WAIT + 1]; /* instances per state */
    int *zone_live;           /* per zone: live instances (Pending, Pending:Wait, InService) */
    int live_units;           /* capacity units of the live instances */
    int activities;           /* launches + drains in progress */
    sim_time_t last_activity_end; /* -1: none yet */
    bool listener_armed;
    void (*act_fn)(void *ctx, asg *g);
    void *act_ctx;
    void (*notify_fn)(void *ctx, asg *g, unsigned what, const char *instance_id);
    void *notify_ctx;
    int repl_debt;            /* ELB replacements terminated, their launch not yet started */
    bool held_logged;         /* "replacement held" logged for this episode */
    bool protect_logged;      /* "protected from scale-in" logged for this shortfall */
    int rebalance_pending;    /* rebalance launches not yet InService */
    struct {                  /* asg_after_cooldown's wait for activities to end; h NULL: none */
        sim_handler h;
        void *obj;
        uint64_t arg;
    } cooldown_wait;
    struct {
        bool active;
        int cutoff;           /* instances with serial < cutoff are replaced */
        int total;            /* old instances at the start */
        int last_pct;
        int min_healthy;
        sim_time_t warmup;
        sim_time_t wait_until;/* next check scheduled for this time (-1 none) */
    } refresh;
    double in_bytes, out_bytes;
    asg_counts counts;
    hist boot_times;          /* how long boot scripts took (the license claim), ns */
    asg_hook *hooks;          /* sorted by declaration (file order); names and metadata owned */
    size_t n_hooks;
    wb *wb;                   /* where events go (NULL: nowhere) */
    aev_sink_fn tap;          /* asg_set_event_tap */
    void *tap_ctx;
    gsl_rng *api;             /* latency of the API calls the group serves */
    gsl_rng *script;          /* its instances' boot scripts ("asg.<name>/boot-script") */
    sim_pool *api_pool;       /* those calls in flight (created on first use, owned by the kernel) */
    uint64_t n_tokens;
    char arn[SCN_NAME_MAX + 128];
    bool reconcile_armed;     /* a zero-delay reconcile is scheduled (replacement launches) */
    /* what it launches (aws-semantics 1.8): offers = the overrides (or the template's type), pools per offer x zone x market */
    const asg_mix *mix;       /* NULL: no mixed instances policy and no fleetsim pools */
    asg_mix *own_mix;         /* a launch template's Spot market without a policy: all Spot (arrays borrowed from the config) */
    mix_override *offers;
    size_t n_offers;
    ec2_pool **pools;         /* [(offer * n_zones + zone) * 2 + market] */
    bool retry_armed;         /* a launch retry after a capacity failure is scheduled */
    hist spot_repl;           /* signal -> replacement InService, ns */
};

/* Is a a Spot instance? */
static inline bool asg_state_spot(const ainst *a) { return a->pool && ec2pool_get_market(a->pool) == EC2POOL_SPOT; }

/* The units of the group's live instances in market m (EC2POOL_ON_DEMAND / EC2POOL_SPOT), extras left out (asg.c). */
int asg_market_units(const asg *g, int m);

#endif
