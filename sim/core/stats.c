#include "sim/core/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

double sim_quantile_sorted(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double pos = (double)(n - 1) * p;
    size_t lo = (size_t)floor(pos);
    double delta = pos - (double)lo;
    if (lo + 1 >= n || delta == 0.0)
        return isinf(x[lo]) ? NAN : x[lo];
    if (isinf(x[lo]) || isinf(x[lo + 1]))
        return NAN;
    return (1.0 - delta) * x[lo] + delta * x[lo + 1];
}

sim_summary sim_summarize(const double *values, size_t n, size_t stride, double *scratch)
{
    sim_summary s = {NAN, NAN, NAN, NAN, NAN, NAN, n, 0};
    for (size_t i = 0; i < n; i++) {
        double v = values[i * stride];
        if (isfinite(v))
            s.n_finite++;
        scratch[i] = isfinite(v) ? v : INFINITY;
    }
    gsl_sort(scratch, 1, n);
    s.p10 = sim_quantile_sorted(scratch, n, 0.10);
    s.p50 = sim_quantile_sorted(scratch, n, 0.50);
    s.p90 = sim_quantile_sorted(scratch, n, 0.90);
    if (s.n_finite > 0)
        s.mean_reached = gsl_stats_mean(scratch, 1, s.n_finite); /* the finite values sort first */
    if (s.n_finite == n && n > 0) {
        s.mean = gsl_stats_mean(scratch, 1, n);
        if (n >= 2) {
            double sd = gsl_stats_sd_m(scratch, 1, n, s.mean);
            s.ci95_half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
        }
    }
    return s;
}

/* A type-7 quantile of sorted data that may hold -inf at the start and +inf
 * at the end: NAN when it falls on or next to an infinity. */
static double quantile_signed(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h, hi = lo + 1 < n ? lo + 1 : lo;
    double frac = h - (double)lo;
    if (!isfinite(x[lo]) || (frac > 0 && !isfinite(x[hi])))
        return NAN;
    return frac > 0 ? x[lo] + frac * (x[hi] - x[lo]) : x[lo];
}

sim_summary sim_summarize_paired(const double *diffs, size_t n, double *scratch)
{
    sim_summary s = {NAN, NAN, NAN, NAN, NAN, NAN, n, 0};
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        scratch[i] = diffs[i];
        if (isfinite(diffs[i])) {
            s.n_finite++;
            sum += diffs[i];
        }
    }
    gsl_sort(scratch, 1, n);
    s.p10 = quantile_signed(scratch, n, 0.10);
    s.p50 = quantile_signed(scratch, n, 0.50);
    s.p90 = quantile_signed(scratch, n, 0.90);
    if (s.n_finite > 0)
        s.mean_reached = sum / (double)s.n_finite;
    if (s.n_finite == n && n > 0) {
        s.mean = sum / (double)n;
        if (n >= 2) {
            double sd = gsl_stats_sd_m(scratch, 1, n, s.mean);
            s.ci95_half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
        }
    }
    return s;
}

void sim_share_interval95(size_t k, size_t n, double *lo, double *hi)
{
    if (n == 0 || k > n) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959963984540054, z2 = z * z, kk = (double)k, nn = (double)n;
    double centre = (kk + z2 / 2) / (nn + z2);
    double half = z * sqrt(kk * (nn - kk) / nn + z2 / 4) / (nn + z2);
    *lo = k == 0 ? 0.0 : centre - half;
    *hi = k == n ? 1.0 : centre + half;
}
