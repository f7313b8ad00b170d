/*
 * app: the contract between the generic plumbing in sim/ (CLI, replication
 * runner, writers) and a model set (models/site.c). sim/ knows metrics and
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

typedef struct sim_layout {
    size_t n_metrics;
    const char *const *metric_names;
    size_t n_series;
    const char *const *series_names;
    size_t n_steps;
    double step_days;
    size_t n_meta; /* string facts for summary.json, e.g. region, currency */
    const char *meta_keys[SIM_MAX_META];
    const char *meta_values[SIM_MAX_META];
} sim_layout;

typedef struct sim_app {
    const char *name;
    void *(*load)(sim_cfg *cfg, sim_err *err);
    void (*free)(void *model);
    void (*layout)(const void *model, sim_layout *out);
    /* One replication: metrics[n_metrics] (NAN = not reached / undefined),
     * series[n_steps * n_series] row-major. */
    int (*run)(const void *model, uint64_t seed, uint64_t replication, double *metrics, double *series,
               sim_err *err);
} sim_app;

#endif
