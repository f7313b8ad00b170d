/*
 * energy_system: the site in the energy system, hour by hour. It gathers
 * the hourly signals (models/energy/signal.h), the grid's curtailment and
 * outages (models/energy/curtail.h), the hourly capacity factor of each
 * variable source (models/energy/source.h), the battery and a contracted
 * PPA, and hands each hour to the dispatch (models/energy/dispatch.h) as
 * the meter closes it.
 *
 * Keys (every one optional but the grid's price and carbon):
 *   site.grid.price_per_mwh         signal, currency/MWh (negative hours allowed)
 *   site.grid.price_factor          a factor on that price (default 1: the price as given; a
 *                                   sensitivity study's energy price input)
 *   site.grid.wholesale_price_per_mwh  signal, the market price a PPA settles against (default:
 *                                   the price)
 *   site.grid.co2_kg_per_mwh        signal, average intensity (the basis: site.grid.co2_basis)
 *   site.grid.co2_signal            "average" (default) or "marginal": which intensity the
 *                                   location-based CO2 uses; "marginal" reads
 *                                   site.grid.marginal_co2_kg_per_mwh (signal)
 *   site.grid.cfe_share             signal, the grid's carbon-free share of generation (0 to 1; not
 *                                   given: the 24/7 carbon-free share is reported as unknown)
 *   site.grid.curtailment, site.grid.outages   (curtail.h)
 *   <group>.capacity_factor         signal, for each variable source's group (site.solar, site.wind)
 *   site.ppa                        (contract.h)
 *   site.battery                    (storage.h)
 *   site.grid.tariff                (tariff.h: capacity and minimum demand charges)
 * The PPA and the battery come when their phase ends (default: the grid's
 * energized_after phase); the on-site sources as power.h brings them. A
 * variable source gives capacity x capacity factor each hour; the PPA's
 * contracted energy is its capacity x its capacity factor, whether the
 * site draws or not (a virtual PPA settles money and certificates, not
 * electrons).
 */
#ifndef MODELS_ENERGY_SYSTEM_H
#define MODELS_ENERGY_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>

#include "models/buildout/timeline.h"
#include "models/energy/contract.h"
#include "models/energy/curtail.h"
#include "models/energy/dispatch.h"
#include "models/energy/meter.h"
#include "models/energy/power.h"
#include "models/energy/signal.h"
#include "models/energy/tariff.h"
#include "sim/core/engine.h"


typedef struct energy_system {
    signal price, wholesale, co2, cfe;
    double price_factor;           /* on the grid's price (and on the wholesale price when it is the price) */
    signal cf[SOURCE_N];           /* the variable sources' capacity factors */
    contract_config ppa;
    tariff_config tariff;          /* the grid's large-load tariff (tariff.h) */
    bool marginal;                 /* co2 holds the marginal intensity */
    double co2_mean;               /* the first year's mean intensity (the residual mix's default) */
    curtail_config curtail, outage;
    dispatch_config dc;
    double start_date_days;        /* NAN: none */
    size_t n_hours;
} energy_system;

/* start_date_days: sim.start_date (NAN: none), for the run's calendar years
 * (curtailment's years, market-based CO2's). */
int energy_system_load(sim_cfg *cfg, const timeline_config *tl, const power_config *pc, size_t n_hours,
                       double start_date_days, energy_system *es, sim_err *err);
void energy_system_free(energy_system *es);

/* The meter's sources (source.h's rows) with their weather derating. */
void energy_system_sources(const power_config *pc, meter_source_spec out[SOURCE_N]);

/* One replication. */
typedef struct energy_run {
    const energy_system *es;
    const double *price, *wholesale, *co2, *cfe, *cf[SOURCE_N], *ppa_cf, *cut, *outage; /* hour by hour; NULL when none */
    double *buf;                                             /* owned: the arrays this replication draws */
    double t_ppa, t_battery;                                 /* when each comes, days (INFINITY: never) */
    dispatch_state ds;
    tariff_state tariff;
} energy_run;

/* Draws the replication's signals and events (from the engine's streams
 * "energy"/"signals" and "energy"/"events"), dates the PPA and the battery
 * from the phases' ends, and is ready to dispatch hours (energy_run_hour). */
int energy_run_start(energy_run *er, const energy_system *es, sim_engine *eng, const double *phase_end_days,
                     sim_err *err);
/* Dispatches one hour (the meter's figures, dispatch.h); returns the facility energy paused. */
double energy_run_hour(energy_run *er, size_t hour, double hours, double fac_mwh, double it_mwh, double gpu_hours,
                       const double *avail_mwh);
void energy_run_free(energy_run *er);

#endif
