/*
 * curtail: the hours in which the grid takes capacity back, for one
 * replication: curtailment of the non-firm (flexible) connection
 * (site.grid.curtailment) and outages of the firm grid (site.grid.outages).
 * Each is a group in one of four forms:
 *
 *   { hours_per_year = DIST; event_hours = 4.0; }   random events
 *   { peak_price_hours_per_year = DIST; }           the year's highest-price hours
 *   { price_above = 300.0; }                        every hour priced above
 *   { csv = "file.csv"; column = "curtailed"; repeat = "yearly"; }  a file
 *
 * and `depth` (default 1): the share of the capacity taken back in a
 * curtailed hour (a file gives its own share per hour, 0 to 1).
 *
 * Random events: for each calendar year of the run (from sim.start_date;
 * years of 8,766 hours from hour 0 without one: sim_year_start_hour), H is
 * drawn from hours_per_year, taken in proportion to the part of the year the
 * run starts in (a run from 1 July has half of H in its first year), and
 * rounded to whole hours (at most the year's); the year is cut
 * into slots of event_hours (whole hours) and floor(H / event_hours) of
 * them are chosen at random without repeats, plus one more holding the
 * remainder: a year has exactly H curtailed hours (a test holds the
 * distribution). Peak price: the year's H hours of highest grid price (as
 * ERCOT curtails large flexible loads when the system is stressed and
 * prices high). Year draws and slots use the replication's own stream.
 */
#ifndef MODELS_CURTAIL_H
#define MODELS_CURTAIL_H

#include <stddef.h>

#include "models/energy/signal.h"
#include "sim/config/cfg.h"
#include "sim/core/dist.h"
#include "sim/core/rng.h"

typedef enum { CURTAIL_NONE, CURTAIL_EVENTS, CURTAIL_PEAK_PRICE, CURTAIL_PRICE_ABOVE, CURTAIL_FILE } curtail_form;

typedef struct curtail_config {
    curtail_form form;
    sim_dist hours_per_year;
    double event_hours, price_above, depth;
    signal file; /* CURTAIL_FILE: the share taken back, hour by hour */
} curtail_config;

/* Reads the group at key (absent: no curtailment). */
int curtail_load(sim_cfg *cfg, const char *key, size_t n_hours, curtail_config *c, sim_err *err);
void curtail_free(curtail_config *c);

/* cut[0..n_hours): the share of the capacity taken back each hour. price:
 * the replication's hourly grid price; scratch: n_hours doubles (the peak
 * price form); start_date_days: sim.start_date (NAN: none). */
void curtail_fill(const curtail_config *c, sim_rng *r, const double *price, double *scratch, double *cut,
                  size_t n_hours, double start_date_days);

#endif
