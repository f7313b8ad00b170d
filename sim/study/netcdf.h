/*
 * netcdf: every replication of a run in one netCDF-4 file, series.nc
 * (gigasim run --format netcdf), for analysts who work in xarray or pandas:
 *
 *   dimensions  replication (numbered from 0), day (the output steps)
 *   day(day)    the step's end, "days since START" when the run has a start
 *               date (xarray reads dates), else days since day 0
 *   NAME(replication, day)  each series column, every replication's (the
 *               medians of series.csv are their quantiles), compressed
 *               (shuffle and deflate, a chunk per replication and year of steps)
 *   METRIC(replication)      each metric (replications.csv), NaN where a
 *               milestone was not reached; its P10, P50, P90 and mean as
 *               attributes (summary.json's)
 *   attributes  units and descriptions on every variable; the scenario, its
 *               file, the seed, the replications, the currency and the
 *               start date on the file.
 * The same bytes for any thread or rank count; written into the run's
 * private directory and committed with its other files (whole or not at
 * all). Written a replication at a time (sim_netcdf_put, in order): the
 * writer holds one replication's series, so under MPI rank 0 receives
 * them one by one (sim_mpi_each_replication) and never holds them all.
 */
#ifndef SIM_NETCDF_H
#define SIM_NETCDF_H

#include "sim/study/mpi.h"
#include "sim/study/output.h"

typedef struct sim_netcdf sim_netcdf;

/* The file, written in one order whatever the path (so the bytes are the
 * same): open (created at path, never over a file: every variable defined,
 * the coordinates written), each replication's series in order (put), the
 * metrics and their quantiles (finish), close. */
sim_netcdf *sim_netcdf_open(const char *path, const sim_run_info *info, const sim_layout *lay, size_t n_reps,
                            sim_err *err);
/* Replication rep's series (n_steps rows of n_series, as sim_results). */
int sim_netcdf_put(sim_netcdf *w, size_t rep, const double *series, sim_err *err);
/* Every replication's metrics (n_reps rows of n_metrics), and summary.json's
 * P10, P50, P90 and mean of each as its attributes. */
int sim_netcdf_finish(sim_netcdf *w, const double *metrics, sim_err *err);
/* Closed and freed (w may be NULL). */
int sim_netcdf_close(sim_netcdf *w, sim_err *err);

/* The whole file from one process's results (res->series). */
int sim_write_netcdf(const char *path, const sim_run_info *info, const sim_layout *lay, const sim_results *res,
                     sim_err *err);

/* The same file from a run shared over MPI ranks (sim_mpi_run's res and
 * part): every rank calls it, rank 0 writes path. One process: as above. */
int sim_netcdf_write_shared(const char *path, const sim_run_info *info, const sim_layout *lay,
                            const sim_results *res, const sim_mpi_part *part, sim_err *err);

/* A whole run in one process with its memory bounded: the replications in
 * batches of at most min(64 MiB, memory_bytes) of series, each batch's
 * series written to path and dropped; every replication's metrics and
 * tables kept in out (whose series is NULL); series.csv's text (*text,
 * malloc'd) read back from the file a block of steps at a time (as much),
 * the same bytes as from memory. No cap on the replications but the
 * metrics' memory and the disk. */
int sim_netcdf_run(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t n_reps,
                   unsigned threads, bool progress, double memory_bytes, const char *path, const sim_run_info *info,
                   sim_results *out, char **text, size_t *len, sim_err *err);

#endif
