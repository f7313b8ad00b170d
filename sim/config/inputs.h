/*
 * inputs: every file one job reads, read once and kept (a snapshot).
 *
 * A job (a run, a comparison, a sweep, a sensitivity study) reads its
 * scenario files (the scenario, its @includes and bases) and the hourly
 * files and weather files its keys name through one sim_inputs. The first
 * read of a path takes the file's bytes whole (a regular file only, opened
 * once and never waiting on a FIFO: sim_read_regular) and keeps them with
 * their SHA-256; every later read of that path in the job gets the same
 * bytes, so a study's points all see the inputs as they were when it began,
 * whatever is edited meanwhile.
 *
 * The job's identity is the SHA-256 of its manifest, a text that names what
 * it read (sim_inputs_manifest):
 *   gigasim job 1
 *   resolved scenario, N bytes
 *   <the resolved scenario the caller gives: after bases, includes, --set>
 *   files read
 *   <SHA-256>  <real path>        one line per file, sorted, as sha256sum
 * Two jobs with the same identity resolved to the same scenario and read
 * the same bytes; shards and MPI ranks compare it (sim/study/shard.h,
 * sim/study/mpi.h), and sim_manifest_difference says what differs.
 *
 * Shared by reference: sim_inputs_ref/unref; the last unref frees it. Reads
 * are serialized by a mutex, so the loads of one job may run on any thread.
 */
#ifndef SIM_INPUTS_H
#define SIM_INPUTS_H

#include <stddef.h>

#include "sim/core/sha256.h"
#include "sim/core/util.h"

typedef struct sim_input {
    char *path;  /* as it was opened */
    char *real;  /* its real path (symbolic links and .. resolved), as the manifest names it */
    char *text;  /* its bytes, NUL-terminated */
    size_t len;
    unsigned char sha256[SIM_SHA256_BYTES];
} sim_input;

typedef struct sim_inputs sim_inputs;

sim_inputs *sim_inputs_new(sim_err *err);
sim_inputs *sim_inputs_ref(sim_inputs *in);
void sim_inputs_unref(sim_inputs *in);

/* The bytes of path as this job first read them (see sim_read_regular for
 * kind, what and the refusals); the entry lives as long as `in`. A path
 * read before with a larger cap is refused now if it exceeds max_bytes. */
const sim_input *sim_inputs_read(sim_inputs *in, const char *path, size_t max_bytes, const char *kind,
                                 const char *what, sim_err *err);

/* The entry of a path read before, or NULL (nothing is read). */
const sim_input *sim_inputs_find(sim_inputs *in, const char *path);

/* The files read so far, sorted by path (i < sim_inputs_count). */
size_t sim_inputs_count(sim_inputs *in);
const sim_input *sim_inputs_at(sim_inputs *in, size_t i);

/* What was read from the files (an hourly series' rows, span and
 * statistics, sim/config/timeseries.h), a line each, in the order noted
 * (the same line once): gigasim check prints them. */
void sim_inputs_note(sim_inputs *in, const char *line);
size_t sim_inputs_n_notes(sim_inputs *in);
const char *sim_inputs_note_at(sim_inputs *in, size_t i);

/* The manifest of a job that resolved to `resolved` (len bytes) and read
 * what `in` holds (malloc'd, NUL-terminated; *n_out its length). */
char *sim_inputs_manifest(sim_inputs *in, const char *resolved, size_t len, size_t *n_out, sim_err *err);
/* The manifest of a job that read `files` (n entries, each "SHA256  PATH",
 * sorted): a shard's record rebuilt by merge. */
char *sim_manifest_of(const char *resolved, size_t len, const char *const *files, size_t n, size_t *n_out,
                      sim_err *err);
/* What differs between two manifests, in words, the jobs named name_a and
 * name_b: the first file read with other bytes or by one job only, or the
 * first line where the resolved scenarios differ ("" when the same). */
void sim_manifest_difference(const char *a, const char *name_a, const char *b, const char *name_b, char *out, size_t n);

#endif
