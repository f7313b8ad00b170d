#include "sim/present/plot.h"

#include "sim/core/calendar.h"

#include "sim/study/compare.h"
#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/study/sweep.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool gnuplot_on_path(void)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    char buf[PATH_MAX];
    const char *p = path;
    while (*p) {
        const char *c = strchr(p, ':');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)len, p);
        if (access(buf, X_OK) == 0)
            return true;
        p += len;
        if (*p == ':')
            p++;
    }
    return false;
}

/* A growing string of gnuplot assignments. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool oom;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -1;
        va_end(ap);
        if (b->s && n >= 0 && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        sim_err e;
        size_t need = b->len + (n > 0 ? (size_t)n : 0) + 4096;
        if (sim_grow((void **)&b->s, &b->cap, need, 1, &e)) {
            b->oom = true;
            return;
        }
    }
}

/* Reads and parses a JSON file. */
static cJSON *read_json(const char *path, sim_err *err)
{
    size_t len;
    sim_err e;
    char *text = sim_read_file(path, &len, &e);
    if (!text) {
        sim_errf(err, "%s (is this a gigasim output directory?)", e.msg);
        return NULL;
    }
    if (len == 0) {
        free(text);
        sim_errf(err, "%s: empty file", path);
        return NULL;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root)
        sim_errf(err, "%s: not valid JSON", path);
    return root;
}

/* For every figure {p50, mean, ...} under o: PREFIXm_NAME = P50 and
 * PREFIXa_NAME = the mean (over the replications that reached it when not
 * all did); -1 when there is none. NAME is the figure's key, or for a nested
 * one its parent's key and its own joined by '_' (gnuplot truncates names
 * past 50 characters): a.b.c -> a_b_c's last two parts, b_c. */
static void figure_vars(strbuf *b, const cJSON *o, const char *prefix, const char *parent)
{
    for (const cJSON *it = o->child; it; it = it->next) {
        if (!cJSON_IsObject(it) || !it->string)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%s%s%s", parent, *parent ? "_" : "", it->string);
        for (char *c = name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
                *c = '_';
        if (cJSON_GetObjectItemCaseSensitive(it, "p50")) {
            double mean = sim_json_get_num(it, "mean", sim_json_get_num(it, "mean_reached", -1.0));
            sb_printf(b, "%sm_%s=%.10g; %sa_%s=%.10g; ", prefix, name, sim_json_get_num(it, "p50", -1.0), prefix, name, mean);
        } else {
            figure_vars(b, it, prefix, it->string);
        }
    }
}

/* name='TEXT' for gnuplot: a single-quoted string ('' for a quote); with
 * `enhanced`, the characters gnuplot's enhanced text reads as markup are
 * escaped so that a title shows the text as written. An '&' is written
 * "and": gnuplot's SVG terminal puts it in the file unescaped, which no XML
 * reader accepts. */
static void gp_string(strbuf *b, const char *name, const char *text, bool enhanced)
{
    sb_printf(b, "%s='", name);
    for (const char *c = text; *c; c++) {
        if (*c == '\'')
            sb_printf(b, "''");
        else if (*c == '&')
            sb_printf(b, "and");
        else if (enhanced && strchr("_^{}@&~\\", *c))
            sb_printf(b, "\\%c", *c);
        else if ((unsigned char)*c >= 0x20)
            sb_printf(b, "%c", *c);
    }
    sb_printf(b, "'; ");
}

/* gp_string of a name shown in a chart (enhanced text), cut to max_chars
 * characters (UTF-8 sequences kept whole) with an ellipsis: a legend or a
 * title of 200 characters would not fit and gnuplot would drop it. */
static void gp_name_with(strbuf *b, const char *var, const char *text, size_t max_chars, const char *suffix);
static void gp_name(strbuf *b, const char *var, const char *text, size_t max_chars)
{
    gp_name_with(b, var, text, max_chars, "");
}

/* The same, with suffix (never cut) after the name. */
static void gp_name_with(strbuf *b, const char *var, const char *text, size_t max_chars, const char *suffix)
{
    char cut[1024];
    size_t o = 0, chars = 0;
    const unsigned char *t = (const unsigned char *)text;
    while (*t && chars < max_chars && o + 8 < sizeof cut) {
        size_t k = *t < 0x80 ? 1 : *t >= 0xF0 ? 4 : *t >= 0xE0 ? 3 : *t >= 0xC0 ? 2 : 1;
        for (size_t j = 0; j < k && t[j]; j++)
            cut[o++] = (char)t[j];
        t += k;
        chars++;
    }
    if (*t && o + 4 < sizeof cut) {
        memcpy(cut + o, "\xE2\x80\xA6", 3); /* ... */
        o += 3;
    }
    snprintf(cut + o, sizeof cut - o, "%s", suffix);
    gp_string(b, var, cut, true);
}

/* start_s (day 0 in seconds since 1970) when the summary has a start date:
 * the charts' time axes are then dates. */
static void start_var(strbuf *b, const cJSON *summary)
{
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(summary, "start_date");
    int64_t days;
    if (cJSON_IsString(sd) && sim_date_parse(sd->valuestring, &days) == 0)
        sb_printf(b, "start_s=%.0f; ", (double)days * 86400.0);
}

/* A sensitivity study: its mode, first figure and, in sensitivity.csv's
 * order, each input's label. */
/* A sensitivity study's input by its key: its label as the study recorded it (the key itself if none). */
static const char *input_label(const cJSON *root, const char *key)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, "inputs"))
    {
        if (!strcmp(sim_json_get_str(x, "key", ""), key))
            return sim_json_get_str(x, "label", key);
    }
    return key;
}

/* A study's scenario, by its name or else its file, as the charts' `scen`. */
static void gp_scenario(strbuf *b, const cJSON *root)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, "scenario"), *f = cJSON_GetObjectItemCaseSensitive(root, "scenario_file");
    gp_name(b, "scen", cJSON_IsString(n) ? n->valuestring : cJSON_IsString(f) ? f->valuestring : "", 100);
}

/* The variables built from root (deleted): their text, or NULL (b freed) when memory ran out. */
static char *vars_done(strbuf *b, cJSON *root, sim_err *err)
{
    cJSON_Delete(root);
    if (b->oom) {
        free(b->s);
        sim_errf(err, "out of memory building the gnuplot variables");
        return NULL;
    }
    return b->s;
}

static char *sensitivity_vars(strbuf *b, const char *path, const char **kind, sim_err *err)
{
    cJSON *root = read_json(path, err);
    if (!root) {
        free(b->s);
        return NULL;
    }
    *kind = "sensitivity";
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
    sb_printf(b, "mode='%s'; ", cJSON_IsString(mode) && !strcmp(mode->valuestring, "morris") ? "morris" : "sobol");
    sb_printf(b, "nreps=%d; npoints=%d; ", (int)fmax(1, fmin(1e9, sim_json_get_num(root, "replications", 1))),
              (int)fmax(1, fmin(1e9, sim_json_get_num(root, "points", 1))));
    gp_scenario(b, root);
    const cJSON *m0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "metrics"), 0);
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(m0, "name"), *mu = cJSON_GetObjectItemCaseSensitive(m0, "unit");
    gp_string(b, "metric", cJSON_IsString(mn) ? mn->valuestring : "?", false);
    gp_string(b, "metric_e", cJSON_IsString(mn) ? mn->valuestring : "?", true);
    gp_string(b, "unit", cJSON_IsString(mu) ? mu->valuestring : "", false);
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(m0, "indices"), *row;
    int nk = 0;
    double xlo = -0.05, xhi = 1.05; /* the share axis, widened to every interval (a small sample's go past 1) */
    cJSON_ArrayForEach(row, ix)
    {
        static const char *const ends[] = {"s1_lo", "st_lo", "s1_hi", "st_hi"};
        for (int e = 0; e < 4; e++) {
            double v = sim_json_get_num(row, ends[e], NAN);
            if (isfinite(v) && fabs(v) < 1e6) {
                xlo = fmin(xlo, v - 0.05);
                xhi = fmax(xhi, v + 0.05);
            }
        }
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(row, "key");
        char var[32];
        snprintf(var, sizeof var, "klabel%d", ++nk);
        gp_string(b, var, input_label(root, cJSON_IsString(k) ? k->valuestring : "?"), false);
    }
    sb_printf(b, "nk=%d; xlo=%.6g; xhi=%.6g; ", nk, xlo, xhi);
    return vars_done(b, root, err);
}

/* An optimization's variables: the objective (its metric, statistic, sense, unit: a money figure in the study's
 * currency), the decision drawn on x (the first numeric one when it is the only one, else the candidate's number),
 * the chosen candidate, the replications. */
static char *optimize_vars(strbuf *b, const char *path, const char **kind, sim_err *err)
{
    cJSON *root = read_json(path, err);
    if (!root) {
        free(b->s);
        return NULL;
    }
    *kind = "optimize";
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "objective");
    gp_string(b, "metric", sim_json_get_str(obj, "metric", "?"), false);
    gp_string(b, "metric_e", sim_json_get_str(obj, "metric", "?"), true);
    gp_string(b, "stat", sim_json_get_str(obj, "statistic", "mean"), false);
    gp_string(b, "sense", sim_json_get_str(obj, "sense", "maximize"), false);
    const char *unit = sim_json_get_str(obj, "unit", ""), *cur = sim_json_get_str(root, "currency", "");
    bool money = !strcmp(unit, "currency") && strlen(cur) == 3 && strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
    gp_string(b, "unit", money ? cur : unit, false);
    const cJSON *decs = cJSON_GetObjectItemCaseSensitive(root, "decisions");
    const cJSON *d0 = cJSON_GetArrayItem(decs, 0);
    bool one_numeric = cJSON_GetArraySize(decs) == 1 && strcmp(sim_json_get_str(d0, "kind", "choice"), "choice");
    sb_printf(b, "by_value=%d; ", one_numeric ? 1 : 0);
    gp_string(b, "key", one_numeric ? sim_json_get_str(d0, "key", "") : "", false);
    double lo = INFINITY, hi = -INFINITY;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "candidates"))
    {
        static const char *const ends[] = {"objective", "objective_lo", "objective_hi"};
        for (int e = 0; e < 3; e++) {
            double v = sim_json_get_num(c, ends[e], NAN);
            if (isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    }
    sb_printf(b, "yvalid=%d; ymin=%.10g; ymax=%.10g; ", isfinite(lo), isfinite(lo) ? lo : 0.0, isfinite(hi) ? hi : 0.0);
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(root, "chosen");
    sb_printf(b, "chosen=%d; ", (int)fmax(-1, fmin(1e6, sim_json_get_num(ch, "id", -1))));
    sb_printf(b, "nreps=%d; ncand=%d; ", (int)fmax(1, fmin(1e9, sim_json_get_num(root, "replications", 1))),
              cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "candidates")));
    gp_string(b, "verdict", sim_json_get_str(root, "verdict", ""), false);
    sb_printf(b, "p_best=%.4g; confidence=%.4g; ", sim_json_get_num(ch, "p_best", NAN), sim_json_get_num(root, "confidence", 0.95));
    gp_scenario(b, root);
    return vars_done(b, root, err);
}

/* A sweep's variables: its key, the ranked figure and (a curve) a second one in its unit, the tornado's rows. */
/* A curve's values (the metric's P10, P50 and P90 at every point, and the second metric's): how many
 * there are and the least and largest (curve.gp starts its axis at 0 only when none is negative, and
 * draws nothing when there is none). */
static void curve_range_vars(strbuf *bp, const cJSON *root, const char *second)
{
    static const char *const q[] = {"p10", "p50", "p90"};
    double lo = INFINITY, hi = -INFINITY;
    int n = 0;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, cJSON_GetObjectItemCaseSensitive(root, "points"))
    {
        for (int m = 0; m < (second ? 2 : 1); m++)
            for (int k = 0; k < 3; k++) {
                char name[300];
                snprintf(name, sizeof name, "%s%s%s", m ? second : "", m ? "_" : "", q[k]);
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(pt, name);
                if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
                    lo = fmin(lo, v->valuedouble);
                    hi = fmax(hi, v->valuedouble);
                    n++;
                }
            }
    }
    sb_printf(bp, "yvalid=%d; ymin=%.10g; ymax=%.10g; ", n, n ? lo : 0.0, n ? hi : 0.0);
}

static void sweep_vars(strbuf *bp, const cJSON *root, const char **kind)
{
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
    bool is_curve = cJSON_IsString(mode) && !strcmp(mode->valuestring, "curve");
    *kind = is_curve ? "sweep/curve" : "sweep/tornado";
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(root, "key");
    if (cJSON_IsString(key))
        gp_string(bp, "key", key->valuestring, false);
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(root, "base");
    sb_printf(bp, "base_p50=%.10g; ", base ? sim_json_get_num(base, "p50", -1) : -1);
    /* the ranked metric, and for a curve the first other one in the same unit (drawn beside it) */
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "metric");
    const cJSON *mn = m ? cJSON_GetObjectItemCaseSensitive(m, "name") : NULL;
    const cJSON *mu = m ? cJSON_GetObjectItemCaseSensitive(m, "unit") : NULL;
    bool ok = cJSON_IsString(mn) && cJSON_IsString(mu);
    gp_string(bp, "metric", ok ? mn->valuestring : "?", false);
    /* a money figure in the sweep's currency (sweep.json's "currency"), when it gives one */
    const char *cur = sim_json_get_str(root, "currency", "");
    bool money = ok && !strcmp(mu->valuestring, "currency") && strlen(cur) == 3 && strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
    gp_string(bp, "unit", ok ? (money ? cur : mu->valuestring) : "", false);
    sb_printf(bp, "second=''; ");
    gp_string(bp, "metric_e", ok ? mn->valuestring : "?", true);
    const char *label = sim_json_get_str(root, "key_label", cJSON_IsString(key) ? key->valuestring : "");
    gp_string(bp, "key_e", label, true);
    gp_string(bp, "key_label", label, false);
    /* the tornado's rows, in sweep.csv's order: "label (LOW .. HIGH)", factors as xF */
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys"), *row;
    int nk = 0;
    cJSON_ArrayForEach(row, keys)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(row, "key");
        if (!cJSON_IsString(k))
            continue;
        size_t kl = strlen(k->valuestring);
        bool whole = kl && k->valuestring[kl - 1] == '*';
        char text[400], var[32];
        snprintf(text, sizeof text, "%s (%s%g .. %s%g)", sim_json_get_str(row, "label", k->valuestring), whole ? "x" : "", sim_json_get_num(row, "low", 0),
                 whole ? "x" : "", sim_json_get_num(row, "high", 0));
        snprintf(var, sizeof var, "klabel%d", ++nk);
        gp_string(bp, var, text, false);
    }
    const cJSON *others = cJSON_GetObjectItemCaseSensitive(root, "other_metrics"), *om;
    const char *second = NULL;
    cJSON_ArrayForEach(om, others)
    {
        const cJSON *on = cJSON_GetObjectItemCaseSensitive(om, "name");
        const cJSON *ou = cJSON_GetObjectItemCaseSensitive(om, "unit");
        if (ok && cJSON_IsString(on) && cJSON_IsString(ou) &&
            !strcmp(ou->valuestring, mu->valuestring)) {
            gp_string(bp, "second", on->valuestring, false);
            second = on->valuestring;
            break;
        }
    }
    if (is_curve)
        curve_range_vars(bp, root, second);
}

/* How much of the scenarios' names they share, up to a last ", " (0: none, or a name missing, or fewer than two):
 * what they share goes into the titles, the rest into the legends. */
static size_t names_shared(const cJSON *list, int n, const char **first)
{
    size_t strip = 0;
    const char *first_name = NULL;
    bool all_named = true;
    const cJSON *sc;
    cJSON_ArrayForEach(sc, list)
    {
        const cJSON *sn = cJSON_GetObjectItemCaseSensitive(sc, "name");
        all_named &= cJSON_IsString(sn);
        if (!cJSON_IsString(sn))
            continue;
        if (!first_name) {
            first_name = sn->valuestring;
            strip = strlen(first_name);
        }
        size_t k = 0;
        while (k < strip && sn->valuestring[k] == first_name[k])
            k++;
        strip = k;
    }
    while (strip > 0 && !(strip >= 2 && first_name[strip - 2] == ',' && first_name[strip - 1] == ' '))
        strip--;
    if (!all_named || n < 2)
        strip = 0;
    *first = first_name;
    return strip;
}

/* A comparison's variables: its scenarios' labels and names, and (a few scenarios) each one's figures. */
/* labels='...' and nscen: the scenarios whose labels are safe names; returns how many. */
static int scenario_labels(strbuf *bp, const cJSON *list)
{
    int n = 0;
    sb_printf(bp, "labels='");
    const cJSON *sc;
    cJSON_ArrayForEach(sc, list)
    {
        const cJSON *lab = cJSON_GetObjectItemCaseSensitive(sc, "label");
        if (!cJSON_IsString(lab) || !sim_study_label_ok(lab->valuestring))
            continue;
        sb_printf(bp, "%s%s", n ? " " : "", lab->valuestring);
        n++;
    }
    sb_printf(bp, "'; nscen=%d; ", n);
    return n;
}

/* snameI: the legend of scenario sc, its name past what the names share (strip), with its label when another
 * scenario of the comparison has the same name. */
static void legend_name(strbuf *bp, const cJSON *list, const cJSON *sc, int i, size_t strip)
{
    const cJSON *lab = cJSON_GetObjectItemCaseSensitive(sc, "label"), *sn = cJSON_GetObjectItemCaseSensitive(sc, "name");
    char var[32];
    snprintf(var, sizeof var, "sname%d", i);
    const char *shown = cJSON_IsString(sn) ? sn->valuestring + strip : lab->valuestring;
    bool twin = false;
    const cJSON *o2;
    cJSON_ArrayForEach(o2, list)
    {
        const cJSON *n2 = cJSON_GetObjectItemCaseSensitive(o2, "name");
        twin |= o2 != sc && cJSON_IsString(n2) && cJSON_IsString(sn) && !strcmp(n2->valuestring, sn->valuestring);
    }
    char label[80] = "";
    if (twin)
        snprintf(label, sizeof label, " (%s)", lab->valuestring);
    gp_name_with(bp, var, shown, strlen(label) < 40 ? 60 - strlen(label) : 20, label);
}

static int compare_vars(strbuf *bp, const cJSON *root, const char *dir, const char **kind, sim_err *err)
{
    char path[PATH_MAX];
    /* labels: the scenario subdirectories; sI_m_... their figures */
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
    int n = scenario_labels(bp, list);
    const char *first_name = NULL;
    size_t strip = names_shared(list, n, &first_name);
    if (strip) {
        char common[256];
        snprintf(common, sizeof common, "%.*s", (int)(strip - 2 < sizeof common ? strip - 2 : sizeof common - 1),
                 first_name);
        gp_name(bp, "scen", common, 100);
    }
    /* Many scenarios (a site study): one ranking chart from ranking.csv, no per-scenario figures (their
     * variables would pass the length of one command-line argument) */
    bool many = n > SIM_PLOT_MAX_LINES;
    if (many)
        *kind = "ranking";
    int i = 0;
    char common_start[16] = "";
    bool first_sum_has = false;
    double horizon = 0; /* the longest of the scenarios' */
    const cJSON *sc;
    cJSON_ArrayForEach(sc, list)
    {
        const cJSON *lab = cJSON_GetObjectItemCaseSensitive(sc, "label");
        if (!cJSON_IsString(lab) || !sim_study_label_ok(lab->valuestring))
            continue;
        i++;
        snprintf(path, sizeof path, "%s/%s/summary.json", dir, lab->valuestring);
        cJSON *sum = read_json(path, err);
        if (!sum)
            return -1;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "s%d_", i);
        legend_name(bp, list, sc, i, strip);
        if (!many)
            figure_vars(bp, sum, prefix, "");
        double h = sim_json_get_num(sum, "horizon_days", 0);
        horizon = h > horizon ? h : horizon;
        /* dates on the axes when every scenario starts on the same day */
        const cJSON *sd = cJSON_GetObjectItemCaseSensitive(sum, "start_date");
        const char *d = cJSON_IsString(sd) ? sd->valuestring : "";
        if (i == 1)
            snprintf(common_start, sizeof common_start, "%s", d);
        else if (strcmp(common_start, d) != 0)
            common_start[0] = '\0';
        if (i == 1)
            first_sum_has = *d != 0;
        cJSON_Delete(sum);
    }
    sb_printf(bp, "horizon=%.10g; ", horizon);
    snprintf(path, sizeof path, "%s/backtest.csv", dir); /* a backtest's comparison (sim/study/backtest.h) */
    if (access(path, F_OK) == 0)
        sb_printf(bp, "backtest=1; ");
    if (first_sum_has && common_start[0]) {
        cJSON *tmp = cJSON_CreateObject();
        if (tmp && cJSON_AddStringToObject(tmp, "start_date", common_start))
            start_var(bp, tmp);
        cJSON_Delete(tmp);
    }
    return 0;
}

char *sim_plot_vars(const char *dir, const char *plots_dir, const char **kind, sim_err *err)
{
    strbuf b = {0};
    char path[PATH_MAX];
    gp_string(&b, "datadir", dir, false);
    gp_string(&b, "plotsdir", plots_dir, false);
    snprintf(path, sizeof path, "%s/compare.json", dir);
    bool is_compare = access(path, F_OK) == 0;
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    bool is_sweep = !is_compare && access(path, F_OK) == 0;
    if (!is_compare && !is_sweep) {
        snprintf(path, sizeof path, "%s/sensitivity.json", dir);
        if (access(path, F_OK) == 0)
            return sensitivity_vars(&b, path, kind, err);
        snprintf(path, sizeof path, "%s/optimize.json", dir);
        if (access(path, F_OK) == 0)
            return optimize_vars(&b, path, kind, err);
    }
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    if (!is_compare && !is_sweep)
        snprintf(path, sizeof path, "%s/summary.json", dir);
    else if (is_compare)
        snprintf(path, sizeof path, "%s/compare.json", dir);
    cJSON *root = read_json(path, err);
    if (!root) {
        free(b.s);
        return NULL;
    }
    *kind = is_compare ? "compare" : "";
    if (is_sweep)
        sweep_vars(&b, root, kind);
    double nreps = sim_json_get_num(root, "replications", 1); /* a count, whatever the file says */
    sb_printf(&b, "nreps=%d; ", nreps >= 1 && nreps <= 1e9 ? (int)nreps : 1);
    if (is_compare) {
        if (compare_vars(&b, root, dir, kind, err)) {
            cJSON_Delete(root);
            free(b.s);
            return NULL;
        }
    } else if (!is_sweep) {
        figure_vars(&b, root, "", "");
        start_var(&b, root);
        sb_printf(&b, "horizon=%.10g; ", sim_json_get_num(root, "horizon_days", 0));
        snprintf(path, sizeof path, "%s/years.csv", dir);
        if (access(path, F_OK) == 0) /* the site by year over its life: the cash flow chart */
            sb_printf(&b, "has_years=1; ");
        char head[4096] = ""; /* and its energy by source: its header names it (a regular file, no link) */
        int yfd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat yst;
        ssize_t k = yfd >= 0 && fstat(yfd, &yst) == 0 && S_ISREG(yst.st_mode) ? pread(yfd, head, sizeof head - 1, 0) : -1;
        head[k > 0 ? k : 0] = '\0';
        head[strcspn(head, "\n")] = '\0';
        if (strstr(head, ",grid_mwh"))
            sb_printf(&b, "has_energy=1; ");
        if (yfd >= 0)
            close(yfd);
        snprintf(path, sizeof path, "%s/phases.csv", dir);
        if (access(path, F_OK) == 0) /* the timeline's phases: the Gantt chart */
            sb_printf(&b, "has_phases=1; ");
        gp_string(&b, "currency", sim_json_get_str(root, "currency", ""), true);
    }
    if (!is_compare)
        gp_scenario(&b, root);
    return vars_done(&b, root, err);
}

static const char *const FORMAT_NAMES[] = {"png", "svg", "pdf"};

int sim_plot_formats_parse(const char *list, unsigned *formats, sim_err *err)
{
    *formats = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        unsigned bit = 0;
        for (unsigned k = 0; k < 3; k++)
            if (len == strlen(FORMAT_NAMES[k]) && !strncmp(p, FORMAT_NAMES[k], len))
                bit = 1u << k;
        if (!bit)
            return sim_errf(err, "--format: '%.*s' is not a chart format (png, svg, pdf, comma separated)", (int)len, p);
        *formats |= bit;
        p += len;
        if (*p == ',')
            p++;
    }
    if (!*formats)
        return sim_errf(err, "--format: no format given (png, svg, pdf, comma separated)");
    return 0;
}

/* A path gnuplot may be given: absolute (so never one that gnuplot opens
 * through a shell, '<cmd' or '|cmd'), with no control character (gp_string
 * would drop it), short enough for one command-line argument. */
static int gnuplot_path(const char *p, const char *what, sim_err *err)
{
    if (p[0] != '/')
        return sim_errf(err, "%s: '%s' is not an absolute path: gnuplot is given none other", what, p);
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return sim_errf(err, "%s: a path with a control character cannot be passed to gnuplot", what);
    if (strlen(p) > 2000)
        return sim_errf(err, "%s: a path of more than 2,000 characters cannot be passed to gnuplot", what);
    return 0;
}

/* The chart at fd was written whole: not empty, and it ends as its format
 * ends (PNG's IEND chunk, SVG's closing tag, PDF's %%EOF): gnuplot on a
 * full disk leaves a file cut short and may still exit 0. */
static bool chart_whole(int dfd, const char *name, unsigned fmt_bit)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    char tail[64] = "";
    if (ok) {
        off_t at = st.st_size > 48 ? st.st_size - 48 : 0;
        ssize_t k = pread(fd, tail, 48, at);
        ok = k > 0;
        if (ok) {
            for (ssize_t i = 0; i < k; i++)
                if (!tail[i])
                    tail[i] = ' ';
            tail[k] = '\0';
        }
    }
    if (fd >= 0)
        close(fd);
    if (!ok)
        return false;
    return fmt_bit == SIM_PLOT_PNG ? strstr(tail, "IEND") != NULL
           : fmt_bit == SIM_PLOT_SVG ? strstr(tail, "</svg>") != NULL
                                     : strstr(tail, "%%EOF") != NULL;
}

/* Runs gnuplot on one script with the variables `vars`; the chart it draws is
 * `chart` in out_fd. 0 on success (the script may draw nothing), -1 with err. */
static int run_gnuplot(const char *vars, const char *script, int out_fd, const char *chart, bool quiet, sim_err *err)
{
    /* quiet: gnuplot's warnings go to a private file, shown only if it fails */
    int errfd = -1;
    if (quiet) {
        char tmpl[] = "/tmp/gigasim-gnuplot-XXXXXX";
        errfd = mkstemp(tmpl);
        if (errfd >= 0)
            unlink(tmpl);
    }
    pid_t pid = fork();
    if (pid < 0) {
        if (errfd >= 0)
            close(errfd);
        return sim_errf(err, "cannot start gnuplot: %s", strerror(errno));
    }
    if (pid == 0) {
        if (errfd >= 0)
            dup2(errfd, 2);
        /* its working directory is the charts' own: a name it might make relative stays there */
        if (fchdir(out_fd) != 0)
            _exit(126);
        execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
        _exit(127);
    }
    /* Wait for gnuplot; on SIGINT or SIGTERM stop it, reap it, and say so. */
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && !sim_interrupted())
        usleep(10000);
    if (got == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        unlinkat(out_fd, chart, 0);
        if (errfd >= 0)
            close(errfd);
        return sim_errf(err, "interrupted by %s while drawing %s: no chart of this plot was kept",
                        sim_interrupt_signal() == SIGINT ? "SIGINT" : "SIGTERM", chart);
    }
    char said[400] = "";
    if (errfd >= 0) {
        ssize_t k = pread(errfd, said, sizeof said - 1, 0);
        said[k > 0 ? k : 0] = '\0';
        close(errfd);
    }
    if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        unlinkat(out_fd, chart, 0); /* no half-drawn chart left behind */
        return sim_errf(err, "gnuplot failed on %s (exit status %d)%s%s", script,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1, *said ? ": " : "", said);
    }
    return 0;
}

/* Draws every chart of the directory run_abs into out_fd (out_abs: a
 * directory of gigasim's own, absolute), each checked whole; their names
 * into names[] (malloc'd, *n of them). */
static int draw(const char *run_abs, const char *out_abs, int out_fd, const char *argv0, unsigned formats, bool quiet,
                char **drawn, int max_drawn, int *n_drawn, sim_err *err)
{
    *n_drawn = 0;
    if (gnuplot_path(run_abs, "the directory to plot", err) || gnuplot_path(out_abs, "the charts' directory", err))
        return -1;
    if (!gnuplot_on_path())
        return sim_errf(err, "gnuplot is not installed (or not on PATH): install it with 'apt-get install gnuplot-nox'");
    char pdir[PATH_MAX];
    if (sim_find_data_dir(argv0, "plots", "GIGASIM_PLOTS", pdir, sizeof pdir) != 0)
        return sim_errf(err, "cannot find the chart scripts (plots/) beside the gigasim binary, installed or in its "
                             "build tree; set GIGASIM_PLOTS to their directory");
    if (gnuplot_path(pdir, "the chart scripts' directory", err))
        return -1;
    const char *kind = "";
    char *vars = sim_plot_vars(run_abs, pdir, &kind, err);
    if (!vars)
        return -1;
    if (*kind) { /* compare/ or sweep/ scripts, which load _common.gp through plotsdir */
        size_t l = strlen(pdir);
        snprintf(pdir + l, sizeof pdir - l, "/%s", kind);
    }
    DIR *d = opendir(pdir);
    if (!d) {
        free(vars);
        return sim_errf(err, "%s: cannot read: %s", pdir, strerror(errno));
    }
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 3 && strcmp(de->d_name + l - 3, ".gp") == 0 && de->d_name[0] != '_' &&
            (names[n] = sim_strdup(de->d_name, NULL)) != NULL)
            n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], sim_cmp_str);
    strbuf fv = {0};
    int rc = 0;
    for (unsigned k = 0; k < 3 && rc == 0; k++) {
        if (!(formats & (1u << k)))
            continue;
        fv.len = 0;
        sb_printf(&fv, "%sfmt='%s'; chartprefix='%s'; ", vars, FORMAT_NAMES[k], !strcmp(kind, "compare") ? "compare_" : "");
        gp_string(&fv, "outdir", out_abs, false);
        if (fv.oom) {
            rc = sim_errf(err, "out of memory building the gnuplot variables");
            break;
        }
        for (int i = 0; i < n && rc == 0; i++) {
            if (!names[i])
                continue;
            if (sim_interrupted()) {
                rc = sim_errf(err, "interrupted by %s: no chart of this plot was kept",
                              sim_interrupt_signal() == SIGINT ? "SIGINT" : "SIGTERM");
                break;
            }
            char script[PATH_MAX + 256], chart[300];
            snprintf(script, sizeof script, "%s/%s", pdir, names[i]);
            /* Each script draws NAME.FMT (compare_NAME.FMT for a comparison). */
            snprintf(chart, sizeof chart, "%s%.*s.%s", !strcmp(kind, "compare") ? "compare_" : "",
                     (int)(strlen(names[i]) - 3), names[i], FORMAT_NAMES[k]);
            rc = run_gnuplot(fv.s, script, out_fd, chart, quiet, err);
            /* A script with nothing to draw (no replications, no serving) exits early. */
            struct stat st;
            if (rc == 0 && fstatat(out_fd, chart, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (!chart_whole(out_fd, chart, 1u << k)) {
                    unlinkat(out_fd, chart, 0);
                    rc = sim_errf(err, "%s: gnuplot wrote it incomplete (a full disk?): no chart of this plot was kept",
                                  chart);
                } else if (*n_drawn < max_drawn && (drawn[*n_drawn] = sim_strdup(chart, NULL)) != NULL)
                    (*n_drawn)++;
                else
                    rc = sim_errf(err, "out of memory listing the charts");
            }
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(fv.s);
    free(vars);
    return rc;
}

/* The charts gigasim drew into a directory are listed, one file name a
 * line, in DIR/.gigasim-charts: only those are ever removed, never a PNG
 * of the user's that happens to be there. */
#define CHARTS_MANIFEST ".gigasim-charts"

/* Removes the charts the manifest of dfd lists (plain chart names, each
 * unlinked: a link is removed, never followed). */
static void remove_listed(int dfd)
{
    int fd = openat(dfd, CHARTS_MANIFEST, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    FILE *f = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (sim_is_chart_name(line))
            unlinkat(dfd, line, 0);
    }
    fclose(f);
}

int sim_plot(const char *run_dir, const char *argv0, unsigned formats, bool quiet, int *n_written, sim_err *err)
{
    *n_written = 0;
    sim_outdir od;
    if (sim_outdir_lock(&od, run_dir, err))
        return -1;
    char run_abs[PATH_MAX], out_abs[PATH_MAX + 64], tmp_name[64];
    if (!realpath(run_dir, run_abs)) {
        sim_outdir_unlock(&od);
        return sim_errf(err, "%s: %s", run_dir, strerror(errno));
    }
    /* drawn into a private directory of the run's, then each chart renamed into place (a link there is
     * replaced, never written through); a kill leaves the private directory, removed by the next holder */
    snprintf(tmp_name, sizeof tmp_name, ".plot.gigasim-tmp-%ld", (long)getpid());
    snprintf(out_abs, sizeof out_abs, "%s/%s", run_abs, tmp_name);
    int tfd = mkdirat(od.dir_fd, tmp_name, 0777) == 0
                  ? openat(od.dir_fd, tmp_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                  : -1;
    if (tfd < 0) {
        sim_errf(err, "%s: cannot create '%s': %s", run_dir, tmp_name, strerror(errno));
        sim_outdir_unlock(&od);
        return -1;
    }
    char *drawn[256];
    int n = 0;
    int rc = draw(run_abs, out_abs, tfd, argv0, formats, quiet, drawn, 256, &n, err);
    if (rc == 0) {
        /* the new charts' list is written beside them; the charts the old list names go, then the new
         * charts and their list take their place */
        FILE *mf = NULL;
        int mfd = openat(tfd, CHARTS_MANIFEST, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (mfd >= 0 && !(mf = fdopen(mfd, "w")))
            close(mfd);
        bool bad = !mf;
        for (int i = 0; mf && i < n; i++)
            bad |= fprintf(mf, "%s\n", drawn[i]) < 0;
        if (mf && fclose(mf) != 0)
            bad = true;
        if (bad)
            rc = sim_errf(err, "%s/%s: cannot write: %s", run_dir, CHARTS_MANIFEST, strerror(errno));
        if (rc == 0) {
            remove_listed(od.dir_fd);
            for (int i = 0; i < n && rc == 0; i++)
                if (renameat(tfd, drawn[i], od.dir_fd, drawn[i]) != 0)
                    rc = sim_errf(err, "%s/%s: cannot put in place: %s", run_dir, drawn[i], strerror(errno));
            if (rc == 0 && renameat(tfd, CHARTS_MANIFEST, od.dir_fd, CHARTS_MANIFEST) != 0)
                rc = sim_errf(err, "%s/%s: cannot put in place: %s", run_dir, CHARTS_MANIFEST, strerror(errno));
            if (rc == 0)
                *n_written = n;
        }
    }
    for (int i = 0; i < n; i++)
        free(drawn[i]);
    close(tfd);
    sim_remove_tree_at(od.dir_fd, tmp_name);
    sim_outdir_unlock(&od);
    return rc;
}

int sim_plot_into(const char *run_dir, const char *out_dir, const char *argv0, unsigned formats, bool quiet,
                  int *n_written, sim_err *err)
{
    *n_written = 0;
    char run_abs[PATH_MAX], out_abs[PATH_MAX];
    if (!realpath(run_dir, run_abs) || !realpath(out_dir, out_abs))
        return sim_errf(err, "%s: %s", run_dir, strerror(errno));
    int ofd = open(out_abs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (ofd < 0)
        return sim_errf(err, "%s: cannot open: %s", out_dir, strerror(errno));
    char *drawn[256];
    int rc = draw(run_abs, out_abs, ofd, argv0, formats, quiet, drawn, 256, n_written, err);
    for (int i = 0; i < *n_written; i++)
        free(drawn[i]);
    close(ofd);
    return rc;
}
