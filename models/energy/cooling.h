/*
 * cooling: facility overhead and water of a data hall as functions of the
 * outdoor temperature and the IT load, per cooling technology.
 *
 *   facility_mw = it_mw * (1 + electrical_loss_frac + cooling_frac(T)) + fixed_mw
 *   cooling_frac(T) = free_frac                                   if T <= free_cooling_max_c
 *                   = min(free_frac + per_c_frac (T - free_cooling_max_c), max_frac)  otherwise
 *   fixed_mw = fixed_overhead_frac * hall IT capacity (lighting, controls, offices:
 *              drawn once the hall is commissioned, whatever its load)
 *   PUE = facility_mw / it_mw  (>= 1 by construction; undefined at zero IT load)
 *   water_m3 = wue_l_per_kwh * IT MWh   (1 L/kWh = 1 m3/MWh)
 *
 * Free cooling (economiser) below the threshold, mechanical assistance rising
 * linearly above it: a first-order form of the weather-driven model of
 * Lei & Masanet (Energy 201:117556, 2020). The fixed term makes PUE rise at
 * part load, as measured sites do. Parameter values per technology (air,
 * direct liquid, immersion) are in the presets with their sources
 * (scenarios/SOURCES.md [COOL-PUE]: air 1.2-1.4, DLC 1.05-1.15, immersion 1.02-1.05).
 *
 * A technology with `liquid = true` can host racks that require liquid
 * cooling (GB200/GB300 NVL72).
 */
#ifndef MODELS_COOLING_H
#define MODELS_COOLING_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"

#define COOLING_MAX_TECHS 8
#define COOLING_NAME_LEN 32

typedef struct cooling_tech {
    char name[COOLING_NAME_LEN];
    bool liquid;
    double free_cooling_max_c;
    double free_frac, per_c_frac, max_frac;
    double wue_l_per_kwh;
} cooling_tech;

typedef struct cooling_config {
    size_t n_techs;
    cooling_tech techs[COOLING_MAX_TECHS];
    double electrical_loss_frac;  /* UPS, transformers, distribution */
    double fixed_overhead_frac;   /* of hall IT capacity */
    double design_ambient_c;      /* for the energization check */
} cooling_config;

int cooling_load(sim_cfg *cfg, cooling_config *out, sim_err *err);
int cooling_find(const cooling_config *c, const char *name);

/* Inline: the meter's hourly refresh evaluates them for every technology
 * in every hour of the horizon. */
static inline double cooling_frac(const cooling_tech *t, double ambient_c)
{
    if (ambient_c <= t->free_cooling_max_c)
        return t->free_frac;
    double f = t->free_frac + t->per_c_frac * (ambient_c - t->free_cooling_max_c);
    return f < t->max_frac ? f : t->max_frac;
}

/* Facility MW of a hall drawing it_mw, with fixed_mw already computed. */
static inline double cooling_facility_mw(const cooling_config *c, const cooling_tech *t, double it_mw,
                                         double fixed_mw, double ambient_c)
{
    return it_mw * (1.0 + c->electrical_loss_frac + cooling_frac(t, ambient_c)) + fixed_mw;
}
/* Facility MW per IT MW at design conditions (no fixed part): what a rack's
 * energization reserves per MW of its peak draw. */
double cooling_design_pue(const cooling_config *c, const cooling_tech *t);

#endif
