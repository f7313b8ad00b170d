/*
 * climate: outdoor dry-bulb temperature (deg C) hour by hour over the
 * horizon, and the dew point where the climate gives humidity (evaporative
 * and adiabatic cooling need the wet bulb: models/energy/psychro.h).
 *
 * Four forms, by the keys given:
 *
 * Monthly normals (climate.monthly_mean_c, as weather services publish
 * them): 12 monthly means M_m, 12 mean daily ranges R_m (mean daily
 * maximum - mean daily minimum) and, optionally, 12 mean dew points D_m.
 * Each set is interpolated linearly between mid-month nodes v_m, chosen so
 * that each month's mean of the interpolated curve is its normal: with
 * months of equal length the mean over month m is (v_{m-1} + 6 v_m +
 * v_{m+1}) / 8, so v solves that cyclic system (Jacobi iterations, which
 * converge: the diagonal dominates). Then
 *   T(h) = M(doy) + R(doy)/2 cos(2 pi (hour(h) - warmest_hour) / 24) + x(h)
 *   dew(h) = D(doy)            (no noise; capped at T(h) where it is used)
 *
 * Profile (climate.mean_c): one cosine a year and one a day,
 *   T(h) = mean_c + annual_amplitude_c cos(2 pi (doy(h) - warmest_day) / 365.25)
 *                 + daily_amplitude_c  cos(2 pi (hour(h) - warmest_hour) / 24) + x(h)
 * (and the optional monthly dew points as above).
 *
 * In both, the weather adds two stationary AR(1) anomalies: x(h), hourly,
 * with standard deviation noise_sd_c and hour-to-hour correlation rho,
 *   x(h) = rho x(h-1) + noise_sd_c sqrt(1 - rho^2) e(h), e ~ N(0,1), x(0) ~ N(0, noise_sd_c^2),
 * and s(d), daily (warm and cold spells, hot and cool summers), with
 * standard deviation noise_slow_sd_c and correlation phi = exp(-1 /
 * noise_slow_days) from one day to the next,
 *   s(d) = phi s(d-1) + noise_slow_sd_c sqrt(1 - phi^2) e'(d),   T(h) += x(h) + s(h / 24).
 * Each site's anomalies are fitted to the hot hours or hot days its
 * climatology reports (the presets cite it). doy(h) = sim.start_day_of_year
 * + h / 24. No physical constant has a default in code: a cycle's phase is
 * required exactly when the cycle has an amplitude, a noise's correlation
 * when there is that noise.
 *
 * EPW (climate.epw = "file.epw", relative to the scenario): a typical year
 * of hourly dry bulb, dew point and station pressure (sim/config/epw.h), run hour
 * h taken from the file's hour (sim.start_day_of_year - 1) x 24 + h, the
 * year repeating.
 *
 * Hourly CSV (climate.csv = "file.csv"): as sim/config/timeseries.h reads it, the
 * temperature in column climate.column (default "temp_c", deg C in [-90,
 * 60]) and the dew point, if any, in climate.dew_point_column; its first row
 * is hour 0 of the run. It must cover the horizon, or, with climate.repeat =
 * "yearly", hold one year (8,760 or 8,784 hours) that repeats.
 *
 * Station pressure: the EPW file's mean, else climate.pressure_kpa
 * (default 101.325, the standard atmosphere at sea level).
 */
#ifndef MODELS_CLIMATE_H
#define MODELS_CLIMATE_H

#define CLIMATE_MAX_HOURS 1000000 /* an hourly file's rows: 114 years */

#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"
#include "sim/core/rng.h"

typedef enum { CLIMATE_PROFILE, CLIMATE_NORMALS, CLIMATE_CSV, CLIMATE_EPW } climate_form;

typedef struct climate_config {
    climate_form form;
    double mean_c, annual_amplitude_c, warmest_day, daily_amplitude_c, warmest_hour; /* profile */
    double monthly_mean_c[12], monthly_range_c[12], monthly_dew_c[12];               /* normals */
    bool has_monthly_dew;
    double noise_sd_c, noise_hourly_corr, noise_slow_sd_c, noise_slow_days, start_day_of_year, pressure_kpa;
    double *file_c, *file_dew_c; /* owned: the hourly file's temperatures and dew points (or NULL) */
    size_t n_file, file_offset;  /* hours in the file; the file's hour at run hour 0 */
    bool repeat_yearly;
    char where[300];             /* the file's key, for messages */
    double *base_c, *dew_c;      /* owned: the noise-free temperature and the dew point (or NULL) of every hour */
    size_t n_base;
} climate_config;

int climate_load(sim_cfg *cfg, climate_config *out, sim_err *err);
/* Computes the noise-free hourly temperature and the dew point once for
 * n_hours (shared, read-only, by every replication). */
int climate_prepare(climate_config *c, size_t n_hours, sim_err *err);
void climate_free(climate_config *c);

/* The climate gives humidity (a dew point every hour). */
static inline bool climate_has_humidity(const climate_config *c)
{
    return c->form == CLIMATE_EPW || c->file_dew_c || c->has_monthly_dew;
}

/* Fills temp_c[0..n_hours) for one replication (n_hours <= the prepared count). */
void climate_generate(const climate_config *c, sim_rng *rng, double *temp_c, size_t n_hours);

/* The value at day-of-year offset `day` (days since 1 January 00:00, any
 * real; one year is 365 days) of the curve through mid-month nodes v. */
double climate_monthly_curve(const double v[12], double day);
/* The nodes whose curve has the monthly means m (see above). */
void climate_monthly_nodes(const double m[12], double v[12]);

#endif
