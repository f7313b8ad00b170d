/*
 * fleet: hardware replacements in the racks in service, drawn for the whole
 * fleet at once, and the spares that cover them.
 *
 * A unit (a node or a tray: hw_unit_gpus GPUs of a rack type) fails in
 * service at lambda_c per day (its type's hw_failures_per_gpu_day x
 * hw_unit_gpus), independently, with exponential lives. Units of one class
 * c (a rack type in a hall's cooling technology, training or not) are
 * alike, and the superposition of independent Poisson processes is a
 * Poisson process, so the fleet fails at
 *   Lambda(t) = sum_c lambda_c n_c(t)        (n_c: class c's units in service)
 * and the failing unit is of class c with probability lambda_c n_c / Lambda.
 * The fleet keeps one pending failure, at now + Exp(1) / Lambda, redrawn
 * whenever some n_c changes (memoryless: exactly the law of one clock per
 * unit, with one event instead of one per unit).
 * Each failed unit is repaired in its own repair time R (its type's
 * repair_days), independently of the others: the units in repair are an
 * M/G/infinity queue, in steady state Poisson with mean Lambda E[R].
 * Spares: each rack type keeps floor(spare_fraction x units accepted)
 * spare units; a failed unit is swapped for a spare while any is left, so
 * capacity drops only when a type has more units in repair than spares:
 *   units down = max(0, units in repair - spares),
 * each taken out of the class of the unit that failed, and put back first
 * in, first out as repairs return or new spares arrive with new racks. A
 * unit out of service does not fail (its spare, in service, can).
 * Sources: the rates, unit sizes and repair times are rack-type keys
 * (scenarios/catalog/racks.cfg cites them: 1 % a year per GPU
 * [FAIL-DATABRICKS]); racks.spare_fraction defaults to 0.05, the ~5 %
 * overprovisioning NCSA Delta needed [FAIL-DELTA] (Google keeps ~11 % for
 * continuous training on TPU superpods [FAIL-TPU-SPARES]).
 *
 * Draws (stream "fleet"/"failures", keyed): the k-th redraw of the next
 * failure uses (0, k); the i-th failure's class (1, i) and repair (2, i).
 */
#ifndef MODELS_BUILDOUT_FLEET_H
#define MODELS_BUILDOUT_FLEET_H

#include <stddef.h>

#include "sim/core/dist.h"
#include "sim/core/engine.h"

typedef struct fleet_class {
    size_t pool;                /* its spares' pool (a rack type) */
    double fail_per_unit_day;   /* lambda_c; 0: its units never fail */
    const sim_dist *repair_days;
} fleet_class;

/* Class cls's units in service change by `units` at `now` (-1: a unit
 * down for want of a spare; +1: one back). */
typedef void (*fleet_change_fn)(void *ctx, size_t cls, double units, double now);

typedef struct fleet_deps {
    size_t n_classes, n_pools;
    const fleet_class *classes;
    double spare_fraction;
    fleet_change_fn on_change;
    void *ctx;
} fleet_deps;

typedef struct fleet fleet;

typedef struct fleet_stats {
    double failures;        /* units failed in service (each sent for repair) */
    double unit_days_down;  /* integral of the units down for want of spares, all classes */
} fleet_stats;

fleet *fleet_start(const fleet_deps *deps, sim_engine *eng, sim_err *err);
/* `units` of class cls enter service at `now` (with their share of spares). */
void fleet_accept(fleet *fl, size_t cls, long long units, double now);
/* Units down for want of spares now (all classes). */
double fleet_units_down(const fleet *fl);
void fleet_finish(fleet *fl, double t_end, fleet_stats *out);
/* After fleet_finish: pool p's unit-days down for want of spares. */
double fleet_pool_unit_days_down(const fleet *fl, size_t pool);
void fleet_free(fleet *fl);

#endif
