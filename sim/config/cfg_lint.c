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
int cfg_lint_text(const char *text, const char *name, sim_err *err)
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
