/*
 * output: writes a run's files into an output directory, all or nothing.
 *
 *   summary.json  schema_version, scenario name and file, seed, replications,
 *                 the app's string facts, and per metric an object
 *                 { mean, p10, p50, p90, ci95 } (null where not reached or
 *                 undefined; plus n_reached when some replications did not
 *                 reach it), built with cJSON;
 *   series.csv    day, then per series column the median over replications
 *                 and, with more than one replication, NAME_p10 and NAME_p90;
 *   scenario.cfg  the scenario as resolved (includes and --set applied).
 *
 * Every file is written to DIR/.NAME.tmp and renamed into place only after
 * all of them are complete, so a failed run leaves no partial result; a
 * directory this run created is removed again on failure.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include "app.h"
#include "runner.h"

typedef struct sim_run_info {
    const char *scenario_name, *scenario_file;
    uint64_t seed;
} sim_run_info;

#define SIM_SCHEMA_VERSION 1

int sim_write_outputs(const char *dir, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                      const sim_results *res, sim_err *err);

/* Creates dir and its parents (mkdir -p); *created tells whether the last
 * component was new. */
int sim_mkdirs(const char *dir, int *created, sim_err *err);

#endif
