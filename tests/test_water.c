/* Water and PUE from the weather, through a whole site: the small site
 * (tests/data/small_base.inc) serving a full year (days 300-665) with the
 * catalog's technologies in Phoenix's and Seattle's climates, as monthly
 * normals derived from their TMYx years [CLIM-EPW] and, when
 * ../shared/data is at hand, as the hourly EPW files themselves. The
 * integral is held to the hour's rate in constant weather. */
#include <stdio.h>
#include <stdlib.h>

#include "models/energy/cooling.h"
#include "models/energy/psychro.h"
#include "models/site/site.h"
#include "test.h"

#define PHOENIX_NORMALS                                                                                   \
    "climate = { monthly_mean_c = [12.5, 14.0, 20.3, 23.7, 28.8, 34.7, 35.7, 34.6, 33.3, 25.6, 19.3, 12.8];\n" \
    "  monthly_daily_range_c = [13.5, 13.9, 14.5, 13.5, 13.2, 12.9, 10.8, 10.5, 11.8, 14.6, 16.2, 12.7];\n"   \
    "  monthly_dew_point_c = [-2.5, 0.6, 0.2, -1.6, -0.9, 2.4, 13.5, 14.5, 11.2, 2.6, -0.1, 1.3];\n"            \
    "  warmest_hour = 16.0; pressure_kpa = 97.3; noise_sd_c = 2.5; noise_hourly_corr = 0.97; };\n"
#define SEATTLE_NORMALS                                                                                   \
    "climate = { monthly_mean_c = [6.0, 5.0, 8.4, 10.0, 14.2, 16.6, 19.5, 20.0, 15.9, 11.6, 8.4, 4.1];\n"     \
    "  monthly_daily_range_c = [4.9, 4.8, 7.1, 8.1, 9.3, 9.5, 11.3, 11.2, 8.4, 6.5, 5.0, 4.6];\n"              \
    "  monthly_dew_point_c = [3.1, 0.5, 3.6, 4.9, 8.3, 9.6, 11.7, 12.6, 10.2, 8.0, 5.2, 0.6];\n"                \
    "  warmest_hour = 16.0; pressure_kpa = 100.1; noise_sd_c = 2.5; noise_hourly_corr = 0.97; };\n"
#define EPW_DIR "../../../shared/data/weather/" /* relative to tests/data */

typedef struct water_run {
    double wue, pue, it_mwh, water_m3;
} water_run;

static int run_climate(const char *climate, const char *tech, water_run *w, sim_err *err)
{
    char text[2048];
    snprintf(text, sizeof text,
             "@include \"small_base.inc\"\n@include \"../../scenarios/catalog/cooling.cfg\"\n"
             "sim = { horizon_days = 665.0; };\n"
             "halls = ( { name = \"h\"; count = 1; ready_after = \"commissioning\"; cooling = \"%s\"; "
             "it_capacity_mw = 10.0; } );\n%s",
             tech, climate);
    void *m = load_site("tests/data", text, NULL, NULL, err);
    if (!m)
        return -1;
    double *mt = NULL, *se = NULL;
    sim_layout lay;
    int rc = run_site(m, 7, 0, &mt, &se, &lay, err);
    site_app.free(m);
    if (rc == 0)
        *w = (water_run){mt[M_WUE], mt[M_PUE_MEAN], mt[M_IT_MWH], mt[M_WATER_M3]};
    free(mt);
    free(se);
    return rc;
}

/* Phoenix against Seattle for one pair of climate texts. */
static void phoenix_against_seattle(const char *phoenix, const char *seattle, const char *what)
{
    water_run p[3], s[3];
    static const char *const tech[3] = {"liquid", "liquid_adiabatic", "liquid_tower"};
    sim_err err;
    for (int i = 0; i < 3; i++) {
        CHECK(run_climate(phoenix, tech[i], &p[i], &err) == 0, "%s", err.msg);
        CHECK(run_climate(seattle, tech[i], &s[i], &err) == 0, "%s", err.msg);
        fprintf(stderr, "  %s %-16s WUE Phoenix %.3f Seattle %.3f L/kWh; PUE %.4f %.4f\n", what, tech[i], p[i].wue,
                s[i].wue, p[i].pue, s[i].pue);
    }
    CHECK(p[0].water_m3 == 0 && s[0].water_m3 == 0, "%s: dry coolers used water (%g, %g m3)", what, p[0].water_m3,
          s[0].water_m3);
    CHECK(p[0].pue > s[0].pue + 0.005, "%s: dry coolers: Phoenix PUE %.4f not above Seattle's %.4f", what, p[0].pue,
          s[0].pue);
    /* Adiabatic sprays above 30 C: Phoenix's 3,018 hours, Seattle's 44. */
    CHECK(p[1].wue > 0.1 && p[1].wue > 10 * s[1].wue, "%s: adiabatic WUE Phoenix %.3f, Seattle %.3f", what, p[1].wue,
          s[1].wue);
    CHECK(p[1].pue < p[0].pue, "%s: spraying in Phoenix saves no energy (PUE %.4f vs dry %.4f)", what, p[1].pue,
          p[0].pue);
    /* Towers evaporate all year: 1-2 L/kWh typical, 3-5 in a hot climate [WUE-EVAP]. */
    CHECK(s[2].wue >= 1.0 && s[2].wue <= 2.0, "%s: tower WUE in Seattle %.3f, want 1-2 L/kWh", what, s[2].wue);
    CHECK(p[2].wue > s[2].wue * 1.15 && p[2].wue <= 5.0, "%s: tower WUE in Phoenix %.3f against Seattle %.3f", what,
          p[2].wue, s[2].wue);
    CHECK(p[2].pue < p[0].pue, "%s: the tower's wet-bulb sink beats dry coolers in Phoenix (PUE %.4f vs %.4f)", what,
          p[2].pue, p[0].pue);
}

TEST(water_and_pue_follow_the_climate_phoenix_against_seattle)
{
    phoenix_against_seattle(PHOENIX_NORMALS, SEATTLE_NORMALS, "normals");
}

TEST(water_and_pue_follow_the_epw_years_phoenix_against_seattle)
{
    FILE *f = fopen("../shared/data/weather/USA_AZ_Phoenix-Sky.Harbor.epw", "r");
    if (!f) {
        fprintf(stderr, "  skipped: ../shared/data/weather not at hand\n");
        return;
    }
    fclose(f);
    phoenix_against_seattle("climate = { epw = \"" EPW_DIR "USA_AZ_Phoenix-Sky.Harbor.epw\"; };\n",
                            "climate = { epw = \"" EPW_DIR "USA_WA_Seattle-Tacoma.epw\"; };\n", "EPW");
}

TEST(site_water_is_the_hours_rate_times_it_energy)
{
    /* Constant weather: 30 C, dew point 15 C, sea level. The site's water over the year
     * must be its IT energy times the tower's rate in that hour (held by hand in
     * tests/test_cooling.c). */
    const char *climate = "climate = { mean_c = 30.0; annual_amplitude_c = 0.0; daily_amplitude_c = 0.0;\n"
                          "  monthly_dew_point_c = [15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, "
                          "15.0, 15.0]; };\n";
    water_run w;
    sim_err err;
    CHECK(run_climate(climate, "liquid_tower", &w, &err) == 0, "%s", err.msg);
    cooling_tech t = {.rejection = COOLING_EVAPORATIVE, .supply_c = 30, .approach_c = 4, .free_frac = 0.03,
                      .per_c_frac = 0.006, .max_frac = 0.12, .cycles = 4};
    cooling_config c = {.electrical_loss_frac = 0.04};
    double p = PSY_STANDARD_PRESSURE_KPA;
    cooling_weather hour = {30, psy_wet_bulb_c(30, 15, p), psy_humidity_ratio(psy_sat_vp_kpa(15), p), p};
    double per_it, rate;
    cooling_per_it(&c, &t, &hour, &per_it, &rate);
    CHECK(w.it_mwh > 0, "no IT energy");
    CHECK_NEAR(w.water_m3, w.it_mwh * rate, 1e-9 * w.water_m3, "water (m3) = IT MWh x the hour's rate");
    CHECK_NEAR(w.wue, rate, 1e-12, "WUE");
}
