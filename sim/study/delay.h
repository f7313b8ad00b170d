/*
 * delay: what a delay costs, as one figure. The same scenario runs twice
 * with the same seed (common random numbers): on time, and with one phase
 * D days later (every draw of its duration moved by D, so the phase and all
 * that waits for it move; what does not wait for it, such as rack orders,
 * keeps its dates and waits). Both run D days past the scenario's horizon,
 * so the late site has the time after its delay the on-time one has (the
 * lifetime figures carry on from what is online at the horizon:
 * models/finance/lifetime.h). For each figure the app marks
 * SIM_METRIC_DELAY (sim/app.h) and each replication i where both runs
 * define it, the paired difference
 *   a value (NPV):   d_i = X_on_time,i - X_late,i   (what the delay costs)
 *   a cost, a day:   d_i = X_late,i - X_on_time,i   (what it adds; how far
 *                                                    the milestone moved)
 * is summed up as its mean with a 95 % interval, mean +- 1.96 s / sqrt(n)
 * (s the differences' standard deviation, n the pairs), its P10, P50 and
 * P90, and for money the mean per day of delay (mean / D).
 *
 * Writes delay.json {phase, days, key, currency, figures {METRIC: {unit,
 * sense, mean, ci95 [lo, hi], p10, p50, p90, per_day, n_pairs}}} and
 * delay.csv (one row per figure), beside the comparison of the two runs
 * (compare.h; directories on_time/ and late/).
 */
#ifndef SIM_DELAY_H
#define SIM_DELAY_H

#include <stdio.h>

#include "sim/study/compare.h"

#define SIM_DELAY_FIGURES 8 /* at most */

typedef struct sim_delay_figure {
    const char *metric, *unit;
    bool money, value, day;
    size_t late_not_reached; /* a day: late replications that did not reach it within the horizon */
    double mean, ci_lo, ci_hi, p10, p50, p90, per_day;
    size_t n_pairs;
} sim_delay_figure;

typedef struct sim_delay {
    char phase[64];
    char key[160]; /* the key moved, e.g. timeline.durations.grid_interconnection+=365 */
    double days;
    char currency[16];
    size_t n, n_fig;
    double horizon_days; /* the runs' */
    sim_delay_figure fig[SIM_DELAY_FIGURES];
} sim_delay;

/* The paired differences of runs[0] (on time) and runs[1] (late). */
int sim_delay_compute(sim_delay *d, const sim_study_run *runs, sim_err *err);
int sim_delay_write(const char *dir, const sim_delay *d, sim_err *err);
void sim_delay_print(FILE *f, const sim_delay *d);

#endif
