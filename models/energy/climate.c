#include "climate.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/energy/psychro.h"
#include "sim/core/calendar.h"
#include "sim/config/epw.h"
#include "sim/core/rng.h"
#include "sim/config/timeseries.h"

static const double month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

double climate_monthly_curve(const double v[12], double day)
{
    double x = fmod(day, 365.0);
    if (x < 0)
        x += 365.0;
    double start = 0, prev_mid = -month_days[11] / 2.0; /* December's middle, a year earlier */
    double prev_v = v[11];
    for (int m = 0; m < 12; m++) {
        double mid = start + month_days[m] / 2.0;
        if (x < mid)
            return prev_v + (v[m] - prev_v) * (x - prev_mid) / (mid - prev_mid);
        prev_mid = mid;
        prev_v = v[m];
        start += month_days[m];
    }
    double next_mid = 365.0 + month_days[0] / 2.0; /* January's middle, a year later */
    return prev_v + (v[0] - prev_v) * (x - prev_mid) / (next_mid - prev_mid);
}

void climate_monthly_nodes(const double m[12], double v[12])
{
    double next[12];
    memcpy(v, m, 12 * sizeof *v);
    for (int it = 0; it < 200; it++) { /* the error shrinks by 1/3 an iteration */
        for (int i = 0; i < 12; i++)
            next[i] = (8.0 * m[i] - v[(i + 11) % 12] - v[(i + 1) % 12]) / 6.0;
        memcpy(v, next, sizeof next);
    }
}

/* The hourly file (climate.csv, relative to the scenario file), read by
 * the strict reader: column climate.column, deg C in [-90, 60], and the
 * dew point in climate.dew_point_column if given. */
static int load_csv(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    const char *rel, *col, *dew_col, *repeat;
    char where[256];
    if (sim_cfg_str(cfg, "climate.csv", NULL, &rel, err) || sim_cfg_str(cfg, "climate.column", "temp_c", &col, err) ||
        sim_cfg_str(cfg, "climate.dew_point_column", "", &dew_col, err) ||
        sim_cfg_str(cfg, "climate.repeat", "none", &repeat, err))
        return -1;
    if (strcmp(repeat, "none") != 0 && strcmp(repeat, "yearly") != 0)
        return sim_errf(err, "%s: climate.repeat: \"%s\" is neither \"none\" nor \"yearly\"",
                        sim_cfg_where(cfg, "climate.repeat", where, sizeof where), repeat);
    c->form = CLIMATE_CSV;
    c->repeat_yearly = !strcmp(repeat, "yearly");
    char full[4096];
    sim_cfg_file_path(cfg, "climate.csv", rel, full, sizeof full);
    snprintf(c->where, sizeof c->where, "%s: climate.csv", sim_cfg_where(cfg, "climate.csv", where, sizeof where));
    sim_ts_spec spec = {full, c->where, col, -90.0, 60.0, "deg C", CLIMATE_MAX_HOURS, sim_cfg_inputs(cfg), 0, NULL};
    sim_timeseries ts, dew;
    if (sim_timeseries_read(&spec, &ts, err))
        return -1;
    c->file_c = ts.v;
    c->n_file = ts.n;
    if (c->repeat_yearly && !sim_is_year_of_hours(ts.n))
        return sim_errf(err, "%s: climate.repeat = \"yearly\" needs a year of hours (8,760 or 8,784 rows); '%s' has %zu",
                        c->where, full, ts.n);
    if (*dew_col) {
        spec.column = dew_col;
        if (sim_timeseries_read(&spec, &dew, err))
            return -1;
        c->file_dew_c = dew.v; /* the same rows: the reader checked the hours */
    }
    return sim_cfg_pin_file(cfg, "climate.csv", full, err);
}

static int load_epw(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    const char *rel;
    char where[256], full[4096];
    if (sim_cfg_str(cfg, "climate.epw", NULL, &rel, err))
        return -1;
    c->form = CLIMATE_EPW;
    sim_cfg_file_path(cfg, "climate.epw", rel, full, sizeof full);
    snprintf(c->where, sizeof c->where, "%s: climate.epw", sim_cfg_where(cfg, "climate.epw", where, sizeof where));
    sim_epw e;
    if (sim_epw_read(sim_cfg_inputs(cfg), full, c->where, &e, err))
        return -1;
    c->file_c = e.dry_bulb_c;
    c->file_dew_c = e.dew_point_c;
    c->n_file = e.n;
    c->pressure_kpa = e.mean_pressure_kpa;
    c->repeat_yearly = true;
    c->file_offset = (size_t)((c->start_day_of_year - 1.0) * 24.0) % e.n;
    return sim_cfg_pin_file(cfg, "climate.epw", full, err);
}

/* Twelve numbers, January to December, at key. */
static int read_months(sim_cfg *cfg, const char *key, sim_range r, double out[12], sim_err *err)
{
    size_t n;
    char k[128], where[256];
    if (sim_cfg_count(cfg, key, true, &n, err))
        return -1;
    if (n != 12)
        return sim_errf(err, "%s: %s: needs 12 values, January to December (has %zu)",
                        sim_cfg_where(cfg, key, where, sizeof where), key, n);
    for (size_t i = 0; i < 12; i++) {
        snprintf(k, sizeof k, "%s.[%zu]", key, i);
        if (sim_cfg_num(cfg, k, SIM_REQUIRED, r, &out[i], err))
            return -1;
    }
    return 0;
}

/* The weather's noise, and the optional monthly dew points, of the two
 * synthetic forms. */
static int load_noise_and_dew(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    if (sim_cfg_num(cfg, "climate.noise_sd_c", 0.0, SIM_RANGE(0, 20), &c->noise_sd_c, err) ||
        sim_cfg_num(cfg, "climate.noise_hourly_corr", c->noise_sd_c > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 0.99999),
                    &c->noise_hourly_corr, err) ||
        sim_cfg_num(cfg, "climate.noise_slow_sd_c", 0.0, SIM_RANGE(0, 10), &c->noise_slow_sd_c, err) ||
        sim_cfg_num(cfg, "climate.noise_slow_days", c->noise_slow_sd_c > 0 ? SIM_REQUIRED : 1.0, SIM_RANGE(1, 365),
                    &c->noise_slow_days, err))
        return -1;
    c->has_monthly_dew = sim_cfg_has(cfg, "climate.monthly_dew_point_c");
    return c->has_monthly_dew ? read_months(cfg, "climate.monthly_dew_point_c", SIM_RANGE(-60, 35), c->monthly_dew_c, err)
                              : 0;
}

/* The keys that choose a form, and each form's own keys. */
static const char *const form_key[4] = {"climate.epw", "climate.csv", "climate.monthly_mean_c", "climate.mean_c"};
static const char *const form_keys[4][5] = {
    {"climate.epw"},
    {"climate.csv", "climate.column", "climate.dew_point_column", "climate.repeat"},
    {"climate.monthly_mean_c", "climate.monthly_daily_range_c"},
    {"climate.mean_c", "climate.annual_amplitude_c", "climate.warmest_day", "climate.daily_amplitude_c"},
};

/* A scenario that gives a form of its own replaces its preset's form: the
 * preset's keys of the other forms count as read. */
static void prefer_own_form(sim_cfg *cfg)
{
    int own = -1;
    for (int f = 0; f < 4 && own < 0; f++)
        if (sim_cfg_has_own(cfg, form_key[f]))
            own = f;
    if (own < 0)
        return;
    for (int f = 0; f < 4; f++)
        for (int k = 0; f != own && k < 5 && form_keys[f][k]; k++)
            if (!sim_cfg_has_own(cfg, form_keys[f][k]))
                sim_cfg_ignore(cfg, form_keys[f][k]);
}

/* The form: the first of form_key the scenario (or else its preset) gives,
 * a form of the scenario's own before its preset's. */
static bool chooses(sim_cfg *cfg, int form)
{
    bool any_own = false;
    for (int f = 0; f < 4; f++)
        any_own |= sim_cfg_has_own(cfg, form_key[f]);
    return any_own ? sim_cfg_has_own(cfg, form_key[form]) : sim_cfg_has(cfg, form_key[form]);
}

int climate_load(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    prefer_own_form(cfg);
    if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &c->start_day_of_year, err) ||
        sim_cfg_num(cfg, "climate.pressure_kpa", PSY_STANDARD_PRESSURE_KPA, SIM_RANGE(30, 120), &c->pressure_kpa, err))
        return -1;
    if (chooses(cfg, 0))
        return load_epw(cfg, c, err);
    if (chooses(cfg, 1))
        return load_csv(cfg, c, err);
    if (chooses(cfg, 2)) {
        c->form = CLIMATE_NORMALS;
        if (read_months(cfg, "climate.monthly_mean_c", SIM_RANGE(-60, 50), c->monthly_mean_c, err) ||
            read_months(cfg, "climate.monthly_daily_range_c", SIM_RANGE(0, 40), c->monthly_range_c, err) ||
            sim_cfg_num(cfg, "climate.warmest_hour", SIM_REQUIRED, SIM_RANGE(0, 24), &c->warmest_hour, err))
            return -1;
        return load_noise_and_dew(cfg, c, err);
    }
    c->form = CLIMATE_PROFILE;
    if (sim_cfg_num(cfg, "climate.mean_c", SIM_REQUIRED, SIM_RANGE(-60, 50), &c->mean_c, err) ||
        sim_cfg_num(cfg, "climate.annual_amplitude_c", SIM_REQUIRED, SIM_RANGE(0, 40), &c->annual_amplitude_c, err) ||
        sim_cfg_num(cfg, "climate.warmest_day", c->annual_amplitude_c > 0 ? SIM_REQUIRED : 1.0, SIM_RANGE(1, 366),
                    &c->warmest_day, err) ||
        sim_cfg_num(cfg, "climate.daily_amplitude_c", SIM_REQUIRED, SIM_RANGE(0, 25), &c->daily_amplitude_c, err) ||
        sim_cfg_num(cfg, "climate.warmest_hour", c->daily_amplitude_c > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 24),
                    &c->warmest_hour, err))
        return -1;
    return load_noise_and_dew(cfg, c, err);
}

int climate_prepare(climate_config *c, size_t n_hours, sim_err *err)
{
    bool file = c->form == CLIMATE_CSV || c->form == CLIMATE_EPW;
    if (file && !c->repeat_yearly && c->n_file < n_hours)
        return sim_errf(err,
                        "%s: the file holds %zu hours and the run needs %zu (its horizon): give a longer file, or "
                        "climate.repeat = \"yearly\" to repeat a year of hours",
                        c->where, c->n_file, n_hours);
    free(c->base_c);
    free(c->dew_c);
    c->dew_c = NULL;
    c->base_c = sim_calloc(n_hours ? n_hours : 1, sizeof *c->base_c, err);
    if (!c->base_c)
        return sim_err_oom_for(err, "the climate's %zu hours", n_hours);
    if (climate_has_humidity(c) && !(c->dew_c = sim_calloc(n_hours ? n_hours : 1, sizeof *c->dew_c, err)))
        return sim_err_oom_for(err, "the climate's %zu hours of dew point", n_hours);
    c->n_base = n_hours;
    double mean_v[12], range_v[12], dew_v[12];
    climate_monthly_nodes(c->monthly_mean_c, mean_v);
    climate_monthly_nodes(c->monthly_range_c, range_v);
    climate_monthly_nodes(c->monthly_dew_c, dew_v);
    const double two_pi = 2.0 * M_PI;
    for (size_t h = 0; h < n_hours; h++) {
        if (file) {
            size_t i = (c->file_offset + h) % c->n_file;
            c->base_c[h] = c->file_c[i];
            if (c->dew_c)
                c->dew_c[h] = c->file_dew_c[i];
            continue;
        }
        double day = c->start_day_of_year - 1.0 + (double)h / 24.0;
        double daily = cos(two_pi * ((double)(h % 24) - c->warmest_hour) / 24.0);
        if (c->form == CLIMATE_NORMALS)
            c->base_c[h] = climate_monthly_curve(mean_v, day) + 0.5 * climate_monthly_curve(range_v, day) * daily;
        else
            c->base_c[h] = c->mean_c + c->annual_amplitude_c * cos(two_pi * (day + 1.0 - c->warmest_day) / 365.25) +
                           c->daily_amplitude_c * daily;
        if (c->dew_c)
            c->dew_c[h] = climate_monthly_curve(dew_v, day);
    }
    return 0;
}

void climate_free(climate_config *c)
{
    free(c->file_c);
    free(c->file_dew_c);
    free(c->base_c);
    free(c->dew_c);
    c->file_c = c->file_dew_c = c->base_c = c->dew_c = NULL;
    c->n_file = c->n_base = 0;
}

void climate_generate(const climate_config *c, sim_rng *rng, double *temp_c, size_t n_hours)
{
    bool synthetic = c->form == CLIMATE_PROFILE || c->form == CLIMATE_NORMALS;
    bool noisy = synthetic && c->noise_sd_c > 0, slow = synthetic && c->noise_slow_sd_c > 0;
    double rho = c->noise_hourly_corr, innov = c->noise_sd_c * sqrt(1.0 - rho * rho);
    double phi = slow ? exp(-1.0 / c->noise_slow_days) : 0, slow_innov = c->noise_slow_sd_c * sqrt(1.0 - phi * phi);
    double x = noisy ? c->noise_sd_c * sim_rng_normal(rng) : 0.0;
    double s = slow ? c->noise_slow_sd_c * sim_rng_normal(rng) : 0.0;
    for (size_t h = 0; h < n_hours; h++) {
        if (h > 0 && noisy)
            x = rho * x + innov * sim_rng_normal(rng);
        if (h > 0 && slow && h % 24 == 0)
            s = phi * s + slow_innov * sim_rng_normal(rng);
        temp_c[h] = c->base_c[h < c->n_base ? h : c->n_base - 1] + x + s;
    }
}
