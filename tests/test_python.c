/* The Python module (python/gigasim, over build/libgigasim.so through ctypes):
 * the example script runs, a run's files from Python are the command line's
 * byte for byte, and an error is the command line's message. Debian's
 * python3 with python3-pandas; skipped without them unless
 * GIGASIM_REQUIRE_PYTHON=1 (CI sets it). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

/* Debian's python3 with pandas, and the shared library: 1; else 0 (said, or a failure when required). */
static int python_ready(void)
{
    int ok = access("build/libgigasim.so", R_OK) == 0 &&
             run_cmd("/usr/bin/python3 -c 'import pandas' 2>/dev/null", NULL, 0) == 0;
    if (!ok) {
        const char *req = getenv("GIGASIM_REQUIRE_PYTHON");
        if (req && *req == '1')
            return -1;
        printf("     (python3-pandas or build/libgigasim.so missing: the Python tests are skipped; make python)\n");
    }
    return ok;
}

#define PY "PYTHONPATH=python GIGASIM_LIB=build/libgigasim.so /usr/bin/python3"

TEST(python_example_runs)
{
    int ready = python_ready();
    CHECK(ready >= 0, "GIGASIM_REQUIRE_PYTHON=1 but python3-pandas or build/libgigasim.so is missing");
    if (!ready)
        return;
    char out[16384];
    int rc = run_cmd(PY " examples/quickstart.py tests/data/small.cfg 2>&1", out, sizeof out);
    CHECK(rc == 0, "examples/quickstart.py: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "small test site: first token P50");
    CHECK_STR_CONTAINS(out, "refused: --set: unknown key 'racks.crewz' (did you mean 'racks.crews'?)");
}

TEST(python_run_gives_the_command_lines_bytes)
{
    int ready = python_ready();
    CHECK(ready >= 0, "GIGASIM_REQUIRE_PYTHON=1 but python3-pandas or build/libgigasim.so is missing");
    if (!ready)
        return;
    char out[16384], cmd[4000];
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             PY " -c 'import gigasim; r = gigasim.run(\"tests/data/small.cfg\", replications=3, "
                "set={\"racks.crews\": 2, \"sim.start_date\": \"2026-01-01\"}); r.to_dir(\"%s/py-run\"); "
                "print(len(r.replications), r.figure(\"time_to_first_token_days\"), r.series.shape[0])' 2>&1 && "
                "%s run tests/data/small.cfg -n 3 --set racks.crews=2 --set 'sim.start_date=\"2026-01-01\"' -q -o %s/cli-run "
                "&& for f in summary.json replications.csv series.csv years.csv phases.csv scenario.cfg; do "
                "cmp %s/py-run/$f %s/cli-run/$f || exit 1; done",
             t, gigasim_bin(), t, t, t);
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "3 303 400"); /* 3 replications, first token on day 303, 400 daily rows */
}

TEST(python_module_finds_its_library_beside_it)
{
    /* As make install lays it out: the module and libgigasim.so in one folder, no GIGASIM_LIB. */
    int ready = python_ready();
    CHECK(ready >= 0, "GIGASIM_REQUIRE_PYTHON=1 but python3-pandas or build/libgigasim.so is missing");
    if (!ready)
        return;
    char out[4096], cmd[3000];
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/pkg/gigasim && cp python/gigasim/__init__.py build/libgigasim.so %s/pkg/gigasim/ && "
             "cd %s && env -u GIGASIM_LIB PYTHONPATH=%s/pkg /usr/bin/python3 -c 'import gigasim; print(gigasim.version(), "
             "len(gigasim.metrics()) > 50)' 2>&1",
             t, t, t, t);
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "0.1.0 True");
}

TEST(netcdf_holds_every_replication_as_xarray_reads_it)
{
    /* gigasim run --format netcdf: series.nc with every replication's series (xarray opens it, its medians are
     * series.csv's, its days are dates), the metrics with summary.json's P50, the same bytes for 1 and 2
     * threads and from Python; refused under a shard. */
    int ready = python_ready() && run_cmd("/usr/bin/python3 -c 'import xarray, netCDF4' 2>/dev/null", NULL, 0) == 0;
    const char *req = getenv("GIGASIM_REQUIRE_PYTHON");
    CHECK(ready || !(req && *req == '1'), "GIGASIM_REQUIRE_PYTHON=1 but python3-xarray or python3-netcdf4 is missing");
    if (!ready)
        return;
    char out[16384], cmd[6000];
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "%s run tests/data/small.cfg -n 4 --format netcdf --threads 1 -q -o %s/nc-1 --set 'sim.start_date=\"2026-01-01\"' && "
             "%s run tests/data/small.cfg -n 4 --format netcdf --threads 2 -q -o %s/nc-2 --set 'sim.start_date=\"2026-01-01\"' && "
             "cmp %s/nc-1/series.nc %s/nc-2/series.nc && "
             PY " -c 'import gigasim, xarray, pandas, json, numpy as np\n"
             "ds = xarray.open_dataset(\"%s/nc-1/series.nc\")\n"
             "s = pandas.read_csv(\"%s/nc-1/series.csv\")\n"
             "med = ds[\"facility_mw\"].quantile(0.5, dim=\"replication\").values\n"
             "worst = float(np.nanmax(np.abs(med - s[\"facility_mw\"].values) / (np.abs(med) + 1e-9)))\n"
             "p50 = json.load(open(\"%s/nc-1/summary.json\"))[\"time_to_first_token_days\"][\"p50\"]\n"
             "r = gigasim.run(\"tests/data/small.cfg\", replications=4, set={\"sim.start_date\": \"2026-01-01\"}, netcdf=True)\n"
             "r.to_netcdf(\"%s/nc-py.nc\")\n"
             "print(ds.sizes[\"replication\"], ds.sizes[\"day\"], str(ds.day.values[0])[:10], worst < 1e-9, ds[\"time_to_first_token_days\"].attrs[\"p50\"] == p50)' "
             "&& cmp %s/nc-1/series.nc %s/nc-py.nc 2>&1",
             gigasim_bin(), t, gigasim_bin(), t, t, t, t, t, t, t, t, t);
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "4 400 2026-01-02 True True");
    rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg --replications 0:2 --format netcdf -o %s/nc-shard", t);
    CHECK(rc == 2, "a shard with netcdf: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--format netcdf: not for a shard");
}
