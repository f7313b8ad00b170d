/* series.nc from a run in one process (sim/study/netcdf.h): the
 * replications go to the file in batches and series.csv is read back from
 * it; every other file is the bytes of the run without it. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/test.h"

TEST(netcdf_run_in_batches_writes_the_same_files)
{
    /* 200 replications of 2,000 daily steps: 13 series x 8 bytes x 2,000 = 208 KB each, 40 MiB in all: over
     * --series-memory 1, batches of five; series.csv read back one series at a
     * time in blocks of 366 steps (1 MiB / (200 x 8 bytes) = 655 steps, cut to whole chunks), six of them; under
     * the default 1,024 MiB kept in memory: the same series.nc */
    const char *t = test_tmpdir();
    char out[8192];
    int rc = gigasim_cmd(out, sizeof out,
                         "run tests/data/small.cfg -n 200 --set sim.horizon_days=2000 -q -o %s/nc-plain && "
                         "%s run tests/data/small.cfg -n 200 --set sim.horizon_days=2000 -q --format netcdf --series-memory 1 "
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

TEST(netcdf_run_in_batches_stops_whole_on_a_signal)
{
    /* SIGINT once the first batches are in the private directory's series.nc (waited for, not timed): the run
     * says which replications it was in, exits 130 and leaves neither its directory nor the private one */
    const char *t = test_tmpdir();
    char out[8192], cmd[4096], dir[600];
    snprintf(dir, sizeof dir, "%s/nc-intr", t);
    CHECK(mkdir(dir, 0777) == 0, "mkdir %s", dir);
    snprintf(cmd, sizeof cmd,
             "%s run scenarios/eu-gigafactory-1gw.cfg -n 5000 --threads 1 --format netcdf --series-memory 8 "
             "-o %s/nc-intr/run 2>&1 & p=$!; i=0; "
             "until [ \"$(stat -c %%s %s/nc-intr/.run.gigasim-tmp-*/series.nc 2>/dev/null || echo 0)\" -gt "
             "300000 ] || [ $i -ge 20000 ] || ! kill -0 $p 2>/dev/null; do sleep 0.05; i=$((i+1)); done; "
             "kill -INT $p; wait $p; echo \"exit=$?\"; ls -a %s/nc-intr",
             gigasim_bin(), t, t, t);
    run_cmd(cmd, out, sizeof out);
    CHECK_STR_CONTAINS(out, "exit=130");
    CHECK_STR_CONTAINS(out, "interrupted by SIGINT in replications ");
    CHECK_STR_CONTAINS(out, " of 5000: no output written");
    CHECK(!strstr(out, "gigasim-tmp") && !strstr(out, "\nrun\n"), "left behind:\n%s", out);
}
