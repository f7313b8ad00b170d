/*
 * fuel_cell: on-site solid-oxide fuel cells on natural gas (site.fuel_cell),
 * a firm plant racks can be energized against, dispatched in merit order
 * with the grid. A fuel-burning plant (source.h): its cost is
 * cost_per_mwh, or fuel_price_per_mmbtu x heat_rate_btu_per_kwh / 1000 +
 * om_per_mwh; its carbon heat_rate_btu_per_kwh x fuel_co2_kg_per_mmbtu /
 * 1000 (53.06 kg/MMBtu of natural gas [GAS-CO2]).
 *
 * Defaults (assumptions: no public figure in scenarios/SOURCES.md): heat
 * rate 6,900 Btu/kWh (about 49 % electrical efficiency on the fuel's higher
 * heating value, so 366 kg CO2/MWh), no derating with the weather
 * (derate_per_c 0), lead_days 0; `after`, capacity_mw and co2_basis are
 * required.
 */
#include "source.h"

int fuel_cell_load(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    if (!sim_cfg_has(ctx->cfg, ctx->group))
        return 0;
    return source_read_arrival(ctx, SIM_REQUIRED, false, out, err) ||
           source_read_fuel_plant(ctx, 6900.0, 0.0, 15.0, out, err) || source_read_basis(ctx, out, err);
}
