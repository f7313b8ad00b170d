#include "milestones.h"

const char *const milestone_cause_names[N_CAUSES] = {
    "permits_construction", "gpu_supply", "cooling_capacity", "install_crews", "power", "burnin_failures",
};

void milestones_causes(const rack_times *rt, double until, double *out)
{
    for (int c = 0; c < N_CAUSES; c++)
        out[c] = 0;
    double wait_from; /* start of its wait for a place in a hall */
    if (rt->t_assigned > rt->t_delivered && rt->t_first_hall > rt->t_delivered) {
        /* No hall could take it when it arrived: the halls were the chain. */
        out[CAUSE_PERMITS_CONSTRUCTION] = rt->t_first_hall;
        wait_from = rt->t_first_hall;
    } else {
        double t_order = rt->t_order < rt->t_delivered ? rt->t_order : rt->t_delivered;
        out[CAUSE_PERMITS_CONSTRUCTION] = t_order;
        out[CAUSE_GPU_SUPPLY] = rt->t_delivered - t_order;
        wait_from = rt->t_delivered;
    }
    out[CAUSE_COOLING_CAPACITY] = rt->t_assigned - wait_from;
    out[CAUSE_INSTALL_CREWS] = rt->t_installed - rt->t_assigned;
    out[CAUSE_POWER] = rt->t_energized - rt->t_installed;
    out[CAUSE_BURNIN_FAILURES] = until - rt->t_energized;
}

void milestones_init(milestones *ms, long long first_token_racks, double total_gpus)
{
    ms->first_token_racks = first_token_racks;
    ms->total_gpus = total_gpus;
    ms->t_first_token = ms->t_50 = ms->t_90 = ms->t_100 = NAN;
    ms->done = false;
    for (int c = 0; c < N_CAUSES; c++) {
        ms->cause_ft[c] = ms->cause_full[c] = NAN;
        ms->cause_sum[c] = 0;
    }
}

void milestones_accepted(milestones *ms, const rack_times *rt, double now)
{
    double parts[N_CAUSES];
    milestones_causes(rt, now, parts);
    for (int c = 0; c < N_CAUSES; c++)
        ms->cause_sum[c] += parts[c];
}

void milestones_reached(milestones *ms, long long serving, double gpus_accepted, const rack_times *rt, double now)
{
    if (isnan(ms->t_first_token) && serving >= ms->first_token_racks) {
        ms->t_first_token = now;
        milestones_causes(rt, now, ms->cause_ft);
    }
    if (isnan(ms->t_50) && gpus_accepted >= 0.5 * ms->total_gpus - 1e-9)
        ms->t_50 = now;
    if (isnan(ms->t_90) && gpus_accepted >= 0.9 * ms->total_gpus - 1e-9)
        ms->t_90 = now;
    if (isnan(ms->t_100) && gpus_accepted >= ms->total_gpus - 1e-9) {
        ms->t_100 = now;
        milestones_causes(rt, now, ms->cause_full);
    }
    ms->done = !isnan(ms->t_first_token) && !isnan(ms->t_100); /* implies t_50, t_90 */
}
