/*
 * decision: the first section of every report, the decision page: the
 * question the study answers, then the answer in a few lines, from the
 * directory's own files.
 *
 * A run: each of the app's decision figures (sim_app.labels marked decision) as its P50
 * with the P10-P90 range in words (days as dates, money with its currency,
 * shares as percentages); for a milestone, the share of replications that
 * reached it by each of the report's dates (the scenario's
 * report.milestone_dates, summary.json's "report_dates"; else 1 January of
 * the years between its P10 and P90, at most four), counted in
 * replications.csv; and what held it back most (the app's facts).
 *
 * A comparison (or site study): for each decision figure, every scenario's
 * P50 and which one is best in how many replications, counted pair by pair
 * in the scenarios' replications.csv (common random numbers: replication i of
 * each drew the same numbers). Best is the soonest or the lowest, or the
 * highest for a figure marked SIM_METRIC_VALUE; a milestone not reached is
 * later than any reached; scenarios within 1e-9 of the best tie, each
 * counted best; money is compared in the comparison's unit (its rates).
 *
 * A sweep or sensitivity study: which input moves the analysed figure most.
 */
#ifndef SIM_DECISION_H
#define SIM_DECISION_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/present/report.h"

/* The app's words for a figure ("First token"), or NULL. */
const char *sim_figure_label(const sim_report_info *in, const char *metric);
/* A figure in words: its label, else its description, else its name. */
const char *sim_figure_words(const sim_report_info *in, const char *metric);

void sim_decision_run(FILE *f, const char *dir, const cJSON *sum, const sim_report_info *in);
void sim_decision_compare(FILE *f, const char *dir, const cJSON *cmp, const sim_report_info *in);
void sim_decision_study(FILE *f, const cJSON *study, bool sensitivity, const sim_report_info *in);
/* An optimization's (optimize.json): the chosen decisions and their figure, the verdict and its probability, the
 * runner-up, the gain on the scenario as written, what it cost. */
void sim_decision_optimize(FILE *f, const cJSON *opt, const sim_report_info *in);

#endif
