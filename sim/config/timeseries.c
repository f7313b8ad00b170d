#include "sim/config/timeseries.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

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

/* A plain decimal number: [+-]digits[.digits][(e|E)[+-]digits], or with the
 * digits only after the point; no hex, inf or nan. */
bool sim_ts_plain_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t before = 0, after = 0;
    while (*p >= '0' && *p <= '9')
        p++, before++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, after++;
    }
    if (before + after == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t e = 0;
        while (*p >= '0' && *p <= '9')
            p++, e++;
        if (e == 0)
            return false;
    }
    return *p == '\0';
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
    char *line = NULL;
    size_t line_cap = 0;
    char *fields[SIM_TS_MAX_COLUMNS + 1];
    size_t lineno = 0, n_cols = 0, col = 0, cap = 0, blank_at = 0;
    bool header = false, stamped = false;
    int64_t prev = 0;
    int rc = 0;
    ssize_t got;
    errno = 0;
    while (rc == 0 && (got = getline(&line, &line_cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        if (strlen(line) != len) {
            rc = sim_errf(err, "%s:%zu: contains a NUL byte: not a text file (%s)", path, lineno, what);
            break;
        }
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len > SIM_TS_MAX_LINE) {
            rc = sim_errf(err, "%s:%zu: a line longer than %d characters (%s)", path, lineno, SIM_TS_MAX_LINE, what);
            break;
        }
        char *text = line;
        if (lineno == 1 && !strncmp(text, "\xEF\xBB\xBF", 3))
            text += 3; /* a UTF-8 byte-order mark */
        if (text[0] == '#')
            continue;
        if (*trim(text) == '\0') {
            if (!blank_at)
                blank_at = lineno;
            continue;
        }
        if (blank_at) {
            rc = sim_errf(err, "%s:%zu: a blank line inside the data (%s)", path, blank_at, what);
            break;
        }
        if (lineno % 4096 == 0 && sim_interrupted()) {
            rc = sim_errf(err, "%s: interrupted while reading '%s'", what, path);
            break;
        }
        size_t nf = sim_ts_split(text, fields);
        if (nf > SIM_TS_MAX_COLUMNS) {
            rc = sim_errf(err, "%s:%zu: more than %d columns (%s)", path, lineno, SIM_TS_MAX_COLUMNS, what);
            break;
        }
        if (!header) {
            header = true;
            n_cols = nf;
            const char *t = fields[0];
            stamped = !strcmp(t, "timestamp") || !strcmp(t, "time") || !strcmp(t, "datetime");
            if (!stamped && strcmp(t, "hour") != 0) {
                rc = sim_errf(err,
                              "%s:%zu: the first column must be the time, named 'hour' (0, 1, 2, ...) or "
                              "'timestamp' (ISO 8601, hourly), not '%s' (%s)",
                              path, lineno, t, what);
                break;
            }
            col = 0;
            for (size_t i = 1; i < nf; i++) {
                if (!*fields[i]) {
                    rc = sim_errf(err, "%s:%zu: column %zu has no name (%s)", path, lineno, i + 1, what);
                    break;
                }
                for (size_t j = 0; j < i; j++)
                    if (!strcmp(fields[i], fields[j])) {
                        rc = sim_errf(err, "%s:%zu: two columns are named '%s' (%s)", path, lineno, fields[i], what);
                        break;
                    }
                if (rc)
                    break;
                if (!strcmp(fields[i], spec->column))
                    col = i;
            }
            if (rc == 0 && col == 0) {
                char names[512] = "";
                for (size_t i = 1; i < nf && strlen(names) < sizeof names - 80; i++)
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%s'", i > 1 ? ", " : "",
                             fields[i]);
                rc = sim_errf(err, "%s:%zu: no column '%s' (the file has %s) (%s)", path, lineno, spec->column,
                              nf > 1 ? names : "no value column", what);
            }
            continue;
        }
        if (nf != n_cols) {
            rc = sim_errf(err, "%s:%zu: %zu fields where the header has %zu (a decimal comma? use '.') (%s)", path,
                          lineno, nf, n_cols, what);
            break;
        }
        int64_t t;
        if (stamped) {
            if (sim_ts_parse_hour(fields[0], &t)) {
                rc = sim_errf(err, "%s:%zu: '%s' is not an hourly ISO 8601 time (YYYY-MM-DD HH:00[:00], UTC) (%s)",
                              path, lineno, fields[0], what);
                break;
            }
        } else {
            char *end;
            errno = 0;
            long long h = strtoll(fields[0], &end, 10);
            if (!*fields[0] || *end || errno || h < 0) {
                rc = sim_errf(err, "%s:%zu: hour '%s' is not a whole number >= 0 (%s)", path, lineno, fields[0], what);
                break;
            }
            t = h;
        }
        if (out->n == 0) {
            if (!stamped && t != 0) {
                rc = sim_errf(err, "%s:%zu: the first hour must be 0, not %lld (%s)", path, lineno, (long long)t, what);
                break;
            }
            out->first_hour = stamped ? t : 0;
        } else if (t != prev + 1) {
            rc = sim_errf(err, "%s:%zu: %s '%s' is not one hour after the row before: the hours must follow each "
                               "other with no gap or repeat (%s)",
                          path, lineno, stamped ? "time" : "hour", fields[0], what);
            break;
        }
        prev = t;
        const char *cell = fields[col];
        double v = 0;
        if (!*cell) {
            rc = sim_errf(err, "%s:%zu: column '%s' is empty: a missing value (%s)", path, lineno, spec->column, what);
            break;
        }
        if (!sim_ts_plain_number(cell) || !isfinite(v = strtod(cell, NULL))) {
            rc = sim_errf(err, "%s:%zu: column '%s': '%s' is not a number (%s)", path, lineno, spec->column, cell, what);
            break;
        }
        double used = spec->scale != 0 ? v * spec->scale : v;
        if (!(used >= spec->lo && used <= spec->hi)) {
            char scaled[64] = "";
            if (spec->scale != 0 && spec->scale != 1)
                snprintf(scaled, sizeof scaled, " (x scale %g = %g)", spec->scale, used);
            rc = sim_errf(err, "%s:%zu: column '%s': %s%s %s is outside [%g, %g] (%s)", path, lineno, spec->column,
                          cell, scaled, spec->unit ? spec->unit : "", spec->lo, spec->hi, what);
            break;
        }
        if (out->n >= spec->max_rows) {
            rc = sim_errf(err, "%s:%zu: more than %zu rows, the limit (%s)", path, lineno, spec->max_rows, what);
            break;
        }
        if (sim_grow((void **)&out->v, &cap, out->n + 1, sizeof *out->v, err)) {
            rc = sim_err_oom_for(err, "the values of %s", what);
            break;
        }
        out->v[out->n++] = v;
    }
    if (rc == 0 && ferror(f))
        rc = sim_errf(err, "%s: cannot read '%s': %s", what, path, strerror(errno));
    free(line);
    fclose(f);
    sim_inputs_unref(own); /* the bytes f read */
    if (rc == 0 && !header)
        rc = sim_errf(err, "%s: '%s' is empty: it needs a header row and one row per hour", what, path);
    else if (rc == 0 && out->n == 0)
        rc = sim_errf(err, "%s: '%s' has a header but no rows", what, path);
    out->timestamped = stamped;
    if (rc) {
        sim_timeseries_free(out);
        return -1;
    }
    return 0;
}

void sim_timeseries_free(sim_timeseries *ts)
{
    free(ts->v);
    ts->v = NULL;
    ts->n = 0;
}
