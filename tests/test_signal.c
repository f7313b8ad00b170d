/* Hourly signals (models/energy/signal.h) and the grid's curtailment
 * (models/energy/curtail.h):
 *   - a profile's first-year mean, daily peak hour and trend; sunlight zero
 *     at night with the stated capacity factor; noise with its SD;
 *   - a file read by hand, repeated yearly, a timestamped file aligned to
 *     the start day; the EIA year of ERCOT's solar (../shared/data, when at
 *     hand) as a capacity-factor shape;
 *   - curtailment: every year exactly its drawn hours (a constant and a
 *     distribution, whose mean the years match), the peak-price form picks
 *     the highest-price hours, the threshold form by hand. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/energy/curtail.h"
#include "models/energy/signal.h"
#include "sim/core/calendar.h"
#include "test.h"

static sim_cfg *cfg_of(const char *text)
{
    sim_err err;
    sim_cfg *c = sim_cfg_load_string(text, "tests/data/signal.cfg", "tests/data", &err);
    if (!c)
        fprintf(stderr, "  %s\n", err.msg);
    return c;
}

TEST(signal_profile_mean_peak_trend_and_noise)
{
    sim_err err;
    sim_cfg *c = cfg_of("p = { mean = 60.0; seasonal_amplitude = 0.2; seasonal_peak_day = 20.0; daily_amplitude = 0.5;"
                        " daily_peak_hour = 19.0; trend_per_year = 0.1; };\n"
                        "n = { mean = 60.0; noise_sd = 30.0; noise_hours = 5.0; };\n");
    CHECK(c, "scenario text");
    signal p, n;
    size_t hours = 3 * 8766;
    CHECK(signal_load(c, "p", NAN, -1e5, 1e5, "EUR/MWh", hours, &p, &err) == 0, "%s", err.msg);
    CHECK(signal_load(c, "n", NAN, -1e5, 1e5, "EUR/MWh", hours, &n, &err) == 0, "%s", err.msg);
    double y0 = 0, y2 = 0, by_hour[24] = {0};
    for (size_t h = 0; h < 8766; h++) {
        y0 += p.base[h];
        y2 += p.base[2 * 8766 + h];
        by_hour[h % 24] += p.base[h];
    }
    int peak = 0;
    for (int k = 1; k < 24; k++)
        if (by_hour[k] > by_hour[peak])
            peak = k;
    /* the trend grows continuously: year 0's mean is 60 x (1.1^1 - 1) / ln 1.1 */
    /* (the seasonal cosine times the growing trend leaves a bias of ~0.1 %) */
    CHECK_NEAR(y0 / 8766, 60 * 0.1 / log(1.1), 0.1, "first year's mean (with the trend inside the year)");
    CHECK_NEAR(y2 / y0, 1.1 * 1.1, 1e-3, "two years of a 10 % trend");
    CHECK(peak == 19, "the daily peak at hour %d, want 19", peak);
    CHECK(!signal_is_random(&p) && signal_is_random(&n), "noise: the profile without it is not random");
    static double buf[3 * 8766];
    sim_rng r = sim_rng_stream(3, 0, 0);
    const double *v = signal_hours(&n, &r, buf);
    double s = 0, s2 = 0, lag = 0;
    for (size_t h = 0; h < hours; h++) {
        s += v[h] - 60;
        s2 += (v[h] - 60) * (v[h] - 60);
        if (h)
            lag += (v[h] - 60) * (v[h - 1] - 60);
    }
    double sd = sqrt(s2 / (double)hours), corr = lag / s2;
    CHECK_NEAR(s / (double)hours, 0, 3, "the noise's mean");
    CHECK_NEAR(sd, 30, 2, "the noise's SD");
    CHECK_NEAR(corr, exp(-1.0 / 5.0), 0.02, "the hour-to-hour correlation");
    signal_free(&p);
    signal_free(&n);
    sim_cfg_free(c);
}

TEST(signal_sunlight_is_zero_at_night_with_its_capacity_factor)
{
    sim_err err;
    sim_cfg *c = cfg_of("s = { mean = 0.25; daylight = true; latitude_deg = 32.0; seasonal_amplitude = 0.2;"
                        " seasonal_peak_day = 172.0; };\n");
    CHECK(c, "scenario text");
    signal s;
    CHECK(signal_load(c, "s", NAN, 0, 1, "capacity factor", 8760, &s, &err) == 0, "%s", err.msg);
    double sum = 0, night = 0, noon_jun = 0, noon_dec = 0;
    for (size_t h = 0; h < 8760; h++) {
        sum += s.base[h];
        size_t hod = h % 24, day = h / 24;
        if (hod < 4 || hod > 21)
            night += s.base[h];
        if (hod == 12 && day == 171)
            noon_jun = s.base[h];
        if (hod == 12 && day == 354)
            noon_dec = s.base[h];
    }
    CHECK_NEAR(sum / 8760, 0.25, 1e-9, "capacity factor");
    CHECK(night == 0, "output at night: %g", night);
    CHECK(noon_jun > noon_dec * 1.3 && noon_jun <= 1.0, "June noon %g vs December %g", noon_jun, noon_dec);
    signal_free(&s);
    sim_cfg_free(c);
}

TEST(signal_files_by_hand_repeated_and_aligned)
{
    char path[600], text[2000];
    snprintf(path, sizeof path, "%s/prices.csv", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f, "cannot write %s", path);
    fputs("timestamp,price,co2\n", f);
    for (int h = 0; h < 8760; h++)
        fprintf(f, "2023-%02d-%02d %02d:00,%d,%d\n", 1, 1, 0, 0, 0); /* placeholder, rewritten below */
    fclose(f);
    /* a real year of timestamps: price = hour of the year, co2 = 2 x that */
    f = fopen(path, "w");
    fputs("timestamp,price,co2\n", f);
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int k = 0;
    for (int m = 0; m < 12; m++)
        for (int d = 1; d <= mdays[m]; d++)
            for (int hh = 0; hh < 24; hh++, k++)
                fprintf(f, "2023-%02d-%02dT%02d:00:00Z,%d,%d\n", m + 1, d, hh, k, 2 * k);
    fclose(f);
    snprintf(text, sizeof text,
             "sim = { start_day_of_year = 32.0; };\n"
             "p = { csv = \"%s\"; column = \"price\"; repeat = \"yearly\"; scale = 0.5; };\n"
             "q = { csv = \"%s\"; column = \"co2\"; };\n", path, path);
    sim_cfg *c = cfg_of(text);
    CHECK(c, "scenario text");
    sim_err err;
    signal p, q;
    CHECK(signal_load(c, "p", NAN, -1e5, 1e5, "EUR/MWh", 2 * 8760, &p, &err) == 0, "%s", err.msg);
    /* day 32 = 1 February: run hour 0 reads row 744 */
    CHECK_NEAR(p.base[0], 0.5 * 744, 0, "run hour 0 (1 February) x scale");
    CHECK_NEAR(p.base[8760 - 744], 0, 0, "the year repeats");
    CHECK(signal_load(c, "q", NAN, -1e5, 1e5, "kg/MWh", 2 * 8760, &q, &err) != 0, "a year was read as two");
    CHECK_STR_CONTAINS(err.msg, "holds 8760 hours and the run needs 17520 from row 744");
    signal_free(&p);
    sim_cfg_free(c);
}

TEST(signal_reads_ercot_solar_as_a_capacity_factor_shape)
{
    /* EIA-930 2022, ERCOT: solar output (MW) scaled to a capacity factor by its annual peak (scale = 1 / peak
     * read here), as a scenario would give it: zero at night, highest around 13:00 local (19:00 UTC). */
    const char *path = "../shared/data/grid-us-2022/ERCO.csv";
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "  (skipped: %s not at hand)\n", path);
        return;
    }
    char text[5000], cwd[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "s = { csv = \"%s/%s\"; column = \"SUN\"; repeat = \"yearly\"; };\n", cwd, path);
    sim_cfg *c = cfg_of(text);
    CHECK(c, "scenario text");
    sim_err err;
    signal s;
    CHECK(signal_load(c, "s", NAN, 0, 1e6, "MW", 8760, &s, &err) == 0, "%s", err.msg);
    double peak = 0, by_utc[24] = {0}, sum = 0;
    for (size_t h = 0; h < 8760; h++) {
        peak = fmax(peak, s.base[h]);
        by_utc[h % 24] += s.base[h];
        sum += s.base[h];
    }
    int top = 0;
    for (int k = 1; k < 24; k++)
        if (by_utc[k] > by_utc[top])
            top = k;
    fprintf(stderr, "  ERCOT 2022 solar: mean / peak %.3f, highest hour %02d UTC\n", sum / 8760 / peak, top);
    CHECK(top >= 18 && top <= 20, "ERCOT's solar peaks at %02d UTC, want about 19 (13:00 CST)", top);
    CHECK(by_utc[8] < 1e-3 * by_utc[top], "ERCOT solar at 02:00 CST: %g", by_utc[8] / 365);
    CHECK_NEAR(sum / 8760 / peak, 0.269, 0.005, "mean over peak, as SOURCES cites it");
    signal_free(&s);
    sim_cfg_free(c);
}

static size_t curtailed_in(const double *cut, size_t from, size_t n)
{
    size_t k = 0;
    for (size_t h = from; h < from + n; h++)
        k += cut[h] > 0;
    return k;
}

TEST(curtailment_years_hold_their_drawn_hours)
{
    sim_err err;
    sim_cfg *c = cfg_of("a = { hours_per_year = 50.0; event_hours = 4.0; };\n"
                        "b = { hours_per_year = { dist = \"lognormal\"; p50 = 40.0; p90 = 120.0; }; event_hours = 3.0; };\n"
                        "d = { peak_price_hours_per_year = 100.0; depth = 0.5; };\n"
                        "e = { price_above = 100.0; };\n");
    CHECK(c, "scenario text");
    size_t n = 4 * 8766;
    curtail_config a, b, d, e;
    CHECK(curtail_load(c, "a", n, &a, &err) == 0 && curtail_load(c, "b", n, &b, &err) == 0 &&
              curtail_load(c, "d", n, &d, &err) == 0 && curtail_load(c, "e", n, &e, &err) == 0,
          "%s", err.msg);
    static double cut[4 * 8766], scratch[4 * 8766], price[4 * 8766];
    sim_rng r = sim_rng_stream(9, 0, 0);
    for (size_t h = 0; h < n; h++)
        price[h] = 50 + 40 * sin((double)h * 0.7) + (double)(h % 97);
    curtail_fill(&a, &r, price, scratch, cut, n, NAN);
    for (int y = 0; y < 4; y++)
        CHECK(curtailed_in(cut, (size_t)y * 8766, 8766) == 50, "year %d: %zu hours, want 50", y,
              curtailed_in(cut, (size_t)y * 8766, 8766));
    /* the lognormal: the mean of yearly hours over 2,000 replications of a year against the law's mean */
    double sum = 0;
    int reps = 2000;
    for (int k = 0; k < reps; k++) {
        curtail_fill(&b, &r, price, scratch, cut, 8766, NAN);
        sum += (double)curtailed_in(cut, 0, 8766);
    }
    double want = sim_dist_mean(&b.hours_per_year);
    CHECK_NEAR(sum / reps, want, 0.05 * want, "mean curtailed hours a year against the distribution's mean");
    curtail_fill(&d, &r, price, scratch, cut, n, NAN);
    double lowest_cut = INFINITY, highest_free = -INFINITY;
    for (size_t h = 0; h < 8766; h++) {
        if (cut[h] > 0)
            lowest_cut = fmin(lowest_cut, price[h]);
        else
            highest_free = fmax(highest_free, price[h]);
    }
    CHECK(curtailed_in(cut, 0, 8766) == 100 && lowest_cut >= highest_free,
          "peak price: %zu hours, lowest curtailed price %g, highest free %g", curtailed_in(cut, 0, 8766), lowest_cut,
          highest_free);
    size_t off_depth = 0;
    for (size_t h = 0; h < n; h++)
        off_depth += cut[h] != 0 && cut[h] != 0.5;
    CHECK(off_depth == 0, "%zu hours cut by something else than the depth 0.5", off_depth);
    curtail_fill(&e, &r, price, scratch, cut, n, NAN);
    size_t above = 0;
    for (size_t h = 0; h < n; h++)
        above += price[h] > 100;
    CHECK(curtailed_in(cut, 0, n) == above, "price above 100: %zu hours curtailed, %zu priced above",
          curtailed_in(cut, 0, n), above);
    curtail_free(&a);
    curtail_free(&b);
    curtail_free(&d);
    curtail_free(&e);
    sim_cfg_free(c);
}

TEST(curtailment_counts_calendar_years_from_the_start_date)
{
    /* 100 hours a year from 2026-07-01: the first calendar year holds 184 of its 365 days, so round(100 x 184 /
     * 365) = 50 hours in its 4,416 hours; 2027 holds 100 in its 8,760, 2028 100 in its 8,784. */
    sim_err err;
    sim_cfg *c = cfg_of("a = { hours_per_year = 100.0; event_hours = 4.0; };\n");
    CHECK(c, "scenario text");
    int64_t start;
    CHECK(sim_date_parse("2026-07-01", &start) == 0, "date");
    size_t n = 4416 + 8760 + 8784;
    curtail_config a;
    CHECK(curtail_load(c, "a", n, &a, &err) == 0, "%s", err.msg);
    static double cut[4416 + 8760 + 8784], scratch[4416 + 8760 + 8784], price[4416 + 8760 + 8784];
    sim_rng r = sim_rng_stream(9, 0, 0);
    curtail_fill(&a, &r, price, scratch, cut, n, (double)start);
    CHECK(curtailed_in(cut, 0, 4416) == 50, "2026 (from July): %zu hours, want 50", curtailed_in(cut, 0, 4416));
    CHECK(curtailed_in(cut, 4416, 8760) == 100, "2027: %zu hours, want 100", curtailed_in(cut, 4416, 8760));
    CHECK(curtailed_in(cut, 4416 + 8760, 8784) == 100, "2028: %zu hours, want 100",
          curtailed_in(cut, 4416 + 8760, 8784));
    curtail_free(&a);
    sim_cfg_free(c);
}

TEST(signal_timestamped_file_starts_at_the_run_start_date)
{
    /* Two years of hours stamped from 1 January 2023, value = row: a run from 1 March 2024 reads row
     * (365 + 31 + 29) x 24 = 10,200 first (2024 is a leap year); one that would run past the file is refused. */
    char path[600], text[2000];
    snprintf(path, sizeof path, "%s/two-years.csv", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f, "cannot write %s", path);
    fputs("timestamp,price\n", f);
    int row = 0;
    for (int y = 2023; y <= 2024; y++) {
        static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (int m = 0; m < 12; m++)
            for (int d = 1; d <= md[m] + (m == 1 && y == 2024); d++)
                for (int h = 0; h < 24; h++)
                    fprintf(f, "%04d-%02d-%02d %02d:00,%d\n", y, m + 1, d, h, row++);
    }
    fclose(f);
    snprintf(text, sizeof text,
             "sim = { start_date = \"2024-03-01\"; start_day_of_year = 61.0; };\n"
             "p = { csv = \"%s\"; column = \"price\"; };\n", path);
    sim_cfg *c = cfg_of(text);
    CHECK(c, "scenario text");
    sim_err err;
    signal p;
    CHECK(signal_load(c, "p", NAN, -1e9, 1e9, "EUR/MWh", 24 * 30, &p, &err) == 0, "%s", err.msg);
    CHECK_NEAR(p.base[0], 10200, 0, "the first hour of the run: 1 March 2024 00:00");
    CHECK_NEAR(p.base[24 * 30 - 1], 10200 + 24 * 30 - 1, 0, "its last hour");
    signal_free(&p);
    CHECK(signal_load(c, "p", NAN, -1e9, 1e9, "EUR/MWh", 24 * 400, &p, &err) != 0, "a run past the file's end was read");
    CHECK_STR_CONTAINS(err.msg, "from sim.start_date 2024-03-01 (row 10200)");
    sim_cfg_free(c);
}

TEST(signal_a_year_of_hours_drives_a_one_year_run)
{
    /* A file of 8,760 hourly prices (no repeat) and a run of 365 days: the run needs exactly those hours
     * (it asked for 8,762); one of 366 days needs one more day and says so. */
    char dir[700], path[800], out[8192];
    snprintf(dir, sizeof dir, "%s/year-file", test_tmpdir());
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/prices.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f, "write %s", path);
    fputs("hour,p\n", f);
    for (int h = 0; h < 8760; h++)
        fprintf(f, "%d,%d\n", h, 40 + h % 24);
    fclose(f);
    char cwd[3000], text[4000];
    CHECK(getcwd(cwd, sizeof cwd), "getcwd");
    snprintf(text, sizeof text, "name = \"year\";\nbase = \"%s/tests/data/small.cfg\";\nsim = { horizon_days = 365.0; };\n"
             "site = { grid = { price_per_mwh = { csv = \"prices.csv\"; column = \"p\"; }; }; };\n", cwd);
    snprintf(path, sizeof path, "%s/year.cfg", dir);
    f = fopen(path, "w");
    CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0, "write %s", path);
    int rc = gigasim_cmd(out, sizeof out, "run %s -n 1 -o %s/out -q", path, dir);
    CHECK(rc == 0, "a year of hours for a year's run: exit %d: %s", rc, out);
    rc = gigasim_cmd(out, sizeof out, "check %s --set sim.horizon_days=366", path);
    CHECK(rc == 1, "366 days on 365 days of hours: exit %d: %s", rc, out);
    CHECK_STR_CONTAINS(out, "holds 8760 hours and the run needs 8784");
}
