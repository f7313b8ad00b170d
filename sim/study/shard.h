/*
 * shard: a run split into parts for a job array, and put back together.
 *
 * `gigasim run SCENARIO --replications FIRST:COUNT -o DIR` runs replications
 * FIRST .. FIRST+COUNT-1 only (each on its own streams, so the numbers are
 * those of the whole run) and writes a shard:
 *   shard.json   what it is part of: gigasim's version and commit, the
 *                scenario's name and file, a hash of the resolved scenario
 *                (FNV-1a, 64 bits), the seed, FIRST and COUNT, the layout
 *                (metrics, series, steps), the byte order
 *   shard.bin    COUNT x metrics, then COUNT x steps x series, as doubles
 *   scenario.cfg the scenario as resolved
 * `gigasim merge SHARD... -o DIR` checks that the shards are of one run
 * (same version, scenario, seed, layout; refused otherwise, naming the two
 * shards that differ and how), that together they hold replications 0 to
 * N-1 each exactly once (a gap or an overlap is refused with its range),
 * and writes DIR as `gigasim run -n N` would have: the same bytes, whatever
 * the shards' order.
 */
#ifndef SIM_SHARD_H
#define SIM_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/app.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/study/runner.h"

/* Writes a shard of replications first .. first + res->n_reps - 1 into
 * the output directory o, claimed beforehand (sim/study/outdir.h), and commits
 * it (or aborts it on failure). */
int sim_shard_write(sim_outdir *o, sim_cfg *cfg, const sim_run_info *info, const sim_layout *lay,
                    const sim_results *res, size_t first, const char *version, sim_err *err);

/* Merges the shards into dir. version must be the shards'. */
int sim_merge(const sim_app *app, const char *const *shards, size_t n, const char *dir, const char *version,
              sim_err *err);

#endif
