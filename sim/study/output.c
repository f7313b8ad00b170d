#include "sim/study/output.h"

#include "sim/core/calendar.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_sort.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/core/stats.h"

void sim_json_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

cJSON *sim_json_nest(cJSON *root, const char *name, const char **leaf)
{
    cJSON *o = root;
    const char *p = name;
    const char *dot;
    while (o && (dot = strchr(p, '.')) != NULL) {
        char part[128];
        size_t len = (size_t)(dot - p);
        if (len >= sizeof part)
            len = sizeof part - 1;
        memcpy(part, p, len);
        part[len] = '\0';
        cJSON *child = cJSON_GetObjectItemCaseSensitive(o, part);
        if (!child)
            child = cJSON_AddObjectToObject(o, part);
        o = cJSON_IsObject(child) ? child : NULL;
        p = dot + 1;
    }
    *leaf = p;
    return o;
}

int sim_json_add_summary(cJSON *root, const char *name, const sim_summary *s)
{
    const char *leaf;
    cJSON *parent = sim_json_nest(root, name, &leaf);
    cJSON *o = parent ? cJSON_AddObjectToObject(parent, leaf) : NULL;
    if (!o)
        return -1;
    sim_json_num(o, "mean", s->mean);
    sim_json_num(o, "p10", s->p10);
    sim_json_num(o, "p50", s->p50);
    sim_json_num(o, "p90", s->p90);
    if (s->n > 1)
        sim_json_num(o, "ci95", s->ci95_half);
    if (s->n_finite < s->n) {
        cJSON_AddNumberToObject(o, "n_reached", (double)s->n_finite);
        sim_json_num(o, "mean_reached", s->mean_reached);
    }
    return 0;
}

int sim_json_add_dates(cJSON *root, const char *name, double start_days, const sim_summary *s)
{
    const char *leaf;
    cJSON *parent = sim_json_nest(root, name, &leaf);
    cJSON *o = parent ? cJSON_GetObjectItemCaseSensitive(parent, leaf) : NULL;
    if (!o)
        return -1;
    const char *keys[3] = {"date_p10", "date_p50", "date_p90"};
    const double v[3] = {s->p10, s->p50, s->p90};
    for (int i = 0; i < 3; i++) {
        char d[SIM_DATE_LEN];
        sim_date_of(start_days, v[i], d);
        if (!(*d ? cJSON_AddStringToObject(o, keys[i], d) : cJSON_AddNullToObject(o, keys[i])))
            return -1;
    }
    return 0;
}

double sim_json_get_num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

const char *sim_json_get_str(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : dflt;
}

int sim_json_write(cJSON *root, const char *path, sim_err *err)
{
    char *text = cJSON_Print(root);
    if (!text)
        return sim_errf(err, "out of memory printing %s", path);
    FILE *f = sim_create_file(path, NULL);
    if (!f) {
        free(text);
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    }
    int bad = fputs(text, f) < 0 || fputc('\n', f) < 0;
    bad |= fclose(f) != 0;
    free(text);
    return bad ? sim_errf(err, "%s: write failed: %s", path, strerror(errno)) : 0;
}

static int write_summary(const char *path, const sim_run_info *info, const sim_layout *lay, const sim_results *res,
                         sim_err *err)
{
    cJSON *root = cJSON_CreateObject();
    double *scratch = sim_calloc(res->n_reps, sizeof(double), err);
    if (!scratch)
        sim_err_oom_for(err, "the summary's quantiles");
    if (!root || !scratch) {
        cJSON_Delete(root);
        free(scratch);
        return root ? -1 : sim_errf(err, "out of memory building summary.json");
    }
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "scenario", info->scenario_name);
    cJSON_AddStringToObject(root, "scenario_file", info->scenario_file);
    cJSON_AddNumberToObject(root, "seed", (double)info->seed);
    cJSON_AddNumberToObject(root, "replications", (double)res->n_reps);
    cJSON_AddNumberToObject(root, "step_days", lay->step_days);
    cJSON_AddNumberToObject(root, "horizon_days", (double)lay->n_steps * lay->step_days);
    if (isfinite(lay->start_date_days)) {
        char d[SIM_DATE_LEN];
        sim_date_of(lay->start_date_days, 0, d);
        cJSON_AddStringToObject(root, "start_date", d);
    }
    for (size_t i = 0; i < lay->n_meta; i++)
        cJSON_AddStringToObject(root, lay->meta_keys[i], lay->meta_values[i]);
    int rc = 0;
    for (size_t m = 0; m < lay->n_metrics && rc == 0; m++) {
        sim_summary s = sim_summarize(res->metrics + m, res->n_reps, lay->n_metrics, scratch);
        rc = sim_json_add_summary(root, lay->metrics[m].name, &s);
        if (rc == 0 && (lay->metrics[m].flags & SIM_METRIC_DAY) && isfinite(lay->start_date_days))
            rc = sim_json_add_dates(root, lay->metrics[m].name, lay->start_date_days, &s);
        if (rc == 0 && lay->currency && strcmp(lay->metrics[m].unit, "currency") == 0) {
            const char *leaf; /* money carries its currency */
            cJSON *parent = sim_json_nest(root, lay->metrics[m].name, &leaf);
            cJSON *fo = parent ? cJSON_GetObjectItemCaseSensitive(parent, leaf) : NULL;
            rc = fo && cJSON_AddStringToObject(fo, "currency", lay->currency) ? 0 : -1;
        }
    }
    for (size_t i = 0; info->facts && i < info->facts->n && rc == 0; i++) {
        const char *leaf;
        cJSON *parent = sim_json_nest(root, info->facts->key[i], &leaf);
        rc = parent && cJSON_AddStringToObject(parent, leaf, info->facts->value[i]) ? 0 : -1;
    }
    free(scratch);
    if (rc != 0) {
        cJSON_Delete(root);
        return sim_errf(err, "out of memory building summary.json");
    }
    rc = sim_json_write(root, path, err);
    cJSON_Delete(root);
    return rc;
}

void sim_csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputs(",", f);
}

void sim_series_header(FILE *f, const sim_layout *lay, bool bands)
{
    bool dated = isfinite(lay->start_date_days);
    fputs(dated ? "day,date" : "day", f);
    for (size_t c = 0; c < lay->n_series; c++) {
        fprintf(f, ",%s", lay->series_names[c]);
        if (bands)
            fprintf(f, ",%s_p10,%s_p90", lay->series_names[c], lay->series_names[c]);
    }
    fputc('\n', f);
}

void sim_series_cell(const double *cell, size_t n_reps, size_t rep_stride, double *scratch, double q[3])
{
    q[0] = q[1] = q[2] = NAN;
    if (n_reps == 1) {
        q[0] = cell[0];
        return;
    }
    /* quantiles over the replications where the value is defined (PUE is undefined while nothing draws power) */
    size_t k = 0;
    for (size_t r = 0; r < n_reps; r++)
        if (isfinite(cell[r * rep_stride]))
            scratch[k++] = cell[r * rep_stride];
    if (k > 0) {
        gsl_sort(scratch, 1, k);
        q[0] = sim_quantile_sorted(scratch, k, 0.5);
        q[1] = sim_quantile_sorted(scratch, k, 0.1);
        q[2] = sim_quantile_sorted(scratch, k, 0.9);
    }
}

void sim_series_row(FILE *f, const sim_layout *lay, size_t step, const double *q, bool bands)
{
    fprintf(f, "%.10g", (double)(step + 1) * lay->step_days);
    if (isfinite(lay->start_date_days)) { /* the date of the step's last day (the row ends at midnight after it) */
        char d[SIM_DATE_LEN];
        sim_date_of(lay->start_date_days, nextafter((double)(step + 1) * lay->step_days, 0), d);
        fprintf(f, ",%s", d);
    }
    for (size_t c = 0; c < lay->n_series; c++)
        for (int j = 0; j < (bands ? 3 : 1); j++)
            sim_csv_num(f, q[3 * c + (size_t)j]);
    fputc('\n', f);
}

int sim_series_rows(FILE *f, const sim_layout *lay, const double *series, size_t n_reps, size_t step_first,
                    size_t n_block, sim_err *err)
{
    size_t ns = lay->n_series, row_stride = n_block * ns;
    double *scratch = sim_calloc(n_reps ? n_reps : 1, sizeof(double), err), *q = sim_calloc(3 * ns + 1, sizeof *q, err);
    if (!scratch || !q) {
        free(scratch);
        free(q);
        return sim_err_oom_for(err, "the series' quantiles");
    }
    for (size_t b = 0; b < n_block; b++) {
        for (size_t c = 0; c < ns; c++)
            sim_series_cell(series + b * ns + c, n_reps, row_stride, scratch, q + 3 * c);
        sim_series_row(f, lay, step_first + b, q, n_reps > 1);
    }
    free(scratch);
    free(q);
    return 0;
}

static int write_series(const char *path, const sim_layout *lay, const sim_results *res, sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    sim_series_header(f, lay, res->n_reps > 1);
    if (sim_series_rows(f, lay, res->series, res->n_reps, 0, lay->n_steps, err)) {
        fclose(f);
        return -1;
    }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

/* One row per replication: every metric as that replication produced it
 * (empty where not reached), for distributions (CDFs, histograms). */
static int write_replications(const char *path, const sim_layout *lay, const sim_results *res, sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    fputs("replication", f);
    for (size_t m = 0; m < lay->n_metrics; m++)
        fprintf(f, ",%s", lay->metrics[m].name);
    fputc('\n', f);
    for (size_t r = 0; r < res->n_reps; r++) {
        fprintf(f, "%zu", r);
        for (size_t m = 0; m < lay->n_metrics; m++)
            sim_csv_num(f, res->metrics[r * lay->n_metrics + m]);
        fputc('\n', f);
    }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

/* The year of a yearly table's row r: a calendar year from the start date, or r + 1. */
static long long table_year(const sim_layout *lay, size_t r)
{
    if (!isfinite(lay->start_date_days))
        return (long long)r + 1;
    int64_t y;
    unsigned m, d;
    sim_civil_from_days((int64_t)lay->start_date_days, &y, &m, &d);
    return (long long)y + (long long)r;
}

/* A yearly table's rows up to the last with a cell other than 0 in some
 * replication (a later row is past every replication's end); the last
 * column, a running sum, does not count. A table of named rows: all. */
static size_t table_rows_used(const sim_table *t, const double *cells, size_t stride, size_t n_reps)
{
    if (t->row_names)
        return t->n_rows;
    size_t nc = t->n_cols, used = 0;
    for (size_t i = 0; i < n_reps; i++)
        for (size_t r = used; r < t->n_rows; r++)
            for (size_t c = 0; c + 1 < nc; c++) {
                double v = cells[i * stride + r * nc + c];
                if (v != 0 && !isnan(v))
                    used = r + 1;
            }
    return used;
}

/* Table t (its cells at `cells` in each replication's block of `stride`):
 * per row and column the mean, P10, P50 and P90 over the replications
 * where the cell is defined (the value alone for one). */
static int write_table(const char *path, const sim_layout *lay, const sim_table *t, const double *cells,
                       size_t stride, size_t n, sim_err *err)
{
    size_t nc = t->n_cols;
    bool bands = n > 1;
    double *scratch = sim_calloc(n ? n : 1, sizeof(double), err);
    if (!scratch)
        return sim_err_oom_for(err, "the quantiles of %s", t->file);
    FILE *f = sim_create_file(path, NULL);
    if (!f) {
        free(scratch);
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    }
    fputs(t->row_names ? t->row_head : isfinite(lay->start_date_days) ? "year" : "year_from_day_0", f);
    for (size_t c = 0; c < nc; c++)
        if (bands)
            fprintf(f, ",%s_mean,%s_p10,%s_p50,%s_p90", t->cols[c], t->cols[c], t->cols[c], t->cols[c]);
        else
            fprintf(f, ",%s", t->cols[c]);
    fputc('\n', f);
    for (size_t r = 0, rows = table_rows_used(t, cells, stride, n); r < rows; r++) {
        if (t->row_names)
            fputs(t->row_names[r], f);
        else
            fprintf(f, "%lld", table_year(lay, r));
        for (size_t c = 0; c < nc; c++) {
            size_t k = 0;
            double sum = 0;
            for (size_t i = 0; i < n; i++) {
                double v = cells[i * stride + r * nc + c];
                if (isfinite(v)) {
                    scratch[k++] = v;
                    sum += v;
                }
            }
            sim_csv_num(f, k ? sum / (double)k : NAN);
            if (!bands)
                continue;
            gsl_sort(scratch, 1, k);
            for (int q = 0; q < 3; q++)
                sim_csv_num(f, k ? sim_quantile_sorted(scratch, k, (double[]){0.1, 0.5, 0.9}[q]) : NAN);
        }
        fputc('\n', f);
    }
    free(scratch);
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

/* Every table of the layout, each into its file. */
static int write_tables(const char *dir, const sim_layout *lay, const sim_results *res, sim_err *err)
{
    size_t stride = sim_table_cells(lay), off = 0;
    for (size_t k = 0; k < lay->n_tables && res->table; k++) {
        const sim_table *t = &lay->tables[k];
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, t->file);
        if (write_table(path, lay, t, res->table + off, stride, res->n_reps, err))
            return -1;
        off += t->n_rows * t->n_cols;
    }
    return 0;
}

int sim_write_run_files(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                        const sim_results *res, sim_err *err)
{
    return sim_write_run_files_with(dir, cfg, info, lay, res, NULL, NULL, err);
}

int sim_write_run_files_with(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                             const sim_results *res, sim_series_fn series, void *ctx, sim_err *err)
{
    char path[4][4200];
    static const char *const names[] = {"summary.json", "series.csv", "replications.csv", "scenario.cfg"};
    for (int i = 0; i < 4; i++)
        snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
    if (write_summary(path[0], info, lay, res, err) ||
        (series ? series(path[1], ctx, err) : write_series(path[1], lay, res, err)) ||
        write_replications(path[2], lay, res, err) || sim_cfg_write(cfg, path[3], err))
        return -1;
    if (write_tables(dir, lay, res, err))
        return -1;
    return 0;
}

int sim_write_outputs(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                      const sim_results *res, sim_err *err)
{
    return sim_write_outputs_with(dir, cfg, info, lay, res, NULL, NULL, err);
}

int sim_write_outputs_with(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                           const sim_results *res, sim_series_fn series, void *ctx, sim_err *err)
{
    sim_outdir o;
    if (sim_outdir_begin(&o, dir, err))
        return -1;
    int rc = sim_write_outputs_into(&o, cfg, info, lay, res, series, ctx, err);
    sim_outdir_abort(&o);
    return rc;
}

int sim_write_outputs_into(sim_outdir *o, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                           const sim_results *res, sim_series_fn series, void *ctx, sim_err *err)
{
    int rc = sim_write_run_files_with(o->tmp, cfg, info, lay, res, series, ctx, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", o->dir);
    if (rc == 0)
        rc = sim_outdir_commit(o, err);
    return rc;
}
