/*
 * test: a minimal test harness. TEST(name) defines and registers a test; the
 * CHECK macros print the values they compared when they fail and end the
 * test. The runner (test_main.c) prints one line per failure and closes with
 * "N passed, M failed".
 */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int test_failed_now(void);

#define TEST(name)                                                           \
    static void name(void);                                                  \
    __attribute__((constructor)) static void reg_##name(void) { test_register(#name, name); } \
    static void name(void)

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            test_fail(__FILE__, __LINE__, __VA_ARGS__);                      \
            return;                                                          \
        }                                                                    \
    } while (0)

#define CHECK_NEAR(a, b, tol, what)                                          \
    do {                                                                     \
        double a_ = (a), b_ = (b), t_ = (tol);                               \
        if (!(fabs(a_ - b_) <= t_)) {                                        \
            test_fail(__FILE__, __LINE__, "%s: got %.12g, want %.12g (tolerance %.3g, off by %.3g)", what, a_, b_, t_, fabs(a_ - b_)); \
            return;                                                          \
        }                                                                    \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                      \
    do {                                                                     \
        const char *h_ = (hay), *n_ = (needle);                              \
        if (!h_ || !strstr(h_, n_)) {                                        \
            test_fail(__FILE__, __LINE__, "message \"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
            return;                                                          \
        }                                                                    \
    } while (0)

/* Memory a test hands to the runner: freed after the test, whether it
 * passed or a CHECK ended it early. test_malloc never returns NULL (an
 * allocation failure fails the test run). */
void *test_malloc(size_t n);
void test_defer(void (*fn)(void *), void *p);

/* The Kolmogorov-Smirnov p-value of the sorted sample x against cdf. */
double test_ks_p(const double *x, size_t n, double (*cdf)(const void *, double), const void *ctx, double *d_out);

/* Helpers shared by the tests (test_main.c). */
#include "sim/app.h"
#include "sim/config/cfg.h"

/* Loads scenario text as a file in dir (includes relative to dir), applies
 * --set assignments, loads the site model and checks unknown keys. On error
 * returns NULL with err filled. */
void *load_site(const char *dir, const char *text, const char *const *sets, sim_cfg **cfg_out, sim_err *err);
/* Runs replication rep; metrics and series are malloc'ed (caller frees). */
int run_site(void *model, uint64_t seed, uint64_t rep, double **metrics, double **series, sim_layout *lay, sim_err *err);
/* One replication of a site scenario, with its outputs. */
typedef struct site_run {
    double *mt, *se; /* metrics[M_N], series[n_steps x n_series] */
    sim_layout lay;
} site_run;
/* Runs replication rep of a scenario file (includes relative to its folder)
 * with --set assignments (NULL-terminated, may be NULL). */
int site_run_file(const char *scenario, const char *const *sets, uint64_t seed, uint64_t rep, site_run *r, sim_err *err);
/* The same for tests/data/small_base.inc, the hand-computed site. */
int site_run_small(const char *const *sets, site_run *r, sim_err *err);
void site_run_free(site_run *r);
/* Frees r's arrays when the test ends, however it ends (a failed CHECK
 * returns early): the arrays themselves are deferred, not r, which lives on
 * the test's stack. */
void site_run_defer(const site_run *r);
double site_series(const site_run *r, size_t step, size_t col);

/* Path of the gigasim binary (env GIGASIM, else build/gigasim). */
const char *gigasim_bin(void);
/* Runs a shell command, returns its exit status; output captured to out (may be NULL). */
int run_cmd(const char *cmd, char *out, size_t out_len);
char *read_text(const char *path);
/* Writes text into dir/name (dir made if need be); 0 or -1. */
int put_file(const char *dir, const char *name, const char *text);
/* Runs "gigasim ARGS 2>&1" (ARGS from fmt); returns the exit status, the
 * output in out. */
int gigasim_cmd(char *out, size_t out_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A fresh directory under /tmp for this test run (made once). */
const char *test_tmpdir(void);
/* Parses a JSON file; NULL if it cannot be read or parsed. */
struct cJSON *test_read_json(const char *path);

/* The browser for the report tests (test_report.c): $CHROMIUM or Debian's
 * chromium, NULL when there is none. */
const char *report_chromium(void);
/* DIR/report.html rendered in it: at least min_figures figures, each with a
 * size, no console message, key_text on the page (a failed CHECK otherwise). */
void report_check_rendered(const char *dir, const char *key_text, int min_figures);
/* The same with every text of texts (NULL-terminated) on the rendered page. */
void report_check_rendered_all(const char *dir, const char *const *texts, int min_figures);

#endif
