/* Names are data and links are not followed (sim/study/outdir.h, sim/present/plot.h,
 * sim/present/report.h): a directory named like a shell command, a planted link
 * where gigasim keeps a lock, a private directory or a temporary page, a
 * binary copied away from its chart scripts with a hostile script in the
 * working directory, markup in a scenario's fields, a lock held by another
 * process, what a killed plot or report left behind, and a full disk.
 * Each class is held here by the cases that broke it. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

/* The gigasim binary as an absolute path (the tests below change directory). */
static const char *abs_bin(void)
{
    static char path[4096];
    if (!path[0] && !realpath(gigasim_bin(), path))
        snprintf(path, sizeof path, "%s", gigasim_bin());
    return path;
}

/* A fresh folder under the test directory, and the absolute path of the repository. */
static void fresh(char *dir, size_t n, const char *name)
{
    char cmd[3000];
    snprintf(dir, n, "%s/hostile-%s", test_tmpdir(), name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    run_cmd(cmd, NULL, 0);
}

static const char *repo(void)
{
    static char cwd[3000];
    if (!cwd[0] && !getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    return cwd;
}

TEST(hostile_directory_names_never_run_a_command)
{
    /* run, plot and report of output directories named as gnuplot's piped files ('<cmd', '|cmd') and with
     * shell characters: the charts are drawn, and no command ran (no file PWNED anywhere). */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "names");
    static const char *const names[] = {"<touch PWNED;echo ", "|touch PWNED2", "$(touch PWNED3)", "`touch PWNED4`",
                                        "a'b\"c;touch PWNED5"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char nf[1300];
        snprintf(nf, sizeof nf, "%s/name.txt", dir);
        FILE *f = fopen(nf, "w");
        CHECK(f && fputs(names[i], f) >= 0 && fclose(f) == 0, "cannot write %s", nf);
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && N=\"$(cat name.txt)\" && %s run %s/tests/data/small.cfg -n 2 -o \"$N\" -q && "
                 "%s plot \"$N\" -q && %s report \"$N\" -q && ls \"$N\"/gpus_online.png \"$N\"/report.html 2>&1",
                 dir, abs_bin(), repo(), abs_bin(), abs_bin());
        int rc = run_cmd(cmd, out, sizeof out);
        CHECK(rc == 0, "run, plot and report of a directory named %s: exit %d: %s", names[i], rc, out);
    }
    snprintf(cmd, sizeof cmd, "find '%s' / -maxdepth 1 -name 'PWNED*' 2>/dev/null; find '%s' -name 'PWNED*'", dir, dir);
    run_cmd(cmd, out, sizeof out);
    CHECK(out[0] == '\0', "a name ran a command: %s", out);
}

TEST(hostile_links_where_gigasim_writes_are_refused_by_name)
{
    /* A link planted as a writer's private directory, as the lock, as DIR itself, inside DIR, and as the
     * report's temporary page: each refused by name, and what it points to untouched. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "links");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir precious && echo keep > precious/file && echo keep > target && "
             "ln -s precious .out.gigasim-tmp-9",
             dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    snprintf(cmd, sizeof cmd, "cd '%s' && %s run %s/tests/data/small.cfg -n 1 -o out -q 2>&1", dir, abs_bin(), repo());
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a planted link as the private directory: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, ".out.gigasim-tmp-9: a symbolic link where gigasim keeps its temporary files");
    snprintf(cmd, sizeof cmd, "cat '%s/precious/file' '%s/target'", dir, dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0 && !strcmp(out, "keep\nkeep\n"), "the link's target changed: %s", out);
    /* the lock */
    snprintf(cmd, sizeof cmd, "cd '%s' && rm .out.gigasim-tmp-9 .out.gigasim-lock && ln -s outside-lock .out.gigasim-lock && "
             "%s run %s/tests/data/small.cfg -n 1 -o out -q 2>&1", dir, abs_bin(), repo());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a planted link as the lock: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "its lock '.out.gigasim-lock' is a symbolic link, which gigasim did not make");
    snprintf(cmd, sizeof cmd, "%s/outside-lock", dir);
    CHECK(access(cmd, F_OK) != 0, "the lock's link created %s", cmd);
    /* DIR a link */
    snprintf(cmd, sizeof cmd, "cd '%s' && rm .out.gigasim-lock && ln -s precious linked && "
             "%s run %s/tests/data/small.cfg -n 1 -o linked -q 2>&1", dir, abs_bin(), repo());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "-o a link: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "linked: a symbolic link: gigasim writes through no link it did not make");
    /* a link inside a run directory: not gigasim's, so the directory is not replaced */
    snprintf(cmd, sizeof cmd, "cd '%s' && %s run %s/tests/data/small.cfg -n 1 -o run -q && ln -s ../target run/series2.csv && "
             "%s run %s/tests/data/small.cfg -n 1 -o run -q 2>&1", dir, abs_bin(), repo(), abs_bin(), repo());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a link inside DIR: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "run/series2.csv (a symbolic link)");
    /* the report's temporary page */
    snprintf(cmd, sizeof cmd, "cd '%s' && rm run/series2.csv && ln -s ../target run/.report.html.tmp && %s report run -q 2>&1",
             dir, abs_bin());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a link as the report's temporary page: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "run/.report.html.tmp: a symbolic link where gigasim keeps its temporary files");
    snprintf(cmd, sizeof cmd, "cat '%s/target'", dir);
    CHECK(run_cmd(cmd, out, sizeof out) == 0 && !strcmp(out, "keep\n"), "the report wrote through the link: %s", out);
    /* a chart name taken by a link: plot replaces the link with its chart, never writes through it */
    snprintf(cmd, sizeof cmd, "cd '%s' && rm run/.report.html.tmp && ln -s ../target run/gpus_online.png && "
             "%s plot run -q 2>&1 && test -f run/gpus_online.png && ! test -L run/gpus_online.png && cat target",
             dir, abs_bin());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0 && !strcmp(out, "keep\n"), "a link under a chart's name: exit %d: %s", rc, out);
}

TEST(hostile_chart_scripts_come_only_from_beside_the_binary)
{
    /* A copy of the binary alone in another folder, run from a folder holding plots/ with a script that
     * would run a command: plot finds no chart scripts and says how to give them; the script never runs.
     * GIGASIM_PLOTS, the explicit choice, is taken. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "scripts");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p bin plots && cp %s bin/gigasim && "
             "printf 'system(\"touch EVIL\")\\n' > plots/evil.gp && cp plots/evil.gp plots/_common.gp && "
             "%s run %s/tests/data/small.cfg -n 2 -o run -q && bin/gigasim plot run 2>&1",
             dir, abs_bin(), abs_bin(), repo());
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "a binary copied alone: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "cannot find the chart scripts (plots/) beside the gigasim binary");
    snprintf(cmd, sizeof cmd, "%s/EVIL", dir);
    CHECK(access(cmd, F_OK) != 0, "the working directory's script ran");
    snprintf(cmd, sizeof cmd, "cd '%s' && GIGASIM_PLOTS=%s/plots bin/gigasim plot run -q 2>&1 && ls run/gpus_online.png",
             dir, repo());
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "GIGASIM_PLOTS: exit %d: %s", rc, out);
}

TEST(hostile_markup_in_a_scenario_stays_text_in_the_report)
{
    /* A start date that is a script, a name with markup: the page shows them as text; its policy lets no
     * script run but its own two, by hash. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "markup");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && %s run %s/tests/data/small.cfg -n 2 -o run -q && "
             "sed -i 's|\"scenario\":\\t*\"[^\"]*\"|\"scenario\": \"<img src=x onerror=alert(1)>\"|; "
             "s|\"replications\":|\"start_date\": \"<script>alert(2)</script>\", \"replications\":|' run/summary.json && "
             "%s report run -q 2>&1 && cat run/report.html",
             dir, abs_bin(), repo(), abs_bin());
    char *page = test_malloc(1 << 22);
    int rc = run_cmd(cmd, page, 1 << 22);
    CHECK(rc == 0, "report: exit %d: %.2000s", rc, page);
    CHECK(!strstr(page, "<script>alert"), "a start date's script is in the page as markup");
    CHECK(!strstr(page, "<img src=x"), "a name's markup is in the page as markup");
    CHECK_STR_CONTAINS(page, "&lt;script&gt;alert(2)&lt;/script&gt;");
    CHECK_STR_CONTAINS(page, "&lt;img src=x onerror=alert(1)&gt;");
    const char *csp = strstr(page, "Content-Security-Policy");
    CHECK(csp, "no policy");
    char policy[600];
    snprintf(policy, sizeof policy, "%.*s", (int)strcspn(csp, ">"), csp);
    CHECK(!strstr(policy, "unsafe-inline'; img") && strstr(policy, "script-src 'sha256-") && !strstr(policy, "script-src 'unsafe"),
          "the policy lets inline scripts run: %s", policy);
    (void)out;
}

TEST(hostile_a_held_lock_stops_plot_and_report_and_a_killed_ones_leftovers_go)
{
    /* While another process holds the run directory's lock (a run replacing it), plot and report refuse
     * at once. What a killed plot or report left inside (its private chart directory, its temporary page)
     * is removed by the next one. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "lock");
    snprintf(cmd, sizeof cmd, "cd '%s' && %s run %s/tests/data/small.cfg -n 2 -o run -q && "
             "flock .run.gigasim-lock %s plot run -q 2>&1; echo rc=$?", dir, abs_bin(), repo(), abs_bin());
    run_cmd(cmd, out, sizeof out);
    CHECK_STR_CONTAINS(out, "another gigasim is writing it");
    CHECK_STR_CONTAINS(out, "rc=1");
    snprintf(cmd, sizeof cmd, "cd '%s' && flock .run.gigasim-lock %s report run -q 2>&1; echo rc=$?", dir, abs_bin());
    run_cmd(cmd, out, sizeof out);
    CHECK_STR_CONTAINS(out, "another gigasim is writing it");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir run/.plot.gigasim-tmp-999999 run/.report-charts.gigasim-tmp-999998 && "
             "echo half > run/.plot.gigasim-tmp-999999/gpus_online.png && echo half > run/.report.html.tmp && "
             "%s report run -q && ls -A run | grep -c 'gigasim-tmp\\|report.html.tmp'", dir, abs_bin());
    run_cmd(cmd, out, sizeof out);
    CHECK(!strcmp(out, "0\n"), "a killed plot's or report's leftovers are still there: %s", out);
}

static void unmount(void *path)
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "umount '%s'", (const char *)path);
    run_cmd(cmd, NULL, 0);
}

TEST(hostile_a_full_disk_fails_the_chart_and_says_so)
{
    /* A run directory on a tmpfs too small for its charts (where root may mount one): plot fails naming
     * the chart or gnuplot's error, keeps no chart, and the run's own files are intact. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "full");
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/mnt' && mount -t tmpfs -o size=400k tmpfs '%s/mnt' 2>&1", dir, dir);
    if (run_cmd(cmd, out, sizeof out) != 0) {
        printf("     (no tmpfs can be mounted here: %s; skipped)\n", strtok(out, "\n") ? out : "");
        return;
    }
    char *mnt = test_malloc(1300);
    snprintf(mnt, 1300, "%s/mnt", dir);
    test_defer(unmount, mnt);
    snprintf(cmd, sizeof cmd, "cd '%s/mnt' && %s run %s/tests/data/small.cfg -n 3 -o run -q 2>&1 && "
             "head -c 300000 /dev/zero > filler; %s plot run --format=png,svg,pdf 2>&1; echo rc=$?; "
             "ls run | grep -c '\\.png$\\|\\.svg$\\|\\.pdf$'; ls -A run | grep -c gigasim-tmp",
             dir, abs_bin(), repo(), abs_bin());
    run_cmd(cmd, out, sizeof out);
    CHECK_STR_CONTAINS(out, "rc=1");
    CHECK(strstr(out, "incomplete (a full disk?)") || strstr(out, "No space left") || strstr(out, "gnuplot failed"),
          "the message does not say what failed: %s", out);
    CHECK(strstr(out, "rc=1\n0\n0\n"), "charts or a private directory were left on the full disk: %s", out);
}

TEST(hostile_chart_scripts_take_a_site_of_any_size)
{
    /* A comparison of two sites of 200 kW of IT (a chart's PUE axis starts at 1: its peak-load statistics
     * once found no value there and the script failed, so no report): every chart drawn, the report written. */
    char dir[1200], cmd[8000], out[8192];
    fresh(dir, sizeof dir, "tiny");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && %s compare %s/tests/data/small.cfg %s/tests/data/mixed_power.cfg -n 3 -o cmp -q "
             "--set racks.orders.[0].count=2 >/dev/null && %s plot cmp -q && %s report cmp -q && ls cmp/*.png | wc -l",
             dir, abs_bin(), repo(), repo(), abs_bin(), abs_bin());
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "a comparison of 200 kW sites: exit %d: %s", rc, out);
    CHECK(atoi(out) == 7, "%d charts of 7: %s", atoi(out), out); /* with the first-token CDFs and the ranking */
}

TEST(hostile_an_output_that_cannot_be_written_is_refused_before_the_work)
{
    /* -o a device, a file, an empty name: refused before any replication runs (no progress line), for run,
     * a shard and compare alike. */
    char out[8192];
    static const char *const cases[][3] = {
        {"run tests/data/small.cfg -n 2 -o /dev/null", "/dev/null: exists and is not a directory", "1"},
        {"run tests/data/small.cfg --replications 0:1 -o /dev/null", "/dev/null: exists and is not a directory", "1"},
        {"compare tests/data/small.cfg tests/data/small.cfg -n 2 -o /dev/null", "exists and is not a directory", "1"},
        {"run tests/data/small.cfg -n 2 -o ''", "-o needs a directory's name (got an empty one)", "2"},
        {"run tests/data/small.cfg -n 2 -o README.md", "README.md: exists and is not a directory", "1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = gigasim_cmd(out, sizeof out, "%s", cases[i][0]);
        CHECK(rc == atoi(cases[i][2]), "%s: exit %d: %s", cases[i][0], rc, out);
        CHECK_STR_CONTAINS(out, cases[i][1]);
        CHECK(!strstr(out, "replication(s), seed"), "%s: the replications ran before the refusal: %s", cases[i][0], out);
    }
}
