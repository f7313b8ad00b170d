/* racks (models/buildout/racks.h): in-service availability against
 * MTBF / (MTBF + MTTR), burn-in retries against N p / (1 - p). */
#include <stdlib.h>

#include "models/site/site.h"
#include "test.h"

TEST(racks_availability_is_mtbf_over_mtbf_plus_mttr)
{
    /* Ten racks, exponential time to failure (mean 10 d), 2-day repairs:
     * long-run share online = 10 / 12 (an alternating renewal process). */
    const char *sets[] = {"rack_types.r100.mtbf_days=10", "rack_types.r100.mttr_days=2", "sim.horizon_days=8000", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double sum = 0;
    size_t n = 0;
    for (size_t s = 1000; s < r.lay.n_steps; s++, n++)
        sum += site_series(&r, s, SERIES_GPUS_ONLINE);
    double fails = r.mt[M_SERVICE_FAILURES];
    site_run_free(&r);
    double share = sum / (double)n / 80.0;
    /* ~6,000 up/down cycles after day 1000: the SE of the share is ~0.003. */
    CHECK_NEAR(share, 10.0 / 12.0, 0.015, "time-average share of GPUs online");
    /* Failures over ~7,690 days x 10 racks at one per 12 days: ~6,400. */
    CHECK_NEAR(fails, 10 * (8000 - 300) / 12.0, 300, "failures in service");
}

TEST(burnin_retries_are_geometric)
{
    /* Each burn-in fails with p = 0.2 and is repeated: failures per rack are
     * geometric with mean p / (1 - p) = 0.25; 2,000 racks: 500, sd ~25. */
    const char *sets[] = {"racks.burnin_fail_prob=0.2", "racks.burnin_repair_days=1", "racks.orders.[0].count=2000",
                          "halls.h.it_capacity_mw=250", "racks.per_month=304.375", "racks.crews=50",
                          "site.grid.capacity_mw=300", "sim.horizon_days=800", NULL};
    sim_err err;
    site_run r;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double fails = r.mt[M_BURNIN_FAILURES], acc = r.mt[M_RACKS_ACCEPTED];
    site_run_free(&r);
    CHECK_NEAR(acc, 2000, 0, "racks accepted");
    CHECK_NEAR(fails, 500, 100, "burn-in failures (4 standard deviations)");
}
