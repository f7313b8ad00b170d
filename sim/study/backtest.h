/*
 * backtest: the model's distributions against what real buildouts did.
 *
 * A table (CSV: a header line, then one project a line; '#' lines are
 * comments):
 *   project,scenario,milestone,measured_date,source
 * project: a name (data only); scenario: its scenario file, relative to the
 * table's directory, which starts (sim.start_date) at the project's first
 * public plan; milestone: a metric counted in days from that start
 * (SIM_METRIC_DAY); measured_date: YYYY-MM-DD, when the project reached it;
 * source: where the date comes from (a row tag of the project's sources).
 *
 * Each distinct scenario runs once, as a comparison's (common random
 * numbers); projects that share a scenario (two milestones of one site)
 * share its run. With its
 * replications x_1..x_n of the milestone (one not reached within the
 * horizon counts as later than any date) and the measured day
 * m = measured_date - start_date, the measured date falls at the quantile
 *   q = #{x_i <= m} / n
 * and inside the band when P10 <= m <= P90. A calibrated model puts about
 * 80 % of the projects inside and spreads q evenly over [0, 1]; the
 * Kolmogorov distance of the q's to the uniform law,
 *   D = max_k max(k / K - q_(k), q_(k) - (k - 1) / K)   (K projects, q sorted),
 * says how far they are from that.
 *
 * Writes into the comparison's directory: backtest.csv (a row per project;
 * what plots/compare/backtest.gp draws) and backtest.json (the rows and the
 * summary).
 */
#ifndef SIM_BACKTEST_H
#define SIM_BACKTEST_H

#include <stdio.h>

#include "sim/study/compare.h"

#define SIM_BACKTEST_MAX 32

typedef struct sim_backtest_row {
    char project[96], scenario[1024], milestone[96], source[64];
    size_t run;          /* its scenario's index among the distinct scenarios (run once each) */
    char label[64];      /* that run's directory in the comparison */
    char measured[16];   /* YYYY-MM-DD as given */
    double measured_days; /* since 1970-01-01 */
    int line;
    /* results */
    double start_days, m, q, p10, p50, p90, reached;
    bool inside;
} sim_backtest_row;

typedef struct sim_backtest {
    size_t n;
    sim_backtest_row rows[SIM_BACKTEST_MAX];
    size_t n_scenarios; /* the distinct scenarios, in order of first mention: what the comparison runs */
    const char *scenarios[SIM_BACKTEST_MAX];
    double inside_share, ks_uniform, mean_q;
} sim_backtest;

/* Reads the table; scenario paths become relative to the working directory
 * (the table's directory joined). An error names the file, the line and the
 * column. */
int sim_backtest_read(const char *path, sim_backtest *bt, sim_err *err);
/* Computes each row from runs[row.run] (its scenario's) and the summary; an
 * error names the table's row (a milestone that is not a day metric, a
 * scenario with no start date). */
int sim_backtest_compute(sim_backtest *bt, const char *table, const sim_study_run *runs, sim_err *err);
/* Writes backtest.csv and backtest.json into dir. */
int sim_backtest_write(const char *dir, const sim_backtest *bt, sim_err *err);
void sim_backtest_print(FILE *f, const sim_backtest *bt);

#endif
