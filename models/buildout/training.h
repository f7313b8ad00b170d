/*
 * training: job interruptions on the GPUs in service, and what they cost
 * the training jobs.
 *
 * Interruptions (a job restarted from its last checkpoint, or a serving
 * replica restarted: the hardware swapped or a node drained; not a loss of
 * capacity, which models/buildout/fleet.h holds) come at each GPU's rate,
 * its rack type's interruptions_per_gpu_day: a Poisson process of rate
 * sum over GPUs online, constant between two changes of the GPUs online,
 * so each interval of length dt adds a Poisson(rate x dt) count, drawn
 * exactly (sim_rng_poisson) at the next change.
 * A share of the racks train (training.gpu_share; rack r trains when
 * floor((r + 1) s) > floor(r s), which spreads them evenly over the order),
 * in jobs of training.job_gpus GPUs. An interruption on a training GPU
 * stops the job that spans it: the job's GPUs (job_gpus, or every training
 * GPU online if fewer) lose the restart time plus, on average, half a
 * checkpoint interval of work since the last checkpoint:
 *   lost GPU-hours per interruption = G_job (R + tau / 2).
 * Writing a checkpoint stalls the job w every tau, so of the training
 * GPU-hours online T (the integral of training GPUs in service),
 *   goodput = (T - lost) tau / (tau + w) / T
 * (the effective training time ratio; the first-order form of Young 1974
 * and Daly 2006). Sources: the restart and checkpoint defaults are
 * assumptions; with the bundled rates a 16,384-GPU job gives ~92 %
 * goodput, consistent with Llama 3's >90 % effective training time
 * (scenarios/SOURCES.md [FAIL-LLAMA3]); ByteDance reports 97 % over a
 * 3-month job on 9,600 GPUs [FAIL-BYTEROBUST]. The same defaults at
 * Gemini's 7.5-hour interval between interruptions give ~97 %, inside its
 * 85-97 %; OPT-175B's 59 % at under 12 hours came from restarts of hours
 * by hand, which restart_minutes can say [FAIL-INTERVALS]
 * (tests/test_racks.c holds all three).
 *
 * Keys: training.gpu_share (default 0: no training jobs), training.job_gpus
 * (required with a share), training.restart_minutes,
 * training.checkpoint_interval_minutes, training.checkpoint_write_minutes.
 */
#ifndef MODELS_BUILDOUT_TRAINING_H
#define MODELS_BUILDOUT_TRAINING_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/config/cfg.h"
#include "sim/core/rng.h"

typedef struct training_config {
    double gpu_share; /* 0: no training */
    double job_gpus;
    double restart_hours, checkpoint_interval_hours, checkpoint_write_hours;
} training_config;

int training_load(sim_cfg *cfg, training_config *out, sim_err *err);

/* Does rack r (in order of racks.orders) train? */
static inline bool training_rack(const training_config *tc, uint64_t r)
{
    return floor((double)(r + 1) * tc->gpu_share) > floor((double)r * tc->gpu_share);
}

/* Interruptions at a rate that changes in steps (per day). */
typedef struct interrupt_tally {
    double rate_per_day, last_t, count;
    sim_rng rng;
} interrupt_tally;

/* The interruptions since the last call, to `now` (a Poisson draw at the
 * rate that held); the rate then changes by delta_rate. */
double interrupt_step(interrupt_tally *it, double now, double delta_rate);

/* The training books of one replication. */
typedef struct training_tally {
    double gpus_online;     /* training GPUs in service now */
    double gpu_hours;       /* their integral so far, to intr.last_t */
    double lost_gpu_hours;
    interrupt_tally intr;   /* the training GPUs' interruptions */
} training_tally;

/* Training GPUs in service change by `delta` at `now` (days), their
 * interruptions a day by delta_rate. */
void training_gpus_change(const training_config *tc, training_tally *tt, double now, double delta,
                          double delta_rate);
/* Goodput over the run to t_end (NAN without training GPU-hours). */
double training_goodput(const training_config *tc, training_tally *tt, double t_end);

#endif
