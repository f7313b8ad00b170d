#include "inputs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct sim_inputs {
    pthread_mutex_t lock;
    int refs;
    sim_input **files; /* sorted by path */
    size_t n, cap;
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
        free(in->files[i]->text);
        free(in->files[i]);
    }
    free(in->files);
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
        char *p = f ? sim_strdup(path, err) : NULL;
        if (p && sim_grow((void **)&in->files, &in->cap, in->n + 1, sizeof *in->files, err) == 0) {
            f->path = p;
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

void sim_inputs_identity(sim_inputs *in, const char *resolved, size_t len, unsigned char out[SIM_SHA256_BYTES])
{
    static const char head[] = "gigasim job identity 1\nresolved scenario\n";
    sim_sha256 s;
    sim_sha256_init(&s);
    sim_sha256_update(&s, head, sizeof head - 1);
    sim_sha256_update(&s, resolved, len);
    sim_sha256_update(&s, "\nfiles read\n", 12);
    pthread_mutex_lock(&in->lock);
    for (size_t i = 0; i < in->n; i++) {
        char hex[SIM_SHA256_HEX];
        sim_sha256_hex(in->files[i]->sha256, hex);
        sim_sha256_update(&s, hex, 64);
        sim_sha256_update(&s, "  ", 2);
        sim_sha256_update(&s, in->files[i]->path, strlen(in->files[i]->path));
        sim_sha256_update(&s, "\n", 1);
    }
    pthread_mutex_unlock(&in->lock);
    sim_sha256_final(&s, out);
}
