/* The grid's large-load tariff (models/energy/tariff.h) by hand: the minimum
 * on contracted capacity, its term and ramp, capacity and demand charges by
 * calendar month, and a contract that starts before the load arrives. */
#include <math.h>
#include <string.h>

#include "models/energy/tariff.h"
#include "models/site/site.h"
#include "sim/core/calendar.h"
#include "test.h"

/* Hours 0 .. n - 1 at grid_mw(h): the sum of the hours' charges, or NAN when the bill kept differs from it. */
static double bill(const tariff_config *c, double t0, size_t n, double (*grid_mw)(size_t))
{
    tariff_state st;
    tariff_start(&st, c, t0);
    double sum = 0;
    for (size_t h = 0; h < n; h++)
        sum += tariff_hour(&st, c, h, 1.0, grid_mw(h));
    return fabs(st.charged - sum) <= 1e-9 * fabs(sum) + 1e-9 ? sum : NAN;
}

static double load_from_day_40(size_t h) { return h >= 40 * 24 ? 80.0 : 0.0; }
static double steady_70(size_t h) { (void)h; return 70.0; }

TEST(tariff_minimum_capacity_and_demand_by_hand)
{
    /* 100 MW contracted from day 10, a minimum of 60 % for one year, capacity at 300 a MW-day: days 10-40 bill
     * the minimum, 60 MW, with nothing drawn; from day 40 the 80 MW drawn. 400 days in all. */
    tariff_config c = {.on = true, .contract_mw = 100, .minimum_share = 0.6, .minimum_years = 1,
                       .capacity_per_mw_day = 300, .start_date_days = NAN};
    double got = bill(&c, 10, 400 * 24, load_from_day_40);
    CHECK_NEAR(got, 300.0 * (30 * 60 + 360 * 80), 1e-6, "capacity: 30 days at the minimum, 360 at the draw");
    /* after the term the minimum no longer binds: 70 MW drawn against a minimum of 60 % of 100 x 2 = 120 MW
     * contracted, which binds for one year only */
    c.contract_mw = 200;
    got = bill(&c, 0, 2 * 365 * 24 + 12, steady_70);
    CHECK_NEAR(got, 300.0 * (365.25 * 120 + (730.5 - 365.25) * 70), 1e-6, "the minimum's term, then the draw");
    /* a 4-year ramp: the minimum grows from 0 as 0.6 x 200 x years / 4, above 70 MW after 2.33 years */
    c.minimum_years = 12;
    c.ramp_years = 4;
    double want = 0;
    for (size_t h = 0; h < 5 * 8766; h++) {
        double y = (double)h / 24 / 365.25;
        want += 300.0 / 24 * fmax(70.0, 0.6 * 200 * fmin(1.0, y / 4));
    }
    CHECK_NEAR(bill(&c, 0, 5 * 8766, steady_70), want, 1e-9 * want, "a ramp of 4 years");
    /* demand charges: 10 a kW-month on the month's peak; from 2026-02-01, February's 672 hours and March's
     * 744 each bill a whole month, 10 x 1,000 x 70 */
    int64_t start;
    CHECK(sim_date_parse("2026-02-01", &start) == 0, "date");
    tariff_config d = {.on = true, .contract_mw = 100, .demand_per_kw_month = 10, .start_date_days = (double)start};
    CHECK_NEAR(bill(&d, 0, 672 + 744, steady_70), 2 * 10 * 1000 * 70.0, 1e-6, "two calendar months of demand");
    CHECK_NEAR(sim_month_start_day((double)start, 2), 28 + 31, 0, "2026-04-01");
}

TEST(tariff_contract_before_the_load_pays_while_it_waits)
{
    /* The small site (100 MW grid energized on day 300, under 2 MW drawn) with capacity at 100 a MW-day and
     * a minimum of half the 100 MW for 10 years: from the grid's energization 100 days x 50 MW, from the end
     * of the permits (day 100) 300 days: a contract signed 200 days before the load costs 1 M more. */
    const char *at_grid[] = {"site.grid.tariff.capacity_price_per_mw_day=100", "site.grid.tariff.minimum_share=0.5",
                             "site.grid.tariff.minimum_years=10", NULL};
    const char *early[] = {"site.grid.tariff.capacity_price_per_mw_day=100", "site.grid.tariff.minimum_share=0.5",
                           "site.grid.tariff.minimum_years=10", "site.grid.tariff.contract_after=\"permits\"", NULL};
    site_run a, b;
    sim_err err;
    CHECK(site_run_small(at_grid, &a, &err) == 0, "%s", err.msg);
    site_run_defer(&a);
    CHECK(site_run_small(early, &b, &err) == 0, "%s", err.msg);
    site_run_defer(&b);
    CHECK(a.mt[M_PEAK_GRID_MW] < 50, "the small site draws %g MW at its peak", a.mt[M_PEAK_GRID_MW]);
    CHECK_NEAR(a.mt[M_TARIFF_COST], 100.0 * 50 * 100, 1e-6, "from the grid (day 300)");
    CHECK_NEAR(b.mt[M_TARIFF_COST], 100.0 * 50 * 300, 1e-6, "from the permits (day 100)");
    CHECK_NEAR(b.mt[M_ENERGY_COST] - a.mt[M_ENERGY_COST], 100.0 * 50 * 200, 1e-6, "in the energy cost");
    /* a minimum with no term is refused by key */
    char out[4096];
    int rc = gigasim_cmd(out, sizeof out, "check tests/data/small.cfg --set site.grid.tariff.minimum_share=0.5");
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "site.grid.tariff.minimum_share 0.5 needs minimum_years");
}
