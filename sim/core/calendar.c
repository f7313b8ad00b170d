#include "sim/core/calendar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);                        /* [0, 399] */
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

void sim_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int sim_date_parse(const char *s, int64_t *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0')), d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
        return -1;
    *days = sim_days_from_civil(y, m, d);
    return 0;
}

void sim_date_of(double start_days, double day, char out[SIM_DATE_LEN])
{
    if (!isfinite(day) || !isfinite(start_days)) {
        out[0] = '\0';
        return;
    }
    int64_t y;
    unsigned m, d;
    /* whole days first: start + day in one sum would round a day's last instant into the next */
    sim_civil_from_days((int64_t)floor(start_days) + (int64_t)floor(day), &y, &m, &d);
    char buf[48];
    snprintf(buf, sizeof buf, "%04lld-%02u-%02u", (long long)y, m, d);
    memcpy(out, buf, SIM_DATE_LEN - 1); /* years 1000-9999: a start date is parsed within them, a run spans a century */
    out[SIM_DATE_LEN - 1] = '\0';
}

int sim_day_of_year(int64_t days)
{
    int64_t y;
    unsigned m, d;
    sim_civil_from_days(days, &y, &m, &d);
    return (int)(days - sim_days_from_civil(y, 1, 1)) + 1;
}

double sim_year_start_day(double start_days, size_t k)
{
    if (k == 0)
        return 0;
    if (isnan(start_days))
        return SIM_DAYS_PER_YEAR * (double)k;
    int64_t y, s = (int64_t)start_days;
    unsigned m, d;
    sim_civil_from_days(s, &y, &m, &d);
    return (double)(sim_days_from_civil(y + (int64_t)k, 1, 1) - s);
}

size_t sim_year_start_hour(double start_days, size_t k)
{
    return (size_t)llround(24.0 * sim_year_start_day(start_days, k));
}

double sim_month_start_day(double start_days, size_t k)
{
    if (k == 0)
        return 0;
    if (isnan(start_days))
        return SIM_DAYS_PER_YEAR / 12.0 * (double)k;
    int64_t y, s = (int64_t)start_days;
    unsigned m, d;
    sim_civil_from_days(s, &y, &m, &d);
    int64_t months = (int64_t)(m - 1) + (int64_t)k;
    return (double)(sim_days_from_civil(y + months / 12, (unsigned)(months % 12) + 1, 1) - s);
}
