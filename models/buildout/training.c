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

double interrupt_step(interrupt_tally *it, double now, double delta_rate)
{
    double n = 0, dt = now - it->last_t;
    if (it->rate_per_day > 0 && dt > 0)
        n = sim_rng_poisson(&it->rng, it->rate_per_day * dt);
    it->count += n;
    it->last_t = now;
    it->rate_per_day += delta_rate;
    if (it->rate_per_day < 1e-12)
        it->rate_per_day = 0; /* no rounding left behind when the last GPU leaves */
    return n;
}

static void advance(const training_config *tc, training_tally *tt, double now, double delta_rate)
{
    tt->gpu_hours += tt->gpus_online * (now - tt->intr.last_t) * 24.0;
    double n = interrupt_step(&tt->intr, now, delta_rate);
    double job = tt->gpus_online < tc->job_gpus ? tt->gpus_online : tc->job_gpus;
    tt->lost_gpu_hours += n * job * (tc->restart_hours + 0.5 * tc->checkpoint_interval_hours);
}

void training_gpus_change(const training_config *tc, training_tally *tt, double now, double delta, double delta_rate)
{
    advance(tc, tt, now, delta_rate);
    tt->gpus_online += delta;
}

double training_goodput(const training_config *tc, training_tally *tt, double t_end)
{
    advance(tc, tt, t_end, 0.0);
    if (!(tt->gpu_hours > 0))
        return NAN;
    double tau = tc->checkpoint_interval_hours, w = tc->checkpoint_write_hours;
    double useful = tt->gpu_hours - tt->lost_gpu_hours; /* a job that never gets past its restarts: none */
    return (useful > 0 ? useful : 0.0) * tau / (tau + w) / tt->gpu_hours;
}
