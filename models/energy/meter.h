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
 * changes over the run (meter_set_capacity). A source may lose capacity
 * with heat (a gas turbine: models/energy/power.h): in an hour at ambient T
 * it can give
 *   available = capacity (1 - derate_per_c max(0, T - rating_c))   (>= 0).
 * The meter integrates each source's available capacity over the hour,
 * capacity-hours (MWh), exactly across changes within the hour. Who
 * supplies the hour is decided when the hour closes: the meter hands the
 * hour's facility and IT energy and the sources' capacity-hours to its
 * hour function (models/energy/dispatch.h does the dispatch), which may
 * answer that part of the hour's facility energy was paused, not drawn
 * (flexible load): the meter then takes it off the facility energy, and
 * the same share off the IT energy and the water.
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

#include "sim/core/engine.h"

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
extern const char *const meter_series_units[SERIES_N], *const meter_series_descriptions[SERIES_N];

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

/* A source as the caller describes it. */
typedef struct meter_source_spec {
    const char *name;
    double derate_per_c, rating_c; /* 0: capacity whatever the weather */
    bool in_supply;                /* counted in the supply series (firm enough to energize racks against) */
} meter_source_spec;

typedef struct meter_source {
    meter_source_spec spec;
    double capacity_mw;      /* now, as rated */
    double avail_mw;         /* now, in this hour's weather */
    double hour_mwh;         /* capacity-hours so far in the current hour */
} meter_source;

typedef struct meter_totals {
    double it_mwh, facility_mwh, water_m3, peak_facility_mw;
    double gpu_hours; /* GPUs online (the gauges') x hours */
} meter_totals;

/* What the hour's owner did with it: the facility energy paused rather
 * than drawn (0 when none), and the CO2 of the hours so far (t, for the
 * series). */
typedef struct meter_hour_out {
    double paused_mwh, co2_t;
} meter_hour_out;

/* Called when an hour closes: `hour` of the run, `hours` long (1, or less
 * for the last), with the facility and IT energy drawn in it and each
 * source's capacity-hours (avail_mwh[i], MWh). */
typedef meter_hour_out (*meter_hour_fn)(void *ctx, size_t hour, double hours, double fac_mwh, double it_mwh,
                                        double gpu_hours, const double *avail_mwh);

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
    double hour_start_t;       /* when it began (day 0 for hour 0), in days */
    double hour_start_fac_mwh, hour_start_it_mwh, hour_start_water_m3, hour_start_gpu_hours; /* the totals when it began */
    double cap_t;              /* the sources' capacity-hours are integrated up to this time */
    double it_mw, fac_mw, water_m3_per_h; /* the draw now */
    double gpus;                          /* GPUs online now (the gauges', read with the draw) */
    double step_start_it_mwh, step_start_fac_mwh; /* the totals when the step began */
    double step_temp_hours, step_hours; /* the step's temperature x hours and hours, */
    double temp_from;                   /* up to this time: added per hour, not per stretch */
    size_t n_src;
    meter_source src[METER_MAX_SOURCES];
    meter_totals tot;
    double co2_t_so_far;    /* the hour function's CO2 over the closed hours, for the series */
    meter_probe_fn probe;
    void *probe_ctx;
    meter_hour_fn on_hour;
    void *hour_ctx;
    const meter_gauges *gauges;
    int model_id;
} meter;

/* Registers with the engine. Sources start at zero capacity. */
/* Registers with the engine. Sources start at zero capacity. The step
 * (step_days) must be a whole number of hours: series rows then close
 * with hours. on_hour may be NULL (no dispatch). */
int meter_start(meter *m, sim_engine *eng, const double *temp_c, size_t n_hours, double step_days, size_t n_steps,
                double *series, meter_probe_fn probe, void *probe_ctx, const meter_source_spec *sources,
                size_t n_sources, const meter_gauges *gauges, meter_hour_fn on_hour, void *hour_ctx, sim_err *err);

void meter_advance_to(meter *m, double t_days);

/* Integrates one stretch of constant draw, `hours` long, within the current
 * hour: IT, facility and water energy, and the peak. */
static inline void meter_stretch(meter *m, double hours)
{
    double fac_mw = m->fac_mw;
    m->tot.it_mwh += m->it_mw * hours;
    m->tot.facility_mwh += fac_mw * hours;
    m->tot.water_m3 += m->water_m3_per_h * hours;
    m->tot.gpu_hours += m->gpus * hours;
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

/* The supply now: the capacities in this hour's weather of the sources
 * counted in supply, summed. */
double meter_supply_mw(const meter *m);

/* Closes the hour in progress (the run's last, possibly short): its
 * energies reach the hour function. Call once, at the end. */
void meter_finish(meter *m);

#endif
