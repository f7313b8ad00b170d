/* Model pieces against closed forms and hand computation: climate profile
 * and its AR(1) noise, diurnal utilization, cooling regimes, the grid /
 * on-site split, an on-site-only site by hand, in-service availability
 * (MTBF / (MTBF + MTTR)) and burn-in retries (N p / (1 - p)); the meter's
 * running draw against a fresh integration. */
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

TEST(power_split_grid_first_then_onsite)
{
    power_config pc = {0};
    power_state ps = {.cfg = &pc, .grid_mw = 100, .onsite_mw = 30};
    double g, o, over;
    power_split(&ps, 80, &g, &o, &over);
    CHECK(g == 80 && o == 0 && over == 0, "80 MW: grid %g, on-site %g, over %g", g, o, over);
    power_split(&ps, 120, &g, &o, &over);
    CHECK(g == 100 && o == 20 && over == 0, "120 MW: grid %g, on-site %g, over %g", g, o, over);
    power_split(&ps, 150, &g, &o, &over);
    CHECK(g == 120 && o == 30 && over == 20, "150 MW: grid %g (100 + 20 over), on-site %g, over %g", g, o, over);
    CHECK(power_try_reserve(&ps, 130), "130 MW did not fit under 130 MW of supply");
    CHECK(!power_try_reserve(&ps, 0.001), "a reservation above the supply was accepted");
}

/* The meter's running draw (a fresh read each hour, changes reported with
 * meter_add within it) against a plain integration that computes the draw
 * afresh on every stretch: a two-technology toy site whose facility factor
 * changes every hour, 20,000 random changes of load, supply steps that push
 * the draw over the grid and over the whole supply, loads dropping to zero
 * (with the fresh read the racks model asks for then), changes exactly on
 * hour boundaries. */
typedef struct toy_site {
    double it_mw[2], fixed_mw;
    size_t hour; /* of the meter's last fresh read: the model's per-hour cache */
} toy_site;

static double toy_factor(size_t hour, int k) { return 1.08 + 0.1 * k + 0.013 * (double)(hour % 7); }
static double toy_water_per_mwh(int k) { return 0.3 + k; }

/* The toy site's draw during hour h, computed afresh: facility MW, and IT MW
 * and water rate through the pointers. */
static double toy_draw(const toy_site *s, size_t hour, double *it_mw, double *water_m3_per_h)
{
    double it = 0, fac = s->fixed_mw, water = 0;
    for (int k = 0; k < 2; k++) {
        it += s->it_mw[k];
        fac += s->it_mw[k] * toy_factor(hour, k);
        water += s->it_mw[k] * toy_water_per_mwh(k);
    }
    *it_mw = it;
    *water_m3_per_h = water;
    return fac;
}

static double toy_probe(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h)
{
    (void)ambient_c;
    toy_site *s = ctx;
    s->hour = hour;
    return toy_draw(s, hour, it_mw, water_m3_per_h);
}

typedef struct toy_ref {
    double t, it_mwh, fac_mwh, water, onsite_mwh, over_mwh, peak;
} toy_ref;

/* Integrates the toy site from ref->t to t, a fresh draw per stretch. */
static void toy_ref_advance(toy_ref *ref, const toy_site *s, const power_state *ps, double t)
{
    while (ref->t < t) {
        size_t h = (size_t)floor(ref->t * 24.0);
        double end = fmin(t, (double)(h + 1) / 24.0);
        double hours = (end - ref->t) * 24.0, it, water;
        double fac = toy_draw(s, h, &it, &water);
        double g, o, over;
        power_split(ps, fac, &g, &o, &over);
        ref->it_mwh += it * hours;
        ref->fac_mwh += fac * hours;
        ref->water += water * hours;
        ref->onsite_mwh += o * hours;
        ref->over_mwh += over * hours;
        ref->peak = fmax(ref->peak, fac);
        ref->t = end;
    }
}

TEST(meter_running_draw_matches_a_fresh_integration)
{
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    enum { HOURS = 24 * 40 };
    static double temp[HOURS];
    power_config pc = {.grid_co2_kg_per_mwh = 300, .onsite_co2_kg_per_mwh = 450, .grid_price_per_mwh = 80,
                       .onsite_cost_per_mwh = 60};
    power_state ps = {.cfg = &pc, .grid_mw = 50, .onsite_mw = 0};
    toy_site site = {{0, 0}, 5.0, SIZE_MAX};
    meter_gauges gauges = {0, 0, 0};
    meter m;
    int rc = meter_start(&m, eng, temp, HOURS, 1.0, 0, NULL, toy_probe, &site, &ps, &gauges, &err);
    CHECK(rc == 0, "%s", err.msg);
    toy_ref ref = {0};
    sim_rng rs = sim_rng_stream(11, 0, 0), *r = &rs;
    double t = 0;
    for (int i = 0; i < 20000; i++) {
        double u = sim_rng_uniform(r);
        /* every 50th change on an hour boundary, the others anywhere */
        t = i % 50 == 0 ? ceil(t * 24.0 + 1e-9) / 24.0 : t + 0.0015 * sim_rng_exponential(r);
        if (t >= HOURS / 24.0 - 1)
            break;
        toy_ref_advance(&ref, &site, &ps, t);
        meter_advance(&m, t);
        if (u < 0.05) { /* a supply step (the power model advances the meter first, as here) */
            ps.grid_mw = 20 + 80 * sim_rng_uniform(r);
            ps.onsite_mw = sim_rng_uniform(r) < 0.5 ? 0 : 30 * sim_rng_uniform(r);
            continue;
        }
        int k = sim_rng_uniform(r) < 0.6 ? 0 : 1;
        if (u < 0.08 && site.it_mw[k] > 0) { /* the technology's last rack stops drawing */
            site.it_mw[k] = 0;
            meter_refresh(&m);
            continue;
        }
        double d = (sim_rng_uniform(r) - 0.45) * 3.0;
        if (site.it_mw[k] + d < 0)
            d = -0.5 * site.it_mw[k];
        site.it_mw[k] += d;
        /* as the racks model does: the change at the hour of the meter's last fresh read */
        meter_add(&m, d, d * toy_factor(site.hour, k), d * toy_water_per_mwh(k));
    }
    toy_ref_advance(&ref, &site, &ps, t + 0.37);
    meter_advance(&m, t + 0.37);
    const meter_totals *tot = meter_totals_now(&m);
    sim_engine_free(eng);
    CHECK(ref.onsite_mwh > 0 && ref.over_mwh > 0, "the test never used on-site power (%g MWh) or went over supply (%g MWh)",
          ref.onsite_mwh, ref.over_mwh);
    CHECK_NEAR(tot->it_mwh, ref.it_mwh, 1e-9 * ref.it_mwh, "IT energy (MWh)");
    CHECK_NEAR(tot->facility_mwh, ref.fac_mwh, 1e-9 * ref.fac_mwh, "facility energy (MWh)");
    CHECK_NEAR(tot->water_m3, ref.water, 1e-9 * ref.water, "water (m3)");
    CHECK_NEAR(tot->onsite_mwh, ref.onsite_mwh, 1e-9 * ref.fac_mwh, "on-site energy (MWh)");
    CHECK_NEAR(tot->over_supply_mwh, ref.over_mwh, 1e-9 * ref.fac_mwh, "over-supply energy (MWh)");
    CHECK_NEAR(tot->grid_mwh, ref.fac_mwh - ref.onsite_mwh, 1e-9 * ref.fac_mwh, "grid energy = facility - on-site (MWh)");
    CHECK_NEAR(tot->peak_facility_mw, ref.peak, 1e-9 * ref.peak, "peak facility draw (MW)");
    CHECK_NEAR(tot->co2_t, (tot->grid_mwh * 300 + tot->onsite_mwh * 450) / 1000.0, 1e-9 * tot->co2_t, "CO2 (t)");
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
