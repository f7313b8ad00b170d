#include "training.h"

int training_load(sim_cfg *cfg, training_config *tc, sim_err *err)
{
    double restart_min, interval_min, write_min;
    tc->job_gpus = 0;
    if (sim_cfg_num(cfg, "training.gpu_share", 0.0, SIM_PROB, &tc->gpu_share, err))
        return -1;
    bool on = tc->gpu_share > 0;
    if (sim_cfg_num(cfg, "training.job_gpus", on ? SIM_REQUIRED : 1.0, SIM_POSITIVE, &tc->job_gpus, err) ||
        sim_cfg_num(cfg, "training.restart_minutes", on ? SIM_REQUIRED : 0.0, SIM_NONNEG, &restart_min, err) ||
        sim_cfg_num(cfg, "training.checkpoint_interval_minutes", on ? SIM_REQUIRED : 1.0, SIM_POSITIVE, &interval_min,
                    err) ||
        sim_cfg_num(cfg, "training.checkpoint_write_minutes", on ? SIM_REQUIRED : 0.0, SIM_NONNEG, &write_min, err))
        return -1;
    tc->restart_hours = restart_min / 60.0;
    tc->checkpoint_interval_hours = interval_min / 60.0;
    tc->checkpoint_write_hours = write_min / 60.0;
    return 0;
}

static void advance(training_tally *tt, double now)
{
    tt->gpu_hours += tt->gpus_online * (now - tt->last_t) * 24.0;
    tt->last_t = now;
}

void training_gpus_change(training_tally *tt, double now, double delta)
{
    advance(tt, now);
    tt->gpus_online += delta;
}

void training_interrupt(const training_config *tc, training_tally *tt, double now)
{
    advance(tt, now);
    double job = tt->gpus_online < tc->job_gpus ? tt->gpus_online : tc->job_gpus;
    tt->interruptions++;
    tt->lost_gpu_hours += job * (tc->restart_hours + 0.5 * tc->checkpoint_interval_hours);
}

double training_goodput(const training_config *tc, training_tally *tt, double t_end)
{
    advance(tt, t_end);
    if (!(tt->gpu_hours > 0))
        return NAN;
    double tau = tc->checkpoint_interval_hours, w = tc->checkpoint_write_hours;
    double useful = tt->gpu_hours - tt->lost_gpu_hours; /* a job that never gets past its restarts: none */
    return (useful > 0 ? useful : 0.0) * tau / (tau + w) / tt->gpu_hours;
}
