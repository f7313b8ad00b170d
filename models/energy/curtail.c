#include "curtail.h"

#include "sim/core/calendar.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <string.h>


int curtail_load(sim_cfg *cfg, const char *key, size_t n_hours, curtail_config *c, sim_err *err)
{
    memset(c, 0, sizeof *c);
    if (!sim_cfg_has(cfg, key))
        return 0;
    char k[6][256];
    const char *names[] = {"hours_per_year", "event_hours", "peak_price_hours_per_year", "price_above", "csv", "depth"};
    for (int i = 0; i < 6; i++)
        snprintf(k[i], sizeof k[i], "%s.%s", key, names[i]);
    int given = sim_cfg_has(cfg, k[0]) + sim_cfg_has(cfg, k[2]) + sim_cfg_has(cfg, k[3]) + sim_cfg_has(cfg, k[4]);
    char where[256];
    if (given != 1)
        return sim_errf(err, "%s: %s: give exactly one of hours_per_year, peak_price_hours_per_year, price_above and "
                             "csv (%d given)",
                        sim_cfg_where(cfg, key, where, sizeof where), key, given);
    if (sim_cfg_num(cfg, k[5], 1.0, SIM_PROB, &c->depth, err))
        return -1;
    if (sim_cfg_has(cfg, k[0])) {
        c->form = CURTAIL_EVENTS;
        if (sim_cfg_dist(cfg, k[0], NULL, SIM_NONNEG, &c->hours_per_year, err) ||
            sim_cfg_num(cfg, k[1], 4.0, SIM_RANGE(1, SIM_HOURS_COMMON_YEAR), &c->event_hours, err))
            return -1;
        if (c->event_hours != floor(c->event_hours))
            return sim_errf(err, "%s: %s: must be a whole number of hours (got %g)",
                            sim_cfg_where(cfg, k[1], where, sizeof where), k[1], c->event_hours);
    } else if (sim_cfg_has(cfg, k[2])) {
        c->form = CURTAIL_PEAK_PRICE;
        if (sim_cfg_dist(cfg, k[2], NULL, SIM_NONNEG, &c->hours_per_year, err))
            return -1;
    } else if (sim_cfg_has(cfg, k[3])) {
        c->form = CURTAIL_PRICE_ABOVE;
        if (sim_cfg_num(cfg, k[3], SIM_REQUIRED, SIM_ANY, &c->price_above, err))
            return -1;
    } else {
        c->form = CURTAIL_FILE;
        if (signal_load(cfg, key, NAN, 0.0, 1.0, "share taken back", n_hours, &c->file, err))
            return -1;
        for (size_t h = 0; h < n_hours; h++)
            if (!(c->file.base[h] >= 0 && c->file.base[h] <= 1))
                return sim_errf(err, "%s: %s: hour %zu takes back %g of the capacity: a share must be 0 to 1",
                                sim_cfg_where(cfg, k[4], where, sizeof where), k[4], h, c->file.base[h]);
    }
    return 0;
}

void curtail_free(curtail_config *c) { signal_free(&c->file); }

void curtail_fill(const curtail_config *c, sim_rng *r, const double *price, double *scratch, double *cut,
                  size_t n_hours, double start_date_days)
{
    memset(cut, 0, n_hours * sizeof *cut);
    switch (c->form) {
    case CURTAIL_NONE:
        return;
    case CURTAIL_PRICE_ABOVE:
        for (size_t h = 0; h < n_hours; h++)
            cut[h] = price[h] > c->price_above ? c->depth : 0.0;
        return;
    case CURTAIL_FILE:
        for (size_t h = 0; h < n_hours; h++)
            cut[h] = c->file.base[h];
        return;
    case CURTAIL_EVENTS:
    case CURTAIL_PEAK_PRICE:
        break;
    }
    for (size_t k = 0, y0 = 0, y1; y0 < n_hours; k++, y0 = y1) { /* the run's calendar years */
        y1 = sim_year_start_hour(start_date_days, k + 1);
        size_t year = y1 - y0, len = (y1 < n_hours ? y1 : n_hours) - y0;
        double share = 1; /* the part of its calendar year the run's first year covers */
        if (k == 0 && !isnan(start_date_days))
            share = (double)year /
                    (24.0 * (sim_year_start_day(start_date_days, 1) + sim_day_of_year((int64_t)start_date_days) - 1));
        double hd = round(sim_dist_sample(&c->hours_per_year, r) * share);
        size_t want = hd > 0 ? (size_t)hd : 0;
        if (want > len)
            want = len;
        if (want == 0)
            continue;
        if (c->form == CURTAIL_PEAK_PRICE) {
            memcpy(scratch, price + y0, len * sizeof *scratch);
            gsl_sort(scratch, 1, len);
            double threshold = scratch[len - want]; /* the want-th highest price of the year */
            size_t n = 0;
            for (size_t h = 0; h < len; h++) /* above the threshold, then ties in time order */
                if (price[y0 + h] > threshold && n < want) {
                    cut[y0 + h] = c->depth;
                    n++;
                }
            for (size_t h = 0; h < len && n < want; h++)
                if (price[y0 + h] == threshold && cut[y0 + h] == 0) {
                    cut[y0 + h] = c->depth;
                    n++;
                }
            continue;
        }
        /* events: distinct slots of event_hours, the last holding the remainder, laid over the whole year
         * even when the run ends within it (only the hours the run covers are written): what is drawn
         * for a year does not depend on where the horizon falls */
        want = hd > 0 ? (size_t)hd : 0;
        if (want > year)
            want = year;
        size_t e = (size_t)c->event_hours, slots = year / e, full = want / e, rem = want % e;
        size_t n_events = full + (rem > 0);
        if (n_events > slots) { /* a year too short for whole events: every hour of it */
            for (size_t h = 0; h < want && h < len; h++)
                cut[y0 + h] = c->depth;
            continue;
        }
        /* partial Fisher-Yates over slot numbers, kept in scratch */
        for (size_t i = 0; i < slots; i++)
            scratch[i] = (double)i;
        for (size_t i = 0; i < n_events; i++) {
            size_t j = i + (size_t)(sim_rng_uniform(r) * (double)(slots - i));
            double t = scratch[i];
            scratch[i] = scratch[j];
            scratch[j] = t;
            size_t start = y0 + (size_t)scratch[i] * e, hours = i == full ? rem : e;
            for (size_t h = 0; h < hours && start + h < n_hours; h++)
                cut[start + h] = c->depth;
        }
    }
}
