/*
 * contract: a virtual power purchase agreement (site.ppa). From the end of
 * its phase `after` (default: the grid's energized_after phase) it
 * contracts capacity_mw x the hour's capacity factor (a signal,
 * site.ppa.capacity_factor) whether the site draws or not: it settles money
 * and certificates, not electrons. The settlement is contracted MWh x
 * (strike_per_mwh - the hour's wholesale price) (dispatch.h); market-based
 * CO2 matches its MWh against grid energy year by year, the 24/7 share hour
 * by hour. Defaults: strike_per_mwh 0 (assumption); capacity_mw and the
 * capacity factor are required. Without the group, no PPA.
 */
#ifndef MODELS_CONTRACT_H
#define MODELS_CONTRACT_H

#include <stddef.h>

#include "models/buildout/timeline.h"
#include "models/energy/signal.h"
#include "sim/config/cfg.h"

typedef struct contract_config {
    double capacity_mw; /* 0: no PPA */
    size_t after_phase;
    signal capacity_factor;
    double strike_per_mwh;
} contract_config;

/* Reads site.ppa; grid_phase: the default `after`. */
int contract_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, size_t n_hours,
                  contract_config *out, sim_err *err);
void contract_free(contract_config *c);

#endif
