/* gigasim sensitivity end to end on the hand-computed small site, where
 * first token is the grid phase's end plus fixed days: its variance is all
 * the grid duration's (S1 = ST = 1) and none the crews' (exactly 0); Morris
 * gives the grid's elementary effect as its range, 50 days, exactly (between
 * 200 and 250 days of grid work the grid is what first token waits for: day
 * 303 to 353). The same seed gives the same bytes on 1 and 2 threads. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/study/output.h"
#include "test.h"

static const cJSON *first_indices(const cJSON *root, const char *metric)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(root, "metrics"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
        if (cJSON_IsString(n) && !strcmp(n->valuestring, metric))
            return cJSON_GetObjectItemCaseSensitive(m, "indices");
    }
    return NULL;
}

static double field(const cJSON *indices, const char *key, const char *f)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, indices)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "key");
        if (cJSON_IsString(k) && !strcmp(k->valuestring, key)) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, f);
            return cJSON_IsNumber(v) ? v->valuedouble : NAN;
        }
    }
    return NAN;
}

#define VARY "--vary timeline.phases.grid.duration_days=200:250 --vary racks.crews=1:5"

TEST(sensitivity_sobol_on_a_hand_computed_site)
{
    char out[8192], path[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 2 --samples 64 " VARY
                         " --metric time_to_first_token_days -o %s/sens-a --threads 1 -q", t);
    CHECK(rc == 0, "sensitivity: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "Sobol' indices of time_to_first_token_days");
    rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 2 --samples 64 " VARY
                     " --metric time_to_first_token_days -o %s/sens-b --threads 2 -q > /dev/null && "
                     "cmp %s/sens-a/sensitivity.json %s/sens-b/sensitivity.json && cmp %s/sens-a/points.csv %s/sens-b/points.csv",
                     t, t, t, t, t);
    CHECK(rc == 0, "1 and 2 threads differ: %s", out);
    snprintf(path, sizeof path, "%s/sens-a/sensitivity.json", t);
    cJSON *root = test_read_json(path);
    CHECK(root, "no %s", path);
    test_defer((void (*)(void *))cJSON_Delete, root);
    const cJSON *ix = first_indices(root, "time_to_first_token_days");
    CHECK(ix, "no indices");
    const char *g = "timeline.phases.grid.duration_days";
    double s1 = field(ix, g, "s1"), st = field(ix, g, "st");
    CHECK(field(ix, g, "s1_lo") <= 1 && 1 <= field(ix, g, "s1_hi"), "grid S1 %.3f: 1 not in [%.3f, %.3f]", s1,
          field(ix, g, "s1_lo"), field(ix, g, "s1_hi"));
    CHECK(field(ix, g, "st_lo") <= 1 && 1 <= field(ix, g, "st_hi"), "grid ST %.3f: 1 not in [%.3f, %.3f]", st,
          field(ix, g, "st_lo"), field(ix, g, "st_hi"));
    CHECK_NEAR(st, 1, 0.05, "grid ST");
    CHECK(field(ix, "racks.crews", "st") == 0 && field(ix, "racks.crews", "s1") == 0, "crews: S1 %g ST %g (want 0)",
          field(ix, "racks.crews", "s1"), field(ix, "racks.crews", "st"));
    /* plot draws it; the report renders it */
    rc = gigasim_cmd(out, sizeof out, "plot %s/sens-a && %s report %s/sens-a", t, gigasim_bin(), t);
    CHECK(rc == 0, "plot and report: %s", out);
    snprintf(path, sizeof path, "%s/sens-a/sensitivity.png", t);
    CHECK(access(path, F_OK) == 0, "no %s", path);
    /* the decision page: the inputs in the order of their total index, each with it */
    snprintf(path, sizeof path, "%s/sens-a/report.html", t);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    char want[200];
    snprintf(want, sizeof want, "<li><b>First token</b>: most of all grid: duration (days) (total index %.2f); then "
             "racks: crews (total index 0.00)</li>", st);
    CHECK_STR_CONTAINS(html, want);
    if (report_chromium()) {
        snprintf(path, sizeof path, "%s/sens-a", t);
        report_check_rendered(path, "grid: duration (days)", 1);
    }
}

TEST(sensitivity_morris_effects_by_hand)
{
    char out[8192], path[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 1 --morris --samples 6 " VARY
                         " --metric time_to_first_token_days -o %s/morris -q", t);
    CHECK(rc == 0, "morris: exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/morris/sensitivity.json", t);
    cJSON *root = test_read_json(path);
    CHECK(root, "no %s", path);
    test_defer((void (*)(void *))cJSON_Delete, root);
    const cJSON *ix = first_indices(root, "time_to_first_token_days");
    /* first token moves day for day with the grid phase: a step of u over the 50-day range is 50 days per unit */
    CHECK_NEAR(field(ix, "timeline.phases.grid.duration_days", "mu_star"), 50, 1e-6, "grid mu*");
    CHECK_NEAR(field(ix, "timeline.phases.grid.duration_days", "sigma"), 0, 1e-6, "grid sigma");
    CHECK(field(ix, "racks.crews", "mu_star") == 0, "crews mu* %g", field(ix, "racks.crews", "mu_star"));
}

TEST(sensitivity_refuses_what_it_cannot_do)
{
    char out[4096];
    struct { const char *args; int rc; const char *want; } cases[] = {
        {"sensitivity tests/data/small.cfg -n 1 --metric time_to_first_token_days", 1, "no uncertain input"},
        {"sensitivity tests/data/small.cfg -n 1 --vary racks.crews=1:5:3", 2, "a range LOW:HIGH, not a curve"},
        {"sensitivity tests/data/small.cfg -n 1 --samples 1 --vary racks.crews=1:5", 2, "--samples needs a whole number >= 2"},
        {"sensitivity tests/data/small.cfg -n 1 --bootstrap 1 --vary racks.crews=1:5", 2, "--bootstrap needs a whole number >= 2"},
        {"sensitivity tests/data/small.cfg -n 1 --samples 4 --vary racks.crews=1:5 --metric nope", 1, "--metric nope: no such metric"},
        /* 300 million points' figures would be 15.6 GiB: refused before anything is kept */
        {"sensitivity tests/data/small.cfg -n 1 --samples 100000000 --only-vary --vary racks.crews=1:5", 1,
         "300000000 points over 1 input(s) would keep 15.6 GiB in memory; the cap is 4 GiB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = gigasim_cmd(out, sizeof out, "%s -o %s/sens-bad -q", cases[i].args, test_tmpdir());
        CHECK(rc == cases[i].rc, "%s: exit %d, want %d: %s", cases[i].args, rc, cases[i].rc, out);
        CHECK_STR_CONTAINS(out, cases[i].want);
    }
    /* an output directory it may not write is refused before any point runs (12,000 points would take minutes) */
    int rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 1 --samples 4000 --vary racks.crews=1:5 "
                         "-o /proc/gigasim-sens -q");
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "/proc/gigasim-sens");
}

TEST(sensitivity_adds_the_economic_inputs_for_a_money_figure)
{
    /* Analysing the lifetime NPV adds revenue (x0.5 to x1.5 of the 3 USD a GPU-hour), capital (x0.8 to x1.3),
     * the grid's price (x0.7 to x1.5) and the discount rate (5 to 12 %): revenue raises the NPV, capital and
     * energy lower it; first token alone adds none; --only-vary keeps them out. */
    char out[8192], path[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 1 --morris --samples 4 "
                         "--metric money.lifetime.npv -o %s/sens-econ -q", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/sens-econ/sensitivity.json", t);
    cJSON *root = test_read_json(path);
    CHECK(root, "no %s", path);
    test_defer((void (*)(void *))cJSON_Delete, root);
    static const struct { const char *key; double low, high; int sign; } want[] = {
        {"money.revenue_per_gpu_hour_usd", 1.5, 4.5, 1},
        {"money.capex_factor", 0.8, 1.3, -1},
        {"site.grid.price_factor", 0.7, 1.5, -1},
        {"money.discount_rate", 0.05, 0.12, 0}};
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs"), *x;
    int found = 0;
    cJSON_ArrayForEach(x, inputs)
    {
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "key"));
        for (int i = 0; key && i < 4; i++)
            if (!strcmp(key, want[i].key)) {
                found++;
                CHECK_NEAR(sim_json_get_num(x, "low", NAN), want[i].low, 1e-12, want[i].key);
                CHECK_NEAR(sim_json_get_num(x, "high", NAN), want[i].high, 1e-12, want[i].key);
            }
    }
    CHECK(found == 4, "%d of the 4 economic inputs", found);
    const cJSON *ix = first_indices(root, "money.lifetime.npv");
    for (int i = 0; i < 3; i++)
        CHECK(want[i].sign * field(ix, want[i].key, "mu") > 0, "%s: mu %g, want the sign %d", want[i].key,
              field(ix, want[i].key, "mu"), want[i].sign);
    rc = gigasim_cmd(out, sizeof out, "sensitivity tests/data/small.cfg -n 1 --morris --samples 4 --only-vary "
                     "--vary racks.crews=1:2 --metric money.lifetime.npv -o %s/sens-econ-only -q", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/sens-econ-only/sensitivity.json", t);
    char *text = read_text(path);
    CHECK(text && !strstr(text, "money.capex_factor"), "--only-vary: an economic input is there");
    free(text);
}
