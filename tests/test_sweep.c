/* sweep (sim/study/sweep.h): tornado and curve by hand on the hand-computed
 * site, ranking by any metric, bad --vary and --metric refused. */
#include <cjson/cJSON.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/site/site.h"
#include "sim/core/stats.h"
#include "sim/study/sweep.h"
#include "test.h"

TEST(sweep_tornado_and_curve_by_hand)
{
    /* tests/data/small.cfg (all durations constant): the grid phase ends at
     * 100 + d, the first rack is installed at 292, so first token is
     * max(100 + d, 292) + 3: d = 150 -> 295, d = 250 -> 353 (swing 58). More
     * crews do not move the first rack (303 at any count): swing 0, listed
     * second. */
    char dir[512], out[8192], path[700];
    snprintf(dir, sizeof dir, "%s/sweep", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out,
                         "sweep tests/data/small.cfg --vary racks.crews=1:3 "
                         "--vary timeline.phases.grid.duration_days=150:250 -n 1 -o %s --quiet",
                         dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    char *csv = read_text(path);
    CHECK(csv, "no sweep.csv");
    const char *want1 = "\ntimeline.phases.grid.duration_days,150,250,303,295,353,58,";
    const char *want2 = "\nracks.crews,1,3,303,303,303,0,";
    char *p1 = strstr(csv, want1), *p2 = strstr(csv, want2);
    int ok = p1 && p2 && p1 < p2;
    CHECK(ok, "sweep.csv lacks, in this order, '%s' and '%s':\n%s", want1 + 1, want2 + 1, csv);
    free(csv);
    /* the report's decision page names the inputs in that order with their swings */
    rc = gigasim_cmd(out, sizeof out, "report -q %s", dir);
    CHECK(rc == 0, "report: exit %d: %s", rc, out);
    char page[700];
    snprintf(page, sizeof page, "%s/report.html", dir);
    char *html = read_text(page);
    CHECK(html, "no %s", page);
    test_defer(free, html);
    CHECK_STR_CONTAINS(html, "<li><b>grid: duration (days)</b> moves first token most: a swing of 58 days (its P50 "
                             "from the low to the high value); then racks: crews (0 days)</li>");

    rc = gigasim_cmd(out, sizeof out,
                     "sweep tests/data/small.cfg --vary timeline.phases.grid.duration_days=100:250:4 -n 1 -o %s --quiet",
                     dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    csv = read_text(path);
    CHECK(csv, "no sweep.csv");
    /* grid ends 200, 250, 300, 350 -> first token 295, 295, 303, 353 */
    ok = strstr(csv, "\n100,295,295,295,") && strstr(csv, "\n150,295,295,295,") && strstr(csv, "\n200,303,303,303,") &&
         strstr(csv, "\n250,353,353,353,");
    CHECK(ok, "curve rows differ from the hand computation:\n%s", csv);
    free(csv);
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    char *js = read_text(path);
    CHECK(js && strstr(js, "\"mode\":\t\"curve\""), "sweep.json lacks mode curve");
    free(js);

    /* Any metric can be ranked (--metric): CO2 falls as the grid comes later
     * here (less energy in the horizon), and the files say which metric. */
    rc = gigasim_cmd(out, sizeof out,
                     "sweep tests/data/small.cfg --metric co2_t --vary racks.crews=1:3 "
                     "--vary timeline.phases.grid.duration_days=150:250 -n 1 -o %s --quiet",
                     dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    cJSON *sj = test_read_json(path);
    CHECK(sj, "no sweep.json");
    test_defer((void (*)(void *))cJSON_Delete, sj);
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(sj, "metric");
    const cJSON *mname = mt ? cJSON_GetObjectItemCaseSensitive(mt, "name") : NULL;
    const cJSON *munit = mt ? cJSON_GetObjectItemCaseSensitive(mt, "unit") : NULL;
    CHECK(cJSON_IsString(mname) && !strcmp(mname->valuestring, "co2_t") && cJSON_IsString(munit) &&
              !strcmp(munit->valuestring, "t"),
          "sweep.json's metric is not co2_t in t");
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(sj, "keys");
    const cJSON *k0 = cJSON_GetArrayItem(keys, 0), *k1 = cJSON_GetArrayItem(keys, 1);
    const cJSON *s0 = k0 ? cJSON_GetObjectItemCaseSensitive(k0, "swing") : NULL;
    const cJSON *s1 = k1 ? cJSON_GetObjectItemCaseSensitive(k1, "swing") : NULL;
    CHECK(cJSON_IsNumber(s0) && cJSON_IsNumber(s1) && s0->valuedouble >= s1->valuedouble && s0->valuedouble > 0,
          "keys not ranked by the CO2 swing");
    rc = gigasim_cmd(out, sizeof out, "sweep tests/data/small.cfg --metric co2 --vary racks.crews=1:3 -o %s/bad --quiet",
                     test_tmpdir());
    CHECK(rc == 2, "exit %d for an unknown --metric: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--metric co2: no such metric");

    /* Bad --vary: named key, clear message, exit 2; a typo in the key is an unknown key. */
    rc = gigasim_cmd(out, sizeof out, "sweep tests/data/small.cfg --vary racks.crews=3 -o %s/bad --quiet", test_tmpdir());
    CHECK(rc == 2, "exit %d for --vary without a range: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--vary racks.crews: '3' is not LOW:HIGH");
    rc = gigasim_cmd(out, sizeof out, "sweep tests/data/small.cfg --vary racks.crewz=1:3 -n 1 -o %s/bad --quiet",
                     test_tmpdir());
    CHECK(rc == 1, "exit %d for a misspelt key: %s", rc, out);
    CHECK_STR_CONTAINS(out, "racks.crewz");
    snprintf(path, sizeof path, "%s/bad", test_tmpdir());
    CHECK(access(path, F_OK) != 0, "a failed sweep left %s behind", path);
}

TEST(sweep_refuses_run_settings_in_vary)
{
    /* Varying the seed or the replications would run the base at every point, silently. */
    sim_vary v;
    sim_err err;
    CHECK(sim_vary_parse("sim.seed=1:5", &v, &err) != 0 && strstr(err.msg, "a run setting"), "sim.seed accepted: %s",
          err.msg);
    CHECK(sim_vary_parse("sim.replications=10:20", &v, &err) != 0 && strstr(err.msg, "use --seed, -n"),
          "sim.replications accepted: %s", err.msg);
    CHECK(sim_vary_parse("sim.horizon_days=1000:2000", &v, &err) == 0, "a scenario input refused: %s", err.msg);
}

TEST(sweep_keys_read_as_words)
{
    /* tornado rows and the printed table name a key as a person reads it */
    const char *cases[][2] = {
        {"timeline.phases.grid_interconnection.duration_days.p50", "grid interconnection: median duration (days)"},
        {"timeline.phases.grid_interconnection.duration_days*", "grid interconnection: duration (days), whole law"},
        {"timeline.durations.grid_interconnection+", "durations: grid interconnection, added to every draw"},
        {"racks.crews", "racks: crews"},
        {"racks.lead_days.p90", "racks: P90 lead (days)"},
        {"site.grid.curtailment.peak_price_hours_per_year", "site: grid curtailment peak price (hours a year)"},
        {"halls.[0].stagger_days", "halls: [0] stagger (days)"},
        {"serving.gpu_share", "serving: gpu share"},
    };
    /* the site's layout says which leading segments a label leaves out */
    sim_cfg *cfg = NULL;
    sim_err err;
    void *m = load_site("tests/data", "@include \"small_base.inc\"\n", NULL, &cfg, &err);
    CHECK(m, "%s", err.msg);
    sim_layout lay;
    site_app.layout(m, &lay);
    site_app.free(m);
    sim_cfg_free(cfg);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char b[200];
        sim_key_label(cases[i][0], lay.label_skip, b, sizeof b);
        CHECK(!strcmp(b, cases[i][1]), "%s: '%s', want '%s'", cases[i][0], b, cases[i][1]);
    }
}

TEST(sweep_plot_draws_a_tornado_and_a_curve)
{
    /* plot finds a sweep's kind (tornado or curve) and draws its chart, in PNG and SVG */
    char out[8192], path[700];
    const char *t = test_tmpdir();
    int rc = gigasim_cmd(out, sizeof out,
                         "sweep tests/data/small.cfg -n 2 --vary racks.crews=1:3 --vary timeline.phases.grid.duration_days=150:250 "
                         "-o %s/plot-tornado -q > /dev/null && %s plot --format=png,svg %s/plot-tornado && "
                         "%s sweep tests/data/small.cfg -n 2 --vary timeline.phases.grid.duration_days=100:260:4 -o %s/plot-curve -q "
                         "> /dev/null && %s plot %s/plot-curve",
                         t, gigasim_bin(), t, gigasim_bin(), t, gigasim_bin(), t);
    CHECK(rc == 0, "sweep and plot: exit %d: %s", rc, out);
    static const char *const charts[] = {"plot-tornado/tornado.png", "plot-tornado/tornado.svg", "plot-curve/curve.png"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", t, charts[i]);
        CHECK(access(path, F_OK) == 0, "no %s: %s", path, out);
    }
    /* NPV against delay: negative everywhere (no revenue), in the scenario's currency: drawn, not clipped
     * at zero into "all points y value undefined" */
    rc = gigasim_cmd(out, sizeof out,
                     "sweep tests/data/small.cfg -n 2 --metric money.npv --set money.revenue_per_gpu_hour_usd=0 "
                     "--vary 'timeline.phases.grid.duration_days+=0:365:3' -o %s/plot-npv -q > /dev/null && %s plot %s/plot-npv",
                     t, gigasim_bin(), t);
    snprintf(path, sizeof path, "%s/plot-npv/curve.png", t);
    CHECK(rc == 0 && access(path, F_OK) == 0, "no NPV-against-delay curve (exit %d): %s", rc, out);
    snprintf(path, sizeof path, "%s/plot-npv/sweep.json", t);
    char *json = read_text(path);
    CHECK(json && strstr(json, "\"currency\":\t\"USD\""), "sweep.json does not say its currency");
    free(json);
}
