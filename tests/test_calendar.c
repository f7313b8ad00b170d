/* Dates (sim/core/calendar.h): every day from 1899 to 2401 against a plain
 * day-by-day count (month ends, leap years and the 100/400 rules), dates
 * that do not exist refused, day of year; and a run's dates: milestones in
 * summary.json and series.csv's date column agree with the day counts
 * across a month end, 29 February and the horizon's end. */
#include <stdlib.h>

#include "sim/core/calendar.h"
#include "test.h"

TEST(calendar_agrees_with_counting_day_by_day)
{
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = sim_days_from_civil(1899, 1, 1);
    CHECK(sim_days_from_civil(1970, 1, 1) == 0, "1970-01-01 is day %lld", (long long)sim_days_from_civil(1970, 1, 1));
    int bad = 0;
    for (int64_t y = 1899; y <= 2401 && bad < 5; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int doy = 1;
        for (unsigned m = 1; m <= 12; m++)
            for (unsigned d = 1; d <= mdays[m - 1] + (m == 2 && leap); d++, day++, doy++) {
                int64_t yy;
                unsigned mm, dd;
                sim_civil_from_days(day, &yy, &mm, &dd);
                if (sim_days_from_civil(y, m, d) != day || yy != y || mm != m || dd != d ||
                    sim_day_of_year(day) != doy) {
                    test_fail(__FILE__, __LINE__, "%04lld-%02u-%02u: day %lld from civil %lld, back %04lld-%02u-%02u, "
                              "day of year %d (want %d)", (long long)y, m, d, (long long)day,
                              (long long)sim_days_from_civil(y, m, d), (long long)yy, mm, dd, sim_day_of_year(day), doy);
                    bad++;
                }
            }
    }
    int64_t v;
    CHECK(sim_date_parse("2024-02-29", &v) == 0 && v == sim_days_from_civil(2024, 2, 29), "2024-02-29 refused");
    CHECK(sim_date_parse("2000-02-29", &v) == 0, "2000-02-29 (divisible by 400) refused");
    const char *wrong[] = {"2023-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-05",
                           "26-01-05", "2026/01/05", "2026-01-05 ", "0999-01-01", ""};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
        CHECK(sim_date_parse(wrong[i], &v) != 0, "'%s' accepted", wrong[i]);
    char d[SIM_DATE_LEN];
    int64_t start = sim_days_from_civil(2027, 12, 31);
    sim_date_of((double)start, 1.0 - 1e-9, d);
    CHECK_STR_CONTAINS(d, "2027-12-31");
    sim_date_of((double)start, 1.0, d);
    CHECK_STR_CONTAINS(d, "2028-01-01");
    sim_date_of((double)start, 60.5, d); /* 31 Dec + 60 = 29 Feb 2028 */
    CHECK_STR_CONTAINS(d, "2028-02-29");
}

TEST(calendar_a_runs_dates_match_its_days)
{
    /* The small site from 27 February 2028 (a leap year): first token on day 303 = 26 December 2028;
     * series row k (day k+1) is dated start + k: day 2 is 29 February, day 3 is 1 March, the last row (day
     * 400) 31 March 2029. */
    char out[4096], path[700];
    int rc = gigasim_cmd(out, sizeof out, "run tests/data/small.cfg -n 2 --set sim.start_date='\"2028-02-27\"' -o %s/dated "
                         "--quiet", test_tmpdir());
    CHECK(rc == 0, "exit %d: %s", rc, out);
    snprintf(path, sizeof path, "%s/dated/summary.json", test_tmpdir());
    char *s = read_text(path);
    CHECK(s, "no %s", path);
    CHECK_STR_CONTAINS(s, "\"start_date\":\t\"2028-02-27\"");
    CHECK_STR_CONTAINS(s, "\"date_p50\":\t\"2028-12-26\"");
    free(s);
    snprintf(path, sizeof path, "%s/dated/series.csv", test_tmpdir());
    s = read_text(path);
    CHECK(s, "no %s", path);
    CHECK_STR_CONTAINS(s, "day,date,");
    CHECK_STR_CONTAINS(s, "\n1,2028-02-27,");
    CHECK_STR_CONTAINS(s, "\n2,2028-02-28,");
    CHECK_STR_CONTAINS(s, "\n3,2028-02-29,");
    CHECK_STR_CONTAINS(s, "\n4,2028-03-01,");
    CHECK_STR_CONTAINS(s, "\n400,2029-04-01,");
    free(s);
    /* the start date fixes the weather's first day: a different start_day_of_year is refused */
    rc = gigasim_cmd(out, sizeof out, "check tests/data/small.cfg --set sim.start_date='\"2028-02-27\"' "
                     "--set sim.start_day_of_year=10");
    CHECK(rc == 1, "exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "sim.start_day_of_year: 10, but sim.start_date 2028-02-27 is day 58 of its year");
}

TEST(calendar_a_runs_years_are_calendar_years)
{
    /* From 2026-07-01: year 1 starts on 2027-01-01 (day 184), year 2 on 2028-01-01 (549), year 3 on 2029-01-01
     * (549 + 366, 2028 is leap); without a start date, years of 365.25 days and 8,766 hours. */
    int64_t start;
    CHECK(sim_date_parse("2026-07-01", &start) == 0, "date");
    double s = (double)start;
    CHECK_NEAR(sim_year_start_day(s, 0), 0, 0, "year 0");
    CHECK_NEAR(sim_year_start_day(s, 1), 184, 0, "2027-01-01");
    CHECK_NEAR(sim_year_start_day(s, 2), 549, 0, "2028-01-01");
    CHECK_NEAR(sim_year_start_day(s, 3), 915, 0, "2029-01-01");
    CHECK(sim_year_start_hour(s, 2) == 549 * 24, "hour of 2028-01-01: %zu", sim_year_start_hour(s, 2));
    CHECK_NEAR(sim_year_start_day(NAN, 3), 3 * 365.25, 0, "no start date");
    CHECK(sim_year_start_hour(NAN, 2) == 2 * 8766, "hour of year 2 without a date: %zu", sim_year_start_hour(NAN, 2));
}
