/*
 * halls: the data halls of the site, each with a cooling technology and an IT
 * capacity (MW of rack peak draw its cooling can reject).
 *
 * A scenario lists hall groups: { name; count; ready_after = "<phase>";
 * stagger_days; cooling = "<technology>"; it_capacity_mw; }. Hall k (0-based)
 * of a group is ready (built, fitted out, commissioned) at
 *   end(ready_after) + k * stagger_days,
 * which is how campuses bring halls online one after another.
 * (Typical: first hall 18-24 months, campus 24-36+ months: scenarios/SOURCES.md
 * [TL-BUILD].) The one fits rule (halls_fits) and a hall's state during a run
 * (hall_rt) live here too.
 */
#ifndef MODELS_HALLS_H
#define MODELS_HALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/energy/cooling.h"
#include "models/buildout/timeline.h"
#include "sim/config/cfg.h"

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

/* The one fits rule: can hall h ever take a rack (liquid-cooled or not, of
 * this peak kW)? Its cooling must suit the rack and its IT capacity hold it. */
static inline bool halls_fits(const halls_config *hc, const cooling_config *cc, size_t h, bool liquid, double peak_kw)
{
    const hall_spec *hs = &hc->halls[h];
    return (!liquid || cc->techs[hs->cooling].liquid) && peak_kw <= hs->it_capacity_mw * 1000.0;
}

/* The order in which a rack looks for a hall: first the halls of its own
 * kind of cooling, then those that can also cool it (a liquid-cooled hall
 * holds air-cooled racks too), each kind by index, so that the liquid
 * capacity is kept for the racks that need it. order[liquid] lists the
 * halls a liquid-cooled (1) or air-cooled (0) rack may use. */
typedef struct halls_order {
    uint16_t n[2];
    uint16_t hall[2][HALLS_MAX];
} halls_order;

static inline void halls_order_of(const halls_config *hc, const cooling_config *cc, halls_order *o)
{
    o->n[0] = o->n[1] = 0;
    for (int pass = 0; pass < 2; pass++) /* air-cooled racks: air halls, then liquid ones */
        for (size_t h = 0; h < hc->n_halls; h++)
            if (cc->techs[hc->halls[h].cooling].liquid == (pass == 1))
                o->hall[0][o->n[0]++] = (uint16_t)h;
    for (size_t h = 0; h < hc->n_halls; h++) /* liquid-cooled racks: liquid halls alone */
        if (cc->techs[hc->halls[h].cooling].liquid)
            o->hall[1][o->n[1]++] = (uint16_t)h;
}

/* A hall during a run: ready (commissioned), energized (its fixed load
 * drawn), its cooled IT capacity left (kW of rack peak), and what its
 * racks reserve from the supply: peak MW x design PUE, plus its fixed MW
 * for its first rack. */
typedef struct hall_rt {
    bool ready, energized;
    uint32_t tech;
    double cap_left_kw;
    double design_pue, fixed_mw;
} hall_rt;

void halls_runtime_init(const halls_config *hc, const cooling_config *cc, hall_rt *out);
/* Hall h's alone. */
void halls_runtime_init_one(const halls_config *hc, const cooling_config *cc, size_t h, hall_rt *out);

/* The day hall h is ready: its phase's end, plus its place in its group's
 * stagger. The one rule of the racks' schedule, plan and causes, and of money. */
static inline double halls_ready_day(const halls_config *hc, size_t h, const double *phase_end_days)
{
    return phase_end_days[hc->halls[h].ready_after_phase] + hc->halls[h].offset_days;
}

/* The power a rack of peak_kw needs in a hall at design conditions (MW):
 * its peak times the hall's design PUE, plus the hall's fixed load when it
 * is the hall's first rack. The one rule of the load's checks, the plan and
 * the energization. */
static inline double halls_rack_need_mw(const hall_rt *hr, double peak_kw, bool first_in_hall)
{
    return peak_kw / 1000.0 * hr->design_pue + (first_in_hall ? hr->fixed_mw : 0.0);
}

#endif
