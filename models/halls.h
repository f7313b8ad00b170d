/*
 * halls: the data halls of the site, each with a cooling technology and an IT
 * capacity (MW of rack peak draw its cooling can reject).
 *
 * A scenario lists hall groups: { name; count; ready_after = "<phase>";
 * stagger_days; cooling = "<technology>"; it_capacity_mw; }. Hall k (0-based)
 * of a group is ready (built, fitted out, commissioned) at
 *   end(ready_after) + k * stagger_days,
 * which is how campuses bring halls online one after another.
 * (Typical: first hall 18-24 months, campus 24-36+ months; cortexconstruct.com,
 * reference-data.md s.3.)
 */
#ifndef MODELS_HALLS_H
#define MODELS_HALLS_H

#include <stddef.h>

#include "models/cooling.h"
#include "models/timeline.h"
#include "sim/cfg.h"

#define HALLS_MAX 512

typedef struct hall_spec {
    char name[TIMELINE_NAME_LEN + 8];
    size_t ready_after_phase;
    double offset_days;   /* k * stagger_days */
    size_t cooling;       /* index into cooling_config */
    double it_capacity_mw;
} hall_spec;

typedef struct halls_config {
    size_t n_halls;
    hall_spec halls[HALLS_MAX];
} halls_config;

int halls_load(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, halls_config *out, sim_err *err);

#endif
