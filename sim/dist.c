#include "dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

#include "rng.h"

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

/* gsl_ran_gamma(r, a, 1.0) for a >= 1, on a keyed generator's own state:
 * GSL's Marsaglia-Tsang loop (randist/gamma.c) step for step, its normals
 * through the ziggurat shortcut and its uniforms (gsl_rng_uniform_pos)
 * inline, so the same numbers and the same state after (a test holds it to
 * that). The buildout's PERT durations draw two gammas each: through GSL
 * they were ~4 % of a replication's instructions. */
static double keyed_gamma(uint64_t *own, gsl_rng *r, double a)
{
    double d = a - 1.0 / 3.0, c = (1.0 / 3.0) / sqrt(d), x, v, u;
    for (;;) {
        do {
            x = sim_rng_keyed_gaussian(own, r, 1.0);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        do
            u = sim_rng_keyed_uniform(own);
        while (u == 0);
        if (u < 1 - 0.0331 * x * x * x * x)
            break;
        if (log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            break;
    }
    return d * v; /* GSL: b * d * v, b = 1 */
}

/* gsl_ran_beta(r, a, b), the same number; inline on a keyed generator's
 * state (`own`) where GSL takes the ratio of two gammas of shape >= 1 (a
 * and b >= 1, not both 1: GSL draws that case, and shapes below 1, another
 * way, and is asked). */
static double beta(gsl_rng *r, uint64_t *own, double a, double b)
{
    if (own && a >= 1.0 && b >= 1.0 && (a > 1.0 || b > 1.0)) {
        double x1 = keyed_gamma(own, r, a);
        double x2 = keyed_gamma(own, r, b);
        return x1 / (x1 + x2);
    }
    return gsl_ran_beta(r, a, b);
}

static double sample_other(const sim_dist *d, gsl_rng *r, uint64_t *own)
{
    switch (d->kind) {
    case SIM_DIST_UNIFORM:
        return gsl_ran_flat(r, d->p[0], d->p[1]);
    case SIM_DIST_TRIANGULAR:
        if (d->p[2] <= d->p[0])
            return d->p[0];
        return triangular_quantile(d->p[0], d->p[1], d->p[2], gsl_rng_uniform(r));
    case SIM_DIST_PERT: {
        if (d->p[2] <= d->p[0])
            return d->p[0];
        double a, b;
        pert_ab(d, &a, &b);
        return d->p[0] + (d->p[2] - d->p[0]) * beta(r, own, a, b);
    }
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->p[1], d->p[0]);
    case SIM_DIST_EMPIRICAL: {
        double u = gsl_rng_uniform(r);
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
    default:
        return NAN;
    }
}

double sim_dist_draw_other(const sim_dist *d, gsl_rng *r, uint64_t *own)
{
    if (!own || own == (uint64_t *)r->state)
        return sample_other(d, r, own);
    sim_rng_rekey(r, *own); /* a saved state: draw through r from it, and save it back */
    double v = sample_other(d, r, (uint64_t *)r->state);
    *own = sim_rng_keyed_state(r);
    return v;
}

double sim_dist_sample(const sim_dist *d, gsl_rng *r)
{
    return sim_dist_draw(d, r, r->type == sim_rng_keyed_type ? (uint64_t *)r->state : NULL);
}

double sim_dist_mean(const sim_dist *d)
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
        return d->p[1] * gsl_sf_gamma(1.0 + 1.0 / d->p[0]);
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

double sim_dist_quantile(const sim_dist *d, double prob)
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

double sim_dist_min(const sim_dist *d)
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
