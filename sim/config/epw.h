/*
 * epw: hourly weather from an EnergyPlus weather file (EPW), the format of
 * typical-year data sets (TMY3, TMYx, IWEC).
 *
 * A file is 8 header lines (the first begins "LOCATION"), then one row per
 * hour of one year: 8,760 rows (8,784 in a leap year), in order from
 * 1 January hour 1 (the hour ending 01:00) to 31 December hour 24. Of each
 * row's 35 comma-separated fields this reads five: month (2), day (3),
 * hour (4, 1-24), dry bulb (7, deg C), dew point (8, deg C) and station
 * pressure (10, Pa); fields are counted from 1 as the EnergyPlus
 * documentation counts them. The format's "missing" codes (99.9 C, 999999
 * Pa) are errors, as is any value outside the ranges below, a row out of
 * order, or a field that is not a plain number; each names the file, the
 * line and the field. The reader refuses non-regular files, stops when the
 * run is interrupted, and caps the file's size (sim/config/timeseries.h).
 */
#ifndef SIM_EPW_H
#define SIM_EPW_H

#include <stddef.h>

#include "sim/config/inputs.h"
#include "sim/core/util.h"

#define EPW_DRY_BULB_MIN_C (-70.0)
#define EPW_DRY_BULB_MAX_C 70.0
#define EPW_PRESSURE_MIN_PA 31000.0
#define EPW_PRESSURE_MAX_PA 120000.0

typedef struct sim_epw {
    size_t n;              /* hours: 8,760 or 8,784 */
    double *dry_bulb_c;    /* n each, owned */
    double *dew_point_c;
    double mean_pressure_kpa;
} sim_epw;

/* what: who asks, for messages ("scenario.cfg:12: climate.epw"); in: the
 * job's inputs, where the file is read once (NULL: for this call alone). */
int sim_epw_read(sim_inputs *in, const char *path, const char *what, sim_epw *out, sim_err *err);
void sim_epw_free(sim_epw *e);

#endif
