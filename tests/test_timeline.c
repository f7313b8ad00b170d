/* timeline (models/buildout/timeline.h): the critical path by hand. */
#include "models/site/site.h"
#include "test.h"

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
    sim_cfg *cfg = sim_cfg_load_string(text, "tl.cfg", ".", &err);
    CHECK(cfg, "%s", err.msg);
    timeline_config tl;
    int rc = timeline_load(cfg, &tl, &err);
    sim_cfg_free(cfg);
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
