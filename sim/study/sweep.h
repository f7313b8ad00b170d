/*
 * sweep: sensitivity of a scenario to its assumptions. Every point is the
 * scenario with one key overridden (as --set would), run with the same seed
 * and stream layout as the base (common random numbers), so a change of a
 * figure is the key's effect, not noise.
 *
 * Figures: the chosen metric (--metric NAME, any metric of the app; by
 * default its first ranking metric), then the app's other ranking metrics.
 *
 * Tornado mode (`--vary KEY=LOW:HIGH`, one or more): the base, then each key
 * at LOW and at HIGH with everything else at its value. Swing = |P50 at
 * HIGH - P50 at LOW|; keys are listed by decreasing swing of the chosen
 * metric.
 *   sweep.json  mode "tornado", scenario_file, scenario (its name), seed, replications, metric
 *               {name, unit, description}, other_metrics [{name, unit}],
 *               base {p50, NAME_p50...}, keys [{key, low, high, p50_low,
 *               p50_high, swing, NAME_p50_low, NAME_p50_high, NAME_swing...}]
 *   sweep.csv   key, low, high, base_p50, p50_low, p50_high, swing, then
 *               NAME_p50_low, NAME_p50_high, NAME_swing per other metric.
 * Curve mode (`--vary KEY=LOW:HIGH:STEPS`, exactly one): STEPS evenly spaced
 * values from LOW to HIGH.
 *   sweep.json  mode "curve", key, metric, other_metrics, points [{value,
 *               p10, p50, p90, NAME_p10, NAME_p50, NAME_p90...}]
 *   sweep.csv   value, p10, p50, p90, then NAME_p10, NAME_p50, NAME_p90.
 * A figure not reached in half the replications has an empty P50 (null).
 * Both files are written to temporary names and renamed at the end.
 */
#ifndef SIM_SWEEP_H
#define SIM_SWEEP_H

#include "sim/study/compare.h"

#define SIM_SWEEP_MAX_STEPS 101

typedef struct sim_vary {
    char key[256];
    double low, high;
    int steps; /* 0: tornado (low and high); >= 2: curve */
} sim_vary;

/* A scenario key as a person reads it, the leading segments `skip` names
 * left out in order (the layout's label_skip; NULL: none): with the site's,
 * "timeline.phases.grid_interconnection.duration_days.p50" is "grid
 * interconnection: median duration (days)"; KEY* (a law scaled as a whole)
 * ends ", whole law". A study records its labels (sweep.json, sensitivity.json)
 * and its charts draw them. */
void sim_key_label(const char *key, const char *const *skip, char *buf, size_t n);

/* Parses KEY=LOW:HIGH or KEY=LOW:HIGH:STEPS; KEY*=LOW:HIGH varies the
 * number or distribution at KEY by a factor (sim_cfg_set's KEY*=F). */
int sim_vary_parse(const char *arg, sim_vary *out, sim_err *err);

/* Runs one point: the scenario with `set` ("key=value", or NULL for the
 * base) applied; fills out->lay and out->res (freed by the sweep). */
/* One point, the k-th (from 1) of n_points; set is "key=value", or NULL for the base. */
typedef int (*sim_point_fn)(void *ctx, const char *set, size_t k, size_t n_points, sim_study_run *out, sim_err *err);

/* Runs every point, writes sweep.json and sweep.csv into dir and prints a
 * table to stdout. */
int sim_sweep(const sim_vary *v, size_t n, const char *metric, const char *scenario_file, const char *scenario_name,
              uint64_t seed,
              sim_point_fn run, void *ctx, const char *dir, sim_err *err);

#endif
