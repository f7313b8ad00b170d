/*
 * cooling: facility overhead and water of a data hall as functions of the
 * weather and the IT load, per cooling technology.
 *
 * Each technology rejects its heat to a sink: dry coolers to the dry bulb
 * T, cooling towers (evaporative) to the wet bulb Tw, adiabatic coolers to
 * the dry bulb until it is too warm, then to air pre-cooled by evaporation
 * toward the wet bulb:
 *   sink = T                                      dry
 *        = Tw                                     evaporative
 *        = T - pre,  pre = min(max(0, T + approach - supply), eff (T - Tw))   adiabatic
 * The loop needs coolant at supply_c; the heat rejection delivers it
 * approach_c above the sink, so trim chillers start when
 *   sink + approach_c > supply_c
 * and the cooling overhead (fans, pumps, chillers) as a fraction of IT power is
 *   cooling_frac = min(free_frac + per_c_frac max(0, sink + approach_c - supply_c), max_frac)
 *   facility_mw  = it_mw (1 + electrical_loss_frac + cooling_frac) + fixed_mw
 *   fixed_mw     = fixed_overhead_frac x hall IT capacity (lighting, controls,
 *                  offices: drawn once the hall is commissioned, whatever its load)
 *   PUE = facility_mw / it_mw  (>= 1 by construction; undefined at zero IT load)
 * Free cooling below the threshold, mechanical assistance rising linearly
 * above it: a first-order form of the weather-driven model of Lei & Masanet
 * [COOL-MODEL]. The fixed term makes PUE rise at part load, as measured sites
 * do. Parameter values per technology are in the catalog with their sources.
 *
 * Water. All the electricity becomes heat the plant rejects:
 *   heat_mw = it_mw (1 + electrical_loss_frac + cooling_frac).
 * Dry coolers evaporate none. Evaporation rejects at most L = 1.47 litres
 * per kWh of heat evaporated (the latent heat of water, [PSY-LATENT]); blowdown to
 * keep the water's minerals at `cycles` times concentration adds make-up,
 *   water = evaporated x cycles / (cycles - 1).
 * A tower's exhaust air leaves saturated at the cold-water temperature
 * Tc = Tw + approach_c (a lumped simplification: in a real tower it leaves
 * between the cold and the hot water's temperatures); the share of the heat
 * that leaves as latent heat is then, per kg of air,
 *   latent = (w_sat(Tc) - w) h_fg / (h_sat(Tc) - h(T, w))
 * (> 1 in hot dry air, which the tower cools as well; models/energy/psychro.h),
 * so a tower's water per kWh of heat is latent x L x cycles / (cycles - 1).
 * An adiabatic cooler's air is sized to warm by air_range_c across the coil;
 * pre-cooling it by `pre` evaporates (pre / air_range_c) of the heat's worth,
 * so its water per kWh of heat is (pre / air_range_c) L cycles / (cycles - 1).
 *
 * A technology with `liquid = true` can host racks that require liquid
 * cooling (GB200/GB300 NVL72).
 */
#ifndef MODELS_COOLING_H
#define MODELS_COOLING_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"

#define COOLING_MAX_TECHS 8
#define COOLING_NAME_LEN 32

typedef enum { COOLING_DRY, COOLING_EVAPORATIVE, COOLING_ADIABATIC } cooling_rejection;
extern const char *const cooling_rejection_names[3];

typedef struct cooling_tech {
    char name[COOLING_NAME_LEN];
    bool liquid;
    cooling_rejection rejection;
    double supply_c, approach_c;
    double free_frac, per_c_frac, max_frac;
    double cycles;                          /* evaporative, adiabatic */
    double adiabatic_effectiveness, air_range_c; /* adiabatic */
} cooling_tech;

typedef struct cooling_config {
    size_t n_techs;
    cooling_tech techs[COOLING_MAX_TECHS];
    double electrical_loss_frac;  /* UPS, transformers, distribution */
    double fixed_overhead_frac;   /* of hall IT capacity */
    double design_ambient_c;      /* for the energization check */
    double design_wet_bulb_c;     /* the same, for evaporation (default: the dry bulb, the worst case) */
} cooling_config;

/* The weather of one hour as the heat rejection sees it. */
typedef struct cooling_weather {
    double dry_bulb_c, wet_bulb_c;
    double humidity_ratio; /* kg water per kg dry air */
    double pressure_kpa;
} cooling_weather;

int cooling_load(sim_cfg *cfg, cooling_config *out, sim_err *err);
int cooling_find(const cooling_config *c, const char *name);

static inline bool cooling_needs_humidity(const cooling_tech *t)
{
    return t->rejection != COOLING_DRY;
}

/* The sink temperature; *pre_c: the adiabatic pre-cooling (0 otherwise). */
static inline double cooling_sink_c(const cooling_tech *t, double dry_bulb_c, double wet_bulb_c, double *pre_c)
{
    *pre_c = 0;
    if (t->rejection == COOLING_EVAPORATIVE)
        return wet_bulb_c;
    if (t->rejection == COOLING_ADIABATIC) {
        double want = dry_bulb_c + t->approach_c - t->supply_c, can = t->adiabatic_effectiveness * (dry_bulb_c - wet_bulb_c);
        *pre_c = want <= 0 ? 0 : want < can ? want : can;
    }
    return dry_bulb_c - *pre_c;
}

/* Cooling overhead per IT MW at this sink temperature. */
static inline double cooling_frac(const cooling_tech *t, double sink_c)
{
    double over = sink_c + t->approach_c - t->supply_c;
    if (over <= 0)
        return t->free_frac;
    double f = t->free_frac + t->per_c_frac * over;
    return f < t->max_frac ? f : t->max_frac;
}

/* Facility MW per IT MW (no fixed part) and water m3 per IT MWh in this
 * weather; a dry technology ignores everything but the dry bulb. */
void cooling_per_it(const cooling_config *c, const cooling_tech *t, const cooling_weather *w, double *facility_per_it,
                    double *water_m3_per_it_mwh);

/* Facility MW per IT MW at design conditions (no fixed part): what a rack's
 * energization reserves per MW of its peak draw. */
double cooling_design_pue(const cooling_config *c, const cooling_tech *t);

#endif
