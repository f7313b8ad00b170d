/*
 * timeseries: hourly inputs read from CSV files, strictly.
 *
 * A file is a header row naming its columns, then one row per hour:
 *   hour,temp_c,price            or   timestamp,price,co2
 *   0,8.5,61.2                        2022-01-01 00:00:00+00:00,61.2,334.2
 *   1,8.1,59.0                        2022-01-01 01:00:00+00:00,59.0,311.3
 * The first column is the time: `hour` (whole numbers 0, 1, 2, ... with no
 * gap) or `timestamp` / `time` / `datetime` (ISO 8601: YYYY-MM-DD HH:MM[:SS]
 * or with a T, and an optional Z or +00:00; each row exactly one hour after
 * the last, in UTC). The caller reads one named value column; every value in
 * it must be a plain decimal number within the caller's range (no empty
 * cell, NaN, inf, hex or trailing text), and every row must have the
 * header's number of fields. Lines beginning with '#' are comments; a UTF-8
 * byte-order mark and CRLF line ends are accepted; blank lines only at the
 * end. Limits, each named in its message: a regular file (not a directory,
 * FIFO or device) of at most SIM_TS_MAX_BYTES, lines of at most
 * SIM_TS_MAX_LINE characters, at most spec->max_rows rows. Every error
 * names the file, the line and the column (and the scenario key, `what`).
 * The read stops, with an error, when the run is interrupted (SIGINT,
 * SIGTERM).
 *
 * With a format (sim/config/tsformat.h: EIA-930's and ENTSO-E's files, a
 * named time column and zone, ';' and decimal commas) the time column is
 * the format's, anywhere in the row, and rows may be shorter than an hour:
 * each hour is the mean of the rows that start in it, which must cover it,
 * and each row must start where the one before ended.
 */
#ifndef SIM_TIMESERIES_H
#define SIM_TIMESERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/config/inputs.h"
#include "sim/config/tsformat.h"
#include "sim/core/util.h"

#define SIM_TS_MAX_BYTES (256u << 20)
#define SIM_TS_MAX_LINE 4096
#define SIM_TS_MAX_COLUMNS 256

typedef struct sim_ts_spec {
    const char *path;   /* the file, as it is opened */
    const char *what;   /* who asks, for messages: "scenarios/x.cfg:12: climate.csv" */
    const char *column; /* the value column */
    double lo, hi;      /* the values' range (inclusive), as used: each value times scale */
    const char *unit;   /* for messages, e.g. "deg C" */
    size_t max_rows;
    sim_inputs *inputs; /* the job's (the file is read once in it); NULL: read for this call alone */
    double scale;       /* what the values are multiplied by where used (0: by nothing) */
    const sim_ts_format *format; /* a file as downloaded (sim/config/tsformat.h); NULL: this reader's own form */
} sim_ts_spec;

typedef struct sim_timeseries {
    size_t n;
    double *v;          /* n values, owned */
    bool timestamped;   /* the time column is a timestamp (else `hour`) */
    int64_t first_hour; /* timestamped: the first row's hours since 1970-01-01 00:00 UTC */
} sim_timeseries;

int sim_timeseries_read(const sim_ts_spec *spec, sim_timeseries *out, sim_err *err);
void sim_timeseries_free(sim_timeseries *ts);

/* Opens an hourly input for reading from the job's inputs (read there once:
 * a regular file of at most SIM_TS_MAX_BYTES; what: who asks, for the
 * message). The FILE reads bytes `in` keeps. NULL on error. */
FILE *sim_ts_open(sim_inputs *in, const char *path, const char *what, sim_err *err);

/* Splits line at commas into fields (in place, each trimmed of blanks);
 * returns the count, or SIM_TS_MAX_COLUMNS + 1 when there are more (fields
 * holds SIM_TS_MAX_COLUMNS + 1 pointers). */
size_t sim_ts_split(char *line, char **fields);

/* An ISO 8601 time as hours since 1970-01-01 00:00 UTC; minutes and seconds
 * must be zero (hourly data). Returns 0, or -1 when s is not such a time. */
int sim_ts_parse_hour(const char *s, int64_t *hours);

#endif
