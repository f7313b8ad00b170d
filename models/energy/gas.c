/*
 * gas: on-site gas turbines (site.onsite), a bridge while the grid is
 * built, as US campuses do. They run in simple or combined cycle
 * (site.onsite.cycle); their cost is cost_per_mwh or the fuel burnt plus
 * O&M, and their carbon follows from the heat rate (source.h):
 *   cost_per_mwh   = fuel_price_per_mmbtu x heat_rate_btu_per_kwh / 1000 + om_per_mwh
 *   co2_kg_per_mwh = heat_rate_btu_per_kwh x fuel_co2_kg_per_mmbtu / 1000
 * Defaults: 9,750 Btu/kWh simple, 6,654 combined, 53.06 kg/MMBtu of
 * natural gas: 517 and 353 kg/MWh [GAS-CO2]. They lose output with heat
 * above their rating (ISO 3977: 15 C):
 *   capacity(T) = capacity_mw (1 - derate_per_c max(0, T - rating_c))
 * (0.006 per C for simple cycle, 15 % at 40 C [GAS-DERATE]; 0.004 for
 * combined cycle, an assumption: the steam cycle recovers part). With
 * retire_when_grid_full they step down, once the firm grid is complete,
 * to what the racks' reservations still need (power.c). The group is read
 * whenever it is given, so its keys are checked even at zero capacity (a
 * what-if that switches it off).
 */
#include "source.h"

int gas_load(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    static const char *const cycles[] = {"simple", "combined"};
    static const double heat_rate[] = {9750.0, 6654.0}, derate[] = {0.006, 0.004};
    if (!sim_cfg_has(ctx->cfg, ctx->group))
        return 0;
    int cy;
    if (source_read_arrival(ctx, 0.0, false, out, err) ||
        sim_cfg_choice(ctx->cfg, "site.onsite.cycle", "simple", cycles, 2, &cy, err) ||
        source_read_fuel_plant(ctx, heat_rate[cy], derate[cy], 15.0, out, err) || source_read_basis(ctx, out, err) ||
        sim_cfg_bool(ctx->cfg, "site.onsite.retire_when_grid_full", 0, &out->retire_when_grid_full, err))
        return -1;
    out->variant = cycles[cy];
    return 0;
}
