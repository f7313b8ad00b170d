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

/* A metric name may contain '.', which nests it in summary.json
 * ("a.b.c" -> {"a": {"b": {"c": {mean, ...}}}}). */
typedef struct sim_layout {
    size_t n_metrics;
    const char *const *metric_names;
    const unsigned char *headline; /* per metric: 1 = in compare's printed table */
    size_t n_series;
    const char *const *series_names;
    size_t n_steps;
    double step_days;
    size_t n_meta; /* string facts for summary.json, e.g. region, currency */
    const char *meta_keys[SIM_MAX_META];
    const char *meta_values[SIM_MAX_META];
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
