/* climate (models/energy/climate.h): the profile against its formula, the
 * AR(1) noise's standard deviation and hour-to-hour correlation. (The
 * hourly-file form: tests/test_timeseries.c.) */
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

#include "models/energy/climate.h"
#include "sim/config/cfg.h"
#include "sim/core/rng.h"
#include "test.h"

TEST(climate_profile_matches_formula)
{
    climate_config c = {.mean_c = 10, .annual_amplitude_c = 8, .warmest_day = 200, .daily_amplitude_c = 4,
                        .warmest_hour = 15, .noise_sd_c = 0, .noise_hourly_corr = 0, .start_day_of_year = 1};
    enum { H = 24 * 400 };
    double *t = malloc(H * sizeof *t);
    sim_err err;
    CHECK(t && climate_prepare(&c, H, &err) == 0, "out of memory");
    climate_generate(&c, NULL, t, H);
    climate_free(&c);
    /* Hour h = 24 * 199 + 15 is 15:00 on day-of-year 200, i.e. doy 200.625:
     * the daily cycle at its peak, the annual one 0.625 days past its own. */
    double peak = t[24 * 199 + 15], trough = t[24 * 199 + 3];
    double winter = t[24 * 17 + 3]; /* day 18.125, 03:00 */
    double want_winter = 10 + 8 * cos(2 * M_PI * (1 + 17.125 - 200) / 365.25) + 4 * cos(2 * M_PI * (3 - 15) / 24.0);
    free(t);
    CHECK_NEAR(peak, 10 + 8 * cos(2 * M_PI * 0.625 / 365.25) + 4, 1e-12, "summer afternoon peak");
    CHECK_NEAR(trough, 10 + 8 * cos(2 * M_PI * 0.125 / 365.25) - 4, 1e-12, "same day at 03:00");
    CHECK_NEAR(winter, want_winter, 1e-12, "a winter night");
}

TEST(climate_noise_is_ar1_with_the_stated_sd_and_correlation)
{
    climate_config c = {.mean_c = 0, .noise_sd_c = 3, .noise_hourly_corr = 0.9, .start_day_of_year = 1};
    enum { H = 400000 };
    double *t = malloc(H * sizeof *t);
    sim_err err;
    CHECK(t && climate_prepare(&c, H, &err) == 0, "out of memory");
    for (int run = 0; run < 2; run++) {
        sim_rng r = sim_rng_stream(3, (uint64_t)run, 2);
        climate_generate(&c, &r, t, H);
        double mean = gsl_stats_mean(t, 1, H), sd = gsl_stats_sd_m(t, 1, H, mean);
        double rho = gsl_stats_lag1_autocorrelation_m(t, 1, H, mean);
        const char *gen = run ? "replication 1" : "replication 0";
        /* Effective sample size n (1 - rho) / (1 + rho) = 21,000: SE(sd) ~ 3 / sqrt(2 x 21,000) = 0.015. */
        CHECK(fabs(sd - 3.0) <= 0.1, "%s: standard deviation of the noise %.4f deg C, want 3 +- 0.1", gen, sd);
        CHECK(fabs(rho - 0.9) <= 0.005, "%s: hour-to-hour correlation %.4f, want 0.9 +- 0.005", gen, rho);
        CHECK(fabs(mean) <= 0.15, "%s: mean of the noise %.4f deg C, want 0 +- 0.15", gen, mean);
    }
    climate_free(&c);
    free(t);
}

/* ------------------------------------------------------- monthly normals */

TEST(climate_monthly_normals_keep_their_means_and_ranges)
{
    /* Frankfurt's normals [CLIM-FRA], no noise: each month's mean of the
     * hourly curve is its normal, and each day's maximum - minimum is the
     * interpolated daily range (the month's mean of it: its normal). */
    static const double mean[12] = {2.2, 3.2, 6.8, 10.9, 15.0, 18.4, 20.6, 20.2, 15.8, 10.9, 6.2, 3.0};
    static const double range[12] = {5.3, 6.9, 8.9, 10.8, 10.9, 10.9, 11.1, 11.1, 10.0, 7.8, 5.5, 4.9};
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    climate_config c = {.form = CLIMATE_NORMALS, .warmest_hour = 15, .start_day_of_year = 1};
    memcpy(c.monthly_mean_c, mean, sizeof mean);
    memcpy(c.monthly_range_c, range, sizeof range);
    enum { H = 8760 };
    double *t = malloc(H * sizeof *t);
    sim_err err;
    CHECK(t && climate_prepare(&c, H, &err) == 0, "out of memory");
    climate_generate(&c, NULL, t, H);
    climate_free(&c);
    size_t h = 0;
    for (int m = 0; m < 12; m++) {
        double sum = 0, rsum = 0;
        for (int d = 0; d < days[m]; d++) {
            double hi = -1e9, lo = 1e9;
            for (int k = 0; k < 24; k++, h++) {
                sum += t[h];
                hi = fmax(hi, t[h]);
                lo = fmin(lo, t[h]);
            }
            rsum += hi - lo;
        }
        double got = sum / (24.0 * days[m]), got_range = rsum / days[m];
        if (fabs(got - mean[m]) > 0.05 || fabs(got_range - range[m]) > 0.1) {
            free(t);
            CHECK(0, "month %d: mean %.3f C (normal %.1f), daily range %.3f C (normal %.1f)", m + 1, got, mean[m],
                  got_range, range[m]);
        }
    }
    /* The warmest hour of a day is warmest_hour. */
    double best = -1e9;
    int best_k = -1;
    for (int k = 0; k < 24; k++)
        if (t[24 * 200 + k] > best)
            best = t[24 * 200 + k], best_k = k;
    free(t);
    CHECK(best_k == 15, "the warmest hour of day 201 is %d, want 15", best_k);
}

/* The climate of a bundled scenario, 30 years of it (seeded). */
static double *scenario_years(const char *path, int years, uint64_t seed, sim_err *err)
{
    sim_cfg *cfg = sim_cfg_load(path, err);
    if (!cfg)
        return NULL;
    climate_config c;
    size_t n = (size_t)years * 8760;
    double *t = NULL;
    if (climate_load(cfg, &c, err) == 0 && climate_prepare(&c, n, err) == 0 && (t = malloc(n * sizeof *t))) {
        sim_rng r = sim_rng_stream(seed, 0, 0);
        climate_generate(&c, &r, t, n);
    }
    climate_free(&c);
    sim_cfg_free(cfg);
    return t;
}

/* Days with a maximum at or above limit_c in each year (365-day years). */
static void hot_days(const double *t, int years, double limit_c, int *per_year)
{
    for (int y = 0; y < years; y++) {
        per_year[y] = 0;
        for (int d = 0; d < 365; d++) {
            double hi = -1e9;
            for (int k = 0; k < 24; k++)
                hi = fmax(hi, t[((size_t)y * 365 + (size_t)d) * 24 + (size_t)k]);
            per_year[y] += hi >= limit_c;
        }
    }
}

TEST(eu_preset_hot_days_match_frankfurt)
{
    /* Frankfurt: about 10 days a year reach 30 C (1971-2000), half as many again since the
     * 1990s (~15), and a hot year tens (50 in 2022) [CLIM-FRA-HOT]. 30 years of the EU preset:
     * a mean of 10 to 20 hot days, and a hottest year of at least 25. */
    enum { Y = 30 };
    sim_err err;
    double *t = scenario_years("scenarios/eu-gigafactory-1gw.cfg", Y, 20261130, &err);
    CHECK(t, "%s", err.msg);
    int per[Y], hottest = 0;
    hot_days(t, Y, 30.0, per);
    free(t);
    double mean = 0;
    for (int y = 0; y < Y; y++) {
        mean += per[y] / (double)Y;
        hottest = per[y] > hottest ? per[y] : hottest;
    }
    CHECK(mean >= 10 && mean <= 20, "hot days a year: mean %.1f, want 10-20 (Frankfurt)", mean);
    CHECK(hottest >= 25, "hottest of 30 years: %d hot days, want >= 25 (Frankfurt 2022: 50)", hottest);
}

TEST(us_preset_hot_hours_match_the_dallas_year)
{
    /* Dallas-Fort Worth's TMYx year has 1,324 hours above 30 C and 3,007 above 25 C
     * [CLIM-EPW]; the preset's normals with its fitted anomalies, over 30 years, within 10 %. */
    enum { Y = 30 };
    sim_err err;
    double *t = scenario_years("scenarios/us-campus-1gw.cfg", Y, 20261130, &err);
    CHECK(t, "%s", err.msg);
    double h30 = 0, h25 = 0;
    for (size_t h = 0; h < (size_t)Y * 8760; h++) {
        h30 += t[h] > 30;
        h25 += t[h] > 25;
    }
    free(t);
    h30 /= Y;
    h25 /= Y;
    CHECK(fabs(h30 / 1324 - 1) <= 0.10, "hours above 30 C a year: %.0f, Dallas 1,324 (within 10 %%)", h30);
    CHECK(fabs(h25 / 3007 - 1) <= 0.10, "hours above 25 C a year: %.0f, Dallas 3,007 (within 10 %%)", h25);
}

/* ------------------------------------------------------------------- EPW */

#include "sim/config/epw.h"

TEST(epw_reads_the_phoenix_year)
{
    /* The TMYx file's first rows: 1 January hours 1 and 2, dry bulb 8.3 and 8.9 C, dew point
     * -6.1, station pressure 97,058 and 97,114 Pa; the year has 3,018 hours above 30 C
     * [CLIM-EPW]; run hour 0 on day-of-year 182 is the file's hour 181 x 24. */
    const char *path = "../shared/data/weather/USA_AZ_Phoenix-Sky.Harbor.epw";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "  skipped: %s not at hand\n", path);
        return;
    }
    fclose(f);
    sim_epw e;
    sim_err err;
    CHECK(sim_epw_read(NULL, path, "test", &e, &err) == 0, "%s", err.msg);
    int hot = 0;
    for (size_t h = 0; h < e.n; h++)
        hot += e.dry_bulb_c[h] > 30;
    double t0 = e.dry_bulb_c[0], t1 = e.dry_bulb_c[1], d0 = e.dew_point_c[0], t_jul = e.dry_bulb_c[181 * 24 + 5];
    size_t n = e.n;
    double p = e.mean_pressure_kpa;
    sim_epw_free(&e);
    CHECK(n == 8760, "rows: %zu", n);
    CHECK(t0 == 8.3 && t1 == 8.9 && d0 == -6.1, "first rows: %g %g C, dew %g", t0, t1, d0);
    CHECK(hot == 3018, "hours above 30 C: %d, want 3,018", hot);
    CHECK(p > 96.5 && p < 98.0, "mean station pressure %.2f kPa (Phoenix, 337 m)", p);
    /* The climate form aligns the year to sim.start_day_of_year. */
    char text[512];
    snprintf(text, sizeof text, "climate = { epw = \"../%s\"; };\nsim = { start_day_of_year = 182.0; };\n", path);
    sim_cfg *cfg = sim_cfg_load_string(text, "tests/x.cfg", "tests", &err);
    CHECK(cfg, "%s", err.msg);
    climate_config c;
    int rc = climate_load(cfg, &c, &err) || climate_prepare(&c, 24, &err);
    sim_cfg_free(cfg);
    double got = rc ? NAN : c.base_c[5];
    bool humid = climate_has_humidity(&c);
    climate_free(&c);
    CHECK(rc == 0, "%s", err.msg);
    CHECK(got == t_jul && humid, "run hour 5 from 1 July: %g C, the file's %g", got, t_jul);
}

/* Writes an EPW-shaped file: 8 header lines, then `rows` hourly rows from
 * 1 January with the given dry bulb, one row replaced by `bad_row`. */
static const char *epw_file(const char *name, int rows, int bad_at, const char *bad_row)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    FILE *f = fopen(path, "w");
    if (!f)
        return NULL;
    fprintf(f, "LOCATION,Test,,,,0,0,0,0,0\n");
    for (int i = 1; i < 8; i++)
        fprintf(f, "HEADER %d\n", i);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 1, d = 1, h = 1;
    for (int r = 0; r < rows; r++) {
        if (r == bad_at)
            fprintf(f, "%s\n", bad_row);
        else
            fprintf(f, "2021,%d,%d,%d,0,flags,12.5,5.0,60,101000,0\n", m, d, h);
        if (++h > 24) {
            h = 1;
            if (++d > mdays[m - 1])
                d = 1, m++;
        }
    }
    fclose(f);
    return path;
}

TEST(epw_refuses_missing_values_disorder_and_short_years)
{
    static const struct {
        const char *name;
        int rows, bad_at;
        const char *row, *expect;
    } cases[] = {
        {"missing.epw", 8760, 100, "2021,1,5,5,0,flags,99.9,5.0,60,101000,0", ":109: field 7 (dry bulb, deg C)"},
        {"order.epw", 8760, 30, "2021,1,2,8,0,flags,10,5.0,60,101000,0", ":39: month 1, day 2, hour 8"},
        {"text.epw", 8760, 2, "2021,1,1,3,0,flags,warm,5.0,60,101000,0", ":11: field 7 (dry bulb, deg C): 'warm'"},
        {"pressure.epw", 8760, 7, "2021,1,1,8,0,flags,10,5.0,60,999999,0", "the format's code for a missing value"},
        {"short.epw", 8000, -1, "", "has 8000 hourly rows; an EPW year has 8,760"},
        {"fields.epw", 8760, 0, "2021,1,1,1,0,flags,10", ":9: 7 fields"},
        {"fraction.epw", 8760, 0, "2021,1.5,1,1,0,flags,10,5.0,60,101000,0", ":9: month 1.5, day 1, hour 1: each must be a whole"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path = epw_file(cases[i].name, cases[i].rows, cases[i].bad_at, cases[i].row);
        CHECK(path, "cannot write %s", cases[i].name);
        sim_epw e;
        sim_err err;
        int rc = sim_epw_read(NULL, path, "scenario.cfg:3: climate.epw", &e, &err);
        if (rc == 0)
            sim_epw_free(&e);
        CHECK(rc != 0 && strstr(err.msg, cases[i].expect) && strstr(err.msg, path),
              "%s: rc %d, message '%s' lacks '%s' or the path", cases[i].name, rc, rc ? err.msg : "", cases[i].expect);
    }
    const char *good = epw_file("good.epw", 8760, -1, "");
    sim_epw e;
    sim_err err;
    CHECK(sim_epw_read(NULL, good, "test", &e, &err) == 0, "a well-formed year: %s", err.msg);
    sim_epw_free(&e);
    CHECK(sim_epw_read(NULL, "/dev/null", "test", &e, &err) != 0 && strstr(err.msg, "not a regular file"),
          "a device accepted: %s", err.msg);
}
