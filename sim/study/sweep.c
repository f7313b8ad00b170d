#include "sim/study/sweep.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/core/interrupt.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/core/stats.h"

/* The figures a sweep reports: the chosen metric (--metric, or the app's
 * first ranking metric) first, then the app's other ranking metrics. */
#define MAX_FIGS 8
typedef struct figures {
    size_t n;
    int index[MAX_FIGS];
    const sim_metric *m[MAX_FIGS];
    const char *const *label_skip; /* the layout's, for the keys' labels */
    char currency[16];             /* the layout's: what a money figure is in ("": none) */
} figures;

typedef struct point {
    double value;
    size_t n_reps;
    sim_summary fig[MAX_FIGS];
} point;

/* Resolves the figures against a run's layout (on the first point). */
static int figures_resolve(figures *fg, const char *metric, const sim_layout *lay, sim_err *err)
{
    if (fg->n)
        return 0;
    int first = -1;
    if (metric) {
        first = sim_metric_find(lay->metrics, lay->n_metrics, metric);
        if (first < 0)
            return sim_errf(err, "--metric %s: no such metric (gigasim metrics lists them)", metric);
    } else {
        for (size_t m = 0; m < lay->n_metrics && first < 0; m++)
            if (lay->metrics[m].flags & SIM_METRIC_RANKING)
                first = (int)m;
        if (first < 0)
            return sim_errf(err, "the model names no metric to sweep: give --metric NAME");
    }
    fg->label_skip = lay->label_skip;
    snprintf(fg->currency, sizeof fg->currency, "%s", lay->currency ? lay->currency : "");
    fg->index[fg->n] = first;
    fg->m[fg->n++] = &lay->metrics[first];
    for (size_t m = 0; m < lay->n_metrics && fg->n < MAX_FIGS; m++)
        if ((lay->metrics[m].flags & SIM_METRIC_RANKING) && (int)m != first) {
            fg->index[fg->n] = (int)m;
            fg->m[fg->n++] = &lay->metrics[m];
        }
    return 0;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

void sim_key_label(const char *key, const char *const *skip, char *buf, size_t n)
{
    char k[256];
    snprintf(k, sizeof k, "%s", key);
    size_t l = strlen(k);
    bool whole = l && k[l - 1] == '*', added = l && k[l - 1] == '+';
    if (whole || added)
        k[--l] = '\0';
    char *seg[16];
    int ns = 0;
    for (char *p = k; ns < 16;) {
        seg[ns++] = p;
        char *d = strchr(p, '.');
        if (!d)
            break;
        *d = '\0';
        p = d + 1;
    }
    int first = 0;
    for (size_t i = 0; skip && skip[i]; i++)
        if (ns - first > 1 && !strcmp(seg[first], skip[i]))
            first++;
    static const char *const Q[][2] = {{"p50", "median"}, {"p90", "P90"}, {"p10", "P10"}, {"mean", "mean"},
                                       {"min", "least"},  {"mode", "mode"}, {"max", "most"},  {"value", ""}};
    const char *qword = NULL;
    for (size_t i = 0; ns - first > 1 && i < sizeof Q / sizeof *Q && !qword; i++)
        if (!strcmp(seg[ns - 1], Q[i][0]))
            qword = Q[i][1], ns--;
    static const char *const U[][2] = {{"_hours_per_year", " (hours a year)"}, {"_days", " (days)"}, {"_mw", " (MW)"},
                                       {"_mwh", " (MWh)"}, {"_per_month", " a month"}};
    size_t off = 0;
    buf[0] = '\0';
    for (int i = first; i < ns && off < n; i++) {
        char part[128];
        snprintf(part, sizeof part, "%s", seg[i]);
        const char *unit = "";
        size_t pl = strlen(part);
        for (size_t u = 0; u < sizeof U / sizeof *U && !*unit; u++) {
            size_t ul = strlen(U[u][0]);
            if (pl > ul && !strcmp(part + pl - ul, U[u][0]))
                unit = U[u][1], part[pl - ul] = '\0';
        }
        for (char *c = part; *c; c++)
            if (*c == '_')
                *c = ' ';
        const char *sep = i == first ? "" : i == first + 1 ? ": " : " ";
        const char *q = i == first + 1 && qword && *qword ? qword : "";
        off += (size_t)snprintf(buf + off, n - off, "%s%s%s%s%s", sep, q, *q ? " " : "", part, unit);
    }
    if (ns - first == 1 && qword && *qword && off < n)
        off += (size_t)snprintf(buf + off, n - off, ", %s", qword);
    if (whole && off < n)
        snprintf(buf + off, n - off, ", whole law");
    if (added && off < n)
        snprintf(buf + off, n - off, ", added to every draw");
}

int sim_vary_parse(const char *arg, sim_vary *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof out->key)
        return sim_errf(err, "--vary '%s': expected path.to.key=LOW:HIGH or path.to.key=LOW:HIGH:STEPS", arg);
    memcpy(out->key, arg, (size_t)(eq - arg));
    /* A run setting is the same for every point (the command line's): varying it would run the base silently. */
    static const char *const run_settings[] = {"sim.seed", "sim.replications"};
    for (size_t i = 0; i < sizeof run_settings / sizeof *run_settings; i++)
        if (!strcmp(out->key, run_settings[i]))
            return sim_errf(err, "--vary %s: a run setting, the same for every point of a sweep (use --seed, -n), "
                                 "not a scenario input",
                            out->key);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", eq + 1);
    char *parts[4] = {0};
    int n = 0;
    for (char *p = buf; n < 4;) {
        parts[n++] = p;
        char *c = strchr(p, ':');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (n < 2 || n > 3 || parse_double(parts[0], &out->low) || parse_double(parts[1], &out->high))
        return sim_errf(err, "--vary %s: '%s' is not LOW:HIGH or LOW:HIGH:STEPS with numbers", out->key, eq + 1);
    if (out->low == out->high)
        return sim_errf(err, "--vary %s: LOW and HIGH are the same (%g)", out->key, out->low);
    if (n == 3) {
        double steps;
        if (parse_double(parts[2], &steps) || steps != floor(steps) || steps < 2 || steps > SIM_SWEEP_MAX_STEPS)
            return sim_errf(err, "--vary %s: STEPS must be a whole number from 2 to %d (got '%s')", out->key,
                            SIM_SWEEP_MAX_STEPS, parts[2]);
        out->steps = (int)steps;
    }
    return 0;
}

/* Runs the scenario with key=value (or the base when key is NULL) and
 * summarises the sweep's figures. */
static int run_point(sim_point_fn run, void *ctx, size_t k, size_t n_points, const char *metric, figures *fg,
                     const char *key, double value, point *pt, sim_err *err)
{
    char set[400];
    if (key)
        snprintf(set, sizeof set, "%s=%.17g", key, value);
    sim_study_run r;
    memset(&r, 0, sizeof r);
    if (run(ctx, key ? set : NULL, k, n_points, &r, err)) {
        if (key)
            sim_err_prefix(err, "--vary %s=%g", key, value);
        return -1;
    }
    pt->value = value;
    pt->n_reps = r.res.n_reps;
    double *scratch = sim_calloc(r.res.n_reps + 1, sizeof *scratch, err);
    int rc = scratch ? figures_resolve(fg, metric, &r.lay, err) : sim_err_oom_for(err, "a sweep point's quantiles");
    for (size_t f = 0; f < fg->n && rc == 0; f++)
        pt->fig[f] = sim_summarize(r.res.metrics + fg->index[f], r.res.n_reps, r.lay.n_metrics, scratch);
    free(scratch);
    sim_results_free(&r.res);
    return rc;
}

static double swing(double a, double b)
{
    return isfinite(a) && isfinite(b) ? fabs(b - a) : NAN;
}

typedef struct tornado_row {
    const sim_vary *v;
    point lo, hi;
} tornado_row;

static int by_swing(const void *pa, const void *pb)
{
    const tornado_row *a = pa, *b = pb;
    double sa = swing(a->lo.fig[0].p50, a->hi.fig[0].p50);
    double sb = swing(b->lo.fig[0].p50, b->hi.fig[0].p50);
    /* Unknown swings (a milestone not reached) last, then by key: stable. */
    if (isnan(sa) != isnan(sb))
        return isnan(sa) ? 1 : -1;
    if (!isnan(sa) && sa != sb)
        return sa < sb ? 1 : -1;
    return strcmp(a->v->key, b->v->key);
}

static int finish_files(const char *dir, cJSON *root, const char *tmp_csv, sim_err *err)
{
    char tmp_json[4200], fin_json[4200], fin_csv[4200];
    snprintf(tmp_json, sizeof tmp_json, "%s/.sweep.json.tmp", dir);
    snprintf(fin_json, sizeof fin_json, "%s/sweep.json", dir);
    snprintf(fin_csv, sizeof fin_csv, "%s/sweep.csv", dir);
    int rc = sim_json_write(root, tmp_json, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", dir);
    if (rc == 0 && (rename(tmp_csv, fin_csv) != 0 || rename(tmp_json, fin_json) != 0))
        rc = sim_errf(err, "%s: cannot rename into place: %s", dir, strerror(errno));
    if (rc != 0)
        unlink(tmp_json);
    return rc;
}

static void fmt(char *b, size_t n, double v, const char *unit)
{
    if (!isfinite(v))
        snprintf(b, n, "not reached");
    else
        snprintf(b, n, fabs(v) < 100 ? "%.1f%s" : "%.0f%s", v, unit);
}

/* Opens the sweep's CSV and writes its header: `first`, then for each
 * figure after the first, NAME_<suffix> for each suffix. */
static FILE *open_csv(const char *path, const char *first, const figures *fg, const char *const *suffix, int n_suffix,
                      sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f) {
        sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
        return NULL;
    }
    fputs(first, f);
    for (size_t k = 1; k < fg->n; k++)
        for (int j = 0; j < n_suffix; j++)
            fprintf(f, ",%s_%s", fg->m[k]->name, suffix[j]);
    fputc('\n', f);
    return f;
}

/* " unit" for a printed figure ("" for none). */
/* " UNIT" of a figure: a money figure's in the sweep's currency when it has one. */
static void unit_suffix(char *b, size_t n, const sim_metric *m, const figures *fg)
{
    const char *u = !strcmp(m->unit, "currency") && fg->currency[0] ? fg->currency : m->unit;
    snprintf(b, n, "%s%s", *u ? " " : "", u);
}

/* A sweep under way: how it runs a point, the figures, its JSON and CSV. */
typedef struct sweep_job {
    sim_point_fn run;
    void *ctx;
    const char *metric;
    figures fg;
    cJSON *root;
    FILE *f;            /* sweep.csv, being written */
    char tmp_csv[4200];
    size_t reps;
    char u0[40];        /* the first figure's unit, " days" */
} sweep_job;

/* One point of a curve: its JSON object, its CSV row and its printed row. */
static void curve_point(sweep_job *j, double x, const point *pt, cJSON *pts)
{
    const figures *fg = &j->fg;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "value", x);
    for (size_t k = 0; k < fg->n; k++) {
        char name[160];
        snprintf(name, sizeof name, "%s%s", k ? fg->m[k]->name : "", k ? "_" : "");
        char kp[200];
        snprintf(kp, sizeof kp, "%sp10", name);
        sim_json_num(o, kp, pt->fig[k].p10);
        snprintf(kp, sizeof kp, "%sp50", name);
        sim_json_num(o, kp, pt->fig[k].p50);
        snprintf(kp, sizeof kp, "%sp90", name);
        sim_json_num(o, kp, pt->fig[k].p90);
    }
    cJSON_AddItemToArray(pts, o);
    fprintf(j->f, "%.10g", x);
    for (size_t k = 0; k < fg->n; k++) {
        sim_csv_num(j->f, pt->fig[k].p10);
        sim_csv_num(j->f, pt->fig[k].p50);
        sim_csv_num(j->f, pt->fig[k].p90);
    }
    fputc('\n', j->f);
    char a[3][32];
    fmt(a[0], 32, pt->fig[0].p50, "");
    fmt(a[1], 32, pt->fig[0].p10, "");
    fmt(a[2], 32, pt->fig[0].p90, "");
    printf("%-16.6g %s [%s, %s]\n", x, a[0], a[1], a[2]);
    fflush(stdout);
}

/* One key over c->steps points from low to high. */
static int sweep_curve(sweep_job *j, const sim_vary *c, sim_err *err)
{
    cJSON_AddStringToObject(j->root, "key", c->key);
    cJSON *pts = cJSON_AddArrayToObject(j->root, "points");
    for (int s = 0; s < c->steps; s++) {
        double x = c->low + (c->high - c->low) * (double)s / (double)(c->steps - 1);
        point pt;
        int rc = run_point(j->run, j->ctx, (size_t)s + 1, (size_t)c->steps, j->metric, &j->fg, c->key, x, &pt, err);
        if (rc)
            return rc;
        if (s == 0) {
            static const char *const sfx[] = {"p10", "p50", "p90"};
            if (!pts || !(j->f = open_csv(j->tmp_csv, "value,p10,p50,p90", &j->fg, sfx, 3, err)))
                return pts ? -1 : sim_errf(err, "out of memory");
            char label[300];
            sim_key_label(c->key, j->fg.label_skip, label, sizeof label);
            cJSON_AddStringToObject(j->root, "key_label", label); /* as a person reads the key: the chart's */
            unit_suffix(j->u0, sizeof j->u0, j->fg.m[0], &j->fg);
            printf("curve of %s against %s (every point: the same seed and replications)\n", j->fg.m[0]->name, c->key);
            printf("%-16s %s P50 [P10, P90]%s\n", "value", j->fg.m[0]->name, j->u0);
        }
        j->reps = pt.n_reps;
        curve_point(j, x, &pt, pts);
    }
    return 0;
}

/* One key of a tornado: its JSON object, its CSV row and its printed row. */
static void tornado_key(sweep_job *j, const tornado_row *r, const point *base, cJSON *keys)
{
    const figures *fg = &j->fg;
    FILE *f = j->f;
    double lo = r->lo.fig[0].p50, hi = r->hi.fig[0].p50;
    char label[200];
    sim_key_label(r->v->key, fg->label_skip, label, sizeof label);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "key", r->v->key);
    cJSON_AddStringToObject(o, "label", label); /* as a person reads the key: the charts' */
    cJSON_AddNumberToObject(o, "low", r->v->low);
    cJSON_AddNumberToObject(o, "high", r->v->high);
    sim_json_num(o, "p50_low", lo);
    sim_json_num(o, "p50_high", hi);
    sim_json_num(o, "swing", swing(lo, hi));
    fprintf(f, "%s", r->v->key);
    sim_csv_num(f, r->v->low);
    sim_csv_num(f, r->v->high);
    sim_csv_num(f, base->fig[0].p50);
    sim_csv_num(f, lo);
    sim_csv_num(f, hi);
    sim_csv_num(f, swing(lo, hi));
    for (size_t k = 1; k < fg->n; k++) {
        double klo = r->lo.fig[k].p50, khi = r->hi.fig[k].p50;
        char kp[200];
        snprintf(kp, sizeof kp, "%s_p50_low", fg->m[k]->name);
        sim_json_num(o, kp, klo);
        snprintf(kp, sizeof kp, "%s_p50_high", fg->m[k]->name);
        sim_json_num(o, kp, khi);
        snprintf(kp, sizeof kp, "%s_swing", fg->m[k]->name);
        sim_json_num(o, kp, swing(klo, khi));
        sim_csv_num(f, klo);
        sim_csv_num(f, khi);
        sim_csv_num(f, swing(klo, khi));
    }
    cJSON_AddItemToArray(keys, o);
    fputc('\n', f);
    char a[32], b[32], sw[40], ab[72];
    fmt(a, sizeof a, lo, "");
    fmt(b, sizeof b, hi, "");
    fmt(sw, sizeof sw, swing(lo, hi), j->u0);
    snprintf(ab, sizeof ab, "%s / %s", a, b);
    printf("%-52.52s %12.6g %12.6g %24s %12s\n", label, r->v->low, r->v->high, ab, sw);
}

/* The base, then each key at its low and high, ranked by the swing of the first figure's P50. */
static int sweep_tornado(sweep_job *j, const sim_vary *v, size_t n, sim_err *err)
{
    point base;
    int rc = run_point(j->run, j->ctx, 1, 1 + 2 * n, j->metric, &j->fg, NULL, 0, &base, err);
    if (rc)
        return rc;
    j->reps = base.n_reps;
    tornado_row *rows = sim_calloc(n, sizeof *rows, err);
    if (!rows)
        return sim_err_oom_for(err, "the sweep's %zu rows", n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rows[i].v = &v[i];
        rc = run_point(j->run, j->ctx, 2 + 2 * i, 1 + 2 * n, j->metric, &j->fg, v[i].key, v[i].low, &rows[i].lo, err);
        if (rc == 0)
            rc = run_point(j->run, j->ctx, 3 + 2 * i, 1 + 2 * n, j->metric, &j->fg, v[i].key, v[i].high, &rows[i].hi,
                           err);
    }
    if (rc) {
        free(rows);
        return rc;
    }
    qsort(rows, n, sizeof *rows, by_swing);
    cJSON *bo = cJSON_AddObjectToObject(j->root, "base");
    sim_json_num(bo, "p50", base.fig[0].p50);
    for (size_t k = 1; k < j->fg.n; k++) {
        char kp[200];
        snprintf(kp, sizeof kp, "%s_p50", j->fg.m[k]->name);
        sim_json_num(bo, kp, base.fig[k].p50);
    }
    cJSON *keys = cJSON_AddArrayToObject(j->root, "keys");
    static const char *const sfx[] = {"p50_low", "p50_high", "swing"};
    if (!keys || !(j->f = open_csv(j->tmp_csv, "key,low,high,base_p50,p50_low,p50_high,swing", &j->fg, sfx, 3, err))) {
        free(rows);
        return keys ? -1 : sim_errf(err, "out of memory");
    }
    unit_suffix(j->u0, sizeof j->u0, j->fg.m[0], &j->fg);
    char bt[32];
    fmt(bt, sizeof bt, base.fig[0].p50, j->u0);
    printf("base: %s P50 %s; keys by swing of its P50:\n", j->fg.m[0]->name, bt);
    printf("%-52s %12s %12s %24s %12s\n", "key (a factor for a whole law)", "low", "high", "P50 at low / high", "swing");
    for (size_t i = 0; i < n; i++)
        tornado_key(j, &rows[i], &base, keys);
    free(rows);
    return 0;
}

/* The figures' names and units, in sweep.json. */
static void sweep_metric_json(const sweep_job *j)
{
    cJSON *mo = cJSON_AddObjectToObject(j->root, "metric");
    cJSON_AddStringToObject(mo, "name", j->fg.m[0]->name);
    cJSON_AddStringToObject(mo, "unit", j->fg.m[0]->unit);
    cJSON_AddStringToObject(mo, "description", j->fg.m[0]->description);
    if (j->fg.currency[0]) /* what "currency" means in this sweep */
        cJSON_AddStringToObject(j->root, "currency", j->fg.currency);
    cJSON *others = cJSON_AddArrayToObject(j->root, "other_metrics");
    for (size_t k = 1; k < j->fg.n; k++) {
        cJSON *oo = cJSON_CreateObject();
        cJSON_AddStringToObject(oo, "name", j->fg.m[k]->name);
        cJSON_AddStringToObject(oo, "unit", j->fg.m[k]->unit);
        cJSON_AddItemToArray(others, oo);
    }
}

int sim_sweep(const sim_vary *v, size_t n, const char *metric, const char *scenario_file, const char *scenario_name,
              uint64_t seed,
              sim_point_fn run, void *ctx, const char *dir, sim_err *err)
{
    bool curve = n == 1 && v[0].steps >= 2;
    for (size_t i = 0; i < n; i++)
        if (v[i].steps && !curve)
            return sim_errf(err, "--vary %s: LOW:HIGH:STEPS (a curve) takes exactly one --vary", v[i].key);
    if (n == 0)
        return sim_errf(err, "sweep needs at least one --vary path.to.key=LOW:HIGH");
    /* The sweep's files go into a private directory, committed whole at the
     * end (sim/study/outdir.h); its lock keeps a second writer out meanwhile. */
    sim_outdir od;
    const char *final_dir = dir;
    if (sim_outdir_begin(&od, final_dir, err))
        return -1;
    dir = od.tmp;
    sweep_job j;
    memset(&j, 0, sizeof j);
    j.run = run;
    j.ctx = ctx;
    j.metric = metric;
    snprintf(j.tmp_csv, sizeof j.tmp_csv, "%s/.sweep.csv.tmp", dir);
    cJSON *root = j.root = cJSON_CreateObject();
    if (!root) {
        sim_outdir_abort(&od);
        return sim_errf(err, "out of memory");
    }
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "mode", curve ? "curve" : "tornado");
    cJSON_AddStringToObject(root, "scenario_file", scenario_file);
    cJSON_AddStringToObject(root, "scenario", scenario_name);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    int rc = curve ? sweep_curve(&j, &v[0], err) : sweep_tornado(&j, v, n, err);
    if (rc == 0) {
        FILE *f = j.f;
        j.f = NULL;
        if (ferror(f) | (fclose(f) != 0))
            rc = sim_errf(err, "%s: write failed", j.tmp_csv);
    }
    if (rc == 0) {
        cJSON_AddNumberToObject(root, "replications", (double)j.reps);
        sweep_metric_json(&j);
    }
    if (j.f)
        fclose(j.f);
    if (rc == 0)
        rc = finish_files(dir, root, j.tmp_csv, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", final_dir);
    if (rc == 0)
        rc = sim_outdir_commit(&od, err);
    sim_outdir_abort(&od);
    cJSON_Delete(root);
    return rc;
}
