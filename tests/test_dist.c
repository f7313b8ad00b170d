/* Distributions (sim/core/dist.h), each held to its law: the sample mean within
 * 5 standard errors of the closed form, the empirical CDF at the
 * closed-form p10/p50/p90 within 5 sqrt(p(1-p)/n) of p, and a
 * Kolmogorov-Smirnov test against the closed-form CDF (p-value > 1e-3).
 * The samplers beneath: tests/test_rng.c. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "sim/core/dist.h"
#include "sim/core/rng.h"
#include "test.h"

enum { N_SAMPLES = 200000 };

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
    double ks_d, p = test_ks_p(x, N_SAMPLES, dist_cdf, d, &ks_d);
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
