#include "milestones.h"

#include <string.h>

const char *const milestone_cause_names[N_CAUSES] = {
    "permits",     "grid_connection", "electrical_equipment", "construction", "commissioning", "other_phases",
    "gpu_supply",  "cooling_capacity", "install_crews",       "power",        "bringup",       "burnin_failures",
};

/* Days [0, t] gated by phase p: its critical path owns [0, end(p)], and
 * [end(p), t] goes to `after_cause` (what came after the phase). No phase
 * (SIZE_MAX: an order from day 0) gates nothing: [0, t] is after_cause's. */
static void gated(const cause_chain *ch, size_t p, double a, double t, int after_cause, double *out, bool *on_path)
{
    double end = p == SIZE_MAX ? 0.0 : ch->phase_end[p];
    if (p != SIZE_MAX)
        timeline_attribute(ch->tl, ch->phase_end, p, a, t < end ? t : end, out, on_path);
    double from = a > end ? a : end;
    if (t > from)
        out[after_cause] += t - from;
}

void milestones_causes(const cause_chain *ch, const rack_times *rt, double until, double *out, bool *on_path)
{
    for (int c = 0; c < N_CAUSES; c++)
        out[c] = 0;
    out[CAUSE_BURNIN_FAILURES] = until - rt->t_energized;
    if (rt->t_energized > rt->t_installed) {
        /* It waited for power: the supply's chain bound it. */
        double gate = ch->t_supply < rt->t_energized ? ch->t_supply : rt->t_energized;
        gated(ch, ch->supply_phase, 0, gate, CAUSE_ELECTRICAL_EQUIPMENT, out, on_path);
        out[CAUSE_POWER] = rt->t_energized - gate;
        return;
    }
    out[CAUSE_INSTALL_CREWS] = rt->t_installed - rt->t_assigned;
    if (rt->held_for_hall || (rt->t_assigned > rt->t_delivered && rt->t_first_hall > rt->t_delivered)) {
        /* No hall could take it when it arrived, or it was held back for
         * its hall: the halls were the chain. */
        gated(ch, rt->hall_phase, 0, rt->t_first_hall, CAUSE_CONSTRUCTION, out, on_path);
        out[CAUSE_COOLING_CAPACITY] = rt->t_assigned - rt->t_first_hall;
        return;
    }
    double t_order = rt->t_order < rt->t_delivered ? rt->t_order : rt->t_delivered;
    gated(ch, rt->order_phase, 0, t_order, CAUSE_GPU_SUPPLY, out, on_path);
    out[CAUSE_GPU_SUPPLY] += rt->t_delivered - t_order;
    out[CAUSE_COOLING_CAPACITY] = rt->t_assigned - rt->t_delivered;
}

void milestones_init(milestones *ms, const cause_chain *ch, long long first_token_racks, double total_gpus,
                     double bringup_days)
{
    ms->chain = *ch;
    ms->first_token_racks = first_token_racks;
    ms->total_gpus = total_gpus;
    ms->bringup_days = bringup_days;
    ms->t_cluster = ms->t_first_token = ms->t_50 = ms->t_90 = ms->t_95 = ms->t_99 = ms->t_100 = NAN;
    ms->done = false;
    memset(ms->path_ft, 0, sizeof ms->path_ft);
    memset(ms->path_full, 0, sizeof ms->path_full);
    for (int c = 0; c < N_CAUSES; c++) {
        ms->cause_ft[c] = ms->cause_full[c] = NAN;
        ms->cause_sum[c] = 0;
    }
}

void milestones_accepted(milestones *ms, const rack_times *rt, double now)
{
    double parts[N_CAUSES];
    milestones_causes(&ms->chain, rt, now, parts, NULL);
    for (int c = 0; c < N_CAUSES; c++)
        ms->cause_sum[c] += parts[c];
}

void milestones_reached(milestones *ms, long long serving, double gpus_accepted, const rack_times *rt, double now)
{
    if (isnan(ms->t_cluster) && serving >= ms->first_token_racks) {
        ms->t_cluster = now;
        ms->t_first_token = now + ms->bringup_days;
        milestones_causes(&ms->chain, rt, now, ms->cause_ft, ms->path_ft);
        ms->cause_ft[CAUSE_BRINGUP] = ms->bringup_days;
    }
    static const double share[] = {0.5, 0.9, 0.95, 0.99};
    double *t[] = {&ms->t_50, &ms->t_90, &ms->t_95, &ms->t_99};
    for (int k = 0; k < 4; k++)
        if (isnan(*t[k]) && gpus_accepted >= share[k] * ms->total_gpus - 1e-9)
            *t[k] = now;
    if (isnan(ms->t_100) && gpus_accepted >= ms->total_gpus - 1e-9) {
        ms->t_100 = now;
        milestones_causes(&ms->chain, rt, now, ms->cause_full, ms->path_full);
    }
    ms->done = !isnan(ms->t_cluster) && !isnan(ms->t_100); /* implies the others */
}
