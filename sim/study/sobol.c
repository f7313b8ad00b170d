#include "sim/study/sobol.h"

#include <signal.h>

#include "sim/core/interrupt.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/rng.h"
#include "sim/core/stats.h"

/* ---------------------------------------------------------------- Sobol' */

int sim_sobol_design_make(size_t k, size_t n, sim_sobol_design *d, sim_err *err)
{
    memset(d, 0, sizeof *d);
    if (k < 1 || n < 2)
        return sim_errf(err, "a Sobol' design needs at least 1 input and 2 samples (got %zu, %zu)", k, n);
    if (2 * k > 1229)
        return sim_errf(err, "at most 614 inputs (got %zu)", k);
    d->k = k;
    d->n = n;
    d->a = sim_calloc(n * k, sizeof *d->a, err);
    d->b = sim_calloc(n * k, sizeof *d->b, err);
    gsl_qrng *q = gsl_qrng_alloc(2 * k <= 40 ? gsl_qrng_sobol : gsl_qrng_reversehalton, (unsigned)(2 * k));
    double *x = sim_calloc(2 * k, sizeof *x, err);
    if (!d->a || !d->b || !q || !x) {
        if (q)
            gsl_qrng_free(q);
        free(x);
        sim_sobol_design_free(d);
        return sim_err_oom_for(err, "a Sobol' design of %zu x %zu", n, k);
    }
    double lo = 0.5 / (double)n, hi = 1 - lo;
    gsl_qrng_get(q, x); /* the first point (the origin) is skipped */
    for (size_t j = 0; j < n; j++) {
        gsl_qrng_get(q, x);
        for (size_t i = 0; i < k; i++) {
            d->a[j * k + i] = fmin(hi, fmax(lo, x[i]));
            d->b[j * k + i] = fmin(hi, fmax(lo, x[k + i]));
        }
    }
    gsl_qrng_free(q);
    free(x);
    return 0;
}

void sim_sobol_design_free(sim_sobol_design *d)
{
    free(d->a);
    free(d->b);
    memset(d, 0, sizeof *d);
}

size_t sim_sobol_points(const sim_sobol_design *d) { return d->n * (d->k + 2); }

void sim_sobol_point(const sim_sobol_design *d, size_t p, double *u)
{
    size_t block = p / d->n, j = p % d->n, k = d->k;
    if (block == 0)
        memcpy(u, d->a + j * k, k * sizeof *u);
    else if (block == 1)
        memcpy(u, d->b + j * k, k * sizeof *u);
    else {
        memcpy(u, d->a + j * k, k * sizeof *u);
        u[block - 2] = d->b[j * k + block - 2];
    }
}

/* S1 and ST of every input over the rows `rows` (n of them, repeats allowed). */
static double estimate(const sim_sobol_design *d, const double *y, const size_t *rows, double *s1, double *st)
{
    size_t n = d->n, k = d->k;
    const double *ya = y, *yb = y + n;
    double sum = 0, sum2 = 0;
    for (size_t t = 0; t < n; t++) {
        size_t j = rows ? rows[t] : t;
        sum += ya[j] + yb[j];
    }
    double mean = sum / (double)(2 * n);
    for (size_t t = 0; t < n; t++) {
        size_t j = rows ? rows[t] : t;
        sum2 += (ya[j] - mean) * (ya[j] - mean) + (yb[j] - mean) * (yb[j] - mean);
    }
    double v = sum2 / (double)(2 * n - 1);
    for (size_t i = 0; i < k; i++) {
        const double *yab = y + (2 + i) * n;
        double f = 0, t2 = 0;
        for (size_t t = 0; t < n; t++) {
            size_t j = rows ? rows[t] : t;
            f += (yb[j] - mean) * (yab[j] - ya[j]); /* centred: the estimator's spread does not grow with f's mean */
            t2 += (ya[j] - yab[j]) * (ya[j] - yab[j]);
        }
        s1[i] = v > 0 ? f / (double)n / v : 0;
        st[i] = v > 0 ? t2 / (2.0 * (double)n) / v : 0;
    }
    return v;
}

int sim_sobol_indices(const sim_sobol_design *d, const double *y, size_t n_boot, uint64_t seed, sim_sobol_index *out,
                      double *variance, sim_err *err)
{
    size_t n = d->n, k = d->k, np = sim_sobol_points(d);
    for (size_t p = 0; p < np; p++)
        if (!isfinite(y[p]))
            return sim_errf(err, "point %zu of %zu gave no finite value", p, np);
    double *s1 = sim_calloc(k, sizeof *s1, err), *st = sim_calloc(k, sizeof *st, err);
    double *b1 = sim_calloc(k * (n_boot ? n_boot : 1), sizeof *b1, err);
    double *bt = sim_calloc(k * (n_boot ? n_boot : 1), sizeof *bt, err);
    size_t *rows = sim_calloc(n, sizeof *rows, err);
    double *col = sim_calloc(n_boot ? n_boot : 1, sizeof *col, err);
    int rc = 0;
    if (!s1 || !st || !b1 || !bt || !rows || !col) {
        rc = sim_err_oom_for(err, "the bootstrap of %zu x %zu indices", n_boot, k);
        goto done;
    }
    double v = estimate(d, y, NULL, s1, st);
    if (variance)
        *variance = v;
    sim_rng rng = sim_rng_stream(seed, 0, 0x50b01);
    for (size_t b = 0; b < n_boot; b++) {
        if (b % 64 == 0 && sim_interrupted()) {
            rc = sim_errf(err, "interrupted by %s after %zu of %zu bootstrap resamples",
                          sim_interrupt_signal() == SIGINT ? "SIGINT" : "SIGTERM", b, n_boot);
            goto done;
        }
        for (size_t t = 0; t < n; t++)
            rows[t] = (size_t)(sim_rng_uniform(&rng) * (double)n) % n;
        estimate(d, y, rows, b1 + b * k, bt + b * k);
    }
    for (size_t i = 0; i < k; i++) {
        out[i].s1 = s1[i];
        out[i].st = st[i];
        out[i].s1_lo = out[i].s1_hi = out[i].st_lo = out[i].st_hi = NAN; /* no interval without resamples */
        if (n_boot < 2)
            continue;
        for (size_t b = 0; b < n_boot; b++)
            col[b] = b1[b * k + i];
        gsl_sort(col, 1, n_boot);
        out[i].s1_lo = sim_quantile_sorted(col, n_boot, 0.025);
        out[i].s1_hi = sim_quantile_sorted(col, n_boot, 0.975);
        for (size_t b = 0; b < n_boot; b++)
            col[b] = bt[b * k + i];
        gsl_sort(col, 1, n_boot);
        out[i].st_lo = sim_quantile_sorted(col, n_boot, 0.025);
        out[i].st_hi = sim_quantile_sorted(col, n_boot, 0.975);
    }
done:
    free(s1);
    free(st);
    free(b1);
    free(bt);
    free(rows);
    free(col);
    return rc;
}

/* ----------------------------------------------------------------- Morris */

#define MORRIS_LEVELS 4

int sim_morris_design_make(size_t k, size_t r, uint64_t seed, sim_morris_design *d, sim_err *err)
{
    memset(d, 0, sizeof *d);
    if (k < 1 || r < 2)
        return sim_errf(err, "Morris screening needs at least 1 input and 2 trajectories (got %zu, %zu)", k, r);
    d->k = k;
    d->r = r;
    d->u = sim_calloc(r * (k + 1) * k, sizeof *d->u, err);
    d->moved = sim_calloc(r * k, sizeof *d->moved, err);
    d->step = sim_calloc(r * k, sizeof *d->step, err);
    size_t *order = sim_calloc(k, sizeof *order, err);
    if (!d->u || !d->moved || !d->step || !order) {
        free(order);
        sim_morris_design_free(d);
        return sim_err_oom_for(err, "a Morris design of %zu trajectories x %zu inputs", r, k);
    }
    const double delta = MORRIS_LEVELS / (2.0 * (MORRIS_LEVELS - 1)); /* 2/3 */
    sim_rng rng = sim_rng_stream(seed, 0, 0x3044);
    for (size_t t = 0; t < r; t++) {
        double *x = d->u + t * (k + 1) * k;
        /* a start where every input can move by delta up or down within [0, 1] */
        for (size_t i = 0; i < k; i++)
            x[i] = (double)((size_t)(sim_rng_uniform(&rng) * (MORRIS_LEVELS / 2)) % (MORRIS_LEVELS / 2)) /
                   (MORRIS_LEVELS - 1);
        for (size_t i = 0; i < k; i++)
            order[i] = i;
        for (size_t i = k; i > 1; i--) { /* a random order of the inputs */
            size_t j = (size_t)(sim_rng_uniform(&rng) * (double)i) % i;
            size_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t s = 0; s < k; s++) {
            double *cur = x + s * k, *next = x + (s + 1) * k;
            memcpy(next, cur, k * sizeof *cur);
            size_t i = order[s];
            double step = cur[i] + delta <= 1 + 1e-12 ? delta : -delta;
            next[i] = cur[i] + step;
            d->moved[t * k + s] = i;
            d->step[t * k + s] = step;
        }
    }
    free(order);
    return 0;
}

void sim_morris_design_free(sim_morris_design *d)
{
    free(d->u);
    free(d->moved);
    free(d->step);
    memset(d, 0, sizeof *d);
}

size_t sim_morris_points(const sim_morris_design *d) { return d->r * (d->k + 1); }

int sim_morris_indices(const sim_morris_design *d, const double *y, sim_morris_index *out, sim_err *err)
{
    size_t k = d->k, r = d->r;
    for (size_t p = 0; p < sim_morris_points(d); p++)
        if (!isfinite(y[p]))
            return sim_errf(err, "point %zu gave no finite value", p);
    for (size_t i = 0; i < k; i++)
        out[i] = (sim_morris_index){0, 0, 0};
    double *sum2 = sim_calloc(k, sizeof *sum2, err);
    if (!sum2)
        return sim_err_oom_for(err, "Morris indices");
    for (size_t t = 0; t < r; t++)
        for (size_t s = 0; s < k; s++) {
            const double *yy = y + t * (k + 1);
            size_t i = d->moved[t * k + s];
            double ee = (yy[s + 1] - yy[s]) / d->step[t * k + s];
            out[i].mu += ee / (double)r;
            out[i].mu_star += fabs(ee) / (double)r;
            sum2[i] += ee * ee;
        }
    for (size_t i = 0; i < k; i++) {
        double var = r > 1 ? (sum2[i] - (double)r * out[i].mu * out[i].mu) / (double)(r - 1) : 0;
        out[i].sigma = var > 0 ? sqrt(var) : 0;
    }
    free(sum2);
    return 0;
}
