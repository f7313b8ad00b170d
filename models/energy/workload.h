/*
 * workload: the utilization of in-service racks over the day, which sets
 * their draw between idle and peak:
 *   rack_kw = idle_kw + (peak_kw - idle_kw) * u(t)
 *   u(t) = clamp(utilization + diurnal_amplitude * cos(2 pi (hour(t) - peak_hour) / 24), 0, 1)
 * Racks in burn-in run their stress tests at burnin_utilization (default 1:
 * full power). diurnal_amplitude defaults to 0 (flat); peak_hour is required
 * when it is not.
 * The presets' 60 % mean utilization cites scenarios/SOURCES.md [UTIL]; a
 * rack's peak_kw is its rating, and measured training draw is ~76-82 % of
 * it [HW-H100].
 */
#ifndef MODELS_WORKLOAD_H
#define MODELS_WORKLOAD_H

#include <stddef.h>

#include "sim/config/cfg.h"

typedef struct workload_config {
    double utilization, diurnal_amplitude, peak_hour, burnin_utilization;
    double u_by_hour[24]; /* u for each hour of the day, computed at load */
} workload_config;

int workload_load(sim_cfg *cfg, workload_config *out, sim_err *err);
/* Fills u_by_hour from the other fields (workload_load calls it). */
void workload_prepare(workload_config *w);
/* Utilization during the hour that contains t_days. */
double workload_utilization(const workload_config *w, double t_days);
/* Utilization during hour `hour` of the run (hour 0 starts at day 0). */
static inline double workload_utilization_in_hour(const workload_config *w, size_t hour)
{
    return w->u_by_hour[hour % 24u];
}

#endif
