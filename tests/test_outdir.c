/* outdir (sim/study/outdir.h): a run, a comparison and a sweep killed at every
 * crash point (each file made durable, each rename) leave their directory
 * holding exactly one whole result, the old or the new; the next writer
 * clears what a killed one left; a second writer is locked out; a
 * directory holding a user's file, '.', and an over-long path are refused. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "test.h"

/* Lines in a file (0 if absent). */
static int lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* "replications": N of a JSON file (-1 if absent). */
static int json_reps(const char *path)
{
    char *t = read_text(path);
    const char *p = t ? strstr(t, "\"replications\":") : NULL;
    int n = p ? atoi(p + strlen("\"replications\":")) : -1;
    free(t);
    return n;
}

/* A run directory is whole: its four files, and as many replication rows as its summary says. */
static int run_whole(const char *dir)
{
    char p[700];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    int reps = json_reps(p);
    snprintf(p, sizeof p, "%s/replications.csv", dir);
    int rows = lines(p) - 1;
    snprintf(p, sizeof p, "%s/series.csv", dir);
    int series = lines(p);
    snprintf(p, sizeof p, "%s/scenario.cfg", dir);
    return reps > 0 && rows == reps && series > 1 && access(p, F_OK) == 0 ? reps : -1;
}

/* Nothing but DIR's own lock and DIR in its parent (no private directory left). */
static int leftovers(const char *parent)
{
    DIR *d = opendir(parent);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".gigasim-tmp-") != NULL;
    if (d)
        closedir(d);
    return n;
}

typedef int (*whole_fn)(const char *dir);

static int compare_whole(const char *dir)
{
    char p[700];
    snprintf(p, sizeof p, "%s/compare.json", dir);
    int reps = json_reps(p);
    snprintf(p, sizeof p, "%s/small", dir);
    int a = run_whole(p);
    snprintf(p, sizeof p, "%s/mixed_power", dir);
    int b = run_whole(p);
    snprintf(p, sizeof p, "%s/compare.csv", dir);
    return reps > 0 && a == reps && b == reps && lines(p) > 1 ? reps : -1;
}

static int sweep_whole(const char *dir)
{
    char p[700];
    snprintf(p, sizeof p, "%s/sweep.json", dir);
    int reps = json_reps(p);
    snprintf(p, sizeof p, "%s/sweep.csv", dir);
    return reps > 0 && lines(p) == 2 ? reps : -1; /* the header and the one key */
}

/* A sensitivity study is whole: its JSON's replications, every point's row and every index's. */
static int sensitivity_whole(const char *dir)
{
    char p[700];
    snprintf(p, sizeof p, "%s/sensitivity.json", dir);
    int reps = json_reps(p);
    snprintf(p, sizeof p, "%s/points.csv", dir);
    int pts = lines(p);
    snprintf(p, sizeof p, "%s/sensitivity.csv", dir);
    return reps > 0 && pts == 1 + 4 * 3 && lines(p) == 1 + 6 ? reps : -1; /* N (k + 2) points; 6 figures x 1 input */
}

/* A shard is whole: its count, and a data file of that many replications' metrics and series. */
static int shard_whole(const char *dir)
{
    char p[700];
    snprintf(p, sizeof p, "%s/shard.json", dir);
    char *t = read_text(p);
    const char *c = t ? strstr(t, "\"count\":") : NULL;
    int n = c ? atoi(c + strlen("\"count\":")) : -1;
    free(t);
    snprintf(p, sizeof p, "%s/shard.bin", dir);
    FILE *f = fopen(p, "rb");
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (f)
        fclose(f);
    snprintf(p, sizeof p, "%s/scenario.cfg", dir);
    return n > 0 && size > 0 && size % n == 0 && access(p, F_OK) == 0 ? n : -1;
}

/* Writes `old` replications whole, then kills `cmd` with `new` at crash point 1, 2, ...
 * until it completes: after every kill the directory holds the old or the new result. */
static void kill_at_every_point(const char *what, const char *fmt, whole_fn whole, const char *dir)
{
    char out[4096], cmd[3000];
    snprintf(cmd, sizeof cmd, fmt, 2, dir);
    int rc = gigasim_cmd(out, sizeof out, "%s --quiet", cmd);
    CHECK(rc == 0, "%s: first write: exit %d: %s", what, rc, out);
    CHECK(whole(dir) == 2, "%s: the first write is not whole", what);
    snprintf(cmd, sizeof cmd, fmt, 3, dir);
    int k;
    for (k = 1; k < 60; k++) {
        char full[4096];
        snprintf(full, sizeof full, "GIGASIM_CRASH_AT=%d %s %s --quiet 2>&1", k, gigasim_bin(), cmd);
        rc = run_cmd(full, out, sizeof out);
        int got = whole(dir);
        if (rc == 0) {
            CHECK(got == 3, "%s: completed after %d crash points, but the directory holds %d replications", what,
                  k - 1, got);
            break;
        }
        CHECK(rc == -1 || rc == 137, "%s: crash point %d: exit %d, not killed: %s", what, k, rc, out);
        CHECK(got == 2 || got == 3, "%s: killed at crash point %d: the directory holds no whole result (%d)", what,
              k, got);
    }
    CHECK(k > 3 && k < 60, "%s: %d crash points", what, k - 1);
    fprintf(stderr, "  %s: killed at each of %d points, whole every time\n", what, k - 1);
    char parent[600];
    snprintf(parent, sizeof parent, "%s", dir);
    *strrchr(parent, '/') = '\0';
    CHECK(leftovers(parent) == 0, "%s: a private directory was left after a completed write", what);
}

TEST(outdir_run_compare_sweep_sensitivity_and_shard_survive_a_kill_at_every_point)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/crash-run", test_tmpdir());
    kill_at_every_point("run", "run tests/data/small.cfg -n %d -o %s", run_whole, dir);
    snprintf(dir, sizeof dir, "%s/crash-compare", test_tmpdir());
    kill_at_every_point("compare", "compare tests/data/small.cfg tests/data/mixed_power.cfg -n %d -o %s",
                        compare_whole, dir);
    snprintf(dir, sizeof dir, "%s/crash-sweep", test_tmpdir());
    kill_at_every_point("sweep", "sweep tests/data/small.cfg -n %d --vary racks.crews=1:2 -o %s", sweep_whole, dir);
    if (test_failed_now())
        return;
    snprintf(dir, sizeof dir, "%s/crash-sensitivity", test_tmpdir());
    kill_at_every_point("sensitivity", "sensitivity tests/data/small.cfg -n %d --samples 4 --only-vary --vary racks.crews=1:2 -o %s",
                        sensitivity_whole, dir);
    if (test_failed_now())
        return;
    snprintf(dir, sizeof dir, "%s/crash-shard", test_tmpdir());
    kill_at_every_point("shard", "run tests/data/small.cfg --replications 0:%d -o %s", shard_whole, dir);
}

TEST(outdir_refuses_a_users_directory_a_second_writer_and_long_paths)
{
    char out[8192], dir[600], path[1400];
    /* '.' and a directory with a user's file. */
    int rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 1 -o . --quiet");
    CHECK(rc == 1, "-o .: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "name a new directory for the output, not '.'");
    snprintf(dir, sizeof dir, "%s/users", test_tmpdir());
    snprintf(path, sizeof path, "mkdir -p %s && echo mine > %s/scenario.cfg", dir, dir);
    CHECK(run_cmd(path, NULL, 0) == 0, "cannot prepare %s", dir);
    rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 1 -o %s --quiet", dir);
    CHECK(rc == 1, "a directory holding a user's scenario.cfg: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "which gigasim did not write");
    snprintf(path, sizeof path, "%s/scenario.cfg", dir);
    char *t = read_text(path);
    int same = t && !strcmp(t, "mine\n");
    free(t);
    CHECK(same, "the user's scenario.cfg was changed");
    /* A second writer while the lock is held. */
    snprintf(dir, sizeof dir, "%s/locked", test_tmpdir());
    snprintf(path, sizeof path, "%s/.locked.gigasim-lock", test_tmpdir());
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0, "cannot hold %s", path);
    rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 1 -o %s --quiet", dir);
    close(fd);
    CHECK(rc == 1, "a second writer: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "another gigasim is writing it");
    CHECK(access(dir, F_OK) != 0, "the locked-out writer created %s", dir);
    /* A path longer than the limit is refused, not truncated. */
    char longdir[5000];
    int n = snprintf(longdir, sizeof longdir, "%s/", test_tmpdir());
    while (n < 4085)
        longdir[n++] = 'd';
    longdir[n] = '\0';
    char cmd[6000];
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg -n 1 -o %s --quiet 2>&1", gigasim_bin(), longdir);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a 4,085-character -o: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "an output directory path of 1 to 3600 characters is needed");
}

/* Runs `env gigasim args` in the background (its output in OUT), waits
 * until the shell condition `ready` holds (it may use $p, the process, and
 * $OUT) -- a condition, never a fixed time -- then sends it `sig`, and
 * appends its output and exit status as "rc=N" to out. A process that never
 * gets ready within two minutes is killed and "never ready" said. */
static int signal_when(const char *env, const char *args, const char *ready, const char *sig, char *out, size_t n)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "OUT=$(mktemp %s/sig-XXXXXX); %s %s %s > $OUT 2>&1 & p=$!; i=0; "
             "until %s; do i=$((i+1)); if [ $i -gt 12000 ] || ! kill -0 $p 2>/dev/null; then echo never ready; break; fi; "
             "sleep 0.01; done; kill -%s $p; wait $p; r=$?; cat $OUT; echo rc=$r",
             test_tmpdir(), env, gigasim_bin(), args, ready, sig);
    return run_cmd(cmd, out, n);
}

/* The condition: the process catches SIGINT (its handlers are installed). */
#define HANDLERS_IN "m=$(awk '/^SigCgt/ {print $2}' /proc/$p/status 2>/dev/null); [ -n \"$m\" ] && [ $((0x$m & 2)) -ne 0 ]"

TEST(plot_stops_and_reaps_gnuplot_on_sigterm_and_stdout_is_checked)
{
    /* A gnuplot that hangs (a stand-in in PATH): SIGTERM to gigasim stops it, reaps it, exits
     * 143 with the true message. A comparison whose table cannot be printed fails. */
    char dir[600], out[4096], cmd[3000];
    snprintf(dir, sizeof dir, "%s/plot-term", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 2 -o %s --quiet", dir);
    CHECK(rc == 0, "run: exit %d: %s", rc, out);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/fakebin && printf '#!/bin/sh\\ntouch %s/gnuplot-started\\nexec sleep 31.25\\n' > "
             "%s/fakebin/gnuplot && chmod +x %s/fakebin/gnuplot",
             test_tmpdir(), test_tmpdir(), test_tmpdir(), test_tmpdir());
    CHECK(run_cmd(cmd, NULL, 0) == 0, "cannot make the stand-in gnuplot");
    char env[700], args[800];
    snprintf(env, sizeof env, "PATH=%s/fakebin:$PATH", test_tmpdir());
    snprintf(args, sizeof args, "plot %s", dir);
    char started[800];
    snprintf(started, sizeof started, "[ -e %s/gnuplot-started ]", test_tmpdir());
    snprintf(cmd, sizeof cmd, "rm -f %s/gnuplot-started", test_tmpdir());
    run_cmd(cmd, NULL, 0);
    rc = signal_when(env, args, started, "TERM", out, sizeof out);
    CHECK(rc == 0, "shell: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "interrupted by SIGTERM while drawing");
    CHECK_STR_CONTAINS(out, "rc=143");
    /* No stand-in left running (read from /proc: no procps needed). */
    rc = run_cmd("for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done 2>/dev/null | "
                 "grep -q '^sleep 31.25' && echo child-left || echo child-reaped",
                 out, sizeof out);
    CHECK_STR_CONTAINS(out, "child-reaped");
    /* report, whose charts gnuplot draws: stopped the same way, it says no report was written and leaves no
     * temporary page or chart directory behind */
    snprintf(env, sizeof env, "PATH=%s/fakebin:$PATH TMPDIR=%s/report-tmp", test_tmpdir(), test_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p %s/report-tmp", test_tmpdir());
    CHECK(run_cmd(cmd, NULL, 0) == 0, "%s", cmd);
    snprintf(args, sizeof args, "report %s", dir);
    snprintf(cmd, sizeof cmd, "rm -f %s/gnuplot-started", test_tmpdir());
    run_cmd(cmd, NULL, 0);
    rc = signal_when(env, args, started, "TERM", out, sizeof out);
    CHECK(rc == 0, "shell: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "interrupted by SIGTERM while writing");
    CHECK_STR_CONTAINS(out, "no report written");
    CHECK_STR_CONTAINS(out, "rc=143");
    snprintf(cmd, sizeof cmd, "ls -A %s/report-tmp; ls -A %s | grep -c report", test_tmpdir(), dir);
    run_cmd(cmd, out, sizeof out);
    CHECK(!strcmp(out, "0\n"), "left behind (temporary charts, then the count of report files): %s", out);
    snprintf(cmd, sizeof cmd, "%s compare tests/data/small.cfg tests/data/mixed_power.cfg -n 2 -o %s/full --quiet "
             "2>&1 >/dev/full", gigasim_bin(), test_tmpdir());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "compare > /dev/full: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "cannot write to standard output");
}

TEST(one_long_replication_stops_on_sigint)
{
    /* One replication of a century (~2 s): SIGINT once it has begun (its progress line says so) stops it
     * inside the replication (the engine checks every 65,536 events), exit 130, nothing written. */
    char dir[600], out[4096];
    snprintf(dir, sizeof dir, "%s/long", test_tmpdir());
    char args[1000];
    snprintf(args, sizeof args,
             "run scenarios/eu-gigafactory-1gw.cfg -n 1 --threads 1 --set sim.horizon_days=36525 "
             "--set sim.max_events=1000000000 -o %s", dir);
    int rc = signal_when("", args, "grep -q 'replication(s), seed' $OUT", "INT", out, sizeof out);
    CHECK(rc == 0, "shell: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "rc=130");
    CHECK_STR_CONTAINS(out, "interrupted by SIGINT after 0 of 1 replications: no output written");
    CHECK(access(dir, F_OK) != 0, "an interrupted run left %s", dir);
}

TEST(a_slow_scenario_load_reports_the_interrupt)
{
    /* libconfig's parse cannot be stopped: 999 groups of 999 keys (within the text limits, ~10 MB) take
     * seconds. SIGINT once the handlers are in: exit 130 and the true message, not the load's own conclusion. */
    char path[600], out[4096], args[1000];
    snprintf(path, sizeof path, "%s/slow-load.cfg", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f, "cannot write %s", path);
    for (int g = 0; g < 999; g++) {
        fprintf(f, "g%d = {", g);
        for (int k = 0; k < 999; k++)
            fprintf(f, " k%d = 1;", k);
        fputs(" };\n", f);
    }
    fclose(f);
    snprintf(args, sizeof args, "run %s -o %s/slow-load-out --quiet", path, test_tmpdir());
    int rc = signal_when("", args, HANDLERS_IN, "INT", out, sizeof out);
    CHECK(rc == 0, "shell: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "rc=130");
    CHECK_STR_CONTAINS(out, "slow-load.cfg: interrupted while loading the scenario");
}

TEST(a_long_bootstrap_stops_on_sigint)
{
    /* A sensitivity study asking for 20 million bootstrap resamples: SIGINT once they have begun (said on
     * stderr) stops them, exit 130, nothing written. */
    char out[4096], args[1000], dir[700];
    snprintf(dir, sizeof dir, "%s/long-bootstrap", test_tmpdir());
    snprintf(args, sizeof args, "sensitivity tests/data/small.cfg -n 1 --samples 8 --only-vary --vary racks.crews=1:3 "
             "--vary timeline.phases.grid.duration_days=150:250 --bootstrap 20000000 -o %s", dir);
    int rc = signal_when("", args, "grep -q 'bootstrap resamples' $OUT", "INT", out, sizeof out);
    CHECK(rc == 0, "shell: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "interrupted by SIGINT after");
    CHECK_STR_CONTAINS(out, "rc=130");
    CHECK(access(dir, F_OK) != 0, "an interrupted study left %s", dir);
}
