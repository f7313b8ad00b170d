#include "sim/study/compare.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/core/calendar.h"
#include "sim/core/interrupt.h"
#include "sim/study/output.h"
#include "sim/core/stats.h"

bool sim_study_label_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

void sim_study_label(const char *path, const sim_study_run *runs, size_t n, char *out, size_t out_len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".cfg"))
        len -= 4;
    if (len > out_len - 8)
        len = out_len - 8;
    char stem[64];
    if (len >= sizeof stem)
        len = sizeof stem - 1;
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        stem[i] = ok ? c : '_';
    }
    stem[len] = '\0';
    if (len == 0)
        snprintf(stem, sizeof stem, "_");
    else if (stem[0] == '.')
        stem[0] = '_';
    snprintf(out, out_len, "%s", stem);
    for (int k = 2;; k++) {
        bool taken = false;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(runs[i].label, out))
                taken = true;
        if (!taken)
            return;
        snprintf(out, out_len, "%s-%d", stem, k);
    }
}

/* Money (metrics of unit "currency"): compared as they are when every
 * scenario has the same currency; converted to USD at each scenario's rate
 * when they differ and every scenario gives one; otherwise not differenced. */
typedef enum { MONEY_SAME, MONEY_USD, MONEY_REFUSED } money_mode;

typedef struct money {
    money_mode mode;
    char label[96]; /* the unit money is shown in: "EUR", "USD", "EUR | USD" */
} money;

static bool is_money(const sim_metric *m)
{
    return strcmp(m->unit, "currency") == 0;
}

static money money_of(const sim_study_run *runs, size_t n)
{
    money mo = {MONEY_SAME, ""};
    const char *c0 = runs[0].lay.currency ? runs[0].lay.currency : "";
    bool all_rates = true;
    snprintf(mo.label, sizeof mo.label, "%s", c0);
    for (size_t i = 0; i < n; i++) {
        const char *c = runs[i].lay.currency ? runs[i].lay.currency : "";
        if (strcmp(c, c0) != 0 && mo.mode == MONEY_SAME)
            mo.mode = MONEY_REFUSED;
        if (mo.mode != MONEY_SAME && !strstr(mo.label, c) && strlen(mo.label) + strlen(c) + 4 < sizeof mo.label)
            snprintf(mo.label + strlen(mo.label), sizeof mo.label - strlen(mo.label), " | %s", c);
        all_rates = all_rates && isfinite(runs[i].lay.usd_per_unit) && runs[i].lay.usd_per_unit > 0;
    }
    if (mo.mode == MONEY_REFUSED && all_rates) {
        mo.mode = MONEY_USD;
        snprintf(mo.label, sizeof mo.label, "USD");
    }
    return mo;
}

/* The factor that brings run r's metric m into the compared unit. */
static double money_scale(const money *mo, const sim_study_run *r, const sim_metric *m)
{
    return is_money(m) && mo->mode == MONEY_USD ? r->lay.usd_per_unit : 1.0;
}

/* The metric's unit as compared ("currency" resolved). */
static const char *unit_of(const money *mo, const sim_metric *m)
{
    return is_money(m) ? mo->label : m->unit;
}

static void scale_summary(sim_summary *s, double k)
{
    s->mean *= k;
    s->p10 *= k;
    s->p50 *= k;
    s->p90 *= k;
    s->mean_reached *= k;
    s->ci95_half *= k;
}

/* Paired differences b - a of metric m (in the compared unit), into
 * scratch; returns their count. A milestone's (SIM_METRIC_DAY) counts
 * every replication: one that never reaches it is later than any that does
 * (+inf; two that never do, a tie: 0). Another figure is differenced where
 * both are defined. */
static size_t paired_diffs(const money *mo, const sim_study_run *a, const sim_study_run *b, size_t m,
                           double *scratch)
{
    size_t k = 0, nm = a->lay.n_metrics;
    bool day = a->lay.metrics[m].flags & SIM_METRIC_DAY;
    double sa = money_scale(mo, a, &a->lay.metrics[m]), sb = money_scale(mo, b, &b->lay.metrics[m]);
    for (size_t i = 0; i < a->res.n_reps && i < b->res.n_reps; i++) {
        double x = a->res.metrics[i * nm + m], y = b->res.metrics[i * nm + m];
        if (day) {
            x = isfinite(x) ? x : INFINITY;
            y = isfinite(y) ? y : INFINITY;
            scratch[k++] = isinf(x) && isinf(y) ? 0.0 : y * sb - x * sa;
        } else if (isfinite(x) && isfinite(y)) {
            /* a difference within rounding of the figures' own size is none (two sums of the same
             * terms in another order differ in their last bits) */
            double d = y * sb - x * sa;
            scratch[k++] = fabs(d) <= 1e-12 * fmax(fabs(x * sa), fabs(y * sb)) ? 0.0 : d;
        }
    }
    return k;
}

/* The share of replications in which b reaches milestone m sooner than a
 * (*later: later), every replication counted as paired_diffs counts it. */
static void sooner_share(const sim_study_run *a, const sim_study_run *b, size_t m, double *sooner, double *later)
{
    size_t nm = a->lay.n_metrics, n = 0, s = 0, l = 0;
    for (size_t i = 0; i < a->res.n_reps && i < b->res.n_reps; i++, n++) {
        double x = a->res.metrics[i * nm + m], y = b->res.metrics[i * nm + m];
        x = isfinite(x) ? x : INFINITY;
        y = isfinite(y) ? y : INFINITY;
        s += y < x;
        l += y > x;
    }
    *sooner = n ? (double)s / (double)n : NAN;
    *later = n ? (double)l / (double)n : NAN;
}

static sim_summary summarize_metric(const money *mo, const sim_study_run *r, size_t m, double *scratch)
{
    sim_summary s = sim_summarize(r->res.metrics + m, r->res.n_reps, r->lay.n_metrics, scratch);
    scale_summary(&s, money_scale(mo, r, &r->lay.metrics[m]));
    return s;
}

/* The paired difference; for money across currencies with no rate, none
 * (every field NAN, n 0). */
static sim_summary summarize_diff(const money *mo, const sim_study_run *a, const sim_study_run *b, size_t m,
                                  double *diffs, double *scratch)
{
    if (is_money(&a->lay.metrics[m]) && mo->mode == MONEY_REFUSED) {
        sim_summary none;
        memset(&none, 0, sizeof none);
        none.mean = none.p10 = none.p50 = none.p90 = none.mean_reached = none.ci95_half = NAN;
        return none;
    }
    size_t k = paired_diffs(mo, a, b, m, diffs);
    if (a->lay.metrics[m].flags & SIM_METRIC_DAY)
        return sim_summarize_paired(diffs, k, scratch);
    return sim_summarize(diffs, k, 1, scratch);
}

/* Warnings: the money rule when currencies differ, and every layout fact
 * marked must_match that differs between scenarios. Returns the count,
 * each line in out[i]. */
#define MAX_WARNINGS 8
static size_t warnings_of(const money *mo, const sim_study_run *runs, size_t n, char out[][256])
{
    size_t k = 0;
    if (mo->mode == MONEY_USD) {
        int len = snprintf(out[k], 256, "money in USD at the scenarios' rates (");
        bool first = true;
        for (size_t i = 0; i < n && len < 230; i++) {
            bool seen = !strcmp(runs[i].lay.currency, "USD"); /* USD needs no rate; each other rate once */
            for (size_t j = 0; j < i && !seen; j++)
                seen = !strcmp(runs[j].lay.currency, runs[i].lay.currency) &&
                       runs[j].lay.usd_per_unit == runs[i].lay.usd_per_unit;
            if (seen)
                continue;
            len += snprintf(out[k] + len, (size_t)(256 - len), "%s1 %s = %.6g USD", first ? "" : ", ",
                            runs[i].lay.currency, runs[i].lay.usd_per_unit);
            first = false;
        }
        snprintf(out[k] + len, (size_t)(256 - len > 0 ? 256 - len : 0), ")");
        k++;
    } else if (mo->mode == MONEY_REFUSED) {
        snprintf(out[k++], 256,
                 "money not differenced: the scenarios' currencies differ (%s) and not all give exchange.usd_per_unit",
                 mo->label);
    }
    const sim_layout *l0 = &runs[0].lay;
    for (size_t j = 0; j < l0->n_meta && k < MAX_WARNINGS; j++) {
        if (!l0->meta_must_match[j])
            continue;
        for (size_t i = 1; i < n; i++) {
            const char *v = NULL;
            for (size_t q = 0; q < runs[i].lay.n_meta; q++)
                if (!strcmp(runs[i].lay.meta_keys[q], l0->meta_keys[j]))
                    v = runs[i].lay.meta_values[q];
            if (!v || strcmp(v, l0->meta_values[j]) != 0) {
                snprintf(out[k++], 256, "%s differs: %s in %s, %s in %s: the figures that depend on it are not alike",
                         l0->meta_keys[j], l0->meta_values[j], runs[0].label, v ? v : "(none)", runs[i].label);
                break;
            }
        }
    }
    return k;
}

/* compare.json's "scenarios": label, name, file, currency (and its rate). */
static cJSON *json_scenarios(cJSON *root, const sim_study_run *runs, size_t n)
{
    cJSON *list = cJSON_AddArrayToObject(root, "scenarios");
    for (size_t i = 0; list && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "label", runs[i].label);
        cJSON_AddStringToObject(o, "name", runs[i].name);
        cJSON_AddStringToObject(o, "file", runs[i].file);
        cJSON_AddStringToObject(o, "currency", runs[i].lay.currency ? runs[i].lay.currency : "");
        if (isfinite(runs[i].lay.usd_per_unit))
            cJSON_AddNumberToObject(o, "usd_per_unit", runs[i].lay.usd_per_unit);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

/* "figures": each metric of each scenario (dates for days, the currency for money). */
static int json_figures(cJSON *figs, const money *mo, const sim_study_run *runs, size_t n, double *scratch)
{
    const sim_layout *lay = &runs[0].lay;
    int rc = 0;
    for (size_t m = 0; m < lay->n_metrics && rc == 0; m++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            char key[512];
            snprintf(key, sizeof key, "%s.%s", lay->metrics[m].name, runs[i].label);
            sim_summary s = summarize_metric(mo, &runs[i], m, scratch);
            rc = sim_json_add_summary(figs, key, &s);
            if (rc == 0 && (lay->metrics[m].flags & SIM_METRIC_DAY) && isfinite(runs[i].lay.start_date_days))
                rc = sim_json_add_dates(figs, key, runs[i].lay.start_date_days, &s);
            if (rc == 0 && is_money(&lay->metrics[m])) {
                const char *leaf;
                cJSON *parent = sim_json_nest(figs, key, &leaf);
                cJSON *fo = parent ? cJSON_GetObjectItemCaseSensitive(parent, leaf) : NULL;
                if (fo)
                    cJSON_AddStringToObject(fo, "currency",
                                            mo->mode == MONEY_USD ? "USD" : runs[i].lay.currency ? runs[i].lay.currency : "");
            }
        }
    return rc;
}

/* "paired_difference": each scenario against the first, replication by replication. */
static int json_pairs(cJSON *diffs, const money *mo, const sim_study_run *runs, size_t n, double *d, double *scratch)
{
    const sim_layout *lay = &runs[0].lay;
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        char pair[160];
        snprintf(pair, sizeof pair, "%s_minus_%s", runs[i].label, runs[0].label);
        cJSON *po = cJSON_AddObjectToObject(diffs, pair);
        for (size_t m = 0; po && m < lay->n_metrics && rc == 0; m++) {
            sim_summary s = summarize_diff(mo, &runs[0], &runs[i], m, d, scratch);
            rc = sim_json_add_summary(po, lay->metrics[m].name, &s);
            const char *leaf;
            cJSON *parent = rc == 0 ? sim_json_nest(po, lay->metrics[m].name, &leaf) : NULL;
            cJSON *fo = parent ? cJSON_GetObjectItemCaseSensitive(parent, leaf) : NULL;
            if (fo)
                cJSON_AddNumberToObject(fo, "n_pairs", (double)s.n);
            if (fo && (lay->metrics[m].flags & SIM_METRIC_DAY)) { /* every replication counted (paired_diffs) */
                double sooner, later;
                sooner_share(&runs[0], &runs[i], m, &sooner, &later);
                sim_json_num(fo, "p_sooner", sooner);
                sim_json_num(fo, "p_later", later);
            }
            if (fo && is_money(&lay->metrics[m]))
                cJSON_AddStringToObject(fo, "currency", mo->label);
        }
        if (!po)
            rc = -1;
    }
    return rc;
}

/* "facts": each scenario's conclusions (nested by their keys). */
static void json_facts(cJSON *facts, const sim_study_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *fo = cJSON_AddObjectToObject(facts, runs[i].label);
        for (size_t k = 0; fo && k < runs[i].facts.n; k++) {
            const char *leaf;
            cJSON *parent = sim_json_nest(fo, runs[i].facts.key[k], &leaf);
            if (parent)
                cJSON_AddStringToObject(parent, leaf, runs[i].facts.value[k]);
        }
    }
}

static int write_compare_json(const char *path, const sim_study_run *runs, size_t n, uint64_t seed, double *d,
                              double *scratch, sim_err *err)
{
    money mo = money_of(runs, n);
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return sim_errf(err, "out of memory building compare.json");
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "replications", (double)runs[0].res.n_reps);
    cJSON_AddStringToObject(root, "baseline", runs[0].label);
    cJSON *list = json_scenarios(root, runs, n);
    cJSON_AddStringToObject(root, "money_unit", mo.label);
    cJSON_AddBoolToObject(root, "money_differenced", mo.mode != MONEY_REFUSED);
    char warn[MAX_WARNINGS][256];
    size_t nw = warnings_of(&mo, runs, n, warn);
    cJSON *wl = cJSON_AddArrayToObject(root, "warnings");
    for (size_t k = 0; wl && k < nw; k++)
        cJSON_AddItemToArray(wl, cJSON_CreateString(warn[k]));
    cJSON *figs = cJSON_AddObjectToObject(root, "figures");
    int rc = figs ? json_figures(figs, &mo, runs, n, scratch) : -1;
    cJSON *diffs = cJSON_AddObjectToObject(root, "paired_difference");
    if (rc == 0)
        rc = diffs ? json_pairs(diffs, &mo, runs, n, d, scratch) : -1;
    cJSON *facts = cJSON_AddObjectToObject(root, "facts");
    if (rc == 0 && facts)
        json_facts(facts, runs, n);
    if (!list || !figs || !diffs || !facts || rc != 0) {
        cJSON_Delete(root);
        return sim_errf(err, "out of memory building compare.json");
    }
    rc = sim_json_write(root, path, err);
    cJSON_Delete(root);
    return rc;
}


static int write_compare_csv(const char *path, const sim_study_run *runs, size_t n, double *d, double *scratch,
                             sim_err *err)
{
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    const sim_layout *lay = &runs[0].lay;
    money mo = money_of(runs, n);
    fputs("metric,scenario,unit,mean,p10,p50,p90,diff_mean,diff_p10,diff_p50,diff_p90\n", f);
    for (size_t m = 0; m < lay->n_metrics; m++)
        for (size_t i = 0; i < n; i++) {
            sim_summary s = summarize_metric(&mo, &runs[i], m, scratch);
            const char *unit = is_money(&lay->metrics[m]) && mo.mode == MONEY_REFUSED
                                   ? (runs[i].lay.currency ? runs[i].lay.currency : "")
                                   : unit_of(&mo, &lay->metrics[m]);
            fprintf(f, "%s,%s,%s", lay->metrics[m].name, runs[i].label, unit);
            sim_csv_num(f, s.mean);
            sim_csv_num(f, s.p10);
            sim_csv_num(f, s.p50);
            sim_csv_num(f, s.p90);
            if (i == 0) {
                fputs(",,,,\n", f);
                continue;
            }
            sim_summary ds = summarize_diff(&mo, &runs[0], &runs[i], m, d, scratch);
            sim_csv_num(f, ds.mean);
            sim_csv_num(f, ds.p10);
            sim_csv_num(f, ds.p50);
            sim_csv_num(f, ds.p90);
            fputc('\n', f);
        }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

static int metric_index(const sim_layout *lay, const char *name)
{
    for (size_t m = 0; m < lay->n_metrics; m++)
        if (!strcmp(lay->metrics[m].name, name))
            return (int)m;
    return -1;
}

/* One scenario's row of the ranking: each column's P10, P50, P90 (money in
 * the comparison's unit, NAN when refused); the columns and the key are the
 * app's (sim_layout.rank). */
#define MAX_RANK 16
typedef struct rank_row {
    size_t i;
    double q[MAX_RANK][3];
    int key, tie; /* the key column, the tie-breaking one (-1: none) */
} rank_row;

static int by_key(const void *a, const void *b)
{
    const rank_row *x = a, *y = b;
    double p = x->q[x->key][1], q = y->q[y->key][1];
    if (isnan(p) != isnan(q))
        return isnan(p) - isnan(q);
    if (!isnan(p) && p != q)
        return p < q ? -1 : 1;
    /* tied (or neither reached): the higher tie-breaker first, then file order */
    if (x->tie >= 0) {
        double u = x->q[x->tie][1], v = y->q[y->tie][1];
        if (!isnan(u) && !isnan(v) && u != v)
            return u > v ? -1 : 1;
    }
    return (x->i > y->i) - (x->i < y->i);
}

static size_t rank_columns(const sim_layout *lay) { return lay->n_rank < MAX_RANK ? lay->n_rank : MAX_RANK; }

static bool rank_day(const sim_layout *lay, size_t c)
{
    int m = metric_index(lay, lay->rank[c].metric);
    return m >= 0 && (lay->metrics[m].flags & SIM_METRIC_DAY);
}

static bool rank_money(const sim_layout *lay, size_t c)
{
    int m = metric_index(lay, lay->rank[c].metric);
    return m >= 0 && is_money(&lay->metrics[m]);
}

/* rows[n], ranked by the key column's P50 (not reached last), ties by the tie column, then file order;
 * -1 when the app declares no key. */
static int ranking(const sim_study_run *runs, size_t n, const money *mo, rank_row *rows)
{
    const sim_layout *lay = &runs[0].lay;
    size_t nc = rank_columns(lay);
    int key = -1, tie = -1;
    for (size_t c = 0; c < nc; c++) {
        if ((lay->rank[c].role & SIM_RANK_KEY) && key < 0 && metric_index(lay, lay->rank[c].metric) >= 0)
            key = (int)c;
        if ((lay->rank[c].role & SIM_RANK_TIE) && tie < 0)
            tie = (int)c;
    }
    double *scratch = sim_calloc(runs[0].res.n_reps + 1, sizeof *scratch, NULL);
    if (key < 0 || !scratch) {
        free(scratch);
        return -1;
    }
    bool money_ok = mo->mode != MONEY_REFUSED;
    for (size_t i = 0; i < n; i++) {
        rank_row *r = &rows[i];
        r->i = i;
        r->key = key;
        r->tie = tie;
        for (size_t c = 0; c < nc; c++) {
            int m = metric_index(lay, lay->rank[c].metric);
            sim_summary s = {.p10 = NAN, .p50 = NAN, .p90 = NAN};
            if (m >= 0 && (money_ok || !is_money(&lay->metrics[m])))
                s = summarize_metric(mo, &runs[i], (size_t)m, scratch);
            r->q[c][0] = s.p10;
            r->q[c][1] = s.p50;
            r->q[c][2] = s.p90;
        }
    }
    free(scratch);
    qsort(rows, n, sizeof *rows, by_key);
    return 0;
}

/* The scenarios' rows, ranked (caller frees); NULL out of memory or with no key to rank by. */
static rank_row *ranked(const sim_study_run *runs, size_t n, const money *mo)
{
    rank_row *rows = sim_calloc(n, sizeof *rows, NULL);
    if (rows && ranking(runs, n, mo, rows)) {
        free(rows);
        rows = NULL;
    }
    return rows;
}

/* ranking.csv: one row per scenario, ranked (dates where the run has one). */
static int write_ranking_csv(const char *path, const sim_study_run *runs, size_t n, sim_err *err)
{
    const sim_layout *lay = &runs[0].lay;
    size_t nc = rank_columns(lay);
    money mo = money_of(runs, n);
    rank_row *rows = ranked(runs, n, &mo);
    if (!rows)
        return sim_errf(err, "out of memory ranking the scenarios");
    FILE *f = sim_create_file(path, NULL);
    if (!f) {
        free(rows);
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    }
    bool any_money = false;
    fputs("rank,scenario", f);
    for (size_t c = 0; c < nc; c++) {
        const char *nm = lay->rank[c].csv;
        if (rank_day(lay, c) && (lay->rank[c].role & SIM_RANK_BANDS))
            fprintf(f, ",%s_p10_days,%s_p50_days,%s_p90_days,%s_p50_date", nm, nm, nm, nm);
        else if (rank_day(lay, c))
            fprintf(f, ",%s_p50_days,%s_p50_date", nm, nm);
        else
            fprintf(f, ",%s", nm);
        any_money |= rank_money(lay, c);
    }
    fputs(any_money ? ",money_unit\n" : "\n", f);
    for (size_t k = 0; k < n; k++) {
        const rank_row *r = &rows[k];
        const sim_study_run *run = &runs[r->i];
        fprintf(f, "%zu,%s", k + 1, run->label);
        for (size_t c = 0; c < nc; c++) {
            if (!rank_day(lay, c)) {
                sim_csv_num(f, r->q[c][1]);
                continue;
            }
            char d[SIM_DATE_LEN] = "";
            if (isfinite(run->lay.start_date_days))
                sim_date_of(run->lay.start_date_days, r->q[c][1], d);
            if (lay->rank[c].role & SIM_RANK_BANDS)
                for (int q = 0; q < 3; q++)
                    sim_csv_num(f, r->q[c][q]);
            else
                sim_csv_num(f, r->q[c][1]);
            fprintf(f, ",%s", d);
        }
        if (any_money)
            fprintf(f, ",%s", mo.label);
        fputc('\n', f);
    }
    free(rows);
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed: %s", path, strerror(errno));
    return 0;
}

int sim_compare_write(const char *dir, const sim_study_run *runs, size_t n, uint64_t seed, sim_err *err)
{
    if (n == 0)
        return sim_errf(err, "nothing to compare");
    size_t max_reps = 0;
    for (size_t i = 0; i < n; i++) {
        if (runs[i].lay.n_metrics != runs[0].lay.n_metrics)
            return sim_errf(err, "%s and %s report different figures", runs[0].file, runs[i].file);
        if (runs[i].res.n_reps > max_reps)
            max_reps = runs[i].res.n_reps;
    }
    double *d = sim_calloc(max_reps + 1, sizeof *d, err);
    double *scratch = d ? sim_calloc(max_reps + 1, sizeof *scratch, err) : NULL;
    if (!scratch) {
        free(d);
        return sim_err_oom_for(err, "the comparison's paired differences");
    }
    char tmp_json[4096], tmp_csv[4096], fin_json[4096], fin_csv[4096], tmp_rank[4096], fin_rank[4096];
    snprintf(tmp_json, sizeof tmp_json, "%s/.compare.json.tmp", dir);
    snprintf(tmp_csv, sizeof tmp_csv, "%s/.compare.csv.tmp", dir);
    snprintf(tmp_rank, sizeof tmp_rank, "%s/.ranking.csv.tmp", dir);
    snprintf(fin_json, sizeof fin_json, "%s/compare.json", dir);
    snprintf(fin_csv, sizeof fin_csv, "%s/compare.csv", dir);
    snprintf(fin_rank, sizeof fin_rank, "%s/ranking.csv", dir);
    int rc = write_compare_json(tmp_json, runs, n, seed, d, scratch, err);
    if (rc == 0)
        rc = write_compare_csv(tmp_csv, runs, n, d, scratch, err);
    if (rc == 0)
        rc = write_ranking_csv(tmp_rank, runs, n, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", dir);
    if (rc == 0 && (rename(tmp_csv, fin_csv) != 0 || rename(tmp_rank, fin_rank) != 0 || rename(tmp_json, fin_json) != 0))
        rc = sim_errf(err, "%s: cannot rename into place: %s", dir, strerror(errno));
    if (rc != 0) {
        unlink(tmp_json);
        unlink(tmp_csv);
        unlink(tmp_rank);
    }
    free(d);
    free(scratch);
    return rc;
}

/* Three or four significant digits, with k / M / G for large magnitudes. */
static void fmt_num(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(buf, n, "n/a");
    else if (a >= 1e9)
        snprintf(buf, n, "%.3gG", v / 1e9);
    else if (a >= 1e6)
        snprintf(buf, n, "%.3gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.3gk", v / 1e3);
    else if (a >= 100)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.4g", v);
}

static void fmt_cell(char *buf, size_t n, const sim_summary *s, bool bands)
{
    char a[24], b[24], c[24];
    fmt_num(a, sizeof a, s->p50);
    if (!bands) {
        snprintf(buf, n, "%s", a);
        return;
    }
    fmt_num(b, sizeof b, s->p10);
    fmt_num(c, sizeof c, s->p90);
    snprintf(buf, n, "%s [%s, %s]", a, b, c);
}

/* A day metric's P50 [P10, P90] as dates, under its row, for the scenarios
 * that have a start date. */
static void print_dates(FILE *f, const sim_study_run *runs, size_t n, size_t m, int W0, int W, bool bands,
                        double *scratch, const money *mo)
{
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= isfinite(runs[i].lay.start_date_days);
    if (!any)
        return;
    fprintf(f, "%-*s", W0, "  as dates");
    for (size_t i = 0; i < n; i++) {
        char cell[64] = "", a[SIM_DATE_LEN], b[SIM_DATE_LEN], c[SIM_DATE_LEN];
        if (isfinite(runs[i].lay.start_date_days)) {
            sim_summary s = summarize_metric(mo, &runs[i], m, scratch);
            sim_date_of(runs[i].lay.start_date_days, s.p50, a);
            sim_date_of(runs[i].lay.start_date_days, s.p10, b);
            sim_date_of(runs[i].lay.start_date_days, s.p90, c);
            if (!*a)
                snprintf(cell, sizeof cell, "not reached");
            else if (bands)
                snprintf(cell, sizeof cell, "%s [%.7s, %.7s]", a, *b ? b : "-", *c ? c : "-");
            else
                snprintf(cell, sizeof cell, "%s", a);
        }
        fprintf(f, " %-*s", W, cell);
    }
    fputc('\n', f);
}

/* A day as a date (or a day count without a start date). */
static void fmt_day(char *buf, size_t n, const sim_study_run *r, double day)
{
    if (!isfinite(day))
        snprintf(buf, n, "not reached");
    else if (isfinite(r->lay.start_date_days))
        sim_date_of(r->lay.start_date_days, day, buf);
    else
        snprintf(buf, n, "day %.0f", day);
}

void sim_compare_print_ranked(FILE *f, const sim_study_run *runs, size_t n)
{
    const sim_layout *lay = &runs[0].lay;
    size_t nc = rank_columns(lay);
    money mo = money_of(runs, n);
    rank_row *rows = ranked(runs, n, &mo);
    if (!rows)
        return;
    fprintf(f, "%zu scenarios, %zu replication(s) each with common random numbers, ranked by %s (P50)\n", n,
            runs[0].res.n_reps, lay->rank[rows[0].key].what);
    char warn[MAX_WARNINGS][256];
    size_t nw = warnings_of(&mo, runs, n, warn);
    for (size_t k = 0; k < nw; k++)
        fprintf(f, "note: %s\n", warn[k]);
    fprintf(f, "%-4s %-16s", "rank", "scenario");
    char moneys[160] = "";
    for (size_t c = 0; c < nc; c++) {
        const sim_rank_column *rc = &lay->rank[c];
        char h[48];
        if (rank_day(lay, c)) {
            snprintf(h, sizeof h, "%s P50", rc->shown);
            fprintf(f, " %-*s", rc->width, h);
            if (rc->role & SIM_RANK_BANDS) {
                snprintf(h, sizeof h, "%s P90", rc->shown);
                fprintf(f, " %-*s", rc->width, h);
            }
        } else
            fprintf(f, " %-*s", rc->width, rc->shown);
        if (rank_money(lay, c)) {
            size_t l = strlen(moneys);
            snprintf(moneys + l, sizeof moneys - l, "%s%s", l ? ", " : "", rc->shown);
        }
    }
    fputc('\n', f);
    for (size_t k = 0; k < n; k++) {
        const rank_row *r = &rows[k];
        const sim_study_run *run = &runs[r->i];
        fprintf(f, "%-4zu %-16.16s", k + 1, run->label);
        for (size_t c = 0; c < nc; c++) {
            const sim_rank_column *rc = &lay->rank[c];
            char v[32];
            if (rank_day(lay, c)) {
                fmt_day(v, sizeof v, run, r->q[c][1]);
                fprintf(f, " %-*s", rc->width, v);
                if (rc->role & SIM_RANK_BANDS) {
                    fmt_day(v, sizeof v, run, r->q[c][2]);
                    fprintf(f, " %-*s", rc->width, v);
                }
            } else {
                fmt_num(v, sizeof v, r->q[c][1]);
                fprintf(f, " %-*s", rc->width, v);
            }
        }
        fputc('\n', f);
    }
    if (*moneys)
        fprintf(f, "money (%s) in %s\n", moneys, mo.label);
    free(rows);
}

/* The table's layout: the first column's width, each scenario's, whether cells have bands. */
typedef struct table_fmt {
    int w0, w;
    bool bands;
    const money *mo;
    double *d, *scratch;
} table_fmt;

/* The table's head: what the cells are, the notes, the columns. */
static void print_head(FILE *f, const sim_study_run *runs, size_t n, const table_fmt *t)
{
    fprintf(f, "%zu replication(s) with common random numbers; %s\n", runs[0].res.n_reps,
            t->bands ? "cells: P50 [P10, P90] over replications" : "one replication");
    fprintf(f, "base = %s; the '- base' columns are paired differences, replication by replication\n", runs[0].label);
    fprintf(f, "n/a: the quantile falls on replications that never reached the milestone within the horizon\n");
    char warn[MAX_WARNINGS][256];
    size_t nw = warnings_of(t->mo, runs, n, warn);
    for (size_t k = 0; k < nw; k++)
        fprintf(f, "note: %s\n", warn[k]);
    fputc('\n', f);
    fprintf(f, "%-*s", t->w0, "figure");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %-*.*s", t->w, t->w, runs[i].label);
    for (size_t i = 1; i < n; i++) {
        char h[80];
        snprintf(h, sizeof h, "%s - base", runs[i].label);
        fprintf(f, " %-*.*s", t->w, t->w, h);
    }
    fputc('\n', f);
}

/* A headline metric's row (and, for a day, its dates and who is sooner). */
static void print_metric(FILE *f, const sim_study_run *runs, size_t n, size_t m, const table_fmt *t)
{
    const sim_metric *mt = &runs[0].lay.metrics[m];
    const money *mo = t->mo;
    int W = t->w, W0 = t->w0;
    char name[200], cell[128];
    if (is_money(mt))
        snprintf(name, sizeof name, "%s (%s)", mt->name, mo->label);
    else
        snprintf(name, sizeof name, "%s", mt->name);
    fprintf(f, "%-*.*s", W0, W0, name);
    for (size_t i = 0; i < n; i++) {
        sim_summary s = summarize_metric(mo, &runs[i], m, t->scratch);
        fmt_cell(cell, sizeof cell, &s, t->bands);
        fprintf(f, " %-*s", W, cell);
    }
    for (size_t i = 1; i < n; i++) {
        sim_summary s = summarize_diff(mo, &runs[0], &runs[i], m, t->d, t->scratch);
        if (is_money(mt) && mo->mode == MONEY_REFUSED)
            snprintf(cell, sizeof cell, "n/a (%s)", mo->label);
        else
            fmt_cell(cell, sizeof cell, &s, t->bands);
        fprintf(f, " %-*s", W, cell);
    }
    fputc('\n', f);
    if (!(mt->flags & SIM_METRIC_DAY))
        return;
    print_dates(f, runs, n, m, W0, W, t->bands, t->scratch, mo);
    /* every replication counted: one that never reaches it is later than any that does */
    fprintf(f, "%-*s", W0, "  sooner / later than base");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %-*s", W, "");
    for (size_t i = 1; i < n; i++) {
        double sooner, later;
        sooner_share(&runs[0], &runs[i], m, &sooner, &later);
        snprintf(cell, sizeof cell, "%.0f %% / %.0f %%", 100 * sooner, 100 * later);
        fprintf(f, " %-*s", W, cell);
    }
    fputc('\n', f);
}

void sim_compare_print(FILE *f, const sim_study_run *runs, size_t n)
{
    if (n == 0)
        return;
    const sim_layout *lay = &runs[0].lay;
    size_t reps = runs[0].res.n_reps;
    double *d = sim_calloc(reps + 1, sizeof *d, NULL), *scratch = sim_calloc(reps + 1, sizeof *scratch, NULL);
    if (!d || !scratch) {
        free(d);
        free(scratch);
        return;
    }
    money mo = money_of(runs, n);
    table_fmt t = {30, 26, reps > 1, &mo, d, scratch};
    for (size_t i = 0; i < n; i++) {
        if ((int)strlen(runs[i].label) + 8 > t.w)
            t.w = (int)strlen(runs[i].label) + 8;
        if (isfinite(runs[i].lay.start_date_days) && t.w < 31) /* "2028-12-26 [2028-12, 2029-01]" */
            t.w = 31;
    }
    print_head(f, runs, n, &t);
    for (size_t m = 0; m < lay->n_metrics; m++)
        if (lay->metrics[m].flags & SIM_METRIC_HEADLINE)
            print_metric(f, runs, n, m, &t);
    size_t nf = runs[0].facts.n;
    for (size_t k = 0; k < nf; k++) {
        fprintf(f, "%-*.*s", t.w0, t.w0, runs[0].facts.key[k]);
        for (size_t i = 0; i < n; i++)
            fprintf(f, " %-*s", t.w, k < runs[i].facts.n ? runs[i].facts.value[k] : "");
        fputc('\n', f);
    }
    free(d);
    free(scratch);
}
