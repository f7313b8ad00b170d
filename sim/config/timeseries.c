#include "sim/config/timeseries.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "sim/core/calendar.h"
#include "sim/core/interrupt.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* n digits at *p as a number; advances *p. */
static int digits(const char **p, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int sim_ts_parse_hour(const char *s, int64_t *hours)
{
    const char *p = s;
    int64_t y, mo, d, h, mi = 0, se = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
        return -1;
    if (*p != ' ' && *p != 'T')
        return -1;
    p++;
    if (digits(&p, 2, &h))
        return -1;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &se))
                return -1;
        }
    }
    if (*p == 'Z')
        p++;
    else if (!strncmp(p, "+00:00", 6) || !strncmp(p, "-00:00", 6))
        p += 6;
    if (*p)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi != 0 || se != 0)
        return -1;
    *hours = days_from_civil(y, mo, d) * 24 + h;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

size_t sim_ts_split(char *line, char **fields)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n == SIM_TS_MAX_COLUMNS)
            return SIM_TS_MAX_COLUMNS + 1;
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        fields[n++] = trim(p);
        if (!c)
            return n;
        p = c + 1;
    }
}

FILE *sim_ts_open(sim_inputs *in, const char *path, const char *what, sim_err *err)
{
    char named[2048];
    snprintf(named, sizeof named, "%s: '%s'", what, path);
    const sim_input *f = sim_inputs_read(in, path, SIM_TS_MAX_BYTES, "regular file", named, err);
    if (!f)
        return NULL;
    if (f->len == 0)
        return fopen("/dev/null", "r"); /* fmemopen refuses an empty buffer */
    FILE *m = fmemopen(f->text, f->len, "r");
    if (!m)
        sim_errf(err, "%s: cannot read: %s", named, strerror(errno));
    return m;
}

/* A file being read: what the header said, where the rows are. */
typedef struct ts_reader {
    const sim_ts_spec *spec;
    sim_timeseries *out;
    const char *path, *what;
    size_t lineno, n_cols, col, cap;
    bool header, stamped;
    int64_t prev;
    /* a format's file: its time column and zone, the hour being gathered */
    size_t tcol;
    const sim_ts_zone *zone;
    int64_t next_start, hour;  /* the minute the next row must start; the hour gathered (-1: none) */
    double hour_sum, hour_minutes;
} ts_reader;

static int read_value(ts_reader *r, const char *cell, sim_err *err);

/* A format's header: its time column (named, or the kind's) and the value column. */
static int format_header(ts_reader *r, char **fields, size_t nf, sim_err *err)
{
    const sim_ts_format *f = r->spec->format;
    r->header = true;
    r->stamped = true;
    r->n_cols = nf;
    r->hour = -1;
    r->next_start = -1;
    r->zone = f->zone;
    const char *want = f->time_column ? f->time_column
                       : f->kind == SIM_TS_EIA930 ? (f->zone ? "Local Time at End of Hour" : "UTC Time at End of Hour")
                                                  : NULL;
    bool found_time = false, found_col = false;
    for (size_t i = 0; i < nf; i++) {
        bool is_time = want ? !strcmp(fields[i], want)
                            : f->kind == SIM_TS_ENTSOE ? !strncmp(fields[i], "MTU", 3)
                                                       : !strcmp(fields[i], "timestamp") || !strcmp(fields[i], "time");
        if (is_time && !found_time) {
            r->tcol = i;
            found_time = true;
            if (f->kind == SIM_TS_ENTSOE && !f->zone) /* CET/CEST unless the column says UTC */
                r->zone = strstr(fields[i], "(UTC)") ? NULL : sim_ts_zone_find("Europe/Brussels");
        } else if (!strcmp(fields[i], r->spec->column) && !found_col) {
            r->col = i;
            found_col = true;
        }
    }
    if (!found_time)
        return sim_errf(err, "%s:%zu: no time column %s%s%s for the %s format (%s)", r->path, r->lineno, want ? "'" : "",
                        want ? want : f->kind == SIM_TS_ENTSOE ? "named MTU ..." : "'timestamp'", want ? "'" : "",
                        sim_ts_kind_names[f->kind], r->what);
    if (!found_col)
        return sim_errf(err, "%s:%zu: no column '%s' (%s)", r->path, r->lineno, r->spec->column, r->what);
    return 0;
}

/* The hour gathered, ended: its rows must have covered it; its mean kept. */
static int format_hour_end(ts_reader *r, sim_err *err)
{
    if (r->hour < 0)
        return 0;
    if (fabs(r->hour_minutes - 60) > 1e-9)
        return sim_errf(err, "%s:%zu: the hour before covers %.0f minutes of 60: rows missing (%s)", r->path,
                        r->lineno, r->hour_minutes, r->what);
    char cell[64];
    snprintf(cell, sizeof cell, "%.17g", r->hour_sum / r->hour_minutes);
    return read_value(r, cell, err);
}

/* A format's row: its interval, right after the one before, its value into its hour. */
static int format_row(ts_reader *r, char **fields, sim_err *err)
{
    const sim_ts_format *f = r->spec->format;
    int64_t start;
    int minutes;
    const char *tcell = fields[r->tcol], *cell = fields[r->col];
    if (sim_ts_row_time(f, r->zone, tcell, r->next_start < 0 ? INT64_MIN / 2 : r->next_start - 1, &start, &minutes))
        return sim_errf(err, "%s:%zu: '%s' is not a time of the %s format%s%s (%s)", r->path, r->lineno, tcell,
                        sim_ts_kind_names[f->kind], r->zone ? " in " : "", r->zone ? r->zone->name : "", r->what);
    if (r->next_start >= 0 && start != r->next_start)
        return sim_errf(err, "%s:%zu: '%s' does not start where the row before ended: a gap or a repeat (%s)", r->path,
                        r->lineno, tcell, r->what);
    if (r->next_start < 0 && start % 60 != 0)
        return sim_errf(err, "%s:%zu: '%s': the first row must start on the hour (%s)", r->path, r->lineno, tcell,
                        r->what);
    double v;
    if (!*cell)
        return sim_errf(err, "%s:%zu: column '%s' is empty: a missing value (%s)", r->path, r->lineno, r->spec->column,
                        r->what);
    if (!sim_ts_format_number(f, cell, &v))
        return sim_errf(err, "%s:%zu: column '%s': '%s' is not a number as the format writes one%s (%s)", r->path,
                        r->lineno, r->spec->column, cell,
                        f->decimal_comma ? " (a decimal comma)" : f->thousands ? " (thousands separated by ',')" : "",
                        r->what);
    int64_t hour = start / 60;
    if (hour != r->hour) {
        if (format_hour_end(r, err))
            return -1;
        if (r->hour < 0)
            r->out->first_hour = hour;
        r->hour = hour;
        r->hour_sum = r->hour_minutes = 0;
    }
    r->hour_sum += v * minutes;
    r->hour_minutes += minutes;
    r->next_start = start + minutes;
    return 0;
}

/* The header row: the time column's name, unique names, the spec's column among them. */
static int read_header(ts_reader *r, char **fields, size_t nf, sim_err *err)
{
    const char *path = r->path, *what = r->what;
    size_t lineno = r->lineno;
    r->header = true;
    r->n_cols = nf;
    const char *t = fields[0];
    r->stamped = !strcmp(t, "timestamp") || !strcmp(t, "time") || !strcmp(t, "datetime");
    if (!r->stamped && strcmp(t, "hour") != 0)
        return sim_errf(err,
                        "%s:%zu: the first column must be the time, named 'hour' (0, 1, 2, ...) or "
                        "'timestamp' (ISO 8601, hourly), not '%s' (%s)",
                        path, lineno, t, what);
    r->col = 0;
    for (size_t i = 1; i < nf; i++) {
        if (!*fields[i])
            return sim_errf(err, "%s:%zu: column %zu has no name (%s)", path, lineno, i + 1, what);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(fields[i], fields[j]))
                return sim_errf(err, "%s:%zu: two columns are named '%s' (%s)", path, lineno, fields[i], what);
        if (!strcmp(fields[i], r->spec->column))
            r->col = i;
    }
    if (r->col == 0) {
        char names[512] = "";
        for (size_t i = 1; i < nf && strlen(names) < sizeof names - 80; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%s'", i > 1 ? ", " : "", fields[i]);
        return sim_errf(err, "%s:%zu: no column '%s' (the file has %s) (%s)", path, lineno, r->spec->column,
                        nf > 1 ? names : "no value column", what);
    }
    return 0;
}

/* A row's time: an hour number or an hourly timestamp, one after the row before. */
static int read_time(ts_reader *r, const char *field, sim_err *err)
{
    const char *path = r->path, *what = r->what;
    size_t lineno = r->lineno;
    int64_t t;
    if (r->stamped) {
        if (sim_ts_parse_hour(field, &t))
            return sim_errf(err, "%s:%zu: '%s' is not an hourly ISO 8601 time (YYYY-MM-DD HH:00[:00], UTC) (%s)", path,
                            lineno, field, what);
    } else {
        char *end;
        errno = 0;
        long long h = strtoll(field, &end, 10);
        if (!*field || *end || errno || h < 0)
            return sim_errf(err, "%s:%zu: hour '%s' is not a whole number >= 0 (%s)", path, lineno, field, what);
        t = h;
    }
    if (r->out->n == 0) {
        if (!r->stamped && t != 0)
            return sim_errf(err, "%s:%zu: the first hour must be 0, not %lld (%s)", path, lineno, (long long)t, what);
        r->out->first_hour = r->stamped ? t : 0;
    } else if (t != r->prev + 1) {
        return sim_errf(err, "%s:%zu: %s '%s' is not one hour after the row before: the hours must follow each "
                             "other with no gap or repeat (%s)",
                        path, lineno, r->stamped ? "time" : "hour", field, what);
    }
    r->prev = t;
    return 0;
}

/* A row's value: a plain number within the spec's range (after its scale), kept. */
static int read_value(ts_reader *r, const char *cell, sim_err *err)
{
    const sim_ts_spec *spec = r->spec;
    const char *path = r->path, *what = r->what;
    size_t lineno = r->lineno;
    double v = 0;
    if (!*cell)
        return sim_errf(err, "%s:%zu: column '%s' is empty: a missing value (%s)", path, lineno, spec->column, what);
    if (!sim_ts_plain_number(cell) || !isfinite(v = strtod(cell, NULL)))
        return sim_errf(err, "%s:%zu: column '%s': '%s' is not a number (%s)", path, lineno, spec->column, cell, what);
    double used = spec->scale != 0 ? v * spec->scale : v;
    if (!(used >= spec->lo && used <= spec->hi)) {
        char scaled[64] = "";
        if (spec->scale != 0 && spec->scale != 1)
            snprintf(scaled, sizeof scaled, " (x scale %g = %g)", spec->scale, used);
        return sim_errf(err, "%s:%zu: column '%s': %s%s %s is outside [%g, %g] (%s)", path, lineno, spec->column, cell,
                        scaled, spec->unit ? spec->unit : "", spec->lo, spec->hi, what);
    }
    if (r->out->n >= spec->max_rows)
        return sim_errf(err, "%s:%zu: more than %zu rows, the limit (%s)", path, lineno, spec->max_rows, what);
    if (sim_grow((void **)&r->out->v, &r->cap, r->out->n + 1, sizeof *r->out->v, err))
        return sim_err_oom_for(err, "the values of %s", what);
    r->out->v[r->out->n++] = v;
    return 0;
}

/* One line as read: its end of line cut, checked for NUL bytes and length. Returns the text, or NULL with
 * *rc set on an error. */
static char *clean_line(ts_reader *r, char *line, size_t len, int *rc, sim_err *err)
{
    if (strlen(line) != len) {
        *rc = sim_errf(err, "%s:%zu: contains a NUL byte: not a text file (%s)", r->path, r->lineno, r->what);
        return NULL;
    }
    if (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (len > SIM_TS_MAX_LINE) {
        *rc = sim_errf(err, "%s:%zu: a line longer than %d characters (%s)", r->path, r->lineno, SIM_TS_MAX_LINE,
                       r->what);
        return NULL;
    }
    if (r->lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
        return line + 3; /* a UTF-8 byte-order mark */
    return line;
}

/* The rows of f, line by line. */
static int read_rows(ts_reader *r, FILE *f, sim_err *err)
{
    char *line = NULL;
    size_t line_cap = 0, blank_at = 0;
    char *fields[SIM_TS_MAX_COLUMNS + 1];
    int rc = 0;
    ssize_t got;
    errno = 0;
    while (rc == 0 && (got = getline(&line, &line_cap, f)) >= 0) {
        r->lineno++;
        char *text = clean_line(r, line, (size_t)got, &rc, err);
        if (!text || text[0] == '#')
            continue;
        if (*trim(text) == '\0') {
            if (!blank_at)
                blank_at = r->lineno;
            continue;
        }
        if (blank_at) {
            rc = sim_errf(err, "%s:%zu: a blank line inside the data (%s)", r->path, blank_at, r->what);
            break;
        }
        if (r->lineno % 4096 == 0 && sim_interrupted()) {
            rc = sim_errf(err, "%s: interrupted while reading '%s'", r->what, r->path);
            break;
        }
        const sim_ts_format *fmt = r->spec->format;
        long nfl = fmt ? sim_ts_split_format(text, fmt->separator ? fmt->separator : ',', fields, SIM_TS_MAX_COLUMNS)
                       : (long)sim_ts_split(text, fields);
        size_t nf = nfl < 0 ? 0 : (size_t)nfl;
        if (nfl < 0)
            rc = sim_errf(err, "%s:%zu: a quote left open (%s)", r->path, r->lineno, r->what);
        else if (nf > SIM_TS_MAX_COLUMNS)
            rc = sim_errf(err, "%s:%zu: more than %d columns (%s)", r->path, r->lineno, SIM_TS_MAX_COLUMNS, r->what);
        else if (!r->header)
            rc = fmt ? format_header(r, fields, nf, err) : read_header(r, fields, nf, err);
        else if (fmt && nf != r->n_cols)
            rc = sim_errf(err, "%s:%zu: %zu fields where the header has %zu (%s)", r->path, r->lineno, nf, r->n_cols,
                          r->what);
        else if (fmt)
            rc = format_row(r, fields, err);
        else if (nf != r->n_cols)
            rc = sim_errf(err, "%s:%zu: %zu fields where the header has %zu (a decimal comma? use '.') (%s)", r->path,
                          r->lineno, nf, r->n_cols, r->what);
        else
            rc = read_time(r, fields[0], err) || read_value(r, fields[r->col], err) ? -1 : 0;
    }
    if (rc == 0 && ferror(f))
        rc = sim_errf(err, "%s: cannot read '%s': %s", r->what, r->path, strerror(errno));
    if (rc == 0 && r->spec->format && r->header)
        rc = format_hour_end(r, err); /* the last hour, covered whole */
    free(line);
    return rc;
}

static void note_series(const sim_ts_spec *spec, const sim_timeseries *ts, sim_inputs *in);

int sim_timeseries_read(const sim_ts_spec *spec, sim_timeseries *out, sim_err *err)
{
    memset(out, 0, sizeof *out);
    const char *path = spec->path, *what = spec->what;
    sim_inputs *own = spec->inputs ? NULL : sim_inputs_new(err);
    if (!spec->inputs && !own)
        return -1;
    FILE *f = sim_ts_open(spec->inputs ? spec->inputs : own, path, what, err);
    if (!f) {
        sim_inputs_unref(own);
        return -1;
    }
    ts_reader r = {.spec = spec, .out = out, .path = path, .what = what};
    int rc = read_rows(&r, f, err);
    fclose(f);
    sim_inputs_unref(own); /* the bytes f read */
    if (rc == 0 && !r.header)
        rc = sim_errf(err, "%s: '%s' is empty: it needs a header row and one row per hour", what, path);
    else if (rc == 0 && out->n == 0)
        rc = sim_errf(err, "%s: '%s' has a header but no rows", what, path);
    out->timestamped = r.stamped;
    if (rc == 0 && spec->inputs)
        note_series(spec, out, spec->inputs);
    if (rc) {
        sim_timeseries_free(out);
        return -1;
    }
    return 0;
}

/* The series as read, in a line for gigasim check: rows, span, mean, min, max, unit; a warning when its
 * values look like another unit's (carbon in kg or t where g or kg per kWh/MWh was meant, a price per kWh). */
static void note_series(const sim_ts_spec *spec, const sim_timeseries *ts, sim_inputs *in)
{
    double sum = 0, lo = INFINITY, hi = -INFINITY, k = spec->scale != 0 ? spec->scale : 1;
    for (size_t i = 0; i < ts->n; i++) {
        double v = ts->v[i] * k;
        sum += v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    double mean = sum / (double)ts->n;
    char span[96], line[1400];
    if (ts->timestamped) {
        char a[SIM_DATE_LEN], b[SIM_DATE_LEN];
        sim_date_of(0, (double)ts->first_hour / 24.0, a);
        sim_date_of(0, (double)(ts->first_hour + (int64_t)ts->n - 1) / 24.0, b);
        snprintf(span, sizeof span, "%s %02lld:00 to %s %02lld:00 UTC", a, (long long)(ts->first_hour % 24), b,
                 (long long)((ts->first_hour + (int64_t)ts->n - 1) % 24));
    } else
        snprintf(span, sizeof span, "hours 0 to %zu", ts->n - 1);
    const char *unit = spec->unit ? spec->unit : "", *warn = "";
    if (strstr(unit, "CO2") && mean > 0 && mean < 1)
        warn = "; WARNING: a carbon intensity under 1 kg/MWh on average: given in t/MWh or kg/kWh? (scale = 1000)";
    else if (strstr(unit, "CO2") && mean > 3000)
        warn = "; WARNING: a carbon intensity over 3,000 kg/MWh on average: given in g/MWh? (scale = 0.001)";
    else if (strstr(unit, "/MWh") && !strstr(unit, "CO2") && fabs(mean) > 0 && fabs(mean) < 1)
        warn = "; WARNING: a price under 1 a MWh on average: given per kWh? (scale = 1000)";
    snprintf(line, sizeof line, "%s: '%s' column '%s': %zu hours, %s; mean %.4g, min %.4g, max %.4g %s%s", spec->what,
             spec->path, spec->column, ts->n, span, mean, lo, hi, unit, warn);
    sim_inputs_note(in, line);
}

void sim_timeseries_free(sim_timeseries *ts)
{
    free(ts->v);
    ts->v = NULL;
    ts->n = 0;
}
