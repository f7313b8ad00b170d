/* The serving model against queueing theory: Erlang C (M/M/c), Little's law,
 * Pollaczek-Khinchine (M/D/1), and the pooled method against a full
 * simulation of every pool with random routing. Tolerances are stated per
 * check; each failure prints both values. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/energy/meter.h"
#include "models/serving/serving.h"
#include "models/site/site.h"
#include "sim/rng.h"
#include "test.h"

/* Erlang C: probability that an arrival waits in M/M/c with offered load a. */
static double erlang_c(int c, double a)
{
    double b = 1.0; /* Erlang B by the stable recursion */
    for (int k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    return (double)c * b / ((double)c - a * (1.0 - b));
}

/* Mean and standard error over `reps` independent runs of one pool. */
static int pool_reps(size_t c, double lambda, const sim_dist *prompt, int reps, size_t n, double *pw, double *pw_se,
                     double *wq, double *wq_se, double *util)
{
    double *work = malloc((c + 2 * n) * sizeof *work);
    double v_pw[32], v_wq[32], v_u[32];
    if (!work || reps > 32)
        return -1;
    for (int k = 0; k < reps; k++) {
        sim_rng rs_ = sim_rng_stream(42, (uint64_t)k, 8), *r = &rs_;
        serving_pool_params p = {c, lambda, 1000.0, 0.0, prompt, n / 10, n, false};
        serving_pool_stats st;
        int rc = r ? serving_pool_run(&p, r, NULL, work, &st) : -1;
        if (rc) {
            free(work);
            return -1;
        }
        v_pw[k] = st.p_wait;
        v_wq[k] = st.mean_wait_s;
        v_u[k] = st.utilization;
    }
    free(work);
    *pw = gsl_stats_mean(v_pw, 1, (size_t)reps);
    *pw_se = gsl_stats_sd(v_pw, 1, (size_t)reps) / sqrt(reps);
    *wq = gsl_stats_mean(v_wq, 1, (size_t)reps);
    *wq_se = gsl_stats_sd(v_wq, 1, (size_t)reps) / sqrt(reps);
    *util = gsl_stats_mean(v_u, 1, (size_t)reps);
    return 0;
}

TEST(serving_mmc_matches_erlang_c)
{
    /* Exponential prompts of mean 1,000 tokens at 1,000 tokens/s: S ~ Exp(1 s).
     * Each case: 10 runs of 200,000 requests after a 20,000-request warm-up;
     * the simulated P(wait) and mean wait must lie within 4 standard errors
     * of the runs' mean (plus 1 % for the warm-up's residual bias). */
    static const struct {
        int c;
        double rho;
    } cases[] = {{1, 0.5}, {4, 0.8}, {16, 0.9}, {64, 0.95}};
    sim_dist prompt = sim_dist_exponential(1000.0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int c = cases[i].c;
        double lambda = cases[i].rho * c, a = lambda; /* mu = 1 */
        double pw, pw_se, wq, wq_se, util;
        CHECK(pool_reps((size_t)c, lambda, &prompt, 10, 200000, &pw, &pw_se, &wq, &wq_se, &util) == 0, "pool run failed");
        double want_pw = erlang_c(c, a), want_wq = want_pw / ((double)c - a);
        fprintf(stderr, "  M/M/%d rho %.2f: P(wait) %.4f +- %.4f (Erlang C %.4f), Wq %.4f +- %.4f s (%.4f), util %.4f\n",
                c, cases[i].rho, pw, pw_se, want_pw, wq, wq_se, want_wq, util);
        CHECK_NEAR(pw, want_pw, 4 * pw_se + 0.01 * want_pw, "P(wait) vs Erlang C");
        CHECK_NEAR(wq, want_wq, 4 * wq_se + 0.01 * want_wq, "mean wait vs Erlang C / (c mu - lambda)");
        CHECK_NEAR(util, cases[i].rho, 0.01, "utilization vs lambda / (c mu)");
    }
}

TEST(serving_littles_law_from_the_counts)
{
    /* L from the sweep of arrival and departure instants against
     * lambda x W from the request times: within 1 %. */
    sim_dist prompt = sim_dist_exponential(1000.0);
    size_t c = 8, n = 300000;
    double *work = malloc((c + 2 * n) * sizeof *work);
    sim_rng rs_ = sim_rng_stream(7, 0, 8), *r = &rs_;
    CHECK(work && r, "out of memory");
    serving_pool_params p = {c, 7.2, 1000.0, 0.0, &prompt, 30000, n, true};
    serving_pool_stats st;
    int rc = serving_pool_run(&p, r, NULL, work, &st);
    free(work);
    CHECK(rc == 0, "pool run failed");
    double lw = st.lambda_observed_per_s * st.mean_ttft_s;
    fprintf(stderr, "  Little: L %.4f, lambda W %.4f\n", st.time_avg_in_system, lw);
    CHECK_NEAR(st.time_avg_in_system, lw, 0.01 * lw, "L vs lambda x W");
}

TEST(serving_md1_matches_pollaczek_khinchine)
{
    /* Constant 1,000-token prompts: S = 1 s exactly. rho = 0.7:
     * Wq = rho S / (2 (1 - rho)) = 1.1667 s. 10 runs of 200,000. */
    sim_dist prompt = sim_dist_constant(1000.0);
    double pw, pw_se, wq, wq_se, util;
    CHECK(pool_reps(1, 0.7, &prompt, 10, 200000, &pw, &pw_se, &wq, &wq_se, &util) == 0, "pool run failed");
    double want = 0.7 / (2 * 0.3);
    fprintf(stderr, "  M/D/1 rho 0.7: Wq %.4f +- %.4f s (P-K %.4f), P(wait) %.4f (rho %.2f)\n", wq, wq_se, want, pw, 0.7);
    CHECK_NEAR(wq, want, 4 * wq_se + 0.01 * want, "mean wait vs Pollaczek-Khinchine");
    CHECK_NEAR(pw, 0.7, 4 * pw_se + 0.005, "P(wait) = rho for one server");
}

/* The full simulation: every pool of a site of `replicas` replicas (pools
 * of q and q + 1 as the method splits them), each arrival routed at random in
 * proportion to pool size; returns all TTFTs (s), sorted. */
static double *full_site(size_t replicas, size_t pool_max, double lambda, const sim_dist *prompt, size_t n_total,
                         size_t *n_out)
{
    size_t k = (replicas + pool_max - 1) / pool_max, q = replicas / k, big = replicas - k * q;
    double **free_at = calloc(k, sizeof *free_at);
    double *ttft = malloc(n_total * sizeof *ttft);
    sim_rng rs_ = sim_rng_stream(99, 0, 8), *r = &rs_;
    if (!free_at || !ttft || !r)
        return NULL;
    for (size_t j = 0; j < k; j++)
        free_at[j] = calloc(q + 1, sizeof(double));
    double t = 0;
    size_t warm = n_total / 10, m = 0;
    for (size_t i = 0; i < n_total; i++) {
        t += sim_rng_exponential(r) / lambda;
        /* route: pool j with probability size_j / replicas */
        double u = sim_rng_uniform(r) * (double)replicas, acc = 0;
        size_t j = 0;
        for (; j + 1 < k; j++) {
            acc += (double)(j < big ? q + 1 : q);
            if (u < acc)
                break;
        }
        size_t cj = j < big ? q + 1 : q;
        double s = sim_dist_sample(prompt, r) / 1000.0;
        /* earliest-free server of pool j (linear scan: a reference, not fast) */
        size_t best = 0;
        for (size_t x = 1; x < cj; x++)
            if (free_at[j][x] < free_at[j][best])
                best = x;
        double start = free_at[j][best] > t ? free_at[j][best] : t;
        free_at[j][best] = start + s;
        if (i >= warm)
            ttft[m++] = start - t + s;
    }
    for (size_t j = 0; j < k; j++)
        free(free_at[j]);
    free(free_at);
    gsl_sort(ttft, 1, m);
    *n_out = m;
    return ttft;
}

TEST(serving_pooled_method_matches_the_full_simulation)
{
    /* 130 replicas, pools of at most 64: three pools of 43, 43 and 44. Demand
     * at utilization 0.9. The method simulates one pool of each size; the
     * full simulation routes 1.5 million requests over all three. P50 and P99
     * of TTFT and the share within 2 s must agree within 3 % (sampling
     * error of the two independent estimates is about 1 %). */
    serving_config c;
    memset(&c, 0, sizeof c);
    c.gpus_per_replica = 1;
    c.gpu_share = 1;
    c.prefill_tokens_per_s = 1000;
    c.prompt_tokens = sim_dist_exponential(1000.0);
    c.growth_midpoint_day = -1e4; /* fully grown */
    c.growth_ramp_days = 1;
    c.peak_requests_per_s = 0.9 * 130;
    c.window_minutes = 1e9; /* let the request cap decide */
    c.warmup_minutes = 60;
    c.pool_max_replicas = 64;
    c.max_requests_per_window = 400000;
    c.ttft_target_ms = 2000;
    serving_work w;
    sim_err err;
    CHECK(serving_work_init(&w, &c, &err) == 0, "%s", err.msg);
    sim_rng rs_ = sim_rng_stream(5, 0, 8), *r = &rs_;
    serving_window win;
    serving_window_eval(&c, 100.0, 130, r, &w, &win);
    serving_work_free(&w);
    size_t n;
    double *full = full_site(130, 64, 0.9 * 130, &c.prompt_tokens, 1500000, &n);
    CHECK(full, "out of memory");
    double p50 = 1000 * full[(size_t)(0.5 * (double)(n - 1))], p99 = 1000 * full[(size_t)(0.99 * (double)(n - 1))];
    size_t met = 0;
    while (met < n && full[met] <= 2.0)
        met++;
    double share = (double)met / (double)n;
    free(full);
    fprintf(stderr, "  pooled: P50 %.1f ms, P99 %.1f ms, within 2 s %.4f; full: %.1f, %.1f, %.4f\n", win.ttft_p50_ms,
            win.ttft_p99_ms, win.share_within_target, p50, p99, share);
    CHECK_NEAR(win.replicas, 130, 0, "replicas");
    CHECK_NEAR(win.ttft_p50_ms, p50, 0.03 * p50, "P50 TTFT: pooled vs full (ms)");
    CHECK_NEAR(win.ttft_p99_ms, p99, 0.03 * p99, "P99 TTFT: pooled vs full (ms)");
    CHECK_NEAR(win.share_within_target, share, 0.01, "share within the target");
    CHECK_NEAR(win.utilization, 0.9, 1e-9, "utilization lambda E[S] / R");
}

TEST(serving_on_the_small_site_by_hand)
{
    /* small_base: 10 racks of 8 GPUs, all in service from day 313. One
     * replica per rack (8 GPUs), constant 100-token prompts at 1,000 tokens/s
     * plus 50 ms: S = 0.15 s. Demand fully grown at 40 requests/s: utilization
     * 40 x 0.15 / 10 = 0.6 on day 350; before first token (303) no replica,
     * so no TTFT and the demand counts as without capacity. TTFT >= S. */
    const char *sets[] = {"serving.gpus_per_replica=8", "serving.prefill_tokens_per_s=1000",
                          "serving.overhead_ms=50", "serving.prompt_tokens=100", "serving.ttft_target_ms=2000",
                          "serving.demand.peak_requests_per_s=40", "serving.demand.growth_midpoint_day=-1000",
                          "serving.demand.growth_ramp_days=10", "serving.sample_every_days=1",
                          "serving.window_hour=12", "serving.output_tokens=100", "serving.decode_tokens_per_s=50",
                          NULL};
    site_run r;
    sim_err err;
    CHECK(site_run_small(sets, &r, &err) == 0, "%s", err.msg);
    double u350 = site_series(&r, 350, SERIES_UTILIZATION), rps = site_series(&r, 350, SERIES_REQUESTS_PER_S);
    double p50 = site_series(&r, 350, SERIES_TTFT_P50_MS), p99 = site_series(&r, 350, SERIES_TTFT_P99_MS);
    double early = site_series(&r, 200, SERIES_TTFT_P50_MS), share = r.mt[M_SERVING_SHARE_WITHIN_TARGET];
    double unserved = r.mt[M_SERVING_UNSERVED_REQUESTS], served = r.mt[M_SERVING_REQUESTS];
    double completion = r.mt[M_SERVING_COMPLETION_P50_MS], ttft50 = r.mt[M_SERVING_TTFT_P50_MS];
    double tpot = r.mt[M_SERVING_TPOT_MS];
    site_run_free(&r);
    /* 100 output tokens at 50 tokens/s: every completion is its TTFT + 2 s. */
    CHECK_NEAR(completion - ttft50, 2000, 1e-6, "completion P50 - TTFT P50 (ms)");
    CHECK_NEAR(tpot, 20, 1e-12, "time per output token (ms)");
    CHECK_NEAR(rps, 40, 1e-6, "demand at day 350 (req/s)");
    CHECK_NEAR(u350, 0.6, 1e-9, "utilization 40 x 0.15 s / 10 replicas");
    CHECK(p50 >= 150 - 1e-9 && p99 >= p50, "TTFT P50 %g / P99 %g ms below the 150 ms service time", p50, p99);
    CHECK(isnan(early), "TTFT on day 200, before any rack serves: got %g", early);
    /* Days 0-302 (303 windows) have no replica, days 303-399 do; each window
     * stands for one day of requests at 40/s. */
    CHECK_NEAR(unserved, 303 * 40 * 86400.0, 97 * 40 * 86400.0 * 0.05, "requests without capacity");
    /* Days 303-309 have 1 to 5 replicas for a load of 6: overloaded windows
     * (about 7 of 97 days) miss the target; the rest meet it. */
    CHECK(served > 0 && share > 0.85 && share < 0.99, "share within 2 s %g (served %g)", share, served);
}

TEST(serving_demand_growth_and_daily_profile)
{
    /* lambda = peak x logistic growth x diurnal: half the peak at the
     * growth midpoint, 90 % of it half a ramp later (10 %-90 % rise over
     * growth_ramp_days), and 1 - amplitude at the trough, 12 h from the peak. */
    serving_config c;
    memset(&c, 0, sizeof c);
    c.peak_requests_per_s = 1000;
    c.growth_midpoint_day = 100;
    c.growth_ramp_days = 40;
    c.diurnal_amplitude = 0.6;
    c.peak_hour = 14;
    c.growth_midpoint_day = -1e6; /* fully grown */
    CHECK_NEAR(serving_demand_rps(&c, 500 + 14.0 / 24.0), 1000, 1e-9, "fully grown, at the peak hour");
    CHECK_NEAR(serving_demand_rps(&c, 500 + 2.0 / 24.0), 400, 1e-9, "fully grown, at the trough (1 - 0.6)");
    CHECK_NEAR(serving_demand_rps(&c, 500 + 20.0 / 24.0), 700, 1e-9, "fully grown, 6 h after the peak");
    c.growth_midpoint_day = 100;
    c.diurnal_amplitude = 0;
    CHECK_NEAR(serving_demand_rps(&c, 100), 500, 1e-9, "half the peak at the growth midpoint");
    CHECK_NEAR(serving_demand_rps(&c, 120), 900, 1e-9, "90 % of the peak half a ramp after the midpoint");
    CHECK_NEAR(serving_demand_rps(&c, 80), 100, 1e-9, "10 % of the peak half a ramp before it");
}
