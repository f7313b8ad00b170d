/*
 * racks: the GPU racks, from purchase order to service and failure.
 *
 * Life of a rack (times in days):
 *   ordered     all racks are ordered when phase `racks.order_after` ends;
 *   delivered   the first arrives lead_days later, then one every
 *               30.4375 / per_month days, in the order of racks.orders;
 *   in a hall   it waits for a ready hall that fits it (halls_fits: cooling
 *               and IT capacity left for its peak kW); halls in file order;
 *   installed   it waits for one of `crews` install crews, who take
 *               install_days (per rack type) each;
 *   energized   it waits until power_try_reserve accepts its peak kW times the
 *               hall's design PUE (plus the hall's fixed load for a hall's
 *               first rack), in the order racks were installed: delivered
 *               but not energized = stranded;
 *   burn-in     burnin_days at burn-in utilization; with probability
 *               burnin_fail_prob it fails, is repaired (burnin_repair_days)
 *               and burns in again;
 *   in service  accepted: its GPUs are online; it fails after Exp(mtbf_days)
 *               and is repaired in mttr_days, then serves again.
 * The buildout's steps are engine events; failures and repairs, about 90 %
 * of a replication's changes, wait in an entity queue (sim/entityq.h), one
 * pending change per rack, drained by the engine's sync in time order.
 * Every change of draw goes to the facility model (models/energy/facility.h);
 * milestones and their delay causes are models/buildout/milestones.h.
 *
 * Draws: deliveries, installs, burn-in and failures each use their own RNG
 * stream (RACKS_RNG_STREAMS of them), keyed by rack (sim/rng.h), so a rack's
 * draws do not depend on the order in which racks reach that point: a
 * changed assumption (more crews, more grid) leaves each rack's own
 * durations as they were. A rack's lifetimes and repair times come in turn
 * from one keyed stream of its own, started when it is accepted. Rack
 * catalog values (GPUs, idle/peak kW, price) are cited in
 * scenarios/catalog/racks.cfg.
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
#include "models/energy/workload.h"
#include "sim/cfg.h"
#include "sim/engine.h"

#define RACKS_MAX_TYPES 32
#define RACKS_MAX_ORDERS 32
#define RACKS_MAX_TOTAL 2000000
#define RACKS_RNG_STREAMS 4 /* delivery, install, burn-in, failures */

typedef struct rack_type {
    char name[TIMELINE_NAME_LEN];
    long long gpus;
    double idle_kw, peak_kw, price_usd;
    bool liquid;
    sim_dist install_days;
    double mtbf_days; /* 0: no failures in service */
    sim_dist mttr_days;
} rack_type;

typedef struct racks_config {
    size_t n_types;
    rack_type types[RACKS_MAX_TYPES];
    size_t n_orders;
    size_t order_type[RACKS_MAX_ORDERS];
    long long order_count[RACKS_MAX_ORDERS];
    size_t total_racks;
    double total_gpus;
    size_t order_after_phase;
    sim_dist lead_days;
    double per_month;
    long long crews;
    sim_dist burnin_days, burnin_repair_days;
    double burnin_fail_prob;
    long long first_token_racks;
} racks_config;

typedef struct racks_stats {
    double t_first_token, t_50pct, t_90pct, t_100pct; /* NAN: not reached by the horizon */
    double racks_accepted, gpus_accepted;
    double wait_hall_days, wait_crew_days, wait_power_days, burnin_days; /* means over accepted racks */
    double stranded_rack_days, peak_racks_stranded;
    double burnin_failures, service_failures;
    /* days per cause (NAN where the milestone was not reached) */
    double cause_first_token[N_CAUSES], cause_full[N_CAUSES], cause_mean[N_CAUSES];
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

/* Failures plus repairs a day when every rack that can fail is in service:
 * 2 / mtbf_days per rack (what the failure queue's bins are sized for). */
double racks_failure_changes_per_day(const racks_config *rc);

/* Starts the racks model on eng; failures and repairs after horizon_days
 * (the run's end) are never due and are not kept. */
racks_state *racks_start(const racks_deps *deps, sim_engine *eng, const double *phase_end_days, double horizon_days,
                         uint32_t first_rng_stream, sim_err *err);
void racks_free(racks_state *rs);

/* Retries energization (call when the supply grows). */
void racks_supply_changed(void *rs);
/* Closes the books at the horizon. */
void racks_finish(racks_state *rs, double t_end, racks_stats *out);

#endif
