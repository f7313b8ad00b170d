/* cfg: loading a scenario: its text with the includes in place, parsed, and its layers (the
 * scenario, its preset, its bases). The parts and what they share: cfg_internal.h. */
#include "sim/config/cfg.h"
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

char cfg_mark_used, cfg_mark_overridden;

/* ------------------------------------------------------------------ load */


static sim_cfg *cfg_new(const char *name, const char *include_dir, sim_inputs *in, sim_err *err)
{
    sim_cfg *c = sim_calloc(1, sizeof *c, err);
    if (!c) {
        sim_err_oom_for(err, "the scenario %s", name);
        return NULL;
    }
    config_init(&c->lc);
    c->path = sim_strdup(name, err);
    c->include_dir = sim_strdup(include_dir, err);
    c->inputs = in ? sim_inputs_ref(in) : sim_inputs_new(err);
    if (!c->path || !c->include_dir || !c->inputs) {
        sim_err_oom_for(err, "the scenario %s", name);
        sim_cfg_free(c);
        return NULL;
    }
    /* no include_dir: libconfig opens no file of its own (the text it parses has its @includes in place) */
    return c;
}

/* The file and line of line `line` of the parsed text. */
static src_span span_of(const sim_cfg *c, unsigned line)
{
    size_t lo = 0, hi = c->n_spans;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->spans[mid].first <= line)
            lo = mid;
        else
            hi = mid;
    }
    if (c->n_spans == 0)
        return (src_span){line, c->path, line};
    src_span s = c->spans[lo];
    return (src_span){line, s.file, s.file_line + (line - s.first)};
}

/* Every setting under s gets the file and line it was written on. */
static void remap(const sim_cfg *c, config_setting_t *s)
{
    if (s->line > 0) {
        src_span w = span_of(c, s->line);
        s->file = w.file;
        s->line = w.file_line;
    }
    if (config_setting_is_aggregate(s))
        for (int i = 0; i < config_setting_length(s); i++)
            remap(c, config_setting_get_elem(s, (unsigned)i));
}

/* libconfig's parse error, at the file and line it is in, with that line's
 * text (its bytes that are not printable written \xNN) or, for a key set
 * twice in one group, the key. */
static void parse_error(sim_cfg *c, const char *top_text, sim_err *err)
{
    int line = config_error_line(&c->lc);
    src_span w = span_of(c, line > 0 ? (unsigned)line : 1);
    const char *what = config_error_text(&c->lc);
    const sim_input *in = sim_inputs_find(c->inputs, w.file);
    const char *t = in ? in->text : !strcmp(w.file, c->path) ? top_text : NULL;
    for (unsigned l = 1; t && l < w.file_line; l++) {
        t = strchr(t, '\n');
        t = t ? t + 1 : NULL;
    }
    char shown[200] = "";
    size_t o = 0;
    for (const unsigned char *q = (const unsigned char *)t; t && *q && *q != '\n' && o + 6 < 96; q++)
        o += (size_t)snprintf(shown + o, sizeof shown - o, *q >= 0x20 && *q < 0x7f ? "%c" : "\\x%02X", *q);
    while (o > 0 && (shown[o - 1] == ' ' || shown[o - 1] == '\r'))
        shown[--o] = '\0';
    const char *key = shown;
    while (*key == ' ' || *key == '\t')
        key++;
    size_t kl = 0;
    while (isalnum((unsigned char)key[kl]) || key[kl] == '_' || key[kl] == '-' || key[kl] == '*')
        kl++;
    if (!strcmp(what, "duplicate setting name") && kl)
        sim_errf(err, "%s:%u: '%.*s' is set twice in the same group", w.file, w.file_line, (int)kl, key);
    else if (*shown)
        sim_errf(err, "%s:%u: %s, in: %s", w.file, line > 0 ? w.file_line : 0, what, shown);
    else
        sim_errf(err, "%s:%u: %s", w.file, line > 0 ? w.file_line : 0, what);
}

static char *dir_of(const char *path, sim_err *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sim_strdup(".", err);
    size_t n = (size_t)(slash - path);
    char *d = sim_alloc(n + 2, err);
    if (!d)
        return NULL;
    if (n == 0) {
        strcpy(d, "/");
        return d;
    }
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

/* The text being made: the scenario with its includes in place. */
typedef struct expansion {
    sim_cfg *c;
    char *text;
    size_t len, cap;
    unsigned line;      /* the line of the text being written */
    size_t total;       /* bytes of every file, each time it is included */
    const char *stack[11][2]; /* the files being expanded, outermost first: path, real path */
    int depth;
} expansion;

static int put(expansion *x, const char *s, size_t n, sim_err *err)
{
    if (sim_grow((void **)&x->text, &x->cap, x->len + n + 1, 1, err))
        return sim_err_oom_for(err, "the text of %s", x->c->path);
    memcpy(x->text + x->len, s, n);
    x->len += n;
    x->text[x->len] = '\0';
    return 0;
}

static int start_span(expansion *x, const char *file, unsigned file_line, sim_err *err)
{
    sim_cfg *c = x->c;
    if (c->n_spans && c->spans[c->n_spans - 1].first == x->line)
        c->n_spans--; /* an include at the very start of a file: the span it began is empty */
    if (sim_grow((void **)&c->spans, &c->cap_spans, c->n_spans + 1, sizeof *c->spans, err))
        return sim_err_oom_for(err, "the text of %s", c->path);
    c->spans[c->n_spans++] = (src_span){x->line, file, file_line};
    return 0;
}

/* `@include "NAME"` at the start of line p (blanks before it), as libconfig
 * 1.5's scanner takes it: NAME with \\ and \" unescaped into name; *after
 * is where the line goes on. 0: not an include; 1: one; -1: malformed. */
static int include_at(const char *p, char *name, size_t n, const char **after, const char *file, unsigned line,
                      sim_err *err)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "@include", 8) != 0 || (p[8] != ' ' && p[8] != '\t'))
        return 0;
    p += 8;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '"')
        return 0; /* libconfig reads it as text that is not a setting: its parse error says so */
    size_t k = 0;
    for (p++; *p != '"'; p++) {
        if (!*p || *p == '\n' || *p == '\r')
            return sim_errf(err, "%s:%u: @include: the file's name is not closed by a '\"' on its line", file, line);
        if (*p == '\\') {
            if (p[1] != '\\' && p[1] != '"')
                return sim_errf(err, "%s:%u: @include: a '\\' in a file's name is written \\\\ (or \\\" for a quote)",
                                file, line);
            p++;
        }
        if (k + 1 >= n)
            return sim_errf(err, "%s:%u: @include: a file name of more than %zu characters", file, line, n - 1);
        name[k++] = *p;
    }
    name[k] = '\0';
    for (p++; *p == ' ' || *p == '\t' || *p == '\r'; p++)
        ;
    if (*p && *p != '\n' && *p != '#' && !(p[0] == '/' && p[1] == '/'))
        return sim_errf(err, "%s:%u: @include \"%s\": text after it on its line; put the @include on a line of its "
                             "own",
                        file, line, name);
    *after = p;
    return 1;
}

static int expand_file(expansion *x, const char *text, const char *file, sim_err *err);

/* Reads the file an @include names (relative to the scenario's folder, as
 * libconfig does) and puts its text in place. */
static int expand_include(expansion *x, const char *name, const char *file, unsigned line, sim_err *err)
{
    char full[PATH_MAX * 2 + 2], what[PATH_MAX * 3 + 64], real[PATH_MAX];
    const char *dir = x->c->include_dir;
    snprintf(full, sizeof full, "%s%s%s", name[0] != '/' && dir ? dir : "", name[0] != '/' && dir ? "/" : "", name);
    snprintf(what, sizeof what, "%s:%u: @include \"%s\"", file, line, name);
    if (!realpath(full, real))
        snprintf(real, sizeof real, "%.4000s", full);
    for (int i = 0; i < x->depth; i++)
        if (!strcmp(x->stack[i][1], real)) {
            char chain[2048] = "";
            for (int j = i; j < x->depth; j++)
                snprintf(chain + strlen(chain), sizeof chain - strlen(chain), "%s -> ", x->stack[j][0]);
            return sim_errf(err, "%s: an include loop: %s%s", what, chain, full);
        }
    if (x->depth >= 10)
        return sim_errf(err, "%s: includes nested more than 10 deep", what);
    const sim_input *in = sim_inputs_read(x->c->inputs, full, SIM_CFG_MAX_BYTES, "scenario file", what, err);
    if (!in)
        return -1;
    x->total += in->len;
    if (x->total > SIM_CFG_MAX_BYTES)
        return sim_errf(err, "%s: the scenario and its includes come to more than %d MiB in all", what,
                        SIM_CFG_MAX_BYTES >> 20);
    if (memchr(in->text, '\0', in->len))
        return sim_errf(err, "%s: contains a NUL byte: not a text file", what);
    x->stack[x->depth][0] = in->path;
    x->stack[x->depth][1] = real;
    x->depth++;
    int rc = expand_file(x, in->text, in->path, err);
    x->depth--;
    if (rc == 0 && x->len && x->text[x->len - 1] != '\n') { /* the included text's last line ends there */
        rc = put(x, "\n", 1, err);
        x->line++;
    }
    return rc;
}

/* Copies text (the file `file`) into x, each @include replaced by its
 * file's text. Strings and comments are followed as libconfig's scanner
 * follows them: an @include inside either is text, not an include. */
static int expand_file(expansion *x, const char *text, const char *file, sim_err *err)
{
    if (!strncmp(text, "\xEF\xBB\xBF", 3))
        text += 3; /* a UTF-8 byte-order mark, which libconfig would read as a syntax error */
    if (cfg_lint_text(text, file, err))
        return -1;
    enum { CODE, STRING, COMMENT } state = CODE;
    unsigned line = 1;
    if (start_span(x, file, 1, err))
        return -1;
    for (const char *p = text; *p;) {
        const char *after = NULL;
        char name[PATH_MAX];
        int inc = state == CODE ? include_at(p, name, sizeof name, &after, file, line, err) : 0;
        if (inc < 0)
            return -1;
        if (inc) {
            if (expand_include(x, name, file, line, err))
                return -1;
            const char *nl = strchr(after, '\n');
            if (!nl)
                break;
            p = nl + 1;
            line++;
            if (start_span(x, file, line, err))
                return -1;
            continue;
        }
        /* one line, its state followed */
        const char *q = p;
        for (; *q && *q != '\n'; q++) {
            if (state == STRING) {
                if (*q == '\\' && q[1] && q[1] != '\n')
                    q++;
                else if (*q == '"')
                    state = CODE;
            } else if (state == COMMENT) {
                if (q[0] == '*' && q[1] == '/') {
                    state = CODE;
                    q++;
                }
            } else if (*q == '"') {
                state = STRING;
            } else if (q[0] == '/' && q[1] == '*') {
                state = COMMENT;
                q++;
            } else if (*q == '#' || (q[0] == '/' && q[1] == '/')) {
                q += strcspn(q, "\n");
                break;
            }
        }
        if (put(x, p, (size_t)(q - p) + (*q == '\n'), err))
            return -1;
        if (*q != '\n')
            break;
        x->line++;
        line++;
        p = q + 1;
    }
    return 0;
}

/* Parses text (the file `name`, or the scenario given as text) with its
 * includes in place into c, then gives every setting its file and line. */
static int parse_into(sim_cfg *c, const char *text, const char *name, sim_err *err)
{
    expansion x = {.c = c, .line = 1, .total = strlen(text)};
    char real[PATH_MAX];
    x.stack[0][0] = name;
    x.stack[0][1] = realpath(name, real) ? real : name;
    x.depth = 1;
    int rc = expand_file(&x, text, name, err);
    if (rc == 0 && config_read_string(&c->lc, x.text ? x.text : "") != CONFIG_TRUE) {
        parse_error(c, text, err);
        rc = -1;
    }
    free(x.text);
    if (rc == 0)
        remap(c, config_root_setting(&c->lc));
    return rc;
}

static sim_cfg *load_depth(const char *path, int depth, sim_inputs *in, sim_err *err);

/* The layers of c: its keys, its preset, then its base's (loaded here, by
 * the path its `base` key gives relative to the file that says it). */
static int set_layers(sim_cfg *c, int depth, sim_err *err)
{
    config_setting_t *root = config_root_setting(&c->lc);
    c->n_layers = 0;
    c->layer[c->n_layers] = root;
    c->layer_is_preset[c->n_layers++] = false;
    config_setting_t *preset = config_setting_get_member(root, PRESET_GROUP);
    if (preset && config_setting_is_group(preset)) {
        c->layer[c->n_layers] = preset;
        c->layer_is_preset[c->n_layers++] = true;
    }
    config_setting_t *b = config_setting_get_member(root, BASE_KEY);
    if (!b)
        return 0;
    char where[PATH_MAX + 32];
    const char *file = config_setting_source_file(b);
    snprintf(where, sizeof where, "%s:%u", file ? file : c->path, config_setting_source_line(b));
    if (config_setting_type(b) != CONFIG_TYPE_STRING)
        return sim_errf(err, "%s: %s: expected the path of a scenario file (a string)", where, BASE_KEY);
    if (depth >= MAX_BASE_DEPTH)
        return sim_errf(err, "%s: %s: bases nested more than %d deep (a cycle?)", where, BASE_KEY, MAX_BASE_DEPTH);
    const char *rel = config_setting_get_string(b);
    char full[PATH_MAX * 2 + 2], abs[PATH_MAX];
    const char *from = file ? file : c->path, *slash = strrchr(from, '/');
    if (rel[0] == '/' || !slash)
        snprintf(full, sizeof full, "%s", rel);
    else
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - from), from, rel);
    /* not beside the file: the directories of GIGASIM_PATH (colon-separated), in order */
    const char *search = getenv("GIGASIM_PATH");
    if (rel[0] != '/' && access(full, F_OK) != 0 && search) {
        for (const char *p = search; *p;) {
            size_t n = strcspn(p, ":");
            char cand[PATH_MAX * 2 + 2];
            snprintf(cand, sizeof cand, "%.*s/%s", (int)n, p, rel);
            if (n > 0 && access(cand, F_OK) == 0) {
                snprintf(full, sizeof full, "%s", cand);
                break;
            }
            p += n + (p[n] == ':');
        }
    }
    /* then gigasim's own scenarios (the build tree's, or the installed ones) */
    char own[PATH_MAX];
    if (rel[0] != '/' && access(full, F_OK) != 0 && sim_find_data_dir(NULL, "scenarios", NULL, own, sizeof own) == 0) {
        char cand[PATH_MAX * 2 + 2];
        snprintf(cand, sizeof cand, "%s/%s", own, rel);
        if (access(cand, F_OK) == 0)
            snprintf(full, sizeof full, "%s", cand);
    }
    sim_err sub;
    c->base = load_depth(full, depth + 1, c->inputs, &sub);
    if (!c->base)
        return sim_errf(err, "%s: %s \"%s\": %s", where, BASE_KEY, rel, sub.msg);
    if (realpath(full, abs) && !strchr(abs, '"')) /* the resolved scenario names its base from anywhere */
        config_setting_set_string(b, abs);
    for (int l = 0; l < c->base->n_layers && c->n_layers < MAX_LAYERS; l++) {
        c->layer[c->n_layers] = c->base->layer[l];
        c->layer_is_preset[c->n_layers++] = c->base->layer_is_preset[l];
    }
    return 0;
}

sim_cfg *sim_cfg_load(const char *path, sim_err *err) { return load_depth(path, 0, NULL, err); }

sim_cfg *sim_cfg_load_with(const char *path, sim_inputs *in, sim_err *err) { return load_depth(path, 0, in, err); }

static sim_cfg *load_depth(const char *path, int depth, sim_inputs *in, sim_err *err)
{
    char *dir = dir_of(path, err);
    sim_cfg *c = dir ? cfg_new(path, dir, in, err) : NULL;
    free(dir);
    if (!c)
        return NULL;
    const sim_input *f = sim_inputs_read(c->inputs, path, SIM_CFG_MAX_BYTES, "scenario file", path, err);
    if (f && memchr(f->text, '\0', f->len)) {
        sim_errf(err, "%s: contains a NUL byte: not a text file", path);
        f = NULL;
    }
    if (!f || parse_into(c, f->text, f->path, err) || set_layers(c, depth, err)) {
        sim_cfg_free(c);
        return NULL;
    }
    return c;
}

sim_cfg *sim_cfg_load_string(const char *text, const char *name, const char *include_dir, sim_err *err)
{
    sim_cfg *c = cfg_new(name, include_dir, NULL, err);
    if (!c)
        return NULL;
    if (parse_into(c, text, c->path, err) || set_layers(c, 0, err)) {
        sim_cfg_free(c);
        return NULL;
    }
    return c;
}

void sim_cfg_free(sim_cfg *c)
{
    if (!c)
        return;
    config_destroy(&c->lc);
    sim_cfg_free(c->base);
    for (size_t i = 0; i < c->n_asked; i++)
        free(c->asked[i]);
    free(c->asked);
    for (int i = 0; i < c->n_cli; i++)
        free(c->cli[i]);
    for (size_t i = 0; i < c->n_dist; i++)
        free(c->dist_path[i]);
    free(c->dist_path);
    free(c->dist);
    free(c->spans);
    free(c->path);
    free(c->include_dir);
    sim_inputs_unref(c->inputs);
    free(c);
}

sim_inputs *sim_cfg_inputs(const sim_cfg *c) { return c->inputs; }

const char *sim_cfg_path(const sim_cfg *c) { return c->path; }
