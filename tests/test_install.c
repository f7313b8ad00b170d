/* make install into a temporary DESTDIR, then what a user of the installed
 * gigasim meets: the binary run from another directory on an installed
 * scenario (its charts and report found by itself, the report rendered in
 * Chromium when it is there), the man pages naming every command and option,
 * the bash completion, and the library: the embedding example (tests/embed/)
 * compiled against the installed header with pkg-config, giving the same
 * bytes as the command line. Uninstall leaves nothing. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char build_dir[600];

static int install_once(char *out, size_t n)
{
    static int rc = -1;
    if (rc >= 0)
        return rc;
    snprintf(build_dir, sizeof build_dir, "%s", gigasim_bin());
    char *slash = strrchr(build_dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(build_dir, sizeof build_dir, ".");
    char cmd[4000];
    /* the binary and library under test, not rebuilt */
    snprintf(cmd, sizeof cmd,
             "make -s -o %s/gigasim -o %s/version.h -o %s/libgigasim.a install BUILD=%s DESTDIR=%s/inst PREFIX=/usr 2>&1",
             build_dir, build_dir, build_dir, build_dir, test_tmpdir());
    rc = run_cmd(cmd, out, n);
    return rc;
}

TEST(install_runs_plots_and_reports_from_elsewhere)
{
    char cmd[6000], out[8192];
    int rc = install_once(out, sizeof out);
    CHECK(rc == 0, "make install: exit %d: %s", rc, out);
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "cd / && %s/inst/usr/bin/gigasim run %s/inst/usr/share/gigasim/scenarios/turnkey-cloud.cfg -n 2 -o "
             "%s/inst-run --quiet && %s/inst/usr/bin/gigasim plot %s/inst-run 2>&1 && %s/inst/usr/bin/gigasim report %s/inst-run "
             "2>&1",
             t, t, t, t, t, t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "the installed binary: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "chart(s) written");
    CHECK_STR_CONTAINS(out, "wrote");
    snprintf(cmd, sizeof cmd, "%s/inst-run/gpus_online.png", t);
    CHECK(access(cmd, F_OK) == 0, "no %s", cmd);
    /* a scenario outside the tree varies an installed one by base = "..." (found among gigasim's own) */
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/mine && printf 'base = \"turnkey-cloud.cfg\";\\nname = \"mine\";\\nracks = { crews = 3; };\\n' > "
             "%s/mine/mine.cfg && cd / && %s/inst/usr/bin/gigasim check %s/mine/mine.cfg 2>&1",
             t, t, t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "a base among the installed scenarios: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "scenario 'mine'");
    if (report_chromium()) {
        snprintf(cmd, sizeof cmd, "%s/inst-run", t);
        report_check_rendered(cmd, "turnkey", 4);
    }
}

TEST(install_man_pages_name_every_command_and_option)
{
    char cmd[4000], out[8192];
    int rc = install_once(out, sizeof out);
    CHECK(rc == 0, "make install: exit %d: %s", rc, out);
    snprintf(cmd, sizeof cmd, "%s/inst/usr/share/man/man1/gigasim.1", test_tmpdir());
    char *man = read_text(cmd);
    CHECK(man, "no %s", cmd);
    test_defer(free, man);
    snprintf(cmd, sizeof cmd, "%s/inst/usr/share/man/man5/gigasim-scenario.5", test_tmpdir());
    char *man5 = read_text(cmd);
    CHECK(man5 && strstr(man5, ".TH GIGASIM-SCENARIO 5"), "no scenario page %s", cmd);
    free(man5);
    static const char *const commands[] = {"run", "compare", "sweep", "sensitivity", "merge", "check", "plot", "report", "metrics"};
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        char want[64];
        snprintf(want, sizeof want, ".B gigasim %s", commands[i]);
        CHECK(strstr(man, want), "gigasim.1 has no synopsis for %s", commands[i]);
        /* each option the command's --help lists, as the page writes it (\-\-name) */
        rc = gigasim_cmd(out, sizeof out, "%s --help | grep -oE -- '--[a-z-]+' | sort -u", commands[i]);
        CHECK(rc == 0, "%s --help: %s", commands[i], out);
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
            char esc[120];
            size_t k = 0;
            for (const char *c = line; *c && k + 3 < sizeof esc; c++) { /* roff writes a hyphen as \- */
                if (*c == '-')
                    esc[k++] = '\\';
                esc[k++] = *c;
            }
            esc[k] = '\0';
            CHECK(strstr(man, esc), "gigasim.1 does not document %s (an option of %s)", line, commands[i]);
        }
    }
}

TEST(install_completion_offers_a_commands_options)
{
    char cmd[4000], out[8192];
    int rc = install_once(out, sizeof out);
    CHECK(rc == 0, "make install: exit %d: %s", rc, out);
    const char *t = test_tmpdir();
    snprintf(cmd, sizeof cmd,
             "bash -c 'source %s/inst/usr/share/bash-completion/completions/gigasim; PATH=%s/inst/usr/bin:$PATH; "
             "COMP_WORDS=(gigasim run --th); COMP_CWORD=2; _gigasim; echo \"[${COMPREPLY[*]}]\"; "
             "COMP_WORDS=(gigasim comp); COMP_CWORD=1; _gigasim; echo \"[${COMPREPLY[*]}]\"; "
             "COMP_WORDS=(gigasim sweep a.cfg --metric co2_); COMP_CWORD=4; _gigasim; echo \"[${COMPREPLY[*]}]\"' 2>&1",
             t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "completion: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "[--threads]");
    CHECK_STR_CONTAINS(out, "[compare]");
    CHECK_STR_CONTAINS(out, "co2_t");
}

TEST(install_library_embeds_and_gives_the_command_lines_bytes)
{
    char cmd[8000], out[8192];
    int rc = install_once(out, sizeof out);
    CHECK(rc == 0, "make install: exit %d: %s", rc, out);
    const char *t = test_tmpdir();
    /* a sanitizer build's library needs the sanitizers at link time */
    snprintf(cmd, sizeof cmd, "nm %s/inst/usr/lib/libgigasim.a 2>/dev/null | grep -q __asan_ && echo asan", t);
    run_cmd(cmd, out, sizeof out);
    const char *san = strstr(out, "asan") ? "-fsanitize=address,undefined" : "";
    snprintf(cmd, sizeof cmd,
             "cd %s && PKG_CONFIG_PATH=%s/inst/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=%s/inst "
             "cc -std=c11 -Wall -Wextra -Werror %s %s/tests/embed/embed.c $(PKG_CONFIG_PATH=%s/inst/usr/lib/pkgconfig "
             "PKG_CONFIG_SYSROOT_DIR=%s/inst pkg-config --cflags --libs gigasim) -o embed 2>&1",
             t, t, t, san, getenv("PWD") ? getenv("PWD") : ".", t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "the example does not build against the installed header and library: %s", out);
    /* the library's run and the command line's: the same files, byte for byte */
    snprintf(cmd, sizeof cmd,
             "cd %s && S=%s/inst/usr/share/gigasim/scenarios/turnkey-cloud.cfg && ./embed $S 3 %s/embed-out && "
             "%s/inst/usr/bin/gigasim run $S -n 3 --set serving.enabled=false -o %s/cli-out --quiet && "
             "for f in summary.json series.csv replications.csv scenario.cfg; do cmp %s/embed-out/$f %s/cli-out/$f || exit 9; done",
             t, t, t, t, t, t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "the library's run differs from the command line's (exit %d): %s", rc, out);
    CHECK_STR_CONTAINS(out, "time_to_first_token_days p10=");
    /* and its errors read as the command line's */
    snprintf(cmd, sizeof cmd, "cd %s && ./embed %s/no-such.cfg 2 2>&1", t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc != 0 && strstr(out, "no-such.cfg"), "a missing scenario: exit %d: %s", rc, out);
}

TEST(install_uninstall_touch_only_what_they_installed)
{
    /* A DESTDIR with a space beside a file named as its first word ("pkg out" beside "pkg"); a folder and a
     * file there before; a user's own scenario and an edited bundled one in share/gigasim between install
     * and reinstall. Each survives install, reinstall and uninstall; the edited one gets its new version
     * beside it; after uninstall exactly what was there before is there (and the user's). */
    char cmd[16000], out[8192];
    int rc = install_once(out, sizeof out);
    CHECK(rc == 0, "make install: exit %d: %s", rc, out);
    const char *t = test_tmpdir();
    char make[3000];
    snprintf(make, sizeof make, "make -s -o %s/gigasim -o %s/version.h -o %s/libgigasim.a BUILD=%s PREFIX=/usr",
             build_dir, build_dir, build_dir, build_dir);
    snprintf(cmd, sizeof cmd,
             "cd %s && rm -rf st && mkdir -p 'st/pkg out/usr/share/man/man1' && echo keep > st/pkg && "
             "echo theirs > 'st/pkg out/usr/share/man/man1/other.1' && (cd st && find . | sort) > before.txt && "
             "cd %s && %s install DESTDIR='%s/st/pkg out' >/dev/null 2>&1 && "
             "S='%s/st/pkg out/usr/share/gigasim/scenarios' && echo 'name = \"mine\";' > \"$S/mine.cfg\" && "
             "echo '// my note' >> \"$S/turnkey-cloud.cfg\" && %s install DESTDIR='%s/st/pkg out' 2>&1 && "
             "test -f \"$S/turnkey-cloud.cfg.gigasim-new\" && grep -q 'my note' \"$S/turnkey-cloud.cfg\" && "
             "%s uninstall DESTDIR='%s/st/pkg out' 2>&1 && cd %s/st && find . | sort > ../after.txt && "
             "cat pkg && diff ../before.txt ../after.txt",
             t, getenv("PWD") ? getenv("PWD") : ".", make, t, t, make, t, make, t, t);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 1, "install, reinstall, uninstall: exit %d (want 1: diff names the user's two files): %s", rc, out);
    CHECK_STR_CONTAINS(out, "turnkey-cloud.cfg is not the file an earlier install put there (yours, or changed): kept");
    CHECK_STR_CONTAINS(out, "keep\n");
    /* what differs from before: the user's own scenario, the edited one, and the folders that hold them */
    int lines = 0;
    for (const char *p = out; (p = strstr(p, "\n> ")) != NULL; p++)
        lines++;
    CHECK(strstr(out, "> ./pkg out/usr/share/gigasim/scenarios/mine.cfg") &&
              strstr(out, "> ./pkg out/usr/share/gigasim/scenarios/turnkey-cloud.cfg") && !strstr(out, "\n< "),
          "uninstall did not leave exactly what was there and the user's files: %s", out);
    CHECK(lines == 4, "%d entries more than before, want the two files and the two folders that hold them: %s", lines,
          out);
}
