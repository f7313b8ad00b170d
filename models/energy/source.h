/*
 * source: the site's power sources, one row each. A row names the source,
 * the scenario group that describes it, its class (where it stands in each
 * hour's dispatch), its flags, the metrics its energy and its cost add to,
 * and the money key of its capital per kW. Everything that treats sources
 * loops over the rows: the loading (power.c calls each on-site row's
 * loader), the capacity over time (power.c), the meter's sources, the
 * dispatch (dispatch.c), the capital (money.c) and the per-source metrics
 * (site.c).
 *
 * Classes, in dispatch order (dispatch.h):
 *   SOURCE_VARIABLE    no fuel; gives capacity x the hour's capacity factor
 *                      (<group>.capacity_factor, a signal); used first
 *   SOURCE_CONNECTION  the grid connection (firm, then non-firm), at the
 *                      hour's price and carbon intensity; read by power.c
 *   SOURCE_MERIT       a dispatchable plant, run in merit order with the
 *                      grid: before it in an hour whose price is above the
 *                      plant's cost per MWh, else after it
 *   SOURCE_BACKUP      after the battery, before pausing load
 * Flags:
 *   SOURCE_ENERGIZES   racks reserve power against it (at design ambient)
 *   SOURCE_FUEL        burns fuel: its CO2 also counts in the market-based
 *                      figure (which matches PPAs against grid energy only)
 *   SOURCE_CLEAN       carbon-free in the hourly (24/7) share
 *
 * An on-site source comes `lead_days` (a distribution, drawn from the
 * power model's stream in row order) after its phase `after` ends, with
 * capacity_mw as rated; a plant that derates with heat keeps
 *   design_factor = 1 - derate_per_c max(0, T_design - rating_c)
 * of it at facility.design_ambient_c, which is what racks reserve against.
 *
 * Adding a source is a row here, a declaration of its loader below, and a
 * file with the loader (doc/INTERNALS.md, "Adding a power source").
 */
#ifndef MODELS_SOURCE_H
#define MODELS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/buildout/timeline.h"
#include "sim/config/cfg.h"
#include "sim/core/dist.h"

typedef enum { SOURCE_VARIABLE, SOURCE_CONNECTION, SOURCE_MERIT, SOURCE_BACKUP } source_class;

enum { SOURCE_ENERGIZES = 1u << 0, SOURCE_FUEL = 1u << 1, SOURCE_CLEAN = 1u << 2 };

/* X(ID, name, group, class, flags, loader, energy metric, cost metric, capex key, capex default USD/kW)
 * Capital defaults are assumptions (no public figure in scenarios/SOURCES.md); the money
 * keys are money.h's. */
#define SOURCE_LIST(X)                                                                                               \
    X(GRID, "grid", "site.grid", SOURCE_CONNECTION, SOURCE_ENERGIZES, NULL, "grid_energy_mwh", "energy.grid_cost",  \
      NULL, 0.0)                                                                                                     \
    X(FLEX, "grid_flexible", "site.grid", SOURCE_CONNECTION, SOURCE_ENERGIZES, NULL, "grid_energy_mwh",             \
      "energy.grid_cost", NULL, 0.0)                                                                                 \
    X(GAS, "onsite_gas", "site.onsite", SOURCE_MERIT, SOURCE_ENERGIZES | SOURCE_FUEL, gas_load, "onsite_energy_mwh", \
      "energy.onsite_cost", "money.gas_capex_per_kw_usd", 1000.0)                                                    \
    X(SOLAR, "solar", "site.solar", SOURCE_VARIABLE, SOURCE_CLEAN, renewable_load, "energy.solar_mwh",              \
      "energy.onsite_cost", "money.solar_capex_per_kw_usd", 1000.0)                                                  \
    X(WIND, "wind", "site.wind", SOURCE_VARIABLE, SOURCE_CLEAN, renewable_load, "energy.wind_mwh",                  \
      "energy.onsite_cost", "money.wind_capex_per_kw_usd", 1400.0)                                                   \
    X(DIESEL, "diesel", "site.diesel", SOURCE_BACKUP, SOURCE_FUEL, diesel_load, "energy.diesel_mwh",                \
      "energy.onsite_cost", "money.diesel_capex_per_kw_usd", 800.0)                                                  \
    X(FUEL_CELL, "fuel_cell", "site.fuel_cell", SOURCE_MERIT, SOURCE_ENERGIZES | SOURCE_FUEL, fuel_cell_load,       \
      "energy.fuel_cell_mwh", "energy.onsite_cost", "money.fuel_cell_capex_per_kw_usd", 3000.0)

#define SOURCE_ID(ID, ...) SOURCE_##ID,
enum { SOURCE_LIST(SOURCE_ID) SOURCE_N };
#undef SOURCE_ID

/* What an on-site source's group says (a connection's rows stay empty: power.h holds the grid). */
typedef struct source_cfg {
    double capacity_mw; /* as rated; 0: none */
    size_t after_phase;
    sim_dist lead_days;
    double cost_per_mwh, co2_kg_per_mwh;
    double derate_per_c, rating_c; /* derate 0: the same output whatever the weather */
    double design_factor;          /* capacity at facility.design_ambient_c / as rated */
    double heat_rate_btu_per_kwh;  /* a fuel-burning plant's; 0 otherwise */
    double min_load_frac;          /* the least share of its output it runs at stably (0: any) */
    double start_cost;             /* currency per start (from not running in the hour before) */
    const char *co2_basis;         /* "lifecycle" or "direct"; NULL when the group states none */
    const char *variant;           /* the gas turbines' cycle; NULL otherwise */
    bool retire_when_grid_full;
} source_cfg;

/* What a loader reads with. */
typedef struct source_ctx {
    sim_cfg *cfg;
    const timeline_config *tl;
    const char *group;      /* the row's group key */
    const char *grid_phase; /* the grid's energized_after phase: the default `after` of sources that have one */
} source_ctx;

typedef int (*source_load_fn)(const source_ctx *ctx, source_cfg *out, sim_err *err);

typedef struct source_row {
    const char *name, *group;
    source_class cls;
    unsigned flags;
    source_load_fn load; /* NULL: the grid connection (power.c reads it) */
    const char *energy_metric, *cost_metric;
    const char *capex_key;
    double capex_default_usd_per_kw;
} source_row;

extern const source_row source_rows[SOURCE_N];

/* The loaders, each in its source's file. */
int gas_load(const source_ctx *ctx, source_cfg *out, sim_err *err);       /* gas.c */
int renewable_load(const source_ctx *ctx, source_cfg *out, sim_err *err); /* renewable.c */
int diesel_load(const source_ctx *ctx, source_cfg *out, sim_err *err);    /* diesel.c */
int fuel_cell_load(const source_ctx *ctx, source_cfg *out, sim_err *err); /* fuel_cell.c */

/* Capacity at this ambient temperature / as rated. */
double source_temp_factor(const source_cfg *s, double ambient_c);

/* Helpers the loaders share (`group` is ctx->group; keys are read as "<group>.<name>"). */
void source_key(const source_ctx *ctx, const char *name, char *out, size_t n);
/* capacity_mw (SIM_REQUIRED or a default), after (default: the grid's phase when default_after, else
 * required) and lead_days (default 0) */
int source_read_arrival(const source_ctx *ctx, double capacity_default, bool default_after, source_cfg *out,
                        sim_err *err);
/* A carbon basis key: "lifecycle" or "direct" (required). */
int source_co2_basis(sim_cfg *cfg, const char *key, const char **out, sim_err *err);
/* <group>.co2_basis */
int source_read_basis(const source_ctx *ctx, source_cfg *out, sim_err *err);
/* A fuel-burning plant: heat_rate_btu_per_kwh (default given), fuel_co2_kg_per_mmbtu (53.06, natural gas
 * [GAS-CO2]), co2_kg_per_mwh (default heat rate x fuel CO2 / 1000), derate_per_c and rating_c (defaults
 * given), the design factor at facility.design_ambient_c, the cost: cost_per_mwh, or
 * fuel_price_per_mmbtu x heat rate / 1000 + om_per_mwh (one or the other), and its commitment:
 * min_load_frac (default 0: it follows any load) and start_cost (default 0), both assumptions where given
 * (no public figure in scenarios/SOURCES.md). */
int source_read_fuel_plant(const source_ctx *ctx, double heat_rate_default, double derate_default,
                           double rating_default, source_cfg *out, sim_err *err);

#endif
