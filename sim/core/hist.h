/*
 * hist: a weighted histogram of positive values on log-spaced bins, for
 * laws that are mixed and queried for quantiles (request-weighted TTFT over
 * windows, days and a whole run).
 *
 * SIM_HIST_BINS bins span [lo, hi) with edges lo (hi/lo)^(k/B); one bin
 * below lo and one at or above hi hold the rest. A quantile is found by
 * walking the cumulative weight and interpolating linearly in log x within
 * the bin (the true CDF is smooth, so the error is a small fraction of a
 * bin's width: (hi/lo)^(1/B) - 1 relative at most); the under- and
 * overflow bins answer lo and hi. Mixing is a weighted sum of bin arrays
 * on the same grid.
 */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stddef.h>

#define SIM_HIST_BINS 256

typedef struct sim_hist {
    double lo, hi, log_lo, bins_per_log;
    double total;
    double w[SIM_HIST_BINS + 2]; /* [0] below lo, [1..B] the bins, [B+1] at or above hi */
} sim_hist;

void sim_hist_init(sim_hist *h, double lo, double hi);
void sim_hist_clear(sim_hist *h);
void sim_hist_add(sim_hist *h, double x, double weight);
/* h += weight * o (o on the same grid; weight >= 0). */
void sim_hist_add_hist(sim_hist *h, const sim_hist *o, double weight);
/* The p-quantile (0 < p < 1); NAN when the histogram is empty. */
double sim_hist_quantile(const sim_hist *h, double p);
/* The share of the weight at or below x. */
double sim_hist_share_at_most(const sim_hist *h, double x);

#endif
