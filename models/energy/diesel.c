/*
 * diesel: on-site diesel backup (site.diesel), run only in a shortfall the
 * battery cannot cover (dispatch.h). Keys: capacity_mw, after (default: the
 * grid's energized_after phase), lead_days (0), cost_per_mwh (250) and
 * co2_kg_per_mwh (700): both assumptions, no public figure in
 * scenarios/SOURCES.md.
 */
#include "source.h"

int diesel_load(const source_ctx *ctx, source_cfg *out, sim_err *err)
{
    if (!sim_cfg_has(ctx->cfg, ctx->group))
        return 0;
    return source_read_arrival(ctx, SIM_REQUIRED, true, out, err) ||
           sim_cfg_num(ctx->cfg, "site.diesel.cost_per_mwh", 250.0, SIM_NONNEG, &out->cost_per_mwh, err) ||
           sim_cfg_num(ctx->cfg, "site.diesel.co2_kg_per_mwh", 700.0, SIM_RANGE(0, 2000), &out->co2_kg_per_mwh, err);
}
