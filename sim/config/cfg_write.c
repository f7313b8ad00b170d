/* cfg_write: keys nothing read (refused by name), the resolved scenario with each value's origin
 * and citations, and the job's manifest. */
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

/* ------------------------------------------------------------------ unused */

static void find_unused(sim_cfg *c, const sim_cfg *top, config_setting_t *s, char *out, size_t n, int *count)
{
    void *h = config_setting_get_hook(s);
    if (h == &cfg_mark_overridden)
        return;
    bool is_root = config_setting_parent(s) == NULL;
    if (!is_root && h != &cfg_mark_used && !config_setting_is_group(s)) {
        /* Unread groups are descended into, so the message names the leaf
         * (site.grid.capacty_mw), not the group that holds it. */
        if (*count < 5) {
            char p[512], w[512];
            cfg_path_of(s, p, sizeof p);
            size_t off = strlen(out);
            const char *near = sim_closest(p, (const char *const *)top->asked, top->n_asked);
            snprintf(out + off, n - off, "%s%s: unknown key '%s'%s%s%s", *count ? "; " : "", cfg_where_of(c, s, w, sizeof w),
                     p, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        }
        (*count)++;
        return;
    }
    if (config_setting_is_group(s) || config_setting_is_list(s)) {
        int len = config_setting_length(s);
        for (int i = 0; i < len; i++)
            find_unused(c, top, config_setting_get_elem(s, (unsigned)i), out, n, count);
    }
}

int sim_cfg_check_unused(sim_cfg *c, sim_err *err)
{
    if (c->asked_oom) {
        sim_errf(err, "out of memory allocating %zu bytes", c->asked_oom);
        return sim_err_oom_for(err, "the keys the models asked for");
    }
    char msg[SIM_ERR_LEN - 64];
    msg[0] = '\0';
    int count = 0;
    for (sim_cfg *k = c; k; k = k->base) {
        config_setting_t *root = config_root_setting(&k->lc);
        config_setting_t *preset = config_setting_get_member(root, PRESET_GROUP);
        if (preset)
            cfg_mark(preset, &cfg_mark_used); /* the group itself; its members are checked */
        config_setting_t *base = config_setting_get_member(root, BASE_KEY);
        if (base)
            cfg_mark(base, &cfg_mark_used);
        find_unused(k, c, root, msg, sizeof msg, &count);
    }
    /* every value given on the command line is read (a key switched off, or replaced by another, is not) */
    for (int i = 0; count == 0 && i < c->n_cli; i++)
        if (c->cli_s[i] && config_setting_get_hook(c->cli_s[i]) != &cfg_mark_used)
            return sim_errf(err, "--set %s: does not take effect in this scenario: nothing reads it here (a part of "
                                 "the model switched off, or a key that replaces it)",
                            c->cli[i]);
    if (count == 0)
        return 0;
    if (count > 5)
        return sim_errf(err, "%s (and %d more) — no model reads these; check the spelling", msg, count - 5);
    return sim_errf(err, "%s — no model reads %s; check the spelling", msg, count > 1 ? "these" : "it");
}

/* ------------------------------------------------------------------ write */

/* A float in the fewest digits (15 to 17) that read back to the same double,
 * always with a point or an exponent so that it reads back as a float. */
static void write_float(FILE *f, double v)
{
    char buf[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
    if (!strpbrk(buf, ".eEn")) /* n: inf, nan (refused by the readers, never written by a valid run) */
        fputs(".0", f);
}

static void write_string(FILE *f, const char *v)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\x%02X", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

struct cite_cache;
static void write_setting(FILE *f, const config_setting_t *s, int depth, struct cite_cache *cc);

static void write_value(FILE *f, const config_setting_t *s, int depth, struct cite_cache *cc)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: fprintf(f, "%d", config_setting_get_int(s)); break;
    case CONFIG_TYPE_INT64: fprintf(f, "%lldL", config_setting_get_int64(s)); break;
    case CONFIG_TYPE_FLOAT: write_float(f, config_setting_get_float(s)); break;
    case CONFIG_TYPE_BOOL: fputs(config_setting_get_bool(s) ? "true" : "false", f); break;
    case CONFIG_TYPE_STRING: write_string(f, config_setting_get_string(s)); break;
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY: {
        bool group = config_setting_is_group(s), list = config_setting_is_list(s);
        int len = config_setting_length(s);
        fputs(group ? "{" : list ? "(" : "[", f);
        for (int i = 0; i < len; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (group) {
                fputc('\n', f);
                write_setting(f, e, depth + 1, cc);
            } else {
                if (list)
                    fprintf(f, "%s%*s", i ? ",\n" : "\n", 2 * (depth + 1), "");
                else
                    fputs(i ? ", " : " ", f);
                write_value(f, e, depth + 1, cc);
            }
        }
        if (group || list)
            fprintf(f, "%s%*s%s", len ? "\n" : "", len ? 2 * depth : 0, "", group ? "}" : ")");
        else
            fputs(len ? " ]" : "]", f);
        break;
    }
    default: break;
    }
}

/* The settings' source texts: the job's inputs hold every file the
 * scenario was parsed from, under the names its settings carry. */
typedef struct cite_cache {
    sim_cfg *c;
} cite_cache;

static const char *cached_text(cite_cache *cc, const char *path)
{
    const sim_input *f = sim_inputs_find(cc->c->inputs, path);
    return f ? f->text : NULL;
}

/* The comment on a line: from // or # outside a string to the line's end;
 * NULL when none. *code says whether anything precedes it. */
static const char *line_comment(const char *t, size_t *len, bool *code)
{
    bool in_str = false;
    *code = false;
    for (const char *p = t; *p && *p != '\n'; p++) {
        if (in_str && *p == '\\' && p[1])
            p++;
        else if (*p == '"')
            in_str = !in_str, *code = true;
        else if (!in_str && (*p == '#' || (*p == '/' && p[1] == '/'))) {
            *len = strcspn(p, "\n");
            return p;
        } else if (*p != ' ' && *p != '\t' && *p != '\r')
            *code = true;
    }
    return NULL;
}

/* The [TAG]s of a comment, each once, and whether it says "assumption". */
static void comment_cites(const char *cm, size_t len, char tags[][48], int *n_tags, int max, bool *assumption)
{
    for (const char *p = cm; p < cm + len; p++) {
        if (*p != '[' || !(p[1] >= 'A' && p[1] <= 'Z'))
            continue;
        size_t k = 1;
        while (p + k < cm + len && ((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9') || p[k] == '-'))
            k++;
        if (p + k >= cm + len || p[k] != ']' || k > 40)
            continue;
        int i = 0;
        while (i < *n_tags && (strlen(tags[i]) != k - 1 || strncmp(tags[i], p + 1, k - 1)))
            i++;
        if (i == *n_tags && *n_tags < max)
            snprintf(tags[(*n_tags)++], 48, "%.*s", (int)(k - 1), p + 1);
    }
    for (const char *a = cm; (a = strstr(a, "assumption")) != NULL && a < cm + len; a++)
        *assumption = true;
}

/* " // [TAG] ... assumption": the sources cited and whether it is said to be
 * an assumption, by the comment on the line that set s and the comment lines
 * just above it; " // --set" for a value given on the command line. */
static bool write_citation(FILE *f, const config_setting_t *s, cite_cache *cc)
{
    if (cfg_set_by_cli(cc->c, (config_setting_t *)s)) {
        fputs(" // --set", f);
        return true;
    }
    const char *file = config_setting_source_file(s);
    unsigned line = config_setting_source_line(s);
    const char *text = file && line ? cached_text(cc, file) : NULL;
    if (!text)
        return false;
    /* the starts of lines line-8 .. line */
    const char *starts[9] = {0};
    const char *t = text;
    for (unsigned l = 1; t && l <= line; l++) {
        if (l + 8 >= line)
            starts[8 - (line - l)] = t;
        t = strchr(t, '\n');
        t = t ? t + 1 : NULL;
    }
    if (!starts[8])
        return false;
    char tags[8][48];
    int n_tags = 0;
    bool assumption = false, code;
    size_t len;
    const char *cm = line_comment(starts[8], &len, &code);
    if (cm)
        comment_cites(cm, len, tags, &n_tags, 8, &assumption);
    for (int i = 7; i >= 0 && starts[i]; i--) {
        cm = line_comment(starts[i], &len, &code);
        if (!cm || code)
            break;
        comment_cites(cm, len, tags, &n_tags, 8, &assumption);
    }
    /* a resolved scenario's own mark: the value was given by --set to the run that wrote it */
    cm = line_comment(starts[8], &len, &code);
    if (cm && len >= 8 && !strncmp(cm, "// --set", 8)) {
        fputs(" // --set", f);
        return true;
    }
    for (int i = 0; i < n_tags; i++)
        fprintf(f, "%s[%s]", i ? " " : " // ", tags[i]);
    if (assumption)
        fputs(n_tags ? " assumption" : " // assumption", f);
    return n_tags > 0 || assumption;
}

static void write_setting(FILE *f, const config_setting_t *s, int depth, cite_cache *cc)
{
    fprintf(f, "%*s%s = ", 2 * depth, "", config_setting_name(s));
    write_value(f, s, depth, cc);
    fputs(";", f);
    if (!config_setting_is_group(s) && !config_setting_is_list(s)) {
        bool commented = write_citation(f, s, cc);
        /* a value this run did not use (a more specific layer's or key's took its place, or its part of
         * the model is off): said, so that the resolved copy never shows it as if applied */
        if (config_setting_get_hook(s) != &cfg_mark_used)
            fputs(commented ? "; not used in this run" : " // not used in this run", f);
    }
}

/* libconfig 1.5 writes floats with 14 significant digits: the resolved
 * scenario would not reproduce the run. Written here instead, each float in
 * the digits that read back exactly. */
static void write_resolved(sim_cfg *c, FILE *f)
{
    const config_setting_t *root = config_root_setting(&c->lc);
    int len = config_setting_length(root);
    cite_cache cc = {.c = c};
    for (int i = 0; i < len; i++) {
        write_setting(f, config_setting_get_elem(root, (unsigned)i), 0, &cc);
        fputc('\n', f);
    }
}

int sim_cfg_write(sim_cfg *c, const char *path, sim_err *err)
{
    FILE *f = sim_create_file(path, err);
    if (!f)
        return sim_err_prefix(err, "cannot write the resolved scenario");
    write_resolved(c, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return sim_errf(err, "%s: cannot write the resolved scenario: %s", path, strerror(errno));
    return 0;
}

char *sim_cfg_manifest(sim_cfg *c, size_t *len, sim_err *err)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f) {
        sim_errf(err, "out of memory writing the resolved scenario of %s", c->path);
        return NULL;
    }
    write_resolved(c, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        free(text);
        sim_errf(err, "out of memory writing the resolved scenario of %s", c->path);
        return NULL;
    }
    char *m = sim_inputs_manifest(c->inputs, text, n, len, err);
    free(text);
    return m;
}
