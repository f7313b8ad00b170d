/*
 * rng: random number streams (GSL's MT19937) keyed by (seed, replication, stream).
 *
 * Every replication, and every model inside it, draws from its own stream, so
 * the numbers a model sees depend only on (scenario seed, replication index,
 * stream id) and never on thread count, on which other models exist or on the
 * order in which they ask. Two scenarios run with the same seed therefore share
 * draws wherever their models line up (common random numbers).
 *
 * The 32-bit MT19937 seed is SplitMix64(seed, replication, stream) folded to
 * 32 bits; distinct triples give distinct seeds except for a 2^-32 chance per
 * pair (Steele, Lea & Flood 2014, "Fast splittable pseudorandom generators").
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

uint32_t sim_rng_seed_for(uint64_t seed, uint64_t replication, uint64_t stream);

/* A new MT19937 generator for the triple; NULL with err filled on failure.
 * Free it with gsl_rng_free. */
gsl_rng *sim_rng_new(uint64_t seed, uint64_t replication, uint64_t stream, sim_err *err);

/*
 * Keyed draws. For per-entity randomness (rack 1234's 2nd burn-in) a model
 * asks for a generator keyed by (seed, replication, stream, entity,
 * occurrence): the draw then does not depend on the order in which events
 * happen, so changing one assumption (more crews, more grid) leaves every
 * rack's own durations unchanged. The keyed generator is SplitMix64 (Steele
 * et al. 2014; passes BigCrush) wrapped as a gsl_rng_type, so every gsl_ran_*
 * sampler works on it; rekeying costs a few multiplications.
 */
extern const gsl_rng_type *sim_rng_keyed_type;
gsl_rng *sim_rng_keyed_new(sim_err *err);
uint64_t sim_rng_key(uint64_t seed, uint64_t replication, uint64_t stream, uint64_t entity, uint64_t occurrence);
/* The same key in two steps, so that the (seed, replication, stream) part
 * can be computed once: sim_rng_key = key_from(key_prefix(...), entity, occurrence). */
uint64_t sim_rng_key_prefix(uint64_t seed, uint64_t replication, uint64_t stream);
uint64_t sim_rng_key_from(uint64_t prefix, uint64_t entity, uint64_t occurrence);
/* Inline (with sim_rng_keyed_state): a rack's failure stream is resumed and
 * saved around every draw. The keyed generator's state is its SplitMix64
 * counter, one uint64_t. */
static inline void sim_rng_rekey(gsl_rng *r, uint64_t key)
{
    *(uint64_t *)r->state = key;
}
/* A keyed generator's state now. An entity that draws many times in its own
 * order (a rack's lifetimes and repairs) can keep it and resume from it with
 * sim_rng_rekey: its own stream, started once from its key, so its draws
 * still do not depend on what other entities do, without rekeying each time. */
static inline uint64_t sim_rng_keyed_state(const gsl_rng *r)
{
    return *(const uint64_t *)r->state;
}

/* The keyed generator's step on a saved state (SplitMix64: add the golden
 * gamma, then mix), and its uniform in [0, 1) (the top 53 bits): the same
 * numbers as drawing from the generator rekeyed to *state, for an entity
 * that draws a plain uniform from its own stream without a gsl_rng. */
static inline uint64_t sim_rng_keyed_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline double sim_rng_keyed_uniform(uint64_t *state)
{
    return (double)(sim_rng_keyed_next(state) >> 11) * 0x1.0p-53;
}

/*
 * gsl_ran_gaussian_ziggurat on a keyed stream's saved state: the same number,
 * and the same state after it, as rekeying `keyed` (a keyed generator) to
 * *state, calling GSL's sampler and saving the state, at a fraction of the
 * cost for the ~99 % of draws that GSL takes from the ziggurat's rectangles
 * with one 32-bit word and no further arithmetic (Marsaglia & Tsang 2000,
 * "The ziggurat method for generating random variables", J. Stat. Softw.
 * 5(8); GSL's randist/gausszig.c). The layer widths and thresholds are not
 * exported by GSL: sim_rng_gauss_tables_init reads them off GSL's own sampler
 * once, through a scripted generator, and checks the shortcut against GSL on
 * a few thousand draws; if they ever disagreed (another GSL), every draw
 * goes to GSL. Any other draw (a wedge or the tail) rewinds and asks GSL.
 */
typedef struct sim_gauss_tables {
    double w[128];    /* layer i's width per unit of the 24-bit abscissa */
    uint32_t k[128];  /* GSL takes j * w[i] outright when j < k[i] */
} sim_gauss_tables;
extern sim_gauss_tables sim_gauss_zig;

/* Builds sim_gauss_zig (once per process, thread-safe); sim_rng_keyed_new
 * calls it. Returns whether the shortcut agreed with GSL (false: disabled). */
bool sim_rng_gauss_tables_init(void);

double sim_rng_keyed_gaussian_slow(uint64_t *state, gsl_rng *keyed, double sigma, uint64_t before);

/* With tables t (sim_gauss_zig, or a candidate being checked). */
static inline double sim_rng_keyed_gaussian_with(const sim_gauss_tables *t, uint64_t *state, gsl_rng *keyed,
                                                 double sigma)
{
    uint64_t before = *state;
    uint32_t k = (uint32_t)(sim_rng_keyed_next(state) >> 32); /* keyed_get's word */
    uint32_t i = k & 0x7fu, j = (k >> 8) & 0xffffffu;
    if (j < t->k[i]) /* GSL: x = j * wtab[i], returns sign * sigma * x */
        return ((k & 0x80u) ? sigma : -sigma) * ((double)j * t->w[i]);
    return sim_rng_keyed_gaussian_slow(state, keyed, sigma, before);
}

static inline double sim_rng_keyed_gaussian(uint64_t *state, gsl_rng *keyed, double sigma)
{
    return sim_rng_keyed_gaussian_with(&sim_gauss_zig, state, keyed, sigma);
}

/*
 * Exp(1) on a keyed stream's saved state, by the ziggurat method (Marsaglia
 * & Tsang 2000, sec. 4: 256 layers of equal area v under e^-x, the base one
 * holding the tail past r; laid out as numpy's random_standard_exponential
 * lays it out): one 64-bit word gives the layer (bits 3-10) and a 53-bit
 * abscissa j (bits 11-63), and ~98 % of draws end there, with a
 * multiplication and a comparison. The others take a wedge test (one exp
 * and a uniform) or the tail (r + Exp(1), one log), or start over. The same
 * law as -ln(1 - U), not the same numbers: it replaced that for keyed
 * streams on 2026-11-22, when the failure clocks' log was ~6 % of a
 * replication's instructions. sim_rng_exp_tables_init builds the tables
 * once, solving for r so that the 255 layers above the base close at x = 0
 * (r = 7.69711747..., v = 3.9496598...e-3, the published values).
 */
typedef struct sim_exp_tables {
    uint64_t k[256]; /* j is inside layer i's rectangle when j < k[i] */
    double w[256];   /* x = j * w[i] */
    double f[256];   /* e^-x_i at layer i's outer edge x_i (f[0] = 1 = e^-x_0, x_0 = 0) */
    double r, v;     /* the base layer's edge (the tail starts there) and each layer's area */
} sim_exp_tables;
extern sim_exp_tables sim_exp_zig;

/* Builds sim_exp_zig (once per process, thread-safe); sim_rng_keyed_new
 * calls it, and so does the slow path, so a draw is right even before. */
void sim_rng_exp_tables_init(void);

/* The draw for a word z past its layer's rectangle (z already taken from *state). */
double sim_rng_keyed_exponential_slow(uint64_t *state, uint64_t z);

/* Exp(mean) from a keyed stream's saved state. */
static inline double sim_rng_keyed_exponential(uint64_t *state, double mean)
{
    uint64_t z = sim_rng_keyed_next(state);
    uint32_t i = (uint32_t)(z >> 3) & 0xffu;
    uint64_t j = z >> 11;
    if (j < sim_exp_zig.k[i])
        return mean * ((double)(int64_t)j * sim_exp_zig.w[i]); /* j < 2^53: the signed conversion is one instruction */
    return mean * sim_rng_keyed_exponential_slow(state, z);
}

/* gsl_ran_gaussian_ziggurat(r, sigma), the same number from any generator;
 * a keyed one draws through the shortcut, on its own state. */
static inline double sim_ran_gaussian(gsl_rng *r, double sigma)
{
    if (r->type == sim_rng_keyed_type)
        return sim_rng_keyed_gaussian((uint64_t *)r->state, r, sigma);
    return gsl_ran_gaussian_ziggurat(r, sigma);
}

#endif
