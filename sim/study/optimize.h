/*
 * optimize: the decisions that do best under uncertainty (gigasim
 * optimize). A decision is an ordinary scenario key, given a range or a
 * list; a candidate is one value for each; every candidate runs on the same
 * replications (the same seed: common random numbers), so two candidates
 * differ by their decisions and not by their luck.
 *
 * Decisions (--decide):
 *   KEY=LOW:HIGH          continuous: searched by Nelder-Mead (GSL's
 *                         nmsimplex2) in the unit cube of the ranges, from
 *                         its centre with steps of a quarter range, values
 *                         clamped to the range, until the simplex is smaller
 *                         than `tolerance` of the ranges or the budget is spent
 *   KEY=LOW:HIGH:STEP     a grid LOW, LOW + STEP, ... <= HIGH: every value
 *   KEY=A,B,C             a choice among values as --set takes them (a
 *                         number, "a string", a file name in quotes);
 *                         scenario=A.cfg,B.cfg: a choice of scenario files
 *                         (which site), run on the study's seed
 * Grids and choices are searched exhaustively; with continuous keys too, a
 * Nelder-Mead search runs for each combination of the discrete ones.
 *
 * Objective (--objective METRIC[:STAT]), STAT over the replications:
 *   mean (default), p10, p50, p90, cvar10 (the mean of the worst tenth:
 *   the lowest values when maximizing, the highest when minimizing).
 * A replication that did not reach a milestone (NAN) counts as the worst
 * value there is: a quantile that falls on it, or a mean or cvar10 over it,
 * is "not reached" (-inf when maximizing, +inf when minimizing).
 * Sense: --maximize or --minimize; by default the metric's own (a value,
 * SIM_METRIC_VALUE, is maximized, anything else minimized).
 * Constraints (--constraint METRIC[:STAT]<=V or >=V, STAT default mean):
 * a candidate that breaks one on its replications is infeasible: it is
 * reported but never chosen (Nelder-Mead sees its objective with a penalty).
 *
 * Selection (ranking and selection, the honest part): the best `finalists`
 * feasible candidates of the search go on; each stage bootstraps the
 * replications (B = 1,000 resamples of replication indices, the same for
 * every candidate, so the pairing is kept) and, against the stage's leader,
 * each other finalist's paired difference d = leader - other (in the
 * objective's better direction) gets a percentile interval at
 * 1 - (1 - confidence) / m for m comparisons (Bonferroni). A finalist whose
 * interval is above 0 is separated (dropped); one whose interval holds 0
 * but lies inside [-indifference, indifference] is equivalent. When every other finalist is one or the
 * other, selection ends ("separated": none equivalent; "equivalent": some
 * are, the leader among them); else the remaining finalists get as many
 * replications again (the next replications of the same streams, so the
 * earlier ones are kept) until max_replications, where it ends
 * "undecided". P(best): the share of resamples in which the chosen one is
 * the best of the finalists still in (a tie shares the resample). Indifference by default 0.1 % of the
 * leader's |objective|.
 *
 * What the choice buys: the scenario as written (no decision set) runs on
 * the chosen candidate's replications, and the paired difference of the
 * objective (chosen - as written, better direction) gets its interval.
 *
 * Files (into dir, committed whole): optimize.json (the study, the chosen
 * candidate, the runner-up, the difference, the verdict, the probability,
 * what the choice gains on the scenario as written, the replications
 * spent, every candidate) and optimize.csv (a row per
 * candidate: its decisions, replications, objective and its interval at
 * the confidence, feasibility, constraint values, the last selection stage
 * it took part in and its P(best) there; empty for one not a finalist).
 * Everything is computed from the candidates' metrics in a fixed order, so
 * the bytes do not depend on threads or MPI ranks. Under MPI an exhaustive
 * search shares out whole candidates (candidate k on rank k mod P, on its
 * threads; their figures then go to every rank); Nelder-Mead, which goes
 * one candidate at a time, and the selection share each candidate's
 * replications over the ranks.
 */
#ifndef SIM_OPTIMIZE_H
#define SIM_OPTIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/core/util.h"

#define SIM_OPT_MAX_DECISIONS 8
#define SIM_OPT_MAX_CHOICES 64
#define SIM_OPT_MAX_CONSTRAINTS 8

typedef enum { SIM_DECIDE_CONTINUOUS, SIM_DECIDE_GRID, SIM_DECIDE_CHOICE } sim_decide_kind;

typedef struct sim_decide {
    char key[256];
    sim_decide_kind kind;
    double low, high, step; /* continuous and grid */
    size_t n_choices;
    char choices[SIM_OPT_MAX_CHOICES][160]; /* a choice's values, as --set takes them */
} sim_decide;

typedef enum { SIM_STAT_MEAN, SIM_STAT_P10, SIM_STAT_P50, SIM_STAT_P90, SIM_STAT_CVAR10 } sim_stat;

typedef struct sim_objective {
    char metric[128];
    sim_stat stat;
    int sense; /* +1 maximize, -1 minimize, 0 not said (the metric's own) */
} sim_objective;

typedef struct sim_constraint {
    char metric[128];
    sim_stat stat;
    bool at_most; /* METRIC<=limit; else METRIC>=limit */
    double limit;
} sim_constraint;

int sim_decide_parse(const char *arg, sim_decide *d, sim_err *err);
int sim_objective_parse(const char *arg, sim_objective *o, sim_err *err);
int sim_constraint_parse(const char *arg, sim_constraint *c, sim_err *err);
const char *sim_stat_name(sim_stat s);

/* The value of statistic s of x[0..n) (stride apart), NAN the worst for
 * sense; scratch holds n doubles. */
double sim_stat_of(const double *x, size_t n, size_t stride, sim_stat s, int sense, double *scratch);

/* A candidate evaluated: the scenario with sets[0..n_sets) ("key=value")
 * on replications [first, first + count); metric column cols[k] of
 * replication first + r into y[r * n_cols + k]. alone: this MPI rank runs
 * them all on its own (the candidates are shared out); else they may be
 * shared over the ranks, every rank calling. */
typedef int (*sim_candidate_fn)(void *ctx, const char *const *sets, size_t n_sets, size_t first, size_t count,
                                bool alone, const size_t *cols, size_t n_cols, double *y, sim_err *err);

typedef struct sim_optimize_spec {
    const sim_decide *dec;
    size_t n_dec;
    sim_objective obj; /* sense +1 or -1 */
    size_t obj_col;
    const char *obj_unit;
    const sim_constraint *con;
    size_t n_con;
    const size_t *con_col;
    size_t replications;     /* each candidate's in the search */
    size_t max_replications; /* a finalist's at most */
    size_t max_candidates;   /* the search's budget of candidates */
    size_t finalists;        /* how many go on to selection */
    double confidence;       /* of the intervals and of the separation */
    double indifference;     /* in the objective's unit; NAN: 0.1 % of the leader's */
    double tolerance;        /* Nelder-Mead's stop: the simplex's size, a share of the ranges */
    uint64_t seed;           /* the scenario's: the bootstrap's draws come from it */
    const char *scenario_file, *scenario_name, *currency;
} sim_optimize_spec;

enum { SIM_OPT_SEPARATED, SIM_OPT_EQUIVALENT, SIM_OPT_UNDECIDED };

typedef struct sim_optimize_outcome {
    size_t n_candidates, chosen, runner_up; /* runner_up SIZE_MAX: none */
    double x[SIM_OPT_MAX_DECISIONS];        /* the chosen decisions (a choice: its index) */
    double objective, lo, hi;               /* the chosen's, its interval */
    double diff, diff_lo, diff_hi;          /* chosen - runner-up, better direction > 0 */
    double as_written;                      /* the scenario as written, on the chosen's replications */
    double gain, gain_lo, gain_hi;          /* chosen - as written, better direction > 0, and its interval */
    double p_best;
    int verdict;
    size_t final_replications, replications_total;
} sim_optimize_outcome;

/* Searches, selects, writes optimize.json and optimize.csv into dir (a new
 * or empty directory, committed whole) and, when out is not NULL, prints
 * the answer there. */
int sim_optimize(const sim_optimize_spec *spec, sim_candidate_fn fn, void *ctx, const char *dir, FILE *out,
                 sim_optimize_outcome *result, sim_err *err);

#endif
