#include "meter.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

const char *const meter_series_names[SERIES_N] = {
    "gpus_online", "racks_delivered", "racks_stranded", "it_mw",
    "facility_mw", "supply_mw", "pue", "ambient_c", "co2_t_cum",
    "ttft_p50_ms", "ttft_p99_ms", "utilization", "requests_per_s",
};

enum { EV_STEP_END = 1 };

static double temp_at_hour(const meter *m, size_t h)
{
    return m->temp_c[h < m->n_hours ? h : m->n_hours - 1];
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
    m->hour_end = next;
    m->ambient_c = temp_at_hour(m, h);
}

/* The same, and the draw in it afresh. */
static void enter_hour(meter *m, double t)
{
    enter_hour_quiet(m, t);
    meter_refresh(m);
}

void meter_refresh(meter *m)
{
    m->fac_mw = m->probe(m->probe_ctx, m->hour, m->ambient_c, &m->it_mw, &m->water_m3_per_h);
}

/* The on-site and over-supply parts of a stretch whose draw is above the
 * grid's capacity. */
void meter_split_stretch(meter *m, double fac_mw, double hours)
{
    double g, o, over;
    power_split(m->ps, fac_mw, &g, &o, &over);
    m->tot.onsite_mwh += o * hours;
    m->tot.over_supply_mwh += over * hours;
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

const meter_totals *meter_totals_now(meter *m)
{
    const power_config *pc = m->ps->cfg;
    /* over supply included: it is drawn from, and priced as, the grid */
    double g = m->tot.facility_mwh - m->tot.onsite_mwh;
    m->tot.grid_mwh = g > 0 ? g : 0;
    m->tot.co2_t = (m->tot.grid_mwh * pc->grid_co2_kg_per_mwh + m->tot.onsite_mwh * pc->onsite_co2_kg_per_mwh) / 1000.0;
    m->tot.cost = m->tot.grid_mwh * pc->grid_price_per_mwh + m->tot.onsite_mwh * pc->onsite_cost_per_mwh;
    return &m->tot;
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
    row[SERIES_SUPPLY_MW] = power_supply_mw(m->ps);
    row[SERIES_PUE] = it_mwh > 0 ? fac_mwh / it_mwh : NAN;
    row[SERIES_AMBIENT_C] = m->step_hours > 0 ? m->step_temp_hours / m->step_hours : NAN;
    row[SERIES_CO2_T_CUM] = meter_totals_now(m)->co2_t;
    m->step_start_it_mwh = m->tot.it_mwh;
    m->step_start_fac_mwh = m->tot.facility_mwh;
    m->step_temp_hours = m->step_hours = 0;
    m->step_i++;
}

static void meter_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    meter *m = ctx;
    if (kind != EV_STEP_END) {
        sim_fail(eng, "meter: unknown event kind %u", kind);
        return;
    }
    meter_advance(m, sim_now(eng));
    close_step(m);
    /* One step end pending at a time: a horizon of step ends queued up front
     * would stretch the engine's calendar over years and crowd its buckets. */
    if (arg + 1 < m->n_steps)
        sim_schedule(eng, nextafter((double)(arg + 2) * m->step_days, INFINITY), m->model_id, EV_STEP_END, arg + 1);
}

int meter_start(meter *m, sim_engine *eng, const double *temp_c, size_t n_hours, double step_days, size_t n_steps,
                double *series, meter_probe_fn probe, void *probe_ctx, const power_state *ps,
                const meter_gauges *gauges, sim_err *err)
{
    memset(m, 0, sizeof *m);
    m->temp_c = temp_c;
    m->n_hours = n_hours;
    m->step_days = step_days;
    m->n_steps = n_steps;
    m->series = series;
    m->probe = probe;
    m->probe_ctx = probe_ctx;
    m->ps = ps;
    m->gauges = gauges;
    int id = sim_engine_add_model(eng, "meter", meter_handle, m, err);
    if (id < 0)
        return -1;
    m->model_id = id;
    /* A step closes just after every other event at its end time (the next
     * representable time), so a rack accepted at day 500.0 counts on day 500. */
    if (n_steps > 0)
        sim_schedule(eng, nextafter(step_days, INFINITY), id, EV_STEP_END, 0);
    return 0;
}
