/*
 * meter: integrates what the site draws over time, over the sources that
 * supply it, and writes the series.
 *
 * The draw is piecewise constant between breakpoints: hour boundaries (the
 * outdoor temperature, the utilization and hourly prices change hourly) and
 * changes (a rack switched on, accepted, failed; a supply step). The energy
 *   E = sum over stretches of P(stretch) * duration
 * is exact for the model, not a sampled approximation. The meter keeps the
 * draw now (facility MW, IT MW, water m3/h), read from its probe: afresh
 * when it enters an hour, and when a model tells it the draw changed
 * (meter_reread). Every call that changes what the meter integrates takes
 * the time of the change and integrates up to it first (meter_reread's
 * caller advances it: facility.h does so in facility_add), so no model can
 * change the draw behind the meter's back.
 *
 * Sources: a list (at most METER_MAX_SOURCES), each with a capacity that
 * changes over the run (meter_set_capacity) and a price and carbon intensity
 * per MWh, constant or per hour of the run. A source may lose capacity with
 * heat (a gas turbine: models/energy/power.h): in an hour at ambient T it
 * can give
 *   available = capacity (1 - derate_per_c max(0, T - rating_c))   (>= 0). Each stretch's draw is served in
 * list order: the first source up to its capacity, then the next; a draw
 * above all of them (weather hotter than design) is booked to the first
 * source and counted as over-supply energy. Energy, cost and CO2 per source:
 *   E_s = sum of its stretches; cost_s = sum over hours of E_s,h price_s,h
 *   (E_s price_s when its price is constant), and the same for CO2.
 * The first source's energy is the facility energy less the others', so a
 * stretch that the first source covers costs no split (the common case).
 *
 * Series: row i covers [i*step_days, (i+1)*step_days) and is labelled with
 * its end, day = (i+1)*step_days: powers are the step's averages (energy /
 * hours), so sum(row it_mw * step hours) equals the reported IT energy (a
 * test holds it to that); PUE the step's facility / IT energy (empty when IT
 * drew nothing), ambient the step's mean temperature, co2_t_cum the CO2 from
 * day 0 to the step's end, and counts (GPUs online, racks delivered and
 * stranded, supply MW) the values at the end of the step. Water is each
 * technology's WUE times its IT energy (the probe's water rate).
 */
#ifndef MODELS_METER_H
#define MODELS_METER_H

#include <stdbool.h>
#include <stddef.h>

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
 * per hour). Called when the meter enters an hour and at every change, so
 * it should be cheap: whatever depends only on the hour can be cached. */
typedef double (*meter_probe_fn)(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h);

typedef struct meter_gauges {
    double gpus_online, racks_delivered, racks_stranded;
    double first_token_day; /* NAN until first token */
} meter_gauges;

#define METER_MAX_SOURCES 8

/* A source as the caller describes it; price and carbon per hour of the run
 * when the arrays are given (n_hours of them, the meter's), else constant. */
typedef struct meter_source_spec {
    const char *name;
    double price_per_mwh, co2_kg_per_mwh;
    const double *price_hourly, *co2_hourly;
    double derate_per_c, rating_c; /* 0: capacity whatever the weather */
} meter_source_spec;

typedef struct meter_source {
    meter_source_spec spec;
    double capacity_mw;      /* now, as rated */
    double avail_mw;         /* now, in this hour's weather */
    double mwh;              /* energy so far (the first source's: derived, meter_totals_now) */
    double cost, co2_kg;     /* hourly-priced: over the hours closed so far */
    double hour_mwh;         /* hourly-priced: energy in the current hour */
} meter_source;

typedef struct meter_totals {
    double it_mwh, facility_mwh, over_supply_mwh;
    double co2_t, cost, water_m3, peak_facility_mw;
    double source_mwh[METER_MAX_SOURCES], source_cost[METER_MAX_SOURCES], source_co2_t[METER_MAX_SOURCES];
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
    double hour_start_fac_mwh; /* the facility energy when it began */
    double it_mw, fac_mw, water_m3_per_h; /* the draw now */
    double step_start_it_mwh, step_start_fac_mwh; /* the totals when the step began */
    double step_temp_hours, step_hours; /* the step's temperature x hours and hours, */
    double temp_from;                   /* up to this time: added per hour, not per stretch */
    size_t n_src;
    meter_source src[METER_MAX_SOURCES];
    bool hourly_first;      /* the first source is hourly-priced */
    meter_totals tot;
    meter_probe_fn probe;
    void *probe_ctx;
    const meter_gauges *gauges;
    int model_id;
} meter;

/* Registers with the engine. Sources start at zero capacity. */
int meter_start(meter *m, sim_engine *eng, const double *temp_c, size_t n_hours, double step_days, size_t n_steps,
                double *series, meter_probe_fn probe, void *probe_ctx, const meter_source_spec *sources,
                size_t n_sources, const meter_gauges *gauges, sim_err *err);

void meter_advance_to(meter *m, double t_days);
void meter_split_stretch(meter *m, double fac_mw, double hours);

/* Integrates one stretch of constant draw, `hours` long, within the current
 * hour: IT, facility and water energy, the peak, and the sources after the
 * first only when the first cannot cover the draw. */
static inline void meter_stretch(meter *m, double hours)
{
    double fac_mw = m->fac_mw;
    m->tot.it_mwh += m->it_mw * hours;
    m->tot.facility_mwh += fac_mw * hours;
    m->tot.water_m3 += m->water_m3_per_h * hours;
    if (fac_mw > m->src[0].avail_mw)
        meter_split_stretch(m, fac_mw, hours);
    if (fac_mw > m->tot.peak_facility_mw)
        m->tot.peak_facility_mw = fac_mw;
}

/* Integrates from the last breakpoint up to t_days (t_days <= the next step
 * end) at the draw it has; a second call at the same time costs one
 * comparison, and one within the current hour one stretch, inline. */
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

/* The draw is what the probe says now (after meter_advance to the time of
 * the change, and after the change). */
void meter_reread(meter *m);

/* Source i's capacity is capacity_mw from t_days on (integrated up to t
 * first, at the old capacity). */
void meter_set_capacity(meter *m, double t_days, size_t i, double capacity_mw);

/* The supply now: the sources' capacities in this hour's weather, summed. */
double meter_supply_mw(const meter *m);

/* The totals so far (the current hour's hourly-priced energy included). */
const meter_totals *meter_totals_now(meter *m);

#endif
