#define _GNU_SOURCE /* renameat2 */
#include "sim/study/outdir.h"

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
#include <time.h>
#include <unistd.h>


/* File names gigasim writes into an output directory. */
static const char *const OUTDIR_NAMES[] = {
    OUTDIR_MARKER, ".gigasim-charts", "summary.json", "series.csv", "replications.csv", "scenario.cfg", "years.csv", "phases.csv", "series.nc",
    "compare.json", "compare.csv", "ranking.csv", "sweep.json", "sweep.csv", "delay.json", "delay.csv", "report.html", "report.pdf", "sensitivity.json", "sensitivity.csv", "points.csv", "shard.json", "shard.bin", "optimize.json", "optimize.csv",
};
static const char *const RESULT_NAMES[] = {OUTDIR_MARKER, "summary.json", "compare.json", "sweep.json",
                                           "sensitivity.json", "shard.json", "optimize.json"};

bool sim_is_chart_name(const char *name)
{
    size_t l = strlen(name);
    if (l <= 4 || name[0] == '.' || strchr(name, '/'))
        return false;
    const char *ext = name + l - 4;
    return !strcmp(ext, ".png") || !strcmp(ext, ".svg") || !strcmp(ext, ".pdf");
}

int sim_mkdirs(const char *dir, int *created, sim_err *err)
{
    char buf[4096];
    *created = 0;
    if (strlen(dir) >= sizeof buf)
        return sim_errf(err, "%s: output path too long", dir);
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return sim_errf(err, "%s: cannot create directory: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) == 0)
        *created = 1;
    else if (errno != EEXIST)
        return sim_errf(err, "%s: cannot create output directory: %s", buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return sim_errf(err, "%s: exists and is not a directory", buf);
    if (access(buf, W_OK) != 0)
        return sim_errf(err, "%s: output directory is not writable", buf);
    return 0;
}

/* How deep gigasim's own trees go (a sweep inside a comparison's directory
 * inside another): deeper is not gigasim's. */
#define MAX_DEPTH 8

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

/* The type of entry `name` of dfd, the entry itself (a link is a link):
 * S_IFDIR, S_IFREG, S_IFLNK, ...; 0 when it does not exist. */
static mode_t kind_at(int dfd, const char *name)
{
    struct stat st;
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? (st.st_mode & S_IFMT) : 0;
}

/* A directory entry of dfd, opened as a directory, never through a link. */
static int open_dir_at(int dfd, const char *name)
{
    return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* A listing of directory dfd, from its start (dfd stays open); NULL when
 * it cannot be read. */
static DIR *list_dir(int dfd)
{
    int fd = dup(dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d && fd >= 0)
        close(fd);
    if (d)
        rewinddir(d);
    return d;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), k = strlen(suffix);
    return l > k && !strcmp(s + l - k, suffix);
}

/* Bookkeeping of gigasim's writers in a directory: a lock, a private
 * directory, a temporary file. */
static bool bookkeeping(const char *name)
{
    return name[0] == '.' &&
           (strstr(name, ".gigasim-tmp-") || ends_with(name, ".gigasim-lock") || ends_with(name, ".tmp"));
}

static bool dot_or_dotdot(const char *n) { return !strcmp(n, ".") || !strcmp(n, ".."); }

int sim_remove_tree_at(int dfd, const char *name)
{
    static _Thread_local int depth;
    if (kind_at(dfd, name) != S_IFDIR)
        return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    int fd = depth < 64 ? open_dir_at(dfd, name) : -1;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    depth++;
    while ((e = readdir(d)) != NULL)
        if (!dot_or_dotdot(e->d_name) && sim_remove_tree_at(dirfd(d), e->d_name))
            rc = -1;
    depth--;
    closedir(d);
    if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

/* The chart `name` is listed in the chart manifest of directory dfd. */
static bool listed_chart(int dfd, const char *name)
{
    int fd = openat(dfd, ".gigasim-charts", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return false;
    FILE *f = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
    if (!f) {
        close(fd);
        return false;
    }
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        found = !strcmp(line, name);
    }
    fclose(f);
    return found;
}

/* The directory dfd (shown as `shown`) is gigasim's (see outdir.h);
 * otherwise *foreign names what is not. */
static bool owned(int dfd, const char *shown, char *foreign, size_t n, int depth)
{
    bool result = false;
    for (size_t i = 0; i < sizeof RESULT_NAMES / sizeof *RESULT_NAMES; i++)
        result |= kind_at(dfd, RESULT_NAMES[i]) != 0;
    DIR *d = list_dir(dfd);
    if (!d) {
        snprintf(foreign, n, "%s", shown);
        return false;
    }
    bool ok = true, empty = true;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (dot_or_dotdot(nm))
            continue;
        empty = false;
        mode_t k = kind_at(dfd, nm);
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", shown, nm);
        if (k == S_IFLNK) { /* a link is never gigasim's: it makes none */
            snprintf(foreign, n, "%.4000s (a symbolic link)", p);
            ok = false;
            continue;
        }
        bool known = bookkeeping(nm);
        for (size_t i = 0; !known && i < sizeof OUTDIR_NAMES / sizeof *OUTDIR_NAMES; i++)
            known = !strcmp(nm, OUTDIR_NAMES[i]) && k == S_IFREG;
        if (!known && k == S_IFREG && sim_is_chart_name(nm))
            known = listed_chart(dfd, nm);
        if (!known && k == S_IFDIR && depth < MAX_DEPTH) {
            int sub = open_dir_at(dfd, nm);
            known = sub >= 0 && owned(sub, p, foreign, n, depth + 1);
            if (sub >= 0)
                close(sub);
            else
                snprintf(foreign, n, "%s", p);
        } else if (!known)
            snprintf(foreign, n, "%s", p);
        ok = known;
    }
    closedir(d);
    if (ok && !empty && !result)
        snprintf(foreign, n, "%s (no gigasim result in it)", shown);
    return ok && (empty || result);
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
    if (!strcmp(nm, ".") || !strcmp(nm, "..") || !*nm)
        return sim_errf(err, "%s: name a new directory for the output, not '%s'", dir, *nm ? nm : "/");
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

/* Opens DIR's parent (made if need be) and names DIR and its lock. */
static int open_parent(sim_outdir *o, const char *dir, bool make, sim_err *err)
{
    memset(o, 0, sizeof *o);
    o->parent_fd = o->dir_fd = o->lock_fd = -1;
    char parent[4096], name[4096];
    if (split_dir(dir, parent, name, sizeof parent, err))
        return -1;
    snprintf(o->dir, sizeof o->dir, "%s", dir);
    snprintf(o->name, sizeof o->name, "%.200s", name);
    int created;
    if (make && sim_mkdirs(parent, &created, err))
        return -1;
    o->parent_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->parent_fd < 0)
        return sim_errf(err, "%s: cannot open its folder '%s': %s", dir, parent, strerror(errno));
    return 0;
}

/* DIR is absent, or a directory of gigasim's (never a link); *dfd then has
 * it open (-1 when absent). */
static int check_dir(sim_outdir *o, bool must_exist, bool must_own, int *dfd, sim_err *err)
{
    *dfd = -1;
    mode_t k = kind_at(o->parent_fd, o->name);
    if (k == 0 && !must_exist)
        return 0;
    if (k == 0)
        return sim_errf(err, "%s: no such directory", o->dir);
    if (k == S_IFLNK)
        return sim_errf(err, "%s: a symbolic link: gigasim writes through no link it did not make; give the directory "
                             "it points to",
                        o->dir);
    if (k != S_IFDIR)
        return sim_errf(err, "%s: exists and is not a directory", o->dir);
    *dfd = open_dir_at(o->parent_fd, o->name);
    if (*dfd < 0)
        return sim_errf(err, "%s: cannot open: %s", o->dir, strerror(errno));
    char foreign[4400] = "";
    if (must_own && !owned(*dfd, o->dir, foreign, sizeof foreign, 0)) {
        close(*dfd);
        *dfd = -1;
        return sim_errf(err,
                        "%s: holds '%s', which gigasim did not write: it writes only into a new or empty directory, "
                        "or one that holds its own results",
                        o->dir, foreign);
    }
    return 0;
}

/* PARENT/.NAME.gigasim-lock, created if need be (never through a link), held. */
static int take_lock(sim_outdir *o, sim_err *err)
{
    char lock[300];
    snprintf(lock, sizeof lock, ".%s.gigasim-lock", o->name);
    o->lock_fd = openat(o->parent_fd, lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st;
    if (o->lock_fd < 0 && errno == ELOOP)
        return sim_errf(err, "%s: its lock '%s' is a symbolic link, which gigasim did not make: remove it", o->dir, lock);
    if (o->lock_fd < 0)
        return sim_errf(err, "%s: cannot create the lock '%s': %s", o->dir, lock, strerror(errno));
    if (fstat(o->lock_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(o->lock_fd);
        o->lock_fd = -1;
        return sim_errf(err, "%s: its lock '%s' is not a regular file: remove it", o->dir, lock);
    }
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        close(o->lock_fd);
        o->lock_fd = -1;
        return sim_errf(err, "%s: another gigasim is writing it (lock '%s'); wait for it, or choose another -o", o->dir,
                        lock);
    }
    return 0;
}

/* Removes what killed holders of the lock left in directory dfd (shown as
 * `shown`): the entries that start with prefix (a private directory, a
 * temporary file), never through a link: a link there is refused by name. */
static int remove_stale(int dfd, const char *shown, const char *prefix, bool any_tmp, sim_err *err)
{
    DIR *d = list_dir(dfd);
    if (!d)
        return sim_errf(err, "%s: cannot read: %s", shown, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        bool stale = (prefix && !strncmp(nm, prefix, strlen(prefix))) ||
                     (any_tmp && nm[0] == '.' && (strstr(nm, ".gigasim-tmp-") || ends_with(nm, ".tmp")));
        if (!stale || dot_or_dotdot(nm))
            continue;
        if (kind_at(dfd, nm) == S_IFLNK)
            rc = sim_errf(err, "%s/%s: a symbolic link where gigasim keeps its temporary files; gigasim did not make "
                               "it and will not follow it: remove it",
                          shown, nm);
        else if (sim_remove_tree_at(dfd, nm))
            rc = sim_errf(err, "%s/%s: cannot remove what an earlier gigasim left there: %s", shown, nm,
                          strerror(errno));
    }
    closedir(d);
    return rc;
}

int sim_outdir_begin(sim_outdir *o, const char *dir, sim_err *err)
{
    int dfd;
    if (open_parent(o, dir, true, err) || check_dir(o, false, true, &dfd, err) || take_lock(o, err)) {
        sim_outdir_abort(o);
        return -1;
    }
    if (dfd >= 0)
        close(dfd);
    char parent[4096], name[4096], prefix[300];
    split_dir(o->dir, parent, name, sizeof parent, err);
    snprintf(prefix, sizeof prefix, ".%s.gigasim-tmp-", o->name);
    /* private directories of earlier writers killed before their commit */
    if (remove_stale(o->parent_fd, parent, prefix, false, err)) {
        sim_outdir_abort(o);
        return -1;
    }
    snprintf(o->tmp_name, sizeof o->tmp_name, "%s%ld", prefix, (long)getpid());
    snprintf(o->tmp, sizeof o->tmp, "%.3700s/%s", parent, o->tmp_name);
    if (mkdirat(o->parent_fd, o->tmp_name, 0777) != 0) {
        sim_errf(err, "%s: cannot create '%s': %s", dir, o->tmp, strerror(errno));
        o->tmp[0] = o->tmp_name[0] = '\0';
        sim_outdir_abort(o);
        return -1;
    }
    return 0;
}

/* fsyncs every file and directory under dfd, dfd itself last. */
static int sync_tree(int dfd, const char *shown, sim_err *err)
{
    DIR *d = list_dir(dfd);
    if (!d)
        return sim_errf(err, "%s: cannot read: %s", shown, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (dot_or_dotdot(e->d_name))
            continue;
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", shown, e->d_name);
        mode_t k = kind_at(dfd, e->d_name);
        if (k == S_IFDIR) {
            int sub = open_dir_at(dfd, e->d_name);
            rc = sub >= 0 ? sync_tree(sub, p, err) : sim_errf(err, "%s: cannot open: %s", p, strerror(errno));
            if (sub >= 0)
                close(sub);
            continue;
        }
        if (k != S_IFREG)
            continue;
        int ffd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (ffd < 0 || fsync(ffd) != 0)
            rc = sim_errf(err, "%s: cannot make durable: %s", p, strerror(errno));
        if (ffd >= 0)
            close(ffd);
        sim_crash_point();
    }
    closedir(d);
    if (rc == 0 && fsync(dfd) != 0)
        rc = sim_errf(err, "%s: cannot make durable: %s", shown, strerror(errno));
    return rc;
}

/* Moves gigasim's subdirectories of the old DIR that the new output does
 * not have into the private directory. */
static int carry_over(sim_outdir *o, int tmp_fd, sim_err *err)
{
    int dfd = open_dir_at(o->parent_fd, o->name);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (dot_or_dotdot(e->d_name) || bookkeeping(e->d_name) || kind_at(dirfd(d), e->d_name) != S_IFDIR ||
            kind_at(tmp_fd, e->d_name) != 0)
            continue;
        sim_crash_point();
        if (renameat(dirfd(d), e->d_name, tmp_fd, e->d_name) != 0)
            rc = sim_errf(err, "%s: cannot carry '%s' over: %s", o->dir, e->d_name, strerror(errno));
    }
    closedir(d);
    return rc;
}

int sim_outdir_commit(sim_outdir *o, sim_err *err)
{
    int tmp_fd = open_dir_at(o->parent_fd, o->tmp_name);
    if (tmp_fd < 0)
        return sim_errf(err, "%s: cannot open: %s", o->tmp, strerror(errno));
    int mfd = openat(tmp_fd, OUTDIR_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    static const char mark[] = "gigasim output directory: written whole by one command\n";
    bool bad = mfd < 0 || write(mfd, mark, sizeof mark - 1) != (ssize_t)(sizeof mark - 1);
    if (mfd >= 0 && close(mfd) != 0)
        bad = true;
    int rc = bad ? sim_errf(err, "%s/%s: cannot write: %s", o->tmp, OUTDIR_MARKER, strerror(errno)) : 0;
    if (rc == 0)
        rc = sync_tree(tmp_fd, o->tmp, err);
    mode_t k = kind_at(o->parent_fd, o->name);
    if (rc == 0 && k != 0 && k != S_IFDIR) /* replaced since begin (by a link, say): left alone */
        rc = sim_errf(err, "%s: no longer a directory: nothing written", o->dir);
    bool had = k == S_IFDIR;
    if (rc == 0 && had)
        rc = carry_over(o, tmp_fd, err);
    close(tmp_fd);
    if (rc)
        return -1;
    sim_crash_point();
    if (!had || unlinkat(o->parent_fd, o->name, AT_REMOVEDIR) == 0) { /* absent, or empty */
        if (renameat(o->parent_fd, o->tmp_name, o->parent_fd, o->name) != 0)
            return sim_errf(err, "%s: cannot put the output in place: %s", o->dir, strerror(errno));
    } else if (renameat2(o->parent_fd, o->tmp_name, o->parent_fd, o->name, RENAME_EXCHANGE) != 0) {
        /* The file system cannot exchange: move the old aside first. */
        char aside[400];
        snprintf(aside, sizeof aside, "%s.old", o->tmp_name);
        if (renameat(o->parent_fd, o->name, o->parent_fd, aside) != 0)
            return sim_errf(err, "%s: cannot replace: %s", o->dir, strerror(errno));
        sim_crash_point();
        if (renameat(o->parent_fd, o->tmp_name, o->parent_fd, o->name) != 0) {
            int e = errno;
            renameat(o->parent_fd, aside, o->parent_fd, o->name);
            return sim_errf(err, "%s: cannot put the output in place: %s", o->dir, strerror(e));
        }
        if (renameat(o->parent_fd, aside, o->parent_fd, o->tmp_name) != 0)
            sim_remove_tree_at(o->parent_fd, aside);
    }
    sim_crash_point();
    /* The old output, now in the private directory's place. */
    sim_remove_tree_at(o->parent_fd, o->tmp_name);
    fsync(o->parent_fd);
    o->tmp[0] = o->tmp_name[0] = '\0';
    sim_outdir_abort(o);
    return 0;
}

void sim_outdir_abort(sim_outdir *o)
{
    if (o->tmp_name[0] && o->parent_fd >= 0)
        sim_remove_tree_at(o->parent_fd, o->tmp_name);
    o->tmp[0] = o->tmp_name[0] = '\0';
    sim_outdir_unlock(o);
}

int sim_outdir_lock(sim_outdir *o, const char *dir, sim_err *err)
{
    if (open_parent(o, dir, false, err) || check_dir(o, true, false, &o->dir_fd, err) || take_lock(o, err) ||
        remove_stale(o->dir_fd, o->dir, NULL, true, err) < 0) {
        sim_outdir_unlock(o);
        return -1;
    }
    return 0;
}

void sim_outdir_unlock(sim_outdir *o)
{
    if (o->lock_fd >= 0)
        close(o->lock_fd);
    if (o->dir_fd >= 0)
        close(o->dir_fd);
    if (o->parent_fd >= 0)
        close(o->parent_fd);
    o->lock_fd = o->dir_fd = o->parent_fd = -1;
}

/* ---------------------------------------------------------------- scratch */

#define SCRATCH_LOCK ".lock"

int sim_scratch_begin(sim_scratch *s, const char *parent, const char *prefix, sim_err *err)
{
    s->lock_fd = -1;
    s->path[0] = '\0';
    int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return sim_errf(err, "%s: cannot open: %s", parent, strerror(errno));
    /* those of killed processes: a directory PREFIX-* whose lock nobody holds (or, a minute after it was
     * made, that has none: killed between making it and locking it) */
    DIR *d = list_dir(pfd);
    struct dirent *e;
    size_t pl = strlen(prefix);
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, pl) || e->d_name[pl] != '-' || kind_at(pfd, e->d_name) != S_IFDIR)
            continue;
        int sub = open_dir_at(pfd, e->d_name);
        if (sub < 0)
            continue;
        int lfd = openat(sub, SCRATCH_LOCK, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;
        bool stale = lfd >= 0 ? flock(lfd, LOCK_EX | LOCK_NB) == 0
                              : errno == ENOENT && fstat(sub, &st) == 0 && st.st_mtime + 60 < time(NULL);
        if (lfd >= 0)
            close(lfd);
        close(sub);
        if (stale)
            sim_remove_tree_at(pfd, e->d_name);
    }
    if (d)
        closedir(d);
    char name[300];
    snprintf(name, sizeof name, "%s-XXXXXX", prefix);
    int n = snprintf(s->path, sizeof s->path, "%s/%s", parent, name);
    if (n <= 0 || (size_t)n >= sizeof s->path || !mkdtemp(s->path)) {
        close(pfd);
        sim_errf(err, "%s: cannot create a private directory in it: %s", parent, strerror(errno));
        s->path[0] = '\0';
        return -1;
    }
    close(pfd);
    char lock[4200];
    snprintf(lock, sizeof lock, "%s/%s", s->path, SCRATCH_LOCK);
    s->lock_fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        sim_errf(err, "%s: cannot lock it: %s", s->path, strerror(errno));
        sim_scratch_end(s);
        return -1;
    }
    return 0;
}

void sim_scratch_end(sim_scratch *s)
{
    if (s->path[0]) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", s->path);
        char *slash = strrchr(parent, '/');
        if (slash) {
            *slash = '\0';
            int pfd = open(*parent ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (pfd >= 0) {
                sim_remove_tree_at(pfd, slash + 1);
                close(pfd);
            }
        }
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = -1;
    s->path[0] = '\0';
}
