/* The MPI build (make mpi) under mpirun -np 1, 2 and 3: run, compare, sweep
 * and sensitivity give the bytes of the threaded single-process run, and an
 * error is reported once with the exit status of one process. Runs when
 * the MPI binary ($GIGASIM_MPI, default build/mpi/gigasim) and mpirun are
 * there; must run when GIGASIM_REQUIRE_MPI=1 (CI sets it). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static const char *mpi_bin(void)
{
    const char *b = getenv("GIGASIM_MPI");
    return b && *b ? b : "build/mpi/gigasim";
}

static int mpi_available(void)
{
    char out[256];
    if (access(mpi_bin(), X_OK) != 0 || run_cmd("command -v mpirun", out, sizeof out) != 0) {
        const char *req = getenv("GIGASIM_REQUIRE_MPI");
        if (req && *req == '1')
            return -1;
        printf("     (no MPI build or mpirun: skipped; make mpi after apt-get install libopenmpi-dev openmpi-bin)\n");
        return 0;
    }
    return 1;
}

/* The mpirun command line for np ranks (root allowed: CI runs as root). */
static void mpirun(char *buf, size_t n, int np)
{
    snprintf(buf, n, "mpirun --allow-run-as-root --oversubscribe -np %d %s", np, mpi_bin());
}

TEST(mpi_any_rank_count_gives_the_threaded_bytes)
{
    int av = mpi_available();
    CHECK(av >= 0, "GIGASIM_REQUIRE_MPI=1 but %s or mpirun is missing", mpi_bin());
    if (!av)
        return;
    const char *t = test_tmpdir();
    char out[8192], cmd[8000], m[600];
    static const char *const jobs[][2] = {
        {"run", "run scenarios/eu-gigafactory-1gw.cfg -n 5 --set sim.horizon_days=1500 --set serving.enabled=false --format netcdf"},
        {"compare", "compare tests/data/small.cfg scenarios/turnkey-cloud.cfg -n 5"},
        {"sweep", "sweep tests/data/small.cfg -n 5 --vary racks.crews=1:3 --vary timeline.phases.grid.duration_days=150:250"},
        {"optimize", "optimize tests/data/small.cfg -n 3 --decide racks.crews=1:3:1 --decide 'racks.orders.[0].offset_days=0:60' "
                     "--objective time_to_full_capacity_days --max-candidates 40"},
        {"optimize-grid", "optimize tests/data/small.cfg -n 3 --decide racks.crews=1:4:1 --decide "
                          "'racks.orders.[0].offset_days=0:60:30' --objective money.npv"},
        {"sensitivity", "sensitivity tests/data/small.cfg -n 3 --samples 8 --vary timeline.phases.grid.duration_days=200:250 "
                        "--vary racks.crews=1:5"},
    };
    for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
        int rc = gigasim_cmd(out, sizeof out, "%s --threads 2 -o %s/mpi-%s-ref -q > %s/mpi-%s-ref.txt", jobs[j][1], t,
                             jobs[j][0], t, jobs[j][0]);
        CHECK(rc == 0, "%s without MPI: %s", jobs[j][0], out);
        for (int np = 1; np <= 3; np++) {
            mpirun(m, sizeof m, np);
            snprintf(cmd, sizeof cmd,
                     "%s %s --threads 1 -o %s/mpi-%s-%d -q > %s/mpi-%s-%d.txt 2>&1 && diff -r %s/mpi-%s-ref %s/mpi-%s-%d "
                     "&& cmp %s/mpi-%s-ref.txt %s/mpi-%s-%d.txt",
                     m, jobs[j][1], t, jobs[j][0], np, t, jobs[j][0], np, t, jobs[j][0], t, jobs[j][0], np, t, jobs[j][0],
                     t, jobs[j][0], np);
            rc = run_cmd(cmd, out, sizeof out);
            CHECK(rc == 0, "%s under mpirun -np %d differs from one process (exit %d): %s", jobs[j][0], np, rc, out);
        }
    }
    snprintf(cmd, sizeof cmd, "ls -d ${TMPDIR:-/tmp}/gigasim-rank-* 2>/dev/null | wc -l");
    run_cmd(cmd, out, sizeof out);
    CHECK(atoi(out) == 0, "ranks left their private directories behind: %s", out);
}

TEST(mpi_errors_once_with_one_exit_status)
{
    int av = mpi_available();
    CHECK(av >= 0, "GIGASIM_REQUIRE_MPI=1 but %s or mpirun is missing", mpi_bin());
    if (!av)
        return;
    char out[8192], cmd[2000], m[600];
    mpirun(m, sizeof m, 2);
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg --set site.grid.capacty_mw=5 -o %s/mpi-bad 2>&1", m,
             test_tmpdir());
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc != 0, "a bad scenario under mpirun: exit 0");
    CHECK_STR_CONTAINS(out, "unknown key 'site.grid.capacty_mw'");
    const char *first = strstr(out, "unknown key");
    CHECK(!strstr(first + 1, "unknown key"), "said more than once: %s", out);
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg --replications 0:2 -o %s/mpi-shard 2>&1", m, test_tmpdir());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc != 0 && strstr(out, "not under mpirun"), "a shard under mpirun: exit %d: %s", rc, out);
}

TEST(mpi_ranks_that_read_different_files_are_refused)
{
    /* Two ranks whose base scenario is found in different folders (GIGASIM_PATH per rank): the same command
     * line, other bytes. Every command refuses before running, naming the rank and the file; one that fails
     * to load on one rank only fails on all (no rank waits for the other), said once. */
    int av = mpi_available();
    CHECK(av >= 0, "GIGASIM_REQUIRE_MPI=1 but %s or mpirun is missing", mpi_bin());
    if (!av)
        return;
    const char *t = test_tmpdir();
    char out[8192], cmd[12000], cwd[3000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/mpi-a %s/mpi-b %s/mpi-s && "
             "printf 'name = \"b\";\\nbase = \"%s/tests/data/small.cfg\";\\nracks = { crews = 1; };\\n' > %s/mpi-a/b.cfg && "
             "printf 'name = \"b\";\\nbase = \"%s/tests/data/small.cfg\";\\nracks = { crews = 2; };\\n' > %s/mpi-b/b.cfg && "
             "printf 'name = \"v\";\\nbase = \"b.cfg\";\\n' > %s/mpi-s/v.cfg",
             t, t, t, cwd, t, cwd, t, t);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    static const char *const args[] = {"run %s/mpi-s/v.cfg -n 4", "sweep %s/mpi-s/v.cfg -n 2 --vary racks.crews=1:3",
                                       "compare %s/mpi-s/v.cfg tests/data/small.cfg -n 2"};
    for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
        char a[1000];
        snprintf(a, sizeof a, args[i], t);
        snprintf(cmd, sizeof cmd,
                 "mpirun --allow-run-as-root --oversubscribe -np 1 env GIGASIM_PATH=%s/mpi-a %s %s -o %s/mpi-diff -q : "
                 "-np 1 env GIGASIM_PATH=%s/mpi-b %s %s -o %s/mpi-diff -q 2>&1",
                 t, mpi_bin(), a, t, t, mpi_bin(), a, t);
        int rc = run_cmd(cmd, out, sizeof out);
        CHECK(rc != 0, "%s on ranks with different files: exit 0: %s", a, out);
        CHECK_STR_CONTAINS(out, "rank 1 did not load the job rank 0 loaded");
        CHECK_STR_CONTAINS(out, "mpi-a/b.cfg was read by rank 0 only");
        const char *first = strstr(out, "rank 1 did not");
        CHECK(!strstr(first + 1, "rank 1 did not"), "said more than once: %s", out);
        snprintf(cmd, sizeof cmd, "%s/mpi-diff", t);
        CHECK(access(cmd, F_OK) != 0, "%s: wrote %s", a, cmd);
    }
    /* the base on rank 1's path only: rank 0 cannot load it, rank 1 can */
    snprintf(cmd, sizeof cmd,
             "mpirun --allow-run-as-root --oversubscribe -np 1 env GIGASIM_PATH=/nonexistent %s run %s/mpi-s/v.cfg -n 2 "
             "-o %s/mpi-diff -q : -np 1 env GIGASIM_PATH=%s/mpi-b %s run %s/mpi-s/v.cfg -n 2 -o %s/mpi-diff -q 2>&1",
             mpi_bin(), t, t, t, mpi_bin(), t, t);
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc != 0, "a load that fails on rank 0 only: exit 0: %s", out);
    CHECK_STR_CONTAINS(out, "base \"b.cfg\"");
}

TEST(mpi_a_killed_ranks_scratch_is_removed_by_the_next_study)
{
    /* A rank's scratch folder whose lock nobody holds (its rank was killed) is removed when the next study's
     * rank makes its own; one whose lock is held (a study running) is left alone; a link named like one
     * is never followed. */
    int av = mpi_available();
    CHECK(av >= 0, "GIGASIM_REQUIRE_MPI=1 but %s or mpirun is missing", mpi_bin());
    if (!av)
        return;
    const char *t = test_tmpdir();
    char out[8192], cmd[6000];
    snprintf(cmd, sizeof cmd,
             "rm -rf %s/rank-tmp && mkdir -p %s/rank-tmp/gigasim-rank-dead01 %s/rank-tmp/gigasim-rank-live01 %s/rank-keep && "
             "touch %s/rank-tmp/gigasim-rank-dead01/.lock %s/rank-tmp/gigasim-rank-live01/.lock %s/rank-keep/precious && "
             "ln -s %s/rank-keep %s/rank-tmp/gigasim-rank-link01 && "
             "( flock %s/rank-tmp/gigasim-rank-live01/.lock -c 'while [ ! -e %s/rank-tmp/done ]; do sleep 0.05; done' & ) && "
             "until flock -n %s/rank-tmp/gigasim-rank-live01/.lock true; [ $? -eq 1 ]; do sleep 0.01; done && "
             "TMPDIR=%s/rank-tmp mpirun --allow-run-as-root --oversubscribe -np 2 %s sweep tests/data/small.cfg -n 2 "
             "--vary racks.crews=1:3 -o %s/rank-sweep -q 2>&1; touch %s/rank-tmp/done; ls -A %s/rank-tmp; ls %s/rank-keep",
             t, t, t, t, t, t, t, t, t, t, t, t, t, mpi_bin(), t, t, t, t);
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    CHECK(!strstr(out, "gigasim-rank-dead01"), "a killed rank's scratch is still there: %s", out);
    CHECK_STR_CONTAINS(out, "gigasim-rank-live01");
    CHECK_STR_CONTAINS(out, "gigasim-rank-link01");
    CHECK_STR_CONTAINS(out, "precious");
}
