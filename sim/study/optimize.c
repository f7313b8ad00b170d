#include "sim/study/optimize.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/interrupt.h"
#include "sim/study/mpi.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"

#define BOOTSTRAP 1000

/* ---- parsing ---- */

static const char *const STAT_NAMES[] = {"mean", "p10", "p50", "p90", "cvar10"};

const char *sim_stat_name(sim_stat s) { return STAT_NAMES[s]; }

static int parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(*v) ? 0 : -1;
}

int sim_decide_parse(const char *arg, sim_decide *d, sim_err *err)
{
    memset(d, 0, sizeof *d);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof d->key)
        return sim_errf(err, "--decide %s: KEY=LOW:HIGH, KEY=LOW:HIGH:STEP or KEY=A,B,C", arg);
    memcpy(d->key, arg, (size_t)(eq - arg));
    const char *v = eq + 1;
    if (!strcmp(d->key, "scenario") && strchr(v, ':') && !strchr(v, ','))
        return sim_errf(err, "--decide %s: a choice of scenario files, scenario=A.cfg,B.cfg", arg);
    if (strchr(v, ':') && !strchr(v, '"') && strcmp(d->key, "scenario")) {
        char buf[200];
        snprintf(buf, sizeof buf, "%s", v);
        char *p[3] = {buf, NULL, NULL};
        int n = 1;
        for (char *c = buf; *c && n < 4; c++)
            if (*c == ':') {
                *c = '\0';
                if (n == 3)
                    return sim_errf(err, "--decide %s: at most LOW:HIGH:STEP", arg);
                p[n++] = c + 1;
            }
        if (parse_number(p[0], &d->low) || parse_number(p[1], &d->high) || (n == 3 && parse_number(p[2], &d->step)))
            return sim_errf(err, "--decide %s: LOW, HIGH and STEP are numbers", arg);
        if (!(d->high > d->low))
            return sim_errf(err, "--decide %s: HIGH must be above LOW", arg);
        d->kind = n == 3 ? SIM_DECIDE_GRID : SIM_DECIDE_CONTINUOUS;
        if (n == 3 && !(d->step > 0 && (d->high - d->low) / d->step <= 10000))
            return sim_errf(err, "--decide %s: STEP must be positive and give at most 10,001 values", arg);
        return 0;
    }
    d->kind = SIM_DECIDE_CHOICE;
    const char *p = v;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof d->choices[0])
            return sim_errf(err, "--decide %s: a choice is empty or longer than %zu characters", arg,
                            sizeof d->choices[0] - 1);
        if (d->n_choices == SIM_OPT_MAX_CHOICES)
            return sim_errf(err, "--decide %s: at most %d choices", arg, SIM_OPT_MAX_CHOICES);
        memcpy(d->choices[d->n_choices], p, len);
        d->choices[d->n_choices++][len] = '\0';
        p += len;
        if (*p == ',')
            p++;
    }
    if (d->n_choices < 2)
        return sim_errf(err, "--decide %s: a choice needs at least two values (A,B), a range LOW:HIGH", arg);
    return 0;
}

/* METRIC[:STAT] into metric and stat (default mean). */
static int parse_metric_stat(const char *s, size_t len, char *metric, size_t msize, sim_stat *stat, const char *what,
                             sim_err *err)
{
    const char *colon = memchr(s, ':', len);
    size_t ml = colon ? (size_t)(colon - s) : len;
    if (ml == 0 || ml >= msize)
        return sim_errf(err, "%s: no metric", what);
    memcpy(metric, s, ml);
    metric[ml] = '\0';
    *stat = SIM_STAT_MEAN;
    if (!colon)
        return 0;
    size_t sl = len - ml - 1;
    for (int k = 0; k < 5; k++)
        if (sl == strlen(STAT_NAMES[k]) && !strncmp(colon + 1, STAT_NAMES[k], sl)) {
            *stat = (sim_stat)k;
            return 0;
        }
    return sim_errf(err, "%s: '%.*s' is not a statistic (mean, p10, p50, p90, cvar10)", what, (int)sl, colon + 1);
}

int sim_objective_parse(const char *arg, sim_objective *o, sim_err *err)
{
    char what[300];
    snprintf(what, sizeof what, "--objective %s", arg);
    int sense = o->sense;
    memset(o, 0, sizeof *o);
    o->sense = sense;
    return parse_metric_stat(arg, strlen(arg), o->metric, sizeof o->metric, &o->stat, what, err);
}

int sim_constraint_parse(const char *arg, sim_constraint *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    char what[300];
    snprintf(what, sizeof what, "--constraint %s", arg);
    const char *op = strstr(arg, "<=");
    c->at_most = op != NULL;
    if (!op)
        op = strstr(arg, ">=");
    if (!op)
        return sim_errf(err, "%s: METRIC[:STAT]<=VALUE or METRIC[:STAT]>=VALUE", what);
    if (parse_number(op + 2, &c->limit))
        return sim_errf(err, "%s: the limit '%s' is not a number", what, op + 2);
    return parse_metric_stat(arg, (size_t)(op - arg), c->metric, sizeof c->metric, &c->stat, what, err);
}

/* ---- statistics ---- */

/* Type 7 quantile of sorted data, infinities allowed at either end: a
 * quantile that touches one is that infinity. */
static double quantile_sorted(const double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return x[n - 1];
    double f = h - (double)lo;
    if (f == 0 || !isfinite(x[lo]) || !isfinite(x[lo + 1]))
        return f == 0 ? x[lo] : isfinite(x[lo]) ? x[lo + 1] : x[lo];
    return x[lo] + f * (x[lo + 1] - x[lo]);
}

double sim_stat_of(const double *x, size_t n, size_t stride, sim_stat s, int sense, double *scratch)
{
    if (n == 0)
        return NAN;
    double worst = sense > 0 ? -INFINITY : INFINITY;
    for (size_t i = 0; i < n; i++)
        scratch[i] = isnan(x[i * stride]) ? worst : x[i * stride];
    if (s == SIM_STAT_MEAN) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            if (!isfinite(scratch[i]))
                return worst;
            else
                sum += scratch[i];
        return sum / (double)n;
    }
    qsort(scratch, n, sizeof *scratch, sim_cmp_double);
    if (s == SIM_STAT_CVAR10) {
        size_t k = (size_t)ceil(0.1 * (double)n);
        k = k ? k : 1;
        double sum = 0;
        for (size_t i = 0; i < k; i++) {
            double v = sense > 0 ? scratch[i] : scratch[n - 1 - i];
            if (!isfinite(v))
                return v;
            sum += v;
        }
        return sum / (double)k;
    }
    static const double P[] = {0, 0.1, 0.5, 0.9};
    return quantile_sorted(scratch, n, P[s]);
}

/* ---- candidates ---- */

typedef struct cand {
    double x[SIM_OPT_MAX_DECISIONS]; /* values; a choice: its index */
    size_t n;                        /* replications run */
    double *y;                       /* n rows of 1 + n_con columns */
    double obj, lo, hi;              /* the objective on its n, its bootstrap interval */
    double con[SIM_OPT_MAX_CONSTRAINTS];
    bool feasible, finalist;
    int stage;    /* a finalist: the stage it was dropped at (separated), or the last */
    double p_best; /* NAN: not a finalist at the end */
    double d_lo, d_hi; /* its difference from the chosen, last compared */
    bool as_written;   /* the scenario as written: no decision set */
} cand;

typedef struct job {
    const sim_optimize_spec *s;
    sim_candidate_fn fn;
    void *ctx;
    cand *c;
    size_t n_c, cap;
    size_t spent; /* replications run */
    size_t nv;    /* columns: objective, then constraints */
    size_t cols[1 + SIM_OPT_MAX_CONSTRAINTS];
    double *scratch;
    size_t scratch_n;
    sim_err *err;
    int failed;
    gsl_rng *rng;
    cand base; /* the scenario as written, on the chosen's replications */
} job;

/* A value of decision d as --set takes it. */
static void value_text(const sim_decide *d, double x, char *buf, size_t n)
{
    if (d->kind == SIM_DECIDE_CHOICE)
        snprintf(buf, n, "%s", d->choices[(size_t)x]);
    else
        snprintf(buf, n, "%.15g", x);
}

static double *scratch(job *j, size_t n)
{
    if (n > j->scratch_n) {
        double *p = realloc(j->scratch, n * sizeof *p);
        if (!p)
            return NULL;
        j->scratch = p;
        j->scratch_n = n;
    }
    return j->scratch;
}

/* The candidate's figures on its replications: objective, constraints, feasibility. */
static int figures(job *j, cand *c)
{
    const sim_optimize_spec *s = j->s;
    double *w = scratch(j, c->n + 1);
    if (!w)
        return sim_err_oom_for(j->err, "the candidates' figures");
    c->obj = sim_stat_of(c->y, c->n, j->nv, s->obj.stat, s->obj.sense, w);
    c->feasible = isfinite(c->obj);
    for (size_t k = 0; k < s->n_con; k++) {
        const sim_constraint *q = &s->con[k];
        c->con[k] = sim_stat_of(c->y + 1 + k, c->n, j->nv, q->stat, q->at_most ? -1 : 1, w);
        if (!(q->at_most ? c->con[k] <= q->limit : c->con[k] >= q->limit))
            c->feasible = false;
    }
    return 0;
}

/* Runs candidate c's replications up to n (the next ones of the same streams); alone: on this MPI rank only,
 * its figures not yet known to the others (see share_out). */
static int extend_on(job *j, cand *c, size_t n, bool alone)
{
    if (n <= c->n)
        return 0;
    double *y = realloc(c->y, n * j->nv * sizeof *y);
    if (!y)
        return sim_err_oom_for(j->err, "a candidate's replications");
    c->y = y;
    char texts[SIM_OPT_MAX_DECISIONS][600];
    const char *sets[SIM_OPT_MAX_DECISIONS];
    for (size_t k = 0; k < j->s->n_dec; k++) {
        char v[200];
        value_text(&j->s->dec[k], c->x[k], v, sizeof v);
        snprintf(texts[k], sizeof texts[k], "%s=%s", j->s->dec[k].key, v);
        sets[k] = texts[k];
    }
    if (j->fn(j->ctx, sets, c->as_written ? 0 : j->s->n_dec, c->n, n - c->n, alone, j->cols, j->nv,
              y + c->n * j->nv, j->err))
        return -1;
    j->spent += n - c->n;
    c->n = n;
    return alone ? 0 : figures(j, c);
}

static int extend(job *j, cand *c, size_t n) { return extend_on(j, c, n, false); }

/* A new candidate at x, not yet run; NULL on error. */
static cand *new_candidate(job *j, const double *x)
{
    if (j->n_c == j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 64;
        cand *p = realloc(j->c, cap * sizeof *p);
        if (!p) {
            sim_err_oom_for(j->err, "the candidates");
            return NULL;
        }
        j->c = p;
        j->cap = cap;
    }
    cand *c = &j->c[j->n_c++];
    memset(c, 0, sizeof *c);
    memcpy(c->x, x, j->s->n_dec * sizeof *x);
    c->lo = c->hi = c->p_best = c->d_lo = c->d_hi = NAN;
    return c;
}

/* The candidate at x, evaluated on the search's replications (once: a point
 * seen before is not run again); NULL on error. */
static cand *candidate(job *j, const double *x)
{
    for (size_t i = 0; i < j->n_c; i++)
        if (!memcmp(j->c[i].x, x, j->s->n_dec * sizeof *x))
            return &j->c[i];
    cand *c = new_candidate(j, x);
    return !c || extend(j, c, j->s->replications) ? NULL : c;
}

/* Candidates [from, j->n_c), none run yet, each on the search's replications: under MPI candidate k on rank
 * k mod P alone, then every candidate's figures to every rank (the same values wherever they ran). */
static int share_out(job *j, size_t from)
{
    size_t np = j->n_c - from, n = j->s->replications, per = n * j->nv;
    int P = sim_mpi_size(), rank = sim_mpi_rank(), rc = 0;
    double *y = calloc(np * per + 1, sizeof *y);
    if (!y)
        rc = sim_err_oom_for(j->err, "the candidates' figures");
    for (size_t k = 0; k < np && rc == 0; k++)
        if ((int)(k % (size_t)P) == rank) {
            cand *c = &j->c[from + k];
            rc = extend_on(j, c, n, true);
            for (size_t v = 0; v < per && rc == 0; v++)
                y[v * np + k] = c->y[v];
        }
    if (sim_mpi_share_points(rc, y, per, np, j->err)) {
        free(y);
        return -1;
    }
    for (size_t k = 0; k < np && rc == 0; k++) {
        cand *c = &j->c[from + k];
        double *cy = c->y ? c->y : malloc((per + 1) * sizeof *cy);
        if (!cy) {
            rc = sim_err_oom_for(j->err, "the candidates' figures");
            break;
        }
        c->y = cy;
        for (size_t v = 0; v < per; v++)
            cy[v] = y[v * np + k];
        if ((int)(k % (size_t)P) != rank)
            j->spent += n; /* run elsewhere: counted once, the same on every rank */
        c->n = n;
        rc = figures(j, c);
    }
    free(y);
    return rc;
}

/* What Nelder-Mead minimizes: minus the objective in its better direction,
 * plus a penalty for a broken constraint; a figure not reached is huge. */
static double search_cost(const job *j, const cand *c)
{
    double score = j->s->obj.sense * c->obj;
    if (!isfinite(score))
        return 1e300;
    double v = 0;
    for (size_t k = 0; k < j->s->n_con; k++) {
        const sim_constraint *q = &j->s->con[k];
        double over = q->at_most ? c->con[k] - q->limit : q->limit - c->con[k];
        if (!(over <= 0))
            v += isfinite(over) ? over / fmax(fabs(q->limit), 1e-9) : 1e6;
    }
    return v > 0 ? -score + (1 + fabs(score)) * (1 + 10 * v) : -score;
}

/* ---- search ---- */

typedef struct nm_ctx {
    job *j;
    double x[SIM_OPT_MAX_DECISIONS]; /* the discrete decisions fixed, the continuous ones filled in */
    size_t idx[SIM_OPT_MAX_DECISIONS], k;
    size_t evals, budget;
} nm_ctx;

static double nm_f(const gsl_vector *u, void *p)
{
    nm_ctx *m = p;
    job *j = m->j;
    if (j->failed || m->evals >= m->budget)
        return 1e300;
    for (size_t i = 0; i < m->k; i++) {
        const sim_decide *d = &j->s->dec[m->idx[i]];
        double t = fmin(1, fmax(0, gsl_vector_get(u, i)));
        m->x[m->idx[i]] = d->low + t * (d->high - d->low);
    }
    size_t before = j->n_c;
    cand *c = candidate(j, m->x);
    if (!c) {
        j->failed = 1;
        return 1e300;
    }
    m->evals += j->n_c - before;
    return search_cost(j, c);
}

/* Nelder-Mead over the continuous decisions, the others as in x. */
static int nelder_mead(job *j, const double *x, size_t budget)
{
    nm_ctx m = {.j = j, .budget = budget};
    memcpy(m.x, x, sizeof m.x);
    for (size_t d = 0; d < j->s->n_dec; d++)
        if (j->s->dec[d].kind == SIM_DECIDE_CONTINUOUS)
            m.idx[m.k++] = d;
    gsl_multimin_fminimizer *nm = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, m.k);
    gsl_vector *u = gsl_vector_alloc(m.k), *step = gsl_vector_alloc(m.k);
    if (!nm || !u || !step) {
        gsl_multimin_fminimizer_free(nm);
        gsl_vector_free(u);
        gsl_vector_free(step);
        return sim_err_oom_for(j->err, "the search");
    }
    gsl_vector_set_all(u, 0.5);
    gsl_vector_set_all(step, 0.25);
    gsl_multimin_function f = {nm_f, m.k, &m};
    gsl_multimin_fminimizer_set(nm, &f, u, step);
    for (int it = 0; it < 10000 && !j->failed && m.evals < budget; it++) {
        if (gsl_multimin_fminimizer_iterate(nm))
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(nm), j->s->tolerance) == GSL_SUCCESS)
            break;
    }
    gsl_multimin_fminimizer_free(nm);
    gsl_vector_free(u);
    gsl_vector_free(step);
    return j->failed ? -1 : 0;
}

/* How many values decision d takes in the exhaustive part (1: continuous). */
static size_t n_values(const sim_decide *d)
{
    if (d->kind == SIM_DECIDE_CHOICE)
        return d->n_choices;
    if (d->kind == SIM_DECIDE_GRID)
        return (size_t)floor((d->high - d->low) / d->step + 1e-9) + 1;
    return 1;
}

/* Every combination of the discrete decisions (grids and choices), each
 * with a Nelder-Mead search over the continuous ones when there are any. */
static int search(job *j, bool *has_continuous, size_t *combos)
{
    const sim_optimize_spec *s = j->s;
    size_t total = 1;
    *has_continuous = false;
    for (size_t d = 0; d < s->n_dec; d++) {
        total *= n_values(&s->dec[d]);
        *has_continuous |= s->dec[d].kind == SIM_DECIDE_CONTINUOUS;
        if (total > 1000000)
            break;
    }
    *combos = total;
    if (!*has_continuous && total > s->max_candidates)
        return sim_errf(j->err, "%zu candidates (every combination of the decisions): more than --max-candidates %zu; "
                                "take coarser steps or fewer choices, or raise it", total, s->max_candidates);
    if (*has_continuous && total * 8 > s->max_candidates)
        return sim_errf(j->err, "%zu combinations of the discrete decisions, each with a Nelder-Mead search over the "
                                "continuous ones: --max-candidates %zu allows %zu (at least 8 candidates each)",
                        total, s->max_candidates, s->max_candidates / 8);
    for (size_t i = 0; i < total; i++) {
        double x[SIM_OPT_MAX_DECISIONS] = {0};
        size_t rest = i;
        for (size_t d = s->n_dec; d-- > 0;) { /* the last decision varies fastest */
            const sim_decide *dd = &s->dec[d];
            size_t nv = n_values(dd), k = rest % nv;
            rest /= nv;
            x[d] = dd->kind == SIM_DECIDE_GRID ? dd->low + (double)k * dd->step : (double)k;
        }
        if (*has_continuous) {
            if (nelder_mead(j, x, s->max_candidates / total))
                return -1;
        } else if (!new_candidate(j, x))
            return -1;
    }
    return *has_continuous ? 0 : share_out(j, 0);
}

/* ---- selection ---- */

/* Draws a resample of n replication indices. */
static void resample(job *j, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = (size_t)gsl_rng_uniform_int(j->rng, n);
}

/* Candidate c's objective, in its better direction, on the resample idx[0..n). */
static double score_on(job *j, const cand *c, const size_t *idx, size_t n, double *col, double *w)
{
    for (size_t i = 0; i < n; i++)
        col[i] = c->y[idx[i] * j->nv];
    return j->s->obj.sense * sim_stat_of(col, n, 1, j->s->obj.stat, j->s->obj.sense, w);
}

static double score(const job *j, const cand *c) { return j->s->obj.sense * c->obj; }

/* The better of two candidates (in score, ties to the one found first). */
static bool better(const job *j, const cand *a, const cand *b)
{
    double sa = score(j, a), sb = score(j, b);
    return sa > sb || (sa == sb && a < b);
}

/* A percentile of v[0..n) (sorted in place). */
static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, sim_cmp_double);
    return quantile_sorted(v, n, p);
}

/* Each candidate's interval of its objective at the confidence (bootstrap). */
static int intervals(job *j)
{
    double a = (1 - j->s->confidence) / 2;
    for (size_t i = 0; i < j->n_c; i++) {
        cand *c = &j->c[i];
        size_t n = c->n;
        double *buf = malloc((2 * n + BOOTSTRAP + 1) * sizeof *buf);
        size_t *idx = malloc((n + 1) * sizeof *idx);
        if (!buf || !idx) {
            free(buf);
            free(idx);
            return sim_err_oom_for(j->err, "the intervals");
        }
        double *boot = buf + 2 * n;
        for (int b = 0; b < BOOTSTRAP; b++) {
            resample(j, idx, n);
            boot[b] = j->s->obj.sense * score_on(j, c, idx, n, buf, buf + n);
        }
        c->lo = percentile(boot, BOOTSTRAP, a);
        c->hi = percentile(boot, BOOTSTRAP, 1 - a);
        free(buf);
        free(idx);
    }
    return 0;
}

typedef struct selection {
    cand *fin[64];
    size_t n_fin;
    bool in[64];
    size_t leader, n;
    int verdict;
    double p_best, indifference;
    double d_mean[64];
} selection;

/* One stage: bootstrap the finalists still in on their common n
 * replications; drop the separated; say whether selection ends. */
static int stage(job *j, selection *sel, int st, bool *done)
{
    size_t n = sel->n, m = 0;
    /* the leader: the best in score among those in */
    size_t L = SIZE_MAX;
    for (size_t f = 0; f < sel->n_fin; f++)
        if (sel->in[f] && (L == SIZE_MAX || better(j, sel->fin[f], sel->fin[L])))
            L = f;
    sel->leader = L;
    for (size_t f = 0; f < sel->n_fin; f++)
        m += sel->in[f] && f != L;
    double ind = sel->indifference;
    if (isnan(ind))
        ind = 1e-3 * fabs(sel->fin[L]->obj);
    if (m == 0) {
        sel->p_best = sel->fin[L]->p_best = 1;
        sel->verdict = SIM_OPT_SEPARATED;
        *done = true;
        return 0;
    }
    double *d = malloc((sel->n_fin * BOOTSTRAP + 2 * n + 1) * sizeof *d);
    size_t *idx = malloc((n + 1) * sizeof *idx);
    if (!d || !idx) {
        free(d);
        free(idx);
        return sim_err_oom_for(j->err, "the selection");
    }
    double *col = d + sel->n_fin * BOOTSTRAP, *w = col + n;
    double wins[64] = {0};
    for (int b = 0; b < BOOTSTRAP; b++) {
        resample(j, idx, n);
        double sc[64], best = -INFINITY;
        size_t arg = SIZE_MAX;
        for (size_t f = 0; f < sel->n_fin; f++)
            if (sel->in[f]) {
                sc[f] = score_on(j, sel->fin[f], idx, n, col, w);
                if (arg == SIZE_MAX || sc[f] > best) {
                    best = sc[f];
                    arg = f;
                }
            }
        size_t ties = 0; /* a resample's win shared among those tied for it */
        for (size_t f = 0; f < sel->n_fin; f++)
            ties += sel->in[f] && sc[f] == best;
        for (size_t f = 0; f < sel->n_fin; f++)
            if (sel->in[f] && sc[f] == best)
                wins[f] += 1.0 / (double)ties;
        for (size_t f = 0; f < sel->n_fin; f++)
            if (sel->in[f])
                d[f * BOOTSTRAP + (size_t)b] = sc[L] - sc[f];
    }
    for (size_t f = 0; f < sel->n_fin; f++)
        if (sel->in[f])
            sel->fin[f]->p_best = round(1e6 * wins[f] / BOOTSTRAP) / 1e6; /* the ties' sums to six places */
    sel->p_best = sel->fin[L]->p_best;
    double alpha = (1 - j->s->confidence) / (double)m;
    size_t undecided = 0, equivalent = 0;
    for (size_t f = 0; f < sel->n_fin; f++) {
        if (!sel->in[f] || f == L)
            continue;
        double *df = d + f * BOOTSTRAP, lo = percentile(df, BOOTSTRAP, alpha), hi = percentile(df, BOOTSTRAP, 1 - alpha);
        sel->fin[f]->d_lo = lo;
        sel->fin[f]->d_hi = hi;
        sel->fin[f]->stage = st;
        sel->d_mean[f] = score(j, sel->fin[L]) - score(j, sel->fin[f]);
        if (lo > 0)
            sel->in[f] = false; /* separated: the leader is better */
        else if (lo >= -ind && hi <= ind)
            equivalent++;
        else
            undecided++;
    }
    sel->fin[L]->stage = st;
    free(d);
    free(idx);
    sel->verdict = undecided ? SIM_OPT_UNDECIDED : equivalent ? SIM_OPT_EQUIVALENT : SIM_OPT_SEPARATED;
    *done = undecided == 0 || 2 * n > j->s->max_replications;
    return 0;
}

/* a - b in the objective's better direction on their first n replications, and its bootstrap interval at the
 * confidence. */
static int paired(job *j, const cand *a, const cand *b, size_t n, double *d, double *lo, double *hi)
{
    double *buf = malloc((2 * n + BOOTSTRAP + 1) * sizeof *buf);
    size_t *idx = malloc((n + 1) * sizeof *idx);
    if (!buf || !idx) {
        free(buf);
        free(idx);
        return sim_err_oom_for(j->err, "a paired difference");
    }
    double *boot = buf + 2 * n;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    *d = score_on(j, a, idx, n, buf, buf + n) - score_on(j, b, idx, n, buf, buf + n);
    for (int k = 0; k < BOOTSTRAP; k++) {
        resample(j, idx, n);
        boot[k] = score_on(j, a, idx, n, buf, buf + n) - score_on(j, b, idx, n, buf, buf + n);
    }
    double al = (1 - j->s->confidence) / 2;
    *lo = percentile(boot, BOOTSTRAP, al);
    *hi = percentile(boot, BOOTSTRAP, 1 - al);
    free(buf);
    free(idx);
    return 0;
}

static int select_best(job *j, selection *sel)
{
    sel->n_fin = 0; /* the best feasible candidates, best first */
    while (sel->n_fin < j->s->finalists && sel->n_fin < 64) {
        cand *best = NULL;
        for (size_t i = 0; i < j->n_c; i++)
            if (j->c[i].feasible && !j->c[i].finalist && (!best || better(j, &j->c[i], best)))
                best = &j->c[i];
        if (!best)
            break;
        best->finalist = true;
        sel->fin[sel->n_fin] = best;
        sel->in[sel->n_fin++] = true;
    }
    if (sel->n_fin == 0)
        return sim_errf(j->err, "no feasible candidate among %zu: every one breaks a constraint or does not reach "
                                "the objective's figure", j->n_c);
    sel->n = j->s->replications;
    for (int st = 1;; st++) {
        bool done = false;
        if (stage(j, sel, st, &done))
            return -1;
        if (done)
            break;
        sel->n *= 2;
        for (size_t f = 0; f < sel->n_fin; f++)
            if (sel->in[f] && extend(j, sel->fin[f], sel->n))
                return -1;
    }
    return 0;
}

/* ---- files and the answer ---- */

static void decisions_json(const job *j, const cand *c, cJSON *o)
{
    for (size_t k = 0; k < j->s->n_dec; k++) {
        const sim_decide *d = &j->s->dec[k];
        if (d->kind == SIM_DECIDE_CHOICE)
            cJSON_AddStringToObject(o, d->key, d->choices[(size_t)c->x[k]]);
        else
            sim_json_num(o, d->key, c->x[k]);
    }
}

static cJSON *cand_json(const job *j, const cand *c, size_t id)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "id", (double)id);
    decisions_json(j, c, cJSON_AddObjectToObject(o, "decisions"));
    cJSON_AddNumberToObject(o, "replications", (double)c->n);
    sim_json_num(o, "objective", c->obj);
    sim_json_num(o, "objective_lo", c->lo);
    sim_json_num(o, "objective_hi", c->hi);
    cJSON_AddBoolToObject(o, "feasible", c->feasible);
    cJSON *con = cJSON_AddObjectToObject(o, "constraints");
    for (size_t k = 0; k < j->s->n_con; k++)
        sim_json_num(con, j->s->con[k].metric, c->con[k]);
    cJSON_AddBoolToObject(o, "finalist", c->finalist);
    if (c->finalist) {
        cJSON_AddNumberToObject(o, "stage", c->stage);
        sim_json_num(o, "p_best", c->p_best);
        sim_json_num(o, "difference_lo", c->d_lo);
        sim_json_num(o, "difference_hi", c->d_hi);
    }
    return o;
}

static const char *const VERDICTS[] = {"separated", "equivalent", "undecided"};

static cJSON *study_json(const job *j, const sim_optimize_outcome *r, const char *search_name)
{
    const sim_optimize_spec *s = j->s;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "schema_version", SIM_SCHEMA_VERSION);
    cJSON_AddStringToObject(root, "scenario_file", s->scenario_file ? s->scenario_file : "");
    cJSON_AddStringToObject(root, "scenario", s->scenario_name ? s->scenario_name : "");
    cJSON_AddNumberToObject(root, "seed", (double)s->seed);
    if (s->currency && *s->currency)
        cJSON_AddStringToObject(root, "currency", s->currency);
    cJSON *o = cJSON_AddObjectToObject(root, "objective");
    cJSON_AddStringToObject(o, "metric", s->obj.metric);
    cJSON_AddStringToObject(o, "statistic", STAT_NAMES[s->obj.stat]);
    cJSON_AddStringToObject(o, "sense", s->obj.sense > 0 ? "maximize" : "minimize");
    cJSON_AddStringToObject(o, "unit", s->obj_unit ? s->obj_unit : "");
    cJSON *cons = cJSON_AddArrayToObject(root, "constraints");
    for (size_t k = 0; k < s->n_con; k++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "metric", s->con[k].metric);
        cJSON_AddStringToObject(c, "statistic", STAT_NAMES[s->con[k].stat]);
        cJSON_AddStringToObject(c, "bound", s->con[k].at_most ? "<=" : ">=");
        cJSON_AddNumberToObject(c, "limit", s->con[k].limit);
        cJSON_AddItemToArray(cons, c);
    }
    cJSON *decs = cJSON_AddArrayToObject(root, "decisions");
    static const char *const KINDS[] = {"continuous", "grid", "choice"};
    for (size_t k = 0; k < s->n_dec; k++) {
        const sim_decide *d = &s->dec[k];
        cJSON *o2 = cJSON_CreateObject();
        cJSON_AddStringToObject(o2, "key", d->key);
        cJSON_AddStringToObject(o2, "kind", KINDS[d->kind]);
        if (d->kind == SIM_DECIDE_CHOICE) {
            cJSON *ch = cJSON_AddArrayToObject(o2, "choices");
            for (size_t i = 0; i < d->n_choices; i++)
                cJSON_AddItemToArray(ch, cJSON_CreateString(d->choices[i]));
        } else {
            cJSON_AddNumberToObject(o2, "low", d->low);
            cJSON_AddNumberToObject(o2, "high", d->high);
            if (d->kind == SIM_DECIDE_GRID)
                cJSON_AddNumberToObject(o2, "step", d->step);
        }
        cJSON_AddItemToArray(decs, o2);
    }
    cJSON_AddStringToObject(root, "search", search_name);
    cJSON_AddNumberToObject(root, "replications", (double)s->replications);
    cJSON_AddNumberToObject(root, "max_replications", (double)s->max_replications);
    cJSON_AddNumberToObject(root, "confidence", s->confidence);
    sim_json_num(root, "indifference", isnan(s->indifference) ? 1e-3 * fabs(r->objective) : s->indifference);
    cJSON *ch = cJSON_AddObjectToObject(root, "chosen");
    cJSON_AddNumberToObject(ch, "id", (double)r->chosen);
    decisions_json(j, &j->c[r->chosen], cJSON_AddObjectToObject(ch, "decisions"));
    sim_json_num(ch, "objective", r->objective);
    sim_json_num(ch, "objective_lo", r->lo);
    sim_json_num(ch, "objective_hi", r->hi);
    sim_json_num(ch, "p_best", r->p_best);
    if (r->runner_up != SIZE_MAX) {
        cJSON *ru = cJSON_AddObjectToObject(root, "runner_up");
        cJSON_AddNumberToObject(ru, "id", (double)r->runner_up);
        decisions_json(j, &j->c[r->runner_up], cJSON_AddObjectToObject(ru, "decisions"));
        sim_json_num(ru, "objective", j->c[r->runner_up].obj);
        sim_json_num(ru, "difference", r->diff);
        sim_json_num(ru, "difference_lo", r->diff_lo);
        sim_json_num(ru, "difference_hi", r->diff_hi);
        sim_json_num(ru, "p_best", j->c[r->runner_up].p_best);
    }
    cJSON *aw = cJSON_AddObjectToObject(root, "as_written");
    sim_json_num(aw, "objective", r->as_written);
    sim_json_num(aw, "gain", r->gain);
    sim_json_num(aw, "gain_lo", r->gain_lo);
    sim_json_num(aw, "gain_hi", r->gain_hi);
    cJSON_AddStringToObject(root, "verdict", VERDICTS[r->verdict]);
    cJSON_AddNumberToObject(root, "final_replications", (double)r->final_replications);
    cJSON_AddNumberToObject(root, "replications_total", (double)r->replications_total);
    cJSON *all = cJSON_AddArrayToObject(root, "candidates");
    for (size_t i = 0; i < j->n_c; i++)
        cJSON_AddItemToArray(all, cand_json(j, &j->c[i], i));
    return root;
}

/* A field, quoted (its quotes doubled) when it holds a comma, a quote or a line break. */
static void csv_text(FILE *f, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) {
        fprintf(f, ",%s", v);
        return;
    }
    fputs(",\"", f);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputc(',', f);
}

static int write_csv(const job *j, const char *path, sim_err *err)
{
    FILE *f = sim_create_file(path, err);
    if (!f)
        return -1;
    const sim_optimize_spec *s = j->s;
    fprintf(f, "id");
    for (size_t k = 0; k < s->n_dec; k++)
        fprintf(f, ",%s", s->dec[k].key);
    fprintf(f, ",replications,objective,objective_lo,objective_hi,feasible");
    for (size_t k = 0; k < s->n_con; k++)
        fprintf(f, ",%s_%s", s->con[k].metric, STAT_NAMES[s->con[k].stat]);
    fprintf(f, ",finalist,stage,p_best\n");
    for (size_t i = 0; i < j->n_c; i++) {
        const cand *c = &j->c[i];
        fprintf(f, "%zu", i);
        for (size_t k = 0; k < s->n_dec; k++) {
            char v[200];
            value_text(&s->dec[k], c->x[k], v, sizeof v);
            csv_text(f, v);
        }
        fprintf(f, ",%zu", c->n);
        csv_num(f, c->obj);
        csv_num(f, c->lo);
        csv_num(f, c->hi);
        fprintf(f, ",%d", c->feasible ? 1 : 0);
        for (size_t k = 0; k < s->n_con; k++)
            csv_num(f, c->con[k]);
        fprintf(f, ",%d,%d", c->finalist ? 1 : 0, c->finalist ? c->stage : 0);
        csv_num(f, c->p_best);
        fputc('\n', f);
    }
    if (ferror(f) | (fclose(f) != 0))
        return sim_errf(err, "%s: write failed", path);
    return 0;
}

static void print_decisions(FILE *out, const job *j, const cand *c)
{
    for (size_t k = 0; k < j->s->n_dec; k++) {
        char v[200];
        value_text(&j->s->dec[k], c->x[k], v, sizeof v);
        fprintf(out, "%s%s=%s", k ? " " : "", j->s->dec[k].key, v);
    }
}

/* v as a person reads it, in the objective's unit. */
static const char *amount(char *b, size_t n, double v, const char *unit)
{
    char a[64];
    sim_fmt_amount(a, sizeof a, v);
    snprintf(b, n, "%s%s%s", a, *unit ? " " : "", unit);
    return b;
}

static void print_answer(FILE *out, const job *j, const sim_optimize_outcome *r, const char *search_name)
{
    const sim_optimize_spec *s = j->s;
    const char *unit = s->obj_unit && !strcmp(s->obj_unit, "currency") && s->currency ? s->currency
                       : s->obj_unit                                                 ? s->obj_unit
                                                                                     : "";
    char a[3][96];
    fprintf(out, "gigasim optimize: %s the %s of %s, %zu candidates by %s, %zu replications each\n",
            s->obj.sense > 0 ? "maximize" : "minimize", STAT_NAMES[s->obj.stat], s->obj.metric, r->n_candidates,
            search_name, s->replications);
    fprintf(out, "chosen:     ");
    print_decisions(out, j, &j->c[r->chosen]);
    fprintf(out, "\n  %s %s: %s [%s, %s] (%.0f %% interval, %zu replications)\n", s->obj.metric, STAT_NAMES[s->obj.stat],
            amount(a[0], sizeof a[0], r->objective, unit), amount(a[1], sizeof a[1], r->lo, ""),
            amount(a[2], sizeof a[2], r->hi, ""), 100 * s->confidence, r->final_replications);
    if (r->runner_up != SIZE_MAX) {
        fprintf(out, "runner-up:  ");
        print_decisions(out, j, &j->c[r->runner_up]);
        char hi[96];
        fprintf(out, "\n  %s; the chosen is better by %s [%s, %s]\n", amount(a[0], sizeof a[0], j->c[r->runner_up].obj, unit),
                amount(a[1], sizeof a[1], r->diff, ""), amount(a[2], sizeof a[2], r->diff_lo, ""),
                amount(hi, sizeof hi, r->diff_hi, ""));
    }
    {
        char g[3][96];
        fprintf(out, "as written: %s; the chosen gains %s [%s, %s] on the same replications\n",
                amount(a[0], sizeof a[0], r->as_written, unit), amount(g[0], sizeof g[0], r->gain, ""),
                amount(g[1], sizeof g[1], r->gain_lo, ""), amount(g[2], sizeof g[2], r->gain_hi, ""));
    }
    static const char *const SAID[] = {"separated from every other finalist", "equivalent to the runner-up within the "
                                                                             "indifference zone",
                                       "not separated from the runner-up within --max-replications"};
    fprintf(out, "verdict:    %s at %.0f %% confidence; probability best among the finalists %.2f", SAID[r->verdict],
            100 * s->confidence, r->p_best);
    if (r->verdict != SIM_OPT_SEPARATED && r->runner_up != SIZE_MAX && isfinite(j->c[r->runner_up].p_best))
        fprintf(out, " (the runner-up's %.2f)", j->c[r->runner_up].p_best);
    fputc('\n', out);
    fprintf(out, "cost:       %zu replications in all\n", r->replications_total);
}

static int write_files(const job *j, const sim_optimize_outcome *r, const char *search_name, const char *dir,
                       sim_err *err)
{
    sim_outdir od;
    if (sim_outdir_begin(&od, dir, err))
        return -1;
    char path[4200];
    cJSON *root = study_json(j, r, search_name);
    int rc = root ? 0 : sim_err_oom_for(err, "optimize.json");
    snprintf(path, sizeof path, "%s/optimize.json", od.tmp);
    if (rc == 0)
        rc = sim_json_write(root, path, err);
    snprintf(path, sizeof path, "%s/optimize.csv", od.tmp);
    if (rc == 0)
        rc = write_csv(j, path, err);
    if (rc == 0 && sim_interrupted())
        rc = sim_errf(err, "interrupted while writing %s: no output written", dir);
    if (rc == 0)
        rc = sim_outdir_commit(&od, err);
    sim_outdir_abort(&od);
    cJSON_Delete(root);
    return rc;
}

static void outcome(const job *j, const selection *sel, sim_optimize_outcome *r)
{
    memset(r, 0, sizeof *r);
    const cand *L = sel->fin[sel->leader];
    r->n_candidates = j->n_c;
    r->chosen = (size_t)(L - j->c);
    memcpy(r->x, L->x, sizeof r->x);
    r->objective = L->obj;
    r->lo = L->lo;
    r->hi = L->hi;
    r->p_best = sel->p_best;
    r->verdict = sel->verdict;
    r->final_replications = L->n;
    r->replications_total = j->spent;
    /* the runner-up: the best other finalist still in, else the best dropped at the last stage */
    size_t ru = SIZE_MAX;
    for (int pass = 0; pass < 2 && ru == SIZE_MAX; pass++)
        for (size_t f = 0; f < sel->n_fin; f++)
            if (f != sel->leader && (pass || sel->in[f]) && (ru == SIZE_MAX || sel->fin[f]->stage > sel->fin[ru]->stage ||
                                                            (sel->fin[f]->stage == sel->fin[ru]->stage &&
                                                             better(j, sel->fin[f], sel->fin[ru]))))
                ru = f;
    r->runner_up = SIZE_MAX;
    r->diff = r->diff_lo = r->diff_hi = NAN;
    if (ru != SIZE_MAX) {
        r->runner_up = (size_t)(sel->fin[ru] - j->c);
        r->diff = sel->d_mean[ru];
        r->diff_lo = sel->fin[ru]->d_lo;
        r->diff_hi = sel->fin[ru]->d_hi;
    }
}

int sim_optimize(const sim_optimize_spec *s, sim_candidate_fn fn, void *ctx, const char *dir, FILE *out,
                 sim_optimize_outcome *result, sim_err *err)
{
    if (s->n_dec == 0 || s->n_dec > SIM_OPT_MAX_DECISIONS)
        return sim_errf(err, "optimize needs 1 to %d --decide KEY=...", SIM_OPT_MAX_DECISIONS);
    if (s->n_con > SIM_OPT_MAX_CONSTRAINTS)
        return sim_errf(err, "at most %d --constraint", SIM_OPT_MAX_CONSTRAINTS);
    if (s->replications < 2 || s->max_replications < s->replications)
        return sim_errf(err, "optimize: at least 2 replications per candidate, and --max-replications (%zu) at least "
                             "as many (%zu)", s->max_replications, s->replications);
    job j = {.s = s, .fn = fn, .ctx = ctx, .err = err, .nv = 1 + s->n_con};
    j.cols[0] = s->obj_col;
    for (size_t k = 0; k < s->n_con; k++)
        j.cols[1 + k] = s->con_col[k];
    j.rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!j.rng)
        return sim_err_oom_for(err, "the bootstrap");
    gsl_rng_set(j.rng, (unsigned long)(s->seed ^ 0x6f7074696d697a65ull));
    bool cont;
    size_t combos;
    selection sel;
    memset(&sel, 0, sizeof sel);
    sel.indifference = s->indifference;
    j.base.as_written = true;
    j.base.lo = j.base.hi = j.base.p_best = j.base.d_lo = j.base.d_hi = NAN;
    int rc = search(&j, &cont, &combos);
    if (rc == 0)
        rc = select_best(&j, &sel);
    if (rc == 0)
        rc = intervals(&j);
    char search_name[96];
    snprintf(search_name, sizeof search_name, "%s", !cont ? "exhaustive search" : combos > 1 ? "exhaustive search and Nelder-Mead" : "Nelder-Mead");
    sim_optimize_outcome r;
    if (rc == 0) {
        outcome(&j, &sel, &r);
        const cand *L = &j.c[r.chosen];
        rc = extend(&j, &j.base, L->n) || paired(&j, L, &j.base, L->n, &r.gain, &r.gain_lo, &r.gain_hi);
        r.as_written = j.base.obj;
        r.replications_total = j.spent;
    }
    if (rc == 0) {
        rc = write_files(&j, &r, search_name, dir, err);
    }
    if (rc == 0 && out)
        print_answer(out, &j, &r, search_name);
    if (rc == 0 && result)
        *result = r;
    for (size_t i = 0; i < j.n_c; i++)
        free(j.c[i].y);
    free(j.c);
    free(j.base.y);
    free(j.scratch);
    gsl_rng_free(j.rng);
    return rc;
}
