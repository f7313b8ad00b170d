/*
 * rng: random streams, and the samplers of the laws every distribution is
 * built from (uniform, standard normal, standard exponential, gamma, beta).
 *
 * A stream is SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable
 * pseudorandom generators"; passes BigCrush): a 64-bit state that advances
 * by the golden gamma, each output a bijective 64-bit mix of it. A stream
 * starts at a 64-bit key hashed from (seed, replication, stream id), and an
 * entity's own stream (rack 1234's 2nd burn-in) from (seed, replication,
 * stream id, entity, occurrence): its draws then do not depend on the order
 * in which events happen, so changing one assumption (more crews, more grid)
 * leaves every rack's own durations as they were, and two scenarios run
 * with the same seed share draws wherever their models line up (common
 * random numbers). Nothing is folded to 32 bits: two keys collide with
 * probability 2^-64 per pair, and two streams of n draws each overlap with
 * probability about 2n / 2^64 (1e-12 for a million draws each).
 *
 * Samplers (one entry point per law):
 *   sim_rng_uniform       [0, 1): the top 53 bits of one output
 *   sim_rng_normal        N(0, 1) by the ziggurat (Marsaglia & Tsang 2000),
 *   sim_rng_exponential   Exp(1) by the ziggurat; 256 layers each, tables
 *                         generated into const arrays by sim/tools/ziggurat_gen.c
 *                         (its header gives the equations): ~98 % of draws
 *                         cost one output, a multiplication and a comparison
 *   sim_rng_gamma         Gamma(a, 1), Marsaglia & Tsang 2000 ("A simple
 *                         method for generating gamma variables", ACM TOMS
 *                         26(3)); a < 1 through Gamma(a + 1) U^(1/a)
 *   sim_rng_beta          X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b)
 * The tests hold each to its law (moments, quantiles, chi-square and
 * Kolmogorov-Smirnov tests with their p-values).
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s;
} sim_rng;

/* The 64-bit key of stream `stream` of (seed, replication), and of an
 * entity's own stream below it: sim_rng_keyed(sim_rng_prefix(...), e, o). */
uint64_t sim_rng_prefix(uint64_t seed, uint64_t replication, uint64_t stream);
sim_rng sim_rng_keyed(uint64_t prefix, uint64_t entity, uint64_t occurrence);
/* A 64-bit key of a name (FNV-1a), and of a model's stream name:
 * the key of (model, name), used as `stream` above (sim_engine_stream). */
uint64_t sim_rng_hash_name(const char *name);
uint64_t sim_rng_name_key(const char *model, const char *name);
/* Stream `stream` of (seed, replication) itself. */
sim_rng sim_rng_stream(uint64_t seed, uint64_t replication, uint64_t stream);

static inline uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* [0, 1) in steps of 2^-53. */
static inline double sim_rng_uniform(sim_rng *r)
{
    return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

/* (0, 1): for logarithms. */
static inline double sim_rng_uniform_pos(sim_rng *r)
{
    return ((double)(sim_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Ziggurat tables (sim/core/ziggurat_tables.c, generated). */
typedef struct sim_zig_tables {
    double r, v;       /* the base layer's edge and every layer's area */
    uint64_t k[256];   /* accept j < k[i] outright */
    double w[256];     /* x = j * w[i] */
    double f[256];     /* the density at layer i's outer edge; f[0] = 1 */
} sim_zig_tables;
extern const sim_zig_tables sim_zig_normal, sim_zig_exponential;

/* A word's layer (bits 3-10) and 53-bit abscissa (bits 11-63); bit 0 is the
 * normal's sign. */
#define SIM_ZIG_LAYER(z) ((uint32_t)((z) >> 3) & 0xffu)
#define SIM_ZIG_J(z) ((z) >> 11)

double sim_rng_normal_slow(sim_rng *r, uint64_t z);
double sim_rng_exponential_slow(sim_rng *r, uint64_t z);

static inline double sim_rng_normal(sim_rng *r)
{
    uint64_t z = sim_rng_next(r);
    uint32_t i = SIM_ZIG_LAYER(z);
    uint64_t j = SIM_ZIG_J(z);
    if (j < sim_zig_normal.k[i]) {
        double x = (double)(int64_t)j * sim_zig_normal.w[i];
        return (z & 1u) ? -x : x;
    }
    return sim_rng_normal_slow(r, z);
}

static inline double sim_rng_exponential(sim_rng *r)
{
    uint64_t z = sim_rng_next(r);
    uint32_t i = SIM_ZIG_LAYER(z);
    uint64_t j = SIM_ZIG_J(z);
    if (j < sim_zig_exponential.k[i])
        return (double)(int64_t)j * sim_zig_exponential.w[i];
    return sim_rng_exponential_slow(r, z);
}

double sim_rng_gamma(sim_rng *r, double a);
double sim_rng_beta(sim_rng *r, double a, double b);
/* A Poisson count of mean mu >= 0: inversion below mu = 10, above it
 * Hormann's transformed rejection with squeeze (PTRS, Hormann 1993), O(1)
 * for any mean. */
double sim_rng_poisson(sim_rng *r, double mu);

#endif
