#include "workload.h"

#include <math.h>
#include <stdint.h>

int workload_load(sim_cfg *cfg, workload_config *w, sim_err *err)
{
    if (sim_cfg_num(cfg, "workload.utilization", SIM_REQUIRED, SIM_PROB, &w->utilization, err) ||
        sim_cfg_num(cfg, "workload.diurnal_amplitude", 0.0, SIM_PROB, &w->diurnal_amplitude, err) ||
        sim_cfg_num(cfg, "workload.peak_hour", w->diurnal_amplitude > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 24),
                    &w->peak_hour, err) ||
        sim_cfg_num(cfg, "workload.burnin_utilization", 1.0, SIM_PROB, &w->burnin_utilization, err))
        return -1;
    workload_prepare(w);
    return 0;
}

void workload_prepare(workload_config *w)
{
    for (int hod = 0; hod < 24; hod++) {
        double u = w->utilization + w->diurnal_amplitude * cos(2.0 * M_PI * ((double)hod - w->peak_hour) / 24.0);
        w->u_by_hour[hod] = u < 0 ? 0 : (u > 1 ? 1 : u);
    }
}

double workload_utilization(const workload_config *w, double t_days)
{
    double hour = floor(t_days * 24.0);
    if (!(hour >= 0))
        hour = 0;
    return workload_utilization_in_hour(w, (size_t)hour);
}
