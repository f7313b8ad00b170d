/*
 * app: the contract between the generic plumbing in sim/ (CLI, replication
 * runner, writers) and a model set (models/site/site.c). sim/ knows metrics and
 * series only by name; it never sees a GPU.
 *
 * Ownership: load() returns a model owned by the caller, freed with free();
 * run() writes only the caller's arrays (metrics, series, the yearly
 * table), and on failure *err; it reads the model
 * and writes nothing in it, so several threads run replications of one
 * model at once (each with its own arrays).
 */
#ifndef SIM_APP_H
#define SIM_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/config/cfg.h"
#include "sim/core/util.h"

#define SIM_MAX_META 12

/* One output figure, declared once by the app: summary.json, replications.csv,
 * compare, sweep (--metric NAME) and the output reference (gigasim metrics)
 * all read it. A name may contain '.', which nests it in summary.json
 * ("a.b.c" -> {"a": {"b": {"c": {mean, ...}}}}). unit "currency" means the
 * scenario's currency (summary.json's "currency"). */
enum {
    SIM_METRIC_HEADLINE = 1, /* in compare's printed table */
    SIM_METRIC_RANKING = 2,  /* a sweep reports it; the first is the sweep's default --metric */
    SIM_METRIC_DAY = 4,      /* a day of the run (days since day 0): also a date when the run has one */
    SIM_METRIC_STUDY = 8,    /* a sensitivity study analyses it by default, after the ranking figures */
    SIM_METRIC_REPORT = 16,  /* the report's headline table shows it too, after the headline figures */
    SIM_METRIC_DELAY = 32,   /* a delay study reports it (sim/study/delay.h) */
    SIM_METRIC_VALUE = 64    /* more is better (a value, not a cost): a delay costs on time minus late */
};
typedef struct sim_metric {
    const char *name, *unit, *description;
    unsigned flags;
} sim_metric;

/* The index of the metric named `name`, or -1. */
int sim_metric_find(const sim_metric *metrics, size_t n, const char *name);

/* One column of a comparison's ranking (ranking.csv and the printed table),
 * declared by the app. A day metric is written as NAME_p50_days and
 * NAME_p50_date in the CSV (with SIM_RANK_BANDS also NAME_p10_days and
 * NAME_p90_days, and its P90 printed); another metric as NAME; when a
 * column is money, a money_unit column ends the CSV. */
enum {
    SIM_RANK_KEY = 1,   /* scenarios are ranked by its P50 (not reached last) */
    SIM_RANK_BANDS = 2, /* its P10 and P90 too */
    SIM_RANK_TIE = 4    /* a tie of the key goes to the higher P50 of this column */
};
typedef struct sim_rank_column {
    const char *metric; /* the metric's name */
    const char *csv;    /* its name in ranking.csv */
    const char *shown;  /* its head in the printed table ("first" -> "first P50", "first P90") */
    const char *what;   /* in words, for "ranked by WHAT (P50)" */
    int width;          /* its printed width (0: the last column, unpadded) */
    unsigned role;      /* SIM_RANK_* */
} sim_rank_column;

/* A table of each replication, written as `file`: per row and column the
 * mean, P10, P50 and P90 over the replications where the cell is defined.
 * Rows are named (row_names, under the head row_head), or are the run's
 * calendar years (row_names NULL): row r is the year of the start date
 * plus r (the first from the start date on), or without a start date year
 * r + 1 counted from day 0. */
#define SIM_MAX_TABLES 2
typedef struct sim_table {
    const char *file;
    size_t n_rows, n_cols;
    const char *const *cols;
    const char *const *row_names;
    const char *row_head;
} sim_table;

typedef struct sim_layout {
    size_t n_metrics;
    const sim_metric *metrics;
    const char *const *label_skip; /* leading segments of a key that a study's label of it leaves out, in
                                    * order (NULL-terminated; NULL: none; sim_key_label) */
    size_t n_rank; /* the ranking's columns, the key among them (none: no ranking) */
    const sim_rank_column *rank;
    size_t n_series;
    const char *const *series_names;
    const char *const *series_units, *const *series_descriptions; /* each column's (NULL: none) */
    size_t n_steps;
    double step_days;
    size_t n_meta; /* string facts for summary.json, e.g. region, currency */
    const char *meta_keys[SIM_MAX_META];
    const char *meta_values[SIM_MAX_META];
    unsigned char meta_must_match[SIM_MAX_META]; /* compare warns when scenarios differ in it */
    /* Money: metrics of unit "currency" are in this currency (an ISO code);
     * usd_per_unit converts them (NAN: no rate given, so a comparison across
     * currencies refuses to difference money). */
    const char *currency;
    double usd_per_unit;
    /* Calendar: day 0 is this date (days since 1970-01-01; NAN: no date
     * given). Metrics flagged SIM_METRIC_DAY are then also written as dates,
     * and series.csv gains a date column (sim/core/calendar.h). */
    double start_date_days;
    /* Tables of each replication (sim_table), one after the other in its
     * block of sim_table_cells (sim/study/runner.h). */
    size_t n_tables;
    sim_table tables[SIM_MAX_TABLES];
} sim_layout;

#define SIM_MAX_FACTS 8
#define SIM_FACT_LEN 64

/* Conclusions the app draws from all replications' metrics, written into
 * summary.json as strings (a '.' in a key nests it). */
typedef struct sim_facts {
    size_t n;
    char key[SIM_MAX_FACTS][SIM_FACT_LEN];
    char value[SIM_MAX_FACTS][SIM_FACT_LEN];
} sim_facts;

/* What held a run back, as the app's figures say it, for the report: per
 * milestone (a key of the groups below, and its name in words), the main
 * cause and the binding phase are facts (summary.json's CAUSE.KEY and
 * PHASE.KEY), and the days by cause are metrics BY_CAUSE.GROUP.CAUSE, one
 * column per group. */
#define SIM_HELD_MAX 4
typedef struct sim_held_back {
    const char *cause, *phase, *by_cause;
    size_t n_milestones;
    const char *milestone[SIM_HELD_MAX], *milestone_words[SIM_HELD_MAX];
    size_t n_groups;
    const char *group[SIM_HELD_MAX], *group_head[SIM_HELD_MAX];
} sim_held_back;

/* A figure in a few words for a person ("First token"): the report heads
 * the figure's row with them (its description and name beneath), and the
 * decision page (sim/present/decision.h) answers with the figures marked
 * decision, in the table's order; a figure's sense is its metric's
 * (SIM_METRIC_VALUE: more is better; else less, or sooner). */
typedef struct sim_label {
    const char *metric, *words;
    bool decision;
} sim_label;

/* What a chart of the app shows (its file name without the extension), a
 * caption under it in the report. */
typedef struct sim_caption {
    const char *stem, *caption;
} sim_caption;

/* An input a sensitivity study adds (sim/study/sensitivity.h): key at
 * low + u (high - low). */
typedef struct sim_app_range {
    const char *key;
    double low, high;
} sim_app_range;

typedef struct sim_app {
    const char *name;
    const sim_metric *metrics; /* the metric table (the same as every layout's) */
    size_t n_metrics;
    void *(*load)(sim_cfg *cfg, sim_err *err);
    void (*free)(void *model);
    void (*layout)(const void *model, sim_layout *out);
    /* One replication: metrics[n_metrics] (NAN = not reached / undefined),
     * series[n_steps * n_series] row-major, table[sim_table_cells]: each
     * table's rows, row-major, one table after the other (NULL when the
     * layout has none). */
    int (*run)(const void *model, uint64_t seed, uint64_t replication, double *metrics, double *series,
               double *table, sim_err *err);
    /* Optional: facts from metrics[n_reps x n_metrics]. */
    void (*facts)(const void *model, const double *metrics, size_t n_reps, sim_facts *out);
    /* Optional: for the report, what held a run back and the app's charts' captions. */
    const sim_held_back *held;
    const sim_caption *captions;
    size_t n_captions;
    const char *const *report_header_keys; /* summary.json strings the report shows under its title, in order,
                                            * while each is there (NULL-terminated) */
    /* Optional: figures in words (the report's row heads, the decision page's figures), and the decision
     * page's questions for a run and for a comparison (a %s takes the scenario's name, or the scenarios'
     * names). */
    const sim_label *labels;
    size_t n_labels;
    const char *decision_question_run, *decision_question_compare;
    /* Optional: the economic inputs a sensitivity study adds by default when it analyses a figure of unit
     * "currency" (at most max into out; how many). */
    size_t (*economic_inputs)(const void *model, sim_app_range *out, size_t max);
} sim_app;

#endif
