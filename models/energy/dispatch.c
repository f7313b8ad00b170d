#include "dispatch.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <string.h>

int dispatch_load(sim_cfg *cfg, const source_cfg src[SOURCE_N], double grid_co2_mean, dispatch_config *c,
                  sim_err *err)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < SOURCE_N; i++) {
        c->cost[i] = src[i].cost_per_mwh;
        c->co2[i] = src[i].co2_kg_per_mwh;
    }
    return sim_cfg_num(cfg, "workload.pausable_share", 0.0, SIM_PROB, &c->pausable_share, err) ||
           sim_cfg_num(cfg, "site.demand_response.price_above", INFINITY, SIM_ANY, &c->dr_price_above, err) ||
           sim_cfg_num(cfg, "site.grid.residual_co2_kg_per_mwh", grid_co2_mean, SIM_RANGE(0, 2000),
                       &c->residual_co2, err);
}

void dispatch_init(dispatch_state *st, const dispatch_config *c)
{
    memset(st, 0, sizeof *st);
    st->c = c;
    st->soc_mwh = c->batt.soc_min * c->batt.energy_mwh; /* delivered empty */
    for (int i = 0; i < SOURCE_N; i++) { /* insertion by cost: equal costs keep row order */
        if (source_rows[i].cls != SOURCE_MERIT)
            continue;
        int k = st->n_merit++;
        while (k > 0 && c->cost[st->merit[k - 1]] > c->cost[i]) {
            st->merit[k] = st->merit[k - 1];
            k--;
        }
        st->merit[k] = i;
    }
}

static double min2(double a, double b) { return a < b ? a : b; }
static double pos(double a) { return a > 0 ? a : 0; }

/* The market-based CO2 of a year's grid and PPA energy. */
static double market_kg(const dispatch_state *st)
{
    return pos(st->year_grid_mwh - st->year_ppa_mwh) * st->c->residual_co2;
}

double dispatch_run_hour(dispatch_state *st, const dispatch_hour *in, dispatch_flows *f)
{
    const dispatch_config *c = st->c;
    dispatch_totals *t = &st->tot;
    memset(f, 0, sizeof *f);
    double load = in->load_mwh, L = load;
    const double *av = in->avail_mwh;
    /* 1. demand response */
    if (in->price > c->dr_price_above && c->pausable_share > 0 && load > 0) {
        f->paused_dr = c->pausable_share * load;
        L -= f->paused_dr;
    }
    /* 2. on-site renewables, their surplus into the battery */
    double E = in->battery_online ? c->batt.energy_mwh : 0.0, se = sqrt(c->batt.eff);
    double power = in->battery_online ? c->batt.power_mw * in->hours : 0.0;
    double lo = c->batt.soc_min * E, hi = c->batt.soc_max * E, reserve = c->batt.reserve * E;
    double soc0 = st->soc_mwh, soc = soc0;
    double re = 0, re_clean = 0;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE) {
            re += av[i];
            re_clean += source_rows[i].flags & SOURCE_CLEAN ? av[i] : 0.0;
        }
    double re_used = min2(re, L);
    L -= re_used;
    double surplus = re - re_used;
    if (surplus > 0 && power > 0) {
        f->charge_re = min2(min2(surplus, power), pos(hi - soc) / se);
        soc += f->charge_re * se;
        power -= f->charge_re;
    }
    f->spilled = surplus - f->charge_re;
    /* each variable source: used first, then stored, in proportion to its output */
    double re_taken = re_used + f->charge_re;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE)
            f->take[i] = re > 0 ? re_taken * av[i] / re : 0;
    /* 3. the grid and the merit plants in merit order */
    double grid_av = av[SOURCE_GRID] + av[SOURCE_FLEX];
    if (in->flex_cut_mwh > 0) {
        double short_mwh = L - grid_av;
        for (int k = 0; k < st->n_merit; k++)
            short_mwh -= av[st->merit[k]];
        f->curtailed = min2(in->flex_cut_mwh, pos(short_mwh));
    }
    double grid = 0, used = 0;
    int k = 0;
    for (; k < st->n_merit && c->cost[st->merit[k]] < in->price; k++) {
        f->take[st->merit[k]] = min2(L - used, av[st->merit[k]]);
        used += f->take[st->merit[k]];
    }
    grid = min2(L - used, grid_av);
    used += grid;
    for (; k < st->n_merit; k++) {
        f->take[st->merit[k]] = min2(L - used, av[st->merit[k]]);
        used += f->take[st->merit[k]];
    }
    L -= used;
    /* 4. a shortfall: battery, diesel, pausing, then unserved */
    if (L > 0 && power > 0) {
        f->discharge = min2(min2(L, power), pos(soc - lo) * se);
        soc -= f->discharge / se;
        power -= f->discharge;
        L -= f->discharge;
    }
    for (int i = 0; i < SOURCE_N && L > 0; i++)
        if (source_rows[i].cls == SOURCE_BACKUP) {
            f->take[i] = min2(L, av[i]);
            L -= f->take[i];
        }
    if (L > 0) {
        f->paused_short = min2(L, pos(c->pausable_share * load - f->paused_dr));
        L -= f->paused_short;
    }
    f->unserved = pos(L);
    /* 5. no shortfall: peak shaving, arbitrage, recharging the reserve */
    if (f->discharge == 0 && f->unserved == 0 && f->paused_short == 0 && E > 0) {
        double peak = c->batt.peak_limit_mw * in->hours, avail = pos(soc - reserve) * se;
        double d = 0;
        if (grid > peak)
            d = min2(min2(grid - peak, power), avail);
        if (in->price >= c->batt.discharge_above)
            d = min2(min2(grid, power), avail);
        if (d > 0) {
            grid -= d;
            soc -= d / se;
            power -= d;
            f->discharge += d;
        } else if (in->price <= c->batt.charge_below || soc < reserve) {
            double ch = min2(min2(power, pos(hi - soc) / se), pos(grid_av - grid));
            if (in->price > c->batt.charge_below) /* below the reserve: back up to it only */
                ch = min2(ch, pos(reserve - soc) / se);
            grid += ch;
            soc += ch * se;
            f->charge_grid = ch;
        }
    }
    f->take[SOURCE_GRID] = min2(grid, av[SOURCE_GRID]) + f->unserved; /* drawn regardless: booked to the grid */
    f->take[SOURCE_FLEX] = grid - min2(grid, av[SOURCE_GRID]);
    grid += f->unserved;
    st->soc_mwh = soc;
    f->stored_delta = soc - soc0;
    /* accounting */
    double clean = re_clean == re ? re_used : re_used * re_clean / re; /* the variable sources' clean share */
    for (int i = 0; i < SOURCE_N; i++) {
        bool connection = source_rows[i].cls == SOURCE_CONNECTION;
        t->source_mwh[i] += f->take[i];
        t->source_cost[i] += f->take[i] * (connection ? in->price : c->cost[i]);
        t->source_co2_kg[i] += f->take[i] * (connection ? in->co2 : c->co2[i]);
        if (source_rows[i].cls == SOURCE_MERIT && source_rows[i].flags & SOURCE_CLEAN)
            clean += f->take[i];
    }
    double served = load - f->paused_dr - f->paused_short;
    double ppa_match = min2(in->ppa_mwh, grid);
    t->cfe_mwh += clean + ppa_match + (grid - ppa_match) * in->cfe;
    t->served_mwh += served;
    t->ppa_mwh += in->ppa_mwh;
    t->ppa_cost += in->ppa_mwh * (c->ppa_strike - in->wholesale);
    t->batt_charge_mwh += f->charge_re + f->charge_grid;
    t->batt_discharge_mwh += f->discharge;
    t->spilled_mwh += f->spilled;
    t->unserved_mwh += f->unserved;
    double paused = f->paused_dr + f->paused_short;
    if (paused > 0 && load > 0) {
        double it_share = in->it_mwh / load, gpu_h = in->gpus * in->hours / load;
        t->paused_mwh += f->paused_short;
        t->paused_it_mwh += paused * it_share;
        t->gpu_hours_lost += f->paused_short * gpu_h;
        t->dr_mwh += f->paused_dr;
        t->dr_gpu_hours += f->paused_dr * gpu_h;
        t->dr_saving += f->paused_dr * in->price;
        t->dr_hours += f->paused_dr > 0 ? in->hours : 0;
    }
    t->curtailed_mwh += f->curtailed;
    t->curtailed_hours += f->curtailed > 0 ? in->hours : 0;
    if (in->hours > 0 && grid / in->hours > t->peak_grid_mw)
        t->peak_grid_mw = grid / in->hours;
    /* market-based CO2, year by year of the run */
    st->year_grid_mwh += grid;
    st->year_ppa_mwh += in->ppa_mwh;
    if (++st->hours_in_year == SIM_HOURS_PER_YEAR) {
        t->co2_market_kg += market_kg(st);
        st->year_grid_mwh = st->year_ppa_mwh = 0;
        st->hours_in_year = 0;
    }
    return paused;
}

void dispatch_totals_now(const dispatch_state *st, double *cost, double *co2_t, double *co2_market_t)
{
    const dispatch_totals *t = &st->tot;
    double c = t->ppa_cost, k = 0, market = t->co2_market_kg + market_kg(st);
    for (int i = 0; i < SOURCE_N; i++) {
        c += t->source_cost[i];
        k += t->source_co2_kg[i];
        if (source_rows[i].flags & SOURCE_FUEL)
            market += t->source_co2_kg[i];
    }
    *cost = c;
    *co2_t = k / 1000.0;
    *co2_market_t = market / 1000.0;
}
