/* Money (models/finance/money.h) by hand on the small site
 * (tests/data/small_base.inc): racks delivered on days 150..159, accepted on
 * day 303 (the first five) and 305..313 (two days apart), the hall ready on
 * day 290, the grid on day 300; a rack costs 1 M, the hall 10 MW x 2 M, and
 * no spares are bought (but in money_spares_cost_their_share_of_a_rack). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
#include "sim/study/output.h"
#include "test.h"

static const double DELIVER[10] = {150, 151, 152, 153, 154, 155, 156, 157, 158, 159};
static const double ACCEPT[10] = {303, 303, 303, 303, 303, 305, 307, 309, 311, 313};

static int run_small_money(const char *const *extra, site_run *r, sim_err *err)
{
    const char *sets[16] = {"rack_types.[0].price_usd=1e6", "money.facility_capex_per_mw_usd=2e6",
                            "money.discount_rate=0.1", "site.grid.price_per_mwh=0", "money.om_per_mw_year_usd=0"};
    size_t n = 5;
    bool spares = false;
    for (const char *const *e = extra; e && *e; e++)
        spares |= strncmp(*e, "racks.spare_fraction=", 21) == 0;
    if (!spares)
        sets[n++] = "racks.spare_fraction=0";
    for (; extra && *extra && n < 15; extra++)
        sets[n++] = *extra;
    sets[n] = NULL;
    return site_run_small(sets, r, err);
}

TEST(money_capex_and_cost_of_delay_by_hand)
{
    const char *no_revenue[] = {"money.revenue_per_gpu_hour_usd=0", NULL};
    site_run r;
    sim_err err;
    CHECK(run_small_money(no_revenue, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double rho = log(1.1), carry = 0, pv = 0;
    for (int k = 0; k < 10; k++) {
        carry += 1e6 * expm1(rho * (ACCEPT[k] - DELIVER[k]) / 365.25);
        pv += 1e6 * exp(-rho * DELIVER[k] / 365.25);
    }
    double hall_carry = 2e7 * expm1(rho * (303 - 290) / 365.25);
    pv += 2e7 * exp(-rho * 290 / 365.25);
    CHECK_NEAR(r.mt[M_MONEY_CAPEX], 10 * 1e6 + 2e7, 1e-6, "capex: 10 racks and the hall");
    CHECK_NEAR(r.mt[M_MONEY_CARRY_RACKS], carry, 1e-6, "racks' carrying cost: P (exp(rho (e - d)) - 1)");
    CHECK_NEAR(r.mt[M_MONEY_CARRY_FACILITY], hall_carry, 1e-6, "the hall's, from ready (290) to its first rack serving (303)");
    CHECK_NEAR(r.mt[M_MONEY_NPV], -pv, 1e-6 * pv, "NPV with no revenue and free energy: minus the discounted capital");
    CHECK(isnan(r.mt[M_MONEY_PAYBACK]), "a payback day without revenue: %g", r.mt[M_MONEY_PAYBACK]);
}

TEST(money_spares_cost_their_share_of_a_rack)
{
    /* 5 % spares: each rack's price carries 5 % more, 10 x 1.05 M + the hall's 20 M. */
    const char *sets[] = {"money.revenue_per_gpu_hour_usd=0", "racks.spare_fraction=0.05", NULL};
    site_run r;
    sim_err err;
    CHECK(run_small_money(sets, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    CHECK_NEAR(r.mt[M_MONEY_CAPEX], 10 * 1.05e6 + 2e7, 1e-6, "capex: 10 racks with their spares and the hall");
}

TEST(money_npv_and_payback_of_a_hand_cash_flow)
{
    /* Revenue 200 a GPU-hour on 8 GPUs a rack from acceptance to the horizon (day 400), nothing else earned or
     * spent but the capital: the discounted running cash, counted day by day here, turns positive on the
     * payback day and ends at the NPV. (No failures at the small site: every rack serves to the end.) */
    const char *sets[] = {"money.revenue_per_gpu_hour_usd=200", NULL};
    site_run r;
    sim_err err;
    CHECK(run_small_money(sets, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double rho = log(1.1), cash[401] = {0}, revenue = 0;
    for (int k = 0; k < 10; k++) {
        cash[(int)DELIVER[k]] -= 1e6 * exp(-rho * DELIVER[k] / 365.25);
        for (int h = (int)(ACCEPT[k] * 24); h < 400 * 24; h++) { /* whole hours: acceptances fall on the hour */
            double v = 8 * 200.0 * exp(-rho * (h / 24.0) / 365.25);
            cash[h / 24] += v;
            revenue += v;
        }
    }
    cash[290] -= 2e7 * exp(-rho * 290 / 365.25);
    double cum = 0, payback = NAN;
    for (int d = 0; d < 400; d++) {
        double before = cum;
        cum += cash[d];
        if (before < 0 && cum >= 0)
            payback = d + 1;
    }
    CHECK(cum > 0 && !isnan(payback), "the hand cash flow does not pay back (NPV %g)", cum);
    CHECK_NEAR(r.mt[M_MONEY_NPV], cum, 1e-6 * fabs(cum) + 1e-3, "NPV");
    CHECK_NEAR(r.mt[M_MONEY_PAYBACK], payback, 0, "payback day");
    CHECK_NEAR(r.mt[M_MONEY_REVENUE_PV], revenue, 1e-9 * revenue, "discounted revenue");
}

TEST(money_converts_currency_both_ways)
{
    /* The same site in EUR at 1 EUR = 1.25 USD: every USD figure divided by 1.25; a comparison with the USD
     * site converts it back at the scenario's rate. */
    site_run usd, eur;
    sim_err err;
    const char *eur_sets[] = {"currency=\"EUR\"", "exchange.usd_per_unit=1.25", NULL};
    CHECK(run_small_money(NULL, &usd, &err) == 0, "%s", err.msg);
    site_run_defer(&usd);
    CHECK(run_small_money(eur_sets, &eur, &err) == 0, "%s", err.msg);
    site_run_defer(&eur);
    CHECK_NEAR(eur.mt[M_MONEY_CAPEX], usd.mt[M_MONEY_CAPEX] / 1.25, 1e-6, "capex in EUR");
    CHECK_NEAR(eur.mt[M_MONEY_CARRY], usd.mt[M_MONEY_CARRY] / 1.25, 1e-6, "cost of delay in EUR");
    CHECK_NEAR(eur.mt[M_MONEY_NPV] * 1.25, usd.mt[M_MONEY_NPV], 1e-6 * fabs(usd.mt[M_MONEY_NPV]), "NPV back in USD");
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out, "compare tests/data/small.cfg tests/data/small.cfg -n 2 -o %s/money-cmp "
                         "--set rack_types.[0].price_usd=1e6 --quiet", test_tmpdir());
    CHECK(rc == 0, "compare: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "money.capex (USD)");
}

TEST(money_revenue_by_the_token_equals_its_gpu_hour_price)
{
    /* 1.25 USD per million tokens at 2 million tokens per GPU-hour is 2.50 USD per GPU-hour: the same revenue */
    char out[8192], a[700], b[700];
    const char *t = test_tmpdir();
    const char *base = "run scenarios/eu-vs-us/us.cfg -n 1 --set sim.horizon_days=1500 --set serving.enabled=false -q";
    int rc = gigasim_cmd(out, sizeof out, "%s --set money.revenue_per_gpu_hour_usd=2.5 --set money.tokens_per_gpu_hour=2e6 "
                         "-o %s/rev-hour", base, t);
    CHECK(rc == 0, "%s", out);
    rc = gigasim_cmd(out, sizeof out, "%s --set money.revenue_per_mtoken_usd=1.25 --set money.tokens_per_gpu_hour=2e6 "
                     "-o %s/rev-token", base, t);
    CHECK(rc == 0, "%s", out);
    snprintf(a, sizeof a, "%s/rev-hour/summary.json", t);
    snprintf(b, sizeof b, "%s/rev-token/summary.json", t);
    struct cJSON *ja = test_read_json(a), *jb = test_read_json(b);
    CHECK(ja && jb, "summaries");
    char *ta = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(ja, "money"));
    char *tb = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(jb, "money"));
    int same = ta && tb && !strcmp(ta, tb) && strstr(ta, "\"revenue_pv\"");
    free(ta);
    free(tb);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    CHECK(same, "money differs between 2.50 per GPU-hour and 1.25 per million tokens at 2e6 tokens per GPU-hour");
    /* without tokens per GPU-hour (no serving model) it is refused by key */
    rc = gigasim_cmd(out, sizeof out, "%s --set money.revenue_per_mtoken_usd=1.25 -o %s/rev-bad", base, t);
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "money.revenue_per_mtoken_usd needs tokens per GPU-hour");
}

TEST(money_terminal_book_value_by_hand)
{
    /* With money.terminal_value = "book", the NPV adds each asset's straight-line book value left at the
     * horizon (day 400), discounted from it: racks over 5 years from delivery, the hall over 20 from ready. */
    const char *none[] = {"money.revenue_per_gpu_hour_usd=0", NULL};
    const char *book[] = {"money.revenue_per_gpu_hour_usd=0", "money.terminal_value=\"book\"", NULL};
    site_run a, b;
    sim_err err;
    CHECK(run_small_money(none, &a, &err) == 0, "%s", err.msg);
    site_run_defer(&a);
    CHECK(run_small_money(book, &b, &err) == 0, "%s", err.msg);
    site_run_defer(&b);
    double rho = log(1.1), T = 400, left = 0;
    for (int k = 0; k < 10; k++)
        left += 1e6 * (1 - (T - DELIVER[k]) / (5 * 365.25));
    left += 2e7 * (1 - (T - 290) / (20 * 365.25));
    double pv = left * exp(-rho * T / 365.25);
    CHECK(a.mt[M_MONEY_TERMINAL] == 0, "no terminal value by default: %g", a.mt[M_MONEY_TERMINAL]);
    CHECK_NEAR(b.mt[M_MONEY_TERMINAL], pv, 1e-6 * pv, "the book value left at day 400, discounted");
    CHECK_NEAR(b.mt[M_MONEY_NPV] - a.mt[M_MONEY_NPV], pv, 1e-6 * pv, "the NPV grows by it");
    CHECK(isnan(a.mt[M_MONEY_PAYBACK]) && isnan(b.mt[M_MONEY_PAYBACK]), "the payback day stays on the horizon's cash");
}

TEST(money_gpu_hours_start_when_a_rack_starts_serving)
{
    /* A burn-in of 3.3 days puts every acceptance 0.3 day into an hour: racks 0-4 at 303.3, then 305.3 .. 313.3.
     * At 1 USD a GPU-hour, undiscounted, the revenue is the GPU-hours: 8 GPUs x 24 x sum(400 - accepted), each
     * rack counted from its acceptance (they were counted from the next hour's start). */
    const char *extra[] = {"racks.burnin_days=3.3", "money.discount_rate=0", "money.revenue_per_gpu_hour_usd=1", NULL};
    site_run r;
    sim_err err;
    CHECK(run_small_money(extra, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double want = 0;
    for (int k = 0; k < 10; k++)
        want += 8.0 * 24.0 * (400.0 - (ACCEPT[k] + 0.3));
    CHECK_NEAR(r.mt[M_TFULL_DAYS], 313.3, 1e-9, "full capacity (day)");
    CHECK_NEAR(r.mt[M_MONEY_REVENUE_PV], want, 1e-6 * want, "revenue = GPU-hours (USD)");
}

/* ---------------------------------------------------------------- lifetime */

#include "models/finance/lifetime.h"
#include "sim/core/calendar.h"

/* sum over days d = a .. b of exp(-k (d + 1/2)): a geometric series. */
static double days_pv(double k, double a, double b)
{
    return k == 0 ? b - a + 1 : exp(-k * (a + 0.5)) * -expm1(-k * (b - a + 1)) / -expm1(-k);
}

TEST(lifetime_irr_of_a_three_year_case_by_hand)
{
    /* -100 on day 0, +60 on days 365 and 730: with x = (1 + r)^(-365/365.25), 60 x^2 + 60 x - 100 = 0. */
    double cf[731] = {0};
    cf[0] = -100;
    cf[365] = 60;
    cf[730] = 60;
    double x = (-60 + sqrt(60.0 * 60 + 4 * 60 * 100)) / 120, want = pow(x, -365.25 / 365) - 1;
    CHECK_NEAR(life_irr(cf, 731), want, 1e-9, "IRR (0.1307 a year)");
    /* all negative, all positive: no rate makes it 0 */
    cf[365] = cf[730] = -1;
    CHECK(isnan(life_irr(cf, 731)), "an IRR of cash that never comes back: %g", life_irr(cf, 731));
}

/* A site's books to day `end` (E), capital C on day 0 bought with a life of L years, 30 a day earned over the
 * 5 days simulated and in the steady state after, 1 GPU-hour a day. */
static life_result hand_books(double rate, double end, double C, double life_years, double start_date, double *table,
                              size_t rows, double *salvage)
{
    static double capex[2000], om[2000], cf[2000], rev[2000], en[2000], g[2000];
    memset(capex, 0, sizeof capex);
    memset(om, 0, sizeof om);
    for (int d = 0; d < 2000; d++) {
        rev[d] = 30;
        en[d] = 0;
        g[d] = 1;
    }
    life_books b = {.rho = log1p(rate), .end_day = end, .n_days = (size_t)ceil(end), .capex = capex, .om_step = om,
                    .cf = cf, .sim_days = 5, .revenue = rev, .energy = en, .gpu_hours = g, .mwh = en, .co2 = en,
                    .by = {en, en, en, en, en, en, en},
                    .ss_revenue = 30,
                    .ss_energy = 0, .ss_gpu_hours = 1, .start_date_days = start_date, .n_rows = rows};
    life_buy(&b, C, 0, life_years);
    life_result out;
    life_close(&b, &out, table);
    *salvage = b.salvage;
    return out;
}

TEST(lifetime_npv_payback_and_cost_by_hand)
{
    double salvage;
    /* undiscounted, 10 days: -100 + 30 x 10; in the black from the 4th day's close; cost 100 over 10 GPU-hours */
    life_result r = hand_books(0, 10, 100, 50, NAN, NULL, 0, &salvage);
    CHECK_NEAR(r.npv, -100 + 300 + salvage, 1e-9, "NPV at rate 0");
    CHECK_NEAR(salvage, 100 * (1 - 10 / (50 * 365.25)), 1e-9, "salvage: the straight-line book value at day 10");
    CHECK_NEAR(r.payback_day, 4, 0, "payback day");
    CHECK_NEAR(r.cost_per_gpu_hour, (100 - salvage) / 10, 1e-9, "cost per GPU-hour");
    /* 8 % a year, 1,000.5 days, a life of 1 year: bought again on day 365.25 and 730.5 (floor: days 365 and 730),
     * the last one's book value left at 1,000.5; each day at its middle, the last half day counting half */
    double k = log(1.08) / 365.25;
    r = hand_books(0.08, 1000.5, 100, 1, NAN, NULL, 0, &salvage);
    double sal = 100 * (1 - (1000.5 - 730.5) / 365.25);
    double want = 30 * days_pv(k, 0, 999) + 0.5 * 30 * exp(-k * 1000.5) -
                  100 * (exp(-k * 0.5) + exp(-k * 365.5) + exp(-k * 730.5)) + sal * exp(-k * 1000.5);
    CHECK_NEAR(salvage, sal, 1e-9, "salvage of the third rack");
    CHECK_NEAR(r.npv, want, 1e-9 * fabs(want), "NPV, a geometric series and three purchases");
    CHECK_NEAR(r.capex, 300, 1e-12, "capital over the life: bought three times");
    /* capital of 9,000 a year against 30 a day (10,957.5 a year): at its own IRR the NPV is 0 */
    double irr = hand_books(0.08, 1000.5, 9000, 1, NAN, NULL, 0, &salvage).irr;
    r = hand_books(irr, 1000.5, 9000, 1, NAN, NULL, 0, &salvage);
    CHECK(irr > 0.1 && irr < 1 && fabs(r.npv) < 1e-6, "NPV at the IRR %g: %g", irr, r.npv);
}

TEST(lifetime_table_by_calendar_year)
{
    /* From 2026-07-01, 400 days: 2026 holds 184 of them (July to December), 2027 the other 216; with no start
     * date, years of 365.25 days: 366 (days 0-365) and 34. The rows sum to the whole; the running sum ends at
     * the NPV and stays there. */
    int64_t start;
    CHECK(sim_date_parse("2026-07-01", &start) == 0, "date");
    double t[4 * LIFE_N], salvage;
    for (int dated = 0; dated < 2; dated++) {
        life_result r = hand_books(0.05, 400, 100, 50, dated ? (double)start : NAN, t, 4, &salvage);
        double first = dated ? 184 : 366;
        CHECK_NEAR(t[LIFE_REVENUE], 30 * first, 1e-9, dated ? "2026's revenue" : "year 1's revenue");
        CHECK_NEAR(t[LIFE_N + LIFE_REVENUE], 30 * (400 - first), 1e-9, "the second row's revenue");
        CHECK_NEAR(t[LIFE_GPU_HOURS] + t[LIFE_N + LIFE_GPU_HOURS], 400, 1e-9, "GPU-hours: every day once");
        CHECK_NEAR(t[LIFE_CAPEX], 100, 0, "capital in the first row");
        CHECK_NEAR(t[LIFE_N + LIFE_SALVAGE], salvage, 0, "salvage in the last year");
        CHECK_NEAR(t[LIFE_NET_PV] + t[LIFE_N + LIFE_NET_PV], r.npv, 1e-9 * fabs(r.npv), "the rows' PV sum to the NPV");
        CHECK_NEAR(t[3 * LIFE_N + LIFE_CUM_PV], r.npv, 1e-9 * fabs(r.npv), "the running sum stays at the NPV");
        CHECK(t[2 * LIFE_N + LIFE_REVENUE] == 0, "a row past the end holds nothing: %g", t[2 * LIFE_N + LIFE_REVENUE]);
    }
}

TEST(lifetime_of_the_small_site_by_hand)
{
    /* Revenue 50 a GPU-hour on 8 GPUs a rack from acceptance; O&M 36,525 a MW-year on the 10 MW hall from day
     * 290 (1,000 a day); the hall lives 2 years (E = 290 + 730.5), racks 1 year: delivered on day 150 + k,
     * bought again on 515.25 + k and 880.5 + k, the last one's book value left at E. After the horizon (400)
     * the 80 GPUs online on its last day carry on. */
    const char *sets[] = {"money.revenue_per_gpu_hour_usd=50", "money.om_per_mw_year_usd=36525",
                          "money.facility_life_years=2", "money.gpu_life_years=1", NULL};
    site_run r;
    sim_err err;
    CHECK(run_small_money(sets, &r, &err) == 0, "%s", err.msg);
    site_run_defer(&r);
    double k = log(1.1) / 365.25, E = 290 + 730.5, f_end = exp(-k * 1020.5), want = 0, capex = 0;
    for (int j = 0; j < 10; j++) {
        want += 8 * 24 * 50.0 * days_pv(k, ACCEPT[j], 1019) + 0.5 * 8 * 24 * 50.0 * f_end;
        for (double t = DELIVER[j]; t < E; t += 365.25) {
            want -= 1e6 * exp(-k * (floor(t) + 0.5));
            capex += 1e6;
        }
        want += 1e6 * (1 - (E - (DELIVER[j] + 730.5)) / 365.25) * f_end;
    }
    want -= 2e7 * exp(-k * 290.5) + 1000 * (days_pv(k, 290, 1019) + 0.5 * f_end);
    CHECK_NEAR(r.mt[M_LIFE_END], E, 1e-9, "the site's end: its hall's");
    CHECK_NEAR(r.mt[M_LIFE_CAPEX], capex + 2e7, 1e-3, "capital over the life: 30 racks and the hall");
    CHECK_NEAR(r.mt[M_LIFE_NPV], want, 1e-9 * fabs(want), "lifetime NPV");
    CHECK(r.mt[M_LIFE_IRR] > 0.1 && r.mt[M_LIFE_IRR] < 1 && r.mt[M_LIFE_PAYBACK] > 313 && r.mt[M_LIFE_PAYBACK] < E,
          "IRR %g above the 10 %% rate as the NPV %g is positive; payback on day %g", r.mt[M_LIFE_IRR], want,
          r.mt[M_LIFE_PAYBACK]);
    /* discounted at its IRR, the lifetime NPV is 0 */
    char rate[64];
    snprintf(rate, sizeof rate, "money.discount_rate=%.17g", r.mt[M_LIFE_IRR]);
    const char *at_irr[] = {"money.revenue_per_gpu_hour_usd=50", "money.om_per_mw_year_usd=36525",
                            "money.facility_life_years=2", "money.gpu_life_years=1", rate, NULL};
    site_run z;
    CHECK(run_small_money(at_irr, &z, &err) == 0, "%s", err.msg);
    site_run_defer(&z);
    CHECK(fabs(z.mt[M_LIFE_NPV]) < 1e-6 * r.mt[M_LIFE_CAPEX], "NPV at the IRR %g: %g", r.mt[M_LIFE_IRR],
          z.mt[M_LIFE_NPV]);
}

TEST(lifetime_npv_does_not_depend_on_the_horizon_past_full_capacity)
{
    /* The EU 1 GW site at 10 and 12 years: every replication that reached full capacity a year before the
     * shorter horizon keeps its lifetime NPV within 0.5 % (the simulated years 10-12 against the steady state
     * carried from year 10), and their mean moves less. */
    const char *at10[] = {"sim.horizon_days=3652", "serving.enabled=false", NULL};
    const char *at12[] = {"sim.horizon_days=4383", "serving.enabled=false", NULL};
    double sum_a = 0, sum_b = 0, worst = 0;
    int n = 0;
    for (uint64_t rep = 0; rep < 8; rep++) {
        site_run a, b;
        sim_err err;
        CHECK(site_run_file("scenarios/eu-gigafactory-1gw.cfg", at10, 1, rep, &a, &err) == 0, "%s", err.msg);
        site_run_defer(&a);
        CHECK(site_run_file("scenarios/eu-gigafactory-1gw.cfg", at12, 1, rep, &b, &err) == 0, "%s", err.msg);
        site_run_defer(&b);
        if (!(a.mt[M_TFULL_DAYS] <= 3652 - 365))
            continue;
        double rel = fabs(a.mt[M_LIFE_NPV] - b.mt[M_LIFE_NPV]) / fabs(b.mt[M_LIFE_NPV]);
        CHECK(rel < 0.005, "replication %llu: lifetime NPV %.6g at 10 years, %.6g at 12 (%.3f %%)",
              (unsigned long long)rep, a.mt[M_LIFE_NPV], b.mt[M_LIFE_NPV], 100 * rel);
        worst = fmax(worst, rel);
        sum_a += a.mt[M_LIFE_NPV];
        sum_b += b.mt[M_LIFE_NPV];
        n++;
    }
    CHECK(n >= 6, "only %d of 8 replications reached full capacity a year before day 3652", n);
    CHECK(fabs(sum_a - sum_b) / fabs(sum_b) < 0.005, "mean lifetime NPV %.6g at 10 years, %.6g at 12 (worst %.3f %%)",
          sum_a / n, sum_b / n, 100 * worst);
}

TEST(delay_of_a_phase_by_hand)
{
    /* The small site with its grid 30 days late: energized on day 330, every rack accepted on day 333 (they
     * were on 303 .. 313). With free energy, no O&M and the same capital on the same days, what the delay
     * costs is the revenue of the days lost: 8 GPUs x 24 h x 50 a day from each rack's acceptance to day 333,
     * each day at its middle. First token moves 30 days, full capacity 20; both runs to day 430. */
    char out[8192], path[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out,
                         "delay tests/data/small.cfg --phase grid --days 30 -n 2 -q -o %s/delay-small "
                         "--set rack_types.[0].price_usd=1e6 --set money.facility_capex_per_mw_usd=2e6 "
                         "--set money.discount_rate=0.1 --set site.grid.price_per_mwh=0 --set money.om_per_mw_year_usd=0 "
                         "--set racks.spare_fraction=0 --set money.revenue_per_gpu_hour_usd=50",
                         t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "money.lifetime.npv");
    snprintf(path, sizeof path, "%s/delay-small/delay.json", t);
    struct cJSON *j = test_read_json(path);
    CHECK(j, "%s", path);
    const struct cJSON *figs = cJSON_GetObjectItemCaseSensitive(j, "figures");
#define FIG(name, field) sim_json_get_num(cJSON_GetObjectItemCaseSensitive(figs, name), field, NAN)
    double k = log(1.1) / 365.25, want = 0;
    for (int r = 0; r < 10; r++)
        want += 8 * 24 * 50.0 * days_pv(k, ACCEPT[r], 332);
    double first = FIG("time_to_first_token_days", "p50"), full = FIG("time_to_full_capacity_days", "p50");
    double cost = FIG("money.lifetime.npv", "mean"), per_day = FIG("money.lifetime.npv", "per_day");
    double lo = FIG("money.lifetime.npv", "p10"), horizon = sim_json_get_num(j, "horizon_days", NAN);
#undef FIG
    cJSON_Delete(j);
    CHECK_NEAR(horizon, 430, 0, "both runs 30 days past the horizon");
    CHECK_NEAR(first, 30, 1e-9, "first token moves by the delay");
    CHECK_NEAR(full, 20, 1e-9, "full capacity: the last rack was installed on day 310, 20 days before the grid");
    CHECK_NEAR(cost, want, 1e-6 * want, "lifetime NPV lost: the revenue of the days lost");
    CHECK_NEAR(lo, want, 1e-6 * want, "the same in every replication (constant durations)");
    CHECK_NEAR(per_day, want / 30, 1e-6 * want, "per day of delay");
    /* a phase the scenario does not have */
    rc = gigasim_cmd(out, sizeof out, "delay tests/data/small.cfg --phase gird -n 1 -q -o %s/delay-bad", t);
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--phase gird: tests/data/small.cfg has no timeline phase of that name");
    rc = gigasim_cmd(out, sizeof out, "delay tests/data/small.cfg -n 1 -q -o %s/delay-bad", t);
    CHECK(rc == 2, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--phase NAME is needed");
}

/* The value of column `col` in row `row` (0: the header) of a CSV file, NAN if missing. */
static double csv_cell(const char *path, size_t row, const char *col)
{
    char *t = read_text(path);
    if (!t)
        return NAN;
    int k = -1, i = 0;
    char *line = t, *next;
    double v = NAN;
    for (size_t r = 0; line && *line; r++, line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        i = 0;
        for (char *f = line, *e; f; f = e ? e + 1 : NULL, i++) {
            e = strchr(f, ',');
            if (e)
                *e = '\0';
            if (r == 0 && !strcmp(f, col))
                k = i;
            if (r == row && r > 0 && i == k)
                v = *f ? atof(f) : NAN;
        }
        if (r == row)
            break;
    }
    free(t);
    return v;
}

TEST(years_hold_the_runs_energy_co2_and_cash)
{
    /* The small site from 2026-01-01 over 365 days: the row of 2026 holds the whole run's facility energy, CO2,
     * energy cost and grid energy (conservation), and the rows after it the steady state at full capacity. */
    char out[8192], path[700], runs[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out,
                         "run tests/data/small.cfg -n 1 -q -o %s/years-small --set 'sim.start_date=\"2026-01-01\"' "
                         "--set sim.horizon_days=365",
                         t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/years-small/years.csv", t);
    snprintf(runs, sizeof runs, "%s/years-small/replications.csv", t);
    CHECK_NEAR(csv_cell(path, 1, "year"), 2026, 0, "the first row is 2026");
    static const char *const pairs[][2] = {{"facility_mwh", "facility_energy_mwh"},
                                           {"co2_t", "co2_t"},
                                           {"energy_cost", "energy_cost"},
                                           {"grid_mwh", "grid_energy_mwh"}};
    for (int i = 0; i < 4; i++) {
        double row = csv_cell(path, 1, pairs[i][0]), run = csv_cell(runs, 1, pairs[i][1]);
        CHECK(run > 0, "%s: %g", pairs[i][1], run);
        CHECK_NEAR(row, run, 1e-9 * run, pairs[i][0]);
    }
    /* 2027: 365 days of the last day's 80 GPUs, all online (no pauses) */
    CHECK_NEAR(csv_cell(path, 2, "gpu_hours"), 80 * 24 * 365.0, 1e-6, "2027's GPU-hours, the steady state");
}
