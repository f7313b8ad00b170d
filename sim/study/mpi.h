/*
 * mpi: replications shared across MPI ranks (Open MPI), each rank on its
 * threads, with the same bytes as one process. Built in only by `make mpi`
 * (-DGIGASIM_MPI, mpicc); in the plain build every function is the
 * one-process case (rank 0 of 1) and nothing here costs anything.
 *
 * A run of N replications: rank r of P runs the contiguous block
 * [N r / P, N (r + 1) / P) on its threads (replication i always on the
 * streams of (seed, i)); every rank then holds every replication's metrics
 * (an all-gather, in replication order: the summaries, sweeps and
 * sensitivity points need nothing else). The series stay where they were
 * made until series.csv is written: an all-to-all gives rank q every
 * replication's values for its block of steps [S q / P, S (q + 1) / P), it
 * computes those rows' quantiles, and rank 0 gathers the rows' text. No
 * rank holds every replication's series: each holds about 2 N S / P of
 * them. A sensitivity study shares out whole points instead
 * (sim_mpi_share_points). Only rank 0 writes files and prints.
 */
#ifndef SIM_MPI_H
#define SIM_MPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/app.h"
#include "sim/study/runner.h"

void sim_mpi_start(int *argc, char ***argv);
void sim_mpi_end(void);
int sim_mpi_rank(void);
int sim_mpi_size(void);

/* The failure of any rank, agreed by all: 0 when every rc is 0; otherwise
 * -1 everywhere, with err the message of the lowest failing rank. */
int sim_mpi_agree(int rc, sim_err *err);

/* Every rank loaded the job rank 0 loaded: its manifest (sim/config/inputs.h:
 * the resolved scenario and every file read, with their SHA-256) is rank
 * 0's, byte for byte. Else -1 on every rank, the message naming the rank
 * and what differs (what: the scenario, for the message). */
int sim_mpi_same_job(const char *manifest, size_t len, const char *what, sim_err *err);

/* A run's replications shared out. out->metrics: every replication's; with
 * more than one rank out->series is NULL and this rank's own series are in
 * *mine (rows first .. first + mine->n_reps - 1). */
typedef struct sim_mpi_part {
    sim_results mine;
    size_t first, n_total;
} sim_mpi_part;

int sim_mpi_run(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t n_reps,
                unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err);
/* The same for replications first .. first + n_reps - 1 (out's row r is replication first + r): a study that
 * adds replications to a candidate it has run. */
int sim_mpi_run_from(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t first,
                     size_t n_reps, unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err);
void sim_mpi_part_free(sim_mpi_part *part);

/* Points shared out round-robin (point p on rank p mod P): y[m np + p] of
 * this rank's points to every rank, exactly (a gather, not a sum), after
 * agreeing on rc as sim_mpi_agree. */
int sim_mpi_share_points(int rc, double *y, size_t nm, size_t np, sim_err *err);

/* series.csv's text (header and rows), distributed: every rank calls it;
 * rank 0 gets the text (malloc'd), the others NULL. With one rank, from
 * res's series. */
int sim_mpi_series_text(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part, char **text,
                        size_t *len, sim_err *err);

/* Every replication's series (n_steps rows of n_series) to fn on rank 0, in
 * replication order: every rank calls it and sends its own replications to
 * rank 0 one at a time, so rank 0 holds one other rank's replication at a
 * time. After fn fails rank 0 still receives the rest (no rank waits
 * forever); the result is agreed by all. With one rank, from res->series. */
typedef int (*sim_replication_fn)(void *ctx, size_t rep, const double *series, sim_err *err);
int sim_mpi_each_replication(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part,
                             sim_replication_fn fn, void *ctx, sim_err *err);

#endif
