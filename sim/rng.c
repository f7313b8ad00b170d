#include "rng.h"

uint32_t sim_rng_seed_for(uint64_t seed, uint64_t replication, uint64_t stream)
{
    uint64_t h = sim_mix64(seed);
    h = sim_mix64(h ^ (replication * 0xd1342543de82ef95ULL));
    h = sim_mix64(h ^ (stream * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
    uint32_t s = (uint32_t)(h ^ (h >> 32));
    return s ? s : 4357u; /* 0 selects GSL's default seed; keep it explicit */
}

gsl_rng *sim_rng_new(uint64_t seed, uint64_t replication, uint64_t stream, sim_err *err)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) {
        sim_errf(err, "out of memory allocating a random number stream");
        return NULL;
    }
    gsl_rng_set(r, sim_rng_seed_for(seed, replication, stream));
    return r;
}

typedef struct keyed_state {
    uint64_t s;
} keyed_state;

static inline uint64_t keyed_next(keyed_state *k)
{
    return sim_rng_keyed_next(&k->s);
}

static void keyed_set(void *state, unsigned long seed)
{
    ((keyed_state *)state)->s = sim_mix64((uint64_t)seed);
}

static unsigned long keyed_get(void *state)
{
    return (unsigned long)(keyed_next(state) >> 32);
}

static double keyed_get_double(void *state)
{
    return sim_rng_keyed_uniform(&((keyed_state *)state)->s);
}

static const gsl_rng_type keyed_type = {
    "sim_splitmix64_keyed", 0xffffffffUL, 0, sizeof(keyed_state), keyed_set, keyed_get, keyed_get_double,
};
const gsl_rng_type *sim_rng_keyed_type = &keyed_type;

gsl_rng *sim_rng_keyed_new(sim_err *err)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_keyed_type);
    if (!r)
        sim_errf(err, "out of memory allocating a keyed random stream");
    return r;
}

uint64_t sim_rng_key_prefix(uint64_t seed, uint64_t replication, uint64_t stream)
{
    uint64_t h = sim_mix64(seed ^ 0x5851f42d4c957f2dULL);
    h = sim_mix64(h ^ (replication * 0xd1342543de82ef95ULL));
    return sim_mix64(h ^ (stream * 0x9e3779b97f4a7c15ULL));
}

uint64_t sim_rng_key_from(uint64_t prefix, uint64_t entity, uint64_t occurrence)
{
    uint64_t h = sim_mix64(prefix ^ (entity * 0xc2b2ae3d27d4eb4fULL));
    return sim_mix64(h ^ (occurrence * 0x165667b19e3779f9ULL));
}

uint64_t sim_rng_key(uint64_t seed, uint64_t replication, uint64_t stream, uint64_t entity, uint64_t occurrence)
{
    return sim_rng_key_from(sim_rng_key_prefix(seed, replication, stream), entity, occurrence);
}

_Static_assert(sizeof(keyed_state) == sizeof(uint64_t), "rng.h reads and writes the keyed state as one uint64_t");
