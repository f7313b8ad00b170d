#include "compare.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "output.h"
#include "stats.h"

void sim_study_label(const char *path, const sim_study_run *runs, size_t n, char *out, size_t out_len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".cfg"))
        len -= 4;
    if (len > out_len - 8)
        len = out_len - 8;
    char stem[64];
    if (len >= sizeof stem)
        len = sizeof stem - 1;
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        stem[i] = ok ? c : '_';
    }
    stem[len] = '\0';
    if (len == 0 || stem[0] == '.')
        stem[0] = '_';
    snprintf(out, out_len, "%s", stem);
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(runs[i].label, out))
                taken = true;
        if (!taken)
            return;
        snprintf(out, out_len, "%s-%d", stem, k);
    }
}

/* Paired differences b - a of metric m over the replications where both are
 * finite, into scratch; returns their count. */
static size_t paired_diffs(const sim_study_run *a, const sim_study_run *b, size_t m, double *scratch)
{
    size_t k = 0, nm = a->lay.n_metrics;
    for (size_t i = 0; i < a->res.n_reps && i < b->res.n_reps; i++) {
        double x = a->res.metrics[i * nm + m], y = b->res.metrics[i * nm + m];
        if (isfinite(x) && isfinite(y))
            scratch[k++] = y - x;
    }
    return k;
}

static sim_summary summarize_metric(const sim_study_run *r, size_t m, double *scratch)
{
    return sim_summarize(r->res.metrics + m, r->res.n_reps, r->lay.n_metrics, scratch);
}

static sim_summary summarize_diff(const sim_study_run *a, const sim_study_run *b, size_t m, double *diffs,
                                  double *scratch)
{
    size_t k = paired_diffs(a, b, m, diffs);
    return sim_summarize(diffs, k, 1, scratch);
}

static int write_compare_json(const char *path, const sim_study_run *runs, size_t n, uint64_t seed, double *d,
                              double *scratch, sim_err *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return sim_errf(err, "out of memory building compare.json");
    const sim_layout *lay = &runs[0].lay;
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "replications", (double)runs[0].res.n_reps);
    cJSON_AddStringToObject(root, "baseline", runs[0].label);
    cJSON *list = cJSON_AddArrayToObject(root, "scenarios");
    for (size_t i = 0; list && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", runs[i].label);
        cJSON_AddStringToObject(o, "name", runs[i].name);
        cJSON_AddStringToObject(o, "file", runs[i].file);
        cJSON_AddItemToArray(list, o);
    }
    int rc = 0;
    cJSON *figs = cJSON_AddObjectToObject(root, "figures");
    for (size_t m = 0; figs && m < lay->n_metrics && rc == 0; m++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            char key[512];
            snprintf(key, sizeof key, "%s.%s", lay->metrics[m].name, runs[i].label);
            sim_summary s = summarize_metric(&runs[i], m, scratch);
            rc = sim_json_add_summary(figs, key, &s);
        }
    cJSON *diffs = cJSON_AddObjectToObject(root, "paired_difference");
    for (size_t i = 1; diffs && i < n && rc == 0; i++) {
        char pair[160];
        snprintf(pair, sizeof pair, "%s_minus_%s", runs[i].label, runs[0].label);
        cJSON *po = cJSON_AddObjectToObject(diffs, pair);
        for (size_t m = 0; po && m < lay->n_metrics && rc == 0; m++) {
            sim_summary s = summarize_diff(&runs[0], &runs[i], m, d, scratch);
            rc = sim_json_add_summary(po, lay->metrics[m].name, &s);
            const char *leaf;
            cJSON *parent = rc == 0 ? sim_json_nest(po, lay->metrics[m].name, &leaf) : NULL;
            cJSON *fo = parent ? cJSON_GetObjectItemCaseSensitive(parent, leaf) : NULL;
            if (fo)
                cJSON_AddNumberToObject(fo, "n_pairs", (double)s.n);
        }
        if (!po)
            rc = -1;
    }
    cJSON *facts = cJSON_AddObjectToObject(root, "facts");
    for (size_t i = 0; facts && i < n && rc == 0; i++) {
        cJSON *fo = cJSON_AddObjectToObject(facts, runs[i].label);
        for (size_t k = 0; fo && k < runs[i].facts.n; k++) {
            const char *leaf;
            cJSON *parent = sim_json_nest(fo, runs[i].facts.key[k], &leaf);
            if (parent)
                cJSON_AddStringToObject(parent, leaf, runs[i].facts.value[k]);
        }
    }
    if (!list || !figs || !diffs || !facts || rc != 0) {
        cJSON_Delete(root);
        return sim_errf(err, "out of memory building compare.json");
    }
    rc = sim_json_write(root, path, err);
    cJSON_Delete(root);
    return rc;
}


static int write_compare_csv(const char *path, const sim_study_run *runs, size_t n, double *d, double *scratch,
                             sim_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    const sim_layout *lay = &runs[0].lay;
    fputs("metric,scenario,mean,p10,p50,p90,diff_mean,diff_p10,diff_p50,diff_p90\n", f);
    for (size_t m = 0; m < lay->n_metrics; m++)
        for (size_t i = 0; i < n; i++) {
            sim_summary s = summarize_metric(&runs[i], m, scratch);
            fprintf(f, "%s,%s", lay->metrics[m].name, runs[i].label);
            sim_csv_num(f, s.mean);
            sim_csv_num(f, s.p10);
            sim_csv_num(f, s.p50);
            sim_csv_num(f, s.p90);
            if (i == 0) {
                fputs(",,,,\n", f);
                continue;
            }
            sim_summary ds = summarize_diff(&runs[0], &runs[i], m, d, scratch);
            sim_csv_num(f, ds.mean);
            sim_csv_num(f, ds.p10);
            sim_csv_num(f, ds.p50);
            sim_csv_num(f, ds.p90);
            fputc('\n', f);
        }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

int sim_compare_write(const char *dir, const sim_study_run *runs, size_t n, uint64_t seed, sim_err *err)
{
    if (n == 0)
        return sim_errf(err, "nothing to compare");
    size_t max_reps = 0;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].lay.n_metrics != runs[0].lay.n_metrics)
            return sim_errf(err, "%s and %s report different figures", runs[0].file, runs[i].file);
        if (runs[i].res.n_reps > max_reps)
            max_reps = runs[i].res.n_reps;
    }
    double *d = sim_calloc(max_reps + 1, sizeof *d, err);
    double *scratch = d ? sim_calloc(max_reps + 1, sizeof *scratch, err) : NULL;
    if (!scratch) {
        free(d);
        return -1;
    }
    char tmp_json[4096], tmp_csv[4096], fin_json[4096], fin_csv[4096];
    snprintf(tmp_json, sizeof tmp_json, "%s/.compare.json.tmp", dir);
    snprintf(tmp_csv, sizeof tmp_csv, "%s/.compare.csv.tmp", dir);
    snprintf(fin_json, sizeof fin_json, "%s/compare.json", dir);
    snprintf(fin_csv, sizeof fin_csv, "%s/compare.csv", dir);
    int rc = write_compare_json(tmp_json, runs, n, seed, d, scratch, err);
    if (rc == 0)
        rc = write_compare_csv(tmp_csv, runs, n, d, scratch, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", dir);
    if (rc == 0 && (rename(tmp_csv, fin_csv) != 0 || rename(tmp_json, fin_json) != 0))
        rc = sim_errf(err, "%s: cannot rename into place: %s", dir, strerror(errno));
    if (rc != 0) {
        unlink(tmp_json);
        unlink(tmp_csv);
    }
    free(d);
    free(scratch);
    return rc;
}

/* Three or four significant digits, with k / M / G for large magnitudes. */
static void fmt_num(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(buf, n, "n/a");
    else if (a >= 1e9)
        snprintf(buf, n, "%.3gG", v / 1e9);
    else if (a >= 1e6)
        snprintf(buf, n, "%.3gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.3gk", v / 1e3);
    else if (a >= 100)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.4g", v);
}

static void fmt_cell(char *buf, size_t n, const sim_summary *s, bool bands)
{
    char a[24], b[24], c[24];
    fmt_num(a, sizeof a, s->p50);
    if (!bands) {
        snprintf(buf, n, "%s", a);
        return;
    }
    fmt_num(b, sizeof b, s->p10);
    fmt_num(c, sizeof c, s->p90);
    snprintf(buf, n, "%s [%s, %s]", a, b, c);
}

void sim_compare_print(FILE *f, const sim_study_run *runs, size_t n)
{
    if (n == 0)
        return;
    const sim_layout *lay = &runs[0].lay;
    size_t reps = runs[0].res.n_reps;
    bool bands = reps > 1;
    double *d = calloc(reps + 1, sizeof *d), *scratch = calloc(reps + 1, sizeof *scratch);
    if (!d || !scratch) {
        free(d);
        free(scratch);
        return;
    }
    enum { W0 = 30 };
    int W = 26;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(runs[i].label) + 8 > W)
            W = (int)strlen(runs[i].label) + 8;
    fprintf(f, "%zu replication(s) with common random numbers; %s\n", reps,
            bands ? "cells: P50 [P10, P90] over replications" : "one replication");
    fprintf(f, "base = %s; the '- base' columns are paired differences, replication by replication\n\n",
            runs[0].label);
    fprintf(f, "%-*s", W0, "figure");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %-*.*s", W, W, runs[i].label);
    for (size_t i = 1; i < n; i++) {
        char h[80];
        snprintf(h, sizeof h, "%s - base", runs[i].label);
        fprintf(f, " %-*.*s", W, W, h);
    }
    fputc('\n', f);
    for (size_t m = 0; m < lay->n_metrics; m++) {
        if (!(lay->metrics[m].flags & SIM_METRIC_HEADLINE))
            continue;
        fprintf(f, "%-*.*s", W0, W0, lay->metrics[m].name);
        char cell[96];
        for (size_t i = 0; i < n; i++) {
            sim_summary s = summarize_metric(&runs[i], m, scratch);
            fmt_cell(cell, sizeof cell, &s, bands);
            fprintf(f, " %-*s", W, cell);
        }
        for (size_t i = 1; i < n; i++) {
            sim_summary s = summarize_diff(&runs[0], &runs[i], m, d, scratch);
            fmt_cell(cell, sizeof cell, &s, bands);
            fprintf(f, " %-*s", W, cell);
        }
        fputc('\n', f);
    }
    size_t nf = runs[0].facts.n;
    for (size_t k = 0; k < nf; k++) {
        fprintf(f, "%-*.*s", W0, W0, runs[0].facts.key[k]);
        for (size_t i = 0; i < n; i++)
            fprintf(f, " %-*s", W, k < runs[i].facts.n ? runs[i].facts.value[k] : "");
        fputc('\n', f);
    }
    free(d);
    free(scratch);
}
