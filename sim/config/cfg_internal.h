/*
 * cfg_internal: what the parts of the configuration reader share, private
 * to sim/config/cfg*.c: the layered configuration (struct sim_cfg), the
 * spans that map the parsed text back to files and lines, key paths and
 * their lookup across the layers, the marks of what a model read, and the
 * typed checks the readers and --set both use.
 *
 *   cfg.c        loading: the text with its includes, the layers and bases
 *   cfg_lint.c   what libconfig would misread, refused before parsing
 *   cfg_path.c   key paths, lookup across the layers, marks, where a key is
 *   cfg_get.c    typed readers (numbers, strings, choices, counts) and laws
 *   cfg_set.c    --set KEY=VALUE, KEY*=F and KEY+=D
 *   cfg_write.c  unused keys, the resolved copy and the job's manifest
 */
#ifndef SIM_CFG_INTERNAL_H
#define SIM_CFG_INTERNAL_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/config/cfg.h"

#define PRESET_GROUP "preset"
#define BASE_KEY "base"
#define MAX_LAYERS 16 /* a scenario, its preset, and those of up to 7 bases */
#define MAX_BASE_DEPTH 7
#define MAX_SEGS 32
#define SEG_LEN 128

/* Settings given by --set are blamed on --set, not on the file line of the
 * setting they replaced: their paths, as path_of writes them. */
#define MAX_CLI_SETS 256

/* The layers a key is looked up in, first to last: the scenario's own keys,
 * its preset group, then its base scenario's layers (BASE_KEY: a scenario
 * it varies), and so on. */
struct sim_cfg {
    config_t lc;
    char *path;
    char *include_dir;
    char *cli[MAX_CLI_SETS];       /* the paths --set gave, as path_of writes them */
    config_setting_t *cli_s[MAX_CLI_SETS]; /* and the settings it wrote: only those are --set's */
    int n_cli;
    struct sim_cfg *base;
    char **asked;              /* every path a model asked for: an unknown key's nearest is suggested */
    size_t n_asked, cap_asked;
    size_t asked_oom;          /* bytes the list of asked paths could not get (0: none) */
    int n_layers;
    config_setting_t *layer[MAX_LAYERS];
    bool layer_is_preset[MAX_LAYERS];
    char **dist_path;          /* every distribution (not a constant) a model read, by the path it asked */
    sim_dist *dist;
    size_t n_dist, cap_dist, cap_dist_path;
    struct src_span *spans;    /* lines of the parsed text -> file and line */
    size_t n_spans, cap_spans;
    sim_inputs *inputs;        /* every file read, shared with the base and the job */
};

/* A scenario is parsed from one text: the file with each @include replaced
 * by the included file's text (libconfig 1.5 reads an include as if its
 * text stood there), every file read once through the job's inputs
 * (sim/config/inputs.h), so that nothing is opened twice and a study's points see
 * the bytes the study began with. A span maps lines of that text back to
 * the file and line they came from, for every setting and every message. */
typedef struct src_span {
    unsigned first;   /* the first line of the text it covers */
    const char *file; /* lives in the inputs, or is the sim_cfg's path */
    unsigned file_line;
} src_span;

typedef struct segs {
    int n;
    char s[MAX_SEGS][SEG_LEN];
} segs;

typedef struct found {
    config_setting_t *s;                    /* effective setting or NULL */
    int layer;                              /* the layer it is in */
    config_setting_t *shadow[MAX_LAYERS];   /* the same key in lower layers, shadowed by it */
    int n_shadow;
} found;

/* Marks on settings (config_setting_set_hook): read by a model, or a
 * preset subtree shadowed by the scenario (all of it counts as read). */
extern char cfg_mark_used, cfg_mark_overridden;

int cfg_lint_text(const char *text, const char *name, sim_err *err);
int cfg_split_path(const char *path, segs *out, sim_err *err);
int cfg_seg_index(const char *seg, int *idx);
config_setting_t *cfg_child(config_setting_t *s, const char *seg);
config_setting_t *cfg_walk(config_setting_t *from, const segs *sg, int start, bool *crossed_list);
found cfg_lookup(sim_cfg *c, const char *path);
void cfg_mark(config_setting_t *s, void *how);
found cfg_lookup_mark(sim_cfg *c, const char *path);
void cfg_path_of(config_setting_t *s, char *buf, size_t n);
bool cfg_set_by_cli(sim_cfg *c, config_setting_t *s);
const char *cfg_where_of(sim_cfg *c, config_setting_t *s, char *buf, size_t n);
int cfg_key_err(sim_cfg *c, config_setting_t *s, const char *path, sim_err *err, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int cfg_missing(sim_cfg *c, const char *path, sim_err *err);
const char *cfg_type_name(const config_setting_t *s);
int cfg_as_number(const config_setting_t *s, double *v);
int cfg_check_range(sim_cfg *c, config_setting_t *s, const char *path, double v, sim_range r, sim_err *err);

#endif
