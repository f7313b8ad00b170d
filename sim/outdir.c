#define _GNU_SOURCE /* renameat2 */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* File names gigasim writes into an output directory. */
static const char *const OUTDIR_NAMES[] = {
    OUTDIR_MARKER, ".gigasim-charts", "summary.json", "series.csv", "replications.csv", "scenario.cfg",
    "compare.json", "compare.csv", "ranking.csv", "sweep.json", "sweep.csv", "report.html", "sensitivity.json", "sensitivity.csv", "points.csv", "shard.json", "shard.bin",
};
static const char *const RESULT_NAMES[] = {OUTDIR_MARKER, "summary.json", "compare.json", "sweep.json",
                                           "sensitivity.json", "shard.json"};

void sim_crash_point(void)
{
    static long count, at = -1;
    if (at < 0) {
        const char *s = getenv("GIGASIM_CRASH_AT");
        at = s && *s ? strtol(s, NULL, 10) : 0;
    }
    if (at > 0 && ++count == at)
        raise(SIGKILL);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Bookkeeping of gigasim's writers in a parent directory: a lock, a
 * private directory, a temporary file. */
static bool ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), k = strlen(suffix);
    return l > k && !strcmp(s + l - k, suffix);
}

static bool bookkeeping(const char *name)
{
    return name[0] == '.' &&
           (strstr(name, ".gigasim-tmp-") || ends_with(name, ".gigasim-lock") || ends_with(name, ".tmp"));
}

/* The chart `name` is listed in dir's chart manifest. */
static bool listed_chart(const char *dir, const char *name)
{
    char path[4200], line[512];
    snprintf(path, sizeof path, "%s/.gigasim-charts", dir);
    FILE *f = fopen(path, "r");
    bool found = false;
    if (!f)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        found = !strcmp(line, name);
    }
    fclose(f);
    return found;
}

/* dir is gigasim's (see outdir.h); otherwise *foreign names what is not. */
static bool owned(const char *dir, char *foreign, size_t n, int depth)
{
    bool result = false;
    for (size_t i = 0; i < sizeof RESULT_NAMES / sizeof *RESULT_NAMES; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, RESULT_NAMES[i]);
        result |= exists(p);
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(foreign, n, "%s", dir);
        return false;
    }
    bool ok = true, empty = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (!strcmp(nm, ".") || !strcmp(nm, ".."))
            continue;
        empty = false;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, nm);
        bool known = bookkeeping(nm);
        for (size_t i = 0; !known && i < sizeof OUTDIR_NAMES / sizeof *OUTDIR_NAMES; i++)
            known = !strcmp(nm, OUTDIR_NAMES[i]) && !is_dir(p);
        if (!known && sim_is_chart_name(nm))
            known = listed_chart(dir, nm);
        if (!known && is_dir(p) && depth < 8)
            known = owned(p, foreign, n, depth + 1);
        else if (!known)
            snprintf(foreign, n, "%s", p);
        ok = known;
    }
    closedir(d);
    if (ok && !empty && !result)
        snprintf(foreign, n, "%s (no gigasim result in it)", dir);
    return ok && (empty || result);
}

/* Removes a directory gigasim wrote, with everything in it. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[4200];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (is_dir(p))
                remove_tree(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* PARENT and NAME of dir (no trailing slash). */
static int split_dir(const char *dir, char *parent, char *name, size_t n, sim_err *err)
{
    size_t l = strlen(dir);
    while (l > 1 && dir[l - 1] == '/')
        l--;
    if (l == 0 || l > OUTDIR_MAX_PATH || n <= OUTDIR_MAX_PATH)
        return sim_errf(err, "%.64s...: an output directory path of 1 to %d characters is needed (this one has %zu)",
                        dir, OUTDIR_MAX_PATH, l);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.*s", (int)l, dir);
    char *slash = strrchr(buf, '/');
    const char *nm = slash ? slash + 1 : buf;
    if (!strcmp(nm, ".") || !strcmp(nm, ".."))
        return sim_errf(err, "%s: name a new directory for the output, not '%s'", dir, nm);
    if (strlen(nm) > 200)
        return sim_errf(err, "%.64s...: an output directory's name may have at most 200 characters", dir);
    if (slash == buf)
        snprintf(parent, n, "/");
    else if (slash)
        snprintf(parent, n, "%.*s", (int)(slash - buf), buf);
    else
        snprintf(parent, n, ".");
    snprintf(name, n, "%s", nm);
    return 0;
}

int sim_outdir_begin(sim_outdir *o, const char *dir, sim_err *err)
{
    memset(o, 0, sizeof *o);
    o->lock_fd = -1;
    char parent[4096], name[4096];
    if (split_dir(dir, parent, name, sizeof parent, err))
        return -1;
    snprintf(o->dir, sizeof o->dir, "%s", dir);
    int created;
    if (sim_mkdirs(parent, &created, err))
        return -1;
    if (exists(dir)) {
        char foreign[4200] = "";
        if (!is_dir(dir))
            return sim_errf(err, "%s: exists and is not a directory", dir);
        if (!owned(dir, foreign, sizeof foreign, 0))
            return sim_errf(err,
                            "%s: holds '%s', which gigasim did not write: it writes only into a new or empty "
                            "directory, or one that holds its own results",
                            dir, foreign);
    }
    char lock[4200];
    snprintf(lock, sizeof lock, "%.3800s/.%.200s.gigasim-lock", parent, name);
    o->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (o->lock_fd < 0)
        return sim_errf(err, "%s: cannot create the lock '%s': %s", dir, lock, strerror(errno));
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        close(o->lock_fd);
        o->lock_fd = -1;
        return sim_errf(err, "%s: another gigasim is writing it (lock '%s'); wait for it, or choose another -o", dir,
                        lock);
    }
    /* Private directories of earlier writers killed before their commit. */
    char prefix[4200];
    int pl = snprintf(prefix, sizeof prefix, ".%.200s.gigasim-tmp-", name);
    DIR *d = opendir(parent);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (!strncmp(e->d_name, prefix, (size_t)pl)) {
                char p[8400];
                snprintf(p, sizeof p, "%s/%s", parent, e->d_name);
                remove_tree(p);
            }
        closedir(d);
    }
    snprintf(o->tmp, sizeof o->tmp, "%.3800s/%.230s%ld", parent, prefix, (long)getpid());
    if (mkdir(o->tmp, 0777) != 0) {
        sim_errf(err, "%s: cannot create '%s': %s", dir, o->tmp, strerror(errno));
        sim_outdir_abort(o);
        return -1;
    }
    return 0;
}

/* fsyncs every file and directory under dir, dir itself last. */
static int sync_tree(const char *dir, sim_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sim_errf(err, "%s: cannot read: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (is_dir(p)) {
            rc = sync_tree(p, err);
            continue;
        }
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0)
            rc = sim_errf(err, "%s: cannot make durable: %s", p, strerror(errno));
        if (fd >= 0)
            close(fd);
        sim_crash_point();
    }
    closedir(d);
    int fd = rc == 0 ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (rc == 0 && (fd < 0 || fsync(fd) != 0))
        rc = sim_errf(err, "%s: cannot make durable: %s", dir, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Moves gigasim's subdirectories of the old DIR that the new output does
 * not have into the private directory. */
static int carry_over(sim_outdir *o, sim_err *err)
{
    DIR *d = opendir(o->dir);
    if (!d)
        return 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char from[8400], to[8400];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || bookkeeping(e->d_name))
            continue;
        snprintf(from, sizeof from, "%s/%s", o->dir, e->d_name);
        snprintf(to, sizeof to, "%s/%s", o->tmp, e->d_name);
        if (!is_dir(from) || exists(to))
            continue;
        sim_crash_point();
        if (rename(from, to) != 0)
            rc = sim_errf(err, "%s: cannot carry '%s' over: %s", o->dir, from, strerror(errno));
    }
    closedir(d);
    return rc;
}

int sim_outdir_commit(sim_outdir *o, sim_err *err)
{
    char marker[4200];
    snprintf(marker, sizeof marker, "%s/%s", o->tmp, OUTDIR_MARKER);
    FILE *f = sim_create_file(marker, NULL);
    if (!f || fputs("gigasim output directory: written whole by one command\n", f) < 0 || fclose(f) != 0)
        return sim_errf(err, "%s: cannot write: %s", marker, strerror(errno));
    if (sync_tree(o->tmp, err))
        return -1;
    bool had = is_dir(o->dir);
    if (had && carry_over(o, err))
        return -1;
    sim_crash_point();
    if (!had || rmdir(o->dir) == 0) { /* absent, or empty */
        if (rename(o->tmp, o->dir) != 0)
            return sim_errf(err, "%s: cannot put the output in place: %s", o->dir, strerror(errno));
    } else if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->dir, RENAME_EXCHANGE) != 0) {
        /* The file system cannot exchange: move the old aside first. */
        char aside[4200];
        snprintf(aside, sizeof aside, "%s.old", o->tmp);
        if (rename(o->dir, aside) != 0)
            return sim_errf(err, "%s: cannot replace: %s", o->dir, strerror(errno));
        sim_crash_point();
        if (rename(o->tmp, o->dir) != 0) {
            int e = errno;
            rename(aside, o->dir);
            return sim_errf(err, "%s: cannot put the output in place: %s", o->dir, strerror(e));
        }
        if (rename(aside, o->tmp) != 0)
            remove_tree(aside);
    }
    sim_crash_point();
    /* The old output, now in the private directory's place. */
    remove_tree(o->tmp);
    char parent[4096], name[4096];
    sim_err ignore;
    if (split_dir(o->dir, parent, name, sizeof parent, &ignore) == 0) {
        int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    o->tmp[0] = '\0';
    sim_outdir_abort(o);
    return 0;
}

void sim_outdir_abort(sim_outdir *o)
{
    if (o->tmp[0])
        remove_tree(o->tmp);
    o->tmp[0] = '\0';
    if (o->lock_fd >= 0)
        close(o->lock_fd);
    o->lock_fd = -1;
}
