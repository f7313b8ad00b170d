#include "sim/present/decision.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/calendar.h"
#include "sim/core/stats.h"
#include "sim/core/util.h"
#include "sim/present/html.h"
#include "sim/study/compare.h"
#include "sim/study/output.h"

#define MAX_DATES 4
#define MAX_SCEN 64

/* ------------------------------------------------------ replications.csv */

/* The column `name` of dir/replications.csv (rows in order; NAN where empty): malloc'd, *n rows; NULL if
 * there is no such file or column. */
static double *column_of(const char *dir, const char *name, size_t *n)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/replications.csv", dir);
    sim_err e;
    size_t len;
    char *t = sim_read_file(path, &len, &e);
    *n = 0;
    if (!t)
        return NULL;
    size_t rows = 0;
    for (size_t i = 0; i < len; i++)
        rows += t[i] == '\n';
    double *v = rows ? malloc(rows * sizeof *v) : NULL;
    long k = -1;
    char *line = t;
    for (size_t r = 0; v && line && *line; r++) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        long i = 0;
        for (char *c = line, *end; c; c = end ? end + 1 : NULL, i++) {
            end = strchr(c, ',');
            if (end)
                *end = '\0';
            if (r == 0 && !strcmp(c, name))
                k = i;
            if (r > 0 && i == k && *n < rows)
                v[(*n)++] = *c ? strtod(c, NULL) : NAN;
        }
        if (r == 0 && k < 0)
            break;
        line = next;
    }
    free(t);
    if (k < 0 || *n == 0) {
        free(v);
        *n = 0;
        return NULL;
    }
    return v;
}

/* ------------------------------------------------------------ in words */

static const sim_metric *metric_of(const sim_report_info *in, const char *name)
{
    int m = sim_metric_find(in->metrics, in->n_metrics, name);
    return m >= 0 ? &in->metrics[m] : NULL;
}

/* A value of metric m for a person: a date, money, a share, or a number with its unit. */
static void in_words(char *b, size_t n, const sim_metric *m, double v, const char *currency, const char *start)
{
    char num[64];
    if (m->flags & SIM_METRIC_DAY)
        html_day(b, n, v, start);
    else if (!strcmp(m->unit, "currency"))
        html_money(b, n, v, currency);
    else if (!strcmp(m->unit, "share"))
        html_share(b, n, v);
    else {
        html_num(num, sizeof num, v);
        snprintf(b, n, "%s %s", num, m->unit);
    }
}

/* The report's dates: summary.json's report_dates (comma separated), else 1 January of the years after the
 * P10's through the P90's (at most MAX_DATES); as days of the run. */
static int report_dates(const cJSON *sum, const cJSON *fig, const char *start, double *days, char names[][32])
{
    int64_t s, d;
    if (!start || sim_date_parse(start, &s) != 0)
        return 0;
    int n = 0;
    const char *list = sim_json_get_str(sum, "report_dates", NULL);
    if (list) {
        for (const char *p = list; *p && n < MAX_DATES;) {
            size_t l = strcspn(p, ",");
            snprintf(names[n], 32, "%.*s", (int)(l < 15 ? l : 15), p);
            if (sim_date_parse(names[n], &d) == 0)
                days[n++] = (double)(d - s);
            p += l + (p[l] == ',');
        }
        return n;
    }
    double lo = sim_json_get_num(fig, "p10", NAN), hi = sim_json_get_num(fig, "p90", NAN);
    if (!isfinite(lo))
        return 0;
    int64_t y0, y1;
    unsigned m, dd;
    sim_civil_from_days(s + (int64_t)lo, &y0, &m, &dd);
    sim_civil_from_days(s + (int64_t)(isfinite(hi) ? hi : lo), &y1, &m, &dd);
    for (int64_t y = y0 + 1; y <= y1 + 1 && n < MAX_DATES; y++) {
        d = sim_days_from_civil(y, 1, 1);
        snprintf(names[n], 32, "%04lld-01-01", (long long)y);
        days[n++] = (double)(d - s);
    }
    return n;
}

/* The share of replications in dir that reached milestone m by each of the report's dates. */
static void by_dates(FILE *f, const char *dir, const cJSON *sum, const sim_metric *m, const cJSON *fig,
                     const char *start)
{
    double days[MAX_DATES];
    char names[MAX_DATES][32];
    int nd = report_dates(sum, fig, start, days, names);
    size_t n;
    double *v = nd ? column_of(dir, m->name, &n) : NULL;
    if (!v)
        return;
    fputs("; by ", f);
    for (int k = 0; k < nd; k++) {
        size_t by = 0;
        for (size_t i = 0; i < n; i++)
            by += v[i] <= days[k];
        char share[32];
        html_share(share, sizeof share, (double)by / (double)n);
        fprintf(f, "%s", k ? ", " : "");
        html_esc(f, names[k]);
        fprintf(f, " in %s", share);
    }
    fputs(" of replications", f);
    free(v);
}

void sim_decision_run(FILE *f, const char *dir, const cJSON *sum, const sim_report_info *in)
{
    if (!in->labels)
        return;
    const char *cur = sim_json_get_str(sum, "currency", ""), *start = sim_json_get_str(sum, "start_date", NULL);
    double n_reps = sim_json_get_num(sum, "replications", NAN);
    html_open(f, "section", "decision", "decision");
    fputs("<h2>Decision</h2>\n<p class=\"question\">", f);
    char q[512];
    snprintf(q, sizeof q, in->decision_question_run ? in->decision_question_run : "What does %s give?",
             sim_json_get_str(sum, "scenario", "the scenario"));
    html_esc(f, q);
    fputs("</p>\n<ul class=\"answer\">\n", f);
    for (size_t k = 0; k < in->n_labels; k++) {
        const sim_metric *m = in->labels[k].decision ? metric_of(in, in->labels[k].metric) : NULL;
        const cJSON *fig = m ? html_figure_of(sum, m->name) : NULL;
        if (!fig || !isfinite(sim_json_get_num(fig, "p50", NAN)))
            continue;
        char p10[96], p50[96], p90[96];
        in_words(p50, sizeof p50, m, sim_json_get_num(fig, "p50", NAN), cur, start);
        in_words(p10, sizeof p10, m, sim_json_get_num(fig, "p10", NAN), cur, start);
        in_words(p90, sizeof p90, m, sim_json_get_num(fig, "p90", NAN), cur, start);
        fputs("<li><b>", f);
        html_esc(f, in->labels[k].words);
        fprintf(f, "</b>: <span class=\"p50\">%s</span> <small>(P50; P10 to P90: %s to %s)</small>", p50, p10, p90);
        if (m->flags & SIM_METRIC_DAY) {
            double reached = sim_json_get_num(fig, "n_reached", n_reps);
            if (reached < n_reps)
                fprintf(f, "; not reached within the horizon in %.0f of %.0f replications", n_reps - reached, n_reps);
            by_dates(f, dir, sum, m, fig, start);
        }
        fputs("</li>\n", f);
    }
    const sim_held_back *h = in->held;
    for (size_t k = 0; h && k < h->n_milestones; k++) {
        const cJSON *o = html_get(sum, h->phase);
        const char *v = sim_json_get_str(o, h->milestone[k], NULL);
        if (v && !strcmp(v, "none")) /* no timeline phase on its path: the cause that held it */
            v = sim_json_get_str(html_get(sum, h->cause), h->milestone[k], NULL);
        if (!v)
            continue;
        fputs("<li><b>What held ", f);
        html_esc(f, h->milestone_words[k]);
        fputs(" back most</b>: ", f);
        char words[256]; /* grid_connection (grid_interconnection) in words */
        snprintf(words, sizeof words, "%s", v);
        for (char *c = words; *c; c++)
            *c = *c == '_' ? ' ' : *c;
        html_esc(f, words);
        fputs("</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

/* ---------------------------------------------------------- a comparison */

typedef struct scen {
    const char *label, *name;
    double rate; /* into the comparison's money unit */
} scen;

/* The leader's margin over the runner-up, replication by replication: the mean of the paired differences
 * (positive: the leader is better) and the half-width of its 95 % interval, 1.96 s / sqrt(n); NAN where a
 * replication lacks either value (a milestone not reached) or fewer than two were compared. */
typedef struct margin {
    int lead, runner;
    double mean, half;
} margin;

/* Per scenario, how many replications it is best in (ties count for each) and how many were compared; the
 * leader (most often best, the first of a tie) and its margin over the runner-up (next most often). */
static size_t best_counts(const char *dir, const scen *s, int ns, const sim_metric *m, bool money, size_t *best,
                          margin *mg)
{
    double *v[MAX_SCEN] = {0};
    size_t n = SIZE_MAX, rows;
    for (int i = 0; i < ns; i++) {
        char sub[PATH_MAX];
        snprintf(sub, sizeof sub, "%s/%s", dir, s[i].label);
        v[i] = column_of(sub, m->name, &rows);
        n = v[i] && rows < n ? rows : v[i] ? n : 0;
        best[i] = 0;
    }
    bool value = m->flags & SIM_METRIC_VALUE, day = m->flags & SIM_METRIC_DAY;
    size_t compared = 0;
    for (size_t r = 0; n != SIZE_MAX && r < n; r++) {
        double x[MAX_SCEN], top = NAN;
        bool ok = true;
        for (int i = 0; i < ns; i++) {
            x[i] = v[i][r] * (money ? s[i].rate : 1.0);
            if (isnan(x[i]) && day)
                x[i] = INFINITY; /* not reached: later than any reached */
            ok &= !isnan(x[i]);
            if (ok && (isnan(top) || (value ? x[i] > top : x[i] < top)))
                top = x[i];
        }
        if (!ok || !isfinite(top))
            continue;
        compared++;
        for (int i = 0; i < ns; i++)
            best[i] += fabs(x[i] - top) <= 1e-9 * fabs(top);
    }
    mg->lead = 0;
    mg->runner = ns > 1 ? 1 : 0;
    for (int i = 1; i < ns; i++)
        if (best[i] > best[mg->lead]) {
            mg->runner = mg->lead;
            mg->lead = i;
        } else if (i != mg->lead && (mg->runner == mg->lead || best[i] > best[mg->runner]))
            mg->runner = i;
    mg->mean = mg->half = NAN;
    double mean = 0, m2 = 0;
    size_t k = 0;
    bool whole = ns > 1 && compared > 1;
    for (size_t r = 0; whole && n != SIZE_MAX && r < n; r++) {
        double a = v[mg->lead][r] * (money ? s[mg->lead].rate : 1.0);
        double b = v[mg->runner][r] * (money ? s[mg->runner].rate : 1.0);
        if (!isfinite(a) || !isfinite(b)) {
            whole = false;
            break;
        }
        double d = value ? a - b : b - a, delta = d - mean;
        mean += delta / (double)++k;
        m2 += delta * (d - mean);
    }
    if (whole && k > 1) {
        mg->mean = mean;
        mg->half = 1.959963984540054 * sqrt(m2 / (double)(k - 1) / (double)k);
    }
    for (int i = 0; i < ns; i++)
        free(v[i]);
    return compared;
}

/* A difference of metric m in words: days, money, or a number with its unit. */
static void difference_words(char *b, size_t n, const sim_metric *m, double v, const char *currency)
{
    if (m->flags & SIM_METRIC_DAY)
        snprintf(b, n, "%.0f days", v);
    else if (!strcmp(m->unit, "share"))
        snprintf(b, n, "%.3g percentage points", 100 * v);
    else {
        char num[64];
        html_value(num, sizeof num, v, m->unit, currency);
        snprintf(b, n, "%s%s%s", num, strcmp(m->unit, "currency") && *m->unit ? " " : "",
                 strcmp(m->unit, "currency") ? m->unit : "");
    }
}

/* A delay study's answer (dir/delay.json, sim/study/delay.h): what the delay costs, as one figure each. */
static void delay_answer(FILE *f, const char *dir, const sim_report_info *in)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/delay.json", dir);
    sim_err e;
    char *t = sim_read_file(path, NULL, &e);
    cJSON *d = t ? cJSON_Parse(t) : NULL;
    free(t);
    if (!d)
        return;
    const char *cur = sim_json_get_str(d, "currency", "");
    fprintf(f, "<p><b>A delay of %g days in ", sim_json_get_num(d, "days", NAN));
    html_esc(f, sim_json_get_str(d, "phase", "?"));
    fputs("</b> (paired, common random numbers):</p>\n<ul class=\"answer\">\n", f);
    const cJSON *g;
    cJSON_ArrayForEach(g, html_get(d, "figures"))
    {
        const sim_metric *m = metric_of(in, g->string ? g->string : "");
        if (!m || !isfinite(sim_json_get_num(g, "mean", NAN)))
            continue;
        bool money = !strcmp(m->unit, "currency");
        char mean[64], lo[64], hi[64], day[64];
        const cJSON *ci = html_get(g, "ci95");
        double v[3] = {sim_json_get_num(g, "mean", NAN), cJSON_GetNumberValue(cJSON_GetArrayItem(ci, 0)),
                       cJSON_GetNumberValue(cJSON_GetArrayItem(ci, 1))};
        char *out[3] = {mean, lo, hi};
        for (int k = 0; k < 3; k++) {
            if (money)
                html_money(out[k], 64, v[k], cur);
            else
                snprintf(out[k], 64, "%.0f days", v[k]);
        }
        fputs("<li><b>", f);
        html_esc(f, sim_figure_words(in, m->name));
        fprintf(f, "</b>: %s <span class=\"p50\">%s</span> on average <small>(95 %% CI %s to %s)</small>",
                money ? ((m->flags & SIM_METRIC_VALUE) ? "loses" : "adds") : "moves", mean, lo, hi);
        if (money && isfinite(sim_json_get_num(g, "per_day", NAN))) {
            html_money(day, sizeof day, sim_json_get_num(g, "per_day", NAN), cur);
            fprintf(f, ", %s a day", day);
        }
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    cJSON_Delete(d);
}

/* A figure's line of a comparison's decision page: the best scenario, in what share of the replications, by how
 * much it leads the next (95 % intervals), then every scenario's P50. */
static void best_line(FILE *f, const char *words, const sim_metric *m, const cJSON *fig, const scen *s, int ns,
                      const size_t *best, size_t compared, const margin *mg, const char *unit, const char *start)
{
    int lead = mg->lead;
    char v[96], share[32];
    html_share(share, sizeof share, (double)best[lead] / (double)compared);
    fputs("<li><b>", f);
    html_esc(f, words);
    fputs("</b>: best ", f);
    html_esc(f, s[lead].name);
    double lo, hi;
    char s_lo[32], s_hi[32];
    sim_share_interval95(best[lead], compared, &lo, &hi);
    html_share(s_lo, sizeof s_lo, lo);
    html_share(s_hi, sizeof s_hi, hi);
    fprintf(f, " in %s of replications <small>[%s to %s]</small>", share, s_lo, s_hi);
    if (isfinite(mg->mean)) { /* by how much, on average */
        char d[96], d_lo[96], d_hi[96];
        difference_words(d, sizeof d, m, mg->mean, unit);
        difference_words(d_lo, sizeof d_lo, m, mg->mean - mg->half, unit);
        difference_words(d_hi, sizeof d_hi, m, mg->mean + mg->half, unit);
        fputs(", ahead of ", f);
        html_esc(f, s[mg->runner].name);
        fprintf(f, " by %s on average <small>[%s to %s]</small>", d, d_lo, d_hi);
    }
    fputs("<br><small>95 % intervals in brackets. P50: ", f);
    for (int i = 0; i < ns && i < 6; i++) {
        in_words(v, sizeof v, m, sim_json_get_num(html_get(fig, s[i].label), "p50", NAN), unit, start);
        fprintf(f, "%s", i ? "; " : "");
        html_esc(f, s[i].name);
        fprintf(f, " %s", v);
    }
    if (ns > 6)
        fprintf(f, "; and %d more", ns - 6);
    fputs("</small></li>\n", f);
}

void sim_decision_compare(FILE *f, const char *dir, const cJSON *cmp, const sim_report_info *in)
{
    if (!in->labels)
        return;
    scen s[MAX_SCEN];
    int ns = 0;
    const cJSON *sc;
    cJSON_ArrayForEach(sc, html_get(cmp, "scenarios"))
    {
        const char *label = sim_json_get_str(sc, "label", "");
        if (ns == MAX_SCEN || !sim_study_label_ok(label)) /* a directory's name is taken only when it is one */
            return;
        s[ns++] = (scen){label, sim_json_get_str(sc, "name", label), sim_json_get_num(sc, "usd_per_unit", NAN)};
    }
    bool twin[MAX_SCEN] = {false}; /* twins (one scenario file twice, as a delay study runs it) go by their labels */
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < ns; j++)
            twin[i] |= i != j && !strcmp(s[i].name, s[j].name);
    for (int i = 0; i < ns; i++)
        if (twin[i])
            s[i].name = s[i].label;
    const char *unit = sim_json_get_str(cmp, "money_unit", "");
    bool money_ok = cJSON_IsTrue(html_get(cmp, "money_differenced"));
    bool to_usd = !strcmp(unit, "USD");
    for (int i = 0; i < ns; i++)
        s[i].rate = to_usd && isfinite(s[i].rate) ? s[i].rate : 1.0;
    const char *start = NULL; /* the first scenario's start date, for its dates */
    char sumpath[PATH_MAX];
    snprintf(sumpath, sizeof sumpath, "%s/%s/summary.json", dir, ns ? s[0].label : "");
    sim_err e;
    char *t = sim_read_file(sumpath, NULL, &e);
    cJSON *sum0 = t ? cJSON_Parse(t) : NULL;
    free(t);
    start = sim_json_get_str(sum0, "start_date", NULL);
    html_open(f, "section", "decision", "decision");
    fputs("<h2>Decision</h2>\n<p class=\"question\">", f);
    char q[512], names[256] = "";
    for (int i = 0; i < ns && strlen(names) < 200; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? (i + 1 == ns ? " or " : ", ") : "",
                 s[i].name);
    snprintf(q, sizeof q, in->decision_question_compare ? in->decision_question_compare : "Which of %s?",
             ns > 6 ? "these sites" : names);
    html_esc(f, q);
    fputs("</p>\n", f);
    delay_answer(f, dir, in);
    fprintf(f, "<p>Each figure's best scenario, how often it is best and by how much it leads the next, "
               "replication by replication (%.0f replications with common random numbers; a tie counts for "
               "each).</p>\n<ul class=\"answer\">\n",
            sim_json_get_num(cmp, "replications", NAN));
    const cJSON *figs = html_get(cmp, "figures");
    for (size_t k = 0; k < in->n_labels; k++) {
        const sim_metric *m = in->labels[k].decision ? metric_of(in, in->labels[k].metric) : NULL;
        const cJSON *fig = m ? html_figure_of(figs, m->name) : NULL;
        bool money = m && !strcmp(m->unit, "currency");
        if (!fig || (money && !money_ok))
            continue;
        size_t best[MAX_SCEN];
        margin mg;
        size_t compared = best_counts(dir, s, ns, m, money, best, &mg);
        if (compared == 0)
            continue;
        best_line(f, in->labels[k].words, m, fig, s, ns, best, compared, &mg, unit, start);
    }
    cJSON_Delete(sum0);
    fputs("</ul></section>\n", f);
}

/* ------------------------------------------------- a sweep, a sensitivity */

/* Words inside a sentence: "First token" as "first token" (not "CO2" or "PUE"). */
static void esc_in_sentence(FILE *f, const char *w)
{
    if (w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'a' && w[1] <= 'z') {
        fputc(w[0] - 'A' + 'a', f);
        w++;
    }
    html_esc(f, w);
}

const char *sim_figure_label(const sim_report_info *in, const char *metric)
{
    for (size_t k = 0; k < in->n_labels; k++)
        if (!strcmp(in->labels[k].metric, metric))
            return in->labels[k].words;
    return NULL;
}

const char *sim_figure_words(const sim_report_info *in, const char *metric)
{
    const char *w = sim_figure_label(in, metric);
    const sim_metric *m = w ? NULL : metric_of(in, metric);
    return w ? w : m ? m->description : metric;
}

void sim_decision_study(FILE *f, const cJSON *study, bool sensitivity, const sim_report_info *in)
{
    html_open(f, "section", "decision", "decision");
    fputs("<h2>Decision</h2>\n<p class=\"question\">", f);
    if (sensitivity) {
        fputs("Which uncertain inputs decide the outcome?</p>\n<ul class=\"answer\">\n", f);
        const cJSON *m;
        cJSON_ArrayForEach(m, html_get(study, "metrics"))
        {
            const cJSON *idx = html_get(m, "indices");
            if (!cJSON_GetArrayItem(idx, 0))
                continue;
            fputs("<li><b>", f);
            html_esc(f, sim_figure_words(in, sim_json_get_str(m, "name", "?")));
            fputs("</b>: most of all ", f);
            for (int r = 0; r < 3 && cJSON_GetArrayItem(idx, r); r++) { /* the leading three, in their order */
                const cJSON *top = cJSON_GetArrayItem(idx, r);
                const char *key = sim_json_get_str(top, "key", "?"), *label = key;
                const cJSON *x;
                cJSON_ArrayForEach(x, html_get(study, "inputs")) if (!strcmp(sim_json_get_str(x, "key", ""), key))
                    label = sim_json_get_str(x, "label", key);
                fputs(r == 0 ? "" : r == 1 ? "; then " : ", ", f);
                html_esc(f, label);
                double st = sim_json_get_num(top, "st", NAN), mu = sim_json_get_num(top, "mu_star", NAN);
                if (isfinite(st))
                    fprintf(f, " (total index %.2f)", st);
                else if (isfinite(mu))
                    fprintf(f, " (mu* %.4g)", mu);
            }
            fputs("</li>\n", f);
        }
    } else {
        fputs("How much does each input move the figure?</p>\n<ul class=\"answer\">\n<li>", f);
        const cJSON *keys = html_get(study, "keys"), *top = cJSON_GetArrayItem(keys, 0);
        if (top) {
            fputs("<b>", f);
            html_esc(f, sim_json_get_str(top, "label", sim_json_get_str(top, "key", "?")));
            const char *metric = sim_json_get_str(html_get(study, "metric"), "name", "");
            const sim_metric *mt = metric_of(in, metric);
            fputs("</b> moves ", f);
            esc_in_sentence(f, sim_figure_words(in, metric));
            fputs(" most", f);
            bool bare = !mt || !strcmp(mt->unit, "currency") || !strcmp(mt->unit, "share");
            for (int r = 0; r < 3 && cJSON_GetArrayItem(keys, r); r++) { /* the leading three, in their order */
                const cJSON *k = cJSON_GetArrayItem(keys, r);
                double swing = sim_json_get_num(k, "swing", NAN);
                char b[64];
                html_value(b, sizeof b, swing, mt ? mt->unit : "", sim_json_get_str(study, "currency", ""));
                if (r > 0) {
                    fputs(r == 1 ? "; then " : ", ", f);
                    html_esc(f, sim_json_get_str(k, "label", sim_json_get_str(k, "key", "?")));
                }
                if (isfinite(swing))
                    fprintf(f, "%s%s%s%s%s", r == 0 ? ": a swing of " : " (", b, bare ? "" : " ",
                            bare ? "" : mt->unit, r == 0 ? " (its P50 from the low to the high value)" : ")");
            }
        } else {
            fputs("The curve of the figure against ", f);
            html_esc(f, sim_json_get_str(study, "key_label", sim_json_get_str(study, "key", "the input")));
            fputs(", below", f);
        }
        fputs("</li>\n", f);
    }
    fputs("</ul></section>\n", f);
}

/* A candidate's decisions in words: KEY = VALUE, ... */
static void decisions_words(FILE *f, const cJSON *decisions)
{
    const cJSON *d;
    bool first = true;
    cJSON_ArrayForEach(d, decisions)
    {
        fputs(first ? "" : ", ", f);
        first = false;
        fputs("<code>", f);
        html_esc(f, d->string ? d->string : "?");
        fputs("</code> = ", f);
        if (cJSON_IsString(d))
            html_esc(f, d->valuestring);
        else {
            char b[64];
            html_num(b, sizeof b, cJSON_GetNumberValue(d));
            html_esc(f, b);
        }
    }
}

void sim_decision_optimize(FILE *f, const cJSON *opt, const sim_report_info *in)
{
    const cJSON *obj = html_get(opt, "objective"), *ch = html_get(opt, "chosen"), *ru = html_get(opt, "runner_up");
    const cJSON *aw = html_get(opt, "as_written");
    const char *metric = sim_json_get_str(obj, "metric", "?"), *cur = sim_json_get_str(opt, "currency", "");
    const sim_metric *mt = metric_of(in, metric);
    const char *unit = mt ? mt->unit : sim_json_get_str(obj, "unit", "");
    bool bare = !strcmp(unit, "currency") || !strcmp(unit, "share");
    char v[4][64];
    html_open(f, "section", "decision", "decision");
    fputs("<h2>Decision</h2>\n<p class=\"question\">What should be decided, for the best ", f);
    html_esc(f, sim_json_get_str(obj, "statistic", "mean"));
    fputs(" of ", f);
    html_esc(f, sim_figure_words(in, metric));
    fputs("?</p>\n<ul class=\"answer\">\n<li><b>", f);
    decisions_words(f, html_get(ch, "decisions"));
    html_value(v[0], sizeof v[0], sim_json_get_num(ch, "objective", NAN), unit, cur);
    html_value(v[1], sizeof v[1], sim_json_get_num(ch, "objective_lo", NAN), unit, cur);
    html_value(v[2], sizeof v[2], sim_json_get_num(ch, "objective_hi", NAN), unit, cur);
    fprintf(f, "</b>: %s%s%s [%s, %s] (%.0f %% interval, %.0f replications)</li>\n", v[0], bare ? "" : " ",
            bare ? "" : unit, v[1], v[2], 100 * sim_json_get_num(opt, "confidence", 0.95),
            sim_json_get_num(opt, "final_replications", 0));
    const char *verdict = sim_json_get_str(opt, "verdict", "");
    fprintf(f, "<li>%s; probability best among the finalists %.2f",
            !strcmp(verdict, "separated")    ? "Separated from every other finalist"
            : !strcmp(verdict, "equivalent") ? "Equivalent to the runner-up (their difference is inside the "
                                               "indifference zone)"
                                             : "Not separated from the runner-up within the replications allowed",
            sim_json_get_num(ch, "p_best", NAN));
    double ru_p = sim_json_get_num(ru, "p_best", NAN);
    if (strcmp(verdict, "separated") && isfinite(ru_p)) /* a close race: the runner-up's chance beside it */
        fprintf(f, " (the runner-up's %.2f)", ru_p);
    fputs("</li>\n", f);
    if (ru) {
        fputs("<li>Runner-up: ", f);
        decisions_words(f, html_get(ru, "decisions"));
        html_value(v[0], sizeof v[0], sim_json_get_num(ru, "difference", NAN), unit, cur);
        html_value(v[1], sizeof v[1], sim_json_get_num(ru, "difference_lo", NAN), unit, cur);
        html_value(v[2], sizeof v[2], sim_json_get_num(ru, "difference_hi", NAN), unit, cur);
        fprintf(f, ", behind by %s [%s, %s]</li>\n", v[0], v[1], v[2]);
    }
    if (aw) {
        html_value(v[0], sizeof v[0], sim_json_get_num(aw, "objective", NAN), unit, cur);
        html_value(v[1], sizeof v[1], sim_json_get_num(aw, "gain", NAN), unit, cur);
        html_value(v[2], sizeof v[2], sim_json_get_num(aw, "gain_lo", NAN), unit, cur);
        html_value(v[3], sizeof v[3], sim_json_get_num(aw, "gain_hi", NAN), unit, cur);
        fprintf(f, "<li>Against the scenario as written (%s): a gain of %s [%s, %s], paired</li>\n", v[0], v[1], v[2],
                v[3]);
    }
    fprintf(f, "<li>Cost: %.0f candidates searched by %s, %.0f replications in all</li>\n",
            (double)cJSON_GetArraySize(html_get(opt, "candidates")), sim_json_get_str(opt, "search", "?"),
            sim_json_get_num(opt, "replications_total", 0));
    fputs("</ul></section>\n", f);
}
