#include "dispatch.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <string.h>

int dispatch_load(sim_cfg *cfg, const source_cfg src[SOURCE_N], double grid_co2_mean, dispatch_config *c,
                  sim_err *err)
{
    memset(c, 0, sizeof *c);
    c->start_date_days = NAN; /* the caller's to set */
    for (int i = 0; i < SOURCE_N; i++) {
        c->cost[i] = src[i].cost_per_mwh;
        c->co2[i] = src[i].co2_kg_per_mwh;
        c->min_load_frac[i] = src[i].min_load_frac;
        c->start_cost[i] = src[i].start_cost;
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
    st->year_end_hour = sim_year_start_hour(c->start_date_days, 1);
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

/* One hour in the making: what is left to serve and the battery's state. */
typedef struct hour_work {
    const dispatch_config *c;
    const dispatch_hour *in;
    dispatch_flows *f;
    double L;                   /* load still to serve (MWh) */
    double E, se, power;        /* the battery online: energy, sqrt(eta), power left this hour (MWh) */
    double lo, hi, reserve, soc;
    double re, re_clean, re_used; /* the variable sources' output, its clean part, what served load */
    double grid_av, grid;       /* the grid's energy available, drawn */
} hour_work;

/* 1. demand response */
static void demand_response(hour_work *w)
{
    const dispatch_config *c = w->c;
    double load = w->in->load_mwh;
    if (w->in->price > c->dr_price_above && c->pausable_share > 0 && load > 0) {
        w->f->paused_dr = c->pausable_share * load;
        w->L -= w->f->paused_dr;
    }
}

/* 2. the variable sources first, their surplus into the battery */
static void variable_first(hour_work *w)
{
    dispatch_flows *f = w->f;
    const double *av = w->in->avail_mwh;
    w->re = w->re_clean = 0;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE) {
            w->re += av[i];
            w->re_clean += source_rows[i].flags & SOURCE_CLEAN ? av[i] : 0.0;
        }
    w->re_used = min2(w->re, w->L);
    w->L -= w->re_used;
    double surplus = w->re - w->re_used;
    if (surplus > 0 && w->power > 0) {
        f->charge_re = min2(min2(surplus, w->power), pos(w->hi - w->soc) / w->se);
        w->soc += f->charge_re * w->se;
        w->power -= f->charge_re;
    }
    f->spilled = surplus - f->charge_re;
    /* each variable source: used first, then stored, in proportion to its output */
    double re_taken = w->re_used + f->charge_re;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls == SOURCE_VARIABLE)
            f->take[i] = w->re > 0 ? re_taken * av[i] / w->re : 0;
}

/* 3. the grid and the merit plants in merit order */
static void merit_order(hour_work *w, const dispatch_state *st)
{
    dispatch_flows *f = w->f;
    const double *av = w->in->avail_mwh;
    w->grid_av = av[SOURCE_GRID] + av[SOURCE_FLEX];
    if (w->in->flex_cut_mwh > 0) {
        double short_mwh = w->L - w->grid_av;
        for (int k = 0; k < st->n_merit; k++)
            short_mwh -= av[st->merit[k]];
        f->curtailed = min2(w->in->flex_cut_mwh, pos(short_mwh));
    }
    double used = 0;
    int k = 0;
    for (; k < st->n_merit && w->c->cost[st->merit[k]] < w->in->price; k++) {
        int p = st->merit[k];
        f->take[p] = min2(w->L - used, av[p]);
        if (f->take[p] < w->c->min_load_frac[p] * av[p]) /* below its minimum: the load goes to the others */
            f->take[p] = 0;
        used += f->take[p];
    }
    w->grid = min2(w->L - used, w->grid_av);
    used += w->grid;
    for (int j = 0; j < st->n_merit; j++) { /* the dearer plants, and any cheaper one left out by its minimum */
        int p = st->merit[j];
        if (j < k && f->take[p] > 0)
            continue;
        f->take[p] = min2(w->L - used, av[p]);
        double m = w->c->min_load_frac[p] * av[p], back = 0;
        if (f->take[p] > 0 && f->take[p] < m) { /* forced below its minimum: up to it, the grid gives back */
            back = min2(m - f->take[p], w->grid);
            w->grid -= back;
            f->take[p] += back;
        }
        used += f->take[p] - back; /* what the grid gave back was already counted */
    }
    w->L -= used;
}

/* 4. a shortfall: battery, backup, pausing, then unserved */
static void shortfall(hour_work *w)
{
    dispatch_flows *f = w->f;
    if (w->L > 0 && w->power > 0) {
        f->discharge = min2(min2(w->L, w->power), pos(w->soc - w->lo) * w->se);
        w->soc -= f->discharge / w->se;
        w->power -= f->discharge;
        w->L -= f->discharge;
    }
    for (int i = 0; i < SOURCE_N && w->L > 0; i++)
        if (source_rows[i].cls == SOURCE_BACKUP) {
            f->take[i] = min2(w->L, w->in->avail_mwh[i]);
            w->L -= f->take[i];
        }
    if (w->L > 0) {
        f->paused_short = min2(w->L, pos(w->c->pausable_share * w->in->load_mwh - f->paused_dr));
        w->L -= f->paused_short;
    }
    f->unserved = pos(w->L);
}

/* 5. no shortfall: peak shaving, arbitrage, recharging the reserve */
static void battery_at_ease(hour_work *w)
{
    dispatch_flows *f = w->f;
    const storage_config *b = &w->c->batt;
    double price = w->in->price;
    if (!(f->discharge == 0 && f->unserved == 0 && f->paused_short == 0 && w->E > 0))
        return;
    double peak = b->peak_limit_mw * w->in->hours, avail = pos(w->soc - w->reserve) * w->se;
    double d = 0;
    if (w->grid > peak)
        d = min2(min2(w->grid - peak, w->power), avail);
    if (price >= b->discharge_above)
        d = min2(min2(w->grid, w->power), avail);
    if (d > 0) {
        w->grid -= d;
        w->soc -= d / w->se;
        w->power -= d;
        f->discharge += d;
    } else if (price <= b->charge_below || w->soc < w->reserve) {
        double ch = min2(min2(w->power, pos(w->hi - w->soc) / w->se), pos(w->grid_av - w->grid));
        if (price > b->charge_below) /* below the reserve: back up to it only */
            ch = min2(ch, pos(w->reserve - w->soc) / w->se);
        w->grid += ch;
        w->soc += ch * w->se;
        f->charge_grid = ch;
    }
}

/* The hour's flows into the totals. */
static void book(dispatch_state *st, const hour_work *w, double paused)
{
    const dispatch_config *c = st->c;
    const dispatch_hour *in = w->in;
    const dispatch_flows *f = w->f;
    dispatch_totals *t = &st->tot;
    double load = in->load_mwh, grid = w->grid;
    double clean = w->re_clean == w->re ? w->re_used : w->re_used * w->re_clean / w->re; /* the variable sources' clean share */
    for (int i = 0; i < SOURCE_N; i++) {
        bool connection = source_rows[i].cls == SOURCE_CONNECTION;
        if (f->take[i] > 0 && !st->running[i] && c->start_cost[i] > 0) {
            t->starts[i]++;
            t->source_cost[i] += c->start_cost[i];
        }
        st->running[i] = f->take[i] > 0;
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
    /* market-based CO2, calendar year by calendar year of the run */
    st->year_grid_mwh += grid;
    st->year_ppa_mwh += in->ppa_mwh;
    if (++st->hour == st->year_end_hour) {
        t->co2_market_kg += market_kg(st);
        st->year_grid_mwh = st->year_ppa_mwh = 0;
        st->year_end_hour = sim_year_start_hour(st->c->start_date_days, ++st->year + 1);
    }
}

double dispatch_run_hour(dispatch_state *st, const dispatch_hour *in, dispatch_flows *f)
{
    const dispatch_config *c = st->c;
    memset(f, 0, sizeof *f);
    hour_work w = {.c = c, .in = in, .f = f, .L = in->load_mwh};
    w.E = in->battery_online ? c->batt.energy_mwh : 0.0;
    w.se = sqrt(c->batt.eff);
    w.power = in->battery_online ? c->batt.power_mw * in->hours : 0.0;
    w.lo = c->batt.soc_min * w.E, w.hi = c->batt.soc_max * w.E, w.reserve = c->batt.reserve * w.E;
    double soc0 = st->soc_mwh;
    w.soc = soc0;
    demand_response(&w);
    variable_first(&w);
    merit_order(&w, st);
    shortfall(&w);
    battery_at_ease(&w);
    const double *av = in->avail_mwh;
    f->take[SOURCE_GRID] = min2(w.grid, av[SOURCE_GRID]) + f->unserved; /* drawn regardless: booked to the grid */
    f->take[SOURCE_FLEX] = w.grid - min2(w.grid, av[SOURCE_GRID]);
    w.grid += f->unserved;
    st->soc_mwh = w.soc;
    f->stored_delta = w.soc - soc0;
    double paused = f->paused_dr + f->paused_short;
    book(st, &w, paused);
    return paused;
}

void dispatch_totals_now(const dispatch_state *st, double *cost, double *co2_t, double *co2_market_t)
{
    const dispatch_totals *t = &st->tot;
    double c = t->ppa_cost + t->tariff_cost, k = 0, market = t->co2_market_kg + market_kg(st);
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
