/* Scenario loading: the bad-input catalogue (the .cfg files in tests/bad, each with the
 * message it must give on its first line), --set, layering. */
#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>

#include "test.h"

TEST(cfg_bad_input_catalogue)
{
    DIR *d = opendir("tests/bad");
    CHECK(d, "cannot open tests/bad");
    struct dirent *de;
    int n = 0, bad = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".cfg"))
            continue;
        char path[512], cmd[1024], out[4096];
        snprintf(path, sizeof path, "tests/bad/%s", de->d_name);
        char *text = read_text(path);
        if (!text)
            continue;
        char expect[512] = "";
        if (!strncmp(text, "// expect: ", 11)) {
            char *nl = strchr(text, '\n');
            size_t k = nl ? (size_t)(nl - text - 11) : strlen(text + 11);
            snprintf(expect, sizeof expect, "%.*s", (int)k, text + 11);
        }
        free(text);
        n++;
        if (!*expect) {
            test_fail(__FILE__, __LINE__, "%s has no '// expect: ' first line", path);
            bad++;
            continue;
        }
        snprintf(cmd, sizeof cmd, "%s check '%s' 2>&1", gigasim_bin(), path);
        int rc = run_cmd(cmd, out, sizeof out);
        if (rc != 1 || !strstr(out, expect)) {
            test_fail(__FILE__, __LINE__, "%s: exit %d, message \"%s\"; want exit 1 and \"%s\"", path, rc, out, expect);
            bad++;
        }
    }
    closedir(d);
    CHECK(n >= 25, "only %d catalogue files found", n);
    CHECK(bad == 0, "%d of %d bad inputs gave the wrong message", bad, n);
}

static const char *SMALL = "@include \"small_base.inc\"\n";

TEST(cfg_set_overrides_scenario_and_preset_keys)
{
    sim_err err;
    const char *sets[] = {"site.grid.capacity_mw=0.5", "timeline.phases.grid.duration_days=10", "racks.crews=3",
                          "racks.lead_days=7.5", NULL};
    sim_cfg *cfg = NULL;
    void *m = load_site("tests/data", SMALL, sets, &cfg, &err);
    CHECK(m, "load failed: %s", err.msg);
    double v;
    long long n;
    sim_cfg_num(cfg, "site.grid.capacity_mw", 0, SIM_ANY, &v, &err);
    CHECK(v == 0.5, "capacity after --set: %g", v);
    sim_cfg_num(cfg, "timeline.phases.grid.duration_days", 0, SIM_ANY, &v, &err);
    CHECK(v == 10, "grid duration after --set: %g", v);
    sim_cfg_int(cfg, "racks.crews", 0, 0, 100, &n, &err);
    CHECK(n == 3, "crews after --set: %lld", n);
    extern const sim_app site_app;
    site_app.free(m);
    sim_cfg_free(cfg);
}

TEST(cfg_set_rejects_bad_values)
{
    sim_err err;
    const char *typo[] = {"site.grid.capcity_mw=5", NULL};
    CHECK(!load_site("tests/data", SMALL, typo, NULL, &err), "a misspelt --set key was accepted");
    CHECK_STR_CONTAINS(err.msg, "--set: unknown key 'site.grid.capcity_mw'");
    const char *type[] = {"racks.crews=many", NULL};
    CHECK(!load_site("tests/data", SMALL, type, NULL, &err), "--set crews=many was accepted");
    CHECK_STR_CONTAINS(err.msg, "expected an integer");
    const char *nan[] = {"site.grid.capacity_mw=nan", NULL};
    CHECK(!load_site("tests/data", SMALL, nan, NULL, &err), "--set capacity=nan was accepted");
    CHECK_STR_CONTAINS(err.msg, "site.grid.capacity_mw: must be a number (got NaN)");
    const char *inf[] = {"site.grid.capacity_mw=inf", NULL};
    void *m = load_site("tests/data", SMALL, inf, NULL, &err);
    CHECK(!m, "--set capacity=inf was accepted");
    CHECK_STR_CONTAINS(err.msg, "site.grid.capacity_mw: must be finite (got inf)");
    const char *noeq[] = {"site.grid.capacity_mw", NULL};
    CHECK(!load_site("tests/data", SMALL, noeq, NULL, &err), "--set without '=' was accepted");
    CHECK_STR_CONTAINS(err.msg, "expected path.to.key=VALUE");
}

TEST(cfg_scenario_value_wins_over_preset)
{
    sim_err err;
    sim_cfg *cfg = NULL;
    void *m = load_site("tests/data", "@include \"small_base.inc\"\nsite = { grid = { capacity_mw = 7.0; }; };\n", NULL,
                        &cfg, &err);
    CHECK(m, "load failed: %s", err.msg);
    double v;
    sim_cfg_num(cfg, "site.grid.capacity_mw", 0, SIM_ANY, &v, &err);
    double co2;
    sim_cfg_num(cfg, "site.grid.co2_kg_per_mwh", 0, SIM_ANY, &co2, &err);
    extern const sim_app site_app;
    site_app.free(m);
    sim_cfg_free(cfg);
    CHECK(v == 7.0, "scenario capacity 7 lost to the preset: %g", v);
    CHECK(co2 == 300.0, "preset co2 not inherited: %g", co2);
}

TEST(cfg_set_creates_keys_inside_preset_lists)
{
    /* r100 in the base has no hw_failures_per_gpu_day: --set must add it to that rack type,
     * not shadow the whole catalog with a new group. */
    sim_err err;
    const char *sets[] = {"rack_types.r100.hw_failures_per_gpu_day=0.0125", NULL};
    sim_cfg *cfg = NULL;
    void *m = load_site("tests/data", SMALL, sets, &cfg, &err);
    CHECK(m, "load failed: %s", err.msg);
    double v = 0;
    int rc = sim_cfg_num(cfg, "rack_types.r100.hw_failures_per_gpu_day", 0, SIM_ANY, &v, &err);
    extern const sim_app site_app;
    site_app.free(m);
    sim_cfg_free(cfg);
    CHECK(rc == 0 && v == 0.0125, "hw_failures_per_gpu_day after --set: %g (%s)", v, rc ? err.msg : "ok");
    const char *typo[] = {"rack_types.r100.hw_failures_per_gpu_dayz=1", NULL};
    CHECK(!load_site("tests/data", SMALL, typo, NULL, &err), "a misspelt key in a list element was accepted");
    CHECK_STR_CONTAINS(err.msg, "unknown key");
    CHECK_STR_CONTAINS(err.msg, "hw_failures_per_gpu_dayz");
}

TEST(cfg_onsite_block_switched_off_is_still_read)
{
    sim_err err;
    const char *sets[] = {"site.onsite.capacity_mw=0", "site.onsite.co2_kg_per_mwh=500", "site.onsite.co2_basis=\"direct\"", "site.onsite.cost_per_mwh=40",
                          "site.onsite.after=permits", NULL};
    void *m = load_site("tests/data", SMALL, sets, NULL, &err);
    CHECK(m, "an on-site block at zero capacity was rejected: %s", err.msg);
    extern const sim_app site_app;
    site_app.free(m);
}

TEST(cfg_set_widens_an_integer_beyond_32_bits_and_blames_set)
{
    /* libconfig keeps 32 bits of an int setting: --set must not hand 4294967297 crews over as 1. */
    char out[4096];
    int rc = gigasim_cmd(out, sizeof out, "check tests/data/small.cfg --set racks.crews=4294967297");
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--set: racks.crews: must be in [1, 100000] (got 4294967297)");
}

/* Builds text: head, then `count` copies of item (with %d for the index), then tail. */
static char *repeat_text(const char *head, const char *item, int count, const char *tail)
{
    size_t cap = strlen(head) + (size_t)count * (strlen(item) + 12) + strlen(tail) + 1;
    char *t = malloc(cap);
    size_t k = (size_t)snprintf(t, cap, "%s", head);
    for (int i = 0; i < count; i++)
        k += (size_t)snprintf(t + k, cap - k, item, i);
    snprintf(t + k, cap - k, "%s", tail);
    return t;
}

static double load_seconds(const char *text, sim_err *err, bool *loaded)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sim_cfg *c = sim_cfg_load_string(text, "big.cfg", "tests/data", err);
    clock_gettime(CLOCK_MONOTONIC, &b);
    *loaded = c != NULL;
    sim_cfg_free(c);
    return (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
}

TEST(cfg_text_limits_are_named_and_keep_the_parse_fast)
{
    /* libconfig's parse time grows with the square of a group's keys and of a token's length (100,000 keys:
     * 45 s; a 15 MiB string: 88 s). At each limit the parse stays fast; one past it is refused by name. */
    struct { const char *head, *item, *tail; int at_limit; const char *msg; } cases[] = {
        {"x = {", "k%d = 1;\n", "};\n", SIM_CFG_MAX_GROUP_KEYS, "x: a group of more than 1000 keys"},
        {"name = \"", "a", "\";\n", SIM_CFG_MAX_TOKEN, "name: a string of more than 65536 characters"},
        {"name = \"a\"", "\n\"%08d\"", ";\n", SIM_CFG_MAX_TOKEN / 8 - 1, "name: a string of more than 65536 characters"},
        {"x = ", "(", "", SIM_CFG_MAX_DEPTH, "x: groups, lists and arrays nested more than 32 deep"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int past = 0; past <= 1; past++) {
            int n = cases[i].at_limit + past;
            char *text = repeat_text(cases[i].head, cases[i].item, n, cases[i].tail);
            if (i == 3) { /* close the lists */
                char *closed = repeat_text(text, ")", n, ";\n");
                free(text);
                text = closed;
            }
            sim_err err = {0};
            bool loaded;
            double s = load_seconds(text, &err, &loaded);
            free(text);
            if (!past) {
                CHECK(loaded, "case %zu at its limit (%d) was refused: %s", i, n, err.msg);
                CHECK(s < 2.0, "case %zu at its limit (%d) took %.2f s to parse", i, n, s);
            } else {
                CHECK(!loaded, "case %zu past its limit (%d) was accepted", i, n);
                CHECK_STR_CONTAINS(err.msg, cases[i].msg);
                CHECK_STR_CONTAINS(err.msg, "big.cfg:");
            }
        }
    }
}

TEST(cfg_set_errors_blame_set_and_name_the_list)
{
    /* A value given by --set that a model refuses is blamed on --set, not on the file line it replaced; a
     * distribution group with a member given by --set too. A path into a list names what the list holds. */
    struct { const char *set, *want; } cases[] = {
        {"site.grid.co2_kg_per_mwh=1e308", "gigasim: --set: site.grid.co2_kg_per_mwh: must be in [0, 2000]"},
        {"timeline.phases.[9].duration_days=3", "timeline.phases has 5 elements, [0] to [4], no [9]"},
        {"timeline.phases.permitz.duration_days=3",
         "no element of timeline.phases is named 'permitz' (named: permits, grid, shell, fitout, commissioning"},
        {"halls.[3].it_capacity_mw=3", "halls has 1 element, [0], no [3]"},
    };
    char out[4096];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = gigasim_cmd(out, sizeof out, "check tests/data/small.cfg --set '%s'", cases[i].set);
        CHECK(rc == 1, "--set %s: exit %d: %s", cases[i].set, rc, out);
        CHECK_STR_CONTAINS(out, cases[i].want);
    }
    int rc = gigasim_cmd(out, sizeof out, "check scenarios/eu-gigafactory-1gw.cfg --set racks.lead_days.p90=10");
    CHECK(rc == 1, "a lognormal with p90 < p50: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "gigasim: --set: racks.lead_days: lognormal p90 must be greater than p50");
}

TEST(cfg_a_variant_overrides_its_base_key_by_key)
{
    /* tests/data/variant.cfg varies tests/data/small.cfg: crews 2 and a 50 MW grid, the rest (phases,
     * halls, the preset's keys) from the base. A typo in the variant is named with its file and line; a
     * base that does not exist, or bases in a cycle, are refused naming the key. */
    char dir[600], path[700], out[4096];
    snprintf(dir, sizeof dir, "%s/variants", test_tmpdir());
    mkdir(dir, 0777);
    const char *files[][2] = {
        {"variant.cfg", "name = \"variant\";\nbase = \"BASE\";\nracks = { crews = 2; };\n"
                        "site = { grid = { capacity_mw = 50.0; }; };\n"},
        {"typo.cfg", "name = \"typo\";\nbase = \"variant.cfg\";\nracks = { crewz = 3; };\n"},
        {"missing.cfg", "name = \"missing\";\nbase = \"nowhere.cfg\";\n"},
        {"a.cfg", "name = \"a\";\nbase = \"b.cfg\";\n"},
        {"b.cfg", "name = \"b\";\nbase = \"a.cfg\";\n"},
    };
    char cwd[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        FILE *f = fopen(path, "w");
        CHECK(f, "cannot write %s", path);
        const char *t = files[i][1], *b = strstr(t, "BASE");
        if (b)
            fprintf(f, "%.*s%s/tests/data/small.cfg%s", (int)(b - t), t, cwd, b + 4);
        else
            fputs(t, f);
        fclose(f);
    }
    sim_err err;
    snprintf(path, sizeof path, "%s/variant.cfg", dir);
    sim_cfg *c = sim_cfg_load(path, &err);
    CHECK(c, "%s", err.msg);
    long long crews;
    double mw, grid_days;
    const char *name;
    CHECK(sim_cfg_int(c, "racks.crews", 0, 0, 100, &crews, &err) == 0 && crews == 2, "crews %lld: %s", crews, err.msg);
    CHECK(sim_cfg_num(c, "site.grid.capacity_mw", 0, SIM_ANY, &mw, &err) == 0 && mw == 50, "grid %g", mw);
    CHECK(sim_cfg_num(c, "timeline.phases.grid.duration_days", 0, SIM_ANY, &grid_days, &err) == 0 && grid_days == 200,
          "a phase from the base's preset: %g", grid_days);
    CHECK(sim_cfg_str(c, "name", NULL, &name, &err) == 0 && !strcmp(name, "variant"), "name %s", name);
    sim_cfg_free(c);
    int rc = gigasim_cmd(out, sizeof out, "run %s -n 2 -o %s/variant-out --quiet", path, test_tmpdir());
    CHECK(rc == 0, "the variant does not run: %s", out);
    /* --set into keys that live in the base: the change is copied into the variant, so its resolved
     * scenario.cfg reruns to the same bytes */
    rc = gigasim_cmd(out, sizeof out, "run %s -n 2 -o %s/variant-set --quiet --set racks.crews=3 "
                     "--set site.grid.flexible_mw=5 --set site.grid.flexible_after='\"permits\"'", path, test_tmpdir());
    CHECK(rc == 0, "the variant with --set: %s", out);
    rc = gigasim_cmd(out, sizeof out, "run %s/variant-set/scenario.cfg -n 2 -o %s/variant-rerun --quiet", test_tmpdir(),
                     test_tmpdir());
    CHECK(rc == 0, "its resolved scenario: %s", out);
    char a[800], b[800];
    snprintf(a, sizeof a, "%s/variant-set/series.csv", test_tmpdir());
    snprintf(b, sizeof b, "%s/variant-rerun/series.csv", test_tmpdir());
    char *x = read_text(a), *y = read_text(b);
    CHECK(x && y && !strcmp(x, y), "the resolved variant does not rerun to the same series");
    free(x);
    free(y);
    snprintf(a, sizeof a, "%s/variant-set/scenario.cfg", test_tmpdir());
    x = read_text(a);
    CHECK(x && strstr(x, "crews = 3;") && strstr(x, "flexible_after = \"permits\";"), "the --set values are not in %s", a);
    free(x);
    rc = gigasim_cmd(out, sizeof out, "check %s/typo.cfg", dir);
    CHECK(rc == 1, "a typo in a variant: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "typo.cfg:3: unknown key 'racks.crewz'");
    rc = gigasim_cmd(out, sizeof out, "check %s/missing.cfg", dir);
    CHECK(rc == 1, "a missing base: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "missing.cfg:2: base \"nowhere.cfg\": ");
    rc = gigasim_cmd(out, sizeof out, "check %s/a.cfg", dir);
    CHECK(rc == 1, "bases in a cycle: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "bases nested more than 7 deep (a cycle?)");
    /* a base found through GIGASIM_PATH */
    snprintf(path, sizeof path, "%s/via-path.cfg", dir);
    FILE *f = fopen(path, "w");
    fputs("name = \"via the path\";\nbase = \"small.cfg\";\nracks = { crews = 3; };\n", f);
    fclose(f);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "GIGASIM_PATH=/nonexistent:%s/tests/data %s check %s 2>&1", cwd, gigasim_bin(), path);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "a base through GIGASIM_PATH: exit %d: %s", rc, out);
}

TEST(cfg_set_scales_a_number_or_a_whole_law)
{
    /* KEY*=F multiplies a number (an integer rounded), or every quantity of a distribution in the key's unit,
     * its shape kept: a lognormal's p50 and p90 both, so p90/p50 stays; a PERT's min, mode and max. */
    sim_err err;
    const char *text = "@include \"small_base.inc\"\n"
                       "racks = { lead_days = { dist = \"lognormal\"; p50 = 40.0; p90 = 100.0; }; };\n";
    const char *sets[] = {"racks.lead_days*=1.5", "racks.crews*=1.5", "site.grid.capacity_mw*=2", NULL};
    sim_cfg *cfg = NULL, *base = NULL;
    void *m = load_site("tests/data", text, sets, &cfg, &err);
    CHECK(m, "load failed: %s", err.msg);
    void *m0 = load_site("tests/data", text, NULL, &base, &err);
    CHECK(m0, "load failed: %s", err.msg);
    double p50, p90, cap, cap0;
    long long crews, crews0;
    sim_cfg_num(cfg, "racks.lead_days.p50", 0, SIM_ANY, &p50, &err);
    sim_cfg_num(cfg, "racks.lead_days.p90", 0, SIM_ANY, &p90, &err);
    sim_cfg_num(cfg, "site.grid.capacity_mw", 0, SIM_ANY, &cap, &err);
    sim_cfg_num(base, "site.grid.capacity_mw", 0, SIM_ANY, &cap0, &err);
    sim_cfg_int(cfg, "racks.crews", 0, 0, 1000, &crews, &err);
    sim_cfg_int(base, "racks.crews", 0, 0, 1000, &crews0, &err);
    extern const sim_app site_app;
    site_app.free(m);
    site_app.free(m0);
    sim_cfg_free(cfg);
    sim_cfg_free(base);
    CHECK(p50 == 60 && p90 == 150, "lognormal x1.5: p50 %g, p90 %g (want 60, 150: the ratio kept)", p50, p90);
    CHECK(cap == 2 * cap0, "capacity x2: %g from %g", cap, cap0);
    CHECK(crews == llround(1.5 * (double)crews0), "crews x1.5 rounded: %lld from %lld", crews, crews0);
    /* refused: no such key, a factor that is not above 0, a group with nothing to scale */
    const char *bad[][2] = {{"racks.lead_dayz*=2", "no setting 'racks.lead_dayz' to scale"},
                            {"racks.lead_days*=-1", "is not a factor above 0"},
                            {"site.grid*=2", "has nothing to scale"}};
    for (size_t i = 0; i < 3; i++) {
        const char *one[] = {bad[i][0], NULL};
        sim_cfg *c = NULL;
        void *mm = load_site("tests/data", text, one, &c, &err);
        CHECK(!mm, "%s accepted", bad[i][0]);
        CHECK_STR_CONTAINS(err.msg, bad[i][1]);
    }
}

TEST(cfg_includes_in_place_keep_their_files_lines_and_refuse_loops)
{
    /* A setting from an include is named by the include's file and line; an @include inside a string or a
     * block comment is text, as libconfig's scanner reads it; a byte-order mark is skipped; a loop is named
     * with its chain; text after an @include on its line is refused by file and line. */
    char dir[700], path[800], where[256];
    snprintf(dir, sizeof dir, "%s/includes", test_tmpdir());
    CHECK(put_file(dir, "inner.inc", "// inner\n\nracks = { crews = 4; };\n") == 0, "write");
    CHECK(put_file(dir, "top.cfg",
                   "\xEF\xBB\xBFname = \"top\";\n/* @include \"nowhere.inc\"\n*/\nnote = \"a string\n@include \\\"x\\\"\";\n"
                   "@include \"inner.inc\"   // the racks\nsim = { seed = 7; };\n") == 0,
          "write");
    sim_err err;
    snprintf(path, sizeof path, "%s/top.cfg", dir);
    sim_cfg *c = sim_cfg_load(path, &err);
    CHECK(c, "%s", err.msg);
    long long crews, seed;
    const char *note;
    CHECK(sim_cfg_int(c, "racks.crews", 0, 0, 100, &crews, &err) == 0 && crews == 4, "crews %lld", crews);
    CHECK(sim_cfg_int(c, "sim.seed", 0, 0, 100, &seed, &err) == 0 && seed == 7, "seed %lld", seed);
    CHECK(sim_cfg_str(c, "note", NULL, &note, &err) == 0 && !strcmp(note, "a string\n@include \"x\""), "note '%s'", note);
    char want[900];
    snprintf(want, sizeof want, "%s/inner.inc:3", dir);
    CHECK(!strcmp(sim_cfg_where(c, "racks.crews", where, sizeof where), want), "racks.crews is at %s, want %s", where,
          want);
    snprintf(want, sizeof want, "%s:7", path);
    CHECK(!strcmp(sim_cfg_where(c, "sim.seed", where, sizeof where), want), "sim.seed is at %s, want %s", where, want);
    sim_cfg_free(c);
    /* a loop: a.inc -> b.inc -> a.inc */
    CHECK(put_file(dir, "a.inc", "x = 1;\n@include \"b.inc\"\n") == 0 && put_file(dir, "b.inc", "@include \"a.inc\"\n") == 0 &&
              put_file(dir, "loop.cfg", "name = \"loop\";\n@include \"a.inc\"\n") == 0,
          "write");
    snprintf(path, sizeof path, "%s/loop.cfg", dir);
    c = sim_cfg_load(path, &err);
    CHECK(!c, "an include loop was accepted");
    CHECK_STR_CONTAINS(err.msg, "b.inc:1: @include \"a.inc\": an include loop: ");
    CHECK_STR_CONTAINS(err.msg, "a.inc -> ");
    CHECK_STR_CONTAINS(err.msg, "b.inc -> ");
    CHECK(put_file(dir, "after.cfg", "name = \"x\";\n@include \"inner.inc\" seed = 3;\n") == 0, "write");
    snprintf(path, sizeof path, "%s/after.cfg", dir);
    c = sim_cfg_load(path, &err);
    CHECK(!c, "text after an @include was accepted");
    CHECK_STR_CONTAINS(err.msg, "after.cfg:2: @include \"inner.inc\": text after it on its line");
    /* a syntax error inside an include is named by the include's file and line */
    CHECK(put_file(dir, "broken.inc", "a = 1;\nb = ;\n") == 0 && put_file(dir, "uses-broken.cfg", "name = \"x\";\n\n@include \"broken.inc\"\n") == 0,
          "write");
    snprintf(path, sizeof path, "%s/uses-broken.cfg", dir);
    c = sim_cfg_load(path, &err);
    CHECK(!c, "a syntax error was accepted");
    snprintf(want, sizeof want, "%s/broken.inc:2: syntax error", dir);
    CHECK_STR_CONTAINS(err.msg, want);
}

TEST(cfg_a_job_reads_each_file_once)
{
    /* Loads through one sim_inputs see the bytes of the first read, whatever is edited meanwhile (a study's
     * points); a fresh load sees the edit. A FIFO named as a base is refused at once, never waited on. */
    char dir[700], path[800], base[800];
    snprintf(dir, sizeof dir, "%s/snapshot", test_tmpdir());
    CHECK(put_file(dir, "base.cfg", "name = \"base\";\nracks = { crews = 5; };\n") == 0 &&
              put_file(dir, "variant.cfg", "name = \"variant\";\nbase = \"base.cfg\";\n") == 0,
          "write");
    snprintf(path, sizeof path, "%s/variant.cfg", dir);
    snprintf(base, sizeof base, "%s/base.cfg", dir);
    sim_err err;
    sim_inputs *in = sim_inputs_new(&err);
    CHECK(in, "%s", err.msg);
    test_defer((void (*)(void *))sim_inputs_unref, in);
    sim_cfg *c = sim_cfg_load_with(path, in, &err);
    CHECK(c, "%s", err.msg);
    long long crews = 0;
    CHECK(sim_cfg_int(c, "racks.crews", 0, 0, 100, &crews, &err) == 0 && crews == 5, "crews %lld", crews);
    sim_cfg_free(c);
    CHECK(put_file(dir, "base.cfg", "name = \"base\";\nracks = { crews = 9; };\n") == 0, "edit");
    c = sim_cfg_load_with(path, in, &err);
    CHECK(c, "%s", err.msg);
    CHECK(sim_cfg_int(c, "racks.crews", 0, 0, 100, &crews, &err) == 0 && crews == 5, "after the edit, in the same job: "
          "crews %lld, want the 5 it began with", crews);
    sim_cfg_free(c);
    CHECK(sim_inputs_count(in) == 2, "%zu files kept, want the variant and its base", sim_inputs_count(in));
    c = sim_cfg_load(path, &err);
    CHECK(c, "%s", err.msg);
    CHECK(sim_cfg_int(c, "racks.crews", 0, 0, 100, &crews, &err) == 0 && crews == 9, "a new job: crews %lld", crews);
    sim_cfg_free(c);
    char cmd[2000], out[2048];
    snprintf(cmd, sizeof cmd, "rm -f %s && mkfifo %s", base, base);
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "mkfifo: %s", out);
    c = sim_cfg_load(path, &err);
    CHECK(!c, "a FIFO base was read");
    CHECK_STR_CONTAINS(err.msg, "base \"base.cfg\": ");
    CHECK_STR_CONTAINS(err.msg, "not a scenario file (a directory, a device or a pipe)");
}

TEST(cfg_a_bases_file_keys_name_files_beside_the_base)
{
    /* The base in base/ names prices.csv; the variant in variant/ (no such file beside it) uses the base's.
     * A --set of the key names a file beside the scenario run. */
    char dir[700], out[4096];
    snprintf(dir, sizeof dir, "%s/beside", test_tmpdir());
    mkdir(dir, 0777);
    char bdir[800], vdir[800];
    snprintf(bdir, sizeof bdir, "%s/base", dir);
    snprintf(vdir, sizeof vdir, "%s/variant", dir);
    char cwd[3000], text[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "name = \"base\";\nbase = \"%s/tests/data/small.cfg\";\n"
             "site = { grid = { price_per_mwh = { csv = \"prices.csv\"; column = \"p\"; repeat = \"yearly\"; }; }; };\n", cwd);
    CHECK(put_file(bdir, "base.cfg", text) == 0, "write");
    FILE *f;
    snprintf(text, sizeof text, "%s/prices.csv", bdir);
    CHECK((f = fopen(text, "w")) != NULL, "write %s", text);
    fputs("hour,p\n", f);
    for (int h = 0; h < 8760; h++)
        fprintf(f, "%d,%d\n", h, 40 + h % 24);
    fclose(f);
    CHECK(put_file(vdir, "variant.cfg", "name = \"variant\";\nbase = \"../base/base.cfg\";\n") == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "check %s/variant.cfg", vdir);
    CHECK(rc == 0, "the base's prices.csv, from the variant: exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "check %s/variant.cfg --set site.grid.price_per_mwh.csv='\"prices.csv\"'", vdir);
    CHECK(rc == 1, "a --set file beside the variant, where there is none: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "variant/prices.csv': cannot open");
}

TEST(cfg_hourly_values_outside_the_keys_range_are_refused)
{
    /* A cfe_share of 45 in a file is refused as the constant 45 is, naming file, line and column; with a
     * scale the value as used is checked; a scale of 0 is refused. */
    char dir[700], out[4096];
    snprintf(dir, sizeof dir, "%s/hourly-range", test_tmpdir());
    mkdir(dir, 0777);
    char path[800];
    snprintf(path, sizeof path, "%s/cfe.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f, "write %s", path);
    fputs("hour,cfe\n", f);
    for (int h = 0; h < 8760; h++)
        fprintf(f, "%d,%s\n", h, h == 5 ? "45" : "0.4");
    fclose(f);
    char cwd[3000], text[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "name = \"x\";\nbase = \"%s/tests/data/small.cfg\";\n"
             "site = { grid = { cfe_share = { csv = \"cfe.csv\"; column = \"cfe\"; repeat = \"yearly\"; }; }; };\n", cwd);
    CHECK(put_file(dir, "s.cfg", text) == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "check %s/s.cfg", dir);
    CHECK(rc == 1, "a share of 45 in a file: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "cfe.csv:7: column 'cfe': 45 share is outside [0, 1] (");
    CHECK_STR_CONTAINS(out, "s.cfg:3: site.grid.cfe_share.csv");
    snprintf(text, sizeof text, "name = \"x\";\nbase = \"%s/tests/data/small.cfg\";\n"
             "site = { grid = { cfe_share = 45.0; }; };\n", cwd);
    CHECK(put_file(dir, "constant.cfg", text) == 0, "write");
    rc = gigasim_cmd(out, sizeof out, "check %s/constant.cfg", dir);
    CHECK(rc == 1 && strstr(out, "constant.cfg:3: site.grid.cfe_share: must be"), "the constant 45: exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "check %s/s.cfg --set site.grid.cfe_share.scale=0.01", dir);
    CHECK(rc == 0, "45 x 0.01 is a share: exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "check %s/s.cfg --set site.grid.cfe_share.scale=3", dir);
    CHECK(rc == 1, "0.4 x 3: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "cfe.csv:2: column 'cfe': 0.4 (x scale 3 = 1.2)");
    rc = gigasim_cmd(out, sizeof out, "check %s/s.cfg --set site.grid.cfe_share.scale=0", dir);
    CHECK(rc == 1, "a scale of 0: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "site.grid.cfe_share.scale: a scale of 0 would make every hour of the file 0");
}

TEST(cfg_a_value_that_would_not_take_effect_is_refused)
{
    /* A site's timeline.durations.X replaces the phase X's duration_days: a --set of the replaced key, a
     * variant that sets it above the base that gives durations.X, and a file setting both, are refused
     * naming both keys; a --set of a key whose part of the model is off is refused; a sweep of such a key is
     * refused before any point runs. The site's own, lower-layer phase durations are replaced silently, as
     * layering means. */
    char out[8192], dir[700], path[800];
    int rc = gigasim_cmd(out, sizeof out, "check scenarios/sites/de.cfg --set timeline.phases.grid_interconnection.duration_days=10");
    CHECK(rc == 1, "a --set that does not take effect: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--set: timeline.phases.[1].duration_days does not take effect: "
                            "timeline.durations.grid_interconnection (scenarios/sites/de.cfg:15) replaces it");
    rc = gigasim_cmd(out, sizeof out, "check scenarios/sites/de.cfg --set timeline.durations.grid_interconnection=10");
    CHECK(rc == 0, "the key that takes effect: exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "sweep scenarios/sites/de.cfg -n 2 --vary timeline.phases.grid_interconnection.duration_days=10:20 "
                     "-o %s/refused-sweep", test_tmpdir());
    CHECK(rc == 1 && !strstr(out, "sweep point"), "a sweep of a replaced key: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--vary timeline.phases.grid_interconnection.duration_days=10: --set: ");
    rc = gigasim_cmd(out, sizeof out, "check tests/data/small.cfg --set site.grid.flexible_lead_days=30");
    CHECK(rc == 1, "a --set of a key switched off: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--set site.grid.flexible_lead_days: does not take effect in this scenario");
    snprintf(dir, sizeof dir, "%s/replaced", test_tmpdir());
    char cwd[3000], text[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "@include \"%s/tests/data/small_base.inc\"\ntimeline = { durations = { grid = 50.0; };\n"
             "  phases = ( { name = \"permits\"; duration_days = 100.0; }, { name = \"grid\"; after = [\"permits\"]; "
             "duration_days = 200.0; }, { name = \"shell\"; after = [\"permits\"]; duration_days = 150.0; }, "
             "{ name = \"fitout\"; after = [\"shell\"]; duration_days = 30.0; }, { name = \"commissioning\"; "
             "after = [\"fitout\"]; duration_days = 10.0; } ); };\n", cwd);
    CHECK(put_file(dir, "both.cfg", text) == 0, "write");
    snprintf(path, sizeof path, "%s/both.cfg", dir);
    rc = gigasim_cmd(out, sizeof out, "check %s", path);
    CHECK(rc == 1, "a file that sets both: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "both.cfg:3: timeline.phases.[1].duration_days does not take effect: timeline.durations.grid");
    /* durations.grid in the base, the phase's duration in the variant above it */
    snprintf(text, sizeof text, "name = \"b\";\nbase = \"%s/tests/data/small.cfg\";\ntimeline = { durations = { grid = 50.0; }; };\n",
             cwd);
    CHECK(put_file(dir, "base.cfg", text) == 0, "write");
    CHECK(put_file(dir, "variant.cfg",
                   "name = \"v\";\nbase = \"base.cfg\";\ntimeline = { phases = ( { name = \"permits\"; duration_days = 100.0; }, "
                   "{ name = \"grid\"; after = [\"permits\"]; duration_days = 20.0; }, { name = \"shell\"; after = [\"permits\"]; "
                   "duration_days = 150.0; }, { name = \"fitout\"; after = [\"shell\"]; duration_days = 30.0; }, "
                   "{ name = \"commissioning\"; after = [\"fitout\"]; duration_days = 10.0; } ); };\n") == 0,
          "write");
    rc = gigasim_cmd(out, sizeof out, "check %s/variant.cfg", dir);
    CHECK(rc == 1, "a variant's phase duration under the base's override: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "variant.cfg:3: timeline.phases.[1].duration_days does not take effect");
    rc = gigasim_cmd(out, sizeof out, "check %s/base.cfg", dir);
    CHECK(rc == 0, "the base alone (its preset's durations replaced by its own): exit %d: %s", rc, out);
}

TEST(cfg_the_resolved_scenario_marks_where_each_value_came_from)
{
    /* The scenario's own copy of a key set by --set is marked --set, the preset's copy of the same key is
     * not (it is marked not used); a value of a part switched off is marked not used. */
    char out[8192], dir[700];
    snprintf(dir, sizeof dir, "%s/marks", test_tmpdir());
    char cwd[3000], text[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "@include \"%s/tests/data/small_base.inc\"\nsite = { grid = { capacity_mw = 100.0; "
             "energized_after = \"grid\"; co2_kg_per_mwh = 300.0; price_per_mwh = 50.0; }; };\n", cwd);
    CHECK(put_file(dir, "s.cfg", text) == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "run %s/s.cfg -n 1 -o %s/out -q --set site.grid.price_per_mwh=60", dir, dir);
    CHECK(rc == 0, "%s", out);
    char p[900];
    snprintf(p, sizeof p, "%s/out/scenario.cfg", dir);
    char *t = read_text(p);
    CHECK(t, "no %s", p);
    test_defer(free, t);
    CHECK_STR_CONTAINS(t, "price_per_mwh = 60.0; // --set\n");
    CHECK_STR_CONTAINS(t, "price_per_mwh = 100.0; // not used in this run\n");
    CHECK(!strstr(t, "price_per_mwh = 100.0; // --set"), "the preset's copy is marked --set: %s", t);
}
