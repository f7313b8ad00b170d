/* Money (models/finance/money.h) by hand on the small site
 * (tests/data/small_base.inc): racks delivered on days 150..159, accepted on
 * day 303 (the first five) and 305..313 (two days apart), the hall ready on
 * day 290, the grid on day 300; a rack costs 1 M, the hall 10 MW x 2 M, and
 * no spares are bought (but in money_spares_cost_their_share_of_a_rack). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
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
