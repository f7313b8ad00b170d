/*
 * timekey: time keys {t, seq_idx}, ordered by time, then by the packed word
 * (a sequence number above an index: unique, so the order is total and runs
 * are deterministic); a 4-ary min-heap of them and a sort of key arrays.
 * Header-only: the engine keeps the events scheduled into the bucket it is
 * draining in the heap and sorts its buckets with sim_keys_sort; the entity
 * queue (sim/core/entityq.h) sorts its bins with it.
 *
 * A 4-ary heap has half the depth of a binary one and its four children
 * share a cache line (16-byte keys): fewer levels and misses for a few more
 * comparisons (LaMarca & Ladner 1996).
 */
#ifndef SIM_TIMEKEY_H
#define SIM_TIMEKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_key {
    double t;
    uint64_t seq_idx; /* seq << index bits | index */
} sim_key;

/* Up to this many keys, sim_keys_sort sorts by insertion; above, by heap sort. */
#define SIM_KEYS_INSERTION_MAX 24

static inline bool sim_key_less(const sim_key *a, const sim_key *b)
{
    return a->t < b->t || (a->t == b->t && a->seq_idx < b->seq_idx);
}

/* Adds k to h[0 .. *n) (the caller has made room for one more). */
static inline void sim_keyheap_push(sim_key *h, uint32_t *n, sim_key k)
{
    uint32_t i = (*n)++;
    while (i > 0) {
        uint32_t parent = (i - 1) >> 2;
        if (!sim_key_less(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

/* Removes and returns the earliest key of h[0 .. *n) (*n > 0). */
static inline sim_key sim_keyheap_pop(sim_key *h, uint32_t *n)
{
    sim_key top = h[0];
    uint32_t m = --(*n);
    if (m == 0)
        return top;
    sim_key last = h[m];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 4 * i + 1;
        if (c >= m)
            break;
        uint32_t best = c;
        uint32_t end = c + 4 < m ? c + 4 : m;
        for (uint32_t j = c + 1; j < end; j++)
            if (sim_key_less(&h[j], &h[best]))
                best = j;
        if (!sim_key_less(&h[best], &last))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = last;
    return top;
}

static inline void sim_keys_insertion_sort(sim_key *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        sim_key k = a[i];
        size_t j = i;
        while (j > 0 && sim_key_less(&k, &a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = k;
    }
}

/* Restores the max-heap (4-ary) below position i of a[0 .. n). */
static inline void sim_keys_sift_down_max(sim_key *a, size_t i, size_t n)
{
    sim_key k = a[i];
    for (;;) {
        size_t c = 4 * i + 1, best = c;
        if (c >= n)
            break;
        for (size_t j = c + 1; j < c + 4 && j < n; j++)
            if (sim_key_less(&a[best], &a[j]))
                best = j;
        if (!sim_key_less(&k, &a[best]))
            break;
        a[i] = a[best];
        i = best;
    }
    a[i] = k;
}

/* Heap sort of a[0 .. n): O(n log n) for crowds of equal or near-equal times. */
static inline void sim_keys_heap_sort(sim_key *a, size_t n)
{
    for (size_t i = n > 1 ? (n - 2) / 4 + 1 : 0; i-- > 0;)
        sim_keys_sift_down_max(a, i, n);
    for (size_t end = n; end > 1; end--) {
        sim_key k = a[end - 1];
        a[end - 1] = a[0];
        a[0] = k;
        sim_keys_sift_down_max(a, 0, end - 1);
    }
}

/* Sorts a[0 .. n) into (t, seq_idx) order. */
static inline void sim_keys_sort(sim_key *a, size_t n)
{
    if (n <= SIM_KEYS_INSERTION_MAX)
        sim_keys_insertion_sort(a, n);
    else
        sim_keys_heap_sort(a, n);
}

#endif
