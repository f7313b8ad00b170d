/* The metric table (models/site/site.h, sim/app.h): every output figure is
 * declared once, with a unique name, a unit and a description; the delay
 * causes' metrics follow milestones.h's causes; and the README's output
 * reference is what `gigasim metrics` prints. */
#include <stdlib.h>

#include "models/buildout/milestones.h"
#include "models/site/site.h"
#include "test.h"

TEST(metric_table_names_are_unique_and_described)
{
    const sim_metric *mt = site_app.metrics;
    CHECK(site_app.n_metrics == M_N, "the app lists %zu metrics, the enum %d", site_app.n_metrics, M_N);
    for (size_t i = 0; i < M_N; i++) {
        CHECK(mt[i].name && *mt[i].name && mt[i].unit && mt[i].description && *mt[i].description,
              "metric %zu lacks a name, unit or description", i);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(mt[i].name, mt[j].name) != 0, "metrics %zu and %zu are both '%s'", j, i, mt[i].name);
        CHECK(sim_metric_find(mt, M_N, mt[i].name) == (int)i, "sim_metric_find('%s') is not %zu", mt[i].name, i);
    }
    CHECK(sim_metric_find(mt, M_N, "no_such_metric") == -1, "an unknown name was found");
    CHECK(mt[0].flags & SIM_METRIC_RANKING, "the sweep's default (the first ranking metric) is not first token");
    const size_t groups[3] = {M_CAUSE_FIRST_TOKEN, M_CAUSE_FULL, M_CAUSE_MEAN};
    for (int g = 0; g < 3; g++)
        for (int c = 0; c < N_CAUSES; c++) {
            const char *name = mt[groups[g] + (size_t)c].name, *dot = strrchr(name, '.');
            CHECK(dot && !strcmp(dot + 1, milestone_cause_names[c]), "metric '%s' is not cause '%s'", name,
                  milestone_cause_names[c]);
        }
}

TEST(readme_output_reference_is_the_metric_table)
{
    char *out = test_malloc(65536), cmd[600];
    snprintf(cmd, sizeof cmd, "%s metrics", gigasim_bin());
    int rc = run_cmd(cmd, out, 65536);
    CHECK(rc == 0, "gigasim metrics: exit %d", rc);
    char *readme = read_text("README.md");
    CHECK(readme, "cannot read README.md");
    test_defer(free, readme);
    const char *begin = strstr(readme, "<!-- metrics:begin -->\n"), *end = strstr(readme, "<!-- metrics:end -->");
    CHECK(begin && end && end > begin, "README.md lacks the <!-- metrics:begin --> ... <!-- metrics:end --> section");
    begin += strlen("<!-- metrics:begin -->\n");
    size_t n = (size_t)(end - begin);
    CHECK(n == strlen(out) && memcmp(begin, out, n) == 0,
          "README.md's output reference differs from `gigasim metrics` (run `make readme-metrics`)");
}
