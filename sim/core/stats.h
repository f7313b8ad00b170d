/*
 * stats: summaries over replications. Quantiles use the same definition as
 * GSL's gsl_stats_quantile_from_sorted_data (linear interpolation between
 * order statistics at (n-1)p, Hyndman & Fan type 7), extended to +inf so that
 * a milestone not reached by the horizon (NAN in a replication's output)
 * counts as later than any reached one: a quantile that falls on it is
 * "not reached" (NAN again), never a made-up number.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stddef.h>

typedef struct sim_summary {
    double mean, p10, p50, p90;
    double mean_reached; /* mean over the replications where it is finite (NAN if none) */
    double ci95_half; /* half-width of the 95 % CI of the mean (NAN for n < 2) */
    size_t n, n_finite;
} sim_summary;

/* Quantile of sorted data (ascending, +inf allowed at the end). */
double sim_quantile_sorted(const double *sorted, size_t n, double p);

/* Summarises values[0..n) taken with stride; NAN counts as not reached.
 * scratch must hold n doubles. mean is NAN unless every value is finite. */
sim_summary sim_summarize(const double *values, size_t n, size_t stride, double *scratch);

/* Summarises paired differences (a scenario's value minus the base's, one
 * per replication) of a milestone: a side that never reaches it counts as
 * later than any that does, so a difference may be -inf or +inf (and two
 * that never do count as a tie, 0). Quantiles are over every pair; one
 * that falls on an infinity is NAN (not determined: one side never reached
 * it). mean_reached is over the finite pairs, mean over all when all are
 * finite. scratch holds n doubles. */
sim_summary sim_summarize_paired(const double *diffs, size_t n, double *scratch);

/* The 95 % interval of a share k of n (Wilson's score interval, z = 1.959964):
 * centre (k + z^2/2) / (n + z^2), half-width z sqrt(k(n-k)/n + z^2/4) / (n + z^2);
 * it stays inside [0, 1] and is not empty at k = 0 or k = n (at k = n its low
 * end is n / (n + z^2)). Both NAN for n = 0. */
void sim_share_interval95(size_t k, size_t n, double *lo, double *hi);

#endif
