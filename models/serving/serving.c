#include "serving.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
        sim_cfg_num(cfg, "serving.window_minutes", 10.0, SIM_RANGE(0.1, 1440), &c->window_minutes, err) ||
        sim_cfg_num(cfg, "serving.warmup_minutes", 1.0, SIM_RANGE(0, 1440), &c->warmup_minutes, err) ||
        sim_cfg_num(cfg, "serving.window_hour", c->peak_hour, SIM_RANGE(0, 24), &c->window_hour, err) ||
        sim_cfg_num(cfg, "serving.sample_every_days", 7.0, SIM_RANGE(1.0 / 24.0, 3650), &c->sample_every_days, err) ||
        sim_cfg_num(cfg, "serving.pool_max_replicas", 64.0, SIM_RANGE(1, 1e6), &c->pool_max_replicas, err) ||
        sim_cfg_num(cfg, "serving.max_requests_per_window", 4000.0, SIM_RANGE(100, 1e8), &c->max_requests_per_window,
                    err) ||
        sim_cfg_num(cfg, "serving.ttft_target_ms", SIM_REQUIRED, SIM_POSITIVE, &c->ttft_target_ms, err))
        return -1;
    return 0;
}

double serving_demand_rps(const serving_config *c, double t_days)
{
    double scale = c->growth_ramp_days / 4.394449154672439; /* 2 ln 9: 10 % -> 90 % */
    double growth = 1.0 / (1.0 + exp(-(t_days - c->growth_midpoint_day) / scale));
    double hour = fmod(t_days * 24.0, 24.0);
    double diurnal = 1.0 - c->diurnal_amplitude * (1.0 - cos(2.0 * M_PI * (hour - c->peak_hour) / 24.0)) / 2.0;
    return c->peak_requests_per_s * growth * diurnal;
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
    size_t waited = 0, total = p->n_warmup + p->n_requests;
    for (size_t i = 0; i < total; i++) {
        t += mean_gap * sim_rng_exponential(r);
        double prompt = sim_dist_sample(p->prompt_tokens, r);
        double s = p->overhead_s + (prompt > 0 ? prompt : 0) / p->prefill_tokens_per_s;
        double start = free_at[0] > t ? free_at[0] : t;
        double wait = start - t;
        free_at[0] = start + s;
        sift_down(free_at, c);
        if (i < p->n_warmup)
            continue;
        size_t k = i - p->n_warmup;
        if (k == 0)
            first = t;
        if (ttft_s)
            ttft_s[k] = wait + s;
        sum_wait += wait;
        sum_ttft += wait + s;
        waited += wait > 0;
        busy += s;
        if (arr) {
            arr[k] = t;
            dep[k] = start + s;
        }
    }
    double n = (double)p->n_requests;
    double span = t - first;
    st->n = p->n_requests;
    st->p_wait = (double)waited / n;
    st->mean_wait_s = sum_wait / n;
    st->mean_ttft_s = sum_ttft / n;
    st->lambda_observed_per_s = span > 0 ? (n - 1) / span : NAN;
    st->utilization = span > 0 ? busy / ((double)c * span) : NAN;
    if (arr && span > 0) {
        /* L = (1 / span) x integral over [first, t] of N(u) du, N counting the
         * measured requests in the system (arrived, not departed): from the
         * sorted arrival and departure instants alone. */
        gsl_sort(dep, 1, p->n_requests);
        double area = 0, last = first;
        size_t ia = 0, id = 0, in_sys = 0;
        while (ia < p->n_requests || id < p->n_requests) {
            double next = ia < p->n_requests && (id >= p->n_requests || arr[ia] <= dep[id]) ? arr[ia] : dep[id];
            if (next > t)
                next = t;
            area += (double)in_sys * (next - last);
            last = next;
            if (next >= t)
                break;
            if (ia < p->n_requests && arr[ia] <= dep[id]) {
                in_sys++;
                ia++;
            } else {
                in_sys--;
                id++;
            }
        }
        st->time_avg_in_system = area / span;
    }
    return 0;
}

int serving_work_init(serving_work *w, const serving_config *c, sim_err *err)
{
    memset(w, 0, sizeof *w);
    size_t n = (size_t)c->max_requests_per_window;
    size_t servers = (size_t)c->pool_max_replicas + 1;
    w->cap = n;
    w->ttft_s = sim_calloc(2 * n + 2, sizeof *w->ttft_s, err);
    w->work = sim_calloc(servers, sizeof *w->work, err);
    if (!w->ttft_s || !w->work) {
        serving_work_free(w);
        return -1;
    }
    return 0;
}

void serving_work_free(serving_work *w)
{
    free(w->ttft_s);
    free(w->work);
    memset(w, 0, sizeof *w);
}

/* The k-th smallest of a[0..n) (0-based), moving it to a[k]: Hoare's
 * selection with a median-of-three pivot, O(n) on average. */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

/* The p-quantile as the ceil(p n)-th smallest (the smallest x with at least
 * a share p of the samples at or below it). */
static double quantile_select(double *a, size_t n, double p)
{
    size_t k = (size_t)ceil(p * (double)n);
    return select_kth(a, n, k > 0 ? k - 1 : 0);
}

void serving_window_eval(const serving_config *c, double t_days, double gpus_online, sim_rng *r, serving_work *w,
                         serving_window *out)
{
    double window_s = c->window_minutes * 60.0;
    double lambda = serving_demand_rps(c, t_days + 0.5 * c->window_minutes / 1440.0);
    double replicas = floor(gpus_online * c->gpu_share / c->gpus_per_replica + 1e-9);
    double mean_s = c->overhead_ms / 1000.0 + sim_dist_mean(&c->prompt_tokens) / c->prefill_tokens_per_s;
    out->requests_per_s = lambda;
    out->replicas = replicas;
    out->utilization = replicas > 0 ? lambda * mean_s / replicas : NAN;
    out->ttft_p50_ms = out->ttft_p99_ms = out->share_within_target = out->completion_p50_ms = NAN;
    out->requests_simulated = 0;
    if (replicas < 1 || !(lambda > 0))
        return;
    double k = ceil(replicas / c->pool_max_replicas);
    double q = floor(replicas / k), n_big = replicas - k * q; /* n_big pools of q + 1, k - n_big of q */
    double sizes[2] = {q, q + 1}, share[2] = {(k - n_big) * q / replicas, n_big * (q + 1) / replicas};
    /* Requests per pool size in proportion to its share of the traffic, so
     * that the union of the samples is the site's TTFT sample, each request
     * weighing the same. */
    double n_total = fmin(fmax(lambda * window_s, 200.0), (double)w->cap);
    size_t n_all = 0;
    for (int s = 0; s < 2; s++) {
        double n = floor(n_total * share[s] + 0.5);
        if (!(n >= 1) || sizes[s] < 1)
            continue;
        double lam = lambda * sizes[s] / replicas;
        double warm = fmin(lam * c->warmup_minutes * 60.0, 0.25 * n);
        serving_pool_params pp = {(size_t)sizes[s], lam, c->prefill_tokens_per_s, c->overhead_ms / 1000.0,
                                  &c->prompt_tokens, (size_t)warm, (size_t)n, false};
        serving_pool_stats st;
        if (serving_pool_run(&pp, r, w->ttft_s + n_all, w->work, &st) != 0)
            continue;
        n_all += (size_t)n;
    }
    out->requests_simulated = (double)n_all;
    if (n_all == 0)
        return;
    double target_s = c->ttft_target_ms / 1000.0;
    size_t met = 0;
    for (size_t i = 0; i < n_all; i++)
        met += w->ttft_s[i] <= target_s;
    out->share_within_target = (double)met / (double)n_all;
    out->ttft_p50_ms = 1000.0 * quantile_select(w->ttft_s, n_all, 0.50);
    out->ttft_p99_ms = 1000.0 * quantile_select(w->ttft_s, n_all, 0.99);
    out->completion_p50_ms = NAN;
    if (c->decode_tokens_per_s > 0) {
        /* Decode runs batched beside later prefills: each request's
         * completion is its TTFT plus its own decode time. */
        for (size_t i = 0; i < n_all; i++) {
            double out_tokens = sim_dist_sample(&c->output_tokens, r);
            w->ttft_s[i] += (out_tokens > 0 ? out_tokens : 0) / c->decode_tokens_per_s;
        }
        out->completion_p50_ms = 1000.0 * quantile_select(w->ttft_s, n_all, 0.50);
    }
}
