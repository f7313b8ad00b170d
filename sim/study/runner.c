#include "sim/study/runner.h"

#include <signal.h>

#include "sim/core/interrupt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
    const sim_app *app;
    const void *model;
    const sim_layout *lay;
    uint64_t seed;
    size_t n_reps;
    sim_results *out;
    atomic_size_t next;
    atomic_size_t done;
    pthread_mutex_t lock;
    size_t err_rep; /* lowest failing replication */
    sim_err err;
    bool progress;
    double t0; /* seconds, monotonic, when the replications began */
    size_t first; /* replication index of out's row 0 */
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *worker(void *arg)
{
    job *j = arg;
    size_t nm = j->lay->n_metrics, ns = j->lay->n_steps * j->lay->n_series, nt = sim_table_cells(j->lay);
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n_reps)
            break;
        pthread_mutex_lock(&j->lock);
        bool stop = j->err_rep < i;
        pthread_mutex_unlock(&j->lock);
        if (stop || sim_interrupted())
            break;
        sim_err e;
        if (j->app->run(j->model, j->seed, j->first + i, j->out->metrics + i * nm, j->out->series + i * ns,
                        nt ? j->out->table + i * nt : NULL, &e) != 0) {
            pthread_mutex_lock(&j->lock);
            if (i < j->err_rep) {
                j->err_rep = i;
                j->err = e;
                sim_err_prefix(&j->err, "replication %zu", j->first + i);
            }
            pthread_mutex_unlock(&j->lock);
            if (sim_interrupted())
                break; /* stopped part-way: not done */
        }
        size_t d = atomic_fetch_add(&j->done, 1) + 1;
        if (j->progress) {
            int width = 40;
            int fill = (int)((double)d / (double)j->n_reps * width);
            double el = now_s() - j->t0, rate = el > 0 ? (double)d / el : 0;
            double eta = rate > 0 ? (double)(j->n_reps - d) / rate : 0;
            pthread_mutex_lock(&j->lock);
            fprintf(stderr, "\r[%.*s%*s] %zu/%zu replications, %.1f/s, %.0f s elapsed, ETA %.0f s   ", fill,
                    "########################################", width - fill, "", d, j->n_reps, rate, el, eta);
            if (d == j->n_reps)
                fputc('\n', stderr);
            pthread_mutex_unlock(&j->lock);
        }
    }
    return NULL;
}

unsigned sim_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

int sim_run_replications(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed,
                         size_t n_reps, unsigned threads, bool progress, sim_results *out, sim_err *err)
{
    return sim_run_replication_range(app, model, lay, seed, 0, n_reps, threads, progress, out, err);
}

int sim_run_replication_range(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed,
                              size_t first, size_t n_reps, unsigned threads, bool progress, sim_results *out,
                              sim_err *err)
{
    memset(out, 0, sizeof *out);
    double series_bytes = (double)n_reps * (double)lay->n_steps * (double)lay->n_series * sizeof(double);
    double metrics_bytes = (double)n_reps * (double)(lay->n_metrics + sim_table_cells(lay)) * sizeof(double);
    if (series_bytes + metrics_bytes > SIM_MAX_KEPT_BYTES)
        return sim_errf(err, "%zu replications would keep %.1f GiB in memory: series %.1f GiB (%zu steps x %zu columns "
                             "each), metrics %.1f GiB (%zu each); the cap is %lld GiB: use fewer replications or a "
                             "longer sim.step_days",
                        n_reps, (series_bytes + metrics_bytes) / (1 << 30), series_bytes / (1 << 30), lay->n_steps,
                        lay->n_series, metrics_bytes / (1 << 30), lay->n_metrics + sim_table_cells(lay),
                        SIM_MAX_KEPT_BYTES >> 30);
    out->n_reps = n_reps;
    out->metrics = sim_calloc(n_reps * lay->n_metrics, sizeof(double), err);
    out->series = sim_calloc(n_reps * lay->n_steps * lay->n_series, sizeof(double), err);
    out->table = sim_table_cells(lay) ? sim_calloc(n_reps * sim_table_cells(lay), sizeof(double), err) : NULL;
    if (!out->metrics || !out->series || (sim_table_cells(lay) && !out->table)) {
        sim_results_free(out);
        return sim_err_prefix(err, "keeping the series of %zu replications x %zu steps x %zu columns in memory "
                                   "(use fewer replications or a longer sim.step_days)",
                              n_reps, lay->n_steps, lay->n_series);
    }
    job j;
    memset(&j, 0, sizeof j);
    j.app = app;
    j.model = model;
    j.lay = lay;
    j.seed = seed;
    j.n_reps = n_reps;
    j.out = out;
    j.err_rep = SIZE_MAX;
    j.progress = progress && isatty(STDERR_FILENO);
    j.t0 = now_s();
    j.first = first;
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    pthread_mutex_init(&j.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > n_reps)
        threads = (unsigned)n_reps;
    pthread_t *tids = sim_calloc(threads, sizeof *tids, err);
    if (!tids) {
        sim_err_oom_for(err, "%u threads", threads);
        pthread_mutex_destroy(&j.lock);
        sim_results_free(out);
        return -1;
    }
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker, &j) != 0)
            break;
        started++;
    }
    worker(&j); /* this thread works too */
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    pthread_mutex_destroy(&j.lock);
    if (sim_interrupted()) {
        if (j.progress)
            fputc('\n', stderr);
        sim_errf(err, "interrupted by %s after %zu of %zu replications: no output written",
                 sim_interrupt_signal() == SIGTERM ? "SIGTERM" : "SIGINT", (size_t)atomic_load(&j.done), n_reps);
        sim_results_free(out);
        return -1;
    }
    if (j.err_rep != SIZE_MAX) {
        sim_errf(err, "%s", j.err.msg);
        sim_results_free(out);
        return -1;
    }
    return 0;
}

void sim_results_free(sim_results *r)
{
    free(r->metrics);
    free(r->series);
    free(r->table);
    r->metrics = r->series = r->table = NULL;
}
