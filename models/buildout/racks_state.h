/*
 * racks_state: what the parts of the racks' model share, private to
 * models/buildout/racks*.c: a rack's state and record, the delivery lines,
 * the queues, the model's state, and the small steps each part takes.
 *
 *   racks_state.c  the levels over time and each rack's step times
 *   racks.c        the configuration (types, orders, the room check), the
 *                  deliveries, the halls and the crews, the events, the
 *                  statistics at the end
 *   racks_power.c  energization: the plan's reservations or first come
 *   racks_life.c   burn-in, service (the fleet's hardware replacements and
 *                  the interruptions)
 */
#ifndef MODELS_RACKS_STATE_H
#define MODELS_RACKS_STATE_H

#include <math.h>

#include "models/buildout/fleet.h"
#include "models/buildout/racks.h"
#include "sim/core/rng.h"

#define DAYS_PER_MONTH 30.4375 /* 365.25 / 12: a calendar fact, not a model parameter */

enum {
    EV_ORDER = 1,
    EV_DELIVER,
    EV_HALL_READY,
    EV_INSTALL_DONE,
    EV_BURNIN_DONE,
    EV_BURNIN_REPAIRED,
    EV_FIRST_TOKEN
};

enum { ST_ORDERED, ST_WAIT_HALL, ST_WAIT_CREW, ST_INSTALLING, ST_WAIT_POWER, ST_BURNIN, ST_BURNIN_REPAIR, ST_SERVING };

/* The racks' streams, named "racks"/<name> (racks.c) */
enum { RNG_DELIVERY, RNG_INSTALL, RNG_BURNIN, RNG_INTERRUPT, RNG_BRINGUP, RNG_N };

/* A rack's state. */
typedef struct rack_rt {
    uint8_t type, state;
    uint8_t tech; /* its hall's cooling technology, once it has a hall */
} rack_rt;
_Static_assert(RACKS_MAX_TYPES <= 256 && COOLING_MAX_TECHS <= 256, "rack_rt.type and .tech are bytes");

/* When each step of a rack's buildout happened: read by the buildout's
 * events and the delay causes, never by a failure. */
typedef struct rack_log {
    int32_t hall, plan_hall; /* its hall, and the one the plan gives it (-1: none) */
    int32_t gate_hall;       /* just in time: the hall whose date held its delivery back (-1: none) */
    uint16_t n_burnin;       /* occurrences, for keyed draws */
    uint8_t line;            /* its delivery line (an order index) */
    double t_delivered, t_assigned, t_install_start, t_installed, t_energized, t_accepted;
} rack_log;

/* A delivery line: orders delivered one after another at one rate. */
typedef struct line_rt {
    size_t first_rack, end_rack;
    double t_order, t_first_delivery, jit_floor;
    int32_t jit_hall; /* the hall that set jit_floor */
} line_rt;

typedef struct fifo {
    uint32_t *v;
    size_t head, tail;
} fifo;

struct racks_state {
    racks_deps d;
    sim_engine *eng;
    int model_id;
    uint32_t stream[RNG_N]; /* the engine's ids of the racks' named streams */
    rack_rt *racks;
    rack_log *logs;
    hall_rt *halls;
    fifo *hall_q;      /* per hall: the racks delivered for it before it was ready, in order of delivery */
    fifo crew_q;  /* racks placed in a hall, waiting for a crew: a min-heap of rack numbers (v[0 .. tail)) */
    fifo power_q; /* first_come: in install order; planned: the racks waiting (any order) */
    double *plan_need_mw; /* planned: racks 0..r's planned need (cumulative MW) */
    double *plan_room_kw; /* per hall, while planning */
    line_rt lines[RACKS_MAX_ORDERS];
    fleet *fl;               /* hardware replacements (fleet.h) */
    fleet_class *fl_classes; /* per (type, technology, training or not): fl_class_of */
    interrupt_tally intr;    /* the interruptions of the GPUs that do not train (training.h) */
    long long crews_free;
    size_t n_delivered;
    double type_hall_ready[RACKS_MAX_TYPES]; /* first day a hall able to take the type was ready */
    size_t type_hall_phase[RACKS_MAX_TYPES]; /* and that hall's ready_after phase */
    long long serving;
    double gpus_online, gpus_accepted, racks_accepted, stranded, waiting_hall;
    double last_levels_t, stranded_rack_days, peak_stranded, hall_inventory_rack_days;
    double gpu_days, last_gpus_t; /* GPU-days in service */
    double sum_wait_hall, sum_wait_crew, sum_wait_power, sum_burnin;
    double burnin_failures;
    training_tally train;
    milestones ms;
};


rack_times racks_times_of(const racks_state *rs, uint32_t r);
void racks_energize(racks_state *rs, uint32_t r);
void racks_burnin_done(racks_state *rs, uint32_t r, double now);
void racks_hall_wait_add(racks_state *rs, double delta);
void racks_levels_advance(racks_state *rs, double now);
void racks_plan(racks_state *rs);
void racks_power_request(racks_state *rs, uint32_t r);
void racks_start_burnin(racks_state *rs, uint32_t r);
void racks_stranded_add(racks_state *rs, double delta);
int racks_fleet_start(racks_state *rs, sim_err *err);
void racks_try_energize(racks_state *rs);

/* Rack `rack`'s own stream for its `occ`-th event of this kind: keyed, so
 * its draws do not depend on the order in which racks reach that point. */
static inline sim_rng rng_for(racks_state *rs, int which, uint64_t rack, uint64_t occ)
{
    return sim_engine_keyed(rs->eng, rs->stream[which], rack, occ);
}

/* A duration: negative samples (a normal's left tail) count as zero. */
static inline double duration(const sim_dist *d, sim_rng *r)
{
    double v = sim_dist_sample(d, r);
    return v > 0 ? v : 0;
}

static inline double draw(racks_state *rs, int which, const sim_dist *d, uint64_t rack, uint64_t occ)
{
    sim_rng r = rng_for(rs, which, rack, occ);
    return duration(d, &r);
}

/* Rack r trains (training.h)? */
static inline bool rack_trains(const racks_state *rs, uint32_t r)
{
    return rs->d.rc->training.gpu_share > 0 && training_rack(&rs->d.rc->training, r);
}

/* The fleet's class of a rack of this type, in a hall of technology tech,
 * training or not, and back. */
static inline size_t fl_class_of(size_t type, size_t tech, bool trains)
{
    return (type * COOLING_MAX_TECHS + tech) * 2 + (trains ? 1 : 0);
}
static inline void fl_class_parts(size_t cls, size_t *type, size_t *tech, bool *trains)
{
    *trains = cls & 1u;
    *tech = (cls >> 1) % COOLING_MAX_TECHS;
    *type = (cls >> 1) / COOLING_MAX_TECHS;
}

/* GPUs of a type in service change by `delta` at `now` (training GPUs or
 * not): the GPU-day integral, the gauge, the interruptions and the
 * training books. */
static inline void gpus_change(racks_state *rs, size_t type, bool trains, double now, double delta)
{
    rs->gpu_days += rs->gpus_online * (now - rs->last_gpus_t);
    rs->last_gpus_t = now;
    rs->gpus_online += delta;
    rs->d.gauges->gpus_online = rs->gpus_online;
    double delta_rate = delta * rs->d.rc->types[type].interruptions_per_gpu_day;
    if (trains)
        training_gpus_change(&rs->d.rc->training, &rs->train, now, delta, delta_rate);
    else
        interrupt_step(&rs->intr, now, delta_rate);
}

/* Rack r went into service at `now`: the milestones it may have reached. */
static inline void rack_milestones(racks_state *rs, uint32_t r, double now)
{
    if (!rs->ms.done) {
        bool cluster = !isnan(rs->ms.t_cluster);
        rack_times rt = racks_times_of(rs, r);
        milestones_reached(&rs->ms, rs->serving, rs->gpus_accepted, &rt, now);
        if (!cluster && !isnan(rs->ms.t_cluster)) { /* the first cluster: its bring-up starts */
            if (rs->ms.t_first_token > now)
                sim_schedule(rs->eng, rs->ms.t_first_token, rs->model_id, EV_FIRST_TOKEN, 0);
            else
                rs->d.gauges->first_token_day = rs->ms.t_first_token;
        }
    }
}

/* Rack r starts serving at `now` (accepted): its GPUs, its draw, and its
 * units in the fleet. */
static inline void go_online(racks_state *rs, uint32_t r, double now)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    bool trains = rack_trains(rs, r);
    rk->state = ST_SERVING;
    /* the GPU count first: facility_add brings the meter to `now` and reads the draw and the count afresh,
     * so the rack's GPU-hours start at `now`, not at the next hour */
    gpus_change(rs, rk->type, trains, now, (double)ty->gpus);
    facility_add(rs->d.fac, now, rk->tech, 1, ty->idle_kw, ty->peak_kw - ty->idle_kw, 0, 0);
    rs->serving++;
    fleet_accept(rs->fl, fl_class_of(rk->type, rk->tech, trains), ty->gpus / ty->hw_unit_gpus, now);
}

#endif
