/* The meter over its sources (models/energy/meter.h) and the facility draw
 * (models/energy/facility.h), through their public interfaces only:
 *   - by hand: each hour's facility and IT energy and each source's
 *     capacity-hours, with changes mid-hour, and an hour partly paused;
 *   - a real facility (two cooling technologies, hourly weather and
 *     utilization) changed 20,000 times at random instants (mid-hour and on
 *     hour boundaries) by facility_add, and its sources' capacities by
 *     meter_set_capacity, against a plain integration that computes the draw
 *     afresh for every stretch: every hour's energies and capacity-hours,
 *     the totals, the peak. */
#include <stdlib.h>

#include "models/energy/facility.h"
#include "models/energy/meter.h"
#include "models/energy/psychro.h"
#include "sim/core/rng.h"
#include "test.h"

/* A probe that reads a constant-per-change draw from a double. */
static double fixed_probe(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water)
{
    (void)hour, (void)ambient_c;
    *it_mw = *(double *)ctx;
    *water = 0;
    return *(double *)ctx;
}

/* An hour function that records what the meter hands over, and pauses a
 * set share of one hour. */
#define REC_HOURS 1000
typedef struct rec {
    size_t n;
    double hours[REC_HOURS], fac[REC_HOURS], it[REC_HOURS], avail[REC_HOURS][3];
    size_t pause_hour;
    double pause_share;
} rec;

static meter_hour_out record_hour(void *ctx, size_t hour, double hours, double fac, double it, double gpu_hours,
                                  const double *avail)
{
    (void)gpu_hours;
    rec *r = ctx;
    if (hour < REC_HOURS) {
        r->hours[hour] = hours;
        r->fac[hour] = fac;
        r->it[hour] = it;
        for (int i = 0; i < 3; i++)
            r->avail[hour][i] = avail[i];
        if (hour + 1 > r->n)
            r->n = hour + 1;
    }
    return (meter_hour_out){hour == r->pause_hour ? r->pause_share * fac : 0.0, 0.0};
}

TEST(meter_hours_and_capacity_hours_by_hand)
{
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    test_defer((void (*)(void *))sim_engine_free, eng);
    static const double temp[6] = {0};
    const meter_source_spec src[3] = {{"grid", 0, 0, true}, {"gas", 0, 0, true}, {"backup", 0, 0, false}};
    double draw = 0;
    meter m;
    static rec r;
    memset(&r, 0, sizeof r);
    r.pause_hour = 3;
    r.pause_share = 0.25;
    CHECK(meter_start(&m, eng, temp, 6, 1.0, 0, NULL, fixed_probe, &draw, src, 3, NULL, record_hour, &r, &err) == 0,
          "%s", err.msg);
    meter_set_capacity(&m, 0, 0, 100);
    meter_set_capacity(&m, 0, 1, 10);
    meter_set_capacity(&m, 0, 2, 5);
    CHECK_NEAR(meter_supply_mw(&m), 110, 0, "supply: grid and gas, not the backup");
    /* 10 MW for 1.5 h, then 20 MW: hour 0 10 MWh, hour 1 5 + 10, hour 2 20; gas 10 -> 30 MW at 1.25 h */
    meter_advance(&m, 0);
    draw = 10;
    meter_reread(&m);
    meter_set_capacity(&m, 1.25 / 24.0, 1, 30);
    meter_advance(&m, 1.5 / 24.0);
    draw = 20;
    meter_reread(&m);
    /* hour 3: 120 MW; a quarter of it paused by the hour function */
    meter_advance(&m, 3.0 / 24.0);
    draw = 120;
    meter_reread(&m);
    meter_advance(&m, 4.0 / 24.0);
    meter_advance(&m, 4.5 / 24.0);
    meter_finish(&m);
    const double fac[5] = {10, 15, 20, 120, 60}, hours[5] = {1, 1, 1, 1, 0.5};
    const double gas[5] = {10, 0.25 * 10 + 0.75 * 30, 30, 30, 15};
    CHECK(r.n == 5, "%zu hours closed, want 5", r.n);
    for (int h = 0; h < 5; h++) {
        char w[64];
        snprintf(w, sizeof w, "hour %d facility energy (MWh)", h);
        CHECK_NEAR(r.fac[h], fac[h], 1e-9, w);
        snprintf(w, sizeof w, "hour %d length (h)", h);
        CHECK_NEAR(r.hours[h], hours[h], 1e-9, w);
        snprintf(w, sizeof w, "hour %d grid capacity-hours", h);
        CHECK_NEAR(r.avail[h][0], 100 * hours[h], 1e-9, w);
        snprintf(w, sizeof w, "hour %d gas capacity-hours", h);
        CHECK_NEAR(r.avail[h][1], gas[h], 1e-9, w);
        snprintf(w, sizeof w, "hour %d backup capacity-hours", h);
        CHECK_NEAR(r.avail[h][2], 5 * hours[h], 1e-9, w);
    }
    CHECK_NEAR(m.tot.facility_mwh, 10 + 15 + 20 + 0.75 * 120 + 60, 1e-9, "facility energy, the paused quarter off");
    CHECK_NEAR(m.tot.it_mwh, m.tot.facility_mwh, 1e-9, "IT energy, paused in the same share");
    CHECK_NEAR(m.tot.peak_facility_mw, 120, 0, "peak (MW)");
}

TEST(gas_turbines_derate_with_heat_by_hand)
{
    /* 100 MW of gas rated at 15 C, losing 0.6 % per C above it. Three hours at 10, 40 and 20 C: the turbines
     * can give 100, then 100 x (1 - 0.006 x 25) = 85, then 97 MWh. */
    sim_err err;
    sim_engine_opts eo = {1, 0, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, &err);
    CHECK(eng, "%s", err.msg);
    test_defer((void (*)(void *))sim_engine_free, eng);
    static const double temp[3] = {10, 40, 20};
    const meter_source_spec src[2] = {{"grid", 0, 0, true}, {"gas", 0.006, 15, true}};
    double draw = 90;
    meter m;
    static rec r;
    memset(&r, 0, sizeof r);
    r.pause_hour = 99;
    CHECK(meter_start(&m, eng, temp, 3, 1.0, 0, NULL, fixed_probe, &draw, src, 2, NULL, record_hour, &r, &err) == 0,
          "%s", err.msg);
    meter_set_capacity(&m, 0, 1, 100);
    CHECK_NEAR(meter_supply_mw(&m), 100, 1e-12, "supply at 10 C");
    meter_advance(&m, 1.5 / 24.0);
    CHECK_NEAR(meter_supply_mw(&m), 85, 1e-9, "supply at 40 C");
    meter_advance(&m, 3.0 / 24.0);
    meter_finish(&m);
    CHECK_NEAR(r.avail[0][1], 100, 1e-9, "gas capacity-hours at 10 C");
    CHECK_NEAR(r.avail[1][1], 85, 1e-9, "gas capacity-hours at 40 C");
    CHECK_NEAR(r.avail[2][1], 97, 1e-9, "gas capacity-hours at 20 C");
}

/* ------------------------------------------------ against a fresh integration */

typedef struct ref {
    double t, it, fac, water, peak;
    double h_fac[24 * 40], h_it[24 * 40], h_cap[24 * 40][3];
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

static void ref_advance(ref *r, const facility *f, const double *temp, double t)
{
    while (r->t < t) {
        size_t h = (size_t)floor(r->t * 24.0 + 1e-12);
        double end = fmin(t, (double)(h + 1) / 24.0), hours = (end - r->t) * 24.0, it, water;
        double fac = ref_draw(r, f, h, temp[h], &it, &water);
        r->it += it * hours;
        r->fac += fac * hours;
        r->water += water * hours;
        r->peak = fmax(r->peak, fac);
        r->h_fac[h] += fac * hours;
        r->h_it[h] += it * hours;
        for (int i = 0; i < 3; i++)
            r->h_cap[h][i] += r->cap[i] * hours;
        r->t = end;
    }
}

TEST(facility_changes_integrate_exactly_over_sources)
{
    enum { HOURS = 24 * 40 };
    static double temp[HOURS], dew[HOURS];
    for (int h = 0; h < HOURS; h++) {
        temp[h] = 22.0 + 12.0 * sin(2.0 * M_PI * h / 24.0) + 0.05 * (h % 37);
        dew[h] = 12.0 + 0.1 * (h % 29);
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
    const meter_source_spec src[3] = {{"grid", 0, 0, true}, {"gas", 0, 0, true}, {"backup", 0, 0, false}};
    static rec hr;
    memset(&hr, 0, sizeof hr);
    hr.pause_hour = (size_t)-1;
    meter m;
    facility_attach(&f, &m);
    CHECK(meter_start(&m, eng, temp, HOURS, 1.0, 0, NULL, facility_probe, &f, src, 3, NULL, record_hour, &hr, &err) == 0,
          "%s", err.msg);
    static ref r;
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
        ref_advance(&r, &f, temp, t);
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
    ref_advance(&r, &f, temp, t + 0.37);
    meter_advance(&m, t + 0.37);
    meter_finish(&m);
    const meter_totals *tot = &m.tot;
    CHECK(changes > 15000, "only %d changes", changes);
    CHECK_NEAR(tot->it_mwh, r.it, 1e-9 * r.it, "IT energy (MWh)");
    CHECK_NEAR(tot->facility_mwh, r.fac, 1e-9 * r.fac, "facility energy (MWh)");
    CHECK_NEAR(tot->water_m3, r.water, 1e-9 * r.water, "water (m3)");
    CHECK_NEAR(tot->peak_facility_mw, r.peak, 1e-9 * r.peak, "peak (MW)");
    /* every hour closed: its energies and each source's capacity-hours */
    size_t n_hours = (size_t)ceil((t + 0.37) * 24.0);
    CHECK(hr.n == n_hours, "%zu hours closed, want %zu", hr.n, n_hours);
    double worst_fac = 0, worst_it = 0, worst_cap = 0;
    size_t at = 0;
    for (size_t h = 0; h < hr.n && h < REC_HOURS; h++) {
        worst_fac = fmax(worst_fac, fabs(hr.fac[h] - r.h_fac[h]));
        worst_it = fmax(worst_it, fabs(hr.it[h] - r.h_it[h]));
        for (int i = 0; i < 3; i++)
            if (fabs(hr.avail[h][i] - r.h_cap[h][i]) > worst_cap) {
                worst_cap = fabs(hr.avail[h][i] - r.h_cap[h][i]);
                at = h;
            }
    }
    CHECK(worst_fac < 1e-9 * r.peak && worst_it < 1e-9 * r.peak,
          "an hour's energy differs from the plain integration by %g MWh (facility), %g (IT)", worst_fac, worst_it);
    CHECK(worst_cap < 1e-9 * 100, "hour %zu's capacity-hours differ by %g MWh", at, worst_cap);
}
