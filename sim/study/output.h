/*
 * output: writes a run's files into an output directory, all or nothing.
 *
 *   summary.json  schema_version, scenario name and file, seed, replications,
 *                 the app's string facts, and per metric an object
 *                 { mean, p10, p50, p90, ci95 } (null where not reached or
 *                 undefined; plus n_reached when some replications did not
 *                 reach it), built with cJSON;
 *   series.csv    day, then per series column the median over replications
 *                 and, with more than one replication, NAME_p10 and NAME_p90;
 *   replications.csv  one row per replication, every metric (empty where
 *                 not reached): the distributions behind the quantiles;
 *   scenario.cfg  the scenario as resolved (includes and --set applied);
 *   the app's yearly table (the site's years.csv) when its layout has one:
 *                 year, then per column NAME_mean, NAME_p10, NAME_p50,
 *                 NAME_p90 (NAME alone for one replication), to the last
 *                 year with a cell other than 0.
 *
 * The files go into DIR whole or not at all, and only into a directory
 * gigasim may write (sim/study/outdir.h); a comparison writes one run per
 * scenario into its own directory of the comparison's (sim_write_run_files).
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/app.h"
#include "sim/study/runner.h"
#include "sim/core/stats.h"

typedef struct sim_run_info {
    const char *scenario_name, *scenario_file;
    uint64_t seed;
    const sim_facts *facts; /* may be NULL */
} sim_run_info;

#define SIM_SCHEMA_VERSION 1

int sim_write_outputs(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                      const sim_results *res, sim_err *err);

/* series.csv written by the caller (under MPI, from the ranks' rows):
 * res then need hold only the metrics. */
typedef int (*sim_series_fn)(const char *path, void *ctx, sim_err *err);
int sim_write_outputs_with(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                           const sim_results *res, sim_series_fn series, void *ctx, sim_err *err);
int sim_write_run_files_with(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                             const sim_results *res, sim_series_fn series, void *ctx, sim_err *err);
/* The run's files into an output directory claimed beforehand (before the
 * replications ran: a directory that cannot be written is refused before
 * the work), committed whole. */
struct sim_outdir;
int sim_write_outputs_into(struct sim_outdir *o, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                           const sim_results *res, sim_series_fn series, void *ctx, sim_err *err);

/* series.csv in two parts: the header, then the rows of steps step_first ..
 * step_first + n_block - 1 from series[n_reps][n_block][n_series] (the
 * median, P10 and P90 over the replications; the value alone for one). */
void sim_series_header(FILE *f, const sim_layout *lay, bool bands);
int sim_series_rows(FILE *f, const sim_layout *lay, const double *series, size_t n_reps, size_t step_first,
                    size_t n_block, sim_err *err);
/* The same rows from parts: a cell's median, P10 and P90 over the
 * replications where it is defined (cell[r * rep_stride], r < n_reps; NAN
 * where none is; the value alone for one replication) into q[3], scratch
 * holding n_reps doubles; then a row of step `step` from the cells' q[n_series][3]. */
void sim_series_cell(const double *cell, size_t n_reps, size_t rep_stride, double *scratch, double q[3]);
void sim_series_row(FILE *f, const sim_layout *lay, size_t step, const double *q, bool bands);
/* The four files of a run, written straight into dir (a private directory
 * of sim/study/outdir.h that a commit puts in place). */
int sim_write_run_files(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                        const sim_results *res, sim_err *err);

/* JSON helpers shared by the run and compare writers. */
/* Finds or creates the objects named by the dotted prefix of name; *leaf is the last part. */
cJSON *sim_json_nest(cJSON *root, const char *name, const char **leaf);
/* Adds {mean, p10, p50, p90, ci95[, n_reached, mean_reached]} under name (dots nest). */
int sim_json_add_summary(cJSON *root, const char *name, const sim_summary *s);
/* Adds date_p10, date_p50, date_p90 (strings, null when not reached) to the
 * summary object under name: the dates of those days of a run that starts
 * on start_days (sim/core/calendar.h). */
int sim_json_add_dates(cJSON *root, const char *name, double start_days, const sim_summary *s);
int sim_json_write(cJSON *root, const char *path, sim_err *err);
/* A number, or null when it is not finite (not reached, undefined). */
void sim_json_num(cJSON *o, const char *key, double v);
/* Reading a result file: o's number (dflt if absent or not a number) and
 * string (dflt likewise); o may be NULL. */
double sim_json_get_num(const cJSON *o, const char *key, double dflt);
const char *sim_json_get_str(const cJSON *o, const char *key, const char *dflt);
/* ",v" with 10 significant digits, or "," alone when v is not finite. */
void sim_csv_num(FILE *f, double v);

#endif
