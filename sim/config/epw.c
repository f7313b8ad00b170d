#include "sim/config/epw.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/interrupt.h"
#include "sim/core/calendar.h"
#include "sim/config/timeseries.h"

#define EPW_HEADER_LINES 8
#define EPW_MAX_HOURS SIM_HOURS_LEAP_YEAR

/* Field `idx` (counted from 1) of a row as a number in [lo, hi]. */
static int field_num(char **fields, size_t idx, const char *name, double lo, double hi, const char *path,
                     size_t lineno, const char *what, double *out, sim_err *err)
{
    const char *s = fields[idx - 1];
    if (!sim_ts_plain_number(s))
        return sim_errf(err, "%s:%zu: field %zu (%s): '%s' is not a number (%s)", path, lineno, idx, name, s, what);
    double v = strtod(s, NULL);
    if (!(v >= lo && v <= hi))
        return sim_errf(err, "%s:%zu: field %zu (%s): %s is outside [%g, %g]%s (%s)", path, lineno, idx, name, s, lo,
                        hi, v == 99.9 || v == 999999 ? ", the format's code for a missing value" : "", what);
    *out = v;
    return 0;
}

static int days_in_month(int m, bool leap)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap ? 29 : d[m - 1];
}

/* A file being read: where the rows are, the last row's date. */
typedef struct epw_reader {
    const char *path, *what;
    sim_epw *out;
    size_t lineno;
    int month, day, hour; /* the hour before the next row */
    bool leap;
    double pressure_sum;
} epw_reader;

/* One data row: its fields, the hour after the row before (29 February only in a leap year's file), kept. */
static int read_row(epw_reader *r, char **fields, size_t nf, sim_err *err)
{
    const char *path = r->path, *what = r->what;
    size_t lineno = r->lineno;
    sim_epw *out = r->out;
    if (nf < 10)
        return sim_errf(err, "%s:%zu: %zu fields where an EPW row has 35 (at least 10 are read) (%s)", path, lineno, nf,
                        what);
    if (out->n == EPW_MAX_HOURS)
        return sim_errf(err, "%s:%zu: more than %d hourly rows: an EPW file holds one year (%s)", path, lineno,
                        EPW_MAX_HOURS, what);
    double m, d, h, t, dew, p;
    if (field_num(fields, 2, "month", 1, 12, path, lineno, what, &m, err) ||
        field_num(fields, 3, "day", 1, 31, path, lineno, what, &d, err) ||
        field_num(fields, 4, "hour", 1, 24, path, lineno, what, &h, err) ||
        field_num(fields, 7, "dry bulb, deg C", EPW_DRY_BULB_MIN_C, EPW_DRY_BULB_MAX_C, path, lineno, what, &t, err) ||
        field_num(fields, 8, "dew point, deg C", EPW_DRY_BULB_MIN_C, EPW_DRY_BULB_MAX_C, path, lineno, what, &dew,
                  err) ||
        field_num(fields, 10, "station pressure, Pa", EPW_PRESSURE_MIN_PA, EPW_PRESSURE_MAX_PA, path, lineno, what, &p,
                  err))
        return -1;
    int nm = r->month, nd = r->day, nh = r->hour + 1;
    if (nh > 24) {
        nh = 1;
        if (++nd > days_in_month(nm, r->leap)) {
            nd = 1;
            nm++;
        }
    }
    if (m != floor(m) || d != floor(d) || h != floor(h))
        return sim_errf(err, "%s:%zu: month %g, day %g, hour %g: each must be a whole number (%s)", path, lineno, m, d,
                        h, what);
    bool in_order = (int)m == nm && (int)d == nd && (int)h == nh;
    if (!in_order && nm == 3 && nd == 1 && nh == 1 && (int)m == 2 && (int)d == 29 && (int)h == 1)
        in_order = r->leap = true;
    if (!in_order)
        return sim_errf(err,
                        "%s:%zu: month %d, day %d, hour %d where the hour after the row before is month %d, day %d, "
                        "hour %d: the rows run hour by hour from 1 January hour 1 (%s)",
                        path, lineno, (int)m, (int)d, (int)h, nm, nd, nh, what);
    r->month = (int)m, r->day = (int)d, r->hour = (int)h;
    out->dry_bulb_c[out->n] = t;
    out->dew_point_c[out->n] = dew;
    out->n++;
    r->pressure_sum += p;
    return 0;
}

/* The lines of f: the header, then the data rows, blank lines only at the end. */
static int read_lines(epw_reader *r, FILE *f, sim_err *err)
{
    const char *path = r->path, *what = r->what;
    char *line = NULL, *fields[SIM_TS_MAX_COLUMNS + 1];
    size_t cap = 0;
    int rc = 0;
    ssize_t got;
    errno = 0;
    while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
        size_t lineno = ++r->lineno;
        if (strlen(line) != (size_t)got) {
            rc = sim_errf(err, "%s:%zu: contains a NUL byte: not a text file (%s)", path, lineno, what);
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1 && strncmp(line, "LOCATION", 8) != 0) {
            rc = sim_errf(err, "%s:1: an EPW file begins with a LOCATION line (%s)", path, what);
            break;
        }
        if (lineno <= EPW_HEADER_LINES)
            continue;
        if (!*line) { /* blank lines only at the end */
            int c;
            while ((c = fgetc(f)) == '\n' || c == '\r' || c == ' ')
                ;
            if (c != EOF)
                rc = sim_errf(err, "%s:%zu: a blank line inside the data (%s)", path, lineno, what);
            break;
        }
        if (lineno % 1024 == 0 && sim_interrupted())
            rc = sim_errf(err, "%s: interrupted while reading '%s'", what, path);
        else if (strlen(line) > SIM_TS_MAX_LINE)
            rc = sim_errf(err, "%s:%zu: a line longer than %d characters (%s)", path, lineno, SIM_TS_MAX_LINE, what);
        else
            rc = read_row(r, fields, sim_ts_split(line, fields), err);
    }
    if (rc == 0 && ferror(f))
        rc = sim_errf(err, "%s: cannot read '%s': %s", what, path, strerror(errno));
    free(line);
    return rc;
}

int sim_epw_read(sim_inputs *in, const char *path, const char *what, sim_epw *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    sim_inputs *own = in ? NULL : sim_inputs_new(err);
    if (!in && !own)
        return -1;
    FILE *f = sim_ts_open(in ? in : own, path, what, err);
    if (!f) {
        sim_inputs_unref(own);
        return -1;
    }
    out->dry_bulb_c = sim_calloc(EPW_MAX_HOURS, sizeof *out->dry_bulb_c, err);
    out->dew_point_c = out->dry_bulb_c ? sim_calloc(EPW_MAX_HOURS, sizeof *out->dew_point_c, err) : NULL;
    if (!out->dew_point_c) {
        sim_err_oom_for(err, "the hours of %s", what);
        fclose(f);
        sim_inputs_unref(own);
        sim_epw_free(out);
        return -1;
    }
    epw_reader r = {.path = path, .what = what, .out = out, .month = 1, .day = 1, .hour = 0};
    int rc = read_lines(&r, f, err);
    fclose(f);
    sim_inputs_unref(own); /* the bytes f read */
    if (rc == 0 && !sim_is_year_of_hours(out->n))
        rc = sim_errf(err, "%s: '%s' has %zu hourly rows; an EPW year has 8,760 (8,784 in a leap year)", what, path,
                      out->n);
    if (rc) {
        sim_epw_free(out);
        return -1;
    }
    out->mean_pressure_kpa = r.pressure_sum / (double)out->n / 1000.0;
    return 0;
}

void sim_epw_free(sim_epw *e)
{
    free(e->dry_bulb_c);
    free(e->dew_point_c);
    e->dry_bulb_c = e->dew_point_c = NULL;
    e->n = 0;
}
