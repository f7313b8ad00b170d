#include "serving.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/interrupt.h"
#include "sim/core/rng.h"

int serving_load(sim_cfg *cfg, serving_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    if (!sim_cfg_has(cfg, "serving"))
        return 0;
    if (sim_cfg_bool(cfg, "serving.enabled", 1, &c->enabled, err))
        return -1;
    if (!c->enabled) {
        sim_cfg_ignore(cfg, "serving");
        return 0;
    }
    sim_dist zero = sim_dist_constant(0.0);
    if (sim_cfg_num(cfg, "serving.gpus_per_replica", SIM_REQUIRED, SIM_RANGE(1, 1e6), &c->gpus_per_replica, err) ||
        sim_cfg_num(cfg, "serving.gpu_share", 1.0, SIM_PROB, &c->gpu_share, err) ||
        sim_cfg_num(cfg, "serving.prefill_tokens_per_s", SIM_REQUIRED, SIM_POSITIVE, &c->prefill_tokens_per_s, err) ||
        sim_cfg_num(cfg, "serving.overhead_ms", SIM_REQUIRED, SIM_NONNEG, &c->overhead_ms, err) ||
        sim_cfg_num(cfg, "serving.decode_tokens_per_s", 0.0, SIM_NONNEG, &c->decode_tokens_per_s, err) ||
        sim_cfg_dist(cfg, "serving.prompt_tokens", NULL, SIM_NONNEG, &c->prompt_tokens, err) ||
        sim_cfg_dist(cfg, "serving.output_tokens", &zero, SIM_NONNEG, &c->output_tokens, err) ||
        sim_cfg_num(cfg, "serving.demand.peak_requests_per_s", SIM_REQUIRED, SIM_NONNEG, &c->peak_requests_per_s, err) ||
        sim_cfg_num(cfg, "serving.demand.diurnal_amplitude", 0.0, SIM_PROB, &c->diurnal_amplitude, err) ||
        sim_cfg_num(cfg, "serving.demand.peak_hour", c->diurnal_amplitude > 0 ? SIM_REQUIRED : 0.0, SIM_RANGE(0, 24),
                    &c->peak_hour, err) ||
        sim_cfg_num(cfg, "serving.demand.growth_midpoint_day", SIM_REQUIRED, SIM_RANGE(-1e5, 1e5),
                    &c->growth_midpoint_day, err) ||
        sim_cfg_num(cfg, "serving.demand.growth_ramp_days", SIM_REQUIRED, SIM_RANGE(1e-3, 1e5), &c->growth_ramp_days,
                    err) ||
        sim_cfg_num(cfg, "serving.windows_per_day", 4.0, SIM_RANGE(1, 48), &c->windows_per_day, err) ||
        sim_cfg_num(cfg, "serving.sample_every_days", 7.0, SIM_RANGE(1, 3650), &c->sample_every_days, err) ||
        sim_cfg_num(cfg, "serving.pool_max_replicas", 64.0, SIM_RANGE(1, SERVING_MAX_POOL), &c->pool_max_replicas,
                    err) ||
        sim_cfg_num(cfg, "serving.law_requests", 50000.0, SIM_RANGE(1000, 1e7), &c->law_requests, err) ||
        sim_cfg_num(cfg, "serving.max_wait_ms", SIM_REQUIRED, SIM_RANGE(0, 600000), &c->max_wait_ms, err) ||
        sim_cfg_num(cfg, "serving.ttft_target_ms", SIM_REQUIRED, SIM_POSITIVE, &c->ttft_target_ms, err))
        return -1;
    char where[256];
    const char *anchor;
    if (sim_cfg_str(cfg, "serving.demand.growth_anchor", NULL, &anchor, err))
        return -1;
    if (strcmp(anchor, "day") != 0 && strcmp(anchor, "first_token") != 0)
        return sim_errf(err, "%s: serving.demand.growth_anchor: \"%s\" is neither \"day\" nor \"first_token\"",
                        sim_cfg_where(cfg, "serving.demand.growth_anchor", where, sizeof where), anchor);
    c->anchor_first_token = !strcmp(anchor, "first_token");
    if (!(serving_mean_service_s(c) > 0))
        return sim_errf(err, "%s: serving.prompt_tokens and serving.overhead_ms: a request takes no time to serve "
                             "(mean prompt %g tokens, overhead %g ms): a replica would serve without limit",
                        sim_cfg_where(cfg, "serving.prompt_tokens", where, sizeof where),
                        sim_dist_mean(&c->prompt_tokens), c->overhead_ms);
    const char *whole[] = {"serving.windows_per_day", "serving.sample_every_days", "serving.pool_max_replicas"};
    double vals[] = {c->windows_per_day, c->sample_every_days, c->pool_max_replicas};
    for (int i = 0; i < 3; i++)
        if (vals[i] != floor(vals[i]))
            return sim_errf(err, "%s: %s: must be a whole number (got %g)", sim_cfg_where(cfg, whole[i], where, sizeof where),
                            whole[i], vals[i]);
    return 0;
}

static double growth_scale(const serving_config *c)
{
    return c->growth_ramp_days / 4.394449154672439; /* 2 ln 9: 10 % -> 90 % */
}

static double growth(const serving_config *c, double t_days, double anchor_day)
{
    if (isnan(anchor_day) || t_days < anchor_day)
        return 0.0; /* before the anchor (the first token): no demand */
    return 1.0 / (1.0 + exp(-(t_days - anchor_day - c->growth_midpoint_day) / growth_scale(c)));
}

static double diurnal(const serving_config *c, double hour)
{
    return 1.0 - c->diurnal_amplitude * (1.0 - cos(2.0 * M_PI * (hour - c->peak_hour) / 24.0)) / 2.0;
}

double serving_demand_rps(const serving_config *c, double t_days, double anchor_day)
{
    return c->peak_requests_per_s * growth(c, t_days, anchor_day) * diurnal(c, fmod(t_days * 24.0, 24.0));
}

/* ln(1 + e^x) without overflow. */
static double softplus(double x)
{
    return x > 30 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* The integral of growth over [a, b] days (a softplus; zero before the anchor). */
static double growth_integral(const serving_config *c, double a, double b, double anchor_day)
{
    if (isnan(anchor_day))
        return 0.0;
    if (a < anchor_day)
        a = anchor_day;
    if (b <= a)
        return 0.0;
    double s = growth_scale(c), m = anchor_day + c->growth_midpoint_day;
    return s * (softplus((b - m) / s) - softplus((a - m) / s));
}

double serving_requests_between(const serving_config *c, double t0, double t1, double anchor_day)
{
    /* whole days: the diurnal profile's daily mean is 1 - amplitude / 2 */
    return c->peak_requests_per_s * 86400.0 * (1.0 - c->diurnal_amplitude / 2.0) * growth_integral(c, t0, t1, anchor_day);
}

double serving_mean_service_s(const serving_config *c)
{
    return c->overhead_ms / 1000.0 + sim_dist_mean(&c->prompt_tokens) / c->prefill_tokens_per_s;
}

/* The min-heap of server free times: restores order after the root grew. */
static void sift_down(double *h, size_t n)
{
    size_t i = 0;
    double x = h[0];
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n)
            break;
        size_t m = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l;
        if (h[m] >= x)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = x;
}

/* L = (1 / span) x integral over [first, t] of N(u) du, N counting the measured requests in the system
 * (arrived, not departed): from the sorted arrival and departure instants alone (dep is sorted here). */
static double time_average_in_system(const double *arr, double *dep, size_t n, double first, double t)
{
    gsl_sort(dep, 1, n);
    double area = 0, last = first;
    size_t ia = 0, id = 0, in_sys = 0;
    while (ia < n || id < n) {
        double next = ia < n && (id >= n || arr[ia] <= dep[id]) ? arr[ia] : dep[id];
        if (next > t)
            next = t;
        area += (double)in_sys * (next - last);
        last = next;
        if (next >= t)
            break;
        if (ia < n && arr[ia] <= dep[id]) {
            in_sys++;
            ia++;
        } else {
            in_sys--;
            id++;
        }
    }
    return area / (t - first);
}

int serving_pool_run(const serving_pool_params *p, sim_rng *r, double *ttft_s, double *work, serving_pool_stats *st)
{
    memset(st, 0, sizeof *st);
    if (p->servers == 0 || !(p->lambda_per_s > 0) || !(p->prefill_tokens_per_s > 0) || p->n_requests == 0)
        return -1;
    size_t c = p->servers;
    double *free_at = work;
    for (size_t i = 0; i < c; i++)
        free_at[i] = 0;
    double *arr = p->time_average ? work + c : NULL, *dep = arr ? arr + p->n_requests : NULL;
    double mean_gap = 1.0 / p->lambda_per_s, t = 0, busy = 0, first = 0;
    double sum_wait = 0, sum_ttft = 0;
    size_t waited = 0, rejected = 0, total = p->n_warmup + p->n_requests;
    for (size_t i = 0; i < total; i++) {
        if ((i & 0xffff) == 0xffff && sim_interrupted())
            return -2; /* Ctrl-C or SIGTERM: a large law cell stops here */
        t += mean_gap * sim_rng_exponential(r);
        double prompt = sim_dist_sample(p->prompt_tokens, r);
        double s = p->overhead_s + (prompt > 0 ? prompt : 0) / p->prefill_tokens_per_s;
        double start = free_at[0] > t ? free_at[0] : t;
        double wait = start - t;
        bool admit = !(wait > p->max_wait_s);
        if (admit) {
            free_at[0] = start + s;
            sift_down(free_at, c);
        }
        if (i < p->n_warmup)
            continue;
        size_t k = i - p->n_warmup;
        if (k == 0)
            first = t;
        if (!admit) {
            rejected++;
            if (ttft_s)
                ttft_s[k] = NAN;
            if (arr) { /* in the system for no time */
                arr[k] = t;
                dep[k] = t;
            }
            continue;
        }
        if (ttft_s)
            ttft_s[k] = wait + s;
        if (p->ttft_hist) {
            sim_hist_add(p->ttft_hist, wait + s, p->hist_weight);
            if (p->completion_hist) {
                double out = sim_dist_sample(p->output_tokens, r);
                sim_hist_add(p->completion_hist, wait + s + (out > 0 ? out : 0) / p->decode_tokens_per_s,
                             p->hist_weight);
            }
        }
        sum_wait += wait;
        sum_ttft += wait + s;
        waited += wait > 0;
        busy += s;
        if (arr) {
            arr[k] = t;
            dep[k] = start + s;
        }
    }
    double n = (double)p->n_requests, n_admitted = (double)(p->n_requests - rejected);
    double span = t - first;
    st->n = p->n_requests;
    st->n_rejected = rejected;
    st->p_wait = n_admitted > 0 ? (double)waited / n_admitted : NAN;
    st->mean_wait_s = n_admitted > 0 ? sum_wait / n_admitted : NAN;
    st->mean_ttft_s = n_admitted > 0 ? sum_ttft / n_admitted : NAN;
    st->lambda_observed_per_s = span > 0 ? (n - 1) / span : NAN;
    st->utilization = span > 0 ? busy / ((double)c * span) : NAN;
    if (arr && span > 0)
        st->time_avg_in_system = time_average_in_system(arr, dep, p->n_requests, first, t);
    return 0;
}


/* ------------------------------------------------------------ the law */

/* The utilization grid: 0 to 0.8 by 0.05, to 1.2 by 0.01 (the knee, where
 * the tail moves fastest), to 2 by 0.05, to 4 by 0.25. */
#define RHO_POINTS 81
static double rho_at(size_t j)
{
    if (j <= 16)
        return 0.05 * (double)j;
    if (j <= 56)
        return 0.8 + 0.01 * (double)(j - 16);
    if (j <= 72)
        return 1.2 + 0.05 * (double)(j - 56);
    return 2.0 + 0.25 * (double)(j - 72);
}

/* The grid interval holding rho: rho_at(*j) <= rho <= rho_at(*j + 1), and
 * the weight of the upper end. */
static void rho_locate(double rho, size_t *j, double *f)
{
    size_t lo = 0, hi = RHO_POINTS - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (rho_at(mid) <= rho)
            lo = mid;
        else
            hi = mid;
    }
    *j = lo;
    double a = rho_at(lo), b = rho_at(hi);
    *f = (rho - a) / (b - a);
}

typedef struct law_cell {
    double rejected;                /* share of arrivals */
    sim_hist ttft, completion;      /* admitted, normalized to the admitted share */
} law_cell;

#define LAW_LOCKS 64

struct serving_law {
    serving_config c;
    size_t n_sizes;
    _Atomic(law_cell *) *cells; /* n_sizes x RHO_POINTS, computed on first use */
    pthread_mutex_t locks[LAW_LOCKS];
    atomic_size_t computed;
};

void serving_hist_init(sim_hist *h)
{
    sim_hist_init(h, 1e-3, 1e4); /* seconds: 1 ms to ~2.8 h */
}

serving_law *serving_law_new(const serving_config *c, sim_err *err)
{
    serving_law *L = sim_calloc(1, sizeof *L, err);
    if (!L) {
        sim_err_oom_for(err, "the serving law");
        return NULL;
    }
    L->c = *c;
    L->n_sizes = (size_t)c->pool_max_replicas;
    L->cells = sim_calloc(L->n_sizes * RHO_POINTS, sizeof *L->cells, err);
    if (!L->cells) {
        free(L);
        sim_err_oom_for(err, "the serving law's table (%zu pool sizes)", (size_t)c->pool_max_replicas);
        return NULL;
    }
    for (size_t i = 0; i < LAW_LOCKS; i++)
        pthread_mutex_init(&L->locks[i], NULL);
    return L;
}

void serving_law_free(serving_law *L)
{
    if (!L)
        return;
    for (size_t i = 0; i < L->n_sizes * RHO_POINTS; i++)
        free(atomic_load(&L->cells[i]));
    for (size_t i = 0; i < LAW_LOCKS; i++)
        pthread_mutex_destroy(&L->locks[i]);
    free(L->cells);
    free(L);
}

size_t serving_law_cells_computed(const serving_law *L)
{
    return atomic_load(&((serving_law *)L)->computed);
}

/* Simulates cell (servers, rho_at(j)): warm-up, then law_requests arrivals. */
static law_cell *cell_compute(const serving_law *L, size_t servers, size_t j, sim_err *err)
{
    const serving_config *c = &L->c;
    law_cell *cell = sim_calloc(1, sizeof *cell, err);
    double *free_at = cell ? sim_calloc(servers, sizeof *free_at, err) : NULL;
    if (!free_at) {
        free(cell);
        sim_err_oom_for(err, "a cell of the serving law (%zu replicas)", servers);
        return NULL;
    }
    serving_hist_init(&cell->ttft);
    serving_hist_init(&cell->completion);
    /* its own stream: the same numbers whichever thread computes it */
    sim_rng r = sim_rng_keyed(sim_rng_prefix(0x5e41u, servers, j), 0, 0);
    double es = serving_mean_service_s(c), mu = 1.0 / es, rho = rho_at(j);
    size_t n = (size_t)c->law_requests;
    double tau = c->max_wait_ms / 1000.0, w = 1.0 / (double)n;
    bool decode = c->decode_tokens_per_s > 0;
    if (j == 0) { /* no load: no wait, TTFT = S (exact shortcut) */
        for (size_t i = 0; i < n; i++) {
            double prompt = sim_dist_sample(&c->prompt_tokens, &r);
            double s = c->overhead_ms / 1000.0 + (prompt > 0 ? prompt : 0) / c->prefill_tokens_per_s;
            sim_hist_add(&cell->ttft, s, w);
            if (decode) {
                double out = sim_dist_sample(&c->output_tokens, &r);
                sim_hist_add(&cell->completion, s + (out > 0 ? out : 0) / c->decode_tokens_per_s, w);
            }
        }
        free(free_at);
        return cell;
    }
    double lambda = rho * (double)servers * mu;
    double cm = (double)servers * mu, sq = 1.0 - sqrt(rho < 0.9999 ? rho : 0.9999);
    double relax = rho < 1.0 ? 1.0 / (cm * sq * sq) : 0.0;
    double bound = 10.0 * (tau + es) * (double)servers; /* admission bounds the backlog */
    if (rho >= 1.0 || relax > bound)
        relax = bound;
    double warm = ceil(5.0 * relax * lambda); /* 5 relaxation times: e^-5 of the empty start is left */
    size_t n_warm = warm < 2000 ? 2000 : warm > 250000 ? 250000 : (size_t)warm;
    serving_pool_params pp = {.servers = servers,
                              .lambda_per_s = lambda,
                              .prefill_tokens_per_s = c->prefill_tokens_per_s,
                              .overhead_s = c->overhead_ms / 1000.0,
                              .prompt_tokens = &c->prompt_tokens,
                              .n_warmup = n_warm,
                              .n_requests = n,
                              .max_wait_s = tau,
                              .ttft_hist = &cell->ttft,
                              .completion_hist = decode ? &cell->completion : NULL,
                              .output_tokens = &c->output_tokens,
                              .decode_tokens_per_s = c->decode_tokens_per_s,
                              .hist_weight = w};
    serving_pool_stats st;
    int rc = serving_pool_run(&pp, &r, NULL, free_at, &st);
    if (rc) {
        sim_errf(err, rc == -2 ? "interrupted while tabulating the serving law" : "serving law: a cell cannot be simulated");
        free(free_at);
        free(cell);
        return NULL;
    }
    size_t rejected = st.n_rejected;
    cell->rejected = (double)rejected / (double)n;
    free(free_at);
    return cell;
}

static const law_cell *cell_get(serving_law *L, size_t servers, size_t j, sim_err *err)
{
    size_t idx = (servers - 1) * RHO_POINTS + j;
    law_cell *cell = atomic_load_explicit(&L->cells[idx], memory_order_acquire);
    if (cell)
        return cell;
    pthread_mutex_t *lock = &L->locks[idx % LAW_LOCKS];
    pthread_mutex_lock(lock);
    cell = atomic_load_explicit(&L->cells[idx], memory_order_acquire);
    if (!cell) {
        cell = cell_compute(L, servers, j, err);
        if (cell) {
            atomic_store_explicit(&L->cells[idx], cell, memory_order_release);
            atomic_fetch_add(&L->computed, 1);
        }
    }
    pthread_mutex_unlock(lock);
    return cell;
}

/* Adds pool size c's law at rho, weighted by `weight` arrivals, to the
 * histograms; returns its rejected share. */
static int add_pool(serving_law *L, size_t servers, double rho, double weight, sim_hist *ttft, sim_hist *completion,
                    double *rejected, sim_err *err)
{
    double top = rho_at(RHO_POINTS - 1);
    size_t j;
    double f;
    rho_locate(rho < top ? rho : top, &j, &f);
    const law_cell *a = cell_get(L, servers, j, err);
    const law_cell *b = f > 0 ? cell_get(L, servers, j + 1, err) : a;
    if (!a || !b)
        return -1;
    double rej = (1 - f) * a->rejected + f * b->rejected;
    double scale = 1.0; /* above the grid: the admitted throughput of a saturated pool */
    if (rho > top) {
        double adm = (1.0 - rej) * top / rho;
        scale = (1.0 - rej) > 0 ? adm / (1.0 - rej) : 0.0;
        rej = 1.0 - adm;
    }
    if (ttft) {
        sim_hist_add_hist(ttft, &a->ttft, weight * (1 - f) * scale);
        if (f > 0)
            sim_hist_add_hist(ttft, &b->ttft, weight * f * scale);
    }
    if (completion && L->c.decode_tokens_per_s > 0) {
        sim_hist_add_hist(completion, &a->completion, weight * (1 - f) * scale);
        if (f > 0)
            sim_hist_add_hist(completion, &b->completion, weight * f * scale);
    }
    *rejected = rej;
    return 0;
}

double serving_law_window(serving_law *L, double replicas, double lambda, double requests, sim_hist *ttft,
                          sim_hist *completion, double *rho, sim_err *err)
{
    double R = floor(replicas + 1e-9);
    *rho = NAN;
    if (R < 1)
        return NAN;
    *rho = lambda * serving_mean_service_s(&L->c) / R;
    if (!(lambda > 0))
        return 0.0;
    double K = ceil(R / L->c.pool_max_replicas);
    double q = floor(R / K), n_big = R - K * q; /* n_big pools of q + 1, K - n_big of q */
    double share[2] = {(K - n_big) * q / R, n_big * (q + 1) / R};
    double rej_total = 0;
    for (int s = 0; s < 2; s++) {
        if (!(share[s] > 0))
            continue;
        double rej;
        if (add_pool(L, (size_t)(q + s), *rho, requests * share[s], ttft, completion, &rej, err))
            return NAN;
        rej_total += share[s] * rej;
    }
    return rej_total;
}

int serving_period_eval(serving_law *L, double t0, double anchor_day, double replicas, serving_period *out,
                        sim_err *err)
{
    const serving_config *c = &L->c;
    out->requests = out->rejected = out->saturated = out->without_capacity = out->within_target = 0;
    out->peak_rho = out->peak_requests_per_s = NAN;
    sim_hist_clear(&out->ttft);
    sim_hist_clear(&out->completion);
    size_t n = (size_t)c->windows_per_day;
    double width = 24.0 / (double)n, A = c->diurnal_amplitude;
    double g_days = growth_integral(c, t0, t0 + c->sample_every_days, anchor_day);
    double target_s = c->ttft_target_ms / 1000.0;
    sim_hist tmp;
    serving_hist_init(&tmp);
    for (size_t k = 0; k < n; k++) {
        /* slice k: centred k x width hours after the peak, width hours wide */
        double x = 2.0 * M_PI * (double)k * width / 24.0;
        double slice_h = (1.0 - A / 2.0) * width + (A / 2.0) * (24.0 / M_PI) * cos(x) * sin(M_PI * width / 24.0);
        double requests = c->peak_requests_per_s * 3600.0 * slice_h * g_days;
        double hour = fmod(c->peak_hour + (double)k * width, 24.0);
        double lambda = serving_demand_rps(c, t0 + hour / 24.0, anchor_day);
        out->requests += requests;
        if (!(requests > 0))
            continue;
        sim_hist_clear(&tmp);
        double rho, rej = serving_law_window(L, replicas, lambda, requests, &tmp, &out->completion, &rho, err);
        if (isnan(rho)) {
            out->without_capacity += requests;
            continue;
        }
        if (isnan(rej))
            return -1;
        out->rejected += requests * rej;
        if (rho >= 1.0)
            out->saturated += requests;
        out->within_target += tmp.total * sim_hist_share_at_most(&tmp, target_s);
        sim_hist_add_hist(&out->ttft, &tmp, 1.0);
        if (!(rho <= out->peak_rho)) {
            out->peak_rho = rho;
            out->peak_requests_per_s = lambda;
        }
    }
    return 0;
}
