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
