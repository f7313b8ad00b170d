/* fleet: hardware replacements at the fleet level (see fleet.h). */
#include "models/buildout/fleet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { EV_FAIL = 1, EV_REPAIRED };

typedef struct class_rt {
    double accepted, down; /* units */
} class_rt;

/* The units down for want of a spare, in the order they went down. */
typedef struct down_fifo {
    size_t *cls;
    size_t head, tail, cap;
} down_fifo;

typedef struct pool_rt {
    double accepted, spares, in_repair, down;
    double last_t, unit_days_down; /* the integral of `down` */
    down_fifo fifo;
} pool_rt;

struct fleet {
    fleet_deps d;
    sim_engine *eng;
    int model_id;
    uint32_t stream;
    class_rt *cls;
    pool_rt *pools;
    sim_event_handle next_fail;
    uint64_t n_redraws, n_failures;
    double down_total;
};

static int fifo_push(fleet *fl, down_fifo *q, size_t c)
{
    if (q->tail == q->cap) {
        if (q->head > 0) {
            memmove(q->cls, q->cls + q->head, (q->tail - q->head) * sizeof *q->cls);
            q->tail -= q->head;
            q->head = 0;
        } else {
            size_t cap = q->cap ? 2 * q->cap : 16;
            size_t *v = realloc(q->cls, cap * sizeof *v);
            if (!v) {
                sim_fail(fl->eng, "out of memory for the units down for want of spares");
                return -1;
            }
            q->cls = v;
            q->cap = cap;
        }
    }
    q->cls[q->tail++] = c;
    return 0;
}

static void integrate(pool_rt *pl, double now)
{
    pl->unit_days_down += pl->down * (now - pl->last_t);
    pl->last_t = now;
}

/* Class c's share of the fleet's failure rate: lambda_c n_c. */
static double class_rate(const fleet *fl, size_t c)
{
    return fl->d.classes[c].fail_per_unit_day * (fl->cls[c].accepted - fl->cls[c].down);
}

/* Lambda: the fleet's failure rate as it now stands. */
static double fleet_rate(const fleet *fl)
{
    double rate = 0;
    for (size_t c = 0; c < fl->d.n_classes; c++)
        rate += class_rate(fl, c);
    return rate;
}

/* Draws the next failure of the fleet as it now stands (memoryless: the
 * pending one is dropped whenever the rate changes). */
static void redraw(fleet *fl, double now)
{
    sim_cancel(fl->eng, fl->next_fail);
    fl->next_fail.gen = 0;
    double rate = fleet_rate(fl);
    if (!(rate > 0))
        return;
    sim_rng g = sim_engine_keyed(fl->eng, fl->stream, 0, fl->n_redraws++);
    fl->next_fail = sim_schedule(fl->eng, now + sim_rng_exponential(&g) / rate, fl->model_id, EV_FAIL, 0);
}

/* Brings pool p's units down to max(0, in repair - spares): takes out the
 * class that failed last (`failed`, when one did) or puts back the oldest;
 * true when a unit came back (the rate grew). */
static bool pool_settle(fleet *fl, size_t p, size_t failed, double now)
{
    pool_rt *pl = &fl->pools[p];
    double want = pl->in_repair - pl->spares;
    want = want > 0 ? want : 0;
    bool back = false;
    if (want > pl->down && failed < fl->d.n_classes) {
        if (fifo_push(fl, &pl->fifo, failed))
            return false;
        integrate(pl, now);
        pl->down++;
        fl->down_total++;
        fl->cls[failed].down++;
        fl->d.on_change(fl->d.ctx, failed, -1.0, now);
    }
    while (pl->down > want && pl->fifo.head < pl->fifo.tail) {
        size_t c = pl->fifo.cls[pl->fifo.head++];
        integrate(pl, now);
        pl->down--;
        fl->down_total--;
        fl->cls[c].down--;
        fl->d.on_change(fl->d.ctx, c, 1.0, now);
        back = true;
    }
    return back;
}

static void on_fail(fleet *fl, double now)
{
    fl->next_fail.gen = 0;
    uint64_t i = fl->n_failures++;
    sim_rng pick = sim_engine_keyed(fl->eng, fl->stream, 1, i);
    double u = sim_rng_uniform(&pick) * fleet_rate(fl);
    size_t c = fl->d.n_classes;
    for (size_t k = 0; k < fl->d.n_classes; k++) {
        double w = class_rate(fl, k);
        if (w > 0)
            c = k; /* the last that can fail, should rounding leave u at the top end */
        if (u < w)
            break;
        u -= w;
    }
    const fleet_class *fc = &fl->d.classes[c];
    sim_rng rep = sim_engine_keyed(fl->eng, fl->stream, 2, i);
    double r = sim_dist_sample(fc->repair_days, &rep);
    fl->pools[fc->pool].in_repair++;
    sim_schedule(fl->eng, now + (r > 0 ? r : 0), fl->model_id, EV_REPAIRED, c);
    pool_settle(fl, fc->pool, c, now);
    redraw(fl, now);
}

static void on_repaired(fleet *fl, size_t c, double now)
{
    size_t p = fl->d.classes[c].pool;
    fl->pools[p].in_repair--;
    if (pool_settle(fl, p, fl->d.n_classes, now))
        redraw(fl, now);
}

static void fleet_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    fleet *fl = ctx;
    double now = sim_now(eng);
    if (kind == EV_FAIL)
        on_fail(fl, now);
    else if (kind == EV_REPAIRED && arg < fl->d.n_classes)
        on_repaired(fl, (size_t)arg, now);
    else
        sim_fail_internal(eng, "fleet: unknown event kind %u", kind);
}

fleet *fleet_start(const fleet_deps *deps, sim_engine *eng, sim_err *err)
{
    fleet *fl = sim_calloc(1, sizeof *fl, err);
    if (!fl)
        return NULL;
    fl->d = *deps;
    fl->eng = eng;
    fl->cls = sim_calloc(deps->n_classes ? deps->n_classes : 1, sizeof *fl->cls, err);
    fl->pools = sim_calloc(deps->n_pools ? deps->n_pools : 1, sizeof *fl->pools, err);
    if (!fl->cls || !fl->pools) {
        fleet_free(fl);
        return NULL;
    }
    fl->stream = sim_engine_stream(eng, "fleet", "failures");
    fl->model_id = sim_engine_add_model(eng, "fleet", fleet_handle, fl, err);
    if (fl->model_id < 0) {
        fleet_free(fl);
        return NULL;
    }
    return fl;
}

void fleet_accept(fleet *fl, size_t cls, long long units, double now)
{
    fl->cls[cls].accepted += (double)units;
    size_t p = fl->d.classes[cls].pool;
    pool_rt *pl = &fl->pools[p];
    pl->accepted += (double)units;
    pl->spares = floor(fl->d.spare_fraction * pl->accepted + 1e-9); /* 0.05 x 20 is 1, not 0.99999 */
    bool back = pool_settle(fl, p, fl->d.n_classes, now); /* new spares may put units back */
    if (back || fl->d.classes[cls].fail_per_unit_day > 0)
        redraw(fl, now);
}

double fleet_units_down(const fleet *fl)
{
    return fl->down_total;
}

void fleet_finish(fleet *fl, double t_end, fleet_stats *out)
{
    out->failures = (double)fl->n_failures;
    out->unit_days_down = 0;
    for (size_t p = 0; p < fl->d.n_pools; p++) {
        integrate(&fl->pools[p], t_end);
        out->unit_days_down += fl->pools[p].unit_days_down;
    }
}

double fleet_pool_unit_days_down(const fleet *fl, size_t pool)
{
    return fl->pools[pool].unit_days_down;
}

void fleet_free(fleet *fl)
{
    if (!fl)
        return;
    if (fl->pools)
        for (size_t p = 0; p < fl->d.n_pools; p++)
            free(fl->pools[p].fifo.cls);
    free(fl->pools);
    free(fl->cls);
    free(fl);
}
