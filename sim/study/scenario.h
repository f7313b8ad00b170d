/*
 * scenario: a scenario file made ready to run, the one way both the command
 * line and the library (lib/gigasim.h) take it: load the file (includes and
 * bases), apply the assignments (--set, in order), read its name, seed and
 * replication count, load the app's models, and refuse keys nothing read.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>

#include "sim/app.h"
#include "sim/config/cfg.h"
#include "sim/core/util.h"

typedef struct sim_scenario {
    sim_cfg *cfg;
    void *model;         /* the app's, freed with app->free */
    const char *name;    /* lives in cfg */
    uint64_t seed;       /* sim.seed */
    long long n_reps;    /* sim.replications */
} sim_scenario;

/* 0, or -1 with err (naming file, line and key). An interrupt during the
 * load (libconfig's parse cannot be stopped) is reported as such. */
int sim_scenario_load(const sim_app *app, const char *file, const char *const *sets, int n_sets, sim_scenario *out,
                      sim_err *err);
/* The same, reading every file through the job's inputs (sim/config/inputs.h): a
 * study loads each point through one, so that every point sees the same
 * bytes. */
int sim_scenario_load_with(const sim_app *app, const char *file, const char *const *sets, int n_sets, sim_inputs *in,
                           sim_scenario *out, sim_err *err);
void sim_scenario_free(const sim_app *app, sim_scenario *s);

#endif
