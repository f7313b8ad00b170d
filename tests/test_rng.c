/* Random streams and samplers (sim/core/rng.h), each held to its law:
 *   - the ziggurat samplers: chi-square over 256 equal-probability bins of
 *     4 million draws (p-value > 1e-3) and the counts in the tails, which
 *     only the slow paths reach;
 *   - the gamma sampler for shapes below, at and above 1 (KS);
 *   - the Poisson sampler, both of its methods: chi-square against the
 *     probability mass function, and its mean and variance;
 *   - the ziggurat tables: the committed file is what the generator writes,
 *     and every layer has the area v;
 *   - stream keys: 64 bits (no collision among a million triples, where a
 *     32-bit key would give ~116), keyed streams repeat and differ. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "sim/core/rng.h"
#include "test.h"

enum { N_SAMPLES = 200000 };

/* Chi-square of n draws of a sampler over 256 bins of equal probability
 * (edges from the quantile function), and the counts past two tail points. */
typedef struct zig_case {
    const char *name;
    double (*draw)(sim_rng *);
    double (*quantile)(double);
    double (*upper_tail)(double); /* P(X > x) */
    double tail1, tail2;          /* |x| beyond these: only the slow paths */
    bool symmetric;
} zig_case;

static double normal_q(double p) { return gsl_cdf_ugaussian_Pinv(p); }
static double normal_two_tail(double x) { return 2.0 * gsl_cdf_ugaussian_Q(x); }
static double exp_q(double p) { return -log1p(-p); }
static double exp_tail(double x) { return exp(-x); }

static void check_ziggurat(const zig_case *zc)
{
    enum { N = 4000000, BINS = 256 };
    double edges[BINS - 1];
    for (int b = 0; b < BINS - 1; b++)
        edges[b] = zc->quantile((double)(b + 1) / BINS);
    long counts[BINS] = {0};
    long past1 = 0, past2 = 0;
    double sum = 0, sum2 = 0;
    sim_rng r = sim_rng_stream(2026, 7, 3);
    for (long i = 0; i < N; i++) {
        double x = zc->draw(&r);
        sum += x;
        sum2 += x * x;
        int lo = 0, hi = BINS - 1; /* the first edge above x */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (x < edges[mid])
                hi = mid;
            else
                lo = mid + 1;
        }
        counts[lo]++;
        double ax = zc->symmetric ? fabs(x) : x;
        past1 += ax > zc->tail1;
        past2 += ax > zc->tail2;
    }
    double expect = (double)N / BINS, chi2 = 0;
    for (int b = 0; b < BINS; b++)
        chi2 += ((double)counts[b] - expect) * ((double)counts[b] - expect) / expect;
    double p = gsl_cdf_chisq_Q(chi2, BINS - 1);
    fprintf(stderr, "  %s: chi-square %.1f on %d degrees of freedom (p = %.3f); past %g: %ld, past %g: %ld\n", zc->name,
            chi2, BINS - 1, p, zc->tail1, past1, zc->tail2, past2);
    CHECK(p > 1e-3, "%s: chi-square %.1f over %d equal-probability bins of %d draws, p = %.3g", zc->name, chi2, BINS, N, p);
    double e1 = N * zc->upper_tail(zc->tail1), e2 = N * zc->upper_tail(zc->tail2);
    CHECK(fabs((double)past1 - e1) <= 5 * sqrt(e1), "%s: %ld draws past %g, expected %.1f", zc->name, past1, zc->tail1, e1);
    CHECK(fabs((double)past2 - e2) <= 5 * sqrt(e2) + 1, "%s: %ld draws past %g, expected %.1f", zc->name, past2, zc->tail2, e2);
    double mean = sum / N, var = sum2 / N - mean * mean;
    double want_mean = zc->symmetric ? 0.0 : 1.0;
    CHECK_NEAR(mean, want_mean, 5.0 / sqrt((double)N), "sample mean");
    CHECK_NEAR(var, 1.0, 5.0 * (zc->symmetric ? sqrt(2.0) : sqrt(8.0)) / sqrt((double)N), "sample variance");
}

TEST(normal_ziggurat_has_the_normal_law)
{
    /* tail1 = the base layer's edge r (only the tail path goes past it) */
    zig_case zc = {"normal", sim_rng_normal, normal_q, normal_two_tail, sim_zig_normal.r, 4.5, true};
    check_ziggurat(&zc);
}

TEST(exponential_ziggurat_has_the_exponential_law)
{
    zig_case zc = {"exponential", sim_rng_exponential, exp_q, exp_tail, sim_zig_exponential.r, 10.0, false};
    check_ziggurat(&zc);
}

typedef struct gamma_ctx {
    double a;
} gamma_ctx;
static double gamma_cdf(const void *c, double x) { return gsl_cdf_gamma_P(x, ((const gamma_ctx *)c)->a, 1.0); }

TEST(gamma_sampler_has_the_gamma_law)
{
    const double shapes[] = {0.3, 1.0, 2.5, 7.0};
    double *x = test_malloc(N_SAMPLES * sizeof *x);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        gamma_ctx c = {shapes[k]};
        sim_rng r = sim_rng_stream(11, k, 5);
        for (int i = 0; i < N_SAMPLES; i++)
            x[i] = sim_rng_gamma(&r, c.a);
        double mean = gsl_stats_mean(x, 1, N_SAMPLES);
        CHECK_NEAR(mean, c.a, 5 * sqrt(c.a / N_SAMPLES), "gamma sample mean (= shape)");
        gsl_sort(x, 1, N_SAMPLES);
        double d, p = test_ks_p(x, N_SAMPLES, gamma_cdf, &c, &d);
        CHECK(p > 1e-3, "gamma(%g): Kolmogorov-Smirnov D = %.3g, p = %.3g", c.a, d, p);
    }
}

TEST(poisson_sampler_has_the_poisson_law)
{
    /* Means on both sides of the switch (10) and far above it. Bins: the
     * values k with expected count >= 20 each, the two tails pooled. */
    const double mus[] = {0.3, 4.0, 9.99, 10.0, 37.5, 1e3, 2.5e5};
    for (size_t m = 0; m < sizeof mus / sizeof *mus; m++) {
        double mu = mus[m];
        sim_rng r = sim_rng_stream(13, m, 5);
        double lo = floor(fmax(0.0, mu - 5.0 * sqrt(mu))), hi = ceil(mu + 5.0 * sqrt(mu) + 5.0);
        size_t nb = (size_t)(hi - lo) + 3;
        double *obs = calloc(nb, sizeof *obs), sum = 0, sum2 = 0;
        CHECK(obs != NULL, "memory");
        for (int i = 0; i < N_SAMPLES; i++) {
            double k = sim_rng_poisson(&r, mu);
            sum += k, sum2 += k * k;
            size_t b = k < lo ? 0 : k > hi ? nb - 1 : (size_t)(k - lo) + 1;
            obs[b]++;
        }
        double mean = sum / N_SAMPLES, var = sum2 / N_SAMPLES - mean * mean;
        double chi = 0, pooled_obs = 0, pooled_exp = 0;
        int dof = -1;
        for (size_t b = 0; b < nb; b++) {
            double e;
            if (b == 0)
                e = lo > 0 ? gsl_cdf_poisson_P((unsigned)lo - 1, mu) : 0;
            else if (b == nb - 1)
                e = gsl_cdf_poisson_Q((unsigned)hi, mu);
            else
                e = exp(-mu + (lo + (double)b - 1) * log(mu) - lgamma(lo + (double)b));
            e *= N_SAMPLES;
            pooled_obs += obs[b], pooled_exp += e;
            if (pooled_exp >= 20) {
                chi += (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp;
                dof++;
                pooled_obs = pooled_exp = 0;
            }
        }
        chi += pooled_exp > 0 ? (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp : 0;
        free(obs);
        double p = gsl_cdf_chisq_Q(chi, dof > 0 ? dof : 1);
        CHECK_NEAR(mean, mu, 5 * sqrt(mu / N_SAMPLES), "Poisson sample mean");
        CHECK_NEAR(var, mu, 6 * mu * sqrt(2.0 / N_SAMPLES) + 1e-9, "Poisson sample variance");
        CHECK(p > 1e-3, "Poisson(%g): chi-square %.1f on %d degrees of freedom, p = %.3g", mu, chi, dof, p);
    }
}

/* The tables' own truths: each layer above the base has area v
 * (x_i (f(x_{i-1}) - f(x_i)) = v), the base layer r f(r) + tail = v, and
 * the rectangle thresholds are x_{i-1} / x_i. */
static void check_tables(const sim_zig_tables *t, double (*tail)(double), const char *name)
{
    double x[256];
    for (int i = 1; i < 256; i++)
        x[i] = t->w[i] * 0x1.0p53;
    CHECK_NEAR(x[255], t->r, 1e-12 * t->r, "the widest layer's edge is r");
    CHECK_NEAR(t->r * t->f[255] + tail(t->r), t->v, 1e-12, "base layer area");
    for (int i = 2; i < 256; i++) {
        char what[96];
        snprintf(what, sizeof what, "%s layer %d's area", name, i);
        CHECK_NEAR(x[i] * (t->f[i - 1] - t->f[i]), t->v, 1e-9 * t->v, what);
        CHECK_NEAR((double)t->k[i], x[i - 1] / x[i] * 0x1.0p53, 2.0, "rectangle threshold");
    }
    CHECK_NEAR(x[1] * (1.0 - t->f[1]), t->v, 1e-6 * t->v, "the top layer closes at 0");
}

static double ntail(double r) { return sqrt(M_PI / 2.0) * erfc(r / sqrt(2.0)); }

TEST(ziggurat_tables_are_generated_and_exact)
{
    check_tables(&sim_zig_normal, ntail, "normal");
    if (test_failed_now())
        return;
    check_tables(&sim_zig_exponential, exp_tail, "exponential");
    if (test_failed_now())
        return;
    CHECK_NEAR(sim_zig_normal.r, 3.6541528853610088, 1e-12, "normal r (Marsaglia & Tsang's 256-layer value)");
    CHECK_NEAR(sim_zig_exponential.r, 7.69711747013104972, 1e-12, "exponential r (Marsaglia & Tsang's value)");
    /* The committed file is the generator's output. */
    char gen[512], cmd[1200];
    snprintf(gen, sizeof gen, "%s", gigasim_bin());
    char *slash = strrchr(gen, '/');
    snprintf(slash ? slash + 1 : gen, sizeof gen - (size_t)(slash ? slash + 1 - gen : 0), "ziggurat_gen");
    snprintf(cmd, sizeof cmd, "%s > %s/zig.c && cmp %s/zig.c sim/core/ziggurat_tables.c 2>&1", gen, test_tmpdir(), test_tmpdir());
    char out[512];
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "sim/core/ziggurat_tables.c is not what %s writes (make zig-tables): %s", gen, out);
}

TEST(rng_keyed_streams_differ_and_repeat)
{
    uint64_t p = sim_rng_prefix(1, 2, 3);
    sim_rng a = sim_rng_keyed(p, 4, 5), b = sim_rng_keyed(p, 4, 6), c = sim_rng_keyed(p, 4, 5);
    double ua = sim_rng_uniform(&a), ub = sim_rng_uniform(&b), uc = sim_rng_uniform(&c);
    CHECK(ua == uc, "the same key gave %.17g then %.17g", ua, uc);
    CHECK(ua != ub, "two occurrences drew the same %.17g", ua);
    double s = 0;
    for (int i = 0; i < 100000; i++)
        s += sim_rng_uniform(&a);
    CHECK_NEAR(s / 100000, 0.5, 5 * sqrt(1.0 / 12 / 100000), "keyed uniform mean");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

TEST(stream_keys_use_all_64_bits)
{
    /* A million (seed, replication, stream) triples and a million keyed
     * entities: no two keys equal. Keys folded to 32 bits would collide
     * about n^2 / 2^33 = 116 times. */
    enum { N = 1000000 };
    uint64_t *k = test_malloc(N * sizeof *k);
    for (size_t i = 0; i < N; i++)
        k[i] = sim_rng_prefix(20260121 + i % 7, i / 7 % 1000, i / 7000);
    qsort(k, N, sizeof *k, cmp_u64);
    size_t dup = 0, high_dup = 0;
    for (size_t i = 1; i < N; i++)
        dup += k[i] == k[i - 1];
    for (size_t i = 0; i < N; i++)
        k[i] = sim_rng_keyed(sim_rng_prefix(1, 0, 4), i, 0).s;
    qsort(k, N, sizeof *k, cmp_u64);
    for (size_t i = 1; i < N; i++)
        dup += k[i] == k[i - 1];
    for (size_t i = 0; i < N; i++)
        k[i] >>= 32;
    qsort(k, N, sizeof *k, cmp_u64);
    for (size_t i = 1; i < N; i++)
        high_dup += k[i] == k[i - 1];
    CHECK(dup == 0, "%zu equal 64-bit keys among 2 x %d", dup, N);
    /* their top halves alone collide as often as 32-bit keys would */
    CHECK(high_dup > 50 && high_dup < 200, "%zu equal top halves among %d keys (expected ~116)", high_dup, N);
}
