/*
 * milestones: when the buildout reaches its milestones, and what held each
 * back.
 *
 * First token: first_token.min_racks racks in service together (the
 * smallest serving cluster), then the cluster's bring-up (fabric, storage
 * and software validation: first_token.bringup_days, drawn once per
 * replication). Capacity milestones (50 / 90 / 95 / 99 / 100 %): the first
 * moment that many of the planned GPUs have been accepted (GPU totals are
 * sums of integers held as doubles: compared with a 1e-9 tolerance). The
 * 100 % milestone waits for the slowest burn-in repair; 95 and 99 % do not.
 *
 * What held it back: a rack's days from day 0 to `until` (its acceptance,
 * or a later milestone it completed) are split exactly into causes along
 * its critical path, traced back from the end: at each step the last of
 * the things it waited for owns the time before it (they sum to `until`):
 *   burnin_failures       energized to `until`: burn-in, its failures and
 *                         repairs, and for a milestone reached when a
 *                         repaired rack came back, the time since acceptance;
 *   bringup               first token only: the first cluster's bring-up;
 * then, if it waited for power once installed, the supply was its chain:
 *   power                 from the first supply to its energization
 *                         (tranches, capacity, its planned share);
 *   timeline phases       day 0 to the first supply along the critical path
 *                         (timeline_attribute) of the phase that brought it,
 *                         by kind (timeline.h: permits, grid_connection,
 *                         electrical_equipment, construction, commissioning,
 *                         other_phases), and an on-site plant's lead time
 *                         after that phase as electrical_equipment;
 * else its installation was:
 *   install_crews         waiting for a crew, plus the install itself;
 *   cooling_capacity      waiting for a place in a hall while a hall that
 *                         could take it was ready but full;
 * and before that, if it arrived before any hall able to take it was ready
 * (or was held back to arrive just before its hall), that hall's
 * ready_after phase along its critical path, with the hall's stagger after
 * the phase as construction (halls built one after another); else its
 * delivery: its order's phase along its critical path, then
 *   gpu_supply            the order's own delay after its phase, and order
 *                         to delivery (lead time and the delivery rate).
 * Reported for the rack that completed the first cluster (first token), the
 * rack that completed the build (full capacity), and as the mean over
 * accepted racks.
 */
#ifndef MODELS_BUILDOUT_MILESTONES_H
#define MODELS_BUILDOUT_MILESTONES_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/buildout/timeline.h"

enum {
    CAUSE_PERMITS, /* the timeline kinds first, in timeline.h's order */
    CAUSE_GRID_CONNECTION,
    CAUSE_ELECTRICAL_EQUIPMENT,
    CAUSE_CONSTRUCTION,
    CAUSE_COMMISSIONING,
    CAUSE_OTHER_PHASES,
    CAUSE_GPU_SUPPLY,
    CAUSE_COOLING_CAPACITY,
    CAUSE_INSTALL_CREWS,
    CAUSE_POWER,
    CAUSE_BRINGUP,
    CAUSE_BURNIN_FAILURES,
    N_CAUSES
};
_Static_assert((int)CAUSE_PERMITS == (int)TIMELINE_KIND_PERMITS && (int)CAUSE_OTHER_PHASES == (int)TIMELINE_KIND_OTHER,
               "the first causes are the timeline's kinds");
extern const char *const milestone_cause_names[N_CAUSES];

/* One replication's timeline, and when its first supply came: what the
 * phases' share of a delay is read from. */
typedef struct cause_chain {
    const timeline_config *tl;
    const double *phase_end;  /* days, per phase */
    size_t supply_phase;      /* the phase that brought the first supply */
    double t_supply;          /* when it came (that phase's end, plus an on-site plant's lead) */
} cause_chain;

/* When each step of one rack's buildout happened (days). */
typedef struct rack_times {
    double t_order;       /* its order was placed */
    size_t order_phase;   /* after this phase (SIZE_MAX: from day 0) */
    double t_first_hall;  /* a hall able to take its type was first ready (or the hall it was held for) */
    size_t hall_phase;    /* that hall's ready_after phase */
    bool held_for_hall;   /* its delivery was held back to its hall's date (just in time) */
    double t_delivered, t_assigned, t_installed, t_energized;
} rack_times;

/* Splits a rack's days from day 0 to `until` into causes (out[N_CAUSES]);
 * on_path (NULL: not wanted) marks the timeline phases on its chain. */
void milestones_causes(const cause_chain *ch, const rack_times *rt, double until, double *out, bool *on_path);

typedef struct milestones {
    cause_chain chain;
    long long first_token_racks;
    double total_gpus, bringup_days;
    double t_cluster;                            /* the first cluster in service; NAN until then */
    double t_first_token, t_50, t_90, t_95, t_99, t_100; /* NAN until reached */
    bool done;
    double cause_ft[N_CAUSES], cause_full[N_CAUSES]; /* NAN until reached */
    double cause_sum[N_CAUSES];                      /* over accepted racks */
    bool path_ft[TIMELINE_MAX_PHASES];               /* the phases on first token's chain */
    bool path_full[TIMELINE_MAX_PHASES];             /* the phases on full capacity's chain (its last rack's) */
} milestones;

void milestones_init(milestones *ms, const cause_chain *ch, long long first_token_racks, double total_gpus,
                     double bringup_days);
/* A rack was accepted at `now` (its causes join the per-rack mean). */
void milestones_accepted(milestones *ms, const rack_times *rt, double now);
/* After a rack went into service at `now` (accepted, or back from repair),
 * with `serving` racks in service and gpus_accepted GPUs accepted so far:
 * records the milestones this reached, with the rack's causes. First token
 * is set bringup_days after the cluster (a time that may lie ahead). */
void milestones_reached(milestones *ms, long long serving, double gpus_accepted, const rack_times *rt, double now);

#endif
