#include "money.h"

#include "models/finance/lifetime.h"
#include "sim/core/calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* money.uncertainty: each economic input's [low, high] (money.h). */
static int load_uncertainty(sim_cfg *cfg, money_config *c, sim_err *err)
{
    static const char *const UNCERTAIN[MONEY_N_UNCERTAIN] = {"revenue_factor", "capex_factor", "energy_price_factor",
                                                             "discount_rate"};
    static const double RANGE[MONEY_N_UNCERTAIN][2] = {{0.5, 1.5}, {0.8, 1.3}, {0.7, 1.5}, {0.05, 0.12}};
    for (int i = 0; i < MONEY_N_UNCERTAIN; i++) {
        char key[96], end[104], where[256];
        snprintf(key, sizeof key, "money.uncertainty.%s", UNCERTAIN[i]);
        size_t n;
        if (sim_cfg_count(cfg, key, false, &n, err))
            return -1;
        if (n != 0 && n != 2)
            return sim_errf(err, "%s: %s: give [low, high], two numbers (got %zu)",
                            sim_cfg_where(cfg, key, where, sizeof where), key, n);
        for (int e = 0; e < 2; e++) {
            snprintf(end, sizeof end, "%s.[%d]", key, e);
            if (sim_cfg_num(cfg, end, RANGE[i][e], SIM_RANGE(0, 100), &c->uncertainty[i][e], err))
                return -1;
        }
        if (!(c->uncertainty[i][0] < c->uncertainty[i][1]))
            return sim_errf(err, "%s: %s: [%g, %g]: low must be below high", sim_cfg_where(cfg, key, where, sizeof where),
                            key, c->uncertainty[i][0], c->uncertainty[i][1]);
    }
    return 0;
}

int money_load(sim_cfg *cfg, const racks_config *rc, double usd_per_unit, double tokens_default, double horizon_days,
               double start_date_days, money_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    c->on = isfinite(usd_per_unit) && usd_per_unit > 0;
    if (!c->on) {
        sim_cfg_ignore(cfg, "money");
        return 0;
    }
    c->to_currency = 1.0 / usd_per_unit;
    double per_mw, grid, batt, om, rev, capex_factor, per_kw[SOURCE_N] = {0};
    if (sim_cfg_num(cfg, "money.discount_rate", 0.08, SIM_RANGE(0, 1), &c->rate, err) ||
        sim_cfg_num(cfg, "money.gpu_life_years", 5.0, SIM_RANGE(0.5, 50), &c->gpu_life_years, err) ||
        sim_cfg_num(cfg, "money.facility_life_years", 20.0, SIM_RANGE(0.5, 100), &c->facility_life_years, err) ||
        sim_cfg_num(cfg, "money.generation_life_years", 25.0, SIM_RANGE(0.5, 100), &c->generation_life_years, err) ||
        sim_cfg_num(cfg, "money.battery_life_years", 15.0, SIM_RANGE(0.5, 100), &c->battery_life_years, err) ||
        sim_cfg_num(cfg, "money.grid_connection_life_years", 40.0, SIM_RANGE(0.5, 100), &c->grid_connection_life_years,
                    err) ||
        sim_cfg_num(cfg, "money.facility_capex_per_mw_usd", 11.7e6, SIM_NONNEG, &per_mw, err) ||
        sim_cfg_num(cfg, "money.grid_connection_capex_usd", 0.0, SIM_NONNEG, &grid, err) ||
        sim_cfg_num(cfg, "money.battery_capex_per_kwh_usd", 300.0, SIM_NONNEG, &batt, err) ||
        sim_cfg_num(cfg, "money.om_per_mw_year_usd", 150000.0, SIM_NONNEG, &om, err) ||
        sim_cfg_num(cfg, "money.revenue_per_gpu_hour_usd", 3.0, SIM_NONNEG, &rev, err) ||
        sim_cfg_num(cfg, "money.capex_factor", 1.0, SIM_NONNEG, &capex_factor, err))
        return -1;
    c->revenue_key = "money.revenue_per_gpu_hour_usd";
    c->revenue_usd = rev;
    if (load_uncertainty(cfg, c, err))
        return -1;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].capex_key && sim_cfg_num(cfg, source_rows[i].capex_key,
                                                      source_rows[i].capex_default_usd_per_kw, SIM_NONNEG, &per_kw[i],
                                                      err))
            return -1;
    static const char *const TERMINAL[] = {"none", "book"};
    int terminal;
    if (sim_cfg_choice(cfg, "money.terminal_value", "none", TERMINAL, 2, &terminal, err))
        return -1;
    c->terminal_book = terminal == 1;
    c->tokens_per_gpu_hour = tokens_default; /* NAN (no serving model) unless given */
    if ((!isnan(tokens_default) || sim_cfg_has(cfg, "money.tokens_per_gpu_hour")) &&
        sim_cfg_num(cfg, "money.tokens_per_gpu_hour", tokens_default, SIM_POSITIVE, &c->tokens_per_gpu_hour, err))
        return -1;
    /* revenue by the token served: a price per million tokens at the site's tokens per GPU-hour */
    if (sim_cfg_has(cfg, "money.revenue_per_mtoken_usd")) {
        double per_mtoken;
        if (sim_cfg_has_own(cfg, "money.revenue_per_gpu_hour_usd"))
            return sim_errf(err, "%s: money: give revenue_per_gpu_hour_usd or revenue_per_mtoken_usd, not both",
                            sim_cfg_path(cfg));
        if (sim_cfg_num(cfg, "money.revenue_per_mtoken_usd", 0, SIM_NONNEG, &per_mtoken, err))
            return -1;
        if (isnan(c->tokens_per_gpu_hour))
            return sim_errf(err, "%s: money.revenue_per_mtoken_usd needs tokens per GPU-hour: a serving model or "
                                 "money.tokens_per_gpu_hour",
                            sim_cfg_path(cfg));
        rev = per_mtoken * c->tokens_per_gpu_hour / 1e6;
        c->revenue_key = "money.revenue_per_mtoken_usd";
        c->revenue_usd = per_mtoken;
    }
    c->rho = log1p(c->rate);
    c->horizon_days = horizon_days;
    c->start_date_days = start_date_days;
    c->n_years = life_rows(horizon_days, c->facility_life_years);
    double k = c->to_currency * capex_factor; /* capital; operations below at to_currency */
    for (size_t t = 0; t < rc->n_types; t++)
        c->rack_price[t] = rc->types[t].price_usd * (1.0 + rc->spare_fraction) * k; /* with its share of spares */
    c->facility_per_mw = per_mw * k;
    c->grid_connection = grid * k;
    for (int i = 0; i < SOURCE_N; i++)
        c->per_kw[i] = per_kw[i] * k;
    c->battery_per_kwh = batt * k;
    c->om_per_mw_year = om * c->to_currency;
    c->revenue_per_gpu_hour = rev * c->to_currency;
    return 0;
}

size_t money_uncertain_inputs(const money_config *c, money_range out[MONEY_N_UNCERTAIN])
{
    if (!c->on)
        return 0;
    const char *keys[MONEY_N_UNCERTAIN] = {c->revenue_key, "money.capex_factor", "site.grid.price_factor",
                                           "money.discount_rate"};
    for (int i = 0; i < MONEY_N_UNCERTAIN; i++) {
        double scale = i == 0 ? c->revenue_usd : 1.0; /* the revenue's factor on its value */
        out[i] = (money_range){keys[i], c->uncertainty[i][0] * scale, c->uncertainty[i][1] * scale};
    }
    return MONEY_N_UNCERTAIN;
}

int money_run_start(money_run *mr, const money_config *c, double horizon_days, sim_err *err)
{
    memset(mr, 0, sizeof *mr);
    mr->c = c;
    if (!c->on)
        return 0;
    mr->n_days = (size_t)ceil(horizon_days) + 1;
    mr->n_life = (size_t)ceil(horizon_days + c->facility_life_years * SIM_DAYS_PER_YEAR) + 1;
    double **day[] = {&mr->day_cash,   &mr->day_revenue, &mr->day_energy, &mr->day_gpu_hours,
                      &mr->day_online, &mr->day_mwh,     &mr->day_co2};
    double **life[] = {&mr->life_capex, &mr->life_om, &mr->life_cf};
    for (size_t i = 0; i < sizeof day / sizeof *day; i++)
        if (!(*day[i] = sim_calloc(mr->n_days, sizeof **day[i], err)))
            return sim_err_oom_for(err, "the daily cash of %zu days", mr->n_days);
    for (int e = 0; e < LIFE_E_N; e++)
        if (!(mr->day_by[e] = sim_calloc(mr->n_days, sizeof *mr->day_by[e], err)))
            return sim_err_oom_for(err, "the daily energy of %zu days", mr->n_days);
    for (size_t i = 0; i < sizeof life / sizeof *life; i++)
        if (!(*life[i] = sim_calloc(mr->n_life, sizeof **life[i], err)))
            return sim_err_oom_for(err, "the lifetime's cash of %zu days", mr->n_life);
    return 0;
}

void money_run_free(money_run *mr)
{
    double *all[] = {mr->day_cash, mr->day_revenue, mr->day_energy, mr->day_gpu_hours, mr->day_online,
                     mr->day_mwh,  mr->day_co2,     mr->life_capex, mr->life_om,        mr->life_cf};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
    for (int e = 0; e < LIFE_E_N; e++) {
        free(mr->day_by[e]);
        mr->day_by[e] = NULL;
    }
    mr->day_cash = mr->day_revenue = mr->day_energy = mr->day_gpu_hours = mr->day_online = NULL;
    mr->day_mwh = mr->day_co2 = NULL;
    mr->life_capex = mr->life_om = mr->life_cf = NULL;
}

static double disc(const money_config *c, double t_days) { return exp(-c->rho * t_days / SIM_DAYS_PER_YEAR); }

void money_hour(money_run *mr, double t_days, const money_hour_in *h)
{
    const money_config *c = mr->c;
    double gpu_hours = h->gpu_hours, energy_cost = h->energy_cost;
    if (!c->on || (gpu_hours == 0 && energy_cost == 0 && h->online == 0 && h->facility_mwh == 0))
        return;
    double f = disc(c, t_days), rev = gpu_hours * c->revenue_per_gpu_hour;
    mr->revenue_pv += rev * f;
    mr->energy_pv += energy_cost * f;
    mr->gpu_hours_pv += gpu_hours * f;
    mr->gpu_hours += gpu_hours;
    size_t d = (size_t)t_days;
    if (d < mr->n_days) {
        mr->day_cash[d] += (rev - energy_cost) * f;
        mr->day_revenue[d] += rev;
        mr->day_energy[d] += energy_cost;
        mr->day_gpu_hours[d] += gpu_hours;
        mr->day_online[d] += h->online;
        mr->day_mwh[d] += h->facility_mwh;
        mr->day_co2[d] += h->co2_t;
        for (int e = 0; e < LIFE_E_N; e++)
            mr->day_by[e][d] += h->by[e];
    }
}

/* PV at day 0 of an annuity charge for capital C spent on day t, over a life
 * of n years, paid continuously until T. */
static double charge_pv(const money_config *c, double C, double t, double T, double life_years)
{
    if (!(t < T) || C == 0)
        return 0;
    double a = c->rate > 0 ? C * c->rate / (1.0 - pow(1.0 + c->rate, -life_years)) : C / life_years;
    double end = fmin(T, t + life_years * SIM_DAYS_PER_YEAR);
    if (c->rho == 0)
        return a * (end - t) / SIM_DAYS_PER_YEAR;
    return a / c->rho * (disc(c, t) - disc(c, end));
}

/* The straight-line book value left at T of capital C spent on day t with a
 * life of L years, discounted to day 0 (0 with money.terminal_value "none"). */
static double book_pv(const money_config *c, double C, double t, double T, double life_years)
{
    if (!c->terminal_book || !(t <= T) || C == 0)
        return 0;
    double left = 1.0 - (T - t) / (life_years * SIM_DAYS_PER_YEAR);
    return left > 0 ? C * left * disc(c, T) : 0;
}

typedef struct visit {
    money_run *mr;
    money_result *out;
    double T, charges_pv;
    double *first_serving; /* per hall */
    size_t n_halls;
    life_books *life; /* NULL: no lifetime */
} visit;

/* Capital C bought on day t with a life of L years: the horizon's capex,
 * its annuity and book value, and the lifetime's purchases. */
static double buy(visit *v, double C, double t, double L)
{
    money_run *mr = v->mr;
    if (!(t <= v->T) || C == 0)
        return 0;
    v->out->capex += C;
    size_t d = (size_t)t;
    if (d < mr->n_days)
        mr->day_cash[d] -= C * disc(mr->c, t);
    v->charges_pv += charge_pv(mr->c, C, t, v->T, L);
    v->out->terminal_value += book_pv(mr->c, C, t, v->T, L);
    if (v->life)
        life_buy(v->life, C, t, L);
    return C;
}

static void visit_rack(void *ctx, size_t type, int hall, double t_delivered, double t_accepted)
{
    visit *v = ctx;
    const money_config *c = v->mr->c;
    double P = c->rack_price[type];
    if (!(t_delivered <= v->T))
        return;
    buy(v, P, t_delivered, c->gpu_life_years);
    v->out->capex_racks += P;
    double serving = t_accepted <= v->T ? t_accepted : v->T;
    v->out->carry_racks += P * expm1(c->rho * (serving - t_delivered) / SIM_DAYS_PER_YEAR);
    if (hall >= 0 && (size_t)hall < v->n_halls && t_accepted <= v->T && t_accepted < v->first_serving[hall])
        v->first_serving[hall] = t_accepted;
}

/* The lifetime's books opened: the site's end (its last hall's end of
 * life), and the steady state after the horizon (lifetime.h). False: no
 * hall ready within the horizon. */
static bool life_open(money_run *mr, const halls_config *hc, const money_assets *a, double T, life_books *b)
{
    const money_config *c = mr->c;
    double E = -INFINITY;
    for (size_t h = 0; h < hc->n_halls; h++)
        if (a->hall_ready[h] <= T)
            E = fmax(E, a->hall_ready[h] + c->facility_life_years * SIM_DAYS_PER_YEAR);
    if (!(E > 0))
        return false;
    E = fmax(E, T); /* a run that goes on past its halls' lives counts whole */
    size_t n = (size_t)ceil(E), sim_days = (size_t)ceil(T);
    if (n > mr->n_life)
        n = mr->n_life;
    if (sim_days > mr->n_days)
        sim_days = mr->n_days;
    memset(mr->life_capex, 0, n * sizeof *mr->life_capex);
    memset(mr->life_om, 0, n * sizeof *mr->life_om);
    double online = 0, paid = 0, energy = 0, mwh = 0, co2 = 0, by[LIFE_E_N] = {0}; /* the last year simulated */
    for (size_t d = sim_days > 365 ? sim_days - 365 : 0; d < sim_days; d++) {
        for (int e = 0; e < LIFE_E_N; e++)
            by[e] += mr->day_by[e][d];
        online += mr->day_online[d];
        paid += mr->day_gpu_hours[d];
        energy += mr->day_energy[d];
        mwh += mr->day_mwh[d];
        co2 += mr->day_co2[d];
    }
    double G = floor(T) >= 1 ? mr->day_online[(size_t)floor(T) - 1] / 24.0 : 0; /* the last whole day's GPUs */
    double avail = online > 0 ? paid / online : 1.0, per = online > 0 ? 24.0 * G / online : 0; /* per day / last year's */
    *b = (life_books){.rho = c->rho, .end_day = fmin(E, (double)n), .n_days = n, .capex = mr->life_capex,
                      .om_step = mr->life_om, .cf = mr->life_cf, .sim_days = sim_days, .revenue = mr->day_revenue,
                      .energy = mr->day_energy, .gpu_hours = mr->day_gpu_hours, .mwh = mr->day_mwh,
                      .co2 = mr->day_co2, .ss_gpu_hours = 24.0 * G * avail,
                      .ss_revenue = 24.0 * G * avail * c->revenue_per_gpu_hour, .ss_energy = energy * per,
                      .ss_mwh = mwh * per, .ss_co2 = co2 * per, .start_date_days = c->start_date_days,
                      .n_rows = c->n_years};
    for (int e = 0; e < LIFE_E_N; e++) {
        b->by[e] = mr->day_by[e];
        b->ss_by[e] = by[e] * per;
    }
    return true;
}

void money_finish(money_run *mr, const racks_state *rs, const halls_config *hc, const money_assets *a, double T,
                  double t_full, money_result *out, double *years)
{
    const money_config *c = mr->c;
    memset(out, 0, sizeof *out);
    if (!c->on) { /* no exchange rate: no money figures */
        for (double *f = (double *)out; f < (double *)(out + 1); f++)
            *f = NAN;
        return;
    }
    double first[HALLS_MAX];
    for (size_t h = 0; h < hc->n_halls; h++)
        first[h] = INFINITY;
    life_books life;
    visit v = {mr, out, T, 0.0, first, hc->n_halls, life_open(mr, hc, a, T, &life) ? &life : NULL};
    racks_visit(rs, visit_rack, &v);
    /* halls: capex when ready, carry until the first rack serves, O&M from ready on */
    double om_pv = 0;
    for (size_t h = 0; h < hc->n_halls; h++) {
        double R = a->hall_ready[h], C = hc->halls[h].it_capacity_mw * c->facility_per_mw;
        if (!(R <= T))
            continue;
        buy(&v, C, R, c->facility_life_years);
        out->capex_facility += C;
        double S = first[h] <= T ? first[h] : T;
        out->carry_facility += C * expm1(c->rho * (S - R) / SIM_DAYS_PER_YEAR);
        double om_year = hc->halls[h].it_capacity_mw * c->om_per_mw_year, om_day = om_year / SIM_DAYS_PER_YEAR;
        for (size_t d = (size_t)ceil(R); d < mr->n_days && (double)d < T; d++) {
            double cost = om_day * disc(c, (double)d);
            mr->day_cash[d] -= cost;
            om_pv += cost;
        }
        if (v.life && ceil(R) < (double)life.n_days)
            life.om_step[(size_t)ceil(R)] += om_year;
    }
    /* energy assets: the grid connection, each on-site source, the battery */
    out->capex_energy += buy(&v, c->grid_connection, a->t_grid, c->grid_connection_life_years);
    for (int i = 0; i < SOURCE_N; i++)
        out->capex_energy += buy(&v, a->mw[i] * 1000.0 * c->per_kw[i], a->t_on[i], c->generation_life_years);
    out->capex_energy += buy(&v, a->battery_mwh * 1000.0 * c->battery_per_kwh, a->t_battery, c->battery_life_years);
    out->carry = out->carry_racks + out->carry_facility;
    out->revenue_pv = mr->revenue_pv;
    out->opex_pv = mr->energy_pv + om_pv;
    /* NPV and payback from the discounted days */
    double cum = 0, last_cross = NAN;
    for (size_t d = 0; d < mr->n_days && (double)d < T; d++) {
        double before = cum;
        cum += mr->day_cash[d];
        if (before < 0 && cum >= 0)
            last_cross = (double)d + 1.0; /* the day closes in the black */
    }
    out->npv = cum + out->terminal_value; /* the payback day stays on the cash of the horizon */
    out->payback_day = cum >= 0 ? last_cross : NAN; /* in the black from then to the horizon */
    out->cost_per_gpu_hour = mr->gpu_hours_pv > 0 ? (v.charges_pv + out->opex_pv) / mr->gpu_hours_pv : NAN;
    out->cost_per_mtoken = out->cost_per_gpu_hour / (c->tokens_per_gpu_hour / 1e6);
    /* over the life */
    if (!v.life) {
        out->life_npv = out->life_irr = out->life_payback_day = out->life_end_day = out->life_capex =
            out->life_cost_per_gpu_hour = out->life_cost_per_mtoken = NAN;
        out->life_complete = 0;
        for (size_t i = 0; years && i < c->n_years * LIFE_N; i++)
            years[i] = NAN;
        return;
    }
    life_result lr;
    life_close(&life, &lr, years);
    out->life_npv = lr.npv;
    out->life_irr = lr.irr;
    out->life_payback_day = lr.payback_day;
    out->life_end_day = life.end_day;
    out->life_capex = lr.capex;
    out->life_cost_per_gpu_hour = lr.cost_per_gpu_hour;
    out->life_cost_per_mtoken = lr.cost_per_gpu_hour / (c->tokens_per_gpu_hour / 1e6);
    out->life_complete = t_full <= T - 365.0 ? 1.0 : 0.0;
}
