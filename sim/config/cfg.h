/*
 * cfg: scenario files (libconfig) behind typed, range-checked lookups.
 * Models read their parameters through this API and never include libconfig.h.
 *
 * Layering. A scenario @includes a regional preset, which defines a group
 * named `preset`. A key is looked up first in the scenario's own tree and,
 * when absent there, under `preset.` with the same path. A scenario may vary
 * another: `base = "other.cfg";` (relative to the file that says it, else
 * to each directory of the environment's GIGASIM_PATH, colon-separated)
 * adds the base's layers (its own keys, its preset, its base's...) below
 * the scenario's, so a variant gives only the keys it changes; the base
 * resolves its own @includes relative to its own directory. When absent in
 * every layer, the caller's documented default applies (or, with no default,
 * the key is reported missing). A list is taken whole from the first layer
 * that has it: its elements are never mixed across layers.
 *
 * Paths are dotted libconfig paths; a segment "[i]" indexes a list or array,
 * and on a list of groups a plain segment also selects the element whose
 * `name` member equals it (so `timeline.phases.permits.duration_days` works).
 *
 * Unknown keys. Every lookup marks what it read (libconfig's per-setting
 * hook). sim_cfg_check_unused then names every key no model read, with its
 * file and line, so a typo is an error instead of a silently ignored value.
 *
 * Errors name the file, the line and the key, e.g.
 *   "scenarios/x.cfg:12: site.grid.capacity_mw: must be >= 0 (got -5)".
 * Strings returned point into the configuration and live as long as it does.
 * The reader's parts (loading, lint, paths, typed reads, --set, writing)
 * and what they share: cfg_internal.h.
 */
#ifndef SIM_CFG_H
#define SIM_CFG_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/core/dist.h"
#include "sim/config/inputs.h"
#include "sim/core/util.h"

typedef struct sim_cfg sim_cfg;

typedef struct sim_range {
    double lo, hi;
    bool lo_open; /* value must be > lo rather than >= lo */
} sim_range;

#define SIM_ANY ((sim_range){-INFINITY, INFINITY, false})
#define SIM_NONNEG ((sim_range){0.0, INFINITY, false})
#define SIM_POSITIVE ((sim_range){0.0, INFINITY, true})
#define SIM_PROB ((sim_range){0.0, 1.0, false})
#define SIM_RANGE(a, b) ((sim_range){(a), (b), false})
/* A span of days as a plain number: up to a century (sim.horizon_days'
 * limit), so that no time a model derives from it overflows into inf. */
#define SIM_MAX_DAYS 36525.0
#define SIM_DAYS ((sim_range){0.0, SIM_MAX_DAYS, false})

/* Marks a key with no default: absent in every layer is an error. */
#define SIM_REQUIRED NAN
#define SIM_INT_REQUIRED (-0x7fffffffffffffffLL - 1)

/* Parses the file (includes are relative to the file's directory). Every
 * file it reads (the scenario, its includes and bases, and later the files
 * its keys name) is read once, through inputs of its own (sim_cfg_load) or
 * the job's (sim_cfg_load_with: a study loads every point through one, so
 * that every point sees the same bytes). A UTF-8 byte-order mark is
 * skipped; an include loop is refused with its chain. */
sim_cfg *sim_cfg_load(const char *path, sim_err *err);
sim_cfg *sim_cfg_load_with(const char *path, sim_inputs *in, sim_err *err);
/* The inputs the scenario was read through (and its files are). */
sim_inputs *sim_cfg_inputs(const sim_cfg *c);
/* Parses text held in memory; `name` is used in messages, includes are
 * relative to include_dir. */
/* The largest scenario accepted: each file, and all of them with every
 * @include counted each time it is included. */
#define SIM_CFG_MAX_BYTES (16 << 20)
/* Limits on the text that keep libconfig's parse fast (its costs grow with
 * the square of a token's length and of a group's size): the characters of
 * one string (adjacent strings joined) or other token, the keys of one
 * group, the nesting of groups, lists and arrays. */
#define SIM_CFG_MAX_TOKEN 65536
#define SIM_CFG_MAX_GROUP_KEYS 1000
#define SIM_CFG_MAX_DEPTH 32

sim_cfg *sim_cfg_load_string(const char *text, const char *name, const char *include_dir, sim_err *err);
void sim_cfg_free(sim_cfg *c);

const char *sim_cfg_path(const sim_cfg *c);

/* "path+=D" adds D to a number, or moves a distribution as a whole by D
 * (its `shift`); "path*=F" scales one (see cfg_scale). Otherwise:
 * Applies "path=value" to the effective setting (scenario layer if it has the
 * key, else the preset's); creates it in the scenario layer when absent. */
int sim_cfg_set(sim_cfg *c, const char *assignment, sim_err *err);

/* Sets a key the program derives from another (sim.start_day_of_year from
 * sim.start_date): as sim_cfg_set, but not blamed on --set. */
int sim_cfg_set_derived(sim_cfg *c, const char *assignment, sim_err *err);

/* A file named by the key `key` (whose value is rel): resolved against the
 * directory of the file that sets the key (a base's or a preset's keys
 * name files beside it), or the scenario's directory for a value given by
 * --set; an absolute path as it is. */
void sim_cfg_file_path(sim_cfg *c, const char *key, const char *rel, char *full, size_t n);
/* Rewrites the file key to the file's absolute path (`full`, read already),
 * so that the resolved scenario names it from anywhere. */
int sim_cfg_pin_file(sim_cfg *c, const char *key, const char *full, sim_err *err);

bool sim_cfg_has(sim_cfg *c, const char *path);
/* The setting at path is an integer (a value given to it must be whole). */
bool sim_cfg_is_integer(sim_cfg *c, const char *path);
/* The scenario itself (not its preset) sets path. */
bool sim_cfg_has_own(sim_cfg *c, const char *path);
/* Counts the subtree at path as read (a model switched off by a key of its
 * own does not read the rest of its group, which is not a typo). */
void sim_cfg_ignore(sim_cfg *c, const char *path);
/* The key `winner` takes effect in place of `loser` (a more specific key
 * replaces a general one: timeline.durations.X replaces the phase X's own
 * duration_days): loser counts as read. But a loser given as specifically
 * as the winner or more (by --set where the winner is not, in a layer
 * above the winner's, or in the same one) would be silently ignored: that
 * is refused, naming both and where each is set. */
int sim_cfg_replaces(sim_cfg *c, const char *winner, const char *loser, sim_err *err);
/* The scenario's setting at path replaces the preset's as a whole (a group
 * in place of a number): the preset's counts as read. */
void sim_cfg_claim(sim_cfg *c, const char *path);

int sim_cfg_num(sim_cfg *c, const char *path, double def, sim_range r, double *out, sim_err *err);
int sim_cfg_int(sim_cfg *c, const char *path, long long def, long long lo, long long hi, long long *out, sim_err *err);
int sim_cfg_bool(sim_cfg *c, const char *path, int def /* -1: required */, bool *out, sim_err *err);
int sim_cfg_str(sim_cfg *c, const char *path, const char *def /* NULL: required */, const char **out, sim_err *err);
/* A string that must be one of names[0..n-1]; *out is its index. An
 * unknown value is an error naming file, line, key and the valid values. */
int sim_cfg_choice(sim_cfg *c, const char *path, const char *def /* NULL: required */, const char *const *names,
                   size_t n, int *out, sim_err *err);

/* A distribution: either a plain number (a constant) or a group
 * { dist = "pert"; min = ..; mode = ..; max = ..; } and so on (see dist.h).
 * Every value it can take must lie in r. def NULL: required. */
int sim_cfg_dist(sim_cfg *c, const char *path, const sim_dist *def, sim_range r, sim_dist *out, sim_err *err);
/* The distributions (not constants) the models read, each path once, in
 * the order read: the uncertain inputs of a sensitivity analysis. */
size_t sim_cfg_dist_count(const sim_cfg *c);
const char *sim_cfg_dist_at(const sim_cfg *c, size_t i, sim_dist *d);

/* Number of elements of a list or array (0 when absent and not required). */
int sim_cfg_count(sim_cfg *c, const char *path, bool required, size_t *n, sim_err *err);

/* "file:line" of the effective setting at path (or the file name alone);
 * writes into buf and returns it. */
const char *sim_cfg_where(sim_cfg *c, const char *path, char *buf, size_t n);

/* Reports keys no lookup has read, and values --set gave that nothing
 * read (a part of the model switched off, a key replaced: they would not
 * take effect). Call after every model has loaded. */
int sim_cfg_check_unused(sim_cfg *c, sim_err *err);

/* Writes the resolved configuration (includes and --set applied) into a
 * new file (sim_create_file). */
int sim_cfg_write(sim_cfg *c, const char *path, sim_err *err);
/* The job's manifest (sim/config/inputs.h): the resolved configuration and every
 * file read so far; its SHA-256 is the job's identity. malloc'd. */
char *sim_cfg_manifest(sim_cfg *c, size_t *len, sim_err *err);

#endif
