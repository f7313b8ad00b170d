/* Random streams and distributions, each held to its law:
 *   - every distribution: the sample mean within 5 standard errors of the
 *     closed form, the empirical CDF at the closed-form p10/p50/p90 within
 *     5 sqrt(p(1-p)/n) of p, and a Kolmogorov-Smirnov test against the
 *     closed-form CDF (p-value > 1e-3);
 *   - the ziggurat samplers: chi-square over 256 equal-probability bins of
 *     4 million draws (p-value > 1e-3) and the counts in the tails, which
 *     only the slow paths reach;
 *   - the gamma sampler for shapes below, at and above 1 (KS);
 *   - the ziggurat tables: the committed file is what the generator writes,
 *     and every layer has the area v;
 *   - stream keys: 64 bits (no collision among a million triples, where a
 *     32-bit key would give ~116), keyed streams repeat and differ. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "sim/dist.h"
#include "sim/rng.h"
#include "test.h"

enum { N_SAMPLES = 200000 };

/* The Kolmogorov-Smirnov p-value of sorted x against cdf (the asymptotic
 * law with Stephens' small-sample correction; Numerical Recipes 14.3). */
static double ks_p(const double *x, size_t n, double (*cdf)(const void *, double), const void *ctx, double *d_out)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(ctx, x[i]);
        double a = fabs(f - (double)i / (double)n), b = fabs((double)(i + 1) / (double)n - f);
        d = fmax(d, fmax(a, b));
    }
    *d_out = d;
    double sn = sqrt((double)n), lam = (sn + 0.12 + 0.11 / sn) * d, sum = 0, sign = 1;
    for (int j = 1; j <= 100; j++) {
        double term = sign * 2.0 * exp(-2.0 * j * j * lam * lam);
        sum += term;
        if (fabs(term) < 1e-12)
            break;
        sign = -sign;
    }
    return fmin(fmax(sum, 0.0), 1.0);
}

static double dist_cdf(const void *d, double x) { return sim_dist_cdf(d, x); }

static void check_dist(const char *what, const sim_dist *d, bool continuous)
{
    sim_rng r = sim_rng_stream(2026, 0, 1);
    double *x = test_malloc(N_SAMPLES * sizeof *x);
    for (int i = 0; i < N_SAMPLES; i++)
        x[i] = sim_dist_sample(d, &r);
    double mean = gsl_stats_mean(x, 1, N_SAMPLES);
    double sd = gsl_stats_sd_m(x, 1, N_SAMPLES, mean);
    double want = sim_dist_mean(d);
    double tol = 5.0 * sd / sqrt((double)N_SAMPLES) + 1e-12;
    char label[160];
    snprintf(label, sizeof label, "%s sample mean", what);
    CHECK_NEAR(mean, want, tol, label);
    if (!continuous)
        return;
    double ps[] = {0.1, 0.5, 0.9};
    for (int k = 0; k < 3; k++) {
        double q = sim_dist_quantile(d, ps[k]);
        int below = 0;
        for (int i = 0; i < N_SAMPLES; i++)
            below += x[i] <= q;
        double qtol = 5.0 * sqrt(ps[k] * (1 - ps[k]) / N_SAMPLES);
        snprintf(label, sizeof label, "%s: share of samples <= closed-form p%02.0f (%g)", what, ps[k] * 100, q);
        CHECK_NEAR((double)below / N_SAMPLES, ps[k], qtol, label);
    }
    gsl_sort(x, 1, N_SAMPLES);
    double ks_d, p = ks_p(x, N_SAMPLES, dist_cdf, d, &ks_d);
    CHECK(p > 1e-3, "%s: Kolmogorov-Smirnov D = %.3g over %d draws, p = %.3g", what, ks_d, N_SAMPLES, p);
}

static sim_dist mk(sim_dist_kind k, double a, double b, double c, double d)
{
    sim_dist x;
    memset(&x, 0, sizeof x);
    x.kind = k;
    x.p[0] = a;
    x.p[1] = b;
    x.p[2] = c;
    x.p[3] = d;
    return x;
}

TEST(dist_uniform) { sim_dist d = mk(SIM_DIST_UNIFORM, 10, 30, 0, 0); check_dist("uniform(10,30)", &d, true); }
TEST(dist_triangular) { sim_dist d = mk(SIM_DIST_TRIANGULAR, 100, 150, 300, 0); check_dist("triangular(100,150,300)", &d, true); }
TEST(dist_pert) { sim_dist d = mk(SIM_DIST_PERT, 840, 896, 1470, 4); check_dist("pert(840,896,1470)", &d, true); }
TEST(dist_pert_symmetric) { sim_dist d = mk(SIM_DIST_PERT, 0, 5, 10, 4); check_dist("pert(0,5,10)", &d, true); }
TEST(dist_pert_flat) { sim_dist d = mk(SIM_DIST_PERT, 0, 5, 10, 0); check_dist("pert(0,5,10,lambda=0) = uniform", &d, true); }
TEST(dist_normal) { sim_dist d = mk(SIM_DIST_NORMAL, 50, 7, 0, 0); check_dist("normal(50,7)", &d, true); }
TEST(dist_exponential) { sim_dist d = mk(SIM_DIST_EXPONENTIAL, 60, 0, 0, 0); check_dist("exponential(60)", &d, true); }
TEST(dist_weibull) { sim_dist d = mk(SIM_DIST_WEIBULL, 1.5, 100, 0, 0); check_dist("weibull(k=1.5, 100)", &d, true); }
TEST(dist_constant) { sim_dist d = sim_dist_constant(42); check_dist("const(42)", &d, false); }

TEST(dist_lognormal_p50_p90)
{
    sim_dist d = sim_dist_lognormal_p50_p90(365, 640);
    CHECK_NEAR(sim_dist_quantile(&d, 0.5), 365, 1e-9, "lognormal p50 from its parameters");
    CHECK_NEAR(sim_dist_quantile(&d, 0.9), 640, 1e-9, "lognormal p90 from its parameters");
    check_dist("lognormal(p50=365, p90=640)", &d, true);
}

TEST(dist_empirical)
{
    sim_dist d;
    memset(&d, 0, sizeof d);
    d.kind = SIM_DIST_EMPIRICAL;
    d.n_table = 3;
    d.values[0] = 10; d.values[1] = 20; d.values[2] = 50;
    d.cum_weights[0] = 0.2; d.cum_weights[1] = 0.7; d.cum_weights[2] = 1.0;
    CHECK_NEAR(sim_dist_mean(&d), 0.2 * 10 + 0.5 * 20 + 0.3 * 50, 1e-12, "empirical closed-form mean");
    check_dist("empirical", &d, false);
    sim_rng r = sim_rng_stream(5, 0, 0);
    int c20 = 0;
    for (int i = 0; i < N_SAMPLES; i++)
        c20 += sim_dist_sample(&d, &r) == 20;
    CHECK_NEAR((double)c20 / N_SAMPLES, 0.5, 5 * sqrt(0.25 / N_SAMPLES), "share of draws equal to 20");
}

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
        double d, p = ks_p(x, N_SAMPLES, gamma_cdf, &c, &d);
        CHECK(p > 1e-3, "gamma(%g): Kolmogorov-Smirnov D = %.3g, p = %.3g", c.a, d, p);
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
    snprintf(cmd, sizeof cmd, "%s > %s/zig.c && cmp %s/zig.c sim/ziggurat_tables.c 2>&1", gen, test_tmpdir(), test_tmpdir());
    char out[512];
    int rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "sim/ziggurat_tables.c is not what %s writes (make zig-tables): %s", gen, out);
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
