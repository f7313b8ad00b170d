/*
 * fuzz_outdir: libFuzzer target for the output directory's code
 * (sim/study/outdir.h) among what others plant. The input is a list of entries
 * made before a writer runs, one per line: KIND PLACE NAME, KIND one of
 * f (a file), d (a folder), l (a link to the sentinel folder outside), p (a
 * FIFO); PLACE p (beside DIR: in its parent) or d (inside DIR); NAME a file
 * name ('/' made '_'). Then a writer claims DIR, writes a file and commits;
 * or, when the first byte is '!', a plot-style holder takes DIR's lock. A
 * refusal is fine; what is checked is that the sentinel folder (every
 * link's target) is exactly as it was, that nothing was created outside
 * the parent, and that no private directory is left behind after a commit.
 * A violation aborts. Built and run by `make fuzz`.
 */
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/study/outdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64], parent[128], sentinel[128];

/* The number of entries under path and the bytes of its files, summed: what the sentinel must keep. */
static long fingerprint(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        n += 1000;
        if (lstat(p, &st) == 0)
            n += S_ISDIR(st.st_mode) ? fingerprint(p) : (long)st.st_size;
    }
    closedir(d);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/gigasim-fuzz-outdir-XXXXXX");
        if (!mkdtemp(root))
            abort();
        snprintf(sentinel, sizeof sentinel, "%s/sentinel", root);
        snprintf(parent, sizeof parent, "%s/parent", root);
        if (mkdir(sentinel, 0700) != 0)
            abort();
        FILE *f = fopen("/tmp/gigasim-fuzz-outdir-keep", "w");
        if (f)
            fclose(f);
        char p[256];
        snprintf(p, sizeof p, "%s/precious", sentinel);
        f = fopen(p, "w");
        if (!f)
            abort();
        fputs("keep", f);
        fclose(f);
    }
    long before = fingerprint(sentinel);
    if (mkdir(parent, 0700) != 0)
        abort();
    char dir[256];
    snprintf(dir, sizeof dir, "%s/out", parent);
    bool holder = size > 0 && data[0] == '!';
    /* the planted entries */
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *line = text + holder; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strlen(line) >= 5 && line[1] == ' ' && line[3] == ' ') {
            char name[200];
            snprintf(name, sizeof name, "%s", line + 4);
            for (char *c = name; *c; c++)
                if (*c == '/')
                    *c = '_';
            struct stat ds;
            if (line[2] == 'd')
                mkdir(dir, 0700);
            /* planted inside DIR only when DIR is a folder: planting through a link would touch the sentinel */
            bool inside_ok = line[2] != 'd' || (lstat(dir, &ds) == 0 && S_ISDIR(ds.st_mode));
            if (*name && strcmp(name, ".") && strcmp(name, "..") && inside_ok) {
                char p[512];
                snprintf(p, sizeof p, "%s/%s", line[2] == 'd' ? dir : parent, name);
                if (line[0] == 'f') {
                    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
                    if (fd >= 0)
                        close(fd);
                } else if (line[0] == 'd')
                    mkdir(p, 0700);
                else if (line[0] == 'l')
                    symlink(sentinel, p);
                else if (line[0] == 'p')
                    mkfifo(p, 0600);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    sim_err err;
    sim_outdir od;
    if (holder) {
        if (sim_outdir_lock(&od, dir, &err) == 0)
            sim_outdir_unlock(&od);
    } else if (sim_outdir_begin(&od, dir, &err) == 0) {
        char p[4200];
        snprintf(p, sizeof p, "%s/summary.json", od.tmp);
        FILE *f = sim_create_file(p, &err);
        if (f) {
            fputs("{}\n", f);
            fclose(f);
            if (sim_outdir_commit(&od, &err) == 0) {
                /* committed: no private directory of this process left beside DIR */
                char t[512];
                snprintf(t, sizeof t, "%s/.out.gigasim-tmp-%ld", parent, (long)getpid());
                struct stat st;
                if (lstat(t, &st) == 0)
                    abort();
            }
        }
        sim_outdir_abort(&od);
    }
    if (fingerprint(sentinel) != before)
        abort(); /* a link was followed: its target changed */
    if (access("/tmp/gigasim-fuzz-outdir-keep", F_OK) != 0)
        abort();
    DIR *d = opendir(root); /* nothing beside the parent and the sentinel */
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "parent") &&
            strcmp(e->d_name, "sentinel"))
            abort();
    if (d)
        closedir(d);
    int rfd = open(root, O_RDONLY | O_DIRECTORY);
    if (rfd < 0 || sim_remove_tree_at(rfd, "parent") != 0)
        abort();
    close(rfd);
    return 0;
}
