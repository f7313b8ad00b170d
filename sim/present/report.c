#include "sim/present/report.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/present/decision.h"
#include "sim/present/html.h"
#include "sim/present/plot.h"
#include "sim/core/sha256.h"

/* ------------------------------------------------------------ small pieces */

static char *read_text(const char *path, size_t *len_out)
{
    sim_err e;
    return sim_read_file(path, len_out, &e);
}

static cJSON *read_json(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = read_text(path, NULL);
    cJSON *j = t ? cJSON_Parse(t) : NULL;
    free(t);
    return j;
}

/* A scenario of a comparison by its name, with its label when another
 * scenario of the comparison has the same name (two variants of one file). */
static void scenario_name(FILE *f, const cJSON *scen, const cJSON *sc)
{
    const char *name = sim_json_get_str(sc, "name", NULL), *label = sim_json_get_str(sc, "label", "?");
    bool twin = false;
    const cJSON *o;
    cJSON_ArrayForEach(o, scen) twin |= o != sc && name && !strcmp(sim_json_get_str(o, "name", ""), name);
    html_esc(f, name ? name : label);
    if (twin) {
        fputs(" (", f);
        html_esc(f, label);
        fputs(")", f);
    }
}

/* A unit as shown: a money metric's unit is the scenario's currency. */
static const char *unit_shown(const sim_metric *m, const char *currency)
{
    return !strcmp(m->unit, "currency") ? currency : m->unit;
}

/* ----------------------------------------------------------------- tables */

/* One table row of a metric's figure: P10, P50, P90 (dates under days when
 * the run has them), and the replications that reached it. */
/* A figure's row head: its words when the app has them, with its description and name beneath. */
static void figure_head(FILE *f, const sim_metric *m, const sim_report_info *in)
{
    const char *words = sim_figure_label(in, m->name);
    fputs("<th scope=\"row\">", f);
    if (words) {
        html_esc(f, words);
        fputs("<br><small class=\"what\">", f);
        html_esc(f, m->description);
        fputs("</small> <code>", f);
    } else {
        html_esc(f, m->description);
        fputs("<br><code>", f);
    }
    html_esc(f, m->name);
    fputs("</code></th>", f);
}

static void figure_row(FILE *f, const sim_metric *m, const cJSON *fig, const char *currency, double n_reps,
                       const sim_report_info *in)
{
    fputs("<tr>", f);
    figure_head(f, m, in);
    fputs("<td>", f);
    html_esc(f, unit_shown(m, currency));
    fputs("</td>", f);
    static const char *const q[] = {"p10", "p50", "p90"};
    for (int k = 0; k < 3; k++) {
        char b[64], dk[16];
        html_value(b, sizeof b, sim_json_get_num(fig, q[k], NAN), m->unit, currency);
        snprintf(dk, sizeof dk, "date_%s", q[k]);
        const char *date = sim_json_get_str(fig, dk, NULL);
        fprintf(f, "<td class=\"num%s\">", k == 1 ? " p50" : "");
        if (date) {
            html_esc(f, date);
            fprintf(f, "<br><small>day %s</small>", b);
        } else
            fputs(b, f);
        fputs("</td>", f);
    }
    double reached = sim_json_get_num(fig, "n_reached", NAN);
    if (isfinite(reached) && reached < n_reps)
        fprintf(f, "<td class=\"warn\">%.0f of %.0f (%.0f missed)</td>", reached, n_reps, n_reps - reached);
    else
        fputs("<td>all</td>", f);
    fputs("</tr>\n", f);
}

static void figure_table_head(FILE *f)
{
    fputs("<table class=\"figures\"><thead><tr><th>figure</th><th>unit</th><th>P10</th><th>P50</th><th>P90</th>"
          "<th>replications reaching it</th></tr></thead><tbody>\n",
          f);
}

/* The headline table of a run: milestones, then every headline figure, then
 * serving; and every other figure in a closed details element. */
static void run_tables(FILE *f, const cJSON *sum, const sim_report_info *in)
{
    const char *cur = sim_json_get_str(sum, "currency", "currency");
    double n_reps = sim_json_get_num(sum, "replications", NAN);
    html_open(f, "section", "headline", NULL);
    fputs("<h2>Headline figures</h2>\n", f);
    fprintf(f, "<p>Quantiles over %.0f replications. Dates count from day 0, ", n_reps);
    html_esc(f, sim_json_get_str(sum, "start_date", "the decision to build (no sim.start_date given)"));
    fputs(".</p>\n", f);
    figure_table_head(f);
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < in->n_metrics; i++) {
            const sim_metric *m = &in->metrics[i];
            bool day = m->flags & SIM_METRIC_DAY, head = m->flags & SIM_METRIC_HEADLINE;
            bool shown = m->flags & SIM_METRIC_REPORT;
            bool take = pass == 0 ? day && head : pass == 1 ? head && !day : shown && !head;
            const cJSON *fig = take ? html_figure_of(sum, m->name) : NULL;
            if (fig)
                figure_row(f, m, fig, cur, n_reps, in);
        }
    fputs("</tbody></table>\n", f);
    fputs("<details><summary>Every figure of the run</summary>\n", f);
    figure_table_head(f);
    for (size_t i = 0; i < in->n_metrics; i++) {
        const cJSON *fig = html_figure_of(sum, in->metrics[i].name);
        if (fig)
            figure_row(f, &in->metrics[i], fig, cur, n_reps, in);
    }
    fputs("</tbody></table></details></section>\n", f);
}

/* Words with their first letter in capitals ("first token" -> "First token"). */
static void esc_capitalized(FILE *f, const char *s)
{
    if (*s >= 'a' && *s <= 'z')
        fputc(*s++ - 'a' + 'A', f);
    html_esc(f, s);
}

/* What held it back (the app's sim_held_back): the main cause and binding
 * phase per milestone, and the mean days by cause along each milestone's
 * critical path. */
static void held_back(FILE *f, const cJSON *sum, const sim_held_back *h)
{
    if (!h)
        return;
    const cJSON *dc = html_get(sum, h->cause), *bp = html_get(sum, h->phase), *by = html_get(sum, h->by_cause);
    if (!dc && !by)
        return;
    html_open(f, "section", "held", NULL);
    fputs("<h2>What held it back</h2>\n<ul>\n", f);
    for (size_t k = 0; k < h->n_milestones; k++) {
        const char *c = sim_json_get_str(dc, h->milestone[k], NULL);
        if (!c)
            continue;
        fputs("<li>", f);
        esc_capitalized(f, h->milestone_words[k]);
        fputs(": mostly <strong>", f);
        html_esc(f, c);
        fputs("</strong>", f);
        const char *b = sim_json_get_str(bp, h->milestone[k], NULL);
        if (b && !strcmp(b, "none"))
            fputs("; no timeline phase on its path", f);
        else if (b) {
            fputs("; binding phase ", f);
            html_esc(f, b);
        }
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    const cJSON *first = h->n_groups ? html_get(by, h->group[0]) : NULL;
    if (cJSON_IsObject(first)) {
        fputs("<table class=\"figures\"><thead><tr><th>cause</th>", f);
        for (size_t g = 0; g < h->n_groups; g++) {
            fputs("<th>", f);
            html_esc(f, h->group_head[g]);
            fputs("</th>", f);
        }
        fputs("</tr></thead><tbody>\n", f);
        const cJSON *c;
        cJSON_ArrayForEach(c, first)
        {
            fputs("<tr><th scope=\"row\">", f);
            html_esc(f, c->string);
            fputs("</th>", f);
            for (size_t g = 0; g < h->n_groups; g++) {
                const cJSON *x = html_get(html_get(by, h->group[g]), c->string);
                double v = sim_json_get_num(x, "mean", NAN);
                if (!isfinite(v))
                    v = sim_json_get_num(x, "mean_reached", NAN);
                char b[64];
                html_num(b, sizeof b, v);
                fprintf(f, "<td class=\"num\">%s</td>", b);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}

/* A CSV file as a table (ranking.csv, sweep.csv): the first line is the head. */
static void csv_table(FILE *f, const char *dir, const char *name, const char *caption)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = read_text(path, NULL);
    if (!t)
        return;
    fprintf(f, "<div class=\"wide\"><table class=\"figures csv\"><caption>%s (<code>%s</code>)</caption>\n", caption, name);
    bool head = true;
    for (char *line = t; *line;) {
        size_t l = strcspn(line, "\n");
        if (l) {
            fputs(head ? "<thead><tr>" : "<tr>", f);
            for (char *c = line; c < line + l;) {
                char cell[256];
                size_t k = 0, o = 0;
                if (*c == '"') { /* a quoted field: "" is a quote */
                    for (k = 1; c + k < line + l; k++) {
                        if (c[k] == '"' && c[k + 1] == '"')
                            k++;
                        else if (c[k] == '"')
                            break;
                        if (o < sizeof cell - 1)
                            cell[o++] = c[k];
                    }
                    cell[o] = '\0';
                    k++; /* the closing quote */
                } else {
                    k = strcspn(c, ",\n");
                    if (c + k > line + l)
                        k = (size_t)(line + l - c);
                    snprintf(cell, sizeof cell, "%.*s", (int)(k < 255 ? k : 255), c);
                }
                char *end;
                double v = strtod(cell, &end);
                bool isnum = !head && *cell && !*end && *c != '"';
                fputs(head ? "<th>" : isnum ? "<td class=\"num\">" : "<td>", f);
                if (isnum) {
                    char b[64];
                    html_num(b, sizeof b, v);
                    fputs(b, f);
                } else if (head) { /* a field name may break after each underscore */
                    for (const char *q = cell; *q; q++) {
                        html_esc_n(f, q, 1);
                        if (*q == '_')
                            fputs("<wbr>", f);
                    }
                } else
                    html_esc(f, cell);
                fputs(head ? "</th>" : "</td>", f);
                c += k + 1;
            }
            fputs(head ? "</tr></thead><tbody>\n" : "</tr>\n", f);
            head = false;
        }
        line += l + (line[l] == '\n');
    }
    fputs("</tbody></table></div>\n", f);
    free(t);
}

/* v, with what rounds to 0 at 3 decimals written 0.000 (not -0.000). */
static double z3(double v)
{
    return fabs(v) < 0.0005 ? 0.0 : v;
}

/* A sensitivity study: per figure, its inputs by decreasing effect. */
static void sensitivity_tables(FILE *f, const cJSON *sens, const sim_report_info *in)
{
    bool morris = !strcmp(sim_json_get_str(sens, "mode", ""), "morris");
    fprintf(f, "<p>%s over %.0f points x %.0f replications (seed %.0f)%s. %s</p>\n",
            morris ? "Morris screening" : "Sobol' indices", sim_json_get_num(sens, "points", NAN), sim_json_get_num(sens, "replications", NAN),
            sim_json_get_num(sens, "seed", NAN), morris ? "" : ", 95 % bootstrap intervals",
            morris ? "mu*: the mean size of an input's effect over its range (in the figure's unit); sigma: how much "
                     "that effect changes with the other inputs."
                   : "S1: the share of the figure's variance an input explains alone; ST: alone and through its "
                     "interactions. An ST near 0 means the input does not matter over its range.");
    const cJSON *m;
    cJSON_ArrayForEach(m, html_get(sens, "metrics"))
    {
        const char *name = sim_json_get_str(m, "name", "?");
        const sim_metric *mt = NULL;
        for (size_t i = 0; i < in->n_metrics && !mt; i++)
            if (!strcmp(in->metrics[i].name, name))
                mt = &in->metrics[i];
        fputs("<table class=\"figures\"><caption>", f);
        html_esc(f, mt ? mt->description : name);
        fputs(" <code>", f);
        html_esc(f, name);
        fputs(morris ? "</code></caption><thead><tr><th>input</th><th>mu*</th><th>mu</th><th>sigma</th></tr></thead><tbody>\n"
                     : "</code></caption><thead><tr><th>input</th><th>first order S1 [95 %]</th><th>total ST [95 %]</th>"
                       "</tr></thead><tbody>\n",
              f);
        const cJSON *x;
        cJSON_ArrayForEach(x, html_get(m, "indices"))
        {
            const char *key = sim_json_get_str(x, "key", "?");
            const cJSON *lab = NULL, *inp;
            cJSON_ArrayForEach(inp, html_get(sens, "inputs")) if (!strcmp(sim_json_get_str(inp, "key", ""), key)) lab = inp;
            fputs("<tr><th scope=\"row\">", f);
            html_esc(f, lab ? sim_json_get_str(lab, "label", key) : key);
            fputs("<br><code>", f);
            html_esc(f, key);
            fputs("</code></th>", f);
            if (morris) {
                char a[64], b[64], c[64];
                html_num(a, sizeof a, sim_json_get_num(x, "mu_star", NAN));
                html_num(b, sizeof b, sim_json_get_num(x, "mu", NAN));
                html_num(c, sizeof c, sim_json_get_num(x, "sigma", NAN));
                fprintf(f, "<td class=\"num p50\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>", a, b, c);
            } else
                fprintf(f, "<td class=\"num\">%.3f <small>[%.3f, %.3f]</small></td><td class=\"num p50\">%.3f "
                           "<small>[%.3f, %.3f]</small></td>",
                        z3(sim_json_get_num(x, "s1", NAN)), z3(sim_json_get_num(x, "s1_lo", NAN)), z3(sim_json_get_num(x, "s1_hi", NAN)), z3(sim_json_get_num(x, "st", NAN)),
                        z3(sim_json_get_num(x, "st_lo", NAN)), z3(sim_json_get_num(x, "st_hi", NAN)));
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
}

/* A comparison: per headline figure, each scenario's P50 [P10, P90]; then the
 * paired differences; the comparison's warnings; each scenario's cause. */
/* The comparison's warnings, each a note. */
static void compare_warnings(FILE *f, const cJSON *cmp)
{
    const cJSON *w = html_get(cmp, "warnings");
    if (cJSON_IsString(w)) {
        fputs("<p class=\"note\">", f);
        html_esc(f, w->valuestring);
        fputs("</p>\n", f);
    } else if (cJSON_IsArray(w)) {
        const cJSON *x;
        cJSON_ArrayForEach(x, w) if (cJSON_IsString(x))
        {
            fputs("<p class=\"note\">", f);
            html_esc(f, x->valuestring);
            fputs("</p>\n", f);
        }
    }
}

/* One scenario's cell of a headline figure: P50 [P10, P90], or dates, and how many reached it. */
static void figure_cell(FILE *f, const cJSON *cmp, const cJSON *fig, const char *unit, const char *currency)
{
    char a[64], b[64], c[64];
    html_value(a, sizeof a, sim_json_get_num(fig, "p50", NAN), unit, currency);
    html_value(b, sizeof b, sim_json_get_num(fig, "p10", NAN), unit, currency);
    html_value(c, sizeof c, sim_json_get_num(fig, "p90", NAN), unit, currency);
    const char *d50 = sim_json_get_str(fig, "date_p50", NULL);
    fputs("<td class=\"num\">", f);
    if (d50) {
        html_esc(f, d50);
        fputs("<br><small>", f);
        html_esc(f, sim_json_get_str(fig, "date_p10", "?"));
        fputs(" to ", f);
        html_esc(f, sim_json_get_str(fig, "date_p90", "?"));
        fputs("</small>", f);
    } else
        fprintf(f, "%s<br><small>[%s, %s]</small>", a, b, c);
    double reached = sim_json_get_num(fig, "n_reached", NAN), reps = sim_json_get_num(cmp, "replications", NAN);
    if (isfinite(reached) && reached < reps)
        fprintf(f, "<br><small class=\"warn\">%.0f of %.0f reached</small>", reached, reps);
    fputs("</td>", f);
}

/* The headline figures, one column per scenario. */
static void figures_table(FILE *f, const cJSON *cmp, const sim_report_info *in)
{
    const cJSON *scen = html_get(cmp, "scenarios"), *figs = html_get(cmp, "figures"), *sc;
    fputs("<table class=\"figures\"><thead><tr><th>figure</th><th>unit</th>", f);
    cJSON_ArrayForEach(sc, scen)
    {
        fputs("<th>", f);
        scenario_name(f, scen, sc);
        fputs("<br><small>P50 [P10, P90]</small></th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    const char *mu = sim_json_get_str(cmp, "money_unit", NULL);
    for (size_t i = 0; i < in->n_metrics; i++) {
        const sim_metric *m = &in->metrics[i];
        const cJSON *row = html_figure_of(figs, m->name);
        if (!(m->flags & SIM_METRIC_HEADLINE) || !cJSON_IsObject(row))
            continue;
        fputs("<tr>", f);
        figure_head(f, m, in);
        fputs("<td>", f);
        html_esc(f, !strcmp(m->unit, "currency") ? (mu ? mu : "each scenario's currency") : m->unit);
        fputs("</td>", f);
        cJSON_ArrayForEach(sc, scen)
            figure_cell(f, cmp, html_get(row, sim_json_get_str(sc, "label", "")), m->unit,
                        mu ? mu : sim_json_get_str(sc, "currency", ""));
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* The paired differences against the first scenario, a table per pair. */
static void paired_tables(FILE *f, const cJSON *cmp, const sim_report_info *in)
{
    const cJSON *pd = html_get(cmp, "paired_difference"), *pair;
    int n_pairs = cJSON_GetArraySize(pd);
    if (n_pairs > 1)
        fprintf(f, "<details><summary>Paired differences against the first scenario (%d pairs)</summary>\n", n_pairs);
    cJSON_ArrayForEach(pair, pd)
    {
        fputs("<table class=\"figures\"><caption>Paired difference <code>", f);
        html_esc(f, pair->string);
        fputs("</code> (replication by replication, common random numbers)</caption>"
              "<thead><tr><th>figure</th><th>P10</th><th>P50</th><th>P90</th><th>pairs</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < in->n_metrics; i++) {
            const sim_metric *m = &in->metrics[i];
            const cJSON *d = html_figure_of(pair, m->name);
            if (!d || !(m->flags & SIM_METRIC_HEADLINE))
                continue;
            char a[64], b[64], c[64];
            html_num(a, sizeof a, sim_json_get_num(d, "p10", NAN));
            html_num(b, sizeof b, sim_json_get_num(d, "p50", NAN));
            html_num(c, sizeof c, sim_json_get_num(d, "p90", NAN));
            fputs("<tr>", f);
            figure_head(f, m, in);
            fprintf(f, "<td class=\"num\">%s</td><td class=\"num p50\">%s</td><td class=\"num\">%s</td>"
                       "<td class=\"num\">%.0f</td></tr>\n",
                    a, b, c, sim_json_get_num(d, "n_pairs", NAN));
        }
        fputs("</tbody></table>\n", f);
    }
    if (n_pairs > 1)
        fputs("</details>\n", f);
}

/* What held each scenario back, by milestone (the app's held-back causes). */
static void held_list(FILE *f, const cJSON *cmp, const sim_report_info *in)
{
    const cJSON *scen = html_get(cmp, "scenarios"), *facts = html_get(cmp, "facts"), *sc;
    const sim_held_back *held = in->held;
    html_open(f, "section", "held", NULL);
    fputs("<h2>What held it back</h2><ul>\n", f);
    cJSON_ArrayForEach(sc, scen)
    {
        const cJSON *fa = html_get(facts, sim_json_get_str(sc, "label", ""));
        fputs("<li>", f);
        scenario_name(f, scen, sc);
        for (size_t k = 0; k < held->n_milestones; k++) {
            fputs(k ? "</strong>, " : ": ", f);
            html_esc(f, held->milestone_words[k]);
            fputs(" mostly <strong>", f);
            html_esc(f, sim_json_get_str(html_get(fa, held->cause), held->milestone[k], "?"));
        }
        fputs(held->n_milestones ? "</strong></li>\n" : "</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

/* A backtest's comparison (sim/study/backtest.h): its summary and its table, first. */
static void backtest_section(FILE *f, const char *dir)
{
    cJSON *bt = read_json(dir, "backtest.json");
    if (!bt)
        return;
    const cJSON *in = html_get(bt, "inside_p10_p90_share"), *n = html_get(bt, "projects_n"), *q = html_get(bt, "mean_quantile"),
                *d = html_get(bt, "ks_distance_to_uniform");
    html_open(f, "section", "backtest", NULL);
    fputs("<h2>Backtest: measured dates against the model</h2>\n", f);
    if (cJSON_IsNumber(in) && cJSON_IsNumber(n) && cJSON_IsNumber(q) && cJSON_IsNumber(d))
        fprintf(f, "<p>Inside P10-P90: <b>%.0f %%</b> of %.0f projects (a calibrated model: about 80 %%); mean "
                   "quantile %.2f (0.5); Kolmogorov distance of the quantiles to the uniform law %.2f.</p>\n",
                100.0 * in->valuedouble, n->valuedouble, q->valuedouble, d->valuedouble);
    csv_table(f, dir, "backtest.csv", "Each project: the measured date, the model's P10, P50 and P90, and the "
                                      "quantile at which the measured date falls");
    fputs("</section>\n", f);
    cJSON_Delete(bt);
}

static void compare_tables(FILE *f, const cJSON *cmp, const char *dir, const sim_report_info *in)
{
    int n = cJSON_GetArraySize(html_get(cmp, "scenarios"));
    backtest_section(f, dir);
    html_open(f, "section", "headline", NULL);
    fputs("<h2>Headline figures</h2>\n", f);
    compare_warnings(f, cmp);
    if (n > SIM_PLOT_MAX_LINES) /* a site study: one row per site */
        csv_table(f, dir, "ranking.csv", "Sites ranked by first token (P50), common random numbers");
    else
        figures_table(f, cmp, in);
    paired_tables(f, cmp, in);
    fputs("</section>\n", f);
    if (cJSON_IsObject(html_get(cmp, "facts")) && n <= SIM_PLOT_MAX_LINES && in->held)
        held_list(f, cmp, in);
}

/* ----------------------------------------------------------------- charts */

/* An SVG from gnuplot, inline: from its <svg element on, every id and
 * reference to one prefixed with the chart's own, so that the charts'
 * definitions do not collide. */
static void inline_svg(FILE *f, const char *svg, int chart)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return;
    while (*p) {
        static const char *const pat[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
        int hit = -1;
        for (int k = 0; k < 5 && hit < 0; k++)
            if (!strncmp(p, pat[k], strlen(pat[k])) && (k > 1 || p == svg || p[-1] == ' '))
                hit = k;
        if (hit >= 0) {
            fputs(pat[hit], f);
            fprintf(f, "c%d-", chart);
            p += strlen(pat[hit]);
        } else
            fputc(*p++, f);
    }
}

/* What a chart of this name shows (its file name without the extension):
 * the app's captions, then the studies'. */
static const char *chart_caption(const sim_report_info *info, const char *stem)
{
    static const sim_caption STUDY_CAPTIONS[] = {
        {"tornado", "How far each input moves the figure between its low and high value."},
        {"curve", "The figure against the swept input."},
        {"sensitivity", "How much of the figure's variance each input explains, alone (S1) and with its interactions "
                        "(ST); or, screening, its mean effect (mu*) and spread (sigma)."},
        {"optimize", "Every candidate the search evaluated, its objective with its interval; the finalists of the "
                     "selection and the one chosen."},
    };
    for (size_t i = 0; i < info->n_captions; i++)
        if (!strcmp(info->captions[i].stem, stem))
            return info->captions[i].caption;
    for (size_t i = 0; i < sizeof STUDY_CAPTIONS / sizeof *STUDY_CAPTIONS; i++)
        if (!strcmp(STUDY_CAPTIONS[i].stem, stem))
            return STUDY_CAPTIONS[i].caption;
    return "";
}

/* Draws the directory's charts as SVG into a private directory inside it
 * (removed after, or by the next holder of its lock if this one is killed)
 * and inlines each in a figure. */
/* The directory's charts inline, numbered on from *n_charts (the page's charts so far). */
static int charts(FILE *f, const char *dir, int dir_fd, const sim_report_info *in, int *n_charts, sim_err *err)
{
    char name[64], tmpl[PATH_MAX + 64];
    snprintf(name, sizeof name, ".report-charts.gigasim-tmp-%ld", (long)getpid());
    snprintf(tmpl, sizeof tmpl, "%s/%s", dir, name);
    int cfd = mkdirat(dir_fd, name, 0777) == 0 ? openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                                               : -1;
    if (cfd < 0)
        return sim_errf(err, "%s: cannot create a directory for the charts: %s", tmpl, strerror(errno));
    int n = 0, rc = sim_plot_into(dir, tmpl, in->argv0, SIM_PLOT_SVG, in->quiet, &n, err);
    char *names[256];
    int k = 0;
    int dfd = dup(cfd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) && k < 256)
        if (de->d_name[0] != '.' && (names[k] = sim_strdup(de->d_name, NULL)) != NULL)
            k++;
    if (d)
        closedir(d);
    else if (dfd >= 0)
        close(dfd);
    qsort(names, (size_t)k, sizeof *names, sim_cmp_str);
    html_open(f, "section", "charts", NULL);
    fputs("<h2>Charts</h2>\n", f);
    for (int i = 0; i < k; i++) {
        if (!names[i])
            continue;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", tmpl, names[i]);
        size_t l = strlen(names[i]);
        if (rc == 0 && l > 4 && !strcmp(names[i] + l - 4, ".svg")) {
            char *svg = read_text(path, NULL);
            if (svg) {
                char stem[300];
                snprintf(stem, sizeof stem, "%.*s", (int)(l - 4), names[i]);
                char fid[320];
                snprintf(fid, sizeof fid, "fig-%s", stem);
                html_open(f, "figure", fid, NULL);
                fputc('\n', f);
                inline_svg(f, svg, *n_charts + 1);
                fprintf(f, "\n<figcaption>Figure %d. ", *n_charts + 1);
                html_esc(f, chart_caption(in, stem));
                fputs(" <small>(<code>", f);
                html_esc(f, stem);
                fputs("</code>; <code>gigasim plot --format=png,svg,pdf DIR</code> writes it as a file)</small>"
                      "</figcaption></figure>\n",
                      f);
                (*n_charts)++;
                free(svg);
            }
        }
        free(names[i]);
    }
    close(cfd);
    sim_remove_tree_at(dir_fd, name);
    fputs("</section>\n", f);
    return rc;
}

/* ------------------------------------------------------ assumptions, sources */

/* The sources file: beside the scenario (up to three folders up), else the
 * installed or built-in scenarios folder. */
static char *find_sources(const char *scenario_file, const char *argv0, char *where, size_t n)
{
    char dir[PATH_MAX - 32];
    snprintf(dir, sizeof dir, "%s", scenario_file ? scenario_file : "");
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    char *t = NULL;
    for (int up = 0; up < 4 && !t; up++) {
        if (snprintf(where, n, "%s/SOURCES.md", dir) < (int)n)
            t = read_text(where, NULL);
        size_t l = strlen(dir);
        snprintf(dir + l, sizeof dir - l, "/..");
    }
    if (!t && sim_find_data_dir(argv0, "scenarios", NULL, dir, sizeof dir) == 0 &&
        snprintf(where, n, "%s/SOURCES.md", dir) < (int)n)
        t = read_text(where, NULL);
    char real[PATH_MAX];
    if (t && realpath(where, real))
        snprintf(where, n, "%s", real);
    return t;
}

/* The resolved scenario (scenario.cfg), each [TAG] a link to its source row. */
static void scenario_text(FILE *f, const char *cfg, char tags[][48], int *n_tags, int max_tags)
{
    fputs("<pre class=\"cfg\">", f);
    const char *p = cfg;
    while (*p) {
        if (*p == '[' && p[1] >= 'A' && p[1] <= 'Z') {
            size_t k = 1;
            while ((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9') || p[k] == '-')
                k++;
            if (p[k] == ']' && k < 47) {
                char tag[48];
                snprintf(tag, sizeof tag, "%.*s", (int)(k - 1), p + 1);
                fputs("[<a href=\"#src-", f);
                html_esc(f, tag);
                fputs("\">", f);
                html_esc(f, tag);
                fputs("</a>]", f);
                int i = 0;
                while (i < *n_tags && strcmp(tags[i], tag))
                    i++;
                if (i == *n_tags && *n_tags < max_tags)
                    snprintf(tags[(*n_tags)++], 48, "%s", tag);
                p += k + 1;
                continue;
            }
        }
        html_esc_n(f, p, 1);
        p++;
    }
    fputs("</pre>\n", f);
}

/* The rows of SOURCES.md cited, in the file's order. */
static void sources_table(FILE *f, const char *sources, const char *where, char tags[][48], int n_tags)
{
    fputs("<table class=\"sources\"><caption>Sources cited (rows of <code>", f);
    html_esc(f, where);
    fputs("</code>)</caption><thead><tr><th>tag</th><th>what we take</th><th>figure</th><th>source (year)</th>"
          "<th>note</th></tr></thead><tbody>\n",
          f);
    for (const char *line = sources; *line;) {
        size_t l = strcspn(line, "\n");
        if (line[0] == '|' && line[1] == ' ') {
            size_t tl = strcspn(line + 2, " |");
            for (int i = 0; i < n_tags; i++) {
                if (strlen(tags[i]) != tl || strncmp(tags[i], line + 2, tl))
                    continue;
                fputs("<tr id=\"src-", f);
                html_esc(f, tags[i]);
                fputs("\">", f);
                const char *c = line + 1;
                while (c < line + l) {
                    size_t k = strcspn(c, "|\n");
                    if (c + k >= line + l)
                        break;
                    while (k && (*c == ' '))
                        c++, k--;
                    size_t e = k;
                    while (e && c[e - 1] == ' ')
                        e--;
                    fputs("<td>", f);
                    html_esc_n(f, c, e);
                    fputs("</td>", f);
                    c += k + 1;
                }
                fputs("</tr>\n", f);
            }
        }
        line += l + (line[l] == '\n');
    }
    fputs("</tbody></table>\n", f);
}

static void assumptions(FILE *f, const char *dir, const cJSON *labels, const char *scenario_file,
                        const sim_report_info *in)
{
    fputs("<section id=\"assumptions\"><h2>Assumptions as resolved</h2>\n"
          "<p>Every setting the run used, includes and <code>--set</code> applied, as in <code>scenario.cfg</code>; "
          "the comment after a setting gives the sources its line cites and whether it is an assumption (a value "
          "no public figure supports), <code>--set</code> for a value given on the command line, and <em>not used in "
          "this run</em> for a value another layer or key replaced or whose part of the model is off. A key absent "
          "here takes the model's documented default (gigasim-scenario(5)).</p>\n",
          f);
    char tags[256][48];
    int n_tags = 0, n = labels ? cJSON_GetArraySize(labels) : 1;
    for (int i = 0; i < n; i++) {
        const cJSON *lab = labels ? cJSON_GetArrayItem(labels, i) : NULL;
        const char *sub = lab ? sim_json_get_str(lab, "label", NULL) : ".";
        if (!sub || strchr(sub, '/'))
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s/scenario.cfg", dir, sub);
        char *cfg = read_text(path, NULL);
        if (!cfg)
            continue;
        fputs(labels ? "<details><summary>" : "<details open><summary>", f);
        if (lab)
            scenario_name(f, labels, lab);
        else
            fputs("the scenario", f);
        fputs(" <code>", f);
        html_esc(f, lab ? sim_json_get_str(lab, "file", "") : scenario_file);
        fputs("</code></summary>\n", f);
        scenario_text(f, cfg, tags, &n_tags, 256);
        fputs("</details>\n", f);
        free(cfg);
    }
    char where[PATH_MAX];
    char *sources = find_sources(scenario_file, in->argv0, where, sizeof where);
    if (sources && n_tags)
        sources_table(f, sources, where, tags, n_tags);
    else if (n_tags)
        fputs("<p class=\"warn\">The sources file (scenarios/SOURCES.md) was not found beside the scenario or the "
              "installed scenarios: the tags above are rows of it.</p>\n",
              f);
    free(sources);
    fputs("</section>\n", f);
}

static void dictionary(FILE *f, const sim_report_info *in)
{
    fputs("<section id=\"dictionary\"><h2>Data dictionary</h2>\n<p>Every figure of <code>summary.json</code>, "
          "<code>replications.csv</code> and <code>compare.json</code>: each has P10, P50, P90, a mean and its 95 % "
          "confidence half-width, and for milestones <code>n_reached</code> and dates. Money is in the scenario's "
          "currency.</p>\n<table class=\"dict\"><thead><tr><th>field</th><th>unit</th><th>what it is</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < in->n_metrics; i++) {
        const sim_metric *m = &in->metrics[i];
        fputs("<tr><td><code>", f);
        html_esc(f, m->name);
        fputs("</code></td><td>", f);
        html_esc(f, !strcmp(m->unit, "currency") ? "currency (ISO code in the file)" : m->unit);
        fputs("</td><td>", f);
        html_esc(f, m->description);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

/* ------------------------------------------------------------------- page */

/* Every report's first line: a report.html that starts otherwise is not gigasim's. */
#define REPORT_FIRST_LINE "<!DOCTYPE html><!-- gigasim report -->"

static const char STYLE[] =
    "body{font:15px/1.45 'DejaVu Sans',sans-serif;color:#222;max-width:1180px;margin:0 auto;padding:0 18px 40px}"
    "h1{font-size:26px;margin:22px 0 4px}h2{font-size:20px;border-bottom:2px solid #1f5fa8;padding-bottom:3px;"
    "margin-top:34px}.meta{color:#555;margin:0 0 10px}nav a{margin-right:14px}"
    "table{border-collapse:collapse;margin:10px 0 18px;width:100%}caption{text-align:left;font-weight:bold;"
    "padding:4px 0}th,td{border-bottom:1px solid #ddd;padding:5px 8px;vertical-align:top;text-align:left}"
    "thead th{background:#eef3f9}.wide{overflow-x:auto}table.csv{font-size:13.5px}td.num{text-align:right;white-space:nowrap}td.p50{font-weight:bold}"
    ".warn{color:#a33}.note{background:#fff6e0;padding:6px 10px;border-left:4px solid #e0a000}"
    "figure{margin:18px 0;border:1px solid #ddd;padding:6px}figure svg{width:100%;height:auto;display:block}"
    "figcaption{color:#444;font-size:14px;padding:4px}pre.cfg{background:#f6f8fa;padding:10px;font-size:12.5px;"
    "overflow-x:auto;max-height:520px}code{font-size:90%}small{color:#666}th small.what{font-weight:normal}details{margin:8px 0}"
    ".decision{background:#f3f7fc;border:1px solid #c9d8ec;padding:4px 16px 8px;margin-top:18px}"
    ".decision h2{margin-top:10px}.question{font-size:17px;font-style:italic}ul.answer li{margin:5px 0}"
    ".answer .p50{font-weight:bold}nav.toc{background:#f6f8fa;padding:6px 12px;margin:10px 0}nav.toc ol{margin:4px 0}"
    "section.part{border-top:3px solid #1f5fa8;margin-top:40px}h2.part{font-size:23px;border:none}"
    "@media print{nav{display:none}figure{break-inside:avoid}pre.cfg{max-height:none}}";

/* Counts the figures drawn with a size and the errors, for a browser test. */
/* The page's two scripts, the only ones its policy lets run (by their
 * SHA-256, script_policy): the first collects script errors, the second
 * counts the figures drawn with a size (what the browser test reads). */
static const char ERRORS_SCRIPT[] = "window.gigasimErrors=[];window.addEventListener('error',"
                                    "function(e){window.gigasimErrors.push(String(e.message||e.type));},true);";
static const char SELFCHECK[] =
    "(function(){var figs=document.querySelectorAll('figure svg'),ok=0;"
    "for(var i=0;i<figs.length;i++){var r=figs[i].getBoundingClientRect();if(r.width>0&&r.height>0)ok++;}"
    "var s=document.getElementById('selfcheck');s.setAttribute('data-figures',figs.length);"
    "s.setAttribute('data-rendered',ok);s.setAttribute('data-errors',window.gigasimErrors.length);"
    "s.textContent='figures '+figs.length+', rendered '+ok+', errors '+window.gigasimErrors.length;})();";

/* "'sha256-BASE64'" of a script's text, as a Content-Security-Policy names it. */
static void script_hash(const char *script, char *out, size_t n)
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char d[SIM_SHA256_BYTES + 1] = {0};
    sim_sha256_of(script, strlen(script), d);
    size_t o = (size_t)snprintf(out, n, "'sha256-");
    for (int i = 0; i < SIM_SHA256_BYTES && o + 5 < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
        out[o++] = B64[v >> 18 & 63];
        out[o++] = B64[v >> 12 & 63];
        out[o++] = i + 1 < SIM_SHA256_BYTES ? B64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < SIM_SHA256_BYTES ? B64[v & 63] : '=';
    }
    snprintf(out + o, n - o, "'");
}

/* The page's head (its policy: nothing loaded, no script but its own two, by their hashes) and header:
 * the title, what it is, its scenario file(s), seed, replications and the app's facts of a run. */
static void page_header(FILE *f, const char *title, const char *kind, const cJSON *top, const cJSON *labels,
                        const cJSON *sum, const char *scenario_file, const sim_report_info *in)
{
    /* nothing loaded from anywhere; no script runs but the page's own two, by their hashes */
    char h1[64], h2[64];
    script_hash(ERRORS_SCRIPT, h1, sizeof h1);
    script_hash(SELFCHECK, h2, sizeof h2);
    fprintf(f, REPORT_FIRST_LINE "\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
               "script-src %s %s; img-src data:; base-uri 'none'; form-action 'none'\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>gigasim: ",
            h1, h2);
    html_esc(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n<script>%s</script>\n</head><body>\n", STYLE, ERRORS_SCRIPT);
    fputs("<header><h1>", f);
    html_esc(f, title);
    fprintf(f, "</h1>\n<p class=\"meta\">gigasim %s &middot; ", kind);
    if (labels && cJSON_GetArraySize(labels) > 1) { /* a comparison: every scenario's file */
        int n = cJSON_GetArraySize(labels), shown = n > 6 ? 4 : n; /* a site study's 21 would fill the header */
        fputs("scenarios", f);
        for (int i = 0; i < shown; i++) { /* by name; their files are in the assumptions */
            fputs(i ? ", " : " ", f);
            scenario_name(f, labels, cJSON_GetArrayItem(labels, i));
        }
        if (shown < n)
            fprintf(f, " and %d more", n - shown);
        fputs(" &middot; ", f);
    } else if (scenario_file) {
        fputs("scenario <code>", f);
        html_esc(f, scenario_file);
        fputs("</code> &middot; ", f);
    }
    if (top)
        fprintf(f, "seed %.0f &middot; %.0f replications", sim_json_get_num(top, "seed", NAN),
                sim_json_get_num(top, "replications", NAN));
    else
        fputs("the parts below, each from its own directory", f);
    for (size_t k = 0; sum && in->header_keys && in->header_keys[k]; k++) { /* the app's facts of a run, as given */
        const char *v = sim_json_get_str(sum, in->header_keys[k], NULL);
        if (!v)
            break;
        fputs(" &middot; ", f);
        html_esc(f, in->header_keys[k]);
        fputc(' ', f);
        html_esc(f, v);
    }
    if (top)
        fputs("</p>\n<nav><a href=\"#decision\">Decision</a><a href=\"#headline\">Figures</a><a href=\"#charts\">Charts</a>"
              "<a href=\"#assumptions\">Assumptions</a><a href=\"#dictionary\">Data dictionary</a></nav></header>\n",
              f);
    else
        fputs("</p>\n<nav><a href=\"#part1\">The first part</a><a href=\"#assumptions\">Assumptions</a>"
              "<a href=\"#dictionary\">Data dictionary</a></nav></header>\n",
              f);
}

/* The page's footer: who wrote it from where, and the self-check a browser test reads. */
static void page_footer(FILE *f, const char *dir, const sim_report_info *in)
{
    fputs("<footer><p><small>Written by ", f);
    html_esc(f, in->version);
    fputs(" from <code>", f);
    html_esc(f, dir);
    fputs("</code>. The page loads nothing from the network.</small></p>\n"
          "<p id=\"selfcheck\" hidden></p></footer>\n",
          f);
    fprintf(f, "<script>%s</script>\n", SELFCHECK);
    fputs("</body></html>\n", f);
}

static int write_report(const char *dir, int dir_fd, const sim_report_info *in, sim_err *err);

int sim_report(const char *dir, const sim_report_info *in, sim_err *err)
{
    sim_outdir od; /* the run directory's lock: no run replaces it, no other report or plot writes into it */
    if (sim_outdir_lock(&od, dir, err))
        return -1;
    int rc = write_report(dir, od.dir_fd, in, err);
    sim_outdir_unlock(&od);
    return rc;
}

/* What a directory holds: a run, a comparison (or site study), a sweep or a sensitivity study. */
typedef struct report_doc {
    cJSON *sum, *cmp, *swp, *sens, *opt; /* swp is sens for a sensitivity study */
    const cJSON *top, *labels;
    const char *kind, *scenario_file;
    char title[512];
} report_doc;

/* The kind, the title and the scenario file of what was read. */
static void doc_describe(report_doc *r)
{
    if (r->sens) /* a sensitivity study reads as a sweep: its table, its chart */
        r->swp = r->sens;
    r->top = r->cmp ? r->cmp : r->swp ? r->swp : r->opt ? r->opt : r->sum;
    r->labels = r->cmp ? html_get(r->cmp, "scenarios") : NULL;
    r->kind = r->cmp ? (cJSON_GetArraySize(r->labels) > SIM_PLOT_MAX_LINES ? "site study" : "comparison")
              : r->sens ? "sensitivity study"
              : r->swp  ? "sweep"
              : r->opt  ? "optimization"
                        : "run";
    if (r->cmp) {
        snprintf(r->title, sizeof r->title, "%s of %d scenarios", r->kind, cJSON_GetArraySize(r->labels));
        r->title[0] = (char)(r->title[0] - 'a' + 'A');
    } else if (r->swp)
        snprintf(r->title, sizeof r->title, "%s of %s", r->sens ? "Sensitivity" : "Sweep",
                 sim_json_get_str(r->swp, "scenario", sim_json_get_str(r->swp, "scenario_file", "a scenario")));
    else if (r->opt)
        snprintf(r->title, sizeof r->title, "Optimization of %s",
                 sim_json_get_str(r->opt, "scenario", sim_json_get_str(r->opt, "scenario_file", "a scenario")));
    else
        snprintf(r->title, sizeof r->title, "%s", sim_json_get_str(r->sum, "scenario", "a scenario"));
    r->scenario_file = sim_json_get_str(r->top, "scenario_file", NULL);
    if (!r->scenario_file && r->labels)
        r->scenario_file = sim_json_get_str(cJSON_GetArrayItem(r->labels, 0), "file", NULL);
}

/* Reads what dir holds; false when it holds none of a gigasim output's files. */
static bool doc_read(report_doc *r, const char *dir)
{
    memset(r, 0, sizeof *r);
    r->sum = read_json(dir, "summary.json");
    r->cmp = read_json(dir, "compare.json");
    r->swp = r->cmp ? NULL : read_json(dir, "sweep.json");
    r->sens = r->cmp || r->swp || r->sum ? NULL : read_json(dir, "sensitivity.json");
    r->opt = r->cmp || r->swp || r->sum || r->sens ? NULL : read_json(dir, "optimize.json");
    if (!r->sum && !r->cmp && !r->swp && !r->sens && !r->opt)
        return false;
    doc_describe(r);
    return true;
}

static void doc_free(report_doc *r)
{
    cJSON_Delete(r->sum);
    cJSON_Delete(r->cmp);
    cJSON_Delete(r->swp); /* a sensitivity study's, too */
    cJSON_Delete(r->opt);
}

/* A study's own sections: its decision page, its figures and what held it back, its charts. */
static int study_sections(FILE *f, const report_doc *r, const char *dir, int dir_fd, const sim_report_info *in,
                          int *n_charts, sim_err *err)
{
    if (r->opt) {
        sim_decision_optimize(f, r->opt, in);
        html_open(f, "section", "headline", NULL);
        fputs("<h2>Headline figures</h2>\n", f);
        csv_table(f, dir, "optimize.csv", "Every candidate evaluated: its decisions, replications, objective with its "
                                          "interval, feasibility, and how far it went in the selection");
        fputs("</section>\n", f);
        return charts(f, dir, dir_fd, in, n_charts, err);
    }
    if (r->cmp)
        sim_decision_compare(f, dir, r->cmp, in);
    else if (r->swp)
        sim_decision_study(f, r->swp, r->sens != NULL, in);
    else
        sim_decision_run(f, dir, r->sum, in);
    if (r->cmp)
        compare_tables(f, r->cmp, dir, in);
    else if (r->swp) {
        html_open(f, "section", "headline", NULL);
        fputs("<h2>Headline figures</h2>\n", f);
        if (r->sens)
            sensitivity_tables(f, r->sens, in);
        else
            csv_table(f, dir, "sweep.csv", !strcmp(sim_json_get_str(r->swp, "mode", ""), "curve")
                                               ? "The figure at each point of the curve (P10, P50, P90)"
                                               : "Each input at its low and high value, ranked by the swing it causes");
        fputs("</section>\n", f);
    } else {
        run_tables(f, r->sum, in);
        held_back(f, r->sum, in->held);
    }
    return charts(f, dir, dir_fd, in, n_charts, err);
}

/* The parts of a study: the subdirectories of dir (not links, not hidden, not one of its comparison's own
 * scenario runs) that hold a gigasim output, by name. */
#define MAX_PARTS 32
static int study_parts(int dir_fd, const cJSON *labels, char names[][256])
{
    int dfd = dup(dir_fd), n = 0;
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    rewinddir(d); /* the descriptor's offset is shared: it may have been read to its end */
    struct dirent *de;
    while ((de = readdir(d)) && n < MAX_PARTS) {
        struct stat st;
        if (de->d_name[0] == '.' || strlen(de->d_name) >= 256 ||
            fstatat(dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
            continue;
        bool own = false;
        const cJSON *sc;
        cJSON_ArrayForEach(sc, labels) own |= !strcmp(sim_json_get_str(sc, "label", ""), de->d_name);
        static const char *const RESULTS[] = {"summary.json", "compare.json", "sweep.json", "sensitivity.json",
                                              "optimize.json"};
        bool holds = false;
        for (int k = 0; k < 5 && !holds && !own; k++) {
            char p[600];
            snprintf(p, sizeof p, "%s/%s", de->d_name, RESULTS[k]);
            holds = fstatat(dir_fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
        }
        if (holds && !own)
            snprintf(names[n++], 256, "%s", de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    return n;
}

/* Part k of the study (dir/name) as a section of the page: its own sections, its ids apart. */
static int study_part(FILE *f, const char *dir, const char *name, int k, const sim_report_info *in, int *n_charts,
                      sim_err *err)
{
    char sub[8192 + 300], prefix[16];
    snprintf(sub, sizeof sub, "%s/%s", dir, name);
    sim_outdir od; /* no run replaces it while it is read, no other plot writes into it */
    if (sim_outdir_lock(&od, sub, err))
        return -1;
    report_doc r;
    int rc = 0;
    if (doc_read(&r, sub)) {
        snprintf(prefix, sizeof prefix, "part%d-", k);
        char id[32];
        snprintf(id, sizeof id, "part%d", k);
        html_open(f, "section", id, "part");
        fputs("<h2 class=\"part\">", f);
        html_esc(f, r.title);
        fprintf(f, " <small>(a %s: <code>", r.kind);
        html_esc(f, name);
        fputs("/</code>)</small></h2>\n", f);
        html_id_prefix(prefix);
        rc = study_sections(f, &r, sub, od.dir_fd, in, n_charts, err);
        html_id_prefix("");
        fputs("</section>\n", f);
    }
    doc_free(&r);
    sim_outdir_unlock(&od);
    return rc;
}

/* The page, from its head to its footer: the directory's own study (when it holds one), then each part. */
static int report_body(FILE *f, const report_doc *r, bool own, const char *dir, int dir_fd, char parts[][256],
                       int n_parts, const sim_report_info *in, sim_err *err)
{
    page_header(f, r->title, r->kind, r->top, r->cmp ? r->labels : NULL, r->sum, r->scenario_file, in);
    if (n_parts) { /* a table of contents */
        fputs("<nav class=\"toc\"><b>Contents</b><ol>", f);
        if (own) {
            fputs("<li><a href=\"#decision\">", f);
            html_esc(f, r->title);
            fputs("</a></li>", f);
        }
        for (int k = 0; k < n_parts; k++) {
            fprintf(f, "<li><a href=\"#part%d\"><code>", k + 1);
            html_esc(f, parts[k]);
            fputs("/</code></a></li>", f);
        }
        fputs("</ol></nav>\n", f);
    }
    int n_charts = 0, rc = own ? study_sections(f, r, dir, dir_fd, in, &n_charts, err) : 0;
    for (int k = 0; k < n_parts && rc == 0; k++)
        rc = study_part(f, dir, parts[k], k + 1, in, &n_charts, err);
    if (rc)
        return rc;
    if (own && (r->cmp || r->sum))
        assumptions(f, dir, r->labels, r->scenario_file, in);
    else if (own) {
        fprintf(f, "<section id=\"assumptions\"><h2>Assumptions as resolved</h2><p>A %s keeps no resolved "
                   "scenario: each %s is the scenario <code>",
                r->sens ? "sensitivity study" : r->opt ? "optimization" : "sweep", r->opt ? "candidate" : "point");
        html_esc(f, sim_json_get_str(r->top, "scenario_file", "?"));
        fprintf(f, "</code> with its inputs set as in the table%s.</p></section>\n",
                r->sens ? " (<code>points.csv</code> lists every point's)" : "");
    } else
        fputs("<section id=\"assumptions\"><h2>Assumptions as resolved</h2><p>Each part's resolved scenario is "
              "in its directory (<code>scenario.cfg</code>, and its own report).</p></section>\n",
              f);
    dictionary(f, in);
    page_footer(f, dir, in);
    return 0;
}

/* A report.html in dir that gigasim did not write (its first line is not the page's own). */
static bool report_not_ours(int dir_fd)
{
    int fd = openat(dir_fd, "report.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT;
    char head[64] = "";
    ssize_t k = read(fd, head, sizeof head - 1);
    close(fd);
    head[k > 0 ? k : 0] = '\0';
    return strncmp(head, REPORT_FIRST_LINE, strlen(REPORT_FIRST_LINE)) != 0;
}

static int write_report(const char *dir, int dir_fd, const sim_report_info *in, sim_err *err)
{
    report_doc r;
    bool own = doc_read(&r, dir);
    static char parts[MAX_PARTS][256];
    int n_parts = study_parts(dir_fd, r.labels, parts);
    if (!own && n_parts == 0)
        return sim_errf(err, "%s: no summary.json, compare.json, sweep.json, sensitivity.json or optimize.json that parses, and no "
                             "subdirectory that holds one: not a gigasim output directory",
                        dir);
    if (!own) { /* a study of several parts: its title */
        const char *base = strrchr(dir, '/');
        snprintf(r.title, sizeof r.title, "Study of %d parts: %s", n_parts, base && base[1] ? base + 1 : dir);
        r.kind = "study";
        if (report_not_ours(dir_fd)) {
            doc_free(&r);
            return sim_errf(err, "%s/report.html: not a report gigasim wrote: it is left as it is", dir);
        }
    }
    char path[PATH_MAX], tmp[PATH_MAX];
    snprintf(path, sizeof path, "%s/report.html", dir);
    snprintf(tmp, sizeof tmp, "%s/.report.html.tmp", dir);
    /* created new (the lock's holder removed a killed report's), never through a link */
    int tfd = openat(dir_fd, ".report.html.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *f = tfd >= 0 ? fdopen(tfd, "w") : NULL;
    int rc = 0;
    if (!f) {
        if (tfd >= 0)
            close(tfd);
        rc = sim_errf(err, "%s: cannot write: %s", tmp, strerror(errno));
    } else {
        rc = report_body(f, &r, own, dir, dir_fd, parts, n_parts, in, err);
        bool bad = ferror(f) != 0;
        if (fclose(f) != 0)
            bad = true;
        if (rc == 0 && bad)
            rc = sim_errf(err, "%s: cannot write: %s", tmp, strerror(errno));
        if (sim_interrupted()) /* also while its charts were drawn (plot's message would say they are kept) */
            rc = sim_errf(err, "interrupted by %s while writing %s: no report written",
                          sim_interrupt_signal() == SIGINT ? "SIGINT" : "SIGTERM", path);
        if (rc == 0 && renameat(dir_fd, ".report.html.tmp", dir_fd, "report.html") != 0)
            rc = sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
        if (rc)
            unlinkat(dir_fd, ".report.html.tmp", 0);
    }
    doc_free(&r);
    return rc;
}
