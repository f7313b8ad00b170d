/*
 * util: error reporting and checked allocation shared by every module.
 *
 * Contract: functions that can fail return 0 on success and -1 on failure,
 * after filling a caller-owned sim_err with a one-line message. Nothing under
 * sim/ or models/ calls exit(); main() picks the exit status.
 * sim_alloc/sim_calloc/sim_realloc/sim_aligned_alloc never return NULL
 * silently: on failure they fill the error with the number of bytes asked
 * for. Every allocation of sim/ and models/ goes through them, so a test can
 * make the n-th one fail (sim_alloc_fail_at) and run the error paths: the
 * countdown is per thread, off unless a test sets it.
 */
#ifndef SIM_UTIL_H
#define SIM_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define SIM_ERR_LEN 1024

typedef struct sim_err {
    char msg[SIM_ERR_LEN];
} sim_err;

/* Formats into err (if non-NULL) and returns -1, so `return sim_errf(...)`. */
int sim_errf(sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to the message already in err; returns -1. */
int sim_err_prefix(sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Says what an allocation that failed was for: "out of memory allocating N
 * bytes" becomes "... bytes for WHAT". Any other message, or one that says
 * already, is kept. Returns -1. */
int sim_err_oom_for(sim_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The candidate closest to word by edit distance (Levenshtein, each
 * insertion, deletion or substitution 1), if it is close enough to be a
 * slip: at most max(2, length / 3) edits. NULL when none is. */
const char *sim_closest(const char *word, const char *const *cands, size_t n);

void *sim_alloc(size_t n_bytes, sim_err *err);
void *sim_calloc(size_t n_items, size_t item_bytes, sim_err *err);
void *sim_realloc(void *p, size_t n_bytes, sim_err *err);
char *sim_strdup(const char *s, sim_err *err);
/* Zeroed, aligned to `align` (a power of two); freed with free(). */
void *sim_aligned_alloc(size_t align, size_t n_bytes, sim_err *err);

/* The n-th allocation from now on this thread fails (n >= 1; 0: none), and
 * how many allocations this thread has made through the wrapper. */
void sim_alloc_fail_at(long n);
long sim_alloc_count(void);

/* Grows *p (an array of item_bytes items with capacity *cap) so that it holds
 * at least need items. Returns 0 or -1 with err filled. */
int sim_grow(void **p, size_t *cap, size_t need, size_t item_bytes, sim_err *err);

/* SplitMix64: a 64-bit mixing function used to derive independent seeds. */
static inline uint64_t sim_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The directory `name` (plots, scenarios) of gigasim's data, as an
 * absolute path: $env_var when set (an explicit choice), else beside the
 * binary only: <dir of the executable>/../share/gigasim/NAME (installed),
 * or, for a binary inside the source tree it was built in (build/gigasim,
 * build/mpi/gigasim), that tree's NAME. Never the working directory, and
 * never a folder beside a copy of the binary: a binary copied alone finds
 * none and says so. -1 when there is none. */
int sim_find_data_dir(const char *argv0, const char *name, const char *env_var, char *out, size_t n);

/* The whole of a regular file, NUL-terminated (malloc'd; *len_out its
 * length, may be NULL), opened once and never waiting: a directory, a FIFO
 * or a device is refused ("WHAT: not a KIND (a directory, a device or a
 * pipe)"), as is a file of more than max_bytes. what names it in messages
 * (NULL: the path). NULL with err when it cannot be read. */
char *sim_read_regular(const char *path, size_t max_bytes, const char *kind, const char *what, size_t *len_out,
                       sim_err *err);
/* sim_read_regular of a result file gigasim wrote (up to SIM_READ_MAX_BYTES). */
#define SIM_READ_MAX_BYTES (1ull << 32)
char *sim_read_file(const char *path, size_t *len_out, sim_err *err);

/* A new file, open for writing: created here, never opened over a file
 * that exists or through a symbolic link (O_CREAT | O_EXCL | O_NOFOLLOW).
 * NULL with err (and errno) when it cannot be. */
#include <stdio.h>
FILE *sim_create_file(const char *path, sim_err *err);

/* qsort comparator of C strings (char * elements). */
int sim_cmp_str(const void *a, const void *b);
/* qsort comparator of doubles, ascending (+inf last; no NaN). */
int sim_cmp_double(const void *a, const void *b);

/* An amount as a person reads it, three figures: 6.44 bn, 345 M, 12,345,
 * 3.21 (a sign when negative; "n/a" when not finite). */
void sim_fmt_amount(char *b, size_t n, double v);
/* A whole number with its thousands separated by commas: 12,345. */
void sim_fmt_grouped(char *b, size_t n, double v);

#endif
