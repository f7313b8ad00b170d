/* racks_state: the racks' levels over time (stranded racks, racks waiting for a hall: integrated
 * from their last change) and when each step of a rack's buildout happened, for its delay causes. */
#include "models/buildout/racks_state.h"

/* Racks delivered but not energized (stranded), and those among them still
 * waiting for a place in a hall (inventory): both levels are integrated
 * from their last change. */
void racks_levels_advance(racks_state *rs, double now)
{
    rs->stranded_rack_days += rs->stranded * (now - rs->last_levels_t);
    rs->hall_inventory_rack_days += rs->waiting_hall * (now - rs->last_levels_t);
    rs->last_levels_t = now;
}

void racks_stranded_add(racks_state *rs, double delta)
{
    double now = sim_now(rs->eng);
    racks_levels_advance(rs, now);
    rs->stranded += delta;
    if (rs->stranded > rs->peak_stranded)
        rs->peak_stranded = rs->stranded;
    rs->d.gauges->racks_stranded = rs->stranded;
}

/* When each step of rack r's buildout happened (milestones.h). */
rack_times racks_times_of(const racks_state *rs, uint32_t r)
{
    const rack_log *lg = &rs->logs[r];
    uint8_t t = rs->racks[r].type;
    double t_hall = rs->type_hall_ready[t];
    size_t hall_phase = rs->type_hall_phase[t];
    if (lg->gate_hall >= 0) { /* held back for its hall: that hall's date was the chain */
        const hall_spec *hs = &rs->d.hc->halls[lg->gate_hall];
        t_hall = halls_ready_day(rs->d.hc, (size_t)lg->gate_hall, rs->ms.chain.phase_end);
        hall_phase = hs->ready_after_phase;
    }
    return (rack_times){rs->lines[lg->line].t_order, rs->d.rc->orders[lg->line].after_phase, t_hall, hall_phase,
                        lg->gate_hall >= 0, lg->t_delivered, lg->t_assigned, lg->t_installed, lg->t_energized};
}

void racks_hall_wait_add(racks_state *rs, double delta)
{
    racks_levels_advance(rs, sim_now(rs->eng));
    rs->waiting_hall += delta;
}
