#include "meter.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

const char *const meter_series_names[SERIES_N] = {
    "gpus_online", "racks_delivered", "racks_stranded", "it_mw",
    "facility_mw", "supply_mw", "pue", "ambient_c", "co2_t_cum",
    "ttft_p50_ms", "ttft_p99_ms", "utilization", "requests_per_s",
};
const char *const meter_series_units[SERIES_N] = {
    "GPUs", "racks", "racks", "MW", "MW", "MW", "1", "degC", "t", "ms", "ms", "1", "requests/s",
};
const char *const meter_series_descriptions[SERIES_N] = {
    "GPUs accepted and serving", "racks delivered so far", "racks delivered and not yet energized",
    "IT power, the step's mean", "facility power, the step's mean", "supply energized", "facility / IT energy",
    "ambient temperature, the step's mean", "CO2 emitted since day 0", "median TTFT of the step's sampled windows",
    "P99 TTFT of the step's sampled windows", "serving demand over capacity", "serving demand",
};

enum { EV_STEP_END = 1 };

static double temp_at_hour(const meter *m, size_t h)
{
    return m->temp_c[h < m->n_hours ? h : m->n_hours - 1];
}

/* Source i's capacity in this hour's weather. */
static void set_available(meter *m, size_t i)
{
    meter_source *s = &m->src[i];
    double hot = m->ambient_c - s->spec.rating_c;
    double f = s->spec.derate_per_c > 0 && hot > 0 ? 1.0 - s->spec.derate_per_c * hot : 1.0;
    s->avail_mw = f > 0 ? s->capacity_mw * f : 0.0;
}

/* Integrates the sources' capacity-hours up to t. */
static void add_capacity_hours(meter *m, double t)
{
    double hours = (t - m->cap_t) * 24.0;
    if (hours > 0)
        for (size_t i = 0; i < m->n_src; i++)
            m->src[i].hour_mwh += m->src[i].avail_mw * hours;
    m->cap_t = t;
}

/* Moves the hour cache to the hour that contains t (its draw: the caller's). */
static void enter_hour_quiet(meter *m, double t)
{
    double hf = (double)(int64_t)(t * 24.0); /* floor: t >= 0 (a call to floor() costs ~20 instructions here) */
    size_t h = (size_t)hf;
    double next = (hf + 1.0) / 24.0;
    if (next <= t) { /* rounding at a boundary */
        h++;
        next = ((double)h + 1.0) / 24.0;
    }
    m->hour = h;
    m->hour_start_t = t;
    m->hour_end = next;
    m->ambient_c = temp_at_hour(m, h);
    m->cap_t = t;
    for (size_t i = 0; i < m->n_src; i++) {
        set_available(m, i);
        m->src[i].hour_mwh = 0;
    }
    m->hour_start_fac_mwh = m->tot.facility_mwh;
    m->hour_start_it_mwh = m->tot.it_mwh;
    m->hour_start_water_m3 = m->tot.water_m3;
    m->hour_start_gpu_hours = m->tot.gpu_hours;
}

/* Closes the current hour at t (its end, or the run's): hands its energies
 * to the hour function and takes off what it paused. */
static void close_hour(meter *m, double t)
{
    add_capacity_hours(m, t);
    if (!m->on_hour)
        return;
    double fac = m->tot.facility_mwh - m->hour_start_fac_mwh, it = m->tot.it_mwh - m->hour_start_it_mwh;
    double avail[METER_MAX_SOURCES];
    for (size_t i = 0; i < m->n_src; i++)
        avail[i] = m->src[i].hour_mwh;
    meter_hour_out o = m->on_hour(m->hour_ctx, m->hour, (t - m->hour_start_t) * 24.0, fac, it,
                                  m->tot.gpu_hours - m->hour_start_gpu_hours, avail);
    double paused = o.paused_mwh;
    m->co2_t_so_far = o.co2_t;
    if (paused > 0 && fac > 0) {
        double share = paused / fac;
        m->tot.facility_mwh -= paused;
        m->tot.it_mwh -= it * share;
        m->tot.water_m3 -= (m->tot.water_m3 - m->hour_start_water_m3) * share;
    }
}

/* The same, and the next hour entered with the draw in it afresh. */
static void enter_hour(meter *m, double t)
{
    close_hour(m, t);
    enter_hour_quiet(m, t);
    meter_reread(m);
}

void meter_reread(meter *m)
{
    m->fac_mw = m->probe(m->probe_ctx, m->hour, m->ambient_c, &m->it_mw, &m->water_m3_per_h);
    m->gpus = m->gauges ? m->gauges->gpus_online : 0.0;
}

/* Adds the current hour's temperature from temp_from to t (the hour's end,
 * or a step's) to the step's mean: once per hour and per step, not per
 * stretch. */
static void add_temp_hours(meter *m, double t)
{
    double hours = (t - m->temp_from) * 24.0;
    m->step_temp_hours += m->ambient_c * hours;
    m->step_hours += hours;
    m->temp_from = t;
}

/* One stretch per hour crossed (meter_stretch). */
void meter_advance_to(meter *m, double t)
{
    double last = m->last_t;
    while (last < t) {
        if (!(last < m->hour_end)) {
            add_temp_hours(m, last);
            enter_hour(m, last);
        }
        double end = t < m->hour_end ? t : m->hour_end;
        meter_stretch(m, (end - last) * 24.0);
        last = end;
    }
    m->last_t = last;
}

void meter_set_capacity(meter *m, double t_days, size_t i, double capacity_mw)
{
    meter_advance(m, t_days);
    add_capacity_hours(m, m->last_t);
    if (i < m->n_src) {
        m->src[i].capacity_mw = capacity_mw;
        set_available(m, i);
    }
}

double meter_supply_mw(const meter *m)
{
    double s = 0;
    for (size_t i = 0; i < m->n_src; i++)
        if (m->src[i].spec.in_supply)
            s += m->src[i].avail_mw;
    return s;
}

void meter_finish(meter *m)
{
    close_hour(m, m->last_t);
    enter_hour_quiet(m, m->last_t);
}

static void close_step(meter *m)
{
    if (m->step_i >= m->n_steps)
        return;
    add_temp_hours(m, m->last_t);
    double *row = m->series + m->step_i * SERIES_N;
    double hours = m->step_days * 24.0;
    row[SERIES_GPUS_ONLINE] = m->gauges->gpus_online;
    row[SERIES_RACKS_DELIVERED] = m->gauges->racks_delivered;
    row[SERIES_RACKS_STRANDED] = m->gauges->racks_stranded;
    double it_mwh = m->tot.it_mwh - m->step_start_it_mwh, fac_mwh = m->tot.facility_mwh - m->step_start_fac_mwh;
    row[SERIES_IT_MW] = it_mwh / hours;
    row[SERIES_FACILITY_MW] = fac_mwh / hours;
    row[SERIES_SUPPLY_MW] = meter_supply_mw(m);
    row[SERIES_PUE] = it_mwh > 0 ? fac_mwh / it_mwh : NAN;
    row[SERIES_AMBIENT_C] = m->step_hours > 0 ? m->step_temp_hours / m->step_hours : NAN;
    row[SERIES_CO2_T_CUM] = m->co2_t_so_far;
    m->step_start_it_mwh = m->tot.it_mwh;
    m->step_start_fac_mwh = m->tot.facility_mwh;
    m->step_temp_hours = m->step_hours = 0;
    m->step_i++;
}

static void meter_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    meter *m = ctx;
    if (kind != EV_STEP_END) {
        sim_fail_internal(eng, "meter: unknown event kind %u", kind);
        return;
    }
    /* the step ends exactly at its boundary; the event runs just after it (nextafter, so that the changes at the
     * boundary come first): what lies between belongs to the next step */
    double boundary = (double)(arg + 1) * m->step_days;
    meter_advance(m, boundary < sim_now(eng) ? boundary : sim_now(eng));
    /* the hour that ends with the step is closed (dispatched: its CO2 counts in the step) before the row is
     * taken, and the next one entered after it (the row's supply is the step's last hour's) */
    bool at_hour_end = !(m->last_t < m->hour_end);
    if (at_hour_end) {
        add_temp_hours(m, m->last_t);
        close_hour(m, m->last_t);
    }
    close_step(m);
    if (at_hour_end) {
        enter_hour_quiet(m, m->last_t);
        meter_reread(m);
    }
    /* One step end pending at a time: a horizon of step ends queued up front
     * would stretch the engine's calendar over years and crowd its buckets. */
    if (arg + 1 < m->n_steps)
        sim_schedule(eng, nextafter((double)(arg + 2) * m->step_days, INFINITY), m->model_id, EV_STEP_END, arg + 1);
}

int meter_start(meter *m, sim_engine *eng, const double *temp_c, size_t n_hours, double step_days, size_t n_steps,
                double *series, meter_probe_fn probe, void *probe_ctx, const meter_source_spec *sources,
                size_t n_sources, const meter_gauges *gauges, meter_hour_fn on_hour, void *hour_ctx, sim_err *err)
{
    memset(m, 0, sizeof *m);
    if (n_sources < 1 || n_sources > METER_MAX_SOURCES)
        return sim_errf(err, "meter: 1 to %d sources (got %zu)", METER_MAX_SOURCES, n_sources);
    if (n_hours < 1)
        return sim_errf(err, "meter: no hours of weather");
    double step_hours = step_days * 24.0;
    if (n_steps > 0 && !(fabs(step_hours - round(step_hours)) < 1e-9 && step_hours >= 1))
        return sim_errf(err, "meter: a step of %g days is not a whole number of hours", step_days);
    m->temp_c = temp_c;
    m->n_hours = n_hours;
    m->step_days = step_days;
    m->n_steps = n_steps;
    m->series = series;
    m->probe = probe;
    m->probe_ctx = probe_ctx;
    m->gauges = gauges;
    m->n_src = n_sources;
    for (size_t i = 0; i < n_sources; i++)
        m->src[i].spec = sources[i];
    m->on_hour = on_hour;
    m->hour_ctx = hour_ctx;
    int id = sim_engine_add_model(eng, "meter", meter_handle, m, err);
    if (id < 0)
        return -1;
    m->model_id = id;
    /* Hour 0 is entered at once: a change at day 0 rereads the draw in it. */
    enter_hour_quiet(m, 0.0);
    meter_reread(m);
    /* A step closes just after every other event at its end time (the next
     * representable time), so a rack accepted at day 500.0 counts on day 500. */
    if (n_steps > 0)
        sim_schedule(eng, nextafter(step_days, INFINITY), id, EV_STEP_END, 0);
    return 0;
}
