/*
 * money: what the buildout costs and earns, in the scenario's currency, and
 * what delay costs.
 *
 * Capital, spent when the asset arrives (days since day 0): each rack its
 * catalog price (rack_types.[i].price_usd) times 1 + racks.spare_fraction
 * (its share of the spares, models/buildout/fleet.h) on delivery; each hall its IT
 * capacity x money.facility_capex_per_mw_usd when it is ready; the grid
 * connection (money.grid_connection_capex_usd) when the grid first
 * energizes; each on-site source its capacity x its row's capital per kW
 * (models/energy/source.h: money.gas_, diesel_, solar_, wind_,
 * fuel_cell_capex_per_kw_usd) and the battery (battery_capex_per_kwh_usd)
 * when each comes. Figures in
 * USD are converted at exchange.usd_per_unit (a scenario in another
 * currency must give it).
 *
 * Defaults (keys of `money`; USD): facility_capex_per_mw_usd 11.7e6 (the US
 * mean [CAPEX-FAC-US]; the presets give their own); every other default is
 * an assumption: discount_rate 0.08, the lives of models/finance/lifetime.h,
 * capex_factor 1 (on every capital cost: a sensitivity study's capex input),
 * grid_connection_capex_usd 0 (paid through the tariff), gas 1,000,
 * diesel 800, solar 1,000, wind 1,400 and fuel cells 3,000 per kW (the
 * rows' defaults), battery 300 per kWh, om_per_mw_year_usd 150,000, revenue_per_gpu_hour_usd 3.0.
 *
 * Discounting: a yearly rate r (money.discount_rate), continuously at
 * rho = ln(1 + r) per year: a sum at day t is worth exp(-rho t / 365.25)
 * at day 0.
 *
 * The cost of delay is the carrying cost of capital that waits: a rack of
 * price P delivered on day d and serving (accepted) on day e ties P up for
 * e - d days,
 *   carry = P (exp(rho (e - d) / 365.25) - 1),
 * (to the horizon if it never serves), and a hall of cost C ready on day R
 * whose first rack serves on day S carries C (exp(rho (S - R) / 365.25) - 1).
 *
 * Operations, hour by hour: revenue = GPU-hours online (accepted racks in
 * service, less any hour paused) x money.revenue_per_gpu_hour_usd, or, when
 * money.revenue_per_mtoken_usd is given instead (a price per million tokens
 * served), x that x money.tokens_per_gpu_hour / 10^6; energy
 * as dispatched (models/energy/dispatch.h); O&M = money.om_per_mw_year_usd
 * per MW of hall IT capacity ready. NPV = the discounted sum over the
 * horizon of operations less capital, plus, with money.terminal_value =
 * "book" (default "none": no value after the horizon), what the assets are
 * still worth at the horizon T: each asset's straight-line book value,
 *   C max(0, 1 - (T - t) / (life x 365.25)),
 * over its life (gpu_life_years for racks, facility_life_years for the
 * rest), discounted from T. The
 * payback day is the day from which that discounted running sum stays at
 * or above 0 to the horizon, after being below (NAN: not within it).
 *
 * Cost per GPU-hour (levelized over the horizon): capital is charged as an
 * annuity over its life (lifetime.h: racks, halls, generation, battery,
 * grid connection), a = C r / (1 - (1 + r)^-n) a year from the day it is spent;
 *   cost per GPU-hour = PV(charges + energy + O&M) / PV(GPU-hours online),
 * and per million tokens: that over money.tokens_per_gpu_hour / 10^6 (by
 * default the serving model's prefill rate per GPU x 3,600; NAN without one).
 *
 * The figures above stop at the horizon; the same books carried over the
 * site's whole life (steady state after the horizon, replacements, salvage:
 * models/finance/lifetime.h) give the lifetime NPV, IRR, payback and cost
 * per GPU-hour, and the yearly cash flow table.
 */
#ifndef MODELS_MONEY_H
#define MODELS_MONEY_H

#include <stdbool.h>
#include <stddef.h>

#include "models/buildout/halls.h"
#include "models/buildout/racks.h"
#include "models/energy/source.h"
#include "models/finance/lifetime.h"
#include "sim/config/cfg.h"

/* The economic inputs a sensitivity study adds when it analyses a money
 * figure (keys of money.uncertainty, each [low, high]; every default an
 * assumption): the revenue by a factor (revenue_factor [0.5, 1.5], on
 * money.revenue_per_gpu_hour_usd or revenue_per_mtoken_usd, whichever the
 * scenario prices by), the capital (capex_factor [0.8, 1.3], as
 * money.capex_factor), the grid's energy price (energy_price_factor
 * [0.7, 1.5], as site.grid.price_factor) and the discount rate
 * (discount_rate [0.05, 0.12]). */
enum { MONEY_N_UNCERTAIN = 4 };
typedef struct money_range {
    const char *key;
    double low, high;
} money_range;

typedef struct money_config {
    bool on;                       /* the scenario converts USD: money is reported */
    double rho;                    /* continuous yearly rate: ln(1 + r) */
    double rate;                   /* r */
    double to_currency;            /* currency units per USD */
    double rack_price[RACKS_MAX_TYPES];
    double facility_per_mw, grid_connection, battery_per_kwh;
    double per_kw[SOURCE_N]; /* each on-site source's capital */
    double om_per_mw_year, revenue_per_gpu_hour, tokens_per_gpu_hour;
    double gpu_life_years, facility_life_years, generation_life_years, battery_life_years,
        grid_connection_life_years;
    bool terminal_book; /* money.terminal_value = "book" */
    const char *revenue_key; /* the revenue's key (per GPU-hour or per million tokens) and its value in USD */
    double revenue_usd;
    double uncertainty[MONEY_N_UNCERTAIN][2]; /* money.uncertainty: each economic input's range */
    double horizon_days, start_date_days; /* the run's, for the lifetime's books and table */
    size_t n_years;                       /* the yearly table's rows (lifetime.h) */
} money_config;

/* usd_per_unit: the scenario's exchange rate (NAN: not given, which leaves
 * money off for a currency other than USD). tokens_per_gpu_hour_default:
 * from the serving model, or NAN. start_date_days: sim.start_date (NAN:
 * none). */
int money_load(sim_cfg *cfg, const racks_config *rc, double usd_per_unit, double tokens_per_gpu_hour_default,
               double horizon_days, double start_date_days, money_config *out, sim_err *err);

/* The economic inputs with their ranges (none with money off): how many. */
size_t money_uncertain_inputs(const money_config *c, money_range out[MONEY_N_UNCERTAIN]);

/* One replication's books. */
typedef struct money_run {
    const money_config *c;
    size_t n_days;
    double *day_cash;   /* n_days: discounted operating cash of each day (revenue - energy; O&M at the end), owned */
    double revenue_pv, energy_pv, gpu_hours_pv, gpu_hours;
    /* undiscounted, per day (n_days each), for the lifetime: revenue, energy cost, GPU-hours after pauses
     * and online before them, facility energy, CO2 */
    double *day_revenue, *day_energy, *day_gpu_hours, *day_online, *day_mwh, *day_co2;
    double *day_by[LIFE_E_N];
    size_t n_life;                         /* the lifetime's days at most */
    double *life_capex, *life_om, *life_cf; /* n_life each (lifetime.h's books) */
} money_run;

int money_run_start(money_run *mr, const money_config *c, double horizon_days, sim_err *err);
void money_run_free(money_run *mr);

/* One hour from t_days: GPU-hours online in it after pauses (gpu_hours:
 * revenue) and before them (online), its energy cost, and for the yearly
 * table its facility energy and location-based CO2. */
typedef struct money_hour_in {
    double gpu_hours, online, energy_cost, facility_mwh, co2_t;
    double by[LIFE_E_N]; /* the energy by source (lifetime.h) */
} money_hour_in;
void money_hour(money_run *mr, double t_days, const money_hour_in *h);

/* What arrived when (NAN: never within the horizon). */
typedef struct money_assets {
    double t_grid;        /* the grid's first energization */
    double t_on[SOURCE_N], mw[SOURCE_N]; /* each on-site source: when it came, its capacity */
    double t_battery, battery_mwh;
    const double *hall_ready; /* per hall */
} money_assets;

typedef struct money_result {
    double capex, capex_racks, capex_facility, capex_energy;
    double carry, carry_racks, carry_facility;
    double revenue_pv, opex_pv, npv, payback_day, cost_per_gpu_hour, cost_per_mtoken;
    double terminal_value; /* PV of the book value left at the horizon (0 unless "book") */
    /* over the site's life (lifetime.h); NAN with no hall ready within the horizon */
    double life_npv, life_irr, life_payback_day, life_end_day, life_capex, life_cost_per_gpu_hour,
        life_cost_per_mtoken, life_complete;
} money_result;

/* Closes the books at the horizon T, and over the life: the replication's
 * yearly table into years[n_years x LIFE_N] (NULL: not wanted);
 * t_full: the day of full capacity (NAN: not reached). */
void money_finish(money_run *mr, const racks_state *rs, const halls_config *hc, const money_assets *a, double T,
                  double t_full, money_result *out, double *years);

#endif
