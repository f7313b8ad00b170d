/*
 * outdir: an output directory written whole or not at all, only where
 * gigasim may write, and never through a link gigasim did not make.
 *
 * A command writes its files into a private directory beside DIR
 * (PARENT/.NAME.gigasim-tmp-PID), then commits: every file and directory
 * in it is fsynced, and one rename puts it in place. When DIR exists the
 * rename exchanges the two directories atomically (Linux renameat2
 * RENAME_EXCHANGE; where the file system cannot, DIR is first moved aside:
 * a kill between the two renames then leaves no DIR, never a mixed one),
 * and the old one is removed. A reader therefore sees the old run or the
 * new one, whole, at every instant; a kill leaves at most the private
 * directory, which the next writer of DIR removes.
 *
 * Ownership: gigasim writes into DIR only if DIR is absent, empty, or
 * gigasim's: it holds a run's, a comparison's or a sweep's results
 * (summary.json, compare.json or sweep.json, or the marker .gigasim) and
 * nothing else than gigasim's own names (OUTDIR_NAMES below), the charts
 * listed in .gigasim-charts, and subdirectories that are gigasim's in turn.
 * Those subdirectories (a sweep saved inside a comparison's directory) are
 * carried over into the new DIR unless the new output has its own of that
 * name. Anything else is refused with its name: a user's file is never
 * replaced or removed.
 *
 * Links: every step works relative to an open descriptor of PARENT
 * (openat, mkdirat, renameat2, unlinkat) and opens nothing through a
 * symbolic link (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW). DIR itself may not be a
 * link; a link inside DIR is not gigasim's (refused, never entered); a
 * lock or a private directory that is a link is refused by name, never
 * followed or removed through. The trees gigasim removes are walked the
 * same way, so a link planted inside one is unlinked, not entered.
 *
 * Lock: one writer per DIR at a time (flock on PARENT/.NAME.gigasim-lock,
 * which stays; a second writer is refused with the holder's message).
 * Commands that add files to a DIR they do not replace (plot, report) take
 * the same lock (sim_outdir_lock): a plot cannot draw into a directory a
 * run is replacing, and what a killed plot or report left inside DIR is
 * removed by the next holder.
 *
 * Scratch: a process's own directory elsewhere (an MPI rank's files,
 * which rank 0 writes for real) is PARENT/PREFIX-XXXXXX with a lock inside
 * held while it lives (sim_scratch_begin); one whose lock nobody holds was
 * left by a killed process and is removed at the next begin.
 *
 * Crash points: with GIGASIM_CRASH_AT=k in the environment the k-th point
 * (after each file is made durable, before and after each rename, before
 * the old directory is removed) kills the process (SIGKILL), for the test
 * that kills at each of them.
 */
#ifndef SIM_OUTDIR_H
#define SIM_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/util.h"

#define OUTDIR_MARKER ".gigasim"
/* The longest output directory path: room for PARENT/.NAME.gigasim-tmp-PID
 * and the files inside it within PATH_MAX-sized buffers. Longer is refused. */
#define OUTDIR_MAX_PATH 3600

typedef struct sim_outdir {
    char dir[4096];     /* DIR as given */
    char tmp[4096];     /* the private directory the files go into ("" when none) */
    char name[256];     /* DIR's last component */
    char tmp_name[320]; /* the private directory's, in PARENT */
    int parent_fd;      /* PARENT, open */
    int dir_fd;         /* DIR, open while locked by sim_outdir_lock; else -1 */
    int lock_fd;
} sim_outdir;

/* Checks that DIR may be written, takes its lock, removes stale private
 * directories of earlier killed writers, and creates the private one. */
int sim_outdir_begin(sim_outdir *o, const char *dir, sim_err *err);
/* Makes the private directory durable and puts it in place as DIR. */
int sim_outdir_commit(sim_outdir *o, sim_err *err);
/* Removes the private directory and releases the lock (after a failure or
 * an interrupt; a no-op after commit). */
void sim_outdir_abort(sim_outdir *o);

/* Takes the lock of an existing DIR (not a link; it may hold a user's
 * files, which are left alone), for a command that adds files to it
 * (plot, report), with o->dir_fd open on it;
 * removes what killed holders left inside it (.*.gigasim-tmp-* entries). A
 * bookkeeping entry that is a link is refused by name. Released by
 * sim_outdir_unlock. */
int sim_outdir_lock(sim_outdir *o, const char *dir, sim_err *err);
void sim_outdir_unlock(sim_outdir *o);

/* Removes the entry `name` of directory dfd and, for a directory, all
 * under it, never following a link (a link is unlinked). 0, or -1 when
 * something could not be removed. */
int sim_remove_tree_at(int dfd, const char *name);

/* A process's scratch directory (see above). */
typedef struct sim_scratch {
    char path[4096];
    int lock_fd;
} sim_scratch;
int sim_scratch_begin(sim_scratch *s, const char *parent, const char *prefix, sim_err *err);
void sim_scratch_end(sim_scratch *s);

/* A chart's file name: a plain NAME.png, NAME.svg or NAME.pdf (plot lists
 * those it draws in DIR/.gigasim-charts). */
bool sim_is_chart_name(const char *name);

/* Creates dir and its parents (mkdir -p); *created tells whether the last
 * component was new. */
int sim_mkdirs(const char *dir, int *created, sim_err *err);

/* Kills the process at the GIGASIM_CRASH_AT-th call (see above). */
void sim_crash_point(void);

#endif
