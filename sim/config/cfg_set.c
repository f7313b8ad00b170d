/* cfg_set: the command line's --set KEY=VALUE, KEY*=FACTOR and KEY+=DAYS, onto any layer's key. */
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

/* ------------------------------------------------------------------ --set */

static int parse_ll(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return (*s && *end == '\0' && errno == 0) ? 0 : -1;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return (*s && *end == '\0' && errno == 0) ? 0 : -1;
}

/* The member s of a group replaced by an empty one of another type (NULL
 * if s is not a named member). */
static config_setting_t *retype(config_setting_t *s, int type)
{
    config_setting_t *p = config_setting_parent(s);
    const char *nm = config_setting_name(s);
    if (!p || !nm)
        return NULL;
    char name[SEG_LEN];
    snprintf(name, sizeof name, "%s", nm);
    config_setting_remove(p, name);
    return config_setting_add(p, name, type);
}

static int assign_value(config_setting_t *s, const char *key, const char *val, sim_err *err)
{
    long long ll;
    double d;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        if (parse_ll(val, &ll) != 0) {
            if (parse_double(val, &d) == 0) { /* an integer key given a fraction: store as float, range checks decide */
                config_setting_t *n = retype(s, CONFIG_TYPE_FLOAT);
                return n && config_setting_set_float(n, d) ? 0 : sim_errf(err, "--set %s=%s: cannot set", key, val);
            }
            return sim_errf(err, "--set %s=%s: expected an integer", key, val);
        }
        if (config_setting_type(s) == CONFIG_TYPE_INT && ll >= INT_MIN && ll <= INT_MAX)
            return config_setting_set_int(s, (int)ll) ? 0 : sim_errf(err, "--set %s: cannot set", key);
        if (config_setting_type(s) == CONFIG_TYPE_INT && !(s = retype(s, CONFIG_TYPE_INT64))) /* 32 bits: widen */
            return sim_errf(err, "--set %s=%s: cannot set", key, val);
        return config_setting_set_int64(s, ll) ? 0 : sim_errf(err, "--set %s: cannot set", key);
    case CONFIG_TYPE_FLOAT:
        if (parse_double(val, &d) != 0)
            return sim_errf(err, "--set %s=%s: expected a number", key, val);
        return config_setting_set_float(s, d) ? 0 : sim_errf(err, "--set %s: cannot set", key);
    case CONFIG_TYPE_BOOL:
        if (strcmp(val, "true") && strcmp(val, "false"))
            return sim_errf(err, "--set %s=%s: expected true or false", key, val);
        return config_setting_set_bool(s, val[0] == 't') ? 0 : sim_errf(err, "--set %s: cannot set", key);
    case CONFIG_TYPE_STRING: {
        char buf[1024];
        size_t n = strlen(val);
        if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
            if (n - 2 >= sizeof buf)
                return sim_errf(err, "--set %s: value too long", key);
            memcpy(buf, val + 1, n - 2);
            buf[n - 2] = '\0';
            val = buf;
        }
        return config_setting_set_string(s, val) ? 0 : sim_errf(err, "--set %s: cannot set", key);
    }
    default:
        return sim_errf(err, "--set %s: the key is %s, not a scalar", key, cfg_type_name(s));
    }
}

static int infer_type(const char *val)
{
    long long ll;
    double d;
    if (!strcmp(val, "true") || !strcmp(val, "false"))
        return CONFIG_TYPE_BOOL;
    if (parse_ll(val, &ll) == 0)
        return CONFIG_TYPE_INT64;
    if (parse_double(val, &d) == 0)
        return CONFIG_TYPE_FLOAT;
    return CONFIG_TYPE_STRING;
}

static int cfg_set(sim_cfg *c, const char *assignment, sim_err *err);

/* --set stopped at a list (or array) that has no element `seg`: an index
 * out of range, a name no element has (with the names there are), or a
 * segment that is neither. */
static int list_miss(config_setting_t *list, const char *key, const char *prefix, const char *seg, sim_err *err)
{
    int n = config_setting_length(list), idx;
    if (cfg_seg_index(seg, &idx)) {
        if (n == 0)
            return sim_errf(err, "--set %s: %s has no elements, so no %s", key, prefix, seg);
        return sim_errf(err, "--set %s: %s has %d element%s, [0]%s%.0d%s, no %s", key, prefix, n, n == 1 ? "" : "s",
                        n > 1 ? " to [" : "", n > 1 ? n - 1 : 0, n > 1 ? "]" : "", seg);
    }
    char names[512] = "";
    size_t off = 0;
    for (int i = 0; i < n && off < sizeof names; i++) {
        const char *nm;
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (e && config_setting_is_group(e) && config_setting_lookup_string(e, "name", &nm))
            off += (size_t)snprintf(names + off, sizeof names - off, "%s%s", off ? ", " : "", nm);
    }
    if (config_setting_is_list(list) && *names)
        return sim_errf(err, "--set %s: no element of %s is named '%s' (named: %s; or give an index, %s.[0])", key,
                        prefix, seg, names, prefix);
    return sim_errf(err, "--set %s: %s is a list: give an element's index, %s.[0] to %s.[%d]", key, prefix, prefix,
                    prefix, n > 0 ? n - 1 : 0);
}

/* Writes "key=v" into buf: an integer setting's value rounded. */
static void number_assignment(char *buf, size_t n, const char *key, const config_setting_t *s, double v)
{
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        snprintf(buf, n, "%s=%.0f", key, round(v));
    else
        snprintf(buf, n, "%s=%.17g", key, v);
}

static bool is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* KEY*=F: the number at KEY times F; or, for a distribution's group, every
 * quantity in KEY's unit (value, min, mode, max, mean, sd, p10, p50, p90,
 * scale, values[]) times F, its shape (lambda, shape, weights) kept: the
 * law moved as a whole. */
static int cfg_scale(sim_cfg *c, const char *assignment, sim_err *err)
{
    const char *op = strstr(assignment, "*=");
    char key[1024];
    snprintf(key, sizeof key, "%.*s", (int)(op - assignment), assignment);
    char *end;
    double fac = strtod(op + 2, &end);
    if (end == op + 2 || *end || !isfinite(fac) || fac <= 0)
        return sim_errf(err, "--set %s: '%s' is not a factor above 0", assignment, op + 2);
    found f = cfg_lookup(c, key);
    if (!f.s)
        return sim_errf(err, "--set %s: no setting '%s' to scale", assignment, key);
    char set[1400];
    if (is_number(f.s)) {
        number_assignment(set, sizeof set, key, f.s, config_setting_get_float(f.s) * fac);
        if (config_setting_type(f.s) != CONFIG_TYPE_FLOAT)
            number_assignment(set, sizeof set, key, f.s, (double)config_setting_get_int64(f.s) * fac);
        return sim_cfg_set(c, set, err);
    }
    if (!config_setting_is_group(f.s))
        return sim_errf(err, "--set %s: '%s' is neither a number nor a distribution", assignment, key);
    static const char *const SCALES[] = {"value", "min", "mode", "max", "mean", "sd", "p10", "p50", "p90", "scale"};
    /* the members to scale, read before any is set (a set may copy the group from a base) */
    double vals[16];
    const char *names[16];
    int n = 0;
    for (size_t i = 0; i < sizeof SCALES / sizeof *SCALES; i++) {
        config_setting_t *m = config_setting_get_member(f.s, SCALES[i]);
        if (m && is_number(m)) {
            names[n] = SCALES[i];
            vals[n++] = config_setting_type(m) == CONFIG_TYPE_FLOAT ? config_setting_get_float(m)
                                                                    : (double)config_setting_get_int64(m);
        }
    }
    config_setting_t *values = config_setting_get_member(f.s, "values");
    char list[1024] = "";
    if (values && (config_setting_is_array(values) || config_setting_is_list(values))) {
        size_t off = (size_t)snprintf(list, sizeof list, "%s.values=[", key);
        for (int i = 0; i < config_setting_length(values) && off < sizeof list; i++) {
            config_setting_t *e = config_setting_get_elem(values, (unsigned)i);
            double v = config_setting_type(e) == CONFIG_TYPE_FLOAT ? config_setting_get_float(e)
                                                                   : (double)config_setting_get_int64(e);
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%.17g", i ? ", " : "", v * fac);
        }
        if (off + 2 >= sizeof list)
            return sim_errf(err, "--set %s: %s.values is too long to scale", assignment, key);
        snprintf(list + off, sizeof list - off, "]");
    }
    if (n == 0 && !*list)
        return sim_errf(err, "--set %s: '%s' has nothing to scale (value, min, mode, max, mean, sd, p10, p50, p90, "
                             "scale or values)",
                        assignment, key);
    for (int i = 0; i < n; i++) {
        snprintf(set, sizeof set, "%s.%s=%.17g", key, names[i], vals[i] * fac);
        if (sim_cfg_set(c, set, err))
            return -1;
    }
    return *list ? sim_cfg_set(c, list, err) : 0;
}

/* KEY+=D: the number at KEY plus D, or a distribution's group moved as a
 * whole by D (its `shift`, sim/core/dist.h). */
static int cfg_shift(sim_cfg *c, const char *assignment, sim_err *err)
{
    const char *op = strstr(assignment, "+=");
    char key[1024];
    snprintf(key, sizeof key, "%.*s", (int)(op - assignment), assignment);
    char *end;
    double by = strtod(op + 2, &end);
    if (end == op + 2 || *end || !isfinite(by))
        return sim_errf(err, "--set %s: '%s' is not a number to add", assignment, op + 2);
    found f = cfg_lookup(c, key);
    if (!f.s)
        return sim_errf(err, "--set %s: no setting '%s' to move", assignment, key);
    char set[1400];
    if (is_number(f.s)) {
        number_assignment(set, sizeof set, key, f.s, (config_setting_type(f.s) == CONFIG_TYPE_FLOAT
                                                          ? config_setting_get_float(f.s)
                                                          : (double)config_setting_get_int64(f.s)) + by);
        return sim_cfg_set(c, set, err);
    }
    if (!config_setting_is_group(f.s))
        return sim_errf(err, "--set %s: '%s' is neither a number nor a distribution", assignment, key);
    double now = 0;
    config_setting_t *sh = config_setting_get_member(f.s, "shift");
    if (sh && cfg_as_number(sh, &now) != 0)
        return sim_errf(err, "--set %s: %s.shift is not a number", assignment, key);
    int k = snprintf(set, sizeof set, "%s.shift=%.17g", key, now + by);
    if (k > 0 && (size_t)k < sizeof set - 2 && !strpbrk(set + strlen(key) + 7, ".eEn"))
        strcat(set, ".0"); /* a number of days, not an integer */
    return sim_cfg_set(c, set, err);
}

int sim_cfg_set(sim_cfg *c, const char *assignment, sim_err *err)
{
    const char *eq = strchr(assignment, '=');
    if (eq && eq > assignment && eq[-1] == '*')
        return cfg_scale(c, assignment, err);
    if (eq && eq > assignment && eq[-1] == '+')
        return cfg_shift(c, assignment, err);
    if (cfg_set(c, assignment, err))
        return -1;
    char key[1024];
    snprintf(key, sizeof key, "%.*s", (int)(strchr(assignment, '=') - assignment), assignment);
    found f = cfg_lookup(c, key);
    if (f.s && c->n_cli < MAX_CLI_SETS) {
        char p[512];
        cfg_path_of(f.s, p, sizeof p);
        if (!(c->cli[c->n_cli] = sim_strdup(p, err)))
            return sim_err_oom_for(err, "--set %s", key);
        c->cli_s[c->n_cli++] = f.s;
    }
    return 0;
}

void sim_cfg_file_path(sim_cfg *c, const char *key, const char *rel, char *full, size_t n)
{
    found f = cfg_lookup(c, key);
    const char *from = f.s && !cfg_set_by_cli(c, f.s) && config_setting_source_file(f.s) ? config_setting_source_file(f.s)
                                                                                   : c->path;
    const char *slash = strrchr(from, '/');
    if (rel[0] == '/' || !slash)
        snprintf(full, n, "%s", rel);
    else
        snprintf(full, n, "%.*s/%s", (int)(slash - from), from, rel);
}

int sim_cfg_set_derived(sim_cfg *c, const char *assignment, sim_err *err) { return cfg_set(c, assignment, err); }

int sim_cfg_pin_file(sim_cfg *c, const char *key, const char *full, sim_err *err)
{
    char abs[PATH_MAX], set[PATH_MAX + 512];
    if (!realpath(full, abs) || strchr(abs, '"') || strlen(key) > 400)
        return 0; /* read already; a path that cannot be written as a string stays as given */
    snprintf(set, sizeof set, "%s=\"%s\"", key, abs);
    return cfg_set(c, set, err); /* not a user's --set: errors keep naming the file */
}

/* Copies src (and all under it) into group `into` (or, with a NULL name,
 * into list or array `into`), keeping its file and line for messages. */
static config_setting_t *copy_setting(config_setting_t *into, const config_setting_t *src, const char *name)
{
    int type = config_setting_type(src);
    config_setting_t *d = config_setting_add(into, name, type);
    if (!d)
        return NULL;
    d->line = src->line;
    d->file = src->file; /* owned by the base's configuration, which lives as long as the variant */
    d->hook = src->hook; /* read already, or not, as the original */
    switch (type) {
    case CONFIG_TYPE_INT: config_setting_set_int(d, config_setting_get_int(src)); break;
    case CONFIG_TYPE_INT64: config_setting_set_int64(d, config_setting_get_int64(src)); break;
    case CONFIG_TYPE_FLOAT: config_setting_set_float(d, config_setting_get_float(src)); break;
    case CONFIG_TYPE_BOOL: config_setting_set_bool(d, config_setting_get_bool(src)); break;
    case CONFIG_TYPE_STRING: config_setting_set_string(d, config_setting_get_string(src)); break;
    default: {
        bool group = config_setting_is_group(src);
        for (int i = 0; i < config_setting_length(src); i++) {
            const config_setting_t *e = config_setting_get_elem(src, (unsigned)i);
            if (!copy_setting(d, e, group ? config_setting_name(e) : NULL))
                return NULL;
        }
    }
    }
    return d;
}

/* A --set that reaches into a base scenario (a key there, or a group there
 * that will hold a new key) first copies the base's setting into the
 * variant's own tree, from the first segment the variant lacks: the change
 * then lives in the variant, which the resolved scenario.cfg writes, and
 * the copy shadows the base's identical values. */
static int copy_from_base(sim_cfg *c, const segs *sg, const char *key, sim_err *err)
{
    config_setting_t *node = config_root_setting(&c->lc);
    char prefix[1024] = "";
    size_t off = 0;
    for (int i = 0; i < sg->n; i++) {
        off += (size_t)snprintf(prefix + off, sizeof prefix - off, "%s%s", i ? "." : "", sg->s[i]);
        if (!config_setting_is_group(node))
            return 0; /* the variant holds a list or value here: it is the variant's already */
        config_setting_t *own = config_setting_get_member(node, sg->s[i]);
        if (own) {
            node = own;
            continue;
        }
        found f = cfg_lookup(c, prefix);
        if (!f.s || f.s->config == &c->lc)
            return 0; /* nowhere, or in the variant's own preset: written with it */
        if (!copy_setting(node, f.s, sg->s[i]))
            return sim_errf(err, "--set %s: cannot copy '%s' from the base scenario", key, prefix);
        return 0;
    }
    return 0;
}

static int cfg_set(sim_cfg *c, const char *assignment, sim_err *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return sim_errf(err, "--set '%s': expected path.to.key=VALUE", assignment);
    char key[1024];
    size_t kn = (size_t)(eq - assignment);
    if (kn >= sizeof key)
        return sim_errf(err, "--set: key too long");
    memcpy(key, assignment, kn);
    key[kn] = '\0';
    const char *val = eq + 1;
    segs sg;
    if (cfg_split_path(key, &sg, err) != 0)
        return sim_err_prefix(err, "--set");
    if (c->base && copy_from_base(c, &sg, key, err))
        return -1;
    found f = cfg_lookup(c, key);
    if (f.s) {
        if (config_setting_is_group(f.s) && config_setting_get_member(f.s, "dist") &&
            infer_type(val) != CONFIG_TYPE_STRING && infer_type(val) != CONFIG_TYPE_BOOL) {
            /* A distribution replaced by a constant. */
            config_setting_t *p = config_setting_parent(f.s);
            char name[SEG_LEN];
            snprintf(name, sizeof name, "%s", config_setting_name(f.s));
            double d;
            parse_double(val, &d);
            if (!config_setting_is_group(p) || config_setting_remove(p, name) != CONFIG_TRUE)
                return sim_errf(err, "--set %s: cannot replace this distribution", key);
            config_setting_t *n = config_setting_add(p, name, CONFIG_TYPE_FLOAT);
            return n && config_setting_set_float(n, d) ? 0 : sim_errf(err, "--set %s: cannot set", key);
        }
        return assign_value(f.s, key, val, err);
    }
    /* Create it under the deepest container that already exists in the
     * effective layer (a rack type of the catalog, a group of the preset),
     * else in the scenario layer; missing groups on the way are created. */
    config_setting_t *s = config_root_setting(&c->lc);
    int start = 0;
    for (int k = sg.n - 1; k > 0; k--) {
        char prefix[1024] = "";
        size_t off = 0;
        for (int i = 0; i < k; i++)
            off += (size_t)snprintf(prefix + off, sizeof prefix - off, "%s%s", i ? "." : "", sg.s[i]);
        found pf = cfg_lookup(c, prefix);
        if (pf.s) {
            if (config_setting_is_list(pf.s) || config_setting_is_array(pf.s))
                return list_miss(pf.s, key, prefix, sg.s[k], err);
            if (!config_setting_is_group(pf.s))
                return sim_errf(err, "--set %s: '%s' is %s, not a group", key, prefix, cfg_type_name(pf.s));
            s = pf.s;
            start = k;
            break;
        }
    }
    for (int i = start; i < sg.n; i++) {
        int idx;
        if (cfg_seg_index(sg.s[i], &idx))
            return sim_errf(err, "--set %s: no such element", key);
        int type = i == sg.n - 1 ? infer_type(val) : CONFIG_TYPE_GROUP;
        config_setting_t *next = config_setting_add(s, sg.s[i], type);
        if (!next)
            return sim_errf(err, "--set %s: '%s' is not a valid key name", key, sg.s[i]);
        s = next;
    }
    return assign_value(s, key, val, err);
}
