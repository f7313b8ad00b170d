#include "sim/config/tsformat.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/calendar.h"

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

const char *const sim_ts_kind_names[3] = {"csv", "eia930", "entsoe"};

enum { RULE_NONE, RULE_EU, RULE_US };

static const sim_ts_zone ZONES[] = {
    {"UTC", 0, RULE_NONE},
    {"Europe/London", 0, RULE_EU},      {"Europe/Lisbon", 0, RULE_EU},     {"Europe/Dublin", 0, RULE_EU},
    {"Europe/Berlin", 60, RULE_EU},     {"Europe/Paris", 60, RULE_EU},     {"Europe/Madrid", 60, RULE_EU},
    {"Europe/Rome", 60, RULE_EU},       {"Europe/Amsterdam", 60, RULE_EU}, {"Europe/Brussels", 60, RULE_EU},
    {"Europe/Vienna", 60, RULE_EU},     {"Europe/Prague", 60, RULE_EU},    {"Europe/Warsaw", 60, RULE_EU},
    {"Europe/Stockholm", 60, RULE_EU},  {"Europe/Oslo", 60, RULE_EU},      {"Europe/Copenhagen", 60, RULE_EU},
    {"Europe/Zurich", 60, RULE_EU},     {"CET", 60, RULE_EU},              {"Europe/Helsinki", 120, RULE_EU},
    {"Europe/Athens", 120, RULE_EU},    {"Europe/Bucharest", 120, RULE_EU}, {"Europe/Sofia", 120, RULE_EU},
    {"EET", 120, RULE_EU},              {"America/New_York", -300, RULE_US}, {"America/Chicago", -360, RULE_US},
    {"America/Denver", -420, RULE_US},  {"America/Los_Angeles", -480, RULE_US}, {"America/Phoenix", -420, RULE_NONE},
};

const sim_ts_zone *sim_ts_zone_find(const char *name)
{
    for (size_t i = 0; i < sizeof ZONES / sizeof *ZONES; i++)
        if (!strcmp(ZONES[i].name, name))
            return &ZONES[i];
    return NULL;
}

/* 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
static int weekday(int64_t days) { return (int)(((days + 4) % 7 + 7) % 7); }

/* The day of the n-th Sunday of month m (n 0: the last). */
static int64_t sunday(int64_t y, int m, int n)
{
    if (n == 0) {
        int64_t last = sim_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : (unsigned)m + 1, 1) - 1;
        return last - weekday(last);
    }
    int64_t first = sim_days_from_civil(y, (unsigned)m, 1);
    return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}

/* Summer time in zone z at UTC minute u. */
static bool summer(const sim_ts_zone *z, int64_t u)
{
    if (!z || z->rule == RULE_NONE)
        return false;
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(u >= 0 ? u / 1440 : (u - 1439) / 1440, &y, &m, &d);
    int64_t from, to;
    if (z->rule == RULE_EU) { /* 01:00 UTC, last Sundays of March and October */
        from = sunday(y, 3, 0) * 1440 + 60;
        to = sunday(y, 10, 0) * 1440 + 60;
    } else { /* 02:00 local: second Sunday of March (standard time), first Sunday of November (summer time) */
        from = sunday(y, 3, 2) * 1440 + 120 - z->std_minutes;
        to = sunday(y, 11, 1) * 1440 + 120 - (z->std_minutes + 60);
    }
    return u >= from && u < to;
}

int sim_ts_local_minute(const sim_ts_zone *z, int64_t y, int m, int d, int h, int mi, int64_t after, int64_t *out)
{
    int64_t local = sim_days_from_civil(y, (unsigned)m, (unsigned)d) * 1440 + h * 60 + mi;
    int std = z ? z->std_minutes : 0;
    int64_t as_std = local - std, as_summer = local - std - 60;
    bool std_ok = !summer(z, as_std), summer_ok = z && z->rule != RULE_NONE && summer(z, as_summer);
    if (std_ok && summer_ok) /* the hour repeated in autumn: the first not before `after` */
        *out = as_summer > after ? as_summer : as_std;
    else if (std_ok)
        *out = as_std;
    else if (summer_ok)
        *out = as_summer;
    else
        return -1; /* skipped in spring */
    return 0;
}

long sim_ts_split_format(char *line, char sep, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *start = p, *w = p;
        if (*p == '"') { /* quoted: up to the closing quote, "" a quote */
            start = w = ++p;
            for (;; p++) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *w++ = *p;
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p && *p != sep)
                return -1;
        } else {
            while (*p && *p != sep)
                p++;
            w = p;
        }
        char next = *p;
        while (w > start && (w[-1] == ' ' || w[-1] == '\t'))
            w--;
        *w = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (next != sep)
            break;
        p++;
    }
    return n > max ? (long)max + 1 : (long)n;
}

bool sim_ts_format_number(const sim_ts_format *f, const char *cell, double *v)
{
    char buf[128];
    size_t len = strlen(cell);
    if (len == 0 || len >= sizeof buf)
        return false;
    char point = f->decimal_comma ? ',' : '.', group = f->decimal_comma ? '.' : ',';
    const char *dot = strchr(cell, point);
    size_t int_len = dot ? (size_t)(dot - cell) : len, o = 0, digits = 0, since_group = 0;
    bool grouped = false;
    for (size_t i = 0; i < len; i++) {
        char c = cell[i];
        if (i < int_len && c == group) { /* a thousands separator: groups of three digits after it */
            if (!f->thousands || digits == 0 || (grouped && since_group != 3) || (!grouped && since_group > 3))
                return false;
            grouped = true;
            since_group = 0;
            continue;
        }
        if (i < int_len && isdigit((unsigned char)c)) {
            digits++;
            since_group++;
        }
        buf[o++] = i == int_len ? '.' : c;
    }
    if (grouped && since_group != 3)
        return false;
    buf[o] = '\0';
    if (!sim_ts_plain_number(buf))
        return false;
    *v = strtod(buf, NULL);
    return isfinite(*v);
}

/* n digits at *p; advances *p. */
static bool num(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool valid_date(int y, int m, int d, int h, int mi)
{
    if (m < 1 || m > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59)
        return false;
    int64_t next = sim_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : (unsigned)m + 1, 1);
    return d <= next - sim_days_from_civil(y, (unsigned)m, 1);
}

/* EIA-930's "MM/DD/YYYY HH:MM:SS AM/PM". */
static bool eia_time(const char *s, int *y, int *m, int *d, int *h, int *mi)
{
    const char *p = s;
    int se;
    if (!num(&p, 2, m) || *p++ != '/' || !num(&p, 2, d) || *p++ != '/' || !num(&p, 4, y) || *p++ != ' ' ||
        !num(&p, 2, h) || *p++ != ':' || !num(&p, 2, mi) || *p++ != ':' || !num(&p, 2, &se) || *p++ != ' ' || se)
        return false;
    bool pm = !strcmp(p, "PM"), am = !strcmp(p, "AM");
    if ((!pm && !am) || *h < 1 || *h > 12)
        return false;
    *h = (*h % 12) + (pm ? 12 : 0);
    return valid_date(*y, *m, *d, *h, *mi);
}

/* "YYYY-MM-DD HH:MM[:SS]" (or a T), and the length of a UTC offset after it (Z, +00:00) in *utc. */
static bool iso_time(const char *s, int *y, int *m, int *d, int *h, int *mi, bool *utc)
{
    const char *p = s;
    int se = 0;
    if (!num(&p, 4, y) || *p++ != '-' || !num(&p, 2, m) || *p++ != '-' || !num(&p, 2, d) || (*p != ' ' && *p != 'T'))
        return false;
    p++;
    if (!num(&p, 2, h) || *p++ != ':' || !num(&p, 2, mi))
        return false;
    if (*p == ':' && (p++, !num(&p, 2, &se)))
        return false;
    *utc = !strcmp(p, "Z") || !strcmp(p, "+00:00") || !strcmp(p, "+0000");
    return (!*p || *utc) && se == 0 && valid_date(*y, *m, *d, *h, *mi);
}

/* ENTSO-E's "DD.MM.YYYY HH:MM". */
static bool dotted_time(const char **p, int *y, int *m, int *d, int *h, int *mi)
{
    return num(p, 2, d) && *(*p)++ == '.' && num(p, 2, m) && *(*p)++ == '.' && num(p, 4, y) && *(*p)++ == ' ' &&
           num(p, 2, h) && *(*p)++ == ':' && num(p, 2, mi) && valid_date(*y, *m, *d, *h, *mi);
}

int sim_ts_row_time(const sim_ts_format *f, const sim_ts_zone *zone, const char *cell, int64_t after, int64_t *start,
                    int *minutes)
{
    int y, m, d, h, mi;
    int64_t t;
    *minutes = 60;
    if (f->kind == SIM_TS_ENTSOE) { /* start - end, in local wall-clock time, maybe with (CET) or (CEST) */
        const char *p = cell;
        int y2, m2, d2, h2, mi2;
        if (!dotted_time(&p, &y, &m, &d, &h, &mi) || strncmp(p, " - ", 3))
            return -1;
        p += 3;
        if (!dotted_time(&p, &y2, &m2, &d2, &h2, &mi2))
            return -1;
        int64_t wall = sim_days_from_civil(y, (unsigned)m, (unsigned)d) * 1440 + h * 60 + mi;
        int64_t len = sim_days_from_civil(y2, (unsigned)m2, (unsigned)d2) * 1440 + h2 * 60 + mi2 - wall;
        if (len <= 0 || len > 60 || 60 % len != 0 || mi % len != 0)
            return -1;
        *minutes = (int)len;
        bool cest = !strcmp(p, " (CEST)"), cet = !strcmp(p, " (CET)");
        if (*p && !cest && !cet)
            return -1;
        if ((cest || cet) && zone && zone->rule == RULE_EU) { /* the label says which offset */
            *start = wall - zone->std_minutes - (cest ? 60 : 0);
            return summer(zone, *start) == cest ? 0 : -1;
        }
        return sim_ts_local_minute(zone, y, m, d, h, mi, after, start);
    }
    bool utc = false;
    if (f->kind == SIM_TS_EIA930 ? !eia_time(cell, &y, &m, &d, &h, &mi) : !iso_time(cell, &y, &m, &d, &h, &mi, &utc))
        return -1;
    if (mi != 0)
        return -1; /* hourly rows */
    int64_t shift = f->hour_ending ? 60 : 0;
    if (sim_ts_local_minute(utc ? NULL : zone, y, m, d, h, mi, after + shift, &t))
        return -1;
    *start = t - shift;
    return 0;
}
