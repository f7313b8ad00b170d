/*
 * facility: what the site draws, from the IT load of its racks to facility
 * MW, by cooling technology and weather.
 *
 * The racks report what they draw, summed over the halls of each cooling
 * technology k: racks drawing, idle kW, dynamic kW (peak - idle, scaled by
 * the hour's utilization), burn-in kW, and the halls' fixed MW. In an hour
 * with utilization u and outdoor temperature T:
 *   IT_k       = (idle_kw + u dyn_kw + burnin_kw) / 1000               MW
 *   facility_k = IT_k f_k(weather) + fixed_k
 *   water_k    = IT_k v_k(weather)                                     m3/h
 * with f_k the facility MW and v_k the water m3 per IT MW(h) of technology
 * k in the hour's dry bulb, wet bulb and humidity (models/energy/cooling.h;
 * the wet bulb from the climate's dew point, capped at the dry bulb, and
 * its station pressure: models/energy/psychro.h), so the facility power is
 * linear in the sums within an hour and the probe costs one term per
 * technology, not per hall.
 *
 * facility_probe is the meter's probe: the draw now, afresh. facility_add
 * is the one way the load changes: it brings the meter up to the time of
 * the change, changes the sums and has the meter read the draw afresh, so
 * the integral is exact whoever changes the load, and no delta is carried
 * over. When the last rack of a technology stops drawing, its kW sums are
 * reset to exact zeros.
 */
#ifndef MODELS_ENERGY_FACILITY_H
#define MODELS_ENERGY_FACILITY_H

#include <stddef.h>
#include <stdint.h>

#include "models/energy/cooling.h"
#include "models/energy/meter.h"
#include "models/energy/workload.h"

typedef struct facility_load {
    long long racks; /* racks drawing: in burn-in or in service */
    double idle_kw, dyn_kw, burnin_kw, fixed_mw;
} facility_load;

typedef struct facility {
    const cooling_config *cc;
    const workload_config *wc;
    meter *m;
    facility_load loads[COOLING_MAX_TECHS];
    uint32_t used_tech[COOLING_MAX_TECHS]; /* the technologies some hall has, in index order */
    uint32_t n_used_tech;
    bool humid;                            /* some used technology evaporates */
    const double *dew_c;                   /* the climate's dew point per hour (NULL: none) */
    size_t n_dew;
    double pressure_kpa;
    size_t hour;                           /* the per-hour cache: */
    double ambient_c, u;
    double factor[COOLING_MAX_TECHS];      /* facility MW per IT MW this hour */
    double water[COOLING_MAX_TECHS];       /* water m3 per IT MWh this hour */
} facility;

/* used[k]: some hall has technology k; dew_c: n_dew hourly dew points (the
 * caller has checked that a technology that evaporates has them). The
 * meter is set later (facility_attach). */
void facility_init(facility *f, const cooling_config *cc, const workload_config *wc, const bool *used,
                   const double *dew_c, size_t n_dew, double pressure_kpa);
static inline void facility_attach(facility *f, meter *m)
{
    f->m = m;
}

/* The meter's probe (meter_probe_fn): facility MW now; fills IT MW and water. */
double facility_probe(void *f, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h);

/* At t_days, technology k's load changes by these amounts (racks drawing,
 * kW by kind, MW of fixed load): the meter integrates up to t at the old
 * draw, then reads the new one. Inline: a failure or a repair costs one,
 * and its constant arguments fold away. */
static inline __attribute__((always_inline)) void facility_add(facility *f, double t_days, uint32_t k, int racks,
                                                               double idle_kw, double dyn_kw, double burnin_kw,
                                                               double fixed_mw)
{
    meter_advance(f->m, t_days);
    facility_load *ld = &f->loads[k];
    ld->racks += racks;
    ld->idle_kw += idle_kw;
    ld->dyn_kw += dyn_kw;
    if (burnin_kw != 0)
        ld->burnin_kw += burnin_kw;
    if (fixed_mw != 0)
        ld->fixed_mw += fixed_mw;
    if (ld->racks == 0 && racks != 0) /* exact zeros, no rounding left behind */
        ld->idle_kw = ld->dyn_kw = ld->burnin_kw = 0;
    meter_reread(f->m);
}

#endif
