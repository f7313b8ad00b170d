/*
 * entityq: a queue that holds at most one pending time per entity (an index
 * below n), for a model whose entities each wait for their own next change
 * (the racks: each accepted rack's next failure or repair). It feeds an
 * engine sync (sim/core/engine.h): no event record, no dispatch, no heap.
 *
 * Times fall in fixed-width bins over [0, horizon]; a time beyond the
 * horizon is never due and is not kept. A bin is an unsorted list threaded
 * through the entities (one link each, so adding costs a few stores and no
 * memory); the earliest non-empty bin is sorted into an array (sim_keys_sort)
 * and taken from the front, and a time that falls into that bin is inserted
 * in order. Order is (time, order of adding), so a run is deterministic and
 * the same as an engine's (time, scheduling order). This is a calendar queue
 * (Brown 1988) with a fixed year: the caller picks the width from the rate
 * it expects (sim_entityq_init's changes_per_day), so a bin holds a handful
 * of times and sorting it costs a few comparisons per time.
 */
#ifndef SIM_ENTITYQ_H
#define SIM_ENTITYQ_H

#include <stdint.h>

#include "sim/core/timekey.h"
#include "sim/core/util.h"

struct sim_entityq_node {
    sim_key key;
    uint32_t next;
};

typedef struct sim_entityq {
    double due;            /* the earliest pending time; INFINITY when none */
    sim_key *cur;          /* the earliest non-empty bin, sorted: cur[pos .. n) */
    uint32_t cur_pos, cur_n;
    size_t cur_bin;        /* its index; n_bins when nothing is pending */
    uint32_t *head;        /* per bin: its first entity, or SIM_ENTITYQ_NONE */
    /* Per entity, while in a bin's list: its pending key and the next entity
     * in the list, `stride` bytes apart (the queue's own nodes, or fields of
     * the caller's records: sim_entityq_init_in). */
    char *node_key, *node_next;
    size_t stride;
    struct sim_entityq_node *own; /* the nodes it allocated, if any */
    size_t n_bins;
    uint32_t n_entities;
    double horizon, inv_width;
    uint64_t seq;
} sim_entityq;

#define SIM_ENTITYQ_NONE UINT32_MAX
#define SIM_ENTITYQ_MAX_ENTITIES (1u << 24) /* indices share the key word with the sequence */

/* A queue for entities 0 .. n_entities - 1 and times in [0, horizon_days],
 * with bins sized for about changes_per_day changes a day (an estimate:
 * it decides the speed, never the order). Returns -1 with err filled when
 * out of memory or n_entities is too large. */
int sim_entityq_init(sim_entityq *q, uint32_t n_entities, double horizon_days, double changes_per_day,
                     sim_err *err);
/* The same, with entity i's key and link kept in the caller's records:
 * keys[i] and nexts[i] are `stride` bytes apart, both from the records'
 * start (a sim_key and a uint32_t field of each record). An entity's node
 * then shares a cache line with the caller's own data for it, which its
 * change reads next: the racks' failure records (models/buildout/racks.c). */
int sim_entityq_init_in(sim_entityq *q, uint32_t n_entities, double horizon_days, double changes_per_day,
                        sim_key *keys, uint32_t *nexts, size_t stride, sim_err *err);
void sim_entityq_free(sim_entityq *q);

/* Entity id (with nothing pending) is due at t (>= the time of the last
 * change taken); a t beyond the horizon, or infinite, is dropped. */
void sim_entityq_add(sim_entityq *q, uint32_t id, double t);

/* The entity due first (q->due finite). */
static inline uint32_t sim_entityq_top(const sim_entityq *q)
{
    return (uint32_t)(q->cur[q->cur_pos].seq_idx & (SIM_ENTITYQ_MAX_ENTITIES - 1u));
}

/* The entity due first, having changed at q->due, is next due at t (>= q->due;
 * beyond the horizon or infinite: nothing pending). */
void sim_entityq_replace_top(sim_entityq *q, double t);

#endif
