#include "rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "fexp.h"

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
    sim_rng_gauss_tables_init();
    sim_rng_exp_tables_init();
    sim_fexp_init();
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

/* ------------------------------------------------ the ziggurat shortcut */

/* Written once (pthread_once), read-only after: every k[i] is 0 until then,
 * which sends every draw to GSL, so a draw is right even before. */
sim_gauss_tables sim_gauss_zig;

/* A scripted generator for reading GSL's ziggurat: its first word is set
 * by the caller, later ones are 0 and every uniform is 0, which ends GSL's
 * loop at once (j = 0 is taken, or a wedge or the tail accepts y = its
 * lower edge, or 0, below the density). */
typedef struct probe_state {
    uint32_t first;
    unsigned gets, doubles;
} probe_state;

static void probe_set(void *state, unsigned long seed)
{
    (void)seed;
    memset(state, 0, sizeof(probe_state));
}

static unsigned long probe_get(void *state)
{
    probe_state *p = state;
    return p->gets++ == 0 ? p->first : 0;
}

static double probe_get_double(void *state)
{
    ((probe_state *)state)->doubles++;
    return 0.0;
}

static const gsl_rng_type probe_type = {
    "sim_ziggurat_probe", 0xffffffffUL, 0, sizeof(probe_state), probe_set, probe_get, probe_get_double,
};

/* GSL's draw for the word k; returns whether it went past the rectangle. */
static bool probe_rejects(gsl_rng *p, uint32_t k, double *out)
{
    probe_state *ps = p->state;
    ps->first = k;
    ps->gets = ps->doubles = 0;
    *out = gsl_ran_gaussian_ziggurat(p, 1.0);
    return ps->gets > 1 || ps->doubles > 0;
}

static bool gauss_tables_read(sim_gauss_tables *t)
{
    gsl_rng *p = gsl_rng_alloc(&probe_type);
    gsl_rng *g = gsl_rng_alloc(sim_rng_keyed_type);
    bool ok = p && g;
    for (uint32_t i = 0; ok && i < 128; i++) {
        /* GSL takes j outright iff j < ktab[i]: bisect for the first j it does not. */
        uint32_t lo = 0, hi = 1u << 24;
        double x;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (probe_rejects(p, (mid << 8) | 0x80u | i, &x))
                hi = mid;
            else
                lo = mid + 1;
        }
        t->k[i] = lo;
        /* j = 1, positive: GSL returns 1 * 1.0 * (1 * wtab[i]). Below 2, only j = 0 is taken: x = 0 either way. */
        t->w[i] = lo > 1 && !probe_rejects(p, (1u << 8) | 0x80u | i, &x) ? x : 0.0;
    }
    /* The shortcut against GSL itself, on draws of both signs and both paths. */
    for (uint64_t n = 0; ok && n < 4096; n++) {
        uint64_t s = sim_mix64(n + 0x243f6a8885a308d3ULL), s0 = s;
        double sigma = 1.0 + (double)(n % 7);
        double fast = sim_rng_keyed_gaussian_with(t, &s, g, sigma);
        sim_rng_rekey(g, s0);
        double ref = gsl_ran_gaussian_ziggurat(g, sigma);
        ok = memcmp(&fast, &ref, sizeof fast) == 0 && s == sim_rng_keyed_state(g);
    }
    gsl_rng_free(p);
    gsl_rng_free(g);
    return ok;
}

static bool gauss_ok;

static void gauss_tables_once(void)
{
    sim_gauss_tables t;
    memset(&t, 0, sizeof t);
    gauss_ok = gauss_tables_read(&t);
    if (gauss_ok)
        sim_gauss_zig = t;
}

bool sim_rng_gauss_tables_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gauss_tables_once);
    return gauss_ok;
}

double sim_rng_keyed_gaussian_slow(uint64_t *state, gsl_rng *keyed, double sigma, uint64_t before)
{
    sim_rng_rekey(keyed, before);
    double v = gsl_ran_gaussian_ziggurat(keyed, sigma);
    *state = sim_rng_keyed_state(keyed);
    return v;
}

/* ------------------------------------------- the exponential ziggurat */

/* Written once (pthread_once), read-only after; every k[i] is 0 until then,
 * which sends every draw to the slow path, which builds the tables first. */
sim_exp_tables sim_exp_zig;

/* For a base edge r (so v = r e^-r + the tail's e^-r), the layers' outer
 * edges x[255] = r down to x[1], each layer of area v:
 * x[i-1] = -ln(v / x[i] + e^-x[i]). Returns how far the top layer misses
 * closing at 0 (v / x[1] + e^-x[1] - 1): positive when r is too small (the
 * layers reach the top early), negative when too large. */
static double exp_layers(double r, double *x)
{
    double v = (r + 1.0) * exp(-r);
    x[255] = r;
    for (int i = 255; i > 1; i--) {
        double a = v / x[i] + exp(-x[i]);
        if (!(a < 1.0))
            return 1.0;
        x[i - 1] = -log(a);
    }
    return v / x[1] + exp(-x[1]) - 1.0;
}

static void exp_tables_once(void)
{
    double x[256], lo = 6.0, hi = 9.0; /* exp_layers is positive at 6, negative at 9 */
    for (int it = 0; it < 200 && lo < hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (exp_layers(mid, x) > 0)
            lo = mid;
        else
            hi = mid;
    }
    sim_exp_tables t;
    memset(&t, 0, sizeof t);
    t.r = hi;
    exp_layers(t.r, x);
    x[0] = 0.0;
    t.v = (t.r + 1.0) * exp(-t.r);
    const double scale = 0x1.0p53; /* j's range */
    double q = t.v / exp(-t.r);    /* the base layer as a rectangle of area v and height e^-r */
    t.k[0] = (uint64_t)(t.r / q * scale);
    t.w[0] = q / scale;
    t.f[0] = 1.0;
    for (int i = 1; i < 256; i++) {
        t.k[i] = (uint64_t)(x[i - 1] / x[i] * scale);
        t.w[i] = x[i] / scale;
        t.f[i] = exp(-x[i]);
    }
    sim_exp_zig = t;
}

void sim_rng_exp_tables_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, exp_tables_once);
}

double sim_rng_keyed_exponential_slow(uint64_t *state, uint64_t z)
{
    sim_rng_exp_tables_init();
    const sim_exp_tables *t = &sim_exp_zig;
    for (;;) {
        uint32_t i = (uint32_t)(z >> 3) & 0xffu;
        uint64_t j = z >> 11;
        double x = (double)(int64_t)j * t->w[i];
        if (j < t->k[i])
            return x;
        if (i == 0) /* past r in the base layer: the tail, r + Exp(1) */
            return t->r - log(1.0 - sim_rng_keyed_uniform(state));
        /* The wedge between x_{i-1} and x_i: y uniform over the layer's height. */
        if (t->f[i] + sim_rng_keyed_uniform(state) * (t->f[i - 1] - t->f[i]) < exp(-x))
            return x;
        z = sim_rng_keyed_next(state);
    }
}
