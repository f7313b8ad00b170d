/* stats (sim/core/stats.h): quantiles and the 95 % CI against known samples. */
#include <cjson/cJSON.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/site/site.h"
#include "sim/core/stats.h"
#include "test.h"

TEST(stats_quantiles_match_known_samples)
{
    /* 1..10: type 7 (R's default) gives P10 1.9, P50 5.5, P90 9.1; the 95 %
     * CI half-width is t(0.975, 9) x sd / sqrt(10) = 2.262157 x 3.0276504 /
     * 3.1622777 = 2.1658506. */
    double x[10], scratch[10];
    for (int i = 0; i < 10; i++)
        x[i] = 10 - i; /* unsorted on purpose */
    sim_summary s = sim_summarize(x, 10, 1, scratch);
    CHECK_NEAR(s.p10, 1.9, 1e-12, "P10 of 1..10");
    CHECK_NEAR(s.p50, 5.5, 1e-12, "P50 of 1..10");
    CHECK_NEAR(s.p90, 9.1, 1e-12, "P90 of 1..10");
    CHECK_NEAR(s.mean, 5.5, 1e-12, "mean of 1..10");
    CHECK_NEAR(s.ci95_half, 2.1658506, 1e-6, "95 % CI half-width of the mean of 1..10");
    /* Stride: every second value of {3, x, 1, x, 2, x}. */
    double y[] = {3, -100, 1, -100, 2, -100};
    s = sim_summarize(y, 3, 2, scratch);
    CHECK_NEAR(s.p50, 2, 0, "median with a stride");
    /* Not reached (NAN) sorts after every reached value: of {10, 20, NAN, NAN}
     * the P10 is 13, the P50 falls between 20 and "never": not reached. */
    double z[] = {10, NAN, 20, NAN};
    s = sim_summarize(z, 4, 1, scratch);
    CHECK_NEAR(s.p10, 13, 1e-12, "P10 with two unreached");
    CHECK(isnan(s.p50) && isnan(s.p90) && isnan(s.mean), "P50/P90/mean must be 'not reached', got %g/%g/%g", s.p50,
          s.p90, s.mean);
    CHECK(s.n_finite == 2, "n_finite %zu, want 2", s.n_finite);
    CHECK_NEAR(s.mean_reached, 15, 1e-12, "mean over the reached replications");
}

TEST(stats_paired_differences_count_every_replication)
{
    /* -inf (the scenario reaches it, the base never does), -10, 0, 5, +inf (the other way): the median is 0;
     * P10 and P90 fall next to an infinity: not determined (NAN); the mean of the finite pairs is -5/3. */
    double d[5] = {5, INFINITY, -10, -INFINITY, 0}, scratch[5];
    sim_summary s = sim_summarize_paired(d, 5, scratch);
    CHECK_NEAR(s.p50, 0, 0, "median of the pairs");
    CHECK(isnan(s.p10) && isnan(s.p90), "P10 %g and P90 %g should not be determined", s.p10, s.p90);
    CHECK(isnan(s.mean), "the mean of pairs with infinities: %g", s.mean);
    CHECK_NEAR(s.mean_reached, -5.0 / 3.0, 1e-12, "mean of the finite pairs");
    CHECK(s.n == 5 && s.n_finite == 3, "n %zu, finite %zu", s.n, s.n_finite);
    /* all finite: the plain summary */
    double e[4] = {1, 2, 3, 4}, sc[4];
    s = sim_summarize_paired(e, 4, sc);
    CHECK_NEAR(s.p50, 2.5, 1e-12, "median");
    CHECK_NEAR(s.mean, 2.5, 1e-12, "mean");
}

TEST(stats_share_interval_is_wilsons)
{
    /* Wilson's 95 % score interval, worked by hand: 8 of 10 has centre (8 + 1.9207) / 13.8415 = 0.7167 and
     * half-width 1.96 sqrt(1.6 + 0.9604) / 13.8415 = 0.2266, so [0.4902, 0.9433]; 0 of 10 is
     * [0, 3.8415 / 13.8415 = 0.2775]; 10 of 10 is [10 / 13.8415, 1] */
    double lo, hi;
    sim_share_interval95(8, 10, &lo, &hi);
    CHECK(fabs(lo - 0.4902) < 5e-5 && fabs(hi - 0.9433) < 5e-5, "8 of 10: [%.5f, %.5f]", lo, hi);
    sim_share_interval95(0, 10, &lo, &hi);
    CHECK(lo == 0 && fabs(hi - 0.2775) < 5e-5, "0 of 10: [%.5f, %.5f]", lo, hi);
    sim_share_interval95(10, 10, &lo, &hi);
    CHECK(fabs(lo - 10 / (10 + 1.959964 * 1.959964)) < 1e-6 && hi == 1, "10 of 10: [%.6f, %.6f]", lo, hi);
    sim_share_interval95(0, 0, &lo, &hi);
    CHECK(isnan(lo) && isnan(hi), "0 of 0: [%g, %g]", lo, hi);
}
