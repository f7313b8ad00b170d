/* Monte Carlo summaries and comparisons: quantiles and confidence intervals
 * against known samples, common random numbers against independent seeds,
 * and the compare command's files end to end. */
#include <cjson/cJSON.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/site/site.h"
#include "sim/stats.h"
#include "test.h"

TEST(stats_quantiles_match_known_samples)
{
    /* 1..10: type 7 (R's default) gives P10 1.9, P50 5.5, P90 9.1; the 95 %
     * CI half-width is t(0.975, 9) x sd / sqrt(10) = 2.262157 x 3.0276504 /
     * 3.1622777 = 2.1658506. */
    double x[10], scratch[10];
    for (int i = 0; i < 10; i++)
        x[i] = 10 - i; /* unsorted on purpose */
    sim_summary s = sim_summarize(x, 10, 1, scratch);
    CHECK_NEAR(s.p10, 1.9, 1e-12, "P10 of 1..10");
    CHECK_NEAR(s.p50, 5.5, 1e-12, "P50 of 1..10");
    CHECK_NEAR(s.p90, 9.1, 1e-12, "P90 of 1..10");
    CHECK_NEAR(s.mean, 5.5, 1e-12, "mean of 1..10");
    CHECK_NEAR(s.ci95_half, 2.1658506, 1e-6, "95 % CI half-width of the mean of 1..10");
    /* Stride: every second value of {3, x, 1, x, 2, x}. */
    double y[] = {3, -100, 1, -100, 2, -100};
    s = sim_summarize(y, 3, 2, scratch);
    CHECK_NEAR(s.p50, 2, 0, "median with a stride");
    /* Not reached (NAN) sorts after every reached value: of {10, 20, NAN, NAN}
     * the P10 is 13, the P50 falls between 20 and "never": not reached. */
    double z[] = {10, NAN, 20, NAN};
    s = sim_summarize(z, 4, 1, scratch);
    CHECK_NEAR(s.p10, 13, 1e-12, "P10 with two unreached");
    CHECK(isnan(s.p50) && isnan(s.p90) && isnan(s.mean), "P50/P90/mean must be 'not reached', got %g/%g/%g", s.p50,
          s.p90, s.mean);
    CHECK(s.n_finite == 2, "n_finite %zu, want 2", s.n_finite);
    CHECK_NEAR(s.mean_reached, 15, 1e-12, "mean over the reached replications");
}

/* Time to first token of replications 0..n-1 of the Colossus-like scenario,
 * with one override, at a seed. */
static int ttft_reps(const char *set, uint64_t seed, int n, double *out, sim_err *err)
{
    const char *sets[] = {set, NULL};
    for (int i = 0; i < n; i++) {
        site_run r;
        if (site_run_file("scenarios/colossus-100k-h100.cfg", set ? sets : NULL, seed, (uint64_t)i, &r, err))
            return -1;
        out[i] = r.mt[M_TTFT_DAYS];
        site_run_free(&r);
        if (isnan(out[i]))
            return sim_errf(err, "replication %d did not reach first token", i);
    }
    return 0;
}

TEST(common_random_numbers_shrink_the_variance_of_paired_differences)
{
    /* B differs from A in one assumption: half the install crews. With the
     * same seed (common random numbers) replication i of A and B share every
     * draw, so Var(B_i - A_i) keeps only the effect of the crews; with
     * independent seeds it also carries all the noise of both runs. */
    enum { N = 60 };
    double a[N], b_crn[N], b_ind[N], d_crn[N], d_ind[N];
    sim_err err;
    CHECK(ttft_reps(NULL, 11, N, a, &err) == 0, "%s", err.msg);
    CHECK(ttft_reps("racks.crews=30", 11, N, b_crn, &err) == 0, "%s", err.msg);
    CHECK(ttft_reps("racks.crews=30", 977, N, b_ind, &err) == 0, "%s", err.msg);
    for (int i = 0; i < N; i++) {
        d_crn[i] = b_crn[i] - a[i];
        d_ind[i] = b_ind[i] - a[i];
    }
    double v_crn = gsl_stats_variance(d_crn, 1, N), v_ind = gsl_stats_variance(d_ind, 1, N);
    double m_crn = gsl_stats_mean(d_crn, 1, N), m_ind = gsl_stats_mean(d_ind, 1, N);
    fprintf(stderr, "  paired difference of first token (days): CRN mean %.3f var %.4f; independent mean %.3f var %.4f\n",
            m_crn, v_crn, m_ind, v_ind);
    /* The F ratio of two variances of 60 draws exceeds 2 by chance with
     * probability < 0.5 % if they were equal; we ask for a factor of 4. */
    CHECK(v_crn * 4 < v_ind, "CRN variance %g is not well below the independent-seed variance %g", v_crn, v_ind);
    CHECK(m_crn >= 0, "fewer crews made first token earlier on average (%g days)", m_crn);
}


static double json_num(const cJSON *root, const char *const *path)
{
    const cJSON *o = root;
    for (; *path && o; path++)
        o = cJSON_GetObjectItemCaseSensitive(o, *path);
    return cJSON_IsNumber(o) ? o->valuedouble : NAN;
}

/* Reads column `col` of replications.csv into v[0..n). */
static int read_rep_column(const char *path, const char *col, double *v, int n)
{
    char *text = read_text(path);
    if (!text)
        return -1;
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    int idx = -1, k = 0;
    char *s2 = NULL;
    for (char *tok = strtok_r(line, ",", &s2); tok; tok = strtok_r(NULL, ",", &s2), k++)
        if (!strcmp(tok, col))
            idx = k;
    int rows = 0;
    while (idx >= 0 && rows < n && (line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *p = line;
        for (int c = 0; c < idx && p; c++) {
            p = strchr(p, ',');
            if (p)
                p++;
        }
        v[rows++] = p && *p && *p != ',' ? strtod(p, NULL) : NAN;
    }
    free(text);
    return idx >= 0 && rows == n ? 0 : -1;
}

TEST(compare_writes_paired_differences_of_the_same_replications)
{
    char dir[512], out[8192], path[700];
    snprintf(dir, sizeof dir, "%s/cmp", test_tmpdir());
    /* --set applies to both: the same scenario twice must differ by exactly 0. */
    int rc = gigasim_cmd(out, sizeof out,
                         "compare scenarios/colossus-100k-h100.cfg scenarios/colossus-100k-h100.cfg -n 6 --seed 5 "
                         "--set racks.crews=30 -o %s --quiet",
                         dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "colossus-100k-h100-2 - base");
    snprintf(path, sizeof path, "%s/compare.json", dir);
    cJSON *root = test_read_json(path);
    CHECK(root, "no compare.json, or not JSON");
    const char *p50[] = {"paired_difference", "colossus-100k-h100-2_minus_colossus-100k-h100",
                         "time_to_first_token_days", "p90", NULL};
    double d = json_num(root, p50);
    cJSON_Delete(root);
    CHECK_NEAR(d, 0, 0, "P90 of the paired difference of a scenario with itself");

    /* Two different scenarios: the paired difference's mean equals the mean
     * of the per-replication differences in the two replications.csv files. */
    rc = gigasim_cmd(out, sizeof out,
                     "compare scenarios/colossus-100k-h100.cfg scenarios/turnkey-cloud.cfg -n 5 --seed 9 -o %s --quiet",
                     dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    double a[5], b[5];
    snprintf(path, sizeof path, "%s/colossus-100k-h100/replications.csv", dir);
    CHECK(read_rep_column(path, "time_to_first_token_days", a, 5) == 0, "cannot read %s", path);
    snprintf(path, sizeof path, "%s/turnkey-cloud/replications.csv", dir);
    CHECK(read_rep_column(path, "time_to_first_token_days", b, 5) == 0, "cannot read %s", path);
    double want = 0;
    for (int i = 0; i < 5; i++)
        want += (b[i] - a[i]) / 5;
    snprintf(path, sizeof path, "%s/compare.json", dir);
    root = test_read_json(path);
    CHECK(root, "no compare.json, or not JSON");
    const char *mean[] = {"paired_difference", "turnkey-cloud_minus_colossus-100k-h100", "time_to_first_token_days",
                          "mean", NULL};
    const char *seed[] = {"seed", NULL};
    d = json_num(root, mean);
    double sd = json_num(root, seed);
    cJSON_Delete(root);
    CHECK_NEAR(d, want, 1e-6 * fabs(want), "mean paired difference vs the replications.csv files");
    CHECK_NEAR(sd, 9, 0, "seed in compare.json");
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    char *csv = read_text(path);
    CHECK(csv, "no compare.csv");
    int ok = strstr(csv, "metric,scenario,mean,p10,p50,p90,diff_mean,diff_p10,diff_p50,diff_p90\n") != NULL &&
             strstr(csv, "\ntime_to_first_token_days,turnkey-cloud,") != NULL;
    free(csv);
    CHECK(ok, "compare.csv lacks its header or a row");
}

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
