/*
 * calendar: civil dates of the proleptic Gregorian calendar as whole days
 * since 1970-01-01 (negative before), and back. The conversions are Howard
 * Hinnant's days_from_civil / civil_from_days (public domain, 2013): exact
 * for every date of years -999,999 to 999,999, leap years by the 4/100/400
 * rule. A run's day d (a real number of days since sim.start_date, a whole
 * day) falls on the date start + floor(d).
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */
/* The mean Julian year, for rates and cycles "per year" of a run. */
#define SIM_DAYS_PER_YEAR 365.25
#define SIM_HOURS_PER_YEAR 8766 /* 365.25 x 24 */
/* A calendar year's hours, as an hourly file of one year holds them. */
#define SIM_HOURS_COMMON_YEAR 8760
#define SIM_HOURS_LEAP_YEAR 8784
static inline bool sim_is_year_of_hours(size_t n) { return n == SIM_HOURS_COMMON_YEAR || n == SIM_HOURS_LEAP_YEAR; }

int64_t sim_days_from_civil(int64_t y, unsigned m, unsigned d);
void sim_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* "YYYY-MM-DD" exactly (years 1000-9999, a day that exists): 0 and *days,
 * or -1. */
int sim_date_parse(const char *s, int64_t *days);
/* The date of day `day` of a run that starts on start_days (whole):
 * start + floor(day); "" when day is not finite. */
void sim_date_of(double start_days, double day, char out[SIM_DATE_LEN]);
/* 1 January is 1. */
int sim_day_of_year(int64_t days);
/* The run day on which year k of a run starts (the run's calendar years):
 * year 0 on day 0; with a start date (start_days, whole days since
 * 1970-01-01) year k >= 1 on 1 January of the start's year + k; without one
 * (NAN) years of 365.25 days, day 365.25 k. */
double sim_year_start_day(double start_days, size_t k);
/* The run day on which month k of a run starts: month 0 on day 0; with a
 * start date, month k >= 1 on the first day of the start's month + k;
 * without one, months of 30.4375 days. */
double sim_month_start_day(double start_days, size_t k);
/* The hour on which year k starts: 24 x that day, whole (8,766 k without a
 * start date). */
size_t sim_year_start_hour(double start_days, size_t k);

#endif
