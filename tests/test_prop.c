/* A slice of the property harness (tests/prop/proptest.c; make proptest runs
 * it whole): generated scenarios run, balance their energy and money, never
 * make a milestone later when given more, keep what happened before a
 * shorter horizon, rerun from their resolved copy and on two threads to the
 * same numbers. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

TEST(prop_a_slice_of_generated_scenarios_holds_every_property)
{
    char bin[600], cmd[1400], out[16384];
    snprintf(bin, sizeof bin, "%s", gigasim_bin());
    char *slash = strrchr(bin, '/');
    if (slash)
        snprintf(slash + 1, sizeof bin - (size_t)(slash + 1 - bin), "proptest");
    else
        snprintf(bin, sizeof bin, "build/proptest");
    snprintf(cmd, sizeof cmd, "%s --count 60 --seed 20261206 --quiet 2>&1", bin);
    int rc = run_cmd(cmd, out, sizeof out);
    const char *line = strstr(out, "proptest: ");
    printf("     %.*s\n", line ? (int)strcspn(line, "\n") : 0, line ? line : "");
    CHECK(rc == 0, "the property harness found something (exit %d): %s", rc, out);
    CHECK(line && strstr(line, "0 findings"), "no summary: %s", out);
}
