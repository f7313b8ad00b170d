/*
 * serving: request-level inference on the capacity online — time to first
 * token (TTFT, ms) of user requests while the site is built out.
 *
 * A served model runs on replicas of gpus_per_replica GPUs; the replicas are
 * floor(gpus_online x gpu_share / gpus_per_replica), with gpus_online the
 * racks in service at that moment (failures and repairs included). A request
 * brings prompt_tokens (a distribution); its prefill holds one replica for
 *   S = overhead_ms / 1000 + prompt_tokens / prefill_tokens_per_s   (seconds)
 * first come, first served, and
 *   TTFT = waiting time + S.
 * Decode (when decode_tokens_per_s > 0, per sequence) runs batched
 * alongside later prefills (continuous batching) and does not hold the
 * replica: a request completes at TTFT + output_tokens / decode_tokens_per_s
 * (serving.completion_p50_ms), and the time per output token is
 * 1000 / decode_tokens_per_s ms.
 *
 * Demand: Poisson arrivals at
 *   lambda(t) = peak_requests_per_s x growth(t) x diurnal(hour(t))
 *   growth(t) = 1 / (1 + exp(-(t - growth_midpoint_day) / (growth_ramp_days / 4.394)))
 *   (growth_ramp_days is the 10 %-90 % rise), diurnal(h) = 1 - diurnal_amplitude
 *   x (1 - cos(2 pi (h - peak_hour) / 24)) / 2  (1 at the peak, 1 - amplitude
 *   at the trough).
 *
 * Method (exact for the stated routing, not an approximation of the queue):
 * the site's R replicas are split into K = ceil(R / pool_max_replicas) pools
 * of q or q + 1 replicas (q = floor(R / K)), and a request goes to a pool at
 * random with probability proportional to its size. A thinned Poisson process
 * is Poisson, so every pool of size c is an M/G/c FCFS queue with arrival
 * rate lambda c / R, and all pools of one size have the same TTFT law: one
 * pool of each size is simulated (Kiefer-Wolfowitz recursion: each request
 * takes the earliest-free server) and the two are mixed by their share of
 * traffic. What the method does not claim: a central queue over all R
 * replicas would wait less than random routing over pools (this is the
 * routing being modelled); lambda is held at its value at the middle of the
 * window; each window starts empty and discards its first warmup_minutes
 * of requests (at most a quarter of the measured count; warm-up bias remains
 * for utilization close to 1, where the queue's relaxation time exceeds the
 * window: the tests bound it at 0.95). Windows of window_minutes (default 10)
 * are simulated at window_hour (default: the demand peak) every
 * sample_every_days (default 7); at most max_requests_per_window (default
 * 4,000, at least 200) requests per pool size: the window is shortened to
 * fit, so the P99 of a window rests on at least 40 requests above it.
 * Defaults of the method (warmup_minutes 1, pool_max_replicas 64) are run
 * settings, not physical constants.
 *
 * Validation (tests/test_serving.c): M/M/c probability of waiting and mean
 * wait against Erlang C, Little's law from the simulation's own counts,
 * M/D/1 mean wait against Pollaczek-Khinchine, the pooled method against a
 * full simulation of every pool with random routing.
 * L (time_average) counts the measured requests only, so it is the L of
 * Little's law for them: those still in the system when the last measured
 * request arrives are cut at that instant (an O(1 / n) edge effect).
 *
 * Defaults (scenarios/catalog/serving.cfg): 70B-class model on 2 x H100 and
 * on GB200-class GPUs; MLPerf's Llama-2-70B server limit of 2,000 ms P99 TTFT
 * as ttft_target_ms (scenarios/SOURCES.md [SV-MLPERF]).
 */
#ifndef MODELS_SERVING_H
#define MODELS_SERVING_H

#define SERVING_RNG_STREAMS 1 /* the windows, keyed by window */

#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"
#include "sim/dist.h"

typedef struct serving_config {
    bool enabled;
    double gpus_per_replica, gpu_share;
    double prefill_tokens_per_s, overhead_ms, decode_tokens_per_s;
    sim_dist prompt_tokens, output_tokens;
    double peak_requests_per_s, diurnal_amplitude, peak_hour;
    double growth_midpoint_day, growth_ramp_days;
    double window_minutes, warmup_minutes, window_hour, sample_every_days;
    double pool_max_replicas, max_requests_per_window;
    double ttft_target_ms;
} serving_config;

/* Reads serving.* (absent group, or serving.enabled = false: disabled; the
 * group's other keys are then not read, so they do not count as unknown). */
int serving_load(sim_cfg *cfg, serving_config *out, sim_err *err);

/* Arrival rate (requests/s) at t_days. */
double serving_demand_rps(const serving_config *c, double t_days);

/* One M/G/c FCFS pool. */
typedef struct serving_pool_params {
    size_t servers;
    double lambda_per_s;
    double prefill_tokens_per_s, overhead_s;
    const sim_dist *prompt_tokens;
    size_t n_warmup, n_requests; /* requests discarded, then measured */
    bool time_average;           /* also measure L by sweeping arrivals and departures */
} serving_pool_params;

typedef struct serving_pool_stats {
    size_t n;                        /* measured requests */
    double p_wait;                   /* share that waited > 0 */
    double mean_wait_s, mean_ttft_s; /* TTFT = wait + service */
    double utilization;              /* busy server-time / (servers x elapsed) */
    double lambda_observed_per_s;    /* measured arrivals / their span */
    double time_avg_in_system;       /* L over the measured arrivals' span (time_average only) */
} serving_pool_stats;

/* Simulates the pool; ttft_s (n_requests entries, may be NULL) receives each
 * measured request's TTFT in seconds. work must hold servers doubles, and
 * 2 x n_requests more when time_average. Returns -1 if params are invalid. */
int serving_pool_run(const serving_pool_params *p, sim_rng *r, double *ttft_s, double *work, serving_pool_stats *st);

/* One sampled window of the site. */
typedef struct serving_window {
    double requests_per_s, replicas, utilization; /* utilization = lambda E[S] / R */
    double ttft_p50_ms, ttft_p99_ms, share_within_target;
    double completion_p50_ms; /* TTFT + output_tokens / decode_tokens_per_s (NAN without decode) */
    double requests_simulated;
} serving_window;

/* Work space for serving_window_eval (per replication). */
typedef struct serving_work {
    double *ttft_s, *work;
    size_t cap;
} serving_work;
int serving_work_init(serving_work *w, const serving_config *c, sim_err *err);
void serving_work_free(serving_work *w);

/* Evaluates the window at t_days with gpus_online GPUs in service. */
void serving_window_eval(const serving_config *c, double t_days, double gpus_online, sim_rng *r, serving_work *w,
                         serving_window *out);

#endif
