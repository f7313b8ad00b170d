#include "sim/core/util.h"

#include <math.h>

#include "source_dir.h" /* GIGASIM_SOURCE_DIR, written by the Makefile */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

int sim_errf(sim_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sim_err_prefix(sim_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[SIM_ERR_LEN];
    char old[SIM_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t np = strlen(prefix), no = strlen(old);
    if (np > sizeof err->msg - 3)
        np = sizeof err->msg - 3;
    memcpy(err->msg, prefix, np);
    memcpy(err->msg + np, ": ", 2);
    if (no > sizeof err->msg - np - 3)
        no = sizeof err->msg - np - 3;
    memcpy(err->msg + np + 2, old, no);
    err->msg[np + 2 + no] = '\0';
    return -1;
}

static _Thread_local long fail_countdown, alloc_count;

void sim_alloc_fail_at(long n)
{
    fail_countdown = n;
}

long sim_alloc_count(void)
{
    return alloc_count;
}

/* Whether this allocation is the one a test asked to fail. */
static int injected_failure(void)
{
    alloc_count++;
    return fail_countdown > 0 && --fail_countdown == 0;
}

int sim_err_oom_for(sim_err *err, const char *fmt, ...)
{
    if (!err || strncmp(err->msg, "out of memory allocating ", 25) || strstr(err->msg, " bytes for "))
        return -1;
    size_t n = strlen(err->msg);
    if (n + 5 >= sizeof err->msg)
        return -1;
    memcpy(err->msg + n, " for ", 5);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n + 5, sizeof err->msg - n - 5, fmt, ap);
    va_end(ap);
    return -1;
}

void *sim_alloc(size_t n_bytes, sim_err *err)
{
    void *p = injected_failure() ? NULL : malloc(n_bytes ? n_bytes : 1);
    if (!p)
        sim_errf(err, "out of memory allocating %zu bytes", n_bytes);
    return p;
}

void *sim_calloc(size_t n_items, size_t item_bytes, sim_err *err)
{
    if (item_bytes && n_items > SIZE_MAX / item_bytes) {
        sim_errf(err, "allocation of %zu x %zu bytes overflows", n_items, item_bytes);
        return NULL;
    }
    void *p = injected_failure() ? NULL : calloc(n_items ? n_items : 1, item_bytes ? item_bytes : 1);
    if (!p)
        sim_errf(err, "out of memory allocating %zu bytes", n_items * item_bytes);
    return p;
}

void *sim_realloc(void *p, size_t n_bytes, sim_err *err)
{
    void *q = injected_failure() ? NULL : realloc(p, n_bytes ? n_bytes : 1);
    if (!q)
        sim_errf(err, "out of memory allocating %zu bytes", n_bytes);
    return q;
}

void *sim_aligned_alloc(size_t align, size_t n_bytes, sim_err *err)
{
    size_t n = ((n_bytes ? n_bytes : 1) + align - 1) / align * align; /* a multiple of the alignment (C11) */
    void *p = injected_failure() ? NULL : aligned_alloc(align, n);
    if (!p) {
        sim_errf(err, "out of memory allocating %zu bytes", n_bytes);
        return NULL;
    }
    memset(p, 0, n);
    return p;
}

char *sim_strdup(const char *s, sim_err *err)
{
    size_t n = strlen(s) + 1;
    char *d = sim_alloc(n, err);
    if (d)
        memcpy(d, s, n);
    return d;
}

int sim_grow(void **p, size_t *cap, size_t need, size_t item_bytes, sim_err *err)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / item_bytes)
            return sim_errf(err, "array of %zu items of %zu bytes is too large", need, item_bytes);
        ncap *= 2;
    }
    void *q = sim_realloc(*p, ncap * item_bytes, err);
    if (!q)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

/* Edit distance of a and b, giving up (returning limit + 1) past limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 256 || lb > 256 || (la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (up + 1 < v)
                v = up + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

const char *sim_closest(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word), limit = len / 3 > 2 ? len / 3 : 2, best_d = limit + 1;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i] || !strcmp(cands[i], word))
            continue;
        size_t d = edit_distance(word, cands[i], limit);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int sim_find_data_dir(const char *argv0, const char *name, const char *env_var, char *out, size_t n)
{
    const char *env = env_var ? getenv(env_var) : NULL;
    if (env && *env) { /* the user's explicit choice */
        if (!realpath(env, out) || strlen(out) >= n)
            return -1;
        return is_dir(out) ? 0 : -1;
    }
    char exe[PATH_MAX - 64];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0)
        exe[k] = '\0';
    else if (!argv0 || !strchr(argv0, '/') || !realpath(argv0, exe))
        return -1; /* where the binary is cannot be known: nothing is searched for elsewhere */
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    /* installed: PREFIX/bin/gigasim beside PREFIX/share/gigasim */
    char cand[PATH_MAX + 64];
    snprintf(cand, sizeof cand, "%s/../share/gigasim/%s", exe, name);
    if (is_dir(cand) && realpath(cand, out) && strlen(out) < n)
        return 0;
    /* the build tree: a binary that lives in the source tree it was built in (build/gigasim,
     * build/mpi/gigasim), not a copy of it elsewhere */
    size_t sl = strlen(GIGASIM_SOURCE_DIR);
    if (sl > 0 && !strncmp(exe, GIGASIM_SOURCE_DIR, sl) && exe[sl] == '/') {
        snprintf(cand, sizeof cand, "%s/%s", GIGASIM_SOURCE_DIR, name);
        if (is_dir(cand) && realpath(cand, out) && strlen(out) < n)
            return 0;
    }
    return -1;
}

char *sim_read_regular(const char *path, size_t max_bytes, const char *kind, const char *what, size_t *len_out,
                       sim_err *err)
{
    what = what ? what : path;
    /* O_NONBLOCK: opening a FIFO never waits for a writer; it is refused below */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        sim_errf(err, "%s: cannot open: %s", what, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        sim_errf(err, "%s: not a %s (a directory, a device or a pipe)", what, kind);
        return NULL;
    }
    if ((uint64_t)st.st_size > max_bytes) {
        close(fd);
        sim_errf(err, "%s: %lld bytes: a %s may have at most %zu MiB", what, (long long)st.st_size, kind,
                 max_bytes >> 20);
        return NULL;
    }
    char *text = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (sim_grow((void **)&text, &cap, len + 65536 + 1, 1, err)) {
            close(fd);
            free(text);
            sim_err_oom_for(err, "the text of %s", what);
            return NULL;
        }
        ssize_t k = read(fd, text + len, 65536);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            free(text);
            sim_errf(err, "%s: cannot read: %s", what, strerror(e));
            return NULL;
        }
        if (k == 0)
            break;
        len += (size_t)k;
        if (len > max_bytes) { /* grew while read */
            close(fd);
            free(text);
            sim_errf(err, "%s: more than %zu MiB: a %s may have at most %zu MiB", what, max_bytes >> 20, kind,
                     max_bytes >> 20);
            return NULL;
        }
    }
    close(fd);
    text[len] = '\0';
    if (len_out)
        *len_out = len;
    return text;
}

FILE *sim_create_file(const char *path, sim_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        sim_errf(err, "%s: cannot create: %s", path, strerror(e));
        errno = e;
    }
    return f;
}

char *sim_read_file(const char *path, size_t *len_out, sim_err *err)
{
    return sim_read_regular(path, (size_t)SIM_READ_MAX_BYTES, "regular file", path, len_out, err);
}

int sim_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int sim_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void sim_fmt_grouped(char *b, size_t n, double v)
{
    char raw[40], out[64];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t l = strlen(raw), o = 0;
    if (v <= -0.5)
        out[o++] = '-';
    for (size_t i = 0; i < l && o + 2 < sizeof out; i++) {
        if (i && (l - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = raw[i];
    }
    out[o] = '\0';
    snprintf(b, n, "%s", out);
}

void sim_fmt_amount(char *b, size_t n, double v)
{
    double a = fabs(v);
    const char *sign = v < 0 ? "-" : "";
    if (!isfinite(v))
        snprintf(b, n, "n/a");
    else if (a >= 1e9)
        snprintf(b, n, "%s%.3g bn", sign, a / 1e9);
    else if (a >= 1e6)
        snprintf(b, n, "%s%.3g M", sign, a / 1e6);
    else if (a >= 1e4)
        sim_fmt_grouped(b, n, v);
    else
        snprintf(b, n, "%s%.3g", sign, a);
}
