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
