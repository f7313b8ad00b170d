/*
 * storage: the site's battery (site.battery), as dispatch.h runs it hour by
 * hour: power_mw bounds charge plus discharge in an hour, energy_mwh the
 * store; the round-trip efficiency splits evenly between charging and
 * discharging (stored = charged x sqrt(eta), delivered = taken x sqrt(eta));
 * the charge stays within [soc_min, soc_max] x energy_mwh; `reserve` is
 * kept for shortfalls (peak shaving and arbitrage never spend it); it
 * discharges at prices at or above discharge_above, charges at or below
 * charge_below, shaves grid draw above peak_limit_mw. It comes when its
 * phase `after` ends (default: the grid's energized_after phase) and is
 * delivered empty (at soc_min).
 *
 * Defaults (assumptions: no public figure in scenarios/SOURCES.md):
 * round_trip_efficiency 0.87, soc_min 0.05, soc_max 0.95, no arbitrage
 * thresholds and no peak limit unless given; reserve = soc_min when any of
 * charge_below, discharge_above or peak_limit_mw is given, else soc_max (a
 * battery with nothing to trade or shave is a backup: it recharges from the
 * grid's headroom up to soc_max and spends it only in a shortfall);
 * power_mw and energy_mwh are required. Without the group, no battery.
 */
#ifndef MODELS_STORAGE_H
#define MODELS_STORAGE_H

#include <stddef.h>

#include "models/buildout/timeline.h"
#include "sim/config/cfg.h"

typedef struct storage_config {
    double power_mw, energy_mwh, eff, soc_min, soc_max, reserve;
    double charge_below, discharge_above, peak_limit_mw;
    size_t after_phase;
} storage_config;

/* Reads site.battery (all zero without it); grid_phase: the default `after`. */
int storage_load(sim_cfg *cfg, const timeline_config *tl, const char *grid_phase, storage_config *out, sim_err *err);

#endif
