/* Model pieces against closed forms and hand computation: climate profile
 * and its AR(1) noise, diurnal utilization, cooling regimes, power
 * reservations, an on-site-only site by hand, in-service availability
 * (MTBF / (MTBF + MTTR)) and burn-in retries (N p / (1 - p)). The meter
 * and the facility draw: tests/test_meter.c. */
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "models/energy/climate.h"
#include "models/energy/cooling.h"
#include "models/energy/meter.h"
#include "models/energy/power.h"
#include "models/site/site.h"
#include "models/energy/workload.h"
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

TEST(workload_diurnal_utilization)
{
    workload_config w = {.utilization = 0.6, .diurnal_amplitude = 0.1, .peak_hour = 14, .burnin_utilization = 1};
    workload_prepare(&w);
    CHECK_NEAR(workload_utilization(&w, 3 + 14.5 / 24.0), 0.7, 1e-12, "utilization in the peak hour");
    CHECK_NEAR(workload_utilization(&w, 3 + 2.0 / 24.0), 0.5, 1e-12, "utilization 12 h after the peak");
    CHECK_NEAR(workload_utilization(&w, 3 + 20.0 / 24.0), 0.6, 1e-12, "utilization 6 h after the peak");
    workload_config hi = {.utilization = 0.95, .diurnal_amplitude = 0.2, .peak_hour = 0};
    workload_prepare(&hi);
    CHECK_NEAR(workload_utilization(&hi, 0.01), 1.0, 0, "utilization is clamped at 1");
}

TEST(cooling_free_mechanical_and_capped_regimes)
{
    cooling_tech t = {.free_cooling_max_c = 30, .free_frac = 0.04, .per_c_frac = 0.006, .max_frac = 0.12};
    cooling_config c = {.electrical_loss_frac = 0.04, .fixed_overhead_frac = 0.01, .design_ambient_c = 35};
    CHECK_NEAR(cooling_frac(&t, 20), 0.04, 1e-15, "free cooling at 20 C");
    CHECK_NEAR(cooling_frac(&t, 40), 0.10, 1e-15, "mechanical at 40 C: 0.04 + 0.006 x 10");
    CHECK_NEAR(cooling_frac(&t, 60), 0.12, 1e-15, "capped at 60 C");
    CHECK_NEAR(cooling_design_pue(&c, &t), 1 + 0.04 + 0.04 + 0.006 * 5, 1e-15, "design PUE at 35 C");
    CHECK_NEAR(cooling_facility_mw(&c, &t, 100, 1.25, 40), 100 * 1.14 + 1.25, 1e-12, "facility MW at 40 C");
}

TEST(site_pue_follows_the_weather)
{
    /* The hand-computed site at a constant 40 C (mechanical) and 50 C (capped). */
    sim_err err;
    site_run r;
    const char *hot[] = {"climate.mean_c=40", NULL};
    CHECK(site_run_small(hot, &r, &err) == 0, "%s", err.msg);
    double pue40 = r.mt[M_PUE_MEAN], it40 = r.mt[M_IT_MWH];
    site_run_free(&r);
    const char *hotter[] = {"climate.mean_c=50", NULL};
    CHECK(site_run_small(hotter, &r, &err) == 0, "%s", err.msg);
    double pue50 = r.mt[M_PUE_MEAN], over50 = r.mt[M_OVER_SUPPLY_MWH];
    site_run_free(&r);
    CHECK_NEAR(pue40, 1 + 0.04 + 0.04 + 0.006 * 10, 1e-12, "PUE at 40 C");
    CHECK_NEAR(it40, 1425.6, 1e-6, "IT energy does not depend on the weather (MWh)");
    CHECK_NEAR(pue50, 1 + 0.04 + 0.12, 1e-12, "PUE at 50 C (cooling overhead capped)");
    CHECK_NEAR(over50, 0, 0, "over-supply energy with a 100 MW grid");
}

TEST(power_reserves_under_the_supply)
{
    power_config pc = {0};
    power_state ps = {.cfg = &pc, .grid_mw = 100, .onsite_mw = 30};
    CHECK(power_try_reserve(&ps, 130), "130 MW did not fit under 130 MW of supply");
    CHECK(!power_try_reserve(&ps, 0.001), "a reservation above the supply was accepted");
}

TEST(site_onsite_generation_by_hand)
{
    /* No grid; 100 MW on site from the end of permits (day 100). Racks are
     * powered as soon as installed: rack k accepted at 292 + 2k + 3, so first
     * token 295 and full capacity 313. IT = 72 MWh of burn-in + 960 rack-days x
     * 24 h x 0.06 MW = 1454.4 MWh; all of it from on-site generation. */
    const char *sets[] = {"site.grid.capacity_mw=0", "site.onsite.capacity_mw=100", "site.onsite.after=permits",
                          "site.onsite.co2_kg_per_mwh=500", "site.onsite.cost_per_mwh=40", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double ttft = r.mt[M_TTFT_DAYS], tf = r.mt[M_TFULL_DAYS], it = r.mt[M_IT_MWH], fac = r.mt[M_FACILITY_MWH];
    double grid = r.mt[M_GRID_MWH], onsite = r.mt[M_ONSITE_MWH], co2 = r.mt[M_CO2_T], cost = r.mt[M_ENERGY_COST];
    double supply = site_series(&r, 150, SERIES_SUPPLY_MW);
    site_run_free(&r);
    CHECK_NEAR(ttft, 295, 1e-9, "first token on on-site power");
    CHECK_NEAR(tf, 313, 1e-9, "full capacity on on-site power");
    CHECK_NEAR(it, 1454.4, 1e-6, "IT energy (MWh)");
    CHECK_NEAR(grid, 0, 0, "grid energy (MWh)");
    CHECK_NEAR(onsite, fac, 1e-9, "on-site energy = facility energy");
    CHECK_NEAR(co2, fac * 0.5, 1e-6, "CO2 at 500 kg/MWh (t)");
    CHECK_NEAR(cost, fac * 40, 1e-4, "cost at 40 per MWh");
    CHECK_NEAR(supply, 100, 0, "supply on day 151");
}

TEST(racks_availability_is_mtbf_over_mtbf_plus_mttr)
{
    /* Ten racks, exponential time to failure (mean 10 d), 2-day repairs:
     * long-run share online = 10 / 12 (an alternating renewal process). */
    const char *sets[] = {"rack_types.r100.mtbf_days=10", "rack_types.r100.mttr_days=2", "sim.horizon_days=8000", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double sum = 0;
    size_t n = 0;
    for (size_t s = 1000; s < r.lay.n_steps; s++, n++)
        sum += site_series(&r, s, SERIES_GPUS_ONLINE);
    double fails = r.mt[M_SERVICE_FAILURES];
    site_run_free(&r);
    double share = sum / (double)n / 80.0;
    /* ~6,000 up/down cycles after day 1000: the SE of the share is ~0.003. */
    CHECK_NEAR(share, 10.0 / 12.0, 0.015, "time-average share of GPUs online");
    /* Failures over ~7,690 days x 10 racks at one per 12 days: ~6,400. */
    CHECK_NEAR(fails, 10 * (8000 - 300) / 12.0, 300, "failures in service");
}

TEST(burnin_retries_are_geometric)
{
    /* Each burn-in fails with p = 0.2 and is repeated: failures per rack are
     * geometric with mean p / (1 - p) = 0.25; 2,000 racks: 500, sd ~25. */
    const char *sets[] = {"racks.burnin_fail_prob=0.2", "racks.burnin_repair_days=1", "racks.orders.[0].count=2000",
                          "halls.h.it_capacity_mw=250", "racks.per_month=304.375", "racks.crews=50",
                          "site.grid.capacity_mw=300", "sim.horizon_days=800", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double fails = r.mt[M_BURNIN_FAILURES], acc = r.mt[M_RACKS_ACCEPTED];
    site_run_free(&r);
    CHECK_NEAR(acc, 2000, 0, "racks accepted");
    CHECK_NEAR(fails, 500, 100, "burn-in failures (4 standard deviations)");
}
