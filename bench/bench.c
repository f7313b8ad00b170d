/*
 * bench: gigasim's benchmarks (not timed tests). Prints one "NAME VALUE" line
 * per figure so scripts can compare runs:
 *   engine_hold_events_per_s   hold model: 100,000 pending events; each event
 *                              schedules one more at now + Exp(1) drawn from the
 *                              engine's own RNG stream (Vaucher & Duval 1975);
 *                              median of 5 blocks of about 4 million events
 *                              (40 units of simulated time) run by sim_run
 *   binary_heap_hold_events_per_s  the same hold model on a plain binary-heap
 *                              engine (the yardstick), blocks alternating
 *   engine_vs_binary_heap      median of the 5 paired ratios of the two (one
 *                              run, so the machine's load cancels out)
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
 * Run with `make bench`; `build/bench mc` prints only the two Monte Carlo
 * lines (to compare two builds back to back).
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

/* The yardstick: a plain binary-heap engine (events by value in one heap,
 * ordered by time then insertion, a handler called through a pointer) on
 * the same hold model and the same kind of RNG stream, timed in the same run
 * so that the ratio does not depend on how busy the machine is. */
typedef struct bh_event {
    double t;
    uint64_t seq, arg;
    uint32_t kind;
    int model;
} bh_event;

typedef struct bh_engine {
    bh_event *h;
    size_t n, cap;
    uint64_t seq, executed;
    double now;
    gsl_rng *r;
    void (*fn)(struct bh_engine *, uint32_t, uint64_t);
} bh_engine;

static inline int bh_less(const bh_event *a, const bh_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void bh_schedule(bh_engine *b, double t, uint32_t kind, uint64_t arg)
{
    size_t i = b->n++;
    bh_event ev = {t, b->seq++, arg, kind, 0};
    while (i > 0 && bh_less(&ev, &b->h[(i - 1) / 2])) {
        b->h[i] = b->h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    b->h[i] = ev;
}

static void bh_run(bh_engine *b, double t_stop)
{
    while (b->n > 0 && b->h[0].t <= t_stop) {
        bh_event top = b->h[0], last = b->h[--b->n];
        size_t i = 0;
        for (;;) {
            size_t c = 2 * i + 1;
            if (c >= b->n)
                break;
            if (c + 1 < b->n && bh_less(&b->h[c + 1], &b->h[c]))
                c++;
            if (!bh_less(&b->h[c], &last))
                break;
            b->h[i] = b->h[c];
            i = c;
        }
        b->h[i] = last;
        b->now = top.t;
        b->executed++;
        b->fn(b, top.kind, top.arg);
    }
}

static void bh_hold_handler(bh_engine *b, uint32_t kind, uint64_t arg)
{
    bh_schedule(b, b->now + gsl_ran_exponential(b->r, 1.0), kind, arg);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Hold model, 100,000 pending; each event schedules one more at now +
 * Exp(1), so 100,000 events per unit of simulated time. Five blocks of 40
 * units (about 4 million events) alternate between gigasim's engine (its
 * normal loop, sim_run) and the binary heap; medians of the rates and of the
 * five paired ratios. */
static int bench_hold(double *events_per_s, double *heap_events_per_s, double *ratio)
{
    enum { PENDING = 100000, BLOCKS = 5 };
    const double warm_time = 20.0, block_time = 40.0;
    sim_err err;
    sim_engine_opts o = {1, 0, 0, 0};
    sim_engine *e = sim_engine_new(&o, &err);
    bh_engine b = {malloc((PENDING + 1) * sizeof(bh_event)), 0, PENDING + 1, 0, 0, 0.0,
                   sim_rng_new(1, 0, 2, &err), bh_hold_handler};
    if (!e || !b.h || !b.r) {
        sim_engine_free(e);
        free(b.h);
        gsl_rng_free(b.r);
        return -1;
    }
    hold_ctx h;
    h.r = sim_engine_rng(e, 1);
    h.model = sim_engine_add_model(e, "hold", hold_handler, &h, &err);
    for (int i = 0; i < PENDING; i++) {
        sim_schedule(e, gsl_ran_exponential(h.r, 1.0), h.model, 0, 0);
        bh_schedule(&b, gsl_ran_exponential(b.r, 1.0), 0, 0);
    }
    int rc = sim_run(e, warm_time, &err);
    bh_run(&b, warm_time);
    double rate[BLOCKS], heap_rate[BLOCKS], ratios[BLOCKS];
    for (int k = 0; k < BLOCKS && rc == 0; k++) {
        uint64_t n0 = sim_events_executed(e);
        double t0 = now_s();
        rc = sim_run(e, sim_now(e) + block_time, &err);
        rate[k] = (double)(sim_events_executed(e) - n0) / (now_s() - t0);
        n0 = b.executed;
        t0 = now_s();
        bh_run(&b, b.now + block_time);
        heap_rate[k] = (double)(b.executed - n0) / (now_s() - t0);
        ratios[k] = rate[k] / heap_rate[k];
    }
    if (rc == 0 && (sim_events_pending(e) != PENDING || b.n != PENDING)) {
        snprintf(err.msg, sizeof err.msg, "hold model lost events (%u and %zu pending)",
                 sim_events_pending(e), b.n);
        rc = -1;
    }
    sim_engine_free(e);
    free(b.h);
    gsl_rng_free(b.r);
    if (rc) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return -1;
    }
    qsort(rate, BLOCKS, sizeof *rate, cmp_double);
    qsort(heap_rate, BLOCKS, sizeof *heap_rate, cmp_double);
    qsort(ratios, BLOCKS, sizeof *ratios, cmp_double);
    *events_per_s = rate[BLOCKS / 2];
    *heap_events_per_s = heap_rate[BLOCKS / 2];
    *ratio = ratios[BLOCKS / 2];
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

static int bench_mc_lines(void)
{
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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "mc") == 0)
        return bench_mc_lines();
    if (argc > 1) {
        fprintf(stderr, "usage: bench [mc]\n");
        return 2;
    }
    double eps, heap_eps, ratio, sec, ev;
    if (bench_hold(&eps, &heap_eps, &ratio))
        return 1;
    printf("engine_hold_events_per_s %.0f\n", eps);
    printf("binary_heap_hold_events_per_s %.0f\n", heap_eps);
    printf("engine_vs_binary_heap %.2f\n", ratio);
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
    return bench_mc_lines();
}
