#include "sim/config/inputs.h"

#include <stdbool.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_inputs {
    pthread_mutex_t lock;
    int refs;
    sim_input **files; /* sorted by path */
    size_t n, cap;
    char **notes; /* what was read from them, a line each (sim_inputs_note) */
    size_t n_notes, cap_notes;
};

sim_inputs *sim_inputs_new(sim_err *err)
{
    sim_inputs *in = sim_calloc(1, sizeof *in, err);
    if (!in) {
        sim_err_oom_for(err, "the job's input files");
        return NULL;
    }
    pthread_mutex_init(&in->lock, NULL);
    in->refs = 1;
    return in;
}

sim_inputs *sim_inputs_ref(sim_inputs *in)
{
    pthread_mutex_lock(&in->lock);
    in->refs++;
    pthread_mutex_unlock(&in->lock);
    return in;
}

void sim_inputs_unref(sim_inputs *in)
{
    if (!in)
        return;
    pthread_mutex_lock(&in->lock);
    int left = --in->refs;
    pthread_mutex_unlock(&in->lock);
    if (left > 0)
        return;
    for (size_t i = 0; i < in->n; i++) {
        free(in->files[i]->path);
        free(in->files[i]->real);
        free(in->files[i]->text);
        free(in->files[i]);
    }
    free(in->files);
    for (size_t i = 0; i < in->n_notes; i++)
        free(in->notes[i]);
    free(in->notes);
    pthread_mutex_destroy(&in->lock);
    free(in);
}

/* The index of path in the sorted list, or where it would go (*found). */
static size_t find(const sim_inputs *in, const char *path, int *found)
{
    size_t lo = 0, hi = in->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(in->files[mid]->path, path);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

const sim_input *sim_inputs_read(sim_inputs *in, const char *path, size_t max_bytes, const char *kind,
                                 const char *what, sim_err *err)
{
    pthread_mutex_lock(&in->lock);
    int found;
    size_t at = find(in, path, &found);
    sim_input *f = found ? in->files[at] : NULL;
    if (f && f->len > max_bytes) {
        sim_errf(err, "%s: %zu bytes: a %s may have at most %zu MiB", what ? what : path, f->len, kind,
                 max_bytes >> 20);
        f = NULL;
    } else if (!f) {
        size_t len;
        char *text = sim_read_regular(path, max_bytes, kind, what, &len, err);
        f = text ? sim_calloc(1, sizeof *f, err) : NULL;
        char *p = f ? sim_strdup(path, err) : NULL, real[PATH_MAX];
        char *r = p ? sim_strdup(realpath(path, real) ? real : path, err) : NULL;
        if (r && sim_grow((void **)&in->files, &in->cap, in->n + 1, sizeof *in->files, err) == 0) {
            f->path = p;
            f->real = r;
            f->text = text;
            f->len = len;
            sim_sha256_of(text, len, f->sha256);
            memmove(in->files + at + 1, in->files + at, (in->n - at) * sizeof *in->files);
            in->files[at] = f;
            in->n++;
        } else {
            if (text)
                sim_err_oom_for(err, "keeping %s", what ? what : path);
            free(p);
            free(r);
            free(f);
            free(text);
            f = NULL;
        }
    }
    pthread_mutex_unlock(&in->lock);
    return f;
}

const sim_input *sim_inputs_find(sim_inputs *in, const char *path)
{
    pthread_mutex_lock(&in->lock);
    int found;
    size_t at = find(in, path, &found);
    const sim_input *f = found ? in->files[at] : NULL;
    pthread_mutex_unlock(&in->lock);
    return f;
}

size_t sim_inputs_count(sim_inputs *in)
{
    pthread_mutex_lock(&in->lock);
    size_t n = in->n;
    pthread_mutex_unlock(&in->lock);
    return n;
}

const sim_input *sim_inputs_at(sim_inputs *in, size_t i)
{
    pthread_mutex_lock(&in->lock);
    const sim_input *f = i < in->n ? in->files[i] : NULL;
    pthread_mutex_unlock(&in->lock);
    return f;
}

/* A growing text. */
typedef struct text {
    char *s;
    size_t len, cap;
    int bad;
} text;

static void add(text *t, const char *s, size_t n, sim_err *err)
{
    if (t->bad || sim_grow((void **)&t->s, &t->cap, t->len + n + 1, 1, err)) {
        t->bad = 1;
        return;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static int cmp_line(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x + 66, y + 66); /* by path, after "SHA256  " */
}

char *sim_manifest_of(const char *resolved, size_t len, const char *const *files, size_t n, size_t *n_out,
                      sim_err *err)
{
    text t = {0};
    char head[96];
    int k = snprintf(head, sizeof head, "gigasim job 1\nresolved scenario, %zu bytes\n", len);
    add(&t, head, (size_t)k, err);
    add(&t, resolved, len, err);
    add(&t, "\nfiles read\n", 12, err);
    for (size_t i = 0; i < n; i++) {
        add(&t, files[i], strlen(files[i]), err);
        add(&t, "\n", 1, err);
    }
    if (t.bad) {
        free(t.s);
        sim_err_oom_for(err, "the job's manifest");
        return NULL;
    }
    *n_out = t.len;
    return t.s;
}

char *sim_inputs_manifest(sim_inputs *in, const char *resolved, size_t len, size_t *n_out, sim_err *err)
{
    pthread_mutex_lock(&in->lock);
    size_t n = in->n;
    char **lines = sim_calloc(n ? n : 1, sizeof *lines, err);
    int bad = !lines;
    for (size_t i = 0; i < n && !bad; i++) {
        const sim_input *f = in->files[i];
        size_t l = strlen(f->real) + 67;
        lines[i] = sim_alloc(l, err);
        bad = !lines[i];
        if (!bad) {
            sim_sha256_hex(f->sha256, lines[i]);
            snprintf(lines[i] + 64, l - 64, "  %s", f->real);
        }
    }
    pthread_mutex_unlock(&in->lock);
    char *m = NULL;
    if (!bad) {
        qsort(lines, n, sizeof *lines, cmp_line);
        m = sim_manifest_of(resolved, len, (const char *const *)lines, n, n_out, err);
    } else
        sim_err_oom_for(err, "the job's manifest");
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
    return m;
}

/* The resolved scenario and the file lines of a manifest. */
static int split(const char *m, const char **res, size_t *res_len, const char **files)
{
    size_t len;
    const char *p = strstr(m, "resolved scenario, ");
    if (!p || sscanf(p, "resolved scenario, %zu bytes", &len) != 1)
        return -1;
    p = strchr(p, '\n');
    if (!p || strlen(p + 1) < len)
        return -1;
    *res = p + 1;
    *res_len = len;
    p = strstr(p + 1 + len, "\nfiles read\n");
    if (!p)
        return -1;
    *files = p + 12;
    return 0;
}

/* The next "SHA256  PATH" line at *p: 1 with sha and path, 0 at the end. */
static int file_line(const char **p, char sha[65], char *path, size_t n)
{
    size_t k = strcspn(*p, "\n");
    if (k == 0)
        return 0;
    snprintf(sha, 65, "%.64s", *p);
    snprintf(path, n, "%.*s", (int)(k > 66 ? k - 66 : 0), *p + (k > 66 ? 66 : k));
    *p += k + ((*p)[k] == '\n');
    return 1;
}

void sim_manifest_difference(const char *a, const char *name_a, const char *b, const char *name_b, char *out, size_t n)
{
    const char *ra, *rb, *fa, *fb;
    size_t la, lb;
    out[0] = '\0';
    if (split(a, &ra, &la, &fa) || split(b, &rb, &lb, &fb)) {
        snprintf(out, n, "one of them is not a gigasim job's manifest");
        return;
    }
    /* the files: both lists sorted by path */
    char pa[PATH_MAX + 8], pb[PATH_MAX + 8], sa[65], sb[65];
    int ha = file_line(&fa, sa, pa, sizeof pa), hb = file_line(&fb, sb, pb, sizeof pb);
    while (ha || hb) {
        int c = !ha ? 1 : !hb ? -1 : strcmp(pa, pb);
        if (c == 0 && strcmp(sa, sb)) {
            snprintf(out, n, "%s holds other bytes for %s (SHA-256 %.12s...) than for %s (%.12s...)", pa, name_a, sa,
                     name_b, sb);
            return;
        }
        if (c) {
            snprintf(out, n, "%s was read by %s only", c < 0 ? pa : pb, c < 0 ? name_a : name_b);
            return;
        }
        ha = file_line(&fa, sa, pa, sizeof pa);
        hb = file_line(&fb, sb, pb, sizeof pb);
    }
    /* the resolved scenarios, line by line */
    size_t ia = 0, ib = 0;
    for (int line = 1; ia < la || ib < lb; line++) {
        size_t ka = 0, kb = 0;
        while (ia + ka < la && ra[ia + ka] != '\n')
            ka++;
        while (ib + kb < lb && rb[ib + kb] != '\n')
            kb++;
        if (ka != kb || memcmp(ra + ia, rb + ib, ka) != 0) {
            snprintf(out, n, "their resolved scenarios differ at line %d: '%.*s' in %s, '%.*s' in %s", line,
                     (int)(ka < 200 ? ka : 200), ra + ia, name_a, (int)(kb < 200 ? kb : 200), rb + ib, name_b);
            return;
        }
        ia += ka + 1;
        ib += kb + 1;
    }
}

void sim_inputs_note(sim_inputs *in, const char *line)
{
    pthread_mutex_lock(&in->lock);
    bool seen = false;
    for (size_t i = 0; i < in->n_notes && !seen; i++)
        seen = !strcmp(in->notes[i], line);
    char *copy = seen ? NULL : sim_strdup(line, NULL);
    if (copy && sim_grow((void **)&in->notes, &in->cap_notes, in->n_notes + 1, sizeof *in->notes, NULL) == 0)
        in->notes[in->n_notes++] = copy;
    else
        free(copy);
    pthread_mutex_unlock(&in->lock);
}

size_t sim_inputs_n_notes(sim_inputs *in) { return in ? in->n_notes : 0; }

const char *sim_inputs_note_at(sim_inputs *in, size_t i) { return i < in->n_notes ? in->notes[i] : ""; }
