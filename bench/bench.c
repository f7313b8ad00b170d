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
 *   engine_renewal_events_per_s, binary_heap_renewal_events_per_s,
 *   engine_vs_binary_heap_renewal   the same three on the renewal workload:
 *                              the steady state of that buildout, read from
 *                              its scenario (every hardware unit of its
 *                              racks on a clock of its own: Exp lives at its
 *                              type's hw_failures_per_gpu_day, repair_days
 *                              repairs); blocks of ~4.5 million events
 *   entityq_renewal_changes_per_s, entityq_vs_binary_heap_renewal
 *                              the renewal workload in an entity queue
 *                              (sim/core/entityq.h) drained by the
 *                              engine's sync (no engine event per change),
 *                              in the same alternation
 *   scenario_1gw_seconds       one replication of scenarios/eu-gigafactory-1gw.cfg
 *                              (8-year horizon, serving windows included),
 *                              mean over 5 replications
 *   scenario_1gw_no_serving_seconds  the same with serving.enabled = false:
 *                              the buildout alone (the difference is the
 *                              serving model's cost)
 *   serving_requests_per_s     one M/M/64 pool at utilization 0.9, 10 million
 *                              requests (models/serving/serving.h), one core
 *   scenario_1gw_events        events in that replication
 *   mc_1000_reps_2_threads_seconds   1,000 replications of the buildout (serving off) on
 *                              2 threads through the replication runner (the
 *                              run's own work; writing the files is apart)
 *   mc_speedup_1_to_2_threads  wall time of 200 replications on 1 thread over
 *                              the same on 2 threads, measured back to back
 *   mc_1000_reps_serving_on_seconds, serving_cost_ratio
 *                              the same 1,000 replications with serving on
 *                              (its TTFT law tabulated in the run), and the
 *                              ratio to serving off (same run)
 *   whole_job_seconds          the job a user waits for: `gigasim run` of the
 *                              1 GW EU scenario, 1,000 replications, every
 *                              model on (serving included), 2 threads, files
 *                              written (wall seconds)
 * Run with `make bench`; `build/bench mc` prints only the two Monte Carlo
 * lines, `build/bench renewal` only the renewal lines, and
 * `build/bench job BASELINE` the whole job of this build against another
 * binary in three alternating pairs (whole_job_ratio_to_baseline: the
 * median ratio, this build / baseline); with BENCH_ENERGY_ALL_ON set, each
 * round also runs this build with every energy source and rule on
 * (ENERGY_ALL_ON), and whole_job_energy_all_on_ratio_to_baseline compares
 * it with the baseline's plain job (make bench-pair BASE=... passes it on).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/buildout/racks.h"
#include "models/serving/serving.h"
#include "models/site/site.h"
#include "sim/config/cfg.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "sim/core/entityq.h"
#include "sim/core/rng.h"
#include "sim/study/runner.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The two workloads both engines are timed on. Hold: each event schedules
 * one more at now + Exp(1). Renewal: the steady state of the 1 GW buildout,
 * read from its scenario (renewal_load): every rack that can fail alternates
 * between service, Exp(mtbf_days) of its type, and repair, its type's
 * mttr_days; an event of kind 0 (a failure) schedules kind 1 (its repair)
 * and the other way round. */
typedef struct workload {
    const char *name;
    size_t pending;                          /* hold: events; renewal: racks that fail */
    double warm_time, block_time;            /* simulated time: days for renewal */
    uint8_t *type;                           /* renewal: each rack's type; NULL: hold */
    double mtbf_days[RACKS_MAX_TYPES];
    sim_dist mttr_days[RACKS_MAX_TYPES];
    double changes_per_day; /* renewal: what the entity queue's bins are sized for (2 / mtbf a unit) */
} workload;

/* The delay to an event's successor, and the successor's kind. */
static double workload_next(const workload *w, sim_rng *r, uint32_t kind, uint64_t arg, uint32_t *next_kind)
{
    if (!w->type) {
        *next_kind = kind;
        return sim_rng_exponential(r);
    }
    uint8_t t = w->type[arg];
    *next_kind = kind ^ 1u;
    if (kind == 1)
        return w->mtbf_days[t] * sim_rng_exponential(r);
    double d = sim_dist_sample(&w->mttr_days[t], r);
    return d > 0 ? d : 0;
}

static void *load_scenario(const char *path, const char *set, sim_cfg **cfg_out);

/* The renewal workload of a scenario, as the site loads it (site_racks):
 * every hardware unit of its ordered racks (hw_unit_gpus GPUs) on a clock
 * of its own, Exp(1 / (hw_failures_per_gpu_day x hw_unit_gpus)) lives and
 * its type's repair_days (types that never fail are left out): what one
 * clock per unit would cost the engine (the racks model draws the fleet's
 * failures as one Poisson process instead, models/buildout/fleet.h), in
 * blocks of about 4.5 million events at the long-run event rate sum of
 * 2 / (mtbf + mean repair) over the units. */
static int renewal_load(const char *path, workload *w)
{
    memset(w, 0, sizeof *w);
    w->name = "renewal";
    sim_cfg *cfg;
    void *m = load_scenario(path, NULL, &cfg);
    if (!m)
        return -1;
    const racks_config *rc = site_racks(m);
    size_t n = 0;
    double per_day = 0;
    for (size_t t = 0; t < rc->n_types; t++) {
        double unit_rate = rc->types[t].hw_failures_per_gpu_day * (double)rc->types[t].hw_unit_gpus;
        w->mtbf_days[t] = unit_rate > 0 ? 1.0 / unit_rate : 0.0;
        w->mttr_days[t] = rc->types[t].repair_days;
    }
    for (size_t o = 0; o < rc->n_orders; o++) {
        size_t t = rc->orders[o].type;
        if (!(w->mtbf_days[t] > 0))
            continue; /* this type never fails */
        long long units = rc->orders[o].count * (rc->types[t].gpus / rc->types[t].hw_unit_gpus);
        n += (size_t)units;
        per_day += 2.0 * (double)units / (w->mtbf_days[t] + sim_dist_mean(&w->mttr_days[t]));
        w->changes_per_day += 2.0 * (double)units / w->mtbf_days[t];
    }
    w->type = n ? malloc(n) : NULL;
    for (size_t o = 0, k = 0; w->type && o < rc->n_orders; o++) {
        size_t t = rc->orders[o].type;
        if (w->mtbf_days[t] > 0)
            for (long long j = 0; j < rc->orders[o].count * (rc->types[t].gpus / rc->types[t].hw_unit_gpus); j++)
                w->type[k++] = (uint8_t)t;
    }
    site_app.free(m);
    sim_cfg_free(cfg);
    if (!w->type) {
        fprintf(stderr, "bench: %s\n", n ? "out of memory" : "no rack of the scenario can fail (every hw_failures_per_gpu_day is 0)");
        return -1;
    }
    w->pending = n;
    w->block_time = 4.5e6 / per_day;
    w->warm_time = w->block_time / 10.0;
    return 0;
}

typedef struct hold_ctx {
    sim_rng *r;
    int model;
    const workload *w;
} hold_ctx;

static void hold_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    hold_ctx *h = ctx;
    uint32_t next_kind;
    double d = workload_next(h->w, h->r, kind, arg, &next_kind);
    sim_schedule(e, sim_now(e) + d, h->model, next_kind, arg);
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
    sim_rng r;
    const workload *w;
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
        uint32_t next_kind;
        double d = workload_next(b->w, &b->r, top.kind, top.arg, &next_kind);
        bh_schedule(b, b->now + d, next_kind, top.arg);
    }
}

/* The renewal workload with no engine event per
 * change, every unit's next failure or repair in an entity queue
 * (sim/core/entityq.h) drained by the engine's sync. */
typedef struct eq_renewal {
    sim_entityq q;
    uint8_t *kind; /* per rack: 1 in service (its next change is a failure), 0 in repair */
    sim_rng r;
    const workload *w;
} eq_renewal;

static void eq_sync(sim_engine *e, void *ctx, double t)
{
    eq_renewal *x = ctx;
    uint64_t left = sim_engine_charge(e, 0), n = 0;
    while (x->q.due <= t && x->q.due < INFINITY && n < left) {
        double now = x->q.due;
        uint32_t r = sim_entityq_top(&x->q);
        uint32_t next_kind;
        double d = workload_next(x->w, &x->r, x->kind[r], r, &next_kind);
        x->kind[r] = (uint8_t)next_kind;
        sim_entityq_replace_top(&x->q, now + d);
        n++;
    }
    sim_engine_charge(e, n);
}

/* One workload on both engines: its pending events to start (hold: at
 * Exp(1); renewal: every rack's first failure), a warm-up, then five blocks
 * alternating between gigasim's engine (its normal loop, sim_run) and the
 * binary heap, and for renewal the entity queue (eq_renewal); medians of
 * the rates and of the five paired ratios to the heap. Hold: 100,000
 * pending, blocks of 40 units (about 4 million events). */
/* Entity i's first event in each engine: the engine's, the binary heap's and the entity queue's (x: NULL
 * for a workload with no renewal). */
static void seed_entity(const workload *w, size_t i, sim_engine *e, hold_ctx *h, bh_engine *b, eq_renewal *x)
{
    uint32_t kind = 1; /* renewal: start in service, so the first event is a failure */
    double d = workload_next(w, h->r, kind, i, &kind);
    sim_schedule(e, d, h->model, kind, i);
    kind = 1;
    d = workload_next(w, &b->r, kind, i, &kind);
    bh_schedule(b, d, kind, i);
    if (x) {
        kind = 1;
        d = workload_next(w, &x->r, kind, i, &kind);
        x->kind[i] = (uint8_t)kind;
        sim_entityq_add(&x->q, (uint32_t)i, d);
    }
}

/* The median of n values (sorted in place). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, sim_cmp_double);
    return v[n / 2];
}

static int bench_pair(const workload *w, double *events_per_s, double *heap_events_per_s, double *ratio,
                      double *eq_events_per_s, double *eq_ratio)
{
    enum { BLOCKS = 5 };
    size_t pending = w->pending;
    double warm_time = w->warm_time, block_time = w->block_time;
    sim_err err;
    sim_engine_opts o = {1, 0, 0, 0};
    sim_engine *e = sim_engine_new(&o, &err);
    bh_engine b = {malloc((pending + 1) * sizeof(bh_event)), 0, pending + 1, 0, 0, 0.0, sim_rng_stream(1, 0, 2), w};
    if (!e || !b.h) {
        sim_engine_free(e);
        free(b.h);
        return -1;
    }
    /* The entity queue's engine runs no events, only its sync. */
    bool renewal = w->type != NULL;
    sim_engine *qe = renewal ? sim_engine_new(&o, &err) : NULL;
    eq_renewal x = {.kind = renewal ? malloc(pending) : NULL, .r = sim_rng_stream(1, 0, 3), .w = w};
    double horizon = warm_time + 6.0 * block_time, changes_per_day = w->changes_per_day;
    if (renewal && (!qe || !x.kind ||
                    sim_entityq_init(&x.q, (uint32_t)pending, horizon, changes_per_day, &err) ||
                    sim_engine_add_sync(qe, eq_sync, &x, &x.q.due, &err))) {
        fprintf(stderr, "bench: %s\n", err.msg);
        sim_engine_free(qe);
        free(x.kind);
        sim_engine_free(e);
        free(b.h);
        return -1;
    }
    hold_ctx h;
    h.r = sim_engine_rng(e, 1);
    h.w = w;
    h.model = sim_engine_add_model(e, "hold", hold_handler, &h, &err);
    for (size_t i = 0; i < pending; i++)
        seed_entity(w, i, e, &h, &b, renewal ? &x : NULL);
    int rc = sim_run(e, warm_time, &err);
    bh_run(&b, warm_time);
    if (rc == 0 && renewal)
        rc = sim_run(qe, warm_time, &err);
    double rate[BLOCKS], heap_rate[BLOCKS], ratios[BLOCKS], eq_rate[BLOCKS], eq_ratios[BLOCKS];
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
        if (renewal && rc == 0) {
            n0 = sim_events_executed(qe);
            t0 = now_s();
            rc = sim_run(qe, sim_now(qe) + block_time, &err);
            eq_rate[k] = (double)(sim_events_executed(qe) - n0) / (now_s() - t0);
            eq_ratios[k] = eq_rate[k] / heap_rate[k];
        }
    }
    if (rc == 0 && (sim_events_pending(e) != pending || b.n != pending)) {
        snprintf(err.msg, sizeof err.msg, "the %s workload lost events (%u and %zu pending, %zu wanted)", w->name,
                 sim_events_pending(e), b.n, pending);
        rc = -1;
    }
    sim_engine_free(e);
    free(b.h);
    sim_engine_free(qe);
    if (renewal)
        sim_entityq_free(&x.q);
    free(x.kind);
    if (rc) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return -1;
    }
    *events_per_s = median(rate, BLOCKS);
    *heap_events_per_s = median(heap_rate, BLOCKS);
    *ratio = median(ratios, BLOCKS);
    if (renewal) {
        *eq_events_per_s = median(eq_rate, BLOCKS);
        *eq_ratio = median(eq_ratios, BLOCKS);
    }
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
        rc = site_app.run(m, 20260121, (uint64_t)i, metrics, series, NULL, &err);
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
    sim_rng r = sim_rng_stream(1, 0, 8);
    size_t c = 64, n = 10000000;
    double *work = malloc(c * sizeof *work);
    if (!work) {
        return -1;
    }
    sim_dist prompt = sim_dist_exponential(1000.0);
    serving_pool_params p = {.servers = c, .lambda_per_s = 0.9 * 64, .prefill_tokens_per_s = 1000.0, .overhead_s = 0.0, .prompt_tokens = &prompt, .n_warmup = 0, .n_requests = n, .time_average = false, .max_wait_s = INFINITY};
    serving_pool_stats st;
    double t0 = now_s();
    int rc = serving_pool_run(&p, &r, NULL, work, &st);
    double dt = now_s() - t0;
    free(work);
    *requests_per_s = (double)n / dt;
    if (rc == 0 && fabs(st.utilization - 0.9) > 0.01) {
        fprintf(stderr, "bench: serving pool utilization %g, not 0.9\n", st.utilization);
        return -1;
    }
    return rc;
}

static int bench_mc_set(const char *path, size_t reps, unsigned threads, const char *set, double *seconds)
{
    sim_err err;
    sim_cfg *cfg;
    void *m = load_scenario(path, set, &cfg);
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

static int bench_mc(const char *path, size_t reps, unsigned threads, double *seconds)
{
    return bench_mc_set(path, reps, threads, "serving.enabled=false", seconds);
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
    fflush(stdout);
    /* serving on against off, 1,000 replications each, the law built anew */
    double t_on;
    if (bench_mc_set("scenarios/eu-gigafactory-1gw.cfg", 1000, 2, NULL, &t_on))
        return 1;
    printf("mc_1000_reps_serving_on_seconds %.2f\n", t_on);
    printf("serving_cost_ratio %.2f\n", t_on / t1000);
    return 0;
}

/* Times one workload on both engines and prints its three lines. */
static int pair_lines(const workload *w)
{
    double eps, heap_eps, ratio, eq_eps = 0, eq_ratio = 0;
    if (bench_pair(w, &eps, &heap_eps, &ratio, &eq_eps, &eq_ratio))
        return -1;
    bool hold = !w->type;
    printf("engine_%s_events_per_s %.0f\n", w->name, eps);
    printf("binary_heap_%s_events_per_s %.0f\n", w->name, heap_eps);
    printf("engine_vs_binary_heap%s %.2f\n", hold ? "" : "_renewal", ratio);
    if (!hold) {
        printf("entityq_renewal_changes_per_s %.0f\n", eq_eps);
        printf("entityq_vs_binary_heap_renewal %.2f\n", eq_ratio);
    }
    fflush(stdout);
    return 0;
}

static int renewal_lines(void)
{
    workload w;
    if (renewal_load("scenarios/eu-gigafactory-1gw.cfg", &w))
        return -1;
    int rc = pair_lines(&w);
    free(w.type);
    return rc;
}

/* The job a user waits for: `gigasim run` of the 1 GW EU scenario, 1,000
 * replications, every model on (serving included), 2 threads, files
 * written; wall seconds of the binary `bin`. */
/* Every energy source and rule of models/energy/ on, for the whole job:
 * flexible connection with curtailment, outages, gas in merit order, diesel,
 * battery, solar, wind, demand response, the grid's carbon-free share (the
 * bundled scenario brings the hourly prices and its PPA). */
static const char *const ENERGY_ALL_ON =
    "--set site.battery.power_mw=100 --set site.battery.energy_mwh=400 --set site.battery.charge_below=100 "
    "--set site.battery.discharge_above=180 --set site.solar.capacity_mw=50 --set site.solar.capacity_factor.mean=0.11 "
    "--set site.solar.capacity_factor.daylight=true --set site.solar.capacity_factor.latitude_deg=50 "
    "--set site.wind.capacity_mw=50 --set site.wind.capacity_factor.mean=0.25 "
    "--set site.wind.capacity_factor.noise_sd=0.15 --set site.wind.capacity_factor.noise_hours=12 "
    "--set site.diesel.capacity_mw=200 --set site.grid.outages.hours_per_year=8 --set site.grid.flexible_mw=1100 "
    "--set site.grid.flexible_after='\"transformers\"' --set site.grid.curtailment.peak_price_hours_per_year=44 "
    "--set site.onsite.capacity_mw=100 --set site.onsite.after='\"energization\"' --set site.onsite.cost_per_mwh=120 "
    "--set site.onsite.co2_basis='\"direct\"' --set site.demand_response.price_above=250 "
    "--set workload.pausable_share=0.5 --set site.grid.cfe_share=0.5";

static int whole_job_with(const char *bin, const char *extra, double *seconds);

static int whole_job(const char *bin, double *seconds) { return whole_job_with(bin, "", seconds); }

static int whole_job_with(const char *bin, const char *extra, double *seconds)
{
    /* the scenario of the binary's own tree (BIN is TREE/build/gigasim), so
     * that a baseline runs the job as its version defines it */
    char tree[1024];
    snprintf(tree, sizeof tree, "%s", bin);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(tree, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(tree, sizeof tree, ".");
    }
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "rm -rf build/bench-job && %s run %s/scenarios/eu-gigafactory-1gw.cfg -n 1000 --threads 2 -o build/bench-job "
             "--quiet %s",
             bin, tree, extra);
    double t0 = now_s();
    int rc = system(cmd);
    *seconds = now_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench: '%s' failed (%d)\n", cmd, rc);
        return -1;
    }
    return 0;
}

static const char *gigasim_bin(void)
{
    const char *b = getenv("GIGASIM");
    return b && *b ? b : "build/gigasim";
}

/* whole_job_seconds for this build; with a baseline binary, three pairs
 * alternating (baseline first) and the median of the paired ratios, so the
 * machine's drift cancels out. */
static int job_lines(const char *baseline)
{
    if (!baseline) {
        double t;
        if (whole_job(gigasim_bin(), &t))
            return 1;
        printf("whole_job_seconds %.2f\n", t);
        return 0;
    }
    double ratio[3], tn[3], tb[3], ta[3], ratio_all[3];
    bool all_on = getenv("BENCH_ENERGY_ALL_ON") != NULL;
    for (int i = 0; i < 3; i++) {
        if (whole_job(baseline, &tb[i]) || whole_job(gigasim_bin(), &tn[i]) ||
            (all_on && whole_job_with(gigasim_bin(), ENERGY_ALL_ON, &ta[i])))
            return 1;
        ratio[i] = tn[i] / tb[i];
        ratio_all[i] = all_on ? ta[i] / tb[i] : 0;
        fprintf(stderr, "round %d: baseline %.2f s, this build %.2f s", i + 1, tb[i], tn[i]);
        if (all_on)
            fprintf(stderr, ", every energy source on %.2f s", ta[i]);
        fputc('\n', stderr);
    }
    qsort(ratio, 3, sizeof ratio[0], sim_cmp_double);
    qsort(ratio_all, 3, sizeof ratio_all[0], sim_cmp_double);
    qsort(tn, 3, sizeof tn[0], sim_cmp_double);
    qsort(tb, 3, sizeof tb[0], sim_cmp_double);
    qsort(ta, 3, sizeof ta[0], sim_cmp_double);
    printf("whole_job_seconds %.2f\n", tn[1]);
    printf("whole_job_baseline_seconds %.2f\n", tb[1]);
    printf("whole_job_ratio_to_baseline %.3f\n", ratio[1]);
    if (all_on) {
        printf("whole_job_energy_all_on_seconds %.2f\n", ta[1]);
        printf("whole_job_energy_all_on_ratio_to_baseline %.3f\n", ratio_all[1]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "job") == 0)
        return job_lines(argc > 2 ? argv[2] : NULL);
    if (argc > 1 && strcmp(argv[1], "mc") == 0)
        return bench_mc_lines();
    if (argc > 1 && strcmp(argv[1], "renewal") == 0)
        return renewal_lines() ? 1 : 0;
    if (argc > 1) {
        fprintf(stderr, "usage: bench [mc | renewal | job [BASELINE_GIGASIM]]\n");
        return 2;
    }
    workload hold = {.name = "hold", .pending = 100000, .warm_time = 20.0, .block_time = 40.0};
    if (pair_lines(&hold) || renewal_lines())
        return 1;
    double sec, ev;
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
    if (bench_mc_lines())
        return 1;
    fflush(stdout);
    return job_lines(NULL);
}
