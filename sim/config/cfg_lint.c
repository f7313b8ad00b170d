/* cfg_lint: what libconfig 1.5 would misread or take quadratic time over, refused before parsing. */
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
/* Where the lint is: the line, the key last named and the groups open. */
typedef struct lint {
    const char *text, *name;
    int line, depth;
    size_t keys[SIM_CFG_MAX_DEPTH + 1];
    char open[SIM_CFG_MAX_DEPTH + 1];
    const char *key, *ident, *group_key[SIM_CFG_MAX_DEPTH + 1];
    int key_len, ident_len, group_key_len[SIM_CFG_MAX_DEPTH + 1];
    size_t string_run; /* characters in the strings joined so far */
} lint;

/* A string from its opening quote, with its escapes; *pp ends on its closing quote (or the end). */
static int lint_string(lint *L, const char **pp, sim_err *err)
{
    const char *p = *pp, *s0 = p;
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])
            p++;
        if (*p == '\n')
            L->line++;
    }
    L->string_run += (size_t)(p - s0 - 1);
    *pp = p;
    if (L->string_run > SIM_CFG_MAX_TOKEN)
        return sim_errf(err, "%s:%d: %.*s: a string of more than %d characters (the limit SIM_CFG_MAX_TOKEN)", L->name,
                        L->line, L->key_len, L->key, SIM_CFG_MAX_TOKEN);
    return 0;
}

/* A number: an integer that fits libconfig's 32 bits (or has an L), and not too long; *pp ends on its last
 * character. */
static int lint_number(lint *L, const char **pp, sim_err *err)
{
    const char *p = *pp, *q = p, *text = L->text;
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
        int shown = (int)(q - p) < KEY_SHOWN ? (int)(q - p) : KEY_SHOWN;
        if (errno == ERANGE || v > (neg ? 2147483648ULL : 2147483647ULL))
            return sim_errf(err,
                            "%s:%d: %.*s: the integer %s%.*s does not fit in 32 bits: libconfig would keep "
                            "only its low bits; write it with a decimal point (%s%.*s.0) or an L suffix",
                            L->name, L->line, L->key_len, L->key, neg ? "-" : "", shown, p, neg ? "-" : "", shown, p);
    }
    while (isalnum((unsigned char)*q) || *q == '.' || ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E')))
        q++;
    if (q - p > SIM_CFG_MAX_TOKEN)
        return sim_errf(err, "%s:%d: %.*s: a number of more than %d characters (the limit SIM_CFG_MAX_TOKEN)", L->name,
                        L->line, L->key_len, L->key, SIM_CFG_MAX_TOKEN);
    *pp = q - 1;
    return 0;
}

/* A group, list or array opens, a key is named (= or :), or a name is read. */
static int lint_open(lint *L, char c, sim_err *err)
{
    if (++L->depth > SIM_CFG_MAX_DEPTH)
        return sim_errf(err, "%s:%d: %.*s: groups, lists and arrays nested more than %d deep (the limit "
                             "SIM_CFG_MAX_DEPTH)", L->name, L->line, L->key_len, L->key, SIM_CFG_MAX_DEPTH);
    L->keys[L->depth] = 0;
    L->open[L->depth] = c;
    L->group_key[L->depth] = L->key;
    L->group_key_len[L->depth] = L->key_len;
    return 0;
}

static int lint_key(lint *L, sim_err *err)
{
    if (L->ident) {
        L->key = L->ident;
        L->key_len = L->ident_len < KEY_SHOWN ? L->ident_len : KEY_SHOWN;
    }
    if (L->open[L->depth] == '{' && ++L->keys[L->depth] > SIM_CFG_MAX_GROUP_KEYS)
        return sim_errf(err, "%s:%d: %.*s: a group of more than %d keys (the limit SIM_CFG_MAX_GROUP_KEYS)", L->name,
                        L->line, L->group_key_len[L->depth], L->group_key[L->depth], SIM_CFG_MAX_GROUP_KEYS);
    return 0;
}

static int lint_name(lint *L, const char **pp, sim_err *err)
{
    const char *p = *pp, *q = p;
    while (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '*')
        q++;
    if (q - p > SIM_CFG_MAX_TOKEN)
        return sim_errf(err, "%s:%d: a name of more than %d characters (the limit SIM_CFG_MAX_TOKEN)", L->name, L->line,
                        SIM_CFG_MAX_TOKEN);
    L->ident = p;
    L->ident_len = (int)(q - p);
    *pp = q - 1;
    return 0;
}

int cfg_lint_text(const char *text, const char *name, sim_err *err)
{
    lint L = {.text = text, .name = name, .line = 1, .open = {'{'}, .key = "", .group_key = {"(top level)"},
              .group_key_len = {11}};
    for (const char *p = text; *p; p++) {
        int rc = 0;
        if (*p == '\n') {
            L.line++;
            continue;
        } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
            continue; /* keeps adjacent strings adjacent */
        } else if (*p == '"') {
            if (lint_string(&L, &p, err))
                return -1;
            if (!*p)
                break;
            continue;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        } else if (*p == '/' && p[1] == '*') {
            int comment_line = L.line;
            for (p += 2; *p && !(*p == '*' && p[1] == '/'); p++)
                L.line += *p == '\n';
            if (!*p)
                return sim_errf(err, "%s:%d: a /* comment is never closed: libconfig would ignore the rest of the file",
                                name, comment_line);
            p++;
            continue;
        } else if (*p == '{' || *p == '(' || *p == '[') {
            rc = lint_open(&L, *p, err);
        } else if (*p == '}' || *p == ')' || *p == ']') {
            if (L.depth > 0)
                L.depth--;
        } else if (*p == '=' || *p == ':') {
            rc = lint_key(&L, err);
        } else if (*p >= '0' && *p <= '9' &&
                   (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))) {
            rc = lint_number(&L, &p, err);
        } else if (isalpha((unsigned char)*p) || *p == '_' || *p == '*') {
            rc = lint_name(&L, &p, err);
        }
        if (rc)
            return -1;
        L.string_run = 0;
    }
    return 0;
}
