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

void meter_advance(meter *m, double t)
{
    while (m->last_t < t) {
        double hf = (double)(int64_t)(m->last_t * 24.0); /* floor: t >= 0 (a call to floor() costs ~20 instructions here) */
        size_t h = (size_t)hf;
        double next = (hf + 1.0) / 24.0;
        if (next <= m->last_t) { /* rounding at a boundary */
            h++;
            next = ((double)h + 1.0) / 24.0;
        }
        double end = t < next ? t : next;
        double hours = (end - m->last_t) * 24.0;
        double ambient = temp_at_hour(m, h);
        double it_mw = 0, water_rate = 0;
        double fac_mw = m->probe(m->probe_ctx, m->last_t, ambient, &it_mw, &water_rate);
        double g, o, over;
        power_split(m->ps, fac_mw, &g, &o, &over);
        const power_config *pc = m->ps->cfg;
        m->tot.it_mwh += it_mw * hours;
        m->tot.facility_mwh += fac_mw * hours;
        m->tot.grid_mwh += g * hours;
        m->tot.onsite_mwh += o * hours;
        m->tot.over_supply_mwh += over * hours;
        m->tot.co2_t += (g * pc->grid_co2_kg_per_mwh + o * pc->onsite_co2_kg_per_mwh) * hours / 1000.0;
        m->tot.cost += (g * pc->grid_price_per_mwh + o * pc->onsite_cost_per_mwh) * hours;
        m->tot.water_m3 += water_rate * hours;
        if (fac_mw > m->tot.peak_facility_mw)
            m->tot.peak_facility_mw = fac_mw;
        m->step_it_mwh += it_mw * hours;
        m->step_fac_mwh += fac_mw * hours;
        m->step_temp_hours += ambient * hours;
        m->step_hours += hours;
        m->last_t = end;
    }
}

static void close_step(meter *m)
{
    if (m->step_i >= m->n_steps)
        return;
    double *row = m->series + m->step_i * SERIES_N;
    double hours = m->step_days * 24.0;
    row[SERIES_GPUS_ONLINE] = m->gauges->gpus_online;
    row[SERIES_RACKS_DELIVERED] = m->gauges->racks_delivered;
    row[SERIES_RACKS_STRANDED] = m->gauges->racks_stranded;
    row[SERIES_IT_MW] = m->step_it_mwh / hours;
    row[SERIES_FACILITY_MW] = m->step_fac_mwh / hours;
    row[SERIES_SUPPLY_MW] = power_supply_mw(m->ps);
    row[SERIES_PUE] = m->step_it_mwh > 0 ? m->step_fac_mwh / m->step_it_mwh : NAN;
    row[SERIES_AMBIENT_C] = m->step_hours > 0 ? m->step_temp_hours / m->step_hours : NAN;
    row[SERIES_CO2_T_CUM] = m->tot.co2_t;
    m->step_it_mwh = m->step_fac_mwh = m->step_temp_hours = m->step_hours = 0;
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
