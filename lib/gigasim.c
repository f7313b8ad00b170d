/*
 * gigasim: the library's public interface (lib/gigasim.h) over the same pieces
 * the command line uses: sim/study/scenario.h to load, sim/study/runner.h to run,
 * sim/core/stats.h for quantiles, sim/study/output.h to write. The app is the site
 * model (models/site/site.h), as for the command line.
 */
#include "gigasim.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
#include "sim/study/netcdf.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/study/runner.h"
#include "sim/study/scenario.h"
#include "sim/core/stats.h"

struct gigasim_run {
    sim_scenario sc;
    sim_layout lay;
    sim_results res;
    sim_facts facts;
    char *file;
};

static const sim_app *const APP = &site_app;

const char *gigasim_version(void) { return GIGASIM_VERSION; }

static void copy_err(char *err, size_t n, const sim_err *e)
{
    if (err && n)
        snprintf(err, n, "%s", e->msg);
}

gigasim_run *gigasim_run_scenario(const char *scenario_file, const char *const *sets, long n_reps, unsigned threads,
                                  char *err, size_t err_len)
{
    sim_err e;
    /* GSL's default handler aborts the program; every GSL result is checked where it is used */
    gsl_set_error_handler_off();
    if (!scenario_file) {
        sim_errf(&e, "no scenario file given");
        copy_err(err, err_len, &e);
        return NULL;
    }
    if (n_reps < 0) {
        sim_errf(&e, "%s: replications must be 0 (the scenario's) or more (got %ld)", scenario_file, n_reps);
        copy_err(err, err_len, &e);
        return NULL;
    }
    gigasim_run *r = sim_calloc(1, sizeof *r, &e);
    int n_sets = 0;
    while (sets && sets[n_sets])
        n_sets++;
    if (!r || !(r->file = sim_strdup(scenario_file, &e)) || sim_scenario_load(APP, scenario_file, sets, n_sets, &r->sc, &e)) {
        copy_err(err, err_len, &e);
        if (r)
            free(r->file);
        free(r);
        return NULL;
    }
    APP->layout(r->sc.model, &r->lay);
    size_t n = n_reps > 0 ? (size_t)n_reps : (size_t)r->sc.n_reps;
    if (sim_run_replications(APP, r->sc.model, &r->lay, r->sc.seed, n, threads ? threads : sim_default_threads(), false,
                             &r->res, &e)) {
        copy_err(err, err_len, &e);
        gigasim_free(r);
        return NULL;
    }
    if (APP->facts)
        APP->facts(r->sc.model, r->res.metrics, r->res.n_reps, &r->facts);
    return r;
}

const char *gigasim_name(const gigasim_run *r) { return r->sc.name; }
unsigned long long gigasim_seed(const gigasim_run *r) { return (unsigned long long)r->sc.seed; }
size_t gigasim_replications(const gigasim_run *r) { return r->res.n_reps; }
size_t gigasim_metric_count(void) { return APP->n_metrics; }
const char *gigasim_metric_name(size_t i) { return i < APP->n_metrics ? APP->metrics[i].name : NULL; }
const char *gigasim_metric_unit(size_t i) { return i < APP->n_metrics ? APP->metrics[i].unit : NULL; }
const char *gigasim_metric_description(size_t i) { return i < APP->n_metrics ? APP->metrics[i].description : NULL; }
const char *gigasim_currency(const gigasim_run *r) { return r->lay.currency ? r->lay.currency : ""; }

int gigasim_value(const gigasim_run *r, size_t rep, const char *metric, double *out)
{
    int m = sim_metric_find(r->lay.metrics, r->lay.n_metrics, metric);
    if (m < 0 || rep >= r->res.n_reps)
        return -1;
    *out = r->res.metrics[rep * r->lay.n_metrics + (size_t)m];
    return 0;
}

int gigasim_quantile(const gigasim_run *r, const char *metric, double q, double *out)
{
    int m = sim_metric_find(r->lay.metrics, r->lay.n_metrics, metric);
    if (m < 0 || !(q >= 0 && q <= 1))
        return -1;
    size_t n = r->res.n_reps;
    sim_err e;
    double *v = sim_calloc(n ? n : 1, sizeof *v, &e);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double x = r->res.metrics[i * r->lay.n_metrics + (size_t)m];
        v[i] = isnan(x) ? INFINITY : x; /* not reached: later than any reached */
    }
    gsl_sort(v, 1, n);
    *out = n ? sim_quantile_sorted(v, n, q) : NAN;
    free(v);
    return 0;
}

int gigasim_reached(const gigasim_run *r, const char *metric, size_t *n_reached)
{
    int m = sim_metric_find(r->lay.metrics, r->lay.n_metrics, metric);
    if (m < 0)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < r->res.n_reps; i++)
        k += isfinite(r->res.metrics[i * r->lay.n_metrics + (size_t)m]) != 0;
    *n_reached = k;
    return 0;
}

int gigasim_write(const gigasim_run *r, const char *dir, char *err, size_t err_len)
{
    return gigasim_write_with(r, dir, 0, err, err_len);
}

int gigasim_write_with(const gigasim_run *r, const char *dir, int netcdf, char *err, size_t err_len)
{
    sim_err e;
    sim_run_info info = {r->sc.name, r->file, r->sc.seed, &r->facts};
    sim_outdir od; /* series.nc first, then the other files, committed together (as gigasim run does) */
    if (sim_outdir_begin(&od, dir, &e)) {
        copy_err(err, err_len, &e);
        return -1;
    }
    char nc[4200];
    snprintf(nc, sizeof nc, "%s/series.nc", od.tmp);
    int rc = netcdf ? sim_write_netcdf(nc, &info, &r->lay, &r->res, &e) : 0;
    if (rc == 0)
        rc = sim_write_outputs_into(&od, r->sc.cfg, &info, &r->lay, &r->res, NULL, NULL, &e);
    sim_outdir_abort(&od);
    if (rc)
        copy_err(err, err_len, &e);
    return rc ? -1 : 0;
}

void gigasim_free(gigasim_run *r)
{
    if (!r)
        return;
    sim_results_free(&r->res);
    sim_scenario_free(APP, &r->sc);
    free(r->file);
    free(r);
}
