/* A slice of the property harness (tests/prop/proptest.c; make proptest runs
 * it whole): generated scenarios run, balance their energy and money, never
 * make a milestone later when given more, keep what happened before a
 * shorter horizon, rerun from their resolved copy and on two threads to the
 * same numbers. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* The harness beside the gigasim binary the tests run. */
static void proptest_bin(char *bin, size_t n)
{
    snprintf(bin, n, "%s", gigasim_bin());
    char *slash = strrchr(bin, '/');
    if (slash)
        snprintf(slash + 1, n - (size_t)(slash + 1 - bin), "proptest");
    else
        snprintf(bin, n, "build/proptest");
}

TEST(prop_a_slice_of_generated_scenarios_holds_every_property)
{
    char bin[600], cmd[1400], out[16384];
    proptest_bin(bin, sizeof bin);
    snprintf(cmd, sizeof cmd, "%s --count 60 --seed 20261206 --quiet 2>&1", bin);
    int rc = run_cmd(cmd, out, sizeof out);
    const char *line = strstr(out, "proptest: ");
    printf("     %.*s\n", line ? (int)strcspn(line, "\n") : 0, line ? line : "");
    CHECK(rc == 0, "the property harness found something (exit %d): %s", rc, out);
    CHECK(line && strstr(line, "0 findings"), "no summary: %s", out);
}

TEST(prop_the_scenarios_it_found_false_now_hold)
{
    /* Each generated scenario a property once failed on, rerun: seed 2, index 11951 (scenario 2011957):
     * a liquid hall ready sooner filled with air racks and starved the liquid ones (a shorter phase made
     * full capacity 46-50 days later); with the halls' order (air halls first for air racks) and racks
     * placed in their planned hall, faster deliveries made 90 % capacity 68 days later no more. Seed 1,
     * index 2406: earlier deliveries take the crews (an anomaly of the crew pool, held with a crew per rack). */
    static const char *const found[] = {"--seed 2 --from 11951", "--seed 1 --from 2406"};
    char bin[600], cmd[1400], out[16384];
    proptest_bin(bin, sizeof bin);
    for (size_t i = 0; i < sizeof found / sizeof *found; i++) {
        snprintf(cmd, sizeof cmd, "%s %s --count 1 --quiet 2>&1", bin, found[i]);
        int rc = run_cmd(cmd, out, sizeof out);
        const char *line = strstr(out, "proptest: ");
        CHECK(rc == 0 && line && strstr(line, "1 ran") && strstr(line, "0 findings"), "%s: exit %d: %s", found[i], rc,
              out);
    }
}
