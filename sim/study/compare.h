/*
 * compare: side-by-side results of several scenarios run with the same seed
 * and stream layout (common random numbers): replication i of every scenario
 * draws the same numbers wherever the models line up, so the paired
 * difference B_i - A_i carries the effect of the assumptions, not the noise.
 *
 * Writes into DIR (each scenario's own run files are in DIR/LABEL/):
 *   compare.json  schema_version, seed, replications, baseline, scenarios
 *                 [{label, name, file, currency, usd_per_unit}], money_unit,
 *                 money_differenced, warnings [...], figures {METRIC: {LABEL:
 *                 {mean, p10, p50, p90, ..., currency for money}}},
 *                 paired_difference {LABEL_minus_BASELINE: {METRIC: {mean,
 *                 p10, p50, p90, ci95, n_pairs}}} over the replications where
 *                 both reached the figure, and the app's facts per scenario;
 *   compare.csv   one row per metric and scenario: metric, scenario, unit,
 *                 mean, p10, p50, p90, then diff_mean, diff_p10, diff_p50,
 *                 diff_p90 against the baseline (the first scenario; empty on
 *                 its row).
 * Money (metrics of unit "currency"): when the scenarios' currencies differ,
 * it is converted to USD at each scenario's usd_per_unit when every one
 * gives it (and the table says so), else it is not differenced: the
 * differences are empty, the table says "n/a" and why. Layout facts marked
 * must_match (a carbon basis) that differ between scenarios are warned of.
 * Both are written to temporary names and renamed into place together at the
 * end, after every scenario's directory is complete.
 */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stdio.h>

#include "sim/app.h"
#include "sim/study/runner.h"

typedef struct sim_study_run {
    char label[64]; /* subdirectory and column name */
    const char *name, *file;
    sim_layout lay;
    sim_results res;
    sim_facts facts;
    char currency[16]; /* a study's point: the layout's currency, kept after its model is freed */
} sim_study_run;

/* Label from a scenario path: its base name without .cfg, other characters
 * than [A-Za-z0-9._-] replaced by '_', made unique among runs[0..n). */
/* A label as sim_study_label makes them: 1 to 63 of [A-Za-z0-9._-], not
 * starting with '.'. What a comparison's files name a scenario's directory
 * by is taken only when it is one (never a path, never a command). */
bool sim_study_label_ok(const char *s);
void sim_study_label(const char *path, const sim_study_run *runs, size_t n, char *out, size_t out_len);

int sim_compare_write(const char *dir, const sim_study_run *runs, size_t n, uint64_t seed, sim_err *err);

/* A readable table of the headline figures: P50 [P10, P90] per scenario and
 * the paired difference against the first. */
void sim_compare_print(FILE *f, const sim_study_run *runs, size_t n);
/* One row per scenario, ranked by first token (P50): first token P50 and
 * P90 and full capacity P50 as dates (days without a start date), energy
 * cost, CO2 and NPV (P50; money in the comparison's unit). compare prints
 * this table in place of the wide one for more than four scenarios. */
void sim_compare_print_ranked(FILE *f, const sim_study_run *runs, size_t n);

#endif
