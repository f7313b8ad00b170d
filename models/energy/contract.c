#include "contract.h"

#include <math.h>
#include <string.h>

int contract_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, size_t n_hours,
                  contract_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    if (sim_cfg_num(cfg, "site.ppa.strike_per_mwh", 0.0, SIM_ANY, &c->strike_per_mwh, err))
        return -1;
    /* read whenever the group is given, so its keys are checked even at zero capacity (a what-if) */
    if (!sim_cfg_has(cfg, "site.ppa"))
        return 0;
    return sim_cfg_num(cfg, "site.ppa.capacity_mw", SIM_REQUIRED, SIM_NONNEG, &c->capacity_mw, err) ||
           timeline_cfg_phase(cfg, tl, "site.ppa.after", grid_phase, &c->after_phase, err) ||
           signal_load(cfg, "site.ppa.capacity_factor", NAN, 0, 1, "capacity factor", n_hours, &c->capacity_factor,
                       err);
}

void contract_free(contract_config *c) { signal_free(&c->capacity_factor); }
