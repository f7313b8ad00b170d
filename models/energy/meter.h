/*
 * meter: integrates IT and facility power over time and writes the series.
 *
 * Power is piecewise constant between breakpoints: hour boundaries (the
 * outdoor temperature and the utilization change hourly) and state changes
 * (a rack switched on, accepted, failed, a supply step). Every model that
 * changes what the site draws calls meter_advance(now) first, so the integral
 *   E = sum over segments of P(segment) * duration
 * is exact for the model, not a sampled approximation.
 *
 * The draw now is kept, not recomputed for every segment: when the meter
 * enters an hour it asks the probe for the draw afresh (the hour's weather
 * and utilization), and within the hour the model that changes the draw
 * reports the change (meter_add). The fresh read each hour, and whenever the
 * model asks for one (meter_refresh: when a technology's load drops to
 * zero), keeps the running sums from collecting rounding. The series rows are
 * the same sums per output step, so sum(row it_mw * step hours) equals the
 * reported IT energy (a test holds it to that).
 *
 * Row i covers [i*step_days, (i+1)*step_days) and is labelled with its end,
 * day = (i+1)*step_days: powers are the step's averages (energy / hours), PUE
 * the step's facility / IT energy (empty when IT drew nothing), ambient the
 * step's mean temperature, co2_t_cum the CO2 emitted from day 0 to the
 * step's end (t), and counts (GPUs online, racks delivered and
 * stranded, supply MW) the values at the end of the step.
 *
 * CO2 and cost: per segment, the draw is split between grid and on-site
 * generation (power_split); the two energies are priced with each source's
 * kgCO2/MWh and price (constant over the run, so CO2 and cost follow from the
 * energy totals);
 * water is each hall's WUE times its IT energy.
 */
#ifndef MODELS_METER_H
#define MODELS_METER_H

#include <stdbool.h>
#include <stddef.h>

#include "models/energy/power.h"
#include "sim/engine.h"

enum {
    SERIES_GPUS_ONLINE,
    SERIES_RACKS_DELIVERED,
    SERIES_RACKS_STRANDED,
    SERIES_IT_MW,
    SERIES_FACILITY_MW,
    SERIES_SUPPLY_MW,
    SERIES_PUE,
    SERIES_AMBIENT_C,
    SERIES_CO2_T_CUM,
    /* filled by the serving windows (models/serving/serving.h); empty on other days */
    SERIES_TTFT_P50_MS,
    SERIES_TTFT_P99_MS,
    SERIES_UTILIZATION,
    SERIES_REQUESTS_PER_S,
    SERIES_N
};
extern const char *const meter_series_names[SERIES_N];

/* Facility MW drawn right now, during hour `hour` of the run (hour 0 starts
 * at day 0) at this ambient temperature; fills IT MW and the water rate (m3
 * per hour). Called once per stretch of constant draw, so it should be cheap:
 * whatever depends only on the hour can be cached per hour. */
typedef double (*meter_probe_fn)(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h);

typedef struct meter_gauges {
    double gpus_online, racks_delivered, racks_stranded;
} meter_gauges;

typedef struct meter_totals {
    double it_mwh, facility_mwh, grid_mwh, onsite_mwh, over_supply_mwh;
    double co2_t, cost, water_m3, peak_facility_mw;
} meter_totals;

typedef struct meter {
    const double *temp_c;
    size_t n_hours;
    double step_days;
    size_t n_steps, step_i;
    double *series; /* n_steps x SERIES_N, caller-owned */
    double last_t;
    size_t hour;            /* the hour that holds last_t (hour 0 starts at day 0) */
    double hour_end;        /* and its end, in days */
    double ambient_c;       /* and its temperature */
    double it_mw, fac_mw, water_m3_per_h; /* the draw now */
    double step_start_it_mwh, step_start_fac_mwh; /* the totals when the step began */
    double step_temp_hours, step_hours; /* the step's temperature x hours and hours, */
    double temp_from;                   /* up to this time: added per hour, not per stretch */
    meter_totals tot;
    meter_probe_fn probe;
    void *probe_ctx;
    const power_state *ps;
    const meter_gauges *gauges;
    int model_id;
} meter;

int meter_start(meter *m, sim_engine *eng, const double *temp_c, size_t n_hours, double step_days, size_t n_steps,
                double *series, meter_probe_fn probe, void *probe_ctx, const power_state *ps,
                const meter_gauges *gauges, sim_err *err);

void meter_advance_to(meter *m, double t_days);
void meter_split_stretch(meter *m, double fac_mw, double hours);

/* Integrates one stretch of constant draw, `hours` long, within the current
 * hour. Only what cannot be derived later is summed per stretch: IT,
 * facility and water energy, the peak, and the part of the draw above the
 * grid's capacity (the grid/on-site split is the only non-linear step, and
 * it is skipped while the grid covers the draw). Grid energy is facility
 * minus on-site; CO2 and cost are linear in the grid and on-site energies
 * (meter_totals_now); a step's energies are differences of the totals. */
static inline void meter_stretch(meter *m, double hours)
{
    double fac_mw = m->fac_mw;
    m->tot.it_mwh += m->it_mw * hours;
    m->tot.facility_mwh += fac_mw * hours;
    m->tot.water_m3 += m->water_m3_per_h * hours;
    if (fac_mw > m->ps->grid_mw)
        meter_split_stretch(m, fac_mw, hours);
    if (fac_mw > m->tot.peak_facility_mw)
        m->tot.peak_facility_mw = fac_mw;
}

/* Integrates from the last breakpoint up to t_days (t_days <= the next step
 * end). Every model calls it before it changes what the site draws; a second
 * call at the same time costs one comparison, and one within the current
 * hour (most of them: failures and repairs) one stretch, inline. */
static inline void meter_advance(meter *m, double t_days)
{
    if (m->last_t < t_days) {
        if (m->last_t < m->hour_end && t_days <= m->hour_end) {
            meter_stretch(m, (t_days - m->last_t) * 24.0);
            m->last_t = t_days;
        } else {
            meter_advance_to(m, t_days);
        }
    }
}

/* The draw changed now (after meter_advance to now) by these amounts, worked
 * out at the current hour's utilization and cooling factors. */
static inline void meter_add(meter *m, double d_it_mw, double d_fac_mw, double d_water_m3_per_h)
{
    m->it_mw += d_it_mw;
    m->fac_mw += d_fac_mw;
    m->water_m3_per_h += d_water_m3_per_h;
}

/* Reads the draw now afresh from the probe (exact sums, no rounding left
 * over from meter_add). */
void meter_refresh(meter *m);

/* The totals so far, with CO2 and cost derived from the grid and on-site
 * energies (they are linear in them). */
const meter_totals *meter_totals_now(meter *m);

#endif
