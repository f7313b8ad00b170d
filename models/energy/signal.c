#include "signal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/calendar.h"
#include "sim/config/timeseries.h"


static double clip(const signal *s, double v) { return v < s->lo ? s->lo : v > s->hi ? s->hi : v; }

/* The sun's height factor max(0, sin e) at hour h (see signal.h). */
static double sun(double lat_rad, double doy, double hour)
{
    double dec = 23.44 * M_PI / 180.0 * sin(2.0 * M_PI * (284.0 + doy) / 365.0);
    double ha = 15.0 * M_PI / 180.0 * (hour + 0.5 - 12.0);
    double se = sin(lat_rad) * sin(dec) + cos(lat_rad) * cos(dec) * cos(ha);
    return se > 0 ? se : 0.0;
}

static int load_profile(sim_cfg *cfg, const char *key, signal *s, sim_err *err)
{
    char k[12][256];
    const char *names[] = {"mean", "seasonal_amplitude", "seasonal_peak_day", "daily_amplitude", "daily_peak_hour",
                           "trend_per_year", "noise_sd", "noise_hours", "daylight", "latitude_deg"};
    for (int i = 0; i < 10; i++)
        snprintf(k[i], sizeof k[i], "%s.%s", key, names[i]);
    double noise_hours = 1.0;
    if (sim_cfg_num(cfg, k[0], SIM_REQUIRED, SIM_RANGE(s->lo, s->hi), &s->mean, err) ||
        sim_cfg_num(cfg, k[1], 0.0, SIM_RANGE(-5, 5), &s->seasonal_amp, err) ||
        sim_cfg_num(cfg, k[2], s->seasonal_amp != 0 ? SIM_REQUIRED : 1.0, SIM_RANGE(1, 366), &s->seasonal_peak_day,
                    err) ||
        sim_cfg_bool(cfg, k[8], 0, &s->daylight, err) ||
        sim_cfg_num(cfg, k[3], 0.0, SIM_RANGE(-5, 5), &s->daily_amp, err) ||
        sim_cfg_num(cfg, k[4], s->daily_amp != 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 24), &s->daily_peak_hour, err) ||
        sim_cfg_num(cfg, k[5], 0.0, SIM_RANGE(-0.5, 1), &s->trend_per_year, err) ||
        sim_cfg_num(cfg, k[6], 0.0, SIM_NONNEG, &s->noise_sd, err) ||
        sim_cfg_num(cfg, k[7], s->noise_sd > 0 ? SIM_REQUIRED : 1.0, SIM_RANGE(0.01, SIM_HOURS_PER_YEAR), &noise_hours, err) ||
        (s->daylight && sim_cfg_num(cfg, k[9], SIM_REQUIRED, SIM_RANGE(-66, 66), &s->latitude_deg, err)))
        return -1;
    if (s->daylight && s->daily_amp != 0) {
        char where[256];
        return sim_errf(err, "%s: %s: a daylight profile takes its daily shape from the sun: no daily_amplitude",
                        sim_cfg_where(cfg, k[3], where, sizeof where), k[3]);
    }
    s->noise_rho = exp(-1.0 / noise_hours);
    s->form = SIGNAL_PROFILE;
    return 0;
}

/* A file as downloaded (sim/config/tsformat.h): *on when the group gives any of the format's keys. */
static int load_format(sim_cfg *cfg, const char *key, sim_ts_format *f, bool *on, sim_err *err)
{
    static const char *const names[] = {"format", "time_column", "time_zone", "hour_ending", "separator",
                                        "decimal_comma", "thousands"};
    char k[7][256], where[256];
    *on = false;
    for (int i = 0; i < 7; i++) {
        snprintf(k[i], sizeof k[i], "%s.%s", key, names[i]);
        *on |= sim_cfg_has(cfg, k[i]);
    }
    memset(f, 0, sizeof *f);
    if (!*on)
        return 0;
    int kind;
    const char *zone = NULL, *sep = ",";
    if (sim_cfg_choice(cfg, k[0], "csv", sim_ts_kind_names, 3, &kind, err))
        return -1;
    f->kind = (sim_ts_kind)kind;
    if ((sim_cfg_has(cfg, k[1]) && sim_cfg_str(cfg, k[1], NULL, &f->time_column, err)) ||
        (sim_cfg_has(cfg, k[2]) && sim_cfg_str(cfg, k[2], NULL, &zone, err)) ||
        sim_cfg_bool(cfg, k[3], f->kind == SIM_TS_EIA930, &f->hour_ending, err) ||
        sim_cfg_str(cfg, k[4], ",", &sep, err) || sim_cfg_bool(cfg, k[5], 0, &f->decimal_comma, err) ||
        sim_cfg_bool(cfg, k[6], f->kind == SIM_TS_EIA930, &f->thousands, err))
        return -1;
    if (zone && !(f->zone = sim_ts_zone_find(zone)))
        return sim_errf(err, "%s: %s: '%s' is not a time zone gigasim knows (UTC, Europe/Berlin and the EU's, "
                             "America/New_York, Chicago, Denver, Los_Angeles, Phoenix: sim/config/tsformat.h)",
                        sim_cfg_where(cfg, k[2], where, sizeof where), k[2], zone);
    if (strcmp(sep, ",") && strcmp(sep, ";"))
        return sim_errf(err, "%s: %s: '%s': the separator is ',' or ';'", sim_cfg_where(cfg, k[4], where, sizeof where),
                        k[4], sep);
    f->separator = sep[0];
    if (f->decimal_comma && f->separator != ';')
        return sim_errf(err, "%s: %s: a decimal comma needs separator = \";\" (a ',' would split the numbers)",
                        sim_cfg_where(cfg, k[5], where, sizeof where), k[5]);
    if (f->kind == SIM_TS_ENTSOE && sim_cfg_has(cfg, k[3]))
        return sim_errf(err, "%s: %s: ENTSO-E's rows are intervals: their start and end say which hour",
                        sim_cfg_where(cfg, k[3], where, sizeof where), k[3]);
    return 0;
}

static int load_file(sim_cfg *cfg, const char *key, const char *unit, double lo, double hi, size_t n_hours,
                     sim_timeseries *ts, size_t *offset, bool *yearly, double *scale, sim_err *err)
{
    char kc[256], kcol[256], kscale[256], krep[256], where[256], what[512], full[4096];
    snprintf(kc, sizeof kc, "%s.csv", key);
    snprintf(kcol, sizeof kcol, "%s.column", key);
    snprintf(kscale, sizeof kscale, "%s.scale", key);
    snprintf(krep, sizeof krep, "%s.repeat", key);
    const char *rel, *col;
    static const char *const repeats[] = {"none", "yearly"};
    int rep;
    if (sim_cfg_str(cfg, kc, NULL, &rel, err) || sim_cfg_str(cfg, kcol, NULL, &col, err) ||
        sim_cfg_num(cfg, kscale, 1.0, SIM_RANGE(-1e6, 1e6), scale, err) ||
        sim_cfg_choice(cfg, krep, "none", repeats, 2, &rep, err))
        return -1;
    if (*scale == 0)
        return sim_errf(err, "%s: %s: a scale of 0 would make every hour of the file 0: give the value as a number "
                             "instead of a file",
                        sim_cfg_where(cfg, kscale, where, sizeof where), kscale);
    sim_cfg_file_path(cfg, kc, rel, full, sizeof full);
    snprintf(what, sizeof what, "%s: %s", sim_cfg_where(cfg, kc, where, sizeof where), kc);
    /* every hour within the key's range, as the same value given as a number would be */
    sim_ts_format format;
    bool formatted;
    if (load_format(cfg, key, &format, &formatted, err))
        return -1;
    sim_ts_spec spec = {full, what, col, lo, hi, unit, 1000000, sim_cfg_inputs(cfg), *scale, formatted ? &format : NULL};
    if (sim_timeseries_read(&spec, ts, err))
        return -1;
    *yearly = rep == 1;
    double start_doy;
    if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &start_doy, err))
        return -1;
    *offset = ts->timestamped ? (size_t)((start_doy - 1.0) * 24.0) : 0;
    /* a timestamped file that is not repeated is read from the run's own start date, when it has one */
    const char *start;
    int64_t start_days;
    if (ts->timestamped && !*yearly && sim_cfg_has(cfg, "sim.start_date") &&
        sim_cfg_str(cfg, "sim.start_date", NULL, &start, err) == 0 && sim_date_parse(start, &start_days) == 0) {
        int64_t row = start_days * 24 - ts->first_hour;
        if (row < 0 || (size_t)row + n_hours > ts->n)
            return sim_errf(err, "%s: '%s' holds %zu hours from its first timestamp, and the run needs %zu from "
                                 "sim.start_date %s (row %lld)",
                            what, full, ts->n, n_hours, start, (long long)row);
        *offset = (size_t)row;
    }
    if (*yearly && !sim_is_year_of_hours(ts->n))
        return sim_errf(err, "%s: repeat = \"yearly\" needs a year of hours (8,760 or 8,784 rows); '%s' has %zu",
                        what, full, ts->n);
    if (*yearly)
        *offset %= ts->n;
    if (!*yearly && ts->n < *offset + n_hours)
        return sim_errf(err, "%s: '%s' holds %zu hours and the run needs %zu from row %zu: give a longer file, or "
                             "repeat = \"yearly\" to repeat a year",
                        what, full, ts->n, n_hours, *offset);
    return sim_cfg_pin_file(cfg, kc, full, err);
}

/* Sunlight's scale: the one that makes the first year's mean `mean` once every hour is clipped to hi
 * (bisection: the mean of min(hi, k x shape) grows with k); refused when the mean is beyond every sunlit
 * hour at full output. */
static int daylight_scale(sim_cfg *cfg, const char *key, signal *s, sim_err *err)
{
    const double two_pi = 2.0 * M_PI, lat = s->latitude_deg * M_PI / 180.0;
    double sun_sum = 0;
    double *shape = sim_calloc(SIM_HOURS_COMMON_YEAR, sizeof *shape, err);
    if (!shape)
        return sim_err_oom_for(err, "the sunlight of %s", key);
    double most = 0, lit = 0;
    for (size_t h = 0; h < SIM_HOURS_COMMON_YEAR; h++) {
        double doy = s->start_day_of_year + (double)h / 24.0;
        shape[h] = sun(lat, doy, (double)(h % 24)) *
                   (1.0 + s->seasonal_amp * cos(two_pi * (doy - s->seasonal_peak_day) / SIM_DAYS_PER_YEAR));
        sun_sum += shape[h];
        lit += shape[h] > 0;
        most = shape[h] > most ? shape[h] : most;
    }
    double k_lo = 0, k_hi = most > 0 ? 2.0 * s->hi / most * SIM_HOURS_COMMON_YEAR : 0.0;
    for (int it = 0; it < 60 && most > 0; it++) {
        double k = 0.5 * (k_lo + k_hi), m = 0;
        for (size_t h = 0; h < SIM_HOURS_COMMON_YEAR; h++)
            m += fmin(s->hi, k * shape[h]);
        if (m / SIM_HOURS_COMMON_YEAR < s->mean)
            k_lo = k;
        else
            k_hi = k;
    }
    free(shape);
    s->daylight_scale = 0.5 * (k_lo + k_hi);
    /* at most every sunlit hour at full output: a mean beyond that the clipped shape cannot reach */
    if (sun_sum <= 0 || s->mean >= s->hi * lit / SIM_HOURS_COMMON_YEAR) {
        char where[256], kmean[256];
        snprintf(kmean, sizeof kmean, "%s.mean", key);
        return sim_errf(err, "%s: %s.mean: sunlight at latitude %g gives at most %.3g (every sunlit hour at full "
                             "output), not %g",
                        sim_cfg_where(cfg, kmean, where, sizeof where), key, s->latitude_deg,
                        s->hi * lit / SIM_HOURS_COMMON_YEAR, s->mean);
    }
    return 0;
}

/* The base values hour by hour: the constant, the file's (scaled, from offset, repeated yearly if asked)
 * or the profile's; clipped unless noise comes on top. */
static void fill_base(signal *s, const sim_timeseries *ts, size_t offset, bool yearly, double scale)
{
    const double two_pi = 2.0 * M_PI, lat = s->latitude_deg * M_PI / 180.0;
    bool noisy = signal_is_random(s);
    for (size_t h = 0; h < s->n_hours; h++) {
        double v;
        if (s->form == SIGNAL_CONST) {
            v = s->mean;
        } else if (s->form == SIGNAL_FILE) {
            v = scale * ts->v[yearly ? (offset + h) % ts->n : offset + h];
        } else {
            double doy = s->start_day_of_year + (double)h / 24.0;
            double season = 1.0 + s->seasonal_amp * cos(two_pi * (doy - s->seasonal_peak_day) / SIM_DAYS_PER_YEAR);
            double trend = s->trend_per_year != 0 ? pow(1.0 + s->trend_per_year, (double)h / SIM_HOURS_PER_YEAR) : 1.0;
            if (s->daylight)
                v = s->daylight_scale * sun(lat, doy, (double)(h % 24)) * season * trend;
            else
                v = s->mean * trend *
                    (season + s->daily_amp * cos(two_pi * ((double)(h % 24) - s->daily_peak_hour) / 24.0));
        }
        s->base[h] = noisy ? v : clip(s, v);
    }
}

int signal_load(sim_cfg *cfg, const char *key, double dflt, double lo, double hi, const char *unit, size_t n_hours,
                signal *s, sim_err *err)
{
    memset(s, 0, sizeof *s);
    s->lo = lo;
    s->hi = hi;
    s->n_hours = n_hours;
    char kcsv[256], kmean[256];
    snprintf(kcsv, sizeof kcsv, "%s.csv", key);
    snprintf(kmean, sizeof kmean, "%s.mean", key);
    if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &s->start_day_of_year, err))
        return -1;
    sim_cfg_claim(cfg, key);
    sim_timeseries ts = {0};
    size_t offset = 0;
    bool yearly = false;
    double scale = 1.0;
    int rc = 0;
    if (sim_cfg_has(cfg, kcsv)) {
        s->form = SIGNAL_FILE;
        rc = load_file(cfg, key, unit, lo, hi, n_hours, &ts, &offset, &yearly, &scale, err);
    } else if (sim_cfg_has(cfg, kmean)) {
        rc = load_profile(cfg, key, s, err);
    } else {
        s->form = SIGNAL_CONST;
        rc = sim_cfg_num(cfg, key, isnan(dflt) ? SIM_REQUIRED : dflt, SIM_RANGE(lo, hi), &s->mean, err);
    }
    if (rc == 0 && !(s->base = sim_calloc(n_hours ? n_hours : 1, sizeof *s->base, err)))
        rc = sim_err_oom_for(err, "the %zu hours of %s", n_hours, key);
    if (rc == 0 && s->form == SIGNAL_PROFILE && s->daylight)
        rc = daylight_scale(cfg, key, s, err);
    if (rc == 0)
        fill_base(s, &ts, offset, yearly, scale);
    sim_timeseries_free(&ts);
    return rc ? -1 : 0;
}

void signal_free(signal *s)
{
    free(s->base);
    s->base = NULL;
}

const double *signal_hours(const signal *s, sim_rng *r, double *out)
{
    if (!signal_is_random(s))
        return s->base;
    double rho = s->noise_rho, innov = s->noise_sd * sqrt(1.0 - rho * rho);
    double x = s->noise_sd * sim_rng_normal(r);
    for (size_t h = 0; h < s->n_hours; h++) {
        if (h > 0)
            x = rho * x + innov * sim_rng_normal(r);
        out[h] = clip(s, s->base[h] + x);
    }
    return out;
}
