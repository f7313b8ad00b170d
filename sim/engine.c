#include "engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define IDX_BITS 24u
#define IDX_MASK ((1u << IDX_BITS) - 1u)
#define SEQ_LIMIT (1ULL << 40)
#define MAX_STREAMS 64u

enum { REC_FREE = 0, REC_PENDING = 1, REC_CANCELLED = 2 };

typedef struct heap_key {
    double t;
    uint64_t seq_idx; /* seq << 24 | pool index */
} heap_key;

typedef struct event_rec {
    uint64_t arg;
    uint32_t kind;
    uint32_t gen;
    uint16_t model;
    uint16_t state;
    uint32_t next_free;
} event_rec;

/* One rung of the ladder: nb buckets of `width` from `start`; buckets before
 * `next` are consumed (the last consumed one lives on in the rung below, or
 * in the heap). */
typedef struct rung {
    uint32_t *head;  /* per bucket: first record, UINT32_MAX if empty */
    uint32_t *count; /* per bucket: records in it */
    size_t cap, nb, next;
    double start, width;
} rung;

#define MAX_RUNGS 8
#define SPAWN_THRESHOLD 32 /* a bucket with more records than this gets a finer rung of its own */

typedef struct model_slot {
    sim_event_fn fn;
    void *ctx;
    const char *name;
} model_slot;

struct sim_engine {
    double now;
    /* Pending set: near events in a 4-ary heap; later ones in the calendar
     * buckets of a ladder of rungs; the rest in an unsorted top list. */
    heap_key *heap;
    uint32_t heap_n, heap_cap;
    heap_key *keys; /* key of each pending record (bucket and top lists) */
    rung rungs[MAX_RUNGS];
    int n_rungs;
    uint32_t top_head, top_n;
    double top_min, top_max;
    uint32_t n_pending;
    event_rec *pool;
    uint32_t pool_cap, free_head;
    uint64_t seq;
    uint64_t executed, max_events;
    uint32_t max_pending;
    uint64_t seed, replication;
    model_slot models[SIM_MAX_MODELS];
    int n_models;
    gsl_rng *streams[MAX_STREAMS];
    gsl_rng *keyed;
    uint64_t key_prefix[MAX_STREAMS]; /* (seed, replication, stream) part of keyed draws */
    bool key_prefix_set[MAX_STREAMS];
    bool failed;
    char fail_msg[SIM_ERR_LEN];
};

sim_engine *sim_engine_new(const sim_engine_opts *opts, sim_err *err)
{
    sim_engine *e = sim_calloc(1, sizeof *e, err);
    if (!e)
        return NULL;
    e->seed = opts->seed;
    e->replication = opts->replication;
    e->max_events = opts->max_events;
    e->max_pending = opts->max_pending && opts->max_pending < SIM_PENDING_LIMIT
                         ? opts->max_pending : SIM_PENDING_LIMIT;
    e->free_head = UINT32_MAX;
    e->top_head = UINT32_MAX;
    return e;
}

void sim_engine_free(sim_engine *e)
{
    if (!e)
        return;
    for (unsigned i = 0; i < MAX_STREAMS; i++)
        if (e->streams[i])
            gsl_rng_free(e->streams[i]);
    if (e->keyed)
        gsl_rng_free(e->keyed);
    free(e->heap);
    free(e->keys);
    for (int k = 0; k < MAX_RUNGS; k++) {
        free(e->rungs[k].head);
        free(e->rungs[k].count);
    }
    free(e->pool);
    free(e);
}

int sim_engine_add_model(sim_engine *e, const char *name, sim_event_fn fn, void *ctx, sim_err *err)
{
    if (e->n_models >= SIM_MAX_MODELS)
        return sim_errf(err, "too many models (at most %d)", SIM_MAX_MODELS);
    e->models[e->n_models] = (model_slot){fn, ctx, name};
    return e->n_models++;
}

void sim_fail(sim_engine *e, const char *fmt, ...)
{
    if (e->failed)
        return; /* keep the first cause */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->fail_msg, sizeof e->fail_msg, fmt, ap);
    va_end(ap);
    e->failed = true;
}

bool sim_failed(const sim_engine *e) { return e->failed; }
double sim_now(const sim_engine *e) { return e->now; }
uint64_t sim_events_executed(const sim_engine *e) { return e->executed; }
uint32_t sim_events_pending(const sim_engine *e) { return e->n_pending; }

gsl_rng *sim_engine_rng(sim_engine *e, uint32_t stream)
{
    if (stream >= MAX_STREAMS) {
        sim_fail(e, "RNG stream id %u out of range (max %u)", stream, MAX_STREAMS - 1);
        return NULL;
    }
    if (!e->streams[stream]) {
        sim_err err;
        e->streams[stream] = sim_rng_new(e->seed, e->replication, stream, &err);
        if (!e->streams[stream])
            sim_fail(e, "%s", err.msg);
    }
    return e->streams[stream];
}

gsl_rng *sim_engine_keyed_rng(sim_engine *e, uint32_t stream, uint64_t entity, uint64_t occurrence)
{
    if (stream >= MAX_STREAMS) {
        sim_fail(e, "RNG stream id %u out of range (max %u)", stream, MAX_STREAMS - 1);
        return NULL;
    }
    if (!e->keyed) {
        sim_err err;
        e->keyed = sim_rng_keyed_new(&err);
        if (!e->keyed) {
            sim_fail(e, "%s", err.msg);
            return NULL;
        }
    }
    if (!e->key_prefix_set[stream]) {
        e->key_prefix[stream] = sim_rng_key_prefix(e->seed, e->replication, stream);
        e->key_prefix_set[stream] = true;
    }
    sim_rng_rekey(e->keyed, sim_rng_key_from(e->key_prefix[stream], entity, occurrence));
    return e->keyed;
}

/* ---- pool ---- */

/* Grows one of the engine's arrays to n_items; on failure the engine fails
 * and the array keeps its old size and contents. */
static int engine_resize(sim_engine *e, void **arr, size_t n_items, size_t item_bytes)
{
    sim_err err;
    void *q = sim_realloc(*arr, n_items * item_bytes, &err);
    if (!q) {
        sim_fail(e, "%s", err.msg);
        return -1;
    }
    *arr = q;
    return 0;
}

static int pool_grow(sim_engine *e)
{
    uint32_t ncap = e->pool_cap ? e->pool_cap * 2 : 1024;
    if (ncap > SIM_PENDING_LIMIT + 1)
        ncap = SIM_PENDING_LIMIT + 1;
    if (ncap <= e->pool_cap)
        return -1;
    /* pool_cap changes only once all three arrays have grown. */
    if (engine_resize(e, (void **)&e->pool, ncap, sizeof *e->pool) ||
        engine_resize(e, (void **)&e->heap, ncap, sizeof *e->heap) ||
        engine_resize(e, (void **)&e->keys, ncap, sizeof *e->keys))
        return -1;
    /* Thread new records onto the free list, lowest index first. */
    for (uint32_t i = ncap; i-- > e->pool_cap;) {
        e->pool[i].state = REC_FREE;
        e->pool[i].gen = 1;
        e->pool[i].next_free = e->free_head;
        e->free_head = i;
    }
    e->pool_cap = ncap;
    e->heap_cap = ncap;
    return 0;
}

static inline void rec_release(sim_engine *e, uint32_t idx)
{
    event_rec *r = &e->pool[idx];
    r->state = REC_FREE;
    r->gen++;
    if (r->gen == 0)
        r->gen = 1;
    r->next_free = e->free_head;
    e->free_head = idx;
}

/* ---- 4-ary heap ---- */

static inline bool key_less(const heap_key *a, const heap_key *b)
{
    return a->t < b->t || (a->t == b->t && a->seq_idx < b->seq_idx);
}

static inline void heap_push(sim_engine *e, heap_key k)
{
    heap_key *h = e->heap;
    uint32_t i = e->heap_n++;
    while (i > 0) {
        uint32_t parent = (i - 1) >> 2;
        if (!key_less(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

static inline heap_key heap_pop(sim_engine *e)
{
    heap_key *h = e->heap;
    heap_key top = h[0];
    uint32_t n = --e->heap_n;
    if (n == 0)
        return top;
    heap_key last = h[n];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 4 * i + 1;
        if (c >= n)
            break;
        uint32_t best = c;
        uint32_t end = c + 4 < n ? c + 4 : n;
        for (uint32_t j = c + 1; j < end; j++)
            if (key_less(&h[j], &h[best]))
                best = j;
        if (!key_less(&h[best], &last))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = last;
    return top;
}

/* ---- ladder (after Tang, Goh & Thng's ladder queue, 2005) ----
 *
 * Rung 0 spreads the events of the top list over about one bucket per event;
 * a bucket that turns out to hold more than SPAWN_THRESHOLD records when its
 * turn comes is spread over a finer rung of its own (rung k+1 covers exactly
 * the bucket rung k is draining), up to MAX_RUNGS deep; otherwise it moves
 * into the heap. A new event goes to the first rung, from the top, whose
 * unconsumed buckets contain it, to the heap when it falls in the bucket
 * being drained at the deepest rung, and to the top list when it is beyond
 * rung 0. Bucket indices are monotone in t within each rung and rungs nest,
 * so (t, seq) order is kept exactly whatever the widths; widths only decide
 * the speed (a bucket that holds everything degrades to the plain heap). */

static inline void top_push(sim_engine *e, uint32_t idx)
{
    double t = e->keys[idx].t;
    e->pool[idx].next_free = e->top_head;
    e->top_head = idx;
    if (e->top_n == 0 || t < e->top_min)
        e->top_min = t;
    if (e->top_n == 0 || t > e->top_max)
        e->top_max = t;
    e->top_n++;
}

static inline void bucket_push(sim_engine *e, rung *r, size_t b, uint32_t idx)
{
    e->pool[idx].next_free = r->head[b];
    r->head[b] = idx;
    r->count[b]++;
}

static inline size_t bucket_of(const rung *r, double t)
{
    double x = (t - r->start) / r->width;
    if (!(x > 0))
        return 0;
    return x < (double)(r->nb - 1) ? (size_t)x : r->nb - 1;
}

static inline void pq_insert(sim_engine *e, heap_key k, uint32_t idx)
{
    if (e->n_rungs == 0) {
        e->keys[idx] = k;
        top_push(e, idx);
        return;
    }
    const rung *r0 = &e->rungs[0];
    if ((k.t - r0->start) / r0->width >= (double)r0->nb) {
        e->keys[idx] = k;
        top_push(e, idx);
        return;
    }
    for (int i = 0; i < e->n_rungs; i++) {
        rung *r = &e->rungs[i];
        size_t b = bucket_of(r, k.t);
        if (b >= r->next) {
            e->keys[idx] = k;
            bucket_push(e, r, b, idx);
            return;
        }
    }
    heap_push(e, k);
}

/* Makes rung k hold nb empty buckets. Returns -1 when out of memory. */
static int rung_reset(sim_engine *e, int k, size_t nb, double start, double width)
{
    rung *r = &e->rungs[k];
    if (nb > r->cap) {
        if (engine_resize(e, (void **)&r->head, nb, sizeof *r->head) ||
            engine_resize(e, (void **)&r->count, nb, sizeof *r->count))
            return -1;
        r->cap = nb;
    }
    for (size_t b = 0; b < nb; b++) {
        r->head[b] = UINT32_MAX;
        r->count[b] = 0;
    }
    r->nb = nb;
    r->next = 0;
    r->start = start;
    r->width = width;
    return 0;
}

/* Spreads the list from `head` over rung k. */
static void spread(sim_engine *e, int k, uint32_t head)
{
    rung *r = &e->rungs[k];
    uint32_t i = head;
    while (i != UINT32_MAX) {
        uint32_t next = e->pool[i].next_free;
        bucket_push(e, r, bucket_of(r, e->keys[i].t), i);
        i = next;
    }
}

static void move_list_to_heap(sim_engine *e, uint32_t i)
{
    while (i != UINT32_MAX) {
        uint32_t next = e->pool[i].next_free;
        heap_push(e, e->keys[i]);
        i = next;
    }
}

/* Makes sure the heap holds the earliest pending event, if any. */
static bool pq_ready(sim_engine *e)
{
    while (e->heap_n == 0) {
        if (e->n_rungs == 0) {
            if (e->top_n == 0)
                return false;
            /* A new rung 0 from the top list: about one bucket per event. */
            size_t n = e->top_n;
            double width = (e->top_max - e->top_min) / (double)n;
            if (!(width > 0) || !isfinite(width))
                width = 1.0;
            if (rung_reset(e, 0, n + 2, e->top_min, width))
                return false;
            uint32_t head = e->top_head;
            e->top_head = UINT32_MAX;
            e->top_n = 0;
            e->n_rungs = 1;
            spread(e, 0, head);
            continue;
        }
        rung *r = &e->rungs[e->n_rungs - 1];
        size_t b = r->next;
        while (b < r->nb && r->head[b] == UINT32_MAX)
            b++;
        if (b == r->nb) {
            e->n_rungs--; /* spent: the parent's bucket is done */
            continue;
        }
        r->next = b + 1;
        uint32_t head = r->head[b], count = r->count[b];
        r->head[b] = UINT32_MAX;
        r->count[b] = 0;
        double child_start = r->start + (double)b * r->width;
        double child_width = r->width / (double)(count + 2);
        if (count > SPAWN_THRESHOLD && e->n_rungs < MAX_RUNGS && child_start + child_width > child_start) {
            if (rung_reset(e, e->n_rungs, count + 2, child_start, child_width))
                return false;
            e->n_rungs++;
            spread(e, e->n_rungs - 1, head);
        } else {
            move_list_to_heap(e, head);
        }
    }
    return true;
}

sim_event_handle sim_schedule(sim_engine *e, double t, int model, uint32_t kind, uint64_t arg)
{
    sim_event_handle none = {0, 0};
    if (e->failed)
        return none;
    if (!(t >= e->now) || !isfinite(t)) {
        sim_fail(e, "event for model '%s' scheduled at t=%g, before now (%g) or not finite",
                 model >= 0 && model < e->n_models ? e->models[model].name : "?", t, e->now);
        return none;
    }
    if (model < 0 || model >= e->n_models) {
        sim_fail(e, "event scheduled for unknown model id %d", model);
        return none;
    }
    if (e->n_pending >= e->max_pending) {
        sim_fail(e, "more than %u events pending at once (the engine's cap): the scenario is too large",
                 e->max_pending);
        return none;
    }
    if (e->seq >= SEQ_LIMIT) {
        sim_fail(e, "more than 2^40 events scheduled in one run");
        return none;
    }
    if (e->free_head == UINT32_MAX && pool_grow(e) != 0) {
        if (!e->failed)
            sim_fail(e, "event pool exhausted");
        return none;
    }
    uint32_t idx = e->free_head;
    event_rec *r = &e->pool[idx];
    e->free_head = r->next_free;
    r->arg = arg;
    r->kind = kind;
    r->model = (uint16_t)model;
    r->state = REC_PENDING;
    pq_insert(e, (heap_key){t, (e->seq++ << IDX_BITS) | idx}, idx);
    e->n_pending++;
    return (sim_event_handle){idx, r->gen};
}

bool sim_event_pending(const sim_engine *e, sim_event_handle h)
{
    return h.gen != 0 && h.idx < e->pool_cap && e->pool[h.idx].gen == h.gen &&
           e->pool[h.idx].state == REC_PENDING;
}

bool sim_cancel(sim_engine *e, sim_event_handle h)
{
    if (!sim_event_pending(e, h))
        return false;
    e->pool[h.idx].state = REC_CANCELLED;
    return true;
}

int sim_step(sim_engine *e, double t_stop, sim_err *err)
{
    for (;;) {
        if (e->failed)
            return sim_errf(err, "%s", e->fail_msg);
        if (!pq_ready(e) || e->heap[0].t > t_stop)
            return e->failed ? sim_errf(err, "%s", e->fail_msg) : 0;
        heap_key k = heap_pop(e);
        uint32_t idx = (uint32_t)(k.seq_idx & IDX_MASK);
        event_rec *r = &e->pool[idx];
        if (r->state == REC_CANCELLED) {
            rec_release(e, idx);
            e->n_pending--;
            continue;
        }
        if (e->max_events && e->executed >= e->max_events) {
            /* Put it back so the state stays consistent for inspection. */
            heap_push(e, k);
            return sim_errf(err, "stopped after %llu events at t=%g (the cap sim.max_events): "
                                 "the scenario would run away; raise the cap if this is intended",
                            (unsigned long long)e->executed, e->now);
        }
        uint32_t kind = r->kind;
        uint64_t arg = r->arg;
        uint16_t model = r->model;
        rec_release(e, idx);
        e->n_pending--;
        e->now = k.t;
        e->executed++;
        e->models[model].fn(e, e->models[model].ctx, kind, arg);
        if (e->failed)
            return sim_errf(err, "%s", e->fail_msg);
        return 1;
    }
}

int sim_run(sim_engine *e, double t_stop, sim_err *err)
{
    int rc;
    while ((rc = sim_step(e, t_stop, err)) == 1)
        ;
    if (rc < 0)
        return -1;
    if (t_stop > e->now && isfinite(t_stop))
        e->now = t_stop;
    return 0;
}
