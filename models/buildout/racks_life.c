/* racks_life: a rack from energized to accepted (burn-in, its failures and
 * repairs) and in service (its units in the fleet's hardware replacements,
 * fleet.h; its GPUs' interruptions, training.h). */
#include "models/buildout/racks_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void racks_start_burnin(racks_state *rs, uint32_t r)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_BURNIN;
    facility_add(rs->d.fac, sim_now(rs->eng), rk->tech, 1, 0, 0, ty->peak_kw * rs->d.wc->burnin_utilization, 0);
    double d = draw(rs, RNG_BURNIN, &rs->d.rc->burnin_days, r, 2u * rs->logs[r].n_burnin);
    sim_schedule(rs->eng, sim_now(rs->eng) + d, rs->model_id, EV_BURNIN_DONE, r);
}

/* The fleet's change: `units` of class cls out of service (-1) or back
 * (+1): their GPUs and their share of the rack's draw. */
static void fleet_changed(void *ctx, size_t cls, double units, double now)
{
    racks_state *rs = ctx;
    size_t type, tech;
    bool trains;
    fl_class_parts(cls, &type, &tech, &trains);
    const rack_type *ty = &rs->d.rc->types[type];
    double gpus = units * (double)ty->hw_unit_gpus, share = gpus / (double)ty->gpus;
    gpus_change(rs, type, trains, now, gpus);
    facility_add(rs->d.fac, now, (uint32_t)tech, 0, share * ty->idle_kw, share * (ty->peak_kw - ty->idle_kw), 0, 0);
}

/* The fleet of this replication: a class per (type, technology, training
 * or not), a spares' pool per type. */
int racks_fleet_start(racks_state *rs, sim_err *err)
{
    const racks_config *rc = rs->d.rc;
    size_t n = rc->n_types * COOLING_MAX_TECHS * 2;
    rs->fl_classes = sim_calloc(n, sizeof *rs->fl_classes, err);
    if (!rs->fl_classes)
        return -1;
    for (size_t t = 0; t < rc->n_types; t++)
        for (size_t k = 0; k < COOLING_MAX_TECHS; k++)
            for (int tr = 0; tr < 2; tr++) {
                fleet_class *c = &rs->fl_classes[fl_class_of(t, k, tr)];
                c->pool = t;
                c->fail_per_unit_day = rc->types[t].hw_failures_per_gpu_day * (double)rc->types[t].hw_unit_gpus;
                c->repair_days = &rc->types[t].repair_days;
            }
    fleet_deps fd = {.n_classes = n, .n_pools = rc->n_types, .classes = rs->fl_classes,
                     .spare_fraction = rc->spare_fraction, .on_change = fleet_changed, .ctx = rs};
    rs->fl = fleet_start(&fd, rs->eng, err);
    rs->intr.rng = rng_for(rs, RNG_INTERRUPT, 0, 0);
    rs->train.intr.rng = rng_for(rs, RNG_INTERRUPT, 1, 0);
    return rs->fl ? 0 : -1;
}

/* Rack r's burn-in ends: it fails (repaired, then burnt in again) or is accepted and goes into service. */
void racks_burnin_done(racks_state *rs, uint32_t r, double now)
{
    const racks_config *rc = rs->d.rc;
    rack_rt *rk = &rs->racks[r];
    rack_log *lg = &rs->logs[r];
    const rack_type *ty = &rc->types[rk->type];
    facility_add(rs->d.fac, now, rk->tech, -1, 0, 0, -ty->peak_kw * rs->d.wc->burnin_utilization, 0);
    sim_rng g = rng_for(rs, RNG_BURNIN, r, 2u * lg->n_burnin + 1u);
    bool failed = rc->burnin_fail_prob > 0 && sim_rng_uniform(&g) < rc->burnin_fail_prob;
    double repair = failed ? duration(&rc->burnin_repair_days, &g) : 0.0;
    lg->n_burnin++;
    if (failed) {
        rk->state = ST_BURNIN_REPAIR;
        rs->burnin_failures++;
        sim_schedule(rs->eng, now + repair, rs->model_id, EV_BURNIN_REPAIRED, r);
        return;
    }
    rs->racks_accepted++;
    rs->gpus_accepted += (double)ty->gpus;
    rs->sum_wait_hall += lg->t_assigned - lg->t_delivered;
    rs->sum_wait_crew += lg->t_install_start - lg->t_assigned;
    rs->sum_wait_power += lg->t_energized - lg->t_installed;
    rs->sum_burnin += now - lg->t_energized;
    lg->t_accepted = now;
    rack_times rt = racks_times_of(rs, r);
    milestones_accepted(&rs->ms, &rt, now);
    go_online(rs, r, now);
    rack_milestones(rs, r, now);
}
