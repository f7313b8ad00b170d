/*
 * tariff: what a large load pays for its grid capacity besides its energy,
 * as large-load tariffs write it (site.grid.tariff; without the group,
 * nothing is billed).
 *
 * From the contract's start t0 (the end of phase `contract_after`; default
 * the grid's energized_after phase) each month is billed on
 *   B = max(P, s C(t))   while t < t0 + 365.25 minimum_years (the minimum term),
 *   B = P                after it,
 * P the month's peak grid draw so far (MW, firm and non-firm), s
 * minimum_share, C(t) the contracted MW in effect: contract_mw, reached
 * linearly over ramp_years from t0 (0: at once; AEP Ohio's tariff ramps
 * over 4 years [TARIFF-AEP-OH]). The bill accrues hour by
 * hour (h hours):
 *   capacity: capacity_price_per_mw_day x B x h / 24,
 *   demand:   demand_charge_per_kw_month x 1,000 B x h / the month's hours.
 * Months are calendar months from sim.start_date (30.4375 days from day 0
 * without one: sim_month_start_day). A contract that starts before the load
 * arrives pays its minimum while it waits: a delay of the halls or the
 * racks costs it.
 *
 * Keys of site.grid.tariff (the scenario's currency): contract_mw (default
 * the grid's capacity_mw), contract_after, minimum_share 0, minimum_years 0,
 * ramp_years 0, capacity_price_per_mw_day 0, demand_charge_per_kw_month 0
 * (the defaults bill nothing: assumptions; the bundled PJM site cites its
 * own [TARIFF-PJM-CAP, TARIFF-DOMINION]).
 */
#ifndef MODELS_TARIFF_H
#define MODELS_TARIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "models/buildout/timeline.h"
#include "sim/config/cfg.h"

typedef struct tariff_config {
    bool on;
    size_t after_phase;
    double contract_mw, minimum_share, minimum_years, ramp_years;
    double capacity_per_mw_day, demand_per_kw_month;
    double start_date_days; /* NAN: months of 30.4375 days */
} tariff_config;

/* Reads site.grid.tariff; grid_phase: the default contract_after; grid_mw:
 * the default contract_mw. */
int tariff_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, double grid_mw,
                double start_date_days, tariff_config *out, sim_err *err);

/* One replication's bill. */
typedef struct tariff_state {
    double t0;            /* the contract's start, days (INFINITY: never) */
    size_t month;         /* the month open */
    double month_start_h, month_end_h; /* its hours */
    double peak_mw;       /* its peak so far */
    double charged;       /* the bill so far */
} tariff_state;

void tariff_start(tariff_state *st, const tariff_config *c, double t0_days);
/* The hour from `hour` (h hours long) with the grid drawing grid_mw: its charge (also added to charged). */
double tariff_hour(tariff_state *st, const tariff_config *c, size_t hour, double h, double grid_mw);

#endif
