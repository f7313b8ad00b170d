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
    /* Each generated scenario a property once failed on, rerun. Seed 2, index 11951 (scenario 2011957): its
     * 243 racks, placed in whichever ready hall had room, made 90 % capacity 68 days later when delivered
     * twice as fast (fixed: racks go to their planned hall); drawn before the halls' order was fixed, the same
     * seed gave 28 racks whose shorter phase made full capacity 46-50 days later (held by hand in
     * test_racks.c). Seed 1, index 2406: earlier deliveries took the crews (an anomaly of the crew pool, now
     * held with a crew per rack). Each with the SHA-256 of the scenario the generator gives for it: were the
     * generator changed, the seed would draw another scenario and this test would hold nothing; it fails
     * instead (find the scenarios again, or keep the old generator's draw for these). */
    static const char *const found[][2] = {
        {"--seed 2 --from 11951 --no-extras", "dd5bf24da4cc13ca5184685afc73a71907830bca665896d4253553f28a7c1040"},
        {"--seed 1 --from 2406 --no-extras", "827eabd43da7d9bd1ff6ddca5cff77c0da2f38accb3c1cac8d0a08a8d9f86879"},
        /* a plant raised to its minimum had what the grid gave back counted twice (test_dispatch.c) */
        {"--seed 4 --from 817 --no-calendar", "1847ea55abba7c8c5641dd2e4f3dd71774a95fa4a137ebdeb386fe063f059d52"},
    };
    char bin[600], cmd[1400], out[16384];
    proptest_bin(bin, sizeof bin);
    for (size_t i = 0; i < sizeof found / sizeof *found; i++) {
        snprintf(cmd, sizeof cmd, "%s %s --count 1 --quiet 2>&1", bin, found[i][0]);
        int rc = run_cmd(cmd, out, sizeof out);
        const char *line = strstr(out, "proptest: ");
        CHECK(rc == 0 && line && strstr(line, "1 ran") && strstr(line, "0 findings"), "%s: exit %d: %s", found[i][0], rc,
              out);
        snprintf(cmd, sizeof cmd, "%s %s --count 1 --quiet --show | sed -n '/^--- scenario/,/^--- end/p' | sha256sum",
                 bin, found[i][0]);
        rc = run_cmd(cmd, out, sizeof out);
        CHECK(rc == 0 && !strncmp(out, found[i][1], 64), "%s: the generator now draws another scenario (SHA-256 %.64s, "
              "was %s)", found[i][0], out, found[i][1]);
    }
}
