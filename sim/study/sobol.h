/*
 * sobol: variance-based global sensitivity (Sobol' indices) of outputs
 * y = f(x) to k independent inputs, each given as u in (0, 1) (the caller
 * maps u to the input: a quantile of its distribution, or a point of its
 * range).
 *
 * Design (Saltelli 2010): two n x k matrices A and B of a 2k-dimensional
 * Sobol' low-discrepancy sequence (GSL's gsl_qrng_sobol; above 20 inputs a
 * Halton sequence, gsl_qrng_reversehalton), the first point skipped and
 * every u kept within [1/(2n), 1 - 1/(2n)]; and k matrices AB_i, A with its
 * column i from B. The model is run at n (k + 2) points, in the order A, B,
 * AB_1, ..., AB_k (point p = block * n + row).
 *
 * Estimators, with V the variance of f over the 2n points of A and B:
 *   first order (Saltelli et al. 2010, eq. b, on f less its mean over A
 *   and B, which leaves its expectation and narrows its spread when the
 *   mean is large against the variance, as days to first token are):
 *     S1_i = (1/n) sum_j (f(B)_j - mean) (f(AB_i)_j - f(A)_j) / V
 *   total (Jansen 1999):
 *     ST_i = (1/2n) sum_j (f(A)_j - f(AB_i)_j)^2 / V
 * and 95 % bootstrap intervals: the rows j resampled with replacement
 * n_boot times (a stream of sim/core/rng.h from the seed), each index's 2.5 and
 * 97.5 % percentiles.
 *
 * Morris screening (Morris 1991; mu* of Campolongo et al. 2007): r
 * trajectories of k + 1 points on a p-level grid (p = 4, step
 * delta = p / (2 (p - 1))), each moving one input at a time;
 * elementary effect EE_i = (f(x + delta e_i) - f(x)) / delta in u units;
 * mu*_i = mean |EE_i|, sigma_i = the standard deviation of EE_i.
 *
 * References: A. Saltelli et al., "Variance based sensitivity analysis of
 * model output", Computer Physics Communications 181 (2010) 259-270;
 * M. J. W. Jansen, Computer Physics Communications 117 (1999) 35-43;
 * M. D. Morris, Technometrics 33 (1991) 161-174.
 */
#ifndef SIM_SOBOL_H
#define SIM_SOBOL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/core/util.h"

/* The inputs of point p (0 <= p < n (k + 2)) as u values, k of them. */
typedef struct sim_sobol_design {
    size_t k, n;
    double *a, *b; /* n x k each, row-major */
} sim_sobol_design;

int sim_sobol_design_make(size_t k, size_t n, sim_sobol_design *d, sim_err *err);
void sim_sobol_design_free(sim_sobol_design *d);
size_t sim_sobol_points(const sim_sobol_design *d);
void sim_sobol_point(const sim_sobol_design *d, size_t p, double *u);

typedef struct sim_sobol_index {
    double s1, s1_lo, s1_hi; /* first order and its 95 % bootstrap interval */
    double st, st_lo, st_hi; /* total */
} sim_sobol_index;

/* The k indices from y[p], p over the design's points (NaN-free), and the
 * variance V (0 when f does not vary: the indices are then 0); the
 * intervals from n_boot resamples (NaN when n_boot < 2). */
int sim_sobol_indices(const sim_sobol_design *d, const double *y, size_t n_boot, uint64_t seed, sim_sobol_index *out,
                      double *variance, sim_err *err);

/* Morris: r trajectories of k + 1 points, u in [0, 1] on a 4-level grid. */
typedef struct sim_morris_design {
    size_t k, r;
    double *u;   /* r (k + 1) x k */
    size_t *moved; /* r k: which input the step from point j to j + 1 of a trajectory moves */
    double *step;  /* r k: its signed step in u */
} sim_morris_design;

int sim_morris_design_make(size_t k, size_t r, uint64_t seed, sim_morris_design *d, sim_err *err);
void sim_morris_design_free(sim_morris_design *d);
size_t sim_morris_points(const sim_morris_design *d);

typedef struct sim_morris_index {
    double mu_star, mu, sigma;
} sim_morris_index;

int sim_morris_indices(const sim_morris_design *d, const double *y, sim_morris_index *out, sim_err *err);

#endif
