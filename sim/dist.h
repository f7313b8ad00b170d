/*
 * dist: the probability distributions a scenario can give for a random
 * quantity (a phase duration, a lead time, a repair time), sampled with GSL.
 *
 *   const        value                       always `value`
 *   uniform      min, max                    U(min, max)
 *   triangular   min, mode, max              inverse-CDF sampling
 *   pert         min, mode, max [, lambda=4] min + (max-min) Beta(a, b),
 *                a = 1 + lambda (mode-min)/(max-min), b = 1 + lambda (max-mode)/(max-min)
 *                (Vose, "Risk Analysis", 3rd ed., 2008, sec. 10.3)
 *   normal       mean, sd
 *   lognormal    p50, p90                    mu = ln p50, sigma = (ln p90 - ln p50) / z_0.9,
 *                                            z_0.9 = Phi^-1(0.9) = 1.28155...
 *                (how planners state schedule risk: "most likely 9 months, 1 in 10 over 15")
 *   exponential  mean
 *   weibull      shape k, scale lambda       F(x) = 1 - exp(-(x/lambda)^k)
 *   empirical    values[], weights[]          a value drawn with probability ~ weight
 *
 * sim_dist_mean and sim_dist_quantile give the closed forms (the PERT quantile
 * through GSL's inverse Beta CDF), which the tests compare samples against.
 * Units are whatever the caller's key says (days for durations).
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <gsl/gsl_randist.h>
#include <stddef.h>

#include "fexp.h"
#include "rng.h"
#include "util.h"

typedef enum {
    SIM_DIST_CONST,
    SIM_DIST_UNIFORM,
    SIM_DIST_TRIANGULAR,
    SIM_DIST_PERT,
    SIM_DIST_NORMAL,
    SIM_DIST_LOGNORMAL,
    SIM_DIST_EXPONENTIAL,
    SIM_DIST_WEIBULL,
    SIM_DIST_EMPIRICAL
} sim_dist_kind;

#define SIM_DIST_MAX_TABLE 256

typedef struct sim_dist {
    sim_dist_kind kind;
    /* Parameters, by kind:
     *  const: p[0]=value; uniform: p[0]=min p[1]=max;
     *  triangular/pert: p[0]=min p[1]=mode p[2]=max (pert: p[3]=lambda);
     *  normal: p[0]=mean p[1]=sd; lognormal: p[0]=mu p[1]=sigma (log space);
     *  exponential: p[0]=mean; weibull: p[0]=shape p[1]=scale. */
    double p[4];
    size_t n_table;                      /* empirical only */
    double values[SIM_DIST_MAX_TABLE];
    double cum_weights[SIM_DIST_MAX_TABLE]; /* normalised cumulative, last = 1 */
} sim_dist;

/* Probit of 0.9, used by the p50/p90 lognormal form. */
#define SIM_Z90 1.2815515655446004

const char *sim_dist_kind_name(sim_dist_kind k);
/* Returns 0 and sets *out for a known name ("pert", "lognormal", ...), else -1. */
int sim_dist_kind_parse(const char *name, sim_dist_kind *out);

sim_dist sim_dist_constant(double value);
sim_dist sim_dist_exponential(double mean);
/* Lognormal from its median and 90th percentile (p90 > p50 > 0). */
sim_dist sim_dist_lognormal_p50_p90(double p50, double p90);

double sim_dist_sample(const sim_dist *d, gsl_rng *r);
/* sim_dist_sample from a keyed stream's saved state (sim/rng.h): the number
 * (and the state after) that rekeying `keyed` (a keyed generator) to *state
 * and drawing from it would give. For an entity that draws in turn from its
 * own stream (a rack's repair times). Inline below. */
static inline double sim_dist_sample_keyed(const sim_dist *d, uint64_t *state, gsl_rng *keyed);
double sim_dist_mean(const sim_dist *d);
double sim_dist_quantile(const sim_dist *d, double prob);
/* Smallest value the distribution can take (-inf for normal). */
double sim_dist_min(const sim_dist *d);

/* Exp(mean) as -mean ln(1 - U), U = gsl_rng_uniform(r) in [0, 1): the same
 * law and the same U as gsl_ran_exponential, which computes -mean log1p(-U);
 * 1 - U is exact for GSL's uniforms, so the two differ only in rounding.
 * glibc's log1p took ~25 ns per call on the reference machine against
 * ~12.5 ns for log (20 million calls of each, same run). */
static inline double sim_exponential_of_uniform(double mean, double u)
{
    return -mean * log(1.0 - u);
}

/* Exp(mean) from r: a keyed generator's through the ziggurat on its state
 * (sim_rng_keyed_exponential: no log for ~99 % of draws; the failure clocks
 * and the request arrivals draw millions), any other's as
 * sim_exponential_of_uniform. The same law either way. */
static inline double sim_ran_exponential(gsl_rng *r, double mean)
{
    if (r->type == sim_rng_keyed_type)
        return sim_rng_keyed_exponential((uint64_t *)r->state, mean);
    return sim_exponential_of_uniform(mean, gsl_rng_uniform(r));
}

/* The draw from r; `own` is the keyed state to draw from (r's own, or a
 * saved one: r is then a keyed generator) or NULL for any other generator.
 * The common kinds are drawn here, on `own` without touching r (normals
 * through the ziggurat shortcut, exponentials through the keyed ziggurat);
 * the others out of line (sim_dist_draw_other rekeys r to a saved state
 * and saves it back). */
double sim_dist_draw_other(const sim_dist *d, gsl_rng *r, uint64_t *own);

static inline double sim_dist_gaussian(gsl_rng *r, uint64_t *own, double sigma)
{
    return own ? sim_rng_keyed_gaussian(own, r, sigma) : gsl_ran_gaussian_ziggurat(r, sigma);
}

static inline __attribute__((always_inline)) double sim_dist_draw(const sim_dist *d, gsl_rng *r, uint64_t *own)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return d->p[0];
    case SIM_DIST_NORMAL:
        return d->p[0] + sim_dist_gaussian(r, own, d->p[1]);
    case SIM_DIST_LOGNORMAL:
        /* exp(N(mu, sigma)) with the ziggurat normal: the same law as
         * gsl_ran_lognormal, about twice as fast (no polar rejection loop). */
        return sim_fexp(d->p[0] + sim_dist_gaussian(r, own, d->p[1]));
    case SIM_DIST_EXPONENTIAL:
        /* a keyed generator's through the ziggurat (sim/rng.h): the same law, other numbers */
        return own ? sim_rng_keyed_exponential(own, d->p[0]) : sim_exponential_of_uniform(d->p[0], gsl_rng_uniform(r));
    default:
        return sim_dist_draw_other(d, r, own);
    }
}

static inline double sim_dist_sample_keyed(const sim_dist *d, uint64_t *state, gsl_rng *keyed)
{
    return sim_dist_draw(d, keyed, state);
}

#endif
