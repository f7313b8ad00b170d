#include "cooling.h"

#include <stdio.h>
#include <string.h>

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
        sim_cfg_num(cfg, "facility.design_ambient_c", SIM_REQUIRED, SIM_RANGE(-40, 60), &c->design_ambient_c, err))
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
#define K(field) (snprintf(key, sizeof key, "cooling.[%zu]." field, i), key)
        if (sim_cfg_str(cfg, K("name"), NULL, &name, err))
            return -1;
        if (!*name || strlen(name) >= COOLING_NAME_LEN || (cooling_find(c, name) >= 0 && (size_t)cooling_find(c, name) < i))
            return sim_errf(err, "%s: %s: cooling names must be unique, 1 to %d characters",
                            sim_cfg_where(cfg, key, where, sizeof where), key, COOLING_NAME_LEN - 1);
        snprintf(t->name, sizeof t->name, "%s", name);
        if (sim_cfg_bool(cfg, K("liquid"), -1, &t->liquid, err) ||
            sim_cfg_num(cfg, K("free_cooling_max_c"), SIM_REQUIRED, SIM_RANGE(-40, 60), &t->free_cooling_max_c, err) ||
            sim_cfg_num(cfg, K("free_frac"), SIM_REQUIRED, SIM_RANGE(0, 2), &t->free_frac, err) ||
            sim_cfg_num(cfg, K("per_c_frac"), SIM_REQUIRED, SIM_RANGE(0, 1), &t->per_c_frac, err) ||
            sim_cfg_num(cfg, K("max_frac"), SIM_REQUIRED, SIM_RANGE(0, 3), &t->max_frac, err) ||
            sim_cfg_num(cfg, K("wue_l_per_kwh"), SIM_REQUIRED, SIM_RANGE(0, 10), &t->wue_l_per_kwh, err))
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

double cooling_design_pue(const cooling_config *c, const cooling_tech *t)
{
    return 1.0 + c->electrical_loss_frac + cooling_frac(t, c->design_ambient_c);
}
