#include "sim/study/sensitivity.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/study/runner.h"
#include "sim/study/sobol.h"
#include "sim/study/sweep.h"

double sim_sens_value(const sim_sens_input *in, double u)
{
    if (in->kind == SIM_SENS_QUANTILE) /* an unbounded law has no 0 or 1 quantile */
        return sim_dist_quantile(&in->dist, fmin(SIM_SENS_QMAX, fmax(1 - SIM_SENS_QMAX, u)));
    double v = in->low + u * (in->high - in->low);
    return in->integer ? round(v) : v;
}

/* The default figures: the app's ranking figures, then those it marks for a study. */
static size_t default_metrics(const sim_layout *lay, int *idx, size_t max)
{
    size_t n = 0;
    for (size_t m = 0; m < lay->n_metrics && n < max; m++)
        if (lay->metrics[m].flags & SIM_METRIC_RANKING)
            idx[n++] = (int)m;
    for (size_t m = 0; m < lay->n_metrics && n < max; m++)
        if ((lay->metrics[m].flags & SIM_METRIC_STUDY) && !(lay->metrics[m].flags & SIM_METRIC_RANKING))
            idx[n++] = (int)m;
    return n;
}

/* A point's figure: the mean over its replications; a day not reached
 * counts at the horizon; another figure not reached is left out of the mean. */
static double point_value(const sim_study_run *r, int m)
{
    const sim_layout *lay = &r->lay;
    bool day = lay->metrics[m].flags & SIM_METRIC_DAY;
    double horizon = (double)lay->n_steps * lay->step_days, sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < r->res.n_reps; i++) {
        double v = r->res.metrics[i * lay->n_metrics + (size_t)m];
        if (!isfinite(v) && day)
            v = horizon;
        if (isfinite(v)) {
            sum += v;
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

typedef struct ranked {
    size_t input;
    double key; /* ST or mu* */
} ranked;

static int by_key_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return x->input < y->input ? -1 : x->input > y->input;
}

static const char *kind_name(sim_sens_kind k)
{
    return k == SIM_SENS_QUANTILE ? "quantile" : k == SIM_SENS_RANGE ? "range" : "factor";
}

/* A study under way: its inputs, options, designs and every point's figures. */
typedef struct study {
    const sim_sens_input *in;
    size_t k;
    const sim_sens_opts *o;
    const sim_layout *lay;
    int midx[16]; /* the figures analysed */
    size_t nm;
    sim_sobol_design sd;
    sim_morris_design md;
    size_t np;  /* points */
    double *y;  /* y[m * np + p]: figure m at point p */
    double *u;  /* one point's coordinates in [0, 1) */
} study;

/* The figures: those asked for, or the app's defaults. */
static int study_figures(study *st, sim_err *err)
{
    const sim_sens_opts *o = st->o;
    st->nm = 0;
    if (o->n_metrics == 0)
        st->nm = default_metrics(st->lay, st->midx, 16);
    for (size_t m = 0; m < o->n_metrics; m++) {
        st->midx[st->nm] = sim_metric_find(st->lay->metrics, st->lay->n_metrics, o->metrics[m]);
        if (st->midx[st->nm] < 0)
            return sim_errf(err, "--metric %s: no such metric (gigasim metrics lists them)", o->metrics[m]);
        st->nm++;
    }
    return 0;
}

/* Point p's coordinates into st->u. */
static void study_point(study *st, size_t p)
{
    if (st->o->morris)
        memcpy(st->u, st->md.u + p * st->k, st->k * sizeof *st->u);
    else
        sim_sobol_point(&st->sd, p, st->u);
}

/* This part's share of the points (o->part of o->parts: every parts-th point), each point's figures into st->y. */
static int study_run_points(study *st, sim_sens_point_fn run, void *ctx, sim_err *err)
{
    size_t k = st->k, np = st->np, parts = st->o->parts ? st->o->parts : 1;
    char (*sets)[320] = sim_calloc(k, sizeof *sets, err);
    const char **set_ptr = sim_calloc(k, sizeof *set_ptr, err);
    int rc = 0;
    if (!sets || !set_ptr)
        rc = sim_err_oom_for(err, "a sensitivity study of %zu inputs x %zu points", k, np);
    for (size_t p = st->o->part; p < np && rc == 0; p += parts) {
        study_point(st, p);
        for (size_t i = 0; i < k; i++) {
            double v = sim_sens_value(&st->in[i], st->u[i]);
            snprintf(sets[i], sizeof sets[i], "%s%s=%.17g", st->in[i].key, st->in[i].kind == SIM_SENS_FACTOR ? "*" : "",
                     v);
            set_ptr[i] = sets[i];
        }
        sim_study_run r;
        memset(&r, 0, sizeof r);
        if ((rc = run(ctx, set_ptr, k, p + 1, np, &r, err)) != 0) {
            sim_err_prefix(err, "point %zu of %zu", p + 1, np);
            break;
        }
        for (size_t m = 0; m < st->nm; m++)
            st->y[m * np + p] = point_value(&r, st->midx[m]);
        sim_results_free(&r.res);
        if (sim_interrupted())
            rc = sim_errf(err, "interrupted after %zu of %zu points: no output written", p + 1, np);
    }
    free(sets);
    free(set_ptr);
    return rc;
}

/* points.csv: every point's coordinates, inputs and figures. */
static int study_write_points(study *st, const char *path, sim_err *err)
{
    FILE *pf = sim_create_file(path, NULL);
    if (!pf)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    fputs("point", pf);
    for (size_t i = 0; i < st->k; i++)
        fprintf(pf, ",u_%s,%s", st->in[i].key, st->in[i].key);
    for (size_t m = 0; m < st->nm; m++)
        fprintf(pf, ",%s", st->lay->metrics[st->midx[m]].name);
    fputc('\n', pf);
    for (size_t p = 0; p < st->np; p++) {
        study_point(st, p);
        fprintf(pf, "%zu", p);
        for (size_t i = 0; i < st->k; i++) {
            sim_csv_num(pf, st->u[i]);
            sim_csv_num(pf, sim_sens_value(&st->in[i], st->u[i]));
        }
        for (size_t m = 0; m < st->nm; m++)
            sim_csv_num(pf, st->y[m * st->np + p]);
        fputc('\n', pf);
    }
    if (ferror(pf) | (fclose(pf) != 0))
        return sim_errf(err, "%s: write failed", path);
    return 0;
}

/* sensitivity.json's head: the study and its inputs. */
static cJSON *study_json_head(const study *st, const char *scenario_file, const char *scenario_name, uint64_t seed,
                              size_t reps)
{
    const sim_sens_opts *o = st->o;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "mode", o->morris ? "morris" : "sobol");
    cJSON_AddStringToObject(root, "scenario_file", scenario_file);
    cJSON_AddStringToObject(root, "scenario", scenario_name);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "replications", (double)reps);
    cJSON_AddNumberToObject(root, "samples", (double)o->samples);
    cJSON_AddNumberToObject(root, "points", (double)st->np);
    if (!o->morris)
        cJSON_AddNumberToObject(root, "bootstrap", (double)o->bootstrap);
    cJSON *ins = cJSON_AddArrayToObject(root, "inputs");
    for (size_t i = 0; i < st->k; i++) {
        cJSON *x = cJSON_CreateObject();
        char label[300];
        sim_key_label(st->in[i].key, st->lay->label_skip, label, sizeof label);
        cJSON_AddStringToObject(x, "key", st->in[i].key);
        cJSON_AddStringToObject(x, "label", label);
        cJSON_AddStringToObject(x, "kind", kind_name(st->in[i].kind));
        sim_json_num(x, "low", sim_sens_value(&st->in[i], o->morris ? 0 : 0.5 / (double)o->samples));
        sim_json_num(x, "high", sim_sens_value(&st->in[i], o->morris ? 1 : 1 - 0.5 / (double)o->samples));
        cJSON_AddItemToArray(ins, x);
    }
    return root;
}

/* One input's indices for figure m: its JSON object, its CSV row and (the first figure) its printed row. */
static cJSON *study_index_row(const study *st, size_t m, size_t i, const sim_sobol_index *sx,
                              const sim_morris_index *mx, FILE *cf)
{
    const sim_metric *mt = &st->lay->metrics[st->midx[m]];
    char label[300];
    sim_key_label(st->in[i].key, st->lay->label_skip, label, sizeof label);
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "key", st->in[i].key);
    fprintf(cf, "%s,%s,\"%s\"", mt->name, st->in[i].key, label);
    if (st->o->morris) {
        sim_json_num(x, "mu_star", mx[i].mu_star);
        sim_json_num(x, "mu", mx[i].mu);
        sim_json_num(x, "sigma", mx[i].sigma);
        sim_csv_num(cf, mx[i].mu_star);
        sim_csv_num(cf, mx[i].mu);
        sim_csv_num(cf, mx[i].sigma);
        if (m == 0)
            printf("%-60.60s %12.4g %12.4g %12.4g\n", label, mx[i].mu_star, mx[i].mu, mx[i].sigma);
    } else {
        double v6[6] = {sx[i].s1, sx[i].s1_lo, sx[i].s1_hi, sx[i].st, sx[i].st_lo, sx[i].st_hi};
        static const char *const names[6] = {"s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"};
        for (int q = 0; q < 6; q++) {
            sim_json_num(x, names[q], v6[q]);
            sim_csv_num(cf, v6[q]);
        }
        if (m == 0)
            printf("%-60.60s %6.3f [%6.3f, %6.3f] %6.3f [%6.3f, %6.3f]\n", label, v6[0], v6[1], v6[2], v6[3], v6[4],
                   v6[5]);
    }
    fputc('\n', cf);
    return x;
}

/* Every figure's indices: into sensitivity.csv (cf), root's "metrics", and the first figure's table on stdout. */
static int study_indices(study *st, cJSON *root, FILE *cf, const char *scenario_file, uint64_t seed, size_t reps,
                         sim_err *err)
{
    const sim_sens_opts *o = st->o;
    size_t k = st->k, np = st->np;
    int rc = 0;
    cJSON *mets = cJSON_AddArrayToObject(root, "metrics");
    sim_sobol_index *sx = sim_calloc(k, sizeof *sx, err);
    sim_morris_index *mx = sim_calloc(k, sizeof *mx, err);
    ranked *rk = sim_calloc(k, sizeof *rk, err);
    for (size_t m = 0; m < st->nm && rc == 0; m++) {
        const sim_metric *mt = &st->lay->metrics[st->midx[m]];
        const double *ym = st->y + m * np;
        double var = 0, mean = 0;
        for (size_t p = 0; p < np; p++)
            mean += ym[p] / (double)np;
        if (!sx || !mx || !rk)
            rc = sim_err_oom_for(err, "the indices");
        else if (o->morris)
            rc = sim_morris_indices(&st->md, ym, mx, err);
        else {
            if (!o->quiet && o->part == 0 && o->bootstrap >= 100000)
                fprintf(stderr, "gigasim: %s: %zu bootstrap resamples of the indices\n", mt->name, o->bootstrap);
            rc = sim_sobol_indices(&st->sd, ym, o->bootstrap, seed, sx, &var, err);
        }
        if (rc && sim_interrupted())
            break; /* said as it is, without the figure's name */
        if (rc) {
            sim_err_prefix(err, "%s", mt->name);
            break;
        }
        for (size_t i = 0; i < k; i++)
            rk[i] = (ranked){i, o->morris ? mx[i].mu_star : sx[i].st};
        qsort(rk, k, sizeof *rk, by_key_desc);
        cJSON *mo = cJSON_CreateObject();
        cJSON_AddStringToObject(mo, "name", mt->name);
        cJSON_AddStringToObject(mo, "unit", mt->unit);
        sim_json_num(mo, "mean", mean);
        if (!o->morris)
            sim_json_num(mo, "variance", var);
        cJSON *ixs = cJSON_AddArrayToObject(mo, "indices");
        if (m == 0) {
            printf("%s of %s (%s, %zu points x %zu replications%s)\n", o->morris ? "Morris screening" : "Sobol' indices",
                   mt->name, scenario_file, np, reps, o->morris ? "" : ", 95 % bootstrap intervals");
            if (o->morris)
                printf("%-60s %12s %12s %12s\n", "input", "mu*", "mu", "sigma");
            else
                printf("%-60s %22s %22s\n", "input", "first order S1", "total ST");
        }
        for (size_t t = 0; t < k; t++)
            cJSON_AddItemToArray(ixs, study_index_row(st, m, rk[t].input, sx, mx, cf));
        cJSON_AddItemToArray(mets, mo);
    }
    free(sx);
    free(mx);
    free(rk);
    return rc;
}

int sim_sensitivity(const sim_sens_input *in, size_t k, const sim_sens_opts *o, const sim_layout *lay,
                    const char *scenario_file, const char *scenario_name, uint64_t seed, size_t reps, sim_sens_point_fn run, void *ctx,
                    const char *dir, sim_err *err)
{
    if (k == 0)
        return sim_errf(err, "%s: no uncertain input: the scenario has no distribution, and no --vary was given",
                        scenario_file);
    if (k > SIM_SENS_MAX_INPUTS)
        return sim_errf(err, "%s: %zu inputs, at most %d", scenario_file, k, SIM_SENS_MAX_INPUTS);
    study st;
    memset(&st, 0, sizeof st);
    st.in = in;
    st.k = k;
    st.o = o;
    st.lay = lay;
    if (study_figures(&st, err))
        return -1;
    /* what the study keeps: every point's figures and inputs, and the bootstrap's indices (the run's cap) */
    double points = (double)o->samples * (double)(k + (o->morris ? 1 : 2));
    double kept = points * (double)(st.nm + k) * sizeof(double) + 2.0 * (double)k * (double)o->bootstrap * sizeof(double);
    if (kept > (double)SIM_MAX_KEPT_BYTES)
        return sim_errf(err, "%s: %.0f points over %zu input(s) would keep %.1f GiB in memory; the cap is %lld GiB: fewer --samples",
                        scenario_file, points, k, kept / (1 << 30), SIM_MAX_KEPT_BYTES >> 30);
    if (o->morris ? sim_morris_design_make(k, o->samples, seed, &st.md, err)
                  : sim_sobol_design_make(k, o->samples, &st.sd, err))
        return -1;
    st.np = o->morris ? sim_morris_points(&st.md) : sim_sobol_points(&st.sd);
    int rc = 0;
    st.y = sim_calloc(st.nm * st.np, sizeof *st.y, err);
    st.u = sim_calloc(k, sizeof *st.u, err);
    cJSON *root = NULL;
    FILE *cf = NULL;
    char path[4200];
    sim_outdir od;
    bool od_open = false;
    if (!st.y || !st.u) {
        rc = sim_err_oom_for(err, "a sensitivity study of %zu inputs x %zu points", k, st.np);
        goto done;
    }
    /* the output directory first: a study of hours does not end on "cannot write" */
    if (sim_outdir_begin(&od, dir, err)) {
        rc = -1;
        goto done;
    }
    od_open = true;
    /* the points: this part's share, then the others' figures from the other parts (o->share) */
    rc = study_run_points(&st, run, ctx, err);
    if (o->share && (rc = o->share(rc, st.y, st.nm, st.np, err)) != 0)
        goto done;
    if (rc)
        goto done;
    snprintf(path, sizeof path, "%s/points.csv", od.tmp);
    if ((rc = study_write_points(&st, path, err)) != 0)
        goto done;
    /* indices, files, table */
    root = study_json_head(&st, scenario_file, scenario_name, seed, reps);
    snprintf(path, sizeof path, "%s/sensitivity.csv", od.tmp);
    cf = root ? sim_create_file(path, NULL) : NULL;
    if (!cf) {
        rc = root ? sim_errf(err, "%s: cannot write: %s", path, strerror(errno)) : sim_errf(err, "out of memory");
        goto done;
    }
    fputs(o->morris ? "metric,key,label,mu_star,mu,sigma\n" : "metric,key,label,s1,s1_lo,s1_hi,st,st_lo,st_hi\n", cf);
    rc = study_indices(&st, root, cf, scenario_file, seed, reps, err);
    if (ferror(cf) | (fclose(cf) != 0) && rc == 0)
        rc = sim_errf(err, "%s: write failed", path);
    cf = NULL;
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/sensitivity.json", od.tmp);
        rc = sim_json_write(root, path, err);
    }
    if (rc == 0)
        rc = sim_outdir_commit(&od, err);
done:
    if (rc && od_open)
        sim_outdir_abort(&od);
    cJSON_Delete(root);
    free(st.y);
    free(st.u);
    sim_sobol_design_free(&st.sd);
    sim_morris_design_free(&st.md);
    return rc;
}
