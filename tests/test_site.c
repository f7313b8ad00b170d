/* The whole site (models/site/site.h) against hand computation and
 * conservation laws: first token and milestones with constant durations,
 * energy of a hand case, energy = integral of the series, PUE >= 1 and with
 * the weather, on-site power only, power caps, monotonicity in grid and
 * crews, delay causes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/energy/meter.h"
#include "models/energy/source.h"
#include "models/buildout/racks.h"
#include "models/site/site.h"
#include "models/buildout/timeline.h"
#include "test.h"

TEST(site_first_token_and_milestones_by_hand)
{
    /* See tests/data/small_base.inc: rack k accepted at max(300, 292 + 2k) + 3. */
    site_run r;
    sim_err err;
    CHECK(site_run_small(NULL, &r, &err) == 0, "%s", err.msg);
    double ttft = r.mt[M_TTFT_DAYS], t50 = r.mt[M_T50_DAYS], t90 = r.mt[M_T90_DAYS], tf = r.mt[M_TFULL_DAYS];
    double acc = r.mt[M_RACKS_ACCEPTED], wait_power = r.mt[M_WAIT_POWER];
    /* The series: GPUs online at the end of day 303 = 5 racks x 8 GPUs; day 302: none. */
    double g302 = site_series(&r, 301, SERIES_GPUS_ONLINE), g303 = site_series(&r, 302, SERIES_GPUS_ONLINE);
    site_run_free(&r);
    CHECK_NEAR(ttft, 303, 1e-9, "time to first token (critical path 300 + burn-in 3)");
    CHECK_NEAR(t50, 303, 1e-9, "time to 50 % of GPUs (5th rack)");
    CHECK_NEAR(t90, 311, 1e-9, "time to 90 % of GPUs (9th rack: installed 308, burn-in 3)");
    CHECK_NEAR(tf, 313, 1e-9, "time to full capacity (10th rack installed 310)");
    CHECK_NEAR(acc, 10, 0, "racks accepted");
    /* Racks 0-4 wait for power from 292, 294, 296, 298, 300 until 300: mean 4 days / 10 racks. */
    CHECK_NEAR(wait_power, (8 + 6 + 4 + 2 + 0) / 10.0, 1e-9, "mean wait for power");
    CHECK_NEAR(g302, 0, 0, "GPUs online at the end of day 302");
    CHECK_NEAR(g303, 40, 0, "GPUs online at the end of day 303");
}

TEST(site_first_token_needs_min_racks)
{
    const char *sets[] = {"first_token.min_racks=7", NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double ttft = r.mt[M_TTFT_DAYS];
    site_run_free(&r);
    CHECK_NEAR(ttft, 307, 1e-9, "first token with 7 racks (7th rack: installed 304, burn-in 3)");
}

TEST(site_energy_by_hand)
{
    /* Burn-in: 10 racks x 3 d x 24 h x 0.100 MW = 72 MWh. In service at
     * 20 + 80 x 0.5 = 60 kW from acceptance to day 400: 940 rack-days x 24 h x
     * 0.060 MW = 1353.6 MWh. IT = 1425.6 MWh; facility = IT x (1 + 0.04 + 0.04)
     * (10 C: free cooling); CO2 = facility x 0.3 t; cost = facility x 100;
     * no water: dry coolers. */
    site_run r;
    sim_err err;
    CHECK(site_run_small(NULL, &r, &err) == 0, "%s", err.msg);
    double it = r.mt[M_IT_MWH], fac = r.mt[M_FACILITY_MWH], co2 = r.mt[M_CO2_T], cost = r.mt[M_ENERGY_COST];
    double water = r.mt[M_WATER_M3], pue = r.mt[M_PUE_MEAN], peak = r.mt[M_PEAK_FACILITY_MW];
    site_run_free(&r);
    CHECK_NEAR(it, 1425.6, 1e-6, "IT energy (MWh)");
    CHECK_NEAR(fac, 1425.6 * 1.08, 1e-6, "facility energy (MWh)");
    CHECK_NEAR(pue, 1.08, 1e-12, "mean PUE");
    CHECK_NEAR(co2, 1425.6 * 1.08 * 0.3, 1e-6, "CO2 (t)");
    CHECK_NEAR(cost, 1425.6 * 1.08 * 100, 1e-4, "energy cost");
    CHECK_NEAR(water, 0, 0, "water (m3): dry coolers evaporate none");
    /* Peak: on day 310-311 racks 0-7 serve (8 x 0.06 MW) while racks 8
     * (burn-in 308-311) and 9 (310-313) burn in at 0.1 MW each: 0.68 MW IT.
     * (Day 302-303: 6 racks in burn-in, 0.6 MW; all ten serving: 0.6 MW.) */
    CHECK_NEAR(peak, 0.68 * 1.08, 1e-9, "peak facility MW");
}

TEST(site_power_cap_strands_racks)
{
    /* 0.324 MW fits exactly three racks at 0.1 MW x design PUE 1.08. */
    const char *sets[] = {"site.grid.capacity_mw=0.324", NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double acc = r.mt[M_RACKS_ACCEPTED], tf = r.mt[M_TFULL_DAYS], strand = r.mt[M_PEAK_STRANDED];
    double last_stranded = site_series(&r, r.lay.n_steps - 1, SERIES_RACKS_STRANDED);
    site_run_free(&r);
    CHECK_NEAR(acc, 3, 0, "racks accepted under a 0.324 MW cap");
    CHECK(isnan(tf), "full capacity reached under the cap: %g", tf);
    CHECK_NEAR(last_stranded, 7, 0, "racks stranded at the horizon");
    CHECK_NEAR(strand, 10, 0, "peak racks stranded (all delivered before power)");
}

TEST(site_energy_equals_integral_of_series)
{
    sim_err err;
    for (uint64_t rep = 0; rep < 3; rep++) {
        site_run r;
        CHECK(site_run_file("scenarios/eu-gigafactory-1gw.cfg", NULL, 20260121, rep, &r, &err) == 0, "%s", err.msg);
        double it = 0, fac = 0, min_pue = INFINITY;
        double hours = r.lay.step_days * 24.0;
        for (size_t s = 0; s < r.lay.n_steps; s++) {
            it += site_series(&r, s, SERIES_IT_MW) * hours;
            fac += site_series(&r, s, SERIES_FACILITY_MW) * hours;
            double p = site_series(&r, s, SERIES_PUE);
            if (!isnan(p) && p < min_pue)
                min_pue = p;
        }
        double it_tot = r.mt[M_IT_MWH], fac_tot = r.mt[M_FACILITY_MWH], pue = r.mt[M_PUE_MEAN];
        double co2_last = site_series(&r, r.lay.n_steps - 1, SERIES_CO2_T_CUM), co2_tot = r.mt[M_CO2_T];
        double co2_mid = site_series(&r, r.lay.n_steps / 2, SERIES_CO2_T_CUM);
        site_run_free(&r);
        CHECK_NEAR(co2_last, co2_tot, 1e-9 * co2_tot, "cumulative CO2 on the last day vs the total");
        CHECK(co2_mid >= 0 && co2_mid <= co2_last, "cumulative CO2 halfway (%g) not within [0, %g]", co2_mid, co2_last);
        CHECK(it_tot > 1e6, "replication %llu drew only %g MWh", (unsigned long long)rep, it_tot);
        CHECK_NEAR(it, it_tot, 1e-9 * it_tot, "sum of daily IT MW x 24 h vs IT energy");
        CHECK_NEAR(fac, fac_tot, 1e-9 * fac_tot, "sum of daily facility MW x 24 h vs facility energy");
        CHECK(min_pue >= 1.0, "a day with PUE %g < 1", min_pue);
        CHECK(pue >= 1.0, "mean PUE %g < 1", pue);
    }
}

static double ttft_with(const char *scenario, const char *set, uint64_t rep, sim_err *err)
{
    const char *sets[] = {set, NULL};
    site_run r;
    if (site_run_file(scenario, sets, 20260121, rep, &r, err))
        return NAN;
    double v = r.mt[M_TTFT_DAYS];
    site_run_free(&r);
    return v;
}

static void check_monotone(const char *scenario, const char *const *sets, int n_sets)
{
    sim_err err;
    for (uint64_t rep = 0; rep < 6; rep++) {
        double prev = INFINITY;
        for (int i = 0; i < n_sets; i++) {
            err.msg[0] = '\0';
            double t = ttft_with(scenario, sets[i], rep, &err);
            CHECK(!err.msg[0], "%s with %s: %s", scenario, sets[i], err.msg);
            if (isnan(t))
                t = INFINITY; /* not reached by the horizon */
            CHECK(t <= prev + 1e-9, "%s, replication %llu: first token at %g with %s, but %g with %s", scenario,
                  (unsigned long long)rep, t, sets[i], prev, sets[i - 1]);
            prev = t;
        }
    }
}

TEST(site_more_grid_never_delays_first_token)
{
    const char *sets[] = {"site.grid.capacity_mw=300", "site.grid.capacity_mw=600", "site.grid.capacity_mw=1100",
                          "site.grid.capacity_mw=2000"};
    check_monotone("scenarios/eu-gigafactory-1gw.cfg", sets, 4);
    if (test_failed_now())
        return;
    const char *us[] = {"site.onsite.capacity_mw=50", "site.onsite.capacity_mw=200", "site.onsite.capacity_mw=360"};
    check_monotone("scenarios/us-campus-1gw.cfg", us, 3);
}

TEST(site_more_crews_never_delay_first_token)
{
    const char *sets[] = {"racks.crews=1", "racks.crews=5", "racks.crews=40", "racks.crews=200"};
    check_monotone("scenarios/eu-gigafactory-1gw.cfg", sets, 4);
    if (test_failed_now())
        return;
    const char *cs[] = {"racks.crews=4", "racks.crews=20", "racks.crews=60"};
    check_monotone("scenarios/colossus-100k-h100.cfg", cs, 3);
}

/* Checks that want[] (days per cause, in the order of racks.h) matches the
 * metrics of group `first` and that the parts sum to `total`. */
static int check_causes(const double *mt, size_t first, const double *want, double total, const char *what)
{
    double sum = 0;
    for (int c = 0; c < N_CAUSES; c++) {
        sum += mt[first + (size_t)c];
        if (fabs(mt[first + (size_t)c] - want[c]) > 1e-9) {
            fprintf(stderr, "  %s: %s: got %.10g days, want %.10g\n", what, milestone_cause_names[c], mt[first + (size_t)c],
                    want[c]);
            return -1;
        }
    }
    if (fabs(sum - total) > 1e-9) {
        fprintf(stderr, "  %s: causes sum to %.10g days, the milestone is %.10g\n", what, sum, total);
        return -1;
    }
    return 0;
}

/* Days per cause in the order of milestones.h, from a short list of
 * (cause, days) pairs. */
static void causes_of(double *out, const int *cause, const double *days, size_t n)
{
    for (int c = 0; c < N_CAUSES; c++)
        out[c] = 0;
    for (size_t i = 0; i < n; i++)
        out[cause[i]] = days[i];
}
#define CAUSES(out, ...)                                                                                           \
    do {                                                                                                           \
        const struct {                                                                                             \
            int c;                                                                                                 \
            double d;                                                                                              \
        } pairs_[] = {__VA_ARGS__};                                                                                \
        int cs_[N_CAUSES];                                                                                         \
        double ds_[N_CAUSES];                                                                                      \
        size_t n_ = sizeof pairs_ / sizeof pairs_[0];                                                              \
        for (size_t i_ = 0; i_ < n_; i_++)                                                                         \
            cs_[i_] = pairs_[i_].c, ds_[i_] = pairs_[i_].d;                                                        \
        causes_of(out, cs_, ds_, n_);                                                                              \
    } while (0)

TEST(delay_causes_by_hand_hall_bound)
{
    /* small_base: every rack arrives (150 + k) before the hall (290). Rack 0
     * (first token) waited for power (installed 292, grid 300): the grid's
     * chain, permits 100 + grid 200, then burn-in 3. Rack 9 (full) was
     * installed at 310 with power there: crew 290-310, and before that its
     * hall's chain: permits 100, shell 150 + fit-out 30, commissioning 10.
     * Means over 10 racks: racks 0-3 waited for power (300 + 3), racks 4-9
     * the hall (290, crews 2 + 2k, 3): grid 80, construction 108, comm 6,
     * crews (10+12+...+20)/10 = 9. */
    site_run r;
    sim_err err;
    CHECK(site_run_small(NULL, &r, &err) == 0, "%s", err.msg);
    double ft[N_CAUSES], full[N_CAUSES], mean[N_CAUSES];
    CAUSES(ft, {CAUSE_PERMITS, 100}, {CAUSE_GRID_CONNECTION, 200}, {CAUSE_BURNIN_FAILURES, 3});
    CAUSES(full, {CAUSE_PERMITS, 100}, {CAUSE_CONSTRUCTION, 180}, {CAUSE_COMMISSIONING, 10},
           {CAUSE_INSTALL_CREWS, 20}, {CAUSE_BURNIN_FAILURES, 3});
    CAUSES(mean, {CAUSE_PERMITS, 100}, {CAUSE_GRID_CONNECTION, 80}, {CAUSE_CONSTRUCTION, 108},
           {CAUSE_COMMISSIONING, 6}, {CAUSE_INSTALL_CREWS, 9}, {CAUSE_BURNIN_FAILURES, 3});
    int bad = check_causes(r.mt, M_CAUSE_FIRST_TOKEN, ft, r.mt[M_TTFT_DAYS], "first token") ||
              check_causes(r.mt, M_CAUSE_FULL, full, r.mt[M_TFULL_DAYS], "full capacity") ||
              check_causes(r.mt, M_CAUSE_MEAN, mean, 306, "mean per rack");
    site_run_free(&r);
    CHECK(!bad, "delay causes differ from the hand computation (above)");
}

TEST(delay_causes_by_hand_supply_and_cooling_bound)
{
    /* Late racks (lead 200: delivered 300 + k, hall ready 290, grid 300):
     * rack 0 is permits 0-100 (order), GPU supply 100-300, crew 300-302,
     * burn-in 302-305. */
    const char *late[] = {"racks.lead_days=200", NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(late, &r, &err) == 0, "%s", err.msg);
    double ft[N_CAUSES];
    CAUSES(ft, {CAUSE_PERMITS, 100}, {CAUSE_GPU_SUPPLY, 200}, {CAUSE_INSTALL_CREWS, 2}, {CAUSE_BURNIN_FAILURES, 3});
    int bad = check_causes(r.mt, M_CAUSE_FIRST_TOKEN, ft, r.mt[M_TTFT_DAYS], "first token, late racks");
    site_run_free(&r);
    CHECK(!bad, "late racks: causes differ from the hand computation (above)");
    /* Two halls of 3 racks, the second ready 20 days later (310), and 6 racks
     * (more would find no room: refused): racks 0-2 wait for power (300: grid
     * chain 300, burn-in 3); racks 3-5 wait 290-310 with hall 0 ready but
     * full (cooling capacity 20, after the hall chain 290), crews 2, 4, 6.
     * Accepted at 303 x 3, 315, 317, 319; means over the 6: permits 100,
     * grid 100, construction 90, commissioning 5, cooling 10, crews 2,
     * burn-in 3: 310. */
    const char *halls[] = {"halls.[0].count=2", "halls.[0].it_capacity_mw=0.3", "halls.[0].stagger_days=20",
                           "racks.orders.[0].count=6", NULL};
    CHECK(site_run_small(halls, &r, &err) == 0, "%s", err.msg);
    double mean[N_CAUSES];
    CAUSES(mean, {CAUSE_PERMITS, 100}, {CAUSE_GRID_CONNECTION, 100}, {CAUSE_CONSTRUCTION, 90},
           {CAUSE_COMMISSIONING, 5}, {CAUSE_COOLING_CAPACITY, 10}, {CAUSE_INSTALL_CREWS, 2},
           {CAUSE_BURNIN_FAILURES, 3});
    bad = check_causes(r.mt, M_CAUSE_MEAN, mean, 310, "mean per rack, two small halls");
    double full = r.mt[M_TFULL_DAYS], acc = r.mt[M_RACKS_ACCEPTED];
    site_run_free(&r);
    CHECK(!bad, "two small halls: causes differ from the hand computation (above)");
    CHECK_NEAR(full, 319, 1e-9, "full capacity (day)");
    CHECK_NEAR(acc, 6, 0, "racks accepted");
}

TEST(delay_causes_sum_to_the_milestones_in_every_scenario)
{
    static const char *const files[] = {"scenarios/eu-gigafactory-1gw.cfg", "scenarios/us-campus-1gw.cfg",
                                        "scenarios/colossus-100k-h100.cfg", "scenarios/turnkey-cloud.cfg",
                                        "scenarios/abilene-like.cfg"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        site_run r;
        sim_err err;
        CHECK(site_run_file(files[f], NULL, 7, 3, &r, &err) == 0, "%s", err.msg);
        double ft = 0, full = 0;
        for (int c = 0; c < N_CAUSES; c++) {
            ft += r.mt[M_CAUSE_FIRST_TOKEN + c];
            full += r.mt[M_CAUSE_FULL + c];
        }
        double want_ft = r.mt[M_TTFT_DAYS], want_full = r.mt[M_TFULL_DAYS];
        site_run_free(&r);
        /* Every bundled scenario reaches both milestones in this replication:
         * a run that did not must fail here, not pass unchecked. */
        CHECK(!isnan(want_ft) && !isnan(want_full), "%s: first token %g, full capacity %g: not reached", files[f],
              want_ft, want_full);
        CHECK_NEAR(ft, want_ft, 1e-6 * want_ft, files[f]);
        CHECK_NEAR(full, want_full, 1e-6 * want_full, files[f]);
    }
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


TEST(site_onsite_generation_by_hand)
{
    /* No grid; 100 MW on site from the end of permits (day 100). Racks are
     * powered as soon as installed: rack k accepted at 292 + 2k + 3, so first
     * token 295 and full capacity 313. IT = 72 MWh of burn-in + 960 rack-days x
     * 24 h x 0.06 MW = 1454.4 MWh; all of it from on-site generation. */
    const char *sets[] = {"site.grid.capacity_mw=0", "site.onsite.capacity_mw=100", "site.onsite.after=permits",
                          "site.onsite.co2_kg_per_mwh=500", "site.onsite.co2_basis=\"direct\"", "site.onsite.cost_per_mwh=40", NULL};
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


TEST(site_fuel_cell_alone_by_hand)
{
    /* The on-site case above with fuel cells instead of turbines (models/energy/fuel_cell.c): no grid, 100 MW
     * from the end of permits, so the same milestones (295, 313) and IT energy (1454.4 MWh), all of it from
     * the fuel cells. Fuel at 4 per MMBtu x 6.9 MMBtu/MWh (the default heat rate) + 5 of O&M = 32.6 per MWh;
     * 6,900 Btu/kWh x 53.06 kg/MMBtu = 366.114 kg CO2/MWh, location- and market-based alike. */
    const char *sets[] = {"site.grid.capacity_mw=0", "site.fuel_cell.capacity_mw=100", "site.fuel_cell.after=permits",
                          "site.fuel_cell.co2_basis=\"direct\"", "site.fuel_cell.fuel_price_per_mmbtu=4",
                          "site.fuel_cell.om_per_mwh=5", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double fac = r.mt[M_FACILITY_MWH];
    CHECK_NEAR(r.mt[M_TTFT_DAYS], 295, 1e-9, "first token on fuel-cell power");
    CHECK_NEAR(r.mt[M_TFULL_DAYS], 313, 1e-9, "full capacity on fuel-cell power");
    CHECK_NEAR(r.mt[M_IT_MWH], 1454.4, 1e-6, "IT energy (MWh)");
    CHECK_NEAR(r.mt[M_FUEL_CELL_MWH], fac, 1e-9, "fuel-cell energy = facility energy");
    CHECK_NEAR(r.mt[M_GRID_MWH] + r.mt[M_ONSITE_MWH], 0, 0, "no grid, no gas (MWh)");
    CHECK_NEAR(r.mt[M_ENERGY_COST], fac * 32.6, 1e-6 * fac, "cost at 32.6 per MWh");
    CHECK_NEAR(r.mt[M_ONSITE_COST], fac * 32.6, 1e-6 * fac, "booked as on-site cost");
    CHECK_NEAR(r.mt[M_CO2_T], fac * 0.366114, 1e-6 * fac, "CO2 (t)");
    CHECK_NEAR(r.mt[M_CO2_MARKET_T], fac * 0.366114, 1e-6 * fac, "market-based CO2 counts the fuel (t)");
    CHECK_NEAR(site_series(&r, 150, SERIES_SUPPLY_MW), 100, 0, "supply on day 151");
}

TEST(every_source_row_names_metrics_the_site_has)
{
    /* a row's energy and cost go to metrics found by name (models/site/site.c): each must be in the table */
    for (int i = 0; i < SOURCE_N; i++) {
        CHECK(sim_metric_find(site_app.metrics, site_app.n_metrics, source_rows[i].energy_metric) >= 0,
              "source '%s': no metric '%s'", source_rows[i].name, source_rows[i].energy_metric);
        CHECK(sim_metric_find(site_app.metrics, site_app.n_metrics, source_rows[i].cost_metric) >= 0,
              "source '%s': no metric '%s'", source_rows[i].name, source_rows[i].cost_metric);
        CHECK((source_rows[i].cls == SOURCE_CONNECTION) == (source_rows[i].load == NULL),
              "source '%s': a loader exactly when it is not the grid connection", source_rows[i].name);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(source_rows[i].name, source_rows[j].name) != 0, "two sources named '%s'",
                  source_rows[i].name);
    }
}

TEST(binding_phase_names_the_kind_and_its_phases)
{
    /* small_base: first token waited for the grid (permits 100, grid 200):
     * grid_connection, the phase 'grid'; full capacity waited for its hall
     * (permits 100, shell 150 + fit-out 30, commissioning 10):
     * construction, the phases 'shell' and 'fitout'. */
    sim_cfg *cfg = NULL;
    sim_err err;
    void *m = load_site("tests/data", "@include \"small_base.inc\"\n", NULL, &cfg, &err);
    CHECK(m, "%s", err.msg);
    double *mt = NULL, *se = NULL;
    sim_layout lay;
    int rc = run_site(m, 1, 0, &mt, &se, &lay, &err);
    sim_facts f = {0};
    if (rc == 0)
        site_app.facts(m, mt, 1, &f);
    site_app.free(m);
    sim_cfg_free(cfg);
    free(mt);
    free(se);
    CHECK(rc == 0, "%s", err.msg);
    const char *ft = NULL, *full = NULL;
    for (size_t i = 0; i < f.n; i++) {
        if (!strcmp(f.key[i], "binding_phase.first_token"))
            ft = f.value[i];
        if (!strcmp(f.key[i], "binding_phase.full_capacity"))
            full = f.value[i];
    }
    CHECK(ft && !strcmp(ft, "grid_connection (grid)"), "first token: '%s'", ft ? ft : "(none)");
    CHECK(full && !strcmp(full, "construction (shell, fitout)"), "full capacity: '%s'", full ? full : "(none)");
}

TEST(site_flexible_connection_by_hand)
{
    /* The small site (tests/data/small_base.inc) with 100 MW non-firm from the end of permits (day 100): rack 0
     * installed at 292 is energized at once, not at 300 (the firm grid): first token at 295, not 303. With every
     * hour curtailed (price 100 above the threshold 50), the site needs the non-firm capacity from 292 to 300:
     * 192 curtailed hours, in which half the load (the pausable share) pauses and the rest is drawn unserved;
     * from 300 the firm grid covers everything. The milestones do not move: energization is against the
     * connection, curtailment takes energy, not the racks' power. */
    const char *flex[] = {"site.grid.flexible_mw=100", "site.grid.flexible_after=\"permits\"", NULL};
    const char *curt[] = {"site.grid.flexible_mw=100", "site.grid.flexible_after=\"permits\"",
                          "site.grid.curtailment.price_above=50", "workload.pausable_share=0.5", NULL};
    site_run a, b, c;
    sim_err err;
    CHECK(site_run_small(NULL, &a, &err) == 0, "%s", err.msg);
    site_run_defer(&a);
    CHECK(site_run_small(flex, &b, &err) == 0, "%s", err.msg);
    site_run_defer(&b);
    CHECK(site_run_small(curt, &c, &err) == 0, "%s", err.msg);
    site_run_defer(&c);
    CHECK_NEAR(a.mt[M_TTFT_DAYS], 303, 1e-9, "first token on the firm grid (day)");
    CHECK_NEAR(b.mt[M_TTFT_DAYS], 295, 1e-9, "first token on the flexible connection (day)");
    CHECK_NEAR(c.mt[M_TTFT_DAYS], 295, 1e-9, "first token with every hour curtailed (day)");
    CHECK_NEAR(c.mt[M_TFULL_DAYS], b.mt[M_TFULL_DAYS], 1e-9, "full capacity with and without curtailment");
    CHECK_NEAR(b.mt[M_CURTAILED_HOURS], 0, 0, "no curtailment asked: none");
    CHECK_NEAR(c.mt[M_CURTAILED_HOURS], 192, 1e-9, "curtailed hours (292 to 300)");
    CHECK(b.mt[M_GRID_FLEX_MWH] > 0, "no energy over the non-firm connection");
    /* in those hours half the load pauses and half is drawn regardless: paused = unserved */
    CHECK(c.mt[M_PAUSED_MWH] > 0, "nothing paused");
    CHECK_NEAR(c.mt[M_PAUSED_MWH], c.mt[M_OVER_SUPPLY_MWH], 1e-9 * c.mt[M_PAUSED_MWH], "paused vs unserved (MWh)");
    CHECK_NEAR(c.mt[M_CURTAILED_MWH], 2 * c.mt[M_PAUSED_MWH], 1e-9 * c.mt[M_CURTAILED_MWH],
               "curtailed energy = paused + unserved (MWh)");
    CHECK_NEAR(b.mt[M_FACILITY_MWH] - c.mt[M_FACILITY_MWH], c.mt[M_PAUSED_MWH], 1e-9 * b.mt[M_FACILITY_MWH],
               "the paused energy is not drawn");
    CHECK(c.mt[M_GPU_HOURS_LOST] > 0, "no GPU-hours lost");
}

TEST(site_a_non_firm_connection_larger_than_the_firm_one_by_hand)
{
    /* 20 MW non-firm from the end of permits (day 100) beside a firm grid of 0.2 MW (too small for one rack at
     * its design PUE) or none at all: every rack is energized against the non-firm connection as it is installed:
     * rack 0 at 292, accepted at 295; rack 9 at 310, accepted at 313 (the site's supply was sized without the
     * flexible part, and these were refused). */
    const char *small[] = {"site.grid.capacity_mw=0.2", "site.grid.flexible_mw=20", "site.grid.flexible_after=\"permits\"", NULL};
    const char *none[] = {"site.grid.capacity_mw=0", "site.grid.flexible_mw=20", "site.grid.flexible_after=\"permits\"", NULL};
    site_run a, b;
    sim_err err;
    CHECK(site_run_small(small, &a, &err) == 0, "0.2 MW firm, 20 MW non-firm: %s", err.msg);
    site_run_defer(&a);
    CHECK(site_run_small(none, &b, &err) == 0, "no firm grid, 20 MW non-firm: %s", err.msg);
    site_run_defer(&b);
    CHECK_NEAR(a.mt[M_TTFT_DAYS], 295, 1e-9, "first token, 0.2 MW firm (day)");
    CHECK_NEAR(a.mt[M_TFULL_DAYS], 313, 1e-9, "full capacity, 0.2 MW firm (day)");
    CHECK_NEAR(b.mt[M_TTFT_DAYS], 295, 1e-9, "first token, no firm grid (day)");
    CHECK_NEAR(b.mt[M_TFULL_DAYS], 313, 1e-9, "full capacity, no firm grid (day)");
}

TEST(site_a_connection_dated_relative_to_another_phase_by_hand)
{
    /* The non-firm connection 150 days before the firm one's phase ends, in the same replication
     * (flexible_after = "grid", lead -150: day 150), and 400 days before it (day -100: day 0): racks are
     * energized as they are installed, first token 295 and full capacity 313, against 303 and 313 on the firm
     * grid alone. */
    const char *rel[] = {"site.grid.flexible_mw=20", "site.grid.flexible_after=\"grid\"", "site.grid.flexible_lead_days=-150",
                         NULL};
    const char *early[] = {"site.grid.flexible_mw=20", "site.grid.flexible_after=\"grid\"",
                           "site.grid.flexible_lead_days=-400", NULL};
    site_run a, b;
    sim_err err;
    CHECK(site_run_small(rel, &a, &err) == 0, "%s", err.msg);
    site_run_defer(&a);
    CHECK(site_run_small(early, &b, &err) == 0, "%s", err.msg);
    site_run_defer(&b);
    CHECK_NEAR(a.mt[M_TTFT_DAYS], 295, 1e-9, "first token, 150 days before the grid (day)");
    CHECK_NEAR(a.mt[M_TFULL_DAYS], 313, 1e-9, "full capacity (day)");
    CHECK_NEAR(b.mt[M_TTFT_DAYS], 295, 1e-9, "first token, from day 0 (day)");
}

TEST(site_more_curtailment_never_delays_first_token)
{
    /* The US project (scenarios/eu-vs-us/us.cfg) on a 500 MW flexible connection from its transformers:
     * accepting 0, 50 or 500 curtailed hours a year leaves every replication's first token where it was
     * (the same seed); taking the flexible connection at all never makes it later. */
    sim_err err;
    const char *base[] = {"site.grid.flexible_mw=500", "site.grid.flexible_after=\"transformers\""};
    const char *levels[] = {NULL, "site.grid.curtailment.hours_per_year=50", "site.grid.curtailment.hours_per_year=500"};
    for (uint64_t rep = 0; rep < 4; rep++) {
        site_run r;
        CHECK(site_run_file("scenarios/eu-vs-us/us.cfg", NULL, 20260121, rep, &r, &err) == 0, "%s", err.msg);
        double firm = r.mt[M_TTFT_DAYS];
        site_run_free(&r);
        double first = NAN, hours_prev = -1;
        for (int i = 0; i < 3; i++) {
            const char *sets[] = {base[0], base[1], levels[i], NULL};
            CHECK(site_run_file("scenarios/eu-vs-us/us.cfg", sets, 20260121, rep, &r, &err) == 0, "%s", err.msg);
            double t = r.mt[M_TTFT_DAYS], hours = r.mt[M_CURTAILED_HOURS];
            site_run_free(&r);
            if (i == 0)
                first = t;
            CHECK(t == first, "replication %llu: first token at %g with %s, %g with none",
                  (unsigned long long)rep, t, levels[i] ? levels[i] : "no curtailment", first);
            CHECK(hours >= hours_prev, "replication %llu: more curtailment, fewer curtailed hours (%g < %g)",
                  (unsigned long long)rep, hours, hours_prev);
            hours_prev = hours;
        }
        CHECK(first <= firm, "replication %llu: the flexible connection delays first token (%g vs %g)",
              (unsigned long long)rep, first, firm);
    }
}

TEST(site_hourly_price_and_carbon_files_by_hand)
{
    /* The small site with its grid price and carbon from an hourly file (a year, repeated): each day's hours
     * share one price and one intensity (price 50 + 10 x (day mod 7), carbon 200 + 50 x (day mod 5)), so the
     * run's cost and CO2 are sums over the daily series: sum of facility MW x 24 h x the day's figure. */
    char path[600];
    snprintf(path, sizeof path, "%s/hourly-grid.csv", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f, "cannot write %s", path);
    fputs("hour,price,co2\n", f);
    for (int h = 0; h < 8760; h++)
        fprintf(f, "%d,%d,%d\n", h, 50 + 10 * ((h / 24) % 7), 200 + 50 * ((h / 24) % 5));
    fclose(f);
    char text[3000];
    snprintf(text, sizeof text,
             "@include \"small_base.inc\"\n"
             "site = { grid = { price_per_mwh = { csv = \"%s\"; column = \"price\"; repeat = \"yearly\"; };\n"
             "                  co2_kg_per_mwh = { csv = \"%s\"; column = \"co2\"; repeat = \"yearly\"; }; }; };\n",
             path, path);
    sim_err err;
    sim_cfg *cfg = NULL;
    void *m = load_site("tests/data", text, NULL, &cfg, &err);
    CHECK(m, "%s", err.msg);
    site_run r;
    memset(&r, 0, sizeof r);
    int rc = run_site(m, 1, 0, &r.mt, &r.se, &r.lay, &err);
    site_app.free(m);
    sim_cfg_free(cfg);
    CHECK(rc == 0, "%s", err.msg);
    double cost = 0, kg = 0;
    for (size_t i = 0; i < r.lay.n_steps; i++) {
        double mwh = site_series(&r, i, SERIES_FACILITY_MW) * 24.0;
        cost += mwh * (50 + 10 * (double)(i % 7));
        kg += mwh * (200 + 50 * (double)(i % 5));
    }
    double cost_run = r.mt[M_ENERGY_COST], co2_run = r.mt[M_CO2_T];
    site_run_free(&r);
    CHECK(cost > 0, "no energy drawn");
    CHECK_NEAR(cost_run, cost, 1e-9 * cost, "energy cost: the daily energy at each day's price");
    CHECK_NEAR(co2_run, kg / 1000.0, 1e-9 * kg / 1000.0, "CO2 (t): the daily energy at each day's intensity");
}

TEST(site_solar_asset_by_hand)
{
    /* 50 MW of solar at a constant capacity factor 0.2 from the end of permits (day 100) on the small site,
     * whose facility draws at most ~1 MW: the sun covers every hour of load (10 MWh an hour against < 1), so
     * the grid gives nothing, solar gives the facility energy, and the rest of 10 MWh x 24 x 300 days spills. */
    const char *sets[] = {"site.solar.capacity_mw=50", "site.solar.after=\"permits\"", "site.solar.capacity_factor=0.2",
                          NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double fac = r.mt[M_FACILITY_MWH];
    CHECK(fac > 0 && r.mt[M_PEAK_FACILITY_MW] < 10, "facility %g MWh, peak %g MW", fac, r.mt[M_PEAK_FACILITY_MW]);
    CHECK_NEAR(r.mt[M_SOLAR_MWH], fac, 1e-9 * fac, "solar energy = the facility's");
    CHECK_NEAR(r.mt[M_GRID_MWH], 0, 1e-9, "grid energy");
    CHECK_NEAR(r.mt[M_SPILLED_MWH], 10.0 * 24 * 300 - fac, 1e-6 * fac, "spilled: the sun's 72,000 MWh less the load");
    CHECK_NEAR(r.mt[M_CO2_T], 0, 1e-12, "no CO2 from the sun");
}

TEST(site_a_grid_request_that_never_connects_is_counted_not_dropped)
{
    /* The small site's grid request (the phase 'grid') refused for good: success probability 0, then stop.
     * The grid never connects (grid_not_connected = 1), first token is never reached (NAN: counted as a
     * miss, not an error), nothing is drawn. With the probability 1 the group changes nothing: the same
     * numbers as without it (no draw is added). */
    const char *never[] = {"timeline.phases.[1].outcome.success_probability=0",
                           "timeline.phases.[1].outcome.withdrawn_after_days=30", "timeline.phases.[1].outcome.then=\"stop\"",
                           NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(never, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    CHECK_NEAR(r.mt[M_GRID_NOT_CONNECTED], 1, 0, "the grid did not connect");
    CHECK(isnan(r.mt[M_TTFT_DAYS]), "first token at %g with no power", r.mt[M_TTFT_DAYS]);
    CHECK_NEAR(r.mt[M_FACILITY_MWH], 0, 0, "facility energy with no supply (MWh)");
    const char *sure[] = {"timeline.phases.[1].outcome.success_probability=1",
                          "timeline.phases.[1].outcome.withdrawn_after_days=30", NULL};
    site_run a, b;
    CHECK(site_run_small(NULL, &a, &err) == 0, "%s", err.msg);
    site_run_defer(&a);
    CHECK(site_run_small(sure, &b, &err) == 0, "%s", err.msg);
    site_run_defer(&b);
    CHECK_NEAR(a.mt[M_GRID_NOT_CONNECTED], 0, 0, "the grid connected");
    for (int m = 0; m < M_N; m++)
        CHECK(a.mt[m] == b.mt[m] || (isnan(a.mt[m]) && isnan(b.mt[m])), "metric %d: %g without the group, %g with "
              "probability 1", m, a.mt[m], b.mt[m]);
}
