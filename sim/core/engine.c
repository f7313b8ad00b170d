#include "sim/core/engine.h"

#include "sim/core/interrupt.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/timekey.h"
#include "sim/core/rng.h"

#define IDX_BITS 24u
#define IDX_MASK ((1u << IDX_BITS) - 1u)
#define SEQ_LIMIT (1ULL << 40)
#define MAX_STREAMS 64u /* numbered streams */
#define MAX_NAMED 64u   /* named streams (sim_engine_stream), after them */

enum { REC_FREE = 0, REC_PENDING = 1, REC_CANCELLED = 2 };

typedef sim_key heap_key; /* {t, seq << 24 | pool index} */

typedef struct event_rec {
    uint64_t arg;
    uint32_t kind;
    uint32_t gen;
    uint16_t model;
    uint16_t state;
    uint32_t next_free;
} event_rec;

/* A growable array of keys: one bucket, or the top list. */
typedef struct keyvec {
    heap_key *k;
    uint32_t n, cap;
} keyvec;

/* One level of calendar buckets: nb buckets of keys from `start`, 1 /
 * inv_width wide; the buckets before `next` have been drained. */
typedef struct level {
    keyvec *b;
    size_t alloc, nb, next;
    double start, inv_width, nb_d;
} level;

/* Sizing: a level holds about PER_BUCKET events per bucket when it is built;
 * a drained bucket of more than SORT_MAX keys gets a level of its own, a
 * smaller one is sorted (counting sort over about one slot per
 * SORT_PER_SLOT keys, then each slot by sim_keys_sort: insertion sort,
 * heap sort above SIM_KEYS_INSERTION_MAX keys); when HEAP_SPAWN events have been scheduled into the
 * bucket being drained, they and the rest of that bucket move into a level of
 * their own. At most MAX_LEVELS levels nest. A drained bucket keeps its
 * memory up to KEEP_KEYS keys, reused by the next build. SORT_MAX and
 * HEAP_SPAWN were picked from a grid (256-4,096 and 64-512) by callgrind's
 * instruction counts on the hold benchmark and the 1 GW scenario together;
 * they decide speed only, never the order. */
#define PER_BUCKET 32
#define SORT_MAX 1024
#define SORT_PER_SLOT 2
#define HEAP_SPAWN 128
#define MAX_LEVELS 8
#define KEEP_KEYS 1024

typedef struct model_slot {
    sim_event_fn fn;
    void *ctx;
    const char *name;
} model_slot;


struct sim_engine {
    double now;
    /* Pending set (see "calendar levels" below): the bucket being drained,
     * sorted, in `sorted`; events scheduled into it in a 4-ary heap; later
     * events in the buckets of up to MAX_LEVELS nested levels; the rest in
     * the top list. */
    heap_key *sorted;         /* sorted[sorted_pos .. sorted_n) are pending */
    uint32_t sorted_pos, sorted_n, sorted_cap;
    heap_key *heap;
    uint32_t heap_n, heap_cap, heap_spawn_at;
    level levels[MAX_LEVELS]; /* levels[0] is the outermost */
    int depth;                /* levels in use; 0: everything is in the top list or the heap */
    uint32_t *slot_off;       /* counting sort's slot offsets */
    uint32_t *slot;           /* counting sort's slot of each key (sorted_cap) */
    size_t slot_off_cap;
    keyvec top, top_spare;
    double top_min, top_max;
    uint32_t n_pending;
    event_rec *pool;
    uint32_t pool_cap, free_head;
    uint64_t seq;
    uint64_t executed, max_events;
    uint64_t exec_limit; /* max_events, or UINT64_MAX for no cap */
    uint32_t max_pending;
    uint64_t seed, replication;
    struct {
        sim_sync_fn fn;
        void *ctx;
        const double *due; /* its next change (INFINITY: none) */
    } syncs[SIM_MAX_SYNCS];
    unsigned n_syncs;
    double cap_t;           /* when the cap stopped the run: the first event or change left unrun */
    model_slot models[SIM_MAX_MODELS];
    int n_models;
    sim_rng streams[MAX_STREAMS + MAX_NAMED];
    uint64_t key_prefix[MAX_STREAMS + MAX_NAMED]; /* (seed, replication, stream): each stream's key */
    uint64_t named_key[MAX_NAMED];                /* the named streams' keys, in the order first asked */
    uint32_t n_named;
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
    e->exec_limit = opts->max_events ? opts->max_events : UINT64_MAX;
    e->max_pending = opts->max_pending && opts->max_pending < SIM_PENDING_LIMIT
                         ? opts->max_pending : SIM_PENDING_LIMIT;
    e->free_head = UINT32_MAX;
    e->heap_spawn_at = HEAP_SPAWN;
    for (uint32_t s = 0; s < MAX_STREAMS; s++) {
        e->key_prefix[s] = sim_rng_prefix(e->seed, e->replication, s);
        e->streams[s] = (sim_rng){e->key_prefix[s]};
    }
    return e;
}

void sim_engine_free(sim_engine *e)
{
    if (!e)
        return;
    free(e->heap);
    for (int k = 0; k < MAX_LEVELS; k++) {
        for (size_t b = 0; b < e->levels[k].alloc; b++)
            free(e->levels[k].b[b].k);
        free(e->levels[k].b);
    }
    free(e->sorted);
    free(e->slot_off);
    free(e->slot);
    free(e->top.k);
    free(e->top_spare.k);
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

int sim_engine_add_sync(sim_engine *e, sim_sync_fn fn, void *ctx, const double *due, sim_err *err)
{
    if (e->n_syncs >= SIM_MAX_SYNCS)
        return sim_errf(err, "an engine has at most %d syncs", SIM_MAX_SYNCS);
    e->syncs[e->n_syncs].fn = fn;
    e->syncs[e->n_syncs].ctx = ctx;
    e->syncs[e->n_syncs].due = due;
    e->n_syncs++;
    return 0;
}

uint64_t sim_engine_charge(sim_engine *e, uint64_t n_changes)
{
    e->executed += n_changes;
    return e->executed >= e->exec_limit ? 0 : e->exec_limit - e->executed;
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

void sim_fail_internal(sim_engine *e, const char *fmt, ...)
{
    if (e->failed)
        return;
    char what[SIM_ERR_LEN - 160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    sim_fail(e, "internal error, a bug in gigasim (please report it with the scenario and this message): %s", what);
}

bool sim_failed(const sim_engine *e) { return e->failed; }
_Static_assert(offsetof(struct sim_engine, now) == 0, "sim_now (engine.h) reads the clock as the first member");
uint64_t sim_events_executed(const sim_engine *e) { return e->executed; }
uint32_t sim_events_pending(const sim_engine *e) { return e->n_pending; }

uint32_t sim_engine_stream(sim_engine *e, const char *model, const char *name)
{
    uint64_t key = sim_rng_name_key(model, name);
    for (uint32_t j = 0; j < e->n_named; j++)
        if (e->named_key[j] == key)
            return MAX_STREAMS + j;
    if (e->n_named == MAX_NAMED) {
        sim_fail_internal(e, "more than %u named RNG streams (asked for %s/%s)", MAX_NAMED, model, name);
        return 0;
    }
    uint32_t id = MAX_STREAMS + e->n_named;
    e->named_key[e->n_named++] = key;
    e->key_prefix[id] = sim_rng_prefix(e->seed, e->replication, key);
    e->streams[id] = (sim_rng){e->key_prefix[id]};
    return id;
}

static uint32_t stream_in_range(sim_engine *e, uint32_t stream)
{
    if (stream < MAX_STREAMS + e->n_named)
        return stream;
    sim_fail_internal(e, "RNG stream id %u was never given (numbered 0 to %u, or from sim_engine_stream)", stream,
                      MAX_STREAMS - 1);
    return 0;
}

sim_rng *sim_engine_rng(sim_engine *e, uint32_t stream) { return &e->streams[stream_in_range(e, stream)]; }

sim_rng sim_engine_keyed(sim_engine *e, uint32_t stream, uint64_t entity, uint64_t occurrence)
{
    return sim_rng_keyed(e->key_prefix[stream_in_range(e, stream)], entity, occurrence);
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
    /* pool_cap changes only once both arrays have grown. */
    if (engine_resize(e, (void **)&e->pool, ncap, sizeof *e->pool) ||
        engine_resize(e, (void **)&e->heap, ncap, sizeof *e->heap))
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
    r->gen = r->gen == UINT32_MAX ? 1 : r->gen + 1; /* 0 never names a live event */
    r->next_free = e->free_head;
    e->free_head = idx;
}

/* ---- 4-ary heap (sim/core/timekey.h) ---- */

static inline void heap_push(sim_engine *e, heap_key k)
{
    sim_keyheap_push(e->heap, &e->heap_n, k);
}

static void heap_push_outline(sim_engine *e, heap_key k);

static inline heap_key heap_pop(sim_engine *e)
{
    return sim_keyheap_pop(e->heap, &e->heap_n);
}

/* ---- calendar levels (after Brown's calendar queue, 1988, and Tang, Goh &
 * Thng's ladder queue, 2005) ----
 *
 * When nothing else is left, the top list's events are spread over level 0:
 * about one bucket per PER_BUCKET events between their earliest and latest
 * times. Buckets are drained in order. A drained bucket with more than
 * SORT_MAX keys is spread over a nested level of its own (level k + 1 lies
 * inside the bucket of level k being drained); a smaller one is sorted into
 * `sorted` (a counting sort over its own span, then a small sort per slot)
 * and popped from the front. A new event goes to the top list when it lies
 * beyond level 0, to the first level (from the outermost) whose bucket for
 * it is still to come, and otherwise (it falls in the bucket being drained)
 * to the heap; the next event is the earlier of the heap's first key and the
 * sorted array's. When the heap grows to HEAP_SPAWN keys (a model scheduling
 * many events close to now), the heap and the rest of the sorted array move
 * into a new nested level, so the heap stays small.
 *
 * Bucket indices are monotone in t (the same arithmetic for every key of a
 * level, clamped to the level's last bucket in nested levels), so a smaller
 * index means an earlier time, and (t, seq) order is kept exactly whatever
 * the widths: widths only decide the speed (a bucket that holds everything
 * degrades to the plain heap, or to one heap sort). Keys live in contiguous
 * arrays, so draining reads memory in order, and the records of the next
 * events are prefetched. */

/* Bucket of t in a level of nb buckets from `start`: 0 .. nb (nb = beyond).
 * nb_d is nb as a double (converting on every call costs). */
static inline size_t level_index(double t, double start, double inv_width, double nb_d)
{
    double x = (t - start) * inv_width; /* NaN (t == start, infinite scale): 0 */
    x = x > 0 ? x : 0.0;
    x = x < nb_d ? x : nb_d;
    return (size_t)(int64_t)x;
}

/* Level k's bucket for t: 0 .. nb at level 0 (nb = beyond, the top list),
 * 0 .. nb - 1 in nested levels. */
static inline size_t bucket_at(const sim_engine *e, int k, double t)
{
    const level *L = &e->levels[k];
    size_t b = level_index(t, L->start, L->inv_width, L->nb_d);
    return k == 0 || b < L->nb ? b : L->nb - 1;
}

static __attribute__((noinline)) int keyvec_grow(sim_engine *e, keyvec *v)
{
    uint32_t ncap = v->cap ? 2 * v->cap : 8;
    if (engine_resize(e, (void **)&v->k, ncap, sizeof *v->k))
        return -1;
    v->cap = ncap;
    return 0;
}

/* Appends a key; on failure the engine fails and -1 is returned. */
static inline int keyvec_push(sim_engine *e, keyvec *v, heap_key k)
{
    if (v->n == v->cap && keyvec_grow(e, v))
        return -1;
    v->k[v->n++] = k;
    return 0;
}

static __attribute__((noinline)) int top_push(sim_engine *e, heap_key k)
{
    if (e->top.n == 0 || k.t < e->top_min)
        e->top_min = k.t;
    if (e->top.n == 0 || k.t > e->top_max)
        e->top_max = k.t;
    return keyvec_push(e, &e->top, k);
}

/* Sets up level k (k == depth) for keys spanning [lo, hi], about
 * PER_BUCKET per bucket; the level spans [lo, hi] with hi just inside the
 * last bucket. When lo == hi (or the span is too small for a finite scale)
 * the scale is infinite: level_index maps t <= lo to bucket 0 and t > lo to
 * nb. Returns -1 when out of memory. */
static int level_open(sim_engine *e, size_t n_keys, double lo, double hi)
{
    level *L = &e->levels[e->depth];
    size_t nb = n_keys / PER_BUCKET + 1;
    if (nb > L->alloc) {
        if (engine_resize(e, (void **)&L->b, nb, sizeof *L->b))
            return -1;
        memset(L->b + L->alloc, 0, (nb - L->alloc) * sizeof *L->b);
        L->alloc = nb;
    }
    double range = hi - lo;
    double inv = (double)nb / range * (1.0 - 0x1p-20);
    L->nb = nb;
    L->nb_d = (double)nb;
    L->start = lo;
    L->inv_width = range > 0 && isfinite(inv) ? inv : INFINITY;
    L->next = 0;
    e->depth++;
    return 0;
}

/* Spreads keys over the innermost level (depth - 1). */
static int level_fill(sim_engine *e, const heap_key *k, size_t n)
{
    int d = e->depth - 1;
    level *L = &e->levels[d];
    for (size_t i = 0; i < n; i++)
        if (keyvec_push(e, &L->b[bucket_at(e, d, k[i].t)], k[i]))
            return -1;
    return 0;
}

static inline __attribute__((always_inline)) int pq_insert(sim_engine *e, heap_key k)
{
    for (int d = 0; d < e->depth; d++) {
        size_t b = bucket_at(e, d, k.t);
        if (b >= e->levels[d].next)
            return b < e->levels[d].nb ? keyvec_push(e, &e->levels[d].b[b], k) : top_push(e, k);
    }
    if (e->depth == 0)
        return top_push(e, k);
    heap_push_outline(e, k);
    return 0;
}

/* Spreads the top list over a new level 0. */
static __attribute__((noinline)) int top_spread(sim_engine *e)
{
    if (level_open(e, e->top.n, e->top_min, e->top_max))
        return -1;
    /* Keys that rounding would put beyond the level stay in the top list. */
    keyvec old = e->top;
    e->top = e->top_spare;
    e->top_spare = old;
    e->top.n = 0;
    level *L = &e->levels[0];
    for (size_t i = 0; i < old.n; i++) {
        heap_key k = old.k[i];
        size_t b = bucket_at(e, 0, k.t);
        if ((b < L->nb ? keyvec_push(e, &L->b[b], k) : top_push(e, k)) != 0)
            return -1;
    }
    e->top_spare.n = 0;
    return 0;
}

/* Sorts the m keys `in` into `sorted`. */
static int sort_bucket(sim_engine *e, const heap_key *in, uint32_t m, double lo, double hi)
{
    if (m > e->sorted_cap) {
        if (engine_resize(e, (void **)&e->sorted, m, sizeof *e->sorted) ||
            engine_resize(e, (void **)&e->slot, m, sizeof *e->slot))
            return -1;
        e->sorted_cap = m;
    }
    heap_key *out = e->sorted;
    if (m <= SIM_KEYS_INSERTION_MAX) {
        memcpy(out, in, m * sizeof *out);
        sim_keys_insertion_sort(out, m);
    } else {
        /* Counting sort over the keys' span, slots clamped to 0 .. nb - 1
         * (monotone in t), then each slot sorted. */
        size_t nb = m / SORT_PER_SLOT + 1;
        if (nb + 1 > e->slot_off_cap) {
            if (engine_resize(e, (void **)&e->slot_off, nb + 1, sizeof *e->slot_off))
                return -1;
            e->slot_off_cap = nb + 1;
        }
        double inv = (double)nb / (hi - lo), nb_d = (double)nb;
        if (!(hi > lo) || !isfinite(inv))
            inv = 0.0;
        uint32_t *slot = e->slot, *off = e->slot_off;
        memset(off, 0, (nb + 1) * sizeof *off);
        for (uint32_t i = 0; i < m; i++) {
            size_t s = level_index(in[i].t, lo, inv, nb_d);
            s = s < nb ? s : nb - 1;
            slot[i] = (uint32_t)s;
            off[s + 1]++;
        }
        for (size_t j = 1; j <= nb; j++)
            off[j] += off[j - 1];
        /* off[s] is now slot s's start; place keys, advancing it. */
        for (uint32_t i = 0; i < m; i++)
            out[off[slot[i]]++] = in[i];
        /* off[s] is now slot s's end, and slot s starts at off[s - 1]. */
        uint32_t start = 0;
        for (size_t s = 0; s < nb; s++) {
            uint32_t end = off[s];
            if (end - start > 1)
                sim_keys_sort(out + start, end - start);
            start = end;
        }
    }
    e->sorted_pos = 0;
    e->sorted_n = m;
    return 0;
}

static inline void span_of(const heap_key *k, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++) {
        double t = k[i].t;
        *lo = t < *lo ? t : *lo;
        *hi = t > *hi ? t : *hi;
    }
}

/* Drains bucket b of the innermost level: a nested level when it is large
 * and its times differ, otherwise into `sorted`. */
static __attribute__((noinline)) int bucket_drain(sim_engine *e, size_t b)
{
    level *L = &e->levels[e->depth - 1];
    L->next = b + 1;
    keyvec *v = &L->b[b];
    uint32_t m = v->n;
    double lo = v->k[0].t, hi = lo;
    span_of(v->k, m, &lo, &hi);
    int rc;
    if (m > SORT_MAX && hi > lo && e->depth < MAX_LEVELS) {
        /* Opening the nested level leaves this level's buckets (and v) in place. */
        rc = level_open(e, m, lo, hi);
        rc = rc ? rc : level_fill(e, v->k, m);
    } else {
        rc = sort_bucket(e, v->k, m, lo, hi);
    }
    v->n = 0;
    if (v->cap > KEEP_KEYS) {
        free(v->k);
        v->k = NULL;
        v->cap = 0;
    }
    return rc;
}

/* The heap has grown to heap_spawn_at: moves it and the rest of `sorted`
 * into a new nested level, when their times differ and a level is free. */
static __attribute__((noinline)) void heap_spawn(sim_engine *e)
{
    uint32_t rest = e->sorted_n - e->sorted_pos;
    const heap_key *tail = e->sorted + e->sorted_pos;
    double lo = e->heap[0].t, hi = lo;
    span_of(e->heap, e->heap_n, &lo, &hi);
    span_of(tail, rest, &lo, &hi);
    if (!(hi > lo) || e->depth >= MAX_LEVELS) {
        e->heap_spawn_at = 2 * e->heap_n; /* try again when it has doubled */
        return;
    }
    if (level_open(e, e->heap_n + rest, lo, hi) || level_fill(e, e->heap, e->heap_n) ||
        level_fill(e, tail, rest))
        return; /* the engine has failed */
    e->heap_n = 0;
    e->sorted_pos = e->sorted_n = 0;
    e->heap_spawn_at = HEAP_SPAWN;
}

/* heap_push for an event scheduled into the bucket being drained. */
static __attribute__((noinline)) void heap_push_outline(sim_engine *e, heap_key k)
{
    heap_push(e, k);
    if (e->heap_n >= e->heap_spawn_at)
        heap_spawn(e);
}

/* Refills `sorted` from the next bucket, opening nested levels, closing
 * spent ones and spreading the top list as needed. Called only when `sorted`
 * and the heap are empty. Returns false when nothing is pending (or on
 * failure). */
static __attribute__((noinline)) bool pq_refill(sim_engine *e)
{
    e->heap_spawn_at = HEAP_SPAWN;
    e->sorted_pos = e->sorted_n = 0;
    for (;;) {
        if (e->failed)
            return false;
        if (e->depth == 0) {
            if (e->top.n == 0 || top_spread(e))
                return false;
            continue;
        }
        level *L = &e->levels[e->depth - 1];
        size_t b = L->next;
        while (b < L->nb && L->b[b].n == 0)
            b++;
        if (b == L->nb) {
            e->depth--; /* spent: its parent's bucket is done */
            continue;
        }
        if (bucket_drain(e, b))
            return false;
        if (e->sorted_n > 0)
            return true;
    }
}

/* The earliest pending key, or NULL; *from_heap says where it is. */
static inline __attribute__((always_inline)) const heap_key *pq_first(sim_engine *e, bool *from_heap)
{
    if (e->sorted_pos < e->sorted_n) {
        const heap_key *k = &e->sorted[e->sorted_pos];
        *from_heap = e->heap_n > 0 && sim_key_less(&e->heap[0], k);
        return *from_heap ? &e->heap[0] : k;
    }
    *from_heap = true;
    if (e->heap_n > 0)
        return &e->heap[0];
    if (!pq_refill(e))
        return NULL;
    *from_heap = false; /* the heap is still empty: the refilled bucket's first */
    return &e->sorted[0];
}

/* Removes the key pq_first returned. */
static inline __attribute__((always_inline)) heap_key pq_take(sim_engine *e, bool from_heap)
{
    if (from_heap)
        return heap_pop(e);
    uint32_t p = e->sorted_pos++;
    if (p + 4 < e->sorted_n) /* the record four events ahead */
        __builtin_prefetch(&e->pool[e->sorted[p + 4].seq_idx & IDX_MASK]);
    return e->sorted[p];
}

/* Takes a free record and files the event (the checks are done). */
static inline __attribute__((always_inline)) sim_event_handle schedule_checked(sim_engine *e, double t, int model, uint32_t kind, uint64_t arg)
{
    uint32_t idx = e->free_head;
    event_rec *r = &e->pool[idx];
    e->free_head = r->next_free;
    r->arg = arg;
    r->kind = kind;
    r->model = (uint16_t)model;
    r->state = REC_PENDING;
    if (pq_insert(e, (heap_key){t, (e->seq << IDX_BITS) | idx})) {
        rec_release(e, idx);
        return (sim_event_handle){0, 0};
    }
    e->seq++;
    e->n_pending++;
    return (sim_event_handle){idx, r->gen};
}

/* sim_schedule when a check fails or the pool is full: says why, or grows. */
static __attribute__((noinline, cold)) sim_event_handle schedule_slow(sim_engine *e, double t, int model,
                                                                      uint32_t kind, uint64_t arg)
{
    sim_event_handle none = {0, 0};
    if (e->failed)
        return none;
    if (!(t >= e->now) || !isfinite(t)) {
        sim_fail_internal(e, "event for model '%s' scheduled at t=%g, before now (%g) or not finite",
                 model >= 0 && model < e->n_models ? e->models[model].name : "?", t, e->now);
        return none;
    }
    if (model < 0 || model >= e->n_models) {
        sim_fail_internal(e, "event scheduled for unknown model id %d", model);
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
    return schedule_checked(e, t, model, kind, arg);
}

sim_event_handle sim_schedule(sim_engine *e, double t, int model, uint32_t kind, uint64_t arg)
{
    bool ok = !e->failed & (t >= e->now) & (t <= DBL_MAX) & ((unsigned)model < (unsigned)e->n_models) &
              (e->n_pending < e->max_pending) & (e->seq < SEQ_LIMIT) & (e->free_head != UINT32_MAX);
    if (__builtin_expect(!ok, 0))
        return schedule_slow(e, t, model, kind, arg);
    return schedule_checked(e, t, model, kind, arg);
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

/* The earliest change due among the syncs (INFINITY: none); *which is
 * its sync (the first registered among equal times). */
static inline double syncs_next(const sim_engine *e, unsigned *which)
{
    double best = INFINITY;
    for (unsigned i = 0; i < e->n_syncs; i++) {
        double d = *e->syncs[i].due;
        if (d < best) {
            best = d;
            *which = i;
        }
    }
    return best;
}

/* Does a sync have a change due at or before t? (t may be an infinite t_stop.) */
static inline bool sync_due_by(const sim_engine *e, double t)
{
    unsigned w;
    double d = syncs_next(e, &w);
    return d <= t && d < INFINITY;
}

/* Runs the syncs' changes up to t in time order: the earliest sync runs up
 * to the next change of another (at equal times, the one registered first
 * goes first), until none is due by t. 0, or -1 when the engine failed in
 * one or a sync stopped at the event cap (event_cap set). */
static __attribute__((noinline)) int run_sync(sim_engine *e, double t, bool *event_cap)
{
    for (;;) {
        unsigned w = 0;
        double d = syncs_next(e, &w);
        if (!(d <= t && d < INFINITY))
            return 0;
        double upto = t;
        for (unsigned i = 0; i < e->n_syncs; i++) {
            if (i == w)
                continue;
            double o = *e->syncs[i].due;
            double bound = i < w ? nextafter(o, -INFINITY) : o; /* an earlier-registered sync goes first at o */
            if (bound < upto)
                upto = bound;
        }
        e->syncs[w].fn(e, e->syncs[w].ctx, upto);
        if (e->failed)
            return -1;
        double after = *e->syncs[w].due;
        if (after <= upto && after < INFINITY) { /* it stopped short */
            if (e->executed >= e->exec_limit) {
                *event_cap = true;
                e->cap_t = after;
                return -1;
            }
            sim_fail_internal(e, "a sync left changes at or before t=%g unapplied", upto);
            return -1;
        }
    }
}

/* Runs the next event if its time is <= t_stop (after the sync's changes up
 * to that time): 1 if one ran, 0 if none, -1 when the engine failed (before
 * or in the handler) or hit its cap (event_cap set, cap_t the time of the
 * first event or change left unrun). */
static inline __attribute__((always_inline)) int step_one(sim_engine *e, double t_stop, bool *event_cap)
{
    for (;;) {
        if (e->failed)
            return -1;
        bool from_heap;
        const heap_key *first = pq_first(e, &from_heap);
        if (!first || first->t > t_stop) {
            if (e->failed)
                return -1;
            return sync_due_by(e, t_stop) ? run_sync(e, t_stop, event_cap) : 0;
        }
        if (sync_due_by(e, first->t)) {
            if (run_sync(e, first->t, event_cap))
                return -1;
            continue; /* the sync may have scheduled events at that time */
        }
        uint32_t idx = (uint32_t)(first->seq_idx & IDX_MASK);
        event_rec *r = &e->pool[idx];
        if (r->state == REC_CANCELLED) {
            pq_take(e, from_heap);
            rec_release(e, idx);
            e->n_pending--;
            continue;
        }
        if (e->executed >= e->exec_limit) {
            *event_cap = true; /* the event stays pending */
            e->cap_t = first->t;
            return -1;
        }
        double t = first->t;
        pq_take(e, from_heap);
        uint32_t kind = r->kind;
        uint64_t arg = r->arg;
        uint16_t model = r->model;
        rec_release(e, idx);
        e->n_pending--;
        e->now = t;
        e->executed++;
        e->models[model].fn(e, e->models[model].ctx, kind, arg);
        return e->failed ? -1 : 1;
    }
}

static int step_error(sim_engine *e, bool event_cap, sim_err *err)
{
    if (event_cap)
        return sim_errf(err, "stopped after %llu events at t=%g (the cap sim.max_events): "
                             "the scenario would run away; raise the cap if this is intended",
                        (unsigned long long)e->executed, e->cap_t);
    return sim_errf(err, "%s", e->fail_msg);
}

int sim_step(sim_engine *e, double t_stop, sim_err *err)
{
    bool event_cap = false;
    int rc = step_one(e, t_stop, &event_cap);
    return rc < 0 ? step_error(e, event_cap, err) : rc;
}

int sim_run(sim_engine *e, double t_stop, sim_err *err)
{
    bool event_cap = false;
    int rc;
    uint64_t next_check = e->executed + 0x10000;
    /* Ctrl-C or SIGTERM stops a long replication too: a check every 65,536 events and changes run (a
     * step can run many changes: a sync drains its queue) */
    while ((rc = step_one(e, t_stop, &event_cap)) == 1)
        if (e->executed >= next_check) {
            next_check = e->executed + 0x10000;
            if (sim_interrupted())
                return sim_errf(err, "interrupted at t=%g after %llu events", e->now,
                                (unsigned long long)e->executed);
        }
    if (rc < 0)
        return step_error(e, event_cap, err);
    if (t_stop > e->now && isfinite(t_stop))
        e->now = t_stop;
    return 0;
}
