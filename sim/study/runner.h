/*
 * runner: plays N independent replications of a model, shared out over T
 * threads. Replication i always uses the streams of (seed, i) and writes only
 * its own slice of the output arrays, so the results are identical for any T
 * (and the same layer can sit under MPI ranks). On failure the error of the
 * lowest-numbered failing replication is reported, so even errors are
 * deterministic.
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdbool.h>

#include "sim/app.h"

/* Every replication's series and metrics are kept for the quantiles: at
 * most this much in all. */
#define SIM_MAX_KEPT_BYTES (4LL << 30)

typedef struct sim_results {
    size_t n_reps;
    double *metrics; /* n_reps x n_metrics */
    double *series;  /* n_reps x n_steps x n_series */
    double *table;   /* n_reps x sim_table_cells (NULL: the layout has no table) */
} sim_results;

/* The cells of one replication's yearly table (0: none). */
static inline size_t sim_table_cells(const sim_layout *lay)
{
    size_t n = 0;
    for (size_t k = 0; k < lay->n_tables; k++)
        n += lay->tables[k].n_rows * lay->tables[k].n_cols;
    return n;
}

/* progress: print a bar on stderr (only when stderr is a terminal). */
int sim_run_replications(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed,
                         size_t n_reps, unsigned threads, bool progress, sim_results *out, sim_err *err);
/* Replications first .. first + n_reps - 1 (a shard of a larger run): row r
 * of out is replication first + r, the same numbers as in the whole run. */
int sim_run_replication_range(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed,
                              size_t first, size_t n_reps, unsigned threads, bool progress, sim_results *out,
                              sim_err *err);
void sim_results_free(sim_results *r);

unsigned sim_default_threads(void);

#endif
