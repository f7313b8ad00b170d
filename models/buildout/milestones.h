/*
 * milestones: when the buildout reaches its milestones, and what held each
 * back.
 *
 * First token: the first moment at least first_token.min_racks racks are in
 * service together (the smallest serving unit: a rack, or an NVL72 cluster
 * of N racks). Capacity milestones (50 / 90 / 100 %): the first moment that
 * many of the planned GPUs have been accepted (GPU totals are sums of
 * integers held as doubles: compared with a 1e-9 tolerance).
 *
 * What held it back: a rack's days from day 0 to `until` (its acceptance, or
 * a later milestone it completed) are split exactly into causes, following
 * the chain that bound it (they sum to `until`):
 *   permits_construction  day 0 to the order (the phases before
 *                         racks.order_after), or, for a rack that arrived
 *                         before any hall able to take it was ready, day 0
 *                         to that hall's readiness (the delivery was slack);
 *   gpu_supply            order to delivery (lead time and the delivery rate);
 *   cooling_capacity      waiting for a place in a hall while a hall that
 *                         could take it was in service but full;
 *   install_crews         waiting for a crew, plus the install itself;
 *   power                 installed, waiting for grid or on-site supply;
 *   burnin_failures       burn-in, burn-in failures and repairs, and for a
 *                         milestone reached when a repaired rack came back,
 *                         the time from its acceptance to that moment.
 * Reported for the rack that reached first token, the rack that completed the
 * build (full capacity), and as the mean over accepted racks.
 */
#ifndef MODELS_BUILDOUT_MILESTONES_H
#define MODELS_BUILDOUT_MILESTONES_H

#include <math.h>
#include <stdbool.h>

enum {
    CAUSE_PERMITS_CONSTRUCTION,
    CAUSE_GPU_SUPPLY,
    CAUSE_COOLING_CAPACITY,
    CAUSE_INSTALL_CREWS,
    CAUSE_POWER,
    CAUSE_BURNIN_FAILURES,
    N_CAUSES
};
extern const char *const milestone_cause_names[N_CAUSES];

/* When each step of one rack's buildout happened (days). */
typedef struct rack_times {
    double t_order;          /* the racks were ordered */
    double t_first_hall;     /* a hall able to take its type was first ready */
    double t_delivered, t_assigned, t_installed, t_energized;
} rack_times;

/* Splits a rack's days from day 0 to `until` into causes (out[N_CAUSES]). */
void milestones_causes(const rack_times *rt, double until, double *out);

typedef struct milestones {
    long long first_token_racks;
    double total_gpus;
    double t_first_token, t_50, t_90, t_100; /* NAN until reached */
    bool done;
    double cause_ft[N_CAUSES], cause_full[N_CAUSES]; /* NAN until reached */
    double cause_sum[N_CAUSES];                      /* over accepted racks */
} milestones;

void milestones_init(milestones *ms, long long first_token_racks, double total_gpus);
/* A rack was accepted at `now` (its causes join the per-rack mean). */
void milestones_accepted(milestones *ms, const rack_times *rt, double now);
/* After a rack went into service at `now` (accepted, or back from repair),
 * with `serving` racks in service and gpus_accepted GPUs accepted so far:
 * records the milestones this reached, with the rack's causes. */
void milestones_reached(milestones *ms, long long serving, double gpus_accepted, const rack_times *rt, double now);
static inline void milestones_update(milestones *ms, long long serving, double gpus_accepted, const rack_times *rt,
                                     double now)
{
    if (!ms->done) /* the common case, a repaired rack long after the build, costs a test */
        milestones_reached(ms, serving, gpus_accepted, rt, now);
}

#endif
