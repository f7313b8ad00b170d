/* backtest (sim/study/backtest.h): quantiles, the band and the distance to
 * the uniform law by hand; bad tables refused with file, line and column;
 * the bundled table run end to end, each quantile checked against its
 * scenario's own replications, and its chart drawn. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "sim/study/backtest.h"
#include "sim/study/output.h"
#include "test.h"

/* The table `name` in the test's directory; its path into path. */
static int write_table(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", test_tmpdir(), name);
    return put_file(test_tmpdir(), name, text);
}

TEST(backtest_quantiles_and_band_by_hand)
{
    /* Replications 1, 2, ..., 9 days and one that never reached the milestone; day 0 is 1970-01-01.
     * Measured on day 10: q = 9 / 10 (the tenth is later than any date), P10 = 1.9, P90 beyond
     * the horizon (between 9 and never), inside. Measured on day 0: q = 0, outside. The quantiles
     * sorted (0, 0.9) against the uniform: D = max(1/2 - 0, 0 - 0, 1 - 0.9, 0.9 - 1/2) = 0.5. */
    char path[512];
    CHECK(write_table("hand.csv",
                      "# comment\nproject,scenario,milestone,measured_date,source\n"
                      "late,x.cfg,t_days,1970-01-11,A\nearly,x.cfg,t_days,1970-01-01,B\n",
                      path, sizeof path) == 0, "cannot write the table");
    sim_backtest bt;
    sim_err err;
    CHECK(sim_backtest_read(path, &bt, &err) == 0, "%s", err.msg);
    CHECK(bt.n == 2 && !strcmp(bt.rows[0].project, "late") && bt.rows[1].line == 4, "rows: %zu", bt.n);
    CHECK(bt.n_scenarios == 1 && bt.rows[1].run == 0, "one scenario for both rows: %zu, row 2's run %zu",
          bt.n_scenarios, bt.rows[1].run);
    static const sim_metric metric[] = {{"t_days", "days", "a milestone", SIM_METRIC_DAY}};
    double v[10] = {3, 1, 2, 9, 5, 4, 6, 8, 7, NAN};
    sim_study_run runs[2];
    memset(runs, 0, sizeof runs);
    for (int i = 0; i < 2; i++) {
        runs[i].lay.n_metrics = 1;
        runs[i].lay.metrics = metric;
        runs[i].lay.start_date_days = 0;
        runs[i].res.n_reps = 10;
        runs[i].res.metrics = v;
    }
    CHECK(sim_backtest_compute(&bt, path, runs, &err) == 0, "%s", err.msg);
    const sim_backtest_row *a = &bt.rows[0], *b = &bt.rows[1];
    CHECK_NEAR(a->m, 10, 0, "measured day");
    CHECK_NEAR(a->q, 0.9, 1e-15, "quantile of day 10");
    CHECK_NEAR(a->p10, 1.9, 1e-12, "P10");
    CHECK(isinf(a->p90) && a->inside, "P90 %g (want beyond the horizon), inside %d", a->p90, a->inside);
    CHECK_NEAR(a->reached, 0.9, 1e-15, "share reached");
    CHECK(b->q == 0 && !b->inside, "day 0: q %g, inside %d", b->q, b->inside);
    CHECK_NEAR(bt.inside_share, 0.5, 0, "share inside");
    CHECK_NEAR(bt.mean_q, 0.45, 1e-15, "mean quantile");
    CHECK_NEAR(bt.ks_uniform, 0.5, 1e-15, "Kolmogorov distance to the uniform");
    /* a milestone that is not counted in days, a run with no start date: refused with the row */
    static const sim_metric count[] = {{"t_days", "count", "not a day", 0}};
    runs[0].lay.metrics = count;
    CHECK(sim_backtest_compute(&bt, path, runs, &err) != 0, "a figure not in days was taken");
    CHECK_STR_CONTAINS(err.msg, "hand.csv:3: column milestone");
    runs[0].lay.metrics = metric;
    runs[0].lay.start_date_days = NAN;
    CHECK(sim_backtest_compute(&bt, path, runs, &err) != 0, "a run with no start date was taken");
    CHECK_STR_CONTAINS(err.msg, "sim.start_date");
}

TEST(backtest_refuses_bad_tables_by_file_line_and_column)
{
    static const char *const cases[][2] = {
        {"project,scenario,milestone,date,source\n", ":1: the header's column 4 is 'date'"},
        {"project,scenario,milestone,measured_date,source\na,x.cfg,t,2025-13-01,S\n", ":2: column measured_date"},
        {"project,scenario,milestone,measured_date,source\na,../x.cfg,t,2025-01-01,S\n", ":2: column scenario"},
        {"project,scenario,milestone,measured_date,source\na,x.cfg,t,2025-01-01\n", ":2: 4 columns, want 5"},
        {"project,scenario,milestone,measured_date,source\n\"a\",x.cfg,t,2025-01-01,S\n", ":2: column project"},
        {"project,scenario,milestone,measured_date,source\n", "no project"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512];
        CHECK(write_table("bad.csv", cases[i][0], path, sizeof path) == 0, "cannot write the table");
        sim_backtest bt;
        sim_err err;
        CHECK(sim_backtest_read(path, &bt, &err) != 0, "case %zu was taken", i);
        CHECK(strstr(err.msg, "bad.csv") && strstr(err.msg, cases[i][1]), "case %zu: '%s' (want '%s')", i, err.msg,
              cases[i][1]);
    }
}

/* The share of a run's replications (DIR/LABEL/replications.csv) whose figure is at or before day m. */
static double share_by(const char *dir, const char *label, const char *metric, double m, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/replications.csv", dir, label);
    char *text = read_text(path);
    if (!text)
        return NAN;
    int col = -1, c = 0;
    char *line = strtok(text, "\n");
    for (char *p = line, *f; (f = strsep(&p, ",")) != NULL; c++)
        if (!strcmp(f, metric))
            col = c;
    size_t k = 0, hit = 0;
    while (col >= 0 && (line = strtok(NULL, "\n")) != NULL) {
        c = 0;
        for (char *p = line, *f; (f = strsep(&p, ",")) != NULL; c++)
            if (c == col) {
                hit += *f && strtod(f, NULL) <= m;
                k++;
            }
    }
    free(text);
    *n = k;
    return col < 0 || k == 0 ? NAN : (double)hit / (double)k;
}

TEST(backtest_of_the_bundled_projects_end_to_end)
{
    /* A short slice of `make backtest`: each project's quantile is the share of its own
     * replications (its directory's replications.csv) at or before the measured day. */
    char dir[512], out[8192];
    snprintf(dir, sizeof dir, "%s/backtest", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out, "backtest scenarios/backtest/measured.csv -n 12 -o %s", dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "inside P10-P90");
    char path[600];
    snprintf(path, sizeof path, "%s/backtest.json", dir);
    cJSON *root = test_read_json(path);
    CHECK(root, "no %s", path);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "projects"), *p;
    snprintf(path, sizeof path, "%s/compare.json", dir);
    cJSON *cmp = test_read_json(path);
    const cJSON *scen = cmp ? cJSON_GetObjectItemCaseSensitive(cmp, "scenarios") : NULL;
    /* abilene.cfg serves two projects: run once */
    CHECK(cJSON_GetArraySize(scen) == 6, "%d scenarios run for 7 projects (6 distinct)", cJSON_GetArraySize(scen));
    int i = 0, inside = 0;
    cJSON_ArrayForEach(p, list)
    {
        i++;
        const char *label = cJSON_GetObjectItemCaseSensitive(p, "run")->valuestring;
        const char *ms = cJSON_GetObjectItemCaseSensitive(p, "milestone")->valuestring;
        double m = cJSON_GetObjectItemCaseSensitive(p, "measured_days")->valuedouble;
        double q = cJSON_GetObjectItemCaseSensitive(p, "quantile")->valuedouble;
        inside += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "inside_p10_p90"));
        size_t n = 0;
        double want = share_by(dir, label, ms, m, &n);
        CHECK(n == 12 && fabs(q - want) < 1e-12, "%s (%s): quantile %g, its replications say %g (%zu of them)", label,
              ms, q, want, n);
    }
    double share = sim_json_get_num(root, "inside_p10_p90_share", NAN);
    CHECK(i == 7 && fabs(share - inside / 7.0) < 1e-12, "%d projects, share inside %g (%d)", i, share, inside);
    cJSON_Delete(root);
    cJSON_Delete(cmp);
    rc = gigasim_cmd(out, sizeof out, "plot %s", dir);
    snprintf(path, sizeof path, "%s/compare_backtest.png", dir);
    CHECK(rc == 0 && access(path, F_OK) == 0, "the backtest chart was not drawn (exit %d): %s", rc, out);
    /* the report leads with the backtest's table and summary */
    rc = gigasim_cmd(out, sizeof out, "report %s", dir);
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = read_text(path);
    CHECK(rc == 0 && html, "no report (exit %d): %s", rc, out);
    const char *sec = strstr(html, "<section id=\"backtest\">"), *head = strstr(html, "<section id=\"headline\">");
    bool ok = sec && head && sec < head && strstr(sec, "Inside P10-P90") && strstr(sec, "Rainier first buildings") &&
              strstr(sec, "Colossus 1 (in-sample)");
    free(html);
    CHECK(ok, "the report has no backtest section before the headline figures, or misses a project");
}
