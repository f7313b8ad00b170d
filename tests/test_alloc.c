/* Allocation failures (sim_alloc_fail_at, sim/core/util.h): every allocation of
 * loading and running a site is made to fail in turn; each must end in an
 * "out of memory" error that says what the memory was for, never a crash, a hang or a success with missing
 * parts (and, under the sanitizer run in CI, never a leak). */
#include <stdlib.h>

#include "models/site/site.h"
#include "test.h"

/* Loads the small site with `sets` and runs one replication. */
static int load_and_run(const char *const *sets, sim_err *err)
{
    site_run r;
    int rc = site_run_small(sets, &r, err);
    if (rc == 0)
        site_run_free(&r);
    return rc;
}

static void every_failure(const char *what, const char *const *sets)
{
    sim_err err;
    sim_alloc_fail_at(0);
    long before = sim_alloc_count();
    CHECK(load_and_run(sets, &err) == 0, "%s: %s", what, err.msg);
    long total = sim_alloc_count() - before;
    CHECK(total > 10, "%s: only %ld allocations counted", what, total);
    for (long k = 1; k <= total; k++) {
        sim_alloc_fail_at(k);
        int rc = load_and_run(sets, &err);
        sim_alloc_fail_at(0);
        CHECK(rc != 0, "%s: allocation %ld of %ld failed and the run still succeeded", what, k, total);
        CHECK(strstr(err.msg, "out of memory"), "%s: allocation %ld of %ld failed with \"%s\"", what, k, total,
              err.msg);
        /* and says what the memory was for */
        CHECK(strstr(err.msg, " bytes for "), "%s: allocation %ld of %ld failed with \"%s\", which does not say what "
              "it was for", what, k, total, err.msg);
    }
    fprintf(stderr, "  %s: each of %ld allocations failed in turn, each reported\n", what, total);
}

TEST(every_allocation_failure_of_a_run_is_reported)
{
    every_failure("small site", NULL);
}

TEST(every_allocation_failure_with_serving_is_reported)
{
    const char *sets[] = {"serving.gpus_per_replica=8", "serving.prefill_tokens_per_s=1000", "serving.overhead_ms=50",
                          "serving.prompt_tokens=100", "serving.ttft_target_ms=2000",
                          "serving.demand.peak_requests_per_s=40", "serving.demand.growth_midpoint_day=-1000",
                          "serving.demand.growth_ramp_days=10", "serving.sample_every_days=30",
                          "serving.max_wait_ms=30000", "serving.demand.growth_anchor=\"day\"", "serving.law_requests=2000",
                          "serving.output_tokens=100", "serving.decode_tokens_per_s=50",
                          NULL};
    every_failure("small site with serving", sets);
}
