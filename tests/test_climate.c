/* climate (models/energy/climate.h): the profile against its formula, the
 * AR(1) noise's standard deviation and hour-to-hour correlation. (The
 * hourly-file form: tests/test_timeseries.c.) */
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "models/energy/climate.h"
#include "sim/rng.h"
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
