#include "sim/config/cfg.h"

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

static char mark_used;       /* this setting was read (descend to check children) */
static char mark_overridden; /* a preset subtree shadowed by the scenario: all of it counts as read */

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

/* What libconfig 1.5 would silently reinterpret in text, and what would
 * make it slow: an integer literal outside 32 bits (it keeps the low 32
 * bits: 4294967297 becomes 1; a literal with the L suffix, or written as a
 * float, is read whole), a block comment never closed (it drops the rest of
 * the file), a string (adjacent strings joined) or other token longer than
 * SIM_CFG_MAX_TOKEN (libconfig's scanner grows it in quadratic time), a
 * group of more than SIM_CFG_MAX_GROUP_KEYS keys (its duplicate check is
 * quadratic) and groups, lists and arrays nested more than SIM_CFG_MAX_DEPTH
 * deep. Strings and comments are skipped as libconfig's scanner skips them.
 * Messages name the file, the line, the key being written and the limit. */
#define KEY_SHOWN 64
static int lint_text(const char *text, const char *name, sim_err *err)
{
    int line = 1, comment_line = 0, depth = 0;
    size_t keys[SIM_CFG_MAX_DEPTH + 1] = {0};
    char open[SIM_CFG_MAX_DEPTH + 1] = {'{'};
    const char *key = "", *ident = NULL, *group_key[SIM_CFG_MAX_DEPTH + 1] = {"(top level)"};
    int key_len = 0, ident_len = 0, group_key_len[SIM_CFG_MAX_DEPTH + 1] = {11};
    size_t string_run = 0; /* characters in the strings joined so far */
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            continue;
        } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
            continue; /* keeps adjacent strings adjacent */
        } else if (*p == '"') { /* a string, with its escapes */
            const char *s0 = p;
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if (*p == '\n')
                    line++;
            }
            string_run += (size_t)(p - s0 - 1);
            if (string_run > SIM_CFG_MAX_TOKEN)
                return sim_errf(err, "%s:%d: %.*s: a string of more than %d characters (the limit SIM_CFG_MAX_TOKEN)",
                                name, line, key_len, key, SIM_CFG_MAX_TOKEN);
            if (!*p)
                break;
            continue;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        } else if (*p == '/' && p[1] == '*') {
            comment_line = line;
            for (p += 2; *p && !(*p == '*' && p[1] == '/'); p++)
                line += *p == '\n';
            if (!*p)
                return sim_errf(err,
                                "%s:%d: a /* comment is never closed: libconfig would ignore the rest of the file",
                                name, comment_line);
            p++;
            continue;
        } else if (*p == '{' || *p == '(' || *p == '[') {
            if (++depth > SIM_CFG_MAX_DEPTH)
                return sim_errf(err, "%s:%d: %.*s: groups, lists and arrays nested more than %d deep (the limit "
                                     "SIM_CFG_MAX_DEPTH)", name, line, key_len, key, SIM_CFG_MAX_DEPTH);
            keys[depth] = 0;
            open[depth] = *p;
            group_key[depth] = key;
            group_key_len[depth] = key_len;
        } else if (*p == '}' || *p == ')' || *p == ']') {
            if (depth > 0)
                depth--;
        } else if (*p == '=' || *p == ':') {
            if (ident) {
                key = ident;
                key_len = ident_len < KEY_SHOWN ? ident_len : KEY_SHOWN;
            }
            if (open[depth] == '{' && ++keys[depth] > SIM_CFG_MAX_GROUP_KEYS)
                return sim_errf(err, "%s:%d: %.*s: a group of more than %d keys (the limit SIM_CFG_MAX_GROUP_KEYS)",
                                name, line, group_key_len[depth], group_key[depth], SIM_CFG_MAX_GROUP_KEYS);
        } else if (*p >= '0' && *p <= '9' && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
                                                            p[-1] == '.'))) {
            const char *q = p;
            bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
            if (hex)
                q += 2;
            while (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q))
                q++;
            bool is_float = !hex && (*q == '.' || *q == 'e' || *q == 'E');
            if (!is_float && *q != 'L') {
                bool neg = p > text && p[-1] == '-';
                errno = 0;
                unsigned long long v = strtoull(p, NULL, hex ? 16 : 10);
                if (errno == ERANGE || v > (neg ? 2147483648ULL : 2147483647ULL))
                    return sim_errf(err,
                                    "%s:%d: %.*s: the integer %s%.*s does not fit in 32 bits: libconfig would keep "
                                    "only its low bits; write it with a decimal point (%s%.*s.0) or an L suffix",
                                    name, line, key_len, key, neg ? "-" : "", (int)(q - p) < KEY_SHOWN ? (int)(q - p) : KEY_SHOWN, p,
                                    neg ? "-" : "", (int)(q - p) < KEY_SHOWN ? (int)(q - p) : KEY_SHOWN, p);
            }
            while (isalnum((unsigned char)*q) || *q == '.' || ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E')))
                q++;
            if (q - p > SIM_CFG_MAX_TOKEN)
                return sim_errf(err, "%s:%d: %.*s: a number of more than %d characters (the limit SIM_CFG_MAX_TOKEN)",
                                name, line, key_len, key, SIM_CFG_MAX_TOKEN);
            p = q - 1;
        } else if (isalpha((unsigned char)*p) || *p == '_' || *p == '*') {
            const char *q = p;
            while (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '*')
                q++;
            if (q - p > SIM_CFG_MAX_TOKEN)
                return sim_errf(err, "%s:%d: a name of more than %d characters (the limit SIM_CFG_MAX_TOKEN)", name,
                                line, SIM_CFG_MAX_TOKEN);
            ident = p;
            ident_len = (int)(q - p);
            p = q - 1;
        }
        string_run = 0;
    }
    return 0;
}

/* ------------------------------------------------------------------ load */

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
    if (lint_text(text, file, err))
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

/* ------------------------------------------------------------------ paths */

typedef struct segs {
    int n;
    char s[MAX_SEGS][SEG_LEN];
} segs;

static int split_path(const char *path, segs *out, sim_err *err)
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

static int seg_index(const char *seg, int *idx)
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

static config_setting_t *child(config_setting_t *s, const char *seg)
{
    int idx;
    if (!s)
        return NULL;
    if (seg_index(seg, &idx))
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
static config_setting_t *walk(config_setting_t *from, const segs *sg, int start, bool *crossed_list)
{
    config_setting_t *s = from;
    *crossed_list = false;
    for (int i = start; i < sg->n && s; i++) {
        /* a list entered, or a scalar where the path goes on (a number the scenario gives in place of the
         * preset's group): the preset's elements do not mix in */
        if (config_setting_is_list(s) || config_setting_is_array(s) || !config_setting_is_aggregate(s))
            *crossed_list = true;
        s = child(s, sg->s[i]);
    }
    return s;
}

typedef struct found {
    config_setting_t *s;                    /* effective setting or NULL */
    int layer;                              /* the layer it is in */
    config_setting_t *shadow[MAX_LAYERS];   /* the same key in lower layers, shadowed by it */
    int n_shadow;
} found;

static found lookup(sim_cfg *c, const char *path)
{
    found f;
    f.s = NULL;
    f.layer = -1;
    f.n_shadow = 0;
    segs sg;
    if (split_path(path, &sg, NULL) != 0)
        return f;
    for (int l = 0; l < c->n_layers; l++) {
        bool crossed = false;
        config_setting_t *s = walk(c->layer[l], &sg, 0, &crossed);
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

static void mark(config_setting_t *s, void *how)
{
    for (; s; s = config_setting_parent(s)) {
        if (config_setting_get_hook(s) == &mark_overridden)
            return;
        config_setting_set_hook(s, how);
        how = &mark_used;
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
        char **a = realloc(c->asked, cap * sizeof *a);
        if (!a)
            return;
        c->asked = a;
        c->cap_asked = cap;
    }
    char *p = strdup(path);
    if (p)
        c->asked[c->n_asked++] = p;
}

static found lookup_mark(sim_cfg *c, const char *path)
{
    note_asked(c, path);
    found f = lookup(c, path);
    if (f.s)
        mark(f.s, &mark_used);
    shadow_all(&f);
    return f;
}

static void shadow_all(found *f)
{
    for (int i = 0; i < f->n_shadow; i++)
        mark(f->shadow[i], &mark_overridden);
}

static void path_of(config_setting_t *s, char *buf, size_t n)
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
static bool set_by_cli(sim_cfg *c, config_setting_t *s)
{
    if (!s)
        return false;
    for (int i = 0; i < c->n_cli; i++) /* the setting itself, not another layer's of the same path */
        if (c->cli_s[i] == s || (c->cli_s[i] && config_setting_parent(c->cli_s[i]) == s &&
                                 !config_setting_is_list(s) && !config_setting_is_array(s) && config_setting_parent(s)))
            return true;
    return false;
}

static const char *where_of(sim_cfg *c, config_setting_t *s, char *buf, size_t n)
{
    const char *file = s ? config_setting_source_file(s) : NULL;
    unsigned line = s ? config_setting_source_line(s) : 0;
    if ((s && !file && line == 0) || set_by_cli(c, s))
        snprintf(buf, n, "--set");
    else if (line > 0)
        snprintf(buf, n, "%s:%u", file ? file : c->path, line);
    else
        snprintf(buf, n, "%s", c->path);
    return buf;
}

const char *sim_cfg_where(sim_cfg *c, const char *path, char *buf, size_t n)
{
    found f = lookup(c, path);
    return where_of(c, f.s, buf, n);
}

void sim_cfg_claim(sim_cfg *c, const char *path)
{
    found f = lookup(c, path);
    shadow_all(&f);
}

/* How specifically a setting was given: --set (-1), else its layer (0 the
 * scenario's own keys, then its preset, then its base's...). */
static int rank_of(sim_cfg *c, const found *f)
{
    return set_by_cli(c, f->s) ? -1 : f->layer;
}

int sim_cfg_replaces(sim_cfg *c, const char *winner, const char *loser, sim_err *err)
{
    found w = lookup(c, winner), l = lookup(c, loser);
    if (l.s && w.s && rank_of(c, &l) <= rank_of(c, &w)) {
        char wl[512], ww[512], lp[512];
        where_of(c, l.s, wl, sizeof wl);
        where_of(c, w.s, ww, sizeof ww);
        path_of(l.s, lp, sizeof lp);
        return sim_errf(err, "%s: %s does not take effect: %s (%s) replaces it in this scenario; set that key instead, "
                             "or remove one of them",
                        wl, lp, winner, ww);
    }
    sim_cfg_ignore(c, loser);
    return 0;
}

void sim_cfg_ignore(sim_cfg *c, const char *path)
{
    found f = lookup(c, path);
    if (f.s)
        mark(f.s, &mark_overridden);
    shadow_all(&f);
}

bool sim_cfg_has_own(sim_cfg *c, const char *path)
{
    found f = lookup(c, path);
    return f.s && !c->layer_is_preset[f.layer];
}

bool sim_cfg_is_integer(sim_cfg *c, const char *path)
{
    found f = lookup(c, path);
    return f.s && (config_setting_type(f.s) == CONFIG_TYPE_INT || config_setting_type(f.s) == CONFIG_TYPE_INT64);
}

bool sim_cfg_has(sim_cfg *c, const char *path)
{
    note_asked(c, path);
    return lookup(c, path).s != NULL;
}

/* ------------------------------------------------------------------ typed */

static int key_err(sim_cfg *c, config_setting_t *s, const char *path, sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int key_err(sim_cfg *c, config_setting_t *s, const char *path, sim_err *err, const char *fmt, ...)
{
    char where[512], what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_errf(err, "%s: %s: %s", where_of(c, s, where, sizeof where), path, what);
}

static const char *type_name(const config_setting_t *s);

/* Where the path cannot go on because a setting on its way has the wrong
 * type: a value, an array, or a list of no named groups, where the path
 * asks for a member (`timeline.phases = ( 5 );` asked for
 * timeline.phases.[0].name). The setting, and in *next the member asked;
 * NULL when the path is simply absent. Layers as lookup. */
static config_setting_t *blocker(sim_cfg *c, const char *path, const char **next, segs *sg)
{
    if (split_path(path, sg, NULL) != 0)
        return NULL;
    for (int l = 0; l < c->n_layers; l++) {
        config_setting_t *s = c->layer[l];
        for (int i = 0; i < sg->n && s; i++) {
            config_setting_t *nx = child(s, sg->s[i]);
            int idx;
            bool named_list = false;
            if (!nx && config_setting_is_list(s) && !seg_index(sg->s[i], &idx))
                for (int e = 0; e < config_setting_length(s) && !named_list; e++) {
                    const char *nm;
                    config_setting_t *el = config_setting_get_elem(s, (unsigned)e);
                    named_list = el && config_setting_is_group(el) && config_setting_lookup_string(el, "name", &nm);
                }
            if (!nx && i > 0 && (!config_setting_is_aggregate(s) || config_setting_is_array(s) ||
                                 (config_setting_is_list(s) && !seg_index(sg->s[i], &idx) && !named_list))) {
                *next = sg->s[i];
                return s;
            }
            s = nx;
        }
        bool crossed = false;
        if (walk(c->layer[l], sg, 0, &crossed) == NULL && crossed)
            return NULL;
    }
    return NULL;
}

static int missing(sim_cfg *c, const char *path, sim_err *err)
{
    const char *next = NULL;
    segs sg;
    config_setting_t *b = blocker(c, path, &next, &sg);
    if (b) {
        char p[512];
        path_of(b, p, sizeof p);
        return key_err(c, b, p, err, "expected a group holding '%s' (for %s), got %s", next, path, type_name(b));
    }
    return sim_errf(err, "%s: missing key '%s' (it has no default; set it in the scenario or its preset)",
                    c->path, path);
}

static const char *type_name(const config_setting_t *s)
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

static int as_number(const config_setting_t *s, double *v)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: *v = (double)config_setting_get_int(s); return 0;
    case CONFIG_TYPE_INT64: *v = (double)config_setting_get_int64(s); return 0;
    case CONFIG_TYPE_FLOAT: *v = config_setting_get_float(s); return 0;
    default: return -1;
    }
}

static int check_range(sim_cfg *c, config_setting_t *s, const char *path, double v, sim_range r, sim_err *err)
{
    if (v != v)
        return key_err(c, s, path, err, "must be a number (got NaN)");
    if (!isfinite(v))
        return key_err(c, s, path, err, "must be finite (got %g)", v);
    bool lo_ok = r.lo_open ? v > r.lo : v >= r.lo;
    if (!lo_ok) {
        if (r.hi < INFINITY)
            return key_err(c, s, path, err, "must be in %s%g, %g] (got %g)", r.lo_open ? "(" : "[", r.lo, r.hi, v);
        return key_err(c, s, path, err, "must be %s %g (got %g)", r.lo_open ? ">" : ">=", r.lo, v);
    }
    if (!(v <= r.hi)) {
        if (r.lo > -INFINITY)
            return key_err(c, s, path, err, "must be in %s%g, %g] (got %g)", r.lo_open ? "(" : "[", r.lo, r.hi, v);
        return key_err(c, s, path, err, "must be <= %g (got %g)", r.hi, v);
    }
    return 0;
}

int sim_cfg_num(sim_cfg *c, const char *path, double def, sim_range r, double *out, sim_err *err)
{
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (def != def)
            return missing(c, path, err);
        *out = def;
        return 0;
    }
    double v;
    if (as_number(f.s, &v) != 0)
        return key_err(c, f.s, path, err, "expected a number, got %s", type_name(f.s));
    if (check_range(c, f.s, path, v, r, err) != 0)
        return -1;
    *out = v;
    return 0;
}

int sim_cfg_int(sim_cfg *c, const char *path, long long def, long long lo, long long hi, long long *out, sim_err *err)
{
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (def == SIM_INT_REQUIRED)
            return missing(c, path, err);
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
            return key_err(c, f.s, path, err, "expected a whole number, got %g", d);
        if (!(d >= (double)lo && d <= (double)hi)) /* before the conversion, which a huge d would overflow */
            return key_err(c, f.s, path, err, "must be in [%lld, %lld] (got %g)", lo, hi, d);
        v = (long long)d;
    } else
        return key_err(c, f.s, path, err, "expected an integer, got %s", type_name(f.s));
    if (v < lo || v > hi)
        return key_err(c, f.s, path, err, "must be in [%lld, %lld] (got %lld)", lo, hi, v);
    *out = v;
    return 0;
}

int sim_cfg_bool(sim_cfg *c, const char *path, int def, bool *out, sim_err *err)
{
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (def < 0)
            return missing(c, path, err);
        *out = def != 0;
        return 0;
    }
    if (config_setting_type(f.s) != CONFIG_TYPE_BOOL)
        return key_err(c, f.s, path, err, "expected true or false, got %s", type_name(f.s));
    *out = config_setting_get_bool(f.s) != 0;
    return 0;
}

int sim_cfg_str(sim_cfg *c, const char *path, const char *def, const char **out, sim_err *err)
{
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (!def)
            return missing(c, path, err);
        *out = def;
        return 0;
    }
    if (config_setting_type(f.s) != CONFIG_TYPE_STRING)
        return key_err(c, f.s, path, err, "expected a string, got %s", type_name(f.s));
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
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (required)
            return missing(c, path, err);
        *n = 0;
        return 0;
    }
    if (!config_setting_is_list(f.s) && !config_setting_is_array(f.s))
        return key_err(c, f.s, path, err, "expected a list ( ... ) or an array [ ... ], got %s", type_name(f.s));
    *n = (size_t)config_setting_length(f.s);
    return 0;
}

/* ------------------------------------------------------------------ dist */

static int member_num(sim_cfg *c, config_setting_t *g, const char *path, const char *name, double *v, sim_err *err)
{
    config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return key_err(c, g, path, err, "distribution '%s' needs '%s'",
                       config_setting_get_string(config_setting_get_member(g, "dist")), name);
    mark(m, &mark_used);
    if (as_number(m, v) != 0)
        return key_err(c, m, path, err, "'%s' must be a number, got %s", name, type_name(m));
    if (!isfinite(*v))
        return key_err(c, m, path, err, "'%s' must be finite (got %g)", name, *v);
    return 0;
}

static int member_array(sim_cfg *c, config_setting_t *g, const char *path, const char *name,
                        double *vals, size_t *n, bool required, sim_err *err)
{
    config_setting_t *m = config_setting_get_member(g, name);
    if (!m) {
        *n = 0;
        return required ? key_err(c, g, path, err, "empirical distribution needs '%s'", name) : 0;
    }
    mark(m, &mark_used);
    if (!config_setting_is_aggregate(m) || config_setting_is_group(m))
        return key_err(c, m, path, err, "'%s' must be an array of numbers", name);
    int len = config_setting_length(m);
    if (len < 1 || len > SIM_DIST_MAX_TABLE)
        return key_err(c, m, path, err, "'%s' must have 1 to %d values (has %d)", name, SIM_DIST_MAX_TABLE, len);
    for (int i = 0; i < len; i++) {
        config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        mark(e, &mark_used);
        if (as_number(e, &vals[i]) != 0 || !isfinite(vals[i]))
            return key_err(c, m, path, err, "'%s' element %d must be a finite number", name, i);
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
    if (split_path(asked, &sg, NULL) != 0)
        sg.n = 0;
    for (int i = 0; i < sg.n; i++) {
        int idx;
        const char *seg = sg.s[i], *nm = NULL;
        if (seg_index(seg, &idx) && *orig) {
            found f = lookup(c, orig);
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

int sim_cfg_dist(sim_cfg *c, const char *path, const sim_dist *def, sim_range r, sim_dist *out, sim_err *err)
{
    found f = lookup_mark(c, path);
    if (!f.s) {
        if (!def)
            return missing(c, path, err);
        *out = *def;
        return 0;
    }
    sim_dist d;
    memset(&d, 0, sizeof d);
    double v;
    if (as_number(f.s, &v) == 0) {
        if (check_range(c, f.s, path, v, r, err) != 0)
            return -1;
        *out = sim_dist_constant(v);
        return 0;
    }
    if (!config_setting_is_group(f.s))
        return key_err(c, f.s, path, err, "expected a number or a distribution group { dist = \"...\"; ... }, got %s",
                       type_name(f.s));
    config_setting_t *g = f.s;
    config_setting_t *kind = config_setting_get_member(g, "dist");
    if (!kind || config_setting_type(kind) != CONFIG_TYPE_STRING)
        return key_err(c, g, path, err, "a distribution group needs dist = \"const|uniform|triangular|pert|normal|lognormal|exponential|weibull|empirical\"");
    mark(kind, &mark_used);
    const char *kn = config_setting_get_string(kind);
    if (sim_dist_kind_parse(kn, &d.kind) != 0)
        return key_err(c, kind, path, err, "unknown distribution '%s' (known: const, uniform, triangular, pert, normal, lognormal, exponential, weibull, empirical)", kn);
    double a, b, m, lambda;
    switch (d.kind) {
    case SIM_DIST_CONST:
        if (member_num(c, g, path, "value", &d.p[0], err)) return -1;
        break;
    case SIM_DIST_UNIFORM:
        if (member_num(c, g, path, "min", &d.p[0], err) || member_num(c, g, path, "max", &d.p[1], err)) return -1;
        if (!(d.p[1] >= d.p[0])) return key_err(c, g, path, err, "uniform needs max >= min (got min %g, max %g)", d.p[0], d.p[1]);
        break;
    case SIM_DIST_TRIANGULAR:
    case SIM_DIST_PERT:
        if (member_num(c, g, path, "min", &a, err) || member_num(c, g, path, "mode", &m, err) ||
            member_num(c, g, path, "max", &b, err)) return -1;
        if (!(a <= m && m <= b))
            return key_err(c, g, path, err, "%s needs min <= mode <= max (got %g, %g, %g)", kn, a, m, b);
        d.p[0] = a; d.p[1] = m; d.p[2] = b;
        if (d.kind == SIM_DIST_PERT) {
            lambda = 4.0;
            if (config_setting_get_member(g, "lambda") && member_num(c, g, path, "lambda", &lambda, err)) return -1;
            if (!(lambda > 0)) return key_err(c, g, path, err, "pert lambda must be > 0 (got %g)", lambda);
            d.p[3] = lambda;
        }
        break;
    case SIM_DIST_NORMAL:
        if (member_num(c, g, path, "mean", &d.p[0], err) || member_num(c, g, path, "sd", &d.p[1], err)) return -1;
        if (!(d.p[1] >= 0)) return key_err(c, g, path, err, "normal sd must be >= 0 (got %g)", d.p[1]);
        if (r.lo > -INFINITY)
            return key_err(c, g, path, err, "a normal distribution can go below %g; use lognormal, pert or triangular for a bounded quantity", r.lo);
        break;
    case SIM_DIST_LOGNORMAL:
        if (member_num(c, g, path, "p50", &a, err) || member_num(c, g, path, "p90", &b, err)) return -1;
        if (!(a > 0)) return key_err(c, g, path, err, "lognormal p50 must be > 0 (got %g)", a);
        if (!(b > a)) return key_err(c, g, path, err, "lognormal p90 must be greater than p50 (got p50 %g, p90 %g)", a, b);
        d = sim_dist_lognormal_p50_p90(a, b);
        break;
    case SIM_DIST_EXPONENTIAL:
        if (member_num(c, g, path, "mean", &d.p[0], err)) return -1;
        if (!(d.p[0] > 0)) return key_err(c, g, path, err, "exponential mean must be > 0 (got %g)", d.p[0]);
        break;
    case SIM_DIST_WEIBULL:
        if (member_num(c, g, path, "shape", &d.p[0], err) || member_num(c, g, path, "scale", &d.p[1], err)) return -1;
        if (!(d.p[0] > 0 && d.p[1] > 0))
            return key_err(c, g, path, err, "weibull shape and scale must be > 0 (got %g, %g)", d.p[0], d.p[1]);
        break;
    case SIM_DIST_EMPIRICAL: {
        size_t nv, nw;
        double w[SIM_DIST_MAX_TABLE];
        if (member_array(c, g, path, "values", d.values, &nv, true, err) ||
            member_array(c, g, path, "weights", w, &nw, false, err)) return -1;
        if (nw && nw != nv)
            return key_err(c, g, path, err, "empirical has %zu values but %zu weights", nv, nw);
        double total = 0;
        for (size_t i = 0; i < nv; i++) {
            double wi = nw ? w[i] : 1.0;
            if (!(wi >= 0)) return key_err(c, g, path, err, "empirical weight %zu must be >= 0 (got %g)", i, wi);
            total += wi;
            d.cum_weights[i] = total;
        }
        if (!(total > 0)) return key_err(c, g, path, err, "empirical weights sum to zero");
        for (size_t i = 0; i < nv; i++)
            d.cum_weights[i] /= total;
        d.cum_weights[nv - 1] = 1.0;
        d.n_table = nv;
        break;
    }
    }
    /* the law moved as a whole (KEY+=D) */
    if (config_setting_get_member(g, "shift") && member_num(c, g, path, "shift", &d.shift, err))
        return -1;
    /* Every other member of the group is a typo. */
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        config_setting_t *mb = config_setting_get_elem(g, (unsigned)i);
        if (config_setting_get_hook(mb) != &mark_used)
            return key_err(c, mb, path, err, "unknown parameter '%s' for a %s distribution", config_setting_name(mb), kn);
    }
    double lo = sim_dist_min(&d);
    double hi = d.kind == SIM_DIST_CONST ? d.p[0]
              : (d.kind == SIM_DIST_UNIFORM ? d.p[1]
              : (d.kind == SIM_DIST_TRIANGULAR || d.kind == SIM_DIST_PERT ? d.p[2] : INFINITY));
    if (d.kind == SIM_DIST_EMPIRICAL) {
        hi = d.values[0];
        for (size_t i = 1; i < d.n_table; i++)
            if (d.values[i] > hi) hi = d.values[i];
    }
    hi += d.shift;
    if (r.lo_open ? !(lo > r.lo) : !(lo >= r.lo))
        return key_err(c, g, path, err, "the distribution can take %g, but the value must be %s %g", lo, r.lo_open ? ">" : ">=", r.lo);
    if (hi > r.hi)
        return key_err(c, g, path, err, "the distribution can take %g, but the value must be <= %g", hi, r.hi);
    double mean = sim_dist_mean(&d);
    if (!isfinite(mean) || fabs(mean) > SIM_DIST_MAX_MEAN)
        return key_err(c, g, path, err, "the distribution's mean is %g: its spread is too wide for any quantity "
                                        "(at most %g)", mean, SIM_DIST_MAX_MEAN);
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
        return sim_errf(err, "--set %s: the key is %s, not a scalar", key, type_name(s));
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
    if (seg_index(seg, &idx)) {
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
    found f = lookup(c, key);
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
    found f = lookup(c, key);
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
    if (sh && as_number(sh, &now) != 0)
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
    found f = lookup(c, key);
    if (f.s && c->n_cli < MAX_CLI_SETS) {
        char p[512];
        path_of(f.s, p, sizeof p);
        if (!(c->cli[c->n_cli] = sim_strdup(p, err)))
            return sim_err_oom_for(err, "--set %s", key);
        c->cli_s[c->n_cli++] = f.s;
    }
    return 0;
}

void sim_cfg_file_path(sim_cfg *c, const char *key, const char *rel, char *full, size_t n)
{
    found f = lookup(c, key);
    const char *from = f.s && !set_by_cli(c, f.s) && config_setting_source_file(f.s) ? config_setting_source_file(f.s)
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
        found f = lookup(c, prefix);
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
    if (split_path(key, &sg, err) != 0)
        return sim_err_prefix(err, "--set");
    if (c->base && copy_from_base(c, &sg, key, err))
        return -1;
    found f = lookup(c, key);
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
        found pf = lookup(c, prefix);
        if (pf.s) {
            if (config_setting_is_list(pf.s) || config_setting_is_array(pf.s))
                return list_miss(pf.s, key, prefix, sg.s[k], err);
            if (!config_setting_is_group(pf.s))
                return sim_errf(err, "--set %s: '%s' is %s, not a group", key, prefix, type_name(pf.s));
            s = pf.s;
            start = k;
            break;
        }
    }
    for (int i = start; i < sg.n; i++) {
        int idx;
        if (seg_index(sg.s[i], &idx))
            return sim_errf(err, "--set %s: no such element", key);
        int type = i == sg.n - 1 ? infer_type(val) : CONFIG_TYPE_GROUP;
        config_setting_t *next = config_setting_add(s, sg.s[i], type);
        if (!next)
            return sim_errf(err, "--set %s: '%s' is not a valid key name", key, sg.s[i]);
        s = next;
    }
    return assign_value(s, key, val, err);
}

/* ------------------------------------------------------------------ unused */

static void find_unused(sim_cfg *c, const sim_cfg *top, config_setting_t *s, char *out, size_t n, int *count)
{
    void *h = config_setting_get_hook(s);
    if (h == &mark_overridden)
        return;
    bool is_root = config_setting_parent(s) == NULL;
    if (!is_root && h != &mark_used && !config_setting_is_group(s)) {
        /* Unread groups are descended into, so the message names the leaf
         * (site.grid.capacty_mw), not the group that holds it. */
        if (*count < 5) {
            char p[512], w[512];
            path_of(s, p, sizeof p);
            size_t off = strlen(out);
            const char *near = sim_closest(p, (const char *const *)top->asked, top->n_asked);
            snprintf(out + off, n - off, "%s%s: unknown key '%s'%s%s%s", *count ? "; " : "", where_of(c, s, w, sizeof w),
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
    char msg[SIM_ERR_LEN - 64];
    msg[0] = '\0';
    int count = 0;
    for (sim_cfg *k = c; k; k = k->base) {
        config_setting_t *root = config_root_setting(&k->lc);
        config_setting_t *preset = config_setting_get_member(root, PRESET_GROUP);
        if (preset)
            mark(preset, &mark_used); /* the group itself; its members are checked */
        config_setting_t *base = config_setting_get_member(root, BASE_KEY);
        if (base)
            mark(base, &mark_used);
        find_unused(k, c, root, msg, sizeof msg, &count);
    }
    /* every value given on the command line is read (a key switched off, or replaced by another, is not) */
    for (int i = 0; count == 0 && i < c->n_cli; i++)
        if (c->cli_s[i] && config_setting_get_hook(c->cli_s[i]) != &mark_used)
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
    if (set_by_cli(cc->c, (config_setting_t *)s)) {
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
        if (config_setting_get_hook(s) != &mark_used)
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
