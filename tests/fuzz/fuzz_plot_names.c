/*
 * fuzz_plot_names: libFuzzer target for what plot hands gnuplot. The input
 * is a directory name (up to the first NUL or newline, at most 200 bytes;
 * '/' made '_') and then a summary.json or, when it starts with 'c', a
 * compare.json. The
 * directory is made under a private folder and its gnuplot variables built
 * from its absolute path as `gigasim plot` builds them. Checked: the text
 * is a sequence of NAME=NUMBER; or NAME='STRING'; assignments and nothing
 * else (no command, backquote or macro can run in it: a single-quoted
 * string expands none), and every path in it (datadir, plotsdir) is
 * absolute (gnuplot opens a file named '<cmd' or '|cmd' through a shell).
 * A violation aborts. Built and run by `make fuzz`.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/study/outdir.h"
#include "sim/present/plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

/* The assignments, checked: abort on anything else. */
static void check_vars(const char *v)
{
    const char *p = v;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *name = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        if (p == name || *p != '=')
            abort(); /* not an assignment */
        size_t nl = (size_t)(p - name);
        p++;
        if (*p == '\'') {
            const char *val = ++p;
            for (;;) {
                if (!*p)
                    abort(); /* a string never closed */
                if (*p == '\'' && p[1] == '\'')
                    p += 2;
                else if (*p == '\'')
                    break;
                else if ((unsigned char)*p < 0x20)
                    abort(); /* a control character inside */
                else
                    p++;
            }
            if ((nl == 7 && !strncmp(name, "datadir", 7)) || (nl == 8 && !strncmp(name, "plotsdir", 8)))
                if (*val != '/')
                    abort(); /* a path gnuplot could open through a shell */
            p++;
        } else {
            char *end;
            strtod(p, &end);
            if (end == p)
                abort(); /* neither a number nor a string */
            p = end;
        }
        if (*p != ';')
            abort();
        p++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/gigasim-fuzz-names-XXXXXX");
        if (!mkdtemp(root))
            abort();
    }
    size_t k = 0;
    char name[201];
    while (k < size && k < 200 && data[k] && data[k] != '\n') {
        name[k] = data[k] == '/' ? '_' : (char)data[k];
        k++;
    }
    name[k] = '\0';
    if (k == 0 || !strcmp(name, ".") || !strcmp(name, ".."))
        return 0;
    const uint8_t *json = data + k + (k < size);
    size_t jn = size - k - (k < size);
    char dir[600], path[900], abs[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    if (mkdir(dir, 0700) != 0)
        return 0;
    int compare = jn > 0 && json[0] == 'c';
    snprintf(path, sizeof path, "%s/%s", dir, compare ? "compare.json" : "summary.json");
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(json + compare, 1, jn - (size_t)compare, f);
        fclose(f);
    }
    if (realpath(dir, abs)) {
        sim_err err;
        const char *kind;
        char *vars = sim_plot_vars(abs, "/usr/share/gigasim/plots", &kind, &err);
        if (vars)
            check_vars(vars);
        free(vars);
    }
    int rfd = open(root, O_RDONLY | O_DIRECTORY);
    if (rfd < 0 || sim_remove_tree_at(rfd, name) != 0)
        abort();
    close(rfd);
    return 0;
}
