#include "sim/core/entityq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* About this many times per bin (speed only: 2, 4, 8 and 16 gave the same
 * rate on `build/bench renewal` within its noise, and the same instruction
 * count within 3 % on the 1 GW scenario), and at most this many bins (16 MB
 * of list heads). */
#define PER_BIN 8.0
#define MAX_BINS ((size_t)1 << 22)
#define IDX_BITS 24u

/* Both inits: `own` (freed with the queue, also on failure) holds the nodes or is NULL. */
static int setup(sim_entityq *q, uint32_t n_entities, double horizon_days, double changes_per_day, sim_key *keys,
                 uint32_t *nexts, size_t stride, struct sim_entityq_node *own, sim_err *err)
{
    memset(q, 0, sizeof *q);
    q->own = own;
    double bins = horizon_days * changes_per_day / PER_BIN;
    q->n_bins = bins >= 1.0 ? (bins < (double)MAX_BINS ? (size_t)bins : MAX_BINS) : 1;
    q->horizon = horizon_days;
    double inv = (double)q->n_bins / horizon_days;
    q->inv_width = horizon_days > 0 && isfinite(inv) ? inv : 0.0;
    q->n_entities = n_entities;
    q->due = INFINITY;
    q->cur_bin = q->n_bins;
    q->node_key = (char *)keys;
    q->node_next = (char *)nexts;
    q->stride = stride;
    size_t n = n_entities ? n_entities : 1;
    q->head = sim_calloc(q->n_bins, sizeof *q->head, err);
    q->cur = q->head ? sim_calloc(n, sizeof *q->cur, err) : NULL;
    if (!q->head || !q->cur) {
        sim_entityq_free(q);
        return sim_err_oom_for(err, "an event queue of %u entities, %zu bins", n_entities, q->n_bins);
    }
    memset(q->head, 0xff, q->n_bins * sizeof *q->head); /* SIM_ENTITYQ_NONE */
    return 0;
}

int sim_entityq_init_in(sim_entityq *q, uint32_t n_entities, double horizon_days, double changes_per_day,
                        sim_key *keys, uint32_t *nexts, size_t stride, sim_err *err)
{
    memset(q, 0, sizeof *q);
    if (n_entities > SIM_ENTITYQ_MAX_ENTITIES)
        return sim_errf(err, "entity queue: %u entities, at most %u", n_entities, SIM_ENTITYQ_MAX_ENTITIES);
    return setup(q, n_entities, horizon_days, changes_per_day, keys, nexts, stride, NULL, err);
}

int sim_entityq_init(sim_entityq *q, uint32_t n_entities, double horizon_days, double changes_per_day,
                     sim_err *err)
{
    memset(q, 0, sizeof *q);
    if (n_entities > SIM_ENTITYQ_MAX_ENTITIES)
        return sim_errf(err, "entity queue: %u entities, at most %u", n_entities, SIM_ENTITYQ_MAX_ENTITIES);
    struct sim_entityq_node *own = sim_calloc(n_entities ? n_entities : 1, sizeof *own, err);
    if (!own)
        return sim_err_oom_for(err, "an event queue of %u entities", n_entities);
    return setup(q, n_entities, horizon_days, changes_per_day, &own[0].key, &own[0].next, sizeof *own, own, err);
}

void sim_entityq_free(sim_entityq *q)
{
    free(q->head);
    free(q->own);
    free(q->cur);
    memset(q, 0, sizeof *q);
}

static inline sim_key *key_of(const sim_entityq *q, uint32_t id)
{
    return (sim_key *)(void *)(q->node_key + (size_t)id * q->stride);
}

static inline uint32_t *next_of(const sim_entityq *q, uint32_t id)
{
    return (uint32_t *)(void *)(q->node_next + (size_t)id * q->stride);
}

/* The bin of t (0 <= t <= horizon): monotone in t, so a later bin holds
 * later times. */
static inline size_t bin_of(const sim_entityq *q, double t)
{
    double x = t * q->inv_width;
    size_t b = x > 0 ? (size_t)(int64_t)x : 0; /* x < 2^22: the signed conversion is one instruction */
    return b < q->n_bins ? b : q->n_bins - 1;
}

static inline void link_key(sim_entityq *q, size_t b, sim_key k)
{
    uint32_t id = (uint32_t)(k.seq_idx & (SIM_ENTITYQ_MAX_ENTITIES - 1u));
    *key_of(q, id) = k;
    *next_of(q, id) = q->head[b];
    q->head[b] = id;
}

/* The current bin is spent: sorts the next non-empty one into cur. */
static void advance(sim_entityq *q)
{
    size_t b = q->cur_bin + 1;
    while (b < q->n_bins && q->head[b] == SIM_ENTITYQ_NONE)
        b++;
    q->cur_bin = b;
    q->cur_pos = q->cur_n = 0;
    if (b >= q->n_bins) {
        q->cur_bin = q->n_bins;
        q->due = INFINITY;
        return;
    }
    uint32_t n = 0;
    for (uint32_t id = q->head[b]; id != SIM_ENTITYQ_NONE; id = *next_of(q, id))
        q->cur[n++] = *key_of(q, id);
    q->head[b] = SIM_ENTITYQ_NONE;
    sim_keys_sort(q->cur, n);
    q->cur_n = n;
    q->due = q->cur[0].t;
}

void sim_entityq_add(sim_entityq *q, uint32_t id, double t)
{
    if (!(t <= q->horizon && t < INFINITY))
        return; /* never due (or NaN) */
    sim_key k = {t, (q->seq++ << IDX_BITS) | id};
    size_t b = bin_of(q, t);
    if (b > q->cur_bin) {
        link_key(q, b, k); /* cur is earlier and not empty: due stands */
        return;
    }
    if (b < q->cur_bin) {
        /* Earlier than everything pending: cur's keys go back to their bin. */
        if (q->cur_bin < q->n_bins)
            for (uint32_t i = q->cur_pos; i < q->cur_n; i++)
                link_key(q, q->cur_bin, q->cur[i]);
        q->cur_bin = b;
        q->cur[0] = k;
        q->cur_pos = 0;
        q->cur_n = 1;
        q->due = t;
        return;
    }
    /* Into the sorted bin: make room at the end (the entity was not
     * pending, so the pending keys leave room once moved to the front). */
    if (q->cur_n == (q->n_entities ? q->n_entities : 1)) {
        memmove(q->cur, q->cur + q->cur_pos, (q->cur_n - q->cur_pos) * sizeof *q->cur);
        q->cur_n -= q->cur_pos;
        q->cur_pos = 0;
    }
    uint32_t j = q->cur_n++;
    while (j > q->cur_pos && sim_key_less(&k, &q->cur[j - 1])) {
        q->cur[j] = q->cur[j - 1];
        j--;
    }
    q->cur[j] = k;
    q->due = q->cur[q->cur_pos].t;
}

void sim_entityq_replace_top(sim_entityq *q, double t)
{
    uint32_t id = sim_entityq_top(q);
    if (t <= q->horizon && t < INFINITY) {
        sim_key k = {t, (q->seq++ << IDX_BITS) | id};
        size_t b = bin_of(q, t); /* >= cur_bin: t >= due */
        if (b == q->cur_bin) {
            /* Takes the top's place and moves back past the earlier keys. */
            uint32_t j = q->cur_pos;
            while (j + 1 < q->cur_n && sim_key_less(&q->cur[j + 1], &k)) {
                q->cur[j] = q->cur[j + 1];
                j++;
            }
            q->cur[j] = k;
            q->due = q->cur[q->cur_pos].t;
            return;
        }
        link_key(q, b, k);
    }
    if (++q->cur_pos == q->cur_n)
        advance(q);
    else
        q->due = q->cur[q->cur_pos].t;
}
