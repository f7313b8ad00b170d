/*
 * gigasim.h: the library's public interface (libgigasim, installed with
 * `make install`; `pkg-config --cflags --libs gigasim`). A program runs a
 * scenario file as `gigasim run` does, reads any figure's quantiles over the
 * replications, and may write the same output files:
 *
 *   char err[512];
 *   const char *sets[] = {"racks.crews=60", NULL};
 *   gigasim_run *r = gigasim_run_scenario("site.cfg", sets, 200, 0, err, sizeof err);
 *   double p50;
 *   if (r && gigasim_quantile(r, "time_to_first_token_days", 0.5, &p50) == 0) ...
 *   gigasim_free(r);
 *
 * Same seed, same numbers, whatever the thread count. Every function is safe
 * to call from several threads on different runs. Errors are returned as
 * text naming the file, the line and the key, as the command line prints them.
 * gigasim_run_scenario turns GSL's error handler off for the process
 * (gsl_set_error_handler_off: GSL's default would abort the program on a
 * domain error; gigasim checks every GSL result where it uses it).
 */
#ifndef GIGASIM_H
#define GIGASIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GIGASIM_VERSION "0.1.0"

typedef struct gigasim_run gigasim_run;

/* GIGASIM_VERSION of the library linked (the header's may differ). */
const char *gigasim_version(void);

/* Loads the scenario file, applies `sets` ("path.to.key=VALUE" or
 * "path.to.key*=FACTOR", a NULL-terminated list, may be NULL), and runs
 * n_reps replications (0: the scenario's sim.replications) on `threads`
 * threads (0: the cores online). NULL on failure, with the reason in err. */
gigasim_run *gigasim_run_scenario(const char *scenario_file, const char *const *sets, long n_reps, unsigned threads,
                                  char *err, size_t err_len);

/* The scenario's name, the seed used and the replications run. */
const char *gigasim_name(const gigasim_run *r);
unsigned long long gigasim_seed(const gigasim_run *r);
size_t gigasim_replications(const gigasim_run *r);

/* The figures every run has (the output reference: `gigasim metrics`):
 * i from 0 to gigasim_metric_count() - 1. Unit "currency" is the scenario's
 * currency (gigasim_currency). */
size_t gigasim_metric_count(void);
const char *gigasim_metric_name(size_t i);
const char *gigasim_metric_unit(size_t i);
const char *gigasim_metric_description(size_t i);
const char *gigasim_currency(const gigasim_run *r);

/* Replication rep's value of the figure `metric`: NaN where that replication
 * did not reach it (a milestone past the horizon). 0, or -1 for an unknown
 * metric or replication. */
int gigasim_value(const gigasim_run *r, size_t rep, const char *metric, double *out);

/* The q-quantile (0 to 1; 0.5 is the P50) of the figure over the
 * replications, as summary.json gives it: one that missed a milestone counts
 * as later than any that reached it, so a quantile that falls among those is
 * NaN (not reached), never a made-up day. 0, or -1 for an unknown metric or
 * q outside [0, 1]. */
int gigasim_quantile(const gigasim_run *r, const char *metric, double q, double *out);
/* How many replications reached the figure (a finite value). */
int gigasim_reached(const gigasim_run *r, const char *metric, size_t *n_reached);

/* Writes summary.json, series.csv, replications.csv and scenario.cfg into
 * dir, as `gigasim run -o dir` (whole or not at all; never into a
 * directory that is not gigasim's). 0, or -1 with the reason in err. */
int gigasim_write(const gigasim_run *r, const char *dir, char *err, size_t err_len);
/* The same, with netcdf != 0 also series.nc: every replication's series and
 * metrics in netCDF-4, as `gigasim run --format netcdf`. */
int gigasim_write_with(const gigasim_run *r, const char *dir, int netcdf, char *err, size_t err_len);

void gigasim_free(gigasim_run *r);

#ifdef __cplusplus
}
#endif

#endif
