#include "sim/study/mpi.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config/inputs.h"
#include "sim/study/output.h"

#ifdef GIGASIM_MPI
#include <mpi.h>

static int g_rank = 0, g_size = 1, g_on = 0;

void sim_mpi_start(int *argc, char ***argv)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_on = 1;
}

void sim_mpi_end(void)
{
    if (g_on)
        MPI_Finalize();
    g_on = 0;
}

int sim_mpi_rank(void) { return g_rank; }
int sim_mpi_size(void) { return g_size; }

int sim_mpi_agree(int rc, sim_err *err)
{
    if (g_size == 1)
        return rc;
    int mine = rc ? g_rank : INT_MAX, lowest;
    MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (lowest == INT_MAX)
        return 0;
    MPI_Bcast(err->msg, (int)sizeof err->msg, MPI_CHAR, lowest, MPI_COMM_WORLD);
    return -1;
}

int sim_mpi_same_job(const char *manifest, size_t len, const char *what, sim_err *err)
{
    if (g_size == 1)
        return 0;
    unsigned long long n0 = len;
    MPI_Bcast(&n0, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    int rc = 0;
    char *theirs = n0 < (size_t)INT_MAX ? sim_alloc(n0 + 1, NULL) : NULL;
    if (!theirs)
        rc = sim_errf(err, "%s: out of memory comparing rank 0's job (%llu bytes) with rank %d's", what, n0, g_rank);
    int ok = theirs != NULL, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (all) {
        if (g_rank == 0)
            memcpy(theirs, manifest, n0);
        MPI_Bcast(theirs, (int)n0, MPI_CHAR, 0, MPI_COMM_WORLD);
        theirs[n0] = '\0';
        if (g_rank != 0 && (n0 != len || memcmp(theirs, manifest, len) != 0)) {
            char why[800], me[32];
            snprintf(me, sizeof me, "rank %d", g_rank);
            sim_manifest_difference(theirs, "rank 0", manifest, me, why, sizeof why);
            rc = sim_errf(err, "%s: rank %d did not load the job rank 0 loaded (%s): each rank must read the same "
                               "files",
                          what, g_rank, why);
        }
    }
    free(theirs);
    return sim_mpi_agree(rc, err);
}

static size_t block_lo(size_t n, int r) { return n * (size_t)r / (size_t)g_size; }

int sim_mpi_run(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t n_reps,
                unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err)
{
    return sim_mpi_run_from(app, model, lay, seed, 0, n_reps, threads, progress, out, part, err);
}

int sim_mpi_run_from(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t first,
                     size_t n_reps, unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err)
{
    memset(part, 0, sizeof *part);
    memset(out, 0, sizeof *out);
    if (g_size == 1)
        return sim_run_replication_range(app, model, lay, seed, first, n_reps, threads, progress, out, err);
    size_t lo = block_lo(n_reps, g_rank), hi = block_lo(n_reps, g_rank + 1), nm = lay->n_metrics;
    part->first = lo;
    part->n_total = n_reps;
    int rc = 0;
    if (hi > lo)
        rc = sim_run_replication_range(app, model, lay, seed, first + lo, hi - lo, threads, progress && g_rank == 0,
                                       &part->mine, err);
    else
        part->mine.n_reps = 0;
    size_t nt = sim_table_cells(lay);
    if (rc == 0 && !(out->metrics = sim_calloc(n_reps * nm, sizeof(double), err)))
        rc = -1;
    if (rc == 0 && nt && !(out->table = sim_calloc(n_reps * nt, sizeof(double), err)))
        rc = -1;
    if (sim_mpi_agree(rc, err)) {
        sim_mpi_part_free(part);
        sim_results_free(out);
        return -1;
    }
    if (n_reps * (nm > nt ? nm : nt) > (size_t)INT_MAX) {
        sim_results_free(out);
        sim_mpi_part_free(part);
        return sim_errf(err, "%zu replications x %zu metrics: too many for one exchange", n_reps, nm > nt ? nm : nt);
    }
    /* every rank's metrics, then its tables, to every rank */
    struct { const double *mine; double *all; size_t per; } ex[2] = {{part->mine.metrics, out->metrics, nm},
                                                                    {part->mine.table, out->table, nt}};
    int *counts = sim_calloc((size_t)g_size, sizeof *counts, err), *displs = sim_calloc((size_t)g_size, sizeof *displs, err);
    for (int k = 0; k < 2 && counts && displs; k++) {
        if (ex[k].per == 0)
            continue;
        for (int r = 0; r < g_size; r++) {
            counts[r] = (int)((block_lo(n_reps, r + 1) - block_lo(n_reps, r)) * ex[k].per);
            displs[r] = (int)(block_lo(n_reps, r) * ex[k].per);
        }
        MPI_Allgatherv(ex[k].mine, counts[g_rank], MPI_DOUBLE, ex[k].all, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    }
    free(counts);
    free(displs);
    out->n_reps = n_reps;
    return 0;
}

int sim_mpi_share_points(int rc, double *y, size_t nm, size_t np, sim_err *err)
{
    if (sim_mpi_agree(rc, err))
        return -1;
    if (g_size == 1)
        return 0;
    size_t mine = 0;
    for (size_t p = (size_t)g_rank; p < np; p += (size_t)g_size)
        mine++;
    double *send = sim_alloc((mine * nm + 1) * sizeof *send, NULL), *all = sim_alloc((np * nm + 1) * sizeof *all, NULL);
    int *counts = sim_calloc((size_t)g_size, sizeof *counts, NULL), *displs = sim_calloc((size_t)g_size, sizeof *displs, NULL);
    int bad = !send || !all || !counts || !displs || np * nm > (size_t)INT_MAX;
    if (sim_mpi_agree(bad ? sim_errf(err, "out of memory sharing %zu points' figures", np) : 0, err)) {
        free(send);
        free(all);
        free(counts);
        free(displs);
        return -1;
    }
    size_t o = 0;
    for (size_t p = (size_t)g_rank; p < np; p += (size_t)g_size)
        for (size_t m = 0; m < nm; m++)
            send[o++] = y[m * np + p];
    size_t off = 0;
    for (int r = 0; r < g_size; r++) {
        size_t c = 0;
        for (size_t p = (size_t)r; p < np; p += (size_t)g_size)
            c++;
        counts[r] = (int)(c * nm);
        displs[r] = (int)off;
        off += c * nm;
    }
    MPI_Allgatherv(send, counts[g_rank], MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    for (int r = 0; r < g_size; r++) {
        size_t i = (size_t)displs[r];
        for (size_t p = (size_t)r; p < np; p += (size_t)g_size)
            for (size_t m = 0; m < nm; m++)
                y[m * np + p] = all[i++];
    }
    free(send);
    free(all);
    free(counts);
    free(displs);
    return 0;
}

/* The series exchanged so that this rank holds every replication's steps of its block [s0, s1), in rows of
 * ns doubles (to rank q: each own replication's steps of q's block), and those rows written to f. */
static int exchange_rows(FILE *f, const sim_layout *lay, const sim_mpi_part *part, size_t n, sim_err *err)
{
    size_t ns = lay->n_series, steps = lay->n_steps;
    size_t s0 = steps * (size_t)g_rank / (size_t)g_size, s1 = steps * (size_t)(g_rank + 1) / (size_t)g_size;
    int rc = 0;
    MPI_Datatype row;
    MPI_Type_contiguous((int)ns, MPI_DOUBLE, &row);
    MPI_Type_commit(&row);
    size_t mine_n = part->mine.n_reps;
    int *sc = sim_calloc((size_t)g_size, sizeof *sc, NULL), *sd = sim_calloc((size_t)g_size, sizeof *sd, NULL);
    int *rcn = sim_calloc((size_t)g_size, sizeof *rcn, NULL), *rd = sim_calloc((size_t)g_size, sizeof *rd, NULL);
    double *send = sim_alloc((mine_n * steps * ns + 1) * sizeof *send, NULL);
    double *recv = sim_alloc((n * (s1 - s0) * ns + 1) * sizeof *recv, NULL);
    if (!sc || !sd || !rcn || !rd || !send || !recv || n * steps > (size_t)INT_MAX)
        rc = sim_errf(err, "series of %zu replications x %zu steps: out of memory or too large for one exchange", n,
                      steps);
    if (sim_mpi_agree(rc, err) == 0) {
        size_t off = 0, roff = 0;
        for (int q = 0; q < g_size; q++) {
            size_t q0 = steps * (size_t)q / (size_t)g_size, q1 = steps * (size_t)(q + 1) / (size_t)g_size;
            sd[q] = (int)(off / ns);
            for (size_t i = 0; i < mine_n; i++) {
                memcpy(send + off, part->mine.series + (i * steps + q0) * ns, (q1 - q0) * ns * sizeof *send);
                off += (q1 - q0) * ns;
            }
            sc[q] = (int)(off / ns) - sd[q];
        }
        for (int p = 0; p < g_size; p++) {
            size_t p_n = block_lo(n, p + 1) - block_lo(n, p);
            rd[p] = (int)roff;
            rcn[p] = (int)(p_n * (s1 - s0));
            roff += (size_t)rcn[p];
        }
        MPI_Alltoallv(send, sc, sd, row, recv, rcn, rd, row, MPI_COMM_WORLD);
        rc = sim_series_rows(f, lay, recv, n, s0, s1 - s0, err);
    } else
        rc = -1;
    MPI_Type_free(&row);
    free(sc);
    free(sd);
    free(rcn);
    free(rd);
    free(send);
    free(recv);
    return rc;
}

/* Each rank's rows' text gathered on rank 0 in rank order (there: *text, *len). */
static int gather_text(char *mine_txt, size_t mine_len, char **text, size_t *len, sim_err *err)
{
    int rc = 0, my = (int)mine_len, *lens = NULL, *displs = NULL;
    if (mine_len > (size_t)INT_MAX)
        rc = sim_errf(err, "series.csv's rows: more than 2 GB on one rank");
    if (g_rank == 0) {
        lens = sim_calloc((size_t)g_size, sizeof *lens, NULL);
        displs = sim_calloc((size_t)g_size, sizeof *displs, NULL);
    }
    MPI_Gather(&my, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
    char *all = NULL;
    size_t total = 0;
    if (g_rank == 0) {
        for (int p = 0; p < g_size; p++) {
            displs[p] = (int)total;
            total += (size_t)lens[p];
        }
        all = sim_alloc(total + 1, NULL);
    }
    MPI_Gatherv(mine_txt, my, MPI_CHAR, all, lens, displs, MPI_CHAR, 0, MPI_COMM_WORLD);
    free(lens);
    free(displs);
    if (g_rank == 0) {
        all[total] = '\0';
        *text = all;
        *len = total;
    }
    return sim_mpi_agree(rc, err);
}

int sim_mpi_series_text(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part, char **text,
                        size_t *len, sim_err *err)
{
    *text = NULL;
    *len = 0;
    size_t n = g_size == 1 ? res->n_reps : part->n_total;
    char *mine_txt = NULL;
    size_t mine_len = 0;
    FILE *f = open_memstream(&mine_txt, &mine_len);
    if (!f)
        return sim_errf(err, "out of memory for series.csv's rows");
    if (g_rank == 0)
        sim_series_header(f, lay, n > 1);
    int rc = g_size == 1 ? sim_series_rows(f, lay, res->series, n, 0, lay->n_steps, err)
                         : exchange_rows(f, lay, part, n, err);
    if (fclose(f) != 0 && rc == 0)
        rc = sim_errf(err, "out of memory for series.csv's rows");
    if (g_size > 1) {
        if (sim_mpi_agree(rc, err)) {
            free(mine_txt);
            return -1;
        }
        rc = gather_text(mine_txt, mine_len, text, len, err);
        free(mine_txt);
        return rc;
    }
    if (rc) {
        free(mine_txt);
        return -1;
    }
    *text = mine_txt;
    *len = mine_len;
    return 0;
}

int sim_mpi_each_replication(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part,
                             sim_replication_fn fn, void *ctx, sim_err *err)
{
    size_t per = lay->n_steps * lay->n_series;
    if (g_size == 1) {
        for (size_t i = 0; i < res->n_reps; i++)
            if (fn(ctx, i, res->series + i * per, err))
                return -1;
        return 0;
    }
    size_t n = part->n_total;
    double *buf = NULL;
    int rc = 0;
    if (per > (size_t)INT_MAX)
        rc = sim_errf(err, "a replication's series: %zu values, too many for one message", per);
    else if (g_rank == 0 && !(buf = sim_alloc((per + 1) * sizeof *buf, NULL)))
        rc = sim_err_oom_for(err, "a replication's series");
    if (sim_mpi_agree(rc, err)) {
        free(buf);
        return -1;
    }
    if (g_rank != 0) {
        for (size_t i = 0; i < part->mine.n_reps; i++)
            MPI_Send(part->mine.series + i * per, (int)per, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
    } else {
        int owner = 0;
        for (size_t i = 0; i < n; i++) {
            while (i >= block_lo(n, owner + 1))
                owner++;
            const double *row = buf;
            if (owner == 0)
                row = part->mine.series + (i - part->first) * per;
            else
                MPI_Recv(buf, (int)per, MPI_DOUBLE, owner, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (rc == 0)
                rc = fn(ctx, i, row, err);
        }
    }
    free(buf);
    return sim_mpi_agree(rc, err);
}

#else /* one process */

void sim_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}
void sim_mpi_end(void) {}
int sim_mpi_rank(void) { return 0; }
int sim_mpi_size(void) { return 1; }
int sim_mpi_agree(int rc, sim_err *err)
{
    (void)err;
    return rc;
}

int sim_mpi_same_job(const char *manifest, size_t len, const char *what, sim_err *err)
{
    (void)manifest;
    (void)len;
    (void)what;
    (void)err;
    return 0;
}

int sim_mpi_share_points(int rc, double *y, size_t nm, size_t np, sim_err *err)
{
    (void)y;
    (void)nm;
    (void)np;
    (void)err;
    return rc;
}

int sim_mpi_run(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t n_reps,
                unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err)
{
    memset(part, 0, sizeof *part);
    return sim_run_replications(app, model, lay, seed, n_reps, threads, progress, out, err);
}

int sim_mpi_run_from(const sim_app *app, const void *model, const sim_layout *lay, uint64_t seed, size_t first,
                     size_t n_reps, unsigned threads, bool progress, sim_results *out, sim_mpi_part *part, sim_err *err)
{
    memset(part, 0, sizeof *part);
    return sim_run_replication_range(app, model, lay, seed, first, n_reps, threads, progress, out, err);
}

int sim_mpi_series_text(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part, char **text,
                        size_t *len, sim_err *err)
{
    (void)part;
    FILE *f = open_memstream(text, len);
    if (!f)
        return sim_errf(err, "out of memory for series.csv");
    sim_series_header(f, lay, res->n_reps > 1);
    int rc = sim_series_rows(f, lay, res->series, res->n_reps, 0, lay->n_steps, err);
    if (fclose(f) != 0 && rc == 0)
        rc = sim_errf(err, "out of memory for series.csv");
    if (rc) {
        free(*text);
        *text = NULL;
    }
    return rc;
}

int sim_mpi_each_replication(const sim_layout *lay, const sim_results *res, const sim_mpi_part *part,
                             sim_replication_fn fn, void *ctx, sim_err *err)
{
    (void)part;
    size_t per = lay->n_steps * lay->n_series;
    for (size_t i = 0; i < res->n_reps; i++)
        if (fn(ctx, i, res->series + i * per, err))
            return -1;
    return 0;
}

#endif

void sim_mpi_part_free(sim_mpi_part *part) { sim_results_free(&part->mine); }
