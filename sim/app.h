/*
 * app: the contract between the generic plumbing in sim/ (CLI, replication
 * runner, writers) and a model set (models/site/site.c). sim/ knows metrics and
 * series only by name; it never sees a GPU.
 *
 * Ownership: load() returns a model owned by the caller, freed with free();
 * run() must be callable from several threads at once on the same model (it
 * only reads it) and fills caller-owned arrays.
 */
#ifndef SIM_APP_H
#define SIM_APP_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "util.h"

#define SIM_MAX_META 8

/* One output figure, declared once by the app: summary.json, replications.csv,
 * compare, sweep (--metric NAME) and the output reference (gigasim metrics)
 * all read it. A name may contain '.', which nests it in summary.json
 * ("a.b.c" -> {"a": {"b": {"c": {mean, ...}}}}). unit "currency" means the
 * scenario's currency (summary.json's "currency"). */
enum {
    SIM_METRIC_HEADLINE = 1, /* in compare's printed table */
    SIM_METRIC_RANKING = 2,  /* a sweep reports it; the first is the sweep's default --metric */
    SIM_METRIC_DAY = 4       /* a day of the run (days since day 0): also a date when the run has one */
};
typedef struct sim_metric {
    const char *name, *unit, *description;
    unsigned flags;
} sim_metric;

/* The index of the metric named `name`, or -1. */
int sim_metric_find(const sim_metric *metrics, size_t n, const char *name);

typedef struct sim_layout {
    size_t n_metrics;
    const sim_metric *metrics;
    size_t n_series;
    const char *const *series_names;
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
     * and series.csv gains a date column (sim/calendar.h). */
    double start_date_days;
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

typedef struct sim_app {
    const char *name;
    const sim_metric *metrics; /* the metric table (the same as every layout's) */
    size_t n_metrics;
    void *(*load)(sim_cfg *cfg, sim_err *err);
    void (*free)(void *model);
    void (*layout)(const void *model, sim_layout *out);
    /* One replication: metrics[n_metrics] (NAN = not reached / undefined),
     * series[n_steps * n_series] row-major. */
    int (*run)(const void *model, uint64_t seed, uint64_t replication, double *metrics, double *series,
               sim_err *err);
    /* Optional: facts from metrics[n_reps x n_metrics]. */
    void (*facts)(const void *model, const double *metrics, size_t n_reps, sim_facts *out);
} sim_app;

#endif
