#include "energy_system.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int energy_system_load(sim_cfg *cfg, const timeline_config *tl, const power_config *pc, size_t n_hours,
                       double start_date_days, energy_system *es, sim_err *err)
{
    memset(es, 0, sizeof *es);
    es->n_hours = n_hours;
    static const char *const bases[] = {"average", "marginal"};
    int basis;
    if (signal_load(cfg, "site.grid.price_per_mwh", NAN, -1e5, 1e5, "currency/MWh", n_hours, &es->price, err) ||
        sim_cfg_num(cfg, "site.grid.price_factor", 1.0, SIM_NONNEG, &es->price_factor, err) ||
        (sim_cfg_has(cfg, "site.grid.wholesale_price_per_mwh") &&
         signal_load(cfg, "site.grid.wholesale_price_per_mwh", NAN, -1e5, 1e5, "currency/MWh", n_hours,
                     &es->wholesale, err)) ||
        sim_cfg_choice(cfg, "site.grid.co2_signal", "average", bases, 2, &basis, err))
        return -1;
    es->marginal = basis == 1;
    signal avg;
    if (signal_load(cfg, "site.grid.co2_kg_per_mwh", NAN, 0, 2000, "kg CO2/MWh", n_hours, &avg, err))
        return -1;
    size_t year = n_hours < SIM_HOURS_PER_YEAR ? n_hours : SIM_HOURS_PER_YEAR;
    double sum = 0;
    for (size_t h = 0; h < year; h++)
        sum += avg.base[h];
    es->co2_mean = year ? sum / (double)year : avg.mean;
    if (es->marginal) {
        signal_free(&avg);
        if (signal_load(cfg, "site.grid.marginal_co2_kg_per_mwh", NAN, 0, 2000, "kg CO2/MWh", n_hours, &es->co2,
                        err))
            return -1;
    } else {
        es->co2 = avg;
    }
    if ((sim_cfg_has(cfg, "site.grid.cfe_share") &&
         signal_load(cfg, "site.grid.cfe_share", NAN, 0, 1, "share", n_hours, &es->cfe, err)) ||
        curtail_load(cfg, "site.grid.curtailment", n_hours, &es->curtail, err) ||
        curtail_load(cfg, "site.grid.outages", n_hours, &es->outage, err) ||
        dispatch_load(cfg, pc->src, es->co2_mean, &es->dc, err))
        return -1;
    const char *grid_phase = tl->phases[pc->grid_after_phase].name;
    if (storage_load(cfg, tl, grid_phase, &es->dc.batt, err) ||
        contract_load(cfg, tl, grid_phase, n_hours, &es->ppa, err) ||
        tariff_load(cfg, tl, grid_phase, pc->grid_capacity_mw, start_date_days, &es->tariff, err))
        return -1;
    es->dc.ppa_strike = es->ppa.strike_per_mwh;
    es->dc.start_date_days = es->start_date_days = start_date_days;
    /* read whenever the group is given, so its keys are checked even at zero capacity (a what-if) */
    for (int i = 0; i < SOURCE_N; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s.capacity_factor", source_rows[i].group);
        if (source_rows[i].cls == SOURCE_VARIABLE && sim_cfg_has(cfg, source_rows[i].group) &&
            signal_load(cfg, key, NAN, 0, 1, "capacity factor", n_hours, &es->cf[i], err))
            return -1;
    }
    if (es->curtail.form != CURTAIL_NONE && pc->flexible_mw <= 0) {
        char where[256];
        return sim_errf(err, "%s: site.grid.curtailment: curtailment takes back non-firm capacity, and the site has "
                             "none: give site.grid.flexible_mw",
                        sim_cfg_where(cfg, "site.grid.curtailment", where, sizeof where));
    }
    return 0;
}

void energy_system_free(energy_system *es)
{
    signal_free(&es->price);
    signal_free(&es->wholesale);
    signal_free(&es->co2);
    signal_free(&es->cfe);
    for (int i = 0; i < SOURCE_N; i++)
        signal_free(&es->cf[i]);
    contract_free(&es->ppa);
    curtail_free(&es->curtail);
    curtail_free(&es->outage);
}

void energy_system_sources(const power_config *pc, meter_source_spec out[SOURCE_N])
{
    for (int i = 0; i < SOURCE_N; i++)
        out[i] = (meter_source_spec){source_rows[i].name, pc->src[i].derate_per_c, pc->src[i].rating_c,
                                     (source_rows[i].flags & SOURCE_ENERGIZES) != 0};
}

int energy_run_start(energy_run *er, const energy_system *es, sim_engine *eng, const double *phase_end_days,
                     sim_err *err)
{
    memset(er, 0, sizeof *er);
    er->es = es;
    size_t n = es->n_hours;
    /* the noise is drawn in this order: price, carbon, carbon-free share, the variable sources' and the PPA's
     * capacity factors, the wholesale price */
    const signal *sig[SOURCE_N + 5];
    const double **out[SOURCE_N + 5];
    int n_sig = 0;
    sig[n_sig] = &es->price, out[n_sig++] = &er->price;
    sig[n_sig] = &es->co2, out[n_sig++] = &er->co2;
    sig[n_sig] = &es->cfe, out[n_sig++] = &er->cfe;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE)
            sig[n_sig] = &es->cf[i], out[n_sig++] = &er->cf[i];
    sig[n_sig] = &es->ppa.capacity_factor, out[n_sig++] = &er->ppa_cf;
    sig[n_sig] = &es->wholesale, out[n_sig++] = &er->wholesale;
    size_t n_arrays = 0;
    for (int i = 0; i < n_sig; i++)
        n_arrays += signal_is_random(sig[i]);
    bool curtail = es->curtail.form != CURTAIL_NONE, outage = es->outage.form != CURTAIL_NONE;
    n_arrays += (size_t)curtail + (size_t)outage;
    /* and a scratch array for the events' draws: a whole year's slots, whatever the horizon */
    size_t n_scratch = curtail || outage ? (n > SIM_HOURS_PER_YEAR ? n : SIM_HOURS_PER_YEAR) : 0;
    if (n_arrays || n_scratch) {
        er->buf = sim_calloc(n_arrays * n + n_scratch, sizeof *er->buf, err);
        if (!er->buf)
            return sim_err_oom_for(err, "the %zu hourly inputs of a replication", n_arrays);
    }
    double *next = er->buf;
    sim_rng *noise = sim_engine_rng(eng, sim_engine_stream(eng, "energy", "signals"));
    sim_rng *events = sim_engine_rng(eng, sim_engine_stream(eng, "energy", "events"));
    for (int i = 0; i < n_sig; i++) {
        double *own = signal_is_random(sig[i]) ? next : NULL;
        next += own ? n : 0;
        *out[i] = sig[i]->base ? signal_hours(sig[i], noise, own) : NULL;
    }
    if (!er->wholesale)
        er->wholesale = er->price;
    double *scratch = n_scratch ? next : NULL;
    next += n_scratch;
    if (curtail) {
        curtail_fill(&es->curtail, events, er->price, scratch, next, n, es->start_date_days);
        er->cut = next;
        next += n;
    }
    if (outage) {
        curtail_fill(&es->outage, events, er->price, scratch, next, n, es->start_date_days);
        er->outage = next;
    }
    er->t_ppa = es->ppa.capacity_mw > 0 ? phase_end_days[es->ppa.after_phase] : INFINITY;
    er->t_battery = es->dc.batt.power_mw > 0 ? phase_end_days[es->dc.batt.after_phase] : INFINITY;
    dispatch_init(&er->ds, &es->dc);
    tariff_start(&er->tariff, &es->tariff, es->tariff.on ? phase_end_days[es->tariff.after_phase] : INFINITY);
    return 0;
}

double energy_run_hour(energy_run *er, size_t hour, double hours, double fac_mwh, double it_mwh, double gpu_hours,
                       const double *avail_mwh)
{
    const energy_system *es = er->es;
    size_t h = hour < es->n_hours ? hour : es->n_hours - 1;
    double t_start = (double)hour / 24.0;
    dispatch_hour in;
    memcpy(in.avail_mwh, avail_mwh, sizeof in.avail_mwh);
    in.hours = hours;
    in.load_mwh = fac_mwh;
    in.it_mwh = it_mwh;
    in.gpus = hours > 0 ? gpu_hours / hours : 0; /* the hour's mean */
    in.price = es->price_factor * er->price[h];
    in.wholesale = er->wholesale == er->price ? in.price : er->wholesale[h];
    in.co2 = er->co2[h];
    in.cfe = er->cfe ? er->cfe[h] : NAN; /* not given: the carbon-free share is unknown */
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE)
            in.avail_mwh[i] *= er->cf[i] ? er->cf[i][h] : 0.0;
    in.ppa_mwh = er->ppa_cf && t_start >= er->t_ppa ? es->ppa.capacity_mw * er->ppa_cf[h] * hours : 0.0;
    in.battery_online = t_start >= er->t_battery;
    in.flex_cut_mwh = 0;
    if (er->outage && er->outage[h] > 0) {
        in.avail_mwh[SOURCE_GRID] *= 1.0 - er->outage[h];
        in.avail_mwh[SOURCE_FLEX] *= 1.0 - er->outage[h];
    }
    if (er->cut && er->cut[h] > 0) {
        in.flex_cut_mwh = in.avail_mwh[SOURCE_FLEX] * er->cut[h];
        in.avail_mwh[SOURCE_FLEX] -= in.flex_cut_mwh;
    }
    dispatch_flows f;
    double paused = dispatch_run_hour(&er->ds, &in, &f);
    if (es->tariff.on)
        er->ds.tot.tariff_cost +=
            tariff_hour(&er->tariff, &es->tariff, hour, hours,
                        hours > 0 ? (f.take[SOURCE_GRID] + f.take[SOURCE_FLEX]) / hours : 0);
    return paused;
}

void energy_run_free(energy_run *er)
{
    free(er->buf);
    er->buf = NULL;
}
