/*
 * proptest: properties held over generated scenarios (make proptest; a
 * slice of it in make test).
 *
 * Each scenario is drawn from a seed across the keys' documented ranges: a
 * timeline of 2 to 7 phases with random dependencies, kinds and laws
 * (constant, uniform, triangular, PERT, lognormal, exponential, Weibull);
 * a firm grid in tranches (or none), a non-firm connection (its lead
 * possibly negative), on-site gas (with a minimum load and a start cost),
 * fuel cells, a battery, solar, wind, curtailment, a phase that may fail,
 * racks ordered after a phase or on a calendar day,
 * a large-load tariff, the assets' lives and a factor on capital;
 * prices and carbon as numbers or daily profiles; 1 to 3 hall groups of air
 * or liquid cooling; 1 to 3 rack types and orders that fit the halls;
 * failures, burn-in, crews, delivery rates; money on or off. Each is run
 * for a few replications and held to:
 *
 *   runs      it loads and runs, or is refused with a message about the
 *             scenario; never an internal error
 *   balance   energy: grid + gas + fuel cells + diesel + solar + wind = facility energy
 *             + battery losses + what the battery holds at the end (between
 *             0 and its usable energy); money: capex, cost of delay and the
 *             energy cost (with a grid tariff's charges) are the sums of their
 *             parts; the lifetime's yearly rows add up to its NPV and capital,
 *             which is at least the horizon's
 *   monotone  in the same replication (common random numbers), half the
 *             lead time, twice the delivery rate, a grid half again as
 *             large, a phase half as long never make a milestone later
 *             (scenarios without failures in service, whose timing
 *             legitimately moves with the racks'; with a crew for every
 *             rack: a crew pool that does not preempt is not monotone in
 *             its size or its racks' release dates, Graham's anomalies)
 *   horizon   a longer horizon changes no milestone reached before the
 *             shorter one and no series row before it
 *   resolved  the resolved scenario reruns to the same numbers, bit for bit
 *   threads   one and two threads give the same numbers, bit for bit
 *   netcdf    series.nc written in batches of one replication (its series
 *             dropped as it goes, series.csv read back from the file in
 *             blocks of steps) is the file written from memory, byte for
 *             byte, and the read-back series.csv is the one from memory
 *
 * A property found false prints the scenario's seed, the property and the
 * numbers compared, and the scenario text; the exit status is 1. The last
 * line counts the scenarios, the refusals by kind and the findings.
 *
 *   proptest [--count N] [--seed S] [--from I] [--reps R] [--quiet] [--show] [--no-extras]
 *            [--no-calendar]
 *   (scenario seeds S x 1000003 + I, I + 1, ...; --from 2000 --count 1000
 *   redoes the third thousand of a run)
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "models/finance/lifetime.h"
#include "models/site/site.h"
#include "sim/config/cfg.h"
#include "sim/core/rng.h"
#include "sim/study/netcdf.h"
#include "sim/study/runner.h"
#include "sim/core/util.h"

/* ------------------------------------------------------------ the draws */

typedef struct gen {
    sim_rng r;
    char *t;
    size_t len, cap;
} gen;

static double U(gen *g, double a, double b) { return a + (b - a) * sim_rng_uniform(&g->r); }
static int I(gen *g, int a, int b) { return a + (int)floor(U(g, 0, 1) * (double)(b - a + 1)) % (b - a + 1); }
static bool P(gen *g, double p) { return sim_rng_uniform(&g->r) < p; }

static void put(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(gen *g, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(g->t + g->len, g->cap - g->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < g->cap - g->len) {
            g->len += (size_t)n;
            return;
        }
        g->cap = g->cap * 2 + 4096;
        g->t = realloc(g->t, g->cap);
        if (!g->t)
            abort();
    }
}

/* A law of days between lo and hi (roughly), of a random kind. */
static void law(gen *g, double lo, double hi)
{
    double a = U(g, lo, hi), b = a + U(g, 1, (hi - lo) / 2 + 1);
    switch (I(g, 0, 6)) {
    case 0: put(g, "%.3f", a); break;
    case 1: put(g, "{ dist = \"uniform\"; min = %.3f; max = %.3f; }", a, b); break;
    case 2: put(g, "{ dist = \"triangular\"; min = %.3f; mode = %.3f; max = %.3f; }", a, U(g, a, b), b); break;
    case 3: put(g, "{ dist = \"pert\"; min = %.3f; mode = %.3f; max = %.3f; }", a, U(g, a, b), b); break;
    case 4: put(g, "{ dist = \"lognormal\"; p50 = %.3f; p90 = %.3f; }", a + 1, (a + 1) * U(g, 1.1, 2.5)); break;
    case 5: put(g, "{ dist = \"exponential\"; mean = %.3f; }", a + 1); break;
    default: put(g, "{ dist = \"weibull\"; shape = %.3f; scale = %.3f; }", U(g, 0.7, 3), a + 1); break;
    }
}

/* An hourly quantity: a number, or a daily profile. */
static void hourly(gen *g, double lo, double hi, double max_amp)
{
    double m = U(g, lo, hi);
    if (P(g, 0.5))
        put(g, "%.4f", m);
    else
        put(g, "{ mean = %.4f; daily_amplitude = %.3f; daily_peak_hour = %.1f; }", m, U(g, 0, max_amp), U(g, 0, 23));
}

/* The extras (fuel cells, a phase's outcome, gas's minimum load and start cost; then batches and the
 * builder's pace, from a third stream) draw from streams of their own: a scenario without them is the
 * text the generator gave before they existed (--no-extras: never). Racks ordered on a calendar day came
 * last (--no-calendar: never, the text the generator gave before them). */
static bool extras = true, calendar = true;

typedef struct scen_facts {
    bool failures;   /* failures in service */
    bool grid;       /* a firm grid (its capacity can be scaled) */
    int n_phases;
    int n_racks;     /* every rack of the orders */
    bool battery;
    double batt_usable_mwh;
} scen_facts;

/* A scenario drawn from seed; racks_scale shrinks the orders (a retry when
 * they do not fit the halls). */
static char *generate(uint64_t seed, double racks_scale, scen_facts *f)
{
    gen g = {.r = sim_rng_stream(seed, 0, 0x9209)};
    gen x = {.r = sim_rng_stream(seed, 0, 0x9210)}; /* draws only: the text is g's */
    gen y = {.r = sim_rng_stream(seed, 0, 0x9211)}; /* the extras added later (batches, pace): x's draws stay */
    gen z = {.r = sim_rng_stream(seed, 0, 0x9212)}; /* and later still (a next site): y's draws stay */
    gen w = {.r = sim_rng_stream(seed, 0, 0x9213)}; /* a grid tariff, the economics' keys: z's draws stay */
    bool builder = false; /* a construction or commissioning phase, which a pace may scale */
    memset(f, 0, sizeof *f);
    int np = I(&g, 2, 7);
    f->n_phases = np;
    static const char *const kinds[] = {"permits", "grid_connection", "electrical_equipment", "construction",
                                        "commissioning", "other"};
    put(&g, "name = \"generated %llu\";\nsim = { seed = %d; horizon_days = %.1f; step_days = 1.0; };\n",
        (unsigned long long)seed, I(&g, 1, 1000000), (double)I(&g, 200, 1500));
    put(&g, "timeline = { phases = (\n");
    for (int i = 0; i < np; i++) {
        const char *kind = i == 0 ? "permits" : kinds[I(&g, 0, 5)];
        builder |= !strcmp(kind, "construction") || !strcmp(kind, "commissioning");
        put(&g, "  { name = \"p%d\"; kind = \"%s\"; duration_days = ", i, kind);
        law(&g, 0, i == 0 ? 200 : 300);
        if (i > 0) {
            int a = I(&g, 0, i - 1), b = I(&g, 0, i - 1);
            if (a == b)
                put(&g, "; after = [ \"p%d\" ]", a);
            else
                put(&g, "; after = [ \"p%d\", \"p%d\" ]", a, b);
            if (P(&g, 0.2))
                put(&g, "; start_lag_days = %.2f", U(&g, 0, 60));
        }
        put(&g, "; }%s\n", i + 1 < np ? "," : "");
    }
    put(&g, ")");
    if (extras && P(&x, 0.2)) { /* a phase that may fail: filed again, moved to the next site, or abandoned */
        bool stop = P(&x, 0.3);
        bool next = !stop && P(&z, 0.3); /* z's: x's and y's draws stay as they were */
        /* in the order the compiler evaluated the earlier generator's arguments (right to left), so that
         * x's draws give the same scenarios */
        double withdrawn = U(&x, 0, 400), p_ok = U(&x, 0.3, 1);
        int phase = (int)U(&x, 0, np - 0.001);
        put(&g, "; outcomes = { p%d = { success_probability = %.3f; withdrawn_after_days = %.1f; then = \"%s\"; ",
            phase, p_ok, withdrawn, stop ? "stop" : next ? "next_site" : "reapply");
        if (!stop) {
            int attempts = 1 + (int)U(&x, 0, 3.999);
            double delay = U(&x, 0, 200);
            put(&g, "reapply_delay_days = %.1f; ", delay);
            if (!next)
                put(&g, "max_attempts = %d; ", attempts);
            else {
                int ns = 1 + (int)U(&z, 0, 2.999);
                put(&g, "sites = ( ");
                for (int k = 0; k < ns; k++)
                    put(&g, "{ name = \"s%d\"; success_probability = %.3f; duration_days = %.1f; }%s", k, U(&z, 0, 1),
                        U(&z, 0, 900), k + 1 < ns ? ", " : " ");
                put(&g, "); ");
            }
        }
        put(&g, "}; }");
    }
    if (extras && P(&y, 0.15)) /* a phase studied in batches */
        put(&g, "; batches = { p%d = { first_day = %.1f; every_days = %.1f; }; }", (int)U(&y, 0, np - 0.001),
            U(&y, 0, 400), U(&y, 1, 400));
    if (extras && builder && P(&y, 0.15)) { /* the builder's pace */
        if (P(&y, 0.5))
            put(&g, "; pace = %.3f", U(&y, 0.3, 2.5));
        else
            put(&g, "; pace = { dist = \"lognormal\"; p50 = %.3f; p90 = %.3f; }", U(&y, 0.5, 1.5), U(&y, 1.6, 3));
    }
    put(&g, "; };\n");
#define PH() I(&g, 0, np - 1)
    /* the site's power */
    double grid_mw = P(&g, 0.15) ? 0.0 : U(&g, 0.5, 300);
    bool flex = P(&g, 0.3) || grid_mw == 0, onsite = P(&g, 0.25);
    f->grid = grid_mw > 0;
    put(&g, "site = {\n  grid = { capacity_mw = %.3f; energized_after = \"p%d\"; tranches = %d; tranche_interval_days = %.1f;\n",
        grid_mw, PH(), I(&g, 1, 4), U(&g, 0, 120));
    put(&g, "    co2_kg_per_mwh = ");
    hourly(&g, 0, 900, 0.3);
    put(&g, "; co2_basis = \"%s\"; price_per_mwh = ", P(&g, 0.5) ? "lifecycle" : "direct");
    hourly(&g, 5, 200, 0.5);
    put(&g, ";\n");
    if (flex) {
        put(&g, "    flexible_mw = %.3f; flexible_after = \"p%d\"; flexible_lead_days = ", U(&g, 1, 300), PH());
        if (P(&g, 0.5))
            put(&g, "%.2f", U(&g, -400, 300));
        else
            law(&g, 0, 300);
        put(&g, ";\n");
        if (P(&g, 0.3))
            put(&g, "    curtailment = { hours_per_year = %.1f; depth = %.3f; };\n", U(&g, 0, 200), U(&g, 0.1, 1));
    }
    if (extras && grid_mw > 0 && P(&w, 0.25)) /* a large-load tariff, and a factor on the grid's price */
        put(&g, "    tariff = { capacity_price_per_mw_day = %.2f; demand_charge_per_kw_month = %.2f; minimum_share = %.3f; "
                "minimum_years = %.2f; ramp_years = %.2f; contract_after = \"p%d\"; };\n    price_factor = %.3f;\n",
            U(&w, 0, 600), U(&w, 0, 20), U(&w, 0, 1), U(&w, 0.1, 15), U(&w, 0, 5), (int)U(&w, 0, np - 0.001),
            U(&w, 0.3, 2));
    put(&g, "  };\n");
    if (onsite || (grid_mw == 0 && !flex)) {
        put(&g, "  onsite = { capacity_mw = %.3f; after = \"p%d\"; lead_days = %.1f; cycle = \"%s\"; cost_per_mwh = %.2f; "
                "co2_basis = \"direct\";",
            U(&g, 1, 200), PH(), U(&g, 0, 300), P(&g, 0.5) ? "simple" : "combined", U(&g, 20, 200));
        if (extras && P(&x, 0.3))
            put(&g, " min_load_frac = %.3f; start_cost = %.1f;", U(&x, 0, 0.6), U(&x, 0, 5000));
        put(&g, " };\n");
    }
    if (P(&g, 0.2)) {
        double pw = U(&g, 1, 100), e = round(pw * U(&g, 1, 6) * 1000) / 1000, below = U(&g, 0, 100); /* as written */
        f->battery = true;
        f->batt_usable_mwh = e * (0.95 - 0.05);
        put(&g, "  battery = { power_mw = %.3f; energy_mwh = %.3f; reserve = %.3f; charge_below = %.2f; "
                "discharge_above = %.2f; };\n",
            pw, e, U(&g, 0.05, 0.9), below, below + U(&g, 0, 200));
    }
    if (P(&g, 0.15))
        put(&g, "  solar = { capacity_mw = %.3f; after = \"p%d\"; capacity_factor = %.3f; };\n", U(&g, 1, 100), PH(),
            U(&g, 0.05, 0.35));
    if (P(&g, 0.15))
        put(&g, "  wind = { capacity_mw = %.3f; after = \"p%d\"; capacity_factor = %.3f; };\n", U(&g, 1, 100), PH(),
            U(&g, 0.1, 0.45));
    if (extras && P(&x, 0.15))
        put(&g, "  fuel_cell = { capacity_mw = %.3f; after = \"p%d\"; lead_days = %.1f; cost_per_mwh = %.2f; "
                "co2_basis = \"direct\"; min_load_frac = %.3f; };\n",
            U(&x, 1, 100), (int)U(&x, 0, np - 0.001), U(&x, 0, 300), U(&x, 10, 150), U(&x, 0, 0.5));
    put(&g, "};\n");
    put(&g, "facility = { electrical_loss_frac = %.4f; fixed_overhead_frac = %.4f; design_ambient_c = %.1f; };\n",
        U(&g, 0, 0.08), U(&g, 0, 0.03), U(&g, 20, 45));
    put(&g, "cooling = (\n"
            "  { name = \"liquid\"; liquid = true; heat_rejection = \"dry\"; supply_c = 35.0; approach_c = 5.0;\n"
            "    free_frac = 0.04; per_c_frac = 0.006; max_frac = 0.12; },\n"
            "  { name = \"air\"; liquid = false; heat_rejection = \"dry\"; supply_c = 24.0; approach_c = 6.0;\n"
            "    free_frac = 0.15; per_c_frac = 0.012; max_frac = 0.40; }\n);\n");
    int nh = I(&g, 1, 3);
    double room_liquid = 0, room_any = 0, min_hall_kw = INFINITY;
    put(&g, "halls = (\n");
    for (int h = 0; h < nh; h++) {
        int count = I(&g, 1, 4);
        double cap = U(&g, 0.5, 50);
        bool liquid = P(&g, 0.6) || h == 0;
        room_any += count * cap * 1000;
        if (liquid)
            room_liquid += count * cap * 1000;
        min_hall_kw = fmin(min_hall_kw, cap * 1000);
        put(&g, "  { name = \"h%d\"; count = %d; ready_after = \"p%d\"; stagger_days = %.1f; cooling = \"%s\"; "
                "it_capacity_mw = %.3f; }%s\n",
            h, count, PH(), U(&g, 0, 90), liquid ? "liquid" : "air", cap, h + 1 < nh ? "," : "");
    }
    put(&g, ");\n");
    int nt = I(&g, 1, 3);
    double peak[3];
    bool liq[3];
    put(&g, "rack_types = (\n");
    for (int t = 0; t < nt; t++) {
        peak[t] = fmin(U(&g, 10, 140), min_hall_kw);
        liq[t] = P(&g, 0.5);
        double fail = P(&g, 0.4) ? U(&g, 1e-6, 1e-3) : 0;
        f->failures |= fail > 0;
        put(&g, "  { name = \"t%d\"; gpus = %d; idle_kw = %.3f; peak_kw = %.3f; liquid = %s; install_days = %.3f; "
                "price_usd = %.0f; hw_failures_per_gpu_day = %.6g; interruptions_per_gpu_day = %.6g; "
                "hw_unit_gpus = 1; repair_days = %.3f; }%s\n",
            t, I(&g, 4, 72), peak[t] * U(&g, 0.2, 0.6), peak[t], liq[t] ? "true" : "false", U(&g, 0.5, 5),
            U(&g, 1e5, 4e6), fail, 17.0 * fail, U(&g, 0.5, 5), t + 1 < nt ? "," : "");
    }
    put(&g, ");\n");
    int no = I(&g, 1, 3);
    long long total = 0;
    double left_liquid = room_liquid * 0.9, left_any = room_any * 0.9;
    put(&g, "racks = {\n  orders = (\n");
    for (int o = 0; o < no; o++) {
        int t = I(&g, 0, nt - 1);
        double room = liq[t] ? fmin(left_liquid, left_any) : left_any;
        long long most = (long long)floor(room / peak[t] / (double)(no - o));
        long long count = most < 1 ? 1 : (long long)fmax(1, floor(U(&g, 0.2, 1) * (double)most * racks_scale));
        count = count > 3000 ? 3000 : count;
        left_any -= (double)count * peak[t];
        if (liq[t])
            left_liquid -= (double)count * peak[t];
        total += count;
        put(&g, "    { type = \"t%d\"; count = %lld; }%s\n", t, count, o + 1 < no ? "," : "");
    }
    put(&g, "  );\n  order_after = \"p%d\"; lead_days = ", PH());
    law(&g, 0, 300);
    put(&g, ";\n  per_month = %.2f; crews = %d; burnin_days = ", U(&g, 1, 500), I(&g, 1, 20));
    law(&g, 0.5, 10);
    put(&g, ";\n  burnin_fail_prob = %.3f;\n};\n", P(&g, 0.5) ? U(&g, 0, 0.2) : 0.0);
    f->n_racks = (int)(total < 100000 ? total : 100000);
    put(&g, "first_token = { min_racks = %lld; };\n", (long long)I(&g, 1, (int)(total < 20 ? total : 20)));
    put(&g, "workload = { utilization = %.3f; };\n", U(&g, 0.2, 1));
    put(&g, "climate = { mean_c = %.2f; annual_amplitude_c = %.2f; daily_amplitude_c = %.2f; warmest_day = %d; "
            "warmest_hour = %.1f; };\n",
        U(&g, -5, 30), U(&g, 0, 15), U(&g, 0, 8), I(&g, 1, 365), U(&g, 0, 23));
    if (P(&g, 0.4)) {
        put(&g, "exchange = { usd_per_unit = 1.0; };\nmoney = { discount_rate = %.4f;", U(&g, 0, 0.15));
        if (extras && P(&w, 0.3)) /* the lives and a factor on capital */
            put(&g, " gpu_life_years = %.2f; facility_life_years = %.2f; battery_life_years = %.2f; "
                    "generation_life_years = %.2f; capex_factor = %.3f;",
                U(&w, 0.5, 8), U(&w, 0.5, 30), U(&w, 0.5, 20), U(&w, 0.5, 30), U(&w, 0.5, 2));
        put(&g, " };\n");
    }
    const char *oa = extras && calendar ? strstr(g.t, "order_after = \"p") : NULL;
    if (oa && P(&w, 0.15)) { /* the racks ordered on a calendar day instead: day 0, or an order's offset after it */
        const char *q = strchr(oa + 15, '"');
        size_t n = strlen(g.t) + 16;
        char *t = q ? malloc(n) : NULL;
        if (t) {
            snprintf(t, n, "%.*sorder_after = \"start\"%s", (int)(oa - g.t), g.t, q + 1);
            free(g.t);
            g.t = t;
        }
    }
#undef PH
    return g.t;
}

/* ------------------------------------------------------------- the runs */

typedef struct run {
    sim_results res;
    sim_layout lay;
    char *resolved;
    char *series_text; /* with nc: series.csv's text read back from the file */
} run;

/* Loads text with the assignments and runs n replications on `threads`; nc: into that netCDF file a
 * replication at a time instead (sim_netcdf_run, out's series NULL, its series.csv text in out). */
static int run_text_nc(const char *text, const char *const *sets, size_t n_reps, unsigned threads, bool want_resolved,
                       const char *nc, run *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    sim_cfg *cfg = sim_cfg_load_string(text, "generated.cfg", ".", err);
    if (!cfg)
        return -1;
    for (size_t i = 0; sets && sets[i]; i++)
        if (sim_cfg_set(cfg, sets[i], err)) {
            sim_cfg_free(cfg);
            return -1;
        }
    const char *name;
    long long seed, reps;
    void *model = NULL;
    if (sim_cfg_str(cfg, "name", NULL, &name, err) == 0 && sim_cfg_int(cfg, "sim.seed", 1, 0, INT64_MAX, &seed, err) == 0 &&
        sim_cfg_int(cfg, "sim.replications", 1, 1, 1000000, &reps, err) == 0) /* as sim/study/scenario.c reads them */
        model = site_app.load(cfg, err);
    if (!model || sim_cfg_check_unused(cfg, err)) {
        if (model)
            site_app.free(model);
        sim_cfg_free(cfg);
        return -1;
    }
    site_app.layout(model, &out->lay);
    size_t text_len;
    sim_run_info info = {"generated", "generated.cfg", 7, NULL};
    /* a series and a half of one replication of memory: batches of one (or one a thread), read back one series at a
     * time in blocks of three quarters of the steps of the two replications, whole years of them when that reaches
     * a year */
    double memory = 1.5 * (double)out->lay.n_steps * sizeof(double);
    int rc = nc ? sim_netcdf_run(&site_app, model, &out->lay, 7, n_reps, threads, false, memory, nc, &info, &out->res,
                                 &out->series_text, &text_len, err)
                : sim_run_replications(&site_app, model, &out->lay, 7, n_reps, threads, false, &out->res, err);
    if (rc == 0 && want_resolved) {
        size_t len;
        char *m = sim_cfg_manifest(cfg, &len, err);
        const char *p = m ? strstr(m, " bytes\n") : NULL;
        const char *e = p ? strstr(p, "\nfiles read\n") : NULL;
        if (e) {
            out->resolved = strndup(p + 7, (size_t)(e - p - 7));
        }
        free(m);
    }
    site_app.free(model);
    sim_cfg_free(cfg);
    return rc;
}

static int run_text(const char *text, const char *const *sets, size_t n_reps, unsigned threads, bool want_resolved,
                    run *out, sim_err *err)
{
    return run_text_nc(text, sets, n_reps, threads, want_resolved, NULL, out, err);
}

static void run_free(run *r)
{
    sim_results_free(&r->res);
    free(r->resolved);
    free(r->series_text);
}

static const size_t MILESTONES[] = {M_TTFT_DAYS, M_T50_DAYS, M_T90_DAYS, M_T95_DAYS, M_T99_DAYS, M_TFULL_DAYS};
#define N_MS (sizeof MILESTONES / sizeof *MILESTONES)

static double day_or_inf(double v) { return isfinite(v) ? v : INFINITY; }

typedef struct stats {
    size_t scenarios, loaded, refused, retried, findings, by_prop[7];
    size_t checks[7];
    char refusals[16][96];
    size_t n_refusal_kinds, refusal_count[16];
} stats;

static const char *const PROPS[7] = {"runs", "balance", "monotone", "horizon", "resolved", "threads", "netcdf"};

static bool quiet, show; /* show: print each scenario checked (as run, after any shrinking) */

static void finding(stats *st, int prop, uint64_t seed, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void finding(stats *st, int prop, uint64_t seed, const char *text, const char *fmt, ...)
{
    st->findings++;
    st->by_prop[prop]++;
    va_list ap;
    va_start(ap, fmt);
    printf("FINDING %s, scenario seed %llu: ", PROPS[prop], (unsigned long long)seed);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!quiet && st->by_prop[prop] <= 3)
        printf("--- the scenario:\n%s---\n", text);
    fflush(stdout); /* seen while a long run goes on */
}

static void note_refusal(stats *st, const char *msg)
{
    /* the kind: the words after the last "KEY: " of "FILE:LINE: KEY: what" */
    const char *w = strstr(msg, ".cfg:");
    w = w ? strchr(w + 5, ' ') : msg;
    const char *c = w ? strstr(w, ": ") : NULL;
    char kind[96];
    const char *from = getenv("PROPTEST_FULL") ? msg : c ? c + 2 : msg;
    size_t n = 0;
    for (const char *k = from; *k && n < 80; k++) { /* its numbers as '#': one kind, however many counts */
        bool digit = (*k >= '0' && *k <= '9') || (*k == '.' && k[1] >= '0' && k[1] <= '9');
        if (!digit || getenv("PROPTEST_FULL"))
            kind[n++] = *k;
        else if (n == 0 || kind[n - 1] != '#')
            kind[n++] = '#';
    }
    kind[n] = '\0';
    for (size_t i = 0; i < st->n_refusal_kinds; i++)
        if (!strcmp(st->refusals[i], kind)) {
            st->refusal_count[i]++;
            return;
        }
    if (st->n_refusal_kinds < 16) {
        snprintf(st->refusals[st->n_refusal_kinds], 96, "%s", kind);
        st->refusal_count[st->n_refusal_kinds++] = 1;
    }
}

/* A file's bytes (malloc'd), NULL if it cannot be read. */
static char *file_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    size_t cap = 0, n = 0, k;
    do {
        if (n + 65536 > cap) {
            char *nb = realloc(b, cap = 2 * cap + 65536);
            if (!nb)
                break;
            b = nb;
        }
        k = fread(b + n, 1, cap - n, f);
        n += k;
    } while (k > 0);
    fclose(f);
    *len = n;
    return b;
}

/* series.nc in batches of one replication against the file from memory, and the read-back series.csv against
 * the one from memory. */
static char nc_dir[64]; /* made at the first check, removed at the end */

static void check_netcdf(uint64_t seed, const char *text, size_t reps, const run *base, stats *st)
{
    char *dir = nc_dir;
    if (!dir[0]) {
        snprintf(nc_dir, sizeof nc_dir, "/tmp/proptest-nc-XXXXXX");
        if (!mkdtemp(dir)) {
            dir[0] = '\0';
            return;
        }
    }
    char kept[128], batched[128];
    snprintf(kept, sizeof kept, "%s/kept.nc", dir);
    snprintf(batched, sizeof batched, "%s/batched.nc", dir);
    unlink(kept);
    unlink(batched);
    st->checks[6]++;
    sim_err err;
    sim_run_info info = {"generated", "generated.cfg", 7, NULL};
    run v;
    if (sim_write_netcdf(kept, &info, &base->lay, &base->res, &err)) {
        finding(st, 6, seed, text, "series.nc from memory: %s", err.msg);
        return;
    }
    if (run_text_nc(text, NULL, reps, 1, false, batched, &v, &err)) {
        finding(st, 6, seed, text, "series.nc in batches: %s", err.msg);
        run_free(&v);
        return;
    }
    char *mem = NULL;
    size_t mem_len = 0, a_len = 0, b_len = 0;
    FILE *f = open_memstream(&mem, &mem_len);
    if (f) {
        sim_series_header(f, &base->lay, base->res.n_reps > 1);
        sim_series_rows(f, &base->lay, base->res.series, base->res.n_reps, 0, base->lay.n_steps, &err);
        fclose(f);
    }
    char *a = file_bytes(kept, &a_len), *b = file_bytes(batched, &b_len);
    if (!a || !b || a_len != b_len || memcmp(a, b, a_len))
        finding(st, 6, seed, text, "series.nc in batches (%zu bytes) is not the file from memory (%zu bytes)", b_len,
                a_len);
    else if (!mem || !v.series_text || strcmp(mem, v.series_text))
        finding(st, 6, seed, text, "series.csv read back from series.nc is not the one from memory");
    else if (memcmp(v.res.metrics, base->res.metrics, base->res.n_reps * base->lay.n_metrics * sizeof(double)))
        finding(st, 6, seed, text, "a run in batches gives other metrics");
    free(a);
    free(b);
    free(mem);
    run_free(&v);
    unlink(kept);
    unlink(batched);
}

static void check_scenario(uint64_t seed, size_t reps, stats *st)
{
    st->scenarios++;
    scen_facts f;
    sim_err err;
    run base;
    char *text = NULL;
    double scale = 1.0;
    int rc = -1;
    for (int attempt = 0; attempt < 6; attempt++) {
        free(text);
        text = generate(seed, scale, &f);
        rc = run_text(text, NULL, reps, 1, true, &base, &err);
        if (rc == 0 || !strstr(err.msg, "do not fit"))
            break;
        run_free(&base);
        scale /= 3; /* the orders, smaller, until they fit (the generator's room is an estimate) */
        st->retried++;
    }
    st->checks[0]++;
    if (rc) {
        if (strstr(err.msg, "internal error") || strstr(err.msg, "before now"))
            finding(st, 0, seed, text, "%s", err.msg);
        else {
            st->refused++;
            note_refusal(st, err.msg);
        }
        free(text);
        run_free(&base);
        return;
    }
    st->loaded++;
    if (show)
        printf("--- scenario %llu\n%s--- end\n", (unsigned long long)seed, text);
    const sim_layout *lay = &base.lay;
    size_t nm = lay->n_metrics;
    /* balance */
    for (size_t r = 0; r < base.res.n_reps; r++) {
        const double *m = base.res.metrics + r * nm;
        double in = m[M_GRID_MWH] + m[M_ONSITE_MWH] + m[M_DIESEL_MWH] + m[M_SOLAR_MWH] + m[M_WIND_MWH] + m[M_FUEL_CELL_MWH];
        double out = m[M_FACILITY_MWH] + (f.battery ? m[M_BATT_LOSS_MWH] : 0);
        /* rounding over every hour's books: relative to all the energy that moved, the battery's too */
        double tol = 1e-6 * (fabs(in) + fabs(out) + 2 * m[M_BATT_DISCHARGE_MWH]) + 1e-6, held = in - out;
        st->checks[1]++;
        if (!(held >= -tol && held <= (f.battery ? f.batt_usable_mwh : 0) + tol))
            finding(st, 1, seed, text, "replication %zu: sources %.9g MWh, facility + battery losses %.9g MWh: the "
                    "battery would hold %.9g MWh (usable %.9g)", r, in, out, held, f.batt_usable_mwh);
        double parts = m[M_MONEY_CAPEX_RACKS] + m[M_MONEY_CAPEX_FACILITY] + m[M_MONEY_CAPEX_ENERGY];
        if (isfinite(m[M_MONEY_CAPEX]) && fabs(m[M_MONEY_CAPEX] - parts) > 1e-6 * fabs(parts) + 1e-6)
            finding(st, 1, seed, text, "replication %zu: capex %.9g, its parts %.9g", r, m[M_MONEY_CAPEX], parts);
        /* the lifetime's yearly table: its rows' discounted net and capital add up to the lifetime's figures */
        size_t nt = sim_table_cells(lay), nc = LIFE_N; /* years.csv, when there is money, is the first table */
        const sim_table *yt = lay->n_tables ? &lay->tables[0] : NULL;
        if (nt && yt && !strcmp(yt->file, "years.csv") && isfinite(m[M_LIFE_NPV])) {
            const double *t = base.res.table + r * nt;
            double pv = 0, cap = 0;
            for (size_t y = 0; y < yt->n_rows; y++) {
                pv += t[y * nc + LIFE_NET_PV];
                cap += t[y * nc + LIFE_CAPEX];
            }
            double last = t[(yt->n_rows - 1) * nc + LIFE_CUM_PV], size = fabs(m[M_LIFE_CAPEX]) + 1;
            if (fabs(pv - m[M_LIFE_NPV]) > 1e-9 * size || fabs(last - m[M_LIFE_NPV]) > 1e-9 * size ||
                fabs(cap - m[M_LIFE_CAPEX]) > 1e-9 * size || m[M_LIFE_CAPEX] < m[M_MONEY_CAPEX] - 1e-6 * size)
                finding(st, 1, seed, text, "replication %zu: lifetime NPV %.9g, its years' %.9g, running sum %.9g; "
                        "capital %.9g, its years' %.9g, the horizon's %.9g", r, m[M_LIFE_NPV], pv, last,
                        m[M_LIFE_CAPEX], cap, m[M_MONEY_CAPEX]);
        }
        parts = m[M_MONEY_CARRY_RACKS] + m[M_MONEY_CARRY_FACILITY];
        if (isfinite(m[M_MONEY_CARRY]) && fabs(m[M_MONEY_CARRY] - parts) > 1e-6 * fabs(parts) + 1e-6)
            finding(st, 1, seed, text, "replication %zu: cost of delay %.9g, its parts %.9g", r, m[M_MONEY_CARRY], parts);
        parts = m[M_GRID_COST] + m[M_ONSITE_COST] + m[M_PPA_COST] + m[M_TARIFF_COST];
        if (fabs(m[M_ENERGY_COST] - parts) > 1e-6 * fabs(parts) + 1e-6)
            finding(st, 1, seed, text, "replication %zu: energy cost %.9g, grid + on-site + PPA %.9g", r,
                    m[M_ENERGY_COST], parts);
    }
    /* monotone: each change alone, milestones in the same replication never later. The crews are a pool
     * that does not preempt, with racks released as their halls open: such a pool is not monotone in its
     * size or in the release dates (Graham's anomalies). Racks brought earlier (a shorter lead, a faster
     * line, a hall ready sooner) may take the crews the first-token racks need when their hall opens (seen:
     * 25 minutes later), and one more crew may be busy with a fresh rack when they are released (seen:
     * first token 2 days later with twice the crews, scenario 2009264). So the changes are held with a
     * crew for every rack, where nothing but the change differs, and the crews themselves are not varied. */
    if (!f.failures) {
        char phase[128], grid[64], ample[64];
        snprintf(phase, sizeof phase, "timeline.phases.[%d].duration_days*=0.5", (int)(seed % (uint64_t)f.n_phases));
        snprintf(grid, sizeof grid, "site.grid.capacity_mw*=1.5");
        snprintf(ample, sizeof ample, "racks.crews=%d", f.n_racks > 0 ? f.n_racks : 1);
        const char *changes[] = {"racks.lead_days*=0.5", "racks.per_month*=2", phase, f.grid ? grid : NULL};
        run wide; /* the scenario with a crew for every rack */
        const char *wide_sets[] = {ample, NULL};
        bool have_wide = run_text(text, wide_sets, reps, 1, false, &wide, &err) == 0;
        if (!have_wide && strstr(err.msg, "internal error"))
            finding(st, 0, seed, text, "with %s: %s", ample, err.msg);
        for (size_t c = 0; c < sizeof changes / sizeof *changes; c++) {
            if (!changes[c] || !have_wide)
                continue;
            const char *sets[] = {ample, changes[c], NULL};
            const run *from = &wide;
            run v;
            st->checks[2]++;
            if (run_text(text, sets, reps, 1, false, &v, &err)) {
                if (strstr(err.msg, "internal error"))
                    finding(st, 0, seed, text, "with %s: %s", changes[c], err.msg);
                run_free(&v);
                continue;
            }
            for (size_t r = 0; r < from->res.n_reps; r++)
                for (size_t k = 0; k < N_MS; k++) {
                    double a = day_or_inf(from->res.metrics[r * nm + MILESTONES[k]]);
                    double b = day_or_inf(v.res.metrics[r * nm + MILESTONES[k]]);
                    if (b > a + 1e-9)
                        finding(st, 2, seed, text, "%s, %s: %s of replication %zu went from %.9g to %.9g", ample,
                                changes[c],
                                lay->metrics[MILESTONES[k]].name, r, a, b);
                }
            run_free(&v);
        }
        if (have_wide)
            run_free(&wide);
    }
    /* horizon: 200 days more */
    {
        double h = (double)lay->n_steps * lay->step_days;
        char set[64];
        snprintf(set, sizeof set, "sim.horizon_days=%.1f", h + 200);
        const char *sets[] = {set, NULL};
        run v;
        st->checks[3]++;
        if (run_text(text, sets, reps, 1, false, &v, &err) == 0) {
            size_t ns = lay->n_series;
            for (size_t r = 0; r < base.res.n_reps; r++) {
                for (size_t k = 0; k < N_MS; k++) {
                    double a = base.res.metrics[r * nm + MILESTONES[k]], b = v.res.metrics[r * nm + MILESTONES[k]];
                    if (isfinite(a) && a < h && a != b)
                        finding(st, 3, seed, text, "%s of replication %zu: %.17g at horizon %g, %.17g at %g",
                                lay->metrics[MILESTONES[k]].name, r, a, h, b, h + 200);
                }
                for (size_t s = 0; s < lay->n_steps; s++)
                    for (size_t c = 0; c < ns; c++) {
                        double a = base.res.series[(r * lay->n_steps + s) * ns + c];
                        double b = v.res.series[(r * v.lay.n_steps + s) * ns + c];
                        if (!(a == b || (isnan(a) && isnan(b)))) {
                            finding(st, 3, seed, text, "series %s, replication %zu, step %zu: %.17g, %.17g with 200 "
                                    "days more", lay->series_names[c], r, s, a, b);
                            s = lay->n_steps;
                            break;
                        }
                    }
            }
        } else
            finding(st, 3, seed, text, "200 days more is refused: %s", err.msg);
        run_free(&v);
    }
    /* the resolved scenario reruns to the same numbers */
    if (base.resolved) {
        run v;
        st->checks[4]++;
        if (run_text(base.resolved, NULL, reps, 1, false, &v, &err) == 0) {
            if (memcmp(v.res.metrics, base.res.metrics, base.res.n_reps * nm * sizeof(double)))
                finding(st, 4, seed, text, "the resolved scenario gives other numbers");
        } else
            finding(st, 4, seed, text, "the resolved scenario is refused: %s", err.msg);
        run_free(&v);
    }
    /* one thread and two */
    {
        run v;
        st->checks[5]++;
        if (run_text(text, NULL, reps, 2, false, &v, &err) == 0) {
            if (memcmp(v.res.metrics, base.res.metrics, base.res.n_reps * nm * sizeof(double)) ||
                memcmp(v.res.series, base.res.series, base.res.n_reps * lay->n_steps * lay->n_series * sizeof(double)))
                finding(st, 5, seed, text, "two threads give other numbers than one");
        }
        run_free(&v);
    }
    check_netcdf(seed, text, reps, &base, st);
    run_free(&base);
    free(text);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    size_t count = 1000, reps = 2, from = 0;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--from") && i + 1 < argc)
            from = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--quiet"))
            quiet = true;
        else if (!strcmp(argv[i], "--show"))
            show = true;
        else if (!strcmp(argv[i], "--no-extras"))
            extras = false;
        else if (!strcmp(argv[i], "--no-calendar"))
            calendar = false;
        else {
            fprintf(stderr, "usage: proptest [--count N] [--seed S] [--from I] [--reps R] [--quiet] [--show] [--no-extras] "
                            "[--no-calendar]\n");
            return 2;
        }
    }
    stats st;
    memset(&st, 0, sizeof st);
    for (size_t i = from; i < from + count; i++) {
        check_scenario(seed * 1000003 + i, reps, &st);
        if (!quiet && (i + 1) % 1000 == 0)
            fprintf(stderr, "proptest: %zu scenarios, %zu findings\n", i + 1, st.findings);
    }
    printf("proptest: %zu scenarios (seed %llu, %zu replications each): %zu ran, %zu refused, %zu findings "
           "(runs %zu, balance %zu, monotone %zu, horizon %zu, resolved %zu, threads %zu, netcdf %zu); checks: runs "
           "%zu, balance %zu, monotone %zu, horizon %zu, resolved %zu, threads %zu, netcdf %zu; orders shrunk to fit "
           "%zu times\n",
           st.scenarios, (unsigned long long)seed, reps, st.loaded, st.refused, st.findings, st.by_prop[0],
           st.by_prop[1], st.by_prop[2], st.by_prop[3], st.by_prop[4], st.by_prop[5], st.by_prop[6], st.checks[0],
           st.checks[1], st.checks[2], st.checks[3], st.checks[4], st.checks[5], st.checks[6], st.retried);
    for (size_t i = 0; i < st.n_refusal_kinds; i++)
        printf("  refused %zu x: %s\n", st.refusal_count[i], st.refusals[i]);
    if (nc_dir[0])
        rmdir(nc_dir);
    return st.findings ? 1 : 0;
}
