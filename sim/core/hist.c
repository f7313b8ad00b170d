#include "sim/core/hist.h"

#include <math.h>
#include <string.h>

void sim_hist_init(sim_hist *h, double lo, double hi)
{
    memset(h, 0, sizeof *h);
    h->lo = lo;
    h->hi = hi;
    h->log_lo = log(lo);
    h->bins_per_log = SIM_HIST_BINS / (log(hi) - log(lo));
}

void sim_hist_clear(sim_hist *h)
{
    memset(h->w, 0, sizeof h->w);
    h->total = 0;
}

/* The bin of x: 0 below lo, B + 1 at or above hi. */
static size_t bin_of(const sim_hist *h, double x)
{
    if (!(x >= h->lo))
        return 0;
    if (x >= h->hi)
        return SIM_HIST_BINS + 1;
    double b = (log(x) - h->log_lo) * h->bins_per_log;
    size_t k = (size_t)b;
    return (k < SIM_HIST_BINS ? k : SIM_HIST_BINS - 1) + 1;
}

/* The lower edge of bin k (1 <= k <= B + 1). */
static double edge(const sim_hist *h, size_t k)
{
    return exp(h->log_lo + (double)(k - 1) / h->bins_per_log);
}

void sim_hist_add(sim_hist *h, double x, double weight)
{
    h->w[bin_of(h, x)] += weight;
    h->total += weight;
}

void sim_hist_add_hist(sim_hist *h, const sim_hist *o, double weight)
{
    for (size_t k = 0; k < SIM_HIST_BINS + 2; k++)
        h->w[k] += weight * o->w[k];
    h->total += weight * o->total;
}

double sim_hist_quantile(const sim_hist *h, double p)
{
    if (!(h->total > 0))
        return NAN;
    double target = p * h->total, cum = 0;
    for (size_t k = 0; k < SIM_HIST_BINS + 2; k++) {
        double next = cum + h->w[k];
        if (next >= target && h->w[k] > 0) {
            if (k == 0)
                return h->lo;
            if (k == SIM_HIST_BINS + 1)
                return h->hi;
            double f = (target - cum) / h->w[k]; /* within the bin, linear in log x */
            double a = log(edge(h, k)), b = log(edge(h, k + 1));
            return exp(a + f * (b - a));
        }
        cum = next;
    }
    return h->hi;
}

double sim_hist_share_at_most(const sim_hist *h, double x)
{
    if (!(h->total > 0))
        return NAN;
    size_t kx = bin_of(h, x);
    double cum = 0;
    for (size_t k = 0; k < kx; k++)
        cum += h->w[k];
    if (kx >= 1 && kx <= SIM_HIST_BINS) { /* the part of x's bin below x, linear in log x */
        double a = log(edge(h, kx)), b = log(edge(h, kx + 1));
        cum += h->w[kx] * (log(x) - a) / (b - a);
    } else if (kx == SIM_HIST_BINS + 1) {
        cum += 0; /* at or above hi: only what lies below counts */
    }
    return fmin(cum / h->total, 1.0); /* the bins' sum may pass the total by a rounding */
}
