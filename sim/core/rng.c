#include "sim/core/rng.h"

#include <math.h>

#include "sim/core/util.h"

uint64_t sim_rng_prefix(uint64_t seed, uint64_t replication, uint64_t stream)
{
    uint64_t h = sim_mix64(seed ^ 0x5851f42d4c957f2dULL);
    h = sim_mix64(h ^ (replication * 0xd1342543de82ef95ULL));
    return sim_mix64(h ^ (stream * 0x9e3779b97f4a7c15ULL));
}

uint64_t sim_rng_hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, 64 bits */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

uint64_t sim_rng_name_key(const char *model, const char *name)
{
    /* the model's hash, mixed, then the name's: "ab"+"c" and "a"+"bc" differ */
    return sim_mix64(sim_rng_hash_name(model)) ^ sim_rng_hash_name(name);
}

sim_rng sim_rng_keyed(uint64_t prefix, uint64_t entity, uint64_t occurrence)
{
    uint64_t h = sim_mix64(prefix ^ (entity * 0xc2b2ae3d27d4eb4fULL));
    return (sim_rng){sim_mix64(h ^ (occurrence * 0x165667b19e3779f9ULL))};
}

sim_rng sim_rng_stream(uint64_t seed, uint64_t replication, uint64_t stream)
{
    return (sim_rng){sim_rng_prefix(seed, replication, stream)};
}

/* Past the rectangle of layer i: the wedge (accept when a uniform height
 * in the layer falls under the density) or, in the base layer, the tail;
 * else start over with a new word. */
double sim_rng_normal_slow(sim_rng *r, uint64_t z)
{
    const sim_zig_tables *t = &sim_zig_normal;
    for (;;) {
        uint32_t i = SIM_ZIG_LAYER(z);
        uint64_t j = SIM_ZIG_J(z);
        double x = (double)(int64_t)j * t->w[i];
        if (j < t->k[i])
            return (z & 1u) ? -x : x;
        if (i == 0) {
            /* The tail past r (Marsaglia 1964): x = -ln(U1) / r, y = -ln(U2), accept 2y > x^2. */
            double xt, yt;
            do {
                xt = -log(sim_rng_uniform_pos(r)) / t->r;
                yt = -log(sim_rng_uniform_pos(r));
            } while (yt + yt <= xt * xt);
            return (z & 1u) ? -(t->r + xt) : t->r + xt;
        }
        if (t->f[i] + sim_rng_uniform(r) * (t->f[i - 1] - t->f[i]) < exp(-0.5 * x * x))
            return (z & 1u) ? -x : x;
        z = sim_rng_next(r);
    }
}

double sim_rng_exponential_slow(sim_rng *r, uint64_t z)
{
    const sim_zig_tables *t = &sim_zig_exponential;
    for (;;) {
        uint32_t i = SIM_ZIG_LAYER(z);
        uint64_t j = SIM_ZIG_J(z);
        double x = (double)(int64_t)j * t->w[i];
        if (j < t->k[i])
            return x;
        if (i == 0) /* the tail past r: memoryless, r + Exp(1) */
            return t->r - log(sim_rng_uniform_pos(r));
        if (t->f[i] + sim_rng_uniform(r) * (t->f[i - 1] - t->f[i]) < exp(-x))
            return x;
        z = sim_rng_next(r);
    }
}

double sim_rng_gamma(sim_rng *r, double a)
{
    if (a < 1.0) {
        double u = sim_rng_uniform_pos(r);
        return sim_rng_gamma(r, 1.0 + a) * pow(u, 1.0 / a);
    }
    double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = sim_rng_normal(r);
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = sim_rng_uniform_pos(r);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x))
            return d * v;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v;
    }
}

double sim_rng_beta(sim_rng *r, double a, double b)
{
    double x = sim_rng_gamma(r, a);
    double y = sim_rng_gamma(r, b);
    return x / (x + y);
}

double sim_rng_poisson(sim_rng *r, double mu)
{
    if (!(mu > 0))
        return 0;
    if (mu < 10.0) { /* inversion: the count of uniforms whose product stays above e^-mu */
        double limit = exp(-mu), prod = sim_rng_uniform(r);
        double k = 0;
        while (prod > limit) {
            prod *= sim_rng_uniform(r);
            k++;
        }
        return k;
    }
    double slam = sqrt(mu), loglam = log(mu);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double u = sim_rng_uniform(r) - 0.5, v = sim_rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + mu + 0.43);
        if (us >= 0.07 && v <= vr)
            return k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -mu + k * loglam - lgamma(k + 1.0))
            return k;
    }
}
