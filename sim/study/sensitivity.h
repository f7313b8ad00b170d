/*
 * sensitivity: which uncertain inputs of a scenario matter, alone and in
 * combination (gigasim sensitivity). Global, variance-based (Sobol' indices,
 * sim/study/sobol.h), or a cheaper Morris screening for many inputs.
 *
 * Inputs: every distribution the models read (a phase's duration, a lead
 * time, a failure rate), each taken at its u-quantile for the whole point
 * (the law's value at that level, in every draw of that point; u kept
 * within [0.005, 0.995], as an unbounded law has no 0 or 1 quantile), and every
 * key given with a range (--vary KEY=LOW:HIGH: LOW + u (HIGH - LOW); KEY*=
 * LOW:HIGH a factor on a number or a whole law). An input in both is the
 * range's.
 *
 * Each point is the scenario with its inputs set (as --set), run with the
 * same seed and replications as every other point (common random numbers
 * inside each point); its output for a figure is the mean over the
 * replications, a milestone not reached counted at the horizon. Under MPI
 * the points are shared out whole, every P-th to a rank, each run on that
 * rank's threads: no series travel, only the points' figures.
 *
 * Files (whole or not at all, sim/study/outdir.h):
 *   sensitivity.json  mode (sobol | morris), scenario_file, seed,
 *                     replications, samples, points, bootstrap, inputs
 *                     [{key, label, kind (quantile | range | factor), low,
 *                     high}], metrics [{name, unit, mean, variance,
 *                     indices [{key, s1, s1_lo, s1_hi, st, st_lo, st_hi}]
 *                     (morris: {key, mu_star, mu, sigma})}], each metric's
 *                     indices by decreasing ST (mu*)
 *   sensitivity.csv   metric, key, label, s1, s1_lo, s1_hi, st, st_lo, st_hi
 *                     (morris: metric, key, label, mu_star, mu, sigma)
 *   points.csv        point, each input's u and value, each figure
 */
#ifndef SIM_SENSITIVITY_H
#define SIM_SENSITIVITY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/study/compare.h"
#include "sim/core/dist.h"
#include "sim/core/util.h"

#define SIM_SENS_MAX_INPUTS 200
/* A distribution's level u is kept within [1 - QMAX, QMAX]. */
#define SIM_SENS_QMAX 0.995

typedef enum { SIM_SENS_QUANTILE, SIM_SENS_RANGE, SIM_SENS_FACTOR } sim_sens_kind;

typedef struct sim_sens_input {
    char key[256];
    sim_sens_kind kind;
    sim_dist dist;     /* QUANTILE */
    double low, high;  /* RANGE, FACTOR */
    bool integer;      /* RANGE of an integer key: the value rounded */
} sim_sens_input;

/* The value input i takes at level u in (0, 1). */
double sim_sens_value(const sim_sens_input *in, double u);

typedef struct sim_sens_opts {
    bool morris;             /* screening instead of Sobol' indices */
    size_t samples;          /* Sobol': n (points: n (k + 2)); Morris: trajectories (points: r (k + 1)) */
    size_t bootstrap;        /* Sobol': resamples for the intervals */
    const char *metrics[16]; /* figures; none: the app's ranking figures and co2_t */
    size_t n_metrics;
    bool quiet;
    /* Shared out (MPI): this is part `part` of `parts` and runs every
     * parts-th point from it; share(rc, y, nm, np, err) then fills in the
     * other parts' figures (y[m np + p], figure m of point p) and agrees on
     * failure. parts 0 or 1 and share NULL: one process. */
    size_t part, parts;
    int (*share)(int rc, double *y, size_t nm, size_t np, sim_err *err);
} sim_sens_opts;

/* One point: the scenario with `sets` (n_sets assignments) run; point k of n_points (from 1). */
typedef int (*sim_sens_point_fn)(void *ctx, const char *const *sets, size_t n_sets, size_t k, size_t n_points,
                                 sim_study_run *out, sim_err *err);

/* lay: the scenario's layout (its metrics and steps); reps: the replications of every point. */
int sim_sensitivity(const sim_sens_input *in, size_t k, const sim_sens_opts *o, const sim_layout *lay,
                    const char *scenario_file, const char *scenario_name, uint64_t seed, size_t reps, sim_sens_point_fn run, void *ctx,
                    const char *dir, sim_err *err);

#endif
