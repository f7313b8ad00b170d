/* Entity queue (sim/core/entityq.h) against a reference: the pending entity with
 * the least (time, order of adding), found by scanning every entity. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "sim/core/entityq.h"
#include "test.h"

enum { RQ_N = 300 };

/* The reference: each entity's pending time and adding order (-1: none). */
typedef struct ref_q {
    double t[RQ_N];
    long long seq[RQ_N];
    long long next_seq;
    double horizon;
} ref_q;

static void ref_add(ref_q *r, uint32_t id, double t)
{
    if (t <= r->horizon && t < INFINITY) {
        r->t[id] = t;
        r->seq[id] = r->next_seq++;
    } else {
        r->seq[id] = -1;
    }
}

static int ref_top(const ref_q *r)
{
    int best = -1;
    for (int i = 0; i < RQ_N; i++)
        if (r->seq[i] >= 0 && (best < 0 || r->t[i] < r->t[best] || (r->t[i] == r->t[best] && r->seq[i] < r->seq[best])))
            best = i;
    return best;
}

/* A caller's record with the queue's node inside, between fields the queue
 * must leave alone (sim_entityq_init_in). */
typedef struct rec {
    uint32_t guard_a;
    sim_key key;
    double guard_b;
    uint32_t next;
    uint32_t guard_c;
} rec;

/* Runs `steps` changes (with the nodes in `recs` when not NULL): the entity due first is next due after a random
 * gap (zero, inside its bin, days later, or past the horizon), and now and
 * then an idle entity is added at a time from now on (before the earliest,
 * into its bin, or later). Returns 0 when every taken entity and due time
 * match the reference. */
static int run_against_reference(double changes_per_day, unsigned long seed, int steps, int *taken, rec *recs)
{
    const double horizon = 2000.0;
    sim_entityq q;
    sim_err err;
    ref_q *r = calloc(1, sizeof *r);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int init = recs ? sim_entityq_init_in(&q, RQ_N, horizon, changes_per_day, &recs[0].key, &recs[0].next,
                                          sizeof *recs, &err)
                    : sim_entityq_init(&q, RQ_N, horizon, changes_per_day, &err);
    if (!r || !g || init) {
        test_fail(__FILE__, __LINE__, "setup failed");
        return -1;
    }
    gsl_rng_set(g, seed);
    r->horizon = horizon;
    for (int i = 0; i < RQ_N; i++)
        r->seq[i] = -1;
    for (uint32_t i = 0; i < RQ_N; i += 2) {
        double t = gsl_rng_uniform(g) * 20.0;
        ref_add(r, i, t);
        sim_entityq_add(&q, i, t);
    }
    double now = 0;
    int rc = 0;
    *taken = 0;
    for (int s = 0; s < steps && rc == 0; s++) {
        int want = ref_top(r);
        double want_due = want >= 0 ? r->t[want] : INFINITY;
        if (q.due != want_due) {
            test_fail(__FILE__, __LINE__, "step %d: due %.17g, reference %.17g", s, q.due, want_due);
            rc = -1;
            break;
        }
        if (want < 0)
            break;
        uint32_t got = sim_entityq_top(&q);
        if (got != (uint32_t)want) {
            test_fail(__FILE__, __LINE__, "step %d at t=%.17g: entity %u first, reference %d (t=%.17g)", s, q.due, got,
                      want, r->t[want]);
            rc = -1;
            break;
        }
        now = q.due;
        (*taken)++;
        double u = gsl_rng_uniform(g), gap;
        if (u < 0.1)
            gap = 0.0; /* due again at once: after the others due now */
        else if (u < 0.3)
            gap = gsl_rng_uniform(g) * 0.01; /* most likely its own bin */
        else if (u < 0.99)
            gap = gsl_rng_uniform(g) * 30.0;
        else
            gap = horizon + 1.0; /* dropped */
        ref_add(r, (uint32_t)want, now + gap);
        sim_entityq_replace_top(&q, now + gap);
        if (gsl_rng_uniform(g) < 0.2) {
            uint32_t id = (uint32_t)gsl_rng_uniform_int(g, RQ_N);
            if (r->seq[id] < 0) {
                double v = gsl_rng_uniform(g), t;
                if (v < 0.3)
                    t = now; /* before or with the earliest */
                else if (v < 0.6)
                    t = now + gsl_rng_uniform(g) * 0.01;
                else
                    t = now + gsl_rng_uniform(g) * 50.0;
                ref_add(r, id, t);
                sim_entityq_add(&q, id, t);
            }
        }
    }
    sim_entityq_free(&q);
    gsl_rng_free(g);
    free(r);
    return rc;
}

TEST(entityq_matches_a_reference_order)
{
    /* One bin (no rate), a few per bin, and many more bins than entities;
     * the queue's own nodes, then nodes in the caller's records. */
    const double rates[] = {0.0, 1.0, 30.0, 5000.0};
    static rec recs[RQ_N];
    for (int i = 0; i < RQ_N; i++)
        recs[i] = (rec){.guard_a = 0xa5a5a5a5u, .guard_b = -1.5, .guard_c = 0x5a5a5a5au};
    for (int in_records = 0; in_records < 2; in_records++)
        for (int i = 0; i < 4; i++) {
            int taken;
            if (run_against_reference(rates[i], 7u + (unsigned long)i, 20000, &taken, in_records ? recs : NULL))
                return;
            CHECK(taken > 5000, "changes_per_day %g%s: only %d changes taken", rates[i],
                  in_records ? " (nodes in records)" : "", taken);
        }
    for (int i = 0; i < RQ_N; i++)
        CHECK(recs[i].guard_a == 0xa5a5a5a5u && recs[i].guard_b == -1.5 && recs[i].guard_c == 0x5a5a5a5au,
              "record %d: a field beside the node changed (%#x, %g, %#x)", i, recs[i].guard_a, recs[i].guard_b,
              recs[i].guard_c);
}

TEST(entityq_drops_times_past_the_horizon)
{
    sim_entityq q;
    sim_err err;
    CHECK(sim_entityq_init(&q, 4, 10.0, 1.0, &err) == 0, "init: %s", err.msg);
    sim_entityq_add(&q, 0, 10.5);
    sim_entityq_add(&q, 1, INFINITY);
    sim_entityq_add(&q, 2, NAN);
    CHECK(isinf(q.due), "due %g with nothing kept", q.due);
    sim_entityq_add(&q, 3, 10.0); /* the horizon itself is kept */
    CHECK(q.due == 10.0 && sim_entityq_top(&q) == 3, "due %g, top %u: want 10 and entity 3", q.due,
          sim_entityq_top(&q));
    sim_entityq_replace_top(&q, 11.0);
    CHECK(isinf(q.due), "due %g after the last moved past the horizon", q.due);
    sim_entityq_free(&q);
}
