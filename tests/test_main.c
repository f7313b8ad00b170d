#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/site/site.h"
#include "test.h"

#define MAX_TESTS 512

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static int cur_failed;

void test_register(const char *name, test_fn fn)
{
    if (n_tests < MAX_TESTS)
    {
        tests[n_tests].name = name;
        tests[n_tests++].fn = fn;
    }
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stdout, "  %s:%d: ", file, line);
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    cur_failed = 1;
}

int test_failed_now(void) { return cur_failed; }

#define MAX_DEFERRED 256
static struct {
    void (*fn)(void *);
    void *p;
} deferred[MAX_DEFERRED];
static int n_deferred;

void test_defer(void (*fn)(void *), void *p)
{
    if (n_deferred == MAX_DEFERRED) {
        fprintf(stdout, "test_defer: more than %d deferred frees in one test\n", MAX_DEFERRED);
        exit(3);
    }
    deferred[n_deferred].fn = fn;
    deferred[n_deferred++].p = p;
}

void *test_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stdout, "test_malloc: out of memory (%zu bytes)\n", n);
        exit(3);
    }
    test_defer(free, p);
    return p;
}

/* The Kolmogorov-Smirnov p-value of sorted x against cdf (the asymptotic
 * law with Stephens' small-sample correction; Numerical Recipes 14.3). */
double test_ks_p(const double *x, size_t n, double (*cdf)(const void *, double), const void *ctx, double *d_out)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(ctx, x[i]);
        double a = fabs(f - (double)i / (double)n), b = fabs((double)(i + 1) / (double)n - f);
        d = fmax(d, fmax(a, b));
    }
    *d_out = d;
    double sn = sqrt((double)n), lam = (sn + 0.12 + 0.11 / sn) * d, sum = 0, sign = 1;
    for (int j = 1; j <= 100; j++) {
        double term = sign * 2.0 * exp(-2.0 * j * j * lam * lam);
        sum += term;
        if (fabs(term) < 1e-12)
            break;
        sign = -sign;
    }
    return fmin(fmax(sum, 0.0), 1.0);
}

static void run_deferred(void)
{
    while (n_deferred > 0) {
        n_deferred--;
        deferred[n_deferred].fn(deferred[n_deferred].p);
    }
}

const char *gigasim_bin(void)
{
    const char *b = getenv("GIGASIM");
    return b && *b ? b : "build/gigasim";
}

int run_cmd(const char *cmd, char *out, size_t out_len)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = 0;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, p)) > 0) {
        if (out && n + 1 < out_len) {
            size_t c = k < out_len - 1 - n ? k : out_len - 1 - n;
            memcpy(out + n, buf, c);
            n += c;
        }
    }
    if (out && out_len)
        out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int gigasim_cmd(char *out, size_t out_len, const char *fmt, ...)
{
    char args[3072], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", gigasim_bin(), args);
    return run_cmd(cmd, out, out_len);
}

int put_file(const char *dir, const char *name, const char *text)
{
    char path[1200];
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = malloc((size_t)n + 1);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) {
        free(t);
        t = NULL;
    }
    if (t)
        t[n] = '\0';
    fclose(f);
    return t;
}

void *load_site(const char *dir, const char *text, const char *const *sets, sim_cfg **cfg_out, sim_err *err)
{
    char name[512];
    snprintf(name, sizeof name, "%s/test-scenario.cfg", dir);
    sim_cfg *cfg = sim_cfg_load_string(text, name, dir, err);
    if (!cfg)
        return NULL;
    for (; sets && *sets; sets++)
        if (sim_cfg_set(cfg, *sets, err)) {
            sim_cfg_free(cfg);
            return NULL;
        }
    const char *nm;
    long long x;
    if (sim_cfg_str(cfg, "name", NULL, &nm, err) || sim_cfg_int(cfg, "sim.seed", 1, 0, 1LL << 62, &x, err) ||
        sim_cfg_int(cfg, "sim.replications", 1, 1, 1000000, &x, err)) {
        sim_cfg_free(cfg);
        return NULL;
    }
    void *m = site_app.load(cfg, err);
    if (!m || sim_cfg_check_unused(cfg, err)) {
        if (m)
            site_app.free(m);
        sim_cfg_free(cfg);
        return NULL;
    }
    if (cfg_out)
        *cfg_out = cfg;
    else
        sim_cfg_free(cfg);
    return m;
}

int run_site(void *model, uint64_t seed, uint64_t rep, double **metrics, double **series, sim_layout *lay, sim_err *err)
{
    site_app.layout(model, lay);
    *metrics = calloc(lay->n_metrics, sizeof(double));
    *series = calloc(lay->n_steps * lay->n_series, sizeof(double));
    if (!*metrics || !*series)
        return sim_errf(err, "out of memory");
    return site_app.run(model, seed, rep, *metrics, *series, NULL, err);
}

int site_run_file(const char *scenario, const char *const *sets, uint64_t seed, uint64_t rep, site_run *r, sim_err *err)
{
    memset(r, 0, sizeof *r);
    char *text = read_text(scenario);
    if (!text)
        return sim_errf(err, "cannot read %s", scenario);
    char dir[512];
    const char *slash = strrchr(scenario, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - scenario) : 1, slash ? scenario : ".");
    void *m = load_site(dir, text, sets, NULL, err);
    free(text);
    if (!m)
        return -1;
    int rc = run_site(m, seed, rep, &r->mt, &r->se, &r->lay, err);
    site_app.free(m);
    if (rc)
        site_run_free(r);
    return rc;
}

int site_run_small(const char *const *sets, site_run *r, sim_err *err)
{
    memset(r, 0, sizeof *r);
    void *m = load_site("tests/data", "@include \"small_base.inc\"\n", sets, NULL, err);
    if (!m)
        return -1;
    int rc = run_site(m, 1, 0, &r->mt, &r->se, &r->lay, err);
    site_app.free(m);
    if (rc)
        site_run_free(r);
    return rc;
}

void site_run_defer(const site_run *r)
{
    test_defer(free, r->mt);
    test_defer(free, r->se);
}

void site_run_free(site_run *r)
{
    free(r->mt);
    free(r->se);
    r->mt = r->se = NULL;
}

double site_series(const site_run *r, size_t step, size_t col)
{
    return r->se[step * r->lay.n_series + col];
}

const char *test_tmpdir(void)
{
    static char root[256];
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/gigasim-test-XXXXXX");
        if (!mkdtemp(root))
            snprintf(root, sizeof root, "/tmp");
    }
    return root;
}

cJSON *test_read_json(const char *path)
{
    char *text = read_text(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    return root;
}

/* A test that hangs fails the run, named, instead of holding CI until its
 * time limit (the slowest test takes well under a minute, even under ASan). */
#ifndef TEST_TIMEOUT_S
#define TEST_TIMEOUT_S 600
#endif
#define STR_(x) #x
#define STR(x) STR_(x)
static const char *volatile running_test;

static void on_timeout(int sig)
{
    (void)sig;
    const char *name = running_test ? running_test : "?";
    static const char msg[] = "TIMEOUT after " STR(TEST_TIMEOUT_S) " s: ";
    ssize_t w = write(STDOUT_FILENO, msg, sizeof msg - 1);
    w = write(STDOUT_FILENO, name, strlen(name));
    w = write(STDOUT_FILENO, "\n", 1);
    (void)w;
    _exit(1);
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    const char *only = argc > 1 ? argv[1] : NULL;
    signal(SIGALRM, on_timeout);
    for (int i = 0; i < n_tests; i++) {
        if (only && !strstr(tests[i].name, only))
            continue;
        cur_failed = 0;
        running_test = tests[i].name;
        alarm(TEST_TIMEOUT_S);
        tests[i].fn();
        alarm(0);
        run_deferred();
        if (cur_failed) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else {
            printf("ok   %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
