/* The hourly-file reader (sim/config/timeseries.h): real files read whole, and
 * every malformed input refused with the file, the line and the column;
 * the climate reads its file through it. */
#include <stdlib.h>

#include "models/site/site.h"
#include "sim/config/timeseries.h"
#include "sim/core/calendar.h"
#include "sim/study/output.h"
#include "test.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static const char *write_tmp(const char *name, const char *text, size_t len)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fwrite(text, 1, len, f);
    fclose(f);
    return path;
}

static int read_text_ts(const char *text, size_t len, const char *column, sim_timeseries *ts, sim_err *err)
{
    const char *path = write_tmp("ts.csv", text, len);
    if (!path)
        return sim_errf(err, "cannot write the test file");
    sim_ts_spec spec = {path, "x.cfg:3: climate.csv", column, -90, 60, "deg C", 100, NULL, 0, NULL};
    return sim_timeseries_read(&spec, ts, err);
}

TEST(timeseries_reads_hour_and_timestamp_files)
{
    sim_timeseries ts;
    sim_err err;
    const char ok1[] = "\xEF\xBB\xBFhour,temp_c,rh\r\n# a comment\r\n0,1.5,80\r\n1,-2e1,81\r\n2,+.5,82\r\n\r\n\n";
    CHECK(read_text_ts(ok1, sizeof ok1 - 1, "temp_c", &ts, &err) == 0, "%s", err.msg);
    CHECK(ts.n == 3 && ts.v[0] == 1.5 && ts.v[1] == -20 && ts.v[2] == 0.5 && !ts.timestamped,
          "read %zu values: %g %g %g", ts.n, ts.v[0], ts.v[1], ts.v[2]);
    sim_timeseries_free(&ts);
    const char ok2[] = "timestamp,temp_c\n2024-02-28 23:00:00+00:00,1\n2024-02-29T00:00Z,2\n2024-02-29 01:00,3\n";
    CHECK(read_text_ts(ok2, sizeof ok2 - 1, "temp_c", &ts, &err) == 0, "%s", err.msg);
    int64_t h0;
    CHECK(sim_ts_parse_hour("2024-02-28 23:00:00", &h0) == 0, "parse");
    CHECK(ts.n == 3 && ts.timestamped && ts.first_hour == h0, "timestamped file: %zu rows, first hour %lld",
          ts.n, (long long)ts.first_hour);
    sim_timeseries_free(&ts);
    /* Dates by hand: 1970-01-01 is hour 0; 2000-03-01 00:00 is day 11,017. */
    int64_t h;
    CHECK(sim_ts_parse_hour("1970-01-01 00:00", &h) == 0 && h == 0, "epoch: %lld", (long long)h);
    CHECK(sim_ts_parse_hour("2000-03-01T00:00:00Z", &h) == 0 && h == 11017 * 24, "2000-03-01: %lld", (long long)h);
    CHECK(sim_ts_parse_hour("2023-02-29 00:00", &h) != 0, "2023-02-29 accepted");
    CHECK(sim_ts_parse_hour("2022-01-01 00:30", &h) != 0, "a half hour accepted");
    CHECK(sim_ts_parse_hour("2022-01-01 24:00", &h) != 0, "hour 24 accepted");
}

TEST(timeseries_reads_the_eia_grid_file)
{
    /* EIA-930 hourly 2022 for ERCOT (../shared/data): 8,760 rows, UTC
     * timestamps, no gap; the mean of avg_CI computed independently. */
    const char *path = "../shared/data/grid-us-2022/ERCO.csv";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "  skipped: %s not at hand\n", path);
        return;
    }
    fclose(f);
    char out[256];
    int rc = run_cmd("awk -F, 'NR > 1 { s += $10; n++ } END { printf \"%.10f %d\", s / n, n }' "
                     "../shared/data/grid-us-2022/ERCO.csv",
                     out, sizeof out);
    double want;
    int n_want;
    CHECK(rc == 0 && sscanf(out, "%lf %d", &want, &n_want) == 2, "awk: %s", out);
    sim_ts_spec spec = {path, "test", "avg_CI", 0, 2000, "g/kWh", 100000, NULL, 0, NULL};
    sim_timeseries ts;
    sim_err err;
    CHECK(sim_timeseries_read(&spec, &ts, &err) == 0, "%s", err.msg);
    test_defer(free, ts.v); /* the values, not ts: it lives on this stack */
    double s = 0;
    for (size_t i = 0; i < ts.n; i++)
        s += ts.v[i];
    int64_t h0;
    sim_ts_parse_hour("2022-01-01 00:00", &h0);
    CHECK((int)ts.n == n_want && n_want == 8760 && ts.first_hour == h0, "%zu rows (want %d), first hour %lld",
          ts.n, n_want, (long long)ts.first_hour);
    CHECK_NEAR(s / (double)ts.n, want, 1e-6, "mean carbon intensity of ERCOT 2022 (g/kWh)");
    /* PJM's file has empty cells in some columns: refused where read. */
    sim_ts_spec pjm = {"../shared/data/grid-us-2022/PJM.csv", "test", "WND", 0, 1e6, "MW", 100000, NULL, 0, NULL};
    sim_timeseries t2;
    rc = sim_timeseries_read(&pjm, &t2, &err);
    if (rc == 0)
        sim_timeseries_free(&t2);
    CHECK(rc != 0, "PJM.csv's WND column was read although it has empty cells");
    CHECK_STR_CONTAINS(err.msg, "PJM.csv:");
    CHECK_STR_CONTAINS(err.msg, "column 'WND' is empty: a missing value");
}

TEST(timeseries_refuses_bad_files_naming_file_line_and_column)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"", "is empty"},
        {"hour,temp_c\n", "has a header but no rows"},
        {"temp_c\n12\n", "the first column must be the time"},
        {"hour,t\n0,1\n", "no column 'temp_c' (the file has 't')"},
        {"hour,temp_c,temp_c\n0,1,1\n", "two columns are named 'temp_c'"},
        {"hour,temp_c\n0,1\n1,NaN\n", "ts.csv:3: column 'temp_c': 'NaN' is not a number"},
        {"hour,temp_c\n0,inf\n", "ts.csv:2: column 'temp_c': 'inf' is not a number"},
        {"hour,temp_c\n0,0x10\n", "'0x10' is not a number"},
        {"hour,temp_c\n0,12 C\n", "'12 C' is not a number"},
        {"hour,temp_c\n0,12,5\n", "ts.csv:2: 3 fields where the header has 2 (a decimal comma?"},
        {"hour,temp_c\n0,\n", "column 'temp_c' is empty: a missing value"},
        {"hour,temp_c\n0,1\n2,1\n", "ts.csv:3: hour '2' is not one hour after"},
        {"hour,temp_c\n1,1\n", "the first hour must be 0"},
        {"hour,temp_c\n0,1\n\n1,2\n", "ts.csv:3: a blank line inside the data"},
        {"hour,temp_c\n0,99\n", "ts.csv:2: column 'temp_c': 99 deg C is outside [-90, 60]"},
        {"timestamp,temp_c\n2022-01-01 00:00,1\n2022-01-01 02:00,1\n", "ts.csv:3: time '2022-01-01 02:00' is not one hour after"},
        {"timestamp,temp_c\n2022-13-01 00:00,1\n", "is not an hourly ISO 8601 time"},
        {"hour,temp_c\n-1,1\n", "hour '-1' is not a whole number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_timeseries ts;
        sim_err err;
        int rc = read_text_ts(bad[i].text, strlen(bad[i].text), "temp_c", &ts, &err);
        if (rc == 0)
            sim_timeseries_free(&ts);
        CHECK(rc != 0, "case %zu was accepted: %s", i, bad[i].text);
        CHECK(strstr(err.msg, bad[i].msg) && strstr(err.msg, "x.cfg:3: climate.csv"),
              "case %zu: message \"%s\" lacks \"%s\" or the key", i, err.msg, bad[i].msg);
    }
    /* a NUL byte, a line too long, too many rows, a directory, a FIFO */
    sim_timeseries ts;
    sim_err err;
    const char nul[] = "hour,temp_c\n0,1\0\n";
    CHECK(read_text_ts(nul, sizeof nul - 1, "temp_c", &ts, &err) != 0, "a NUL byte was accepted");
    CHECK_STR_CONTAINS(err.msg, "ts.csv:2: contains a NUL byte");
    char *longl = test_malloc(SIM_TS_MAX_LINE + 100);
    memset(longl, '1', SIM_TS_MAX_LINE + 50);
    memcpy(longl, "hour,temp_c\n0,", 14);
    longl[SIM_TS_MAX_LINE + 50] = '\n';
    CHECK(read_text_ts(longl, SIM_TS_MAX_LINE + 51, "temp_c", &ts, &err) != 0, "a long line was accepted");
    CHECK_STR_CONTAINS(err.msg, "a line longer than");
    char *many = test_malloc(4000);
    size_t k = (size_t)snprintf(many, 4000, "hour,temp_c\n");
    for (int h = 0; h < 101; h++)
        k += (size_t)snprintf(many + k, 4000 - k, "%d,1\n", h);
    CHECK(read_text_ts(many, k, "temp_c", &ts, &err) != 0, "101 rows accepted under a limit of 100");
    CHECK_STR_CONTAINS(err.msg, "more than 100 rows, the limit");
    sim_ts_spec dir = {test_tmpdir(), "k", "temp_c", -90, 60, "deg C", 100, NULL, 0, NULL};
    CHECK(sim_timeseries_read(&dir, &ts, &err) != 0, "a directory was read");
    CHECK_STR_CONTAINS(err.msg, "not a regular file (a directory, a device or a pipe)");
    char fifo[600], cmd[1400];
    snprintf(fifo, sizeof fifo, "%s/ts.fifo", test_tmpdir());
    snprintf(cmd, sizeof cmd, "rm -f %s && mkfifo %s", fifo, fifo);
    CHECK(run_cmd(cmd, NULL, 0) == 0, "mkfifo");
    sim_ts_spec ff = {fifo, "k", "temp_c", -90, 60, "deg C", 100, NULL, 0, NULL};
    CHECK(sim_timeseries_read(&ff, &ts, &err) != 0, "a FIFO was read (or the read hung)");
    CHECK_STR_CONTAINS(err.msg, "not a regular file (a directory, a device or a pipe)");
}

TEST(climate_file_drives_the_site_and_must_cover_the_horizon)
{
    /* The hand-computed site (tests/data/small_base.inc) with an hourly
     * file at a constant 40 C: PUE as the profile at 40 C gives it. */
    char dir[600];
    snprintf(dir, sizeof dir, "%s/climate", test_tmpdir());
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && awk 'BEGIN { print \"hour,temp_c\"; for (h = 0; h < 24 * 401; h++) "
                              "print h \",40\" }' > %s/hot.csv",
             dir, dir);
    CHECK(run_cmd(cmd, NULL, 0) == 0, "cannot write the climate file");
    char scen[700];
    snprintf(scen, sizeof scen, "%s/s.cfg", dir);
    /* its climate block names the file instead of a profile */
    snprintf(cmd, sizeof cmd,
             "sed 's/climate = { mean_c = 10.0; annual_amplitude_c = 0.0; daily_amplitude_c = 0.0; };/"
             "climate = { csv = \"hot.csv\"; };/' tests/data/small_base.inc > %s/small_base.inc && grep -q hot.csv "
             "%s/small_base.inc && cat tests/data/small.cfg > %s",
             dir, dir, scen);
    CHECK(run_cmd(cmd, NULL, 0) == 0, "cannot write the scenario");
    const char *sets[] = {NULL};
    sim_err err;
    site_run r;
    int rc = site_run_file(scen, sets, 1, 0, &r, &err);
    CHECK(rc == 0, "%s", err.msg);
    double pue = r.mt[M_PUE_MEAN];
    site_run_free(&r);
    CHECK_NEAR(pue, 1 + 0.04 + 0.04 + 0.006 * 10, 1e-12, "PUE at a constant 40 C from the file");
    /* The resolved scenario beside the results names the file so that it runs from anywhere. */
    char out[4096];
    rc = gigasim_cmd(out, sizeof out, "run %s -n 1 -o %s/out --quiet", scen, dir);
    CHECK(rc == 0, "run: exit %d: %s", rc, out);
    snprintf(cmd, sizeof cmd, "cd / && %s%s check %s/out/scenario.cfg 2>&1", gigasim_bin()[0] == '/' ? "" : "$OLDPWD/",
             gigasim_bin(), dir[0] == '/' ? dir : ".");
    rc = run_cmd(cmd, out, sizeof out);
    CHECK(rc == 0, "the written scenario.cfg does not run from elsewhere: exit %d: %s", rc, out);
    /* A file shorter than the horizon is refused unless it repeats yearly. */
    snprintf(cmd, sizeof cmd, "head -n 101 %s/hot.csv > %s/short.csv", dir, dir);
    CHECK(run_cmd(cmd, NULL, 0) == 0, "head");
    const char *short_sets[] = {"climate.csv=\"short.csv\"", NULL};
    rc = site_run_file(scen, short_sets, 1, 0, &r, &err);
    if (rc == 0)
        site_run_free(&r);
    CHECK(rc != 0, "a 100-hour file ran a longer horizon");
    CHECK_STR_CONTAINS(err.msg, "climate.csv: the file holds 100 hours and the run needs");
    const char *yearly_sets[] = {"climate.csv=\"short.csv\"", "climate.repeat=\"yearly\"", NULL};
    rc = site_run_file(scen, yearly_sets, 1, 0, &r, &err);
    if (rc == 0)
        site_run_free(&r);
    CHECK(rc != 0, "a 100-hour file was taken as a year");
    CHECK_STR_CONTAINS(err.msg, "needs a year of hours (8,760 or 8,784 rows)");
}

/* text as a file read with format f: 0, or -1 with err. */
static int read_format(const char *text, const sim_ts_format *f, const char *column, sim_timeseries *ts, sim_err *err)
{
    const char *path = write_tmp("fmt.csv", text, strlen(text));
    if (!path)
        return sim_errf(err, "cannot write the test file");
    sim_ts_spec spec = {path, "x.cfg:3: site.grid.price_per_mwh.csv", column, -1e5, 1e5, "EUR/MWh", 1000, NULL, 0, f};
    return sim_timeseries_read(&spec, ts, err);
}

TEST(timeseries_reads_entsoe_quarter_hours_across_the_autumn_change)
{
    /* ENTSO-E's day-ahead prices in quarter hours on 26 October 2025, when Brussels' clocks go back at 03:00
     * CEST: 00:00-04:00 local is five hours (the 02:00 hour twice), 22:00-03:00 UTC. Each hour is the mean of
     * its four quarters (11.5, 21.5, ... 51.5); the repeated hour, its first pass in summer time, then in winter;
     * the first hour starts at 22:00 UTC on the 25th. */
    char text[8000] = "\"MTU (CET/CEST)\",\"Day-ahead Price [EUR/MWh]\",\"Currency\"\n";
    static const char *const wall[5] = {"00", "01", "02", "02", "03"}, *next[5] = {"01", "02", "03", "03", "04"};
    for (int h = 0; h < 5; h++)
        for (int q = 0; q < 4; q++) {
            char row[200], end[8];
            if (q < 3)
                snprintf(end, sizeof end, "%s:%02d", wall[h], 15 * q + 15);
            else
                snprintf(end, sizeof end, "%s:00", next[h]);
            snprintf(row, sizeof row, "\"26.10.2025 %s:%02d - 26.10.2025 %s\",\"%d\",\"EUR\"\n", wall[h], 15 * q, end,
                     10 * (h + 1) + q);
            strcat(text, row);
        }
    sim_ts_format f = {.kind = SIM_TS_ENTSOE, .separator = ','};
    sim_timeseries ts;
    sim_err err;
    CHECK(read_format(text, &f, "Day-ahead Price [EUR/MWh]", &ts, &err) == 0, "%s", err.msg);
    test_defer((void (*)(void *))sim_timeseries_free, &ts);
    CHECK(ts.n == 5 && ts.timestamped, "%zu hours", ts.n);
    int64_t utc22;
    CHECK(sim_ts_parse_hour("2025-10-25 22:00", &utc22) == 0, "parse");
    CHECK(ts.first_hour == utc22, "first hour %lld, want %lld (22:00 UTC)", (long long)ts.first_hour, (long long)utc22);
    for (int h = 0; h < 5; h++)
        CHECK_NEAR(ts.v[h], 10 * (h + 1) + 1.5, 1e-9, "an hour's mean of its quarters");
}

TEST(timeseries_reads_eia930_local_hour_ending_across_the_spring_change)
{
    /* EIA-930's local column, hour-ending, in Chicago on 13 March 2022: 01:00 CST, then 03:00 CDT (02:00 does
     * not exist): the hours 06:00 and 07:00 UTC, one after the other; numbers with thousands separators in
     * quotes. The UTC column reads the same hours. A local 02:00 is refused by line. */
    const char text[] = "\"Balancing Authority\",\"Local Time at End of Hour\",\"UTC Time at End of Hour\",\"Demand (MW)\"\n"
                        "MISO,03/13/2022 01:00:00 AM,03/13/2022 07:00:00 AM,\"71,234\"\n"
                        "MISO,03/13/2022 03:00:00 AM,03/13/2022 08:00:00 AM,\"70,100\"\n"
                        "MISO,03/13/2022 04:00:00 AM,03/13/2022 09:00:00 AM,\"69,999\"\n";
    sim_ts_format f = {.kind = SIM_TS_EIA930, .separator = ',', .thousands = true, .hour_ending = true,
                       .zone = sim_ts_zone_find("America/Chicago")};
    sim_timeseries ts;
    sim_err err;
    CHECK(read_format(text, &f, "Demand (MW)", &ts, &err) == 0, "%s", err.msg);
    int64_t utc6;
    CHECK(sim_ts_parse_hour("2022-03-13 06:00", &utc6) == 0, "parse");
    CHECK(ts.n == 3 && ts.first_hour == utc6 && ts.v[0] == 71234 && ts.v[1] == 70100 && ts.v[2] == 69999,
          "%zu hours from %lld: %g %g %g", ts.n, (long long)ts.first_hour, ts.v[0], ts.v[1], ts.v[2]);
    sim_timeseries_free(&ts);
    f.zone = NULL; /* the UTC column */
    CHECK(read_format(text, &f, "Demand (MW)", &ts, &err) == 0, "%s", err.msg);
    CHECK(ts.n == 3 && ts.first_hour == utc6, "UTC: %zu hours from %lld", ts.n, (long long)ts.first_hour);
    sim_timeseries_free(&ts);
    f.zone = sim_ts_zone_find("America/Chicago");
    const char skipped[] = "\"Local Time at End of Hour\",\"Demand (MW)\"\n03/13/2022 01:00:00 AM,1\n"
                           "03/13/2022 02:00:00 AM,2\n";
    CHECK(read_format(skipped, &f, "Demand (MW)", &ts, &err) != 0, "the hour that does not exist was read");
    CHECK_STR_CONTAINS(err.msg, "fmt.csv:3: '03/13/2022 02:00:00 AM' is not a time of the eia930 format in America/Chicago");
}

TEST(timeseries_reads_semicolons_and_decimal_commas_in_local_time)
{
    /* A European file: ';', decimal commas and thousands dots, local Berlin time, hour-beginning: 2025-01-01
     * 00:00 CET is 23:00 UTC the day before. A decimal comma without its format, a thousands separator out of
     * place, and a gap are refused. */
    const char text[] = "Zeit;Preis\n2025-01-01 00:00;1.234,5\n2025-01-01 01:00;-12,25\n2025-01-01 02:00;0,5\n";
    sim_ts_format f = {.kind = SIM_TS_CSV, .separator = ';', .decimal_comma = true, .thousands = true,
                       .time_column = "Zeit", .zone = sim_ts_zone_find("Europe/Berlin")};
    sim_timeseries ts;
    sim_err err;
    CHECK(read_format(text, &f, "Preis", &ts, &err) == 0, "%s", err.msg);
    int64_t h23;
    CHECK(sim_ts_parse_hour("2024-12-31 23:00", &h23) == 0, "parse");
    CHECK(ts.n == 3 && ts.first_hour == h23 && ts.v[0] == 1234.5 && ts.v[1] == -12.25 && ts.v[2] == 0.5,
          "%zu hours from %lld: %g %g %g", ts.n, (long long)ts.first_hour, ts.v[0], ts.v[1], ts.v[2]);
    sim_timeseries_free(&ts);
    static const struct { const char *text; const char *want; } bad[] = {
        {"Zeit;Preis\n2025-01-01 00:00;12.34.5\n", "'12.34.5' is not a number as the format writes one"},
        {"Zeit;Preis\n2025-01-01 00:00;1,5\n2025-01-01 02:00;2\n", "does not start where the row before ended"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(read_format(bad[i].text, &f, "Preis", &ts, &err) != 0, "case %zu read", i);
        CHECK_STR_CONTAINS(err.msg, bad[i].want);
    }
    f.decimal_comma = f.thousands = false;
    CHECK(read_format(text, &f, "Preis", &ts, &err) != 0, "a decimal comma read without its format");
    CHECK_STR_CONTAINS(err.msg, "'1.234,5' is not a number");
}

TEST(timeseries_entsoe_file_drives_a_run_and_check_describes_it)
{
    /* A year of ENTSO-E quarter hours (2025, the UTC column) with ';' and decimal commas, every price 100,0: the
     * small site's energy cost is the same as with a price of 100 given as a number; gigasim check names the
     * file's hours, span and mean; a price file in EUR per kWh draws a warning; a zone gigasim does not know,
     * and a decimal comma with ',' separators, are refused by key. */
    char path[700], out[8192], cwd[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    for (int variant = 0; variant < 2; variant++) {
        snprintf(path, sizeof path, "%s/entsoe-%d.csv", test_tmpdir(), variant);
        FILE *f = fopen(path, "w");
        CHECK(f, "write %s", path);
        fputs("\"MTU (UTC)\";\"Day-ahead Price [EUR/MWh]\";\"Currency\"\n", f);
        int64_t d0 = sim_days_from_civil(2025, 1, 1);
        for (int64_t q = 0; q < 365 * 96; q++) {
            int64_t m0 = q * 15, m1 = m0 + 15;
            int64_t y0, y1;
            unsigned mo0, da0, mo1, da1;
            sim_civil_from_days(d0 + m0 / 1440, &y0, &mo0, &da0);
            sim_civil_from_days(d0 + m1 / 1440, &y1, &mo1, &da1);
            fprintf(f, "\"%02u.%02u.%lld %02lld:%02lld - %02u.%02u.%lld %02lld:%02lld\";\"%s\";\"EUR\"\n", da0, mo0,
                    (long long)y0, (long long)(m0 % 1440 / 60), (long long)(m0 % 60), da1, mo1, (long long)y1,
                    (long long)(m1 % 1440 / 60), (long long)(m1 % 60), variant ? "0,1" : "100,0");
        }
        fclose(f);
    }
    char text[6000];
    snprintf(text, sizeof text,
             "base = \"%s/tests/data/small.cfg\";\nsim = { start_date = \"2025-01-01\"; };\n"
             "site = { grid = { price_per_mwh = { csv = \"entsoe-0.csv\"; column = \"Day-ahead Price [EUR/MWh]\"; "
             "format = \"entsoe\"; separator = \";\"; decimal_comma = true; repeat = \"yearly\"; }; }; };\n", cwd);
    CHECK(put_file(test_tmpdir(), "entsoe.cfg", text) == 0, "write");
    int rc = gigasim_cmd(out, sizeof out, "check %s/entsoe.cfg", test_tmpdir());
    CHECK(rc == 0, "check: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "8760 hours, 2025-01-01 00:00 to 2025-12-31 23:00 UTC; mean 100, min 100, max 100");
    char a[800], b[800];
    snprintf(a, sizeof a, "%s/entsoe-run", test_tmpdir());
    snprintf(b, sizeof b, "%s/entsoe-flat", test_tmpdir());
    rc = gigasim_cmd(out, sizeof out, "run %s/entsoe.cfg -n 1 -q -o %s && %s run tests/data/small.cfg -n 1 -q -o %s "
                     "--set 'sim.start_date=\"2025-01-01\"' --set site.grid.price_per_mwh=100",
                     test_tmpdir(), a, gigasim_bin(), b);
    CHECK(rc == 0, "runs: %s", out);
    snprintf(a + strlen(a), sizeof a - strlen(a), "/summary.json");
    snprintf(b + strlen(b), sizeof b - strlen(b), "/summary.json");
    struct cJSON *ja = test_read_json(a), *jb = test_read_json(b);
    double ca = sim_json_get_num(cJSON_GetObjectItemCaseSensitive(ja, "energy_cost"), "p50", NAN),
           cb = sim_json_get_num(cJSON_GetObjectItemCaseSensitive(jb, "energy_cost"), "p50", NAN);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    CHECK(cb > 0 && fabs(ca - cb) <= 1e-9 * cb, "energy cost %.17g from the file, %.17g from the number", ca, cb);
    /* per kWh: a warning; a zone and a decimal comma refused */
    static const struct { const char *keys; int rc; const char *want; } cases[] = {
        {"csv = \"entsoe-1.csv\"; format = \"entsoe\"; separator = \";\"; decimal_comma = true;", 0,
         "WARNING: a price under 1 a MWh on average: given per kWh? (scale = 1000)"},
        {"csv = \"entsoe-0.csv\"; format = \"entsoe\"; separator = \";\"; decimal_comma = true; time_zone = \"Mars/Olympus\";",
         1, "time_zone: 'Mars/Olympus' is not a time zone gigasim knows"},
        {"csv = \"entsoe-0.csv\"; format = \"entsoe\"; decimal_comma = true;", 1,
         "decimal_comma: a decimal comma needs separator = \";\""}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text,
                 "base = \"%s/tests/data/small.cfg\";\nsim = { start_date = \"2025-01-01\"; };\n"
                 "site = { grid = { price_per_mwh = { %s column = \"Day-ahead Price [EUR/MWh]\"; repeat = \"yearly\"; }; }; };\n",
                 cwd, cases[i].keys);
        CHECK(put_file(test_tmpdir(), "entsoe-case.cfg", text) == 0, "write");
        rc = gigasim_cmd(out, sizeof out, "check %s/entsoe-case.cfg", test_tmpdir());
        CHECK(rc == cases[i].rc, "case %zu: exit %d: %s", i, rc, out);
        CHECK_STR_CONTAINS(out, cases[i].want);
    }
}
