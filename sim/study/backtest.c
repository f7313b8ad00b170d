/* backtest: measured dates against the replications (see backtest.h). */
#include "sim/study/backtest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/calendar.h"
#include "sim/core/stats.h"
#include "sim/study/output.h"

static const char *const COLUMNS[] = {"project", "scenario", "milestone", "measured_date", "source"};
enum { N_COLUMNS = 5 };

/* A field fit to print anywhere (a CSV cell, a chart's label): printable,
 * no comma or quote. */
static bool plain(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == ',' || *s == '"' || *s == '\\' || *s == 0x7f)
            return false;
    return true;
}

/* Splits one line into n fields at commas (no quoting: the fields are plain). */
static int split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == ',') {
            *p = '\0';
            if (n == max)
                return max + 1;
            f[n++] = p + 1;
        }
    for (int i = 0; i < n; i++) { /* trim */
        while (*f[i] == ' ')
            f[i]++;
        size_t l = strlen(f[i]);
        while (l && (f[i][l - 1] == ' ' || f[i][l - 1] == '\r'))
            f[i][--l] = '\0';
    }
    return n;
}

static int read_row(const char *path, const char *dir, char **f, int line, sim_backtest_row *r, sim_err *err)
{
    static const size_t caps[N_COLUMNS] = {sizeof r->project, 0, sizeof r->milestone, sizeof r->measured,
                                           sizeof r->source};
    for (int c = 0; c < N_COLUMNS; c++) {
        if (!plain(f[c]) || (caps[c] && strlen(f[c]) >= caps[c]))
            return sim_errf(err, "%s:%d: column %s: '%s' is empty, too long or holds a comma, quote or control "
                                 "character", path, line, COLUMNS[c], f[c]);
    }
    if (f[1][0] == '/' || strstr(f[1], ".."))
        return sim_errf(err, "%s:%d: column scenario: '%s' must be a path below the table's directory", path, line,
                        f[1]);
    int64_t days;
    if (sim_date_parse(f[3], &days))
        return sim_errf(err, "%s:%d: column measured_date: '%s' is not a date (YYYY-MM-DD)", path, line, f[3]);
    int w = snprintf(r->scenario, sizeof r->scenario, "%s/%s", dir, f[1]);
    if (w < 0 || (size_t)w >= sizeof r->scenario)
        return sim_errf(err, "%s:%d: column scenario: the path is too long", path, line);
    snprintf(r->project, sizeof r->project, "%s", f[0]);
    snprintf(r->milestone, sizeof r->milestone, "%s", f[2]);
    snprintf(r->measured, sizeof r->measured, "%s", f[3]);
    snprintf(r->source, sizeof r->source, "%s", f[4]);
    r->measured_days = (double)days;
    r->line = line;
    return 0;
}

int sim_backtest_read(const char *path, sim_backtest *bt, sim_err *err)
{
    memset(bt, 0, sizeof *bt);
    size_t len;
    char *text = sim_read_regular(path, 1u << 20, "file", "the backtest table", &len, err);
    if (!text)
        return -1;
    char dir[1024];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    int line = 0, rc = 0;
    bool header = false;
    for (char *s = text, *next; s && *s && rc == 0; s = next) {
        next = strchr(s, '\n');
        if (next)
            *next++ = '\0';
        line++;
        if (*s == '#' || *s == '\0' || (*s == '\r' && s[1] == '\0'))
            continue;
        char *f[N_COLUMNS + 1];
        int n = split(s, f, N_COLUMNS);
        if (n != N_COLUMNS) {
            rc = sim_errf(err, "%s:%d: %d columns, want %d: %s,%s,%s,%s,%s", path, line, n,
                          N_COLUMNS, COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[4]);
        } else if (!header) {
            for (int c = 0; c < N_COLUMNS && rc == 0; c++)
                if (strcmp(f[c], COLUMNS[c]))
                    rc = sim_errf(err, "%s:%d: the header's column %d is '%s', want '%s'", path, line, c + 1, f[c],
                                  COLUMNS[c]);
            header = true;
        } else if (bt->n == SIM_BACKTEST_MAX) {
            rc = sim_errf(err, "%s:%d: at most %d projects", path, line, SIM_BACKTEST_MAX);
        } else {
            rc = read_row(path, dir, f, line, &bt->rows[bt->n], err);
            bt->n += rc == 0;
        }
    }
    free(text);
    for (size_t i = 0; rc == 0 && i < bt->n; i++) { /* each scenario once */
        sim_backtest_row *r = &bt->rows[i];
        for (r->run = 0; r->run < bt->n_scenarios && strcmp(bt->scenarios[r->run], r->scenario); r->run++)
            ;
        if (r->run == bt->n_scenarios)
            bt->scenarios[bt->n_scenarios++] = r->scenario;
    }
    if (rc == 0 && bt->n == 0)
        rc = sim_errf(err, "%s: no project (a header line, then project,scenario,milestone,measured_date,source)",
                      path);
    return rc;
}

/* Row r against its replications (one column of metrics, NAN: not reached). */
static int compute_row(sim_backtest_row *r, const char *table, const sim_study_run *run, sim_err *err)
{
    const sim_layout *lay = &run->lay;
    int m = sim_metric_find(lay->metrics, lay->n_metrics, r->milestone);
    if (m < 0 || !(lay->metrics[m].flags & SIM_METRIC_DAY))
        return sim_errf(err, "%s:%d: column milestone: '%s' is not a figure counted in days (gigasim metrics lists "
                             "the figures and their units)", table, r->line, r->milestone);
    if (isnan(lay->start_date_days))
        return sim_errf(err, "%s:%d: %s gives no sim.start_date: a backtest counts from the project's first public "
                             "plan", table, r->line, r->scenario);
    size_t n = run->res.n_reps;
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return sim_err_oom_for(err, "the backtest of %s", r->project);
    size_t at_or_before = 0, reached = 0;
    r->start_days = lay->start_date_days;
    r->m = r->measured_days - lay->start_date_days;
    for (size_t i = 0; i < n; i++) {
        double v = run->res.metrics[i * lay->n_metrics + (size_t)m];
        x[i] = isnan(v) ? INFINITY : v; /* not reached: later than any date */
        reached += !isnan(v);
        at_or_before += x[i] <= r->m;
    }
    qsort(x, n, sizeof *x, sim_cmp_double);
    r->q = n ? (double)at_or_before / (double)n : NAN;
    /* a quantile that falls among the replications that never reached it: beyond the horizon */
    double *p[] = {&r->p10, &r->p50, &r->p90}, at[] = {0.1, 0.5, 0.9};
    for (size_t k = 0; k < 3; k++) {
        *p[k] = sim_quantile_sorted(x, n, at[k]);
        if (isnan(*p[k]))
            *p[k] = INFINITY;
    }
    r->reached = n ? (double)reached / (double)n : NAN;
    r->inside = r->m >= r->p10 && r->m <= r->p90;
    free(x);
    return 0;
}

int sim_backtest_compute(sim_backtest *bt, const char *table, const sim_study_run *runs, sim_err *err)
{
    double q[SIM_BACKTEST_MAX], inside = 0, sum = 0;
    for (size_t i = 0; i < bt->n; i++) {
        if (compute_row(&bt->rows[i], table, &runs[bt->rows[i].run], err))
            return -1;
        snprintf(bt->rows[i].label, sizeof bt->rows[i].label, "%s", runs[bt->rows[i].run].label);
        q[i] = bt->rows[i].q;
        inside += bt->rows[i].inside;
        sum += q[i];
    }
    qsort(q, bt->n, sizeof *q, sim_cmp_double);
    double d = 0, k_n = (double)bt->n;
    for (size_t k = 0; k < bt->n; k++) {
        double hi = (double)(k + 1) / k_n - q[k], lo = q[k] - (double)k / k_n;
        d = fmax(d, fmax(hi, lo));
    }
    bt->inside_share = inside / k_n;
    bt->mean_q = sum / k_n;
    bt->ks_uniform = d;
    return 0;
}

static void date_or_empty(const sim_backtest_row *r, double day, char out[SIM_DATE_LEN])
{
    if (isfinite(day))
        sim_date_of(r->start_days, day, out);
    else
        snprintf(out, SIM_DATE_LEN, "%s", ">horizon");
}

static int write_csv(const char *path, const sim_backtest *bt, sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    fputs("project,milestone,start_date,measured_date,measured_days,p10_days,p50_days,p90_days,p10_date,p50_date,"
          "p90_date,quantile,inside_p10_p90,reached_share,source,run\n", f);
    for (size_t i = 0; i < bt->n; i++) {
        const sim_backtest_row *r = &bt->rows[i];
        char start[SIM_DATE_LEN], d10[SIM_DATE_LEN], d50[SIM_DATE_LEN], d90[SIM_DATE_LEN];
        sim_date_of(r->start_days, 0, start);
        date_or_empty(r, r->p10, d10), date_or_empty(r, r->p50, d50), date_or_empty(r, r->p90, d90);
        fprintf(f, "%s,%s,%s,%s", r->project, r->milestone, start, r->measured);
        double v[] = {r->m, r->p10, r->p50, r->p90};
        for (size_t k = 0; k < 4; k++)
            sim_csv_num(f, isfinite(v[k]) ? v[k] : NAN);
        fprintf(f, ",%s,%s,%s", d10, d50, d90);
        sim_csv_num(f, r->q);
        fprintf(f, ",%d", r->inside ? 1 : 0);
        sim_csv_num(f, r->reached);
        fprintf(f, ",%s,%s\n", r->source, r->label);
    }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: cannot write", path);
    return 0;
}

static int write_json(const char *path, const sim_backtest *bt, sim_err *err)
{
    cJSON *root = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(root, "projects");
    sim_json_num(root, "projects_n", (double)bt->n);
    sim_json_num(root, "inside_p10_p90_share", bt->inside_share);
    sim_json_num(root, "mean_quantile", bt->mean_q);
    sim_json_num(root, "ks_distance_to_uniform", bt->ks_uniform);
    for (size_t i = 0; rows && i < bt->n; i++) {
        const sim_backtest_row *r = &bt->rows[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(rows, o);
        cJSON_AddStringToObject(o, "project", r->project);
        cJSON_AddStringToObject(o, "milestone", r->milestone);
        cJSON_AddStringToObject(o, "measured_date", r->measured);
        cJSON_AddStringToObject(o, "source", r->source);
        cJSON_AddStringToObject(o, "run", r->label);
        sim_json_num(o, "measured_days", r->m);
        sim_json_num(o, "p10_days", isfinite(r->p10) ? r->p10 : NAN);
        sim_json_num(o, "p50_days", isfinite(r->p50) ? r->p50 : NAN);
        sim_json_num(o, "p90_days", isfinite(r->p90) ? r->p90 : NAN);
        sim_json_num(o, "quantile", r->q);
        cJSON_AddBoolToObject(o, "inside_p10_p90", r->inside);
        sim_json_num(o, "reached_share", r->reached);
    }
    int rc = sim_json_write(root, path, err);
    cJSON_Delete(root);
    return rc;
}

int sim_backtest_write(const char *dir, const sim_backtest *bt, sim_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/backtest.csv", dir);
    if (write_csv(path, bt, err))
        return -1;
    snprintf(path, sizeof path, "%s/backtest.json", dir);
    return write_json(path, bt, err);
}

void sim_backtest_print(FILE *f, const sim_backtest *bt)
{
    fprintf(f, "%-26s %-27s %-10s %-23s %-10s %8s %s\n", "project", "milestone", "measured", "model P10 / P50 / P90",
            "", "quantile", "inside");
    for (size_t i = 0; i < bt->n; i++) {
        const sim_backtest_row *r = &bt->rows[i];
        char d10[SIM_DATE_LEN], d50[SIM_DATE_LEN], d90[SIM_DATE_LEN];
        date_or_empty(r, r->p10, d10), date_or_empty(r, r->p50, d50), date_or_empty(r, r->p90, d90);
        fprintf(f, "%-26.26s %-27.27s %-10s %s / %s / %s %8.2f %s\n", r->project, r->milestone, r->measured, d10, d50,
                d90, r->q, r->inside ? "yes" : "no");
    }
    fprintf(f, "inside P10-P90: %.0f %% of %zu projects (calibrated: about 80 %%); mean quantile %.2f (0.5); "
               "Kolmogorov distance of the quantiles to the uniform law %.2f\n",
            100.0 * bt->inside_share, bt->n, bt->mean_q, bt->ks_uniform);
}
