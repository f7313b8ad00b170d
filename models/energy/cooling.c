#include "cooling.h"

#include <stdio.h>
#include <string.h>

#include "models/energy/psychro.h"

const char *const cooling_rejection_names[3] = {"dry", "evaporative", "adiabatic"};

int cooling_find(const cooling_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_techs; i++)
        if (strcmp(c->techs[i].name, name) == 0)
            return (int)i;
    return -1;
}

int cooling_load(sim_cfg *cfg, cooling_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    char key[256], where[256];
    if (sim_cfg_num(cfg, "facility.electrical_loss_frac", SIM_REQUIRED, SIM_RANGE(0, 0.5), &c->electrical_loss_frac, err) ||
        sim_cfg_num(cfg, "facility.fixed_overhead_frac", SIM_REQUIRED, SIM_RANGE(0, 0.5), &c->fixed_overhead_frac, err) ||
        sim_cfg_num(cfg, "facility.design_ambient_c", SIM_REQUIRED, SIM_RANGE(-40, 60), &c->design_ambient_c, err) ||
        sim_cfg_num(cfg, "facility.design_wet_bulb_c", c->design_ambient_c, SIM_RANGE(-40, c->design_ambient_c),
                    &c->design_wet_bulb_c, err))
        return -1;
    size_t n;
    if (sim_cfg_count(cfg, "cooling", true, &n, err))
        return -1;
    if (n == 0 || n > COOLING_MAX_TECHS)
        return sim_errf(err, "%s: cooling: needs 1 to %d technologies (has %zu)",
                        sim_cfg_where(cfg, "cooling", where, sizeof where), COOLING_MAX_TECHS, n);
    c->n_techs = n;
    for (size_t i = 0; i < n; i++) {
        cooling_tech *t = &c->techs[i];
        const char *name;
        int rejection;
#define K(field) (snprintf(key, sizeof key, "cooling.[%zu]." field, i), key)
        if (sim_cfg_str(cfg, K("name"), NULL, &name, err))
            return -1;
        if (!*name || strlen(name) >= COOLING_NAME_LEN || (cooling_find(c, name) >= 0 && (size_t)cooling_find(c, name) < i))
            return sim_errf(err, "%s: %s: cooling names must be unique, 1 to %d characters",
                            sim_cfg_where(cfg, key, where, sizeof where), key, COOLING_NAME_LEN - 1);
        snprintf(t->name, sizeof t->name, "%s", name);
        if (sim_cfg_bool(cfg, K("liquid"), -1, &t->liquid, err) ||
            sim_cfg_choice(cfg, K("heat_rejection"), NULL, cooling_rejection_names, 3, &rejection, err) ||
            sim_cfg_num(cfg, K("supply_c"), SIM_REQUIRED, SIM_RANGE(5, 60), &t->supply_c, err) ||
            sim_cfg_num(cfg, K("approach_c"), SIM_REQUIRED, SIM_RANGE(0.5, 30), &t->approach_c, err) ||
            sim_cfg_num(cfg, K("free_frac"), SIM_REQUIRED, SIM_RANGE(0, 2), &t->free_frac, err) ||
            sim_cfg_num(cfg, K("per_c_frac"), SIM_REQUIRED, SIM_RANGE(0, 1), &t->per_c_frac, err) ||
            sim_cfg_num(cfg, K("max_frac"), SIM_REQUIRED, SIM_RANGE(0, 3), &t->max_frac, err))
            return -1;
        t->rejection = (cooling_rejection)rejection;
        if (t->rejection != COOLING_DRY &&
            sim_cfg_num(cfg, K("cycles_of_concentration"), SIM_REQUIRED, SIM_RANGE(1.1, 50), &t->cycles, err))
            return -1;
        if (t->rejection == COOLING_ADIABATIC &&
            (sim_cfg_num(cfg, K("adiabatic_effectiveness"), SIM_REQUIRED, SIM_RANGE(0, 1), &t->adiabatic_effectiveness,
                         err) ||
             sim_cfg_num(cfg, K("air_range_c"), SIM_REQUIRED, SIM_RANGE(1, 40), &t->air_range_c, err)))
            return -1;
#undef K
        if (t->max_frac < t->free_frac) {
            snprintf(key, sizeof key, "cooling.[%zu].max_frac", i);
            return sim_errf(err, "%s: %s: must be >= free_frac (%g < %g)", sim_cfg_where(cfg, key, where, sizeof where),
                            key, t->max_frac, t->free_frac);
        }
    }
    return 0;
}

void cooling_per_it(const cooling_config *c, const cooling_tech *t, const cooling_weather *w, double *facility_per_it,
                    double *water_m3_per_it_mwh)
{
    double pre;
    double sink = cooling_sink_c(t, w->dry_bulb_c, w->wet_bulb_c, &pre);
    double heat = 1.0 + c->electrical_loss_frac + cooling_frac(t, sink);
    *facility_per_it = heat;
    double evaporated_share = 0; /* of the heat, in latent-heat units */
    if (t->rejection == COOLING_EVAPORATIVE) {
        double tc = w->wet_bulb_c + t->approach_c;
        double ws = psy_humidity_ratio(psy_sat_vp_kpa(tc), w->pressure_kpa);
        double dh = psy_enthalpy_kj_per_kg(tc, ws) - psy_enthalpy_kj_per_kg(w->dry_bulb_c, w->humidity_ratio);
        evaporated_share = dh > 0 ? (ws - w->humidity_ratio) * PSY_LATENT_KJ_PER_KG / dh : 0;
    } else if (t->rejection == COOLING_ADIABATIC) {
        evaporated_share = pre / t->air_range_c;
    }
    /* L/kWh = m3/MWh */
    *water_m3_per_it_mwh = t->rejection == COOLING_DRY
                               ? 0.0
                               : heat * evaporated_share * PSY_L_PER_KWH_EVAPORATED * t->cycles / (t->cycles - 1.0);
}

double cooling_design_pue(const cooling_config *c, const cooling_tech *t)
{
    double pre;
    double sink = cooling_sink_c(t, c->design_ambient_c, c->design_wet_bulb_c, &pre);
    return 1.0 + c->electrical_loss_frac + cooling_frac(t, sink);
}
