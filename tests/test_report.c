/* The HTML report (sim/present/report.h): what it holds, read from its text, and
 * how it renders in a real browser (headless Chromium): every figure drawn
 * with a size, no console message, the key numbers on the page. The browser
 * tests run when `chromium` is installed, and must run when
 * GIGASIM_REQUIRE_CHROMIUM=1 (CI sets it). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/app.h"
#include "sim/core/calendar.h"
#include "test.h"

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* A run of the dated EU scenario (few replications) and its report. */
static const char *report_run_dir(void)
{
    static char dir[600];
    static int made = -1;
    if (made < 0) {
        char out[8192];
        snprintf(dir, sizeof dir, "%s/report-run", test_tmpdir());
        made = gigasim_cmd(out, sizeof out,
                           "run scenarios/eu-gigafactory-1gw.cfg -n 4 -o %s --quiet --set sim.horizon_days=2200 && "
                           "%s report %s --quiet",
                           dir, gigasim_bin(), dir) == 0;
        if (!made)
            fprintf(stderr, "report-run: %s\n", out);
    }
    return made ? dir : NULL;
}

TEST(report_holds_the_figures_charts_sources_and_dictionary)
{
    const char *dir = report_run_dir();
    CHECK(dir, "the run or its report failed");
    char path[700], out[8192];
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    snprintf(path, sizeof path, "%s/summary.json", dir);
    cJSON *sum = test_read_json(path);
    CHECK(sum, "no summary");
    test_defer((void (*)(void *))cJSON_Delete, sum);
    /* the headline: first token's P50 date, the scenario's name */
    const cJSON *ft = cJSON_GetObjectItemCaseSensitive(sum, "time_to_first_token_days");
    const cJSON *d50 = cJSON_GetObjectItemCaseSensitive(ft, "date_p50");
    CHECK(cJSON_IsString(d50), "no date_p50 in the summary");
    CHECK_STR_CONTAINS(html, d50->valuestring);
    CHECK_STR_CONTAINS(html, "<h1>EU AI gigafactory, 1 GW</h1>");
    /* the decision page comes first: first token's P50 as a date in words, and the share of replications that
     * reached it by the first 1 January after its P10, counted here from replications.csv */
    const char *decision = strstr(html, "<section id=\"decision\"");
    CHECK(decision && decision < strstr(html, "<section id=\"headline\""), "no decision page before the figures");
    static const char *const MONTHS[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    int y, mo, dd, y10, m10, d10;
    const char *d10s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ft, "date_p10"));
    CHECK(d10s && sscanf(d50->valuestring, "%d-%d-%d", &y, &mo, &dd) == 3 && sscanf(d10s, "%d-%d-%d", &y10, &m10, &d10) == 3,
          "dates");
    char words[128];
    snprintf(words, sizeof words, "First token</b>: <span class=\"p50\">%d %s %d</span>", dd, MONTHS[mo - 1], y);
    CHECK_STR_CONTAINS(decision, words);
    int64_t start, jan1;
    CHECK(sim_date_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sum, "start_date")), &start) == 0 &&
              sim_days_from_civil(y10 + 1, 1, 1) > 0,
          "start date");
    jan1 = sim_days_from_civil(y10 + 1, 1, 1);
    snprintf(path, sizeof path, "%s/replications.csv", dir);
    char *csv = read_text(path);
    CHECK(csv, "no %s", path);
    test_defer(free, csv);
    int n = 0, by = 0;
    for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *c = strchr(line + 1, ','); /* replication, then first token's days */
        n++;
        by += c && c[1] != ',' && atof(c + 1) <= (double)(jan1 - start);
    }
    snprintf(words, sizeof words, "by %d-01-01 in %.3g %%", y10 + 1, 100.0 * by / n);
    CHECK_STR_CONTAINS(decision, words);
    CHECK_STR_CONTAINS(decision, "Net present value over the life</b>: <span class=\"p50\">");
    CHECK_STR_CONTAINS(decision, "What held first token back most</b>: ");
    /* a money figure as a person reads it: the P50 capex in billions of euros, three figures, in its row */
    const cJSON *capex = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sum, "money"), "capex");
    const cJSON *cp50 = cJSON_GetObjectItemCaseSensitive(capex, "p50");
    CHECK(cJSON_IsNumber(cp50) && cp50->valuedouble > 1e9, "capex P50 not in billions");
    char want[64];
    snprintf(want, sizeof want, "<td class=\"num p50\">\xE2\x82\xAC%.3g bn</td>", cp50->valuedouble / 1e9);
    const char *row = strstr(html, "<code>money.capex</code>");
    CHECK(row && strstr(row, want), "the capex row does not show %s", want);
    /* rows headed by the figure in words, its description and name beneath */
    const char *head = strstr(html, "<section id=\"headline\"");
    CHECK_STR_CONTAINS(head, "<th scope=\"row\">First token<br><small class=\"what\">days from day 0 until");
    CHECK_STR_CONTAINS(head, "<th scope=\"row\">Capital spent<br><small class=\"what\">capital spent within the "
                             "horizon: racks, halls, energy assets</small> <code>money.capex</code></th>");
    /* every chart the plot scripts draw for a run, inline as SVG: as many as `plot` draws */
    int rc = gigasim_cmd(out, sizeof out, "plot --format=svg %s", dir);
    CHECK(rc == 0, "plot: %s", out);
    int n_charts = atoi(strstr(out, "gigasim: ") ? strstr(out, "gigasim: ") + 9 : "0");
    CHECK(n_charts >= 5, "plot drew %d charts: %s", n_charts, out);
    CHECK(count_of(html, "<figure") == n_charts && count_of(html, "<svg") == n_charts,
          "%d figures and %d inline SVGs in the report, plot draws %d charts", count_of(html, "<figure"),
          count_of(html, "<svg"), n_charts);
    /* each chart's ids are its own */
    CHECK(count_of(html, "id=\"c1-gnuplot_canvas\"") == 1 && count_of(html, "id=\"gnuplot_canvas\"") == 0,
          "chart ids not prefixed");
    /* the assumptions: resolved settings with their citations linked to the rows of SOURCES.md */
    CHECK_STR_CONTAINS(html, "[<a href=\"#src-TL-TRAFO\">TL-TRAFO</a>]");
    CHECK_STR_CONTAINS(html, "<tr id=\"src-TL-TRAFO\">");
    CHECK_STR_CONTAINS(html, "horizon_days = 2200; // --set");
    /* the data dictionary: every metric */
    rc = gigasim_cmd(out, sizeof out, "metrics | grep -c '^| `'");
    int n_metrics = atoi(out);
    CHECK(rc == 0 && n_metrics > 50, "metrics: %s", out);
    const char *dict = strstr(html, "<section id=\"dictionary\">");
    CHECK(dict, "no data dictionary");
    CHECK(count_of(dict, "<tr><td><code>") == n_metrics, "%d rows in the dictionary, %d metrics",
          count_of(dict, "<tr><td><code>"), n_metrics);
    /* nothing from the network: a policy that forbids it, and no address to fetch */
    CHECK_STR_CONTAINS(html, "content=\"default-src 'none';");
    CHECK(!strstr(html, "src=\"http") && !strstr(html, "href=\"http") && !strstr(html, "url(http"),
          "the report refers to a network address");
    /* the same directory gives the same bytes; the run's own charts are untouched */
    snprintf(path, sizeof path, "%s/report.html", dir);
    char cmd[8000];
    snprintf(cmd, sizeof cmd, "cp %s %s.first && %s report --quiet %s && cmp %s %s.first && ls %s/*.svg | wc -l", path,
             path, gigasim_bin(), dir, path, path, dir);
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0 && atoi(out) == n_charts, "a second report differs, or the charts changed: %s", out);
}

TEST(report_labels_name_the_apps_figures_once)
{
    /* every figure in words names a metric of the app, once, with words; the decision page has figures */
    extern const sim_app site_app;
    size_t on_page = 0;
    for (size_t k = 0; k < site_app.n_labels; k++) {
        const sim_label *l = &site_app.labels[k];
        CHECK(sim_metric_find(site_app.metrics, site_app.n_metrics, l->metric) >= 0, "label of no metric: %s",
              l->metric);
        CHECK(l->words && *l->words, "%s has no words", l->metric);
        for (size_t j = 0; j < k; j++)
            CHECK(strcmp(site_app.labels[j].metric, l->metric), "%s labelled twice", l->metric);
        on_page += l->decision;
    }
    CHECK(on_page >= 5, "%zu figures on the decision page", on_page);
}

TEST(report_refuses_what_is_not_an_output_directory)
{
    /* a directory with a file of the user's and a subdirectory, neither a gigasim output */
    char out[4096], dir[700];
    snprintf(dir, sizeof dir, "%s/not-output", test_tmpdir());
    CHECK(put_file(dir, "notes.txt", "mine\n") == 0, "write");
    char sub[800];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    CHECK(put_file(sub, "summary.txt", "mine\n") == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "report %s", dir);
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "not a gigasim output directory");
    rc = gigasim_cmd(out, sizeof out, "report");
    CHECK(rc == 2, "no directory: exit %d: %s", rc, out);
}

/* The browser: Debian's chromium, or $CHROMIUM. */
const char *report_chromium(void)
{
    const char *env = getenv("CHROMIUM");
    if (env && *env)
        return env;
    return access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
}

/* Renders a report in headless Chromium: the DOM after its scripts ran
 * (malloc'd), and the console's messages (stderr, filtered). */
static char *render(const char *html_path, char *console, size_t console_len, int *rc)
{
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "%s --headless --no-sandbox --disable-gpu --user-data-dir=%s/chromium-profile --enable-logging=stderr "
             "--v=0 --dump-dom file://%s > %s/dom.html 2>%s/chromium.err",
             report_chromium(), test_tmpdir(), html_path, test_tmpdir(), test_tmpdir());
    *rc = run_cmd(cmd, NULL, 0);
    snprintf(cmd, sizeof cmd, "grep ':CONSOLE' %s/chromium.err | head -5", test_tmpdir());
    run_cmd(cmd, console, console_len);
    snprintf(cmd, sizeof cmd, "%s/dom.html", test_tmpdir());
    return read_text(cmd);
}

void report_check_rendered(const char *dir, const char *key_text, int min_figures)
{
    const char *texts[] = {key_text, NULL};
    report_check_rendered_all(dir, texts, min_figures);
}

void report_check_rendered_all(const char *dir, const char *const *texts, int min_figures)
{
    char path[800], console[4096];
    snprintf(path, sizeof path, "%s/report.html", dir); /* absolute: under test_tmpdir() */
    int rc;
    char *dom = render(path, console, sizeof console, &rc);
    CHECK(rc == 0 && dom, "chromium failed (exit %d)", rc);
    test_defer(free, dom);
    const char *sc = strstr(dom, "id=\"selfcheck\"");
    CHECK(sc, "the self-check did not run: %.300s", dom);
    int figures = -1, rendered = -1, errors = -1;
    const char *p;
    if ((p = strstr(sc, "data-figures=\"")))
        figures = atoi(p + 14);
    if ((p = strstr(sc, "data-rendered=\"")))
        rendered = atoi(p + 15);
    if ((p = strstr(sc, "data-errors=\"")))
        errors = atoi(p + 13);
    CHECK(figures >= min_figures && rendered == figures && errors == 0,
          "%s: %d figures, %d rendered with a size, %d script errors (want >= %d, all, 0)", dir, figures, rendered,
          errors, min_figures);
    CHECK(console[0] == '\0', "%s: the console said: %s", dir, console);
    for (const char *const *t = texts; *t; t++)
        CHECK(strstr(dom, *t), "%s: '%s' is not on the rendered page", dir, *t);
}

TEST(report_renders_in_a_real_browser)
{
    if (!report_chromium()) {
        const char *req = getenv("GIGASIM_REQUIRE_CHROMIUM");
        CHECK(!(req && *req == '1'), "GIGASIM_REQUIRE_CHROMIUM=1 but chromium is not installed");
        printf("     (chromium not installed: the browser test is skipped; apt-get install chromium)\n");
        return;
    }
    const char *dir = report_run_dir();
    CHECK(dir, "the run or its report failed");
    char path[700];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    cJSON *sum = test_read_json(path);
    CHECK(sum, "no summary");
    test_defer((void (*)(void *))cJSON_Delete, sum);
    const cJSON *d50 =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sum, "time_to_first_token_days"), "date_p50");
    CHECK(cJSON_IsString(d50), "no date_p50");
    /* a run's: its decision figures and the charts of a buildout study (a Gantt chart, the cash flow) */
    const char *run_texts[] = {d50->valuestring, "<b>First token</b>", "<b>Full capacity</b>",
                               "<b>Cost per GPU-hour over the life</b>", "<b>Net present value over the life</b>",
                               "<b>Internal rate of return</b>", "<b>CO2 over the horizon</b>",
                               "The timeline's phases: median start", "Cash flow by year over the site's life", NULL};
    report_check_rendered_all(dir, run_texts, 7);
    if (test_failed_now())
        return;
    /* a comparison's report: its charts and the paired difference */
    char out[8192], cdir[700];
    snprintf(cdir, sizeof cdir, "%s/report-compare", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out,
                         "compare scenarios/eu-vs-us/eu.cfg scenarios/eu-vs-us/us.cfg -n 3 --set sim.horizon_days=1800 "
                         "--set serving.enabled=false -o %s --quiet > /dev/null && %s report --quiet %s",
                         cdir, gigasim_bin(), cdir);
    CHECK(rc == 0, "compare and report: %s", out);
    const char *cmp_texts[] = {"Paired difference", "<b>First token</b>: best", "<b>Net present value over the life</b>: best",
                               "When first token comes in each scenario", "Scenarios ranked by first token", NULL};
    report_check_rendered_all(cdir, cmp_texts, 7);
    /* its header names every scenario compared, not the first alone */
    char hpath[800];
    snprintf(hpath, sizeof hpath, "%s/report.html", cdir);
    char *html = read_text(hpath);
    CHECK(html, "no %s", hpath);
    test_defer(free, html);
    CHECK_STR_CONTAINS(html, "scenarios 1 GW project in the EU, 1 GW project in the US &middot;");
    /* a site study's (more scenarios than a chart has lines): its ranking and money charts, its decision page */
    char sdir[700], files[2000] = "";
    snprintf(sdir, sizeof sdir, "%s/report-sites", test_tmpdir());
    for (int i = 0; i < 9; i++)
        strcat(files, "tests/data/small.cfg ");
    rc = gigasim_cmd(out, sizeof out, "compare %s -n 2 -o %s --quiet > /dev/null && %s report --quiet %s", files, sdir,
                     gigasim_bin(), sdir);
    CHECK(rc == 0, "site study and report: %s", out);
    const char *site_texts[] = {"site study", "these sites", "<b>First token</b>: best",
                                "Sites ranked by first token", "Net present value over the life and energy cost", NULL};
    report_check_rendered_all(sdir, site_texts, 2);
}

TEST(report_escapes_a_hand_edited_currency_and_runs_refuse_a_bad_one)
{
    /* a scenario's currency is an ISO 4217 code or refused by name; a summary edited by hand to carry markup as
     * its currency reaches the page as text */
    char out[8192], dir[700], path[800];
    int rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 1 -q --set 'currency=\"<i>X</i>\"' -o %s/cur-bad",
                         test_tmpdir());
    CHECK(rc == 1, "a currency of markup: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "currency: '<i>X</i>' is not an ISO 4217 code");
    snprintf(dir, sizeof dir, "%s/cur-edited", test_tmpdir());
    rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 1 -q --set 'currency=\"CHF\"' -o %s && sed -i "
                     "'s/\"CHF\"/\"<i>X<\\/i>\"/' %s/summary.json && %s report -q %s", dir, dir, gigasim_bin(), dir);
    CHECK(rc == 0, "run, edit, report: exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    CHECK(!strstr(html, "<i>X</i>"), "the edited currency reached the page as markup");
    CHECK_STR_CONTAINS(html, "&lt;i&gt;X&lt;/i&gt; ");
}

TEST(report_and_charts_take_any_scenario_name)
{
    /* The directory's name has a quote too (gnuplot is given it quoted, not refused). A name with a quote and
     * gnuplot's markup characters (_ ^ { } @ & ~ <) reaches the charts' titles (single
     * quotes doubled, markup escaped: gnuplot would otherwise fail or eat characters; '&' as "and", which gnuplot's
     * SVG would leave raw) and the page (HTML-escaped); the SVG stays well-formed XML. */
    char out[8192], path[700], t[600];
    snprintf(t, sizeof t, "%s/it's", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out,
                         "run tests/data/small.cfg -n 2 --set 'name=\"O'\"'\"'Brien_site {x} ^2 @&~ <b>\"' -o \"%s/odd-name\" -q && "
                         "%s plot --format=png,svg \"%s/odd-name\" && %s report -q \"%s/odd-name\"",
                         t, gigasim_bin(), t, gigasim_bin(), t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/odd-name/gpus_online.svg", t);
    char *svg = read_text(path);
    CHECK(svg, "no %s", path);
    test_defer(free, svg);
    CHECK_STR_CONTAINS(svg, "O'Brien_site {x} ^2 @and~ &lt;b>");
    /* every '&' starts an entity, as XML requires */
    for (const char *a = strchr(svg, '&'); a; a = strchr(a + 1, '&')) {
        static const char *const ent[] = {"&lt;", "&gt;", "&amp;", "&quot;", "&apos;", "&#"};
        int ok = 0;
        for (int e = 0; e < 6; e++)
            ok |= !strncmp(a, ent[e], strlen(ent[e]));
        CHECK(ok, "a raw '&' in the SVG: %.40s", a);
    }
    snprintf(path, sizeof path, "%s/odd-name/report.html", t);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    CHECK_STR_CONTAINS(html, "<h1>O&#39;Brien_site {x} ^2 @&amp;~ &lt;b&gt;</h1>");
}

TEST(report_and_charts_take_names_of_any_kind_in_a_comparison_and_a_sweep)
{
    /* A name with commas, quotes, '&', '<', ';', letters beyond ASCII, 200 characters long, compared with a
     * scenario of the same name and with another: compare, plot (PNG and SVG) and report succeed; the legend
     * shows the names (cut to fit, each twin with its file's label), never a path; a sweep's chart is titled by
     * the scenario's name, not its file. */
    char dir[700], out[16384], cmd[4000];
    snprintf(dir, sizeof dir, "%s/any-names", test_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cd %s && N=$(printf 'R\\303\\251gion \\303\\216le-de-France, \\\\\"q\\\\\" & <b>; semi %%.0s' "
             "1 2 3 4 5 | cut -c1-200) && printf 'name = \"%%s\";\\nbase = \"%s/tests/data/small.cfg\";\\n' \"$N\" > odd.cfg && "
             "cp odd.cfg twin.cfg", dir, dir, getenv("PWD") ? getenv("PWD") : ".");
    CHECK(run_cmd(cmd, out, sizeof out) == 0, "%s", out);
    int rc = gigasim_cmd(out, sizeof out, "compare %s/odd.cfg %s/twin.cfg tests/data/small.cfg -n 2 -o %s/cmp -q > /dev/null && "
                         "%s plot --format=png,svg %s/cmp 2>&1 && %s report -q %s/cmp", dir, dir, dir, gigasim_bin(), dir,
                         gigasim_bin(), dir);
    CHECK(rc == 0, "compare, plot, report: exit %d: %s", rc, out);
    char path[800];
    snprintf(path, sizeof path, "%s/cmp/compare_gpus_online.svg", dir);
    char *svg = read_text(path);
    CHECK(svg, "no %s", path);
    test_defer(free, svg);
    CHECK_STR_CONTAINS(svg, "R\xc3\xa9gion \xc3\x8ele-de-France, \"q\" and &lt;b>; semi");
    CHECK_STR_CONTAINS(svg, "(odd)");
    CHECK_STR_CONTAINS(svg, "(twin)");
    CHECK(!strstr(svg, ".cfg"), "a file path in the chart's legend");
    CHECK(!strstr(svg, "difficulty fitting"), "legend dropped");
    rc = gigasim_cmd(out, sizeof out, "sweep %s/odd.cfg -n 2 --vary racks.crews=1:3 -o %s/sw -q > /dev/null && %s plot "
                     "--format=svg %s/sw", dir, dir, gigasim_bin(), dir);
    CHECK(rc == 0, "sweep and plot: exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/sw/tornado.svg", dir);
    char *tor = read_text(path);
    CHECK(tor, "no %s", path);
    test_defer(free, tor);
    CHECK_STR_CONTAINS(tor, "R\xc3\xa9gion \xc3\x8ele-de-France");
    CHECK(!strstr(tor, "odd.cfg"), "the sweep's chart is titled by its file");
    if (report_chromium())
        report_check_rendered((snprintf(path, sizeof path, "%s/cmp", dir), path), "de-France", 4);
}

TEST(report_gives_the_share_by_the_scenarios_dates)
{
    /* The small site from 2026-01-01 serves its first token on day 303 (31 October 2026) in every replication:
     * by 2026-10-30 in 0 %, by 2026-11-01 in 100 %. Five dates, a date with no start date, or a date not
     * written YYYY-MM-DD are refused by file, line and key. */
    char cwd[4000], text[8000], out[8192], path[700];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    const char *t = test_tmpdir();
    snprintf(text, sizeof text, "base = \"%s/tests/data/small.cfg\";\nsim = { start_date = \"2026-01-01\"; };\n"
                                "report = { milestone_dates = [ \"2026-10-30\", \"2026-11-01\" ]; };\n", cwd);
    CHECK(put_file(t, "dates.cfg", text) == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "run %s/dates.cfg -n 2 -q -o %s/dates && %s report -q %s/dates", t, t,
                         gigasim_bin(), t);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/dates/report.html", t);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    CHECK_STR_CONTAINS(html, "First token</b>: <span class=\"p50\">31 October 2026</span>");
    CHECK_STR_CONTAINS(html, "by 2026-10-30 in 0 %, 2026-11-01 in 100 % of replications");
    static const char *const bad[][2] = {
        {"sim = { start_date = \"2026-01-01\"; };\nreport = { milestone_dates = [ \"2027-01-01\", \"2028-01-01\", "
         "\"2029-01-01\", \"2030-01-01\", \"2031-01-01\" ]; };\n", "report.milestone_dates: 5 dates, at most 4"},
        {"report = { milestone_dates = [ \"2027-01-01\" ]; };\n", "report.milestone_dates needs sim.start_date"},
        {"sim = { start_date = \"2026-01-01\"; };\nreport = { milestone_dates = [ \"1/1/2027\" ]; };\n",
         "report.milestone_dates.[0]: \"1/1/2027\" is not a date written YYYY-MM-DD"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "base = \"%s/tests/data/small.cfg\";\n%s", cwd, bad[i][0]);
        CHECK(put_file(t, "dates-bad.cfg", text) == 0, "write");
        rc = gigasim_cmd(out, sizeof out, "check %s/dates-bad.cfg", t);
        CHECK(rc == 1, "case %zu: exit %d: %s", i, rc, out);
        CHECK_STR_CONTAINS(out, bad[i][1]);
        CHECK_STR_CONTAINS(out, "dates-bad.cfg:");
    }
}

TEST(report_of_a_study_of_several_parts)
{
    /* A directory holding a run and a comparison (no result of its own): one page with a table of contents,
     * each part's decision page and charts, their ids apart; in a browser, every figure drawn with a size and
     * no script error. A report.html of the user's in such a directory is left alone, and said. */
    char out[8192], dir[700], path[800];
    snprintf(dir, sizeof dir, "%s/study", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out,
                         "run tests/data/small.cfg -n 2 -q -o %s/a-run && %s compare tests/data/small.cfg "
                         "tests/data/small.cfg -n 2 -q -o %s/b-compare --set-for 2 site.grid.capacity_mw=50 > /dev/null && "
                         "%s report -q %s",
                         dir, gigasim_bin(), dir, gigasim_bin(), dir);
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = read_text(path);
    CHECK(html, "no %s", path);
    test_defer(free, html);
    CHECK_STR_CONTAINS(html, "<h1>Study of 2 parts: study</h1>");
    CHECK_STR_CONTAINS(html, "<li><a href=\"#part1\"><code>a-run/</code></a></li><li><a href=\"#part2\"><code>b-compare/</code></a></li>");
    CHECK_STR_CONTAINS(html, "<section id=\"part1-decision\" class=\"decision\">");
    CHECK_STR_CONTAINS(html, "<section id=\"part2-decision\" class=\"decision\">");
    CHECK_STR_CONTAINS(html, "<figure id=\"part1-fig-gantt\">");
    CHECK_STR_CONTAINS(html, "<figure id=\"part2-fig-compare_first_token_cdf\">");
    CHECK(!strstr(html, "id=\"decision\""), "an id of a part without its prefix");
    if (report_chromium()) {
        const char *texts[] = {"Study of 2 parts", "<b>First token</b>: best", NULL};
        report_check_rendered_all(dir, texts, 12);
    }
    /* the user's report.html */
    rc = run_cmd((snprintf(out, sizeof out, "echo mine > %s/report.html", dir), out), NULL, 0);
    CHECK(rc == 0, "write");
    rc = gigasim_cmd(out, sizeof out, "report %s", dir);
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "report.html: not a report gigasim wrote");
    char *mine = read_text(path);
    CHECK(mine && !strcmp(mine, "mine\n"), "the user's report.html was changed");
    free(mine);
}

TEST(report_prints_to_pdf_on_a4_and_letter)
{
    /* gigasim report --pdf prints the page through headless Chromium: a PDF of several pages of the paper asked
     * for (A4 595 x 842 points, Letter 612 x 792), which pdftoppm renders to a PNG; --paper without --pdf is a
     * usage error. */
    if (!report_chromium() || access("/usr/bin/pdftoppm", X_OK) != 0) {
        const char *req = getenv("GIGASIM_REQUIRE_CHROMIUM");
        CHECK(!(req && *req == '1'), "GIGASIM_REQUIRE_CHROMIUM=1 but chromium or pdftoppm (poppler-utils) is missing");
        printf("     (chromium or pdftoppm not installed: the PDF test is skipped)\n");
        return;
    }
    char out[8192], dir[700];
    snprintf(dir, sizeof dir, "%s/pdf-run", test_tmpdir());
    int rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 2 -q -o %s && %s report -q --pdf %s && "
                         "pdfinfo %s/report.pdf | grep -E '^(Pages|Page size)' && pdftoppm -r 30 -f 1 -l 1 -singlefile -png "
                         "%s/report.pdf %s/page && test -s %s/page.png",
                         dir, gigasim_bin(), dir, dir, dir, dir, dir);
    CHECK(rc == 0, "A4: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "(A4)");
    const char *pages = strstr(out, "Pages:");
    CHECK(pages && atoi(pages + 6) >= 2, "pages: %s", out);
    rc = gigasim_cmd(out, sizeof out, "report -q --pdf --paper letter %s && pdfinfo %s/report.pdf | grep 'Page size'",
                     dir, dir);
    CHECK(rc == 0, "Letter: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "612 x 792 pts (letter)");
    rc = gigasim_cmd(out, sizeof out, "report -q --paper letter %s", dir);
    CHECK(rc == 2, "--paper alone: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "--paper is the PDF's: give --pdf too");
}
