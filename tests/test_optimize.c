/* The optimizer (sim/study/optimize.h): a known optimum by hand (racks
 * ordered just in time), a flat objective found equivalent, a noisy one
 * with a clear winner picked at the stated confidence over repeated trials,
 * Nelder-Mead on a known quadratic, the statistics, the same bytes for any
 * thread count, and bad input refused by name. */
#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/study/optimize.h"
#include "sim/study/output.h"
#include "tests/test.h"

TEST(optimize_statistics_by_hand)
{
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, w[10];
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_MEAN, 1, w), 5.5, 1e-12, "mean");
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_P50, 1, w), 5.5, 1e-12, "p50");
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_P90, 1, w), 9.1, 1e-12, "p90 (type 7: 9 + 0.1)");
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_CVAR10, 1, w), 1, 1e-12, "cvar10 maximizing: the lowest tenth");
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_CVAR10, -1, w), 10, 1e-12, "cvar10 minimizing: the highest tenth");
    x[9] = NAN; /* not reached: the worst */
    CHECK(sim_stat_of(x, 10, 1, SIM_STAT_MEAN, 1, w) == -INFINITY, "a mean over a value not reached, maximizing");
    CHECK(sim_stat_of(x, 10, 1, SIM_STAT_P90, -1, w) == INFINITY, "a P90 on a day not reached, minimizing: %g",
          sim_stat_of(x, 10, 1, SIM_STAT_P90, -1, w));
    CHECK_NEAR(sim_stat_of(x, 10, 1, SIM_STAT_P50, -1, w), 5.5, 1e-12, "a P50 below it");
}

/* A synthetic candidate: y = f(x) + noise, the noise of replication r drawn
 * from (trial seed, r) and, unless common, from the candidate's value too. */
typedef struct synth {
    int kind;       /* 0: -(x - 3.7)^2; 1: flat; 2: choices A, B, C with means 0, 0.3, 1 */
    bool common;    /* common random numbers: the same noise for every candidate */
    double sd;
    unsigned long seed;
    gsl_rng *rng;
} synth;

static int synth_fn(void *p, const char *const *sets, size_t n_sets, size_t first, size_t count, bool alone,
                    const size_t *cols, size_t n_cols, double *y, sim_err *err)
{
    (void)alone;
    (void)cols;
    (void)err;
    synth *s = p;
    const char *v = n_sets ? strchr(sets[0], '=') + 1 : "";
    if (n_sets == 0) /* the "scenario as written": the first choice, or x = 0 */
        v = s->kind == 2 ? "A" : "0";
    double x = s->kind == 2 ? (*v == 'A' ? 0 : *v == 'B' ? 0.3 : 1.0) : atof(v);
    double f = s->kind == 0 ? -(x - 3.7) * (x - 3.7) : s->kind == 1 ? 0 : x;
    unsigned long cand = 0;
    for (const char *c = v; *c; c++)
        cand = cand * 131 + (unsigned char)*c;
    for (size_t r = 0; r < count; r++) {
        gsl_rng_set(s->rng, s->seed * 1000003ul + (first + r) * 7919ul + (s->common ? 0 : cand * 104729ul));
        y[r * n_cols] = f + s->sd * gsl_ran_gaussian_ziggurat(s->rng, 1.0);
    }
    return 0;
}

static sim_optimize_spec synth_spec(const sim_decide *d, double confidence)
{
    sim_optimize_spec s;
    memset(&s, 0, sizeof s);
    s.dec = d;
    s.n_dec = 1;
    snprintf(s.obj.metric, sizeof s.obj.metric, "y");
    s.obj.stat = SIM_STAT_MEAN;
    s.obj.sense = 1;
    s.replications = 20;
    s.max_replications = 1280;
    s.max_candidates = 200;
    s.finalists = 5;
    s.confidence = confidence;
    s.indifference = NAN;
    s.tolerance = 0.001;
    s.scenario_file = "synthetic";
    return s;
}

static int synth_run(synth *sy, const sim_optimize_spec *s, const char *name, sim_optimize_outcome *r, sim_err *err)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir(), name);
    sy->rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = sim_optimize(s, synth_fn, sy, dir, NULL, r, err);
    gsl_rng_free(sy->rng);
    return rc;
}

TEST(optimize_nelder_mead_finds_a_known_maximum)
{
    /* -(x - 3.7)^2 with common noise (sd 1: it shifts every candidate alike) on [0, 10]: found to 0.01 of the
     * range (tolerance 0.001) */
    sim_decide d;
    sim_err err;
    CHECK(sim_decide_parse("x=0:10", &d, &err) == 0, "%s", err.msg);
    sim_optimize_spec s = synth_spec(&d, 0.95);
    synth sy = {0, true, 1.0, 7, NULL};
    sim_optimize_outcome r;
    CHECK(synth_run(&sy, &s, "opt-quad", &r, &err) == 0, "%s", err.msg);
    CHECK(fabs(r.x[0] - 3.7) < 0.1, "Nelder-Mead chose x = %.4f, the maximum is at 3.7 (%zu candidates)", r.x[0],
          r.n_candidates);
    CHECK(r.n_candidates < 60, "%zu candidates for one dimension", r.n_candidates);
}

TEST(optimize_flat_objective_is_equivalent)
{
    /* nothing depends on the decision: with common random numbers every difference is exactly 0, equivalent at
     * once; with independent noise (sd 1) and an indifference of 0.5, equivalent once the interval is that narrow */
    sim_decide d;
    sim_err err;
    CHECK(sim_decide_parse("x=A,B,C", &d, &err) == 0, "%s", err.msg);
    sim_optimize_spec s = synth_spec(&d, 0.95);
    synth sy = {1, true, 1.0, 3, NULL};
    sim_optimize_outcome r;
    CHECK(synth_run(&sy, &s, "opt-flat", &r, &err) == 0, "%s", err.msg);
    CHECK(r.verdict == SIM_OPT_EQUIVALENT, "flat, common noise: verdict %d, difference %g [%g, %g]", r.verdict, r.diff,
          r.diff_lo, r.diff_hi);
    CHECK(r.final_replications == 20, "no replications added to a tie that is exact: %zu", r.final_replications);
    sy.common = false;
    s.indifference = 0.5;
    CHECK(synth_run(&sy, &s, "opt-flat2", &r, &err) == 0, "%s", err.msg);
    CHECK(r.verdict == SIM_OPT_EQUIVALENT, "flat, independent noise: verdict %d, difference %g [%g, %g] at %zu", r.verdict,
          r.diff, r.diff_lo, r.diff_hi, r.final_replications);
    CHECK(r.diff_lo >= -0.5 && r.diff_hi <= 0.5, "equivalent means inside +-0.5: [%g, %g]", r.diff_lo, r.diff_hi);
    CHECK(r.final_replications > 20, "independent noise needs more replications than 20 to be that sure");
    /* a close race says the runner-up's chance beside the choice's: both in [0, 1], together at most 1 */
    char path[700];
    snprintf(path, sizeof path, "%s/opt-flat2/optimize.json", test_tmpdir());
    cJSON *o = test_read_json(path);
    CHECK(o != NULL, "%s unreadable", path);
    double p_c = sim_json_get_num(cJSON_GetObjectItem(o, "chosen"), "p_best", NAN);
    double p_r = sim_json_get_num(cJSON_GetObjectItem(o, "runner_up"), "p_best", NAN);
    CHECK(p_c >= 0 && p_r >= 0 && p_c + p_r <= 1 + 1e-12 && p_r > 0, "P(best) chosen %g, runner-up %g", p_c, p_r);
    cJSON_Delete(o);
}

TEST(optimize_picks_a_clear_winner_at_the_stated_confidence)
{
    /* choices with means 0, 0.3 and 1, independent noise sd 1 (no pairing to help): over 60 trials at 90 %
     * confidence the winner C is chosen and separated in at least 90 % of them, and a choice declared separated
     * is wrong in at most 10 % */
    sim_decide d;
    sim_err err;
    CHECK(sim_decide_parse("x=A,B,C", &d, &err) == 0, "%s", err.msg);
    sim_optimize_spec s = synth_spec(&d, 0.90);
    int right = 0, separated = 0, wrong_separated = 0, trials = 60;
    for (int t = 0; t < trials; t++) {
        synth sy = {2, false, 1.0, 100 + (unsigned long)t, NULL};
        s.seed = (uint64_t)t;
        sim_optimize_outcome r;
        CHECK(synth_run(&sy, &s, "opt-noisy", &r, &err) == 0, "%s", err.msg);
        bool is_c = r.x[0] == 2;
        right += is_c && r.verdict == SIM_OPT_SEPARATED;
        separated += r.verdict == SIM_OPT_SEPARATED;
        wrong_separated += !is_c && r.verdict == SIM_OPT_SEPARATED;
        char rm[700];
        snprintf(rm, sizeof rm, "rm -rf %s/opt-noisy", test_tmpdir());
        run_cmd(rm, NULL, 0);
    }
    CHECK(right >= (int)(0.9 * trials), "the winner chosen and separated in %d of %d trials", right, trials);
    CHECK(wrong_separated <= separated / 10, "%d of %d separated choices were wrong", wrong_separated, separated);
}

TEST(optimize_orders_racks_just_in_time)
{
    /* tests/data/jit.cfg's hand computation: the NPV is greatest ordering 140 days after permits; a grid of 10-day
     * steps finds it exactly, Nelder-Mead (tolerance 0.001 of 0-400) within a day; the bytes do not depend on the
     * thread count */
    const char *t = test_tmpdir();
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=0:400:10' "
                                          "--objective money.npv -q --threads 1 -o %s/jit-grid", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "chosen:     racks.orders.[0].offset_days=140\n");
    CHECK_STR_CONTAINS(out, "41 candidates by exhaustive search");
    rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=0:400:10' "
                                      "--objective money.npv -q --threads 2 -o %s/jit-grid2 && cmp %s/jit-grid/optimize.json "
                                      "%s/jit-grid2/optimize.json && cmp %s/jit-grid/optimize.csv %s/jit-grid2/optimize.csv",
                     t, t, t, t, t);
    CHECK(rc == 0, "1 and 2 threads differ: %s", out);
    /* what ordering at 140 rather than at 0 (as written) gains: the racks' carry over those 140 days, by hand
     * 10 x 3 M USD x (exp(ln(1.08) 140 / 365.25) - 1) = 898,155 USD (less a little discounting) */
    char grid_json[600];
    snprintf(grid_json, sizeof grid_json, "%s/jit-grid/optimize.json", t);
    cJSON *g = test_read_json(grid_json);
    CHECK(g != NULL, "no %s", grid_json);
    double gain = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "as_written"), "gain"));
    cJSON_Delete(g);
    double carry = 10 * 3e6 * expm1(log(1.08) * 140 / 365.25);
    CHECK(gain > 0.95 * carry && gain <= carry, "ordering just in time gains %.0f USD on the scenario as written; the "
          "carry saved by hand is %.0f", gain, carry);
    rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=0:400' "
                                      "--objective money.npv --tolerance 0.001 -q -o %s/jit-nm", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    char path[600];
    snprintf(path, sizeof path, "%s/jit-nm/optimize.json", t);
    cJSON *j = test_read_json(path);
    CHECK(j != NULL, "no %s", path);
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "chosen"), "decisions");
    double x = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(ch, "racks.orders.[0].offset_days"));
    const char *verdict = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "verdict"));
    bool ok = fabs(x - 140) <= 1 && verdict && !strcmp(verdict, "separated");
    cJSON_Delete(j);
    CHECK(ok, "Nelder-Mead ordered at %g (by hand 140), verdict %s", x, verdict ? verdict : "?");
}

TEST(optimize_sizes_a_battery_where_its_value_stops)
{
    /* tests/data/battery.cfg's hand computation: the NPV is greatest at 5.403 MWh, where the battery covers the
     * site's draw over the seven expensive hours; a grid of 0.1 MWh finds 5.4, Nelder-Mead (tolerance 0.001 of
     * 1-15 MWh) within 0.05 */
    const char *t = test_tmpdir();
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out, "optimize tests/data/battery.cfg -n 2 --decide site.battery.energy_mwh=4:7:0.1 "
                                          "--objective money.npv -q -o %s/batt-grid", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "chosen:     site.battery.energy_mwh=5.4\n");
    rc = gigasim_cmd(out, sizeof out, "optimize tests/data/battery.cfg -n 2 --decide site.battery.energy_mwh=1:15 "
                                      "--objective money.npv --tolerance 0.001 -q -o %s/batt-nm", t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    const char *c = strstr(out, "site.battery.energy_mwh=");
    double e = c ? atof(c + strlen("site.battery.energy_mwh=")) : NAN;
    double by_hand = 7 * 0.648 / sqrt(0.87) / 0.9;
    CHECK(fabs(e - by_hand) < 0.05, "Nelder-Mead sized the battery at %g MWh; by hand %.4f", e, by_hand);
}

TEST(optimize_keeps_to_its_constraints)
{
    /* tests/data/jit.cfg: full capacity comes on day 313 when the racks are ordered at 140 or before, and x - 140
     * days later after it; asking for full capacity on day 330 or later leaves the first feasible grid value,
     * 160, the best (the NPV falls past 140); asking for day 300 or sooner is impossible: said */
    const char *t = test_tmpdir();
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=0:400:10' "
                                          "--objective money.npv --constraint 'time_to_full_capacity_days>=330' -q -o %s/jit-con",
                         t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "chosen:     racks.orders.[0].offset_days=160\n");
    char path[600];
    snprintf(path, sizeof path, "%s/jit-con/optimize.csv", t);
    char *csv = read_text(path);
    CHECK(csv, "no %s", path);
    test_defer(free, csv);
    CHECK(strstr(csv, "\n15,150,2,") && strstr(strstr(csv, "\n15,150,2,"), ",0,323,"),
          "ordering at 150 (full capacity on day 323) is not marked infeasible: %.400s", csv);
    rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=0:400:10' "
                                      "--objective money.npv --constraint 'time_to_full_capacity_days<=300' -q -o %s/jit-con2", t);
    CHECK(rc == 1, "an impossible constraint: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "no feasible candidate among 41");
}

TEST(optimize_chooses_among_scenario_files_in_one_currency)
{
    /* --decide scenario=A.cfg,B.cfg: which site. The same site in EUR at 2 USD a euro: its NPV comes into the
     * study's dollars at that rate (the candidate's objective is twice its own run's mean), and the dollar site,
     * less costly in dollars, is chosen; a site in a currency with no rate is refused by name */
    const char *t = test_tmpdir();
    char out[8192], path[700], eur[700], gbp[700];
    snprintf(eur, sizeof eur, "%s/jit-eur.cfg", t);
    snprintf(gbp, sizeof gbp, "%s/jit-gbp.cfg", t);
    char cwd[512];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    /* jit.cfg's keys over the small site, included by its full path (an include is found from the top file) */
    char *jit = read_text("tests/data/jit.cfg");
    CHECK(jit, "no tests/data/jit.cfg");
    test_defer(free, jit);
    const char *keys = strstr(jit, "@include \"small_base.inc\"");
    CHECK(keys, "jit.cfg does not include small_base.inc");
    keys += strlen("@include \"small_base.inc\"");
    char text[6000];
    snprintf(text, sizeof text, "@include \"%s/tests/data/small_base.inc\"%s\ncurrency = \"EUR\";\n"
             "exchange = { usd_per_unit = 2.0; };\n", cwd, keys);
    CHECK(put_file(t, "jit-eur.cfg", text) == 0, "writing %s", eur);
    snprintf(text, sizeof text, "@include \"%s/tests/data/small_base.inc\"%s\ncurrency = \"GBP\";\n", cwd, keys);
    CHECK(put_file(t, "jit-gbp.cfg", text) == 0, "writing %s", gbp);
    int rc = gigasim_cmd(out, sizeof out, "run %s -n 2 -q -o %s/jit-eur-run && %s optimize tests/data/jit.cfg -n 2 "
                                          "--decide scenario=tests/data/jit.cfg,%s --objective money.npv -q -o %s/jit-sites",
                         eur, t, gigasim_bin(), eur, t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "chosen:     scenario=tests/data/jit.cfg\n");
    snprintf(path, sizeof path, "%s/jit-eur-run/summary.json", t);
    cJSON *sum = test_read_json(path);
    CHECK(sum, "no %s", path);
    double npv_eur = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sum, "money"), "npv"), "mean"));
    cJSON_Delete(sum);
    snprintf(path, sizeof path, "%s/jit-sites/optimize.json", t);
    cJSON *j = test_read_json(path);
    CHECK(j, "no %s", path);
    double as_usd = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "candidates"), 1), "objective"));
    cJSON_Delete(j);
    CHECK(fabs(as_usd - 2 * npv_eur) <= 1e-9 * fabs(as_usd), "the EUR site's NPV %.0f EUR came in as %.0f USD (x2 "
          "expected)", npv_eur, as_usd);
    rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide scenario=tests/data/jit.cfg,%s "
                                      "--objective money.npv -q -o %s/jit-sites-gbp", gbp, t);
    CHECK(rc == 1, "a site with no rate: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "its money is in GBP, the study's in USD");
}

TEST(optimize_refuses_bad_input_by_name)
{
    const char *t = test_tmpdir();
    static const char *const cases[][2] = {
        {"--decide racks.crewz=1:4 --objective money.npv", "racks.crewz"},
        {"--decide racks.crews=1:4 --objective money.npvv", "--objective money.npvv: no such metric; did you mean"},
        {"--decide racks.crews=4:1 --objective money.npv", "HIGH must be above LOW"},
        {"--decide racks.crews=1 --objective money.npv", "a choice needs at least two values"},
        {"--decide racks.crews=1:4 --objective money.npv:p95", "'p95' is not a statistic"},
        {"--decide racks.crews=1:4 --objective money.npv --constraint co2_t=5", "METRIC[:STAT]<=VALUE"},
        {"--decide racks.crews=1:4", "an --objective METRIC"},
        {"--decide racks.crews=1:1000:1 --objective money.npv", "more than --max-candidates 200"},
        {"--decide racks.crews=0:4 --objective money.npv", "--decide racks.crews=0"},
        {"--decide racks.crews=1:4 --objective money.npv --maximize --minimize", "not both"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[4096];
        int rc = gigasim_cmd(out, sizeof out, "optimize tests/data/small.cfg -n 2 %s -q -o %s/opt-bad-%zu", cases[i][0], t, i);
        CHECK(rc != 0 && rc < 128, "'%s' accepted or crashed (exit %d): %s", cases[i][0], rc, out);
        CHECK(strstr(out, cases[i][1]) != NULL, "'%s': the message does not say '%s': %s", cases[i][0], cases[i][1], out);
    }
}

TEST(optimize_report_says_the_decision)
{
    /* the report of an optimization: its decision page (the chosen decisions, the verdict, what it gains on the
     * scenario as written), every candidate, the search's chart; rendered in a browser when there is one */
    const char *t = test_tmpdir();
    char out[8192], dir[600];
    snprintf(dir, sizeof dir, "%s/jit-report", t);
    int rc = gigasim_cmd(out, sizeof out, "optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=100:180:20' "
                                          "--objective money.npv -q -o %s && %s plot -q %s && %s report -q %s",
                         dir, gigasim_bin(), dir, gigasim_bin(), dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    char path[700];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    static const char *const texts[] = {"Optimization of small test site", "racks.orders.[0].offset_days</code> = 140",
                                        "Separated from every other finalist", "Against the scenario as written",
                                        "Every candidate the search evaluated", NULL};
    for (const char *const *p = texts; *p; p++)
        CHECK(strstr(html, *p), "'%s' is not in the report", *p);
    if (report_chromium())
        report_check_rendered_all(dir, texts, 1);
}
