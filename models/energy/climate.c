#include "climate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

static int load_csv(const char *scenario_path, const char *rel, climate_config *c, char *where, sim_err *err)
{
    char full[4096];
    const char *slash = strrchr(scenario_path, '/');
    if (rel[0] == '/' || !slash)
        snprintf(full, sizeof full, "%s", rel);
    else
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - scenario_path), scenario_path, rel);
    FILE *f = fopen(full, "r");
    if (!f)
        return sim_errf(err, "%s: climate.csv: cannot open '%s': %s", where, full, strerror(errno));
    size_t cap = 0, n = 0, lineno = 0;
    double *v = NULL;
    char line[512];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *field = strrchr(line, ',');
        field = field ? field + 1 : line;
        while (*field == ' ' || *field == '\t')
            field++;
        if (!(*field == '-' || *field == '+' || *field == '.' || (*field >= '0' && *field <= '9')))
            continue; /* header or blank */
        char *end;
        double t = strtod(field, &end);
        while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
            end++;
        if (*end || !isfinite(t) || t < -90.0 || t > 60.0) {
            rc = sim_errf(err, "%s:%zu: not a temperature in deg C between -90 and 60: %s", full, lineno, field);
            break;
        }
        if (sim_grow((void **)&v, &cap, n + 1, sizeof *v, err)) {
            rc = -1;
            break;
        }
        v[n++] = t;
    }
    fclose(f);
    if (rc == 0 && n == 0)
        rc = sim_errf(err, "%s: climate.csv: '%s' holds no temperatures", where, full);
    if (rc) {
        free(v);
        return -1;
    }
    c->csv_c = v;
    c->n_csv = n;
    return 0;
}

int climate_load(sim_cfg *cfg, climate_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &c->start_day_of_year, err))
        return -1;
    if (sim_cfg_has(cfg, "climate.csv")) {
        const char *rel;
        char where[256];
        if (sim_cfg_str(cfg, "climate.csv", NULL, &rel, err))
            return -1;
        return load_csv(sim_cfg_path(cfg), rel, c, (char *)sim_cfg_where(cfg, "climate.csv", where, sizeof where), err);
    }
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
