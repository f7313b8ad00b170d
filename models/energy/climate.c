#include "climate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/timeseries.h"

/* The hourly file (climate.csv, relative to the scenario file), read by
 * the strict reader: column climate.column, deg C in [-90, 60]. */
static int load_csv(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    const char *rel, *col, *repeat;
    char where[256];
    if (sim_cfg_str(cfg, "climate.csv", NULL, &rel, err) || sim_cfg_str(cfg, "climate.column", "temp_c", &col, err) ||
        sim_cfg_str(cfg, "climate.repeat", "none", &repeat, err))
        return -1;
    if (strcmp(repeat, "none") != 0 && strcmp(repeat, "yearly") != 0)
        return sim_errf(err, "%s: climate.repeat: \"%s\" is neither \"none\" nor \"yearly\"",
                        sim_cfg_where(cfg, "climate.repeat", where, sizeof where), repeat);
    c->repeat_yearly = !strcmp(repeat, "yearly");
    const char *scenario_path = sim_cfg_path(cfg);
    const char *slash = strrchr(scenario_path, '/');
    char full[4096];
    if (rel[0] == '/' || !slash)
        snprintf(full, sizeof full, "%s", rel);
    else
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - scenario_path), scenario_path, rel);
    snprintf(c->where, sizeof c->where, "%s: climate.csv", sim_cfg_where(cfg, "climate.csv", where, sizeof where));
    sim_ts_spec spec = {full, c->where, col, -90.0, 60.0, "deg C", CLIMATE_MAX_HOURS};
    sim_timeseries ts;
    if (sim_timeseries_read(&spec, &ts, err))
        return -1;
    if (c->repeat_yearly && ts.n != 8760 && ts.n != 8784) {
        sim_timeseries_free(&ts);
        return sim_errf(err, "%s: climate.repeat = \"yearly\" needs a year of hours (8,760 or 8,784 rows); '%s' has %zu",
                        c->where, full, ts.n);
    }
    c->csv_c = ts.v;
    c->n_csv = ts.n;
    return 0;
}

int climate_load(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &c->start_day_of_year, err))
        return -1;
    if (sim_cfg_has(cfg, "climate.csv"))
        return load_csv(cfg, c, err);
    /* No physical constant has a default here: a cycle's phase is required
     * exactly when the cycle has an amplitude, the noise's correlation when
     * there is noise (the presets cite their values). */
    if (sim_cfg_num(cfg, "climate.mean_c", SIM_REQUIRED, SIM_RANGE(-60, 50), &c->mean_c, err) ||
        sim_cfg_num(cfg, "climate.annual_amplitude_c", SIM_REQUIRED, SIM_RANGE(0, 40), &c->annual_amplitude_c, err) ||
        sim_cfg_num(cfg, "climate.warmest_day", c->annual_amplitude_c > 0 ? SIM_REQUIRED : 1.0, SIM_RANGE(1, 366),
                    &c->warmest_day, err) ||
        sim_cfg_num(cfg, "climate.daily_amplitude_c", SIM_REQUIRED, SIM_RANGE(0, 25), &c->daily_amplitude_c, err) ||
        sim_cfg_num(cfg, "climate.warmest_hour", c->daily_amplitude_c > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 24),
                    &c->warmest_hour, err) ||
        sim_cfg_num(cfg, "climate.noise_sd_c", 0.0, SIM_RANGE(0, 20), &c->noise_sd_c, err) ||
        sim_cfg_num(cfg, "climate.noise_hourly_corr", c->noise_sd_c > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 0.99999),
                    &c->noise_hourly_corr, err))
        return -1;
    return 0;
}

int climate_prepare(climate_config *c, size_t n_hours, sim_err *err)
{
    if (c->csv_c && !c->repeat_yearly && c->n_csv < n_hours)
        return sim_errf(err,
                        "%s: the file holds %zu hours and the run needs %zu (its horizon): give a longer file, or "
                        "climate.repeat = \"yearly\" to repeat a year of hours",
                        c->where, c->n_csv, n_hours);
    free(c->base_c);
    c->base_c = sim_calloc(n_hours ? n_hours : 1, sizeof *c->base_c, err);
    if (!c->base_c)
        return -1;
    c->n_base = n_hours;
    const double two_pi = 2.0 * M_PI;
    for (size_t h = 0; h < n_hours; h++) {
        if (c->csv_c) {
            c->base_c[h] = c->csv_c[h % c->n_csv];
            continue;
        }
        double t_days = (double)h / 24.0;
        double doy = c->start_day_of_year + t_days;
        double hour = (double)(h % 24);
        c->base_c[h] = c->mean_c + c->annual_amplitude_c * cos(two_pi * (doy - c->warmest_day) / 365.25) +
                       c->daily_amplitude_c * cos(two_pi * (hour - c->warmest_hour) / 24.0);
    }
    return 0;
}

void climate_free(climate_config *c)
{
    free(c->csv_c);
    free(c->base_c);
    c->csv_c = c->base_c = NULL;
    c->n_csv = c->n_base = 0;
}

void climate_generate(const climate_config *c, sim_rng *rng, double *temp_c, size_t n_hours)
{
    double rho = c->noise_hourly_corr;
    double innov = c->noise_sd_c * sqrt(1.0 - rho * rho);
    bool noisy = !c->csv_c && c->noise_sd_c > 0;
    double x = noisy ? c->noise_sd_c * sim_rng_normal(rng) : 0.0;
    for (size_t h = 0; h < n_hours; h++) {
        if (h > 0 && noisy)
            x = rho * x + innov * sim_rng_normal(rng);
        temp_c[h] = c->base_c[h < c->n_base ? h : c->n_base - 1] + x;
    }
}
