/*
 * racks: the GPU racks, from purchase order to service and failure.
 *
 * Life of a rack (times in days):
 *   ordered     each order of racks.orders is placed `offset_days` after its
 *               phase `after` ends (defaults: racks.order_after, 0); an order
 *               that gives none of after, offset_days, lead_days, per_month
 *               joins the previous order's delivery line;
 *   delivered   a line's first rack arrives lead_days after its order, then
 *               one every 30.4375 / per_month days. With
 *               racks.delivery = "just_in_time" no rack arrives earlier than
 *               racks.jit_buffer_days before its planned hall is ready (the
 *               operator calls deliveries off against the halls' dates);
 *   in a hall   it waits for its planned hall to be ready (the plan: racks
 *               in order, each to the first hall with room that fits it,
 *               halls_fits, looking in halls_order: an air-cooled rack in
 *               the air halls first, then the liquid halls, which hold it
 *               too; a liquid-cooled rack in the liquid halls), so that no
 *               rack that comes early crowds out the racks planned after
 *               it; racks waiting here are inventory (rack-days);
 *   installed   it waits for one of `crews` install crews, who take
 *               install_days (per rack type) each, and take the waiting
 *               rack that comes first in the order (the plan's sequence;
 *               a crew is not taken off a rack it has started);
 *   energized   its power need is its peak kW times the hall's design PUE
 *               (plus the hall's fixed load for a hall's first rack). With
 *               racks.energize = "planned" (default) power is reserved as
 *               planned: rack r may draw once the supply covers the needs
 *               of racks 0..r in their planned halls, whatever arrives
 *               first, so a faster rack
 *               never takes another's share and speed never delays anyone.
 *               "first_come": racks take power in the order they were
 *               installed, and a larger rack ahead can hold back a tranche
 *               (power_try_reserve). Delivered but not energized = stranded;
 *   burn-in     burnin_days at burn-in utilization; with probability
 *               burnin_fail_prob it fails, is repaired (burnin_repair_days)
 *               and burns in again;
 *   in service  accepted: its GPUs are online. Two processes then act on
 *               the fleet, not on each rack's clock: job interruptions at
 *               interruptions_per_gpu_day (restarts from a checkpoint: they
 *               cost training goodput, not capacity; models/buildout/
 *               training.h), and hardware replacements of hw_unit_gpus-GPU
 *               units at hw_failures_per_gpu_day, each out for repair_days
 *               and covered by the type's spares (racks.spare_fraction of
 *               its units) while they last (models/buildout/fleet.h).
 * First token: first_token.min_racks racks in service together, then
 * first_token.bringup_days (milestones.h).
 * The buildout's steps are engine events, as are the fleet's failures and
 * repairs.
 * Every change of draw goes to the facility model (models/energy/facility.h);
 * milestones and their delay causes are models/buildout/milestones.h.
 *
 * Draws: deliveries, installs, burn-in, interruptions and the bring-up each use
 * their own named RNG stream ("racks"/"delivery", ...), keyed by rack (or order,
 * for a line's lead time) (sim/core/rng.h), so a rack's draws do not depend on
 * the order in which racks reach that point: a changed assumption (more
 * crews, more grid) leaves each rack's own durations as they were. Rack
 * catalog values (GPUs, idle/peak kW,
 * price, failure rates) are cited in scenarios/catalog/racks.cfg.
 */
#ifndef MODELS_RACKS_H
#define MODELS_RACKS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/buildout/milestones.h"
#include "models/energy/cooling.h"
#include "models/energy/facility.h"
#include "models/buildout/halls.h"
#include "models/energy/meter.h"
#include "models/energy/power.h"
#include "models/buildout/timeline.h"
#include "models/buildout/training.h"
#include "models/energy/workload.h"
#include "sim/config/cfg.h"
#include "sim/core/engine.h"

#define RACKS_MAX_TYPES 32
#define RACKS_MAX_ORDERS 32
#define RACKS_MAX_TOTAL 2000000

typedef struct rack_type {
    char name[TIMELINE_NAME_LEN];
    long long gpus;
    double idle_kw, peak_kw, price_usd;
    bool liquid;
    sim_dist install_days;
    double interruptions_per_gpu_day; /* job interruptions (training.h) */
    double hw_failures_per_gpu_day;   /* hardware replacements (fleet.h) */
    long long hw_unit_gpus;           /* GPUs in the unit a replacement takes out (divides gpus) */
    sim_dist repair_days;
} rack_type;

enum { RACKS_ENERGIZE_PLANNED, RACKS_ENERGIZE_FIRST_COME };
enum { RACKS_DELIVERY_AS_ORDERED, RACKS_DELIVERY_JUST_IN_TIME };

/* An order's `after = "start"`: placed offset_days after day 0 (the decision to build), on a calendar day
 * whatever the timeline does; a phase of the timeline named "start" is that phase instead. */
#define RACKS_AT_START SIZE_MAX

typedef struct rack_order {
    size_t type;
    long long count;
    size_t line;            /* its delivery line: the first order of the line */
    size_t after_phase;     /* a line's first order: when it is placed (RACKS_AT_START: from day 0) */
    double offset_days;
    sim_dist lead_days;
    double per_month;
} rack_order;

typedef struct racks_config {
    size_t n_types;
    rack_type types[RACKS_MAX_TYPES];
    size_t n_orders;
    rack_order orders[RACKS_MAX_ORDERS];
    size_t total_racks;
    double total_gpus;
    int delivery; /* RACKS_DELIVERY_* */
    double jit_buffer_days;
    int energize; /* RACKS_ENERGIZE_* */
    long long crews;
    double spare_fraction; /* spare units per unit accepted, per rack type */
    sim_dist burnin_days, burnin_repair_days;
    double burnin_fail_prob;
    long long first_token_racks;
    sim_dist bringup_days;
    training_config training;
    halls_order hall_order; /* where each kind of rack looks for a hall, in turn (halls.h) */
} racks_config;

typedef struct racks_stats {
    double t_first_token, t_50pct, t_90pct, t_95pct, t_99pct, t_100pct; /* NAN: not reached by the horizon */
    double racks_accepted, gpus_accepted;
    double wait_hall_days, wait_crew_days, wait_power_days, burnin_days; /* means over accepted racks */
    double stranded_rack_days, peak_racks_stranded, hall_inventory_rack_days;
    double burnin_failures, hw_replacements, interruptions;
    double gpu_days_in_service, gpu_days_short_of_spares;
    double training_goodput, training_interruptions, training_lost_gpu_hours;
    /* days per cause (NAN where the milestone was not reached) */
    double cause_first_token[N_CAUSES], cause_full[N_CAUSES], cause_mean[N_CAUSES];
    bool path_first_token[TIMELINE_MAX_PHASES]; /* the timeline phases on first token's chain (none: not reached) */
    bool path_full_capacity[TIMELINE_MAX_PHASES]; /* on full capacity's chain (its last rack's; none: not reached) */
} racks_stats;

typedef struct racks_state racks_state;

/* Reads the catalog (rack_types), racks.* and first_token.*; checks that
 * every ordered rack fits some hall and could ever be powered. */
int racks_load(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, const halls_config *hc,
               const power_config *pc, racks_config *out, sim_err *err);

typedef struct racks_deps {
    const racks_config *rc;
    const halls_config *hc;
    const cooling_config *cc;
    const workload_config *wc;
    power_state *ps;
    facility *fac;          /* told every change of draw */
    meter_gauges *gauges;   /* kept up to date for the meter */
} racks_deps;

/* Starts the racks model on eng. The chain gives the
 * replication's phase ends and first supply (milestones.h). */
racks_state *racks_start(const racks_deps *deps, sim_engine *eng, const cause_chain *chain, sim_err *err);
void racks_free(racks_state *rs);

/* Retries energization (call when the supply grows). */
void racks_supply_changed(void *rs);
/* Closes the books at the horizon. */
void racks_finish(racks_state *rs, double t_end, racks_stats *out);

/* Calls fn for every rack: its type, its hall (-1: none yet), when it was
 * delivered and accepted (NAN: not by the horizon). */
typedef void (*racks_visit_fn)(void *ctx, size_t type, int hall, double t_delivered, double t_accepted);
void racks_visit(const racks_state *rs, racks_visit_fn fn, void *ctx);

#endif
