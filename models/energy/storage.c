#include "storage.h"

#include <math.h>
#include <string.h>

int storage_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, storage_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    c->charge_below = -INFINITY;
    c->discharge_above = c->peak_limit_mw = INFINITY;
    if (!sim_cfg_has(cfg, "site.battery"))
        return 0;
    if (sim_cfg_num(cfg, "site.battery.power_mw", SIM_REQUIRED, SIM_NONNEG, &c->power_mw, err) ||
        sim_cfg_num(cfg, "site.battery.energy_mwh", SIM_REQUIRED, SIM_NONNEG, &c->energy_mwh, err) ||
        sim_cfg_num(cfg, "site.battery.round_trip_efficiency", 0.87, SIM_RANGE(0.3, 1), &c->eff, err) ||
        sim_cfg_num(cfg, "site.battery.soc_min", 0.05, SIM_PROB, &c->soc_min, err) ||
        sim_cfg_num(cfg, "site.battery.soc_max", 0.95, SIM_PROB, &c->soc_max, err) ||
        sim_cfg_num(cfg, "site.battery.charge_below", -INFINITY, SIM_ANY, &c->charge_below, err) ||
        sim_cfg_num(cfg, "site.battery.discharge_above", INFINITY, SIM_ANY, &c->discharge_above, err) ||
        sim_cfg_num(cfg, "site.battery.peak_limit_mw", INFINITY, SIM_NONNEG, &c->peak_limit_mw, err))
        return -1;
    /* a battery with no trading or shaving to do is a backup: kept full for shortfalls */
    bool trades = sim_cfg_has(cfg, "site.battery.charge_below") || sim_cfg_has(cfg, "site.battery.discharge_above") ||
                  sim_cfg_has(cfg, "site.battery.peak_limit_mw");
    if (sim_cfg_num(cfg, "site.battery.reserve", trades ? c->soc_min : c->soc_max, SIM_PROB, &c->reserve, err) ||
        timeline_cfg_phase(cfg, tl, "site.battery.after", grid_phase, &c->after_phase, err))
        return -1;
    char where[256];
    if (!(c->soc_min <= c->reserve && c->reserve <= c->soc_max))
        return sim_errf(err, "%s: site.battery: needs soc_min <= reserve <= soc_max (got %g, %g, %g)",
                        sim_cfg_where(cfg, "site.battery", where, sizeof where), c->soc_min, c->reserve, c->soc_max);
    if (c->charge_below >= c->discharge_above)
        return sim_errf(err, "%s: site.battery: charge_below (%g) must be below discharge_above (%g), or the battery "
                             "would buy and sell in the same hour",
                        sim_cfg_where(cfg, "site.battery", where, sizeof where), c->charge_below, c->discharge_above);
    return 0;
}
