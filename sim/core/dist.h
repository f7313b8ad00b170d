/*
 * dist: the probability distributions a scenario can give for a random
 * quantity (a phase duration, a lead time, a repair time), drawn on a
 * stream of sim/core/rng.h from the samplers of the basic laws there.
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
 * Any law may be moved as a whole by `shift` (added to every draw, its
 * mean and its quantiles; default 0): `--set KEY+=D` (sim/config/cfg.h) sets it.
 *
 * Draws: uniform, triangular and weibull by inverse CDF; normal, lognormal
 * and exponential from the ziggurat samplers; pert from the beta sampler;
 * empirical by a binary search of the cumulative weights.
 *
 * sim_dist_mean and sim_dist_quantile give the closed forms (the PERT quantile
 * through GSL's inverse Beta CDF), which the tests compare samples against.
 * Units are whatever the caller's key says (days for durations).
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <stddef.h>

#include "sim/core/rng.h"

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
/* The largest mean a scenario's distribution may have (a lognormal or a
 * Weibull with an extreme spread has an infinite or absurd one). */
#define SIM_DIST_MAX_MEAN 1e15

/* A law, about 4 KB with its empirical table: functions take it by pointer;
 * the constructors below return one by value, to be stored where it lives
 * (a model's configuration), not passed around. */
typedef struct sim_dist {
    sim_dist_kind kind;
    /* Parameters, by kind:
     *  const: p[0]=value; uniform: p[0]=min p[1]=max;
     *  triangular/pert: p[0]=min p[1]=mode p[2]=max (pert: p[3]=lambda);
     *  normal: p[0]=mean p[1]=sd; lognormal: p[0]=mu p[1]=sigma (log space);
     *  exponential: p[0]=mean; weibull: p[0]=shape p[1]=scale. */
    double p[4];
    double shift;                        /* added to every value the law gives */
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

/* One draw from d on stream r. */
double sim_dist_sample(const sim_dist *d, sim_rng *r);
double sim_dist_mean(const sim_dist *d);
double sim_dist_quantile(const sim_dist *d, double prob);
/* P(X <= x), the closed form (for the tests' goodness-of-fit checks). */
double sim_dist_cdf(const sim_dist *d, double x);
/* Smallest value the distribution can take (-inf for normal). */
double sim_dist_min(const sim_dist *d);

#endif
