#include "sim/core/dist.h"

#include <gsl/gsl_cdf.h>
#include <stdbool.h>
#include <math.h>
#include <string.h>


static const char *const kind_names[] = {
    "const", "uniform", "triangular", "pert", "normal",
    "lognormal", "exponential", "weibull", "empirical",
};

const char *sim_dist_kind_name(sim_dist_kind k)
{
    return kind_names[k];
}

int sim_dist_kind_parse(const char *name, sim_dist_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (sim_dist_kind)i;
            return 0;
        }
    }
    return -1;
}

sim_dist sim_dist_constant(double value)
{
    sim_dist d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_DIST_CONST;
    d.p[0] = value;
    return d;
}

sim_dist sim_dist_exponential(double mean)
{
    sim_dist d = sim_dist_constant(mean);
    d.kind = SIM_DIST_EXPONENTIAL;
    return d;
}

sim_dist sim_dist_lognormal_p50_p90(double p50, double p90)
{
    sim_dist d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_DIST_LOGNORMAL;
    d.p[0] = log(p50);
    d.p[1] = (log(p90) - log(p50)) / SIM_Z90;
    return d;
}

static void pert_ab(const sim_dist *d, double *a, double *b)
{
    double lo = d->p[0], mode = d->p[1], hi = d->p[2], lambda = d->p[3];
    *a = 1.0 + lambda * (mode - lo) / (hi - lo);
    *b = 1.0 + lambda * (hi - mode) / (hi - lo);
}

static double triangular_quantile(double lo, double mode, double hi, double u)
{
    double fc = (mode - lo) / (hi - lo);
    if (u < fc)
        return lo + sqrt(u * (hi - lo) * (mode - lo));
    return hi - sqrt((1.0 - u) * (hi - lo) * (hi - mode));
}

static double base_sample(const sim_dist *d, sim_rng *r)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return d->p[0];
    case SIM_DIST_UNIFORM:
        return d->p[0] + (d->p[1] - d->p[0]) * sim_rng_uniform(r);
    case SIM_DIST_TRIANGULAR:
        if (d->p[2] <= d->p[0])
            return d->p[0];
        return triangular_quantile(d->p[0], d->p[1], d->p[2], sim_rng_uniform(r));
    case SIM_DIST_PERT: {
        if (d->p[2] <= d->p[0])
            return d->p[0];
        double a, b;
        pert_ab(d, &a, &b);
        return d->p[0] + (d->p[2] - d->p[0]) * sim_rng_beta(r, a, b);
    }
    case SIM_DIST_NORMAL:
        return d->p[0] + d->p[1] * sim_rng_normal(r);
    case SIM_DIST_LOGNORMAL:
        return exp(d->p[0] + d->p[1] * sim_rng_normal(r));
    case SIM_DIST_EXPONENTIAL:
        return d->p[0] * sim_rng_exponential(r);
    case SIM_DIST_WEIBULL: /* lambda (-ln U)^(1/k), U in (0, 1) */
        return d->p[1] * pow(-log(sim_rng_uniform_pos(r)), 1.0 / d->p[0]);
    case SIM_DIST_EMPIRICAL: {
        double u = sim_rng_uniform(r);
        size_t lo = 0, hi = d->n_table - 1;
        while (lo < hi) { /* first index with cum_weights > u */
            size_t mid = (lo + hi) / 2;
            if (d->cum_weights[mid] > u)
                hi = mid;
            else
                lo = mid + 1;
        }
        return d->values[lo];
    }
    }
    return NAN;
}

static double base_mean(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return d->p[0];
    case SIM_DIST_UNIFORM:
        return 0.5 * (d->p[0] + d->p[1]);
    case SIM_DIST_TRIANGULAR:
        return (d->p[0] + d->p[1] + d->p[2]) / 3.0;
    case SIM_DIST_PERT:
        return (d->p[0] + d->p[3] * d->p[1] + d->p[2]) / (d->p[3] + 2.0);
    case SIM_DIST_NORMAL:
        return d->p[0];
    case SIM_DIST_LOGNORMAL:
        return exp(d->p[0] + 0.5 * d->p[1] * d->p[1]);
    case SIM_DIST_EXPONENTIAL:
        return d->p[0];
    case SIM_DIST_WEIBULL:
        return d->p[1] * tgamma(1.0 + 1.0 / d->p[0]); /* inf past the double range, where GSL's would abort */
    case SIM_DIST_EMPIRICAL: {
        double m = 0.0, prev = 0.0;
        for (size_t i = 0; i < d->n_table; i++) {
            m += d->values[i] * (d->cum_weights[i] - prev);
            prev = d->cum_weights[i];
        }
        return m;
    }
    }
    return NAN;
}

static double base_quantile(const sim_dist *d, double prob)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return d->p[0];
    case SIM_DIST_UNIFORM:
        return d->p[0] + prob * (d->p[1] - d->p[0]);
    case SIM_DIST_TRIANGULAR:
        if (d->p[2] <= d->p[0])
            return d->p[0];
        return triangular_quantile(d->p[0], d->p[1], d->p[2], prob);
    case SIM_DIST_PERT: {
        if (d->p[2] <= d->p[0])
            return d->p[0];
        double a, b;
        pert_ab(d, &a, &b);
        return d->p[0] + (d->p[2] - d->p[0]) * gsl_cdf_beta_Pinv(prob, a, b);
    }
    case SIM_DIST_NORMAL:
        return d->p[0] + d->p[1] * gsl_cdf_ugaussian_Pinv(prob);
    case SIM_DIST_LOGNORMAL:
        return exp(d->p[0] + d->p[1] * gsl_cdf_ugaussian_Pinv(prob));
    case SIM_DIST_EXPONENTIAL:
        return -d->p[0] * log1p(-prob);
    case SIM_DIST_WEIBULL:
        return d->p[1] * pow(-log1p(-prob), 1.0 / d->p[0]);
    case SIM_DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n_table; i++)
            if (d->cum_weights[i] >= prob)
                return d->values[i];
        return d->values[d->n_table - 1];
    }
    return NAN;
}

static double base_min(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_NORMAL:
        return -INFINITY;
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_EXPONENTIAL:
    case SIM_DIST_WEIBULL:
        return 0.0;
    case SIM_DIST_EMPIRICAL: {
        double m = d->values[0];
        for (size_t i = 1; i < d->n_table; i++)
            if (d->values[i] < m)
                m = d->values[i];
        return m;
    }
    default:
        return d->p[0];
    }
}

double sim_dist_cdf(const sim_dist *d, double x)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return x >= d->p[0] ? 1.0 : 0.0;
    case SIM_DIST_UNIFORM:
        return x <= d->p[0] ? 0.0 : x >= d->p[1] ? 1.0 : (x - d->p[0]) / (d->p[1] - d->p[0]);
    case SIM_DIST_TRIANGULAR: {
        double lo = d->p[0], mode = d->p[1], hi = d->p[2];
        if (x <= lo)
            return 0.0;
        if (x >= hi)
            return 1.0;
        if (x <= mode)
            return (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
        return 1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
    }
    case SIM_DIST_PERT: {
        if (d->p[2] <= d->p[0])
            return x >= d->p[0] ? 1.0 : 0.0;
        double a, b, u = (x - d->p[0]) / (d->p[2] - d->p[0]);
        pert_ab(d, &a, &b);
        return u <= 0 ? 0.0 : u >= 1 ? 1.0 : gsl_cdf_beta_P(u, a, b);
    }
    case SIM_DIST_NORMAL:
        return gsl_cdf_gaussian_P(x - d->p[0], d->p[1]);
    case SIM_DIST_LOGNORMAL:
        return x <= 0 ? 0.0 : gsl_cdf_ugaussian_P((log(x) - d->p[0]) / d->p[1]);
    case SIM_DIST_EXPONENTIAL:
        return x <= 0 ? 0.0 : -expm1(-x / d->p[0]);
    case SIM_DIST_WEIBULL:
        return x <= 0 ? 0.0 : -expm1(-pow(x / d->p[1], d->p[0]));
    case SIM_DIST_EMPIRICAL: {
        double c = 0.0, prev = 0.0;
        for (size_t i = 0; i < d->n_table; i++) {
            if (d->values[i] <= x)
                c += d->cum_weights[i] - prev;
            prev = d->cum_weights[i];
        }
        return c;
    }
    }
    return NAN;
}

/* The law's own draw, mean, quantile and least value, moved by its shift. */
double sim_dist_sample(const sim_dist *d, sim_rng *r) { return d->shift + base_sample(d, r); }
double sim_dist_mean(const sim_dist *d) { return d->shift + base_mean(d); }
double sim_dist_quantile(const sim_dist *d, double prob) { return d->shift + base_quantile(d, prob); }
double sim_dist_min(const sim_dist *d) { return d->shift + base_min(d); }
