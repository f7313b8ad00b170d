/*
 * renewable: on-site solar and wind (site.solar, site.wind): no fuel, no
 * carbon, an output of capacity_mw x the hour's capacity factor
 * (<group>.capacity_factor, a signal that energy_system.c reads for every
 * variable source). Keys: capacity_mw, after (default: the grid's
 * energized_after phase), lead_days (0) and cost_per_mwh (default 0: they
 * are paid as capital, money.h; an assumption).
 */
#include "source.h"

int renewable_load(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    if (!sim_cfg_has(ctx->cfg, ctx->group))
        return 0;
    char kcost[96];
    source_key(ctx, "cost_per_mwh", kcost, sizeof kcost);
    return source_read_arrival(ctx, SIM_REQUIRED, true, out, err) ||
           sim_cfg_num(ctx->cfg, kcost, 0.0, SIM_NONNEG, &out->cost_per_mwh, err);
}
