/*
 * climate: outdoor dry-bulb temperature (deg C) hour by hour over the horizon.
 *
 * Profile form (default):
 *   T(h) = mean_c + annual_amplitude_c * cos(2 pi (doy(h) - warmest_day) / 365.25)
 *                 + daily_amplitude_c  * cos(2 pi (hour(h) - warmest_hour) / 24)
 *                 + x(h),
 *   x(h) = rho x(h-1) + noise_sd_c sqrt(1 - rho^2) e(h), e ~ N(0,1), x(0) ~ N(0, noise_sd_c^2)
 * so the noise is a stationary AR(1) with standard deviation noise_sd_c and
 * hour-to-hour correlation rho (weather persists for days). doy(h) counts from
 * sim.start_day_of_year (default 1). Regional parameters come from the presets
 * (climate normals cited there); none has a default in code: warmest_day is
 * required when annual_amplitude_c > 0, warmest_hour when daily_amplitude_c > 0,
 * noise_hourly_corr when noise_sd_c > 0 (noise_sd_c defaults to 0: no noise).
 *
 * File form: `climate.csv = "file.csv"` (relative to the scenario file), an
 * hourly file as sim/timeseries.h reads it (a header; an `hour` or
 * `timestamp` column; the temperature in column climate.column, default
 * "temp_c", deg C in [-90, 60]), its first row hour 0 of the run. It must
 * cover the horizon, or, with climate.repeat = "yearly", hold one year
 * (8,760 or 8,784 hours) that repeats.
 */
#ifndef MODELS_CLIMATE_H
#define MODELS_CLIMATE_H

#define CLIMATE_RNG_STREAMS 1 /* the hourly noise */
#define CLIMATE_MAX_HOURS 1000000 /* an hourly file's rows: 114 years */

#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"
#include "sim/rng.h"

typedef struct climate_config {
    double mean_c, annual_amplitude_c, warmest_day, daily_amplitude_c, warmest_hour;
    double noise_sd_c, noise_hourly_corr, start_day_of_year;
    double *csv_c;   /* owned; NULL for the profile form */
    size_t n_csv;
    bool repeat_yearly;
    char where[300]; /* the file's key, for messages */
    double *base_c;  /* owned: the noise-free temperature of every hour (climate_prepare) */
    size_t n_base;
} climate_config;

int climate_load(sim_cfg *cfg, climate_config *out, sim_err *err);
/* Computes the noise-free hourly profile once for n_hours (shared, read-only,
 * by every replication). */
int climate_prepare(climate_config *c, size_t n_hours, sim_err *err);
void climate_free(climate_config *c);

/* Fills temp_c[0..n_hours) for one replication (n_hours <= the prepared count). */
void climate_generate(const climate_config *c, sim_rng *rng, double *temp_c, size_t n_hours);

#endif
