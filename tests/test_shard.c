/* Shards and merge (sim/study/shard.h): a run split into shards of any sizes,
 * merged in any order, gives the unsplit run's bytes; shards that are not of
 * one run, or do not cover it exactly once, are refused by name. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static int run_shard(const char *scenario, const char *range, const char *extra, const char *name, char *out, size_t n)
{
    return gigasim_cmd(out, n, "run %s --replications=%s %s -o %s/shards/%s -q", scenario, range, extra, test_tmpdir(),
                       name);
}

TEST(shards_merged_in_any_order_give_the_unsplit_bytes)
{
    char out[8192];
    const char *t = test_tmpdir();
    const char *s = "scenarios/eu-gigafactory-1gw.cfg";
    const char *set = "--set sim.horizon_days=1500 --set serving.enabled=false";
    int rc = gigasim_cmd(out, sizeof out, "run %s -n 7 %s -o %s/shards/whole -q", s, set, t);
    CHECK(rc == 0, "the whole run: %s", out);
    CHECK(run_shard(s, "0:2", set, "a", out, sizeof out) == 0, "shard a: %s", out);
    CHECK(run_shard(s, "2:4", set, "b", out, sizeof out) == 0, "shard b: %s", out);
    CHECK(run_shard(s, "6:1", set, "c", out, sizeof out) == 0, "shard c: %s", out);
    static const char *const orders[] = {"a b c", "c a b", "b c a"};
    for (int k = 0; k < 3; k++) {
        char list[600] = "";
        for (const char *p = orders[k]; *p; p++)
            if (*p != ' ')
                snprintf(list + strlen(list), sizeof list - strlen(list), " %s/shards/%c", t, *p);
        rc = gigasim_cmd(out, sizeof out, "merge%s -o %s/shards/merged%d -q", list, t, k);
        CHECK(rc == 0, "merge %s: %s", orders[k], out);
        char cmd[2000];
        snprintf(cmd, sizeof cmd,
                 "for f in summary.json series.csv replications.csv scenario.cfg; do cmp %s/shards/whole/$f "
                 "%s/shards/merged%d/$f || exit 9; done",
                 t, t, k);
        rc = run_cmd(cmd, out, sizeof out);
        CHECK(rc == 0, "merged in the order %s differs from the whole run: %s", orders[k], out);
    }
}

TEST(shards_that_are_not_one_run_are_refused)
{
    char out[8192];
    const char *t = test_tmpdir();
    const char *s = "tests/data/small.cfg";
    CHECK(run_shard(s, "0:3", "", "s0", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "3:3", "", "s1", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "7:2", "", "gap", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "2:3", "", "overlap", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "3:3", "--seed 99", "seed", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "3:3", "--set racks.crews=2", "other", out, sizeof out) == 0, "%s", out);
    CHECK(run_shard(s, "3:3", "", "cut", out, sizeof out) == 0, "%s", out);
    char cmd[1000];
    snprintf(cmd, sizeof cmd, "truncate -s 100 %s/shards/cut/shard.bin", t);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    struct { const char *shards; int rc; const char *want; } cases[] = {
        {"s0 s1 gap", 1, "replications 6 to 6 are in no shard"},
        {"s1", 1, "replications 0 to 2 are in no shard"},
        {"s0 overlap s1", 1, "both hold replications 2 to 2"},
        {"s0 seed", 1, "different seeds"},
        {"s0 other", 1, "are shards of different jobs: their resolved scenarios differ at line"},
        {"s0 cut", 1, "damaged or cut short"},
        {"s0 nowhere", 1, "is not a shard"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char list[600] = "";
        char copy[100];
        snprintf(copy, sizeof copy, "%s", cases[i].shards);
        for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
            snprintf(list + strlen(list), sizeof list - strlen(list), " %s/shards/%s", t, w);
        int rc = gigasim_cmd(out, sizeof out, "merge%s -o %s/shards/bad -q", list, t);
        CHECK(rc == cases[i].rc, "merge %s: exit %d, want %d: %s", cases[i].shards, rc, cases[i].rc, out);
        CHECK_STR_CONTAINS(out, cases[i].want);
        snprintf(cmd, sizeof cmd, "%s/shards/bad", t);
        CHECK(access(cmd, F_OK) != 0, "merge %s left %s behind", cases[i].shards, cmd);
    }
    int rc = gigasim_cmd(out, sizeof out, "merge %s/shards/s0", t);
    CHECK(rc == 2 && strstr(out, "needs -o DIR"), "merge without -o: exit %d: %s", rc, out);
    /* the merged run may not replace one of its shards: the shard is still whole afterwards */
    rc = gigasim_cmd(out, sizeof out, "merge %s/shards/s0 %s/shards/s1 -o %s/shards/s1/ -q", t, t, t);
    CHECK(rc == 1 && strstr(out, "the merged run goes into a directory of its own"), "merge into a shard: exit %d: %s",
          rc, out);
    snprintf(cmd, sizeof cmd, "%s/shards/s1/shard.bin", t);
    CHECK(access(cmd, F_OK) == 0, "the shard %s is gone", cmd);
    rc = gigasim_cmd(out, sizeof out, "compare %s %s --replications 0:2", s, s);
    CHECK(rc == 2 && strstr(out, "for run only"), "a shard of a comparison: exit %d: %s", rc, out);
}

TEST(shards_of_one_job_only_whatever_is_edited_between_or_after_them)
{
    /* A base edited between two shards: the shards are of different jobs, named by the file. A base edited
     * after both: the merge, which reads it again, refuses. A flipped byte of shard.bin (same size), an
     * edited scenario.cfg and a FIFO shard.json are refused by name; nothing is left behind. */
    char out[8192], cmd[6000], dir[700];
    const char *t = test_tmpdir();
    snprintf(dir, sizeof dir, "%s/edited", t);
    char cwd[3000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && printf 'name = \"base\";\nbase = \"%s/tests/data/small.cfg\";\nracks = { crews = 1; };\n' > %s/base.cfg && "
             "printf 'name = \"v\";\nbase = \"base.cfg\";\n' > %s/v.cfg",
             dir, cwd, dir, dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    CHECK(gigasim_cmd(out, sizeof out, "run %s/v.cfg --replications 0:2 -o %s/a -q", dir, dir) == 0, "%s", out);
    CHECK(gigasim_cmd(out, sizeof out, "run %s/v.cfg --replications 2:2 -o %s/b -q", dir, dir) == 0, "%s", out);
    snprintf(cmd, sizeof cmd, "sed -i 's/crews = 1/crews = 2/' %s/base.cfg", dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    CHECK(gigasim_cmd(out, sizeof out, "run %s/v.cfg --replications 2:2 -o %s/b2 -q", dir, dir) == 0, "%s", out);
    int rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/b2 -o %s/m -q", dir, dir, dir);
    CHECK(rc == 1, "shards of a base before and after an edit: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "are shards of different jobs: ");
    CHECK_STR_CONTAINS(out, "edited/base.cfg holds other bytes for ");
    rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/b -o %s/m -q", dir, dir, dir);
    CHECK(rc == 1, "shards of one job, the base edited since: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "edited/base.cfg changed after the shards were run");
    snprintf(cmd, sizeof cmd, "sed -i 's/crews = 2/crews = 1/' %s/base.cfg", dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/b -o %s/m -q", dir, dir, dir);
    CHECK(rc == 0, "the base restored: exit %d: %s", rc, out);
    /* a flipped byte in the data */
    snprintf(cmd, sizeof cmd, "cp -r %s/b %s/flip && printf 'X' | dd of=%s/flip/shard.bin bs=1 seek=9 conv=notrunc 2>/dev/null",
             dir, dir, dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/flip -o %s/m2 -q", dir, dir, dir);
    CHECK(rc == 1, "a flipped byte: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "flip/shard.bin: its SHA-256 is not the one its shard.json records: damaged");
    /* an edited resolved scenario */
    snprintf(cmd, sizeof cmd, "cp -r %s/b %s/tamper && sed -i 's/name = \"v\"/name = \"w\"/' %s/tamper/scenario.cfg", dir, dir, dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/tamper -o %s/m2 -q", dir, dir, dir);
    CHECK(rc == 1, "an edited scenario.cfg: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "tamper: its scenario.cfg or shard.json was changed after the shard was written");
    /* a FIFO in place of shard.json: refused at once, never waited on */
    snprintf(cmd, sizeof cmd, "cp -r %s/b %s/fifo && rm %s/fifo/shard.json && mkfifo %s/fifo/shard.json", dir, dir, dir, dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    rc = gigasim_cmd(out, sizeof out, "merge %s/a %s/fifo -o %s/m2 -q", dir, dir, dir);
    CHECK(rc == 1, "a FIFO shard.json: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "fifo/shard.json: not a regular file (a directory, a device or a pipe)");
    snprintf(cmd, sizeof cmd, "%s/m2", dir);
    CHECK(access(cmd, F_OK) != 0, "a refused merge left %s", cmd);
}

TEST(shards_of_a_large_job_array_merge)
{
    /* 40 shards of one replication each (more than a comparison's 32 scenarios): the whole run's bytes */
    char out[8192], cmd[4000];
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "B=$(readlink -f %s) && cd %s && $B run %s/tests/data/small.cfg -n 40 -o ja/whole -q && "
             "for i in $(seq 0 39); do $B run %s/tests/data/small.cfg --replications $i:1 -o ja/s$i -q || exit 8; done && "
             "$B merge $(for i in $(seq 39 -1 0); do echo ja/s$i; done) -o ja/merged -q && "
             "for f in summary.json series.csv replications.csv; do cmp ja/whole/$f ja/merged/$f || exit 9; done 2>&1",
             gigasim_bin(), t, getenv("PWD") ? getenv("PWD") : ".", getenv("PWD") ? getenv("PWD") : ".");
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "40 shards: exit %d: %s", rc, out);
}
