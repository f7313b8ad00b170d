/*
 * tsformat: hourly files as they are downloaded, for the strict reader
 * (sim/config/timeseries.h). A signal file's group may say
 *
 *   format = "csv" | "eia930" | "entsoe";
 *   time_column = "...";   time_zone = "UTC" | "Europe/Berlin" | ...;
 *   hour_ending = true | false;
 *   separator = ";";   decimal_comma = true;   thousands = true;
 *
 * csv: the project's own form, or with time_column / time_zone /
 *   hour_ending for a timestamp column "YYYY-MM-DD HH:MM[:SS]" anywhere.
 * eia930: EIA-930's "MM/DD/YYYY HH:MM:SS AM/PM", hour-ending, in the
 *   column "UTC Time at End of Hour" (or, with a time zone, the local one),
 *   numbers with thousands separators in quotes (thousands on).
 * entsoe: the ENTSO-E transparency platform's interval strings
 *   "DD.MM.YYYY HH:MM - DD.MM.YYYY HH:MM" in the column whose name starts
 *   with "MTU", local CET/CEST (Europe/Brussels) unless the name says
 *   (UTC); quarter-hourly rows (day-ahead prices since 1 October 2025) are
 *   averaged to their hour: an hour is the mean of the rows that start in
 *   it, which must cover it.
 * Fields may be quoted ("1,234"); `separator = ";"` for European files,
 * `decimal_comma` reads 1,5 as 1.5 (with ';' only), `thousands` drops the
 * thousands separators (',' or, with a decimal comma, '.').
 *
 * Time zones, by rule (no system database): UTC; the EU's rule (summer
 * time from the last Sunday of March to the last Sunday of October, 01:00
 * UTC) for Europe/London, Lisbon, Dublin (UTC+0), Europe/Berlin, Paris,
 * Madrid, Rome, Amsterdam, Brussels, Vienna, Prague, Warsaw, Stockholm,
 * Oslo, Copenhagen, Zurich, CET (UTC+1), Europe/Helsinki, Athens,
 * Bucharest, Sofia, EET (UTC+2); the US rule since 2007 (second Sunday of
 * March to first Sunday of November, 02:00 local) for America/New_York
 * (UTC-5), Chicago (-6), Denver (-7), Los_Angeles (-8); America/Phoenix
 * (UTC-7, no summer time). A local time that does not exist (the hour
 * skipped in spring) is refused; the hour repeated in autumn is read in
 * order: its first rows in summer time, the rest in standard time.
 */
#ifndef SIM_TSFORMAT_H
#define SIM_TSFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { SIM_TS_CSV, SIM_TS_EIA930, SIM_TS_ENTSOE } sim_ts_kind;
extern const char *const sim_ts_kind_names[3];

typedef struct sim_ts_zone {
    const char *name;
    int std_minutes; /* the standard offset from UTC */
    int rule;        /* 0: none, 1: the EU's, 2: the US's */
} sim_ts_zone;

/* The zone of that name; NULL when none of the table's. */
const sim_ts_zone *sim_ts_zone_find(const char *name);

typedef struct sim_ts_format {
    sim_ts_kind kind;
    char separator;          /* ',' or ';' */
    bool decimal_comma, thousands;
    const char *time_column; /* NULL: the kind's own */
    const sim_ts_zone *zone; /* NULL: UTC (ENTSO-E: CET/CEST unless its column says UTC) */
    bool hour_ending;        /* a timestamp is its hour's end */
} sim_ts_format;

/* A plain decimal number: [+-]digits[.digits][(e|E)[+-]digits], or with the
 * digits only after the point; no hex, inf, nan or trailing text. */
bool sim_ts_plain_number(const char *s);

/* The minute (since 1970-01-01 00:00 UTC) of local y-m-d h:mi in zone z
 * (NULL: UTC): the earliest such minute after `after` (the repeated hour of
 * autumn read in order). -1: a time that does not exist there. */
int sim_ts_local_minute(const sim_ts_zone *z, int64_t y, int m, int d, int h, int mi, int64_t after, int64_t *out);

/* Splits line at the format's separator, with "quoted" fields (a "" inside
 * one is a quote), in place; each field trimmed. Returns the count, or
 * max + 1 when there are more; -1 for a quote left open. */
long sim_ts_split_format(char *line, char sep, char **fields, size_t max);

/* A number as the format writes it (thousands separators dropped, a decimal
 * comma read as a point), strictly: false when it is not one. */
bool sim_ts_format_number(const sim_ts_format *f, const char *cell, double *v);

/* A row's time as the format writes it: the minute its interval starts (UTC)
 * and its length in minutes (60 but for ENTSO-E's intervals); after: the
 * previous row's start (-1: none). -1 when the cell is not such a time. */
int sim_ts_row_time(const sim_ts_format *f, const sim_ts_zone *zone, const char *cell, int64_t after, int64_t *start,
                    int *minutes);

#endif
