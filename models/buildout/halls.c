#include "halls.h"

#include <stdio.h>
#include <string.h>

int halls_load(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, halls_config *h, sim_err *err)
{
    memset(h, 0, sizeof *h);
    size_t ng;
    char key[256], where[256];
    if (sim_cfg_count(cfg, "halls", true, &ng, err))
        return -1;
    if (ng == 0)
        return sim_errf(err, "%s: halls: the site needs at least one hall", sim_cfg_where(cfg, "halls", where, sizeof where));
    for (size_t g = 0; g < ng; g++) {
        const char *name, *cool;
        long long count;
        size_t phase;
        double stagger, cap;
#define K(field) (snprintf(key, sizeof key, "halls.[%zu]." field, g), key)
        if (sim_cfg_str(cfg, K("name"), NULL, &name, err) ||
            sim_cfg_int(cfg, K("count"), 1, 1, HALLS_MAX, &count, err) ||
            timeline_cfg_phase(cfg, tl, K("ready_after"), NULL, &phase, err) ||
            sim_cfg_num(cfg, K("stagger_days"), 0.0, SIM_DAYS, &stagger, err) ||
            sim_cfg_num(cfg, K("it_capacity_mw"), SIM_REQUIRED, SIM_POSITIVE, &cap, err) ||
            sim_cfg_str(cfg, K("cooling"), NULL, &cool, err))
            return -1;
        int ci = cooling_find(cc, cool);
        if (ci < 0)
            return sim_errf(err, "%s: %s: unknown cooling technology '%s' (not in cooling)",
                            sim_cfg_where(cfg, key, where, sizeof where), key, cool);
#undef K
        if (h->n_halls + (size_t)count > HALLS_MAX)
            return sim_errf(err, "%s: halls: at most %d halls in all", sim_cfg_where(cfg, "halls", where, sizeof where), HALLS_MAX);
        for (long long k = 0; k < count; k++) {
            hall_spec *s = &h->halls[h->n_halls++];
            snprintf(s->name, sizeof s->name, "%.48s-%d", name, (int)(k + 1));
            s->ready_after_phase = phase;
            s->offset_days = (double)k * stagger;
            s->cooling = (size_t)ci;
            s->it_capacity_mw = cap;
        }
    }
    return 0;
}

void halls_runtime_init_one(const halls_config *hc, const cooling_config *cc, size_t h, hall_rt *out)
{
    const hall_spec *hs = &hc->halls[h];
    *out = (hall_rt){false, false, (uint32_t)hs->cooling, hs->it_capacity_mw * 1000.0,
                     cooling_design_pue(cc, &cc->techs[hs->cooling]), cc->fixed_overhead_frac * hs->it_capacity_mw};
}

void halls_runtime_init(const halls_config *hc, const cooling_config *cc, hall_rt *out)
{
    for (size_t h = 0; h < hc->n_halls; h++)
        halls_runtime_init_one(hc, cc, h, &out[h]);
}
