/*
 * serving: request-level inference on the capacity online — time to first
 * token (TTFT) of user requests while the site is built out, every request
 * counted.
 *
 * A served model runs on replicas of gpus_per_replica GPUs; the replicas are
 * floor(gpus_online x gpu_share / gpus_per_replica), with gpus_online the
 * racks in service (failures and repairs included). A request brings
 * prompt_tokens (a distribution); its prefill holds one replica for
 *   S = overhead_ms / 1000 + prompt_tokens / prefill_tokens_per_s   (seconds)
 * first come, first served, and TTFT = wait + S. Decode (decode_tokens_per_s
 * > 0, per sequence) runs batched beside later prefills: a request completes
 * at TTFT + output_tokens / decode_tokens_per_s.
 *
 * Admission: a request whose wait would exceed max_wait_ms is rejected at
 * arrival (the wait is known then: FCFS on the earliest-free replica) and
 * counted; the share within target counts rejections as misses. Rejecting
 * at arrival and abandoning after max_wait_ms leave the admitted requests'
 * waits the same, so a pool is the M/G/c+D queue (deterministic patience);
 * for exponential service the tests hold it to that queue's closed forms.
 *
 * Demand: Poisson arrivals at
 *   lambda(t) = peak_requests_per_s x growth(t - anchor) x diurnal(hour(t))
 *   growth(x) = 1 / (1 + exp(-(x - growth_midpoint_day) / (growth_ramp_days / 4.394)))
 *   (growth_ramp_days is the 10 %-90 % rise), diurnal(h) = 1 - diurnal_amplitude
 *   x (1 - cos(2 pi (h - peak_hour) / 24)) / 2,
 * the anchor being day 0 (growth_anchor = "day") or the site's first token
 * (growth_anchor = "first_token": no demand before the site serves; the
 * buildout's randomness then does not overload slow replications by
 * construction).
 *
 * Every request counted: every sample_every_days (whole days), the period
 * of that many days stands for its requests, the integral of lambda: the
 * growth's exact integral (a softplus) times the diurnal profile's daily
 * integral (exact while growth is constant over a day; a 60-day ramp is off
 * by 0.2 %, the bundled 730-day ramps far less). The day is cut into windows_per_day equal
 * slices centred on the demand peak and the hours after it (so 2 or more
 * windows include the trough); slice k's requests weigh its window, whose
 * TTFT law is evaluated at the slice's central rate, with the replicas
 * online at the period's start. A period's and a run's P50/P99 are those of
 * the mixture of their windows' laws, weighted by the requests each admits.
 *
 * The TTFT law of a pool (serving_law): random routing over pools of at most
 * pool_max_replicas replicas (a thinned Poisson process is Poisson, so each
 * pool of size c is an M/G/c+D queue at the site's utilization rho =
 * lambda E[S] / R) makes the law depend only on c, rho, the service-time law
 * and max_wait_ms. It is tabulated once per scenario, shared by every
 * replication and thread: cell (c, rho_j) is a simulation of law_requests
 * requests after a warm-up of 5 relaxation times (for rho < 1, the M/M/c
 * relaxation time 1 / (c mu (1 - sqrt rho)^2); above, max_wait_ms and the
 * service time bound it), its admitted TTFTs and completions in log-spaced
 * histograms (sim/core/hist.h) and its rejected share. Cells are computed on
 * first use (the same numbers whoever asks: each cell has its own keyed
 * stream), and rho between grid points interpolates the two neighbours
 * linearly; rho above the grid's last point (4) takes its law with the
 * rejected share of a saturated pool, 1 - (1 - r_4) 4 / rho. The warm-up is
 * capped at 250,000 arrivals. A cell's P99 near saturation is noisy: its
 * samples are correlated over the relaxation time (68 s at 0.97 for 64
 * replicas of 1 s, 620 s at 0.99), so law_requests sets the accuracy there
 * (10 million: within 5 % at 0.97 and 10 % at 0.99; the default 50,000 is
 * for speed, and is several times coarser near saturation). The site's R
 * replicas are split into K = ceil(R / pool_max_replicas) pools of q or
 * q + 1 (q = floor(R / K)), mixed by their share of the traffic. What this
 * does not claim: a central queue over all R replicas would wait less than
 * random routing over pools.
 *
 * Validation (tests/test_serving.c): M/M/c against Erlang C, M/M/c+D
 * (rejected share and admitted mean wait) against its closed form, P99 at
 * utilization 0.95, 0.97 and 0.99 against the M/M/c closed form, Little's
 * law, M/D/1 against Pollaczek-Khinchine, the table against direct
 * simulation between grid points, requests per day against the integral by
 * hand.
 *
 * Defaults: the bundled scenarios' serving blocks cite their figures
 * (MLPerf's Llama-2-70B server limit of 2,000 ms P99 TTFT as
 * ttft_target_ms: scenarios/SOURCES.md [SV-MLPERF]). Run settings of the
 * method, not physical constants: windows_per_day 4, sample_every_days 7,
 * pool_max_replicas 64, law_requests 50,000.
 */
#ifndef MODELS_SERVING_H
#define MODELS_SERVING_H

#define SERVING_MAX_POOL 1024

#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"
#include "sim/core/dist.h"
#include "sim/core/hist.h"

typedef struct serving_config {
    bool enabled;
    double gpus_per_replica, gpu_share;
    double prefill_tokens_per_s, overhead_ms, decode_tokens_per_s;
    sim_dist prompt_tokens, output_tokens;
    double peak_requests_per_s, diurnal_amplitude, peak_hour;
    double growth_midpoint_day, growth_ramp_days;
    bool anchor_first_token; /* growth_anchor = "first_token" */
    double windows_per_day, sample_every_days;
    double pool_max_replicas, law_requests;
    double max_wait_ms, ttft_target_ms;
} serving_config;

/* Reads serving.* (absent group, or serving.enabled = false: disabled; the
 * group's other keys are then not read, so they do not count as unknown). */
int serving_load(sim_cfg *cfg, serving_config *out, sim_err *err);

/* Arrival rate (requests/s) at t_days, the growth counted from anchor_day
 * (0, or the first token; NAN: not yet, no demand). */
double serving_demand_rps(const serving_config *c, double t_days, double anchor_day);
/* The requests from t0 to t1 (days), exactly: the growth's integral times
 * the diurnal mean (whole days), or by slices (serving_period_eval). */
double serving_requests_between(const serving_config *c, double t0_days, double t1_days, double anchor_day);
/* Mean service time E[S] (seconds). */
double serving_mean_service_s(const serving_config *c);

/* One M/G/c FCFS pool with admission. */
typedef struct serving_pool_params {
    size_t servers;
    double lambda_per_s;
    double prefill_tokens_per_s, overhead_s;
    const sim_dist *prompt_tokens;
    size_t n_warmup, n_requests; /* arrivals discarded, then measured (admitted or not) */
    bool time_average;           /* also measure L by sweeping arrivals and departures */
    double max_wait_s;           /* INFINITY: no admission control */
    /* Optional sinks: each admitted request's TTFT (and, with completion_hist,
     * TTFT + output_tokens / decode_tokens_per_s) added with hist_weight. */
    sim_hist *ttft_hist, *completion_hist;
    const sim_dist *output_tokens;
    double decode_tokens_per_s, hist_weight;
} serving_pool_params;

typedef struct serving_pool_stats {
    size_t n;                        /* measured arrivals */
    size_t n_rejected;               /* of them rejected */
    double p_wait;                   /* share of the admitted that waited > 0 */
    double mean_wait_s, mean_ttft_s; /* over the admitted; TTFT = wait + service */
    double utilization;              /* busy server-time / (servers x elapsed) */
    double lambda_observed_per_s;    /* measured arrivals / their span */
    double time_avg_in_system;       /* L over the measured arrivals' span (time_average only) */
} serving_pool_stats;

/* Simulates the pool; ttft_s (n_requests entries, may be NULL) receives each
 * admitted request's TTFT in seconds (NAN for a rejected one). work must hold
 * servers doubles, and 2 x n_requests more when time_average. Returns -1 if
 * params are invalid, -2 when interrupted (SIGINT, SIGTERM). The law
 * table's cells are this simulation with histogram sinks. */
int serving_pool_run(const serving_pool_params *p, sim_rng *r, double *ttft_s, double *work, serving_pool_stats *st);

/* The tabulated TTFT law (see above); shared, filled on first use. */
typedef struct serving_law serving_law;
serving_law *serving_law_new(const serving_config *c, sim_err *err);
void serving_law_free(serving_law *L);
/* Cells computed so far (for the benchmark and the tests). */
size_t serving_law_cells_computed(const serving_law *L);

/* The law of one window: R replicas serving lambda requests/s. Adds the
 * admitted requests' TTFT (and completion) law, weighted by `requests` x
 * their admitted share, to ttft and completion (either may be NULL);
 * returns the rejected share (NAN when R < 1) and rho. */
double serving_law_window(serving_law *L, double replicas, double lambda_per_s, double requests, sim_hist *ttft,
                          sim_hist *completion, double *rho, sim_err *err);

/* One sampled period of the site. */
typedef struct serving_period {
    double requests, rejected, saturated, without_capacity, within_target;
    double peak_rho, peak_requests_per_s;
    sim_hist ttft, completion; /* admitted requests (seconds), weighted by requests */
} serving_period;

/* Histograms on the serving grid (seconds). */
void serving_hist_init(sim_hist *h);

/* The period [t0, t0 + sample_every_days) with `replicas` online at t0. */
int serving_period_eval(serving_law *L, double t0_days, double anchor_day, double replicas, serving_period *out,
                        sim_err *err);

#endif
