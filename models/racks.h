/*
 * racks: the GPU racks, from purchase order to serving — supply, install,
 * energization, burn-in, and failures in service.
 *
 * Life of a rack (every transition an engine event; times in days):
 *   ordered     all racks are ordered when phase `racks.order_after` ends;
 *   delivered   the first arrives lead_days later, then one every
 *               30.4375 / per_month days, in the order of racks.orders;
 *   in a hall   it waits for a ready hall whose cooling suits it (liquid racks
 *               need a liquid technology) and has IT capacity left for its
 *               peak kW; halls are filled in file order;
 *   installed   it waits for one of `crews` install crews, who take
 *               install_days (per rack type) each;
 *   energized   it waits until power_try_reserve accepts its peak kW times the
 *               hall's design PUE (plus the hall's fixed load for a hall's
 *               first rack): delivered but not energized = stranded;
 *   burn-in     burnin_days at burn-in utilization; with probability
 *               burnin_fail_prob it fails, is repaired (burnin_repair_days)
 *               and burns in again (24-72 h typical, 48 h-7 d in practice:
 *               reference-data.md s.3);
 *   in service  accepted: its GPUs are online; it fails after Exp(mtbf_days)
 *               and is repaired in mttr_days, then serves again.
 *
 * First token: the first moment at least first_token.min_racks racks are in
 * service together (the smallest serving unit: a rack, or an NVL72 cluster of
 * N racks). Capacity milestones (50 / 90 / 100 %): the first moment that many
 * of the planned GPUs have been accepted.
 *
 * What held it back: every accepted rack's time from day 0 to acceptance is
 * split exactly into causes (they sum to its acceptance day), following the
 * chain that bound it:
 *   permits_construction  day 0 to the order (the phases before
 *                         racks.order_after), or, for a rack that arrived
 *                         before any hall able to take it was ready, day 0
 *                         to that hall's readiness (the delivery was slack);
 *   gpu_supply            order to delivery (lead time and the delivery rate);
 *   cooling_capacity      waiting for a place in a hall while at least one
 *                         hall that could take it was in service but its
 *                         cooled IT capacity was taken: cooled space was
 *                         commissioned more slowly than racks arrived (the
 *                         next hall's stagger_days, its phases);
 *   install_crews         waiting for a crew, plus the install itself;
 *   power                 installed, waiting for grid or on-site supply;
 *   burnin_failures       burn-in, burn-in failures and repairs; for a
 *                         milestone reached when a repaired rack came back,
 *                         the time from its acceptance to that moment.
 * Reported for the rack that reached first token, the rack that completed
 * the build (full capacity; these two sum to those milestones), and as the
 * mean over accepted racks.
 *
 * Draws: deliveries, installs, burn-in and failures each use their own RNG
 * stream, keyed by rack (sim/rng.h), so a rack's draws do not depend on the
 * order in which racks reach that point: a changed assumption (more crews,
 * more grid) leaves each rack's own durations as they were. A rack's
 * lifetimes and repair times come in turn from one keyed stream of its own,
 * started when it is accepted and resumed from its saved state. Rack catalog values (GPUs, idle/peak kW, price) are cited in
 * scenarios/catalog/racks.cfg.
 */
#ifndef MODELS_RACKS_H
#define MODELS_RACKS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cooling.h"
#include "models/halls.h"
#include "models/meter.h"
#include "models/power.h"
#include "models/timeline.h"
#include "models/workload.h"
#include "sim/cfg.h"
#include "sim/engine.h"

#define RACKS_MAX_TYPES 32
#define RACKS_MAX_ORDERS 32
#define RACKS_MAX_TOTAL 2000000

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

enum {
    RACKS_CAUSE_PERMITS_CONSTRUCTION,
    RACKS_CAUSE_GPU_SUPPLY,
    RACKS_CAUSE_COOLING_CAPACITY,
    RACKS_CAUSE_INSTALL_CREWS,
    RACKS_CAUSE_POWER,
    RACKS_CAUSE_BURNIN_FAILURES,
    RACKS_N_CAUSES
};
extern const char *const racks_cause_names[RACKS_N_CAUSES];

typedef struct racks_stats {
    double t_first_token, t_50pct, t_90pct, t_100pct; /* NAN: not reached by the horizon */
    double racks_accepted, gpus_accepted;
    double wait_hall_days, wait_crew_days, wait_power_days, burnin_days; /* means over accepted racks */
    double stranded_rack_days, peak_racks_stranded;
    double burnin_failures, service_failures;
    /* days per cause (NAN where the milestone was not reached) */
    double cause_first_token[RACKS_N_CAUSES], cause_full[RACKS_N_CAUSES], cause_mean[RACKS_N_CAUSES];
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
    meter *m;               /* advanced before every change of draw */
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

/* The meter's probe: facility MW of all halls now. */
double racks_probe(void *rs, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h);
/* Retries energization (call when the supply grows). */
void racks_supply_changed(void *rs);
/* Closes the books at the horizon. */
void racks_finish(racks_state *rs, double t_end, racks_stats *out);

#endif
