#include "sim/study/scenario.h"

#include <string.h>

#include "sim/core/interrupt.h"

static int load_checked(const sim_app *app, const char *file, const char *const *sets, int n_sets, sim_inputs *in,
                        sim_scenario *s, sim_err *err)
{
    memset(s, 0, sizeof *s);
    sim_cfg *cfg = sim_cfg_load_with(file, in, err);
    if (!cfg)
        return -1;
    for (int i = 0; i < n_sets; i++)
        if (sim_cfg_set(cfg, sets[i], err)) {
            sim_cfg_free(cfg);
            return -1;
        }
    long long seed, reps;
    if (sim_cfg_str(cfg, "name", NULL, &s->name, err) ||
        sim_cfg_int(cfg, "sim.seed", 1, 0, 0x7fffffffffffffffLL, &seed, err) ||
        sim_cfg_int(cfg, "sim.replications", 1, 1, 1000000, &reps, err)) {
        sim_cfg_free(cfg);
        return -1;
    }
    void *model = app->load(cfg, err);
    if (!model) {
        sim_cfg_free(cfg);
        return -1;
    }
    if (sim_cfg_check_unused(cfg, err)) {
        app->free(model);
        sim_cfg_free(cfg);
        return -1;
    }
    s->cfg = cfg;
    s->model = model;
    s->seed = (uint64_t)seed;
    s->n_reps = reps;
    return 0;
}

int sim_scenario_load(const sim_app *app, const char *file, const char *const *sets, int n_sets, sim_scenario *out,
                      sim_err *err)
{
    return sim_scenario_load_with(app, file, sets, n_sets, NULL, out, err);
}

int sim_scenario_load_with(const sim_app *app, const char *file, const char *const *sets, int n_sets, sim_inputs *in,
                           sim_scenario *out, sim_err *err)
{
    int rc = load_checked(app, file, sets, n_sets, in, out, err);
    if (rc)
        sim_err_oom_for(err, "loading %s", file);
    if (!sim_interrupted())
        return rc;
    if (rc == 0)
        sim_scenario_free(app, out);
    return sim_errf(err, "%s: interrupted while loading the scenario", file);
}

void sim_scenario_free(const sim_app *app, sim_scenario *s)
{
    if (s->model)
        app->free(s->model);
    sim_cfg_free(s->cfg);
    memset(s, 0, sizeof *s);
}
