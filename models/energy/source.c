#include "source.h"

#include <stdio.h>

#define SOURCE_ROW(ID, name, group, cls, flags, load, energy, cost, capex, capex_default) \
    {name, group, cls, flags, load, energy, cost, capex, capex_default},
const source_row source_rows[SOURCE_N] = {SOURCE_LIST(SOURCE_ROW)};
#undef SOURCE_ROW

double source_temp_factor(const source_cfg *s, double ambient_c)
{
    double hot = ambient_c - s->rating_c;
    double f = hot > 0 ? 1.0 - s->derate_per_c * hot : 1.0;
    return f > 0 ? f : 0.0;
}

void source_key(const source_ctx *ctx, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s.%s", ctx->group, name);
}

int source_read_arrival(const source_ctx *ctx, double capacity_default, bool default_after, source_cfg *out,
                        sim_err *err)
{
    char kcap[96], kafter[96], klead[96];
    source_key(ctx, "capacity_mw", kcap, sizeof kcap);
    source_key(ctx, "after", kafter, sizeof kafter);
    source_key(ctx, "lead_days", klead, sizeof klead);
    sim_dist zero = sim_dist_constant(0.0);
    out->design_factor = 1.0;
    return sim_cfg_num(ctx->cfg, kcap, capacity_default, SIM_NONNEG, &out->capacity_mw, err) ||
           timeline_cfg_phase(ctx->cfg, ctx->tl, kafter, default_after ? ctx->grid_phase : NULL, &out->after_phase,
                              err) ||
           sim_cfg_dist(ctx->cfg, klead, &zero, SIM_NONNEG, &out->lead_days, err);
}

int source_co2_basis(sim_cfg *cfg, const char *key, const char **out, sim_err *err)
{
    static const char *const bases[] = {"lifecycle", "direct"};
    int i;
    if (sim_cfg_choice(cfg, key, NULL, bases, 2, &i, err))
        return -1;
    *out = bases[i];
    return 0;
}

int source_read_basis(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    char key[96];
    source_key(ctx, "co2_basis", key, sizeof key);
    return source_co2_basis(ctx->cfg, key, &out->co2_basis, err);
}

/* The cost per MWh: given, or fuel x heat rate + O&M. */
static int fuel_cost(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    char kfuel[96], kom[96], kcost[96];
    source_key(ctx, "fuel_price_per_mmbtu", kfuel, sizeof kfuel);
    source_key(ctx, "om_per_mwh", kom, sizeof kom);
    source_key(ctx, "cost_per_mwh", kcost, sizeof kcost);
    if (!sim_cfg_has(ctx->cfg, kfuel))
        return sim_cfg_num(ctx->cfg, kcost, SIM_REQUIRED, SIM_NONNEG, &out->cost_per_mwh, err);
    double fuel, om;
    if (sim_cfg_num(ctx->cfg, kfuel, SIM_REQUIRED, SIM_NONNEG, &fuel, err) ||
        sim_cfg_num(ctx->cfg, kom, 0.0, SIM_NONNEG, &om, err))
        return -1;
    if (sim_cfg_has(ctx->cfg, kcost)) {
        char where[256];
        return sim_errf(err, "%s: %s: give the cost, or the fuel price (and om_per_mwh), not both",
                        sim_cfg_where(ctx->cfg, kcost, where, sizeof where), kcost);
    }
    out->cost_per_mwh = fuel * out->heat_rate_btu_per_kwh / 1000.0 + om;
    return 0;
}

int source_read_fuel_plant(const source_ctx *ctx, double heat_rate_default, double derate_default,
                           double rating_default, source_cfg *out, sim_err *err)
{
    char khr[96], kfco2[96], kco2[96], kder[96], krat[96], kmin[96], kstart[96];
    source_key(ctx, "min_load_frac", kmin, sizeof kmin);
    source_key(ctx, "start_cost", kstart, sizeof kstart);
    source_key(ctx, "heat_rate_btu_per_kwh", khr, sizeof khr);
    source_key(ctx, "fuel_co2_kg_per_mmbtu", kfco2, sizeof kfco2);
    source_key(ctx, "co2_kg_per_mwh", kco2, sizeof kco2);
    source_key(ctx, "derate_per_c", kder, sizeof kder);
    source_key(ctx, "rating_c", krat, sizeof krat);
    double fuel_co2, design_c;
    if (sim_cfg_num(ctx->cfg, khr, heat_rate_default, SIM_RANGE(3412.2, 30000), &out->heat_rate_btu_per_kwh, err) ||
        sim_cfg_num(ctx->cfg, kfco2, 53.06, SIM_RANGE(0, 200), &fuel_co2, err) ||
        sim_cfg_num(ctx->cfg, kco2, out->heat_rate_btu_per_kwh * fuel_co2 / 1000.0, SIM_RANGE(0, 2000),
                    &out->co2_kg_per_mwh, err) ||
        sim_cfg_num(ctx->cfg, kder, derate_default, SIM_RANGE(0, 0.05), &out->derate_per_c, err) ||
        sim_cfg_num(ctx->cfg, krat, rating_default, SIM_RANGE(-40, 50), &out->rating_c, err) ||
        sim_cfg_num(ctx->cfg, "facility.design_ambient_c", SIM_REQUIRED, SIM_RANGE(-40, 60), &design_c, err) ||
        sim_cfg_num(ctx->cfg, kmin, 0.0, SIM_RANGE(0, 1), &out->min_load_frac, err) ||
        sim_cfg_num(ctx->cfg, kstart, 0.0, SIM_NONNEG, &out->start_cost, err))
        return -1;
    out->design_factor = source_temp_factor(out, design_c);
    return fuel_cost(ctx, out, err);
}
