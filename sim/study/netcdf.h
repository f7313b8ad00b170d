/*
 * netcdf: every replication of a run in one netCDF-4 file, series.nc
 * (gigasim run --format netcdf), for analysts who work in xarray or pandas:
 *
 *   dimensions  replication (numbered from 0), day (the output steps)
 *   day(day)    the step's end, "days since START" when the run has a start
 *               date (xarray reads dates), else days since day 0
 *   NAME(replication, day)  each series column, every replication's (the
 *               medians of series.csv are their quantiles), compressed
 *               (shuffle and deflate, chunked by replication)
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

/* series.nc created at path (never over a file), everything defined and the
 * metrics (res->metrics) written; NULL on error. */
sim_netcdf *sim_netcdf_open(const char *path, const sim_run_info *info, const sim_layout *lay,
                            const sim_results *res, sim_err *err);
/* Replication rep's series (n_steps rows of n_series, as sim_results). */
int sim_netcdf_put(sim_netcdf *w, size_t rep, const double *series, sim_err *err);
/* Closed and freed (w may be NULL). */
int sim_netcdf_close(sim_netcdf *w, sim_err *err);

/* The whole file from one process's results (res->series). */
int sim_write_netcdf(const char *path, const sim_run_info *info, const sim_layout *lay, const sim_results *res,
                     sim_err *err);

/* The same file from a run shared over MPI ranks (sim_mpi_run's res and
 * part): every rank calls it, rank 0 writes path. One process: as above. */
int sim_netcdf_write_shared(const char *path, const sim_run_info *info, const sim_layout *lay,
                            const sim_results *res, const sim_mpi_part *part, sim_err *err);

#endif
