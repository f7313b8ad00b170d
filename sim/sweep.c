#include "sweep.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "output.h"
#include "stats.h"

/* The figures a sweep reports, by metric name. */
enum { F_TTFT, F_FULL, F_ENERGY, F_N };
static const char *const FIGURE_METRIC[F_N] = {"time_to_first_token_days", "time_to_full_capacity_days",
                                               "facility_energy_mwh"};

typedef struct point {
    double value;
    size_t n_reps;
    sim_summary fig[F_N];
} point;

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

int sim_vary_parse(const char *arg, sim_vary *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof out->key)
        return sim_errf(err, "--vary '%s': expected path.to.key=LOW:HIGH or path.to.key=LOW:HIGH:STEPS", arg);
    memcpy(out->key, arg, (size_t)(eq - arg));
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
static int run_point(sim_point_fn run, void *ctx, const char *key, double value, point *pt, sim_err *err)
{
    char set[400];
    if (key)
        snprintf(set, sizeof set, "%s=%.17g", key, value);
    sim_study_run r;
    memset(&r, 0, sizeof r);
    if (run(ctx, key ? set : NULL, &r, err)) {
        if (key)
            sim_err_prefix(err, "--vary %s=%g", key, value);
        return -1;
    }
    pt->value = value;
    pt->n_reps = r.res.n_reps;
    double *scratch = sim_calloc(r.res.n_reps + 1, sizeof *scratch, err);
    int rc = scratch ? 0 : -1;
    for (int f = 0; f < F_N && rc == 0; f++) {
        size_t m = 0;
        while (m < r.lay.n_metrics && strcmp(r.lay.metric_names[m], FIGURE_METRIC[f]) != 0)
            m++;
        if (m == r.lay.n_metrics) {
            rc = sim_errf(err, "the model reports no figure '%s' to sweep", FIGURE_METRIC[f]);
            break;
        }
        pt->fig[f] = sim_summarize(r.res.metrics + m, r.res.n_reps, r.lay.n_metrics, scratch);
    }
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
    double sa = swing(a->lo.fig[F_TTFT].p50, a->hi.fig[F_TTFT].p50);
    double sb = swing(b->lo.fig[F_TTFT].p50, b->hi.fig[F_TTFT].p50);
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

int sim_sweep(const sim_vary *v, size_t n, const char *scenario_file, uint64_t seed, sim_point_fn run, void *ctx,
              const char *dir, sim_err *err)
{
    bool curve = n == 1 && v[0].steps >= 2;
    for (size_t i = 0; i < n; i++)
        if (v[i].steps && !curve)
            return sim_errf(err, "--vary %s: LOW:HIGH:STEPS (a curve) takes exactly one --vary", v[i].key);
    if (n == 0)
        return sim_errf(err, "sweep needs at least one --vary path.to.key=LOW:HIGH");
    int created;
    if (sim_mkdirs(dir, &created, err))
        return -1;
    char tmp_csv[4200];
    snprintf(tmp_csv, sizeof tmp_csv, "%s/.sweep.csv.tmp", dir);
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return sim_errf(err, "out of memory");
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "mode", curve ? "curve" : "tornado");
    cJSON_AddStringToObject(root, "scenario_file", scenario_file);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    int rc = 0;
    FILE *f = NULL;
    tornado_row *rows = NULL;
    point base;
    size_t reps = 0;
    if (curve) {
        const sim_vary *c = &v[0];
        cJSON_AddStringToObject(root, "key", c->key);
        cJSON *pts = cJSON_AddArrayToObject(root, "points");
        f = fopen(tmp_csv, "w");
        if (!f || !pts) {
            rc = sim_errf(err, "%s: cannot write: %s", tmp_csv, strerror(errno));
            goto done;
        }
        fprintf(f, "value,ttft_p10,ttft_p50,ttft_p90,full_p10,full_p50,full_p90,energy_mwh_p50\n");
        printf("curve of %s (every point: the same seed and replications)\n", c->key);
        printf("%-16s %-34s %-34s %s\n", "value", "first token P50 [P10, P90] (days)", "full capacity P50 [P10, P90]",
               "facility MWh P50");
        for (int s = 0; s < c->steps && rc == 0; s++) {
            double x = c->low + (c->high - c->low) * (double)s / (double)(c->steps - 1);
            point pt;
            if ((rc = run_point(run, ctx, c->key, x, &pt, err)) != 0)
                goto done;
            reps = pt.n_reps;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "value", x);
            sim_json_num(o, "ttft_p10", pt.fig[F_TTFT].p10);
            sim_json_num(o, "ttft_p50", pt.fig[F_TTFT].p50);
            sim_json_num(o, "ttft_p90", pt.fig[F_TTFT].p90);
            sim_json_num(o, "full_p10", pt.fig[F_FULL].p10);
            sim_json_num(o, "full_p50", pt.fig[F_FULL].p50);
            sim_json_num(o, "full_p90", pt.fig[F_FULL].p90);
            sim_json_num(o, "energy_mwh_p50", pt.fig[F_ENERGY].p50);
            cJSON_AddItemToArray(pts, o);
            fprintf(f, "%.10g", x);
            for (int k = 0; k < 2; k++) {
                const sim_summary *sm = &pt.fig[k == 0 ? F_TTFT : F_FULL];
                sim_csv_num(f, sm->p10);
                sim_csv_num(f, sm->p50);
                sim_csv_num(f, sm->p90);
            }
            sim_csv_num(f, pt.fig[F_ENERGY].p50);
            fputc('\n', f);
            char a[3][32], b[3][32], e[32];
            fmt(a[0], 32, pt.fig[F_TTFT].p50, "");
            fmt(a[1], 32, pt.fig[F_TTFT].p10, "");
            fmt(a[2], 32, pt.fig[F_TTFT].p90, "");
            fmt(b[0], 32, pt.fig[F_FULL].p50, "");
            fmt(b[1], 32, pt.fig[F_FULL].p10, "");
            fmt(b[2], 32, pt.fig[F_FULL].p90, "");
            fmt(e, sizeof e, pt.fig[F_ENERGY].p50, "");
            char ca[100], cb[100];
            snprintf(ca, sizeof ca, "%s [%s, %s]", a[0], a[1], a[2]);
            snprintf(cb, sizeof cb, "%s [%s, %s]", b[0], b[1], b[2]);
            printf("%-16.6g %-34s %-34s %s\n", x, ca, cb, e);
            fflush(stdout);
        }
    } else {
        if ((rc = run_point(run, ctx, NULL, 0, &base, err)) != 0)
            goto done;
        reps = base.n_reps;
        rows = sim_calloc(n, sizeof *rows, err);
        if (!rows) {
            rc = -1;
            goto done;
        }
        for (size_t i = 0; i < n && rc == 0; i++) {
            rows[i].v = &v[i];
            rc = run_point(run, ctx, v[i].key, v[i].low, &rows[i].lo, err);
            if (rc == 0)
                rc = run_point(run, ctx, v[i].key, v[i].high, &rows[i].hi, err);
        }
        if (rc)
            goto done;
        qsort(rows, n, sizeof *rows, by_swing);
        cJSON *bo = cJSON_AddObjectToObject(root, "base");
        sim_json_num(bo, "ttft_p50", base.fig[F_TTFT].p50);
        sim_json_num(bo, "full_p50", base.fig[F_FULL].p50);
        sim_json_num(bo, "energy_mwh_p50", base.fig[F_ENERGY].p50);
        cJSON *keys = cJSON_AddArrayToObject(root, "keys");
        f = fopen(tmp_csv, "w");
        if (!f || !keys) {
            rc = sim_errf(err, "%s: cannot write: %s", tmp_csv, strerror(errno));
            goto done;
        }
        fprintf(f, "key,low,high,base_ttft_p50,ttft_p50_low,ttft_p50_high,ttft_swing_days,full_p50_low,full_p50_high,"
                   "energy_mwh_p50_low,energy_mwh_p50_high,energy_swing_mwh\n");
        char bt[32];
        fmt(bt, sizeof bt, base.fig[F_TTFT].p50, " d");
        printf("base: first token P50 %s; keys by swing of first token P50:\n", bt);
        printf("%-44s %12s %12s %24s %12s\n", "key", "low", "high", "P50 at low / high (d)", "swing");
        for (size_t i = 0; i < n; i++) {
            const tornado_row *r = &rows[i];
            double lo = r->lo.fig[F_TTFT].p50, hi = r->hi.fig[F_TTFT].p50;
            double elo = r->lo.fig[F_ENERGY].p50, ehi = r->hi.fig[F_ENERGY].p50;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "key", r->v->key);
            cJSON_AddNumberToObject(o, "low", r->v->low);
            cJSON_AddNumberToObject(o, "high", r->v->high);
            sim_json_num(o, "ttft_p50_low", lo);
            sim_json_num(o, "ttft_p50_high", hi);
            sim_json_num(o, "ttft_swing_days", swing(lo, hi));
            sim_json_num(o, "full_p50_low", r->lo.fig[F_FULL].p50);
            sim_json_num(o, "full_p50_high", r->hi.fig[F_FULL].p50);
            sim_json_num(o, "energy_mwh_p50_low", elo);
            sim_json_num(o, "energy_mwh_p50_high", ehi);
            sim_json_num(o, "energy_swing_mwh", swing(elo, ehi));
            cJSON_AddItemToArray(keys, o);
            fprintf(f, "%s", r->v->key);
            sim_csv_num(f, r->v->low);
            sim_csv_num(f, r->v->high);
            sim_csv_num(f, base.fig[F_TTFT].p50);
            sim_csv_num(f, lo);
            sim_csv_num(f, hi);
            sim_csv_num(f, swing(lo, hi));
            sim_csv_num(f, r->lo.fig[F_FULL].p50);
            sim_csv_num(f, r->hi.fig[F_FULL].p50);
            sim_csv_num(f, elo);
            sim_csv_num(f, ehi);
            sim_csv_num(f, swing(elo, ehi));
            fputc('\n', f);
            char a[32], b[32], sw[32], ab[72];
            fmt(a, sizeof a, lo, "");
            fmt(b, sizeof b, hi, "");
            fmt(sw, sizeof sw, swing(lo, hi), " d");
            snprintf(ab, sizeof ab, "%s / %s", a, b);
            printf("%-44.44s %12.6g %12.6g %24s %12s\n", r->v->key, r->v->low, r->v->high, ab, sw);
        }
    }
    if (ferror(f) | (fclose(f) != 0)) {
        f = NULL;
        rc = sim_errf(err, "%s: write failed", tmp_csv);
        goto done;
    }
    f = NULL;
    cJSON_AddNumberToObject(root, "replications", (double)reps);
done:
    if (f)
        fclose(f);
    if (rc == 0) {
        rc = finish_files(dir, root, tmp_csv, err);
    }
    if (rc != 0) {
        unlink(tmp_csv);
        if (created)
            rmdir(dir);
    }
    free(rows);
    cJSON_Delete(root);
    return rc;
}
