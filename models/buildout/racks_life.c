/* racks_life: a rack from energized to accepted (burn-in, its failures and repairs) and in service
 * (failures and repairs, in the failure queue the engine drains through racks_sync). */
#include "models/buildout/racks_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rack r's failure stream: its lifetimes and repair times, drawn in turn
 * from one keyed stream of its own, started at its acceptance, so they do
 * not depend on other racks. */
void racks_fail_rng_start(racks_state *rs, uint32_t r)
{
    rs->racks[r].fail_rng = rng_for(rs, RNG_FAILURE, r, 0);
}

void racks_start_burnin(racks_state *rs, uint32_t r)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_BURNIN;
    facility_add(rs->d.fac, sim_now(rs->eng), rk->tech, 1, 0, 0, ty->peak_kw * rs->d.wc->burnin_utilization, 0);
    double d = draw(rs, RNG_BURNIN, &rs->d.rc->burnin_days, r, 2u * rs->logs[r].n_burnin);
    sim_schedule(rs->eng, sim_now(rs->eng) + d, rs->model_id, EV_BURNIN_DONE, r);
}

/* Rack r fails in service at `now`; returns the time it is repaired. */
static double rack_fail(racks_state *rs, uint32_t r, double now)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_FAILED;
    if (rs->d.rc->training.gpu_share > 0 && training_rack(&rs->d.rc->training, r))
        training_interrupt(&rs->d.rc->training, &rs->train, now);
    gpus_change(rs, r, now, -(double)ty->gpus); /* before the meter reads the count (go_online) */
    facility_add(rs->d.fac, now, rk->tech, -1, -ty->idle_kw, -(ty->peak_kw - ty->idle_kw), 0, 0);
    rs->serving--;
    rs->service_failures++;
    return now + duration(&ty->mttr_days, &rk->fail_rng);
}

/* The engine's sync: applies the failures and repairs due up to t, in order
 * of (time, when they were drawn); they count as the engine's events (its
 * cap included), and come before an engine event at the same time. */
void racks_sync(sim_engine *eng, void *ctx, double t)
{
    racks_state *rs = ctx;
    uint64_t left = sim_engine_charge(eng, 0), n = 0;
    sim_entityq *q = &rs->fail_q;
    while (q->due <= t && q->due < INFINITY && n < left) {
        double now = q->due;
        uint32_t r = sim_entityq_top(q);
        double next;
        if (rs->racks[r].state == ST_SERVING) {
            next = rack_fail(rs, r, now);
        } else {
            next = go_online(rs, r, now);
            rack_milestones(rs, r, now);
        }
        sim_entityq_replace_top(q, next);
        n++;
    }
    sim_engine_charge(eng, n);
}

double racks_failure_changes_per_day(const racks_config *rc)
{
    double per_day = 0;
    for (size_t o = 0; o < rc->n_orders; o++) {
        double mtbf = rc->types[rc->orders[o].type].mtbf_days;
        if (mtbf > 0)
            per_day += 2.0 * (double)rc->orders[o].count / mtbf;
    }
    return per_day;
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
    racks_fail_rng_start(rs, r);
    rack_times rt = racks_times_of(rs, r);
    milestones_accepted(&rs->ms, &rt, now);
    sim_entityq_add(&rs->fail_q, r, go_online(rs, r, now));
    rack_milestones(rs, r, now);
}
