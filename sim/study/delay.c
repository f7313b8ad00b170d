#include "sim/study/delay.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/stats.h"
#include "sim/study/output.h"

int sim_delay_compute(sim_delay *d, const sim_study_run *runs, sim_err *err)
{
    const sim_layout *lay = &runs[0].lay;
    size_t n = runs[0].res.n_reps, nm = lay->n_metrics;
    d->n = n;
    snprintf(d->currency, sizeof d->currency, "%s", lay->currency ? lay->currency : "");
    double *diff = sim_calloc(n ? n : 1, sizeof *diff, err), *scratch = sim_calloc(n ? n : 1, sizeof *scratch, err);
    if (!diff || !scratch) {
        free(diff);
        free(scratch);
        return sim_err_oom_for(err, "the paired differences of %zu replications", n);
    }
    d->n_fig = 0;
    for (size_t m = 0; m < nm && d->n_fig < SIM_DELAY_FIGURES; m++) {
        const sim_metric *mt = &lay->metrics[m];
        if (!(mt->flags & SIM_METRIC_DELAY))
            continue;
        sim_delay_figure *g = &d->fig[d->n_fig++];
        *g = (sim_delay_figure){.metric = mt->name, .unit = mt->unit, .value = mt->flags & SIM_METRIC_VALUE,
                                .day = mt->flags & SIM_METRIC_DAY, .mean = NAN, .ci_lo = NAN, .ci_hi = NAN,
                                .p10 = NAN, .p50 = NAN, .p90 = NAN, .per_day = NAN};
        g->money = !strcmp(g->unit, "currency");
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            double a = runs[0].res.metrics[i * nm + m], b = runs[1].res.metrics[i * nm + m];
            if (isfinite(a) && isfinite(b))
                diff[k++] = g->value ? a - b : b - a;
            g->late_not_reached += g->day && !isfinite(b);
        }
        g->n_pairs = k;
        if (k == 0)
            continue;
        sim_summary s = sim_summarize(diff, k, 1, scratch);
        g->mean = s.mean;
        g->p10 = s.p10;
        g->p50 = s.p50;
        g->p90 = s.p90;
        g->ci_lo = s.mean - s.ci95_half;
        g->ci_hi = s.mean + s.ci95_half;
        g->per_day = g->money && d->days > 0 ? s.mean / d->days : NAN;
    }
    d->horizon_days = (double)lay->n_steps * lay->step_days;
    free(diff);
    free(scratch);
    return 0;
}

int sim_delay_write(const char *dir, const sim_delay *d, sim_err *err)
{
    char path[4200];
    cJSON *root = cJSON_CreateObject(), *figs = NULL;
    int rc = root && cJSON_AddStringToObject(root, "phase", d->phase) && cJSON_AddNumberToObject(root, "days", d->days) &&
                     cJSON_AddStringToObject(root, "key", d->key) &&
                     cJSON_AddStringToObject(root, "currency", d->currency) &&
                     cJSON_AddNumberToObject(root, "replications", (double)d->n) &&
                     cJSON_AddNumberToObject(root, "horizon_days", d->horizon_days) &&

                     (figs = cJSON_AddObjectToObject(root, "figures"))
                 ? 0
                 : -1;
    for (size_t f = 0; f < d->n_fig && rc == 0; f++) {
        const sim_delay_figure *g = &d->fig[f];
        cJSON *o = cJSON_AddObjectToObject(figs, g->metric), *ci = o ? cJSON_AddArrayToObject(o, "ci95") : NULL;
        if (!ci) {
            rc = -1;
            break;
        }
        cJSON_AddStringToObject(o, "unit", g->unit);
        cJSON_AddStringToObject(o, "sense", g->value ? "on time minus late: what the delay costs"
                                      : g->money ? "late minus on time: what the delay adds"
                                                 : "late minus on time: days the milestone moved");
        sim_json_num(o, "mean", g->mean);
        cJSON_AddItemToArray(ci, isfinite(g->ci_lo) ? cJSON_CreateNumber(g->ci_lo) : cJSON_CreateNull());
        cJSON_AddItemToArray(ci, isfinite(g->ci_hi) ? cJSON_CreateNumber(g->ci_hi) : cJSON_CreateNull());
        sim_json_num(o, "p10", g->p10);
        sim_json_num(o, "p50", g->p50);
        sim_json_num(o, "p90", g->p90);
        sim_json_num(o, "per_day", g->per_day);
        cJSON_AddNumberToObject(o, "n_pairs", (double)g->n_pairs);
        if (g->day)
            cJSON_AddNumberToObject(o, "late_not_reached", (double)g->late_not_reached);
    }
    if (rc) {
        cJSON_Delete(root);
        return sim_errf(err, "out of memory building delay.json");
    }
    snprintf(path, sizeof path, "%s/delay.json", dir);
    rc = sim_json_write(root, path, err);
    cJSON_Delete(root);
    if (rc)
        return -1;
    snprintf(path, sizeof path, "%s/delay.csv", dir);
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    fputs("metric,unit,mean,ci95_lo,ci95_hi,p10,p50,p90,per_day,n_pairs\n", f);
    for (size_t k = 0; k < d->n_fig; k++) {
        const sim_delay_figure *g = &d->fig[k];
        fprintf(f, "%s,%s", g->metric, g->money ? d->currency : g->unit);
        double v[] = {g->mean, g->ci_lo, g->ci_hi, g->p10, g->p50, g->p90, g->per_day};
        for (size_t i = 0; i < sizeof v / sizeof *v; i++)
            sim_csv_num(f, v[i]);
        fprintf(f, ",%zu\n", g->n_pairs);
    }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

void sim_delay_print(FILE *f, const sim_delay *d)
{
    fprintf(f, "A delay of %g days in '%s' (%s), %zu paired replications:\n", d->days, d->phase, d->key, d->n);
    size_t worst = 0;
    const char *which = NULL;
    for (size_t k = 0; k < d->n_fig; k++) {
        const sim_delay_figure *g = &d->fig[k];
        if (g->late_not_reached > worst) {
            worst = g->late_not_reached;
            which = g->metric;
        }
        if (g->n_pairs == 0) {
            fprintf(f, "  %-28s not defined in any pair\n", g->metric);
            continue;
        }
        if (g->money) {
            char m[32], lo[32], hi[32], p10[32], p50[32], p90[32], day[32];
            sim_fmt_amount(m, sizeof m, g->mean);
            sim_fmt_amount(p50, sizeof p50, g->p50);
            sim_fmt_amount(lo, sizeof lo, g->ci_lo);
            sim_fmt_amount(hi, sizeof hi, g->ci_hi);
            sim_fmt_amount(p10, sizeof p10, g->p10);
            sim_fmt_amount(p90, sizeof p90, g->p90);
            sim_fmt_amount(day, sizeof day, g->per_day);
            fprintf(f, "  %-28s %s %s %s on average (95 %% CI %s to %s; P10 %s, P50 %s, P90 %s), %s a day\n",
                    g->metric, g->value ? "costs" : "adds", m, d->currency, lo, hi, p10, p50, p90, day);
        } else
            fprintf(f, "  %-28s moves %.0f days (95 %% CI %.0f to %.0f; P10 %.0f, P50 %.0f, P90 %.0f)\n", g->metric,
                    g->mean, g->ci_lo, g->ci_hi, g->p10, g->p50, g->p90);
    }
    if (which)
        fprintf(f, "  note: %zu of %zu late replications did not reach %s within the horizon (day %g): their "
                   "lifetime carries on only what was online then; a longer sim.horizon_days counts the rest\n",
                worst, d->n, which, d->horizon_days);
}
