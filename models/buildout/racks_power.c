/* racks_power: when an installed rack gets its power: "planned" (the plan's reservations, racks_plan)
 * or "first_come"; a rack energized starts its burn-in. */
#include "models/buildout/racks_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rack r gets its power now. */
void racks_energize(racks_state *rs, uint32_t r)
{
    double now = sim_now(rs->eng);
    hall_rt *hr = &rs->halls[rs->logs[r].hall];
    if (!hr->energized)
        facility_add(rs->d.fac, now, hr->tech, 0, 0, 0, 0, hr->fixed_mw);
    hr->energized = true;
    rs->logs[r].t_energized = now;
    racks_stranded_add(rs, -1.0);
    racks_start_burnin(rs, r);
}

/* first_come: the head of the install-order queue, while its need fits. */
static void energize_first_come(racks_state *rs)
{
    while (rs->power_q.head < rs->power_q.tail) {
        uint32_t r = rs->power_q.v[rs->power_q.head];
        hall_rt *hr = &rs->halls[rs->logs[r].hall];
        const rack_type *ty = &rs->d.rc->types[rs->racks[r].type];
        double need = halls_rack_need_mw(hr, ty->peak_kw, !hr->energized);
        if (!power_try_reserve(rs->d.ps, need))
            return; /* first come, first served */
        rs->power_q.head++;
        racks_energize(rs, r);
    }
}

/* planned: every waiting rack whose planned reservation the supply covers. */
static void energize_planned(racks_state *rs)
{
    fifo *q = &rs->power_q;
    size_t keep = q->head;
    for (size_t i = q->head; i < q->tail; i++) {
        uint32_t r = q->v[i];
        if (power_reserve_upto(rs->d.ps, rs->plan_need_mw[r]))
            racks_energize(rs, r);
        else
            q->v[keep++] = r;
    }
    q->tail = keep;
}

/* Rack r is installed: it gets power now, or waits. Planned: only its own
 * planned share decides (the racks waiting are retried when the supply
 * grows); first_come: it joins the queue's end. */
void racks_power_request(racks_state *rs, uint32_t r)
{
    if (rs->d.rc->energize == RACKS_ENERGIZE_PLANNED && power_reserve_upto(rs->d.ps, rs->plan_need_mw[r])) {
        racks_energize(rs, r);
        return;
    }
    rs->power_q.v[rs->power_q.tail++] = r;
    if (rs->d.rc->energize == RACKS_ENERGIZE_FIRST_COME)
        energize_first_come(rs);
}

/* Energizes what the supply allows (when the supply grows). */
void racks_try_energize(racks_state *rs)
{
    if (rs->d.rc->energize == RACKS_ENERGIZE_PLANNED)
        energize_planned(rs);
    else
        energize_first_come(rs);
}

void racks_supply_changed(void *ctx)
{
    racks_try_energize(ctx);
}

/* The plan: racks in order, each to the first hall in file order that fits
 * it and has room (-1: none has), and the power reserved for racks 0..r in
 * their planned halls (peak x design PUE, plus a hall's fixed load with its
 * first planned rack). A per-type cursor skips halls that can no longer
 * take the type (room only shrinks). */
void racks_plan(racks_state *rs)
{
    const racks_config *rc = rs->d.rc;
    const halls_config *hc = rs->d.hc;
    size_t cursor[RACKS_MAX_TYPES] = {0};
    double *room = rs->plan_room_kw, cum = 0;
    for (size_t h = 0; h < hc->n_halls; h++)
        room[h] = hc->halls[h].it_capacity_mw * 1000.0;
    for (size_t r = 0; r < rc->total_racks; r++) {
        size_t t = rs->racks[r].type;
        const rack_type *ty = &rc->types[t];
        const uint16_t *order = rc->hall_order.hall[ty->liquid];
        size_t pos = cursor[t], n_order = rc->hall_order.n[ty->liquid];
        while (pos < n_order && !(halls_fits(hc, rs->d.cc, order[pos], ty->liquid, ty->peak_kw) &&
                                  room[order[pos]] >= ty->peak_kw - 1e-9))
            pos++;
        cursor[t] = pos;
        size_t h = pos < n_order ? order[pos] : hc->n_halls;
        if (h == hc->n_halls) {
            rs->logs[r].plan_hall = -1; /* beyond the halls' room: never placed, never powered */
            rs->plan_need_mw[r] = INFINITY;
            continue;
        }
        cum += halls_rack_need_mw(&rs->halls[h], ty->peak_kw, room[h] == hc->halls[h].it_capacity_mw * 1000.0);
        room[h] -= ty->peak_kw;
        rs->logs[r].plan_hall = (int32_t)h;
        rs->plan_need_mw[r] = cum;
    }
}
