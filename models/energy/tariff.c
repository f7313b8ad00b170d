#include "tariff.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <string.h>

int tariff_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, double grid_mw,
                double start_date_days, tariff_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    c->start_date_days = start_date_days;
    if (!sim_cfg_has(cfg, "site.grid.tariff"))
        return 0;
    c->on = true;
    if (timeline_cfg_phase(cfg, tl, "site.grid.tariff.contract_after", grid_phase, &c->after_phase, err) ||
        sim_cfg_num(cfg, "site.grid.tariff.contract_mw", grid_mw, SIM_NONNEG, &c->contract_mw, err) ||
        sim_cfg_num(cfg, "site.grid.tariff.minimum_share", 0.0, SIM_PROB, &c->minimum_share, err) ||
        sim_cfg_num(cfg, "site.grid.tariff.minimum_years", 0.0, SIM_RANGE(0, 100), &c->minimum_years, err) ||
        sim_cfg_num(cfg, "site.grid.tariff.ramp_years", 0.0, SIM_RANGE(0, 100), &c->ramp_years, err) ||
        sim_cfg_num(cfg, "site.grid.tariff.capacity_price_per_mw_day", 0.0, SIM_NONNEG, &c->capacity_per_mw_day,
                    err) ||
        sim_cfg_num(cfg, "site.grid.tariff.demand_charge_per_kw_month", 0.0, SIM_NONNEG, &c->demand_per_kw_month,
                    err))
        return -1;
    if (c->minimum_share > 0 && c->minimum_years == 0) {
        char where[256];
        return sim_errf(err, "%s: site.grid.tariff.minimum_share %g needs minimum_years: the minimum's term",
                        sim_cfg_where(cfg, "site.grid.tariff.minimum_share", where, sizeof where), c->minimum_share);
    }
    return 0;
}

void tariff_start(tariff_state *st, const tariff_config *c, double t0_days)
{
    memset(st, 0, sizeof *st);
    st->t0 = c->on ? t0_days : INFINITY;
    st->month_end_h = 24.0 * sim_month_start_day(c->start_date_days, 1);
}

double tariff_hour(tariff_state *st, const tariff_config *c, size_t hour, double h, double grid_mw)
{
    double t_h = (double)hour;
    if (!(t_h / 24.0 >= st->t0))
        return 0;
    while (t_h >= st->month_end_h) { /* a new month: its peak starts again */
        st->month++;
        st->month_start_h = st->month_end_h;
        st->month_end_h = 24.0 * sim_month_start_day(c->start_date_days, st->month + 1);
        st->peak_mw = 0;
    }
    if (grid_mw > st->peak_mw)
        st->peak_mw = grid_mw;
    double B = st->peak_mw, years = (t_h / 24.0 - st->t0) / SIM_DAYS_PER_YEAR;
    if (years < c->minimum_years) {
        double C = c->contract_mw * (c->ramp_years > 0 ? fmin(1.0, years / c->ramp_years) : 1.0);
        B = fmax(B, c->minimum_share * C);
    }
    double charge = c->capacity_per_mw_day * B * h / 24.0 +
                    c->demand_per_kw_month * 1000.0 * B * h / (st->month_end_h - st->month_start_h);
    st->charged += charge;
    return charge;
}
