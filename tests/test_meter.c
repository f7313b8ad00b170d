/* The meter over its sources (models/energy/meter.h) and the facility draw
 * (models/energy/facility.h), through their public interfaces only:
 *   - by hand: hourly prices and carbon on a small case, a change mid-hour,
 *     a draw split over three sources in order and over supply;
 *   - a real facility (two cooling technologies, hourly weather and
 *     utilization) changed 20,000 times at random instants (mid-hour and on
 *     hour boundaries) by facility_add, and its sources' capacities by
 *     meter_set_capacity, against a plain integration that computes the draw
 *     afresh for every stretch: energies, each source's energy, cost and
 *     CO2 (hourly and constant prices), over supply, peak. */
#include <stdlib.h>

#include "models/energy/facility.h"
#include "models/energy/meter.h"
#include "models/energy/psychro.h"
#include "sim/rng.h"
#include "test.h"

/* A probe that reads a constant-per-change draw from a double. */
static double fixed_probe(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water)
{
    (void)hour, (void)ambient_c;
    *it_mw = *(double *)ctx;
    *water = 0;
    return *(double *)ctx;
}

TEST(meter_hourly_prices_and_sources_by_hand)
{
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    test_defer((void (*)(void *))sim_engine_free, eng);
    static const double temp[6] = {0};
    static const double price[6] = {10, 20, 30, -5, 40, 40}, co2[6] = {100, 200, 300, 400, 500, 600};
    const meter_source_spec src[3] = {{"grid", 0, 0, price, co2, 0, 0}, {"gas", 50, 450, NULL, NULL, 0, 0},
                                      {"backup", 300, 700, NULL, NULL, 0, 0}};
    double draw = 0;
    meter m;
    CHECK(meter_start(&m, eng, temp, 6, 1.0, 0, NULL, fixed_probe, &draw, src, 3, NULL, &err) == 0, "%s", err.msg);
    meter_set_capacity(&m, 0, 0, 100);
    meter_set_capacity(&m, 0, 1, 10);
    meter_set_capacity(&m, 0, 2, 5);
    /* 10 MW for 1.5 h, then 20 MW: hour 0 10 MWh, hour 1 5 + 10, hour 2 20 */
    meter_advance(&m, 0);
    draw = 10;
    meter_reread(&m);
    meter_advance(&m, 1.5 / 24.0);
    draw = 20;
    meter_reread(&m);
    /* hour 3: 120 MW for the whole hour: 100 grid, 10 gas, 5 backup, 5 over (booked to the grid) */
    meter_advance(&m, 3.0 / 24.0);
    draw = 120;
    meter_reread(&m);
    meter_advance(&m, 4.0 / 24.0);
    const meter_totals *t = meter_totals_now(&m);
    double grid_mwh = 10 + 15 + 20 + 105, grid_cost = 10 * 10 + 15 * 20 + 20 * 30 + 105 * -5.0;
    double grid_co2 = (10 * 100 + 15 * 200 + 20 * 300 + 105 * 400.0) / 1000;
    CHECK_NEAR(t->facility_mwh, 10 + 15 + 20 + 120, 1e-9, "facility energy (MWh)");
    CHECK_NEAR(t->source_mwh[0], grid_mwh, 1e-9, "grid energy, over supply included (MWh)");
    CHECK_NEAR(t->source_mwh[1], 10, 1e-9, "gas energy (MWh)");
    CHECK_NEAR(t->source_mwh[2], 5, 1e-9, "backup energy (MWh)");
    CHECK_NEAR(t->over_supply_mwh, 5, 1e-9, "over supply (MWh)");
    CHECK_NEAR(t->source_cost[0], grid_cost, 1e-9, "grid cost at hourly prices (a negative hour included)");
    CHECK_NEAR(t->source_co2_t[0], grid_co2, 1e-12, "grid CO2 at hourly intensities (t)");
    CHECK_NEAR(t->cost, grid_cost + 10 * 50 + 5 * 300, 1e-9, "total cost");
    CHECK_NEAR(t->co2_t, grid_co2 + (10 * 450 + 5 * 700) / 1000.0, 1e-12, "total CO2 (t)");
    CHECK_NEAR(t->peak_facility_mw, 120, 0, "peak (MW)");
    /* Mid-hour totals price the current hour so far. */
    meter_advance(&m, 4.5 / 24.0);
    t = meter_totals_now(&m);
    CHECK_NEAR(t->source_cost[0], grid_cost + 52.5 * 40, 1e-9, "grid cost half-way into hour 4");
}

TEST(gas_turbines_derate_with_heat_by_hand)
{
    /* 100 MW of gas rated at 15 C, losing 0.6 % per C above it; no grid. 90 MW drawn for
     * three hours at 10, 40 and 20 C: the turbines give 90, then 100 x (1 - 0.006 x 25)
     * = 85 (5 MWh short: over supply), then 90 (97 available). */
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    test_defer((void (*)(void *))sim_engine_free, eng);
    static const double temp[3] = {10, 40, 20};
    const meter_source_spec src[2] = {{"grid", 0, 0, NULL, NULL, 0, 0}, {"gas", 50, 517, NULL, NULL, 0.006, 15}};
    double draw = 90;
    meter m;
    CHECK(meter_start(&m, eng, temp, 3, 1.0, 0, NULL, fixed_probe, &draw, src, 2, NULL, &err) == 0, "%s", err.msg);
    meter_set_capacity(&m, 0, 1, 100);
    CHECK_NEAR(meter_supply_mw(&m), 100, 1e-12, "supply at 10 C");
    meter_advance(&m, 1.5 / 24.0);
    CHECK_NEAR(meter_supply_mw(&m), 85, 1e-9, "supply at 40 C");
    meter_advance(&m, 3.0 / 24.0);
    const meter_totals *t = meter_totals_now(&m);
    CHECK_NEAR(t->source_mwh[1], 90 + 85 + 90, 1e-9, "gas energy (MWh)");
    CHECK_NEAR(t->over_supply_mwh, 5, 1e-9, "short in the hot hour (MWh)");
    CHECK_NEAR(t->co2_t, 265 * 0.517, 1e-9, "CO2 of the gas burnt (t)");
}

/* ------------------------------------------------ against a fresh integration */

typedef struct ref {
    double t, it, fac, water, over, peak;
    double mwh[3], cost[3], co2[3];
    facility_load loads[2];
    double cap[3];
} ref;

static double ref_draw(const ref *r, const facility *f, size_t hour, double amb, double *it, double *water)
{
    double u = workload_utilization_in_hour(f->wc, hour), fac = 0;
    double dew = fmin(f->dew_c[hour], amb);
    cooling_weather w = {amb, psy_wet_bulb_c(amb, dew, f->pressure_kpa),
                         psy_humidity_ratio(psy_sat_vp_kpa(dew), f->pressure_kpa), f->pressure_kpa};
    *it = *water = 0;
    for (int k = 0; k < 2; k++) {
        const facility_load *ld = &r->loads[k];
        double i = (ld->idle_kw + ld->dyn_kw * u + ld->burnin_kw) / 1000.0;
        i = i > 0 ? i : 0;
        *it += i;
        double per_it, water_per_it;
        cooling_per_it(f->cc, &f->cc->techs[k], &w, &per_it, &water_per_it);
        fac += i * per_it + ld->fixed_mw;
        *water += i * water_per_it;
    }
    return fac;
}

static void ref_advance(ref *r, const facility *f, const double *temp, const meter_source_spec *src, double t)
{
    while (r->t < t) {
        size_t h = (size_t)floor(r->t * 24.0 + 1e-12);
        double end = fmin(t, (double)(h + 1) / 24.0), hours = (end - r->t) * 24.0, it, water;
        double fac = ref_draw(r, f, h, temp[h], &it, &water), rest = fac;
        r->it += it * hours;
        r->fac += fac * hours;
        r->water += water * hours;
        r->peak = fmax(r->peak, fac);
        double take[3];
        for (int i = 0; i < 3; i++) {
            take[i] = fmin(rest, r->cap[i]);
            rest -= take[i];
        }
        take[0] += rest; /* over supply: booked to the first source */
        r->over += rest * hours;
        for (int i = 0; i < 3; i++) {
            double e = take[i] * hours;
            r->mwh[i] += e;
            r->cost[i] += e * (src[i].price_hourly ? src[i].price_hourly[h] : src[i].price_per_mwh);
            r->co2[i] += e * (src[i].co2_hourly ? src[i].co2_hourly[h] : src[i].co2_kg_per_mwh) / 1000.0;
        }
        r->t = end;
    }
}

TEST(facility_changes_integrate_exactly_over_sources)
{
    enum { HOURS = 24 * 40 };
    static double temp[HOURS], dew[HOURS], price0[HOURS], co2_0[HOURS], price2[HOURS], co2_2[HOURS];
    for (int h = 0; h < HOURS; h++) {
        temp[h] = 22.0 + 12.0 * sin(2.0 * M_PI * h / 24.0) + 0.05 * (h % 37);
        dew[h] = 12.0 + 0.1 * (h % 29);
        price0[h] = 60 + 40 * sin(2.0 * M_PI * h / 24.0) - (h % 50 == 0 ? 90 : 0);
        co2_0[h] = 300 + 100 * cos(2.0 * M_PI * h / 24.0);
        price2[h] = 200 + h % 5;
        co2_2[h] = 650 + h % 3;
    }
    cooling_config cc;
    memset(&cc, 0, sizeof cc);
    cc.n_techs = 2;
    cc.electrical_loss_frac = 0.04;
    cc.techs[0] = (cooling_tech){.name = "air", .rejection = COOLING_ADIABATIC, .supply_c = 24, .approach_c = 6,
                                 .free_frac = 0.15, .per_c_frac = 0.012, .max_frac = 0.40, .cycles = 3,
                                 .adiabatic_effectiveness = 0.8, .air_range_c = 12};
    cc.techs[1] = (cooling_tech){.name = "liquid", .liquid = true, .rejection = COOLING_EVAPORATIVE, .supply_c = 30,
                                 .approach_c = 4, .free_frac = 0.04, .per_c_frac = 0.006, .max_frac = 0.12, .cycles = 4};
    workload_config wc = {.utilization = 0.6, .diurnal_amplitude = 0.2, .peak_hour = 14, .burnin_utilization = 1};
    workload_prepare(&wc);
    const bool used[2] = {true, true};
    facility f;
    facility_init(&f, &cc, &wc, used, dew, HOURS, 98.0);
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    test_defer((void (*)(void *))sim_engine_free, eng);
    const meter_source_spec src[3] = {{"grid", 0, 0, price0, co2_0, 0, 0}, {"gas", 55, 450, NULL, NULL, 0, 0},
                                      {"backup", 0, 0, price2, co2_2, 0, 0}};
    meter m;
    facility_attach(&f, &m);
    CHECK(meter_start(&m, eng, temp, HOURS, 1.0, 0, NULL, facility_probe, &f, src, 3, NULL, &err) == 0, "%s", err.msg);
    ref r;
    memset(&r, 0, sizeof r);
    sim_rng rs = sim_rng_stream(11, 0, 0), *g = &rs;
    double t = 0;
    int changes = 0;
    for (int i = 0; i < 20000; i++) {
        double u = sim_rng_uniform(g);
        /* every 50th change on an hour boundary, the others anywhere */
        t = i % 50 == 0 ? ceil(t * 24.0 + 1e-9) / 24.0 : t + 0.0015 * sim_rng_exponential(g);
        if (t >= HOURS / 24.0 - 1)
            break;
        ref_advance(&r, &f, temp, src, t);
        if (u < 0.05) { /* a supply step */
            size_t s = (size_t)(sim_rng_uniform(g) * 3);
            double mw = s == 0 ? 20 + 80 * sim_rng_uniform(g) : sim_rng_uniform(g) < 0.4 ? 0 : 30 * sim_rng_uniform(g);
            meter_set_capacity(&m, t, s, mw);
            r.cap[s] = mw;
            continue;
        }
        uint32_t k = sim_rng_uniform(g) < 0.6 ? 0 : 1;
        facility_load *ld = &r.loads[k];
        if (u < 0.07 && ld->racks > 0) { /* the technology's last racks stop drawing */
            facility_add(&f, t, k, (int)-ld->racks, -ld->idle_kw, -ld->dyn_kw, -ld->burnin_kw, 0);
            ld->racks = 0;
            ld->idle_kw = ld->dyn_kw = ld->burnin_kw = 0;
        } else if (u < 0.09) { /* a hall's fixed load */
            facility_add(&f, t, k, 0, 0, 0, 0, 1.5);
            ld->fixed_mw += 1.5;
        } else if (u < 0.6 || ld->racks == 0) { /* a rack starts drawing: in burn-in or in service */
            bool burnin = sim_rng_uniform(g) < 0.3;
            double idle = burnin ? 0 : 20, dyn = burnin ? 0 : 112, b = burnin ? 132 : 0;
            facility_add(&f, t, k, 1, idle, dyn, b, 0);
            ld->racks++;
            ld->idle_kw += idle;
            ld->dyn_kw += dyn;
            ld->burnin_kw += b;
        } else { /* a rack in service fails */
            facility_add(&f, t, k, -1, -20, -112, 0, 0);
            ld->racks--;
            ld->idle_kw -= 20;
            ld->dyn_kw -= 112;
            if (ld->racks == 0)
                ld->idle_kw = ld->dyn_kw = ld->burnin_kw = 0;
        }
        changes++;
    }
    ref_advance(&r, &f, temp, src, t + 0.37);
    meter_advance(&m, t + 0.37);
    const meter_totals *tot = meter_totals_now(&m);
    CHECK(changes > 15000 && r.over > 0 && r.mwh[1] > 0 && r.mwh[2] > 0,
          "the run did not reach every source and over supply (%d changes; gas %g, backup %g, over %g MWh)", changes,
          r.mwh[1], r.mwh[2], r.over);
    CHECK_NEAR(tot->it_mwh, r.it, 1e-9 * r.it, "IT energy (MWh)");
    CHECK_NEAR(tot->facility_mwh, r.fac, 1e-9 * r.fac, "facility energy (MWh)");
    CHECK_NEAR(tot->water_m3, r.water, 1e-9 * r.water, "water (m3)");
    CHECK_NEAR(tot->over_supply_mwh, r.over, 1e-9 * r.fac, "over supply (MWh)");
    CHECK_NEAR(tot->peak_facility_mw, r.peak, 1e-9 * r.peak, "peak (MW)");
    const char *names[3] = {"grid (hourly prices)", "gas (constant)", "backup (hourly)"};
    for (int i = 0; i < 3; i++) {
        char w[96];
        snprintf(w, sizeof w, "%s energy (MWh)", names[i]);
        CHECK_NEAR(tot->source_mwh[i], r.mwh[i], 1e-9 * r.fac, w);
        snprintf(w, sizeof w, "%s cost", names[i]);
        CHECK_NEAR(tot->source_cost[i], r.cost[i], 1e-9 * fabs(r.cost[i]) + 1e-6, w);
        snprintf(w, sizeof w, "%s CO2 (t)", names[i]);
        CHECK_NEAR(tot->source_co2_t[i], r.co2[i], 1e-9 * r.co2[i] + 1e-9, w);
    }
}
