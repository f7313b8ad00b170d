/*
 * power: the electricity the site can draw, over time, and who supplies it.
 *
 * Grid: site.grid.capacity_mw is energized in `tranches` equal steps, the
 * first when the phase `energized_after` ends (the interconnection: substation,
 * transformers, utility works), the next ones every tranche_interval_days.
 * On-site generation (gas turbines as a bridge, as US campuses do): capacity_mw
 * available lead_days after the phase `after` ends; optionally retired once the
 * grid is fully energized. Supply(t) = grid(t) + onsite(t).
 *
 * Flexible (non-firm) connection: site.grid.flexible_mw from flexible_lead_days
 * after the phase flexible_after ends, typically years before the firm
 * tranches. The lead may be negative: a date relative to another phase's,
 * drawn in the same replication (flexible_after = "grid_interconnection";
 * flexible_lead_days = -540.0: always 18 months before the firm connection,
 * never before day 0). It is given on condition that the grid may take it back (curtailment:
 * models/energy/curtail.h). The connection is one: at any time the grid
 * gives max(firm(t), flexible(t)), of which firm(t) is firm and the rest
 * non-firm; as the firm tranches arrive the non-firm part shrinks to
 * max(0, flexible_mw - capacity_mw).
 *
 * Energization: a rack may be switched on only when the facility power
 * reserved at design conditions (its peak kW times the hall's design PUE, plus
 * the hall's fixed load for the first rack of a hall) still fits under the
 * supply: reserved + need <= supply (power_try_reserve). Reservations are
 * never released: a rack under repair keeps its power.
 *
 * On-site sources (models/energy/source.h: gas turbines, fuel cells, diesel,
 * solar, wind) are read by their rows' loaders into src[]; each comes
 * lead_days after its phase
 * ends (each source's draw from a stream of its own). Those that energize count in the supply at their capacity at the
 * design ambient (facility.design_ambient_c); the meter integrates hour by
 * hour at the hour's weather (an hour hotter than design can fall short:
 * over-supply energy, meter.h). A source with retire_when_grid_full steps
 * down, once the firm grid is complete, to what the reservations still need
 * beyond the grid and the sources that stay.
 *
 * Energy: the firm grid, the non-firm grid and each on-site source are
 * sources of the meter; who supplies each hour is dispatch's
 * (models/energy/dispatch.h). Each carbon intensity states its basis
 * (site.grid.co2_basis, site.onsite.co2_basis): "lifecycle" (generation
 * and the fuel chain, as Ember and Electricity Maps publish grid averages)
 * or "direct" (combustion at the stack, as eGRID and EIA's fuel factors);
 * a comparison across bases warns.
 */
#ifndef MODELS_POWER_H
#define MODELS_POWER_H

#include <stdbool.h>

#include "models/buildout/timeline.h"
#include "models/energy/source.h"
#include "sim/config/cfg.h"
#include "sim/core/engine.h"

typedef struct power_config {
    double grid_capacity_mw;
    size_t grid_after_phase;
    double flexible_mw;
    size_t flexible_after_phase;
    sim_dist flexible_lead_days;
    long long grid_tranches;
    double grid_tranche_interval_days;
    const char *grid_co2_basis; /* "lifecycle" or "direct" */
    source_cfg src[SOURCE_N];   /* the on-site sources (the connection's rows stay empty) */
} power_config;

typedef void (*power_change_fn)(void *ctx);

typedef struct power_state {
    const power_config *cfg;
    double grid_mw, reserved_mw; /* grid_mw: firm and non-firm, max(firm, flexible) */
    double firm_mw, flexible_on_mw; /* the firm tranches so far; the flexible connection (0 until it comes) */
    double onsite_mw;          /* the energizing on-site sources at design ambient (what racks reserve against) */
    double rated_mw[SOURCE_N]; /* each on-site source now, as rated (what the meter derates hour by hour) */
    double t_first_supply;     /* when the first supply comes (INFINITY: never) */
    double t_grid_on, t_flexible_on; /* when each comes (INFINITY: never) */
    double t_on[SOURCE_N];     /* when each on-site source comes (INFINITY: never) */
    size_t first_supply_phase; /* the phase that brings it */
    int model_id;
    power_change_fn after_change; /* the supply changed (now): tell the meter, retry waiting racks */
    void *change_ctx;
} power_state;

int power_load(sim_cfg *cfg, const timeline_config *tl, power_config *out, sim_err *err);
/* The most the site can ever supply to energize racks: the grid at its
 * largest (firm, or the non-firm connection when larger) and every
 * energizing on-site source at design ambient. */
double power_max_supply_mw(const power_config *p);

/* Registers with the engine and schedules the supply steps. Each on-site
 * source draws its lead time from the stream "power"/"lead.<its name>",
 * the flexible connection from "power"/"flexible_lead". */
int power_start(power_state *ps, const power_config *pc, sim_engine *eng, const double *phase_end_days,
                sim_err *err);

/* The non-firm part of the grid now. */
static inline double power_nonfirm_mw(const power_state *ps) { return ps->grid_mw - ps->firm_mw; }

static inline double power_supply_mw(const power_state *ps) { return ps->grid_mw + ps->onsite_mw; }

/* Reserves need_mw if it fits under the supply; returns true if reserved. */
bool power_try_reserve(power_state *ps, double need_mw);
/* Reservations as planned: true if the supply covers total_mw of them, and
 * then the reserved total is at least total_mw. */
bool power_reserve_upto(power_state *ps, double total_mw);

#endif
