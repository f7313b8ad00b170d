/* Engine: ordering, ties, cancellation, event cap, errors, determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/engine.h"
#include "test.h"

typedef struct log_ctx {
    double t[64];
    uint64_t arg[64];
    int n;
} log_ctx;

static void log_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind;
    log_ctx *l = ctx;
    if (l->n < 64) {
        l->t[l->n] = sim_now(e);
        l->arg[l->n++] = arg;
    }
}

static sim_engine *new_engine(uint64_t seed, uint64_t rep, uint64_t cap)
{
    sim_engine_opts o = {seed, rep, cap, 0};
    sim_err err;
    return sim_engine_new(&o, &err);
}

TEST(engine_orders_by_time_then_insertion)
{
    sim_engine *e = new_engine(1, 0, 0);
    log_ctx l = {0};
    sim_err err;
    int m = sim_engine_add_model(e, "log", log_handler, &l, &err);
    double times[] = {5, 1, 3, 1, 2, 3, 1};
    for (uint64_t i = 0; i < 7; i++)
        sim_schedule(e, times[i], m, 0, i);
    CHECK(sim_run(e, 100, &err) == 0, "run failed: %s", err.msg);
    uint64_t want[] = {1, 3, 6, 4, 2, 5, 0};
    CHECK(l.n == 7, "ran %d events, want 7", l.n);
    for (int i = 0; i < 7; i++)
        CHECK(l.arg[i] == want[i], "event %d: got arg %llu, want %llu (t=%g)", i, (unsigned long long)l.arg[i],
              (unsigned long long)want[i], l.t[i]);
    CHECK(sim_now(e) == 100.0, "clock after run: %g, want 100", sim_now(e));
    sim_engine_free(e);
}

enum { HEAP_N = 50000 };

typedef struct heap_log {
    double t[HEAP_N];
    uint64_t a[HEAP_N];
    int n;
} heap_log;

static void heap_log_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind;
    heap_log *b = ctx;
    if (b->n < HEAP_N) {
        b->t[b->n] = sim_now(e);
        b->a[b->n++] = arg;
    }
}

TEST(engine_heap_matches_sorted_reference)
{
    /* 50,000 events at random whole-day times (many ties): they must fire in
     * (time, insertion) order, each at the time it was scheduled for. */
    heap_log *b = calloc(1, sizeof *b);
    double *when = calloc(HEAP_N, sizeof *when);
    CHECK(b && when, "out of memory");
    sim_engine *e = new_engine(7, 0, 0);
    sim_err err;
    sim_rng *r = sim_engine_rng(e, 9);
    int m = sim_engine_add_model(e, "log", heap_log_handler, b, &err);
    for (uint64_t i = 0; i < HEAP_N; i++) {
        when[i] = (double)(unsigned long)(sim_rng_uniform(r) * (double)(1000));
        sim_schedule(e, when[i], m, 0, i);
    }
    int rc = sim_run(e, 1e9, &err);
    int bad = -1;
    for (int i = 1; i < b->n && bad < 0; i++)
        if (!(b->t[i] > b->t[i - 1] || (b->t[i] == b->t[i - 1] && b->a[i] > b->a[i - 1])) || b->t[i] != when[b->a[i]])
            bad = i;
    int n = b->n;
    double t0 = bad > 0 ? b->t[bad - 1] : 0, t1 = bad > 0 ? b->t[bad] : 0;
    unsigned long long a0 = bad > 0 ? b->a[bad - 1] : 0, a1 = bad > 0 ? b->a[bad] : 0;
    free(b);
    free(when);
    sim_engine_free(e);
    CHECK(rc == 0, "run: %s", err.msg);
    CHECK(n == HEAP_N, "ran %d events, want %d", n, HEAP_N);
    CHECK(bad < 0, "pop %d out of order: (t=%g, arg=%llu) after (t=%g, arg=%llu)", bad, t1, a1, t0, a0);
}

TEST(engine_cancel_and_stale_handles)
{
    sim_engine *e = new_engine(1, 0, 0);
    log_ctx l = {0};
    sim_err err;
    int m = sim_engine_add_model(e, "log", log_handler, &l, &err);
    sim_event_handle h1 = sim_schedule(e, 1, m, 0, 1);
    sim_event_handle h2 = sim_schedule(e, 2, m, 0, 2);
    sim_event_handle h3 = sim_schedule(e, 3, m, 0, 3);
    CHECK(sim_cancel(e, h2), "cancel of a pending event failed");
    CHECK(!sim_cancel(e, h2), "second cancel of the same event succeeded");
    CHECK(sim_run(e, 1.5, &err) == 0, "run: %s", err.msg);
    CHECK(!sim_cancel(e, h1), "cancel of an event that already fired succeeded");
    /* h1's record is reused by the next schedule: the stale handle must not cancel it. */
    sim_event_handle h4 = sim_schedule(e, 4, m, 0, 4);
    CHECK(h4.idx == h1.idx || h4.idx == h2.idx, "expected a recycled record (idx %u)", h4.idx);
    CHECK(!sim_cancel(e, h1), "stale handle cancelled a recycled record");
    CHECK(sim_run(e, 10, &err) == 0, "run: %s", err.msg);
    CHECK(l.n == 3 && l.arg[0] == 1 && l.arg[1] == 3 && l.arg[2] == 4, "fired %d events: %llu %llu %llu", l.n,
          (unsigned long long)l.arg[0], (unsigned long long)l.arg[1], (unsigned long long)l.arg[2]);
    (void)h3;
    sim_engine_free(e);
}

static void forever(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind;
    int *m = ctx;
    sim_schedule(e, sim_now(e) + 1.0, *m, 0, arg + 1);
}

TEST(engine_event_cap_stops_a_runaway)
{
    sim_engine *e = new_engine(1, 0, 1000);
    int m = 0;
    sim_err err;
    m = sim_engine_add_model(e, "forever", forever, &m, &err);
    sim_schedule(e, 0, m, 0, 0);
    int rc = sim_run(e, 1e12, &err);
    CHECK(rc == -1, "a runaway run returned %d", rc);
    CHECK_STR_CONTAINS(err.msg, "stopped after 1000 events");
    CHECK(sim_events_executed(e) == 1000, "executed %llu", (unsigned long long)sim_events_executed(e));
    sim_engine_free(e);
}

TEST(engine_rejects_events_in_the_past)
{
    sim_engine *e = new_engine(1, 0, 0);
    log_ctx l = {0};
    sim_err err;
    int m = sim_engine_add_model(e, "log", log_handler, &l, &err);
    sim_run(e, 5, &err);
    sim_event_handle h = sim_schedule(e, 4, m, 0, 0);
    CHECK(h.gen == 0, "an event in the past was accepted");
    CHECK(sim_run(e, 10, &err) == -1, "run after a failed schedule succeeded");
    CHECK_STR_CONTAINS(err.msg, "before now");
    sim_engine_free(e);
    e = new_engine(1, 0, 0);
    m = sim_engine_add_model(e, "log", log_handler, &l, &err);
    h = sim_schedule(e, NAN, m, 0, 0);
    CHECK(h.gen == 0, "an event at NaN was accepted");
    sim_engine_free(e);
}

static double hold_run(uint64_t seed, uint64_t rep, int n_pending, int n_events)
{
    sim_engine *e = new_engine(seed, rep, 0);
    sim_err err;
    sim_rng *r = sim_engine_rng(e, 1);
    int m = 0;
    m = sim_engine_add_model(e, "hold", forever, &m, &err);
    for (int i = 0; i < n_pending; i++)
        sim_schedule(e, sim_rng_exponential(r), m, 0, 0);
    double sum = 0;
    for (int i = 0; i < n_events; i++) {
        if (sim_step(e, INFINITY, &err) != 1)
            break;
        sum += sim_now(e);
    }
    sim_engine_free(e);
    return sum;
}

TEST(engine_same_seed_same_run)
{
    double a = hold_run(42, 3, 1000, 20000), b = hold_run(42, 3, 1000, 20000);
    double c = hold_run(42, 4, 1000, 20000), d = hold_run(43, 3, 1000, 20000);
    CHECK(a == b, "same seed, different result: %.17g vs %.17g", a, b);
    CHECK(a != c, "replications 3 and 4 gave the same result %.17g", a);
    CHECK(a != d, "seeds 42 and 43 gave the same result %.17g", a);
}

typedef struct churn {
    sim_rng *r;
    int model;
    long child_limit;  /* handlers schedule children while fewer have fired */
    uint64_t next_arg; /* scheduling order */
    double last_t;
    uint64_t last_arg;
    long fired, bad;
    double bad_t, bad_prev_t;
} churn;

static void churn_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind;
    churn *c = ctx;
    double t = sim_now(e);
    if (c->fired > 0 && (t < c->last_t || (t == c->last_t && arg < c->last_arg))) {
        if (!c->bad) {
            c->bad_t = t;
            c->bad_prev_t = c->last_t;
        }
        c->bad++;
    }
    c->last_t = t;
    c->last_arg = arg;
    c->fired++;
    /* 0-2 children: same time, tiny, ordinary or far offsets. */
    unsigned n = (unsigned)(unsigned long)(sim_rng_uniform(c->r) * (double)(3));
    for (unsigned i = 0; i < n && c->fired < c->child_limit; i++) {
        double u = sim_rng_uniform(c->r), dt;
        if (u < 0.2)
            dt = 0.0;
        else if (u < 0.4)
            dt = 1e-9 * sim_rng_uniform(c->r);
        else if (u < 0.95)
            dt = sim_rng_exponential(c->r);
        else
            dt = 1e3 * sim_rng_uniform(c->r);
        sim_schedule(e, t + dt, c->model, 0, c->next_arg++);
    }
}

/* A new engine with the churn model registered (seed, stream 3). */
static sim_engine *churn_start(churn *c, uint64_t seed, long child_limit)
{
    sim_engine *e = new_engine(seed, 0, 0);
    memset(c, 0, sizeof *c);
    sim_err err;
    c->r = sim_engine_rng(e, 3);
    c->model = sim_engine_add_model(e, "churn", churn_handler, c, &err);
    c->child_limit = child_limit;
    return e;
}

/* Runs to the end and checks: no error, every scheduled event fired once,
 * in (time, insertion) order, nothing left pending. Frees the engine. */
static void churn_finish(sim_engine *e, churn *c)
{
    sim_err err;
    int rc = sim_run(e, INFINITY, &err);
    uint32_t left = sim_events_pending(e);
    sim_engine_free(e);
    CHECK(rc == 0, "run: %s", err.msg);
    CHECK(c->bad == 0, "%ld events out of order (first at t=%.17g after t=%.17g)", c->bad, c->bad_t,
          c->bad_prev_t);
    CHECK((uint64_t)c->fired == c->next_arg, "fired %ld of %llu scheduled events", c->fired,
          (unsigned long long)c->next_arg);
    CHECK(left == 0, "%u events left pending", left);
}

TEST(engine_order_kept_under_churn)
{
    churn c;
    sim_engine *e = churn_start(&c, 11, 400000);
    for (int i = 0; i < 20000; i++)
        sim_schedule(e, 10.0 * sim_rng_uniform(c.r), c.model, 0, c.next_arg++);
    churn_finish(e, &c);
}

TEST(engine_order_kept_in_crowded_buckets)
{
    /* Crowds that make buckets spread into finer levels: 5,000 events at
     * exactly t = 1 (ties: insertion order), 5,000 within 1e-12 of t = 2,
     * 5,000 spread over [3, 3.001), among 5,000 spread over [0, 1000). */
    churn c;
    sim_engine *e = churn_start(&c, 5, 0);
    for (int i = 0; i < 5000; i++) {
        sim_schedule(e, 1000.0 * sim_rng_uniform(c.r), c.model, 0, c.next_arg++);
        sim_schedule(e, 1.0, c.model, 0, c.next_arg++);
        sim_schedule(e, 2.0 + 1e-12 * sim_rng_uniform(c.r), c.model, 0, c.next_arg++);
        sim_schedule(e, 3.0 + 1e-3 * sim_rng_uniform(c.r), c.model, 0, c.next_arg++);
    }
    churn_finish(e, &c);
}

TEST(engine_order_kept_at_the_depth_limit)
{
    /* Three events at each t = 2^-i, i = 0..1000: every level's first
     * bucket again holds almost all of them, so levels nest down to the
     * limit, where the rest is sorted in one go. */
    churn c;
    sim_engine *e = churn_start(&c, 6, 0);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i <= 1000; i++)
            sim_schedule(e, ldexp(1.0, -i), c.model, 0, c.next_arg++);
    churn_finish(e, &c);
}

static void burst_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    churn *c = ctx;
    churn_handler(e, ctx, kind, arg);
    /* Every 50th event schedules 300 at its own time and 300 within 1e-3:
     * the heap of the bucket being drained overflows, once with equal times
     * (it cannot be spread and must wait until it has doubled). */
    if (arg % 50 == 0 && c->fired < 2000) {
        for (int i = 0; i < 300; i++)
            sim_schedule(e, sim_now(e), c->model, 0, c->next_arg++);
        for (int i = 0; i < 300; i++)
            sim_schedule(e, sim_now(e) + 1e-3 * sim_rng_uniform(c->r), c->model, 0, c->next_arg++);
    }
}

TEST(engine_order_kept_under_bursts_near_now)
{
    churn c;
    sim_engine *e = churn_start(&c, 8, 0);
    sim_err err;
    c.model = sim_engine_add_model(e, "burst", burst_handler, &c, &err);
    for (int i = 0; i < 2000; i++)
        sim_schedule(e, 100.0 * sim_rng_uniform(c.r), c.model, 0, c.next_arg++);
    churn_finish(e, &c);
}

/* A reference pending set: an unsorted array searched for its earliest
 * (time, insertion) entry at every event. */
enum { REF_MAX = 4096 };
typedef struct ref_model {
    sim_rng *r;
    int model;
    double t[REF_MAX];
    uint64_t seq[REF_MAX];
    sim_event_handle h[REF_MAX];
    int n;
    uint64_t next_seq;
    long fired, cancelled, bad, limit;
    double bad_t, want_t;
} ref_model;

static void ref_schedule(sim_engine *e, ref_model *m, double t)
{
    if (m->n == REF_MAX)
        return;
    m->t[m->n] = t;
    m->seq[m->n] = m->next_seq;
    m->h[m->n] = sim_schedule(e, t, m->model, 0, m->next_seq++);
    m->n++;
}

static void ref_remove(ref_model *m, int i)
{
    m->n--;
    m->t[i] = m->t[m->n];
    m->seq[i] = m->seq[m->n];
    m->h[i] = m->h[m->n];
}

static void ref_handler(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind;
    ref_model *m = ctx;
    int first = 0;
    for (int i = 1; i < m->n; i++)
        if (m->t[i] < m->t[first] || (m->t[i] == m->t[first] && m->seq[i] < m->seq[first]))
            first = i;
    if (m->n == 0 || m->seq[first] != arg || m->t[first] != sim_now(e)) {
        if (!m->bad) {
            m->bad_t = sim_now(e);
            m->want_t = m->n ? m->t[first] : -1;
        }
        m->bad++;
    }
    for (int i = 0; i < m->n; i++) /* drop the fired entry (by its number) */
        if (m->seq[i] == arg) {
            ref_remove(m, i);
            break;
        }
    if (++m->fired >= m->limit)
        return;
    /* 0-3 children at offsets from zero to far, and sometimes a cancel. */
    unsigned n = (unsigned)(unsigned long)(sim_rng_uniform(m->r) * (double)(4));
    for (unsigned i = 0; i < n; i++) {
        double u = sim_rng_uniform(m->r), dt;
        dt = u < 0.15 ? 0.0
           : u < 0.3  ? 1e-6 * sim_rng_uniform(m->r)
           : u < 0.9  ? sim_rng_exponential(m->r)
                      : 500.0 * sim_rng_uniform(m->r);
        ref_schedule(e, m, sim_now(e) + dt);
    }
    if (m->n > 0 && sim_rng_uniform(m->r) < 0.3) {
        int i = (int)(sim_rng_uniform(m->r) * (double)m->n);
        if (sim_cancel(e, m->h[i])) {
            m->cancelled++;
            ref_remove(m, i);
        }
    }
}

TEST(engine_matches_a_reference_pending_set)
{
    /* 100,000 events with children at zero, tiny, ordinary and far offsets
     * and random cancellations, run in stages (sim_run to a time, sim_step):
     * each event must be the reference's earliest pending one. */
    static ref_model m;
    memset(&m, 0, sizeof m);
    sim_engine *e = new_engine(21, 3, 0);
    sim_err err;
    m.r = sim_engine_rng(e, 4);
    m.model = sim_engine_add_model(e, "ref", ref_handler, &m, &err);
    m.limit = 100000;
    for (int i = 0; i < 1000; i++)
        ref_schedule(e, &m, 100.0 * sim_rng_uniform(m.r));
    int rc = 0;
    /* Stages end when a whole stage runs nothing (an engine that lost
     * events must fail the checks below, not loop here). */
    for (double t = 1.0; rc == 0; t *= 1.5) {
        uint64_t before = sim_events_executed(e);
        rc = sim_run(e, t, &err);
        for (int i = 0; i < 10 && rc == 0; i++)
            rc = sim_step(e, INFINITY, &err) < 0 ? -1 : 0;
        if (sim_events_executed(e) == before)
            break;
    }
    uint32_t left = sim_events_pending(e);
    sim_engine_free(e);
    CHECK(rc == 0, "run: %s", err.msg);
    CHECK(m.bad == 0, "%ld events out of order (first at t=%.17g, the reference's earliest t=%.17g)", m.bad,
          m.bad_t, m.want_t);
    CHECK(m.fired >= m.limit && m.cancelled > 1000, "fired %ld, cancelled %ld", m.fired, m.cancelled);
    CHECK(left == 0 && m.n == 0, "%u events left pending (reference: %d)", left, m.n);
}

TEST(engine_event_cap_keeps_the_next_event)
{
    /* The cap stops the run before the next event, which stays pending and
     * is the one that fires first when a fresh step runs past the cap. */
    sim_engine *e = new_engine(1, 0, 3);
    log_ctx l = {0};
    sim_err err;
    int m = sim_engine_add_model(e, "log", log_handler, &l, &err);
    for (int i = 0; i < 6; i++)
        sim_schedule(e, 6.0 - i, m, 0, (uint64_t)(6 - i));
    int rc = sim_run(e, 100, &err);
    CHECK(rc == -1 && l.n == 3, "rc %d after %d events", rc, l.n);
    CHECK(sim_events_pending(e) == 3, "%u pending after the cap", sim_events_pending(e));
    CHECK(l.arg[0] == 1 && l.arg[1] == 2 && l.arg[2] == 3, "fired %llu %llu %llu", (unsigned long long)l.arg[0],
          (unsigned long long)l.arg[1], (unsigned long long)l.arg[2]);
    CHECK(sim_now(e) == 3.0, "clock at %g after the cap, want 3", sim_now(e));
    sim_engine_free(e);
}

/* A sync with a fixed list of change times, and events that record how
 * many changes they saw applied. */
typedef struct sync_toy {
    const double *change_t;
    int n_changes, applied;
    double due;
    double applied_at[16];
    int seen[16]; /* per event: changes applied when it ran */
    int n_events;
} sync_toy;

static void toy_sync(sim_engine *e, void *ctx, double t)
{
    sync_toy *s = ctx;
    uint64_t left = sim_engine_charge(e, 0), n = 0;
    while (s->applied < s->n_changes && s->change_t[s->applied] <= t && n < left) {
        s->applied_at[s->applied] = s->change_t[s->applied];
        s->applied++;
        n++;
    }
    sim_engine_charge(e, n);
    s->due = s->applied < s->n_changes ? s->change_t[s->applied] : INFINITY;
}

static void toy_event(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)e, (void)kind, (void)arg;
    sync_toy *s = ctx;
    s->seen[s->n_events++] = s->applied;
}

TEST(engine_sync_changes_come_before_events_at_their_time)
{
    const double changes[] = {0.5, 1.0, 2.0, 2.0, 7.5};
    sync_toy s = {changes, 5, 0, 0.5, {0}, {0}, 0};
    sim_engine *e = new_engine(1, 0, 0);
    sim_err err;
    int m = sim_engine_add_model(e, "toy", toy_event, &s, &err);
    CHECK(sim_engine_add_sync(e, toy_sync, &s, &s.due, &err) == 0, "add_sync: %s", err.msg);
    sim_schedule(e, 1.0, m, 0, 0);
    sim_schedule(e, 2.0, m, 0, 0);
    sim_schedule(e, 3.0, m, 0, 0);
    CHECK(sim_run(e, 5.0, &err) == 0, "run: %s", err.msg);
    int want[] = {2, 4, 4}; /* the events at 1 and 2 see the changes at their own time */
    CHECK(s.n_events == 3, "%d events ran, want 3", s.n_events);
    for (int i = 0; i < 3; i++)
        CHECK(s.seen[i] == want[i], "event %d saw %d changes, want %d", i, s.seen[i], want[i]);
    CHECK(s.applied == 4 && s.due == 7.5, "after the run to t=5: %d applied, due %g; want 4 and 7.5", s.applied, s.due);
    CHECK(sim_events_executed(e) == 7, "executed %llu, want 3 events + 4 changes",
          (unsigned long long)sim_events_executed(e));
    /* Nothing else pending: the run's end still brings the sync up to t_stop. */
    CHECK(sim_run(e, 10.0, &err) == 0, "second run: %s", err.msg);
    CHECK(s.applied == 5 && isinf(s.due), "after the run to t=10: %d applied, due %g", s.applied, s.due);
    CHECK(sim_now(e) == 10.0, "clock %g, want 10", sim_now(e));
    CHECK(sim_run(e, INFINITY, &err) == 0, "a run with nothing due: %s", err.msg);
    sim_engine_free(e);
}

TEST(engine_sync_changes_count_against_the_event_cap)
{
    double changes[12];
    for (int i = 0; i < 12; i++)
        changes[i] = 1.0 + i;
    sync_toy s = {changes, 12, 0, 1.0, {0}, {0}, 0};
    sim_engine *e = new_engine(1, 0, 8);
    sim_err err;
    int m = sim_engine_add_model(e, "toy", toy_event, &s, &err);
    sim_engine_add_sync(e, toy_sync, &s, &s.due, &err);
    sim_schedule(e, 3.5, m, 0, 0);
    int rc = sim_run(e, 100.0, &err);
    CHECK(rc != 0, "a run of 12 changes and an event finished under a cap of 8");
    CHECK_STR_CONTAINS(err.msg, "max_events");
    CHECK_STR_CONTAINS(err.msg, "at t=8 "); /* the first change left unrun, not the last event's time */
    CHECK(sim_events_executed(e) == 8, "executed %llu at the cap, want 8", (unsigned long long)sim_events_executed(e));
    CHECK(s.applied == 7 && s.n_events == 1, "%d changes and %d events before the cap; want 7 and 1", s.applied,
          s.n_events);
    sim_engine_free(e);
}

/* Two syncs whose changes interleave: the engine applies them in time
 * order across both (ties: the sync added first), before the events at
 * their time; a third party (an event) sees both applied. */
typedef struct merge_toy {
    const double *t;
    int n, next, id;
    double due;
    double *log_t;
    int *log_id, *n_log;
} merge_toy;

static void merge_sync(sim_engine *e, void *ctx, double upto)
{
    merge_toy *m = ctx;
    uint64_t n = 0;
    while (m->next < m->n && m->t[m->next] <= upto) {
        m->log_t[*m->n_log] = m->t[m->next];
        m->log_id[(*m->n_log)++] = m->id;
        m->next++;
        n++;
    }
    sim_engine_charge(e, n);
    m->due = m->next < m->n ? m->t[m->next] : INFINITY;
}

static void merge_event(sim_engine *e, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)kind, (void)arg;
    merge_toy *a = ctx;
    a->log_t[*a->n_log] = sim_now(e);
    a->log_id[(*a->n_log)++] = 9; /* an engine event */
}

TEST(engine_several_syncs_merge_in_time_order)
{
    const double ta[] = {1.0, 2.0, 2.0, 5.0}, tb[] = {0.5, 2.0, 3.0, 3.0, 6.0};
    double log_t[32];
    int log_id[32], n_log = 0;
    merge_toy a = {ta, 4, 0, 0, 1.0, log_t, log_id, &n_log}, b = {tb, 5, 0, 1, 0.5, log_t, log_id, &n_log};
    sim_engine *e = new_engine(1, 0, 0);
    sim_err err;
    int m = sim_engine_add_model(e, "toy", merge_event, &a, &err);
    CHECK(sim_engine_add_sync(e, merge_sync, &a, &a.due, &err) == 0, "add_sync a: %s", err.msg);
    CHECK(sim_engine_add_sync(e, merge_sync, &b, &b.due, &err) == 0, "add_sync b: %s", err.msg);
    sim_schedule(e, 2.0, m, 0, 0);
    sim_schedule(e, 4.0, m, 0, 0);
    CHECK(sim_run(e, 10.0, &err) == 0, "run: %s", err.msg);
    /* time order; at 2.0: a's two, then b's, then the event */
    const double want_t[] = {0.5, 1.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0};
    const int want_id[] = {1, 0, 0, 0, 1, 9, 1, 1, 9, 0, 1};
    CHECK(n_log == 11, "%d entries, want 11", n_log);
    for (int i = 0; i < 11; i++)
        CHECK(log_t[i] == want_t[i] && log_id[i] == want_id[i], "entry %d: t=%g from %d, want t=%g from %d", i,
              log_t[i], log_id[i], want_t[i], want_id[i]);
    CHECK(sim_events_executed(e) == 11, "executed %llu, want 9 changes + 2 events",
          (unsigned long long)sim_events_executed(e));
    for (int i = 0; i < SIM_MAX_SYNCS - 2; i++)
        CHECK(sim_engine_add_sync(e, merge_sync, &a, &a.due, &err) == 0, "add_sync %d: %s", i, err.msg);
    CHECK(sim_engine_add_sync(e, merge_sync, &a, &a.due, &err) != 0, "a sync past SIM_MAX_SYNCS was accepted");
    CHECK_STR_CONTAINS(err.msg, "at most");
    sim_engine_free(e);
}
