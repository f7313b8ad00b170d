/* The layers: sim/ is the plumbing of any model set and knows nothing of a
 * site. No string in sim/'s code (comments aside) is a site metric's name,
 * a group of them or a part of one (four letters or more), or a scenario
 * key of the site's groups (site.*, racks.*, timeline.*, ...: every group a
 * bundled scenario and its preset set, but sim.* which sim/ reads itself):
 * what sim/ says of a site comes from the app's tables (sim/app.h). */
#include <dirent.h>
#include <libconfig.h>
#include <stdlib.h>

#include "models/site/site.h"
#include "test.h"

#define MAX_WORDS 2048

typedef struct words {
    char *w[MAX_WORDS];
    size_t n;
} words;

static void add(words *ws, const char *s, size_t len)
{
    for (size_t i = 0; i < ws->n; i++)
        if (strlen(ws->w[i]) == len && !strncmp(ws->w[i], s, len))
            return;
    if (ws->n < MAX_WORDS)
        ws->w[ws->n++] = strndup(s, len);
}

static bool has(const words *ws, const char *s)
{
    for (size_t i = 0; i < ws->n; i++)
        if (!strcmp(ws->w[i], s))
            return true;
    return false;
}

/* The metric names, their groups ("a.b" of "a.b.c") and their parts of four letters or more. */
static void metric_words(words *ws)
{
    for (size_t m = 0; m < site_app.n_metrics; m++) {
        const char *name = site_app.metrics[m].name;
        add(ws, name, strlen(name));
        for (const char *p = name, *d; (d = strchr(p, '.')) != NULL; p = d + 1) {
            add(ws, name, (size_t)(d - name));
            if (d - p >= 4)
                add(ws, p, (size_t)(d - p));
        }
        const char *last = strrchr(name, '.');
        if (last && strlen(last + 1) >= 4)
            add(ws, last + 1, strlen(last + 1));
    }
}

/* The scenario groups of the bundled 1 GW scenario and of its preset. */
static void key_groups(words *ws)
{
    config_t c;
    config_init(&c);
    config_set_include_dir(&c, "scenarios");
    CHECK(config_read_file(&c, "scenarios/eu-gigafactory-1gw.cfg") == CONFIG_TRUE, "the bundled scenario: %s line %d",
          config_error_text(&c), config_error_line(&c));
    const config_setting_t *levels[2] = {config_root_setting(&c), config_lookup(&c, "preset")};
    for (int l = 0; l < 2; l++)
        for (int i = 0; levels[l] && i < config_setting_length(levels[l]); i++) {
            const char *g = config_setting_name(config_setting_get_elem(levels[l], (unsigned)i));
            static const char *const sims[] = {"sim", "name", "base", "preset", "currency"}; /* sim/'s own */
            bool own = false;
            for (size_t k = 0; k < sizeof sims / sizeof *sims; k++)
                own |= !strcmp(g, sims[k]);
            if (g && !own)
                add(ws, g, strlen(g));
        }
    config_destroy(&c);
}

/* Each string literal of a C file, comments and character constants aside, to fn. */
static void literals(const char *text, void (*fn)(const char *lit, void *ctx), void *ctx)
{
    char lit[4096];
    for (const char *s = text; *s;) {
        if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else if (s[0] == '/' && s[1] == '/') {
            s += strcspn(s, "\n");
        } else if (*s == '\'') {
            for (s++; *s && *s != '\''; s += (*s == '\\' && s[1]) ? 2 : 1)
                ;
            if (*s)
                s++;
        } else if (*s == '"') {
            size_t n = 0;
            for (s++; *s && *s != '"'; s++) {
                if (*s == '\\' && s[1])
                    s++;
                if (n < sizeof lit - 1)
                    lit[n++] = *s;
            }
            lit[n] = '\0';
            fn(lit, ctx);
            if (*s)
                s++;
        } else
            s++;
    }
}

typedef struct scan {
    const char *file;
    const words *metrics, *groups;
    int hits;
    bool report; /* a failed check for each hit */
} scan;

static void check_literal(const char *lit, void *p)
{
    scan *sc = p;
    bool hit = has(sc->metrics, lit) || has(sc->groups, lit);
    for (size_t i = 0; !hit && i < sc->groups->n; i++) {
        size_t l = strlen(sc->groups->w[i]);
        hit = !strncmp(lit, sc->groups->w[i], l) && lit[l] == '.';
    }
    if (hit) {
        sc->hits++;
        CHECK(!sc->report, "%s: \"%s\" names a site metric or scenario key: it belongs to the app's tables (sim/app.h)",
              sc->file, lit);
    }
}

/* fn(path, text, ctx) for every .c and .h under dir, its folders too; returns how many. */
static int each_c_file(const char *dir, void (*fn)(const char *path, const char *text, void *ctx), void *ctx)
{
    int files = 0;
    DIR *d = opendir(dir);
    if (!d) {
        test_fail(__FILE__, __LINE__, "cannot list %s", dir);
        return 0;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (e->d_type == DT_DIR) {
            files += each_c_file(path, fn, ctx);
            continue;
        }
        if (l < 3 || e->d_name[l - 2] != '.' || (e->d_name[l - 1] != 'c' && e->d_name[l - 1] != 'h'))
            continue;
        char *text = read_text(path);
        if (!text) {
            test_fail(__FILE__, __LINE__, "cannot read %s", path);
            continue;
        }
        fn(path, text, ctx);
        free(text);
        files++;
    }
    closedir(d);
    return files;
}

typedef struct tables {
    const words *metrics, *groups;
    int hits;
} tables;

static void scan_file(const char *path, const char *text, void *p)
{
    tables *t = p;
    scan sc = {path, t->metrics, t->groups, 0, true};
    literals(text, check_literal, &sc);
    t->hits += sc.hits;
}

TEST(layers_sim_names_no_site_metric_or_key)
{
    words metrics = {0}, groups = {0};
    metric_words(&metrics);
    key_groups(&groups);
    CHECK(metrics.n > 100 && has(&metrics, "co2_t") && has(&metrics, "delay_days_by_cause") &&
              has(&metrics, "first_token"),
          "the metric words were not gathered (%zu)", metrics.n);
    CHECK(has(&groups, "site") && has(&groups, "racks") && has(&groups, "timeline") && !has(&groups, "sim"),
          "the scenario groups were not gathered (%zu)", groups.n);
    tables t = {&metrics, &groups, 0};
    int files = each_c_file("sim", scan_file, &t), hits = t.hits;
    CHECK(files >= 40, "only %d files under sim/", files);
    fprintf(stderr, "  %d files under sim/, %zu metric words, %zu scenario groups: %d named\n", files, metrics.n,
            groups.n, hits);
    /* the scan finds what it looks for, in code and not in comments */
    scan probe = {"probe", &metrics, &groups, 0, false};
    literals("x = \"co2_t\"; /* \"racks.crews\" */ y = '\"'; z = \"racks.crews\"; w = \"sim.seed\";", check_literal,
             &probe);
    CHECK(probe.hits == 2, "the probe's two site names gave %d hits", probe.hits);
    for (size_t i = 0; i < metrics.n; i++)
        free(metrics.w[i]);
    for (size_t i = 0; i < groups.n; i++)
        free(groups.w[i]);
}

typedef struct seen {
    char got[8][64];
    int n;
} seen;

static void collect(const char *lit, void *p)
{
    seen *s = p;
    if (s->n < 8)
        snprintf(s->got[s->n++], 64, "%s", lit);
}

TEST(layers_the_literal_scan_sees_strings_not_comments)
{
    /* a literal is seen with its escapes undone; a comment's and a character constant's text is not */
    seen s = {.n = 0};
    literals("a(\"one\"); /* \"two\" */ b('\"'); // \"three\"\nc(\"fo\\\"ur\"); d(\"five.six\");", collect, &s);
    CHECK(s.n == 3, "%d literals", s.n);
    CHECK(s.n == 3 && !strcmp(s.got[0], "one") && !strcmp(s.got[1], "fo\"ur") && !strcmp(s.got[2], "five.six"),
          "seen: '%s' '%s' '%s'", s.got[0], s.got[1], s.got[2]);
}

/* A file's includes against the layer rule: sim/core < sim/config < sim/app.h < sim/study < sim/present. */
static void check_layers(const char *path, const char *text, void *ctx)
{
    (void)ctx;
    static const char *const order[] = {"core", "config", "app", "study", "present"}; /* lower first */
    int mine = -1; /* this file's layer: its folder, or "app" for sim/app.[ch]; none for sim/tools */
    for (int k = 0; k < 5; k++) {
        char pre[64];
        snprintf(pre, sizeof pre, "sim/%s", order[k]);
        if (!strncmp(path, pre, strlen(pre)) && (path[strlen(pre)] == '/' || path[strlen(pre)] == '.'))
            mine = k;
    }
    for (const char *p = text; mine >= 0 && (p = strstr(p, "#include \"sim/")) != NULL; p++) {
        const char *what = p + strlen("#include \"sim/");
        for (int k = 0; k < 5; k++) {
            size_t kl = strlen(order[k]);
            if (!strncmp(what, order[k], kl) && (what[kl] == '/' || what[kl] == '.'))
                CHECK(k <= mine, "%s includes sim/%.*s: the %s layer may not use the %s layer above it", path,
                      (int)strcspn(what, "\""), what, order[mine], order[k]);
        }
    }
}

TEST(layers_sim_folders_use_only_the_layers_below)
{
    /* core (engine, queues, random numbers, laws, statistics) < config (files, layers, --set, hourly
     * inputs) < app (the contract with the models) < study (replications, comparisons, sweeps,
     * sensitivity, MPI, shards, the output files) < present (charts, the report) */
    int files = each_c_file("sim", check_layers, NULL);
    CHECK(files >= 40, "only %d files in the layers", files);
}

/* Each function body of a file (a line "{" to the next line "}", the style every file keeps) at most
 * 80 lines; the generated tables are data, not functions. */
static void check_lengths(const char *path, const char *text, void *ctx)
{
    int *n_fn = ctx;
    if (strstr(path, "ziggurat_tables.c") || path[strlen(path) - 1] != 'c')
        return;
    int line = 1, open_at = 0;
    for (const char *p = text; *p; p++) {
        bool bol = p == text || p[-1] == '\n';
        if (bol && p[0] == '{' && (p[1] == '\n' || p[1] == '\0')) {
            open_at = line;
        } else if (bol && p[0] == '}' && open_at && (p[1] == '\n' || p[1] == '\0' || p[1] == ';')) {
            int body = line - open_at - 1;
            (*n_fn)++;
            CHECK(body <= 80, "%s: the function whose body opens on line %d has %d lines (at most 80: split it by "
                              "what its parts do)", path, open_at, body);
            open_at = 0;
        }
        if (*p == '\n')
            line++;
    }
}

TEST(layers_no_function_is_longer_than_80_lines)
{
    int n_fn = 0;
    static const char *const dirs[] = {"sim", "models", "lib", "bench"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        each_c_file(dirs[i], check_lengths, &n_fn);
    char *main_c = read_text("main.c");
    CHECK(main_c, "cannot read main.c");
    check_lengths("main.c", main_c, &n_fn);
    free(main_c);
    CHECK(n_fn > 500, "only %d functions found: the scan no longer sees the code's style", n_fn);
}
