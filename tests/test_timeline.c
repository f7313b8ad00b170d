/* timeline (models/buildout/timeline.h): the critical path by hand. */
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
#include "test.h"

/* tl from a scenario's text (no lint: the tests read only the timeline). */
static int tl_load(const char *text, timeline_config *tl, sim_err *err)
{
    sim_cfg *cfg = sim_cfg_load_string(text, "tl.cfg", ".", err);
    if (!cfg)
        return -1;
    int rc = timeline_load(cfg, tl, err);
    sim_cfg_free(cfg);
    return rc;
}

/* Each text refused by timeline_load, its message holding want[i]. */
static void check_refused(const char *const *bad, const char *const *want, int n)
{
    for (int i = 0; i < n; i++) {
        sim_err err;
        static timeline_config tl;
        CHECK(tl_load(bad[i], &tl, &err) != 0, "case %d was accepted", i);
        CHECK_STR_CONTAINS(err.msg, want[i]);
    }
}

TEST(timeline_critical_path_by_hand)
{
    const char *text =
        "timeline = { phases = (\n"
        " { name = \"a\"; duration_days = 5.0; },\n"
        " { name = \"d\"; after = [\"b\", \"c\"]; duration_days = 2.0; },\n"
        " { name = \"b\"; after = [\"a\"]; duration_days = 3.0; },\n"
        " { name = \"c\"; after = [\"a\"]; duration_days = 7.0; start_lag_days = 1.5; },\n"
        " { name = \"e\"; duration_days = 20.0; }\n"
        "); };\n";
    sim_err err;
    timeline_config tl;
    int rc = tl_load(text, &tl, &err);
    CHECK(rc == 0, "%s", err.msg);
    double dur[] = {5, 2, 3, 7, 20}, end[5];
    timeline_schedule(&tl, dur, end);
    /* a: 0-5; b: 5-8; c: 5+1.5 .. 13.5; d: after max(8, 13.5) -> 15.5; e: 0-20 */
    double want[] = {5, 15.5, 8, 13.5, 20};
    for (int i = 0; i < 5; i++)
        CHECK_NEAR(end[i], want[i], 1e-12, tl.phases[i].name);
}

/* A project choice (after_choice): its default, "start", a phase given
 * with --set, and an unknown phase refused. */
static int choice_end(const char *set, double *end_c, sim_err *err)
{
    const char *text = "timeline = { phases = (\n"
                       " { name = \"a\"; duration_days = 5.0; },\n"
                       " { name = \"b\"; duration_days = 9.0; },\n"
                       " { name = \"c\"; after_choice = { key = \"c_after\"; default = \"a\"; }; duration_days = 2.0; }\n"
                       "); };\n";
    sim_cfg *cfg = sim_cfg_load_string(text, "tl.cfg", ".", err);
    if (!cfg)
        return -1;
    if (set && sim_cfg_set(cfg, set, err)) {
        sim_cfg_free(cfg);
        return -1;
    }
    timeline_config tl;
    int rc = timeline_load(cfg, &tl, err);
    if (rc == 0)
        rc = sim_cfg_check_unused(cfg, err);
    sim_cfg_free(cfg);
    if (rc)
        return -1;
    double dur[] = {5, 9, 2}, end[3];
    timeline_schedule(&tl, dur, end);
    *end_c = end[timeline_find(&tl, "c")];
    return 0;
}

TEST(timeline_project_choice_by_hand)
{
    sim_err err;
    double e;
    CHECK(choice_end(NULL, &e, &err) == 0 && e == 7, "default (after a): c ends at %g, want 7 (%s)", e, err.msg);
    CHECK(choice_end("timeline.c_after=\"start\"", &e, &err) == 0 && e == 2, "start: c ends at %g, want 2", e);
    CHECK(choice_end("timeline.c_after=\"b\"", &e, &err) == 0 && e == 11, "after b: c ends at %g, want 11", e);
    CHECK(choice_end("timeline.c_after=\"z\"", &e, &err) != 0, "an unknown phase was accepted");
    CHECK_STR_CONTAINS(err.msg, "timeline.c_after: \"z\" is neither \"start\" nor a phase");
}

/* Replication rep of tl (seed 7): its phases' ends and the moves to a next site. */
static int sample_ends(const timeline_config *tl, uint64_t rep, double *end, double *moved, sim_err *err)
{
    sim_engine_opts eo = {7, rep, 0, 0};
    sim_engine *eng = sim_engine_new(&eo, err);
    if (!eng)
        return -1;
    timeline_sample(tl, eng, end, moved);
    sim_engine_free(eng);
    return 0;
}

/* Each share of count[0..n) over N replications within 4 sd of its law want[]. */
static void check_shares(const double *ends, const int *count, const double *want, int n, int N)
{
    for (int k = 0; k < n; k++) {
        double share = (double)count[k] / N, sd = sqrt(want[k] * (1 - want[k]) / N);
        CHECK(fabs(share - want[k]) < 4 * sd, "ends at %g: share %.4f, law %.4f (sd %.4f)", ends[k], share, want[k], sd);
    }
}

/* An outcome group: each attempt succeeds with probability 1/2, else it is withdrawn after 100 days and
 * reapplied for 50 days later, three attempts in all. Phase a (200 days) then ends at 200 (P 1/2), 350
 * (1/4), 500 (1/8) or never (1/8); b, 10 days after it. 20,000 replications each within 4 sd. */
TEST(timeline_outcome_attempts_by_their_law)
{
    const char *text = "timeline = { phases = (\n"
                       " { name = \"a\"; duration_days = 200.0; outcome = { success_probability = 0.5;\n"
                       "   withdrawn_after_days = 100.0; reapply_delay_days = 50.0; max_attempts = 3; }; },\n"
                       " { name = \"b\"; after = [\"a\"]; duration_days = 10.0; }\n"
                       "); };\n";
    sim_err err;
    static timeline_config tl;
    int rc = tl_load(text, &tl, &err);
    CHECK(rc == 0, "%s", err.msg);
    enum { N = 20000 };
    const double ends[4] = {200, 350, 500, TIMELINE_NEVER_DAYS}, want[4] = {0.5, 0.25, 0.125, 0.125};
    int count[4] = {0}, other = 0, b_wrong = 0;
    for (int rep = 0; rep < N; rep++) {
        double end[2];
        CHECK(sample_ends(&tl, (uint64_t)rep, end, NULL, &err) == 0, "%s", err.msg);
        int k = 0;
        while (k < 4 && end[0] != ends[k])
            k++;
        if (k == 4)
            other++;
        else
            count[k]++;
        b_wrong += end[1] != end[0] + 10;
    }
    CHECK(other == 0, "%d replications ended phase a elsewhere", other);
    CHECK(b_wrong == 0, "%d replications did not end b 10 days after a", b_wrong);
    check_shares(ends, count, want, 4, N);
}

/* A project that stops does not reapply (refused by name); the withdrawal time is required. */
TEST(timeline_outcome_refuses_what_would_not_take_effect)
{
    const char *bad[] = {
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5;\n"
        "  withdrawn_after_days = 10.0; then = \"stop\"; reapply_delay_days = 5.0; }; } ); };\n",
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5;\n"
        "  withdrawn_after_days = 10.0; then = \"stop\"; max_attempts = 2; }; } ); };\n",
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5; }; } ); };\n"};
    const char *want[] = {"timeline.phases.[0].outcome.reapply_delay_days: a project that stops does not reapply",
                          "timeline.phases.[0].outcome.max_attempts: a project that stops does not reapply",
                          "timeline.phases.[0].outcome.withdrawn_after_days"};
    check_refused(bad, want, 3);
}

/* The three-phase project of the pace test, with timeline.pace = pace (NULL: none), its second and third
 * phases of kind `kinds` and commissioning (or both `kinds` when it is "other"). */
static int paced_load(const char *pace, const char *kinds, timeline_config *tl, sim_err *err)
{
    char text[1024];
    snprintf(text, sizeof text,
             "timeline = { %s%s%s phases = (\n"
             " { name = \"permits\"; kind = \"permits\"; duration_days = 10.0; },\n"
             " { name = \"build\"; kind = \"%s\"; after = [\"permits\"]; duration_days = 100.0; },\n"
             " { name = \"commission\"; kind = \"%s\"; after = [\"build\"]; duration_days = 20.0; }\n"
             "); };\n",
             pace ? "pace = " : "", pace ? pace : "", pace ? ";" : "", kinds,
             strcmp(kinds, "other") ? "commissioning" : "other");
    return tl_load(text, tl, err);
}

TEST(timeline_pace_scales_the_builders_phases_together)
{
    /* Pace 0.5: the construction (100) and commissioning (20) halve, the permits (10) do not:
     * ends 10, 60, 70. */
    timeline_config tl;
    sim_err err;
    CHECK(paced_load("0.5", "construction", &tl, &err) == 0, "%s", err.msg);
    double end[3];
    CHECK(sample_ends(&tl, 0, end, NULL, &err) == 0, "%s", err.msg);
    CHECK_NEAR(end[0], 10, 1e-12, "permits: not the builder's");
    CHECK_NEAR(end[1], 60, 1e-12, "construction at half pace");
    CHECK_NEAR(end[2], 70, 1e-12, "commissioning at half pace");
    /* A drawn pace: one factor a replication for both phases; its median near 1 (lognormal P50 1, P90 2:
     * 400 replications, the sample median within 0.1). */
    CHECK(paced_load("{ dist = \"lognormal\"; p50 = 1.0; p90 = 2.0; }", "construction", &tl, &err) == 0, "%s",
          err.msg);
    double f[400];
    for (int k = 0; k < 400; k++) {
        CHECK(sample_ends(&tl, (uint64_t)k, end, NULL, &err) == 0, "%s", err.msg);
        f[k] = (end[1] - 10) / 100.0;
        CHECK_NEAR((end[2] - end[1]) / 20.0, f[k], 1e-9, "the same factor on both of the builder's phases");
        CHECK_NEAR(end[0], 10, 1e-12, "permits unpaced");
    }
    qsort(f, 400, sizeof *f, sim_cmp_double);
    CHECK_NEAR(0.5 * (f[199] + f[200]), 1.0, 0.1, "median pace");
    CHECK_NEAR(f[359], 2.0, 0.35, "P90 of the pace");
    /* Nothing to pace: refused by name. */
    CHECK(paced_load("0.5", "other", &tl, &err) != 0, "a pace with no construction or commissioning phase was taken");
    CHECK_STR_CONTAINS(err.msg, "timeline.pace");
}

/* Phase g (7 days) after a (a_days), in batches every 30 days from day 10, given on the phase or by a layer. */
static int batch_end(double a_days, bool layer, double *end_g, sim_err *err)
{
    char text[768];
    snprintf(text, sizeof text,
             "timeline = { %s phases = (\n"
             " { name = \"a\"; duration_days = %g; },\n"
             " { name = \"g\"; kind = \"grid_connection\"; after = [\"a\"]; duration_days = 7.0; %s }\n"
             "); };\n",
             layer ? "batches = { g = { first_day = 10.0; every_days = 30.0; }; };" : "", a_days,
             layer ? "" : "batches = { first_day = 10.0; every_days = 30.0; };");
    sim_cfg *cfg = sim_cfg_load_string(text, "tl.cfg", ".", err);
    if (!cfg)
        return -1;
    timeline_config tl;
    int rc = timeline_load(cfg, &tl, err);
    if (rc == 0)
        rc = sim_cfg_check_unused(cfg, err);
    sim_cfg_free(cfg);
    if (rc)
        return -1;
    double dur[] = {a_days, 7.0}, end[2];
    timeline_schedule(&tl, dur, end);
    *end_g = end[1];
    return 0;
}

TEST(timeline_batches_by_hand)
{
    /* Ready on day 5: the first batch (10), ends 17; ready on 12: the next (40), ends 47; ready on
     * the batch day itself (40): that batch, ends 47; the same from a layer's timeline.batches.g. */
    static const double a[] = {5, 12, 40, 70.5}, want[] = {17, 47, 47, 107};
    for (int layer = 0; layer < 2; layer++)
        for (size_t i = 0; i < sizeof a / sizeof *a; i++) {
            double g;
            sim_err err;
            CHECK(batch_end(a[i], layer, &g, &err) == 0, "%s", err.msg);
            char what[96];
            snprintf(what, sizeof what, "end of g ready on day %g (%s)", a[i], layer ? "layer" : "phase");
            CHECK_NEAR(g, want[i], 1e-12, what);
        }
    /* a batch with no cadence: refused by name */
    static const char *const bad[] = {
        "timeline = { phases = ( { name = \"g\"; duration_days = 7.0; batches = { first_day = 10.0; }; } ); };\n"};
    static const char *const why[] = {"every_days"};
    check_refused(bad, why, 1);
}

/* A request that moves on: never connected at the first site (withdrawn after 100 days), a 10-day move,
 * then site A (connects with P 1/2 after 50 days, else withdrawn after 30) and site B (P 1/4, 200 days).
 * Phase a ends at 160 (A: P 1/2, one move), 350 (B: 1/8, two moves) or never (3/8, two moves). 20,000
 * replications, each share within 4 sd; the moves by the site that connected. */
TEST(timeline_outcome_next_site_by_its_law)
{
    const char *text = "timeline = { phases = (\n"
                       " { name = \"a\"; duration_days = 400.0; outcome = { success_probability = 0.0;\n"
                       "   withdrawn_after_days = 100.0; reapply_delay_days = 10.0; then = \"next_site\";\n"
                       "   sites = ( { name = \"A\"; duration_days = 50.0; success_probability = 0.5;\n"
                       "               withdrawn_after_days = 30.0; },\n"
                       "             { name = \"B\"; duration_days = 200.0; success_probability = 0.25; } ); }; }\n"
                       "); };\n";
    sim_err err;
    static timeline_config tl;
    int rc = tl_load(text, &tl, &err);
    CHECK(rc == 0, "%s", err.msg);
    enum { N = 20000 };
    const double ends[3] = {160, 350, TIMELINE_NEVER_DAYS}, moves[3] = {1, 2, 2}, want[3] = {0.5, 0.125, 0.375};
    int count[3] = {0}, other = 0, wrong_moves = 0;
    for (int rep = 0; rep < N; rep++) {
        double end[1], moved = -1;
        CHECK(sample_ends(&tl, (uint64_t)rep, end, &moved, &err) == 0, "%s", err.msg);
        int k = 0;
        while (k < 3 && end[0] != ends[k])
            k++;
        if (k == 3)
            other++;
        else {
            count[k]++;
            wrong_moves += moved != moves[k];
        }
    }
    CHECK(other == 0 && wrong_moves == 0, "%d replications ended elsewhere, %d counted the wrong moves", other,
          wrong_moves);
    check_shares(ends, count, want, 3, N);
    /* what would not take effect is refused by name */
    const char *bad[] = {
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5;\n"
        "  withdrawn_after_days = 10.0; sites = ( { name = \"A\"; duration_days = 5.0; success_probability = 1.0; } ); }; } ); };\n",
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5;\n"
        "  withdrawn_after_days = 10.0; then = \"next_site\"; }; } ); };\n",
        "timeline = { phases = ( { name = \"a\"; duration_days = 1.0; outcome = { success_probability = 0.5;\n"
        "  withdrawn_after_days = 10.0; then = \"next_site\"; max_attempts = 2;\n"
        "  sites = ( { name = \"A\"; duration_days = 5.0; success_probability = 1.0; } ); }; } ); };\n"};
    const char *why[] = {"outcome.sites: sites are where a withdrawn request moves",
                         "then = \"next_site\" needs the list of sites", "outcome.max_attempts: a project that moves on"};
    check_refused(bad, why, 3);
}
