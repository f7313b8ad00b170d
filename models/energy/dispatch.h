/*
 * dispatch: who supplies each hour's draw, what it costs and emits, and
 * what the site gives up when the grid takes capacity back.
 *
 * Each hour the meter (models/energy/meter.h) hands over the facility
 * energy drawn in it, the IT energy, and the energy each source could give
 * (its capacity-hours in the hour's weather, a non-firm grid share already
 * cut by curtailment, a firm grid cut by an outage). The hour is then
 * dispatched by a stated rule, energies in MWh:
 *
 *  1. Demand response: when the grid price exceeds dr_price_above, the
 *     pausable share of the load (training; inference is served first)
 *     pauses: dr = pausable_share x load.
 *  2. The variable sources (source.h: solar, wind; no fuel) serve the load
 *     first, each in proportion to its output; their surplus charges the
 *     battery, and what the battery cannot take is spilled.
 *  3. The grid (firm, then non-firm) and the merit plants (on-site gas, fuel
 *     cells) in merit order: the plants whose cost per MWh is below the
 *     hour's grid price first (cheapest first), then the grid, then the
 *     other plants (cheapest first), each running when those before cannot
 *     cover the load (gas "forced by supply"); equal costs keep row order.
 *     A plant with a minimum stable load m = min_load_frac x its output
 *     runs at m or more, or not at all: one before the grid that would run
 *     below m leaves the load to the grid; one forced by supply below m
 *     runs at m and the grid gives back the difference. A plant that ran
 *     in no hour before costs start_cost when it starts (booked with its
 *     energy's cost).
 *  4. What is still short (curtailment, an outage, a heat-derated turbine)
 *     is covered by the battery (down to soc_min), then the backup sources
 *     (diesel), then by pausing the pausable load not yet paused; anything left is drawn
 *     regardless and booked to the grid as unserved (over-supply) energy,
 *     as before this model existed.
 *  5. With no shortfall, the battery shaves grid draw above peak_limit_mw,
 *     and arbitrages: discharges when the price is at or above
 *     discharge_above, charges from grid headroom when it is at or below
 *     charge_below or when the charge is under the reserve (reserve_frac,
 *     which peak shaving and arbitrage never spend).
 * The battery (models/energy/storage.h) stores charged x sqrt(eta) and
 * delivers taken x sqrt(eta); its power limit bounds charge plus discharge
 * in an hour.
 *
 * Each on-site source's cost and carbon per MWh are its row's (source.h
 * and its file). Defaults (every one a key; none has a public figure in
 * our sources, so all are assumptions): workload.pausable_share 0 (nothing
 * pauses); site.demand_response.price_above none;
 * site.grid.residual_co2_kg_per_mwh the grid's mean intensity over the
 * first year; the battery's and the PPA's are storage.h's and contract.h's.
 *
 * Balance, every hour (a test holds it):
 *   sum of the sources (variable ones used or stored) + discharged
 *     = served load + charged,      served = load - paused
 *   stored energy change = charged sqrt(eta) - discharged / sqrt(eta).
 *
 * Accounting. Cost: grid energy at the hour's price, each on-site source
 * at its cost per MWh, a virtual PPA settled as contracted MWh x (strike -
 * the hour's wholesale price), and the grid tariff's charges (tariff.h,
 * booked by energy_system.h). Location-based CO2: grid energy x the hour's
 * intensity, plus each on-site source's MWh x its intensity. Market-based
 * CO2: per calendar year of the run (from sim.start_date; years of 8,766
 * hours from hour 0 without one: sim_year_start_hour), max(0, grid MWh -
 * PPA MWh) x residual_co2 plus
 * the fuel-burning sources' (PPAs matched by annual volume, GHG Protocol
 * Scope 2). 24/7 carbon-free share (hourly matching): each hour's clean
 * supply is the clean on-site sources' energy used (variable ones: not
 * stored), the PPA's MWh up to the grid energy, and the rest of the grid
 * energy times the grid's carbon-free share in that hour;
 *   CFE = sum clean / sum served.
 * The battery's discharge counts as not carbon-free (conservative).
 * Curtailed energy: in an hour with non-firm capacity cut, the part of the
 * cut the site needed (load after steps 1-2 beyond the grid left and gas).
 * GPU-hours lost: GPUs online x hours x paused / load.
 */
#ifndef MODELS_DISPATCH_H
#define MODELS_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "models/energy/source.h"
#include "models/energy/storage.h"
#include "sim/config/cfg.h"

typedef struct dispatch_config {
    storage_config batt;                 /* the battery (storage.h; all zero: none) */
    double cost[SOURCE_N], co2[SOURCE_N]; /* per MWh of each on-site source (the grid's are the hour's) */
    double min_load_frac[SOURCE_N], start_cost[SOURCE_N]; /* each merit plant's commitment (source.h) */
    double pausable_share, dr_price_above;
    double ppa_strike, residual_co2;     /* the PPA's strike (contract.h) */
    double start_date_days;              /* sim.start_date (NAN: none): the run's calendar years */
} dispatch_config;

/* Reads site.demand_response, workload.pausable_share and
 * site.grid.residual_co2_kg_per_mwh; the on-site sources' cost and carbon
 * come from src (power.h reads them), the battery and the strike are the
 * caller's to set (storage.h, contract.h). */
int dispatch_load(sim_cfg *cfg, const source_cfg src[SOURCE_N], double grid_co2_mean, dispatch_config *c,
                  sim_err *err);

typedef struct dispatch_hour {
    double hours;            /* its length: 1, less at the run's end */
    double load_mwh, it_mwh; /* drawn in it */
    double gpus;             /* GPUs online */
    double avail_mwh[SOURCE_N]; /* what each source could give (solar, wind: their output) */
    double flex_cut_mwh;     /* non-firm grid energy taken back by curtailment */
    double price, co2, cfe, ppa_mwh;
    double wholesale; /* the market price the PPA settles against */
    bool battery_online;
} dispatch_hour;

/* One hour's flows, MWh. */
typedef struct dispatch_flows {
    double take[SOURCE_N];   /* from each source (the grid's includes unserved and battery charging) */
    double charge_re, charge_grid, discharge, stored_delta;
    double spilled, paused_dr, paused_short, unserved, curtailed;
} dispatch_flows;

typedef struct dispatch_totals {
    double source_mwh[SOURCE_N], source_cost[SOURCE_N], source_co2_kg[SOURCE_N];
    double starts[SOURCE_N]; /* each plant's starts that cost (start_cost > 0) */
    double ppa_mwh, ppa_cost;
    double tariff_cost; /* the grid tariff's capacity and demand charges (tariff.h; booked by energy_system) */
    double batt_charge_mwh, batt_discharge_mwh;
    double spilled_mwh, unserved_mwh;
    double paused_mwh, paused_it_mwh, gpu_hours_lost;   /* by shortfalls (curtailment, outages) */
    double dr_mwh, dr_gpu_hours, dr_saving, dr_hours;   /* by demand response */
    double curtailed_mwh, curtailed_hours;
    double peak_grid_mw;
    double served_mwh, cfe_mwh;
    double co2_market_kg;  /* closed years; dispatch_totals_now adds the open one */
} dispatch_totals;

typedef struct dispatch_state {
    const dispatch_config *c;
    int merit[SOURCE_N], n_merit; /* the merit plants, cheapest first */
    bool running[SOURCE_N];       /* each ran in the hour before (a start costs its start_cost) */
    double soc_mwh;
    double year_grid_mwh, year_ppa_mwh;
    size_t hour, year, year_end_hour; /* the hours dispatched; the calendar year open and its end */
    dispatch_totals tot;
} dispatch_state;

void dispatch_init(dispatch_state *st, const dispatch_config *c);
/* Dispatches one hour; returns the facility energy paused (not drawn). */
double dispatch_run_hour(dispatch_state *st, const dispatch_hour *in, dispatch_flows *out);
/* The totals, the open year's market-based CO2 included: cost, co2 (t)
 * location- and market-based. */
void dispatch_totals_now(const dispatch_state *st, double *cost, double *co2_t, double *co2_market_t);

#endif
