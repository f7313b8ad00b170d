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

/* Source i's capacity in this hour's weather. */
static void set_available(meter *m, size_t i)
{
    meter_source *s = &m->src[i];
    double hot = m->ambient_c - s->spec.rating_c;
    double f = s->spec.derate_per_c > 0 && hot > 0 ? 1.0 - s->spec.derate_per_c * hot : 1.0;
    s->avail_mw = f > 0 ? s->capacity_mw * f : 0.0;
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
    for (size_t i = 0; i < m->n_src; i++)
        set_available(m, i);
}

/* Closes the current hour's hourly-priced energy: each such source's energy
 * in the hour at the hour's price and carbon (the first source's energy in
 * the hour is the facility's less the others'). */
static void close_hour_prices(meter *m)
{
    size_t h = m->hour < m->n_hours ? m->hour : m->n_hours - 1;
    double others = 0;
    for (size_t i = 1; i < m->n_src; i++) {
        meter_source *s = &m->src[i];
        others += s->hour_mwh;
        if (s->spec.price_hourly) {
            s->cost += s->hour_mwh * s->spec.price_hourly[h];
            s->co2_kg += s->hour_mwh * s->spec.co2_hourly[h];
        }
        s->hour_mwh = 0;
    }
    if (m->hourly_first) {
        meter_source *s = &m->src[0];
        double e = m->tot.facility_mwh - m->hour_start_fac_mwh - others;
        s->cost += e * s->spec.price_hourly[h];
        s->co2_kg += e * s->spec.co2_hourly[h];
    }
    m->hour_start_fac_mwh = m->tot.facility_mwh;
}

/* The same, and the draw in it afresh. */
static void enter_hour(meter *m, double t)
{
    close_hour_prices(m);
    enter_hour_quiet(m, t);
    meter_reread(m);
}

void meter_reread(meter *m)
{
    m->fac_mw = m->probe(m->probe_ctx, m->hour, m->ambient_c, &m->it_mw, &m->water_m3_per_h);
}

/* The parts of a stretch that the first source cannot cover: the next
 * sources in turn, then over supply (booked to the first). */
void meter_split_stretch(meter *m, double fac_mw, double hours)
{
    double rest = fac_mw - m->src[0].avail_mw;
    for (size_t i = 1; i < m->n_src && rest > 0; i++) {
        meter_source *s = &m->src[i];
        double take = rest < s->avail_mw ? rest : s->avail_mw;
        s->mwh += take * hours;
        s->hour_mwh += take * hours;
        rest -= take;
    }
    if (rest > 0)
        m->tot.over_supply_mwh += rest * hours;
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
    if (i < m->n_src) {
        m->src[i].capacity_mw = capacity_mw;
        set_available(m, i);
    }
}

double meter_supply_mw(const meter *m)
{
    double s = 0;
    for (size_t i = 0; i < m->n_src; i++)
        s += m->src[i].avail_mw;
    return s;
}

const meter_totals *meter_totals_now(meter *m)
{
    meter_totals *t = &m->tot;
    /* The first source: the facility energy less the others' (over supply included). */
    double others = 0, others_hour = 0;
    for (size_t i = 1; i < m->n_src; i++) {
        others += m->src[i].mwh;
        others_hour += m->src[i].hour_mwh;
    }
    double first = t->facility_mwh - others;
    m->src[0].mwh = first > 0 ? first : 0;
    double cost = 0, co2 = 0;
    for (size_t i = 0; i < m->n_src; i++) {
        const meter_source *s = &m->src[i];
        double c, k;
        if (s->spec.price_hourly) { /* the closed hours, and the current one so far */
            size_t h = m->hour < m->n_hours ? m->hour : m->n_hours - 1;
            double e = i == 0 ? t->facility_mwh - m->hour_start_fac_mwh - others_hour : s->hour_mwh;
            c = s->cost + e * s->spec.price_hourly[h];
            k = s->co2_kg + e * s->spec.co2_hourly[h];
        } else {
            c = s->mwh * s->spec.price_per_mwh;
            k = s->mwh * s->spec.co2_kg_per_mwh;
        }
        t->source_mwh[i] = s->mwh;
        t->source_cost[i] = c;
        t->source_co2_t[i] = k / 1000.0;
        cost += c;
        co2 += k;
    }
    t->cost = cost;
    t->co2_t = co2 / 1000.0;
    return t;
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
                double *series, meter_probe_fn probe, void *probe_ctx, const meter_source_spec *sources,
                size_t n_sources, const meter_gauges *gauges, sim_err *err)
{
    memset(m, 0, sizeof *m);
    if (n_sources < 1 || n_sources > METER_MAX_SOURCES)
        return sim_errf(err, "meter: 1 to %d sources (got %zu)", METER_MAX_SOURCES, n_sources);
    if (n_hours < 1)
        return sim_errf(err, "meter: no hours of weather");
    m->temp_c = temp_c;
    m->n_hours = n_hours;
    m->step_days = step_days;
    m->n_steps = n_steps;
    m->series = series;
    m->probe = probe;
    m->probe_ctx = probe_ctx;
    m->gauges = gauges;
    m->n_src = n_sources;
    for (size_t i = 0; i < n_sources; i++) {
        m->src[i].spec = sources[i];
        if (!sources[i].price_hourly != !sources[i].co2_hourly)
            return sim_errf(err, "meter: source '%s' has an hourly price without hourly carbon, or the reverse",
                            sources[i].name);
    }
    m->hourly_first = sources[0].price_hourly != NULL;
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
