/*
 * bench: gigasim's benchmarks (not timed tests). Prints one "NAME VALUE" line
 * per figure so scripts can compare runs:
 *   engine_hold_events_per_s   hold model: 100,000 pending events; each event
 *                              schedules one more at now + Exp(1) drawn from the
 *                              engine's own RNG stream (Vaucher & Duval 1975);
 *                              median of 5 blocks of 4 million events
 *   scenario_1gw_seconds       one replication of scenarios/eu-gigafactory-1gw.cfg
 *                              (8-year horizon, serving windows included),
 *                              mean over 5 replications
 *   scenario_1gw_no_serving_seconds  the same with serving.enabled = false:
 *                              the buildout alone (the difference is the
 *                              serving model's cost)
 *   serving_requests_per_s     one M/M/64 pool at utilization 0.9, 10 million
 *                              requests (models/serving.h), one core
 *   scenario_1gw_events        events in that replication
 *   mc_1000_reps_2_threads_seconds   1,000 replications of the buildout (serving off) on
 *                              2 threads through the replication runner (the
 *                              run's own work; writing the files is apart)
 *   mc_speedup_1_to_2_threads  wall time of 200 replications on 1 thread over
 *                              the same on 2 threads, measured back to back
 * Run with `make bench`.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/serving.h"
#include "models/site.h"
#include "sim/cfg.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "sim/runner.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct hold_ctx {
    gsl_rng *r;
    int model;
} hold_ctx;

static void hold_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    hold_ctx *h = ctx;
    sim_schedule(e, sim_now(e) + gsl_ran_exponential(h->r, 1.0), h->model, kind, arg);
}

static int bench_hold(double *events_per_s)
{
    enum { PENDING = 100000 };
    const uint64_t warm = 2000000, block = 4000000;
    enum { BLOCKS = 5 };
    sim_err err;
    sim_engine_opts o = {1, 0, 0, 0};
    sim_engine *e = sim_engine_new(&o, &err);
    if (!e)
        return -1;
    hold_ctx h;
    h.r = sim_engine_rng(e, 1);
    h.model = sim_engine_add_model(e, "hold", hold_handler, &h, &err);
    for (int i = 0; i < PENDING; i++)
        sim_schedule(e, gsl_ran_exponential(h.r, 1.0), h.model, 0, 0);
    for (uint64_t i = 0; i < warm; i++)
        sim_step(e, 1e300, &err);
    /* The median of five timed blocks: one block on a shared machine varies
     * by tens of percent. */
    double rate[BLOCKS];
    for (int b = 0; b < BLOCKS; b++) {
        double t0 = now_s();
        for (uint64_t i = 0; i < block; i++)
            sim_step(e, 1e300, &err);
        rate[b] = (double)block / (now_s() - t0);
    }
    for (int i = 1; i < BLOCKS; i++) /* insertion sort */
        for (int j = i; j > 0 && rate[j] < rate[j - 1]; j--) {
            double x = rate[j];
            rate[j] = rate[j - 1];
            rate[j - 1] = x;
        }
    if (sim_events_pending(e) != PENDING) {
        fprintf(stderr, "bench: hold model lost events (%u pending)\n", sim_events_pending(e));
        sim_engine_free(e);
        return -1;
    }
    sim_engine_free(e);
    *events_per_s = rate[BLOCKS / 2];
    return 0;
}

/* Loads a scenario with one optional override; prints why it failed. */
static void *load_scenario(const char *path, const char *set, sim_cfg **cfg_out)
{
    sim_err err;
    sim_cfg *cfg = sim_cfg_load(path, &err);
    void *m = cfg && !(set && sim_cfg_set(cfg, set, &err)) ? site_app.load(cfg, &err) : NULL;
    if (!m) {
        fprintf(stderr, "bench: %s\n", err.msg);
        sim_cfg_free(cfg);
        return NULL;
    }
    *cfg_out = cfg;
    return m;
}

static int bench_scenario(const char *path, const char *set, double *seconds, double *events)
{
    sim_err err;
    sim_cfg *cfg;
    void *m = load_scenario(path, set, &cfg);
    if (!m)
        return -1;
    sim_layout lay;
    site_app.layout(m, &lay);
    double *metrics = calloc(lay.n_metrics, sizeof(double));
    double *series = calloc(lay.n_steps * lay.n_series, sizeof(double));
    int reps = 5, rc = 0;
    double t0 = now_s();
    for (int i = 0; i < reps && rc == 0; i++)
        rc = site_app.run(m, 20260121, (uint64_t)i, metrics, series, &err);
    double dt = now_s() - t0;
    if (rc)
        fprintf(stderr, "bench: %s\n", err.msg);
    *seconds = dt / reps;
    *events = metrics[M_EVENTS];
    free(metrics);
    free(series);
    site_app.free(m);
    sim_cfg_free(cfg);
    return rc;
}

static int bench_serving(double *requests_per_s)
{
    sim_err err;
    gsl_rng *r = sim_rng_new(1, 0, 8, &err);
    size_t c = 64, n = 10000000;
    double *work = malloc(c * sizeof *work);
    if (!r || !work) {
        gsl_rng_free(r);
        free(work);
        return -1;
    }
    sim_dist prompt = sim_dist_exponential(1000.0);
    serving_pool_params p = {c, 0.9 * 64, 1000.0, 0.0, &prompt, 0, n, false};
    serving_pool_stats st;
    double t0 = now_s();
    int rc = serving_pool_run(&p, r, NULL, work, &st);
    double dt = now_s() - t0;
    gsl_rng_free(r);
    free(work);
    *requests_per_s = (double)n / dt;
    if (rc == 0 && fabs(st.utilization - 0.9) > 0.01) {
        fprintf(stderr, "bench: serving pool utilization %g, not 0.9\n", st.utilization);
        return -1;
    }
    return rc;
}

static int bench_mc(const char *path, size_t reps, unsigned threads, double *seconds)
{
    sim_err err;
    sim_cfg *cfg;
    void *m = load_scenario(path, "serving.enabled=false", &cfg);
    if (!m)
        return -1;
    sim_layout lay;
    site_app.layout(m, &lay);
    sim_results res;
    double t0 = now_s();
    int rc = sim_run_replications(&site_app, m, &lay, 20260121, reps, threads, false, &res, &err);
    *seconds = now_s() - t0;
    if (rc)
        fprintf(stderr, "bench: %s\n", err.msg);
    else
        sim_results_free(&res);
    site_app.free(m);
    sim_cfg_free(cfg);
    return rc;
}

int main(void)
{
    double eps, sec, ev;
    if (bench_hold(&eps))
        return 1;
    printf("engine_hold_events_per_s %.0f\n", eps);
    fflush(stdout);
    if (bench_scenario("scenarios/eu-gigafactory-1gw.cfg", NULL, &sec, &ev))
        return 1;
    printf("scenario_1gw_seconds %.4f\n", sec);
    printf("scenario_1gw_events %.0f\n", ev);
    if (bench_scenario("scenarios/eu-gigafactory-1gw.cfg", "serving.enabled=false", &sec, &ev))
        return 1;
    printf("scenario_1gw_no_serving_seconds %.4f\n", sec);
    fflush(stdout);
    double rps;
    if (bench_serving(&rps))
        return 1;
    printf("serving_requests_per_s %.0f\n", rps);
    fflush(stdout);
    double t1, t2, t1000;
    if (bench_mc("scenarios/eu-gigafactory-1gw.cfg", 1000, 2, &t1000))
        return 1;
    printf("mc_1000_reps_2_threads_seconds %.2f\n", t1000);
    fflush(stdout);
    if (bench_mc("scenarios/eu-gigafactory-1gw.cfg", 200, 1, &t1) ||
        bench_mc("scenarios/eu-gigafactory-1gw.cfg", 200, 2, &t2))
        return 1;
    printf("mc_speedup_1_to_2_threads %.2f\n", t1 / t2);
    return 0;
}
