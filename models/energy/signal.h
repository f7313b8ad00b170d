/*
 * signal: one hourly input over the run (a grid price, a grid carbon
 * intensity, a capacity factor, the grid's carbon-free share), given by a
 * scenario key in one of three forms:
 *
 *   KEY = 61.0;                                            a constant
 *
 *   KEY = { mean = 61.0; seasonal_amplitude = 0.15; seasonal_peak_day = 15.0;
 *           daily_amplitude = 0.3; daily_peak_hour = 19.0; trend_per_year = -0.03;
 *           noise_sd = 25.0; noise_hours = 6.0; };             a profile
 *
 *   KEY = { csv = "prices.csv"; column = "price"; scale = 1.0;
 *           repeat = "yearly"; };                              a file
 *
 * A file as downloaded says how it is written (sim/config/tsformat.h):
 * format = "csv" | "eia930" | "entsoe", time_column, time_zone,
 * hour_ending, separator (";"), decimal_comma, thousands.
 *
 * Profile: with doy(h) = sim.start_day_of_year + h / 24 and hour(h) = h mod 24,
 *   v(h) = mean (1 + trend_per_year)^(h / 8766)
 *          [1 + a_s cos(2 pi (doy(h) - seasonal_peak_day) / 365.25)
 *             + a_d cos(2 pi (hour(h) - daily_peak_hour) / 24)]  + x(h)
 * where x is a stationary AR(1) noise drawn afresh for every replication,
 * standard deviation noise_sd, correlation exp(-1 / noise_hours) from one
 * hour to the next. The cosines average to zero over a year and a day, so
 * the first year's mean is `mean` (before clipping). A phase is required
 * exactly when its amplitude is not zero, a correlation when there is noise.
 *
 * Sunlight (a solar capacity factor): `daylight = true` and latitude_deg
 * replace the daily cosine by the sun's height,
 *   sin e(h) = sin(lat) sin(dec) + cos(lat) cos(dec) cos(15 deg (hour(h) + 0.5 - 12)),
 *   dec = 23.44 deg sin(2 pi (284 + doy) / 365)       (Cooper's declination)
 * v = max(0, sin e) x the seasonal factor x k, with k chosen (bisection) so
 * that the first year's mean, every hour clipped to hi, is `mean` (a
 * capacity factor); then the noise.
 *
 * File: the strict hourly reader (sim/config/timeseries.h), the values of `column`
 * times `scale`; row 0 is the run's hour 0 unless the file is timestamped:
 * then, with sim.start_date and no repeat, run hour h reads the row stamped
 * start_date + h hours (the file must cover them); otherwise its first row
 * is taken as 1 January 00:00 and run hour h reads row (start_day_of_year -
 * 1) x 24 + h. With repeat = "yearly" the file holds
 * one year (8,760 or 8,784 rows) that repeats; with "none" it must cover the
 * run.
 *
 * Every value is clipped to the caller's range [lo, hi] (a capacity factor
 * to [0, 1]; a price is not clipped below: negative prices are real).
 */
#ifndef MODELS_SIGNAL_H
#define MODELS_SIGNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"
#include "sim/core/rng.h"

typedef enum { SIGNAL_CONST, SIGNAL_PROFILE, SIGNAL_FILE } signal_form;

typedef struct signal {
    signal_form form;
    double lo, hi;
    double mean, seasonal_amp, seasonal_peak_day, daily_amp, daily_peak_hour, trend_per_year;
    double noise_sd, noise_rho;
    bool daylight;
    double latitude_deg, daylight_scale; /* daylight: the factor that makes the first year's mean `mean` */
    double start_day_of_year;
    double *base;   /* n_hours: the signal without its noise, clipped unless it has noise; owned */
    size_t n_hours;
} signal;

/* Reads KEY (absent: the constant dflt; dflt NAN makes it required); `unit`
 * names the values in messages. n_hours: the run's, which a file must
 * cover. */
int signal_load(sim_cfg *cfg, const char *key, double dflt, double lo, double hi, const char *unit, size_t n_hours,
                signal *out, sim_err *err);
void signal_free(signal *s);

/* Whether the signal differs between replications (it has noise). */
static inline bool signal_is_random(const signal *s) { return s->form == SIGNAL_PROFILE && s->noise_sd > 0; }
/* Whether it is the same every hour. */
static inline bool signal_is_constant(const signal *s) { return s->form == SIGNAL_CONST; }

/* The signal hour by hour for one replication: s->base itself when it has
 * no noise, else out (n_hours of them) filled with base + noise, clipped;
 * r draws the noise. */
const double *signal_hours(const signal *s, sim_rng *r, double *out);

#endif
