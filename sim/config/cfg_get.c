/* cfg_get: the typed readers a model calls (numbers in a range, integers, booleans, strings,
 * choices, counts) and the laws (sim_cfg_dist), each refusing a bad value by file, line and key. */
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

/* ------------------------------------------------------------------ typed */

int cfg_key_err(sim_cfg *c, config_setting_t *s, const char *path, sim_err *err, const char *fmt, ...)
{
    char where[512], what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_errf(err, "%s: %s: %s", cfg_where_of(c, s, where, sizeof where), path, what);
}


/* Where the path cannot go on because a setting on its way has the wrong
 * type: a value, an array, or a list of no named groups, where the path
 * asks for a member (`timeline.phases = ( 5 );` asked for
 * timeline.phases.[0].name). The setting, and in *next the member asked;
 * NULL when the path is simply absent. Layers as lookup. */
static config_setting_t *blocker(sim_cfg *c, const char *path, const char **next, segs *sg)
{
    if (cfg_split_path(path, sg, NULL) != 0)
        return NULL;
    for (int l = 0; l < c->n_layers; l++) {
        config_setting_t *s = c->layer[l];
        for (int i = 0; i < sg->n && s; i++) {
            config_setting_t *nx = cfg_child(s, sg->s[i]);
            int idx;
            bool named_list = false;
            if (!nx && config_setting_is_list(s) && !cfg_seg_index(sg->s[i], &idx))
                for (int e = 0; e < config_setting_length(s) && !named_list; e++) {
                    const char *nm;
                    config_setting_t *el = config_setting_get_elem(s, (unsigned)e);
                    named_list = el && config_setting_is_group(el) && config_setting_lookup_string(el, "name", &nm);
                }
            if (!nx && i > 0 && (!config_setting_is_aggregate(s) || config_setting_is_array(s) ||
                                 (config_setting_is_list(s) && !cfg_seg_index(sg->s[i], &idx) && !named_list))) {
                *next = sg->s[i];
                return s;
            }
            s = nx;
        }
        bool crossed = false;
        if (cfg_walk(c->layer[l], sg, 0, &crossed) == NULL && crossed)
            return NULL;
    }
    return NULL;
}

int cfg_missing(sim_cfg *c, const char *path, sim_err *err)
{
    const char *next = NULL;
    segs sg;
    config_setting_t *b = blocker(c, path, &next, &sg);
    if (b) {
        char p[512];
        cfg_path_of(b, p, sizeof p);
        return cfg_key_err(c, b, p, err, "expected a group holding '%s' (for %s), got %s", next, path, cfg_type_name(b));
    }
    return sim_errf(err, "%s: missing key '%s' (it has no default; set it in the scenario or its preset)",
                    c->path, path);
}

const char *cfg_type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "nothing";
    }
}

int cfg_as_number(const config_setting_t *s, double *v)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: *v = (double)config_setting_get_int(s); return 0;
    case CONFIG_TYPE_INT64: *v = (double)config_setting_get_int64(s); return 0;
    case CONFIG_TYPE_FLOAT: *v = config_setting_get_float(s); return 0;
    default: return -1;
    }
}

int cfg_check_range(sim_cfg *c, config_setting_t *s, const char *path, double v, sim_range r, sim_err *err)
{
    if (v != v)
        return cfg_key_err(c, s, path, err, "must be a number (got NaN)");
    if (!isfinite(v))
        return cfg_key_err(c, s, path, err, "must be finite (got %g)", v);
    bool lo_ok = r.lo_open ? v > r.lo : v >= r.lo;
    if (!lo_ok) {
        if (r.hi < INFINITY)
            return cfg_key_err(c, s, path, err, "must be in %s%g, %g] (got %g)", r.lo_open ? "(" : "[", r.lo, r.hi, v);
        return cfg_key_err(c, s, path, err, "must be %s %g (got %g)", r.lo_open ? ">" : ">=", r.lo, v);
    }
    if (!(v <= r.hi)) {
        if (r.lo > -INFINITY)
            return cfg_key_err(c, s, path, err, "must be in %s%g, %g] (got %g)", r.lo_open ? "(" : "[", r.lo, r.hi, v);
        return cfg_key_err(c, s, path, err, "must be <= %g (got %g)", r.hi, v);
    }
    return 0;
}

int sim_cfg_num(sim_cfg *c, const char *path, double def, sim_range r, double *out, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (def != def)
            return cfg_missing(c, path, err);
        *out = def;
        return 0;
    }
    double v;
    if (cfg_as_number(f.s, &v) != 0)
        return cfg_key_err(c, f.s, path, err, "expected a number, got %s", cfg_type_name(f.s));
    if (cfg_check_range(c, f.s, path, v, r, err) != 0)
        return -1;
    *out = v;
    return 0;
}

int sim_cfg_int(sim_cfg *c, const char *path, long long def, long long lo, long long hi, long long *out, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (def == SIM_INT_REQUIRED)
            return cfg_missing(c, path, err);
        *out = def;
        return 0;
    }
    long long v;
    int t = config_setting_type(f.s);
    if (t == CONFIG_TYPE_INT)
        v = config_setting_get_int(f.s);
    else if (t == CONFIG_TYPE_INT64)
        v = config_setting_get_int64(f.s);
    else if (t == CONFIG_TYPE_FLOAT) {
        double d = config_setting_get_float(f.s);
        if (!(d == floor(d)))
            return cfg_key_err(c, f.s, path, err, "expected a whole number, got %g", d);
        if (!(d >= (double)lo && d <= (double)hi)) /* before the conversion, which a huge d would overflow */
            return cfg_key_err(c, f.s, path, err, "must be in [%lld, %lld] (got %g)", lo, hi, d);
        v = (long long)d;
    } else
        return cfg_key_err(c, f.s, path, err, "expected an integer, got %s", cfg_type_name(f.s));
    if (v < lo || v > hi)
        return cfg_key_err(c, f.s, path, err, "must be in [%lld, %lld] (got %lld)", lo, hi, v);
    *out = v;
    return 0;
}

int sim_cfg_bool(sim_cfg *c, const char *path, int def, bool *out, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (def < 0)
            return cfg_missing(c, path, err);
        *out = def != 0;
        return 0;
    }
    if (config_setting_type(f.s) != CONFIG_TYPE_BOOL)
        return cfg_key_err(c, f.s, path, err, "expected true or false, got %s", cfg_type_name(f.s));
    *out = config_setting_get_bool(f.s) != 0;
    return 0;
}

int sim_cfg_str(sim_cfg *c, const char *path, const char *def, const char **out, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (!def)
            return cfg_missing(c, path, err);
        *out = def;
        return 0;
    }
    if (config_setting_type(f.s) != CONFIG_TYPE_STRING)
        return cfg_key_err(c, f.s, path, err, "expected a string, got %s", cfg_type_name(f.s));
    *out = config_setting_get_string(f.s);
    return 0;
}

int sim_cfg_choice(sim_cfg *c, const char *path, const char *def, const char *const *names, size_t n, int *out,
                   sim_err *err)
{
    const char *v;
    if (sim_cfg_str(c, path, def, &v, err))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    char list[512] = "", where[256];
    size_t off = 0;
    for (size_t i = 0; i < n && off < sizeof list - 1; i++)
        off += (size_t)snprintf(list + off, sizeof list - off, "%s\"%s\"", i ? ", " : "", names[i]);
    return sim_errf(err, "%s: %s: \"%s\" is not one of %s", sim_cfg_where(c, path, where, sizeof where), path, v, list);
}

int sim_cfg_count(sim_cfg *c, const char *path, bool required, size_t *n, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (required)
            return cfg_missing(c, path, err);
        *n = 0;
        return 0;
    }
    if (!config_setting_is_list(f.s) && !config_setting_is_array(f.s))
        return cfg_key_err(c, f.s, path, err, "expected a list ( ... ) or an array [ ... ], got %s", cfg_type_name(f.s));
    *n = (size_t)config_setting_length(f.s);
    return 0;
}

/* ------------------------------------------------------------------ dist */

static int member_num(sim_cfg *c, config_setting_t *g, const char *path, const char *name, double *v, sim_err *err)
{
    config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return cfg_key_err(c, g, path, err, "distribution '%s' needs '%s'",
                       config_setting_get_string(config_setting_get_member(g, "dist")), name);
    cfg_mark(m, &cfg_mark_used);
    if (cfg_as_number(m, v) != 0)
        return cfg_key_err(c, m, path, err, "'%s' must be a number, got %s", name, cfg_type_name(m));
    if (!isfinite(*v))
        return cfg_key_err(c, m, path, err, "'%s' must be finite (got %g)", name, *v);
    return 0;
}

static int member_array(sim_cfg *c, config_setting_t *g, const char *path, const char *name,
                        double *vals, size_t *n, bool required, sim_err *err)
{
    config_setting_t *m = config_setting_get_member(g, name);
    if (!m) {
        *n = 0;
        return required ? cfg_key_err(c, g, path, err, "empirical distribution needs '%s'", name) : 0;
    }
    cfg_mark(m, &cfg_mark_used);
    if (!config_setting_is_aggregate(m) || config_setting_is_group(m))
        return cfg_key_err(c, m, path, err, "'%s' must be an array of numbers", name);
    int len = config_setting_length(m);
    if (len < 1 || len > SIM_DIST_MAX_TABLE)
        return cfg_key_err(c, m, path, err, "'%s' must have 1 to %d values (has %d)", name, SIM_DIST_MAX_TABLE, len);
    for (int i = 0; i < len; i++) {
        config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        cfg_mark(e, &cfg_mark_used);
        if (cfg_as_number(e, &vals[i]) != 0 || !isfinite(vals[i]))
            return cfg_key_err(c, m, path, err, "'%s' element %d must be a finite number", name, i);
    }
    *n = (size_t)len;
    return 0;
}

/* Remembers a distribution the models read (once per path), an element of
 * a list named by its name where it has one (timeline.phases.[1].x is
 * timeline.phases.grid_interconnection.x: what --set takes and a person reads). */
static int note_dist(sim_cfg *c, const char *asked, const sim_dist *d, sim_err *err)
{
    char path[1024] = "", orig[1024] = "";
    segs sg;
    if (cfg_split_path(asked, &sg, NULL) != 0)
        sg.n = 0;
    for (int i = 0; i < sg.n; i++) {
        int idx;
        const char *seg = sg.s[i], *nm = NULL;
        if (cfg_seg_index(seg, &idx) && *orig) {
            found f = cfg_lookup(c, orig);
            config_setting_t *e = f.s && config_setting_is_list(f.s) ? config_setting_get_elem(f.s, (unsigned)idx) : NULL;
            if (e && config_setting_is_group(e) && config_setting_lookup_string(e, "name", &nm) && nm && *nm &&
                !strpbrk(nm, ".[]= \"*"))
                seg = nm;
        }
        size_t l = strlen(path), lo = strlen(orig);
        snprintf(path + l, sizeof path - l, "%s%s", l ? "." : "", seg);
        snprintf(orig + lo, sizeof orig - lo, "%s%s", lo ? "." : "", sg.s[i]);
    }
    if (!*path)
        snprintf(path, sizeof path, "%s", asked);
    for (size_t i = 0; i < c->n_dist; i++)
        if (!strcmp(c->dist_path[i], path))
            return 0;
    if (sim_grow((void **)&c->dist_path, &c->cap_dist_path, c->n_dist + 1, sizeof *c->dist_path, err) ||
        sim_grow((void **)&c->dist, &c->cap_dist, c->n_dist + 1, sizeof *c->dist, err))
        return sim_err_oom_for(err, "the distributions of %s", c->path);
    if (!(c->dist_path[c->n_dist] = sim_strdup(path, err)))
        return -1;
    c->dist[c->n_dist++] = *d;
    return 0;
}

/* An empirical law's values and weights (the weights as a cumulative table). */
static int read_empirical(sim_cfg *c, config_setting_t *g, const char *path, sim_dist *d, sim_err *err)
{
    size_t nv, nw;
    double w[SIM_DIST_MAX_TABLE];
    if (member_array(c, g, path, "values", d->values, &nv, true, err) ||
        member_array(c, g, path, "weights", w, &nw, false, err)) return -1;
    if (nw && nw != nv)
        return cfg_key_err(c, g, path, err, "empirical has %zu values but %zu weights", nv, nw);
    double total = 0;
    for (size_t i = 0; i < nv; i++) {
        double wi = nw ? w[i] : 1.0;
        if (!(wi >= 0)) return cfg_key_err(c, g, path, err, "empirical weight %zu must be >= 0 (got %g)", i, wi);
        total += wi;
        d->cum_weights[i] = total;
    }
    if (!(total > 0)) return cfg_key_err(c, g, path, err, "empirical weights sum to zero");
    for (size_t i = 0; i < nv; i++)
        d->cum_weights[i] /= total;
    d->cum_weights[nv - 1] = 1.0;
    d->n_table = nv;
    return 0;
}

/* The parameters of law `kn` (d->kind set), checked. */
static int read_law(sim_cfg *c, config_setting_t *g, const char *path, const char *kn, sim_range r, sim_dist *d,
                    sim_err *err)
{
    double a, b, m, lambda;
    switch (d->kind) {
    case SIM_DIST_CONST:
        if (member_num(c, g, path, "value", &d->p[0], err)) return -1;
        break;
    case SIM_DIST_UNIFORM:
        if (member_num(c, g, path, "min", &d->p[0], err) || member_num(c, g, path, "max", &d->p[1], err)) return -1;
        if (!(d->p[1] >= d->p[0])) return cfg_key_err(c, g, path, err, "uniform needs max >= min (got min %g, max %g)", d->p[0], d->p[1]);
        break;
    case SIM_DIST_TRIANGULAR:
    case SIM_DIST_PERT:
        if (member_num(c, g, path, "min", &a, err) || member_num(c, g, path, "mode", &m, err) ||
            member_num(c, g, path, "max", &b, err)) return -1;
        if (!(a <= m && m <= b))
            return cfg_key_err(c, g, path, err, "%s needs min <= mode <= max (got %g, %g, %g)", kn, a, m, b);
        d->p[0] = a; d->p[1] = m; d->p[2] = b;
        if (d->kind == SIM_DIST_PERT) {
            lambda = 4.0;
            if (config_setting_get_member(g, "lambda") && member_num(c, g, path, "lambda", &lambda, err)) return -1;
            if (!(lambda > 0)) return cfg_key_err(c, g, path, err, "pert lambda must be > 0 (got %g)", lambda);
            d->p[3] = lambda;
        }
        break;
    case SIM_DIST_NORMAL:
        if (member_num(c, g, path, "mean", &d->p[0], err) || member_num(c, g, path, "sd", &d->p[1], err)) return -1;
        if (!(d->p[1] >= 0)) return cfg_key_err(c, g, path, err, "normal sd must be >= 0 (got %g)", d->p[1]);
        if (r.lo > -INFINITY)
            return cfg_key_err(c, g, path, err, "a normal distribution can go below %g; use lognormal, pert or triangular for a bounded quantity", r.lo);
        break;
    case SIM_DIST_LOGNORMAL:
        if (member_num(c, g, path, "p50", &a, err) || member_num(c, g, path, "p90", &b, err)) return -1;
        if (!(a > 0)) return cfg_key_err(c, g, path, err, "lognormal p50 must be > 0 (got %g)", a);
        if (!(b > a)) return cfg_key_err(c, g, path, err, "lognormal p90 must be greater than p50 (got p50 %g, p90 %g)", a, b);
        *d = sim_dist_lognormal_p50_p90(a, b);
        break;
    case SIM_DIST_EXPONENTIAL:
        if (member_num(c, g, path, "mean", &d->p[0], err)) return -1;
        if (!(d->p[0] > 0)) return cfg_key_err(c, g, path, err, "exponential mean must be > 0 (got %g)", d->p[0]);
        break;
    case SIM_DIST_WEIBULL:
        if (member_num(c, g, path, "shape", &d->p[0], err) || member_num(c, g, path, "scale", &d->p[1], err)) return -1;
        if (!(d->p[0] > 0 && d->p[1] > 0))
            return cfg_key_err(c, g, path, err, "weibull shape and scale must be > 0 (got %g, %g)", d->p[0], d->p[1]);
        break;
    case SIM_DIST_EMPIRICAL:
        if (read_empirical(c, g, path, d, err))
            return -1;
        break;
    }
    return 0;
}

/* No other member than the law's (a typo), and the law within the key's range with a finite mean. */
static int check_law(sim_cfg *c, config_setting_t *g, const char *path, const char *kn, sim_range r,
                     const sim_dist *d, sim_err *err)
{
    /* Every other member of the group is a typo. */
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        config_setting_t *mb = config_setting_get_elem(g, (unsigned)i);
        if (config_setting_get_hook(mb) != &cfg_mark_used)
            return cfg_key_err(c, mb, path, err, "unknown parameter '%s' for a %s distribution", config_setting_name(mb), kn);
    }
    double lo = sim_dist_min(d);
    double hi = d->kind == SIM_DIST_CONST ? d->p[0]
              : (d->kind == SIM_DIST_UNIFORM ? d->p[1]
              : (d->kind == SIM_DIST_TRIANGULAR || d->kind == SIM_DIST_PERT ? d->p[2] : INFINITY));
    if (d->kind == SIM_DIST_EMPIRICAL) {
        hi = d->values[0];
        for (size_t i = 1; i < d->n_table; i++)
            if (d->values[i] > hi) hi = d->values[i];
    }
    hi += d->shift;
    if (r.lo_open ? !(lo > r.lo) : !(lo >= r.lo))
        return cfg_key_err(c, g, path, err, "the distribution can take %g, but the value must be %s %g", lo, r.lo_open ? ">" : ">=", r.lo);
    if (hi > r.hi)
        return cfg_key_err(c, g, path, err, "the distribution can take %g, but the value must be <= %g", hi, r.hi);
    double mean = sim_dist_mean(d);
    if (!isfinite(mean) || fabs(mean) > SIM_DIST_MAX_MEAN)
        return cfg_key_err(c, g, path, err, "the distribution's mean is %g: its spread is too wide for any quantity "
                                        "(at most %g)", mean, SIM_DIST_MAX_MEAN);
    return 0;
}

int sim_cfg_dist(sim_cfg *c, const char *path, const sim_dist *def, sim_range r, sim_dist *out, sim_err *err)
{
    found f = cfg_lookup_mark(c, path);
    if (!f.s) {
        if (!def)
            return cfg_missing(c, path, err);
        *out = *def;
        return 0;
    }
    sim_dist d;
    memset(&d, 0, sizeof d);
    double v;
    if (cfg_as_number(f.s, &v) == 0) {
        if (cfg_check_range(c, f.s, path, v, r, err) != 0)
            return -1;
        *out = sim_dist_constant(v);
        return 0;
    }
    if (!config_setting_is_group(f.s))
        return cfg_key_err(c, f.s, path, err, "expected a number or a distribution group { dist = \"...\"; ... }, got %s",
                       cfg_type_name(f.s));
    config_setting_t *g = f.s;
    config_setting_t *kind = config_setting_get_member(g, "dist");
    if (!kind || config_setting_type(kind) != CONFIG_TYPE_STRING)
        return cfg_key_err(c, g, path, err, "a distribution group needs dist = \"const|uniform|triangular|pert|normal|lognormal|exponential|weibull|empirical\"");
    cfg_mark(kind, &cfg_mark_used);
    const char *kn = config_setting_get_string(kind);
    if (sim_dist_kind_parse(kn, &d.kind) != 0)
        return cfg_key_err(c, kind, path, err, "unknown distribution '%s' (known: const, uniform, triangular, pert, normal, lognormal, exponential, weibull, empirical)", kn);
    if (read_law(c, g, path, kn, r, &d, err))
        return -1;
    /* the law moved as a whole (KEY+=D) */
    if (config_setting_get_member(g, "shift") && member_num(c, g, path, "shift", &d.shift, err))
        return -1;
    if (check_law(c, g, path, kn, r, &d, err))
        return -1;
    *out = d;
    return d.kind == SIM_DIST_CONST ? 0 : note_dist(c, path, &d, err);
}

size_t sim_cfg_dist_count(const sim_cfg *c) { return c->n_dist; }

const char *sim_cfg_dist_at(const sim_cfg *c, size_t i, sim_dist *d)
{
    if (i >= c->n_dist)
        return NULL;
    if (d)
        *d = c->dist[i];
    return c->dist_path[i];
}
