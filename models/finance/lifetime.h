/*
 * lifetime: the site's economics over its whole life, whatever the study
 * horizon: lifetime NPV, IRR, payback day, levelized cost per GPU-hour and
 * per million tokens, and the yearly cash flow table.
 *
 * The site lives from day 0 to E, the end of the life of its last hall: a
 * hall ready on day R lives money.facility_life_years (L_f), so
 *   E = max over the halls ready within the horizon of R + 365.25 L_f,
 * or the horizon T if later (the run's own days count whole); halls ready
 * earlier run to E as well (their upkeep is O&M). No hall ready within the
 * horizon: no lifetime (NAN).
 *
 * Within the horizon T the books are the simulation's, day by day
 * (money.h). From day ceil(T) to E a steady state carries on: the GPUs
 * online at T, G_T, at the availability a of the last year simulated
 * (GPU-hours left after pauses over those online) and its energy cost per
 * GPU-hour online e:
 *   GPU-hours a day = 24 G_T a,  revenue = that x the price per GPU-hour,
 *   energy cost = 24 G_T e,  O&M = the MW of halls ready x om_per_mw_year / 365.25,
 * and the facility energy (by source too) and CO2 likewise, per GPU-hour
 * online as in that year.
 * A horizon that ends before full capacity therefore leaves out what was
 * not online at T: the lifetime figures are horizon-free once T is past full
 * capacity and a year more.
 *
 * Capital: each asset bought within the horizon (money.h) is bought again
 * at the end of each of its lives while that falls before E, at the same
 * price; what is left of the last one at E is sold at its straight-line
 * book value C (1 - (E - t) / 365.25 L) (salvage). Lives (keys of money,
 * years; every default an assumption): racks gpu_life_years 5, halls
 * facility_life_years 20, on-site generation generation_life_years 25,
 * the battery battery_life_years 15, the grid connection
 * grid_connection_life_years 40.
 *
 * Each day's net cash cf_d (undiscounted) counts at the day's middle,
 * t = d + 1/2, discounted continuously at rho = ln(1 + r):
 *   NPV = sum_d cf_d exp(-rho t / 365.25);
 *   IRR: the yearly rate at which that sum is 0 (bisection on the rate over
 *     [-0.9, 10]; NAN when the sum has the same sign at both ends);
 *   payback: the day from which the discounted running sum stays at or
 *     above 0 to E, after being below (NAN: never);
 *   cost per GPU-hour = PV(capital + energy + O&M - salvage) / PV(GPU-hours),
 *     per million tokens: over money.tokens_per_gpu_hour / 10^6.
 *
 * The yearly table (years.csv) sums the days of each calendar year counted
 * from sim.start_date (row 0: its year, from the start date on; without a
 * start date, years of 365.25 days: sim_year_start_day): cash, energy and
 * CO2 by year over the life.
 */
#ifndef MODELS_LIFETIME_H
#define MODELS_LIFETIME_H

#include <stddef.h>

/* The facility's energy by where it came from or went (MWh), a column each:
 * the grid (firm and non-firm), on-site plants (gas, diesel, fuel cells),
 * solar, wind, the battery's discharge, the non-firm energy curtailed, and
 * the energy paused (shortfalls and demand response). */
enum { LIFE_E_GRID, LIFE_E_ONSITE, LIFE_E_SOLAR, LIFE_E_WIND, LIFE_E_BATTERY, LIFE_E_CURTAILED, LIFE_E_PAUSED, LIFE_E_N };

/* The yearly table's columns (the currency, undiscounted unless said). */
enum {
    LIFE_CAPEX,     /* capital bought in the year, replacements included */
    LIFE_REVENUE,
    LIFE_ENERGY,
    LIFE_OM,
    LIFE_SALVAGE,   /* the assets' book value at the end of life, in the last year */
    LIFE_GPU_HOURS, /* GPU-hours online after pauses (count) */
    LIFE_MWH,       /* facility energy (MWh) */
    LIFE_CO2,       /* location-based CO2 (t) */
    LIFE_BY,        /* LIFE_E_N columns from here: the energy by source (MWh) */
    LIFE_NET = LIFE_BY + LIFE_E_N,
                    /* LIFE_NET: revenue + salvage - capital - energy - O&M */
    LIFE_NET_PV,    /* the year's net, discounted to day 0 */
    LIFE_CUM_PV,    /* the discounted running sum at the year's end (the last column: the writer's rule) */
    LIFE_N
};
extern const char *const life_column_names[LIFE_N];

/* The rows a table needs for a horizon of T days and a facility life of
 * L_f years (a site can end at most T + 365.25 L_f days after day 0). */
size_t life_rows(double horizon_days, double facility_life_years);

/* One replication's books over the life (money.c fills them). */
typedef struct life_books {
    double rho;          /* ln(1 + r) */
    double end_day;      /* E */
    size_t n_days;       /* ceil(E): days 0 .. n_days - 1 */
    double *capex;       /* n_days: capital of each day (life_buy) */
    double *om_step;     /* n_days: the change of the daily O&M from that day on */
    double *cf;          /* n_days: scratch for the net cash of each day */
    double salvage;      /* the book value left at E (life_buy) */
    size_t sim_days;     /* days simulated: 0 .. sim_days - 1 */
    const double *revenue, *energy, *gpu_hours, *mwh, *co2; /* sim_days each, undiscounted */
    double ss_revenue, ss_energy, ss_gpu_hours, ss_mwh, ss_co2; /* one day of the steady state after them */
    const double *by[LIFE_E_N];                                /* the energy by source, likewise */
    double ss_by[LIFE_E_N];
    double start_date_days; /* NAN: years of 365.25 days from day 0 */
    size_t n_rows;       /* the table's rows */
} life_books;

/* Capital C bought on day t (t < E) with a life of L years: bought again
 * every L years while before E, the last one's book value left at E. */
void life_buy(life_books *b, double C, double t, double life_years);

typedef struct life_result {
    double npv, irr, payback_day, cost_per_gpu_hour, capex;
} life_result;

/* The lifetime figures, and the replication's yearly table into
 * table[n_rows x LIFE_N] (NULL: none). */
void life_close(const life_books *b, life_result *out, double *table);

/* A yearly rate's IRR of daily cash flows cf[0 .. n) (each at its day's
 * middle): NAN when none lies within [-0.9, 10]. */
double life_irr(const double *cf, size_t n);

#endif
