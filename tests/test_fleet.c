/* fleet (models/buildout/fleet.h): the fleet-level draw of hardware
 * replacements against one clock per unit (the model it replaces), by
 * two-sample Kolmogorov-Smirnov tests on the laws of the units down and the
 * failures; the chance of a first failure against Databricks' 57 %; the
 * units down without spares against the alternating renewal law (the
 * M/G/infinity law with spares is held on a site in test_racks.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/buildout/fleet.h"
#include "test.h"

typedef struct fleet_out {
    double failures, unit_days_down, down_at_end;
} fleet_out;

static void ignore_change(void *ctx, size_t cls, double units, double now)
{
    (void)ctx, (void)cls, (void)units, (void)now;
}

/* n units of one class enter service at 0 with `spares` spares (the
 * fraction spares / n), run to t_end with the fleet's draw. */
static int fleet_run(long long n, double rate, const sim_dist *repair, double spares, double t_end, uint64_t rep,
                     fleet_out *out)
{
    sim_err err;
    sim_engine_opts o = {.seed = 7, .replication = rep};
    sim_engine *eng = sim_engine_new(&o, &err);
    if (!eng)
        return -1;
    fleet_class c = {.pool = 0, .fail_per_unit_day = rate, .repair_days = repair};
    fleet_deps d = {.n_classes = 1, .n_pools = 1, .classes = &c, .spare_fraction = spares / (double)n,
                    .on_change = ignore_change};
    fleet *fl = fleet_start(&d, eng, &err);
    int rc = -1;
    if (fl) {
        fleet_accept(fl, 0, n, 0.0);
        rc = sim_run(eng, t_end, &err);
        fleet_stats st;
        fleet_finish(fl, t_end, &st);
        out->failures = st.failures;
        out->unit_days_down = st.unit_days_down;
        out->down_at_end = fleet_units_down(fl);
        fleet_free(fl);
    }
    sim_engine_free(eng);
    return rc;
}

/* The same with one clock per unit in service: a failed unit goes to
 * repair, a spare takes its slot while any is on the shelf, else the slot
 * is empty until a repaired unit comes back (to the slot empty longest). */
static void per_unit_run(int n, double rate, const sim_dist *repair, int spares, double t_end, uint64_t rep,
                         fleet_out *out)
{
    sim_rng r = sim_rng_stream(11, rep, 5);
    double next[64], back[256]; /* each slot's next failure (INFINITY: empty); repairs due */
    int n_back = 0, shelf = spares, empty_fifo[64], e_head = 0, e_tail = 0;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++)
        next[i] = sim_rng_exponential(&r) / rate;
    double now = 0, down = 0;
    for (;;) {
        int s = 0, b = -1;
        for (int i = 1; i < n; i++)
            if (next[i] < next[s])
                s = i;
        for (int k = 0; k < n_back; k++)
            if (b < 0 || back[k] < back[b])
                b = k;
        double t = b >= 0 && back[b] < next[s] ? back[b] : next[s];
        if (t > t_end)
            break;
        out->unit_days_down += down * (t - now);
        now = t;
        if (b >= 0 && back[b] == t) { /* a repair returns */
            back[b] = back[--n_back];
            if (e_head < e_tail) {
                int slot = empty_fifo[e_head++ % 64];
                next[slot] = now + sim_rng_exponential(&r) / rate;
                down--;
            } else {
                shelf++;
            }
        } else { /* slot s fails */
            out->failures++;
            double d = sim_dist_sample(repair, &r);
            back[n_back++] = now + (d > 0 ? d : 0);
            if (shelf > 0) {
                shelf--;
                next[s] = now + sim_rng_exponential(&r) / rate;
            } else {
                next[s] = INFINITY;
                empty_fifo[e_tail++ % 64] = s;
                down++;
            }
        }
    }
    out->unit_days_down += down * (t_end - now);
    out->down_at_end = down;
}

/* Two-sample Kolmogorov-Smirnov statistic of equal-sized samples (ties
 * handled: the step is taken after every equal value). */
static double ks_two_sample(double *a, double *b, size_t n)
{
    qsort(a, n, sizeof *a, sim_cmp_double);
    qsort(b, n, sizeof *b, sim_cmp_double);
    size_t i = 0, j = 0;
    double d = 0;
    while (i < n && j < n) {
        double v = a[i] < b[j] ? a[i] : b[j];
        while (i < n && a[i] == v)
            i++;
        while (j < n && b[j] == v)
            j++;
        double gap = fabs((double)i / (double)n - (double)j / (double)n);
        if (gap > d)
            d = gap;
    }
    return d;
}

#define KS_N 600

TEST(fleet_draw_has_the_law_of_one_clock_per_unit)
{
    /* 40 units failing at 0.05 a day, lognormal repairs (p50 3, p90 8
     * days: mean ~3.9), 4 spares: ~7.8 units in repair on average, so the
     * spares run out often. 600 replications of 200 days each way; the
     * 0.1 % critical value of the two-sample KS statistic is
     * 1.949 sqrt(2 / 600) = 0.113. */
    static double a[3][KS_N], b[3][KS_N];
    sim_dist rep = sim_dist_lognormal_p50_p90(3.0, 8.0);
    for (size_t k = 0; k < KS_N; k++) {
        fleet_out f, u;
        CHECK(fleet_run(40, 0.05, &rep, 4, 200.0, k, &f) == 0, "the fleet's run %zu failed", k);
        per_unit_run(40, 0.05, &rep, 4, 200.0, k, &u);
        a[0][k] = f.unit_days_down, b[0][k] = u.unit_days_down;
        a[1][k] = f.failures, b[1][k] = u.failures;
        a[2][k] = f.down_at_end, b[2][k] = u.down_at_end;
    }
    static const char *const what[3] = {"unit-days down", "failures", "units down at the end"};
    double crit = 1.949 * sqrt(2.0 / KS_N);
    for (int m = 0; m < 3; m++) {
        double ma = 0, mb = 0;
        for (size_t k = 0; k < KS_N; k++)
            ma += a[m][k] / KS_N, mb += b[m][k] / KS_N;
        double d = ks_two_sample(a[m], b[m], KS_N);
        fprintf(stderr, "  %-22s mean fleet %.3f, per unit %.3f; KS D = %.4f (0.1 %% critical %.3f)\n", what[m], ma,
                mb, d, crit);
        CHECK(d < crit, "%s: KS D = %.4f >= %.3f (means %.3f and %.3f)", what[m], d, crit, ma, mb);
    }
}

TEST(fleet_first_failure_of_a_1024_gpu_job_is_databricks_57_percent)
{
    /* [FAIL-DATABRICKS]: 1 % a year per GPU (2.7e-5 a GPU-day); 1,024 GPUs
     * (128 units of 8) over 30 days: P(at least one) = 1 - exp(-2.75e-5 x
     * 1,024 x 30) = 0.57. 2,000 runs: sd of the share 0.011. */
    sim_dist rep = sim_dist_constant(2.0);
    int hit = 0, n = 2000;
    for (int k = 0; k < n; k++) {
        fleet_out f;
        CHECK(fleet_run(128, 2.75e-5 * 8, &rep, 8, 30.0, (uint64_t)k, &f) == 0, "run %d failed", k);
        hit += f.failures > 0;
    }
    double p = (double)hit / n, want = 1.0 - exp(-2.75e-5 * 1024 * 30);
    fprintf(stderr, "  P(a hardware failure in 30 days on 1,024 GPUs) = %.3f (Databricks 0.57; exact %.3f)\n", p, want);
    CHECK_NEAR(p, 0.57, 4 * 0.011, "P(at least one hardware failure)");
}

TEST(fleet_without_spares_each_unit_alternates)
{
    /* No spares: every unit in repair is down and does not fail, so each
     * unit alternates Exp(mean 50 days) up and 5 days down, and the units
     * down average 100 x 5 / 55 = 9.09 in the long run (from day 0, empty,
     * a little less over the first repair time). */
    sim_dist rep = sim_dist_constant(5.0);
    double sum = 0;
    int n = 200;
    for (int k = 0; k < n; k++) {
        fleet_out f;
        CHECK(fleet_run(100, 0.02, &rep, 0, 400.0, (uint64_t)k, &f) == 0, "run %d failed", k);
        sum += f.unit_days_down / 400.0;
    }
    double mean = sum / n;
    fprintf(stderr, "  units down, time average %.3f (alternating renewal: %.3f)\n", mean, 100 * 5.0 / 55.0);
    CHECK_NEAR(mean, 100 * 5.0 / 55.0, 0.15, "units down (time average from day 0: the start is empty)");
}
