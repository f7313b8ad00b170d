/*
 * engine: the discrete-event core. A clock, a pending-event set, an event cap,
 * per-model handler tables and per-model RNG streams, all hanging off one
 * explicit sim_engine context (no globals), so replications can run in
 * separate threads.
 *
 * Ordering: events fire in order of (time, insertion sequence); two events at
 * the same time fire in the order they were scheduled, so runs are
 * deterministic. Pending events are 16-byte keys {t, seq << 24 | record
 * index} (comparing the packed word compares the sequence number, which is
 * unique) in nested calendar levels: buckets (growable key arrays) built
 * from an unsorted top list, a large bucket spread over a finer level of its
 * own, a small one sorted into one array (counting sort, then insertion or
 * heap sort per slot), and a 4-ary heap for events scheduled into the bucket
 * being drained, moved into a finer level when it grows (Brown 1988; Tang, Goh &
 * Thng 2005). Event records (model, kind, argument, generation) live in a
 * pool with a free list: no malloc per event.
 *
 * Cancellation is lazy (as in Redis's ae.c): sim_cancel marks the record and
 * the run loop drops it when it reaches the top. A handle carries the record's
 * generation, so a stale handle (its event already fired or cancelled) is
 * recognised and refused.
 *
 * Models plug in through sim_engine_add_model: a name, a handler and a context.
 * The engine calls handler(engine, ctx, kind, arg) and never looks at kinds.
 * A model whose many entities each wait for their own next change (racks
 * failing and being repaired) may keep them outside the pending set and
 * register a sync (sim_engine_add_sync): the engine brings it up to each
 * event's time before running the event.
 *
 * Limits: at most 2^24 - 1 pending events at once and 2^40 events scheduled
 * over a run (the packed key); a run also stops with an error when it has
 * executed max_events events, so a scenario that would run away says so.
 * Times are in the caller's unit (days, for gigasim's models).
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/core/rng.h"
#include "sim/core/util.h"

typedef struct sim_engine sim_engine;

typedef void (*sim_event_fn)(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg);

typedef struct sim_event_handle {
    uint32_t idx;
    uint32_t gen; /* 0 never names a live event */
} sim_event_handle;

typedef struct sim_engine_opts {
    uint64_t seed;          /* scenario seed */
    uint64_t replication;   /* replication index */
    uint64_t max_events;    /* executed-event cap; 0 = no cap */
    uint32_t max_pending;   /* pending-event cap; 0 = the key's limit */
} sim_engine_opts;

#define SIM_MAX_MODELS 32
#define SIM_PENDING_LIMIT ((1u << 24) - 1u)

sim_engine *sim_engine_new(const sim_engine_opts *opts, sim_err *err);
void sim_engine_free(sim_engine *eng);

/* Registers a model; returns its id (>= 0), or -1 with err filled. */
int sim_engine_add_model(sim_engine *eng, const char *name, sim_event_fn fn, void *ctx, sim_err *err);

/* A model may keep a stream of time-ordered changes of its own outside the
 * pending set (racks: each rack's next failure or repair, one per rack in
 * an entity queue, sim/core/entityq.h), cheaper than an engine event per change. It
 * registers a sync: before the engine runs an event at time t, and before
 * sim_run (or sim_step, finding nothing to run) returns at t_stop, it calls
 * fn(eng, ctx, t) when *due <= t. fn applies the model's changes up to and
 * including t in time order (so they come before the engine's events at the
 * same time), leaves *due at its next change (INFINITY: none), and counts
 * them with sim_engine_charge. It must not schedule events before t; while
 * it runs, sim_now is the time of the last event run, so fn passes the times
 * of its changes explicitly. Several models may each add a sync: their
 * changes run in time order across them (at equal times, in the order the
 * syncs were added), each brought up to the next change of another. At most
 * SIM_MAX_SYNCS; returns -1 with err filled past that. */
typedef void (*sim_sync_fn)(sim_engine *eng, void *ctx, double t);
#define SIM_MAX_SYNCS 8
int sim_engine_add_sync(sim_engine *eng, sim_sync_fn fn, void *ctx, const double *due, sim_err *err);

/* A sync's changes count as executed events (sim_events_executed, the event
 * cap). Returns how many more may run before the cap (about 2^64 with no cap);
 * a sync stops when it reaches 0, and the run then stops with the cap's
 * error. */
uint64_t sim_engine_charge(sim_engine *eng, uint64_t n_changes);

/* Schedules an event at absolute time t (t >= now, finite). On failure
 * (bad time, pending cap, memory) the engine records the error, the run stops
 * before the next event, and the returned handle has gen 0. */
sim_event_handle sim_schedule(sim_engine *eng, double t, int model, uint32_t kind, uint64_t arg);

/* Cancels a pending event. Returns true if it was pending, false for a stale
 * or empty handle. */
bool sim_cancel(sim_engine *eng, sim_event_handle h);
bool sim_event_pending(const sim_engine *eng, sim_event_handle h);

/* Runs events with time <= t_stop, then sets the clock to t_stop (if larger).
 * Returns 0, or -1 with err filled (event cap, a failed schedule, a handler's
 * sim_fail). */
int sim_run(sim_engine *eng, double t_stop, sim_err *err);

/* Pops and runs exactly one event if any is pending with t <= t_stop.
 * Returns 1 if an event ran, 0 if none, -1 on error. Used by the benchmark
 * and tests; sim_run is the normal loop. */
int sim_step(sim_engine *eng, double t_stop, sim_err *err);

/* The clock: the time of the event being run (inline: models read it on
 * every event; it is the engine's first member, engine.c asserts it). */
static inline double sim_now(const sim_engine *eng)
{
    return *(const double *)(const void *)eng;
}
uint64_t sim_events_executed(const sim_engine *eng);
uint32_t sim_events_pending(const sim_engine *eng);

/* A handler reports an error this way; the run stops after the handler. */
/* sim_fail for a broken invariant of gigasim's own (an event in the past,
 * an unknown event kind): no scenario should cause one, so the message says
 * it is a bug to report, with what broke. */
void sim_fail_internal(sim_engine *eng, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_fail(sim_engine *eng, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool sim_failed(const sim_engine *eng);

/* A model's stream by name: its id in this engine, keyed by
 * hash(model, name) (sim_rng_name_key), so its draws depend on the seed,
 * the replication and its name only: a model that adds a stream moves no
 * other's draws. Asking again for the same name gives the same stream.
 * Models name their streams; numbered streams (0 to 63) serve tests. */
uint32_t sim_engine_stream(sim_engine *eng, const char *model, const char *name);

/* Stream `stream` of this engine's (seed, replication), and an entity's own
 * stream below it, keyed by (entity, occurrence): see sim/core/rng.h. An id
 * neither numbered nor given by sim_engine_stream fails the engine (stream 0
 * is returned so the caller can go on to the stop). */
sim_rng *sim_engine_rng(sim_engine *eng, uint32_t stream);
sim_rng sim_engine_keyed(sim_engine *eng, uint32_t stream, uint64_t entity, uint64_t occurrence);

#endif
