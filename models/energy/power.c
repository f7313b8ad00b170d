#include "power.h"

#include <string.h>

enum { EV_GRID_TRANCHE = 1, EV_ONSITE_ON = 2, EV_ONSITE_OFF = 3, EV_FLEX_ON = 4 };

/* A carbon basis key: "lifecycle" or "direct". */
static int co2_basis(sim_cfg *cfg, const char *key, const char **out, sim_err *err)
{
    static const char *const bases[] = {"lifecycle", "direct"};
    int i;
    if (sim_cfg_choice(cfg, key, NULL, bases, 2, &i, err))
        return -1;
    *out = bases[i];
    return 0;
}

/* The turbines' cycle, carbon and derating (see power.h). */
static int onsite_gas(sim_cfg *cfg, power_config *p, sim_err *err)
{
    static const char *const cycles[] = {"simple", "combined"};
    static const double heat_rate[] = {9750.0, 6654.0}, derate[] = {0.006, 0.004};
    int cy;
    double fuel_co2, design_c;
    if (sim_cfg_choice(cfg, "site.onsite.cycle", "simple", cycles, 2, &cy, err) ||
        sim_cfg_num(cfg, "site.onsite.heat_rate_btu_per_kwh", heat_rate[cy], SIM_RANGE(3412.2, 30000),
                    &p->onsite_heat_rate_btu_per_kwh, err) ||
        sim_cfg_num(cfg, "site.onsite.fuel_co2_kg_per_mmbtu", 53.06, SIM_RANGE(0, 200), &fuel_co2, err) ||
        sim_cfg_num(cfg, "site.onsite.co2_kg_per_mwh", p->onsite_heat_rate_btu_per_kwh * fuel_co2 / 1000.0,
                    SIM_RANGE(0, 2000), &p->onsite_co2_kg_per_mwh, err) ||
        sim_cfg_num(cfg, "site.onsite.derate_per_c", derate[cy], SIM_RANGE(0, 0.05), &p->onsite_derate_per_c, err) ||
        sim_cfg_num(cfg, "site.onsite.rating_c", 15.0, SIM_RANGE(-40, 50), &p->onsite_rating_c, err) ||
        sim_cfg_num(cfg, "facility.design_ambient_c", SIM_REQUIRED, SIM_RANGE(-40, 60), &design_c, err))
        return -1;
    p->onsite_cycle = cycles[cy];
    p->onsite_design_factor = power_onsite_factor(p, design_c);
    return 0;
}

/* The turbines' cost per MWh: given, or fuel x heat rate + O&M (see power.h). */
static int onsite_cost(sim_cfg *cfg, power_config *p, sim_err *err)
{
    if (!sim_cfg_has(cfg, "site.onsite.fuel_price_per_mmbtu"))
        return sim_cfg_num(cfg, "site.onsite.cost_per_mwh", SIM_REQUIRED, SIM_NONNEG, &p->onsite_cost_per_mwh, err);
    double fuel, om;
    if (sim_cfg_num(cfg, "site.onsite.fuel_price_per_mmbtu", SIM_REQUIRED, SIM_NONNEG, &fuel, err) ||
        sim_cfg_num(cfg, "site.onsite.om_per_mwh", 0.0, SIM_NONNEG, &om, err))
        return -1;
    if (sim_cfg_has(cfg, "site.onsite.cost_per_mwh")) {
        char where[256];
        return sim_errf(err, "%s: site.onsite.cost_per_mwh: give the cost, or the fuel price (and om_per_mwh), not both",
                        sim_cfg_where(cfg, "site.onsite.cost_per_mwh", where, sizeof where));
    }
    p->onsite_cost_per_mwh = fuel * p->onsite_heat_rate_btu_per_kwh / 1000.0 + om;
    return 0;
}

double power_onsite_factor(const power_config *p, double ambient_c)
{
    double hot = ambient_c - p->onsite_rating_c;
    double f = hot > 0 ? 1.0 - p->onsite_derate_per_c * hot : 1.0;
    return f > 0 ? f : 0.0;
}

int power_load(sim_cfg *cfg, const timeline_config *tl, power_config *p, sim_err *err)
{
    memset(p, 0, sizeof *p);
    if (sim_cfg_num(cfg, "site.grid.capacity_mw", SIM_REQUIRED, SIM_NONNEG, &p->grid_capacity_mw, err) ||
        timeline_cfg_phase(cfg, tl, "site.grid.energized_after", NULL, &p->grid_after_phase, err) ||
        sim_cfg_int(cfg, "site.grid.tranches", 1, 1, 1000, &p->grid_tranches, err) ||
        sim_cfg_num(cfg, "site.grid.tranche_interval_days", 0.0, SIM_DAYS, &p->grid_tranche_interval_days, err) ||
        co2_basis(cfg, "site.grid.co2_basis", &p->grid_co2_basis, err) ||
        sim_cfg_num(cfg, "site.onsite.capacity_mw", 0.0, SIM_NONNEG, &p->onsite_capacity_mw, err) ||
        sim_cfg_num(cfg, "site.grid.flexible_mw", 0.0, SIM_NONNEG, &p->flexible_mw, err))
        return -1;
    if (p->flexible_mw > 0) {
        sim_dist zero = sim_dist_constant(0.0);
        if (timeline_cfg_phase(cfg, tl, "site.grid.flexible_after", NULL, &p->flexible_after_phase, err) ||
            sim_cfg_dist(cfg, "site.grid.flexible_lead_days", &zero, SIM_RANGE(-SIM_MAX_DAYS, INFINITY),
                         &p->flexible_lead_days, err))
            return -1;
    } else {
        sim_cfg_ignore(cfg, "site.grid.flexible_after");
        sim_cfg_ignore(cfg, "site.grid.flexible_lead_days");
    }
    /* The on-site block is read whenever it is given, so its keys are checked
     * even at zero capacity (a what-if that switches it off); without it, no
     * on-site generation. */
    bool has_onsite = sim_cfg_has(cfg, "site.onsite") || p->onsite_capacity_mw > 0;
    if (has_onsite) {
        sim_dist zero = sim_dist_constant(0.0);
        if (timeline_cfg_phase(cfg, tl, "site.onsite.after", NULL, &p->onsite_after_phase, err) ||
            sim_cfg_dist(cfg, "site.onsite.lead_days", &zero, SIM_NONNEG, &p->onsite_lead_days, err) ||
            onsite_gas(cfg, p, err) || co2_basis(cfg, "site.onsite.co2_basis", &p->onsite_co2_basis, err) ||
            onsite_cost(cfg, p, err) ||
            sim_cfg_bool(cfg, "site.onsite.retire_when_grid_full", 0, &p->onsite_retire_when_grid_full, err))
            return -1;
    }
    if (p->grid_capacity_mw <= 0 && p->onsite_capacity_mw <= 0 && p->flexible_mw <= 0) {
        char where[256];
        return sim_errf(err, "%s: site.grid.capacity_mw: the site has no power at all (grid and on-site capacity are both 0)",
                        sim_cfg_where(cfg, "site.grid.capacity_mw", where, sizeof where));
    }
    return 0;
}

static void power_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)arg;
    power_state *ps = ctx;
    const power_config *pc = ps->cfg;
    switch (kind) {
    case EV_FLEX_ON:
        ps->flexible_on_mw = pc->flexible_mw;
        ps->grid_mw = ps->firm_mw > ps->flexible_on_mw ? ps->firm_mw : ps->flexible_on_mw;
        break;
    case EV_GRID_TRANCHE:
        ps->firm_mw += pc->grid_capacity_mw / (double)pc->grid_tranches;
        if (arg + 1 == (uint64_t)pc->grid_tranches)
            ps->firm_mw = pc->grid_capacity_mw; /* no rounding drift */
        ps->grid_mw = ps->firm_mw > ps->flexible_on_mw ? ps->firm_mw : ps->flexible_on_mw;
        if (arg + 1 == (uint64_t)pc->grid_tranches) {
            if (pc->onsite_retire_when_grid_full && pc->onsite_capacity_mw > 0)
                sim_schedule(eng, sim_now(eng), ps->model_id, EV_ONSITE_OFF, 0);
        }
        break;
    case EV_ONSITE_ON:
        ps->onsite_rated_mw = pc->onsite_capacity_mw;
        ps->onsite_mw = pc->onsite_capacity_mw * pc->onsite_design_factor;
        break;
    case EV_ONSITE_OFF: {
        /* Retire only what the reservations no longer need (at design ambient). */
        double need = ps->reserved_mw > ps->grid_mw ? ps->reserved_mw - ps->grid_mw : 0.0;
        double f = pc->onsite_design_factor;
        ps->onsite_rated_mw = need <= 0 ? 0.0 : f > 0 ? need / f : pc->onsite_capacity_mw;
        if (ps->onsite_rated_mw > pc->onsite_capacity_mw)
            ps->onsite_rated_mw = pc->onsite_capacity_mw;
        ps->onsite_mw = ps->onsite_rated_mw * f;
        break;
    }
    default:
        sim_fail_internal(eng, "power: unknown event kind %u", kind);
        return;
    }
    if (ps->after_change)
        ps->after_change(ps->change_ctx);
}

/* A supply that comes a drawn lead time after its phase ends: scheduled as
 * event `kind`, and the first supply if it is the earliest. Returns when. */
static double bring_on(power_state *ps, sim_engine *eng, size_t phase, const double *phase_end_days,
                       const sim_dist *lead_days, sim_rng *r, uint32_t kind)
{
    /* a negative lead (the flexible connection's: a date relative to the phase's, drawn in the same
     * replication) brings it on before the phase ends, never before day 0 */
    double lead = sim_dist_sample(lead_days, r);
    double t_on = phase_end_days[phase] + (kind == EV_FLEX_ON || lead > 0 ? lead : 0);
    if (t_on < 0)
        t_on = 0;
    if (t_on < ps->t_first_supply) {
        ps->t_first_supply = t_on;
        ps->first_supply_phase = phase;
    }
    sim_schedule(eng, t_on, ps->model_id, kind, 0);
    return t_on;
}

int power_start(power_state *ps, const power_config *pc, sim_engine *eng, const double *phase_end_days,
                uint32_t rng_stream, uint32_t flex_rng_stream, sim_err *err)
{
    ps->cfg = pc;
    ps->grid_mw = ps->onsite_mw = ps->onsite_rated_mw = ps->reserved_mw = ps->firm_mw = ps->flexible_on_mw = 0.0;
    int id = sim_engine_add_model(eng, "power", power_handle, ps, err);
    if (id < 0)
        return -1;
    ps->model_id = id;
    ps->t_first_supply = ps->t_grid_on = ps->t_onsite_on = ps->t_flexible_on = INFINITY;
    ps->first_supply_phase = pc->grid_after_phase;
    if (pc->grid_capacity_mw > 0) {
        double t0 = phase_end_days[pc->grid_after_phase];
        ps->t_first_supply = ps->t_grid_on = t0;
        for (long long k = 0; k < pc->grid_tranches; k++)
            sim_schedule(eng, t0 + (double)k * pc->grid_tranche_interval_days, id, EV_GRID_TRANCHE, (uint64_t)k);
    }
    if (pc->onsite_capacity_mw > 0)
        ps->t_onsite_on = bring_on(ps, eng, pc->onsite_after_phase, phase_end_days, &pc->onsite_lead_days,
                                   sim_engine_rng(eng, rng_stream), EV_ONSITE_ON);
    if (pc->flexible_mw > 0)
        ps->t_flexible_on = bring_on(ps, eng, pc->flexible_after_phase, phase_end_days, &pc->flexible_lead_days,
                                     sim_engine_rng(eng, flex_rng_stream), EV_FLEX_ON);
    return 0;
}

/* A relative tolerance keeps exact fits (e.g. a capacity that is an exact
 * multiple of a rack's need) from failing on rounding. */
static bool fits(const power_state *ps, double total_mw)
{
    double supply = power_supply_mw(ps);
    return total_mw <= supply * (1.0 + 1e-12) + 1e-9;
}

bool power_try_reserve(power_state *ps, double need_mw)
{
    if (!fits(ps, ps->reserved_mw + need_mw))
        return false;
    ps->reserved_mw += need_mw;
    return true;
}

bool power_reserve_upto(power_state *ps, double total_mw)
{
    if (!fits(ps, total_mw))
        return false;
    if (total_mw > ps->reserved_mw)
        ps->reserved_mw = total_mw;
    return true;
}
