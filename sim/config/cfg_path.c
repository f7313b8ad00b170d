/* cfg_path: key paths (a.b.[2].c, list elements by name), their lookup across the layers, the
 * marks of what a model read, and where a setting came from (file:line or --set). */
#include "sim/config/cfg_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <libconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ paths */


int cfg_split_path(const char *path, segs *out, sim_err *err)
{
    out->n = 0;
    const char *p = path;
    if (!*p)
        return sim_errf(err, "empty key path");
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= SEG_LEN || out->n >= MAX_SEGS)
            return sim_errf(err, "malformed key path '%s'", path);
        memcpy(out->s[out->n], p, len);
        out->s[out->n][len] = '\0';
        out->n++;
        p += len;
        if (*p == '.') {
            p++;
            if (!*p)
                return sim_errf(err, "malformed key path '%s'", path);
        }
    }
    return 0;
}

int cfg_seg_index(const char *seg, int *idx)
{
    size_t n = strlen(seg);
    if (n < 3 || seg[0] != '[' || seg[n - 1] != ']')
        return 0;
    char *end;
    long v = strtol(seg + 1, &end, 10);
    if (end != seg + n - 1 || v < 0 || v > INT_MAX)
        return 0;
    *idx = (int)v;
    return 1;
}

config_setting_t *cfg_child(config_setting_t *s, const char *seg)
{
    int idx;
    if (!s)
        return NULL;
    if (cfg_seg_index(seg, &idx))
        return (config_setting_is_aggregate(s)) ? config_setting_get_elem(s, (unsigned)idx) : NULL;
    if (config_setting_is_group(s))
        return config_setting_get_member(s, seg);
    if (config_setting_is_list(s)) {
        int n = config_setting_length(s);
        for (int i = 0; i < n; i++) {
            config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            const char *nm;
            if (e && config_setting_is_group(e) && config_setting_lookup_string(e, "name", &nm) &&
                strcmp(nm, seg) == 0)
                return e;
        }
    }
    return NULL;
}

/* Walks segments from `from`; *crossed_list tells whether an aggregate
 * (list/array) was entered before the walk ended or failed. */
config_setting_t *cfg_walk(config_setting_t *from, const segs *sg, int start, bool *crossed_list)
{
    config_setting_t *s = from;
    *crossed_list = false;
    for (int i = start; i < sg->n && s; i++) {
        /* a list entered, or a scalar where the path goes on (a number the scenario gives in place of the
         * preset's group): the preset's elements do not mix in */
        if (config_setting_is_list(s) || config_setting_is_array(s) || !config_setting_is_aggregate(s))
            *crossed_list = true;
        s = cfg_child(s, sg->s[i]);
    }
    return s;
}


found cfg_lookup(sim_cfg *c, const char *path)
{
    found f;
    f.s = NULL;
    f.layer = -1;
    f.n_shadow = 0;
    segs sg;
    if (cfg_split_path(path, &sg, NULL) != 0)
        return f;
    for (int l = 0; l < c->n_layers; l++) {
        bool crossed = false;
        config_setting_t *s = cfg_walk(c->layer[l], &sg, 0, &crossed);
        if (s && !f.s) {
            f.s = s;
            f.layer = l;
        } else if (s) {
            f.shadow[f.n_shadow++] = s;
        }
        if (!f.s && crossed)
            return f; /* this layer holds the list (or a value in place of a group): lower ones do not mix in */
    }
    return f;
}

static void shadow_all(found *f);

void cfg_mark(config_setting_t *s, void *how)
{
    for (; s; s = config_setting_parent(s)) {
        if (config_setting_get_hook(s) == &cfg_mark_overridden)
            return;
        config_setting_set_hook(s, how);
        how = &cfg_mark_used;
    }
}

/* Remembers a path a model asked for (best effort: without memory, only the
 * suggestion is lost). */
static void note_asked(sim_cfg *c, const char *path)
{
    for (size_t i = c->n_asked; i-- > 0;)
        if (!strcmp(c->asked[i], path))
            return;
    if (c->n_asked == c->cap_asked) {
        size_t cap = c->cap_asked ? 2 * c->cap_asked : 64;
        char **a = sim_realloc(c->asked, cap * sizeof *a, NULL);
        if (!a) { /* reported by sim_cfg_check_unused, which every load calls */
            c->asked_oom = cap * sizeof *a;
            return;
        }
        c->asked = a;
        c->cap_asked = cap;
    }
    char *p = sim_strdup(path, NULL);
    if (p)
        c->asked[c->n_asked++] = p;
    else
        c->asked_oom = strlen(path) + 1;
}

found cfg_lookup_mark(sim_cfg *c, const char *path)
{
    note_asked(c, path);
    found f = cfg_lookup(c, path);
    if (f.s)
        cfg_mark(f.s, &cfg_mark_used);
    shadow_all(&f);
    return f;
}

static void shadow_all(found *f)
{
    for (int i = 0; i < f->n_shadow; i++)
        cfg_mark(f->shadow[i], &cfg_mark_overridden);
}

void cfg_path_of(config_setting_t *s, char *buf, size_t n)
{
    char parts[MAX_SEGS][SEG_LEN];
    int k = 0;
    for (config_setting_t *t = s; t && config_setting_parent(t) && k < MAX_SEGS; t = config_setting_parent(t)) {
        const char *nm = config_setting_name(t);
        if (nm)
            snprintf(parts[k++], SEG_LEN, "%s", nm);
        else
            snprintf(parts[k++], SEG_LEN, "[%d]", config_setting_index(t));
    }
    size_t off = 0;
    buf[0] = '\0';
    /* Keys are named as users write them: a preset's keys without "preset.";
     * the file:line beside the name tells which file holds it. */
    if (k > 1 && strcmp(parts[k - 1], PRESET_GROUP) == 0)
        k--;
    for (int i = k - 1; i >= 0 && off < n; i--)
        off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? "." : "", parts[i]);
}

/* Whether s was given by --set, or is the group (a distribution) holding a
 * key that was. */
bool cfg_set_by_cli(sim_cfg *c, config_setting_t *s)
{
    if (!s)
        return false;
    for (int i = 0; i < c->n_cli; i++) /* the setting itself, not another layer's of the same path */
        if (c->cli_s[i] == s || (c->cli_s[i] && config_setting_parent(c->cli_s[i]) == s &&
                                 !config_setting_is_list(s) && !config_setting_is_array(s) && config_setting_parent(s)))
            return true;
    return false;
}

const char *cfg_where_of(sim_cfg *c, config_setting_t *s, char *buf, size_t n)
{
    const char *file = s ? config_setting_source_file(s) : NULL;
    unsigned line = s ? config_setting_source_line(s) : 0;
    if ((s && !file && line == 0) || cfg_set_by_cli(c, s))
        snprintf(buf, n, "--set");
    else if (line > 0)
        snprintf(buf, n, "%s:%u", file ? file : c->path, line);
    else
        snprintf(buf, n, "%s", c->path);
    return buf;
}

const char *sim_cfg_where(sim_cfg *c, const char *path, char *buf, size_t n)
{
    found f = cfg_lookup(c, path);
    return cfg_where_of(c, f.s, buf, n);
}

void sim_cfg_claim(sim_cfg *c, const char *path)
{
    found f = cfg_lookup(c, path);
    shadow_all(&f);
}

/* How specifically a setting was given: --set (-1), else its layer (0 the
 * scenario's own keys, then its preset, then its base's...). */
static int rank_of(sim_cfg *c, const found *f)
{
    return cfg_set_by_cli(c, f->s) ? -1 : f->layer;
}

int sim_cfg_replaces(sim_cfg *c, const char *winner, const char *loser, sim_err *err)
{
    found w = cfg_lookup(c, winner), l = cfg_lookup(c, loser);
    if (l.s && w.s && rank_of(c, &l) <= rank_of(c, &w)) {
        char wl[512], ww[512], lp[512];
        cfg_where_of(c, l.s, wl, sizeof wl);
        cfg_where_of(c, w.s, ww, sizeof ww);
        cfg_path_of(l.s, lp, sizeof lp);
        return sim_errf(err, "%s: %s does not take effect: %s (%s) replaces it in this scenario; set that key instead, "
                             "or remove one of them",
                        wl, lp, winner, ww);
    }
    sim_cfg_ignore(c, loser);
    return 0;
}

void sim_cfg_ignore(sim_cfg *c, const char *path)
{
    found f = cfg_lookup(c, path);
    if (f.s)
        cfg_mark(f.s, &cfg_mark_overridden);
    shadow_all(&f);
}

bool sim_cfg_has_own(sim_cfg *c, const char *path)
{
    found f = cfg_lookup(c, path);
    return f.s && !c->layer_is_preset[f.layer];
}

bool sim_cfg_is_integer(sim_cfg *c, const char *path)
{
    found f = cfg_lookup(c, path);
    return f.s && (config_setting_type(f.s) == CONFIG_TYPE_INT || config_setting_type(f.s) == CONFIG_TYPE_INT64);
}

bool sim_cfg_has(sim_cfg *c, const char *path)
{
    note_asked(c, path);
    return cfg_lookup(c, path).s != NULL;
}
