#include "money.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


int money_load(sim_cfg *cfg, const racks_config *rc, double usd_per_unit, double tokens_default, money_config *c,
               sim_err *err)
{
    memset(c, 0, sizeof *c);
    c->on = isfinite(usd_per_unit) && usd_per_unit > 0;
    if (!c->on) {
        sim_cfg_ignore(cfg, "money");
        return 0;
    }
    c->to_currency = 1.0 / usd_per_unit;
    double per_mw, grid, batt, om, rev, per_kw[SOURCE_N] = {0};
    if (sim_cfg_num(cfg, "money.discount_rate", 0.08, SIM_RANGE(0, 1), &c->rate, err) ||
        sim_cfg_num(cfg, "money.gpu_life_years", 5.0, SIM_RANGE(0.5, 50), &c->gpu_life_years, err) ||
        sim_cfg_num(cfg, "money.facility_life_years", 20.0, SIM_RANGE(0.5, 100), &c->facility_life_years, err) ||
        sim_cfg_num(cfg, "money.facility_capex_per_mw_usd", 11.7e6, SIM_NONNEG, &per_mw, err) ||
        sim_cfg_num(cfg, "money.grid_connection_capex_usd", 0.0, SIM_NONNEG, &grid, err) ||
        sim_cfg_num(cfg, "money.battery_capex_per_kwh_usd", 300.0, SIM_NONNEG, &batt, err) ||
        sim_cfg_num(cfg, "money.om_per_mw_year_usd", 150000.0, SIM_NONNEG, &om, err) ||
        sim_cfg_num(cfg, "money.revenue_per_gpu_hour_usd", 3.0, SIM_NONNEG, &rev, err))
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
    }
    c->rho = log1p(c->rate);
    double k = c->to_currency;
    for (size_t t = 0; t < rc->n_types; t++)
        c->rack_price[t] = rc->types[t].price_usd * (1.0 + rc->spare_fraction) * k; /* with its share of spares */
    c->facility_per_mw = per_mw * k;
    c->grid_connection = grid * k;
    for (int i = 0; i < SOURCE_N; i++)
        c->per_kw[i] = per_kw[i] * k;
    c->battery_per_kwh = batt * k;
    c->om_per_mw_year = om * k;
    c->revenue_per_gpu_hour = rev * k;
    return 0;
}

int money_run_start(money_run *mr, const money_config *c, double horizon_days, sim_err *err)
{
    memset(mr, 0, sizeof *mr);
    mr->c = c;
    if (!c->on)
        return 0;
    mr->n_days = (size_t)ceil(horizon_days) + 1;
    mr->day_cash = sim_calloc(mr->n_days, sizeof *mr->day_cash, err);
    return mr->day_cash ? 0 : sim_err_oom_for(err, "the daily cash of %zu days", mr->n_days);
}

void money_run_free(money_run *mr)
{
    free(mr->day_cash);
    mr->day_cash = NULL;
}

static double disc(const money_config *c, double t_days) { return exp(-c->rho * t_days / SIM_DAYS_PER_YEAR); }

void money_hour(money_run *mr, double t_days, double gpu_hours, double energy_cost)
{
    const money_config *c = mr->c;
    if (!c->on || (gpu_hours == 0 && energy_cost == 0))
        return;
    double f = disc(c, t_days), rev = gpu_hours * c->revenue_per_gpu_hour;
    mr->revenue_pv += rev * f;
    mr->energy_pv += energy_cost * f;
    mr->gpu_hours_pv += gpu_hours * f;
    mr->gpu_hours += gpu_hours;
    size_t d = (size_t)t_days;
    if (d < mr->n_days)
        mr->day_cash[d] += (rev - energy_cost) * f;
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
} visit;

static void add_capex(money_run *mr, money_result *out, double C, double t, double T)
{
    if (!(t <= T) || C == 0)
        return;
    out->capex += C;
    size_t d = (size_t)t;
    if (d < mr->n_days)
        mr->day_cash[d] -= C * disc(mr->c, t);
}

static void visit_rack(void *ctx, size_t type, int hall, double t_delivered, double t_accepted)
{
    visit *v = ctx;
    const money_config *c = v->mr->c;
    double P = c->rack_price[type];
    if (!(t_delivered <= v->T))
        return;
    add_capex(v->mr, v->out, P, t_delivered, v->T);
    v->out->capex_racks += P;
    double serving = t_accepted <= v->T ? t_accepted : v->T;
    v->out->carry_racks += P * expm1(c->rho * (serving - t_delivered) / SIM_DAYS_PER_YEAR);
    v->charges_pv += charge_pv(c, P, t_delivered, v->T, c->gpu_life_years);
    v->out->terminal_value += book_pv(c, P, t_delivered, v->T, c->gpu_life_years);
    if (hall >= 0 && (size_t)hall < v->n_halls && t_accepted <= v->T && t_accepted < v->first_serving[hall])
        v->first_serving[hall] = t_accepted;
}

void money_finish(money_run *mr, const racks_state *rs, const halls_config *hc, const money_assets *a, double T,
                  money_result *out)
{
    const money_config *c = mr->c;
    memset(out, 0, sizeof *out);
    if (!c->on) { /* no exchange rate: no money figures */
        _Static_assert(sizeof(money_result) == 14 * sizeof(double), "every field of money_result is NAN here");
        *out = (money_result){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        return;
    }
    double first[HALLS_MAX];
    for (size_t h = 0; h < hc->n_halls; h++)
        first[h] = INFINITY;
    visit v = {mr, out, T, 0.0, first, hc->n_halls};
    racks_visit(rs, visit_rack, &v);
    /* halls: capex when ready, carry until the first rack serves, O&M from ready on */
    double om_pv = 0;
    for (size_t h = 0; h < hc->n_halls; h++) {
        double R = a->hall_ready[h], C = hc->halls[h].it_capacity_mw * c->facility_per_mw;
        if (!(R <= T))
            continue;
        add_capex(mr, out, C, R, T);
        out->capex_facility += C;
        double S = first[h] <= T ? first[h] : T;
        out->carry_facility += C * expm1(c->rho * (S - R) / SIM_DAYS_PER_YEAR);
        v.charges_pv += charge_pv(c, C, R, T, c->facility_life_years);
        out->terminal_value += book_pv(c, C, R, T, c->facility_life_years);
        double om_day = hc->halls[h].it_capacity_mw * c->om_per_mw_year / SIM_DAYS_PER_YEAR;
        for (size_t d = (size_t)ceil(R); d < mr->n_days && (double)d < T; d++) {
            double cost = om_day * disc(c, (double)d);
            mr->day_cash[d] -= cost;
            om_pv += cost;
        }
    }
    /* energy assets */
    double t[SOURCE_N + 1] = {a->t_grid}, C[SOURCE_N + 1] = {c->grid_connection};
    for (int i = 0; i < SOURCE_N; i++) {
        t[i + 1] = a->t_on[i];
        C[i + 1] = a->mw[i] * 1000.0 * c->per_kw[i];
    }
    for (int i = 0; i < SOURCE_N + 1; i++) {
        add_capex(mr, out, C[i], t[i], T);
        out->capex_energy += t[i] <= T ? C[i] : 0;
        v.charges_pv += charge_pv(c, C[i], t[i], T, c->facility_life_years);
        out->terminal_value += book_pv(c, C[i], t[i], T, c->facility_life_years);
    }
    double Cb = a->battery_mwh * 1000.0 * c->battery_per_kwh;
    add_capex(mr, out, Cb, a->t_battery, T);
    out->capex_energy += a->t_battery <= T ? Cb : 0;
    v.charges_pv += charge_pv(c, Cb, a->t_battery, T, c->facility_life_years);
    out->terminal_value += book_pv(c, Cb, a->t_battery, T, c->facility_life_years);
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
}
