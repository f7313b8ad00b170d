/*
 * timeline: the project's task graph — site and permits, grid interconnection,
 * long-lead electrical equipment, shell, fit-out, commissioning, or whatever
 * phases a scenario names — with dependencies and random durations (days).
 *
 * Model: phase i starts when every phase in its `after` list has ended (day 0
 * when the list is empty) plus an optional fixed `start_lag_days`, and lasts a
 * duration drawn from its distribution. So end_i = max(end_j, j in after_i) +
 * lag_i + D_i: the classic critical-path recursion (Kelley & Walker 1959),
 * evaluated in topological order. With constant durations, first-token time
 * is this critical path plus delivery, install and burn-in (a test holds it).
 *
 * A layer (a preset, a variant: sim/config/cfg.h) may replace one phase's duration
 * without copying the list: timeline.durations.NAME = a distribution.
 *
 * Project choices: a phase may name one, `after_choice = { key = "K";
 * default = "..."; }`; timeline.K (else the default) is then "start" (no
 * extra predecessor) or the name of a phase it also comes after. The
 * bundled presets use two, with the same default in every region so that
 * only regional facts differ: long_lead_after (when transformers are
 * ordered; default "start") and grid_application_after (when the grid
 * connection is applied for; default "site_permits");
 * `--set timeline.grid_application_after="start"` files the application in
 * parallel with the permits.
 *
 * Kinds and the critical path: each phase has a kind (`kind`, one of
 * timeline_kind_names: permits, grid_connection, electrical_equipment,
 * construction, commissioning, other; default "other"), so that delay can be
 * told by what bound it in any scenario (models/buildout/milestones.h).
 * timeline_attribute splits a stretch of days before a phase's end along
 * that phase's critical path: phase p owns [end(b), end(p)] where b is its
 * predecessor that ended last (ties: the first listed), or [0, end(p)]
 * with none; the pieces tile [0, end(p)], so the split sums exactly.
 *
 * Outcomes: a phase may fail and be retried or abandoned (a grid request
 * withdrawn or refused: most requests in today's large-load queues never
 * connect). `outcome = { success_probability = P; withdrawn_after_days =
 * DIST; then = "reapply" | "stop"; reapply_delay_days = DIST;
 * max_attempts = N; }`: each attempt succeeds with probability P (then it
 * lasts the phase's drawn duration: the request filed again waits the same
 * queue, so failure only ever adds time); otherwise it is withdrawn after
 * a drawn time, and the project reapplies after a drawn delay (up to
 * max_attempts in all), or stops: the phase never ends
 * (TIMELINE_NEVER_DAYS, beyond any horizon), and nothing after it comes.
 *   duration = sum over failed attempts of (withdrawn_after + reapply_delay)
 *              + the phase's drawn duration.
 * then = "next_site" moves the request instead to the next site of a list,
 * `sites = ( { name; duration_days; success_probability;
 * withdrawn_after_days; }, ... )` (withdrawn_after_days defaults to the
 * outcome's): after each withdrawal and reapply_delay_days (the move), the
 * project files at the next site, which connects with its own probability
 * after its own drawn wait; past the last, the phase never ends:
 *   duration = sum over the sites that failed (withdrawn_after + delay)
 *              + the wait drawn at the site that connected.
 * The sites are other grid connections (another substation, another
 * county) of the same scenario: its climate, prices and carbon stay.
 * max_attempts is refused with it (the list says how many).
 * Defaults (assumptions: no public figure): then "reapply",
 * reapply_delay_days 0, max_attempts 3 (both refused with "stop");
 * success_probability and withdrawn_after_days are required in the group
 * (no default: the chance that a committed project connects is not
 * published; scenarios/SOURCES.md lists the queues' attrition).
 * Without the group a phase always succeeds (and draws nothing more). A
 * layer may give a phase's outcome without copying the list:
 * timeline.outcomes.NAME = { ... } (as timeline.durations.NAME).
 *
 * Batches: a phase may take its work in batches (a grid operator that
 * studies requests together: ERCOT's Batch Zero, Germany's batches since
 * April 2026), `batches = { first_day = F; every_days = D; }`: its work
 * starts at the first batch day F + k D (k >= 0) on or after the day the
 * phase is ready (its predecessors ended, plus its lag), so a project's
 * readiness decides its batch, and one ready a day after a cutoff waits
 * for the next:
 *   end_i = batch(max(end_j, j in after_i) + lag_i) + D_i,
 *   batch(t) = F + ceil(max(t - F, 0) / D) D.
 * A layer gives it without copying the list: timeline.batches.NAME.
 * Failed attempts (outcomes) follow from the batch start: a request filed
 * again is not held to the next batch (assumption).
 *
 * Pace: the builder's speed, one factor for the whole project: the
 * durations of its construction and commissioning phases (what the
 * builder does itself, not the permits, the grid or the equipment) are
 * multiplied by one draw of timeline.pace a replication (default 1: the
 * phases' own laws; a distribution makes them move together, as one
 * builder's phases do). The backtest (scenarios/backtest/) tunes it:
 * flagship buildouts of 2024-26 ran from 0.4 to 1.5 times the bundled
 * construction laws.
 *
 * Draws: keyed by phase name (sim/core/rng.h), so a phase's duration draw is the
 * same in two scenarios that share the phase, whatever else differs
 * (common random numbers).
 * Sources for the bundled durations: the presets, citing scenarios/SOURCES.md.
 */
#ifndef MODELS_TIMELINE_H
#define MODELS_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"

#define TIMELINE_MAX_PHASES 64
#define TIMELINE_MAX_DEPS 16
#define TIMELINE_NAME_LEN 64
#define TIMELINE_MAX_OUTCOMES 8
#define TIMELINE_NEVER_DAYS 1e9 /* a phase that never ends: past any horizon (at most 36,525 days) */

enum {
    TIMELINE_KIND_PERMITS,
    TIMELINE_KIND_GRID,
    TIMELINE_KIND_EQUIPMENT,
    TIMELINE_KIND_CONSTRUCTION,
    TIMELINE_KIND_COMMISSIONING,
    TIMELINE_KIND_OTHER,
    TIMELINE_N_KINDS
};
extern const char *const timeline_kind_names[TIMELINE_N_KINDS];

typedef struct timeline_phase {
    char name[TIMELINE_NAME_LEN];
    int kind; /* TIMELINE_KIND_* */
    size_t n_after;
    size_t after[TIMELINE_MAX_DEPS]; /* indices of predecessor phases */
    double start_lag_days;
    sim_dist duration_days;
    double batch_first_day, batch_every_days; /* batches: every 0: none */
} timeline_phase;

enum { TIMELINE_THEN_REAPPLY, TIMELINE_THEN_STOP, TIMELINE_THEN_NEXT_SITE };

#define TIMELINE_MAX_SITES 8

/* Another site a withdrawn request moves to (then = "next_site"). */
typedef struct timeline_site {
    char name[TIMELINE_NAME_LEN];
    double success_probability;
    sim_dist duration_days, withdrawn_after_days;
} timeline_site;

typedef struct timeline_outcome {
    size_t phase;
    double success_probability;
    sim_dist withdrawn_after_days, reapply_delay_days;
    int then; /* TIMELINE_THEN_* */
    long long max_attempts;
    size_t n_sites; /* next_site: the list, in order */
    timeline_site sites[TIMELINE_MAX_SITES];
} timeline_outcome;

typedef struct timeline_config {
    size_t n_phases;
    timeline_phase phases[TIMELINE_MAX_PHASES];
    size_t n_outcomes;
    timeline_outcome outcomes[TIMELINE_MAX_OUTCOMES];
    size_t order[TIMELINE_MAX_PHASES]; /* a topological order */
    bool paced;    /* timeline.pace given */
    sim_dist pace; /* the builder's factor on construction and commissioning */
} timeline_config;

/* Reads `timeline.phases`; checks names, unknown predecessors and cycles. */
int timeline_load(sim_cfg *cfg, timeline_config *out, sim_err *err);

/* Index of the phase named `name`, or -1. */
int timeline_find(const timeline_config *tl, const char *name);

/* Reads a key holding a phase name (e.g. "site.grid.energized_after") and
 * resolves it; an unknown name is an error naming file, line and key. */
int timeline_cfg_phase(sim_cfg *cfg, const timeline_config *tl, const char *path, const char *def,
                       size_t *idx_out, sim_err *err);

/* Draws durations (each phase from its own stream below the engine's
 * stream "timeline"/"durations", keyed by the phase's name) and fills
 * end_days[i] for every phase; *sites_moved (NULL: not wanted) counts the
 * moves to a next site over every outcome. */
struct sim_engine;
void timeline_sample(const timeline_config *tl, struct sim_engine *eng, double *end_days, double *sites_moved);

/* The same recursion with given durations (used by tests and by sample). */
void timeline_schedule(const timeline_config *tl, const double *duration_days, double *end_days);

/* The day phase p's work starts: its predecessors' last end plus its lag,
 * at its batch (end_days of its predecessors known). */
double timeline_phase_start(const timeline_config *tl, const double *end_days, size_t p);

/* Adds to by_kind[TIMELINE_N_KINDS] the days of [a, b] that fall in each
 * phase of phase p's critical path (end_days from timeline_schedule or
 * timeline_sample), by the phase's kind. Days of [a, b] outside
 * [0, end(p)] are not added (the caller owns them). on_path (NULL: not
 * wanted) marks each phase that owns some of those days. */
void timeline_attribute(const timeline_config *tl, const double *end_days, size_t p, double a, double b,
                        double *by_kind, bool *on_path);

#endif
