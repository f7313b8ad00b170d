#include "sim/study/netcdf.h"

#include <math.h>
#include <netcdf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/core/calendar.h"
#include "sim/core/interrupt.h"
#include "sim/core/stats.h"
#include "sim/study/mpi.h"
#include "sim/study/runner.h"

/* netCDF's status as an error naming the file and what was being done. */
static int nc_check(int status, const char *path, const char *doing, sim_err *err)
{
    return status == NC_NOERR ? 0 : sim_errf(err, "%s: netCDF: %s: %s", path, doing, nc_strerror(status));
}

/* Each chunk (a replication's year of a series) is written whole, once: a
 * small cache per variable keeps the writer's memory to a few chunks, where
 * HDF5's default would hold megabytes for each of the series. */
#define CHUNK_CACHE_BYTES (1u << 20)
#define CHUNK_STEPS 366

/* A streamed run keeps at most about this much of its replications'
 * series at a time, and reads as much back for series.csv's quantiles. */
#define BATCH_BYTES (64.0 * (1 << 20))

static int put_text(int nc, int var, const char *name, const char *text)
{
    return nc_put_att_text(nc, var, name, strlen(text), text);
}

/* The file's attributes: what run it is. */
static int file_attributes(int nc, const sim_run_info *info, const sim_layout *lay, size_t n_reps)
{
    int s = put_text(nc, NC_GLOBAL, "title", info->scenario_name ? info->scenario_name : "");
    s = s ? s : put_text(nc, NC_GLOBAL, "scenario_file", info->scenario_file ? info->scenario_file : "");
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)info->seed);
    s = s ? s : put_text(nc, NC_GLOBAL, "seed", seed);
    unsigned long long reps = n_reps;
    s = s ? s : nc_put_att_ulonglong(nc, NC_GLOBAL, "replications", NC_UINT64, 1, &reps);
    s = s ? s : put_text(nc, NC_GLOBAL, "currency", lay->currency ? lay->currency : "");
    s = s ? s : put_text(nc, NC_GLOBAL, "source", "gigasim run --format netcdf");
    return s ? s : put_text(nc, NC_GLOBAL, "Conventions", "CF-1.8");
}

struct sim_netcdf {
    int nc;
    char path[4200];
    size_t steps, ns, nm, n;
    int *svar, *mvar;
    double *buf; /* one series of one replication */
};

static void netcdf_free(sim_netcdf *w)
{
    free(w->svar);
    free(w->mvar);
    free(w->buf);
    free(w);
}

/* The dimensions, the coordinates and every variable, described: all but
 * the values of the series and of the metrics, and the metrics' quantiles. */
static int define_variables(sim_netcdf *w, const sim_run_info *info, const sim_layout *lay, sim_err *err)
{
    int nc = w->nc, dim[2], day_var, rep_var, rc = 0;
    const char *path = w->path;
    size_t n = w->n, steps = lay->n_steps, ns = lay->n_series, nm = lay->n_metrics;
    rc = nc_check(nc_def_dim(nc, "replication", n, &dim[0]), path, "a dimension", err) ||
                 nc_check(nc_def_dim(nc, "day", steps, &dim[1]), path, "a dimension", err) ||
                 nc_check(nc_def_var(nc, "day", NC_DOUBLE, 1, &dim[1], &day_var), path, "the days", err)
             ? -1
             : 0;
    char units[64] = "days since day 0";
    if (isfinite(lay->start_date_days)) {
        char d[SIM_DATE_LEN];
        sim_date_of(lay->start_date_days, 0, d);
        snprintf(units, sizeof units, "days since %s 00:00:00", d);
    }
    if (rc == 0)
        rc = nc_check(put_text(nc, day_var, "units", units) || put_text(nc, day_var, "long_name", "the step's end"),
                      path, "the days' units", err);
    if (rc == 0)
        rc = nc_check(nc_def_var(nc, "replication", NC_UINT64, 1, &dim[0], &rep_var), path, "the replications", err);
    size_t chunk[2] = {1, steps < CHUNK_STEPS ? (steps ? steps : 1) : CHUNK_STEPS};
    for (size_t c = 0; c < ns && rc == 0; c++) {
        rc = nc_check(nc_def_var(nc, lay->series_names[c], NC_DOUBLE, 2, dim, &w->svar[c]), path, lay->series_names[c], err) ||
                     nc_check(nc_def_var_chunking(nc, w->svar[c], NC_CHUNKED, chunk), path, "chunks", err) ||
                     nc_check(nc_def_var_deflate(nc, w->svar[c], 1, 1, 4), path, "compression", err) ||
                     nc_check(nc_set_var_chunk_cache(nc, w->svar[c], CHUNK_CACHE_BYTES, 7, 1.0f), path, "the chunk cache", err)
                 ? -1
                 : 0;
        if (rc == 0 && lay->series_units)
            rc = nc_check(put_text(nc, w->svar[c], "units", lay->series_units[c]), path, "units", err);
        if (rc == 0 && lay->series_descriptions)
            rc = nc_check(put_text(nc, w->svar[c], "long_name", lay->series_descriptions[c]), path, "descriptions", err);
    }
    for (size_t m = 0; m < nm && rc == 0; m++) {
        const sim_metric *mt = &lay->metrics[m];
        rc = nc_check(nc_def_var(nc, mt->name, NC_DOUBLE, 1, dim, &w->mvar[m]), path, mt->name, err);
        if (rc == 0)
            rc = nc_check(put_text(nc, w->mvar[m], "units", !strcmp(mt->unit, "currency") && lay->currency ? lay->currency
                                                                                                          : mt->unit) ||
                              put_text(nc, w->mvar[m], "long_name", mt->description),
                          path, "a metric's units", err);
    }
    if (rc == 0)
        rc = nc_check(file_attributes(nc, info, lay, n), path, "the file's attributes", err) ||
                     nc_check(nc_enddef(nc), path, "the definitions", err)
                 ? -1
                 : 0;
    /* the coordinates: the days, the replications' numbers */
    for (size_t t = 0; t < steps && rc == 0; t++)
        w->buf[t] = (double)(t + 1) * lay->step_days;
    if (rc == 0 && steps)
        rc = nc_check(nc_put_var_double(nc, day_var, w->buf), path, "the days", err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned long long k = i;
        rc = nc_check(nc_put_var1_ulonglong(nc, rep_var, &i, &k), path, "the replications", err);
    }
    return rc;
}

sim_netcdf *sim_netcdf_open(const char *path, const sim_run_info *info, const sim_layout *lay, size_t n_reps,
                            sim_err *err)
{
    sim_netcdf *w = calloc(1, sizeof *w);
    if (!w) {
        sim_err_oom_for(err, "writing %s", path);
        return NULL;
    }
    snprintf(w->path, sizeof w->path, "%s", path);
    w->steps = lay->n_steps;
    w->ns = lay->n_series;
    w->nm = lay->n_metrics;
    w->n = n_reps;
    w->svar = calloc(w->ns ? w->ns : 1, sizeof *w->svar);
    w->mvar = calloc(w->nm ? w->nm : 1, sizeof *w->mvar);
    w->buf = malloc((w->steps + 1) * sizeof *w->buf);
    if (!w->svar || !w->mvar || !w->buf) {
        sim_err_oom_for(err, "writing %s", path);
        netcdf_free(w);
        return NULL;
    }
    if (nc_check(nc_create(path, NC_NETCDF4 | NC_NOCLOBBER, &w->nc), path, "create", err)) {
        netcdf_free(w);
        return NULL;
    }
    if (define_variables(w, info, lay, err)) {
        nc_close(w->nc);
        netcdf_free(w);
        return NULL;
    }
    return w;
}

int sim_netcdf_put(sim_netcdf *w, size_t rep, const double *series, sim_err *err)
{
    for (size_t c = 0; c < w->ns; c++) {
        for (size_t t = 0; t < w->steps; t++)
            w->buf[t] = series[t * w->ns + c];
        size_t start[2] = {rep, 0}, count[2] = {1, w->steps};
        if (w->steps &&
            nc_check(nc_put_vara_double(w->nc, w->svar[c], start, count, w->buf), w->path, "a series", err))
            return -1;
    }
    return 0;
}

int sim_netcdf_finish(sim_netcdf *w, const double *metrics, sim_err *err)
{
    size_t n = w->n, nm = w->nm;
    double *col = malloc((2 * n + 1) * sizeof *col), *scratch = col + n;
    if (!col)
        return sim_err_oom_for(err, "writing %s", w->path);
    int rc = 0;
    for (size_t m = 0; m < nm && rc == 0 && n; m++) {
        for (size_t i = 0; i < n; i++)
            col[i] = metrics[i * nm + m];
        rc = nc_check(nc_put_var_double(w->nc, w->mvar[m], col), w->path, "a metric", err);
    }
    if (rc == 0)
        rc = nc_check(nc_redef(w->nc), w->path, "the metrics' quantiles", err);
    for (size_t m = 0; m < nm && rc == 0; m++) { /* summary.json's figures of each */
        sim_summary s = sim_summarize(metrics + m, n, nm, scratch);
        double q[4] = {s.p10, s.p50, s.p90, s.mean};
        static const char *const names[4] = {"p10", "p50", "p90", "mean"};
        for (int k = 0; k < 4 && rc == 0; k++)
            rc = nc_check(nc_put_att_double(w->nc, w->mvar[m], names[k], NC_DOUBLE, 1, &q[k]), w->path, "a quantile", err);
    }
    if (rc == 0)
        rc = nc_check(nc_enddef(w->nc), w->path, "the metrics' quantiles", err);
    free(col);
    return rc;
}

int sim_netcdf_close(sim_netcdf *w, sim_err *err)
{
    if (!w)
        return 0;
    int rc = nc_check(nc_close(w->nc), w->path, "close", err);
    netcdf_free(w);
    return rc;
}

/* Closes w (when open), keeping the first error. */
static int close_keeping(sim_netcdf *w, int rc, sim_err *err)
{
    sim_err closing;
    if (w && sim_netcdf_close(w, &closing) && rc == 0) {
        *err = closing;
        rc = -1;
    }
    return rc;
}

int sim_write_netcdf(const char *path, const sim_run_info *info, const sim_layout *lay, const sim_results *res,
                     sim_err *err)
{
    if (!res->series && res->n_reps)
        return sim_errf(err, "%s: every replication's series is needed", path);
    sim_netcdf *w = sim_netcdf_open(path, info, lay, res->n_reps, err);
    int rc = w ? 0 : -1;
    size_t per = lay->n_steps * lay->n_series;
    for (size_t i = 0; i < res->n_reps && rc == 0; i++)
        rc = sim_netcdf_put(w, i, res->series + i * per, err);
    if (rc == 0)
        rc = sim_netcdf_finish(w, res->metrics, err);
    return close_keeping(w, rc, err);
}

static int put_one(void *ctx, size_t rep, const double *series, sim_err *err)
{
    return sim_netcdf_put(ctx, rep, series, err);
}

int sim_netcdf_write_shared(const char *path, const sim_run_info *info, const sim_layout *lay,
                            const sim_results *res, const sim_mpi_part *part, sim_err *err)
{
    sim_netcdf *w = NULL;
    int rc = 0;
    if (sim_mpi_rank() == 0 && !(w = sim_netcdf_open(path, info, lay, res->n_reps, err)))
        rc = -1;
    if (sim_mpi_agree(rc, err) == 0)
        rc = sim_mpi_each_replication(lay, res, part, put_one, w, err);
    else
        rc = -1;
    if (rc == 0 && w)
        rc = sim_netcdf_finish(w, res->metrics, err);
    return sim_mpi_agree(close_keeping(w, rc, err), err);
}

/* series.csv's text from the file: its header, then its rows a block of steps at a time, the same bytes as from
 * the series in memory. A block is read one series at a time (every replication's values of it) and only its
 * quantiles kept, so a block spans whole chunks (each read once) while one series' block fits the budget. */
static int series_text(sim_netcdf *w, const sim_layout *lay, double budget, char **text, size_t *len, sim_err *err)
{
    size_t n = w->n, ns = w->ns, steps = w->steps;
    size_t block = (size_t)fmax(1, floor(budget / fmax((double)n * sizeof(double), 1)));
    if (block >= CHUNK_STEPS)
        block -= block % CHUNK_STEPS; /* whole chunks: each is read once */
    block = block < steps ? block : steps;
    double *vals = malloc((n * block + 1) * sizeof *vals), *q = malloc((3 * ns * block + 1) * sizeof *q);
    double *scratch = malloc((n + 1) * sizeof *scratch);
    FILE *f = open_memstream(text, len);
    int rc = vals && q && scratch && f ? 0 : sim_err_oom_for(err, "series.csv's quantiles");
    if (f)
        sim_series_header(f, lay, n > 1);
    for (size_t s0 = 0; s0 < steps && rc == 0; s0 += block) {
        size_t k = steps - s0 < block ? steps - s0 : block;
        for (size_t c = 0; c < ns && rc == 0; c++) {
            size_t start[2] = {0, s0}, count[2] = {n, k};
            rc = nc_check(nc_get_vara_double(w->nc, w->svar[c], start, count, vals), w->path, "reading back", err);
            for (size_t t = 0; t < k && rc == 0; t++)
                sim_series_cell(vals + t, n, k, scratch, q + 3 * (t * ns + c));
        }
        for (size_t t = 0; t < k && rc == 0; t++)
            sim_series_row(f, lay, s0 + t, q + 3 * t * ns, n > 1);
    }
    if (f && fclose(f) != 0 && rc == 0)
        rc = sim_err_oom_for(err, "series.csv's quantiles");
    if (rc && f) {
        free(*text);
        *text = NULL;
    }
    free(vals);
    free(q);
    free(scratch);
    return rc;
}

/* Keeps a batch's metrics and tables in out, its series in the file. */
static int keep_batch(sim_netcdf *w, const sim_layout *lay, const sim_results *b, size_t first, sim_results *out,
                      sim_err *err)
{
    size_t nm = lay->n_metrics, nt = sim_table_cells(lay), per = lay->n_steps * lay->n_series;
    memcpy(out->metrics + first * nm, b->metrics, b->n_reps * nm * sizeof *b->metrics);
    if (nt)
        memcpy(out->table + first * nt, b->table, b->n_reps * nt * sizeof *b->table);
    for (size_t i = 0; i < b->n_reps; i++)
        if (sim_netcdf_put(w, first + i, b->series + i * per, err))
            return -1;
    return 0;
}

int sim_netcdf_run(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t n_reps,
                   unsigned threads, bool progress, double memory_bytes, const char *path, const sim_run_info *info,
                   sim_results *out, char **text, size_t *len, sim_err *err)
{
    double budget = fmin(BATCH_BYTES, memory_bytes);
    memset(out, 0, sizeof *out);
    *text = NULL;
    size_t nt = sim_table_cells(lay);
    double per_rep = (double)lay->n_steps * (double)lay->n_series * sizeof(double);
    size_t batch = (size_t)fmax(threads ? threads : 1, floor(budget / fmax(per_rep, 1)));
    out->n_reps = n_reps;
    out->metrics = sim_calloc(n_reps * lay->n_metrics + 1, sizeof(double), err);
    out->table = nt ? sim_calloc(n_reps * nt, sizeof(double), err) : NULL;
    if (!out->metrics || (nt && !out->table)) {
        sim_results_free(out);
        return -1;
    }
    sim_netcdf *w = sim_netcdf_open(path, info, lay, n_reps, err);
    int rc = w ? 0 : -1;
    for (size_t first = 0; first < n_reps && rc == 0; first += batch) {
        size_t k = n_reps - first < batch ? n_reps - first : batch;
        sim_results b;
        rc = sim_run_replication_range(app, model, lay, seed, first, k, threads, progress && k == n_reps, &b, err);
        if (rc && sim_interrupted()) /* its count is the batch's: the whole run's instead */
            sim_errf(err, "interrupted by %s in replications %zu to %zu of %zu: no output written",
                     sim_interrupt_signal() == SIGTERM ? "SIGTERM" : "SIGINT", first + 1, first + k, n_reps);
        if (rc == 0)
            rc = keep_batch(w, lay, &b, first, out, err);
        sim_results_free(&b);
        if (rc == 0 && progress && k < n_reps && isatty(STDERR_FILENO))
            fprintf(stderr, "\rgigasim: %zu of %zu replications run, their series in %s ", first + k, n_reps, path);
    }
    if (progress && batch < n_reps && isatty(STDERR_FILENO))
        fputc('\n', stderr);
    if (rc == 0)
        rc = sim_netcdf_finish(w, out->metrics, err);
    if (rc == 0)
        rc = series_text(w, lay, budget, text, len, err);
    rc = close_keeping(w, rc, err);
    if (rc) {
        free(*text);
        *text = NULL;
        sim_results_free(out);
    }
    return rc;
}
