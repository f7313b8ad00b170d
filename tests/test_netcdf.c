/* series.nc from a run in one process (sim/study/netcdf.h): the
 * replications go to the file in batches and series.csv is read back from
 * it; every other file is the bytes of the run without it. */
#include <stdio.h>

#include "tests/test.h"

TEST(netcdf_run_in_batches_writes_the_same_files)
{
    /* 200 replications of 2,000 daily steps: 13 series x 8 bytes x 2,000 = 208 KB each, 40 MiB in all: over
     * --series-memory 16, three batches of 80; series.csv read back from the file in blocks of whole chunks; under
     * the default 1,024 MiB kept in memory: the same series.nc */
    const char *t = test_tmpdir();
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out,
                         "run tests/data/small.cfg -n 200 --set sim.horizon_days=2000 -q -o %s/nc-plain && "
                         "%s run tests/data/small.cfg -n 200 --set sim.horizon_days=2000 -q --format netcdf --series-memory 16 "
                         "-o %s/nc-batched && "
                         "%s run tests/data/small.cfg -n 200 --set sim.horizon_days=2000 -q --format netcdf -o %s/nc-kept && "
                         "cmp %s/nc-batched/series.nc %s/nc-kept/series.nc && "
                         "for f in series.csv summary.json replications.csv scenario.cfg; do "
                         "cmp %s/nc-plain/$f %s/nc-batched/$f || exit 1; done && test -s %s/nc-batched/series.nc && "
                         "! test -e %s/nc-plain/series.nc",
                         t, gigasim_bin(), t, gigasim_bin(), t, t, t, t, t, t, t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 2 --series-memory 64 -q -o %s/nc-refused", t);
    CHECK(rc == 2, "--series-memory without --format netcdf: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--series-memory takes effect only with --format netcdf");
}
